/* Online backup and restore of the hall's database with SQLite's backup API: a consistent
 * copy taken while hallqd keeps writing (never a file copy of a live database). */
#ifndef HALLQ_BACKUP_H
#define HALLQ_BACKUP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t tickets; /* tickets in the copy */
    int64_t events;  /* events in the copy */
    int64_t bytes;   /* size of the copy */
} backup_info_t;

/* Copies DATA/hallq.db to `out` (which must not exist) and checks the copy's integrity. */
int backup_take(const char *data_dir, const char *out, backup_info_t *info, char *why,
                size_t whylen);
/* Replaces DATA/hallq.db with a checked backup. Refused while a hallqd holds DATA. */
int backup_restore(const char *in, const char *data_dir, backup_info_t *info, char *why,
                   size_t whylen);

#endif
