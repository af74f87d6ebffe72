/* view_internal: what the kiosk view's files share (view.c: the pages and the screen as read;
 * view_widgets.c: what the pages are drawn with). Nothing outside the view includes it. */
#ifndef HQ_TICKET_VIEW_INTERNAL_H
#define HQ_TICKET_VIEW_INTERNAL_H

#include "kiosk_texts.h"
#include "view.h"

#define KV_BAR_MAX 6 /* buttons in the bar */

/* A button of the bar. */
typedef struct {
    kiosk_text_t label;
    int key;
    unsigned char role;
} kv_button_t;

/* A page being drawn. */
typedef struct {
    kiosk_view_t *v;
    const kiosk_session_t *s;
    int bar_top;  /* first row of the bar */
    int bar_rows; /* its height */
    int note_row; /* the message line */
    int bottom;   /* the last row a page may use */
    kv_button_t bar[KV_BAR_MAX];
    int nbar;
} kv_ctx_t;

/* One key of a keypad: its label and the key it types. */
typedef struct {
    const char *label; /* NULL: the text of `text` */
    kiosk_text_t text;
    int key;
} kv_key_t;

/* The page's text in the session's language. */
#define KV_TR(c, id) kiosk_tr((c)->s->lang, (id))

/* Puts text at a row from a column, cut to the screen's width and sanitised (an escape
 * sequence or a control character that hallqd or the kept ticket's file carried cannot drive
 * the kiosk's terminal). */
void kv_put(kiosk_view_t *v, int row, int col, kiosk_role_t role, const char *text);
void kv_putf(kiosk_view_t *v, int row, int col, kiosk_role_t role, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A line centred on the screen. */
void kv_center(kiosk_view_t *v, int row, kiosk_role_t role, const char *text);
/* Word-wrapped text from `row`, indented, down to last_row; returns the next free row. */
int kv_paragraph(kiosk_view_t *v, int row, int indent, kiosk_role_t role, const char *text,
                 int last_row);
/* Adds a button to the bar (laid out by kv_bar, once the page knows all of them). */
void kv_bar_add(kv_ctx_t *c, kiosk_text_t label, int key, kiosk_role_t role);
/* The bar: its buttons side by side, as wide as the screen lets them, centred. */
void kv_bar(kv_ctx_t *c);
/* A list of rows to choose from, as large touch targets between top and bottom: two columns
 * on a wide screen, each row several rows high with a blank row between them. A list longer
 * than the room is shown a page at a time, the cursor's, with page buttons in the bar. Row i
 * is tapped as KIOSK_KEY_PICK + i. */
void kv_list(kv_ctx_t *c, int top, int bottom, const char *const *items, int n);
/* A keypad: rows of keys between top and bottom, each key as large as the room allows. */
void kv_keypad(kv_ctx_t *c, int top, int bottom, const kv_key_t *const *rows, const int *counts,
               int nrows);
/* Keys typing the characters of `chars`, one each; returns how many. */
int kv_chars(kv_key_t *out, const char *chars);
/* A keyboard for names and numbers: digits, then letters (lower case for names, upper case
 * for ticket numbers), and Delete. */
void kv_keyboard(kv_ctx_t *c, int top, int bottom, int upper);
/* A field being typed: its label, then its text (or stars) in the input role; a tap on it
 * makes it the one typed (KIOSK_KEY_FIELD + index). */
void kv_field(kv_ctx_t *c, int row, int index, int focused, kiosk_text_t label, const char *text,
              int stars);

#endif
