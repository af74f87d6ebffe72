/* Requests and replies: names, field checks, the decoder and encoder; the reply envelope.
 * Requests are strict: a field not listed for the request type is refused. */
#include "hq_codec_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const s_req_names[HQ_REQ_COUNT_] = {
    "ping",   "issue",    "call", "recall", "start",  "finish", "no_show", "reactivate", "park",
    "unpark", "transfer", "rate", "pause",  "resume", "login",  "logout",  "snapshot",   "catalog"};

const char *hq_req_type_name(hq_req_type_t t)
{
    return (t >= 0 && t < HQ_REQ_COUNT_) ? s_req_names[t] : "?";
}

int hq_req_type_parse(const char *name)
{
    return hq_codec_lookup(s_req_names, HQ_REQ_COUNT_, name);
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
        hq_codec_error(err, HQ_E_BAD_FIELD, "field '%s' must be an integer", key);
        return HQ_MALFORMED;
    }
    json_int_t x = json_integer_value(v);
    if (x < lo || x > hi) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field '%s' must be between %d and %d", key, lo, hi);
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
        hq_codec_error(err, HQ_E_BAD_FIELD, "field '%s' must be a string", key);
        return HQ_MALFORMED;
    }
    const char *s = json_string_value(v);
    if (!allow_empty && s[0] == '\0') {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field '%s' must not be empty", key);
        return HQ_MALFORMED;
    }
    if (strlen(s) != json_string_length(v)) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field '%s' contains a NUL character", key);
        return HQ_MALFORMED;
    }
    if (hq_strlcpy(out, s, outlen) != 0) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field '%s' is longer than %zu bytes", key, outlen - 1);
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
        hq_codec_error(err, HQ_E_BAD_FIELD, "field '%s' must be one queue letter A-Z", key);
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
        hq_codec_error(err, HQ_E_BAD_FIELD, "field 'number' must be a ticket number like A001");
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
            hq_codec_error(err, HQ_E_BAD_FIELD, "unknown field '%.40s' for %s", key,
                           hq_req_type_name(req->type));
            return HQ_MALFORMED;
        }
        present |= flag;
    }
    for (size_t i = 0; i < S_NFIELDS; i++) {
        if ((spec->required & s_field_names[i].flag) && !(present & s_field_names[i].flag)) {
            hq_codec_error(err, HQ_E_BAD_FIELD, "missing field '%s' for %s", s_field_names[i].name,
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
            hq_codec_error(err, HQ_E_BAD_FIELD, "field 'elderly' must be true or false");
            return HQ_MALFORMED;
        }
        req->elderly = json_is_true(v);
    }
    if ((present & F_ID_NUMBER) &&
        s_get_str(obj, "id_number", req->id_number, sizeof req->id_number, 0, err))
        return HQ_MALFORMED;
    if ((present & F_ID_NUMBER) && (present & F_ELDERLY)) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "give either 'elderly' or 'id_number', not both");
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
        hq_codec_error(err, HQ_E_TOO_LARGE, "request of %zu bytes is over the limit of %d", len,
                       HQ_MAX_REQUEST_BYTES);
        return HQ_MALFORMED;
    }
    json_error_t jerr;
    json_t *obj = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj) {
        hq_codec_error(err, HQ_E_MALFORMED, "not valid JSON: %.100s", jerr.text);
        return HQ_MALFORMED;
    }
    int rc = HQ_MALFORMED;
    if (!json_is_object(obj)) {
        hq_codec_error(err, HQ_E_MALFORMED, "request must be a JSON object");
        goto done;
    }
    json_t *id = json_object_get(obj, "id");
    if (json_is_string(id)) {
        if (hq_strlcpy(req->id, json_string_value(id), sizeof req->id) != 0) {
            req->id[0] = '\0';
            hq_codec_error(err, HQ_E_BAD_FIELD, "field 'id' is longer than %zu bytes",
                           sizeof req->id - 1);
            goto done;
        }
    } else if (json_is_integer(id)) {
        snprintf(req->id, sizeof req->id, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
    } else if (id) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field 'id' must be a string or an integer");
        goto done;
    }
    json_t *type = json_object_get(obj, "type");
    if (!json_is_string(type)) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field 'type' must be a string naming the request");
        goto done;
    }
    int t = hq_req_type_parse(json_string_value(type));
    if (t < 0) {
        hq_codec_error(err, HQ_E_UNKNOWN_TYPE, "unknown request type '%.40s'",
                       json_string_value(type));
        goto done;
    }
    req->type = (hq_req_type_t)t;
    json_t *v = json_object_get(obj, "v");
    if (v && (!json_is_integer(v) || json_integer_value(v) != HQ_PROTOCOL_VERSION)) {
        hq_codec_error(err, HQ_E_VERSION, "protocol version must be %d", HQ_PROTOCOL_VERSION);
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
