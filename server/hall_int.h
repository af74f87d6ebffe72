/* The hall's state, for the files that make up the hall (hall*.c) and its wire forms
 * (hall_wire.c). The rest of the daemon uses hall.h. */
#ifndef HALLQ_HALL_INT_H
#define HALLQ_HALL_INT_H

#include "hall.h"
#include "sched.h"

/* A call or recall as its event announced it (the wall's "recent calls"). */
typedef struct {
    char label[HQ_LABEL_MAX];
    int counter;   /* the window it called the ticket to */
    int64_t ts_ms; /* when */
    int recall;    /* a recall */
    int green;     /* green lane */
} hall_call_t;

typedef struct {
    hq_counter_t pub;    /* what travels on the wire */
    int paused;          /* clerk pressed pause */
    metric_acc_t metric; /* instant items finished here today */
} hall_counter_t;

struct hall {
    const hallq_config_t *cfg; /* not owned */
    char day[11];              /* business day "YYYY-MM-DD" */
    int64_t next_id;           /* id of the next ticket */
    int64_t seq;               /* last event sequence number handed out */
    hq_ticket_t *tickets;      /* today's tickets (and older ones still being served) */
    size_t ntickets, cap;
    int next_number[HQ_QUEUES_MAX]; /* by prefix - 'A' */
    hall_counter_t *counters;       /* one per configured counter, in config order */
    int ncounters;
    metric_acc_t metric_hall;
    metric_acc_t metric_queue[HQ_QUEUES_MAX];
    int64_t wait_sum_ms; /* called tickets today: their total wait */
    int64_t wait_count;
    int64_t latest_issued_ms;  /* the latest issue time of any ticket in memory */
    int64_t recent_ms;         /* s_recent_handling's answer, -1 when it must be recomputed */
    int64_t *token_ids;        /* open addressing: ids of today's tickets by token hash, 0 free */
    size_t token_cap, ntokens; /* token_cap a power of two, kept at most half full */
    /* Who waits: the waiting tickets by queue - 'A' and class (1 green), in the scheduler's
     * order. The one record of it: the waiting counts are the lines' sizes. */
    sched_line_t lines[HQ_QUEUES_MAX][2];
    int compact_due; /* a ticket of an earlier day was closed: hall_compact has work */
    /* The business day's latest calls and recalls, newest first, each as its event said it:
     * what a Clone mirror builds from the events (a recall is a second entry; a later
     * reactivate, transfer or unpark does not rewrite history). From the event log at load. */
    hall_call_t calls[HALL_RECENT_CALLS];
    int ncalls;
};

/* The counter with that id, NULL when the hall has none. */
hall_counter_t *hall_find_counter(const hall_t *self, int id);
/* Open: waiting, at a window, parked or a no-show (what a snapshot lists). */
int hall_active(hq_ticket_state_t s);
/* The day's average wait of called tickets so far, 0 before the first call. */
int64_t hall_avg_wait_ms(const hall_t *self);

/* One scope of the handling metric: the hall, a queue or a counter. */
typedef struct {
    const char *scope;     /* "hall", "queue", "counter" */
    char key[8];           /* "", the queue's letter, the counter's number */
    const metric_acc_t *m; /* instant items finished today there */
    int above;             /* their mean is above the target: an alert */
} hall_scope_t;

#define HALL_SCOPES_MAX (1 + HQ_QUEUES_MAX + CFG_COUNTERS_MAX)

/* Every scope, in the metric log's order: the hall, each queue, each counter. Returns how
 * many (at most HALL_SCOPES_MAX). */
int hall_scopes(const hall_t *self, hall_scope_t *out);

#endif
