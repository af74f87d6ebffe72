/* hallqctl stats: the manager's figures, read straight from the hall's database (read only,
 * no daemon needed, never blocking it): export, the 10-minute metric log, the HTML report
 * and staffing advice. This file parses the options and runs the verb; each verb is its
 * own file (ctl_stats_verbs.h). */
#include "ctl_stats.h"

#include "ctl_cli.h"
#include "ctl_stats_verbs.h"
#include "hq_text.h"
#include "ui_options.h"

#include <stddef.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The verbs, and the format each writes when none is asked for. */
static const struct {
    const char *name;
    int format;
    ctl_stats_verb_fn *run;
} s_verbs[] = {
    {"export", CTL_FMT_CSV, ctl_stats_export},
    {"metric", -1, ctl_stats_metric},
    {"report", -1, ctl_stats_report},
    {"staffing", -1, ctl_stats_staffing},
    {"bookings", CTL_FMT_CSV, ctl_stats_bookings},
};
#define S_NVERBS (sizeof s_verbs / sizeof s_verbs[0])

/* ---- the command line (lib/ui's options helper) -------------------------------------- */
#define S_AT(field) offsetof(ctl_stats_opts_t, field)

static int s_set_format(void *field, const char *v, const ui_option_t *opt, char *why, size_t n)
{
    (void)opt;
    int *f = field;
    *f = strcmp(v, "csv") == 0    ? CTL_FMT_CSV
         : strcmp(v, "json") == 0 ? CTL_FMT_JSON
         : strcmp(v, "text") == 0 ? CTL_FMT_TEXT
                                  : -2;
    return *f == -2 ? hq_fail(why, n, "--format is csv, json or text, not '%s'", v) : 0;
}

static int s_set_json(void *field, const char *v, const ui_option_t *opt, char *why, size_t n)
{
    (void)v, (void)opt, (void)why, (void)n;
    *(int *)field = CTL_FMT_JSON;
    return 0;
}

static int s_set_by(void *field, const char *v, const ui_option_t *opt, char *why, size_t n)
{
    (void)opt;
    *(int *)field = stats_by_parse(v);
    if (*(int *)field < 0)
        return hq_fail(why, n,
                       "--by takes day, hour, weekday, queue, counter, clerk, service, lane, "
                       "all, or with --central hall, level or parent, not '%s'",
                       v);
    return 0;
}

static int s_set_encoding(void *field, const char *v, const ui_option_t *opt, char *why, size_t n)
{
    (void)opt;
    const char **enc = field;
    if (strcasecmp(v, "utf-8") == 0 || strcasecmp(v, "utf8") == 0)
        *enc = NULL;
    else if (strcasecmp(v, "gbk") == 0 || strcasecmp(v, "cp936") == 0)
        *enc = "GBK";
    else if (strcasecmp(v, "gb18030") == 0)
        *enc = "GB18030";
    else
        return hq_fail(why, n, "--encoding is utf-8, gbk or gb18030, not '%s'", v);
    return 0;
}

static int s_set_minutes(void *field, const char *v, const ui_option_t *opt, char *why, size_t n)
{
    (void)opt;
    char *end;
    double m = strtod(v, &end);
    if (*end || end == v || !(m > 0) || m > 1440)
        return hq_fail(why, n, "--target-wait takes minutes (0 < MIN <= 1440), not '%s'", v);
    *(double *)field = m;
    return 0;
}

static int s_set_day(void *field, const char *v, const ui_option_t *opt, char *why, size_t n)
{
    if (hq_date_parse_days(v) < 0)
        return hq_fail(why, n, "--%s takes a date like 2024-03-01, not '%s'", opt->name, v);
    *(const char **)field = v;
    return 0;
}

static int s_set_scope(void *field, const char *v, const ui_option_t *opt, char *why, size_t n)
{
    (void)opt;
    if (strcmp(v, "hall") && strcmp(v, "queue") && strcmp(v, "counter"))
        return hq_fail(why, n, "--scope is hall, queue or counter, not '%s'", v);
    *(const char **)field = v;
    return 0;
}

static const ui_option_t s_options[] = {
    {.name = "data",
     .arg = "DIR",
     .help = {"hallqd 的数据目录（默认 $HALLQ_DATA，否则 ./hallq-data，\n"
              "没有它而有安装的 /var/lib/hallq 时用后者）",
              "the daemon's data directory (default $HALLQ_DATA, else\n./hallq-data, else the "
              "installed /var/lib/hallq)"},
     .set = ui_set_string,
     .at = S_AT(data_dir)},
    {.name = "config",
     .arg = "FILE",
     .help = {"按此配置文件统计全部号票（事项目录、时区、办理时限），\n"
              "代替 hallqd 记录的每日配置",
              "count every ticket by this config (service catalog, time\nzone, handling "
              "target) instead of the ones hallqd recorded"},
     .set = ui_set_string,
     .at = S_AT(config)},
    {.name = "from",
     .arg = "DATE",
     .help = {"起始营业日 YYYY-MM-DD（含）；不写即全部历史",
              "first business day, YYYY-MM-DD (included); none: all history"},
     .set = s_set_day,
     .at = S_AT(from)},
    {.name = "to",
     .arg = "DATE",
     .help = {"截止营业日 YYYY-MM-DD（含）", "last business day, YYYY-MM-DD (included)"},
     .set = s_set_day,
     .at = S_AT(to)},
    {.name = "date",
     .arg = "DATE",
     .help = {"metric：哪一个营业日（默认今天）", "metric: which business day (default today)"},
     .set = s_set_day,
     .at = S_AT(date)},
    {.name = "format",
     .arg = "FMT",
     .help = {"csv、json 或 text", "csv, json or text"},
     .set = s_set_format,
     .at = S_AT(format)},
    {.name = "json",
     .help = {"同 --format json", "same as --format json"},
     .set = s_set_json,
     .at = S_AT(format)},
    {.name = "out",
     .arg = "FILE",
     .help = {"写入文件（report 必填；默认标准输出）",
              "write to FILE (report: required; else standard output)"},
     .set = ui_set_string,
     .at = S_AT(out)},
    {.name = "by",
     .arg = "KEY",
     .help = {"export 分组：day、hour、weekday、queue、counter、clerk、\nservice、lane 或 all",
              "export groups: day, hour, weekday, queue, counter, clerk,\nservice, lane or all"},
     .set = s_set_by,
     .at = S_AT(by)},
    {.name = "records",
     .help = {"export：每张票一行，而非分组（JSON：两者都有）",
              "export: one row per ticket instead of the groups (JSON: both)"},
     .set = ui_set_flag,
     .at = S_AT(records)},
    {.name = "bom",
     .help = {"UTF-8 文件加 BOM，便于电子表格打开", "a UTF-8 byte order mark, for spreadsheets"},
     .set = ui_set_flag,
     .at = S_AT(bom)},
    {.name = "encoding",
     .arg = "ENC",
     .help = {"utf-8、gbk 或 gb18030（旧版电子表格软件用 gbk）",
              "utf-8, gbk or gb18030 (gbk for older spreadsheet programs)"},
     .set = s_set_encoding,
     .at = S_AT(encoding)},
    {.name = "scope",
     .arg = "SCOPE",
     .help = {"metric：hall、queue 或 counter", "metric: hall, queue or counter"},
     .set = s_set_scope,
     .at = S_AT(scope)},
    {.name = "alerts",
     .help = {"metric：只列超过时限的记录", "metric: only the entries above target"},
     .set = ui_set_flag,
     .at = S_AT(alerts_only)},
    {.name = "central",
     .arg = "URL",
     .help = {"读取市级中心库（PostgreSQL，hallq-sync 上报），而非本厅数据库；\n"
              "--by hall|level|parent 按厅、层级、所属镇分组，report 为全市排名报告",
              "read the city's central store (PostgreSQL, shipped by hallq-sync)\n"
              "instead of a hall's database; --by hall|level|parent groups by hall,\n"
              "level or town; report is the city's ranking report"},
     .set = ui_set_string,
     .at = S_AT(central)},
    {.name = "hall",
     .arg = "ID",
     .help = {"与 --central 同用：只统计这一个服务厅",
              "with --central: the figures of this hall only"},
     .set = ui_set_string,
     .at = S_AT(hall)},
    {.name = "target-wait",
     .arg = "MIN",
     .help = {"report、staffing：目标平均等候（分钟，默认 15）",
              "report, staffing: the mean wait to aim for (minutes, default 15)"},
     .set = s_set_minutes,
     .at = S_AT(target_wait_min)},
    {.name = "max-windows",
     .arg = "N",
     .help = {"staffing：最多可开窗口数", "staffing: the most windows that can open"},
     .set = ui_set_int,
     .at = S_AT(max_windows),
     .min = 1,
     .max = 9999},
    {0},
};

static int s_verb_word(void *settings, const char *word, char *why, size_t whylen)
{
    ctl_stats_opts_t *o = settings;
    if (o->verb)
        return hq_fail(why, whylen, "unexpected '%s' after the verb %s", word, o->verb);
    for (size_t i = 0; i < S_NVERBS; i++)
        if (strcmp(word, s_verbs[i].name) == 0) {
            o->verb = word;
            return 0;
        }
    return hq_fail(why, whylen,
                   "unknown stats verb '%s' (export, metric, report, staffing or bookings)", word);
}

/* What the options say together. */
static int s_check(void *settings, char *why, size_t whylen)
{
    const ctl_stats_opts_t *o = settings;
    if (!o->verb)
        return hq_fail(why, whylen, "name a verb: export, metric, report, staffing or bookings");
    if (o->from && o->to && strcmp(o->from, o->to) > 0)
        return hq_fail(why, whylen, "--from %s is after --to", o->from);
    if (o->by >= STATS_BY_HALL && !o->central)
        return hq_fail(why, whylen, "--by %s groups the city's halls: it needs --central URL",
                       stats_by_name((stats_by_t)o->by));
    if (o->hall && !o->central)
        return hq_fail(why, whylen, "--hall names a hall of the city: it needs --central URL");
    if (o->central && strcmp(o->verb, "bookings") == 0)
        return hq_fail(why, whylen,
                       "bookings reads what stays in the hall's database (the central store holds "
                       "its event log): leave out --central");
    if (o->central && !o->hall && strcmp(o->verb, "metric") == 0)
        return hq_fail(why, whylen, "metric with --central reads one hall's log: add --hall ID");
    if (o->central && o->data_dir)
        return hq_fail(why, whylen, "--data and --central name two sources: give one");
    if (o->by >= STATS_BY_HALL && o->hall)
        return hq_fail(why, whylen, "--by %s groups every hall: leave out --hall",
                       stats_by_name((stats_by_t)o->by));
    if (o->by >= STATS_BY_HALL && strcmp(o->verb, "export") != 0)
        return hq_fail(why, whylen, "--by %s is export's", stats_by_name((stats_by_t)o->by));
    if (o->central && o->records && !o->hall)
        return hq_fail(why, whylen,
                       "--records with --central lists one hall's tickets: add --hall ID");
    return 0;
}

const ui_program_t ctl_stats_cli = {
    .name = "hallqctl stats",
    .synopsis = {"export|metric|report|staffing|bookings [选项]",
                 "export|metric|report|staffing|bookings [options]"},
    .about = {"直接读取本厅数据库（只读，无需 hallqd，也不会阻塞它）的管理统计：\n"
              "  export    取号、办结、过号、转移数；等候与办理（平均、中位、p90、最大）；\n"
              "            即办件时限内占比；绿色通道；评价\n"
              "  metric    hallqd 当天每 10 分钟记录的指标及告警\n"
              "  report    一个独立的 HTML 报告（含图表），任何浏览器离线可看\n"
              "  staffing  按 Erlang C 计算每周各小时所需窗口数，并列出实际开窗与等候\n"
              "  bookings  预约：预约、签到、迟到、爽约、取消数，自时段开始的等候（--by "
              "day|queue|service）\n"
              "日期为营业日 YYYY-MM-DD，两端包含；时间以分钟计。每张号票按取号时\n"
              "hallqd 记录的配置（办理时限、事项目录、厅名、时区）统计；给出 --config\n"
              "时一律按该文件。",
              "The manager's figures, read straight from the hall's database (read only, no\n"
              "daemon needed, never blocking it):\n"
              "  export    tickets issued, served, no-show, transferred; wait and handling\n"
              "            (mean, median, p90, max); instant items within the target; green\n"
              "            lane; ratings\n"
              "  metric    every 10-minute metric entry the daemon logged that day, with alerts\n"
              "  report    one self-contained HTML page with charts, for any browser, offline\n"
              "  staffing  windows needed per hour of the week by Erlang C, next to the\n"
              "            windows open and the wait actually seen\n"
              "  bookings  appointments: booked, checked in, late, no-show, cancelled; the wait\n"
              "            from slot start (--by day|queue|service)\n"
              "Dates are business days, YYYY-MM-DD, both ends included; times in minutes.\n"
              "Each ticket counts by the configuration hallqd recorded as in force when it\n"
              "was issued (handling target, catalog, hall name, time zone); --config FILE\n"
              "makes every ticket count by that file instead."},
    .epilog = {"退出状态：0 完成，2 参数错误，4 失败（数据库、输出）。",
               "Exit status: 0 done, 2 bad arguments, 4 failed (database, output)."},
    .options = s_options,
    .lang_at = S_AT(lang),
    .operand = s_verb_word,
    .check = s_check,
};

stats_hist_t *ctl_stats_load(const ctl_stats_opts_t *o, stats_db_t *db)
{
    char why[512];
    stats_hist_t *h = NULL;
    if (o->city && !o->hall)
        return ctl_stats_city_load(o);
    if (o->city)
        h = stats_central_load(o->city, o->hall, o->from, o->to, o->count_by, why, sizeof why);
    else
        h = stats_db_load(db, o->from, o->to, why, sizeof why);
    if (!h)
        fprintf(stderr, "hallqctl stats: %s\n", why);
    return h;
}

int ctl_stats_records(const ctl_stats_opts_t *o, stats_db_t *db, stats_record_fn fn, void *arg,
                      char *why, size_t whylen)
{
    if (o->city)
        return stats_central_records(o->city, o->hall, o->from, o->to, o->count_by, fn, arg, why,
                                     whylen);
    return stats_db_records(db, o->from, o->to, fn, arg, why, whylen);
}

/* What the figures count by: the file given with --config for every ticket, else the
 * configurations hallqd recorded. cfg holds the file's (config_free it). 0, or an exit
 * status. */
static int s_count_by(const ctl_stats_opts_t *o, stats_db_t *db, hallq_config_t *cfg)
{
    char why[512];
    memset(cfg, 0, sizeof *cfg);
    int n = 0;
    if (o->config) {
        if (config_default(cfg, why, sizeof why) != 0 ||
            config_load_file(cfg, o->config, why, sizeof why) != 0) {
            fprintf(stderr, "hallqctl stats: %s\n", why);
            return CTL_STATS_USAGE;
        }
        n = stats_db_set_config(db, cfg, why, sizeof why);
    } else {
        n = stats_db_set_config(db, NULL, why, sizeof why);
        if (n == 0)
            fprintf(stderr,
                    "hallqctl stats: %s holds no record of the configuration hallqd ran "
                    "with; counting by the embedded default (give --config FILE for the "
                    "hall's own)\n",
                    stats_db_path(db));
    }
    if (n < 0) {
        fprintf(stderr, "hallqctl stats: %s\n", why);
        return CTL_STATS_FAILED;
    }
    return 0;
}

/* Whether the store knows the hall: one it does not is said, not shown as an empty period. */
static int s_city_hall_known(const ctl_stats_opts_t *o)
{
    char why[512];
    stats_hall_t *halls;
    size_t n, i = 0;
    if (stats_central_halls(o->city, &halls, &n, why, sizeof why) != 0) {
        fprintf(stderr, "hallqctl stats: %s\n", why);
        return 0;
    }
    while (i < n && strcmp(halls[i].id, o->hall) != 0)
        i++;
    if (i == n)
        fprintf(stderr, "hallqctl stats: the central store has no hall '%s' (%zu halls)\n", o->hall,
                n);
    free(halls);
    return i < n;
}

/* What labels the period (names, target, time zone): --config FILE, else with --hall the
 * hall's configuration of the period's last day (an open end: its last business day with
 * tickets), else the embedded default. 0, or an exit status. */
static int s_city_label(const ctl_stats_opts_t *o, hallq_config_t *cfg)
{
    char why[512], first[HQ_DATE_TEXT_MAX], last[HQ_DATE_TEXT_MAX] = "";
    if (o->config) {
        if (config_default(cfg, why, sizeof why) == 0 &&
            config_load_file(cfg, o->config, why, sizeof why) == 0)
            return 0;
        fprintf(stderr, "hallqctl stats: %s\n", why);
        return CTL_STATS_USAGE;
    }
    if (!o->hall) {
        if (config_default(cfg, why, sizeof why) == 0)
            return 0;
    } else if ((o->to || stats_central_days(o->city, o->hall, first, last, why, sizeof why) == 0) &&
               stats_central_config(o->city, o->hall,
                                    o->to     ? o->to
                                    : last[0] ? last
                                              : NULL,
                                    cfg, why, sizeof why) >= 0) {
        return 0;
    }
    fprintf(stderr, "hallqctl stats: %s\n", why);
    return CTL_STATS_FAILED;
}

/* The verb over the city's central store. Every ticket counts by --config FILE, else by the
 * configuration its hall recorded as in force when it was issued (hallq-sync ships them). */
static int s_city_main(ctl_stats_opts_t *o, size_t verb)
{
    char why[512];
    /* On the heap: the options point at it while the verb runs. */
    hallq_config_t *cfg = calloc(1, sizeof *cfg);
    if (!cfg) {
        fprintf(stderr, "hallqctl stats: out of memory\n");
        return CTL_STATS_FAILED;
    }
    int rc = CTL_STATS_OK;
    if (!(o->city = stats_central_open(o->central, why, sizeof why))) {
        fprintf(stderr, "hallqctl stats: %s\n", why);
        rc = CTL_STATS_FAILED;
    } else if (o->hall && !s_city_hall_known(o)) {
        rc = CTL_STATS_FAILED;
    } else {
        rc = s_city_label(o, cfg);
    }
    if (rc == CTL_STATS_OK && hq_text_timezone(cfg->timezone, why, sizeof why) != 0) {
        fprintf(stderr, "hallqctl stats: %s (set [hall] timezone)\n", why);
        rc = o->config ? CTL_STATS_USAGE : CTL_STATS_FAILED;
    }
    o->count_by = o->config ? cfg : NULL;
    o->label = cfg;
    if (rc == CTL_STATS_OK)
        rc = strcmp(o->verb, "report") == 0 && !o->hall ? ctl_stats_city_report(o, cfg)
                                                        : s_verbs[verb].run(o, cfg, NULL);
    stats_central_close(&o->city);
    o->count_by = o->label = NULL;
    config_free(cfg);
    free(cfg);
    return rc;
}

int hallqctl_stats_main(int argc, char **argv)
{
    ctl_stats_opts_t o;
    memset(&o, 0, sizeof o);
    o.format = -1;
    o.by = STATS_BY_DAY;
    o.lang = UI_LANG_ZH;
    o.target_wait_min = 15;
    o.max_windows = 999;
    int rc = ui_options_parse(&ctl_stats_cli, argc, argv, &o);
    if (rc != UI_OPTIONS_RUN)
        return rc;
    size_t verb = 0;
    while (strcmp(o.verb, s_verbs[verb].name) != 0)
        verb++;
    if (o.format < 0)
        o.format = s_verbs[verb].format;
    if (o.central)
        return s_city_main(&o, verb);
    if (!o.data_dir)
        o.data_dir = ctl_default_data_dir();
    char why[512];
    stats_db_t *db = stats_db_open(o.data_dir, why, sizeof why);
    if (!db) {
        fprintf(stderr, "hallqctl stats: %s\n", why);
        return CTL_STATS_FAILED;
    }
    hallq_config_t file;
    rc = s_count_by(&o, db, &file);
    /* The period is labelled with the configuration in force on its last day (metric: the
     * day asked for, else today's: the latest). */
    const hallq_config_t *cfg = strcmp(o.verb, "metric") == 0 ? stats_db_config(db, o.date)
                                                              : stats_db_period_config(db, o.to);
    char tzwhy[200];
    if (rc == 0 && hq_text_timezone(cfg->timezone, tzwhy, sizeof tzwhy) != 0) {
        fprintf(stderr, "hallqctl stats: %s (set [hall] timezone)\n", tzwhy);
        rc = o.config ? CTL_STATS_USAGE : CTL_STATS_FAILED;
    }
    if (rc == 0)
        rc = s_verbs[verb].run(&o, cfg, db);
    stats_db_close(&db);
    config_free(&file);
    return rc;
}
