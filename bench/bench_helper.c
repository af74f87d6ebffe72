#include "bench_helper.h"

#include "bench_floor.h"
#include "bench_util.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

/* A ROUTER in ctx bound to a free loopback port, its endpoint written to out_fd
 * (then closed) for the process that spawned the helper; NULL, said on stderr, when it cannot
 * bind. */
static void *s_bound_router(void *ctx, const char *role, int out_fd)
{
    void *router = zmq_socket(ctx, ZMQ_ROUTER);
    int linger = 0;
    if (!router || zmq_setsockopt(router, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        zmq_bind(router, "tcp://127.0.0.1:*") != 0) {
        fprintf(stderr, "hallq-bench: %s helper cannot bind: %s\n", role,
                zmq_strerror(zmq_errno()));
        return NULL;
    }
    char endpoint[256];
    size_t len = sizeof endpoint;
    zmq_getsockopt(router, ZMQ_LAST_ENDPOINT, endpoint, &len);
    dprintf(out_fd, "%s\n", endpoint);
    close(out_fd);
    return router;
}

static int s_echo(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "hallq-bench: echo helper: REPLY_BYTES ENDPOINT_FD\n");
        return 2;
    }
    size_t reply_bytes = (size_t)atol(argv[1]);
    int out_fd = atoi(argv[2]);
    char *reply = malloc(reply_bytes ? reply_bytes : 1);
    if (!reply) {
        fprintf(stderr, "hallq-bench: echo helper: out of memory\n");
        return 1;
    }
    void *ctx = zmq_ctx_new();
    void *router = s_bound_router(ctx, "echo", out_fd);
    if (!router) {
        zmq_ctx_term(ctx);
        free(reply);
        return 1;
    }
    memset(reply, 'x', reply_bytes);
    /* Frames as hallqd's ROUTER sees them from a DEALER: identity, empty delimiter, body. */
    for (;;) {
        zmq_msg_t frames[3];
        int n = 0, more = 1;
        while (more) {
            zmq_msg_t msg;
            zmq_msg_init(&msg);
            if (zmq_msg_recv(&msg, router, 0) < 0) {
                zmq_msg_close(&msg);
                for (int i = 0; i < n; i++)
                    zmq_msg_close(&frames[i]);
                goto done;
            }
            more = zmq_msg_more(&msg);
            if (n < 3)
                frames[n++] = msg;
            else
                zmq_msg_close(&msg);
        }
        if (n >= 2) {
            zmq_msg_send(&frames[0], router, ZMQ_SNDMORE);
            if (n == 3)
                zmq_send(router, "", 0, ZMQ_SNDMORE);
            zmq_send(router, reply, reply_bytes, 0);
        }
        for (int i = 0; i < n; i++)
            zmq_msg_close(&frames[i]);
    }
done:
    zmq_close(router);
    zmq_ctx_term(ctx);
    free(reply);
    return 0;
}

/* The raw request with its commit inside (bench_floor.h). */
#define S_COMMIT_BATCH 256 /* requests a transaction takes at most */

typedef struct {
    zmq_msg_t identity;
    char id[64]; /* the request's "id", echoed in the reply */
} s_waiting_t;

/* Where `needle` begins in text..end, or NULL. */
static const char *s_find(const char *text, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *at = text; at + n <= end; at++)
        if (memcmp(at, needle, n) == 0)
            return at;
    return NULL;
}

/* Reads one request if one is waiting: 1 read, 0 none, -1 the socket failed. */
static int s_commit_read(void *router, s_waiting_t *w)
{
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&msg, router, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&msg);
        return zmq_errno() == EAGAIN ? 0 : -1;
    }
    w->identity = msg; /* the first frame: who sent it */
    w->id[0] = '\0';
    int more = zmq_msg_more(&w->identity);
    while (more) {
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, router, 0) < 0) {
            zmq_msg_close(&msg);
            return -1;
        }
        more = zmq_msg_more(&msg);
        const char *text = zmq_msg_data(&msg), *end = text + zmq_msg_size(&msg);
        const char *at = s_find(text, end, "\"id\":\"");
        if (at) {
            at += 6;
            const char *quote = memchr(at, '"', (size_t)(end - at));
            size_t n = quote ? (size_t)(quote - at) : 0;
            if (n < sizeof w->id) {
                memcpy(w->id, at, n);
                w->id[n] = '\0';
            }
        }
        zmq_msg_close(&msg);
    }
    return 1;
}

static int s_commit(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "hallq-bench: commit helper: REPLY_BYTES ROW_BYTES DB ENDPOINT_FD\n");
        return 2;
    }
    size_t reply_bytes = (size_t)atol(argv[1]), row_bytes = (size_t)atol(argv[2]);
    int out_fd = atoi(argv[4]);
    char why[512];
    bf_sql_t sql;
    if (bf_sql_open(&sql, argv[3], row_bytes, why, sizeof why) != 0) {
        fprintf(stderr, "hallq-bench: commit helper: %s\n", why);
        return 1;
    }
    size_t cap = reply_bytes + 128;
    char *reply = malloc(cap);
    s_waiting_t *waiting = calloc(S_COMMIT_BATCH, sizeof *waiting);
    void *ctx = zmq_ctx_new();
    void *router = NULL;
    if (!reply || !waiting)
        fprintf(stderr, "hallq-bench: commit helper: out of memory\n");
    else
        router = s_bound_router(ctx, "commit", out_fd);
    if (!router) {
        zmq_ctx_term(ctx);
        bf_sql_close(&sql);
        free(waiting);
        free(reply);
        return 1;
    }
    /* As hallqd's loop: wait for a request, take every one waiting, one transaction, commit,
     * then the replies. */
    for (;;) {
        zmq_pollitem_t item = {router, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&item, 1, -1) < 0)
            break;
        int n = 0, rc = 0;
        while (n < S_COMMIT_BATCH && (rc = s_commit_read(router, &waiting[n])) == 1)
            n++;
        if (rc < 0 || (n > 0 && bf_sql_batch(&sql, n) != 0)) {
            fprintf(stderr, "hallq-bench: commit helper: %s\n",
                    rc < 0 ? zmq_strerror(zmq_errno()) : sqlite3_errmsg(sql.db));
            break;
        }
        for (int i = 0; i < n; i++) {
            int body = snprintf(reply, cap, "{\"v\":1,\"ok\":true,\"id\":\"%s\"}", waiting[i].id);
            size_t size = (size_t)body < reply_bytes ? reply_bytes : (size_t)body;
            memset(reply + body, ' ', size - (size_t)body); /* as long as hallq's reply */
            zmq_msg_send(&waiting[i].identity, router, ZMQ_SNDMORE);
            zmq_send(router, "", 0, ZMQ_SNDMORE);
            zmq_send(router, reply, size, 0);
            zmq_msg_close(&waiting[i].identity);
        }
    }
    zmq_close(router);
    zmq_ctx_term(ctx);
    bf_sql_close(&sql);
    free(waiting);
    free(reply);
    return 0;
}

/* One subscriber of a "sub" helper: its own SUB socket, in its own thread. */
typedef struct {
    void *ctx;
    const char *endpoint, *topic, *settle;
    int64_t *mine; /* its row of arrival times */
    long max;
    int ready_fd, notify_fd;
    pthread_t thread;
    int started;
} s_member_t;

static void *s_member_run(void *arg)
{
    s_member_t *m = arg;
    size_t topic_len = strlen(m->topic),
           settle_len = strcmp(m->settle, "-") == 0 ? 0 : strlen(m->settle);
    void *sub = zmq_socket(m->ctx, ZMQ_SUB);
    int linger = 0, hwm = 100000;
    zmq_setsockopt(sub, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(sub, ZMQ_RCVHWM, &hwm, sizeof hwm);
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0);
    if (zmq_connect(sub, m->endpoint) != 0) {
        fprintf(stderr, "hallq-bench: sub helper cannot connect %s: %s\n", m->endpoint,
                zmq_strerror(zmq_errno()));
        zmq_close(sub);
        return NULL;
    }
    int ready = 0;
    long k = 0;
    for (;;) {
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, sub, 0) < 0) {
            zmq_msg_close(&msg);
            break;
        }
        /* The arrival time is taken on the first frame, before anything is parsed. */
        int64_t t = bu_now_ns();
        int timed =
            zmq_msg_size(&msg) == topic_len && memcmp(zmq_msg_data(&msg), m->topic, topic_len) == 0;
        int settled = settle_len && zmq_msg_size(&msg) == settle_len &&
                      memcmp(zmq_msg_data(&msg), m->settle, settle_len) == 0;
        int more = zmq_msg_more(&msg);
        zmq_msg_close(&msg);
        while (more) {
            zmq_msg_init(&msg);
            if (zmq_msg_recv(&msg, sub, 0) < 0) {
                zmq_msg_close(&msg);
                more = 0;
                break;
            }
            more = zmq_msg_more(&msg);
            zmq_msg_close(&msg);
        }
        if (!ready || settled) {
            ready = 1;
            if (write(m->ready_fd, "r", 1) != 1)
                break;
        }
        if (timed && k < m->max) {
            m->mine[k++] = t;
            if (write(m->notify_fd, "n", 1) != 1)
                break;
        }
    }
    zmq_close(sub);
    return NULL;
}

static int s_sub(int argc, char **argv)
{
    if (argc != 10) {
        fprintf(stderr, "hallq-bench: sub helper: ENDPOINT TOPIC SETTLE SHM FIRST COUNT MAX "
                        "READY_FD NOTIFY_FD\n");
        return 2;
    }
    long first = atol(argv[5]), count = atol(argv[6]), max = atol(argv[7]);
    int ready_fd = atoi(argv[8]), notify_fd = atoi(argv[9]);
    if (first < 0 || count < 1 || max < 1) {
        fprintf(stderr, "hallq-bench: sub helper: bad FIRST, COUNT or MAX\n");
        return 2;
    }
    size_t bytes = (size_t)(first + count) * (size_t)max * sizeof(int64_t);
    int64_t *shm = bu_shm_open(argv[4], bytes);
    s_member_t *members = calloc((size_t)count, sizeof *members);
    if (!shm || !members) {
        fprintf(stderr, "hallq-bench: sub helper cannot map %s\n", argv[4]);
        return 1;
    }
    /* One context, one I/O thread: the members share it as a display's threads would. */
    void *ctx = zmq_ctx_new();
    for (long i = 0; i < count; i++) {
        s_member_t *m = &members[i];
        *m = (s_member_t){ctx, argv[1],  argv[2],   argv[3], shm + (first + i) * max,
                          max, ready_fd, notify_fd, 0,       0};
        m->started = pthread_create(&m->thread, NULL, s_member_run, m) == 0;
        if (!m->started)
            fprintf(stderr, "hallq-bench: sub helper cannot start member %ld\n", first + i);
    }
    /* Until SIGTERM ends the process: the members block in their sockets. */
    for (long i = 0; i < count; i++)
        if (members[i].started)
            pthread_join(members[i].thread, NULL);
    zmq_ctx_term(ctx);
    bu_shm_close(shm, bytes);
    free(members);
    return 0;
}

int bh_main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "echo") == 0)
        return s_echo(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "commit") == 0)
        return s_commit(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "sub") == 0)
        return s_sub(argc - 1, argv + 1);
    fprintf(stderr, "hallq-bench: unknown helper role\n");
    return 2;
}
