/* The display-text sanitiser (lib/hallq/hq_utf8.c): what a screen, a terminal or a printer is
 * given of text that came from the daemon or a file. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hq_utf8.h"

#define FFFD "\xEF\xBF\xBD"
#define ESC "\x1b"
#define BEL "\x07"
#define DEL "\x7f"
/* C1 controls as UTF-8 */
#define CSI1 "\xC2\x9B"
#define OSC1 "\xC2\x9D"
#define DCS1 "\xC2\x90"
#define APC1 "\xC2\x9F"
#define ST1 "\xC2\x9C"
#define NEL "\xC2\x85"
#define RI "\xC2\x8D"
/* the bidirectional controls */
#define LRE "\u202a"
#define RLE "\u202b"
#define PDF "\u202c"
#define LRO "\u202d"
#define RLO "\u202e"
#define LRI "\u2066"
#define RLI "\u2067"
#define FSI "\u2068"
#define PDI "\u2069"
#define LRM "\u200e"
#define RLM "\u200f"
#define ALM "\u061c"

/* hq_utf8_sanitise of len bytes, into a buffer that never runs out. */
static const char *s_clean(const char *in, size_t len)
{
    static char out[1024];
    size_t n = hq_utf8_sanitise(in, len, out, sizeof out);
    assert_int_equal(n, strlen(out));
    return out;
}

#define S_CLEAN(lit) s_clean(lit, sizeof lit - 1)

/* No byte of it is a control, and it holds no character that reorders text. */
static void s_assert_safe(const char *s, size_t len)
{
    static const char *const reorder[] = {LRE, RLE, PDF, LRO, RLO, LRI,      RLI,
                                          FSI, PDI, LRM, RLM, ALM, "\u2028", "\u2029"};
    assert_int_equal(hq_utf8_check(s, len, 1, NULL, NULL), HQ_UTF8_OK);
    for (size_t i = 0; i < sizeof reorder / sizeof reorder[0]; i++)
        assert_null(memmem(s, len, reorder[i], strlen(reorder[i])));
}

static void test_text_kept(void **state)
{
    (void)state;
    assert_string_equal(S_CLEAN(""), "");
    assert_string_equal(S_CLEAN("wang A001"), "wang A001");
    assert_string_equal(S_CLEAN("参保登记与变更（城乡居民）"), "参保登记与变更（城乡居民）");
    assert_string_equal(S_CLEAN("emoji \xF0\x9F\x98\x80 and U+10FFFF \xF4\x8F\xBF\xBF"),
                        "emoji \xF0\x9F\x98\x80 and U+10FFFF \xF4\x8F\xBF\xBF");
    /* Printable punctuation an escape sequence is made of stays when no ESC starts one. */
    assert_string_equal(S_CLEAN("[31m] ]0;x \\ ^ _ P"), "[31m] ]0;x \\ ^ _ P");
    /* Right-to-left letters are text: only the controls that reorder go. */
    assert_string_equal(S_CLEAN("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"),
                        "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D");
    /* U+00A0 and beyond, just past the C1 block. */
    assert_string_equal(S_CLEAN("\xC2\xA0\xC2\xA9"), "\xC2\xA0\xC2\xA9");
}

static void test_csi(void **state)
{
    (void)state;
    assert_string_equal(S_CLEAN("a\x1b[31mred\x1b[0m"), "ared");
    assert_string_equal(S_CLEAN("\x1b[2J\x1b[H\x1b[3J"), "");           /* clear the screen */
    assert_string_equal(S_CLEAN("\x1b[?1049h\x1b[?25l"), "");           /* private modes */
    assert_string_equal(S_CLEAN("\x1b[1 q\x1b[!p"), "");                /* intermediates */
    assert_string_equal(S_CLEAN("\x1b[38;2;255;0;0m王\x1b[m"), "王");   /* true colour */
    assert_string_equal(S_CLEAN("\x1b[38:5:196mX"), "X");               /* colon form */
    assert_string_equal(S_CLEAN("\x1b[6n\x1b[c\x1b[>c"), "");           /* reports asked */
    assert_string_equal(S_CLEAN("\x1b[8;1;1t\x1b[21t"), "");            /* window ops */
    assert_string_equal(S_CLEAN("x\x1b[1;31"), "x");                    /* cut off */
    assert_string_equal(S_CLEAN("\x1b[12345678901234567890mok"), "ok"); /* long parameters */
    /* What a terminal acts on inside a sequence goes, and the sequence goes on. */
    assert_string_equal(S_CLEAN("\x1b[3\n1mX"), "X");
    assert_string_equal(S_CLEAN(ESC "[3" DEL "1mX"), "X");
    /* ESC inside starts another; CAN and SUB cancel (what follows is text). */
    assert_string_equal(S_CLEAN("\x1b[31\x1b[32mX"), "X");
    assert_string_equal(S_CLEAN("\x1b[31\x18mX"), "mX");
    assert_string_equal(S_CLEAN("\x1b[31\x1amX"), "mX");
    /* Not ASCII where the sequence wants ASCII: it is over, the character is text. */
    assert_string_equal(S_CLEAN("\x1b[31中mX"), "中mX");
    /* The one-character CSI of C1, as UTF-8. */
    assert_string_equal(S_CLEAN(CSI1 "31mX" CSI1 "2J"), "X");
}

static void test_strings(void **state)
{
    (void)state;
    assert_string_equal(S_CLEAN("\x1b]0;pwned\x07ok"), "ok");   /* title, BEL */
    assert_string_equal(S_CLEAN("\x1b]2;pwned\x1b\\ok"), "ok"); /* title, ST */
    assert_string_equal(S_CLEAN("\x1b]0;标题\x07好"), "好");    /* text inside goes */
    assert_string_equal(S_CLEAN("\x1b]8;;http://x.example/\x1b\\click\x1b]8;;\x1b\\"),
                        "click");                                   /* hyperlink */
    assert_string_equal(S_CLEAN("\x1b]52;c;ZWNobyBoaQ==\x07"), ""); /* clipboard */
    assert_string_equal(S_CLEAN("\x1b]4;1;rgb:ff/00/00\x07"), "");  /* palette */
    assert_string_equal(S_CLEAN("\x1bP1$qm\x1b\\x"), "x");          /* DCS */
    assert_string_equal(S_CLEAN("\x1bXsos\x1b\\\x1b^pm\x1b\\\x1b_apc\x1b\\y"), "y");
    /* A string nothing ends runs to the end, as it would in a terminal. */
    assert_string_equal(S_CLEAN("ab\x1b]0;title and the rest"), "ab");
    assert_string_equal(S_CLEAN("ab\x1bPdata\x07more"), "abmore");
    /* Controls, bad bytes and ESC that is no ST are swallowed with the string; that ESC
     * starts a sequence of its own. */
    assert_string_equal(S_CLEAN("\x1b]0;a\nb\xff\x1b[31mX"), "X");
    /* The C1 forms: OSC U+009D ended by ST U+009C, DCS U+0090, APC U+009F. */
    assert_string_equal(S_CLEAN(OSC1 "0;t" ST1 "Y"), "Y");
    assert_string_equal(S_CLEAN(DCS1 "q" ST1 APC1 "a" BEL "Z"), "Z");
    /* CAN cancels a string too. */
    assert_string_equal(S_CLEAN("\x1b]0;t\x18visible"), "visible");
}

static void test_escape(void **state)
{
    (void)state;
    assert_string_equal(S_CLEAN(ESC "c"), "");                         /* reset */
    assert_string_equal(S_CLEAN("\x1b#8"), "");                        /* fill with E */
    assert_string_equal(S_CLEAN("\x1b(0lqk\x1b(B"), "lqk");            /* line drawing */
    assert_string_equal(S_CLEAN(ESC "7x" ESC "8"), "x");               /* save, restore */
    assert_string_equal(S_CLEAN(ESC "=" ESC ">" ESC "M" ESC "D"), ""); /* keypad, index */
    assert_string_equal(S_CLEAN("\x1b%G\x1b (F"), "");                 /* more intermediates */
    assert_string_equal(S_CLEAN("\x1b\\x"), "x");                      /* a lone ST */
    assert_string_equal(S_CLEAN("x\x1b"), "x");                        /* ESC at the end */
    assert_string_equal(S_CLEAN("\x1b\x1b\x1b[mX"), "X");
    assert_string_equal(S_CLEAN("\x1b\n[31mX"), "X"); /* C0 after ESC: still one sequence */
    assert_string_equal(S_CLEAN("\x1b中"), "中");     /* ESC before text: only ESC goes */
    assert_string_equal(S_CLEAN("\x1b\xff!"), FFFD "!");
}

static void test_controls(void **state)
{
    (void)state;
    assert_string_equal(s_clean("a\tb\nc\rd" BEL "e\bf\0g", 14), "abcdefg");
    char all[34];
    for (int i = 0; i < 32; i++)
        all[i] = (char)(i == 0x1b || i == 0x18 || i == 0x1a ? 'x' : i);
    all[32] = 0x7f;
    all[33] = 'z';
    assert_string_equal(s_clean(all, sizeof all), "xxxz");
    for (unsigned c = 0x80; c <= 0x9f; c++) {
        char in[4] = {'a', (char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3f)), 'b'};
        const char *out = s_clean(in, sizeof in);
        /* Every C1 control goes; those that start a sequence take "b" with them. */
        assert_true(strcmp(out, "ab") == 0 || strcmp(out, "a") == 0);
    }
    assert_string_equal(S_CLEAN("a" NEL "b" RI "c"), "abc"); /* NEL, RI */
}

static void test_reordering(void **state)
{
    (void)state;
    assert_string_equal(S_CLEAN("A" RLO "100" PDF), "A100");           /* RLO, PDF */
    assert_string_equal(S_CLEAN(LRE RLE LRO "x"), "x");                /* LRE RLE LRO */
    assert_string_equal(S_CLEAN(LRI "a" RLI "b" FSI "c" PDI), "abc");  /* isolates */
    assert_string_equal(S_CLEAN("a" LRM "b" RLM "c" ALM "d"), "abcd"); /* LRM, RLM, ALM */
    assert_string_equal(S_CLEAN("a\u206ab\u206fc"), "abc");            /* U+206A..F */
    assert_string_equal(S_CLEAN("a\u2028b\u2029c"), "abc");            /* U+2028, 9 */
    /* Their neighbours are ordinary text. */
    assert_string_equal(S_CLEAN("\xE2\x80\xA7\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xB0"),
                        "\xE2\x80\xA7\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xB0");
}

static void test_invalid(void **state)
{
    (void)state;
    assert_string_equal(S_CLEAN("\xff"), FFFD);
    assert_string_equal(S_CLEAN("a\200b"), "a" FFFD "b");
    assert_string_equal(S_CLEAN("\xe4\xb8"), FFFD); /* cut off: one U+FFFD */
    assert_string_equal(S_CLEAN("\344\270a"), FFFD "a");
    assert_string_equal(S_CLEAN("\xf0\x9f\x98"), FFFD);
    assert_string_equal(S_CLEAN("\xc0\xaf"), FFFD FFFD); /* overlong */
    assert_string_equal(S_CLEAN("\xe0\x80\xaf"), FFFD FFFD FFFD);
    assert_string_equal(S_CLEAN("\xed\xa0\x80"), FFFD FFFD FFFD);          /* surrogate */
    assert_string_equal(S_CLEAN("\xf4\x90\x80\x80"), FFFD FFFD FFFD FFFD); /* past U+10FFFF */
    assert_string_equal(S_CLEAN("\xf5\xf8\xfe"), FFFD FFFD FFFD);
    assert_string_equal(S_CLEAN("\xe4\xb8\xe4\xb8\xad"), FFFD "中");
    /* A raw 8-bit CSI byte is no UTF-8: replaced, and what follows is plain text. */
    assert_string_equal(S_CLEAN("\23331m"), FFFD "31m");
    /* The Unicode standard's example (table 3-8): one U+FFFD per maximal part. */
    assert_string_equal(S_CLEAN("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
                        "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d");
}

static void test_bounded(void **state)
{
    (void)state;
    char out[16];
    memset(out, 'x', sizeof out);
    assert_int_equal(hq_utf8_sanitise("中文", 6, out, 4), 3);
    assert_string_equal(out, "中");
    assert_int_equal(hq_utf8_sanitise("中文", 6, out, 7), 6);
    assert_int_equal(hq_utf8_sanitise("中文", 6, out, 6), 3);
    assert_int_equal(hq_utf8_sanitise("中文", 6, out, 3), 0);
    assert_string_equal(out, "");
    assert_int_equal(hq_utf8_sanitise("ab\xff", 3, out, 5), 2); /* U+FFFD not cut either */
    assert_string_equal(out, "ab");
    assert_int_equal(hq_utf8_sanitise("\xF0\x9F\x98\x80", 4, out, 4), 0);
    assert_int_equal(hq_utf8_sanitise("abc", 3, out, 1), 0);
    assert_string_equal(out, "");
    memset(out, 'x', sizeof out);
    assert_int_equal(hq_utf8_sanitise("abc", 3, out, 0), 0);
    assert_int_equal(out[0], 'x'); /* no room even for the NUL: nothing written */
    /* Dropped parts take no room: what fits is counted after them. */
    assert_int_equal(hq_utf8_sanitise("\x1b[31mabc\x1b[0m", 12, out, 4), 3);
    assert_string_equal(out, "abc");
    /* len is the length: a NUL inside is a control like any other. */
    assert_int_equal(hq_utf8_sanitise("a\0b", 3, out, sizeof out), 2);
    assert_string_equal(out, "ab");
}

static void test_helpers(void **state)
{
    (void)state;
    assert_true(hq_utf8_is_clean("", 0));
    assert_true(hq_utf8_is_clean("王 A001（暂停）", strlen("王 A001（暂停）")));
    assert_false(hq_utf8_is_clean("a\tb", 3));
    assert_false(hq_utf8_is_clean("\x1b[m", 3));
    assert_false(hq_utf8_is_clean("\xC2\x9B", 2));
    assert_false(hq_utf8_is_clean("\xE2\x80\xAE", 3));
    assert_false(hq_utf8_is_clean("\xe4\xb8", 2));

    char *dup = hq_utf8_sanitise_dup("\x1b]0;t\x07王\xff");
    assert_non_null(dup);
    assert_string_equal(dup, "王" FFFD);
    free(dup);
    dup = hq_utf8_sanitise_dup("\xff\xff\xff");
    assert_non_null(dup);
    assert_string_equal(dup, FFFD FFFD FFFD); /* the longest it can grow */
    free(dup);

    char field[8] = "a\x1b[2Jb";
    hq_utf8_sanitise_field(field, sizeof field);
    assert_string_equal(field, "ab");
    char grows[6] = "\xff\xff\xff";
    hq_utf8_sanitise_field(grows, sizeof grows);
    assert_string_equal(grows, FFFD);    /* a second U+FFFD would not fit */
    char full[4] = {'a', 'b', 'c', 'd'}; /* no NUL within its size */
    hq_utf8_sanitise_field(full, sizeof full);
    assert_string_equal(full, "abc");
    char clean[8] = "窗口";
    hq_utf8_sanitise_field(clean, sizeof clean);
    assert_string_equal(clean, "窗口");
    char big[600];
    memset(big, '\x07', sizeof big - 2);
    big[sizeof big - 2] = 'z';
    big[sizeof big - 1] = '\0';
    hq_utf8_sanitise_field(big, sizeof big); /* longer than the stack copy */
    assert_string_equal(big, "z");
}

/* Whatever goes in, what comes out is safe, stays as it is when sanitised again, and fits. */
static void test_any_bytes(void **state)
{
    (void)state;
    /* Bytes that matter to the parser, more often than chance would pick them. */
    static const unsigned char pick[] = {0x1b, '[',  ']',  'P',  '\\', 0x07, 0x18, ';',  '0',
                                         'm',  0xC2, 0x9B, 0x9D, 0x9C, 0xE2, 0x80, 0xAE, 0x81,
                                         0xA6, 0xE4, 0xB8, 0xAD, 0xFF, 0x00, '\n', 'a'};
    uint32_t seed = 12345;
    char in[64], out[200], again[200];
    for (int round = 0; round < 200000; round++) {
        size_t len = (size_t)(round % 40);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            in[i] = (char)(r & 1 ? pick[(r >> 1) % sizeof pick] : (r >> 1) & 0xff);
        }
        size_t outlen = 1 + (size_t)(round % 97);
        size_t n = hq_utf8_sanitise(in, len, out, outlen);
        assert_true(n < outlen);
        assert_int_equal(n, strlen(out));
        s_assert_safe(out, n);
        assert_true(hq_utf8_is_clean(out, n));
        assert_int_equal(hq_utf8_sanitise(out, n, again, sizeof again), n);
        assert_memory_equal(out, again, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_kept), cmocka_unit_test(test_csi),
        cmocka_unit_test(test_strings),   cmocka_unit_test(test_escape),
        cmocka_unit_test(test_controls),  cmocka_unit_test(test_reordering),
        cmocka_unit_test(test_invalid),   cmocka_unit_test(test_bounded),
        cmocka_unit_test(test_helpers),   cmocka_unit_test(test_any_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
