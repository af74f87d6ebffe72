/* web_book: see web_book.h. */
#include "web_book.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each refusal a citizen can meet, in both languages. The codes are hallqd's `detail` of a
 * bad_state or forbidden refusal, or its error code; the API adds its own few. */
static const struct {
    const char *code;
    const char *zh, *en;
} s_messages[] = {
    {"slot_full", "该时段已约满，请选择其他时段", "This slot is full: choose another one"},
    {"too_soon", "该时段即将开始，已过预约截止时间，请选择更晚的时段",
     "Too late to book this slot: choose a later one"},
    {"person_limit", "该身份证号当天的预约已达上限",
     "This ID number holds as many bookings that day as allowed"},
    {"too_far_ahead", "只能预约今天起规定天数内的日期", "That day cannot be booked"},
    {"not_a_slot", "该时间没有可预约的时段", "There is no slot at that time"},
    {"no_slots", "该事项不接受预约", "This service takes no appointments"},
    {"slot_begun", "预约时段已开始，不能再取消",
     "The slot has begun: the booking can no longer be cancelled"},
    {"booking_state", "该预约已签到、已取消或已过时",
     "This booking was checked in, cancelled or missed"},
    {"wrong_id_number", "身份证号与预约时填写的不一致",
     "This is not the ID number the booking was made with"},
    {"unknown_booking", "没有这个预约码，请核对", "No booking has this code: check it"},
    {"bad_id_number", "身份证号有误，请核对", "The ID number is not valid: check it"},
    {"unknown_queue", "没有这个队列", "No such queue"},
    {"unknown_service", "该队列没有这个事项", "No such service in this queue"},
    {"rate_limited", "操作过于频繁，请稍后再试", "Too many attempts: try again in a moment"},
    {"unavailable", "叫号系统暂时无法连接，请稍后再试",
     "The calling system cannot be reached: try again in a moment"},
    {"forbidden", "无权进行此操作", "Not allowed"},
};

const char *web_book_message(const char *code, ui_lang_t lang)
{
    for (size_t i = 0; code && i < sizeof s_messages / sizeof s_messages[0]; i++)
        if (strcmp(s_messages[i].code, code) == 0)
            return lang == UI_LANG_EN ? s_messages[i].en : s_messages[i].zh;
    return NULL;
}

void web_book_answer_clear(web_book_answer_t *a)
{
    json_decref(a->body);
    a->body = NULL;
}

/* A refusal: its code and the message in lang; `fallback` (English, hallqd's or the codec's)
 * when the code has no message of its own. */
static void s_refuse(web_book_answer_t *out, int status, const char *code, const char *fallback,
                     ui_lang_t lang)
{
    const char *message = web_book_message(code, lang);
    char line[300];
    if (!message && lang == UI_LANG_EN) {
        /* A bad field: which one the codec says, in English. */
        snprintf(line, sizeof line, "%s", fallback ? fallback : code);
        message = line;
    } else if (!message) {
        static const struct {
            const char *field, *zh;
        } fields[] = {{"'date'", "日期应为 YYYY-MM-DD"},
                      {"'slot'", "时段应为 HH:MM"},
                      {"'queue'", "请选择队列"},
                      {"'service'", "事项编号有误"},
                      {"'id_number'", "请填写 18 位身份证号"},
                      {"'code'", "预约码应为 6 位"}};
        message = "填写的内容有误，请核对";
        for (size_t i = 0; fallback && i < sizeof fields / sizeof fields[0]; i++)
            if (strstr(fallback, fields[i].field))
                message = fields[i].zh;
    }
    out->status = status;
    out->body = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message);
}

/* The HTTP status of hallqd's refusal, by its code (and detail). */
static int s_status(hq_error_code_t code, const char *detail)
{
    switch (code) {
    case HQ_E_MALFORMED:
    case HQ_E_BAD_FIELD:
    case HQ_E_BAD_ID_NUMBER:
        return 400;
    case HQ_E_FORBIDDEN:
        return 403;
    case HQ_E_UNKNOWN_BOOKING:
        return 404;
    case HQ_E_UNKNOWN_QUEUE:
    case HQ_E_UNKNOWN_SERVICE:
        return 422;
    case HQ_E_STATE:
        return detail && strcmp(detail, "no_slots") == 0 ? 422 : 409;
    case HQ_E_RATE_LIMITED:
        return 429;
    default:
        return 503;
    }
}

/* Sends the request `wire` (an envelope's fields, checked by the codec first) to hallqd. 0
 * with the reply's body (borrowed from reply), else out answered. */
static int s_ask(hq_client_t *c, json_t *wire, ui_lang_t lang, hq_reply_t *reply,
                 web_book_answer_t *out)
{
    memset(reply, 0, sizeof *reply);
    json_object_set_new(wire, "v", json_integer(1));
    json_object_set_new(wire, "id", json_string("web"));
    char *text = hq_json_compact(wire, NULL);
    json_decref(wire);
    hq_request_t req;
    hq_error_t err;
    memset(&err, 0, sizeof err);
    if (!text) {
        s_refuse(out, 503, "unavailable", NULL, lang);
        return -1;
    }
    int decoded = hq_request_decode(text, strlen(text), &req, &err);
    free(text);
    if (decoded != HQ_OK) {
        s_refuse(out, 400, "bad_request", err.message, lang);
        return -1;
    }
    if (!c || hq_client_request(c, &req, reply, &err) != 0) {
        s_refuse(out, 503, "unavailable", NULL, lang);
        return -1;
    }
    if (!reply->ok) {
        const json_t *e = json_object_get(reply->body, "error");
        const char *detail = json_string_value(json_object_get(e, "detail"));
        const char *code = detail ? detail : hq_error_code_name(reply->error.code);
        s_refuse(out, s_status(reply->error.code, detail), code, reply->error.message, lang);
        out->retry_after_s = (int)((reply->error.retry_after_ms + 999) / 1000);
        hq_reply_clear(reply);
        return -1;
    }
    return 0;
}

/* A request's fields from a JSON body: only `allowed` ones, NULL with out answered. */
static json_t *s_fields(const char *body, size_t len, const char *const *allowed, ui_lang_t lang,
                        web_book_answer_t *out)
{
    json_t *j = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(j)) {
        json_decref(j);
        s_refuse(out, 400, "bad_request", "the body must be a JSON object", lang);
        return NULL;
    }
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v)
    {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], key) != 0)
            i++;
        if (!allowed[i]) {
            char why[120];
            snprintf(why, sizeof why, "unknown field '%.40s'", key);
            json_decref(j);
            s_refuse(out, 400, "bad_request", why, lang);
            return NULL;
        }
    }
    return j;
}

/* Where and when to check in, said to the citizen. */
static json_t *s_check_in(const json_t *reply, ui_lang_t lang)
{
    const json_t *w = json_object_get(reply, "check_in");
    return json_pack("{s:O, s:O, s:s}", "from", json_object_get(w, "from"), "until",
                     json_object_get(w, "until"), "where",
                     lang == UI_LANG_EN
                         ? "At the hall's ticket kiosk: \"Check in a booking\", then the code or "
                           "the ID number"
                         : "到大厅取号机选「预约签到」，输入预约码或身份证号");
}

/* The answer of book, cancel and booking: the booking and its check-in. */
static json_t *s_booking_answer(const json_t *reply, ui_lang_t lang)
{
    const json_t *b = json_object_get(reply, "booking");
    return json_pack("{s:{s:O, s:O, s:O, s:O, s:O, s:O, s:O}, s:o}", "booking", "code",
                     json_object_get(b, "code"), "queue", json_object_get(b, "queue"), "service",
                     json_object_get(b, "service"), "date", json_object_get(b, "date"), "slot",
                     json_object_get(b, "slot"), "state", json_object_get(b, "state"), "ticket",
                     json_object_get(b, "ticket"), "check_in", s_check_in(reply, lang));
}

void web_book_slots(hq_client_t *c, const char *queue, const char *service, const char *date,
                    ui_lang_t lang, web_book_answer_t *out)
{
    memset(out, 0, sizeof *out);
    json_t *wire = json_pack("{s:s}", "type", "slots");
    if (queue)
        json_object_set_new(wire, "queue", json_string(queue));
    if (date)
        json_object_set_new(wire, "date", json_string(date));
    if (service && service[0]) {
        char *end;
        long n = strtol(service, &end, 10);
        /* Not a number: sent as text, for the codec to name the field. */
        json_object_set_new(wire, "service",
                            *end || n < 1 || n > 99999 ? json_string(service) : json_integer(n));
    }
    hq_reply_t reply;
    if (s_ask(c, wire, lang, &reply, out) != 0)
        return;
    const json_t *r = reply.body;
    json_t *slots = json_array();
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(r, "slots"), i, s) json_array_append_new(
        slots, json_pack("{s:O, s:O, s:O}", "slot", json_object_get(s, "slot"), "left",
                         json_object_get(s, "left"), "open", json_object_get(s, "open")));
    out->status = 200;
    out->body = json_pack(
        "{s:O, s:O, s:O, s:O, s:O, s:O, s:{s:O, s:O}, s:o}", "queue", json_object_get(r, "queue"),
        "service", json_object_get(r, "service"), "date", json_object_get(r, "date"), "days",
        json_object_get(r, "days"), "slot_min", json_object_get(r, "slot_min"), "capacity",
        json_object_get(r, "capacity"), "check_in", "early_min", json_object_get(r, "early_min"),
        "late_min", json_object_get(r, "late_min"), "slots", slots);
    hq_reply_clear(&reply);
}

void web_book_make(hq_client_t *c, const char *body, size_t len, const char *token, ui_lang_t lang,
                   web_book_answer_t *out)
{
    memset(out, 0, sizeof *out);
    static const char *const allowed[] = {"queue", "service", "date", "slot", "id_number", NULL};
    json_t *wire = s_fields(body, len, allowed, lang, out);
    if (!wire)
        return;
    json_object_set_new(wire, "type", json_string("book"));
    if (token)
        json_object_set_new(wire, "token", json_string(token));
    hq_reply_t reply;
    if (s_ask(c, wire, lang, &reply, out) != 0)
        return;
    out->status = 201;
    out->body = s_booking_answer(reply.body, lang);
    if (token)
        json_object_set_new(out->body, "repeat",
                            json_boolean(json_is_true(json_object_get(reply.body, "repeat"))));
    hq_reply_clear(&reply);
}

void web_book_named(hq_client_t *c, int cancel, const char *code, const char *body, size_t len,
                    ui_lang_t lang, web_book_answer_t *out)
{
    memset(out, 0, sizeof *out);
    static const char *const with_code[] = {"code", "id_number", NULL};
    static const char *const without_code[] = {"id_number", NULL};
    json_t *wire = s_fields(body, len, code ? without_code : with_code, lang, out);
    if (!wire)
        return;
    if (code)
        json_object_set_new(wire, "code", json_string(code));
    if (!json_is_string(json_object_get(wire, "id_number"))) {
        json_decref(wire);
        s_refuse(out, 400, "bad_request",
                 "field 'id_number' is missing: the ID number the booking was made with", lang);
        return;
    }
    json_object_set_new(wire, "type", json_string(cancel ? "cancel" : "booking"));
    hq_reply_t reply;
    if (s_ask(c, wire, lang, &reply, out) != 0)
        return;
    out->status = 200;
    out->body = s_booking_answer(reply.body, lang);
    hq_reply_clear(&reply);
}
