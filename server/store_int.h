/* What the store's files share (store.c: opening and closing, transactions, the writes, the
 * configuration record and the clock; store_check.c: the checks before the first write, a new file
 * and its setup, and the background check; store_load.c: loading the hall's state at start).
 * Nothing outside the store includes it: the rest of the daemon uses store.h. */
#ifndef HALLQ_STORE_INT_H
#define HALLQ_STORE_INT_H

#include "store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdint.h>

/* The statements prepared once when the store opens (their text: s_sql in store.c). */
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

/* The open tickets, as the partial index tickets_open selects them: every state but the
 * closed ones (hq_db_schema says why it names those). */
#define STORE_SQL_OPEN "state NOT IN ('finished','expired')"

/* What store_t (store.h) is. */
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

/* ---- shared helpers (store.c) ---- */
/* Runs one or more statements, their rows ignored: 0, or -1 (the reason in sqlite3_errmsg). */
int store_exec(sqlite3 *db, const char *sql);
/* Runs a query of one integer into *out (left as it was when there is no row): 0 or -1. */
int store_scalar(sqlite3 *db, const char *sql, int64_t *out);
/* Whether an SQLite result says the file is damaged (rather than busy, full or out of memory). */
int store_is_damage(int rc);
/* Records damage found after the start-up check (the first finding wins); `found_by`, when
 * the daemon is serving, says in the log who found it (NULL: the caller reports it). */
void store_set_damage(store_t *self, const char *found_by, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- before the first write, and the background check (store_check.c) ---- */
/* Makes a new hall's database under another name and renames it into place: 0 or -1. */
int store_create(store_t *self, char *why, size_t whylen);
/* Checks the file on a read-only connection before anything writes it: 0 or -1. */
int store_check_before_writing(store_t *self, const hq_db_file_t *file, int64_t *version,
                               int *whole, char *why, size_t whylen);
/* Brings a whole-checked file of an older schema (or without a log) up to date: 0 or -1. */
int store_setup(sqlite3 *db, const char *path, int64_t version, int sync_full, char *why,
                size_t whylen);
/* The background check's thread (pthread_create's start routine; arg: the store). */
void *store_check_in_background(void *arg);
/* Stops the background check, if it runs, and waits for it. */
void store_stop_checker(store_t *self);

#endif
