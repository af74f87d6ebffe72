/* A fleet of subscribers ("--helper sub": threads in a few processes), used twice: as the raw
 * PUB/SUB floor's subscribers and as the wall displays of hallqd. Each member records the arrival
 * time of every message of one topic in shared memory and writes one byte to a shared pipe; the
 * benchmark waits for one byte per member before it sends the next message, so samples never
 * overlap and sample k is the k-th timed message at every member. */
#ifndef BENCH_SUBS_H
#define BENCH_SUBS_H

#include "bench_util.h"

#include <stdint.h>
#include <sys/types.h>

typedef struct {
    int n;      /* members */
    int nprocs; /* processes they run in */
    pid_t *pids;
    long max;      /* timed messages each member can record */
    long done;     /* samples collected so far */
    int ready_fd;  /* read end: one byte per member once its subscription works */
    int notify_fd; /* read end: one byte per member per timed message */
    int64_t *shm;  /* n * max arrival times */
    size_t shm_bytes;
    char shm_path[1024];
} bs_fleet_t;

/* Starts n members connected to endpoint, timing `topic`, per_process of them (at most) as
 * threads of each process; `settle` (or NULL) names the topic whose arrival bs_settle waits
 * for. 0 ok, -1 with why. */
int bs_start(bs_fleet_t *f, const char *self_exe, const char *endpoint, const char *topic,
             const char *settle, int n, int per_process, long max, const char *shm_path, char *why,
             size_t whylen);
/* Waits until every member has received something; calls poke(arg) every 20 ms meanwhile
 * (the raw publisher sends a hello; hallqd's heartbeats need no poke: pass NULL). */
int bs_wait_ready(bs_fleet_t *f, int timeout_ms, void (*poke)(void *), void *arg);
/* Waits until every member has the next timed message, then adds each member's latency from
 * t0_ns to `each` and the slowest member's to `last` (either may be NULL). 0 ok, -1 timeout. */
int bs_collect(bs_fleet_t *f, int64_t t0_ns, int timeout_ms, bu_samples_t *each,
               bu_samples_t *last);
/* Waits until every member has received the next message of the settle topic. */
int bs_settle(bs_fleet_t *f, int timeout_ms);
/* Stops every member and frees the fleet. Safe on a fleet that failed to start. */
void bs_stop(bs_fleet_t *f);

#endif
