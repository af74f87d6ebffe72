/* The rules the hall checks for whoever asks, with the requester the server writes into each
 * request (origin_window, device): a window acts only on its own tickets, a kiosk's token is
 * its own, and a login passes the clerk roster. No sockets, no database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hall_fixture.h"

/* Runs a request; its error code ("" done) and message in msg. */
static const char *s_run(fx_t *fx, hq_request_t *req, char *msg)
{
    static char code[32];
    int ok;
    json_t *reply = hf_do(fx, req, &ok, NULL);
    const json_t *err = json_object_get(reply, "error");
    snprintf(code, sizeof code, "%s", ok ? "" : json_string_value(json_object_get(err, "code")));
    if (msg)
        snprintf(msg, 200, "%s", ok ? "" : json_string_value(json_object_get(err, "message")));
    json_decref(reply);
    return code;
}

/* A request on ticket `number` (and window `counter`, 0 none) sent from window `origin`. */
static hq_request_t s_req(hq_req_type_t type, const char *number, int counter, int origin)
{
    hq_request_t req;
    hq_request_init(&req, type);
    strcpy(req.number, number);
    req.counter = counter;
    req.origin_window = origin;
    if (type == HQ_REQ_RATE)
        req.rating = 5;
    return req;
}

/* At window 4: A001 finished, A002 marked no-show, A003 parked; window 3 open and idle. */
static void s_window_4_tickets(fx_t *fx)
{
    char l[64];
    hf_login(fx, 3, "zhang");
    hf_login(fx, 4, "wang");
    for (int i = 0; i < 3; i++)
        hf_issue(fx, 'A', 0, 0, NULL, l);
    assert_string_equal(CALL(fx, 4), "A001");
    assert_true(hf_counter_req(fx, HQ_REQ_FINISH, 4, NULL));
    assert_string_equal(CALL(fx, 4), "A002");
    assert_true(hf_counter_req(fx, HQ_REQ_RECALL, 4, NULL));
    assert_true(hf_counter_req(fx, HQ_REQ_NO_SHOW, 4, NULL));
    assert_string_equal(CALL(fx, 4), "A003");
    assert_true(hf_counter_req(fx, HQ_REQ_PARK, 4, NULL));
}

static const hq_ticket_t *s_ticket(fx_t *fx, const char *label)
{
    for (size_t i = 0; i < hall_ticket_count(fx->hall); i++)
        if (strcmp(hall_ticket_at(fx->hall, i)->label, label) == 0)
            return hall_ticket_at(fx->hall, i);
    return NULL;
}

/* Window 3's key may not rate, reactivate or take back what window 4 finished, marked or
 * parked; nothing changes and the message says whose ticket it is. */
static void test_other_windows_tickets_are_refused(void **state)
{
    fx_t *fx = *state;
    s_window_4_tickets(fx);
    char msg[200];
    hq_request_t req = s_req(HQ_REQ_RATE, "A001", 0, 3);
    assert_string_equal(s_run(fx, &req, msg), "forbidden");
    assert_string_equal(msg, "A001 belongs to window 4: a key of window 3 may not rate it");
    req = s_req(HQ_REQ_REACTIVATE, "A002", 0, 3);
    assert_string_equal(s_run(fx, &req, msg), "forbidden");
    assert_string_equal(msg, "A002 belongs to window 4: a key of window 3 may not reactivate it");
    req = s_req(HQ_REQ_UNPARK, "A003", 3, 3);
    assert_string_equal(s_run(fx, &req, msg), "forbidden");
    assert_string_equal(msg, "A003 belongs to window 4: a key of window 3 may not unpark it");
    assert_int_equal(s_ticket(fx, "A001")->rating, 0);
    assert_int_equal(s_ticket(fx, "A002")->state, HQ_T_NO_SHOW);
    assert_int_equal(s_ticket(fx, "A003")->state, HQ_T_PARKED);
    assert_int_equal(hall_counter(fx->hall, 3)->state, HQ_C_IDLE);
    /* What does not exist, or is in another state, is said first: nothing new is told. */
    req = s_req(HQ_REQ_RATE, "A009", 0, 3);
    assert_string_equal(s_run(fx, &req, NULL), "unknown_ticket");
    req = s_req(HQ_REQ_RATE, "A003", 0, 3);
    assert_string_equal(s_run(fx, &req, NULL), "bad_state");
}

static void test_own_windows_tickets_are_allowed(void **state)
{
    fx_t *fx = *state;
    s_window_4_tickets(fx);
    hq_request_t req = s_req(HQ_REQ_RATE, "A001", 0, 4);
    assert_string_equal(s_run(fx, &req, NULL), "");
    req = s_req(HQ_REQ_REACTIVATE, "A002", 0, 4);
    assert_string_equal(s_run(fx, &req, NULL), "");
    req = s_req(HQ_REQ_UNPARK, "A003", 4, 4);
    assert_string_equal(s_run(fx, &req, NULL), "");
    assert_int_equal(s_ticket(fx, "A001")->rating, 5);
    assert_int_equal(s_ticket(fx, "A002")->state, HQ_T_WAITING);
    assert_int_equal(hall_counter(fx->hall, 4)->state, HQ_C_SERVING);
}

/* A manager's key (origin 0, as without keys) acts on any window's tickets. */
static void test_manager_acts_on_any_window(void **state)
{
    fx_t *fx = *state;
    s_window_4_tickets(fx);
    hq_request_t req = s_req(HQ_REQ_RATE, "A001", 0, 0);
    assert_string_equal(s_run(fx, &req, NULL), "");
    req = s_req(HQ_REQ_REACTIVATE, "A002", 0, 0);
    assert_string_equal(s_run(fx, &req, NULL), "");
    req = s_req(HQ_REQ_UNPARK, "A003", 3, 0);
    assert_string_equal(s_run(fx, &req, NULL), "");
    assert_int_equal(hall_counter(fx->hall, 3)->state, HQ_C_SERVING);
}

static hq_request_t s_issue(const char *token, const char *device)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'A';
    strcpy(req.token, token);
    strcpy(req.device, device);
    return req;
}

/* A token is its device's: the same device gets its ticket back, another is refused without
 * learning which ticket it is, and issues with tokens of its own as before. */
static void test_token_belongs_to_its_device(void **state)
{
    fx_t *fx = *state;
    hq_request_t req = s_issue("t-1", "kiosk1");
    int ok, nevents;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    assert_true(ok);
    int64_t id = json_integer_value(json_object_get(json_object_get(reply, "ticket"), "id"));
    json_decref(reply);
    assert_string_equal(hall_ticket(fx->hall, id)->device, "kiosk1");

    reply = hf_do(fx, &req, &ok, &nevents);
    assert_true(ok);
    assert_true(json_is_true(json_object_get(reply, "repeat")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(reply, "ticket"), "id")),
                     id);
    json_decref(reply);

    const char *others[] = {"kiosk2", ""}; /* another key; a local program without one */
    for (size_t i = 0; i < 2; i++) {
        req = s_issue("t-1", others[i]);
        reply = hf_do(fx, &req, &ok, &nevents);
        assert_false(ok);
        assert_int_equal(nevents, 0);
        char *text = json_dumps(reply, 0);
        assert_non_null(strstr(text, "\"bad_field\""));
        assert_non_null(strstr(text, "token already used today by another device"));
        assert_null(strstr(text, "A001")); /* the other device's ticket is not named */
        free(text);
        json_decref(reply);
    }
    assert_int_equal(hall_ticket_count(fx->hall), 1);
    req = s_issue("t-2", "kiosk2");
    char l[64];
    reply = hf_do(fx, &req, &ok, NULL);
    assert_true(ok);
    json_decref(reply);
    assert_string_equal(hf_issue(fx, 'A', 0, 0, NULL, l), "A003");
}

static char s_dir[64];

/* A roster listing wang (PIN 2468) in a private folder, read as the server reads it. */
static roster_t *s_roster(void)
{
    strcpy(s_dir, "/tmp/hallq-scope-XXXXXX");
    assert_non_null(mkdtemp(s_dir));
    char path[128], why[200];
    snprintf(path, sizeof path, "%s/%s", s_dir, ROSTER_FILE);
    roster_t *r = roster_new(path);
    assert_non_null(r);
    assert_int_equal(roster_refresh(r, why, sizeof why), 1);
    assert_int_equal(roster_set(r, "wang", "2468", why, sizeof why), 0);
    assert_int_equal(roster_save(r, why, sizeof why), 0);
    assert_int_equal(roster_refresh(r, why, sizeof why), 1);
    return r;
}

static void s_roster_gone(roster_t **r)
{
    roster_destroy(r);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s_dir);
    assert_int_equal(system(cmd), 0);
}

static const char *s_login(fx_t *fx, int counter, const char *clerk, const char *pin, char *msg)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_LOGIN);
    req.counter = counter;
    strcpy(req.clerk, clerk);
    if (pin)
        strcpy(req.pin, pin);
    return s_run(fx, &req, msg);
}

static int s_catalog_roster(fx_t *fx)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CATALOG);
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    assert_true(ok);
    const json_t *roster = json_object_get(reply, "roster");
    assert_true(json_is_boolean(roster));
    int on = json_is_true(roster);
    json_decref(reply);
    return on;
}

/* With a roster a login names a listed clerk with the right PIN, every time; the PIN never
 * shows in a reply. Without one, any clerk logs in as before. */
static void test_login_needs_the_rosters_pin(void **state)
{
    fx_t *fx = *state;
    assert_false(s_catalog_roster(fx));
    char msg[200];
    assert_string_equal(s_login(fx, 1, "anyone", NULL, msg), "");
    roster_t *r = s_roster();
    hall_set_roster(fx->hall, r);
    assert_true(s_catalog_roster(fx));

    assert_string_equal(s_login(fx, 2, "wang", NULL, msg), "forbidden");
    assert_string_equal(msg, "a PIN is needed for clerk wang (the hall has a clerk roster)");
    assert_string_equal(s_login(fx, 2, "wang", "1357", msg), "forbidden");
    assert_string_equal(msg, "wrong PIN for clerk wang");
    assert_string_equal(s_login(fx, 2, "zhao", "2468", msg), "forbidden");
    assert_string_equal(msg, "clerk zhao is not on the hall's roster");
    assert_string_equal(hall_counter(fx->hall, 2)->clerk, "");
    assert_string_equal(s_login(fx, 2, "wang", "2468", msg), "");
    assert_string_equal(hall_counter(fx->hall, 2)->clerk, "wang");
    /* The clerk at the window too: a login says who is there. */
    assert_string_equal(s_login(fx, 2, "wang", "1357", msg), "forbidden");
    /* Taking a window over needs the taker's PIN. */
    assert_string_equal(s_login(fx, 1, "wang", "2468", msg), "");
    assert_string_equal(hall_counter(fx->hall, 1)->clerk, "wang");

    hq_request_t req;
    hq_request_init(&req, HQ_REQ_LOGIN);
    req.counter = 3;
    strcpy(req.clerk, "wang");
    strcpy(req.pin, "2468");
    hall_result_t res;
    hall_wire_t w;
    hf_run(fx, &req, &res, &w);
    char *text = json_dumps(w.reply, 0);
    assert_null(strstr(text, "2468"));
    free(text);
    for (int i = 0; i < res.nevents; i++) {
        text = json_dumps(w.bodies[i], 0);
        assert_null(strstr(text, "2468"));
        free(text);
    }
    hall_result_clear(&res);
    hall_wire_clear(&w);

    hall_set_roster(fx->hall, NULL);
    assert_false(s_catalog_roster(fx));
    assert_string_equal(s_login(fx, 4, "zhao", NULL, msg), "");
    s_roster_gone(&r);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, hf_setup, hf_teardown)
    const struct CMUnitTest tests[] = {
        T(test_other_windows_tickets_are_refused), T(test_own_windows_tickets_are_allowed),
        T(test_manager_acts_on_any_window),        T(test_token_belongs_to_its_device),
        T(test_login_needs_the_rosters_pin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
