/* Where announcements go: the sound card through libao, or a WAV file through libsndfile
 * (so the voice can be checked without a sound card). Blocking: meant for the voice
 * worker thread, never for the screen's loop. */
#ifndef DISPLAY_AUDIO_OUT_H
#define DISPLAY_AUDIO_OUT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct audio_out audio_out_t;

/* Call once before any thread starts, and audio_out_shutdown once at the end (libao's
 * global set-up is not thread-safe). */
void audio_out_startup(void);
void audio_out_shutdown(void);

/* A WAV file (16-bit mono at `rate`), created or truncated now. NULL with a reason.
 * realtime: written at the pace a sound card plays, the silence between announcements
 * included, so that second s of the file is what the hall heard s seconds after it was
 * created (audio_out_origin_ms): the voice's lag can be measured on it. Otherwise
 * announcements are written back to back as fast as they come. */
audio_out_t *audio_out_file(const char *path, int rate, int realtime, char *why, size_t whylen);
/* The sound card through libao: `driver` names a libao live driver ("alsa", "pulse",
 * "null"), NULL for the system default (~/.libao, /etc/libao.conf). NULL with a reason when
 * the driver does not exist or there is none at all: audio is off then. */
audio_out_t *audio_out_live(const char *driver, int rate, char *why, size_t whylen);
void audio_out_destroy(audio_out_t **self_p);

/* Checks that the device opens (live) now. 0 ok, -1 with a reason. */
int audio_out_probe(audio_out_t *self, char *why, size_t whylen);
/* Plays or writes the samples and returns when they are played (or written). Stops early
 * when *stop becomes non-zero. 0 ok, -1 with a reason (device gone, disk full). */
int audio_out_play(audio_out_t *self, const int16_t *s, size_t n, const atomic_int *stop, char *why,
                   size_t whylen);
/* "alsa", "null", "wav file" ...: what the log says audio goes to. */
const char *audio_out_name(const audio_out_t *self);
/* 1 when playing takes as long as the sound (a sound card, a file written in real time): calls
 * can then pile up behind one another. libao's null driver and a plain file take no time. */
int audio_out_realtime(const audio_out_t *self);
/* A file written in real time: the wall-clock time (epoch ms) of its first sample, and how
 * far into it the next sound goes (ms). -1 for other outputs. */
int64_t audio_out_origin_ms(const audio_out_t *self);
int64_t audio_out_position_ms(const audio_out_t *self);

#endif
