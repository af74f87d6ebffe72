/* layout: see layout.h. */
#include "layout.h"

#include "bigfont.h"
#include "hq_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX_SY 12

/* The group's text: label, then the arrow and the window when there is one. */
static int s_group(const char *label, const char *window, char *out, size_t outlen)
{
    int n = window && window[0] ? snprintf(out, outlen, "%s%c%s", label, BIGFONT_ARROW, window)
                                : snprintf(out, outlen, "%s", label);
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

int layout_big(int cols, int rows, const char *label, const char *window, layout_big_t *out)
{
    memset(out, 0, sizeof *out);
    char group[64], head[64];
    if (!label || !label[0] || s_group(label, window, group, sizeof group) != 0 ||
        snprintf(head, sizeof head, "%s%c", label, BIGFONT_ARROW) < 0 ||
        bigfont_width(group, 1) < 0)
        return -1;
    int has_window = window && window[0];
    for (int sy = S_MAX_SY; sy >= 1; sy--) {
        if (bigfont_height(sy) > rows)
            continue;
        for (int sx = 2 * sy; sx >= 1 && sx * 2 >= sy; sx--) {
            int width = bigfont_width(group, sx);
            if (width > cols)
                continue;
            out->sx = sx;
            out->sy = sy;
            out->rows = bigfont_height(sy);
            out->width = width;
            out->label_col = (cols - width) / 2;
            if (has_window) {
                out->arrow_col = out->label_col + bigfont_width(label, sx) + sx;
                out->window_col = out->label_col + bigfont_width(head, sx) + sx;
            }
            return 0;
        }
    }
    return -1;
}

static int s_per_row(int cols, int width)
{
    int n = width > 0 ? (cols + 1) / (width + 1) : 0;
    return n > 0 ? n : 1;
}

/* The strip in at most `room` rows (at least one). */
static void s_strip(int cols, int rows, const layout_strip_need_t *need, int room,
                    layout_hall_t *out)
{
    out->strip_pages = 1;
    if (!need || need->count < 1 || room < 1)
        return;
    int most = rows >= 20 ? (rows / 5 > 2 ? rows / 5 : 2) : rows >= 10 ? 2 : 1;
    if (most > room)
        most = room;
    int full = need->full_width <= cols ? s_per_row(cols, need->full_width) : 0;
    int full_rows = full ? (need->count + full - 1) / full : most + 1;
    int brief = s_per_row(cols, need->short_width < cols ? need->short_width : cols);
    int brief_rows = (need->count + brief - 1) / brief;
    if (full_rows <= most) {
        out->strip_per_row = full;
        out->strip_rows = full_rows;
        out->strip_width = need->full_width;
    } else {
        out->strip_short = 1;
        out->strip_per_row = brief;
        out->strip_rows = brief_rows <= most ? brief_rows : most;
        out->strip_width = need->short_width < cols ? need->short_width : cols;
        out->strip_pages = (brief_rows + most - 1) / most;
    }
    int used = out->strip_per_row * (out->strip_width + 1) - 1;
    out->strip_col = (cols - used) / 2;
}

void layout_hall(int cols, int rows, const char *label, const char *window,
                 const layout_strip_need_t *strip, layout_hall_t *out)
{
    memset(out, 0, sizeof *out);
    out->cols = cols;
    out->rows = rows;
    out->caption_row = out->strip_top = out->lists_top = out->notice_row = -1;
    if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
        out->too_small = 1;
        out->status_row = -1;
        return;
    }
    if (!label || !label[0]) {
        label = "A000";
        window = "0";
    }
    out->title_row = 0;
    int bottom = rows; /* rows from here down are taken */
    if (rows >= 8)
        out->notice_row = --bottom;
    /* A status message is rare and short-lived: on small screens it takes the notice's row
     * while it lasts. */
    out->status_row = rows >= 20 ? --bottom : out->notice_row;
    int free = bottom - 1; /* rows 1 .. bottom-1 */
    s_strip(cols, rows, strip, free - 1, out);
    free -= 1 + out->strip_rows; /* the call in words, the strip */

    /* The call gets a bit more than half of what is left, so that from across the room the
     * number is the thing one sees; the lists take the rest when they get at least their
     * headings and three rows, and a blank row parts them from the strip. */
    int caption = 0, lists = 0;
    layout_big_t big;
    memset(&big, 0, sizeof big);
    if (free - 2 - bigfont_height(1) >= LAYOUT_LISTS_MIN) {
        int budget = free * 55 / 100 - 1;
        if (budget > free - 2 - LAYOUT_LISTS_MIN)
            budget = free - 2 - LAYOUT_LISTS_MIN;
        if (layout_big(cols, budget, label, window, &big) == 0) {
            caption = 1;
            lists = free - 1 - big.rows - 1;
        }
    }
    if (!big.sx && free >= bigfont_height(1)) {
        caption = free > bigfont_height(1);
        if (layout_big(cols, free - caption, label, window, &big) != 0)
            caption = 0;
    }
    if (!big.sx) {
        caption = free >= 2;
        if (free - caption - 1 >= LAYOUT_LISTS_MIN)
            lists = free - caption - 1;
    }
    int row = 1;
    if (caption)
        out->caption_row = row++;
    out->big_top = row;
    out->big = big;
    out->big.rows = big.sx ? big.rows : 0;
    row += out->big.rows;
    out->sentence_row = row++;
    if (out->strip_rows > 0) {
        out->strip_top = row;
        row += out->strip_rows;
    }
    if (lists > 0) {
        out->lists_top = row + 1;
        out->list_rows = lists - 1;
    }
    out->calls_col = 1;
    out->calls_width = cols * 2 / 5 - 2;
    out->calls_columns = out->calls_width / 22 > 1 ? out->calls_width / 22 : 1;
    out->queues_col = cols * 2 / 5 + 1;
    out->queues_width = cols - out->queues_col - 1;
}

int layout_strip_page(const layout_hall_t *L, long long now_s)
{
    if (L->strip_pages <= 1 || now_s < 0)
        return 0;
    return (int)((now_s / LAYOUT_STRIP_PAGE_S) % L->strip_pages);
}

void layout_counter(int cols, int rows, const char *label, layout_counter_t *out)
{
    memset(out, 0, sizeof *out);
    out->cols = cols;
    out->rows = rows;
    /* The screen above a window is small: accept less than the hall's minimum. */
    if (cols < 20 || rows < 6) {
        out->too_small = 1;
        return;
    }
    out->title_row = 0;
    out->status_row = rows - 1;
    out->caption_row = rows - 2;
    int avail = out->caption_row - 2; /* a blank row above and below the glyphs */
    if (layout_big(cols - 2, avail, label, NULL, &out->big) == 0) {
        out->big.label_col += 1;
        out->big_top = 1 + (avail - out->big.rows) / 2 + 1;
    } else {
        out->big.rows = 1;
        out->big_top = rows / 2 - 1;
    }
}

int layout_marquee_period(const char *text, int width)
{
    int w = hq_text_width(text);
    return w <= width ? 0 : w + LAYOUT_MARQUEE_GAP;
}

int layout_marquee(const char *text, int width, long offset, char *out, size_t outlen)
{
    if (width < 0 || outlen < 1)
        return -1;
    int w = hq_text_width(text);
    if (w <= width) {
        /* Fits: centered and still. */
        int left = (width - w) / 2;
        if ((size_t)width + strlen(text) + 1 > outlen)
            return -1;
        memset(out, ' ', (size_t)left);
        char *end = out + left;
        end += strlen(strcpy(end, text));
        for (int c = left + w; c < width; c++)
            *end++ = ' ';
        *end = '\0';
        return width;
    }
    int period = w + LAYOUT_MARQUEE_GAP;
    offset %= period;
    if (offset < 0)
        offset += period;
    /* Two turns back to back cover any window of `width` < period columns. */
    size_t tlen = strlen(text);
    size_t looplen = 2 * (tlen + LAYOUT_MARQUEE_GAP) + 1;
    char *loop = malloc(looplen);
    char *skip = malloc(looplen);
    if (!loop || !skip) {
        free(loop);
        free(skip);
        return -1;
    }
    char *p = loop;
    for (int turn = 0; turn < 2; turn++) {
        memcpy(p, text, tlen);
        p += tlen;
        memset(p, ' ', LAYOUT_MARQUEE_GAP);
        p += LAYOUT_MARQUEE_GAP;
    }
    *p = '\0';
    /* The columns before the offset; one short means a wide character straddles it. */
    int before = hq_text_fit(loop, (int)offset, 0, skip, looplen);
    const char *rest = loop + strlen(skip);
    int lead = 0;
    if (before < offset && *rest) {
        int cw;
        char one[8];
        /* Step over the straddling character and show a blank for its visible half. */
        size_t n = 1;
        while (rest[n] && ((unsigned char)rest[n] & 0xC0) == 0x80)
            n++;
        memcpy(one, rest, n);
        one[n] = '\0';
        cw = hq_text_width(one);
        rest += n;
        lead = before + cw - (int)offset;
    }
    int rc = -1;
    if ((size_t)lead + 1 <= outlen) {
        memset(out, ' ', (size_t)lead);
        int got = hq_text_fit(rest, width - lead, 1, out + lead, outlen - (size_t)lead);
        if (got == width - lead)
            rc = width;
    }
    free(loop);
    free(skip);
    if (rc < 0)
        out[0] = '\0';
    return rc;
}
