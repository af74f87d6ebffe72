/* The hall against models: each call-next is the scheduler's pick among every waiting ticket
 * of three classes, checked-in appointments, green and normal walk-ins (the hall itself
 * compares the fronts of its lines), green_max_in_row and the appointments' max_in_row count
 * for the whole hall, and the waiting counts are what a walk through the tickets counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hall_fixture.h"
#include "hq_date.h"
#include "sched.h"

/* What call-next should give: the scheduler's pick among every waiting ticket of the hall,
 * found by walking all ids (the hall itself only looks at the front of each line), with the
 * model's streaks; and the streaks after it, by the rules (PROTOCOL.md): a normal walk-in
 * ends the green row, a green call adds one to it when it kept a normal walk-in of the
 * window's queues waiting and leaves it otherwise, an appointment leaves it; any walk-in
 * ends the appointment row, an appointment adds one to it when it kept a walk-in of the
 * window's queues waiting and leaves it otherwise. *reason gets the pick's code. */
static void s_expected_next(fx_t *fx, int counter, int64_t max_id, sched_streaks_t *streak,
                            char *label, sched_reason_t *reason)
{
    const hq_counter_t *c = hall_counter(fx->hall, counter);
    sched_ticket_t *all = calloc((size_t)max_id + 1, sizeof *all);
    assert_non_null(all);
    int n = 0, normal_here = 0, walk_in_here = 0;
    for (int64_t id = 1; id <= max_id; id++) {
        const hq_ticket_t *t = hall_ticket(fx->hall, id);
        if (t && t->state == HQ_T_WAITING) {
            all[n++] = (sched_ticket_t){t->id, t->queue, t->green != 0, t->issued_ms, t->slot_ms};
            int here = strchr(c->queues, t->queue) != NULL;
            normal_here |= here && !t->green && !t->slot_ms;
            walk_in_here |= here && !t->slot_ms;
        }
    }
    sched_rules_t rules = {fx->cfg.green_max_in_row, fx->cfg.normal_max_wait_min * MIN,
                           fx->cfg.appointments.max_in_row};
    sched_pick_t pick = sched_pick(all, n, c->queues, *streak, &rules, fx->now);
    strcpy(label, pick.index >= 0 ? hall_ticket(fx->hall, all[pick.index].id)->label : "");
    *reason = pick.reason;
    if (pick.index >= 0) {
        const sched_ticket_t *t = &all[pick.index];
        if (t->slot_ms) {
            streak->appointment += walk_in_here;
        } else {
            streak->appointment = 0;
            streak->green = !t->green ? 0 : streak->green + normal_here;
        }
    }
    free(all);
}

/* A booking of today at the minute of now, checked in by its code: an appointment ticket of
 * queue q (or a walk-in when the hall's rules refuse the code). */
static int s_check_in_now(fx_t *fx, char queue, int64_t *next_booking)
{
    hq_date_t day;
    hq_date_parse(hall_day(fx->hall), &day);
    hq_booking_t b;
    memset(&b, 0, sizeof b);
    b.id = (*next_booking)++;
    snprintf(b.code, sizeof b.code, "T%05u", (unsigned)(b.id % 100000));
    b.queue = queue;
    hq_strlcpy(b.day, hall_day(fx->hall), sizeof b.day);
    /* A slot from a few minutes ago to a few ahead: inside the check-in window. */
    b.slot = (int)((fx->now - hq_date_local_ms(day, 0)) / MIN) + rand() % 21 - 10;
    strcpy(b.person, "model");
    b.state = BK_BOOKED;
    b.booked_ms = fx->now;
    assert_int_equal(hall_load_booking(fx->hall, &b), 0);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CHECK_IN);
    strcpy(req.code, b.code);
    int ok;
    json_decref(hf_do(fx, &req, &ok, NULL));
    return ok;
}

/* green_max_in_row counts for the whole hall: green calls at any window add up while a normal
 * ticket waits, and a call at a window that kept no normal ticket waiting does not start the
 * count again. Window 4 serves the green-only queue C here. */
static void test_green_limit_counts_for_the_whole_hall(void **state)
{
    fx_t *fx = *state;
    char l[64];
    hq_strlcpy(fx->cfg.counters[3].queues, "C", sizeof fx->cfg.counters[3].queues);
    hall_reset(fx->hall, "2026-11-23");
    hall_finish_load(fx->hall, 1, 0);
    for (int id = 1; id <= 4; id++)
        hf_login(fx, id, "clerk");
    hf_issue(fx, 'A', 0, 0, NULL, l); /* A001 normal, first */
    for (int i = 0; i < 5; i++) {
        fx->now += MIN;
        hf_issue(fx, 'C', 0, 1, NULL, l); /* C001..C005 green */
    }
    const int window[] = {1, 2, 4, 1, 2, 3};
    const char *expect[] = {"C001", "C002", "C003", "C004", "A001", "C005"};
    const int streak[] = {1, 2, 2, 3, 0, 0};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(CALL(fx, window[i]), expect[i]);
        assert_int_equal(hall_green_streak(fx->hall), streak[i]);
        assert_true(hf_counter_req(fx, HQ_REQ_FINISH, window[i], NULL));
    }
    /* The row is no window's: a logout does not end it. */
    hf_issue(fx, 'A', 0, 0, NULL, l);
    hf_issue(fx, 'B', 0, 1, NULL, l);
    assert_string_equal(CALL(fx, 1), "B001");
    assert_true(hf_counter_req(fx, HQ_REQ_LOGOUT, 2, NULL));
    assert_int_equal(hall_green_streak(fx->hall), 1);
}

/* The waiting counts the hall publishes (the sizes of its lines) are what a walk through
 * every ticket in memory counts, queue by queue; fails with the first difference. */
static void s_counts_match_a_walk(fx_t *fx, int step)
{
    int waiting[26] = {0}, green[26] = {0};
    for (size_t i = 0; i < hall_ticket_count(fx->hall); i++) {
        const hq_ticket_t *t = hall_ticket_at(fx->hall, i);
        if (t->state == HQ_T_WAITING) {
            waiting[t->queue - 'A']++;
            green[t->queue - 'A'] += t->green != 0;
        }
    }
    for (int q = 0; q < 26; q++)
        if (hall_waiting(fx->hall, (char)('A' + q), 0) != waiting[q] ||
            hall_waiting(fx->hall, (char)('A' + q), 1) != green[q])
            fail_msg(
                "step %d, queue %c: the hall counts %d waiting (%d green), the tickets %d (%d)",
                step, 'A' + q, hall_waiting(fx->hall, (char)('A' + q), 0),
                hall_waiting(fx->hall, (char)('A' + q), 1), waiting[q], green[q]);
}

/* Whatever came before (issues in every queue, green and normal, calls, transfers that keep
 * the issue time, no-shows taken back, parked tickets, a rollover), each call-next gives the
 * ticket the scheduler picks from all waiting ones with the model's hall-wide green streak,
 * the hall's streak is the model's, and the waiting counts are the tickets'. */
static void test_call_next_matches_a_walk_through_all_tickets(void **state)
{
    fx_t *fx = *state;
    const hallq_config_t *cfg = &fx->cfg;
    for (int i = 0; i < cfg->ncounters; i++)
        hf_login(fx, cfg->counters[i].id, "clerk");
    srand(11);
    int64_t max_id = 0;
    int calls = 0, transfers = 0, reactivated = 0, unparked = 0, limits = 0, max_waits = 0;
    int appointments = 0, appt_limits = 0;
    int64_t next_booking = 1;
    sched_streaks_t streak = {0, 0}; /* the model's: the hall's rows */
    char l[64], want[HQ_LABEL_MAX];
    for (int step = 0; step < 4000; step++) {
        s_counts_match_a_walk(fx, step);
        fx->now += rand() % (2 * MIN);
        if (step == 2000) {
            hall_result_t r;
            hall_result_init(&r);
            assert_int_equal(hall_rollover(fx->hall, "2026-11-24", fx->now, &r), 1);
            hall_result_clear(&r);
            streak = (sched_streaks_t){0, 0};
        }
        int counter = cfg->counters[rand() % cfg->ncounters].id;
        const hq_counter_t *c = hall_counter(fx->hall, counter);
        int op = rand() % 10;
        hq_request_t req;
        int ok;
        if (op < 2) {
            char queue = cfg->queues[rand() % cfg->nqueues].prefix;
            /* One in five a checked-in appointment, the rest green or normal walk-ins. */
            if (rand() % 5 == 0)
                max_id += s_check_in_now(fx, queue, &next_booking);
            else if (strncmp(hf_issue(fx, queue, 0, rand() % 2, NULL, l), "ERR:", 4) != 0)
                max_id++;
        } else if (op < 7 && !c->current) {
            limits += streak.green >= cfg->green_max_in_row;
            sched_reason_t why;
            s_expected_next(fx, counter, max_id, &streak, want, &why);
            assert_string_equal(CALL(fx, counter), want);
            assert_int_equal(hall_green_streak(fx->hall), streak.green);
            assert_int_equal(hall_appointment_streak(fx->hall), streak.appointment);
            appointments += why == SCHED_APPOINTMENT;
            appt_limits += why == SCHED_APPOINTMENT_LIMIT;
            calls += want[0] != '\0';
            const hq_ticket_t *t = hall_ticket(fx->hall, c->current);
            max_waits += t && strncmp(t->reason, "normal waited", 13) == 0;
        } else if (op < 7) {
            static const hq_req_type_t next[] = {HQ_REQ_RECALL,  HQ_REQ_START, HQ_REQ_FINISH,
                                                 HQ_REQ_NO_SHOW, HQ_REQ_PARK,  HQ_REQ_TRANSFER};
            hq_request_init(&req, next[rand() % 6]);
            req.counter = counter;
            for (int k = 1; req.type == HQ_REQ_NO_SHOW && k < cfg->noshow_after_calls; k++)
                hf_counter_req(fx, HQ_REQ_RECALL, counter, NULL); /* no-show after N calls */
            req.queue = cfg->queues[rand() % cfg->nqueues].prefix;
            json_decref(hf_do(fx, &req, &ok, NULL));
            transfers += ok && req.type == HQ_REQ_TRANSFER;
        } else if (max_id > 0) {
            /* Take back a no-show (at its place by issue time) or a parked ticket. */
            const hq_ticket_t *t = hall_ticket(fx->hall, 1 + rand() % max_id);
            if (!t || (t->state != HQ_T_NO_SHOW && t->state != HQ_T_PARKED))
                continue;
            hq_request_init(&req, t->state == HQ_T_NO_SHOW ? HQ_REQ_REACTIVATE : HQ_REQ_UNPARK);
            req.counter = t->counter;
            strcpy(req.number, t->label);
            json_decref(hf_do(fx, &req, &ok, NULL));
            reactivated += ok && req.type == HQ_REQ_REACTIVATE;
            unparked += ok && req.type == HQ_REQ_UNPARK;
        }
    }
    s_counts_match_a_walk(fx, 4000);
    fprintf(stderr,
            "walk: %d calls, %d green limits, %d max waits, %d transfers, %d reactivated, %d "
            "unparked, %d appointments, %d appointment limits\n",
            calls, limits, max_waits, transfers, reactivated, unparked, appointments, appt_limits);
    /* The walk covered what it claims to. */
    assert_true(calls > 300);
    assert_true(limits > 5);     /* green_max_in_row reached, by calls at any window */
    assert_true(max_waits > 10); /* and normal_max_wait_min */
    assert_true(transfers > 20);
    assert_true(reactivated > 10);
    assert_true(unparked > 5);
    assert_true(appointments > 30); /* appointments called by slot */
    assert_true(appt_limits > 5);   /* and the appointments' max_in_row reached */
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, hf_setup, hf_teardown)
    const struct CMUnitTest tests[] = {
        T(test_green_limit_counts_for_the_whole_hall),
        T(test_call_next_matches_a_walk_through_all_tickets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
