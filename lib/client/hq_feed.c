#include "hq_feed.h"

#include "hq_client.h"
#include "hq_log.h"
#include "hq_loop.h"
#include "hq_security.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

/* How long a snapshot request may take before it is asked again: 1 s, doubling while the
 * daemon stays silent (so hundreds of displays do not hammer a daemon that is starting or
 * busy), back to 1 s once a snapshot arrives. */
#define S_RETRY_MS 1000
#define S_RETRY_MAX_MS 8000

struct hq_feed {
    void *sub;            /* SUB socket, subscribed to everything */
    hq_client_t *client;  /* snapshot requests */
    hq_mirror_t *mirror;  /* the model kept in step (not owned) */
    hq_feed_event_fn *fn; /* optional per-event handler */
    void *arg;
    int64_t asked_ms; /* when the outstanding snapshot request went out, 0 none */
    int64_t retry_ms; /* current wait before asking again */
    /* Driven by a reactor (hq_feed_attach) instead of hq_feed_poll: */
    zloop_t *loop;          /* the reactor, NULL none */
    hq_alarm_t alarm;       /* the next snapshot request or silence check */
    hq_feed_turn_fn *after; /* called at the end of each turn */
    void *after_arg;
};

hq_feed_t *hq_feed_new(const char *request_endpoint, const char *event_endpoint,
                       hq_mirror_t *mirror)
{
    hq_feed_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->mirror = mirror;
    self->sub = zmq_socket(hq_zmq_context(), ZMQ_SUB);
    int linger = 0;
    int64_t maxmsg = HQ_MAX_REPLY_BYTES;
    if (self->sub) {
        zmq_setsockopt(self->sub, ZMQ_LINGER, &linger, sizeof linger);
        zmq_setsockopt(self->sub, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
        zmq_setsockopt(self->sub, ZMQ_SUBSCRIBE, "", 0);
    }
    hq_error_t err;
    if (self->sub && hq_security_client(self->sub, &err) != 0) {
        hq_error("%s", err.message);
        goto fail;
    }
    /* Subscribe before the first snapshot, so nothing falls between the two. */
    if (!self->sub || zmq_connect(self->sub, event_endpoint) != 0) {
        hq_error("cannot subscribe to %s: %s", event_endpoint, zmq_strerror(zmq_errno()));
        goto fail;
    }
    self->client = hq_client_new(request_endpoint, S_RETRY_MS);
    if (!self->client) {
        hq_error("cannot connect to %s: %s", request_endpoint, zmq_strerror(zmq_errno()));
        goto fail;
    }
    self->retry_ms = S_RETRY_MS;
    hq_mirror_want_snapshot(mirror);
    return self;
fail:
    hq_feed_destroy(&self);
    return NULL;
}

void hq_feed_destroy(hq_feed_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    hq_feed_t *self = *self_p;
    hq_feed_attach(self, NULL, NULL, NULL);
    if (self->sub)
        zmq_close(self->sub);
    hq_client_destroy(&self->client);
    free(self);
    *self_p = NULL;
}

void hq_feed_set_handler(hq_feed_t *self, hq_feed_event_fn *fn, void *arg)
{
    self->fn = fn;
    self->arg = arg;
}

void hq_feed_resync(hq_feed_t *self)
{
    hq_mirror_want_snapshot(self->mirror);
    self->asked_ms = 0;
    if (self->loop)
        hq_alarm_at(&self->alarm, hq_monotonic_ms()); /* ask on the loop's next turn */
}

static void s_ask(hq_feed_t *self, int64_t now)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_SNAPSHOT);
    hq_error_t err;
    if (self->asked_ms && self->retry_ms < S_RETRY_MAX_MS)
        self->retry_ms *= 2; /* the last request went unanswered */
    if (hq_client_send(self->client, &req, &err) == 0)
        self->asked_ms = now;
    else
        hq_debug("snapshot request: %s", err.message);
}

static int s_read_event(hq_feed_t *self, int64_t now)
{
    char topic[32];
    int n = zmq_recv(self->sub, topic, sizeof topic - 1, ZMQ_DONTWAIT);
    if (n < 0)
        return zmq_errno() == EAGAIN ? 0 : -1;
    topic[n < (int)sizeof topic - 1 ? n : (int)sizeof topic - 1] = '\0';
    int more = 0;
    size_t sz = sizeof more;
    zmq_getsockopt(self->sub, ZMQ_RCVMORE, &more, &sz);
    if (!more)
        return 1; /* malformed event (one frame): skip */
    zmq_msg_t body;
    zmq_msg_init(&body);
    if (zmq_msg_recv(&body, self->sub, 0) < 0) {
        zmq_msg_close(&body);
        return -1;
    }
    /* Drain any unexpected extra frames. */
    while (zmq_msg_more(&body)) {
        zmq_msg_t extra;
        zmq_msg_init(&extra);
        zmq_msg_recv(&extra, self->sub, 0);
        int again = zmq_msg_more(&extra);
        zmq_msg_close(&extra);
        if (!again)
            break;
    }
    hq_event_t ev;
    int rc = hq_event_decode(topic, zmq_msg_data(&body), zmq_msg_size(&body), &ev);
    zmq_msg_close(&body);
    if (rc != HQ_OK) {
        hq_debug("dropped a malformed '%s' event", topic);
        return 1;
    }
    /* Hearing the daemon while waiting for a snapshot means it is back: stop backing off. */
    if (self->mirror->state != HQ_SYNC_ACTIVE && self->retry_ms > S_RETRY_MS) {
        self->retry_ms = S_RETRY_MS;
        if (self->asked_ms && now - self->asked_ms > S_RETRY_MS)
            self->asked_ms = 0;
    }
    hq_apply_t result = hq_mirror_apply(self->mirror, &ev, now);
    if (result == HQ_APPLY_GAP || result == HQ_APPLY_RESYNC) {
        hq_debug("event %lld (%s): %s, asking for a snapshot", (long long)ev.seq, topic,
                 result == HQ_APPLY_GAP ? "gap" : "new day");
        self->asked_ms = 0;
    }
    if (self->fn)
        self->fn(self->arg, &ev, result);
    hq_event_clear(&ev);
    return 1;
}

/* Reads what arrived on the SUB socket (up to a bound, so a flood cannot starve the
 * rest). 0 ok, -1 on a socket failure. */
static int s_read_events(hq_feed_t *self)
{
    for (int i = 0; i < 1000; i++) {
        int rc = s_read_event(self, hq_monotonic_ms());
        if (rc <= 0)
            return rc;
    }
    return 0;
}

static void s_read_snapshot(hq_feed_t *self)
{
    hq_reply_t reply;
    if (hq_client_receive(self->client, &reply) != 1)
        return;
    self->asked_ms = 0;
    self->retry_ms = S_RETRY_MS;
    if (reply.ok && hq_mirror_load_snapshot(self->mirror, reply.body, hq_monotonic_ms()) != HQ_OK)
        hq_warn("dropped a malformed snapshot");
    hq_reply_clear(&reply);
}

static int s_syncing(const hq_feed_t *self)
{
    return self->mirror->state != HQ_SYNC_ACTIVE;
}

/* Asks for a snapshot when one is needed and the last request has had its time. */
static void s_ask_if_due(hq_feed_t *self, int64_t now)
{
    if (s_syncing(self) && (self->asked_ms == 0 || now - self->asked_ms > self->retry_ms))
        s_ask(self, now);
}

int hq_feed_poll(hq_feed_t *self, int fd, int timeout_ms)
{
    int64_t start = hq_monotonic_ms();
    int64_t changes = self->mirror->changes;
    int result = 0;
    for (;;) {
        int64_t now = hq_monotonic_ms();
        s_ask_if_due(self, now);

        zmq_pollitem_t items[3] = {{self->sub, 0, ZMQ_POLLIN, 0},
                                   {hq_client_socket(self->client), 0, ZMQ_POLLIN, 0},
                                   {NULL, fd, ZMQ_POLLIN, 0}};
        int nitems = fd >= 0 ? 3 : 2;
        long wait = timeout_ms - (long)(now - start);
        if (wait < 0)
            wait = 0;
        if (s_syncing(self) && wait > S_RETRY_MS)
            wait = S_RETRY_MS;
        if (self->mirror->changes != changes)
            wait = 0; /* report what changed without delay */
        int n = zmq_poll(items, nitems, wait);
        if (n < 0 && zmq_errno() != EINTR)
            return -1;
        if (n > 0 && (items[0].revents & ZMQ_POLLIN) && s_read_events(self) < 0)
            return -1;
        if (n > 0 && (items[1].revents & ZMQ_POLLIN))
            s_read_snapshot(self);
        /* Silence is judged after draining what arrived: a client that was busy for a
         * moment must not call a talking daemon offline. */
        hq_mirror_tick(self->mirror, hq_monotonic_ms());
        if (nitems == 3 && n > 0 && (items[2].revents & ZMQ_POLLIN))
            result |= HQ_FEED_FD;
        if (self->mirror->changes != changes)
            result |= HQ_FEED_CHANGED;
        if (result || hq_monotonic_ms() - start >= timeout_ms)
            return result;
    }
}

/* ---- driven by a reactor ----------------------------------------------------------------- */

/* The end of every turn: ask if due, judge silence, set the alarm for the next of the two,
 * let the program look. */
static int s_turn(hq_feed_t *self)
{
    int64_t now = hq_monotonic_ms();
    s_ask_if_due(self, now);
    hq_mirror_tick(self->mirror, now);
    int64_t due = INT64_MAX;
    if (s_syncing(self)) /* asked_ms is still 0 when the request could not be sent */
        due = self->asked_ms ? self->asked_ms + self->retry_ms + 1 : now + S_RETRY_MS;
    if (self->mirror->state != HQ_SYNC_OFFLINE && self->mirror->heard_ms > 0 &&
        self->mirror->heard_ms + self->mirror->silence_ms + 1 < due)
        due = self->mirror->heard_ms + self->mirror->silence_ms + 1;
    if (due != INT64_MAX)
        hq_alarm_at(&self->alarm, due);
    else
        hq_alarm_cancel(&self->alarm);
    return self->after ? self->after(self->after_arg) : 0;
}

static int s_on_events(zloop_t *loop, zmq_pollitem_t *item, void *arg)
{
    (void)loop;
    (void)item;
    hq_feed_t *self = arg;
    if (s_read_events(self) < 0)
        hq_warn("event socket failed: %s", zmq_strerror(zmq_errno()));
    return s_turn(self);
}

static int s_on_snapshot(zloop_t *loop, zmq_pollitem_t *item, void *arg)
{
    (void)loop;
    (void)item;
    hq_feed_t *self = arg;
    s_read_snapshot(self);
    return s_turn(self);
}

static int s_on_alarm(zloop_t *loop, int timer_id, void *arg)
{
    (void)loop;
    (void)timer_id;
    return s_turn(arg);
}

int hq_feed_attach(hq_feed_t *self, struct _zloop_t *loop, hq_feed_turn_fn *after, void *arg)
{
    if (self->loop) {
        zmq_pollitem_t item = {self->sub, 0, ZMQ_POLLIN, 0};
        zloop_poller_end(self->loop, &item);
        hq_alarm_cancel(&self->alarm);
        hq_client_watch(self->client, NULL, NULL, NULL);
    }
    self->loop = loop;
    if (!loop)
        return 0;
    self->after = after;
    self->after_arg = arg;
    hq_alarm_init(&self->alarm, loop, s_on_alarm, self);
    zmq_pollitem_t item = {self->sub, 0, ZMQ_POLLIN, 0};
    if (zloop_poller(loop, &item, s_on_events, self) != 0 ||
        hq_client_watch(self->client, loop, s_on_snapshot, self) != 0)
        return -1;
    hq_alarm_at(&self->alarm, hq_monotonic_ms()); /* the first turn asks for a snapshot */
    return 0;
}
