/* Appointments in the hall (server/hall_booking.c, server/booking.c): slots and their
 * capacity, the booking rules, the person's hash, the check-in window (an appointment ticket
 * inside it, a walk-in after it, a refusal before it), the no-show of a booking nobody checked
 * in, and calls of checked-in appointments by slot, bounded by max_in_row while walk-ins wait. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hall_fixture.h"
#include "hall_int.h"
#include "hq_date.h"

#define ID1 "11010519491231002X" /* born 1949 */
#define ID2 "110105199003070017" /* born 1990 */

/* The fixture's business day (a Monday) at hh:mm. */
static int64_t s_at(int hh, int mm)
{
    hq_date_t day = {2026, 11, 23};
    return hq_date_local_ms(day, 0) + (int64_t)(hh * 60 + mm) * MIN;
}

/* Queue A takes bookings 09:00-10:00 and 14:00-15:00 in 30-minute slots of 2, up to 5 days
 * ahead; a walk-in goes first after 10 hours only (the max-wait rule out of the way). */
static int s_setup(void **state)
{
    if (hf_setup(state) != 0)
        return -1;
    fx_t *fx = *state;
    char why[300];
    if (config_load_text(&fx->cfg,
                         "[rules]\nnormal_max_wait_min = 600\n[appointments]\ndays_ahead = "
                         "5\nlead_min = 60\nearly_min = 30\n"
                         "late_min = 15\nmax_in_row = 2\n[slots A]\nweekdays = mon-fri\n"
                         "hours = 09:00-10:00, 14:00-15:00\nslot_min = 30\ncapacity = 2\n",
                         "t.conf", why, sizeof why) != 0) {
        fprintf(stderr, "%s\n", why);
        return -1;
    }
    hall_set_booking_salt(fx->hall, "testsalt12345678");
    fx->now = s_at(7, 0);
    return 0;
}

/* A book request: the code, or "ERR:detail" (or the error code when it has no detail). */
static const char *s_book_for(fx_t *fx, char queue, int service, const char *date, int hh, int mm,
                              const char *id, char *out)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_BOOK);
    req.queue = queue;
    req.service = service;
    strcpy(req.date, date);
    req.slot = hh * 60 + mm;
    strcpy(req.id_number, id);
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    json_t *e = json_object_get(reply, "error");
    if (ok)
        snprintf(out, 16, "%s",
                 json_string_value(json_object_get(json_object_get(reply, "booking"), "code")));
    else
        snprintf(out, 64, "ERR:%s",
                 json_string_value(json_object_get(e, "detail"))
                     ? json_string_value(json_object_get(e, "detail"))
                     : json_string_value(json_object_get(e, "code")));
    json_decref(reply);
    return out;
}

/* A booking in queue A naming no service. */
static const char *s_book(fx_t *fx, const char *date, int hh, int mm, const char *id, char *out)
{
    return s_book_for(fx, 'A', 0, date, hh, mm, id, out);
}

/* A check-in by code (or ID number when code is NULL): "LABEL slot" for an appointment
 * ticket, "LABEL late" for a walk-in, "ERR:detail" for a refusal. */
static const char *s_check_in(fx_t *fx, const char *code, const char *id, char *out)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CHECK_IN);
    if (code)
        strcpy(req.code, code);
    if (id)
        strcpy(req.id_number, id);
    int ok, nevents;
    json_t *reply = hf_do(fx, &req, &ok, &nevents);
    json_t *t = json_object_get(reply, "ticket"), *e = json_object_get(reply, "error");
    if (ok) {
        /* A check-in is two events: the ticket's issued, then the booking's new state. */
        assert_int_equal(nevents, 2);
        snprintf(out, 64, "%s %s", json_string_value(json_object_get(t, "label")),
                 json_is_true(json_object_get(reply, "late"))     ? "late"
                 : json_is_integer(json_object_get(t, "slot_ms")) ? "slot"
                                                                  : "?");
    } else
        snprintf(out, 64, "ERR:%s",
                 json_string_value(json_object_get(e, "detail"))
                     ? json_string_value(json_object_get(e, "detail"))
                     : json_string_value(json_object_get(e, "code")));
    json_decref(reply);
    return out;
}

static void test_slots_of_a_day(void **state)
{
    fx_t *fx = *state;
    const cfg_slots_t *a = &config_queue(&fx->cfg, 'A')->slots;
    int starts[BOOKING_SLOTS_MAX];
    int monday = hq_date_parse_days("2026-11-23"), saturday = hq_date_parse_days("2026-11-28");
    assert_int_equal(booking_slots(&fx->cfg, a, monday, starts, BOOKING_SLOTS_MAX), 4);
    assert_int_equal(starts[0], 9 * 60);
    assert_int_equal(starts[1], 9 * 60 + 30);
    assert_int_equal(starts[2], 14 * 60);
    assert_int_equal(booking_slots(&fx->cfg, a, saturday, starts, BOOKING_SLOTS_MAX), 0);
    assert_false(booking_is_slot(&fx->cfg, a, monday, 9 * 60 + 15));
    assert_int_equal(
        booking_slots(&fx->cfg, &config_queue(&fx->cfg, 'B')->slots, monday, starts, 8), 0);
}

/* Two a slot; one a person a day; inside days_ahead and lead_min; on a slot. */
static void test_capacity_and_rules(void **state)
{
    fx_t *fx = *state;
    char a[64], b[64], c[64];
    s_book(fx, "2026-11-23", 9, 0, ID1, a);
    s_book(fx, "2026-11-23", 9, 0, ID2, b);
    assert_int_equal(strlen(a), BOOKING_CODE_LEN);
    assert_string_not_equal(a, b);
    assert_string_equal(s_book(fx, "2026-11-23", 9, 0, "110105200001010016", c), "ERR:slot_full");
    assert_string_equal(s_book(fx, "2026-11-23", 14, 0, ID1, c), "ERR:person_limit");
    assert_int_equal(strlen(s_book(fx, "2026-11-24", 14, 0, ID1, c)), BOOKING_CODE_LEN);
    assert_string_equal(s_book(fx, "2026-11-29", 9, 0, ID2, c), "ERR:too_far_ahead");
    assert_string_equal(s_book(fx, "2026-11-22", 9, 0, ID2, c), "ERR:too_far_ahead");
    assert_string_equal(s_book(fx, "2026-11-24", 9, 15, ID2, c), "ERR:not_a_slot");
    assert_string_equal(s_book(fx, "2026-11-28", 9, 0, ID2, c), "ERR:not_a_slot"); /* Saturday */
    fx->now = s_at(8, 1);
    assert_string_equal(s_book(fx, "2026-11-23", 9, 0, ID2, c), "ERR:too_soon");
    assert_string_equal(s_book(fx, "2026-11-23", 9, 0, "110105194912310021", c),
                        "ERR:bad_id_number");
    /* Cancelling frees the place; a cancelled booking cannot be cancelled again. */
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CANCEL);
    strcpy(req.code, b);
    int ok;
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_true(ok);
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_false(ok);
    fx->now = s_at(7, 0);
    assert_int_equal(strlen(s_book(fx, "2026-11-23", 9, 0, "110105200001010016", c)),
                     BOOKING_CODE_LEN);
    /* The person is a hash: the same number gives the same, no booking holds the number. */
    char h1[BOOKING_PERSON_MAX], h2[BOOKING_PERSON_MAX];
    assert_int_equal(booking_person("testsalt12345678", ID1, h1), 0);
    assert_int_equal(booking_person("testsalt12345678", ID1, h2), 0);
    assert_string_equal(h1, h2);
    assert_null(strstr(h1, "110105"));
    assert_int_equal(booking_person("othersalt1234567", ID1, h2), 0);
    assert_string_not_equal(h1, h2);
}

/* The slots request: each slot of the day with the places left and whether it can be booked
 * now; the days a booking may be for; a day out of reach refused as book refuses it. */
static void test_slots_request(void **state)
{
    fx_t *fx = *state;
    char a[64], b[64];
    s_book(fx, "2026-11-23", 9, 0, ID1, a);
    s_book(fx, "2026-11-23", 9, 0, ID2, b);
    s_book(fx, "2026-11-23", 14, 0, "110105200001010016", b);
    fx->now = s_at(8, 45); /* 09:30 is 45 minutes away: under lead_min */
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_SLOTS);
    req.queue = 'A';
    strcpy(req.date, "2026-11-23");
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    assert_true(ok);
    char *text = json_dumps(json_object_get(reply, "slots"), JSON_COMPACT);
    assert_string_equal(text, "[{\"slot\":\"09:00\",\"left\":0,\"open\":false},"
                              "{\"slot\":\"09:30\",\"left\":2,\"open\":false},"
                              "{\"slot\":\"14:00\",\"left\":1,\"open\":true},"
                              "{\"slot\":\"14:30\",\"left\":2,\"open\":true}]");
    free(text);
    assert_int_equal(json_array_size(json_object_get(reply, "days")), 6);
    assert_string_equal(json_string_value(json_array_get(json_object_get(reply, "days"), 5)),
                        "2026-11-28");
    assert_int_equal(json_integer_value(json_object_get(reply, "early_min")), 30);
    assert_int_equal(json_integer_value(json_object_get(reply, "late_min")), 15);
    json_decref(reply);
    strcpy(req.date, "2026-11-28"); /* a Saturday: no slots, no error */
    reply = hf_do(fx, &req, &ok, NULL);
    assert_true(ok);
    assert_int_equal(json_array_size(json_object_get(reply, "slots")), 0);
    json_decref(reply);
    strcpy(req.date, "2026-11-30");
    reply = hf_do(fx, &req, &ok, NULL);
    assert_false(ok);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(reply, "error"), "detail")),
        "too_far_ahead");
    json_decref(reply);
    req.queue = 'B';
    strcpy(req.date, "2026-11-23");
    reply = hf_do(fx, &req, &ok, NULL);
    assert_false(ok);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(reply, "error"), "detail")), "no_slots");
    json_decref(reply);
}

/* cancel and booking with an ID number: only the one the booking was made with names it. */
static void test_booker_id_number(void **state)
{
    fx_t *fx = *state;
    char a[64];
    s_book(fx, "2026-11-23", 9, 0, ID1, a);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_BOOKING);
    strcpy(req.code, a);
    strcpy(req.id_number, ID2);
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    assert_false(ok);
    json_t *e = json_object_get(reply, "error");
    assert_string_equal(json_string_value(json_object_get(e, "code")), "forbidden");
    assert_string_equal(json_string_value(json_object_get(e, "detail")), "wrong_id_number");
    json_decref(reply);
    strcpy(req.id_number, ID1);
    reply = hf_do(fx, &req, &ok, NULL);
    assert_true(ok);
    json_t *w = json_object_get(reply, "check_in");
    assert_string_equal(json_string_value(json_object_get(w, "from")), "08:30");
    assert_string_equal(json_string_value(json_object_get(w, "until")), "09:15");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(reply, "booking"), "state")), "booked");
    json_decref(reply);
    hq_request_init(&req, HQ_REQ_CANCEL);
    strcpy(req.code, a);
    strcpy(req.id_number, ID2);
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_false(ok); /* another person's number cancels nothing */
    strcpy(req.id_number, ID1);
    reply = hf_do(fx, &req, &ok, NULL);
    assert_true(ok);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(reply, "booking"), "state")),
        "cancelled");
    json_decref(reply);
}

/* [slot - 30 min, slot + 15 min]: before it refused with the time it opens, inside it an
 * appointment ticket with its slot, after it a walk-in; a booking left alone is a no-show at
 * slot + 15 min, and may still come late. */
static void test_check_in_window(void **state)
{
    fx_t *fx = *state;
    char a[64], b[64], c[64], out[64];
    s_book(fx, "2026-11-23", 9, 0, ID1, a);
    s_book(fx, "2026-11-23", 9, 30, ID2, b);
    s_book(fx, "2026-11-23", 14, 0, "110105200001010016", c);
    fx->now = s_at(8, 29);
    assert_string_equal(s_check_in(fx, a, NULL, out), "ERR:too_early");
    fx->now = s_at(8, 30);
    assert_string_equal(s_check_in(fx, NULL, ID1, out), "A001 slot");
    assert_string_equal(s_check_in(fx, a, NULL, out), "ERR:booking_state");
    assert_string_equal(s_check_in(fx, "AAAAAA", NULL, out), "ERR:unknown_booking");
    /* 09:45 is the 09:30 booking's last minute; a minute later it is late. */
    fx->now = s_at(9, 45);
    hall_result_t r;
    hall_result_init(&r);
    assert_int_equal(hall_booking_sweep(fx->hall, fx->now, &r), 0);
    fx->now = s_at(9, 46);
    assert_int_equal(hall_booking_sweep(fx->hall, fx->now, &r), 1);
    assert_int_equal(r.nevents, 1);
    assert_int_equal(r.events[0].type, HQ_EV_BOOKING);
    assert_int_equal(hall_booking(fx->hall, r.booking)->state, BK_NO_SHOW);
    hall_result_clear(&r);
    hall_result_init(&r);
    assert_int_equal(hall_booking_sweep(fx->hall, fx->now, &r), 0); /* one no-show, once */
    hall_result_clear(&r);
    assert_string_equal(s_check_in(fx, b, NULL, out), "A002 late");
    /* The afternoon booking is not today's business yet. */
    fx->now = s_at(10, 0);
    assert_string_equal(s_check_in(fx, c, NULL, out), "ERR:too_early");
}

/* Checked-in appointments go by slot once it has begun, at most max_in_row (2) in a row while
 * walk-ins wait; each call says why. */
static void test_calls_by_slot_bounded(void **state)
{
    fx_t *fx = *state;
    static const char *const ids[] = {ID1, ID2, "110105200001010016", "110105198001010016"};
    char codes[4][64], out[64], l[64];
    for (int i = 0; i < 4; i++)
        s_book(fx, "2026-11-23", i < 2 ? 9 : 14, 0, ids[i], codes[i]); /* two at 09:00 */
    hf_login(fx, 1, "wang");
    fx->now = s_at(8, 40);
    hf_issue(fx, 'A', 0, 0, NULL, l); /* A001 walk-in */
    assert_string_equal(s_check_in(fx, codes[1], NULL, out), "A002 slot");
    assert_string_equal(s_check_in(fx, codes[0], NULL, out), "A003 slot");
    hf_issue(fx, 'A', 0, 0, NULL, l); /* A004 walk-in */
    /* Before 09:00 the slots have not begun: the walk-in that came first goes. */
    fx->now = s_at(8, 50);
    assert_string_equal(CALL(fx, 1), "A001");
    const hq_ticket_t *t = hall_ticket(fx->hall, hall_counter(fx->hall, 1)->current);
    assert_int_equal(t->reason_code, HQ_REASON_OLDEST);
    assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 1, NULL));
    /* From 09:00 the appointments by slot (A002 checked in first, same slot: by issue). */
    fx->now = s_at(9, 0);
    assert_string_equal(CALL(fx, 1), "A002");
    assert_int_equal(hall_ticket(fx->hall, hall_counter(fx->hall, 1)->current)->reason_code,
                     HQ_REASON_APPOINTMENT);
    assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 1, NULL));
    assert_string_equal(CALL(fx, 1), "A003");
    assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 1, NULL));
    assert_int_equal(hall_appointment_streak(fx->hall), 2);
    /* Two more appointments checked in: the row of 2 is full, the walk-in goes first. */
    fx->now = s_at(13, 40);
    assert_string_equal(s_check_in(fx, codes[2], NULL, out), "A005 slot");
    assert_string_equal(s_check_in(fx, codes[3], NULL, out), "A006 slot");
    fx->now = s_at(14, 0);
    assert_string_equal(CALL(fx, 1), "A004");
    t = hall_ticket(fx->hall, hall_counter(fx->hall, 1)->current);
    assert_int_equal(t->reason_code, HQ_REASON_APPOINTMENT_LIMIT);
    assert_string_equal(t->reason, "2 appointments in a row, walk-in's turn");
    assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 1, NULL));
    assert_int_equal(hall_appointment_streak(fx->hall), 0);
    /* Nobody else waits: appointments without a bound. */
    assert_string_equal(CALL(fx, 1), "A005");
    assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 1, NULL));
    assert_string_equal(CALL(fx, 1), "A006");
    assert_int_equal(hall_appointment_streak(fx->hall), 0);
}

/* A booking may name a service of its queue; its ticket is for that service. */
static void test_booking_names_a_service(void **state)
{
    fx_t *fx = *state;
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_BOOK);
    req.queue = 'A';
    strcpy(req.date, "2026-11-23");
    req.slot = 9 * 60;
    strcpy(req.id_number, ID1);
    req.service = 6; /* a service of queue B */
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    assert_false(ok);
    assert_string_equal(json_string_value(json_object_get(json_object_get(reply, "error"), "code")),
                        "unknown_service");
    json_decref(reply);
    req.service = 3;
    reply = hf_do(fx, &req, &ok, NULL);
    assert_true(ok);
    json_t *b = json_object_get(reply, "booking");
    assert_int_equal(json_integer_value(json_object_get(b, "service")), 3);
    char code[16], out[64];
    snprintf(code, sizeof code, "%s", json_string_value(json_object_get(b, "code")));
    json_decref(reply);
    fx->now = s_at(8, 45);
    assert_string_equal(s_check_in(fx, code, NULL, out), "A001 slot");
    assert_int_equal(hall_ticket(fx->hall, 1)->service, 3);
}

/* A quota with an appointment reserve: walk-ins stop short of it, check-ins go on. */
static void test_appointment_reserve(void **state)
{
    fx_t *fx = *state;
    cfg_queue_t *a = (cfg_queue_t *)config_queue(&fx->cfg, 'A');
    a->quota = 3;
    a->appointment_reserve = 1;
    char code[64], out[64], l[64];
    s_book(fx, "2026-11-23", 9, 0, ID1, code);
    fx->now = s_at(8, 40);
    assert_string_equal(hf_issue(fx, 'A', 0, 0, NULL, l), "A001");
    assert_string_equal(hf_issue(fx, 'A', 0, 1, NULL, l), "A002");
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'A';
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    assert_false(ok);
    json_t *e = json_object_get(reply, "error");
    assert_string_equal(json_string_value(json_object_get(e, "code")), "quota_exhausted");
    assert_string_equal(json_string_value(json_object_get(e, "reserved_for")), "appointment");
    json_decref(reply);
    assert_string_equal(s_check_in(fx, code, NULL, out), "A003 slot");
}

/* The wait estimates through the hall: a checked-in appointment gets one from its slot and
 * the window's ticket, and a walk-in issued after it counts it as ahead. */
static void test_estimates_count_appointments(void **state)
{
    fx_t *fx = *state;
    char code[64], l[64];
    s_book(fx, "2026-11-23", 9, 0, ID1, code);
    hf_login(fx, 1, "wang");
    fx->now = s_at(8, 50);
    hf_issue(fx, 'A', 0, 0, NULL, l); /* A001, called: the window is busy */
    assert_string_equal(CALL(fx, 1), "A001");
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CHECK_IN);
    strcpy(req.code, code);
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    assert_true(ok);
    int64_t appt = json_integer_value(json_object_get(reply, "est_wait_ms"));
    assert_int_equal(json_integer_value(json_object_get(reply, "ahead")), 0);
    /* Its slot begins in 10 minutes: not called before. */
    assert_true(appt >= 10 * MIN);
    json_decref(reply);
    /* At 09:00 it is due: a walk-in waits longer than it (its `ahead` counts walk-ins only). */
    fx->now = s_at(9, 0);
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'A';
    reply = hf_do(fx, &req, &ok, NULL);
    assert_true(ok);
    assert_int_equal(json_integer_value(json_object_get(reply, "ahead")), 0);
    int64_t walk_in = json_integer_value(json_object_get(reply, "est_wait_ms"));
    json_decref(reply);
    int64_t wait_now;
    int ahead_now;
    hall_estimate(fx->hall, hall_ticket(fx->hall, 2), fx->now, &ahead_now, &wait_now);
    assert_int_equal(ahead_now, 0);
    assert_true(walk_in > wait_now);
    /* The snapshot says the same as the replies. */
    int ahead[8];
    int64_t waits[8];
    assert_int_equal(hall_estimate_waiting(fx->hall, fx->now, ahead, waits), 0);
    assert_int_equal(waits[1], wait_now);
    assert_int_equal(waits[2], walk_in);
    assert_int_equal(ahead[2], 0);
}

/* [slots N] gives one service a template of its own, beside its queue's or without one:
 * booking that service uses it, its capacity is its own, and the queue's template keeps its
 * capacity for the queue's other bookings. */
static void test_service_template(void **state)
{
    fx_t *fx = *state;
    char why[300];
    assert_int_equal(config_load_text(&fx->cfg,
                                      "[slots 3]\nweekdays = mon\nhours = 10:00-11:00\n"
                                      "slot_min = 20\ncapacity = 1\n[slots 6]\n"
                                      "hours = 15:00-16:00\n",
                                      "t2.conf", why, sizeof why),
                     0);
    const cfg_slots_t *s3 = config_slots(&fx->cfg, 'A', 3);
    assert_ptr_equal(s3, &config_service(&fx->cfg, 3)->slots);
    assert_ptr_equal(config_slots(&fx->cfg, 'A', 4), &config_queue(&fx->cfg, 'A')->slots);
    assert_ptr_equal(config_slots(&fx->cfg, 'A', 0), &config_queue(&fx->cfg, 'A')->slots);
    assert_null(config_slots(&fx->cfg, 'B', 7)); /* queue B has no template, 7 none either */
    assert_ptr_equal(config_slots(&fx->cfg, 'B', 6), &config_service(&fx->cfg, 6)->slots);
    int starts[BOOKING_SLOTS_MAX], monday = hq_date_parse_days("2026-11-23");
    assert_int_equal(booking_slots(&fx->cfg, s3, monday, starts, BOOKING_SLOTS_MAX), 3);
    assert_int_equal(starts[2], 10 * 60 + 40);
    assert_int_equal(booking_slots(&fx->cfg, s3, monday + 1, starts, BOOKING_SLOTS_MAX), 0);
    char c[64];
    /* Service 3 books its own slots, not the queue's, one a slot. */
    assert_int_equal(strlen(s_book_for(fx, 'A', 3, "2026-11-23", 10, 20, ID1, c)),
                     BOOKING_CODE_LEN);
    assert_string_equal(s_book_for(fx, 'A', 3, "2026-11-23", 10, 20, ID2, c), "ERR:slot_full");
    assert_string_equal(s_book_for(fx, 'A', 3, "2026-11-23", 9, 0, ID2, c), "ERR:not_a_slot");
    assert_string_equal(s_book_for(fx, 'A', 3, "2026-11-24", 10, 20, ID2, c), "ERR:not_a_slot");
    /* The queue's 09:00 slot of two counts the queue's bookings only: service 3's is not one. */
    assert_int_equal(strlen(s_book_for(fx, 'A', 4, "2026-11-23", 9, 0, ID2, c)), BOOKING_CODE_LEN);
    assert_int_equal(strlen(s_book(fx, "2026-11-23", 9, 0, "110105200001010016", c)),
                     BOOKING_CODE_LEN);
    assert_string_equal(s_book(fx, "2026-11-23", 9, 0, "110105198001010016", c), "ERR:slot_full");
    /* Queue B takes bookings for service 6 only. */
    assert_int_equal(strlen(s_book_for(fx, 'B', 6, "2026-11-23", 15, 0, "110105198001010016", c)),
                     BOOKING_CODE_LEN);
    assert_string_equal(s_book_for(fx, 'B', 7, "2026-11-24", 15, 0, ID1, c), "ERR:no_slots");
    assert_string_equal(s_book_for(fx, 'B', 0, "2026-11-24", 15, 0, ID1, c), "ERR:no_slots");
    /* A service the hall does not offer, or a section without hours, is refused. */
    hallq_config_t cfg;
    assert_int_equal(config_default(&cfg, why, sizeof why), 0);
    assert_int_equal(
        config_load_text(&cfg, "[slots 999]\nhours = 09:00-10:00\n", "t3.conf", why, sizeof why),
        -1);
    assert_string_equal(why, "t3.conf:1: [slots 999] names no service this hall offers");
    assert_int_equal(
        config_load_text(&cfg, "\n[slots 3]\ncapacity = 2\n", "t4.conf", why, sizeof why), -1);
    assert_string_equal(why, "t4.conf:2: [slots 3] needs hours (hours = 09:00-11:30)");
    /* An appointment reserve is satisfied by one service's template. */
    assert_int_equal(config_load_text(&cfg,
                                      "[queue B]\nquota = 10\nappointment_reserve = 2\n"
                                      "[slots 6]\nhours = 09:00-10:00\n",
                                      "t5.conf", why, sizeof why),
                     0);
    config_free(&cfg);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, s_setup, hf_teardown)
    const struct CMUnitTest tests[] = {
        T(test_slots_of_a_day),      T(test_capacity_and_rules),
        T(test_check_in_window),     T(test_calls_by_slot_bounded),
        T(test_appointment_reserve), T(test_booking_names_a_service),
        T(test_service_template),    T(test_estimates_count_appointments),
        T(test_slots_request),       T(test_booker_id_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
