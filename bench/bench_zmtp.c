/* bench_zmtp: see bench_zmtp.h. */
#include "bench_zmtp.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define S_MORE 0x01
#define S_LONG 0x02
#define S_COMMAND 0x04
#define S_GREETING 64
#define S_HANDSHAKE_S 5 /* how long the handshake may take */

/* Writes all of buf, waiting while the socket's buffer is full. */
static int s_write_all(int fd, const void *buf, size_t len)
{
    const unsigned char *b = buf;
    while (len > 0) {
        ssize_t n = send(fd, b, len, MSG_NOSIGNAL);
        if (n > 0) {
            b += n;
            len -= (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd = {fd, POLLOUT, 0};
            if (poll(&pfd, 1, S_HANDSHAKE_S * 1000) <= 0)
                return -1;
        } else {
            return -1;
        }
    }
    return 0;
}

/* Reads exactly len bytes (the handshake, on the blocking socket). */
static int s_read_all(int fd, void *buf, size_t len)
{
    unsigned char *b = buf;
    while (len > 0) {
        ssize_t n = recv(fd, b, len, 0);
        if (n > 0) {
            b += n;
            len -= (size_t)n;
        } else if (!(n < 0 && errno == EINTR)) {
            return -1;
        }
    }
    return 0;
}

/* A frame's header: flags and a size of one octet, or of eight when LONG. */
static size_t s_header(unsigned char *out, int flags, size_t size)
{
    if (size <= 255) {
        out[0] = (unsigned char)flags;
        out[1] = (unsigned char)size;
        return 2;
    }
    out[0] = (unsigned char)(flags | S_LONG);
    for (int i = 0; i < 8; i++)
        out[1 + i] = (unsigned char)((uint64_t)size >> (56 - 8 * i));
    return 9;
}

/* The frame at in (avail bytes): 1 whole, with its flags, body and length in all; 0 not yet. */
static int s_frame(const unsigned char *in, size_t avail, int *flags, const unsigned char **body,
                   size_t *size, size_t *all)
{
    if (avail < 2)
        return 0;
    size_t head = in[0] & S_LONG ? 9 : 2;
    if (avail < head)
        return 0;
    uint64_t n = in[1];
    if (head == 9) {
        n = 0;
        for (int i = 0; i < 8; i++)
            n = n << 8 | in[1 + i];
    }
    if (n > avail - head)
        return 0;
    *flags = in[0];
    *body = in + head;
    *size = (size_t)n;
    *all = head + (size_t)n;
    return 1;
}

/* A command's name: its first octet is the name's length. */
static int s_is_command(const unsigned char *body, size_t size, const char *name)
{
    size_t n = strlen(name);
    return size >= 1 + n && body[0] == n && memcmp(body + 1, name, n) == 0;
}

static int s_open(const char *endpoint, char *why, size_t whylen)
{
    char host[256];
    const char *colon = strrchr(endpoint, ':');
    if (strncmp(endpoint, "tcp://", 6) != 0 || !colon || colon - endpoint - 6 <= 0 ||
        (size_t)(colon - endpoint - 6) >= sizeof host) {
        snprintf(why, whylen, "%s is no tcp:// endpoint", endpoint);
        return -1;
    }
    snprintf(host, sizeof host, "%.*s", (int)(colon - endpoint - 6), endpoint + 6);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai = NULL;
    int rc = getaddrinfo(host, colon + 1, &hints, &ai);
    if (rc != 0) {
        snprintf(why, whylen, "%s: %s", endpoint, gai_strerror(rc));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(ai);
    if (fd < 0)
        snprintf(why, whylen, "cannot connect to %s: %s", endpoint, strerror(errno));
    return fd;
}

int bz_connect(bz_peer_t *p, const char *endpoint, char *why, size_t whylen)
{
    memset(p, 0, sizeof *p);
    p->fd = s_open(endpoint, why, whylen);
    if (p->fd < 0)
        return -1;
    int one = 1;
    struct timeval limit = {S_HANDSHAKE_S, 0};
    setsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* as libzmq sets it */
    setsockopt(p->fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    /* The greeting: signature, version 3.0, the NULL mechanism, as client, filler. */
    unsigned char greeting[S_GREETING] = {0xFF, 0,    0, 0, 0,   0,   0,   0,
                                          1,    0x7F, 3, 0, 'N', 'U', 'L', 'L'};
    unsigned char theirs[S_GREETING];
    /* READY with the one property a ROUTER asks for: Socket-Type. */
    static const char ready[] = "\5READY\13Socket-Type\0\0\0\6DEALER";
    unsigned char cmd[2 + sizeof ready - 1];
    size_t head = s_header(cmd, S_COMMAND, sizeof ready - 1);
    memcpy(cmd + head, ready, sizeof ready - 1);
    const char *step = "greeting";
    if (s_write_all(p->fd, greeting, sizeof greeting) != 0 ||
        s_read_all(p->fd, theirs, sizeof theirs) != 0)
        goto failed;
    step = "greeting (not ZMTP 3 with NULL security)";
    if (theirs[0] != 0xFF || theirs[9] != 0x7F || theirs[10] < 3 ||
        memcmp(theirs + 12, "NULL", 5) != 0)
        goto failed;
    step = "READY";
    if (s_write_all(p->fd, cmd, head + sizeof ready - 1) != 0)
        goto failed;
    for (;;) { /* their READY */
        int flags;
        const unsigned char *body;
        size_t size, all;
        if (p->in_len == p->in_cap) {
            size_t cap = p->in_cap ? p->in_cap * 2 : 4096;
            unsigned char *in = realloc(p->in, cap);
            if (!in)
                goto failed;
            p->in = in;
            p->in_cap = cap;
        }
        ssize_t n = recv(p->fd, p->in + p->in_len, p->in_cap - p->in_len, 0);
        if (n <= 0)
            goto failed;
        p->in_len += (size_t)n;
        if (s_frame(p->in, p->in_len, &flags, &body, &size, &all)) {
            if (!(flags & S_COMMAND) || !s_is_command(body, size, "READY"))
                goto failed;
            memmove(p->in, p->in + all, p->in_len - all);
            p->in_len -= all;
            break;
        }
    }
    int fl = fcntl(p->fd, F_GETFL);
    if (fl < 0 || fcntl(p->fd, F_SETFL, fl | O_NONBLOCK) != 0)
        goto failed;
    return 0;
failed:
    snprintf(why, whylen, "ZMTP handshake with %s failed at its %s", endpoint, step);
    bz_close(p);
    return -1;
}

int bz_send(bz_peer_t *p, const void *body, size_t len)
{
    unsigned char head[2 + 9];
    size_t n = s_header(head, S_MORE, 0); /* the empty delimiter a DEALER's request opens with */
    n += s_header(head + n, 0, len);
    if (len <= 4096) {
        unsigned char buf[sizeof head + 4096];
        memcpy(buf, head, n);
        memcpy(buf + n, body, len);
        return s_write_all(p->fd, buf, n + len);
    }
    return s_write_all(p->fd, head, n) == 0 && s_write_all(p->fd, body, len) == 0 ? 0 : -1;
}

int bz_read(bz_peer_t *p, bz_message_fn *fn, void *arg)
{
    for (;;) {
        if (p->in_cap - p->in_len < 2048) {
            size_t cap = p->in_cap ? p->in_cap * 2 : 8192;
            unsigned char *in = realloc(p->in, cap);
            if (!in)
                return -1;
            p->in = in;
            p->in_cap = cap;
        }
        ssize_t n = recv(p->fd, p->in + p->in_len, p->in_cap - p->in_len, 0);
        if (n > 0) {
            p->in_len += (size_t)n;
            if (p->in_len < p->in_cap)
                break; /* it held less than there was room for: all there is */
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        return -1;
    }
    int messages = 0;
    size_t at = 0;
    int flags;
    const unsigned char *body;
    size_t size, all;
    while (s_frame(p->in + at, p->in_len - at, &flags, &body, &size, &all)) {
        if (flags & S_COMMAND) {
            if (s_is_command(body, size, "PING")) {
                /* PONG carries the PING's context back (after its 2-octet TTL). */
                unsigned char pong[2 + 5 + 16];
                size_t ctx = size > 7 ? size - 7 : 0;
                ctx = ctx > 16 ? 16 : ctx;
                size_t h = s_header(pong, S_COMMAND, 5 + ctx);
                memcpy(pong + h, "\4PONG", 5);
                memcpy(pong + h + 5, body + 7, ctx);
                if (s_write_all(p->fd, pong, h + 5 + ctx) != 0)
                    return -1;
            }
        } else if (!(flags & S_MORE)) {
            fn(arg, (const char *)body, size);
            messages++;
        }
        at += all;
    }
    memmove(p->in, p->in + at, p->in_len - at);
    p->in_len -= at;
    return messages;
}

void bz_close(bz_peer_t *p)
{
    if (p->fd >= 0)
        close(p->fd);
    p->fd = -1;
    free(p->in);
    p->in = NULL;
    p->in_len = p->in_cap = 0;
}
