/* layout: see layout.h. */
#include "layout.h"

#include "bigfont.h"
#include "hq_text.h"

#include <stdlib.h>
#include <string.h>

#define S_MAX_SY 12

int layout_big(int cols, int rows, int label_chars, int window_chars, layout_big_t *out)
{
    memset(out, 0, sizeof *out);
    if (label_chars < 1)
        return -1;
    for (int sy = S_MAX_SY; sy >= 1; sy--) {
        if (bigfont_height(sy) > rows)
            continue;
        for (int sx = 2 * sy; sx >= 1 && sx * 2 >= sy; sx--) {
            int gap = window_chars > 0 ? 3 * sx : 0;
            int width = bigfont_width(label_chars, sx) + gap + bigfont_width(window_chars, sx);
            if (width > cols)
                continue;
            out->sx = sx;
            out->sy = sy;
            out->rows = bigfont_height(sy);
            out->width = width;
            out->label_col = (cols - width) / 2;
            out->window_col = out->label_col + bigfont_width(label_chars, sx) + gap;
            return 0;
        }
    }
    return -1;
}

void layout_hall(int cols, int rows, int label_chars, int window_chars, layout_hall_t *out)
{
    memset(out, 0, sizeof *out);
    out->cols = cols;
    out->rows = rows;
    if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
        out->too_small = 1;
        return;
    }
    out->title_row = 0;
    out->notice_row = rows - 1;
    out->status_row = rows - 2;
    /* Rows 1 .. rows-3 are shared: a bit more than half for the call, so that from across
     * the room the number is the thing one sees; the lists keep at least four rows. */
    int shared = rows - 3;
    int budget = shared * 55 / 100 - 2;
    if (budget > shared - 2 - 6)
        budget = shared - 2 - 6;
    out->caption_row = 1;
    out->big_top = 2;
    if (layout_big(cols - 2, budget, label_chars, window_chars, &out->big) == 0) {
        out->big.label_col += 1;
        out->big.window_col += 1;
    } else {
        out->big.rows = 1; /* plain text on one row */
    }
    out->sentence_row = out->big_top + out->big.rows;
    out->lists_top = out->sentence_row + 2;
    out->list_rows = out->status_row - out->lists_top - 1;
    if (out->list_rows < 1)
        out->list_rows = 1;
    out->calls_col = 1;
    out->calls_width = cols * 2 / 5 - 2;
    out->calls_columns = out->calls_width / 22 > 1 ? out->calls_width / 22 : 1;
    out->queues_col = cols * 2 / 5 + 1;
    out->queues_width = cols - out->queues_col - 1;
}

void layout_counter(int cols, int rows, int label_chars, layout_counter_t *out)
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
    if (layout_big(cols - 2, avail, label_chars, 0, &out->big) == 0) {
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
