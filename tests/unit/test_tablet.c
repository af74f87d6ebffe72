/* A window's rating tablet stays paired across a restart of the daemon: the pairing is in the
 * store, as the hash of the tablet's secret (the file never holds the secret); a new pairing
 * replaces the old one there too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "hall_check.h"

#define DAY1_10H 1795399200000LL /* 2026-11-23 10:00 in Shanghai */

static json_t *s_ask(server_t *srv, hq_request_t *req, int64_t now)
{
    json_t *reply = server_handle(srv, req, now);
    assert_non_null(reply);
    return reply;
}

static json_t *s_do(server_t *srv, hq_request_t *req, int64_t now)
{
    json_t *reply = s_ask(srv, req, now);
    if (!json_is_true(json_object_get(reply, "ok")))
        fail_msg("%s refused: %s", hq_req_type_name(req->type),
                 json_string_value(json_object_get(json_object_get(reply, "error"), "message")));
    return reply;
}

/* Pairs a tablet with `counter` (the clerk's code, the tablet's claim): its secret. */
static void s_pair(server_t *srv, int counter, int64_t now, char secret[33])
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_PAIR);
    req.counter = counter;
    json_t *reply = s_do(srv, &req, now);
    char code[8];
    hq_strlcpy(code, json_string_value(json_object_get(reply, "code")), sizeof code);
    json_decref(reply);
    hq_request_init(&req, HQ_REQ_CLAIM);
    hq_strlcpy(req.token, code, sizeof req.token);
    reply = s_do(srv, &req, now + 1000);
    assert_int_equal(json_integer_value(json_object_get(reply, "counter")), counter);
    hq_strlcpy(secret, json_string_value(json_object_get(reply, "tablet")), 33);
    assert_int_equal(strlen(secret), 32);
    json_decref(reply);
}

/* A ticket issued, called and finished at `counter`: its label. */
static void s_served(server_t *srv, int counter, int64_t now, char label[8])
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'A';
    json_decref(s_do(srv, &req, now));
    hq_request_init(&req, HQ_REQ_CALL);
    req.counter = counter;
    json_t *reply = s_do(srv, &req, now + 1000);
    hq_strlcpy(label, json_string_value(json_object_get(json_object_get(reply, "ticket"), "label")),
               8);
    json_decref(reply);
    hq_request_init(&req, HQ_REQ_FINISH);
    req.counter = counter;
    json_decref(s_do(srv, &req, now + 60000));
}

/* A rating from the tablet holding `secret`: the error code, "" when accepted. */
static const char *s_rate(server_t *srv, const char *secret, const char *label, int64_t now)
{
    static char code[32];
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_TABLET_RATE);
    hq_strlcpy(req.token, secret, sizeof req.token);
    hq_strlcpy(req.number, label, sizeof req.number);
    req.rating = 5;
    json_t *reply = s_ask(srv, &req, now);
    json_t *e = json_object_get(reply, "error");
    hq_strlcpy(code, e ? json_string_value(json_object_get(e, "code")) : "", sizeof code);
    json_decref(reply);
    return code;
}

static long long s_query(const hc_fixture_t *fx, const char *sql, const char *arg)
{
    char path[128];
    snprintf(path, sizeof path, "%s/hallq.db", fx->dir);
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (arg)
            sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void test_a_tablet_stays_paired_across_a_restart(void **state)
{
    hc_fixture_t *fx = *state;
    char why[512], secret[33], label[8];
    int64_t now = DAY1_10H;
    assert_non_null(hc_start(fx, now));
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_LOGIN);
    req.counter = 2;
    hq_strlcpy(req.clerk, "wang", sizeof req.clerk);
    json_decref(s_do(fx->srv, &req, now));
    s_pair(fx->srv, 2, now += 1000, secret);
    s_served(fx->srv, 2, now += 1000, label);
    if (hc_memory_is_the_store(fx->srv, &fx->cfg, now += 60000, why, sizeof why) != 0)
        fail_msg("after the pairing: %s", why);

    /* The file holds the secret's hash, never the secret. */
    char hash[HALL_TABLET_HASH + 1];
    hall_tablet_hash(secret, hash);
    assert_int_equal(s_query(fx, "SELECT counter FROM tablets WHERE secret_hash = ?1", hash), 2);
    assert_int_equal(s_query(fx, "SELECT count(*) FROM tablets WHERE secret_hash = ?1", secret), 0);

    /* The claim told the window's screens: its counter event says the tablet was paired. */
    assert_int_equal(s_query(fx,
                             "SELECT count(*) FROM events WHERE type = 'counter'"
                             " AND json_extract(body, '$.tablet_paired') = 1"
                             " AND json_extract(body, '$.counter.id') = 2"
                             " AND json_extract(body, '$.counter.tablet') = 1",
                             NULL),
                     1);

    assert_non_null(hc_start(fx, now += 1000));
    assert_string_equal(s_rate(fx->srv, secret, label, now += 1000), "");
    /* After the restart the hall's snapshot still says window 2 has its tablet, window 1
     * none (the snapshot's fields are the reply's). */
    hq_request_init(&req, HQ_REQ_SNAPSHOT);
    json_t *snap = s_do(fx->srv, &req, now);
    json_t *counters = json_object_get(snap, "counters");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(counters); i++) {
        json_t *c = json_array_get(counters, i);
        int id = (int)json_integer_value(json_object_get(c, "id"));
        if (id == 1 || id == 2) {
            assert_int_equal(json_is_true(json_object_get(c, "tablet")), id == 2);
            seen++;
        }
    }
    assert_int_equal(seen, 2);
    json_decref(snap);

    /* Paired again: the new tablet rates, the old one is paired with no window, also after a
     * restart. */
    char again[33], second[8];
    s_pair(fx->srv, 2, now += 1000, again);
    assert_string_not_equal(again, secret);
    s_served(fx->srv, 2, now += 1000, second);
    assert_non_null(hc_start(fx, now += 60000));
    assert_string_equal(s_rate(fx->srv, secret, second, now += 1000), "forbidden");
    assert_string_equal(s_rate(fx->srv, again, second, now += 1000), "");
    assert_int_equal(s_query(fx, "SELECT count(*) FROM tablets", NULL), 1);
}

static int s_setup(void **state)
{
    return hc_setup(state, 0);
}

int main(void)
{
    hc_init();
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_tablet_stays_paired_across_a_restart, s_setup,
                                        hc_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
