/* `hallqctl stats staffing`: windows needed per hour of the week by Erlang C, next to the
 * windows open and the wait seen, as a table for people, CSV or JSON. Each format is a
 * writer (head, row, foot) over the same slots and the same summary. */
#include "ctl_stats_verbs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Predicted against observed, weighted by citizens, over the hours whose windows were under
 * 90 % busy: there the steady state the formula describes is reached within the hour. Near
 * full load its wait grows without bound while a real hour ends first, so those hours are
 * counted apart (busy) rather than let one of them swamp the comparison. */
typedef struct {
    double pred, seen, weight; /* the steady hours: waits times citizens, and citizens */
    double all_seen, all_n;    /* every hour */
    int peak;                  /* most windows any hour needs */
    int steady, busy;          /* hours of each kind */
} s_summary_t;

typedef struct {
    const ctl_stats_opts_t *o;
    ctl_out_t *out;
    const char *from, *to; /* the period, "-" when unknown */
    json_t *slots;         /* JSON */
    s_summary_t sum;
} s_staff_t;

static void s_summarize(s_summary_t *s, const stats_staff_t *x)
{
    if (x->windows_needed > s->peak)
        s->peak = x->windows_needed;
    s->all_seen += x->observed_wait_ms * (double)x->observed_n;
    s->all_n += (double)x->observed_n;
    if (x->load < 0.9 * x->windows_used && x->observed_n) {
        s->pred += x->predicted_wait_ms * (double)x->observed_n;
        s->seen += x->observed_wait_ms * (double)x->observed_n;
        s->weight += (double)x->observed_n;
        s->steady++;
    } else {
        s->busy++;
    }
}

/* ---- text ------------------------------------------------------------------------------ */

static void s_text_head(s_staff_t *s)
{
    ctl_out_say(s->out, CTL_T_STAFF_TITLE, s->o->target_wait_min, s->from, s->to);
    ctl_out_say(s->out, CTL_T_STAFF_COLUMNS);
}

static void s_text_row(s_staff_t *s, const stats_staff_t *x)
{
    char predicted[32], needed_wait[32], needed[16];
    if (isinf(x->predicted_wait_ms))
        snprintf(predicted, sizeof predicted, "%s", ctl_text(s->out->lang, CTL_T_STAFF_OVERLOAD));
    else
        snprintf(predicted, sizeof predicted, "%.2f", x->predicted_wait_ms / 60000);
    if (x->windows_needed > 0)
        snprintf(needed_wait, sizeof needed_wait, "%.2f", x->needed_wait_ms / 60000);
    else
        snprintf(needed_wait, sizeof needed_wait, "-");
    if (x->windows_needed >= 0)
        snprintf(needed, sizeof needed, "%d", x->windows_needed);
    else
        snprintf(needed, sizeof needed, "> %d", s->o->max_windows);
    ctl_out_pad(s->out, stats_weekday_name(x->weekday, s->out->lang), 4);
    ctl_out_printf(
        s->out, " %02d:00  %4d  %9.1f  %10.1f  %5.1f  %5.1f(%d)  %9s  %8.1f  %6s  %9s  %6.0f%%\n",
        x->hour, x->days, x->rate_per_hour, x->service_ms / 60000, x->load, x->windows_seen,
        x->windows_used, predicted, x->observed_wait_ms / 60000, needed, needed_wait,
        100 * x->needed_p_wait);
}

static void s_text_foot(s_staff_t *s)
{
    const s_summary_t *m = &s->sum;
    if (m->all_n <= 0)
        ctl_out_say(s->out, CTL_T_STAFF_NONE);
    else
        ctl_out_say(s->out, CTL_T_STAFF_SUMMARY, m->all_seen / m->all_n / 60000, m->peak);
    if (m->weight > 0)
        ctl_out_say(s->out, CTL_T_STAFF_STEADY, m->steady, m->pred / m->weight / 60000,
                    m->seen / m->weight / 60000, m->busy);
}

/* ---- CSV ------------------------------------------------------------------------------- */

static void s_csv_head(s_staff_t *s)
{
    ctl_out_say(s->out, CTL_T_STAFF_HEADER);
}

static void s_csv_row(s_staff_t *s, const stats_staff_t *x)
{
    ctl_out_t *out = s->out;
    ctl_out_printf(out, "%s,%02d,%d,%lld,%.2f,%.2f,%.3f,%.2f,%d,",
                   stats_weekday_name(x->weekday, out->lang), x->hour, x->days,
                   (long long)x->arrivals, x->rate_per_hour, x->service_ms / 60000, x->load,
                   x->windows_seen, x->windows_used);
    if (!isinf(x->predicted_wait_ms))
        ctl_out_printf(out, "%.2f", x->predicted_wait_ms / 60000);
    ctl_out_puts(out, ",");
    if (x->observed_n)
        ctl_out_printf(out, "%.2f", x->observed_wait_ms / 60000);
    ctl_out_puts(out, ",");
    if (x->windows_needed >= 0)
        ctl_out_printf(out, "%d", x->windows_needed);
    ctl_out_puts(out, ",");
    if (x->windows_needed > 0)
        ctl_out_printf(out, "%.2f", x->needed_wait_ms / 60000);
    ctl_out_printf(out, ",%.4f\r\n", x->needed_p_wait);
}

/* ---- JSON ------------------------------------------------------------------------------ */

static json_t *s_json_wait(double ms)
{
    return isinf(ms) || ms < 0 ? json_null() : json_real(ctl_round(ms / 60000.0, 0.01));
}

static json_t *s_json_real(double v, double unit)
{
    return json_real(ctl_round(v, unit));
}

static json_t *s_json_mean(double sum, double n)
{
    return n > 0 ? s_json_real(sum / n / 60000, 0.01) : json_null();
}

static void s_json_row(s_staff_t *s, const stats_staff_t *x)
{
    json_t *j = json_object();
    json_object_set_new(j, "weekday", json_string(stats_weekday_name(x->weekday, UI_LANG_EN)));
    json_object_set_new(j, "hour", json_integer(x->hour));
    json_object_set_new(j, "days", json_integer(x->days));
    json_object_set_new(j, "arrivals", json_integer(x->arrivals));
    json_object_set_new(j, "open_hours", s_json_real(x->hours, 0.0001));
    json_object_set_new(j, "rate_per_hour", s_json_real(x->rate_per_hour, 0.0001));
    json_object_set_new(j, "service_min", s_json_real(x->service_ms / 60000, 0.0001));
    json_object_set_new(j, "load_erlang", s_json_real(x->load, 0.0001));
    json_object_set_new(j, "windows_seen", s_json_real(x->windows_seen, 0.01));
    json_object_set_new(j, "windows_used", json_integer(x->windows_used));
    json_object_set_new(j, "predicted_wait_min", s_json_wait(x->predicted_wait_ms));
    json_object_set_new(j, "observed_n", json_integer(x->observed_n));
    json_object_set_new(j, "observed_wait_min", ctl_json_min(x->observed_n, x->observed_wait_ms));
    json_object_set_new(j, "windows_needed",
                        x->windows_needed >= 0 ? json_integer(x->windows_needed) : json_null());
    json_object_set_new(j, "needed_wait_min",
                        x->windows_needed > 0 ? s_json_wait(x->needed_wait_ms) : json_null());
    json_object_set_new(j, "needed_p_wait", s_json_real(x->needed_p_wait, 0.0001));
    json_array_append_new(s->slots, j);
}

static void s_json_foot(s_staff_t *s)
{
    const s_summary_t *m = &s->sum;
    json_t *doc = json_object();
    json_object_set_new(doc, "from", strcmp(s->from, "—") ? json_string(s->from) : json_null());
    json_object_set_new(doc, "to", strcmp(s->to, "—") ? json_string(s->to) : json_null());
    json_object_set_new(doc, "target_wait_min", json_real(s->o->target_wait_min));
    json_object_set_new(doc, "peak_windows_needed", json_integer(m->peak));
    json_object_set_new(doc, "observed_wait_mean_min", s_json_mean(m->all_seen, m->all_n));
    json_object_set_new(doc, "steady_hours", json_integer(m->steady));
    json_object_set_new(doc, "busy_hours", json_integer(m->busy));
    json_object_set_new(doc, "steady_predicted_wait_min", s_json_mean(m->pred, m->weight));
    json_object_set_new(doc, "steady_observed_wait_min", s_json_mean(m->seen, m->weight));
    json_object_set_new(doc, "slots", json_incref(s->slots));
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    ctl_out_printf(s->out, "%s\n", text ? text : "{}");
    free(text);
    json_decref(doc);
}

/* ---- the verb -------------------------------------------------------------------------- */

typedef struct {
    void (*head)(s_staff_t *s);
    void (*row)(s_staff_t *s, const stats_staff_t *x);
    void (*foot)(s_staff_t *s);
} s_writer_t;

static const s_writer_t s_writers[] = {
    [CTL_FMT_TEXT] = {s_text_head, s_text_row, s_text_foot},
    [CTL_FMT_CSV] = {s_csv_head, s_csv_row, NULL},
    [CTL_FMT_JSON] = {NULL, s_json_row, s_json_foot},
};

static void s_write(s_staff_t *s, const s_writer_t *w, const stats_staff_t *st)
{
    if (w->head)
        w->head(s);
    ctl_out_flush(s->out);
    for (int i = 0; i < STATS_WEEK_SLOTS; i++) {
        if (!st[i].arrivals)
            continue;
        s_summarize(&s->sum, &st[i]);
        w->row(s, &st[i]);
        ctl_out_flush(s->out);
    }
    if (w->foot)
        w->foot(s);
}

int ctl_stats_staffing(const ctl_stats_opts_t *o, const hallq_config_t *cfg, stats_db_t *db)
{
    (void)cfg; /* each ticket counts by its own (stats_db_load) */
    if (o->bom || o->encoding || o->records)
        return ctl_stats_usage_error(
            "staffing takes --from, --to, --target-wait, --max-windows, --format");
    stats_hist_t *h = ctl_stats_load(o, db);
    if (!h)
        return CTL_STATS_FAILED;
    stats_staff_t *st = malloc(STATS_WEEK_SLOTS * sizeof *st);
    if (!st || stats_staffing(h, o->target_wait_min * 60000, o->max_windows, st) != 0) {
        fprintf(stderr, "hallqctl stats: out of memory\n");
        free(st);
        stats_hist_destroy(&h);
        return CTL_STATS_FAILED;
    }
    char first[HQ_DATE_TEXT_MAX], last[HQ_DATE_TEXT_MAX];
    stats_hist_days(h, first, last);
    ctl_out_t out;
    int rc = CTL_STATS_FAILED;
    if (ctl_out_open(&out, o->out, NULL, o->lang) == 0) {
        int format = o->format < 0 ? CTL_FMT_TEXT : o->format;
        s_staff_t s = {.o = o,
                       .out = &out,
                       .from = o->from    ? o->from
                               : first[0] ? first
                                          : "—",
                       .to = o->to     ? o->to
                             : last[0] ? last
                                       : "—",
                       .slots = json_array()};
        s_write(&s, &s_writers[format], st);
        json_decref(s.slots);
        rc = ctl_out_close(&out) == 0 ? CTL_STATS_OK : CTL_STATS_FAILED;
    }
    free(st);
    stats_hist_destroy(&h);
    return rc;
}
