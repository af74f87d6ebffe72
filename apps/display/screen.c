/* screen: see screen.h. Only this file and main.c see curses. */
#include "screen.h"

#include "bigfont.h"
#include "hq_text.h"
#include "layout.h"
#include "texts.h"

#include "ui_curses.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

enum {
    S_PAIR_TITLE = 1,
    S_PAIR_BIG,
    S_PAIR_GREEN,
    S_PAIR_OFFLINE,
    S_PAIR_HEAD,
    S_PAIR_WARN,
    S_PAIR_WINDOW,
    S_PAIR_PAUSED
};

/* A word of the screen in the frame's language. */
#define S_T(f, id) dt_tr((f)->lang, (id))

static const ui_curses_pair_t s_pairs[] = {
    [S_PAIR_TITLE - 1] = {COLOR_WHITE, COLOR_BLUE}, [S_PAIR_BIG - 1] = {COLOR_YELLOW, -1},
    [S_PAIR_GREEN - 1] = {COLOR_GREEN, -1},         [S_PAIR_OFFLINE - 1] = {COLOR_WHITE, COLOR_RED},
    [S_PAIR_HEAD - 1] = {COLOR_CYAN, -1},           [S_PAIR_WARN - 1] = {COLOR_YELLOW, -1},
    [S_PAIR_WINDOW - 1] = {COLOR_WHITE, -1},        [S_PAIR_PAUSED - 1] = {COLOR_RED, -1},
};

int screen_open(char *why, size_t whylen)
{
    return ui_curses_open(s_pairs, (int)(sizeof s_pairs / sizeof s_pairs[0]), why, whylen);
}

static attr_t s_pair(int pair)
{
    return ui_curses_colours() ? (attr_t)COLOR_PAIR(pair) : 0;
}

/* Writes text at (row, col) cut to `width` columns (padded when pad). */
static void s_put(int row, int col, int width, const char *text, attr_t attr, int pad)
{
    if (width <= 0 || row < 0 || row >= LINES || col < 0 || col >= COLS)
        return;
    if (col + width > COLS)
        width = COLS - col;
    char buf[2048];
    hq_text_fit(text, width, pad, buf, sizeof buf);
    attron(attr);
    mvaddstr(row, col, buf);
    attroff(attr);
}

static void s_center(int row, int col, int width, const char *text, attr_t attr)
{
    int w = hq_text_width(text);
    if (w > width)
        w = width;
    s_put(row, col + (width - w) / 2, width - (width - w) / 2, text, attr, 0);
}

static void s_fill(int row, int col, int width, attr_t attr)
{
    if (row < 0 || row >= LINES || width <= 0)
        return;
    attron(attr);
    mvhline(row, col, ' ', width);
    attroff(attr);
}

/* Block-font text whose lit pixels are painted as spaces in `lit` (which holds A_REVERSE
 * on a plain background, not in a flash): a space is one column wide in every terminal and
 * locale, where a block character may be drawn two wide. Unlit pixels are left as they are. */
static void s_big(int top, int col, const char *text, int sx, int sy, attr_t lit)
{
    char mask[1024];
    attron(lit);
    for (int r = 0; r < bigfont_height(sy) && top + r < LINES; r++) {
        if (top + r < 0 || bigfont_row(text, sx, sy, r, mask, sizeof mask) != 0)
            continue;
        for (int c = 0; mask[c]; c++) {
            if (mask[c] != BIGFONT_LIT)
                continue;
            int run = 1;
            while (mask[c + run] == BIGFONT_LIT)
                run++;
            if (col + c < COLS)
                mvhline(top + r, col + c, ' ', col + c + run <= COLS ? run : COLS - col - c);
            c += run - 1;
        }
    }
    attroff(lit);
}

/* The attribute of the big number's lit pixels (green lane or not). Normally they are
 * reverse-video spaces on the screen's background; in a flash phase the rows they take are
 * painted over in reverse video and the pixels are the plain background in it. */
static attr_t s_big_area(int top, int rows, int pair, int flash)
{
    attr_t base = s_pair(pair) | A_BOLD;
    if (!flash)
        return base | A_REVERSE;
    for (int r = top; r < top + rows; r++)
        s_fill(r, 0, COLS, base | A_REVERSE);
    return base;
}

/* Title: name or window on the left, the link mark, the clock on the right. */
static void s_title(const screen_frame_t *f, const char *left)
{
    attr_t title = s_pair(S_PAIR_TITLE) | A_BOLD;
    s_fill(0, 0, COLS, title);
    char clock[32];
    struct tm tm;
    localtime_r(&f->now_wall, &tm);
    strftime(clock, sizeof clock, COLS >= 60 ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
    int clock_w = (int)strlen(clock);
    s_put(0, COLS - clock_w - 1, clock_w, clock, title, 0);
    const char *mark = NULL;
    attr_t mark_attr = s_pair(S_PAIR_OFFLINE) | A_BOLD | A_BLINK;
    if (f->dm->link == DM_LINK_OFFLINE) {
        mark = S_T(f, DT_OFFLINE_MARK);
    } else if (f->dm->link == DM_LINK_RESYNCING) {
        mark = S_T(f, DT_RESYNCING);
        mark_attr = title | A_REVERSE;
    }
    int mark_w = mark ? hq_text_width(mark) : 0;
    int right = COLS - clock_w - 2;
    if (mark) {
        s_put(0, right - mark_w, mark_w, mark, mark_attr, 0);
        right -= mark_w + 1;
    }
    if (f->audio != SCREEN_AUDIO_ON) {
        const char *a = f->audio == SCREEN_AUDIO_MUTED ? S_T(f, DT_MUTED) : S_T(f, DT_NO_AUDIO);
        int aw = hq_text_width(a);
        s_put(0, right - aw, aw, a, title, 0);
        right -= aw + 1;
    }
    s_put(0, 1, right - 1, left, title, 0);
}

static void s_notice(const screen_frame_t *f, int row)
{
    if (!f->dm->notice[0])
        return;
    char buf[4096];
    if (layout_marquee(f->dm->notice, COLS - 2, f->marquee_offset, buf, sizeof buf) >= 0)
        s_put(row, 1, COLS - 2, buf, s_pair(S_PAIR_HEAD) | A_BOLD, 0);
}

/* Offline: the area of the call turns red with the word in the screen's language (block
 * letters for OFFLINE in English, where they fit; Chinese in words), what happened and what
 * to do under it, so nobody takes the last number shown for the current one. */
static void s_offline_banner(const screen_frame_t *f, int top, int rows, int line_row)
{
    attr_t red = s_pair(S_PAIR_OFFLINE) | A_BOLD;
    for (int r = top; r < top + rows; r++)
        s_fill(r, 0, COLS, red);
    s_fill(line_row, 0, COLS, red);
    const char *head = S_T(f, DT_OFFLINE_HEAD);
    int advice = rows >= 4; /* room for the advice under the head line */
    layout_big_t big;
    if (f->lang == UI_LANG_EN && rows >= bigfont_height(1) + 1 &&
        layout_big(COLS - 2, rows - 1, head, NULL, &big) == 0) {
        s_big(top + (rows - 1 - big.rows) / 2, big.label_col + 1, head, big.sx, big.sy,
              red | A_REVERSE);
        if (advice)
            s_center(top + rows - 1, 0, COLS, S_T(f, DT_OFFLINE_ADVICE), red);
    } else {
        int mid = top + (rows - 1) / 2 - (advice ? 1 : 0);
        if (mid < top)
            mid = top;
        s_center(mid, 0, COLS, head, red | A_REVERSE);
        if (advice)
            s_center(mid + 2, 0, COLS, S_T(f, DT_OFFLINE_ADVICE), red);
    }
    const char *line = S_T(f, DT_OFFLINE_LINE);
    if (hq_text_width(line) > COLS)
        line = S_T(f, DT_OFFLINE_LINE_SHORT);
    s_center(line_row, 0, COLS, line, red);
}

/* The strip: each window and what it does, a page of it when the hall has more windows than
 * the rows hold. Offline it says there is no data rather than show old states. */
static void s_strip(const screen_frame_t *f, const layout_hall_t *L)
{
    const dm_t *dm = f->dm;
    if (L->strip_top < 0)
        return;
    if (dm->link == DM_LINK_OFFLINE) {
        s_center(L->strip_top, 0, COLS, S_T(f, DT_NO_DATA), A_DIM);
        return;
    }
    int per_page = L->strip_rows * L->strip_per_row;
    int first = layout_strip_page(L, (long long)f->now_wall) * per_page;
    for (int i = 0; i < per_page && first + i < dm->nwindows; i++) {
        const dm_window_t *w = &dm->windows[first + i];
        int row = L->strip_top + i / L->strip_per_row;
        int col = L->strip_col + (i % L->strip_per_row) * (L->strip_width + 1);
        char cell[128];
        dt_window_cell(f->lang, w, L->strip_short, cell, sizeof cell);
        attr_t a = 0;
        switch (w->state) {
        case HQ_C_CALLING:
            a = s_pair(w->green ? S_PAIR_GREEN : S_PAIR_BIG) | A_BOLD;
            break;
        case HQ_C_SERVING:
            a = s_pair(w->green ? S_PAIR_GREEN : S_PAIR_WINDOW) | A_BOLD;
            break;
        case HQ_C_PAUSED:
            a = s_pair(S_PAIR_PAUSED) | A_BOLD;
            break;
        case HQ_C_CLOSED:
            a = A_DIM;
            break;
        default:
            break;
        }
        s_put(row, col, L->strip_width, cell, a, 1);
    }
}

static void s_calls(const screen_frame_t *f, const layout_hall_t *L)
{
    const dm_t *dm = f->dm;
    int offline = dm->link == DM_LINK_OFFLINE;
    /* The headings row is a band across the screen: it parts the call from the lists. */
    s_fill(L->lists_top, 0, COLS, s_pair(S_PAIR_TITLE));
    s_put(L->lists_top, L->calls_col, L->calls_width,
          offline ? S_T(f, DT_OFFLINE_BEFORE) : S_T(f, DT_RECENT), s_pair(S_PAIR_TITLE) | A_BOLD,
          0);
    int colw = L->calls_width / L->calls_columns;
    /* Offline, the call that was on the big display goes into the list as well: it is
     * history now, like the others. */
    const dm_call_t *calls[DM_LIST_MAX + 1];
    int n = 0;
    if (offline && dm->has_current)
        calls[n++] = &dm->current;
    for (int i = 0; i < dm->nlist; i++)
        calls[n++] = &dm->list[i];
    for (int i = 0; i < n; i++) {
        int column = i / L->list_rows, row = i % L->list_rows;
        if (column >= L->calls_columns)
            break;
        char line[128];
        snprintf(line, sizeof line, S_T(f, DT_CALL_LINE), calls[i]->label, calls[i]->counter);
        attr_t a = offline ? A_DIM : (calls[i]->green ? s_pair(S_PAIR_GREEN) : 0);
        s_put(L->lists_top + 1 + row, L->calls_col + column * colw, colw - 1, line, a, 0);
    }
}

static void s_queues(const screen_frame_t *f, const layout_hall_t *L)
{
    const dm_t *dm = f->dm;
    int col = L->queues_col, width = L->queues_width;
    s_put(L->lists_top, col, width, S_T(f, DT_WAITING), s_pair(S_PAIR_TITLE) | A_BOLD, 0);
    if (dm->link == DM_LINK_OFFLINE) {
        s_put(L->lists_top + 1, col, width, S_T(f, DT_NO_DATA), A_DIM, 0);
        return;
    }
    /* The average wait goes last; queues fill the rows above it. Each row: the queue's
     * letter and name, the number waiting, and apart from it the green-lane tickets among
     * them (in full on wide screens, short on narrow ones). */
    int rows = L->list_rows - 1;
    int wide = width >= 56;
    const char *gfmt = wide ? S_T(f, DT_GREEN_COUNT) : S_T(f, DT_GREEN_SHORT);
    int green_w = wide ? 18 : 8, count_w = 9;
    int name_w = width - count_w - green_w - 1;
    for (int i = 0; i < dm->nqueues && i < rows; i++) {
        const dm_queue_t *q = &dm->queues[i];
        char count[48], green[64] = "", name[128];
        snprintf(count, sizeof count, S_T(f, DT_QUEUE_COUNT), q->waiting);
        if (q->green > 0)
            snprintf(green, sizeof green, gfmt, q->green);
        snprintf(name, sizeof name, "%c %s", q->prefix, q->name);
        int row = L->lists_top + 1 + i;
        s_put(row, col, name_w, name, 0, 1);
        s_put(row, col + name_w + 1, count_w, count, A_BOLD, 1);
        if (green[0])
            s_put(row, col + name_w + 1 + count_w, green_w, green, s_pair(S_PAIR_GREEN) | A_BOLD,
                  0);
    }
    char avg[96];
    dt_avg_wait(f->lang, dm->avg_wait_ms, avg, sizeof avg);
    s_put(L->lists_top + L->list_rows, col, width, avg, A_BOLD, 0);
}

static void s_hall(const screen_frame_t *f)
{
    const dm_t *dm = f->dm;
    int has = dm->has_current && dm->link != DM_LINK_CONNECTING;
    char window[16];
    snprintf(window, sizeof window, "%d", has ? dm->current.counter : 0);
    layout_strip_need_t strip = {dm->nwindows, dt_window_cell_width(f->lang, dm, 0),
                                 dt_window_cell_width(f->lang, dm, 1)};
    layout_hall_t L;
    layout_hall(COLS, LINES, has ? dm->current.label : NULL, has ? window : NULL,
                dm->link == DM_LINK_CONNECTING ? NULL : &strip, &L);
    if (L.too_small) {
        s_center(LINES / 2, 0, COLS, S_T(f, DT_TOO_SMALL), A_BOLD);
        return;
    }
    char title[256], mark[96];
    ui_sim_mark(dm->sim_speed, f->lang, mark, sizeof mark);
    snprintf(title, sizeof title, "%s%s%s", dm->hall_name[0] ? dm->hall_name : "hallq",
             mark[0] ? "  " : "", mark);
    s_title(f, title);
    /* The call's area: caption_row (or the big glyphs) .. sentence_row. */
    int area_top = L.caption_row >= 0 ? L.caption_row : L.big_top;
    int area_mid = (area_top + L.sentence_row) / 2;
    if (dm->link == DM_LINK_CONNECTING) {
        s_center(area_mid, 0, COLS, S_T(f, DT_CONNECTING), A_BOLD);
    } else if (dm->link == DM_LINK_OFFLINE) {
        s_offline_banner(f, area_top, L.sentence_row - area_top, L.sentence_row);
    } else if (!has) {
        s_center(area_mid, 0, COLS, S_T(f, DT_NO_CALLS), A_BOLD);
    } else {
        const dm_call_t *c = &dm->current;
        int flash = dm_flash_on(dm, f->now_mono);
        if (L.big.sx > 0) {
            attr_t head = s_pair(S_PAIR_HEAD) | A_BOLD;
            if (L.caption_row >= 0) {
                s_put(L.caption_row, L.big.label_col, COLS - L.big.label_col,
                      S_T(f, DT_NOW_CALLING), head, 0);
                s_put(L.caption_row, L.big.window_col, COLS - L.big.window_col, S_T(f, DT_WINDOW),
                      head, 0);
            }
            attr_t big =
                s_big_area(L.big_top, L.big.rows, c->green ? S_PAIR_GREEN : S_PAIR_BIG, flash);
            attr_t win = flash ? big : s_pair(S_PAIR_WINDOW) | A_BOLD | A_REVERSE;
            const char arrow[2] = {BIGFONT_ARROW, '\0'};
            s_big(L.big_top, L.big.label_col, c->label, L.big.sx, L.big.sy, big);
            s_big(L.big_top, L.big.arrow_col, arrow, L.big.sx, L.big.sy,
                  flash ? big : head | A_REVERSE);
            s_big(L.big_top, L.big.window_col, window, L.big.sx, L.big.sy, win);
        } else if (L.caption_row >= 0) {
            s_put(L.caption_row, 1, COLS - 2, S_T(f, DT_NOW_CALLING), s_pair(S_PAIR_HEAD) | A_BOLD,
                  0);
        }
        char sentence[160];
        dt_sentence(f->lang, c, sentence, sizeof sentence);
        attr_t words = A_BOLD | (flash ? A_REVERSE : 0);
        if (L.big.sx == 0) {
            /* Without glyphs the words are the call: a band that stands out as they would. */
            words = s_pair(c->green ? S_PAIR_GREEN : S_PAIR_BIG) | A_BOLD | (flash ? 0 : A_REVERSE);
            s_fill(L.sentence_row, 0, COLS, words);
        }
        s_center(L.sentence_row, 0, COLS, sentence, words);
    }
    if (dm->link != DM_LINK_CONNECTING) {
        s_strip(f, &L);
        if (L.lists_top >= 0) {
            s_calls(f, &L);
            s_queues(f, &L);
        }
    }
    /* On a small screen a status message takes the notice's row while it lasts. */
    int status = f->status && L.status_row >= 0;
    if (status)
        s_put(L.status_row, 1, COLS - 2, f->status, s_pair(S_PAIR_WARN) | A_BOLD, 1);
    if (L.notice_row >= 0 && !(status && L.status_row == L.notice_row))
        s_notice(f, L.notice_row);
}

static void s_counter(const screen_frame_t *f)
{
    const dm_t *dm = f->dm;
    const hq_counter_t *c = &dm->counter;
    int showing = dm->link != DM_LINK_CONNECTING && dm->link != DM_LINK_OFFLINE &&
                  dm->counter_known && (c->state == HQ_C_CALLING || c->state == HQ_C_SERVING) &&
                  c->current_label[0];
    layout_counter_t L;
    layout_counter(COLS, LINES, showing ? c->current_label : "A000", &L);
    if (L.too_small) {
        s_center(LINES / 2, 0, COLS, S_T(f, DT_TOO_SMALL), A_BOLD);
        return;
    }
    char title[64];
    snprintf(title, sizeof title, S_T(f, DT_COUNTER_TITLE), dm->counter_id);
    s_title(f, title);
    char caption[256] = "";
    if (dm->link == DM_LINK_CONNECTING) {
        s_center(LINES / 2, 0, COLS, S_T(f, DT_CONNECTING), A_BOLD);
    } else if (dm->link == DM_LINK_OFFLINE) {
        s_offline_banner(f, 1, L.caption_row, L.caption_row);
    } else {
        dt_counter_caption(f->lang, dm, caption, sizeof caption);
    }
    if (showing) {
        int flash = dm_flash_on(dm, f->now_mono);
        attr_t big =
            s_big_area(L.big_top, L.big.rows, dm->counter_green ? S_PAIR_GREEN : S_PAIR_BIG, flash);
        if (L.big.sx > 0)
            s_big(L.big_top, L.big.label_col, c->current_label, L.big.sx, L.big.sy, big);
        else
            s_center(L.big_top, 0, COLS, c->current_label, big);
    }
    if (caption[0])
        s_center(showing ? L.caption_row : LINES / 2, 0, COLS, caption, A_BOLD);
    if (f->status)
        s_put(L.status_row, 1, COLS - 2, f->status, s_pair(S_PAIR_WARN) | A_BOLD, 0);
}

void screen_draw(const screen_frame_t *f)
{
    erase();
    if (f->dm->mode == DM_COUNTER)
        s_counter(f);
    else
        s_hall(f);
    refresh();
}
