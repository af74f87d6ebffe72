/* Tickets, counters, replies and events as they travel on the wire (see hq_codec.c). */
#include "hq_codec_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    const char *code = hq_reason_name(t->reason_code);
    json_object_set_new_nocheck(j, "reason_code", code ? json_string_nocheck(code) : json_null());
    json_object_set_new_nocheck(j, "rating", t->rating ? json_integer(t->rating) : json_null());
    json_object_set_new_nocheck(j, "transfers", json_integer(t->transfers));
    json_object_set_new_nocheck(j, "extended", json_boolean(t->extended));
    json_object_set_new_nocheck(j, "slot_ms", s_ms(t->slot_ms));
    return j;
}

static void s_ms_text(hq_jtext_t *o, const char *key, size_t klen, int64_t ms)
{
    hq_jtext_raw(o, key, klen);
    if (ms)
        hq_jtext_int(o, ms);
    else
        hq_jtext_lit(o, "null");
}

/* An optional string: null when empty. */
static void s_opt_text(hq_jtext_t *o, const char *key, size_t klen, const char *v)
{
    hq_jtext_raw(o, key, klen);
    if (v && v[0])
        hq_jtext_str(o, v);
    else
        hq_jtext_lit(o, "null");
}

/* An optional integer: null when 0. */
static void s_opt_int(hq_jtext_t *o, const char *key, size_t klen, int64_t v)
{
    hq_jtext_raw(o, key, klen);
    if (v)
        hq_jtext_int(o, v);
    else
        hq_jtext_lit(o, "null");
}

#define S_KEY(k) k, sizeof(k) - 1

/* Field for field hq_ticket_to_json, in its order (test_codec checks the two agree). */
void hq_ticket_write(hq_jtext_t *o, const hq_ticket_t *t)
{
    char one[2] = {0, 0};
    hq_jtext_lit(o, "{\"id\":");
    hq_jtext_int(o, t->id);
    hq_jtext_lit(o, ",\"day\":");
    hq_jtext_str(o, t->day);
    hq_jtext_lit(o, ",\"label\":");
    hq_jtext_str(o, t->label);
    hq_jtext_lit(o, ",\"prefix\":");
    one[0] = t->prefix;
    hq_jtext_str(o, one);
    hq_jtext_lit(o, ",\"number\":");
    hq_jtext_int(o, t->number);
    hq_jtext_lit(o, ",\"queue\":");
    one[0] = t->queue;
    hq_jtext_str(o, one);
    s_opt_int(o, S_KEY(",\"service\":"), t->service);
    if (t->green)
        hq_jtext_lit(o, ",\"lane\":\"green\"");
    else
        hq_jtext_lit(o, ",\"lane\":\"normal\"");
    s_opt_text(o, S_KEY(",\"age_band\":"), t->age_band);
    hq_jtext_lit(o, ",\"state\":");
    hq_jtext_str(o, hq_ticket_state_name(t->state));
    hq_jtext_lit(o, ",\"issued_ms\":");
    hq_jtext_int(o, t->issued_ms);
    s_ms_text(o, S_KEY(",\"called_ms\":"), t->called_ms);
    s_ms_text(o, S_KEY(",\"last_called_ms\":"), t->last_called_ms);
    s_ms_text(o, S_KEY(",\"started_ms\":"), t->started_ms);
    s_ms_text(o, S_KEY(",\"finished_ms\":"), t->finished_ms);
    s_ms_text(o, S_KEY(",\"parked_ms\":"), t->parked_ms);
    hq_jtext_lit(o, ",\"park_total_ms\":");
    hq_jtext_int(o, t->park_total_ms);
    hq_jtext_lit(o, ",\"calls\":");
    hq_jtext_int(o, t->calls);
    s_opt_int(o, S_KEY(",\"counter\":"), t->counter);
    s_opt_text(o, S_KEY(",\"clerk\":"), t->clerk);
    s_opt_text(o, S_KEY(",\"reason\":"), t->reason);
    s_opt_text(o, S_KEY(",\"reason_code\":"), hq_reason_name(t->reason_code));
    s_opt_int(o, S_KEY(",\"rating\":"), t->rating);
    hq_jtext_lit(o, ",\"transfers\":");
    hq_jtext_int(o, t->transfers);
    if (t->extended)
        hq_jtext_lit(o, ",\"extended\":true");
    else
        hq_jtext_lit(o, ",\"extended\":false");
    s_ms_text(o, S_KEY(",\"slot_ms\":"), t->slot_ms);
    hq_jtext_lit(o, "}");
}

int hq_ticket_from_json(const json_t *j, hq_ticket_t *t, hq_error_t *err)
{
    memset(t, 0, sizeof *t);
    if (!json_is_object(j)) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "ticket must be an object");
        return HQ_MALFORMED;
    }
    char lane[8], state[16];
    if (hq_codec_opt_int64(j, "id", &t->id, err) ||
        hq_codec_opt_str(j, "day", t->day, sizeof t->day, err) ||
        hq_codec_opt_str(j, "label", t->label, sizeof t->label, err) ||
        hq_codec_letter(j, "prefix", &t->prefix, err) ||
        hq_codec_opt_int(j, "number", &t->number, err) ||
        hq_codec_letter(j, "queue", &t->queue, err) ||
        hq_codec_opt_int(j, "service", &t->service, err) ||
        hq_codec_opt_str(j, "lane", lane, sizeof lane, err) ||
        hq_codec_opt_str(j, "age_band", t->age_band, sizeof t->age_band, err) ||
        hq_codec_opt_str(j, "state", state, sizeof state, err) ||
        hq_codec_opt_int64(j, "issued_ms", &t->issued_ms, err) ||
        hq_codec_opt_int64(j, "called_ms", &t->called_ms, err) ||
        hq_codec_opt_int64(j, "last_called_ms", &t->last_called_ms, err) ||
        hq_codec_opt_int64(j, "started_ms", &t->started_ms, err) ||
        hq_codec_opt_int64(j, "finished_ms", &t->finished_ms, err) ||
        hq_codec_opt_int64(j, "parked_ms", &t->parked_ms, err) ||
        hq_codec_opt_int64(j, "park_total_ms", &t->park_total_ms, err) ||
        hq_codec_opt_int(j, "calls", &t->calls, err) ||
        hq_codec_opt_int(j, "counter", &t->counter, err) ||
        hq_codec_opt_str(j, "clerk", t->clerk, sizeof t->clerk, err) ||
        hq_codec_opt_str(j, "reason", t->reason, sizeof t->reason, err) ||
        hq_codec_opt_int(j, "rating", &t->rating, err) ||
        hq_codec_opt_int(j, "transfers", &t->transfers, err) ||
        hq_codec_opt_int64(j, "slot_ms", &t->slot_ms, err))
        return HQ_MALFORMED;
    int st = hq_ticket_state_parse(state);
    if (st < 0) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "ticket state '%s' is unknown", state);
        return HQ_MALFORMED;
    }
    t->state = (hq_ticket_state_t)st;
    /* A code this client does not know (a newer daemon's) leaves the English text to show. */
    const json_t *code = json_object_get(j, "reason_code");
    if (code && !json_is_null(code) && !json_is_string(code)) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field 'reason_code' must be a string or null");
        return HQ_MALFORMED;
    }
    /* "extended" came with schema 5's daemon: an older one's tickets are regular. */
    const json_t *ext = json_object_get(j, "extended");
    if (ext && !json_is_boolean(ext)) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "field 'extended' must be true or false");
        return HQ_MALFORMED;
    }
    t->extended = json_is_true(ext);
    int rc = hq_reason_parse(json_string_value(code));
    t->reason_code = rc < 0 ? HQ_REASON_NONE : (hq_reason_t)rc;
    if (strcmp(lane, "green") == 0)
        t->green = 1;
    else if (strcmp(lane, "normal") != 0) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "ticket lane must be 'normal' or 'green'");
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
    json_object_set_new(j, "since_ms", json_integer(c->since_ms));
    json_object_set_new(j, "tablet", json_boolean(c->tablet));
    return j;
}

int hq_counter_from_json(const json_t *j, hq_counter_t *c, hq_error_t *err)
{
    memset(c, 0, sizeof *c);
    if (!json_is_object(j)) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "counter must be an object");
        return HQ_MALFORMED;
    }
    char state[16];
    if (hq_codec_opt_int(j, "id", &c->id, err) ||
        hq_codec_opt_str(j, "queues", c->queues, sizeof c->queues, err) ||
        hq_codec_opt_str(j, "state", state, sizeof state, err) ||
        hq_codec_opt_str(j, "clerk", c->clerk, sizeof c->clerk, err) ||
        hq_codec_opt_str(j, "pause_reason", c->pause_reason, sizeof c->pause_reason, err) ||
        hq_codec_opt_int64(j, "current", &c->current, err) ||
        hq_codec_opt_str(j, "current_label", c->current_label, sizeof c->current_label, err) ||
        hq_codec_opt_int64(j, "since_ms", &c->since_ms, err))
        return HQ_MALFORMED;
    c->tablet = json_is_true(json_object_get(j, "tablet"));
    int st = hq_counter_state_parse(state);
    if (st < 0 || c->id < 1) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "counter needs an id and a known state");
        return HQ_MALFORMED;
    }
    c->state = (hq_counter_state_t)st;
    return HQ_OK;
}

int hq_reply_decode(const void *data, size_t len, hq_reply_t *reply)
{
    memset(reply, 0, sizeof *reply);
    json_error_t jerr;
    json_t *obj = json_loadb(data, len, 0, &jerr);
    if (!json_is_object(obj)) {
        json_decref(obj);
        hq_codec_error(&reply->error, HQ_E_MALFORMED, "reply is not a JSON object");
        return HQ_MALFORMED;
    }
    json_t *ok = json_object_get(obj, "ok");
    if (!json_is_boolean(ok)) {
        json_decref(obj);
        hq_codec_error(&reply->error, HQ_E_MALFORMED, "reply has no 'ok' field");
        return HQ_MALFORMED;
    }
    reply->ok = json_is_true(ok);
    reply->body = obj;
    hq_codec_opt_str(obj, "type", reply->type, sizeof reply->type, NULL);
    json_t *id = json_object_get(obj, "id");
    if (json_is_string(id))
        hq_strlcpy(reply->id, json_string_value(id), sizeof reply->id);
    else if (json_is_integer(id))
        snprintf(reply->id, sizeof reply->id, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
    if (!reply->ok) {
        json_t *e = json_object_get(obj, "error");
        char code[32] = "";
        hq_codec_opt_str(e, "code", code, sizeof code, NULL);
        reply->error.code = hq_error_code_parse(code);
        hq_codec_opt_str(e, "message", reply->error.message, sizeof reply->error.message, NULL);
        json_t *retry = json_object_get(e, "retry_after_ms");
        if (json_is_integer(retry) && json_integer_value(retry) > 0)
            reply->error.retry_after_ms = json_integer_value(retry);
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
    if (hq_codec_opt_int64(obj, "seq", &ev->seq, &err) ||
        hq_codec_opt_int64(obj, "ts_ms", &ev->ts_ms, &err))
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
    if (fq && hq_codec_letter(obj, "from_queue", &ev->from_queue, &err))
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
            if (hq_codec_letter(d, "queue", &dp->queue, &err) ||
                hq_codec_opt_int(d, "waiting", &dp->waiting, &err) ||
                hq_codec_opt_int(d, "green", &dp->green, &err))
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
