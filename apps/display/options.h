/* Command line of hallq-display. Pure apart from reading $HALLQ_ENDPOINT / $HALLQ_EVENTS
 * for the defaults; errors come back as one line in `why`. */
#ifndef DISPLAY_OPTIONS_H
#define DISPLAY_OPTIONS_H

#include "announce.h"
#include "model.h"

#include <stddef.h>

#define OPTIONS_PATH_MAX 1024

typedef struct {
    dm_mode_t mode;                    /* hall wall or the screen above one window */
    int counter;                       /* counter mode: the window */
    ann_lang_t lang;                   /* screen and voice */
    char endpoint[256];                /* hallqd requests (snapshots, catalog) */
    char events[256];                  /* hallqd events */
    int volume;                        /* 0..100 */
    int repeat;                        /* sayings of each call */
    int rate;                          /* words a minute */
    int mute;                          /* no voice at all */
    char clips[OPTIONS_PATH_MAX];      /* recorded words, "" none */
    char audio_file[OPTIONS_PATH_MAX]; /* WAV instead of the sound card, "" none */
    char driver[32];                   /* libao live driver, "" default */
    int say;                           /* --say: speak one call and exit */
    char say_label[HQ_LABEL_MAX];
    int say_window;
    char log_file[OPTIONS_PATH_MAX];   /* log while the screen is in use, "" none */
    char key[OPTIONS_PATH_MAX];        /* CURVE client certificate, "" none */
    char server_key[OPTIONS_PATH_MAX]; /* CURVE server certificate, "" none */
} options_t;

typedef enum { OPTIONS_RUN = 0, OPTIONS_EXIT_OK, OPTIONS_BAD } options_result_t;

#define OPTIONS_VOLUME_DEFAULT 80
#define OPTIONS_REPEAT_DEFAULT 2
#define OPTIONS_REPEAT_MAX 5
#define OPTIONS_RATE_MIN 80
#define OPTIONS_RATE_MAX 300

void options_usage(const char *prog);
options_result_t options_parse(int argc, char **argv, options_t *o, char *why, size_t whylen);

#endif
