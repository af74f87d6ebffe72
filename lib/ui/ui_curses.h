/* ui_curses: the one terminal skeleton of the screen programs (hallq-counter, hallq-display,
 * hallq-ticket). Each program keeps only what is its own: its colours, how it draws its view
 * and what its keys mean. The skeleton does the rest the same way for all of them:
 *
 *     if (ui_curses_check("or give --queue to issue one ticket", why, sizeof why) != 0)
 *         -> one line, UI_EXIT_USAGE            // before curses, which may end the process
 *     ui_curses_log_to(o.log, why, sizeof why)  // stderr off the screen while it is up
 *     ui_curses_open(pairs, npairs, why, sizeof why)
 *     ... the loop, until hq_signal_stop or the program's own quit ...
 *     ui_curses_close();                        // also run at exit, whatever the path
 *
 * The checks: TERM set, standard input and output terminals, a UTF-8 locale (C.UTF-8 when the
 * environment names none). The screen: cbreak (Ctrl-C still raises SIGINT), no echo, no
 * newline translation, keypad, keys read without waiting (the loop polls the terminal),
 * a short Escape delay, no cursor, the program's colour pairs on the terminal's default
 * background. Opening it arms hq_signals, so a stop signal ends the loop and the screen is
 * given back in order; an exit on any other path gives it back through atexit.
 *
 * Only programs that link ncursesw link this (the hquicurses target): hqui stays curses-free.
 * The header needs no curses.h. */
#ifndef HQ_UI_CURSES_H
#define HQ_UI_CURSES_H

#include "ui_i18n.h"

#include <stddef.h>

/* The language of the problems ui_curses_check and ui_curses_open write: the person starting
 * a screen reads them (the program's --lang). English until a program sets it. */
void ui_curses_lang(ui_lang_t lang);
/* Those problems, and the words every screen shares, in both languages (ui_curses_texts.c,
 * curses-free; tests/unit/test_texts.c checks them with every other table), by these ids. */
enum {
    UI_CURSES_T_NO_TERM = 1,  /* TERM unset or empty */
    UI_CURSES_T_NO_TTY,       /* standard input or output is no terminal */
    UI_CURSES_T_NO_UTF8,      /* no UTF-8 locale */
    UI_CURSES_T_UNKNOWN_TERM, /* %s: TERM, which the terminal database lacks */
    UI_CURSES_T_SIMULATED,    /* %s: the speed of a hall's simulated clock */
    UI_CURSES_T_COUNT_
};
extern const ui_table_t ui_curses_texts;

/* The mark every screen of a hall on a simulated clock (hallqd --simulate) carries in its
 * title, so that nobody takes a training hall's numbers for real ones: "" when speed is 0
 * (real time), else e.g. "【模拟 600 倍速】". Returns buf. */
const char *ui_sim_mark(double speed, ui_lang_t lang, char *buf, size_t n);

/* A colour pair: curses colour numbers (COLOR_*), -1 for the terminal's default. */
typedef struct {
    short fg, bg;
} ui_curses_pair_t;

/* A usable terminal is there. 0, or -1 with one line in why: the problem, then hint (what
 * to do instead, e.g. "or use --say to test the voice") when not NULL. */
int ui_curses_check(const char *hint, char *why, size_t whylen);

/* While the screen is up, log lines written to stderr would scribble over it: they go to
 * path (appended), or nowhere when path is NULL and stderr is a terminal; a journal or a file
 * keeps them. ui_curses_close puts stderr back. 0, or -1 when path cannot be opened. */
int ui_curses_log_to(const char *path, char *why, size_t whylen);
/* The real standard error while it is diverted, else STDERR_FILENO: for the one line a
 * person must read. */
int ui_curses_stderr(void);

/* Takes the terminal over, with pairs[i] as colour pair i + 1 where the terminal has
 * colours. 0, or -1 with one line in why (an unknown terminal type). */
int ui_curses_open(const ui_curses_pair_t *pairs, int npairs, char *why, size_t whylen);
/* The program owns the terminal (between ui_curses_open and ui_curses_close). */
int ui_curses_active(void);
/* The colour pairs are set (else the program draws in bold and reverse video). */
int ui_curses_colours(void);
void ui_curses_size(int *cols, int *rows);
/* Gives the terminal back, then stderr; safe to call twice and from atexit. */
void ui_curses_close(void);

#endif
