#include "bench_floor.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

/* ---- DEALER/ROUTER round trip ------------------------------------------------------------- */
/* Reads the line the echo helper writes once it is bound. */
static int s_read_line(int fd, char *out, size_t n, int timeout_ms)
{
    size_t len = 0;
    int64_t deadline = bu_now_ns() + (int64_t)timeout_ms * 1000000;
    while (len + 1 < n && bu_now_ns() < deadline) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0)
            continue;
        ssize_t got = read(fd, out + len, 1);
        if (got <= 0)
            break;
        if (out[len] == '\n') {
            out[len] = '\0';
            return 0;
        }
        len++;
    }
    out[len] = '\0';
    return -1;
}

int bf_rtt_open(bf_rtt_t *r, void *ctx, const char *self_exe, size_t request_bytes,
                size_t reply_bytes, const char *db_path, size_t row_bytes, char *why, size_t whylen)
{
    memset(r, 0, sizeof *r);
    r->request_bytes = request_bytes;
    r->request = malloc(request_bytes ? request_bytes : 1);
    int fds[2];
    if (!r->request || bu_pipe(fds, 0) != 0) {
        snprintf(why, whylen, "out of memory or descriptors");
        goto fail;
    }
    memset(r->request, 'q', request_bytes);
    char bytes[24], row[24], fd[16];
    snprintf(bytes, sizeof bytes, "%zu", reply_bytes);
    snprintf(row, sizeof row, "%zu", row_bytes);
    snprintf(fd, sizeof fd, "%d", fds[1]);
    char *echo[] = {(char *)self_exe, "--helper", "echo", bytes, fd, NULL};
    char *commit[] = {(char *)self_exe, "--helper", "commit", bytes, row,
                      (char *)db_path,  fd,         NULL};
    r->pid = bu_spawn(db_path ? commit : echo, -1);
    close(fds[1]);
    int rc = r->pid > 0 ? s_read_line(fds[0], r->endpoint, sizeof r->endpoint, 5000) : -1;
    close(fds[0]);
    if (rc != 0) {
        snprintf(why, whylen, "the %s helper did not start", db_path ? "commit" : "echo");
        goto fail;
    }
    r->dealer = zmq_socket(ctx, ZMQ_DEALER);
    int linger = 0;
    zmq_setsockopt(r->dealer, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_connect(r->dealer, r->endpoint) != 0) {
        snprintf(why, whylen, "cannot connect %s: %s", r->endpoint, zmq_strerror(zmq_errno()));
        goto fail;
    }
    return 0;
fail:
    bf_rtt_close(r);
    return -1;
}

int bf_rtt_run(bf_rtt_t *r, int n, bu_samples_t *out)
{
    char reply[64];
    for (int i = 0; i < n; i++) {
        int64_t t0 = bu_now_ns();
        /* The framing hq_client uses: an empty delimiter, then the body. */
        if (zmq_send(r->dealer, "", 0, ZMQ_SNDMORE) < 0 ||
            zmq_send(r->dealer, r->request, r->request_bytes, 0) < 0)
            return -1;
        zmq_pollitem_t item = {r->dealer, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&item, 1, 1000) != 1)
            return -1;
        int more = 1;
        while (more) {
            if (zmq_recv(r->dealer, reply, sizeof reply, 0) < 0)
                return -1;
            more = 0;
            size_t len = sizeof more;
            zmq_getsockopt(r->dealer, ZMQ_RCVMORE, &more, &len);
        }
        bu_samples_add(out, bu_now_ns() - t0);
    }
    return 0;
}

void bf_rtt_close(bf_rtt_t *r)
{
    if (r->dealer)
        zmq_close(r->dealer);
    if (r->pid > 0) {
        kill(r->pid, SIGTERM);
        bu_reap(r->pid, 2000);
    }
    free(r->request);
    memset(r, 0, sizeof *r);
}

/* ---- PUB ------------------------------------------------------------------------------------- */
int bf_pub_open(bf_pub_t *p, void *ctx, size_t body_bytes, char *why, size_t whylen)
{
    memset(p, 0, sizeof *p);
    p->body_bytes = body_bytes;
    p->body = malloc(body_bytes ? body_bytes : 1);
    p->pub = zmq_socket(ctx, ZMQ_PUB);
    if (!p->body || !p->pub) {
        snprintf(why, whylen, "cannot create a PUB socket");
        bf_pub_close(p);
        return -1;
    }
    memset(p->body, 'e', body_bytes);
    /* hallqd's PUB settings: no linger, a deep queue so a burst never drops events. */
    int linger = 0, hwm = 100000;
    zmq_setsockopt(p->pub, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(p->pub, ZMQ_SNDHWM, &hwm, sizeof hwm);
    size_t len = sizeof p->endpoint;
    if (zmq_bind(p->pub, "tcp://127.0.0.1:*") != 0 ||
        zmq_getsockopt(p->pub, ZMQ_LAST_ENDPOINT, p->endpoint, &len) != 0) {
        snprintf(why, whylen, "cannot bind a PUB socket: %s", zmq_strerror(zmq_errno()));
        bf_pub_close(p);
        return -1;
    }
    return 0;
}

int bf_pub_send(bf_pub_t *p, const char *topic)
{
    if (zmq_send(p->pub, topic, strlen(topic), ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_send(p->pub, p->body, p->body_bytes, ZMQ_DONTWAIT) < 0)
        return -1;
    return 0;
}

void bf_pub_hello(void *p)
{
    bf_pub_send(p, "hello");
}

void bf_pub_close(bf_pub_t *p)
{
    if (p->pub)
        zmq_close(p->pub);
    free(p->body);
    memset(p, 0, sizeof *p);
}

/* ---- SQLite -------------------------------------------------------------------------------------
 */
int bf_sql_open(bf_sql_t *s, const char *path, size_t row_bytes, char *why, size_t whylen)
{
    memset(s, 0, sizeof *s);
    s->row_bytes = row_bytes;
    s->row = malloc(row_bytes + 1);
    if (!s->row) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    memset(s->row, 'r', row_bytes);
    s->row[row_bytes] = '\0';
    s->next_id = 1;
    /* The daemon's settings (server/store_check.c): WAL, synchronous=FULL, BEGIN IMMEDIATE. The
     * statements are prepared once, so the floor is SQLite's and the disk's cost alone. */
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(s->db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE IF NOT EXISTS floor(id INTEGER PRIMARY KEY, ts INTEGER NOT NULL,"
                     " body TEXT NOT NULL);",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "BEGIN IMMEDIATE", -1, &s->begin, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT INTO floor(id, ts, body) VALUES(?,?,?)", -1, &s->insert,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "COMMIT", -1, &s->commit, NULL) != SQLITE_OK) {
        snprintf(why, whylen, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        bf_sql_close(s);
        return -1;
    }
    return 0;
}

static int s_step(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int bf_sql_run(bf_sql_t *s, int n, bu_samples_t *out, char *why, size_t whylen)
{
    for (int i = 0; i < n; i++) {
        int64_t t0 = bu_now_ns();
        sqlite3_bind_int64(s->insert, 1, s->next_id++);
        sqlite3_bind_int64(s->insert, 2, t0);
        sqlite3_bind_text(s->insert, 3, s->row, (int)s->row_bytes, SQLITE_STATIC);
        if (s_step(s->begin) != 0 || s_step(s->insert) != 0 || s_step(s->commit) != 0) {
            snprintf(why, whylen, "SQLite floor: %s", sqlite3_errmsg(s->db));
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        int64_t d = bu_now_ns() - t0;
        s->busy_ns += d;
        s->transactions++;
        if (out)
            bu_samples_add(out, d);
    }
    return 0;
}

int bf_sql_batch(bf_sql_t *s, int n)
{
    if (s_step(s->begin) != 0)
        return -1;
    for (int i = 0; i < n; i++) {
        sqlite3_bind_int64(s->insert, 1, s->next_id++);
        sqlite3_bind_int64(s->insert, 2, bu_now_ns());
        sqlite3_bind_text(s->insert, 3, s->row, (int)s->row_bytes, SQLITE_STATIC);
        if (s_step(s->insert) != 0) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    if (s_step(s->commit) != 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    s->transactions++;
    return 0;
}

void bf_sql_close(bf_sql_t *s)
{
    sqlite3_finalize(s->begin);
    sqlite3_finalize(s->insert);
    sqlite3_finalize(s->commit);
    if (s->db)
        sqlite3_close(s->db);
    free(s->row);
    memset(s, 0, sizeof *s);
}
