/* Turns one call into the samples the hall hears: the chime, then the sentence said
 * `repeat` times, from espeak-ng (Mandarin voice cmn-latn-pinyin, or English) or from a
 * hall's own recorded words. Not thread-safe (espeak-ng keeps global state): one thread
 * creates it and then only the voice worker uses it. */
#ifndef DISPLAY_SPEECH_H
#define DISPLAY_SPEECH_H

#include "announce.h"
#include "pcm.h"

#define SPEECH_AFTER_CHIME_MS 500 /* silence between the chime and the first sentence */
#define SPEECH_BETWEEN_MS 700     /* between two sayings of the sentence */
#define SPEECH_TAIL_MS 1000       /* after the last one, so two calls never run together */
#define SPEECH_VOICE_ZH "cmn-latn-pinyin"
#define SPEECH_VOICE_EN "en"
#define SPEECH_RATE_DEFAULT 150 /* words a minute: a little slower than espeak's 175 */

typedef struct {
    ui_lang_t lang;
    int rate_wpm;          /* espeakRATE_MINIMUM .. espeakRATE_MAXIMUM */
    int repeat;            /* sayings per call, 1.. */
    int volume;            /* 0..100, applied to everything including the chime */
    const char *clips_dir; /* recorded words (Mandarin); NULL: synthesis only */
} speech_config_t;

typedef struct speech speech_t;

/* NULL with a one-line reason when the voice or a required clip is missing. Only one
 * speech_t at a time (the synthesizer's voice and rate are process-wide). */
speech_t *speech_new(const speech_config_t *cfg, char *why, size_t whylen);
void speech_destroy(speech_t **self_p);
/* Ends the synthesizer for the process; no speech_new after it. Call once at exit. */
void speech_shutdown(void);
/* Appends the whole announcement for label at window to out (rate PCM_RATE). 0 ok,
 * -1 with a reason (bad label, synthesis failed). */
int speech_announce(speech_t *self, const char *label, int window, pcm_t *out, char *why,
                    size_t whylen);
/* Appends the sentence alone, once, trimmed of leading and trailing silence. */
int speech_sentence(speech_t *self, const char *label, int window, pcm_t *out, char *why,
                    size_t whylen);

/* The parts of an announcement, for a voice that decides between them as calls come in
 * (voice.c): the sentence in full or short form (ann_short_text) once, or the chime, each at
 * the volume, without pauses around. 0 ok, -1 with a reason. */
typedef enum { SPEECH_FULL = 0, SPEECH_SHORT } speech_form_t;
int speech_say(speech_t *self, speech_form_t form, const char *label, int window, pcm_t *out,
               char *why, size_t whylen);
int speech_chime(speech_t *self, pcm_t *out);

#endif
