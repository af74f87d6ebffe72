#include "server.h"

#include "clock.h"
#include "hall.h"
#include "hall_wire.h"
#include "config_record.h"
#include "hq_date.h"
#include "hq_log.h"
#include "roles.h"
#include "auth.h"
#include "ratelimit.h"
#include "store.h"
#include "webtoken.h"

#include <czmq.h>
#include <sodium.h>
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_BATCH_MAX 128           /* requests committed together at most */
#define S_DAY_CHECK_MS 1000       /* how late the business day may turn (of the hall's time) */
#define S_STOP_CHECK_MS 100       /* a signal that came between two polls waits this long at most */
#define S_LIMIT_DEVICES 4096      /* request budgets remembered (connections without keys) */
#define S_OVER_BUDGET_PER_BATCH 2 /* rate_limited requests that end a batch (s_serve_batch) */
#define S_LIMIT_REPORT_MS 60000   /* a device over its budget is logged once a minute */
/* The refusals a device over its budget is sent, at most: 100 at once, then 100 a second. A
 * device that sends beyond that has been told its retry-after many times over, and the rest
 * of its excess is dropped unanswered: a refusal sent costs the loop and ZeroMQ's I/O thread
 * three times what one read and dropped does, a flood's cost to the devices beside it. */
static const hq_rate_t S_REFUSALS_SENT = {6000, 100};
#define S_FLOOD_PAUSE_US 500 /* the loop's pause after a batch that dropped requests unanswered */
/* Events a subscriber that does not read may have queued before it loses some. A display
 * that fell this far behind takes a new snapshot (the Clone pattern's gap rule); a stuck one
 * costs the daemon this many messages at most. A busy minute of a large hall is a few
 * hundred events. */
#define S_EVENT_HWM 500

typedef struct {
    zmq_msg_t identity; /* the caller's ROUTER identity */
    int delimited;      /* the caller sent an empty delimiter frame (REQ style) */
    hq_request_t req;
    hall_result_t result; /* what the hall did */
    hall_wire_t wire;     /* its reply and events, as sent */
    int failed;           /* the reply is an error: nothing changed */
    int mutating;         /* changed state: needs the commit before its reply */
    int logged;           /* refused before it reached the hall, already logged */
    int over_budget;      /* refused as rate_limited */
    int unanswered;       /* over budget beyond S_REFUSALS_SENT: dropped without a reply */
    json_t **reply_to;    /* a caller in this process (server_handle): the reply goes here */
} s_pending_t;

struct server {
    const hallq_config_t *cfg;
    char last_alert_json[1024]; /* the latest queue_alert event published, for the hook */
    hallclock_t *clock;         /* the daemon's time: every "now" of the loop */
    hall_t *hall;
    store_t *store;
    void *ctx;                         /* czmq's, shared with zauth; czmq terminates it at exit */
    void *router;                      /* requests */
    void *pub;                         /* events */
    char event_bound[256];             /* where pub is bound (to bind again after a cut-off) */
    ratelimit_t *limits;               /* each device's request budget */
    ratelimit_t *refusals;             /* each device's budget of refusals sent (S_REFUSALS_SENT) */
    auth_t *auth;                      /* CURVE and the allow-list; NULL: loopback only, no roles */
    roster_t *roster;                  /* the clerk roster (DATA/clerks), reread when it changes */
    const volatile sig_atomic_t *stop; /* set by hallqd's signal handler */
    s_pending_t batch[S_BATCH_MAX];
    int nbatch;
    int in_tx;  /* the batch's transaction is open */
    int failed; /* a write of the batch failed: nothing of it is committed */
    int reload; /* a request of the batch ran out of memory: memory is reloaded after it */
    /* Reloading the state from the store failed: memory cannot be trusted, so every request
     * is refused until a reload succeeds (tried again before each batch and timer). */
    int stale;
    server_event_fn *on_event; /* also sees every event published (tests), or NULL */
    void *on_event_arg;
};

/* ---- publishing ------------------------------------------------------------------------- */
static void s_publish_text(server_t *self, const char *topic, const char *body)
{
    if (self->on_event)
        self->on_event(self->on_event_arg, topic, body);
    if (strcmp(topic, "queue_alert") == 0)
        hq_strlcpy(self->last_alert_json, body, sizeof self->last_alert_json);
    if (!self->pub)
        return;
    if (zmq_send(self->pub, topic, strlen(topic), ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_send(self->pub, body, strlen(body), ZMQ_DONTWAIT) < 0)
        hq_warn("publishing a %s event failed: %s", topic, zmq_strerror(zmq_errno()));
}

/* Gives each event its sequence number and time, and writes it to the event log. */
static int s_log_events(server_t *self, const hall_result_t *r, hall_wire_t *w, int64_t now)
{
    for (int i = 0; i < r->nevents; i++) {
        int64_t seq = hall_next_seq(self->hall);
        const char *text = hall_wire_number(w, i, seq, now);
        if (!text || store_append_event(self->store, seq, now,
                                        hq_event_type_name(r->events[i].type), text) != 0)
            return -1;
    }
    return 0;
}

static void s_publish_events(server_t *self, const hall_result_t *r, const hall_wire_t *w)
{
    for (int i = 0; i < r->nevents; i++)
        if (w->texts[i])
            s_publish_text(self, hq_event_type_name(r->events[i].type), w->texts[i]);
}

/* Writes what an action changed; the caller holds the transaction. */
static int s_persist(server_t *self, const hall_result_t *r, hall_wire_t *w, int64_t now)
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
    for (int i = 0; i < r->nevents; i++)
        if (r->events[i].type == HQ_EV_DAY && store_put_day(self->store, hall_day(self->hall)) != 0)
            return -1;
    if (r->green_streak_changed &&
        store_put_green_streak(self->store, hall_green_streak(self->hall)) != 0)
        return -1;
    if (r->appt_streak_changed &&
        store_put_appointment_streak(self->store, hall_appointment_streak(self->hall)) != 0)
        return -1;
    for (int i = 0; i < r->nbookings; i++) {
        const hq_booking_t *b = hall_booking(self->hall, r->bookings[i]);
        if (b && store_put_booking(self->store, b) != 0)
            return -1;
    }
    if (r->tablet_counter &&
        store_put_tablet(self->store, r->tablet_counter,
                         hall_counter_tablet(self->hall, r->tablet_counter), now) != 0)
        return -1;
    return s_log_events(self, r, w, now);
}

/* After a failed commit, or an action that ran out of memory half-way, the memory holds
 * changes the disk does not: rebuild it from the disk. When that fails too, the server is
 * stale until a later reload succeeds. */
static int s_reload(server_t *self, int64_t now)
{
    char day[HQ_DATE_TEXT_MAX];
    hq_date_format(hq_date_local(now), day);
    if (store_load(self->store, self->hall, day) != 0) {
        hq_error("reloading state from %s failed (%s): refusing requests until it succeeds",
                 store_path(self->store), store_errmsg(self->store));
        self->stale = 1;
        return -1;
    }
    if (self->stale)
        hq_info("state reloaded from %s: serving again", store_path(self->store));
    self->stale = 0;
    return 0;
}

/* Whether memory can be used: a stale server tries to reload first. */
static int s_fresh(server_t *self, int64_t now)
{
    return !self->stale || s_reload(self, now) == 0;
}

/* Runs a self-contained change (rollover, metric) in its own transaction and publishes it. */
static int s_commit_result(server_t *self, const hall_result_t *r, int64_t now,
                           const json_t *metric)
{
    hall_wire_t w;
    hall_wire_init(&w);
    if (r->oom || hall_wire_write(self->hall, NULL, r, now, &w) != 0) {
        hq_error("out of memory: nothing of the change was written");
        hall_wire_clear(&w);
        s_reload(self, now);
        return -1;
    }
    if (store_begin(self->store) != 0 || s_persist(self, r, &w, now) != 0 ||
        (metric && store_put_metric(self->store, now, hall_day(self->hall), metric,
                                    (int64_t)self->cfg->handling_target_min * 60000) != 0) ||
        store_commit(self->store) != 0) {
        hq_error("database write failed: %s", store_errmsg(self->store));
        store_rollback(self->store);
        hall_wire_clear(&w);
        s_reload(self, now);
        return -1;
    }
    s_publish_events(self, r, &w);
    hall_wire_clear(&w);
    return 0;
}

/* ---- requests ------------------------------------------------------------------------------ */
/* What a caller gets when not even its error reply could be built. */
static const char s_no_memory_reply[] =
    "{\"v\":1,\"ok\":false,\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";

static void s_send_reply(server_t *self, s_pending_t *p)
{
    if (p->reply_to) {
        *p->reply_to = json_incref(p->wire.reply);
        return;
    }
    if (p->unanswered)
        return;
    size_t len = p->wire.reply_len;
    char *text = p->wire.reply ? hq_json_compact(p->wire.reply, &len) : NULL;
    const char *out = p->wire.reply_text ? p->wire.reply_text : text;
    if (!out && (!p->wire.reply || p->failed)) {
        /* An error it is either way; a committed change's "ok" is never turned into one. */
        out = s_no_memory_reply;
        len = sizeof s_no_memory_reply - 1;
    }
    if (!out) {
        hq_error("cannot encode a reply (out of memory)");
        return;
    }
    int rc = zmq_msg_send(&p->identity, self->router, ZMQ_SNDMORE | ZMQ_DONTWAIT);
    if (rc >= 0 && p->delimited)
        rc = zmq_send(self->router, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT);
    if (rc >= 0)
        rc = zmq_send(self->router, out, len, ZMQ_DONTWAIT);
    if (rc < 0)
        hq_warn("reply to a %s request not sent: %s", hq_req_type_name(p->req.type),
                zmq_strerror(zmq_errno()));
    free(text);
}

static void s_log_action(const s_pending_t *p)
{
    const json_t *reply = p->wire.reply;
    if (p->logged)
        return;
    /* What a staff member did at a device, or was refused: the hall's own line. */
    if (p->result.note[0] && (!p->failed || p->result.error.code == HQ_E_FORBIDDEN)) {
        hq_log(p->failed ? HQ_LOG_WARN : HQ_LOG_INFO, "%s", p->result.note);
        return;
    }
    if (p->failed) {
        /* A key reaching beyond its window or a clerk's PIN is worth a warning, as a role's. */
        hq_log(p->result.error.code == HQ_E_FORBIDDEN ? HQ_LOG_WARN : HQ_LOG_INFO, "%s refused: %s",
               hq_req_type_name(p->req.type),
               json_string_value(json_object_get(json_object_get(reply, "error"), "message")));
        return;
    }
    if (!p->mutating || hq_log_get_level() < HQ_LOG_DEBUG)
        return;
    const json_t *t = json_object_get(reply, "ticket");
    const char *label =
        p->wire.reply_text ? p->wire.label : json_string_value(json_object_get(t, "label"));
    /* Debug: each of these is a row of the event log already. */
    if (p->req.counter)
        hq_debug("counter %d %s%s%s", p->req.counter, hq_req_type_name(p->req.type),
                 label ? " " : "", label ? label : "");
    else
        hq_debug("%s %s", hq_req_type_name(p->req.type), label ? label : "");
}

/* Rereads the clerk roster when its file changed, so a clerk added by hallqctl can log in at
 * once; a stat() of the file and of its folder otherwise (a few microseconds: done for the
 * requests that read the roster only, never on the way of a citizen's issue or a call). */
static void s_refresh_roster(server_t *self)
{
    char why[300];
    int rc = roster_refresh(self->roster, why, sizeof why);
    if (rc > 0)
        hq_info("clerk roster %s: %zu clerk(s)%s", roster_path(self->roster),
                roster_count(self->roster),
                roster_count(self->roster) ? ", logins need their PIN" : ", any clerk logs in");
    else if (rc < 0)
        hq_error("%s: no clerk can log in until it is fixed", why);
}

/* Whether a reply of this type says which clock the hall runs on: the ones every screen and
 * tool starts with. */
static int s_says_clock(const server_t *self, hq_req_type_t type)
{
    return hallclock_simulated(self->clock) &&
           (type == HQ_REQ_PING || type == HQ_REQ_SNAPSHOT || type == HQ_REQ_CATALOG);
}

/* "simulated": true and the clock's "speed", so every screen can say so and hallq-sim can
 * keep to the hall's time. 0, or -1 out of memory. */
static int s_clock_fields(const server_t *self, json_t *reply)
{
    double speed = hallclock_speed(self->clock);
    json_t *v = speed == floor(speed) ? json_integer((json_int_t)speed) : json_real(speed);
    return json_object_set_new(reply, "simulated", json_true()) != 0 ||
                   json_object_set_new(reply, "speed", v) != 0
               ? -1
               : 0;
}

/* Runs a decoded request through the hall. */
static void s_handle(server_t *self, s_pending_t *p, int64_t now)
{
    if (self->stale) {
        p->wire.reply = hq_reply_refuse(&p->req, HQ_E_INTERNAL,
                                        "the daemon could not reload its state; try again");
        p->failed = 1;
        return;
    }
    /* The requests that read the roster see it as the file is now: the catalog (which says
     * whether there is one) and every request naming a clerk (a login, a staff member's). */
    if (p->req.type == HQ_REQ_CATALOG || p->req.clerk[0])
        s_refresh_roster(self);
    hall_handle(self->hall, &p->req, now, &p->result);
    /* Written now: the next request of the batch may change the tickets it shows. An issue's
     * reply and event are written as text at once (hall_wire_t.as_text), but for a caller
     * in this process (server_handle), which takes its reply as a tree. */
    p->wire.as_text = !p->reply_to;
    if (hall_wire_write(self->hall, &p->req, &p->result, now, &p->wire) != 0)
        p->result.oom = 1;
    else if (p->result.error.code == HQ_E_NONE && s_says_clock(self, p->req.type) &&
             s_clock_fields(self, p->wire.reply) != 0) {
        json_decref(p->wire.reply);
        p->wire.reply = hq_reply_refuse(&p->req, HQ_E_INTERNAL, "out of memory");
        p->result.error.code = HQ_E_INTERNAL;
    }
    p->failed = p->result.error.code != HQ_E_NONE || p->result.oom;
    p->mutating = hq_req_info(p->req.type)->changes && !p->failed &&
                  (p->result.ntickets || p->result.ncounters || p->result.nevents ||
                   p->result.tablet_counter);
}

/* Who sent a request, as far as budgets and roles go. */
typedef struct {
    const char *role;      /* the key's role now, "local" without keys; NULL: the key was removed */
    char key[64];          /* what its budget is kept under: the public key, or the connection */
    char name[72];         /* the key's name ("" without keys) */
    const hq_rate_t *rate; /* its budget */
} s_device_t;

/* The budget of a role ([limits] in the config). */
static const hq_rate_t *s_budget(const server_t *self, const char *role)
{
    cfg_limit_t which = CFG_LIMIT_DISPLAY; /* unknown roles may do nothing anyway */
    if (strcmp(role, "local") == 0)
        which = CFG_LIMIT_LOCAL;
    else if (strcmp(role, "kiosk") == 0)
        which = CFG_LIMIT_KIOSK;
    else if (strcmp(role, "manager") == 0)
        which = CFG_LIMIT_MANAGER;
    else if (strncmp(role, "counter:", 8) == 0)
        which = CFG_LIMIT_COUNTER;
    else if (strcmp(role, "web") == 0)
        which = CFG_LIMIT_WEB;
    return &self->cfg->limits[which];
}

static void s_cut_off(server_t *self);

/* Finds the sender of a request (`identity` its first frame, `last` its last) and spends one
 * request of its budget. With keys, the key is looked up in the allow-list as it stood when
 * the batch began (s_serve_batch looks at the key store first), not as it was when the device
 * connected. The milliseconds until the device may send again, 0 when it may now. What is done
 * here is done for every request of a flood, so nothing is formatted that only a log line
 * needs (s_device_label). */
static int64_t s_identify(server_t *self, zmq_msg_t *identity, zmq_msg_t *last, s_device_t *dev)
{
    memset(dev, 0, sizeof *dev);
    if (self->auth) {
        /* The ZAP handler put the key that passed the handshake into every message. */
        const char *key = zmq_msg_gets(last, "User-Id");
        const char *name = "";
        dev->role = auth_device(self->auth, key, &name);
        hq_strlcpy(dev->key, key ? key : "", sizeof dev->key);
        hq_strlcpy(dev->name, name, sizeof dev->name);
        if (!dev->role)
            return 0;
    } else {
        /* No keys: every local program is trusted, and each connection has its own budget
         * (a runaway program, not an adversary: that takes keys). */
        static const char hex[] = "0123456789abcdef";
        dev->role = "local";
        const unsigned char *id = zmq_msg_data(identity);
        size_t n = zmq_msg_size(identity);
        if (n > (sizeof dev->key - 1) / 2)
            n = (sizeof dev->key - 1) / 2;
        for (size_t i = 0; i < n; i++) {
            dev->key[2 * i] = hex[id[i] >> 4];
            dev->key[2 * i + 1] = hex[id[i] & 15];
        }
        dev->key[2 * n] = '\0';
    }
    dev->rate = s_budget(self, dev->role);
    int64_t wait = ratelimit_take(self->limits, dev->key, dev->rate, hq_monotonic_ms());
    return wait > 0 ? wait : 0; /* out of memory (-1): let it through rather than refuse all */
}

/* The device for the log: "device 'kiosk-1' (kiosk)", or "local connection 0080...". */
static void s_device_label(const s_device_t *dev, char *out, size_t outlen)
{
    if (strcmp(dev->role ? dev->role : "", "local") == 0)
        snprintf(out, outlen, "local connection %s", dev->key);
    else
        snprintf(out, outlen, "device '%s' (%s)", dev->name, dev->role ? dev->role : "removed");
}

/* Logs a device over its budget, once a minute of real time (the log is read by people,
 * whatever the hall's clock): how many of its requests were refused since, and how many of
 * those went unanswered. */
static void s_report_flood(server_t *self, const s_device_t *dev)
{
    int64_t now = hq_monotonic_ms();
    int64_t n = ratelimit_report(self->limits, dev->key, now, S_LIMIT_REPORT_MS);
    if (!n)
        return;
    int64_t dropped = ratelimit_report(self->refusals, dev->key, now, 0);
    char label[120], budget[48];
    s_device_label(dev, label, sizeof label);
    hq_rate_format(dev->rate, budget, sizeof budget);
    char unanswered[96] = "";
    if (dropped > 0)
        snprintf(unanswered, sizeof unanswered,
                 ", %lld of them unanswered: sent beyond %d refusals a second", (long long)dropped,
                 S_REFUSALS_SENT.per_min / 60);
    hq_warn("%s is over its request budget (%s): its excess requests are refused (%lld since "
            "this was last logged%s)",
            label, budget, (long long)n, unanswered);
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
    hall_wire_init(&p->wire);
    zmq_msg_init(&p->identity);
    zmq_msg_move(&p->identity, &frames[0]);
    s_device_t dev;
    int64_t wait_ms = s_identify(self, &p->identity, &frames[nframes - 1], &dev);
    if (wait_ms > 0 &&
        ratelimit_take(self->refusals, dev.key, &S_REFUSALS_SENT, hq_monotonic_ms()) > 0) {
        /* Told its retry-after a hundred times this second: dropped before it is decoded. */
        for (int i = 0; i < nframes; i++)
            zmq_msg_close(&frames[i]);
        p->failed = p->logged = p->over_budget = p->unanswered = 1;
        s_report_flood(self, &dev);
        return 1;
    }
    hq_error_t err = {HQ_E_NONE, "", 0};
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
    for (int i = 0; i < nframes; i++)
        zmq_msg_close(&frames[i]);
    if (!dev.role) {
        err.code = HQ_E_FORBIDDEN;
        snprintf(err.message, sizeof err.message,
                 "this device's key is not in the allow-list (it was removed)");
        rc = HQ_MALFORMED;
    } else if (wait_ms > 0) {
        /* Refused before anything else, however malformed. */
        char budget[48];
        hq_rate_format(dev.rate, budget, sizeof budget);
        err.code = HQ_E_RATE_LIMITED;
        snprintf(err.message, sizeof err.message,
                 "too many requests from this device (%s); try again in %lld.%lld s", budget,
                 (long long)((wait_ms + 99) / 1000), (long long)((wait_ms + 99) % 1000 / 100));
        rc = HQ_MALFORMED;
    } else if (rc == HQ_OK && self->auth) {
        char why[160];
        if (!role_allows(dev.role, &p->req, why, sizeof why)) {
            err.code = HQ_E_FORBIDDEN;
            hq_strlcpy(err.message, why, sizeof err.message);
            rc = HQ_MALFORMED;
        }
        /* Who asks, for the rules only the hall can check (where a ticket is, whose token). */
        p->req.origin_window = role_window(dev.role);
        hq_strlcpy(p->req.device, dev.name, sizeof p->req.device);
    }
    if (rc != HQ_OK) {
        p->wire.reply = hq_reply_refuse(&p->req, err.code, err.message);
        p->failed = 1;
        p->logged = 1;
        if (err.code == HQ_E_RATE_LIMITED) {
            p->over_budget = 1;
            json_t *e = json_object_get(p->wire.reply, "error");
            if (e)
                json_object_set_new(e, "retry_after_ms", json_integer(wait_ms));
            s_report_flood(self, &dev);
        } else {
            hq_log(err.code == HQ_E_FORBIDDEN ? HQ_LOG_WARN : HQ_LOG_INFO,
                   "request refused: %s: %s", hq_error_code_name(err.code), err.message);
        }
        return 1;
    }
    s_handle(self, p, now);
    return 1;
}

/* A batch is the requests read in one go, committed in one transaction: s_batch_begin, then
 * s_batch_add for each request the hall has handled, then s_batch_end. */
static void s_batch_begin(server_t *self, int64_t now)
{
    self->nbatch = 0;
    self->in_tx = self->failed = self->reload = 0;
    s_fresh(self, now);
}

/* Writes what the request in the next batch slot changed into the batch's transaction. */
static void s_batch_add(server_t *self, int64_t now)
{
    s_pending_t *p = &self->batch[self->nbatch++];
    if (p->result.oom) {
        /* Its change is half in memory and must not reach the disk; the requests before it
         * are committed, then memory is reloaded (s_batch_end) before the next one runs. */
        hq_error("%s: out of memory; the request was refused", hq_req_type_name(p->req.type));
        self->reload = 1;
    }
    if (!p->mutating || self->failed)
        return;
    if (!self->in_tx) {
        if (store_begin(self->store) != 0) {
            self->failed = 1;
            return;
        }
        self->in_tx = 1;
    }
    if (s_persist(self, &p->result, &p->wire, now) != 0)
        self->failed = 1;
}

/* Commits the batch (or undoes it in memory), publishes, replies. */
static void s_batch_end(server_t *self, int64_t now)
{
    if (self->in_tx && !self->failed && store_commit(self->store) != 0)
        self->failed = 1;
    if (self->failed) {
        /* Nothing of this batch reached the disk: undo it in memory and say so. */
        char why[200];
        snprintf(why, sizeof why, "the database refused the change (%s); nothing was changed",
                 store_errmsg(self->store));
        hq_error("%s", why);
        store_rollback(self->store);
        s_reload(self, now);
        for (int i = 0; i < self->nbatch; i++) {
            s_pending_t *p = &self->batch[i];
            if (p->failed)
                continue;
            json_decref(p->wire.reply);
            free(p->wire.reply_text);
            p->wire.reply_text = NULL;
            p->wire.reply = hq_reply_refuse(&p->req, HQ_E_STORE, why);
            p->failed = 1;
            p->mutating = 0;
        }
    } else if (self->reload) {
        s_reload(self, now);
    } else {
        hall_compact(self->hall); /* a ticket kept over midnight may have been finished */
    }
    /* Committed: reply, then publish. The reply goes to the one clerk or kiosk waiting for
     * it, the events to every screen in the hall, the waiting caller among them (the two
     * travel on different connections, so no order between them was ever promised). Replying
     * first puts the reply ahead of the events in ZeroMQ's I/O thread, instead of behind
     * every subscriber's copy. The log lines come last, off the path a waiting citizen and a
     * clerk measure. */
    for (int i = 0; i < self->nbatch; i++)
        s_send_reply(self, &self->batch[i]);
    for (int i = 0; i < self->nbatch; i++)
        if (self->batch[i].mutating)
            s_publish_events(self, &self->batch[i].result, &self->batch[i].wire);
    for (int i = 0; i < self->nbatch; i++) {
        s_pending_t *p = &self->batch[i];
        s_log_action(p);
        zmq_msg_close(&p->identity);
        hall_result_clear(&p->result);
        hall_wire_clear(&p->wire);
    }
    self->nbatch = 0;
}

static void s_serve_batch(server_t *self)
{
    int64_t now = hallclock_now(self->clock);
    s_batch_begin(self, now);
    /* A key removed or a role changed counts from this batch on: one look a batch, not one a
     * request of a flood. */
    if (self->auth && auth_refresh(self->auth, 0) > 0)
        s_cut_off(self);
    int over_budget = 0, unanswered = 0;
    /* A flooding device's requests are refused cheaply, but a batch is replied to only when it
     * ends: a few of them close the batch, so a request read beside them (ZeroMQ takes turns
     * between connections) waits for no more than those few. */
    while (self->nbatch < S_BATCH_MAX && !self->reload && over_budget < S_OVER_BUDGET_PER_BATCH) {
        s_pending_t *p = &self->batch[self->nbatch];
        int rc = s_read_request(self, p, now);
        if (rc <= 0) {
            if (rc < 0)
                hq_error("receiving a request failed: %s", zmq_strerror(zmq_errno()));
            break;
        }
        over_budget += p->over_budget;
        unanswered += p->unanswered;
        s_batch_add(self, now);
    }
    s_batch_end(self, now);
    if (unanswered) {
        /* A flood is read a couple of requests a batch, and the loop pauses after each such
         * batch: it reads about 4,000 of a flood's requests a second, whatever the flooder
         * sends. The rest wait in the flooder's own connection, which ZeroMQ stops reading
         * once that device's queue is full (its high-water mark): TCP holds the flood back,
         * and neither of hallqd's threads spends anything on it. The devices beside it wait
         * the pause at most, only while the flood lasts. */
        struct timespec pause = {0, S_FLOOD_PAUSE_US * 1000L};
        nanosleep(&pause, NULL);
    }
}

json_t *server_handle(server_t *self, const hq_request_t *req, int64_t now_ms)
{
    json_t *reply = NULL;
    s_batch_begin(self, now_ms);
    s_pending_t *p = &self->batch[0];
    memset(p, 0, sizeof *p);
    hall_result_init(&p->result);
    hall_wire_init(&p->wire);
    zmq_msg_init(&p->identity);
    p->req = *req;
    p->reply_to = &reply;
    s_handle(self, p, now_ms);
    s_batch_add(self, now_ms);
    s_batch_end(self, now_ms);
    return reply;
}

/* ---- timers -------------------------------------------------------------------------------- */
static void s_heartbeat(server_t *self, int64_t now)
{
    /* A certificate edited in place changes no directory: look at the files once a beat. */
    if (self->auth && auth_refresh(self->auth, 1) > 0)
        s_cut_off(self);
    char body[96];
    snprintf(body, sizeof body, "{\"seq\":%lld,\"ts_ms\":%lld}", (long long)hall_seq(self->hall),
             (long long)now);
    s_publish_text(self, "heartbeat", body);
}

static void s_check_day(server_t *self, int64_t now)
{
    if (!s_fresh(self, now))
        return;
    char day[HQ_DATE_TEXT_MAX];
    hq_date_format(hq_date_local(now), day);
    hall_result_t r;
    hall_result_init(&r);
    if (hall_rollover(self->hall, day, now, &r)) {
        if (s_commit_result(self, &r, now, NULL) == 0) {
            hq_info("business day %s: %d open ticket(s) of earlier days expired", day, r.expired);
            hall_compact(self->hall);
        }
    }
    hall_result_clear(&r);
}

/* Bookings nobody checked in by slot start + late_min become no-shows, one transaction and
 * one booking event each (at most a handful a minute in a real hall). */
static void s_booking_sweep(server_t *self, int64_t now)
{
    if (!s_fresh(self, now))
        return;
    for (int n = 0; n < 1000; n++) {
        hall_result_t r;
        hall_result_init(&r);
        int swept = hall_booking_sweep(self->hall, now, &r);
        int rc = swept ? s_commit_result(self, &r, now, NULL) : 0;
        const hq_booking_t *b = swept ? hall_booking(self->hall, r.booking) : NULL;
        if (swept && rc == 0 && b)
            hq_info("booking %s (%c, %s slot %02d:%02d) not checked in: no-show", b->code, b->queue,
                    b->day, b->slot / 60, b->slot % 60);
        hall_result_clear(&r);
        if (!swept || rc != 0)
            break;
    }
}

/* The [alerts] hook: an executable run for each alert raised or cleared, without waiting for
 * it (a slow notifier never holds the hall up). Its arguments: raised|cleared, the queue,
 * wait|handling, the figure and the target in whole minutes, the advice; the event's JSON in
 * $HALLQ_ALERT. Finished hooks are reaped at the next tick. */
static void s_run_hook(server_t *self, const hall_alert_t *a, const char *json)
{
    const char *hook = self->cfg->alerts.hook;
    if (!hook[0])
        return;
    char queue[2] = {a->queue, 0}, value[24], target[24], env_alert[2048];
    snprintf(value, sizeof value, "%lld", (long long)(a->value_ms / 60000));
    snprintf(target, sizeof target, "%lld", (long long)(a->target_ms / 60000));
    snprintf(env_alert, sizeof env_alert, "HALLQ_ALERT=%s", json ? json : "{}");
    char *argv[] = {(char *)hook,
                    (char *)(a->raised ? "raised" : "cleared"),
                    queue,
                    (char *)(a->kind == HALL_ALERT_WAIT ? "wait" : "handling"),
                    value,
                    target,
                    (char *)a->advice,
                    NULL};
    char *envp[] = {env_alert, "PATH=/usr/local/bin:/usr/bin:/bin", NULL};
    /* Everything is made before the fork: the child only execs (or exits at once). */
    pid_t pid = fork();
    if (pid == 0) {
        execve(hook, argv, envp);
        _exit(127);
    }
    if (pid < 0)
        hq_warn("alert hook %s could not be run: %s", hook, strerror(errno));
}

/* Queue alerts raised or cleared (hall_alert_tick), one transaction and one event each; the
 * hook hears of each one committed. */
static void s_alerts(server_t *self, int64_t now)
{
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ; /* hooks that finished */
    if (!s_fresh(self, now))
        return;
    for (int n = 0; n < 2 * HQ_QUEUES_MAX * HALL_ALERT_KINDS; n++) {
        hall_result_t r;
        hall_result_init(&r);
        int changed = hall_alert_tick(self->hall, now, &r);
        hall_alert_t a = r.alert;
        int rc = changed ? s_commit_result(self, &r, now, NULL) : 0;
        if (changed && rc == 0) {
            hq_log(a.raised ? HQ_LOG_WARN : HQ_LOG_INFO,
                   "alert %s: queue %c %s %lld min (target %lld min), advice %s",
                   a.raised ? "raised" : "cleared", a.queue,
                   a.kind == HALL_ALERT_WAIT ? "longest wait" : "mean handling",
                   (long long)(a.value_ms / 60000), (long long)(a.target_ms / 60000), a.advice);
            s_run_hook(self, &a, self->last_alert_json);
        }
        hall_result_clear(&r);
        if (!changed || rc != 0)
            break;
    }
}

static void s_metric(server_t *self, int64_t now)
{
    if (!s_fresh(self, now))
        return;
    hall_result_t r;
    hall_result_init(&r);
    hall_metric_tick(self->hall, &r);
    json_t *rows = hall_wire_metric_rows(self->hall);
    if (!rows)
        r.oom = 1;
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
static void *s_bind(server_t *self, int type, const char *endpoint, const char *what, char *bound,
                    size_t n, char *why, size_t whylen)
{
    void *sock = zmq_socket(self->ctx, type);
    if (!sock) {
        snprintf(why, whylen, "cannot create a socket: %s", zmq_strerror(zmq_errno()));
        return NULL;
    }
    int linger = 0;
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
    if (self->auth && auth_apply(self->auth, sock, what) != 0) {
        snprintf(why, whylen, "cannot enable CURVE on %s: %s", endpoint, zmq_strerror(zmq_errno()));
        zmq_close(sock);
        return NULL;
    }
    if (type == ZMQ_ROUTER) {
        int64_t maxmsg = HQ_MAX_FRAME_BYTES;
        zmq_setsockopt(sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    } else {
        int hwm = S_EVENT_HWM;
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

/* A device lost its key: its request connection is refused at every request, but the event
 * socket cannot drop one subscriber, so it is closed and bound again in its place. Every
 * subscriber reconnects (a new handshake, which the removed key fails); the others notice the
 * events they missed meanwhile by their sequence numbers and take a snapshot. */
static void s_cut_off(server_t *self)
{
    if (!self->pub)
        return;
    zmq_close(self->pub);
    self->pub = NULL;
    char why[300], bound[256];
    /* libzmq closes the old socket in its own thread: its port is free a moment later. */
    for (int attempt = 0; attempt < 200 && !self->pub; attempt++) {
        self->pub = s_bind(self, ZMQ_PUB, self->event_bound, "events", bound, sizeof bound, why,
                           sizeof why);
        if (!self->pub)
            zclock_sleep(5);
    }
    if (self->pub)
        hq_info("event connections closed and %s bound again: every display reconnects",
                self->event_bound);
    else
        hq_error("cannot bind %s again after closing it (%s): no events are published until "
                 "hallqd is restarted",
                 self->event_bound, why);
}

/* Local date and time of an instant, to the second, for a message. */
static const char *s_local(int64_t ms, char *out, size_t n)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&s, &tm) || !strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(out, n, "%lld ms", (long long)ms);
    return out;
}

/* A data folder holds one kind of days (store_clock): the system's clock starts on any but a
 * simulated hall's; a simulated one on an empty folder, which it marks, or on a simulated
 * hall's whose records all come before its start. */
static int s_check_clock(server_t *self, const server_clock_t *sim, char *why, size_t whylen)
{
    const char *path = store_path(self->store);
    store_clock_t kind;
    int64_t latest;
    if (store_clock(self->store, &kind, sim ? &latest : NULL, why, whylen) != 0)
        return -1;
    if (!sim)
        return kind != STORE_CLOCK_SIMULATED
                   ? 0
                   : hq_fail(why, whylen,
                             "%s holds a simulated hall's days (hallqd --simulate): a real hall "
                             "needs a data folder of its own",
                             path);
    if (kind == STORE_CLOCK_REAL)
        return hq_fail(why, whylen,
                       "%s holds a real hall's days: a simulated clock needs a data folder of "
                       "its own, or its days would mix into the hall's statistics",
                       path);
    if (latest > sim->start_ms) {
        char start[32], last[32];
        return hq_fail(why, whylen,
                       "the simulated clock would start at %s, before the latest time %s "
                       "recorded (%s): start after it, or in an empty data folder",
                       s_local(sim->start_ms, start, sizeof start), path,
                       s_local(latest, last, sizeof last));
    }
    if (kind == STORE_CLOCK_EMPTY && store_mark_simulated(self->store) != 0)
        return hq_fail(why, whylen, "%s: cannot mark it simulated: %s", path,
                       store_errmsg(self->store));
    return 0;
}

/* server_new, server_new_at and server_new_simulated: `at` NULL starts at the daemon's clock,
 * `sim` NULL is the system's. */
static server_t *s_new(const hallq_config_t *cfg, const char *data_dir, const int64_t *at,
                       const server_clock_t *sim, char *why, size_t whylen)
{
    server_t *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    self->cfg = cfg;
    self->clock =
        sim ? hallclock_new_simulated(sim->start_ms, sim->speed, NULL, NULL) : hallclock_new();
    if (!self->clock) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    int64_t now = at ? *at : hallclock_now(self->clock);
    self->store = store_open(data_dir, cfg->sync_full, why, whylen);
    if (!self->store || s_check_clock(self, sim, why, whylen) != 0)
        goto fail;
    if (sim) {
        char start[32];
        hq_warn("SIMULATED CLOCK: the hall's time started at %s and runs %gx as fast as real "
                "time; every time this hall records is simulated (simulation and training "
                "only, never a real hall)",
                s_local(sim->start_ms, start, sizeof start), sim->speed);
    }
    self->hall = hall_new(cfg);
    char roster[1100];
    snprintf(roster, sizeof roster, "%s/%s", data_dir, ROSTER_FILE);
    self->roster = roster_new(roster);
    if (!self->hall || !self->roster) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    /* An unsafe roster stops the start, as an unsafe key store does. */
    if (roster_refresh(self->roster, why, whylen) < 0)
        goto fail;
    hall_set_roster(self->hall, self->roster);
    uint8_t web_key[WEBTOKEN_KEY_BYTES];
    if (webtoken_key_load(data_dir, web_key, why, whylen) != 0)
        goto fail;
    hall_set_web_key(self->hall, web_key, sizeof web_key);
    sodium_memzero(web_key, sizeof web_key);
    if (roster_count(self->roster))
        hq_info("clerk roster %s: %zu clerk(s), logins need their PIN", roster,
                roster_count(self->roster));
    char day[HQ_DATE_TEXT_MAX];
    hq_date_format(hq_date_local(now), day);
    if (store_load(self->store, self->hall, day) != 0) {
        snprintf(why, whylen, "cannot read %s: %s", store_path(self->store),
                 store_errmsg(self->store));
        goto fail;
    }
    /* Started while the system clock is behind what the store recorded: carry on from that. */
    hallclock_keep_after(self->clock, hall_latest_ms(self->hall));
    if (!at)
        now = hallclock_now(self->clock);
    /* The configuration in force from now on, for the statistics of the days it governs. */
    char *record = config_record_text(cfg);
    int recorded = record ? store_put_config(self->store, now, day, record, why, whylen)
                          : hq_fail(why, whylen, "out of memory");
    free(record);
    if (recorded < 0)
        goto fail;
    if (recorded)
        hq_info("configuration recorded: in force from business day %s", day);
    /* czmq's context: zauth answers the handshakes there, so the sockets live there too. Its
     * own log lines (zauth's, at debug level) join ours on stderr. */
    self->ctx = zsys_init();
    if (!self->ctx) {
        snprintf(why, whylen, "cannot start ZeroMQ: %s", zmq_strerror(zmq_errno()));
        goto fail;
    }
    zsys_set_logstream(stderr);
    if (cfg->keys_dir[0]) {
        self->auth = auth_new(cfg->keys_dir, why, whylen);
        if (!self->auth)
            goto fail;
        hq_info("CURVE on: %zu device key(s) allowed in %s/clients", auth_check_allowed(self->auth),
                cfg->keys_dir);
    } else if (!config_endpoint_loopback(cfg->request_endpoint) ||
               !config_endpoint_loopback(cfg->event_endpoint)) {
        snprintf(why, whylen,
                 "refusing to listen beyond loopback without keys: set [security] keys "
                 "(see hallqctl keys --help)");
        goto fail;
    } else {
        hq_info("no keys configured: listening on loopback only, every local program may act");
    }
    self->limits = ratelimit_new(S_LIMIT_DEVICES);
    self->refusals = ratelimit_new(S_LIMIT_DEVICES);
    if (!self->limits || !self->refusals) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    char req_bound[256];
    /* Bind events first: a client that gets a reply can already be subscribed. */
    self->pub = s_bind(self, ZMQ_PUB, cfg->event_endpoint, "events", self->event_bound,
                       sizeof self->event_bound, why, whylen);
    if (!self->pub)
        goto fail;
    self->router = s_bind(self, ZMQ_ROUTER, cfg->request_endpoint, "requests", req_bound,
                          sizeof req_bound, why, whylen);
    if (!self->router)
        goto fail;
    s_check_day(self, now);
    /* Bookings whose check-in closed while the daemon was down are no-shows from the start. */
    s_booking_sweep(self, now);
    size_t open = 0;
    for (int i = 0; i < cfg->ncounters; i++) {
        const hq_counter_t *c = hall_counter(self->hall, cfg->counters[i].id);
        open += c && c->state != HQ_C_CLOSED;
    }
    hq_info("hallqd %s: day %s, %zu ticket(s) in memory, %zu of %d counter(s) open, last event "
            "%lld, data %s",
            HALLQ_VERSION, hall_day(self->hall), hall_ticket_count(self->hall), open,
            cfg->ncounters, (long long)hall_seq(self->hall), store_path(self->store));
    hq_info("listening requests=%s events=%s", req_bound, self->event_bound);
    return self;
fail:
    server_destroy(&self);
    return NULL;
}

server_t *server_new(const hallq_config_t *cfg, const char *data_dir, char *why, size_t whylen)
{
    return s_new(cfg, data_dir, NULL, NULL, why, whylen);
}

server_t *server_new_simulated(const hallq_config_t *cfg, const char *data_dir,
                               const server_clock_t *clock, char *why, size_t whylen)
{
    return s_new(cfg, data_dir, NULL, clock, why, whylen);
}

server_t *server_new_at(const hallq_config_t *cfg, const char *data_dir, int64_t now_ms, char *why,
                        size_t whylen)
{
    return s_new(cfg, data_dir, &now_ms, NULL, why, whylen);
}

void server_check_day(server_t *self, int64_t now_ms)
{
    s_check_day(self, now_ms);
}

void server_log_metric(server_t *self, int64_t now_ms)
{
    s_metric(self, now_ms);
}

void server_watch_events(server_t *self, server_event_fn *fn, void *arg)
{
    self->on_event = fn;
    self->on_event_arg = arg;
}

hall_t *server_hall(server_t *self)
{
    return self->hall;
}

store_t *server_store(server_t *self)
{
    return self->store;
}

void server_destroy(server_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    server_t *self = *self_p;
    /* Shutdown order: stop taking requests, flush the metric log, close the database, then
     * the remaining sockets, and the handshakes last: a CURVE socket whose ZAP handler is gone
     * lets any key in. */
    if (self->router)
        zmq_close(self->router);
    if (self->store && self->hall && self->pub)
        s_metric(self, hallclock_now(self->clock));
    store_close(&self->store);
    if (self->pub)
        zmq_close(self->pub);
    auth_destroy(&self->auth);
    ratelimit_destroy(&self->limits);
    ratelimit_destroy(&self->refusals);
    hall_destroy(&self->hall);
    hallclock_destroy(&self->clock);
    roster_destroy(&self->roster);
    free(self);
    *self_p = NULL;
}

/* ---- the loop ------------------------------------------------------------------------------ */
static int s_on_requests(zloop_t *loop, zmq_pollitem_t *item, void *arg)
{
    (void)loop;
    (void)item;
    s_serve_batch(arg);
    return 0;
}

/* A periodic job of the loop: heartbeat, day check, metric. */
typedef struct {
    void (*run)(server_t *self, int64_t now);
    size_t every_ms; /* of real time; of the hall's when hall_time */
    int hall_time;   /* follows the hall's clock (see s_job_period) */
    server_t *server;
} s_job_t;

/* The real period of a job. The day check and the metric follow the hall's time: on a
 * simulated clock they run `speed` times as often (a millisecond apart at least), so the
 * rollover comes at the hall's midnight, a second of its time late at most (a millisecond of
 * real time above 1000x), and a metric entry every metric_interval_s of its time. The
 * heartbeat is for liveness, judged in real time. */
static size_t s_job_period(const server_t *self, const s_job_t *job)
{
    if (!job->hall_time)
        return job->every_ms;
    double ms = round((double)job->every_ms / hallclock_speed(self->clock));
    return ms < 1 ? 1 : (size_t)ms;
}

static int s_on_job(zloop_t *loop, int timer_id, void *arg)
{
    (void)loop;
    (void)timer_id;
    const s_job_t *job = arg;
    job->run(job->server, hallclock_now(job->server->clock));
    return 0;
}

/* A signal interrupts the poll and ends zloop_start at once; this catches one that arrived
 * while a batch or a timer was being served. */
static int s_on_stop_check(zloop_t *loop, int timer_id, void *arg)
{
    (void)loop;
    (void)timer_id;
    const server_t *self = arg;
    return *self->stop ? -1 : 0;
}

int server_run(server_t *self, const volatile sig_atomic_t *stop)
{
    self->stop = stop;
    zloop_t *loop = zloop_new();
    zmq_pollitem_t requests = {self->router, 0, ZMQ_POLLIN, 0};
    s_job_t jobs[] = {{s_heartbeat, (size_t)self->cfg->heartbeat_ms, 0, self},
                      {s_check_day, S_DAY_CHECK_MS, 1, self},
                      {s_booking_sweep, S_DAY_CHECK_MS, 1, self},
                      {s_alerts, S_DAY_CHECK_MS, 1, self},
                      {s_metric, (size_t)self->cfg->metric_interval_s * 1000, 1, self}};
    int ok = loop && zloop_poller(loop, &requests, s_on_requests, self) == 0 &&
             zloop_timer(loop, S_STOP_CHECK_MS, 0, s_on_stop_check, self) >= 0 &&
             (!self->auth || auth_attach(self->auth, loop) == 0);
    for (size_t i = 0; ok && i < sizeof jobs / sizeof jobs[0]; i++)
        ok = zloop_timer(loop, s_job_period(self, &jobs[i]), 0, s_on_job, &jobs[i]) >= 0;
    if (!ok) {
        hq_error("cannot set up the event loop (out of memory)");
        zloop_destroy(&loop);
        return -1;
    }
    s_heartbeat(self, hallclock_now(self->clock));
    /* zloop_start returns 0 when its poll fails (a signal: EINTR), -1 when a handler ends it. */
    int failed = 0;
    while (!*stop && !failed)
        failed = zloop_start(loop) != 0 || zmq_errno() != EINTR;
    zloop_destroy(&loop);
    if (failed && !*stop) {
        hq_error("the event loop failed: %s", zmq_strerror(zmq_errno()));
        return -1;
    }
    hq_info("stopping on signal");
    return 0;
}
