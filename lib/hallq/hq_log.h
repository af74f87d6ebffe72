/* Leveled logging to stderr, one line per message. Under systemd the journal takes stderr
 * and the "<N>" prefix (sd-daemon priority) sets the entry's priority. */
#ifndef HQ_LOG_H
#define HQ_LOG_H

typedef enum { HQ_LOG_ERROR = 0, HQ_LOG_WARN, HQ_LOG_INFO, HQ_LOG_DEBUG } hq_log_level_t;

void hq_log_set_level(hq_log_level_t level);
hq_log_level_t hq_log_get_level(void);
int hq_log_level_parse(const char *name); /* -1 when unknown */
/* Call first thing in main: it also decides between journal and plain output. */
void hq_log_set_program(const char *name);
/* Journal style prefixes instead of timestamps (set when JOURNAL_STREAM is present). */
void hq_log_set_journal(int on);
void hq_log(hq_log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define hq_error(...) hq_log(HQ_LOG_ERROR, __VA_ARGS__)
#define hq_warn(...) hq_log(HQ_LOG_WARN, __VA_ARGS__)
#define hq_info(...) hq_log(HQ_LOG_INFO, __VA_ARGS__)
#define hq_debug(...) hq_log(HQ_LOG_DEBUG, __VA_ARGS__)

#endif
