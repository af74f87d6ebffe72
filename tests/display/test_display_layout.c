/* The pure pieces of the screen and the voice: block font, layout from 80x24 to a TV
 * console, the scrolling notice cut by display width, sample buffers and the chime, and
 * the command line, and the texts of the screen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bigfont.h"
#include "hq_text.h"
#include "keys.h"
#include "layout.h"
#include "options.h"
#include "pcm.h"
#include "texts.h"
#include "ui_exit.h"

static int s_setup(void **state)
{
    (void)state;
    return hq_text_locale(); /* widths of Chinese text need a UTF-8 locale */
}

/* Row of glyphs as '#' and '.', for comparing against the font by eye. */
static void s_row_ascii(const char *text, int sx, int sy, int row, char *out)
{
    char buf[1024];
    assert_int_equal(bigfont_row(text, sx, sy, row, buf, sizeof buf), 0);
    size_t k = 0;
    for (const char *p = buf; *p; p++)
        out[k++] = *p == BIGFONT_LIT ? '#' : *p == ' ' ? '.' : '?';
    out[k] = '\0';
}

static void test_bigfont(void **state)
{
    (void)state;
    char row[256];
    /* "A1" at scale 1: glyphs five wide with one blank column between. */
    s_row_ascii("A1", 1, 1, 0, row);
    assert_string_equal(row, ".###....#..");
    s_row_ascii("A1", 1, 1, 3, row);
    assert_string_equal(row, "#####...#..");
    s_row_ascii("A1", 1, 1, 6, row);
    assert_string_equal(row, "#...#..###.");
    /* Scale 2x2: each pixel two columns wide and two rows tall. */
    s_row_ascii("1", 2, 2, 0, row);
    assert_string_equal(row, "....##....");
    s_row_ascii("1", 2, 2, 1, row);
    assert_string_equal(row, "....##....");
    s_row_ascii("1", 2, 2, 13, row);
    assert_string_equal(row, "..######..");
    assert_int_equal(bigfont_width("A001", 2), 4 * 10 + 3 * 2);
    assert_int_equal(bigfont_width("", 2), 0);
    assert_int_equal(bigfont_width("A#", 2), -1);
    assert_int_equal(bigfont_height(3), 21);
    /* The arrow between number and window: three pixels across, pointing right, so that
     * A034 and window 2 never read as A0342. */
    assert_int_equal(bigfont_glyph_width(BIGFONT_ARROW), 3);
    assert_int_equal(bigfont_width("A034>2", 1), 4 * 5 + 3 + 5 + 5);
    s_row_ascii("4>2", 1, 1, 0, row);
    assert_string_equal(row, "...#.......###.");
    s_row_ascii("4>2", 1, 1, 3, row);
    assert_string_equal(row, "#..#..###....#.");
    s_row_ascii("4>2", 1, 1, 6, row);
    assert_string_equal(row, "...#......#####");
    /* Masks only: no byte a terminal could draw at another width. */
    char mask[256];
    assert_int_equal(bigfont_row("W8>12", 3, 2, 5, mask, sizeof mask), 0);
    for (const char *p = mask; *p; p++)
        assert_true(*p == BIGFONT_LIT || *p == ' ');
    assert_int_equal((int)strlen(mask), bigfont_width("W8>12", 3));
    /* Every character a ticket can show exists and no two digits or letters look alike. */
    const char *all = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (const char *a = all; *a; a++) {
        assert_true(bigfont_has(*a));
        for (const char *b = a + 1; *b; b++) {
            int same = 1;
            for (int y = 0; y < BIGFONT_H && same; y++)
                for (int x = 0; x < BIGFONT_W && same; x++)
                    same = bigfont_pixel(*a, x, y) == bigfont_pixel(*b, x, y);
            assert_false(same);
        }
    }
    assert_true(bigfont_has('a'));
    assert_false(bigfont_has('#'));
    char buf[64];
    assert_int_equal(bigfont_row("A#", 1, 1, 0, buf, sizeof buf), -1);
    assert_int_equal(bigfont_row("A001", 1, 1, 0, buf, 8), -1); /* no room */
    assert_int_equal(bigfont_row("A", 1, 1, 7, buf, sizeof buf), -1);
}

static void test_layout_big(void **state)
{
    (void)state;
    layout_big_t b;
    /* 80 columns: label, arrow and a two-digit window at 2x1 (square-ish pixels). */
    assert_int_equal(layout_big(78, 9, "A001", "12", &b), 0);
    assert_int_equal(b.sy, 1);
    assert_int_equal(b.sx, 2);
    assert_true(b.width <= 78);
    assert_int_equal(b.arrow_col - b.label_col, bigfont_width("A001", 2) + 2);
    assert_int_equal(b.window_col - b.label_col, bigfont_width("A001>", 2) + 2);
    assert_int_equal(b.label_col + b.width, b.window_col + bigfont_width("12", 2));
    /* A three-digit window does not fit at 2x1 in 78 columns: narrower pixels. */
    assert_int_equal(layout_big(78, 9, "A001", "123", &b), 0);
    assert_int_equal(b.sy, 1);
    assert_int_equal(b.sx, 1);
    /* A TV console: much bigger. */
    assert_int_equal(layout_big(238, 30, "A001", "12", &b), 0);
    assert_true(b.sy >= 3);
    assert_true(b.width <= 238);
    assert_int_equal(b.rows, 7 * b.sy);
    /* No window: the label alone. */
    assert_int_equal(layout_big(40, 7, "A001", NULL, &b), 0);
    assert_int_equal(b.width, bigfont_width("A001", b.sx));
    /* Too small for anything; a character the font lacks. */
    assert_int_equal(layout_big(20, 9, "A001", "12", &b), -1);
    assert_int_equal(layout_big(80, 6, "A001", "12", &b), -1);
    assert_int_equal(layout_big(80, 9, "A0#1", "12", &b), -1);
}

/* The rows of a hall layout never overlap and stay on the screen. */
static void s_check_rows(const layout_hall_t *L)
{
    int next = 1;
    assert_int_equal(L->title_row, 0);
    if (L->caption_row >= 0) {
        assert_int_equal(L->caption_row, next);
        next++;
    }
    assert_int_equal(L->big_top, next);
    next += L->big.rows;
    assert_int_equal(L->sentence_row, next);
    next++;
    if (L->strip_top >= 0) {
        assert_int_equal(L->strip_top, next);
        assert_true(L->strip_rows >= 1);
        assert_true(L->strip_col >= 0);
        assert_true(L->strip_col + L->strip_per_row * (L->strip_width + 1) - 1 <= L->cols);
        next += L->strip_rows;
    }
    if (L->lists_top >= 0) {
        assert_true(L->lists_top > next); /* a blank row parts them from the strip */
        assert_true(L->list_rows >= LAYOUT_LISTS_MIN - 1);
        next = L->lists_top + 1 + L->list_rows;
    }
    int bottom = L->rows;
    if (L->notice_row >= 0) {
        assert_int_equal(L->notice_row, L->rows - 1);
        bottom = L->notice_row;
    }
    if (L->status_row >= 0 && L->status_row != L->notice_row)
        bottom = L->status_row;
    assert_true(next <= bottom);
    assert_true(L->big.label_col >= 0);
    assert_true(L->big.label_col + L->big.width <= L->cols);
}

static void test_layout_hall(void **state)
{
    (void)state;
    /* Four windows, as the default hall has: "4号窗口 A000 办理中" is 19 columns. */
    layout_strip_need_t four = {4, 19, 9};
    layout_hall_t L;
    layout_hall(80, 24, "A001", "1", &four, &L);
    s_check_rows(&L);
    assert_false(L.too_small);
    assert_int_equal(L.big.sy, 1);
    assert_int_equal(L.big.sx, 2);
    assert_int_equal(L.caption_row, 1);
    assert_int_equal(L.notice_row, 23);
    assert_int_equal(L.status_row, 22);
    assert_int_equal(L.strip_rows, 1);
    assert_int_equal(L.strip_per_row, 4);
    assert_false(L.strip_short);
    assert_int_equal(L.strip_pages, 1);
    assert_true(L.list_rows >= 7);
    assert_true(L.calls_col + L.calls_width <= L.queues_col);
    assert_true(L.queues_col + L.queues_width <= 80);
    /* Bigger screens get bigger digits and more list rows. */
    layout_hall_t T;
    layout_hall(200, 60, "A001", "1", &four, &T);
    s_check_rows(&T);
    assert_true(T.big.sy > L.big.sy);
    assert_true(T.big.sx > L.big.sx);
    assert_true(T.list_rows > L.list_rows);
    assert_true(T.calls_columns > 1);
    /* A 2x2 pane of an 80x24 terminal: the call in glyphs, the strip, the notice; no lists. */
    layout_hall(40, 12, "A001", "3", &four, &T);
    s_check_rows(&T);
    assert_int_equal(T.big.sy, 1);
    assert_int_equal(T.caption_row, -1);
    assert_int_equal(T.strip_rows, 2);
    assert_int_equal(T.strip_per_row, 2);
    assert_int_equal(T.lists_top, -1);
    assert_int_equal(T.notice_row, 11);
    /* The top half of an 80x24 terminal. */
    layout_hall(80, 12, "A001", "3", &four, &T);
    s_check_rows(&T);
    assert_int_equal(T.big.sy, 1);
    assert_int_equal(T.strip_rows, 1);
    /* Lower still: the glyphs go, the call stays in words, and the strip. */
    layout_hall(80, 8, "A001", "3", &four, &T);
    s_check_rows(&T);
    assert_int_equal(T.big.sx, 0);
    assert_true(T.strip_rows >= 1);
    /* Many windows: short words, then pages that take turns. */
    layout_strip_need_t many = {24, 20, 9};
    layout_hall(80, 24, "A001", "12", &many, &T);
    s_check_rows(&T);
    assert_true(T.strip_short);
    assert_int_equal(T.strip_per_row, 8);
    assert_int_equal(T.strip_rows, 3);
    assert_int_equal(T.strip_pages, 1);
    layout_hall(40, 12, "A001", "12", &many, &T);
    s_check_rows(&T);
    assert_true(T.strip_short);
    assert_int_equal(T.strip_per_row, 4);
    assert_int_equal(T.strip_rows, 2);
    assert_int_equal(T.strip_pages, 3);
    assert_int_equal(layout_strip_page(&T, 0), 0);
    assert_int_equal(layout_strip_page(&T, LAYOUT_STRIP_PAGE_S), 1);
    assert_int_equal(layout_strip_page(&T, 3 * LAYOUT_STRIP_PAGE_S + 1), 0);
    /* Every size from the smallest to a TV, with and without a call, holds together. */
    for (int rows = LAYOUT_MIN_ROWS; rows <= 80; rows++)
        for (int cols = LAYOUT_MIN_COLS; cols <= 240; cols += 7) {
            layout_hall(cols, rows, "A001", "12", &four, &T);
            assert_false(T.too_small);
            s_check_rows(&T);
            assert_true(T.strip_rows >= 1);
            layout_hall(cols, rows, NULL, NULL, &many, &T);
            s_check_rows(&T);
            layout_hall(cols, rows, "B1000", "99", NULL, &T);
            s_check_rows(&T);
            assert_int_equal(T.strip_top, -1);
        }
    layout_hall(LAYOUT_MIN_COLS - 1, 24, "A001", "1", &four, &L);
    assert_true(L.too_small);
    layout_hall(80, LAYOUT_MIN_ROWS - 1, "A001", "1", &four, &L);
    assert_true(L.too_small);
}

static void test_layout_counter(void **state)
{
    (void)state;
    layout_counter_t L;
    layout_counter(40, 12, "A001", &L);
    assert_false(L.too_small);
    assert_true(L.big.sx > 0);
    assert_true(L.big_top + L.big.rows <= L.caption_row);
    layout_counter(120, 40, "A001", &L);
    assert_true(L.big.sy >= 3);
    assert_true(L.big_top + L.big.rows <= L.caption_row);
    layout_counter(10, 5, "A001", &L);
    assert_true(L.too_small);
}

static void test_marquee(void **state)
{
    (void)state;
    char out[256];
    /* Fits: centered, still. */
    assert_int_equal(layout_marquee("请排队", 10, 7, out, sizeof out), 10);
    assert_string_equal(out, "  请排队  ");
    assert_int_equal(layout_marquee_period("请排队", 10), 0);
    /* Longer than the line: moves one column per step and wraps after text + gap. */
    const char *text = "请按叫号顺序到窗口办理"; /* 22 columns */
    assert_int_equal(layout_marquee_period(text, 10), 22 + LAYOUT_MARQUEE_GAP);
    assert_int_equal(layout_marquee(text, 10, 0, out, sizeof out), 10);
    assert_string_equal(out, "请按叫号顺");
    /* Offset 1 falls in the middle of 请: a blank for its right half, never half a glyph. */
    assert_int_equal(layout_marquee(text, 10, 1, out, sizeof out), 10);
    assert_string_equal(out, " 按叫号顺 ");
    assert_int_equal(hq_text_width(out), 10);
    assert_int_equal(layout_marquee(text, 10, 2, out, sizeof out), 10);
    assert_string_equal(out, "按叫号顺序");
    /* The end, the gap, and the beginning again. */
    assert_int_equal(layout_marquee(text, 10, 18, out, sizeof out), 10);
    assert_string_equal(out, "办理      ");
    assert_int_equal(layout_marquee(text, 10, 22 + LAYOUT_MARQUEE_GAP - 2, out, sizeof out), 10);
    assert_string_equal(out, "  请按叫号");
    /* Every offset gives exactly the line's width. */
    for (long off = -40; off < 100; off++) {
        assert_int_equal(layout_marquee(text, 13, off, out, sizeof out), 13);
        assert_int_equal(hq_text_width(out), 13);
    }
    assert_int_equal(layout_marquee(text, 10, 0, out, 4), -1);
}

static void test_pcm(void **state)
{
    (void)state;
    pcm_t p;
    pcm_init(&p, PCM_RATE);
    assert_int_equal(pcm_chime(&p), 0);
    assert_int_equal(pcm_ms(p.n, p.rate), PCM_CHIME_MS);
    int peak = pcm_peak(p.s, p.n);
    assert_true(peak > 32767 / 3 && peak < 32767);
    /* It starts without a click and ends at silence. */
    assert_true(abs(p.s[0]) < 100);
    assert_true(abs(p.s[p.n - 1]) < 100);
    /* Both tones are there: loud in the first and in the second half. */
    assert_true(pcm_peak(p.s + p.n / 2, p.n / 4) > 32767 / 8);
    size_t before = p.n;
    pcm_t empty; /* nothing allocated yet: no silence is no work */
    pcm_init(&empty, PCM_RATE);
    assert_int_equal(pcm_silence(&empty, 0), 0);
    assert_int_equal(pcm_append(&empty, NULL, 0), 0);
    assert_int_equal((int)empty.n, 0);
    pcm_free(&empty);
    assert_int_equal(pcm_silence(&p, 500), 0);
    assert_int_equal(p.n - before, PCM_RATE / 2);
    size_t start;
    size_t len = pcm_trim(p.s, p.n, 64, &start);
    assert_true(start < 10); /* the 5 ms attack starts below the threshold */
    assert_true(len <= before && len > before * 9 / 10);
    /* Gain scales from a point on. */
    pcm_gain(&p, 0, 50);
    assert_true(abs(pcm_peak(p.s, p.n) - peak / 2) <= 1);
    pcm_gain(&p, 0, 0);
    assert_int_equal(pcm_peak(p.s, p.n), 0);
    assert_int_equal(pcm_trim(p.s, p.n, 0, &start), 0);
    pcm_free(&p);

    /* Stereo 44.1 kHz brought to mono 22.05 kHz: half the frames, channels averaged. */
    float frames[2 * 4410];
    for (int i = 0; i < 4410; i++) {
        frames[2 * i] = 0.5f;
        frames[2 * i + 1] = 0.25f;
    }
    pcm_init(&p, PCM_RATE);
    assert_int_equal(pcm_append_float(&p, frames, 4410, 2, 44100), 0);
    assert_int_equal(p.n, 2205);
    assert_true(abs(p.s[100] - (int)(0.375 * 32767)) <= 1);
    assert_int_equal(pcm_append_float(&p, frames, 10, 0, 44100), -1);
    pcm_free(&p);
}

/* Parses the arguments (NULL-terminated) after the defaults; what the parser prints goes to
 * *err (one line when it refuses). */
static int s_parse(options_t *o, char *err, size_t errlen, const char *a0, ...)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"hallq-display";
    va_list ap;
    va_start(ap, a0);
    for (const char *a = a0; a; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    options_defaults(o);
    FILE *out = fopen("/dev/null", "w");
    FILE *e = fmemopen(err, errlen, "w");
    assert_non_null(out);
    assert_non_null(e);
    memset(err, 0, errlen);
    int rc = ui_options_parse_to(&display_cli, argc, argv, o, out, e);
    fclose(out);
    fclose(e);
    return rc;
}

static void test_options(void **state)
{
    (void)state;
    options_t o;
    char why[512];
    unsetenv("HALLQ_ENDPOINT");
    unsetenv("HALLQ_EVENTS");
    unsetenv("HALLQ_LANG");
    assert_int_equal(s_parse(&o, why, sizeof why, NULL), UI_OPTIONS_RUN);
    assert_int_equal(o.mode, DM_HALL);
    assert_int_equal(o.lang, UI_LANG_ZH);
    assert_int_equal(o.repeat, 2);
    assert_int_equal(o.volume, OPTIONS_VOLUME_DEFAULT);
    assert_string_equal(o.endpoint, HQ_DEFAULT_REQUEST_ENDPOINT);
    assert_string_equal(o.events, HQ_DEFAULT_EVENT_ENDPOINT);
    assert_null(o.clips);
    assert_null(o.audio_file);
    setenv("HALLQ_EVENTS", "tcp://127.0.0.1:9999", 1);
    assert_int_equal(s_parse(&o, why, sizeof why, "--mode", "counter", "--counter", "3", "--lang",
                             "en", "--volume", "40", "--repeat", "3", "--rate", "120", "--clips",
                             "/x", NULL),
                     UI_EXIT_USAGE); /* clips are Mandarin words */
    assert_non_null(strstr(why, "--clips holds Mandarin words"));
    assert_int_equal(s_parse(&o, why, sizeof why, "--mode", "counter", "--counter", "3", "--lang",
                             "en", "--volume", "40", "--repeat", "3", "--rate", "120", NULL),
                     UI_OPTIONS_RUN);
    assert_int_equal(o.mode, DM_COUNTER);
    assert_int_equal(o.counter, 3);
    assert_int_equal(o.lang, UI_LANG_EN);
    assert_int_equal(o.volume, 40);
    assert_int_equal(o.repeat, 3);
    assert_int_equal(o.rate, 120);
    assert_string_equal(o.events, "tcp://127.0.0.1:9999");
    unsetenv("HALLQ_EVENTS");
    assert_int_equal(
        s_parse(&o, why, sizeof why, "--say", "b010:12", "--audio-file", "/tmp/x.wav", NULL),
        UI_OPTIONS_RUN);
    assert_true(o.say.on);
    assert_string_equal(o.say.label, "B010");
    assert_int_equal(o.say.window, 12);
    assert_string_equal(o.audio_file, "/tmp/x.wav");
    assert_int_equal(s_parse(&o, why, sizeof why, "--counter", "4", NULL), UI_OPTIONS_RUN);
    assert_int_equal(o.mode, DM_COUNTER);
    assert_int_equal(s_parse(&o, why, sizeof why, "--help", NULL), UI_EXIT_OK);

    const char *bad[][4] = {
        {"--mode", "wall", NULL},  {"--mode", "counter", NULL}, {"--mode", "hall", "--counter"},
        {"--volume", "101", NULL}, {"--volume", "x", NULL},     {"--repeat", "0", NULL},
        {"--rate", "20", NULL},    {"--lang", "fr", NULL},      {"--say", "A001", NULL},
        {"--say", "A0x1:3", NULL}, {"--say", "A001:0", NULL},   {"--bogus", NULL, NULL},
        {"extra", NULL, NULL},     {"--volume", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int r = s_parse(&o, why, sizeof why, bad[i][0], bad[i][1], bad[i][2], NULL);
        assert_int_equal(r, UI_EXIT_USAGE);
        assert_true(strncmp(why, "hallq-display: ", 15) == 0);
        char *nl = strchr(why, '\n');
        assert_non_null(nl);
        assert_int_equal(nl[1], '\0'); /* one line */
    }
    assert_int_equal(s_parse(&o, why, sizeof why, "--mode", "hall", "--counter", "2", NULL),
                     UI_EXIT_USAGE);
    assert_non_null(strstr(why, "--counter is for --mode counter"));
    assert_int_equal(s_parse(&o, why, sizeof why, "--mute", "--audio-file", "x.wav", NULL),
                     UI_EXIT_USAGE);
    assert_non_null(strstr(why, "--mute contradicts --audio-file"));
    assert_int_equal(
        s_parse(&o, why, sizeof why, "--audio-file", "x.wav", "--audio-realtime", NULL),
        UI_OPTIONS_RUN);
    assert_true(o.audio_realtime);
    assert_int_equal(s_parse(&o, why, sizeof why, "--audio-realtime", NULL), UI_EXIT_USAGE);
    assert_non_null(strstr(why, "--audio-realtime goes with --audio-file"));
    assert_int_equal(s_parse(&o, why, sizeof why, "--say", "A001:3", "--audio-file", "x.wav",
                             "--audio-realtime", NULL),
                     UI_EXIT_USAGE);
}

/* What the screen says, built from the model (the curses layer only places it). */
static void test_texts(void **state)
{
    (void)state;
    char out[256];
    dt_avg_wait(UI_LANG_ZH, 0, out, sizeof out);
    assert_string_equal(out, "平均等候：暂无");
    dt_avg_wait(UI_LANG_ZH, 59999, out, sizeof out);
    assert_string_equal(out, "平均等候不到 1 分钟");
    dt_avg_wait(UI_LANG_EN, 150000, out, sizeof out); /* 2.5 min rounds to 3 */
    assert_string_equal(out, "Average wait: about 3 min");

    dm_call_t call = {.label = "B002", .counter = 12, .green = 1};
    dt_sentence(UI_LANG_ZH, &call, out, sizeof out);
    assert_string_equal(out, "请 B002 号到 12 号窗口办理  [老年人绿色通道]");
    call.green = 0;
    dt_sentence(UI_LANG_EN, &call, out, sizeof out);
    assert_string_equal(out, "Number B002, please go to window 12");

    dm_t dm;
    dm_init(&dm, DM_COUNTER, 12);
    dt_counter_caption(UI_LANG_ZH, &dm, out, sizeof out);
    assert_string_equal(out, "本厅没有12号窗口");
    dm.counter_known = 1;
    dm.counter.state = HQ_C_CALLING;
    strcpy(dm.counter.current_label, "A001");
    dt_counter_caption(UI_LANG_ZH, &dm, out, sizeof out);
    assert_string_equal(out, "请 A001 号到本窗口办理");
    dm.counter.state = HQ_C_SERVING;
    dt_counter_caption(UI_LANG_EN, &dm, out, sizeof out);
    assert_string_equal(out, "Now serving A001");
    dm.counter.state = HQ_C_PAUSED;
    strcpy(dm.counter.pause_reason, "午休");
    dt_counter_caption(UI_LANG_ZH, &dm, out, sizeof out);
    assert_string_equal(out, "暂停服务: 午休");
    dm.counter.state = HQ_C_CLOSED;
    dt_counter_caption(UI_LANG_ZH, &dm, out, sizeof out);
    assert_string_equal(out, "本窗口暂未开放");
    dm.counter.state = HQ_C_IDLE;
    dt_counter_caption(UI_LANG_EN, &dm, out, sizeof out);
    assert_string_equal(out, "Please wait");
    /* The connecting line no longer ends in the ambiguous-width ellipsis. */
    assert_null(strstr(dt_tr(UI_LANG_ZH, DT_CONNECTING), "…"));
}

/* Feeds bytes as getch hands them over in one read; returns the actions, one letter each
 * (q quit, r resync, l redraw). */
static void s_keys(keys_t *k, const char *bytes, char *out)
{
    size_t o = 0, n = strlen(bytes);
    for (size_t i = 0; i < n; i++) {
        keys_action_t a = keys_feed(k, (unsigned char)bytes[i]);
        if (a != KEYS_NONE)
            out[o++] = a == KEYS_QUIT ? 'q' : a == KEYS_RESYNC ? 'r' : 'l';
    }
    out[o] = '\0';
    keys_idle(k);
}

static void test_keys(void **state)
{
    (void)state;
    keys_t k;
    keys_init(&k);
    char got[64];
    s_keys(&k, "xqQr\x0c", got);
    assert_string_equal(got, "qqrl");
    /* A legacy mouse report at column 81, row 82: its bytes are "q" and "r" (32 + 81, 32 + 82). */
    s_keys(&k, "\x1b[M qr", got);
    assert_string_equal(got, "");
    /* SGR mouse reports: press and release at column 113 (a 'q' nowhere, but digits and M/m). */
    s_keys(&k, "\x1b[<0;113;5M\x1b[<0;113;5m", got);
    assert_string_equal(got, "");
    /* Two reports in one read, then a real q. */
    s_keys(&k, "\x1b[M#qq\x1b[<64;81;81Mq", got);
    assert_string_equal(got, "q");
    /* Alt-q, a function key curses does not know, an OSC string: not keys. */
    s_keys(&k, "\x1bq\x1bOq\x1b[25~\x1b]0;q\x07", got);
    assert_string_equal(got, "");
    /* A lone Escape (nothing followed in the same read) does not eat the next key. */
    s_keys(&k, "\x1b", got);
    s_keys(&k, "q", got);
    assert_string_equal(got, "q");
    /* A key curses decoded (an arrow, a resize) in the middle resets. */
    keys_feed(&k, 27);
    keys_feed(&k, '[');
    assert_int_equal(keys_feed(&k, 0x19a), KEYS_NONE);
    assert_int_equal(keys_feed(&k, 'q'), KEYS_QUIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bigfont),     cmocka_unit_test(test_layout_big),
        cmocka_unit_test(test_layout_hall), cmocka_unit_test(test_layout_counter),
        cmocka_unit_test(test_marquee),     cmocka_unit_test(test_keys),
        cmocka_unit_test(test_pcm),         cmocka_unit_test(test_options),
        cmocka_unit_test(test_texts),
    };
    return cmocka_run_group_tests(tests, s_setup, NULL);
}
