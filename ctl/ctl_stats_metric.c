/* `hallqctl stats metric`: the daemon's 10-minute metric log of one business day, as a
 * table for people, CSV or JSON, with the entries above the target marked. */
#include "ctl_stats_verbs.h"

#include "hq_text.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const ctl_stats_opts_t *o;
    int format;
    ctl_out_t *out;
    json_t *arr;
    int64_t entries, alerts, target_ms;
    int64_t last_ts;  /* the last hall entry */
    int64_t shown_ts; /* the entry printed last */
    char last_hall[160];
} s_metric_ctx_t;

static void s_json_entry(s_metric_ctx_t *c, const stats_metric_t *m, const char *clock)
{
    json_array_append_new(
        c->arr,
        json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:o, s:I, s:I, s:b}", "ts_ms",
                  (json_int_t)m->ts_ms, "time", clock, "scope", m->scope, "key", m->key, "count",
                  (json_int_t)m->count, "avg_ms", (json_int_t)m->avg_ms, "within",
                  (json_int_t)m->within, "within_pct", ctl_json_pct(m->within, m->count), "max_ms",
                  (json_int_t)m->max_ms, "target_ms", (json_int_t)m->target_ms, "above", m->above));
}

/* The scope in the output's language: "hall", "queue", "counter" as the log has them. */
static const char *s_scope_text(const ctl_out_t *out, const char *scope)
{
    if (strcmp(scope, "hall") == 0)
        return ctl_text(out->lang, CTL_T_METRIC_SCOPE_HALL);
    if (strcmp(scope, "queue") == 0)
        return ctl_text(out->lang, CTL_T_METRIC_SCOPE_QUEUE);
    if (strcmp(scope, "counter") == 0)
        return ctl_text(out->lang, CTL_T_METRIC_SCOPE_COUNTER);
    return scope;
}

static void s_csv_entry(ctl_out_t *out, const stats_metric_t *m, const char *clock)
{
    ctl_out_printf(out, "%s,%s,%s,%s,%lld", m->day, clock, s_scope_text(out, m->scope), m->key,
                   (long long)m->count);
    ctl_csv_min(out, m->count, (double)m->avg_ms);
    ctl_out_printf(out, ",%lld", (long long)m->within);
    if (m->count)
        ctl_out_printf(out, ",%.1f", 100.0 * (double)m->within / (double)m->count);
    else
        ctl_out_puts(out, ",");
    ctl_csv_min(out, m->count, (double)m->max_ms);
    ctl_out_printf(out, ",%.2f,%d\r\n", m->target_ms / 60000.0, m->above);
}

/* One line for people: time, who, count, mean, share within, longest, the alert. */
static void s_text_entry(s_metric_ctx_t *c, const stats_metric_t *m, const char *clock,
                         const char *avg, const char *max)
{
    ctl_out_t *out = c->out;
    char who[64];
    ctl_text_id_t id = strcmp(m->scope, "hall") == 0    ? CTL_T_METRIC_HALL
                       : strcmp(m->scope, "queue") == 0 ? CTL_T_METRIC_QUEUE
                                                        : CTL_T_METRIC_WINDOW;
    snprintf(who, sizeof who, ctl_text(out->lang, id), m->key);
    if (c->shown_ts && c->shown_ts != m->ts_ms)
        ctl_out_puts(out, "\n"); /* one block per logging */
    c->shown_ts = m->ts_ms;
    ctl_out_printf(out, "%s  ", clock);
    ctl_out_pad(out, who, 12);
    ctl_out_printf(out, " %6lld  %8s  ", (long long)m->count, m->count ? avg : "-");
    if (m->count)
        ctl_out_printf(out, "%6.1f%%", 100.0 * (double)m->within / (double)m->count);
    else
        ctl_out_printf(out, "%7s", "-");
    ctl_out_printf(out, "  %8s  %s\n", m->count ? max : "-",
                   m->above ? ctl_text(out->lang, CTL_T_METRIC_ALERT) : "");
}

static int s_metric(const stats_metric_t *m, void *arg)
{
    s_metric_ctx_t *c = arg;
    const ctl_stats_opts_t *o = c->o;
    if (o->scope && strcmp(o->scope, m->scope) != 0)
        return 0;
    if (o->alerts_only && !m->above)
        return 0;
    c->entries++;
    c->alerts += m->above;
    c->target_ms = m->target_ms;
    char clock[16], avg[32], max[32];
    ctl_local_time(m->ts_ms, "%H:%M:%S", clock, sizeof clock);
    hq_text_duration(m->avg_ms, avg, sizeof avg);
    hq_text_duration(m->max_ms, max, sizeof max);
    if (strcmp(m->scope, "hall") == 0) {
        c->last_ts = m->ts_ms;
        snprintf(c->last_hall, sizeof c->last_hall, "%lld / %s / %s", (long long)m->count, avg,
                 max);
    }
    if (c->format == CTL_FMT_JSON)
        s_json_entry(c, m, clock);
    else if (c->format == CTL_FMT_CSV)
        s_csv_entry(c->out, m, clock);
    else
        s_text_entry(c, m, clock, avg, max);
    ctl_out_flush(c->out);
    return 0;
}

static void s_head(ctl_out_t *out, int format, const char *day)
{
    if (format == CTL_FMT_CSV) {
        ctl_out_say(out, CTL_T_METRIC_HEADER);
    } else if (format == CTL_FMT_TEXT) {
        ctl_out_say(out, CTL_T_METRIC_TITLE, day);
        ctl_out_printf(out, "%s  ", ctl_text(out->lang, CTL_T_METRIC_TIME));
        ctl_out_pad(out, ctl_text(out->lang, CTL_T_METRIC_SCOPE), 12);
        ctl_out_printf(out, " %s\n", ctl_text(out->lang, CTL_T_METRIC_COLUMNS));
    }
    ctl_out_flush(out);
}

static void s_foot(const s_metric_ctx_t *c, const char *day)
{
    ctl_out_t *out = c->out;
    if (c->format == CTL_FMT_JSON) {
        json_t *doc =
            json_pack("{s:s, s:I, s:I, s:O}", "day", day, "entries", (json_int_t)c->entries,
                      "alerts", (json_int_t)c->alerts, "log", c->arr);
        char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
        ctl_out_printf(out, "%s\n", text ? text : "{}");
        free(text);
        json_decref(doc);
    } else if (c->format == CTL_FMT_TEXT) {
        if (!c->entries) {
            ctl_out_say(out, CTL_T_METRIC_NONE, day);
            return;
        }
        char target[32];
        hq_text_duration(c->target_ms, target, sizeof target);
        ctl_out_say(out, CTL_T_METRIC_SUMMARY, (long long)c->entries, (long long)c->alerts, target);
        if (c->last_ts) {
            char clock[16];
            ctl_local_time(c->last_ts, "%H:%M:%S", clock, sizeof clock);
            ctl_out_say(out, CTL_T_METRIC_LAST_HALL, clock, c->last_hall);
        }
    }
}

int ctl_stats_metric(const ctl_stats_opts_t *o, const hallq_config_t *cfg, stats_db_t *db)
{
    (void)cfg; /* the log is the daemon's, already in its terms */
    if (o->bom || o->encoding || o->records || o->from || o->to)
        return ctl_stats_usage_error("metric takes --date, --scope, --alerts and --format");
    char today[HQ_DATE_TEXT_MAX];
    if (!o->date)
        hq_date_format(hq_date_local((int64_t)time(NULL) * 1000), today);
    const char *day = o->date ? o->date : today;
    ctl_out_t out;
    if (ctl_out_open(&out, o->out, NULL, o->lang) != 0)
        return CTL_STATS_FAILED;
    s_metric_ctx_t c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.format = o->format < 0 ? CTL_FMT_TEXT : o->format;
    c.out = &out;
    c.arr = c.format == CTL_FMT_JSON ? json_array() : NULL;
    s_head(&out, c.format, day);
    char why[512];
    int rc = o->city ? stats_central_metrics(o->city, o->hall, day, s_metric, &c, why, sizeof why)
                     : stats_db_metrics(db, day, s_metric, &c, why, sizeof why);
    if (rc != 0)
        fprintf(stderr, "hallqctl stats: %s\n", why);
    s_foot(&c, day);
    json_decref(c.arr);
    if (ctl_out_close(&out) != 0)
        rc = -1;
    return rc == 0 ? CTL_STATS_OK : CTL_STATS_FAILED;
}
