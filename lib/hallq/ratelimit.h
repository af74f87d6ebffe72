/* Per-device request budgets: a token bucket for each device, refilled at the rate its role
 * is given ([limits] in the config, README "Rate limits"). A kiosk that floods the hall gets
 * "rate_limited" replies and never more than its budget, and costs the daemon a table lookup
 * per refused request, so the devices beside it are not slowed down.
 *
 * Pure: the caller gives the time (a monotonic clock: a step of the wall clock must neither
 * block nor free a device). */
#ifndef HQ_RATELIMIT_H
#define HQ_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

/* A budget: `per_min` requests a minute on average, up to `burst` at once. per_min 0 is
 * unlimited (burst is then unused). */
typedef struct {
    int per_min;
    int burst;
} hq_rate_t;

#define HQ_RATE_PER_MIN_MAX 600000
#define HQ_RATE_BURST_MAX 100000

/* Parses "unlimited", "N/min" or "N/s", optionally followed by ", burst M" (the burst is N
 * when not given, at most HQ_RATE_BURST_MAX). 0, or -1 with what is wrong in why. */
int hq_rate_parse(const char *text, hq_rate_t *out, char *why, size_t whylen);
/* Writes a budget as hq_rate_parse reads it. */
void hq_rate_format(const hq_rate_t *rate, char *out, size_t outlen);

typedef struct ratelimit ratelimit_t;

/* A table for at most `max_devices` devices: past that, every bucket is forgotten (full again)
 * before a new device is added. Keyed devices are few (the allow-list); connections without
 * keys are many over a day, and a bucket left alone refills anyway. */
ratelimit_t *ratelimit_new(size_t max_devices);
void ratelimit_destroy(ratelimit_t **self_p);
/* Spends one request of `device`'s budget at `now_ms`. 0 when allowed; otherwise the
 * milliseconds until one request is available again (>= 1), and nothing is spent. An unlimited
 * rate always allows, without a table entry. -1 out of memory (the caller decides; the
 * daemon allows). */
int64_t ratelimit_take(ratelimit_t *self, const char *device, const hq_rate_t *rate,
                       int64_t now_ms);
/* How many of `device`'s requests were refused since this was last answered non-zero, when
 * that was at least `every_ms` ago (or never); 0 otherwise. Lets a flood be logged once a
 * minute rather than once a request. */
int64_t ratelimit_report(ratelimit_t *self, const char *device, int64_t now_ms, int64_t every_ms);
/* Devices in the table. */
size_t ratelimit_size(const ratelimit_t *self);

#endif
