/* hallqd's server: the request loop. Each time requests wait, a batch of them is read
 * (server_requests.c), run through the hall and committed in one transaction; then come the
 * replies and the events. The loop also runs the periodic jobs (server_jobs.c); making the
 * server and binding its sockets are in server_lifecycle.c. */
#include "server_int.h"

#include "hq_date.h"
#include "hq_log.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_DAY_CHECK_MS 1000       /* how late the business day may turn (of the hall's time) */
#define S_STOP_CHECK_MS 100       /* a signal that came between two polls waits this long at most */
#define S_OVER_BUDGET_PER_BATCH 2 /* rate_limited requests that end a batch (s_serve_batch) */
#define S_FLOOD_PAUSE_US 500 /* the loop's pause after a batch that dropped requests unanswered */

/* ---- publishing ------------------------------------------------------------------------- */
void server_publish_text(server_t *self, const char *topic, const char *body)
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
            server_publish_text(self, hq_event_type_name(r->events[i].type), w->texts[i]);
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
int server_fresh(server_t *self, int64_t now)
{
    return !self->stale || s_reload(self, now) == 0;
}

/* Runs a self-contained change (rollover, metric) in its own transaction and publishes it. */
int server_commit_result(server_t *self, const hall_result_t *r, int64_t now, const json_t *metric)
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

/* ---- replies ------------------------------------------------------------------------------- */
/* What a caller gets when not even its error reply could be built. */
static const char s_no_memory_reply[] =
    "{\"v\":1,\"ok\":false,\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";

static void s_send_reply(server_t *self, server_pending_t *p)
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

static void s_log_action(const server_pending_t *p)
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

/* A batch is the requests read in one go, committed in one transaction: s_batch_begin, then
 * s_batch_add for each request the hall has handled, then s_batch_end. */
static void s_batch_begin(server_t *self, int64_t now)
{
    self->nbatch = 0;
    self->in_tx = self->failed = self->reload = 0;
    server_fresh(self, now);
}

/* Writes what the request in the next batch slot changed into the batch's transaction. */
static void s_batch_add(server_t *self, int64_t now)
{
    server_pending_t *p = &self->batch[self->nbatch++];
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
            server_pending_t *p = &self->batch[i];
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
        server_pending_t *p = &self->batch[i];
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
        server_cut_off(self);
    int over_budget = 0, unanswered = 0;
    /* A flooding device's requests are refused cheaply, but a batch is replied to only when it
     * ends: a few of them close the batch, so a request read beside them (ZeroMQ takes turns
     * between connections) waits for no more than those few. */
    while (self->nbatch < SERVER_BATCH_MAX && !self->reload &&
           over_budget < S_OVER_BUDGET_PER_BATCH) {
        server_pending_t *p = &self->batch[self->nbatch];
        int rc = server_read_request(self, p, now);
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
    server_pending_t *p = &self->batch[0];
    memset(p, 0, sizeof *p);
    hall_result_init(&p->result);
    hall_wire_init(&p->wire);
    zmq_msg_init(&p->identity);
    p->req = *req;
    p->reply_to = &reply;
    server_handle_pending(self, p, now_ms);
    s_batch_add(self, now_ms);
    s_batch_end(self, now_ms);
    return reply;
}

/* ---- the loop ------------------------------------------------------------------------------ */
static int s_on_requests(zloop_t *loop, zmq_pollitem_t *item, void *arg)
{
    (void)loop;
    (void)item;
    s_serve_batch(arg);
    return 0;
}

/* A periodic job of the loop (server_jobs.c): heartbeat, day check, booking sweep, alerts,
 * metric. */
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
    s_job_t jobs[] = {{server_heartbeat, (size_t)self->cfg->heartbeat_ms, 0, self},
                      {server_check_day, S_DAY_CHECK_MS, 1, self},
                      {server_booking_sweep, S_DAY_CHECK_MS, 1, self},
                      {server_alerts, S_DAY_CHECK_MS, 1, self},
                      {server_log_metric, (size_t)self->cfg->metric_interval_s * 1000, 1, self}};
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
    server_heartbeat(self, hallclock_now(self->clock));
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
