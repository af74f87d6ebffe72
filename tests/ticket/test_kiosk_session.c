/* The kiosk's session (state machine), driven with keys, taps, replies and the clock as
 * values: no terminal, no socket, no printer. The flow from the choice of a service to the
 * printed ticket; the green lane by key and by ID number, and locked after a failed check;
 * hallqd's refusals; retries with the same token against a fake hallqd that counts tickets;
 * hallqd's silence shown up front; printer failures and the short reprint window; leaving
 * the program; staff mode (sign-in, reprint, a no-show back in line, a green lane with a
 * reason, its timeout); timers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kiosk_fixture.h"

/* ---- the flow ------------------------------------------------------------------------------- */

static void test_offline_until_catalog(void **state)
{
    fx_t *fx = *state;
    assert_int_equal(fx->s.state, KIOSK_S_OFFLINE);
    kiosk_action_t act = fx_expect(fx, KIOSK_DO_SEND);
    assert_int_equal(act.request.type, HQ_REQ_CATALOG);
    fx_shows(fx, "正在连接叫号系统，请稍候", KIOSK_R_STRONG);
    fx_lacks(fx, "tcp://"); /* no address, no device for citizens */
    /* No answer: the timer says when, and then the kiosk says it is paused, at once. */
    assert_int_equal(kiosk_session_wake(&fx->s, fx->now), FX_TIMEOUT);
    fx_advance(fx, FX_TIMEOUT - 1);
    fx_nothing(fx);
    fx_advance(fx, 1);
    fx_expect(fx, KIOSK_DO_CANCEL);
    fx_nothing(fx);
    fx_shows(fx, "暂停取号", KIOSK_R_ERROR);
    fx_shows(fx, "叫号系统暂时无法连接", KIOSK_R_TEXT);
    fx_lacks(fx, "tcp://");
    assert_string_equal(fx->s.fault, "叫号系统 tcp://127.0.0.1:5570 没有应答"); /* for staff */
    assert_int_equal(kiosk_session_wake(&fx->s, fx->now), KIOSK_RETRY_MS);
    fx_advance(fx, KIOSK_RETRY_MS);
    fx_expect(fx, KIOSK_DO_SEND);
    /* Refused (a kiosk key the hall does not know): paused too; hallqd's words are staff's. */
    fx_reply(fx, fx_decode("{\"v\":1,\"ok\":false,\"type\":\"catalog\",\"error\":{\"code\":"
                           "\"forbidden\",\"message\":\"no role for this key\"}}"));
    fx_shows(fx, "暂停取号", KIOSK_R_ERROR);
    fx_lacks(fx, "no role for this key");
    assert_non_null(strstr(fx->s.fault, "no role for this key"));
    fx_nothing(fx);
    /* Any key asks at once; Q does not quit: it asks for staff. */
    fx_keys(fx, " ");
    fx_online(fx);
    fx_shows(fx, "请选择业务类别", KIOSK_R_STRONG);
    fx_shows(fx, "医保服务大厅  自助取号", KIOSK_R_TITLE);
    fx_shows(fx, "1  A  参保登记与变更", KIOSK_R_SELECTED);
    fx_shows(fx, "2  B  参保查询与参保凭证", KIOSK_R_BUTTON);
    fx_lacks(fx, "退出");
    assert_int_equal(fx->s.catalogs, 1);
    fx_keys(fx, "q");
    assert_int_equal(fx->s.state, KIOSK_S_STAFF_LOGIN);
    fx_nothing(fx);
}

static void test_issue_print_result(void **state)
{
    fx_t *fx = *state;
    fx_online(fx);
    fx_keys(fx, "1");
    fx_shows(fx, "0  不指定具体事项", KIOSK_R_SELECTED);
    fx_key(fx, KIOSK_KEY_DOWN);
    fx_key(fx, KIOSK_KEY_DOWN);
    fx_shows(fx, "2  城乡居民参保登记", KIOSK_R_SELECTED);
    fx_key(fx, KIOSK_KEY_ENTER);
    assert_int_equal(fx->s.state, KIOSK_S_CONFIRM);
    fx_shows(fx, "1. 有效身份证件", KIOSK_R_TEXT);
    fx_shows(fx, "老年人绿色通道：否", KIOSK_R_TEXT);
    hq_request_t req = fx_take(fx);
    /* The request as hallqd must see it: queue, service, lane, a token, no ID number. */
    assert_int_equal(req.type, HQ_REQ_ISSUE);
    assert_int_equal(req.queue, 'A');
    assert_int_equal(req.service, 3);
    assert_int_equal(req.elderly, 0);
    assert_string_equal(req.token, FX_PREFIX "-1");
    assert_string_equal(req.id_number, "");
    /* While it is in flight the screen keeps drawing and keys change nothing. */
    fx_shows(fx, "正在取号，请稍候", KIOSK_R_STRONG);
    fx_lacks(fx, "取号  回车"); /* no button while it is under way */
    fx_keys(fx, "\n\ngq");
    assert_int_equal(fx->s.state, KIOSK_S_ISSUING);
    fx_nothing(fx);
    assert_string_equal(fx_issued(fx, &req), "A001");
    fx_shows(fx, "A 0 0 1", KIOSK_R_NUMBER);
    fx_shows(fx, "前面等候 2 人", KIOSK_R_TEXT);
    fx_shows(fx, "预计等候约 8 分钟", KIOSK_R_TEXT);
    fx_shows(fx, "号票已打印，请取票。", KIOSK_R_STRONG);
    fx_lacks(fx, "老年人绿色通道");
    /* A tap on "完成": the next citizen, and a quiet catalog refresh on the way. */
    fx_tap(fx, "完成");
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
    assert_int_equal(fx_expect(fx, KIOSK_DO_SEND).request.type, HQ_REQ_CATALOG);
    assert_int_equal(fx->fake.issued, 1);
}

static void test_green_lane_by_key(void **state)
{
    fx_t *fx = *state;
    fx_confirm(fx);
    fx_keys(fx, "g");
    fx_shows(fx, "老年人绿色通道：是", KIOSK_R_GREEN);
    fx_keys(fx, "G");
    fx_shows(fx, "老年人绿色通道：否", KIOSK_R_TEXT);
    fx_keys(fx, "g");
    hq_request_t req = fx_take(fx);
    assert_int_equal(req.elderly, 1);
    fx_issued(fx, &req);
    fx_shows(fx, "老年人绿色通道", KIOSK_R_GREEN);
}

/* Types an ID number on the confirm page and presses Enter. */
static void s_id(fx_t *fx, const char *id)
{
    fx_keys(fx, "i");
    assert_int_equal(fx->s.state, KIOSK_S_ID_ENTRY);
    fx_keys(fx, id);
    fx_key(fx, KIOSK_KEY_ENTER);
    /* Decided, right or wrong: nothing of the number is left. */
    for (size_t i = 0; i < sizeof fx->s.id; i++)
        assert_int_equal(fx->s.id[i], 0);
    assert_int_equal(fx->s.id_len, 0);
}

static void test_green_lane_by_id_number(void **state)
{
    fx_t *fx = *state;
    fx_confirm(fx);
    /* Masked on screen but for the last four. */
    fx_keys(fx, "i110105194912");
    fx_shows(fx, "********4912______", KIOSK_R_INPUT);
    fx_key(fx, KIOSK_KEY_ESC);
    assert_int_equal(fx->s.state, KIOSK_S_CONFIRM);
    /* 76 years old: the green lane. */
    s_id(fx, "11010519491231002x");
    assert_int_equal(fx->s.state, KIOSK_S_CONFIRM);
    assert_true(fx->s.green);
    fx_shows(fx, "已核验：年满 60 周岁，已选择老年人绿色通道。", KIOSK_R_STRONG);
    fx_shows(fx, "老年人绿色通道：是", KIOSK_R_GREEN);
    /* 60 today exactly: green; born a day later: 59, normal. */
    s_id(fx, "320902196611234564");
    assert_true(fx->s.green);
    s_id(fx, "32090219661124456X");
    assert_false(fx->s.green);
    fx_shows(fx, "已核验：未满 60 周岁，按普通号办理。", KIOSK_R_STRONG);
    /* Another number may still clear the check: a citizen may have mistyped their own. */
    s_id(fx, "11010519491231002X");
    hq_request_t req = fx_take(fx);
    assert_int_equal(req.elderly, 1);
    assert_string_equal(req.id_number, ""); /* only the flag leaves the kiosk */
}

static void test_id_number_refused_with_reason(void **state)
{
    fx_t *fx = *state;
    fx_confirm(fx);
    static const struct {
        const char *id;
        const char *says;
    } bad[] = {
        {"1101051949", "应为 18 位，现为 10 位"},
        {"110105194912310021", "校验位不符"},
        {"320902194902301232", "出生日期无效"}, /* 30 February */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s_id(fx, bad[i].id);
        /* Stays on the entry page with the reason as an error; nothing is sent. */
        assert_int_equal(fx->s.state, KIOSK_S_ID_ENTRY);
        fx_shows(fx, bad[i].says, KIOSK_R_ERROR);
        fx_lacks(fx, "3209021949");
        fx_nothing(fx);
        fx_key(fx, KIOSK_KEY_ESC);
    }
    assert_false(fx->s.green);
    /* Keys that cannot be part of a number are not taken; X only as the last character. */
    fx_keys(fx, "iX12a");
    assert_int_equal(fx->s.id_len, 2);
    fx_key(fx, KIOSK_KEY_BACKSPACE);
    assert_int_equal(fx->s.id_len, 1);
    fx_key(fx, KIOSK_KEY_ESC);
    /* English reasons for an English kiosk. */
    fx->s.lang = UI_LANG_EN;
    s_id(fx, "110105194912310021");
    fx_shows(fx, "check digit does not match", KIOSK_R_ERROR);
}

static void test_daemon_refusal_is_a_message(void **state)
{
    fx_t *fx = *state;
    fx_confirm(fx);
    hq_request_t req = fx_take(fx);
    (void)req;
    fx_reply(fx,
             fx_decode("{\"v\":1,\"ok\":false,\"type\":\"issue\",\"error\":{\"code\":"
                       "\"bad_state\",\"message\":\"queue A has issued 9999 tickets today\"}}"));
    assert_int_equal(fx->s.state, KIOSK_S_CONFIRM);
    /* In the citizen's language only: hallqd's English words go to the log. */
    fx_shows(fx, "取号失败：该业务今日暂停取号", KIOSK_R_ERROR);
    fx_lacks(fx, "queue A has issued");
    assert_null(fx->s.last);
    fx_nothing(fx); /* nothing kept, nothing printed */
    /* A refused issue is answered: the next press is a new request with a new token. */
    hq_request_t again = fx_take(fx);
    assert_string_equal(again.token, FX_PREFIX "-2");
}

/* The calendar's and the quota's refusals, each in its own words with what the error
 * carries; hallqd's English stays in the log. */
static void test_calendar_and_quota_refusals(void **state)
{
    fx_t *fx = *state;
    static const struct {
        const char *error; /* the reply's error object */
        int en;
        const char *shows;
    } cases[] = {
        {"{\"code\":\"not_issuing\",\"message\":\"queue A issues tickets today at "
         "08:30-11:30, 13:30-16:30\",\"issue_hours\":\"08:30-11:30, 13:30-16:30\"}",
         0, "现在不是取号时间。今日取号时间为 08:30-11:30、13:30-16:30"},
        {"{\"code\":\"not_issuing\",\"message\":\"x\",\"issue_hours\":\"08:30-11:30, "
         "13:30-16:30\"}",
         1, "Not issuing now. Today's ticket hours: 08:30-11:30, 13:30-16:30"},
        {"{\"code\":\"closed_today\",\"message\":\"x\",\"issue_hours\":\"\","
         "\"next_working_day\":\"2026-10-08\"}",
         0, "今日不办理取号，下一个工作日为 2026-10-08"},
        {"{\"code\":\"closed_today\",\"message\":\"x\",\"issue_hours\":\"\"}", 0, "今日不办理取号"},
        {"{\"code\":\"quota_exhausted\",\"message\":\"x\",\"issue_hours\":\"\"}", 0,
         "今日号源已发完，请改日再来"},
        {"{\"code\":\"quota_exhausted\",\"message\":\"x\",\"issue_hours\":\"\","
         "\"reserved_for\":\"green\"}",
         0, "今日号源已发完（余号留给老年人绿色通道）"},
        {"{\"code\":\"quota_exhausted\",\"message\":\"x\",\"issue_hours\":\"\","
         "\"reserved_for\":\"appointment\"}",
         0, "今日现场号已发完（余号留给预约签到）"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fx->s.lang = cases[i].en ? UI_LANG_EN : UI_LANG_ZH;
        if (i == 0)
            fx_confirm(fx);
        (void)fx_take(fx); /* again from the confirm page the refusal left it on */
        char text[600];
        snprintf(text, sizeof text, "{\"v\":1,\"ok\":false,\"type\":\"issue\",\"error\":%s}",
                 cases[i].error);
        fx_reply(fx, fx_decode(text));
        assert_int_equal(fx->s.state, KIOSK_S_CONFIRM);
        fx_shows(fx, cases[i].shows, KIOSK_R_ERROR);
        fx_lacks(fx, "queue A issues");
        assert_null(fx->s.last);
        fx_nothing(fx);
    }
}

static void test_retry_keeps_the_token(void **state)
{
    fx_t *fx = *state;
    fx_confirm(fx);
    hq_request_t first = fx_take(fx);
    /* hallqd got it and issued, but its reply is lost. */
    hq_reply_t lost = fx_fake_issue(&fx->fake, &first);
    hq_reply_clear(&lost);
    assert_int_equal(kiosk_session_wake(&fx->s, fx->now), FX_TIMEOUT);
    fx_advance(fx, FX_TIMEOUT);
    hq_request_t second = fx_expect(fx, KIOSK_DO_SEND).request;
    assert_string_equal(second.token, first.token);
    assert_int_equal(second.queue, first.queue);
    assert_int_equal(second.service, first.service);
    assert_int_equal(second.elderly, first.elderly);
    fx_shows(fx, "正在重试（第 2 次，共 3 次）", KIOSK_R_STRONG);
    assert_int_equal(fx->s.state, KIOSK_S_ISSUING);
    /* The retry's reply: the ticket issued the first time. */
    fx_issued(fx, &second);
    assert_int_equal(fx->fake.requests, 2);
    assert_int_equal(fx->fake.issued, 1);
    fx_shows(fx, "A 0 0 1", KIOSK_R_NUMBER);
}

static void test_unreachable_then_same_token(void **state)
{
    fx_t *fx = *state;
    fx_confirm(fx);
    hq_request_t first = fx_take(fx);
    for (int attempt = 2; attempt <= KIOSK_ATTEMPTS; attempt++) {
        fx_advance(fx, FX_TIMEOUT);
        assert_string_equal(fx_expect(fx, KIOSK_DO_SEND).request.token, first.token);
    }
    fx_advance(fx, FX_TIMEOUT);
    fx_expect(fx, KIOSK_DO_CANCEL);
    fx_nothing(fx);
    assert_int_equal(fx->s.state, KIOSK_S_CONFIRM);
    fx_shows(fx, "叫号系统没有应答，未能取号。", KIOSK_R_ERROR);
    /* hallqd counts as gone: Enter asks whether it is back, and says so at once. */
    fx_keys(fx, "\n");
    assert_int_equal(fx->s.state, KIOSK_S_CONFIRM);
    fx_shows(fx, "现在不能取号", KIOSK_R_ERROR);
    kiosk_action_t ping = fx_expect(fx, KIOSK_DO_SEND);
    assert_int_equal(ping.request.type, HQ_REQ_PING);
    fx_reply(fx, fx_decode("{\"v\":1,\"type\":\"ping\",\"ok\":true}"));
    fx_lacks(fx, "现在不能取号");
    /* hallqd may have issued it after all: the same choice asks again with the same token. */
    hq_request_t again = fx_take(fx);
    assert_string_equal(again.token, first.token);
    hq_reply_t lost = fx_fake_issue(&fx->fake, &again);
    hq_reply_clear(&lost);
    fx_advance(fx, FX_TIMEOUT);
    kiosk_action_t retry = fx_expect(fx, KIOSK_DO_SEND);
    fx_issued(fx, &retry.request);
    assert_int_equal(fx->fake.issued, 1);
    /* Another choice is another ticket: a new token. */
    fx_keys(fx, "\n");
    fx_expect(fx, KIOSK_DO_SEND);
    fx_reply(fx, fx_decode(fx_catalog_json)); /* the catalog refresh: hallqd is back */
    fx_choose(fx);
    fx_keys(fx, "g");
    hq_request_t green = fx_take(fx);
    assert_string_not_equal(green.token, first.token);
}

static void test_printer_failure_reprints_same_ticket(void **state)
{
    fx_t *fx = *state;
    fx_confirm(fx);
    hq_request_t req = fx_take(fx);
    fx_reply(fx, fx_fake_issue(&fx->fake, &req));
    kiosk_action_t keep = fx_expect(fx, KIOSK_DO_KEEP);
    kiosk_session_kept(&fx->s, 0, "no place to keep the ticket");
    kiosk_action_t print = fx_expect(fx, KIOSK_DO_PRINT);
    assert_ptr_equal(print.record, keep.record);
    kiosk_session_printed(&fx->s, 0, "打印机 /dev/full 写入失败：No space left on device", 0,
                          fx->now);
    assert_int_equal(fx->s.state, KIOSK_S_RESULT);
    /* In plain words for the citizen; the device is for staff. */
    fx_shows(fx, "打印机出了故障，号票没有打印出来。", KIOSK_R_ERROR);
    fx_lacks(fx, "/dev/full");
    assert_non_null(strstr(fx->s.fault, "/dev/full"));
    fx_shows(fx, "号码已生效，不会重复取号。请按「重新打印」再试", KIOSK_R_STRONG);
    fx_shows(fx, "补打记录未能保存：no place to keep the ticket", KIOSK_R_DIM);
    fx_shows(fx, "A 0 0 1", KIOSK_R_NUMBER);
    /* R prints the same ticket again, marked as a reprint; nothing is sent. */
    for (int round = 0; round < 2; round++) {
        fx_keys(fx, "r");
        assert_int_equal(fx->s.state, KIOSK_S_PRINTING);
        kiosk_action_t again = fx_expect(fx, KIOSK_DO_PRINT);
        assert_ptr_equal(again.record, print.record);
        assert_true(again.reprint);
        kiosk_session_printed(&fx->s, round == 1, "still out of paper", 3, fx->now);
        fx_nothing(fx);
    }
    fx_shows(fx, "号票已补打，请取票。", KIOSK_R_STRONG);
    fx_shows(fx, "有 3 个字符打印机无法打印", KIOSK_R_DIM);
    assert_int_equal(fx->fake.requests, 1);
    assert_int_equal(fx->fake.issued, 1);
}

/* A citizen may print their own ticket again for KIOSK_REPRINT_MS after it was printed, on
 * its result page only; then the button is gone and R says to ask at the desk. */
static void test_reprint_only_for_a_short_time(void **state)
{
    fx_t *fx = *state;
    fx_confirm(fx);
    hq_request_t req = fx_take(fx);
    fx_reply(fx, fx_fake_issue(&fx->fake, &req));
    fx_expect(fx, KIOSK_DO_KEEP);
    kiosk_session_kept(&fx->s, 1, "");
    fx_expect(fx, KIOSK_DO_PRINT);
    kiosk_session_printed(&fx->s, 0, "printer offline", 0, fx->now);
    assert_int_equal(fx_tap_key(fx, "重新打印"), 'r');
    /* Keys keep the page up; the reprint window does not follow them. */
    fx_advance(fx, KIOSK_RESULT_MS - 1);
    fx_tap(fx, "重新打印");
    kiosk_action_t again = fx_expect(fx, KIOSK_DO_PRINT);
    assert_true(again.reprint);
    kiosk_session_printed(&fx->s, 0, "printer offline", 0, fx->now);
    assert_int_equal(kiosk_session_wake(&fx->s, fx->now), KIOSK_RESULT_MS); /* the page's */
    fx_advance(fx, KIOSK_RESULT_MS - 10000);
    fx_keys(fx, "x"); /* nothing bound: a key, not an action */
    fx_advance(fx, KIOSK_REPRINT_MS - 2 * KIOSK_RESULT_MS + 10000);
    fx_shows(fx, "重新打印", -1);
    assert_int_equal(kiosk_session_wake(&fx->s, fx->now), 1); /* the button goes */
    fx_advance(fx, 1);
    fx_lacks(fx, "重新打印");
    fx_shows(fx, "请记下号码，到服务台补打。", KIOSK_R_STRONG);
    fx_keys(fx, "r");
    assert_int_equal(fx->s.state, KIOSK_S_RESULT);
    fx_nothing(fx);
    fx_shows(fx, "补打请到服务台，由工作人员办理。", KIOSK_R_ERROR);
    assert_int_equal(fx->fake.issued, 1);
}

/* The next citizen cannot print the one before's ticket: R on the start page is no key, and
 * the ticket printed is gone from the kiosk's pages once its citizen went. */
static void test_no_reprint_from_start_page(void **state)
{
    fx_t *fx = *state;
    fx_confirm(fx);
    hq_request_t req = fx_take(fx);
    fx_issued(fx, &req);
    fx_keys(fx, "\n");
    fx_expect(fx, KIOSK_DO_SEND); /* the catalog refresh */
    assert_null(fx->s.last);
    fx_keys(fx, "rR");
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
    fx_nothing(fx);
    fx_lacks(fx, "补打");
    assert_int_equal(fx->fake.issued, 1);
}

static void test_pages_time_out(void **state)
{
    fx_t *fx = *state;
    fx_online(fx);
    /* The start page waits, but asks after hallqd when it has been silent a while. */
    assert_int_equal(kiosk_session_wake(&fx->s, fx->now), KIOSK_PING_MS);
    fx_choose(fx);
    fx_keys(fx, "i1101");
    assert_int_equal(kiosk_session_wake(&fx->s, fx->now), KIOSK_IDLE_MS);
    fx_advance(fx, KIOSK_IDLE_MS - 1);
    assert_int_equal(fx->s.state, KIOSK_S_ID_ENTRY);
    fx_advance(fx, 1);
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES); /* dropped, the number wiped */
    assert_int_equal(fx->s.id_len, 0);
    assert_int_equal(fx->s.queue, 0);
    /* The result page: back to the start after KIOSK_RESULT_MS, a refresh on the way. */
    fx_choose(fx);
    hq_request_t req = fx_take(fx);
    fx_issued(fx, &req);
    fx_advance(fx, KIOSK_RESULT_MS - 1);
    assert_int_equal(fx->s.state, KIOSK_S_RESULT);
    fx_advance(fx, 1);
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
    assert_int_equal(fx_expect(fx, KIOSK_DO_SEND).request.type, HQ_REQ_CATALOG);
    /* A refresh that gets no answer is dropped quietly; the catalog stays. */
    fx_advance(fx, FX_TIMEOUT);
    fx_expect(fx, KIOSK_DO_CANCEL);
    fx_nothing(fx);
    assert_string_equal(fx->s.note, "");
    assert_int_equal(fx->s.cat.nqueues, 2);
}

static void test_catalog_changes_between_citizens(void **state)
{
    fx_t *fx = *state;
    fx_confirm(fx);
    hq_request_t req = fx_take(fx);
    fx_issued(fx, &req);
    fx_keys(fx, "\n");
    fx_expect(fx, KIOSK_DO_SEND);
    fx_choose(fx);
    /* A catalog with a third category comes while a citizen is choosing: taken at the start
     * page, so the choice on screen never changes under them. */
    char *more = strdup(fx_catalog_json);
    char *at = strstr(more, "{\"prefix\":\"B\"");
    assert_non_null(at);
    char text[4096];
    snprintf(text, sizeof text, "%.*s{\"prefix\":\"C\",\"name\":\"异地就医备案\"},%s",
             (int)(at - more), more, at);
    free(more);
    fx_reply(fx, fx_decode(text));
    assert_int_equal(fx->s.cat.nqueues, 2);
    fx_shows(fx, "城乡居民参保登记", KIOSK_R_STRONG);
    fx_key(fx, KIOSK_KEY_ESC);
    fx_key(fx, KIOSK_KEY_ESC);
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
    assert_int_equal(fx->s.cat.nqueues, 3);
    fx_shows(fx, "2  C  异地就医备案", KIOSK_R_BUTTON);
    assert_int_equal(fx->s.catalogs, 2);
}

static void test_issue_goes_before_a_refresh(void **state)
{
    fx_t *fx = *state;
    fx_confirm(fx);
    hq_request_t req = fx_take(fx);
    fx_issued(fx, &req);
    fx_keys(fx, "\n");
    assert_int_equal(fx_expect(fx, KIOSK_DO_SEND).request.type, HQ_REQ_CATALOG);
    /* The next citizen is quick: their issue replaces the refresh in flight. */
    fx_choose(fx);
    hq_request_t next = fx_take(fx);
    assert_int_equal(next.type, HQ_REQ_ISSUE);
    assert_int_equal(fx->s.inflight, KIOSK_REQ_ISSUE);
    assert_string_equal(fx_issued(fx, &next), "A002");
}

/* ---- hallqd's state up front ------------------------------------------------------------ */

static hq_reply_t s_pong(void)
{
    return fx_decode("{\"v\":1,\"type\":\"ping\",\"ok\":true}");
}

/* Nobody choosing: a ping after KIOSK_PING_MS of silence; no answer and the start page says
 * the kiosk is paused, before any citizen waits for a ticket that cannot come. */
static void test_start_page_shows_hallqd_gone(void **state)
{
    fx_t *fx = *state;
    fx_online(fx);
    fx_advance(fx, KIOSK_PING_MS - 1);
    fx_nothing(fx);
    fx_advance(fx, 1);
    kiosk_action_t ping = fx_expect(fx, KIOSK_DO_SEND);
    assert_int_equal(ping.request.type, HQ_REQ_PING);
    fx_reply(fx, s_pong());
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
    assert_int_equal(kiosk_session_wake(&fx->s, fx->now), KIOSK_PING_MS);
    fx_advance(fx, KIOSK_PING_MS);
    fx_expect(fx, KIOSK_DO_SEND);
    fx_advance(fx, FX_TIMEOUT);
    fx_expect(fx, KIOSK_DO_CANCEL);
    assert_int_equal(fx->s.state, KIOSK_S_OFFLINE);
    fx_shows(fx, "暂停取号", KIOSK_R_ERROR);
    fx_lacks(fx, "请选择业务类别");
    fx_lacks(fx, "tcp://");
    /* No choice is offered while paused: keys ask again at once instead. */
    fx_keys(fx, "1");
    assert_int_equal(fx->s.state, KIOSK_S_OFFLINE);
    kiosk_action_t again = fx_expect(fx, KIOSK_DO_SEND);
    assert_int_equal(again.request.type, HQ_REQ_CATALOG);
    fx_reply(fx, fx_decode(fx_catalog_json));
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
    fx_shows(fx, "1  A  参保登记与变更", -1);
}

/* A citizen starts choosing after a silence: hallqd is asked at once, and its silence is told
 * while they choose; Enter then fails at once, sending no issue, until hallqd answers. */
static void test_choosing_is_told_at_once(void **state)
{
    fx_t *fx = *state;
    fx_online(fx);
    fx_advance(fx, KIOSK_FRESH_MS);
    fx_keys(fx, "1");
    assert_int_equal(fx->s.state, KIOSK_S_SERVICES);
    kiosk_action_t ping = fx_expect(fx, KIOSK_DO_SEND);
    assert_int_equal(ping.request.type, HQ_REQ_PING);
    fx_keys(fx, "2");
    fx_advance(fx, FX_TIMEOUT);
    fx_expect(fx, KIOSK_DO_CANCEL);
    assert_int_equal(fx->s.state, KIOSK_S_CONFIRM);
    fx_shows(fx, "叫号系统暂时无法连接，现在不能取号。", KIOSK_R_ERROR);
    int64_t before = fx->now;
    fx_keys(fx, "\n");
    assert_int_equal(fx->s.state, KIOSK_S_CONFIRM); /* no ISSUING, no waiting */
    kiosk_action_t check = fx_expect(fx, KIOSK_DO_SEND);
    assert_int_equal(check.request.type, HQ_REQ_PING);
    assert_int_equal(fx->now, before);
    fx_reply(fx, s_pong());
    fx_lacks(fx, "现在不能取号");
    hq_request_t req = fx_take(fx);
    assert_string_equal(fx_issued(fx, &req), "A001");
    /* Quick citizens do not wait on it: within KIOSK_FRESH_MS of an answer nothing is asked. */
    fx_keys(fx, "\n");
    fx_expect(fx, KIOSK_DO_SEND);
    fx_reply(fx, fx_decode(fx_catalog_json));
    fx_keys(fx, "1");
    fx_nothing(fx);
}

/* ---- the green lane after a failed check ---------------------------------------------- */

static void test_green_lane_locked_after_a_failed_check(void **state)
{
    fx_t *fx = *state;
    fx_confirm(fx);
    assert_int_equal(fx_tap_key(fx, "绿色通道"), 'g');
    s_id(fx, "32090219661124456X"); /* 59 */
    fx_shows(fx, "未满 60 周岁", KIOSK_R_STRONG);
    fx_keys(fx, "g");
    assert_false(fx->s.green);
    fx_shows(fx, "身份证核验未满 60 周岁，不能自选绿色通道", KIOSK_R_ERROR);
    fx_lacks(fx, "绿色通道  G"); /* the button is gone */
    /* Going back and choosing again is the same citizen: still locked. */
    fx_key(fx, KIOSK_KEY_ESC);
    fx_key(fx, KIOSK_KEY_ESC);
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
    fx_choose(fx);
    fx_keys(fx, "G");
    assert_false(fx->s.green);
    hq_request_t req = fx_take(fx);
    assert_int_equal(req.elderly, 0);
    fx_issued(fx, &req);
    /* The next citizen may declare it. */
    fx_keys(fx, "\n");
    fx_expect(fx, KIOSK_DO_SEND);
    fx_reply(fx, fx_decode(fx_catalog_json));
    fx_choose(fx);
    fx_keys(fx, "g");
    assert_true(fx->s.green);
}

/* ---- leaving the program ---------------------------------------------------------------- */

static void test_exit_takes_staff_or_the_hall_keys(void **state)
{
    fx_t *fx = *state;
    fx_online(fx);
    /* Ctrl-C and the like are keys: nothing happens. */
    fx_key(fx, 3);
    fx_key(fx, 28);
    fx_key(fx, 26);
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
    fx_key(fx, KIOSK_KEY_F(10));
    assert_int_equal(fx->s.state, KIOSK_S_STAFF_LOGIN);
    fx_shows(fx, "退出取号程序", KIOSK_R_STRONG);
    fx_shows(fx, "工作人员也可按本厅设定的退出组合键退出。", KIOSK_R_DIM);
    fx_lacks(fx, "ctrl-x"); /* the keys are not told */
    fx_key(fx, KIOSK_KEY_ESC);
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
    /* The hall's keys, in turn, on any page; a wrong key in between starts them again. */
    fx_choose(fx);
    fx_key(fx, 24);
    fx_key(fx, 17 - 1);
    fx_key(fx, 17);
    assert_int_equal(fx->s.state, KIOSK_S_CONFIRM);
    fx_key(fx, 24);
    fx_key(fx, 24);
    fx_key(fx, 17);
    fx_expect(fx, KIOSK_DO_QUIT);
}

static void test_exit_prompt_says_how_a_hall_sets_one(void **state)
{
    fx_t *fx = *state;
    /* The hall has neither a roster nor exit keys. */
    const char *tail = strstr(fx_catalog_json, "\"roster\"");
    assert_non_null(tail);
    char text[4096];
    snprintf(text, sizeof text, "%.*s\"roster\":false,\"kiosk\":{\"exit_keys\":\"\"}}",
             (int)(tail - fx_catalog_json), fx_catalog_json);
    fx_expect(fx, KIOSK_DO_SEND);
    fx_reply(fx, fx_decode(text));
    assert_int_equal(fx->s.nexit_keys, 0);
    fx_keys(fx, "q");
    fx_shows(fx, "本厅尚未建立柜员名册，工作人员模式不可用。", KIOSK_R_TEXT);
    fx_shows(fx, "[kiosk] exit_keys", KIOSK_R_DIM);
    fx_shows(fx, "hallqctl clerk add", KIOSK_R_DIM);
    fx_keys(fx, "wang\n2468\n");
    fx_nothing(fx); /* nothing to sign in with */
    fx_key(fx, 24);
    fx_key(fx, 17);
    assert_int_equal(fx->s.state, KIOSK_S_STAFF_LOGIN);
}

/* ---- staff mode ------------------------------------------------------------------------- */

static void test_staff_sign_in(void **state)
{
    fx_t *fx = *state;
    fx_online(fx);
    fx_tap(fx, "工作人员");
    assert_int_equal(fx->s.state, KIOSK_S_STAFF_LOGIN);
    fx_shows(fx, "工作人员登录", KIOSK_R_STRONG);
    /* A wrong PIN: hallqd's refusal in words for staff, the PIN field empty again. */
    fx_keys(fx, "wang\n1111\n");
    kiosk_action_t act = fx_expect(fx, KIOSK_DO_SEND);
    assert_int_equal(act.request.type, HQ_REQ_STAFF);
    assert_string_equal(act.request.pin, "1111");
    assert_string_equal(fx->s.form_pin, ""); /* wiped once sent */
    fx_reply(fx, fx_decode("{\"v\":1,\"type\":\"staff\",\"ok\":false,\"error\":{\"code\":"
                           "\"forbidden\",\"message\":\"wrong PIN for clerk wang\"}}"));
    assert_int_equal(fx->s.state, KIOSK_S_STAFF_LOGIN);
    fx_shows(fx, "未能登录：密码不正确", KIOSK_R_ERROR);
    fx_lacks(fx, "wrong PIN");
    assert_string_equal(fx->s.outgoing.pin, "");
    assert_int_equal(fx->s.field, 1);
    /* A short PIN is not sent at all. */
    fx_keys(fx, "12\n");
    fx_nothing(fx);
    fx_shows(fx, "密码为 4 到 12 位数字", KIOSK_R_ERROR);
    fx_key(fx, KIOSK_KEY_BACKSPACE);
    fx_key(fx, KIOSK_KEY_BACKSPACE);
    fx_key(fx, KIOSK_KEY_FIELD);
    fx_key(fx, KIOSK_KEY_BACKSPACE);
    fx_key(fx, KIOSK_KEY_BACKSPACE);
    fx_key(fx, KIOSK_KEY_BACKSPACE);
    fx_key(fx, KIOSK_KEY_BACKSPACE);
    fx_sign_in(fx);
    fx_shows(fx, "工作人员模式：wang", KIOSK_R_STRONG);
    fx_shows(fx, "tcp://127.0.0.1:5570", KIOSK_R_DIM); /* staff see the address */
    assert_string_equal(fx->s.staff_pin, "2468");
    /* A minute without a key: staff mode ends, and the PIN is gone with it. */
    assert_int_equal(kiosk_session_wake(&fx->s, fx->now), KIOSK_STAFF_IDLE_MS);
    fx_advance(fx, KIOSK_STAFF_IDLE_MS);
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
    assert_false(kiosk_session_staff(&fx->s));
    for (size_t i = 0; i < sizeof fx->s.staff_pin; i++)
        assert_int_equal(fx->s.staff_pin[i], 0);
}

static void test_staff_puts_a_no_show_back(void **state)
{
    fx_t *fx = *state;
    fx_online(fx);
    fx_keys(fx, "q");
    fx_sign_in(fx);
    fx_keys(fx, "2");
    assert_int_equal(fx->s.state, KIOSK_S_STAFF_NUMBER);
    fx_keys(fx, "7"); /* a number starts with its letter */
    fx_keys(fx, "a0031");
    fx_key(fx, KIOSK_KEY_BACKSPACE);
    assert_string_equal(fx->s.form_number, "A003");
    fx_keys(fx, "\n");
    kiosk_action_t act = fx_expect(fx, KIOSK_DO_SEND);
    assert_int_equal(act.request.type, HQ_REQ_REACTIVATE);
    assert_string_equal(act.request.number, "A003");
    assert_string_equal(act.request.clerk, "wang");
    assert_string_equal(act.request.pin, "2468");
    fx_reply(fx, fx_decode("{\"v\":1,\"type\":\"reactivate\",\"ok\":false,\"error\":{\"code\":"
                           "\"bad_state\",\"message\":\"A003 is waiting, not no_show\"}}"));
    fx_shows(fx, "A003 未能重新排队：这个号现在不是过号状态", KIOSK_R_ERROR);
    fx_keys(fx, "\n");
    fx_expect(fx, KIOSK_DO_SEND);
    fx_reply(fx, fx_decode("{\"v\":1,\"type\":\"reactivate\",\"ok\":true}"));
    fx_shows(fx, "A003 已按原顺序重新排队。", KIOSK_R_STRONG);
    assert_string_equal(fx->s.form_number, "");
    fx_key(fx, KIOSK_KEY_ESC);
    assert_int_equal(fx->s.state, KIOSK_S_STAFF);
}

static void test_staff_sets_the_green_lane_with_a_reason(void **state)
{
    fx_t *fx = *state;
    fx_confirm(fx);
    s_id(fx, "32090219661124456X"); /* the check says 59: the citizen may not */
    fx_key(fx, KIOSK_KEY_ESC);
    fx_key(fx, KIOSK_KEY_ESC);
    fx_tap(fx, "工作人员"); /* staff come to help */
    fx_sign_in(fx);
    fx_tap(fx, "代为取绿色通道号");
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
    fx_shows(fx, "工作人员代取绿色通道号", KIOSK_R_GREEN);
    fx_choose(fx);
    fx_shows(fx, "老年人绿色通道：是", KIOSK_R_GREEN);
    fx_keys(fx, "\n");
    assert_int_equal(fx->s.state, KIOSK_S_STAFF_REASON);
    /* "Other": typed. */
    fx_keys(fx, "4");
    assert_true(fx->s.reason_typing);
    fx_keys(fx, "\n");
    fx_nothing(fx);
    fx_shows(fx, "请先输入原因", KIOSK_R_ERROR);
    fx_key(fx, KIOSK_KEY_ESC);
    fx_tap(fx, "未带身份证件，工作人员已核实年龄");
    assert_int_equal(fx->s.state, KIOSK_S_ISSUING);
    hq_request_t req = fx_expect(fx, KIOSK_DO_SEND).request;
    assert_int_equal(req.elderly, 1);
    assert_string_equal(req.clerk, "wang");
    assert_string_equal(req.pin, "2468");
    assert_string_equal(req.reason, "未带身份证件，工作人员已核实年龄");
    fx_issued(fx, &req);
    fx_shows(fx, "老年人绿色通道", KIOSK_R_GREEN);
    assert_string_equal(fx->s.issue.pin, ""); /* answered: the PIN leaves the request */
    /* Done: back in staff mode, not at the citizen's start page. */
    fx_keys(fx, "\n");
    assert_int_equal(fx->s.state, KIOSK_S_STAFF);
    fx_key(fx, KIOSK_KEY_ESC);
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
    assert_false(kiosk_session_staff(&fx->s));
}

/* Staff reprint any of today's tickets printed here, kept ones of an earlier run included,
 * newest first; yesterday's are not offered. */
static void test_staff_reprints_todays_tickets(void **state)
{
    fx_t *fx = *state;
    fx_online(fx);
    json_t *kept = json_array();
    for (int i = 0; i < 2; i++) {
        fx_fake_t old = {.day = i ? "2026-11-23" : "2026-11-22"};
        hq_request_t req;
        hq_request_init(&req, HQ_REQ_ISSUE);
        req.queue = 'B';
        snprintf(req.token, sizeof req.token, "t-%d", i);
        hq_reply_t r = fx_fake_issue(&old, &req);
        json_array_append_new(kept, record_new(r.body, &fx->s.cat));
        hq_reply_clear(&r);
    }
    kiosk_session_loaded(&fx->s, kept);
    fx_choose(fx);
    hq_request_t req = fx_take(fx);
    fx_issued(fx, &req);
    fx_keys(fx, "\n");
    fx_expect(fx, KIOSK_DO_SEND);
    fx_reply(fx, fx_decode(fx_catalog_json));
    fx_keys(fx, "q");
    fx_sign_in(fx);
    fx_keys(fx, "1");
    assert_int_equal(fx->s.state, KIOSK_S_STAFF_REPRINT);
    assert_int_equal(kiosk_session_rows(&fx->s), 2);
    fx_shows(fx, "A001", KIOSK_R_SELECTED);
    fx_shows(fx, "B001", KIOSK_R_BUTTON);
    int b001 = fx_tap_key(fx, "B001");
    assert_int_equal(b001, KIOSK_KEY_PICK + 1);
    kiosk_session_key(&fx->s, b001, fx->now);
    kiosk_action_t print = fx_expect(fx, KIOSK_DO_PRINT);
    assert_true(print.reprint);
    record_info_t info;
    char why[128];
    assert_int_equal(record_info(print.record, &info, why, sizeof why), 0);
    assert_string_equal(info.ticket.label, "B001");
    assert_string_equal(info.ticket.day, "2026-11-23");
    kiosk_session_printed(&fx->s, 1, "", 0, fx->now);
    fx_shows(fx, "号票已补打", KIOSK_R_STRONG);
    fx_shows(fx, "重新打印", -1); /* staff may print it again, any time */
    fx_keys(fx, "\n");
    assert_int_equal(fx->s.state, KIOSK_S_STAFF);
    assert_int_equal(fx->fake.issued, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(test_offline_until_catalog),
        FX_TEST(test_issue_print_result),
        FX_TEST(test_green_lane_by_key),
        FX_TEST(test_green_lane_by_id_number),
        FX_TEST(test_id_number_refused_with_reason),
        FX_TEST(test_daemon_refusal_is_a_message),
        FX_TEST(test_calendar_and_quota_refusals),
        FX_TEST(test_retry_keeps_the_token),
        FX_TEST(test_unreachable_then_same_token),
        FX_TEST(test_printer_failure_reprints_same_ticket),
        FX_TEST(test_reprint_only_for_a_short_time),
        FX_TEST(test_no_reprint_from_start_page),
        FX_TEST(test_start_page_shows_hallqd_gone),
        FX_TEST(test_choosing_is_told_at_once),
        FX_TEST(test_green_lane_locked_after_a_failed_check),
        FX_TEST(test_exit_takes_staff_or_the_hall_keys),
        FX_TEST(test_exit_prompt_says_how_a_hall_sets_one),
        FX_TEST(test_staff_sign_in),
        FX_TEST(test_staff_puts_a_no_show_back),
        FX_TEST(test_staff_sets_the_green_lane_with_a_reason),
        FX_TEST(test_staff_reprints_todays_tickets),
        FX_TEST(test_pages_time_out),
        FX_TEST(test_catalog_changes_between_citizens),
        FX_TEST(test_issue_goes_before_a_refresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
