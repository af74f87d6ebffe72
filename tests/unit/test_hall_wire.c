/* The issue's reply and event written as text (hall_wire_t.as_text) against the trees the
 * other requests still build: the same bytes, over issues of every kind the hall makes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hall_fixture.h"
#include "webtoken.h"

/* Writes r's wire forms both ways and compares the reply and each numbered event. */
static void s_compare(fx_t *fx, const hq_request_t *req, const hall_result_t *r)
{
    hall_wire_t tree, text;
    hall_wire_init(&tree);
    hall_wire_init(&text);
    text.as_text = 1;
    assert_int_equal(hall_wire_write(fx->hall, req, r, fx->now, &tree), 0);
    assert_int_equal(hall_wire_write(fx->hall, req, r, fx->now, &text), 0);
    /* An issue that made a ticket takes the text path; anything else keeps its tree. */
    if (r->error.code == HQ_E_NONE && r->ticket) {
        assert_null(text.reply);
        assert_non_null(text.reply_text);
        size_t len = 0;
        char *want = hq_json_compact(tree.reply, &len);
        assert_non_null(want);
        assert_string_equal(text.reply_text, want);
        assert_int_equal(text.reply_len, len);
        const hq_ticket_t *t = hall_ticket(fx->hall, r->ticket);
        assert_string_equal(text.label, t->label);
        free(want);
    } else {
        assert_null(text.reply_text);
    }
    for (int i = 0; i < r->nevents; i++) {
        /* Numbered twice, as a batch written anew would: the second number replaces the first. */
        for (int64_t seq = 41; seq <= 42; seq++) {
            const char *want = hall_wire_number(&tree, i, seq, fx->now + seq);
            const char *got = hall_wire_number(&text, i, seq, fx->now + seq);
            assert_non_null(want);
            assert_non_null(got);
            assert_string_equal(got, want);
        }
    }
    hall_wire_clear(&tree);
    hall_wire_clear(&text);
}

static void s_issue(fx_t *fx, hq_request_t *req)
{
    hall_result_t r;
    hall_result_init(&r);
    hall_handle(fx->hall, req, fx->now, &r);
    s_compare(fx, req, &r);
    hall_result_clear(&r);
    fx->now += MIN;
}

static void test_issue_text_is_the_tree(void **state)
{
    fx_t *fx = *state;
    hq_request_t req;
    int service = 0;
    char queue = 'A';
    for (int i = 0; i < fx->cfg.nservices; i++)
        if (config_service_offered(&fx->cfg, &fx->cfg.services[i])) {
            service = fx->cfg.services[i].no;
            queue = fx->cfg.services[i].queue;
            break;
        }
    assert_true(service > 0);
    for (int round = 0; round < 2; round++) {
        if (round == 1) {
            /* A window calls one: the waiting counts and the average wait move. */
            hf_login(fx, 1, "clerk1");
            assert_true(CALL(fx, 1)[0] != '\0');
            fx->now += 5 * MIN;
            /* With the web key, the reply carries the ticket's token. */
            uint8_t key[WEBTOKEN_KEY_BYTES];
            memset(key, 7, sizeof key);
            hall_set_web_key(fx->hall, key, sizeof key);
        }
        hq_request_init(&req, HQ_REQ_ISSUE); /* no id */
        req.queue = 'A';
        s_issue(fx, &req);
        hq_request_init(&req, HQ_REQ_ISSUE);
        req.queue = 'B';
        strcpy(req.id, "kiosk-\"7\"\\\x01"); /* a string id that needs escapes */
        s_issue(fx, &req);
        hq_request_init(&req, HQ_REQ_ISSUE);
        req.queue = queue;
        req.service = service;
        strcpy(req.id, "-12");
        req.id_integer = 1;
        s_issue(fx, &req);
        hq_request_init(&req, HQ_REQ_ISSUE);
        req.queue = queue;
        strcpy(req.id, "0012"); /* came as a string of digits: stays one */
        strcpy(req.id_number, round ? "110105199003070017" : "11010519491231002X");
        s_issue(fx, &req);
        hq_request_init(&req, HQ_REQ_ISSUE);
        req.queue = 'A';
        req.elderly = 1; /* the green lane */
        s_issue(fx, &req);
        /* A token's repeat: the same ticket again, no event. */
        hq_request_init(&req, HQ_REQ_ISSUE);
        req.queue = 'A';
        snprintf(req.token, sizeof req.token, "kiosk1-%d", round);
        s_issue(fx, &req);
        s_issue(fx, &req);
        /* Refused: the tree, both ways. */
        hq_request_init(&req, HQ_REQ_ISSUE);
        req.queue = 'Z';
        s_issue(fx, &req);
    }
}

/* Every field of a ticket, set and unset, escapes included: hq_ticket_write is
 * hq_ticket_to_json compacted. */
static void test_ticket_text_is_the_tree(void **state)
{
    (void)state;
    for (int full = 0; full < 2; full++) {
        hq_ticket_t t;
        memset(&t, 0, sizeof t);
        t.id = 9000000001LL;
        strcpy(t.day, "2026-11-23");
        strcpy(t.label, "A001");
        t.prefix = 'A';
        t.queue = 'A';
        t.number = 1;
        t.issued_ms = T0;
        t.state = HQ_T_WAITING;
        if (full) {
            t.queue = 'B';
            t.service = 101;
            t.green = 1;
            strcpy(t.age_band, "70+");
            t.state = HQ_T_SERVING;
            t.called_ms = T0 + 1;
            t.last_called_ms = T0 + 2;
            t.started_ms = T0 + 3;
            t.finished_ms = T0 + 4;
            t.parked_ms = T0 + 5;
            t.park_total_ms = 6;
            t.calls = 2;
            t.counter = 12;
            strcpy(t.clerk, "王\"小\\明\t");
            strcpy(t.reason, "longest wait\n");
            t.reason_code = HQ_REASON_COUNT_ - 1;
            t.rating = 5;
            t.transfers = 1;
            t.extended = 1;
            t.slot_ms = T0 + 7;
        }
        json_t *j = hq_ticket_to_json(&t);
        char *want = hq_json_compact(j, NULL);
        hq_jtext_t o = {0};
        hq_ticket_write(&o, &t);
        assert_string_equal(hq_jtext_end(&o), want);
        hq_jtext_free(&o);
        free(want);
        json_decref(j);
    }
}

#define T(f) cmocka_unit_test_setup_teardown(f, hf_setup, hf_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_issue_text_is_the_tree),
        cmocka_unit_test(test_ticket_text_is_the_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
