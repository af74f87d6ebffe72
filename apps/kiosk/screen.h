/* screen: the kiosk's terminal, through ncursesw. Draws a view built by view.c and reads
 * keys without waiting; nothing else in the program includes curses. */
#ifndef HQ_TICKET_SCREEN_H
#define HQ_TICKET_SCREEN_H

#include "view.h"

#include <stddef.h>

enum { KIOSK_SCREEN_NONE = 0, KIOSK_SCREEN_KEY, KIOSK_SCREEN_RESIZE };

/* A usable terminal is there: TERM set, standard input and output terminals, a UTF-8
 * locale. Must come before kiosk_screen_open, because curses ends the process when TERM
 * is unusable. 0 ok; -1 with a one-line reason. */
int kiosk_screen_check(char *why, size_t whylen);
/* Takes the terminal over. 0 ok; -1 with a one-line reason. */
int kiosk_screen_open(char *why, size_t whylen);
/* Gives the terminal back; safe to call twice and from atexit. */
void kiosk_screen_close(void);
void kiosk_screen_size(int *cols, int *rows);
void kiosk_screen_draw(const kiosk_view_t *v);
/* One key without waiting: KIOSK_SCREEN_KEY with *key (a character or KIOSK_KEY_*),
 * KIOSK_SCREEN_RESIZE after the terminal changed size, KIOSK_SCREEN_NONE when no key is
 * there. */
int kiosk_screen_key(int *key);

#endif
