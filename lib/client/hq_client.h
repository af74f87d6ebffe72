/* Request/reply client: one DEALER socket to hallqd with a timeout on every request.
 * After a timeout the socket is closed and reopened (the "lazy pirate" way), so a late
 * reply to an abandoned request can never be taken for the answer to the next one. */
#ifndef HQ_CLIENT_H
#define HQ_CLIENT_H

#include "hq_proto.h"

#include <zmq.h>

typedef struct hq_client hq_client_t;

/* Process-wide ZeroMQ context, created on first use. */
void *hq_zmq_context(void);
void hq_zmq_shutdown(void);

hq_client_t *hq_client_new(const char *endpoint, int timeout_ms);
/* The same with another device's key (hq_security_client_as); client_cert NULL: the
 * process's. */
hq_client_t *hq_client_new_as(const char *endpoint, int timeout_ms, const char *client_cert);
void hq_client_destroy(hq_client_t **self_p);
const char *hq_client_endpoint(const hq_client_t *self);

/* Sends the request and waits for its reply. 0: reply filled (reply->ok may be 0: the daemon
 * refused); -1: no reply in time or transport failure, err says which in one line. */
int hq_client_request(hq_client_t *self, const hq_request_t *req, hq_reply_t *reply,
                      hq_error_t *err);
/* Same with a ready JSON body (its "id" is replaced by the client's own). */
int hq_client_request_raw(hq_client_t *self, const char *json, hq_reply_t *reply, hq_error_t *err);

/* Non-blocking form for event loops: send now, collect the reply later. */
int hq_client_send(hq_client_t *self, const hq_request_t *req, hq_error_t *err);
/* The socket to poll for ZMQ_POLLIN while a request is outstanding. */
void *hq_client_socket(hq_client_t *self);
/* Reads a reply if one is there: 1 got the reply to the outstanding request, 0 nothing yet
 * (or a stale reply was dropped), -1 transport failure. */
int hq_client_receive(hq_client_t *self, hq_reply_t *reply);
/* Abandons the outstanding request (reopens the socket). */
void hq_client_reset(hq_client_t *self);
int hq_client_pending(const hq_client_t *self);

/* For a reactor (czmq's zloop, see hq_loop.h): registers the socket with the loop so fn runs
 * when a reply can be read, and keeps it registered across the reopening after a timeout,
 * so callers never hold a socket that was closed under them. loop NULL stops watching.
 * 0 ok, -1 when zloop refused the socket. (zloop_t and zloop_fn spelt out, so that this
 * header does not bring all of czmq into every file that sends a request.) */
struct _zloop_t;
typedef int(hq_client_ready_fn)(struct _zloop_t *loop, zmq_pollitem_t *item, void *arg);
int hq_client_watch(hq_client_t *self, struct _zloop_t *loop, hq_client_ready_fn *fn, void *arg);

#endif
