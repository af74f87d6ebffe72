/* hallq-sync: ships the hall's event log to the city's PostgreSQL, and keeps no state of its
 * own. It reads the log read-only beside the running hallqd (SQLite in WAL: readers never
 * block the writer), asks the central store where the hall's epoch stands (its highest
 * contiguous seq), and sends what follows in batches, each one transaction whose events
 * already there are skipped. A shipper killed at any moment resumes where the store says. */
#include "central.h"

#include "config.h"
#include "hq_db.h"
#include "hq_log.h"
#include "hq_proto.h"
#include "ui_exit.h"
#include "ui_options.h"

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    const char *config, *data_dir, *url, *hall, *name, *level, *parent, *log_level;
    int init, once, batch, poll_ms;
    ui_lang_t lang;
} s_opts_t;

#define S_AT(field) offsetof(s_opts_t, field)

static const ui_option_t s_options[] = {
    {.name = "config",
     .arg = "FILE",
     .help = {"配置文件，读取其中的 [hall] 与 [central]（默认：内置配置）",
              "configuration file, for its [hall] and [central] (default: the embedded one)"},
     .set = ui_set_string,
     .at = S_AT(config)},
    {.name = "data",
     .arg = "DIR",
     .help = {"hallqd 的数据目录（默认 $HALLQ_DATA，否则 hallq-data）",
              "the daemon's data directory (default $HALLQ_DATA, else hallq-data)"},
     .set = ui_set_string,
     .at = S_AT(data_dir)},
    {.name = "central",
     .arg = "URL",
     .help = {"市级 PostgreSQL 的连接串或 URI（默认 [central] url）",
              "the city PostgreSQL's connection string or URI (default [central] url)"},
     .set = ui_set_string,
     .at = S_AT(url)},
    {.name = "hall",
     .arg = "ID",
     .help = {"本厅在市级库中的编号（默认 [central] hall）",
              "this hall's id in the city store (default [central] hall)"},
     .set = ui_set_string,
     .at = S_AT(hall)},
    {.name = "name",
     .arg = "NAME",
     .help = {"厅名（默认 [central] name，否则 [hall] name）",
              "the hall's name (default [central] name, else [hall] name)"},
     .set = ui_set_string,
     .at = S_AT(name)},
    {.name = "level",
     .arg = "town|village",
     .help = {"乡镇厅或村服务点（默认 [central] level，否则 [hall] level）",
              "a town hall or a village point (default [central] level, else [hall] level)"},
     .set = ui_set_string,
     .at = S_AT(level)},
    {.name = "parent",
     .arg = "ID",
     .help = {"村服务点所属乡镇厅的编号（默认 [central] parent）",
              "the town hall a village point belongs to (default [central] parent)"},
     .set = ui_set_string,
     .at = S_AT(parent)},
    {.name = "init",
     .help = {"为市级库建立或升级表结构后退出",
              "create or upgrade the city store's schema and exit"},
     .set = ui_set_flag,
     .at = S_AT(init)},
    {.name = "once",
     .help = {"追平大厅日志后退出（不再等待新事件）",
              "exit once the hall's log is shipped (instead of waiting for more)"},
     .set = ui_set_flag,
     .at = S_AT(once)},
    {.name = "batch",
     .arg = "N",
     .help = {"每个事务最多发送的事件数（默认 2000）",
              "events at most in one transaction (default 2000)"},
     .set = ui_set_int,
     .at = S_AT(batch),
     .min = 1,
     .max = 100000},
    {.name = "poll-ms",
     .arg = "MS",
     .help = {"追平后查看新事件的间隔（默认 500）",
              "how often to look for new events once caught up (default 500)"},
     .set = ui_set_int,
     .at = S_AT(poll_ms),
     .min = 10,
     .max = 60000},
    {.name = "log-level",
     .arg = "LEVEL",
     .help = {"日志级别：error、warn、info、debug（默认 info）",
              "log level: error, warn, info, debug (default info)"},
     .set = ui_set_string,
     .at = S_AT(log_level)},
    {0},
};

static const ui_program_t s_cli = {
    .name = "hallq-sync",
    .synopsis = {"[--init] [选项]", "[--init] [options]"},
    .about = {"把大厅的事件日志送到市级 PostgreSQL。只读大厅数据库，可与运行中的 hallqd\n"
              "并行；自身不保存状态：从市级库中本厅（编号与纪元）连续到达的最大序号接着发送，\n"
              "被中断后重启即可续传。连接或数据库不可用时按退避间隔重试。\n"
              "--init 先为市级库建立表结构（版本化迁移，可重复执行）。",
              "Ships the hall's event log to the city's PostgreSQL. It reads the hall's\n"
              "database read-only, beside a running hallqd, and keeps no state of its own: it\n"
              "goes on after the highest seq the city store holds without a gap for the\n"
              "hall's id and epoch, so a restarted shipper resumes where it stopped. While the\n"
              "link or the database is down it retries with backoff.\n"
              "--init creates the city store's schema (versioned migrations; may be repeated)."},
    .epilog = {"退出状态：0 完成，1 市级库拒绝（同一编号来自另一段历史），2 参数或配置错误，"
               "4 其他失败。",
               "Exit status: 0 done, 1 refused by the city store (the same hall id from another "
               "history), 2 bad arguments or configuration, 4 any other failure."},
    .options = s_options,
    .lang_at = S_AT(lang),
};

static volatile sig_atomic_t s_stop;

static void s_on_signal(int sig)
{
    (void)sig;
    s_stop = 1;
}

/* Sleeps ms, or less when a signal asks to stop. */
static void s_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (!s_stop && nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* The next wait after a failure: doubling from 250 ms to 15 s, each drawn within ±25 % so
 * that the halls of a city do not all come back at the same moment. */
static int s_backoff(int *step)
{
    int base = 250 << (*step < 6 ? *step : 6);
    if (base > 15000)
        base = 15000;
    if (*step < 6)
        (*step)++;
    return base * 3 / 4 + rand() % (base / 2 + 1);
}

/* The hall's epoch as its database holds it. */
typedef struct {
    char epoch[HQ_EPOCH_LEN + 1], parent[HQ_EPOCH_LEN + 1];
    int64_t fork_seq;
} s_epoch_t;

static int s_read_epoch(sqlite3 *db, s_epoch_t *e, char *why, size_t whylen)
{
    memset(e, 0, sizeof *e);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT key, value FROM meta"
                           " WHERE key IN ('epoch', 'epoch_parent', 'epoch_fork_seq')",
                           -1, &st, NULL) != SQLITE_OK)
        return hq_fail(why, whylen, "the hall's database: %s", sqlite3_errmsg(db));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (!k || !v)
            continue;
        if (strcmp(k, "epoch") == 0)
            hq_strlcpy(e->epoch, v, sizeof e->epoch);
        else if (strcmp(k, "epoch_parent") == 0)
            hq_strlcpy(e->parent, v, sizeof e->parent);
        else
            e->fork_seq = strtoll(v, NULL, 10);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return hq_fail(why, whylen, "the hall's database: %s", sqlite3_errmsg(db));
    if (strlen(e->epoch) != HQ_EPOCH_LEN)
        return hq_fail(why, whylen,
                       "the hall's database has no epoch yet: start this version's hallqd on it "
                       "once");
    return 0;
}

/* Up to max events after seq `after`, copied out (the read transaction ends before they are
 * shipped, so the daemon's checkpoints never wait for the network). */
typedef struct {
    central_event_t *ev;
    size_t n;
} s_batch_t;

static void s_batch_free(s_batch_t *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free((char *)b->ev[i].type);
        free((char *)b->ev[i].body);
    }
    free(b->ev);
    b->ev = NULL;
    b->n = 0;
}

static int s_read_batch(sqlite3_stmt *st, int64_t after, int max, s_batch_t *b, char *why,
                        size_t whylen)
{
    b->ev = calloc((size_t)max, sizeof *b->ev);
    b->n = 0;
    if (!b->ev)
        return hq_fail(why, whylen, "out of memory");
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int(st, 2, max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        central_event_t *e = &b->ev[b->n];
        e->seq = sqlite3_column_int64(st, 0);
        e->ts_ms = sqlite3_column_int64(st, 1);
        const char *type = (const char *)sqlite3_column_text(st, 2);
        const char *body = (const char *)sqlite3_column_text(st, 3);
        e->type = strdup(type ? type : "");
        e->body = strdup(body ? body : "{}");
        b->n++;
        if (!e->type || !e->body) {
            sqlite3_reset(st);
            s_batch_free(b);
            return hq_fail(why, whylen, "out of memory");
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s_batch_free(b);
        return hq_fail(why, whylen, "the hall's event log: %s", sqlite3_errstr(rc));
    }
    return 0;
}

/* Ships the configuration records the hall's database holds past id *shipped (hallqd writes
 * one at a start with a configuration unlike the last), so the city counts each ticket by the
 * rules it was issued under. A database of a hallqd before the records has none. 0, or -1
 * with one line (*local tells the hall's database from the store). */
static int s_ship_configs(sqlite3 *db, PGconn *c, const central_hall_t *hall, int64_t *shipped,
                          int *local, char *why, size_t whylen)
{
    *local = 1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT id, since_ms, day, body FROM config WHERE id > ? ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK) {
        if (strstr(sqlite3_errmsg(db), "no such table"))
            return 0;
        return hq_fail(why, whylen, "the hall's configuration records: %s", sqlite3_errmsg(db));
    }
    sqlite3_bind_int64(st, 1, *shipped);
    central_config_t *cfg = NULL;
    size_t n = 0, cap = 0;
    int rc, failed = 0;
    while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t more = cap ? cap * 2 : 4;
            central_config_t *grown = realloc(cfg, more * sizeof *grown);
            if (!grown) {
                failed = 1;
                break;
            }
            cfg = grown;
            cap = more;
        }
        const char *day = (const char *)sqlite3_column_text(st, 2);
        const char *body = (const char *)sqlite3_column_text(st, 3);
        cfg[n].id = sqlite3_column_int64(st, 0);
        cfg[n].since_ms = sqlite3_column_int64(st, 1);
        cfg[n].day = strdup(day ? day : "");
        cfg[n].body = strdup(body ? body : "");
        n++;
        failed = !cfg[n - 1].day || !cfg[n - 1].body;
    }
    if (failed)
        hq_fail(why, whylen, "out of memory");
    else if (rc != SQLITE_DONE)
        failed = hq_fail(why, whylen, "the hall's configuration records: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (!failed && n) {
        *local = 0;
        failed = central_ship_configs(c, hall, cfg, n, why, whylen) != 0;
        if (!failed)
            *shipped = cfg[n - 1].id;
    }
    for (size_t i = 0; i < n; i++) {
        free((char *)cfg[i].day);
        free((char *)cfg[i].body);
    }
    free(cfg);
    return failed ? -1 : 0;
}

/* Ships the daemon's metric log past id *shipped, in transactions of up to `batch` entries.
 * 0, or -1 with one line (*local tells the hall's database from the store). */
static int s_ship_metrics(sqlite3 *db, PGconn *c, const central_hall_t *hall, int batch,
                          int64_t *shipped, int *local, char *why, size_t whylen)
{
    sqlite3_stmt *st;
    *local = 1;
    if (sqlite3_prepare_v2(db,
                           "SELECT id, ts_ms, day, scope, key, count, avg_ms, within, max_ms,"
                           " target_ms, above FROM metrics WHERE id > ? ORDER BY id LIMIT ?",
                           -1, &st, NULL) != SQLITE_OK) {
        if (strstr(sqlite3_errmsg(db), "no such table"))
            return 0;
        return hq_fail(why, whylen, "the hall's metric log: %s", sqlite3_errmsg(db));
    }
    central_metric_t *m = calloc((size_t)batch, sizeof *m);
    int failed = m ? 0 : hq_fail(why, whylen, "out of memory");
    for (size_t got = (size_t)batch; !failed && got == (size_t)batch;) {
        got = 0;
        sqlite3_bind_int64(st, 1, *shipped);
        sqlite3_bind_int(st, 2, batch);
        int rc;
        while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            central_metric_t *x = &m[got++];
            const char *t[3];
            for (int k = 0; k < 3; k++) {
                t[k] = (const char *)sqlite3_column_text(st, 2 + k);
                t[k] = strdup(t[k] ? t[k] : "");
                failed |= !t[k];
            }
            x->id = sqlite3_column_int64(st, 0);
            x->ts_ms = sqlite3_column_int64(st, 1);
            x->day = t[0];
            x->scope = t[1];
            x->key = t[2];
            x->count = sqlite3_column_int64(st, 5);
            x->avg_ms = sqlite3_column_int64(st, 6);
            x->within = sqlite3_column_int64(st, 7);
            x->max_ms = sqlite3_column_int64(st, 8);
            x->target_ms = sqlite3_column_int64(st, 9);
            x->above = sqlite3_column_int(st, 10);
        }
        if (failed)
            hq_fail(why, whylen, "out of memory");
        else if (rc != SQLITE_DONE)
            failed = hq_fail(why, whylen, "the hall's metric log: %s", sqlite3_errmsg(db));
        sqlite3_reset(st);
        if (!failed && got) {
            *local = 0;
            failed = central_ship_metrics(c, hall, m, got, why, whylen) != 0;
            if (!failed) {
                *shipped = m[got - 1].id;
                *local = 1;
            }
        }
        for (size_t i = 0; i < got; i++) {
            free((char *)m[i].day);
            free((char *)m[i].scope);
            free((char *)m[i].key);
        }
    }
    free(m);
    sqlite3_finalize(st);
    return failed ? -1 : 0;
}

static PGconn *s_connect(const char *url, char *why, size_t whylen)
{
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) == CONNECTION_OK)
        return c;
    char line[600];
    hq_strlcpy(line, c ? PQerrorMessage(c) : "out of memory", sizeof line);
    for (char *p = line; *p; p++)
        if (*p == '\n')
            *p = *(p + 1) ? ' ' : '\0';
    hq_fail(why, whylen, "cannot reach the city store: %s", line);
    PQfinish(c);
    return NULL;
}

static void s_quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static int s_init(const char *url, ui_lang_t lang)
{
    char why[800];
    PGconn *c = s_connect(url, why, sizeof why);
    if (!c) {
        fprintf(stderr, "hallq-sync: %s\n", why);
        return UI_EXIT_FAILURE;
    }
    PQsetNoticeProcessor(c, s_quiet, NULL);
    int from, to;
    int rc = central_migrate(c, &from, &to, why, sizeof why);
    PQfinish(c);
    if (rc != 0) {
        fprintf(stderr, "hallq-sync: %s\n", why);
        return UI_EXIT_FAILURE;
    }
    if (lang == UI_LANG_EN)
        printf("city store schema at version %d (%s)\n", to,
               from == to ? "already up to date"
               : from     ? "upgraded"
                          : "created");
    else
        printf("市级库表结构：版本 %d（%s）\n", to,
               from == to ? "已是最新"
               : from     ? "已升级"
                          : "已建立");
    return UI_EXIT_OK;
}

int main(int argc, char **argv)
{
    s_opts_t o = {.batch = 2000, .poll_ms = 500, .lang = UI_LANG_ZH};
    o.data_dir = ui_env_or("HALLQ_DATA", "hallq-data");
    int rc = ui_options_parse(&s_cli, argc, argv, &o);
    if (rc != UI_OPTIONS_RUN)
        return rc;
    hq_log_set_program("hallq-sync");
    if (o.log_level) {
        int level = hq_log_level_parse(o.log_level);
        if (level < 0)
            return ui_usage_error(
                "hallq-sync", "--log-level is error, warn, info or debug, not '%s'", o.log_level);
        hq_log_set_level((hq_log_level_t)level);
    }
    hallq_config_t cfg;
    char why[800];
    if (config_default(&cfg, why, sizeof why) != 0) {
        fprintf(stderr, "hallq-sync: embedded configuration: %s\n", why);
        return UI_EXIT_FAILURE;
    }
    if (o.config && config_load_file(&cfg, o.config, why, sizeof why) != 0) {
        fprintf(stderr, "hallq-sync: %s\n", why);
        config_free(&cfg);
        return UI_EXIT_USAGE;
    }
    const cfg_central_t *cc = &cfg.central;
    const char *url = o.url ? o.url : cc->url;
    const char *parent = o.parent ? o.parent : cc->parent[0] ? cc->parent : NULL;
    central_hall_t hall = {
        .id = o.hall ? o.hall : cc->hall,
        .name = o.name        ? o.name
                : cc->name[0] ? cc->name
                              : cfg.hall_name,
        .level = o.level        ? o.level
                 : cc->level[0] ? cc->level
                                : cfg.level,
        .parent = parent,
    };
    rc = UI_EXIT_USAGE;
    if (!url[0])
        rc = ui_usage_error("hallq-sync", "no city store: give --central URL or [central] url");
    else if (o.init)
        rc = s_init(url, o.lang);
    else if (!hall.id[0])
        rc = ui_usage_error("hallq-sync", "no hall id: give --hall ID or [central] hall");
    else if (!config_hall_id_ok(hall.id))
        rc = ui_usage_error("hallq-sync",
                            "hall id '%s' is not 1 to 64 letters, digits, _ . - (the first a "
                            "letter or digit)",
                            hall.id);
    else if (strcmp(hall.level, "town") != 0 && strcmp(hall.level, "village") != 0)
        rc = ui_usage_error("hallq-sync", "level is town or village, not '%s'", hall.level);
    else if (strcmp(hall.level, "village") == 0 && !parent)
        rc =
            ui_usage_error("hallq-sync", "a village point names its town hall: give --parent ID or "
                                         "[central] parent");
    else if (strcmp(hall.level, "town") == 0 && parent)
        rc = ui_usage_error("hallq-sync", "a town hall has no parent (parent '%s' given)", parent);
    else if (parent && !config_hall_id_ok(parent))
        rc = ui_usage_error("hallq-sync", "parent '%s' is no hall id", parent);
    else
        rc = UI_OPTIONS_RUN;
    if (rc != UI_OPTIONS_RUN) {
        config_free(&cfg);
        return rc;
    }
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    char path[4200];
    snprintf(path, sizeof path, "%s/%s", o.data_dir, STORE_FILE);
    sqlite3 *db = NULL;
    sqlite3_stmt *read = NULL;
    PGconn *c = NULL;
    s_epoch_t ep;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        hq_error("%s: %s", path, db ? sqlite3_errmsg(db) : "cannot open");
        rc = UI_EXIT_FAILURE;
        goto done;
    }
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_prepare_v2(db,
                           "SELECT seq, ts_ms, type, body FROM events WHERE seq > ?"
                           " ORDER BY seq LIMIT ?",
                           -1, &read, NULL) != SQLITE_OK ||
        s_read_epoch(db, &ep, why, sizeof why) != 0) {
        hq_error("%s: %s", path, read ? why : sqlite3_errmsg(db));
        rc = UI_EXIT_FAILURE;
        goto done;
    }
    int registered = 0, step = 0, down = 0, local;
    int64_t position = 0, config_id = 0, metric_id = 0;
    rc = UI_EXIT_OK;
    while (!s_stop) {
        if (!c) {
            c = s_connect(url, why, sizeof why);
            if (!c) {
                if (!down++)
                    hq_warn("%s; retrying", why);
                s_sleep_ms(s_backoff(&step));
                continue;
            }
            PQsetNoticeProcessor(c, s_quiet, NULL);
            int v = central_schema_version(c, why, sizeof why);
            if (v >= 0 && v < central_schema_latest()) {
                hq_error("the city store's schema is at version %d, this hallq-sync needs %d: "
                         "run hallq-sync --init",
                         v, central_schema_latest());
                rc = UI_EXIT_FAILURE;
                break;
            }
            if (v < 0) {
                hq_warn("%s; retrying", why);
                PQfinish(c);
                c = NULL;
                s_sleep_ms(s_backoff(&step));
                continue;
            }
            if (down)
                hq_info("the city store answers again (after %d failed attempt%s)", down,
                        down == 1 ? "" : "s");
            down = 0;
            registered = 0;
        }
        if (!registered) {
            hall.epoch = ep.epoch;
            hall.parent_epoch = ep.parent[0] ? ep.parent : NULL;
            hall.fork_seq = ep.fork_seq;
            int refused = 0;
            if (central_register(c, &hall, &position, &refused, why, sizeof why) != 0) {
                if (refused) {
                    hq_error("refused by the city store: %s", why);
                    rc = UI_EXIT_REFUSED;
                    break;
                }
                goto failed;
            }
            registered = 1;
            hq_info("hall %s epoch %s: the city store holds up to seq %lld", hall.id, ep.epoch,
                    (long long)position);
            /* The configurations and the metric log go on where the store has them. */
            if (central_shipped_id(c, &hall, "configs", &config_id, why, sizeof why) != 0 ||
                central_shipped_id(c, &hall, "metrics", &metric_id, why, sizeof why) != 0) {
                registered = 0;
                goto failed;
            }
        }
        s_batch_t b;
        if (s_read_batch(read, position, o.batch, &b, why, sizeof why) != 0) {
            hq_error("%s: %s", path, why);
            rc = UI_EXIT_FAILURE;
            break;
        }
        if (b.n == 0) {
            s_batch_free(&b);
            if (s_ship_configs(db, c, &hall, &config_id, &local, why, sizeof why) != 0 ||
                s_ship_metrics(db, c, &hall, o.batch, &metric_id, &local, why, sizeof why) != 0) {
                if (!local)
                    goto failed;
                hq_error("%s: %s", path, why);
                rc = UI_EXIT_FAILURE;
                break;
            }
            if (o.once)
                break;
            /* A restore under a stopped daemon starts a new epoch: look again while idle. */
            s_epoch_t now;
            if (s_read_epoch(db, &now, why, sizeof why) == 0 && strcmp(now.epoch, ep.epoch) != 0) {
                hq_info("the hall's database has a new epoch %s (was %s)", now.epoch, ep.epoch);
                ep = now;
                registered = 0;
                continue;
            }
            s_sleep_ms(o.poll_ms);
            continue;
        }
        if (b.ev[0].seq != position + 1) {
            hq_error("the hall's event log has no seq %lld (the next is %lld): the city store "
                     "cannot hold it without a gap",
                     (long long)position + 1, (long long)b.ev[0].seq);
            s_batch_free(&b);
            rc = UI_EXIT_FAILURE;
            break;
        }
        int64_t last = b.ev[b.n - 1].seq;
        int ok = central_ship(c, &hall, b.ev, b.n, &position, why, sizeof why);
        s_batch_free(&b);
        if (ok == 0) {
            step = 0;
            hq_debug("shipped up to seq %lld", (long long)position);
            if (position < last) {
                hq_error("the city store holds the hall's epoch up to seq %lld only after a "
                         "batch up to %lld",
                         (long long)position, (long long)last);
                rc = UI_EXIT_FAILURE;
                break;
            }
            continue;
        }
    failed:
        if (!central_transient(c, central_last_state())) {
            hq_error("the city store: %s", why);
            rc = UI_EXIT_FAILURE;
            break;
        }
        hq_warn("the city store: %s; retrying", why);
        PQfinish(c);
        c = NULL;
        down = 1;
        s_sleep_ms(s_backoff(&step));
    }
    if (rc == UI_EXIT_OK)
        hq_info("stopping: hall %s epoch %s shipped up to seq %lld", hall.id, ep.epoch,
                (long long)position);
done:
    PQfinish(c);
    sqlite3_finalize(read);
    sqlite3_close(db);
    config_free(&cfg);
    return rc;
}
