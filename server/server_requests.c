/* A request to hallqd from its arrival to its reply: who sent it and what it may spend (the
 * device behind it, its budget, its refusals when it floods), reading and decoding it,
 * checking it against the sender's role, and running it through the hall. The batch it joins
 * is server.c's. */
#include "server_int.h"

#include "hq_log.h"
#include "roles.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define S_LIMIT_REPORT_MS 60000 /* a device over its budget is logged once a minute */
/* The refusals a device over its budget is sent, at most: 100 at once, then 100 a second. A
 * device that sends beyond that has been told its retry-after many times over, and the rest
 * of its excess is dropped unanswered: a refusal sent costs the loop and ZeroMQ's I/O thread
 * three times what one read and dropped does, a flood's cost to the devices beside it. */
static const hq_rate_t S_REFUSALS_SENT = {6000, 100};

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
void server_handle_pending(server_t *self, server_pending_t *p, int64_t now)
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

/* Finds the sender of a request (`identity` its first frame, `last` its last) and spends one
 * request of its budget. With keys, the key is looked up in the allow-list as it stood when
 * the batch began (server.c's s_serve_batch looks at the key store first), not as it was when
 * the device connected. The milliseconds until the device may send again, 0 when it may now.
 * What is done here is done for every request of a flood, so nothing is formatted that only a
 * log line needs (s_device_label). */
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
int server_read_request(server_t *self, server_pending_t *p, int64_t now)
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
    server_handle_pending(self, p, now);
    return 1;
}
