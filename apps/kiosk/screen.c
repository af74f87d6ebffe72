/* screen: see screen.h. ncursesw's pkg-config cflags define _XOPEN_SOURCE=600 (wide
 * characters); it is not redefined here. */
#include "screen.h"

#include "hq_text.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static SCREEN *s_term; /* the terminal while the kiosk owns it, else NULL */

enum { S_PAIR_GREEN = 1, S_PAIR_ERROR, S_PAIR_TITLE };

int kiosk_screen_check(char *why, size_t whylen)
{
    const char *term = getenv("TERM");
    const char *problem = NULL;
    if (!term || !*term)
        problem = "TERM is not set: the kiosk needs a terminal";
    else if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        problem = "the kiosk needs a terminal on standard input and output";
    else if (hq_text_locale() != 0)
        problem = "no UTF-8 locale (not even C.UTF-8): Chinese cannot be shown";
    if (!problem)
        return 0;
    snprintf(why, whylen, "%s (or give --queue to issue one ticket)", problem);
    return -1;
}

int kiosk_screen_open(char *why, size_t whylen)
{
    if (s_term)
        return 0;
    s_term = newterm(NULL, stdout, stdin);
    if (!s_term) {
        snprintf(why, whylen, "terminal type '%s' is unknown here", getenv("TERM"));
        return -1;
    }
    set_term(s_term);
    cbreak(); /* Ctrl-C still raises SIGINT, which ends the loop cleanly */
    noecho();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE); /* keys are read when the loop sees the terminal readable */
    set_escdelay(25);
    curs_set(0);
    if (has_colors()) {
        start_color();
        use_default_colors();
        init_pair(S_PAIR_GREEN, COLOR_GREEN, -1);
        init_pair(S_PAIR_ERROR, COLOR_RED, -1);
        init_pair(S_PAIR_TITLE, COLOR_CYAN, -1);
    }
    return 0;
}

void kiosk_screen_close(void)
{
    if (!s_term)
        return;
    curs_set(1);
    endwin();
    delscreen(s_term);
    s_term = NULL;
}

void kiosk_screen_size(int *cols, int *rows)
{
    getmaxyx(stdscr, *rows, *cols);
}

/* A colour where the terminal has colours, bold where it has none. */
static attr_t s_colour(int pair)
{
    return has_colors() ? COLOR_PAIR(pair) : A_BOLD;
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
    if (!s_term)
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
    if (!s_term)
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
