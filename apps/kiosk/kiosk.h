/* kiosk: the interactive ticket kiosk (ncursesw).
 *
 * Screens: queues -> services -> confirm (green lane, ID number) -> result. Number keys or
 * arrows and Enter choose; Esc goes back; on the result screen and the first screen R prints
 * the last ticket again. An ID number typed here is checked locally and wiped at once:
 * only the green-lane flag goes to hallqd. */
#ifndef HQ_TICKET_KIOSK_H
#define HQ_TICKET_KIOSK_H

#include "options.h"

/* Runs until quit (Q or F10 on the first screen) or a signal; restores the terminal.
 * Returns the exit status (0, or TK_BAD when there is no usable terminal). */
int kiosk_run(options_t *o);

#endif
