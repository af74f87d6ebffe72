/* view: see view.h.
 *
 * Every page has the same frame: the title on row 0 over a rule of ASCII dashes (line
 * drawing characters are ambiguous in width), the page from row 3, the message line above the
 * button bar, and the bar at the bottom: the page's actions as buttons three rows high, each
 * labelled with its key too ("返回 Esc"), for a keyboard as for a finger. */
#include "view.h"

#include "escpos.h"
#include "hq_text.h"
#include "hq_utf8.h"
#include "kiosk_texts.h"
#include "record.h"
#include "ui_curses.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_TOP 3         /* first row of a page */
#define S_SLOT_MAX 5    /* rows a list row or a key takes at most */
#define S_BUTTON_MAX 28 /* columns a bar button takes at most */
#define S_KEY_MAX 12    /* columns a keypad key takes at most */
#define S_BAR_MAX 6     /* buttons in the bar */

/* A button of the bar. */
typedef struct {
    kiosk_text_t label;
    int key;
    unsigned char role;
} s_button_t;

typedef struct {
    kiosk_view_t *v;
    const kiosk_session_t *s;
    int bar_top;  /* first row of the bar */
    int bar_rows; /* its height */
    int note_row; /* the message line */
    int bottom;   /* the last row a page may use */
    s_button_t bar[S_BAR_MAX];
    int nbar;
} s_ctx_t;

static const char *s_tr(const s_ctx_t *c, kiosk_text_t id)
{
    return kiosk_tr(c->s->lang, id);
}

/* Puts text at a row from a column, cut to the screen's width. Every text of the page comes
 * through here and is sanitised on the way (hq_utf8_sanitise): a hall, queue or service
 * name, a material or a refusal that hallqd (or the kept ticket's file) carried with an
 * escape sequence or a control character cannot drive the kiosk's terminal. s_center and
 * s_paragraph sanitise before they measure or wrap, so that they measure what is drawn.
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

static void s_put(kiosk_view_t *v, int row, int col, kiosk_role_t role, const char *text)
{
    s_put_in(v, row, col, 0, role, text);
}

static void s_putf(kiosk_view_t *v, int row, int col, kiosk_role_t role, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void s_putf(kiosk_view_t *v, int row, int col, kiosk_role_t role, const char *fmt, ...)
{
    char buf[KIOSK_VIEW_COLS_MAX * 3 + 1];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    s_put(v, row, col, role, buf);
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

static void s_center(kiosk_view_t *v, int row, kiosk_role_t role, const char *text)
{
    s_center_in(v, row, 0, v->cols, role, text);
}

/* Word-wrapped text from `row`, indented, down to last_row; returns the next free row. */
static int s_paragraph(kiosk_view_t *v, int row, int indent, kiosk_role_t role, const char *text,
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
        s_put(v, row++, indent, role, lines.line[i]);
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

/* Adds a button to the bar (laid out by s_bar, once the page knows all of them). */
static void s_bar_add(s_ctx_t *c, kiosk_text_t label, int key, kiosk_role_t role)
{
    if (c->nbar < S_BAR_MAX)
        c->bar[c->nbar++] = (s_button_t){label, key, (unsigned char)role};
}

/* The bar: its buttons side by side, as wide as the screen lets them, centred. */
static void s_bar(s_ctx_t *c)
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
                 s_tr(c, c->bar[i].label));
}

/* A list of rows to choose from, as large touch targets between top and bottom: two
 * columns on a wide screen, each row up to S_SLOT_MAX rows high with a blank row between
 * them. A list longer than the room is shown a page at a time, the cursor's, with page
 * buttons in the bar. Row i is tapped as KIOSK_KEY_PICK + i. */
static void s_list(s_ctx_t *c, int top, int bottom, const char *const *items, int n)
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
        s_bar_add(c, KT_BTN_PREV, KIOSK_KEY_GOTO + (first - per_page), KIOSK_R_BUTTON);
    if (first + per_page < n)
        s_bar_add(c, KT_BTN_NEXT, KIOSK_KEY_GOTO + first + per_page, KIOSK_R_BUTTON);
}

/* One key of a keypad: its label and the key it types. */
typedef struct {
    const char *label; /* NULL: the text of `text` */
    kiosk_text_t text;
    int key;
} s_key_t;

/* A keypad: rows of keys between top and bottom, each key as large as the room allows. */
static void s_keypad(s_ctx_t *c, int top, int bottom, const s_key_t *const *rows, const int *counts,
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
            const s_key_t *key = &rows[r][k];
            s_target(v, top + r * slot, col, box, w, KIOSK_R_BUTTON, key->key,
                     key->label ? key->label : s_tr(c, key->text));
        }
    }
}

/* Keys typing the characters of `chars`, one each. */
static int s_chars(s_key_t *out, const char *chars)
{
    static char labels[128][2];
    int n = 0;
    for (const char *p = chars; *p; p++, n++) {
        unsigned char ch = (unsigned char)*p;
        labels[ch & 0x7f][0] = (char)ch;
        labels[ch & 0x7f][1] = '\0';
        out[n] = (s_key_t){labels[ch & 0x7f], KT_NONE, ch};
    }
    return n;
}

/* A keyboard for names and numbers: digits, then letters (lower case for names, upper case
 * for ticket numbers), and Delete. */
static void s_keyboard(s_ctx_t *c, int top, int bottom, int upper)
{
    s_key_t r0[10], r1[10], r2[10], r3[8];
    int n[4];
    n[0] = s_chars(r0, "1234567890");
    n[1] = s_chars(r1, upper ? "QWERTYUIOP" : "qwertyuiop");
    n[2] = s_chars(r2, upper ? "ASDFGHJKL" : "asdfghjkl");
    n[3] = s_chars(r3, upper ? "ZXCVBNM" : "zxcvbnm");
    r3[n[3]++] = (s_key_t){NULL, KT_BTN_DELETE, KIOSK_KEY_BACKSPACE};
    const s_key_t *rows[] = {r0, r1, r2, r3};
    s_keypad(c, top, bottom, rows, n, 4);
}

/* A field being typed: its label, then its text (or stars) in the input role; a tap on it
 * makes it the one typed (KIOSK_KEY_FIELD + index). */
static void s_field(s_ctx_t *c, int row, int index, int focused, kiosk_text_t label,
                    const char *text, int stars)
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
    s_put(v, row, 4, focused ? KIOSK_R_STRONG : KIOSK_R_TEXT, s_tr(c, label));
    int col = 4 + hq_text_width(s_tr(c, label)) + 2;
    s_target(v, row, col, 1, v->cols - col - 4 > 10 ? v->cols - col - 4 : 10, KIOSK_R_INPUT,
             KIOSK_KEY_FIELD + index, NULL);
    s_put(v, row, col + 1, KIOSK_R_INPUT, line);
}

/* ---- pages ---------------------------------------------------------------------------------- */

/* The kiosk is paused (hallqd cannot be reached, or gives no catalog): said up front, in
 * words for citizens; the technical reason is the staff's. */
static void s_offline(s_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    const kiosk_session_t *s = c->s;
    int first = !s->have_cat && !s->down && !s->fault[0];
    int row = S_TOP + 2;
    s_center(v, row, first ? KIOSK_R_STRONG : KIOSK_R_ERROR,
             s_tr(c, first ? KT_CONNECTING : KT_PAUSED_TITLE));
    if (!first)
        s_paragraph(v, row + 2, 4, KIOSK_R_TEXT, s_tr(c, KT_PAUSED), c->bottom);
    s_bar_add(c, KT_BTN_STAFF, KIOSK_KEY_STAFF, KIOSK_R_BUTTON);
}

static void s_queues(s_ctx_t *c)
{
    char items[KIOSK_LIST_MAX][160];
    const char *ptrs[KIOSK_LIST_MAX];
    const catalog_t *cat = &c->s->cat;
    int n = 0;
    for (; (size_t)n < cat->nqueues && n < KIOSK_LIST_MAX; n++) {
        snprintf(items[n], sizeof items[n], "%d  %c  %s", n + 1, cat->queue[n].prefix,
                 cat->queue[n].name);
        ptrs[n] = items[n];
    }
    if (c->s->staff_green) {
        s_put(c->v, S_TOP, 2, KIOSK_R_GREEN, s_tr(c, KT_STAFF_GREEN_TITLE));
        s_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    }
    s_put(c->v, S_TOP + (c->s->staff_green ? 1 : 0), 2, KIOSK_R_STRONG, s_tr(c, KT_CHOOSE_QUEUE));
    s_list(c, S_TOP + 2, c->bottom, ptrs, n);
    if (!c->s->staff_green) {
        s_bar_add(c, KT_BTN_CHECK_IN, 'y', KIOSK_R_BUTTON);
        s_bar_add(c, KT_BTN_STAFF, KIOSK_KEY_STAFF, KIOSK_R_BUTTON);
    }
}

static void s_services(s_ctx_t *c)
{
    char items[KIOSK_LIST_MAX][160];
    const char *ptrs[KIOSK_LIST_MAX];
    const catalog_service_t *svc[KIOSK_LIST_MAX];
    int n = kiosk_session_services(c->s, svc, KIOSK_LIST_MAX);
    for (int i = 0; i < n; i++) {
        snprintf(items[i], sizeof items[i], "%d  %s", i,
                 svc[i] ? svc[i]->sub_item : s_tr(c, KT_NO_SERVICE));
        ptrs[i] = items[i];
    }
    s_putf(c->v, S_TOP, 2, KIOSK_R_STRONG, "%c  %s    %s", c->s->queue,
           kiosk_session_queue_name(c->s), s_tr(c, KT_CHOOSE_SERVICE));
    s_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    s_list(c, S_TOP + 2, c->bottom, ptrs, n);
}

/* The choice, the materials to bring and the green lane. */
static void s_confirm(s_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    const kiosk_session_t *s = c->s;
    const catalog_service_t *svc = kiosk_session_service(s);
    int row = S_TOP, last_row = c->bottom - 1;
    s_putf(v, row++, 2, KIOSK_R_STRONG, "%c  %s", s->queue, kiosk_session_queue_name(s));
    if (svc)
        s_put(v, row++, 5, KIOSK_R_STRONG, svc->sub_item);
    row++;
    if (svc && svc->nmaterials > 0) {
        s_put(v, row++, 2, KIOSK_R_TEXT, s_tr(c, KT_MATERIALS));
        for (size_t i = 0; i < svc->nmaterials && row <= last_row; i++) {
            char line[600];
            snprintf(line, sizeof line, "%zu. %s", i + 1, svc->materials[i]);
            row = s_paragraph(v, row, 4, KIOSK_R_TEXT, line, last_row);
        }
    } else {
        row = s_paragraph(v, row, 2, KIOSK_R_TEXT, s_tr(c, KT_NO_MATERIALS), last_row);
    }
    row = row < c->bottom ? row + 1 : c->bottom;
    if (s->green || s->staff_green)
        s_put(v, row, 2, KIOSK_R_GREEN, s_tr(c, KT_GREEN_ON));
    else
        s_put(v, row, 2, KIOSK_R_TEXT, s_tr(c, KT_GREEN_OFF));
    if (s->state == KIOSK_S_ISSUING)
        return;
    s_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    if (!s->staff_green) {
        /* After the ID check said "under the age" the citizen cannot set it: staff can. */
        if (!s->green_locked)
            s_bar_add(c, KT_BTN_GREEN, 'g', KIOSK_R_GREEN);
        s_bar_add(c, KT_BTN_ID, 'i', KIOSK_R_BUTTON);
    }
    s_bar_add(c, s->staff_green ? KT_BTN_NEXT_STEP : KT_BTN_TAKE, KIOSK_KEY_ENTER,
              KIOSK_R_SELECTED);
}

static void s_id_entry(s_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    const kiosk_session_t *s = c->s;
    s_put(v, S_TOP, 2, KIOSK_R_STRONG, s_tr(c, KT_ID_PROMPT));
    /* Masked but for the last four characters: a kiosk screen is seen by the queue. */
    char field[HQ_ID_NUMBER_LEN + 1];
    for (size_t i = 0; i < HQ_ID_NUMBER_LEN; i++)
        field[i] = i < s->id_len ? (i + 4 >= s->id_len ? s->id[i] : '*') : '_';
    field[HQ_ID_NUMBER_LEN] = '\0';
    s_put(v, S_TOP + 1, 4, KIOSK_R_INPUT, field);
    char line[300];
    snprintf(line, sizeof line, s_tr(c, KT_ID_PRIVACY), s->cat.elderly_age);
    s_put(v, S_TOP + 2, 4, KIOSK_R_DIM, line);
    s_key_t r0[3], r1[3], r2[3], r3[3];
    int n[4] = {s_chars(r0, "123"), s_chars(r1, "456"), s_chars(r2, "789"), 0};
    n[3] = s_chars(r3, "X0");
    r3[n[3]++] = (s_key_t){NULL, KT_BTN_DELETE, KIOSK_KEY_BACKSPACE};
    const s_key_t *rows[] = {r0, r1, r2, r3};
    s_keypad(c, S_TOP + 4, c->bottom, rows, n, 4);
    s_bar_add(c, KT_BTN_CANCEL, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    s_bar_add(c, KT_BTN_CONFIRM, KIOSK_KEY_ENTER, KIOSK_R_SELECTED);
}

/* The number as a reversed block, its letters spaced out to read from a step away (made
 * safe before it is spaced out: a sequence spread over spaces would no longer be one). */
static int s_number(kiosk_view_t *v, int row, const char *label)
{
    char big[64] = "  ", pad[64], clean[HQ_LABEL_MAX * 3];
    size_t o = 2;
    hq_utf8_sanitise(label, strlen(label), clean, sizeof clean);
    for (const char *p = clean; *p && o + 6 < sizeof big; p++) {
        big[o++] = *p;
        if (((unsigned char)p[1] & 0xC0) != 0x80) /* not inside a character */
            big[o++] = ' ';
    }
    big[o++] = ' ';
    big[o] = '\0';
    memset(pad, ' ', o);
    pad[o] = '\0';
    s_center(v, row++, KIOSK_R_NUMBER, pad);
    s_center(v, row++, KIOSK_R_NUMBER, big);
    s_center(v, row++, KIOSK_R_NUMBER, pad);
    return row;
}

/* The ticket and how printing went (or that it is printing now). A failed print is told in
 * plain words: the printer's device and its error are the staff's. */
static void s_result(s_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    const kiosk_session_t *s = c->s;
    record_info_t info;
    char why[200], line[600];
    int row = S_TOP, last_row = c->bottom;
    if (!s->last || record_info(s->last, &info, why, sizeof why) != 0)
        return;
    s_center(v, row++, KIOSK_R_TEXT, s_tr(c, KT_YOUR_NUMBER));
    row = s_number(v, row + 1, info.ticket.label) + 1;
    if (info.ticket.green)
        s_center(v, row++, KIOSK_R_GREEN, s_tr(c, KT_GREEN_MARK));
    if (info.slot[0]) {
        snprintf(line, sizeof line, s_tr(c, KT_SLOT), info.slot);
        s_center(v, row++, KIOSK_R_STRONG, line);
    }
    snprintf(line, sizeof line, "%s%s%s", info.queue_name, info.service_name[0] ? "  " : "",
             info.service_name);
    s_center(v, row++, KIOSK_R_TEXT, line);
    if (info.ahead >= 0 && !s->reprinted) {
        snprintf(line, sizeof line, s_tr(c, KT_AHEAD), info.ahead);
        s_center(v, row++, KIOSK_R_TEXT, line);
    }
    if (!s->reprinted && info.est_wait_min == 0) {
        s_center(v, row++, KIOSK_R_TEXT, s_tr(c, KT_WAIT_UNDER));
    } else if (!s->reprinted && info.est_wait_min > 0) {
        snprintf(line, sizeof line, s_tr(c, KT_WAIT), info.est_wait_min);
        s_center(v, row++, KIOSK_R_TEXT, line);
    }
    row++;
    if (s->state == KIOSK_S_PRINTING) {
        s_center(v, row, KIOSK_R_STRONG, s_tr(c, KT_PRINTING));
        return;
    }
    int may = kiosk_session_may_reprint(s);
    if (s->printed_ok) {
        s_center(v, row++, KIOSK_R_STRONG, s_tr(c, s->reprinted ? KT_REPRINTED : KT_PRINTED));
    } else {
        row = s_paragraph(v, row, 2, KIOSK_R_ERROR, s_tr(c, KT_PRINT_FAILED), last_row);
        row = s_paragraph(v, row, 2, KIOSK_R_STRONG,
                          s_tr(c, may ? KT_PRINT_HINT : KT_PRINT_HINT_DESK), last_row);
        if (kiosk_session_staff(s)) /* staff see which printer and why */
            row = s_paragraph(v, row, 2, KIOSK_R_DIM, s->print_error, last_row);
    }
    if (s->extra[0])
        s_paragraph(v, row, 2, KIOSK_R_DIM, s->extra, last_row);
    if (may)
        s_bar_add(c, KT_BTN_REPRINT, 'r', KIOSK_R_BUTTON);
    s_bar_add(c, KT_BTN_DONE, KIOSK_KEY_ENTER, KIOSK_R_SELECTED);
}

/* Staff sign-in, also the exit prompt: the name and the PIN, or, where the hall has no
 * roster, how a hall sets staff PINs (and exit keys) up. */
static void s_sign_in(s_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    const kiosk_session_t *s = c->s;
    int row = S_TOP;
    s_put(v, row++, 2, KIOSK_R_STRONG, s_tr(c, s->exit_asked ? KT_EXIT_TITLE : KT_STAFF_TITLE));
    if (s->exit_asked)
        row = s_paragraph(v, row, 2, KIOSK_R_TEXT, s_tr(c, KT_EXIT_EXPLAIN), c->bottom);
    s_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    if (!s->have_cat || !s->cat.roster) {
        row++;
        row = s_paragraph(v, row, 2, KIOSK_R_TEXT,
                          s_tr(c, !s->have_cat ? KT_STAFF_OFFLINE : KT_STAFF_NEEDS_ROSTER),
                          c->bottom);
        if (s->have_cat && s->nexit_keys == 0)
            row = s_paragraph(v, row, 2, KIOSK_R_DIM, s_tr(c, KT_EXIT_HOWTO), c->bottom);
        else if (s->nexit_keys)
            row = s_paragraph(v, row, 2, KIOSK_R_DIM, s_tr(c, KT_EXIT_KEYS_SET), c->bottom);
        if (s->fault[0])
            s_paragraph(v, row, 2, KIOSK_R_DIM, s->fault, c->bottom);
        return;
    }
    if (s->nexit_keys && s->exit_asked)
        row = s_paragraph(v, row, 2, KIOSK_R_DIM, s_tr(c, KT_EXIT_KEYS_SET), c->bottom);
    row++;
    s_field(c, row++, 0, s->field == 0, KT_STAFF_NAME, s->form_clerk, 0);
    s_field(c, row++, 1, s->field == 1, KT_STAFF_PIN, s->form_pin, 1);
    s_keyboard(c, row + 1, c->bottom, 0);
    s_bar_add(c, s->field == 0 ? KT_BTN_NEXT_FIELD : KT_BTN_SIGN_IN, KIOSK_KEY_ENTER,
              KIOSK_R_SELECTED);
}

/* Staff mode: what staff may do here, who is signed in, and the technical state. */
static void s_staff(s_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    const kiosk_session_t *s = c->s;
    static const kiosk_text_t items[KIOSK_STAFF_ITEMS] = {
        KT_STAFF_ITEM_REPRINT, KT_STAFF_ITEM_REACTIVATE, KT_STAFF_ITEM_GREEN, KT_STAFF_ITEM_EXIT};
    char texts[KIOSK_STAFF_ITEMS][200];
    const char *ptrs[KIOSK_STAFF_ITEMS];
    for (int i = 0; i < KIOSK_STAFF_ITEMS; i++) {
        snprintf(texts[i], sizeof texts[i], "%d  %s", i + 1, s_tr(c, items[i]));
        ptrs[i] = texts[i];
    }
    s_putf(v, S_TOP, 2, KIOSK_R_STRONG, s_tr(c, KT_STAFF_MENU), s->staff_clerk);
    s_putf(v, S_TOP + 1, 2, KIOSK_R_DIM, s_tr(c, KT_STAFF_INFO), s->endpoint,
           KIOSK_STAFF_IDLE_MS / 1000);
    int top = S_TOP + 3;
    if (s->fault[0]) {
        s_putf(v, S_TOP + 2, 2, KIOSK_R_DIM, s_tr(c, KT_STAFF_FAULT), s->fault);
        top++;
    }
    s_list(c, top, c->bottom, ptrs, KIOSK_STAFF_ITEMS);
    s_bar_add(c, KT_BTN_END_STAFF, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
}

/* Today's tickets printed here, newest first. */
static void s_staff_reprint(s_ctx_t *c)
{
    const json_t *printed[KIOSK_LIST_MAX];
    char items[KIOSK_LIST_MAX][200];
    const char *ptrs[KIOSK_LIST_MAX];
    int n = kiosk_session_printed_today(c->s, printed, KIOSK_LIST_MAX);
    for (int i = 0; i < n; i++) {
        record_info_t info;
        char why[128], at[8] = "";
        if (record_info(printed[i], &info, why, sizeof why) != 0) {
            snprintf(items[i], sizeof items[i], "?");
        } else {
            time_t secs = (time_t)(info.ticket.issued_ms / 1000);
            struct tm tm;
            if (localtime_r(&secs, &tm))
                strftime(at, sizeof at, "%H:%M", &tm);
            snprintf(items[i], sizeof items[i], "%s  %s  %s%s", info.ticket.label, at,
                     info.queue_name, info.ticket.green ? s_tr(c, KT_GREEN_SUFFIX) : "");
        }
        ptrs[i] = items[i];
    }
    s_put(c->v, S_TOP, 2, KIOSK_R_STRONG, s_tr(c, KT_STAFF_REPRINT_TITLE));
    s_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    s_list(c, S_TOP + 2, c->bottom, ptrs, n);
}

/* 预约签到: a booking code or the ID number it was booked with. */
static void s_check_in(s_ctx_t *c)
{
    const kiosk_session_t *s = c->s;
    s_put(c->v, S_TOP, 2, KIOSK_R_STRONG, s_tr(c, KT_CHECK_IN_TITLE));
    /* An ID number is masked but for its last four characters, as on the ID page. */
    char shown[HQ_ID_NUMBER_LEN + 1];
    size_t n = strlen(s->form_booking);
    for (size_t i = 0; i <= n; i++)
        shown[i] = i < n && n > 6 && i + 4 < n ? '*' : s->form_booking[i];
    s_field(c, S_TOP + 2, 0, 1, KT_CHECK_IN_FIELD, shown, 0);
    s_put(c->v, S_TOP + 3, 4, KIOSK_R_DIM, s_tr(c, KT_CHECK_IN_HINT));
    if (s->state == KIOSK_S_ISSUING)
        return;
    s_keyboard(c, S_TOP + 5, c->bottom, 1);
    s_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    s_bar_add(c, KT_BTN_CONFIRM, KIOSK_KEY_ENTER, KIOSK_R_SELECTED);
}

static void s_staff_number(s_ctx_t *c)
{
    s_put(c->v, S_TOP, 2, KIOSK_R_STRONG, s_tr(c, KT_REACTIVATE_TITLE));
    s_field(c, S_TOP + 2, 0, 1, KT_REACTIVATE_FIELD, c->s->form_number, 0);
    s_keyboard(c, S_TOP + 4, c->bottom, 1);
    s_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    s_bar_add(c, KT_BTN_REACTIVATE, KIOSK_KEY_ENTER, KIOSK_R_SELECTED);
}

/* Why staff set the green lane: three written reasons, or one typed. */
static void s_staff_reason(s_ctx_t *c)
{
    const kiosk_session_t *s = c->s;
    s_putf(c->v, S_TOP, 2, KIOSK_R_GREEN, "%s  %c  %s", s_tr(c, KT_STAFF_GREEN_TITLE), s->queue,
           kiosk_session_queue_name(s));
    s_put(c->v, S_TOP + 1, 2, KIOSK_R_STRONG, s_tr(c, KT_REASON_TITLE));
    s_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    if (s->reason_typing) {
        s_field(c, S_TOP + 3, 0, 1, KT_REASON_FIELD, s->form_reason, 0);
        s_keyboard(c, S_TOP + 5, c->bottom, 0);
        s_bar_add(c, KT_BTN_TAKE, KIOSK_KEY_ENTER, KIOSK_R_SELECTED);
        return;
    }
    char texts[KIOSK_REASONS][200];
    const char *ptrs[KIOSK_REASONS];
    for (int i = 0; i < KIOSK_REASONS; i++) {
        snprintf(texts[i], sizeof texts[i], "%d  %s", i + 1,
                 i < KIOSK_REASONS - 1 ? kiosk_session_reason(s, i) : s_tr(c, KT_REASON_OTHER));
        ptrs[i] = texts[i];
    }
    s_list(c, S_TOP + 3, c->bottom, ptrs, KIOSK_REASONS);
}

/* ---- the rows as read --------------------------------------------------------------------- */

/* Each row's text: its pieces in column order, the gaps between them as spaces. */
static void s_compose(kiosk_view_t *v)
{
    for (int r = 0; r < v->rows; r++) {
        int idx[KIOSK_VIEW_PIECES_MAX], n = 0;
        for (int i = 0; i < v->npieces; i++) {
            if (v->piece[i].row != r)
                continue;
            int k = n++;
            for (; k > 0 && v->piece[idx[k - 1]].col > v->piece[i].col; k--)
                idx[k] = idx[k - 1];
            idx[k] = i;
        }
        kiosk_row_t *row = &v->row[r];
        size_t used = 0;
        int end = -1;
        for (int k = 0; k < n; k++) {
            const kiosk_piece_t *p = &v->piece[idx[k]];
            size_t len = strlen(p->text);
            int pad = end < 0 ? 0 : p->col > end ? p->col - end : 1;
            if (used + (size_t)pad + len >= sizeof row->text)
                break;
            if (end < 0) {
                row->col = p->col;
                row->role = p->role;
            }
            memset(row->text + used, ' ', (size_t)pad);
            used += (size_t)pad;
            memcpy(row->text + used, p->text, len);
            used += len;
            end = (end < 0 ? p->col : end + pad) + p->width;
        }
        row->text[used] = '\0';
        row->width = (short)(end < 0 ? 0 : end - row->col);
    }
}

void kiosk_view_build(kiosk_view_t *v, const kiosk_session_t *s, int cols, int rows)
{
    v->cols = cols < 1 ? 1 : cols > KIOSK_VIEW_COLS_MAX ? KIOSK_VIEW_COLS_MAX : cols;
    v->rows = rows < 1 ? 1 : rows > KIOSK_VIEW_ROWS_MAX ? KIOSK_VIEW_ROWS_MAX : rows;
    v->npieces = 0;
    v->ntargets = 0;
    memset(v->row, 0, sizeof v->row);
    s_ctx_t ctx = {.v = v, .s = s};
    s_ctx_t *c = &ctx;
    c->bar_rows = v->rows >= 16 ? 3 : 1;
    c->bar_top = v->rows - c->bar_rows;
    c->note_row = c->bar_top - (v->rows >= 16 ? 2 : 1);
    c->bottom = c->note_row - 2;
    if (c->bottom < S_TOP)
        c->bottom = S_TOP;

    const char *hall = s->have_cat && s->cat.hall_name[0] ? s->cat.hall_name : "hallq";
    char line[KIOSK_VIEW_COLS_MAX + 1], mark[96];
    ui_sim_mark(s->have_cat ? s->cat.decoded.sim_speed : 0, s->lang, mark, sizeof mark);
    snprintf(line, sizeof line, "%s  %s%s%s", hall, s_tr(c, KT_TITLE), mark[0] ? "  " : "", mark);
    s_center(v, 0, KIOSK_R_TITLE, line);
    memset(line, '-', (size_t)v->cols);
    line[v->cols] = '\0';
    s_put(v, 1, 0, KIOSK_R_DIM, line);

    switch (s->state) {
    case KIOSK_S_OFFLINE:
        s_offline(c);
        break;
    case KIOSK_S_QUEUES:
        s_queues(c);
        break;
    case KIOSK_S_SERVICES:
        s_services(c);
        break;
    case KIOSK_S_CONFIRM:
        s_confirm(c);
        break;
    case KIOSK_S_ISSUING:
        if (s->issue.type == HQ_REQ_CHECK_IN)
            s_check_in(c);
        else
            s_confirm(c);
        break;
    case KIOSK_S_ID_ENTRY:
        s_id_entry(c);
        break;
    case KIOSK_S_CHECK_IN:
        s_check_in(c);
        break;
    case KIOSK_S_PRINTING:
    case KIOSK_S_RESULT:
        s_result(c);
        break;
    case KIOSK_S_STAFF_LOGIN:
        s_sign_in(c);
        break;
    case KIOSK_S_STAFF:
        s_staff(c);
        break;
    case KIOSK_S_STAFF_REPRINT:
        s_staff_reprint(c);
        break;
    case KIOSK_S_STAFF_NUMBER:
        s_staff_number(c);
        break;
    case KIOSK_S_STAFF_REASON:
        s_staff_reason(c);
        break;
    case KIOSK_S_QUIT:
        break;
    }
    if (s->note[0])
        s_put(v, c->note_row, 2, s->note_error ? KIOSK_R_ERROR : KIOSK_R_STRONG, s->note);
    s_bar(c);
    s_compose(v);
}

int kiosk_view_find(const kiosk_view_t *v, const char *needle, kiosk_role_t *role)
{
    for (int r = 0; r < v->rows; r++) {
        if (v->row[r].role == KIOSK_R_NONE || !strstr(v->row[r].text, needle))
            continue;
        if (role) {
            *role = (kiosk_role_t)v->row[r].role;
            for (int i = 0; i < v->npieces; i++)
                if (v->piece[i].row == r && strstr(v->piece[i].text, needle)) {
                    *role = (kiosk_role_t)v->piece[i].role;
                    break;
                }
        }
        return r;
    }
    return -1;
}

int kiosk_view_hit(const kiosk_view_t *v, int col, int row)
{
    /* The last target drawn is the one on top. */
    for (int i = v->ntargets - 1; i >= 0; i--) {
        const kiosk_target_t *t = &v->target[i];
        if (row >= t->row && row < t->row + t->rows && col >= t->col && col < t->col + t->cols)
            return t->key;
    }
    return 0;
}

int kiosk_view_target_key(const kiosk_view_t *v, const char *needle)
{
    for (int i = 0; i < v->npieces; i++) {
        const kiosk_piece_t *p = &v->piece[i];
        if (!strstr(p->text, needle))
            continue;
        int key = kiosk_view_hit(v, p->col, p->row);
        if (key)
            return key;
    }
    return 0;
}
