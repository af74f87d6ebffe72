#include "bench_hallq.h"

#include "bench_floor.h"

#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

/* ---- single requests ------------------------------------------------------------------------ */
int bq_request(hq_client_t *c, hq_request_t *req, char *why, size_t whylen)
{
    hq_reply_t reply;
    hq_error_t err;
    if (hq_client_request(c, req, &reply, &err) != 0) {
        snprintf(why, whylen, "%s: %s", hq_req_type_name(req->type), err.message);
        return -1;
    }
    int ok = reply.ok;
    if (!ok)
        snprintf(why, whylen, "%s refused: %s", hq_req_type_name(req->type), reply.error.message);
    hq_reply_clear(&reply);
    return ok ? 0 : -1;
}

int bq_login(hq_client_t *c, int counter, char *why, size_t whylen)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_LOGIN);
    req.counter = counter;
    snprintf(req.clerk, sizeof req.clerk, "bench%d", counter);
    return bq_request(c, &req, why, whylen);
}

static int s_simple(hq_client_t *c, hq_req_type_t type, int counter, char *why, size_t whylen)
{
    hq_request_t req;
    hq_request_init(&req, type);
    req.counter = counter;
    return bq_request(c, &req, why, whylen);
}

/* An issue request as hallq-ticket sends it: with a token that makes a retry safe (the
 * daemon looks it up among the day's tickets, so it is part of the cost). `who` keeps the
 * tokens of concurrent kiosks apart. */
static void s_issue_request(hq_request_t *req, int *rr, int who)
{
    hq_request_init(req, HQ_REQ_ISSUE);
    req->queue = BQ_QUEUES[*rr % (int)(sizeof BQ_QUEUES - 1)];
    snprintf(req->token, sizeof req->token, "bench-%d-%d-%d", (int)getpid(), who, *rr);
    (*rr)++;
}

/* Receives one multi-frame message and returns the size of its last frame (-1: none). */
static long s_recv_last(void *sock, char *topic, size_t topic_len, char **body)
{
    long size = -1;
    int more = 1, first = 1;
    while (more) {
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, sock, 0) < 0) {
            zmq_msg_close(&msg);
            return -1;
        }
        more = zmq_msg_more(&msg);
        size = (long)zmq_msg_size(&msg);
        if (first && topic) {
            size_t n = (size_t)size < topic_len - 1 ? (size_t)size : topic_len - 1;
            memcpy(topic, zmq_msg_data(&msg), n);
            topic[n] = '\0';
        }
        if (!more && body) {
            *body = malloc((size_t)size + 1);
            if (*body) {
                memcpy(*body, zmq_msg_data(&msg), (size_t)size);
                (*body)[size] = '\0';
            }
        }
        first = 0;
        zmq_msg_close(&msg);
    }
    return size;
}

int bq_probe(void *ctx, const bd_daemon_t *d, int counter, bq_sizes_t *out, char *why,
             size_t whylen)
{
    memset(out, 0, sizeof *out);
    int rc = -1, linger = 0, timeout = 3000;
    void *sub = zmq_socket(ctx, ZMQ_SUB);
    void *dealer = zmq_socket(ctx, ZMQ_DEALER);
    hq_client_t *c = hq_client_new(d->request, 3000);
    char topic[32];
    zmq_setsockopt(sub, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(dealer, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(sub, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(dealer, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0);
    if (!c || zmq_connect(sub, d->events) != 0 || zmq_connect(dealer, d->request) != 0) {
        snprintf(why, whylen, "cannot connect to hallqd");
        goto done;
    }
    /* The first heartbeat proves the subscription has reached the daemon. */
    if (s_recv_last(sub, topic, sizeof topic, NULL) < 0) {
        snprintf(why, whylen, "no event from hallqd within 3 s");
        goto done;
    }
    if (bq_login(c, counter, why, whylen) != 0)
        goto done;
    /* An issue request framed and identified as hq_client does it ("id": "PID-N"). */
    hq_request_t req;
    int rr = 0;
    s_issue_request(&req, &rr, 1000);
    snprintf(req.id, sizeof req.id, "%d-%d", (int)getpid(), 1);
    char *text = hq_request_encode(&req);
    if (!text) {
        snprintf(why, whylen, "cannot encode an issue request");
        goto done;
    }
    out->issue_request = strlen(text);
    zmq_send(dealer, "", 0, ZMQ_SNDMORE);
    zmq_send(dealer, text, strlen(text), 0);
    free(text);
    long reply = s_recv_last(dealer, NULL, 0, NULL);
    if (reply <= 0) {
        snprintf(why, whylen, "no reply to the probe's issue request");
        goto done;
    }
    out->issue_reply = (size_t)reply;
    if (s_simple(c, HQ_REQ_CALL, counter, why, whylen) != 0)
        goto done;
    /* The event of the issue, then that of the call. */
    for (int i = 0; i < 20 && !out->called_event; i++) {
        long size = s_recv_last(sub, topic, sizeof topic, NULL);
        if (size < 0)
            break;
        if (strcmp(topic, "called") == 0)
            out->called_event = (size_t)size;
        else if (strcmp(topic, "issued") == 0 && !out->issued_event)
            out->issued_event = (size_t)size;
    }
    if (!out->called_event) {
        snprintf(why, whylen, "no \"called\" event seen");
        goto done;
    }
    rc = s_simple(c, HQ_REQ_FINISH, counter, why, whylen);
done:
    hq_client_destroy(&c);
    zmq_close(sub);
    zmq_close(dealer);
    return rc;
}

/* ---- issue latency -------------------------------------------------------------------------- */
int bq_issue_run(hq_client_t *c, int n, int *rr, bu_samples_t *out, char *why, size_t whylen)
{
    for (int i = 0; i < n; i++) {
        hq_request_t req;
        s_issue_request(&req, rr, 1001);
        int64_t t0 = bu_now_ns();
        if (bq_request(c, &req, why, whylen) != 0)
            return -1;
        if (out)
            bu_samples_add(out, bu_now_ns() - t0);
    }
    return 0;
}

int bq_issue_raw_run(void *ctx, const char *endpoint, int n, int *rr, bu_samples_t *out, char *why,
                     size_t whylen)
{
    void *dealer = zmq_socket(ctx, ZMQ_DEALER);
    int linger = 0, timeout = 5000, rc = 0;
    zmq_setsockopt(dealer, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(dealer, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    if (zmq_connect(dealer, endpoint) != 0) {
        zmq_close(dealer);
        snprintf(why, whylen, "cannot connect %s", endpoint);
        return -1;
    }
    for (int i = 0; i < n && rc == 0; i++) {
        hq_request_t req;
        s_issue_request(&req, rr, 1003);
        snprintf(req.id, sizeof req.id, "raw-%d", i);
        char *text = hq_request_encode(&req), *body = NULL;
        if (!text) {
            snprintf(why, whylen, "cannot encode an issue request");
            rc = -1;
            break;
        }
        int64_t t0 = bu_now_ns();
        if (zmq_send(dealer, "", 0, ZMQ_SNDMORE) < 0 ||
            zmq_send(dealer, text, strlen(text), 0) < 0 ||
            s_recv_last(dealer, NULL, 0, &body) < 0) {
            snprintf(why, whylen, "no reply to a raw issue request within 5 s");
            rc = -1;
        } else {
            int64_t t1 = bu_now_ns();
            hq_reply_t reply;
            if (hq_reply_decode(body, strlen(body), &reply) != HQ_OK || !reply.ok) {
                snprintf(why, whylen, "raw issue refused: %s", reply.error.message);
                rc = -1;
            } else if (out) {
                bu_samples_add(out, t1 - t0);
            }
            hq_reply_clear(&reply);
        }
        free(body);
        free(text);
    }
    zmq_close(dealer);
    return rc;
}

/* ---- hallq's store alone ------------------------------------------------------------------- */
static char *s_filler(size_t bytes)
{
    char *p = malloc(bytes + 1);
    if (p) {
        memset(p, 'x', bytes);
        p[bytes] = '\0';
    }
    return p;
}

int bq_store_open(bq_store_t *s, const char *dir, const bq_sizes_t *sizes, char *why, size_t whylen)
{
    memset(s, 0, sizeof *s);
    /* synchronous=FULL, as hallqd's default configuration (sync_full = 1). */
    s->store = store_open(dir, 1, why, whylen);
    s->issued = s_filler(sizes->issued_event ? sizes->issued_event : sizes->called_event);
    if (!s->store || !s->issued) {
        if (s->store)
            snprintf(why, whylen, "out of memory");
        bq_store_close(s);
        return -1;
    }
    time_t now = time(NULL);
    struct tm tm;
    strftime(s->day, sizeof s->day, "%Y-%m-%d", localtime_r(&now, &tm));
    s->next_id = 1;
    return 0;
}

int bq_store_run(bq_store_t *s, int n, bu_samples_t *out, char *why, size_t whylen)
{
    for (int i = 0; i < n; i++) {
        hq_ticket_t t;
        memset(&t, 0, sizeof t);
        t.id = s->next_id++;
        hq_strlcpy(t.day, s->day, sizeof t.day);
        t.prefix = t.queue = (char)('A' + (t.id / 9999) % 26);
        t.number = (int)(t.id % 9999) + 1;
        hq_label_format(t.prefix, t.number, t.label, sizeof t.label);
        snprintf(t.token, sizeof t.token, "store-%lld", (long long)t.id);
        t.state = HQ_T_WAITING;
        t.issued_ms = hq_now_ms();
        int64_t t0 = bu_now_ns();
        if (store_begin(s->store) != 0 || store_put_ticket(s->store, &t) != 0 ||
            store_append_event(s->store, ++s->seq, t.issued_ms, "issued", s->issued) != 0 ||
            store_commit(s->store) != 0) {
            snprintf(why, whylen, "hallq's store: %s", store_errmsg(s->store));
            store_rollback(s->store);
            return -1;
        }
        bu_samples_add(out, bu_now_ns() - t0);
    }
    return 0;
}

void bq_store_close(bq_store_t *s)
{
    store_close(&s->store);
    free(s->issued);
    memset(s, 0, sizeof *s);
}

int bq_prefill(void *ctx, const char *endpoint, int count, int *rr, char *why, size_t whylen)
{
    enum { S_WINDOW = 64 };
    void *dealer = zmq_socket(ctx, ZMQ_DEALER);
    int linger = 0, timeout = 5000, rc = 0;
    zmq_setsockopt(dealer, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(dealer, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    if (zmq_connect(dealer, endpoint) != 0) {
        zmq_close(dealer);
        snprintf(why, whylen, "cannot connect %s", endpoint);
        return -1;
    }
    int sent = 0, answered = 0;
    while (answered < count && rc == 0) {
        while (sent < count && sent - answered < S_WINDOW) {
            hq_request_t req;
            s_issue_request(&req, rr, 1001);
            snprintf(req.id, sizeof req.id, "fill-%d", sent);
            char *text = hq_request_encode(&req);
            if (!text || zmq_send(dealer, "", 0, ZMQ_SNDMORE) < 0 ||
                zmq_send(dealer, text, strlen(text), 0) < 0) {
                free(text);
                snprintf(why, whylen, "cannot send an issue request");
                rc = -1;
                break;
            }
            free(text);
            sent++;
        }
        char *body = NULL;
        if (rc == 0 && s_recv_last(dealer, NULL, 0, &body) < 0) {
            snprintf(why, whylen, "no reply to an issue request within 5 s");
            rc = -1;
        }
        if (body) {
            hq_reply_t reply;
            if (hq_reply_decode(body, strlen(body), &reply) != HQ_OK || !reply.ok) {
                snprintf(why, whylen, "issue refused while filling the day: %s",
                         reply.error.message);
                rc = -1;
            }
            hq_reply_clear(&reply);
            free(body);
            answered++;
        }
    }
    zmq_close(dealer);
    return rc;
}

/* ---- call -> display ------------------------------------------------------------------------- */
int bq_call_run(hq_client_t *c, int counter, bs_fleet_t *displays, int n, long gap_us,
                bu_samples_t *each, bu_samples_t *last, char *why, size_t whylen)
{
    for (int i = 0; i < n; i++) {
        hq_request_t req;
        hq_request_init(&req, HQ_REQ_CALL);
        req.counter = counter;
        hq_reply_t reply;
        hq_error_t err;
        int64_t t0 = bu_now_ns();
        if (hq_client_request(c, &req, &reply, &err) != 0) {
            snprintf(why, whylen, "call: %s", err.message);
            return -1;
        }
        int called = reply.ok && json_is_object(json_object_get(reply.body, "ticket"));
        hq_reply_clear(&reply);
        if (!called) {
            snprintf(why, whylen, "call at counter %d found nobody waiting or was refused",
                     counter);
            return -1;
        }
        if (bs_collect(displays, t0, 5000, each, last) != 0) {
            snprintf(why, whylen, "a display did not get the \"called\" event within 5 s");
            return -1;
        }
        if (s_simple(c, HQ_REQ_FINISH, counter, why, whylen) != 0)
            return -1;
        /* The next call goes out when every display has the "finished" event too, so the
         * fan-out of one sample never overlaps the next; the raw floor has nothing to wait
         * for here. */
        if (bs_settle(displays, 5000) != 0) {
            snprintf(why, whylen, "a display did not get the \"finished\" event within 5 s");
            return -1;
        }
        bu_sleep_us(gap_us);
    }
    return 0;
}

/* ---- a count from a database --------------------------------------------------------------- */
long long bq_count_rows(const char *db_path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* ---- cold start --------------------------------------------------------------------------------
 */
/* "N ticket(s) in memory" from the daemon's start line, the last one in the log. */
static long s_loaded_tickets(const char *log_path)
{
    FILE *f = fopen(log_path, "r");
    char line[1024];
    long n = -1;
    while (f && fgets(line, sizeof line, f)) {
        const char *at = strstr(line, " ticket(s) in memory");
        if (!at)
            continue;
        while (at > line && at[-1] >= '0' && at[-1] <= '9')
            at--;
        n = atol(at);
    }
    if (f)
        fclose(f);
    return n;
}

static int s_cold_once(const char *hallqd, const char *data, const char *log, bq_cold_t *out,
                       double *ms, double *listening_ms, char *why, size_t whylen)
{
    bd_daemon_t d;
    if (bd_start(&d, hallqd, data, log, NULL, 120000, why, whylen) != 0)
        return -1;
    int64_t answered = bd_ping(&d, 10000);
    if (answered < 0) {
        snprintf(why, whylen, "hallqd did not answer a ping within 10 s of listening");
        bd_stop(&d, SIGKILL);
        return -1;
    }
    *ms = (double)(answered - d.exec_ns) / 1e6;
    if (listening_ms)
        *listening_ms = (double)(d.listening_ns - d.exec_ns) / 1e6;
    long hwm = bd_hwm_kb(&d);
    out->rss_kb = bd_rss_kb(&d);
    out->anon_kb = bu_status_kb(d.pid, "RssAnon");
    if (hwm > out->hwm_kb)
        out->hwm_kb = hwm;
    int status = bd_stop(&d, SIGTERM);
    if (status != 0) {
        snprintf(why, whylen, "hallqd exited with status %d on SIGTERM (log: %s)", status, log);
        return -1;
    }
    return 0;
}

int bq_cold_start(const char *hallqd, const char *history_dir, const char *work_dir, int runs,
                  bq_cold_t *out, char *why, size_t whylen)
{
    memset(out, 0, sizeof *out);
    out->runs = runs;
    char data[1024], log[1024], from[1100], to[1100];
    snprintf(data, sizeof data, "%s/year", work_dir);
    snprintf(log, sizeof log, "%s/year.log", work_dir);
    if (mkdir(data, 0750) != 0) {
        snprintf(why, whylen, "cannot create %s", data);
        return -1;
    }
    /* The daemon writes into its data (rollover, metric rows at stop): a copy keeps the
     * generated history the same for every run of the benchmark. */
    static const char *const files[] = {"hallq.db", "hallq.db-wal"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(from, sizeof from, "%s/%s", history_dir, files[i]);
        snprintf(to, sizeof to, "%s/%s", data, files[i]);
        if (bu_file_size(from) < 0 && i > 0)
            continue;
        if (bu_copy_file(from, to) != 0) {
            snprintf(why, whylen, "cannot copy %s to %s", from, to);
            return -1;
        }
    }
    snprintf(to, sizeof to, "%s/hallq.db", data);
    out->db_bytes = bu_file_size(to);
    out->tickets = bq_count_rows(to, "SELECT count(*) FROM tickets");
    out->events = bq_count_rows(to, "SELECT count(*) FROM events");
    if (out->tickets < 0) {
        snprintf(why, whylen, "%s has no tickets table", to);
        return -1;
    }
    snprintf(to, sizeof to, "%s/hallq.db-wal", data);
    if (bu_file_size(to) >= 0)
        bu_evict_file(to);
    snprintf(to, sizeof to, "%s/hallq.db", data);
    if (bu_evict_file(to) != 0) {
        snprintf(why, whylen, "cannot evict %s from the page cache", to);
        return -1;
    }
    if (s_cold_once(hallqd, data, log, out, &out->evicted_ms, &out->listening_ms, why, whylen) != 0)
        return -1;
    out->loaded_tickets = s_loaded_tickets(log);
    bu_samples_t warm;
    bu_samples_init(&warm);
    for (int i = 0; i < runs; i++) {
        double ms;
        if (s_cold_once(hallqd, data, log, out, &ms, NULL, why, whylen) != 0) {
            bu_samples_free(&warm);
            return -1;
        }
        bu_samples_add(&warm, (int64_t)(ms * 1e6));
    }
    out->warm = bu_summarize(&warm);
    bu_samples_free(&warm);
    return 0;
}
