#include "hq_db.h"

#include "hq_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

const char hq_db_schema[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS tickets("
    " id INTEGER PRIMARY KEY, day TEXT NOT NULL, prefix TEXT NOT NULL, number INTEGER NOT NULL,"
    " label TEXT NOT NULL, queue TEXT NOT NULL, service INTEGER, green INTEGER NOT NULL,"
    " age_band TEXT, state TEXT NOT NULL, issued_ms INTEGER NOT NULL, called_ms INTEGER,"
    " last_called_ms INTEGER, started_ms INTEGER, finished_ms INTEGER, parked_ms INTEGER,"
    " park_total_ms INTEGER NOT NULL DEFAULT 0, calls INTEGER NOT NULL DEFAULT 0,"
    " counter INTEGER, clerk TEXT, reason TEXT, rating INTEGER,"
    " transfers INTEGER NOT NULL DEFAULT 0, token TEXT, reason_code TEXT, device TEXT,"
    " extended INTEGER NOT NULL DEFAULT 0, slot_ms INTEGER,"
    " UNIQUE(day, prefix, number));"
    /* The open tickets, named by the two closed states: SQLite evaluates an IN list of more
     * than two constants through a temporary b-tree it builds at every insert and update of
     * a ticket (three of them for an upsert), two it compares in place. */
    "CREATE INDEX IF NOT EXISTS tickets_open ON tickets(state)"
    " WHERE state NOT IN ('finished','expired');"
    "CREATE TABLE IF NOT EXISTS counters(id INTEGER PRIMARY KEY, clerk TEXT,"
    " paused INTEGER NOT NULL, pause_reason TEXT, current INTEGER,"
    " green_streak INTEGER NOT NULL, since_ms INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL,"
    " type TEXT NOT NULL, body TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS metrics(id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL,"
    " day TEXT NOT NULL, scope TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL,"
    " avg_ms INTEGER NOT NULL, within INTEGER NOT NULL, max_ms INTEGER NOT NULL,"
    " target_ms INTEGER NOT NULL, above INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS metrics_day ON metrics(day);"
    "CREATE TABLE IF NOT EXISTS bookings(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    " queue TEXT NOT NULL, service INTEGER, day TEXT NOT NULL, slot INTEGER NOT NULL,"
    " person TEXT NOT NULL,"
    " state TEXT NOT NULL, booked_ms INTEGER NOT NULL, changed_ms INTEGER, ticket INTEGER,"
    " token TEXT);"
    "CREATE INDEX IF NOT EXISTS bookings_day ON bookings(day);"
    /* Each window's rating tablet, by a hash of the secret the tablet holds: a restart keeps
     * it paired, and the file never holds the secret itself. */
    "CREATE TABLE IF NOT EXISTS tablets(counter INTEGER PRIMARY KEY,"
    " secret_hash TEXT NOT NULL, paired_ms INTEGER NOT NULL);";

/* SQLite's randomblob draws from a generator seeded from the system's randomness. */
const char hq_db_epoch_sql[] = "INSERT OR IGNORE INTO meta(key, value)"
                               " VALUES('epoch', lower(hex(randomblob(16))));";

const char hq_db_epoch_fork_sql[] =
    "DELETE FROM meta WHERE key IN ('epoch_parent', 'epoch_fork_seq');"
    "INSERT INTO meta(key, value) SELECT 'epoch_parent', value FROM meta WHERE key = 'epoch';"
    "INSERT INTO meta(key, value)"
    " SELECT 'epoch_fork_seq', coalesce(max(seq), 0) FROM events;"
    "INSERT OR REPLACE INTO meta(key, value) VALUES('epoch', lower(hex(randomblob(16))));";

const char *const hq_db_tables[] = {"meta",    "tickets",  "counters", "events",
                                    "metrics", "bookings", NULL};

/* ---- the file's header (SQLite's file format, sections 1.3 and 4.1) ------------------------ */
static uint32_t s_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* FILE-wal: absent or empty, or a log whose header is whole, has FILE's page size and the
 * checksum its first 24 bytes give. The checksum runs over 32-bit words, big-endian when the
 * magic number's low bit is set, and adds each pair into two running sums. */
static int s_check_wal(const char *path, uint32_t page_size, int64_t *wal_bytes, char *why,
                       size_t whylen)
{
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", path);
    *wal_bytes = 0;
    int fd = open(wal, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : hq_fail(why, whylen, "%s: %s", wal, strerror(errno));
    struct stat sb;
    unsigned char h[32];
    ssize_t n = fstat(fd, &sb) == 0 ? pread(fd, h, sizeof h, 0) : -1;
    int saved = errno;
    close(fd);
    if (n < 0)
        return hq_fail(why, whylen, "%s: %s", wal, strerror(saved));
    *wal_bytes = sb.st_size;
    if (sb.st_size == 0)
        return 0;
    if (n < (ssize_t)sizeof h)
        return hq_fail(why, whylen, "%s is damaged: %s", wal,
                       "cut short inside its header, it is no write-ahead log");
    uint32_t magic = s_be32(h);
    if ((magic & ~1u) != 0x377f0682u || s_be32(h + 4) != 3007000)
        return hq_fail(why, whylen, "%s is damaged: %s", wal,
                       "its header is not a write-ahead log's (what it held cannot be applied)");
    if (s_be32(h + 8) != page_size)
        return hq_fail(why, whylen, "%s does not belong to its database: %s", wal,
                       "its page size differs (move it away)");
    uint32_t s0 = 0, s1 = 0;
    for (int i = 0; i < 24; i += 8) {
        uint32_t x0 = s_be32(h + i), x1 = s_be32(h + i + 4);
        if (!(magic & 1)) { /* little-endian words */
            x0 = __builtin_bswap32(x0);
            x1 = __builtin_bswap32(x1);
        }
        s0 += x0 + s1;
        s1 += x1 + s0;
    }
    if (s0 != s_be32(h + 24) || s1 != s_be32(h + 28))
        return hq_fail(why, whylen, "%s is damaged: %s", wal,
                       "the checksum of its header is wrong (what it held cannot be applied)");
    return 0;
}

int hq_db_check_file(const char *path, hq_db_file_t *info, char *why, size_t whylen)
{
    memset(info, 0, sizeof *info);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return hq_fail(why, whylen, "%s: %s", path, strerror(errno));
    struct stat sb;
    unsigned char h[100];
    ssize_t n = -1;
    int regular = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
    if (regular)
        n = pread(fd, h, sizeof h, 0);
    int saved = errno;
    close(fd);
    if (!regular)
        return hq_fail(why, whylen, "%s is not a regular file", path);
    if (n < 0)
        return hq_fail(why, whylen, "%s: %s", path, strerror(saved));
    info->bytes = sb.st_size;
    if (sb.st_size == 0)
        return hq_fail(why, whylen, "%s is empty (0 bytes): %s", path,
                       "the hall's history is not in it (restore a backup, or move it away to "
                       "start a new hall)");
    if (n < (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
        return hq_fail(why, whylen, "%s is not a usable database: %s", path,
                       "its first bytes are no SQLite header (damaged, or another kind of file)");
    uint32_t page_size = (uint32_t)h[16] << 8 | h[17];
    if (page_size == 1)
        page_size = 65536;
    if (page_size < 512 || (page_size & (page_size - 1)) != 0 || h[21] != 64 || h[22] != 32 ||
        h[23] != 32 || h[18] < 1 || h[18] > 2 || h[19] < 1 || h[19] > 2)
        return hq_fail(why, whylen, "%s is damaged: %s", path,
                       "its header holds impossible values");
    info->page_size = page_size;
    info->wal_mode = h[18] == 2 && h[19] == 2;
    info->app_id = s_be32(h + 68);
    if (s_check_wal(path, page_size, &info->wal_bytes, why, whylen) != 0)
        return -1;
    /* A log with frames may hold the pages the file lacks (a checkpoint cut short extends the
     * file page by page): then only SQLite can tell, when it reads them. */
    if (info->wal_bytes > 32)
        return 0;
    char detail[160];
    if (sb.st_size % page_size != 0) {
        snprintf(detail, sizeof detail, "%lld bytes are no whole number of %u-byte pages",
                 (long long)sb.st_size, page_size);
        return hq_fail(why, whylen, "%s is truncated: %s", path, detail);
    }
    /* The page count in the header is valid when written by the same change as the counter
     * beside it (SQLite 3.7.0 and later). */
    uint32_t pages = s_be32(h + 28);
    if (pages > 0 && s_be32(h + 92) == s_be32(h + 24) &&
        (int64_t)pages * page_size > (int64_t)sb.st_size) {
        snprintf(detail, sizeof detail, "%lld pages of the %u its header counts are there",
                 (long long)(sb.st_size / page_size), pages);
        return hq_fail(why, whylen, "%s is truncated: %s", path, detail);
    }
    return 0;
}

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
