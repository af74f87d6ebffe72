/* The clerk terminal's key table and legality rules, and the texts they choose. The text
 * table itself is checked with every other table in tests/unit/test_texts.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "i18n.h"
#include "keys.h"

#include <ctype.h>
#include <string.h>

/* A window that is live, logged in, this clerk's, with the given state. */
static hqc_facts_t s_facts(hq_counter_state_t st)
{
    hqc_facts_t f;
    memset(&f, 0, sizeof f);
    f.link_up = 1;
    f.logged_in = 1;
    f.mine = 1;
    f.state = st;
    f.ticket_state = -1;
    f.noshow_after = 2;
    f.other_queues = 6;
    if (st == HQ_C_CALLING || st == HQ_C_SERVING) {
        strcpy(f.label, "A007");
        f.ticket_state = st == HQ_C_CALLING ? HQ_T_CALLED : HQ_T_SERVING;
        f.calls = 1;
    }
    return f;
}

static void test_each_action_has_one_distinct_key(void **state)
{
    (void)state;
    int seen[256] = {0};
    for (int a = 0; a < HQC_A_COUNT_; a++) {
        const hqc_key_t *k = hqc_key((hqc_action_t)a);
        assert_non_null(k);
        assert_int_equal(k->action, a);
        assert_true(islower(k->key));
        assert_int_equal(seen[k->key], 0);
        seen[k->key] = 1;
        assert_int_equal(hqc_key_action(k->key), a);
        assert_int_equal(hqc_key_action(toupper(k->key)), a);
    }
    assert_int_equal(hqc_key_action('z'), -1);
    assert_int_equal(hqc_key_action('1'), -1);
    assert_int_equal(hqc_key_action(-1), -1);
    assert_int_equal(hqc_key_action(0x10000), -1);
    assert_null(hqc_key(HQC_A_COUNT_));
}

/* The legality table: which actions make sense in which counter state. */
static void test_legality_by_state(void **state)
{
    (void)state;
    /* rows: action; columns: closed idle calling serving paused (1 = legal) */
    static const struct {
        hqc_action_t a;
        int legal[HQ_C_COUNT_];
    } table[] = {
        {HQC_A_CALL, {0, 1, 0, 0, 0}},     {HQC_A_NUMBER, {0, 1, 0, 0, 0}},
        {HQC_A_RECALL, {0, 0, 1, 0, 0}},   {HQC_A_START, {0, 0, 1, 0, 0}},
        {HQC_A_FINISH, {0, 0, 1, 1, 0}},   {HQC_A_PARK, {0, 0, 1, 1, 0}},
        {HQC_A_TRANSFER, {0, 0, 1, 1, 0}}, {HQC_A_PAUSE, {0, 1, 0, 0, 1}},
        {HQC_A_QUIT, {1, 1, 1, 1, 1}},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        for (int st = 0; st < HQ_C_COUNT_; st++) {
            hqc_facts_t f = s_facts((hq_counter_state_t)st);
            if (st == HQ_C_CLOSED)
                f.mine = 0; /* a closed window has no clerk */
            hqc_msg_t why = hqc_key_check(table[i].a, &f);
            if (table[i].legal[st])
                assert_int_equal(why, HQC_M_NONE);
            else
                assert_int_not_equal(why, HQC_M_NONE);
        }
}

static void test_refusal_reasons(void **state)
{
    (void)state;
    hqc_facts_t f = s_facts(HQ_C_PAUSED);
    assert_int_equal(hqc_key_check(HQC_A_CALL, &f), HQC_M_R_PAUSED);
    f = s_facts(HQ_C_CALLING);
    assert_int_equal(hqc_key_check(HQC_A_CALL, &f), HQC_M_R_HELD);
    assert_int_equal(hqc_key_check(HQC_A_PAUSE, &f), HQC_M_R_HELD);
    f = s_facts(HQ_C_SERVING);
    assert_int_equal(hqc_key_check(HQC_A_RECALL, &f), HQC_M_R_SERVING);
    assert_int_equal(hqc_key_check(HQC_A_NO_SHOW, &f), HQC_M_R_SERVING);
    f = s_facts(HQ_C_IDLE);
    assert_int_equal(hqc_key_check(HQC_A_FINISH, &f), HQC_M_R_EMPTY);
    assert_int_equal(hqc_key_check(HQC_A_UNPARK, &f), HQC_M_R_NO_PARKED);
    f.parked = 1;
    assert_int_equal(hqc_key_check(HQC_A_UNPARK, &f), HQC_M_NONE);
    assert_int_equal(hqc_key_check(HQC_A_RATE, &f), HQC_M_R_NO_RATE);
    strcpy(f.rate_label, "A006");
    assert_int_equal(hqc_key_check(HQC_A_RATE, &f), HQC_M_NONE);
    assert_int_equal(hqc_key_check(HQC_A_LOGIN, &f), HQC_M_R_LOGGED_IN);
    f = s_facts(HQ_C_CALLING);
    f.other_queues = 0;
    assert_int_equal(hqc_key_check(HQC_A_TRANSFER, &f), HQC_M_R_NO_QUEUE);
}

/* Offline, busy and not-logged-in refuse everything that needs the daemon; quit never is. */
static void test_offline_busy_and_foreign_window(void **state)
{
    (void)state;
    hqc_facts_t f = s_facts(HQ_C_IDLE);
    f.link_up = 0;
    strcpy(f.rate_label, "A006");
    for (int a = 0; a < HQC_A_COUNT_; a++)
        assert_int_equal(hqc_key_check((hqc_action_t)a, &f),
                         a == HQC_A_QUIT ? HQC_M_NONE : HQC_M_R_OFFLINE);
    f = s_facts(HQ_C_IDLE);
    f.busy = 1;
    assert_int_equal(hqc_key_check(HQC_A_CALL, &f), HQC_M_R_BUSY);
    assert_int_equal(hqc_key_check(HQC_A_QUIT, &f), HQC_M_NONE);
    f = s_facts(HQ_C_IDLE);
    f.mine = 0; /* taken over by another clerk */
    assert_int_equal(hqc_key_check(HQC_A_CALL, &f), HQC_M_R_NOT_MINE);
    assert_int_equal(hqc_key_check(HQC_A_LOGIN, &f), HQC_M_NONE);
    f = s_facts(HQ_C_IDLE);
    f.logged_in = 0;
    assert_int_equal(hqc_key_check(HQC_A_CALL, &f), HQC_M_R_LOGGING_IN);
    assert_int_equal(hqc_key_check(HQC_A_LOGIN, &f), HQC_M_R_LOGGING_IN);
}

static void test_no_show_needs_enough_calls(void **state)
{
    (void)state;
    hqc_facts_t f = s_facts(HQ_C_CALLING);
    char why[200];
    assert_int_equal(hqc_key_refusal(HQC_A_NO_SHOW, &f, UI_LANG_ZH, why, sizeof why), -1);
    assert_string_equal(why, "A007 只叫了 1 次：先按 r 重呼（叫满 2 次可过号）");
    assert_int_equal(hqc_key_refusal(HQC_A_NO_SHOW, &f, UI_LANG_EN, why, sizeof why), -1);
    assert_non_null(strstr(why, "A007 was called 1 time(s)"));
    f.calls = 2;
    assert_int_equal(hqc_key_refusal(HQC_A_NO_SHOW, &f, UI_LANG_ZH, why, sizeof why), 0);
    assert_string_equal(why, "");
}

static void test_refusal_text_names_the_ticket(void **state)
{
    (void)state;
    hqc_facts_t f = s_facts(HQ_C_SERVING);
    char why[200];
    assert_int_equal(hqc_key_refusal(HQC_A_CALL, &f, UI_LANG_ZH, why, sizeof why), -1);
    assert_string_equal(why, "A007 还在窗口：先办结、挂起、转移或过号");
    f = s_facts(HQ_C_IDLE);
    f.link_up = 0;
    assert_int_equal(hqc_key_refusal(HQC_A_CALL, &f, UI_LANG_EN, why, sizeof why), -1);
    assert_string_equal(why, "Offline: hallqd is not reachable, nothing sent");
}

static void test_pause_label_toggles(void **state)
{
    (void)state;
    assert_int_equal(hqc_key_label(HQC_A_PAUSE, HQ_C_IDLE), HQC_M_K_PAUSE);
    assert_int_equal(hqc_key_label(HQC_A_PAUSE, HQ_C_PAUSED), HQC_M_K_RESUME);
    assert_int_equal(hqc_key_label(HQC_A_CALL, HQ_C_PAUSED), HQC_M_K_CALL);
    assert_string_equal(hqc_tr(UI_LANG_ZH, HQC_M_K_RESUME), "恢复");
}

/* The clerk reads why a ticket was called from its reason code, never from the English. */
static void s_reason(ui_lang_t lang, hq_reason_t code, const char *text, char *out, int outlen)
{
    hq_ticket_t t;
    memset(&t, 0, sizeof t);
    t.reason_code = code;
    hq_strlcpy(t.reason, text, sizeof t.reason);
    t.issued_ms = 1000000;
    t.last_called_ms = t.issued_ms + 31 * 60000 + 59000;
    hqc_pick_reason(lang, &t, 3, out, outlen);
}

static void test_pick_reasons_translated(void **state)
{
    (void)state;
    char out[100];
    /* The English text is deliberately wrong: only the code may decide. */
    s_reason(UI_LANG_ZH, HQ_REASON_GREEN_LANE, "oldest", out, sizeof out);
    assert_string_equal(out, "绿色通道优先");
    s_reason(UI_LANG_ZH, HQ_REASON_MAX_WAIT, "green lane", out, sizeof out);
    assert_string_equal(out, "普通号已等 31 分钟");
    s_reason(UI_LANG_ZH, HQ_REASON_GREEN_LIMIT, "", out, sizeof out);
    assert_string_equal(out, "已连叫绿色通道 3 个，轮到普通号");
    s_reason(UI_LANG_EN, HQ_REASON_OLDEST, "green lane", out, sizeof out);
    assert_string_equal(out, "first come");
    s_reason(UI_LANG_ZH, HQ_REASON_CHOSEN, "", out, sizeof out);
    assert_string_equal(out, "柜员选号");
    /* No code (a daemon too old, or a code too new): the daemon's words as they are. */
    s_reason(UI_LANG_ZH, HQ_REASON_NONE, "something new", out, sizeof out);
    assert_string_equal(out, "something new");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_action_has_one_distinct_key),
        cmocka_unit_test(test_legality_by_state),
        cmocka_unit_test(test_refusal_reasons),
        cmocka_unit_test(test_offline_busy_and_foreign_window),
        cmocka_unit_test(test_no_show_needs_enough_calls),
        cmocka_unit_test(test_refusal_text_names_the_ticket),
        cmocka_unit_test(test_pause_label_toggles),
        cmocka_unit_test(test_pick_reasons_translated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
