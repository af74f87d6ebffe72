#include "calendar.h"

#include "hq_date.h"
#include "hq_proto.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const s_weekdays[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                          "friday", "saturday", "sunday"};

int cal_weekday_parse(const char *name)
{
    char low[16];
    size_t n = strlen(name);
    if (n < 3 || n >= sizeof low)
        return -1;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)tolower((unsigned char)name[i]);
    for (int d = 0; d < 7; d++)
        if (strcmp(low, s_weekdays[d]) == 0 || (n == 3 && strncmp(low, s_weekdays[d], 3) == 0))
            return d;
    return -1;
}

static const char *s_skip(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* "HH:MM" (H may be one digit), 00:00 to 24:00; advances *p. */
static int s_minute(const char **p, int *out)
{
    const char *s = *p;
    int h = 0, m = 0, digits = 0;
    while (isdigit((unsigned char)*s) && digits < 2) {
        h = h * 10 + (*s++ - '0');
        digits++;
    }
    if (digits == 0 || *s != ':' || !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
        return -1;
    m = (s[1] - '0') * 10 + (s[2] - '0');
    if (h > 24 || m > 59 || (h == 24 && m != 0))
        return -1;
    *out = h * 60 + m;
    *p = s + 3;
    return 0;
}

/* "HH:MM-HH:MM"; advances *p. */
static int s_span(const char **p, cal_span_t *out, char *why, size_t whylen)
{
    const char *s = s_skip(*p);
    cal_span_t span;
    if (s_minute(&s, &span.from) != 0 || *(s = s_skip(s)) != '-')
        return hq_fail(why, whylen, "'%.20s' is not a period such as 08:30-12:00", s_skip(*p));
    s = s_skip(s + 1);
    if (s_minute(&s, &span.to) != 0)
        return hq_fail(why, whylen, "'%.20s' is not a period such as 08:30-12:00", s_skip(*p));
    if (span.to <= span.from)
        return hq_fail(why, whylen, "a period must end after it starts (%.11s)", s_skip(*p));
    *out = span;
    *p = s;
    return 0;
}

int cal_spans_parse(const char *text, cal_spans_t *out, char *why, size_t whylen)
{
    cal_spans_t spans = {0};
    const char *p = s_skip(text);
    if (strcmp(p, "closed") == 0) {
        *out = spans;
        return 0;
    }
    for (;;) {
        if (spans.n == CAL_SPANS_MAX)
            return hq_fail(why, whylen, "at most %d periods a day", CAL_SPANS_MAX);
        cal_span_t span;
        if (s_span(&p, &span, why, whylen) != 0)
            return -1;
        if (spans.n > 0 && span.from <= spans.span[spans.n - 1].to)
            return hq_fail(why, whylen,
                           "periods must be in order with a break between them "
                           "(08:30-12:00, 13:30-17:30)");
        spans.span[spans.n++] = span;
        p = s_skip(p);
        if (*p == '\0')
            break;
        if (*p != ',')
            return hq_fail(why, whylen, "separate periods with a comma (08:30-12:00, 13:30-17:30)");
        p++;
    }
    *out = spans;
    return 0;
}

void cal_minute_format(int minute, char out[6])
{
    snprintf(out, 6, "%02u:%02u", (unsigned)(minute / 60) % 100u, (unsigned)(minute % 60));
}

void cal_spans_format(const cal_spans_t *spans, char *out, size_t outlen)
{
    size_t used = 0;
    if (outlen == 0)
        return;
    out[0] = '\0';
    for (int i = 0; i < spans->n && used < outlen; i++) {
        char from[6], to[6];
        cal_minute_format(spans->span[i].from, from);
        cal_minute_format(spans->span[i].to, to);
        int n = snprintf(out + used, outlen - used, "%s%s-%s", i ? ", " : "", from, to);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* "mon", "monday" or "mon-fri"; advances *p. */
static int s_weekdays_of(const char **p, unsigned *out, char *why, size_t whylen)
{
    const char *s = s_skip(*p);
    char word[2][16];
    int n = 0;
    for (;;) {
        size_t len = 0;
        while (isalpha((unsigned char)s[len]))
            len++;
        if (len == 0 || len >= sizeof word[0])
            return hq_fail(why, whylen, "'%.20s' does not start with a weekday (mon-fri, sat ...)",
                           s_skip(*p));
        memcpy(word[n], s, len);
        word[n][len] = '\0';
        s += len;
        n++;
        if (n == 2 || *s != '-')
            break;
        s++;
    }
    int a = cal_weekday_parse(word[0]), b = n == 2 ? cal_weekday_parse(word[1]) : a;
    if (a < 0 || b < 0)
        return hq_fail(why, whylen, "'%s' is not a weekday (monday or mon ... sunday or sun)",
                       a < 0 ? word[0] : word[1]);
    if (b < a)
        return hq_fail(why, whylen, "weekdays %s-%s run backwards: write them Monday first",
                       word[0], word[1]);
    unsigned bits = 0;
    for (int d = a; d <= b; d++)
        bits |= 1u << d;
    *out = bits;
    *p = s;
    return 0;
}

int cal_weekdays_parse(const char *text, unsigned *out, char *why, size_t whylen)
{
    unsigned all = 0;
    const char *p = s_skip(text);
    for (;;) {
        unsigned bits;
        if (s_weekdays_of(&p, &bits, why, whylen) != 0)
            return -1;
        all |= bits;
        p = s_skip(p);
        if (*p == '\0')
            break;
        if (*p != ',')
            return hq_fail(why, whylen, "separate weekdays with a comma (mon-fri, sat)");
        p++;
    }
    *out = all;
    return 0;
}

int cal_extended_parse(cal_t *cal, const char *text, char *why, size_t whylen)
{
    cal_extended_t ext[CAL_EXTENDED_MAX] = {{0}};
    int n = 0;
    const char *p = s_skip(text);
    while (*p) {
        if (n == CAL_EXTENDED_MAX)
            return hq_fail(why, whylen, "at most %d extended periods", CAL_EXTENDED_MAX);
        if (s_weekdays_of(&p, &ext[n].weekdays, why, whylen) != 0 ||
            s_span(&p, &ext[n].span, why, whylen) != 0)
            return -1;
        n++;
        p = s_skip(p);
        if (*p == ',')
            p = s_skip(p + 1);
        else if (*p)
            return hq_fail(why, whylen,
                           "separate extended periods with a comma (wed 17:30-19:30, sat "
                           "09:00-12:00)");
    }
    memcpy(cal->extended, ext, sizeof ext[0] * (size_t)n);
    cal->nextended = n;
    return 0;
}

static int s_date_cmp(const void *a, const void *b)
{
    int x = ((const cal_date_t *)a)->days, y = ((const cal_date_t *)b)->days;
    return (x > y) - (x < y);
}

/* One line of the holidays file, trimmed and without its comment. */
static int s_date_line(cal_date_t *dates, int *ndates, char *s, const char *name, int line,
                       char *why, size_t whylen)
{
    char *save = NULL;
    char *when = strtok_r(s, " \t", &save), *kind = strtok_r(NULL, " \t", &save);
    char *title = save ? (char *)s_skip(save) : NULL;
    if (!when || !kind || !title || !*title)
        return hq_fail(why, whylen,
                       "%s:%d: expected 'DATE holiday NAME' or 'DATE workday NAME' (DATE "
                       "YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)",
                       name, line);
    char first[16] = "", last[16] = "";
    const char *dots = strstr(when, "..");
    if (dots) {
        snprintf(first, sizeof first, "%.*s", (int)(dots - when) < 15 ? (int)(dots - when) : 15,
                 when);
        snprintf(last, sizeof last, "%.15s", dots + 2);
    } else {
        snprintf(first, sizeof first, "%.15s", when);
        snprintf(last, sizeof last, "%.15s", when);
    }
    int a = hq_date_parse_days(first), b = hq_date_parse_days(last);
    if (a < 0 || b < 0)
        return hq_fail(why, whylen, "%s:%d: '%s' is no date YYYY-MM-DD (from 1970 on)", name, line,
                       a < 0 ? first : last);
    if (b < a)
        return hq_fail(why, whylen, "%s:%d: %s..%s runs backwards", name, line, first, last);
    if (b - a + 1 > CAL_RANGE_MAX)
        return hq_fail(why, whylen, "%s:%d: %s..%s is longer than %d days", name, line, first, last,
                       CAL_RANGE_MAX);
    cal_kind_t k;
    if (strcmp(kind, "holiday") == 0)
        k = CAL_HOLIDAY;
    else if (strcmp(kind, "workday") == 0)
        k = CAL_WORKDAY;
    else
        return hq_fail(why, whylen, "%s:%d: '%s' must be holiday or workday", name, line, kind);
    if (strlen(title) >= CAL_NAME_MAX)
        return hq_fail(why, whylen, "%s:%d: the name is longer than %d bytes", name, line,
                       CAL_NAME_MAX - 1);
    for (int d = a; d <= b; d++) {
        char text[HQ_DATE_TEXT_MAX];
        hq_date_format(hq_date_from_days(d), text);
        if (k == CAL_WORKDAY && hq_date_weekday(d) < 5)
            return hq_fail(why, whylen,
                           "%s:%d: %s is a %s: a make-up working day (调休) is a Saturday or "
                           "Sunday",
                           name, line, text, s_weekdays[hq_date_weekday(d)]);
        for (int i = 0; i < *ndates; i++)
            if (dates[i].days == d)
                return hq_fail(why, whylen, "%s:%d: %s is named twice (first on line %d)", name,
                               line, text, dates[i].line);
        if (*ndates == CAL_DATES_MAX)
            return hq_fail(why, whylen, "%s:%d: more than %d dates: remove past years", name, line,
                           CAL_DATES_MAX);
        cal_date_t *e = &dates[(*ndates)++];
        e->days = d;
        e->kind = k;
        e->line = line;
        hq_strlcpy(e->name, title, sizeof e->name);
    }
    return 0;
}

int cal_dates_parse(cal_t *cal, const char *text, const char *name, char *why, size_t whylen)
{
    cal_date_t *dates = malloc(sizeof *dates * CAL_DATES_MAX);
    if (!dates)
        return hq_fail(why, whylen, "out of memory");
    int ndates = 0, line = 0, rc = 0;
    const char *p = text;
    while (*p && rc == 0) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char buf[512];
        line++;
        if (len >= sizeof buf) {
            rc = hq_fail(why, whylen, "%s:%d: line is longer than %zu bytes", name, line,
                         sizeof buf - 1);
            break;
        }
        memcpy(buf, p, len);
        buf[len] = '\0';
        p = eol ? eol + 1 : p + len;
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char *s = buf;
        while (isspace((unsigned char)*s))
            s++;
        char *end = s + strlen(s);
        while (end > s && isspace((unsigned char)end[-1]))
            *--end = '\0';
        if (*s)
            rc = s_date_line(dates, &ndates, s, name, line, why, whylen);
    }
    if (rc == 0) {
        qsort(dates, (size_t)ndates, sizeof *dates, s_date_cmp);
        memcpy(cal->dates, dates, sizeof *dates * (size_t)ndates);
        cal->ndates = ndates;
    }
    free(dates);
    return rc;
}

const cal_date_t *cal_date(const cal_t *cal, int days)
{
    int lo = 0, hi = cal->ndates - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (cal->dates[mid].days == days)
            return &cal->dates[mid];
        if (cal->dates[mid].days < days)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

cal_spans_t cal_week_hours(const cal_t *cal, int weekday)
{
    cal_spans_t none = {0};
    if (weekday < 0 || weekday > 6)
        return none;
    if (cal->week_given & (1u << weekday))
        return cal->week[weekday];
    return weekday < 5 ? cal->workday : none;
}

int cal_working_day(const cal_t *cal, int days)
{
    if (!cal->set)
        return 1;
    const cal_date_t *d = cal_date(cal, days);
    if (d)
        return d->kind == CAL_WORKDAY;
    return cal_week_hours(cal, hq_date_weekday(days)).n > 0;
}

cal_spans_t cal_hours(const cal_t *cal, int days)
{
    cal_spans_t none = {0};
    if (!cal->set) {
        cal_spans_t all = {1, {{0, 1440}}};
        return all;
    }
    const cal_date_t *d = cal_date(cal, days);
    if (d)
        return d->kind == CAL_WORKDAY ? cal->workday : none;
    return cal_week_hours(cal, hq_date_weekday(days));
}

cal_spans_t cal_extended_hours(const cal_t *cal, int days)
{
    cal_spans_t out = {0};
    const cal_date_t *d = cal_date(cal, days);
    if (!cal->set || (d && d->kind == CAL_HOLIDAY))
        return out;
    unsigned bit = 1u << hq_date_weekday(days);
    for (int i = 0; i < cal->nextended && out.n < CAL_SPANS_MAX; i++)
        if (cal->extended[i].weekdays & bit)
            out.span[out.n++] = cal->extended[i].span;
    return out;
}

int cal_spans_contain(const cal_spans_t *spans, int minute)
{
    for (int i = 0; i < spans->n; i++)
        if (minute >= spans->span[i].from && minute < spans->span[i].to)
            return 1;
    return 0;
}

int cal_open_at(const cal_t *cal, int days, int minute)
{
    cal_spans_t hours = cal_hours(cal, days), ext = cal_extended_hours(cal, days);
    return cal_spans_contain(&hours, minute) || cal_spans_contain(&ext, minute);
}

int cal_extended_at(const cal_t *cal, int days, int minute)
{
    cal_spans_t hours = cal_hours(cal, days), ext = cal_extended_hours(cal, days);
    return !cal_spans_contain(&hours, minute) && cal_spans_contain(&ext, minute);
}

int cal_add_working_days(const cal_t *cal, int days, int n)
{
    for (int step = 0; n > 0 && step < 3660; step++)
        if (cal_working_day(cal, ++days) && --n == 0)
            return days;
    return n == 0 ? days : -1;
}

int cal_working_days_between(const cal_t *cal, int from, int to)
{
    int n = 0;
    for (int d = from + 1; d <= to; d++)
        n += cal_working_day(cal, d);
    return n;
}
