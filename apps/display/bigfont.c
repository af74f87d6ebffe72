/* bigfont: see bigfont.h. */
#include "bigfont.h"

#include <string.h>

/* Seven rows of five pixels per glyph, '#' lit. Shapes follow the common 5x7 LED font so
 * that 0/O, 1/I, 5/S and 8/B stay apart at a distance. */
static const struct {
    char c;
    const char *rows[BIGFONT_H];
} s_glyphs[] = {
    {'0', {" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "}},
    {'1', {"  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "}},
    {'2', {" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"}},
    {'3', {"#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "}},
    {'4', {"   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "}},
    {'5', {"#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "}},
    {'6', {"  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "}},
    {'7', {"#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "}},
    {'8', {" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "}},
    {'9', {" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "}},
    {'A', {" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"}},
    {'B', {"#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### "}},
    {'C', {" ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### "}},
    {'D', {"###  ", "#  # ", "#   #", "#   #", "#   #", "#  # ", "###  "}},
    {'E', {"#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"}},
    {'F', {"#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    "}},
    {'G', {" ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####"}},
    {'H', {"#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"}},
    {'I', {" ### ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "}},
    {'J', {"  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  "}},
    {'K', {"#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #"}},
    {'L', {"#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"}},
    {'M', {"#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #"}},
    {'N', {"#   #", "#   #", "##  #", "# # #", "#  ##", "#   #", "#   #"}},
    {'O', {" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "}},
    {'P', {"#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    "}},
    {'Q', {" ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #"}},
    {'R', {"#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"}},
    {'S', {" ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "}},
    {'T', {"#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "}},
    {'U', {"#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "}},
    {'V', {"#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  "}},
    {'W', {"#   #", "#   #", "#   #", "# # #", "# # #", "# # #", " # # "}},
    {'X', {"#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #"}},
    {'Y', {"#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  "}},
    {'Z', {"#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####"}},
    {'-', {"     ", "     ", "     ", "#####", "     ", "     ", "     "}},
    {' ', {"     ", "     ", "     ", "     ", "     ", "     ", "     "}},
};

static int s_index(char c)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    for (size_t i = 0; i < sizeof s_glyphs / sizeof s_glyphs[0]; i++)
        if (s_glyphs[i].c == c)
            return (int)i;
    return -1;
}

int bigfont_has(char c)
{
    return s_index(c) >= 0;
}

int bigfont_pixel(char c, int x, int y)
{
    int i = s_index(c);
    if (i < 0 || x < 0 || x >= BIGFONT_W || y < 0 || y >= BIGFONT_H)
        return 0;
    return s_glyphs[i].rows[y][x] == '#';
}

int bigfont_width(int n, int sx)
{
    return n > 0 ? n * BIGFONT_W * sx + (n - 1) * sx : 0;
}

int bigfont_height(int sy)
{
    return BIGFONT_H * sy;
}

int bigfont_row(const char *text, int sx, int sy, int row, char *out, size_t outlen)
{
    if (outlen == 0)
        return -1;
    out[0] = '\0';
    if (sx < 1 || sy < 1 || row < 0 || row >= bigfont_height(sy))
        return -1;
    size_t n = strlen(text);
    for (size_t i = 0; i < n; i++)
        if (!bigfont_has(text[i]))
            return -1;
    size_t block = strlen(BIGFONT_BLOCK), used = 0;
    int y = row / sy;
    for (size_t i = 0; i < n; i++) {
        int cols = BIGFONT_W * sx + (i + 1 < n ? sx : 0); /* glyph, then the gap */
        for (int col = 0; col < cols; col++) {
            int lit = col < BIGFONT_W * sx && bigfont_pixel(text[i], col / sx, y);
            size_t add = lit ? block : 1;
            if (used + add + 1 > outlen) {
                out[0] = '\0';
                return -1;
            }
            memcpy(out + used, lit ? BIGFONT_BLOCK : " ", add);
            used += add;
        }
    }
    out[used] = '\0';
    return 0;
}
