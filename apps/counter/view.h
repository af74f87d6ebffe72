/* view: what the clerk's screen shows, as a pure function of the hall model, the session
 * and the clock. It lays text out by display width (a Chinese character takes two columns)
 * into rows of segments, each with a role the terminal layer turns into colour; it never
 * touches the terminal, so tests check the screen without one. It also notes where each
 * action it draws lies (a footer key, a row of a list, a choice, a hint naming a key), so a
 * click there does what that key does (hits, lib/ui's ui_hits). */
#ifndef HQC_VIEW_H
#define HQC_VIEW_H

#include "session.h"
#include "ui_hits.h"

typedef enum {
    HQC_R_TEXT = 0, /* ordinary text */
    HQC_R_DIM,      /* secondary text */
    HQC_R_TITLE,    /* the header bar */
    HQC_R_HEAD,     /* section headings */
    HQC_R_STRONG,   /* the ticket number and other key facts */
    HQC_R_GREEN,    /* the elderly green lane */
    HQC_R_WARN,     /* handling time nearing the target */
    HQC_R_ALERT,    /* handling time over the target */
    HQC_R_BANNER,   /* offline / connecting / taken over */
    HQC_R_RULE,     /* a horizontal rule of '-' */
    HQC_R_KEY,      /* a key that works now */
    HQC_R_KEY_OFF,  /* a key that makes no sense now */
    HQC_R_SELECTED, /* the highlighted row of a list */
    HQC_R_ERROR,    /* the message line: refused or failed */
    HQC_R_OK,       /* the message line: done */
    HQC_R_COUNT_
} hqc_role_t;

#define HQC_VIEW_ROWS_MAX 100
#define HQC_VIEW_COLS_MAX 240
#define HQC_VIEW_SEGS_MAX 40
#define HQC_VIEW_MIN_COLS 40
#define HQC_VIEW_MIN_ROWS 12

typedef struct {
    short col;          /* first column */
    short width;        /* columns it takes */
    unsigned char role; /* hqc_role_t */
    unsigned short off; /* its text in the line's buffer */
    unsigned short len; /* bytes */
} hqc_seg_t;

typedef struct {
    int nsegs;
    hqc_seg_t segs[HQC_VIEW_SEGS_MAX];
    int used;                              /* bytes of text used */
    char text[HQC_VIEW_COLS_MAX * 4 + 64]; /* the segments' UTF-8 text */
} hqc_line_t;

typedef struct {
    int rows, cols; /* size laid out for (clamped to the maxima) */
    int stale;      /* the model is not live: draw greyed, except banner and message */
    ui_hits_t hits; /* where a click stands for a key */
    hqc_line_t line[HQC_VIEW_ROWS_MAX];
} hqc_view_t;

/* Lays out the whole screen. now: monotonic ms (session timing); now_wall: epoch ms (the
 * daemon's ticket times); cols x rows: the terminal size. */
void hqc_view_build(hqc_view_t *v, const hqc_session_t *s, const hq_mirror_t *m, int64_t now,
                    int64_t now_wall, int cols, int rows);

/* Row `row` as plain text, segments placed at their columns (trailing spaces trimmed).
 * Returns the bytes written. */
int hqc_view_plain(const hqc_view_t *v, int row, char *out, size_t outlen);
/* First row whose plain text contains `needle`, or -1; *role (optional) gets the role of
 * the segment it starts in. */
int hqc_view_find(const hqc_view_t *v, const char *needle, hqc_role_t *role);
/* The key a click at (row, col) stands for, -1 when nothing there answers to one. */
int hqc_view_key_at(const hqc_view_t *v, int row, int col);
/* Role of the segment covering column `col` of `row` (HQC_R_COUNT_ when none). */
hqc_role_t hqc_view_role_at(const hqc_view_t *v, int row, int col);

#endif
