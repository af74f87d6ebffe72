/* The keys of the wall display: q quits, r asks for a fresh snapshot, Ctrl-L redraws; nothing
 * else does anything. Bytes that belong to an escape sequence never count as keys: a mouse
 * report (a touch on a touch screen, a click in a terminal window: ESC [ M and three bytes,
 * or ESC [ < ... M), a function key curses does not know, Alt and a letter. A stray q in such
 * a report would otherwise end the display. Pure: bytes in, actions out. */
#ifndef DISPLAY_KEYS_H
#define DISPLAY_KEYS_H

typedef enum { KEYS_NONE = 0, KEYS_QUIT, KEYS_RESYNC, KEYS_REDRAW } keys_action_t;

typedef struct {
    int state; /* where in an escape sequence the last byte left off */
    int skip;  /* bytes of parameters seen; of a legacy mouse report, bytes still to skip */
} keys_t;

void keys_init(keys_t *k);
/* One value from curses' getch (a byte, or a KEY_* code above 255). */
keys_action_t keys_feed(keys_t *k, int ch);
/* Nothing more is waiting (getch returned ERR): a sequence arrives whole, so one left open
 * was a lone Escape key, and the next byte is a key again. */
void keys_idle(keys_t *k);

#endif
