/* Wait estimates: the estimate on plain values (the textbook cases it must give back), and
 * through the hall: unbiased on M/M/1, not fooled by a few test transactions of seconds or
 * one citizen kept for hours, the same after a reload, carried into the next day, and in the
 * snapshot for every waiting ticket. No sockets, no database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "estimate.h"
#include "hall_fixture.h"
#include "hall_int.h"
#include "hq_date.h"

/* ---- the estimate on plain values ----------------------------------------------------------- */
static est_input_t s_input(int open, int idle, double variation)
{
    est_input_t in;
    memset(&in, 0, sizeof in);
    in.lane = EST_NORMAL;
    in.open = open;
    in.idle = idle;
    in.variation = variation;
    for (int l = 0; l < EST_LANES; l++)
        in.lanes[l].mean_ms = 5 * MIN;
    return in;
}

/* Exponential window times (variation 1): Whitt's queue-length predictor, (n + 1) / (c mu),
 * whatever the busy windows have had (they have no memory). */
static void test_exponential_times_give_the_queue_length_predictor(void **state)
{
    (void)state;
    est_busy_t busy[4] = {{1 * MIN, 5 * MIN}, {7 * MIN, 5 * MIN}, {0, 5 * MIN}, {3 * MIN, 5 * MIN}};
    for (int n = 0; n <= 12; n++) {
        est_input_t in = s_input(4, 0, 1.0);
        in.nbusy = 4;
        in.busy = busy;
        in.lanes[EST_NORMAL].ahead = n;
        in.lanes[EST_NORMAL].ahead_ms = n * 5.0 * MIN;
        assert_in_range(est_wait_ms(&in), (n + 1) * 5 * MIN / 4 - 1, (n + 1) * 5 * MIN / 4 + 1);
    }
}

/* Fixed window times (variation 0): the windows free up in turn, each when its ticket has had
 * its time; on one window everyone ahead is served one after the other. */
static void test_fixed_times_free_the_windows_in_turn(void **state)
{
    (void)state;
    est_busy_t busy[3] = {{3 * MIN, 12 * MIN}, {10 * MIN, 12 * MIN}, {7 * MIN, 12 * MIN}};
    const int64_t expect[3] = {2 * MIN, 5 * MIN, 9 * MIN}; /* 12 - 10, 12 - 7, 12 - 3 */
    for (int n = 0; n < 3; n++) {
        est_input_t in = s_input(3, 0, 0.0);
        in.nbusy = 3;
        in.busy = busy;
        in.lanes[EST_NORMAL].ahead = n;
        in.lanes[EST_NORMAL].ahead_ms = n * 12.0 * MIN;
        assert_in_range(est_wait_ms(&in), expect[n] - 1, expect[n] + 1);
    }
    est_busy_t one = {1 * MIN, 4 * MIN};
    est_input_t in = s_input(1, 0, 0.0);
    in.nbusy = 1;
    in.busy = &one;
    in.lanes[EST_NORMAL].ahead = 3;
    in.lanes[EST_NORMAL].ahead_ms = (2 + 6 + 9) * MIN;
    assert_in_range(est_wait_ms(&in), 20 * MIN - 1, 20 * MIN + 1); /* 3 left + 17 */
}

/* A free window takes the ticket at once; with more ahead than free windows it waits. */
static void test_a_free_window_is_no_wait(void **state)
{
    (void)state;
    est_busy_t busy = {2 * MIN, 5 * MIN};
    est_input_t in = s_input(3, 2, 0.5);
    in.nbusy = 1;
    in.busy = &busy;
    assert_int_equal(est_wait_ms(&in), 0);
    in.lanes[EST_NORMAL].ahead = 1;
    in.lanes[EST_NORMAL].ahead_ms = 5 * MIN;
    assert_int_equal(est_wait_ms(&in), 0);
    in.lanes[EST_NORMAL].ahead = 2;
    in.lanes[EST_NORMAL].ahead_ms = 10 * MIN;
    assert_true(est_wait_ms(&in) > 0);
}

/* Green tickets arriving later pass a normal one: with window times exponential, the wait is
 * stretched by 1 / (1 - their load) (a priority queue's); at most green_max_in_row of them for
 * each normal ticket ahead and itself, however many come. */
static void test_green_arrivals_pass_within_the_row_bound(void **state)
{
    (void)state;
    est_busy_t busy[2] = {{0, 6 * MIN}, {0, 6 * MIN}};
    est_input_t in = s_input(2, 0, 1.0);
    in.nbusy = 2;
    in.busy = busy;
    in.lanes[EST_NORMAL].ahead = 3;
    in.lanes[EST_NORMAL].ahead_ms = 18 * MIN;
    for (int l = 0; l < EST_LANES; l++)
        in.lanes[l].mean_ms = 6 * MIN;
    int64_t alone = est_wait_ms(&in); /* (3 + 1) * 6 / 2 = 12 min */
    assert_in_range(alone, 12 * MIN - 1, 12 * MIN + 1);
    in.lanes[EST_GREEN].rate_per_ms = 1.0 / (12 * MIN); /* load 6 / 12 / 2 = 0.25 */
    in.lanes[EST_GREEN].max_in_row = 100;
    assert_in_range(est_wait_ms(&in), 16 * MIN - 2000, 16 * MIN + 2000); /* 12 / 0.75 */
    in.lanes[EST_GREEN].rate_per_ms = 100.0 / MIN;                       /* a flood of them */
    in.lanes[EST_GREEN].max_in_row = 3;
    in.row = 1;
    /* 3 for each of the 4 (3 ahead and itself), 1 of them called already: 11 pass at most */
    int64_t most = (3 + 1 + 11) * 6 * MIN / 2;
    assert_in_range(est_wait_ms(&in), alone + 1, most);
}

/* Normal tickets that have waited normal_max_wait_min go before a green one. */
static double s_aged_two(const void *ctx, double age_ms)
{
    (void)ctx;
    return age_ms <= 30 * MIN ? 2 : 0; /* two have waited 30 min, the others much less */
}

static void test_normals_past_max_wait_go_before_green(void **state)
{
    (void)state;
    est_busy_t busy = {0, 6 * MIN};
    est_input_t in = s_input(1, 0, 0.0);
    in.lane = EST_GREEN;
    in.nbusy = 1;
    in.busy = &busy;
    in.lanes[EST_NORMAL].waiting = 5;
    in.lanes[EST_NORMAL].waiting_ms = 30 * MIN;
    in.lanes[EST_NORMAL].max_wait_ms = 30 * MIN;
    int64_t first = est_wait_ms(&in); /* the window's ticket only */
    assert_in_range(first, 6 * MIN - 1, 6 * MIN + 1);
    in.lanes[EST_NORMAL].aged = s_aged_two;
    assert_in_range(est_wait_ms(&in), 18 * MIN - 1, 18 * MIN + 1); /* and two of 6 min */
}

/* Checked-in appointments whose slots have begun go before a walk-in, at most max_in_row for
 * each walk-in call up to its own, less the row already called; one whose slot begins after
 * the walk-in's call does not. Fixed times on one window, its ticket 6 minutes from done. */
static void test_walk_in_counts_the_appointments_before_it(void **state)
{
    (void)state;
    est_busy_t busy = {0, 6 * MIN};
    est_input_t in = s_input(1, 0, 0.0);
    in.nbusy = 1;
    in.busy = &busy;
    assert_in_range(est_wait_ms(&in), 6 * MIN - 1, 6 * MIN + 1);
    in.appts =
        (est_appointments_t){.due = 3, .due_ms = 12.0 * MIN, .mean_ms = 4 * MIN, .max_in_row = 2};
    assert_in_range(est_wait_ms(&in), 14 * MIN - 1, 14 * MIN + 1); /* two of the three */
    in.appts.row = 1;
    assert_in_range(est_wait_ms(&in), 10 * MIN - 1, 10 * MIN + 1); /* one, the row has one */
    in.lanes[EST_NORMAL].ahead = 1; /* a walk-in ahead ends the row: two more after it */
    in.lanes[EST_NORMAL].ahead_ms = 5.0 * MIN;
    assert_in_range(est_wait_ms(&in), 23 * MIN - 1, 23 * MIN + 1); /* 6 + 5 + 3 x 4 */
    /* Slots still to begin: one 3 minutes from now goes first, one 30 minutes from now not. */
    double in_3[1] = {3 * MIN}, in_30[1] = {30 * MIN};
    in = s_input(1, 0, 0.0);
    in.nbusy = 1;
    in.busy = &busy;
    in.appts = (est_appointments_t){.later = 1, .in_ms = in_30, .mean_ms = 4 * MIN};
    assert_in_range(est_wait_ms(&in), 6 * MIN - 1, 6 * MIN + 1);
    in.appts.in_ms = in_3;
    assert_in_range(est_wait_ms(&in), 10 * MIN - 1, 10 * MIN + 1);
}

/* An appointment: not before its slot, then the first window to free; once it is due, those
 * before it, a walk-in after every max_in_row in a row, and normals past max_wait. */
static void test_appointment_ticket_from_its_slot(void **state)
{
    (void)state;
    est_busy_t busy = {0, 6 * MIN};
    est_input_t in = s_input(1, 0, 0.0);
    in.nbusy = 1;
    in.busy = &busy;
    in.appointment = 1;
    in.lanes[EST_NORMAL].waiting = 3;
    in.lanes[EST_NORMAL].waiting_ms = 18.0 * MIN;
    in.appts = (est_appointments_t){.mean_ms = 4 * MIN, .max_in_row = 2};
    in.slot_in_ms = 20 * MIN; /* 20, then half a window time on one window of fixed times */
    assert_in_range(est_wait_ms(&in), 22 * MIN - 1, 22 * MIN + 1);
    in.slot_in_ms = 0; /* due: the window's ticket only */
    assert_in_range(est_wait_ms(&in), 6 * MIN - 1, 6 * MIN + 1);
    in.appts.due = 1; /* one due before it: 6 + 4 */
    in.appts.due_ms = 4 * MIN;
    assert_in_range(est_wait_ms(&in), 10 * MIN - 1, 10 * MIN + 1);
    in.appts.row = 1; /* ... which fills the row of 2: a walk-in of 6 goes first too */
    assert_in_range(est_wait_ms(&in), 16 * MIN - 1, 16 * MIN + 1);
    in.appts = (est_appointments_t){.mean_ms = 4 * MIN, .max_in_row = 2};
    in.lanes[EST_NORMAL].max_wait_ms = 30 * MIN;
    in.lanes[EST_NORMAL].aged = s_aged_two; /* two walk-ins past max_wait go first */
    assert_in_range(est_wait_ms(&in), 18 * MIN - 1, 18 * MIN + 1);
    /* No walk-in waits and a window is free: at its slot. */
    in = s_input(1, 1, 0.0);
    in.appointment = 1;
    in.slot_in_ms = 20 * MIN;
    assert_in_range(est_wait_ms(&in), 20 * MIN - 1, 20 * MIN + 1);
}

/* ---- through the hall ------------------------------------------------------------------------ */
static uint64_t s_rng = 7;

static double s_uniform(void)
{
    uint64_t z = (s_rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double s_exponential(double mean)
{
    return -mean * log(s_uniform());
}

/* Issues a ticket; its ahead and estimate. */
static int64_t s_issue(fx_t *fx, char queue, int green, int *ahead, int64_t *est)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = queue;
    req.elderly = green;
    hall_result_t r;
    hall_result_init(&r);
    hall_handle(fx->hall, &req, fx->now, &r);
    assert_int_equal(r.error.code, HQ_E_NONE);
    if (ahead)
        *ahead = r.ahead;
    if (est)
        *est = r.est_wait_ms;
    int64_t id = r.ticket;
    hall_result_clear(&r);
    return id;
}

/* A window action; the ticket it acted on (0 none). */
static int64_t s_act(fx_t *fx, hq_req_type_t type, int counter)
{
    hq_request_t req;
    hq_request_init(&req, type);
    req.counter = counter;
    hall_result_t r;
    hall_result_init(&r);
    hall_handle(fx->hall, &req, fx->now, &r);
    assert_int_equal(r.error.code, HQ_E_NONE);
    int64_t id = r.ticket;
    hall_result_clear(&r);
    return id;
}

static void s_new_day(fx_t *fx, const char *day)
{
    hall_result_t r;
    hall_result_init(&r);
    hall_rollover(fx->hall, day, fx->now, &r);
    hall_result_clear(&r);
    hall_compact(fx->hall);
}

/* M/M/1 at load 0.7, window time 5 min, 8-hour days through the hall's own code: the estimate
 * printed at issue is unbiased against the wait each ticket then had (the old estimate, ahead x
 * mean handling / windows, missed the "+1": a whole window time low), and its mean absolute
 * error is close to the oracle's, (ahead + 1) x 5 min, 0 when the window is free. */
static void test_mm1_estimate_is_unbiased(void **state)
{
    fx_t *fx = *state;
    const double mean = 5 * MIN, lambda = 0.7 / mean;
    hf_login(fx, 1, "wang");
    int64_t *issued = calloc(20000, sizeof *issued);
    int64_t *est = calloc(20000, sizeof *est), *oracle = calloc(20000, sizeof *oracle);
    assert_non_null(issued);
    assert_non_null(est);
    assert_non_null(oracle);
    double err = 0, abs_err = 0, abs_oracle = 0, waited = 0;
    int scored = 0;
    char day[11];
    for (int d = 0; d < 60; d++) {
        hq_date_format(hq_date_from_days(hq_date_to_days((hq_date_t){2026, 12, 1}) + d), day);
        fx->now = T0 + d * 86400000LL;
        s_new_day(fx, day);
        int64_t close = fx->now + 8 * 60 * MIN, next = fx->now + (int64_t)s_exponential(1 / lambda);
        int64_t done = 0, at = 0; /* the window's ticket finishes at `done`; 0: idle */
        while (next < close || at) {
            if (at && (next >= close || done <= next)) {
                fx->now = done;
                s_act(fx, HQ_REQ_FINISH, 1);
                at = 0;
            } else {
                fx->now = next;
                next += (int64_t)s_exponential(1 / lambda) + 1;
                int ahead;
                int64_t told;
                int64_t id = s_issue(fx, 'A', 0, &ahead, &told);
                assert_true(id < 20000);
                issued[id] = fx->now;
                est[id] = told;
                oracle[id] = at ? (int64_t)((ahead + 1) * mean) : 0;
            }
            if (!at && (at = s_act(fx, HQ_REQ_CALL, 1)) != 0) {
                done = fx->now + (int64_t)s_exponential(mean) + 1;
                if (d >= 2) { /* the first days learn the window time from the 8 min prior */
                    double wait = (double)(fx->now - issued[at]);
                    err += (double)est[at] - wait;
                    abs_err += fabs((double)est[at] - wait);
                    abs_oracle += fabs((double)oracle[at] - wait);
                    waited += wait;
                    scored++;
                }
            }
        }
    }
    printf(
        "M/M/1, load 0.7: %d tickets, mean wait %.2f min; estimate bias %+.2f min, MAE %.2f min, "
        "oracle's MAE %.2f min\n",
        scored, waited / scored / MIN, err / scored / MIN, abs_err / scored / MIN,
        abs_oracle / scored / MIN);
    assert_true(scored > 2000);
    assert_true(fabs(err / scored) < 0.1 * waited / scored);
    assert_true(abs_err < 1.1 * abs_oracle);
    free(issued);
    free(est);
    free(oracle);
}

/* Serves one ticket at window 1 in `ms` (call to finish). */
static void s_serve(fx_t *fx, int64_t ms)
{
    s_issue(fx, 'A', 0, NULL, NULL);
    CALL(fx, 1);
    assert_true(hall_counter(fx->hall, 1)->current != 0);
    fx->now += ms;
    s_act(fx, HQ_REQ_FINISH, 1);
    fx->now += 1000;
}

/* Window 1 serves queue A, where tickets are served; window 2 alone serves G and is closed
 * (3 and 4 serve A, closed too).
 * With four green G tickets waiting, the fifth's estimate (asked again with its token: the
 * estimate now) is five window times as the model has them, whatever they vary: nobody in G
 * is served, and the closed window counts as one that just took a ticket. */
static void s_two_halls(fx_t *fx)
{
    for (int i = 0; i < fx->cfg.ncounters; i++)
        hq_strlcpy(fx->cfg.counters[i].queues, i == 1 ? "G" : "A",
                   sizeof fx->cfg.counters[i].queues);
    hall_reset(fx->hall, "2026-11-23");
    hall_finish_load(fx->hall, 1, 0);
    hf_login(fx, 1, "wang");
}

static void s_g_line(fx_t *fx)
{
    for (int i = 0; i < 4; i++)
        s_issue(fx, 'G', 1, NULL, NULL);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'G';
    req.elderly = 1;
    strcpy(req.token, "fifth");
    int ok;
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_true(ok);
}

static int64_t s_fifth(fx_t *fx)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'G';
    req.elderly = 1;
    strcpy(req.token, "fifth");
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    assert_true(ok);
    assert_int_equal(json_integer_value(json_object_get(reply, "ahead")), 4);
    int64_t est = json_integer_value(json_object_get(reply, "est_wait_ms"));
    json_decref(reply);
    return est;
}

/* A few test transactions of seconds at the opening do not make the estimate minutes (the old
 * estimate, the mean of the last 20, said "4 ahead, about 1 minute" after them); a morning of
 * 4-minute tickets does make it 4 minutes a ticket; then a handful of seconds-long ones, or one
 * citizen kept three hours, move it by little. */
static void test_outliers_move_the_estimate_little(void **state)
{
    fx_t *fx = *state;
    s_two_halls(fx);
    s_g_line(fx);
    int64_t fresh = s_fifth(fx); /* the prior: 8 min a ticket, 5 of them */
    assert_in_range(fresh, 5 * 8 * MIN * 9 / 10, 5 * 8 * MIN * 11 / 10);
    for (int i = 0; i < 3; i++)
        s_serve(fx, 10 * 1000);
    int64_t after_tests = s_fifth(fx);
    printf("5th in line: %.1f min with no history, %.1f min after 3 test transactions of 10 s\n",
           (double)fresh / MIN, (double)after_tests / MIN);
    assert_true(after_tests > fresh * 6 / 10);
    for (int i = 0; i < 40; i++)
        s_serve(fx, 4 * MIN);
    int64_t learned = s_fifth(fx);
    printf("... %.1f min after 40 tickets of 4 min\n", (double)learned / MIN);
    assert_in_range(learned, 5 * 4 * MIN * 8 / 10, 5 * 4 * MIN * 12 / 10);
    for (int i = 0; i < 8; i++)
        s_serve(fx, 10 * 1000);
    int64_t quick = s_fifth(fx);
    printf("... %.1f min after 8 more of 10 s\n", (double)quick / MIN);
    assert_true(quick > learned * 8 / 10);
    s_serve(fx, 180 * MIN);
    int64_t after_long = s_fifth(fx);
    printf("... %.1f min after one of 3 hours\n", (double)after_long / MIN);
    assert_true(after_long < quick * 5 / 4);
}

/* A reload of the day (after a failed commit the server throws the hall's memory away and
 * loads it from the store) gives every waiting ticket the estimate it had: the model is sums
 * over the day's tickets, whatever order they come back in (a no-show reactivated since is
 * forgotten live too). */
static void test_a_reload_gives_the_same_estimates(void **state)
{
    fx_t *fx = *state;
    s_new_day(fx, "2026-11-24"); /* a day begun in this hall: the model it began with is kept */
    hf_login(fx, 1, "wang");
    hf_login(fx, 2, "li");
    for (int i = 0; i < 30; i++) {
        fx->now += (int64_t)s_exponential(2 * MIN);
        s_issue(fx, i % 3 ? 'A' : 'C', i % 5 == 0, NULL, NULL);
        int w = 1 + i % 2;
        if (i % 3 == 0 && hall_counter(fx->hall, w)->current == 0)
            s_act(fx, HQ_REQ_CALL, w);
        else if (i % 3 == 2 && hall_counter(fx->hall, w)->current)
            s_act(fx, HQ_REQ_FINISH, w);
    }
    /* two no-shows at window 1, one of them reactivated: back in line */
    if (hall_counter(fx->hall, 1)->current)
        s_act(fx, HQ_REQ_FINISH, 1);
    for (int k = 0; k < 2; k++) {
        int64_t id = s_act(fx, HQ_REQ_CALL, 1);
        assert_true(id != 0);
        fx->now += MIN;
        s_act(fx, HQ_REQ_RECALL, 1);
        fx->now += MIN;
        s_act(fx, HQ_REQ_NO_SHOW, 1);
        if (k == 0) {
            hq_request_t req;
            hq_request_init(&req, HQ_REQ_REACTIVATE);
            strcpy(req.number, hall_ticket(fx->hall, id)->label);
            int ok;
            json_decref(hf_do(fx, &req, &ok, NULL));
            assert_true(ok);
        }
    }
    fx->now += MIN;
    size_t n = hall_ticket_count(fx->hall);
    int *ahead = calloc(n, sizeof *ahead), *ahead2 = calloc(n, sizeof *ahead2);
    int64_t *wait = calloc(n, sizeof *wait), *wait2 = calloc(n, sizeof *wait2);
    assert_int_equal(hall_estimate_waiting(fx->hall, fx->now, ahead, wait), 0);
    /* what the store would give back */
    hq_ticket_t *tickets = calloc(n, sizeof *tickets);
    hq_counter_t counters[4];
    for (size_t i = 0; i < n; i++)
        tickets[i] = *hall_ticket_at(fx->hall, i);
    for (int c = 0; c < 4; c++)
        counters[c] = *hall_counter(fx->hall, c + 1);
    int streak = hall_green_streak(fx->hall);
    int64_t next_id = tickets[n - 1].id + 1, seq = hall_seq(fx->hall);
    hall_reset(fx->hall, "2026-11-24");
    for (size_t i = 0; i < n; i++)
        assert_int_equal(hall_load_ticket(fx->hall, &tickets[i]), 0);
    for (int c = 0; c < 4; c++)
        hall_load_counter(fx->hall, counters[c].id, counters[c].clerk, 0, "", counters[c].current,
                          counters[c].since_ms);
    hall_load_green_streak(fx->hall, streak);
    assert_int_equal(hall_finish_load(fx->hall, next_id, seq), 0);
    assert_int_equal(hall_estimate_waiting(fx->hall, fx->now, ahead2, wait2), 0);
    int waiting = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ahead2[i], ahead[i]);
        assert_true(llabs(wait2[i] - wait[i]) <= 1);
        waiting += tickets[i].state == HQ_T_WAITING;
    }
    assert_true(waiting >= 5);
    free(ahead);
    free(ahead2);
    free(wait);
    free(wait2);
    free(tickets);
}

/* What a day taught is the next day's prior: a hall whose tickets take 3 minutes says so the
 * next morning, not the configured 8. */
static void test_the_next_day_starts_from_this_one(void **state)
{
    fx_t *fx = *state;
    s_two_halls(fx);
    for (int i = 0; i < 60; i++)
        s_serve(fx, 3 * MIN);
    fx->now = T0 + 86400000LL;
    s_new_day(fx, "2026-11-24");
    s_g_line(fx);
    int64_t est = s_fifth(fx);
    printf("5th in line the next morning: %.1f min (3 min tickets the day before)\n",
           (double)est / MIN);
    assert_in_range(est, 5 * 3 * MIN * 8 / 10, 5 * 3 * MIN * 12 / 10);
}

/* The newest waiting ticket's estimate in a snapshot. */
static int64_t s_newest_in(json_t *snap)
{
    json_t *waits = json_object_get(snap, "waits");
    json_t *last = json_array_get(waits, json_array_size(waits) - 1);
    return json_integer_value(json_object_get(last, "est_wait_ms"));
}

/* The snapshot gives each waiting ticket its place and expected wait from now (a citizen's
 * phone shows them): the newest's is what its issue reply said at the same moment (one walk
 * for all of them, the same answer as the issue's own), they grow along the line, and a ticket
 * that no longer waits has none. */
static void test_the_snapshot_has_every_waiting_tickets_estimate(void **state)
{
    fx_t *fx = *state;
    hf_login(fx, 1, "wang");
    hf_login(fx, 2, "li");
    int64_t told = 0;
    for (int i = 0; i < 8; i++) {
        fx->now += 30 * 1000;
        int ahead;
        s_issue(fx, i % 2 ? 'A' : 'B', i == 5, &ahead, &told);
    }
    json_t *snap = hall_wire_snapshot(fx->hall, fx->now);
    assert_int_equal(json_array_size(json_object_get(snap, "waits")), 8);
    assert_int_equal(s_newest_in(snap), told);
    json_decref(snap);
    assert_string_equal(CALL(fx, 1), "A003"); /* the green one */
    assert_string_equal(CALL(fx, 2), "B001");
    snap = hall_wire_snapshot(fx->hall, fx->now);
    json_t *waits = json_object_get(snap, "waits"), *w;
    size_t i;
    int64_t before = -1;
    json_array_foreach(waits, i, w)
    {
        const hq_ticket_t *t =
            hall_ticket(fx->hall, json_integer_value(json_object_get(w, "ticket")));
        assert_non_null(t);
        assert_int_equal(t->state, HQ_T_WAITING);
        assert_string_equal(json_string_value(json_object_get(w, "label")), t->label);
        /* all normal now, the green one called: each has those before it ahead */
        assert_int_equal(json_integer_value(json_object_get(w, "ahead")), (json_int_t)i);
        int64_t est = json_integer_value(json_object_get(w, "est_wait_ms"));
        assert_true(est > before);
        before = est;
    }
    assert_int_equal(json_array_size(waits), 6);
    json_decref(snap);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, hf_setup, hf_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exponential_times_give_the_queue_length_predictor),
        cmocka_unit_test(test_fixed_times_free_the_windows_in_turn),
        cmocka_unit_test(test_a_free_window_is_no_wait),
        cmocka_unit_test(test_green_arrivals_pass_within_the_row_bound),
        cmocka_unit_test(test_normals_past_max_wait_go_before_green),
        cmocka_unit_test(test_walk_in_counts_the_appointments_before_it),
        cmocka_unit_test(test_appointment_ticket_from_its_slot),
        T(test_mm1_estimate_is_unbiased),
        T(test_outliers_move_the_estimate_little),
        T(test_a_reload_gives_the_same_estimates),
        T(test_the_next_day_starts_from_this_one),
        T(test_the_snapshot_has_every_waiting_tickets_estimate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
