/* audio_out: see audio_out.h. */
#include "audio_out.h"

#include <ao/ao.h>
#include <errno.h>
#include <fcntl.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_CHUNK_MS 100 /* play in pieces this long so a stop request is heard quickly */

struct audio_out {
    int rate;      /* samples per second */
    int driver;    /* libao driver id (live), -1 for a file */
    char name[64]; /* for the log */
    SNDFILE *file; /* WAV output, NULL when live */
};

void audio_out_startup(void)
{
    ao_initialize();
}

void audio_out_shutdown(void)
{
    ao_shutdown();
}

audio_out_t *audio_out_file(const char *path, int rate, char *why, size_t whylen)
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
    snprintf(self->name, sizeof self->name, "wav file");
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
    if (self->file) {
        sf_count_t put = sf_write_short(self->file, s, (sf_count_t)n);
        if (put != (sf_count_t)n) {
            snprintf(why, whylen, "audio file: %s", sf_strerror(self->file));
            return -1;
        }
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
