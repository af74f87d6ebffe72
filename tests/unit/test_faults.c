/* A failure never replies "ok", and leaves memory equal to the database.
 *
 * In the style of SQLite's fault tests (test/malloc_common.tcl, src/test_malloc.c): a scripted
 * day (issue, call, recall, park, transfer, no-show, reactivate, finish, rate, pause, login and
 * logout, the metric, a live midnight) runs through the daemon's own request path
 * (server_handle). Each step is tried with the 1st, 2nd, 3rd ... store write failing, then
 * with the 1st, 2nd, 3rd ... allocation failing (once, then for good), until the step gets
 * through without reaching the failure. After each injected failure:
 *   - the reply is an error, never ok (or, with memory gone for good, there is none);
 *   - the daemon's memory equals a fresh store_load of its database, ticket by ticket and
 *     counter by counter, and a snapshot of both is the same;
 *   - nothing changed: the state is the one before the step (a fault-free run's).
 * After the step gets through, the state is the fault-free run's after that step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hall_check.h"
#include "hq_alloc.h"

#define MIN 60000LL
#define DAY1_9H 1795395600000LL /* 2026-11-23 09:00 in Shanghai */
#define DAY2_0H 1795449600000LL /* 2026-11-24 00:00 */

/* ---- the scripted day ----------------------------------------------------------------------- */
typedef enum { S_OK, S_REFUSED, S_TIMER } s_expect_t;

typedef struct {
    const char *what;
    hq_req_type_t type; /* HQ_REQ_COUNT_: a timer (metric, day check) */
    int counter;
    char queue;
    int elderly;
    const char *number; /* a label, or "@parked", "@no_show", "@finished": the first such */
    const char *text;   /* clerk, pause reason, token or ID number, by type */
    s_expect_t expect;
} s_step_t;

#define TIMER_METRIC 1
#define TIMER_DAY 2

static const s_step_t s_script[] = {
    {"login 1", HQ_REQ_LOGIN, 1, 0, 0, NULL, "wang", S_OK},
    {"login 2", HQ_REQ_LOGIN, 2, 0, 0, NULL, "li", S_OK},
    {"login 3", HQ_REQ_LOGIN, 3, 0, 0, NULL, "zhao", S_OK},
    {"issue A (kiosk token)", HQ_REQ_ISSUE, 0, 'A', 0, NULL, "kiosk1-1", S_OK},
    {"issue A", HQ_REQ_ISSUE, 0, 'A', 0, NULL, NULL, S_OK},
    {"issue B green", HQ_REQ_ISSUE, 0, 'B', 1, NULL, NULL, S_OK},
    {"issue C by ID number", HQ_REQ_ISSUE, 0, 'C', 0, NULL, "320902196611230459", S_OK},
    {"issue A again (same token)", HQ_REQ_ISSUE, 0, 'A', 0, NULL, "kiosk1-1", S_OK},
    {"issue D", HQ_REQ_ISSUE, 0, 'D', 0, NULL, NULL, S_OK},
    {"issue Z (no such queue)", HQ_REQ_ISSUE, 0, 'Z', 0, NULL, NULL, S_REFUSED},
    {"call 1", HQ_REQ_CALL, 1, 0, 0, NULL, NULL, S_OK},
    {"recall 1", HQ_REQ_RECALL, 1, 0, 0, NULL, NULL, S_OK},
    {"start 1", HQ_REQ_START, 1, 0, 0, NULL, NULL, S_OK},
    {"park 1", HQ_REQ_PARK, 1, 0, 0, NULL, NULL, S_OK},
    {"call 1", HQ_REQ_CALL, 1, 0, 0, NULL, NULL, S_OK},
    {"transfer 1 to E", HQ_REQ_TRANSFER, 1, 'E', 0, NULL, NULL, S_OK},
    {"call 2", HQ_REQ_CALL, 2, 0, 0, NULL, NULL, S_OK},
    {"no-show 2 after one call", HQ_REQ_NO_SHOW, 2, 0, 0, NULL, NULL, S_REFUSED},
    {"recall 2", HQ_REQ_RECALL, 2, 0, 0, NULL, NULL, S_OK},
    {"no-show 2", HQ_REQ_NO_SHOW, 2, 0, 0, NULL, NULL, S_OK},
    {"reactivate", HQ_REQ_REACTIVATE, 0, 0, 0, "@no_show", NULL, S_OK},
    {"unpark at 1", HQ_REQ_UNPARK, 1, 0, 0, "@parked", NULL, S_OK},
    {"finish 1", HQ_REQ_FINISH, 1, 0, 0, NULL, NULL, S_OK},
    {"rate", HQ_REQ_RATE, 0, 0, 0, "@finished", NULL, S_OK},
    {"pause 3", HQ_REQ_PAUSE, 3, 0, 0, NULL, "午休", S_OK},
    {"call 3 while paused", HQ_REQ_CALL, 3, 0, 0, NULL, NULL, S_REFUSED},
    {"resume 3", HQ_REQ_RESUME, 3, 0, 0, NULL, NULL, S_OK},
    {"call 3 by number", HQ_REQ_CALL, 3, 0, 0, "A002", NULL, S_OK},
    {"finish 3", HQ_REQ_FINISH, 3, 0, 0, NULL, NULL, S_OK},
    {"logout 2", HQ_REQ_LOGOUT, 2, 0, 0, NULL, NULL, S_OK},
    {"login 4", HQ_REQ_LOGIN, 4, 0, 0, NULL, "zhou", S_OK},
    {"login 4 by another clerk", HQ_REQ_LOGIN, 4, 0, 0, NULL, "sun", S_OK},
    {"snapshot", HQ_REQ_SNAPSHOT, 0, 0, 0, NULL, NULL, S_OK},
    {"catalog", HQ_REQ_CATALOG, 0, 0, 0, NULL, NULL, S_OK},
    {"ping", HQ_REQ_PING, 0, 0, 0, NULL, NULL, S_OK},
    {"call 4", HQ_REQ_CALL, 4, 0, 0, NULL, NULL, S_OK},
    {"start 4", HQ_REQ_START, 4, 0, 0, NULL, NULL, S_OK},
    {"the metric entry", HQ_REQ_COUNT_, TIMER_METRIC, 0, 0, NULL, NULL, S_TIMER},
    {"midnight", HQ_REQ_COUNT_, TIMER_DAY, 0, 0, NULL, NULL, S_TIMER},
    {"issue A on the new day", HQ_REQ_ISSUE, 0, 'A', 0, NULL, NULL, S_OK},
    {"call 3", HQ_REQ_CALL, 3, 0, 0, NULL, NULL, S_OK},
    {"finish 4 (yesterday's ticket)", HQ_REQ_FINISH, 4, 0, 0, NULL, NULL, S_OK},
    {"finish 3", HQ_REQ_FINISH, 3, 0, 0, NULL, NULL, S_OK},
    {"logout 3", HQ_REQ_LOGOUT, 3, 0, 0, NULL, NULL, S_OK},
};
#define NSTEPS ((int)(sizeof s_script / sizeof s_script[0]))

static int s_midnight_step(void)
{
    for (int k = 0; k < NSTEPS; k++)
        if (s_script[k].type == HQ_REQ_COUNT_ && s_script[k].counter == TIMER_DAY)
            return k;
    return NSTEPS;
}

/* The clock of step k (-1: before the first). */
static int64_t s_time(int k)
{
    int midnight = s_midnight_step();
    return k < midnight ? DAY1_9H + (k + 1) * MIN : DAY2_0H + 500 + (k - midnight) * MIN;
}

/* The first ticket in memory in a state, for "@state" numbers. */
static void s_label_in(server_t *srv, hq_ticket_state_t state, char *out, size_t n)
{
    const hall_t *hall = server_hall(srv);
    out[0] = '\0';
    for (size_t i = 0; i < hall_ticket_count(hall); i++)
        if (hall_ticket_at(hall, i)->state == state) {
            hq_strlcpy(out, hall_ticket_at(hall, i)->label, n);
            return;
        }
}

/* The daemon logs each failure it meets (thousands here): into this file, not the test's
 * output; it stays when the test fails. */
static char s_log_path[64];
static int s_stderr = -1;

static void s_log_to_file(int on)
{
    fflush(stderr);
    if (on) {
        int fd = open(s_log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd < 0)
            return;
        s_stderr = dup(2);
        dup2(fd, 2);
        close(fd);
    } else if (s_stderr >= 0) {
        dup2(s_stderr, 2);
        close(s_stderr);
        s_stderr = -1;
    }
}

static json_t *s_run_step(server_t *srv, int k);

/* Runs step k; the reply (NULL for a timer). */
static json_t *s_run(server_t *srv, int k)
{
    s_log_to_file(1);
    json_t *reply = s_run_step(srv, k);
    s_log_to_file(0);
    return reply;
}

static json_t *s_run_step(server_t *srv, int k)
{
    const s_step_t *st = &s_script[k];
    int64_t now = s_time(k);
    if (st->type == HQ_REQ_COUNT_) {
        if (st->counter == TIMER_METRIC)
            server_log_metric(srv, now);
        else
            server_check_day(srv, now);
        return NULL;
    }
    hq_request_t req;
    hq_request_init(&req, st->type);
    snprintf(req.id, sizeof req.id, "step-%d", k);
    req.counter = st->counter;
    req.queue = st->queue;
    req.elderly = st->elderly;
    if (st->number && st->number[0] == '@') {
        hq_ticket_state_t state = strcmp(st->number, "@parked") == 0    ? HQ_T_PARKED
                                  : strcmp(st->number, "@no_show") == 0 ? HQ_T_NO_SHOW
                                                                        : HQ_T_FINISHED;
        s_label_in(srv, state, req.number, sizeof req.number);
    } else if (st->number) {
        hq_strlcpy(req.number, st->number, sizeof req.number);
    }
    if (st->text && st->type == HQ_REQ_LOGIN)
        hq_strlcpy(req.clerk, st->text, sizeof req.clerk);
    else if (st->text && st->type == HQ_REQ_PAUSE)
        hq_strlcpy(req.reason, st->text, sizeof req.reason);
    else if (st->text && strlen(st->text) == HQ_ID_NUMBER_LEN)
        hq_strlcpy(req.id_number, st->text, sizeof req.id_number);
    else if (st->text)
        hq_strlcpy(req.token, st->text, sizeof req.token);
    if (st->type == HQ_REQ_RATE)
        req.rating = 5;
    return server_handle(srv, &req, now);
}

static int s_reply_ok(const json_t *reply)
{
    return json_is_true(json_object_get(reply, "ok"));
}

/* ---- the fault-free day, step by step ----------------------------------------------------- */
typedef struct {
    hc_image_t before;        /* the state before the first step */
    hc_image_t after[NSTEPS]; /* and after each */
} s_day_t;

static s_day_t s_ref;

/* Starts the fixture's daemon again on an empty data directory, before the first step. */
static void s_empty_start(hc_fixture_t *fx)
{
    server_destroy(&fx->srv);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'/*", fx->dir);
    assert_int_equal(system(cmd), 0);
    assert_non_null(hc_start(fx, s_time(-1)));
}

/* Runs the day without faults, keeping the state after each step, then starts the fixture's
 * daemon again on an empty data directory. */
static void s_reference_day(hc_fixture_t *fx)
{
    assert_non_null(hc_start(fx, s_time(-1)));
    hc_capture(&fx->cfg, server_hall(fx->srv), s_time(-1), &s_ref.before);
    for (int k = 0; k < NSTEPS; k++) {
        json_t *reply = s_run(fx->srv, k);
        if (s_script[k].expect != S_TIMER && s_reply_ok(reply) != (s_script[k].expect == S_OK))
            fail_msg(
                "step %d (%s): %s", k, s_script[k].what,
                json_string_value(json_object_get(json_object_get(reply, "error"), "message")));
        json_decref(reply);
        hc_capture(&fx->cfg, server_hall(fx->srv), s_time(k), &s_ref.after[k]);
    }
    s_empty_start(fx);
}

static void s_reference_free(void)
{
    hc_image_free(&s_ref.before);
    for (int k = 0; k < NSTEPS; k++)
        hc_image_free(&s_ref.after[k]);
}

/* Fails with the step, the fault and the difference. */
static void s_check(hc_fixture_t *fx, int k, const char *fault, long n, const hc_image_t *want,
                    int compare_with_store)
{
    char why[1024];
    int64_t now = s_time(k);
    if (compare_with_store && hc_memory_is_the_store(fx->srv, &fx->cfg, now, why, sizeof why) != 0)
        fail_msg("step %d (%s), %s %ld: memory is not the database: %s", k, s_script[k].what, fault,
                 n, why);
    hc_image_t img;
    hc_capture(&fx->cfg, server_hall(fx->srv), now, &img);
    /* A snapshot says when it was taken: the wanted one was taken at another step's time. So
     * are its expected waits (memory and store agree on them at one time: above). */
    json_object_set_new(img.snapshot, "ts_ms", json_copy(json_object_get(want->snapshot, "ts_ms")));
    json_object_set(img.snapshot, "waits", json_object_get(want->snapshot, "waits"));
    int rc = hc_same_image(&img, want, why, sizeof why);
    hc_image_free(&img);
    if (rc != 0)
        fail_msg("step %d (%s), %s %ld: not the state %s: %s", k, s_script[k].what, fault, n,
                 want == &s_ref.after[k] ? "of a fault-free run" : "before the step", why);
}

static const hc_image_t *s_before(int k)
{
    return k == 0 ? &s_ref.before : &s_ref.after[k - 1];
}

/* After a step that got through: the reply and the state are the fault-free run's. */
static void s_check_through(hc_fixture_t *fx, int k, json_t *reply, const char *fault, long n)
{
    if (s_script[k].expect != S_TIMER && s_reply_ok(reply) != (s_script[k].expect == S_OK))
        fail_msg("step %d (%s), %s %ld not reached: the reply is %s", k, s_script[k].what, fault, n,
                 s_reply_ok(reply) ? "ok" : "an error");
    s_check(fx, k, fault, n, &s_ref.after[k], 1);
}

/* After an injected failure: an error reply (or none) and nothing changed. */
static void s_check_failed(hc_fixture_t *fx, int k, json_t *reply, const char *fault, long n)
{
    if (s_reply_ok(reply))
        fail_msg("step %d (%s), %s %ld: replied ok", k, s_script[k].what, fault, n);
    s_check(fx, k, fault, n, s_before(k), 1);
}

/* ---- the tests ------------------------------------------------------------------------------ */
static void test_every_failed_store_write_is_an_error(void **state)
{
    hc_fixture_t *fx = *state;
    s_reference_day(fx);
    store_t *st = server_store(fx->srv);
    long injected = 0;
    for (int k = 0; k < NSTEPS; k++) {
        for (int n = 0;; n++) {
            long before = store_failed_writes(st);
            store_fail_after(st, n);
            json_t *reply = s_run(fx->srv, k);
            store_fail_after(st, -1);
            if (store_failed_writes(st) == before) {
                s_check_through(fx, k, reply, "write", n + 1);
                json_decref(reply);
                break;
            }
            injected++;
            s_check_failed(fx, k, reply, "failed write", n + 1);
            json_decref(reply);
        }
    }
    printf("store writes failed: %ld, over %d steps; each an error, memory = database\n", injected,
           NSTEPS);
    assert_true(injected > NSTEPS);
    s_reference_free();
}

/* The allocation loop; `repeat`: the failing allocation and every later one fail. */
static long s_allocation_faults(hc_fixture_t *fx, int repeat)
{
    const char *fault = repeat ? "allocations failing from" : "failed allocation";
    long injected = 0;
    for (int k = 0; k < NSTEPS; k++) {
        for (uint64_t n = 1;; n++) {
            uint64_t failures = hq_alloc_failures();
            hq_alloc_fail(n, repeat);
            json_t *reply = s_run(fx->srv, k);
            hq_alloc_fail(0, 0);
            if (hq_alloc_failures() == failures) {
                s_check_through(fx, k, reply, "allocation", (long)n);
                json_decref(reply);
                break;
            }
            injected++;
            if (repeat) {
                /* Nothing could be reloaded while memory was gone: the next request (a ping)
                 * reloads first, and then memory is the database again. */
                if (s_reply_ok(reply))
                    fail_msg("step %d (%s), %s %lu: replied ok", k, s_script[k].what, fault,
                             (unsigned long)n);
                json_decref(reply);
                hq_request_t ping;
                hq_request_init(&ping, HQ_REQ_PING);
                reply = server_handle(fx->srv, &ping, s_time(k));
                if (!s_reply_ok(reply))
                    fail_msg("step %d (%s), %s %lu: no recovery after memory came back", k,
                             s_script[k].what, fault, (unsigned long)n);
                s_check(fx, k, fault, (long)n, s_before(k), 1);
            } else {
                s_check_failed(fx, k, reply, fault, (long)n);
            }
            json_decref(reply);
        }
    }
    return injected;
}

static void test_every_failed_allocation_is_an_error(void **state)
{
    hc_fixture_t *fx = *state;
    s_reference_day(fx);
    long once = s_allocation_faults(fx, 0);
    printf("allocations failed: %ld, over %d steps; each an error, memory = database\n", once,
           NSTEPS);
    s_empty_start(fx);
    long repeated = s_allocation_faults(fx, 1);
    printf("allocations failing for good from the n-th: %ld runs; each an error or no reply, "
           "memory = database after the next request\n",
           repeated);
    /* Out of memory for good, a reload fails too: the daemon refused to serve from what it
     * had half loaded until memory came back. */
    long stale = 0;
    FILE *log = fopen(s_log_path, "r");
    char line[512];
    while (log && fgets(line, sizeof line, log))
        stale += strstr(line, "refusing requests until it succeeds") != NULL;
    if (log)
        fclose(log);
    printf("of which a reload failed too (requests refused until it succeeded): %ld\n", stale);
    assert_true(once > NSTEPS);
    assert_true(repeated > NSTEPS);
    assert_true(stale > 0);
    s_reference_free();
}

static int s_setup(void **state)
{
    return hc_setup(state, 0);
}

int main(void)
{
    hc_init();
    snprintf(s_log_path, sizeof s_log_path, "/tmp/hallq-faults-%d.log", (int)getpid());
    printf("the daemon's log: %s (removed when every test passes)\n", s_log_path);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_failed_store_write_is_an_error, s_setup,
                                        hc_teardown),
        cmocka_unit_test_setup_teardown(test_every_failed_allocation_is_an_error, s_setup,
                                        hc_teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (!failed)
        unlink(s_log_path);
    return failed;
}
