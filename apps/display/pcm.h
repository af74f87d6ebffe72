/* Mono 16-bit sample buffers and the little signal work an announcement needs: silence,
 * the two-tone chime, gain, trimming silence off recorded words, and bringing clips of
 * another rate or channel count to the output format. Pure: memory in, memory out. */
#ifndef DISPLAY_PCM_H
#define DISPLAY_PCM_H

#include <stddef.h>
#include <stdint.h>

#define PCM_RATE 22050 /* espeak-ng's rate; clips are brought to it */

typedef struct {
    int16_t *s; /* samples */
    size_t n;   /* used */
    size_t cap; /* allocated */
    int rate;   /* samples per second */
} pcm_t;

void pcm_init(pcm_t *p, int rate);
void pcm_free(pcm_t *p);
void pcm_clear(pcm_t *p);
/* Appends samples. 0 ok, -1 out of memory. */
int pcm_append(pcm_t *p, const int16_t *s, size_t n);
int pcm_silence(pcm_t *p, int ms);
/* Appends the "ding-dong" that precedes every call: two decaying bell tones (E5 then C5),
 * PCM_CHIME_MS long, peak about half of full scale. */
#define PCM_CHIME_MS 1200
int pcm_chime(pcm_t *p);
/* Scales samples from `from` to the end by percent (0..100). */
void pcm_gain(pcm_t *p, size_t from, int percent);
/* Finds the part of s that is louder than threshold; returns its length and sets *start.
 * 0 when all of it is quieter. */
size_t pcm_trim(const int16_t *s, size_t n, int threshold, size_t *start);
/* Appends interleaved float frames (-1..1) of `channels` channels at `rate`, mixed down to
 * mono and resampled (linear) to p->rate. 0 ok, -1 out of memory or bad arguments. */
int pcm_append_float(pcm_t *p, const float *frames, size_t nframes, int channels, int rate);
/* Peak absolute sample value. */
int pcm_peak(const int16_t *s, size_t n);
/* Milliseconds of n samples at rate. */
int64_t pcm_ms(size_t n, int rate);

#endif
