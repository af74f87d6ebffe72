/* What the files of hallqd's server share (server.c: the batches, their commit, replies and
 * events, and the loop; server_requests.c: who sent a request, what it may spend, reading it
 * and running it through the hall; server_jobs.c: the loop's periodic jobs; server_lifecycle.c:
 * making the server, binding its sockets, destroying it). Only those files include it: the
 * rest of the daemon uses server.h. */
#ifndef HALLQ_SERVER_INT_H
#define HALLQ_SERVER_INT_H

#include "server.h"

#include "auth.h"
#include "clock.h"
#include "hall.h"
#include "hall_wire.h"
#include "ratelimit.h"
#include "store.h"

#include <czmq.h>

#define SERVER_BATCH_MAX 128 /* requests committed together at most */

/* A request of the batch, from its read to its reply. */
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
} server_pending_t;

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
    server_pending_t batch[SERVER_BATCH_MAX];
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

/* ---- the batch (server.c) ---- */
/* Publishes an event to every subscriber (and to the watcher, and the alert hook's memory). */
void server_publish_text(server_t *self, const char *topic, const char *body);
/* Whether memory can be used: a stale server tries to reload first. */
int server_fresh(server_t *self, int64_t now);
/* Runs a self-contained change (rollover, metric) in its own transaction and publishes it. */
int server_commit_result(server_t *self, const hall_result_t *r, int64_t now, const json_t *metric);

/* ---- requests (server_requests.c) ---- */
/* Reads one request into the batch slot. 1 read, 0 nothing waiting, -1 socket failure. */
int server_read_request(server_t *self, server_pending_t *p, int64_t now);
/* Runs a decoded request through the hall and writes its reply and events. */
void server_handle_pending(server_t *self, server_pending_t *p, int64_t now);

/* ---- the loop's jobs (server_jobs.c; the day check and the metric are in server.h) ---- */
/* Publishes a heartbeat, after a look at the key store. */
void server_heartbeat(server_t *self, int64_t now);
/* Bookings nobody checked in in time become no-shows. */
void server_booking_sweep(server_t *self, int64_t now);
/* Queue alerts raised or cleared, each committed, published and told to the hook. */
void server_alerts(server_t *self, int64_t now);

/* ---- sockets (server_lifecycle.c) ---- */
/* A device lost its key: the event socket is bound again, and every display reconnects. */
void server_cut_off(server_t *self);

#endif
