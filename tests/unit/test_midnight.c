/* Midnight with a full hall: 100 windows (the load test's size; the config allows 128), each
 * with a green streak, cross a live midnight driven by the test's clock; a restart the same
 * day must bring back exactly what memory held, streaks reset on every window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "hall_check.h"

#define NCOUNTERS 100
#define DAY1_10H 1795399200000LL /* 2026-11-23 10:00 in Shanghai */
#define DAY2_0H 1795449600000LL  /* 2026-11-24 00:00 */

static json_t *s_do(server_t *srv, hq_request_t *req, int64_t now)
{
    json_t *reply = server_handle(srv, req, now);
    assert_non_null(reply);
    if (!json_is_true(json_object_get(reply, "ok")))
        fail_msg("%s refused: %s", hq_req_type_name(req->type),
                 json_string_value(json_object_get(json_object_get(reply, "error"), "message")));
    return reply;
}

static void s_ok(server_t *srv, hq_req_type_t type, int counter, int64_t now)
{
    hq_request_t req;
    hq_request_init(&req, type);
    req.counter = counter;
    json_decref(s_do(srv, &req, now));
}

/* Every window logged in with a green streak of 1 (one normal ticket waits throughout; each
 * window calls a green one before it). */
static void s_green_streak_everywhere(server_t *srv, int64_t *now)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'A';
    json_decref(s_do(srv, &req, *now));
    for (int id = 1; id <= NCOUNTERS; id++) {
        hq_request_init(&req, HQ_REQ_LOGIN);
        req.counter = id;
        snprintf(req.clerk, sizeof req.clerk, "clerk%d", id);
        json_decref(s_do(srv, &req, *now));
        hq_request_init(&req, HQ_REQ_ISSUE);
        req.queue = 'B';
        req.elderly = 1;
        json_decref(s_do(srv, &req, *now += 1000));
    }
    for (int id = 1; id <= NCOUNTERS; id++) {
        *now += 1000;
        s_ok(srv, HQ_REQ_CALL, id, *now);
        s_ok(srv, HQ_REQ_FINISH, id, *now + 500);
    }
    for (int id = 1; id <= NCOUNTERS; id++)
        assert_int_equal(hall_counter(server_hall(srv), id)->green_streak, 1);
}

static void test_every_window_survives_a_live_midnight(void **state)
{
    hc_fixture_t *fx = *state;
    char why[512];
    assert_int_equal(fx->cfg.ncounters, NCOUNTERS);
    int64_t now = DAY1_10H;
    assert_non_null(hc_start(fx, now));
    s_green_streak_everywhere(fx->srv, &now);

    /* Midnight, as the loop's once-a-second day check sees it. */
    now = DAY2_0H + 400;
    server_check_day(fx->srv, now);
    const hall_t *mem = server_hall(fx->srv);
    assert_string_equal(hall_day(mem), "2026-11-24");
    for (int id = 1; id <= NCOUNTERS; id++)
        assert_int_equal(hall_counter(mem, id)->green_streak, 0);
    /* What memory holds now is what the database gives back. */
    if (hc_memory_is_the_store(fx->srv, &fx->cfg, now, why, sizeof why) != 0)
        fail_msg("after the rollover: %s", why);

    /* A restart the same morning: the new daemon's memory is the old one's, window by window
     * (no yesterday's streak on windows 9 and up). */
    hc_image_t before, after;
    hc_capture(&fx->cfg, mem, now, &before);
    assert_non_null(hc_start(fx, now + 5000));
    hc_capture(&fx->cfg, server_hall(fx->srv), now, &after);
    /* The daemon's last act at shutdown is the metric entry: one event more. */
    assert_int_equal(after.seq, before.seq + 1);
    after.seq = before.seq;
    json_object_set_new(after.snapshot, "seq", json_integer(before.seq));
    for (int i = 0; i < NCOUNTERS; i++)
        if (after.counters[i].green_streak != 0)
            fail_msg("window %d came back with yesterday's green streak %d", after.counters[i].id,
                     after.counters[i].green_streak);
    if (hc_same_image(&before, &after, why, sizeof why) != 0)
        fail_msg("after the restart: %s", why);
    hc_image_free(&before);
    hc_image_free(&after);
}

/* The daemon down over midnight: the restart in the morning must do what a live midnight
 * would have done (reset every streak, expire yesterday's open tickets, say so in a day
 * event), not carry yesterday's counters into the new day. */
static void test_a_restart_after_midnight_is_a_midnight(void **state)
{
    hc_fixture_t *fx = *state;
    char why[512];
    int64_t now = DAY1_10H;
    assert_non_null(hc_start(fx, now));
    s_green_streak_everywhere(fx->srv, &now);
    int64_t seq = hall_seq(server_hall(fx->srv));
    server_destroy(&fx->srv);

    now = DAY2_0H + 7 * 3600 * 1000LL; /* opening time the next morning */
    assert_non_null(hc_start(fx, now));
    const hall_t *mem = server_hall(fx->srv);
    assert_string_equal(hall_day(mem), "2026-11-24");
    for (int id = 1; id <= NCOUNTERS; id++)
        if (hall_counter(mem, id)->green_streak != 0)
            fail_msg("window %d started the day with yesterday's green streak %d", id,
                     hall_counter(mem, id)->green_streak);
    /* the normal ticket that waited all day expired; the day event says the day changed */
    const hq_ticket_t *t = hall_ticket(mem, 1);
    assert_true(t == NULL || t->state == HQ_T_EXPIRED);
    assert_true(hall_seq(mem) >= seq + 2); /* the shutdown's metric entry, the day event */
    if (hc_memory_is_the_store(fx->srv, &fx->cfg, now, why, sizeof why) != 0)
        fail_msg("after the morning start: %s", why);
    /* and the numbering starts again */
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'B';
    json_t *reply = s_do(fx->srv, &req, now);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(reply, "ticket"), "label")), "B001");
    json_decref(reply);
}

static int s_setup(void **state)
{
    return hc_setup(state, NCOUNTERS);
}

int main(void)
{
    hc_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_window_survives_a_live_midnight, s_setup,
                                        hc_teardown),
        cmocka_unit_test_setup_teardown(test_a_restart_after_midnight_is_a_midnight, s_setup,
                                        hc_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
