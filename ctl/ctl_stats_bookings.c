/* `hallqctl stats bookings`: the appointments of a period by day, by queue (slots are a
 * queue's) or by the service booked: booked, checked in, late (a walk-in ticket), no-show,
 * cancelled, still waiting; the wait of the checked-in ones from their slot's start, and the share
 * called within 10 minutes of it. CSV (the default) or JSON. */
#include "ctl_stats_verbs.h"

#include <stdlib.h>
#include <string.h>

/* A service group's key and name: the number and the catalog's name, or none named. */
static const char *s_service_name(const hallq_config_t *cfg, const ctl_out_t *out,
                                  const stats_booking_group_t *g)
{
    if (!g->key[0])
        return ctl_text(out->lang, CTL_T_NONE_SERVICE);
    const cfg_service_t *s = config_service(cfg, atoi(g->key));
    return s ? s->sub_item : "";
}

static void s_csv_row(ctl_out_t *out, const char *key, const char *name,
                      const stats_booking_group_t *g)
{
    if (name)
        ctl_out_printf(out, "%s,", key);
    ctl_out_printf(out, "%s,%lld,%lld,%lld,%lld,%lld,%lld,%lld", name ? name : key,
                   (long long)g->booked, (long long)g->checked_in, (long long)g->late,
                   (long long)g->no_show, (long long)g->cancelled, (long long)g->waiting,
                   (long long)g->called);
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
    if (o->by != STATS_BY_DAY && o->by != STATS_BY_QUEUE && o->by != STATS_BY_SERVICE)
        return ctl_stats_usage_error("bookings are grouped --by day, --by queue or --by service");
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
        for (size_t i = 0; i < n; i++) {
            json_t *row = s_json_row(groups[i].key, &groups[i]);
            if (o->by == STATS_BY_SERVICE)
                json_object_set_new(
                    row, "name",
                    json_string(groups[i].key[0] ? s_service_name(cfg, &out, &groups[i]) : ""));
            json_array_append_new(rows, row);
        }
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
        int by_service = o->by == STATS_BY_SERVICE;
        ctl_out_say(&out, o->by == STATS_BY_DAY     ? CTL_T_BOOKINGS_HEADER_DAY
                          : o->by == STATS_BY_QUEUE ? CTL_T_BOOKINGS_HEADER_QUEUE
                                                    : CTL_T_BOOKINGS_HEADER_SERVICE);
        for (size_t i = 0; i < n; i++)
            s_csv_row(&out, groups[i].key,
                      by_service ? s_service_name(cfg, &out, &groups[i]) : NULL, &groups[i]);
        s_csv_row(&out, ctl_text(o->lang, CTL_T_TOTAL), by_service ? "" : NULL, &total);
    }
    if (n == 0)
        fprintf(stderr, "%s", ctl_text(o->lang, CTL_T_BOOKINGS_NONE));
    free(groups);
    return ctl_out_close(&out) == 0 ? CTL_STATS_OK : CTL_STATS_FAILED;
}
