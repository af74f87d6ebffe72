/* view: see view.h. Only this file and main.c see curses. */
#include "view.h"

#include "bigfont.h"
#include "hq_text.h"
#include "layout.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

enum { S_PAIR_TITLE = 1, S_PAIR_BIG, S_PAIR_GREEN, S_PAIR_OFFLINE, S_PAIR_HEAD, S_PAIR_WARN };

static int s_colors;

/* The words on the screen, in the two languages. */
typedef struct {
    const char *now_calling, *window, *no_calls, *connecting, *offline_mark, *offline_line,
        *offline_before, *resyncing, *recent, *waiting, *no_data, *green_lane, *muted, *no_audio,
        *too_small, *closed, *idle, *paused, *serving;
    const char *calls_fmt;    /* label, window */
    const char *sentence_fmt; /* label, window */
    const char *queue_fmt;    /* waiting */
    const char *green_fmt;    /* green */
    const char *green_short_fmt;
    const char *avg_fmt; /* minutes */
    const char *avg_short, *avg_none;
    const char *counter_title_fmt, *calling_fmt, *unknown_counter_fmt;
} s_words_t;

static const s_words_t s_zh = {
    .now_calling = "正在呼叫",
    .window = "窗口",
    .no_calls = "暂无呼叫",
    .connecting = "正在连接叫号服务器…",
    .offline_mark = " 离线 ",
    .offline_line = "离线：与叫号服务器的连接已中断，正在自动重连",
    .offline_before = "断线前的呼叫（仅供参考）",
    .resyncing = " 同步中 ",
    .recent = "最近呼叫",
    .waiting = "等候人数",
    .no_data = "离线，暂无数据",
    .green_lane = "老年人绿色通道",
    .muted = "静音",
    .no_audio = "无声音",
    .too_small = "屏幕太小",
    .closed = "本窗口暂未开放",
    .idle = "请稍候",
    .paused = "暂停服务",
    .serving = "正在办理",
    .calls_fmt = "%-6s %d号窗口",
    .sentence_fmt = "请 %s 号到 %d 号窗口办理",
    .queue_fmt = "%d 人",
    .green_fmt = "其中绿色通道 %d",
    .green_short_fmt = "绿 %d",
    .avg_fmt = "平均等候约 %d 分钟",
    .avg_short = "平均等候不到 1 分钟",
    .avg_none = "平均等候：暂无",
    .counter_title_fmt = "%d号窗口",
    .calling_fmt = "请 %s 号到本窗口办理",
    .unknown_counter_fmt = "本厅没有%d号窗口",
};

static const s_words_t s_en = {
    .now_calling = "Now calling",
    .window = "Window",
    .no_calls = "No calls yet",
    .connecting = "Connecting to the queue server...",
    .offline_mark = " OFFLINE ",
    .offline_line = "OFFLINE: connection to the queue server lost, reconnecting",
    .offline_before = "Calls before the connection was lost",
    .resyncing = " syncing ",
    .recent = "Recent calls",
    .waiting = "Waiting",
    .no_data = "offline, no data",
    .green_lane = "elderly green lane",
    .muted = "muted",
    .no_audio = "no audio",
    .too_small = "Screen too small",
    .closed = "This window is closed",
    .idle = "Please wait",
    .paused = "Paused",
    .serving = "Now serving",
    .calls_fmt = "%-6s window %d",
    .sentence_fmt = "Number %s, please go to window %d",
    .queue_fmt = "%d waiting",
    .green_fmt = "green lane %d",
    .green_short_fmt = "green %d",
    .avg_fmt = "Average wait: about %d min",
    .avg_short = "Average wait: under 1 min",
    .avg_none = "Average wait: none yet",
    .counter_title_fmt = "Window %d",
    .calling_fmt = "Number %s, please come to this window",
    .unknown_counter_fmt = "There is no window %d in this hall",
};

void view_start(void)
{
    s_colors = has_colors();
    if (!s_colors)
        return;
    start_color();
    use_default_colors();
    init_pair(S_PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
    init_pair(S_PAIR_BIG, COLOR_YELLOW, -1);
    init_pair(S_PAIR_GREEN, COLOR_GREEN, -1);
    init_pair(S_PAIR_OFFLINE, COLOR_WHITE, COLOR_RED);
    init_pair(S_PAIR_HEAD, COLOR_CYAN, -1);
    init_pair(S_PAIR_WARN, COLOR_YELLOW, -1);
}

static attr_t s_pair(int pair)
{
    return s_colors ? (attr_t)COLOR_PAIR(pair) : 0;
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
static void s_title(const view_frame_t *f, const s_words_t *w, const char *left)
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
        mark = w->offline_mark;
    } else if (f->dm->link == DM_LINK_RESYNCING) {
        mark = w->resyncing;
        mark_attr = title | A_REVERSE;
    }
    int mark_w = mark ? hq_text_width(mark) : 0;
    int right = COLS - clock_w - 2;
    if (mark) {
        s_put(0, right - mark_w, mark_w, mark, mark_attr, 0);
        right -= mark_w + 1;
    }
    if (f->audio != VIEW_AUDIO_ON) {
        const char *a = f->audio == VIEW_AUDIO_MUTED ? w->muted : w->no_audio;
        int aw = hq_text_width(a);
        s_put(0, right - aw, aw, a, title, 0);
        right -= aw + 1;
    }
    s_put(0, 1, right - 1, left, title, 0);
}

static void s_notice(const view_frame_t *f, int row)
{
    if (!f->dm->notice[0])
        return;
    char buf[4096];
    if (layout_marquee(f->dm->notice, COLS - 2, f->marquee_offset, buf, sizeof buf) >= 0)
        s_put(row, 1, COLS - 2, buf, s_pair(S_PAIR_HEAD) | A_BOLD, 0);
}

/* Offline: the area of the call turns red with OFFLINE in block letters and the reason
 * under it, so nobody takes the last number shown for the current one. */
static void s_offline_banner(int top, int rows, int line_row, const s_words_t *w)
{
    attr_t red = s_pair(S_PAIR_OFFLINE) | A_BOLD;
    for (int r = top; r < top + rows; r++)
        s_fill(r, 0, COLS, red);
    s_fill(line_row, 0, COLS, red);
    layout_big_t big;
    if (layout_big(COLS - 2, rows, 7, 0, &big) == 0)
        s_big(top + (rows - big.rows) / 2, big.label_col + 1, "OFFLINE", big.sx, big.sy, red);
    s_center(line_row, 0, COLS, w->offline_line, red);
}

static void s_calls(const view_frame_t *f, const layout_hall_t *L, const s_words_t *w)
{
    const dm_t *dm = f->dm;
    int offline = dm->link == DM_LINK_OFFLINE;
    /* The headings row is a band across the screen: it parts the call from the lists. */
    s_fill(L->lists_top, 0, COLS, s_pair(S_PAIR_TITLE));
    s_put(L->lists_top, L->calls_col, L->calls_width, offline ? w->offline_before : w->recent,
          s_pair(S_PAIR_TITLE) | A_BOLD, 0);
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
        snprintf(line, sizeof line, w->calls_fmt, calls[i]->label, calls[i]->counter);
        attr_t a = offline ? A_DIM : (calls[i]->green ? s_pair(S_PAIR_GREEN) : 0);
        s_put(L->lists_top + 1 + row, L->calls_col + column * colw, colw - 1, line, a, 0);
    }
}

static void s_queues(const view_frame_t *f, const layout_hall_t *L, const s_words_t *w)
{
    const dm_t *dm = f->dm;
    int col = L->queues_col, width = L->queues_width;
    s_put(L->lists_top, col, width, w->waiting, s_pair(S_PAIR_TITLE) | A_BOLD, 0);
    if (dm->link == DM_LINK_OFFLINE) {
        s_put(L->lists_top + 1, col, width, w->no_data, A_DIM, 0);
        return;
    }
    /* The average wait goes last; queues fill the rows above it. Each row: the queue's
     * letter and name, the number waiting, and apart from it the green-lane tickets among
     * them (in full on wide screens, short on narrow ones). */
    int rows = L->list_rows - 1;
    int wide = width >= 56;
    const char *gfmt = wide ? w->green_fmt : w->green_short_fmt;
    int green_w = wide ? 18 : 8, count_w = 9;
    int name_w = width - count_w - green_w - 1;
    for (int i = 0; i < dm->nqueues && i < rows; i++) {
        const dm_queue_t *q = &dm->queues[i];
        char count[48], green[64] = "", name[128];
        snprintf(count, sizeof count, w->queue_fmt, q->waiting);
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
    if (dm->avg_wait_ms <= 0)
        snprintf(avg, sizeof avg, "%s", w->avg_none);
    else if (dm->avg_wait_ms < 60000)
        snprintf(avg, sizeof avg, "%s", w->avg_short);
    else
        snprintf(avg, sizeof avg, w->avg_fmt, (int)((dm->avg_wait_ms + 30000) / 60000));
    s_put(L->lists_top + L->list_rows, col, width, avg, A_BOLD, 0);
}

static void s_hall(const view_frame_t *f, const s_words_t *w)
{
    const dm_t *dm = f->dm;
    int has = dm->has_current && dm->link != DM_LINK_CONNECTING;
    int label_chars = has ? (int)strlen(dm->current.label) : 4;
    int window_chars = has ? s_digits(dm->current.counter) : 2;
    layout_hall_t L;
    layout_hall(COLS, LINES, label_chars, window_chars, &L);
    if (L.too_small) {
        s_center(LINES / 2, 0, COLS, w->too_small, A_BOLD);
        return;
    }
    s_title(f, w, dm->hall_name[0] ? dm->hall_name : "hallq");
    int big_end = L.sentence_row; /* the call's area: caption_row .. sentence_row */
    if (dm->link == DM_LINK_CONNECTING) {
        s_center((L.caption_row + big_end) / 2, 0, COLS, w->connecting, A_BOLD);
    } else if (dm->link == DM_LINK_OFFLINE) {
        s_offline_banner(L.caption_row, big_end - L.caption_row, L.sentence_row, w);
    } else if (!has) {
        s_center((L.caption_row + big_end) / 2, 0, COLS, w->no_calls, A_BOLD);
    } else {
        const dm_call_t *c = &dm->current;
        int flash = dm_flash_on(dm, f->now_mono);
        attr_t big = s_pair(c->green ? S_PAIR_GREEN : S_PAIR_BIG) | A_BOLD;
        if (flash) {
            big |= A_REVERSE;
            for (int r = L.big_top; r < L.big_top + L.big.rows; r++)
                s_fill(r, 0, COLS, big);
        }
        char window[16];
        snprintf(window, sizeof window, "%d", c->counter);
        if (L.big.sx > 0) {
            s_put(L.caption_row, L.big.label_col, COLS - L.big.label_col, w->now_calling,
                  s_pair(S_PAIR_HEAD) | A_BOLD, 0);
            s_put(L.caption_row, L.big.window_col, COLS - L.big.window_col, w->window,
                  s_pair(S_PAIR_HEAD) | A_BOLD, 0);
            s_big(L.big_top, L.big.label_col, c->label, L.big.sx, L.big.sy, big);
            s_big(L.big_top, L.big.window_col, window, L.big.sx, L.big.sy, big);
        } else {
            s_put(L.caption_row, 1, COLS - 2, w->now_calling, s_pair(S_PAIR_HEAD) | A_BOLD, 0);
        }
        char sentence[160];
        snprintf(sentence, sizeof sentence, w->sentence_fmt, c->label, c->counter);
        if (c->green) {
            size_t len = strlen(sentence);
            snprintf(sentence + len, sizeof sentence - len, "  [%s]", w->green_lane);
        }
        s_center(L.sentence_row, 0, COLS, sentence, A_BOLD | (flash ? A_REVERSE : 0));
    }
    if (dm->link != DM_LINK_CONNECTING) {
        s_calls(f, &L, w);
        s_queues(f, &L, w);
    }
    if (f->status)
        s_put(L.status_row, 1, COLS - 2, f->status, s_pair(S_PAIR_WARN) | A_BOLD, 0);
    s_notice(f, L.notice_row);
}

static void s_counter(const view_frame_t *f, const s_words_t *w)
{
    const dm_t *dm = f->dm;
    const hq_counter_t *c = &dm->counter;
    int showing = dm->link != DM_LINK_CONNECTING && dm->link != DM_LINK_OFFLINE &&
                  dm->counter_known && (c->state == HQ_C_CALLING || c->state == HQ_C_SERVING) &&
                  c->current_label[0];
    layout_counter_t L;
    layout_counter(COLS, LINES, showing ? (int)strlen(c->current_label) : 4, &L);
    if (L.too_small) {
        s_center(LINES / 2, 0, COLS, w->too_small, A_BOLD);
        return;
    }
    char title[64];
    snprintf(title, sizeof title, w->counter_title_fmt, dm->counter_id);
    s_title(f, w, title);
    char caption[256];
    caption[0] = '\0';
    if (dm->link == DM_LINK_CONNECTING) {
        s_center(LINES / 2, 0, COLS, w->connecting, A_BOLD);
    } else if (dm->link == DM_LINK_OFFLINE) {
        s_offline_banner(1, L.caption_row, L.caption_row, w);
    } else if (!dm->counter_known) {
        snprintf(caption, sizeof caption, w->unknown_counter_fmt, dm->counter_id);
    } else if (showing) {
        int flash = dm_flash_on(dm, f->now_mono);
        attr_t big = s_pair(dm->counter_green ? S_PAIR_GREEN : S_PAIR_BIG) | A_BOLD;
        if (flash) {
            big |= A_REVERSE;
            for (int r = L.big_top; r < L.big_top + L.big.rows; r++)
                s_fill(r, 0, COLS, big);
        }
        if (L.big.sx > 0)
            s_big(L.big_top, L.big.label_col, c->current_label, L.big.sx, L.big.sy, big);
        else
            s_center(L.big_top, 0, COLS, c->current_label, big);
        if (c->state == HQ_C_CALLING)
            snprintf(caption, sizeof caption, w->calling_fmt, c->current_label);
        else
            snprintf(caption, sizeof caption, "%s %s", w->serving, c->current_label);
    } else if (c->state == HQ_C_PAUSED) {
        snprintf(caption, sizeof caption, "%s%s%s", w->paused, c->pause_reason[0] ? ": " : "",
                 c->pause_reason);
    } else if (c->state == HQ_C_CLOSED) {
        snprintf(caption, sizeof caption, "%s", w->closed);
    } else {
        snprintf(caption, sizeof caption, "%s", w->idle);
    }
    if (caption[0])
        s_center(showing ? L.caption_row : LINES / 2, 0, COLS, caption, A_BOLD);
    if (f->status)
        s_put(L.status_row, 1, COLS - 2, f->status, s_pair(S_PAIR_WARN) | A_BOLD, 0);
}

void view_draw(const view_frame_t *f)
{
    const s_words_t *w = f->lang == ANN_EN ? &s_en : &s_zh;
    erase();
    if (f->dm->mode == DM_COUNTER)
        s_counter(f, w);
    else
        s_hall(f, w);
    refresh();
}
