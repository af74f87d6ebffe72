/* The words of a call: ticket digits one by one, the window as a number, in Mandarin and in
 * English; the same sentence as recorded clips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "announce.h"

static void s_number(int n, const char *expected)
{
    char out[64];
    assert_int_equal(ann_zh_number(n, out, sizeof out), 0);
    assert_string_equal(out, expected);
}

static void test_zh_numbers(void **state)
{
    (void)state;
    s_number(0, "零");
    s_number(1, "一");
    s_number(2, "二");
    s_number(3, "三");
    s_number(9, "九");
    s_number(10, "十");
    s_number(11, "十一");
    s_number(12, "十二");
    s_number(19, "十九");
    s_number(20, "二十");
    s_number(21, "二十一");
    s_number(30, "三十");
    s_number(99, "九十九");
    s_number(100, "一百");
    s_number(101, "一百零一");
    s_number(110, "一百一十");
    s_number(111, "一百一十一");
    s_number(120, "一百二十");
    s_number(999, "九百九十九");
    s_number(1000, "一千");
    s_number(1001, "一千零一");
    s_number(1010, "一千零一十");
    s_number(1100, "一千一百");
    s_number(2019, "二千零一十九");
    s_number(10000, "一万");
    s_number(10001, "一万零一");
    s_number(10010, "一万零一十");
    s_number(99999, "九万九千九百九十九");
    char out[64];
    assert_int_equal(ann_zh_number(-1, out, sizeof out), -1);
    assert_int_equal(ann_zh_number(100000, out, sizeof out), -1);
    /* No room: nothing half-written. */
    assert_int_equal(ann_zh_number(99999, out, 8), -1);
    assert_string_equal(out, "");
}

static void s_zh(const char *label, int window, const char *expected)
{
    char out[ANN_TEXT_MAX];
    assert_int_equal(ann_text(UI_LANG_ZH, label, window, out, sizeof out), 0);
    assert_string_equal(out, expected);
}

static void s_en(const char *label, int window, const char *expected)
{
    char out[ANN_TEXT_MAX];
    assert_int_equal(ann_text(UI_LANG_EN, label, window, out, sizeof out), 0);
    assert_string_equal(out, expected);
}

static void test_zh_sentences(void **state)
{
    (void)state;
    s_zh("A001", 3, "请A零零一号到三号窗口办理");
    s_zh("A001", 1, "请A零零一号到一号窗口办理");
    s_zh("B010", 10, "请B零一零号到十号窗口办理");
    s_zh("C120", 12, "请C一二零号到十二号窗口办理");
    s_zh("D999", 20, "请D九九九号到二十号窗口办理");
    s_zh("G100", 99, "请G一零零号到九十九号窗口办理");
    s_zh("E1234", 101, "请E一二三四号到一百零一号窗口办理");
    s_zh("Z000", 2, "请Z零零零号到二号窗口办理");
}

static void test_en_sentences(void **state)
{
    (void)state;
    s_en("A001", 3, "Number A 0 0 1, please go to window 3");
    s_en("B010", 10, "Number B 0 1 0, please go to window 10");
    s_en("C120", 12, "Number C 1 2 0, please go to window 12");
    s_en("A001", 1, "Number A 0 0 1, please go to window 1");
    s_en("F555", 20, "Number F 5 5 5, please go to window 20");
    s_en("G099", 99, "Number G 0 9 9, please go to window 99");
}

static void test_bad_input(void **state)
{
    (void)state;
    char out[ANN_TEXT_MAX];
    /* A label with a control character is refused too: it never reaches the synthesizer. */
    const char *bad[] = {"",        "A",    "a001",   "001",  "A0x1", "AA01",
                         "A123456", "Ä001", "A\0331", "A1\a", "A1\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(ann_label_ok(bad[i]), -1);
        assert_int_equal(ann_text(UI_LANG_ZH, bad[i], 3, out, sizeof out), -1);
        assert_string_equal(out, "");
    }
    assert_int_equal(ann_text(UI_LANG_ZH, "A001", 0, out, sizeof out), -1);
    assert_int_equal(ann_text(UI_LANG_EN, "A001", -3, out, sizeof out), -1);
    assert_int_equal(ann_text(UI_LANG_ZH, "A001", ANN_WINDOW_MAX + 1, out, sizeof out), -1);
    /* Too small a buffer fails cleanly instead of cutting a character in half. */
    assert_int_equal(ann_text(UI_LANG_ZH, "A001", 3, out, 10), -1);
    assert_string_equal(out, "");
    assert_int_equal(ann_label_ok("A1"), 0);
    assert_int_equal(ann_label_ok("A12345"), 0);
}

static void test_speech_input(void **state)
{
    (void)state;
    char out[ANN_TEXT_MAX];
    int ssml = -1;
    /* Mandarin: the sentence itself, digits as characters (so C120 is not 一百二十). */
    assert_int_equal(ann_speech_input(UI_LANG_ZH, "C120", 12, out, sizeof out, &ssml), 0);
    assert_int_equal(ssml, 0);
    assert_string_equal(out, "请C一二零号到十二号窗口办理");
    /* English: the label spelt as characters, so the letter is not read as the article. */
    assert_int_equal(ann_speech_input(UI_LANG_EN, "A001", 3, out, sizeof out, &ssml), 0);
    assert_int_equal(ssml, 1);
    assert_string_equal(out, "<speak>Number <say-as interpret-as=\"characters\">A001</say-as>, "
                             "please go to window 3.</speak>");
    assert_int_equal(ann_speech_input(UI_LANG_EN, "A<1", 3, out, sizeof out, &ssml), -1);
}

static void s_clips(const char *label, int window, const char *expected)
{
    char names[ANN_CLIPS_MAX][ANN_CLIP_NAME];
    int n = ann_clips(label, window, names, ANN_CLIPS_MAX);
    assert_true(n > 0);
    char joined[512] = "";
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(joined, " ");
        strcat(joined, names[i]);
    }
    assert_string_equal(joined, expected);
}

static void test_clips(void **state)
{
    (void)state;
    s_clips("A001", 3, "qing A 0 0 1 hao dao 3 hao chuangkou_banli");
    s_clips("B010", 10, "qing B 0 1 0 hao dao shi hao chuangkou_banli");
    s_clips("C120", 12, "qing C 1 2 0 hao dao shi 2 hao chuangkou_banli");
    s_clips("A001", 20, "qing A 0 0 1 hao dao 2 shi hao chuangkou_banli");
    s_clips("A001", 99, "qing A 0 0 1 hao dao 9 shi 9 hao chuangkou_banli");
    s_clips("A001", 105, "qing A 0 0 1 hao dao 1 bai 0 5 hao chuangkou_banli");
    char names[4][ANN_CLIP_NAME];
    assert_int_equal(ann_clips("A001", 3, names, 4), -1); /* no room */
    assert_int_equal(ann_clips("A0a1", 3, names, 4), -1);
}

/* The short form of a busy moment: the number, a pause, the window; never run together. */
static void test_short_form(void **state)
{
    (void)state;
    char out[ANN_TEXT_MAX];
    int ssml = -1;
    assert_int_equal(ann_short_text(UI_LANG_ZH, "A001", 3, out, sizeof out), 0);
    assert_string_equal(out, "A零零一，三号窗口");
    assert_int_equal(ann_short_text(UI_LANG_ZH, "A034", 2, out, sizeof out), 0);
    assert_string_equal(out, "A零三四，二号窗口");
    assert_int_equal(ann_short_text(UI_LANG_EN, "C120", 12, out, sizeof out), 0);
    assert_string_equal(out, "C 1 2 0, window 12");
    assert_int_equal(ann_short_speech_input(UI_LANG_ZH, "A001", 3, out, sizeof out, &ssml), 0);
    assert_string_equal(out, "A零零一，三号窗口");
    assert_int_equal(ssml, 0);
    assert_int_equal(ann_short_speech_input(UI_LANG_EN, "A001", 3, out, sizeof out, &ssml), 0);
    assert_int_equal(ssml, 1);
    assert_non_null(strstr(out, "<say-as interpret-as=\"characters\">A001</say-as>, window 3"));
    assert_int_equal(ann_short_text(UI_LANG_ZH, "A0x1", 3, out, sizeof out), -1);
    assert_int_equal(ann_short_speech_input(UI_LANG_EN, "A<1", 3, out, sizeof out, &ssml), -1);
    assert_int_equal(ann_short_text(UI_LANG_ZH, "A001", 3, out, 8), -1); /* no room */

    char names[ANN_CLIPS_MAX][ANN_CLIP_NAME], joined[512] = "";
    int pause = -1;
    int n = ann_short_clips("B010", 12, names, ANN_CLIPS_MAX, &pause);
    for (int i = 0; i < n; i++) {
        if (i == pause)
            strcat(joined, "| ");
        strcat(joined, names[i]);
        strcat(joined, " ");
    }
    assert_string_equal(joined, "B 0 1 0 | shi 2 hao chuangkou_banli ");
    assert_int_equal(ann_short_clips("B010", 12, names, 3, &pause), -1);
}

static void test_clip_vocabulary(void **state)
{
    (void)state;
    char names[32][ANN_CLIP_NAME];
    int n99 = ann_clip_vocabulary(99, names, 32);
    assert_int_equal(n99, 4 + 10 + 1);
    assert_string_equal(names[0], "qing");
    assert_string_equal(names[n99 - 1], "shi");
    int all = ann_clip_vocabulary(ANN_WINDOW_MAX, names, 32);
    assert_int_equal(all, 4 + 10 + 4);
    /* Every clip any window 1..2000 needs is in the vocabulary. */
    for (int w = 1; w <= 2000; w++) {
        char clips[ANN_CLIPS_MAX][ANN_CLIP_NAME];
        int k = ann_clips("A001", w, clips, ANN_CLIPS_MAX);
        assert_true(k > 0);
        for (int i = 0; i < k; i++) {
            if (strcmp(clips[i], "A") == 0)
                continue;
            int found = 0;
            for (int v = 0; v < all && !found; v++)
                found = strcmp(clips[i], names[v]) == 0;
            assert_true(found);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zh_numbers),      cmocka_unit_test(test_zh_sentences),
        cmocka_unit_test(test_en_sentences),    cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_speech_input),    cmocka_unit_test(test_clips),
        cmocka_unit_test(test_clip_vocabulary), cmocka_unit_test(test_short_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
