/* A 5x7 block font for the "now calling" number: letters A-Z, digits 0-9, space, '-' and
 * the arrow '>' (three pixels wide) that stands between the number and the window, so that
 * "A034" and window 2 never read as A0342. Each font pixel is sx columns by sy rows of the
 * screen, so the caller picks the size that fills it (terminal cells are about twice as tall
 * as wide, so sx = 2 * sy gives square pixels).
 *
 * Rows come out as masks ('#' lit, ' ' not), never as characters to print: the screen paints
 * lit pixels as reverse-video spaces. A block character such as U+2588 has an ambiguous East
 * Asian width; under a CJK locale or font a terminal may draw it two columns wide and break
 * the layout, while a space is one column everywhere. Pure: renders into caller buffers. */
#ifndef DISPLAY_BIGFONT_H
#define DISPLAY_BIGFONT_H

#include <stddef.h>

#define BIGFONT_W 5 /* pixels across a letter or digit */
#define BIGFONT_H 7
#define BIGFONT_ARROW '>' /* between the number and the window */
#define BIGFONT_LIT '#'   /* a lit pixel in a row mask */

/* 1 when the font has a glyph for c (lower-case letters count as upper-case). */
int bigfont_has(char c);
/* Pixels across the glyph of c (BIGFONT_W, or 3 for the arrow); 0 for unknown characters. */
int bigfont_glyph_width(char c);
/* 1 when font pixel (x, y) of c is lit; 0 for unknown characters. */
int bigfont_pixel(char c, int x, int y);
/* Columns taken by text at horizontal scale sx (glyphs are one pixel, sx columns, apart);
 * -1 when text has a character the font lacks. */
int bigfont_width(const char *text, int sx);
/* Rows taken at vertical scale sy. */
int bigfont_height(int sy);
/* Writes row `row` (0 .. bigfont_height(sy)-1) of text into out as a mask: BIGFONT_LIT for
 * lit pixels, spaces elsewhere, exactly bigfont_width(text, sx) columns. 0 ok, -1 when it
 * does not fit in outlen or text has a character the font lacks. */
int bigfont_row(const char *text, int sx, int sy, int row, char *out, size_t outlen);

#endif
