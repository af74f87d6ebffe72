/* ncursesw's pkg-config cflags define _XOPEN_SOURCE=600 (wide characters); not redefined. */
#include "screen.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static SCREEN *s_screen;
static int s_colors;

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

int hqc_screen_check(char *why, size_t whylen)
{
    const char *term = getenv("TERM");
    if (!term || !*term) {
        snprintf(why, whylen,
                 "TERM is not set: hallq-counter needs a terminal "
                 "(e.g. TERM=xterm-256color)");
        return -1;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(why, whylen, "standard input and output must be a terminal");
        return -1;
    }
    return 0;
}

int hqc_screen_open(char *why, size_t whylen)
{
    if (s_screen)
        return 0;
    s_screen = newterm(NULL, stdout, stdin);
    if (!s_screen) {
        snprintf(why, whylen, "terminal type '%s' is unknown here", getenv("TERM"));
        return -1;
    }
    set_term(s_screen);
    cbreak(); /* Ctrl-C still raises SIGINT, which the loop turns into a clean exit */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(30);
    curs_set(0);
    s_colors = has_colors();
    if (s_colors) {
        start_color();
        use_default_colors();
        init_pair(S_PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
        init_pair(S_PAIR_HEAD, COLOR_CYAN, -1);
        init_pair(S_PAIR_GREEN, COLOR_BLACK, COLOR_GREEN);
        init_pair(S_PAIR_WARN, COLOR_YELLOW, -1);
        init_pair(S_PAIR_ALERT, COLOR_WHITE, COLOR_RED);
        init_pair(S_PAIR_BANNER, COLOR_WHITE, COLOR_RED);
        init_pair(S_PAIR_ERROR, COLOR_RED, -1);
        init_pair(S_PAIR_OK, COLOR_GREEN, -1);
    }
    return 0;
}

void hqc_screen_close(void)
{
    if (!s_screen)
        return;
    curs_set(1);
    endwin();
    delscreen(s_screen);
    s_screen = NULL;
}

void hqc_screen_size(int *cols, int *rows)
{
    int y, x;
    getmaxyx(stdscr, y, x);
    *cols = x;
    *rows = y;
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
    int c = s_colors;
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
    if (!s_screen)
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
    if (!s_screen)
        return HQC_SCREEN_NONE;
    for (;;) {
        int ch = getch();
        if (ch == ERR)
            return HQC_SCREEN_NONE;
        if (ch == KEY_RESIZE)
            return HQC_SCREEN_RESIZE;
        int k = s_map(ch);
        if (k < 0)
            continue; /* function keys and the like: nothing is bound to them */
        *key = k;
        return HQC_SCREEN_KEY;
    }
}
