/* The kiosk's screens and words: the text table under the all-tables rules plus a stricter
 * scan for East Asian ambiguous-width characters (UAX #11), and every page, in both
 * languages and at two widths, free of them and inside the screen; touch targets large,
 * inside the screen, apart from each other and acting as their keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hq_utf8.h"
#include "kiosk_fixture.h"

/* ---- texts ---------------------------------------------------------------------------------- */

/* East Asian ambiguous-width code points (UAX #11) that a UI might reach for: Latin-1
 * punctuation, general punctuation (dashes, quotes, ellipsis), arrows, box drawing,
 * geometric shapes, circled numbers, Greek and Cyrillic. */
static int s_ambiguous(unsigned cp)
{
    return cp == 0xA1 || cp == 0xA4 || cp == 0xA7 || cp == 0xA8 || cp == 0xAA ||
           (cp >= 0xAD && cp <= 0xAE) || (cp >= 0xB0 && cp <= 0xB4) || (cp >= 0xB6 && cp <= 0xBA) ||
           (cp >= 0xBC && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x391 && cp <= 0x3C9) ||
           (cp >= 0x401 && cp <= 0x451) || (cp >= 0x2010 && cp <= 0x203E) ||
           (cp >= 0x2190 && cp <= 0x21FF) || (cp >= 0x2460 && cp <= 0x24FF) ||
           (cp >= 0x2500 && cp <= 0x257F) || (cp >= 0x25A0 && cp <= 0x25FF) ||
           (cp >= 0x2605 && cp <= 0x2606) || (cp >= 0x2660 && cp <= 0x266F);
}

/* The first ambiguous code point in UTF-8 text, 0 when none. */
static unsigned s_first_ambiguous(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        int n;
        if (*p < 0x80) {
            cp = *p;
            n = 1;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = *p & 0x1F;
            n = 2;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = *p & 0x0F;
            n = 3;
        } else {
            cp = *p & 0x07;
            n = 4;
        }
        for (int i = 1; i < n && p[i]; i++)
            cp = (cp << 6) | (p[i] & 0x3F);
        if (s_ambiguous(cp))
            return cp;
        p += n;
    }
    return 0;
}

/* Registered here until the all-tables test (tests/unit/test_texts.c) lists kiosk_texts. */
static void test_texts_table(void **state)
{
    (void)state;
    char why[512];
    if (ui_table_check(&kiosk_texts, why, sizeof why) != 0)
        fail_msg("%s", why);
    assert_int_equal(kiosk_texts.count, KT_COUNT_);
    for (int id = 1; id < kiosk_texts.count; id++)
        for (int lang = 0; lang < UI_LANG_COUNT_; lang++) {
            const char *t = kiosk_tr((ui_lang_t)lang, (kiosk_text_t)id);
            unsigned cp = s_first_ambiguous(t);
            if (cp)
                fail_msg("kiosk text %d uses the ambiguous-width U+%04X: '%s'", id, cp, t);
        }
    assert_string_equal(kiosk_tr(UI_LANG_EN, KT_TITLE), "Take a number");
}

/* The page on screen at 40 and 120 columns, 20 and 34 rows: no ambiguous-width character,
 * nothing past the right edge, touch targets inside the screen and apart from each other. */
static void s_scan(fx_t *fx)
{
    for (int cols = 40; cols <= 120; cols += 80)
        for (int rows = 20; rows <= 34; rows += 14) {
            kiosk_view_t *v = &fx->view;
            kiosk_view_build(v, &fx->s, cols, rows);
            for (int r = 0; r < v->rows; r++) {
                const kiosk_row_t *row = &v->row[r];
                unsigned cp = s_first_ambiguous(row->text);
                if (cp)
                    fail_msg("%s page row %d: U+%04X in '%s'", kiosk_state_name(fx->s.state), r, cp,
                             row->text);
                assert_true(row->col + row->width <= cols);
            }
            for (int i = 0; i < v->npieces; i++)
                assert_true(v->piece[i].col + v->piece[i].width <= cols);
            for (int i = 0; i < v->ntargets; i++) {
                const kiosk_target_t *a = &v->target[i];
                assert_true(a->row >= 0 && a->col >= 0 && a->rows >= 1 && a->cols >= 1);
                assert_true(a->row + a->rows <= rows && a->col + a->cols <= cols);
                for (int k = i + 1; k < v->ntargets; k++) {
                    const kiosk_target_t *b = &v->target[k];
                    if (a->row < b->row + b->rows && b->row < a->row + a->rows &&
                        a->col < b->col + b->cols && b->col < a->col + a->cols)
                        fail_msg("%s page: targets %d and %d overlap",
                                 kiosk_state_name(fx->s.state), i, k);
                }
            }
        }
}

/* Every page, in both languages, lays out without ambiguous-width characters. */
static void test_pages_are_unambiguous(void **state)
{
    fx_t *fx = *state;
    s_scan(fx);
    fx_online(fx);
    for (int lang = 0; lang < UI_LANG_COUNT_; lang++) {
        fx->s.lang = (ui_lang_t)lang;
        const char *script[] = {"", "1", "2", "g", "i123", "\x1b", "\n"};
        for (size_t step = 0; step < sizeof script / sizeof script[0]; step++) {
            for (const char *k = script[step]; *k; k++)
                fx_key(fx, *k == '\x1b' ? KIOSK_KEY_ESC : *k == '\n' ? KIOSK_KEY_ENTER : *k);
            s_scan(fx);
        }
        kiosk_action_t issue = fx_expect(fx, KIOSK_DO_SEND);
        fx_reply(fx, fx_fake_issue(&fx->fake, &issue.request));
        s_scan(fx); /* printing */
        fx_expect(fx, KIOSK_DO_KEEP);
        fx_expect(fx, KIOSK_DO_PRINT);
        kiosk_session_printed(&fx->s, 0, "out of paper", 2, fx->now);
        s_scan(fx); /* the result, printing failed */
        fx_keys(fx, "\n");
        fx_expect(fx, KIOSK_DO_SEND);
        fx_reply(fx, fx_decode(fx_catalog_json));
        /* Staff: the exit prompt, sign-in, each staff page. */
        fx_keys(fx, "q");
        s_scan(fx);
        fx_keys(fx, "wa");
        s_scan(fx);
        fx_keys(fx, "ng\n2468\n");
        fx_expect(fx, KIOSK_DO_SEND);
        fx_reply(fx, fx_decode("{\"v\":1,\"type\":\"staff\",\"ok\":true}"));
        s_scan(fx); /* the staff menu */
        const char *staff[] = {"1", "\x1b", "2", "a12", "\x1b", "3", "1", "2", "\n", "4", "\x1b"};
        for (size_t step = 0; step < sizeof staff / sizeof staff[0]; step++) {
            for (const char *k = staff[step]; *k; k++)
                fx_key(fx, *k == '\x1b' ? KIOSK_KEY_ESC : *k == '\n' ? KIOSK_KEY_ENTER : *k);
            s_scan(fx);
        }
        fx_key(fx, KIOSK_KEY_ESC);
        fx_key(fx, KIOSK_KEY_ESC);
        fx_key(fx, KIOSK_KEY_ESC);
        fx_key(fx, KIOSK_KEY_ESC);
        fx_key(fx, KIOSK_KEY_ESC);
        assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
        fx_advance(fx, 1000); /* the next round starts fresh */
    }
}

/* Touch targets are large (a list row is rows high and nearly the screen wide, a key at
 * least three columns wide) and a tap anywhere on one is its key. */
static void test_touch_targets(void **state)
{
    fx_t *fx = *state;
    fx_online(fx);
    kiosk_view_t *v = &fx->view;
    kiosk_view_build(v, &fx->s, 100, 34);
    int rows_seen = 0;
    for (int i = 0; i < v->ntargets; i++) {
        const kiosk_target_t *t = &v->target[i];
        if (t->key < KIOSK_KEY_PICK || t->key >= KIOSK_KEY_PICK + KIOSK_LIST_MAX)
            continue;
        rows_seen++;
        assert_true(t->rows >= 3);
        assert_true(t->cols >= 40);
        /* Its corners and its middle are all the same row. */
        assert_int_equal(kiosk_view_hit(v, t->col, t->row), t->key);
        assert_int_equal(kiosk_view_hit(v, t->col + t->cols - 1, t->row + t->rows - 1), t->key);
        assert_int_equal(kiosk_view_hit(v, t->col + t->cols / 2, t->row + t->rows / 2), t->key);
    }
    assert_int_equal(rows_seen, 2);
    assert_int_equal(kiosk_view_hit(v, 0, 0), 0); /* the title is no target */
    /* Tapping B: its services page, as the key 2 would. */
    int b = kiosk_view_target_key(v, "2  B  参保查询与参保凭证");
    assert_int_equal(b, KIOSK_KEY_PICK + 1);
    fx_key(fx, b);
    assert_int_equal(fx->s.queue, 'B');
    assert_int_equal(fx->s.state, KIOSK_S_CONFIRM); /* B lists no service */
    /* The confirm page's buttons are its keys. */
    assert_int_equal(fx_tap_key(fx, "取号"), KIOSK_KEY_ENTER);
    assert_int_equal(fx_tap_key(fx, "返回"), KIOSK_KEY_ESC);
    assert_int_equal(fx_tap_key(fx, "输入身份证号"), 'i');
    fx_tap(fx, "输入身份证号");
    /* The ID keypad: digits, X and Delete, each a key three rows high. */
    for (const char *d = "1234567890"; *d; d++) {
        char label[2] = {*d, 0};
        kiosk_view_build(v, &fx->s, 100, 34);
        int key = kiosk_view_target_key(v, label);
        assert_int_equal(key, *d);
        fx_key(fx, key);
    }
    assert_int_equal(fx_tap_key(fx, "删除"), KIOSK_KEY_BACKSPACE);
    assert_int_equal(fx->s.id_len, 10);
    for (int i = 0; i < v->ntargets; i++)
        if (v->target[i].key >= '0' && v->target[i].key <= '9')
            assert_true(v->target[i].rows >= 3 && v->target[i].cols >= 8);
}

/* A list longer than the screen is shown a page at a time, the cursor's, with page buttons
 * that move the cursor a page on and back. */
static void test_long_list_pages(void **state)
{
    fx_t *fx = *state;
    char text[4096], *o = text;
    o += sprintf(o, "{\"v\":1,\"type\":\"catalog\",\"ok\":true,\"queues\":[");
    for (int i = 0; i < 12; i++)
        o += sprintf(o, "%s{\"prefix\":\"%c\",\"name\":\"Q%d\"}", i ? "," : "", 'A' + i, i + 1);
    sprintf(o, "]}");
    fx_expect(fx, KIOSK_DO_SEND);
    fx_reply(fx, fx_decode(text));
    /* 60 x 20: the list has rows 5 to 13, four rows two high a page. */
    kiosk_view_build(&fx->view, &fx->s, 60, 20);
    assert_int_equal(kiosk_view_find(&fx->view, "1  A  Q1", NULL), 5);
    assert_int_equal(kiosk_view_find(&fx->view, "4  D  Q4", NULL), 11);
    assert_int_equal(kiosk_view_find(&fx->view, "5  E  Q5", NULL), -1);
    assert_int_equal(kiosk_view_target_key(&fx->view, "上一页"), 0);
    int next = kiosk_view_target_key(&fx->view, "下一页");
    assert_int_equal(next, KIOSK_KEY_GOTO + 4);
    fx_key(fx, next);
    kiosk_view_build(&fx->view, &fx->s, 60, 20);
    kiosk_role_t role;
    assert_int_equal(kiosk_view_find(&fx->view, "5  E  Q5", &role), 5);
    assert_int_equal(role, KIOSK_R_SELECTED);
    assert_int_equal(kiosk_view_find(&fx->view, "1  A  Q1", NULL), -1);
    assert_int_equal(kiosk_view_target_key(&fx->view, "上一页"), KIOSK_KEY_GOTO + 0);
    for (int i = 0; i < 3; i++)
        fx_key(fx, KIOSK_KEY_DOWN);
    kiosk_view_build(&fx->view, &fx->s, 60, 20);
    assert_int_equal(kiosk_view_find(&fx->view, "8  H  Q8", &role), 11);
    assert_int_equal(role, KIOSK_R_SELECTED);
    /* The first row names the hall (none here: hallq). */
    assert_int_equal(kiosk_view_find(&fx->view, "hallq  自助取号", NULL), 0);
    for (int i = 0; i < 20; i++)
        fx_key(fx, KIOSK_KEY_DOWN);
    assert_int_equal(fx->s.cursor, 11); /* stops at the last row */
    fx_keys(fx, "\n");
    assert_int_equal(fx->s.queue, 'L');
}

/* Every row of the page at 40 and 100 columns: no control byte, no bytes that are not UTF-8,
 * and none of the visible rest of the sequences the test's texts carry. */
static void s_harmless(fx_t *fx)
{
    for (int cols = 40; cols <= 100; cols += 60) {
        kiosk_view_build(&fx->view, &fx->s, cols, 34);
        for (int r = 0; r < fx->view.rows; r++) {
            const char *t = fx->view.row[r].text;
            if (hq_utf8_check(t, strlen(t), 1, NULL, NULL) != HQ_UTF8_OK || strstr(t, "[3") ||
                strstr(t, "[2J") || strstr(t, "[5m") || strstr(t, "]0;") || strstr(t, "pwned"))
                fail_msg("%s page row %d: '%s'", kiosk_state_name(fx->s.state), r, t);
        }
    }
}

/* Names, materials, a refusal and a ticket from hallqd with escape sequences in them are
 * shown without them, on every page, and the words around them stay. */
static void test_hostile_text_drawn_harmless(void **state)
{
    fx_t *fx = *state;
    static const char catalog[] =
        "{\"v\":1,\"type\":\"catalog\",\"ok\":true,\"id\":\"c1\","
        "\"hall\":{\"name\":\"医保\\u001b]0;pwned\\u0007服务大厅\"},"
        "\"queues\":[{\"prefix\":\"A\",\"name\":\"参保\\u001b[31m登记\\u009b2J与变更\"}],"
        "\"services\":[{\"no\":1,\"queue\":\"A\",\"main_item\":\"参保登记\","
        "\"sub_item\":\"单位\\u001b[2J参保登记\",\"materials\":[\"统一社会信用代码\\u001b[31m"
        "证书或单位批准成立的文件（实现联办建立登记的企业\\u001b[5m可不提供）\"]}],"
        "\"roster\":true}";
    fx_expect(fx, KIOSK_DO_SEND);
    fx_reply(fx, fx_decode(catalog));
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
    fx_shows(fx, "医保服务大厅", KIOSK_R_TITLE);
    fx_shows(fx, "参保登记与变更", -1);
    s_harmless(fx);
    fx_keys(fx, "1");
    fx_shows(fx, "单位参保登记", -1);
    s_harmless(fx);
    fx_keys(fx, "1");
    assert_int_equal(fx->s.state, KIOSK_S_CONFIRM);
    fx_shows(fx, "统一社会信用代码证书", -1); /* wrapped: sanitised before it is cut */
    s_harmless(fx);

    hq_request_t req = fx_take(fx);
    /* hallqd's own words reach the screen only in English: read in English here. */
    fx->s.lang = UI_LANG_EN;
    fx_reply(fx, fx_decode("{\"v\":1,\"type\":\"issue\",\"ok\":false,\"id\":\"x\",\"error\":{"
                           "\"code\":\"internal\",\"message\":\"拒绝\\u001b[2J\\u001b]0;pwned"
                           "\\u0007请重试\"}}"));
    assert_int_equal(fx->s.state, KIOSK_S_CONFIRM);
    fx_shows(fx, "拒绝请重试", KIOSK_R_ERROR);
    s_harmless(fx);
    fx->s.lang = UI_LANG_ZH;

    req = fx_take(fx);
    char reply[2048];
    snprintf(reply, sizeof reply,
             "{\"v\":1,\"type\":\"issue\",\"ok\":true,\"id\":\"x\",\"ticket\":{\"id\":1,"
             "\"day\":\"2026-11-23\",\"label\":\"A\\u001b[5m1\",\"prefix\":\"A\",\"number\":1,"
             "\"queue\":\"A\",\"service\":%d,\"lane\":\"normal\",\"state\":\"waiting\","
             "\"issued_ms\":1795398060000},\"ahead\":0,\"est_wait_ms\":0,"
             "\"queue_name\":\"参保\\u001b[31m登记\",\"service_name\":\"单位\\u001b[2J参保\"}",
             req.service);
    fx_reply(fx, fx_decode(reply));
    assert_int_equal(fx->s.state, KIOSK_S_PRINTING);
    s_harmless(fx);
    fx_expect(fx, KIOSK_DO_KEEP);
    kiosk_session_kept(&fx->s, 1, "");
    fx_expect(fx, KIOSK_DO_PRINT);
    kiosk_session_printed(&fx->s, 0, "printer \x1b[2Jgone", 0, fx->now);
    assert_int_equal(fx->s.state, KIOSK_S_RESULT);
    fx_shows(fx, "A 1", KIOSK_R_NUMBER);
    fx_shows(fx, "参保登记  单位参保", -1);
    s_harmless(fx);
    /* The printer's words are staff's: shown in staff mode, harmless there too. */
    fx_keys(fx, "\n");
    fx_expect(fx, KIOSK_DO_SEND); /* the catalog refresh */
    fx_reply(fx, fx_decode(catalog));
    fx_keys(fx, "q");
    fx_sign_in(fx);
    fx_shows(fx, "printer gone", KIOSK_R_DIM);
    s_harmless(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(test_pages_are_unambiguous), FX_TEST(test_long_list_pages),
        FX_TEST(test_touch_targets),         FX_TEST(test_hostile_text_drawn_harmless),
        cmocka_unit_test(test_texts_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
