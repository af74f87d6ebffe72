/* hallq-web under N concurrent event streams: the time from a call to every page that follows
 * a ticket, measured at the clients, beside the raw ZeroMQ hop (a plain SUB socket on hallqd's
 * events) in the same run, and hallq-web's resident memory at that load.
 *
 * It issues N tickets (their web tokens from the issue replies), opens N streams
 * /t/TOKEN/events on one epoll set, waits for each stream's first state, then makes R calls:
 * each call moves every waiting ticket's "ahead", so every stream gets a message. A sample is
 * the time from sending the call to a stream's message; the ZeroMQ hop is the time from
 * sending the call to the SUB socket's `called` event.
 *
 * usage: web-sse-bench REQUEST_EP EVENTS_EP WEB_PORT WEB_PID N ROUNDS */
#include "hq_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zmq.h>

typedef struct {
    int fd;
    int messages;   /* "data:" lines seen */
    int64_t got_us; /* when the message of the current round came, 0 not yet */
} s_stream_t;

static int64_t s_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int s_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double s_pct(int64_t *v, size_t n, double p)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, s_cmp);
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return (double)v[i] / 1000.0;
}

static long s_rss_kib(int pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

static int s_request(hq_client_t *c, hq_request_t *req, hq_reply_t *reply)
{
    hq_error_t err;
    if (hq_client_request(c, req, reply, &err) != 0 || !reply->ok) {
        fprintf(stderr, "web-sse-bench: %s refused or unanswered\n", hq_req_type_name(req->type));
        return -1;
    }
    return 0;
}

/* Reads what a stream has; counts the "data:" lines (a message each). -1 closed. */
static int s_read(s_stream_t *s, int64_t now)
{
    char buf[16384];
    for (;;) {
        ssize_t n = recv(s->fd, buf, sizeof buf, 0);
        if (n == 0)
            return -1;
        if (n < 0)
            return errno == EAGAIN ? 0 : -1;
        for (ssize_t i = 0; i + 5 <= n; i++)
            if (memcmp(buf + i, "data:", 5) == 0) {
                s->messages++;
                if (!s->got_us)
                    s->got_us = now;
            }
    }
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: web-sse-bench REQUEST_EP EVENTS_EP WEB_PORT WEB_PID N ROUNDS\n");
        return 2;
    }
    const char *req_ep = argv[1], *ev_ep = argv[2];
    int port = atoi(argv[3]), web_pid = atoi(argv[4]), n = atoi(argv[5]), rounds = atoi(argv[6]);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    hq_client_t *c = hq_client_new(req_ep, 5000);
    s_stream_t *streams = calloc((size_t)n, sizeof *streams);
    int64_t *samples = calloc((size_t)n * (size_t)rounds, sizeof *samples);
    int64_t *hops = calloc((size_t)rounds, sizeof *hops);
    if (!c || !streams || !samples || !hops)
        return 1;
    /* N tickets, one stream each; the queues take turns so that no queue passes 999. */
    int epfd = epoll_create1(0);
    for (int i = 0; i < n; i++) {
        hq_request_t req;
        hq_request_init(&req, HQ_REQ_ISSUE);
        req.queue = (char)('A' + i % 7);
        hq_reply_t reply;
        if (s_request(c, &req, &reply) != 0)
            return 1;
        const char *token = json_string_value(json_object_get(reply.body, "web_token"));
        char get[256];
        int len = snprintf(get, sizeof get,
                           "GET /t/%s/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: "
                           "text/event-stream\r\n\r\n",
                           token ? token : "");
        hq_reply_clear(&reply);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
            send(fd, get, (size_t)len, 0) != len) {
            fprintf(stderr, "web-sse-bench: stream %d: %s\n", i, strerror(errno));
            return 1;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof one);
        fcntl(fd, F_SETFL, O_NONBLOCK);
        streams[i].fd = fd;
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
    }
    /* Every stream's first state. */
    struct epoll_event evs[512];
    int ready = 0;
    int64_t deadline = s_now_us() + 30000000;
    while (ready < n && s_now_us() < deadline) {
        int k = epoll_wait(epfd, evs, 512, 1000);
        for (int e = 0; e < k; e++) {
            s_stream_t *s = &streams[evs[e].data.u32];
            int before = s->messages;
            if (s_read(s, s_now_us()) < 0) {
                fprintf(stderr, "web-sse-bench: a stream closed\n");
                return 1;
            }
            ready += before == 0 && s->messages > 0;
        }
    }
    if (ready < n) {
        fprintf(stderr, "web-sse-bench: %d of %d streams got their first state\n", ready, n);
        return 1;
    }
    long rss_idle = s_rss_kib(web_pid);
    /* The raw hop: a plain SUB on hallqd's events. */
    void *sub = zmq_socket(hq_zmq_context(), ZMQ_SUB);
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "called", 6);
    zmq_connect(sub, ev_ep);
    usleep(300000); /* the subscription reaches the publisher (slow joiner) */
    hq_request_t login;
    hq_request_init(&login, HQ_REQ_LOGIN);
    login.counter = 1;
    strcpy(login.clerk, "bench");
    hq_reply_t reply;
    if (s_request(c, &login, &reply) != 0)
        return 1;
    hq_reply_clear(&reply);
    usleep(200000);
    size_t nsamples = 0;
    int missing = 0;
    for (int r = 0; r < rounds; r++) {
        if (r > 0) {
            /* The window finishes the ticket of the round before (not timed); its stream's
             * message is read and dropped. */
            hq_request_t finish;
            hq_request_init(&finish, HQ_REQ_FINISH);
            finish.counter = 1;
            if (s_request(c, &finish, &reply) != 0)
                return 1;
            hq_reply_clear(&reply);
            usleep(100000);
            int k;
            while ((k = epoll_wait(epfd, evs, 512, 0)) > 0)
                for (int e = 0; e < k; e++)
                    s_read(&streams[evs[e].data.u32], s_now_us());
        }
        for (int i = 0; i < n; i++)
            streams[i].got_us = 0;
        hq_request_t call;
        hq_request_init(&call, HQ_REQ_CALL);
        call.counter = 1;
        int64_t t0 = s_now_us();
        if (hq_client_send(c, &call, &(hq_error_t){0}) != 0)
            return 1;
        int got = 0, hop_done = 0, replied = 0;
        int64_t end = t0 + 5000000;
        while ((got < n - r || !hop_done || !replied) && s_now_us() < end) {
            int k = epoll_wait(epfd, evs, 512, 1);
            int64_t now = s_now_us();
            for (int e = 0; e < k; e++) {
                /* A late message of a finished ticket's stream is not this call's. */
                uint32_t i = evs[e].data.u32;
                s_stream_t *s = &streams[i];
                int64_t before = s->got_us;
                s_read(s, now);
                got += (int)i >= r && !before && s->got_us;
            }
            zmq_msg_t m;
            zmq_msg_init(&m);
            if (!hop_done && zmq_msg_recv(&m, sub, ZMQ_DONTWAIT) >= 0) {
                hops[r] = s_now_us() - t0;
                int more = zmq_msg_more(&m);
                zmq_msg_close(&m);
                while (more) { /* the body */
                    zmq_msg_init(&m);
                    zmq_msg_recv(&m, sub, 0);
                    more = zmq_msg_more(&m);
                    zmq_msg_close(&m);
                }
                hop_done = 1;
            } else {
                zmq_msg_close(&m);
            }
            if (!replied && hq_client_receive(c, &reply) == 1) {
                hq_reply_clear(&reply);
                replied = 1;
            }
        }
        /* Every ticket still waiting has one ahead fewer, and the one called is called: each
         * of their streams has a message (those called in the rounds before are finished). */
        for (int i = 0; i < n; i++) {
            if (i < r) /* called first-come, first-served: tickets 0 .. r-1 are finished */
                continue;
            if (streams[i].got_us)
                samples[nsamples++] = streams[i].got_us - t0;
            else
                missing++;
        }
        usleep(100000);
    }
    long rss_load = s_rss_kib(web_pid);
    double p50 = s_pct(samples, nsamples, 0.50), p99 = s_pct(samples, nsamples, 0.99);
    double pmax = s_pct(samples, nsamples, 1.0);
    double h50 = s_pct(hops, (size_t)rounds, 0.50), h99 = s_pct(hops, (size_t)rounds, 0.99);
    printf("{\"streams\": %d, \"rounds\": %d, \"samples\": %zu, \"missing\": %d,\n"
           " \"call_to_pages_ms\": {\"p50\": %.2f, \"p99\": %.2f, \"max\": %.2f},\n"
           " \"call_to_zmq_sub_ms\": {\"p50\": %.2f, \"p99\": %.2f},\n"
           " \"p99_over_zmq_p50\": %.1f,\n"
           " \"web_rss_mib\": {\"streams_open\": %.1f, \"after_calls\": %.1f}}\n",
           n, rounds, nsamples, missing, p50, p99, pmax, h50, h99, h50 > 0 ? p99 / h50 : 0,
           (double)rss_idle / 1024.0, (double)rss_load / 1024.0);
    zmq_close(sub);
    for (int i = 0; i < n; i++)
        close(streams[i].fd);
    close(epfd);
    free(streams);
    free(samples);
    free(hops);
    hq_client_destroy(&c);
    hq_zmq_shutdown();
    return missing ? 1 : 0;
}
