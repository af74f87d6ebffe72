/* screen: the kiosk's terminal, through ncursesw on lib/ui's skeleton (ui_curses.h: the
 * checks, opening, closing and size are there). Draws a view built by view.c and reads keys
 * without waiting; nothing else in the program includes curses. */
#ifndef HQ_TICKET_SCREEN_H
#define HQ_TICKET_SCREEN_H

#include "view.h"

#include <stddef.h>

enum { KIOSK_SCREEN_NONE = 0, KIOSK_SCREEN_KEY, KIOSK_SCREEN_RESIZE };

/* Takes the terminal over with the kiosk's colours (ui_curses_open). 0 ok; -1 with a
 * one-line reason. */
int kiosk_screen_open(char *why, size_t whylen);
void kiosk_screen_draw(const kiosk_view_t *v);
/* One key without waiting: KIOSK_SCREEN_KEY with *key (a character or KIOSK_KEY_*),
 * KIOSK_SCREEN_RESIZE after the terminal changed size, KIOSK_SCREEN_NONE when no key is
 * there. */
int kiosk_screen_key(int *key);

#endif
