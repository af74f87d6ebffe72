/* The reactor every screen program runs on (lib/client/hq_loop.h): alarms that move, a run
 * that survives signals and stops on the program's flag, and a request socket that stays
 * watched when hq_client reopens it after a timeout. The daemon's side is a ROUTER on a free
 * loopback port, served from the same loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hq_client.h"
#include "hq_loop.h"
#include "hq_proto.h"

#include <signal.h>
#include <string.h>
#include <sys/time.h>

/* ---- alarms ------------------------------------------------------------------------------- */

typedef struct {
    int fired;
    int64_t at;        /* when it last fired */
    hq_alarm_t *rearm; /* set again from the handler, this many times */
    int rearm_left;
} s_count_t;

static int s_count(zloop_t *loop, int timer_id, void *arg)
{
    (void)loop;
    (void)timer_id;
    s_count_t *c = arg;
    c->fired++;
    c->at = hq_monotonic_ms();
    if (c->rearm && c->rearm_left-- > 0)
        hq_alarm_at(c->rearm, hq_monotonic_ms()); /* "now", again and again */
    return 0;
}

static int s_end(zloop_t *loop, int timer_id, void *arg)
{
    (void)loop;
    (void)timer_id;
    (void)arg;
    return -1;
}

static volatile sig_atomic_t s_never;

static void test_alarm_goes_off_where_it_was_moved(void **state)
{
    (void)state;
    zloop_t *loop = hq_loop_new();
    assert_non_null(loop);
    s_count_t moved = {0}, cancelled = {0};
    hq_alarm_t a, b, end;
    hq_alarm_init(&a, loop, s_count, &moved);
    hq_alarm_init(&b, loop, s_count, &cancelled);
    hq_alarm_init(&end, loop, s_end, NULL);
    int64_t start = hq_monotonic_ms();
    hq_alarm_at(&a, start + 30);
    hq_alarm_at(&a, start + 30); /* the same moment: nothing changes */
    hq_alarm_at(&a, start + 120);
    hq_alarm_at(&b, start + 50);
    hq_alarm_cancel(&b);
    hq_alarm_at(&end, start + 200);
    assert_int_equal(hq_loop_run(loop, &s_never, NULL, NULL), 0);
    assert_int_equal(moved.fired, 1); /* once, at the moment it was moved to */
    assert_true(moved.at >= start + 120);
    assert_int_equal(cancelled.fired, 0);
    assert_int_equal(a.id, 0); /* fired: nothing left set */
    zloop_destroy(&loop);
}

/* An alarm set for "now" from its own handler waits for the loop's next turn each time:
 * it goes off once per turn, and the loop still reaches its other timers. */
static void test_alarm_for_now_does_not_spin(void **state)
{
    (void)state;
    zloop_t *loop = hq_loop_new();
    s_count_t c = {0};
    hq_alarm_t a, end;
    hq_alarm_init(&a, loop, s_count, &c);
    c.rearm = &a;
    c.rearm_left = 5;
    hq_alarm_init(&end, loop, s_end, NULL);
    int64_t start = hq_monotonic_ms();
    hq_alarm_at(&a, start - 1000); /* already past */
    hq_alarm_at(&end, start + 100);
    assert_int_equal(hq_loop_run(loop, &s_never, NULL, NULL), 0);
    assert_int_equal(c.fired, 6);
    assert_true(c.at - start < 100);
    zloop_destroy(&loop);
}

/* ---- signals ------------------------------------------------------------------------------- */

static volatile sig_atomic_t s_stop;
static volatile sig_atomic_t s_signals;

static void s_on_alarm_signal(int sig)
{
    (void)sig;
    if (++s_signals == 3)
        s_stop = 1; /* the first two only wake the loop, like a terminal resize */
}

static int s_woken(void *arg)
{
    (*(int *)arg)++;
    return 0;
}

static void test_run_wakes_on_signals_and_stops_on_the_flag(void **state)
{
    (void)state;
    zloop_t *loop = hq_loop_new();
    hq_alarm_t end;
    hq_alarm_init(&end, loop, s_end, NULL);
    hq_alarm_at(&end, hq_monotonic_ms() + 5000); /* the test's deadline */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_alarm_signal;
    sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: the wait is interrupted */
    struct itimerval every = {{0, 30000}, {0, 30000}};
    setitimer(ITIMER_REAL, &every, NULL);
    int woken = 0;
    int64_t start = hq_monotonic_ms();
    assert_int_equal(hq_loop_run(loop, &s_stop, s_woken, &woken), 0);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    assert_true(hq_monotonic_ms() - start < 2000); /* the flag, not the deadline */
    assert_int_equal(s_signals, 3);
    assert_int_equal(woken, 2);
    zloop_destroy(&loop);
}

/* ---- a request socket that is reopened ---------------------------------------------------- */

typedef struct {
    void *router;
    hq_client_t *client;
    int replies;
    int timed_out;
} s_talk_t;

/* The daemon's side: answers every request with {"id": ..., "ok": true}. */
static int s_serve(zloop_t *loop, zmq_pollitem_t *item, void *arg)
{
    (void)loop;
    (void)item;
    s_talk_t *t = arg;
    char who[256], body[1024];
    int wn = zmq_recv(t->router, who, sizeof who, 0);
    zmq_recv(t->router, body, sizeof body, 0); /* the empty delimiter */
    int bn = zmq_recv(t->router, body, sizeof body - 1, 0);
    assert_true(wn > 0 && bn > 0);
    body[bn] = '\0';
    json_t *req = json_loads(body, 0, NULL);
    char reply[256];
    snprintf(reply, sizeof reply, "{\"id\": \"%s\", \"ok\": true}",
             json_string_value(json_object_get(req, "id")));
    json_decref(req);
    zmq_send(t->router, who, (size_t)wn, ZMQ_SNDMORE);
    zmq_send(t->router, "", 0, ZMQ_SNDMORE);
    zmq_send(t->router, reply, strlen(reply), 0);
    return 0;
}

static void s_send(s_talk_t *t)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_PING);
    hq_error_t err;
    assert_int_equal(hq_client_send(t->client, &req, &err), 0);
}

/* The client's side: after the first reply the socket is reopened (as after a timeout) and
 * a second request goes out on the new one; its reply must still reach this handler. */
static int s_on_reply(zloop_t *loop, zmq_pollitem_t *item, void *arg)
{
    (void)loop;
    (void)item;
    s_talk_t *t = arg;
    hq_reply_t reply;
    if (hq_client_receive(t->client, &reply) != 1)
        return 0;
    hq_reply_clear(&reply);
    if (++t->replies == 2)
        return -1;
    hq_client_reset(t->client);
    s_send(t);
    return 0;
}

static int s_give_up(zloop_t *loop, int timer_id, void *arg)
{
    (void)loop;
    (void)timer_id;
    ((s_talk_t *)arg)->timed_out = 1;
    return -1;
}

static void test_watched_socket_follows_a_reopen(void **state)
{
    (void)state;
    s_talk_t t = {0};
    t.router = zmq_socket(hq_zmq_context(), ZMQ_ROUTER);
    assert_non_null(t.router);
    int linger = 0;
    zmq_setsockopt(t.router, ZMQ_LINGER, &linger, sizeof linger);
    assert_int_equal(zmq_bind(t.router, "tcp://127.0.0.1:*"), 0);
    char endpoint[128];
    size_t len = sizeof endpoint;
    zmq_getsockopt(t.router, ZMQ_LAST_ENDPOINT, endpoint, &len);
    t.client = hq_client_new(endpoint, 1000);
    assert_non_null(t.client);

    zloop_t *loop = hq_loop_new();
    zmq_pollitem_t serve = {t.router, 0, ZMQ_POLLIN, 0};
    assert_int_equal(zloop_poller(loop, &serve, s_serve, &t), 0);
    assert_int_equal(hq_client_watch(t.client, loop, s_on_reply, &t), 0);
    hq_alarm_t deadline;
    hq_alarm_init(&deadline, loop, s_give_up, &t);
    hq_alarm_at(&deadline, hq_monotonic_ms() + 5000);
    s_send(&t);
    assert_int_equal(hq_loop_run(loop, &s_never, NULL, NULL), 0);
    assert_int_equal(t.timed_out, 0);
    assert_int_equal(t.replies, 2);

    /* Unwatched, then destroyed after the loop: nothing is left registered. */
    hq_client_watch(t.client, NULL, NULL, NULL);
    zloop_destroy(&loop);
    hq_client_destroy(&t.client);
    zmq_close(t.router);
    hq_zmq_shutdown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alarm_goes_off_where_it_was_moved),
        cmocka_unit_test(test_alarm_for_now_does_not_spin),
        cmocka_unit_test(test_run_wakes_on_signals_and_stops_on_the_flag),
        cmocka_unit_test(test_watched_socket_follows_a_reopen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
