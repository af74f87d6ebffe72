/* `hallqctl stats bookings`: the appointments of a period by day or by queue (slots are a
 * queue's): booked, checked in, late (a walk-in ticket), no-show, cancelled, still waiting;
 * the wait of the checked-in ones from their slot's start, and the share called within 10
 * minutes of it. CSV (the default) or JSON. */
#include "ctl_stats_verbs.h"

#include <stdlib.h>
#include <string.h>

static void s_csv_row(ctl_out_t *out, const char *key, const stats_booking_group_t *g)
{
    ctl_out_printf(out, "%s,%lld,%lld,%lld,%lld,%lld,%lld,%lld", key, (long long)g->booked,
                   (long long)g->checked_in, (long long)g->late, (long long)g->no_show,
                   (long long)g->cancelled, (long long)g->waiting, (long long)g->called);
    ctl_csv_min(out, g->called, stats_booking_wait_mean_ms(g));
    if (g->called)
        ctl_out_printf(out, ",%.1f\r\n", 100.0 * (double)g->within_10 / (double)g->called);
    else
        ctl_out_puts(out, ",\r\n");
}

static json_t *s_json_row(const char *key, const stats_booking_group_t *g)
{
    return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "key", key, "booked",
                     (json_int_t)g->booked, "checked_in", (json_int_t)g->checked_in, "late",
                     (json_int_t)g->late, "no_show", (json_int_t)g->no_show, "cancelled",
                     (json_int_t)g->cancelled, "waiting", (json_int_t)g->waiting, "called",
                     (json_int_t)g->called, "wait_from_slot_mean_min",
                     g->called ? json_real(ctl_round(stats_booking_wait_mean_ms(g) / 60000.0, 0.01))
                               : json_null(),
                     "called_within_10_pct", ctl_json_pct(g->within_10, g->called));
}

int ctl_stats_bookings(const ctl_stats_opts_t *o, const hallq_config_t *cfg, stats_db_t *db)
{
    (void)cfg;
    if (o->by != STATS_BY_DAY && o->by != STATS_BY_QUEUE)
        return ctl_stats_usage_error("bookings are grouped --by day or --by queue");
    if (o->format == CTL_FMT_TEXT)
        return ctl_stats_usage_error("bookings are written as --format csv or json");
    char why[300];
    stats_booking_group_t *groups, total;
    size_t n;
    if (stats_db_bookings(db, o->from, o->to, (stats_by_t)o->by, &groups, &n, &total, why,
                          sizeof why) != 0) {
        fprintf(stderr, "hallqctl stats: %s\n", why);
        return CTL_STATS_FAILED;
    }
    ctl_out_t out;
    if (ctl_out_open(&out, o->out, o->encoding, o->lang) != 0) {
        free(groups);
        return CTL_STATS_FAILED;
    }
    if (o->format == CTL_FMT_JSON) {
        json_t *rows = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(rows, s_json_row(groups[i].key, &groups[i]));
        json_t *doc =
            json_pack("{s:s, s:s?, s:s?, s:o, s:o}", "by", stats_by_name(o->by), "from", o->from,
                      "to", o->to, "groups", rows, "total", s_json_row("", &total));
        char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
        ctl_out_printf(&out, "%s\n", text ? text : "{}");
        free(text);
        json_decref(doc);
    } else {
        if (o->bom)
            ctl_out_puts(&out, "\xef\xbb\xbf");
        ctl_out_say(&out, o->by == STATS_BY_DAY ? CTL_T_BOOKINGS_HEADER_DAY
                                                : CTL_T_BOOKINGS_HEADER_QUEUE);
        for (size_t i = 0; i < n; i++)
            s_csv_row(&out, groups[i].key, &groups[i]);
        s_csv_row(&out, ctl_text(o->lang, CTL_T_TOTAL), &total);
    }
    if (n == 0)
        fprintf(stderr, "%s", ctl_text(o->lang, CTL_T_BOOKINGS_NONE));
    free(groups);
    return ctl_out_close(&out) == 0 ? CTL_STATS_OK : CTL_STATS_FAILED;
}
