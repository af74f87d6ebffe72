/* bigfont: see bigfont.h. */
#include "bigfont.h"

#include <string.h>

/* Seven rows of pixels per glyph, '#' lit; five across but for the narrow arrow. Shapes
 * follow the common 5x7 LED font so that 0/O, 1/I, 5/S and 8/B stay apart at a distance. */
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
    {'>', {"   ", "#  ", "## ", "###", "## ", "#  ", "   "}},
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

int bigfont_glyph_width(char c)
{
    int i = s_index(c);
    return i < 0 ? 0 : (int)strlen(s_glyphs[i].rows[0]);
}

int bigfont_pixel(char c, int x, int y)
{
    int i = s_index(c);
    if (i < 0 || x < 0 || x >= bigfont_glyph_width(c) || y < 0 || y >= BIGFONT_H)
        return 0;
    return s_glyphs[i].rows[y][x] == '#';
}

int bigfont_width(const char *text, int sx)
{
    int width = 0;
    for (const char *p = text; *p; p++) {
        if (!bigfont_has(*p))
            return -1;
        width += bigfont_glyph_width(*p) * sx + (p[1] ? sx : 0);
    }
    return width;
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
    int width = bigfont_width(text, sx);
    if (width < 0 || (size_t)width + 1 > outlen)
        return -1;
    int y = row / sy, used = 0;
    for (const char *p = text; *p; p++) {
        int glyph = bigfont_glyph_width(*p) * sx;
        int cols = glyph + (p[1] ? sx : 0); /* the glyph, then the gap */
        for (int col = 0; col < cols; col++)
            out[used++] = col < glyph && bigfont_pixel(*p, col / sx, y) ? BIGFONT_LIT : ' ';
    }
    out[used] = '\0';
    return 0;
}
