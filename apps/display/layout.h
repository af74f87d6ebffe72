/* Where things go on the screen, as pure arithmetic on its size: the big "now calling"
 * number gets the largest glyph scale that fits, the strip of windows and the lists get the
 * rest, from a 40x12 pane up to a large TV console. Also the scrolling notice line, cut by
 * display columns (Chinese characters are two wide). No curses here, so it is unit-tested. */
#ifndef DISPLAY_LAYOUT_H
#define DISPLAY_LAYOUT_H

#include <stddef.h>

#define LAYOUT_MIN_COLS 30
#define LAYOUT_MIN_ROWS 6
#define LAYOUT_MARQUEE_GAP 6  /* blank columns between two turns of the notice */
#define LAYOUT_LISTS_MIN 4    /* the lists' headings and three rows, or no lists at all */
#define LAYOUT_STRIP_PAGE_S 5 /* a strip with more windows than rows shows pages this long */

/* The big text: the ticket's number, then the arrow, then the window's number. */
typedef struct {
    int sx, sy;     /* glyph scale; 0 when it does not fit and plain text must do */
    int rows;       /* rows the glyphs take */
    int label_col;  /* first column of the label's glyphs */
    int arrow_col;  /* first column of the arrow (when there is a window) */
    int window_col; /* first column of the window's glyphs (when there is a window) */
    int width;      /* columns of the whole group */
} layout_big_t;

/* Largest glyph scale at which label (and, when window is neither NULL nor "", the arrow and
 * window after it) fits in cols x rows, preferring height, then pixels about as wide as tall
 * (sx = 2 sy). Centered horizontally. 0 ok, -1 when even the smallest scale does not fit. */
int layout_big(int cols, int rows, const char *label, const char *window, layout_big_t *out);

/* What the strip of windows needs: how many windows, and the columns of the widest cell in
 * full words ("12号窗口 A003 办理中") and in short ones ("12号 A003"). */
typedef struct {
    int count;
    int full_width;
    int short_width;
} layout_strip_need_t;

/* Rows from top to bottom: title, caption, big glyphs, the call in words, the strip of
 * windows, the lists, status, notice. A row that is left out is -1. On a small screen the
 * parts go in this order: the lists, the captions, the glyphs (the call stays in words), the
 * strip's full words (short ones, then pages of them), the notice. The title, the call in
 * words and at least one row of the strip are always there. */
typedef struct {
    int cols, rows;
    int too_small;   /* below LAYOUT_MIN_*: only a message is drawn */
    int title_row;   /* hall name, link mark, clock */
    int caption_row; /* "now calling" and "window" captions, -1 none */
    int big_top;     /* first row of the big glyphs */
    layout_big_t big;
    int sentence_row;             /* the call in words */
    int strip_top;                /* first row of the strip of windows, -1 none */
    int strip_rows;               /* rows it takes */
    int strip_per_row;            /* cells side by side */
    int strip_col, strip_width;   /* the first cell's column; columns of one cell */
    int strip_short;              /* 1: cells in short words */
    int strip_pages;              /* 1, or how many pages take turns */
    int lists_top;                /* headings of the two lists, -1 none */
    int list_rows;                /* rows below the headings, 0 none */
    int calls_col, calls_width;   /* recent calls, left */
    int calls_columns;            /* entries side by side on wide screens */
    int queues_col, queues_width; /* waiting counts, right */
    int status_row;               /* transient messages (audio off ...); may be notice_row */
    int notice_row;               /* the hall's scrolling notice, -1 none */
} layout_hall_t;

/* label and window as in layout_big (NULL: room is kept for a four-character label and a
 * one-digit window); strip NULL when the hall has no windows to show. */
void layout_hall(int cols, int rows, const char *label, const char *window,
                 const layout_strip_need_t *strip, layout_hall_t *out);
/* The page of the strip to show at wall-clock second `now_s`. */
int layout_strip_page(const layout_hall_t *L, long long now_s);

typedef struct {
    int cols, rows;
    int too_small;
    int title_row;
    int big_top;
    layout_big_t big;
    int caption_row; /* state in words under the number */
    int status_row;
} layout_counter_t;

void layout_counter(int cols, int rows, const char *label, layout_counter_t *out);

/* The notice as shown at scroll position `offset` (columns) in a line `width` columns wide:
 * text that fits is centered and still; longer text runs right to left, wrapping round
 * with a gap, never showing half a Chinese character. Returns the columns written (always
 * width), -1 when out is too small. */
int layout_marquee(const char *text, int width, long offset, char *out, size_t outlen);
/* Columns of one full turn of the marquee (0 when the text fits and does not move). */
int layout_marquee_period(const char *text, int width);

#endif
