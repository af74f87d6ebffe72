/* The hall's database as a file: its name in the data directory, how a hallq database is told
 * from others, its schema, the checks of the file itself that need no SQLite, and the lock
 * that keeps one daemon per directory. Shared by the daemon's store, the statistics reader,
 * backup and `hallqctl db`, which each open the file their own way. */
#ifndef HQ_DB_H
#define HQ_DB_H

#include <stddef.h>
#include <stdint.h>

#define STORE_FILE "hallq.db"
#define STORE_APPLICATION_ID 0x48514C51 /* "HQLQ": tells a hallq database from others */
/* 2: without schema 1's index on issued_ms (dropped on open); 3: tickets.reason_code;
 * 4: tickets.device, the key that issued the ticket; 5: tickets.extended, issued in an
 * extended-hours period (延时服务), tickets.slot_ms, a checked-in appointment's slot, and the
 * bookings table (预约); 6: the open-ticket index tickets_open defined by the closed states
 * (rebuilt on open); 7: the tablets table, each window's rating tablet; 8: bookings.token,
 * a booking request's idempotency token. */
#define STORE_SCHEMA 8

/* The tables and indexes of schema STORE_SCHEMA, as statements that create what is missing
 * (CREATE ... IF NOT EXISTS). */
extern const char hq_db_schema[];
/* The hall's epoch: a random id (32 hex digits) in meta under 'epoch', made with the hall's
 * database and carried by its backups. Every event is named by (hall, epoch, seq) outside the
 * hall, so a history that restarts its seq numbers (a restored backup, a recovered file) takes
 * a new epoch and never mixes with the events the old one went on to write. */
#define HQ_EPOCH_LEN 32
/* Gives a database without an epoch one; leaves an existing one as it is. */
extern const char hq_db_epoch_sql[];
/* Starts a new epoch on a copy whose seq numbers may be reused: the old epoch is kept as
 * 'epoch_parent' and the last seq the copy shares with it as 'epoch_fork_seq' (events up to it
 * are the parent's, the same ones). */
extern const char hq_db_epoch_fork_sql[];
/* The tables of that schema, NULL-terminated: every one is in a database the daemon wrote. */
extern const char *const hq_db_tables[];

/* What hq_db_check_file read from the file's header. */
typedef struct {
    int64_t bytes;      /* size of the database file */
    uint32_t page_size; /* bytes per page */
    int wal_mode;       /* the header says write-ahead logging (what the daemon sets) */
    uint32_t app_id;    /* its application_id, as in the file (before a log is applied) */
    int64_t wal_bytes;  /* size of FILE-wal, 0 when there is none */
} hq_db_file_t;

/* Checks what can be checked of FILE without SQLite, before anything opens it (it opens and
 * closes the file, and closing drops every POSIX lock the process holds on it: never call it
 * while an SQLite connection of this process has the file open). Not empty, an
 * SQLite header with sane values, not shorter than the pages its header counts (when no
 * write-ahead log may hold the rest), and a FILE-wal beside it that is a write-ahead log with
 * FILE's page size (SQLite silently ignores a log with a damaged header, and the next write
 * overwrites it). 0 and *info filled, or -1 with one line naming the file and the problem. */
int hq_db_check_file(const char *path, hq_db_file_t *info, char *why, size_t whylen);

/* Takes DIR's lock: an exclusive flock(2) on the directory itself. Unlike a lock file it
 * cannot be deleted while held, and it is released when the process ends however it ends.
 * Returns the descriptor holding it (close it to release), or -1 with one line in why: the
 * directory cannot be opened, or another process holds the lock ("another hallqd (pid N) is
 * using DIR", "DIR is in use by hallqctl (pid N)"). */
int hq_db_lock(const char *dir, char *why, size_t whylen);
/* Whether another process holds DIR's lock (a running hallqd, or hallqctl recovering it). */
int hq_db_lock_held(const char *dir);

#endif
