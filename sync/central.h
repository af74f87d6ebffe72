/* The city's central store (PostgreSQL, schema hallq) as hallq-sync sees it: the versioned
 * migrations of its schema, a hall's registration, and a batch of events shipped in one
 * transaction. The store keeps a shipper's position: its highest contiguous seq of the
 * hall's epoch. */
#ifndef HQ_CENTRAL_H
#define HQ_CENTRAL_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int version;      /* 1, 2, 3, ...: applied in this order, each once */
    const char *name; /* the file's name after its number */
    const char *sql;  /* its statements */
} central_migration_t;

/* Every migration this build carries, in order, ended by a row of version 0. */
extern const central_migration_t central_migrations[];
/* The version the last of them brings the schema to. */
int central_schema_latest(void);

/* Applies, in one transaction, the migrations the database has not had yet (another shipper
 * running the same at once waits for the first). *from and *to: the version before and after.
 * 0, or -1 with one line in why. */
int central_migrate(PGconn *c, int *from, int *to, char *why, size_t whylen);
/* The schema's version in the database, 0 when it has none. -1 with one line in why. */
int central_schema_version(PGconn *c, char *why, size_t whylen);

/* The hall as its database and config name it. */
typedef struct {
    const char *id, *name, *level, *parent; /* parent NULL for a town */
    const char *epoch, *parent_epoch;       /* parent_epoch NULL unless restored or recovered */
    int64_t fork_seq;
} central_hall_t;

/* Makes the hall and its epoch known and reads its position. 0 and *position, or -1: then
 * *refused tells a refusal (the same hall id with an epoch of another history; retrying
 * cannot help) from a failure. */
int central_register(PGconn *c, const central_hall_t *h, int64_t *position, int *refused, char *why,
                     size_t whylen);

typedef struct {
    int64_t seq, ts_ms;
    const char *type, *body;
} central_event_t;

/* Ships events (in seq order) of the hall's epoch in one transaction: the months they fall
 * in, the events themselves (those already there are left as they are), the tickets and
 * roll-ups they change, the position. 0 and the new *position, or -1 with one line. */
int central_ship(PGconn *c, const central_hall_t *h, const central_event_t *ev, size_t n,
                 int64_t *position, char *why, size_t whylen);

/* One configuration record of the hall's database (its config table). */
typedef struct {
    int64_t id, since_ms;
    const char *day, *body;
} central_config_t;

/* Ships configuration records of the hall's epoch in one transaction (those already there
 * are left as they are). 0, or -1 with one line. */
int central_ship_configs(PGconn *c, const central_hall_t *h, const central_config_t *cfg, size_t n,
                         char *why, size_t whylen);

/* One entry of the hall's 10-minute metric log (its metrics table). */
typedef struct {
    int64_t id, ts_ms;
    const char *day, *scope, *key;
    int64_t count, avg_ms, within, max_ms, target_ms;
    int above;
} central_metric_t;

/* Ships metric entries of the hall's epoch in one transaction (those already there are left
 * as they are). 0, or -1 with one line. */
int central_ship_metrics(PGconn *c, const central_hall_t *h, const central_metric_t *m, size_t n,
                         char *why, size_t whylen);

/* The highest id of the hall's epoch in hallq.configs or hallq.metrics (`table`), 0 when none:
 * where their shipping goes on. 0, or -1 with one line. */
int central_shipped_id(PGconn *c, const central_hall_t *h, const char *table, int64_t *id,
                       char *why, size_t whylen);

/* Whether the last failure on c is one a retry may cure: the connection is gone, or the
 * server is starting, stopping, out of resources, or chose this transaction to abort. */
int central_transient(PGconn *c, const char *sqlstate);
/* The SQLSTATE of the last statement that failed here, "" when no server said one. */
const char *central_last_state(void);

#endif
