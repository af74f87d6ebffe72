/* The curses layer of the wall display: draws the display model with ncursesw, the hall's
 * wall screen or the small screen above one window. Where things go is layout.c's pure
 * arithmetic and what they say is texts.c's; this file only puts them on the terminal. It
 * reads the model, never changes it; drawing the same frame twice gives the same screen,
 * so the loop redraws whenever something may have changed and curses sends the difference.
 * Only this file and main.c see curses. */
#ifndef DISPLAY_SCREEN_H
#define DISPLAY_SCREEN_H

#include "model.h"
#include "ui_i18n.h"

#include <stddef.h>
#include <time.h>

typedef enum { SCREEN_AUDIO_ON = 0, SCREEN_AUDIO_MUTED, SCREEN_AUDIO_OFF } screen_audio_t;

typedef struct {
    const dm_t *dm;
    ui_lang_t lang;
    int64_t now_mono;     /* for the flash */
    time_t now_wall;      /* for the clock */
    long marquee_offset;  /* scroll position of the notice, in columns */
    const char *status;   /* a transient message for the status row, NULL none */
    screen_audio_t audio; /* shown as a small mark when not on */
} screen_frame_t;

/* Takes the terminal over with the display's colours (lib/ui's ui_curses_open, which also
 * checks, closes and sizes it). 0 ok; -1 with a one-line reason. */
int screen_open(char *why, size_t whylen);
void screen_draw(const screen_frame_t *f);

#endif
