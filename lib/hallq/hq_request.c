/* Requests and replies: the table of requests (hq_requests.h) made into names, field checks,
 * the decoder and encoder; the reply envelope. Requests are strict: a field not in the
 * request's row is refused. No error message quotes what the request carried (a malformed
 * request may hold an ID number): messages name fields and rules only. */
#include "hq_codec_int.h"
#include "hq_date.h"
#include "hq_utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the table ---------------------------------------------------------------------------- */
static const hq_req_info_t s_requests[HQ_REQ_COUNT_] = {
#define S_ROW(ID, name, required, optional, effect, roles, scope, verb, help)                      \
    [HQ_REQ_##ID] = {#name, (required), (optional), (effect), (roles), (scope), (verb), (help)},
    HQ_REQUESTS(S_ROW)
#undef S_ROW
};

const hq_req_info_t *hq_req_info(hq_req_type_t t)
{
    return (t >= 0 && t < HQ_REQ_COUNT_) ? &s_requests[t] : NULL;
}

const char *hq_req_type_name(hq_req_type_t t)
{
    return (t >= 0 && t < HQ_REQ_COUNT_) ? s_requests[t].name : "?";
}

int hq_req_type_parse(const char *name)
{
    for (int t = 0; name && t < HQ_REQ_COUNT_; t++)
        if (strcmp(s_requests[t].name, name) == 0)
            return t;
    return -1;
}

void hq_request_init(hq_request_t *req, hq_req_type_t type)
{
    memset(req, 0, sizeof *req);
    req->type = type;
}

/* ---- fields --------------------------------------------------------------------------------- */
/* Reads an integer field in [lo, hi]. JSON reals and booleans are wrong types. */
static int s_int(const json_t *v, const char *key, int lo, int hi, int *out, hq_error_t *err)
{
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

/* Every string a request carries is shown somewhere (a screen, a log, a terminal running
 * hallqctl): it must be text. A control character there would be drawn as a command (ESC
 * starts every escape sequence, U+009B is one on its own), so the field is refused; the
 * message names the field and never quotes it. */
static int s_text(const char *s, size_t len, const char *key, hq_error_t *err)
{
    switch (hq_utf8_check(s, len, 1, NULL, NULL)) {
    case HQ_UTF8_OK:
        return HQ_OK;
    case HQ_UTF8_INVALID:
        hq_codec_error(err, HQ_E_BAD_FIELD, "field '%s' is not valid UTF-8", key);
        return HQ_MALFORMED;
    case HQ_UTF8_CONTROL:
        break;
    }
    hq_codec_error(err, HQ_E_BAD_FIELD,
                   "field '%s' contains a control character (C0, DEL or C1; escape sequences "
                   "are not text)",
                   key);
    return HQ_MALFORMED;
}

static int s_str(const json_t *v, const char *key, char *out, size_t outlen, int allow_empty,
                 hq_error_t *err)
{
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
    if (s_text(s, json_string_length(v), key, err) != HQ_OK)
        return HQ_MALFORMED;
    if (hq_strlcpy(out, s, outlen) != 0) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field '%s' is longer than %zu bytes", key, outlen - 1);
        return HQ_MALFORMED;
    }
    return HQ_OK;
}

static int s_read_counter(const json_t *v, hq_request_t *req, hq_error_t *err)
{
    return s_int(v, "counter", 1, 999, &req->counter, err);
}

static int s_read_queue(const json_t *v, hq_request_t *req, hq_error_t *err)
{
    char buf[4];
    if (s_str(v, "queue", buf, sizeof buf, 0, err) != HQ_OK)
        return HQ_MALFORMED;
    if (strlen(buf) != 1 || !isalpha((unsigned char)buf[0])) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field 'queue' must be one queue letter A-Z");
        return HQ_MALFORMED;
    }
    req->queue = (char)toupper((unsigned char)buf[0]);
    return HQ_OK;
}

static int s_read_service(const json_t *v, hq_request_t *req, hq_error_t *err)
{
    return s_int(v, "service", 1, 9999, &req->service, err);
}

static int s_read_elderly(const json_t *v, hq_request_t *req, hq_error_t *err)
{
    if (!json_is_boolean(v)) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field 'elderly' must be true or false");
        return HQ_MALFORMED;
    }
    req->elderly = json_is_true(v);
    return HQ_OK;
}

/* An ID number of any other length is a wrong ID number, not a wrong field: the citizen or
 * the receptionist mistyped it, and the kiosk says so in those words. */
static int s_read_id_number(const json_t *v, hq_request_t *req, hq_error_t *err)
{
    if (!json_is_string(v)) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field 'id_number' must be a string");
        return HQ_MALFORMED;
    }
    size_t len = json_string_length(v);
    if (len != HQ_ID_NUMBER_LEN || strlen(json_string_value(v)) != len) {
        hq_codec_error(err, HQ_E_BAD_ID_NUMBER, "ID number must have %d characters, not %zu",
                       HQ_ID_NUMBER_LEN, len);
        return HQ_MALFORMED;
    }
    memcpy(req->id_number, json_string_value(v), len + 1);
    return HQ_OK;
}

static int s_read_number(const json_t *v, hq_request_t *req, hq_error_t *err)
{
    char buf[HQ_LABEL_MAX];
    char prefix;
    int number;
    if (s_str(v, "number", buf, sizeof buf, 0, err) != HQ_OK)
        return HQ_MALFORMED;
    if (hq_label_parse(buf, &prefix, &number) != 0) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field 'number' must be a ticket number like A001");
        return HQ_MALFORMED;
    }
    hq_label_format(prefix, number, req->number, sizeof req->number);
    return HQ_OK;
}

static int s_read_rating(const json_t *v, hq_request_t *req, hq_error_t *err)
{
    return s_int(v, "rating", 1, 5, &req->rating, err);
}

static int s_read_clerk(const json_t *v, hq_request_t *req, hq_error_t *err)
{
    return s_str(v, "clerk", req->clerk, sizeof req->clerk, 0, err);
}

static int s_read_reason(const json_t *v, hq_request_t *req, hq_error_t *err)
{
    return s_str(v, "reason", req->reason, sizeof req->reason, 1, err);
}

static int s_read_token(const json_t *v, hq_request_t *req, hq_error_t *err)
{
    return s_str(v, "token", req->token, sizeof req->token, 0, err);
}

static int s_read_pin(const json_t *v, hq_request_t *req, hq_error_t *err)
{
    return s_str(v, "pin", req->pin, sizeof req->pin, 0, err);
}

static int s_read_date(const json_t *v, hq_request_t *req, hq_error_t *err)
{
    char buf[16];
    hq_date_t d;
    if (s_str(v, "date", buf, sizeof buf, 0, err) != HQ_OK)
        return HQ_MALFORMED;
    if (hq_date_parse(buf, &d) != 0) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field 'date' must be a day YYYY-MM-DD");
        return HQ_MALFORMED;
    }
    hq_date_format(d, req->date);
    return HQ_OK;
}

static int s_read_slot(const json_t *v, hq_request_t *req, hq_error_t *err)
{
    char buf[8];
    int h, m;
    if (s_str(v, "slot", buf, sizeof buf, 0, err) != HQ_OK)
        return HQ_MALFORMED;
    if (strlen(buf) != 5 || buf[2] != ':' || !isdigit((unsigned char)buf[0]) ||
        !isdigit((unsigned char)buf[1]) || !isdigit((unsigned char)buf[3]) ||
        !isdigit((unsigned char)buf[4]) || (h = (buf[0] - '0') * 10 + buf[1] - '0') > 23 ||
        (m = (buf[3] - '0') * 10 + buf[4] - '0') > 59) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field 'slot' must be a time HH:MM");
        return HQ_MALFORMED;
    }
    req->slot = h * 60 + m;
    return HQ_OK;
}

static int s_read_code(const json_t *v, hq_request_t *req, hq_error_t *err)
{
    char buf[sizeof req->code];
    if (s_str(v, "code", buf, sizeof buf, 0, err) != HQ_OK)
        return HQ_MALFORMED;
    for (char *p = buf; *p; p++)
        if (!isalnum((unsigned char)*p)) {
            hq_codec_error(err, HQ_E_BAD_FIELD, "field 'code' must be letters and digits");
            return HQ_MALFORMED;
        } else
            *p = (char)toupper((unsigned char)*p);
    memcpy(req->code, buf, sizeof buf);
    return HQ_OK;
}

/* Writers give NULL when the field holds nothing (an optional field is then left out). */
static json_t *s_write_counter(const hq_request_t *req)
{
    return json_integer(req->counter);
}

static json_t *s_write_queue(const hq_request_t *req)
{
    char q[2] = {req->queue, 0};
    return json_string(q);
}

static json_t *s_write_service(const hq_request_t *req)
{
    return req->service ? json_integer(req->service) : NULL;
}

static json_t *s_write_elderly(const hq_request_t *req)
{
    /* An ID number decides the lane by itself: the two never travel together. */
    return req->elderly && !req->id_number[0] ? json_true() : NULL;
}

static json_t *s_write_id_number(const hq_request_t *req)
{
    return req->id_number[0] ? json_string(req->id_number) : NULL;
}

static json_t *s_write_number(const hq_request_t *req)
{
    return req->number[0] ? json_string(req->number) : NULL;
}

static json_t *s_write_rating(const hq_request_t *req)
{
    return json_integer(req->rating);
}

static json_t *s_write_clerk(const hq_request_t *req)
{
    return req->clerk[0] ? json_string(req->clerk) : NULL;
}

static json_t *s_write_reason(const hq_request_t *req)
{
    return req->reason[0] ? json_string(req->reason) : NULL;
}

static json_t *s_write_token(const hq_request_t *req)
{
    return req->token[0] ? json_string(req->token) : NULL;
}

static json_t *s_write_pin(const hq_request_t *req)
{
    return req->pin[0] ? json_string(req->pin) : NULL;
}

static json_t *s_write_date(const hq_request_t *req)
{
    return req->date[0] ? json_string(req->date) : NULL;
}

static json_t *s_write_slot(const hq_request_t *req)
{
    char text[8];
    snprintf(text, sizeof text, "%02u:%02u", (unsigned)(req->slot / 60) % 100u,
             (unsigned)(req->slot % 60));
    return json_string(text);
}

static json_t *s_write_code(const hq_request_t *req)
{
    return req->code[0] ? json_string(req->code) : NULL;
}

/* One row per field, in hq_field_t's bit order. */
static const struct {
    hq_field_t flag;
    const char *key;
    int (*read)(const json_t *v, hq_request_t *req, hq_error_t *err);
    json_t *(*write)(const hq_request_t *req);
} s_fields[HQ_FIELD_COUNT] = {
    {HQ_F_COUNTER, "counter", s_read_counter, s_write_counter},
    {HQ_F_QUEUE, "queue", s_read_queue, s_write_queue},
    {HQ_F_SERVICE, "service", s_read_service, s_write_service},
    {HQ_F_ELDERLY, "elderly", s_read_elderly, s_write_elderly},
    {HQ_F_ID_NUMBER, "id_number", s_read_id_number, s_write_id_number},
    {HQ_F_NUMBER, "number", s_read_number, s_write_number},
    {HQ_F_RATING, "rating", s_read_rating, s_write_rating},
    {HQ_F_CLERK, "clerk", s_read_clerk, s_write_clerk},
    {HQ_F_REASON, "reason", s_read_reason, s_write_reason},
    {HQ_F_TOKEN, "token", s_read_token, s_write_token},
    {HQ_F_PIN, "pin", s_read_pin, s_write_pin},
    {HQ_F_DATE, "date", s_read_date, s_write_date},
    {HQ_F_SLOT, "slot", s_read_slot, s_write_slot},
    {HQ_F_CODE, "code", s_read_code, s_write_code},
};

const char *hq_field_name(hq_field_t f)
{
    for (int i = 0; i < HQ_FIELD_COUNT; i++)
        if (s_fields[i].flag == f)
            return s_fields[i].key;
    return "?";
}

/* "its fields are counter, number" or "it takes no fields", for the unknown-field message. */
static void s_list_fields(unsigned fields, char *out, size_t outlen)
{
    size_t used = (size_t)snprintf(out, outlen, fields ? "its fields are" : "it takes no fields");
    const char *sep = " ";
    for (int i = 0; i < HQ_FIELD_COUNT && used < outlen; i++)
        if (fields & s_fields[i].flag) {
            used += (size_t)snprintf(out + used, outlen - used, "%s%s", sep, s_fields[i].key);
            sep = ", ";
        }
}

static int s_decode_fields(const json_t *obj, hq_request_t *req, hq_error_t *err)
{
    const hq_req_info_t *row = &s_requests[req->type];
    unsigned allowed = row->required | row->optional, present = 0;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value)
    {
        if (strcmp(key, "v") == 0 || strcmp(key, "id") == 0 || strcmp(key, "type") == 0)
            continue;
        int i = 0;
        while (i < HQ_FIELD_COUNT && strcmp(key, s_fields[i].key) != 0)
            i++;
        if (i == HQ_FIELD_COUNT || !(allowed & s_fields[i].flag)) {
            /* The unknown key itself is not repeated: it may be anything a caller typed. */
            char list[120];
            s_list_fields(allowed, list, sizeof list);
            hq_codec_error(err, HQ_E_BAD_FIELD, "unknown field in a %s request (%s)", row->name,
                           list);
            return HQ_MALFORMED;
        }
        present |= s_fields[i].flag;
    }
    for (int i = 0; i < HQ_FIELD_COUNT; i++) {
        if ((row->required & s_fields[i].flag) && !(present & s_fields[i].flag)) {
            hq_codec_error(err, HQ_E_BAD_FIELD, "missing field '%s' for %s", s_fields[i].key,
                           row->name);
            return HQ_MALFORMED;
        }
    }
    if ((present & HQ_F_ID_NUMBER) && (present & HQ_F_ELDERLY)) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "give either 'elderly' or 'id_number', not both");
        return HQ_MALFORMED;
    }
    for (int i = 0; i < HQ_FIELD_COUNT; i++)
        if ((present & s_fields[i].flag) &&
            s_fields[i].read(json_object_get(obj, s_fields[i].key), req, err) != HQ_OK)
            return HQ_MALFORMED;
    return HQ_OK;
}

/* ---- the envelope ------------------------------------------------------------------------- */
/* Reads "id" into req. A string or an integer; the integer keeps its kind for the echo. */
static int s_decode_id(const json_t *obj, hq_request_t *req, hq_error_t *err)
{
    json_t *id = json_object_get(obj, "id");
    if (json_is_string(id)) {
        if (hq_strlcpy(req->id, json_string_value(id), sizeof req->id) != 0 ||
            strlen(json_string_value(id)) != json_string_length(id)) {
            req->id[0] = '\0';
            hq_codec_error(err, HQ_E_BAD_FIELD, "field 'id' must be a string of at most %zu bytes",
                           sizeof req->id - 1);
            return HQ_MALFORMED;
        }
        if (s_text(req->id, strlen(req->id), "id", err) != HQ_OK) {
            req->id[0] = '\0';
            return HQ_MALFORMED;
        }
    } else if (json_is_integer(id)) {
        snprintf(req->id, sizeof req->id, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        req->id_integer = 1;
    } else if (id) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field 'id' must be a string or an integer");
        return HQ_MALFORMED;
    }
    return HQ_OK;
}

/* The request types, for the unknown-type message (the type given is not repeated). */
static void s_list_types(char *out, size_t outlen)
{
    size_t used = (size_t)snprintf(out, outlen, "unknown request type; the types are");
    for (int t = 0; t < HQ_REQ_COUNT_ && used < outlen; t++)
        used += (size_t)snprintf(out + used, outlen - used, " %s", s_requests[t].name);
}

/* The order of the checks is the protocol's: the frame, the version (a client of another
 * version may mean something else by every other field), the id (so that every later refusal
 * can echo it), the type, then the type's fields. */
static int s_decode_object(const json_t *obj, hq_request_t *req, hq_error_t *err)
{
    if (!json_is_object(obj)) {
        hq_codec_error(err, HQ_E_MALFORMED, "request must be a JSON object");
        return HQ_MALFORMED;
    }
    hq_error_t id_err = {HQ_E_NONE, "", 0};
    int id_rc = s_decode_id(obj, req, &id_err);
    json_t *v = json_object_get(obj, "v");
    if (v && (!json_is_integer(v) || json_integer_value(v) != HQ_PROTOCOL_VERSION)) {
        hq_codec_error(err, HQ_E_VERSION, "protocol version must be %d", HQ_PROTOCOL_VERSION);
        return HQ_MALFORMED;
    }
    if (id_rc != HQ_OK) {
        if (err)
            *err = id_err;
        return HQ_MALFORMED;
    }
    json_t *type = json_object_get(obj, "type");
    if (!json_is_string(type)) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field 'type' must be a string naming the request");
        return HQ_MALFORMED;
    }
    int t = hq_req_type_parse(json_string_value(type));
    if (t < 0) {
        if (err) {
            err->code = HQ_E_UNKNOWN_TYPE;
            s_list_types(err->message, sizeof err->message);
        }
        return HQ_MALFORMED;
    }
    req->type = (hq_req_type_t)t;
    return s_decode_fields(obj, req, err);
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
        /* jansson's own text quotes the bytes near the fault: only the position is told. */
        hq_codec_error(err, HQ_E_MALFORMED, "not valid JSON (at byte %d)", jerr.position);
        return HQ_MALFORMED;
    }
    int rc = s_decode_object(obj, req, err);
    json_decref(obj);
    return rc;
}

static int s_set_id(json_t *obj, const char *id, int integer)
{
    if (!id || !id[0]) {
        json_object_del(obj, "id");
        return 0;
    }
    char *end;
    long long n = strtoll(id, &end, 10);
    return json_object_set_new(obj, "id", integer && !*end ? json_integer(n) : json_string(id));
}

json_t *hq_request_to_json(const hq_request_t *req)
{
    const hq_req_info_t *row = hq_req_info(req->type);
    if (!row)
        return NULL;
    json_t *obj = json_pack("{s:i, s:s}", "v", HQ_PROTOCOL_VERSION, "type", row->name);
    if (!obj)
        return NULL;
    s_set_id(obj, req->id, req->id_integer);
    for (int i = 0; i < HQ_FIELD_COUNT; i++) {
        unsigned flag = s_fields[i].flag;
        if (!((row->required | row->optional) & flag))
            continue;
        json_t *value = s_fields[i].write(req);
        if (!value && (row->required & flag))
            value = json_string(""); /* required but empty: the decoder will say so */
        if (value)
            json_object_set_new(obj, s_fields[i].key, value);
    }
    return obj;
}

char *hq_request_encode(const hq_request_t *req)
{
    json_t *obj = hq_request_to_json(req);
    char *out = obj ? hq_json_compact(obj, NULL) : NULL;
    json_decref(obj);
    return out;
}

/* ---- replies ------------------------------------------------------------------------------ */
json_t *hq_reply_new(const hq_request_t *req)
{
    json_t *j = json_pack("{s:i, s:s, s:b}", "v", HQ_PROTOCOL_VERSION, "type",
                          hq_req_type_name(req->type), "ok", 1);
    if (j)
        s_set_id(j, req->id, req->id_integer);
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

json_t *hq_reply_refuse(const hq_request_t *req, hq_error_code_t code, const char *message)
{
    const hq_req_info_t *row = hq_req_info(req->type);
    json_t *j = hq_reply_error(NULL, row ? row->name : NULL, code, message);
    if (j)
        s_set_id(j, req->id, req->id_integer);
    return j;
}

int hq_reply_echo_id(json_t *reply, const hq_request_t *req)
{
    return reply ? s_set_id(reply, req->id, req->id_integer) : 0;
}
