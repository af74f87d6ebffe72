/* Finds block-font text on a captured terminal screen (tmux capture-pane -p on stdin):
 * prints "SXxSY ROW COL" of the first place where TEXT appears at any scale, exit 0; exit 1
 * when it is not there. Cells are counted by display width, so Chinese text on the same
 * rows does not shift the columns. Test tool for tests/display/tmux.sh.
 *
 * usage: display-bigfont-find TEXT < capture.txt */
#define _XOPEN_SOURCE 700 /* wcwidth */
#include "bigfont.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define S_ROWS 400
#define S_COLS 1000

static unsigned char s_lit[S_ROWS][S_COLS]; /* 1 where the screen shows a full block */
static int s_nrows;

static void s_read_screen(void)
{
    char line[16384];
    while (s_nrows < S_ROWS && fgets(line, sizeof line, stdin)) {
        mbstate_t st;
        memset(&st, 0, sizeof st);
        const char *p = line;
        size_t left = strlen(line);
        int col = 0;
        while (left > 0 && col < S_COLS) {
            wchar_t wc;
            size_t n = mbrtowc(&wc, p, left, &st);
            if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
                memset(&st, 0, sizeof st);
                n = 1;
                wc = L'?';
            }
            int w = wcwidth(wc);
            if (wc == 0x2588)
                s_lit[s_nrows][col] = 1;
            col += w > 0 ? w : (wc == L'\n' ? 0 : 1);
            p += n;
            left -= n;
        }
        s_nrows++;
    }
}

/* 1 when text at scale sx, sy sits at (row, col) exactly, blank cells included. */
static int s_match(const char *text, int sx, int sy, int row, int col)
{
    int width = bigfont_width((int)strlen(text), sx), height = bigfont_height(sy);
    if (row + height > s_nrows || col + width > S_COLS)
        return 0;
    for (int r = 0; r < height; r++) {
        int y = r / sy;
        for (int c = 0; c < width; c++) {
            int glyph = c / (6 * sx), x = (c % (6 * sx)) / sx;
            int lit = x < BIGFONT_W && bigfont_pixel(text[glyph], x, y);
            if (lit != s_lit[row + r][col + c])
                return 0;
        }
    }
    return 1;
}

/* The first lit pixel of c, row by row: every placement of c puts it on a lit cell, so only
 * lit cells need to be tried as anchors. 0 ok, -1 when c has no lit pixel (space). */
static int s_first_pixel(char c, int *gx, int *gy)
{
    for (int y = 0; y < BIGFONT_H; y++)
        for (int x = 0; x < BIGFONT_W; x++)
            if (bigfont_pixel(c, x, y)) {
                *gx = x;
                *gy = y;
                return 0;
            }
    return -1;
}

int main(int argc, char **argv)
{
    if (argc != 2 || !argv[1][0] || !bigfont_has(argv[1][0])) {
        fprintf(stderr, "usage: %s TEXT < screen.txt\n", argv[0]);
        return 2;
    }
    setlocale(LC_ALL, "C.UTF-8");
    s_read_screen();
    const char *text = argv[1];
    int gx, gy;
    if (s_first_pixel(text[0], &gx, &gy) != 0)
        return 2;
    /* Largest scale first, so the answer is the size on screen, not a part of it. */
    for (int sy = 12; sy >= 1; sy--)
        for (int sx = 24; sx >= 1; sx--)
            for (int r = 0; r < s_nrows; r++)
                for (int c = 0; c < S_COLS; c++) {
                    if (!s_lit[r][c])
                        continue;
                    int row = r - gy * sy, col = c - gx * sx;
                    if (row >= 0 && col >= 0 && s_match(text, sx, sy, row, col)) {
                        printf("%dx%d %d %d\n", sx, sy, row, col);
                        return 0;
                    }
                }
    return 1;
}
