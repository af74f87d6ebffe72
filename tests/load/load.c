/* Load test: many kiosks, counters and displays against one hallqd.
 *
 * Kiosks issue tickets at a set rate, counters call and finish them, displays keep Clone-style
 * mirrors. At the end every display must hold exactly the daemon's state, having applied
 * every event once and in order (no gap, no duplicate), and the daemon's memory must not have
 * grown beyond what the day's tickets explain.
 *
 * usage: load REQ_EP EV_EP DAEMON_PID [--kiosks N] [--counters N] [--displays N]
 *             [--tickets N] [--seconds S] [--no-memory-check]
 */
#include "hq_client.h"
#include "hq_feed.h"
#include "hq_log.h"
#include "hq_mirror.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define S_DISPLAY_THREADS 6

typedef struct {
    const char *req_ep, *ev_ep;
    int pid;
    int kiosks, counters, displays, tickets;
    int seconds;
    int memory_check; /* off under AddressSanitizer, whose quarantine holds freed memory */
} s_conf_t;

static s_conf_t s_conf = {NULL, NULL, 0, 20, 100, 300, 1000, 20, 1};
static atomic_int s_issued, s_finished, s_errors, s_stop_actors, s_stop_displays;

typedef struct {
    hq_mirror_t mirror;
    hq_feed_t *feed;
    long applied;    /* events applied in order */
    long duplicates; /* events dropped as already applied (only right after a snapshot) */
    long gaps;       /* sequence numbers skipped: events lost */
} s_display_t;

static s_display_t *s_displays;

static void s_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static long s_rss_kb(int pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

static int s_request(hq_client_t *c, hq_request_t *req, hq_reply_t *reply)
{
    hq_error_t err;
    if (hq_client_request(c, req, reply, &err) != 0) {
        atomic_fetch_add(&s_errors, 1);
        fprintf(stderr, "load: %s: %s\n", hq_req_type_name(req->type), err.message);
        return -1;
    }
    return 0;
}

static void *s_kiosk(void *arg)
{
    int index = (int)(intptr_t)arg;
    hq_client_t *c = hq_client_new(s_conf.req_ep, 5000);
    unsigned seed = (unsigned)index * 7919u;
    /* Arrivals spread over the run: each kiosk gets its share of the tickets. */
    int share = s_conf.tickets / s_conf.kiosks + (index < s_conf.tickets % s_conf.kiosks);
    long gap_ms = share ? (long)s_conf.seconds * 1000 / share : 0;
    for (int i = 0; i < share && !atomic_load(&s_stop_actors); i++) {
        hq_request_t req;
        hq_request_init(&req, HQ_REQ_ISSUE);
        req.queue = (char)('A' + rand_r(&seed) % 7);
        req.elderly = rand_r(&seed) % 4 == 0; /* about a quarter are elderly */
        hq_reply_t reply;
        if (s_request(c, &req, &reply) == 0) {
            if (reply.ok)
                atomic_fetch_add(&s_issued, 1);
            else
                atomic_fetch_add(&s_errors, 1);
            hq_reply_clear(&reply);
        }
        s_sleep_ms(gap_ms / 2 + rand_r(&seed) % (gap_ms + 1));
    }
    hq_client_destroy(&c);
    return NULL;
}

static void *s_counter(void *arg)
{
    int id = (int)(intptr_t)arg;
    hq_client_t *c = hq_client_new(s_conf.req_ep, 5000);
    unsigned seed = (unsigned)id * 104729u;
    hq_request_t req;
    hq_reply_t reply;
    hq_request_init(&req, HQ_REQ_LOGIN);
    req.counter = id;
    snprintf(req.clerk, sizeof req.clerk, "clerk%d", id);
    if (s_request(c, &req, &reply) == 0)
        hq_reply_clear(&reply);
    while (!atomic_load(&s_stop_actors)) {
        hq_request_init(&req, HQ_REQ_CALL);
        req.counter = id;
        if (s_request(c, &req, &reply) != 0)
            break;
        int got = reply.ok && json_is_object(json_object_get(reply.body, "ticket"));
        hq_reply_clear(&reply);
        if (!got) {
            s_sleep_ms(100 + rand_r(&seed) % 200);
            continue;
        }
        /* a mix of what clerks do: start, recall, park and take back, transfer */
        int what = rand_r(&seed) % 10;
        if (what == 0) {
            hq_request_init(&req, HQ_REQ_RECALL);
            req.counter = id;
            if (s_request(c, &req, &reply) == 0)
                hq_reply_clear(&reply);
        } else if (what < 6) {
            hq_request_init(&req, HQ_REQ_START);
            req.counter = id;
            if (s_request(c, &req, &reply) == 0)
                hq_reply_clear(&reply);
        } else if (what == 6) {
            hq_request_init(&req, HQ_REQ_TRANSFER);
            req.counter = id;
            req.queue = (char)('A' + rand_r(&seed) % 7);
            if (s_request(c, &req, &reply) == 0) {
                int moved = reply.ok;
                hq_reply_clear(&reply);
                if (moved)
                    continue;
            }
        }
        s_sleep_ms(20 + rand_r(&seed) % 60);
        hq_request_init(&req, HQ_REQ_FINISH);
        req.counter = id;
        if (s_request(c, &req, &reply) == 0) {
            if (reply.ok)
                atomic_fetch_add(&s_finished, 1);
            hq_reply_clear(&reply);
        }
    }
    hq_client_destroy(&c);
    return NULL;
}

static void s_on_event(void *arg, const hq_event_t *ev, hq_apply_t result)
{
    s_display_t *d = arg;
    if (ev->type == HQ_EV_HEARTBEAT)
        return;
    if (result == HQ_APPLY_OK || result == HQ_APPLY_RESYNC)
        d->applied++;
    else if (result == HQ_APPLY_DUPLICATE)
        d->duplicates++;
    else if (result == HQ_APPLY_GAP)
        d->gaps++;
}

/* Each thread looks after every S_DISPLAY_THREADS-th display. A pass in which none of them
 * heard anything rests a millisecond: spinning six threads on two cores would take the CPU
 * from the daemon under test (ZeroMQ queues what arrives meanwhile). */
static void *s_display_thread(void *arg)
{
    int part = (int)(intptr_t)arg;
    while (!atomic_load(&s_stop_displays)) {
        int heard = 0;
        for (int i = part; i < s_conf.displays; i += S_DISPLAY_THREADS)
            heard |= hq_feed_poll(s_displays[i].feed, -1, 0) != 0;
        if (!heard)
            s_sleep_ms(1);
    }
    return NULL;
}

/* Compares a display's mirror with the daemon's snapshot; returns a reason or NULL. */
static const char *s_differs(const hq_mirror_t *m, const hq_mirror_t *truth)
{
    static char why[200];
    if (m->state != HQ_SYNC_ACTIVE)
        return "not in sync";
    if (m->seq != truth->seq) {
        snprintf(why, sizeof why, "at event %lld, daemon at %lld", (long long)m->seq,
                 (long long)truth->seq);
        return why;
    }
    if (m->ntickets != truth->ntickets)
        return "different number of open tickets";
    for (int i = 0; i < truth->ntickets; i++) {
        const hq_ticket_t *t = hq_mirror_ticket(m, truth->tickets[i].id);
        if (!t || memcmp(t, &truth->tickets[i], sizeof *t) != 0) {
            snprintf(why, sizeof why, "ticket %s differs", truth->tickets[i].label);
            return why;
        }
    }
    for (int i = 0; i < truth->ncounters; i++) {
        const hq_counter_t *c = hq_mirror_counter(m, truth->counters[i].id);
        if (!c || c->state != truth->counters[i].state ||
            c->current != truth->counters[i].current ||
            strcmp(c->clerk, truth->counters[i].clerk) != 0) {
            snprintf(why, sizeof why, "counter %d differs", truth->counters[i].id);
            return why;
        }
    }
    for (int i = 0; i < truth->nqueues; i++) {
        const hq_mirror_queue_t *q = hq_mirror_queue(m, truth->queues[i].prefix);
        if (!q || q->waiting != truth->queues[i].waiting || q->green != truth->queues[i].green)
            return "queue depths differ";
    }
    return NULL;
}

static int s_arg(int argc, char **argv, int *i, const char *name, int *out)
{
    if (strcmp(argv[*i], name) != 0 || *i + 1 >= argc)
        return 0;
    *out = atoi(argv[++*i]);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: load REQ_EP EV_EP DAEMON_PID [--kiosks N] [--counters N] "
                        "[--displays N] [--tickets N] [--seconds S]\n");
        return 2;
    }
    s_conf.req_ep = argv[1];
    s_conf.ev_ep = argv[2];
    s_conf.pid = atoi(argv[3]);
    for (int i = 4; i < argc; i++)
        if (!s_arg(argc, argv, &i, "--kiosks", &s_conf.kiosks) &&
            !s_arg(argc, argv, &i, "--counters", &s_conf.counters) &&
            !s_arg(argc, argv, &i, "--displays", &s_conf.displays) &&
            !s_arg(argc, argv, &i, "--tickets", &s_conf.tickets) &&
            !s_arg(argc, argv, &i, "--seconds", &s_conf.seconds)) {
            if (strcmp(argv[i], "--no-memory-check") == 0) {
                s_conf.memory_check = 0;
                continue;
            }
            fprintf(stderr, "load: unknown argument %s\n", argv[i]);
            return 2;
        }
    hq_log_set_level(HQ_LOG_ERROR);
    hq_zmq_context();
    s_displays = calloc((size_t)s_conf.displays, sizeof *s_displays);
    for (int i = 0; i < s_conf.displays; i++) {
        hq_mirror_init(&s_displays[i].mirror, 5000);
        s_displays[i].feed = hq_feed_new(s_conf.req_ep, s_conf.ev_ep, &s_displays[i].mirror);
        if (!s_displays[i].feed) {
            fprintf(stderr, "load: display %d cannot connect\n", i);
            return 1;
        }
        hq_feed_set_handler(s_displays[i].feed, s_on_event, &s_displays[i]);
    }
    pthread_t dthreads[S_DISPLAY_THREADS];
    for (int i = 0; i < S_DISPLAY_THREADS; i++)
        pthread_create(&dthreads[i], NULL, s_display_thread, (void *)(intptr_t)i);
    /* every display in sync before the day starts */
    for (int waited = 0;; waited += 100) {
        int synced = 0;
        for (int i = 0; i < s_conf.displays; i++)
            synced += s_displays[i].mirror.state == HQ_SYNC_ACTIVE;
        if (synced == s_conf.displays)
            break;
        if (waited > 60000) {
            fprintf(stderr, "load: only %d of %d displays synced\n", synced, s_conf.displays);
            return 1;
        }
        s_sleep_ms(100);
    }
    long rss_start = s_rss_kb(s_conf.pid), rss_peak = rss_start;
    pthread_t *actors = calloc((size_t)(s_conf.kiosks + s_conf.counters), sizeof *actors);
    for (int i = 0; i < s_conf.kiosks; i++)
        pthread_create(&actors[i], NULL, s_kiosk, (void *)(intptr_t)i);
    for (int i = 0; i < s_conf.counters; i++)
        pthread_create(&actors[s_conf.kiosks + i], NULL, s_counter, (void *)(intptr_t)(i + 1));
    long samples[8];
    for (int s = 0; s < 8; s++) {
        s_sleep_ms((long)s_conf.seconds * 1000 / 8);
        samples[s] = s_rss_kb(s_conf.pid);
        if (samples[s] > rss_peak)
            rss_peak = samples[s];
    }
    /* kiosks have issued their share; give the counters a moment, then stop */
    for (int i = 0; i < s_conf.kiosks; i++)
        pthread_join(actors[i], NULL);
    s_sleep_ms(1000);
    atomic_store(&s_stop_actors, 1);
    for (int i = 0; i < s_conf.counters; i++)
        pthread_join(actors[s_conf.kiosks + i], NULL);

    /* the daemon's own view, then every display must reach it */
    hq_client_t *c = hq_client_new(s_conf.req_ep, 5000);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_SNAPSHOT);
    hq_reply_t reply;
    hq_mirror_t truth;
    hq_mirror_init(&truth, 5000);
    if (s_request(c, &req, &reply) != 0 ||
        hq_mirror_load_snapshot(&truth, reply.body, 1) != HQ_OK) {
        fprintf(stderr, "load: no snapshot at the end\n");
        return 1;
    }
    hq_reply_clear(&reply);
    int behind = s_conf.displays;
    for (int waited = 0; waited < 30000 && behind; waited += 100) {
        s_sleep_ms(100);
        behind = 0;
        for (int i = 0; i < s_conf.displays; i++)
            behind += s_displays[i].mirror.seq < truth.seq;
    }
    atomic_store(&s_stop_displays, 1);
    for (int i = 0; i < S_DISPLAY_THREADS; i++)
        pthread_join(dthreads[i], NULL);
    long rss_end = s_rss_kb(s_conf.pid);

    int bad = 0;
    long gaps = 0, applied_min = -1, applied_max = 0;
    for (int i = 0; i < s_conf.displays; i++) {
        const char *why = s_differs(&s_displays[i].mirror, &truth);
        gaps += s_displays[i].gaps;
        if (why && bad++ < 5)
            fprintf(stderr, "load: display %d: %s\n", i, why);
        long a = s_displays[i].applied;
        applied_min = applied_min < 0 || a < applied_min ? a : applied_min;
        applied_max = a > applied_max ? a : applied_max;
    }
    printf("load: %d kiosks, %d counters, %d displays, %d s\n", s_conf.kiosks, s_conf.counters,
           s_conf.displays, s_conf.seconds);
    printf("load: %d tickets issued, %d finished, %d request errors\n", atomic_load(&s_issued),
           atomic_load(&s_finished), atomic_load(&s_errors));
    printf("load: daemon at event %lld; each display applied %ld..%ld events; gaps %ld; "
           "displays differing from the daemon %d\n",
           (long long)truth.seq, applied_min, applied_max, gaps, bad);
    printf("load: daemon RSS %ld kB at start, %ld kB peak, %ld kB at end; samples", rss_start,
           rss_peak, rss_end);
    for (int s = 0; s < 8; s++)
        printf(" %ld", samples[s]);
    printf("\n");
    int failed = bad > 0 || gaps > 0 || atomic_load(&s_errors) > 0 ||
                 atomic_load(&s_issued) < s_conf.tickets ||
                 /* memory flat once every client is connected (the first sample): growth
                  * within what the day's tickets explain (well under 2 kB each) */
                 (s_conf.memory_check && rss_peak - samples[0] > 8192 + (long)s_conf.tickets * 2);
    printf("load: %s\n", failed ? "FAILED" : "passed");
    for (int i = 0; i < s_conf.displays; i++) {
        hq_feed_destroy(&s_displays[i].feed);
        hq_mirror_free(&s_displays[i].mirror);
    }
    hq_mirror_free(&truth);
    hq_client_destroy(&c);
    free(s_displays);
    free(actors);
    return failed;
}
