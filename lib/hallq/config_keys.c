/* config_keys: the keys of each section of the configuration file, and the values they take
 * (see config_parse.h). */
#include "config_parse.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The key's value as a whole number from lo to hi into *out. */
static int s_int(cfg_parser_t *ps, const char *key, const char *value, int lo, int hi, int *out)
{
    if (hq_parse_int(value, lo, hi, out) != 0)
        return hq_fail(ps->why, ps->whylen, "%s:%d: %s must be a whole number from %d to %d",
                       ps->name, ps->line, key, lo, hi);
    return 0;
}

/* A key of a table of whole numbers, each at its offset in the struct base points to. */
typedef struct {
    const char *key;
    size_t offset;
    int lo, hi;
} s_int_key_t;

/* 0 set, 1 no key of the table, -1 refused. */
static int s_int_key(cfg_parser_t *ps, const char *key, const char *value, const s_int_key_t *keys,
                     size_t n, void *base)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(key, keys[i].key) != 0)
            continue;
        int *field = (int *)((char *)base + keys[i].offset);
        return s_int(ps, key, value, keys[i].lo, keys[i].hi, field) != 0 ? -1 : 0;
    }
    return 1;
}

/* The key's value as text into dst, of n bytes with its NUL. */
static int s_text(cfg_parser_t *ps, const char *key, const char *value, char *dst, size_t n)
{
    if (hq_strlcpy(dst, value, n) != 0)
        return hq_fail(ps->why, ps->whylen, "%s:%d: %s is longer than %zu bytes", ps->name,
                       ps->line, key, n - 1);
    return 0;
}

/* The key's value as an endpoint hallqd can bind. */
static int s_endpoint(cfg_parser_t *ps, const char *key, const char *value, char *dst, size_t n)
{
    char reason[200];
    if (s_text(ps, key, value, dst, n) != 0)
        return -1;
    if (config_endpoint_check(value, reason, sizeof reason) != 0)
        return hq_fail(ps->why, ps->whylen, "%s:%d: %s endpoint '%s' %s", ps->name, ps->line, key,
                       value, reason);
    return 0;
}

int config_base_url_parse(const char *text, char *out, size_t outlen, char *why, size_t whylen)
{
    if (strncmp(text, "http://", 7) != 0 && strncmp(text, "https://", 8) != 0)
        return hq_fail(why, whylen,
                       "base_url must start with http:// or https:// (e.g. "
                       "http://192.168.1.10:8080, where phones reach hallq-web)");
    size_t len = strlen(text);
    while (len > 8 && text[len - 1] == '/')
        len--;
    for (size_t i = 0; i < len; i++)
        if (text[i] <= ' ' || text[i] > '~')
            return hq_fail(why, whylen, "base_url holds a space or a character beyond ASCII");
    if (len >= outlen || len + 1 > CFG_WEB_BASE_URL_MAX)
        return hq_fail(why, whylen, "base_url is longer than %d bytes", CFG_WEB_BASE_URL_MAX - 1);
    memcpy(out, text, len);
    out[len] = '\0';
    return 0;
}

int config_hall_id_ok(const char *text)
{
    size_t n = strlen(text);
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    if (n == 0 || n > CFG_HALL_ID_MAX || !strchr(alnum, text[0]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr(alnum, text[i]) && !strchr("_.-", text[i]))
            return 0;
    return 1;
}

int config_exit_keys_parse(const char *text, char *out, size_t outlen, char *why, size_t whylen)
{
    char buf[CFG_TEXT_MAX], normal[CFG_EXIT_KEYS_MAX] = "";
    int n = 0;
    if (hq_strlcpy(buf, text, sizeof buf) != 0)
        return hq_fail(why, whylen, "exit_keys is too long");
    for (char *save = NULL, *k = strtok_r(buf, " \t", &save); k; k = strtok_r(NULL, " \t", &save)) {
        char key[8];
        int f;
        size_t len = strlen(k);
        for (size_t i = 0; i < len; i++)
            k[i] = (char)tolower((unsigned char)k[i]);
        if (len == 6 && strncmp(k, "ctrl-", 5) == 0 && k[5] >= 'a' && k[5] <= 'z') {
            /* What a terminal sends for these is Backspace, Tab and Enter. */
            if (strchr("hijm", k[5]))
                return hq_fail(why, whylen,
                               "exit_keys: %s is Backspace, Tab or Enter on a terminal: choose "
                               "another",
                               k);
            snprintf(key, sizeof key, "ctrl-%c", k[5]);
        } else if (k[0] == 'f' && hq_parse_int(k + 1, 1, 12, &f) == 0) {
            snprintf(key, sizeof key, "F%d", f);
        } else {
            return hq_fail(why, whylen,
                           "exit_keys: '%.20s' is no key: write ctrl-A to ctrl-Z or F1 to F12, "
                           "separated by spaces (e.g. exit_keys = ctrl-x ctrl-q)",
                           k);
        }
        if (++n > CFG_EXIT_KEYS_COUNT_MAX)
            return hq_fail(why, whylen, "exit_keys: at most %d keys", CFG_EXIT_KEYS_COUNT_MAX);
        size_t used = strlen(normal);
        snprintf(normal + used, sizeof normal - used, "%s%s", used ? " " : "", key);
    }
    if (n < 2)
        return hq_fail(why, whylen,
                       "exit_keys: give 2 to %d keys (one key alone is too easily pressed by "
                       "chance)",
                       CFG_EXIT_KEYS_COUNT_MAX);
    if (hq_strlcpy(out, normal, outlen) != 0)
        return hq_fail(why, whylen, "exit_keys is too long");
    return 0;
}

static int s_valid_queues(const char *v)
{
    if (!*v || strlen(v) > HQ_QUEUES_MAX)
        return 0;
    for (const char *p = v; *p; p++)
        if (!isupper((unsigned char)*p) || strchr(p + 1, *p))
            return 0;
    return 1;
}

/* The key's value through a parser of config.h's that writes text and says why it refuses. */
static int s_parsed(cfg_parser_t *ps, const char *value,
                    int (*parse)(const char *, char *, size_t, char *, size_t), char *out,
                    size_t outlen)
{
    char reason[200];
    if (parse(value, out, outlen, reason, sizeof reason) != 0)
        return hq_fail(ps->why, ps->whylen, "%s:%d: %s", ps->name, ps->line, reason);
    return 0;
}

/* [hall]: the hall's name, notice, ticket footer, time zone, level and catalog. */
static int s_key_hall(cfg_parser_t *ps, const char *key, const char *value)
{
    int rc = 0, known = 1;
    if (strcmp(key, "name") == 0)
        rc = s_text(ps, key, value, ps->next.hall_name, sizeof ps->next.hall_name);
    else if (strcmp(key, "notice") == 0)
        rc = s_text(ps, key, value, ps->next.notice, sizeof ps->next.notice);
    else if (strcmp(key, "ticket_footer") == 0)
        rc = s_text(ps, key, value, ps->next.ticket_footer, sizeof ps->next.ticket_footer);
    else if (strcmp(key, "timezone") == 0) {
        char tzwhy[200];
        rc = s_text(ps, key, value, ps->next.timezone, sizeof ps->next.timezone);
        if (rc == 0 && config_timezone_check(value, tzwhy, sizeof tzwhy) != 0)
            rc = hq_fail(ps->why, ps->whylen, "%s:%d: %s", ps->name, ps->line, tzwhy);
    } else if (strcmp(key, "level") == 0) {
        if (strcmp(value, "town") && strcmp(value, "village")) {
            hq_fail(ps->why, ps->whylen, "%s:%d: level must be town or village", ps->name,
                    ps->line);
            return -1;
        }
        hq_strlcpy(ps->next.level, value, sizeof ps->next.level);
    } else if (strcmp(key, "catalog") == 0) {
        rc = s_text(ps, key, value, ps->catalog_path, sizeof ps->catalog_path);
        ps->catalog_line = ps->line;
    } else
        known = 0;
    return rc != 0 ? -1 : known ? 0 : 1;
}

/* [network]: the request and event endpoints (checked once the file is read). */
static int s_key_network(cfg_parser_t *ps, const char *key, const char *value)
{
    int rc = 0, known = 1;
    if (strcmp(key, "request") == 0) {
        rc =
            s_endpoint(ps, key, value, ps->next.request_endpoint, sizeof ps->next.request_endpoint);
        ps->request_line = ps->line;
    } else if (strcmp(key, "events") == 0) {
        rc = s_endpoint(ps, key, value, ps->next.event_endpoint, sizeof ps->next.event_endpoint);
        ps->events_line = ps->line;
    } else
        known = 0;
    return rc != 0 ? -1 : known ? 0 : 1;
}

/* [security]: the key store. */
static int s_key_security(cfg_parser_t *ps, const char *key, const char *value)
{
    int rc = 0, known = 1;
    if (strcmp(key, "keys") == 0)
        rc = s_text(ps, key, value, ps->next.keys_dir, sizeof ps->next.keys_dir);
    else
        known = 0;
    return rc != 0 ? -1 : known ? 0 : 1;
}

/* [rules]: the whole numbers of the hall's rules, each within its range. */
static int s_key_rules(cfg_parser_t *ps, const char *key, const char *value)
{
    static const s_int_key_t keys[] = {
#define S_RULE(field, lo, hi) {#field, offsetof(hallq_config_t, field), lo, hi},
        HQ_RULES(S_RULE) /* the ones a catalog states too */
#undef S_RULE
        {"metric_interval_s", offsetof(hallq_config_t, metric_interval_s), 1, 86400},
        {"default_handling_min", offsetof(hallq_config_t, default_handling_min), 1, 600},
        {"sync_full", offsetof(hallq_config_t, sync_full), 0, 1},
    };
    return s_int_key(ps, key, value, keys, sizeof keys / sizeof keys[0], &ps->next);
}

/* [log]: the level. */
static int s_key_log(cfg_parser_t *ps, const char *key, const char *value)
{
    int rc = 0, known = 1;
    if (strcmp(key, "level") == 0) {
        if (strcmp(value, "error") && strcmp(value, "warn") && strcmp(value, "info") &&
            strcmp(value, "debug")) {
            hq_fail(ps->why, ps->whylen, "%s:%d: log level must be error, warn, info or debug",
                    ps->name, ps->line);
            return -1;
        }
        hq_strlcpy(ps->next.log_level, value, sizeof ps->next.log_level);
    } else
        known = 0;
    return rc != 0 ? -1 : known ? 0 : 1;
}

/* [limits]: each role's request budget. */
static int s_key_limits(cfg_parser_t *ps, const char *key, const char *value)
{
    int rc = 0, known = 1;
    known = 0;
    for (int i = 0; i < CFG_LIMIT_COUNT_; i++)
        if (strcmp(key, config_limit_names[i]) == 0) {
            char reason[120];
            known = 1;
            if (hq_rate_parse(value, &ps->next.limits[i], reason, sizeof reason) != 0) {
                hq_fail(ps->why, ps->whylen, "%s:%d: %s: %s", ps->name, ps->line, key, reason);
                return -1;
            }
        }
    return rc != 0 ? -1 : known ? 0 : 1;
}

/* [kiosk]: the keys that leave the kiosk. */
static int s_key_kiosk(cfg_parser_t *ps, const char *key, const char *value)
{
    if (strcmp(key, "exit_keys") != 0)
        return 1;
    return s_parsed(ps, value, config_exit_keys_parse, ps->next.kiosk_exit_keys,
                    sizeof ps->next.kiosk_exit_keys);
}

/* [web]: the address the ticket's QR code links to. */
static int s_key_web(cfg_parser_t *ps, const char *key, const char *value)
{
    if (strcmp(key, "base_url") != 0)
        return 1;
    return s_parsed(ps, value, config_base_url_parse, ps->next.web_base_url,
                    sizeof ps->next.web_base_url);
}

/* [queue X]: its name, issue hours, quota and reserves. */
static int s_key_queue(cfg_parser_t *ps, const char *key, const char *value)
{
    int rc = 0, known = 1;
    if (strcmp(key, "name") == 0)
        rc = s_text(ps, key, value, ps->queue->name, sizeof ps->queue->name);
    else if (strcmp(key, "issue_hours") == 0) {
        char reason[200];
        if (cal_spans_parse(value, &ps->queue->issue_hours, reason, sizeof reason) != 0) {
            hq_fail(ps->why, ps->whylen, "%s:%d: issue_hours: %s", ps->name, ps->line, reason);
            return -1;
        }
        ps->queue->issue_hours_set = 1;
    } else if (strcmp(key, "quota") == 0) {
        rc = s_int(ps, key, value, 0, 9999, &ps->queue->quota);
        ps->quota_line[ps->queue - ps->next.queues] = ps->line;
    } else if (strcmp(key, "appointment_reserve") == 0) {
        rc = s_int(ps, key, value, 0, 9999, &ps->queue->appointment_reserve);
        if (!ps->quota_line[ps->queue - ps->next.queues])
            ps->quota_line[ps->queue - ps->next.queues] = ps->line;
    } else if (strcmp(key, "green_reserve") == 0) {
        rc = s_int(ps, key, value, 0, 9999, &ps->queue->green_reserve);
        if (!ps->quota_line[ps->queue - ps->next.queues])
            ps->quota_line[ps->queue - ps->next.queues] = ps->line;
    } else
        known = 0;
    return rc != 0 ? -1 : known ? 0 : 1;
}

/* [appointments]: how far ahead, how late and how often citizens may book. */
static int s_key_appointments(cfg_parser_t *ps, const char *key, const char *value)
{
    static const s_int_key_t keys[] = {
        {"days_ahead", offsetof(cfg_appointments_t, days_ahead), 0, 90},
        {"lead_min", offsetof(cfg_appointments_t, lead_min), 0, 10080},
        {"per_person_day", offsetof(cfg_appointments_t, per_person_day), 1, 10},
        {"early_min", offsetof(cfg_appointments_t, early_min), 0, 600},
        {"late_min", offsetof(cfg_appointments_t, late_min), 0, 600},
        {"max_in_row", offsetof(cfg_appointments_t, max_in_row), 1, 100},
    };
    return s_int_key(ps, key, value, keys, sizeof keys / sizeof keys[0], &ps->next.appointments);
}

/* [alerts]: the wait and handling thresholds, and the hook told of them. */
static int s_key_alerts(cfg_parser_t *ps, const char *key, const char *value)
{
    int rc = 0, known = 1;
    if (strcmp(key, "wait_target_min") == 0)
        rc = s_int(ps, key, value, 1, 1440, &ps->next.alerts.wait_target_min);
    else if (strcmp(key, "wait_clear_min") == 0) {
        rc = s_int(ps, key, value, 0, 1439, &ps->next.alerts.wait_clear_min);
        ps->clear_given = 1;
    } else if (strcmp(key, "handling_clear_s") == 0)
        rc = s_int(ps, key, value, 0, 3600, &ps->next.alerts.handling_clear_s);
    else if (strcmp(key, "hold_s") == 0)
        rc = s_int(ps, key, value, 0, 3600, &ps->next.alerts.hold_s);
    else if (strcmp(key, "hook") == 0) {
        rc = s_text(ps, key, value, ps->next.alerts.hook, sizeof ps->next.alerts.hook);
        if (rc == 0 && value[0] != '/')
            rc = hq_fail(ps->why, ps->whylen, "%s:%d: hook must be an absolute path", ps->name,
                         ps->line);
        else if (rc == 0 && access(value, X_OK) != 0)
            rc = hq_fail(ps->why, ps->whylen, "%s:%d: hook %s is no executable file: %s", ps->name,
                         ps->line, value, strerror(errno));
    } else
        known = 0;
    if (known && rc == 0) {
        ps->alerts_line = ps->line;
    }
    return rc != 0 ? -1 : known ? 0 : 1;
}

/* [central]: the city store this hall ships to, and its place in the city. */
static int s_key_central(cfg_parser_t *ps, const char *key, const char *value)
{
    int rc = 0, known = 1;
    if (strcmp(key, "url") == 0)
        rc = s_text(ps, key, value, ps->next.central.url, sizeof ps->next.central.url);
    else if (strcmp(key, "hall") == 0 || strcmp(key, "parent") == 0) {
        char *dst = key[0] == 'h' ? ps->next.central.hall : ps->next.central.parent;
        if (!config_hall_id_ok(value))
            rc = hq_fail(ps->why, ps->whylen,
                         "%s:%d: %s '%s' is no hall id (1 to 64 letters, digits, _ . -, "
                         "the first a letter or digit)",
                         ps->name, ps->line, key, value);
        else
            rc = s_text(ps, key, value, dst, CFG_HALL_ID_MAX + 1);
    } else if (strcmp(key, "name") == 0)
        rc = s_text(ps, key, value, ps->next.central.name, sizeof ps->next.central.name);
    else if (strcmp(key, "level") == 0) {
        if (strcmp(value, "town") && strcmp(value, "village"))
            rc = hq_fail(ps->why, ps->whylen, "%s:%d: level must be town or village", ps->name,
                         ps->line);
        else
            hq_strlcpy(ps->next.central.level, value, sizeof ps->next.central.level);
    } else
        known = 0;
    return rc != 0 ? -1 : known ? 0 : 1;
}

/* [slots X] or [slots N]: a queue's or a service's bookable hours. */
static int s_key_slots(cfg_parser_t *ps, const char *key, const char *value)
{
    int rc = 0, known = 1;
    char reason[200];
    if (strcmp(key, "weekdays") == 0) {
        if (cal_weekdays_parse(value, &ps->sl->weekdays, reason, sizeof reason) != 0) {
            hq_fail(ps->why, ps->whylen, "%s:%d: weekdays: %s", ps->name, ps->line, reason);
            return -1;
        }
    } else if (strcmp(key, "hours") == 0) {
        if (cal_spans_parse(value, &ps->sl->hours, reason, sizeof reason) != 0) {
            hq_fail(ps->why, ps->whylen, "%s:%d: hours: %s", ps->name, ps->line, reason);
            return -1;
        }
    } else if (strcmp(key, "slot_min") == 0)
        rc = s_int(ps, key, value, 5, 240, &ps->sl->slot_min);
    else if (strcmp(key, "capacity") == 0)
        rc = s_int(ps, key, value, 1, 999, &ps->sl->capacity);
    else
        known = 0;
    return rc != 0 ? -1 : known ? 0 : 1;
}

/* [calendar]: the opening hours, each weekday's, extended days and the holidays file. */
static int s_key_calendar(cfg_parser_t *ps, const char *key, const char *value)
{
    int rc = 0, known = 1;
    char reason[200];
    int wd = cal_weekday_parse(key);
    /* A [calendar] with no line in force (the packaged file's) keeps no hours. */
    ps->next.calendar.set = 1;
    if (!ps->calendar_line)
        ps->calendar_line = ps->line;
    if (strcmp(key, "hours") == 0) {
        ps->hours_line = ps->line;
        if (cal_spans_parse(value, &ps->next.calendar.workday, reason, sizeof reason) != 0) {
            hq_fail(ps->why, ps->whylen, "%s:%d: hours: %s", ps->name, ps->line, reason);
            return -1;
        }
    } else if (wd >= 0 && strlen(key) > 3) {
        if (cal_spans_parse(value, &ps->next.calendar.week[wd], reason, sizeof reason) != 0) {
            hq_fail(ps->why, ps->whylen, "%s:%d: %s: %s", ps->name, ps->line, key, reason);
            return -1;
        }
        ps->next.calendar.week_given |= 1u << wd;
    } else if (strcmp(key, "extended") == 0) {
        if (cal_extended_parse(&ps->next.calendar, value, reason, sizeof reason) != 0) {
            hq_fail(ps->why, ps->whylen, "%s:%d: extended: %s", ps->name, ps->line, reason);
            return -1;
        }
    } else if (strcmp(key, "holidays") == 0) {
        rc = s_text(ps, key, value, ps->next.holidays_path, sizeof ps->next.holidays_path);
        ps->holidays_line = ps->line;
    } else
        known = 0;
    return rc != 0 ? -1 : known ? 0 : 1;
}

/* [counter N]: the queues it serves and whether it has a rating tablet. */
static int s_key_counter(cfg_parser_t *ps, const char *key, const char *value)
{
    int rc = 0, known = 1;
    if (strcmp(key, "queues") == 0) {
        if (!s_valid_queues(value)) {
            hq_fail(ps->why, ps->whylen, "%s:%d: queues must be distinct letters A-Z, e.g. ABC",
                    ps->name, ps->line);
            return -1;
        }
        hq_strlcpy(ps->counter->queues, value, sizeof ps->counter->queues);
        ps->queues_line[ps->counter - ps->next.counters] = ps->line;
    } else if (strcmp(key, "tablet") == 0) {
        if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0) {
            hq_fail(ps->why, ps->whylen, "%s:%d: tablet is yes or no", ps->name, ps->line);
            return -1;
        }
        ps->counter->tablet = strcmp(value, "yes") == 0;
    } else
        known = 0;
    return rc != 0 ? -1 : known ? 0 : 1;
}

int cfg_parse_key(cfg_parser_t *ps, const char *key, const char *value)
{
    switch (ps->sec) {
    case SEC_NONE:
        return hq_fail(ps->why, ps->whylen, "%s:%d: '%s' is outside any [section]", ps->name,
                       ps->line, key);
    case SEC_HALL:
        return s_key_hall(ps, key, value);
    case SEC_NETWORK:
        return s_key_network(ps, key, value);
    case SEC_SECURITY:
        return s_key_security(ps, key, value);
    case SEC_RULES:
        return s_key_rules(ps, key, value);
    case SEC_LOG:
        return s_key_log(ps, key, value);
    case SEC_LIMITS:
        return s_key_limits(ps, key, value);
    case SEC_KIOSK:
        return s_key_kiosk(ps, key, value);
    case SEC_WEB:
        return s_key_web(ps, key, value);
    case SEC_QUEUE:
        return s_key_queue(ps, key, value);
    case SEC_APPOINTMENTS:
        return s_key_appointments(ps, key, value);
    case SEC_ALERTS:
        return s_key_alerts(ps, key, value);
    case SEC_CENTRAL:
        return s_key_central(ps, key, value);
    case SEC_SLOTS:
        return s_key_slots(ps, key, value);
    case SEC_CALENDAR:
        return s_key_calendar(ps, key, value);
    case SEC_COUNTER:
        return s_key_counter(ps, key, value);
    }
    return 1;
}
