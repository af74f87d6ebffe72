/* ui_mouse: see ui_mouse.h. ncursesw's pkg-config cflags define _XOPEN_SOURCE=600 (wide
 * characters); it is not redefined here. */
#include "ui_mouse.h"

#include "ui_curses.h"

#include <curses.h>

void ui_mouse_enable(void)
{
    if (!ui_curses_active())
        return;
    /* Every report is taken, the ones that act picked out by ui_mouse_press: a report
     * outside the mask makes ncurses read on for the next input, blocking even in nodelay
     * mode, so a button's release would freeze the program until the next key. Reported at
     * once: resolving clicks would hold each press back for the click interval, and a touch
     * is one press anyway. */
    mousemask(ALL_MOUSE_EVENTS, NULL);
    mouseinterval(0);
}

int ui_mouse_press(int *col, int *row)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return 0;
    if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
        return 0;
    *col = ev.x;
    *row = ev.y;
    return 1;
}
