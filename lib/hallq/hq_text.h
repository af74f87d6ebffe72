/* Display-width helpers for UTF-8 text: Chinese characters take two terminal columns,
 * so layout must count columns, not bytes. Needs a UTF-8 LC_CTYPE (see hq_text_locale). */
#ifndef HQ_TEXT_H
#define HQ_TEXT_H

#include <stddef.h>

/* setlocale(LC_ALL, "") and, when that is not UTF-8, C.UTF-8. 0 ok, -1 no UTF-8 locale. */
int hq_text_locale(void);
/* Columns the text takes; invalid bytes count as one column each. */
int hq_text_width(const char *utf8);
/* Copies at most `cols` columns of text into out (never splitting a character); when
 * `pad` is set, pads with spaces to exactly `cols` columns. Returns the columns used. */
int hq_text_fit(const char *utf8, int cols, int pad, char *out, size_t outlen);
/* Makes the named zone (e.g. "Asia/Shanghai") the process's local time. -1 with a one-line
 * reason when it is not a plain zone name or tzdata lacks it: glibc would fall back to UTC
 * without a word, and a hall printing UTC times is worse than one that refuses. */
int hq_text_timezone(const char *tz, char *why, size_t whylen);
/* A screen's clock follows the hall's time zone as hallqd's catalog names it: the zone is
 * applied and logged when it differs from the last one named; an unknown zone is logged as a
 * warning and the machine's own time stays. An empty name changes nothing. */
void hq_text_follow_timezone(const char *tz);
/* Formats milliseconds as "m:ss" or "h:mm:ss". */
void hq_text_duration(long long ms, char *out, size_t outlen);

#endif
