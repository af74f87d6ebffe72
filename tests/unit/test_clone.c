/* The snapshot is exactly what the events build (the Clone pattern's promise).
 *
 * Random days (seeded) run through the daemon's own request path (server_handle): issues,
 * calls by the rules and by number, recalls, starts, finishes, no-shows taken back, parked
 * tickets taken back at another window, transfers, ratings, pauses, logins and logouts, the
 * metric, midnights and restarts, several requests in the same millisecond. A mirror fed only
 * by the published events (as a wall display or a clerk terminal keeps it) is compared field
 * by field with a mirror loaded from a fresh snapshot after every step.
 *
 * HALLQ_CLONE_SEED=N runs that seed alone; a failure prints the seed and the step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall_check.h"
#include "hq_mirror.h"

#define DAY1_8H 1795392000000LL /* 2026-11-23 08:00 in Shanghai */
#define STEPS 3000

typedef struct {
    hq_mirror_t m;     /* fed by events only */
    int want_snapshot; /* a gap or a new day: the mirror asked for a snapshot */
    int64_t applied;   /* events applied */
    int64_t resyncs;   /* snapshots it needed */
    char broken[256];  /* an event that could not be decoded */
} s_watch_t;

static void s_on_event(void *arg, const char *topic, const char *body)
{
    s_watch_t *w = arg;
    hq_event_t ev;
    if (hq_event_decode(topic, body, strlen(body), &ev) != HQ_OK) {
        snprintf(w->broken, sizeof w->broken, "%s: %.200s", topic, body);
        return;
    }
    hq_apply_t r = hq_mirror_apply(&w->m, &ev, 1);
    w->applied += r == HQ_APPLY_OK;
    if (r == HQ_APPLY_GAP || r == HQ_APPLY_RESYNC)
        w->want_snapshot = 1;
    hq_event_clear(&ev);
}

/* A mirror loaded from the daemon's snapshot now. */
static void s_snapshot_mirror(server_t *srv, int64_t now, hq_mirror_t *m)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_SNAPSHOT);
    json_t *reply = server_handle(srv, &req, now);
    assert_non_null(reply);
    assert_true(json_is_true(json_object_get(reply, "ok")));
    hq_mirror_init(m, 3000);
    assert_int_equal(hq_mirror_load_snapshot(m, reply, 1), HQ_OK);
    json_decref(reply);
}

static int s_differs(char *why, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int s_differs(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return -1;
}

/* 0 when the event-fed mirror `ev` holds what the snapshot-loaded `sn` does. */
static int s_same_mirror(const hq_mirror_t *ev, const hq_mirror_t *sn, char *why, size_t n)
{
    if (ev->seq != sn->seq)
        return s_differs(why, n, "seq: events %lld, snapshot %lld", (long long)ev->seq,
                         (long long)sn->seq);
    if (strcmp(ev->day, sn->day) != 0)
        return s_differs(why, n, "day: events %s, snapshot %s", ev->day, sn->day);
    if (ev->nqueues != sn->nqueues)
        return s_differs(why, n, "queues: events %d, snapshot %d", ev->nqueues, sn->nqueues);
    for (int i = 0; i < ev->nqueues; i++) {
        const hq_mirror_queue_t *a = &ev->queues[i], *b = &sn->queues[i];
        if (a->prefix != b->prefix || a->waiting != b->waiting || a->green != b->green ||
            a->instant != b->instant || strcmp(a->name, b->name) != 0)
            return s_differs(why, n, "queue %c: events %d waiting (%d green), snapshot %d (%d)",
                             b->prefix, a->waiting, a->green, b->waiting, b->green);
    }
    if (ev->ncounters != sn->ncounters)
        return s_differs(why, n, "counters: events %d, snapshot %d", ev->ncounters, sn->ncounters);
    for (int i = 0; i < sn->ncounters; i++) {
        const hq_counter_t *b = &sn->counters[i], *a = hq_mirror_counter(ev, b->id);
        if (!a)
            return s_differs(why, n, "counter %d missing from the events' copy", b->id);
        if (hc_same_counter(a, b, why, n) != 0)
            return -1;
    }
    if (ev->ntickets != sn->ntickets)
        return s_differs(why, n, "open tickets: events %d, snapshot %d", ev->ntickets,
                         sn->ntickets);
    for (int i = 0; i < sn->ntickets; i++) {
        const hq_ticket_t *b = &sn->tickets[i], *a = hq_mirror_ticket(ev, b->id);
        if (!a)
            return s_differs(why, n, "ticket %s missing from the events' copy", b->label);
        if (hc_same_ticket(a, b, why, n) != 0)
            return -1;
    }
    if (ev->nrecent != sn->nrecent)
        return s_differs(why, n,
                         "recent calls: events %d, snapshot %d (newest: %s at %d, %s at %d)",
                         ev->nrecent, sn->nrecent, ev->recent[0].label, ev->recent[0].counter,
                         sn->recent[0].label, sn->recent[0].counter);
    for (int i = 0; i < sn->nrecent; i++) {
        const hq_mirror_call_t *a = &ev->recent[i], *b = &sn->recent[i];
        if (strcmp(a->label, b->label) != 0 || a->counter != b->counter || a->ts_ms != b->ts_ms ||
            a->recall != b->recall || a->green != b->green)
            return s_differs(why, n,
                             "recent call %d: events %s at window %d (%lld%s), snapshot %s at "
                             "window %d (%lld%s)",
                             i, a->label, a->counter, (long long)a->ts_ms,
                             a->recall ? ", recall" : "", b->label, b->counter, (long long)b->ts_ms,
                             b->recall ? ", recall" : "");
    }
    if (ev->metric.count != sn->metric.count || ev->metric.avg_ms != sn->metric.avg_ms ||
        ev->metric.within != sn->metric.within)
        return s_differs(why, n, "metric: events %d/%lld/%d, snapshot %d/%lld/%d", ev->metric.count,
                         (long long)ev->metric.avg_ms, ev->metric.within, sn->metric.count,
                         (long long)sn->metric.avg_ms, sn->metric.within);
    if (ev->avg_wait_ms != sn->avg_wait_ms)
        return s_differs(why, n, "average wait: events %lld, snapshot %lld",
                         (long long)ev->avg_wait_ms, (long long)sn->avg_wait_ms);
    if (strcmp(ev->hall_name, sn->hall_name) != 0 || ev->target_ms != sn->target_ms)
        return s_differs(why, n, "hall name or target");
    return 0;
}

/* ---- a random day ------------------------------------------------------------------------- */
static int s_pick_in(server_t *srv, hq_ticket_state_t state, char *label, int *counter)
{
    const hall_t *hall = server_hall(srv);
    size_t n = hall_ticket_count(hall), found = 0;
    for (size_t i = 0; i < n; i++)
        found += hall_ticket_at(hall, i)->state == state &&
                 strcmp(hall_ticket_at(hall, i)->day, hall_day(hall)) == 0;
    if (!found)
        return 0;
    size_t k = (size_t)rand() % found;
    for (size_t i = 0; i < n; i++) {
        const hq_ticket_t *t = hall_ticket_at(hall, i);
        if (t->state != state || strcmp(t->day, hall_day(hall)) != 0 || k--)
            continue;
        hq_strlcpy(label, t->label, HQ_LABEL_MAX);
        if (counter)
            *counter = t->counter;
        return 1;
    }
    return 0;
}

typedef struct {
    int ok, refused, calls, recalls, reactivated, unparked, transfers, midnights, restarts;
} s_tally_t;

/* One random action; the kind of action in `what`. */
static void s_random_action(hc_fixture_t *fx, int64_t now, s_tally_t *tally, char *what, size_t n)
{
    const hallq_config_t *cfg = &fx->cfg;
    int counter = cfg->counters[rand() % cfg->ncounters].id;
    char queue = cfg->queues[rand() % cfg->nqueues].prefix;
    hq_request_t req;
    int op = rand() % 100;
    if (!hall_counter(server_hall(fx->srv), counter)->clerk[0] && rand() % 4)
        op = 91; /* a closed window mostly opens before anything else happens at it */
    if (op < 24) {
        hq_request_init(&req, HQ_REQ_ISSUE);
        req.queue = queue;
        req.elderly = rand() % 3 == 0;
        if (rand() % 4 == 0)
            snprintf(req.token, sizeof req.token, "kiosk-%d", rand() % 40);
    } else if (op < 42) {
        hq_request_init(&req, HQ_REQ_CALL);
        req.counter = counter;
        if (rand() % 6 == 0)
            s_pick_in(fx->srv, HQ_T_WAITING, req.number, NULL);
    } else if (op < 52) {
        hq_request_init(&req, HQ_REQ_RECALL);
        req.counter = counter;
    } else if (op < 56) {
        hq_request_init(&req, HQ_REQ_START);
        req.counter = counter;
    } else if (op < 66) {
        hq_request_init(&req, HQ_REQ_FINISH);
        req.counter = counter;
    } else if (op < 70) {
        hq_request_init(&req, HQ_REQ_NO_SHOW);
        req.counter = counter;
    } else if (op < 74) {
        hq_request_init(&req, HQ_REQ_REACTIVATE);
        s_pick_in(fx->srv, HQ_T_NO_SHOW, req.number, NULL);
    } else if (op < 78) {
        hq_request_init(&req, HQ_REQ_PARK);
        req.counter = counter;
    } else if (op < 83) {
        /* taken back at any window, often not the one that called it */
        hq_request_init(&req, HQ_REQ_UNPARK);
        req.counter = counter;
        s_pick_in(fx->srv, HQ_T_PARKED, req.number, NULL);
    } else if (op < 87) {
        hq_request_init(&req, HQ_REQ_TRANSFER);
        req.counter = counter;
        req.queue = queue;
    } else if (op < 89) {
        hq_request_init(&req, HQ_REQ_RATE);
        req.rating = 1 + rand() % 5;
        s_pick_in(fx->srv, HQ_T_FINISHED, req.number, NULL);
    } else if (op < 91) {
        hq_request_init(&req, rand() % 2 ? HQ_REQ_PAUSE : HQ_REQ_RESUME);
        req.counter = counter;
    } else if (op < 95) {
        hq_request_init(&req, rand() % 3 ? HQ_REQ_LOGIN : HQ_REQ_LOGOUT);
        req.counter = counter;
        snprintf(req.clerk, sizeof req.clerk, "clerk%d", rand() % 6);
    } else if (op < 97) {
        snprintf(what, n, "metric entry");
        server_log_metric(fx->srv, now);
        return;
    } else if (op < 98) {
        snprintf(what, n, "restart");
        tally->restarts++;
        assert_non_null(hc_start(fx, now));
        return;
    } else {
        hq_request_init(&req, HQ_REQ_PING);
    }
    snprintf(what, n, "%s%s%s", hq_req_type_name(req.type), req.number[0] ? " " : "", req.number);
    json_t *reply = server_handle(fx->srv, &req, now);
    assert_non_null(reply);
    int ok = json_is_true(json_object_get(reply, "ok"));
    json_decref(reply);
    tally->ok += ok;
    tally->refused += !ok;
    tally->calls += ok && req.type == HQ_REQ_CALL;
    tally->recalls += ok && req.type == HQ_REQ_RECALL;
    tally->reactivated += ok && req.type == HQ_REQ_REACTIVATE;
    tally->unparked += ok && req.type == HQ_REQ_UNPARK;
    tally->transfers += ok && req.type == HQ_REQ_TRANSFER;
}

static s_watch_t s_watch; /* static: the daemon may still publish to it from a teardown */

/* As a display does after a gap or a new day: a snapshot, then the events after it. */
static void s_resync(server_t *srv, int64_t now)
{
    hq_mirror_free(&s_watch.m);
    s_snapshot_mirror(srv, now, &s_watch.m);
    s_watch.want_snapshot = 0;
    s_watch.resyncs++;
}

static void s_run_seed(hc_fixture_t *fx, unsigned seed)
{
    hq_mirror_free(&s_watch.m);
    memset(&s_watch, 0, sizeof s_watch);
    hq_mirror_init(&s_watch.m, 3000);
    int64_t now = DAY1_8H;
    assert_non_null(hc_start(fx, now));
    /* Seeded after the first start: czmq's first zsys_init seeds the C library's generator
     * from the time, which made the first seed's day differ from run to run. */
    srand(seed);
    s_tally_t tally;
    memset(&tally, 0, sizeof tally);
    char why[512], what[64];
    for (int step = 0; step < STEPS; step++) {
        server_watch_events(fx->srv, s_on_event, &s_watch);
        if (s_watch.m.state != HQ_SYNC_ACTIVE || s_watch.want_snapshot)
            s_resync(fx->srv, now);
        /* Mostly seconds apart, sometimes the same millisecond (a batch shares its clock),
         * now and then overnight. The daemon checks the day every second: here every step. */
        int r = rand() % 1000;
        if (r < 100)
            now += 0;
        else if (r < 995)
            now += 1000 + rand() % 90000;
        else
            now = (now - DAY1_8H) / 86400000 * 86400000 + DAY1_8H + 86400000;
        server_check_day(fx->srv, now);
        if (s_watch.want_snapshot) {
            tally.midnights++;
            s_resync(fx->srv, now);
        }
        s_random_action(fx, now, &tally, what, sizeof what);
        if (s_watch.broken[0])
            fail_msg("seed %u, step %d (%s): event not decoded: %s", seed, step, what,
                     s_watch.broken);
        if (s_watch.want_snapshot || s_watch.m.state != HQ_SYNC_ACTIVE)
            continue; /* a restart into a new day: the display re-snapshots */
        hq_mirror_t fresh;
        s_snapshot_mirror(fx->srv, now, &fresh);
        int rc = s_same_mirror(&s_watch.m, &fresh, why, sizeof why);
        hq_mirror_free(&fresh);
        if (rc != 0)
            fail_msg("seed %u, step %d (%s): the events' copy is not the snapshot: %s", seed, step,
                     what, why);
    }
    printf("seed %u: %d steps, %lld events applied, %lld snapshots needed; %d ok, %d refused; "
           "%d calls, %d recalls, %d no-shows taken back, %d unparked, %d transfers, %d "
           "midnights, %d restarts\n",
           seed, STEPS, (long long)s_watch.applied, (long long)s_watch.resyncs, tally.ok,
           tally.refused, tally.calls, tally.recalls, tally.reactivated, tally.unparked,
           tally.transfers, tally.midnights, tally.restarts);
    server_watch_events(fx->srv, NULL, NULL);
    server_destroy(&fx->srv);
    hq_mirror_free(&s_watch.m);
    assert_true(tally.recalls > 20 && tally.reactivated > 3 && tally.unparked > 3);
}

static void test_events_build_the_snapshot(void **state)
{
    hc_fixture_t *fx = *state;
    const char *env = getenv("HALLQ_CLONE_SEED");
    if (env) {
        s_run_seed(fx, (unsigned)strtoul(env, NULL, 10));
        return;
    }
    static const unsigned seeds[] = {1, 2024, 77777};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char cmd[160];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'/*", fx->dir);
        assert_int_equal(system(cmd), 0);
        s_run_seed(fx, seeds[i]);
    }
}

static int s_setup(void **state)
{
    return hc_setup(state, 6);
}

int main(void)
{
    hc_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_events_build_the_snapshot, s_setup, hc_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
