/* The hall's database as a file: its name in the data directory, how a hallq database is told
 * from others, its schema version, and the lock that keeps one daemon per directory. Shared by
 * the daemon's store, the statistics reader and backup, which each open the file their own way. */
#ifndef HQ_DB_H
#define HQ_DB_H

#include <stddef.h>

#define STORE_FILE "hallq.db"
#define STORE_APPLICATION_ID 0x48514C51 /* "HQLQ": tells a hallq database from others */
/* 2: without schema 1's index on issued_ms (dropped on open); 3: tickets.reason_code. */
#define STORE_SCHEMA 3

/* Takes DIR's lock: an exclusive flock(2) on the directory itself. Unlike a lock file it
 * cannot be deleted while held, and it is released when the process ends however it ends.
 * Returns the descriptor holding it (close it to release), or -1 with one line in why: the
 * directory cannot be opened, or another process holds the lock ("another hallqd (pid N) is
 * using DIR", "DIR is in use by hallqctl (pid N)"). */
int hq_db_lock(const char *dir, char *why, size_t whylen);
/* Whether another process holds DIR's lock (a running hallqd, or hallqctl recovering it). */
int hq_db_lock_held(const char *dir);

#endif
