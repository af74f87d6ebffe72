/* hallqctl stats: the manager's figures, read straight from the hall's database (read only,
 * no daemon needed, never blocking it): export, the 10-minute metric log, the HTML report
 * and staffing advice. */
#include "config.h"
#include "erlang.h"
#include "hq_proto.h"
#include "hq_text.h"
#include "report.h"
#include "ctl_stats.h"
#include "stats.h"

#include <errno.h>
#include <iconv.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

enum { S_OK = 0, S_FAILED = 1, S_USAGE = 2 };
enum { S_FMT_TEXT, S_FMT_CSV, S_FMT_JSON };

typedef struct {
    const char *verb; /* export | metric | report | staffing */
    const char *data_dir;
    const char *config;
    const char *from, *to; /* business days, inclusive; NULL: open end */
    const char *date;      /* metric */
    int format;            /* S_FMT_* ; -1 the verb's default */
    int by;                /* stats_by_t */
    const char *out;       /* file, NULL stdout */
    int records;           /* export one row per ticket */
    int bom;               /* UTF-8 byte order mark, for spreadsheets */
    const char *encoding;  /* NULL (UTF-8) or an iconv name (GBK, GB18030) */
    int lang_en;
    double target_wait_min; /* staffing */
    int max_windows;
    const char *scope; /* metric: hall | queue | counter */
    int alerts_only;   /* metric: entries above target only */
} s_opts_t;

static const char s_help[] =
    "usage: hallqctl stats VERB [options]\n"
    "\n"
    "  export   [--from DATE] [--to DATE] [--format csv|json] [--out FILE]\n"
    "           [--by day|hour|weekday|queue|counter|clerk|service|lane|all]\n"
    "           [--records] [--bom] [--encoding utf-8|gbk|gb18030]\n"
    "           tickets issued, served, no-show, transferred; wait and handling (mean,\n"
    "           median, p90, max); instant items within the handling target; green lane;\n"
    "           ratings. --records: one row per ticket instead of the groups (JSON: both)\n"
    "  metric   [--date DATE] [--scope hall|queue|counter] [--alerts]\n"
    "           [--format text|csv|json]\n"
    "           every 10-minute metric entry the daemon logged that day, with alerts\n"
    "  report   --out FILE.html [--from DATE] [--to DATE] [--target-wait MIN]\n"
    "           one self-contained HTML page with charts, for any browser, offline\n"
    "  staffing [--from DATE] [--to DATE] [--target-wait MIN] [--max-windows N]\n"
    "           [--format text|csv|json]\n"
    "           windows needed per hour of the week for a mean wait under MIN (default 15),\n"
    "           by Erlang C, next to the windows open and the wait actually seen\n"
    "\n"
    "  --data DIR     the daemon's data directory (default $HALLQ_DATA, else hallq-data)\n"
    "  --config FILE  the hall's config (service catalog, time zone, handling target)\n"
    "  --lang zh|en   labels and text (default zh)     --json  same as --format json\n"
    "Dates are business days, YYYY-MM-DD, both ends included; without them, all history.\n"
    "Times are in minutes. Exit status: 0 done, 1 failed (database, output), 2 bad\n"
    "arguments.\n";

static void s_usage(FILE *out)
{
    fputs(s_help, out);
}

static int s_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int s_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "hallqctl stats: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "; see hallqctl stats --help\n");
    va_end(ap);
    return S_USAGE;
}

static int s_parse(int argc, char **argv, s_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->data_dir = getenv("HALLQ_DATA") ? getenv("HALLQ_DATA") : "hallq-data";
    o->format = -1;
    o->by = STATS_BY_DAY;
    o->target_wait_min = 15;
    o->max_windows = 999;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            s_usage(stdout);
            exit(0);
        } else if (strcmp(a, "--json") == 0) {
            o->format = S_FMT_JSON;
            takes = 0;
        } else if (strcmp(a, "--records") == 0) {
            o->records = 1;
            takes = 0;
        } else if (strcmp(a, "--bom") == 0) {
            o->bom = 1;
            takes = 0;
        } else if (strcmp(a, "--alerts") == 0) {
            o->alerts_only = 1;
            takes = 0;
        } else if (a[0] == '-' && a[1] == '-') {
            if (!v)
                return s_usage_error("%s needs a value", a);
            if (strcmp(a, "--data") == 0)
                o->data_dir = v;
            else if (strcmp(a, "--config") == 0)
                o->config = v;
            else if (strcmp(a, "--from") == 0)
                o->from = v;
            else if (strcmp(a, "--to") == 0)
                o->to = v;
            else if (strcmp(a, "--date") == 0)
                o->date = v;
            else if (strcmp(a, "--out") == 0)
                o->out = v;
            else if (strcmp(a, "--scope") == 0)
                o->scope = v;
            else if (strcmp(a, "--format") == 0) {
                o->format = strcmp(v, "csv") == 0    ? S_FMT_CSV
                            : strcmp(v, "json") == 0 ? S_FMT_JSON
                            : strcmp(v, "text") == 0 ? S_FMT_TEXT
                                                     : -2;
                if (o->format == -2)
                    return s_usage_error("--format is csv, json or text, not '%s'", v);
            } else if (strcmp(a, "--by") == 0) {
                o->by = stats_by_parse(v);
                if (o->by < 0)
                    return s_usage_error("--by takes day, hour, weekday, queue, counter, clerk, "
                                         "service, lane or all, not '%s'",
                                         v);
            } else if (strcmp(a, "--encoding") == 0) {
                if (strcasecmp(v, "utf-8") == 0 || strcasecmp(v, "utf8") == 0)
                    o->encoding = NULL;
                else if (strcasecmp(v, "gbk") == 0 || strcasecmp(v, "cp936") == 0)
                    o->encoding = "GBK";
                else if (strcasecmp(v, "gb18030") == 0)
                    o->encoding = "GB18030";
                else
                    return s_usage_error("--encoding is utf-8, gbk or gb18030, not '%s'", v);
            } else if (strcmp(a, "--lang") == 0) {
                if (strcmp(v, "zh") && strcmp(v, "en"))
                    return s_usage_error("--lang is zh or en, not '%s'", v);
                o->lang_en = strcmp(v, "en") == 0;
            } else if (strcmp(a, "--target-wait") == 0) {
                char *end;
                o->target_wait_min = strtod(v, &end);
                if (*end || end == v || !(o->target_wait_min > 0) || o->target_wait_min > 1440)
                    return s_usage_error("--target-wait takes minutes (0 < MIN <= 1440), not '%s'",
                                         v);
            } else if (strcmp(a, "--max-windows") == 0) {
                char *end;
                long n = strtol(v, &end, 10);
                if (*end || end == v || n < 1 || n > 9999)
                    return s_usage_error("--max-windows takes 1 to 9999, not '%s'", v);
                o->max_windows = (int)n;
            } else {
                return s_usage_error("unknown option '%s'", a);
            }
            i += takes;
        } else if (!o->verb) {
            o->verb = a;
        } else {
            return s_usage_error("unexpected '%s'", a);
        }
    }
    if (!o->verb) {
        s_usage(stderr);
        return S_USAGE;
    }
    const char *days[3] = {o->from, o->to, o->date};
    for (int i = 0; i < 3; i++)
        if (days[i] && hq_date_parse_days(days[i]) < 0)
            return s_usage_error("'%s' is not a date like 2024-03-01", days[i]);
    if (o->from && o->to && strcmp(o->from, o->to) > 0)
        return s_usage_error("--from %s is after --to", o->from);
    if (o->scope && strcmp(o->scope, "hall") && strcmp(o->scope, "queue") &&
        strcmp(o->scope, "counter"))
        return s_usage_error("--scope is hall, queue or counter, not '%s'", o->scope);
    return S_OK;
}

/* ---- output: a file or stdout, optionally converted to GBK for spreadsheets -------------- */

typedef struct {
    FILE *f;
    int close;  /* f is our file */
    iconv_t cd; /* (iconv_t)-1 for UTF-8 */
    char *line; /* the row being built; converted and written at s_end_row */
    size_t len, cap;
    int failed;
} s_out_t;

static int s_out_open(s_out_t *o, const char *path, const char *encoding)
{
    memset(o, 0, sizeof *o);
    o->cd = (iconv_t)-1;
    if (encoding) {
        o->cd = iconv_open(encoding, "UTF-8");
        if (o->cd == (iconv_t)-1) {
            fprintf(stderr, "hallqctl stats: this system cannot convert to %s: %s\n", encoding,
                    strerror(errno));
            return -1;
        }
    }
    o->f = stdout;
    if (path && strcmp(path, "-") != 0) {
        o->f = fopen(path, "wb");
        if (!o->f) {
            fprintf(stderr, "hallqctl stats: cannot write %s: %s\n", path, strerror(errno));
            if (o->cd != (iconv_t)-1)
                iconv_close(o->cd);
            return -1;
        }
        o->close = 1;
    }
    return 0;
}

static void s_put(s_out_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void s_put(s_out_t *o, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n =
            vsnprintf(o->line ? o->line + o->len : NULL, o->line ? o->cap - o->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            o->failed = 1;
            return;
        }
        if (o->line && o->len + (size_t)n < o->cap) {
            o->len += (size_t)n;
            return;
        }
        size_t cap = o->cap ? o->cap * 2 : 4096;
        while (cap < o->len + (size_t)n + 1)
            cap *= 2;
        char *line = realloc(o->line, cap);
        if (!line) {
            o->failed = 1;
            return;
        }
        o->line = line;
        o->cap = cap;
    }
}

/* Writes what was built. Characters the target encoding lacks become '?', so one odd clerk
 * name does not lose the whole export. */
static void s_flush(s_out_t *o)
{
    if (!o->len)
        return;
    if (o->cd == (iconv_t)-1) {
        if (fwrite(o->line, 1, o->len, o->f) != o->len)
            o->failed = 1;
        o->len = 0;
        return;
    }
    char *in = o->line;
    size_t inleft = o->len;
    while (inleft > 0) {
        char buf[4096], *out = buf;
        size_t outleft = sizeof buf;
        size_t rc = iconv(o->cd, &in, &inleft, &out, &outleft);
        if (fwrite(buf, 1, (size_t)(out - buf), o->f) != (size_t)(out - buf))
            o->failed = 1;
        if (rc == (size_t)-1 && errno != E2BIG) {
            /* Skip one UTF-8 character: its lead byte tells its length. */
            unsigned char c = (unsigned char)*in;
            size_t skip = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            if (skip > inleft)
                skip = inleft;
            in += skip;
            inleft -= skip;
            fputc('?', o->f);
        }
    }
    o->len = 0;
}

static int s_out_close(s_out_t *o)
{
    s_flush(o);
    if (o->cd != (iconv_t)-1) {
        char buf[64], *out = buf;
        size_t left = sizeof buf;
        iconv(o->cd, NULL, NULL, &out, &left);
        fwrite(buf, 1, (size_t)(out - buf), o->f);
        iconv_close(o->cd);
    }
    if (fflush(o->f) != 0 || ferror(o->f))
        o->failed = 1;
    if (o->close && fclose(o->f) != 0)
        o->failed = 1;
    free(o->line);
    if (o->failed)
        fprintf(stderr, "hallqctl stats: writing the output failed: %s\n", strerror(errno));
    return o->failed ? -1 : 0;
}

/* ---- CSV cells --------------------------------------------------------------------------- */

/* RFC 4180 quoting. Free text (clerk ids, reasons) that a spreadsheet would take for a
 * formula gets a leading apostrophe: a clerk id is whatever was typed at login. */
static void s_csv_text(s_out_t *o, const char *s, int guard)
{
    s = s ? s : "";
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    const char *lead = guard && strchr("=+-@", s[0]) && s[0] ? "'" : "";
    if (!quote) {
        s_put(o, "%s%s", lead, s);
        return;
    }
    s_put(o, "\"%s", lead);
    for (; *s; s++)
        s_put(o, *s == '"' ? "\"\"" : "%c", *s);
    s_put(o, "\"");
}

static void s_csv_min(s_out_t *o, int64_t n, double ms)
{
    if (n > 0)
        s_put(o, ",%.2f", ms / 60000.0);
    else
        s_put(o, ",");
}

static double s_round(double v, double unit)
{
    return round(v / unit) * unit;
}

/* JSON minutes with two decimals, null when there is nothing to average. */
static json_t *s_json_min(int64_t n, double ms)
{
    return n > 0 ? json_real(s_round(ms / 60000.0, 0.01)) : json_null();
}

static json_t *s_json_pct(int64_t part, int64_t whole)
{
    return whole > 0 ? json_real(s_round(100.0 * (double)part / (double)whole, 0.1)) : json_null();
}

/* ---- export ------------------------------------------------------------------------------ */

static const char *s_by_heading(int by, int en)
{
    static const char *const zh[STATS_BY_COUNT_] = {"范围", "日期",   "时段", "星期", "队列",
                                                    "窗口", "经办人", "事项", "类别"};
    static const char *const eng[STATS_BY_COUNT_] = {
        "scope", "day", "hour", "weekday", "queue", "counter", "clerk", "service", "lane"};
    return en ? eng[by] : zh[by];
}

/* The name of a queue or service for the group key, "" otherwise. */
static const char *s_group_name(const hallq_config_t *cfg, int by, const stats_group_t *g)
{
    if (by == STATS_BY_QUEUE) {
        const cfg_queue_t *q = config_queue(cfg, g->key[0]);
        return q ? q->name : "";
    }
    if (by == STATS_BY_SERVICE && !g->none) {
        const cfg_service_t *s = config_service(cfg, atoi(g->key));
        return s ? s->sub_item : "";
    }
    return "";
}

static const char *const s_cols_en[] = {"issued",
                                        "called",
                                        "served",
                                        "no_show",
                                        "expired",
                                        "transferred",
                                        "wait_mean_min",
                                        "wait_median_min",
                                        "wait_p90_min",
                                        "wait_max_min",
                                        "handling_n",
                                        "handling_mean_min",
                                        "handling_median_min",
                                        "handling_p90_min",
                                        "instant_n",
                                        "instant_mean_min",
                                        "instant_median_min",
                                        "instant_p90_min",
                                        "instant_within",
                                        "instant_within_pct",
                                        "green",
                                        "green_pct",
                                        "green_wait_mean_min",
                                        "normal_wait_mean_min",
                                        "rated",
                                        "rating_mean",
                                        "satisfied_pct"};
static const char *const s_cols_zh[] = {"取号",
                                        "已叫号",
                                        "办结",
                                        "过号",
                                        "过期未办",
                                        "转办",
                                        "平均等候(分钟)",
                                        "等候中位数(分钟)",
                                        "等候P90(分钟)",
                                        "最长等候(分钟)",
                                        "办结件数",
                                        "平均办理(分钟)",
                                        "办理中位数(分钟)",
                                        "办理P90(分钟)",
                                        "即时办件数",
                                        "即时平均办理(分钟)",
                                        "即时办理中位数(分钟)",
                                        "即时办理P90(分钟)",
                                        "按时办结数",
                                        "按时办结率(%)",
                                        "绿色通道",
                                        "绿色通道占比(%)",
                                        "绿色通道平均等候(分钟)",
                                        "普通平均等候(分钟)",
                                        "评价数",
                                        "评价均分",
                                        "满意率(%)"};
#define S_NCOLS (sizeof s_cols_en / sizeof s_cols_en[0])

static void s_csv_group(s_out_t *o, const stats_group_t *g)
{
    s_put(o, ",%lld,%lld,%lld,%lld,%lld,%lld", (long long)g->issued, (long long)g->called,
          (long long)g->served, (long long)g->no_show, (long long)g->expired,
          (long long)g->transferred);
    s_csv_min(o, g->wait.n, g->wait.mean_ms);
    s_csv_min(o, g->wait.n, g->wait.median_ms);
    s_csv_min(o, g->wait.n, g->wait.p90_ms);
    s_csv_min(o, g->wait.n, (double)g->wait.max_ms);
    s_put(o, ",%lld", (long long)g->handling.n);
    s_csv_min(o, g->handling.n, g->handling.mean_ms);
    s_csv_min(o, g->handling.n, g->handling.median_ms);
    s_csv_min(o, g->handling.n, g->handling.p90_ms);
    s_put(o, ",%lld", (long long)g->instant.n);
    s_csv_min(o, g->instant.n, g->instant.mean_ms);
    s_csv_min(o, g->instant.n, g->instant.median_ms);
    s_csv_min(o, g->instant.n, g->instant.p90_ms);
    s_put(o, ",%lld", (long long)g->instant_within);
    if (g->instant.n)
        s_put(o, ",%.1f", 100.0 * (double)g->instant_within / (double)g->instant.n);
    else
        s_put(o, ",");
    s_put(o, ",%lld,%.1f", (long long)g->green, 100.0 * (double)g->green / (double)g->issued);
    s_csv_min(o, g->green_waited, g->green_wait_mean_ms);
    s_csv_min(o, g->normal_waited, g->normal_wait_mean_ms);
    s_put(o, ",%lld", (long long)g->rated);
    if (g->rated)
        s_put(o, ",%.2f,%.1f", (double)g->rating_sum / (double)g->rated,
              100.0 * (double)(g->ratings[3] + g->ratings[4]) / (double)g->rated);
    else
        s_put(o, ",,");
    s_put(o, "\r\n");
}

static json_t *s_json_group(const hallq_config_t *cfg, int by, const stats_group_t *g)
{
    json_t *j = json_object();
    json_object_set_new(j, "key", g->none ? json_null() : json_string(g->key));
    if (by == STATS_BY_QUEUE || by == STATS_BY_SERVICE)
        json_object_set_new(j, "name", json_string(s_group_name(cfg, by, g)));
    json_object_set_new(j, "issued", json_integer(g->issued));
    json_object_set_new(j, "called", json_integer(g->called));
    json_object_set_new(j, "served", json_integer(g->served));
    json_object_set_new(j, "no_show", json_integer(g->no_show));
    json_object_set_new(j, "expired", json_integer(g->expired));
    json_object_set_new(j, "transferred", json_integer(g->transferred));
    json_object_set_new(j, "wait_mean_min", s_json_min(g->wait.n, g->wait.mean_ms));
    json_object_set_new(j, "wait_median_min", s_json_min(g->wait.n, g->wait.median_ms));
    json_object_set_new(j, "wait_p90_min", s_json_min(g->wait.n, g->wait.p90_ms));
    json_object_set_new(j, "wait_max_min", s_json_min(g->wait.n, (double)g->wait.max_ms));
    json_object_set_new(j, "handling_n", json_integer(g->handling.n));
    json_object_set_new(j, "handling_mean_min", s_json_min(g->handling.n, g->handling.mean_ms));
    json_object_set_new(j, "handling_median_min", s_json_min(g->handling.n, g->handling.median_ms));
    json_object_set_new(j, "handling_p90_min", s_json_min(g->handling.n, g->handling.p90_ms));
    json_object_set_new(j, "instant_n", json_integer(g->instant.n));
    json_object_set_new(j, "instant_mean_min", s_json_min(g->instant.n, g->instant.mean_ms));
    json_object_set_new(j, "instant_median_min", s_json_min(g->instant.n, g->instant.median_ms));
    json_object_set_new(j, "instant_p90_min", s_json_min(g->instant.n, g->instant.p90_ms));
    json_object_set_new(j, "instant_within", json_integer(g->instant_within));
    json_object_set_new(j, "instant_within_pct", s_json_pct(g->instant_within, g->instant.n));
    json_object_set_new(j, "green", json_integer(g->green));
    json_object_set_new(j, "green_pct", s_json_pct(g->green, g->issued));
    json_object_set_new(j, "green_wait_mean_min",
                        s_json_min(g->green_waited, g->green_wait_mean_ms));
    json_object_set_new(j, "normal_wait_mean_min",
                        s_json_min(g->normal_waited, g->normal_wait_mean_ms));
    json_object_set_new(j, "rated", json_integer(g->rated));
    json_object_set_new(j, "rating_mean",
                        g->rated
                            ? json_real(s_round((double)g->rating_sum / (double)g->rated, 0.01))
                            : json_null());
    json_object_set_new(j, "satisfied_pct", s_json_pct(g->ratings[3] + g->ratings[4], g->rated));
    json_t *levels = json_array();
    for (int i = 0; i < 5; i++)
        json_array_append_new(levels, json_integer(g->ratings[i]));
    json_object_set_new(j, "ratings_1_to_5", levels);
    return j;
}

static void s_local_time(int64_t ms, char *out, size_t n)
{
    if (!ms) {
        out[0] = '\0';
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
}

typedef struct {
    s_out_t *out;
    const hallq_config_t *cfg;
    int json;
    int en;
    size_t n;
} s_rec_ctx_t;

/* Ticket states and the weekday and lane keys as a Chinese office reads them. */
static const char *s_state_zh(const char *state)
{
    static const char *const names[][2] = {
        {"waiting", "等候中"},  {"called", "已叫号"}, {"serving", "办理中"},  {"parked", "挂起"},
        {"finished", "已办结"}, {"no_show", "过号"},  {"expired", "过期未办"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(state, names[i][0]) == 0)
            return names[i][1];
    return state;
}

static const char *s_key_zh(int by, const char *key)
{
    static const char *const days[][2] = {{"Mon", "周一"}, {"Tue", "周二"}, {"Wed", "周三"},
                                          {"Thu", "周四"}, {"Fri", "周五"}, {"Sat", "周六"},
                                          {"Sun", "周日"}};
    if (by == STATS_BY_LANE)
        return strcmp(key, "green") == 0 ? "绿色通道" : "普通";
    if (by == STATS_BY_WEEKDAY)
        for (size_t i = 0; i < 7; i++)
            if (strcmp(key, days[i][0]) == 0)
                return days[i][1];
    return key;
}

static const char *s_service_name(const hallq_config_t *cfg, int no)
{
    const cfg_service_t *s = no ? config_service(cfg, no) : NULL;
    return s ? s->sub_item : "";
}

static json_t *s_json_ms(int64_t ms)
{
    return ms ? json_integer(ms) : json_null();
}

static int s_record(const stats_record_t *r, void *arg)
{
    s_rec_ctx_t *c = arg;
    s_out_t *o = c->out;
    char issued[32], called[32], started[32], finished[32];
    if (c->json) {
        json_t *j = json_object();
        json_object_set_new(j, "id", json_integer(r->id));
        json_object_set_new(j, "day", json_string(r->t.day));
        json_object_set_new(j, "label", json_string(r->label));
        json_object_set_new(j, "queue", json_sprintf("%c", r->t.queue));
        json_object_set_new(j, "prefix", json_sprintf("%c", r->prefix));
        json_object_set_new(j, "service", r->t.service ? json_integer(r->t.service) : json_null());
        json_object_set_new(j, "service_name", json_string(s_service_name(c->cfg, r->t.service)));
        json_object_set_new(j, "instant", json_boolean(r->t.instant));
        json_object_set_new(j, "lane", json_string(r->t.green ? "green" : "normal"));
        json_object_set_new(j, "age_band", r->age_band[0] ? json_string(r->age_band) : json_null());
        json_object_set_new(j, "state", json_string(r->t.state));
        json_object_set_new(j, "issued_ms", s_json_ms(r->t.issued_ms));
        json_object_set_new(j, "called_ms", s_json_ms(r->t.called_ms));
        json_object_set_new(j, "started_ms", s_json_ms(r->t.started_ms));
        json_object_set_new(j, "finished_ms", s_json_ms(r->t.finished_ms));
        json_object_set_new(j, "wait_min",
                            s_json_min(r->times.wait_ms >= 0, (double)r->times.wait_ms));
        json_object_set_new(j, "handling_min",
                            s_json_min(r->times.handling_ms >= 0, (double)r->times.handling_ms));
        json_object_set_new(j, "park_min", json_real(s_round(r->t.park_total_ms / 60000.0, 0.01)));
        json_object_set_new(j, "calls", json_integer(r->calls));
        json_object_set_new(j, "counter", r->t.counter ? json_integer(r->t.counter) : json_null());
        json_object_set_new(j, "clerk", r->t.clerk[0] ? json_string(r->t.clerk) : json_null());
        json_object_set_new(j, "reason", r->reason[0] ? json_string(r->reason) : json_null());
        json_object_set_new(j, "rating", r->t.rating ? json_integer(r->t.rating) : json_null());
        json_object_set_new(j, "transfers", json_integer(r->t.transfers));
        char *text = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12));
        json_decref(j);
        if (!text)
            return -1;
        s_put(o, "%s%s", c->n ? ",\n  " : "\n  ", text);
        free(text);
    } else {
        s_local_time(r->t.issued_ms, issued, sizeof issued);
        s_local_time(r->t.called_ms, called, sizeof called);
        s_local_time(r->t.started_ms, started, sizeof started);
        s_local_time(r->t.finished_ms, finished, sizeof finished);
        s_put(o, "%lld,%s,%s,%c,%c,", (long long)r->id, r->t.day, r->label, r->t.queue, r->prefix);
        if (r->t.service)
            s_put(o, "%d", r->t.service);
        s_put(o, ",");
        s_csv_text(o, s_service_name(c->cfg, r->t.service), 0);
        s_put(o, ",%d,%s,%s,%s,%s,%s,%s,%s", r->t.instant,
              r->t.green ? (c->en ? "green" : "绿色通道") : (c->en ? "normal" : "普通"),
              r->age_band, c->en ? r->t.state : s_state_zh(r->t.state), issued, called, started,
              finished);
        s_csv_min(o, r->times.wait_ms >= 0, (double)r->times.wait_ms);
        s_csv_min(o, r->times.handling_ms >= 0, (double)r->times.handling_ms);
        s_put(o, ",%.2f,%d,", r->t.park_total_ms / 60000.0, r->calls);
        if (r->t.counter)
            s_put(o, "%d", r->t.counter);
        s_put(o, ",");
        s_csv_text(o, r->t.clerk, 1);
        s_put(o, ",");
        s_csv_text(o, r->reason, 1);
        s_put(o, ",");
        if (r->t.rating)
            s_put(o, "%d", r->t.rating);
        s_put(o, ",%d\r\n", r->t.transfers);
    }
    c->n++;
    s_flush(o);
    return o->failed ? -1 : 0;
}

static void s_csv_record_header(s_out_t *o, int en)
{
    if (en)
        s_put(o, "id,day,label,queue,prefix,service,service_name,instant,lane,age_band,state,"
                 "issued,called,started,finished,wait_min,handling_min,park_min,calls,counter,"
                 "clerk,reason,rating,transfers\r\n");
    else
        s_put(o,
              "序号,日期,票号,队列,原队列,事项编号,事项名称,即时办件,类别,年龄段,状态,"
              "取号时间,叫号时间,开始办理,办结时间,等候(分钟),办理(分钟),挂起(分钟),叫号次数,窗口,"
              "经办人,叫号原因,评价,转办次数\r\n");
}

static int s_export(const s_opts_t *o, const hallq_config_t *cfg, stats_db_t *db)
{
    int json = o->format == S_FMT_JSON;
    if (o->format == S_FMT_TEXT)
        return s_usage_error("export writes csv or json");
    if (json && (o->bom || o->encoding))
        return s_usage_error("JSON is always UTF-8 without a byte order mark");
    if (o->bom && o->encoding)
        return s_usage_error("--bom marks UTF-8; GBK has no byte order mark");
    char why[512];
    stats_hist_t *h = NULL;
    stats_group_t *groups = NULL, *total = NULL;
    size_t n = 0, ntotal = 0;
    /* CSV with --records is the ticket list only; the groups are not needed. */
    if (json || !o->records) {
        h = stats_db_load(db, cfg, o->from, o->to, why, sizeof why);
        if (!h) {
            fprintf(stderr, "hallqctl stats: %s\n", why);
            return S_FAILED;
        }
        if (stats_group(h, (stats_by_t)o->by, &groups, &n) != 0 ||
            stats_group(h, STATS_BY_ALL, &total, &ntotal) != 0) {
            fprintf(stderr, "hallqctl stats: out of memory grouping %zu tickets\n",
                    stats_hist_count(h));
            stats_hist_destroy(&h);
            free(groups);
            return S_FAILED;
        }
    }
    s_out_t out;
    if (s_out_open(&out, o->out, o->encoding) != 0) {
        stats_hist_destroy(&h);
        free(groups);
        free(total);
        return S_FAILED;
    }
    int rc = S_OK;
    if (json) {
        char first[HQ_DATE_TEXT_MAX], last[HQ_DATE_TEXT_MAX];
        stats_hist_days(h, first, last);
        json_t *doc = json_object();
        json_object_set_new(doc, "from",
                            o->from    ? json_string(o->from)
                            : first[0] ? json_string(first)
                                       : json_null());
        json_object_set_new(doc, "to",
                            o->to     ? json_string(o->to)
                            : last[0] ? json_string(last)
                                      : json_null());
        json_object_set_new(doc, "by", json_string(stats_by_name((stats_by_t)o->by)));
        json_object_set_new(doc, "target_min",
                            json_real(s_round(stats_hist_target_ms(h) / 60000.0, 0.01)));
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, s_json_group(cfg, o->by, &groups[i]));
        json_object_set_new(doc, "groups", arr);
        json_object_set_new(doc, "total",
                            ntotal ? s_json_group(cfg, STATS_BY_ALL, &total[0]) : json_null());
        char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
        json_decref(doc);
        if (!text) {
            fprintf(stderr, "hallqctl stats: out of memory\n");
            rc = S_FAILED;
        } else if (!o->records) {
            s_put(&out, "%s\n", text);
        } else {
            /* The records go in as the document's last member, written as they are read so
             * a year of tickets never sits in memory as JSON. */
            size_t len = strlen(text);
            while (len && text[len - 1] != '}')
                len--;
            if (len)
                len--; /* the document's closing brace */
            while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
                len--;
            s_put(&out, "%.*s,\n  \"records\": [", (int)len, text);
            s_flush(&out);
            s_rec_ctx_t ctx = {&out, cfg, 1, o->lang_en, 0};
            if (stats_db_records(db, cfg, o->from, o->to, s_record, &ctx, why, sizeof why) != 0) {
                fprintf(stderr, "hallqctl stats: %s\n", why);
                rc = S_FAILED;
            }
            s_put(&out, "\n  ]\n}\n");
        }
        free(text);
    } else if (o->records) {
        if (o->bom)
            s_put(&out, "\xEF\xBB\xBF");
        s_csv_record_header(&out, o->lang_en);
        s_flush(&out);
        s_rec_ctx_t ctx = {&out, cfg, 0, o->lang_en, 0};
        if (stats_db_records(db, cfg, o->from, o->to, s_record, &ctx, why, sizeof why) != 0) {
            fprintf(stderr, "hallqctl stats: %s\n", why);
            rc = S_FAILED;
        }
    } else {
        if (o->bom)
            s_put(&out, "\xEF\xBB\xBF");
        int named = o->by == STATS_BY_QUEUE || o->by == STATS_BY_SERVICE;
        s_put(&out, "%s", s_by_heading(o->by, o->lang_en));
        if (named)
            s_put(&out, ",%s", o->lang_en ? "name" : "名称");
        for (size_t i = 0; i < S_NCOLS; i++)
            s_put(&out, ",%s", o->lang_en ? s_cols_en[i] : s_cols_zh[i]);
        s_put(&out, "\r\n");
        for (size_t i = 0; i < n && o->by != STATS_BY_ALL; i++) {
            s_csv_text(&out, o->lang_en ? groups[i].key : s_key_zh(o->by, groups[i].key), 1);
            if (named) {
                s_put(&out, ",");
                s_csv_text(&out, s_group_name(cfg, o->by, &groups[i]), 0);
            }
            s_csv_group(&out, &groups[i]);
            s_flush(&out);
        }
        if (ntotal) {
            s_put(&out, "%s", o->lang_en ? "total" : "合计");
            if (named)
                s_put(&out, ",");
            s_csv_group(&out, &total[0]);
        }
    }
    if (s_out_close(&out) != 0)
        rc = S_FAILED;
    stats_hist_destroy(&h);
    free(groups);
    free(total);
    return rc;
}

/* ---- metric ------------------------------------------------------------------------------ */

typedef struct {
    const s_opts_t *o;
    s_out_t *out;
    json_t *arr;
    int64_t entries, alerts, target_ms;
    int64_t last_ts;  /* the last hall entry */
    int64_t shown_ts; /* the entry printed last */
    char last_hall[160];
} s_metric_ctx_t;

static void s_clock(int64_t ms, char *out, size_t n)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, n, "%H:%M:%S", &tm);
}

static void s_pad(s_out_t *o, const char *text, int cols)
{
    char buf[256];
    hq_text_fit(text, cols, 1, buf, sizeof buf);
    s_put(o, "%s", buf);
}

static int s_metric(const stats_metric_t *m, void *arg)
{
    s_metric_ctx_t *c = arg;
    const s_opts_t *o = c->o;
    if (o->scope && strcmp(o->scope, m->scope) != 0)
        return 0;
    if (o->alerts_only && !m->above)
        return 0;
    c->entries++;
    c->alerts += m->above;
    c->target_ms = m->target_ms;
    char clock[16], avg[32], max[32];
    s_clock(m->ts_ms, clock, sizeof clock);
    hq_text_duration(m->avg_ms, avg, sizeof avg);
    hq_text_duration(m->max_ms, max, sizeof max);
    if (strcmp(m->scope, "hall") == 0) {
        c->last_ts = m->ts_ms;
        snprintf(c->last_hall, sizeof c->last_hall, "%lld / %s / %s", (long long)m->count, avg,
                 max);
    }
    if (o->format == S_FMT_JSON) {
        json_array_append_new(
            c->arr, json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:o, s:I, s:I, s:b}", "ts_ms",
                              (json_int_t)m->ts_ms, "time", clock, "scope", m->scope, "key", m->key,
                              "count", (json_int_t)m->count, "avg_ms", (json_int_t)m->avg_ms,
                              "within", (json_int_t)m->within, "within_pct",
                              s_json_pct(m->within, m->count), "max_ms", (json_int_t)m->max_ms,
                              "target_ms", (json_int_t)m->target_ms, "above", m->above));
        return 0;
    }
    if (o->format == S_FMT_CSV) {
        s_put(c->out, "%s,%s,%s,%s,%lld", m->day, clock, m->scope, m->key, (long long)m->count);
        s_csv_min(c->out, m->count, (double)m->avg_ms);
        s_put(c->out, ",%lld", (long long)m->within);
        if (m->count)
            s_put(c->out, ",%.1f", 100.0 * (double)m->within / (double)m->count);
        else
            s_put(c->out, ",");
        s_csv_min(c->out, m->count, (double)m->max_ms);
        s_put(c->out, ",%.2f,%d\r\n", m->target_ms / 60000.0, m->above);
        s_flush(c->out);
        return 0;
    }
    int en = o->lang_en;
    char who[64];
    if (strcmp(m->scope, "hall") == 0)
        snprintf(who, sizeof who, "%s", en ? "hall" : "全厅");
    else if (strcmp(m->scope, "queue") == 0)
        snprintf(who, sizeof who, en ? "queue %s" : "%s 队列", m->key);
    else
        snprintf(who, sizeof who, en ? "window %s" : "%s号窗口", m->key);
    if (c->shown_ts && c->shown_ts != m->ts_ms)
        s_put(c->out, "\n"); /* one block per logging */
    c->shown_ts = m->ts_ms;
    s_put(c->out, "%s  ", clock);
    s_pad(c->out, who, 12);
    s_put(c->out, " %6lld  %8s  ", (long long)m->count, m->count ? avg : "-");
    if (m->count)
        s_put(c->out, "%6.1f%%", 100.0 * (double)m->within / (double)m->count);
    else
        s_put(c->out, "%7s", "-");
    s_put(c->out, "  %8s  %s\n", m->count ? max : "-",
          m->above ? (en ? "ALERT: above target" : "告警：超过目标") : "");
    s_flush(c->out);
    return 0;
}

static int s_metric_verb(const s_opts_t *o, stats_db_t *db)
{
    if (o->bom || o->encoding || o->records || o->from || o->to)
        return s_usage_error("metric takes --date, --scope, --alerts and --format");
    char today[HQ_DATE_TEXT_MAX];
    if (!o->date) {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
    }
    const char *day = o->date ? o->date : today;
    int fmt = o->format < 0 ? S_FMT_TEXT : o->format;
    s_opts_t oo = *o;
    oo.format = fmt;
    s_out_t out;
    if (s_out_open(&out, o->out, NULL) != 0)
        return S_FAILED;
    s_metric_ctx_t c;
    memset(&c, 0, sizeof c);
    c.o = &oo;
    c.out = &out;
    c.arr = fmt == S_FMT_JSON ? json_array() : NULL;
    int en = o->lang_en;
    if (fmt == S_FMT_CSV)
        s_put(
            &out, "%s\r\n",
            en ? "day,time,scope,key,count,avg_min,within,within_pct,max_min,target_min,above"
               : "日期,时间,范围,对象,件数,平均办理(分钟),按时办结数,按时办结率(%),最长办理(分钟),"
                 "目标(分钟),超标");
    else if (fmt == S_FMT_TEXT) {
        s_put(&out,
              en ? "Handling-time metric log of %s (instant items, running mean of the day)\n"
                 : "%s 即时办件办理时长指标记录（当日累计平均）\n",
              day);
        s_put(&out, "%s  ", en ? "time    " : "时间    ");
        s_pad(&out, en ? "scope" : "对象", 12);
        s_put(&out, " %s\n",
              en ? " count      mean  within    longest" : "  件数  平均办理  按时率    最长办理");
    }
    s_flush(&out);
    char why[512];
    int rc = stats_db_metrics(db, day, s_metric, &c, why, sizeof why);
    if (rc != 0)
        fprintf(stderr, "hallqctl stats: %s\n", why);
    if (fmt == S_FMT_JSON) {
        json_t *doc =
            json_pack("{s:s, s:I, s:I, s:o}", "day", day, "entries", (json_int_t)c.entries,
                      "alerts", (json_int_t)c.alerts, "log", c.arr);
        char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
        s_put(&out, "%s\n", text ? text : "{}");
        free(text);
        json_decref(doc);
    } else if (fmt == S_FMT_TEXT) {
        if (!c.entries)
            s_put(&out, en ? "no metric entries for %s\n" : "%s 没有指标记录\n", day);
        else {
            char target[32];
            hq_text_duration(c.target_ms, target, sizeof target);
            s_put(&out,
                  en ? "%lld entries, %lld above the target of %s.\n"
                     : "共 %lld 条记录，其中 %lld 条超过目标（%s）。\n",
                  (long long)c.entries, (long long)c.alerts, target);
            if (c.last_ts) {
                char clock[16];
                s_clock(c.last_ts, clock, sizeof clock);
                s_put(&out,
                      en ? "Hall at %s (count / mean / longest): %s\n"
                         : "全厅最后一次记录 %s（件数 / 平均 / 最长）：%s\n",
                      clock, c.last_hall);
            }
        }
    }
    if (s_out_close(&out) != 0)
        rc = -1;
    return rc == 0 ? S_OK : S_FAILED;
}

/* ---- report ------------------------------------------------------------------------------ */

static int s_report(const s_opts_t *o, const hallq_config_t *cfg, stats_db_t *db)
{
    if (!o->out)
        return s_usage_error("report needs --out FILE.html");
    if (o->format >= 0 || o->bom || o->encoding || o->records)
        return s_usage_error("report writes HTML; it takes --from, --to, --out, --lang, "
                             "--target-wait");
    char why[512];
    stats_hist_t *h = stats_db_load(db, cfg, o->from, o->to, why, sizeof why);
    if (!h) {
        fprintf(stderr, "hallqctl stats: %s\n", why);
        return S_FAILED;
    }
    static const stats_by_t bys[] = {STATS_BY_ALL,   STATS_BY_DAY,     STATS_BY_HOUR,
                                     STATS_BY_QUEUE, STATS_BY_COUNTER, STATS_BY_CLERK,
                                     STATS_BY_LANE};
    enum { NBY = sizeof bys / sizeof bys[0] };
    stats_group_t *g[NBY] = {0};
    size_t n[NBY] = {0};
    stats_staff_t *staff = malloc(STATS_WEEK_SLOTS * sizeof *staff);
    int rc = S_FAILED;
    char *html = NULL;
    if (!staff)
        goto done;
    for (int i = 0; i < NBY; i++)
        if (stats_group(h, bys[i], &g[i], &n[i]) != 0)
            goto done;
    if (stats_staffing(h, o->target_wait_min * 60000, o->max_windows, staff) != 0)
        goto done;
    static const stats_group_t empty;
    char first[HQ_DATE_TEXT_MAX], last[HQ_DATE_TEXT_MAX], generated[32];
    stats_hist_days(h, first, last);
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(generated, sizeof generated, "%Y-%m-%d %H:%M", &tm);
    report_input_t in;
    memset(&in, 0, sizeof in);
    in.lang = o->lang_en ? UI_LANG_EN : UI_LANG_ZH;
    in.hall_name = cfg->hall_name;
    in.from = o->from ? o->from : first[0] ? first : "-";
    in.to = o->to ? o->to : last[0] ? last : "-";
    in.generated = generated;
    in.target_ms = stats_hist_target_ms(h);
    in.total = n[0] ? &g[0][0] : &empty;
    report_groups_t *dst[] = {NULL,           &in.by_day,   &in.by_hour, &in.by_queue,
                              &in.by_counter, &in.by_clerk, &in.by_lane};
    for (int i = 1; i < NBY; i++) {
        dst[i]->g = g[i];
        dst[i]->n = n[i];
    }
    for (int i = 0; i < cfg->nqueues; i++)
        if (cfg->queues[i].prefix >= 'A' && cfg->queues[i].prefix <= 'Z')
            in.queue_names[cfg->queues[i].prefix - 'A'] = cfg->queues[i].name;
    in.staffing = staff;
    in.target_wait_ms = o->target_wait_min * 60000;
    html = report_html(&in);
    if (!html)
        goto done;
    s_out_t out;
    if (s_out_open(&out, o->out, NULL) != 0) {
        free(html);
        html = NULL;
        rc = S_FAILED;
        goto done_quiet;
    }
    s_put(&out, "%s", html);
    rc = s_out_close(&out) == 0 ? S_OK : S_FAILED;
    if (rc == S_OK && o->out && strcmp(o->out, "-") != 0)
        printf("%s\n", o->out);
    goto done_quiet;
done:
    fprintf(stderr, "hallqctl stats: out of memory building the report of %zu tickets\n",
            stats_hist_count(h));
done_quiet:
    free(html);
    free(staff);
    for (int i = 0; i < NBY; i++)
        free(g[i]);
    stats_hist_destroy(&h);
    return rc;
}

/* ---- staffing ---------------------------------------------------------------------------- */

static json_t *s_json_wait(double ms)
{
    return isinf(ms) || ms < 0 ? json_null() : json_real(s_round(ms / 60000.0, 0.01));
}

static int s_staffing_verb(const s_opts_t *o, const hallq_config_t *cfg, stats_db_t *db)
{
    if (o->bom || o->encoding || o->records)
        return s_usage_error("staffing takes --from, --to, --target-wait, --max-windows, --format");
    char why[512];
    stats_hist_t *h = stats_db_load(db, cfg, o->from, o->to, why, sizeof why);
    if (!h) {
        fprintf(stderr, "hallqctl stats: %s\n", why);
        return S_FAILED;
    }
    stats_staff_t *st = malloc(STATS_WEEK_SLOTS * sizeof *st);
    if (!st || stats_staffing(h, o->target_wait_min * 60000, o->max_windows, st) != 0) {
        fprintf(stderr, "hallqctl stats: out of memory\n");
        free(st);
        stats_hist_destroy(&h);
        return S_FAILED;
    }
    char first[HQ_DATE_TEXT_MAX], last[HQ_DATE_TEXT_MAX];
    stats_hist_days(h, first, last);
    const char *from = o->from ? o->from : first[0] ? first : "-";
    const char *to = o->to ? o->to : last[0] ? last : "-";
    int fmt = o->format < 0 ? S_FMT_TEXT : o->format, en = o->lang_en;
    static const char *const zh[7] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
    static const char *const eng[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    s_out_t out;
    if (s_out_open(&out, o->out, NULL) != 0) {
        free(st);
        stats_hist_destroy(&h);
        return S_FAILED;
    }
    /* Predicted against observed, weighted by citizens, over the hours whose windows were under
     * 90 % busy: there the steady state the formula describes is reached within the hour.
     * Near full load its wait grows without bound while a real hour ends first, so those
     * hours are counted apart (busy) rather than let one of them swamp the comparison. */
    double pred = 0, seen = 0, weight = 0, all_seen = 0, all_n = 0;
    int peak = 0, steady = 0, busy = 0;
    json_t *arr = fmt == S_FMT_JSON ? json_array() : NULL;
    if (fmt == S_FMT_CSV)
        s_put(&out, "%s\r\n",
              en ? "weekday,hour,days,arrivals,rate_per_hour,service_min,load_erlang,"
                   "windows_seen,windows_used,predicted_wait_min,observed_wait_min,"
                   "windows_needed,needed_wait_min,needed_p_wait"
                 : "星期,时段,天数,到达人数,每小时到达,每件占用(分钟),负荷(Erlang),实际窗口,"
                   "计算窗口,公式等候(分钟),实际等候(分钟),建议窗口,建议后等候(分钟),等候概率");
    else if (fmt == S_FMT_TEXT) {
        s_put(&out,
              en ? "Windows needed per hour of the week for a mean wait under %g min "
                   "(Erlang C), %s to %s\n"
                 : "一周各时段所需窗口数（目标：平均等候不超过 %g 分钟，Erlang C），%s 至 %s\n",
              o->target_wait_min, from, to);
        s_put(&out, "%s\n",
              en ? "day  hour   days  per hour  min/ticket  load   windows  "
                   "predicted  observed  needed  wait then  P(wait)"
                 : "星期 时段   天数  每小时到达  每件(分)  负荷   实际窗口  "
                   "公式等候  实际等候  建议窗口  建议后等候  等候概率");
    }
    s_flush(&out);
    for (int s = 0; s < STATS_WEEK_SLOTS; s++) {
        const stats_staff_t *x = &st[s];
        if (!x->arrivals)
            continue;
        if (x->windows_needed > peak)
            peak = x->windows_needed;
        all_seen += x->observed_wait_ms * (double)x->observed_n;
        all_n += (double)x->observed_n;
        if (x->load < 0.9 * x->windows_used && x->observed_n) {
            pred += x->predicted_wait_ms * (double)x->observed_n;
            seen += x->observed_wait_ms * (double)x->observed_n;
            weight += (double)x->observed_n;
            steady++;
        } else {
            busy++;
        }
        if (fmt == S_FMT_JSON) {
            json_t *j = json_object();
            json_object_set_new(j, "weekday", json_string(eng[x->weekday]));
            json_object_set_new(j, "hour", json_integer(x->hour));
            json_object_set_new(j, "days", json_integer(x->days));
            json_object_set_new(j, "arrivals", json_integer(x->arrivals));
            json_object_set_new(j, "open_hours", json_real(s_round(x->hours, 0.0001)));
            json_object_set_new(j, "rate_per_hour", json_real(s_round(x->rate_per_hour, 0.0001)));
            json_object_set_new(j, "service_min",
                                json_real(s_round(x->service_ms / 60000, 0.0001)));
            json_object_set_new(j, "load_erlang", json_real(s_round(x->load, 0.0001)));
            json_object_set_new(j, "windows_seen", json_real(s_round(x->windows_seen, 0.01)));
            json_object_set_new(j, "windows_used", json_integer(x->windows_used));
            json_object_set_new(j, "predicted_wait_min", s_json_wait(x->predicted_wait_ms));
            json_object_set_new(j, "observed_n", json_integer(x->observed_n));
            json_object_set_new(j, "observed_wait_min",
                                s_json_min(x->observed_n, x->observed_wait_ms));
            json_object_set_new(j, "windows_needed",
                                x->windows_needed >= 0 ? json_integer(x->windows_needed)
                                                       : json_null());
            json_object_set_new(j, "needed_wait_min",
                                x->windows_needed > 0 ? s_json_wait(x->needed_wait_ms)
                                                      : json_null());
            json_object_set_new(j, "needed_p_wait", json_real(s_round(x->needed_p_wait, 0.0001)));
            json_array_append_new(arr, j);
            continue;
        }
        char predicted[32], needed_wait[32];
        if (isinf(x->predicted_wait_ms))
            snprintf(predicted, sizeof predicted, "%s",
                     fmt == S_FMT_CSV ? ""
                     : en             ? "overload"
                                      : "超负荷");
        else
            snprintf(predicted, sizeof predicted, "%.2f", x->predicted_wait_ms / 60000);
        if (x->windows_needed > 0)
            snprintf(needed_wait, sizeof needed_wait, "%.2f", x->needed_wait_ms / 60000);
        else
            snprintf(needed_wait, sizeof needed_wait, "%s", fmt == S_FMT_CSV ? "" : "-");
        if (fmt == S_FMT_CSV) {
            s_put(&out, "%s,%02d,%d,%lld,%.2f,%.2f,%.3f,%.2f,%d,%s,",
                  en ? eng[x->weekday] : zh[x->weekday], x->hour, x->days, (long long)x->arrivals,
                  x->rate_per_hour, x->service_ms / 60000, x->load, x->windows_seen,
                  x->windows_used, predicted);
            if (x->observed_n)
                s_put(&out, "%.2f", x->observed_wait_ms / 60000);
            s_put(&out, ",");
            if (x->windows_needed >= 0)
                s_put(&out, "%d", x->windows_needed);
            s_put(&out, ",%s,%.4f\r\n", needed_wait, x->needed_p_wait);
        } else {
            char needed[16];
            if (x->windows_needed >= 0)
                snprintf(needed, sizeof needed, "%d", x->windows_needed);
            else
                snprintf(needed, sizeof needed, "> %d", o->max_windows);
            s_pad(&out, en ? eng[x->weekday] : zh[x->weekday], 4);
            s_put(&out,
                  " %02d:00  %4d  %9.1f  %10.1f  %5.1f  %5.1f(%d)  %9s  %8.1f  %6s  %9s  %6.0f%%\n",
                  x->hour, x->days, x->rate_per_hour, x->service_ms / 60000, x->load,
                  x->windows_seen, x->windows_used, predicted, x->observed_wait_ms / 60000, needed,
                  needed_wait, 100 * x->needed_p_wait);
        }
        s_flush(&out);
    }
    if (fmt == S_FMT_JSON) {
        json_t *doc = json_object();
        json_object_set_new(doc, "from", strcmp(from, "-") ? json_string(from) : json_null());
        json_object_set_new(doc, "to", strcmp(to, "-") ? json_string(to) : json_null());
        json_object_set_new(doc, "target_wait_min", json_real(o->target_wait_min));
        json_object_set_new(doc, "peak_windows_needed", json_integer(peak));
        json_object_set_new(doc, "observed_wait_mean_min",
                            all_n > 0 ? json_real(s_round(all_seen / all_n / 60000, 0.01))
                                      : json_null());
        json_object_set_new(doc, "steady_hours", json_integer(steady));
        json_object_set_new(doc, "busy_hours", json_integer(busy));
        json_object_set_new(doc, "steady_predicted_wait_min",
                            weight > 0 ? json_real(s_round(pred / weight / 60000, 0.01))
                                       : json_null());
        json_object_set_new(doc, "steady_observed_wait_min",
                            weight > 0 ? json_real(s_round(seen / weight / 60000, 0.01))
                                       : json_null());
        json_object_set_new(doc, "slots", arr);
        char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
        s_put(&out, "%s\n", text ? text : "{}");
        free(text);
        json_decref(doc);
    } else if (fmt == S_FMT_TEXT) {
        if (all_n <= 0)
            s_put(&out, en ? "no tickets in the period\n" : "期间内没有取号记录\n");
        else
            s_put(&out,
                  en ? "Mean wait observed: %.1f min. Peak need: %d windows.\n"
                     : "实际平均等候 %.1f 分钟；高峰时段需 %d 个窗口。\n",
                  all_seen / all_n / 60000, peak);
        if (weight > 0)
            s_put(
                &out,
                en ? "In the %d hours whose windows were under 90 %% busy the formula predicts "
                     "%.1f min at the windows open, against %.1f min observed; %d hours were "
                     "busier (queues building up or carried over: see the table).\n"
                   : "在窗口利用率低于 90%% 的 %d 个时段，按实际开放窗口数公式预测平均等候 %.1f "
                     "分钟，实际 %.1f 分钟；另有 %d 个时段接近满负荷（排队积压或延续，见上表）。\n",
                steady, pred / weight / 60000, seen / weight / 60000, busy);
    }
    int rc = s_out_close(&out) == 0 ? S_OK : S_FAILED;
    free(st);
    stats_hist_destroy(&h);
    return rc;
}

/* ---- entry --------------------------------------------------------------------------------- */

int hallqctl_stats_main(int argc, char **argv)
{
    s_opts_t o;
    int rc = s_parse(argc, argv, &o);
    if (rc != S_OK)
        return rc;
    int verb = strcmp(o.verb, "export") == 0     ? 0
               : strcmp(o.verb, "metric") == 0   ? 1
               : strcmp(o.verb, "report") == 0   ? 2
               : strcmp(o.verb, "staffing") == 0 ? 3
                                                 : -1;
    if (verb < 0)
        return s_usage_error("unknown stats verb '%s'", o.verb);
    if (verb == 0 && o.format < 0)
        o.format = S_FMT_CSV;
    hallq_config_t cfg;
    char why[512];
    if (config_default(&cfg, why, sizeof why) != 0 ||
        (o.config && config_load_file(&cfg, o.config, why, sizeof why) != 0)) {
        fprintf(stderr, "hallqctl stats: %s\n", why);
        config_free(&cfg);
        return S_USAGE;
    }
    char tzwhy[200];
    if (hq_text_timezone(cfg.timezone, tzwhy, sizeof tzwhy) != 0) {
        fprintf(stderr, "hallqctl stats: %s (set [hall] timezone)\n", tzwhy);
        config_free(&cfg);
        return S_USAGE;
    }
    stats_db_t *db = stats_db_open(o.data_dir, why, sizeof why);
    if (!db) {
        fprintf(stderr, "hallqctl stats: %s\n", why);
        config_free(&cfg);
        return S_FAILED;
    }
    switch (verb) {
    case 0:
        rc = s_export(&o, &cfg, db);
        break;
    case 1:
        rc = s_metric_verb(&o, db);
        break;
    case 2:
        rc = s_report(&o, &cfg, db);
        break;
    default:
        rc = s_staffing_verb(&o, &cfg, db);
        break;
    }
    stats_db_close(&db);
    config_free(&cfg);
    return rc;
}
