/* What the hall voice says for one call, as pure functions of the ticket label and the
 * window number: the sentence a person reads, the text handed to the synthesizer, and the
 * list of recorded clips that say the same thing. No I/O, no synthesis. */
#ifndef DISPLAY_ANNOUNCE_H
#define DISPLAY_ANNOUNCE_H

#include "ui_i18n.h"

#include <stddef.h>

#define ANN_TEXT_MAX 320 /* enough for any sentence below, SSML included */
#define ANN_CLIPS_MAX 32 /* clip names in one sentence */
#define ANN_CLIP_NAME 24 /* longest clip name ("chuangkou_banli") plus NUL */
#define ANN_WINDOW_MAX 99999

/* Chinese reading of a quantity 0..99999: 3 -> 三, 12 -> 十二, 20 -> 二十, 101 -> 一百零一,
 * 1010 -> 一千零一十. 0 ok, -1 out of range or no room. */
int ann_zh_number(int n, char *out, size_t outlen);

/* Checks a ticket label: one letter A-Z, then 1 to 5 digits. 0 ok, -1 not a label. */
int ann_label_ok(const char *label);

/* The sentence for a person: 请A零零一号到三号窗口办理 (the ticket's digits one by one, the
 * window as a number) or "Number A 0 0 1, please go to window 3". 0 ok, -1 bad input. */
int ann_text(ui_lang_t lang, const char *label, int window, char *out, size_t outlen);

/* What the synthesizer is given for the same sentence. Mandarin: the sentence itself
 * (espeak-ng's cmn-latn-pinyin reads it right when digits are written as characters).
 * English: SSML, because espeak reads a lone "A" as the article; say-as characters makes it
 * the letter and the digits one by one. *ssml is set when the text is SSML. */
int ann_speech_input(ui_lang_t lang, const char *label, int window, char *out, size_t outlen,
                     int *ssml);

/* The short form said when calls pile up (the voice's pace, voice.h): the number and the
 * window, 「A零零一，三号窗口」 or "A 0 0 1, window 3". 0 ok, -1 bad input. */
int ann_short_text(ui_lang_t lang, const char *label, int window, char *out, size_t outlen);
/* What the synthesizer is given for the short form, as ann_speech_input does for the
 * sentence. */
int ann_short_speech_input(ui_lang_t lang, const char *label, int window, char *out, size_t outlen,
                           int *ssml);

/* The recorded words that say the Mandarin sentence, in order, as clip names without ".wav":
 * qing A 0 0 1 hao dao 3 hao chuangkou_banli. Window numbers use the digit clips with
 * shi (十), bai (百), qian (千) and wan (万). Returns the count, -1 on bad input. */
int ann_clips(const char *label, int window, char names[][ANN_CLIP_NAME], int max);

/* The recorded words of the short form: A 0 0 1, a pause, then 3 hao chuangkou_banli (a
 * hall records 窗口办理 as one word). *pause_after is the count of names before the pause.
 * Returns the count, -1 on bad input. */
int ann_short_clips(const char *label, int window, char names[][ANN_CLIP_NAME], int max,
                    int *pause_after);

/* Every clip name ann_clips can use for windows up to `max_window` and any queue letter
 * that a recorded set must hold to say any call; letters are left out (a hall records the
 * ones it uses). Returns the count written. */
int ann_clip_vocabulary(int max_window, char names[][ANN_CLIP_NAME], int max);

#endif
