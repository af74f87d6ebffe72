/* The SQLite store: tickets, counters, the append-only event log and the metric log, in one
 * WAL database under the data directory. Every change is written inside a transaction the
 * server opens and commits; nothing here decides anything.
 *
 * Nothing is written to a file before it is found sound. store_open checks the file itself
 * (hq_db_check_file) and then, on a read-only connection, what the start reads and the first
 * writes touch; the whole file is checked by a background thread with its own read-only
 * connection (PRAGMA quick_check, seconds on a year of history). Damage found after the start
 * (by that thread, or by any read or write that meets SQLITE_CORRUPT) makes the store refuse
 * every change from then on with store_errmsg saying so; reads go on, and closing folds
 * nothing into the damaged file. */
#ifndef HALLQ_STORE_H
#define HALLQ_STORE_H

#include <jansson.h>
#include <stddef.h>

#include "hall.h"
#include "hq_proto.h"

#include "hq_db.h"

typedef struct store store_t;

/* Takes DIR's lock (hq_db_lock), creates DIR/hallq.db when there is none (made whole under
 * another name, then renamed into place), checks it and opens it. NULL with one line naming
 * the file and the problem: another daemon on DIR, an unreadable directory, a file that is
 * damaged (empty, truncated, a damaged page or log, indexes that disagree with their table),
 * foreign, or of a newer schema; such a file and its -wal are left byte for byte as they
 * were. A file of an older schema (or without a write-ahead log) is checked whole before it
 * is brought up to date. */
store_t *store_open(const char *dir, int sync_full, char *why, size_t whylen);
void store_close(store_t **self_p);
const char *store_errmsg(store_t *self);
const char *store_path(const store_t *self);

/* -1 without touching the file once the store is damaged (store_errmsg: "PATH is damaged:
 * ..."). */
int store_begin(store_t *self);
int store_commit(store_t *self);
void store_rollback(store_t *self);

int store_put_ticket(store_t *self, const hq_ticket_t *t);
int store_put_counter(store_t *self, const hq_counter_t *c, int paused);
/* A window's rating tablet (hall_counter_tablet: the hash of its secret, never the secret),
 * paired at paired_ms; it replaces the one paired before. */
int store_put_tablet(store_t *self, int counter, const char *secret_hash, int64_t paired_ms);
int store_append_event(store_t *self, int64_t seq, int64_t ts_ms, const char *type,
                       const char *body);
int store_put_metric(store_t *self, int64_t ts_ms, const char *day, const json_t *rows,
                     int64_t target_ms);
/* Records the business day the hall is in (written with the rollover that starts it). */
int store_put_day(store_t *self, const char *day);
/* Records the hall's green streak (hall_green_streak), in the meta table beside the day. */
int store_put_green_streak(store_t *self, int streak);
/* Records the hall's appointment row (hall_appointment_streak), in the meta table too. */
int store_put_appointment_streak(store_t *self, int streak);
/* A booking as the hall holds it (inserted, or its state, change time and ticket updated). */
int store_put_booking(store_t *self, const hq_booking_t *b);

/* Records the configuration the daemon runs with (config_record_text) when it differs from
 * the last one recorded, as in force from ts_ms, business day `day` on: the statistics count
 * each ticket by the record in force when it was issued. 1 recorded, 0 the same as the last,
 * -1 with the reason in why. */
int store_put_config(store_t *self, int64_t ts_ms, const char *day, const char *record, char *why,
                     size_t whylen);

/* Rebuilds the hall as the daemon left it: the business day it was in (`today` for a new
 * store), that day's tickets, older tickets still open, counters, numbering and the last event
 * sequence number. When that day is before `today` (the daemon was down over midnight), the
 * caller's hall_rollover to today does what a live midnight would have done; when it is after
 * (the clock is behind), it stays, with a warning: the business day never goes backwards.
 * SQLITE_CORRUPT met on the way marks the store damaged (store_errmsg says where). */
int store_load(store_t *self, hall_t *hall, const char *today);

/* ---- the clock the days were recorded on -------------------------------------------------
 * A data folder holds a real hall's days or a simulated hall's (hallqd --simulate), never
 * both: simulated days may lie at any date, before or after the real ones, and would mix into
 * the hall's statistics. The mark is the row 'clock' = 'simulated' in the meta table. */
typedef enum {
    STORE_CLOCK_EMPTY,    /* nothing recorded yet: either kind may start */
    STORE_CLOCK_REAL,     /* records, and no mark */
    STORE_CLOCK_SIMULATED /* marked by store_mark_simulated */
} store_clock_t;

/* Which clock the store's days were recorded on, and the latest time its events and metric
 * entries hold (0 when none; latest_ms NULL: not asked, which spares a read of every event).
 * 0, or -1 with the reason in why. */
int store_clock(store_t *self, store_clock_t *kind, int64_t *latest_ms, char *why, size_t whylen);
/* Marks the store a simulated hall's, for good (an empty store's: see store_clock). 0 or -1. */
int store_mark_simulated(store_t *self);

/* Test hook: fail every write after `n` more writes (-1 disables). */
void store_fail_after(store_t *self, int n);
/* Test hook: how many writes the hook has failed so far. */
long store_failed_writes(const store_t *self);

#endif
