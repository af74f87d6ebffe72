/* The clerk terminal's session state machine: keys in, requests and messages out, against
 * a hall model loaded from a snapshot. No sockets, no terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "view.h"

typedef struct {
    fx_hall_t hall;
    hq_mirror_t m;
    hqc_session_t s;
} s_world_t;

static s_world_t s_w;

static int s_setup(void **state)
{
    (void)state;
    hq_text_locale();
    memset(&s_w, 0, sizeof s_w);
    fx_hall_init(&s_w.hall);
    fx_session(&s_w.s, UI_LANG_ZH);
    return 0;
}

static int s_teardown(void **state)
{
    (void)state;
    hq_mirror_free(&s_w.m);
    hqc_session_free(&s_w.s);
    return 0;
}

static void s_load(void)
{
    hq_mirror_free(&s_w.m);
    fx_mirror(&s_w.m, &s_w.hall);
}

static void s_key(int key)
{
    hqc_session_key(&s_w.s, &s_w.m, key, FX_MONO);
}

static void s_keys(const char *keys)
{
    for (const char *k = keys; *k; k++)
        s_key((unsigned char)*k);
}

/* The request the session sends next (asserting there is one). */
static hq_request_t s_next(void)
{
    hq_request_t req;
    assert_int_equal(hqc_session_next(&s_w.s, FX_MONO, &req), 1);
    return req;
}

static void s_no_request(void)
{
    hq_request_t req;
    assert_int_equal(hqc_session_next(&s_w.s, FX_MONO, &req), 0);
}

/* A reply as hallqd sends it. */
static void s_reply(const char *json)
{
    hq_reply_t r;
    assert_int_equal(hq_reply_decode(json, strlen(json), &r), HQ_OK);
    hqc_session_reply(&s_w.s, &r, FX_MONO);
    hq_reply_clear(&r);
}

static const char *s_message(void)
{
    return hqc_session_message(&s_w.s, FX_MONO, NULL);
}

static void s_event(const char *topic, const char *json, hq_apply_t result)
{
    hq_event_t ev;
    assert_int_equal(hq_event_decode(topic, json, strlen(json), &ev), HQ_OK);
    hqc_session_event(&s_w.s, &ev, result, FX_MONO);
    hq_event_clear(&ev);
}

/* ---- login --------------------------------------------------------------------------- */
/* The catalog reply as hallqd sends it, with or without a clerk roster. */
static void s_catalog_reply(int roster)
{
    json_t *cat = fx_catalog();
    json_object_set_new(cat, "roster", json_boolean(roster));
    hq_reply_t r = {.ok = 1, .body = cat};
    hqc_session_reply(&s_w.s, &r, FX_MONO);
    json_decref(cat);
}

static void test_login_retries_until_answered(void **state)
{
    (void)state;
    hqc_session_t *s = &s_w.s;
    hqc_session_free(s);
    hqc_session_init(s, 3, "wang", UI_LANG_ZH, "tcp://127.0.0.1:5570", 1500);
    s_load();
    assert_int_equal(s->state, HQC_S_LOGIN);
    /* The catalog first: it says whether a login needs a PIN. */
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_CATALOG);
    s_no_request(); /* one at a time */
    /* Daemon down: no reply. The session waits before asking again, and stays in LOGIN. */
    assert_int_equal(hqc_session_no_reply(s, FX_MONO), 0);
    assert_string_equal(s_message(), ""); /* background: the banner says it, not a message */
    s_no_request();
    assert_int_equal(hqc_session_next(s, FX_MONO + 999, &req), 0);
    assert_int_equal(hqc_session_next(s, FX_MONO + 1000, &req), 1);
    assert_int_equal(req.type, HQ_REQ_CATALOG);
    s_catalog_reply(0);
    assert_true(s->catalog.loaded);
    assert_int_equal(s->state, HQC_S_LOGIN); /* no roster: no PIN */
    req = s_next();
    assert_int_equal(req.type, HQ_REQ_LOGIN);
    assert_int_equal(req.counter, 3);
    assert_string_equal(req.clerk, "wang");
    assert_string_equal(req.pin, "");
    /* Keys other than quit wait for the login. */
    s_key('c');
    assert_string_equal(s_message(), "正在登录，请稍候（q 退出）");
    s_reply("{\"v\":1,\"type\":\"login\",\"ok\":true,\"counter\":{\"id\":3,\"queues\":\"ABCDEFG\","
            "\"state\":\"idle\",\"clerk\":\"wang\"},\"previous_clerk\":\"li\"}");
    assert_int_equal(s->state, HQC_S_MAIN);
    assert_true(s->logged_in);
    assert_string_equal(s_message(), "已接管 3 号窗口（原柜员 li）");
    /* Then the figures, in the background (the catalog is there already). */
    req = s_next();
    assert_int_equal(req.type, HQ_REQ_SNAPSHOT);
}

/* A window the hall does not have: the catalog lists the hall's windows, so the program ends
 * with one line naming them, in the clerk's language, and sends no login. */
static void test_login_refused_for_good(void **state)
{
    (void)state;
    hqc_session_t *s = &s_w.s;
    hqc_session_free(s);
    hqc_session_init(s, 99, "wang", UI_LANG_ZH, "tcp://127.0.0.1:5570", 1500);
    assert_int_equal(s_next().type, HQ_REQ_CATALOG);
    s_catalog_reply(0);
    s_no_request();
    assert_int_equal(s->state, HQC_S_QUIT);
    assert_string_equal(s->fatal, "本大厅没有 99 号窗口（本厅窗口：1、2、3、4），请检查窗口号设置");
    hqc_session_free(s);
    hqc_session_init(s, 99, "wang", UI_LANG_EN, "tcp://127.0.0.1:5570", 1500);
    s_next();
    s_catalog_reply(0);
    s_no_request();
    assert_string_equal(s->fatal,
                        "this hall has no window 99 (its windows: 1, 2, 3, 4): check --counter");

    /* A catalog that lists no windows: hallqd's refusal of the login says it, in the clerk's
     * words; the daemon's own (and whatever escape sequences they hold) stay out. */
    hqc_session_free(s);
    hqc_session_init(s, 99, "wang", UI_LANG_ZH, "tcp://127.0.0.1:5570", 1500);
    s_next();
    json_t *cat = fx_catalog();
    json_object_set_new(cat, "counters", json_array());
    hq_reply_t cr = {.ok = 1, .body = cat};
    hqc_session_reply(s, &cr, FX_MONO);
    json_decref(cat);
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_LOGIN);
    s_reply("{\"v\":1,\"type\":\"login\",\"ok\":false,\"error\":{\"code\":\"unknown_counter\","
            "\"message\":\"no counter\\u001b[2J\\u001b]0;pwned\\u0007 99\"}}");
    assert_int_equal(s->state, HQC_S_QUIT);
    assert_string_equal(s->fatal, "本大厅没有 99 号窗口");
}

/* Whether the screen shows `text` now. */
static int s_shows(const char *text)
{
    static hqc_view_t v;
    hqc_view_build(&v, &s_w.s, &s_w.m, FX_MONO, FX_NOW, 80, 24);
    return hqc_view_find(&v, text, NULL) >= 0;
}

/* A hall with a roster: the PIN is asked before the login, typed as stars, sent with the
 * login, and asked again when hallqd refuses it. */
static void test_login_with_the_clerks_pin(void **state)
{
    (void)state;
    hqc_session_t *s = &s_w.s;
    hqc_session_free(s);
    hqc_session_init(s, 3, "wang", UI_LANG_ZH, "tcp://127.0.0.1:5570", 1500);
    fx_window(&s_w.hall)->clerk[0] = '\0'; /* window 3 closed */
    s_load();
    assert_int_equal(s_next().type, HQ_REQ_CATALOG);
    s_catalog_reply(1);
    assert_int_equal(s->state, HQC_S_PIN);
    assert_true(s_shows("【输入密码】柜员 wang 登录 3 号窗口须输入本人密码"));
    assert_true(s_shows("状态：等待输入密码"));
    s_keys("24");
    s_key(HQC_KEY_ENTER);
    assert_string_equal(s_message(), "密码为 4 到 12 位数字");
    assert_int_equal(s->state, HQC_S_PIN);
    s_keys("6x8"); /* not a digit: left out */
    assert_true(s_shows("密码：****_"));
    assert_false(s_shows("2468"));
    s_key(HQC_KEY_ENTER);
    assert_int_equal(s->state, HQC_S_LOGIN);
    assert_string_equal(s->pin_entry, "");
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_LOGIN);
    assert_string_equal(req.pin, "2468");
    s_reply("{\"v\":1,\"type\":\"login\",\"ok\":false,\"error\":{\"code\":\"forbidden\","
            "\"message\":\"wrong PIN for clerk wang\"}}");
    assert_int_equal(s->state, HQC_S_PIN);
    assert_string_equal(s->pin, "");
    assert_string_equal(s_message(), "密码错误，请重新输入");
    assert_true(s_shows("密码：_"));
    s_keys("1357");
    s_key(HQC_KEY_BACKSPACE);
    s_keys("9");
    s_key(HQC_KEY_ENTER);
    req = s_next();
    assert_int_equal(req.type, HQ_REQ_LOGIN);
    assert_string_equal(req.pin, "1359");
    s_reply("{\"v\":1,\"type\":\"login\",\"ok\":true,\"counter\":{\"id\":3,\"queues\":\"ABCDEFG\","
            "\"state\":\"idle\",\"clerk\":\"wang\"}}");
    assert_int_equal(s->state, HQC_S_MAIN);
    /* Logging in again after a takeover sends the same PIN. */
    hq_strlcpy(fx_window(&s_w.hall)->clerk, "li", HQ_CLERK_MAX);
    s_load();
    s_key('l');
    req = s_next();
    assert_int_equal(req.type, HQ_REQ_LOGIN);
    assert_string_equal(req.pin, "1359");
    hqc_session_free(s);
    assert_string_equal(s->pin, ""); /* wiped */
}

/* A roster the catalog did not tell of (added since): the refusal asks for the PIN; an
 * unlisted clerk is refused for good; Esc at the PIN gives up. */
static void test_pin_asked_when_refused_for_it(void **state)
{
    (void)state;
    hqc_session_t *s = &s_w.s;
    hqc_session_free(s);
    hqc_session_init(s, 3, "wang", UI_LANG_EN, "tcp://127.0.0.1:5570", 1500);
    s_load();
    s_next();
    s_catalog_reply(0);
    assert_int_equal(s_next().type, HQ_REQ_LOGIN);
    s_reply("{\"v\":1,\"type\":\"login\",\"ok\":false,\"error\":{\"code\":\"forbidden\","
            "\"message\":\"a PIN is needed for clerk wang (the hall has a clerk roster)\"}}");
    assert_int_equal(s->state, HQC_S_PIN);
    assert_string_equal(s_message(), ""); /* asked, not wrong */
    assert_true(s_shows("[PIN] clerk wang: type your PIN to log in at window 3"));
    s_key(HQC_KEY_ESC);
    assert_int_equal(s->state, HQC_S_QUIT);
    assert_string_equal(s->fatal, "");

    hqc_session_free(s);
    hqc_session_init(s, 3, "mallory", UI_LANG_EN, "tcp://127.0.0.1:5570", 1500);
    s_next();
    s_catalog_reply(1);
    s_keys("1234");
    s_key(HQC_KEY_ENTER);
    assert_int_equal(s_next().type, HQ_REQ_LOGIN);
    s_reply("{\"v\":1,\"type\":\"login\",\"ok\":false,\"error\":{\"code\":\"forbidden\","
            "\"message\":\"clerk mallory is not on the hall's roster\"}}");
    assert_int_equal(s->state, HQC_S_QUIT);
    assert_string_equal(s->fatal, "Clerk mallory cannot log in: not on the hall's roster, or "
                                  "the roster is unusable; ask the IT officer");
}

static void test_quit_while_logging_in(void **state)
{
    (void)state;
    hqc_session_t *s = &s_w.s;
    s->state = HQC_S_LOGIN;
    s_key('q');
    assert_int_equal(s->state, HQC_S_QUIT);
    s_no_request();
}

/* ---- calling ----------------------------------------------------------------------------- */
static void test_call_next_and_reply(void **state)
{
    (void)state;
    fx_add(&s_w.hall, "C001", 10, 1);
    s_load();
    s_key('c');
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_CALL);
    assert_int_equal(req.counter, 3);
    assert_string_equal(req.number, "");
    /* A second key while the first is in flight is refused, not queued. */
    s_key('c');
    assert_string_equal(s_message(), "上一操作还在等待服务器回复");
    s_reply("{\"v\":1,\"type\":\"call\",\"ok\":true,\"reason\":\"green lane\",\"ticket\":"
            "{\"id\":1,\"label\":\"C001\",\"prefix\":\"C\",\"number\":1,\"queue\":\"C\","
            "\"state\":\"called\",\"lane\":\"green\",\"calls\":1,\"reason\":\"green lane\","
            "\"reason_code\":\"green_lane\"}}");
    assert_string_equal(s_message(), "请 C001 号到本窗口（绿色通道优先）");
    assert_false(s_w.s.inflight);
}

static void test_call_with_nobody_waiting(void **state)
{
    (void)state;
    s_load();
    s_key('C'); /* upper case works too */
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_CALL);
    s_reply("{\"v\":1,\"type\":\"call\",\"ok\":true,\"ticket\":null}");
    assert_string_equal(s_message(), "没有等候的号");
}

static void test_illegal_keys_refused_not_sent(void **state)
{
    (void)state;
    s_load();
    s_key('r');
    assert_string_equal(s_message(), "窗口没有叫到的号");
    s_no_request();
    s_key('f');
    s_no_request();
    s_key('z');
    assert_string_equal(s_message(), "按键 z 无功能，可用按键见底行");
    s_no_request();
    /* A ticket at the window: calling again is refused with its number. */
    hq_ticket_t *t = fx_add(&s_w.hall, "A001", 3, 0);
    fx_at_window(&s_w.hall, t, HQ_T_SERVING, FX_MIN);
    s_load();
    s_key('c');
    assert_string_equal(s_message(), "A001 还在窗口：先办结、挂起、转移或过号");
    s_key('x');
    assert_string_equal(s_message(), "A001 已在办理中");
    s_no_request();
}

static void test_offline_refuses_actions(void **state)
{
    (void)state;
    fx_add(&s_w.hall, "A001", 3, 0);
    s_load();
    s_w.m.state = HQ_SYNC_OFFLINE;
    s_key('c');
    assert_string_equal(s_message(), "离线：服务器未连接，操作无法发送");
    s_no_request();
    /* Quitting always works; logging out needs hallqd. */
    s_key('q');
    assert_int_equal(s_w.s.state, HQC_S_LOGOUT);
    s_key('y');
    assert_string_equal(s_message(), "离线：现在无法退出登录（按 k 只退出终端）");
    s_no_request();
    s_key('k');
    assert_int_equal(s_w.s.state, HQC_S_QUIT);
    s_no_request();
}

static void test_call_chosen_number(void **state)
{
    (void)state;
    fx_add(&s_w.hall, "A001", 3, 0);
    fx_add(&s_w.hall, "A002", 3, 0);
    hq_ticket_t *done = fx_add(&s_w.hall, "B001", 0, 0);
    done->state = HQ_T_NO_SHOW;
    s_load();
    s_key('n');
    assert_int_equal(s_w.s.state, HQC_S_NUMBER);
    s_keys("a9");
    assert_string_equal(s_w.s.entry, "A9");
    s_key(HQC_KEY_ENTER);
    assert_string_equal(s_message(), "A009 不在等候中");
    assert_int_equal(s_w.s.state, HQC_S_NUMBER); /* stays open to correct it */
    s_no_request();
    s_key(HQC_KEY_BACKSPACE);
    s_key(HQC_KEY_BACKSPACE);
    s_key(HQC_KEY_BACKSPACE); /* one too many: harmless */
    assert_string_equal(s_w.s.entry, "");
    s_keys("b1");
    s_key(HQC_KEY_ENTER);
    assert_string_equal(s_message(), "B001 不在等候中"); /* no-show is not waiting */
    for (int i = 0; i < 4; i++)
        s_key(HQC_KEY_BACKSPACE);
    s_keys("??a2"); /* punctuation ignored */
    assert_string_equal(s_w.s.entry, "A2");
    s_key(HQC_KEY_ENTER);
    assert_int_equal(s_w.s.state, HQC_S_MAIN);
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_CALL);
    assert_string_equal(req.number, "A002");
}

static void test_number_entry_bad_format_and_escape(void **state)
{
    (void)state;
    s_load();
    s_key('n');
    s_keys("12");
    s_key(HQC_KEY_ENTER);
    assert_string_equal(s_message(), "号码 12 格式不对（例如 A001）");
    s_key(HQC_KEY_ESC);
    assert_int_equal(s_w.s.state, HQC_S_MAIN);
    s_no_request();
}

static void test_number_for_other_window_queue(void **state)
{
    (void)state;
    fx_add(&s_w.hall, "E001", 14, 0);
    hq_strlcpy(fx_window(&s_w.hall)->queues, "ABCD", sizeof fx_window(&s_w.hall)->queues);
    s_load();
    s_key('n');
    s_keys("E1");
    s_key(HQC_KEY_ENTER);
    assert_string_equal(s_message(), "本窗口不办理 E 队列（E001）");
    s_no_request();
}

/* ---- at the window --------------------------------------------------------------------- */
static void test_recall_start_finish_rate(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_w.hall, "A001", 3, 0);
    fx_at_window(&s_w.hall, t, HQ_T_CALLED, 30000);
    s_load();
    s_key('r');
    assert_int_equal(s_next().type, HQ_REQ_RECALL);
    s_reply("{\"v\":1,\"type\":\"recall\",\"ok\":true,\"ticket\":{\"id\":1,\"label\":\"A001\","
            "\"lane\":\"normal\",\"prefix\":\"A\",\"number\":1,\"queue\":\"A\",\"state\":"
            "\"called\",\"calls\":2}}");
    assert_string_equal(s_message(), "已重呼 A001（第 2 次）");
    s_key('s');
    assert_int_equal(s_next().type, HQ_REQ_START);
    s_reply("{\"v\":1,\"type\":\"start\",\"ok\":true,\"ticket\":{\"id\":1,\"label\":\"A001\","
            "\"lane\":\"normal\",\"prefix\":\"A\",\"number\":1,\"queue\":\"A\",\"state\":"
            "\"serving\"}}");
    /* The model moves with the event; here we move it by hand. */
    fx_at_window(&s_w.hall, t, HQ_T_SERVING, 60000);
    s_load();
    s_key('f');
    assert_int_equal(s_next().type, HQ_REQ_FINISH);
    s_reply("{\"v\":1,\"type\":\"finish\",\"ok\":true,\"handling_ms\":372000,\"ticket\":"
            "{\"id\":1,\"label\":\"A001\",\"lane\":\"normal\",\"prefix\":\"A\",\"number\":1,"
            "\"queue\":\"A\","
            "\"state\":\"finished\"}}");
    assert_string_equal(s_message(), "A001 已办结，用时 6:12；按 e 记录评价");
    assert_string_equal(s_w.s.rate_label, "A001");
    s_key('e');
    assert_int_equal(s_w.s.state, HQC_S_RATING);
    s_key(HQC_KEY_DOWN); /* rows: 5 4 3 2 1 */
    s_key(HQC_KEY_ENTER);
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_RATE);
    assert_string_equal(req.number, "A001");
    assert_int_equal(req.rating, 4);
    s_reply("{\"v\":1,\"type\":\"rate\",\"ok\":true,\"ticket\":{\"id\":1,\"label\":\"A001\","
            "\"lane\":\"normal\",\"prefix\":\"A\",\"number\":1,\"queue\":\"A\",\"state\":"
            "\"finished\",\"rating\":4}}");
    assert_string_equal(s_message(), "A001 评价已记录：满意");
    assert_string_equal(s_w.s.rate_label, "");
    s_key('e');
    assert_string_equal(s_message(), "没有待评价的号（办结后可评价一次）");
}

static void test_rating_by_digit_and_refused_twice(void **state)
{
    (void)state;
    s_load();
    hq_strlcpy(s_w.s.rate_label, "C003", sizeof s_w.s.rate_label);
    s_key('e');
    s_key('7'); /* not a rating */
    s_no_request();
    s_key('5');
    hq_request_t req = s_next();
    assert_int_equal(req.rating, 5);
    s_reply("{\"v\":1,\"type\":\"rate\",\"ok\":false,\"error\":{\"code\":\"bad_state\","
            "\"message\":\"C003 was already rated 3\",\"detail\":\"already_rated\"}}");
    assert_string_equal(s_message(), "该号已评价过");
    assert_string_equal(s_w.s.rate_label, "");
}

static void test_no_show_after_enough_calls(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_w.hall, "A001", 3, 0);
    fx_at_window(&s_w.hall, t, HQ_T_CALLED, 30000);
    s_load();
    s_key('x');
    assert_string_equal(s_message(), "A001 只叫了 1 次：先按 r 重呼（叫满 2 次可过号）");
    s_no_request();
    t->calls = 2;
    s_load();
    s_key('x');
    assert_int_equal(s_next().type, HQ_REQ_NO_SHOW);
}

static void test_transfer_picks_a_queue(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_w.hall, "A001", 3, 0);
    fx_at_window(&s_w.hall, t, HQ_T_SERVING, 30000);
    s_load();
    s_key('t');
    assert_int_equal(s_w.s.state, HQC_S_QUEUE);
    char targets[HQ_QUEUES_MAX];
    int n = hqc_session_targets(&s_w.s, &s_w.m, targets, HQ_QUEUES_MAX);
    assert_int_equal(n, 6);
    assert_memory_equal(targets, "BCDEFG", 6);
    s_key('a'); /* its own queue is not offered */
    s_no_request();
    assert_int_equal(s_w.s.state, HQC_S_QUEUE);
    s_key(HQC_KEY_ESC);
    assert_int_equal(s_w.s.state, HQC_S_MAIN);
    s_no_request();
    s_key('t');
    s_key(HQC_KEY_UP); /* wraps to the last row: G */
    s_key(HQC_KEY_ENTER);
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_TRANSFER);
    assert_int_equal(req.queue, 'G');
    s_reply("{\"v\":1,\"type\":\"transfer\",\"ok\":true,\"ticket\":{\"id\":1,\"label\":\"A001\","
            "\"lane\":\"normal\",\"prefix\":\"A\",\"number\":1,\"queue\":\"G\",\"state\":"
            "\"waiting\"}}");
    assert_string_equal(s_message(), "A001 已转到 G 队列");
    s_key('t');
    s_key('d'); /* a letter picks directly */
    assert_int_equal(s_next().queue, 'D');
}

static void test_park_and_take_back(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_w.hall, "A001", 3, 0);
    fx_at_window(&s_w.hall, t, HQ_T_SERVING, 30000);
    s_load();
    s_key('u');
    assert_string_equal(s_message(), "A001 还在窗口：先办结、挂起、转移或过号");
    s_key('p');
    assert_int_equal(s_next().type, HQ_REQ_PARK);
    s_reply(
        "{\"v\":1,\"type\":\"park\",\"ok\":true,\"ticket\":{\"id\":1,\"label\":\"A001\","
        "\"lane\":\"normal\",\"prefix\":\"A\",\"number\":1,\"queue\":\"A\",\"state\":\"parked\"}}");
    assert_string_equal(s_message(), "A001 已挂起：市民补齐材料后按 u 取回");
    /* The model after the park: two parked tickets, the older first in the list. */
    fx_hall_init(&s_w.hall);
    t = fx_add(&s_w.hall, "A001", 3, 0);
    fx_park(t, FX_MIN);
    hq_ticket_t *older = fx_add(&s_w.hall, "B004", 6, 1);
    fx_park(older, 10 * FX_MIN);
    s_load();
    const hq_ticket_t *list[HQC_LIST_MAX];
    assert_int_equal(hqc_session_parked(&s_w.s, &s_w.m, list, HQC_LIST_MAX), 2);
    assert_string_equal(list[0]->label, "B004");
    s_key('u');
    assert_int_equal(s_w.s.state, HQC_S_PARKED);
    s_key('9'); /* no ninth row */
    s_no_request();
    s_key('2');
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_UNPARK);
    assert_string_equal(req.number, "A001");
}

static void test_pause_with_reason_and_resume(void **state)
{
    (void)state;
    s_load();
    s_key('b');
    assert_int_equal(s_w.s.state, HQC_S_REASON);
    s_key(HQC_KEY_DOWN);
    s_key(HQC_KEY_ENTER);
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_PAUSE);
    assert_string_equal(req.reason, "临时离开");
    s_reply("{\"v\":1,\"type\":\"pause\",\"ok\":true,\"counter\":{\"id\":3,\"queues\":\"ABC\","
            "\"state\":\"paused\",\"clerk\":\"wang\",\"pause_reason\":\"临时离开\"}}");
    assert_string_equal(s_message(), "窗口已暂停：临时离开");
    fx_window(&s_w.hall)->state = HQ_C_PAUSED;
    hq_strlcpy(fx_window(&s_w.hall)->pause_reason, "临时离开", HQ_REASON_MAX);
    s_load();
    s_key('c');
    assert_string_equal(s_message(), "窗口暂停中：先按 b 恢复");
    s_no_request();
    s_key('b');
    assert_int_equal(s_next().type, HQ_REQ_RESUME);
}

/* Every refusal reaches the clerk in the clerk's language: chosen by the error's code, the
 * detail of a bad_state refusal and the request refused, never the daemon's English. */
static void test_daemon_refusal_shown(void **state)
{
    (void)state;
    static const struct {
        hq_req_type_t type; /* what was sent */
        const char *error;  /* the reply's error object */
        const char *zh, *en;
    } cases[] = {
        {HQ_REQ_CALL,
         "\"code\":\"bad_state\",\"message\":\"counter 3 is paused: resume first\","
         "\"detail\":\"paused\"",
         "窗口暂停中：先按 b 恢复", "The window is paused: press b to resume first"},
        {HQ_REQ_CALL,
         "\"code\":\"bad_state\",\"message\":\"counter 3 still has A001 (called)\","
         "\"detail\":\"ticket_at_window\"",
         "窗口还有号未处理：先办结、挂起、转移或过号",
         "A ticket is still at the window: finish, park, transfer or mark it no-show first"},
        {HQ_REQ_NO_SHOW,
         "\"code\":\"bad_state\",\"message\":\"A001 was called 1 time(s)\","
         "\"detail\":\"too_few_calls\"",
         "叫号次数不够：先按 r 重呼（叫满 2 次可过号）",
         "Not called often enough: recall with r first (no-show after 2)"},
        {HQ_REQ_START,
         "\"code\":\"bad_state\",\"message\":\"A001 at counter 3 is serving\","
         "\"detail\":\"ticket_state\"",
         "该号的状态已变（可能已在其他设备上处理），请以屏幕为准",
         "The ticket changed meanwhile (handled elsewhere?): trust the screen"},
        {HQ_REQ_RESUME,
         "\"code\":\"bad_state\",\"message\":\"counter 3 is not paused\","
         "\"detail\":\"not_paused\"",
         "窗口没有暂停", "The window is not paused"},
        {HQ_REQ_LOGOUT,
         "\"code\":\"bad_state\",\"message\":\"counter 3 is closed\","
         "\"detail\":\"closed\"",
         "本窗口未登录：先按 l 登录", "This window is not logged in: press l"},
        /* A detail this terminal does not know (a newer daemon's), or none: the code's line. */
        {HQ_REQ_CALL,
         "\"code\":\"bad_state\",\"message\":\"the moon is full\","
         "\"detail\":\"full_moon\"",
         "窗口现在的状态下不能这样操作，请以屏幕为准",
         "Not possible in the window's state now: trust the screen"},
        {HQ_REQ_CALL, "\"code\":\"bad_state\",\"message\":\"counter 3 is paused\"",
         "窗口现在的状态下不能这样操作，请以屏幕为准",
         "Not possible in the window's state now: trust the screen"},
        {HQ_REQ_CALL,
         "\"code\":\"rate_limited\",\"message\":\"request budget spent\","
         "\"retry_after_ms\":2100",
         "操作太频繁，请 3 秒后再试", "Too many requests: try again in 3 s"},
        {HQ_REQ_PAUSE, "\"code\":\"forbidden\",\"message\":\"this key belongs to counter 2\"",
         "本终端无权这样操作（设备密钥或该号属于其他窗口）",
         "This terminal may not do that (its key or the ticket belongs to another window)"},
        {HQ_REQ_FINISH, "\"code\":\"store_failed\",\"message\":\"disk I/O error\"",
         "服务器无法保存（磁盘已满或只读），操作未执行，请联系信息管理员",
         "hallqd could not save (disk full or read-only): nothing happened, ask the IT officer"},
        {HQ_REQ_REACTIVATE, "\"code\":\"unknown_ticket\",\"message\":\"no ticket A009 today\"",
         "今天没有 A009 号", "There is no ticket A009 today"},
        {HQ_REQ_CALL, "\"code\":\"internal\",\"message\":\"a bug\"",
         "服务器内部出错，操作未执行，请联系信息管理员",
         "hallqd failed inside: nothing happened, ask the IT officer"},
        {HQ_REQ_CALL, "\"code\":\"bad_field\",\"message\":\"counter: out of range\"",
         "服务器不接受此请求的内容，请联系信息管理员",
         "hallqd did not accept the request's fields: ask the IT officer"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int lang = 0; lang < 2; lang++) {
            s_w.s.lang = lang ? UI_LANG_EN : UI_LANG_ZH;
            hq_request_init(&s_w.s.sent, cases[i].type);
            s_w.s.sent.counter = 3;
            hq_strlcpy(s_w.s.sent.number, "A009", sizeof s_w.s.sent.number);
            s_w.s.inflight = 1;
            s_w.s.sent_is_action = 1;
            char json[512];
            snprintf(json, sizeof json, "{\"v\":1,\"type\":\"%s\",\"ok\":false,\"error\":{%s}}",
                     hq_req_type_name(cases[i].type), cases[i].error);
            s_reply(json);
            int error = 0;
            const char *got = hqc_session_message(&s_w.s, FX_MONO, &error);
            const char *want = lang ? cases[i].en : cases[i].zh;
            if (strcmp(got, want) != 0)
                fail_msg("case %zu (%s): '%s', not '%s'", i, lang ? "en" : "zh", got, want);
            assert_true(error);
        }
    }
    /* Messages fade after a while. */
    assert_string_equal(hqc_session_message(&s_w.s, FX_MONO + HQC_MESSAGE_MS + 1, NULL), "");
}

static void test_action_without_reply(void **state)
{
    (void)state;
    s_load();
    s_key('c');
    s_next();
    assert_int_equal(hqc_session_no_reply(&s_w.s, FX_MONO), 1);
    assert_string_equal(s_message(), "服务器 1500 毫秒内未回复，操作结果未知，请以屏幕状态为准");
    assert_false(s_w.s.inflight);
    assert_int_equal(hqc_session_no_reply(&s_w.s, FX_MONO), 0); /* nothing in flight */
}

/* ---- events and ticks --------------------------------------------------------------------- */
static void test_finished_event_updates_figures(void **state)
{
    (void)state;
    s_load();
    s_event(
        "finished",
        "{\"seq\":11,\"ts_ms\":1,\"ticket\":{\"id\":5,\"label\":\"A005\",\"lane\":\"normal\","
        "\"prefix\":\"A\","
        "\"number\":5,\"queue\":\"A\",\"state\":\"finished\",\"counter\":3},\"counter\":{\"id\":3,"
        "\"queues\":\"ABC\",\"state\":\"idle\",\"clerk\":\"wang\"},\"handling_ms\":300000,"
        "\"counter_metric\":{\"count\":4,\"avg_ms\":420000,\"within\":3,\"max_ms\":720000}}",
        HQ_APPLY_OK);
    assert_true(s_w.s.figures_known);
    assert_int_equal(s_w.s.figures.count, 4);
    assert_int_equal(s_w.s.figures.avg_ms, 420000);
    assert_int_equal(s_w.s.figures.within, 3);
    assert_int_equal(s_w.s.figures.max_ms, 720000);
    assert_string_equal(s_w.s.rate_label, "A005");
    /* Another window's finish changes nothing here; nor does a duplicate. */
    s_event("finished",
            "{\"seq\":12,\"ts_ms\":1,\"counter\":{\"id\":1,\"queues\":\"A\",\"state\":\"idle\","
            "\"clerk\":\"li\"},\"counter_metric\":{\"count\":9,\"avg_ms\":1,\"within\":9}}",
            HQ_APPLY_OK);
    s_event("finished",
            "{\"seq\":11,\"ts_ms\":1,\"counter\":{\"id\":3,\"queues\":\"A\",\"state\":\"idle\","
            "\"clerk\":\"wang\"},\"counter_metric\":{\"count\":1,\"avg_ms\":1,\"within\":1}}",
            HQ_APPLY_DUPLICATE);
    assert_int_equal(s_w.s.figures.count, 4);
    /* Rated elsewhere (the rating pad): nothing left to rate here. */
    s_event("rated",
            "{\"seq\":13,\"ts_ms\":1,\"ticket\":{\"id\":5,\"label\":\"A005\",\"lane\":\"normal\","
            "\"prefix\":\"A\","
            "\"number\":5,\"queue\":\"A\",\"state\":\"finished\",\"rating\":5}}",
            HQ_APPLY_OK);
    assert_string_equal(s_w.s.rate_label, "");
    /* The periodic metric event carries every window. */
    s_event("metric",
            "{\"seq\":14,\"ts_ms\":1,\"counters\":[{\"counter\":1,\"count\":1,\"avg_ms\":1,"
            "\"within\":1,\"max_ms\":1},{\"counter\":3,\"count\":5,\"avg_ms\":400000,\"within\":4,"
            "\"max_ms\":720000}]}",
            HQ_APPLY_OK);
    assert_int_equal(s_w.s.figures.count, 5);
}

static void test_snapshot_reply_gives_figures(void **state)
{
    (void)state;
    s_w.hall.metric_count = 7;
    s_w.hall.metric_avg_ms = 300000;
    s_w.hall.metric_within = 6;
    s_load();
    s_w.s.figures_wanted = 1;
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_SNAPSHOT);
    json_t *snap = fx_snapshot(&s_w.hall);
    hq_reply_t r = {.ok = 1, .body = snap};
    hqc_session_reply(&s_w.s, &r, FX_MONO);
    json_decref(snap);
    assert_true(s_w.s.figures_known);
    assert_false(s_w.s.figures_wanted);
    assert_int_equal(s_w.s.figures.count, 7);
    assert_int_equal(s_w.s.figures.within, 6);
}

static void test_takeover_event_says_so(void **state)
{
    (void)state;
    s_load();
    s_event("counter",
            "{\"seq\":11,\"ts_ms\":1,\"counter\":{\"id\":3,\"queues\":\"ABC\",\"state\":\"idle\","
            "\"clerk\":\"li\"},\"previous_clerk\":\"wang\"}",
            HQ_APPLY_OK);
    assert_string_equal(s_message(), "本窗口已由柜员 li 接管");
    /* With the model showing li, actions are refused until wang logs in again. */
    hq_strlcpy(fx_window(&s_w.hall)->clerk, "li", HQ_CLERK_MAX);
    s_load();
    s_key('c');
    assert_string_equal(s_message(), "本窗口不在您的登录下：先按 l 登录");
    s_no_request();
    s_key('l');
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_LOGIN);
    assert_string_equal(req.clerk, "wang");
}

/* A pairing code leaves the clerk's screen once a tablet has typed it: the claim's counter
 * event says the window's tablet was paired. Another window's claim, or a counter event of
 * this window that is not a claim, leaves it showing. */
static void test_pair_code_spent_by_tablet(void **state)
{
    (void)state;
    s_load();
    s_key('d');
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_PAIR);
    s_reply("{\"v\":1,\"type\":\"pair\",\"ok\":true,\"code\":\"482913\","
            "\"expires_ms\":1700000300000}");
    int64_t left = 0;
    assert_string_equal(hqc_session_pair_code(&s_w.s, FX_MONO, &left), "482913");
    s_event("counter",
            "{\"seq\":12,\"ts_ms\":1,\"counter\":{\"id\":2,\"queues\":\"ABC\",\"state\":\"idle\","
            "\"clerk\":\"li\",\"tablet\":true},\"tablet_paired\":true}",
            HQ_APPLY_OK);
    s_event("counter",
            "{\"seq\":13,\"ts_ms\":1,\"counter\":{\"id\":3,\"queues\":\"ABC\",\"state\":\"paused\","
            "\"clerk\":\"wang\",\"tablet\":true}}",
            HQ_APPLY_OK);
    assert_non_null(hqc_session_pair_code(&s_w.s, FX_MONO, &left));
    s_event("counter",
            "{\"seq\":14,\"ts_ms\":1,\"counter\":{\"id\":3,\"queues\":\"ABC\",\"state\":\"idle\","
            "\"clerk\":\"wang\",\"tablet\":true},\"tablet_paired\":true}",
            HQ_APPLY_OK);
    assert_null(hqc_session_pair_code(&s_w.s, FX_MONO, &left));
    assert_string_equal(s_message(), "评价器已配对，配对码已失效");
}

/* A list closes, with the reason, when what it was opened for no longer makes sense. */
static void test_list_closes_when_state_changes(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_w.hall, "A001", 3, 0);
    fx_at_window(&s_w.hall, t, HQ_T_SERVING, 30000);
    s_load();
    s_key('t');
    assert_int_equal(s_w.s.state, HQC_S_QUEUE);
    hqc_session_tick(&s_w.s, &s_w.m, FX_MONO, FX_NOW);
    assert_int_equal(s_w.s.state, HQC_S_QUEUE);
    /* Finished from another device meanwhile. */
    fx_hall_init(&s_w.hall);
    s_load();
    hqc_session_tick(&s_w.s, &s_w.m, FX_MONO, FX_NOW);
    assert_int_equal(s_w.s.state, HQC_S_MAIN);
    assert_string_equal(s_message(), "窗口没有叫到的号");
    /* The pause list closes when the window got paused elsewhere. */
    s_key('b');
    assert_int_equal(s_w.s.state, HQC_S_REASON);
    fx_window(&s_w.hall)->state = HQ_C_PAUSED;
    s_load();
    hqc_session_tick(&s_w.s, &s_w.m, FX_MONO, FX_NOW);
    assert_int_equal(s_w.s.state, HQC_S_MAIN);
}

/* ---- q: logging out ----------------------------------------------------------------------- */
static const char *const s_ok_logout =
    "{\"v\":1,\"type\":\"logout\",\"ok\":true,\"counter\":{\"id\":3,\"queues\":\"ABCDEFG\","
    "\"state\":\"closed\",\"clerk\":\"\"}}";

static void test_q_asks_then_logs_out(void **state)
{
    (void)state;
    s_load();
    s_key('q');
    assert_int_equal(s_w.s.state, HQC_S_LOGOUT);
    s_no_request(); /* asking sends nothing */
    s_key('n');
    assert_int_equal(s_w.s.state, HQC_S_MAIN);
    s_key('q');
    s_key(HQC_KEY_ESC);
    assert_int_equal(s_w.s.state, HQC_S_MAIN);
    s_key('q');
    s_key('y');
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_LOGOUT);
    assert_int_equal(req.counter, 3);
    assert_string_equal(s_message(), "正在退出登录...");
    assert_int_equal(s_w.s.state, HQC_S_MAIN); /* until hallqd closed the window */
    s_reply(s_ok_logout);
    assert_int_equal(s_w.s.state, HQC_S_QUIT);
    assert_true(s_w.s.logged_out);
    assert_string_equal(s_w.s.fatal, "");
}

static void test_q_by_arrows_and_quit_only(void **state)
{
    (void)state;
    s_load();
    s_key('q');
    s_key(HQC_KEY_DOWN); /* y, k, n: k */
    s_key(HQC_KEY_ENTER);
    assert_int_equal(s_w.s.state, HQC_S_QUIT);
    assert_false(s_w.s.logged_out);
    s_no_request(); /* the window stays open */
}

/* With a ticket at the window, q offers to deal with it; the logout follows its success. */
static void test_q_with_a_ticket_finishes_then_logs_out(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_w.hall, "A001", 3, 0);
    fx_at_window(&s_w.hall, t, HQ_T_SERVING, FX_MIN);
    s_load();
    s_key('q');
    assert_int_equal(s_w.s.state, HQC_S_LOGOUT);
    s_key('y'); /* not offered with a ticket at the window */
    assert_int_equal(s_w.s.state, HQC_S_LOGOUT);
    s_no_request();
    s_key('f');
    assert_int_equal(s_w.s.state, HQC_S_MAIN);
    assert_int_equal(s_next().type, HQ_REQ_FINISH);
    s_reply("{\"v\":1,\"type\":\"finish\",\"ok\":true,\"handling_ms\":60000,\"ticket\":"
            "{\"id\":1,\"label\":\"A001\",\"prefix\":\"A\",\"number\":1,\"queue\":\"A\","
            "\"state\":\"finished\",\"lane\":\"normal\",\"calls\":1}}");
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_LOGOUT);
    s_reply(s_ok_logout);
    assert_int_equal(s_w.s.state, HQC_S_QUIT);
    assert_true(s_w.s.logged_out);
}

static void test_q_with_a_ticket_refused_stays(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_w.hall, "A001", 3, 0);
    fx_at_window(&s_w.hall, t, HQ_T_CALLED, FX_MIN);
    s_load();
    s_key('q');
    s_key('x'); /* called once: no no-show yet, so not offered */
    s_no_request();
    s_key('p');
    assert_int_equal(s_next().type, HQ_REQ_PARK);
    s_reply("{\"v\":1,\"type\":\"park\",\"ok\":false,\"error\":{\"code\":\"bad_state\","
            "\"message\":\"counter 3 has no ticket at the window\",\"detail\":\"no_ticket\"}}");
    assert_string_equal(s_message(), "窗口没有叫到的号");
    s_no_request(); /* no logout after a refused park */
    assert_int_equal(s_w.s.state, HQC_S_MAIN);
    /* A transfer first: the queue list, then the logout; Esc there gives both up. */
    s_key('q');
    s_key('t');
    assert_int_equal(s_w.s.state, HQC_S_QUEUE);
    s_key(HQC_KEY_ESC);
    assert_int_equal(s_w.s.state, HQC_S_MAIN);
    assert_false(s_w.s.logout_after);
    s_key('q');
    s_key('t');
    s_key('b');
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_TRANSFER);
    assert_int_equal(req.queue, 'B');
    s_reply("{\"v\":1,\"type\":\"transfer\",\"ok\":true,\"ticket\":{\"id\":1,\"label\":\"A001\","
            "\"prefix\":\"A\",\"number\":1,\"queue\":\"B\",\"state\":\"waiting\"}}");
    assert_int_equal(s_next().type, HQ_REQ_LOGOUT);
}

/* Quitting with the ticket left at the window is a choice of its own (a terminal restarted in
 * the middle of a service): nothing is sent, the next start takes the window over. */
static void test_q_with_a_ticket_quit_only(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_w.hall, "A001", 3, 0);
    fx_at_window(&s_w.hall, t, HQ_T_SERVING, FX_MIN);
    s_load();
    s_key('q');
    s_key('k');
    assert_int_equal(s_w.s.state, HQC_S_QUIT);
    assert_false(s_w.s.logged_out);
    s_no_request();
}

/* Not this clerk's window (taken over, logged out elsewhere): q has nothing to close. */
static void test_q_on_a_window_not_mine_quits(void **state)
{
    (void)state;
    hq_strlcpy(fx_window(&s_w.hall)->clerk, "li", HQ_CLERK_MAX);
    s_load();
    s_key('q');
    assert_int_equal(s_w.s.state, HQC_S_QUIT);
    s_no_request();
    /* Taken over while the question was open: it closes. */
    fx_hall_init(&s_w.hall);
    s_load();
    s_w.s.state = HQC_S_MAIN;
    s_key('q');
    assert_int_equal(s_w.s.state, HQC_S_LOGOUT);
    hq_strlcpy(fx_window(&s_w.hall)->clerk, "li", HQ_CLERK_MAX);
    s_load();
    hqc_session_tick(&s_w.s, &s_w.m, FX_MONO, FX_NOW);
    assert_int_equal(s_w.s.state, HQC_S_MAIN);
}

/* ---- a no-show back in line (过号重排) --------------------------------------------------------
 */
static void test_requeue_a_no_show(void **state)
{
    (void)state;
    s_load();
    s_key('a');
    assert_string_equal(s_message(), "本窗口没有可重排的过号");
    s_no_request();
    hq_ticket_t *t = fx_add(&s_w.hall, "A003", 5, 0);
    fx_at_window(&s_w.hall, t, HQ_T_CALLED, 2 * FX_MIN);
    t->state = HQ_T_NO_SHOW;
    t->calls = 2;
    fx_window(&s_w.hall)->current = 0;
    fx_window(&s_w.hall)->current_label[0] = '\0';
    fx_window(&s_w.hall)->state = HQ_C_IDLE;
    hq_ticket_t *other = fx_add(&s_w.hall, "A004", 5, 0);
    other->state = HQ_T_NO_SHOW;
    other->counter = 1; /* window 1's: not this key's to put back */
    s_load();
    const hq_ticket_t *list[4];
    assert_int_equal(hqc_session_noshows(&s_w.s, &s_w.m, list, 4), 1);
    s_key('a');
    assert_int_equal(s_w.s.state, HQC_S_NOSHOWS);
    s_key('2'); /* no second row */
    s_no_request();
    s_key('1');
    hq_request_t req = s_next();
    assert_int_equal(req.type, HQ_REQ_REACTIVATE);
    assert_string_equal(req.number, "A003");
    assert_int_equal(s_w.s.state, HQC_S_MAIN);
    s_reply("{\"v\":1,\"type\":\"reactivate\",\"ok\":true,\"ticket\":{\"id\":1,\"label\":"
            "\"A003\",\"prefix\":\"A\",\"number\":3,\"queue\":\"A\",\"state\":\"waiting\"}}");
    assert_string_equal(s_message(), "A003 已重新排队（按原取号顺序等候）");
    /* While a ticket is at the window too: a citizen coming back does not wait for it. */
    hq_ticket_t *held = fx_add(&s_w.hall, "B001", 6, 0);
    fx_at_window(&s_w.hall, held, HQ_T_SERVING, FX_MIN);
    s_load();
    s_key('a');
    assert_int_equal(s_w.s.state, HQC_S_NOSHOWS);
    s_key(HQC_KEY_ENTER);
    assert_int_equal(s_next().type, HQ_REQ_REACTIVATE);
}

static void test_alert_follows_the_figures(void **state)
{
    (void)state;
    s_load();
    assert_false(hqc_session_alert(&s_w.s, &s_w.m)); /* no figures yet */
    s_event("finished",
            "{\"seq\":11,\"ts_ms\":1795428000000,\"ticket\":{\"id\":1,\"label\":\"A001\",\"lane\":"
            "\"normal\","
            "\"prefix\":\"A\",\"number\":1,\"queue\":\"A\",\"state\":\"finished\"},\"counter\":"
            "{\"id\":3,\"queues\":\"ABCDEFG\",\"state\":\"idle\",\"clerk\":\"wang\"},"
            "\"handling_ms\":660000,\"instant\":true,\"counter_metric\":{\"count\":1,"
            "\"avg_ms\":660000,\"within\":0,\"max_ms\":660000}}",
            HQ_APPLY_OK);
    assert_true(hqc_session_alert(&s_w.s, &s_w.m));
    s_event("metric",
            "{\"seq\":12,\"ts_ms\":1795428000000,\"day\":\"2026-11-23\",\"target_ms\":600000,"
            "\"hall\":{\"count\":2,\"avg_ms\":400000,\"within\":1,\"max_ms\":660000},\"queues\":[],"
            "\"counters\":[{\"counter\":3,\"count\":2,\"avg_ms\":400000,\"within\":1,"
            "\"max_ms\":660000}]}",
            HQ_APPLY_OK);
    assert_false(hqc_session_alert(&s_w.s, &s_w.m));
}

static void test_resync_after_outage_rereads(void **state)
{
    (void)state;
    s_load();
    hqc_session_t *s = &s_w.s;
    hqc_session_tick(s, &s_w.m, FX_MONO, FX_NOW);
    assert_false(s->figures_wanted);
    assert_false(hqc_session_stale(s, &s_w.m, FX_MONO));
    s_w.m.state = HQ_SYNC_OFFLINE;
    hqc_session_tick(s, &s_w.m, FX_MONO + 10, FX_NOW + 10);
    assert_true(hqc_session_stale(s, &s_w.m, FX_MONO + 10));
    assert_int_equal(s->live_wall_ms, FX_NOW); /* the banner names the last good time */
    s_w.m.state = HQ_SYNC_ACTIVE;
    hqc_session_tick(s, &s_w.m, FX_MONO + 5000, FX_NOW + 5000);
    assert_true(s->figures_wanted);
    assert_true(s->catalog_wanted);
    assert_false(hqc_session_stale(s, &s_w.m, FX_MONO + 5000));
    /* A short resync after a gap is not shown as stale; a long one is. */
    s_w.m.state = HQ_SYNC_SYNCING;
    hqc_session_tick(s, &s_w.m, FX_MONO + 6000, FX_NOW + 6000);
    assert_false(hqc_session_stale(s, &s_w.m, FX_MONO + 6000 + HQC_STALE_MS - 1));
    assert_true(hqc_session_stale(s, &s_w.m, FX_MONO + 6000 + HQC_STALE_MS + 1));
}

static void test_waiting_order_green_first(void **state)
{
    (void)state;
    fx_add(&s_w.hall, "A001", 3, 0);
    fx_add(&s_w.hall, "C001", 10, 1);
    fx_add(&s_w.hall, "A002", 3, 0);
    fx_add(&s_w.hall, "C002", 10, 1);
    hq_ticket_t *other = fx_add(&s_w.hall, "E001", 14, 0);
    (void)other;
    hq_strlcpy(fx_window(&s_w.hall)->queues, "ABCD", HQ_QUEUES_MAX + 1);
    s_load();
    const hq_ticket_t *w[HQC_LIST_MAX];
    int n = hqc_session_waiting(&s_w.s, &s_w.m, w, HQC_LIST_MAX);
    assert_int_equal(n, 4);
    assert_string_equal(w[0]->label, "C001");
    assert_string_equal(w[1]->label, "C002");
    assert_string_equal(w[2]->label, "A001");
    assert_string_equal(w[3]->label, "A002");
    /* Fewer rows than waiting: the first in turn, not the first in the model. */
    assert_int_equal(hqc_session_waiting(&s_w.s, &s_w.m, w, 2), 2);
    assert_string_equal(w[0]->label, "C001");
    assert_string_equal(w[1]->label, "C002");
    assert_int_equal(hqc_session_waiting(&s_w.s, &s_w.m, w, 0), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, s_setup, s_teardown)
    const struct CMUnitTest tests[] = {
        T(test_login_retries_until_answered),
        T(test_login_refused_for_good),
        T(test_login_with_the_clerks_pin),
        T(test_pin_asked_when_refused_for_it),
        T(test_quit_while_logging_in),
        T(test_call_next_and_reply),
        T(test_call_with_nobody_waiting),
        T(test_illegal_keys_refused_not_sent),
        T(test_offline_refuses_actions),
        T(test_call_chosen_number),
        T(test_number_entry_bad_format_and_escape),
        T(test_number_for_other_window_queue),
        T(test_recall_start_finish_rate),
        T(test_rating_by_digit_and_refused_twice),
        T(test_no_show_after_enough_calls),
        T(test_transfer_picks_a_queue),
        T(test_park_and_take_back),
        T(test_pause_with_reason_and_resume),
        T(test_daemon_refusal_shown),
        T(test_action_without_reply),
        T(test_finished_event_updates_figures),
        T(test_snapshot_reply_gives_figures),
        T(test_takeover_event_says_so),
        T(test_pair_code_spent_by_tablet),
        T(test_list_closes_when_state_changes),
        T(test_q_asks_then_logs_out),
        T(test_q_by_arrows_and_quit_only),
        T(test_q_with_a_ticket_finishes_then_logs_out),
        T(test_q_with_a_ticket_refused_stays),
        T(test_q_with_a_ticket_quit_only),
        T(test_q_on_a_window_not_mine_quits),
        T(test_requeue_a_no_show),
        T(test_alert_follows_the_figures),
        T(test_resync_after_outage_rereads),
        T(test_waiting_order_green_first),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
