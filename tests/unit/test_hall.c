/* The hall's actions on plain values: numbering, green lane, scheduling through calls,
 * every state change, rollover and the metric. No sockets, no database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hall_fixture.h"
#include "hq_date.h"

static void test_daily_numbering_per_queue(void **state)
{
    fx_t *fx = *state;
    char l[64];
    assert_string_equal(hf_issue(fx, 'A', 0, 0, NULL, l), "A001");
    assert_string_equal(hf_issue(fx, 'A', 3, 0, NULL, l), "A002");
    assert_string_equal(hf_issue(fx, 'C', 9, 0, NULL, l), "C001");
    assert_string_equal(hf_issue(fx, 'A', 0, 1, NULL, l), "A003");
    assert_string_equal(hf_issue(fx, 'Z', 0, 0, NULL, l), "ERR:unknown_queue");
    assert_string_equal(hf_issue(fx, 'A', 99, 0, NULL, l), "ERR:unknown_service");
    assert_string_equal(hf_issue(fx, 'A', 9, 0, NULL, l), "ERR:unknown_service"); /* 9 is C's */
    assert_string_equal(hf_issue(fx, 'B', 0, 0, NULL, l), "B001");
}

static void test_repeated_token_gets_the_same_ticket(void **state)
{
    fx_t *fx = *state;
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'A';
    strcpy(req.token, "kiosk1-77");
    int ok, nevents;
    json_t *first = hf_do(fx, &req, &ok, &nevents);
    assert_true(ok);
    assert_int_equal(nevents, 1); /* "issued", with the waiting counts */
    json_t *again = hf_do(fx, &req, &ok, &nevents);
    assert_true(ok);
    assert_int_equal(nevents, 0); /* nothing new happened */
    assert_true(json_is_true(json_object_get(again, "repeat")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(again, "ticket"), "id")),
                     json_integer_value(json_object_get(json_object_get(first, "ticket"), "id")));
    json_decref(first);
    json_decref(again);
    req.queue = 'B'; /* the same token for another queue is a client bug */
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_false(ok);
    char l[64];
    assert_string_equal(hf_issue(fx, 'A', 0, 0, NULL, l), "A002");
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
    json_t *reply = hf_do(fx, &req, &ok, NULL);
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
    reply = hf_do(fx, &req, &ok, NULL);
    assert_true(ok);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(reply, "ticket"), "lane")), "normal");
    json_decref(reply);
    assert_string_equal(hf_issue(fx, 'A', 0, 0, "320902196611230458", l), "ERR:bad_id_number");
    assert_string_equal(hf_issue(fx, 'A', 0, 0, "11010520300101001X", l), "ERR:bad_id_number");
}

static void test_call_requires_open_counter(void **state)
{
    fx_t *fx = *state;
    char l[64];
    hf_issue(fx, 'A', 0, 0, NULL, l);
    assert_false(hf_counter_req(fx, HQ_REQ_CALL, 1, hf_buf));
    assert_string_equal(hf_buf, "counter 1 is closed: a clerk must log in first");
    assert_false(hf_counter_req(fx, HQ_REQ_CALL, 9, hf_buf));
    assert_string_equal(hf_buf, "no counter 9 in this hall");
    hf_login(fx, 1, "wang");
    assert_string_equal(CALL(fx, 1), "A001");
    assert_false(hf_counter_req(fx, HQ_REQ_CALL, 1, hf_buf));
    assert_non_null(strstr(hf_buf, "still has A001"));
    assert_int_equal(hall_counter(fx->hall, 1)->state, HQ_C_CALLING);
}

static void test_green_first_then_bounded(void **state)
{
    fx_t *fx = *state;
    char l[64];
    hf_login(fx, 1, "wang");
    hf_issue(fx, 'A', 0, 0, NULL, l); /* A001 normal */
    fx->now += MIN;
    for (int i = 0; i < 4; i++) {
        hf_issue(fx, 'C', 0, 1, NULL, l); /* C001..C004 green */
        fx->now += MIN;
    }
    const char *expect[] = {"C001", "C002", "C003", "A001", "C004"};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(CALL(fx, 1), expect[i]);
        assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 1, NULL));
    }
    assert_string_equal(CALL(fx, 1), "");
}

static void test_normal_past_max_wait_goes_first(void **state)
{
    fx_t *fx = *state;
    char l[64];
    hf_login(fx, 2, "li");
    hf_issue(fx, 'A', 0, 0, NULL, l);
    fx->now += 31 * MIN;
    hf_issue(fx, 'B', 0, 1, NULL, l);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CALL);
    req.counter = 2;
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
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
    hf_login(fx, 3, "zhao");
    hf_issue(fx, 'A', 3, 0, NULL, l);
    fx->now += 5 * MIN;
    assert_string_equal(CALL(fx, 3), "A001");
    assert_false(hf_counter_req(fx, HQ_REQ_NO_SHOW, 3, hf_buf)); /* one call only */
    assert_non_null(strstr(hf_buf, "recall it first"));
    fx->now += MIN;
    assert_true(hf_counter_req(fx, HQ_REQ_START, 3, NULL));
    assert_int_equal(hall_counter(fx->hall, 3)->state, HQ_C_SERVING);
    assert_false(hf_counter_req(fx, HQ_REQ_RECALL, 3, hf_buf)); /* serving: no recall */
    fx->now += 12 * MIN;
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_FINISH);
    req.counter = 3;
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
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
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_true(ok);
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_false(ok);
}

/* One ticket of queue A handled at window 3 for `minutes` (instant: service 3). */
static void s_handle_for(fx_t *fx, int minutes)
{
    char l[64];
    hf_issue(fx, 'A', 3, 0, NULL, l);
    assert_string_equal(CALL(fx, 3), l);
    assert_true(hf_counter_req(fx, HQ_REQ_START, 3, NULL));
    fx->now += (int64_t)minutes * MIN;
    assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 3, NULL));
}

/* A metric tick: its alert event's state and scopes ("raised hall queue:A counter:3"), or ""
 * when it has none. */
static const char *s_metric_alert(fx_t *fx, char *out, size_t n)
{
    hall_result_t r;
    hall_wire_t w;
    hall_result_init(&r);
    hall_wire_init(&w);
    hall_metric_tick(fx->hall, &r);
    assert_int_equal(hall_wire_write(fx->hall, NULL, &r, fx->now, &w), 0);
    out[0] = '\0';
    for (int i = 0; i < r.nevents; i++) {
        if (r.events[i].type != HQ_EV_ALERT)
            continue;
        snprintf(out, n, "%s", json_string_value(json_object_get(w.bodies[i], "state")));
        json_t *above = json_object_get(w.bodies[i], "above");
        for (size_t k = 0; k < json_array_size(above); k++) {
            json_t *s = json_array_get(above, k);
            const char *key = json_string_value(json_object_get(s, "key"));
            snprintf(out + strlen(out), n - strlen(out), " %s%s%s",
                     json_string_value(json_object_get(s, "scope")), key[0] ? ":" : "", key);
        }
    }
    hall_result_clear(&r);
    hall_wire_clear(&w);
    return out;
}

/* The 10-minute alert is raised once, not at every metric entry; it stays while a mean is
 * between the target and handling_clear_s (30 s) under it, and clears with its own event. */
static void test_ten_minute_alert_raises_once(void **state)
{
    fx_t *fx = *state;
    char a[160];
    hf_login(fx, 3, "zhao");
    assert_string_equal(s_metric_alert(fx, a, sizeof a), ""); /* nothing finished yet */
    s_handle_for(fx, 12);
    assert_string_equal(s_metric_alert(fx, a, sizeof a), "raised hall queue:A counter:3");
    assert_string_equal(s_metric_alert(fx, a, sizeof a), ""); /* the next entry: no repeat */
    s_handle_for(fx, 7); /* (12 + 7) / 2 = 9:30: not under 9:30, still raised */
    assert_string_equal(s_metric_alert(fx, a, sizeof a), "");
    s_handle_for(fx, 1); /* 20 / 3 = 6:40 */
    assert_string_equal(s_metric_alert(fx, a, sizeof a), "cleared");
    assert_string_equal(s_metric_alert(fx, a, sizeof a), "");
    s_handle_for(fx, 40); /* 60 / 4 = 15: raised again, once */
    assert_string_equal(s_metric_alert(fx, a, sizeof a), "raised hall queue:A counter:3");
    assert_string_equal(s_metric_alert(fx, a, sizeof a), "");
}

static void test_finish_without_start_counts_from_last_call(void **state)
{
    fx_t *fx = *state;
    char l[64];
    hf_login(fx, 1, "wang");
    hf_issue(fx, 'B', 0, 0, NULL, l);
    assert_string_equal(CALL(fx, 1), "B001");
    fx->now += 2 * MIN;
    assert_true(hf_counter_req(fx, HQ_REQ_RECALL, 1, NULL));
    fx->now += 7 * MIN;
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_FINISH);
    req.counter = 1;
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    assert_int_equal(json_integer_value(json_object_get(reply, "handling_ms")), 7 * MIN);
    json_decref(reply);
}

static void test_no_show_and_reactivate(void **state)
{
    fx_t *fx = *state;
    char l[64];
    hf_login(fx, 1, "wang");
    hf_issue(fx, 'A', 0, 0, NULL, l);
    fx->now += MIN;
    hf_issue(fx, 'A', 0, 0, NULL, l);
    assert_string_equal(CALL(fx, 1), "A001");
    assert_true(hf_counter_req(fx, HQ_REQ_RECALL, 1, NULL));
    assert_true(hf_counter_req(fx, HQ_REQ_NO_SHOW, 1, NULL));
    assert_int_equal(hall_counter(fx->hall, 1)->state, HQ_C_IDLE);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_REACTIVATE);
    strcpy(req.number, "A001");
    int ok;
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_true(ok);
    /* back at its original place: before A002 */
    assert_string_equal(CALL(fx, 1), "A001");
    strcpy(req.number, "A009");
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_false(ok);
}

static void test_park_and_take_back(void **state)
{
    fx_t *fx = *state;
    char l[64];
    hf_login(fx, 2, "li");
    hf_issue(fx, 'C', 10, 0, NULL, l);
    hf_issue(fx, 'C', 10, 0, NULL, l);
    assert_string_equal(CALL(fx, 2), "C001");
    assert_true(hf_counter_req(fx, HQ_REQ_START, 2, NULL));
    fx->now += 3 * MIN;
    assert_true(hf_counter_req(fx, HQ_REQ_PARK, 2, NULL));
    assert_string_equal(CALL(fx, 2), "C002");
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_UNPARK);
    req.counter = 2;
    strcpy(req.number, "C001");
    int ok;
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_false(ok); /* C002 is at the window */
    assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 2, NULL));
    fx->now += 20 * MIN; /* citizen fetched the missing document */
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_true(ok);
    assert_int_equal(hall_counter(fx->hall, 2)->state, HQ_C_SERVING);
    fx->now += 2 * MIN;
    hq_request_init(&req, HQ_REQ_FINISH);
    req.counter = 2;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    /* 3 min before parking + 2 after: the 20 parked minutes are not handling time */
    assert_int_equal(json_integer_value(json_object_get(reply, "handling_ms")), 5 * MIN);
    json_decref(reply);
}

static void test_transfer_keeps_issue_time(void **state)
{
    fx_t *fx = *state;
    char l[64];
    hf_login(fx, 1, "wang");
    assert_string_equal(hf_issue(fx, 'A', 0, 0, NULL, l), "A001");
    fx->now += MIN;
    assert_string_equal(hf_issue(fx, 'C', 0, 0, NULL, l), "C001");
    assert_string_equal(CALL(fx, 1), "A001");
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_TRANSFER);
    req.counter = 1;
    req.queue = 'C';
    hall_result_t r;
    hall_wire_t w;
    hf_run(fx, &req, &r, &w);
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
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_false(ok); /* already in C */
}

static void test_pause_resume_login_takeover(void **state)
{
    fx_t *fx = *state;
    char l[64];
    hf_login(fx, 4, "zhang");
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_PAUSE);
    req.counter = 4;
    strcpy(req.reason, "午休");
    int ok;
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_true(ok);
    assert_int_equal(hall_counter(fx->hall, 4)->state, HQ_C_PAUSED);
    assert_string_equal(hall_counter(fx->hall, 4)->pause_reason, "午休");
    hf_issue(fx, 'A', 0, 0, NULL, l);
    assert_false(hf_counter_req(fx, HQ_REQ_CALL, 4, hf_buf));
    assert_string_equal(hf_buf, "counter 4 is paused: resume first");
    /* B clerk takes over the paused window as it stands */
    hq_request_init(&req, HQ_REQ_LOGIN);
    req.counter = 4;
    strcpy(req.clerk, "zhou");
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    assert_string_equal(json_string_value(json_object_get(reply, "previous_clerk")), "zhang");
    json_decref(reply);
    assert_string_equal(hall_counter(fx->hall, 4)->clerk, "zhou");
    assert_true(hf_counter_req(fx, HQ_REQ_RESUME, 4, NULL));
    assert_false(hf_counter_req(fx, HQ_REQ_RESUME, 4, NULL));
    assert_string_equal(CALL(fx, 4), "A001");
    assert_false(hf_counter_req(fx, HQ_REQ_LOGOUT, 4, NULL)); /* ticket at the window */
    assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 4, NULL));
    assert_true(hf_counter_req(fx, HQ_REQ_LOGOUT, 4, NULL));
    assert_int_equal(hall_counter(fx->hall, 4)->state, HQ_C_CLOSED);
}

/* A bad_state refusal names its case in the error's "detail" (PROTOCOL.md), for clients to
 * say in their own words. */
static const char *s_detail(fx_t *fx, hq_req_type_t type, int counter)
{
    hq_request_t req;
    hq_request_init(&req, type);
    req.counter = counter;
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    json_t *d = json_object_get(json_object_get(reply, "error"), "detail");
    snprintf(hf_buf, sizeof hf_buf, "%s",
             ok                  ? "ok"
             : json_is_string(d) ? json_string_value(d)
                                 : "-");
    json_decref(reply);
    return hf_buf;
}

static void test_bad_state_refusals_carry_their_detail(void **state)
{
    fx_t *fx = *state;
    char l[64];
    assert_string_equal(s_detail(fx, HQ_REQ_CALL, 2), "closed");
    hf_login(fx, 2, "wang");
    assert_string_equal(s_detail(fx, HQ_REQ_FINISH, 2), "no_ticket");
    assert_string_equal(s_detail(fx, HQ_REQ_RESUME, 2), "not_paused");
    hf_issue(fx, 'A', 0, 0, NULL, l);
    assert_string_equal(CALL(fx, 2), "A001");
    assert_string_equal(s_detail(fx, HQ_REQ_CALL, 2), "ticket_at_window");
    assert_string_equal(s_detail(fx, HQ_REQ_LOGOUT, 2), "ticket_at_window");
    assert_string_equal(s_detail(fx, HQ_REQ_NO_SHOW, 2), "too_few_calls");
    assert_string_equal(s_detail(fx, HQ_REQ_START, 2), "ok");
    assert_string_equal(s_detail(fx, HQ_REQ_RECALL, 2), "ticket_state");
    assert_string_equal(s_detail(fx, HQ_REQ_FINISH, 2), "ok");
    assert_string_equal(s_detail(fx, HQ_REQ_PAUSE, 2), "ok");
    assert_string_equal(s_detail(fx, HQ_REQ_PAUSE, 2), "already_paused");
    assert_string_equal(s_detail(fx, HQ_REQ_CALL, 2), "paused");
    /* Other codes carry none. */
    assert_string_equal(s_detail(fx, HQ_REQ_CALL, 9), "-");
}

/* An issue as the hall answers it at hh:mm of the business day: the label, or "ERR:code". */
static const char *s_issue_at(fx_t *fx, int hh, int mm, int elderly, json_t **error, char *l)
{
    hq_date_t day = {2026, 11, 23}; /* the fixture's business day, a Monday */
    fx->now = hq_date_local_ms(day, 0) + (hh * 60 + mm) * MIN;
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'A';
    req.elderly = elderly;
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    json_t *t = json_object_get(reply, "ticket");
    if (ok)
        snprintf(l, 64, "%s%s", json_string_value(json_object_get(t, "label")),
                 json_is_true(json_object_get(t, "extended")) ? " extended" : "");
    else
        snprintf(l, 64, "ERR:%s",
                 json_string_value(json_object_get(json_object_get(reply, "error"), "code")));
    if (error)
        *error = json_incref(json_object_get(reply, "error"));
    json_decref(reply);
    return l;
}

/* The calendar and the quota decide whether an issue goes through, each refusal with its own
 * code and the day's issuing hours; a ticket in an extended period is flagged. */
static void test_issuing_hours_and_quota(void **state)
{
    fx_t *fx = *state;
    char why[300], l[64];
    assert_int_equal(config_load_text(&fx->cfg,
                                      "[calendar]\nhours = 08:30-12:00, 13:30-17:30\n"
                                      "extended = mon 12:00-13:30\n",
                                      "t.conf", why, sizeof why),
                     0);
    cfg_queue_t *a = (cfg_queue_t *)config_queue(&fx->cfg, 'A');
    a->quota = 4;
    a->green_reserve = 1;
    json_t *error = NULL;
    assert_string_equal(s_issue_at(fx, 8, 29, 0, &error, l), "ERR:not_issuing");
    assert_string_equal(json_string_value(json_object_get(error, "issue_hours")),
                        "08:30-12:00, 12:00-13:30, 13:30-17:30");
    json_decref(error);
    assert_string_equal(s_issue_at(fx, 8, 30, 0, NULL, l), "A001");
    assert_string_equal(s_issue_at(fx, 12, 10, 0, NULL, l), "A002 extended"); /* 延时服务 */
    assert_string_equal(s_issue_at(fx, 13, 30, 0, NULL, l), "A003");
    /* 4 - 1 reserved: the next normal ticket is refused, a green one still gets the last. */
    assert_string_equal(s_issue_at(fx, 14, 0, 0, &error, l), "ERR:quota_exhausted");
    assert_non_null(strstr(json_string_value(json_object_get(error, "message")),
                           "but the 1 kept for the green lane"));
    assert_string_equal(json_string_value(json_object_get(error, "reserved_for")), "green");
    json_decref(error);
    assert_string_equal(s_issue_at(fx, 14, 0, 1, NULL, l), "A004");
    assert_string_equal(s_issue_at(fx, 14, 1, 1, NULL, l), "ERR:quota_exhausted");
    /* After hours the hours refuse it, before the quota. */
    assert_string_equal(s_issue_at(fx, 17, 30, 0, NULL, l), "ERR:not_issuing");
    /* A Monday that is a holiday: closed, with the next working day. */
    cal_t *cal = &fx->cfg.calendar;
    assert_int_equal(cal_dates_parse(cal, "2026-11-23 holiday 测试假日\n", "h", why, sizeof why),
                     0);
    assert_string_equal(s_issue_at(fx, 9, 0, 0, &error, l), "ERR:closed_today");
    assert_string_equal(json_string_value(json_object_get(error, "next_working_day")),
                        "2026-11-24");
    assert_string_equal(json_string_value(json_object_get(error, "issue_hours")), "");
    json_decref(error);
}

/* One tick of the queue alerts: "" nothing changed, else "A wait raised open_window". */
static const char *s_alert_tick(fx_t *fx, char *out)
{
    hall_result_t r;
    hall_result_init(&r);
    out[0] = '\0';
    if (hall_alert_tick(fx->hall, fx->now, &r)) {
        assert_int_equal(r.nevents, 1);
        assert_int_equal(r.events[0].type, HQ_EV_QUEUE_ALERT);
        snprintf(out, 64, "%c %s %s %s", r.alert.queue,
                 r.alert.kind == HALL_ALERT_WAIT ? "wait" : "handling",
                 r.alert.raised ? "raised" : "cleared", r.alert.advice);
    }
    hall_result_clear(&r);
    return out;
}

/* A wait alert is raised after the wait held above target for hold_s, once, and cleared once
 * below the clear threshold; between the two nothing changes. Its advice follows the windows. */
static void test_queue_alerts_do_not_flap(void **state)
{
    fx_t *fx = *state;
    char why[200], l[64], out[64];
    assert_int_equal(config_load_text(&fx->cfg,
                                      "[alerts]\nwait_target_min = 30\nwait_clear_min = 20\n"
                                      "hold_s = 60\n",
                                      "t.conf", why, sizeof why),
                     0);
    int64_t t0 = fx->now;
    hf_issue(fx, 'A', 0, 0, NULL, l); /* A001 waits from t0 */
    fx->now = t0 + 8 * MIN;
    hf_issue(fx, 'A', 0, 0, NULL, l); /* A002 from t0 + 8 min */
    fx->now = t0 + 30 * MIN;
    assert_string_equal(s_alert_tick(fx, out), ""); /* at the target: not above it */
    fx->now += 1000;
    assert_string_equal(s_alert_tick(fx, out), ""); /* above, not yet for 60 s */
    fx->now += 59 * 1000;
    assert_string_equal(s_alert_tick(fx, out), ""); /* 59 s */
    fx->now += 1000;
    /* 60 s above; every window serving A is closed: open one. */
    assert_string_equal(s_alert_tick(fx, out), "A wait raised open_window");
    assert_string_equal(s_alert_tick(fx, out), ""); /* raised once */
    /* A001 called: A002 has waited 23 min, between 20 and 30: it stays raised. */
    hf_login(fx, 1, "wang");
    assert_string_equal(CALL(fx, 1), "A001");
    assert_string_equal(s_alert_tick(fx, out), "");
    fx->now = t0 + 36 * MIN;
    assert_string_equal(s_alert_tick(fx, out), "");
    /* A002 called: nobody waits in A: cleared, once. */
    assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 1, NULL));
    assert_string_equal(CALL(fx, 1), "A002");
    assert_string_equal(s_alert_tick(fx, out), "A wait cleared open_window");
    assert_string_equal(s_alert_tick(fx, out), "");
    /* A wait that passes the target for less than hold_s raises nothing. */
    hf_issue(fx, 'A', 0, 0, NULL, l);
    fx->now += 31 * MIN;
    assert_string_equal(s_alert_tick(fx, out), "");
    assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 1, NULL));
    assert_string_equal(CALL(fx, 1), "A003");
    fx->now += 60 * 1000;
    assert_string_equal(s_alert_tick(fx, out), "");
    /* Handling: a mean above target raises its own alert; every window serving A open but
     * one serving only B: it could take A over. */
    hq_strlcpy(fx->cfg.counters[1].queues, "B", sizeof fx->cfg.counters[1].queues);
    hall_reset(fx->hall, "2026-11-23");
    hall_finish_load(fx->hall, 1, 0);
    for (int id = 1; id <= 4; id++)
        hf_login(fx, id, "clerk");
    hf_issue(fx, 'A', 1, 0, NULL, l); /* service 1: an instant item */
    assert_string_equal(CALL(fx, 1), "A001");
    fx->now += 15 * MIN;
    assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 1, NULL)); /* 15 min of handling */
    assert_string_equal(s_alert_tick(fx, out), "");
    fx->now += 60 * 1000;
    assert_string_equal(s_alert_tick(fx, out), "A handling raised take_over");
}

static void test_call_chosen_number(void **state)
{
    fx_t *fx = *state;
    char l[64];
    hf_login(fx, 1, "wang");
    hf_login(fx, 2, "li");
    hf_issue(fx, 'A', 0, 0, NULL, l);
    hf_issue(fx, 'A', 0, 0, NULL, l);
    hf_issue(fx, 'B', 0, 1, NULL, l);
    assert_string_equal(CALL(fx, 2), "B001");
    assert_int_equal(hall_green_streak(fx->hall), 1);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CALL);
    req.counter = 1;
    strcpy(req.number, "A002");
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    assert_true(ok);
    assert_string_equal(json_string_value(json_object_get(reply, "reason")), "chosen by clerk");
    json_decref(reply);
    assert_int_equal(hall_green_streak(fx->hall), 0); /* a normal ticket called ends the row */
    assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 1, NULL));
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_false(ok); /* A002 is finished */
}

static void test_estimate_uses_open_counters(void **state)
{
    fx_t *fx = *state;
    char l[64];
    hf_login(fx, 1, "wang");
    hf_login(fx, 2, "li");
    for (int i = 0; i < 4; i++)
        hf_issue(fx, 'A', 0, 0, NULL, l);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'B';
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    assert_int_equal(json_integer_value(json_object_get(reply, "ahead")), 4);
    /* No history yet: 8 min a ticket. Two of the four ahead go to the two idle windows; B
     * waits for one of them to free after the other two: more than one window time, less
     * than the five tickets' time spread over two windows (the rest: green arrivals). */
    int64_t two = json_integer_value(json_object_get(reply, "est_wait_ms"));
    assert_in_range(two, 8 * MIN, 24 * MIN);
    json_decref(reply);
    hf_login(fx, 3, "zhao"); /* a third window: the same place waits less */
    reply = hf_do(fx, &req, &ok, NULL);
    assert_int_equal(json_integer_value(json_object_get(reply, "ahead")), 5);
    assert_true(json_integer_value(json_object_get(reply, "est_wait_ms")) < two);
    json_decref(reply);
    req.elderly = 1; /* first in line, and a window is free */
    reply = hf_do(fx, &req, &ok, NULL);
    assert_int_equal(json_integer_value(json_object_get(reply, "ahead")), 0);
    assert_int_equal(json_integer_value(json_object_get(reply, "est_wait_ms")), 0);
    json_decref(reply);
}

static void test_rollover_expires_and_restarts_numbering(void **state)
{
    fx_t *fx = *state;
    char l[64];
    hf_login(fx, 1, "wang");
    hf_issue(fx, 'A', 0, 0, NULL, l);
    hf_issue(fx, 'A', 0, 0, NULL, l);
    hf_issue(fx, 'A', 0, 0, NULL, l);
    assert_string_equal(CALL(fx, 1), "A001");
    assert_true(hf_counter_req(fx, HQ_REQ_START, 1, NULL)); /* being served over midnight */
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
    assert_string_equal(hf_issue(fx, 'A', 0, 0, NULL, l), "A001");
    assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 1, NULL));
}

static void test_snapshot_contents(void **state)
{
    fx_t *fx = *state;
    char l[64];
    hf_login(fx, 1, "wang");
    hf_issue(fx, 'A', 0, 1, NULL, l);
    hf_issue(fx, 'A', 0, 0, NULL, l);
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

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, hf_setup, hf_teardown)
    const struct CMUnitTest tests[] = {
        T(test_daily_numbering_per_queue),
        T(test_repeated_token_gets_the_same_ticket),
        T(test_green_from_id_number),
        T(test_call_requires_open_counter),
        T(test_green_first_then_bounded),
        T(test_normal_past_max_wait_goes_first),
        T(test_full_service_cycle_and_metric),
        T(test_finish_without_start_counts_from_last_call),
        T(test_no_show_and_reactivate),
        T(test_park_and_take_back),
        T(test_transfer_keeps_issue_time),
        T(test_pause_resume_login_takeover),
        T(test_bad_state_refusals_carry_their_detail),
        T(test_call_chosen_number),
        T(test_issuing_hours_and_quota),
        T(test_queue_alerts_do_not_flap),
        T(test_ten_minute_alert_raises_once),
        T(test_estimate_uses_open_counters),
        T(test_rollover_expires_and_restarts_numbering),
        T(test_snapshot_contents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
