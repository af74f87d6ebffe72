/* The clerk terminal's key table and legality rules, and the text table behind them. */
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
    assert_int_equal(hqc_key_refusal(HQC_A_NO_SHOW, &f, HQC_LANG_ZH, why, sizeof why), -1);
    assert_string_equal(why, "A007 只叫了 1 次：先按 r 重呼（叫满 2 次可过号）");
    assert_int_equal(hqc_key_refusal(HQC_A_NO_SHOW, &f, HQC_LANG_EN, why, sizeof why), -1);
    assert_non_null(strstr(why, "A007 was called 1 time(s)"));
    f.calls = 2;
    assert_int_equal(hqc_key_refusal(HQC_A_NO_SHOW, &f, HQC_LANG_ZH, why, sizeof why), 0);
    assert_string_equal(why, "");
}

static void test_refusal_text_names_the_ticket(void **state)
{
    (void)state;
    hqc_facts_t f = s_facts(HQ_C_SERVING);
    char why[200];
    assert_int_equal(hqc_key_refusal(HQC_A_CALL, &f, HQC_LANG_ZH, why, sizeof why), -1);
    assert_string_equal(why, "A007 还在窗口：先办结、挂起、转移或过号");
    f = s_facts(HQ_C_IDLE);
    f.link_up = 0;
    assert_int_equal(hqc_key_refusal(HQC_A_CALL, &f, HQC_LANG_EN, why, sizeof why), -1);
    assert_string_equal(why, "Offline: hallqd is not reachable, nothing sent");
}

static void test_pause_label_toggles(void **state)
{
    (void)state;
    assert_int_equal(hqc_key_label(HQC_A_PAUSE, HQ_C_IDLE), HQC_M_K_PAUSE);
    assert_int_equal(hqc_key_label(HQC_A_PAUSE, HQ_C_PAUSED), HQC_M_K_RESUME);
    assert_int_equal(hqc_key_label(HQC_A_CALL, HQ_C_PAUSED), HQC_M_K_CALL);
    assert_string_equal(hqc_tr(HQC_LANG_ZH, HQC_M_K_RESUME), "恢复");
}

/* Counts printf conversions (not %%) and notes their letters, to compare languages. */
static int s_conversions(const char *fmt, char *letters, size_t n)
{
    int count = 0;
    size_t used = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p == '%')
            continue;
        while (*p && strchr("-+ 0123456789.l", *p))
            p++;
        if (used + 1 < n)
            letters[used++] = *p;
        count++;
        if (!*p)
            break;
    }
    letters[used] = '\0';
    return count;
}

/* Both languages are complete, and each format takes the same arguments in both. */
static void test_texts_complete_and_formats_agree(void **state)
{
    (void)state;
    assert_int_equal(hqc_tr_missing(), HQC_M_NONE);
    for (int id = 1; id < HQC_M_COUNT_; id++) {
        char zh[16], en[16];
        int nz = s_conversions(hqc_tr(HQC_LANG_ZH, (hqc_msg_t)id), zh, sizeof zh);
        int ne = s_conversions(hqc_tr(HQC_LANG_EN, (hqc_msg_t)id), en, sizeof en);
        if (nz != ne || strcmp(zh, en) != 0)
            fail_msg("message %d: '%s' vs '%s'", id, hqc_tr(HQC_LANG_ZH, (hqc_msg_t)id),
                     hqc_tr(HQC_LANG_EN, (hqc_msg_t)id));
    }
    assert_string_equal(hqc_tr(HQC_LANG_ZH, HQC_M_COUNT_), "");
}

/* No East Asian ambiguous-width punctuation: it would break columns in CJK terminals. */
static void test_texts_avoid_ambiguous_width(void **state)
{
    (void)state;
    static const char *const banned[] = {"—", "…", "·", "─", "↑", "↓", "×", "※", "○", "●"};
    for (int id = 1; id < HQC_M_COUNT_; id++)
        for (int lang = 0; lang < 2; lang++)
            for (size_t b = 0; b < sizeof banned / sizeof banned[0]; b++)
                if (strstr(hqc_tr((hqc_lang_t)lang, (hqc_msg_t)id), banned[b]))
                    fail_msg("message %d contains %s", id, banned[b]);
}

/* The clerk reads why a ticket was called from its reason code, never from the English. */
static void s_reason(hqc_lang_t lang, hq_reason_t code, const char *text, char *out, int outlen)
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
    s_reason(HQC_LANG_ZH, HQ_REASON_GREEN_LANE, "oldest", out, sizeof out);
    assert_string_equal(out, "绿色通道优先");
    s_reason(HQC_LANG_ZH, HQ_REASON_MAX_WAIT, "green lane", out, sizeof out);
    assert_string_equal(out, "普通号已等 31 分钟");
    s_reason(HQC_LANG_ZH, HQ_REASON_GREEN_LIMIT, "", out, sizeof out);
    assert_string_equal(out, "已连叫绿色通道 3 个，轮到普通号");
    s_reason(HQC_LANG_EN, HQ_REASON_OLDEST, "green lane", out, sizeof out);
    assert_string_equal(out, "first come");
    s_reason(HQC_LANG_ZH, HQ_REASON_CHOSEN, "", out, sizeof out);
    assert_string_equal(out, "柜员选号");
    /* No code (a daemon too old, or a code too new): the daemon's words as they are. */
    s_reason(HQC_LANG_ZH, HQ_REASON_NONE, "something new", out, sizeof out);
    assert_string_equal(out, "something new");
}

static void test_lang_parse(void **state)
{
    (void)state;
    hqc_lang_t l = HQC_LANG_EN;
    assert_int_equal(hqc_lang_parse("zh", &l), 0);
    assert_int_equal(l, HQC_LANG_ZH);
    assert_int_equal(hqc_lang_parse("en", &l), 0);
    assert_int_equal(l, HQC_LANG_EN);
    assert_int_equal(hqc_lang_parse("fr", &l), -1);
    assert_int_equal(hqc_lang_parse(NULL, &l), -1);
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
        cmocka_unit_test(test_texts_complete_and_formats_agree),
        cmocka_unit_test(test_texts_avoid_ambiguous_width),
        cmocka_unit_test(test_pick_reasons_translated),
        cmocka_unit_test(test_lang_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
