/* hallqd's server: ROUTER for requests, PUB for events, one SQLite transaction per batch of
 * requests (change -> commit -> publish -> reply), heartbeats, the day rollover and the
 * periodic metric, all on one czmq reactor (zloop). */
#ifndef HALLQ_SERVER_H
#define HALLQ_SERVER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

typedef struct server server_t;

/* Opens the store, rebuilds today's state, starts zauth when keys are configured, binds both
 * sockets. NULL with a one-line reason. */
server_t *server_new(const hallq_config_t *cfg, const char *data_dir, char *why, size_t whylen);
/* Serves until *stop is set (by the caller's signal handler; the signal should reach this
 * thread, so that it interrupts the poll at once). 0 on a clean stop. */
int server_run(server_t *self, const volatile sig_atomic_t *stop);
/* Stops in order: requests, metric flush, database, sockets, handshakes. */
void server_destroy(server_t **self_p);
/* Whether an endpoint is reachable from this machine only. */
int server_loopback(const char *endpoint);
/* The business day of a moment, in the process's local time zone (TZ). */
void server_business_day(int64_t now_ms, char *out, size_t outlen);

#endif
