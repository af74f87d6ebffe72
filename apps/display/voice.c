/* voice: see voice.h. */
#include "voice.h"

#include "audio_out.h"
#include "hq_log.h"
#include "hq_proto.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct s_item {
    char label[16];
    int window;
    struct s_item *next;
} s_item_t;

struct voice {
    speech_t *speech; /* used by the worker only, once it runs */
    audio_out_t *out; /* NULL: audio off for good (no driver at all) */
    ui_lang_t lang;
    pthread_t thread;
    int started;          /* the thread runs */
    pthread_mutex_t lock; /* guards everything below */
    pthread_cond_t wake;
    s_item_t *head, *tail; /* calls waiting to be spoken, oldest first */
    int queued;
    int speaking;
    long spoken;
    int stopping;          /* destroy asked the worker to end */
    int drain;             /* ... after the queue is empty */
    atomic_int abort_play; /* cut the current announcement short (exit) */
    int audio_ok;          /* last attempt to use the device worked */
    int has_notice;        /* the sound output changed since voice_notice last said */
    int notice_on;         /* ... to working (1) or off (0) */
    char notice_why[256];  /* ... and why it is off */
};

static void s_notice(voice_t *self, int on, const char *why)
{
    pthread_mutex_lock(&self->lock);
    hq_strlcpy(self->notice_why, why, sizeof self->notice_why);
    self->notice_on = on;
    self->has_notice = 1;
    pthread_mutex_unlock(&self->lock);
}

static void s_audio_off(voice_t *self, const char *why)
{
    hq_warn("audio off: %s", why);
    s_notice(self, 0, why);
    self->audio_ok = 0;
}

/* Speaks one call; reports a change of the device's state once. */
static void s_speak(voice_t *self, const s_item_t *item, pcm_t *buf)
{
    char why[512];
    pcm_clear(buf);
    if (speech_announce(self->speech, item->label, item->window, buf, why, sizeof why) != 0) {
        hq_warn("cannot announce %s at window %d: %s", item->label, item->window, why);
        return;
    }
    hq_info("announcing %s at window %d (%lld ms)", item->label, item->window,
            (long long)pcm_ms(buf->n, buf->rate));
    if (!self->out)
        return;
    if (audio_out_play(self->out, buf->s, buf->n, &self->abort_play, why, sizeof why) != 0) {
        if (self->audio_ok)
            s_audio_off(self, why);
        return;
    }
    if (!self->audio_ok) {
        self->audio_ok = 1;
        hq_info("audio on: %s", audio_out_name(self->out));
        s_notice(self, 1, "");
    }
}

static void *s_worker(void *arg)
{
    voice_t *self = arg;
    pcm_t buf;
    pcm_init(&buf, PCM_RATE);
    if (self->out) {
        char why[512];
        if (audio_out_probe(self->out, why, sizeof why) == 0)
            hq_info("audio to %s", audio_out_name(self->out));
        else
            s_audio_off(self, why);
        /* s_audio_off cleared it; a working probe leaves it set from voice_new. */
    }
    for (;;) {
        pthread_mutex_lock(&self->lock);
        while (!self->head && !self->stopping)
            pthread_cond_wait(&self->wake, &self->lock);
        if (self->stopping && (!self->drain || !self->head)) {
            pthread_mutex_unlock(&self->lock);
            break;
        }
        s_item_t *item = self->head;
        self->head = item->next;
        if (!self->head)
            self->tail = NULL;
        self->queued--;
        self->speaking = 1;
        pthread_mutex_unlock(&self->lock);

        s_speak(self, item, &buf);
        free(item);

        pthread_mutex_lock(&self->lock);
        self->speaking = 0;
        self->spoken++;
        pthread_mutex_unlock(&self->lock);
    }
    pcm_free(&buf);
    return NULL;
}

voice_t *voice_new(const voice_config_t *cfg, char *why, size_t whylen)
{
    voice_t *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&self->lock, NULL);
    pthread_cond_init(&self->wake, NULL);
    self->lang = cfg->speech.lang;
    self->audio_ok = 1;
    self->speech = speech_new(&cfg->speech, why, whylen);
    if (!self->speech)
        goto fail;
    if (cfg->audio_file) {
        self->out = audio_out_file(cfg->audio_file, PCM_RATE, why, whylen);
        if (!self->out)
            goto fail;
    } else {
        char reason[256];
        self->out = audio_out_live(cfg->driver, PCM_RATE, reason, sizeof reason);
        if (!self->out && cfg->driver) {
            snprintf(why, whylen, "--audio-driver: %s", reason);
            goto fail;
        }
        if (!self->out)
            s_audio_off(self, reason);
    }
    if (pthread_create(&self->thread, NULL, s_worker, self) != 0) {
        snprintf(why, whylen, "cannot start the voice thread");
        goto fail;
    }
    self->started = 1;
    return self;
fail:
    voice_destroy(&self, 0);
    return NULL;
}

void voice_destroy(voice_t **self_p, int drain)
{
    if (!self_p || !*self_p)
        return;
    voice_t *self = *self_p;
    if (self->started) {
        pthread_mutex_lock(&self->lock);
        self->stopping = 1;
        self->drain = drain;
        if (!drain)
            atomic_store(&self->abort_play, 1);
        pthread_cond_signal(&self->wake);
        pthread_mutex_unlock(&self->lock);
        pthread_join(self->thread, NULL);
    }
    while (self->head) {
        s_item_t *next = self->head->next;
        free(self->head);
        self->head = next;
    }
    audio_out_destroy(&self->out);
    speech_destroy(&self->speech);
    pthread_cond_destroy(&self->wake);
    pthread_mutex_destroy(&self->lock);
    free(self);
    *self_p = NULL;
}

int voice_say(voice_t *self, const char *label, int window)
{
    s_item_t *item = calloc(1, sizeof *item);
    if (!item)
        return -1;
    hq_strlcpy(item->label, label, sizeof item->label);
    item->window = window;
    pthread_mutex_lock(&self->lock);
    if (self->tail)
        self->tail->next = item;
    else
        self->head = item;
    self->tail = item;
    self->queued++;
    pthread_cond_signal(&self->wake);
    pthread_mutex_unlock(&self->lock);
    return 0;
}

int voice_pending(voice_t *self)
{
    pthread_mutex_lock(&self->lock);
    int n = self->queued + self->speaking;
    pthread_mutex_unlock(&self->lock);
    return n;
}

long voice_spoken(voice_t *self)
{
    pthread_mutex_lock(&self->lock);
    long n = self->spoken;
    pthread_mutex_unlock(&self->lock);
    return n;
}

int voice_notice(voice_t *self, int *on, char *why, size_t whylen)
{
    pthread_mutex_lock(&self->lock);
    int has = self->has_notice;
    if (has) {
        *on = self->notice_on;
        hq_strlcpy(why, self->notice_why, whylen);
    }
    self->has_notice = 0;
    pthread_mutex_unlock(&self->lock);
    return has;
}
