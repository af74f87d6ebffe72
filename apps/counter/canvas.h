/* canvas: the surface view.c lays the clerk's screen out on. A view is rows of segments,
 * each placed at a column, cut to a width by display columns (a Chinese character takes
 * two) and tagged with a role the terminal layer turns into colour. A canvas is a rectangle
 * of the view a section writes into row by row; rows past its limit are counted but not
 * drawn, so a section is measured by drawing it into a canvas with limit 0. Reading a view
 * back as text (hqc_view_plain and friends, in view.h) lives here too. Pure, like view.c. */
#ifndef HQC_CANVAS_H
#define HQC_CANVAS_H

#include "view.h"

#include <stddef.h>

typedef struct {
    hqc_view_t *v;
    int top;   /* first screen row */
    int x;     /* first column */
    int width; /* columns */
    int limit; /* rows it may draw */
    int n;     /* rows produced so far */
} hqc_canvas_t;

/* Puts text at (row, col) of the screen, at most `max` columns (padded to exactly `max`
 * when pad is set). Returns the column after it. The text is sanitised first
 * (hq_utf8_sanitise): escape sequences, controls and bytes that are not UTF-8 go, wherever
 * the text came from; every put of the view, the canvas's too, passes here. */
int hqc_view_put(hqc_view_t *v, int row, int col, int max, hqc_role_t role, int pad,
                 const char *text);
/* Removes what was drawn on one row between columns x and x + width. */
void hqc_view_clear_span(hqc_view_t *v, int row, int x, int width);

/* Puts text in canvas row `row` (relative) from column `col`, within the canvas width;
 * returns the column after it, also for a row past the limit (measured, not drawn). */
int hqc_canvas_put(hqc_canvas_t *cv, int row, int col, hqc_role_t role, const char *text);
int hqc_canvas_putf(hqc_canvas_t *cv, int row, int col, hqc_role_t role, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Notes that a click on `width` columns from (row, col) of the canvas stands for `key`;
 * only for a row it draws, cut to its width. */
void hqc_canvas_hit(hqc_canvas_t *cv, int row, int col, int width, int key);
/* Takes a new row of the canvas; returns its number. */
int hqc_canvas_row(hqc_canvas_t *cv);
/* Wraps text over new rows of the canvas from column `indent` (sanitised before it is cut). */
void hqc_canvas_wrap(hqc_canvas_t *cv, int indent, hqc_role_t role, const char *text);

#endif
