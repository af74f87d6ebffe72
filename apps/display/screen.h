/* Draws the display model on the terminal with ncursesw: the hall's wall screen or the small
 * screen above one window. Reads the model, never changes it; drawing the same frame twice
 * gives the same screen, so the loop simply redraws every pass and curses sends the
 * difference. */
#ifndef DISPLAY_VIEW_H
#define DISPLAY_VIEW_H

#include "announce.h"
#include "model.h"

#include <time.h>

typedef enum { VIEW_AUDIO_ON = 0, VIEW_AUDIO_MUTED, VIEW_AUDIO_OFF } view_audio_t;

typedef struct {
    const dm_t *dm;
    ann_lang_t lang;
    int64_t now_mono;    /* for the flash */
    time_t now_wall;     /* for the clock */
    long marquee_offset; /* scroll position of the notice, in columns */
    const char *status;  /* a transient message for the status row, NULL none */
    view_audio_t audio;  /* shown as a small mark when not on */
} view_frame_t;

/* After initscr/newterm: colours when the terminal has them. */
void view_start(void);
void view_draw(const view_frame_t *f);

#endif
