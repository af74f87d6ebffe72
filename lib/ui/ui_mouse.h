/* ui_mouse: clicks and touches on a curses screen (ui_curses.h), for programs whose actions
 * can be chosen by pointing as well as by key. The terminal reports the first button's
 * presses, each at once (no waiting to tell a click from a double click: a touch screen
 * sends a press and a release per touch); the program maps the place to a key (ui_hits.h).
 *
 *     ui_curses_open(...); ui_mouse_enable();
 *     ... getch() gave KEY_MOUSE:
 *     if (ui_mouse_press(&col, &row)) key = ui_hits_find(&hits, row, col);
 *
 * Part of the hquicurses library; the header needs no curses.h. */
#ifndef HQ_UI_MOUSE_H
#define HQ_UI_MOUSE_H

/* Asks the terminal for presses of the first button (xterm's and tmux's mouse reports).
 * Call after ui_curses_open; harmless where the terminal has no mouse. */
void ui_mouse_enable(void);
/* After a KEY_MOUSE from getch: 1 and the place (screen column and row) when it was a press
 * of the first button, 0 for any other mouse report (a release, a wheel, another button). */
int ui_mouse_press(int *col, int *row);

#endif
