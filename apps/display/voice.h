/* The hall voice: a worker thread fed by a queue, so synthesis and playing never hold up
 * the screen. Calls that come while one is being spoken wait their turn; none is cut off
 * or dropped. */
#ifndef DISPLAY_VOICE_H
#define DISPLAY_VOICE_H

#include "speech.h"

typedef struct {
    speech_config_t speech;
    const char *audio_file; /* write a WAV file instead of playing; NULL: sound card */
    const char *driver;     /* libao live driver; NULL: the system default */
} voice_config_t;

typedef struct voice voice_t;

/* NULL with a one-line reason when the configuration cannot work (no such voice, clip or
 * driver, audio file not writable). A machine without a sound card is not an error: the
 * voice runs, audio is off, and voice_notice says so once. */
voice_t *voice_new(const voice_config_t *cfg, char *why, size_t whylen);
/* Stops the worker. drain: speak everything queued first (file output, --say); otherwise
 * stop within a fraction of a second. */
void voice_destroy(voice_t **self_p, int drain);

/* Queues one call. 0 ok, -1 out of memory. */
int voice_say(voice_t *self, const char *label, int window);
/* Calls queued or being spoken. */
int voice_pending(voice_t *self);
/* Announcements spoken (or written) completely so far. */
long voice_spoken(voice_t *self);
/* 1 when the state of the sound output changed since the last call: *on says whether it
 * works now, why (English, from the sound library) why not; 0 when nothing new. The
 * screen says it in its own language. */
int voice_notice(voice_t *self, int *on, char *why, size_t whylen);

#endif
