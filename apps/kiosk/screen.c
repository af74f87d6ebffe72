/* screen: see screen.h. ncursesw's pkg-config cflags define _XOPEN_SOURCE=600 (wide
 * characters); it is not redefined here. */
#include "screen.h"

#include "ui_curses.h"

#include <curses.h>

enum { S_PAIR_GREEN = 1, S_PAIR_ERROR, S_PAIR_TITLE, S_PAIR_SELECTED, S_PAIR_GREEN_BUTTON };

static const ui_curses_pair_t s_pairs[] = {
    [S_PAIR_GREEN - 1] = {COLOR_GREEN, -1},
    [S_PAIR_ERROR - 1] = {COLOR_RED, -1},
    [S_PAIR_TITLE - 1] = {COLOR_CYAN, -1},
    [S_PAIR_SELECTED - 1] = {COLOR_WHITE, COLOR_BLUE},
    [S_PAIR_GREEN_BUTTON - 1] = {COLOR_BLACK, COLOR_GREEN},
};

int kiosk_screen_open(char *why, size_t whylen)
{
    if (ui_curses_open(s_pairs, (int)(sizeof s_pairs / sizeof s_pairs[0]), why, whylen) != 0)
        return -1;
    raw(); /* Ctrl-C and the like are keys here: a citizen cannot stop the kiosk */
    /* Presses, not clicks: a click waits for its release, and a touch screen's release may
     * come late or not at all. */
    mouseinterval(0);
    mousemask(BUTTON1_PRESSED, NULL);
    return 0;
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
        return ui_curses_colours() ? COLOR_PAIR(S_PAIR_SELECTED) | A_BOLD : A_REVERSE | A_BOLD;
    case KIOSK_R_NUMBER:
    case KIOSK_R_BUTTON:
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
    /* The touch targets as filled blocks, then the text on them. */
    for (int i = 0; i < v->ntargets; i++) {
        const kiosk_target_t *t = &v->target[i];
        attr_t a = t->role == KIOSK_R_GREEN && ui_curses_colours()
                       ? COLOR_PAIR(S_PAIR_GREEN_BUTTON) | A_BOLD
                       : s_attr((kiosk_role_t)t->role);
        attrset(a);
        for (int r = t->row; r < t->row + t->rows; r++)
            mvhline(r, t->col, ' ', t->cols);
    }
    for (int i = 0; i < v->npieces; i++) {
        const kiosk_piece_t *p = &v->piece[i];
        attr_t a = s_attr((kiosk_role_t)p->role);
        if (p->role == KIOSK_R_GREEN && ui_curses_colours())
            for (int k = 0; k < v->ntargets; k++) {
                const kiosk_target_t *t = &v->target[k];
                if (t->role == KIOSK_R_GREEN && p->row >= t->row && p->row < t->row + t->rows &&
                    p->col >= t->col && p->col < t->col + t->cols)
                    a = COLOR_PAIR(S_PAIR_GREEN_BUTTON) | A_BOLD;
            }
        attrset(a);
        mvaddstr(p->row, p->col, p->text);
    }
    attrset(A_NORMAL);
    refresh();
}

int kiosk_screen_key(int *key, int *col, int *row)
{
    if (!ui_curses_active())
        return KIOSK_SCREEN_NONE;
    for (int ch; (ch = getch()) != ERR;) {
        int k;
        switch (ch) {
        case KEY_RESIZE:
            return KIOSK_SCREEN_RESIZE;
        case KEY_MOUSE: {
            MEVENT ev;
            if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
                continue;
            *col = ev.x;
            *row = ev.y;
            return KIOSK_SCREEN_TAP;
        }
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
        case '\t':
            k = KIOSK_KEY_TAB;
            break;
        case KEY_BACKSPACE:
        case 127:
        case '\b':
            k = KIOSK_KEY_BACKSPACE;
            break;
        default:
            if (ch >= KEY_F(1) && ch <= KEY_F(12))
                k = KIOSK_KEY_F(ch - KEY_F0);
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
