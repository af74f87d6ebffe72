/* The city's statistics read from the central store (stats_central.h). */
#include "stats_central.h"

#include "central.h"
#include "config_record.h"
#include "hq_proto.h"
#include "hq_text.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The schema version that brought hallq.hall_tickets. */
#define S_SCHEMA_NEEDED 2

struct stats_central {
    PGconn *c;
};

/* Runs a query with text parameters; the rows, or NULL with the server's one line. */
static PGresult *s_query(stats_central_t *self, const char *sql, int n, const char *const *params,
                         char *why, size_t whylen)
{
    PGresult *r = PQexecParams(self->c, sql, n, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        return r;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char line[600];
    hq_strlcpy(line, msg ? msg : PQerrorMessage(self->c), sizeof line);
    for (char *p = line; *p; p++)
        if (*p == '\n')
            *p = *(p + 1) ? ' ' : '\0';
    hq_fail(why, whylen, "the central store: %s", line[0] ? line : "no answer");
    PQclear(r);
    return NULL;
}

stats_central_t *stats_central_open(const char *url, char *why, size_t whylen)
{
    stats_central_t *self = calloc(1, sizeof *self);
    if (!self) {
        hq_fail(why, whylen, "out of memory");
        return NULL;
    }
    self->c = PQconnectdb(url);
    if (PQstatus(self->c) != CONNECTION_OK) {
        char line[400];
        hq_strlcpy(line, PQerrorMessage(self->c), sizeof line);
        for (char *p = line; *p; p++)
            if (*p == '\n')
                *p = *(p + 1) ? ' ' : '\0';
        hq_fail(why, whylen, "cannot reach the central store: %s", line);
        stats_central_close(&self);
        return NULL;
    }
    char w[400];
    int v = central_schema_version(self->c, w, sizeof w);
    if (v < 0)
        hq_fail(why, whylen, "the central store: %s", w);
    else if (v < S_SCHEMA_NEEDED)
        hq_fail(why, whylen,
                "the central store's schema is at version %d; these statistics need %d or later "
                "(hallqctl central migrate, or hallq-sync --init)",
                v, S_SCHEMA_NEEDED);
    if (v < S_SCHEMA_NEEDED)
        stats_central_close(&self);
    return self;
}

void stats_central_close(stats_central_t **self_p)
{
    if (!*self_p)
        return;
    PQfinish((*self_p)->c);
    free(*self_p);
    *self_p = NULL;
}

int stats_central_halls(stats_central_t *self, stats_hall_t **halls, size_t *n, char *why,
                        size_t whylen)
{
    *halls = NULL;
    *n = 0;
    PGresult *r = s_query(self,
                          "WITH RECURSIVE line AS ("
                          "  SELECT h.id AS hall, e.parent_epoch FROM hallq.halls h"
                          "    JOIN hallq.epochs e ON e.hall = h.id AND e.epoch = h.epoch"
                          "  UNION ALL"
                          "  SELECT l.hall, p.parent_epoch FROM line l"
                          "    JOIN hallq.epochs p ON p.hall = l.hall AND p.epoch = l.parent_epoch)"
                          "SELECT h.id, h.name, h.level, coalesce(h.parent, ''),"
                          "       (SELECT count(*) FROM line l WHERE l.hall = h.id)"
                          "  FROM hallq.halls h ORDER BY h.id",
                          0, NULL, why, whylen);
    if (!r)
        return -1;
    int rows = PQntuples(r);
    if (rows > 0 && !(*halls = calloc((size_t)rows, sizeof **halls))) {
        PQclear(r);
        return hq_fail(why, whylen, "out of memory");
    }
    for (int i = 0; i < rows; i++) {
        stats_hall_t *h = &(*halls)[i];
        hq_strlcpy(h->id, PQgetvalue(r, i, 0), sizeof h->id);
        hq_strlcpy(h->name, PQgetvalue(r, i, 1), sizeof h->name);
        hq_strlcpy(h->level, PQgetvalue(r, i, 2), sizeof h->level);
        hq_strlcpy(h->parent, PQgetvalue(r, i, 3), sizeof h->parent);
        h->epochs = atoi(PQgetvalue(r, i, 4));
    }
    *n = (size_t)rows;
    PQclear(r);
    return 0;
}

/* The day range as the SQL takes it. */
static void s_range(const char *from, const char *to, const char **lo, const char **hi)
{
    *lo = from && from[0] ? from : "0001-01-01";
    *hi = to && to[0] ? to : "9999-12-31";
}

int stats_central_days(stats_central_t *self, const char *hall, char first[HQ_DATE_TEXT_MAX],
                       char last[HQ_DATE_TEXT_MAX], char *why, size_t whylen)
{
    first[0] = last[0] = '\0';
    const char *params[] = {hall, "0001-01-01", "9999-12-31"};
    PGresult *r = s_query(self,
                          "SELECT coalesce(min(day)::text, ''), coalesce(max(day)::text, '')"
                          "  FROM hallq.hall_tickets($1, $2, $3)",
                          3, params, why, whylen);
    if (!r)
        return -1;
    hq_strlcpy(first, PQgetvalue(r, 0, 0), HQ_DATE_TEXT_MAX);
    hq_strlcpy(last, PQgetvalue(r, 0, 1), HQ_DATE_TEXT_MAX);
    PQclear(r);
    return 0;
}

/* ---- the configurations ------------------------------------------------------------------ */

/* The records of the hall's present epoch, in the order they took effect. */
typedef struct {
    int64_t since_ms;
    hallq_config_t cfg;
} s_rec_t;

typedef struct {
    s_rec_t *r;
    size_t n;
} s_recs_t;

static void s_recs_free(s_recs_t *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        config_free(&rs->r[i].cfg);
    free(rs->r);
    rs->r = NULL;
    rs->n = 0;
}

static int s_recs_load(stats_central_t *self, const char *hall, s_recs_t *rs, char *why,
                       size_t whylen)
{
    rs->r = NULL;
    rs->n = 0;
    const char *params[] = {hall};
    PGresult *r = s_query(self,
                          "SELECT c.since_ms, c.day::text, c.body FROM hallq.configs c"
                          "  JOIN hallq.halls h ON h.id = c.hall AND h.epoch = c.epoch"
                          " WHERE c.hall = $1 ORDER BY c.since_ms, c.id",
                          1, params, why, whylen);
    if (!r)
        return -1;
    int rows = PQntuples(r);
    if (rows > 0 && !(rs->r = calloc((size_t)rows, sizeof *rs->r))) {
        PQclear(r);
        return hq_fail(why, whylen, "out of memory");
    }
    for (int i = 0; i < rows; i++) {
        s_rec_t *x = &rs->r[i];
        char problem[256];
        x->since_ms = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        rs->n++;
        if (config_record_read(&x->cfg, PQgetvalue(r, i, 2), problem, sizeof problem) != 0) {
            hq_fail(why, whylen,
                    "hall %s: the configuration recorded on %s cannot be read: %s (give "
                    "--config FILE to count by a file instead)",
                    hall, PQgetvalue(r, i, 1), problem);
            PQclear(r);
            s_recs_free(rs);
            return -1;
        }
    }
    PQclear(r);
    return 0;
}

int stats_central_config(stats_central_t *self, const char *hall, const char *day,
                         hallq_config_t *cfg, char *why, size_t whylen)
{
    memset(cfg, 0, sizeof *cfg);
    const char *params[] = {hall, day && day[0] ? day : "9999-12-31"};
    /* The last one that took effect on that day or before, else (a day before every record)
     * the first. */
    PGresult *r = s_query(self,
                          "SELECT c.body, c.day::text FROM hallq.configs c"
                          "  JOIN hallq.halls h ON h.id = c.hall AND h.epoch = c.epoch"
                          " WHERE c.hall = $1"
                          " ORDER BY c.day <= $2::date DESC,"
                          "          CASE WHEN c.day <= $2::date THEN -c.since_ms"
                          "               ELSE c.since_ms END, c.id DESC"
                          " LIMIT 1",
                          2, params, why, whylen);
    if (!r)
        return -1;
    char problem[256];
    int found = PQntuples(r) > 0, rc = found;
    if (!found ? config_default(cfg, problem, sizeof problem) != 0
               : config_record_read(cfg, PQgetvalue(r, 0, 0), problem, sizeof problem) != 0) {
        hq_fail(why, whylen, "hall %s: the configuration recorded on %s cannot be read: %s", hall,
                found ? PQgetvalue(r, 0, 1) : "-", problem);
        config_free(cfg);
        rc = -1;
    }
    PQclear(r);
    return rc;
}

/* The zone local hours are read in: the one each ticket was issued under, the caller's put
 * back at the end. */
typedef struct {
    char tz[64];
    char *saved; /* TZ before (NULL: unset) */
} s_zone_t;

static void s_zone_init(s_zone_t *z)
{
    const char *tz = getenv("TZ");
    z->saved = tz ? strdup(tz) : NULL;
    hq_strlcpy(z->tz, tz ? tz : "", sizeof z->tz);
}

static void s_zone_use(s_zone_t *z, const char *zone)
{
    char why[200];
    /* A zone this machine lacks leaves the one in use. */
    if (strcmp(z->tz, zone) != 0 && hq_text_timezone(zone, why, sizeof why) == 0)
        hq_strlcpy(z->tz, zone, sizeof z->tz);
}

static void s_zone_done(s_zone_t *z)
{
    if (strcmp(z->tz, z->saved ? z->saved : "") != 0) {
        if (z->saved)
            setenv("TZ", z->saved, 1);
        else
            unsetenv("TZ");
        tzset();
    }
    free(z->saved);
}

/* The columns read, in SELECT order. */
enum {
    S_DAY,
    S_QUEUE,
    S_SERVICE,
    S_GREEN,
    S_STATE,
    S_ISSUED,
    S_CALLED,
    S_LAST_CALLED,
    S_STARTED,
    S_FINISHED,
    S_PARKED,
    S_COUNTER,
    S_CLERK,
    S_RATING,
    S_TRANSFERS,
    S_EXTENDED,
    S_ID,
    S_LABEL,
    S_AGE_BAND,
    S_CALLS,
    S_REASON,
    S_REASON_CODE
};

static int64_t s_i64(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static int s_records(stats_central_t *self, const char *hall, const char *from, const char *to,
                     const hallq_config_t *fixed, const s_recs_t *rs, stats_record_fn fn, void *arg,
                     char *why, size_t whylen);

int stats_central_records(stats_central_t *self, const char *hall, const char *from, const char *to,
                          const hallq_config_t *override, stats_record_fn fn, void *arg, char *why,
                          size_t whylen)
{
    s_recs_t rs = {NULL, 0};
    hallq_config_t fallback;
    memset(&fallback, 0, sizeof fallback);
    if (!override && s_recs_load(self, hall, &rs, why, whylen) != 0)
        return -1;
    if (!override && !rs.n && config_default(&fallback, why, whylen) != 0) {
        config_free(&fallback);
        return -1;
    }
    int rc = s_records(self, hall, from, to,
                       override ? override
                       : rs.n   ? NULL
                                : &fallback,
                       &rs, fn, arg, why, whylen);
    s_recs_free(&rs);
    config_free(&fallback);
    return rc;
}

/* The tickets, each counted by `fixed`, or by its record of rs. */
static int s_records(stats_central_t *self, const char *hall, const char *from, const char *to,
                     const hallq_config_t *fixed, const s_recs_t *rs, stats_record_fn fn, void *arg,
                     char *why, size_t whylen)
{
    const char *params[3] = {hall};
    s_range(from, to, &params[1], &params[2]);
    PGresult *r = s_query(self,
                          "SELECT day::text, queue, service, green, state, issued_ms, called_ms,"
                          "       last_called_ms, started_ms, finished_ms, park_total_ms, counter,"
                          "       coalesce(clerk, ''), rating, transfers, extended, id, label,"
                          "       coalesce(age_band, ''), calls, coalesce(reason, ''),"
                          "       coalesce(reason_code, '')"
                          "  FROM hallq.hall_tickets($1, $2, $3) ORDER BY id",
                          3, params, why, whylen);
    if (!r)
        return -1;
    int rows = PQntuples(r), stop = 0;
    size_t at = 0;
    const hallq_config_t *cfg = fixed;
    s_zone_t zone;
    s_zone_init(&zone);
    for (int i = 0; i < rows && !stop; i++) {
        stats_record_t rec;
        memset(&rec, 0, sizeof rec);
        stats_ticket_t *t = &rec.t;
        t->day = PQgetvalue(r, i, S_DAY);
        t->queue = PQgetvalue(r, i, S_QUEUE)[0];
        t->service = (int)s_i64(r, i, S_SERVICE);
        t->green = PQgetvalue(r, i, S_GREEN)[0] == 't';
        t->state = PQgetvalue(r, i, S_STATE);
        t->issued_ms = s_i64(r, i, S_ISSUED);
        t->called_ms = s_i64(r, i, S_CALLED);
        t->last_called_ms = s_i64(r, i, S_LAST_CALLED);
        t->started_ms = s_i64(r, i, S_STARTED);
        t->finished_ms = s_i64(r, i, S_FINISHED);
        t->park_total_ms = s_i64(r, i, S_PARKED);
        t->counter = (int)s_i64(r, i, S_COUNTER);
        t->clerk = PQgetvalue(r, i, S_CLERK);
        t->rating = (int)s_i64(r, i, S_RATING);
        t->transfers = (int)s_i64(r, i, S_TRANSFERS);
        t->extended = PQgetvalue(r, i, S_EXTENDED)[0] == 't';
        if (!fixed) {
            /* The record in force when it was issued: tickets come in issue order, so it is
             * nearly always the last one's. */
            while (at + 1 < rs->n && rs->r[at + 1].since_ms <= t->issued_ms)
                at++;
            while (at > 0 && rs->r[at].since_ms > t->issued_ms)
                at--;
            if (cfg != &rs->r[at].cfg) {
                cfg = &rs->r[at].cfg;
                s_zone_use(&zone, cfg->timezone);
            }
        }
        t->instant =
            t->queue >= 'A' && t->queue <= 'Z' && config_is_instant(cfg, t->queue, t->service);
        t->target_ms = (int64_t)cfg->handling_target_min * 60000;
        rec.cfg = cfg;
        rec.id = s_i64(r, i, S_ID);
        rec.label = PQgetvalue(r, i, S_LABEL);
        /* A label starts with the letter of the queue it was issued in. */
        rec.prefix = rec.label[0] >= 'A' && rec.label[0] <= 'Z' ? rec.label[0] : t->queue;
        rec.age_band = PQgetvalue(r, i, S_AGE_BAND);
        rec.calls = (int)s_i64(r, i, S_CALLS);
        rec.reason = PQgetvalue(r, i, S_REASON);
        int code = hq_reason_parse(PQgetvalue(r, i, S_REASON_CODE));
        rec.reason_code = code < 0 ? HQ_REASON_NONE : (hq_reason_t)code;
        rec.times = stats_ticket_times(t);
        stop = fn(&rec, arg);
    }
    s_zone_done(&zone);
    PQclear(r);
    return stop;
}

stats_hist_t *stats_central_load(stats_central_t *self, const char *hall, const char *from,
                                 const char *to, const hallq_config_t *override, char *why,
                                 size_t whylen)
{
    int64_t target_ms;
    if (override) {
        target_ms = (int64_t) override->handling_target_min * 60000;
    } else {
        /* As a hall labels a period: by the configuration of its last day (an open end: the
         * last business day with tickets). */
        char first[HQ_DATE_TEXT_MAX], last[HQ_DATE_TEXT_MAX] = "";
        hallq_config_t cfg;
        if ((!to && stats_central_days(self, hall, first, last, why, whylen) != 0) ||
            stats_central_config(self, hall,
                                 to        ? to
                                 : last[0] ? last
                                           : NULL,
                                 &cfg, why, whylen) < 0)
            return NULL;
        target_ms = (int64_t)cfg.handling_target_min * 60000;
        config_free(&cfg);
    }
    stats_hist_loader_t l = {stats_hist_new(target_ms), why, whylen};
    if (!l.h) {
        hq_fail(why, whylen, "out of memory");
        return NULL;
    }
    if (stats_central_records(self, hall, from, to, override, stats_hist_load_record, &l, why,
                              whylen) != 0)
        stats_hist_destroy(&l.h);
    return l.h;
}

int stats_central_waits_within(stats_central_t *self, const stats_hall_t *hall, const char *from,
                               const char *to, int64_t *called, int64_t *within, int *rollups,
                               char *why, size_t whylen)
{
    const char *params[3] = {hall->id};
    s_range(from, to, &params[1], &params[2]);
    *rollups = hall->epochs == 1;
    PGresult *r =
        s_query(self,
                *rollups ? "SELECT coalesce(sum(q.called), 0), coalesce(sum(q.within_10min), 0)"
                           "  FROM hallq.daily_queues q JOIN hallq.halls h"
                           "    ON h.id = q.hall AND h.epoch = q.epoch"
                           " WHERE q.hall = $1 AND q.day BETWEEN $2 AND $3"
                         : "SELECT count(called_ms),"
                           "       count(*) FILTER (WHERE called_ms - issued_ms <= 600000)"
                           "  FROM hallq.hall_tickets($1, $2, $3)",
                3, params, why, whylen);
    if (!r)
        return -1;
    *called = s_i64(r, 0, 0);
    *within = s_i64(r, 0, 1);
    PQclear(r);
    return 0;
}

int stats_central_metrics(stats_central_t *self, const char *hall, const char *day,
                          stats_metric_fn fn, void *arg, char *why, size_t whylen)
{
    const char *params[] = {hall, day};
    PGresult *r = s_query(self,
                          "SELECT m.ts_ms, m.day::text, m.scope, m.key, m.count, m.avg_ms,"
                          "       m.within, m.max_ms, m.target_ms, m.above"
                          "  FROM hallq.metrics m"
                          "  JOIN hallq.halls h ON h.id = m.hall AND h.epoch = m.epoch"
                          " WHERE m.hall = $1 AND m.day = $2::date ORDER BY m.id",
                          2, params, why, whylen);
    if (!r)
        return -1;
    int stop = 0;
    for (int i = 0; i < PQntuples(r) && !stop; i++) {
        stats_metric_t m;
        m.ts_ms = s_i64(r, i, 0);
        m.day = PQgetvalue(r, i, 1);
        m.scope = PQgetvalue(r, i, 2);
        m.key = PQgetvalue(r, i, 3);
        m.count = s_i64(r, i, 4);
        m.avg_ms = s_i64(r, i, 5);
        m.within = s_i64(r, i, 6);
        m.max_ms = s_i64(r, i, 7);
        m.target_ms = s_i64(r, i, 8);
        m.above = PQgetvalue(r, i, 9)[0] == 't';
        stop = fn(&m, arg);
    }
    PQclear(r);
    return stop;
}
