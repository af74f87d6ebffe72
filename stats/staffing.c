/* Staffing by hour of the week: arrivals, open time, window time and windows busy from the
 * history, then Erlang C for the wait they give and the windows a target needs. */
#include "history.h"

#include "erlang.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* How long the hall was issuing in each hour of the week, summed over the days: an hour
 * when it opens at 8:30 or stops issuing at 11:30 has half the hour's arrivals in half the
 * time, and taken as a whole hour it would look half as busy. With n issues in an hour the
 * expected gap between two is 1/(n+1) of it; a gap before the first or after the last of
 * more than seven of those (about 0.1 % likely by chance) is taken as the hall being closed
 * then. */
static int s_open_hours(const stats_hist_t *self, size_t ndays, double hours[STATS_WEEK_SLOTS])
{
    const hist_row_t *rows = self->rows.data;
    size_t ncell = ndays * 24;
    uint8_t *lo = malloc(ncell), *hi = calloc(ncell, 1);
    uint32_t *cnt = calloc(ncell, sizeof *cnt);
    if (!lo || !hi || !cnt) {
        free(lo);
        free(hi);
        free(cnt);
        return -1;
    }
    memset(lo, 255, ncell);
    for (size_t i = 0; i < self->rows.len; i++) {
        const hist_row_t *r = &rows[i];
        size_t cell = (size_t)(r->day - self->min_day) * 24 + r->hour;
        cnt[cell]++;
        if (r->quarter < lo[cell])
            lo[cell] = r->quarter;
        if (r->quarter > hi[cell])
            hi[cell] = r->quarter;
    }
    for (size_t cell = 0; cell < ncell; cell++) {
        if (!cnt[cell])
            continue;
        double gap = 240.0 / (cnt[cell] + 1.0), start = 0, end = 240;
        if (lo[cell] > 7 * gap)
            start = lo[cell] - gap;
        if (239 - hi[cell] > 7 * gap)
            end = hi[cell] + 1 + gap;
        int day = self->min_day + (int)(cell / 24);
        hours[hq_date_weekday(day) * 24 + (int)(cell % 24)] += (end - start) / 240.0;
    }
    free(lo);
    free(hi);
    free(cnt);
    return 0;
}

/* Windows busy in each hour of the week, summed over the days: (day, hour, window) once for
 * each hour a window worked on some ticket. */
static int s_windows_busy(const stats_hist_t *self, double windows_sum[STATS_WEEK_SLOTS])
{
    const hist_row_t *rows = self->rows.data;
    size_t npairs = 0;
    for (size_t i = 0; i < self->rows.len; i++)
        if (rows[i].busy_from != HIST_NO_HOUR)
            npairs += (size_t)(rows[i].busy_to - rows[i].busy_from + 1);
    uint64_t *pairs = npairs ? malloc(npairs * sizeof *pairs) : NULL;
    if (npairs && !pairs)
        return -1;
    size_t p = 0;
    for (size_t i = 0; i < self->rows.len; i++) {
        const hist_row_t *r = &rows[i];
        uint64_t d = (uint64_t)(r->day - self->min_day);
        if (r->busy_from != HIST_NO_HOUR)
            for (int h = r->busy_from; h <= r->busy_to; h++)
                pairs[p++] = (d * 24 + (uint64_t)h) << 16 | r->counter;
    }
    if (hist_radix_sort(pairs, npairs) != 0) {
        free(pairs);
        return -1;
    }
    for (size_t i = 0; i < npairs; i++) {
        if (i > 0 && pairs[i] == pairs[i - 1])
            continue;
        uint64_t dh = pairs[i] >> 16;
        int day = self->min_day + (int)(dh / 24);
        windows_sum[hq_date_weekday(day) * 24 + (int)(dh % 24)] += 1;
    }
    free(pairs);
    return 0;
}

/* Arrivals, observed waits and window times per hour of the week, and the days of each
 * weekday the hall was open. */
typedef struct {
    int64_t window_sum[STATS_WEEK_SLOTS], window_n[STATS_WEEK_SLOTS];
    int64_t wait_sum[STATS_WEEK_SLOTS];
    int64_t all_window_sum, all_window_n;
    int days_of[7];
} s_tally_t;

static int s_tally(const stats_hist_t *self, size_t ndays, s_tally_t *t,
                   stats_staff_t out[STATS_WEEK_SLOTS])
{
    const hist_row_t *rows = self->rows.data;
    uint8_t *open = calloc(ndays, 1);
    if (!open)
        return -1;
    for (size_t i = 0; i < self->rows.len; i++) {
        const hist_row_t *r = &rows[i];
        int slot = hq_date_weekday(r->day) * 24 + r->hour;
        open[r->day - self->min_day] = 1;
        out[slot].arrivals++;
        if (r->wait_ms >= 0) {
            out[slot].observed_n++;
            t->wait_sum[slot] += r->wait_ms;
        }
        if (r->window_ms >= 0) {
            t->window_sum[slot] += r->window_ms;
            t->window_n[slot]++;
            t->all_window_sum += r->window_ms;
            t->all_window_n++;
        }
    }
    for (size_t d = 0; d < ndays; d++)
        if (open[d])
            t->days_of[hq_date_weekday(self->min_day + (int)d)]++;
    free(open);
    return 0;
}

int stats_staffing(const stats_hist_t *self, double target_wait_ms, int max_windows,
                   stats_staff_t out[STATS_WEEK_SLOTS])
{
    memset(out, 0, STATS_WEEK_SLOTS * sizeof *out);
    for (int s = 0; s < STATS_WEEK_SLOTS; s++) {
        out[s].weekday = s / 24;
        out[s].hour = s % 24;
    }
    if (self->rows.len == 0)
        return 0;
    size_t ndays = (size_t)(self->max_day - self->min_day + 1);
    s_tally_t *t = calloc(1, sizeof *t);
    double hours[STATS_WEEK_SLOTS] = {0}, windows_sum[STATS_WEEK_SLOTS] = {0};
    if (!t || s_tally(self, ndays, t, out) != 0 || s_open_hours(self, ndays, hours) != 0 ||
        s_windows_busy(self, windows_sum) != 0) {
        free(t);
        return -1;
    }
    double all_window = t->all_window_n ? (double)t->all_window_sum / (double)t->all_window_n : 0;
    for (int s = 0; s < STATS_WEEK_SLOTS; s++) {
        stats_staff_t *o = &out[s];
        o->days = t->days_of[o->weekday];
        if (!o->arrivals || !o->days)
            continue;
        o->hours = hours[s];
        o->rate_per_hour = (double)o->arrivals / o->hours;
        /* An hour's own mean is noisy with few tickets; then the period's is used. */
        o->service_ms =
            t->window_n[s] >= 20 ? (double)t->window_sum[s] / (double)t->window_n[s] : all_window;
        o->load = o->rate_per_hour * o->service_ms / 3600000.0;
        o->windows_seen = windows_sum[s] / o->days;
        o->windows_used = (int)lround(o->windows_seen);
        if (o->windows_used < 1)
            o->windows_used = 1;
        o->predicted_wait_ms = erlang_mean_wait(o->windows_used, o->load, o->service_ms);
        o->observed_wait_ms = o->observed_n ? (double)t->wait_sum[s] / (double)o->observed_n : 0;
        o->windows_needed =
            erlang_windows_for_wait(o->load, o->service_ms, target_wait_ms, max_windows);
        if (o->windows_needed > 0) {
            o->needed_wait_ms = erlang_mean_wait(o->windows_needed, o->load, o->service_ms);
            o->needed_p_wait = erlang_c(o->windows_needed, o->load);
        }
    }
    free(t);
    return 0;
}
