/* Time zone names as the configuration takes them: only what the C library will really
 * understand, because a TZ it cannot parse does not fail: it silently means UTC, and a hall
 * in China would then change its business day at eight in the morning. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A compiled zone file (tzfile(5)) under the zone directory. */
static int s_zone_file(const char *tz)
{
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    FILE *f = fopen(path, "rb");
    char magic[4] = {0};
    int ok = f && fread(magic, 1, sizeof magic, f) == sizeof magic && memcmp(magic, "TZif", 4) == 0;
    if (f)
        fclose(f);
    return ok;
}

/* A zone abbreviation of a POSIX TZ string: three or more letters, or <...> quoted. */
static const char *s_tz_name(const char *p)
{
    const char *start = p;
    if (*p == '<') {
        while (*++p && *p != '>')
            if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-')
                return NULL;
        return *p == '>' && p - start >= 4 ? p + 1 : NULL;
    }
    while (isalpha((unsigned char)*p))
        p++;
    return p - start >= 3 ? p : NULL;
}

/* A UTC offset: [+-]hh[:mm[:ss]], hours up to 24. */
static const char *s_tz_offset(const char *p)
{
    if (*p == '+' || *p == '-')
        p++;
    int hours = 0, digits = 0;
    while (isdigit((unsigned char)*p) && digits < 3)
        hours = hours * 10 + (*p++ - '0'), digits++;
    if (digits == 0 || digits > 2 || hours > 24)
        return NULL;
    for (int part = 0; part < 2 && *p == ':'; part++) {
        if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]) || p[1] > '5')
            return NULL;
        p += 3;
    }
    return p;
}

/* A POSIX TZ string the C library parses (TZ="CST-8", "<+08>-8", "EST5EDT,M3.2.0,M11.1.0"):
 * a name and an offset, then optionally a summer-time name, offset and rules. */
static int s_posix_tz(const char *tz)
{
    const char *p = s_tz_name(tz);
    p = p ? s_tz_offset(p) : NULL;
    if (!p)
        return 0;
    if (!*p)
        return 1;
    p = s_tz_name(p);
    if (!p)
        return 0;
    if (*p && *p != ',')
        p = s_tz_offset(p);
    if (!p)
        return 0;
    if (*p && *p != ',')
        return 0;
    return strspn(p, "0123456789JM.,/:+-") == strlen(p);
}

int config_timezone_check(const char *tz, char *why, size_t whylen)
{
    /* Only zone names: a TZ of "/etc/passwd" or "../x" would make tzset read that file. */
    if (!tz[0] || tz[0] == '/' || tz[0] == ':' || strstr(tz, ".."))
        return hq_fail(why, whylen, "timezone '%s' is not a time zone name", tz);
    /* Without a zone file the C library reads the name as a POSIX TZ string; one it cannot
     * parse silently means UTC, eight hours off in China. UTC itself is meant as written. */
    if (s_zone_file(tz) || (!strchr(tz, '/') && s_posix_tz(tz)) || strcmp(tz, "UTC") == 0 ||
        strcmp(tz, "GMT") == 0)
        return 0;
    return hq_fail(why, whylen,
                   "timezone '%s' is no zone the C library knows (a name such as Asia/Shanghai "
                   "from %s, or a POSIX TZ string such as CST-8)",
                   tz,
                   getenv("TZDIR") && *getenv("TZDIR") ? getenv("TZDIR") : "/usr/share/zoneinfo");
}
