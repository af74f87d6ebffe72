#include "stats.h"

#include "erlang.h"
#include "hq_proto.h"
#include "metric.h"
#include "hq_db.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ==== dates ============================================================================ */

/* Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int s_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int stats_day_number(const char *day)
{
    if (!day || strlen(day) != 10 || day[4] != '-' || day[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (day[i] < '0' || day[i] > '9'))
            return -1;
    int y = atoi(day), m = atoi(day + 5), d = atoi(day + 8);
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        return -1;
    int n = s_days_from_civil(y, m, d);
    return n <= UINT16_MAX ? n : -1;
}

void stats_day_string(int z, char out[STATS_DAY_MAX])
{
    /* civil_from_days, the inverse of the above. */
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, STATS_DAY_MAX, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

int stats_weekday(int day_number)
{
    /* 1970-01-01 was a Thursday (3 counting from Monday = 0). */
    return ((day_number % 7) + 7 + 3) % 7;
}

double stats_percentile(const int64_t *sorted, size_t n, double p)
{
    if (n == 0)
        return 0;
    double pos = p * (double)(n - 1);
    size_t lo = (size_t)pos;
    if (lo + 1 >= n)
        return (double)sorted[n - 1];
    return (double)sorted[lo] + (pos - (double)lo) * (double)(sorted[lo + 1] - sorted[lo]);
}

/* The same over the low 32 bits of sorted (group << 32 | value) keys of one group. */
static double s_key_percentile(const uint64_t *keys, size_t n, double p)
{
    if (n == 0)
        return 0;
    double pos = p * (double)(n - 1);
    size_t lo = (size_t)pos;
    double a = (double)(keys[lo] & 0xffffffffu);
    if (lo + 1 >= n)
        return a;
    return a + (pos - (double)lo) * ((double)(keys[lo + 1] & 0xffffffffu) - a);
}

/* ==== the history ====================================================================== */

enum { S_GREEN = 1, S_INSTANT = 2, S_TRANSFERRED = 4 };
enum { S_NO_HOUR = 255 };

/* One ticket, kept small: a busy hall's year is millions of them. */
typedef struct {
    int32_t wait_ms;     /* first call - issue; -1 never called */
    int32_t handling_ms; /* -1 when not finished */
    int32_t busy_ms;     /* last call to finish less parked (window time); -1 not finished */
    uint16_t day;        /* days since 1970-01-01 */
    uint16_t clerk;      /* index + 1 into clerks, 0 none */
    uint16_t service;    /* 0 none */
    uint16_t counter;    /* 0 none */
    uint8_t hour;        /* local hour of issue */
    uint8_t quarter;     /* quarter minute within that hour (0..239) */
    uint8_t busy_from;   /* local hours the window worked on it, S_NO_HOUR when none */
    uint8_t busy_to;
    uint8_t queue;  /* letter */
    uint8_t state;  /* hq_ticket_state_t */
    uint8_t flags;  /* S_GREEN | S_INSTANT | S_TRANSFERRED */
    uint8_t rating; /* 0 none */
} s_row_t;

/* Local start of each hour of a business day, from mktime so daylight saving shifts land
 * where the hall's clock put them. */
typedef struct {
    int day;
    int64_t start_ms[25];
} s_dayhours_t;

struct stats_hist {
    int64_t target_ms; /* handling target for instant items */
    s_row_t *rows;     /* the tickets */
    size_t nrows, cap;
    char (*clerks)[HQ_CLERK_MAX]; /* interned clerk ids, clerk index - 1 */
    size_t nclerks, clerks_cap;
    uint32_t *clerk_slots; /* open addressing: clerk index + 1, 0 empty */
    size_t clerk_slot_n;   /* power of two */
    s_dayhours_t *days;    /* hour boundaries of each day seen */
    size_t ndays, days_cap;
    size_t last_day;               /* index of the day used last: tickets come day by day */
    char last_text[STATS_DAY_MAX]; /* and its text and number, to skip parsing */
    int last_number;
    int min_day, max_day;
};

stats_hist_t *stats_hist_new(int64_t target_ms)
{
    stats_hist_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->target_ms = target_ms;
    self->min_day = INT_MAX;
    self->max_day = -1;
    return self;
}

void stats_hist_destroy(stats_hist_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    stats_hist_t *self = *self_p;
    free(self->rows);
    free(self->clerks);
    free(self->clerk_slots);
    free(self->days);
    free(self);
    *self_p = NULL;
}

size_t stats_hist_count(const stats_hist_t *self)
{
    return self->nrows;
}

int64_t stats_hist_target_ms(const stats_hist_t *self)
{
    return self->target_ms;
}

void stats_hist_days(const stats_hist_t *self, char first[STATS_DAY_MAX], char last[STATS_DAY_MAX])
{
    first[0] = last[0] = '\0';
    if (self->nrows == 0)
        return;
    stats_day_string(self->min_day, first);
    stats_day_string(self->max_day, last);
}

static const s_dayhours_t *s_day_hours(stats_hist_t *self, int day)
{
    if (self->ndays && self->days[self->last_day].day == day)
        return &self->days[self->last_day];
    for (size_t i = 0; i < self->ndays; i++)
        if (self->days[i].day == day) {
            self->last_day = i;
            return &self->days[i];
        }
    if (self->ndays == self->days_cap) {
        size_t cap = self->days_cap ? self->days_cap * 2 : 64;
        s_dayhours_t *d = realloc(self->days, cap * sizeof *d);
        if (!d)
            return NULL;
        self->days = d;
        self->days_cap = cap;
    }
    s_dayhours_t *dh = &self->days[self->ndays];
    char text[STATS_DAY_MAX];
    stats_day_string(day, text);
    dh->day = day;
    for (int h = 0; h <= 24; h++) {
        struct tm tm;
        memset(&tm, 0, sizeof tm);
        tm.tm_year = atoi(text) - 1900;
        tm.tm_mon = atoi(text + 5) - 1;
        tm.tm_mday = atoi(text + 8);
        tm.tm_hour = h;
        tm.tm_isdst = -1;
        dh->start_ms[h] = (int64_t)mktime(&tm) * 1000;
    }
    self->last_day = self->ndays++;
    return dh;
}

static uint8_t s_hour_of(const s_dayhours_t *dh, int64_t ms)
{
    int h = 23;
    while (h > 0 && ms < dh->start_ms[h])
        h--;
    return (uint8_t)h;
}

static uint64_t s_hash(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Clerk id to its index + 1, adding it when new; 0 for none, -1 out of memory. */
static int s_clerk_index(stats_hist_t *self, const char *clerk)
{
    if (!clerk || !clerk[0])
        return 0;
    if ((self->nclerks + 1) * 2 > self->clerk_slot_n) {
        if (self->nclerks >= UINT16_MAX - 1)
            return -1;
        size_t n = self->clerk_slot_n ? self->clerk_slot_n * 2 : 64;
        uint32_t *slots = calloc(n, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < self->nclerks; i++) {
            size_t j = s_hash(self->clerks[i]) & (n - 1);
            while (slots[j])
                j = (j + 1) & (n - 1);
            slots[j] = (uint32_t)(i + 1);
        }
        free(self->clerk_slots);
        self->clerk_slots = slots;
        self->clerk_slot_n = n;
    }
    size_t j = s_hash(clerk) & (self->clerk_slot_n - 1);
    while (self->clerk_slots[j]) {
        if (strncmp(self->clerks[self->clerk_slots[j] - 1], clerk, HQ_CLERK_MAX - 1) == 0)
            return (int)self->clerk_slots[j];
        j = (j + 1) & (self->clerk_slot_n - 1);
    }
    if (self->nclerks == self->clerks_cap) {
        size_t cap = self->clerks_cap ? self->clerks_cap * 2 : 32;
        char(*c)[HQ_CLERK_MAX] = realloc(self->clerks, cap * sizeof *c);
        if (!c)
            return -1;
        self->clerks = c;
        self->clerks_cap = cap;
    }
    hq_strlcpy(self->clerks[self->nclerks], clerk, HQ_CLERK_MAX);
    self->clerk_slots[j] = (uint32_t)++self->nclerks;
    return (int)self->nclerks;
}

static int32_t s_clamp_ms(int64_t ms)
{
    return ms < 0 ? 0 : ms > INT32_MAX ? INT32_MAX : (int32_t)ms;
}

/* The state by its first letter, confirmed by one comparison: this runs for every ticket
 * of a year. */
static int s_state(const char *name)
{
    static const struct {
        char first;
        hq_ticket_state_t state;
    } guess[] = {{'w', HQ_T_WAITING},  {'c', HQ_T_CALLED},  {'s', HQ_T_SERVING}, {'p', HQ_T_PARKED},
                 {'f', HQ_T_FINISHED}, {'n', HQ_T_NO_SHOW}, {'e', HQ_T_EXPIRED}};
    if (!name)
        return -1;
    for (size_t i = 0; i < sizeof guess / sizeof guess[0]; i++)
        if (name[0] == guess[i].first)
            return strcmp(name, hq_ticket_state_name(guess[i].state)) == 0 ? (int)guess[i].state
                                                                           : -1;
    return -1;
}

int stats_hist_add(stats_hist_t *self, const stats_ticket_t *t)
{
    int day;
    if (t->day && self->last_text[0] && strcmp(t->day, self->last_text) == 0) {
        day = self->last_number;
    } else {
        day = stats_day_number(t->day);
        if (day >= 0) {
            hq_strlcpy(self->last_text, t->day, sizeof self->last_text);
            self->last_number = day;
        }
    }
    int state = s_state(t->state);
    if (day < 0 || state < 0 || t->queue < 'A' || t->queue > 'Z')
        return -1;
    const s_dayhours_t *dh = s_day_hours(self, day);
    if (!dh)
        return -1;
    int clerk = s_clerk_index(self, t->clerk);
    if (clerk < 0)
        return -1;
    if (self->nrows == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 4096;
        s_row_t *rows = realloc(self->rows, cap * sizeof *rows);
        if (!rows)
            return -1;
        self->rows = rows;
        self->cap = cap;
    }
    s_row_t *r = &self->rows[self->nrows];
    memset(r, 0, sizeof *r);
    r->day = (uint16_t)day;
    r->clerk = (uint16_t)clerk;
    r->service = t->service > 0 && t->service <= UINT16_MAX ? (uint16_t)t->service : 0;
    r->counter = t->counter > 0 && t->counter <= UINT16_MAX ? (uint16_t)t->counter : 0;
    r->queue = (uint8_t)t->queue;
    r->state = (uint8_t)state;
    r->rating = t->rating >= 1 && t->rating <= 5 ? (uint8_t)t->rating : 0;
    r->flags = (t->green ? S_GREEN : 0) | (t->instant ? S_INSTANT : 0) |
               (t->transfers > 0 ? S_TRANSFERRED : 0);
    r->hour = s_hour_of(dh, t->issued_ms);
    int64_t into = (t->issued_ms - dh->start_ms[r->hour]) / 15000;
    r->quarter = (uint8_t)(into < 0 ? 0 : into > 239 ? 239 : into);
    r->wait_ms = t->called_ms ? s_clamp_ms(t->called_ms - t->issued_ms) : -1;
    r->handling_ms = r->busy_ms = -1;
    if (state == HQ_T_FINISHED) {
        r->handling_ms = s_clamp_ms(
            metric_handling_ms(t->last_called_ms, t->started_ms, t->finished_ms, t->park_total_ms));
        int64_t from = t->last_called_ms ? t->last_called_ms : t->called_ms;
        r->busy_ms = from ? s_clamp_ms(t->finished_ms - from - t->park_total_ms) : -1;
    }
    r->busy_from = r->busy_to = S_NO_HOUR;
    if (r->counter && t->called_ms) {
        int64_t end = t->finished_ms      ? t->finished_ms
                      : t->last_called_ms ? t->last_called_ms
                                          : t->called_ms;
        r->busy_from = s_hour_of(dh, t->called_ms);
        r->busy_to = s_hour_of(dh, end > t->called_ms ? end : t->called_ms);
    }
    if (day < self->min_day)
        self->min_day = day;
    if (day > self->max_day)
        self->max_day = day;
    self->nrows++;
    return 0;
}

/* ---- grouping ------------------------------------------------------------------------ */

static const char *const s_by_names[STATS_BY_COUNT_] = {
    "all", "day", "hour", "weekday", "queue", "counter", "clerk", "service", "lane"};
static const char *const s_weekdays[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

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

static size_t s_ngroups(const stats_hist_t *self, stats_by_t by)
{
    size_t n = 1;
    switch (by) {
    case STATS_BY_ALL:
        return 1;
    case STATS_BY_DAY:
        return self->nrows ? (size_t)(self->max_day - self->min_day + 1) : 1;
    case STATS_BY_HOUR:
        return 24;
    case STATS_BY_WEEKDAY:
        return 7;
    case STATS_BY_QUEUE:
        return 26;
    case STATS_BY_LANE:
        return 2;
    case STATS_BY_CLERK:
        return self->nclerks + 1;
    case STATS_BY_COUNTER:
    case STATS_BY_SERVICE:
        for (size_t i = 0; i < self->nrows; i++) {
            size_t v = by == STATS_BY_COUNTER ? self->rows[i].counter : self->rows[i].service;
            if (v + 1 > n)
                n = v + 1;
        }
        return n;
    default:
        return 1;
    }
}

static uint32_t s_gid(const stats_hist_t *self, const s_row_t *r, stats_by_t by)
{
    switch (by) {
    case STATS_BY_DAY:
        return (uint32_t)(r->day - self->min_day);
    case STATS_BY_HOUR:
        return r->hour;
    case STATS_BY_WEEKDAY:
        return (uint32_t)stats_weekday(r->day);
    case STATS_BY_QUEUE:
        return (uint32_t)(r->queue - 'A');
    case STATS_BY_COUNTER:
        return r->counter;
    case STATS_BY_CLERK:
        return r->clerk;
    case STATS_BY_SERVICE:
        return r->service;
    case STATS_BY_LANE:
        return (r->flags & S_GREEN) ? 1 : 0;
    default:
        return 0;
    }
}

/* LSD radix sort, 16 bits a pass. Passes over digits that are the same in every key are
 * skipped, so few groups and short durations cost two or three passes, not four. */
static int s_radix_sort(uint64_t *keys, size_t n)
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

typedef struct {
    int64_t wait_sum, handling_sum, instant_sum, green_wait_sum, normal_wait_sum;
} s_sums_t;

enum { S_WAIT, S_HANDLING, S_INSTANT_H };

/* Fills median and p90 of one duration for every group from a sort of (group, value). */
static int s_percentiles(const stats_hist_t *self, stats_by_t by, int which, stats_group_t *g,
                         uint64_t *keys)
{
    size_t n = 0;
    for (size_t i = 0; i < self->nrows; i++) {
        const s_row_t *r = &self->rows[i];
        int32_t v = which == S_WAIT ? r->wait_ms : r->handling_ms;
        if (v < 0 || (which == S_INSTANT_H && !(r->flags & S_INSTANT)))
            continue;
        keys[n++] = (uint64_t)s_gid(self, r, by) << 32 | (uint32_t)v;
    }
    if (s_radix_sort(keys, n) != 0)
        return -1;
    for (size_t i = 0; i < n;) {
        uint32_t gid = (uint32_t)(keys[i] >> 32);
        size_t j = i;
        while (j < n && (uint32_t)(keys[j] >> 32) == gid)
            j++;
        stats_dist_t *d = which == S_WAIT       ? &g[gid].wait
                          : which == S_HANDLING ? &g[gid].handling
                                                : &g[gid].instant;
        d->median_ms = s_key_percentile(keys + i, j - i, 0.5);
        d->p90_ms = s_key_percentile(keys + i, j - i, 0.9);
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
    size_t ng = s_ngroups(self, by);
    stats_group_t *g = calloc(ng, sizeof *g);
    s_sums_t *sums = calloc(ng, sizeof *sums);
    uint64_t *keys = self->nrows ? malloc(self->nrows * sizeof *keys) : NULL;
    if (!g || !sums || (self->nrows && !keys))
        goto fail;
    for (size_t i = 0; i < self->nrows; i++) {
        const s_row_t *r = &self->rows[i];
        uint32_t gid = s_gid(self, r, by);
        stats_group_t *x = &g[gid];
        s_sums_t *s = &sums[gid];
        x->issued++;
        x->served += r->state == HQ_T_FINISHED;
        x->no_show += r->state == HQ_T_NO_SHOW;
        x->expired += r->state == HQ_T_EXPIRED;
        x->transferred += (r->flags & S_TRANSFERRED) != 0;
        x->green += (r->flags & S_GREEN) != 0;
        if (r->wait_ms >= 0) {
            x->called++;
            s_dist_add(&x->wait, &s->wait_sum, r->wait_ms);
            if (r->flags & S_GREEN) {
                x->green_waited++;
                s->green_wait_sum += r->wait_ms;
            } else {
                x->normal_waited++;
                s->normal_wait_sum += r->wait_ms;
            }
        }
        if (r->handling_ms >= 0) {
            s_dist_add(&x->handling, &s->handling_sum, r->handling_ms);
            if (r->flags & S_INSTANT) {
                s_dist_add(&x->instant, &s->instant_sum, r->handling_ms);
                x->instant_within += r->handling_ms <= self->target_ms;
            }
        }
        if (r->rating) {
            x->rated++;
            x->rating_sum += r->rating;
            x->ratings[r->rating - 1]++;
        }
    }
    if (s_percentiles(self, by, S_WAIT, g, keys) != 0 ||
        s_percentiles(self, by, S_HANDLING, g, keys) != 0 ||
        s_percentiles(self, by, S_INSTANT_H, g, keys) != 0)
        goto fail;
    free(keys);
    keys = NULL;
    /* Compact the groups that hold tickets, in id order (natural order for all but clerks),
     * and name them. */
    size_t out = 0;
    for (size_t id = 0; id < ng; id++) {
        if (!g[id].issued)
            continue;
        stats_group_t x = g[id];
        const s_sums_t *s = &sums[id];
        x.wait.mean_ms = x.wait.n ? (double)s->wait_sum / (double)x.wait.n : 0;
        x.handling.mean_ms = x.handling.n ? (double)s->handling_sum / (double)x.handling.n : 0;
        x.instant.mean_ms = x.instant.n ? (double)s->instant_sum / (double)x.instant.n : 0;
        x.green_wait_mean_ms =
            x.green_waited ? (double)s->green_wait_sum / (double)x.green_waited : 0;
        x.normal_wait_mean_ms =
            x.normal_waited ? (double)s->normal_wait_sum / (double)x.normal_waited : 0;
        x.key[0] = '\0';
        switch (by) {
        case STATS_BY_DAY:
            stats_day_string(self->min_day + (int)id, x.key);
            break;
        case STATS_BY_HOUR:
            snprintf(x.key, sizeof x.key, "%02zu", id);
            break;
        case STATS_BY_WEEKDAY:
            snprintf(x.key, sizeof x.key, "%s", s_weekdays[id]);
            break;
        case STATS_BY_QUEUE:
            snprintf(x.key, sizeof x.key, "%c", (char)('A' + id));
            break;
        case STATS_BY_COUNTER:
        case STATS_BY_SERVICE:
            if (id)
                snprintf(x.key, sizeof x.key, "%zu", id);
            x.none = id == 0;
            break;
        case STATS_BY_CLERK:
            if (id)
                snprintf(x.key, sizeof x.key, "%s", self->clerks[id - 1]);
            x.none = id == 0;
            break;
        case STATS_BY_LANE:
            snprintf(x.key, sizeof x.key, "%s", id ? "green" : "normal");
            break;
        default:
            break;
        }
        g[out++] = x;
    }
    free(sums);
    /* The group without the attribute (id 0) goes last; clerks go by name. */
    if (out && g[0].none) {
        stats_group_t none = g[0];
        memmove(g, g + 1, (out - 1) * sizeof *g);
        g[out - 1] = none;
    }
    if (by == STATS_BY_CLERK) {
        qsort(g, out, sizeof *g, s_cmp_clerk);
    }
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

/* ---- staffing ------------------------------------------------------------------------ */

int stats_staffing(const stats_hist_t *self, double target_wait_ms, int max_windows,
                   stats_staff_t out[STATS_WEEK_SLOTS])
{
    memset(out, 0, STATS_WEEK_SLOTS * sizeof *out);
    for (int s = 0; s < STATS_WEEK_SLOTS; s++) {
        out[s].weekday = s / 24;
        out[s].hour = s % 24;
        out[s].windows_needed = 0;
    }
    if (self->nrows == 0)
        return 0;
    size_t ndays = (size_t)(self->max_day - self->min_day + 1);
    uint8_t *open = calloc(ndays, 1);
    int64_t busy_sum[STATS_WEEK_SLOTS] = {0}, busy_n[STATS_WEEK_SLOTS] = {0};
    int64_t wait_sum[STATS_WEEK_SLOTS] = {0};
    int64_t all_busy_sum = 0, all_busy_n = 0;
    size_t npairs = 0;
    for (size_t i = 0; i < self->nrows; i++) {
        const s_row_t *r = &self->rows[i];
        if (r->busy_from != S_NO_HOUR)
            npairs += (size_t)(r->busy_to - r->busy_from + 1);
    }
    uint64_t *pairs = npairs ? malloc(npairs * sizeof *pairs) : NULL;
    if (!open || (npairs && !pairs)) {
        free(open);
        free(pairs);
        return -1;
    }
    size_t p = 0;
    for (size_t i = 0; i < self->nrows; i++) {
        const s_row_t *r = &self->rows[i];
        size_t d = (size_t)(r->day - self->min_day);
        int slot = stats_weekday(r->day) * 24 + r->hour;
        open[d] = 1;
        out[slot].arrivals++;
        if (r->wait_ms >= 0) {
            out[slot].observed_n++;
            wait_sum[slot] += r->wait_ms;
        }
        if (r->busy_ms >= 0) {
            busy_sum[slot] += r->busy_ms;
            busy_n[slot]++;
            all_busy_sum += r->busy_ms;
            all_busy_n++;
        }
        /* (day, hour, window) once for each hour the window worked on the ticket. */
        if (r->busy_from != S_NO_HOUR)
            for (int h = r->busy_from; h <= r->busy_to; h++)
                pairs[p++] = ((uint64_t)d * 24 + (uint64_t)h) << 16 | r->counter;
    }
    int days_of[7] = {0};
    for (size_t d = 0; d < ndays; d++)
        if (open[d])
            days_of[stats_weekday(self->min_day + (int)d)]++;
    /* How long the hall was issuing in each hour: an hour when it opens at 8:30 or stops
     * issuing at 11:30 has half the hour's arrivals in half the time, and taken as a whole
     * hour it would look half as busy. With n issues in an hour the expected gap between
     * two is 1/(n+1) of it; a gap before the first or after the last of more than seven
     * of those (about 0.1 % likely by chance) is taken as the hall being closed then. */
    size_t ncell = ndays * 24;
    uint8_t *lo = malloc(ncell), *hi = calloc(ncell, 1);
    uint32_t *cnt = calloc(ncell, sizeof *cnt);
    if (!lo || !hi || !cnt) {
        free(lo);
        free(hi);
        free(cnt);
        free(open);
        free(pairs);
        return -1;
    }
    memset(lo, 255, ncell);
    for (size_t i = 0; i < self->nrows; i++) {
        const s_row_t *r = &self->rows[i];
        size_t cell = (size_t)(r->day - self->min_day) * 24 + r->hour;
        cnt[cell]++;
        if (r->quarter < lo[cell])
            lo[cell] = r->quarter;
        if (r->quarter > hi[cell])
            hi[cell] = r->quarter;
    }
    double hours[STATS_WEEK_SLOTS] = {0};
    for (size_t cell = 0; cell < ncell; cell++) {
        if (!cnt[cell])
            continue;
        double gap = 240.0 / (cnt[cell] + 1.0), start = 0, end = 240;
        if (lo[cell] > 7 * gap)
            start = lo[cell] - gap;
        if (239 - hi[cell] > 7 * gap)
            end = hi[cell] + 1 + gap;
        int day = self->min_day + (int)(cell / 24);
        hours[stats_weekday(day) * 24 + (int)(cell % 24)] += (end - start) / 240.0;
    }
    free(lo);
    free(hi);
    free(cnt);
    double windows_sum[STATS_WEEK_SLOTS] = {0};
    if (s_radix_sort(pairs, npairs) != 0) {
        free(open);
        free(pairs);
        return -1;
    }
    for (size_t i = 0; i < npairs; i++) {
        if (i > 0 && pairs[i] == pairs[i - 1])
            continue;
        uint64_t dh = pairs[i] >> 16;
        int day = self->min_day + (int)(dh / 24);
        windows_sum[stats_weekday(day) * 24 + (int)(dh % 24)] += 1;
    }
    free(open);
    free(pairs);
    double all_busy = all_busy_n ? (double)all_busy_sum / (double)all_busy_n : 0;
    for (int s = 0; s < STATS_WEEK_SLOTS; s++) {
        stats_staff_t *o = &out[s];
        o->days = days_of[o->weekday];
        if (!o->arrivals || !o->days)
            continue;
        o->hours = hours[s];
        o->rate_per_hour = (double)o->arrivals / o->hours;
        /* An hour's own mean is noisy with few tickets; then the period's is used. */
        o->service_ms = busy_n[s] >= 20 ? (double)busy_sum[s] / (double)busy_n[s] : all_busy;
        o->load = o->rate_per_hour * o->service_ms / 3600000.0;
        o->windows_seen = windows_sum[s] / o->days;
        o->windows_used = (int)lround(o->windows_seen);
        if (o->windows_used < 1)
            o->windows_used = 1;
        o->predicted_wait_ms = erlang_mean_wait(o->windows_used, o->load, o->service_ms);
        o->observed_wait_ms = o->observed_n ? (double)wait_sum[s] / (double)o->observed_n : 0;
        o->windows_needed =
            erlang_windows_for_wait(o->load, o->service_ms, target_wait_ms, max_windows);
        if (o->windows_needed > 0) {
            o->needed_wait_ms = erlang_mean_wait(o->windows_needed, o->load, o->service_ms);
            o->needed_p_wait = erlang_c(o->windows_needed, o->load);
        }
    }
    return 0;
}

/* ==== the database ===================================================================== */

struct stats_db {
    sqlite3 *db; /* read-only connection */
    char *path;  /* DIR/hallq.db */
};

/* A URI for the immutable fallback: only characters that are safe in a path stay. */
static char *s_uri(const char *path, const char *query)
{
    size_t n = strlen(path) * 3 + strlen(query) + 8;
    char *uri = malloc(n);
    if (!uri)
        return NULL;
    char *o = uri + sprintf(uri, "file:");
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            strchr("/._-~", *s))
            *o++ = (char)*s;
        else
            o += sprintf(o, "%%%02X", *s);
    }
    sprintf(o, "?%s", query);
    return uri;
}

static int s_int_pragma(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return sqlite3_errcode(db);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

stats_db_t *stats_db_open(const char *dir, char *why, size_t whylen)
{
    stats_db_t *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    size_t n = strlen(dir) + sizeof STORE_FILE + 2;
    self->path = malloc(n);
    if (!self->path) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    snprintf(self->path, n, "%s/%s", dir, STORE_FILE);
    if (access(self->path, R_OK) != 0) {
        hq_fail(why, whylen, "no readable database at %s: %s (is --data right?)", self->path,
                strerror(errno));
        goto fail;
    }
    /* Read only: this connection can never change the hall's records, and as a WAL reader
     * it sees one consistent snapshot without making the daemon wait. */
    /* NOMUTEX: one thread uses the connection, and the per-call mutex of the default
     * serialized mode costs a tenth of a year's export. */
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(self->path, &self->db, flags, NULL);
    int64_t app_id = 0, version = 0;
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(self->db, 5000);
        rc = s_int_pragma(self->db, "PRAGMA application_id", &app_id);
    }
    if (rc != SQLITE_OK) {
        /* A WAL database whose -shm file is gone (daemon stopped) cannot be opened read
         * only by a user who may not create that file in the data directory. With no -wal
         * file either, nobody is writing, and SQLite may read it as immutable. */
        char wal[1200];
        snprintf(wal, sizeof wal, "%s-wal", self->path);
        char *uri = access(wal, F_OK) != 0 ? s_uri(self->path, "immutable=1") : NULL;
        sqlite3_close(self->db);
        self->db = NULL;
        rc = uri ? sqlite3_open_v2(uri, &self->db, flags | SQLITE_OPEN_URI, NULL) : rc;
        free(uri);
        if (rc == SQLITE_OK)
            rc = s_int_pragma(self->db, "PRAGMA application_id", &app_id);
        if (rc != SQLITE_OK) {
            hq_fail(why, whylen, "%s: %s", self->path,
                    self->db ? sqlite3_errmsg(self->db) : "cannot open");
            goto fail;
        }
    }
    if (app_id != STORE_APPLICATION_ID) {
        hq_fail(why, whylen, "%s is not a hallq database", self->path);
        goto fail;
    }
    if (s_int_pragma(self->db, "PRAGMA user_version", &version) != SQLITE_OK ||
        version > STORE_SCHEMA) {
        hq_fail(why, whylen, "%s has a newer schema than this hallqctl", self->path);
        goto fail;
    }
    return self;
fail:
    stats_db_close(&self);
    return NULL;
}

void stats_db_close(stats_db_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    stats_db_t *self = *self_p;
    if (self->db)
        sqlite3_close(self->db);
    free(self->path);
    free(self);
    *self_p = NULL;
}

const char *stats_db_path(const stats_db_t *self)
{
    return self->path;
}

static void s_col_day(sqlite3_stmt *st, int i, char out[STATS_DAY_MAX])
{
    const unsigned char *s = sqlite3_column_text(st, i);
    hq_strlcpy(out, s ? (const char *)s : "", STATS_DAY_MAX);
}

int stats_db_days(stats_db_t *self, char first[STATS_DAY_MAX], char last[STATS_DAY_MAX])
{
    first[0] = last[0] = '\0';
    sqlite3_stmt *st;
    /* min() and max() of the leading column of UNIQUE(day, prefix, number): two index
     * probes, not a scan. */
    if (sqlite3_prepare_v2(self->db, "SELECT min(day), max(day) FROM tickets", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        s_col_day(st, 0, first);
        s_col_day(st, 1, last);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Whether tickets of this queue and service count toward the handling target; the catalog
 * lookup is a linear search, so answers are kept per service number. */
typedef struct {
    const hallq_config_t *cfg;
    signed char by_service[10000]; /* -1 unknown yet */
    signed char by_queue[26];
} s_instant_t;

static void s_instant_init(s_instant_t *c, const hallq_config_t *cfg)
{
    c->cfg = cfg;
    memset(c->by_service, -1, sizeof c->by_service);
    memset(c->by_queue, -1, sizeof c->by_queue);
}

static int s_instant(s_instant_t *c, char queue, int service)
{
    if (queue < 'A' || queue > 'Z')
        return 0;
    if (service > 0 && service < 10000) {
        /* 2: not in the catalog, so the queue decides (as config_is_instant does). */
        signed char *s = &c->by_service[service];
        if (*s < 0) {
            const cfg_service_t *svc = config_service(c->cfg, service);
            *s = (signed char)(!svc ? 2 : svc->instant ? 1 : 0);
        }
        if (*s < 2)
            return *s;
    } else if (service != 0) {
        return config_is_instant(c->cfg, queue, service);
    }
    signed char *q = &c->by_queue[queue - 'A'];
    if (*q < 0)
        *q = (signed char)(config_is_instant(c->cfg, queue, 0) ? 1 : 0);
    return *q;
}

/* The day range as SQL: with the whole history asked for, a plain table scan (rows are
 * stored in issue order) beats walking the day index and looking each row up. */
static int s_range(stats_db_t *self, const char *from, const char *to, const char **lo,
                   const char **hi, int *use_index)
{
    char first[STATS_DAY_MAX], last[STATS_DAY_MAX];
    if (stats_db_days(self, first, last) != 0)
        return -1;
    *lo = from && from[0] ? from : "0000-00-00";
    *hi = to && to[0] ? to : "9999-99-99";
    *use_index = !(strcmp(*lo, first) <= 0 && strcmp(*hi, last) >= 0);
    return 0;
}

static const char *s_text(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

static char s_letter(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (char)s[0] : 0;
}

stats_hist_t *stats_db_load(stats_db_t *self, const hallq_config_t *cfg, const char *from,
                            const char *to, char *why, size_t whylen)
{
    const char *lo, *hi;
    int use_index;
    if (s_range(self, from, to, &lo, &hi, &use_index) != 0) {
        hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
        return NULL;
    }
    static const char cols[] =
        "SELECT day, queue, service, green, state, issued_ms, called_ms, last_called_ms,"
        " started_ms, finished_ms, park_total_ms, counter, clerk, rating, transfers FROM tickets";
    char sql[512];
    snprintf(sql, sizeof sql, "%s WHERE %s BETWEEN ?1 AND ?2", cols, use_index ? "day" : "+day");
    s_instant_t *inst = malloc(sizeof *inst);
    stats_hist_t *h = stats_hist_new((int64_t)cfg->handling_target_min * 60000);
    sqlite3_stmt *st = NULL;
    if (!inst || !h) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    s_instant_init(inst, cfg);
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK) {
        hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
        goto fail;
    }
    sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        stats_ticket_t t;
        t.day = s_text(st, 0);
        t.queue = s_letter(st, 1);
        t.service = sqlite3_column_int(st, 2);
        t.green = sqlite3_column_int(st, 3);
        t.state = s_text(st, 4);
        t.issued_ms = sqlite3_column_int64(st, 5);
        t.called_ms = sqlite3_column_int64(st, 6);
        t.last_called_ms = sqlite3_column_int64(st, 7);
        t.started_ms = sqlite3_column_int64(st, 8);
        t.finished_ms = sqlite3_column_int64(st, 9);
        t.park_total_ms = sqlite3_column_int64(st, 10);
        t.counter = sqlite3_column_int(st, 11);
        t.clerk = s_text(st, 12);
        t.rating = sqlite3_column_int(st, 13);
        t.transfers = sqlite3_column_int(st, 14);
        t.instant = s_instant(inst, t.queue, t.service);
        if (stats_hist_add(h, &t) != 0) {
            /* A damaged row is skipped the way the daemon skips it at load; running out of
             * memory is not. */
            if (stats_day_number(t.day) >= 0 && s_state(t.state) >= 0 && t.queue >= 'A' &&
                t.queue <= 'Z') {
                snprintf(why, whylen, "out of memory after %zu tickets", stats_hist_count(h));
                goto fail;
            }
        }
    }
    if (rc != SQLITE_DONE) {
        hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
        goto fail;
    }
    sqlite3_finalize(st);
    free(inst);
    return h;
fail:
    sqlite3_finalize(st);
    free(inst);
    stats_hist_destroy(&h);
    return NULL;
}

int stats_db_records(stats_db_t *self, const hallq_config_t *cfg, const char *from, const char *to,
                     stats_record_fn fn, void *arg, char *why, size_t whylen)
{
    const char *lo, *hi;
    int use_index;
    if (s_range(self, from, to, &lo, &hi, &use_index) != 0)
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    static const char cols[] =
        "SELECT id, day, label, prefix, queue, service, green, age_band, state, issued_ms,"
        " called_ms, last_called_ms, started_ms, finished_ms, park_total_ms, calls, counter,"
        " clerk, reason, rating, transfers FROM tickets";
    char sql[512];
    snprintf(sql, sizeof sql, "%s WHERE %s BETWEEN ?1 AND ?2 ORDER BY id", cols,
             use_index ? "day" : "+day");
    s_instant_t *inst = malloc(sizeof *inst);
    if (!inst)
        return hq_fail(why, whylen, "out of memory");
    s_instant_init(inst, cfg);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK) {
        free(inst);
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    }
    sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        stats_record_t r;
        r.id = sqlite3_column_int64(st, 0);
        r.day = s_text(st, 1);
        r.label = s_text(st, 2);
        r.prefix = s_letter(st, 3);
        r.queue = s_letter(st, 4);
        r.service = sqlite3_column_int(st, 5);
        r.green = sqlite3_column_int(st, 6);
        r.age_band = s_text(st, 7);
        r.state = s_text(st, 8);
        r.issued_ms = sqlite3_column_int64(st, 9);
        r.called_ms = sqlite3_column_int64(st, 10);
        r.last_called_ms = sqlite3_column_int64(st, 11);
        r.started_ms = sqlite3_column_int64(st, 12);
        r.finished_ms = sqlite3_column_int64(st, 13);
        r.park_total_ms = sqlite3_column_int64(st, 14);
        r.calls = sqlite3_column_int(st, 15);
        r.counter = sqlite3_column_int(st, 16);
        r.clerk = s_text(st, 17);
        r.reason = s_text(st, 18);
        r.rating = sqlite3_column_int(st, 19);
        r.transfers = sqlite3_column_int(st, 20);
        r.instant = s_instant(inst, r.queue, r.service);
        r.wait_ms = r.called_ms ? (r.called_ms > r.issued_ms ? r.called_ms - r.issued_ms : 0) : -1;
        r.handling_ms =
            strcmp(r.state, "finished") == 0
                ? metric_handling_ms(r.last_called_ms, r.started_ms, r.finished_ms, r.park_total_ms)
                : -1;
        stop = fn(&r, arg);
    }
    free(inst);
    if (stop) {
        sqlite3_finalize(st);
        return stop;
    }
    if (rc != SQLITE_DONE) {
        hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}

int stats_db_metrics(stats_db_t *self, const char *day, stats_metric_fn fn, void *arg, char *why,
                     size_t whylen)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(self->db,
                           "SELECT ts_ms, day, scope, key, count, avg_ms, within, max_ms,"
                           " target_ms, above FROM metrics WHERE day = ?1 ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        stats_metric_t m;
        m.ts_ms = sqlite3_column_int64(st, 0);
        m.day = s_text(st, 1);
        m.scope = s_text(st, 2);
        m.key = s_text(st, 3);
        m.count = sqlite3_column_int64(st, 4);
        m.avg_ms = sqlite3_column_int64(st, 5);
        m.within = sqlite3_column_int64(st, 6);
        m.max_ms = sqlite3_column_int64(st, 7);
        m.target_ms = sqlite3_column_int64(st, 8);
        m.above = sqlite3_column_int(st, 9);
        stop = fn(&m, arg);
    }
    if (!stop && rc != SQLITE_DONE)
        hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    sqlite3_finalize(st);
    return stop ? stop : rc == SQLITE_DONE ? 0 : -1;
}
