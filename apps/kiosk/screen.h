/* screen: the kiosk's terminal, through ncursesw on lib/ui's skeleton (ui_curses.h: the
 * checks, opening, closing and size are there). Draws a view built by view.c and reads keys
 * and taps without waiting; nothing else in the program includes curses.
 *
 * The kiosk's terminal is in raw mode: Ctrl-C, Ctrl-\ and Ctrl-Z are keys like any other,
 * not signals, so nobody at the keyboard stops the kiosk (staff leave it from staff mode or
 * with the hall's exit keys; a service manager still stops it with SIGTERM). Taps and clicks
 * come as xterm mouse reports (a touch screen's driver sends them), which ncurses decodes. */
#ifndef HQ_TICKET_SCREEN_H
#define HQ_TICKET_SCREEN_H

#include "view.h"

#include <stddef.h>

enum { KIOSK_SCREEN_NONE = 0, KIOSK_SCREEN_KEY, KIOSK_SCREEN_RESIZE, KIOSK_SCREEN_TAP };

/* Takes the terminal over with the kiosk's colours (ui_curses_open), in raw mode, with mouse
 * reports on. 0 ok; -1 with a one-line reason. */
int kiosk_screen_open(char *why, size_t whylen);
void kiosk_screen_draw(const kiosk_view_t *v);
/* One key without waiting: KIOSK_SCREEN_KEY with *key (a character or KIOSK_KEY_*),
 * KIOSK_SCREEN_TAP with *col and *row where the screen was touched (a press of the first
 * button: kiosk_view_hit says what is there), KIOSK_SCREEN_RESIZE after the terminal changed
 * size, KIOSK_SCREEN_NONE when nothing is there. */
int kiosk_screen_key(int *key, int *col, int *row);

#endif
