/* Finds block-font text on a captured terminal screen (tmux capture-pane -p -e -N on stdin):
 * prints "SXxSY ROW COL" of the first place where TEXT appears at any scale, exit 0; exit 1
 * when it is not there. The display paints lit pixels as reverse-video spaces, and in a flash
 * phase the area reversed with the pixels plain: both ways round are tried, and the second
 * is reported as "SXxSY ROW COL flash". Cells are counted by display width, so Chinese
 * text on the same rows does not shift the columns.
 *
 * With --text it prints the screen instead, as plain text with every reverse-video blank as
 * '#': a capture a person can read, kept by the tests under build/captures/.
 *
 * usage: display-bigfont-find TEXT < capture.txt
 *        display-bigfont-find --text < capture.txt > screen.txt */
#define _XOPEN_SOURCE 700 /* wcwidth */
#include "bigfont.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define S_ROWS 400
#define S_COLS 1000

static unsigned char s_lit[S_ROWS][S_COLS]; /* 1 where the screen shows a reversed blank */
static int s_nrows;
static int s_ncols; /* columns of the widest row */

/* Applies one SGR sequence's parameters ("7", "0", "1;7", "" ...) to the reverse flag. */
static void s_sgr(const char *params, size_t len, int *reverse)
{
    if (len == 0) {
        *reverse = 0;
        return;
    }
    char buf[128];
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    memcpy(buf, params, len);
    buf[len] = '\0';
    for (char *save = NULL, *p = strtok_r(buf, ";:", &save); p; p = strtok_r(NULL, ";:", &save)) {
        int n = atoi(p);
        if (n == 0)
            *reverse = 0;
        else if (n == 7)
            *reverse = 1;
        else if (n == 27)
            *reverse = 0;
    }
}

/* Reads the screen; with `text`, prints it as plain text with reversed blanks as '#' and
 * without trailing blanks. */
static void s_read_screen(int text)
{
    char line[65536], out[65536];
    size_t outlen = 0, kept = 0; /* bytes of out; of them, up to the last one not a blank */
    int reverse = 0;             /* SGR state carries over line ends in tmux's capture */
    while (s_nrows < S_ROWS && fgets(line, sizeof line, stdin)) {
        mbstate_t st;
        memset(&st, 0, sizeof st);
        const char *p = line;
        size_t left = strlen(line);
        int col = 0;
        while (left > 0) {
            if (*p == '\033') {
                /* CSI ... final byte; only SGR (final 'm') matters here. */
                size_t n = 1;
                if (left > 1 && p[1] == '[') {
                    n = 2;
                    while (n < left && ((unsigned char)p[n] < 0x40 || (unsigned char)p[n] > 0x7e))
                        n++;
                    if (n < left && p[n] == 'm')
                        s_sgr(p + 2, n - 2, &reverse);
                    if (n < left)
                        n++;
                } else if (left > 1 && p[1] == ']') {
                    /* OSC up to BEL or ST */
                    while (n < left && p[n] != '\a' && !(p[n] == '\033' && n + 1 < left))
                        n++;
                    n += n < left ? 1 : 0;
                } else if (left > 1) {
                    n = 2;
                }
                p += n;
                left -= n;
                continue;
            }
            wchar_t wc;
            size_t n = mbrtowc(&wc, p, left, &st);
            if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
                memset(&st, 0, sizeof st);
                n = 1;
                wc = L'?';
            }
            int w = wcwidth(wc);
            if (wc == L'\n') {
                if (text) {
                    fwrite(out, 1, kept, stdout);
                    putchar('\n');
                }
                outlen = kept = 0;
            } else {
                int lit = wc == L' ' && reverse;
                if (col < S_COLS)
                    s_lit[s_nrows][col] = (unsigned char)lit;
                if (text && outlen + n < sizeof out) {
                    if (lit) {
                        out[outlen++] = '#';
                    } else {
                        memcpy(out + outlen, p, n);
                        outlen += n;
                    }
                    if (lit || wc != L' ')
                        kept = outlen;
                }
                col += w > 0 ? w : 1;
            }
            p += n;
            left -= n;
        }
        if (col > s_ncols)
            s_ncols = col < S_COLS ? col : S_COLS;
        s_nrows++;
    }
}

/* 1 when text at scale sx, sy sits at (row, col) exactly, blank cells included; `inverted`:
 * lit pixels are the cells that are not reversed. */
static int s_match(const char *text, int sx, int sy, int row, int col, int inverted)
{
    int width = bigfont_width(text, sx), height = bigfont_height(sy);
    if (width < 0 || row + height > s_nrows || col + width > s_ncols)
        return 0;
    char mask[S_COLS + 1];
    for (int r = 0; r < height; r++) {
        if (bigfont_row(text, sx, sy, r, mask, sizeof mask) != 0)
            return 0;
        for (int c = 0; c < width; c++) {
            int lit = mask[c] == BIGFONT_LIT;
            if (lit != (s_lit[row + r][col + c] ^ inverted))
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
        for (int x = 0; x < bigfont_glyph_width(c); x++)
            if (bigfont_pixel(c, x, y)) {
                *gx = x;
                *gy = y;
                return 0;
            }
    return -1;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C.UTF-8");
    if (argc == 2 && strcmp(argv[1], "--text") == 0) {
        s_read_screen(1);
        return 0;
    }
    if (argc != 2 || bigfont_width(argv[1], 1) <= 0) {
        fprintf(stderr, "usage: %s TEXT < screen.txt\n       %s --text < screen.txt\n", argv[0],
                argv[0]);
        return 2;
    }
    s_read_screen(0);
    const char *text = argv[1];
    int gx, gy;
    if (s_first_pixel(text[0], &gx, &gy) != 0)
        return 2;
    /* Largest scale first, so the answer is the size on screen, not a part of it. */
    for (int sy = 12; sy >= 1; sy--)
        for (int sx = 24; sx >= 1; sx--)
            for (int inverted = 0; inverted <= 1; inverted++)
                for (int r = 0; r < s_nrows; r++)
                    for (int c = 0; c < s_ncols; c++) {
                        if (s_lit[r][c] == inverted)
                            continue;
                        int row = r - gy * sy, col = c - gx * sx;
                        if (row >= 0 && col >= 0 && s_match(text, sx, sy, row, col, inverted)) {
                            printf("%dx%d %d %d%s\n", sx, sy, row, col, inverted ? " flash" : "");
                            return 0;
                        }
                    }
    return 1;
}
