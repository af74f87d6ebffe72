/* screen: see screen.h. ncursesw's pkg-config cflags define _XOPEN_SOURCE=600 (wide
 * characters); it is not redefined here. */
#include "screen.h"

#include "ui_curses.h"

#include <curses.h>

enum { S_PAIR_GREEN = 1, S_PAIR_ERROR, S_PAIR_TITLE };

static const ui_curses_pair_t s_pairs[] = {
    [S_PAIR_GREEN - 1] = {COLOR_GREEN, -1},
    [S_PAIR_ERROR - 1] = {COLOR_RED, -1},
    [S_PAIR_TITLE - 1] = {COLOR_CYAN, -1},
};

int kiosk_screen_open(char *why, size_t whylen)
{
    return ui_curses_open(s_pairs, (int)(sizeof s_pairs / sizeof s_pairs[0]), why, whylen);
}

/* A colour where the terminal has colours, bold where it has none. */
static attr_t s_colour(int pair)
{
    return ui_curses_colours() ? COLOR_PAIR(pair) : A_BOLD;
}

static attr_t s_attr(kiosk_role_t role)
{
    switch (role) {
    case KIOSK_R_DIM:
        return A_DIM;
    case KIOSK_R_STRONG:
        return A_BOLD;
    case KIOSK_R_TITLE:
        return s_colour(S_PAIR_TITLE) | A_BOLD;
    case KIOSK_R_SELECTED:
    case KIOSK_R_NUMBER:
        return A_REVERSE | A_BOLD;
    case KIOSK_R_GREEN:
        return s_colour(S_PAIR_GREEN) | A_BOLD;
    case KIOSK_R_ERROR:
        return s_colour(S_PAIR_ERROR) | A_BOLD;
    case KIOSK_R_INPUT:
        return A_BOLD | A_UNDERLINE;
    default:
        return A_NORMAL;
    }
}

void kiosk_screen_draw(const kiosk_view_t *v)
{
    if (!ui_curses_active())
        return;
    erase();
    for (int r = 0; r < v->rows; r++) {
        const kiosk_row_t *row = &v->row[r];
        if (row->role == KIOSK_R_NONE)
            continue;
        attrset(s_attr((kiosk_role_t)row->role));
        mvaddstr(r, row->col, row->text);
    }
    attrset(A_NORMAL);
    refresh();
}

int kiosk_screen_key(int *key)
{
    if (!ui_curses_active())
        return KIOSK_SCREEN_NONE;
    for (int ch; (ch = getch()) != ERR;) {
        int k;
        switch (ch) {
        case KEY_RESIZE:
            return KIOSK_SCREEN_RESIZE;
        case KEY_UP:
            k = KIOSK_KEY_UP;
            break;
        case KEY_DOWN:
            k = KIOSK_KEY_DOWN;
            break;
        case KEY_LEFT:
            k = KIOSK_KEY_LEFT;
            break;
        case KEY_RIGHT:
            k = KIOSK_KEY_RIGHT;
            break;
        case KEY_ENTER:
        case '\n':
        case '\r':
            k = KIOSK_KEY_ENTER;
            break;
        case 27:
            k = KIOSK_KEY_ESC;
            break;
        case KEY_BACKSPACE:
        case 127:
        case '\b':
            k = KIOSK_KEY_BACKSPACE;
            break;
        default:
            if (ch == KEY_F(10))
                k = KIOSK_KEY_F10;
            else if (ch >= 0 && ch < 256)
                k = ch;
            else
                continue; /* other function keys: nothing is bound to them */
        }
        *key = k;
        return KIOSK_SCREEN_KEY;
    }
    return KIOSK_SCREEN_NONE;
}
