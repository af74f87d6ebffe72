/* The one codec for hallq messages: requests, replies, events and the shared values.
 * Every input from the network is checked here: a bad frame becomes an error value,
 * never an assert or a crash. */
#include "hq_proto.h"

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
    "bad_id_number", "bad_state",     "store_failed",    "forbidden",           "internal"};

static const char *const s_ticket_states[HQ_T_COUNT_] = {"waiting",  "called",  "serving", "parked",
                                                         "finished", "no_show", "expired"};

static const char *const s_counter_states[HQ_C_COUNT_] = {"closed", "idle", "calling", "serving",
                                                          "paused"};

static const char *const s_req_names[HQ_REQ_COUNT_] = {
    "ping",   "issue",    "call", "recall", "start",  "finish", "no_show", "reactivate", "park",
    "unpark", "transfer", "rate", "pause",  "resume", "login",  "logout",  "snapshot",   "catalog"};

static const char *const s_event_names[HQ_EV_COUNT_] = {
    "issued",      "called", "recalled", "started",     "finished", "no_show",
    "reactivated", "parked", "unparked", "transferred", "rated",    "counter",
    "depths",      "metric", "alert",    "day",         "heartbeat"};

static int s_lookup(const char *const *names, int count, const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *hq_error_code_name(hq_error_code_t code)
{
    return (code >= 0 && code < HQ_E_COUNT_) ? s_error_names[code] : "internal";
}

hq_error_code_t hq_error_code_parse(const char *name)
{
    int i = s_lookup(s_error_names, HQ_E_COUNT_, name);
    return i < 0 ? HQ_E_INTERNAL : (hq_error_code_t)i;
}

const char *hq_ticket_state_name(hq_ticket_state_t s)
{
    return (s >= 0 && s < HQ_T_COUNT_) ? s_ticket_states[s] : "?";
}

int hq_ticket_state_parse(const char *name)
{
    return s_lookup(s_ticket_states, HQ_T_COUNT_, name);
}

const char *hq_counter_state_name(hq_counter_state_t s)
{
    return (s >= 0 && s < HQ_C_COUNT_) ? s_counter_states[s] : "?";
}

int hq_counter_state_parse(const char *name)
{
    return s_lookup(s_counter_states, HQ_C_COUNT_, name);
}

const char *hq_req_type_name(hq_req_type_t t)
{
    return (t >= 0 && t < HQ_REQ_COUNT_) ? s_req_names[t] : "?";
}

int hq_req_type_parse(const char *name)
{
    return s_lookup(s_req_names, HQ_REQ_COUNT_, name);
}

const char *hq_event_type_name(hq_event_type_t t)
{
    return (t >= 0 && t < HQ_EV_COUNT_) ? s_event_names[t] : "?";
}

int hq_event_type_parse(const char *name)
{
    return s_lookup(s_event_names, HQ_EV_COUNT_, name);
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

static void s_set_error(hq_error_t *err, hq_error_code_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void s_set_error(hq_error_t *err, hq_error_code_t code, const char *fmt, ...)
{
    if (!err)
        return;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
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

/* ---- requests ------------------------------------------------------------------------------ */
enum {
    F_COUNTER = 1 << 0,
    F_QUEUE = 1 << 1,
    F_SERVICE = 1 << 2,
    F_ELDERLY = 1 << 3,
    F_ID_NUMBER = 1 << 4,
    F_NUMBER = 1 << 5,
    F_RATING = 1 << 6,
    F_CLERK = 1 << 7,
    F_REASON = 1 << 8,
    F_TOKEN = 1 << 9,
};

typedef struct {
    unsigned required;
    unsigned optional;
} s_fields_t;

static const s_fields_t s_req_fields[HQ_REQ_COUNT_] = {
    [HQ_REQ_PING] = {0, 0},
    [HQ_REQ_ISSUE] = {F_QUEUE, F_SERVICE | F_ELDERLY | F_ID_NUMBER | F_TOKEN},
    [HQ_REQ_CALL] = {F_COUNTER, F_NUMBER},
    [HQ_REQ_RECALL] = {F_COUNTER, 0},
    [HQ_REQ_START] = {F_COUNTER, 0},
    [HQ_REQ_FINISH] = {F_COUNTER, 0},
    [HQ_REQ_NO_SHOW] = {F_COUNTER, 0},
    [HQ_REQ_REACTIVATE] = {F_NUMBER, 0},
    [HQ_REQ_PARK] = {F_COUNTER, 0},
    [HQ_REQ_UNPARK] = {F_COUNTER | F_NUMBER, 0},
    [HQ_REQ_TRANSFER] = {F_COUNTER | F_QUEUE, 0},
    [HQ_REQ_RATE] = {F_NUMBER | F_RATING, 0},
    [HQ_REQ_PAUSE] = {F_COUNTER, F_REASON},
    [HQ_REQ_RESUME] = {F_COUNTER, 0},
    [HQ_REQ_LOGIN] = {F_COUNTER | F_CLERK, 0},
    [HQ_REQ_LOGOUT] = {F_COUNTER, 0},
    [HQ_REQ_SNAPSHOT] = {0, 0},
    [HQ_REQ_CATALOG] = {0, 0},
};

static const struct {
    const char *name;
    unsigned flag;
} s_field_names[] = {
    {"counter", F_COUNTER}, {"queue", F_QUEUE},         {"service", F_SERVICE},
    {"elderly", F_ELDERLY}, {"id_number", F_ID_NUMBER}, {"number", F_NUMBER},
    {"rating", F_RATING},   {"clerk", F_CLERK},         {"reason", F_REASON},
    {"token", F_TOKEN},
};
#define S_NFIELDS (sizeof s_field_names / sizeof s_field_names[0])

void hq_request_init(hq_request_t *req, hq_req_type_t type)
{
    memset(req, 0, sizeof *req);
    req->type = type;
}

/* Reads an integer field in [lo, hi]. JSON reals and booleans are wrong types. */
static int s_get_int(json_t *obj, const char *key, int lo, int hi, int *out, hq_error_t *err)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v)) {
        s_set_error(err, HQ_E_BAD_FIELD, "field '%s' must be an integer", key);
        return HQ_MALFORMED;
    }
    json_int_t x = json_integer_value(v);
    if (x < lo || x > hi) {
        s_set_error(err, HQ_E_BAD_FIELD, "field '%s' must be between %d and %d", key, lo, hi);
        return HQ_MALFORMED;
    }
    *out = (int)x;
    return HQ_OK;
}

static int s_get_str(json_t *obj, const char *key, char *out, size_t outlen, int allow_empty,
                     hq_error_t *err)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v)) {
        s_set_error(err, HQ_E_BAD_FIELD, "field '%s' must be a string", key);
        return HQ_MALFORMED;
    }
    const char *s = json_string_value(v);
    if (!allow_empty && s[0] == '\0') {
        s_set_error(err, HQ_E_BAD_FIELD, "field '%s' must not be empty", key);
        return HQ_MALFORMED;
    }
    if (strlen(s) != json_string_length(v)) {
        s_set_error(err, HQ_E_BAD_FIELD, "field '%s' contains a NUL character", key);
        return HQ_MALFORMED;
    }
    if (hq_strlcpy(out, s, outlen) != 0) {
        s_set_error(err, HQ_E_BAD_FIELD, "field '%s' is longer than %zu bytes", key, outlen - 1);
        return HQ_MALFORMED;
    }
    return HQ_OK;
}

static int s_get_queue(json_t *obj, const char *key, char *out, hq_error_t *err)
{
    char buf[4];
    if (s_get_str(obj, key, buf, sizeof buf, 0, err) != HQ_OK)
        return HQ_MALFORMED;
    if (strlen(buf) != 1 || !isalpha((unsigned char)buf[0])) {
        s_set_error(err, HQ_E_BAD_FIELD, "field '%s' must be one queue letter A-Z", key);
        return HQ_MALFORMED;
    }
    *out = (char)toupper((unsigned char)buf[0]);
    return HQ_OK;
}

static int s_get_number(json_t *obj, char *out, hq_error_t *err)
{
    char buf[HQ_LABEL_MAX];
    char prefix;
    int number;
    if (s_get_str(obj, "number", buf, sizeof buf, 0, err) != HQ_OK)
        return HQ_MALFORMED;
    if (hq_label_parse(buf, &prefix, &number) != 0) {
        s_set_error(err, HQ_E_BAD_FIELD, "field 'number' must be a ticket number like A001");
        return HQ_MALFORMED;
    }
    hq_label_format(prefix, number, out, HQ_LABEL_MAX);
    return HQ_OK;
}

static int s_decode_fields(json_t *obj, hq_request_t *req, hq_error_t *err)
{
    const s_fields_t *spec = &s_req_fields[req->type];
    unsigned present = 0;
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        if (strcmp(key, "v") == 0 || strcmp(key, "id") == 0 || strcmp(key, "type") == 0)
            continue;
        unsigned flag = 0;
        for (size_t i = 0; i < S_NFIELDS; i++)
            if (strcmp(key, s_field_names[i].name) == 0)
                flag = s_field_names[i].flag;
        if (!flag || !((spec->required | spec->optional) & flag)) {
            s_set_error(err, HQ_E_BAD_FIELD, "unknown field '%.40s' for %s", key,
                        hq_req_type_name(req->type));
            return HQ_MALFORMED;
        }
        present |= flag;
    }
    for (size_t i = 0; i < S_NFIELDS; i++) {
        if ((spec->required & s_field_names[i].flag) && !(present & s_field_names[i].flag)) {
            s_set_error(err, HQ_E_BAD_FIELD, "missing field '%s' for %s", s_field_names[i].name,
                        hq_req_type_name(req->type));
            return HQ_MALFORMED;
        }
    }
    if ((present & F_COUNTER) && s_get_int(obj, "counter", 1, 999, &req->counter, err))
        return HQ_MALFORMED;
    if ((present & F_QUEUE) && s_get_queue(obj, "queue", &req->queue, err))
        return HQ_MALFORMED;
    if ((present & F_SERVICE) && s_get_int(obj, "service", 1, 9999, &req->service, err))
        return HQ_MALFORMED;
    if (present & F_ELDERLY) {
        json_t *v = json_object_get(obj, "elderly");
        if (!json_is_boolean(v)) {
            s_set_error(err, HQ_E_BAD_FIELD, "field 'elderly' must be true or false");
            return HQ_MALFORMED;
        }
        req->elderly = json_is_true(v);
    }
    if ((present & F_ID_NUMBER) &&
        s_get_str(obj, "id_number", req->id_number, sizeof req->id_number, 0, err))
        return HQ_MALFORMED;
    if ((present & F_ID_NUMBER) && (present & F_ELDERLY)) {
        s_set_error(err, HQ_E_BAD_FIELD, "give either 'elderly' or 'id_number', not both");
        return HQ_MALFORMED;
    }
    if ((present & F_NUMBER) && s_get_number(obj, req->number, err))
        return HQ_MALFORMED;
    if ((present & F_RATING) && s_get_int(obj, "rating", 1, 5, &req->rating, err))
        return HQ_MALFORMED;
    if ((present & F_CLERK) && s_get_str(obj, "clerk", req->clerk, sizeof req->clerk, 0, err))
        return HQ_MALFORMED;
    if ((present & F_REASON) && s_get_str(obj, "reason", req->reason, sizeof req->reason, 1, err))
        return HQ_MALFORMED;
    if ((present & F_TOKEN) && s_get_str(obj, "token", req->token, sizeof req->token, 0, err))
        return HQ_MALFORMED;
    return HQ_OK;
}

int hq_request_decode(const void *data, size_t len, hq_request_t *req, hq_error_t *err)
{
    memset(req, 0, sizeof *req);
    req->type = HQ_REQ_COUNT_;
    if (err) {
        err->code = HQ_E_NONE;
        err->message[0] = '\0';
    }
    if (len > HQ_MAX_REQUEST_BYTES) {
        s_set_error(err, HQ_E_TOO_LARGE, "request of %zu bytes is over the limit of %d", len,
                    HQ_MAX_REQUEST_BYTES);
        return HQ_MALFORMED;
    }
    json_error_t jerr;
    json_t *obj = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj) {
        s_set_error(err, HQ_E_MALFORMED, "not valid JSON: %.100s", jerr.text);
        return HQ_MALFORMED;
    }
    int rc = HQ_MALFORMED;
    if (!json_is_object(obj)) {
        s_set_error(err, HQ_E_MALFORMED, "request must be a JSON object");
        goto done;
    }
    json_t *id = json_object_get(obj, "id");
    if (json_is_string(id)) {
        if (hq_strlcpy(req->id, json_string_value(id), sizeof req->id) != 0) {
            req->id[0] = '\0';
            s_set_error(err, HQ_E_BAD_FIELD, "field 'id' is longer than %zu bytes",
                        sizeof req->id - 1);
            goto done;
        }
    } else if (json_is_integer(id)) {
        snprintf(req->id, sizeof req->id, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
    } else if (id) {
        s_set_error(err, HQ_E_BAD_FIELD, "field 'id' must be a string or an integer");
        goto done;
    }
    json_t *type = json_object_get(obj, "type");
    if (!json_is_string(type)) {
        s_set_error(err, HQ_E_BAD_FIELD, "field 'type' must be a string naming the request");
        goto done;
    }
    int t = hq_req_type_parse(json_string_value(type));
    if (t < 0) {
        s_set_error(err, HQ_E_UNKNOWN_TYPE, "unknown request type '%.40s'",
                    json_string_value(type));
        goto done;
    }
    req->type = (hq_req_type_t)t;
    json_t *v = json_object_get(obj, "v");
    if (v && (!json_is_integer(v) || json_integer_value(v) != HQ_PROTOCOL_VERSION)) {
        s_set_error(err, HQ_E_VERSION, "protocol version must be %d", HQ_PROTOCOL_VERSION);
        goto done;
    }
    rc = s_decode_fields(obj, req, err);
done:
    json_decref(obj);
    return rc;
}

char *hq_request_encode(const hq_request_t *req)
{
    if (req->type < 0 || req->type >= HQ_REQ_COUNT_)
        return NULL;
    const s_fields_t *spec = &s_req_fields[req->type];
    unsigned allowed = spec->required | spec->optional;
    json_t *obj =
        json_pack("{s:i, s:s}", "v", HQ_PROTOCOL_VERSION, "type", hq_req_type_name(req->type));
    if (!obj)
        return NULL;
    if (req->id[0])
        json_object_set_new(obj, "id", json_string(req->id));
    if (allowed & F_COUNTER)
        json_object_set_new(obj, "counter", json_integer(req->counter));
    if (allowed & F_QUEUE) {
        char q[2] = {req->queue, 0};
        json_object_set_new(obj, "queue", json_string(q));
    }
    if ((allowed & F_SERVICE) && req->service)
        json_object_set_new(obj, "service", json_integer(req->service));
    if ((allowed & F_ID_NUMBER) && req->id_number[0])
        json_object_set_new(obj, "id_number", json_string(req->id_number));
    else if ((allowed & F_ELDERLY) && req->elderly)
        json_object_set_new(obj, "elderly", json_true());
    if ((allowed & F_NUMBER) && (req->number[0] || (spec->required & F_NUMBER)))
        json_object_set_new(obj, "number", json_string(req->number));
    if (allowed & F_RATING)
        json_object_set_new(obj, "rating", json_integer(req->rating));
    if (allowed & F_CLERK)
        json_object_set_new(obj, "clerk", json_string(req->clerk));
    if ((allowed & F_REASON) && req->reason[0])
        json_object_set_new(obj, "reason", json_string(req->reason));
    if ((allowed & F_TOKEN) && req->token[0])
        json_object_set_new(obj, "token", json_string(req->token));
    char *out = hq_json_compact(obj, NULL);
    json_decref(obj);
    return out;
}

/* ---- tickets and counters ---------------------------------------------------------------- */
static json_t *s_ms(int64_t ms)
{
    return ms ? json_integer(ms) : json_null();
}

json_t *hq_ticket_to_json(const hq_ticket_t *t)
{
    /* Sent with every issue and call: the keys and the fixed names are known to be valid
     * UTF-8 and skip jansson's check; every value read from a request or the database keeps
     * it. */
    char prefix[2] = {t->prefix, 0}, queue[2] = {t->queue, 0};
    json_t *j = json_object();
    json_object_set_new_nocheck(j, "id", json_integer(t->id));
    json_object_set_new_nocheck(j, "day", json_string(t->day));
    json_object_set_new_nocheck(j, "label", json_string(t->label));
    json_object_set_new_nocheck(j, "prefix", json_string(prefix));
    json_object_set_new_nocheck(j, "number", json_integer(t->number));
    json_object_set_new_nocheck(j, "queue", json_string(queue));
    json_object_set_new_nocheck(j, "service", t->service ? json_integer(t->service) : json_null());
    json_object_set_new_nocheck(j, "lane", json_string_nocheck(t->green ? "green" : "normal"));
    json_object_set_new_nocheck(j, "age_band",
                                t->age_band[0] ? json_string(t->age_band) : json_null());
    json_object_set_new_nocheck(j, "state", json_string_nocheck(hq_ticket_state_name(t->state)));
    json_object_set_new_nocheck(j, "issued_ms", json_integer(t->issued_ms));
    json_object_set_new_nocheck(j, "called_ms", s_ms(t->called_ms));
    json_object_set_new_nocheck(j, "last_called_ms", s_ms(t->last_called_ms));
    json_object_set_new_nocheck(j, "started_ms", s_ms(t->started_ms));
    json_object_set_new_nocheck(j, "finished_ms", s_ms(t->finished_ms));
    json_object_set_new_nocheck(j, "parked_ms", s_ms(t->parked_ms));
    json_object_set_new_nocheck(j, "park_total_ms", json_integer(t->park_total_ms));
    json_object_set_new_nocheck(j, "calls", json_integer(t->calls));
    json_object_set_new_nocheck(j, "counter", t->counter ? json_integer(t->counter) : json_null());
    json_object_set_new_nocheck(j, "clerk", t->clerk[0] ? json_string(t->clerk) : json_null());
    json_object_set_new_nocheck(j, "reason", t->reason[0] ? json_string(t->reason) : json_null());
    json_object_set_new_nocheck(j, "rating", t->rating ? json_integer(t->rating) : json_null());
    json_object_set_new_nocheck(j, "transfers", json_integer(t->transfers));
    return j;
}

/* Optional integer: null or missing gives 0. */
static int s_opt_int64(const json_t *j, const char *key, int64_t *out, hq_error_t *err)
{
    json_t *v = json_object_get(j, key);
    if (!v || json_is_null(v)) {
        *out = 0;
        return HQ_OK;
    }
    if (!json_is_integer(v)) {
        s_set_error(err, HQ_E_BAD_FIELD, "field '%s' must be an integer or null", key);
        return HQ_MALFORMED;
    }
    *out = json_integer_value(v);
    return HQ_OK;
}

static int s_opt_int(const json_t *j, const char *key, int *out, hq_error_t *err)
{
    int64_t v;
    if (s_opt_int64(j, key, &v, err))
        return HQ_MALFORMED;
    if (v < -2147483647 || v > 2147483647) {
        s_set_error(err, HQ_E_BAD_FIELD, "field '%s' is out of range", key);
        return HQ_MALFORMED;
    }
    *out = (int)v;
    return HQ_OK;
}

static int s_opt_str(const json_t *j, const char *key, char *out, size_t n, hq_error_t *err)
{
    json_t *v = json_object_get(j, key);
    if (!v || json_is_null(v)) {
        out[0] = '\0';
        return HQ_OK;
    }
    if (!json_is_string(v) || hq_strlcpy(out, json_string_value(v), n) != 0) {
        s_set_error(err, HQ_E_BAD_FIELD, "field '%s' must be a string of at most %zu bytes", key,
                    n - 1);
        return HQ_MALFORMED;
    }
    return HQ_OK;
}

static int s_letter(const json_t *j, const char *key, char *out, hq_error_t *err)
{
    char buf[4];
    if (s_opt_str(j, key, buf, sizeof buf, err))
        return HQ_MALFORMED;
    if (strlen(buf) != 1 || !isupper((unsigned char)buf[0])) {
        s_set_error(err, HQ_E_BAD_FIELD, "field '%s' must be one letter A-Z", key);
        return HQ_MALFORMED;
    }
    *out = buf[0];
    return HQ_OK;
}

int hq_ticket_from_json(const json_t *j, hq_ticket_t *t, hq_error_t *err)
{
    memset(t, 0, sizeof *t);
    if (!json_is_object(j)) {
        s_set_error(err, HQ_E_BAD_FIELD, "ticket must be an object");
        return HQ_MALFORMED;
    }
    char lane[8], state[16];
    if (s_opt_int64(j, "id", &t->id, err) || s_opt_str(j, "day", t->day, sizeof t->day, err) ||
        s_opt_str(j, "label", t->label, sizeof t->label, err) ||
        s_letter(j, "prefix", &t->prefix, err) || s_opt_int(j, "number", &t->number, err) ||
        s_letter(j, "queue", &t->queue, err) || s_opt_int(j, "service", &t->service, err) ||
        s_opt_str(j, "lane", lane, sizeof lane, err) ||
        s_opt_str(j, "age_band", t->age_band, sizeof t->age_band, err) ||
        s_opt_str(j, "state", state, sizeof state, err) ||
        s_opt_int64(j, "issued_ms", &t->issued_ms, err) ||
        s_opt_int64(j, "called_ms", &t->called_ms, err) ||
        s_opt_int64(j, "last_called_ms", &t->last_called_ms, err) ||
        s_opt_int64(j, "started_ms", &t->started_ms, err) ||
        s_opt_int64(j, "finished_ms", &t->finished_ms, err) ||
        s_opt_int64(j, "parked_ms", &t->parked_ms, err) ||
        s_opt_int64(j, "park_total_ms", &t->park_total_ms, err) ||
        s_opt_int(j, "calls", &t->calls, err) || s_opt_int(j, "counter", &t->counter, err) ||
        s_opt_str(j, "clerk", t->clerk, sizeof t->clerk, err) ||
        s_opt_str(j, "reason", t->reason, sizeof t->reason, err) ||
        s_opt_int(j, "rating", &t->rating, err) || s_opt_int(j, "transfers", &t->transfers, err))
        return HQ_MALFORMED;
    int st = hq_ticket_state_parse(state);
    if (st < 0) {
        s_set_error(err, HQ_E_BAD_FIELD, "ticket state '%s' is unknown", state);
        return HQ_MALFORMED;
    }
    t->state = (hq_ticket_state_t)st;
    if (strcmp(lane, "green") == 0)
        t->green = 1;
    else if (strcmp(lane, "normal") != 0) {
        s_set_error(err, HQ_E_BAD_FIELD, "ticket lane must be 'normal' or 'green'");
        return HQ_MALFORMED;
    }
    return HQ_OK;
}

json_t *hq_counter_to_json(const hq_counter_t *c)
{
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer(c->id));
    json_object_set_new(j, "queues", json_string(c->queues));
    json_object_set_new(j, "state", json_string(hq_counter_state_name(c->state)));
    json_object_set_new(j, "clerk", c->clerk[0] ? json_string(c->clerk) : json_null());
    json_object_set_new(j, "pause_reason",
                        c->pause_reason[0] ? json_string(c->pause_reason) : json_null());
    json_object_set_new(j, "current", c->current ? json_integer(c->current) : json_null());
    json_object_set_new(j, "current_label",
                        c->current_label[0] ? json_string(c->current_label) : json_null());
    json_object_set_new(j, "green_streak", json_integer(c->green_streak));
    json_object_set_new(j, "since_ms", json_integer(c->since_ms));
    return j;
}

int hq_counter_from_json(const json_t *j, hq_counter_t *c, hq_error_t *err)
{
    memset(c, 0, sizeof *c);
    if (!json_is_object(j)) {
        s_set_error(err, HQ_E_BAD_FIELD, "counter must be an object");
        return HQ_MALFORMED;
    }
    char state[16];
    if (s_opt_int(j, "id", &c->id, err) ||
        s_opt_str(j, "queues", c->queues, sizeof c->queues, err) ||
        s_opt_str(j, "state", state, sizeof state, err) ||
        s_opt_str(j, "clerk", c->clerk, sizeof c->clerk, err) ||
        s_opt_str(j, "pause_reason", c->pause_reason, sizeof c->pause_reason, err) ||
        s_opt_int64(j, "current", &c->current, err) ||
        s_opt_str(j, "current_label", c->current_label, sizeof c->current_label, err) ||
        s_opt_int(j, "green_streak", &c->green_streak, err) ||
        s_opt_int64(j, "since_ms", &c->since_ms, err))
        return HQ_MALFORMED;
    int st = hq_counter_state_parse(state);
    if (st < 0 || c->id < 1) {
        s_set_error(err, HQ_E_BAD_FIELD, "counter needs an id and a known state");
        return HQ_MALFORMED;
    }
    c->state = (hq_counter_state_t)st;
    return HQ_OK;
}

/* ---- replies ------------------------------------------------------------------------------ */
json_t *hq_reply_new(const hq_request_t *req)
{
    json_t *j = json_pack("{s:i, s:s, s:b}", "v", HQ_PROTOCOL_VERSION, "type",
                          hq_req_type_name(req->type), "ok", 1);
    if (j && req->id[0])
        json_object_set_new(j, "id", json_string(req->id));
    return j;
}

json_t *hq_reply_error(const char *id, const char *type, hq_error_code_t code, const char *message)
{
    json_t *j = json_pack("{s:i, s:b, s:{s:s, s:s}}", "v", HQ_PROTOCOL_VERSION, "ok", 0, "error",
                          "code", hq_error_code_name(code), "message", message ? message : "");
    if (!j)
        return NULL;
    if (id && id[0])
        json_object_set_new(j, "id", json_string(id));
    if (type && type[0])
        json_object_set_new(j, "type", json_string(type));
    return j;
}

int hq_reply_decode(const void *data, size_t len, hq_reply_t *reply)
{
    memset(reply, 0, sizeof *reply);
    json_error_t jerr;
    json_t *obj = json_loadb(data, len, 0, &jerr);
    if (!json_is_object(obj)) {
        json_decref(obj);
        s_set_error(&reply->error, HQ_E_MALFORMED, "reply is not a JSON object");
        return HQ_MALFORMED;
    }
    json_t *ok = json_object_get(obj, "ok");
    if (!json_is_boolean(ok)) {
        json_decref(obj);
        s_set_error(&reply->error, HQ_E_MALFORMED, "reply has no 'ok' field");
        return HQ_MALFORMED;
    }
    reply->ok = json_is_true(ok);
    reply->body = obj;
    s_opt_str(obj, "type", reply->type, sizeof reply->type, NULL);
    json_t *id = json_object_get(obj, "id");
    if (json_is_string(id))
        hq_strlcpy(reply->id, json_string_value(id), sizeof reply->id);
    if (!reply->ok) {
        json_t *e = json_object_get(obj, "error");
        char code[32] = "";
        s_opt_str(e, "code", code, sizeof code, NULL);
        reply->error.code = hq_error_code_parse(code);
        s_opt_str(e, "message", reply->error.message, sizeof reply->error.message, NULL);
    }
    return HQ_OK;
}

void hq_reply_clear(hq_reply_t *reply)
{
    json_decref(reply->body);
    reply->body = NULL;
}

/* ---- events --------------------------------------------------------------------------------- */
int hq_event_decode(const char *topic, const void *data, size_t len, hq_event_t *ev)
{
    memset(ev, 0, sizeof *ev);
    int t = hq_event_type_parse(topic);
    if (t < 0)
        return HQ_MALFORMED;
    ev->type = (hq_event_type_t)t;
    json_error_t jerr;
    json_t *obj = json_loadb(data, len, 0, &jerr);
    if (!json_is_object(obj)) {
        json_decref(obj);
        return HQ_MALFORMED;
    }
    ev->body = obj;
    hq_error_t err;
    if (s_opt_int64(obj, "seq", &ev->seq, &err) || s_opt_int64(obj, "ts_ms", &ev->ts_ms, &err))
        goto bad;
    json_t *tj = json_object_get(obj, "ticket");
    if (tj && !json_is_null(tj)) {
        if (hq_ticket_from_json(tj, &ev->ticket, &err))
            goto bad;
        ev->has_ticket = 1;
    }
    json_t *cj = json_object_get(obj, "counter");
    if (cj && !json_is_null(cj)) {
        if (hq_counter_from_json(cj, &ev->counter, &err))
            goto bad;
        ev->has_counter = 1;
    }
    json_t *fq = json_object_get(obj, "from_queue");
    if (fq && s_letter(obj, "from_queue", &ev->from_queue, &err))
        goto bad;
    json_t *depths = json_object_get(obj, "depths");
    if (json_is_array(depths)) {
        ev->has_depths = 1;
        size_t i;
        json_t *d;
        json_array_foreach(depths, i, d)
        {
            if (ev->ndepths >= HQ_QUEUES_MAX)
                goto bad;
            hq_depth_t *dp = &ev->depths[ev->ndepths++];
            if (s_letter(d, "queue", &dp->queue, &err) ||
                s_opt_int(d, "waiting", &dp->waiting, &err) ||
                s_opt_int(d, "green", &dp->green, &err))
                goto bad;
        }
    }
    return HQ_OK;
bad:
    hq_event_clear(ev);
    return HQ_MALFORMED;
}

void hq_event_clear(hq_event_t *ev)
{
    json_decref(ev->body);
    ev->body = NULL;
}
