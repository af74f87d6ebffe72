/* pcm: see pcm.h. */
#include "pcm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void pcm_init(pcm_t *p, int rate)
{
    memset(p, 0, sizeof *p);
    p->rate = rate > 0 ? rate : PCM_RATE;
}

void pcm_free(pcm_t *p)
{
    free(p->s);
    p->s = NULL;
    p->n = p->cap = 0;
}

void pcm_clear(pcm_t *p)
{
    p->n = 0;
}

static int s_reserve(pcm_t *p, size_t more)
{
    if (p->n + more <= p->cap)
        return 0;
    size_t cap = p->cap ? p->cap : 4096;
    while (cap < p->n + more)
        cap *= 2;
    int16_t *grown = realloc(p->s, cap * sizeof *grown);
    if (!grown)
        return -1;
    p->s = grown;
    p->cap = cap;
    return 0;
}

int pcm_append(pcm_t *p, const int16_t *s, size_t n)
{
    if (n == 0)
        return 0;
    if (s_reserve(p, n) != 0)
        return -1;
    memcpy(p->s + p->n, s, n * sizeof *s);
    p->n += n;
    return 0;
}

int pcm_silence(pcm_t *p, int ms)
{
    size_t n = (size_t)((int64_t)p->rate * (ms > 0 ? ms : 0) / 1000);
    if (n == 0)
        return 0;
    if (s_reserve(p, n) != 0)
        return -1;
    memset(p->s + p->n, 0, n * sizeof *p->s);
    p->n += n;
    return 0;
}

/* One bell tone: a fundamental with two soft overtones, a 5 ms attack so it does not
 * click, and an exponential decay. */
static double s_bell(double f, double t, double decay)
{
    if (t < 0)
        return 0;
    double attack = t < 0.005 ? t / 0.005 : 1.0;
    double v =
        sin(2 * M_PI * f * t) + 0.35 * sin(2 * M_PI * 2 * f * t) + 0.15 * sin(2 * M_PI * 3 * f * t);
    return attack * exp(-t / decay) * v / 1.5;
}

int pcm_chime(pcm_t *p)
{
    size_t n = (size_t)((int64_t)p->rate * PCM_CHIME_MS / 1000);
    if (s_reserve(p, n) != 0)
        return -1;
    /* "Ding" at 0, "dong" a bit later; the last 30 ms fade to zero so the chime ends
     * cleanly wherever the decay has got to. */
    const double second = 0.45, fade = 0.03, total = PCM_CHIME_MS / 1000.0;
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / p->rate;
        double v = 0.5 * s_bell(659.25, t, 0.30) + 0.5 * s_bell(523.25, t - second, 0.35);
        if (t > total - fade)
            v *= (total - t) / fade;
        p->s[p->n + i] = (int16_t)lrint(v * 32767 * 0.9);
    }
    p->n += n;
    return 0;
}

void pcm_gain(pcm_t *p, size_t from, int percent)
{
    if (percent >= 100)
        return;
    if (percent < 0)
        percent = 0;
    for (size_t i = from; i < p->n; i++)
        p->s[i] = (int16_t)((int32_t)p->s[i] * percent / 100);
}

size_t pcm_trim(const int16_t *s, size_t n, int threshold, size_t *start)
{
    size_t a = 0, b = n;
    while (a < n && abs(s[a]) <= threshold)
        a++;
    while (b > a && abs(s[b - 1]) <= threshold)
        b--;
    *start = a;
    return b - a;
}

int pcm_append_float(pcm_t *p, const float *frames, size_t nframes, int channels, int rate)
{
    if (channels < 1 || rate < 1)
        return -1;
    if (nframes == 0)
        return 0;
    size_t out = (size_t)((double)nframes * p->rate / rate);
    if (s_reserve(p, out) != 0)
        return -1;
    for (size_t i = 0; i < out; i++) {
        /* Position of this output sample in the input, and the two frames around it. */
        double pos = (double)i * rate / p->rate;
        size_t k = (size_t)pos;
        double frac = pos - (double)k;
        size_t k2 = k + 1 < nframes ? k + 1 : k;
        double a = 0, b = 0;
        for (int c = 0; c < channels; c++) {
            a += frames[k * (size_t)channels + (size_t)c];
            b += frames[k2 * (size_t)channels + (size_t)c];
        }
        double v = ((1 - frac) * a + frac * b) / channels;
        if (v > 1)
            v = 1;
        if (v < -1)
            v = -1;
        p->s[p->n + i] = (int16_t)lrint(v * 32767);
    }
    p->n += out;
    return 0;
}

int pcm_peak(const int16_t *s, size_t n)
{
    int peak = 0;
    for (size_t i = 0; i < n; i++)
        if (abs(s[i]) > peak)
            peak = abs(s[i]);
    return peak;
}

int64_t pcm_ms(size_t n, int rate)
{
    return rate > 0 ? (int64_t)n * 1000 / rate : 0;
}
