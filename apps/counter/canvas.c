/* canvas: see canvas.h. */
#include "canvas.h"

#include "hq_text.h"
#include "hq_utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing segments ---------------------------------------------------------------------- */
/* Every text of the view is cut to its columns here, and made safe on the way: whatever the
 * daemon sent (a clerk's name, a pause reason, a service, a message) or a file held, escape
 * sequences, control characters and bytes that are not UTF-8 never reach the terminal. */
static int s_fit(const char *text, int cols, int pad, char *out, size_t outlen)
{
    char clean[HQC_VIEW_COLS_MAX * 4 + 64];
    hq_utf8_sanitise(text, strlen(text), clean, sizeof clean);
    return hq_text_fit(clean, cols, pad, out, outlen);
}

int hqc_view_put(hqc_view_t *v, int row, int col, int max, hqc_role_t role, int pad,
                 const char *text)
{
    if (row < 0 || row >= v->rows || col < 0 || col >= v->cols || max <= 0)
        return col;
    if (col + max > v->cols)
        max = v->cols - col;
    hqc_line_t *l = &v->line[row];
    size_t room = sizeof l->text - (size_t)l->used;
    if (l->nsegs >= HQC_VIEW_SEGS_MAX || room < 2)
        return col;
    char *dst = l->text + l->used;
    int w = s_fit(text, max, pad, dst, room);
    size_t len = strlen(dst);
    if (len == 0 || w == 0)
        return col;
    hqc_seg_t *sg = &l->segs[l->nsegs++];
    sg->col = (short)col;
    sg->width = (short)w;
    sg->role = (unsigned char)role;
    sg->off = (unsigned short)l->used;
    sg->len = (unsigned short)len;
    l->used += (int)len + 1;
    return col + w;
}

int hqc_canvas_put(hqc_canvas_t *cv, int row, int col, hqc_role_t role, const char *text)
{
    if (col >= cv->width)
        return col;
    if (row >= cv->limit) {
        /* Not drawn, but measured: callers place what follows by the column returned. */
        char tmp[HQC_VIEW_COLS_MAX * 4 + 1];
        return col + s_fit(text, cv->width - col, 0, tmp, sizeof tmp);
    }
    return hqc_view_put(cv->v, cv->top + row, cv->x + col, cv->width - col, role, 0, text) - cv->x;
}

int hqc_canvas_putf(hqc_canvas_t *cv, int row, int col, hqc_role_t role, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return hqc_canvas_put(cv, row, col, role, buf);
}

void hqc_canvas_hit(hqc_canvas_t *cv, int row, int col, int width, int key)
{
    if (row < 0 || row >= cv->limit || col >= cv->width)
        return;
    if (col + width > cv->width)
        width = cv->width - col;
    ui_hits_add(&cv->v->hits, cv->top + row, cv->x + col, width, key);
}

int hqc_canvas_row(hqc_canvas_t *cv)
{
    return cv->n++;
}

void hqc_view_clear_span(hqc_view_t *v, int row, int x, int width)
{
    if (row < 0 || row >= v->rows)
        return;
    hqc_line_t *l = &v->line[row];
    int keep = 0;
    for (int i = 0; i < l->nsegs; i++)
        if (l->segs[i].col < x || l->segs[i].col >= x + width)
            l->segs[keep++] = l->segs[i];
    l->nsegs = keep;
}

void hqc_canvas_wrap(hqc_canvas_t *cv, int indent, hqc_role_t role, const char *text)
{
    int cols = cv->width - indent;
    if (cols < 4)
        cols = 4;
    char piece[HQC_VIEW_COLS_MAX * 4 + 1];
    /* Made safe before it is cut, so a sequence is never split into harmless-looking
     * halves the second of which shows. */
    char *clean = hq_utf8_sanitise_dup(text);
    if (!clean)
        return;
    text = clean;
    while (*text) {
        hq_text_fit(text, cols, 0, piece, sizeof piece);
        size_t used = strlen(piece);
        if (used == 0)
            used = 1; /* a character wider than the space: skip it rather than loop */
        hqc_canvas_put(cv, hqc_canvas_row(cv), indent, role, piece);
        text += used;
    }
    free(clean);
}

/* ---- reading a view back (tests, debugging) ---------------------------------------------- */
int hqc_view_plain(const hqc_view_t *v, int row, char *out, size_t outlen)
{
    if (outlen == 0)
        return 0;
    out[0] = '\0';
    if (row < 0 || row >= v->rows)
        return 0;
    const hqc_line_t *l = &v->line[row];
    /* Place segments in column order; gaps become spaces. */
    int order[HQC_VIEW_SEGS_MAX];
    for (int i = 0; i < l->nsegs; i++)
        order[i] = i;
    for (int i = 1; i < l->nsegs; i++)
        for (int j = i; j > 0 && l->segs[order[j]].col < l->segs[order[j - 1]].col; j--) {
            int tmp = order[j];
            order[j] = order[j - 1];
            order[j - 1] = tmp;
        }
    size_t used = 0;
    int col = 0;
    for (int i = 0; i < l->nsegs; i++) {
        const hqc_seg_t *sg = &l->segs[order[i]];
        while (col < sg->col && used + 1 < outlen) {
            out[used++] = ' ';
            col++;
        }
        if (used + sg->len + 1 > outlen)
            break;
        memcpy(out + used, l->text + sg->off, sg->len);
        used += sg->len;
        col = sg->col + sg->width;
    }
    while (used > 0 && out[used - 1] == ' ')
        used--;
    out[used] = '\0';
    return (int)used;
}

int hqc_view_find(const hqc_view_t *v, const char *needle, hqc_role_t *role)
{
    char buf[HQC_VIEW_COLS_MAX * 4 + 64];
    for (int r = 0; r < v->rows; r++) {
        hqc_view_plain(v, r, buf, sizeof buf);
        const char *hit = strstr(buf, needle);
        if (!hit)
            continue;
        if (role) {
            /* Column of the hit: the width of the text before it. */
            char before[sizeof buf];
            size_t n = (size_t)(hit - buf);
            memcpy(before, buf, n);
            before[n] = '\0';
            *role = hqc_view_role_at(v, r, hq_text_width(before));
        }
        return r;
    }
    return -1;
}

int hqc_view_key_at(const hqc_view_t *v, int row, int col)
{
    return ui_hits_find(&v->hits, row, col);
}

hqc_role_t hqc_view_role_at(const hqc_view_t *v, int row, int col)
{
    if (row < 0 || row >= v->rows)
        return HQC_R_COUNT_;
    const hqc_line_t *l = &v->line[row];
    for (int i = 0; i < l->nsegs; i++)
        if (col >= l->segs[i].col && col < l->segs[i].col + l->segs[i].width)
            return (hqc_role_t)l->segs[i].role;
    return HQC_R_COUNT_;
}
