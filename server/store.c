/* The store (store.h): opening and closing it, transactions, the writes (store_put_*,
 * store_append_event) with their prepared statements, the configuration record and the clock
 * the days were recorded on, and the helpers the store's files share (store_int.h). The checks
 * before the first write, a new file and its setup, and the background check are in
 * store_check.c; loading the hall's state at start is in store_load.c. */
#include "store.h"

#include "store_int.h"

#include "hq_log.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* ---- what the store's files share (store_int.h) ------------------------------------------ */
int store_exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int store_scalar(sqlite3 *db, const char *sql, int64_t *out)
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
int store_is_damage(int rc)
{
    return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

/* Records damage found after the start-up check (the first finding wins). When the daemon is
 * serving, `found_by` says in the log who found it and what follows; NULL: the caller reports
 * it. */
void store_set_damage(store_t *self, const char *found_by, const char *fmt, ...)
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
        if (store_create(self, why, whylen) != 0)
            goto fail;
    }
    /* Nothing below writes until the checks have passed. */
    hq_db_file_t file;
    int64_t version = 0;
    int whole = 0;
    if (hq_db_check_file(self->path, &file, why, whylen) != 0 ||
        store_check_before_writing(self, &file, &version, &whole, why, whylen) != 0)
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
    if (store_exec(self->db, pragmas) != 0) {
        snprintf(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
        goto fail;
    }
    if (whole && store_setup(self->db, self->path, version, sync_full, why, whylen) != 0)
        goto fail;
    for (int i = 0; i < ST_COUNT_; i++)
        if (sqlite3_prepare_v3(self->db, s_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &self->stmt[i],
                               NULL) != SQLITE_OK) {
            snprintf(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
            goto fail;
        }
    if (!whole) {
        if (pthread_create(&self->checker, NULL, store_check_in_background, self) == 0)
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
    store_stop_checker(self);
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
    if (rc != SQLITE_DONE && store_is_damage(rc))
        store_set_damage(self, "a transaction", "%s", sqlite3_errmsg(self->db));
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
        if (step != SQLITE_DONE && store_is_damage(step))
            store_set_damage(self, "a write", "%s", sqlite3_errmsg(self->db));
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

int store_put_green_streak(store_t *self, int streak)
{
    sqlite3_stmt *st = self->stmt[ST_STREAK];
    sqlite3_bind_int(st, 1, streak);
    return s_run(self, st);
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
    if (store_exec(self->db, "BEGIN IMMEDIATE") != 0)
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    if (store_exec(self->db, s_config_table) != 0 ||
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
    if (changed < 0 || store_exec(self->db, "COMMIT") != 0) {
        /* The reason first: the rollback replaces SQLite's message. */
        hq_fail(why, whylen, "%s: cannot record the configuration: %s", self->path,
                sqlite3_errmsg(self->db));
        store_exec(self->db, "ROLLBACK");
        return -1;
    }
    return changed;
}

/* ---- the clock the days were recorded on --------------------------------------------------- */
int store_clock(store_t *self, store_clock_t *kind, int64_t *latest_ms, char *why, size_t whylen)
{
    int64_t marked = 0, recorded = 0, configs = 0, latest = 0;
    if (store_scalar(self->db,
                     "SELECT count(*) FROM meta WHERE key = 'clock' AND value = 'simulated'",
                     &marked) != 0 ||
        store_scalar(self->db,
                     "SELECT EXISTS(SELECT 1 FROM tickets) OR EXISTS(SELECT 1 FROM events)"
                     " OR EXISTS(SELECT 1 FROM metrics)",
                     &recorded) != 0 ||
        store_scalar(self->db, "SELECT count(*) FROM sqlite_master WHERE name = 'config'",
                     &configs) != 0 ||
        (configs && store_scalar(self->db, "SELECT EXISTS(SELECT 1 FROM config)", &configs) != 0) ||
        /* No index by time: this reads every event (half a second on a year of history),
         * which only a simulated clock's start needs. */
        (latest_ms && store_scalar(self->db,
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
    return store_exec(self->db,
                      "INSERT OR REPLACE INTO meta(key, value) VALUES('clock', 'simulated')");
}
