#include "hq_db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* ---- the directory's lock ----------------------------------------------------------------- */
/* Who holds a flock on the directory `sb` names, from /proc/locks ("1: FLOCK  ADVISORY  WRITE
 * 4242 fe:00:11158369 0 EOF"): the pid, and its program's name into comm. 0 when unknown. */
static int s_lock_holder(const struct stat *sb, char *comm, size_t commlen)
{
    FILE *f = fopen("/proc/locks", "r");
    if (!f)
        return 0;
    char line[256];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        char kind[16];
        int pid;
        unsigned maj, min;
        unsigned long ino;
        if (strstr(line, "->") == NULL &&
            sscanf(line, "%*d: %15s %*s %*s %d %x:%x:%lu", kind, &pid, &maj, &min, &ino) == 5 &&
            strcmp(kind, "FLOCK") == 0 && maj == major(sb->st_dev) && min == minor(sb->st_dev) &&
            ino == (unsigned long)sb->st_ino && pid > 0)
            found = pid;
    }
    fclose(f);
    comm[0] = '\0';
    if (found) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/comm", found);
        FILE *c = fopen(path, "r");
        if (c) {
            if (fgets(comm, (int)commlen, c))
                comm[strcspn(comm, "\n")] = '\0';
            fclose(c);
        }
    }
    return found;
}

int hq_db_lock(const char *dir, char *why, size_t whylen)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, whylen, "data directory %s: %s", dir, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return fd;
    int saved = errno;
    struct stat sb;
    char comm[32] = "";
    int pid =
        saved == EWOULDBLOCK && fstat(fd, &sb) == 0 ? s_lock_holder(&sb, comm, sizeof comm) : 0;
    close(fd);
    if (saved != EWOULDBLOCK)
        snprintf(why, whylen, "cannot lock the data directory %s: %s", dir, strerror(saved));
    else if (pid && strcmp(comm, "hallqd") == 0)
        snprintf(why, whylen, "another hallqd (pid %d) is using %s", pid, dir);
    else if (pid)
        snprintf(why, whylen, "%s is in use by %s (pid %d)", dir, comm[0] ? comm : "a process",
                 pid);
    else
        snprintf(why, whylen, "another hallqd is using %s (its lock is held)", dir);
    return -1;
}

int hq_db_lock_held(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    /* A shared lock only asks: two of these never stand in each other's way. */
    int held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    close(fd);
    return held;
}
