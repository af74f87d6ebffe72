/* view: see view.h.
 *
 * Every page has the same frame: the title on row 0 over a rule of ASCII dashes (line
 * drawing characters are ambiguous in width), the page from row 3, the message line three
 * rows from the bottom and the keys that work on the last row. */
#include "view.h"

#include "escpos.h"
#include "hq_text.h"
#include "hq_utf8.h"
#include "kiosk_texts.h"
#include "record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_TOP 3 /* first row of a page */

typedef struct {
    kiosk_view_t *v;
    const kiosk_session_t *s;
} s_ctx_t;

static const char *s_tr(const s_ctx_t *c, kiosk_text_t id)
{
    return kiosk_tr(c->s->lang, id);
}

/* Puts text on a row from a column, cut to the screen's width. Every text of the page comes
 * through here and is sanitised on the way (hq_utf8_sanitise): a hall, queue or service
 * name, a material or a refusal that hallqd (or the kept ticket's file) carried with an
 * escape sequence or a control character cannot drive the kiosk's terminal. s_center and
 * s_paragraph sanitise before they measure or wrap, so that they measure what is drawn. */
static void s_put(kiosk_view_t *v, int row, int col, kiosk_role_t role, const char *text)
{
    if (row < 0 || row >= v->rows || col >= v->cols || !text)
        return;
    char clean[sizeof v->row[0].text];
    if (hq_utf8_sanitise(text, strlen(text), clean, sizeof clean) == 0)
        return;
    if (col < 0)
        col = 0;
    kiosk_row_t *r = &v->row[row];
    r->width = (short)hq_text_fit(clean, v->cols - col, 0, r->text, sizeof r->text);
    r->col = (short)col;
    r->role = (unsigned char)role;
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

static void s_center(kiosk_view_t *v, int row, kiosk_role_t role, const char *text)
{
    char clean[sizeof v->row[0].text];
    hq_utf8_sanitise(text, strlen(text), clean, sizeof clean);
    int w = hq_text_width(clean);
    s_put(v, row, w < v->cols ? (v->cols - w) / 2 : 0, role, clean);
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

/* A list from `top`, scrolled so the cursor row shows; the cursor row is highlighted. */
static void s_list(s_ctx_t *c, int top, const char *const *items, int n)
{
    int room = c->v->rows - top - 4;
    if (room < 1)
        room = 1;
    int cursor = c->s->cursor;
    int first = cursor >= room ? cursor - room + 1 : 0;
    for (int i = first; i < n && i - first < room; i++)
        s_put(c->v, top + i - first, 4, i == cursor ? KIOSK_R_SELECTED : KIOSK_R_TEXT, items[i]);
}

/* ---- pages ---------------------------------------------------------------------------------- */

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
    s_put(c->v, S_TOP, 2, KIOSK_R_STRONG, s_tr(c, KT_CHOOSE_QUEUE));
    s_list(c, S_TOP + 2, ptrs, n);
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
    s_list(c, S_TOP + 2, ptrs, n);
}

/* The choice, the materials to bring and the green lane. */
static void s_confirm(s_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    const catalog_service_t *svc = kiosk_session_service(c->s);
    int row = S_TOP, last_row = v->rows - 6;
    s_putf(v, row++, 2, KIOSK_R_STRONG, "%c  %s", c->s->queue, kiosk_session_queue_name(c->s));
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
    row++;
    if (c->s->green)
        s_put(v, row, 2, KIOSK_R_GREEN, s_tr(c, KT_GREEN_ON));
    else
        s_put(v, row, 2, KIOSK_R_TEXT, s_tr(c, KT_GREEN_OFF));
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
    s_put(v, S_TOP + 2, 4, KIOSK_R_INPUT, field);
    char line[300];
    snprintf(line, sizeof line, s_tr(c, KT_ID_PRIVACY), s->cat.elderly_age);
    s_paragraph(v, S_TOP + 4, 2, KIOSK_R_DIM, line, v->rows - 5);
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

/* The ticket and how printing went (or that it is printing now). */
static void s_result(s_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    const kiosk_session_t *s = c->s;
    record_info_t info;
    char why[200], line[600];
    int row = S_TOP, last_row = v->rows - 5;
    if (!s->last || record_info(s->last, &info, why, sizeof why) != 0)
        return;
    s_center(v, row++, KIOSK_R_TEXT, s_tr(c, KT_YOUR_NUMBER));
    row = s_number(v, row + 1, info.ticket.label) + 1;
    if (info.ticket.green)
        s_center(v, row++, KIOSK_R_GREEN, s_tr(c, KT_GREEN_MARK));
    snprintf(line, sizeof line, "%s%s%s", info.queue_name, info.service_name[0] ? "  " : "",
             info.service_name);
    s_center(v, row++, KIOSK_R_TEXT, line);
    if (info.ahead >= 0) {
        snprintf(line, sizeof line, s_tr(c, KT_AHEAD), info.ahead);
        s_center(v, row++, KIOSK_R_TEXT, line);
    }
    if (info.est_wait_min == 0) {
        s_center(v, row++, KIOSK_R_TEXT, s_tr(c, KT_WAIT_UNDER));
    } else if (info.est_wait_min > 0) {
        snprintf(line, sizeof line, s_tr(c, KT_WAIT), info.est_wait_min);
        s_center(v, row++, KIOSK_R_TEXT, line);
    }
    row++;
    if (s->state == KIOSK_S_PRINTING) {
        s_center(v, row, KIOSK_R_STRONG, s_tr(c, KT_PRINTING));
        return;
    }
    if (s->printed) {
        s_center(v, row++, KIOSK_R_STRONG, s_tr(c, s->reprinted ? KT_REPRINTED : KT_PRINTED));
    } else {
        snprintf(line, sizeof line, s_tr(c, KT_PRINT_FAILED), s->print_error);
        row = s_paragraph(v, row, 2, KIOSK_R_ERROR, line, last_row);
        row = s_paragraph(v, row, 2, KIOSK_R_STRONG, s_tr(c, KT_PRINT_HINT), last_row);
    }
    if (s->extra[0])
        s_paragraph(v, row, 2, KIOSK_R_DIM, s->extra, last_row);
}

void kiosk_view_build(kiosk_view_t *v, const kiosk_session_t *s, int cols, int rows)
{
    memset(v, 0, sizeof *v);
    v->cols = cols < 1 ? 1 : cols > KIOSK_VIEW_COLS_MAX ? KIOSK_VIEW_COLS_MAX : cols;
    v->rows = rows < 1 ? 1 : rows > KIOSK_VIEW_ROWS_MAX ? KIOSK_VIEW_ROWS_MAX : rows;
    s_ctx_t ctx = {v, s};
    s_ctx_t *c = &ctx;

    const char *hall = s->have_cat && s->cat.hall_name[0] ? s->cat.hall_name : "hallq";
    char line[KIOSK_VIEW_COLS_MAX + 1];
    snprintf(line, sizeof line, "%s  %s", hall, s_tr(c, KT_TITLE));
    s_center(v, 0, KIOSK_R_TITLE, line);
    memset(line, '-', (size_t)v->cols);
    line[v->cols] = '\0';
    s_put(v, 1, 0, KIOSK_R_DIM, line);

    kiosk_text_t help = KT_NONE;
    switch (s->state) {
    case KIOSK_S_OFFLINE:
        s_putf(v, S_TOP, 2, KIOSK_R_TEXT, s_tr(c, KT_CONNECTING), s->endpoint);
        help = KT_HELP_CONNECTING;
        break;
    case KIOSK_S_QUEUES:
        s_queues(c);
        help = KT_HELP_QUEUES;
        break;
    case KIOSK_S_SERVICES:
        s_services(c);
        help = KT_HELP_LIST;
        break;
    case KIOSK_S_CONFIRM:
    case KIOSK_S_ISSUING:
        s_confirm(c);
        help = s->state == KIOSK_S_ISSUING ? KT_HELP_WAIT : KT_HELP_CONFIRM;
        break;
    case KIOSK_S_ID_ENTRY:
        s_id_entry(c);
        help = KT_HELP_ID;
        break;
    case KIOSK_S_PRINTING:
    case KIOSK_S_RESULT:
        s_result(c);
        help = s->state == KIOSK_S_PRINTING ? KT_HELP_WAIT : KT_HELP_RESULT;
        break;
    case KIOSK_S_QUIT:
        break;
    }
    if (s->note[0])
        s_put(v, v->rows - 3, 2, s->note_error ? KIOSK_R_ERROR : KIOSK_R_STRONG, s->note);
    if (help != KT_NONE)
        s_put(v, v->rows - 1, 1, KIOSK_R_DIM, s_tr(c, help));
}

int kiosk_view_find(const kiosk_view_t *v, const char *needle, kiosk_role_t *role)
{
    for (int r = 0; r < v->rows; r++) {
        if (v->row[r].role != KIOSK_R_NONE && strstr(v->row[r].text, needle)) {
            if (role)
                *role = (kiosk_role_t)v->row[r].role;
            return r;
        }
    }
    return -1;
}
