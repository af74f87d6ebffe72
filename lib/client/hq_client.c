#include "hq_client.h"

#include "hq_log.h"
#include "hq_security.h"

#include <czmq.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

struct hq_client {
    void *socket;           /* DEALER connected to the daemon's ROUTER */
    char *endpoint;         /* where to connect */
    char *cert;             /* the device key it speaks with, NULL: the process's */
    int timeout_ms;         /* how long a blocking request waits */
    unsigned long next;     /* counter for correlation ids */
    char pending[32];       /* id of the outstanding request, "" none */
    zloop_t *loop;          /* the reactor watching the socket, NULL none */
    hq_client_ready_fn *fn; /* ... and what it calls when a reply is there */
    void *arg;
};

/* The socket is about to close or has just opened: the watching loop follows. */
static void s_unwatch(hq_client_t *self)
{
    if (self->loop && self->socket) {
        zmq_pollitem_t item = {self->socket, 0, ZMQ_POLLIN, 0};
        zloop_poller_end(self->loop, &item);
    }
}

static int s_rewatch(hq_client_t *self)
{
    if (!self->loop || !self->socket)
        return 0;
    zmq_pollitem_t item = {self->socket, 0, ZMQ_POLLIN, 0};
    return zloop_poller(self->loop, &item, self->fn, self->arg);
}

static void *s_context;

void *hq_zmq_context(void)
{
    if (!s_context)
        s_context = zmq_ctx_new();
    return s_context;
}

void hq_zmq_shutdown(void)
{
    if (s_context) {
        zmq_ctx_term(s_context);
        s_context = NULL;
    }
}

static int s_open(hq_client_t *self)
{
    self->socket = zmq_socket(hq_zmq_context(), ZMQ_DEALER);
    if (!self->socket)
        return -1;
    int linger = 0;
    int64_t maxmsg = HQ_MAX_REPLY_BYTES;
    zmq_setsockopt(self->socket, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(self->socket, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    hq_error_t err;
    if ((self->cert ? hq_security_client_as(self->socket, self->cert, &err)
                    : hq_security_client(self->socket, &err)) != 0) {
        hq_error("%s", err.message);
        zmq_close(self->socket);
        self->socket = NULL;
        return -1;
    }
    if (zmq_connect(self->socket, self->endpoint) != 0) {
        zmq_close(self->socket);
        self->socket = NULL;
        return -1;
    }
    return s_rewatch(self);
}

hq_client_t *hq_client_new_as(const char *endpoint, int timeout_ms, const char *client_cert)
{
    hq_client_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->endpoint = strdup(endpoint);
    self->cert = client_cert ? strdup(client_cert) : NULL;
    self->timeout_ms = timeout_ms > 0 ? timeout_ms : 3000;
    if (!self->endpoint || (client_cert && !self->cert) || s_open(self) != 0) {
        free(self->endpoint);
        free(self->cert);
        free(self);
        return NULL;
    }
    return self;
}

hq_client_t *hq_client_new(const char *endpoint, int timeout_ms)
{
    return hq_client_new_as(endpoint, timeout_ms, NULL);
}

void hq_client_destroy(hq_client_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    hq_client_t *self = *self_p;
    s_unwatch(self);
    if (self->socket)
        zmq_close(self->socket);
    free(self->endpoint);
    free(self->cert);
    free(self);
    *self_p = NULL;
}

const char *hq_client_endpoint(const hq_client_t *self)
{
    return self->endpoint;
}

void *hq_client_socket(hq_client_t *self)
{
    return self->socket;
}

int hq_client_pending(const hq_client_t *self)
{
    return self->pending[0] != '\0';
}

int hq_client_watch(hq_client_t *self, struct _zloop_t *loop, hq_client_ready_fn *fn, void *arg)
{
    s_unwatch(self);
    self->loop = loop;
    self->fn = fn;
    self->arg = arg;
    return s_rewatch(self);
}

void hq_client_reset(hq_client_t *self)
{
    s_unwatch(self);
    if (self->socket)
        zmq_close(self->socket);
    self->socket = NULL;
    self->pending[0] = '\0';
    s_open(self);
}

static int s_send_body(hq_client_t *self, json_t *body, hq_error_t *err)
{
    if (!self->socket && s_open(self) != 0) {
        err->code = HQ_E_INTERNAL;
        snprintf(err->message, sizeof err->message, "cannot connect to %s: %s", self->endpoint,
                 zmq_strerror(zmq_errno()));
        return -1;
    }
    if (self->pending[0])
        hq_client_reset(self);
    snprintf(self->pending, sizeof self->pending, "%d-%lu", (int)getpid(), ++self->next);
    json_object_set_new(body, "id", json_string(self->pending));
    size_t len;
    char *text = hq_json_compact(body, &len);
    if (!text) {
        self->pending[0] = '\0';
        err->code = HQ_E_INTERNAL;
        snprintf(err->message, sizeof err->message, "out of memory encoding the request");
        return -1;
    }
    /* An empty delimiter frame first, so that REQ-style peers and ROUTER agree on framing. */
    int rc = zmq_send(self->socket, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT);
    if (rc == 0)
        rc = zmq_send(self->socket, text, len, ZMQ_DONTWAIT);
    free(text);
    if (rc < 0) {
        /* DEALER with no connected peer blocks on send; ZMQ_DONTWAIT turns it into EAGAIN. */
        self->pending[0] = '\0';
        err->code = HQ_E_INTERNAL;
        snprintf(err->message, sizeof err->message, "hallqd at %s is not reachable (%s)",
                 self->endpoint,
                 zmq_errno() == EAGAIN ? "not connected" : zmq_strerror(zmq_errno()));
        hq_client_reset(self);
        return -1;
    }
    return 0;
}

int hq_client_send(hq_client_t *self, const hq_request_t *req, hq_error_t *err)
{
    json_t *body = hq_request_to_json(req);
    if (!body) {
        err->code = HQ_E_BAD_FIELD;
        snprintf(err->message, sizeof err->message, "request cannot be encoded");
        return -1;
    }
    int rc = s_send_body(self, body, err);
    json_decref(body);
    return rc;
}

int hq_client_receive(hq_client_t *self, hq_reply_t *reply)
{
    for (;;) {
        zmq_msg_t parts[2];
        int nparts = 0, more = 1;
        while (more) {
            zmq_msg_t msg;
            zmq_msg_init(&msg);
            if (zmq_msg_recv(&msg, self->socket, ZMQ_DONTWAIT) < 0) {
                zmq_msg_close(&msg);
                for (int i = 0; i < nparts; i++)
                    zmq_msg_close(&parts[i]);
                return zmq_errno() == EAGAIN ? 0 : -1;
            }
            more = zmq_msg_more(&msg);
            if (nparts < 2)
                parts[nparts++] = msg;
            else
                zmq_msg_close(&msg);
        }
        /* Expect [empty][body]; tolerate [body]. */
        zmq_msg_t *body = &parts[nparts - 1];
        hq_reply_t r;
        int rc = hq_reply_decode(zmq_msg_data(body), zmq_msg_size(body), &r);
        for (int i = 0; i < nparts; i++)
            zmq_msg_close(&parts[i]);
        if (rc != HQ_OK)
            continue;
        if (self->pending[0] && strcmp(r.id, self->pending) == 0) {
            self->pending[0] = '\0';
            *reply = r;
            return 1;
        }
        hq_reply_clear(&r); /* stale: answer to an abandoned request */
    }
}

static int s_wait(hq_client_t *self, hq_reply_t *reply, hq_error_t *err)
{
    int64_t deadline = hq_monotonic_ms() + self->timeout_ms;
    for (;;) {
        int64_t left = deadline - hq_monotonic_ms();
        if (left <= 0)
            break;
        zmq_pollitem_t item = {self->socket, 0, ZMQ_POLLIN, 0};
        int n = zmq_poll(&item, 1, (long)left);
        if (n < 0 && zmq_errno() != EINTR)
            break;
        if (n > 0) {
            int rc = hq_client_receive(self, reply);
            if (rc == 1)
                return 0;
            if (rc < 0)
                break;
        }
    }
    err->code = HQ_E_INTERNAL;
    snprintf(err->message, sizeof err->message, "no reply from hallqd at %s within %d ms",
             self->endpoint, self->timeout_ms);
    hq_client_reset(self);
    return -1;
}

int hq_client_request(hq_client_t *self, const hq_request_t *req, hq_reply_t *reply,
                      hq_error_t *err)
{
    if (hq_client_send(self, req, err) != 0)
        return -1;
    return s_wait(self, reply, err);
}

int hq_client_request_raw(hq_client_t *self, const char *json, hq_reply_t *reply, hq_error_t *err)
{
    json_t *body = json_loads(json, 0, NULL);
    if (!json_is_object(body)) {
        json_decref(body);
        err->code = HQ_E_MALFORMED;
        snprintf(err->message, sizeof err->message, "request is not a JSON object");
        return -1;
    }
    int rc = s_send_body(self, body, err);
    json_decref(body);
    return rc == 0 ? s_wait(self, reply, err) : -1;
}
