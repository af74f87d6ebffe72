/* ui_curses: see ui_curses.h. ncursesw's pkg-config cflags define _XOPEN_SOURCE=600 (wide
 * characters); it is not redefined here. */
#include "ui_curses.h"

#include "hq_signals.h"
#include "hq_text.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_ESCDELAY_MS 25 /* Escape alone, not the start of an arrow key's sequence */

static SCREEN *s_screen;              /* the terminal while the program owns it, else NULL */
static int s_colours;                 /* the program's colour pairs are set */
static int s_saved_stderr = -1;       /* the real stderr while it is diverted */
static int s_at_exit;                 /* ui_curses_close is registered with atexit */
static ui_lang_t s_lang = UI_LANG_EN; /* of the problems written (ui_curses_lang) */

void ui_curses_lang(ui_lang_t lang)
{
    s_lang = lang;
}

static const char *s_text(int id)
{
    return ui_text(&ui_curses_texts, id, s_lang);
}

int ui_curses_check(const char *hint, char *why, size_t whylen)
{
    const char *term = getenv("TERM");
    const char *problem = NULL;
    if (!term || !*term)
        problem = s_text(UI_CURSES_T_NO_TERM);
    else if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        problem = s_text(UI_CURSES_T_NO_TTY);
    else if (hq_text_locale() != 0)
        problem = s_text(UI_CURSES_T_NO_UTF8);
    if (!problem)
        return 0;
    snprintf(why, whylen, "%s%s%s", problem, hint ? "; " : "", hint ? hint : "");
    return -1;
}

int ui_curses_log_to(const char *path, char *why, size_t whylen)
{
    if (s_saved_stderr >= 0 || (!path && !isatty(STDERR_FILENO)))
        return 0; /* diverted already, or a journal or a file */
    int fd = open(path ? path : "/dev/null", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(why, whylen, "cannot open log %s: %s", path ? path : "/dev/null", strerror(errno));
        return -1;
    }
    fflush(stderr);
    s_saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
    dup2(fd, STDERR_FILENO);
    close(fd);
    return 0;
}

int ui_curses_stderr(void)
{
    return s_saved_stderr >= 0 ? s_saved_stderr : STDERR_FILENO;
}

int ui_curses_open(const ui_curses_pair_t *pairs, int npairs, char *why, size_t whylen)
{
    if (s_screen)
        return 0;
    s_screen = newterm(NULL, stdout, stdin);
    if (!s_screen) {
        snprintf(why, whylen, s_text(UI_CURSES_T_UNKNOWN_TERM), getenv("TERM"));
        return -1;
    }
    if (!s_at_exit)
        s_at_exit = atexit(ui_curses_close) == 0;
    hq_signals_catch();
    set_term(s_screen);
    cbreak(); /* Ctrl-C still raises SIGINT, which ends the loop cleanly */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE); /* keys are read when the loop sees the terminal readable */
    set_escdelay(S_ESCDELAY_MS);
    curs_set(0);
    s_colours = has_colors();
    if (s_colours) {
        start_color();
        use_default_colors();
        for (int i = 0; i < npairs; i++)
            init_pair((short)(i + 1), pairs[i].fg, pairs[i].bg);
    }
    return 0;
}

int ui_curses_active(void)
{
    return s_screen != NULL;
}

int ui_curses_colours(void)
{
    return s_screen && s_colours;
}

void ui_curses_size(int *cols, int *rows)
{
    int y = 24, x = 80; /* before the screen is up: a classic terminal */
    if (s_screen)
        getmaxyx(stdscr, y, x);
    *cols = x;
    *rows = y;
}

void ui_curses_close(void)
{
    if (s_screen) {
        curs_set(1);
        endwin();
        delscreen(s_screen);
        s_screen = NULL;
    }
    if (s_saved_stderr >= 0) {
        fflush(stderr);
        dup2(s_saved_stderr, STDERR_FILENO);
        close(s_saved_stderr);
        s_saved_stderr = -1;
    }
}
