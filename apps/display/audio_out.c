/* audio_out: see audio_out.h. */
#include "audio_out.h"

#include "hq_proto.h"

#include <ao/ao.h>
#include <errno.h>
#include <fcntl.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define S_CHUNK_MS 100 /* play in pieces this long so a stop request is heard quickly */

struct audio_out {
    int rate;            /* samples per second */
    int driver;          /* libao driver id (live), -1 for a file */
    char name[64];       /* for the log */
    SNDFILE *file;       /* WAV output, NULL when live */
    int realtime;        /* playing takes as long as the sound */
    int64_t origin;      /* file in real time: monotonic ms of its first sample */
    int64_t origin_wall; /* ... and the wall clock's */
    int64_t written;     /* ... samples written so far */
};

void audio_out_startup(void)
{
    ao_initialize();
}

void audio_out_shutdown(void)
{
    ao_shutdown();
}

audio_out_t *audio_out_file(const char *path, int rate, int realtime, char *why, size_t whylen)
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    info.samplerate = rate;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    if (!f) {
        snprintf(why, whylen, "--audio-file %s: %s", path, sf_strerror(NULL));
        return NULL;
    }
    audio_out_t *self = calloc(1, sizeof *self);
    if (!self) {
        sf_close(f);
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    /* Keep the header right after every write, so the file is a valid WAV while the
     * display runs (a test or an operator can read it at any time). */
    sf_command(f, SFC_SET_UPDATE_HEADER_AUTO, NULL, SF_TRUE);
    self->rate = rate;
    self->driver = -1;
    self->file = f;
    self->realtime = realtime;
    self->origin = hq_monotonic_ms();
    self->origin_wall = hq_now_ms();
    snprintf(self->name, sizeof self->name, realtime ? "wav file in real time" : "wav file");
    return self;
}

audio_out_t *audio_out_live(const char *driver, int rate, char *why, size_t whylen)
{
    int id = driver ? ao_driver_id(driver) : ao_default_driver_id();
    if (id < 0) {
        if (driver)
            snprintf(why, whylen, "libao has no driver '%s'", driver);
        else
            snprintf(why, whylen, "no sound output (libao finds no usable driver)");
        return NULL;
    }
    ao_info *info = ao_driver_info(id);
    if (!info || info->type != AO_TYPE_LIVE) {
        snprintf(why, whylen, "libao driver '%s' writes files: use --audio-file",
                 info ? info->short_name : "?");
        return NULL;
    }
    audio_out_t *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    self->rate = rate;
    self->driver = id;
    /* The null driver swallows samples at once: nothing piles up behind it. */
    self->realtime = strcmp(info->short_name, "null") != 0;
    snprintf(self->name, sizeof self->name, "%s", info->short_name);
    return self;
}

void audio_out_destroy(audio_out_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    audio_out_t *self = *self_p;
    if (self->file)
        sf_close(self->file);
    free(self);
    *self_p = NULL;
}

const char *audio_out_name(const audio_out_t *self)
{
    return self->name;
}

int audio_out_realtime(const audio_out_t *self)
{
    return self->realtime;
}

int64_t audio_out_origin_ms(const audio_out_t *self)
{
    return self->file && self->realtime ? self->origin_wall : -1;
}

int64_t audio_out_position_ms(const audio_out_t *self)
{
    if (!self->file || !self->realtime)
        return -1;
    /* A sound starts now, or where the last one ended if that is later. */
    int64_t now = hq_monotonic_ms() - self->origin, end = self->written * 1000 / self->rate;
    return now > end ? now : end;
}

/* Sleeps until monotonic time `until` or a stop request. */
static void s_sleep_until(int64_t until, const atomic_int *stop)
{
    for (;;) {
        int64_t left = until - hq_monotonic_ms();
        if (left <= 0 || (stop && atomic_load(stop)))
            return;
        struct timespec ts = {0, (long)(left < 20 ? left : 20) * 1000000L};
        nanosleep(&ts, NULL);
    }
}

static int s_write(audio_out_t *self, const int16_t *s, size_t n, char *why, size_t whylen)
{
    sf_count_t put = sf_write_short(self->file, s, (sf_count_t)n);
    if (put != (sf_count_t)n) {
        snprintf(why, whylen, "audio file: %s", sf_strerror(self->file));
        return -1;
    }
    self->written += (int64_t)n;
    return 0;
}

/* A file in real time: the silence since the last sound, then the samples a piece at a
 * time, each when a sound card would have taken it, returning when the last one has been
 * played. */
static int s_play_paced(audio_out_t *self, const int16_t *s, size_t n, const atomic_int *stop,
                        char *why, size_t whylen)
{
    static const int16_t zeros[1024];
    int64_t due = (hq_monotonic_ms() - self->origin) * self->rate / 1000;
    while (self->written < due) {
        size_t pad = (size_t)(due - self->written);
        if (pad > sizeof zeros / sizeof zeros[0])
            pad = sizeof zeros / sizeof zeros[0];
        if (s_write(self, zeros, pad, why, whylen) != 0)
            return -1;
    }
    size_t chunk = (size_t)self->rate * S_CHUNK_MS / 1000;
    for (size_t at = 0; at < n && !(stop && atomic_load(stop)); at += chunk) {
        size_t len = n - at < chunk ? n - at : chunk;
        if (s_write(self, s + at, len, why, whylen) != 0)
            return -1;
        s_sleep_until(self->origin + self->written * 1000 / self->rate, stop);
    }
    sf_write_sync(self->file);
    return 0;
}

static const char *s_ao_error(int err)
{
    switch (err) {
    case AO_ENODRIVER:
        return "no such driver";
    case AO_ENOTLIVE:
        return "not a live driver";
    case AO_EBADOPTION:
        return "bad driver option";
    case AO_EOPENDEVICE:
        return "no sound device could be opened";
    case AO_EBADFORMAT:
        return "the device refuses 16-bit mono";
    default:
        return "failed";
    }
}

/* ALSA prints a dozen lines to stderr when there is no sound card, and it does so on the
 * terminal the screen is drawn on. The cause is reported once in our own words instead,
 * so stderr goes to /dev/null for the moment the device is opened. */
static int s_quiet_begin(void)
{
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved < 0 || null < 0) {
        if (saved >= 0)
            close(saved);
        if (null >= 0)
            close(null);
        return -1;
    }
    dup2(null, STDERR_FILENO);
    close(null);
    return saved;
}

static void s_quiet_end(int saved)
{
    if (saved < 0)
        return;
    dup2(saved, STDERR_FILENO);
    close(saved);
}

static ao_device *s_open(audio_out_t *self, char *why, size_t whylen)
{
    ao_sample_format fmt;
    memset(&fmt, 0, sizeof fmt);
    fmt.bits = 16;
    fmt.channels = 1;
    fmt.rate = self->rate;
    fmt.byte_format = AO_FMT_NATIVE;
    int saved = s_quiet_begin();
    errno = 0;
    ao_device *dev = ao_open_live(self->driver, &fmt, NULL);
    int err = errno;
    s_quiet_end(saved);
    if (!dev)
        snprintf(why, whylen, "sound output '%s': %s", self->name, s_ao_error(err));
    return dev;
}

int audio_out_probe(audio_out_t *self, char *why, size_t whylen)
{
    if (self->file)
        return 0;
    ao_device *dev = s_open(self, why, whylen);
    if (!dev)
        return -1;
    ao_close(dev);
    return 0;
}

int audio_out_play(audio_out_t *self, const int16_t *s, size_t n, const atomic_int *stop, char *why,
                   size_t whylen)
{
    if (self->file && self->realtime)
        return s_play_paced(self, s, n, stop, why, whylen);
    if (self->file) {
        if (s_write(self, s, n, why, whylen) != 0)
            return -1;
        sf_write_sync(self->file);
        return 0;
    }
    /* Opened for each announcement: a speaker plugged in later is found, and closing
     * waits until the last sample has been played. */
    ao_device *dev = s_open(self, why, whylen);
    if (!dev)
        return -1;
    size_t chunk = (size_t)self->rate * S_CHUNK_MS / 1000;
    int rc = 0;
    for (size_t at = 0; at < n && !(stop && atomic_load(stop)); at += chunk) {
        size_t len = n - at < chunk ? n - at : chunk;
        if (!ao_play(dev, (char *)(uintptr_t)(s + at), (uint_32)(len * sizeof *s))) {
            snprintf(why, whylen, "sound output '%s': playing failed", self->name);
            rc = -1;
            break;
        }
    }
    ao_close(dev);
    return rc;
}
