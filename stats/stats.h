/* Manager statistics over the hallq database: the history of tickets, grouped by day, hour,
 * queue, window, clerk, service or lane; the 10-minute metric log; staffing by hour of the
 * week from Erlang C.
 *
 * Two layers. The history (stats_hist_t) is pure: tickets go in as values, groups come out,
 * so the arithmetic is tested without a database. The database layer (stats_db_t) reads
 * DIR/hallq.db through a read-only connection: WAL lets it read a consistent snapshot while
 * hallqd writes, and it never takes a lock that would make the daemon wait.
 *
 * Each ticket counts by the configuration hallqd ran with when it was issued (its handling
 * target, which items are instant, the catalog's names, the hall's time zone), read from the
 * records the daemon keeps in the database (lib/hallq/config_record.h); a configuration
 * given instead (hallqctl stats --config) overrides them for every ticket.
 *
 * Local time (hours of the day, weekdays) follows the process's TZ; hallqctl stats sets it
 * to the hall's time zone as hallqd does, and while reading tickets by the records the
 * reader switches it to the zone each ticket was issued under. Dates and their arithmetic
 * are lib/hallq's hq_date; every duration of a ticket is lib/hallq's metric arithmetic
 * (stats_ticket_times).
 *
 * The files: history.c (the tickets kept small), group.c (groups and percentiles),
 * staffing.c (hours of the week and Erlang C), stats_db.c (the read-only reader),
 * erlang.c, report.c and report_chart.c (the HTML page), stats_text.c (the texts). */
#ifndef HALLQ_STATS_H
#define HALLQ_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "hq_date.h"

#define STATS_KEY_MAX 48
#define STATS_WEEK_SLOTS (7 * 24)

typedef enum {
    STATS_BY_ALL = 0, /* one group: the whole period */
    STATS_BY_DAY,     /* business day */
    STATS_BY_HOUR,    /* local hour of the day the ticket was issued, over all days */
    STATS_BY_WEEKDAY, /* Monday .. Sunday */
    STATS_BY_QUEUE,   /* the queue the ticket ended in (as the daemon's metric counts it) */
    STATS_BY_COUNTER, /* the window that called it last; tickets never called: no key */
    STATS_BY_CLERK,   /* the clerk who served it */
    STATS_BY_SERVICE, /* the catalog item chosen at the kiosk; none: no key */
    STATS_BY_LANE,    /* normal, then green */
    /* The city's (stats_central.h): each hall, its level, its town. A history holds one
     * hall or one group of halls, so these group it as STATS_BY_ALL does. */
    STATS_BY_HALL,
    STATS_BY_LEVEL,  /* town, then village */
    STATS_BY_PARENT, /* a town with the village points under it */
    STATS_BY_COUNT_
} stats_by_t;

/* "all", "day", "hour", ... ; parse gives -1 for an unknown name. */
const char *stats_by_name(stats_by_t by);
int stats_by_parse(const char *name);

/* One duration over a group, in milliseconds. Percentiles interpolate linearly between
 * the two nearest ranks, as a spreadsheet's MEDIAN and PERCENTILE (PERCENTILE.INC) do, so
 * a manager can check them from the per-ticket export. */
typedef struct {
    int64_t n;
    double mean_ms;
    double median_ms;
    double p90_ms;
    int64_t max_ms;
} stats_dist_t;

typedef struct {
    char key[STATS_KEY_MAX]; /* "2024-03-04", "09", "Mon", "A", "3", clerk, "12", "green" */
    int none;                /* the group of tickets without the attribute (key "") */
    int64_t issued;
    int64_t called; /* called at least once */
    int64_t served; /* finished */
    int64_t no_show;
    int64_t expired;        /* still open when the business day ended */
    int64_t transferred;    /* sent to another queue at least once */
    int64_t green;          /* green-lane tickets issued */
    int64_t extended;       /* tickets issued in extended hours (延时服务) */
    stats_dist_t wait;      /* issue to first call, tickets called */
    stats_dist_t handling;  /* start (or call) to finish less parked time, tickets finished */
    stats_dist_t instant;   /* the same for instant items only: the 10-minute rule */
    int64_t instant_within; /* instant items handled within their target */
    int64_t green_waited;   /* green tickets called, and their mean wait */
    double green_wait_mean_ms;
    int64_t normal_waited;
    double normal_wait_mean_ms;
    int64_t rated; /* tickets with a rating, their sum and count per level 1..5 */
    int64_t rating_sum;
    int64_t ratings[5];
} stats_group_t;

/* ---- the history: pure --------------------------------------------------------------- */

/* One ticket as the store holds it (zero for a missing time or number). */
typedef struct {
    const char *day; /* YYYY-MM-DD, the business day */
    char queue;
    int service;
    int green;
    const char *state; /* waiting called serving parked finished no_show expired */
    int64_t issued_ms, called_ms, last_called_ms, started_ms, finished_ms, park_total_ms;
    int counter;
    const char *clerk; /* NULL or "" when none */
    int rating;        /* 0 none, 1..5 */
    int transfers;
    int extended;      /* issued in an extended-hours period (延时服务) */
    int instant;       /* counts toward the handling target (config_is_instant) */
    int64_t target_ms; /* the handling target it counts against; 0: the history's */
} stats_ticket_t;

/* The durations of a ticket, in milliseconds, as every figure counts them. */
typedef struct {
    int64_t wait_ms;     /* issue to first call; -1 never called */
    int64_t handling_ms; /* start (or last call) to finish less parked time; -1 not finished */
    int64_t window_ms;   /* last call to finish less parked time; -1 not finished or called */
} stats_times_t;

/* The one derivation (lib/hallq/metric.c's arithmetic) behind the history's groups, the
 * staffing and the per-ticket export. */
stats_times_t stats_ticket_times(const stats_ticket_t *t);

typedef struct stats_hist stats_hist_t;

/* target_ms: the handling target (handling_target_min) of the within-target share for the
 * tickets that bring none of their own, and the one the period is labelled with. */
stats_hist_t *stats_hist_new(int64_t target_ms);
void stats_hist_destroy(stats_hist_t **self_p);
/* 0; -2 for a malformed ticket (day, state or queue), which is not added; -1 out of
 * memory. */
int stats_hist_add(stats_hist_t *self, const stats_ticket_t *t);
size_t stats_hist_count(const stats_hist_t *self);
int64_t stats_hist_target_ms(const stats_hist_t *self);
/* First and last business day present ("" when empty). */
void stats_hist_days(const stats_hist_t *self, char first[HQ_DATE_TEXT_MAX],
                     char last[HQ_DATE_TEXT_MAX]);
/* The groups in natural order (days and hours ascending, clerks by name), the group of
 * tickets without the attribute last. *groups is malloc'd (NULL when n is 0). */
int stats_group(const stats_hist_t *self, stats_by_t by, stats_group_t **groups, size_t *n);

/* Staffing for one hour of the week. */
typedef struct {
    int weekday;              /* 0 Monday .. 6 Sunday */
    int hour;                 /* local hour of the day */
    int days;                 /* days of this weekday the hall was open in the period */
    int64_t arrivals;         /* tickets issued in this hour on those days */
    double hours;             /* time the hall was issuing in this hour, summed over those
                               * days (an hour it opens at 8:30 counts about half) */
    double rate_per_hour;     /* arrivals / hours */
    double service_ms;        /* mean time a window spends on a ticket: last call to finish,
                               * less parked time (the hour's own when it has 20 finished
                               * tickets, else the period's) */
    double load;              /* offered load in Erlangs: rate x service time */
    double windows_seen;      /* mean number of windows busy at some time in the hour */
    int windows_used;         /* windows_seen rounded, at least 1 when there were arrivals */
    double predicted_wait_ms; /* Erlang C mean wait with windows_used; INFINITY overloaded */
    int64_t observed_n;       /* tickets issued in this hour that were called */
    double observed_wait_ms;  /* their mean wait */
    int windows_needed;       /* fewest windows for a mean wait <= target; -1 none enough */
    double needed_wait_ms;    /* Erlang C mean wait with windows_needed */
    double needed_p_wait;     /* probability of waiting at all with windows_needed */
} stats_staff_t;

/* Fills out[weekday * 24 + hour] for every hour of the week (arrivals 0: nothing to staff).
 * max_windows bounds the search. */
int stats_staffing(const stats_hist_t *self, double target_wait_ms, int max_windows,
                   stats_staff_t out[STATS_WEEK_SLOTS]);

/* Percentile p (0..1) of sorted values, linear between ranks; 0 for n = 0. */
double stats_percentile(const int64_t *sorted, size_t n, double p);

/* ---- the database: read-only --------------------------------------------------------- */

typedef struct stats_db stats_db_t;

/* Opens DIR/hallq.db read only. NULL with a one-line reason: missing, not a hallq database,
 * a schema newer than this program. */
stats_db_t *stats_db_open(const char *dir, char *why, size_t whylen);
void stats_db_close(stats_db_t **self_p);
const char *stats_db_path(const stats_db_t *self);

/* First and last business day in the database ("" when empty). */
int stats_db_days(stats_db_t *self, char first[HQ_DATE_TEXT_MAX], char last[HQ_DATE_TEXT_MAX]);

/* What the tickets count by: `override` for all of them when given (it must outlive the
 * reader), else the configurations hallqd recorded, each ticket by the one in force when it
 * was issued (tickets older than every record by the first). Returns how many records were
 * read: 0 with an override, or when the database holds none (a hallqd before the records,
 * or a database no hallqd started on), and then the embedded default counts, as it does
 * until this is called. -1 with the reason when a record cannot be read. */
int stats_db_set_config(stats_db_t *self, const hallq_config_t *override, char *why, size_t whylen);
/* The configuration in force at the end of business day `day` (NULL: the latest): the last
 * one recorded on that day or before, else the first; the override or the embedded default
 * when those count. */
const hallq_config_t *stats_db_config(const stats_db_t *self, const char *day);
/* The one a period ending on `to` is labelled with (its hall name, queue names, target):
 * stats_db_config of `to`, or with an open end of the last business day with tickets. */
const hallq_config_t *stats_db_period_config(stats_db_t *self, const char *to);

/* Tickets of the days from..to inclusive (NULL: open end) into a new history, labelled with
 * the period's handling target. */
stats_hist_t *stats_db_load(stats_db_t *self, const char *from, const char *to, char *why,
                            size_t whylen);

/* One ticket with its figures, for the per-ticket export. Strings are valid during the
 * callback only. */
typedef struct {
    stats_ticket_t t;          /* what the history reads */
    const hallq_config_t *cfg; /* the configuration it counts by */
    int64_t id;
    const char *label, *age_band;
    const char *reason;      /* why it was called, in the daemon's English words */
    hq_reason_t reason_code; /* the same as a code, for other languages */
    char prefix;             /* the queue it was issued in (t.queue: the one it ended in) */
    int calls;
    stats_times_t times;
} stats_record_t;

typedef int (*stats_record_fn)(const stats_record_t *r, void *arg);

/* A stats_record_fn that adds each record's ticket to a history: what the hall's own store
 * and the city's central store both load their statistics with. */
typedef struct {
    stats_hist_t *h;
    char *why;
    size_t whylen;
} stats_hist_loader_t;
/* arg: a stats_hist_loader_t. A damaged row is skipped, the way the daemon skips it at load;
 * running out of memory stops the loading with a line in why. */
int stats_hist_load_record(const stats_record_t *r, void *arg);
/* Calls fn for each ticket of the days from..to in issue order; stops when fn returns
 * non-zero (returned). -1 on a database error. */
int stats_db_records(stats_db_t *self, const char *from, const char *to, stats_record_fn fn,
                     void *arg, char *why, size_t whylen);

/* ---- appointments (bookings.c): pure ------------------------------------------------- */

/* One booking as the store holds it, with the ticket it got (zero times when none). */
typedef struct {
    const char *day;   /* the slot's business day */
    char queue;        /* slots are the queue's */
    int service;       /* the catalog item booked, 0 none named */
    const char *state; /* booked checked_in late no_show cancelled */
    int64_t slot_ms;   /* checked in: its ticket's slot start */
    int64_t called_ms; /* its ticket's first call, 0 none */
} stats_booking_t;

/* Bookings of one group (a day or a queue). The wait of a checked-in appointment runs from
 * its slot's start to its first call (0 when called before the slot began). */
typedef struct {
    char key[STATS_KEY_MAX]; /* "2026-10-12", "A" or "3"; "" the total, or no service named */
    int64_t booked;          /* every booking made for the group, cancelled ones too */
    int64_t checked_in;      /* inside the window: an appointment ticket */
    int64_t late;            /* after the window: a walk-in ticket */
    int64_t no_show;         /* not checked in by slot + late */
    int64_t cancelled;
    int64_t waiting;   /* still booked (a slot to come, or not yet swept) */
    int64_t called;    /* checked in and called */
    double wait_ms;    /* their total wait from slot start */
    int64_t within_10; /* called within 10 minutes of slot start */
} stats_booking_group_t;

/* Counts one booking into g. */
void stats_booking_count(stats_booking_group_t *g, const stats_booking_t *b);
/* The mean wait from slot start, in ms (0 when none was called). */
double stats_booking_wait_mean_ms(const stats_booking_group_t *g);

/* Bookings of the days from..to (NULL: open end) grouped by STATS_BY_DAY, STATS_BY_QUEUE or
 * STATS_BY_SERVICE (groups ascending; bookings naming no service last, key ""), and their
 * total. *groups is malloc'd (NULL when n is 0). A database
 * of a hallqd before appointments has none. -1 with why on a database error or another
 * grouping. */
int stats_db_bookings(stats_db_t *self, const char *from, const char *to, stats_by_t by,
                      stats_booking_group_t **groups, size_t *n, stats_booking_group_t *total,
                      char *why, size_t whylen);

/* One entry of the daemon's metric log. */
typedef struct {
    int64_t ts_ms;
    const char *day, *scope, *key; /* scope hall|queue|counter; key "" for the hall */
    int64_t count, avg_ms, within, max_ms, target_ms;
    int above;
} stats_metric_t;

typedef int (*stats_metric_fn)(const stats_metric_t *m, void *arg);
/* Every entry logged for the business day, in the order written. */
int stats_db_metrics(stats_db_t *self, const char *day, stats_metric_fn fn, void *arg, char *why,
                     size_t whylen);

#endif
