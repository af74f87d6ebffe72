/* Where things go on the screen, as pure arithmetic on its size: the big "now calling"
 * number gets the largest glyph scale that fits, the lists get the rest, from 80x24 up
 * to a large TV console. Also the scrolling notice line, cut by display columns (Chinese
 * characters are two wide). No curses here, so it is unit-tested. */
#ifndef DISPLAY_LAYOUT_H
#define DISPLAY_LAYOUT_H

#include <stddef.h>

#define LAYOUT_MIN_COLS 40
#define LAYOUT_MIN_ROWS 12
#define LAYOUT_MARQUEE_GAP 6 /* blank columns between two turns of the notice */

/* The big text: a label and, optionally, a window number beside it. */
typedef struct {
    int sx, sy;     /* glyph scale; 0 when it does not fit and plain text must do */
    int rows;       /* rows the glyphs take */
    int label_col;  /* first column of the label's glyphs */
    int window_col; /* first column of the window's glyphs (when there are any) */
    int width;      /* columns of the whole group */
} layout_big_t;

/* Largest glyph scale at which label_chars (and window_chars after a gap) fit in
 * cols x rows, preferring height, then pixels about as wide as tall (sx = 2 sy).
 * Centered horizontally. 0 ok, -1 when even the smallest scale does not fit. */
int layout_big(int cols, int rows, int label_chars, int window_chars, layout_big_t *out);

typedef struct {
    int cols, rows;
    int too_small;   /* below LAYOUT_MIN_*: only a message is drawn */
    int title_row;   /* hall name, link mark, clock */
    int caption_row; /* "now calling" and "window" captions */
    int big_top;     /* first row of the big glyphs */
    layout_big_t big;
    int sentence_row;             /* the call in words */
    int lists_top;                /* headings of the two lists */
    int list_rows;                /* rows below the headings */
    int calls_col, calls_width;   /* recent calls, left */
    int calls_columns;            /* entries side by side on wide screens */
    int queues_col, queues_width; /* waiting counts, right */
    int status_row;               /* transient messages (audio off ...) */
    int notice_row;               /* the hall's scrolling notice */
} layout_hall_t;

void layout_hall(int cols, int rows, int label_chars, int window_chars, layout_hall_t *out);

typedef struct {
    int cols, rows;
    int too_small;
    int title_row;
    int big_top;
    layout_big_t big;
    int caption_row; /* state in words under the number */
    int status_row;
} layout_counter_t;

void layout_counter(int cols, int rows, int label_chars, layout_counter_t *out);

/* The notice as shown at scroll position `offset` (columns) in a line `width` columns wide:
 * text that fits is centered and still; longer text runs right to left, wrapping round
 * with a gap, never showing half a Chinese character. Returns the columns written (always
 * width), -1 when out is too small. */
int layout_marquee(const char *text, int width, long offset, char *out, size_t outlen);
/* Columns of one full turn of the marquee (0 when the text fits and does not move). */
int layout_marquee_period(const char *text, int width);

#endif
