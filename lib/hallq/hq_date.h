/* Civil dates and business days: the one place hallq turns "2024-03-04" into a day number,
 * a weekday or an age, and an instant into the hall's local day.
 *
 * Dates are proleptic Gregorian. Day numbers count from 1970-01-01 (day 0, a Thursday) and
 * are negative before it, so day arithmetic is integer arithmetic. The pure functions need
 * no time zone; the two local ones follow the process's TZ, which every hallq program sets
 * to the hall's zone (hq_text_timezone). */
#ifndef HQ_DATE_H
#define HQ_DATE_H

#include <stdint.h>

#define HQ_DATE_TEXT_MAX 11 /* "YYYY-MM-DD" and NUL */

typedef struct {
    int year;  /* e.g. 2024 */
    int month; /* 1 .. 12 */
    int day;   /* 1 .. 31 */
} hq_date_t;

int hq_date_leap(int year);
/* 28 .. 31; 0 for a month outside 1 .. 12. */
int hq_date_days_in_month(int year, int month);
/* 1 when the date exists (year 1 .. 9999). */
int hq_date_valid(hq_date_t d);

/* Days since 1970-01-01 of a valid date. */
int hq_date_to_days(hq_date_t d);
hq_date_t hq_date_from_days(int days);
/* 0 Monday .. 6 Sunday. */
int hq_date_weekday(int days);
/* Whole years from `from` to `on` (an age: the birthday itself counts). */
int hq_date_years(hq_date_t from, hq_date_t on);

/* Exactly "YYYY-MM-DD" naming a date that exists: 0 and *out; -1 (and *out unchanged)
 * otherwise. */
int hq_date_parse(const char *text, hq_date_t *out);
/* The day number of such a text; -1 for a malformed one or a day before 1970. */
int hq_date_parse_days(const char *text);
void hq_date_format(hq_date_t d, char out[HQ_DATE_TEXT_MAX]);

/* The local date of an instant (milliseconds since the epoch). */
hq_date_t hq_date_local(int64_t epoch_ms);
/* The instant local hour:00 begins on date d. Hours past 23 run into the next days, and a
 * daylight-saving change lands where the hall's clock put it. */
int64_t hq_date_local_ms(hq_date_t d, int hour);

#endif
