/* voice: see voice.h. */
#include "voice.h"

#include "audio_out.h"
#include "hq_log.h"
#include "hq_proto.h"
#include "pace.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One call to be said. The list and the fields above `sentence` are shared (under the lock);
 * the sounds are the worker's alone. */
typedef struct s_item {
    char label[16];
    int window;
    int64_t arrived;    /* monotonic ms of its first call */
    pace_stage_t stage; /* how far it is said */
    int said;           /* sayings of the full sentence */
    int busy;           /* words of it are being said: a recall now is a call of its own */
    int left;           /* the ticket left its window: not said if not begun */
    pcm_t sentence;     /* worker: the full sentence, made for sentence_window (0: not made) */
    pcm_t brief;        /* worker: the short form, made for brief_window */
    int sentence_window, brief_window;
    int failed_window; /* worker: the window its words could not be made for (0 none) */
    struct s_item *next;
} s_item_t;

struct voice {
    speech_t *speech; /* used by the worker only, once it runs */
    audio_out_t *out; /* NULL: audio off for good (no driver at all) */
    ui_lang_t lang;
    int paced;  /* playing takes as long as the sound: calls are paced */
    int repeat; /* sayings of a call in full */
    pthread_t thread;
    int started;          /* the thread runs */
    pthread_mutex_t lock; /* guards everything below down to notice_why */
    pthread_cond_t wake;
    s_item_t *head, *tail; /* calls, oldest first; the head may be under way */
    int queued;            /* calls in the list */
    long spoken;
    int stopping;          /* destroy asked the worker to end */
    int drain;             /* ... after the queue is empty */
    atomic_int abort_play; /* cut the current announcement short (exit) */
    int audio_ok;          /* last attempt to use the device worked */
    int has_notice;        /* the sound output changed since voice_notice last said */
    int notice_on;         /* ... to working (1) or off (0) */
    char notice_why[256];  /* ... and why it is off */
    int64_t ready;         /* worker: monotonic ms a new call's first sound may start */
    pcm_t chime;           /* worker: the chime at the volume */
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

/* Plays samples; reports a change of the device's state once. */
static void s_play(voice_t *self, const pcm_t *buf)
{
    char why[512];
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

static void s_item_free(s_item_t *item)
{
    pcm_free(&item->sentence);
    pcm_free(&item->brief);
    free(item);
}

/* Takes one call off the list; the lock is held. Only the worker does this, so the calls it
 * works on stay where they are while it works without the lock. */
static void s_unlink(voice_t *self, s_item_t *item)
{
    s_item_t **p = &self->head, *prev = NULL;
    while (*p && *p != item) {
        prev = *p;
        p = &(*p)->next;
    }
    if (!*p)
        return;
    *p = item->next;
    if (self->tail == item)
        self->tail = prev;
    self->queued--;
    s_item_free(item);
}

/* The calls are said: off the list. */
static void s_done(voice_t *self, s_item_t *const *items, int n)
{
    pthread_mutex_lock(&self->lock);
    for (int i = 0; i < n; i++) {
        s_unlink(self, items[i]);
        self->spoken++;
    }
    pthread_mutex_unlock(&self->lock);
}

/* Takes calls whose ticket left its window before they were begun off the list, unsaid. 1
 * when the list is empty then. */
static int s_drop_left(voice_t *self)
{
    pthread_mutex_lock(&self->lock);
    for (s_item_t *it = self->head, *next; it; it = next) {
        next = it->next;
        if (it->left && it->stage == PACE_FRESH) {
            hq_info("%s left window %d before it was said: not said", it->label, it->window);
            s_unlink(self, it);
        }
    }
    int empty = !self->head;
    pthread_mutex_unlock(&self->lock);
    return empty;
}

/* ---- every call in full, in order (output that takes no time) --------------------------- */

static void s_say_in_full(voice_t *self, pcm_t *buf)
{
    pthread_mutex_lock(&self->lock);
    s_item_t *item = self->head;
    item->busy = 1;
    char label[16];
    int window = item->window;
    hq_strlcpy(label, item->label, sizeof label);
    pthread_mutex_unlock(&self->lock);

    char why[512];
    pcm_clear(buf);
    if (speech_announce(self->speech, label, window, buf, why, sizeof why) != 0) {
        hq_warn("cannot announce %s at window %d: %s", label, window, why);
    } else {
        hq_info("announcing %s at window %d (%lld ms)", label, window,
                (long long)pcm_ms(buf->n, buf->rate));
        s_play(self, buf);
    }
    s_done(self, &item, 1);
}

/* ---- paced (output that takes as long as the sound) ---------------------------------------- */

/* Waits until monotonic `until`, or until the voice is stopped. */
static void s_wait_until(voice_t *self, int64_t until)
{
    for (;;) {
        int64_t left = until - hq_monotonic_ms();
        if (left <= 0 || atomic_load(&self->abort_play))
            return;
        struct timespec ts = {0, (long)(left < 20 ? left : 20) * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* "announcing A001 at window 3: short, 2876 ms at 12.340 s": one part of an announcement,
 * with where it sits in a file written in real time (so its lag can be checked there). */
static void s_log_part(const char *label, int window, const char *what, int64_t sound_ms,
                       int64_t at_ms)
{
    char where[64] = "";
    if (at_ms >= 0)
        snprintf(where, sizeof where, " at %lld.%03lld s", (long long)(at_ms / 1000),
                 (long long)(at_ms % 1000));
    hq_info("announcing %s at window %d: %s, %lld ms%s", label, window, what, (long long)sound_ms,
            where);
}

/* Plays [lead ms of silence] sound [trail ms of silence], logs it for each of the `n` calls
 * it stands for, and notes when the next call may start. */
static void s_part(voice_t *self, pcm_t *buf, const pcm_t *sound, int lead, int trail,
                   const char (*labels)[16], const int *windows, int n, const char *what)
{
    pcm_clear(buf);
    if (pcm_silence(buf, lead) != 0 || pcm_append(buf, sound->s, sound->n) != 0 ||
        pcm_silence(buf, trail) != 0) {
        hq_error("out of memory: %s not announced", labels[0]);
        return;
    }
    int64_t at = self->out ? audio_out_position_ms(self->out) : -1;
    for (int i = 0; i < n; i++)
        s_log_part(labels[i], windows[i], what, pcm_ms(sound->n, PCM_RATE),
                   at >= 0 ? at + lead : -1);
    s_play(self, buf);
    self->ready = hq_monotonic_ms() - trail + PACE_GAP_MS;
}

/* Makes the sounds the plan needs: the first call's sentence and every call's short form,
 * for the windows they have now. 0 ok, -1 when a call cannot be said (taken off). */
static int s_prepare(voice_t *self, s_item_t **items, const char (*labels)[16], const int *windows,
                     int n)
{
    char why[512];
    for (int i = 0; i < n; i++) {
        s_item_t *it = items[i];
        int bad = it->failed_window == windows[i]; /* said once already; not again */
        if (!bad && it->brief_window != windows[i]) {
            pcm_clear(&it->brief);
            bad = speech_say(self->speech, SPEECH_SHORT, labels[i], windows[i], &it->brief, why,
                             sizeof why);
            it->brief_window = bad ? 0 : windows[i];
        }
        if (!bad && i == 0 && it->sentence_window != windows[i]) {
            pcm_clear(&it->sentence);
            bad = speech_say(self->speech, SPEECH_FULL, labels[i], windows[i], &it->sentence, why,
                             sizeof why);
            it->sentence_window = bad ? 0 : windows[i];
        }
        if (bad && it->failed_window != windows[i]) {
            it->failed_window = windows[i];
            hq_warn("cannot announce %s at window %d: %s", labels[i], windows[i], why);
        }
        if (bad && i == 0) {
            /* Only the first goes at once; a later one waits to be the first. */
            s_done(self, items, 1);
            return -1;
        }
    }
    return 0;
}

/* One step: the plan for the calls waiting, then the part it says to play now. */
static void s_say_paced(voice_t *self, pcm_t *buf)
{
    enum { S_MAX = VOICE_QUEUE_MAX };
    s_item_t *items[S_MAX];
    char labels[S_MAX][16];
    int windows[S_MAX];
    int n = 0;
    pthread_mutex_lock(&self->lock);
    for (s_item_t *it = self->head; it && n < S_MAX; it = it->next) {
        if (it->left && it->stage == PACE_FRESH)
            continue; /* not to be said: taken off at the next turn */
        items[n] = it;
        hq_strlcpy(labels[n], it->label, sizeof labels[n]);
        windows[n] = it->window;
        n++;
    }
    pthread_mutex_unlock(&self->lock);
    if (n == 0 || s_prepare(self, items, labels, windows, n) != 0)
        return;

    pace_timing_t t = {
        .chime_ms = (int)pcm_ms(self->chime.n, PCM_RATE) + SPEECH_AFTER_CHIME_MS,
        .bell_ms = (int)pcm_ms(self->chime.n, PCM_RATE),
        .between_ms = SPEECH_BETWEEN_MS,
        .gap_ms = PACE_GAP_MS,
        .repeat = self->repeat,
        .lag_ms = PACE_LAG_MS,
    };
    pace_call_t calls[S_MAX];
    pthread_mutex_lock(&self->lock);
    for (int i = 0; i < n; i++) {
        if (items[i]->window != windows[i]) { /* joined by a call at another window: again */
            pthread_mutex_unlock(&self->lock);
            return;
        }
        calls[i].arrived_ms = items[i]->arrived;
        calls[i].stage = items[i]->stage;
        calls[i].said = items[i]->said;
        calls[i].sentence_ms = (int)pcm_ms(items[0]->sentence.n, PCM_RATE);
        calls[i].short_ms = (int)pcm_ms(items[i]->brief.n, PCM_RATE);
    }
    /* Later calls' sentences are not made yet; the first call's is as long, near enough. */
    pace_action_t action = pace_next(&t, calls, n, hq_monotonic_ms(), self->ready);
    s_item_t *head = items[0];
    head->busy = action == PACE_SENTENCE || action == PACE_SHORT;
    pthread_mutex_unlock(&self->lock);

    int fresh = calls[0].stage == PACE_FRESH;
    if (fresh && (action == PACE_CHIME || action == PACE_SHORT || action == PACE_BELL))
        s_wait_until(self, self->ready);
    switch (action) {
    case PACE_CHIME:
        s_part(self, buf, &self->chime, 0, SPEECH_AFTER_CHIME_MS, labels, windows, 1, "chime");
        pthread_mutex_lock(&self->lock);
        head->stage = PACE_CHIMED;
        pthread_mutex_unlock(&self->lock);
        break;
    case PACE_SENTENCE:
        s_part(self, buf, &head->sentence, calls[0].said > 0 ? SPEECH_BETWEEN_MS : 0, 0, labels,
               windows, 1, calls[0].said > 0 ? "sentence again" : "sentence");
        pthread_mutex_lock(&self->lock);
        head->stage = PACE_SAID;
        head->said++;
        head->busy = 0;
        pthread_mutex_unlock(&self->lock);
        break;
    case PACE_SHORT:
        s_part(self, buf, &head->brief, 0, 0, labels, windows, 1, "short");
        s_done(self, items, 1);
        break;
    case PACE_BELL:
        /* One chime for every call waiting: the screen shows them. */
        s_part(self, buf, &self->chime, 0, 0, labels, windows, n, "chime alone");
        s_done(self, items, n);
        break;
    case PACE_DONE:
    default:
        s_done(self, items, 1);
        break;
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
        if (audio_out_origin_ms(self->out) >= 0)
            hq_info("audio file starts at %lld ms (epoch)",
                    (long long)audio_out_origin_ms(self->out));
    }
    for (;;) {
        pthread_mutex_lock(&self->lock);
        while (!self->head && !self->stopping)
            pthread_cond_wait(&self->wake, &self->lock);
        int stop = self->stopping && (!self->drain || !self->head);
        pthread_mutex_unlock(&self->lock);
        if (stop)
            break;
        if (s_drop_left(self))
            continue;
        if (self->paced)
            s_say_paced(self, &buf);
        else
            s_say_in_full(self, &buf);
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
    pcm_init(&self->chime, PCM_RATE);
    self->lang = cfg->speech.lang;
    self->repeat = cfg->speech.repeat > 0 ? cfg->speech.repeat : 1;
    self->audio_ok = 1;
    self->speech = speech_new(&cfg->speech, why, whylen);
    if (!self->speech)
        goto fail;
    if (speech_chime(self->speech, &self->chime) != 0) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    if (cfg->audio_file) {
        self->out = audio_out_file(cfg->audio_file, PCM_RATE, cfg->audio_realtime, why, whylen);
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
    self->paced = self->out && audio_out_realtime(self->out);
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
        s_item_free(self->head);
        self->head = next;
    }
    audio_out_destroy(&self->out);
    speech_destroy(&self->speech);
    pcm_free(&self->chime);
    pthread_cond_destroy(&self->wake);
    pthread_mutex_destroy(&self->lock);
    free(self);
    *self_p = NULL;
}

int voice_say(voice_t *self, const char *label, int window)
{
    pthread_mutex_lock(&self->lock);
    /* The same ticket not said yet: one announcement, at its newest window. */
    for (s_item_t *it = self->head; it; it = it->next)
        if (strcmp(it->label, label) == 0 && it->stage != PACE_SAID && !it->busy && !it->left) {
            if (it->window != window)
                hq_info("%s called again at window %d before it was said: said once", label,
                        window);
            else
                hq_info("%s called again before it was said: said once", label);
            it->window = window;
            pthread_mutex_unlock(&self->lock);
            return 0;
        }
    pthread_mutex_unlock(&self->lock);

    s_item_t *item = calloc(1, sizeof *item);
    if (!item)
        return -1;
    hq_strlcpy(item->label, label, sizeof item->label);
    item->window = window;
    item->arrived = hq_monotonic_ms();
    pcm_init(&item->sentence, PCM_RATE);
    pcm_init(&item->brief, PCM_RATE);
    pthread_mutex_lock(&self->lock);
    if (self->queued >= VOICE_QUEUE_MAX) {
        /* Full (a flood: the pace gives such calls the chime alone anyway). Only the worker
         * takes calls off the list, so the ones it is working on stay where they are. */
        pthread_mutex_unlock(&self->lock);
        hq_warn("voice queue full: %s at window %d not announced", label, window);
        s_item_free(item);
        return 0;
    }
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

void voice_forget(voice_t *self, const char *label)
{
    pthread_mutex_lock(&self->lock);
    for (s_item_t *it = self->head; it; it = it->next)
        if (strcmp(it->label, label) == 0 && it->stage == PACE_FRESH && !it->busy)
            it->left = 1;
    pthread_mutex_unlock(&self->lock);
}

int voice_pending(voice_t *self)
{
    pthread_mutex_lock(&self->lock);
    int n = self->queued;
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
