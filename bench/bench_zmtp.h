/* bench_zmtp: one kiosk of the throughput fleet as a DEALER that speaks ZMTP 3.0 (the
 * ZeroMQ wire protocol, rfc.zeromq.org/spec/23, NULL security) over a plain TCP socket.
 *
 * hallqd and the raw group commit receive exactly the bytes a libzmq DEALER sends, frame for
 * frame; what is spared is the client's side of libzmq - its I/O thread, the signals between
 * the threads and a zmq_poll over every kiosk's socket - which took as much of the two cores
 * as the daemon it was measuring. In a hall each kiosk is a machine of its own. */
#ifndef BENCH_ZMTP_H
#define BENCH_ZMTP_H

#include <stddef.h>

typedef struct {
    int fd;
    unsigned char *in; /* received, not yet taken as whole frames */
    size_t in_len, in_cap;
} bz_peer_t;

/* Connects to a tcp:// endpoint and completes the handshake as a DEALER; the socket is left
 * non-blocking. 0, or -1 with why. */
int bz_connect(bz_peer_t *p, const char *endpoint, char *why, size_t whylen);

/* Sends a message of an empty delimiter and body, in one write: 0, or -1 when the connection
 * is broken (a full socket buffer is waited out). */
int bz_send(bz_peer_t *p, const void *body, size_t len);

/* Called with the last frame of each whole message received. */
typedef void bz_message_fn(void *arg, const char *body, size_t len);

/* Reads what the socket holds and hands each whole message to fn. A PING of the peer is
 * answered. Returns the messages handed over, or -1 when the connection is closed or broken. */
int bz_read(bz_peer_t *p, bz_message_fn *fn, void *arg);

void bz_close(bz_peer_t *p);

#endif
