/* view: what the kiosk's screen shows, as a pure function of the session and the terminal's
 * size. A page is pieces of text, each at a row and column with a role that the terminal
 * layer turns into an attribute, and touch targets: blocks of the screen drawn as buttons,
 * each standing for the key that does what it says (a tap on a category is KIOSK_KEY_PICK + i,
 * on "取号" Enter). Targets are large (list rows and keypad keys several rows high, across
 * the page) so a finger finds them. Text is laid out by display width (a Chinese character
 * takes two columns). It never touches the terminal, so tests read and tap the screen
 * without one. */
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
    KIOSK_R_INPUT,    /* a field being typed */
    KIOSK_R_BUTTON,   /* a touch target: a list row, a key, a button */
    KIOSK_R_COUNT_
} kiosk_role_t;

#define KIOSK_VIEW_ROWS_MAX 100
#define KIOSK_VIEW_COLS_MAX 240
#define KIOSK_VIEW_PIECES_MAX 192
#define KIOSK_VIEW_TARGETS_MAX 96

/* One piece of text. */
typedef struct {
    short row, col;                         /* where it starts */
    short width;                            /* columns the text takes */
    unsigned char role;                     /* kiosk_role_t */
    char text[KIOSK_VIEW_COLS_MAX * 3 + 1]; /* UTF-8, fitted to the screen */
} kiosk_piece_t;

/* A row as a person reads it: its pieces in column order, the gaps between them as spaces
 * (what tests and kiosk_view_find read). */
typedef struct {
    short col;                              /* first column */
    short width;                            /* columns the text takes */
    unsigned char role;                     /* its first piece's; KIOSK_R_NONE: an empty row */
    char text[KIOSK_VIEW_COLS_MAX * 3 + 1]; /* UTF-8 */
} kiosk_row_t;

/* A block of the screen a tap acts on, drawn filled in its role's attribute. */
typedef struct {
    short row, col;     /* top left */
    short rows, cols;   /* size */
    unsigned char role; /* KIOSK_R_BUTTON, or KIOSK_R_SELECTED / KIOSK_R_GREEN / KIOSK_R_INPUT */
    int key;            /* what a tap does: the key it stands for */
} kiosk_target_t;

typedef struct {
    int rows, cols; /* size laid out for (clamped to the maxima) */
    kiosk_row_t row[KIOSK_VIEW_ROWS_MAX];
    int npieces;
    kiosk_piece_t piece[KIOSK_VIEW_PIECES_MAX];
    int ntargets;
    kiosk_target_t target[KIOSK_VIEW_TARGETS_MAX];
} kiosk_view_t;

/* Lays out the whole page for a cols x rows terminal. Every text on it is sanitised
 * (hq_utf8_sanitise): what hallqd or the kept ticket's file carried cannot drive the
 * terminal. */
void kiosk_view_build(kiosk_view_t *v, const kiosk_session_t *s, int cols, int rows);

/* First row whose text (a piece of it, or the row as read) contains `needle`, or -1; *role
 * (optional) gets the role of the piece holding it (else the row's). */
int kiosk_view_find(const kiosk_view_t *v, const char *needle, kiosk_role_t *role);

/* The key of what a tap at (col, row) hits, 0 when it hits no target. */
int kiosk_view_hit(const kiosk_view_t *v, int col, int row);

/* The key of the target whose label contains `needle` (a test taps by what it reads), 0 none. */
int kiosk_view_target_key(const kiosk_view_t *v, const char *needle);

#endif
