/* screen: the terminal, through ncursesw on lib/ui's skeleton (ui_curses.h: the checks,
 * opening, closing and size are there; ui_mouse.h: clicks). Draws a view built by view.c and
 * reads keys and clicks; nothing else in the program includes curses. */
#ifndef HQC_SCREEN_H
#define HQC_SCREEN_H

#include "view.h"

#include <stddef.h>

enum { HQC_SCREEN_NONE = 0, HQC_SCREEN_KEY = 1, HQC_SCREEN_RESIZE = 2 };

/* Takes the terminal over with the clerk terminal's colours (ui_curses_open) and its mouse
 * (ui_mouse_enable). 0 ok; -1 with a one-line reason. */
int hqc_screen_open(char *why, size_t whylen);
/* Draws v, which must stay unchanged until the next draw: clicks are read against it. */
void hqc_screen_draw(const hqc_view_t *v);
/* Reads one key without waiting: HQC_SCREEN_KEY with *key set (a character or HQC_KEY_*;
 * a click on an action of the view drawn last comes as that action's key),
 * HQC_SCREEN_RESIZE after the terminal changed size, HQC_SCREEN_NONE when nothing is
 * there. */
int hqc_screen_key(int *key);

#endif
