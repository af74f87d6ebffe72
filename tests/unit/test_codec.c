/* The codec: every request round-trips; malformed input is an error value, never a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hq_proto.h"

static hq_error_code_t s_decode_error(const char *json)
{
    hq_request_t req;
    hq_error_t err;
    int rc = hq_request_decode(json, strlen(json), &req, &err);
    if (rc == HQ_OK)
        return HQ_E_NONE;
    assert_int_equal(rc, HQ_MALFORMED);
    assert_true(strlen(err.message) > 0);
    return err.code;
}

static void test_every_request_round_trips(void **state)
{
    (void)state;
    for (int t = 0; t < HQ_REQ_COUNT_; t++) {
        hq_request_t req, back;
        hq_request_init(&req, (hq_req_type_t)t);
        snprintf(req.id, sizeof req.id, "req-%d", t);
        req.counter = 3;
        req.queue = 'C';
        req.rating = 4;
        strcpy(req.clerk, "wang01");
        strcpy(req.number, "A012");
        if (t == HQ_REQ_ISSUE) {
            req.service = 9;
            req.elderly = 1;
            strcpy(req.token, "kiosk1-4711");
        }
        if (t == HQ_REQ_PAUSE)
            strcpy(req.reason, "午休");
        if (t == HQ_REQ_STAFF)
            strcpy(req.pin, "2468"); /* required there */
        if (t == HQ_REQ_SLOTS)
            strcpy(req.date, "2026-10-12");
        if (t == HQ_REQ_BOOK) {
            strcpy(req.date, "2026-10-12");
            req.slot = 9 * 60 + 30;
            strcpy(req.id_number, "11010519491231002X");
        }
        if (t == HQ_REQ_CANCEL || t == HQ_REQ_BOOKING || t == HQ_REQ_CHECK_IN)
            strcpy(req.code, "K7MX3Q");
        if (t == HQ_REQ_TRACK || t == HQ_REQ_CLAIM || t == HQ_REQ_TABLET_RATE)
            strcpy(req.token, "q2hVd3lHY0Rtb1pRb2pWdw"); /* required there */
        char *text = hq_request_encode(&req);
        assert_non_null(text);
        hq_error_t err;
        assert_int_equal(hq_request_decode(text, strlen(text), &back, &err), HQ_OK);
        assert_int_equal(back.type, t);
        assert_string_equal(back.id, req.id);
        switch (t) {
        case HQ_REQ_ISSUE:
            assert_string_equal(back.token, "kiosk1-4711");
            assert_int_equal(back.queue, 'C');
            assert_int_equal(back.service, 9);
            assert_int_equal(back.elderly, 1);
            break;
        case HQ_REQ_CALL:
        case HQ_REQ_UNPARK:
            assert_int_equal(back.counter, 3);
            assert_string_equal(back.number, "A012");
            break;
        case HQ_REQ_RATE:
            assert_string_equal(back.number, "A012");
            assert_int_equal(back.rating, 4);
            break;
        case HQ_REQ_TRANSFER:
            assert_int_equal(back.queue, 'C');
            assert_int_equal(back.counter, 3);
            break;
        case HQ_REQ_LOGIN:
            assert_string_equal(back.clerk, "wang01");
            break;
        case HQ_REQ_PAUSE:
            assert_string_equal(back.reason, "午休");
            break;
        case HQ_REQ_TRACK:
        case HQ_REQ_CLAIM:
            assert_string_equal(back.token, "q2hVd3lHY0Rtb1pRb2pWdw");
            break;
        case HQ_REQ_TABLET_RATE:
            assert_string_equal(back.token, "q2hVd3lHY0Rtb1pRb2pWdw");
            assert_string_equal(back.number, "A012");
            assert_int_equal(back.rating, 4);
            break;
        default:
            break;
        }
        free(text);
    }
}

static void test_issue_with_id_number(void **state)
{
    (void)state;
    hq_request_t req, back;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'A';
    strcpy(req.id_number, "11010519491231002X");
    char *text = hq_request_encode(&req);
    hq_error_t err;
    assert_int_equal(hq_request_decode(text, strlen(text), &back, &err), HQ_OK);
    assert_string_equal(back.id_number, "11010519491231002X");
    assert_int_equal(back.elderly, 0);
    free(text);
}

static void test_malformed_frames(void **state)
{
    (void)state;
    assert_int_equal(s_decode_error(""), HQ_E_MALFORMED);
    assert_int_equal(s_decode_error("{"), HQ_E_MALFORMED);
    assert_int_equal(s_decode_error("{\"type\":\"call\",\"counter\":1"), HQ_E_MALFORMED);
    assert_int_equal(s_decode_error("[1,2,3]"), HQ_E_MALFORMED);
    assert_int_equal(s_decode_error("\"issue\""), HQ_E_MALFORMED);
    assert_int_equal(s_decode_error("\xff\xfe\x00"), HQ_E_MALFORMED);
    assert_int_equal(s_decode_error("{\"type\":\"call\",\"type\":\"call\",\"counter\":1}"),
                     HQ_E_MALFORMED);
}

static void test_type_problems(void **state)
{
    (void)state;
    assert_int_equal(s_decode_error("{}"), HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":7}"), HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"explode\"}"), HQ_E_UNKNOWN_TYPE);
    assert_int_equal(s_decode_error("{\"type\":\"ping\",\"v\":2}"), HQ_E_VERSION);
    assert_int_equal(s_decode_error("{\"type\":\"ping\",\"v\":\"1\"}"), HQ_E_VERSION);
    assert_int_equal(s_decode_error("{\"type\":\"ping\",\"v\":1}"), HQ_E_NONE);
}

static void test_field_problems(void **state)
{
    (void)state;
    /* missing, wrongly typed, out of range, unknown, too long */
    assert_int_equal(s_decode_error("{\"type\":\"call\"}"), HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"call\",\"counter\":\"3\"}"), HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"call\",\"counter\":3.0}"), HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"call\",\"counter\":true}"), HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"call\",\"counter\":0}"), HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"call\",\"counter\":99999999999}"), HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"call\",\"counter\":1,\"queue\":\"A\"}"),
                     HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"call\",\"counter\":1,\"number\":\"A1\"}"),
                     HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"call\",\"counter\":1,\"bogus\":1}"),
                     HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"issue\",\"queue\":\"AB\"}"), HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"issue\",\"queue\":\"1\"}"), HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"issue\",\"queue\":\"A\",\"elderly\":1}"),
                     HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"issue\",\"queue\":\"A\",\"elderly\":true,"
                                    "\"id_number\":\"11010519491231002X\"}"),
                     HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"issue\",\"queue\":\"A\",\"id_number\":"
                                    "11010519491231002}"),
                     HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"rate\",\"number\":\"A001\",\"rating\":6}"),
                     HQ_E_BAD_FIELD);
    assert_int_equal(s_decode_error("{\"type\":\"login\",\"counter\":1,\"clerk\":\"\"}"),
                     HQ_E_BAD_FIELD);
    /* An escaped NUL is refused by the JSON parser itself. */
    assert_int_equal(s_decode_error("{\"type\":\"login\",\"counter\":1,\"clerk\":\"a\\u0000b\"}"),
                     HQ_E_MALFORMED);
    assert_int_equal(s_decode_error("{\"type\":\"ping\",\"id\":[1]}"), HQ_E_BAD_FIELD);
}

static void test_oversize_is_refused_before_parsing(void **state)
{
    (void)state;
    size_t n = HQ_MAX_REQUEST_BYTES + 10;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    memcpy(big, "{\"type\":\"ping\"}", 15);
    big[n] = '\0';
    hq_request_t req;
    hq_error_t err;
    assert_int_equal(hq_request_decode(big, n, &req, &err), HQ_MALFORMED);
    assert_int_equal(err.code, HQ_E_TOO_LARGE);
    free(big);
}

static void test_error_reply_keeps_id_and_type(void **state)
{
    (void)state;
    hq_request_t req;
    hq_error_t err;
    const char *j = "{\"type\":\"call\",\"id\":\"x7\",\"counter\":\"a\"}";
    assert_int_equal(hq_request_decode(j, strlen(j), &req, &err), HQ_MALFORMED);
    assert_string_equal(req.id, "x7");
    json_t *reply = hq_reply_error(req.id, hq_req_type_name(req.type), err.code, err.message);
    char *text = json_dumps(reply, 0);
    hq_reply_t r;
    assert_int_equal(hq_reply_decode(text, strlen(text), &r), HQ_OK);
    assert_false(r.ok);
    assert_string_equal(r.id, "x7");
    assert_string_equal(r.type, "call");
    assert_int_equal(r.error.code, HQ_E_BAD_FIELD);
    hq_reply_clear(&r);
    free(text);
    json_decref(reply);
}

static void test_ticket_and_counter_round_trip(void **state)
{
    (void)state;
    hq_ticket_t t, back;
    memset(&t, 0, sizeof t);
    t.id = 42;
    strcpy(t.day, "2026-11-23");
    t.prefix = 'A';
    t.number = 7;
    strcpy(t.label, "A007");
    t.queue = 'C';
    t.service = 9;
    t.green = 1;
    strcpy(t.age_band, "70-79");
    t.state = HQ_T_PARKED;
    t.issued_ms = 1700000000000;
    t.called_ms = 1700000060000;
    t.last_called_ms = 1700000070000;
    t.started_ms = 1700000080000;
    t.parked_ms = 1700000090000;
    t.park_total_ms = 5000;
    t.calls = 2;
    t.counter = 3;
    strcpy(t.clerk, "李四");
    strcpy(t.reason, "green lane");
    t.reason_code = HQ_REASON_GREEN_LANE;
    t.rating = 0;
    t.transfers = 1;
    json_t *j = hq_ticket_to_json(&t);
    assert_int_equal(hq_ticket_from_json(j, &back, NULL), HQ_OK);
    assert_memory_equal(&t, &back, sizeof t);
    json_decref(j);

    hq_counter_t c, cb;
    memset(&c, 0, sizeof c);
    c.id = 3;
    strcpy(c.queues, "ABC");
    c.state = HQ_C_PAUSED;
    strcpy(c.clerk, "wang");
    strcpy(c.pause_reason, "午休");
    c.since_ms = 99;
    j = hq_counter_to_json(&c);
    assert_int_equal(hq_counter_from_json(j, &cb, NULL), HQ_OK);
    assert_memory_equal(&c, &cb, sizeof c);
    json_decref(j);
}

static void test_bad_ticket_json(void **state)
{
    (void)state;
    hq_ticket_t t;
    const char *cases[] = {
        "[]",
        "{\"prefix\":\"A\",\"queue\":\"A\",\"state\":\"gone\",\"lane\":\"normal\"}",
        "{\"prefix\":\"A\",\"queue\":\"A\",\"state\":\"waiting\",\"lane\":\"purple\"}",
        "{\"prefix\":\"AA\",\"queue\":\"A\",\"state\":\"waiting\",\"lane\":\"normal\"}",
        "{\"prefix\":\"A\",\"queue\":\"A\",\"state\":\"waiting\",\"lane\":\"normal\",\"id\":\"1\"}",
        ("{\"prefix\":\"A\",\"queue\":\"A\",\"state\":\"waiting\",\"lane\":\"normal\",\"label\":"
         "\"A000000000000001\"}"),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = json_loads(cases[i], 0, NULL);
        assert_non_null(j);
        assert_int_equal(hq_ticket_from_json(j, &t, NULL), HQ_MALFORMED);
        json_decref(j);
    }
}

static void test_labels(void **state)
{
    (void)state;
    char out[HQ_LABEL_MAX], prefix;
    int number;
    assert_int_equal(hq_label_format('A', 1, out, sizeof out), 0);
    assert_string_equal(out, "A001");
    assert_int_equal(hq_label_format('G', 999, out, sizeof out), 0);
    assert_string_equal(out, "G999");
    assert_int_equal(hq_label_format('B', 1000, out, sizeof out), 0);
    assert_string_equal(out, "B1000");
    assert_int_equal(hq_label_format('B', 0, out, sizeof out), -1);
    assert_int_equal(hq_label_format('b', 1, out, sizeof out), -1);
    assert_int_equal(hq_label_format('B', 10000, out, sizeof out), -1);
    assert_int_equal(hq_label_parse("a012", &prefix, &number), 0);
    assert_int_equal(prefix, 'A');
    assert_int_equal(number, 12);
    assert_int_equal(hq_label_parse("C1000", &prefix, &number), 0);
    assert_int_equal(number, 1000);
    assert_int_equal(hq_label_parse("C0999", &prefix, &number), -1);
    assert_int_equal(hq_label_parse("A000", &prefix, &number), -1);
    assert_int_equal(hq_label_parse("A01", &prefix, &number), -1);
    assert_int_equal(hq_label_parse("AA01", &prefix, &number), -1);
    assert_int_equal(hq_label_parse("A0x1", &prefix, &number), -1);
    assert_int_equal(hq_label_parse("", &prefix, &number), -1);
}

static void test_events_decode(void **state)
{
    (void)state;
    hq_event_t ev;
    const char *body = "{\"seq\":5,\"ts_ms\":7,\"depths\":[{\"queue\":\"A\",\"waiting\":3,"
                       "\"green\":1}],\"avg_wait_ms\":60000}";
    /* The waiting counts ride on the event of the change; there is no topic of their own. */
    assert_int_equal(hq_event_type_parse("depths"), -1);
    assert_int_equal(hq_event_decode("depths", body, strlen(body), &ev), HQ_MALFORMED);
    assert_int_equal(hq_event_decode("reactivated", body, strlen(body), &ev), HQ_OK);
    assert_int_equal(ev.seq, 5);
    assert_int_equal(ev.ndepths, 1);
    assert_int_equal(ev.depths[0].queue, 'A');
    assert_int_equal(ev.depths[0].waiting, 3);
    assert_int_equal(ev.depths[0].green, 1);
    hq_event_clear(&ev);
    assert_int_equal(hq_event_decode("nonsense", body, strlen(body), &ev), HQ_MALFORMED);
    assert_int_equal(hq_event_decode("called", "{", 1, &ev), HQ_MALFORMED);
    const char *bad = "{\"seq\":\"5\"}";
    assert_int_equal(hq_event_decode("called", bad, strlen(bad), &ev), HQ_MALFORMED);
    const char *badticket = "{\"seq\":5,\"ticket\":{\"state\":\"x\"}}";
    assert_int_equal(hq_event_decode("called", badticket, strlen(badticket), &ev), HQ_MALFORMED);
    for (int t = 0; t < HQ_EV_COUNT_; t++)
        assert_int_equal(hq_event_type_parse(hq_event_type_name((hq_event_type_t)t)), t);
    for (int c = 0; c < HQ_E_COUNT_; c++)
        assert_int_equal(hq_error_code_parse(hq_error_code_name((hq_error_code_t)c)), c);
}

/* "id" comes back as it went: an integer as an integer, a string of digits as a string. */
static void test_integer_id_echoed_as_integer(void **state)
{
    (void)state;
    hq_request_t req;
    hq_error_t err;
    const char *j = "{\"type\":\"ping\",\"id\":42}";
    assert_int_equal(hq_request_decode(j, strlen(j), &req, &err), HQ_OK);
    json_t *ok = hq_reply_new(&req);
    assert_true(json_is_integer(json_object_get(ok, "id")));
    assert_int_equal(json_integer_value(json_object_get(ok, "id")), 42);
    /* A reply built from the id's text alone (the hall's refusals) is put right on the way out. */
    json_t *refused = hq_reply_error(req.id, "ping", HQ_E_STATE, "no");
    assert_true(json_is_string(json_object_get(refused, "id")));
    hq_reply_echo_id(refused, &req);
    assert_int_equal(json_integer_value(json_object_get(refused, "id")), 42);
    char *text = hq_request_encode(&req);
    assert_non_null(strstr(text, "\"id\":42"));
    free(text);
    json_decref(ok);
    json_decref(refused);

    j = "{\"type\":\"call\",\"id\":-7,\"counter\":\"x\"}";
    assert_int_equal(hq_request_decode(j, strlen(j), &req, &err), HQ_MALFORMED);
    json_t *bad = hq_reply_refuse(&req, err.code, err.message);
    assert_int_equal(json_integer_value(json_object_get(bad, "id")), -7);
    assert_string_equal(json_string_value(json_object_get(bad, "type")), "call");
    json_decref(bad);

    j = "{\"type\":\"ping\",\"id\":\"42\"}";
    assert_int_equal(hq_request_decode(j, strlen(j), &req, &err), HQ_OK);
    ok = hq_reply_new(&req);
    assert_string_equal(json_string_value(json_object_get(ok, "id")), "42");
    json_decref(ok);

    hq_reply_t r;
    const char *reply = "{\"v\":1,\"ok\":true,\"type\":\"ping\",\"id\":42}";
    assert_int_equal(hq_reply_decode(reply, strlen(reply), &r), HQ_OK);
    assert_string_equal(r.id, "42");
    hq_reply_clear(&r);
}

/* A request that names no type gets a refusal that claims none. */
static void test_refusal_without_type(void **state)
{
    (void)state;
    hq_request_t req;
    hq_error_t err;
    const char *j = "{\"id\":\"q\",\"type\":\"teleport\"}";
    assert_int_equal(hq_request_decode(j, strlen(j), &req, &err), HQ_MALFORMED);
    assert_int_equal(req.type, HQ_REQ_COUNT_);
    json_t *reply = hq_reply_refuse(&req, err.code, err.message);
    assert_null(json_object_get(reply, "type"));
    assert_string_equal(json_string_value(json_object_get(reply, "id")), "q");
    json_decref(reply);
    hq_request_init(&req, HQ_REQ_COUNT_); /* what the daemon holds for a wrongly framed one */
    reply = hq_reply_refuse(&req, HQ_E_MALFORMED, "framing");
    assert_null(json_object_get(reply, "type"));
    assert_null(json_object_get(reply, "id"));
    json_decref(reply);
}

/* An ID number of the wrong length is a wrong ID number, whatever its length. */
static void test_id_number_length(void **state)
{
    (void)state;
    static const char *const bad[] = {"", "1101051949123100", "11010519491231002",
                                      "11010519491231002X1", "1101051949123100200000"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char j[128];
        snprintf(j, sizeof j, "{\"type\":\"issue\",\"queue\":\"A\",\"id_number\":\"%s\"}", bad[i]);
        assert_int_equal(s_decode_error(j), HQ_E_BAD_ID_NUMBER);
    }
    /* The right length passes the codec; the daemon checks date and check digit. */
    assert_int_equal(s_decode_error("{\"type\":\"issue\",\"queue\":\"A\",\"id_number\":"
                                    "\"110105194912310021\"}"),
                     HQ_E_NONE);
}

/* The version decides how the rest reads, so it is checked first. */
static void test_version_before_type(void **state)
{
    (void)state;
    assert_int_equal(s_decode_error("{\"type\":\"explode\",\"v\":2}"), HQ_E_VERSION);
    assert_int_equal(s_decode_error("{\"v\":2}"), HQ_E_VERSION);
    assert_int_equal(s_decode_error("{\"type\":7,\"v\":\"1\"}"), HQ_E_VERSION);
    assert_int_equal(s_decode_error("{\"type\":\"call\",\"v\":2,\"counter\":\"x\"}"), HQ_E_VERSION);
    hq_request_t req;
    hq_error_t err;
    const char *j = "{\"type\":\"explode\",\"v\":2,\"id\":\"k\"}";
    assert_int_equal(hq_request_decode(j, strlen(j), &req, &err), HQ_MALFORMED);
    assert_string_equal(req.id, "k"); /* still echoed */
}

/* No refusal repeats what the request carried: here, an ID number in every place a malformed
 * request can put it. */
static void test_messages_quote_no_content(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "{\"type\":\"issue\",\"queue\":\"A\",\"id_number\":11010519491231002X}",
        "{\"type\":\"issue\",\"queue\":\"A\",\"id_number\":\"11010519491231002X\"",
        "{\"type\":\"issue\",\"queue\":\"A\",\"id_number\":\"11010519491231002\"}",
        "{\"type\":\"issue\",\"queue\":\"A\",\"11010519491231002X\":true}",
        "{\"type\":\"11010519491231002X\"}",
        "{\"type\":\"issue\",\"queue\":\"11010519491231002X\"}",
        "{\"type\":\"issue\",\"queue\":\"A\",\"token\":\"11010519491231002X\",\"token\":1}",
        "11010519491231002X",
        "{\"type\":\"login\",\"counter\":1,\"clerk\":\"11010519491231002X11010519491231002X\"}",
        "\"\xe5\xbc\xa0 11010519491231002X\xff\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hq_request_t req;
        hq_error_t err;
        assert_int_equal(hq_request_decode(bad[i], strlen(bad[i]), &req, &err), HQ_MALFORMED);
        assert_true(err.message[0] != '\0');
        if (strstr(err.message, "110105") || strstr(err.message, "1949") ||
            strstr(err.message, "\xe5\xbc\xa0"))
            fail_msg("case %zu: the message quotes the request: %s", i, err.message);
    }
}

/* The reason code travels with the ticket; a code this client does not know is no error. */
static void test_reason_codes(void **state)
{
    (void)state;
    for (int r = HQ_REASON_NONE + 1; r < HQ_REASON_COUNT_; r++) {
        assert_non_null(hq_reason_name((hq_reason_t)r));
        assert_int_equal(hq_reason_parse(hq_reason_name((hq_reason_t)r)), r);
    }
    assert_null(hq_reason_name(HQ_REASON_NONE));
    /* The English words and their code are one table: each reads back as its code. */
    for (int r = HQ_REASON_NONE + 1; r < HQ_REASON_COUNT_; r++) {
        char words[HQ_REASON_MAX];
        hq_reason_english((hq_reason_t)r, 31, words, sizeof words);
        assert_int_equal(hq_reason_of_english(words), r);
    }
    assert_int_equal(hq_reason_of_english("normal waited min"), HQ_REASON_NONE);
    assert_int_equal(hq_reason_of_english("3 green in a row"), HQ_REASON_NONE);
    assert_int_equal(hq_reason_of_english(""), HQ_REASON_NONE);
    hq_ticket_t t, back;
    memset(&t, 0, sizeof t);
    t.prefix = t.queue = 'B';
    t.reason_code = HQ_REASON_MAX_WAIT;
    strcpy(t.reason, "normal waited 31 min");
    json_t *j = hq_ticket_to_json(&t);
    assert_string_equal(json_string_value(json_object_get(j, "reason_code")), "max_wait");
    assert_int_equal(hq_ticket_from_json(j, &back, NULL), HQ_OK);
    assert_int_equal(back.reason_code, HQ_REASON_MAX_WAIT);
    json_object_set_new(j, "reason_code", json_string("a_reason_of_the_future_and_then_some"));
    assert_int_equal(hq_ticket_from_json(j, &back, NULL), HQ_OK);
    assert_int_equal(back.reason_code, HQ_REASON_NONE);
    assert_string_equal(back.reason, "normal waited 31 min");
    json_object_set_new(j, "reason_code", json_integer(2));
    assert_int_equal(hq_ticket_from_json(j, &back, NULL), HQ_MALFORMED);
    json_decref(j);
    /* No code: null on the wire, whatever the words (the store reads old rows' words back). */
    t.reason_code = HQ_REASON_NONE;
    j = hq_ticket_to_json(&t);
    assert_true(json_is_null(json_object_get(j, "reason_code")));
    json_decref(j);
}

/* ---- the catalog reply ------------------------------------------------------------------- */
static const char *s_catalog_json =
    "{\"v\":1,\"type\":\"catalog\",\"ok\":true,"
    "\"hall\":{\"name\":\"医保服务大厅\",\"notice\":\"请按叫号顺序\","
    "\"ticket_footer\":\"当日有效\",\"timezone\":\"Asia/Shanghai\"},"
    "\"rules\":{\"elderly_age\":65,\"green_max_in_row\":2,\"normal_max_wait_min\":20,"
    "\"handling_target_min\":12,\"noshow_after_calls\":3,\"heartbeat_ms\":500},"
    "\"queues\":[{\"prefix\":\"A\",\"name\":\"参保登记与变更\",\"instant\":true},"
    "{\"prefix\":\"E\",\"name\":\"待遇审核\",\"instant\":false}],"
    "\"services\":[{\"no\":3,\"queue\":\"A\",\"main_item\":\"参保登记\",\"sub_item\":"
    "\"城乡居民参保登记\",\"materials\":[\"有效身份证件\",\"\",7],\"time_limit\":\"即时办结\","
    "\"instant\":true,\"mode\":\"direct\",\"steps\":\"受理\"},"
    "{\"no\":14,\"queue\":\"E\",\"main_item\":\"门诊慢特病\",\"materials\":\"none\"}],"
    "\"counters\":[{\"id\":1,\"queues\":\"AE\"},{\"id\":2,\"queues\":\"A\"}]}";

static void test_catalog_decodes(void **state)
{
    (void)state;
    json_t *j = json_loads(s_catalog_json, 0, NULL);
    assert_non_null(j);
    hq_catalog_t cat;
    hq_error_t err;
    assert_int_equal(hq_catalog_decode(j, &cat, &err), HQ_OK);
    json_decref(j); /* the catalog keeps its own reference */
    assert_int_equal(cat.nskipped, 0);
    assert_string_equal(cat.hall_name, "医保服务大厅");
    assert_string_equal(cat.notice, "请按叫号顺序");
    assert_string_equal(cat.footer, "当日有效");
    assert_string_equal(cat.timezone, "Asia/Shanghai");
    assert_int_equal(cat.rules.elderly_age, 65);
    assert_int_equal(cat.rules.green_max_in_row, 2);
    assert_int_equal(cat.rules.normal_max_wait_min, 20);
    assert_int_equal(cat.rules.handling_target_min, 12);
    assert_int_equal(cat.rules.noshow_after_calls, 3);
    assert_int_equal(cat.rules.heartbeat_ms, 500);
    assert_int_equal(cat.nqueues, 2);
    assert_string_equal(hq_catalog_queue(&cat, 'E')->name, "待遇审核");
    assert_false(hq_catalog_queue(&cat, 'E')->instant);
    assert_null(hq_catalog_queue(&cat, 'B'));
    const hq_catalog_service_t *s = hq_catalog_service(&cat, 3);
    assert_non_null(s);
    assert_string_equal(s->name, "城乡居民参保登记");
    assert_int_equal(s->nmaterials, 1); /* the empty and the non-string are left out */
    assert_string_equal(s->materials[0], "有效身份证件");
    assert_string_equal(s->time_limit, "即时办结");
    assert_true(s->instant);
    s = hq_catalog_service(&cat, 14);
    assert_string_equal(s->name, "门诊慢特病"); /* no sub item: the main item */
    assert_int_equal(s->nmaterials, 0);
    assert_string_equal(s->steps, "");
    assert_int_equal(cat.ncounters, 2);
    assert_string_equal(cat.counters[0].queues, "AE");
    hq_catalog_clear(&cat);
    hq_catalog_clear(&cat);
    assert_int_equal(cat.rules.elderly_age, 60);
}

static void test_catalog_bad_parts(void **state)
{
    (void)state;
    /* One bad entry or rule is left out, counted and named; the rest is read. */
    json_t *j = json_loads("{\"queues\":[{\"prefix\":\"a\"},{\"prefix\":\"B\"}],"
                           "\"services\":[\"junk\",{\"no\":0,\"queue\":\"B\"},"
                           "{\"no\":5,\"queue\":\"BB\"},{\"no\":6,\"queue\":\"B\"}],"
                           "\"counters\":[{\"id\":\"1\"}],"
                           "\"rules\":{\"elderly_age\":-3,\"noshow_after_calls\":\"2\"}}",
                           0, NULL);
    hq_catalog_t cat;
    hq_error_t err;
    assert_int_equal(hq_catalog_decode(j, &cat, &err), HQ_OK);
    assert_int_equal(cat.nskipped, 7);
    assert_non_null(strstr(err.message, "elderly_age"));
    assert_int_equal(cat.rules.elderly_age, 60);
    assert_int_equal(cat.nqueues, 1);
    assert_int_equal(cat.nservices, 1);
    assert_int_equal(cat.services[0].no, 6);
    assert_int_equal(cat.ncounters, 0);
    assert_string_equal(cat.hall_name, "");
    hq_catalog_clear(&cat);
    json_decref(j);
    /* A part of the wrong kind refuses the whole reply. */
    static const char *const bad[] = {"[]",
                                      "{\"services\":{}}",
                                      "{\"queues\":\"A\"}",
                                      "{\"hall\":\"x\"}",
                                      "{\"rules\":[]}",
                                      "{\"counters\":1}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        j = json_loads(bad[i], JSON_DECODE_ANY, NULL);
        assert_int_equal(hq_catalog_decode(j, &cat, &err), HQ_MALFORMED);
        assert_true(err.message[0] != '\0');
        assert_null(cat.root);
        json_decref(j);
    }
    assert_int_equal(hq_catalog_decode(NULL, &cat, &err), HQ_MALFORMED);
}

/* hq_json_compact writes what jansson's own encoder writes, for every kind of value. */
static void s_same_as_jansson(json_t *v)
{
    char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    size_t len = 0;
    char *got = hq_json_compact(v, &len);
    assert_non_null(want);
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_int_equal(len, strlen(want));
    free(want);
    free(got);
    json_decref(v);
}

static void test_compact_json_matches_jansson(void **state)
{
    (void)state;
    s_same_as_jansson(json_pack(
        "{s:s, s:i, s:I, s:b, s:n, s:f, s:[], s:{}}", "label", "请A001号到3号窗口办理", "counter",
        3, "ms", (json_int_t)1779000000123LL, "green", 1, "none", "real", 0.1, "empty", "obj"));
    s_same_as_jansson(json_pack("[I, I, I, i, f, f, f, f, f, f]", (json_int_t)INT64_MIN,
                                (json_int_t)INT64_MAX, (json_int_t)-1, 0, 3.0, -2.5e-300, 1e300,
                                123456789.125, 1e-5, 5e22));
    /* Every escape jansson writes, an embedded NUL, and '/' and DEL left alone. */
    static const char odd[] = "q\"b\\s\b\f\n\r\t\x01\x1f\x7f/\0end";
    s_same_as_jansson(json_stringn(odd, sizeof odd - 1));
    s_same_as_jansson(json_string(""));
    s_same_as_jansson(json_pack("{s:{s:[{s:[[],{}]}]}}", "a", "b\"", "c\n"));
    json_t *big = json_array();
    for (int i = 0; i < 2000; i++)
        json_array_append_new(big, json_pack("{s:i, s:s}", "n", i * 7919 - 5000, "t", "长"));
    s_same_as_jansson(big);
    s_same_as_jansson(json_true());
    assert_null(hq_json_compact(NULL, NULL));
}

/* Free text is text: clerk names, pause reasons and tokens with a control character (an
 * escape sequence starts with one), DEL, a C1 control or bytes that are not UTF-8 are refused
 * as bad_field, naming the field and never quoting it. */
static void test_free_text_is_text(void **state)
{
    (void)state;
    static const char *const bad[] = {"\\u001b[2J", "a\\u001bc", "\\t",     "a\\nb",
                                      "a\\rb",      "\x7f",      "\\u007f", "\\u0085",
                                      "\\u009b2J",  "\xc2\x9b!", "a\\u0007"};
    static const char *const shapes[][2] = {
        {"{\"type\":\"login\",\"counter\":1,\"clerk\":\"", "clerk"},
        {"{\"type\":\"pause\",\"counter\":1,\"reason\":\"", "reason"},
        {"{\"type\":\"issue\",\"queue\":\"A\",\"token\":\"", "token"},
        {"{\"type\":\"ping\",\"id\":\"", "id"},
    };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            char json[200], field[40];
            snprintf(json, sizeof json, "%s%s\"}", shapes[s][0], bad[i]);
            hq_request_t req;
            hq_error_t err;
            if (hq_request_decode(json, strlen(json), &req, &err) != HQ_MALFORMED ||
                err.code != HQ_E_BAD_FIELD)
                fail_msg("accepted or wrong code: %s", json);
            snprintf(field, sizeof field, "field '%s' contains a control character", shapes[s][1]);
            if (!strstr(err.message, field) || strstr(err.message, "2J"))
                fail_msg("%s: message '%s'", json, err.message);
        }
    /* Raw bytes that are not UTF-8 never reach a field: the JSON parser refuses the frame. */
    assert_int_equal(s_decode_error("{\"type\":\"login\",\"counter\":1,\"clerk\":\"\xff\"}"),
                     HQ_E_MALFORMED);
    assert_int_equal(s_decode_error("{\"type\":\"login\",\"counter\":1,\"clerk\":\"\xc0\xaf\"}"),
                     HQ_E_MALFORMED);
    assert_int_equal(s_decode_error("{\"type\":\"pause\",\"counter\":1,\"reason\":\"\\ud800\"}"),
                     HQ_E_MALFORMED);
    /* Text in any script, symbols and the widest code points pass. */
    assert_int_equal(s_decode_error("{\"type\":\"login\",\"counter\":1,\"clerk\":\"王小明 Ω\"}"),
                     HQ_E_NONE);
    assert_int_equal(s_decode_error("{\"type\":\"pause\",\"counter\":1,\"reason\":\"午休 "
                                    "\\u00a0\\ud83d\\ude00\xf4\x8f\xbf\xbf\"}"),
                     HQ_E_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_request_round_trips),
        cmocka_unit_test(test_issue_with_id_number),
        cmocka_unit_test(test_malformed_frames),
        cmocka_unit_test(test_type_problems),
        cmocka_unit_test(test_field_problems),
        cmocka_unit_test(test_oversize_is_refused_before_parsing),
        cmocka_unit_test(test_error_reply_keeps_id_and_type),
        cmocka_unit_test(test_ticket_and_counter_round_trip),
        cmocka_unit_test(test_bad_ticket_json),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_events_decode),
        cmocka_unit_test(test_compact_json_matches_jansson),
        cmocka_unit_test(test_integer_id_echoed_as_integer),
        cmocka_unit_test(test_refusal_without_type),
        cmocka_unit_test(test_id_number_length),
        cmocka_unit_test(test_version_before_type),
        cmocka_unit_test(test_messages_quote_no_content),
        cmocka_unit_test(test_reason_codes),
        cmocka_unit_test(test_catalog_decodes),
        cmocka_unit_test(test_catalog_bad_parts),
        cmocka_unit_test(test_free_text_is_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
