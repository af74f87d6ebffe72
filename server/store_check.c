/* The store's checks before the first write (store_open): the file's identity, then what the
 * start reads and the first writes touch, or the whole file when it must be changed to run; a
 * new hall's database, made whole under another name; bringing an older schema up to date;
 * and the background check of the whole file, on a thread of its own. */
#include "store.h"

#include "store_int.h"

#include "hq_log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* What bringing an older schema up to this one adds to hq_db_schema: schema 1 also indexed
 * issued_ms; no query reads by it (statistics select by day), and it cost every issue a page
 * more to write. */
static const char s_migrations[] = "DROP INDEX IF EXISTS tickets_issued;";

/* The newest events the start-up check reads: far more than the calls the load reads back. */
#define S_EVENTS_CHECKED "1000"

static double s_since_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* ---- checks before the first write --------------------------------------------------------- */
/* Runs an integrity check (PRAGMA quick_check, integrity_check(TABLE)): 0 when it says "ok",
 * 1 when it lists problems or SQLite meets damage on the way (the first problem into
 * `problem`, on one line), -1 when it could not run (interrupted, out of memory). */
static int s_check_rows(sqlite3 *db, const char *sql, char *problem, size_t n)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL), found = 0;
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *row = (const char *)sqlite3_column_text(st, 0);
        if (!row || strcmp(row, "ok") == 0 || found)
            continue;
        found = 1;
        /* "*** in database main ***\nPage 7: ...": the page is the news. */
        const char *nl = strchr(row, '\n');
        hq_strlcpy(problem, strncmp(row, "***", 3) == 0 && nl ? nl + 1 : row, n);
        for (char *p = problem; *p; p++)
            if (*p == '\n')
                *p = ' ';
    }
    if (rc != SQLITE_DONE && !found) {
        hq_strlcpy(problem, sqlite3_errmsg(db), n);
        found = store_is_damage(rc) ? 1 : -1;
    }
    sqlite3_finalize(st);
    return found > 0 ? 1 : found;
}

/* One query of the start-up check: ?1 is bound to `day` and ?2 to `id` where the query has
 * them; the first row's columns into out[0..nout). -1 with one line naming what was read when
 * SQLite fails, which with a sound file it does not. */
static int s_read(sqlite3 *db, const char *path, const char *what, const char *sql, const char *day,
                  int64_t id, int64_t *out, int nout, char *why, size_t whylen)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        if (sqlite3_bind_parameter_count(st) >= 1)
            sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
        if (sqlite3_bind_parameter_count(st) >= 2)
            sqlite3_bind_int64(st, 2, id);
        rc = sqlite3_step(st);
        for (int i = 0; i < nout; i++)
            out[i] = rc == SQLITE_ROW ? sqlite3_column_int64(st, i) : 0;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        snprintf(why, whylen, "%s %s: %s (%s)", path,
                 store_is_damage(rc) ? "is damaged" : "cannot be read", what, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* A hallq database of a schema this daemon can run: the application_id (with the WAL
 * applied, as SQLite reads it; the file's own tells a log of another database), some tables,
 * a schema version not newer than this one. */
static int s_check_identity(sqlite3 *db, const char *path, const hq_db_file_t *file,
                            int64_t *version, char *why, size_t whylen)
{
    int64_t app_id = 0, tables = 0;
    if (store_scalar(db, "PRAGMA application_id", &app_id) != 0 ||
        store_scalar(db, "SELECT count(*) FROM sqlite_master", &tables) != 0 ||
        store_scalar(db, "PRAGMA user_version", version) != 0) {
        snprintf(why, whylen, "%s is not a usable database: %s", path, sqlite3_errmsg(db));
        return -1;
    }
    if (tables == 0) {
        snprintf(why, whylen,
                 "%s holds no tables: the hall's history is not in it (restore a backup, or move "
                 "it away to start a new hall)",
                 path);
        return -1;
    }
    if (app_id != STORE_APPLICATION_ID) {
        if (file->app_id == STORE_APPLICATION_ID)
            snprintf(why, whylen,
                     "%s-wal does not belong to %s: it is another database's log (move it away)",
                     path, path);
        else
            snprintf(why, whylen, "%s is not a hallq database (refusing to touch it)", path);
        return -1;
    }
    if (*version > STORE_SCHEMA) {
        snprintf(why, whylen, "%s has schema %lld, newer than this hallqd (%d)", path,
                 (long long)*version, STORE_SCHEMA);
        return -1;
    }
    return 0;
}

/* What the start reads and the first writes touch, checked without reading a year of
 * history: the schema, the small tables whole, the open-ticket index whole and against the
 * rows it points at, the last business day's tickets from their index and from the table
 * (each must find the other's), the newest events, and the right-hand edge of every b-tree
 * the next insert goes into. A damaged page anywhere on those paths makes SQLite fail here,
 * and an index that disagrees with its table is counted. The rest of the file is the
 * background check's (store_check_in_background). */
static int s_check_start(sqlite3 *db, const char *path, char *why, size_t whylen)
{
    char problem[300];
    static const char *const whole[] = {"sqlite_schema", "meta", "counters"};
    for (size_t i = 0; i < sizeof whole / sizeof *whole; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA integrity_check(%s)", whole[i]);
        int rc = s_check_rows(db, sql, problem, sizeof problem);
        if (rc != 0) {
            snprintf(why, whylen, "%s %s: table %s: %s", path,
                     rc > 0 ? "is damaged" : "cannot be checked", whole[i], problem);
            return -1;
        }
    }
    for (int i = 0; hq_db_tables[i]; i++) {
        int64_t n = 0;
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE name = '%s'",
                 hq_db_tables[i]);
        if (s_read(db, path, "the schema", sql, NULL, 0, &n, 1, why, whylen) != 0)
            return -1;
        if (n != 1) {
            snprintf(why, whylen, "%s is damaged: its schema lacks the table %s", path,
                     hq_db_tables[i]);
            return -1;
        }
    }
    /* The business day the load starts from (s_stored_day in store_load.c, before it is held
     * to today). */
    sqlite3_stmt *st = NULL;
    char day[16] = "";
    int rc = sqlite3_prepare_v2(db,
                                "SELECT max(d) FROM (SELECT value AS d FROM meta WHERE key = 'day'"
                                " UNION ALL SELECT max(day) FROM tickets)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *d = sqlite3_column_text(st, 0);
        hq_strlcpy(day, d ? (const char *)d : "", sizeof day);
    }
    if (rc != SQLITE_ROW)
        snprintf(why, whylen, "%s %s: the last business day (%s)", path,
                 store_is_damage(rc) ? "is damaged" : "cannot be read", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return -1;
    int64_t v[2], n;
    /* The day's tickets by their index (covering: the index alone), each against its row. */
    if (s_read(db, path, "the index of tickets by day",
               "SELECT count(*), min(rowid) FROM tickets INDEXED BY sqlite_autoindex_tickets_1"
               " WHERE day = ?1",
               day, 0, v, 2, why, whylen) != 0 ||
        s_read(db, path, "the day's tickets",
               "SELECT count(*) FROM tickets AS i INDEXED BY sqlite_autoindex_tickets_1"
               " WHERE i.day = ?1 AND NOT EXISTS (SELECT 1 FROM tickets AS t WHERE"
               " t.rowid = i.rowid AND t.day IS i.day AND t.prefix IS i.prefix"
               " AND t.number IS i.number)",
               day, 0, &n, 1, why, whylen) != 0)
        return -1;
    if (n > 0) {
        snprintf(why, whylen,
                 "%s is damaged: %lld entries of the index of tickets by day do not match their "
                 "rows",
                 path, (long long)n);
        return -1;
    }
    /* ... and the table's rows of that day (from the index's first on: tickets are numbered
     * in the order they are issued) must all be in the index. */
    int64_t first = v[1], in_index = v[0];
    if (in_index > 0 && (s_read(db, path, "the day's tickets",
                                "SELECT count(*) FROM tickets NOT INDEXED WHERE rowid >= ?2"
                                " AND day = ?1",
                                day, first, &n, 1, why, whylen) != 0))
        return -1;
    if (in_index > 0 && n != in_index) {
        snprintf(why, whylen,
                 "%s is damaged: %lld tickets of %s are in the table, %lld in its index by day",
                 path, (long long)n, day, (long long)in_index);
        return -1;
    }
    /* The open-ticket index whole (covering), each entry against its row, and the day's
     * open tickets must all be in it. */
    int64_t open_table = 0, open_index = 0;
    if (s_read(db, path, "the open-ticket index tickets_open",
               "SELECT count(*) FROM tickets AS i INDEXED BY tickets_open WHERE i." STORE_SQL_OPEN
               " AND NOT EXISTS (SELECT 1 FROM tickets AS t WHERE t.rowid = i.rowid"
               " AND t.state IS i.state)",
               NULL, 0, &n, 1, why, whylen) != 0)
        return -1;
    if (n > 0) {
        snprintf(why, whylen,
                 "%s is damaged: %lld entries of the open-ticket index tickets_open do not match "
                 "their rows",
                 path, (long long)n);
        return -1;
    }
    if (in_index > 0 &&
        (s_read(db, path, "the day's tickets",
                "SELECT count(*) FROM tickets NOT INDEXED WHERE rowid >= ?2 AND day = ?1"
                " AND " STORE_SQL_OPEN,
                day, first, &open_table, 1, why, whylen) != 0 ||
         s_read(db, path, "the open-ticket index tickets_open",
                "SELECT count(*) FROM tickets INDEXED BY tickets_open WHERE " STORE_SQL_OPEN
                " AND day = ?1",
                day, 0, &open_index, 1, why, whylen) != 0))
        return -1;
    if (open_table != open_index) {
        snprintf(why, whylen,
                 "%s is damaged: %lld open tickets of %s are in the table, %lld in the open-ticket "
                 "index tickets_open",
                 path, (long long)open_table, day, (long long)open_index);
        return -1;
    }
    /* The newest events (the load reads the day's latest calls back from them), and the
     * right-hand edges the next inserts go into. */
    static const struct {
        const char *what, *sql;
    } edges[] = {
        {"the newest events",
         "SELECT count(*), sum(length(type) + length(body)) FROM (SELECT"
         " type, body FROM events ORDER BY seq DESC LIMIT " S_EVENTS_CHECKED ")"},
        {"the end of table tickets", "SELECT max(id) FROM tickets"},
        {"the end of table metrics", "SELECT max(id) FROM metrics"},
        {"the end of index metrics_day", "SELECT max(day) FROM metrics"},
    };
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
        if (s_read(db, path, edges[i].what, edges[i].sql, NULL, 0, v, 2, why, whylen) != 0)
            return -1;
    return 0;
}

/* Everything before the first write, on a read-only connection (which can neither write the
 * file nor fold a log into it when closed): the identity, then the start-up check; or, when
 * the file must be changed to run (an older schema, no write-ahead log yet), the whole file
 * first. `*whole`: the whole file was checked. */
int store_check_before_writing(store_t *self, const hq_db_file_t *file, int64_t *version,
                               int *whole, char *why, size_t whylen)
{
    sqlite3 *db = NULL;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (sqlite3_open_v2(self->path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(why, whylen, "%s is not a usable database: %s", self->path,
                 db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_extended_result_codes(db, 1);
    /* Cells are checked as pages are read: damage shows as an error, not as odd values. */
    store_exec(db, "PRAGMA cell_size_check=ON");
    int rc = s_check_identity(db, self->path, file, version, why, whylen);
    *whole = rc == 0 && (*version < STORE_SCHEMA || !file->wal_mode);
    if (rc == 0 && *whole) {
        char problem[300];
        int found = s_check_rows(db, "PRAGMA quick_check", problem, sizeof problem);
        if (found != 0)
            snprintf(why, whylen, "%s %s: %s", self->path,
                     found > 0 ? "is damaged" : "cannot be checked", problem);
        rc = found != 0 ? -1 : 0;
    } else if (rc == 0) {
        rc = s_check_start(db, self->path, why, whylen);
    }
    sqlite3_close(db);
    if (rc == 0)
        hq_info("%s: checked %s before the first write in %.1f ms%s", self->path,
                *whole ? "whole" : "what the start reads", s_since_ms(&t0),
                *whole ? "" : "; the rest is checked in the background");
    return rc;
}

/* A new hall's database, made whole under another name and then renamed into place: a
 * crash while making it never leaves an empty or half-made hallq.db behind (which the
 * checks refuse as a lost history). */
int store_create(store_t *self, char *why, size_t whylen)
{
    char tmp[4200], setup[160];
    snprintf(tmp, sizeof tmp, "%s.new", self->path);
    static const char *const leftovers[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof leftovers / sizeof *leftovers; i++) {
        char p[4300];
        snprintf(p, sizeof p, "%s%s", tmp, leftovers[i]);
        unlink(p);
    }
    sqlite3 *db = NULL;
    snprintf(setup, sizeof setup,
             "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; BEGIN IMMEDIATE;"
             " PRAGMA application_id=%d; PRAGMA user_version=%d;",
             STORE_APPLICATION_ID, STORE_SCHEMA);
    int rc = sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK && (store_exec(db, setup) != 0 || store_exec(db, hq_db_schema) != 0 ||
                            store_exec(db, hq_db_epoch_sql) != 0 || store_exec(db, "COMMIT") != 0))
        rc = SQLITE_ERROR;
    if (rc != SQLITE_OK)
        snprintf(why, whylen, "%s: cannot create a database: %s", tmp,
                 db ? sqlite3_errmsg(db) : "out of memory");
    /* Closing folds the log into the file and removes it. */
    if (sqlite3_close(db) != SQLITE_OK && rc == SQLITE_OK) {
        snprintf(why, whylen, "%s: cannot close the new database", tmp);
        rc = SQLITE_ERROR;
    }
    int fd = rc == SQLITE_OK ? open(tmp, O_RDONLY | O_CLOEXEC) : -1;
    if (rc == SQLITE_OK &&
        (fd < 0 || fsync(fd) != 0 || rename(tmp, self->path) != 0 || fsync(self->lock_fd) != 0)) {
        snprintf(why, whylen, "%s: %s", self->path, strerror(errno));
        rc = SQLITE_ERROR;
    }
    if (fd >= 0)
        close(fd);
    if (rc != SQLITE_OK) {
        unlink(tmp);
        return -1;
    }
    hq_info("%s: created for a new hall", self->path);
    return 0;
}

/* Brings a database of an older schema (or one without a write-ahead log) up to this one,
 * in one transaction. Adding a column rewrites no row; rebuilding the open-ticket index
 * (schema 5) reads the tickets once, a few seconds on a year of history, once. Only run
 * after the whole file was checked. */
int store_setup(sqlite3 *db, const char *path, int64_t version, int sync_full, char *why,
                size_t whylen)
{
    char setup[128];
    snprintf(setup, sizeof setup, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
             STORE_APPLICATION_ID, STORE_SCHEMA);
    int64_t has_code = 1, has_device = 1, has_extended = 1, has_booking_token = 1;
    int rc = store_exec(db, "PRAGMA journal_mode=WAL");
    if (rc == 0)
        rc = store_exec(db, sync_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    if (rc == 0)
        rc = store_exec(db, "BEGIN IMMEDIATE");
    if (rc == 0 && version < 3)
        rc = store_scalar(
            db, "SELECT count(*) FROM pragma_table_info('tickets') WHERE name='reason_code'",
            &has_code);
    /* 4: the device that issued a ticket (its token is that device's alone). */
    if (rc == 0 && version < 4)
        rc = store_scalar(db,
                          "SELECT count(*) FROM pragma_table_info('tickets') WHERE name='device'",
                          &has_device);
    /* 5: whether a ticket was issued in an extended-hours period (older rows were not) and an
     * appointment's slot (older rows are walk-ins); the bookings table is created with the
     * schema. Both columns came together, so one of them tells. */
    if (rc == 0 && version < 5)
        rc = store_scalar(db,
                          "SELECT count(*) FROM pragma_table_info('tickets') WHERE name='extended'",
                          &has_extended);
    /* 6: tickets_open by the closed states; hq_db_schema creates it again. */
    if (rc == 0 && version < 6)
        rc = store_exec(db, "DROP INDEX IF EXISTS tickets_open");
    if (rc == 0)
        rc = store_exec(db, hq_db_schema);
    if (rc == 0)
        rc = store_exec(db, s_migrations);
    if (rc == 0 && !has_code)
        rc = store_exec(db, "ALTER TABLE tickets ADD COLUMN reason_code TEXT");
    if (rc == 0 && !has_device)
        rc = store_exec(db, "ALTER TABLE tickets ADD COLUMN device TEXT");
    if (rc == 0 && !has_extended)
        rc = store_exec(db, "ALTER TABLE tickets ADD COLUMN extended INTEGER NOT NULL DEFAULT 0");
    if (rc == 0 && !has_extended)
        rc = store_exec(db, "ALTER TABLE tickets ADD COLUMN slot_ms INTEGER");
    /* 8: bookings.token, a booking request's idempotency token (looked for once the schema has
     * made the table: before schema 5 there was none). */
    if (rc == 0 && version < 8)
        rc = store_scalar(db,
                          "SELECT count(*) FROM pragma_table_info('bookings') WHERE name='token'",
                          &has_booking_token);
    if (rc == 0 && !has_booking_token)
        rc = store_exec(db, "ALTER TABLE bookings ADD COLUMN token TEXT");
    if (rc == 0)
        rc = store_exec(db, setup);
    if (rc == 0)
        rc = store_exec(db, "COMMIT");
    if (rc != 0) {
        snprintf(why, whylen, "%s: cannot bring the schema up to date: %s", path,
                 sqlite3_errmsg(db));
        store_exec(db, "ROLLBACK");
        return -1;
    }
    if (version < STORE_SCHEMA)
        hq_info("%s: schema %lld brought up to %d", path, (long long)version, STORE_SCHEMA);
    return 0;
}

/* ---- the background check ------------------------------------------------------------------ */
/* Reads the file once from start to end, so that the check finds its pages in the page cache:
 * the check reads them in tree order, which on a file the cache does not hold is random I/O
 * (a year, 867 MiB, out of the cache of a busy 2-core machine: 31 s; read in order first,
 * 10 s). It reads through the connection's own file handle: closing a descriptor of the file
 * would drop every POSIX lock this process holds on it (fcntl(2)), the daemon's connection's
 * too, and another process could then fold the write-ahead log into the file and delete it
 * under the daemon. */
static void s_read_ahead(store_t *self, sqlite3 *db)
{
    enum { CHUNK = 256 * 1024 };
    sqlite3_file *file = NULL;
    sqlite3_int64 size = 0;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || !file ||
        !file->pMethods || file->pMethods->xFileSize(file, &size) != SQLITE_OK)
        return;
    char *buf = malloc(CHUNK);
    for (sqlite3_int64 at = 0; buf && at < size && !atomic_load(&self->check_stop); at += CHUNK)
        if (file->pMethods->xRead(file, buf, (int)(size - at < CHUNK ? size - at : CHUNK), at) !=
            SQLITE_OK)
            break;
    free(buf);
}

/* PRAGMA quick_check of the whole file on a read-only connection of its own (WAL lets it read
 * one snapshot while the daemon writes): every b-tree page, every row's format, the free
 * list; not whether indexes match their tables (hallqctl db check does that too). Damage
 * found makes the store refuse every change from then on. */
void *store_check_in_background(void *arg)
{
    store_t *self = arg;
    /* It yields to the daemon's own work: a lower priority for this thread alone. */
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10) != 0)
        hq_debug("background check: cannot lower its priority: %s", strerror(errno));
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sqlite3 *db = NULL;
    char problem[300] = "cannot open it";
    int found = -1;
    if (sqlite3_open_v2(self->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) ==
        SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        sqlite3_extended_result_codes(db, 1);
        store_exec(db, "PRAGMA cache_size=-512"); /* KiB: the check reads each page once */
        pthread_mutex_lock(&self->lock);
        self->check_db = db;
        pthread_mutex_unlock(&self->lock);
        s_read_ahead(self, db);
        if (!atomic_load(&self->check_stop))
            found = s_check_rows(db, "PRAGMA quick_check", problem, sizeof problem);
    } else if (db) {
        hq_strlcpy(problem, sqlite3_errmsg(db), sizeof problem);
    }
    pthread_mutex_lock(&self->lock);
    self->check_db = NULL;
    pthread_mutex_unlock(&self->lock);
    sqlite3_close(db);
    double ms = s_since_ms(&t0);
    if (found > 0) {
        char by[64];
        snprintf(by, sizeof by, "the background check, after %.1f s", ms / 1e3);
        store_set_damage(self, by, "%s", problem);
    } else if (found == 0)
        hq_info("%s: the background check found the whole file sound (quick_check, %.1f s)",
                self->path, ms / 1e3);
    else if (!atomic_load(&self->check_stop))
        hq_warn("%s: the background check could not finish: %s", self->path, problem);
    pthread_mutex_lock(&self->lock);
    self->check_done = 1;
    pthread_mutex_unlock(&self->lock);
    return NULL;
}

/* Stops the background check (interrupting it: a year takes seconds) and waits for it. An
 * interrupt that comes before its statement runs is lost, so it is repeated until the
 * checker is done. */
void store_stop_checker(store_t *self)
{
    if (!self->checking)
        return;
    atomic_store(&self->check_stop, 1);
    for (;;) {
        pthread_mutex_lock(&self->lock);
        if (self->check_db)
            sqlite3_interrupt(self->check_db);
        int done = self->check_done;
        pthread_mutex_unlock(&self->lock);
        if (done)
            break;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    pthread_join(self->checker, NULL);
    self->checking = 0;
}
