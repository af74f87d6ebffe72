/* Midnight with a full hall: 100 windows (the load test's size; the config allows 128), each
 * open, and a green streak kept by the hall, cross a live midnight driven by the test's clock;
 * a restart the same day must bring back exactly what memory held, the streak started again.
 * The streak is the hall's: green calls at any window count towards green_max_in_row, and a
 * restart the same day keeps it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sqlite3.h>
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

static void s_issue(server_t *srv, char queue, int elderly, int64_t now)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = queue;
    req.elderly = elderly;
    json_decref(s_do(srv, &req, now));
}

/* Every window logged in; one normal ticket waits throughout, and windows 1 to `greens` each
 * call a green ticket before it: the hall's streak is `greens`. */
static void s_open_hall(server_t *srv, int greens, int64_t *now)
{
    s_issue(srv, 'A', 0, *now);
    for (int id = 1; id <= NCOUNTERS; id++) {
        hq_request_t req;
        hq_request_init(&req, HQ_REQ_LOGIN);
        req.counter = id;
        snprintf(req.clerk, sizeof req.clerk, "clerk%d", id);
        json_decref(s_do(srv, &req, *now));
    }
    for (int i = 0; i < greens; i++)
        s_issue(srv, 'B', 1, *now += 1000);
    for (int id = 1; id <= greens; id++) {
        *now += 1000;
        s_ok(srv, HQ_REQ_CALL, id, *now);
        s_ok(srv, HQ_REQ_FINISH, id, *now + 500);
    }
    assert_int_equal(hall_green_streak(server_hall(srv)), greens);
}

static void test_every_window_survives_a_live_midnight(void **state)
{
    hc_fixture_t *fx = *state;
    char why[512];
    assert_int_equal(fx->cfg.ncounters, NCOUNTERS);
    int64_t now = DAY1_10H;
    assert_non_null(hc_start(fx, now));
    s_open_hall(fx->srv, 2, &now);

    /* Midnight, as the loop's once-a-second day check sees it. */
    now = DAY2_0H + 400;
    server_check_day(fx->srv, now);
    const hall_t *mem = server_hall(fx->srv);
    assert_string_equal(hall_day(mem), "2026-11-24");
    assert_int_equal(hall_green_streak(mem), 0);
    /* What memory holds now is what the database gives back. */
    if (hc_memory_is_the_store(fx->srv, &fx->cfg, now, why, sizeof why) != 0)
        fail_msg("after the rollover: %s", why);

    /* A restart the same morning: the new daemon's memory is the old one's, window by window
     * (every window written at midnight) and the streak started again. */
    hc_image_t before, after;
    hc_capture(&fx->cfg, mem, now, &before);
    assert_non_null(hc_start(fx, now + 5000));
    hc_capture(&fx->cfg, server_hall(fx->srv), now, &after);
    /* The daemon's last act at shutdown is the metric entry: one event more. */
    assert_int_equal(after.seq, before.seq + 1);
    after.seq = before.seq;
    json_object_set_new(after.snapshot, "seq", json_integer(before.seq));
    if (after.green_streak != 0)
        fail_msg("the hall came back with yesterday's green streak %d", after.green_streak);
    if (hc_same_image(&before, &after, why, sizeof why) != 0)
        fail_msg("after the restart: %s", why);
    hc_image_free(&before);
    hc_image_free(&after);
}

/* The daemon down over midnight: the restart in the morning must do what a live midnight
 * would have done (start the streak again, expire yesterday's open tickets, say so in a day
 * event), not carry yesterday's into the new day. */
static void test_a_restart_after_midnight_is_a_midnight(void **state)
{
    hc_fixture_t *fx = *state;
    char why[512];
    int64_t now = DAY1_10H;
    assert_non_null(hc_start(fx, now));
    s_open_hall(fx->srv, 2, &now);
    int64_t seq = hall_seq(server_hall(fx->srv));
    server_destroy(&fx->srv);

    now = DAY2_0H + 7 * 3600 * 1000LL; /* opening time the next morning */
    assert_non_null(hc_start(fx, now));
    const hall_t *mem = server_hall(fx->srv);
    assert_string_equal(hall_day(mem), "2026-11-24");
    if (hall_green_streak(mem) != 0)
        fail_msg("the day started with yesterday's green streak %d", hall_green_streak(mem));
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

/* green_max_in_row (3) green calls at three different windows, a restart, then a fourth
 * window calls: the normal ticket that waited through them, not a fourth green one. A
 * database from before the streak was the hall's (per window, nothing in meta) loads its
 * largest window streak. */
static void test_the_halls_streak_survives_a_restart(void **state)
{
    hc_fixture_t *fx = *state;
    char why[512];
    int64_t now = DAY1_10H;
    assert_non_null(hc_start(fx, now));
    s_issue(fx->srv, 'B', 1, now); /* one more green than the windows call */
    s_open_hall(fx->srv, 3, &now);
    assert_non_null(hc_start(fx, now += 1000));
    assert_int_equal(hall_green_streak(server_hall(fx->srv)), 3);
    if (hc_memory_is_the_store(fx->srv, &fx->cfg, now, why, sizeof why) != 0)
        fail_msg("after the restart: %s", why);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CALL);
    req.counter = 4;
    json_t *reply = s_do(fx->srv, &req, now += 1000);
    json_t *t = json_object_get(reply, "ticket");
    assert_string_equal(json_string_value(json_object_get(t, "label")), "A001");
    assert_string_equal(json_string_value(json_object_get(reply, "reason")),
                        "3 green in a row, normal's turn");
    json_decref(reply);
    assert_int_equal(hall_green_streak(server_hall(fx->srv)), 0);

    /* An old database: the streak in the counters table only. */
    server_destroy(&fx->srv);
    char path[128];
    snprintf(path, sizeof path, "%s/hallq.db", fx->dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "DELETE FROM meta WHERE key = 'green_streak';"
                                  "UPDATE counters SET green_streak = 1 WHERE id = 5;"
                                  "UPDATE counters SET green_streak = 2 WHERE id = 7;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_non_null(hc_start(fx, now += 1000));
    assert_int_equal(hall_green_streak(server_hall(fx->srv)), 2);
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
        cmocka_unit_test_setup_teardown(test_the_halls_streak_survives_a_restart, s_setup,
                                        hc_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
