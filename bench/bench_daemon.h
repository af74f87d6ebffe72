/* The daemon under test: hallqd started from its binary on ephemeral loopback ports, with its
 * log copied to a file by a small thread, and stopped by signal. */
#ifndef BENCH_DAEMON_H
#define BENCH_DAEMON_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct {
    pid_t pid;
    char request[256]; /* request endpoint it bound */
    char events[256];  /* event endpoint it bound */
    char data_dir[1024];
    int64_t exec_ns;      /* just before fork and exec */
    int64_t listening_ns; /* when its "listening" line was read */
    int pipe_fd;          /* read end of its stderr */
    int log_fd;           /* the log file the drain thread appends to */
    pthread_t drain;
    int draining;
} bd_daemon_t;

/* Starts hallqd --data DIR on tcp://127.0.0.1:* and waits (timeout_ms) for its listening
 * line. extra_args (NULL-terminated, may be NULL) are added to the command line. */
int bd_start(bd_daemon_t *d, const char *hallqd, const char *data_dir, const char *log_path,
             char *const extra_args[], int timeout_ms, char *why, size_t whylen);
/* Sends ping until one is answered; the monotonic time of the answer, or -1 on timeout. */
int64_t bd_ping(const bd_daemon_t *d, int timeout_ms);
/* Stops it with sig (SIGTERM: orderly, SIGKILL: a crash) and waits. Its exit status or -1. */
int bd_stop(bd_daemon_t *d, int sig);
long bd_rss_kb(const bd_daemon_t *d);
long bd_hwm_kb(const bd_daemon_t *d);

#endif
