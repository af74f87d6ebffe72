#include "hq_date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int hq_date_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int hq_date_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && hq_date_leap(year) ? 29 : days[month - 1];
}

int hq_date_valid(hq_date_t d)
{
    return d.year >= 1 && d.year <= 9999 && d.day >= 1 &&
           d.day <= hq_date_days_in_month(d.year, d.month);
}

/* H. Hinnant's days_from_civil and civil_from_days: eras of 400 years, each 146097 days,
 * with the year starting on 1 March so the leap day falls last. */
int hq_date_to_days(hq_date_t d)
{
    int y = d.year - (d.month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

hq_date_t hq_date_from_days(int days)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    hq_date_t d;
    d.day = doy - (153 * mp + 2) / 5 + 1;
    d.month = mp < 10 ? mp + 3 : mp - 9;
    d.year = yoe + era * 400 + (d.month <= 2);
    return d;
}

int hq_date_weekday(int days)
{
    /* 1970-01-01 was a Thursday: 3 counting from Monday. */
    return ((days % 7) + 7 + 3) % 7;
}

int hq_date_years(hq_date_t from, hq_date_t on)
{
    int years = on.year - from.year;
    if (on.month < from.month || (on.month == from.month && on.day < from.day))
        years--;
    return years;
}

static int s_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int hq_date_parse(const char *text, hq_date_t *out)
{
    if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-')
        return -1;
    hq_date_t d = {s_digits(text, 4), s_digits(text + 5, 2), s_digits(text + 8, 2)};
    if (d.year < 0 || d.month < 0 || d.day < 0 || !hq_date_valid(d))
        return -1;
    *out = d;
    return 0;
}

int hq_date_parse_days(const char *text)
{
    hq_date_t d;
    if (hq_date_parse(text, &d) != 0 || d.year < 1970)
        return -1;
    return hq_date_to_days(d);
}

void hq_date_format(hq_date_t d, char out[HQ_DATE_TEXT_MAX])
{
    snprintf(out, HQ_DATE_TEXT_MAX, "%04u-%02u-%02u", (unsigned)d.year % 10000u,
             (unsigned)d.month % 100u, (unsigned)d.day % 100u);
}

hq_date_t hq_date_local(int64_t epoch_ms)
{
    /* Floor, not truncation: an instant before 1970 belongs to the second before it. */
    time_t t = (time_t)(epoch_ms >= 0 ? epoch_ms / 1000 : -((999 - epoch_ms) / 1000));
    struct tm tm;
    localtime_r(&t, &tm);
    hq_date_t d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    return d;
}

int64_t hq_date_local_ms(hq_date_t d, int hour)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = d.year - 1900;
    tm.tm_mon = d.month - 1;
    tm.tm_mday = d.day;
    tm.tm_hour = hour;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm) * 1000;
}
