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

enum { S_PAIR_TITLE = 1, S_PAIR_BIG, S_PAIR_GREEN, S_PAIR_OFFLINE, S_PAIR_HEAD, S_PAIR_WARN };

/* A word of the screen in the frame's language. */
#define S_T(f, id) dt_tr((f)->lang, (id))

static const ui_curses_pair_t s_pairs[] = {
    [S_PAIR_TITLE - 1] = {COLOR_WHITE, COLOR_BLUE}, [S_PAIR_BIG - 1] = {COLOR_YELLOW, -1},
    [S_PAIR_GREEN - 1] = {COLOR_GREEN, -1},         [S_PAIR_OFFLINE - 1] = {COLOR_WHITE, COLOR_RED},
    [S_PAIR_HEAD - 1] = {COLOR_CYAN, -1},           [S_PAIR_WARN - 1] = {COLOR_YELLOW, -1},
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

static void s_big(int top, int col, const char *text, int sx, int sy, attr_t attr)
{
    char buf[4096];
    attron(attr);
    for (int r = 0; r < bigfont_height(sy); r++)
        if (bigfont_row(text, sx, sy, r, buf, sizeof buf) == 0 && top + r < LINES)
            mvaddstr(top + r, col, buf);
    attroff(attr);
}

/* The attribute of the big number (green lane or not), and in a flash phase the rows it
 * takes painted over in reverse video. */
static attr_t s_big_area(int top, int rows, int green, int flash)
{
    attr_t big = s_pair(green ? S_PAIR_GREEN : S_PAIR_BIG) | A_BOLD;
    if (flash) {
        big |= A_REVERSE;
        for (int r = top; r < top + rows; r++)
            s_fill(r, 0, COLS, big);
    }
    return big;
}

static int s_digits(int n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
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

/* Offline: the area of the call turns red with OFFLINE in block letters and the reason
 * under it, so nobody takes the last number shown for the current one. */
static void s_offline_banner(const screen_frame_t *f, int top, int rows, int line_row)
{
    attr_t red = s_pair(S_PAIR_OFFLINE) | A_BOLD;
    for (int r = top; r < top + rows; r++)
        s_fill(r, 0, COLS, red);
    s_fill(line_row, 0, COLS, red);
    layout_big_t big;
    if (layout_big(COLS - 2, rows, 7, 0, &big) == 0)
        s_big(top + (rows - big.rows) / 2, big.label_col + 1, "OFFLINE", big.sx, big.sy, red);
    s_center(line_row, 0, COLS, S_T(f, DT_OFFLINE_LINE), red);
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
    int label_chars = has ? (int)strlen(dm->current.label) : 4;
    int window_chars = has ? s_digits(dm->current.counter) : 2;
    layout_hall_t L;
    layout_hall(COLS, LINES, label_chars, window_chars, &L);
    if (L.too_small) {
        s_center(LINES / 2, 0, COLS, S_T(f, DT_TOO_SMALL), A_BOLD);
        return;
    }
    s_title(f, dm->hall_name[0] ? dm->hall_name : "hallq");
    int big_end = L.sentence_row; /* the call's area: caption_row .. sentence_row */
    if (dm->link == DM_LINK_CONNECTING) {
        s_center((L.caption_row + big_end) / 2, 0, COLS, S_T(f, DT_CONNECTING), A_BOLD);
    } else if (dm->link == DM_LINK_OFFLINE) {
        s_offline_banner(f, L.caption_row, big_end - L.caption_row, L.sentence_row);
    } else if (!has) {
        s_center((L.caption_row + big_end) / 2, 0, COLS, S_T(f, DT_NO_CALLS), A_BOLD);
    } else {
        const dm_call_t *c = &dm->current;
        int flash = dm_flash_on(dm, f->now_mono);
        attr_t big = s_big_area(L.big_top, L.big.rows, c->green, flash);
        char window[16];
        snprintf(window, sizeof window, "%d", c->counter);
        if (L.big.sx > 0) {
            s_put(L.caption_row, L.big.label_col, COLS - L.big.label_col, S_T(f, DT_NOW_CALLING),
                  s_pair(S_PAIR_HEAD) | A_BOLD, 0);
            s_put(L.caption_row, L.big.window_col, COLS - L.big.window_col, S_T(f, DT_WINDOW),
                  s_pair(S_PAIR_HEAD) | A_BOLD, 0);
            s_big(L.big_top, L.big.label_col, c->label, L.big.sx, L.big.sy, big);
            s_big(L.big_top, L.big.window_col, window, L.big.sx, L.big.sy, big);
        } else {
            s_put(L.caption_row, 1, COLS - 2, S_T(f, DT_NOW_CALLING), s_pair(S_PAIR_HEAD) | A_BOLD,
                  0);
        }
        char sentence[160];
        dt_sentence(f->lang, c, sentence, sizeof sentence);
        s_center(L.sentence_row, 0, COLS, sentence, A_BOLD | (flash ? A_REVERSE : 0));
    }
    if (dm->link != DM_LINK_CONNECTING) {
        s_calls(f, &L);
        s_queues(f, &L);
    }
    if (f->status)
        s_put(L.status_row, 1, COLS - 2, f->status, s_pair(S_PAIR_WARN) | A_BOLD, 0);
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
    layout_counter(COLS, LINES, showing ? (int)strlen(c->current_label) : 4, &L);
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
        attr_t big = s_big_area(L.big_top, L.big.rows, dm->counter_green, flash);
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
