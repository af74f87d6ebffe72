/* view_widgets: what the kiosk's pages are drawn with - text cut and sanitised, centred
 * lines and paragraphs, touch targets, the button bar, lists, keypads and form fields (see
 * view_internal.h). */
#include "view_internal.h"

#include "escpos.h"
#include "hq_text.h"
#include "hq_utf8.h"
#include "kiosk_texts.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define S_SLOT_MAX 5    /* rows a list row or a key takes at most */
#define S_BUTTON_MAX 28 /* columns a bar button takes at most */
#define S_KEY_MAX 12    /* columns a keypad key takes at most */

/* Puts text at a row from a column, cut to the screen's width. Every text of the page comes
 * through here and is sanitised on the way (hq_utf8_sanitise): a hall, queue or service
 * name, a material or a refusal that hallqd (or the kept ticket's file) carried with an
 * escape sequence or a control character cannot drive the kiosk's terminal. kv_center and
 * kv_paragraph sanitise before they measure or wrap, so that they measure what is drawn.
 * `width` (> 0) cuts it narrower than the screen. */
static void s_put_in(kiosk_view_t *v, int row, int col, int width, kiosk_role_t role,
                     const char *text)
{
    if (row < 0 || row >= v->rows || col >= v->cols || !text || v->npieces >= KIOSK_VIEW_PIECES_MAX)
        return;
    kiosk_piece_t *p = &v->piece[v->npieces];
    char clean[sizeof p->text];
    if (hq_utf8_sanitise(text, strlen(text), clean, sizeof clean) == 0)
        return;
    if (col < 0)
        col = 0;
    int room = v->cols - col;
    if (width > 0 && width < room)
        room = width;
    p->width = (short)hq_text_fit(clean, room, 0, p->text, sizeof p->text);
    if (p->width <= 0)
        return;
    p->row = (short)row;
    p->col = (short)col;
    p->role = (unsigned char)role;
    v->npieces++;
}

void kv_put(kiosk_view_t *v, int row, int col, kiosk_role_t role, const char *text)
{
    s_put_in(v, row, col, 0, role, text);
}

void kv_putf(kiosk_view_t *v, int row, int col, kiosk_role_t role, const char *fmt, ...)
{
    char buf[KIOSK_VIEW_COLS_MAX * 3 + 1];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    kv_put(v, row, col, role, buf);
}

/* Text centred between col and col + width. */
static void s_center_in(kiosk_view_t *v, int row, int col, int width, kiosk_role_t role,
                        const char *text)
{
    char clean[KIOSK_VIEW_COLS_MAX * 3 + 1];
    hq_utf8_sanitise(text, strlen(text), clean, sizeof clean);
    int w = hq_text_width(clean);
    s_put_in(v, row, w < width ? col + (width - w) / 2 : col, width, role, clean);
}

void kv_center(kiosk_view_t *v, int row, kiosk_role_t role, const char *text)
{
    s_center_in(v, row, 0, v->cols, role, text);
}

int kv_paragraph(kiosk_view_t *v, int row, int indent, kiosk_role_t role, const char *text,
                 int last_row)
{
    escpos_lines_t lines;
    int width = v->cols - indent - 2;
    char *clean = width < 4 ? NULL : hq_utf8_sanitise_dup(text);
    if (!clean || escpos_wrap(clean, width, &lines, NULL) != 0) {
        free(clean);
        return row;
    }
    for (size_t i = 0; i < lines.count && row <= last_row; i++)
        kv_put(v, row++, indent, role, lines.line[i]);
    escpos_lines_clear(&lines);
    free(clean);
    return row;
}

/* A touch target, with its label centred on its middle row. */
static void s_target(kiosk_view_t *v, int row, int col, int rows, int cols, kiosk_role_t role,
                     int key, const char *label)
{
    if (rows < 1 || cols < 1 || row >= v->rows || col >= v->cols ||
        v->ntargets >= KIOSK_VIEW_TARGETS_MAX)
        return;
    if (row + rows > v->rows)
        rows = v->rows - row;
    if (col + cols > v->cols)
        cols = v->cols - col;
    v->target[v->ntargets++] = (kiosk_target_t){(short)row,  (short)col,          (short)rows,
                                                (short)cols, (unsigned char)role, key};
    if (label)
        s_center_in(v, row + (rows - 1) / 2, col, cols, role, label);
}

/* A target whose text starts at its left (a list row), rather than centred. */
static void s_target_left(kiosk_view_t *v, int row, int col, int rows, int cols, kiosk_role_t role,
                          int key, const char *label)
{
    s_target(v, row, col, rows, cols, role, key, NULL);
    s_put_in(v, row + (rows - 1) / 2, col + 2, cols - 3, role, label);
}

void kv_bar_add(kv_ctx_t *c, kiosk_text_t label, int key, kiosk_role_t role)
{
    if (c->nbar < KV_BAR_MAX)
        c->bar[c->nbar++] = (kv_button_t){label, key, (unsigned char)role};
}

void kv_bar(kv_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    if (c->nbar == 0)
        return;
    int gap = 2, w = (v->cols - 4 - gap * (c->nbar - 1)) / c->nbar;
    if (w > S_BUTTON_MAX)
        w = S_BUTTON_MAX;
    if (w < 4)
        w = 4;
    int total = c->nbar * w + gap * (c->nbar - 1);
    int col = total < v->cols ? (v->cols - total) / 2 : 0;
    for (int i = 0; i < c->nbar; i++, col += w + gap)
        s_target(v, c->bar_top, col, c->bar_rows, w, (kiosk_role_t)c->bar[i].role, c->bar[i].key,
                 KV_TR(c, c->bar[i].label));
}

void kv_list(kv_ctx_t *c, int top, int bottom, const char *const *items, int n)
{
    kiosk_view_t *v = c->v;
    int avail = bottom - top + 1;
    if (n <= 0 || avail < 1)
        return;
    int ncols = v->cols >= 90 && n > 4 ? 2 : 1;
    int per_col = (n + ncols - 1) / ncols;
    int slot = avail / per_col;
    int per_page = n;
    if (slot < 2) {
        /* Too many for the room: pages of rows two high (one when even that is too much). */
        slot = avail >= 2 ? 2 : 1;
        per_page = (avail / slot) * ncols;
        if (per_page < 1)
            per_page = 1;
        per_col = (per_page + ncols - 1) / ncols;
    }
    if (slot > S_SLOT_MAX)
        slot = S_SLOT_MAX;
    int box = slot >= 3 ? slot - 1 : slot; /* a blank row between rows when there is room */
    int cursor = c->s->cursor < n ? c->s->cursor : n - 1;
    int first = (cursor / per_page) * per_page;
    int width = ncols == 2 ? (v->cols - 6) / 2 : v->cols - 4;
    for (int i = first; i < n && i < first + per_page; i++) {
        int k = i - first, col = 2 + (k / per_col) * (width + 2), row = top + (k % per_col) * slot;
        s_target_left(v, row, col, box, width, i == cursor ? KIOSK_R_SELECTED : KIOSK_R_BUTTON,
                      KIOSK_KEY_PICK + i, items[i]);
    }
    if (first > 0)
        kv_bar_add(c, KT_BTN_PREV, KIOSK_KEY_GOTO + (first - per_page), KIOSK_R_BUTTON);
    if (first + per_page < n)
        kv_bar_add(c, KT_BTN_NEXT, KIOSK_KEY_GOTO + first + per_page, KIOSK_R_BUTTON);
}

void kv_keypad(kv_ctx_t *c, int top, int bottom, const kv_key_t *const *rows, const int *counts,
               int nrows)
{
    kiosk_view_t *v = c->v;
    int widest = 0;
    for (int r = 0; r < nrows; r++)
        widest = counts[r] > widest ? counts[r] : widest;
    int avail = bottom - top + 1;
    if (widest == 0 || avail < nrows)
        return;
    int slot = avail / nrows;
    if (slot > 4)
        slot = 4;
    int box = slot >= 2 ? slot - 1 : 1;
    int w = (v->cols - 4 - (widest - 1)) / widest;
    if (w > S_KEY_MAX)
        w = S_KEY_MAX;
    for (int r = 0; r < nrows; r++) {
        int total = counts[r] * w + (counts[r] - 1);
        int col = (v->cols - total) / 2;
        for (int k = 0; k < counts[r]; k++, col += w + 1) {
            const kv_key_t *key = &rows[r][k];
            s_target(v, top + r * slot, col, box, w, KIOSK_R_BUTTON, key->key,
                     key->label ? key->label : KV_TR(c, key->text));
        }
    }
}

int kv_chars(kv_key_t *out, const char *chars)
{
    static char labels[128][2];
    int n = 0;
    for (const char *p = chars; *p; p++, n++) {
        unsigned char ch = (unsigned char)*p;
        labels[ch & 0x7f][0] = (char)ch;
        labels[ch & 0x7f][1] = '\0';
        out[n] = (kv_key_t){labels[ch & 0x7f], KT_NONE, ch};
    }
    return n;
}

void kv_keyboard(kv_ctx_t *c, int top, int bottom, int upper)
{
    kv_key_t r0[10], r1[10], r2[10], r3[8];
    int n[4];
    n[0] = kv_chars(r0, "1234567890");
    n[1] = kv_chars(r1, upper ? "QWERTYUIOP" : "qwertyuiop");
    n[2] = kv_chars(r2, upper ? "ASDFGHJKL" : "asdfghjkl");
    n[3] = kv_chars(r3, upper ? "ZXCVBNM" : "zxcvbnm");
    r3[n[3]++] = (kv_key_t){NULL, KT_BTN_DELETE, KIOSK_KEY_BACKSPACE};
    const kv_key_t *rows[] = {r0, r1, r2, r3};
    kv_keypad(c, top, bottom, rows, n, 4);
}

void kv_field(kv_ctx_t *c, int row, int index, int focused, kiosk_text_t label, const char *text,
              int stars)
{
    kiosk_view_t *v = c->v;
    char shown[64];
    size_t n = strlen(text);
    if (stars) {
        memset(shown, '*', n < sizeof shown ? n : sizeof shown - 1);
        shown[n < sizeof shown ? n : sizeof shown - 1] = '\0';
    } else {
        hq_strlcpy(shown, text, sizeof shown);
    }
    char line[96];
    snprintf(line, sizeof line, "%s%s", shown, focused ? "_" : "");
    kv_put(v, row, 4, focused ? KIOSK_R_STRONG : KIOSK_R_TEXT, KV_TR(c, label));
    int col = 4 + hq_text_width(KV_TR(c, label)) + 2;
    s_target(v, row, col, 1, v->cols - col - 4 > 10 ? v->cols - col - 4 : 10, KIOSK_R_INPUT,
             KIOSK_KEY_FIELD + index, NULL);
    kv_put(v, row, col + 1, KIOSK_R_INPUT, line);
}
