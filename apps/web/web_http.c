/* web_http: see web_http.h. */
#include "web_http.h"

#include "hq_client.h"
#include "hq_log.h"
#include "hq_vec.h"
#include "ui_curses.h"
#include "web_api.h"
#include "web_audio.h"
#include "web_book.h"
#include "web_page.h"
#include "web_tablet.h"
#include "web_texts.h"
#include "web_wall.h"
#include "web_wall.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_TRACK_TIMEOUT_MS 2000
#define S_KEEPALIVE_MS 15000 /* a comment on a quiet stream: proxies keep it, dead ones end */
#define S_RETRY_MS 2000      /* how soon a browser reconnects a lost stream */
#define S_BODY_MAX 4096      /* an API request's body */
#define S_THREADS 2          /* libmicrohttpd's: a change reaches thousands of streams */

/* The content security policy: files of this origin only, no inline script or style. */
#define S_CSP                                                                                      \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "                    \
    "media-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "                  \
    "frame-ancestors 'none'"

typedef struct s_stream s_stream_t;

struct web_http {
    web_http_config_t cfg;
    web_state_t *state;
    struct MHD_Daemon *mhd;
    int port;
    hq_client_t *client;    /* the HTTP thread's own socket to hallqd (track) */
    web_audio_t *audio;     /* the wall's voice: the HTTP thread's */
    web_api_t *api;         /* the JSON API */
    ratelimit_t *addresses; /* per_address */
    ratelimit_t *guessers;  /* guesses */
    /* Streams that had nothing to send and were suspended; the state's wake resumes them.
     * Under the state's lock. */
    s_stream_t *waiting;
    size_t nstreams;
    int stopping;
    pthread_mutex_t serial; /* one request at a time (s_access) */
    char *tls_pem[2];       /* HTTPS: the certificate and key, read at start */
};

/* A whole PEM file, NULL with why. */
static char *s_read_pem(const char *path, char *why, size_t whylen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(why, whylen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    hq_buf_t b = HQ_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 1024 * 1024)
        hq_buf_append(&b, chunk, n);
    fclose(f);
    char *text = hq_buf_detach(&b);
    if (!text || !strstr(text, "-----BEGIN ")) {
        free(text);
        snprintf(why, whylen, "%s is no PEM file", path);
        return NULL;
    }
    return text;
}

struct s_stream {
    web_http_t *http;
    struct MHD_Connection *conn;
    char token[WEB_TOKEN_LEN + 1]; /* the ticket followed; "" the wall or a tablet */
    int tablet;                    /* the window of a rating tablet's stream, 0 none */
    size_t follow_at;              /* where its ticket's entry was last (web_state_find_at) */
    ui_lang_t lang;
    uint64_t seen; /* the state's version last looked at */
    char *last;    /* the state last sent */
    hq_buf_t out;  /* bytes to send */
    size_t out_pos;
    int64_t wrote_mono; /* when anything was last sent */
    s_stream_t *next;   /* in http->waiting */
};

/* ---- responses ---------------------------------------------------------------------------- */
static void s_headers(struct MHD_Response *r, const char *mime, int no_store)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, mime);
    MHD_add_response_header(r, "Content-Security-Policy", S_CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
                            no_store ? "no-store" : "public, max-age=300");
}

static enum MHD_Result s_send(struct MHD_Connection *conn, unsigned status, const char *mime,
                              const void *body, size_t len, enum MHD_ResponseMemoryMode mode,
                              int no_store, int retry_after_s)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, mode);
    if (!r)
        return MHD_NO;
    s_headers(r, mime, no_store);
    if (retry_after_s > 0) {
        char v[16];
        snprintf(v, sizeof v, "%d", retry_after_s);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, v);
    }
    enum MHD_Result ok = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ok;
}

/* A page or JSON built in b (consumed). */
static enum MHD_Result s_send_buf(struct MHD_Connection *conn, unsigned status, const char *mime,
                                  hq_buf_t *b, int retry_after_s)
{
    size_t len = b->len;
    char *text = hq_buf_detach(b);
    if (!text)
        return MHD_NO;
    return s_send(conn, status, mime, text, len, MHD_RESPMEM_MUST_FREE, 1, retry_after_s);
}

/* A plain page: a title and a sentence. JSON {"error": code} for the state's address. */
static enum MHD_Result s_plain(struct MHD_Connection *conn, unsigned status, int json,
                               const char *code, web_text_id_t title, const char *text,
                               ui_lang_t lang, int retry_after_s)
{
    hq_buf_t b = HQ_BUF_INIT;
    if (json) {
        hq_buf_printf(&b, "{\"error\":\"%s\"}", code);
        return s_send_buf(conn, status, "application/json", &b, retry_after_s);
    }
    const char *kv[] = {
        "lang", lang == UI_LANG_EN ? "en" : "zh-CN", "title", wt(title, lang), "text", text, NULL};
    if (web_page_render("plain.html", kv, &b) != 0) {
        hq_buf_free(&b);
        return MHD_NO;
    }
    return s_send_buf(conn, status, "text/html; charset=utf-8", &b, retry_after_s);
}

/* ---- the followed ticket ------------------------------------------------------------------ */
typedef enum { S_FOUND, S_UNKNOWN, S_DOWN } s_lookup_t;

/* Asks hallqd which ticket a token is (the HTTP thread's own socket). */
static s_lookup_t s_track(web_http_t *self, const char *token, web_follow_t *f)
{
    if (!self->client)
        self->client = hq_client_new(self->cfg.endpoint, S_TRACK_TIMEOUT_MS);
    if (!self->client)
        return S_DOWN;
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_TRACK);
    hq_strlcpy(req.token, token, sizeof req.token);
    hq_reply_t reply;
    hq_error_t err;
    if (hq_client_request(self->client, &req, &reply, &err) != 0) {
        hq_warn("track: %s", err.message);
        return S_DOWN;
    }
    s_lookup_t rc = S_DOWN;
    memset(f, 0, sizeof *f);
    f->mirror_at = -1;
    if (reply.ok &&
        hq_ticket_from_json(json_object_get(reply.body, "ticket"), &f->ticket, &err) == HQ_OK) {
        hq_strlcpy(f->token, token, sizeof f->token);
        const char *q = json_string_value(json_object_get(reply.body, "queue_name"));
        const char *s = json_string_value(json_object_get(reply.body, "service_name"));
        hq_strlcpy(f->queue_name, q ? q : "", sizeof f->queue_name);
        hq_strlcpy(f->service_name, s ? s : "", sizeof f->service_name);
        f->est_wait_ms = json_integer_value(json_object_get(reply.body, "est_wait_ms"));
        f->est_at_ms = hq_now_ms();
        rc = S_FOUND;
    } else if (!reply.ok && reply.error.code == HQ_E_UNKNOWN_TICKET) {
        rc = S_UNKNOWN;
    } else if (!reply.ok) {
        hq_warn("track refused: %s: %s", hq_error_code_name(reply.error.code), reply.error.message);
    }
    hq_reply_clear(&reply);
    return rc;
}

/* Follows a token's ticket when it is one of today's (asking hallqd once). */
static s_lookup_t s_follow(web_http_t *self, const char *token)
{
    web_state_lock(self->state);
    int known = web_state_find(self->state, token, hq_monotonic_ms()) != NULL;
    web_state_unlock(self->state);
    if (known)
        return S_FOUND;
    web_follow_t f;
    s_lookup_t found = web_token_form(token) ? s_track(self, token, &f) : S_UNKNOWN;
    if (found != S_FOUND)
        return found;
    f.opened_mono = hq_monotonic_ms();
    web_state_lock(self->state);
    if (!web_state_find(self->state, token, f.opened_mono))
        web_state_add(self->state, &f);
    web_state_unlock(self->state);
    return S_FOUND;
}

/* The view of a token's ticket as JSON text, NULL when it is not followed (or out of
 * memory). hint: where the entry was last (a stream's), or NULL. Under the state's lock. */
static char *s_view_text_at(web_http_t *self, const char *token, size_t *hint, ui_lang_t lang)
{
    web_follow_t *f = hint ? web_state_find_at(self->state, token, hint)
                           : web_state_find(self->state, token, hq_monotonic_ms());
    if (!f)
        return NULL;
    json_t *v = web_view_ticket(web_state_mirror(self->state), f, web_state_aheads(self->state),
                                lang, hq_now_ms());
    char *text = v ? hq_json_compact(v, NULL) : NULL;
    json_decref(v);
    return text;
}

/* The wall's state as JSON text. Under the state's lock. */
static char *s_wall_text(web_http_t *self, ui_lang_t lang)
{
    json_t *v = web_wall_view(web_state_wall(self->state), web_state_mirror(self->state), lang);
    char *text = v ? hq_json_compact(v, NULL) : NULL;
    json_decref(v);
    return text;
}

/* A rating tablet's state as JSON text. Under the state's lock. */
static char *s_tablet_text(web_http_t *self, int counter, ui_lang_t lang)
{
    json_t *v =
        web_tablet_view(web_state_mirror(self->state), web_state_finished(self->state, counter),
                        counter, lang, hq_now_ms());
    char *text = v ? hq_json_compact(v, NULL) : NULL;
    json_decref(v);
    return text;
}

static char *s_view_text(web_http_t *self, const char *token, ui_lang_t lang)
{
    return s_view_text_at(self, token, NULL, lang);
}

/* ---- the event stream --------------------------------------------------------------------- */
/* The state's wake (under its lock): every waiting stream looks again. */
static void s_wake(void *arg)
{
    web_http_t *self = arg;
    while (self->waiting) {
        s_stream_t *s = self->waiting;
        self->waiting = s->next;
        s->next = NULL;
        MHD_resume_connection(s->conn);
    }
}

static ssize_t s_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    s_stream_t *s = cls;
    web_http_t *self = s->http;
    if (s->out_pos == s->out.len) {
        s->out_pos = 0;
        hq_buf_clear(&s->out);
        web_state_lock(self->state);
        if (self->stopping) {
            web_state_unlock(self->state);
            return MHD_CONTENT_READER_END_OF_STREAM;
        }
        uint64_t version = web_state_version(self->state);
        int64_t now = hq_monotonic_ms();
        if (version != s->seen) {
            s->seen = version;
            char *text = s->token[0] ? s_view_text_at(self, s->token, &s->follow_at, s->lang)
                         : s->tablet ? s_tablet_text(self, s->tablet, s->lang)
                                     : s_wall_text(self, s->lang);
            if (text && (!s->last || strcmp(text, s->last) != 0)) {
                hq_buf_printf(&s->out, "data: %s\n\n", text);
                free(s->last);
                s->last = text;
            } else {
                free(text);
                if (now - s->wrote_mono >= S_KEEPALIVE_MS - 1000)
                    hq_buf_printf(&s->out, ": keep-alive\n\n");
            }
        }
        if (s->out.failed) {
            web_state_unlock(self->state);
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
        if (s->out.len == 0) {
            /* Nothing new: out of the loop until the state changes (s_wake). */
            s->next = self->waiting;
            self->waiting = s;
            MHD_suspend_connection(s->conn);
            web_state_unlock(self->state);
            return 0;
        }
        s->wrote_mono = now;
        web_state_unlock(self->state);
    }
    size_t n = s->out.len - s->out_pos;
    if (n > max)
        n = max;
    memcpy(buf, s->out.s + s->out_pos, n);
    s->out_pos += n;
    return (ssize_t)n;
}

static void s_stream_free(void *cls)
{
    s_stream_t *s = cls;
    web_http_t *self = s->http;
    web_state_lock(self->state);
    for (s_stream_t **p = &self->waiting; *p; p = &(*p)->next)
        if (*p == s) {
            *p = s->next;
            break;
        }
    self->nstreams--;
    web_state_unlock(self->state);
    free(s->last);
    hq_buf_free(&s->out);
    free(s);
}

static enum MHD_Result s_stream_open(web_http_t *self, struct MHD_Connection *conn,
                                     const char *token, int tablet, ui_lang_t lang)
{
    s_stream_t *s = calloc(1, sizeof *s);
    if (!s)
        return MHD_NO;
    s->http = self;
    s->conn = conn;
    s->lang = lang;
    hq_strlcpy(s->token, token, sizeof s->token);
    s->tablet = tablet;
    s->wrote_mono = hq_monotonic_ms();
    hq_buf_printf(&s->out, "retry: %d\n\n", S_RETRY_MS);
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, s_stream_read, s, s_stream_free);
    if (!r) {
        hq_buf_free(&s->out);
        free(s);
        return MHD_NO;
    }
    web_state_lock(self->state);
    self->nstreams++;
    web_state_unlock(self->state);
    s_headers(r, "text/event-stream; charset=utf-8", 1);
    MHD_add_response_header(r, "X-Accel-Buffering", "no");
    enum MHD_Result ok = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

/* ---- routes ------------------------------------------------------------------------------- */
static void s_client_address(struct MHD_Connection *conn, char *out, size_t outlen)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, outlen, "?");
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
                  out, (socklen_t)outlen);
}

static int s_retry_s(int64_t ms)
{
    return (int)((ms + 999) / 1000);
}

static enum MHD_Result s_busy(struct MHD_Connection *conn, int json, int64_t retry_ms,
                              ui_lang_t lang)
{
    char text[200];
    snprintf(text, sizeof text, wt(WT_BUSY_TEXT, lang), s_retry_s(retry_ms));
    return s_plain(conn, MHD_HTTP_TOO_MANY_REQUESTS, json, "rate_limited", WT_BUSY_TITLE, text,
                   lang, s_retry_s(retry_ms));
}

/* The progress page itself, its first state drawn in: it reads without script too. */
static enum MHD_Result s_ticket_page(web_http_t *self, struct MHD_Connection *conn,
                                     const char *token, ui_lang_t lang)
{
    web_state_lock(self->state);
    char *text = s_view_text(self, token, lang);
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
    hq_buf_t b = HQ_BUF_INIT;
    int rc = web_page_render("ticket.html", kv, &b);
    json_decref(v);
    if (rc != 0) {
        hq_buf_free(&b);
        return MHD_NO;
    }
    /* The page names the lang it shows in data-lang: the script asks for the same. */
    return s_send_buf(conn, MHD_HTTP_OK, "text/html; charset=utf-8", &b, 0);
}

/* The API's look at a ticket by token (web_api_ticket_fn): the page's state, in Chinese. */
static int s_api_ticket(void *arg, const char *token, char **json)
{
    web_http_t *self = arg;
    *json = NULL;
    s_lookup_t found = s_follow(self, token);
    if (found != S_FOUND)
        return found == S_UNKNOWN ? 404 : 503;
    web_state_lock(self->state);
    *json = s_view_text(self, token, UI_LANG_ZH);
    web_state_unlock(self->state);
    return *json ? 200 : 503;
}

/* A POST's body, gathered over the calls MHD makes for it. */
typedef struct {
    hq_buf_t body;
    int too_large;
} s_upload_t;

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

static enum MHD_Result s_api(web_http_t *self, struct MHD_Connection *conn, const char *path,
                             const char *method, s_upload_t *up)
{
    if (strcmp(path, "/openapi.json") == 0) {
        size_t len;
        const char *mime;
        const unsigned char *doc = web_asset("openapi.json", &len, &mime);
        return s_send(conn, MHD_HTTP_OK, mime, doc, len, MHD_RESPMEM_PERSISTENT, 0, 0);
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
    return s_send(conn, (unsigned)out.status, "application/json; charset=utf-8", out.json,
                  strlen(out.json), MHD_RESPMEM_MUST_FREE, 1, out.retry_after_s);
}

static void s_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                        enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    s_upload_t *up = *con_cls;
    if (up) {
        hq_buf_free(&up->body);
        free(up);
        *con_cls = NULL;
    }
}

/* A JSON answer of the tablet's. */
static enum MHD_Result s_json(struct MHD_Connection *conn, unsigned status, json_t *body)
{
    char *text = body ? hq_json_compact(body, NULL) : NULL;
    json_decref(body);
    if (!text)
        return MHD_NO;
    return s_send(conn, status, "application/json; charset=utf-8", text, strlen(text),
                  MHD_RESPMEM_MUST_FREE, 1, 0);
}

/* Sends a tablet's request to hallqd (the HTTP thread's socket). 0 with the reply, -1 when
 * hallqd did not answer. */
static int s_relay(web_http_t *self, const hq_request_t *req, hq_reply_t *reply)
{
    if (!self->client)
        self->client = hq_client_new(self->cfg.endpoint, S_TRACK_TIMEOUT_MS);
    hq_error_t err;
    return self->client ? hq_client_request(self->client, req, reply, &err) : -1;
}

/* POST /tablet/pair {code}, POST /tablet/rate {tablet, number, rating}: relayed to hallqd. */
static enum MHD_Result s_tablet_post(web_http_t *self, struct MHD_Connection *conn,
                                     const char *rest, s_upload_t *up, const char *address,
                                     ui_lang_t lang)
{
    int pair = strcmp(rest, "/pair") == 0;
    if (!pair && strcmp(rest, "/rate") != 0)
        return s_plain(conn, MHD_HTTP_NOT_FOUND, 1, "not_found", WT_NOT_FOUND, "", lang, 0);
    if (pair) {
        /* A code is six digits: trying one costs the address one of its guesses. */
        int64_t wait =
            ratelimit_take(self->guessers, address, &self->cfg.guesses, hq_monotonic_ms());
        if (wait > 0)
            return s_busy(conn, 1, wait, lang);
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
                      json_pack("{s:{s:s}}", "error", "code", "bad_request"));
    hq_reply_t reply;
    if (s_relay(self, &req, &reply) != 0)
        return s_json(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
                      json_pack("{s:{s:s}}", "error", "code", "unavailable"));
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
    return s_json(conn, status, answer);
}

/* /tablet, /tablet/state?counter=N, /tablet/events?counter=N: what the window's rating tablet
 * shows is no secret (the wall shows it too); rating needs the tablet's secret. */
static enum MHD_Result s_tablet(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                                const char *method, s_upload_t *up, const char *address,
                                ui_lang_t lang)
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
        hq_buf_t b = HQ_BUF_INIT;
        if (web_page_render("tablet.html", kv, &b) != 0) {
            hq_buf_free(&b);
            return MHD_NO;
        }
        return s_send_buf(conn, MHD_HTTP_OK, "text/html; charset=utf-8", &b, 0);
    }
    const char *arg = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "counter");
    int counter = 0;
    if (!arg || hq_parse_int(arg, 1, 999, &counter) != 0)
        return s_plain(conn, MHD_HTTP_NOT_FOUND, 1, "not_found", WT_NOT_FOUND, "", lang, 0);
    if (strcmp(rest, "/events") == 0)
        return s_stream_open(self, conn, "", counter, lang);
    if (strcmp(rest, "/state") != 0)
        return s_plain(conn, MHD_HTTP_NOT_FOUND, 1, "not_found", WT_NOT_FOUND, "", lang, 0);
    web_state_lock(self->state);
    char *text = s_tablet_text(self, counter, lang);
    web_state_unlock(self->state);
    if (!text)
        return MHD_NO;
    return s_send(conn, MHD_HTTP_OK, "application/json", text, strlen(text), MHD_RESPMEM_MUST_FREE,
                  1, 0);
}

/* ---- the booking page (预约办理) ---------------------------------------------------------------
 */
static enum MHD_Result s_book_json(struct MHD_Connection *conn, web_book_answer_t *a)
{
    json_t *body = a->body;
    a->body = NULL;
    char *text = body ? hq_json_compact(body, NULL) : NULL;
    json_decref(body);
    if (!text)
        return MHD_NO;
    return s_send(conn, (unsigned)a->status, "application/json; charset=utf-8", text, strlen(text),
                  MHD_RESPMEM_MUST_FREE, 1, a->retry_after_s);
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

/* /book, /book/options, /book/slots?queue=A&date=...&service=N, POST /book/new, POST
 * /book/cancel: the citizen's booking page, through hallq-web's own key (hallqd's web role,
 * which books and names a booking by the ID number it was made with). A booking or a cancel
 * costs the address one of its guesses, as a ticket's token does: codes and ID numbers are
 * not tried by the thousand from one place. */
static enum MHD_Result s_book(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                              const char *method, s_upload_t *up, const char *address,
                              ui_lang_t lang)
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
        hq_buf_t b = HQ_BUF_INIT;
        if (web_page_render("book.html", kv, &b) != 0) {
            hq_buf_free(&b);
            return MHD_NO;
        }
        return s_send_buf(conn, MHD_HTTP_OK, "text/html; charset=utf-8", &b, 0);
    }
    if (!post && strcmp(rest, "/options") == 0)
        return s_book_options(self, conn, lang);
    if (!self->client)
        self->client = hq_client_new(self->cfg.endpoint, S_TRACK_TIMEOUT_MS);
    web_book_answer_t a;
    if (!post && strcmp(rest, "/slots") == 0) {
        /* Without a date: the hall's business day, which the page does not know yet. */
        const char *date = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "date");
        char today[sizeof((hq_mirror_t *)0)->day];
        web_state_lock(self->state);
        hq_strlcpy(today, web_state_mirror(self->state)->day, sizeof today);
        web_state_unlock(self->state);
        web_book_slots(self->client,
                       MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "queue"),
                       MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "service"),
                       date && date[0] ? date
                       : today[0]      ? today
                                       : NULL,
                       lang, &a);
        return s_book_json(conn, &a);
    }
    int make = post && strcmp(rest, "/new") == 0, cancel = post && strcmp(rest, "/cancel") == 0;
    if (!make && !cancel)
        return s_plain(conn, MHD_HTTP_NOT_FOUND, 1, "not_found", WT_NOT_FOUND, "", lang, 0);
    int64_t wait = ratelimit_take(self->guessers, address, &self->cfg.guesses, hq_monotonic_ms());
    if (wait > 0) {
        a.status = MHD_HTTP_TOO_MANY_REQUESTS;
        a.retry_after_s = s_retry_s(wait);
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
        web_book_make(self->client, body, len, NULL, lang, &a);
    else
        web_book_named(self->client, 1, NULL, body, len, lang, &a);
    if (a.status == 201)
        hq_info("booking %s made on the booking page",
                json_string_value(json_object_get(json_object_get(a.body, "booking"), "code")));
    return s_book_json(conn, &a);
}

/* POST /t/TOKEN/notify {"ahead": 3, "contact": "13800000000"}: "tell me when 3 are ahead"
 * after the page is closed, through the hall's notifier hook. The contact is kept in memory
 * for the ticket's day and handed to the hook only; it is never logged. */
static enum MHD_Result s_subscribe(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                                   s_upload_t *up, ui_lang_t lang)
{
    char token[WEB_TOKEN_LEN + 1];
    size_t n = strcspn(rest, "/");
    if (!self->cfg.notify)
        return s_json(conn, MHD_HTTP_NOT_FOUND, json_pack("{s:{s:s}}", "error", "code", "no_hook"));
    if (n != WEB_TOKEN_LEN || !up)
        return s_plain(conn, MHD_HTTP_NOT_FOUND, 1, "unknown_ticket", WT_UNKNOWN_TITLE, "", lang,
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
                      json_pack("{s:{s:s}}", "error", "code", "bad_request"));
    if (!f) /* a link opens its page (and is followed) before anyone asks to be told */
        return s_plain(conn, MHD_HTTP_NOT_FOUND, 1, "unknown_ticket", WT_UNKNOWN_TITLE, "", lang,
                       0);
    return s_json(conn, MHD_HTTP_OK, json_pack("{s:i}", "ahead", (int)ahead));
}

/* /wall, /wall/state, /wall/events, /wall/audio?label=A001&window=3 */
static enum MHD_Result s_wall(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                              ui_lang_t lang)
{
    if (strcmp(rest, "") == 0) {
        const char *kv[] = {"lang",      lang == UI_LANG_EN ? "en" : "zh-CN",
                            "data_lang", lang == UI_LANG_EN ? "en" : "zh",
                            "title",     wt(WT_WALL_TITLE, lang),
                            "sound",     wt(WT_SOUND_WALL, lang),
                            NULL};
        hq_buf_t b = HQ_BUF_INIT;
        if (web_page_render("wall.html", kv, &b) != 0) {
            hq_buf_free(&b);
            return MHD_NO;
        }
        return s_send_buf(conn, MHD_HTTP_OK, "text/html; charset=utf-8", &b, 0);
    }
    if (strcmp(rest, "/events") == 0)
        return s_stream_open(self, conn, "", 0, lang);
    if (strcmp(rest, "/state") == 0) {
        web_state_lock(self->state);
        char *text = s_wall_text(self, lang);
        web_state_unlock(self->state);
        if (!text)
            return MHD_NO;
        return s_send(conn, MHD_HTTP_OK, "application/json", text, strlen(text),
                      MHD_RESPMEM_MUST_FREE, 1, 0);
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
            return s_plain(conn, MHD_HTTP_NOT_FOUND, 1, "no_call", WT_NOT_FOUND, "", lang, 0);
        }
        /* The cache's bytes change when it turns over: the response keeps its own copy. */
        return s_send(conn, MHD_HTTP_OK, "audio/wav", wav, len, MHD_RESPMEM_MUST_COPY, 0, 0);
    }
    return s_plain(conn, MHD_HTTP_NOT_FOUND, 0, "not_found", WT_NOT_FOUND, "", lang, 0);
}

/* /t/TOKEN, /t/TOKEN/state, /t/TOKEN/events */
static enum MHD_Result s_ticket(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                                const char *address, ui_lang_t lang)
{
    char token[64];
    const char *slash = strchr(rest, '/');
    size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
    const char *what = slash ? slash + 1 : "";
    int json = strcmp(what, "state") == 0;
    if (n >= sizeof token || (what[0] && !json && strcmp(what, "events") != 0))
        return s_plain(conn, MHD_HTTP_NOT_FOUND, 0, "not_found", WT_NOT_FOUND, "", lang, 0);
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
            return s_busy(conn, json, wait, lang);
        s_lookup_t found = s_follow(self, token);
        if (found == S_DOWN)
            return s_plain(conn, MHD_HTTP_SERVICE_UNAVAILABLE, json, "unavailable", WT_DOWN_TITLE,
                           wt(WT_DOWN_TEXT, lang), lang, 0);
        if (found == S_UNKNOWN)
            return s_plain(conn, MHD_HTTP_NOT_FOUND, json, "unknown_ticket", WT_UNKNOWN_TITLE,
                           wt(WT_UNKNOWN_TEXT, lang), lang, 0);
    }
    if (strcmp(what, "events") == 0)
        return s_stream_open(self, conn, token, 0, lang);
    if (!json)
        return s_ticket_page(self, conn, token, lang);
    web_state_lock(self->state);
    char *text = s_view_text(self, token, lang);
    web_state_unlock(self->state);
    if (!text)
        return MHD_NO;
    return s_send(conn, MHD_HTTP_OK, "application/json", text, strlen(text), MHD_RESPMEM_MUST_FREE,
                  1, 0);
}

static enum MHD_Result s_access_one(web_http_t *self, struct MHD_Connection *conn, const char *url,
                                    const char *method, const char *upload, size_t *upload_size,
                                    void **con_cls)
{
    /* An API POST: its body comes over several calls, the answer after the last. */
    if (strcmp(method, "POST") == 0 &&
        (strncmp(url, "/api/v1/", 8) == 0 || strncmp(url, "/tablet/", 8) == 0 ||
         strncmp(url, "/t/", 3) == 0 || strncmp(url, "/book/", 6) == 0)) {
        s_upload_t *up = *con_cls;
        if (!up) {
            up = calloc(1, sizeof *up);
            *con_cls = up;
            return up ? MHD_YES : MHD_NO;
        }
        if (*upload_size) {
            if (up->body.len + *upload_size > S_BODY_MAX)
                up->too_large = 1;
            else
                hq_buf_append(&up->body, upload, *upload_size);
            *upload_size = 0;
            return MHD_YES;
        }
    }
    const char *lang_arg = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "lang");
    ui_lang_t lang = self->cfg.lang;
    if (lang_arg)
        ui_lang_parse(lang_arg, &lang);
    int api = strncmp(url, "/api/v1/", 8) == 0;
    int tablet = strncmp(url, "/tablet", 7) == 0;
    int notice = strncmp(url, "/t/", 3) == 0 && strlen(url) > 7 &&
                 strcmp(url + strlen(url) - 7, "/notify") == 0;
    int book = strcmp(url, "/book") == 0 || strncmp(url, "/book/", 6) == 0;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
        !((api || tablet || notice || book) && strcmp(method, "POST") == 0))
        return s_plain(conn, MHD_HTTP_METHOD_NOT_ALLOWED, 0, "method", WT_NOT_FOUND, "", lang, 0);
    char address[INET_ADDRSTRLEN + 1];
    s_client_address(conn, address, sizeof address);
    int json = api || notice || (tablet && strcmp(url, "/tablet") != 0) ||
               (book && strcmp(url, "/book") != 0) || strstr(url, "/state") != NULL ||
               strstr(url, "/audio") != NULL;
    int64_t wait =
        ratelimit_take(self->addresses, address, &self->cfg.per_address, hq_monotonic_ms());
    if (wait > 0)
        return s_busy(conn, json, wait, lang);
    if (strcmp(url, "/favicon.ico") == 0) /* browsers ask: nothing, and no error */
        return s_send(conn, MHD_HTTP_NO_CONTENT, "image/x-icon", "", 0, MHD_RESPMEM_PERSISTENT, 0,
                      0);
    if (api)
        return s_api(self, conn, url + 7, method, *con_cls);
    if (tablet)
        return s_tablet(self, conn, url + 7, method, *con_cls, address, lang);
    if (notice && strcmp(method, "POST") == 0)
        return s_subscribe(self, conn, url + 3, *con_cls, lang);
    if (strncmp(url, "/t/", 3) == 0)
        return s_ticket(self, conn, url + 3, address, lang);
    if (book)
        return s_book(self, conn, url + 5, method, *con_cls, address, lang);
    if (strncmp(url, "/wall", 5) == 0)
        return s_wall(self, conn, url + 5, lang);
    if (strncmp(url, "/static/", 8) == 0 && !strstr(url, ".html")) {
        size_t len;
        const char *mime;
        const unsigned char *data = web_asset(url + 8, &len, &mime);
        if (data)
            return s_send(conn, MHD_HTTP_OK, mime, data, len, MHD_RESPMEM_PERSISTENT, 0, 0);
    }
    return s_plain(conn, MHD_HTTP_NOT_FOUND, 0, "not_found", WT_NOT_FOUND, "", lang, 0);
}

/* libmicrohttpd's threads (S_THREADS) push the streams in parallel; the requests themselves
 * go one at a time: hallqd's socket, the voice, the budgets and the API are one thread's. */
static enum MHD_Result s_access(void *cls, struct MHD_Connection *conn, const char *url,
                                const char *method, const char *version, const char *upload,
                                size_t *upload_size, void **con_cls)
{
    (void)version;
    web_http_t *self = cls;
    pthread_mutex_lock(&self->serial);
    enum MHD_Result rc = s_access_one(self, conn, url, method, upload, upload_size, con_cls);
    pthread_mutex_unlock(&self->serial);
    return rc;
}

static void s_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    hq_debug("http: %s", line);
}

/* ---- life --------------------------------------------------------------------------------- */
web_http_t *web_http_new(const web_http_config_t *cfg, web_state_t *state, char *why, size_t whylen)
{
    web_http_t *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    self->cfg = *cfg;
    self->state = state;
    pthread_mutex_init(&self->serial, NULL);
    self->addresses = ratelimit_new(100000);
    self->guessers = ratelimit_new(100000);
    if (!self->addresses || !self->guessers) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)cfg->port);
    if (inet_pton(AF_INET, cfg->address, &sa.sin_addr) != 1) {
        snprintf(why, whylen, "--listen: '%s' is no IPv4 address", cfg->address);
        goto fail;
    }
    self->api = web_api_new(cfg->api_keys, cfg->endpoint, state, s_api_ticket, self, why, whylen);
    if (!self->api)
        goto fail;
    web_state_lock(state);
    web_state_set_wake(state, s_wake, self);
    web_state_unlock(state);
    /* HTTPS through libmicrohttpd's GnuTLS, when a certificate is given. */
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_END, 0, NULL}, {MHD_OPTION_END, 0, NULL}, {MHD_OPTION_END, 0, NULL}};
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG;
    if (cfg->tls_cert || cfg->tls_key) {
        if (!cfg->tls_cert || !cfg->tls_key) {
            snprintf(why, whylen, "HTTPS needs both --tls-cert and --tls-key");
            goto fail;
        }
        if (!(self->tls_pem[0] = s_read_pem(cfg->tls_cert, why, whylen)) ||
            !(self->tls_pem[1] = s_read_pem(cfg->tls_key, why, whylen)))
            goto fail;
        tls[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, self->tls_pem[0]};
        tls[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, self->tls_pem[1]};
        flags |= MHD_USE_TLS;
    }
    self->mhd = MHD_start_daemon(
        flags, 0, NULL, NULL, s_access, self, MHD_OPTION_ARRAY, tls,
        /* A stream's request is a line and a few headers: 8 KiB a connection (not
         * the default 32) keeps thousands of them small. */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)8192, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)S_THREADS, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)60, MHD_OPTION_EXTERNAL_LOGGER, s_mhd_log, NULL, MHD_OPTION_NOTIFY_COMPLETED,
        s_completed, NULL, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024, MHD_OPTION_END);
    if (!self->mhd) {
        snprintf(why, whylen,
                 "cannot listen on %s:%d (in use, not this machine's address, or a certificate "
                 "and key that do not go together)",
                 cfg->address, cfg->port);
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(self->mhd, MHD_DAEMON_INFO_BIND_PORT);
    self->port = di ? di->port : cfg->port;
    return self;
fail:
    web_state_lock(state);
    web_state_set_wake(state, NULL, NULL);
    web_state_unlock(state);
    web_api_destroy(&self->api);
    ratelimit_destroy(&self->addresses);
    ratelimit_destroy(&self->guessers);
    free(self->tls_pem[0]);
    free(self->tls_pem[1]);
    free(self);
    return NULL;
}

void web_http_destroy(web_http_t **self_p)
{
    web_http_t *self = self_p ? *self_p : NULL;
    if (!self)
        return;
    /* Suspended streams must be resumed before the daemon stops: they end at once. */
    web_state_lock(self->state);
    self->stopping = 1;
    s_wake(self);
    web_state_set_wake(self->state, NULL, NULL);
    web_state_unlock(self->state);
    MHD_stop_daemon(self->mhd);
    hq_client_destroy(&self->client);
    web_audio_destroy(&self->audio);
    web_api_destroy(&self->api);
    ratelimit_destroy(&self->addresses);
    ratelimit_destroy(&self->guessers);
    free(self->tls_pem[0]);
    free(self->tls_pem[1]);
    free(self);
    *self_p = NULL;
}

int web_http_port(const web_http_t *self)
{
    return self->port;
}

size_t web_http_streams(web_http_t *self)
{
    web_state_lock(self->state);
    size_t n = self->nstreams;
    web_state_unlock(self->state);
    return n;
}
