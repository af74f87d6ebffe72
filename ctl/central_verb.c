/* hallqctl central: see central_verb.h. */
#include "central_verb.h"

#include "central.h"
#include "ctl_stats_text.h"
#include "hq_proto.h"
#include "hq_text.h"
#include "ui_exit.h"

#include <jansson.h>
#include <libpq-fe.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const char *verb; /* migrate | status */
    const char *central;
    int json;
    ui_lang_t lang;
} s_opts_t;

/* libpq's message on one line. */
static void s_one_line(char *line, size_t n, const char *msg)
{
    hq_strlcpy(line, msg, n);
    for (char *p = line; *p; p++)
        if (*p == '\n')
            *p = *(p + 1) ? ' ' : '\0';
}

static int s_migrate(const s_opts_t *o, PGconn *c)
{
    int en = o->lang == UI_LANG_EN, from, to;
    char why[600];
    if (central_migrate(c, &from, &to, why, sizeof why) != 0) {
        fprintf(stderr, "hallqctl central: %s\n", why);
        return UI_EXIT_FAILURE;
    }
    if (o->json)
        printf("{\"from\":%d,\"to\":%d}\n", from, to);
    else if (from == to)
        printf(en ? "city store schema at version %d: already up to date\n"
                  : "市级中心库结构为第 %d 版：已是最新\n",
               to);
    else
        printf(en ? "city store schema migrated from version %d to %d\n"
                  : "市级中心库结构已从第 %d 版升级到第 %d 版\n",
               from, to);
    return UI_EXIT_OK;
}

/* Per hall: its present epoch's position, the newest event it has shipped there (beyond a
 * gap too) and that event's time. */
static const char s_status_sql[] =
    "SELECT h.id, h.name, h.level, coalesce(h.parent, ''),"
    "       (SELECT count(*) FROM hallq.epochs x WHERE x.hall = h.id), h.epoch,"
    "       e.contiguous_seq,"
    "       coalesce((SELECT max(seq) FROM hallq.events v WHERE v.hall = h.id"
    "                    AND v.epoch = h.epoch), 0),"
    "       coalesce((SELECT max(ts_ms) FROM hallq.events v WHERE v.hall = h.id"
    "                    AND v.epoch = h.epoch AND v.seq <= e.contiguous_seq), 0)"
    "  FROM hallq.halls h JOIN hallq.epochs e ON e.hall = h.id AND e.epoch = h.epoch"
    " ORDER BY h.id";

static void s_lag(char *out, size_t n, int64_t ts_ms, int en)
{
    if (!ts_ms) {
        snprintf(out, n, "—");
        return;
    }
    int64_t s = (int64_t)time(NULL) - ts_ms / 1000;
    if (s < 0)
        s = 0;
    if (s < 120)
        snprintf(out, n, en ? "%llds" : "%lld 秒", (long long)s);
    else if (s < 2 * 3600)
        snprintf(out, n, en ? "%lldmin" : "%lld 分钟", (long long)(s / 60));
    else if (s < 2 * 86400)
        snprintf(out, n, en ? "%lldh" : "%lld 小时", (long long)(s / 3600));
    else
        snprintf(out, n, en ? "%lldd" : "%lld 天", (long long)(s / 86400));
}

/* Text in `cols` terminal columns (Chinese takes two a character), left or right aligned. */
static void s_col(const char *text, int cols, int right)
{
    char buf[256];
    int w = hq_text_fit(text, cols, !right, buf, sizeof buf);
    printf("%*s%s ", right && w < cols ? cols - w : 0, "", buf);
}

static int s_status(const s_opts_t *o, PGconn *c)
{
    int en = o->lang == UI_LANG_EN;
    char why[600];
    int v = central_schema_version(c, why, sizeof why);
    if (v < 0) {
        fprintf(stderr, "hallqctl central: %s\n", why);
        return UI_EXIT_FAILURE;
    }
    if (v == 0) {
        fprintf(
            stderr,
            en ? "hallqctl central: no city store schema here: run hallqctl central migrate\n"
               : "hallqctl central: 此处没有市级中心库结构：请先执行 hallqctl central migrate\n");
        return UI_EXIT_FAILURE;
    }
    PGresult *r = PQexec(c, s_status_sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        s_one_line(why, sizeof why, PQerrorMessage(c));
        fprintf(stderr, "hallqctl central: %s\n", why);
        PQclear(r);
        return UI_EXIT_FAILURE;
    }
    int rows = PQntuples(r);
    json_t *halls = o->json ? json_array() : NULL;
    if (!o->json)
        printf(en ? "schema version %d (this hallqctl carries %d); %d hall(s)\n"
                  : "结构版本 %d（本 hallqctl 自带 %d）；共 %d 个服务厅\n",
               v, central_schema_latest(), rows);
    if (!o->json && rows) {
        s_col(en ? "hall" : "厅", 12, 0);
        s_col(en ? "level" : "层级", 10, 0);
        s_col(en ? "town" : "所属镇", 10, 0);
        s_col(en ? "epochs" : "历史", 6, 1);
        s_col(en ? "position" : "已连续", 10, 1);
        s_col(en ? "shipped" : "已上报", 10, 1);
        s_col(en ? "lag" : "滞后", 8, 1);
        printf(" %s\n", en ? "name" : "名称");
    }
    for (int i = 0; i < rows; i++) {
        const char *id = PQgetvalue(r, i, 0), *name = PQgetvalue(r, i, 1);
        const char *level = PQgetvalue(r, i, 2), *parent = PQgetvalue(r, i, 3);
        int epochs = atoi(PQgetvalue(r, i, 4));
        const char *epoch = PQgetvalue(r, i, 5);
        long long pos = atoll(PQgetvalue(r, i, 6)), shipped = atoll(PQgetvalue(r, i, 7));
        int64_t ts = strtoll(PQgetvalue(r, i, 8), NULL, 10);
        char lag[32];
        s_lag(lag, sizeof lag, ts, en);
        if (halls)
            json_array_append_new(
                halls, json_pack("{s:s, s:s, s:s, s:s?, s:i, s:s, s:I, s:I, s:I}", "id", id, "name",
                                 name, "level", level, "parent", parent[0] ? parent : NULL,
                                 "epochs", epochs, "epoch", epoch, "position", (json_int_t)pos,
                                 "shipped", (json_int_t)shipped, "last_ms", (json_int_t)ts));
        else {
            char n1[24], n2[24], n3[24];
            snprintf(n1, sizeof n1, "%d", epochs);
            snprintf(n2, sizeof n2, "%lld", pos);
            snprintf(n3, sizeof n3, "%lld", shipped);
            s_col(id, 12, 0);
            s_col(ctl_text(o->lang,
                           strcmp(level, "town") == 0 ? CTL_T_LEVEL_TOWN : CTL_T_LEVEL_VILLAGE),
                  10, 0);
            s_col(parent[0] ? parent : "-", 10, 0);
            s_col(n1, 6, 1);
            s_col(n2, 10, 1);
            s_col(n3, 10, 1);
            s_col(lag, 8, 1);
            printf(" %s\n", name);
        }
    }
    if (halls) {
        json_t *doc = json_pack("{s:i, s:i, s:o}", "schema", v, "latest", central_schema_latest(),
                                "halls", halls);
        char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
        if (text)
            printf("%s\n", text);
        free(text);
        json_decref(doc);
    }
    PQclear(r);
    return UI_EXIT_OK;
}

static void s_quiet(void *arg, const char *message)
{
    (void)arg, (void)message;
}

/* ---- the command line ------------------------------------------------------------------------ */
#define S_AT(field) offsetof(s_opts_t, field)

static const ui_option_t s_options[] = {
    {.name = "central",
     .arg = "URL",
     .help = {"市级中心库（libpq 连接串；默认 $HALLQ_CENTRAL）",
              "the city's central store (a libpq URL; default $HALLQ_CENTRAL)"},
     .set = ui_set_string,
     .at = S_AT(central)},
    {.name = "json",
     .help = {"结果输出为一行 JSON", "print the result as one JSON line"},
     .set = ui_set_flag,
     .at = S_AT(json)},
    {0},
};

static int s_word(void *settings, const char *word, char *why, size_t whylen)
{
    s_opts_t *o = settings;
    if (o->verb)
        return hq_fail(why, whylen, "unexpected '%s' after the verb %s", word, o->verb);
    if (strcmp(word, "migrate") != 0 && strcmp(word, "status") != 0)
        return hq_fail(why, whylen, "unknown central verb '%s' (migrate or status)", word);
    o->verb = word;
    return 0;
}

static int s_check_opts(void *settings, char *why, size_t whylen)
{
    const s_opts_t *o = settings;
    if (!o->verb)
        return hq_fail(why, whylen, "name a verb: migrate or status");
    if (!o->central || !o->central[0])
        return hq_fail(why, whylen, "name the store: --central URL (or $HALLQ_CENTRAL)");
    return 0;
}

const ui_program_t ctl_central_cli = {
    .name = "hallqctl central",
    .synopsis = {"migrate|status [选项]", "migrate|status [options]"},
    .about = {"市级中心库（PostgreSQL，各厅 hallq-sync 上报事件日志）的维护：\n"
              "  migrate  按顺序应用本程序自带而库中尚无的结构升级（与 hallq-sync --init 相同）\n"
              "  status   结构版本；每个服务厅的层级、所属镇、历史数（自备份恢复后为 2 个以上）、\n"
              "           已连续上报到的序号、已上报的最大序号，以及最新事件距今多久",
              "Maintains the city's central store (PostgreSQL, where each hall's hallq-sync\n"
              "ships its event log):\n"
              "  migrate  applies, in order, the schema migrations this program carries that\n"
              "           the store lacks (the same as hallq-sync --init)\n"
              "  status   the schema's version; each hall's level, town, epochs (two or more\n"
              "           after a restore from a backup), the seq shipped without a gap, the\n"
              "           highest seq shipped, and how old its newest event there is"},
    .epilog = {"退出状态：0 完成，2 参数错误，4 失败（连接、数据库）。",
               "Exit status: 0 done, 2 bad arguments, 4 failed (connection, database)."},
    .options = s_options,
    .lang_at = S_AT(lang),
    .operand = s_word,
    .check = s_check_opts,
};

int hallqctl_central_main(int argc, char **argv)
{
    s_opts_t o;
    memset(&o, 0, sizeof o);
    o.lang = UI_LANG_ZH;
    o.central = getenv("HALLQ_CENTRAL");
    int rc = ui_options_parse(&ctl_central_cli, argc, argv, &o);
    if (rc != UI_OPTIONS_RUN)
        return rc;
    PGconn *c = PQconnectdb(o.central);
    if (PQstatus(c) != CONNECTION_OK) {
        char line[600];
        s_one_line(line, sizeof line, PQerrorMessage(c));
        fprintf(stderr, "hallqctl central: cannot reach the central store: %s\n", line);
        PQfinish(c);
        return UI_EXIT_FAILURE;
    }
    PQsetNoticeProcessor(c, s_quiet, NULL); /* "schema exists, skipping" */
    rc = strcmp(o.verb, "migrate") == 0 ? s_migrate(&o, c) : s_status(&o, c);
    PQfinish(c);
    return rc;
}
