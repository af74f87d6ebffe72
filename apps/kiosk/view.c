/* view: see view.h; the pages and the screen as read (what they are drawn with:
 * view_widgets.c).
 *
 * Every page has the same frame: the title on row 0 over a rule of ASCII dashes (line
 * drawing characters are ambiguous in width), the page from row 3, the message line above the
 * button bar, and the bar at the bottom: the page's actions as buttons three rows high, each
 * labelled with its key too ("返回 Esc"), for a keyboard as for a finger. */
#include "view_internal.h"

#include "hq_utf8.h"
#include "kiosk_texts.h"
#include "record.h"
#include "ui_curses.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define S_TOP 3 /* first row of a page */

/* ---- pages ---------------------------------------------------------------------------------- */

/* The kiosk is paused (hallqd cannot be reached, or gives no catalog): said up front, in
 * words for citizens; the technical reason is the staff's. */
static void s_offline(kv_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    const kiosk_session_t *s = c->s;
    int first = !s->have_cat && !s->down && !s->fault[0];
    int row = S_TOP + 2;
    kv_center(v, row, first ? KIOSK_R_STRONG : KIOSK_R_ERROR,
              KV_TR(c, first ? KT_CONNECTING : KT_PAUSED_TITLE));
    if (!first)
        kv_paragraph(v, row + 2, 4, KIOSK_R_TEXT, KV_TR(c, KT_PAUSED), c->bottom);
    kv_bar_add(c, KT_BTN_STAFF, KIOSK_KEY_STAFF, KIOSK_R_BUTTON);
}

static void s_queues(kv_ctx_t *c)
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
        kv_put(c->v, S_TOP, 2, KIOSK_R_GREEN, KV_TR(c, KT_STAFF_GREEN_TITLE));
        kv_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    }
    kv_put(c->v, S_TOP + (c->s->staff_green ? 1 : 0), 2, KIOSK_R_STRONG, KV_TR(c, KT_CHOOSE_QUEUE));
    kv_list(c, S_TOP + 2, c->bottom, ptrs, n);
    if (!c->s->staff_green) {
        kv_bar_add(c, KT_BTN_CHECK_IN, 'y', KIOSK_R_BUTTON);
        kv_bar_add(c, KT_BTN_STAFF, KIOSK_KEY_STAFF, KIOSK_R_BUTTON);
    }
}

static void s_services(kv_ctx_t *c)
{
    char items[KIOSK_LIST_MAX][160];
    const char *ptrs[KIOSK_LIST_MAX];
    const catalog_service_t *svc[KIOSK_LIST_MAX];
    int n = kiosk_session_services(c->s, svc, KIOSK_LIST_MAX);
    for (int i = 0; i < n; i++) {
        snprintf(items[i], sizeof items[i], "%d  %s", i,
                 svc[i] ? svc[i]->sub_item : KV_TR(c, KT_NO_SERVICE));
        ptrs[i] = items[i];
    }
    kv_putf(c->v, S_TOP, 2, KIOSK_R_STRONG, "%c  %s    %s", c->s->queue,
            kiosk_session_queue_name(c->s), KV_TR(c, KT_CHOOSE_SERVICE));
    kv_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    kv_list(c, S_TOP + 2, c->bottom, ptrs, n);
}

/* The choice, the materials to bring and the green lane. */
static void s_confirm(kv_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    const kiosk_session_t *s = c->s;
    const catalog_service_t *svc = kiosk_session_service(s);
    int row = S_TOP, last_row = c->bottom - 1;
    kv_putf(v, row++, 2, KIOSK_R_STRONG, "%c  %s", s->queue, kiosk_session_queue_name(s));
    if (svc)
        kv_put(v, row++, 5, KIOSK_R_STRONG, svc->sub_item);
    row++;
    if (svc && svc->nmaterials > 0) {
        kv_put(v, row++, 2, KIOSK_R_TEXT, KV_TR(c, KT_MATERIALS));
        for (size_t i = 0; i < svc->nmaterials && row <= last_row; i++) {
            char line[600];
            snprintf(line, sizeof line, "%zu. %s", i + 1, svc->materials[i]);
            row = kv_paragraph(v, row, 4, KIOSK_R_TEXT, line, last_row);
        }
    } else {
        row = kv_paragraph(v, row, 2, KIOSK_R_TEXT, KV_TR(c, KT_NO_MATERIALS), last_row);
    }
    row = row < c->bottom ? row + 1 : c->bottom;
    if (s->green || s->staff_green)
        kv_put(v, row, 2, KIOSK_R_GREEN, KV_TR(c, KT_GREEN_ON));
    else
        kv_put(v, row, 2, KIOSK_R_TEXT, KV_TR(c, KT_GREEN_OFF));
    if (s->state == KIOSK_S_ISSUING)
        return;
    kv_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    if (!s->staff_green) {
        /* After the ID check said "under the age" the citizen cannot set it: staff can. */
        if (!s->green_locked)
            kv_bar_add(c, KT_BTN_GREEN, 'g', KIOSK_R_GREEN);
        kv_bar_add(c, KT_BTN_ID, 'i', KIOSK_R_BUTTON);
    }
    kv_bar_add(c, s->staff_green ? KT_BTN_NEXT_STEP : KT_BTN_TAKE, KIOSK_KEY_ENTER,
               KIOSK_R_SELECTED);
}

static void s_id_entry(kv_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    const kiosk_session_t *s = c->s;
    kv_put(v, S_TOP, 2, KIOSK_R_STRONG, KV_TR(c, KT_ID_PROMPT));
    /* Masked but for the last four characters: a kiosk screen is seen by the queue. */
    char field[HQ_ID_NUMBER_LEN + 1];
    for (size_t i = 0; i < HQ_ID_NUMBER_LEN; i++)
        field[i] = i < s->id_len ? (i + 4 >= s->id_len ? s->id[i] : '*') : '_';
    field[HQ_ID_NUMBER_LEN] = '\0';
    kv_put(v, S_TOP + 1, 4, KIOSK_R_INPUT, field);
    char line[300];
    snprintf(line, sizeof line, KV_TR(c, KT_ID_PRIVACY), s->cat.elderly_age);
    kv_put(v, S_TOP + 2, 4, KIOSK_R_DIM, line);
    kv_key_t r0[3], r1[3], r2[3], r3[3];
    int n[4] = {kv_chars(r0, "123"), kv_chars(r1, "456"), kv_chars(r2, "789"), 0};
    n[3] = kv_chars(r3, "X0");
    r3[n[3]++] = (kv_key_t){NULL, KT_BTN_DELETE, KIOSK_KEY_BACKSPACE};
    const kv_key_t *rows[] = {r0, r1, r2, r3};
    kv_keypad(c, S_TOP + 4, c->bottom, rows, n, 4);
    kv_bar_add(c, KT_BTN_CANCEL, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    kv_bar_add(c, KT_BTN_CONFIRM, KIOSK_KEY_ENTER, KIOSK_R_SELECTED);
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
    kv_center(v, row++, KIOSK_R_NUMBER, pad);
    kv_center(v, row++, KIOSK_R_NUMBER, big);
    kv_center(v, row++, KIOSK_R_NUMBER, pad);
    return row;
}

/* The ticket and how printing went (or that it is printing now). A failed print is told in
 * plain words: the printer's device and its error are the staff's. */
static void s_result(kv_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    const kiosk_session_t *s = c->s;
    record_info_t info;
    char why[200], line[600];
    int row = S_TOP, last_row = c->bottom;
    if (!s->last || record_info(s->last, &info, why, sizeof why) != 0)
        return;
    kv_center(v, row++, KIOSK_R_TEXT, KV_TR(c, KT_YOUR_NUMBER));
    row = s_number(v, row + 1, info.ticket.label) + 1;
    if (info.ticket.green)
        kv_center(v, row++, KIOSK_R_GREEN, KV_TR(c, KT_GREEN_MARK));
    if (info.slot[0]) {
        snprintf(line, sizeof line, KV_TR(c, KT_SLOT), info.slot);
        kv_center(v, row++, KIOSK_R_STRONG, line);
    }
    snprintf(line, sizeof line, "%s%s%s", info.queue_name, info.service_name[0] ? "  " : "",
             info.service_name);
    kv_center(v, row++, KIOSK_R_TEXT, line);
    if (info.ahead >= 0 && !s->reprinted) {
        snprintf(line, sizeof line, KV_TR(c, KT_AHEAD), info.ahead);
        kv_center(v, row++, KIOSK_R_TEXT, line);
    }
    if (!s->reprinted && info.est_wait_min == 0) {
        kv_center(v, row++, KIOSK_R_TEXT, KV_TR(c, KT_WAIT_UNDER));
    } else if (!s->reprinted && info.est_wait_min > 0) {
        snprintf(line, sizeof line, KV_TR(c, KT_WAIT), info.est_wait_min);
        kv_center(v, row++, KIOSK_R_TEXT, line);
    }
    row++;
    if (s->state == KIOSK_S_PRINTING) {
        kv_center(v, row, KIOSK_R_STRONG, KV_TR(c, KT_PRINTING));
        return;
    }
    int may = kiosk_session_may_reprint(s);
    if (s->printed_ok) {
        kv_center(v, row++, KIOSK_R_STRONG, KV_TR(c, s->reprinted ? KT_REPRINTED : KT_PRINTED));
    } else {
        row = kv_paragraph(v, row, 2, KIOSK_R_ERROR, KV_TR(c, KT_PRINT_FAILED), last_row);
        row = kv_paragraph(v, row, 2, KIOSK_R_STRONG,
                           KV_TR(c, may ? KT_PRINT_HINT : KT_PRINT_HINT_DESK), last_row);
        if (kiosk_session_staff(s)) /* staff see which printer and why */
            row = kv_paragraph(v, row, 2, KIOSK_R_DIM, s->print_error, last_row);
    }
    if (s->extra[0])
        kv_paragraph(v, row, 2, KIOSK_R_DIM, s->extra, last_row);
    if (may)
        kv_bar_add(c, KT_BTN_REPRINT, 'r', KIOSK_R_BUTTON);
    kv_bar_add(c, KT_BTN_DONE, KIOSK_KEY_ENTER, KIOSK_R_SELECTED);
}

/* Staff sign-in, also the exit prompt: the name and the PIN, or, where the hall has no
 * roster, how a hall sets staff PINs (and exit keys) up. */
static void s_sign_in(kv_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    const kiosk_session_t *s = c->s;
    int row = S_TOP;
    kv_put(v, row++, 2, KIOSK_R_STRONG, KV_TR(c, s->exit_asked ? KT_EXIT_TITLE : KT_STAFF_TITLE));
    if (s->exit_asked)
        row = kv_paragraph(v, row, 2, KIOSK_R_TEXT, KV_TR(c, KT_EXIT_EXPLAIN), c->bottom);
    kv_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    if (!s->have_cat || !s->cat.roster) {
        row++;
        row = kv_paragraph(v, row, 2, KIOSK_R_TEXT,
                           KV_TR(c, !s->have_cat ? KT_STAFF_OFFLINE : KT_STAFF_NEEDS_ROSTER),
                           c->bottom);
        if (s->have_cat && s->nexit_keys == 0)
            row = kv_paragraph(v, row, 2, KIOSK_R_DIM, KV_TR(c, KT_EXIT_HOWTO), c->bottom);
        else if (s->nexit_keys)
            row = kv_paragraph(v, row, 2, KIOSK_R_DIM, KV_TR(c, KT_EXIT_KEYS_SET), c->bottom);
        if (s->fault[0])
            kv_paragraph(v, row, 2, KIOSK_R_DIM, s->fault, c->bottom);
        return;
    }
    if (s->nexit_keys && s->exit_asked)
        row = kv_paragraph(v, row, 2, KIOSK_R_DIM, KV_TR(c, KT_EXIT_KEYS_SET), c->bottom);
    row++;
    kv_field(c, row++, 0, s->field == 0, KT_STAFF_NAME, s->form_clerk, 0);
    kv_field(c, row++, 1, s->field == 1, KT_STAFF_PIN, s->form_pin, 1);
    kv_keyboard(c, row + 1, c->bottom, 0);
    kv_bar_add(c, s->field == 0 ? KT_BTN_NEXT_FIELD : KT_BTN_SIGN_IN, KIOSK_KEY_ENTER,
               KIOSK_R_SELECTED);
}

/* Staff mode: what staff may do here, who is signed in, and the technical state. */
static void s_staff(kv_ctx_t *c)
{
    kiosk_view_t *v = c->v;
    const kiosk_session_t *s = c->s;
    static const kiosk_text_t items[KIOSK_STAFF_ITEMS] = {
        KT_STAFF_ITEM_REPRINT, KT_STAFF_ITEM_REACTIVATE, KT_STAFF_ITEM_GREEN, KT_STAFF_ITEM_EXIT};
    char texts[KIOSK_STAFF_ITEMS][200];
    const char *ptrs[KIOSK_STAFF_ITEMS];
    for (int i = 0; i < KIOSK_STAFF_ITEMS; i++) {
        snprintf(texts[i], sizeof texts[i], "%d  %s", i + 1, KV_TR(c, items[i]));
        ptrs[i] = texts[i];
    }
    kv_putf(v, S_TOP, 2, KIOSK_R_STRONG, KV_TR(c, KT_STAFF_MENU), s->staff_clerk);
    kv_putf(v, S_TOP + 1, 2, KIOSK_R_DIM, KV_TR(c, KT_STAFF_INFO), s->endpoint,
            KIOSK_STAFF_IDLE_MS / 1000);
    int top = S_TOP + 3;
    if (s->fault[0]) {
        kv_putf(v, S_TOP + 2, 2, KIOSK_R_DIM, KV_TR(c, KT_STAFF_FAULT), s->fault);
        top++;
    }
    kv_list(c, top, c->bottom, ptrs, KIOSK_STAFF_ITEMS);
    kv_bar_add(c, KT_BTN_END_STAFF, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
}

/* Today's tickets printed here, newest first. */
static void s_staff_reprint(kv_ctx_t *c)
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
                     info.queue_name, info.ticket.green ? KV_TR(c, KT_GREEN_SUFFIX) : "");
        }
        ptrs[i] = items[i];
    }
    kv_put(c->v, S_TOP, 2, KIOSK_R_STRONG, KV_TR(c, KT_STAFF_REPRINT_TITLE));
    kv_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    kv_list(c, S_TOP + 2, c->bottom, ptrs, n);
}

/* 预约签到: a booking code or the ID number it was booked with. */
static void s_check_in(kv_ctx_t *c)
{
    const kiosk_session_t *s = c->s;
    kv_put(c->v, S_TOP, 2, KIOSK_R_STRONG, KV_TR(c, KT_CHECK_IN_TITLE));
    /* An ID number is masked but for its last four characters, as on the ID page. */
    char shown[HQ_ID_NUMBER_LEN + 1];
    size_t n = strlen(s->form_booking);
    for (size_t i = 0; i <= n; i++)
        shown[i] = i < n && n > 6 && i + 4 < n ? '*' : s->form_booking[i];
    kv_field(c, S_TOP + 2, 0, 1, KT_CHECK_IN_FIELD, shown, 0);
    kv_put(c->v, S_TOP + 3, 4, KIOSK_R_DIM, KV_TR(c, KT_CHECK_IN_HINT));
    if (s->state == KIOSK_S_ISSUING)
        return;
    kv_keyboard(c, S_TOP + 5, c->bottom, 1);
    kv_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    kv_bar_add(c, KT_BTN_CONFIRM, KIOSK_KEY_ENTER, KIOSK_R_SELECTED);
}

static void s_staff_number(kv_ctx_t *c)
{
    kv_put(c->v, S_TOP, 2, KIOSK_R_STRONG, KV_TR(c, KT_REACTIVATE_TITLE));
    kv_field(c, S_TOP + 2, 0, 1, KT_REACTIVATE_FIELD, c->s->form_number, 0);
    kv_keyboard(c, S_TOP + 4, c->bottom, 1);
    kv_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    kv_bar_add(c, KT_BTN_REACTIVATE, KIOSK_KEY_ENTER, KIOSK_R_SELECTED);
}

/* Why staff set the green lane: three written reasons, or one typed. */
static void s_staff_reason(kv_ctx_t *c)
{
    const kiosk_session_t *s = c->s;
    kv_putf(c->v, S_TOP, 2, KIOSK_R_GREEN, "%s  %c  %s", KV_TR(c, KT_STAFF_GREEN_TITLE), s->queue,
            kiosk_session_queue_name(s));
    kv_put(c->v, S_TOP + 1, 2, KIOSK_R_STRONG, KV_TR(c, KT_REASON_TITLE));
    kv_bar_add(c, KT_BTN_BACK, KIOSK_KEY_ESC, KIOSK_R_BUTTON);
    if (s->reason_typing) {
        kv_field(c, S_TOP + 3, 0, 1, KT_REASON_FIELD, s->form_reason, 0);
        kv_keyboard(c, S_TOP + 5, c->bottom, 0);
        kv_bar_add(c, KT_BTN_TAKE, KIOSK_KEY_ENTER, KIOSK_R_SELECTED);
        return;
    }
    char texts[KIOSK_REASONS][200];
    const char *ptrs[KIOSK_REASONS];
    for (int i = 0; i < KIOSK_REASONS; i++) {
        snprintf(texts[i], sizeof texts[i], "%d  %s", i + 1,
                 i < KIOSK_REASONS - 1 ? kiosk_session_reason(s, i) : KV_TR(c, KT_REASON_OTHER));
        ptrs[i] = texts[i];
    }
    kv_list(c, S_TOP + 3, c->bottom, ptrs, KIOSK_REASONS);
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
    kv_ctx_t ctx = {.v = v, .s = s};
    kv_ctx_t *c = &ctx;
    c->bar_rows = v->rows >= 16 ? 3 : 1;
    c->bar_top = v->rows - c->bar_rows;
    c->note_row = c->bar_top - (v->rows >= 16 ? 2 : 1);
    c->bottom = c->note_row - 2;
    if (c->bottom < S_TOP)
        c->bottom = S_TOP;

    const char *hall = s->have_cat && s->cat.hall_name[0] ? s->cat.hall_name : "hallq";
    char line[KIOSK_VIEW_COLS_MAX + 1], mark[96];
    ui_sim_mark(s->have_cat ? s->cat.decoded.sim_speed : 0, s->lang, mark, sizeof mark);
    snprintf(line, sizeof line, "%s  %s%s%s", hall, KV_TR(c, KT_TITLE), mark[0] ? "  " : "", mark);
    kv_center(v, 0, KIOSK_R_TITLE, line);
    memset(line, '-', (size_t)v->cols);
    line[v->cols] = '\0';
    kv_put(v, 1, 0, KIOSK_R_DIM, line);

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
        kv_put(v, c->note_row, 2, s->note_error ? KIOSK_R_ERROR : KIOSK_R_STRONG, s->note);
    kv_bar(c);
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
