/* view: what the kiosk's screen shows, as a pure function of the session and the terminal's
 * size. A kiosk page is rows of centred or indented text, so a row holds one piece of text
 * at a column with a role that the terminal layer turns into an attribute; text is laid out
 * by display width (a Chinese character takes two columns). It never touches the terminal,
 * so tests read the screen without one. */
#ifndef HQ_TICKET_VIEW_H
#define HQ_TICKET_VIEW_H

#include "session.h"

typedef enum {
    KIOSK_R_NONE = 0, /* an empty row */
    KIOSK_R_TEXT,     /* ordinary text */
    KIOSK_R_DIM,      /* help, privacy notes, rules */
    KIOSK_R_STRONG,   /* headings and the facts that matter */
    KIOSK_R_TITLE,    /* the title */
    KIOSK_R_SELECTED, /* the highlighted row of a list */
    KIOSK_R_GREEN,    /* the elderly green lane */
    KIOSK_R_ERROR,    /* something went wrong */
    KIOSK_R_NUMBER,   /* the ticket number, as a block to read from a step away */
    KIOSK_R_INPUT,    /* the ID number field */
    KIOSK_R_COUNT_
} kiosk_role_t;

#define KIOSK_VIEW_ROWS_MAX 100
#define KIOSK_VIEW_COLS_MAX 240

typedef struct {
    short col;                              /* first column */
    short width;                            /* columns the text takes */
    unsigned char role;                     /* kiosk_role_t; KIOSK_R_NONE for an empty row */
    char text[KIOSK_VIEW_COLS_MAX * 3 + 1]; /* UTF-8, fitted to the screen */
} kiosk_row_t;

typedef struct {
    int rows, cols; /* size laid out for (clamped to the maxima) */
    kiosk_row_t row[KIOSK_VIEW_ROWS_MAX];
} kiosk_view_t;

/* Lays out the whole page for a cols x rows terminal. Every text on it is sanitised
 * (hq_utf8_sanitise): what hallqd or the kept ticket's file carried cannot drive the
 * terminal. */
void kiosk_view_build(kiosk_view_t *v, const kiosk_session_t *s, int cols, int rows);

/* First row whose text contains `needle`, or -1; *role (optional) gets its role. */
int kiosk_view_find(const kiosk_view_t *v, const char *needle, kiosk_role_t *role);

#endif
