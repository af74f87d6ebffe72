/* A 5x7 block font for the "now calling" number: letters A-Z, digits 0-9, space and '-'.
 * Each font pixel is drawn as sx columns by sy rows of full blocks, so the caller picks
 * the size that fills the screen (terminal cells are about twice as tall as wide, so
 * sx = 2 * sy gives square pixels). Pure: renders into caller-provided rows of text. */
#ifndef DISPLAY_BIGFONT_H
#define DISPLAY_BIGFONT_H

#include <stddef.h>

#define BIGFONT_W 5
#define BIGFONT_H 7
#define BIGFONT_BLOCK "\xe2\x96\x88" /* U+2588 FULL BLOCK, one column wide */

/* 1 when the font has a glyph for c (lower-case letters count as upper-case). */
int bigfont_has(char c);
/* 1 when font pixel (x, y) of c is lit; 0 for unknown characters. */
int bigfont_pixel(char c, int x, int y);
/* Columns taken by text of n characters at horizontal scale sx (glyphs are sx apart). */
int bigfont_width(int n, int sx);
/* Rows taken at vertical scale sy. */
int bigfont_height(int sy);
/* Renders row `row` (0 .. bigfont_height(sy)-1) of text into out as UTF-8: blocks for lit
 * pixels, spaces elsewhere, exactly bigfont_width(strlen(text), sx) columns. 0 ok,
 * -1 when it does not fit in outlen or text has a character the font lacks. */
int bigfont_row(const char *text, int sx, int sy, int row, char *out, size_t outlen);

#endif
