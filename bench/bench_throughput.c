/* hallq-bench: sustained issue throughput, against hallqd and against the raw group commit
 * (bench_hallq.h). */
#include "bench_hallq.h"

#include "bench_floor.h"
#include "bench_zmtp.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

/* ---- throughput ------------------------------------------------------------------------------ */
/* The kiosks of a throughput run: one thread drives them all, each its own connection with one
 * request outstanding, as a kiosk has. In a hall each kiosk is a machine of its own; here they
 * share two cores with the daemon, so a kiosk does no more than a kiosk must. Its request is
 * the text hq_request_encode writes (read once per queue, the id and the token filled in),
 * sent as a libzmq DEALER would send it but over a plain socket (bench_zmtp.h), and a reply
 * is read as far as its id and "ok". Ten threads each running jansson both ways took half the
 * machine, and libzmq's own client side, one thread for all ten, as much as the daemon. */
typedef struct {
    char pre[128], mid[64], post[64]; /* the request around its id and its token */
} s_issue_text_t;

typedef struct {
    bz_peer_t peer;
    int index;
    int rr;          /* the kiosk's next queue and token */
    long sent;       /* requests sent: the id of the outstanding one */
    int64_t sent_ns; /* when it was sent; 0: nothing outstanding */
    int answered;    /* s_kiosk_reply: 1 ok, -1 an error reply, 0 not its answer */
} s_kiosk_t;

typedef struct {
    const char *endpoint;
    int kiosks;
    atomic_int *stop;
    atomic_long *ok_total;
    long errors;
    bu_samples_t latency;
    char why[160];
} s_fleet_t;

static int s_issue_template(char queue, s_issue_text_t *t)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = queue;
    snprintf(req.id, sizeof req.id, "@ID@");
    snprintf(req.token, sizeof req.token, "@TOKEN@");
    char *text = hq_request_encode(&req);
    char *id = text ? strstr(text, "@ID@") : NULL;
    char *token = id ? strstr(id, "@TOKEN@") : NULL;
    int ok = token && (size_t)(id - text) < sizeof t->pre &&
             (size_t)(token - id - 4) < sizeof t->mid && strlen(token + 7) < sizeof t->post;
    if (ok) {
        snprintf(t->pre, sizeof t->pre, "%.*s", (int)(id - text), text);
        snprintf(t->mid, sizeof t->mid, "%.*s", (int)(token - id - 4), id + 4);
        snprintf(t->post, sizeof t->post, "%s", token + 7);
    }
    free(text);
    return ok ? 0 : -1;
}

static int s_kiosk_send(s_kiosk_t *k, int pid, const s_issue_text_t *texts, int ntexts)
{
    char body[320];
    const s_issue_text_t *t = &texts[k->rr % ntexts];
    int n = snprintf(body, sizeof body, "%s%d-%ld%sbench-%d-%d-%d%s", t->pre, k->index, ++k->sent,
                     t->mid, pid, 2000 + k->index, k->rr, t->post);
    k->rr++;
    k->sent_ns = bu_now_ns();
    if (n < 0 || (size_t)n >= sizeof body || bz_send(&k->peer, body, (size_t)n) != 0) {
        k->sent_ns = 0;
        return -1;
    }
    return 0;
}

/* Whether `needle` occurs in the first `len` bytes of `text` (not NUL-terminated). */
static int s_has(const char *text, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (text[i] == needle[0] && memcmp(text + i, needle, n) == 0)
            return 1;
    return 0;
}

/* A message for a kiosk (bz_message_fn). The reply begins {"v":1,"ok":...,"id":"..."}. */
static void s_kiosk_reply(void *arg, const char *text, size_t len)
{
    s_kiosk_t *k = arg;
    char expect[48];
    snprintf(expect, sizeof expect, "\"id\":\"%d-%ld\"", k->index, k->sent);
    if (s_has(text, len, expect)) /* else an answer to something else: not ours to count */
        k->answered = s_has(text, len < 32 ? len : 32, "\"ok\":true") ? 1 : -1;
}

static void *s_fleet_run(void *arg)
{
    s_fleet_t *f = arg;
    s_issue_text_t texts[sizeof BQ_QUEUES - 1];
    int ntexts = (int)(sizeof BQ_QUEUES - 1);
    s_kiosk_t *k = calloc((size_t)f->kiosks, sizeof *k);
    struct epoll_event *ready = calloc((size_t)f->kiosks, sizeof *ready);
    int ep = epoll_create1(EPOLL_CLOEXEC), connected = 0, pid = (int)getpid();
    for (int i = 0; i < ntexts; i++)
        if (s_issue_template(BQ_QUEUES[i], &texts[i]) != 0) {
            snprintf(f->why, sizeof f->why, "cannot encode an issue request");
            goto done;
        }
    if (!k || !ready || ep < 0) {
        snprintf(f->why, sizeof f->why, "out of memory");
        goto done;
    }
    for (; connected < f->kiosks; connected++) {
        s_kiosk_t *one = &k[connected];
        char why[120];
        one->index = connected;
        one->rr = connected; /* kiosks start at different queues */
        if (bz_connect(&one->peer, f->endpoint, why, sizeof why) != 0) {
            snprintf(f->why, sizeof f->why, "kiosk %d: %s", connected + 1, why);
            goto done;
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = one};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, one->peer.fd, &ev) != 0) {
            bz_close(&one->peer);
            snprintf(f->why, sizeof f->why, "kiosk %d: epoll: %s", connected + 1, strerror(errno));
            goto done;
        }
        if (s_kiosk_send(one, pid, texts, ntexts) != 0)
            f->errors++;
    }
    while (!atomic_load(f->stop)) {
        int n = epoll_wait(ep, ready, f->kiosks, 50);
        int64_t now = bu_now_ns();
        for (int i = 0; i < n; i++) {
            s_kiosk_t *one = ready[i].data.ptr;
            one->answered = 0;
            if (bz_read(&one->peer, s_kiosk_reply, one) < 0) {
                /* The run ends by killing the daemon: its kiosks' connections break first. */
                epoll_ctl(ep, EPOLL_CTL_DEL, one->peer.fd, NULL);
                continue;
            }
            if (!one->answered)
                continue;
            if (one->answered > 0) {
                bu_samples_add(&f->latency, now - one->sent_ns);
                atomic_fetch_add(f->ok_total, 1);
            } else {
                f->errors++;
            }
            if (s_kiosk_send(one, pid, texts, ntexts) != 0)
                f->errors++;
        }
    }
done:
    for (int i = 0; i < connected; i++)
        bz_close(&k[i].peer);
    if (ep >= 0)
        close(ep);
    free(ready);
    free(k);
    return NULL;
}

/* A fleet of kiosks in its own thread, against an endpoint. */
typedef struct {
    s_fleet_t fleet;
    atomic_int stop;
    atomic_long ok_total;
    pthread_t thread;
} s_run_t;

static int s_run_start(s_run_t *run, const char *endpoint, int kiosks, char *why, size_t whylen)
{
    memset(run, 0, sizeof *run);
    atomic_init(&run->stop, 0);
    atomic_init(&run->ok_total, 0);
    run->fleet = (s_fleet_t){
        .endpoint = endpoint, .kiosks = kiosks, .stop = &run->stop, .ok_total = &run->ok_total};
    bu_samples_init(&run->fleet.latency);
    if (pthread_create(&run->thread, NULL, s_fleet_run, &run->fleet) != 0) {
        snprintf(why, whylen, "cannot start the kiosks' thread");
        bu_samples_free(&run->fleet.latency);
        return -1;
    }
    return 0;
}

/* warm_s of warm-up, then the replies of `seconds` counted. */
static void s_run_window(s_run_t *run, double warm_s, double seconds, bq_throughput_t *out)
{
    bu_sleep_us((long)(warm_s * 1e6));
    long c0 = atomic_load(&run->ok_total);
    int64_t t0 = bu_now_ns();
    bu_sleep_us((long)(seconds * 1e6));
    long c1 = atomic_load(&run->ok_total);
    int64_t t1 = bu_now_ns();
    out->seconds = (double)(t1 - t0) / 1e9;
    out->replies = c1 - c0;
    out->tx_per_s = out->seconds > 0 ? (double)out->replies / out->seconds : 0;
}

static int s_run_stop(s_run_t *run, bq_throughput_t *out, char *why, size_t whylen)
{
    atomic_store(&run->stop, 1);
    pthread_join(run->thread, NULL);
    out->errors = run->fleet.errors;
    out->latency = bu_summarize(&run->fleet.latency);
    bu_samples_free(&run->fleet.latency);
    out->ok_total = atomic_load(&run->ok_total);
    if (run->fleet.why[0]) {
        snprintf(why, whylen, "%s", run->fleet.why);
        return -1;
    }
    return 0;
}

int bq_throughput(const char *hallqd, const char *work_dir, int kiosks, double warm_s,
                  double seconds, bq_throughput_t *out, char *why, size_t whylen)
{
    memset(out, 0, sizeof *out);
    out->kiosks = kiosks;
    char data[1024], log[1024], db[1100];
    snprintf(data, sizeof data, "%s/throughput-%d", work_dir, kiosks);
    snprintf(log, sizeof log, "%s/throughput-%d.log", work_dir, kiosks);
    snprintf(db, sizeof db, "%s/hallq.db", data);
    bd_daemon_t d;
    if (bd_start(&d, hallqd, data, log, NULL, 30000, why, whylen) != 0)
        return -1;
    s_run_t run;
    if (s_run_start(&run, d.request, kiosks, why, whylen) != 0) {
        bd_stop(&d, SIGKILL);
        return -1;
    }
    s_run_window(&run, warm_s, seconds, out);
    out->rss_kb = bd_rss_kb(&d);
    /* A crash in full flight: whatever was answered must already be on disk. */
    bd_stop(&d, SIGKILL);
    int rc = s_run_stop(&run, out, why, whylen);
    if (rc == 0) {
        out->in_database = bq_count_rows(db, "SELECT count(*) FROM tickets");
        out->durable = out->in_database >= out->ok_total;
    }
    return rc;
}

int bq_throughput_raw(void *ctx, const char *self_exe, const char *work_dir,
                      const bq_sizes_t *sizes, int kiosks, double warm_s, double seconds,
                      bq_throughput_t *out, char *why, size_t whylen)
{
    memset(out, 0, sizeof *out);
    out->kiosks = kiosks;
    char db[1100];
    snprintf(db, sizeof db, "%s/floor-group-%d.db", work_dir, kiosks);
    bf_rtt_t helper;
    if (bf_rtt_open(&helper, ctx, self_exe, sizes->issue_request, sizes->issue_reply, db,
                    sizes->called_event, why, whylen) != 0)
        return -1;
    s_run_t run;
    int rc = s_run_start(&run, helper.endpoint, kiosks, why, whylen);
    if (rc == 0) {
        s_run_window(&run, warm_s, seconds, out);
        rc = s_run_stop(&run, out, why, whylen);
    }
    bf_rtt_close(&helper);
    if (rc == 0) {
        out->in_database = bq_count_rows(db, "SELECT count(*) FROM floor");
        out->durable = out->in_database >= out->ok_total;
    }
    return rc;
}
