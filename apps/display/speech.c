/* speech: see speech.h. */
#include "speech.h"

#include "hq_log.h"
#include "hq_proto.h"

#include <espeak-ng/speak_lib.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_TRIM_THRESHOLD 64  /* below this a synthesized sample counts as silence */
#define S_CLIP_THRESHOLD 330 /* recorded words carry room noise: about -40 dBFS */
#define S_CLIP_MARGIN_MS 20  /* kept around a trimmed word so its edges are not clipped */
#define S_WORD_GAP_MS 60     /* between two recorded words */
#define S_SHORT_PAUSE_MS 200 /* between the number and the window in the short form */
#define S_CLIPS_MAX 64

typedef struct {
    char name[ANN_CLIP_NAME];
    pcm_t pcm;
} s_clip_t;

struct speech {
    speech_config_t cfg;
    int espeak_ok; /* espeak-ng initialised with the voice */
    int nclips;
    s_clip_t clips[S_CLIPS_MAX]; /* recorded words loaded from cfg.clips_dir */
    int have_chime_clip;
    pcm_t chime;              /* the chime, synthesized or chime.wav */
    char missing_logged[256]; /* clip names already reported missing (comma list) */
};

/* espeak-ng hands samples to this callback; user_data is the pcm_t to fill. */
static int s_on_samples(short *wav, int n, espeak_EVENT *events)
{
    if (!wav || n <= 0 || !events)
        return 0;
    pcm_t *out = events[0].user_data;
    return pcm_append(out, wav, (size_t)n) == 0 ? 0 : 1;
}

/* espeak-ng is set up once per process: in version 1.51 a second espeak_Initialize after
 * espeak_Terminate leaves its queue thread in a state where the next Terminate waits for
 * ever. So speech_destroy leaves it running and speech_shutdown ends it, once, at exit. */
static enum { S_ESPEAK_NONE = 0, S_ESPEAK_READY, S_ESPEAK_FAILED, S_ESPEAK_DONE } s_espeak;

static int s_espeak_init(speech_t *self, char *why, size_t whylen)
{
    if (s_espeak == S_ESPEAK_NONE) {
        int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, espeakINITIALIZE_DONT_EXIT);
        if (rate <= 0) {
            s_espeak = S_ESPEAK_FAILED;
        } else if (rate != PCM_RATE) {
            hq_error("espeak-ng speaks at %d Hz, expected %d", rate, PCM_RATE);
            espeak_Terminate();
            s_espeak = S_ESPEAK_FAILED;
        } else {
            espeak_SetSynthCallback(s_on_samples);
            s_espeak = S_ESPEAK_READY;
        }
    }
    if (s_espeak != S_ESPEAK_READY) {
        snprintf(why, whylen,
                 s_espeak == S_ESPEAK_DONE
                     ? "espeak-ng was already shut down"
                     : "espeak-ng could not start (is espeak-ng-data installed?)");
        return -1;
    }
    const char *voice = self->cfg.lang == UI_LANG_EN ? SPEECH_VOICE_EN : SPEECH_VOICE_ZH;
    if (espeak_SetVoiceByName(voice) != EE_OK) {
        snprintf(why, whylen, "espeak-ng has no voice '%s'", voice);
        return -1;
    }
    espeak_SetParameter(espeakRATE, self->cfg.rate_wpm, 0);
    self->espeak_ok = 1;
    return 0;
}

void speech_shutdown(void)
{
    if (s_espeak == S_ESPEAK_READY)
        espeak_Terminate();
    s_espeak = S_ESPEAK_DONE;
}

/* Reads one WAV (any rate, any channel count libsndfile reads) into mono PCM_RATE. */
static int s_read_wav(const char *path, pcm_t *out, char *why, size_t whylen)
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    if (!f) {
        snprintf(why, whylen, "%s: %s", path, sf_strerror(NULL));
        return -1;
    }
    int rc = -1;
    float *frames = NULL;
    if (info.frames <= 0 || info.channels < 1 || info.samplerate < 1000 ||
        info.frames > (sf_count_t)info.samplerate * 60) {
        snprintf(why, whylen, "%s: not a usable recording (%lld frames, %d channels, %d Hz)", path,
                 (long long)info.frames, info.channels, info.samplerate);
        goto done;
    }
    frames = malloc((size_t)info.frames * (size_t)info.channels * sizeof *frames);
    if (!frames) {
        snprintf(why, whylen, "%s: out of memory", path);
        goto done;
    }
    sf_count_t got = sf_readf_float(f, frames, info.frames);
    if (got <= 0) {
        snprintf(why, whylen, "%s: %s", path, sf_strerror(f));
        goto done;
    }
    pcm_t raw;
    pcm_init(&raw, PCM_RATE);
    if (pcm_append_float(&raw, frames, (size_t)got, info.channels, info.samplerate) != 0) {
        pcm_free(&raw);
        snprintf(why, whylen, "%s: out of memory", path);
        goto done;
    }
    /* Recordings come with silence around the word; joined as they are, the sentence
     * would stutter. Keep the word and a short margin. */
    size_t start, len = pcm_trim(raw.s, raw.n, S_CLIP_THRESHOLD, &start);
    size_t margin = (size_t)PCM_RATE * S_CLIP_MARGIN_MS / 1000;
    size_t a = start > margin ? start - margin : 0;
    size_t b = start + len + margin < raw.n ? start + len + margin : raw.n;
    if (len == 0) {
        snprintf(why, whylen, "%s: silent recording", path);
        pcm_free(&raw);
        goto done;
    }
    rc = pcm_append(out, raw.s + a, b - a);
    pcm_free(&raw);
    if (rc != 0)
        snprintf(why, whylen, "%s: out of memory", path);
done:
    free(frames);
    sf_close(f);
    return rc;
}

static const s_clip_t *s_clip(const speech_t *self, const char *name)
{
    for (int i = 0; i < self->nclips; i++)
        if (strcmp(self->clips[i].name, name) == 0)
            return &self->clips[i];
    return NULL;
}

/* Loads what the folder has of the vocabulary and the letters; the words every call needs
 * must be there, letters and large units may be missing (then synthesis says that call). */
static int s_load_clips(speech_t *self, char *why, size_t whylen)
{
    char vocab[48][ANN_CLIP_NAME];
    /* The vocabulary for windows up to 99 comes first in the full list: those are required. */
    int required = ann_clip_vocabulary(99, vocab, 48);
    int nvocab = ann_clip_vocabulary(ANN_WINDOW_MAX, vocab, 48);
    for (char c = 'A'; c <= 'Z' && nvocab < 48; c++) {
        vocab[nvocab][0] = c;
        vocab[nvocab][1] = '\0';
        nvocab++;
    }
    for (int i = 0; i < nvocab && self->nclips < S_CLIPS_MAX; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.wav", self->cfg.clips_dir, vocab[i]);
        s_clip_t *c = &self->clips[self->nclips];
        pcm_init(&c->pcm, PCM_RATE);
        hq_strlcpy(c->name, vocab[i], sizeof c->name);
        char reason[512];
        if (s_read_wav(path, &c->pcm, reason, sizeof reason) == 0) {
            self->nclips++;
            continue;
        }
        pcm_free(&c->pcm);
        if (i < required) {
            snprintf(why, whylen, "--clips: %s", reason);
            return -1;
        }
    }
    char path[4096], reason[512];
    snprintf(path, sizeof path, "%s/chime.wav", self->cfg.clips_dir);
    pcm_t chime;
    pcm_init(&chime, PCM_RATE);
    if (s_read_wav(path, &chime, reason, sizeof reason) == 0) {
        pcm_free(&self->chime);
        self->chime = chime;
        self->have_chime_clip = 1;
    } else {
        pcm_free(&chime);
    }
    return 0;
}

speech_t *speech_new(const speech_config_t *cfg, char *why, size_t whylen)
{
    speech_t *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    self->cfg = *cfg;
    if (self->cfg.repeat < 1)
        self->cfg.repeat = 1;
    pcm_init(&self->chime, PCM_RATE);
    if (pcm_chime(&self->chime) != 0) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    if (cfg->clips_dir && s_load_clips(self, why, whylen) != 0)
        goto fail;
    char espeak_why[256];
    if (s_espeak_init(self, espeak_why, sizeof espeak_why) != 0) {
        /* Recorded words alone are enough when they cover every call's words. */
        if (!cfg->clips_dir) {
            snprintf(why, whylen, "%s", espeak_why);
            goto fail;
        }
        hq_warn("%s: calls with words missing from the clips cannot be spoken", espeak_why);
    }
    return self;
fail:
    speech_destroy(&self);
    return NULL;
}

void speech_destroy(speech_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    speech_t *self = *self_p;
    for (int i = 0; i < self->nclips; i++)
        pcm_free(&self->clips[i].pcm);
    pcm_free(&self->chime);
    free(self);
    *self_p = NULL;
}

/* Says the sentence from recorded words. 1 said, 0 a word is missing, -1 out of memory. */
static int s_from_clips(speech_t *self, speech_form_t form, const char *label, int window,
                        pcm_t *out)
{
    char names[ANN_CLIPS_MAX][ANN_CLIP_NAME];
    int pause_after = -1;
    int n = form == SPEECH_SHORT
                ? ann_short_clips(label, window, names, ANN_CLIPS_MAX, &pause_after)
                : ann_clips(label, window, names, ANN_CLIPS_MAX);
    if (n <= 0)
        return 0;
    for (int i = 0; i < n; i++) {
        if (!s_clip(self, names[i])) {
            /* Say once per word that a call fell back to synthesis. */
            char tag[ANN_CLIP_NAME + 2];
            size_t len = strnlen(names[i], ANN_CLIP_NAME - 1);
            tag[0] = ',';
            memcpy(tag + 1, names[i], len);
            tag[len + 1] = ',';
            tag[len + 2] = '\0';
            if (!strstr(self->missing_logged, tag) &&
                strlen(self->missing_logged) + strlen(tag) < sizeof self->missing_logged) {
                strcat(self->missing_logged, tag);
                hq_warn("clips: no %s.wav in %s; such calls are synthesized", names[i],
                        self->cfg.clips_dir);
            }
            return 0;
        }
    }
    for (int i = 0; i < n; i++) {
        const s_clip_t *c = s_clip(self, names[i]);
        int gap = i + 1 == pause_after ? S_SHORT_PAUSE_MS : S_WORD_GAP_MS;
        if (pcm_append(out, c->pcm.s, c->pcm.n) != 0 || (i + 1 < n && pcm_silence(out, gap) != 0))
            return -1;
    }
    return 1;
}

static int s_synthesize(speech_t *self, speech_form_t form, const char *label, int window,
                        pcm_t *out, char *why, size_t whylen)
{
    if (!self->espeak_ok) {
        snprintf(why, whylen, "no synthesizer to say %s", label);
        return -1;
    }
    char text[ANN_TEXT_MAX];
    int ssml = 0;
    int bad = form == SPEECH_SHORT
                  ? ann_short_speech_input(self->cfg.lang, label, window, text, sizeof text, &ssml)
                  : ann_speech_input(self->cfg.lang, label, window, text, sizeof text, &ssml);
    if (bad != 0) {
        snprintf(why, whylen, "cannot announce '%s' at window %d", label, window);
        return -1;
    }
    pcm_t raw;
    pcm_init(&raw, PCM_RATE);
    unsigned flags = espeakCHARS_UTF8 | (ssml ? espeakSSML : 0);
    espeak_ERROR err = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, flags, NULL, &raw);
    if (err != EE_OK || raw.n == 0) {
        snprintf(why, whylen, "espeak-ng could not say '%s' (error %d)", text, (int)err);
        pcm_free(&raw);
        return -1;
    }
    /* The voice pads with silence; trimmed, the pauses around it are ours to set. */
    size_t start, len = pcm_trim(raw.s, raw.n, S_TRIM_THRESHOLD, &start);
    int rc = pcm_append(out, raw.s + start, len);
    pcm_free(&raw);
    if (rc != 0)
        snprintf(why, whylen, "out of memory");
    return rc;
}

static int s_sentence(speech_t *self, speech_form_t form, const char *label, int window, pcm_t *out,
                      char *why, size_t whylen)
{
    if (ann_label_ok(label) != 0 || window < 1 || window > ANN_WINDOW_MAX) {
        snprintf(why, whylen, "cannot announce '%s' at window %d", label, window);
        return -1;
    }
    if (self->nclips > 0 && self->cfg.lang == UI_LANG_ZH) {
        int rc = s_from_clips(self, form, label, window, out);
        if (rc < 0) {
            snprintf(why, whylen, "out of memory");
            return -1;
        }
        if (rc == 1)
            return 0;
    }
    return s_synthesize(self, form, label, window, out, why, whylen);
}

int speech_sentence(speech_t *self, const char *label, int window, pcm_t *out, char *why,
                    size_t whylen)
{
    return s_sentence(self, SPEECH_FULL, label, window, out, why, whylen);
}

int speech_say(speech_t *self, speech_form_t form, const char *label, int window, pcm_t *out,
               char *why, size_t whylen)
{
    size_t from = out->n;
    if (s_sentence(self, form, label, window, out, why, whylen) != 0) {
        out->n = from;
        return -1;
    }
    pcm_gain(out, from, self->cfg.volume);
    return 0;
}

int speech_chime(speech_t *self, pcm_t *out)
{
    size_t from = out->n;
    if (pcm_append(out, self->chime.s, self->chime.n) != 0)
        return -1;
    pcm_gain(out, from, self->cfg.volume);
    return 0;
}

int speech_announce(speech_t *self, const char *label, int window, pcm_t *out, char *why,
                    size_t whylen)
{
    size_t from = out->n;
    pcm_t sentence;
    pcm_init(&sentence, PCM_RATE);
    if (speech_sentence(self, label, window, &sentence, why, whylen) != 0) {
        pcm_free(&sentence);
        return -1;
    }
    int rc = pcm_append(out, self->chime.s, self->chime.n);
    rc |= pcm_silence(out, SPEECH_AFTER_CHIME_MS);
    for (int i = 0; i < self->cfg.repeat; i++) {
        rc |= pcm_append(out, sentence.s, sentence.n);
        rc |= pcm_silence(out, i + 1 < self->cfg.repeat ? SPEECH_BETWEEN_MS : SPEECH_TAIL_MS);
    }
    pcm_free(&sentence);
    if (rc != 0) {
        out->n = from;
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    pcm_gain(out, from, self->cfg.volume);
    return 0;
}
