/* hallqd's server: ROUTER for requests, PUB for events, one SQLite transaction per batch of
 * requests (change -> commit -> reply -> publish), heartbeats, the day rollover and the
 * periodic metric. */
#ifndef HALLQ_SERVER_H
#define HALLQ_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

typedef struct server server_t;

/* Opens the store, rebuilds today's state, binds both sockets. NULL with a one-line reason. */
server_t *server_new(const hallq_config_t *cfg, const char *data_dir, char *why, size_t whylen);
/* Serves until SIGINT or SIGTERM. 0 on a clean stop. */
int server_run(server_t *self);
/* Stops in order: requests, metric flush, database, sockets. */
void server_destroy(server_t **self_p);
/* The business day of a moment, in the process's local time zone (TZ). */
/* Whether an endpoint is reachable from this machine only. */
int server_loopback(const char *endpoint);
void server_business_day(int64_t now_ms, char *out, size_t outlen);

#endif
