/* Groups of the history: counts, means, medians, 90th percentiles and maxima per day, hour,
 * weekday, queue, window, clerk, service or lane, in one pass and one sort per duration. */
#include "history.h"

#include "hq_proto.h"
#include "stats_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const s_by_names[STATS_BY_COUNT_] = {"all",   "day",     "hour",  "weekday",
                                                        "queue", "counter", "clerk", "service",
                                                        "lane",  "hall",    "level", "parent"};

const char *stats_by_name(stats_by_t by)
{
    return by < STATS_BY_COUNT_ ? s_by_names[by] : "?";
}

int stats_by_parse(const char *name)
{
    for (int i = 0; i < STATS_BY_COUNT_; i++)
        if (strcmp(name, s_by_names[i]) == 0)
            return i;
    return -1;
}

/* ---- percentiles ------------------------------------------------------------------------- */

/* Percentile p of n sorted values read through at(): linear between the two nearest ranks,
 * as a spreadsheet's PERCENTILE.INC. */
static double s_percentile(const void *values, size_t n, double p,
                           double (*at)(const void *values, size_t i))
{
    if (n == 0)
        return 0;
    double pos = p * (double)(n - 1);
    size_t lo = (size_t)pos;
    double a = at(values, lo);
    if (lo + 1 >= n)
        return a;
    return a + (pos - (double)lo) * (at(values, lo + 1) - a);
}

static double s_int64_at(const void *values, size_t i)
{
    return (double)((const int64_t *)values)[i];
}

/* The value in the low 32 bits of a sorted (group << 32 | value) key. */
static double s_key_at(const void *values, size_t i)
{
    return (double)(((const uint64_t *)values)[i] & 0xffffffffu);
}

double stats_percentile(const int64_t *sorted, size_t n, double p)
{
    return s_percentile(sorted, n, p, s_int64_at);
}

/* LSD radix sort, 16 bits a pass. Passes over digits that are the same in every key are
 * skipped, so few groups and short durations cost two or three passes, not four. */
int hist_radix_sort(uint64_t *keys, size_t n)
{
    if (n < 2)
        return 0;
    uint64_t any = 0, all = ~(uint64_t)0;
    for (size_t i = 0; i < n; i++) {
        any |= keys[i];
        all &= keys[i];
    }
    uint64_t varying = any ^ all;
    uint64_t *tmp = malloc(n * sizeof *tmp);
    size_t *count = malloc(65536 * sizeof *count);
    if (!tmp || !count) {
        free(tmp);
        free(count);
        return -1;
    }
    uint64_t *src = keys, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 16) {
        if (((varying >> shift) & 0xffff) == 0)
            continue;
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(src[i] >> shift) & 0xffff]++;
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xffff]++] = src[i];
        uint64_t *swap = src;
        src = dst;
        dst = swap;
    }
    if (src != keys)
        memcpy(keys, src, n * sizeof *keys);
    free(tmp);
    free(count);
    return 0;
}

/* ---- grouping ------------------------------------------------------------------------ */

static size_t s_ngroups(const stats_hist_t *self, stats_by_t by)
{
    const hist_row_t *rows = self->rows.data;
    size_t n = 1;
    switch (by) {
    case STATS_BY_ALL:
        return 1;
    case STATS_BY_DAY:
        return self->rows.len ? (size_t)(self->max_day - self->min_day + 1) : 1;
    case STATS_BY_HOUR:
        return 24;
    case STATS_BY_WEEKDAY:
        return 7;
    case STATS_BY_QUEUE:
        return 26;
    case STATS_BY_LANE:
        return 2;
    case STATS_BY_CLERK:
        return hq_strmap_size(self->clerks) + 1;
    case STATS_BY_COUNTER:
    case STATS_BY_SERVICE:
        for (size_t i = 0; i < self->rows.len; i++) {
            size_t v = by == STATS_BY_COUNTER ? rows[i].counter : rows[i].service;
            if (v + 1 > n)
                n = v + 1;
        }
        return n;
    default:
        return 1;
    }
}

static uint32_t s_gid(const stats_hist_t *self, const hist_row_t *r, stats_by_t by)
{
    switch (by) {
    case STATS_BY_DAY:
        return (uint32_t)(r->day - self->min_day);
    case STATS_BY_HOUR:
        return r->hour;
    case STATS_BY_WEEKDAY:
        return (uint32_t)hq_date_weekday(r->day);
    case STATS_BY_QUEUE:
        return (uint32_t)(r->queue - 'A');
    case STATS_BY_COUNTER:
        return r->counter;
    case STATS_BY_CLERK:
        return r->clerk;
    case STATS_BY_SERVICE:
        return r->service;
    case STATS_BY_LANE:
        return (r->flags & HIST_GREEN) ? 1 : 0;
    default:
        return 0;
    }
}

typedef struct {
    int64_t wait_sum, handling_sum, instant_sum, green_wait_sum, normal_wait_sum;
} s_sums_t;

enum { S_WAIT, S_HANDLING, S_INSTANT_H };

/* Fills median and p90 of one duration for every group from a sort of (group, value). */
static int s_percentiles(const stats_hist_t *self, stats_by_t by, int which, stats_group_t *g,
                         uint64_t *keys)
{
    const hist_row_t *rows = self->rows.data;
    size_t n = 0, nrows = self->rows.len;
    for (size_t i = 0; i < nrows; i++) {
        const hist_row_t *r = &rows[i];
        int32_t v = which == S_WAIT ? r->wait_ms : r->handling_ms;
        if (v < 0 || (which == S_INSTANT_H && !(r->flags & HIST_INSTANT)))
            continue;
        keys[n++] = (uint64_t)s_gid(self, r, by) << 32 | (uint32_t)v;
    }
    if (hist_radix_sort(keys, n) != 0)
        return -1;
    for (size_t i = 0; i < n;) {
        uint32_t gid = (uint32_t)(keys[i] >> 32);
        size_t j = i;
        while (j < n && (uint32_t)(keys[j] >> 32) == gid)
            j++;
        stats_dist_t *d = which == S_WAIT       ? &g[gid].wait
                          : which == S_HANDLING ? &g[gid].handling
                                                : &g[gid].instant;
        d->median_ms = s_percentile(keys + i, j - i, 0.5, s_key_at);
        d->p90_ms = s_percentile(keys + i, j - i, 0.9, s_key_at);
        i = j;
    }
    return 0;
}

static void s_dist_add(stats_dist_t *d, int64_t *sum, int32_t v)
{
    d->n++;
    *sum += v;
    if (v > d->max_ms)
        d->max_ms = v;
}

/* Counts and sums of every group in one pass over the rows. */
static void s_count(const stats_hist_t *self, stats_by_t by, stats_group_t *g, s_sums_t *sums)
{
    const hist_row_t *rows = self->rows.data;
    size_t nrows = self->rows.len;
    for (size_t i = 0; i < nrows; i++) {
        const hist_row_t *r = &rows[i];
        uint32_t gid = s_gid(self, r, by);
        stats_group_t *x = &g[gid];
        s_sums_t *s = &sums[gid];
        x->issued++;
        x->served += r->state == HQ_T_FINISHED;
        x->no_show += r->state == HQ_T_NO_SHOW;
        x->expired += r->state == HQ_T_EXPIRED;
        x->transferred += (r->flags & HIST_TRANSFERRED) != 0;
        x->green += (r->flags & HIST_GREEN) != 0;
        x->extended += (r->flags & HIST_EXTENDED) != 0;
        if (r->wait_ms >= 0) {
            x->called++;
            s_dist_add(&x->wait, &s->wait_sum, r->wait_ms);
            if (r->flags & HIST_GREEN) {
                x->green_waited++;
                s->green_wait_sum += r->wait_ms;
            } else {
                x->normal_waited++;
                s->normal_wait_sum += r->wait_ms;
            }
        }
        if (r->handling_ms >= 0) {
            s_dist_add(&x->handling, &s->handling_sum, r->handling_ms);
            if (r->flags & HIST_INSTANT) {
                s_dist_add(&x->instant, &s->instant_sum, r->handling_ms);
                x->instant_within += (r->flags & HIST_WITHIN) != 0;
            }
        }
        if (r->rating) {
            x->rated++;
            x->rating_sum += r->rating;
            x->ratings[r->rating - 1]++;
        }
    }
}

static double s_mean(int64_t sum, int64_t n)
{
    return n ? (double)sum / (double)n : 0;
}

/* The means and the key of group `id`. */
static void s_finish(const stats_hist_t *self, stats_by_t by, size_t id, const s_sums_t *s,
                     stats_group_t *x)
{
    x->wait.mean_ms = s_mean(s->wait_sum, x->wait.n);
    x->handling.mean_ms = s_mean(s->handling_sum, x->handling.n);
    x->instant.mean_ms = s_mean(s->instant_sum, x->instant.n);
    x->green_wait_mean_ms = s_mean(s->green_wait_sum, x->green_waited);
    x->normal_wait_mean_ms = s_mean(s->normal_wait_sum, x->normal_waited);
    x->key[0] = '\0';
    switch (by) {
    case STATS_BY_DAY:
        hq_date_format(hq_date_from_days(self->min_day + (int)id), x->key);
        break;
    case STATS_BY_HOUR:
        snprintf(x->key, sizeof x->key, "%02zu", id);
        break;
    case STATS_BY_WEEKDAY:
        snprintf(x->key, sizeof x->key, "%s", stats_weekday_name((int)id, UI_LANG_EN));
        break;
    case STATS_BY_QUEUE:
        snprintf(x->key, sizeof x->key, "%c", (char)('A' + id));
        break;
    case STATS_BY_COUNTER:
    case STATS_BY_SERVICE:
        if (id)
            snprintf(x->key, sizeof x->key, "%zu", id);
        x->none = id == 0;
        break;
    case STATS_BY_CLERK:
        if (id)
            snprintf(x->key, sizeof x->key, "%s", hq_strmap_key(self->clerks, id - 1));
        x->none = id == 0;
        break;
    case STATS_BY_LANE:
        snprintf(x->key, sizeof x->key, "%s", id ? "green" : "normal");
        break;
    default:
        break;
    }
}

static int s_cmp_clerk(const void *a, const void *b)
{
    const stats_group_t *x = a, *y = b;
    if (x->none != y->none)
        return x->none - y->none;
    return strcmp(x->key, y->key);
}

int stats_group(const stats_hist_t *self, stats_by_t by, stats_group_t **groups, size_t *n)
{
    *groups = NULL;
    *n = 0;
    size_t ng = s_ngroups(self, by), nrows = self->rows.len;
    stats_group_t *g = calloc(ng, sizeof *g);
    s_sums_t *sums = calloc(ng, sizeof *sums);
    uint64_t *keys = nrows ? malloc(nrows * sizeof *keys) : NULL;
    if (!g || !sums || (nrows && !keys))
        goto fail;
    s_count(self, by, g, sums);
    if (s_percentiles(self, by, S_WAIT, g, keys) != 0 ||
        s_percentiles(self, by, S_HANDLING, g, keys) != 0 ||
        s_percentiles(self, by, S_INSTANT_H, g, keys) != 0)
        goto fail;
    free(keys);
    /* Compact the groups that hold tickets, in id order (natural order for all but clerks),
     * and name them. */
    size_t out = 0;
    for (size_t id = 0; id < ng; id++) {
        if (!g[id].issued)
            continue;
        stats_group_t x = g[id];
        s_finish(self, by, id, &sums[id], &x);
        g[out++] = x;
    }
    free(sums);
    /* The group without the attribute (id 0) goes last; clerks go by name. */
    if (out && g[0].none) {
        stats_group_t none = g[0];
        memmove(g, g + 1, (out - 1) * sizeof *g);
        g[out - 1] = none;
    }
    if (by == STATS_BY_CLERK)
        qsort(g, out, sizeof *g, s_cmp_clerk);
    if (out == 0) {
        free(g);
        g = NULL;
    }
    *groups = g;
    *n = out;
    return 0;
fail:
    free(g);
    free(sums);
    free(keys);
    return -1;
}
