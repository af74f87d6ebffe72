/* `hallqctl stats export`: the groups of a period as CSV or JSON, and one row per ticket. */
#include "ctl_stats_verbs.h"

#include "hq_proto.h"

#include <stdlib.h>
#include <string.h>

/* ---- the columns of a group ------------------------------------------------------------ */

typedef enum {
    S_COUNT,   /* an integer */
    S_MINUTES, /* a duration: n values, `value` ms (their mean, a percentile or the max) */
    S_PERCENT, /* `value` of n, as a share */
    S_MEAN     /* a sum `value` over n, with two decimals */
} s_kind_t;

typedef struct {
    s_kind_t kind;
    double value;
    int64_t n;
} s_cell_t;

/* The columns in order, by their heading. */
static const ctl_text_id_t s_columns[] = {CTL_T_COL_ISSUED,          CTL_T_COL_CALLED,
                                          CTL_T_COL_SERVED,          CTL_T_COL_NO_SHOW,
                                          CTL_T_COL_EXPIRED,         CTL_T_COL_TRANSFERRED,
                                          CTL_T_COL_WAIT_MEAN,       CTL_T_COL_WAIT_MEDIAN,
                                          CTL_T_COL_WAIT_P90,        CTL_T_COL_WAIT_MAX,
                                          CTL_T_COL_HANDLING_N,      CTL_T_COL_HANDLING_MEAN,
                                          CTL_T_COL_HANDLING_MEDIAN, CTL_T_COL_HANDLING_P90,
                                          CTL_T_COL_INSTANT_N,       CTL_T_COL_INSTANT_MEAN,
                                          CTL_T_COL_INSTANT_MEDIAN,  CTL_T_COL_INSTANT_P90,
                                          CTL_T_COL_INSTANT_WITHIN,  CTL_T_COL_INSTANT_WITHIN_PCT,
                                          CTL_T_COL_GREEN,           CTL_T_COL_GREEN_PCT,
                                          CTL_T_COL_GREEN_WAIT_MEAN, CTL_T_COL_NORMAL_WAIT_MEAN,
                                          CTL_T_COL_RATED,           CTL_T_COL_RATING_MEAN,
                                          CTL_T_COL_SATISFIED_PCT,   CTL_T_COL_EXTENDED};

static s_cell_t s_count(int64_t v)
{
    return (s_cell_t){S_COUNT, 0, v};
}

static s_cell_t s_of(s_kind_t kind, double value, int64_t n)
{
    return (s_cell_t){kind, value, n};
}

static s_cell_t s_cell(const stats_group_t *g, ctl_text_id_t column)
{
    switch (column) {
    case CTL_T_COL_ISSUED:
        return s_count(g->issued);
    case CTL_T_COL_CALLED:
        return s_count(g->called);
    case CTL_T_COL_SERVED:
        return s_count(g->served);
    case CTL_T_COL_NO_SHOW:
        return s_count(g->no_show);
    case CTL_T_COL_EXPIRED:
        return s_count(g->expired);
    case CTL_T_COL_TRANSFERRED:
        return s_count(g->transferred);
    case CTL_T_COL_WAIT_MEAN:
        return s_of(S_MINUTES, g->wait.mean_ms, g->wait.n);
    case CTL_T_COL_WAIT_MEDIAN:
        return s_of(S_MINUTES, g->wait.median_ms, g->wait.n);
    case CTL_T_COL_WAIT_P90:
        return s_of(S_MINUTES, g->wait.p90_ms, g->wait.n);
    case CTL_T_COL_WAIT_MAX:
        return s_of(S_MINUTES, (double)g->wait.max_ms, g->wait.n);
    case CTL_T_COL_HANDLING_N:
        return s_count(g->handling.n);
    case CTL_T_COL_HANDLING_MEAN:
        return s_of(S_MINUTES, g->handling.mean_ms, g->handling.n);
    case CTL_T_COL_HANDLING_MEDIAN:
        return s_of(S_MINUTES, g->handling.median_ms, g->handling.n);
    case CTL_T_COL_HANDLING_P90:
        return s_of(S_MINUTES, g->handling.p90_ms, g->handling.n);
    case CTL_T_COL_INSTANT_N:
        return s_count(g->instant.n);
    case CTL_T_COL_INSTANT_MEAN:
        return s_of(S_MINUTES, g->instant.mean_ms, g->instant.n);
    case CTL_T_COL_INSTANT_MEDIAN:
        return s_of(S_MINUTES, g->instant.median_ms, g->instant.n);
    case CTL_T_COL_INSTANT_P90:
        return s_of(S_MINUTES, g->instant.p90_ms, g->instant.n);
    case CTL_T_COL_INSTANT_WITHIN:
        return s_count(g->instant_within);
    case CTL_T_COL_INSTANT_WITHIN_PCT:
        return s_of(S_PERCENT, (double)g->instant_within, g->instant.n);
    case CTL_T_COL_GREEN:
        return s_count(g->green);
    case CTL_T_COL_GREEN_PCT:
        return s_of(S_PERCENT, (double)g->green, g->issued);
    case CTL_T_COL_GREEN_WAIT_MEAN:
        return s_of(S_MINUTES, g->green_wait_mean_ms, g->green_waited);
    case CTL_T_COL_NORMAL_WAIT_MEAN:
        return s_of(S_MINUTES, g->normal_wait_mean_ms, g->normal_waited);
    case CTL_T_COL_RATED:
        return s_count(g->rated);
    case CTL_T_COL_RATING_MEAN:
        return s_of(S_MEAN, (double)g->rating_sum, g->rated);
    case CTL_T_COL_SATISFIED_PCT:
        return s_of(S_PERCENT, (double)(g->ratings[3] + g->ratings[4]), g->rated);
    case CTL_T_COL_EXTENDED:
        return s_count(g->extended);
    default:
        return s_count(0);
    }
}

static void s_csv_cell(ctl_out_t *o, s_cell_t c)
{
    if (c.kind == S_COUNT)
        ctl_out_printf(o, ",%lld", (long long)c.n);
    else if (c.n <= 0)
        ctl_out_puts(o, ",");
    else if (c.kind == S_MINUTES)
        ctl_out_printf(o, ",%.2f", c.value / 60000.0);
    else if (c.kind == S_PERCENT)
        ctl_out_printf(o, ",%.1f", 100.0 * c.value / (double)c.n);
    else
        ctl_out_printf(o, ",%.2f", c.value / (double)c.n);
}

static json_t *s_json_cell(s_cell_t c)
{
    if (c.kind == S_COUNT)
        return json_integer(c.n);
    if (c.n <= 0)
        return json_null();
    if (c.kind == S_MINUTES)
        return json_real(ctl_round(c.value / 60000.0, 0.01));
    if (c.kind == S_PERCENT)
        return json_real(ctl_round(100.0 * c.value / (double)c.n, 0.1));
    return json_real(ctl_round(c.value / (double)c.n, 0.01));
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

static int s_named(int by)
{
    return by == STATS_BY_QUEUE || by == STATS_BY_SERVICE || by == STATS_BY_HALL ||
           by == STATS_BY_PARENT;
}

/* The groups' names: the city's halls and towns bring their own, the rest are the
 * configuration's. */
typedef struct {
    const hallq_config_t *cfg;
    char *const *names; /* NULL: the configuration's */
} s_naming_t;

static const char *s_name(const s_naming_t *nm, int by, const stats_group_t *g, size_t i)
{
    return nm->names ? nm->names[i] : s_group_name(nm->cfg, by, g);
}

static json_t *s_json_group(const s_naming_t *nm, int by, const stats_group_t *g, size_t at)
{
    json_t *j = json_object();
    json_object_set_new(j, "key", g->none ? json_null() : json_string(g->key));
    if (s_named(by))
        json_object_set_new(j, "name", json_string(s_name(nm, by, g, at)));
    for (size_t i = 0; i < sizeof s_columns / sizeof s_columns[0]; i++)
        json_object_set_new(j, ctl_text(UI_LANG_EN, s_columns[i]),
                            s_json_cell(s_cell(g, s_columns[i])));
    json_t *levels = json_array();
    for (int i = 0; i < 5; i++)
        json_array_append_new(levels, json_integer(g->ratings[i]));
    json_object_set_new(j, "ratings_1_to_5", levels);
    return j;
}

/* A key as an office reads it: weekdays and lanes in the output's language, and the group
 * without the key named for what it holds. */
static const char *s_key_text(const ctl_out_t *o, int by, const stats_group_t *g)
{
    const char *key = g->key;
    if (g->none)
        return ctl_text(o->lang, by == STATS_BY_COUNTER ? CTL_T_NONE_COUNTER
                                 : by == STATS_BY_CLERK ? CTL_T_NONE_CLERK
                                                        : CTL_T_NONE_SERVICE);
    if (by == STATS_BY_LANE)
        return ctl_text(o->lang, strcmp(key, "green") == 0 ? CTL_T_LANE_GREEN : CTL_T_LANE_NORMAL);
    if (by == STATS_BY_LEVEL)
        return ctl_text(o->lang, strcmp(key, "town") == 0 ? CTL_T_LEVEL_TOWN : CTL_T_LEVEL_VILLAGE);
    if (by == STATS_BY_WEEKDAY)
        for (int d = 0; d < 7; d++)
            if (strcmp(key, stats_weekday_name(d, UI_LANG_EN)) == 0)
                return stats_weekday_name(d, o->lang);
    return key;
}

static void s_csv_groups(ctl_out_t *o, const s_naming_t *nm, int by, const stats_group_t *groups,
                         size_t n, const stats_group_t *total)
{
    ctl_out_say(o, (ctl_text_id_t)(CTL_T_BY_ALL + by));
    if (s_named(by)) {
        ctl_out_puts(o, ",");
        ctl_out_say(o, CTL_T_COL_NAME);
    }
    for (size_t i = 0; i < sizeof s_columns / sizeof s_columns[0]; i++) {
        ctl_out_puts(o, ",");
        ctl_out_say(o, s_columns[i]);
    }
    ctl_out_puts(o, "\r\n");
    for (size_t i = 0; i <= n; i++) {
        const stats_group_t *g = i < n ? &groups[i] : total;
        if (!g || (i < n && by == STATS_BY_ALL))
            continue;
        if (i < n)
            ctl_csv_text(o, s_key_text(o, by, g), 1);
        else
            ctl_out_say(o, CTL_T_TOTAL);
        if (s_named(by)) {
            ctl_out_puts(o, ",");
            if (i < n)
                ctl_csv_text(o, s_name(nm, by, g, i), 0);
        }
        for (size_t c = 0; c < sizeof s_columns / sizeof s_columns[0]; c++)
            s_csv_cell(o, s_cell(g, s_columns[c]));
        ctl_out_puts(o, "\r\n");
        ctl_out_flush(o);
    }
}

/* ---- one row per ticket ---------------------------------------------------------------- */

typedef struct {
    ctl_out_t *out;
    int json;
    size_t n;
} s_rec_ctx_t;

static const char *s_service_name(const hallq_config_t *cfg, int no)
{
    const cfg_service_t *s = no ? config_service(cfg, no) : NULL;
    return s ? s->sub_item : "";
}

/* The states' texts are in hq_ticket_state_t's order; in English they are the names. */
static const char *s_state_text(const ctl_out_t *o, const char *state)
{
    int s = hq_ticket_state_parse(state);
    return s < 0 ? state : ctl_text(o->lang, (ctl_text_id_t)(CTL_T_STATE_WAITING + s));
}

/* Why the ticket was called, in the output's language: the minutes or the row of green
 * calls the daemon counted are in its own words. */
static void s_reason_text(const ctl_out_t *o, const stats_record_t *r, char *out, size_t n)
{
    if (r->reason_code <= HQ_REASON_NONE || r->reason_code >= HQ_REASON_COUNT_) {
        snprintf(out, n, "%s", r->reason); /* a code this program does not know */
        return;
    }
    const char *digits = strpbrk(r->reason, "0123456789");
    int count = digits                                          ? atoi(digits)
                : r->reason_code == HQ_REASON_MAX_WAIT          ? (int)(r->times.wait_ms / 60000)
                : r->reason_code == HQ_REASON_APPOINTMENT_LIMIT ? r->cfg->appointments.max_in_row
                                                                : r->cfg->green_max_in_row;
    ctl_text_id_t id = (ctl_text_id_t)(CTL_T_REASON_GREEN_LANE + (r->reason_code - 1));
    const char *fmt = ctl_text(o->lang, id);
    if (strstr(fmt, "%d"))
        snprintf(out, n, fmt, count);
    else
        snprintf(out, n, "%s", fmt);
}

static json_t *s_json_ms(int64_t ms)
{
    return ms ? json_integer(ms) : json_null();
}

static json_t *s_json_record(const stats_record_t *r)
{
    const stats_ticket_t *t = &r->t;
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer(r->id));
    json_object_set_new(j, "day", json_string(t->day));
    json_object_set_new(j, "label", json_string(r->label));
    json_object_set_new(j, "queue", json_sprintf("%c", t->queue));
    json_object_set_new(j, "prefix", json_sprintf("%c", r->prefix));
    json_object_set_new(j, "service", t->service ? json_integer(t->service) : json_null());
    json_object_set_new(j, "service_name", json_string(s_service_name(r->cfg, t->service)));
    json_object_set_new(j, "instant", json_boolean(t->instant));
    json_object_set_new(j, "lane", json_string(t->green ? "green" : "normal"));
    json_object_set_new(j, "age_band", r->age_band[0] ? json_string(r->age_band) : json_null());
    json_object_set_new(j, "state", json_string(t->state));
    json_object_set_new(j, "issued_ms", s_json_ms(t->issued_ms));
    json_object_set_new(j, "called_ms", s_json_ms(t->called_ms));
    json_object_set_new(j, "started_ms", s_json_ms(t->started_ms));
    json_object_set_new(j, "finished_ms", s_json_ms(t->finished_ms));
    json_object_set_new(j, "wait_min",
                        ctl_json_min(r->times.wait_ms >= 0, (double)r->times.wait_ms));
    json_object_set_new(j, "handling_min",
                        ctl_json_min(r->times.handling_ms >= 0, (double)r->times.handling_ms));
    json_object_set_new(j, "park_min", json_real(ctl_round(t->park_total_ms / 60000.0, 0.01)));
    json_object_set_new(j, "calls", json_integer(r->calls));
    json_object_set_new(j, "counter", t->counter ? json_integer(t->counter) : json_null());
    json_object_set_new(j, "clerk", t->clerk[0] ? json_string(t->clerk) : json_null());
    json_object_set_new(j, "reason", r->reason[0] ? json_string(r->reason) : json_null());
    const char *code = hq_reason_name(r->reason_code);
    json_object_set_new(j, "reason_code", code ? json_string(code) : json_null());
    json_object_set_new(j, "rating", t->rating ? json_integer(t->rating) : json_null());
    json_object_set_new(j, "transfers", json_integer(t->transfers));
    return j;
}

static void s_csv_record(const s_rec_ctx_t *c, const stats_record_t *r)
{
    const stats_ticket_t *t = &r->t;
    ctl_out_t *o = c->out;
    static const char when[] = "%Y-%m-%d %H:%M:%S";
    char issued[32], called[32], started[32], finished[32];
    ctl_local_time(t->issued_ms, when, issued, sizeof issued);
    ctl_local_time(t->called_ms, when, called, sizeof called);
    ctl_local_time(t->started_ms, when, started, sizeof started);
    ctl_local_time(t->finished_ms, when, finished, sizeof finished);
    ctl_out_printf(o, "%lld,%s,%s,%c,%c,", (long long)r->id, t->day, r->label, t->queue, r->prefix);
    if (t->service)
        ctl_out_printf(o, "%d", t->service);
    ctl_out_puts(o, ",");
    ctl_csv_text(o, s_service_name(r->cfg, t->service), 0);
    ctl_out_printf(o, ",%d,%s,%s,%s,%s,%s,%s,%s", t->instant,
                   ctl_text(o->lang, t->green ? CTL_T_LANE_GREEN : CTL_T_LANE_NORMAL), r->age_band,
                   s_state_text(o, t->state), issued, called, started, finished);
    ctl_csv_min(o, r->times.wait_ms >= 0, (double)r->times.wait_ms);
    ctl_csv_min(o, r->times.handling_ms >= 0, (double)r->times.handling_ms);
    ctl_out_printf(o, ",%.2f,%d,", t->park_total_ms / 60000.0, r->calls);
    if (t->counter)
        ctl_out_printf(o, "%d", t->counter);
    ctl_out_puts(o, ",");
    ctl_csv_text(o, t->clerk, 1);
    ctl_out_puts(o, ",");
    char reason[HQ_REASON_MAX + 32];
    s_reason_text(o, r, reason, sizeof reason);
    ctl_csv_text(o, reason, 1);
    ctl_out_puts(o, ",");
    if (t->rating)
        ctl_out_printf(o, "%d", t->rating);
    ctl_out_printf(o, ",%d\r\n", t->transfers);
}

static int s_record(const stats_record_t *r, void *arg)
{
    s_rec_ctx_t *c = arg;
    if (c->json) {
        json_t *j = s_json_record(r);
        char *text = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12));
        json_decref(j);
        if (!text)
            return -1;
        ctl_out_printf(c->out, "%s%s", c->n ? ",\n  " : "\n  ", text);
        free(text);
    } else {
        s_csv_record(c, r);
    }
    c->n++;
    ctl_out_flush(c->out);
    return c->out->failed ? -1 : 0;
}

static int s_records(const ctl_stats_opts_t *o, stats_db_t *db, ctl_out_t *out, int json)
{
    char why[512];
    s_rec_ctx_t ctx = {out, json, 0};
    if (ctl_stats_records(o, db, s_record, &ctx, why, sizeof why) != 0) {
        fprintf(stderr, "hallqctl stats: %s\n", why);
        return CTL_STATS_FAILED;
    }
    return CTL_STATS_OK;
}

/* ---- the verb -------------------------------------------------------------------------- */

static void s_names_free(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

static json_t *s_json_doc(const ctl_stats_opts_t *o, const s_naming_t *nm, const stats_hist_t *h,
                          const stats_group_t *groups, size_t n, const stats_group_t *total)
{
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
                        json_real(ctl_round(stats_hist_target_ms(h) / 60000.0, 0.01)));
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, s_json_group(nm, o->by, &groups[i], i));
    json_object_set_new(doc, "groups", arr);
    json_object_set_new(doc, "total",
                        total ? s_json_group(nm, STATS_BY_ALL, total, 0) : json_null());
    return doc;
}

/* The document, with the records as its last member when asked: they are written as they
 * are read, so a year of tickets never sits in memory as JSON. */
static int s_json(const ctl_stats_opts_t *o, stats_db_t *db, ctl_out_t *out, json_t *doc)
{
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    if (!text) {
        fprintf(stderr, "hallqctl stats: out of memory\n");
        return CTL_STATS_FAILED;
    }
    int rc = CTL_STATS_OK;
    if (!o->records) {
        ctl_out_printf(out, "%s\n", text);
    } else {
        size_t len = strlen(text);
        while (len && text[len - 1] != '}')
            len--;
        if (len)
            len--; /* the document's closing brace */
        while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
            len--;
        ctl_out_printf(out, "%.*s,\n  \"records\": [", (int)len, text);
        ctl_out_flush(out);
        rc = s_records(o, db, out, 1);
        ctl_out_puts(out, "\n  ]\n}\n");
    }
    free(text);
    return rc;
}

int ctl_stats_export(const ctl_stats_opts_t *o, const hallq_config_t *cfg, stats_db_t *db)
{
    int json = o->format == CTL_FMT_JSON;
    if (o->format == CTL_FMT_TEXT)
        return ctl_stats_usage_error("export writes csv or json");
    if (json && (o->bom || o->encoding))
        return ctl_stats_usage_error("JSON is always UTF-8 without a byte order mark");
    if (o->bom && o->encoding)
        return ctl_stats_usage_error("--bom marks UTF-8; GBK has no byte order mark");
    stats_hist_t *h = NULL;
    stats_group_t *groups = NULL, *total = NULL;
    char **names = NULL;
    size_t n = 0, ntotal = 0;
    /* CSV with --records is the ticket list only; the groups are not needed. */
    if (json || !o->records) {
        h = ctl_stats_load(o, db);
        if (!h)
            return CTL_STATS_FAILED;
        if (o->by >= STATS_BY_HALL && ctl_stats_city_groups(o, cfg, &groups, &names, &n) != 0) {
            stats_hist_destroy(&h);
            return CTL_STATS_FAILED;
        }
        if ((o->by < STATS_BY_HALL && stats_group(h, (stats_by_t)o->by, &groups, &n) != 0) ||
            stats_group(h, STATS_BY_ALL, &total, &ntotal) != 0) {
            fprintf(stderr, "hallqctl stats: out of memory grouping %zu tickets\n",
                    stats_hist_count(h));
            stats_hist_destroy(&h);
            s_names_free(names, n);
            free(groups);
            return CTL_STATS_FAILED;
        }
    }
    s_naming_t nm = {cfg, names};
    ctl_out_t out;
    int rc = CTL_STATS_FAILED;
    if (ctl_out_open(&out, o->out, o->encoding, o->lang) != 0)
        goto done;
    if (!json && o->bom)
        ctl_out_puts(&out, "\xEF\xBB\xBF");
    if (json) {
        json_t *doc = s_json_doc(o, &nm, h, groups, n, ntotal ? total : NULL);
        rc = s_json(o, db, &out, doc);
        json_decref(doc);
    } else if (o->records) {
        ctl_out_say(&out, CTL_T_RECORDS_HEADER);
        ctl_out_flush(&out);
        rc = s_records(o, db, &out, 0);
    } else {
        s_csv_groups(&out, &nm, o->by, groups, n, ntotal ? total : NULL);
        rc = CTL_STATS_OK;
    }
    if (ctl_out_close(&out) != 0)
        rc = CTL_STATS_FAILED;
done:
    stats_hist_destroy(&h);
    s_names_free(names, n);
    free(groups);
    free(total);
    return rc;
}
