/* The hall's calendar: opening hours per weekday with a lunch break, holidays and 调休
 * make-up working days from a dated file the hall keeps up to date each year, and extended
 * hours (延时服务) when the hall also serves.
 *
 * Pure: days are hq_date day numbers (days since 1970-01-01), times are minutes since the
 * local midnight of the day. Nothing here reads the clock or a time zone; the hall turns an
 * instant into (day, minute) in its zone and asks.
 *
 * The rules, in one place:
 * - A day is a working day when the holidays file names it a workday (调休: a weekend day the
 *   hall works, with the hours of `hours`), or when the file does not name it a holiday and
 *   its weekday has opening hours.
 * - The hall is open on a working day inside the day's hours; extended periods add hours on
 *   their weekdays of any day that is not a holiday (a Saturday morning service runs on an
 *   ordinary Saturday, not on National Day).
 * - A hall without a [calendar] section keeps no hours: every day is a working day, open all
 *   day, as hallq always was. */
#ifndef HALLQ_CALENDAR_H
#define HALLQ_CALENDAR_H

#include <stddef.h>

#define CAL_SPANS_MAX 4    /* opening spans of a day: a morning, an afternoon and a bit */
#define CAL_EXTENDED_MAX 8 /* extended periods */
#define CAL_DATES_MAX 512  /* dated days in the holidays file: some ten years of notices */
#define CAL_NAME_MAX 64    /* a holiday's name, in bytes with the NUL */
#define CAL_RANGE_MAX 31   /* days one line of the holidays file may span */
#define CAL_SPANS_TEXT 64  /* "08:30-12:00, 13:30-17:30" and more, for messages and screens */

typedef struct {
    int from, to; /* minutes since local midnight, 0 <= from < to <= 1440 */
} cal_span_t;

typedef struct {
    int n;
    cal_span_t span[CAL_SPANS_MAX]; /* in order, apart from each other */
} cal_spans_t;

typedef enum { CAL_HOLIDAY = 1, CAL_WORKDAY } cal_kind_t;

typedef struct {
    int days;                /* the day */
    cal_kind_t kind;         /* a holiday, or a make-up working day (调休) */
    char name[CAL_NAME_MAX]; /* 国庆节, 国庆节调休 ... */
    int line;                /* its line in the holidays file */
} cal_date_t;

typedef struct {
    unsigned weekdays; /* bit 0 Monday .. bit 6 Sunday */
    cal_span_t span;
} cal_extended_t;

typedef struct {
    int set;             /* the configuration has a [calendar]: the hall keeps hours */
    cal_spans_t workday; /* `hours`: Monday to Friday unless overridden, and every 调休 day */
    unsigned week_given; /* bit i: weekday i (0 Monday) has a line of its own, week[i] */
    cal_spans_t week[7]; /* those lines' hours; none: closed that weekday */
    int nextended;
    cal_extended_t extended[CAL_EXTENDED_MAX];
    int ndates;
    cal_date_t dates[CAL_DATES_MAX]; /* ascending by day, each day once */
} cal_t;

/* Opening spans as written: "08:30-12:00, 13:30-17:30", or "closed" (none). 0, or -1 with the
 * reason in why. */
int cal_spans_parse(const char *text, cal_spans_t *out, char *why, size_t whylen);
/* Their written form ("08:30-12:00, 13:30-17:30"; "" for none). */
void cal_spans_format(const cal_spans_t *spans, char *out, size_t outlen);
/* "HH:MM" of a minute of the day (24:00 for 1440). */
void cal_minute_format(int minute, char out[6]);
/* Extended periods as written: "wednesday 17:30-19:30, mon-fri 12:00-13:30" (weekdays by
 * name, three letters or whole, or a range of them). Replaces cal->extended. */
int cal_extended_parse(cal_t *cal, const char *text, char *why, size_t whylen);
/* Weekdays as written: "mon-fri", "sat", "mon-fri, sun" (bit 0 Monday .. bit 6 Sunday). */
int cal_weekdays_parse(const char *text, unsigned *out, char *why, size_t whylen);
/* A weekday's name ("monday", "mon"): 0 Monday .. 6 Sunday, -1 none. */
int cal_weekday_parse(const char *name);

/* The holidays file (see holidays.example): one line a date or a range of dates,
 *     2026-10-01..2026-10-07  holiday  国庆节
 *     2026-10-10              workday  国庆节调休
 * '#' starts a comment. A date named twice, a range backwards or longer than CAL_RANGE_MAX
 * days, a workday on Monday to Friday (调休 makes a weekend day a working day) and any
 * other malformed line are refused as "NAME:LINE: problem". Replaces cal->dates. */
int cal_dates_parse(cal_t *cal, const char *text, const char *name, char *why, size_t whylen);

/* The day's entry in the holidays file, NULL when it names the day not. */
const cal_date_t *cal_date(const cal_t *cal, int days);
/* Whether the hall works that day (the rules above). */
int cal_working_day(const cal_t *cal, int days);
/* A weekday's hours by the week alone: its own line, else `hours` Monday to Friday, else
 * none. */
cal_spans_t cal_week_hours(const cal_t *cal, int weekday);
/* The day's regular opening hours: none on a day that is not a working day. */
cal_spans_t cal_hours(const cal_t *cal, int days);
/* The day's extended periods (none on a holiday). */
cal_spans_t cal_extended_hours(const cal_t *cal, int days);
/* Whether the hall is open at that minute: regular hours or extended. */
int cal_open_at(const cal_t *cal, int days, int minute);
/* Whether that minute lies in an extended period and outside the regular hours: a ticket
 * issued then is an extended-hours ticket. */
int cal_extended_at(const cal_t *cal, int days, int minute);
/* Whether a minute lies in spans. */
int cal_spans_contain(const cal_spans_t *spans, int minute);
/* The n-th working day after `days` (n >= 1), or `days` itself for n = 0; -1 when none is
 * found within ten years (a calendar that never opens). */
int cal_add_working_days(const cal_t *cal, int days, int n);
/* Working days in (from, to]: 0 when to <= from. */
int cal_working_days_between(const cal_t *cal, int from, int to);

#endif
