/* The codec's common part: the names of values on the wire, small helpers, the readers of
 * optional fields and ticket labels. The codec is split by job: requests and replies
 * (hq_request.c), tickets, counters, replies and events (hq_values.c), the catalog reply
 * (hq_catalog.c). Every input from the network is checked there: a bad frame becomes an
 * error value, never an assert or a crash. */
#include "hq_codec_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
/* ---- names ------------------------------------------------------------------------------ */
static const char *const s_error_names[HQ_E_COUNT_] = {
    "none",          "malformed",     "too_large",       "unsupported_version", "unknown_type",
    "bad_field",     "unknown_queue", "unknown_service", "unknown_counter",     "unknown_ticket",
    "bad_id_number", "bad_state",     "store_failed",    "forbidden",           "rate_limited",
    "internal",      "closed_today",  "not_issuing",     "quota_exhausted",     "unknown_booking"};

static const char *const s_ticket_states[HQ_T_COUNT_] = {"waiting",  "called",  "serving", "parked",
                                                         "finished", "no_show", "expired"};

static const char *const s_counter_states[HQ_C_COUNT_] = {"closed", "idle", "calling", "serving",
                                                          "paused"};

static const char *const s_event_names[HQ_EV_COUNT_] = {
    "issued",      "called", "recalled", "started",     "finished", "no_show",
    "reactivated", "parked", "unparked", "transferred", "rated",    "counter",
    "metric",      "alert",  "day",      "heartbeat",   "booking",  "queue_alert"};

static const char *const s_reasons[HQ_REASON_COUNT_] = {
    NULL,     "green_lane", "max_wait",    "green_limit",
    "oldest", "chosen",     "appointment", "appointment_limit"};

int hq_codec_lookup(const char *const *names, int count, const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < count; i++)
        if (names[i] && strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *hq_error_code_name(hq_error_code_t code)
{
    return (code >= 0 && code < HQ_E_COUNT_) ? s_error_names[code] : "internal";
}

hq_error_code_t hq_error_code_parse(const char *name)
{
    int i = hq_codec_lookup(s_error_names, HQ_E_COUNT_, name);
    return i < 0 ? HQ_E_INTERNAL : (hq_error_code_t)i;
}

const char *hq_ticket_state_name(hq_ticket_state_t s)
{
    return (s >= 0 && s < HQ_T_COUNT_) ? s_ticket_states[s] : "?";
}

int hq_ticket_state_parse(const char *name)
{
    return hq_codec_lookup(s_ticket_states, HQ_T_COUNT_, name);
}

const char *hq_counter_state_name(hq_counter_state_t s)
{
    return (s >= 0 && s < HQ_C_COUNT_) ? s_counter_states[s] : "?";
}

int hq_counter_state_parse(const char *name)
{
    return hq_codec_lookup(s_counter_states, HQ_C_COUNT_, name);
}

const char *hq_event_type_name(hq_event_type_t t)
{
    return (t >= 0 && t < HQ_EV_COUNT_) ? s_event_names[t] : "?";
}

int hq_event_type_parse(const char *name)
{
    return hq_codec_lookup(s_event_names, HQ_EV_COUNT_, name);
}

const char *hq_reason_name(hq_reason_t r)
{
    return (r > HQ_REASON_NONE && r < HQ_REASON_COUNT_) ? s_reasons[r] : NULL;
}

int hq_reason_parse(const char *name)
{
    return hq_codec_lookup(s_reasons, HQ_REASON_COUNT_, name);
}

/* The English of each reason: one table for writing it and for reading it back. */
static const char *const s_reason_english[HQ_REASON_COUNT_] = {
    "",
    "green lane",
    "normal waited %d min",
    "%d green in a row, normal's turn",
    "oldest",
    "chosen by clerk",
    "appointment slot",
    "%d appointments in a row, walk-in's turn"};

void hq_reason_english(hq_reason_t r, int n, char *out, size_t outlen)
{
    const char *fmt = (r > HQ_REASON_NONE && r < HQ_REASON_COUNT_) ? s_reason_english[r] : "";
    const char *at = strstr(fmt, "%d");
    if (at)
        snprintf(out, outlen, "%.*s%d%s", (int)(at - fmt), fmt, n, at + 2);
    else
        snprintf(out, outlen, "%s", fmt);
}

hq_reason_t hq_reason_of_english(const char *text)
{
    for (int r = HQ_REASON_NONE + 1; text && text[0] && r < HQ_REASON_COUNT_; r++) {
        const char *fmt = s_reason_english[r], *at = strstr(fmt, "%d");
        if (!at) {
            if (strcmp(text, fmt) == 0)
                return (hq_reason_t)r;
            continue;
        }
        size_t head = (size_t)(at - fmt);
        const char *p = text + head;
        if (strncmp(text, fmt, head) != 0 || !isdigit((unsigned char)*p))
            continue;
        while (isdigit((unsigned char)*p))
            p++;
        if (strcmp(p, at + 2) == 0)
            return (hq_reason_t)r;
    }
    return HQ_REASON_NONE;
}

const char *hq_rating_name_zh(int rating)
{
    static const char *const names[] = {"", "非常不满意", "不满意", "基本满意", "满意", "非常满意"};
    return (rating >= 1 && rating <= 5) ? names[rating] : "";
}

const char *hq_rating_name_en(int rating)
{
    static const char *const names[] = {"",           "very dissatisfied", "dissatisfied",
                                        "acceptable", "satisfied",         "very satisfied"};
    return (rating >= 1 && rating <= 5) ? names[rating] : "";
}

/* ---- small helpers ---------------------------------------------------------------------- */
int hq_strlcpy(char *dst, const char *src, size_t n)
{
    size_t len = strlen(src);
    if (n == 0)
        return -1;
    if (len >= n) {
        memcpy(dst, src, n - 1);
        dst[n - 1] = '\0';
        return -1;
    }
    memcpy(dst, src, len + 1);
    return 0;
}

int hq_fail(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
    return -1;
}

int hq_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int hq_parse_int(const char *s, int lo, int hi, int *out)
{
    long v;
    if (hq_parse_long(s, lo, hi, &v) != 0)
        return -1;
    *out = (int)v;
    return 0;
}

int64_t hq_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t hq_monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void hq_codec_error(hq_error_t *err, hq_error_code_t code, const char *fmt, ...)
{
    if (!err)
        return;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

/* ---- optional fields of replies and events ------------------------------------------------ */
/* Optional integer: null or missing gives 0. */
int hq_codec_opt_int64(const json_t *j, const char *key, int64_t *out, hq_error_t *err)
{
    json_t *v = json_object_get(j, key);
    if (!v || json_is_null(v)) {
        *out = 0;
        return HQ_OK;
    }
    if (!json_is_integer(v)) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field '%s' must be an integer or null", key);
        return HQ_MALFORMED;
    }
    *out = json_integer_value(v);
    return HQ_OK;
}

int hq_codec_opt_int(const json_t *j, const char *key, int *out, hq_error_t *err)
{
    int64_t v;
    if (hq_codec_opt_int64(j, key, &v, err))
        return HQ_MALFORMED;
    if (v < -2147483647 || v > 2147483647) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field '%s' is out of range", key);
        return HQ_MALFORMED;
    }
    *out = (int)v;
    return HQ_OK;
}

int hq_codec_opt_str(const json_t *j, const char *key, char *out, size_t n, hq_error_t *err)
{
    json_t *v = json_object_get(j, key);
    if (!v || json_is_null(v)) {
        out[0] = '\0';
        return HQ_OK;
    }
    if (!json_is_string(v) || hq_strlcpy(out, json_string_value(v), n) != 0) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field '%s' must be a string of at most %zu bytes", key,
                       n - 1);
        return HQ_MALFORMED;
    }
    return HQ_OK;
}

int hq_codec_letter(const json_t *j, const char *key, char *out, hq_error_t *err)
{
    char buf[4];
    if (hq_codec_opt_str(j, key, buf, sizeof buf, err))
        return HQ_MALFORMED;
    if (strlen(buf) != 1 || !isupper((unsigned char)buf[0])) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field '%s' must be one letter A-Z", key);
        return HQ_MALFORMED;
    }
    *out = buf[0];
    return HQ_OK;
}

/* ---- ticket labels ------------------------------------------------------------------------ */
int hq_label_format(char prefix, int number, char *out, size_t outlen)
{
    if (!isupper((unsigned char)prefix) || number < 1 || number > 9999)
        return -1;
    int n = snprintf(out, outlen, "%c%03d", prefix, number);
    return (n < 0 || (size_t)n >= outlen) ? -1 : 0;
}

int hq_label_parse(const char *label, char *prefix, int *number)
{
    if (!label || !isalpha((unsigned char)label[0]))
        return -1;
    size_t digits = strlen(label + 1);
    if (digits < 3 || digits > 4)
        return -1;
    int value = 0;
    for (size_t i = 1; i <= digits; i++) {
        if (!isdigit((unsigned char)label[i]))
            return -1;
        value = value * 10 + (label[i] - '0');
    }
    if (value < 1 || (digits == 4 && value < 1000))
        return -1;
    *prefix = (char)toupper((unsigned char)label[0]);
    *number = value;
    return 0;
}
