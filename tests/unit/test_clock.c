/* What a step of the system clock must not do to the hall: a daemon fed the times an
 * unguarded clock gives (90 s back across midnight, an hour back inside a day, a restart with
 * the clock before the stored day): the business day never goes backwards, durations are
 * never negative, numbering never repeats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hall_check.h"
#include "hq_date.h"
#include "metric.h"

#define SEC 1000LL
#define MIN 60000LL
#define DAY2_0H 1795449600000LL /* 2026-11-24 00:00 in Shanghai */

/* ---- the log, caught ------------------------------------------------------------------------
 * The daemon logs to stderr: into a file while a test runs, read back to count the lines, and
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
        S_DAEMON_TEST(test_rollover_never_goes_back),
        S_DAEMON_TEST(test_restart_keeps_a_later_stored_day),
        S_DAEMON_TEST(test_park_across_a_step_back),
        S_CLOCK_TEST(test_durations_never_negative),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
