/* web_http: see web_http.h; the server, its responses and the event streams (the routes:
 * web_http_routes.c, web_http_internal.h). */
#include "web_http_internal.h"

#include "hq_log.h"
#include "hq_vec.h"
#include "web_page.h"
#include "web_tablet.h"
#include "web_wall.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_HALLQD_TIMEOUT_MS 2000 /* the HTTP thread's requests to hallqd */
#define S_KEEPALIVE_MS 15000     /* a comment on a quiet stream: proxies keep it, dead ones end */
#define S_RETRY_MS 2000          /* how soon a browser reconnects a lost stream */
#define S_BODY_MAX 4096          /* an API request's body */
#define S_THREADS 2              /* libmicrohttpd's: a change reaches thousands of streams */

/* The content security policy: files of this origin only, no inline script or style. */
#define S_CSP                                                                                      \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "                    \
    "media-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "                  \
    "frame-ancestors 'none'"

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

struct wh_stream {
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
    wh_stream_t *next;  /* in http->waiting */
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

enum MHD_Result wh_send(struct MHD_Connection *conn, unsigned status, const char *mime,
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

enum MHD_Result wh_send_buf(struct MHD_Connection *conn, unsigned status, const char *mime,
                            hq_buf_t *b, int retry_after_s)
{
    size_t len = b->len;
    char *text = hq_buf_detach(b);
    if (!text)
        return MHD_NO;
    return wh_send(conn, status, mime, text, len, MHD_RESPMEM_MUST_FREE, 1, retry_after_s);
}

enum MHD_Result wh_send_page(struct MHD_Connection *conn, unsigned status, const char *name,
                             const char *const *kv, int retry_after_s)
{
    hq_buf_t b = HQ_BUF_INIT;
    if (web_page_render(name, kv, &b) != 0) {
        hq_buf_free(&b);
        return MHD_NO;
    }
    return wh_send_buf(conn, status, "text/html; charset=utf-8", &b, retry_after_s);
}

enum MHD_Result wh_plain(struct MHD_Connection *conn, unsigned status, int json, const char *code,
                         web_text_id_t title, const char *text, ui_lang_t lang, int retry_after_s)
{
    if (json) {
        hq_buf_t b = HQ_BUF_INIT;
        hq_buf_printf(&b, "{\"error\":\"%s\"}", code);
        return wh_send_buf(conn, status, "application/json", &b, retry_after_s);
    }
    const char *kv[] = {
        "lang", lang == UI_LANG_EN ? "en" : "zh-CN", "title", wt(title, lang), "text", text, NULL};
    return wh_send_page(conn, status, "plain.html", kv, retry_after_s);
}

hq_client_t *wh_client(web_http_t *self)
{
    if (!self->client)
        self->client = hq_client_new(self->cfg.endpoint, S_HALLQD_TIMEOUT_MS);
    return self->client;
}

/* ---- the followed ticket ------------------------------------------------------------------ */

/* Asks hallqd which ticket a token is (the HTTP thread's own socket). */
static wh_lookup_t s_track(web_http_t *self, const char *token, web_follow_t *f)
{
    hq_client_t *client = wh_client(self);
    if (!client)
        return WH_DOWN;
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_TRACK);
    hq_strlcpy(req.token, token, sizeof req.token);
    hq_reply_t reply;
    hq_error_t err;
    if (hq_client_request(client, &req, &reply, &err) != 0) {
        hq_warn("track: %s", err.message);
        return WH_DOWN;
    }
    wh_lookup_t rc = WH_DOWN;
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
        rc = WH_FOUND;
    } else if (!reply.ok && reply.error.code == HQ_E_UNKNOWN_TICKET) {
        rc = WH_UNKNOWN;
    } else if (!reply.ok) {
        hq_warn("track refused: %s: %s", hq_error_code_name(reply.error.code), reply.error.message);
    }
    hq_reply_clear(&reply);
    return rc;
}

wh_lookup_t wh_follow(web_http_t *self, const char *token)
{
    web_state_lock(self->state);
    int known = web_state_find(self->state, token, hq_monotonic_ms()) != NULL;
    web_state_unlock(self->state);
    if (known)
        return WH_FOUND;
    web_follow_t f;
    wh_lookup_t found = web_token_form(token) ? s_track(self, token, &f) : WH_UNKNOWN;
    if (found != WH_FOUND)
        return found;
    f.opened_mono = hq_monotonic_ms();
    web_state_lock(self->state);
    if (!web_state_find(self->state, token, f.opened_mono))
        web_state_add(self->state, &f);
    web_state_unlock(self->state);
    return WH_FOUND;
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

char *wh_wall_text(web_http_t *self, ui_lang_t lang)
{
    json_t *v = web_wall_view(web_state_wall(self->state), web_state_mirror(self->state), lang);
    char *text = v ? hq_json_compact(v, NULL) : NULL;
    json_decref(v);
    return text;
}

char *wh_tablet_text(web_http_t *self, int counter, ui_lang_t lang)
{
    json_t *v =
        web_tablet_view(web_state_mirror(self->state), web_state_finished(self->state, counter),
                        counter, lang, hq_now_ms());
    char *text = v ? hq_json_compact(v, NULL) : NULL;
    json_decref(v);
    return text;
}

char *wh_view_text(web_http_t *self, const char *token, ui_lang_t lang)
{
    return s_view_text_at(self, token, NULL, lang);
}

/* ---- the event stream --------------------------------------------------------------------- */
/* The state's wake (under its lock): every waiting stream looks again. */
static void s_wake(void *arg)
{
    web_http_t *self = arg;
    while (self->waiting) {
        wh_stream_t *s = self->waiting;
        self->waiting = s->next;
        s->next = NULL;
        MHD_resume_connection(s->conn);
    }
}

static ssize_t s_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    wh_stream_t *s = cls;
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
                         : s->tablet ? wh_tablet_text(self, s->tablet, s->lang)
                                     : wh_wall_text(self, s->lang);
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
    wh_stream_t *s = cls;
    web_http_t *self = s->http;
    web_state_lock(self->state);
    for (wh_stream_t **p = &self->waiting; *p; p = &(*p)->next)
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

enum MHD_Result wh_stream_open(web_http_t *self, struct MHD_Connection *conn, const char *token,
                               int tablet, ui_lang_t lang)
{
    wh_stream_t *s = calloc(1, sizeof *s);
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

int wh_retry_s(int64_t ms)
{
    return (int)((ms + 999) / 1000);
}

enum MHD_Result wh_busy(struct MHD_Connection *conn, int json, int64_t retry_ms, ui_lang_t lang)
{
    char text[200];
    snprintf(text, sizeof text, wt(WT_BUSY_TEXT, lang), wh_retry_s(retry_ms));
    return wh_plain(conn, MHD_HTTP_TOO_MANY_REQUESTS, json, "rate_limited", WT_BUSY_TITLE, text,
                    lang, wh_retry_s(retry_ms));
}

static void s_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                        enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    wh_upload_t *up = *con_cls;
    if (up) {
        hq_buf_free(&up->body);
        free(up);
        *con_cls = NULL;
    }
}

static enum MHD_Result s_access_one(web_http_t *self, struct MHD_Connection *conn, const char *url,
                                    const char *method, const char *upload, size_t *upload_size,
                                    void **con_cls)
{
    /* An API POST: its body comes over several calls, the answer after the last. */
    if (strcmp(method, "POST") == 0 &&
        (strncmp(url, "/api/v1/", 8) == 0 || strncmp(url, "/tablet/", 8) == 0 ||
         strncmp(url, "/t/", 3) == 0 || strncmp(url, "/book/", 6) == 0)) {
        wh_upload_t *up = *con_cls;
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
        return wh_plain(conn, MHD_HTTP_METHOD_NOT_ALLOWED, 0, "method", WT_NOT_FOUND, "", lang, 0);
    char address[INET_ADDRSTRLEN + 1];
    s_client_address(conn, address, sizeof address);
    int json = api || notice || (tablet && strcmp(url, "/tablet") != 0) ||
               (book && strcmp(url, "/book") != 0) || strstr(url, "/state") != NULL ||
               strstr(url, "/audio") != NULL;
    int64_t wait =
        ratelimit_take(self->addresses, address, &self->cfg.per_address, hq_monotonic_ms());
    if (wait > 0)
        return wh_busy(conn, json, wait, lang);
    if (strcmp(url, "/favicon.ico") == 0) /* browsers ask: nothing, and no error */
        return wh_send(conn, MHD_HTTP_NO_CONTENT, "image/x-icon", "", 0, MHD_RESPMEM_PERSISTENT, 0,
                       0);
    if (api)
        return wh_api(self, conn, url + 7, method, *con_cls);
    if (tablet)
        return wh_tablet(self, conn, url + 7, method, *con_cls, address, lang);
    if (notice && strcmp(method, "POST") == 0)
        return wh_subscribe(self, conn, url + 3, *con_cls, lang);
    if (strncmp(url, "/t/", 3) == 0)
        return wh_ticket(self, conn, url + 3, address, lang);
    if (book)
        return wh_book(self, conn, url + 5, method, *con_cls, address, lang);
    if (strncmp(url, "/wall", 5) == 0)
        return wh_wall(self, conn, url + 5, lang);
    if (strncmp(url, "/static/", 8) == 0 && !strstr(url, ".html")) {
        size_t len;
        const char *mime;
        const unsigned char *data = web_asset(url + 8, &len, &mime);
        if (data)
            return wh_send(conn, MHD_HTTP_OK, mime, data, len, MHD_RESPMEM_PERSISTENT, 0, 0);
    }
    return wh_plain(conn, MHD_HTTP_NOT_FOUND, 0, "not_found", WT_NOT_FOUND, "", lang, 0);
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
    self->api = web_api_new(cfg->api_keys, cfg->endpoint, state, wh_api_ticket, self, why, whylen);
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
