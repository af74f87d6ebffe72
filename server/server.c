#include "server.h"

#include "hall.h"
#include "hq_log.h"
#include "roles.h"
#include "auth.h"
#include "store.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define S_BATCH_MAX 128 /* requests committed together at most */

static volatile sig_atomic_t s_stop;

static void s_on_signal(int sig)
{
    (void)sig;
    s_stop = 1;
}

typedef struct {
    zmq_msg_t identity; /* the caller's ROUTER identity */
    int delimited;      /* the caller sent an empty delimiter frame (REQ style) */
    hq_request_t req;
    hall_result_t result;
    int mutating; /* changed state: needs the commit before its reply */
    int logged;   /* refused before it reached the hall, already logged */
} s_pending_t;

struct server {
    const hallq_config_t *cfg;
    hall_t *hall;
    store_t *store;
    void *ctx;
    void *router; /* requests */
    void *pub;    /* events */
    auth_t *auth; /* CURVE and the allow-list; NULL: loopback only, no roles */
    int64_t next_heartbeat;
    int64_t next_metric;
    int64_t next_day_check;
    s_pending_t batch[S_BATCH_MAX];
    int nbatch;
};

int server_loopback(const char *endpoint)
{
    return strncmp(endpoint, "tcp://127.", 10) == 0 ||
           strncmp(endpoint, "tcp://localhost:", 16) == 0 ||
           strncmp(endpoint, "tcp://[::1]", 11) == 0 || strncmp(endpoint, "ipc://", 6) == 0 ||
           strncmp(endpoint, "inproc://", 9) == 0;
}

/* ---- time ---------------------------------------------------------------------------------- */
void server_business_day(int64_t now_ms, char *out, size_t outlen)
{
    time_t secs = (time_t)(now_ms / 1000);
    struct tm tm;
    localtime_r(&secs, &tm);
    strftime(out, outlen, "%Y-%m-%d", &tm);
}

/* ---- publishing ------------------------------------------------------------------------- */
static void s_publish_text(server_t *self, const char *topic, const char *body)
{
    if (zmq_send(self->pub, topic, strlen(topic), ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_send(self->pub, body, strlen(body), ZMQ_DONTWAIT) < 0)
        hq_warn("publishing a %s event failed: %s", topic, zmq_strerror(zmq_errno()));
}

/* Gives each event its sequence number and time, and writes it to the event log. */
static int s_log_events(server_t *self, hall_result_t *r, int64_t now)
{
    for (int i = 0; i < r->nevents; i++) {
        json_t *body = r->events[i].body;
        int64_t seq = hall_next_seq(self->hall);
        json_object_set_new(body, "seq", json_integer(seq));
        json_object_set_new(body, "ts_ms", json_integer(now));
        /* Serialised once: the same text goes to the event log and, after the commit, out. */
        char *text = hq_json_compact(body, NULL);
        if (!text)
            return -1;
        free(r->events[i].text);
        r->events[i].text = text;
        if (store_append_event(self->store, seq, now, hq_event_type_name(r->events[i].type),
                               text) != 0)
            return -1;
    }
    return 0;
}

static void s_publish_events(server_t *self, const hall_result_t *r)
{
    for (int i = 0; i < r->nevents; i++)
        if (r->events[i].text)
            s_publish_text(self, hq_event_type_name(r->events[i].type), r->events[i].text);
}

/* Writes what an action changed; the caller holds the transaction. */
static int s_persist(server_t *self, hall_result_t *r, int64_t now)
{
    for (int i = 0; i < r->ntickets; i++) {
        const hq_ticket_t *t = hall_ticket(self->hall, r->tickets[i]);
        if (t && store_put_ticket(self->store, t) != 0)
            return -1;
    }
    for (int i = 0; i < r->ncounters; i++) {
        const hq_counter_t *c = hall_counter(self->hall, r->counters[i]);
        if (c && store_put_counter(self->store, c, hall_counter_paused(self->hall, c->id)) != 0)
            return -1;
    }
    return s_log_events(self, r, now);
}

/* After a failed commit the memory holds changes the disk does not: rebuild from the disk. */
static void s_reload(server_t *self, int64_t now)
{
    char day[11];
    server_business_day(now, day, sizeof day);
    if (store_load(self->store, self->hall, day) != 0)
        hq_error("reloading state from %s failed: %s", store_path(self->store),
                 store_errmsg(self->store));
}

/* Runs a self-contained change (rollover, metric) in its own transaction and publishes it. */
static int s_commit_result(server_t *self, hall_result_t *r, int64_t now, const json_t *metric)
{
    if (store_begin(self->store) != 0 || s_persist(self, r, now) != 0 ||
        (metric && store_put_metric(self->store, now, hall_day(self->hall), metric,
                                    (int64_t)self->cfg->handling_target_min * 60000) != 0) ||
        store_commit(self->store) != 0) {
        hq_error("database write failed: %s", store_errmsg(self->store));
        store_rollback(self->store);
        s_reload(self, now);
        return -1;
    }
    s_publish_events(self, r);
    return 0;
}

/* ---- requests ------------------------------------------------------------------------------ */
static void s_send_reply(server_t *self, s_pending_t *p)
{
    /* The id goes back as it came: an integer stays an integer, whoever built the reply. */
    hq_reply_echo_id(p->result.reply, &p->req);
    size_t len;
    char *text = hq_json_compact(p->result.reply, &len);
    if (!text) {
        hq_error("cannot encode a reply (out of memory)");
        return;
    }
    int rc = zmq_msg_send(&p->identity, self->router, ZMQ_SNDMORE | ZMQ_DONTWAIT);
    if (rc >= 0 && p->delimited)
        rc = zmq_send(self->router, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT);
    if (rc >= 0)
        rc = zmq_send(self->router, text, len, ZMQ_DONTWAIT);
    if (rc < 0)
        hq_warn("reply to a %s request not sent: %s", hq_req_type_name(p->req.type),
                zmq_strerror(zmq_errno()));
    free(text);
}

static void s_log_action(const s_pending_t *p)
{
    const json_t *reply = p->result.reply;
    if (p->logged)
        return;
    if (p->result.failed) {
        hq_info("%s refused: %s", hq_req_type_name(p->req.type),
                json_string_value(json_object_get(json_object_get(reply, "error"), "message")));
        return;
    }
    if (!p->mutating || hq_log_get_level() < HQ_LOG_DEBUG)
        return;
    const json_t *t = json_object_get(reply, "ticket");
    const char *label = json_string_value(json_object_get(t, "label"));
    /* Debug: each of these is a row of the event log already. */
    if (p->req.counter)
        hq_debug("counter %d %s%s%s", p->req.counter, hq_req_type_name(p->req.type),
                 label ? " " : "", label ? label : "");
    else
        hq_debug("%s %s", hq_req_type_name(p->req.type), label ? label : "");
}

/* Reads one request into the batch slot. 1 read, 0 nothing waiting, -1 socket failure. */
static int s_read_request(server_t *self, s_pending_t *p, int64_t now)
{
    zmq_msg_t frames[3];
    int nframes = 0, more = 1, extra = 0;
    while (more) {
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, self->router, nframes == 0 ? ZMQ_DONTWAIT : 0) < 0) {
            zmq_msg_close(&msg);
            for (int i = 0; i < nframes; i++)
                zmq_msg_close(&frames[i]);
            return zmq_errno() == EAGAIN ? 0 : -1;
        }
        more = zmq_msg_more(&msg);
        if (nframes < 3)
            frames[nframes++] = msg;
        else {
            zmq_msg_close(&msg);
            extra = 1;
        }
    }
    memset(p, 0, sizeof *p);
    hq_request_init(&p->req, HQ_REQ_COUNT_); /* no type until a frame names one */
    hall_result_init(&p->result);
    zmq_msg_init(&p->identity);
    zmq_msg_move(&p->identity, &frames[0]);
    hq_error_t err = {HQ_E_NONE, ""};
    zmq_msg_t *body = NULL;
    if (nframes == 2) {
        body = &frames[1];
    } else if (nframes == 3 && zmq_msg_size(&frames[1]) == 0 && !extra) {
        p->delimited = 1;
        body = &frames[2];
    } else {
        err.code = HQ_E_MALFORMED;
        snprintf(err.message, sizeof err.message,
                 "a request is one JSON frame, optionally after an empty delimiter frame");
        p->delimited = nframes >= 3 && zmq_msg_size(&frames[1]) == 0;
    }
    int rc = body ? hq_request_decode(zmq_msg_data(body), zmq_msg_size(body), &p->req, &err)
                  : HQ_MALFORMED;
    /* The ZAP handler attached the key's role to every message of the connection. */
    const char *role = self->auth ? zmq_msg_gets(&frames[nframes - 1], "role") : NULL;
    if (rc == HQ_OK && self->auth) {
        char why[160];
        if (!role_allows(role ? role : "", &p->req, why, sizeof why)) {
            err.code = HQ_E_FORBIDDEN;
            hq_strlcpy(err.message, why, sizeof err.message);
            rc = HQ_MALFORMED;
        }
    }
    for (int i = 0; i < nframes; i++)
        zmq_msg_close(&frames[i]);
    if (rc != HQ_OK) {
        p->result.reply = hq_reply_refuse(&p->req, err.code, err.message);
        p->result.failed = 1;
        p->logged = 1;
        hq_log(err.code == HQ_E_FORBIDDEN ? HQ_LOG_WARN : HQ_LOG_INFO, "request refused: %s: %s",
               hq_error_code_name(err.code), err.message);
        return 1;
    }
    int repairs = hall_line_repairs(self->hall);
    hall_handle(self->hall, &p->req, now, &p->result);
    if (hall_line_repairs(self->hall) != repairs)
        hq_warn("%s at counter %d: the waiting lines were out of step with the tickets and were "
                "rebuilt from them",
                hq_req_type_name(p->req.type), p->req.counter);
    p->mutating = hq_req_info(p->req.type)->changes && !p->result.failed &&
                  (p->result.ntickets || p->result.ncounters || p->result.nevents);
    return 1;
}

static void s_serve_batch(server_t *self)
{
    int64_t now = hq_now_ms();
    int in_tx = 0, failed = 0;
    self->nbatch = 0;
    while (self->nbatch < S_BATCH_MAX) {
        s_pending_t *p = &self->batch[self->nbatch];
        int rc = s_read_request(self, p, now);
        if (rc <= 0) {
            if (rc < 0)
                hq_error("receiving a request failed: %s", zmq_strerror(zmq_errno()));
            break;
        }
        self->nbatch++;
        if (!p->mutating || failed)
            continue;
        if (!in_tx) {
            if (store_begin(self->store) != 0) {
                failed = 1;
                continue;
            }
            in_tx = 1;
        }
        if (s_persist(self, &p->result, now) != 0)
            failed = 1;
    }
    if (in_tx && !failed && store_commit(self->store) != 0)
        failed = 1;
    if (failed) {
        /* Nothing of this batch reached the disk: undo it in memory and say so. */
        char why[200];
        snprintf(why, sizeof why, "the database refused the change (%s); nothing was changed",
                 store_errmsg(self->store));
        hq_error("%s", why);
        store_rollback(self->store);
        s_reload(self, now);
        for (int i = 0; i < self->nbatch; i++) {
            s_pending_t *p = &self->batch[i];
            if (p->result.failed)
                continue;
            json_decref(p->result.reply);
            p->result.reply = hq_reply_refuse(&p->req, HQ_E_STORE, why);
            p->result.failed = 1;
            p->mutating = 0;
        }
    }
    /* Committed: publish, then reply. The events go to every screen in the hall, the reply
     * to one clerk or kiosk, which also sees the event (the two travel on different
     * connections, so no order between them was ever promised). The log lines come last, off
     * the path a waiting citizen and a clerk measure. */
    for (int i = 0; i < self->nbatch; i++)
        if (self->batch[i].mutating)
            s_publish_events(self, &self->batch[i].result);
    for (int i = 0; i < self->nbatch; i++)
        s_send_reply(self, &self->batch[i]);
    for (int i = 0; i < self->nbatch; i++) {
        s_pending_t *p = &self->batch[i];
        s_log_action(p);
        zmq_msg_close(&p->identity);
        hall_result_clear(&p->result);
    }
}

/* ---- timers -------------------------------------------------------------------------------- */
static void s_heartbeat(server_t *self, int64_t now)
{
    char body[96];
    snprintf(body, sizeof body, "{\"seq\":%lld,\"ts_ms\":%lld}", (long long)hall_seq(self->hall),
             (long long)now);
    s_publish_text(self, "heartbeat", body);
}

static void s_check_day(server_t *self, int64_t now)
{
    char day[11];
    server_business_day(now, day, sizeof day);
    hall_result_t r;
    hall_result_init(&r);
    if (hall_rollover(self->hall, day, now, &r)) {
        int expired = 0;
        for (int i = 0; i < r.ntickets; i++) {
            const hq_ticket_t *t = hall_ticket(self->hall, r.tickets[i]);
            expired += t && t->state == HQ_T_EXPIRED;
        }
        if (s_commit_result(self, &r, now, NULL) == 0) {
            hq_info("business day %s: %d open ticket(s) of earlier days expired", day, expired);
            hall_compact(self->hall);
        }
    }
    hall_result_clear(&r);
}

static void s_metric(server_t *self, int64_t now)
{
    hall_result_t r;
    hall_result_init(&r);
    json_t *rows = hall_metric_tick(self->hall, now, &r);
    const json_t *hall_row = json_object_get(json_array_get(rows, 0), "metric");
    int64_t count = json_integer_value(json_object_get(hall_row, "count"));
    int64_t avg = json_integer_value(json_object_get(hall_row, "avg_ms"));
    int64_t within = json_integer_value(json_object_get(hall_row, "within"));
    int64_t target = (int64_t)self->cfg->handling_target_min * 60000;
    if (s_commit_result(self, &r, now, rows) == 0) {
        if (count == 0)
            hq_info("metric: no instant item finished yet today (target %d min)",
                    self->cfg->handling_target_min);
        else
            hq_log(avg > target ? HQ_LOG_WARN : HQ_LOG_INFO,
                   "metric: instant items average %lld:%02lld over %lld ticket(s), %lld%% within "
                   "%d min%s",
                   (long long)(avg / 60000), (long long)(avg / 1000 % 60), (long long)count,
                   (long long)(within * 100 / count), self->cfg->handling_target_min,
                   avg > target ? " - ABOVE TARGET" : "");
    }
    json_decref(rows);
    hall_result_clear(&r);
}

/* ---- lifecycle --------------------------------------------------------------------------- */
static void *s_bind(server_t *self, int type, const char *endpoint, char *bound, size_t n,
                    char *why, size_t whylen)
{
    void *sock = zmq_socket(self->ctx, type);
    if (!sock) {
        snprintf(why, whylen, "cannot create a socket: %s", zmq_strerror(zmq_errno()));
        return NULL;
    }
    int linger = 0;
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
    if (self->auth && auth_apply(self->auth, sock) != 0) {
        snprintf(why, whylen, "cannot enable CURVE on %s: %s", endpoint, zmq_strerror(zmq_errno()));
        zmq_close(sock);
        return NULL;
    }
    if (type == ZMQ_ROUTER) {
        int64_t maxmsg = HQ_MAX_FRAME_BYTES;
        zmq_setsockopt(sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    } else {
        int hwm = 100000; /* a burst must not drop events for a slow display */
        zmq_setsockopt(sock, ZMQ_SNDHWM, &hwm, sizeof hwm);
    }
    if (zmq_bind(sock, endpoint) != 0) {
        snprintf(why, whylen, "cannot bind %s: %s", endpoint, zmq_strerror(zmq_errno()));
        zmq_close(sock);
        return NULL;
    }
    size_t len = n;
    if (zmq_getsockopt(sock, ZMQ_LAST_ENDPOINT, bound, &len) != 0)
        hq_strlcpy(bound, endpoint, n);
    return sock;
}

server_t *server_new(const hallq_config_t *cfg, const char *data_dir, char *why, size_t whylen)
{
    server_t *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    self->cfg = cfg;
    self->store = store_open(data_dir, cfg->sync_full, why, whylen);
    if (!self->store)
        goto fail;
    self->hall = hall_new(cfg);
    if (!self->hall) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    int64_t now = hq_now_ms();
    char day[11];
    server_business_day(now, day, sizeof day);
    if (store_load(self->store, self->hall, day) != 0) {
        snprintf(why, whylen, "cannot read %s: %s", store_path(self->store),
                 store_errmsg(self->store));
        goto fail;
    }
    self->ctx = zmq_ctx_new();
    if (cfg->keys_dir[0]) {
        self->auth = auth_new(cfg->keys_dir, why, whylen);
        if (!self->auth || auth_start(self->auth, self->ctx, why, whylen) != 0)
            goto fail;
        hq_info("CURVE on: %zu device key(s) allowed in %s/clients", auth_allowed_count(self->auth),
                cfg->keys_dir);
    } else if (!server_loopback(cfg->request_endpoint) || !server_loopback(cfg->event_endpoint)) {
        snprintf(why, whylen,
                 "refusing to listen beyond loopback without keys: set [security] keys "
                 "(see hallqctl keys --help)");
        goto fail;
    } else {
        hq_info("no keys configured: listening on loopback only, every local program may act");
    }
    char req_bound[256], ev_bound[256];
    /* Bind events first: a client that gets a reply can already be subscribed. */
    self->pub = s_bind(self, ZMQ_PUB, cfg->event_endpoint, ev_bound, sizeof ev_bound, why, whylen);
    if (!self->pub)
        goto fail;
    self->router =
        s_bind(self, ZMQ_ROUTER, cfg->request_endpoint, req_bound, sizeof req_bound, why, whylen);
    if (!self->router)
        goto fail;
    s_check_day(self, now);
    size_t open = 0;
    for (int i = 0; i < cfg->ncounters; i++) {
        const hq_counter_t *c = hall_counter(self->hall, cfg->counters[i].id);
        open += c && c->state != HQ_C_CLOSED;
    }
    hq_info("hallqd %s: day %s, %zu ticket(s) in memory, %zu of %d counter(s) open, last event "
            "%lld, data %s",
            HALLQ_VERSION, hall_day(self->hall), hall_ticket_count(self->hall), open,
            cfg->ncounters, (long long)hall_seq(self->hall), store_path(self->store));
    hq_info("listening requests=%s events=%s", req_bound, ev_bound);
    self->next_heartbeat = hq_monotonic_ms();
    self->next_metric = hq_monotonic_ms() + (int64_t)cfg->metric_interval_s * 1000;
    self->next_day_check = hq_monotonic_ms() + 1000;
    return self;
fail:
    server_destroy(&self);
    return NULL;
}

void server_destroy(server_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    server_t *self = *self_p;
    /* Shutdown order: stop taking requests, flush the metric log, close the database, then
     * the remaining sockets. */
    if (self->router)
        zmq_close(self->router);
    if (self->store && self->hall && self->pub)
        s_metric(self, hq_now_ms());
    store_close(&self->store);
    if (self->pub)
        zmq_close(self->pub);
    auth_destroy(&self->auth);
    if (self->ctx)
        zmq_ctx_term(self->ctx);
    hall_destroy(&self->hall);
    free(self);
    *self_p = NULL;
}

int server_run(server_t *self)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    while (!s_stop) {
        int64_t now = hq_monotonic_ms();
        if (now >= self->next_heartbeat) {
            s_heartbeat(self, hq_now_ms());
            self->next_heartbeat = now + self->cfg->heartbeat_ms;
        }
        if (now >= self->next_day_check) {
            s_check_day(self, hq_now_ms());
            self->next_day_check = now + 1000;
        }
        if (now >= self->next_metric) {
            s_metric(self, hq_now_ms());
            self->next_metric = now + (int64_t)self->cfg->metric_interval_s * 1000;
        }
        int64_t wake = self->next_heartbeat;
        if (self->next_day_check < wake)
            wake = self->next_day_check;
        if (self->next_metric < wake)
            wake = self->next_metric;
        long timeout = (long)(wake - hq_monotonic_ms());
        if (timeout < 0)
            timeout = 0;
        zmq_pollitem_t items[2] = {
            {self->router, 0, ZMQ_POLLIN, 0},
            {self->auth ? auth_zap_socket(self->auth) : NULL, 0, ZMQ_POLLIN, 0}};
        int n = zmq_poll(items, self->auth ? 2 : 1, timeout);
        if (n < 0) {
            if (zmq_errno() == EINTR)
                continue;
            hq_error("poll failed: %s", zmq_strerror(zmq_errno()));
            return -1;
        }
        if (n > 0 && self->auth && (items[1].revents & ZMQ_POLLIN))
            auth_handle_zap(self->auth);
        if (n > 0 && (items[0].revents & ZMQ_POLLIN))
            s_serve_batch(self);
    }
    hq_info("stopping on signal");
    return 0;
}
