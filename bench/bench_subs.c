#include "bench_subs.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int bs_start(bs_fleet_t *f, const char *self_exe, const char *endpoint, const char *topic,
             const char *settle, int n, int per_process, long max, const char *shm_path, char *why,
             size_t whylen)
{
    memset(f, 0, sizeof *f);
    f->ready_fd = f->notify_fd = -1;
    f->n = n;
    if (per_process < 1)
        per_process = 1;
    f->nprocs = (n + per_process - 1) / per_process;
    f->max = max;
    snprintf(f->shm_path, sizeof f->shm_path, "%s", shm_path);
    f->shm_bytes = (size_t)n * (size_t)max * sizeof(int64_t);
    f->shm = bu_shm_create(shm_path, f->shm_bytes);
    f->pids = calloc((size_t)f->nprocs, sizeof *f->pids);
    int ready[2] = {-1, -1}, notify[2] = {-1, -1};
    if (!f->shm || !f->pids || bu_pipe(ready, 0) != 0 || bu_pipe(notify, 0) != 0) {
        snprintf(why, whylen, "cannot set up %d subscribers (shared memory %s, pipes)", n,
                 shm_path);
        goto fail;
    }
    f->ready_fd = ready[0];
    f->notify_fd = notify[0];
    char first[16], count[16], maxs[24], rfd[16], nfd[16];
    snprintf(maxs, sizeof maxs, "%ld", max);
    snprintf(rfd, sizeof rfd, "%d", ready[1]);
    snprintf(nfd, sizeof nfd, "%d", notify[1]);
    for (int i = 0; i < f->nprocs; i++) {
        /* The members spread evenly: 300 in 12 processes of 25, 100 in 4. */
        int from = (int)((long)n * i / f->nprocs), to = (int)((long)n * (i + 1) / f->nprocs);
        snprintf(first, sizeof first, "%d", from);
        snprintf(count, sizeof count, "%d", to - from);
        char *argv[] = {(char *)self_exe,
                        "--helper",
                        "sub",
                        (char *)endpoint,
                        (char *)topic,
                        (char *)(settle ? settle : "-"),
                        f->shm_path,
                        first,
                        count,
                        maxs,
                        rfd,
                        nfd,
                        NULL};
        f->pids[i] = bu_spawn(argv, -1);
        if (f->pids[i] < 0) {
            snprintf(why, whylen, "cannot start subscriber process %d of %d", i + 1, f->nprocs);
            goto fail;
        }
    }
    /* The members hold the write ends now; ours must go, or a lost member would go unseen. */
    close(ready[1]);
    close(notify[1]);
    return 0;
fail:
    if (ready[1] >= 0)
        close(ready[1]);
    if (notify[1] >= 0)
        close(notify[1]);
    bs_stop(f);
    return -1;
}

int bs_wait_ready(bs_fleet_t *f, int timeout_ms, void (*poke)(void *), void *arg)
{
    int64_t deadline = bu_now_ns() + (int64_t)timeout_ms * 1000000;
    int ready = 0;
    while (ready < f->n && bu_now_ns() < deadline) {
        if (poke)
            poke(arg);
        int got = bu_read_bytes(f->ready_fd, f->n - ready, 20);
        ready += got;
        if (got == 0 && !poke)
            bu_sleep_us(1000);
    }
    return ready == f->n ? 0 : -1;
}

int bs_collect(bs_fleet_t *f, int64_t t0_ns, int timeout_ms, bu_samples_t *each, bu_samples_t *last)
{
    if (f->done >= f->max || bu_read_bytes(f->notify_fd, f->n, timeout_ms) != f->n)
        return -1;
    int64_t slowest = 0;
    for (int i = 0; i < f->n; i++) {
        int64_t d = f->shm[(size_t)i * (size_t)f->max + (size_t)f->done] - t0_ns;
        if (each)
            bu_samples_add(each, d);
        if (d > slowest)
            slowest = d;
    }
    if (last)
        bu_samples_add(last, slowest);
    f->done++;
    return 0;
}

int bs_settle(bs_fleet_t *f, int timeout_ms)
{
    return bu_read_bytes(f->ready_fd, f->n, timeout_ms) == f->n ? 0 : -1;
}

void bs_stop(bs_fleet_t *f)
{
    for (int i = 0; f->pids && i < f->nprocs; i++)
        if (f->pids[i] > 0)
            kill(f->pids[i], SIGTERM);
    for (int i = 0; f->pids && i < f->nprocs; i++)
        if (f->pids[i] > 0)
            bu_reap(f->pids[i], 2000);
    free(f->pids);
    f->pids = NULL;
    if (f->ready_fd >= 0)
        close(f->ready_fd);
    if (f->notify_fd >= 0)
        close(f->notify_fd);
    f->ready_fd = f->notify_fd = -1;
    bu_shm_close(f->shm, f->shm_bytes);
    f->shm = NULL;
    unlink(f->shm_path);
}
