#include "hq_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static hq_log_level_t s_level = HQ_LOG_INFO;
static const char *s_program = "hallq";
static int s_journal = -1; /* -1: undecided (plain); set by hq_log_set_program */

static const char *const s_names[] = {"error", "warn", "info", "debug"};
static const int s_priorities[] = {3, 4, 6, 7};

void hq_log_set_level(hq_log_level_t level)
{
    s_level = level;
}

hq_log_level_t hq_log_get_level(void)
{
    return s_level;
}

int hq_log_level_parse(const char *name)
{
    for (int i = 0; i <= HQ_LOG_DEBUG; i++)
        if (strcmp(name, s_names[i]) == 0)
            return i;
    return -1;
}

void hq_log_set_program(const char *name)
{
    s_program = name;
    /* Decided here, at start-up, so threads that log later only read it. */
    if (s_journal < 0)
        s_journal = getenv("JOURNAL_STREAM") != NULL;
}

void hq_log_set_journal(int on)
{
    s_journal = on;
}

void hq_log(hq_log_level_t level, const char *fmt, ...)
{
    if (level > s_level)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (s_journal > 0) {
        fprintf(stderr, "<%d>%s\n", s_priorities[level], line);
    } else {
        char stamp[32];
        struct timespec ts;
        struct tm tm;
        clock_gettime(CLOCK_REALTIME, &ts);
        localtime_r(&ts.tv_sec, &tm);
        strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
        fprintf(stderr, "%s.%03ld %s %s: %s\n", stamp, ts.tv_nsec / 1000000L, s_program,
                s_names[level], line);
    }
}
