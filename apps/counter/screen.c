/* ncursesw's pkg-config cflags define _XOPEN_SOURCE=600 (wide characters); not redefined. */
#include "screen.h"

#include "ui_curses.h"
#include "ui_mouse.h"

#include <curses.h>

enum {
    S_PAIR_TITLE = 1,
    S_PAIR_HEAD,
    S_PAIR_GREEN,
    S_PAIR_WARN,
    S_PAIR_ALERT,
    S_PAIR_BANNER,
    S_PAIR_ERROR,
    S_PAIR_OK
};

static const ui_curses_pair_t s_pairs[] = {
    [S_PAIR_TITLE - 1] = {COLOR_WHITE, COLOR_BLUE},
    [S_PAIR_HEAD - 1] = {COLOR_CYAN, -1},
    [S_PAIR_GREEN - 1] = {COLOR_BLACK, COLOR_GREEN},
    [S_PAIR_WARN - 1] = {COLOR_YELLOW, -1},
    [S_PAIR_ALERT - 1] = {COLOR_WHITE, COLOR_RED},
    [S_PAIR_BANNER - 1] = {COLOR_WHITE, COLOR_RED},
    [S_PAIR_ERROR - 1] = {COLOR_RED, -1},
    [S_PAIR_OK - 1] = {COLOR_GREEN, -1},
};

static const hqc_view_t *s_drawn; /* the view on screen: what a click lands on */

int hqc_screen_open(char *why, size_t whylen)
{
    if (ui_curses_open(s_pairs, (int)(sizeof s_pairs / sizeof s_pairs[0]), why, whylen) != 0)
        return -1;
    ui_mouse_enable();
    return 0;
}

/* The attributes of a role; greyed (dim, no colour) when the state shown is stale, except
 * for what tells the clerk about the staleness itself. */
static attr_t s_attr(hqc_role_t role, int stale)
{
    if (stale && role != HQC_R_BANNER && role != HQC_R_ERROR && role != HQC_R_OK) {
        if (role == HQC_R_KEY || role == HQC_R_SELECTED)
            return A_DIM | A_REVERSE;
        return A_DIM;
    }
    int c = ui_curses_colours();
    switch (role) {
    case HQC_R_DIM:
    case HQC_R_KEY_OFF:
        return A_DIM;
    case HQC_R_TITLE:
        return A_BOLD | (c ? COLOR_PAIR(S_PAIR_TITLE) : A_REVERSE);
    case HQC_R_HEAD:
        return A_BOLD | (c ? COLOR_PAIR(S_PAIR_HEAD) : 0);
    case HQC_R_STRONG:
        return A_BOLD;
    case HQC_R_GREEN:
        return A_BOLD | (c ? COLOR_PAIR(S_PAIR_GREEN) : A_REVERSE);
    case HQC_R_WARN:
        return A_BOLD | (c ? COLOR_PAIR(S_PAIR_WARN) : A_UNDERLINE);
    case HQC_R_ALERT:
        return A_BOLD | (c ? COLOR_PAIR(S_PAIR_ALERT) : A_REVERSE);
    case HQC_R_BANNER:
        return A_BOLD | (c ? COLOR_PAIR(S_PAIR_BANNER) : A_REVERSE);
    case HQC_R_RULE:
        return A_DIM;
    case HQC_R_KEY:
    case HQC_R_SELECTED:
        return A_BOLD | A_REVERSE;
    case HQC_R_ERROR:
        return A_BOLD | (c ? COLOR_PAIR(S_PAIR_ERROR) : 0);
    case HQC_R_OK:
        return c ? COLOR_PAIR(S_PAIR_OK) : 0;
    case HQC_R_TEXT:
    default:
        return A_NORMAL;
    }
}

void hqc_screen_draw(const hqc_view_t *v)
{
    if (!ui_curses_active())
        return;
    erase();
    for (int r = 0; r < v->rows; r++) {
        const hqc_line_t *l = &v->line[r];
        for (int i = 0; i < l->nsegs; i++) {
            const hqc_seg_t *sg = &l->segs[i];
            attrset(s_attr((hqc_role_t)sg->role, v->stale));
            /* Rules stay ASCII dashes: ACS and U+2500 line drawing are unreliable under
             * tmux/screen and two columns wide in terminals set for East Asian widths. */
            mvaddnstr(r, sg->col, l->text + sg->off, sg->len);
        }
    }
    attrset(A_NORMAL);
    refresh();
    s_drawn = v;
}

static int s_map(int ch)
{
    switch (ch) {
    case KEY_UP:
        return HQC_KEY_UP;
    case KEY_DOWN:
        return HQC_KEY_DOWN;
    case KEY_ENTER:
    case '\n':
    case '\r':
        return HQC_KEY_ENTER;
    case 27:
        return HQC_KEY_ESC;
    case KEY_BACKSPACE:
    case KEY_DC:
    case 127:
    case 8:
        return HQC_KEY_BACKSPACE;
    default:
        return (ch >= 0 && ch < 256) ? ch : -1;
    }
}

int hqc_screen_key(int *key)
{
    if (!ui_curses_active())
        return HQC_SCREEN_NONE;
    for (;;) {
        int ch = getch();
        if (ch == ERR)
            return HQC_SCREEN_NONE;
        if (ch == KEY_RESIZE)
            return HQC_SCREEN_RESIZE;
        int col, row;
        if (ch == KEY_MOUSE) {
            /* A click on nothing that acts, or before anything was drawn, does nothing. */
            int k = s_drawn && ui_mouse_press(&col, &row) ? hqc_view_key_at(s_drawn, row, col) : -1;
            if (k < 0)
                continue;
            *key = k;
            return HQC_SCREEN_KEY;
        }
        int k = s_map(ch);
        if (k < 0)
            continue; /* function keys and the like: nothing is bound to them */
        *key = k;
        return HQC_SCREEN_KEY;
    }
}
