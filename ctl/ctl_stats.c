/* hallqctl stats: the manager's figures, read straight from the hall's database (read only,
 * no daemon needed, never blocking it): export, the 10-minute metric log, the HTML report
 * and staffing advice. This file parses the options and runs the verb; each verb is its
 * own file (ctl_stats_verbs.h). */
#include "ctl_stats.h"

#include "ctl_stats_verbs.h"
#include "hq_text.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
};

enum { S_HELP = -1 }; /* s_parse: --help was asked for */

/* An option with a value: 0 taken, or the exit status of a usage error. */
static int s_option(ctl_stats_opts_t *o, const char *a, const char *v)
{
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
        o->format = strcmp(v, "csv") == 0    ? CTL_FMT_CSV
                    : strcmp(v, "json") == 0 ? CTL_FMT_JSON
                    : strcmp(v, "text") == 0 ? CTL_FMT_TEXT
                                             : -2;
        if (o->format == -2)
            return ctl_stats_usage_error("--format is csv, json or text, not '%s'", v);
    } else if (strcmp(a, "--by") == 0) {
        o->by = stats_by_parse(v);
        if (o->by < 0)
            return ctl_stats_usage_error("--by takes day, hour, weekday, queue, counter, clerk, "
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
            return ctl_stats_usage_error("--encoding is utf-8, gbk or gb18030, not '%s'", v);
    } else if (strcmp(a, "--lang") == 0) {
        if (ui_lang_parse(v, &o->lang) != 0)
            return ctl_stats_usage_error("--lang is zh or en, not '%s'", v);
    } else if (strcmp(a, "--target-wait") == 0) {
        char *end;
        o->target_wait_min = strtod(v, &end);
        if (*end || end == v || !(o->target_wait_min > 0) || o->target_wait_min > 1440)
            return ctl_stats_usage_error("--target-wait takes minutes (0 < MIN <= 1440), not '%s'",
                                         v);
    } else if (strcmp(a, "--max-windows") == 0) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || end == v || n < 1 || n > 9999)
            return ctl_stats_usage_error("--max-windows takes 1 to 9999, not '%s'", v);
        o->max_windows = (int)n;
    } else {
        return ctl_stats_usage_error("unknown option '%s'", a);
    }
    return CTL_STATS_OK;
}

/* What the options say together. */
static int s_check(const ctl_stats_opts_t *o)
{
    const char *days[3] = {o->from, o->to, o->date};
    for (int i = 0; i < 3; i++)
        if (days[i] && hq_date_parse_days(days[i]) < 0)
            return ctl_stats_usage_error("'%s' is not a date like 2024-03-01", days[i]);
    if (o->from && o->to && strcmp(o->from, o->to) > 0)
        return ctl_stats_usage_error("--from %s is after --to", o->from);
    if (o->scope && strcmp(o->scope, "hall") && strcmp(o->scope, "queue") &&
        strcmp(o->scope, "counter"))
        return ctl_stats_usage_error("--scope is hall, queue or counter, not '%s'", o->scope);
    return CTL_STATS_OK;
}

/* CTL_STATS_OK, S_HELP, or the exit status of a usage error. */
static int s_parse(int argc, char **argv, ctl_stats_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->data_dir = getenv("HALLQ_DATA") ? getenv("HALLQ_DATA") : "hallq-data";
    o->format = -1;
    o->by = STATS_BY_DAY;
    o->lang = UI_LANG_ZH;
    o->target_wait_min = 15;
    o->max_windows = 999;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return S_HELP;
        if (strcmp(a, "--json") == 0)
            o->format = CTL_FMT_JSON;
        else if (strcmp(a, "--records") == 0)
            o->records = 1;
        else if (strcmp(a, "--bom") == 0)
            o->bom = 1;
        else if (strcmp(a, "--alerts") == 0)
            o->alerts_only = 1;
        else if (a[0] == '-' && a[1] == '-') {
            if (!v)
                return ctl_stats_usage_error("%s needs a value", a);
            int rc = s_option(o, a, v);
            if (rc != CTL_STATS_OK)
                return rc;
            i++;
        } else if (!o->verb) {
            o->verb = a;
        } else {
            return ctl_stats_usage_error("unexpected '%s'", a);
        }
    }
    if (!o->verb) {
        fputs(s_help, stderr);
        return CTL_STATS_USAGE;
    }
    return s_check(o);
}

stats_hist_t *ctl_stats_load(const ctl_stats_opts_t *o, const hallq_config_t *cfg, stats_db_t *db)
{
    char why[512];
    stats_hist_t *h = stats_db_load(db, cfg, o->from, o->to, why, sizeof why);
    if (!h)
        fprintf(stderr, "hallqctl stats: %s\n", why);
    return h;
}

int hallqctl_stats_main(int argc, char **argv)
{
    ctl_stats_opts_t o;
    int rc = s_parse(argc, argv, &o);
    if (rc == S_HELP) {
        fputs(s_help, stdout);
        return CTL_STATS_OK;
    }
    if (rc != CTL_STATS_OK)
        return rc;
    size_t verb = 0;
    while (verb < sizeof s_verbs / sizeof s_verbs[0] && strcmp(o.verb, s_verbs[verb].name) != 0)
        verb++;
    if (verb == sizeof s_verbs / sizeof s_verbs[0])
        return ctl_stats_usage_error("unknown stats verb '%s'", o.verb);
    if (o.format < 0)
        o.format = s_verbs[verb].format;
    hallq_config_t cfg;
    char why[512];
    if (config_default(&cfg, why, sizeof why) != 0 ||
        (o.config && config_load_file(&cfg, o.config, why, sizeof why) != 0)) {
        fprintf(stderr, "hallqctl stats: %s\n", why);
        config_free(&cfg);
        return CTL_STATS_USAGE;
    }
    char tzwhy[200];
    if (hq_text_timezone(cfg.timezone, tzwhy, sizeof tzwhy) != 0) {
        fprintf(stderr, "hallqctl stats: %s (set [hall] timezone)\n", tzwhy);
        config_free(&cfg);
        return CTL_STATS_USAGE;
    }
    stats_db_t *db = stats_db_open(o.data_dir, why, sizeof why);
    if (!db) {
        fprintf(stderr, "hallqctl stats: %s\n", why);
        config_free(&cfg);
        return CTL_STATS_FAILED;
    }
    rc = s_verbs[verb].run(&o, &cfg, db);
    stats_db_close(&db);
    config_free(&cfg);
    return rc;
}
