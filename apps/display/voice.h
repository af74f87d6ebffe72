/* The hall voice: a worker thread fed by a queue, so synthesis and playing never hold up
 * the screen.
 *
 * A call for a ticket that is still waiting to be said (a recall, or a call at another window
 * after a transfer) joins it: the ticket is said once, at its newest window; one whose ticket
 * has left its window before it was begun is not said. Where playing
 * takes as long as the sound (a sound card, a file written in real time), calls that pile up
 * are paced (pace.h) so that each call's announcement ends within 15 s of the call: repeats go
 * first, then calls are said in the short form, and a call that could still not be said in
 * time gets the chime alone. Where playing takes no time (a plain file, libao's null driver)
 * every call is said in full, in order. The queue is bounded (VOICE_QUEUE_MAX calls), and only
 * the worker takes calls off it. */
#ifndef DISPLAY_VOICE_H
#define DISPLAY_VOICE_H

#include "speech.h"

#define VOICE_QUEUE_MAX 32 /* calls waiting; a call beyond them is not said (logged) */

typedef struct {
    speech_config_t speech;
    const char *audio_file; /* write a WAV file instead of playing; NULL: sound card */
    int audio_realtime;     /* ... at the pace of a sound card (audio_out_file) */
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

/* Queues one call (or joins a call of the same ticket not yet said). 0 ok, -1 out of
 * memory. */
int voice_say(voice_t *self, const char *label, int window);
/* The ticket left its window (transferred, finished, parked, no-show): a call of it not
 * begun yet is not said. */
void voice_forget(voice_t *self, const char *label);
/* Calls queued or being spoken. */
int voice_pending(voice_t *self);
/* Calls announced completely so far (in words, or by the chime alone). */
long voice_spoken(voice_t *self);
/* 1 when the state of the sound output changed since the last call: *on says whether it
 * works now, why (English, from the sound library) why not; 0 when nothing new. The
 * screen says it in its own language. */
int voice_notice(voice_t *self, int *on, char *why, size_t whylen);

#endif
