/* The hall's database as a file: its name in the data directory, how a hallq database is told
 * from others, its schema version, and the lock that keeps one daemon per directory. Shared by
 * the daemon's store, the statistics reader and backup, which each open the file their own way. */
#ifndef HQ_DB_H
#define HQ_DB_H

#define STORE_FILE "hallq.db"
#define STORE_LOCK_FILE "hallqd.lock"
#define STORE_APPLICATION_ID 0x48514C51 /* "HQLQ": tells a hallq database from others */
/* 2: without schema 1's index on issued_ms (dropped on open); 3: tickets.reason_code;
 * 4: tickets.device, the key that issued the ticket. */
#define STORE_SCHEMA 4

/* Whether a hallqd holds DIR (its lock file is locked). */
int hq_db_lock_held(const char *dir);

#endif
