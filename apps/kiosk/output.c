/* output: see output.h. */
#include "output.h"

#include "hq_proto.h"
#include "kiosk_texts.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define S_TCP_SCHEME "tcp://"
#define S_DEFAULT_PORT "9100"

/* The printer's messages in the language of the ticket. */
static const char *s_msg(const output_t *out, kiosk_text_t id)
{
    return kiosk_tr(out->lang, id);
}

int output_set(output_t *out, output_kind_t kind, const char *target)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    out->timeout_ms = OUTPUT_DEFAULT_TIMEOUT_MS;
    out->lang = UI_LANG_ZH;
    if (kind == OUTPUT_PREVIEW)
        return hq_strlcpy(out->target, "-", sizeof out->target);
    if (!target || !*target)
        return -1;
    return hq_strlcpy(out->target, target, sizeof out->target);
}

/* Splits "tcp://host:port" / "tcp://[v6]:port" / "tcp://host". 0 ok, -1 malformed. */
static int s_split_tcp(const char *spec, char *host, size_t hostlen, char *port, size_t portlen)
{
    const char *p = spec + strlen(S_TCP_SCHEME);
    const char *colon;
    size_t hlen;
    if (*p == '[') {
        const char *close = strchr(p, ']');
        if (!close)
            return -1;
        p++;
        hlen = (size_t)(close - p);
        colon = close[1] == ':' ? close + 1 : NULL;
        if (close[1] != '\0' && close[1] != ':')
            return -1;
    } else {
        colon = strrchr(p, ':');
        hlen = colon ? (size_t)(colon - p) : strlen(p);
    }
    if (hlen == 0 || hlen >= hostlen)
        return -1;
    memcpy(host, p, hlen);
    host[hlen] = '\0';
    const char *ps = colon ? colon + 1 : S_DEFAULT_PORT;
    char *end;
    long n = strtol(ps, &end, 10);
    if (*ps == '\0' || *end != '\0' || n < 1 || n > 65535)
        return -1;
    snprintf(port, portlen, "%ld", n);
    return 0;
}

int output_parse_printer(const char *spec, output_t *out, char *why, size_t whylen)
{
    if (!spec || !*spec) {
        snprintf(why, whylen, "--printer needs a device path or tcp://HOST:PORT");
        return -1;
    }
    if (strncmp(spec, S_TCP_SCHEME, strlen(S_TCP_SCHEME)) == 0) {
        char host[256], port[8];
        if (s_split_tcp(spec, host, sizeof host, port, sizeof port) != 0) {
            snprintf(why, whylen, "printer address '%s' is not tcp://HOST:PORT", spec);
            return -1;
        }
        if (output_set(out, OUTPUT_TCP, spec) != 0) {
            snprintf(why, whylen, "printer address is too long");
            return -1;
        }
        return 0;
    }
    if (strstr(spec, "://")) {
        snprintf(why, whylen, "printer '%s': only tcp:// addresses and device paths work", spec);
        return -1;
    }
    if (output_set(out, OUTPUT_DEVICE, spec) != 0) {
        snprintf(why, whylen, "printer path is too long");
        return -1;
    }
    return 0;
}

const char *output_name(const output_t *out)
{
    if (out->kind == OUTPUT_TCP)
        return out->target + strlen(S_TCP_SCHEME);
    if (out->kind == OUTPUT_PREVIEW)
        return "stdout";
    return out->target;
}

/* Waits until fd is writable or the deadline passes. 0 ready, -1 error (errno), 1 timeout. */
static int s_wait_writable(int fd, int64_t deadline_ms)
{
    for (;;) {
        int64_t left = deadline_ms - hq_monotonic_ms();
        if (left <= 0)
            return 1;
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        int rc = poll(&pfd, 1, (int)left);
        if (rc > 0)
            return 0;
        if (rc == 0)
            return 1;
        if (errno != EINTR)
            return -1;
    }
}

/* Writes everything to a non-blocking fd within the deadline. 0 ok, -1 error (errno), 1 timeout. */
static int s_write_all(int fd, const uint8_t *bytes, size_t len, int64_t deadline_ms, int sock)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = sock ? send(fd, bytes + done, len - done, MSG_NOSIGNAL)
                         : write(fd, bytes + done, len - done);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return -1;
        if (n == 0) {
            errno = EIO;
            return -1;
        }
        int w = s_wait_writable(fd, deadline_ms);
        if (w != 0)
            return w;
    }
    return 0;
}

static int s_write_device(const output_t *out, const void *bytes, size_t len, char *why,
                          size_t whylen)
{
    /* Non-blocking, so a printer that takes nothing (offline, no paper) meets the timeout
     * instead of blocking the kiosk forever. Never created: a missing device is an error. */
    int fd = open(out->target, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
            snprintf(why, whylen, s_msg(out, KT_OUT_NO_SUCH), out->target);
        else
            snprintf(why, whylen, s_msg(out, KT_OUT_OPEN_FAILED), out->target, strerror(errno));
        return -1;
    }
    int rc = s_write_all(fd, bytes, len, hq_monotonic_ms() + out->timeout_ms, 0);
    int saved = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 1) {
        snprintf(why, whylen, s_msg(out, KT_OUT_TIMED_OUT), out->target,
                 (out->timeout_ms + 999) / 1000);
        return -1;
    }
    if (rc != 0) {
        snprintf(why, whylen, s_msg(out, KT_OUT_WRITE_FAILED), out->target, strerror(saved));
        return -1;
    }
    return 0;
}

static int s_write_file(const output_t *out, const void *bytes, size_t len, char *why,
                        size_t whylen)
{
    int fd = open(out->target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(why, whylen, s_msg(out, KT_OUT_FILE), out->target, strerror(errno));
        return -1;
    }
    size_t done = 0;
    int rc = 0;
    while (done < len) {
        ssize_t n = write(fd, (const uint8_t *)bytes + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = -1;
            break;
        }
        done += (size_t)n;
    }
    int saved = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0) {
        snprintf(why, whylen, s_msg(out, KT_OUT_FILE), out->target, strerror(saved));
        return -1;
    }
    return 0;
}

static int s_write_tcp(const output_t *out, const void *bytes, size_t len, char *why, size_t whylen)
{
    const char *name = output_name(out);
    char host[256], port[8];
    if (s_split_tcp(out->target, host, sizeof host, port, sizeof port) != 0) {
        snprintf(why, whylen, s_msg(out, KT_OUT_CONNECT), name, "bad address");
        return -1;
    }
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_family = AF_UNSPEC};
    struct addrinfo *res = NULL;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) {
        snprintf(why, whylen, s_msg(out, KT_OUT_CONNECT), name, gai_strerror(gai));
        return -1;
    }
    int64_t deadline = hq_monotonic_ms() + out->timeout_ms;
    int fd = -1, rc = -1, saved = ECONNREFUSED;
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            int w = errno == EINPROGRESS ? s_wait_writable(fd, deadline) : -1;
            int soerr = 0;
            socklen_t sl = sizeof soerr;
            if (w == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0) {
                break; /* connected */
            }
            saved = w == 1 ? ETIMEDOUT : soerr ? soerr : errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        if (saved == ETIMEDOUT)
            snprintf(why, whylen, s_msg(out, KT_OUT_TIMED_OUT), name,
                     (out->timeout_ms + 999) / 1000);
        else
            snprintf(why, whylen, s_msg(out, KT_OUT_CONNECT), name, strerror(saved));
        return -1;
    }
    rc = s_write_all(fd, bytes, len, deadline, 1);
    saved = errno;
    /* Tell the printer the job is complete before closing, so it does not wait for more. */
    if (rc == 0 && shutdown(fd, SHUT_WR) != 0) {
        rc = -1;
        saved = errno;
    }
    close(fd);
    if (rc == 1) {
        snprintf(why, whylen, s_msg(out, KT_OUT_TIMED_OUT), name, (out->timeout_ms + 999) / 1000);
        return -1;
    }
    if (rc != 0) {
        snprintf(why, whylen, s_msg(out, KT_OUT_WRITE_FAILED), name, strerror(saved));
        return -1;
    }
    return 0;
}

int output_write(const output_t *out, const void *bytes, size_t len, char *why, size_t whylen)
{
    switch (out->kind) {
    case OUTPUT_DEVICE:
        return s_write_device(out, bytes, len, why, whylen);
    case OUTPUT_TCP:
        return s_write_tcp(out, bytes, len, why, whylen);
    case OUTPUT_FILE:
        return s_write_file(out, bytes, len, why, whylen);
    case OUTPUT_PREVIEW:
        if (fwrite(bytes, 1, len, stdout) != len || fflush(stdout) != 0) {
            snprintf(why, whylen, s_msg(out, KT_OUT_FILE), "stdout", strerror(errno));
            return -1;
        }
        return 0;
    }
    snprintf(why, whylen, "unknown output");
    return -1;
}
