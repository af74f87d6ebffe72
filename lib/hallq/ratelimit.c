#include "ratelimit.h"

#include "hq_alloc.h"
#include "hq_strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Budgets are counted in 1/60000 of a request, so that a bucket refills by exactly `per_min`
 * units a millisecond: no fractions, no drift. */
#define S_UNIT 60000

typedef struct {
    int64_t units;    /* what is left, at most burst * S_UNIT */
    int64_t at_ms;    /* when `units` was last brought up to date */
    int64_t refused;  /* requests refused since the last report */
    int64_t reported; /* when refusals were last reported, 0 never */
} s_bucket_t;

struct ratelimit {
    hq_strmap_t *index;  /* device -> its bucket's position */
    s_bucket_t *buckets; /* as many as the index has keys */
    size_t cap;          /* buckets allocated */
    size_t max_devices;
};

int hq_rate_parse(const char *text, hq_rate_t *out, char *why, size_t whylen)
{
    if (strcmp(text, "unlimited") == 0) {
        out->per_min = 0;
        out->burst = 0;
        return 0;
    }
    char unit[8] = "", word[8] = "", extra[2] = "";
    long n = 0, burst = -1;
    int used = 0;
    if (sscanf(text, "%ld/%7[a-z]%n", &n, unit, &used) != 2 ||
        (strcmp(unit, "min") != 0 && strcmp(unit, "s") != 0)) {
        snprintf(why, whylen, "expected 'unlimited' or 'N/min' or 'N/s' (optionally ', burst M')");
        return -1;
    }
    const char *rest = text + used;
    if (*rest &&
        (sscanf(rest, " , %7s %ld %1s", word, &burst, extra) != 2 || strcmp(word, "burst") != 0)) {
        snprintf(why, whylen, "after the rate, expected ', burst M'");
        return -1;
    }
    long per_min = strcmp(unit, "s") == 0 ? n * 60 : n;
    if (n < 1 || per_min > HQ_RATE_PER_MIN_MAX) {
        snprintf(why, whylen, "the rate must be from 1/min to %d/min", HQ_RATE_PER_MIN_MAX);
        return -1;
    }
    if (burst == -1)
        burst = n < HQ_RATE_BURST_MAX ? n : HQ_RATE_BURST_MAX;
    if (burst < 1 || burst > HQ_RATE_BURST_MAX) {
        snprintf(why, whylen, "the burst must be from 1 to %d", HQ_RATE_BURST_MAX);
        return -1;
    }
    out->per_min = (int)per_min;
    out->burst = (int)burst;
    return 0;
}

void hq_rate_format(const hq_rate_t *rate, char *out, size_t outlen)
{
    if (rate->per_min == 0)
        snprintf(out, outlen, "unlimited");
    else
        snprintf(out, outlen, "%d/min, burst %d", rate->per_min, rate->burst);
}

ratelimit_t *ratelimit_new(size_t max_devices)
{
    ratelimit_t *self = hq_calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->max_devices = max_devices ? max_devices : 1;
    self->index = hq_strmap_new();
    if (!self->index)
        ratelimit_destroy(&self);
    return self;
}

void ratelimit_destroy(ratelimit_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ratelimit_t *self = *self_p;
    hq_strmap_destroy(&self->index);
    free(self->buckets);
    free(self);
    *self_p = NULL;
}

size_t ratelimit_size(const ratelimit_t *self)
{
    return hq_strmap_size(self->index);
}

/* The device's bucket, made full when new. NULL out of memory. */
static s_bucket_t *s_bucket(ratelimit_t *self, const char *device, int64_t full, int64_t now_ms)
{
    int at = hq_strmap_find(self->index, device);
    if (at >= 0)
        return &self->buckets[at];
    if (hq_strmap_size(self->index) >= self->max_devices) {
        hq_strmap_t *fresh = hq_strmap_new();
        if (!fresh)
            return NULL;
        hq_strmap_destroy(&self->index);
        self->index = fresh;
    }
    size_t n = hq_strmap_size(self->index);
    if (n == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 16;
        s_bucket_t *grown = hq_malloc(cap * sizeof *grown);
        if (!grown)
            return NULL;
        if (n)
            memcpy(grown, self->buckets, n * sizeof *grown);
        free(self->buckets);
        self->buckets = grown;
        self->cap = cap;
    }
    at = hq_strmap_add(self->index, device);
    if (at < 0)
        return NULL;
    self->buckets[at] = (s_bucket_t){full, now_ms, 0, 0};
    return &self->buckets[at];
}

int64_t ratelimit_take(ratelimit_t *self, const char *device, const hq_rate_t *rate, int64_t now_ms)
{
    if (rate->per_min <= 0)
        return 0;
    int64_t full = (int64_t)rate->burst * S_UNIT;
    s_bucket_t *b = s_bucket(self, device, full, now_ms);
    if (!b)
        return -1;
    if (now_ms > b->at_ms) {
        int64_t gained = (now_ms - b->at_ms) * rate->per_min;
        b->units = gained >= full - b->units ? full : b->units + gained;
        b->at_ms = now_ms;
    }
    if (b->units > full)
        b->units = full; /* the role's budget was lowered since */
    if (b->units >= S_UNIT) {
        b->units -= S_UNIT;
        return 0;
    }
    b->refused++;
    return (S_UNIT - b->units + rate->per_min - 1) / rate->per_min;
}

int64_t ratelimit_report(ratelimit_t *self, const char *device, int64_t now_ms, int64_t every_ms)
{
    int at = hq_strmap_find(self->index, device);
    if (at < 0)
        return 0;
    s_bucket_t *b = &self->buckets[at];
    if (!b->refused || (b->reported && now_ms - b->reported < every_ms))
        return 0;
    int64_t n = b->refused;
    b->refused = 0;
    b->reported = now_ms;
    return n;
}
