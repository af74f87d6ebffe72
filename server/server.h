/* hallqd's server: ROUTER for requests, PUB for events, one SQLite transaction per batch of
 * requests (change -> commit -> publish -> reply), heartbeats, the day rollover and the
 * periodic metric, all on one czmq reactor (zloop). */
#ifndef HALLQ_SERVER_H
#define HALLQ_SERVER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "store.h"

typedef struct server server_t;

/* Opens the store, rebuilds today's state, starts zauth when keys are configured, binds both
 * sockets. NULL with a one-line reason. The server's time is its clock's (clock.h): never
 * backwards, and never before the latest time the store recorded. A data folder that holds a
 * simulated hall's days (store_clock) is refused. */
server_t *server_new(const hallq_config_t *cfg, const char *data_dir, char *why, size_t whylen);

/* A simulated clock, for simulation and training halls (hallqd --simulate). */
typedef struct {
    int64_t start_ms; /* the hall's time when the server starts */
    double speed;     /* how many times as fast as real time: 1 to HALLCLOCK_SPEED_MAX */
} server_clock_t;

/* server_new on a simulated clock: every time the hall records is the clock's, and so are the
 * timers that follow the hall's time: the day check (the rollover at the hall's midnight) and
 * the metric entry every metric_interval_s of it. Heartbeats stay in real time (screens judge
 * silence by it), and so do the request budgets. A data folder holding a real hall's days is
 * refused, and so is one whose records are later than the start; an empty one is marked
 * simulated for good (store_mark_simulated). Replies to ping, snapshot and catalog say
 * "simulated": true with the clock's "speed". The caller refuses keys and endpoints beyond
 * loopback first (hallqd does). */
server_t *server_new_simulated(const hallq_config_t *cfg, const char *data_dir,
                               const server_clock_t *clock, char *why, size_t whylen);
/* Serves until *stop is set (by the caller's signal handler; the signal should reach this
 * thread, so that it interrupts the poll at once). 0 on a clean stop. */
int server_run(server_t *self, const volatile sig_atomic_t *stop);
/* Stops in order: requests, metric flush, database, sockets, handshakes. */
void server_destroy(server_t **self_p);

/* ---- driving a server without its loop (tests) --------------------------------------------
 * The same paths server_run takes, with the clock given by the caller and no socket read. */
/* server_new as if the wall clock said now_ms. */
server_t *server_new_at(const hallq_config_t *cfg, const char *data_dir, int64_t now_ms, char *why,
                        size_t whylen);
/* Serves one request as a batch of its own arrived at now_ms: hall, commit (or reload),
 * publish. Returns the reply the caller would have got (caller decrefs; NULL when none). */
json_t *server_handle(server_t *self, const hq_request_t *req, int64_t now_ms);
/* The loop's once-a-second day check, at now_ms. */
void server_check_day(server_t *self, int64_t now_ms);
/* The loop's periodic metric entry, at now_ms. */
void server_log_metric(server_t *self, int64_t now_ms);
/* fn also gets every event published (topic and body, as sent); NULL stops it. */
typedef void server_event_fn(void *arg, const char *topic, const char *body);
void server_watch_events(server_t *self, server_event_fn *fn, void *arg);
/* The state in memory and the store under it (owned by the server). */
hall_t *server_hall(server_t *self);
store_t *server_store(server_t *self);

#endif
