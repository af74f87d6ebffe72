#include "store.h"

#include "hq_log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum {
    ST_TICKET,
    ST_COUNTER,
    ST_EVENT,
    ST_METRIC,
    ST_DAY,
    ST_STREAK,
    ST_APPT_STREAK,
    ST_BOOKING,
    ST_TABLET,
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_COUNT_
};

static const char *const s_sql[ST_COUNT_] = {
    /* An update names only the columns that change after the issue: the index entries of
     * the number and the issue time stay untouched, so a call rewrites fewer pages. */
    ("INSERT INTO tickets(id, day, prefix, number, label, queue, service, green,"
     " age_band, state, issued_ms, called_ms, last_called_ms, started_ms, finished_ms, parked_ms,"
     " park_total_ms, calls, counter, clerk, reason, rating, transfers, token, reason_code,"
     " device, extended, slot_ms) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
     " ON CONFLICT(id) DO UPDATE SET queue=excluded.queue, service=excluded.service,"
     " green=excluded.green, age_band=excluded.age_band, state=excluded.state,"
     " called_ms=excluded.called_ms, last_called_ms=excluded.last_called_ms,"
     " started_ms=excluded.started_ms, finished_ms=excluded.finished_ms,"
     " parked_ms=excluded.parked_ms, park_total_ms=excluded.park_total_ms, calls=excluded.calls,"
     " counter=excluded.counter, clerk=excluded.clerk, reason=excluded.reason,"
     " rating=excluded.rating, transfers=excluded.transfers, token=excluded.token,"
     " reason_code=excluded.reason_code"),
    ("INSERT INTO counters(id, clerk, paused, pause_reason, current, green_streak, since_ms)"
     " VALUES(?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET clerk=excluded.clerk,"
     " paused=excluded.paused, pause_reason=excluded.pause_reason, current=excluded.current,"
     " green_streak=excluded.green_streak, since_ms=excluded.since_ms"),
    "INSERT INTO events(seq, ts_ms, type, body) VALUES(?,?,?,?)",
    "INSERT INTO metrics(ts_ms, day, scope, key, count, avg_ms, within, max_ms, target_ms, above)"
    " VALUES(?,?,?,?,?,?,?,?,?,?)",
    ("INSERT INTO meta(key, value) VALUES('day', ?)"
     " ON CONFLICT(key) DO UPDATE SET value=excluded.value"),
    ("INSERT INTO meta(key, value) VALUES('green_streak', ?)"
     " ON CONFLICT(key) DO UPDATE SET value=excluded.value"),
    ("INSERT INTO meta(key, value) VALUES('appointment_streak', ?)"
     " ON CONFLICT(key) DO UPDATE SET value=excluded.value"),
    ("INSERT INTO bookings(id, code, queue, day, slot, person, state, booked_ms, changed_ms,"
     " ticket, service, token) VALUES(?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
     " state=excluded.state,"
     " changed_ms=excluded.changed_ms, ticket=excluded.ticket"),
    ("INSERT INTO tablets(counter, secret_hash, paired_ms) VALUES(?,?,?)"
     " ON CONFLICT(counter) DO UPDATE SET secret_hash=excluded.secret_hash,"
     " paired_ms=excluded.paired_ms"),
    "BEGIN IMMEDIATE",
    "COMMIT",
    "ROLLBACK",
};

/* What bringing an older schema up to this one adds to hq_db_schema: schema 1 also indexed
 * issued_ms; no query reads by it (statistics select by day), and it cost every issue a page
 * more to write. */
static const char s_migrations[] = "DROP INDEX IF EXISTS tickets_issued;";

/* The open tickets, as the partial index tickets_open selects them: every state but the
 * closed ones (hq_db_schema says why it names those). */
#define S_OPEN "state NOT IN ('finished','expired')"
/* The newest events the start-up check reads: far more than the calls the load reads back. */
#define S_EVENTS_CHECKED "1000"

struct store {
    int lock_fd;                   /* DIR itself, flock'ed while open: one daemon per directory */
    sqlite3 *db;                   /* the connection */
    sqlite3_stmt *stmt[ST_COUNT_]; /* prepared once, reused */
    char *path;                    /* DIR/hallq.db */
    int fail_after;                /* test hook: writes left before failing, -1 never */
    long failed_writes;            /* test hook: writes it failed */
    char injected[64];             /* message of an injected failure */
    /* Damage found after the start (by the background check, or a read or write that met
     * SQLITE_CORRUPT): set once, never cleared. From then on every change is refused and
     * closing folds nothing into the file. The message is written before the flag is set. */
    pthread_mutex_t lock;  /* guards damage[] while it is written, and the checker's fields */
    atomic_int damaged;    /* damage[] holds "PATH is damaged: ..." */
    char damage[512];      /* what was found, for store_errmsg */
    pthread_t checker;     /* the background check */
    int checking;          /* the checker was started and not yet joined */
    sqlite3 *check_db;     /* the checker's connection while it runs (under lock) */
    int check_done;        /* the checker has closed its connection (under lock) */
    atomic_int check_stop; /* store_close asks the checker to stop */
    int loaded;            /* store_load succeeded once: the daemon is serving */
};

static int s_exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int s_scalar(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Whether an SQLite result says the file is damaged (rather than busy, full or out of
 * memory). */
static int s_is_damage(int rc)
{
    return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

static double s_since_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Records damage found after the start-up check (the first finding wins). When the daemon is
 * serving, `found_by` says in the log who found it and what follows; NULL: the caller reports
 * it. */
static void s_set_damage(store_t *self, const char *found_by, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void s_set_damage(store_t *self, const char *found_by, const char *fmt, ...)
{
    pthread_mutex_lock(&self->lock);
    if (!atomic_load(&self->damaged)) {
        char problem[400];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(problem, sizeof problem, fmt, ap);
        va_end(ap);
        snprintf(self->damage, sizeof self->damage, "%s is damaged: %s", self->path, problem);
        atomic_store(&self->damaged, 1);
        if (found_by)
            hq_error("%s (found by %s); every change is refused from now on, reads still work "
                     "(hallqctl db check, hallqctl db recover)",
                     self->damage, found_by);
    }
    pthread_mutex_unlock(&self->lock);
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
        found = s_is_damage(rc) ? 1 : -1;
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
                 s_is_damage(rc) ? "is damaged" : "cannot be read", what, sqlite3_errmsg(db));
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
    if (s_scalar(db, "PRAGMA application_id", &app_id) != 0 ||
        s_scalar(db, "SELECT count(*) FROM sqlite_master", &tables) != 0 ||
        s_scalar(db, "PRAGMA user_version", version) != 0) {
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
 * background check's (s_check_in_background). */
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
    /* The business day the load starts from (s_stored_day, before it is held to today). */
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
                 s_is_damage(rc) ? "is damaged" : "cannot be read", sqlite3_errmsg(db));
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
               "SELECT count(*) FROM tickets AS i INDEXED BY tickets_open WHERE i." S_OPEN
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
                " AND " S_OPEN,
                day, first, &open_table, 1, why, whylen) != 0 ||
         s_read(db, path, "the open-ticket index tickets_open",
                "SELECT count(*) FROM tickets INDEXED BY tickets_open WHERE " S_OPEN
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
static int s_check_before_writing(store_t *self, const hq_db_file_t *file, int64_t *version,
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
    s_exec(db, "PRAGMA cell_size_check=ON");
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
static int s_create(store_t *self, char *why, size_t whylen)
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
    if (rc == SQLITE_OK && (s_exec(db, setup) != 0 || s_exec(db, hq_db_schema) != 0 ||
                            s_exec(db, hq_db_epoch_sql) != 0 || s_exec(db, "COMMIT") != 0))
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
static int s_setup(sqlite3 *db, const char *path, int64_t version, int sync_full, char *why,
                   size_t whylen)
{
    char setup[128];
    snprintf(setup, sizeof setup, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
             STORE_APPLICATION_ID, STORE_SCHEMA);
    int64_t has_code = 1, has_device = 1, has_extended = 1, has_booking_token = 1;
    int rc = s_exec(db, "PRAGMA journal_mode=WAL");
    if (rc == 0)
        rc = s_exec(db, sync_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    if (rc == 0)
        rc = s_exec(db, "BEGIN IMMEDIATE");
    if (rc == 0 && version < 3)
        rc = s_scalar(db,
                      "SELECT count(*) FROM pragma_table_info('tickets') WHERE name='reason_code'",
                      &has_code);
    /* 4: the device that issued a ticket (its token is that device's alone). */
    if (rc == 0 && version < 4)
        rc = s_scalar(db, "SELECT count(*) FROM pragma_table_info('tickets') WHERE name='device'",
                      &has_device);
    /* 5: whether a ticket was issued in an extended-hours period (older rows were not) and an
     * appointment's slot (older rows are walk-ins); the bookings table is created with the
     * schema. Both columns came together, so one of them tells. */
    if (rc == 0 && version < 5)
        rc = s_scalar(db, "SELECT count(*) FROM pragma_table_info('tickets') WHERE name='extended'",
                      &has_extended);
    /* 6: tickets_open by the closed states; hq_db_schema creates it again. */
    if (rc == 0 && version < 6)
        rc = s_exec(db, "DROP INDEX IF EXISTS tickets_open");
    if (rc == 0)
        rc = s_exec(db, hq_db_schema);
    if (rc == 0)
        rc = s_exec(db, s_migrations);
    if (rc == 0 && !has_code)
        rc = s_exec(db, "ALTER TABLE tickets ADD COLUMN reason_code TEXT");
    if (rc == 0 && !has_device)
        rc = s_exec(db, "ALTER TABLE tickets ADD COLUMN device TEXT");
    if (rc == 0 && !has_extended)
        rc = s_exec(db, "ALTER TABLE tickets ADD COLUMN extended INTEGER NOT NULL DEFAULT 0");
    if (rc == 0 && !has_extended)
        rc = s_exec(db, "ALTER TABLE tickets ADD COLUMN slot_ms INTEGER");
    /* 8: bookings.token, a booking request's idempotency token (looked for once the schema has
     * made the table: before schema 5 there was none). */
    if (rc == 0 && version < 8)
        rc = s_scalar(db, "SELECT count(*) FROM pragma_table_info('bookings') WHERE name='token'",
                      &has_booking_token);
    if (rc == 0 && !has_booking_token)
        rc = s_exec(db, "ALTER TABLE bookings ADD COLUMN token TEXT");
    if (rc == 0)
        rc = s_exec(db, setup);
    if (rc == 0)
        rc = s_exec(db, "COMMIT");
    if (rc != 0) {
        snprintf(why, whylen, "%s: cannot bring the schema up to date: %s", path,
                 sqlite3_errmsg(db));
        s_exec(db, "ROLLBACK");
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
static void *s_check_in_background(void *arg)
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
        s_exec(db, "PRAGMA cache_size=-512"); /* KiB: the check reads each page once */
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
        s_set_damage(self, by, "%s", problem);
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
static void s_stop_checker(store_t *self)
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

/* ---- opening --------------------------------------------------------------------------------- */
store_t *store_open(const char *dir, int sync_full, char *why, size_t whylen)
{
    struct stat sb;
    if (stat(dir, &sb) != 0) {
        if (errno != ENOENT || mkdir(dir, 0750) != 0) {
            snprintf(why, whylen, "data directory %s: %s", dir, strerror(errno));
            return NULL;
        }
    } else if (!S_ISDIR(sb.st_mode)) {
        snprintf(why, whylen, "data directory %s is not a directory", dir);
        return NULL;
    }
    if (access(dir, W_OK) != 0) {
        snprintf(why, whylen, "data directory %s is not writable: %s", dir, strerror(errno));
        return NULL;
    }
    store_t *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    self->fail_after = -1;
    self->lock_fd = -1;
    pthread_mutex_init(&self->lock, NULL);
    /* A second daemon on the same data would corrupt the numbering. */
    self->lock_fd = hq_db_lock(dir, why, whylen);
    if (self->lock_fd < 0)
        goto fail;
    size_t n = strlen(dir) + sizeof STORE_FILE + 2;
    self->path = malloc(n);
    if (!self->path) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    snprintf(self->path, n, "%s/%s", dir, STORE_FILE);
    if (access(self->path, F_OK) != 0) {
        char wal[4200];
        snprintf(wal, sizeof wal, "%s-wal", self->path);
        if (errno != ENOENT) {
            snprintf(why, whylen, "%s: %s", self->path, strerror(errno));
            goto fail;
        }
        if (access(wal, F_OK) == 0) {
            snprintf(why, whylen,
                     "%s is missing but its write-ahead log %s is there: refusing to start a new "
                     "hall over it (restore a backup, or move the log away)",
                     self->path, wal);
            goto fail;
        }
        if (s_create(self, why, whylen) != 0)
            goto fail;
    }
    /* Nothing below writes until the checks have passed. */
    hq_db_file_t file;
    int64_t version = 0;
    int whole = 0;
    if (hq_db_check_file(self->path, &file, why, whylen) != 0 ||
        s_check_before_writing(self, &file, &version, &whole, why, whylen) != 0)
        goto fail;
    if (sqlite3_open_v2(self->path, &self->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf(why, whylen, "%s: %s", self->path,
                 self->db ? sqlite3_errmsg(self->db) : "cannot open");
        goto fail;
    }
    sqlite3_busy_timeout(self->db, 5000);
    sqlite3_extended_result_codes(self->db, 1);
    char pragmas[128];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA synchronous=%s; PRAGMA foreign_keys=ON; PRAGMA cell_size_check=ON;",
             sync_full ? "FULL" : "NORMAL");
    if (s_exec(self->db, pragmas) != 0) {
        snprintf(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
        goto fail;
    }
    if (whole && s_setup(self->db, self->path, version, sync_full, why, whylen) != 0)
        goto fail;
    for (int i = 0; i < ST_COUNT_; i++)
        if (sqlite3_prepare_v3(self->db, s_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &self->stmt[i],
                               NULL) != SQLITE_OK) {
            snprintf(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
            goto fail;
        }
    if (!whole) {
        if (pthread_create(&self->checker, NULL, s_check_in_background, self) == 0)
            self->checking = 1;
        else
            hq_warn("%s: cannot start the background check: the file is not checked whole",
                    self->path);
    }
    return self;
fail:
    store_close(&self);
    return NULL;
}

void store_close(store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    store_t *self = *self_p;
    s_stop_checker(self);
    for (int i = 0; i < ST_COUNT_; i++)
        sqlite3_finalize(self->stmt[i]);
    if (self->db) {
        /* Closing folds the write-ahead log into the file: not into one known to be damaged. */
        if (atomic_load(&self->damaged))
            sqlite3_db_config(self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
        sqlite3_close(self->db);
    }
    if (self->lock_fd >= 0)
        close(self->lock_fd);
    pthread_mutex_destroy(&self->lock);
    free(self->path);
    free(self);
    *self_p = NULL;
}

const char *store_errmsg(store_t *self)
{
    if (atomic_load(&self->damaged))
        return self->damage;
    if (self->injected[0])
        return self->injected;
    return sqlite3_errmsg(self->db);
}

const char *store_path(const store_t *self)
{
    return self->path;
}

void store_fail_after(store_t *self, int n)
{
    self->fail_after = n;
    self->injected[0] = '\0';
}

long store_failed_writes(const store_t *self)
{
    return self->failed_writes;
}

/* Transaction control, prepared once like every statement of a request. */
static int s_control(store_t *self, int which)
{
    sqlite3_stmt *st = self->stmt[which];
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && s_is_damage(rc))
        s_set_damage(self, "a transaction", "%s", sqlite3_errmsg(self->db));
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_begin(store_t *self)
{
    self->injected[0] = '\0';
    if (atomic_load(&self->damaged))
        return -1;
    return s_control(self, ST_BEGIN);
}

int store_commit(store_t *self)
{
    if (self->injected[0] || atomic_load(&self->damaged))
        return -1;
    return s_control(self, ST_COMMIT);
}

void store_rollback(store_t *self)
{
    if (!sqlite3_get_autocommit(self->db))
        s_control(self, ST_ROLLBACK);
}

/* Runs a bound statement to completion, with the injected-failure hook. It resets the
 * statement and clears its bindings before returning, which is why values are bound
 * SQLITE_STATIC (not copied): they only need to live until then. */
static int s_run(store_t *self, sqlite3_stmt *st)
{
    int rc;
    if (self->fail_after == 0) {
        snprintf(self->injected, sizeof self->injected, "injected write failure");
        self->failed_writes++;
        rc = -1;
    } else {
        if (self->fail_after > 0)
            self->fail_after--;
        int step = sqlite3_step(st);
        if (step != SQLITE_DONE && s_is_damage(step))
            s_set_damage(self, "a write", "%s", sqlite3_errmsg(self->db));
        rc = step == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static void s_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s && s[0])
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void s_bind_ms(sqlite3_stmt *st, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

int store_put_ticket(store_t *self, const hq_ticket_t *t)
{
    sqlite3_stmt *st = self->stmt[ST_TICKET];
    char prefix[2] = {t->prefix, 0}, queue[2] = {t->queue, 0};
    sqlite3_bind_int64(st, 1, t->id);
    sqlite3_bind_text(st, 2, t->day, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, prefix, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, t->number);
    sqlite3_bind_text(st, 5, t->label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, queue, -1, SQLITE_STATIC);
    s_bind_ms(st, 7, t->service);
    sqlite3_bind_int(st, 8, t->green);
    s_bind_text(st, 9, t->age_band);
    sqlite3_bind_text(st, 10, hq_ticket_state_name(t->state), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, t->issued_ms);
    s_bind_ms(st, 12, t->called_ms);
    s_bind_ms(st, 13, t->last_called_ms);
    s_bind_ms(st, 14, t->started_ms);
    s_bind_ms(st, 15, t->finished_ms);
    s_bind_ms(st, 16, t->parked_ms);
    sqlite3_bind_int64(st, 17, t->park_total_ms);
    sqlite3_bind_int(st, 18, t->calls);
    s_bind_ms(st, 19, t->counter);
    s_bind_text(st, 20, t->clerk);
    s_bind_text(st, 21, t->reason);
    s_bind_ms(st, 22, t->rating);
    sqlite3_bind_int(st, 23, t->transfers);
    s_bind_text(st, 24, t->token);
    const char *code = hq_reason_name(t->reason_code);
    if (code)
        sqlite3_bind_text(st, 25, code, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 25);
    s_bind_text(st, 26, t->device);
    sqlite3_bind_int(st, 27, t->extended);
    s_bind_ms(st, 28, t->slot_ms);
    return s_run(self, st);
}

int store_put_counter(store_t *self, const hq_counter_t *c, int paused)
{
    sqlite3_stmt *st = self->stmt[ST_COUNTER];
    sqlite3_bind_int(st, 1, c->id);
    s_bind_text(st, 2, c->clerk);
    sqlite3_bind_int(st, 3, paused);
    s_bind_text(st, 4, c->pause_reason);
    s_bind_ms(st, 5, c->current);
    sqlite3_bind_int(st, 6, 0); /* the streak is the hall's now (meta); the column stays */
    sqlite3_bind_int64(st, 7, c->since_ms);
    return s_run(self, st);
}

int store_put_tablet(store_t *self, int counter, const char *secret_hash, int64_t paired_ms)
{
    sqlite3_stmt *st = self->stmt[ST_TABLET];
    sqlite3_bind_int(st, 1, counter);
    sqlite3_bind_text(st, 2, secret_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, paired_ms);
    return s_run(self, st);
}

int store_append_event(store_t *self, int64_t seq, int64_t ts_ms, const char *type,
                       const char *body)
{
    sqlite3_stmt *st = self->stmt[ST_EVENT];
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, ts_ms);
    sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
    return s_run(self, st);
}

int store_put_metric(store_t *self, int64_t ts_ms, const char *day, const json_t *rows,
                     int64_t target_ms)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *m = json_object_get(row, "metric");
        sqlite3_stmt *st = self->stmt[ST_METRIC];
        int64_t count = json_integer_value(json_object_get(m, "count"));
        int64_t avg = json_integer_value(json_object_get(m, "avg_ms"));
        sqlite3_bind_int64(st, 1, ts_ms);
        sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, json_string_value(json_object_get(row, "scope")), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 4, json_string_value(json_object_get(row, "key")), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, count);
        sqlite3_bind_int64(st, 6, avg);
        sqlite3_bind_int64(st, 7, json_integer_value(json_object_get(m, "within")));
        sqlite3_bind_int64(st, 8, json_integer_value(json_object_get(m, "max_ms")));
        sqlite3_bind_int64(st, 9, target_ms);
        sqlite3_bind_int(st, 10, count > 0 && avg > target_ms);
        if (s_run(self, st) != 0)
            return -1;
    }
    return 0;
}

int store_put_day(store_t *self, const char *day)
{
    sqlite3_stmt *st = self->stmt[ST_DAY];
    sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
    return s_run(self, st);
}

int store_put_booking(store_t *self, const hq_booking_t *b)
{
    sqlite3_stmt *st = self->stmt[ST_BOOKING];
    char queue[2] = {b->queue, 0};
    sqlite3_bind_int64(st, 1, b->id);
    sqlite3_bind_text(st, 2, b->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, queue, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, b->day, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, b->slot);
    sqlite3_bind_text(st, 6, b->person, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, booking_state_name(b->state), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, b->booked_ms);
    s_bind_ms(st, 9, b->changed_ms);
    s_bind_ms(st, 10, b->ticket);
    s_bind_ms(st, 11, b->service);
    s_bind_text(st, 12, b->token);
    return s_run(self, st);
}

int store_put_appointment_streak(store_t *self, int streak)
{
    sqlite3_stmt *st = self->stmt[ST_APPT_STREAK];
    sqlite3_bind_int(st, 1, streak);
    return s_run(self, st);
}

static void s_col_text(sqlite3_stmt *st, int i, char *out, size_t n);

/* The hall's salt of person hashes: made once, on the first load, and kept in meta (a backup
 * carries it, so a restored hall knows its bookings' persons). */
static int s_load_salt(store_t *self, hall_t *hall)
{
    sqlite3_stmt *st;
    char salt[BOOKING_SALT_LEN + 1] = "";
    if (sqlite3_prepare_v2(self->db, "SELECT value FROM meta WHERE key = 'booking_salt'", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        s_col_text(st, 0, salt, sizeof salt);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    if (!salt[0]) {
        if (booking_salt_new(salt) != 0 ||
            sqlite3_prepare_v2(self->db, "INSERT INTO meta(key, value) VALUES('booking_salt', ?)",
                               -1, &st, NULL) != SQLITE_OK)
            return -1;
        sqlite3_bind_text(st, 1, salt, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    hall_set_booking_salt(hall, salt);
    return 0;
}

/* Bookings of the business day on, and earlier ones still booked (the daemon was down when
 * their check-in closed: the start marks them no-shows); the rest are history, which the
 * statistics read. */
static int s_load_bookings(store_t *self, hall_t *hall, const char *today)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(
            self->db,
            "SELECT id, code, queue, day, slot, person, state, booked_ms,"
            " changed_ms, ticket, service, token FROM bookings WHERE day >= ?1 OR state = 'booked'"
            " ORDER BY id",
            -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hq_booking_t b;
        char buf[16];
        memset(&b, 0, sizeof b);
        b.id = sqlite3_column_int64(st, 0);
        s_col_text(st, 1, b.code, sizeof b.code);
        s_col_text(st, 2, buf, sizeof buf);
        b.queue = buf[0];
        s_col_text(st, 3, b.day, sizeof b.day);
        b.slot = sqlite3_column_int(st, 4);
        s_col_text(st, 5, b.person, sizeof b.person);
        s_col_text(st, 6, buf, sizeof buf);
        int state = booking_state_parse(buf);
        if (state < 0 || !b.queue) {
            hq_error("%s: booking row %lld is damaged (state '%s'); skipped", self->path,
                     (long long)b.id, buf);
            continue;
        }
        b.state = (bk_state_t)state;
        b.booked_ms = sqlite3_column_int64(st, 7);
        b.changed_ms = sqlite3_column_int64(st, 8);
        b.ticket = sqlite3_column_int64(st, 9);
        b.service = sqlite3_column_int(st, 10);
        s_col_text(st, 11, b.token, sizeof b.token);
        if (hall_load_booking(hall, &b) != 0) {
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_put_green_streak(store_t *self, int streak)
{
    sqlite3_stmt *st = self->stmt[ST_STREAK];
    sqlite3_bind_int(st, 1, streak);
    return s_run(self, st);
}

static void s_col_text(sqlite3_stmt *st, int i, char *out, size_t n)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    hq_strlcpy(out, s ? (const char *)s : "", n);
}

/* The business day the store was left in: the later of the one its last rollover recorded
 * and the latest day a ticket was issued on (for a database written before that record); today
 * for a new store. A clock that says an earlier day than the stored one (it stepped back, or
 * was wrong at boot) does not take the hall back: the stored day is kept, and said so. */
static int s_stored_day(store_t *self, const char *today, char *out, size_t n)
{
    sqlite3_stmt *st;
    const char *sql = "SELECT max(d) FROM (SELECT value AS d FROM meta WHERE key = 'day'"
                      " UNION ALL SELECT max(day) FROM tickets)";
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    const char *day = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    if (day && strcmp(day, today) > 0)
        hq_warn("the clock says %s, before the business day %s of %s: the day stays %s", today, day,
                self->path, day);
    hq_strlcpy(out, day ? day : today, n);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Whether a "day" event began a new business day: its day is not the one before it (or it does
 * not say which they are). */
static int s_day_began(const hq_event_t *ev)
{
    const char *day = json_string_value(json_object_get(ev->body, "day"));
    const char *previous = json_string_value(json_object_get(ev->body, "previous_day"));
    return !day || !previous || strcmp(day, previous) != 0;
}

/* The day's latest calls and recalls, from the event log: newest first, back to the rollover
 * that began the day (the hall forgets them there too). */
static int s_load_calls(store_t *self, hall_t *hall)
{
    sqlite3_stmt *st;
    const char *sql = "SELECT type, body FROM events WHERE type IN ('called', 'recalled', 'day')"
                      " ORDER BY seq DESC";
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = SQLITE_DONE, ncalls = 0, failed = 0;
    while (ncalls < HALL_RECENT_CALLS && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const void *body = sqlite3_column_blob(st, 1);
        hq_event_t ev;
        if (hq_event_decode(type, body, (size_t)sqlite3_column_bytes(st, 1), &ev) != HQ_OK) {
            /* damaged row or out of memory: either way the list cannot be trusted */
            failed = 1;
            break;
        }
        if (ev.type == HQ_EV_DAY) {
            int began = s_day_began(&ev);
            hq_event_clear(&ev);
            if (began)
                break;
            continue;
        }
        if (ev.has_ticket) {
            hall_load_call(hall, ev.ticket.label, ev.ticket.counter, ev.ts_ms,
                           ev.type == HQ_EV_RECALLED, ev.ticket.green);
            ncalls++;
        }
        hq_event_clear(&ev);
    }
    sqlite3_finalize(st);
    return failed || (rc != SQLITE_ROW && rc != SQLITE_DONE) ? -1 : 0;
}

/* The alerts raised now, from the event log: each queue's and kind's latest queue_alert event
 * back to the rollover that began the day before (raised when that one raised it: a queue alert
 * of yesterday not cleared yet is cleared at the next alert tick, with its own event), and the
 * scopes of the latest 10-minute alert event back to the rollover that began today (which
 * clears it with its own event; one from before it said "cleared" lists the scopes above
 * then). A restart then neither raises an alert again nor forgets one. */
static int s_load_alerts(store_t *self, hall_t *hall)
{
    sqlite3_stmt *st;
    const char *sql = "SELECT type, body FROM events WHERE type IN ('queue_alert', 'alert', 'day')"
                      " ORDER BY seq DESC";
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int seen[HQ_QUEUES_MAX][HALL_ALERT_KINDS] = {{0}};
    int rc, failed = 0, seen_metric = 0, days = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const void *body = sqlite3_column_blob(st, 1);
        hq_event_t ev;
        if (hq_event_decode(type, body, (size_t)sqlite3_column_bytes(st, 1), &ev) != HQ_OK) {
            failed = 1;
            break;
        }
        if (ev.type == HQ_EV_DAY) {
            int began = s_day_began(&ev);
            hq_event_clear(&ev);
            /* The 10-minute alert ends with the rollover; a queue alert clears at the first
             * alert tick after it, which a stop right after the rollover never reached: the
             * queue alerts are read back over the day before too, and cleared then. */
            seen_metric |= began;
            if (began && ++days == 2)
                break;
            continue;
        }
        if (ev.type == HQ_EV_ALERT) {
            const char *state = json_string_value(json_object_get(ev.body, "state"));
            json_t *above = json_object_get(ev.body, "above");
            for (size_t i = 0; !seen_metric && (!state || strcmp(state, "cleared") != 0) &&
                               i < json_array_size(above);
                 i++) {
                const char *scope =
                    json_string_value(json_object_get(json_array_get(above, i), "scope"));
                const char *key =
                    json_string_value(json_object_get(json_array_get(above, i), "key"));
                if (scope && key)
                    hall_load_metric_alert(hall, scope, key);
            }
            seen_metric = 1;
            hq_event_clear(&ev);
            continue;
        }
        json_t *a = json_object_get(ev.body, "alert");
        const char *queue = json_string_value(json_object_get(a, "queue"));
        const char *kind = json_string_value(json_object_get(a, "kind"));
        const char *state = json_string_value(json_object_get(a, "state"));
        int k = kind && strcmp(kind, "wait") == 0       ? HALL_ALERT_WAIT
                : kind && strcmp(kind, "handling") == 0 ? HALL_ALERT_HANDLING
                                                        : -1;
        if (queue && queue[0] >= 'A' && queue[0] <= 'Z' && !queue[1] && k >= 0 && state &&
            !seen[queue[0] - 'A'][k]) {
            seen[queue[0] - 'A'][k] = 1;
            if (strcmp(state, "raised") == 0)
                hall_load_alert(hall, queue[0], (hall_alert_kind_t)k,
                                json_integer_value(json_object_get(a, "value_ms")));
        }
        hq_event_clear(&ev);
    }
    sqlite3_finalize(st);
    return failed || (rc != SQLITE_ROW && rc != SQLITE_DONE) ? -1 : 0;
}

static int s_load(store_t *self, hall_t *hall, const char *today)
{
    char day[11];
    if (s_stored_day(self, today, day, sizeof day) != 0)
        return -1;
    hall_reset(hall, day);
    today = day;
    sqlite3_stmt *st;
#define S_TICKET_COLUMNS                                                                           \
    "id, day, prefix, number, label, queue, service, green, age_band, state, issued_ms,"           \
    " called_ms, last_called_ms, started_ms, finished_ms, parked_ms, park_total_ms, calls,"        \
    " counter, clerk, reason, rating, transfers, token, reason_code, device, extended, slot_ms"
    /* The day's tickets by the day's index, the older open ones by the open-ticket index
     * (named: the planner would otherwise scan the year for the second half of an OR). */
    const char *sql = "SELECT " S_TICKET_COLUMNS " FROM tickets WHERE day = ?1"
                      " UNION SELECT " S_TICKET_COLUMNS
                      " FROM tickets INDEXED BY tickets_open WHERE " S_OPEN " ORDER BY id";
#undef S_TICKET_COLUMNS
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hq_ticket_t t;
        memset(&t, 0, sizeof t);
        char buf[16];
        t.id = sqlite3_column_int64(st, 0);
        s_col_text(st, 1, t.day, sizeof t.day);
        s_col_text(st, 2, buf, sizeof buf);
        t.prefix = buf[0];
        t.number = sqlite3_column_int(st, 3);
        s_col_text(st, 4, t.label, sizeof t.label);
        s_col_text(st, 5, buf, sizeof buf);
        t.queue = buf[0];
        t.service = sqlite3_column_int(st, 6);
        t.green = sqlite3_column_int(st, 7);
        s_col_text(st, 8, t.age_band, sizeof t.age_band);
        s_col_text(st, 9, buf, sizeof buf);
        int state = hq_ticket_state_parse(buf);
        if (state < 0 || !t.prefix || !t.queue) {
            hq_error("%s: ticket row %lld is damaged (state '%s'); skipped", self->path,
                     (long long)t.id, buf);
            continue;
        }
        t.state = (hq_ticket_state_t)state;
        t.issued_ms = sqlite3_column_int64(st, 10);
        t.called_ms = sqlite3_column_int64(st, 11);
        t.last_called_ms = sqlite3_column_int64(st, 12);
        t.started_ms = sqlite3_column_int64(st, 13);
        t.finished_ms = sqlite3_column_int64(st, 14);
        t.parked_ms = sqlite3_column_int64(st, 15);
        t.park_total_ms = sqlite3_column_int64(st, 16);
        t.calls = sqlite3_column_int(st, 17);
        t.counter = sqlite3_column_int(st, 18);
        s_col_text(st, 19, t.clerk, sizeof t.clerk);
        s_col_text(st, 20, t.reason, sizeof t.reason);
        t.rating = sqlite3_column_int(st, 21);
        t.transfers = sqlite3_column_int(st, 22);
        s_col_text(st, 23, t.token, sizeof t.token);
        s_col_text(st, 24, buf, sizeof buf);
        int code = hq_reason_parse(buf);
        /* Rows of schema 2 kept only the English words: the code is read back from them. */
        t.reason_code = code > 0 ? (hq_reason_t)code : hq_reason_of_english(t.reason);
        s_col_text(st, 25, t.device, sizeof t.device);
        t.extended = sqlite3_column_int(st, 26);
        t.slot_ms = sqlite3_column_int64(st, 27);
        if (hall_load_ticket(hall, &t) != 0) {
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    if (sqlite3_prepare_v2(
            self->db, "SELECT id, clerk, paused, pause_reason, current, since_ms FROM counters", -1,
            &st, NULL) != SQLITE_OK)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char clerk[HQ_CLERK_MAX], reason[HQ_REASON_MAX];
        s_col_text(st, 1, clerk, sizeof clerk);
        s_col_text(st, 3, reason, sizeof reason);
        hall_load_counter(hall, sqlite3_column_int(st, 0), clerk, sqlite3_column_int(st, 2), reason,
                          sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    /* A database written before the streak was the hall's has none in meta: the largest of
     * its windows' streaks stands in, the bound as the strictest window kept it. */
    int64_t streak = 0;
    if (s_scalar(self->db,
                 "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta"
                 " WHERE key = 'green_streak'), (SELECT max(green_streak) FROM counters), 0)",
                 &streak) != 0)
        return -1;
    hall_load_green_streak(hall, (int)streak);
    if (s_scalar(self->db,
                 "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta"
                 " WHERE key = 'appointment_streak'), 0)",
                 &streak) != 0)
        return -1;
    hall_load_appointment_streak(hall, (int)streak);
    if (sqlite3_prepare_v2(self->db, "SELECT counter, secret_hash FROM tablets", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char hash[HALL_TABLET_HASH + 1];
        s_col_text(st, 1, hash, sizeof hash);
        hall_load_tablet(hall, sqlite3_column_int(st, 0), hash);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    /* A database made before the epoch was gets one on its first start. */
    if (s_exec(self->db, hq_db_epoch_sql) != 0)
        return -1;
    if (s_load_calls(self, hall) != 0 || s_load_alerts(self, hall) != 0 ||
        s_load_salt(self, hall) != 0 || s_load_bookings(self, hall, today) != 0)
        return -1;
    int64_t max_id = 0, max_seq = 0;
    if (s_scalar(self->db, "SELECT coalesce(max(id), 0) FROM tickets", &max_id) != 0 ||
        s_scalar(self->db, "SELECT coalesce(max(seq), 0) FROM events", &max_seq) != 0)
        return -1;
    return hall_finish_load(hall, max_id + 1, max_seq);
}

int store_load(store_t *self, hall_t *hall, const char *today)
{
    if (s_load(self, hall, today) == 0) {
        self->loaded = 1;
        return 0;
    }
    /* The start-up check read these pages already: damage here is new, or in what the check
     * could not tell (a row's contents). Before the first load the caller reports it. */
    if (s_is_damage(sqlite3_extended_errcode(self->db)))
        s_set_damage(self, self->loaded ? "reloading the hall's state" : NULL,
                     "reading the hall's state: %s", sqlite3_errmsg(self->db));
    return -1;
}

/* ---- the configuration record ------------------------------------------------------------ */

/* Made here, not with the other tables, so that no schema version is needed: a database of
 * an older hallqd gains the table the first time a newer one starts on it, and readers treat
 * a database without it as one with no record. */
static const char s_config_table[] =
    "CREATE TABLE IF NOT EXISTS config(id INTEGER PRIMARY KEY, since_ms INTEGER NOT NULL,"
    " day TEXT NOT NULL, body TEXT NOT NULL)";

int store_put_config(store_t *self, int64_t ts_ms, const char *day, const char *record, char *why,
                     size_t whylen)
{
    sqlite3_stmt *last = NULL, *put = NULL;
    int changed = -1;
    if (s_exec(self->db, "BEGIN IMMEDIATE") != 0)
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    if (s_exec(self->db, s_config_table) != 0 ||
        sqlite3_prepare_v2(self->db, "SELECT body FROM config ORDER BY id DESC LIMIT 1", -1, &last,
                           NULL) != SQLITE_OK)
        goto done;
    int rc = sqlite3_step(last);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        goto done;
    const unsigned char *body = rc == SQLITE_ROW ? sqlite3_column_text(last, 0) : NULL;
    changed = !body || strcmp((const char *)body, record) != 0;
    if (changed) {
        if (sqlite3_prepare_v2(self->db,
                               "INSERT INTO config(since_ms, day, body) VALUES(?1, ?2, ?3)", -1,
                               &put, NULL) != SQLITE_OK) {
            changed = -1;
            goto done;
        }
        sqlite3_bind_int64(put, 1, ts_ms);
        sqlite3_bind_text(put, 2, day, -1, SQLITE_STATIC);
        sqlite3_bind_text(put, 3, record, -1, SQLITE_STATIC);
        if (sqlite3_step(put) != SQLITE_DONE)
            changed = -1;
    }
done:
    sqlite3_finalize(last);
    sqlite3_finalize(put);
    if (changed < 0 || s_exec(self->db, "COMMIT") != 0) {
        /* The reason first: the rollback replaces SQLite's message. */
        hq_fail(why, whylen, "%s: cannot record the configuration: %s", self->path,
                sqlite3_errmsg(self->db));
        s_exec(self->db, "ROLLBACK");
        return -1;
    }
    return changed;
}

/* ---- the clock the days were recorded on --------------------------------------------------- */
int store_clock(store_t *self, store_clock_t *kind, int64_t *latest_ms, char *why, size_t whylen)
{
    int64_t marked = 0, recorded = 0, configs = 0, latest = 0;
    if (s_scalar(self->db, "SELECT count(*) FROM meta WHERE key = 'clock' AND value = 'simulated'",
                 &marked) != 0 ||
        s_scalar(self->db,
                 "SELECT EXISTS(SELECT 1 FROM tickets) OR EXISTS(SELECT 1 FROM events)"
                 " OR EXISTS(SELECT 1 FROM metrics)",
                 &recorded) != 0 ||
        s_scalar(self->db, "SELECT count(*) FROM sqlite_master WHERE name = 'config'", &configs) !=
            0 ||
        (configs && s_scalar(self->db, "SELECT EXISTS(SELECT 1 FROM config)", &configs) != 0) ||
        /* No index by time: this reads every event (half a second on a year of history),
         * which only a simulated clock's start needs. */
        (latest_ms && s_scalar(self->db,
                               "SELECT max(coalesce((SELECT max(ts_ms) FROM events), 0),"
                               " coalesce((SELECT max(ts_ms) FROM metrics), 0))",
                               &latest) != 0))
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    *kind = marked                ? STORE_CLOCK_SIMULATED
            : recorded || configs ? STORE_CLOCK_REAL
                                  : STORE_CLOCK_EMPTY;
    if (latest_ms)
        *latest_ms = latest;
    return 0;
}

int store_mark_simulated(store_t *self)
{
    return s_exec(self->db, "INSERT OR REPLACE INTO meta(key, value) VALUES('clock', 'simulated')");
}
