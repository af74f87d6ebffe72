/* The daemon's clock and what a step of the system clock must not do to the hall: the clock
 * driven by readings the test makes up (a system clock stepped back 90 s across midnight, an
 * hour back inside a day, forward, a faked steady clock), then the hall and a daemon fed the
 * times such a clock once gave (before it was guarded, or after a restart): the business day
 * never goes backwards, durations are never negative, numbering never repeats.
 *
 * The simulated clock of simulation and training halls: its readings from a steady clock the
 * test runs (the start, the speed, to the millisecond), hallqd's --simulate START, and a data
 * folder that holds one kind of days: a simulated hall refuses a real hall's folder and one
 * recorded after its start, a real hall refuses a simulated hall's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "hall_check.h"
#include "hallqd_options.h"
#include "hq_date.h"
#include "metric.h"

#define SEC 1000LL
#define MIN 60000LL
#define DAY2_0H 1795449600000LL /* 2026-11-24 00:00 in Shanghai */
#define BOOT 5000000LL          /* the steady clock at the first reading */

/* ---- a clock the test sets ---------------------------------------------------------------- */
typedef struct {
    hallclock_reading_t now; /* what the next reading says */
} s_source_t;

static void s_read(void *arg, hallclock_reading_t *out)
{
    *out = ((s_source_t *)arg)->now;
}

/* Time passes: both clocks go on by ms. */
static void s_pass(s_source_t *src, int64_t ms)
{
    src->now.wall_ms += ms;
    src->now.steady_ms += ms;
}

/* ---- the log, caught ------------------------------------------------------------------------
 * The clock logs to stderr: into a file while a test runs, read back to count the lines, and
 * shown after the test (cmocka's own messages about a failure are in it too). */
static char s_log_path[64];
static int s_stderr = -1;

static int s_catch_log(void **state)
{
    (void)state;
    fflush(stderr);
    int fd = open(s_log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
    if (fd < 0)
        return -1;
    s_stderr = dup(2);
    dup2(fd, 2);
    close(fd);
    return 0;
}

static int s_release_log(void **state)
{
    (void)state;
    if (s_stderr < 0)
        return 0;
    fflush(stderr);
    dup2(s_stderr, 2);
    close(s_stderr);
    s_stderr = -1;
    FILE *f = fopen(s_log_path, "r");
    char line[1024];
    while (f && fgets(line, sizeof line, f))
        fprintf(stderr, "  | %s", line);
    if (f)
        fclose(f);
    return 0;
}

/* Lines of the caught log holding `what`; the whole log in *text (static) when asked. */
static int s_logged(const char *what, const char **text)
{
    static char buf[8192];
    fflush(stderr);
    FILE *f = fopen(s_log_path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (text)
        *text = buf;
    int lines = 0;
    for (const char *p = buf; (p = strstr(p, what)) != NULL; p += strlen(what))
        lines++;
    return lines;
}

static int s_setup(void **state)
{
    (void)state;
    hc_init();
    hq_log_set_level(HQ_LOG_INFO);
    snprintf(s_log_path, sizeof s_log_path, "/tmp/hallq-clock-%d.log", (int)getpid());
    return 0;
}

static int s_teardown(void **state)
{
    (void)state;
    unlink(s_log_path);
    return 0;
}

/* ---- the clock ---------------------------------------------------------------------------- */
static void test_follows_a_clock_that_runs(void **state)
{
    (void)state;
    s_source_t src = {{DAY2_0H + 9 * 3600 * SEC, BOOT}};
    hallclock_t *c = hallclock_new_source(s_read, &src);
    assert_non_null(c);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(hallclock_now(c), src.now.wall_ms);
        s_pass(&src, 997);
    }
    /* NTP slewing moves the realtime clock a little against the steady one: no step. */
    src.now.wall_ms += 50;
    assert_int_equal(hallclock_now(c), src.now.wall_ms);
    assert_int_equal(hallclock_steps(c), 0);
    assert_int_equal(s_logged("stepped", NULL), 0);
    /* A step back smaller than the time since the last reading: nothing handed out is later,
     * the readings follow the system clock. */
    s_pass(&src, 10 * SEC);
    src.now.wall_ms -= 3 * SEC;
    assert_int_equal(hallclock_now(c), src.now.wall_ms);
    assert_false(hallclock_catching_up(c));
    assert_int_equal(hallclock_steps(c), 1);
    assert_int_equal(s_logged("stepped back 3.0 s; no time handed out is later", NULL), 1);
    hallclock_destroy(&c);
    hallclock_destroy(&c);
    assert_null(c);
}

/* 90 s back at 00:00:30: the readings never go back, stay on the new day, run on at half
 * speed and meet the system clock again 180 s later; one warning, one line when caught up. */
static void test_step_back_across_midnight(void **state)
{
    (void)state;
    s_source_t src = {{DAY2_0H + 30 * SEC, BOOT}};
    hallclock_t *c = hallclock_new_source(s_read, &src);
    int64_t before = hallclock_now(c);
    src.now.wall_ms -= 90 * SEC;
    int64_t at_step = hallclock_now(c);
    assert_int_equal(at_step, before);
    assert_int_equal(hallclock_steps(c), 1);
    assert_true(hallclock_catching_up(c));
    int64_t last = at_step;
    char day[HQ_DATE_TEXT_MAX];
    for (int64_t s = 1; s <= 200; s++) {
        s_pass(&src, SEC);
        int64_t now = hallclock_now(c);
        assert_true(now > last);
        hq_date_format(hq_date_local(now), day);
        assert_string_equal(day, "2026-11-24");
        if (s < 180) {
            assert_int_equal(now, before + s * SEC / 2);
            assert_true(hallclock_catching_up(c));
        } else {
            assert_int_equal(now, src.now.wall_ms);
            assert_false(hallclock_catching_up(c));
        }
        last = now;
    }
    const char *log;
    assert_int_equal(s_logged("stepped back 90.0 s", &log), 1);
    assert_int_equal(s_logged("stepped", NULL), 1);
    assert_non_null(strstr(log, " warn: the system clock stepped back 90.0 s; the daemon's time "
                                "goes on from 2026-11-24 00:00:30 at half speed until the clock "
                                "catches up (about 3 min)"));
    assert_int_equal(s_logged("caught up", NULL), 1);
    assert_int_equal(hallclock_steps(c), 1);
    hallclock_destroy(&c);
}

/* An hour back inside a day, with readings far apart (a quiet hall): still never back, and a
 * second step while catching up is a step of its own. */
static void test_hour_back_then_another(void **state)
{
    (void)state;
    s_source_t src = {{DAY2_0H + 10 * 3600 * SEC, BOOT}};
    hallclock_t *c = hallclock_new_source(s_read, &src);
    int64_t issued = hallclock_now(c);
    s_pass(&src, 12);
    src.now.wall_ms -= 3600 * SEC;
    int64_t called = hallclock_now(c);
    assert_true(called >= issued);
    s_pass(&src, 10 * MIN);
    int64_t later = hallclock_now(c);
    assert_int_equal(later, called + 5 * MIN);
    src.now.wall_ms -= 5 * SEC;
    s_pass(&src, 2 * SEC);
    assert_int_equal(hallclock_now(c), later + SEC);
    assert_int_equal(hallclock_steps(c), 2);
    assert_int_equal(s_logged("stepped back 3600.0 s", NULL), 1);
    assert_int_equal(s_logged("about 2.0 h", NULL), 1);
    assert_int_equal(s_logged("stepped back 5.0 s", NULL), 1);
    hallclock_destroy(&c);
}

static void test_step_forward_is_followed(void **state)
{
    (void)state;
    s_source_t src = {{DAY2_0H - 10 * SEC, BOOT}};
    hallclock_t *c = hallclock_new_source(s_read, &src);
    hallclock_now(c);
    s_pass(&src, SEC);
    src.now.wall_ms += 40 * SEC;
    assert_int_equal(hallclock_now(c), src.now.wall_ms);
    assert_false(hallclock_catching_up(c));
    assert_int_equal(s_logged("stepped forward 40.0 s; the daemon's time follows it", NULL), 1);
    /* Back again while the system clock is ahead of nothing recorded after it: said so. */
    s_pass(&src, 5 * SEC);
    int64_t ahead = hallclock_now(c);
    src.now.wall_ms -= 40 * SEC;
    assert_int_equal(hallclock_now(c), ahead);
    assert_int_equal(s_logged("stepped back 40.0 s", NULL), 1);
    assert_int_equal(hallclock_steps(c), 2);
    hallclock_destroy(&c);
}

/* Less than a step back: not worth a warning, but the readings still never go back. */
static void test_small_step_back_is_held_quietly(void **state)
{
    (void)state;
    s_source_t src = {{DAY2_0H, BOOT}};
    hallclock_t *c = hallclock_new_source(s_read, &src);
    int64_t first = hallclock_now(c);
    src.now.wall_ms -= 1500;
    assert_int_equal(hallclock_now(c), first);
    s_pass(&src, 2000);
    assert_int_equal(hallclock_now(c), first + 1000);
    s_pass(&src, 2000); /* 1500 ms caught up at half speed take 3000 ms */
    assert_int_equal(hallclock_now(c), src.now.wall_ms);
    assert_int_equal(hallclock_steps(c), 0);
    assert_int_equal(s_logged("stepped", NULL), 0);
    hallclock_destroy(&c);
}

/* A steady clock that steps with the wall clock (libfaketime without its monotonic option):
 * no step can be seen, and still no reading goes back. */
static void test_steady_clock_that_steps_too(void **state)
{
    (void)state;
    s_source_t src = {{DAY2_0H + 30 * SEC, BOOT}};
    hallclock_t *c = hallclock_new_source(s_read, &src);
    int64_t first = hallclock_now(c);
    src.now.wall_ms -= 90 * SEC;
    src.now.steady_ms -= 90 * SEC;
    assert_int_equal(hallclock_now(c), first);
    s_pass(&src, 2 * SEC);
    assert_int_equal(hallclock_now(c), first + SEC);
    src.now.steady_ms -= 60 * SEC;
    src.now.wall_ms -= 60 * SEC;
    assert_int_equal(hallclock_now(c), first + SEC);
    s_pass(&src, 10 * SEC);
    assert_int_equal(hallclock_now(c), first + 6 * SEC);
    assert_int_equal(hallclock_steps(c), 0);
    hallclock_destroy(&c);
}

/* A restart while the system clock is behind the latest time recorded: the daemon's time goes
 * on from that time, logged as a step. */
static void test_keep_after_a_restart(void **state)
{
    (void)state;
    s_source_t src = {{DAY2_0H - 60 * SEC, BOOT}};
    hallclock_t *c = hallclock_new_source(s_read, &src);
    int64_t latest = DAY2_0H + 30 * SEC;
    hallclock_keep_after(c, latest);
    assert_int_equal(hallclock_now(c), latest);
    assert_true(hallclock_catching_up(c));
    assert_int_equal(hallclock_steps(c), 1);
    const char *log;
    assert_int_equal(s_logged("behind the latest time recorded", &log), 1);
    assert_non_null(strstr(log, "the system clock (2026-11-23 23:59:00) is 90.0 s behind the "
                                "latest time recorded (2026-11-24 00:00:30)"));
    s_pass(&src, 180 * SEC);
    assert_int_equal(hallclock_now(c), src.now.wall_ms);
    /* A time already passed changes nothing. */
    hallclock_keep_after(c, latest);
    assert_int_equal(hallclock_now(c), src.now.wall_ms);
    assert_int_equal(hallclock_steps(c), 1);
    hallclock_destroy(&c);
}

/* ---- the simulated clock -------------------------------------------------------------------- */
typedef struct {
    int64_t ns; /* the steady clock the simulated one runs on */
} s_steady_t;

static int64_t s_steady(void *arg)
{
    return ((s_steady_t *)arg)->ns;
}

/* 600x from 23:59:30: 50 ms of real time are 30 s of the hall's; a microsecond is 0.6 ms; the
 * first reading is the start, however long after the clock was made. */
static void test_simulated_clock_runs_at_its_speed(void **state)
{
    (void)state;
    s_steady_t steady = {123456789};
    hallclock_t *c = hallclock_new_simulated(DAY2_0H - 30 * SEC, 600, s_steady, &steady);
    assert_non_null(c);
    assert_true(hallclock_simulated(c));
    assert_true(hallclock_speed(c) == 600);
    steady.ns += 5000000000LL; /* made at the start of hallqd, read once it has loaded */
    assert_int_equal(hallclock_now(c), DAY2_0H - 30 * SEC);
    steady.ns += 50000000; /* 50 ms */
    assert_int_equal(hallclock_now(c), DAY2_0H);
    steady.ns += 1000; /* 1 us */
    assert_int_equal(hallclock_now(c), DAY2_0H);
    steady.ns += 1000;
    assert_int_equal(hallclock_now(c), DAY2_0H + 1);
    steady.ns += 3600000000000LL / 600; /* 6 s: an hour of the hall's */
    assert_int_equal(hallclock_now(c), DAY2_0H + 3600 * SEC + 1);
    char day[HQ_DATE_TEXT_MAX];
    hq_date_format(hq_date_local(hallclock_now(c)), day);
    assert_string_equal(day, "2026-11-24");
    /* Never a step, never catching up: nothing for the guard to say. */
    assert_int_equal(hallclock_steps(c), 0);
    assert_false(hallclock_catching_up(c));
    assert_int_equal(s_logged("step", NULL), 0);
    hallclock_destroy(&c);
    hallclock_destroy(&c);
    assert_null(c);
    /* The system's clock is no simulated one. */
    c = hallclock_new();
    assert_false(hallclock_simulated(c));
    assert_true(hallclock_speed(c) == 1);
    hallclock_destroy(&c);
}

/* A steady clock that goes back (a test's; CLOCK_BOOTTIME never does) cannot take the hall's
 * time back either. At 1x the clock is a real clock started elsewhere in time. */
static void test_simulated_clock_never_goes_back(void **state)
{
    (void)state;
    s_steady_t steady = {10 * 1000000000LL};
    hallclock_t *c = hallclock_new_simulated(DAY2_0H + 9 * 3600 * SEC, 1, s_steady, &steady);
    assert_int_equal(hallclock_now(c), DAY2_0H + 9 * 3600 * SEC);
    steady.ns += 2500000000LL;
    int64_t later = hallclock_now(c);
    assert_int_equal(later, DAY2_0H + 9 * 3600 * SEC + 2500);
    steady.ns -= 2000000000LL;
    assert_true(hallclock_now(c) >= later);
    steady.ns += 10 * 1000000000LL;
    assert_true(hallclock_now(c) > later);
    hallclock_destroy(&c);
}

/* hallqd --simulate START: a date and a time, or a time today in the hall's zone. */
static void test_simulate_start(void **state)
{
    (void)state;
    hallqd_start_t st;
    char why[200];
    assert_int_equal(hallqd_parse_start("2026-11-23 23:59:30", &st, why, sizeof why), 0);
    assert_true(st.given && st.has_date);
    assert_int_equal(hallqd_start_ms(&st, 0), DAY2_0H - 30 * SEC);
    assert_int_equal(hallqd_parse_start("2026-11-24T08:30", &st, why, sizeof why), 0);
    assert_int_equal(hallqd_start_ms(&st, 0), DAY2_0H + 510 * MIN);
    assert_int_equal(hallqd_parse_start("08:30", &st, why, sizeof why), 0);
    assert_false(st.has_date);
    /* Today is the hall's: 2026-11-24 at 01:00 in Shanghai is still the 23rd in UTC. */
    assert_int_equal(hallqd_start_ms(&st, DAY2_0H + 60 * MIN), DAY2_0H + 510 * MIN);
    const char *bad[] = {"8:30",
                         "24:00",
                         "08:60",
                         "08:30x",
                         "08:+3",
                         "",
                         "08:30:61",
                         "2026-02-30 08:00",
                         "2026-11-24 8:30",
                         "2026/11/24 08:30",
                         "tomorrow"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        assert_int_equal(hallqd_parse_start(bad[i], &st, why, sizeof why), -1);
        char quoted[64];
        snprintf(quoted, sizeof quoted, "not '%s'", bad[i]);
        assert_non_null(strstr(why, quoted));
        assert_null(strchr(why, '\n'));
    }
}

/* ---- the hall and the daemon, fed such times ------------------------------------------------ */
static json_t *s_do(server_t *srv, hq_request_t *req, int64_t now)
{
    json_t *reply = server_handle(srv, req, now);
    assert_non_null(reply);
    if (!json_is_true(json_object_get(reply, "ok")))
        fail_msg("%s refused: %s", hq_req_type_name(req->type),
                 json_string_value(json_object_get(json_object_get(reply, "error"), "message")));
    return reply;
}

/* Runs a request; the label of the ticket its reply names ("" none). */
static const char *s_req(server_t *srv, hq_req_type_t type, int counter, char queue,
                         const char *number, int64_t now)
{
    static char label[HQ_LABEL_MAX];
    hq_request_t req;
    hq_request_init(&req, type);
    req.counter = counter;
    req.queue = queue;
    if (number)
        hq_strlcpy(req.number, number, sizeof req.number);
    if (type == HQ_REQ_LOGIN)
        hq_strlcpy(req.clerk, "wang", sizeof req.clerk);
    json_t *reply = s_do(srv, &req, now);
    const char *l = json_string_value(json_object_get(json_object_get(reply, "ticket"), "label"));
    hq_strlcpy(label, l ? l : "", sizeof label);
    json_decref(reply);
    return label;
}

static const hq_ticket_t *s_ticket(server_t *srv, const char *day, const char *label)
{
    const hall_t *hall = server_hall(srv);
    for (size_t i = 0; i < hall_ticket_count(hall); i++) {
        const hq_ticket_t *t = hall_ticket_at(hall, i);
        if (strcmp(t->day, day) == 0 && strcmp(t->label, label) == 0)
            return t;
    }
    return NULL;
}

/* A day check handed a time 90 s before midnight, after the hall turned to the new day and
 * called its first ticket (an unguarded clock gave that): the day stays, the ticket stays
 * called, and the next issue gets the next number. */
static void test_rollover_never_goes_back(void **state)
{
    hc_fixture_t *fx = *state;
    int64_t now = DAY2_0H - 20 * SEC;
    assert_non_null(hc_start(fx, now));
    s_req(fx->srv, HQ_REQ_LOGIN, 1, 0, NULL, now);
    assert_string_equal(s_req(fx->srv, HQ_REQ_ISSUE, 0, 'A', NULL, now), "A001");
    assert_string_equal(s_req(fx->srv, HQ_REQ_ISSUE, 0, 'A', NULL, now + SEC), "A002");
    now = DAY2_0H + 30 * SEC;
    server_check_day(fx->srv, now);
    assert_string_equal(hall_day(server_hall(fx->srv)), "2026-11-24");
    assert_string_equal(s_req(fx->srv, HQ_REQ_ISSUE, 0, 'A', NULL, now), "A001");
    assert_string_equal(s_req(fx->srv, HQ_REQ_CALL, 1, 0, NULL, now + SEC), "A001");

    now -= 90 * SEC;
    server_check_day(fx->srv, now);
    assert_string_equal(hall_day(server_hall(fx->srv)), "2026-11-24");
    assert_int_equal(s_ticket(fx->srv, "2026-11-24", "A001")->state, HQ_T_CALLED);
    assert_string_equal(s_req(fx->srv, HQ_REQ_ISSUE, 0, 'A', NULL, now), "A002");
    char why[512];
    if (hc_memory_is_the_store(fx->srv, &fx->cfg, now, why, sizeof why) != 0)
        fail_msg("after the step: %s", why);
}

/* A restart with the clock on the day before the stored one: the stored day is kept (and
 * logged), its numbering goes on, its called ticket stays called. */
static void test_restart_keeps_a_later_stored_day(void **state)
{
    hc_fixture_t *fx = *state;
    int64_t now = DAY2_0H + 30 * SEC;
    assert_non_null(hc_start(fx, now));
    s_req(fx->srv, HQ_REQ_LOGIN, 1, 0, NULL, now);
    assert_string_equal(s_req(fx->srv, HQ_REQ_ISSUE, 0, 'A', NULL, now), "A001");
    assert_string_equal(s_req(fx->srv, HQ_REQ_CALL, 1, 0, NULL, now + SEC), "A001");
    now -= 2 * 3600 * SEC;
    assert_non_null(hc_start(fx, now));
    assert_string_equal(hall_day(server_hall(fx->srv)), "2026-11-24");
    assert_int_equal(
        s_logged("the clock says 2026-11-23, before the business day 2026-11-24", NULL), 1);
    server_check_day(fx->srv, now);
    assert_string_equal(hall_day(server_hall(fx->srv)), "2026-11-24");
    assert_int_equal(s_ticket(fx->srv, "2026-11-24", "A001")->state, HQ_T_CALLED);
    assert_string_equal(s_req(fx->srv, HQ_REQ_ISSUE, 0, 'A', NULL, now), "A002");
}

/* Park, the clock an hour back, unpark and finish: the parked time and the handling time
 * are never negative, in memory or in the metric. */
static void test_park_across_a_step_back(void **state)
{
    hc_fixture_t *fx = *state;
    int64_t now = DAY2_0H + 10 * 3600 * SEC;
    assert_non_null(hc_start(fx, now));
    s_req(fx->srv, HQ_REQ_LOGIN, 1, 0, NULL, now);
    s_req(fx->srv, HQ_REQ_ISSUE, 0, 'A', NULL, now);
    s_req(fx->srv, HQ_REQ_CALL, 1, 0, NULL, now + MIN);
    s_req(fx->srv, HQ_REQ_START, 1, 0, NULL, now + 2 * MIN);
    s_req(fx->srv, HQ_REQ_PARK, 1, 0, NULL, now + 3 * MIN);
    now -= 3600 * SEC;
    s_req(fx->srv, HQ_REQ_UNPARK, 1, 0, "A001", now);
    const hq_ticket_t *t = s_ticket(fx->srv, "2026-11-24", "A001");
    assert_int_equal(t->park_total_ms, 0);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_FINISH);
    req.counter = 1;
    json_t *reply = s_do(fx->srv, &req, now + MIN);
    assert_int_equal(json_integer_value(json_object_get(reply, "handling_ms")), 0);
    json_decref(reply);
    assert_int_equal(s_ticket(fx->srv, "2026-11-24", "A001")->park_total_ms, 0);
    /* What a restart's clock must not go back behind: the latest time recorded, the start. */
    assert_int_equal(hall_latest_ms(server_hall(fx->srv)), DAY2_0H + 10 * 3600 * SEC + 2 * MIN);
}

/* The arithmetic behind every duration, given the times an unguarded clock once stored. */
static void test_durations_never_negative(void **state)
{
    (void)state;
    int64_t t0 = DAY2_0H + 10 * 3600 * SEC, back = t0 - 3600 * SEC;
    assert_int_equal(metric_wait_ms(t0, back + 12), 0);
    assert_int_equal(metric_handling_ms(t0, t0, back, 0), 0);
    assert_int_equal(metric_handling_ms(t0, t0, t0 + 5 * MIN, -3599988), 5 * MIN);
    assert_int_equal(metric_window_ms(t0, 0, t0 + 5 * MIN, -3599988), 5 * MIN);
    assert_int_equal(metric_window_ms(t0, 0, back, 0), 0);
    metric_acc_t acc = {0};
    metric_add(&acc, -3599988, 10 * MIN);
    assert_int_equal(acc.sum_ms, 0);
    assert_int_equal(acc.max_ms, 0);
    assert_int_equal(metric_avg_ms(&acc), 0);
    assert_int_equal(acc.within, 1);
}

/* A data folder holds one kind of days. A simulated hall marks an empty folder; a real hall
 * refuses it; a simulated hall refuses a real hall's folder and a start before the latest
 * time its own folder recorded, and starts after it. (At 1x: the metric entry written when a
 * server stops comes at its start, whatever time the test takes.) */
static void test_a_folder_holds_one_kind_of_days(void **state)
{
    hc_fixture_t *fx = *state;
    char why[512];
    server_clock_t sim = {DAY2_0H + 510 * MIN, 1};
    snprintf(fx->cfg.request_endpoint, sizeof fx->cfg.request_endpoint, "inproc://hallq-sim-r1");
    snprintf(fx->cfg.event_endpoint, sizeof fx->cfg.event_endpoint, "inproc://hallq-sim-e1");
    fx->srv = server_new_simulated(&fx->cfg, fx->dir, &sim, why, sizeof why);
    if (!fx->srv)
        fail_msg("server_new_simulated: %s", why);
    assert_int_equal(s_logged("SIMULATED CLOCK: the hall's time started at 2026-11-24 08:30:00 "
                              "and runs 1x as fast as real time",
                              NULL),
                     1);
    assert_string_equal(hall_day(server_hall(fx->srv)), "2026-11-24");
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CATALOG);
    json_t *reply = server_handle(fx->srv, &req, DAY2_0H + 511 * MIN);
    assert_true(json_is_true(json_object_get(reply, "simulated")));
    assert_int_equal(json_integer_value(json_object_get(reply, "speed")), 1);
    json_decref(reply);
    s_req(fx->srv, HQ_REQ_ISSUE, 0, 'A', NULL, DAY2_0H + 512 * MIN);
    server_destroy(&fx->srv);

    /* The system's clock on the simulated hall's folder. */
    assert_null(server_new(&fx->cfg, fx->dir, why, sizeof why));
    assert_non_null(strstr(why, "hallq.db holds a simulated hall's days (hallqd --simulate): a "
                                "real hall needs a data folder of its own"));
    /* Simulated again, from before the ticket it issued; then from after it. */
    sim.start_ms = DAY2_0H + 511 * MIN;
    assert_null(server_new_simulated(&fx->cfg, fx->dir, &sim, why, sizeof why));
    assert_non_null(strstr(why, "the simulated clock would start at 2026-11-24 08:31:00, before "
                                "the latest time"));
    assert_non_null(strstr(why, "recorded (2026-11-24 08:32:00): start after it, or in an empty "
                                "data folder"));
    sim.start_ms = DAY2_0H + 24 * 60 * MIN + 510 * MIN;
    snprintf(fx->cfg.request_endpoint, sizeof fx->cfg.request_endpoint, "inproc://hallq-sim-r2");
    snprintf(fx->cfg.event_endpoint, sizeof fx->cfg.event_endpoint, "inproc://hallq-sim-e2");
    fx->srv = server_new_simulated(&fx->cfg, fx->dir, &sim, why, sizeof why);
    if (!fx->srv)
        fail_msg("the next simulated day: %s", why);
    server_check_day(fx->srv, sim.start_ms);
    assert_string_equal(hall_day(server_hall(fx->srv)), "2026-11-25");
    server_destroy(&fx->srv);

    /* A real hall's folder refuses a simulated clock, and keeps no mark. */
    char real[sizeof fx->dir + 8];
    snprintf(real, sizeof real, "%s/real", fx->dir);
    char dir[sizeof fx->dir];
    memcpy(dir, fx->dir, sizeof dir);
    hq_strlcpy(fx->dir, real, sizeof fx->dir);
    assert_non_null(hc_start(fx, DAY2_0H + 9 * 60 * MIN));
    server_destroy(&fx->srv);
    assert_null(server_new_simulated(&fx->cfg, fx->dir, &sim, why, sizeof why));
    assert_non_null(strstr(why, "hallq.db holds a real hall's days: a simulated clock needs a "
                                "data folder of its own"));
    assert_non_null(hc_start(fx, DAY2_0H + 10 * 60 * MIN));
    memcpy(fx->dir, dir, sizeof dir);
}

static int s_daemon_setup(void **state)
{
    return s_catch_log(state) == 0 ? hc_setup(state, 0) : -1;
}

static int s_daemon_teardown(void **state)
{
    int rc = hc_teardown(state);
    return s_release_log(state) == 0 ? rc : -1;
}

#define S_CLOCK_TEST(f) cmocka_unit_test_setup_teardown(f, s_catch_log, s_release_log)
#define S_DAEMON_TEST(f) cmocka_unit_test_setup_teardown(f, s_daemon_setup, s_daemon_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        S_CLOCK_TEST(test_follows_a_clock_that_runs),
        S_CLOCK_TEST(test_step_back_across_midnight),
        S_CLOCK_TEST(test_hour_back_then_another),
        S_CLOCK_TEST(test_step_forward_is_followed),
        S_CLOCK_TEST(test_small_step_back_is_held_quietly),
        S_CLOCK_TEST(test_steady_clock_that_steps_too),
        S_CLOCK_TEST(test_keep_after_a_restart),
        S_CLOCK_TEST(test_simulated_clock_runs_at_its_speed),
        S_CLOCK_TEST(test_simulated_clock_never_goes_back),
        S_CLOCK_TEST(test_simulate_start),
        S_DAEMON_TEST(test_a_folder_holds_one_kind_of_days),
        S_DAEMON_TEST(test_rollover_never_goes_back),
        S_DAEMON_TEST(test_restart_keeps_a_later_stored_day),
        S_DAEMON_TEST(test_park_across_a_step_back),
        S_CLOCK_TEST(test_durations_never_negative),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
