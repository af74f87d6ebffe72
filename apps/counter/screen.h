/* screen: the terminal, through ncursesw. Draws a view built by view.c and reads keys;
 * nothing else in the program includes curses. */
#ifndef HQC_SCREEN_H
#define HQC_SCREEN_H

#include "view.h"

#include <stddef.h>

enum { HQC_SCREEN_NONE = 0, HQC_SCREEN_KEY = 1, HQC_SCREEN_RESIZE = 2 };

/* Checks that a usable terminal is there (TERM set, stdin and stdout terminals); must be
 * called before hqc_screen_open, because curses exits the process when TERM is unusable.
 * 0 ok; -1 with a one-line reason. */
int hqc_screen_check(char *why, size_t whylen);
/* Takes the terminal over. 0 ok; -1 with a one-line reason. */
int hqc_screen_open(char *why, size_t whylen);
/* Gives the terminal back; safe to call twice and from atexit. */
void hqc_screen_close(void);
void hqc_screen_size(int *cols, int *rows);
void hqc_screen_draw(const hqc_view_t *v);
/* Reads one key without waiting: HQC_SCREEN_KEY with *key set (a character or HQC_KEY_*),
 * HQC_SCREEN_RESIZE after the terminal changed size, HQC_SCREEN_NONE when nothing is
 * there. */
int hqc_screen_key(int *key);

#endif
