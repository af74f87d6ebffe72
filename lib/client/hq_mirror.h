/* A subscriber's copy of the hall state, kept in step by the Clone pattern:
 * load a snapshot that ends at sequence S, then apply events S+1, S+2, ... in order.
 * Pure: no sockets; hq_feed does the I/O and feeds it. */
#ifndef HQ_MIRROR_H
#define HQ_MIRROR_H

#include "hq_proto.h"

#define HQ_MIRROR_COUNTERS_MAX 128
#define HQ_MIRROR_RECENT 16

typedef enum {
    HQ_SYNC_INITIAL = 0, /* never had a snapshot */
    HQ_SYNC_SYNCING,     /* waiting for a snapshot (after start, a gap or silence) */
    HQ_SYNC_ACTIVE,      /* snapshot loaded and events applying in order */
    HQ_SYNC_OFFLINE      /* daemon silent too long: the state shown is old */
} hq_sync_state_t;

const char *hq_sync_state_name(hq_sync_state_t s);

typedef struct {
    char prefix;
    char name[96];
    int instant;
    int waiting;
    int green;
} hq_mirror_queue_t;

typedef struct {
    char label[HQ_LABEL_MAX];
    int counter;
    int64_t ts_ms;
    int recall;
    int green;
} hq_mirror_call_t;

typedef struct {
    int count;      /* finished instant tickets today */
    int64_t avg_ms; /* their mean handling time */
    int within;     /* of which handled within the target */
} hq_mirror_metric_t;

/* A queue alert raised now (PROTOCOL.md "Queue alerts"), from the snapshot's "alerts" and the
 * queue_alert events. */
typedef struct {
    char queue;
    int handling;                /* 0 the wait alert, 1 the handling alert */
    int64_t value_ms, target_ms; /* the figure when it changed, and its target */
    char advice[16];             /* "open_window", "take_over", "none" */
    char counters[64];           /* the windows serving the queue, as ",1,2,3," */
} hq_mirror_alert_t;

typedef enum {
    HQ_APPLY_OK = 0,    /* applied: the model changed */
    HQ_APPLY_DUPLICATE, /* at or below the current sequence: dropped */
    HQ_APPLY_GAP,       /* a sequence number was skipped: re-snapshot */
    HQ_APPLY_IGNORED,   /* not applicable in this state (e.g. before a snapshot) */
    HQ_APPLY_RESYNC     /* the event asks for a fresh snapshot (new business day) */
} hq_apply_t;

typedef struct {
    hq_sync_state_t state;
    int64_t seq;          /* last sequence applied */
    int64_t heard_ms;     /* monotonic time anything last came from the daemon */
    int64_t silence_ms;   /* silence longer than this means offline */
    int64_t heartbeat_ms; /* daemon's heartbeat interval, from the snapshot */
    char day[11];
    char hall_name[128];
    double sim_speed; /* > 0: a hall on a simulated clock (hq_reply_sim_speed) */
    int nqueues;
    hq_mirror_queue_t queues[HQ_QUEUES_MAX];
    int ncounters;
    hq_counter_t counters[HQ_MIRROR_COUNTERS_MAX];
    int ntickets; /* active tickets: waiting, called, serving, parked, no-show */
    int tickets_cap;
    hq_ticket_t *tickets;
    int nrecent; /* newest first */
    hq_mirror_call_t recent[HQ_MIRROR_RECENT];
    hq_mirror_metric_t metric;
    int64_t avg_wait_ms; /* hall's mean wait of tickets called today */
    int64_t target_ms;   /* handling-time target (10 minutes by default) */
    int64_t changes;     /* bumped on every change, for views to notice */
    int nalerts;         /* queue alerts raised now */
    hq_mirror_alert_t alerts[2 * HQ_QUEUES_MAX];
} hq_mirror_t;

void hq_mirror_init(hq_mirror_t *m, int64_t silence_ms);
void hq_mirror_free(hq_mirror_t *m);
/* Makes dst (initialised, or a copy made before) a copy of src with tickets of its own, for
 * a reader in another thread. 0, or -1 out of memory (dst is then left as it was). */
int hq_mirror_copy(hq_mirror_t *dst, const hq_mirror_t *src);

/* Loads a snapshot reply body. 0 ok, -2 malformed (state left as it was). */
int hq_mirror_load_snapshot(hq_mirror_t *m, const json_t *snapshot, int64_t now_mono);
/* Applies one decoded event. */
hq_apply_t hq_mirror_apply(hq_mirror_t *m, const hq_event_t *ev, int64_t now_mono);
/* Checks for silence. Returns 1 when it just went offline (re-snapshot needed). */
int hq_mirror_tick(hq_mirror_t *m, int64_t now_mono);
/* Marks that a snapshot is needed (gap, start). */
void hq_mirror_want_snapshot(hq_mirror_t *m);

const hq_counter_t *hq_mirror_counter(const hq_mirror_t *m, int id);
const hq_ticket_t *hq_mirror_ticket(const hq_mirror_t *m, int64_t id);
const hq_ticket_t *hq_mirror_ticket_by_label(const hq_mirror_t *m, const char *label);
const hq_mirror_queue_t *hq_mirror_queue(const hq_mirror_t *m, char prefix);
/* The first queue alert raised for a queue window `counter` serves, NULL none. */
const hq_mirror_alert_t *hq_mirror_alert_for(const hq_mirror_t *m, int counter);

#endif
