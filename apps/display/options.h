/* Command line of hallq-display: one table (display_cli) read by lib/ui's options helper.
 * Pure apart from reading $HALLQ_ENDPOINT / $HALLQ_EVENTS for the defaults:
 *
 *     options_t o;
 *     options_defaults(&o);
 *     int rc = ui_options_parse(&display_cli, argc, argv, &o);   // UI_OPTIONS_RUN: go on */
#ifndef DISPLAY_OPTIONS_H
#define DISPLAY_OPTIONS_H

#include "announce.h"
#include "model.h"
#include "ui_options.h"

typedef struct {
    dm_mode_t mode;         /* hall wall or the screen above one window */
    int mode_given;         /* --mode was given (else --counter N alone means counter mode) */
    int counter;            /* counter mode: the window */
    ui_lang_t lang;         /* screen and voice */
    const char *endpoint;   /* hallqd requests (snapshots, catalog) */
    const char *events;     /* hallqd events */
    int volume;             /* 0..100 */
    int repeat;             /* sayings of each call */
    int rate;               /* words a minute */
    int mute;               /* no voice at all */
    const char *clips;      /* recorded words, NULL none */
    const char *audio_file; /* WAV instead of the sound card, NULL none */
    int audio_realtime;     /* ... written at a sound card's pace */
    const char *driver;     /* libao live driver, NULL default */
    struct {
        int on; /* --say: speak one call and exit */
        char label[HQ_LABEL_MAX];
        int window;
    } say;
    const char *log_file;   /* log while the screen is in use, NULL none */
    const char *key;        /* CURVE client certificate, NULL: $HALLQ_KEY */
    const char *server_key; /* CURVE server certificate, NULL: $HALLQ_SERVER_KEY */
} options_t;

#define OPTIONS_VOLUME_DEFAULT 80
#define OPTIONS_REPEAT_DEFAULT 2
#define OPTIONS_REPEAT_MAX 5
#define OPTIONS_RATE_MIN 80
#define OPTIONS_RATE_MAX 300

extern const ui_program_t display_cli;

/* The defaults, from the environment where it says. */
void options_defaults(options_t *o);

#endif
