/* Tests of the ticket layout (apps/kiosk/ticket_layout.c): golden bytes for a normal and
 * a green ticket on 58 and 80 mm paper, a GBK round trip of every printed line, line widths,
 * and visible replacement of characters GBK lacks.
 *
 * The golden files were generated once (HALLQ_UPDATE_GOLDEN=1 rewrites them), decoded and
 * read by a person (tests/ticket/npos decodes them independently), and are fixed since:
 * any change to the printed bytes fails here until the files are deliberately rewritten. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "escpos.h"
#include "ticket_layout.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef TICKET_GOLDEN_DIR
#error "TICKET_GOLDEN_DIR must name tests/ticket/golden"
#endif
#ifndef TICKET_CATALOG
#error "TICKET_CATALOG must name the service catalog (services.tsv)"
#endif

#define S_HALL "盐城市亭湖区医疗保障局政务服务大厅"

static const char *const s_materials_1[] = {
    "统一社会信用代码证书或单位批准成立的文件（实现联办建立登记的企业可不提供）",
    "《基本医疗保险单位参保信息登记表》（加盖单位公章）",
};
static const char *const s_materials_3[] = {"有效身份证件"};

static ticket_facts_t s_normal(int paper_mm)
{
    return (ticket_facts_t){
        .hall_name = S_HALL,
        .queue_name = "参保登记与变更",
        .service_name = "单位参保登记",
        .label = "A001",
        .green = 0,
        .ahead = 3,
        .est_wait_min = 12,
        .issued_at = "2026-11-23 09:41",
        .materials = s_materials_1,
        .nmaterials = 2,
        .qr_payload = "hallq:2026-11-23:A001:1",
        .footer = NULL,
        .lang = UI_LANG_ZH,
        .paper_mm = paper_mm,
    };
}

static ticket_facts_t s_green(int paper_mm)
{
    return (ticket_facts_t){
        .hall_name = S_HALL,
        .queue_name = "参保登记与变更",
        .service_name = "城乡居民参保登记",
        .label = "A002",
        .green = 1,
        .ahead = 0,
        .est_wait_min = 0,
        .issued_at = "2026-11-23 09:42",
        .materials = s_materials_3,
        .nmaterials = 1,
        .qr_payload = "hallq:2026-11-23:A002:2",
        .footer = NULL,
        .lang = UI_LANG_ZH,
        .paper_mm = paper_mm,
    };
}

/* ---- a small ESC/POS decoder, independent of the builder ---------------------------- */

typedef struct {
    char text[512];        /* UTF-8 after GBK decoding */
    int gbk_len;           /* bytes on the wire = columns at normal size */
    int align, bold, size; /* size: width (and height) magnification, 1 normal */
} s_line_t;

typedef struct {
    s_line_t line[128];
    int nlines;
    char qr[256];
    int qr_count;
    int init, chinese, cut;
} s_decoded_t;

static void s_gbk_to_utf8(const char *gbk, size_t len, char *out, size_t outlen)
{
    iconv_t cd = iconv_open("UTF-8", "GBK");
    assert_true(cd != (iconv_t)-1);
    char *in = (char *)gbk, *o = out;
    size_t inleft = len, outleft = outlen - 1;
    if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1 || inleft != 0)
        fail_msg("printed bytes are not valid GBK");
    *o = '\0';
    iconv_close(cd);
}

/* Walks the bytes the way a printer would; fails on any byte it does not understand. */
static void s_decode(const uint8_t *b, size_t n, s_decoded_t *d)
{
    memset(d, 0, sizeof *d);
    int align = 0, bold = 0, size = 1;
    char text[512];
    size_t tlen = 0;
    size_t i = 0;
    while (i < n) {
        uint8_t c = b[i];
        if (c == 0x1b && i + 1 < n && b[i + 1] == '@') {
            d->init = 1;
            i += 2;
        } else if (c == 0x1c && i + 1 < n && b[i + 1] == '&') {
            d->chinese = 1;
            i += 2;
        } else if (c == 0x1b && i + 2 < n && b[i + 1] == 'a') {
            assert_true(b[i + 2] <= 2);
            align = b[i + 2];
            i += 3;
        } else if (c == 0x1b && i + 2 < n && b[i + 1] == 'E') {
            bold = b[i + 2];
            i += 3;
        } else if (c == 0x1d && i + 2 < n && b[i + 1] == '!') {
            /* Bits 4-6 width, 0-2 height, each magnification less one; 3 and 7 unused. */
            assert_int_equal(b[i + 2] & 0x88, 0);
            assert_int_equal(b[i + 2] >> 4, b[i + 2] & 7); /* as high as wide */
            size = (b[i + 2] & 7) + 1;
            i += 3;
        } else if (c == 0x1d && i + 3 < n && b[i + 1] == 'V' && b[i + 2] == 66) {
            assert_int_equal(tlen, 0);
            d->cut = 1;
            i += 4;
        } else if (c == 0x1d && i + 6 < n && b[i + 1] == '(' && b[i + 2] == 'k') {
            size_t plen = b[i + 3] | (size_t)b[i + 4] << 8;
            assert_true(i + 5 + plen <= n);
            assert_int_equal(b[i + 5], 49); /* cn: QR */
            uint8_t fn = b[i + 6];
            assert_true(fn == 65 || fn == 67 || fn == 69 || fn == 80 || fn == 81);
            if (fn == 80) {
                size_t dlen = plen - 3;
                assert_true(dlen < sizeof d->qr);
                memcpy(d->qr, b + i + 8, dlen);
                d->qr[dlen] = '\0';
            }
            if (fn == 81)
                d->qr_count++;
            i += 5 + plen;
        } else if (c == 0x0a) {
            assert_true(d->nlines < 128);
            s_line_t *l = &d->line[d->nlines++];
            s_gbk_to_utf8(text, tlen, l->text, sizeof l->text);
            l->gbk_len = (int)tlen;
            l->align = align;
            l->bold = bold;
            l->size = size;
            tlen = 0;
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            fail_msg("unknown command byte 0x%02x at offset %zu", c, i);
        } else {
            if (c >= 0x80)
                assert_true(d->chinese); /* GBK only after FS & */
            assert_true(tlen < sizeof text);
            text[tlen++] = (char)c;
            i++;
        }
    }
    assert_int_equal(tlen, 0); /* every text ends with LF */
}

static void s_layout(const ticket_facts_t *f, s_decoded_t *d, size_t *replaced)
{
    uint8_t *bytes;
    size_t len;
    assert_int_equal(ticket_layout_escpos(f, &bytes, &len, replaced), 0);
    s_decode(bytes, len, d);
    free(bytes);
}

static int s_find(const s_decoded_t *d, const char *text)
{
    for (int i = 0; i < d->nlines; i++)
        if (strcmp(d->line[i].text, text) == 0)
            return i;
    return -1;
}

/* All printed text run together without spaces: wrapping and the list's indentation only
 * ever add line breaks and spaces, so every fact must appear in it whole. */
static char *s_joined(const s_decoded_t *d)
{
    size_t cap = 1;
    for (int i = 0; i < d->nlines; i++)
        cap += strlen(d->line[i].text);
    char *out = malloc(cap);
    assert_non_null(out);
    size_t o = 0;
    for (int i = 0; i < d->nlines; i++)
        for (const char *s = d->line[i].text; *s; s++)
            if (*s != ' ')
                out[o++] = *s;
    out[o] = '\0';
    return out;
}

static void s_assert_contains(const char *hay, const char *needle)
{
    char *stripped = malloc(strlen(needle) + 1);
    assert_non_null(stripped);
    size_t o = 0;
    for (const char *s = needle; *s; s++)
        if (*s != ' ')
            stripped[o++] = *s;
    stripped[o] = '\0';
    if (!strstr(hay, stripped))
        fail_msg("'%s' not printed", needle);
    free(stripped);
}

/* Every line fits the paper; enlarged text takes its size times its columns. */
static void s_assert_widths(const s_decoded_t *d, int columns)
{
    for (int i = 0; i < d->nlines; i++) {
        int cols = d->line[i].gbk_len * d->line[i].size;
        if (cols > columns)
            fail_msg("line '%s' takes %d columns of %d", d->line[i].text, cols, columns);
        /* The builder's own measure agrees with the wire. */
        assert_int_equal(escpos_text_width(d->line[i].text), d->line[i].gbk_len);
    }
}

/* The facts come back from the paper: the GBK round trip of every line. */
static void s_assert_facts(const ticket_facts_t *f, const s_decoded_t *d)
{
    int columns = escpos_paper_columns(f->paper_mm);
    assert_true(d->init && d->chinese && d->cut);
    assert_int_equal(d->qr_count, 1);
    assert_string_equal(d->qr, f->qr_payload);
    s_assert_widths(d, columns);

    char *all = s_joined(d);
    s_assert_contains(all, f->hall_name);
    s_assert_contains(all, f->queue_name);
    s_assert_contains(all, f->service_name);
    for (size_t i = 0; i < f->nmaterials; i++) {
        char item[600];
        snprintf(item, sizeof item, "%zu.%s", i + 1, f->materials[i]);
        s_assert_contains(all, item);
    }
    free(all);

    int label = s_find(d, f->label);
    assert_true(label >= 0);
    /* For elderly eyes: four times as wide and high, more than double. */
    assert_int_equal(d->line[label].size, 4);
    assert_true(d->line[label].bold);
    assert_int_equal(d->line[label].align, 1);
    int green = s_find(d, f->lang == UI_LANG_ZH ? "【老年人绿色通道】" : "[Elderly green lane]");
    if (f->green) {
        assert_int_equal(green, label + 1);
        assert_true(d->line[green].bold);
        assert_int_equal(d->line[green].size, 1);
    } else {
        assert_int_equal(green, -1);
    }
    char want[128];
    snprintf(want, sizeof want, f->lang == UI_LANG_ZH ? "前面等候：%d 人" : "People ahead: %d",
             f->ahead);
    assert_true(s_find(d, want) > label);
    snprintf(want, sizeof want, f->lang == UI_LANG_ZH ? "取号时间：%s" : "Issued: %s",
             f->issued_at);
    assert_true(s_find(d, want) > label);
    /* Nothing but modes may be left on after the last line: it is the footer, centred. */
    const s_line_t *last = &d->line[d->nlines - 1];
    assert_int_equal(last->align, 1);
    assert_int_equal(last->size, 1);
}

/* ---- golden files --------------------------------------------------------------------- */

static void s_golden(const char *name, const ticket_facts_t *f)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", TICKET_GOLDEN_DIR, name);
    uint8_t *bytes;
    size_t len, replaced;
    assert_int_equal(ticket_layout_escpos(f, &bytes, &len, &replaced), 0);
    assert_int_equal(replaced, 0);
    const char *update = getenv("HALLQ_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        FILE *w = fopen(path, "wb");
        assert_non_null(w);
        assert_int_equal(fwrite(bytes, 1, len, w), len);
        assert_int_equal(fclose(w), 0);
        print_message("rewrote %s (%zu bytes)\n", path, len);
    }
    FILE *r = fopen(path, "rb");
    if (!r)
        fail_msg("missing golden file %s", path);
    uint8_t *want = malloc(len + 2);
    assert_non_null(want);
    size_t got = fread(want, 1, len + 1, r);
    fclose(r);
    if (got != len)
        fail_msg("%s: %zu bytes built, golden file has %zu", name, len, got);
    for (size_t i = 0; i < len; i++)
        if (bytes[i] != want[i])
            fail_msg("%s: first difference at byte %zu (built 0x%02x, golden 0x%02x)", name, i,
                     bytes[i], want[i]);
    free(want);
    free(bytes);
}

static void test_golden_normal_58(void **state)
{
    (void)state;
    ticket_facts_t f = s_normal(58);
    s_golden("normal-58.bin", &f);
}

static void test_golden_normal_80(void **state)
{
    (void)state;
    ticket_facts_t f = s_normal(80);
    s_golden("normal-80.bin", &f);
}

static void test_golden_green_58(void **state)
{
    (void)state;
    ticket_facts_t f = s_green(58);
    s_golden("green-58.bin", &f);
}

static void test_golden_green_80(void **state)
{
    (void)state;
    ticket_facts_t f = s_green(80);
    s_golden("green-80.bin", &f);
}

/* ---- content ---------------------------------------------------------------------------- */

static void test_round_trip_every_line(void **state)
{
    (void)state;
    ticket_facts_t all[] = {s_normal(58), s_normal(80), s_green(58), s_green(80)};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        s_decoded_t d;
        size_t replaced;
        s_layout(&all[i], &d, &replaced);
        assert_int_equal(replaced, 0);
        s_assert_facts(&all[i], &d);
    }
}

static void test_exact_lines_normal_58(void **state)
{
    (void)state;
    /* Read off a printed ticket: this is what a citizen holds on 58 mm paper. */
    static const char *const want[] = {
        "盐城市亭湖区医疗保",
        "障局政务服务大厅",
        "================================",
        "参保登记与变更",
        "单位参保登记",
        "",
        "A001",
        "",
        "--------------------------------",
        "前面等候：3 人",
        "预计等候：约 12 分钟",
        "取号时间：2026-11-23 09:41",
        "--------------------------------",
        "请携带以下材料（一次性告知）：",
        "1. 统一社会信用代码证书或单位批",
        "   准成立的文件（实现联办建立登",
        "   记的企业可不提供）",
        "2. 《基本医疗保险单位参保信息登",
        "   记表》（加盖单位公章）",
        "--------------------------------",
        "当日有效，过号请到服务台",
    };
    ticket_facts_t f = s_normal(58);
    s_decoded_t d;
    s_layout(&f, &d, NULL);
    assert_int_equal(d.nlines, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < d.nlines; i++)
        assert_string_equal(d.line[i].text, want[i]);
}

static void test_green_and_wait_lines(void **state)
{
    (void)state;
    ticket_facts_t f = s_green(58);
    s_decoded_t d;
    s_layout(&f, &d, NULL);
    assert_true(s_find(&d, "【老年人绿色通道】") > 0);
    assert_true(s_find(&d, "预计等候：不足 1 分钟") > 0);
    assert_true(s_find(&d, "1. 有效身份证件") > 0);
    /* Unknown wait and count: the lines are left out rather than guessed. */
    f.ahead = -1;
    f.est_wait_min = -1;
    s_layout(&f, &d, NULL);
    for (int i = 0; i < d.nlines; i++) {
        assert_null(strstr(d.line[i].text, "前面等候"));
        assert_null(strstr(d.line[i].text, "预计等候"));
    }
}

static void test_english(void **state)
{
    (void)state;
    ticket_facts_t f = s_green(58);
    f.lang = UI_LANG_EN;
    f.ahead = 7;
    f.est_wait_min = 25;
    s_decoded_t d;
    s_layout(&f, &d, NULL);
    s_assert_facts(&f, &d);
    assert_true(s_find(&d, "[Elderly green lane]") > 0);
    assert_true(s_find(&d, "Estimated wait: about 25 min") > 0);
    assert_true(s_find(&d, "Please bring (one-time notice):") > 0);
    char *all = s_joined(&d);
    s_assert_contains(all, TICKET_FOOTER_EN);
    free(all);
    /* A hall's own footer wins over the default. */
    f.footer = "请保管好号票";
    s_layout(&f, &d, NULL);
    assert_string_equal(d.line[d.nlines - 1].text, "请保管好号票");
}

static void test_missing_character_replaced_visibly(void **state)
{
    (void)state;
    ticket_facts_t f = s_normal(58);
    f.service_name = "单位参保登记\xf0\x9f\x98\x80";
    s_decoded_t d;
    size_t replaced = 0;
    s_layout(&f, &d, &replaced);
    assert_int_equal(replaced, 1);
    assert_true(s_find(&d, "单位参保登记?") > 0);
    char *preview;
    assert_int_equal(ticket_layout_preview(&f, &preview, &replaced), 0);
    assert_int_equal(replaced, 1);
    assert_non_null(strstr(preview, "单位参保登记?\n"));
    assert_null(strstr(preview, "\xf0\x9f\x98\x80"));
    free(preview);
}

/* Names and materials from hallqd with escape sequences in them print as the words they
 * hold: the same bytes, to the last one, as the ticket without the sequences, and nothing
 * counted as unprintable. (The ESC/POS builder never let a control byte through to the
 * printer, but printed it as '?' and the rest of its sequence as text: "?[31m".) */
static void test_escape_sequences_never_printed(void **state)
{
    (void)state;
    static const char *const hostile_materials[] = {
        "统一社会信用代码证书\033@\033d\177或单位批准成立的文件（实现联办建立登记的企业可不提供）",
        "\033[31m《基本医疗保险单位参保信息登记表》\033[0m（加盖单位公章）\035VB",
    };
    /* The printer's own command bytes GS and FS are controls like any other: they go, and
     * what printable bytes followed them is text (GS V B would have cut the paper). */
    static const char *const clean_materials[] = {
        "统一社会信用代码证书或单位批准成立的文件（实现联办建立登记的企业可不提供）",
        "《基本医疗保险单位参保信息登记表》（加盖单位公章）VB",
    };
    for (int paper = 58; paper <= 80; paper += 22) {
        ticket_facts_t clean = s_normal(paper), hostile = s_normal(paper);
        clean.materials = clean_materials;
        clean.footer = "当日有效!";
        hostile.hall_name = "盐城市亭湖区\033]0;pwned\007医疗保障局\u202e政务服务大厅";
        hostile.queue_name = "参保登记\033[2J与变更\033c";
        hostile.service_name = "单位\302\2335m参保\033E\001登记"; /* C1 CSI, NEL */
        hostile.materials = hostile_materials;
        hostile.footer = "当日\033a\002有效\034!\021";
        uint8_t *want, *got;
        size_t want_len, got_len, replaced = 99;
        assert_int_equal(ticket_layout_escpos(&clean, &want, &want_len, NULL), 0);
        assert_int_equal(ticket_layout_escpos(&hostile, &got, &got_len, &replaced), 0);
        assert_int_equal(replaced, 0);
        assert_int_equal(got_len, want_len);
        assert_memory_equal(got, want, want_len);
        free(want);
        free(got);
        char *want_text, *got_text;
        assert_int_equal(ticket_layout_preview(&clean, &want_text, NULL), 0);
        assert_int_equal(ticket_layout_preview(&hostile, &got_text, NULL), 0);
        assert_string_equal(got_text, want_text);
        free(want_text);
        free(got_text);
    }
}

static void test_preview(void **state)
{
    (void)state;
    ticket_facts_t all[] = {s_normal(58), s_normal(80), s_green(58), s_green(80)};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        int columns = escpos_paper_columns(all[i].paper_mm);
        char *preview;
        assert_int_equal(ticket_layout_preview(&all[i], &preview, NULL), 0);
        char *save = NULL;
        int nlines = 0, saw_label = 0, saw_qr = 0;
        for (char *line = strtok_r(preview, "\n", &save); line;
             line = strtok_r(NULL, "\n", &save)) {
            nlines++;
            int w = escpos_text_width(line);
            if (w > columns)
                fail_msg("preview line '%s' is %d columns of %d", line, w, columns);
            assert_true(line[0] == '\0' || line[strlen(line) - 1] != ' ');
            /* The number as wide as on paper: each letter four columns. */
            if (strstr(line, all[i].green ? "Ａ　０　０　２　" : "Ａ　０　０　１　")) {
                saw_label = 1;
                assert_int_equal(escpos_text_width(strstr(line, "Ａ")), 16);
            }
            if (strstr(line, "[QR] hallq:2026-11-23:A00"))
                saw_qr = 1;
        }
        assert_true(saw_label);
        assert_true(saw_qr);
        assert_true(nlines > 12);
        free(preview);
    }
    /* Centring: the queue name sits in the middle of a 32-column line. */
    ticket_facts_t f = s_normal(58);
    char *preview;
    assert_int_equal(ticket_layout_preview(&f, &preview, NULL), 0);
    assert_non_null(strstr(preview, "\n         参保登记与变更\n"));
    free(preview);
}

static void test_bad_facts(void **state)
{
    (void)state;
    uint8_t *bytes;
    size_t len;
    char *text;
    ticket_facts_t f = s_normal(57);
    assert_int_equal(ticket_layout_escpos(&f, &bytes, &len, NULL), -1);
    assert_int_equal(ticket_layout_preview(&f, &text, NULL), -1);
    f = s_normal(58);
    f.label = "";
    assert_int_equal(ticket_layout_escpos(&f, &bytes, &len, NULL), -1);
    f = s_normal(58);
    f.qr_payload = "hallq:号";
    assert_int_equal(ticket_layout_escpos(&f, &bytes, &len, NULL), -1);
    assert_int_equal(ticket_layout_escpos(NULL, &bytes, &len, NULL), -1);
    /* No QR, no hall, no service, no materials: still a ticket. */
    f = s_normal(58);
    f.qr_payload = NULL;
    f.hall_name = NULL;
    f.service_name = "";
    f.nmaterials = 0;
    s_decoded_t d;
    s_layout(&f, &d, NULL);
    assert_int_equal(d.qr_count, 0);
    assert_true(s_find(&d, "A001") >= 0);
}

static void test_qr_payload_and_minutes(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(ticket_qr_payload("2026-11-23", "A001", 42, buf, sizeof buf), 0);
    assert_string_equal(buf, "hallq:2026-11-23:A001:42");
    assert_int_equal(ticket_qr_payload("2026-11-23", "A001", 42, buf, 20), -1);
    assert_int_equal(ticket_qr_payload("2026/11/23", "A001", 42, buf, sizeof buf), -1);
    assert_int_equal(ticket_qr_payload("2026-11-23", "A:01", 42, buf, sizeof buf), -1);
    assert_int_equal(ticket_qr_payload("2026-11-23", "", 42, buf, sizeof buf), -1);
    assert_int_equal(ticket_wait_minutes(-1), -1);
    assert_int_equal(ticket_wait_minutes(0), 0);
    assert_int_equal(ticket_wait_minutes(1), 1);
    assert_int_equal(ticket_wait_minutes(60000), 1);
    assert_int_equal(ticket_wait_minutes(720000), 12);
    assert_int_equal(ticket_wait_minutes(720001), 13);
}

/* Every service of the real catalog, in both languages and on both papers. */
static void test_whole_catalog(void **state)
{
    (void)state;
    FILE *in = fopen(TICKET_CATALOG, "r");
    if (!in)
        fail_msg("cannot open %s", TICKET_CATALOG);
    char row[4096];
    int services = 0;
    assert_non_null(fgets(row, sizeof row, in)); /* header */
    while (fgets(row, sizeof row, in)) {
        row[strcspn(row, "\r\n")] = '\0';
        char *field[10] = {0};
        int nf = 0;
        char *save = NULL;
        for (char *t = strtok_r(row, "\t", &save); t && nf < 10; t = strtok_r(NULL, "\t", &save))
            field[nf++] = t;
        assert_true(nf >= 7);
        /* no level mode queue main_item sub_item materials ... */
        const char *materials[16];
        size_t nm = 0;
        char *msave = NULL;
        for (char *m = strtok_r(field[6], ";", &msave); m && nm < 16;
             m = strtok_r(NULL, ";", &msave))
            materials[nm++] = m;
        for (int paper = 58; paper <= 80; paper += 22) {
            for (int lang = 0; lang < 2; lang++) {
                ticket_facts_t f = s_normal(paper);
                f.service_name = field[5];
                f.queue_name = field[4];
                f.materials = materials;
                f.nmaterials = nm;
                f.lang = (ui_lang_t)lang;
                f.green = services % 2;
                s_decoded_t d;
                size_t replaced;
                s_layout(&f, &d, &replaced);
                assert_int_equal(replaced, 0);
                s_assert_facts(&f, &d);
            }
        }
        services++;
    }
    fclose(in);
    assert_true(services >= 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_normal_58),
        cmocka_unit_test(test_golden_normal_80),
        cmocka_unit_test(test_golden_green_58),
        cmocka_unit_test(test_golden_green_80),
        cmocka_unit_test(test_round_trip_every_line),
        cmocka_unit_test(test_exact_lines_normal_58),
        cmocka_unit_test(test_green_and_wait_lines),
        cmocka_unit_test(test_english),
        cmocka_unit_test(test_missing_character_replaced_visibly),
        cmocka_unit_test(test_escape_sequences_never_printed),
        cmocka_unit_test(test_preview),
        cmocka_unit_test(test_bad_facts),
        cmocka_unit_test(test_qr_payload_and_minutes),
        cmocka_unit_test(test_whole_catalog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
