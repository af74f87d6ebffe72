#include "bench_daemon.h"

#include "bench_util.h"
#include "hq_client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copies the rest of the daemon's stderr to the log until the daemon exits. Without it the
 * pipe would fill (hallqd logs every action) and the daemon would block on its own log. */
static void *s_drain(void *arg)
{
    bd_daemon_t *d = arg;
    char buf[8192];
    for (;;) {
        ssize_t n = read(d->pipe_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (write(d->log_fd, buf, (size_t)n) != n)
            break;
    }
    return NULL;
}

int bd_start(bd_daemon_t *d, const char *hallqd, const char *data_dir, const char *log_path,
             char *const extra_args[], int timeout_ms, char *why, size_t whylen)
{
    memset(d, 0, sizeof *d);
    d->pipe_fd = d->log_fd = -1;
    snprintf(d->data_dir, sizeof d->data_dir, "%s", data_dir);
    d->log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int fds[2];
    if (d->log_fd < 0 || bu_pipe(fds, 1) != 0) {
        snprintf(why, whylen, "cannot open %s: %s", log_path, strerror(errno));
        goto fail;
    }
    /* A benchmark's kiosks send thousands of requests a second: the daemon runs unlimited
     * ([limits] local = unlimited, the README's way for benchmarks and trusted tools). */
    char conf[1100];
    snprintf(conf, sizeof conf, "%s.conf", d->data_dir);
    FILE *f = fopen(conf, "w");
    int written = f && fputs("[limits]\nlocal = unlimited\n", f) >= 0;
    if (f && fclose(f) != 0)
        written = 0;
    if (!written) {
        snprintf(why, whylen, "cannot write %s: %s", conf, strerror(errno));
        goto fail;
    }
    char *argv[32] = {(char *)hallqd,      "--data",   d->data_dir,
                      "--config",          conf,       "--request",
                      "tcp://127.0.0.1:*", "--events", "tcp://127.0.0.1:*"};
    int argc = 9;
    for (int i = 0; extra_args && extra_args[i] && argc < 31; i++)
        argv[argc++] = extra_args[i];
    argv[argc] = NULL;
    d->exec_ns = bu_now_ns();
    d->pid = bu_spawn(argv, fds[1]);
    close(fds[1]);
    d->pipe_fd = fds[0];
    if (d->pid < 0) {
        snprintf(why, whylen, "cannot start %s", hallqd);
        goto fail;
    }
    /* Read its stderr until it says where it listens; everything read goes to the log. */
    char buf[4096], line[1024];
    size_t len = 0;
    int64_t deadline = d->exec_ns + (int64_t)timeout_ms * 1000000;
    while (!d->listening_ns) {
        int64_t left_ms = (deadline - bu_now_ns()) / 1000000;
        struct pollfd p = {d->pipe_fd, POLLIN, 0};
        if (left_ms < 0 || poll(&p, 1, (int)left_ms + 1) <= 0) {
            snprintf(why, whylen, "%s did not start listening within %d ms (log: %s)", hallqd,
                     timeout_ms, log_path);
            goto fail;
        }
        ssize_t n = read(d->pipe_fd, buf, sizeof buf);
        if (n <= 0) {
            snprintf(why, whylen, "%s exited at start (log: %s)", hallqd, log_path);
            goto fail;
        }
        if (write(d->log_fd, buf, (size_t)n) != n) {
            snprintf(why, whylen, "cannot write %s: %s", log_path, strerror(errno));
            goto fail;
        }
        for (ssize_t i = 0; i < n && !d->listening_ns; i++) {
            if (buf[i] != '\n') {
                if (len + 1 < sizeof line)
                    line[len++] = buf[i];
                continue;
            }
            line[len] = '\0';
            len = 0;
            const char *at = strstr(line, "listening requests=");
            if (at &&
                sscanf(at, "listening requests=%255s events=%255s", d->request, d->events) == 2)
                d->listening_ns = bu_now_ns();
        }
    }
    if (pthread_create(&d->drain, NULL, s_drain, d) != 0) {
        snprintf(why, whylen, "cannot start the log thread");
        goto fail;
    }
    d->draining = 1;
    return 0;
fail:
    bd_stop(d, SIGKILL);
    return -1;
}

int64_t bd_ping(const bd_daemon_t *d, int timeout_ms)
{
    int64_t deadline = bu_now_ns() + (int64_t)timeout_ms * 1000000;
    hq_client_t *c = hq_client_new(d->request, 200);
    int64_t answered = -1;
    while (c && answered < 0 && bu_now_ns() < deadline) {
        hq_request_t req;
        hq_request_init(&req, HQ_REQ_PING);
        hq_reply_t reply;
        hq_error_t err;
        if (hq_client_request(c, &req, &reply, &err) == 0) {
            if (reply.ok)
                answered = bu_now_ns();
            hq_reply_clear(&reply);
        }
    }
    hq_client_destroy(&c);
    return answered;
}

int bd_stop(bd_daemon_t *d, int sig)
{
    int status = -1;
    if (d->pid > 0) {
        kill(d->pid, sig);
        status = bu_reap(d->pid, 20000);
        d->pid = 0;
    }
    if (d->draining) {
        pthread_join(d->drain, NULL);
        d->draining = 0;
    }
    if (d->pipe_fd >= 0)
        close(d->pipe_fd);
    if (d->log_fd >= 0)
        close(d->log_fd);
    d->pipe_fd = d->log_fd = -1;
    return status;
}

long bd_rss_kb(const bd_daemon_t *d)
{
    return bu_status_kb(d->pid, "VmRSS");
}

long bd_hwm_kb(const bd_daemon_t *d)
{
    return bu_status_kb(d->pid, "VmHWM");
}
