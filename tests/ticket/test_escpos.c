/* Unit tests of the ESC/POS byte builder and its text helpers (apps/kiosk/escpos.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "escpos.h"

#include <iconv.h>
#include <stdlib.h>
#include <string.h>

static void s_expect_bytes(const escpos_t *p, const void *want, size_t len)
{
    assert_int_equal(escpos_size(p), len);
    assert_memory_equal(escpos_data(p), want, len);
}

/* GBK back to UTF-8 with glibc, failing on any byte sequence that is not valid GBK. */
static char *s_gbk_decode(const char *gbk, size_t len)
{
    iconv_t cd = iconv_open("UTF-8", "GBK");
    assert_true(cd != (iconv_t)-1);
    size_t cap = len * 3 + 1;
    char *out = malloc(cap);
    assert_non_null(out);
    char *in = (char *)gbk, *o = out;
    size_t inleft = len, outleft = cap - 1;
    assert_int_not_equal(iconv(cd, &in, &inleft, &o, &outleft), (size_t)-1);
    assert_int_equal(inleft, 0);
    *o = '\0';
    iconv_close(cd);
    return out;
}

static void test_paper_columns(void **state)
{
    (void)state;
    assert_int_equal(escpos_paper_columns(58), 32);
    assert_int_equal(escpos_paper_columns(80), 48);
    assert_int_equal(escpos_paper_columns(76), -1);
    assert_int_equal(escpos_paper_columns(0), -1);
}

static void test_mode_commands(void **state)
{
    (void)state;
    escpos_t *p = escpos_new();
    assert_non_null(p);
    assert_int_equal(escpos_init(p), 0);
    assert_int_equal(escpos_chinese_mode(p), 0);
    assert_int_equal(escpos_align(p, ESCPOS_ALIGN_CENTER), 0);
    assert_int_equal(escpos_bold(p, 1), 0);
    assert_int_equal(escpos_double_size(p, 1), 0);
    assert_int_equal(escpos_double_size(p, 0), 0);
    assert_int_equal(escpos_bold(p, 0), 0);
    assert_int_equal(escpos_align(p, ESCPOS_ALIGN_LEFT), 0);
    assert_int_equal(escpos_feed(p, 3), 0);
    assert_int_equal(escpos_cut(p), 0);
    const uint8_t want[] = {0x1b, '@', 0x1c, '&',  0x1b, 'a',  1,    0x1b, 'E', 1,
                            0x1d, '!', 0x11, 0x1d, '!',  0,    0x1b, 'E',  0,   0x1b,
                            'a',  0,   0x1b, 'd',  3,    0x1d, 'V',  66,   0};
    s_expect_bytes(p, want, sizeof want);
    assert_false(escpos_failed(p));
    escpos_destroy(&p);
    assert_null(p);
    escpos_destroy(&p); /* safe twice */
}

/* GS ! n: bits 4-6 the width, bits 0-2 the height, each the magnification less one; sizes
 * outside 1-8 are refused and make the builder fail, leaving no half command. */
static void test_char_size(void **state)
{
    (void)state;
    escpos_t *p = escpos_new();
    assert_int_equal(escpos_char_size(p, 4, 4), 0);
    assert_int_equal(escpos_char_size(p, 3, 2), 0);
    assert_int_equal(escpos_char_size(p, 8, 8), 0);
    assert_int_equal(escpos_char_size(p, 1, 1), 0);
    const uint8_t want[] = {0x1d, '!', 0x33, 0x1d, '!', 0x21, 0x1d, '!', 0x77, 0x1d, '!', 0};
    s_expect_bytes(p, want, sizeof want);
    assert_int_equal(escpos_char_size(p, 9, 1), -1);
    assert_true(escpos_failed(p));
    escpos_destroy(&p);
    p = escpos_new();
    assert_int_equal(escpos_char_size(p, 2, 0), -1);
    assert_int_equal(escpos_size(p), 0);
    escpos_destroy(&p);
}

static void test_text_gbk(void **state)
{
    (void)state;
    escpos_t *p = escpos_new();
    assert_int_equal(escpos_line(p, "A001 你好"), 0);
    const uint8_t want[] = {'A', '0', '0', '1', ' ', 0xc4, 0xe3, 0xba, 0xc3, 0x0a};
    s_expect_bytes(p, want, sizeof want);
    assert_int_equal(escpos_replaced(p), 0);
    escpos_destroy(&p);
}

static void test_emoji_replaced_visibly(void **state)
{
    (void)state;
    escpos_t *p = escpos_new();
    /* U+1F600 and the rare name character U+4DAE are not in GBK. */
    assert_int_equal(escpos_text(p, "取号\xf0\x9f\x98\x80好\xe4\xb6\xae"), 0);
    const uint8_t want[] = {0xc8, 0xa1, 0xba, 0xc5, '?', 0xba, 0xc3, '?'};
    s_expect_bytes(p, want, sizeof want);
    assert_int_equal(escpos_replaced(p), 2);
    escpos_destroy(&p);

    size_t replaced = 99;
    char *printable = escpos_printable("取号\xf0\x9f\x98\x80", &replaced);
    assert_string_equal(printable, "取号?");
    assert_int_equal(replaced, 1);
    free(printable);
}

static void test_controls_and_bad_utf8_replaced(void **state)
{
    (void)state;
    char *gbk;
    size_t len, replaced;
    /* An ESC in catalog text must not reach the printer as a command. */
    assert_int_equal(escpos_gbk_encode("a\x1b@b\x7f", &gbk, &len, &replaced), 0);
    assert_string_equal(gbk, "a?@b?");
    assert_int_equal(replaced, 2);
    free(gbk);
    /* Invalid and overlong UTF-8, a lone continuation byte, a surrogate, C1 control. */
    assert_int_equal(escpos_gbk_encode("\xff|\xc0\xaf|\x80|\xed\xa0\x80|\xc2\x85|\xe4\xbd", &gbk,
                                       &len, &replaced),
                     0);
    assert_string_equal(gbk, "?|??|?|???|?|??");
    assert_int_equal(replaced, 10);
    free(gbk);
    /* The euro sign is one byte (0x80) in glibc's GBK, which printers misread. */
    assert_int_equal(escpos_gbk_encode("\xe2\x82\xac", &gbk, &len, &replaced), 0);
    assert_string_equal(gbk, "?");
    assert_int_equal(replaced, 1);
    free(gbk);
    /* Tabs print as spaces, newlines stay line feeds. */
    assert_int_equal(escpos_gbk_encode("a\tb\nc", &gbk, &len, &replaced), 0);
    assert_string_equal(gbk, "a b\nc");
    assert_int_equal(replaced, 0);
    free(gbk);
}

static void test_gbk_round_trip(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "统一社会信用代码证书或单位批准成立的文件（实现联办建立登记的企业可不提供）",
        "《基本医疗保险单位参保信息登记表》（加盖单位公章）",
        "申请—受理—审核—办结；“即时办结”·【老年人绿色通道】★",
        "当日有效，过号请到服务台",
        "People ahead: 3 / 预计等候：约 12 分钟",
        "堃喆镕昇〇",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *gbk;
        size_t len, replaced;
        assert_int_equal(escpos_gbk_encode(texts[i], &gbk, &len, &replaced), 0);
        assert_int_equal(replaced, 0);
        char *back = s_gbk_decode(gbk, len);
        assert_string_equal(back, texts[i]);
        free(back);
        free(gbk);
    }
}

static void test_text_width(void **state)
{
    (void)state;
    assert_int_equal(escpos_text_width(""), 0);
    assert_int_equal(escpos_text_width("A001"), 4);
    assert_int_equal(escpos_text_width("你好"), 4);
    assert_int_equal(escpos_text_width("（你）"), 6);
    /* Narrow for a terminal, but two GBK bytes: two columns on paper. */
    assert_int_equal(escpos_text_width("—·“"), 6);
    /* Replaced by '?': one column. */
    assert_int_equal(escpos_text_width("\xf0\x9f\x98\x80"), 1);
    assert_int_equal(escpos_text_width("a\tb"), 3);
}

static void test_qr_bytes(void **state)
{
    (void)state;
    escpos_t *p = escpos_new();
    assert_int_equal(escpos_qr(p, "hq:1", 4, 6, ESCPOS_QR_EC_M), 0);
    const uint8_t want[] = {
        0x1d, '(', 'k', 4, 0, 49, 65, 50, 0,                  /* fn 165 model 2 */
        0x1d, '(', 'k', 3, 0, 49, 67, 6,                      /* fn 167 module 6 */
        0x1d, '(', 'k', 3, 0, 49, 69, 49,                     /* fn 169 level M */
        0x1d, '(', 'k', 7, 0, 49, 80, 48, 'h', 'q', ':', '1', /* fn 180 store */
        0x1d, '(', 'k', 3, 0, 49, 81, 48,                     /* fn 181 print */
    };
    s_expect_bytes(p, want, sizeof want);
    escpos_destroy(&p);

    /* A payload longer than 252 bytes needs the high length byte. */
    char big[300];
    memset(big, '7', sizeof big);
    p = escpos_new();
    assert_int_equal(escpos_qr(p, big, sizeof big, 4, ESCPOS_QR_EC_L), 0);
    const uint8_t *d = escpos_data(p);
    assert_int_equal(d[25 + 3], (300 + 3) & 0xff);
    assert_int_equal(d[25 + 4], (300 + 3) >> 8);
    escpos_destroy(&p);
}

static void test_bad_arguments_fail_sticky(void **state)
{
    (void)state;
    escpos_t *p = escpos_new();
    assert_int_equal(escpos_init(p), 0);
    size_t before = escpos_size(p);
    assert_int_equal(escpos_rule(p, '#', 32), -1); /* box drawing / other bytes refused */
    assert_true(escpos_failed(p));
    assert_int_equal(escpos_init(p), -1); /* sticky */
    assert_int_equal(escpos_size(p), before);
    size_t len;
    assert_null(escpos_take(p, &len));
    escpos_destroy(&p);

    static const char big[ESCPOS_QR_MAX_DATA + 1] = {0};
    p = escpos_new();
    assert_int_equal(escpos_qr(p, "x", 0, 4, ESCPOS_QR_EC_L), -1);
    escpos_destroy(&p);
    p = escpos_new();
    assert_int_equal(escpos_qr(p, big, sizeof big, 4, ESCPOS_QR_EC_L), -1);
    escpos_destroy(&p);
    p = escpos_new();
    assert_int_equal(escpos_qr(p, "x", 1, 17, ESCPOS_QR_EC_L), -1);
    escpos_destroy(&p);
    p = escpos_new();
    assert_int_equal(escpos_feed(p, 256), -1);
    escpos_destroy(&p);
    p = escpos_new();
    assert_int_equal(escpos_align(p, (escpos_align_t)3), -1);
    escpos_destroy(&p);
}

static void test_rule_and_take(void **state)
{
    (void)state;
    escpos_t *p = escpos_new();
    assert_int_equal(escpos_rule(p, '=', 4), 0);
    assert_int_equal(escpos_rule(p, '-', 2), 0);
    size_t len;
    uint8_t *bytes = escpos_take(p, &len);
    assert_non_null(bytes);
    assert_int_equal(len, 8);
    assert_memory_equal(bytes, "====\n--\n", 8);
    free(bytes);
    assert_int_equal(escpos_size(p), 0);
    bytes = escpos_take(p, &len); /* empty builder: valid pointer, no bytes */
    assert_non_null(bytes);
    assert_int_equal(len, 0);
    free(bytes);
    escpos_destroy(&p);
}

/* Checks the invariants of a wrap: every line within the width, no line starting with a
 * space or closing punctuation, and nothing but spaces lost. */
static void s_check_wrap(const char *text, int width)
{
    escpos_lines_t lines;
    assert_int_equal(escpos_wrap(text, width, &lines, NULL), 0);
    size_t joined_len = 0;
    for (size_t i = 0; i < lines.count; i++) {
        int w = escpos_text_width(lines.line[i]);
        if (w > width)
            fail_msg("line %zu '%s' is %d columns, width %d", i, lines.line[i], w, width);
        assert_true(lines.line[i][0] != ' ');
        /* Below 6 columns a run like "供）" cannot be kept together: a hard break is all
         * that is left, so punctuation rules are only checked on real widths. */
        if (width >= 6) {
            assert_true(strncmp(lines.line[i], "，", 3) != 0);
            assert_true(strncmp(lines.line[i], "。", 3) != 0);
            assert_true(strncmp(lines.line[i], "）", 3) != 0);
        }
        joined_len += strlen(lines.line[i]);
    }
    char *joined = malloc(joined_len + 1);
    char *nospace = malloc(strlen(text) + 1);
    assert_non_null(joined);
    assert_non_null(nospace);
    joined[0] = '\0';
    for (size_t i = 0; i < lines.count; i++)
        strcat(joined, lines.line[i]);
    /* Compare without spaces: wrapping may only drop spaces at the break points. */
    size_t o = 0;
    for (const char *s = text; *s; s++)
        if (*s != ' ' && *s != '\n')
            nospace[o++] = *s;
    nospace[o] = '\0';
    o = 0;
    for (const char *s = joined; *s; s++)
        if (*s != ' ')
            joined[o++] = *s;
    joined[o] = '\0';
    assert_string_equal(joined, nospace);
    free(joined);
    free(nospace);
    escpos_lines_clear(&lines);
}

static void test_wrap_never_exceeds_width(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "统一社会信用代码证书或单位批准成立的文件（实现联办建立登记的企业可不提供）",
        "在职职工：《城镇职工基本医疗保险参保登记表》（加盖单位公章）;灵活就业人员：有效身份证件",
        "Valid today only. Missed your number? Please ask at the service desk.",
        "People ahead: 12345 Estimated wait: about 720 min A001 A002 A003",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "混合mixed文字text，标点。结束）x",
        "，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，",
        "a 你 b 好 c",
        "第一行\n第二行很长很长很长很长很长很长很长很长很长很长很长很长很长很长",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        int widths[] = {2, 3, 5, 16, 24, 29, 32, 48};
        for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
            /* A row of commas has no legal break at all: only the width rule applies. */
            if (i == 6) {
                escpos_lines_t lines;
                assert_int_equal(escpos_wrap(texts[i], widths[k], &lines, NULL), 0);
                for (size_t j = 0; j < lines.count; j++)
                    assert_true(escpos_text_width(lines.line[j]) <= widths[k]);
                escpos_lines_clear(&lines);
                continue;
            }
            s_check_wrap(texts[i], widths[k]);
        }
    }
}

static void test_wrap_breaks(void **state)
{
    (void)state;
    escpos_lines_t lines;
    /* Words stay whole when they fit. */
    assert_int_equal(escpos_wrap("Missed your number?", 12, &lines, NULL), 0);
    assert_int_equal(lines.count, 2);
    assert_string_equal(lines.line[0], "Missed your");
    assert_string_equal(lines.line[1], "number?");
    escpos_lines_clear(&lines);
    /* Closing punctuation pulls the character before it down to the next line. */
    assert_int_equal(escpos_wrap("一二三四，五", 8, &lines, NULL), 0);
    assert_int_equal(lines.count, 2);
    assert_string_equal(lines.line[0], "一二三");
    assert_string_equal(lines.line[1], "四，五");
    escpos_lines_clear(&lines);
    /* Opening punctuation does not end a line. */
    assert_int_equal(escpos_wrap("一二三（四）", 8, &lines, NULL), 0);
    assert_string_equal(lines.line[0], "一二三");
    assert_string_equal(lines.line[1], "（四）");
    escpos_lines_clear(&lines);
    /* ASCII next to Chinese may break; "A001" itself never. */
    assert_int_equal(escpos_wrap("号码A001请等候", 6, &lines, NULL), 0);
    assert_string_equal(lines.line[0], "号码");
    assert_string_equal(lines.line[1], "A001请");
    assert_string_equal(lines.line[2], "等候");
    escpos_lines_clear(&lines);
    /* Forced breaks and empty lines. */
    assert_int_equal(escpos_wrap("a\n\nb\n", 8, &lines, NULL), 0);
    assert_int_equal(lines.count, 3);
    assert_string_equal(lines.line[1], "");
    escpos_lines_clear(&lines);
    assert_int_equal(escpos_wrap("", 8, &lines, NULL), 0);
    assert_int_equal(lines.count, 0);
    escpos_lines_clear(&lines);
    /* Replacements happen before measuring, and are counted. */
    size_t replaced;
    assert_int_equal(
        escpos_wrap("\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 2, &lines, &replaced), 0);
    assert_int_equal(replaced, 3);
    assert_int_equal(lines.count, 2);
    assert_string_equal(lines.line[0], "??");
    assert_string_equal(lines.line[1], "?");
    escpos_lines_clear(&lines);
    /* Width 1 could not hold a Chinese character. */
    assert_int_equal(escpos_wrap("你", 1, &lines, NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paper_columns),
        cmocka_unit_test(test_mode_commands),
        cmocka_unit_test(test_char_size),
        cmocka_unit_test(test_text_gbk),
        cmocka_unit_test(test_emoji_replaced_visibly),
        cmocka_unit_test(test_controls_and_bad_utf8_replaced),
        cmocka_unit_test(test_gbk_round_trip),
        cmocka_unit_test(test_text_width),
        cmocka_unit_test(test_qr_bytes),
        cmocka_unit_test(test_bad_arguments_fail_sticky),
        cmocka_unit_test(test_rule_and_take),
        cmocka_unit_test(test_wrap_never_exceeds_width),
        cmocka_unit_test(test_wrap_breaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
