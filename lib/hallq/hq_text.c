#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* wcwidth */
#endif
#include "hq_text.h"

#include "hq_log.h"
#include "hq_proto.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

int hq_text_locale(void)
{
    setlocale(LC_ALL, "");
    if (strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
        return 0;
    if (setlocale(LC_ALL, "C.UTF-8") && strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
        return 0;
    return -1;
}

/* Decodes one character; returns bytes used (1 for an invalid byte) and its width. */
static size_t s_next(const char *s, size_t left, int *width)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t wc;
    size_t n = mbrtowc(&wc, s, left, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        *width = 1;
        return 1;
    }
    int w = wcwidth(wc);
    *width = w < 0 ? 1 : w;
    return n;
}

int hq_text_width(const char *utf8)
{
    int cols = 0;
    size_t left = strlen(utf8);
    while (left > 0) {
        int w;
        size_t n = s_next(utf8, left, &w);
        cols += w;
        utf8 += n;
        left -= n;
    }
    return cols;
}

int hq_text_fit(const char *utf8, int cols, int pad, char *out, size_t outlen)
{
    size_t used = 0, left = strlen(utf8);
    int width = 0;
    if (outlen == 0)
        return 0;
    while (left > 0) {
        int w;
        size_t n = s_next(utf8, left, &w);
        if (width + w > cols || used + n >= outlen)
            break;
        memcpy(out + used, utf8, n);
        used += n;
        width += w;
        utf8 += n;
        left -= n;
    }
    while (pad && width < cols && used + 1 < outlen) {
        out[used++] = ' ';
        width++;
    }
    out[used] = '\0';
    return width;
}

int hq_text_timezone(const char *tz, char *why, size_t whylen)
{
    /* Only zone names: a TZ of "/etc/passwd" or "../x" would make tzset read that file. */
    if (!tz || !*tz || tz[0] == '/' || tz[0] == ':' || strstr(tz, "..")) {
        snprintf(why, whylen, "'%s' is not a time zone name", tz ? tz : "");
        return -1;
    }
    if (strchr(tz, '/')) {
        const char *dir = getenv("TZDIR");
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
        if (access(path, R_OK) != 0) {
            snprintf(why, whylen, "time zone '%s' not found in %s (install tzdata)", tz,
                     dir && *dir ? dir : "/usr/share/zoneinfo");
            return -1;
        }
    }
    setenv("TZ", tz, 1);
    tzset();
    return 0;
}

void hq_text_follow_timezone(const char *tz)
{
    static char named[64]; /* the zone last named, applied or not */
    if (!tz || !*tz || strcmp(tz, named) == 0)
        return;
    hq_strlcpy(named, tz, sizeof named);
    char why[200];
    if (hq_text_timezone(tz, why, sizeof why) != 0)
        hq_warn("clock: %s; the machine's own time stays", why);
    else
        hq_info("clock: time zone %s", tz);
}

void hq_text_duration(long long ms, char *out, size_t outlen)
{
    if (ms < 0)
        ms = 0;
    long long s = ms / 1000;
    if (s >= 3600)
        snprintf(out, outlen, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
    else
        snprintf(out, outlen, "%lld:%02lld", s / 60, s % 60);
}
