/* The statistics' read-only view of the hall's database: the tickets and the metric log,
 * each read through one column list. */
#include "stats.h"

#include "hq_db.h"
#include "hq_proto.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the column lists ------------------------------------------------------------------ */

/* The columns of tickets the statistics read, in SELECT order: the history's first, then
 * those only the per-ticket export shows. */
enum {
    S_T_DAY,
    S_T_QUEUE,
    S_T_SERVICE,
    S_T_GREEN,
    S_T_STATE,
    S_T_ISSUED,
    S_T_CALLED,
    S_T_LAST_CALLED,
    S_T_STARTED,
    S_T_FINISHED,
    S_T_PARKED,
    S_T_COUNTER,
    S_T_CLERK,
    S_T_RATING,
    S_T_TRANSFERS,
    S_T_HISTORY_, /* the columns before this one: what stats_hist_add needs */
    S_T_ID = S_T_HISTORY_,
    S_T_LABEL,
    S_T_PREFIX,
    S_T_AGE_BAND,
    S_T_CALLS,
    S_T_REASON,
    S_T_ALL_
};

static const char *const s_ticket_columns[S_T_ALL_] = {
    [S_T_DAY] = "day",
    [S_T_QUEUE] = "queue",
    [S_T_SERVICE] = "service",
    [S_T_GREEN] = "green",
    [S_T_STATE] = "state",
    [S_T_ISSUED] = "issued_ms",
    [S_T_CALLED] = "called_ms",
    [S_T_LAST_CALLED] = "last_called_ms",
    [S_T_STARTED] = "started_ms",
    [S_T_FINISHED] = "finished_ms",
    [S_T_PARKED] = "park_total_ms",
    [S_T_COUNTER] = "counter",
    [S_T_CLERK] = "clerk",
    [S_T_RATING] = "rating",
    [S_T_TRANSFERS] = "transfers",
    [S_T_ID] = "id",
    [S_T_LABEL] = "label",
    [S_T_PREFIX] = "prefix",
    [S_T_AGE_BAND] = "age_band",
    [S_T_CALLS] = "calls",
    [S_T_REASON] = "reason",
};

/* The columns of the metric log, in SELECT order. */
enum {
    S_M_TS,
    S_M_DAY,
    S_M_SCOPE,
    S_M_KEY,
    S_M_COUNT,
    S_M_AVG,
    S_M_WITHIN,
    S_M_MAX,
    S_M_TARGET,
    S_M_ABOVE,
    S_M_ALL_
};

static const char *const s_metric_columns[S_M_ALL_] = {
    [S_M_TS] = "ts_ms",      [S_M_DAY] = "day",     [S_M_SCOPE] = "scope",
    [S_M_KEY] = "key",       [S_M_COUNT] = "count", [S_M_AVG] = "avg_ms",
    [S_M_WITHIN] = "within", [S_M_MAX] = "max_ms",  [S_M_TARGET] = "target_ms",
    [S_M_ABOVE] = "above",
};

/* "SELECT c1, c2, ... FROM table " and the rest. */
static void s_select(char *sql, size_t n, const char *const *columns, int ncolumns,
                     const char *table, const char *rest)
{
    size_t used = (size_t)snprintf(sql, n, "SELECT");
    for (int i = 0; i < ncolumns && used < n; i++)
        used += (size_t)snprintf(sql + used, n - used, "%s %s", i ? "," : "", columns[i]);
    if (used < n)
        snprintf(sql + used, n - used, " FROM %s %s", table, rest);
}

static const char *s_text(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

static char s_letter(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (char)s[0] : 0;
}

/* ---- opening ------------------------------------------------------------------------ */

struct stats_db {
    sqlite3 *db; /* read-only connection */
    char *path;  /* DIR/hallq.db */
};

/* A URI for the immutable fallback: only characters that are safe in a path stay. */
static char *s_uri(const char *path, const char *query)
{
    size_t n = strlen(path) * 3 + strlen(query) + 8;
    char *uri = malloc(n);
    if (!uri)
        return NULL;
    char *o = uri + sprintf(uri, "file:");
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            strchr("/._-~", *s))
            *o++ = (char)*s;
        else
            o += sprintf(o, "%%%02X", *s);
    }
    sprintf(o, "?%s", query);
    return uri;
}

static int s_int_pragma(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return sqlite3_errcode(db);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

stats_db_t *stats_db_open(const char *dir, char *why, size_t whylen)
{
    stats_db_t *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    size_t n = strlen(dir) + sizeof STORE_FILE + 2;
    self->path = malloc(n);
    if (!self->path) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    snprintf(self->path, n, "%s/%s", dir, STORE_FILE);
    if (access(self->path, R_OK) != 0) {
        hq_fail(why, whylen, "no readable database at %s: %s (is --data right?)", self->path,
                strerror(errno));
        goto fail;
    }
    /* Read only: this connection can never change the hall's records, and as a WAL reader
     * it sees one consistent snapshot without making the daemon wait. */
    /* NOMUTEX: one thread uses the connection, and the per-call mutex of the default
     * serialized mode costs a tenth of a year's export. */
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(self->path, &self->db, flags, NULL);
    int64_t app_id = 0, version = 0;
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(self->db, 5000);
        rc = s_int_pragma(self->db, "PRAGMA application_id", &app_id);
    }
    if (rc != SQLITE_OK) {
        /* A WAL database whose -shm file is gone (daemon stopped) cannot be opened read
         * only by a user who may not create that file in the data directory. With no -wal
         * file either, nobody is writing, and SQLite may read it as immutable. */
        char wal[1200];
        snprintf(wal, sizeof wal, "%s-wal", self->path);
        char *uri = access(wal, F_OK) != 0 ? s_uri(self->path, "immutable=1") : NULL;
        sqlite3_close(self->db);
        self->db = NULL;
        rc = uri ? sqlite3_open_v2(uri, &self->db, flags | SQLITE_OPEN_URI, NULL) : rc;
        free(uri);
        if (rc == SQLITE_OK)
            rc = s_int_pragma(self->db, "PRAGMA application_id", &app_id);
        if (rc != SQLITE_OK) {
            hq_fail(why, whylen, "%s: %s", self->path,
                    self->db ? sqlite3_errmsg(self->db) : "cannot open");
            goto fail;
        }
    }
    if (app_id != STORE_APPLICATION_ID) {
        hq_fail(why, whylen, "%s is not a hallq database", self->path);
        goto fail;
    }
    if (s_int_pragma(self->db, "PRAGMA user_version", &version) != SQLITE_OK ||
        version > STORE_SCHEMA) {
        hq_fail(why, whylen, "%s has a newer schema than this hallqctl", self->path);
        goto fail;
    }
    return self;
fail:
    stats_db_close(&self);
    return NULL;
}

void stats_db_close(stats_db_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    stats_db_t *self = *self_p;
    if (self->db)
        sqlite3_close(self->db);
    free(self->path);
    free(self);
    *self_p = NULL;
}

const char *stats_db_path(const stats_db_t *self)
{
    return self->path;
}

int stats_db_days(stats_db_t *self, char first[HQ_DATE_TEXT_MAX], char last[HQ_DATE_TEXT_MAX])
{
    first[0] = last[0] = '\0';
    sqlite3_stmt *st;
    /* min() and max() of the leading column of UNIQUE(day, prefix, number): two index
     * probes, not a scan. */
    if (sqlite3_prepare_v2(self->db, "SELECT min(day), max(day) FROM tickets", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        hq_strlcpy(first, s_text(st, 0), HQ_DATE_TEXT_MAX);
        hq_strlcpy(last, s_text(st, 1), HQ_DATE_TEXT_MAX);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* ---- tickets ---------------------------------------------------------------------------- */

/* Whether tickets of this queue and service count toward the handling target; the catalog
 * lookup is a linear search, so answers are kept per service number. */
typedef struct {
    const hallq_config_t *cfg;
    signed char by_service[10000]; /* -1 unknown yet */
    signed char by_queue[26];
} s_instant_t;

static void s_instant_init(s_instant_t *c, const hallq_config_t *cfg)
{
    c->cfg = cfg;
    memset(c->by_service, -1, sizeof c->by_service);
    memset(c->by_queue, -1, sizeof c->by_queue);
}

static int s_instant(s_instant_t *c, char queue, int service)
{
    if (queue < 'A' || queue > 'Z')
        return 0;
    if (service > 0 && service < 10000) {
        /* 2: not in the catalog, so the queue decides (as config_is_instant does). */
        signed char *s = &c->by_service[service];
        if (*s < 0) {
            const cfg_service_t *svc = config_service(c->cfg, service);
            *s = (signed char)(!svc ? 2 : svc->instant ? 1 : 0);
        }
        if (*s < 2)
            return *s;
    } else if (service != 0) {
        return config_is_instant(c->cfg, queue, service);
    }
    signed char *q = &c->by_queue[queue - 'A'];
    if (*q < 0)
        *q = (signed char)(config_is_instant(c->cfg, queue, 0) ? 1 : 0);
    return *q;
}

/* The day range as SQL: with the whole history asked for, a plain table scan (rows are
 * stored in issue order) beats walking the day index and looking each row up. */
static int s_range(stats_db_t *self, const char *from, const char *to, const char **lo,
                   const char **hi, int *use_index)
{
    char first[HQ_DATE_TEXT_MAX], last[HQ_DATE_TEXT_MAX];
    if (stats_db_days(self, first, last) != 0)
        return -1;
    *lo = from && from[0] ? from : "0000-00-00";
    *hi = to && to[0] ? to : "9999-99-99";
    *use_index = !(strcmp(*lo, first) <= 0 && strcmp(*hi, last) >= 0);
    return 0;
}

/* One row of tickets, read with the first ncolumns columns of the list. */
static void s_read_ticket(sqlite3_stmt *st, int ncolumns, s_instant_t *inst, stats_record_t *r)
{
    stats_ticket_t *t = &r->t;
    t->day = s_text(st, S_T_DAY);
    t->queue = s_letter(st, S_T_QUEUE);
    t->service = sqlite3_column_int(st, S_T_SERVICE);
    t->green = sqlite3_column_int(st, S_T_GREEN);
    t->state = s_text(st, S_T_STATE);
    t->issued_ms = sqlite3_column_int64(st, S_T_ISSUED);
    t->called_ms = sqlite3_column_int64(st, S_T_CALLED);
    t->last_called_ms = sqlite3_column_int64(st, S_T_LAST_CALLED);
    t->started_ms = sqlite3_column_int64(st, S_T_STARTED);
    t->finished_ms = sqlite3_column_int64(st, S_T_FINISHED);
    t->park_total_ms = sqlite3_column_int64(st, S_T_PARKED);
    t->counter = sqlite3_column_int(st, S_T_COUNTER);
    t->clerk = s_text(st, S_T_CLERK);
    t->rating = sqlite3_column_int(st, S_T_RATING);
    t->transfers = sqlite3_column_int(st, S_T_TRANSFERS);
    t->instant = s_instant(inst, t->queue, t->service);
    if (ncolumns <= S_T_HISTORY_)
        return;
    r->id = sqlite3_column_int64(st, S_T_ID);
    r->label = s_text(st, S_T_LABEL);
    r->prefix = s_letter(st, S_T_PREFIX);
    r->age_band = s_text(st, S_T_AGE_BAND);
    r->calls = sqlite3_column_int(st, S_T_CALLS);
    r->reason = s_text(st, S_T_REASON);
    r->times = stats_ticket_times(t);
}

/* Calls fn for each ticket of the days from..to read with the first ncolumns columns (in
 * issue order when `ordered`), until fn returns non-zero (returned); -1 on a database
 * error. */
static int s_each_ticket(stats_db_t *self, const hallq_config_t *cfg, const char *from,
                         const char *to, int ncolumns, int ordered, stats_record_fn fn, void *arg,
                         char *why, size_t whylen)
{
    const char *lo, *hi;
    int use_index;
    if (s_range(self, from, to, &lo, &hi, &use_index) != 0)
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    char sql[512], where[64];
    snprintf(where, sizeof where, "WHERE %s BETWEEN ?1 AND ?2%s", use_index ? "day" : "+day",
             ordered ? " ORDER BY id" : "");
    s_select(sql, sizeof sql, s_ticket_columns, ncolumns, "tickets", where);
    s_instant_t *inst = malloc(sizeof *inst);
    if (!inst)
        return hq_fail(why, whylen, "out of memory");
    s_instant_init(inst, cfg);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK) {
        free(inst);
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    }
    sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        stats_record_t r;
        s_read_ticket(st, ncolumns, inst, &r);
        stop = fn(&r, arg);
    }
    free(inst);
    if (!stop && rc != SQLITE_DONE)
        hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    sqlite3_finalize(st);
    return stop ? stop : rc == SQLITE_DONE ? 0 : -1;
}

typedef struct {
    stats_hist_t *h;
    char *why;
    size_t whylen;
} s_load_t;

static int s_load_one(const stats_record_t *r, void *arg)
{
    s_load_t *l = arg;
    /* A damaged row is skipped the way the daemon skips it at load; running out of memory
     * is not. */
    if (stats_hist_add(l->h, &r->t) == -1)
        return hq_fail(l->why, l->whylen, "out of memory after %zu tickets",
                       stats_hist_count(l->h));
    return 0;
}

stats_hist_t *stats_db_load(stats_db_t *self, const hallq_config_t *cfg, const char *from,
                            const char *to, char *why, size_t whylen)
{
    s_load_t l = {stats_hist_new((int64_t)cfg->handling_target_min * 60000), why, whylen};
    if (!l.h) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    if (s_each_ticket(self, cfg, from, to, S_T_HISTORY_, 0, s_load_one, &l, why, whylen) != 0)
        stats_hist_destroy(&l.h);
    return l.h;
}

int stats_db_records(stats_db_t *self, const hallq_config_t *cfg, const char *from, const char *to,
                     stats_record_fn fn, void *arg, char *why, size_t whylen)
{
    return s_each_ticket(self, cfg, from, to, S_T_ALL_, 1, fn, arg, why, whylen);
}

/* ---- the metric log --------------------------------------------------------------------- */

int stats_db_metrics(stats_db_t *self, const char *day, stats_metric_fn fn, void *arg, char *why,
                     size_t whylen)
{
    char sql[512];
    s_select(sql, sizeof sql, s_metric_columns, S_M_ALL_, "metrics", "WHERE day = ?1 ORDER BY id");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK)
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        stats_metric_t m;
        m.ts_ms = sqlite3_column_int64(st, S_M_TS);
        m.day = s_text(st, S_M_DAY);
        m.scope = s_text(st, S_M_SCOPE);
        m.key = s_text(st, S_M_KEY);
        m.count = sqlite3_column_int64(st, S_M_COUNT);
        m.avg_ms = sqlite3_column_int64(st, S_M_AVG);
        m.within = sqlite3_column_int64(st, S_M_WITHIN);
        m.max_ms = sqlite3_column_int64(st, S_M_MAX);
        m.target_ms = sqlite3_column_int64(st, S_M_TARGET);
        m.above = sqlite3_column_int(st, S_M_ABOVE);
        stop = fn(&m, arg);
    }
    if (!stop && rc != SQLITE_DONE)
        hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    sqlite3_finalize(st);
    return stop ? stop : rc == SQLITE_DONE ? 0 : -1;
}
