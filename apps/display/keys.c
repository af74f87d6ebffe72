/* keys: see keys.h. */
#include "keys.h"

enum {
    S_GROUND = 0,
    S_ESC,    /* after ESC */
    S_CSI,    /* after ESC [ : parameters until a final byte 0x40-0x7e */
    S_CSI_M,  /* after ESC [ M : a legacy mouse report, three bytes follow */
    S_SS3,    /* after ESC O : one byte */
    S_STRING, /* after ESC ] , ESC P , ESC _ ... : until BEL or ESC \ */
    S_STRING_ESC
};

void keys_init(keys_t *k)
{
    k->state = S_GROUND;
    k->skip = 0;
}

void keys_idle(keys_t *k)
{
    keys_init(k);
}

keys_action_t keys_feed(keys_t *k, int ch)
{
    if (ch > 255) { /* a key curses recognised (arrows, resize ...): no sequence is open */
        keys_init(k);
        return KEYS_NONE;
    }
    switch (k->state) {
    case S_ESC:
        k->skip = 0;
        if (ch == '[')
            k->state = S_CSI;
        else if (ch == 'O')
            k->state = S_SS3;
        else if (ch == ']' || ch == 'P' || ch == '_' || ch == '^' || ch == 'X')
            k->state = S_STRING;
        else if (ch == 27)
            k->state = S_ESC;
        else
            k->state = S_GROUND; /* Alt and a key: not the key */
        return KEYS_NONE;
    case S_CSI:
        if (ch == 'M' && k->skip == 0) {
            /* ESC [ M directly: three raw bytes (button, column, row) follow, any of which
             * may look like a letter. */
            k->state = S_CSI_M;
            k->skip = 3;
        } else if (ch >= 0x40 && ch <= 0x7e) {
            k->state = S_GROUND; /* the final byte (ESC [ < 0 ; 81 ; 5 M ends here) */
            k->skip = 0;
        } else {
            k->skip++; /* a parameter byte */
        }
        return KEYS_NONE;
    case S_CSI_M:
        if (--k->skip <= 0) {
            k->state = S_GROUND;
            k->skip = 0;
        }
        return KEYS_NONE;
    case S_SS3:
        k->state = S_GROUND;
        return KEYS_NONE;
    case S_STRING:
        if (ch == 7)
            k->state = S_GROUND;
        else if (ch == 27)
            k->state = S_STRING_ESC;
        return KEYS_NONE;
    case S_STRING_ESC:
        k->state = ch == '\\' ? S_GROUND : S_STRING;
        return KEYS_NONE;
    default:
        break;
    }
    if (ch == 27) {
        k->state = S_ESC;
        return KEYS_NONE;
    }
    if (ch == 'q' || ch == 'Q')
        return KEYS_QUIT;
    if (ch == 'r' || ch == 'R')
        return KEYS_RESYNC;
    if (ch == 12) /* Ctrl-L */
        return KEYS_REDRAW;
    return KEYS_NONE;
}
