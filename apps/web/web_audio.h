/* The wall page's voice: each call rendered to a WAV file by hallq-display's own speech code
 * (the chime, then the sentence, espeak-ng's Mandarin or English), so the TV's browser says
 * what a hallq-display would. The last few are kept: every wall asks for the same call. Not
 * thread-safe (espeak-ng is not): one thread uses it. */
#ifndef WEB_AUDIO_H
#define WEB_AUDIO_H

#include "ui_i18n.h"

#include <stddef.h>

typedef struct web_audio web_audio_t;

/* Calls are said `repeat` times. NULL out of memory. */
web_audio_t *web_audio_new(int repeat);
void web_audio_destroy(web_audio_t **self_p);

/* The WAV file of the call of label to window in lang: *wav points into the cache (valid
 * until the next call). 0, or -1 with why (a malformed label, synthesis failed). */
int web_audio_call(web_audio_t *self, ui_lang_t lang, const char *label, int window,
                   const unsigned char **wav, size_t *len, char *why, size_t whylen);

#endif
