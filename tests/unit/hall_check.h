/* Shared by the durability tests: a daemon driven in-process (server_new_at, server_handle)
 * on a temporary data directory, and a field-by-field comparison of two halls, used to
 * check that what is in memory is what a fresh load of the database gives. Header-only:
 * every function is static inline. */
#ifndef HALLQ_TEST_HALL_CHECK_H
#define HALLQ_TEST_HALL_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hall.h"
#include "hall_wire.h"
#include "hq_log.h"
#include "hq_date.h"
#include "server.h"
#include "store.h"

/* The hall's time zone (the business day follows it); warnings and errors logged only. */
static inline void hc_init(void)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    hq_log_set_level(HQ_LOG_WARN);
}

/* The default hall with `ncounters` windows numbered 1.. serving every queue (0: the default
 * four), on in-process endpoints, without an fsync per commit. 0 ok. */
static inline int hc_config(hallq_config_t *cfg, int ncounters)
{
    char why[256];
    if (config_default(cfg, why, sizeof why) != 0)
        return -1;
    if (ncounters > 0) {
        size_t cap = (size_t)ncounters * 24 + 1, len = 0;
        char *text = malloc(cap);
        if (!text)
            return -1;
        text[0] = '\0';
        for (int i = 1; i <= ncounters; i++)
            len += (size_t)snprintf(text + len, cap - len, "[counter %d]\n", i);
        int rc = config_load_text(cfg, text, "test.conf", why, sizeof why);
        free(text);
        if (rc != 0) {
            fprintf(stderr, "%s\n", why);
            return -1;
        }
    }
    hq_strlcpy(cfg->request_endpoint, "inproc://hallq-test-requests", sizeof cfg->request_endpoint);
    hq_strlcpy(cfg->event_endpoint, "inproc://hallq-test-events", sizeof cfg->event_endpoint);
    cfg->sync_full = 0;
    return 0;
}

/* A test's daemon: its configuration, data directory and (while running) the server. */
typedef struct {
    hallq_config_t cfg;
    char dir[64];
    server_t *srv;
} hc_fixture_t;

/* For cmocka_unit_test_setup_teardown: hc_setup_N runs a hall of N windows. */
static inline int hc_setup(void **state, int ncounters)
{
    static hc_fixture_t fx;
    memset(&fx, 0, sizeof fx);
    if (hc_config(&fx.cfg, ncounters) != 0)
        return -1;
    hq_strlcpy(fx.dir, "/tmp/hallq-durable-XXXXXX", sizeof fx.dir);
    if (!mkdtemp(fx.dir))
        return -1;
    *state = &fx;
    return 0;
}

static inline int hc_teardown(void **state)
{
    hc_fixture_t *fx = *state;
    server_destroy(&fx->srv);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    int rc = system(cmd);
    config_free(&fx->cfg);
    return rc == 0 ? 0 : -1;
}

/* Starts (or restarts) the fixture's daemon as if the clock said now_ms. */
static inline server_t *hc_start(hc_fixture_t *fx, int64_t now_ms)
{
    char why[512];
    server_destroy(&fx->srv);
    /* A closed socket lets go of its inproc name in the background: a restart binds new ones. */
    static int starts;
    starts++;
    snprintf(fx->cfg.request_endpoint, sizeof fx->cfg.request_endpoint,
             "inproc://hallq-test-requests-%d", starts);
    snprintf(fx->cfg.event_endpoint, sizeof fx->cfg.event_endpoint, "inproc://hallq-test-events-%d",
             starts);
    fx->srv = server_new_at(&fx->cfg, fx->dir, now_ms, why, sizeof why);
    if (!fx->srv)
        fprintf(stderr, "server_new_at: %s\n", why);
    return fx->srv;
}

/* ---- comparing two halls ------------------------------------------------------------------ */
static inline int hc_differs(char *why, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static inline int hc_differs(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return -1;
}

#define HC_INT(field)                                                                              \
    if (a->field != b->field)                                                                      \
    return hc_differs(why, n, "%s %s: %lld, fresh load %lld", what, #field, (long long)a->field,   \
                      (long long)b->field)
#define HC_STR(field)                                                                              \
    if (strcmp(a->field, b->field) != 0)                                                           \
    return hc_differs(why, n, "%s %s: '%s', fresh load '%s'", what, #field, a->field, b->field)

static inline int hc_same_ticket(const hq_ticket_t *a, const hq_ticket_t *b, char *why, size_t n)
{
    char what[32];
    snprintf(what, sizeof what, "ticket %lld (%s)", (long long)a->id, a->label);
    HC_INT(id);
    HC_STR(day);
    HC_INT(prefix);
    HC_INT(number);
    HC_STR(label);
    HC_INT(queue);
    HC_INT(service);
    HC_INT(green);
    HC_STR(age_band);
    HC_INT(state);
    HC_INT(issued_ms);
    HC_INT(called_ms);
    HC_INT(last_called_ms);
    HC_INT(started_ms);
    HC_INT(finished_ms);
    HC_INT(parked_ms);
    HC_INT(park_total_ms);
    HC_INT(calls);
    HC_INT(counter);
    HC_STR(clerk);
    HC_STR(reason);
    HC_INT(rating);
    HC_INT(transfers);
    HC_STR(token);
    HC_STR(device);
    return 0;
}

static inline int hc_same_counter(const hq_counter_t *a, const hq_counter_t *b, char *why, size_t n)
{
    char what[32];
    snprintf(what, sizeof what, "counter %d", a->id);
    HC_INT(id);
    HC_STR(queues);
    HC_INT(state);
    HC_STR(clerk);
    HC_STR(pause_reason);
    HC_INT(current);
    HC_STR(current_label);
    HC_INT(since_ms);
    return 0;
}

#undef HC_INT
#undef HC_STR

/* What a hall holds, copied out: it outlives the hall (a restart). */
typedef struct {
    char day[11];
    int64_t seq;
    int green_streak; /* the hall's */
    size_t ntickets;
    hq_ticket_t *tickets;
    int ncounters;
    hq_counter_t counters[CFG_COUNTERS_MAX];
    int paused[CFG_COUNTERS_MAX];
    char tablets[CFG_COUNTERS_MAX][HALL_TABLET_HASH + 1]; /* each window's tablet, its hash */
    json_t *snapshot;                                     /* at the time given to hc_capture */
} hc_image_t;

static inline void hc_capture(const hallq_config_t *cfg, const hall_t *hall, int64_t now_ms,
                              hc_image_t *img)
{
    memset(img, 0, sizeof *img);
    hq_strlcpy(img->day, hall_day(hall), sizeof img->day);
    img->seq = hall_seq(hall);
    img->green_streak = hall_green_streak(hall);
    img->ntickets = hall_ticket_count(hall);
    img->tickets = calloc(img->ntickets + 1, sizeof *img->tickets);
    for (size_t i = 0; img->tickets && i < img->ntickets; i++)
        img->tickets[i] = *hall_ticket_at(hall, i);
    img->ncounters = cfg->ncounters;
    for (int i = 0; i < cfg->ncounters; i++) {
        img->counters[i] = *hall_counter(hall, cfg->counters[i].id);
        img->paused[i] = hall_counter_paused(hall, cfg->counters[i].id);
        hq_strlcpy(img->tablets[i], hall_counter_tablet(hall, cfg->counters[i].id),
                   sizeof img->tablets[i]);
    }
    img->snapshot = hall_wire_snapshot(hall, now_ms);
}

static inline void hc_image_free(hc_image_t *img)
{
    free(img->tickets);
    json_decref(img->snapshot);
    memset(img, 0, sizeof *img);
}

/* 0 when `mem` (the daemon's memory) and `fresh` (a fresh load of its database) hold the
 * same day, sequence, green streak, tickets, counters and tablets, and the same snapshot;
 * otherwise -1 and the first difference in why. */
static inline int hc_same_image(const hc_image_t *mem, const hc_image_t *fresh, char *why, size_t n)
{
    if (strcmp(mem->day, fresh->day) != 0)
        return hc_differs(why, n, "day %s, fresh load %s", mem->day, fresh->day);
    if (mem->seq != fresh->seq)
        return hc_differs(why, n, "seq %lld, fresh load %lld", (long long)mem->seq,
                          (long long)fresh->seq);
    if (mem->green_streak != fresh->green_streak)
        return hc_differs(why, n, "green streak %d, fresh load %d", mem->green_streak,
                          fresh->green_streak);
    if (!mem->tickets || !fresh->tickets)
        return hc_differs(why, n, "out of memory");
    if (mem->ntickets != fresh->ntickets)
        return hc_differs(why, n, "%zu tickets in memory, fresh load %zu", mem->ntickets,
                          fresh->ntickets);
    for (size_t i = 0; i < mem->ntickets; i++)
        if (hc_same_ticket(&mem->tickets[i], &fresh->tickets[i], why, n) != 0)
            return -1;
    for (int i = 0; i < mem->ncounters; i++) {
        if (hc_same_counter(&mem->counters[i], &fresh->counters[i], why, n) != 0)
            return -1;
        if (mem->paused[i] != fresh->paused[i])
            return hc_differs(why, n, "counter %d paused: %d, fresh load %d", mem->counters[i].id,
                              mem->paused[i], fresh->paused[i]);
        if (strcmp(mem->tablets[i], fresh->tablets[i]) != 0)
            return hc_differs(why, n, "counter %d's tablet: '%s', fresh load '%s'",
                              mem->counters[i].id, mem->tablets[i], fresh->tablets[i]);
    }
    if (json_equal(mem->snapshot, fresh->snapshot))
        return 0;
    char *ta = json_dumps(mem->snapshot, JSON_SORT_KEYS);
    char *tb = json_dumps(fresh->snapshot, JSON_SORT_KEYS);
    size_t k = 0;
    while (ta && tb && ta[k] && ta[k] == tb[k])
        k++;
    size_t from = k > 60 ? k - 60 : 0;
    hc_differs(why, n, "snapshots differ at byte %zu:\n  memory: ...%.200s\n  fresh:  ...%.200s", k,
               ta ? ta + from : "(none)", tb ? tb + from : "(none)");
    free(ta);
    free(tb);
    return -1;
}

/* Loads the server's database into a new hall, as a restart would, and compares it with the
 * server's memory. 0 the same; -1 with the difference in why. */
static inline int hc_memory_is_the_store(server_t *srv, const hallq_config_t *cfg, int64_t now_ms,
                                         char *why, size_t n)
{
    hall_t *fresh = hall_new(cfg);
    if (!fresh)
        return hc_differs(why, n, "out of memory");
    char today[HQ_DATE_TEXT_MAX];
    hq_date_format(hq_date_local(now_ms), today);
    int rc = store_load(server_store(srv), fresh, today);
    if (rc != 0) {
        hc_differs(why, n, "store_load failed: %s", store_errmsg(server_store(srv)));
    } else {
        hc_image_t a, b;
        hc_capture(cfg, server_hall(srv), now_ms, &a);
        hc_capture(cfg, fresh, now_ms, &b);
        rc = hc_same_image(&a, &b, why, n);
        hc_image_free(&a);
        hc_image_free(&b);
    }
    hall_destroy(&fresh);
    return rc;
}

#endif
