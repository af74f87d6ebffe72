/* What every part of the benchmark shares: a monotonic clock in nanoseconds, sample sets with
 * percentiles, the resident memory of a process, helper processes started from this same
 * binary, and the shared memory in which those helpers leave their timestamps.
 *
 * All clocks are CLOCK_MONOTONIC, which is one clock for every process of the machine, so a
 * time taken in the benchmark and a time taken in a display process can be subtracted. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

int64_t bu_now_ns(void);
void bu_sleep_us(long us);

/* ---- samples ------------------------------------------------------------------------------ */
typedef struct {
    int64_t *v; /* durations in nanoseconds */
    size_t n, cap;
} bu_samples_t;

void bu_samples_init(bu_samples_t *s);
/* Adds one duration; s NULL drops it (warm-up rounds). */
int bu_samples_add(bu_samples_t *s, int64_t ns);
void bu_samples_free(bu_samples_t *s);

typedef struct {
    size_t n;
    double p50_us, p90_us, p99_us, min_us, max_us, mean_us;
} bu_summary_t;

/* Sorts the samples in place and reads the percentiles (nearest rank). n = 0 when empty. */
bu_summary_t bu_summarize(bu_samples_t *s);

/* ---- processes ------------------------------------------------------------------------------ */
/* A "kB" field of /proc/PID/status (VmRSS, VmHWM), -1 when the process is gone. */
long bu_status_kb(pid_t pid, const char *field);

/* CPU time a process has used so far, all its threads, in nanoseconds (from
 * /proc/PID/task/TID/schedstat); -1 when the process is gone. */
int64_t bu_cpu_ns(pid_t pid);

/* Starts argv (argv[0] is the program path) with stdout and stderr sent to out_fd (-1: keep),
 * dying with this process (PR_SET_PDEATHSIG). Every other descriptor without FD_CLOEXEC is
 * inherited, which is how helpers get their pipes. -1 when fork fails. */
pid_t bu_spawn(char *const argv[], int out_fd);
/* Waits for a child; after timeout_ms sends SIGKILL and waits again. Its exit status, or -1
 * when it was killed or did not exist. */
int bu_reap(pid_t pid, int timeout_ms);

/* Reads exactly count bytes from fd, waiting at most timeout_ms for the whole lot. Returns the
 * number read (less than count on timeout or end of file). */
int bu_read_bytes(int fd, int count, int timeout_ms);
/* A pipe whose read end is close-on-exec; the write end too when write_cloexec (a child that
 * needs it gets it by dup2 onto its stderr), else helpers inherit it and are told its number. */
int bu_pipe(int fds[2], int write_cloexec);

/* ---- shared memory for helpers ----------------------------------------------------------------
 */
/* A file of `bytes` zeroed bytes mapped shared; helpers map the same path. NULL on failure. */
int64_t *bu_shm_create(const char *path, size_t bytes);
int64_t *bu_shm_open(const char *path, size_t bytes);
void bu_shm_close(int64_t *base, size_t bytes);

/* ---- files ------------------------------------------------------------------------------------
 */
/* Copies a file (used to give each cold start its own copy of the history). 0 ok, -1 failure. */
int bu_copy_file(const char *from, const char *to);
/* Asks the kernel to drop a file's cached pages (after fsync), so the next reader goes to the
 * disk. Only this file is affected: other programs on the machine keep their cache. */
int bu_evict_file(const char *path);
/* Size of a file in bytes, -1 when missing. */
long long bu_file_size(const char *path);
/* Removes a directory tree the benchmark made (no symlinks are followed). */
void bu_remove_tree(const char *path);

#endif
