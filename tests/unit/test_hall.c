/* The hall's actions on plain values: numbering, green lane, scheduling through calls,
 * every state change, rollover and the metric. No sockets, no database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall.h"
#include "hall_wire.h"
#include "sched.h"

#define MIN 60000LL
#define T0 1795000000000LL /* a fixed moment; only differences matter */

typedef struct {
    hallq_config_t cfg;
    hall_t *hall;
    int64_t now;
} fx_t;

static int s_setup(void **state)
{
    static fx_t fx;
    char why[256];
    memset(&fx, 0, sizeof fx);
    if (config_default(&fx.cfg, why, sizeof why) != 0)
        return -1;
    fx.hall = hall_new(&fx.cfg);
    hall_reset(fx.hall, "2026-11-23");
    hall_finish_load(fx.hall, 1, 0);
    fx.now = T0;
    *state = &fx;
    return 0;
}

static int s_teardown(void **state)
{
    fx_t *fx = *state;
    hall_destroy(&fx->hall);
    config_free(&fx->cfg);
    return 0;
}

/* Runs one request as the server does (the hall, then its wire forms); the result and the
 * forms, which the caller clears. */
static void s_run(fx_t *fx, const hq_request_t *req, hall_result_t *r, hall_wire_t *w)
{
    hall_result_init(r);
    hall_wire_init(w);
    hall_handle(fx->hall, req, fx->now, r);
    assert_int_equal(hall_wire_write(fx->hall, req, r, fx->now, w), 0);
}

/* Runs one request; returns the reply (caller decrefs) and whether it succeeded. */
static json_t *s_do(fx_t *fx, hq_request_t *req, int *ok, int *nevents)
{
    hall_result_t r;
    hall_wire_t w;
    s_run(fx, req, &r, &w);
    json_t *reply = json_incref(w.reply);
    *ok = r.error.code == HQ_E_NONE;
    if (nevents)
        *nevents = r.nevents;
    hall_result_clear(&r);
    hall_wire_clear(&w);
    return reply;
}

static const char *s_issue(fx_t *fx, char queue, int service, int elderly, const char *idnum,
                           char *label)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = queue;
    req.service = service;
    req.elderly = elderly;
    if (idnum)
        strcpy(req.id_number, idnum);
    int ok;
    json_t *reply = s_do(fx, &req, &ok, NULL);
    label[0] = '\0';
    if (ok)
        strcpy(label,
               json_string_value(json_object_get(json_object_get(reply, "ticket"), "label")));
    else
        snprintf(label, 64, "ERR:%s",
                 json_string_value(json_object_get(json_object_get(reply, "error"), "code")));
    json_decref(reply);
    return label;
}

static int s_counter_req(fx_t *fx, hq_req_type_t type, int counter, char *label_or_err)
{
    hq_request_t req;
    hq_request_init(&req, type);
    req.counter = counter;
    int ok;
    json_t *reply = s_do(fx, &req, &ok, NULL);
    if (label_or_err) {
        label_or_err[0] = '\0';
        json_t *t = json_object_get(reply, "ticket");
        if (ok && json_is_object(t))
            strcpy(label_or_err, json_string_value(json_object_get(t, "label")));
        else if (!ok)
            snprintf(
                label_or_err, 200, "%s",
                json_string_value(json_object_get(json_object_get(reply, "error"), "message")));
    }
    json_decref(reply);
    return ok;
}

static void s_login(fx_t *fx, int counter, const char *clerk)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_LOGIN);
    req.counter = counter;
    strcpy(req.clerk, clerk);
    int ok;
    json_decref(s_do(fx, &req, &ok, NULL));
    assert_true(ok);
}

static char s_buf[256];
#define CALL(fx, c) (s_counter_req((fx), HQ_REQ_CALL, (c), s_buf), s_buf)

static void test_daily_numbering_per_queue(void **state)
{
    fx_t *fx = *state;
    char l[64];
    assert_string_equal(s_issue(fx, 'A', 0, 0, NULL, l), "A001");
    assert_string_equal(s_issue(fx, 'A', 3, 0, NULL, l), "A002");
    assert_string_equal(s_issue(fx, 'C', 9, 0, NULL, l), "C001");
    assert_string_equal(s_issue(fx, 'A', 0, 1, NULL, l), "A003");
    assert_string_equal(s_issue(fx, 'Z', 0, 0, NULL, l), "ERR:unknown_queue");
    assert_string_equal(s_issue(fx, 'A', 99, 0, NULL, l), "ERR:unknown_service");
    assert_string_equal(s_issue(fx, 'A', 9, 0, NULL, l), "ERR:unknown_service"); /* 9 is C's */
    assert_string_equal(s_issue(fx, 'B', 0, 0, NULL, l), "B001");
}

static void test_repeated_token_gets_the_same_ticket(void **state)
{
    fx_t *fx = *state;
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'A';
    strcpy(req.token, "kiosk1-77");
    int ok, nevents;
    json_t *first = s_do(fx, &req, &ok, &nevents);
    assert_true(ok);
    assert_int_equal(nevents, 1); /* "issued", with the waiting counts */
    json_t *again = s_do(fx, &req, &ok, &nevents);
    assert_true(ok);
    assert_int_equal(nevents, 0); /* nothing new happened */
    assert_true(json_is_true(json_object_get(again, "repeat")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(again, "ticket"), "id")),
                     json_integer_value(json_object_get(json_object_get(first, "ticket"), "id")));
    json_decref(first);
    json_decref(again);
    req.queue = 'B'; /* the same token for another queue is a client bug */
    json_decref(s_do(fx, &req, &ok, NULL));
    assert_false(ok);
    char l[64];
    assert_string_equal(s_issue(fx, 'A', 0, 0, NULL, l), "A002");
}

static void test_green_from_id_number(void **state)
{
    fx_t *fx = *state;
    char l[64];
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'A';
    strcpy(req.id_number, "320902196611230459"); /* 60 today (2026-11-23) */
    int ok;
    json_t *reply = s_do(fx, &req, &ok, NULL);
    assert_true(ok);
    json_t *t = json_object_get(reply, "ticket");
    assert_string_equal(json_string_value(json_object_get(t, "lane")), "green");
    assert_string_equal(json_string_value(json_object_get(t, "age_band")), "60-69");
    /* the ID number appears nowhere in the reply */
    char *text = json_dumps(reply, 0);
    assert_null(strstr(text, "320902196611230459"));
    free(text);
    json_decref(reply);
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'A';
    strcpy(req.id_number, "320902196611240016"); /* 60 tomorrow */
    reply = s_do(fx, &req, &ok, NULL);
    assert_true(ok);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(reply, "ticket"), "lane")), "normal");
    json_decref(reply);
    assert_string_equal(s_issue(fx, 'A', 0, 0, "320902196611230458", l), "ERR:bad_id_number");
    assert_string_equal(s_issue(fx, 'A', 0, 0, "11010520300101001X", l), "ERR:bad_id_number");
}

static void test_call_requires_open_counter(void **state)
{
    fx_t *fx = *state;
    char l[64];
    s_issue(fx, 'A', 0, 0, NULL, l);
    assert_false(s_counter_req(fx, HQ_REQ_CALL, 1, s_buf));
    assert_string_equal(s_buf, "counter 1 is closed: a clerk must log in first");
    assert_false(s_counter_req(fx, HQ_REQ_CALL, 9, s_buf));
    assert_string_equal(s_buf, "no counter 9 in this hall");
    s_login(fx, 1, "wang");
    assert_string_equal(CALL(fx, 1), "A001");
    assert_false(s_counter_req(fx, HQ_REQ_CALL, 1, s_buf));
    assert_non_null(strstr(s_buf, "still has A001"));
    assert_int_equal(hall_counter(fx->hall, 1)->state, HQ_C_CALLING);
}

static void test_green_first_then_bounded(void **state)
{
    fx_t *fx = *state;
    char l[64];
    s_login(fx, 1, "wang");
    s_issue(fx, 'A', 0, 0, NULL, l); /* A001 normal */
    fx->now += MIN;
    for (int i = 0; i < 4; i++) {
        s_issue(fx, 'C', 0, 1, NULL, l); /* C001..C004 green */
        fx->now += MIN;
    }
    const char *expect[] = {"C001", "C002", "C003", "A001", "C004"};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(CALL(fx, 1), expect[i]);
        assert_true(s_counter_req(fx, HQ_REQ_FINISH, 1, NULL));
    }
    assert_string_equal(CALL(fx, 1), "");
}

static void test_normal_past_max_wait_goes_first(void **state)
{
    fx_t *fx = *state;
    char l[64];
    s_login(fx, 2, "li");
    s_issue(fx, 'A', 0, 0, NULL, l);
    fx->now += 31 * MIN;
    s_issue(fx, 'B', 0, 1, NULL, l);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CALL);
    req.counter = 2;
    int ok;
    json_t *reply = s_do(fx, &req, &ok, NULL);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(reply, "ticket"), "label")), "A001");
    assert_string_equal(json_string_value(json_object_get(reply, "reason")),
                        "normal waited 31 min");
    json_decref(reply);
}

static void test_full_service_cycle_and_metric(void **state)
{
    fx_t *fx = *state;
    char l[64];
    s_login(fx, 3, "zhao");
    s_issue(fx, 'A', 3, 0, NULL, l);
    fx->now += 5 * MIN;
    assert_string_equal(CALL(fx, 3), "A001");
    assert_false(s_counter_req(fx, HQ_REQ_NO_SHOW, 3, s_buf)); /* one call only */
    assert_non_null(strstr(s_buf, "recall it first"));
    fx->now += MIN;
    assert_true(s_counter_req(fx, HQ_REQ_START, 3, NULL));
    assert_int_equal(hall_counter(fx->hall, 3)->state, HQ_C_SERVING);
    assert_false(s_counter_req(fx, HQ_REQ_RECALL, 3, s_buf)); /* serving: no recall */
    fx->now += 12 * MIN;
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_FINISH);
    req.counter = 3;
    int ok;
    json_t *reply = s_do(fx, &req, &ok, NULL);
    assert_true(ok);
    assert_int_equal(json_integer_value(json_object_get(reply, "handling_ms")), 12 * MIN);
    json_decref(reply);
    assert_int_equal(hall_counter(fx->hall, 3)->state, HQ_C_IDLE);
    hall_result_t r;
    hall_wire_t w;
    hall_result_init(&r);
    hall_wire_init(&w);
    hall_metric_tick(fx->hall, &r);
    json_t *rows = hall_wire_metric_rows(fx->hall);
    assert_int_equal(r.nevents, 2); /* metric and an alert: 12 min > 10 min */
    assert_int_equal(r.events[0].type, HQ_EV_METRIC);
    assert_int_equal(r.events[1].type, HQ_EV_ALERT);
    assert_int_equal(hall_wire_write(fx->hall, NULL, &r, fx->now, &w), 0);
    assert_null(w.reply);
    json_t *hall_metric = json_object_get(w.bodies[0], "hall");
    assert_int_equal(json_integer_value(json_object_get(hall_metric, "count")), 1);
    assert_int_equal(json_integer_value(json_object_get(hall_metric, "avg_ms")), 12 * MIN);
    assert_int_equal(json_integer_value(json_object_get(hall_metric, "within")), 0);
    assert_int_equal(json_array_size(rows), 1 + 7 + 4);
    json_t *above = json_object_get(w.bodies[1], "above");
    assert_int_equal(json_array_size(above), 3); /* the hall, queue A, counter 3 */
    assert_string_equal(json_string_value(json_object_get(json_array_get(above, 2), "key")), "3");
    json_decref(rows);
    hall_result_clear(&r);
    hall_wire_clear(&w);
    /* rating after finishing, once */
    hq_request_init(&req, HQ_REQ_RATE);
    strcpy(req.number, "A001");
    req.rating = 5;
    json_decref(s_do(fx, &req, &ok, NULL));
    assert_true(ok);
    json_decref(s_do(fx, &req, &ok, NULL));
    assert_false(ok);
}

static void test_finish_without_start_counts_from_last_call(void **state)
{
    fx_t *fx = *state;
    char l[64];
    s_login(fx, 1, "wang");
    s_issue(fx, 'B', 0, 0, NULL, l);
    assert_string_equal(CALL(fx, 1), "B001");
    fx->now += 2 * MIN;
    assert_true(s_counter_req(fx, HQ_REQ_RECALL, 1, NULL));
    fx->now += 7 * MIN;
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_FINISH);
    req.counter = 1;
    int ok;
    json_t *reply = s_do(fx, &req, &ok, NULL);
    assert_int_equal(json_integer_value(json_object_get(reply, "handling_ms")), 7 * MIN);
    json_decref(reply);
}

static void test_no_show_and_reactivate(void **state)
{
    fx_t *fx = *state;
    char l[64];
    s_login(fx, 1, "wang");
    s_issue(fx, 'A', 0, 0, NULL, l);
    fx->now += MIN;
    s_issue(fx, 'A', 0, 0, NULL, l);
    assert_string_equal(CALL(fx, 1), "A001");
    assert_true(s_counter_req(fx, HQ_REQ_RECALL, 1, NULL));
    assert_true(s_counter_req(fx, HQ_REQ_NO_SHOW, 1, NULL));
    assert_int_equal(hall_counter(fx->hall, 1)->state, HQ_C_IDLE);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_REACTIVATE);
    strcpy(req.number, "A001");
    int ok;
    json_decref(s_do(fx, &req, &ok, NULL));
    assert_true(ok);
    /* back at its original place: before A002 */
    assert_string_equal(CALL(fx, 1), "A001");
    strcpy(req.number, "A009");
    json_decref(s_do(fx, &req, &ok, NULL));
    assert_false(ok);
}

static void test_park_and_take_back(void **state)
{
    fx_t *fx = *state;
    char l[64];
    s_login(fx, 2, "li");
    s_issue(fx, 'C', 10, 0, NULL, l);
    s_issue(fx, 'C', 10, 0, NULL, l);
    assert_string_equal(CALL(fx, 2), "C001");
    assert_true(s_counter_req(fx, HQ_REQ_START, 2, NULL));
    fx->now += 3 * MIN;
    assert_true(s_counter_req(fx, HQ_REQ_PARK, 2, NULL));
    assert_string_equal(CALL(fx, 2), "C002");
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_UNPARK);
    req.counter = 2;
    strcpy(req.number, "C001");
    int ok;
    json_decref(s_do(fx, &req, &ok, NULL));
    assert_false(ok); /* C002 is at the window */
    assert_true(s_counter_req(fx, HQ_REQ_FINISH, 2, NULL));
    fx->now += 20 * MIN; /* citizen fetched the missing document */
    json_decref(s_do(fx, &req, &ok, NULL));
    assert_true(ok);
    assert_int_equal(hall_counter(fx->hall, 2)->state, HQ_C_SERVING);
    fx->now += 2 * MIN;
    hq_request_init(&req, HQ_REQ_FINISH);
    req.counter = 2;
    json_t *reply = s_do(fx, &req, &ok, NULL);
    /* 3 min before parking + 2 after: the 20 parked minutes are not handling time */
    assert_int_equal(json_integer_value(json_object_get(reply, "handling_ms")), 5 * MIN);
    json_decref(reply);
}

static void test_transfer_keeps_issue_time(void **state)
{
    fx_t *fx = *state;
    char l[64];
    s_login(fx, 1, "wang");
    assert_string_equal(s_issue(fx, 'A', 0, 0, NULL, l), "A001");
    fx->now += MIN;
    assert_string_equal(s_issue(fx, 'C', 0, 0, NULL, l), "C001");
    assert_string_equal(CALL(fx, 1), "A001");
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_TRANSFER);
    req.counter = 1;
    req.queue = 'C';
    hall_result_t r;
    hall_wire_t w;
    s_run(fx, &req, &r, &w);
    assert_int_equal(r.error.code, HQ_E_NONE);
    /* One event, carrying the waiting counts the transfer left: A001 waits in C with C001. */
    assert_int_equal(r.nevents, 1);
    assert_int_equal(r.events[0].type, HQ_EV_TRANSFERRED);
    assert_int_equal(r.from_queue, 'A');
    assert_string_equal(json_string_value(json_object_get(w.bodies[0], "from_queue")), "A");
    json_t *depths = json_object_get(w.bodies[0], "depths");
    assert_int_equal(json_array_size(depths), 7);
    json_t *c = json_array_get(depths, 2);
    assert_string_equal(json_string_value(json_object_get(c, "queue")), "C");
    assert_int_equal(json_integer_value(json_object_get(c, "waiting")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(depths, 0), "waiting")), 0);
    assert_non_null(json_object_get(w.bodies[0], "avg_wait_ms"));
    json_t *reply = json_incref(w.reply);
    hall_result_clear(&r);
    hall_wire_clear(&w);
    int ok;
    json_t *t = json_object_get(reply, "ticket");
    assert_string_equal(json_string_value(json_object_get(t, "queue")), "C");
    assert_string_equal(json_string_value(json_object_get(t, "label")), "A001");
    assert_int_equal(json_integer_value(json_object_get(t, "issued_ms")), T0);
    json_decref(reply);
    /* issued before C001, so it is called first in C */
    assert_string_equal(CALL(fx, 1), "A001");
    req.queue = 'C';
    json_decref(s_do(fx, &req, &ok, NULL));
    assert_false(ok); /* already in C */
}

static void test_pause_resume_login_takeover(void **state)
{
    fx_t *fx = *state;
    char l[64];
    s_login(fx, 4, "zhang");
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_PAUSE);
    req.counter = 4;
    strcpy(req.reason, "午休");
    int ok;
    json_decref(s_do(fx, &req, &ok, NULL));
    assert_true(ok);
    assert_int_equal(hall_counter(fx->hall, 4)->state, HQ_C_PAUSED);
    assert_string_equal(hall_counter(fx->hall, 4)->pause_reason, "午休");
    s_issue(fx, 'A', 0, 0, NULL, l);
    assert_false(s_counter_req(fx, HQ_REQ_CALL, 4, s_buf));
    assert_string_equal(s_buf, "counter 4 is paused: resume first");
    /* B clerk takes over the paused window as it stands */
    hq_request_init(&req, HQ_REQ_LOGIN);
    req.counter = 4;
    strcpy(req.clerk, "zhou");
    json_t *reply = s_do(fx, &req, &ok, NULL);
    assert_string_equal(json_string_value(json_object_get(reply, "previous_clerk")), "zhang");
    json_decref(reply);
    assert_string_equal(hall_counter(fx->hall, 4)->clerk, "zhou");
    assert_true(s_counter_req(fx, HQ_REQ_RESUME, 4, NULL));
    assert_false(s_counter_req(fx, HQ_REQ_RESUME, 4, NULL));
    assert_string_equal(CALL(fx, 4), "A001");
    assert_false(s_counter_req(fx, HQ_REQ_LOGOUT, 4, NULL)); /* ticket at the window */
    assert_true(s_counter_req(fx, HQ_REQ_FINISH, 4, NULL));
    assert_true(s_counter_req(fx, HQ_REQ_LOGOUT, 4, NULL));
    assert_int_equal(hall_counter(fx->hall, 4)->state, HQ_C_CLOSED);
}

static void test_call_chosen_number(void **state)
{
    fx_t *fx = *state;
    char l[64];
    s_login(fx, 1, "wang");
    s_login(fx, 2, "li");
    s_issue(fx, 'A', 0, 0, NULL, l);
    s_issue(fx, 'A', 0, 0, NULL, l);
    s_issue(fx, 'B', 0, 1, NULL, l);
    assert_string_equal(CALL(fx, 2), "B001");
    assert_int_equal(hall_green_streak(fx->hall), 1);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CALL);
    req.counter = 1;
    strcpy(req.number, "A002");
    int ok;
    json_t *reply = s_do(fx, &req, &ok, NULL);
    assert_true(ok);
    assert_string_equal(json_string_value(json_object_get(reply, "reason")), "chosen by clerk");
    json_decref(reply);
    assert_int_equal(hall_green_streak(fx->hall), 0); /* a normal ticket called ends the row */
    assert_true(s_counter_req(fx, HQ_REQ_FINISH, 1, NULL));
    json_decref(s_do(fx, &req, &ok, NULL));
    assert_false(ok); /* A002 is finished */
}

static void test_estimate_uses_open_counters(void **state)
{
    fx_t *fx = *state;
    char l[64];
    s_login(fx, 1, "wang");
    s_login(fx, 2, "li");
    for (int i = 0; i < 4; i++)
        s_issue(fx, 'A', 0, 0, NULL, l);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'B';
    int ok;
    json_t *reply = s_do(fx, &req, &ok, NULL);
    assert_int_equal(json_integer_value(json_object_get(reply, "ahead")), 4);
    /* no history yet: 8 min default, 2 open windows: 4 * 8 / 2 = 16 min */
    assert_int_equal(json_integer_value(json_object_get(reply, "est_wait_ms")), 16 * MIN);
    json_decref(reply);
    req.elderly = 1;
    reply = s_do(fx, &req, &ok, NULL);
    assert_int_equal(json_integer_value(json_object_get(reply, "ahead")), 0);
    json_decref(reply);
}

static void test_rollover_expires_and_restarts_numbering(void **state)
{
    fx_t *fx = *state;
    char l[64];
    s_login(fx, 1, "wang");
    s_issue(fx, 'A', 0, 0, NULL, l);
    s_issue(fx, 'A', 0, 0, NULL, l);
    s_issue(fx, 'A', 0, 0, NULL, l);
    assert_string_equal(CALL(fx, 1), "A001");
    assert_true(s_counter_req(fx, HQ_REQ_START, 1, NULL)); /* being served over midnight */
    hall_result_t r;
    hall_result_init(&r);
    assert_int_equal(hall_rollover(fx->hall, "2026-11-23", fx->now, &r), 0);
    assert_int_equal(hall_rollover(fx->hall, "2026-11-24", fx->now, &r), 1);
    int expired = 0;
    for (int i = 0; i < r.ntickets; i++)
        expired += hall_ticket(fx->hall, r.tickets[i])->state == HQ_T_EXPIRED;
    assert_int_equal(expired, 2);
    assert_int_equal(r.events[0].type, HQ_EV_DAY);
    hall_result_clear(&r);
    hall_compact(fx->hall);
    assert_int_equal(hall_ticket_count(fx->hall), 1); /* the one at the window */
    assert_int_equal(hall_counter(fx->hall, 1)->state, HQ_C_SERVING);
    assert_string_equal(s_issue(fx, 'A', 0, 0, NULL, l), "A001");
    assert_true(s_counter_req(fx, HQ_REQ_FINISH, 1, NULL));
}

static void test_snapshot_contents(void **state)
{
    fx_t *fx = *state;
    char l[64];
    s_login(fx, 1, "wang");
    s_issue(fx, 'A', 0, 1, NULL, l);
    s_issue(fx, 'A', 0, 0, NULL, l);
    CALL(fx, 1);
    json_t *snap = hall_wire_snapshot(fx->hall, fx->now);
    assert_int_equal(json_array_size(json_object_get(snap, "tickets")), 2);
    assert_int_equal(json_array_size(json_object_get(snap, "counters")), 4);
    json_t *qa = json_array_get(json_object_get(snap, "queues"), 0);
    assert_int_equal(json_integer_value(json_object_get(qa, "waiting")), 1);
    assert_int_equal(json_integer_value(json_object_get(qa, "issued_today")), 2);
    json_t *recent = json_object_get(snap, "recent_calls");
    assert_int_equal(json_array_size(recent), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(recent, 0), "lane")),
                        "green");
    assert_true(json_integer_value(json_object_get(snap, "seq")) == hall_seq(fx->hall));
    json_decref(snap);
}

/* What call-next should give: the scheduler's pick among every waiting ticket of the hall,
 * found by walking all ids (the hall itself only looks at the front of each line), with the
 * model's green streak; and the streak after it, by the rule (PROTOCOL.md): a normal call
 * ends it, a green call adds one when it kept a normal ticket of the window's queues waiting
 * and leaves it as it is otherwise. */
static void s_expected_next(fx_t *fx, int counter, int64_t max_id, int *streak, char *label)
{
    const hq_counter_t *c = hall_counter(fx->hall, counter);
    sched_ticket_t *all = calloc((size_t)max_id + 1, sizeof *all);
    assert_non_null(all);
    int n = 0, normal_here = 0;
    for (int64_t id = 1; id <= max_id; id++) {
        const hq_ticket_t *t = hall_ticket(fx->hall, id);
        if (t && t->state == HQ_T_WAITING) {
            all[n++] = (sched_ticket_t){t->id, t->queue, t->green != 0, t->issued_ms};
            normal_here |= !t->green && strchr(c->queues, t->queue);
        }
    }
    sched_rules_t rules = {fx->cfg.green_max_in_row, fx->cfg.normal_max_wait_min * MIN};
    sched_pick_t pick = sched_pick(all, n, c->queues, *streak, &rules, fx->now);
    strcpy(label, pick.index >= 0 ? hall_ticket(fx->hall, all[pick.index].id)->label : "");
    if (pick.index >= 0)
        *streak = !all[pick.index].green ? 0 : normal_here ? *streak + 1 : *streak;
    free(all);
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
        s_login(fx, id, "clerk");
    s_issue(fx, 'A', 0, 0, NULL, l); /* A001 normal, first */
    for (int i = 0; i < 5; i++) {
        fx->now += MIN;
        s_issue(fx, 'C', 0, 1, NULL, l); /* C001..C005 green */
    }
    const int window[] = {1, 2, 4, 1, 2, 3};
    const char *expect[] = {"C001", "C002", "C003", "C004", "A001", "C005"};
    const int streak[] = {1, 2, 2, 3, 0, 0};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(CALL(fx, window[i]), expect[i]);
        assert_int_equal(hall_green_streak(fx->hall), streak[i]);
        assert_true(s_counter_req(fx, HQ_REQ_FINISH, window[i], NULL));
    }
    /* The row is no window's: a logout does not end it. */
    s_issue(fx, 'A', 0, 0, NULL, l);
    s_issue(fx, 'B', 0, 1, NULL, l);
    assert_string_equal(CALL(fx, 1), "B001");
    assert_true(s_counter_req(fx, HQ_REQ_LOGOUT, 2, NULL));
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
        s_login(fx, cfg->counters[i].id, "clerk");
    srand(11);
    int64_t max_id = 0;
    int calls = 0, transfers = 0, reactivated = 0, unparked = 0, limits = 0, max_waits = 0;
    int streak = 0; /* the model's: the hall's green streak */
    char l[64], want[HQ_LABEL_MAX];
    for (int step = 0; step < 4000; step++) {
        s_counts_match_a_walk(fx, step);
        fx->now += rand() % (2 * MIN);
        if (step == 2000) {
            hall_result_t r;
            hall_result_init(&r);
            assert_int_equal(hall_rollover(fx->hall, "2026-11-24", fx->now, &r), 1);
            hall_result_clear(&r);
            streak = 0;
        }
        int counter = cfg->counters[rand() % cfg->ncounters].id;
        const hq_counter_t *c = hall_counter(fx->hall, counter);
        int op = rand() % 10;
        hq_request_t req;
        int ok;
        if (op < 2) {
            char queue = cfg->queues[rand() % cfg->nqueues].prefix;
            if (strncmp(s_issue(fx, queue, 0, rand() % 2, NULL, l), "ERR:", 4) != 0)
                max_id++;
        } else if (op < 7 && !c->current) {
            limits += streak >= cfg->green_max_in_row;
            s_expected_next(fx, counter, max_id, &streak, want);
            assert_string_equal(CALL(fx, counter), want);
            assert_int_equal(hall_green_streak(fx->hall), streak);
            calls += want[0] != '\0';
            const hq_ticket_t *t = hall_ticket(fx->hall, c->current);
            max_waits += t && strncmp(t->reason, "normal waited", 13) == 0;
        } else if (op < 7) {
            static const hq_req_type_t next[] = {HQ_REQ_RECALL,  HQ_REQ_START, HQ_REQ_FINISH,
                                                 HQ_REQ_NO_SHOW, HQ_REQ_PARK,  HQ_REQ_TRANSFER};
            hq_request_init(&req, next[rand() % 6]);
            req.counter = counter;
            for (int k = 1; req.type == HQ_REQ_NO_SHOW && k < cfg->noshow_after_calls; k++)
                s_counter_req(fx, HQ_REQ_RECALL, counter, NULL); /* no-show after N calls */
            req.queue = cfg->queues[rand() % cfg->nqueues].prefix;
            json_decref(s_do(fx, &req, &ok, NULL));
            transfers += ok && req.type == HQ_REQ_TRANSFER;
        } else if (max_id > 0) {
            /* Take back a no-show (at its place by issue time) or a parked ticket. */
            const hq_ticket_t *t = hall_ticket(fx->hall, 1 + rand() % max_id);
            if (!t || (t->state != HQ_T_NO_SHOW && t->state != HQ_T_PARKED))
                continue;
            hq_request_init(&req, t->state == HQ_T_NO_SHOW ? HQ_REQ_REACTIVATE : HQ_REQ_UNPARK);
            req.counter = t->counter;
            strcpy(req.number, t->label);
            json_decref(s_do(fx, &req, &ok, NULL));
            reactivated += ok && req.type == HQ_REQ_REACTIVATE;
            unparked += ok && req.type == HQ_REQ_UNPARK;
        }
    }
    s_counts_match_a_walk(fx, 4000);
    /* The walk covered what it claims to. */
    assert_true(calls > 300);
    assert_true(limits > 10);    /* green_max_in_row reached, by calls at any window */
    assert_true(max_waits > 10); /* and normal_max_wait_min */
    assert_true(transfers > 20);
    assert_true(reactivated > 10);
    assert_true(unparked > 5);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, s_setup, s_teardown)
    const struct CMUnitTest tests[] = {
        T(test_daily_numbering_per_queue),
        T(test_repeated_token_gets_the_same_ticket),
        T(test_green_from_id_number),
        T(test_call_requires_open_counter),
        T(test_green_first_then_bounded),
        T(test_green_limit_counts_for_the_whole_hall),
        T(test_normal_past_max_wait_goes_first),
        T(test_full_service_cycle_and_metric),
        T(test_finish_without_start_counts_from_last_call),
        T(test_no_show_and_reactivate),
        T(test_park_and_take_back),
        T(test_transfer_keeps_issue_time),
        T(test_pause_resume_login_takeover),
        T(test_call_chosen_number),
        T(test_estimate_uses_open_counters),
        T(test_rollover_expires_and_restarts_numbering),
        T(test_snapshot_contents),
        T(test_call_next_matches_a_walk_through_all_tickets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
