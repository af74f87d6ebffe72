/* One reactor for a program that waits on several things at once (the hall's feed, its
 * own requests, the terminal, the clock): czmq's zloop, with the two things every hallq
 * program needs from it besides readers and pollers.
 *
 *   - Signals stay hq_signals' (lib/ui): hq_loop_new keeps czmq from installing its own
 *     SIGINT/SIGTERM handler, and hq_loop_run runs zloop until the program's stop flag is
 *     set. zloop_start returns whenever a signal interrupts its wait (a terminal resize,
 *     a stop signal); hq_loop_run then lets the program look (woken) and goes on. A signal
 *     that lands while a handler runs, after it looked at the flag, is seen at the next
 *     wake-up instead: the screen programs' alarm is never more than a second away.
 *   - hq_alarm_t is a one-shot timer at a moment of the monotonic clock that can be moved
 *     at will: "wake me at the next of: the clock's next second, the reply's deadline, the
 *     next retry". A program computes that moment after each turn, so it sleeps until
 *     something happens instead of polling.
 *
 * Sockets that hq_client reopens after a timeout follow along: see hq_client_watch. */
#ifndef HQ_LOOP_H
#define HQ_LOOP_H

#include <czmq.h>
#include <signal.h>
#include <stdint.h>

/* A new zloop, with czmq's own signal handling switched off for the process. */
zloop_t *hq_loop_new(void);

/* Called when a signal interrupted the wait; -1 ends the run like a handler's -1. */
typedef int(hq_loop_woken_fn)(void *arg);

/* Runs the loop until a handler returns -1 or *stop is non-zero. 0 when stopped by the flag
 * or a handler, -1 when the wait itself failed (not a signal). */
int hq_loop_run(zloop_t *loop, volatile sig_atomic_t *stop, hq_loop_woken_fn *woken, void *arg);

typedef struct {
    zloop_t *loop;
    zloop_timer_fn *fn; /* called when the moment comes; its -1 ends the loop */
    void *arg;
    int id;      /* zloop's timer, 0 when none is set */
    int64_t due; /* monotonic ms it is set for, 0 when none is set */
} hq_alarm_t;

void hq_alarm_init(hq_alarm_t *self, zloop_t *loop, zloop_timer_fn *fn, void *arg);
/* Sets the alarm to go off at due_ms (hq_monotonic_ms); in a millisecond when that has
 * passed. Moving it to where it already is costs nothing. */
void hq_alarm_at(hq_alarm_t *self, int64_t due_ms);
void hq_alarm_cancel(hq_alarm_t *self);

/* What a screen program waits on, each ending in one call of turn: the hall's feed, its own
 * request socket, the terminal, and an alarm that turn sets (hq_alarm_at) for the next
 * moment the program must wake without input. */
struct hq_feed;
struct hq_client;
typedef struct {
    struct hq_feed *feed;     /* attached for the run (hq_feed_attach), NULL none */
    struct hq_client *client; /* watched for the run (hq_client_watch), NULL none */
    int fd;                   /* e.g. the terminal's standard input, -1 none */
    /* Takes whatever came, draws, sets the alarm; -1 ends the run. Also runs once before
     * the first wait, and after a signal woke the loop (a resize comes as a key). */
    int (*turn)(void *arg, hq_alarm_t *alarm);
    void *arg;
} hq_loop_plan_t;

/* Builds the loop of the plan, runs it until turn returns -1 or *stop is set, and takes it
 * down again (the feed and client are left as they were before). 0, or -1 when it could
 * not be set up or its wait failed. */
int hq_loop_serve(const hq_loop_plan_t *plan, volatile sig_atomic_t *stop);

#endif
