/* A booking asked for again with its idempotency token (a reply lost, hallq-web restarted
 * between a phone's two tries) is that booking again, also after a restart of the daemon: the
 * token is kept with the booking in the store. Another token is a new booking, held to the
 * per-person limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "hall_check.h"

#define ID1 "11010519491231002X"
#define DAY1_8H 1795392000000LL /* 2026-11-23 (a Monday) 08:00 in Shanghai */

/* A booking of queue A at 10:00 today for ID1 with `token` ("" none): the reply. */
static json_t *s_book(server_t *srv, const char *token, int64_t now)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_BOOK);
    req.queue = 'A';
    hq_strlcpy(req.date, "2026-11-23", sizeof req.date);
    req.slot = 10 * 60;
    hq_strlcpy(req.id_number, ID1, sizeof req.id_number);
    hq_strlcpy(req.token, token, sizeof req.token);
    json_t *reply = server_handle(srv, &req, now);
    assert_non_null(reply);
    return reply;
}

static const char *s_code(const json_t *reply)
{
    return json_string_value(json_object_get(json_object_get(reply, "booking"), "code"));
}

static void test_a_token_books_once_across_restarts(void **state)
{
    hc_fixture_t *fx = *state;
    char why[512];
    int64_t now = DAY1_8H;
    assert_non_null(hc_start(fx, now));
    json_t *first = s_book(fx->srv, "api:desk:order-17", now += 1000);
    assert_true(json_is_true(json_object_get(first, "ok")));
    assert_false(json_is_true(json_object_get(first, "repeat")));
    const char *code = s_code(first);
    assert_non_null(code);
    if (hc_memory_is_the_store(fx->srv, &fx->cfg, now, why, sizeof why) != 0)
        fail_msg("after the booking: %s", why);

    json_t *again = s_book(fx->srv, "api:desk:order-17", now += 1000);
    assert_true(json_is_true(json_object_get(again, "ok")));
    assert_true(json_is_true(json_object_get(again, "repeat")));
    assert_string_equal(s_code(again), code);
    json_decref(again);

    assert_non_null(hc_start(fx, now += 1000));
    again = s_book(fx->srv, "api:desk:order-17", now += 1000);
    assert_true(json_is_true(json_object_get(again, "ok")));
    assert_true(json_is_true(json_object_get(again, "repeat")));
    assert_string_equal(s_code(again), code);
    json_decref(again);

    /* Another token is another booking: the person holds one today already. */
    json_t *other = s_book(fx->srv, "api:desk:order-18", now += 1000);
    assert_true(json_is_false(json_object_get(other, "ok")));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(other, "error"), "detail")),
        "person_limit");
    json_decref(other);

    /* Within the lead time of its slot (60 minutes), where a new booking is too soon, the
     * token still finds it. */
    again = s_book(fx->srv, "api:desk:order-17", DAY1_8H + 90 * 60000);
    assert_true(json_is_true(json_object_get(again, "repeat")));
    assert_string_equal(s_code(again), code);
    json_decref(again);
    json_decref(first);
}

static int s_setup(void **state)
{
    if (hc_setup(state, 0) != 0)
        return -1;
    hc_fixture_t *fx = *state;
    char why[300];
    if (config_load_text(&fx->cfg,
                         "[appointments]\ndays_ahead = 5\nlead_min = 60\nper_person_day = 1\n"
                         "[slots A]\nweekdays = mon-fri\nhours = 09:00-11:00\nslot_min = 30\n"
                         "capacity = 2\n",
                         "t.conf", why, sizeof why) != 0) {
        fprintf(stderr, "%s\n", why);
        return -1;
    }
    fx->cfg.sync_full = 0;
    return 0;
}

int main(void)
{
    hc_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_token_books_once_across_restarts, s_setup,
                                        hc_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
