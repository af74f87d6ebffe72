/* web_http_routes: the pages and the API behind each of hallq-web's addresses (see
 * web_http_internal.h). */
#include "web_http_internal.h"

#include "hq_log.h"
#include "hq_vec.h"
#include "ui_curses.h"
#include "web_book.h"
#include "web_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A state as the page's script reads it (JSON text, consumed; NULL: none to send). */
static enum MHD_Result s_state(struct MHD_Connection *conn, char *text)
{
    if (!text)
        return MHD_NO;
    return wh_send(conn, MHD_HTTP_OK, "application/json", text, strlen(text), MHD_RESPMEM_MUST_FREE,
                   1, 0);
}

/* The progress page itself, its first state drawn in: it reads without script too. */
static enum MHD_Result s_ticket_page(web_http_t *self, struct MHD_Connection *conn,
                                     const char *token, ui_lang_t lang)
{
    web_state_lock(self->state);
    char *text = wh_view_text(self, token, lang);
    web_state_unlock(self->state);
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (!v)
        return MHD_NO;
    char call[24], other[128];
    snprintf(call, sizeof call, "%lld",
             (long long)json_integer_value(json_object_get(v, "call_ms")));
    snprintf(other, sizeof other, "/t/%s?lang=%s", token, lang == UI_LANG_EN ? "zh" : "en");
#define S_J(key) json_string_value(json_object_get(v, key))
    const char *kv[] = {"lang",
                        lang == UI_LANG_EN ? "en" : "zh-CN",
                        "title",
                        wt(WT_TITLE, lang),
                        "hall",
                        S_J("hall"),
                        "label",
                        S_J("label"),
                        "service",
                        S_J("service"),
                        "state",
                        S_J("state"),
                        "line",
                        S_J("line"),
                        "detail",
                        S_J("detail"),
                        "ahead_text",
                        S_J("ahead_text"),
                        "wait_text",
                        S_J("wait_text"),
                        "offline_text",
                        S_J("offline_text"),
                        "call_ms",
                        call,
                        "other_href",
                        other,
                        "other_lang",
                        wt(WT_OTHER_LANG, lang),
                        "lost",
                        wt(WT_LOST, lang),
                        "sound_on",
                        wt(WT_SOUND_ON, lang),
                        "sound_ready",
                        wt(WT_SOUND_READY, lang),
                        "privacy",
                        wt(WT_PRIVACY, lang),
                        "remind",
                        wt(WT_REMIND, lang),
                        "remind_set",
                        wt(WT_REMIND_SET, lang),
                        "remind_now",
                        wt(WT_REMIND_NOW, lang),
                        "remind_contact",
                        wt(WT_REMIND_CONTACT, lang),
                        "hook",
                        self->cfg.notify ? "1" : "0",
                        NULL};
#undef S_J
    /* The page names the lang it shows in data-lang: the script asks for the same. */
    enum MHD_Result sent = wh_send_page(conn, MHD_HTTP_OK, "ticket.html", kv, 0);
    json_decref(v); /* some of kv's texts were v's */
    return sent;
}

int wh_api_ticket(void *arg, const char *token, char **json)
{
    web_http_t *self = arg;
    *json = NULL;
    wh_lookup_t found = wh_follow(self, token);
    if (found != WH_FOUND)
        return found == WH_UNKNOWN ? 404 : 503;
    web_state_lock(self->state);
    *json = wh_view_text(self, token, UI_LANG_ZH);
    web_state_unlock(self->state);
    return *json ? 200 : 503;
}

static const char *s_query_arg(void *ctx, const char *name)
{
    return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

/* The API's language for a person's messages: ?lang=, else Accept-Language, else Chinese. */
static ui_lang_t s_api_lang(struct MHD_Connection *conn)
{
    ui_lang_t lang = UI_LANG_ZH;
    const char *arg = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "lang");
    const char *accept =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
    if (arg)
        ui_lang_parse(arg, &lang);
    else if (accept && strncmp(accept, "en", 2) == 0)
        lang = UI_LANG_EN;
    return lang;
}

enum MHD_Result wh_api(web_http_t *self, struct MHD_Connection *conn, const char *path,
                       const char *method, wh_upload_t *up)
{
    if (strcmp(path, "/openapi.json") == 0) {
        size_t len;
        const char *mime;
        const unsigned char *doc = web_asset("openapi.json", &len, &mime);
        return wh_send(conn, MHD_HTTP_OK, mime, doc, len, MHD_RESPMEM_PERSISTENT, 0, 0);
    }
    web_api_response_t out;
    if (up && up->too_large) {
        out.status = 413;
        out.retry_after_s = 0;
        out.json = strdup("{\"error\":{\"code\":\"too_large\",\"message\":\"the body is over 4096 "
                          "bytes\"}}");
    } else {
        web_api_request_t req = {
            .method = method,
            .path = path,
            .authorization =
                MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
            .idempotency = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Idempotency-Key"),
            .body = up ? up->body.s : NULL,
            .body_len = up ? up->body.len : 0,
            .arg = s_query_arg,
            .arg_ctx = conn,
            .lang = s_api_lang(conn),
        };
        web_api_handle(self->api, &req, &out);
    }
    if (!out.json)
        return MHD_NO;
    return wh_send(conn, (unsigned)out.status, "application/json; charset=utf-8", out.json,
                   strlen(out.json), MHD_RESPMEM_MUST_FREE, 1, out.retry_after_s);
}

/* A JSON answer (the tablet's, the booking page's, notify's): body is consumed. */
static enum MHD_Result s_json(struct MHD_Connection *conn, unsigned status, json_t *body,
                              int retry_after_s)
{
    char *text = body ? hq_json_compact(body, NULL) : NULL;
    json_decref(body);
    if (!text)
        return MHD_NO;
    return wh_send(conn, status, "application/json; charset=utf-8", text, strlen(text),
                   MHD_RESPMEM_MUST_FREE, 1, retry_after_s);
}

/* Sends a tablet's request to hallqd (the HTTP thread's socket). 0 with the reply, -1 when
 * hallqd did not answer. */
static int s_relay(web_http_t *self, const hq_request_t *req, hq_reply_t *reply)
{
    hq_client_t *client = wh_client(self);
    hq_error_t err;
    return client ? hq_client_request(client, req, reply, &err) : -1;
}

/* POST /tablet/pair {code}, POST /tablet/rate {tablet, number, rating}: relayed to hallqd. */
static enum MHD_Result s_tablet_post(web_http_t *self, struct MHD_Connection *conn,
                                     const char *rest, wh_upload_t *up, const char *address,
                                     ui_lang_t lang)
{
    int pair = strcmp(rest, "/pair") == 0;
    if (!pair && strcmp(rest, "/rate") != 0)
        return wh_plain(conn, MHD_HTTP_NOT_FOUND, 1, "not_found", WT_NOT_FOUND, "", lang, 0);
    if (pair) {
        /* A code is six digits: trying one costs the address one of its guesses. */
        int64_t wait =
            ratelimit_take(self->guessers, address, &self->cfg.guesses, hq_monotonic_ms());
        if (wait > 0)
            return wh_busy(conn, 1, wait, lang);
    }
    json_t *body = json_loadb(up->body.s ? up->body.s : "", up->body.len, 0, NULL);
    hq_request_t req;
    hq_request_init(&req, pair ? HQ_REQ_CLAIM : HQ_REQ_TABLET_RATE);
    const char *secret = json_string_value(json_object_get(body, pair ? "code" : "tablet"));
    const char *number = json_string_value(json_object_get(body, "number"));
    json_int_t rating = json_integer_value(json_object_get(body, "rating"));
    hq_strlcpy(req.token, secret ? secret : "", sizeof req.token);
    hq_strlcpy(req.number, number ? number : "", sizeof req.number);
    req.rating = rating >= 1 && rating <= 5 ? (int)rating : 0;
    json_decref(body);
    if (!req.token[0] || (!pair && (!req.number[0] || !req.rating)))
        return s_json(conn, MHD_HTTP_BAD_REQUEST,
                      json_pack("{s:{s:s}}", "error", "code", "bad_request"), 0);
    hq_reply_t reply;
    if (s_relay(self, &req, &reply) != 0)
        return s_json(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
                      json_pack("{s:{s:s}}", "error", "code", "unavailable"), 0);
    json_t *answer;
    unsigned status = MHD_HTTP_OK;
    if (reply.ok && pair)
        answer = json_pack("{s:O, s:O}", "counter", json_object_get(reply.body, "counter"),
                           "tablet", json_object_get(reply.body, "tablet"));
    else if (reply.ok)
        answer = json_pack("{s:b}", "rated", 1);
    else {
        status = reply.error.code == HQ_E_FORBIDDEN ? MHD_HTTP_FORBIDDEN
                 : reply.error.code == HQ_E_STATE   ? MHD_HTTP_CONFLICT
                                                    : MHD_HTTP_BAD_REQUEST;
        answer = json_pack("{s:{s:s, s:s}}", "error", "code", hq_error_code_name(reply.error.code),
                           "message", pair ? wt(WT_TABLET_BAD_CODE, lang) : reply.error.message);
    }
    hq_reply_clear(&reply);
    return s_json(conn, status, answer, 0);
}

enum MHD_Result wh_tablet(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                          const char *method, wh_upload_t *up, const char *address, ui_lang_t lang)
{
    if (strcmp(method, "POST") == 0 && up)
        return s_tablet_post(self, conn, rest, up, address, lang);
    if (strcmp(rest, "") == 0) {
        const char *kv[] = {"lang",      lang == UI_LANG_EN ? "en" : "zh-CN",
                            "data_lang", lang == UI_LANG_EN ? "en" : "zh",
                            "title",     wt(WT_TABLET_TITLE, lang),
                            "pair",      wt(WT_TABLET_PAIR, lang),
                            "pair_ok",   wt(WT_TABLET_PAIR_OK, lang),
                            "unpair",    wt(WT_TABLET_UNPAIR, lang),
                            NULL};
        return wh_send_page(conn, MHD_HTTP_OK, "tablet.html", kv, 0);
    }
    const char *arg = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "counter");
    int counter = 0;
    if (!arg || hq_parse_int(arg, 1, 999, &counter) != 0)
        return wh_plain(conn, MHD_HTTP_NOT_FOUND, 1, "not_found", WT_NOT_FOUND, "", lang, 0);
    if (strcmp(rest, "/events") == 0)
        return wh_stream_open(self, conn, "", counter, lang);
    if (strcmp(rest, "/state") != 0)
        return wh_plain(conn, MHD_HTTP_NOT_FOUND, 1, "not_found", WT_NOT_FOUND, "", lang, 0);
    web_state_lock(self->state);
    char *text = wh_tablet_text(self, counter, lang);
    web_state_unlock(self->state);
    return s_state(conn, text);
}

/* ---- the booking page (预约办理) ---------------------------------------------------- */
static enum MHD_Result s_book_json(struct MHD_Connection *conn, web_book_answer_t *a)
{
    json_t *body = a->body;
    a->body = NULL;
    return s_json(conn, (unsigned)a->status, body, a->retry_after_s);
}

/* GET /book/options: the services (and queues) that take bookings, from hallqd's catalog. */
static enum MHD_Result s_book_options(web_http_t *self, struct MHD_Connection *conn, ui_lang_t lang)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CATALOG);
    hq_reply_t reply;
    web_book_answer_t a = {0};
    int asked = s_relay(self, &req, &reply) == 0;
    if (!asked || !reply.ok) {
        if (asked)
            hq_reply_clear(&reply);
        a.status = 503;
        a.body = json_pack("{s:{s:s, s:s}}", "error", "code", "unavailable", "message",
                           web_book_message("unavailable", lang));
        return s_book_json(conn, &a);
    }
    json_t *list = json_array();
    size_t i, j;
    const json_t *q, *svc;
    json_array_foreach(json_object_get(reply.body, "queues"), i, q)
    {
        const char *prefix = json_string_value(json_object_get(q, "prefix"));
        int services = 0;
        json_array_foreach(json_object_get(reply.body, "services"), j, svc)
        {
            const char *in = json_string_value(json_object_get(svc, "queue"));
            if (!prefix || !in || strcmp(in, prefix) != 0 ||
                !json_is_true(json_object_get(svc, "bookable")))
                continue;
            char name[300];
            /* The service's own name first: a phone shows a select's first 20 characters. */
            snprintf(name, sizeof name, "%s（%s）",
                     json_string_value(json_object_get(svc, "sub_item")), prefix);
            json_array_append_new(list, json_pack("{s:s, s:O, s:s}", "queue", prefix, "service",
                                                  json_object_get(svc, "no"), "name", name));
            services++;
        }
        /* A queue that takes bookings but offers no service of its own: the queue itself. */
        if (!services && json_is_true(json_object_get(q, "bookable")))
            json_array_append_new(list, json_pack("{s:s, s:n, s:O}", "queue", prefix, "service",
                                                  "name", json_object_get(q, "name")));
    }
    hq_reply_clear(&reply);
    a.status = 200;
    a.body = json_pack("{s:o}", "services", list);
    return s_book_json(conn, &a);
}

enum MHD_Result wh_book(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                        const char *method, wh_upload_t *up, const char *address, ui_lang_t lang)
{
    int post = strcmp(method, "POST") == 0;
    if (!post && strcmp(rest, "") == 0) {
        char mark[64], hall[256], left[40], cancelled[80];
        web_state_lock(self->state);
        const hq_mirror_t *m = web_state_mirror(self->state);
        ui_sim_mark(m->sim_speed, lang, mark, sizeof mark);
        snprintf(hall, sizeof hall, "%s%s", m->hall_name, mark);
        web_state_unlock(self->state);
        snprintf(left, sizeof left, "%s", wt(WT_BOOK_LEFT, lang));
        snprintf(cancelled, sizeof cancelled, "%s", wt(WT_BOOK_CANCELLED, lang));
        const char *kv[] = {"lang",
                            lang == UI_LANG_EN ? "en" : "zh-CN",
                            "data_lang",
                            lang == UI_LANG_EN ? "en" : "zh",
                            "title",
                            wt(WT_BOOK_TITLE, lang),
                            "hall",
                            hall,
                            "other_href",
                            lang == UI_LANG_EN ? "/book?lang=zh" : "/book?lang=en",
                            "other_lang",
                            wt(WT_OTHER_LANG, lang),
                            "service",
                            wt(WT_BOOK_SERVICE, lang),
                            "day",
                            wt(WT_BOOK_DAY, lang),
                            "slot",
                            wt(WT_BOOK_SLOT, lang),
                            "left",
                            left,
                            "none",
                            wt(WT_BOOK_NONE, lang),
                            "id",
                            wt(WT_BOOK_ID, lang),
                            "submit",
                            wt(WT_BOOK_SUBMIT, lang),
                            "privacy",
                            wt(WT_BOOK_PRIVACY, lang),
                            "code_title",
                            wt(WT_BOOK_CODE, lang),
                            "keep",
                            wt(WT_BOOK_KEEP, lang),
                            "when",
                            wt(WT_BOOK_WHEN, lang),
                            "check_in",
                            wt(WT_BOOK_CHECK_IN, lang),
                            "again",
                            wt(WT_BOOK_AGAIN, lang),
                            "cancel_title",
                            wt(WT_BOOK_CANCEL_TITLE, lang),
                            "code_field",
                            wt(WT_BOOK_CODE_FIELD, lang),
                            "cancel",
                            wt(WT_BOOK_CANCEL, lang),
                            "cancelled",
                            cancelled,
                            "no_service",
                            wt(WT_BOOK_NO_SERVICE, lang),
                            NULL};
        return wh_send_page(conn, MHD_HTTP_OK, "book.html", kv, 0);
    }
    if (!post && strcmp(rest, "/options") == 0)
        return s_book_options(self, conn, lang);
    hq_client_t *client = wh_client(self);
    web_book_answer_t a;
    if (!post && strcmp(rest, "/slots") == 0) {
        /* Without a date: the hall's business day, which the page does not know yet. */
        const char *date = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "date");
        char today[sizeof((hq_mirror_t *)0)->day];
        web_state_lock(self->state);
        hq_strlcpy(today, web_state_mirror(self->state)->day, sizeof today);
        web_state_unlock(self->state);
        web_book_slots(client, MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "queue"),
                       MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "service"),
                       date && date[0] ? date
                       : today[0]      ? today
                                       : NULL,
                       lang, &a);
        return s_book_json(conn, &a);
    }
    int make = post && strcmp(rest, "/new") == 0, cancel = post && strcmp(rest, "/cancel") == 0;
    if (!make && !cancel)
        return wh_plain(conn, MHD_HTTP_NOT_FOUND, 1, "not_found", WT_NOT_FOUND, "", lang, 0);
    int64_t wait = ratelimit_take(self->guessers, address, &self->cfg.guesses, hq_monotonic_ms());
    if (wait > 0) {
        a.status = MHD_HTTP_TOO_MANY_REQUESTS;
        a.retry_after_s = wh_retry_s(wait);
        a.body = json_pack("{s:{s:s, s:s}}", "error", "code", "rate_limited", "message",
                           web_book_message("rate_limited", lang));
        return s_book_json(conn, &a);
    }
    if (up && up->too_large) {
        a.status = MHD_HTTP_CONTENT_TOO_LARGE;
        a.retry_after_s = 0;
        a.body = json_pack("{s:{s:s, s:s}}", "error", "code", "too_large", "message",
                           lang == UI_LANG_EN ? "The form is too large" : "提交的内容过长");
        return s_book_json(conn, &a);
    }
    const char *body = up ? up->body.s : NULL;
    size_t len = up ? up->body.len : 0;
    if (make)
        web_book_make(client, body, len, NULL, lang, &a);
    else
        web_book_named(client, 1, NULL, body, len, lang, &a);
    if (a.status == 201)
        hq_info("booking %s made on the booking page",
                json_string_value(json_object_get(json_object_get(a.body, "booking"), "code")));
    return s_book_json(conn, &a);
}

enum MHD_Result wh_subscribe(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                             wh_upload_t *up, ui_lang_t lang)
{
    char token[WEB_TOKEN_LEN + 1];
    size_t n = strcspn(rest, "/");
    if (!self->cfg.notify)
        return s_json(conn, MHD_HTTP_NOT_FOUND, json_pack("{s:{s:s}}", "error", "code", "no_hook"),
                      0);
    if (n != WEB_TOKEN_LEN || !up)
        return wh_plain(conn, MHD_HTTP_NOT_FOUND, 1, "unknown_ticket", WT_UNKNOWN_TITLE, "", lang,
                        0);
    memcpy(token, rest, n);
    token[n] = '\0';
    json_t *body = json_loadb(up->body.s ? up->body.s : "", up->body.len, 0, NULL);
    json_int_t ahead = json_integer_value(json_object_get(body, "ahead"));
    const char *contact = json_string_value(json_object_get(body, "contact"));
    int good = ahead >= 1 && ahead <= 20 && (!contact || strlen(contact) < 40);
    for (const char *p = contact; good && p && *p; p++)
        good = (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == ' ';
    web_state_lock(self->state);
    web_follow_t *f = good ? web_state_find(self->state, token, hq_monotonic_ms()) : NULL;
    if (f) {
        f->notify_ahead = (int)ahead;
        f->notify_lang = lang;
        f->notified = 0;
        hq_strlcpy(f->contact, contact ? contact : "", sizeof f->contact);
    }
    web_state_unlock(self->state);
    json_decref(body);
    if (!good)
        return s_json(conn, MHD_HTTP_BAD_REQUEST,
                      json_pack("{s:{s:s}}", "error", "code", "bad_request"), 0);
    if (!f) /* a link opens its page (and is followed) before anyone asks to be told */
        return wh_plain(conn, MHD_HTTP_NOT_FOUND, 1, "unknown_ticket", WT_UNKNOWN_TITLE, "", lang,
                        0);
    return s_json(conn, MHD_HTTP_OK, json_pack("{s:i}", "ahead", (int)ahead), 0);
}

enum MHD_Result wh_wall(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                        ui_lang_t lang)
{
    if (strcmp(rest, "") == 0) {
        const char *kv[] = {"lang",      lang == UI_LANG_EN ? "en" : "zh-CN",
                            "data_lang", lang == UI_LANG_EN ? "en" : "zh",
                            "title",     wt(WT_WALL_TITLE, lang),
                            "sound",     wt(WT_SOUND_WALL, lang),
                            NULL};
        return wh_send_page(conn, MHD_HTTP_OK, "wall.html", kv, 0);
    }
    if (strcmp(rest, "/events") == 0)
        return wh_stream_open(self, conn, "", 0, lang);
    if (strcmp(rest, "/state") == 0) {
        web_state_lock(self->state);
        char *text = wh_wall_text(self, lang);
        web_state_unlock(self->state);
        return s_state(conn, text);
    }
    if (strcmp(rest, "/audio") == 0) {
        const char *label = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "label");
        const char *window = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "window");
        int w = 0;
        const unsigned char *wav = NULL;
        size_t len = 0;
        char why[200] = "";
        if (!self->audio)
            self->audio = web_audio_new(1);
        if (!label || !window || hq_parse_int(window, 1, 99999, &w) != 0 || !self->audio ||
            web_audio_call(self->audio, lang, label, w, &wav, &len, why, sizeof why) != 0) {
            if (why[0])
                hq_debug("audio: %s", why);
            return wh_plain(conn, MHD_HTTP_NOT_FOUND, 1, "no_call", WT_NOT_FOUND, "", lang, 0);
        }
        /* The cache's bytes change when it turns over: the response keeps its own copy. */
        return wh_send(conn, MHD_HTTP_OK, "audio/wav", wav, len, MHD_RESPMEM_MUST_COPY, 0, 0);
    }
    return wh_plain(conn, MHD_HTTP_NOT_FOUND, 0, "not_found", WT_NOT_FOUND, "", lang, 0);
}

enum MHD_Result wh_ticket(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                          const char *address, ui_lang_t lang)
{
    char token[64];
    const char *slash = strchr(rest, '/');
    size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
    const char *what = slash ? slash + 1 : "";
    int json = strcmp(what, "state") == 0;
    if (n >= sizeof token || (what[0] && !json && strcmp(what, "events") != 0))
        return wh_plain(conn, MHD_HTTP_NOT_FOUND, 0, "not_found", WT_NOT_FOUND, "", lang, 0);
    memcpy(token, rest, n);
    token[n] = '\0';
    web_state_lock(self->state);
    int known = web_state_find(self->state, token, hq_monotonic_ms()) != NULL;
    web_state_unlock(self->state);
    if (!known) {
        /* A link not followed yet: a citizen's first look, or a guess. Both cost a guess. */
        int64_t wait =
            ratelimit_take(self->guessers, address, &self->cfg.guesses, hq_monotonic_ms());
        if (wait > 0)
            return wh_busy(conn, json, wait, lang);
        wh_lookup_t found = wh_follow(self, token);
        if (found == WH_DOWN)
            return wh_plain(conn, MHD_HTTP_SERVICE_UNAVAILABLE, json, "unavailable", WT_DOWN_TITLE,
                            wt(WT_DOWN_TEXT, lang), lang, 0);
        if (found == WH_UNKNOWN)
            return wh_plain(conn, MHD_HTTP_NOT_FOUND, json, "unknown_ticket", WT_UNKNOWN_TITLE,
                            wt(WT_UNKNOWN_TEXT, lang), lang, 0);
    }
    if (strcmp(what, "events") == 0)
        return wh_stream_open(self, conn, token, 0, lang);
    if (!json)
        return s_ticket_page(self, conn, token, lang);
    web_state_lock(self->state);
    char *text = wh_view_text(self, token, lang);
    web_state_unlock(self->state);
    return s_state(conn, text);
}
