#include "backup.h"

#include "db.h"

#include "hq_db.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int64_t s_count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* A hallq database whose integrity check passes; fills info. */
static int s_check(sqlite3 *db, const char *path, backup_info_t *info, char *why, size_t whylen)
{
    if (s_count(db, "PRAGMA application_id") != STORE_APPLICATION_ID) {
        snprintf(why, whylen, "%s is not a hallq database", path);
        return -1;
    }
    if (!ctl_db_integrity_ok(db)) {
        snprintf(why, whylen, "%s fails its integrity check", path);
        return -1;
    }
    if (info) {
        struct stat sb;
        info->tickets = s_count(db, "SELECT count(*) FROM tickets");
        info->events = s_count(db, "SELECT count(*) FROM events");
        info->bytes = stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
    }
    return 0;
}

/* Copies everything from one open database into another. */
static int s_copy(sqlite3 *from, sqlite3 *to, char *why, size_t whylen)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) {
        snprintf(why, whylen, "backup cannot start: %s", sqlite3_errmsg(to));
        return -1;
    }
    int rc;
    /* Step in slices so a busy daemon is never held up for long. */
    while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY ||
           rc == SQLITE_LOCKED)
        if (rc != SQLITE_OK)
            sqlite3_sleep(5);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(why, whylen, "backup failed: %s", sqlite3_errstr(rc));
        return -1;
    }
    return 0;
}

/* Copies database `src` into `dst` (created when missing), leaves `dst` in the given journal
 * mode and checks it. A `checked_source` is integrity-checked before anything is written. */
static int s_copy_path(const char *src, const char *dst, const char *journal, int check_source,
                       backup_info_t *info, char *why, size_t whylen)
{
    sqlite3 *from = NULL, *to = NULL;
    int rc = -1;
    if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(why, whylen, "%s: %s", src, sqlite3_errmsg(from));
        goto done;
    }
    sqlite3_busy_timeout(from, 5000);
    if (check_source && s_check(from, src, NULL, why, whylen) != 0)
        goto done;
    if (sqlite3_open_v2(dst, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        snprintf(why, whylen, "%s: %s", dst, sqlite3_errmsg(to));
        goto done;
    }
    if (s_copy(from, to, why, whylen) != 0)
        goto done;
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA journal_mode=%s", journal);
    sqlite3_exec(to, pragma, NULL, NULL, NULL);
    rc = s_check(to, dst, info, why, whylen);
done:
    sqlite3_close(from);
    sqlite3_close(to);
    return rc;
}

int backup_take(const char *data_dir, const char *out, backup_info_t *info, char *why,
                size_t whylen)
{
    char src[1024];
    snprintf(src, sizeof src, "%s/%s", data_dir, STORE_FILE);
    struct stat sb;
    if (stat(src, &sb) != 0) {
        snprintf(why, whylen, "%s: %s", src, strerror(errno));
        return -1;
    }
    if (stat(out, &sb) == 0) {
        snprintf(why, whylen, "%s exists already; choose a new file", out);
        return -1;
    }
    /* A backup is one self-contained file: no WAL beside it. */
    int rc = s_copy_path(src, out, "DELETE", 0, info, why, whylen);
    if (rc != 0)
        unlink(out);
    return rc;
}

int backup_restore(const char *in, const char *data_dir, backup_info_t *info, char *why,
                   size_t whylen)
{
    if (hq_db_lock_held(data_dir)) {
        snprintf(why, whylen, "hallqd is running on %s: stop it before restoring", data_dir);
        return -1;
    }
    if (mkdir(data_dir, 0750) != 0 && errno != EEXIST) {
        snprintf(why, whylen, "%s: %s", data_dir, strerror(errno));
        return -1;
    }
    char dst[1024];
    snprintf(dst, sizeof dst, "%s/%s", data_dir, STORE_FILE);
    if (s_copy_path(in, dst, "WAL", 1, info, why, whylen) != 0)
        return -1;
    /* The restored hall writes seq numbers again that its old epoch went on to use after the
     * backup: a new epoch keeps the two histories apart wherever events are shipped. */
    sqlite3 *db = NULL;
    int rc = -1;
    if (sqlite3_open_v2(dst, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        char sql[1024];
        snprintf(sql, sizeof sql, "BEGIN IMMEDIATE; %s COMMIT;", hq_db_epoch_fork_sql);
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    }
    if (rc != 0)
        snprintf(why, whylen, "%s: cannot start a new epoch: %s", dst,
                 db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return rc;
}
