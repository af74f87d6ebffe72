#include "store.h"

#include "hq_log.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    ST_TICKET,
    ST_COUNTER,
    ST_EVENT,
    ST_METRIC,
    ST_DAY,
    ST_STREAK,
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
     " device) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
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
    "BEGIN IMMEDIATE",
    "COMMIT",
    "ROLLBACK",
};

static const char s_schema[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS tickets("
    " id INTEGER PRIMARY KEY, day TEXT NOT NULL, prefix TEXT NOT NULL, number INTEGER NOT NULL,"
    " label TEXT NOT NULL, queue TEXT NOT NULL, service INTEGER, green INTEGER NOT NULL,"
    " age_band TEXT, state TEXT NOT NULL, issued_ms INTEGER NOT NULL, called_ms INTEGER,"
    " last_called_ms INTEGER, started_ms INTEGER, finished_ms INTEGER, parked_ms INTEGER,"
    " park_total_ms INTEGER NOT NULL DEFAULT 0, calls INTEGER NOT NULL DEFAULT 0,"
    " counter INTEGER, clerk TEXT, reason TEXT, rating INTEGER,"
    " transfers INTEGER NOT NULL DEFAULT 0, token TEXT, reason_code TEXT, device TEXT,"
    " UNIQUE(day, prefix, number));"
    "CREATE INDEX IF NOT EXISTS tickets_open ON tickets(state)"
    " WHERE state IN ('waiting','called','serving','parked','no_show');"
    /* Schema 1 also indexed issued_ms; no query reads by it (statistics select by day), and
     * it cost every issue a page more to write. */
    "DROP INDEX IF EXISTS tickets_issued;"
    "CREATE TABLE IF NOT EXISTS counters(id INTEGER PRIMARY KEY, clerk TEXT,"
    " paused INTEGER NOT NULL, pause_reason TEXT, current INTEGER,"
    " green_streak INTEGER NOT NULL, since_ms INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL,"
    " type TEXT NOT NULL, body TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS metrics(id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL,"
    " day TEXT NOT NULL, scope TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL,"
    " avg_ms INTEGER NOT NULL, within INTEGER NOT NULL, max_ms INTEGER NOT NULL,"
    " target_ms INTEGER NOT NULL, above INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS metrics_day ON metrics(day);";

struct store {
    int lock_fd;                   /* DIR/hallqd.lock, held while open: one daemon per directory */
    sqlite3 *db;                   /* the connection */
    sqlite3_stmt *stmt[ST_COUNT_]; /* prepared once, reused */
    char *path;                    /* DIR/hallq.db */
    int fail_after;                /* test hook: writes left before failing, -1 never */
    long failed_writes;            /* test hook: writes it failed */
    char injected[64];             /* message of an injected failure */
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

/* Takes DIR/hallqd.lock; a second daemon on the same data would corrupt the numbering. */
static int s_lock(const char *dir, char *why, size_t whylen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, STORE_LOCK_FILE);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
        snprintf(why, whylen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "?";
        ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        snprintf(why, whylen, "another hallqd (pid %s) is using %s", pid, dir);
        close(fd);
        return -1;
    }
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    /* The lock is what matters; the pid only makes the message above friendlier. */
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)len, 0) != len)
        hq_debug("cannot write the pid into %s: %s", path, strerror(errno));
    return fd;
}

/* The application_id in the file's own header (bytes 68-71, big-endian), as it is before
 * SQLite applies a write-ahead log over it; 0 when it cannot be read. */
static uint32_t s_file_app_id(const char *path)
{
    unsigned char b[4];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? pread(fd, b, sizeof b, 68) : -1;
    if (fd >= 0)
        close(fd);
    return n == (ssize_t)sizeof b
               ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]
               : 0;
}

/* Brings a database of an older schema up to this one, inside the open's transaction. Adding
 * a column rewrites no row, so it costs the same on a year of history as on a new hall. */
static int s_migrate(sqlite3 *db, int64_t version, int64_t tables)
{
    int64_t has_code = 1, has_device = 1;
    if (tables > 0 && version < 3 &&
        s_scalar(db, "SELECT count(*) FROM pragma_table_info('tickets') WHERE name='reason_code'",
                 &has_code) != 0)
        return -1;
    if (!has_code && s_exec(db, "ALTER TABLE tickets ADD COLUMN reason_code TEXT") != 0)
        return -1;
    /* 4: the device that issued a ticket (its token is that device's alone). */
    if (tables > 0 && version < 4 &&
        s_scalar(db, "SELECT count(*) FROM pragma_table_info('tickets') WHERE name='device'",
                 &has_device) != 0)
        return -1;
    return has_device ? 0 : s_exec(db, "ALTER TABLE tickets ADD COLUMN device TEXT");
}

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
    self->lock_fd = s_lock(dir, why, whylen);
    if (self->lock_fd < 0) {
        free(self);
        return NULL;
    }
    size_t n = strlen(dir) + sizeof STORE_FILE + 2;
    self->path = malloc(n);
    if (!self->path)
        goto oom;
    snprintf(self->path, n, "%s/%s", dir, STORE_FILE);
    if (sqlite3_open_v2(self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        snprintf(why, whylen, "%s: %s", self->path,
                 self->db ? sqlite3_errmsg(self->db) : "cannot open");
        goto fail;
    }
    /* Until the checks below pass, closing must not fold a write-ahead log into the file: a
     * log left from another database would overwrite the very file being refused. */
    sqlite3_db_config(self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    sqlite3_busy_timeout(self->db, 5000);
    sqlite3_extended_result_codes(self->db, 1);
    int64_t app_id = 0, tables = 0, version = 0;
    if (s_scalar(self->db, "PRAGMA application_id", &app_id) != 0 ||
        s_scalar(self->db, "SELECT count(*) FROM sqlite_master", &tables) != 0) {
        snprintf(why, whylen, "%s is not a usable database: %s", self->path,
                 sqlite3_errmsg(self->db));
        goto fail;
    }
    if (tables > 0 && app_id != STORE_APPLICATION_ID) {
        if (s_file_app_id(self->path) == STORE_APPLICATION_ID)
            snprintf(why, whylen,
                     "%s-wal does not belong to %s: it is another database's log (move it away)",
                     self->path, self->path);
        else
            snprintf(why, whylen, "%s is not a hallq database (refusing to touch it)", self->path);
        goto fail;
    }
    s_scalar(self->db, "PRAGMA user_version", &version);
    if (version > STORE_SCHEMA) {
        snprintf(why, whylen, "%s has schema %lld, newer than this hallqd (%d)", self->path,
                 (long long)version, STORE_SCHEMA);
        goto fail;
    }
    sqlite3_db_config(self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, (int *)NULL);
    char pragmas[256];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA foreign_keys=ON;",
             sync_full ? "FULL" : "NORMAL");
    if (s_exec(self->db, pragmas) != 0 || s_exec(self->db, "BEGIN IMMEDIATE") != 0) {
        snprintf(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
        goto fail;
    }
    char setup[128];
    snprintf(setup, sizeof setup, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
             STORE_APPLICATION_ID, STORE_SCHEMA);
    if (s_exec(self->db, s_schema) != 0 || s_migrate(self->db, version, tables) != 0 ||
        s_exec(self->db, setup) != 0 || s_exec(self->db, "COMMIT") != 0) {
        snprintf(why, whylen, "%s: cannot create tables: %s", self->path, sqlite3_errmsg(self->db));
        s_exec(self->db, "ROLLBACK");
        goto fail;
    }
    for (int i = 0; i < ST_COUNT_; i++)
        if (sqlite3_prepare_v3(self->db, s_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &self->stmt[i],
                               NULL) != SQLITE_OK) {
            snprintf(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
            goto fail;
        }
    return self;
oom:
    snprintf(why, whylen, "out of memory");
fail:
    store_close(&self);
    return NULL;
}

void store_close(store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    store_t *self = *self_p;
    for (int i = 0; i < ST_COUNT_; i++)
        sqlite3_finalize(self->stmt[i]);
    if (self->db)
        sqlite3_close(self->db);
    if (self->lock_fd >= 0)
        close(self->lock_fd);
    free(self->path);
    free(self);
    *self_p = NULL;
}

const char *store_errmsg(store_t *self)
{
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
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_begin(store_t *self)
{
    self->injected[0] = '\0';
    return s_control(self, ST_BEGIN);
}

int store_commit(store_t *self)
{
    if (self->injected[0])
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
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
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
            const char *day = json_string_value(json_object_get(ev.body, "day"));
            const char *previous = json_string_value(json_object_get(ev.body, "previous_day"));
            int began = !day || !previous || strcmp(day, previous) != 0;
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

int store_load(store_t *self, hall_t *hall, const char *today)
{
    char day[11];
    if (s_stored_day(self, today, day, sizeof day) != 0)
        return -1;
    hall_reset(hall, day);
    today = day;
    sqlite3_stmt *st;
    const char *sql =
        "SELECT id, day, prefix, number, label, queue, service, green, age_band, state,"
        " issued_ms, called_ms, last_called_ms, started_ms, finished_ms, parked_ms,"
        " park_total_ms, calls, counter, clerk, reason, rating, transfers, token, reason_code,"
        " device FROM tickets"
        " WHERE day = ?1 OR state IN ('waiting','called','serving','parked','no_show')"
        " ORDER BY id";
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
    if (s_load_calls(self, hall) != 0)
        return -1;
    int64_t max_id = 0, max_seq = 0;
    if (s_scalar(self->db, "SELECT coalesce(max(id), 0) FROM tickets", &max_id) != 0 ||
        s_scalar(self->db, "SELECT coalesce(max(seq), 0) FROM events", &max_seq) != 0)
        return -1;
    return hall_finish_load(hall, max_id + 1, max_seq);
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
        s_scalar(self->db,
                 "SELECT max(coalesce((SELECT max(ts_ms) FROM events), 0),"
                 " coalesce((SELECT max(ts_ms) FROM metrics), 0))",
                 &latest) != 0)
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    *kind = marked                ? STORE_CLOCK_SIMULATED
            : recorded || configs ? STORE_CLOCK_REAL
                                  : STORE_CLOCK_EMPTY;
    *latest_ms = latest;
    return 0;
}

int store_mark_simulated(store_t *self)
{
    return s_exec(self->db, "INSERT OR REPLACE INTO meta(key, value) VALUES('clock', 'simulated')");
}
