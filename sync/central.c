#include "central.h"

#include "hq_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char sync_migration_0001_central[];
extern const char sync_migration_0002_hall_tickets[];
extern const char sync_migration_0003_call_reason[];
extern const char sync_migration_0004_bookings[];

const central_migration_t central_migrations[] = {
    {1, "central", sync_migration_0001_central},
    {2, "hall_tickets", sync_migration_0002_hall_tickets},
    {3, "call_reason", sync_migration_0003_call_reason},
    {4, "bookings", sync_migration_0004_bookings},
    {0, NULL, NULL},
};

int central_schema_latest(void)
{
    int v = 0;
    for (const central_migration_t *m = central_migrations; m->version; m++)
        v = m->version;
    return v;
}

/* The SQLSTATE of the last failed statement ("" when none came, e.g. the connection broke). */
static char s_state[6];

/* Runs sql, expecting want; one line in why otherwise. The result is cleared unless asked. */
static int s_run(PGconn *c, const char *sql, int nparams, const char *const *params,
                 ExecStatusType want, PGresult **out, char *why, size_t whylen)
{
    PGresult *r =
        nparams ? PQexecParams(c, sql, nparams, NULL, params, NULL, NULL, 0) : PQexec(c, sql);
    if (PQresultStatus(r) != want) {
        const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
        hq_strlcpy(s_state, st ? st : "", sizeof s_state);
        const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
        char line[600];
        /* libpq's own messages end with a newline and may run over lines. */
        hq_strlcpy(line, msg ? msg : PQerrorMessage(c), sizeof line);
        for (char *p = line; *p; p++)
            if (*p == '\n')
                *p = *(p + 1) ? ' ' : '\0';
        hq_fail(why, whylen, "%s", line[0] ? line : "the central database did not answer");
        PQclear(r);
        return -1;
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return 0;
}

int central_transient(PGconn *c, const char *sqlstate)
{
    if (PQstatus(c) != CONNECTION_OK || !sqlstate || !sqlstate[0])
        return 1;
    /* 08 connection, 53 insufficient resources, 57 operator intervention (shutdown, a
     * cancelled statement), 40 transaction rollback (serialization, deadlock). */
    return strncmp(sqlstate, "08", 2) == 0 || strncmp(sqlstate, "53", 2) == 0 ||
           strncmp(sqlstate, "57", 2) == 0 || strncmp(sqlstate, "40", 2) == 0;
}

static void s_rollback(PGconn *c)
{
    if (PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) != PQTRANS_IDLE)
        PQclear(PQexec(c, "ROLLBACK"));
}

int central_schema_version(PGconn *c, char *why, size_t whylen)
{
    PGresult *r;
    if (s_run(c, "SELECT to_regclass('hallq.migrations') IS NOT NULL", 0, NULL, PGRES_TUPLES_OK, &r,
              why, whylen) != 0)
        return -1;
    int has = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    if (!has)
        return 0;
    if (s_run(c, "SELECT coalesce(max(version), 0) FROM hallq.migrations", 0, NULL, PGRES_TUPLES_OK,
              &r, why, whylen) != 0)
        return -1;
    int v = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

int central_migrate(PGconn *c, int *from, int *to, char *why, size_t whylen)
{
    *from = *to = 0;
    if (s_run(c, "BEGIN", 0, NULL, PGRES_COMMAND_OK, NULL, why, whylen) != 0)
        return -1;
    if (s_run(c,
              "SELECT pg_advisory_xact_lock(hashtext('hallq.migrate'));"
              "CREATE SCHEMA IF NOT EXISTS hallq;"
              "CREATE TABLE IF NOT EXISTS hallq.migrations(version integer PRIMARY KEY,"
              " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
              0, NULL, PGRES_COMMAND_OK, NULL, why, whylen) != 0)
        goto fail;
    int v = central_schema_version(c, why, whylen);
    if (v < 0)
        goto fail;
    *from = *to = v;
    if (v > central_schema_latest()) {
        hq_fail(why, whylen, "the central schema is at version %d, newer than this hallq-sync (%d)",
                v, central_schema_latest());
        goto fail;
    }
    for (const central_migration_t *m = central_migrations; m->version; m++) {
        if (m->version <= v)
            continue;
        char num[16], w[600];
        snprintf(num, sizeof num, "%d", m->version);
        const char *params[] = {num, m->name};
        if (s_run(c, m->sql, 0, NULL, PGRES_COMMAND_OK, NULL, w, sizeof w) != 0) {
            hq_fail(why, whylen, "migration %d (%s): %s", m->version, m->name, w);
            goto fail;
        }
        if (s_run(c, "INSERT INTO hallq.migrations(version, name) VALUES($1::integer, $2)", 2,
                  params, PGRES_COMMAND_OK, NULL, why, whylen) != 0)
            goto fail;
        *to = m->version;
    }
    if (s_run(c, "COMMIT", 0, NULL, PGRES_COMMAND_OK, NULL, why, whylen) != 0)
        goto fail;
    return 0;
fail:
    s_rollback(c);
    *to = *from;
    return -1;
}

int central_register(PGconn *c, const central_hall_t *h, int64_t *position, int *refused, char *why,
                     size_t whylen)
{
    char fork[24];
    snprintf(fork, sizeof fork, "%lld", (long long)h->fork_seq);
    const char *params[] = {h->id, h->epoch, h->parent_epoch, fork, h->name, h->level, h->parent};
    PGresult *r;
    *refused = 0;
    if (s_run(c, "SELECT hallq.register($1, $2, $3, $4::bigint, $5, $6, $7)", 7, params,
              PGRES_TUPLES_OK, &r, why, whylen) != 0) {
        /* HQ409: another history under the hall's id; 23xxx: a value the halls table refuses
         * (a village without its town). Neither gets better by trying again. */
        *refused = strcmp(s_state, "HQ409") == 0 || strncmp(s_state, "23", 2) == 0;
        return -1;
    }
    *position = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return 0;
}

int central_ship_configs(PGconn *c, const central_hall_t *h, const central_config_t *cfg, size_t n,
                         char *why, size_t whylen)
{
    if (s_run(c, "BEGIN", 0, NULL, PGRES_COMMAND_OK, NULL, why, whylen) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char id[24], since[24];
        snprintf(id, sizeof id, "%lld", (long long)cfg[i].id);
        snprintf(since, sizeof since, "%lld", (long long)cfg[i].since_ms);
        const char *params[] = {h->id, h->epoch, id, since, cfg[i].day, cfg[i].body};
        if (s_run(c,
                  "INSERT INTO hallq.configs VALUES ($1, $2, $3::bigint, $4::bigint, $5::date, $6)"
                  " ON CONFLICT DO NOTHING",
                  6, params, PGRES_COMMAND_OK, NULL, why, whylen) != 0) {
            PQclear(PQexec(c, "ROLLBACK"));
            return -1;
        }
    }
    return s_run(c, "COMMIT", 0, NULL, PGRES_COMMAND_OK, NULL, why, whylen);
}

int central_ship_metrics(PGconn *c, const central_hall_t *h, const central_metric_t *m, size_t n,
                         char *why, size_t whylen)
{
    if (s_run(c, "BEGIN", 0, NULL, PGRES_COMMAND_OK, NULL, why, whylen) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char num[7][24];
        const int64_t v[7] = {m[i].id,     m[i].ts_ms,  m[i].count,    m[i].avg_ms,
                              m[i].within, m[i].max_ms, m[i].target_ms};
        for (int k = 0; k < 7; k++)
            snprintf(num[k], sizeof num[k], "%lld", (long long)v[k]);
        const char *params[] = {h->id,
                                h->epoch,
                                num[0],
                                num[1],
                                m[i].day,
                                m[i].scope,
                                m[i].key,
                                num[2],
                                num[3],
                                num[4],
                                num[5],
                                num[6],
                                m[i].above ? "true" : "false"};
        if (s_run(c,
                  "INSERT INTO hallq.metrics VALUES ($1, $2, $3::bigint, $4::bigint, $5::date,"
                  " $6, $7, $8::bigint, $9::bigint, $10::bigint, $11::bigint, $12::bigint,"
                  " $13::boolean) ON CONFLICT DO NOTHING",
                  13, params, PGRES_COMMAND_OK, NULL, why, whylen) != 0) {
            PQclear(PQexec(c, "ROLLBACK"));
            return -1;
        }
    }
    return s_run(c, "COMMIT", 0, NULL, PGRES_COMMAND_OK, NULL, why, whylen);
}

int central_shipped_id(PGconn *c, const central_hall_t *h, const char *table, int64_t *id,
                       char *why, size_t whylen)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(max(id), 0) FROM hallq.%s WHERE hall = $1 AND epoch = $2",
             strcmp(table, "metrics") == 0 ? "metrics" : "configs");
    const char *params[] = {h->id, h->epoch};
    PGresult *r;
    if (s_run(c, sql, 2, params, PGRES_TUPLES_OK, &r, why, whylen) != 0)
        return -1;
    *id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return 0;
}

/* Appends text to a COPY's text-format row: backslash, tab, newline and carriage return are
 * the characters that format gives meaning to. */
static int s_copy_text(char **buf, size_t *len, size_t *cap, const char *text)
{
    size_t need = *len + 2 * strlen(text) + 64;
    if (need > *cap) {
        size_t cap2 = need * 2;
        char *b = realloc(*buf, cap2);
        if (!b)
            return -1;
        *buf = b;
        *cap = cap2;
    }
    char *o = *buf + *len; /* the slack leaves room for a separator after the text */
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '\\':
            *o++ = '\\';
            *o++ = '\\';
            break;
        case '\t':
            *o++ = '\\';
            *o++ = 't';
            break;
        case '\n':
            *o++ = '\\';
            *o++ = 'n';
            break;
        case '\r':
            *o++ = '\\';
            *o++ = 'r';
            break;
        default:
            *o++ = *p;
        }
    }
    *len = (size_t)(o - *buf);
    return 0;
}

int central_ship(PGconn *c, const central_hall_t *h, const central_event_t *ev, size_t n,
                 int64_t *position, char *why, size_t whylen)
{
    if (n == 0)
        return 0;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        char head[64];
        /* The numbers and separators go in as they are (an empty text makes room for them,
         * under the slack s_copy_text keeps): only text fields are escaped. */
        snprintf(head, sizeof head, "%lld\t%lld\t", (long long)ev[i].seq, (long long)ev[i].ts_ms);
        if (s_copy_text(&buf, &len, &cap, "") != 0) {
            free(buf);
            return hq_fail(why, whylen, "out of memory");
        }
        memcpy(buf + len, head, strlen(head));
        len += strlen(head);
        if (s_copy_text(&buf, &len, &cap, ev[i].type) != 0) {
            free(buf);
            return hq_fail(why, whylen, "out of memory");
        }
        buf[len++] = '\t';
        if (s_copy_text(&buf, &len, &cap, ev[i].body) != 0) {
            free(buf);
            return hq_fail(why, whylen, "out of memory");
        }
        buf[len++] = '\n';
    }
    char lo[24], hi[24];
    int64_t min = INT64_MAX, max = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        min = ev[i].ts_ms < min ? ev[i].ts_ms : min;
        max = ev[i].ts_ms > max ? ev[i].ts_ms : max;
    }
    snprintf(lo, sizeof lo, "%lld", (long long)min);
    snprintf(hi, sizeof hi, "%lld", (long long)max);
    const char *months[] = {lo, hi};
    const char *key[] = {h->id, h->epoch};
    PGresult *r = NULL;
    int rc = -1;
    if (s_run(c, "BEGIN", 0, NULL, PGRES_COMMAND_OK, NULL, why, whylen) != 0 ||
        s_run(c,
              "CREATE TEMP TABLE IF NOT EXISTS shipped(seq bigint, ts_ms bigint, type text,"
              " body text) ON COMMIT DELETE ROWS",
              0, NULL, PGRES_COMMAND_OK, NULL, why, whylen) != 0 ||
        s_run(c, "SELECT hallq.ensure_months($1::bigint, $2::bigint)", 2, months, PGRES_TUPLES_OK,
              NULL, why, whylen) != 0 ||
        s_run(c, "COPY shipped FROM STDIN", 0, NULL, PGRES_COPY_IN, NULL, why, whylen) != 0)
        goto done;
    if (PQputCopyData(c, buf, (int)len) != 1 || PQputCopyEnd(c, NULL) != 1) {
        hq_fail(why, whylen, "COPY: %s", PQerrorMessage(c));
        goto done;
    }
    r = PQgetResult(c);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        hq_strlcpy(s_state, st ? st : "", sizeof s_state);
        const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        hq_fail(why, whylen, "COPY: %s", msg ? msg : "failed");
        goto done;
    }
    PQclear(r);
    while ((r = PQgetResult(c)) != NULL)
        PQclear(r);
    if (s_run(c,
              "INSERT INTO hallq.events(hall, epoch, seq, ts_ms, type, body)"
              " SELECT $1, $2, seq, ts_ms, type, body::jsonb FROM shipped ORDER BY seq"
              " ON CONFLICT DO NOTHING",
              2, key, PGRES_COMMAND_OK, NULL, why, whylen) != 0 ||
        s_run(c, "SELECT hallq.advance($1, $2)", 2, key, PGRES_TUPLES_OK, &r, why, whylen) != 0)
        goto done;
    int64_t pos = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    r = NULL;
    /* refresh_rollups joins the batch's few stale days (a temporary table the planner has no
     * statistics for) with the tickets: planned as a hash or merge join it reads the whole
     * tickets table in every batch, so a hall's year ships in time growing with the square
     * of its tickets. A nested loop reads the stale days' tickets by their (hall, day) index. */
    if (s_run(c, "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off", 0, NULL,
              PGRES_COMMAND_OK, NULL, why, whylen) != 0 ||
        s_run(c, "SELECT hallq.refresh_rollups()", 0, NULL, PGRES_TUPLES_OK, NULL, why, whylen) !=
            0 ||
        s_run(c, "COMMIT", 0, NULL, PGRES_COMMAND_OK, NULL, why, whylen) != 0)
        goto done;
    *position = pos;
    rc = 0;
done:
    PQclear(r);
    free(buf);
    if (rc != 0)
        s_rollback(c);
    return rc;
}

const char *central_last_state(void)
{
    return s_state;
}
