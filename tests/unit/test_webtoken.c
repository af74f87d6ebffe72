/* Web tokens (server/webtoken.h): the hall's key file, the token of a ticket, and the track
 * request that finds a ticket by it (and by nothing else). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hall_fixture.h"
#include "webtoken.h"

static void s_tmpdir(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/test_webtoken.XXXXXX");
    assert_non_null(mkdtemp(dir));
}

static void s_rmdir(const char *dir)
{
    char path[300];
    snprintf(path, sizeof path, "%s/%s", dir, WEBTOKEN_KEY_FILE);
    unlink(path);
    rmdir(dir);
}

/* Made once, private, and the same key when read again. */
static void test_key_file(void **state)
{
    (void)state;
    char dir[64], why[300], path[300];
    s_tmpdir(dir, sizeof dir);
    uint8_t a[WEBTOKEN_KEY_BYTES], b[WEBTOKEN_KEY_BYTES];
    assert_int_equal(webtoken_key_load(dir, a, why, sizeof why), 0);
    snprintf(path, sizeof path, "%s/%s", dir, WEBTOKEN_KEY_FILE);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(sb.st_size, WEBTOKEN_KEY_BYTES);
    assert_int_equal(webtoken_key_load(dir, b, why, sizeof why), 0);
    assert_memory_equal(a, b, sizeof a);
    /* Readable by others: refused, naming the file. */
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(webtoken_key_load(dir, b, why, sizeof why), -1);
    assert_non_null(strstr(why, path));
    assert_non_null(strstr(why, "chmod 600"));
    /* The wrong size: refused. */
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(truncate(path, 5), 0);
    assert_int_equal(webtoken_key_load(dir, b, why, sizeof why), -1);
    assert_non_null(strstr(why, "not a key of 32 bytes"));
    s_rmdir(dir);
}

/* 22 characters of base64url, by day and label, and only the right one matches. */
static void test_tokens(void **state)
{
    (void)state;
    uint8_t key[WEBTOKEN_KEY_BYTES] = {1, 2, 3};
    char t1[WEBTOKEN_TEXT_MAX], t2[WEBTOKEN_TEXT_MAX], t3[WEBTOKEN_TEXT_MAX];
    webtoken_make(key, "2026-12-07", "A001", t1);
    webtoken_make(key, "2026-12-07", "A002", t2);
    webtoken_make(key, "2026-12-08", "A001", t3);
    assert_int_equal(strlen(t1), 22);
    assert_int_equal(strspn(t1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                     22);
    assert_string_not_equal(t1, t2);
    assert_string_not_equal(t1, t3);
    assert_true(webtoken_matches(key, "2026-12-07", "A001", t1));
    assert_false(webtoken_matches(key, "2026-12-07", "A002", t1));
    assert_false(webtoken_matches(key, "2026-12-08", "A001", t1));
    char shorter[WEBTOKEN_TEXT_MAX];
    snprintf(shorter, sizeof shorter, "%.21s", t1);
    assert_false(webtoken_matches(key, "2026-12-07", "A001", shorter));
    key[0] ^= 1; /* another hall's key */
    assert_false(webtoken_matches(key, "2026-12-07", "A001", t1));
}

static json_t *s_track(fx_t *fx, const char *token, int *ok)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_TRACK);
    snprintf(req.token, sizeof req.token, "%s", token);
    return hf_do(fx, &req, ok, NULL);
}

/* The issue reply carries the token; track finds the ticket by it as it is now. */
static void test_issue_and_track(void **state)
{
    fx_t *fx = *state;
    uint8_t key[WEBTOKEN_KEY_BYTES];
    memset(key, 7, sizeof key);
    hall_set_web_key(fx->hall, key, sizeof key);
    char label[64];
    hf_issue(fx, 'A', 0, 0, NULL, label);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'A';
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    assert_true(ok);
    const char *token = json_string_value(json_object_get(reply, "web_token"));
    assert_non_null(token);
    char want[WEBTOKEN_TEXT_MAX];
    webtoken_make(key, "2026-11-23", "A002", want);
    assert_string_equal(token, want);
    char kept[WEBTOKEN_TEXT_MAX];
    snprintf(kept, sizeof kept, "%s", token);
    json_decref(reply);

    json_t *t = s_track(fx, kept, &ok);
    assert_true(ok);
    assert_string_equal(json_string_value(json_object_get(json_object_get(t, "ticket"), "label")),
                        "A002");
    assert_int_equal(json_integer_value(json_object_get(t, "ahead")), 1);
    assert_null(json_object_get(t, "web_token"));
    json_decref(t);

    /* A guess, a token of another day: unknown_ticket, naming nothing. */
    t = s_track(fx, "AAAAAAAAAAAAAAAAAAAAAA", &ok);
    assert_false(ok);
    assert_string_equal(json_string_value(json_object_get(json_object_get(t, "error"), "code")),
                        "unknown_ticket");
    char *text = json_dumps(t, 0);
    assert_null(strstr(text, "A00"));
    free(text);
    json_decref(t);
    /* Called, it is still found, at its window. */
    hf_login(fx, 1, "wang");
    assert_string_equal(CALL(fx, 1), "A001");
    hf_login(fx, 2, "li");
    assert_string_equal(CALL(fx, 2), "A002");
    t = s_track(fx, kept, &ok);
    assert_true(ok);
    json_t *tk = json_object_get(t, "ticket");
    assert_string_equal(json_string_value(json_object_get(tk, "state")), "called");
    assert_int_equal(json_integer_value(json_object_get(tk, "counter")), 2);
    assert_int_equal(json_integer_value(json_object_get(t, "ahead")), 0);
    json_decref(t);
    char other_day[WEBTOKEN_TEXT_MAX];
    webtoken_make(key, "2026-11-22", "A002", other_day);
    t = s_track(fx, other_day, &ok);
    assert_false(ok);
    json_decref(t);
}

/* The label track finds for a token, "" when it finds none. */
static const char *s_tracked(fx_t *fx, const char *token, char label[16])
{
    int ok;
    json_t *t = s_track(fx, token, &ok);
    const char *l = json_string_value(json_object_get(json_object_get(t, "ticket"), "label"));
    snprintf(label, 16, "%s", ok && l ? l : "");
    json_decref(t);
    return label;
}

/* Track finds tickets by an index of the day's tokens, built by the first question and kept
 * up to date by issues: tickets from before it and after it are found, and a new key, a new
 * day or a reload finds exactly what they should. */
static void test_track_index(void **state)
{
    fx_t *fx = *state;
    uint8_t key[WEBTOKEN_KEY_BYTES];
    memset(key, 9, sizeof key);
    hall_set_web_key(fx->hall, key, sizeof key);
    char label[64], got[16], tok[WEBTOKEN_TEXT_MAX];
    for (int i = 0; i < 300; i++)
        hf_issue(fx, i % 2 ? 'B' : 'A', 0, 0, NULL, label);
    webtoken_make(key, "2026-11-23", "B150", tok);
    assert_string_equal(s_tracked(fx, tok, got), "B150"); /* builds the index */
    webtoken_make(key, "2026-11-23", "A001", tok);
    assert_string_equal(s_tracked(fx, tok, got), "A001");
    hf_issue(fx, 'A', 0, 0, NULL, label); /* after the index: kept in it */
    assert_string_equal(label, "A151");
    webtoken_make(key, "2026-11-23", "A151", tok);
    assert_string_equal(s_tracked(fx, tok, got), "A151");
    webtoken_make(key, "2026-11-23", "A152", tok); /* not issued yet */
    assert_string_equal(s_tracked(fx, tok, got), "");

    /* Another key: the old links lead nowhere, the new ones to every ticket. */
    char old[WEBTOKEN_TEXT_MAX];
    webtoken_make(key, "2026-11-23", "A151", old);
    key[0] ^= 1;
    hall_set_web_key(fx->hall, key, sizeof key);
    assert_string_equal(s_tracked(fx, old, got), "");
    webtoken_make(key, "2026-11-23", "B003", tok);
    assert_string_equal(s_tracked(fx, tok, got), "B003");

    /* A reload of the same day (hall_reset, the tickets loaded again) finds them again. */
    size_t n = hall_ticket_count(fx->hall);
    hq_ticket_t *copy = malloc(n * sizeof *copy);
    assert_non_null(copy);
    for (size_t i = 0; i < n; i++)
        copy[i] = *hall_ticket_at(fx->hall, i);
    hall_reset(fx->hall, "2026-11-23");
    for (size_t i = 0; i < n; i++)
        assert_int_equal(hall_load_ticket(fx->hall, &copy[i]), 0);
    assert_int_equal(hall_finish_load(fx->hall, copy[n - 1].id + 1, 0), 0);
    free(copy);
    assert_string_equal(s_tracked(fx, tok, got), "B003");

    /* The next day: yesterday's links lead nowhere, today's first ticket is found. */
    hall_result_t r;
    hall_result_init(&r);
    assert_int_equal(hall_rollover(fx->hall, "2026-11-24", fx->now, &r), 1);
    hall_result_clear(&r);
    assert_string_equal(s_tracked(fx, tok, got), "");
    hf_issue(fx, 'A', 0, 0, NULL, label);
    assert_string_equal(label, "A001");
    webtoken_make(key, "2026-11-24", "A001", tok);
    assert_string_equal(s_tracked(fx, tok, got), "A001");
    webtoken_make(key, "2026-11-23", "A001", tok);
    assert_string_equal(s_tracked(fx, tok, got), "");
}

static const char *s_code(json_t *reply)
{
    return json_string_value(json_object_get(json_object_get(reply, "error"), "code"));
}

static json_t *s_tablet(fx_t *fx, hq_req_type_t type, const char *token, const char *number,
                        int rating, int *ok)
{
    hq_request_t req;
    hq_request_init(&req, type);
    req.counter = 1;
    snprintf(req.token, sizeof req.token, "%s", token);
    snprintf(req.number, sizeof req.number, "%s", number);
    req.rating = rating;
    return hf_do(fx, &req, ok, NULL);
}

/* A window's code pairs one tablet, once; the tablet rates its window's tickets, once each. */
static void test_tablet(void **state)
{
    fx_t *fx = *state;
    char label[64];
    int ok;
    hf_login(fx, 1, "wang");
    hf_login(fx, 2, "li");
    hf_issue(fx, 'A', 0, 0, NULL, label);
    hf_issue(fx, 'A', 0, 0, NULL, label);
    json_t *pair = s_tablet(fx, HQ_REQ_PAIR, "", "", 0, &ok);
    assert_true(ok);
    char code[8];
    snprintf(code, sizeof code, "%s", json_string_value(json_object_get(pair, "code")));
    assert_int_equal(strlen(code), 6);
    json_decref(pair);
    char wrong[8];
    snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1) % 1000000);
    json_t *r = s_tablet(fx, HQ_REQ_CLAIM, wrong, "", 0, &ok);
    assert_false(ok);
    assert_string_equal(s_code(r), "forbidden");
    json_decref(r);
    r = s_tablet(fx, HQ_REQ_CLAIM, code, "", 0, &ok);
    assert_true(ok);
    assert_int_equal(json_integer_value(json_object_get(r, "counter")), 1);
    char tablet[40];
    snprintf(tablet, sizeof tablet, "%s", json_string_value(json_object_get(r, "tablet")));
    assert_int_equal(strlen(tablet), 32);
    json_decref(r);
    r = s_tablet(fx, HQ_REQ_CLAIM, code, "", 0, &ok); /* spent */
    assert_false(ok);
    json_decref(r);

    assert_string_equal(CALL(fx, 1), "A001");
    assert_string_equal(CALL(fx, 2), "A002");
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_FINISH);
    req.counter = 1;
    json_decref(hf_do(fx, &req, &ok, NULL));
    req.counter = 2;
    json_decref(hf_do(fx, &req, &ok, NULL));
    r = s_tablet(fx, HQ_REQ_TABLET_RATE, tablet, "A001", 5, &ok);
    assert_true(ok);
    json_decref(r);
    r = s_tablet(fx, HQ_REQ_TABLET_RATE, tablet, "A001", 1, &ok);
    assert_false(ok);
    assert_string_equal(s_code(r), "bad_state"); /* already rated */
    json_decref(r);
    r = s_tablet(fx, HQ_REQ_TABLET_RATE, tablet, "A002", 5, &ok); /* window 2's */
    assert_false(ok);
    assert_string_equal(s_code(r), "forbidden");
    json_decref(r);
    r = s_tablet(fx, HQ_REQ_TABLET_RATE, "00000000000000000000000000000000", "A002", 5, &ok);
    assert_false(ok);
    assert_string_equal(s_code(r), "forbidden");
    json_decref(r);
}

/* [counter N] tablet = yes: the window's tickets take no clerk's rating. */
static void test_tablet_only(void **state)
{
    fx_t *fx = *state;
    char why[200];
    assert_int_equal(config_load_text(&fx->cfg, "[counter 1]\ntablet = yes\n[counter 2]\n",
                                      "t.conf", why, sizeof why),
                     0);
    assert_true(fx->cfg.counters[0].tablet);
    hall_destroy(&fx->hall);
    fx->hall = hall_new(&fx->cfg);
    hall_reset(fx->hall, "2026-11-23");
    hall_finish_load(fx->hall, 1, 0);
    char label[64];
    int ok;
    hf_login(fx, 1, "wang");
    hf_issue(fx, 'A', 0, 0, NULL, label);
    assert_string_equal(CALL(fx, 1), "A001");
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_FINISH);
    req.counter = 1;
    json_decref(hf_do(fx, &req, &ok, NULL));
    hq_request_init(&req, HQ_REQ_RATE);
    strcpy(req.number, "A001");
    req.rating = 5;
    json_t *r = hf_do(fx, &req, &ok, NULL);
    assert_false(ok);
    assert_non_null(
        strstr(json_string_value(json_object_get(json_object_get(r, "error"), "message")),
               "takes ratings from its rating tablet only"));
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_file),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test_setup_teardown(test_issue_and_track, hf_setup, hf_teardown),
        cmocka_unit_test_setup_teardown(test_track_index, hf_setup, hf_teardown),
        cmocka_unit_test_setup_teardown(test_tablet, hf_setup, hf_teardown),
        cmocka_unit_test_setup_teardown(test_tablet_only, hf_setup, hf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
