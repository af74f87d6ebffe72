/* The statistics' read-only view of the hall's database: the tickets and the metric log,
 * each read through one column list. */
#include "stats.h"

#include "config_record.h"
#include "hq_db.h"
#include "hq_proto.h"
#include "hq_text.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- the column lists ------------------------------------------------------------------ */

/* The columns of tickets the statistics read, in SELECT order: the history's first, then
 * those only the per-ticket export shows. */
enum {
    S_T_DAY,
    S_T_QUEUE,
    S_T_SERVICE,
    S_T_GREEN,
    S_T_STATE,
    S_T_ISSUED,
    S_T_CALLED,
    S_T_LAST_CALLED,
    S_T_STARTED,
    S_T_FINISHED,
    S_T_PARKED,
    S_T_COUNTER,
    S_T_CLERK,
    S_T_RATING,
    S_T_TRANSFERS,
    S_T_EXTENDED,
    S_T_HISTORY_, /* the columns before this one: what stats_hist_add needs */
    S_T_ID = S_T_HISTORY_,
    S_T_LABEL,
    S_T_PREFIX,
    S_T_AGE_BAND,
    S_T_CALLS,
    S_T_REASON,
    S_T_REASON_CODE,
    S_T_ALL_
};

static const char *const s_ticket_columns[S_T_ALL_] = {
    [S_T_DAY] = "day",
    [S_T_QUEUE] = "queue",
    [S_T_SERVICE] = "service",
    [S_T_GREEN] = "green",
    [S_T_STATE] = "state",
    [S_T_ISSUED] = "issued_ms",
    [S_T_CALLED] = "called_ms",
    [S_T_LAST_CALLED] = "last_called_ms",
    [S_T_STARTED] = "started_ms",
    [S_T_FINISHED] = "finished_ms",
    [S_T_PARKED] = "park_total_ms",
    [S_T_COUNTER] = "counter",
    [S_T_CLERK] = "clerk",
    [S_T_RATING] = "rating",
    [S_T_TRANSFERS] = "transfers",
    [S_T_EXTENDED] = "extended",
    [S_T_ID] = "id",
    [S_T_LABEL] = "label",
    [S_T_PREFIX] = "prefix",
    [S_T_AGE_BAND] = "age_band",
    [S_T_CALLS] = "calls",
    [S_T_REASON] = "reason",
    [S_T_REASON_CODE] = "reason_code",
};

/* The columns of the metric log, in SELECT order. */
enum {
    S_M_TS,
    S_M_DAY,
    S_M_SCOPE,
    S_M_KEY,
    S_M_COUNT,
    S_M_AVG,
    S_M_WITHIN,
    S_M_MAX,
    S_M_TARGET,
    S_M_ABOVE,
    S_M_ALL_
};

static const char *const s_metric_columns[S_M_ALL_] = {
    [S_M_TS] = "ts_ms",      [S_M_DAY] = "day",     [S_M_SCOPE] = "scope",
    [S_M_KEY] = "key",       [S_M_COUNT] = "count", [S_M_AVG] = "avg_ms",
    [S_M_WITHIN] = "within", [S_M_MAX] = "max_ms",  [S_M_TARGET] = "target_ms",
    [S_M_ABOVE] = "above",
};

/* "SELECT c1, c2, ... FROM table " and the rest. */
static void s_select(char *sql, size_t n, const char *const *columns, int ncolumns,
                     const char *table, const char *rest)
{
    size_t used = (size_t)snprintf(sql, n, "SELECT");
    for (int i = 0; i < ncolumns && used < n; i++)
        used += (size_t)snprintf(sql + used, n - used, "%s %s", i ? "," : "", columns[i]);
    if (used < n)
        snprintf(sql + used, n - used, " FROM %s %s", table, rest);
}

static const char *s_text(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

static char s_letter(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (char)s[0] : 0;
}

/* ---- opening ------------------------------------------------------------------------ */

/* A configuration hallqd recorded: in force from since_ms (business day `day`) on. */
typedef struct {
    int64_t since_ms;
    char day[HQ_DATE_TEXT_MAX];
    hallq_config_t cfg;
} s_record_t;

struct stats_db {
    sqlite3 *db;                 /* read-only connection */
    char *path;                  /* DIR/hallq.db */
    int has_reason_code;         /* tickets.reason_code exists (schema 3 on) */
    int has_extended;            /* tickets.extended exists (schema 5 on) */
    s_record_t *records;         /* the configurations recorded, oldest first */
    size_t nrecords;             /* 0: none read (or an override) */
    hallq_config_t fallback;     /* the embedded default, when nothing else says */
    const hallq_config_t *fixed; /* the one every ticket counts by, NULL: the records */
};

/* A URI for the immutable fallback: only characters that are safe in a path stay. */
static char *s_uri(const char *path, const char *query)
{
    size_t n = strlen(path) * 3 + strlen(query) + 8;
    char *uri = malloc(n);
    if (!uri)
        return NULL;
    char *o = uri + sprintf(uri, "file:");
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            strchr("/._-~", *s))
            *o++ = (char)*s;
        else
            o += sprintf(o, "%%%02X", *s);
    }
    sprintf(o, "?%s", query);
    return uri;
}

static int s_int_pragma(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return sqlite3_errcode(db);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

stats_db_t *stats_db_open(const char *dir, char *why, size_t whylen)
{
    stats_db_t *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    size_t n = strlen(dir) + sizeof STORE_FILE + 2;
    self->path = malloc(n);
    if (!self->path) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    snprintf(self->path, n, "%s/%s", dir, STORE_FILE);
    if (access(self->path, R_OK) != 0) {
        hq_fail(why, whylen, "no readable database at %s: %s (is --data right?)", self->path,
                strerror(errno));
        goto fail;
    }
    /* Read only: this connection can never change the hall's records, and as a WAL reader
     * it sees one consistent snapshot without making the daemon wait. */
    /* NOMUTEX: one thread uses the connection, and the per-call mutex of the default
     * serialized mode costs a tenth of a year's export. */
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(self->path, &self->db, flags, NULL);
    int64_t app_id = 0, version = 0;
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(self->db, 5000);
        rc = s_int_pragma(self->db, "PRAGMA application_id", &app_id);
    }
    if (rc != SQLITE_OK) {
        /* A WAL database whose -shm file is gone (daemon stopped) cannot be opened read
         * only by a user who may not create that file in the data directory. With no -wal
         * file either, nobody is writing, and SQLite may read it as immutable. */
        char wal[1200];
        snprintf(wal, sizeof wal, "%s-wal", self->path);
        char *uri = access(wal, F_OK) != 0 ? s_uri(self->path, "immutable=1") : NULL;
        sqlite3_close(self->db);
        self->db = NULL;
        rc = uri ? sqlite3_open_v2(uri, &self->db, flags | SQLITE_OPEN_URI, NULL) : rc;
        free(uri);
        if (rc == SQLITE_OK)
            rc = s_int_pragma(self->db, "PRAGMA application_id", &app_id);
        if (rc != SQLITE_OK) {
            hq_fail(why, whylen, "%s: %s", self->path,
                    self->db ? sqlite3_errmsg(self->db) : "cannot open");
            goto fail;
        }
    }
    if (app_id != STORE_APPLICATION_ID) {
        hq_fail(why, whylen, "%s is not a hallq database", self->path);
        goto fail;
    }
    if (s_int_pragma(self->db, "PRAGMA user_version", &version) != SQLITE_OK ||
        version > STORE_SCHEMA) {
        hq_fail(why, whylen, "%s has a newer schema than this hallqctl", self->path);
        goto fail;
    }
    int64_t has_code = 0;
    s_int_pragma(self->db,
                 "SELECT count(*) FROM pragma_table_info('tickets') WHERE name = 'reason_code'",
                 &has_code);
    self->has_reason_code = has_code > 0;
    int64_t has_extended = 0;
    s_int_pragma(self->db,
                 "SELECT count(*) FROM pragma_table_info('tickets') WHERE name = 'extended'",
                 &has_extended);
    self->has_extended = has_extended > 0;
    if (config_default(&self->fallback, why, whylen) != 0)
        goto fail;
    self->fixed = &self->fallback;
    return self;
fail:
    stats_db_close(&self);
    return NULL;
}

static void s_records_free(stats_db_t *self)
{
    for (size_t i = 0; i < self->nrecords; i++)
        config_free(&self->records[i].cfg);
    free(self->records);
    self->records = NULL;
    self->nrecords = 0;
}

void stats_db_close(stats_db_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    stats_db_t *self = *self_p;
    if (self->db)
        sqlite3_close(self->db);
    s_records_free(self);
    config_free(&self->fallback);
    free(self->path);
    free(self);
    *self_p = NULL;
}

const char *stats_db_path(const stats_db_t *self)
{
    return self->path;
}

int stats_db_days(stats_db_t *self, char first[HQ_DATE_TEXT_MAX], char last[HQ_DATE_TEXT_MAX])
{
    first[0] = last[0] = '\0';
    sqlite3_stmt *st;
    /* min() and max() of the leading column of UNIQUE(day, prefix, number): two index
     * probes, not a scan. Each needs a query of its own: with both in one SELECT, SQLite
     * walks the whole index (60 ms for half a million tickets). */
    if (sqlite3_prepare_v2(self->db,
                           "SELECT (SELECT min(day) FROM tickets), (SELECT max(day) FROM tickets)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        hq_strlcpy(first, s_text(st, 0), HQ_DATE_TEXT_MAX);
        hq_strlcpy(last, s_text(st, 1), HQ_DATE_TEXT_MAX);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* ---- the configurations ------------------------------------------------------------------ */

/* Reads the config table (none in a database no hallqd of this version has opened). */
static int s_read_records(stats_db_t *self, char *why, size_t whylen)
{
    int64_t has_table = 0;
    if (s_int_pragma(self->db,
                     "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'config'",
                     &has_table) != SQLITE_OK)
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    if (!has_table)
        return 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(self->db, "SELECT since_ms, day, body FROM config ORDER BY since_ms, id",
                           -1, &st, NULL) != SQLITE_OK)
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    int rc, failed = 0;
    size_t cap = 0;
    while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (self->nrecords == cap) {
            size_t more = cap ? cap * 2 : 4;
            s_record_t *grown = realloc(self->records, more * sizeof *grown);
            if (!grown) {
                failed = hq_fail(why, whylen, "out of memory");
                break;
            }
            self->records = grown;
            cap = more;
        }
        s_record_t *r = &self->records[self->nrecords];
        r->since_ms = sqlite3_column_int64(st, 0);
        hq_strlcpy(r->day, s_text(st, 1), sizeof r->day);
        char problem[256];
        if (config_record_read(&r->cfg, s_text(st, 2), problem, sizeof problem) != 0) {
            config_free(&r->cfg);
            failed = hq_fail(why, whylen,
                             "%s: the configuration recorded on %s cannot be read: %s (give "
                             "--config FILE to count by a file instead)",
                             self->path, r->day, problem);
            break;
        }
        self->nrecords++;
    }
    if (!failed && rc != SQLITE_DONE)
        failed = hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    sqlite3_finalize(st);
    return failed ? -1 : (int)self->nrecords;
}

int stats_db_set_config(stats_db_t *self, const hallq_config_t *override, char *why, size_t whylen)
{
    s_records_free(self);
    self->fixed = override ? override : &self->fallback;
    if (override)
        return 0;
    int n = s_read_records(self, why, whylen);
    if (n < 0)
        s_records_free(self);
    else if (n > 0)
        self->fixed = NULL;
    return n;
}

/* The record in force at the end of business day `day` (NULL: the latest): the last one
 * that took effect on that day or before, else (a day before every record) the first. */
static const s_record_t *s_record_of_day(const stats_db_t *self, const char *day)
{
    size_t at = 0;
    for (size_t i = 0; i < self->nrecords; i++)
        if (!day || strcmp(self->records[i].day, day) <= 0)
            at = i;
    return &self->records[at];
}

const hallq_config_t *stats_db_config(const stats_db_t *self, const char *day)
{
    return self->fixed ? self->fixed : &s_record_of_day(self, day)->cfg;
}

/* The record in force when a ticket was issued: the last one from before it, else the first
 * (tickets from before the first record). `at` is where the last lookup ended: tickets come
 * in issue order, so the answer is nearly always the same one. */
static size_t s_record_at(const stats_db_t *self, size_t at, int64_t issued_ms)
{
    while (at + 1 < self->nrecords && self->records[at + 1].since_ms <= issued_ms)
        at++;
    while (at > 0 && self->records[at].since_ms > issued_ms)
        at--;
    return at;
}

/* ---- tickets ---------------------------------------------------------------------------- */

/* The configuration a ticket counts by, and whether tickets of a queue and service count
 * toward its handling target: the catalog lookup is a linear search, so answers are kept
 * per service number until the configuration changes. */
typedef struct {
    const stats_db_t *db;
    size_t at;                     /* the record in force for the last ticket */
    const hallq_config_t *cfg;     /* its configuration; NULL before the first ticket */
    signed char by_service[10000]; /* -1 unknown yet */
    signed char by_queue[26];
    char tz[64];    /* the zone local times are read in now ("" the process's own) */
    char *saved_tz; /* TZ before the reading (NULL: unset), put back after */
} s_counting_t;

static void s_counting_init(s_counting_t *c, const stats_db_t *db)
{
    memset(c, 0, sizeof *c);
    c->db = db;
    const char *tz = getenv("TZ");
    c->saved_tz = tz ? strdup(tz) : NULL;
    hq_strlcpy(c->tz, tz ? tz : "", sizeof c->tz);
}

static void s_counting_done(s_counting_t *c)
{
    if (strcmp(c->tz, c->saved_tz ? c->saved_tz : "") != 0) {
        if (c->saved_tz)
            setenv("TZ", c->saved_tz, 1);
        else
            unsetenv("TZ");
        tzset();
    }
    free(c->saved_tz);
}

/* The configuration of a ticket issued at issued_ms. Counting by the records, its local
 * hours are read in the time zone it was issued under (the caller's zone is put back at
 * s_counting_done); with one configuration for all, the caller's zone stays. */
static const hallq_config_t *s_counting_config(s_counting_t *c, int64_t issued_ms)
{
    const stats_db_t *db = c->db;
    size_t at = db->fixed ? 0 : s_record_at(db, c->at, issued_ms);
    if (c->cfg && at == c->at)
        return c->cfg;
    const hallq_config_t *cfg = db->fixed ? db->fixed : &db->records[at].cfg;
    char why[200];
    /* A zone this machine lacks leaves the one in use (the hall's present one). */
    if (!db->fixed && strcmp(c->tz, cfg->timezone) != 0 &&
        hq_text_timezone(cfg->timezone, why, sizeof why) == 0)
        hq_strlcpy(c->tz, cfg->timezone, sizeof c->tz);
    c->at = at;
    c->cfg = cfg;
    memset(c->by_service, -1, sizeof c->by_service);
    memset(c->by_queue, -1, sizeof c->by_queue);
    return cfg;
}

static int s_instant(s_counting_t *c, char queue, int service)
{
    if (queue < 'A' || queue > 'Z')
        return 0;
    if (service > 0 && service < 10000) {
        /* 2: not in the catalog, so the queue decides (as config_is_instant does). */
        signed char *s = &c->by_service[service];
        if (*s < 0) {
            const cfg_service_t *svc = config_service(c->cfg, service);
            *s = (signed char)(!svc ? 2 : svc->instant ? 1 : 0);
        }
        if (*s < 2)
            return *s;
    } else if (service != 0) {
        return config_is_instant(c->cfg, queue, service);
    }
    signed char *q = &c->by_queue[queue - 'A'];
    if (*q < 0)
        *q = (signed char)(config_is_instant(c->cfg, queue, 0) ? 1 : 0);
    return *q;
}

/* The day range as SQL: with the whole history asked for, a plain table scan (rows are
 * stored in issue order) beats walking the day index and looking each row up. */
static int s_range(stats_db_t *self, const char *from, const char *to, const char **lo,
                   const char **hi, int *use_index)
{
    char first[HQ_DATE_TEXT_MAX], last[HQ_DATE_TEXT_MAX];
    if (stats_db_days(self, first, last) != 0)
        return -1;
    *lo = from && from[0] ? from : "0000-00-00";
    *hi = to && to[0] ? to : "9999-99-99";
    *use_index = !(strcmp(*lo, first) <= 0 && strcmp(*hi, last) >= 0);
    return 0;
}

/* One row of tickets, read with the first ncolumns columns of the list. */
static void s_read_ticket(sqlite3_stmt *st, int ncolumns, s_counting_t *c, stats_record_t *r)
{
    stats_ticket_t *t = &r->t;
    t->day = s_text(st, S_T_DAY);
    t->queue = s_letter(st, S_T_QUEUE);
    t->service = sqlite3_column_int(st, S_T_SERVICE);
    t->green = sqlite3_column_int(st, S_T_GREEN);
    t->state = s_text(st, S_T_STATE);
    t->issued_ms = sqlite3_column_int64(st, S_T_ISSUED);
    t->called_ms = sqlite3_column_int64(st, S_T_CALLED);
    t->last_called_ms = sqlite3_column_int64(st, S_T_LAST_CALLED);
    t->started_ms = sqlite3_column_int64(st, S_T_STARTED);
    t->finished_ms = sqlite3_column_int64(st, S_T_FINISHED);
    t->park_total_ms = sqlite3_column_int64(st, S_T_PARKED);
    t->counter = sqlite3_column_int(st, S_T_COUNTER);
    t->clerk = s_text(st, S_T_CLERK);
    t->rating = sqlite3_column_int(st, S_T_RATING);
    t->transfers = sqlite3_column_int(st, S_T_TRANSFERS);
    t->extended = sqlite3_column_int(st, S_T_EXTENDED);
    r->cfg = s_counting_config(c, t->issued_ms);
    t->instant = s_instant(c, t->queue, t->service);
    t->target_ms = (int64_t)r->cfg->handling_target_min * 60000;
    if (ncolumns <= S_T_HISTORY_)
        return;
    r->id = sqlite3_column_int64(st, S_T_ID);
    r->label = s_text(st, S_T_LABEL);
    r->prefix = s_letter(st, S_T_PREFIX);
    r->age_band = s_text(st, S_T_AGE_BAND);
    r->calls = sqlite3_column_int(st, S_T_CALLS);
    r->reason = s_text(st, S_T_REASON);
    /* Rows of schema 2 kept only the daemon's English words: the code is read from them. */
    int code = hq_reason_parse(s_text(st, S_T_REASON_CODE));
    r->reason_code = code > 0 ? (hq_reason_t)code : hq_reason_of_english(r->reason);
    r->times = stats_ticket_times(t);
}

/* Calls fn for each ticket of the days from..to read with the first ncolumns columns (in
 * issue order when `ordered`), until fn returns non-zero (returned); -1 on a database
 * error. */
static int s_each_ticket(stats_db_t *self, const char *from, const char *to, int ncolumns,
                         int ordered, stats_record_fn fn, void *arg, char *why, size_t whylen)
{
    const char *lo, *hi;
    int use_index;
    if (s_range(self, from, to, &lo, &hi, &use_index) != 0)
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    char sql[512], where[64];
    snprintf(where, sizeof where, "WHERE %s BETWEEN ?1 AND ?2%s", use_index ? "day" : "+day",
             ordered ? " ORDER BY id" : "");
    const char *columns[S_T_ALL_];
    memcpy(columns, s_ticket_columns, sizeof columns);
    if (!self->has_reason_code)
        columns[S_T_REASON_CODE] = "NULL";
    if (!self->has_extended) /* older rows: no extended hours were kept */
        columns[S_T_EXTENDED] = "0";
    s_select(sql, sizeof sql, columns, ncolumns, "tickets", where);
    s_counting_t *counting = malloc(sizeof *counting);
    if (!counting)
        return hq_fail(why, whylen, "out of memory");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK) {
        free(counting);
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    }
    s_counting_init(counting, self);
    sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        stats_record_t r;
        s_read_ticket(st, ncolumns, counting, &r);
        stop = fn(&r, arg);
    }
    s_counting_done(counting);
    free(counting);
    if (!stop && rc != SQLITE_DONE)
        hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    sqlite3_finalize(st);
    return stop ? stop : rc == SQLITE_DONE ? 0 : -1;
}

const hallq_config_t *stats_db_period_config(stats_db_t *self, const char *to)
{
    char first[HQ_DATE_TEXT_MAX], last[HQ_DATE_TEXT_MAX];
    if (!to && stats_db_days(self, first, last) == 0 && last[0])
        to = last;
    return stats_db_config(self, to);
}

stats_hist_t *stats_db_load(stats_db_t *self, const char *from, const char *to, char *why,
                            size_t whylen)
{
    int64_t target_ms = (int64_t)stats_db_period_config(self, to)->handling_target_min * 60000;
    stats_hist_loader_t l = {stats_hist_new(target_ms), why, whylen};
    if (!l.h) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    if (s_each_ticket(self, from, to, S_T_HISTORY_, 0, stats_hist_load_record, &l, why, whylen) !=
        0)
        stats_hist_destroy(&l.h);
    return l.h;
}

int stats_db_records(stats_db_t *self, const char *from, const char *to, stats_record_fn fn,
                     void *arg, char *why, size_t whylen)
{
    return s_each_ticket(self, from, to, S_T_ALL_, 1, fn, arg, why, whylen);
}

/* ---- the metric log --------------------------------------------------------------------- */

int stats_db_bookings(stats_db_t *self, const char *from, const char *to, stats_by_t by,
                      stats_booking_group_t **groups, size_t *n, stats_booking_group_t *total,
                      char *why, size_t whylen)
{
    *groups = NULL;
    *n = 0;
    memset(total, 0, sizeof *total);
    if (by != STATS_BY_DAY && by != STATS_BY_QUEUE && by != STATS_BY_SERVICE)
        return hq_fail(why, whylen, "bookings are grouped by day, by queue or by service");
    int64_t has = 0;
    s_int_pragma(self->db, "SELECT count(*) FROM sqlite_master WHERE name = 'bookings'", &has);
    if (!has)
        return 0; /* a hallqd before appointments */
    /* Ordered by the group's key: each group is one run of rows. */
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT b.day, b.queue, b.state, t.slot_ms, t.called_ms, b.service FROM bookings b"
             " LEFT JOIN tickets t ON t.id = b.ticket WHERE b.day BETWEEN ?1 AND ?2 ORDER BY %s, "
             "b.id",
             by == STATS_BY_DAY     ? "b.day"
             : by == STATS_BY_QUEUE ? "b.queue"
                                    : "coalesce(b.service, 0) = 0, b.service");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK)
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    sqlite3_bind_text(st, 1, from && from[0] ? from : "0000-00-00", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, to && to[0] ? to : "9999-99-99", -1, SQLITE_STATIC);
    int rc;
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        stats_booking_t b;
        b.day = s_text(st, 0);
        b.queue = s_letter(st, 1);
        b.state = s_text(st, 2);
        b.slot_ms = sqlite3_column_int64(st, 3);
        b.called_ms = sqlite3_column_int64(st, 4);
        b.service = sqlite3_column_int(st, 5);
        char key[STATS_KEY_MAX] = "";
        if (by == STATS_BY_DAY)
            snprintf(key, sizeof key, "%s", b.day ? b.day : "");
        else if (by == STATS_BY_QUEUE)
            snprintf(key, sizeof key, "%c", b.queue ? b.queue : '?');
        else if (b.service > 0)
            snprintf(key, sizeof key, "%d", b.service);
        if (*n == 0 || strcmp((*groups)[*n - 1].key, key) != 0) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 16;
                stats_booking_group_t *grown = realloc(*groups, cap * sizeof *grown);
                if (!grown) {
                    sqlite3_finalize(st);
                    free(*groups);
                    *groups = NULL;
                    *n = 0;
                    return hq_fail(why, whylen, "out of memory");
                }
                *groups = grown;
            }
            memset(&(*groups)[*n], 0, sizeof **groups);
            hq_strlcpy((*groups)[*n].key, key, sizeof(*groups)[*n].key);
            (*n)++;
        }
        stats_booking_count(&(*groups)[*n - 1], &b);
        stats_booking_count(total, &b);
    }
    if (rc != SQLITE_DONE)
        hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int stats_db_metrics(stats_db_t *self, const char *day, stats_metric_fn fn, void *arg, char *why,
                     size_t whylen)
{
    char sql[512];
    s_select(sql, sizeof sql, s_metric_columns, S_M_ALL_, "metrics", "WHERE day = ?1 ORDER BY id");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK)
        return hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        stats_metric_t m;
        m.ts_ms = sqlite3_column_int64(st, S_M_TS);
        m.day = s_text(st, S_M_DAY);
        m.scope = s_text(st, S_M_SCOPE);
        m.key = s_text(st, S_M_KEY);
        m.count = sqlite3_column_int64(st, S_M_COUNT);
        m.avg_ms = sqlite3_column_int64(st, S_M_AVG);
        m.within = sqlite3_column_int64(st, S_M_WITHIN);
        m.max_ms = sqlite3_column_int64(st, S_M_MAX);
        m.target_ms = sqlite3_column_int64(st, S_M_TARGET);
        m.above = sqlite3_column_int(st, S_M_ABOVE);
        stop = fn(&m, arg);
    }
    if (!stop && rc != SQLITE_DONE)
        hq_fail(why, whylen, "%s: %s", self->path, sqlite3_errmsg(self->db));
    sqlite3_finalize(st);
    return stop ? stop : rc == SQLITE_DONE ? 0 : -1;
}
