#include "bench_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int64_t bu_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void bu_sleep_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* ---- samples ------------------------------------------------------------------------------ */
void bu_samples_init(bu_samples_t *s)
{
    memset(s, 0, sizeof *s);
}

int bu_samples_add(bu_samples_t *s, int64_t ns)
{
    if (!s)
        return 0; /* warm-up: measured, not kept */
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        int64_t *grown = realloc(s->v, cap * sizeof *grown);
        if (!grown)
            return -1;
        s->v = grown;
        s->cap = cap;
    }
    s->v[s->n++] = ns;
    return 0;
}

void bu_samples_free(bu_samples_t *s)
{
    free(s->v);
    bu_samples_init(s);
}

static int s_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest rank: the smallest sample with at least p of the samples at or below it. */
static double s_rank_us(const bu_samples_t *s, double p)
{
    size_t rank = (size_t)(p * (double)s->n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > s->n)
        rank = s->n;
    return (double)s->v[rank - 1] / 1000.0;
}

bu_summary_t bu_summarize(bu_samples_t *s)
{
    bu_summary_t sum;
    memset(&sum, 0, sizeof sum);
    if (s->n == 0)
        return sum;
    qsort(s->v, s->n, sizeof *s->v, s_cmp_i64);
    double total = 0;
    for (size_t i = 0; i < s->n; i++)
        total += (double)s->v[i];
    sum.n = s->n;
    sum.p50_us = s_rank_us(s, 0.50);
    sum.p90_us = s_rank_us(s, 0.90);
    sum.p99_us = s_rank_us(s, 0.99);
    sum.min_us = (double)s->v[0] / 1000.0;
    sum.max_us = (double)s->v[s->n - 1] / 1000.0;
    sum.mean_us = total / (double)s->n / 1000.0;
    return sum;
}

/* ---- processes ------------------------------------------------------------------------------ */
long bu_status_kb(pid_t pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t len = strlen(field);
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, len) == 0 && line[len] == ':') {
            kb = atol(line + len + 1);
            break;
        }
    fclose(f);
    return kb;
}

int64_t bu_cpu_ns(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int64_t total = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char stat[128];
        snprintf(stat, sizeof stat, "/proc/%d/task/%.20s/schedstat", (int)pid, e->d_name);
        FILE *f = fopen(stat, "r");
        long long ns = 0;
        if (f) {
            if (fscanf(f, "%lld", &ns) == 1)
                total += ns;
            fclose(f);
        }
    }
    closedir(d);
    return total;
}

pid_t bu_spawn(char *const argv[], int out_fd)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* Child: only async-signal-safe calls until exec, since the parent has threads. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127); /* the parent died before the line above took effect */
    if (out_fd >= 0) {
        dup2(out_fd, STDOUT_FILENO);
        dup2(out_fd, STDERR_FILENO);
    }
    execv(argv[0], argv);
    _exit(127);
}

int bu_reap(pid_t pid, int timeout_ms)
{
    if (pid <= 0)
        return -1;
    int status;
    int64_t deadline = bu_now_ns() + (int64_t)timeout_ms * 1000000;
    for (;;) {
        pid_t got = waitpid(pid, &status, WNOHANG);
        if (got == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (got < 0)
            return -1;
        if (bu_now_ns() >= deadline)
            break;
        bu_sleep_us(2000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

int bu_read_bytes(int fd, int count, int timeout_ms)
{
    char buf[256];
    int got = 0;
    int64_t deadline = bu_now_ns() + (int64_t)timeout_ms * 1000000;
    while (got < count) {
        int64_t left_ms = (deadline - bu_now_ns()) / 1000000;
        if (left_ms < 0)
            break;
        struct pollfd p = {fd, POLLIN, 0};
        int rc = poll(&p, 1, (int)left_ms + 1);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0)
            break;
        size_t want = (size_t)(count - got) < sizeof buf ? (size_t)(count - got) : sizeof buf;
        ssize_t n = read(fd, buf, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (int)n;
    }
    return got;
}

int bu_pipe(int fds[2], int write_cloexec)
{
    if (pipe(fds) != 0)
        return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    if (write_cloexec)
        fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

/* ---- shared memory ------------------------------------------------------------------------------
 */
static int64_t *s_map(const char *path, size_t bytes, int create)
{
    int fd = open(path, create ? O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC : O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0)
        return NULL;
    if (create && ftruncate(fd, (off_t)bytes) != 0) {
        close(fd);
        return NULL;
    }
    void *base = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return base == MAP_FAILED ? NULL : base;
}

int64_t *bu_shm_create(const char *path, size_t bytes)
{
    return s_map(path, bytes, 1);
}

int64_t *bu_shm_open(const char *path, size_t bytes)
{
    return s_map(path, bytes, 0);
}

void bu_shm_close(int64_t *base, size_t bytes)
{
    if (base)
        munmap(base, bytes);
}

/* ---- files ------------------------------------------------------------------------------------
 */
int bu_copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0) {
        close(in);
        return -1;
    }
    enum { S_CHUNK = 1 << 20 };
    char *buf = malloc(S_CHUNK);
    int rc = buf ? 0 : -1;
    while (rc == 0) {
        ssize_t n = read(in, buf, S_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = n < 0 ? -1 : 0;
            break;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                rc = -1;
                break;
            }
            done += w;
        }
    }
    free(buf);
    close(in);
    if (close(out) != 0)
        rc = -1;
    return rc;
}

int bu_evict_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    /* Dirty pages cannot be dropped: write them out first. */
    int rc = fdatasync(fd) == 0 && posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0 ? 0 : -1;
    close(fd);
    return rc;
}

long long bu_file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

void bu_remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char child[4096];
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            bu_remove_tree(child);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}
