/* The kiosk's session (state machine), driven with keys, replies and the clock as values:
 * no terminal, no socket, no printer. The flow from the choice of a service to the printed
 * ticket; the green lane by key and by ID number; hallqd's refusals; retries with the same
 * token against a fake hallqd that counts tickets; printer failures and reprints; timers. */
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
    fx_shows(fx, "正在连接叫号服务 tcp://127.0.0.1:5570", -1);
    /* No answer: the timer says when, and then the kiosk gives up and tries later. */
    assert_int_equal(kiosk_session_wake(&fx->s, fx->now), FX_TIMEOUT);
    fx_advance(fx, FX_TIMEOUT - 1);
    fx_nothing(fx);
    fx_advance(fx, 1);
    fx_expect(fx, KIOSK_DO_CANCEL);
    fx_nothing(fx);
    fx_shows(fx, "5 秒后自动重试", KIOSK_R_ERROR);
    assert_int_equal(kiosk_session_wake(&fx->s, fx->now), KIOSK_RETRY_MS);
    fx_advance(fx, KIOSK_RETRY_MS);
    fx_expect(fx, KIOSK_DO_SEND);
    /* Refused (a kiosk key the hall does not know): the same, with hallqd's words. */
    fx_reply(fx, fx_decode("{\"v\":1,\"ok\":false,\"type\":\"catalog\",\"error\":{\"code\":"
                           "\"forbidden\",\"message\":\"no role for this key\"}}"));
    fx_shows(fx, "no role for this key", KIOSK_R_ERROR);
    fx_nothing(fx);
    /* Any key asks at once; Q quits. */
    fx_keys(fx, " ");
    fx_online(fx);
    fx_shows(fx, "请选择业务类别", KIOSK_R_STRONG);
    fx_shows(fx, "医保服务大厅  自助取号", KIOSK_R_TITLE);
    fx_shows(fx, "1  A  参保登记与变更", KIOSK_R_SELECTED);
    fx_shows(fx, "2  B  参保查询与参保凭证", KIOSK_R_TEXT);
    assert_int_equal(fx->s.catalogs, 1);
    fx_keys(fx, "q");
    fx_expect(fx, KIOSK_DO_QUIT);
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
    assert_string_equal(fx->view.row[33].text, "请稍候"); /* the keys line */
    fx_keys(fx, "\n\ngq");
    assert_int_equal(fx->s.state, KIOSK_S_ISSUING);
    fx_nothing(fx);
    assert_string_equal(fx_issued(fx, &req), "A001");
    fx_shows(fx, "A 0 0 1", KIOSK_R_NUMBER);
    fx_shows(fx, "前面等候 2 人", KIOSK_R_TEXT);
    fx_shows(fx, "预计等候约 8 分钟", KIOSK_R_TEXT);
    fx_shows(fx, "号票已打印，请取票。", KIOSK_R_STRONG);
    fx_lacks(fx, "老年人绿色通道");
    /* Enter: the next citizen, and a quiet catalog refresh on the way. */
    fx_keys(fx, "\n");
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
    fx_shows(fx, "取号失败：该业务今日暂停取号（queue A has issued 9999 tickets today）",
             KIOSK_R_ERROR);
    assert_null(fx->s.last);
    fx_nothing(fx); /* nothing kept, nothing printed */
    /* A refused issue is answered: the next press is a new request with a new token. */
    hq_request_t again = fx_take(fx);
    assert_string_equal(again.token, FX_PREFIX "-2");
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
    fx_shows(fx, "叫号服务没有应答，未能取号。", KIOSK_R_ERROR);
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
    fx_expect(fx, KIOSK_DO_SEND); /* catalog refresh */
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
    fx_shows(fx, "打印失败：打印机 /dev/full 写入失败", KIOSK_R_ERROR);
    fx_shows(fx, "号码已生效，不会重复取号。", KIOSK_R_STRONG);
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

static void test_reprint_from_start_page(void **state)
{
    fx_t *fx = *state;
    fx_online(fx);
    /* Nothing in memory: the kept ticket is read. */
    fx_keys(fx, "r");
    fx_expect(fx, KIOSK_DO_LOAD);
    kiosk_session_loaded(&fx->s, NULL, "no ticket kept", fx->now);
    fx_shows(fx, "还没有可补打的号票。", KIOSK_R_ERROR);
    /* Yesterday's ticket is not valid any more. */
    fx_fake_t old = {.day = "2026-11-22"};
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'B';
    snprintf(req.token, sizeof req.token, "t-old");
    hq_reply_t r = fx_fake_issue(&old, &req);
    json_t *record = record_new(r.body, &fx->s.cat);
    hq_reply_clear(&r);
    fx_keys(fx, "R");
    fx_expect(fx, KIOSK_DO_LOAD);
    kiosk_session_loaded(&fx->s, record, "", fx->now);
    fx_shows(fx, "上一张号票 B001 是 2026-11-22 的，已失效，不能补打。", KIOSK_R_ERROR);
    fx_nothing(fx);
    /* Today's: printed again, marked as such. */
    old.day = "2026-11-23";
    r = fx_fake_issue(&old, &req);
    record = record_new(r.body, &fx->s.cat);
    hq_reply_clear(&r);
    fx_keys(fx, "r");
    fx_expect(fx, KIOSK_DO_LOAD);
    kiosk_session_loaded(&fx->s, record, "", fx->now);
    kiosk_action_t act = fx_expect(fx, KIOSK_DO_PRINT);
    assert_ptr_equal(act.record, record);
    assert_true(act.reprint);
}

static void test_pages_time_out(void **state)
{
    fx_t *fx = *state;
    fx_online(fx);
    assert_int_equal(kiosk_session_wake(&fx->s, fx->now), -1); /* the start page waits */
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
    fx_shows(fx, "2  C  异地就医备案", KIOSK_R_TEXT);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(test_offline_until_catalog),
        FX_TEST(test_issue_print_result),
        FX_TEST(test_green_lane_by_key),
        FX_TEST(test_green_lane_by_id_number),
        FX_TEST(test_id_number_refused_with_reason),
        FX_TEST(test_daemon_refusal_is_a_message),
        FX_TEST(test_retry_keeps_the_token),
        FX_TEST(test_unreachable_then_same_token),
        FX_TEST(test_printer_failure_reprints_same_ticket),
        FX_TEST(test_reprint_from_start_page),
        FX_TEST(test_pages_time_out),
        FX_TEST(test_catalog_changes_between_citizens),
        FX_TEST(test_issue_goes_before_a_refresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
