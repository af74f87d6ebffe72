/* The hallq side: the same measurements as the floors, through the real hallqd, with the
 * shipped client library (lib/client/hq_client) as a kiosk or counter would use it. */
#ifndef BENCH_HALLQ_H
#define BENCH_HALLQ_H

#include "bench_daemon.h"
#include "bench_subs.h"
#include "bench_util.h"
#include "hq_client.h"
#include "store.h"

#include <stddef.h>

#define BQ_QUEUES "ABCDEFG" /* the default hall's queues: tickets are spread over them */

/* Sizes of hallq's own messages, so the floors move the same number of bytes. */
typedef struct {
    size_t issue_request; /* an issue request as hq_client sends it */
    size_t issue_reply;
    size_t called_event; /* body of a "called" event */
    size_t issued_event; /* body of an "issued" event */
} bq_sizes_t;

/* One request through c; 0 when it was answered with ok, -1 with why otherwise. */
int bq_request(hq_client_t *c, hq_request_t *req, char *why, size_t whylen);
int bq_login(hq_client_t *c, int counter, char *why, size_t whylen);

/* Learns the message sizes (logs in `counter`, issues, calls and finishes one ticket). */
int bq_probe(void *ctx, const bd_daemon_t *d, int counter, bq_sizes_t *out, char *why,
             size_t whylen);

/* n issues in a closed loop, each request -> durable -> reply added to out. *rr spreads the
 * tickets over the queues. */
int bq_issue_run(hq_client_t *c, int n, int *rr, bu_samples_t *out, char *why, size_t whylen);

/* The same through a bare DEALER: the request encoded before the clock starts, the reply not
 * decoded. What the daemon alone costs, without the client library. */
int bq_issue_raw_run(void *ctx, const char *endpoint, int n, int *rr, bu_samples_t *out, char *why,
                     size_t whylen);

/* hallq's own write set for one issue - a ticket row and its "issued" event in one
 * transaction - through server/store.c with no daemon around it, in a directory of its own on
 * the same disk. It splits the issue latency into transport, store and the rest. */
typedef struct {
    store_t *store;
    int64_t next_id, seq;
    char *issued; /* an event body of the size hallqd's has */
    char day[11];
} bq_store_t;

int bq_store_open(bq_store_t *s, const char *dir, const bq_sizes_t *sizes, char *why,
                  size_t whylen);
int bq_store_run(bq_store_t *s, int n, bu_samples_t *out, char *why, size_t whylen);
void bq_store_close(bq_store_t *s);

/* Issues count tickets quickly (many requests in flight on one DEALER), to have people
 * waiting for the call measurements and a busy day in memory. */
int bq_prefill(void *ctx, const char *endpoint, int count, int *rr, char *why, size_t whylen);

/* n calls at `counter`: from sending the call to the "called" event at every display of the
 * fleet (each display's latency to `each`, the slowest one's to `last`); the ticket is then
 * finished (not timed), every display's "finished" awaited (the fleet's settle topic) and
 * gap_us left. */
int bq_call_run(hq_client_t *c, int counter, bs_fleet_t *displays, int n, long gap_us,
                bu_samples_t *each, bu_samples_t *last, char *why, size_t whylen);

/* Sustained issue throughput: `kiosks` DEALER connections, each in a closed loop with one
 * request outstanding, all driven by one thread that sends the bytes hq_client would send,
 * against a fresh daemon. After the run the daemon is killed (SIGKILL) while requests are
 * still in flight, and every ticket a kiosk got a reply for must be in the database. */
typedef struct {
    int kiosks;
    double seconds;        /* measured window */
    long replies;          /* ok replies in the window */
    double tx_per_s;       /* replies per second in the window */
    bu_summary_t latency;  /* of every ok reply of the run */
    long ok_total;         /* ok replies of the whole run, warm-up included */
    long errors;           /* error replies and transport failures */
    long long in_database; /* tickets found in the database after the kill */
    int durable;           /* in_database >= ok_total */
    long rss_kb;           /* daemon's VmRSS at the end of the run */
} bq_throughput_t;

/* A count (the first column of the first row of `sql`) from the database at db_path, opened
 * for this and closed; -1 when it cannot be read. */
long long bq_count_rows(const char *db_path, const char *sql);

int bq_throughput(const char *hallqd, const char *work_dir, int kiosks, double warm_s,
                  double seconds, bq_throughput_t *out, char *why, size_t whylen);
/* The same kiosks against the raw request with its commit inside (bench_floor.h), hallq's
 * bytes in and a reply of hallq's size out: the raw group commit of `kiosks` clients, the
 * most this machine's ZeroMQ and SQLite give with no hallq code. rss_kb stays 0. */
int bq_throughput_raw(void *ctx, const char *self_exe, const char *work_dir,
                      const bq_sizes_t *sizes, int kiosks, double warm_s, double seconds,
                      bq_throughput_t *out, char *why, size_t whylen);

/* Cold start on a copy of a year of history: exec -> first answered ping, first with the
 * database evicted from the page cache, then `runs` times with it cached. */
typedef struct {
    int runs;
    long long db_bytes;
    long long tickets;   /* rows in the tickets table */
    long long events;    /* rows in the events table */
    double evicted_ms;   /* database not in the page cache */
    double listening_ms; /* exec -> "listening" line, evicted run */
    bu_summary_t warm;   /* cached runs, in microseconds */
    long rss_kb;         /* VmRSS after the first answered ping, last run */
    long anon_kb;        /* of which RssAnon (heap: tickets, SQLite cache, ZeroMQ) */
    long hwm_kb;         /* the largest VmHWM of all runs */
    long loaded_tickets; /* tickets in memory, from the daemon's start line */
} bq_cold_t;

int bq_cold_start(const char *hallqd, const char *history_dir, const char *work_dir, int runs,
                  bq_cold_t *out, char *why, size_t whylen);

#endif
