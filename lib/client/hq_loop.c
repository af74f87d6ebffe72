#include "hq_loop.h"

#include "hq_client.h"
#include "hq_feed.h"
#include "hq_log.h"
#include "hq_proto.h"

#include <errno.h>

zloop_t *hq_loop_new(void)
{
    /* zloop_new runs zsys_init, which would otherwise take SIGINT and SIGTERM for czmq's
     * zsys_interrupted: the program's own handler (hq_signals) and its stop flag would never
     * hear of them, and an interrupted zloop would stay interrupted for good. */
    zsys_handler_set(NULL);
    return zloop_new();
}

int hq_loop_run(zloop_t *loop, volatile sig_atomic_t *stop, hq_loop_woken_fn *woken, void *arg)
{
    while (!*stop) {
        errno = 0;
        int rc = zloop_start(loop);
        if (rc == -1)
            return 0; /* a handler ended it */
        if (*stop)
            break;
        if (errno != EINTR)
            return -1; /* zmq_poll failed: a closed socket or a broken context */
        if (woken && woken(arg) == -1)
            break;
    }
    return 0;
}

static int s_fired(zloop_t *loop, int timer_id, void *arg)
{
    hq_alarm_t *self = arg;
    /* zloop_timer_end only takes a timer out at the end of the loop's turn: one moved in
     * this turn may still go off once. */
    if (timer_id != self->id)
        return 0;
    self->id = 0;
    self->due = 0;
    return self->fn(loop, timer_id, self->arg);
}

void hq_alarm_init(hq_alarm_t *self, zloop_t *loop, zloop_timer_fn *fn, void *arg)
{
    self->loop = loop;
    self->fn = fn;
    self->arg = arg;
    self->id = 0;
    self->due = 0;
}

void hq_alarm_at(hq_alarm_t *self, int64_t due_ms)
{
    if (self->id && self->due == due_ms)
        return;
    hq_alarm_cancel(self);
    int64_t delay = due_ms - hq_monotonic_ms();
    /* One-shot (times 1): zloop drops it once it fired. At least 1 ms, because zloop runs a
     * timer added while it runs timers in the same turn when it is due: an alarm set for
     * "now" from a handler would go round without ever waiting. */
    int id = zloop_timer(self->loop, delay > 1 ? (size_t)delay : 1, 1, s_fired, self);
    if (id >= 0) {
        self->id = id;
        self->due = due_ms;
    }
}

void hq_alarm_cancel(hq_alarm_t *self)
{
    if (self->id)
        zloop_timer_end(self->loop, self->id);
    self->id = 0;
    self->due = 0;
}

/* ---- the loop of a screen program ------------------------------------------------------- */

typedef struct {
    const hq_loop_plan_t *plan;
    hq_alarm_t alarm;
} s_serve_t;

static int s_turn(void *arg)
{
    s_serve_t *sv = arg;
    return sv->plan->turn(sv->plan->arg, &sv->alarm);
}

static int s_on_readable(zloop_t *loop, zmq_pollitem_t *item, void *arg)
{
    (void)loop;
    (void)item;
    return s_turn(arg);
}

static int s_on_alarm(zloop_t *loop, int timer_id, void *arg)
{
    (void)loop;
    (void)timer_id;
    return s_turn(arg);
}

int hq_loop_serve(const hq_loop_plan_t *plan, volatile sig_atomic_t *stop)
{
    zloop_t *loop = hq_loop_new();
    if (!loop)
        return -1;
    s_serve_t sv = {plan, {0}};
    hq_alarm_init(&sv.alarm, loop, s_on_alarm, &sv);
    zmq_pollitem_t fd = {NULL, plan->fd, ZMQ_POLLIN, 0};
    int rc = -1;
    if ((plan->feed && hq_feed_attach(plan->feed, loop, s_turn, &sv) != 0) ||
        (plan->client && hq_client_watch(plan->client, loop, s_on_readable, &sv) != 0) ||
        (plan->fd >= 0 && zloop_poller(loop, &fd, s_on_readable, &sv) != 0))
        hq_error("cannot set up the event loop");
    else if (s_turn(&sv) == -1)
        rc = 0;
    else if ((rc = hq_loop_run(loop, stop, s_turn, &sv)) != 0)
        hq_error("event loop failed: %s", zmq_strerror(zmq_errno()));
    if (plan->feed)
        hq_feed_attach(plan->feed, NULL, NULL, NULL);
    if (plan->client)
        hq_client_watch(plan->client, NULL, NULL, NULL);
    hq_alarm_cancel(&sv.alarm);
    zloop_destroy(&loop);
    return rc;
}
