/* The city's statistics: the same tickets and figures as stats_db.c reads from one hall's
 * database, read instead from the city's central store (PostgreSQL, schema hallq, which
 * hallq-sync fills), hall by hall. Each hall's tickets are those its own database holds:
 * for a hall restored from a backup, the line of epochs it descends from, each ticket once
 * (hallq.hall_tickets, migration 2). They go into the same histories and records, so every
 * figure and every writer is the one a hall's own statistics use.
 *
 * Each ticket counts by the configuration its hall recorded as in force when it was issued
 * (hallq-sync ships the records to hallq.configs), as the hall's own statistics count it, or
 * by one configuration given for every ticket. */
#ifndef HALLQ_STATS_CENTRAL_H
#define HALLQ_STATS_CENTRAL_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "stats.h"

#define STATS_HALL_ID_MAX 65

/* A hall the store knows. */
typedef struct {
    char id[STATS_HALL_ID_MAX];
    char name[192];
    char level[8];                  /* town | village */
    char parent[STATS_HALL_ID_MAX]; /* the town of a village, "" for a town */
    int epochs;                     /* epochs in the line of its present one (1: never restored) */
} stats_hall_t;

typedef struct stats_central stats_central_t;

/* Connects to the store at `url` (a libpq URI or key=value string). NULL with a one-line
 * reason: no connection, or a store without the schema this program reads (run
 * hallq-sync --init or hallqctl central migrate). */
stats_central_t *stats_central_open(const char *url, char *why, size_t whylen);
void stats_central_close(stats_central_t **self_p);

/* Every hall, ordered by id. *halls is malloc'd (NULL when n is 0). -1 with the reason. */
int stats_central_halls(stats_central_t *self, stats_hall_t **halls, size_t *n, char *why,
                        size_t whylen);

/* First and last business day of a hall's tickets ("" when none). */
int stats_central_days(stats_central_t *self, const char *hall, char first[HQ_DATE_TEXT_MAX],
                       char last[HQ_DATE_TEXT_MAX], char *why, size_t whylen);

/* The configuration a hall recorded as in force at the end of business day `day` (NULL: the
 * latest), into cfg (config_free it after): 1, or 0 and the embedded default when the hall
 * shipped none (a hallqd before the records). -1 with the reason. */
int stats_central_config(stats_central_t *self, const char *hall, const char *day,
                         hallq_config_t *cfg, char *why, size_t whylen);

/* Calls fn for each ticket of the hall's days from..to (NULL: open end) in issue order, until
 * fn returns non-zero (returned). Each counts by `override` when given, else by the record
 * in force when it was issued (tickets older than every record by the first; none: the
 * embedded default), its local hours read in that record's time zone (the caller's zone is
 * put back after). The store keeps no reason for a call: records have reason ""
 * (HQ_REASON_NONE). -1 with the reason on a database error or a record that cannot be read. */
int stats_central_records(stats_central_t *self, const char *hall, const char *from, const char *to,
                          const hallq_config_t *override, stats_record_fn fn, void *arg, char *why,
                          size_t whylen);

/* The hall's tickets of days from..to into a history labelled with the handling target of
 * `override`, else of the hall's configuration at the end of the period. */
stats_hist_t *stats_central_load(stats_central_t *self, const char *hall, const char *from,
                                 const char *to, const hallq_config_t *override, char *why,
                                 size_t whylen);

/* Every entry of the metric log the hall's daemon kept for the business day, in the order
 * written (hallq-sync ships the log). 0, non-zero from fn, or -1 with the reason. */
int stats_central_metrics(stats_central_t *self, const char *hall, const char *day,
                          stats_metric_fn fn, void *arg, char *why, size_t whylen);

/* Tickets called, and called within 10 minutes of issue, over days from..to: from the daily
 * roll-ups (hallq.daily_queues) for a hall of one epoch, whose roll-ups are its tickets'
 * exactly; from its tickets otherwise. *rollups says which. -1 with the reason. */
int stats_central_waits_within(stats_central_t *self, const stats_hall_t *hall, const char *from,
                               const char *to, int64_t *called, int64_t *within, int *rollups,
                               char *why, size_t whylen);

#endif
