/* web_audio: see web_audio.h. */
#include "web_audio.h"

#include "announce.h"
#include "hq_proto.h"
#include "speech.h"

#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_CACHE 16

typedef struct {
    ui_lang_t lang;
    char label[HQ_LABEL_MAX];
    int window;
    unsigned char *wav;
    size_t len;
    unsigned used; /* when it was last asked for: the least recent goes */
} s_entry_t;

struct web_audio {
    int repeat;
    speech_t *speech; /* for speech_lang; remade when the language changes */
    ui_lang_t speech_lang;
    s_entry_t cache[S_CACHE];
    unsigned clock;
};

web_audio_t *web_audio_new(int repeat)
{
    web_audio_t *self = calloc(1, sizeof *self);
    if (self)
        self->repeat = repeat;
    return self;
}

void web_audio_destroy(web_audio_t **self_p)
{
    web_audio_t *self = self_p ? *self_p : NULL;
    if (!self)
        return;
    for (int i = 0; i < S_CACHE; i++)
        free(self->cache[i].wav);
    speech_destroy(&self->speech);
    free(self);
    *self_p = NULL;
}

/* libsndfile writing into memory. */
typedef struct {
    unsigned char *data;
    size_t len, cap, pos;
    int failed;
} s_mem_t;

static sf_count_t s_len(void *user)
{
    return (sf_count_t)((s_mem_t *)user)->len;
}

static sf_count_t s_seek(sf_count_t offset, int whence, void *user)
{
    s_mem_t *m = user;
    sf_count_t at = whence == SEEK_SET   ? offset
                    : whence == SEEK_CUR ? (sf_count_t)m->pos + offset
                                         : (sf_count_t)m->len + offset;
    if (at < 0)
        return -1;
    m->pos = (size_t)at;
    return at;
}

static sf_count_t s_read(void *ptr, sf_count_t count, void *user)
{
    s_mem_t *m = user;
    size_t n = m->pos < m->len ? m->len - m->pos : 0;
    if ((size_t)count < n)
        n = (size_t)count;
    memcpy(ptr, m->data + m->pos, n);
    m->pos += n;
    return (sf_count_t)n;
}

static sf_count_t s_write(const void *ptr, sf_count_t count, void *user)
{
    s_mem_t *m = user;
    size_t end = m->pos + (size_t)count;
    if (end > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 65536;
        while (cap < end)
            cap *= 2;
        unsigned char *more = realloc(m->data, cap);
        if (!more) {
            m->failed = 1;
            return 0;
        }
        m->data = more;
        m->cap = cap;
    }
    memcpy(m->data + m->pos, ptr, (size_t)count);
    m->pos = end;
    if (end > m->len)
        m->len = end;
    return count;
}

static sf_count_t s_tell(void *user)
{
    return (sf_count_t)((s_mem_t *)user)->pos;
}

/* 16-bit mono WAV of the samples; NULL out of memory. */
static unsigned char *s_wav(const pcm_t *pcm, size_t *len)
{
    SF_VIRTUAL_IO io = {s_len, s_seek, s_read, s_write, s_tell};
    s_mem_t m = {0};
    SF_INFO info = {
        .samplerate = pcm->rate, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    SNDFILE *f = sf_open_virtual(&io, SFM_WRITE, &info, &m);
    if (!f) {
        free(m.data);
        return NULL;
    }
    sf_count_t wrote = sf_write_short(f, pcm->s, (sf_count_t)pcm->n);
    sf_close(f);
    if (m.failed || wrote != (sf_count_t)pcm->n) {
        free(m.data);
        return NULL;
    }
    *len = m.len;
    return m.data;
}

int web_audio_call(web_audio_t *self, ui_lang_t lang, const char *label, int window,
                   const unsigned char **wav, size_t *len, char *why, size_t whylen)
{
    if (ann_label_ok(label) != 0 || window < 1 || window > ANN_WINDOW_MAX) {
        snprintf(why, whylen, "no call to say: label and window are malformed");
        return -1;
    }
    self->clock++;
    s_entry_t *slot = &self->cache[0];
    for (int i = 0; i < S_CACHE; i++) {
        s_entry_t *e = &self->cache[i];
        if (e->wav && e->lang == lang && e->window == window && strcmp(e->label, label) == 0) {
            e->used = self->clock;
            *wav = e->wav;
            *len = e->len;
            return 0;
        }
        if (!e->wav || e->used < slot->used)
            slot = e;
    }
    if (self->speech && self->speech_lang != lang)
        speech_destroy(&self->speech);
    if (!self->speech) {
        speech_config_t cfg = {
            .lang = lang, .rate_wpm = SPEECH_RATE_DEFAULT, .repeat = self->repeat, .volume = 100};
        self->speech = speech_new(&cfg, why, whylen);
        if (!self->speech)
            return -1;
        self->speech_lang = lang;
    }
    pcm_t pcm;
    pcm_init(&pcm, PCM_RATE);
    int rc = speech_announce(self->speech, label, window, &pcm, why, whylen);
    size_t n = 0;
    unsigned char *bytes = rc == 0 ? s_wav(&pcm, &n) : NULL;
    pcm_free(&pcm);
    if (!bytes) {
        if (rc == 0)
            snprintf(why, whylen, "out of memory");
        return -1;
    }
    free(slot->wav);
    slot->wav = bytes;
    slot->len = n;
    slot->lang = lang;
    slot->window = window;
    snprintf(slot->label, sizeof slot->label, "%s", label);
    slot->used = self->clock;
    *wav = bytes;
    *len = n;
    return 0;
}
