#include "hq_db.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

int hq_db_lock_held(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, STORE_LOCK_FILE);
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int held = flock(fd, LOCK_EX | LOCK_NB) != 0;
    close(fd);
    return held;
}
