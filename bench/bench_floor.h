/* The floors: what ZeroMQ and SQLite cost by themselves on this machine, measured with the
 * same message sizes, the same sockets and the same durability settings hallqd uses. */
#ifndef BENCH_FLOOR_H
#define BENCH_FLOOR_H

#include "bench_util.h"

#include <sqlite3.h>
#include <stddef.h>
#include <sys/types.h>

/* ---- DEALER/ROUTER round trip: a DEALER here, an echo ROUTER in a helper process ----
 * With a database (db_path not NULL) the helper is the raw request with its commit inside: it
 * reads every request waiting, inserts one row of row_bytes each in one transaction (WAL,
 * synchronous=FULL, as the SQLite floor), commits, and only then replies, with the request's
 * "id" echoed (hallq's reply begins the same way). No hallq code is in it: what ZeroMQ, SQLite
 * and this machine's threads and disk cost a durable request, one client or many. */
typedef struct {
    pid_t pid; /* the echo helper */
    char endpoint[256];
    void *dealer;
    char *request; /* request body of the size hallq's issue request has */
    size_t request_bytes;
} bf_rtt_t;

int bf_rtt_open(bf_rtt_t *r, void *ctx, const char *self_exe, size_t request_bytes,
                size_t reply_bytes, const char *db_path, size_t row_bytes, char *why,
                size_t whylen);
/* n round trips, each added to out. 0 ok, -1 when a reply did not come within a second. */
int bf_rtt_run(bf_rtt_t *r, int n, bu_samples_t *out);
void bf_rtt_close(bf_rtt_t *r);

/* ---- PUB side of the PUB/SUB hop: two frames like a hallq event (topic, body) ---- */
typedef struct {
    void *pub;
    char endpoint[256];
    char *body;
    size_t body_bytes;
} bf_pub_t;

int bf_pub_open(bf_pub_t *p, void *ctx, size_t body_bytes, char *why, size_t whylen);
int bf_pub_send(bf_pub_t *p, const char *topic);
/* Sends a "hello" (not timed): the fleet's poke while subscriptions propagate. */
void bf_pub_hello(void *p);
void bf_pub_close(bf_pub_t *p);

/* ---- SQLite: one insert per transaction, WAL, synchronous=FULL, like hallqd ---- */
typedef struct {
    sqlite3 *db;
    sqlite3_stmt *begin, *insert, *commit;
    char *row; /* a body of the size of one hallq event */
    size_t row_bytes;
    long long next_id;
    int64_t busy_ns; /* time spent in transactions, for the rate */
    long transactions;
} bf_sql_t;

int bf_sql_open(bf_sql_t *s, const char *path, size_t row_bytes, char *why, size_t whylen);
/* n transactions of one insert each; each duration (BEGIN..COMMIT) added to out. */
int bf_sql_run(bf_sql_t *s, int n, bu_samples_t *out, char *why, size_t whylen);
/* One transaction of n inserts (the raw group commit). 0 ok, -1 on an error (rolled back). */
int bf_sql_batch(bf_sql_t *s, int n);
void bf_sql_close(bf_sql_t *s);

#endif
