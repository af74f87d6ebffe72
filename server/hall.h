/* The hall: today's tickets and the counters, and every action on them.
 *
 * The domain alone: no sockets, no database, no JSON. An action validates completely before
 * it changes anything, then changes the in-memory state and returns a typed result: an error,
 * or what it did (the ticket and counter it acted on, its figures), which events happened and
 * what to persist. The server persists the changes in one transaction, writes the reply and
 * the events from the result (hall_wire.h), replies, then publishes; when the commit fails it
 * throws this state away and reloads it from the database. */
#ifndef HALLQ_HALL_H
#define HALLQ_HALL_H

#include "booking.h"
#include "config.h"
#include "hq_proto.h"
#include "metric.h"
#include "roster.h"

typedef struct hall hall_t;

/* Recent calls kept and sent in a snapshot, as many as a Clone mirror keeps. */
#define HALL_RECENT_CALLS 16
/* Events of one result at most: the metric entry and its alert. */
#define HALL_EVENTS_MAX 2

/* A queue's alert as its event says it. */
typedef enum { HALL_ALERT_WAIT = 0, HALL_ALERT_HANDLING, HALL_ALERT_KINDS } hall_alert_kind_t;
typedef struct {
    char queue;
    hall_alert_kind_t kind;
    int raised;         /* 1 raised, 0 cleared */
    int64_t value_ms;   /* the longest wait, or the queue's mean handling */
    int64_t target_ms;  /* what it is held to */
    const char *advice; /* what would help: "open_window", "take_over", "none" */
} hall_alert_t;

/* An event an action made. Its fields are the result's (the ticket, the counter, the
 * figures of the action's type); the wire adds the rest from the hall as the action left it. */
typedef struct {
    hq_event_type_t type;
    int counts; /* it also carries the waiting counts and the day's average wait */
} hall_event_t;

typedef struct {
    hq_error_t error; /* code HQ_E_NONE: done; otherwise nothing changed (but see oom) */
    /* A bad_state refusal's machine-readable detail ("paused", "ticket_at_window", ...:
     * PROTOCOL.md), which clients translate; NULL for other refusals. */
    const char *detail;
    /* Memory ran out on the way: error says so, but the hall's memory may hold part of the
     * change. The caller must reload the hall from the store. */
    int oom;
    /* What the action did, for its reply and its events: */
    int64_t ticket;      /* the ticket acted on, 0 none */
    int counter;         /* the counter acted on, 0 none */
    int ahead;           /* issue: waiting tickets the scheduler takes first */
    int64_t est_wait_ms; /* issue: its expected wait from now (estimate.h) */
    int repeat;          /* issue, check_in, book: a repeated token; nothing new happened */
    /* issue refused by the calendar or the quota: the queue's issuing hours today
     * ("08:30-11:30, 13:30-16:30", "" none) and, when it issues nothing today, the next
     * working day ("" none known) */
    char issue_hours[CAL_SPANS_TEXT];
    char next_working_day[11];
    int green_reserve_left;       /* quota refused a normal ticket: the rest is the green lane's */
    int appointment_reserve_left; /* quota refused a walk-in: the rest is appointments' */
    int64_t booking;     /* book, cancel, check_in, a no-show: the booking acted on, 0 none */
    int late;            /* check_in: after its window: a walk-in ticket */
    char opens[6];       /* check_in too early: when its window opens, "HH:MM" */
    hall_alert_t alert;  /* a queue_alert event: what changed */
    int64_t handling_ms; /* finish */
    int instant;         /* finish: an instant item (the handling target's) */
    char from_queue;     /* transfer: the queue it left */
    char previous_clerk[HQ_CLERK_MAX]; /* login: the clerk it took the window over from */
    char previous_day[11];             /* rollover: the business day it ended */
    int expired;                       /* rollover: open tickets of earlier days that expired */
    int roster;                        /* catalog: the hall has a clerk roster */
    char pair_code[8];                 /* pair: the one-time code */
    int64_t pair_until;                /* pair: valid until */
    char tablet[33];                   /* claim: the tablet's secret */
    int tablet_counter;                /* claim: the window whose tablet changed (persist it) */
    /* A staff member acted at a device (staff mode, a reactivate or a green lane they set):
     * the line the daemon logs for it, a warning when the request failed. "" none. */
    char note[320];
    int green_streak_changed; /* the hall's green streak changed: persist it */
    int appt_streak_changed;  /* the hall's appointment row changed: persist it */
    int nevents;
    hall_event_t events[HALL_EVENTS_MAX];
    /* What to persist: */
    int ntickets, tickets_cap;
    int64_t *tickets; /* ids of tickets */
    int ncounters, counters_cap;
    int *counters; /* ids of counters (a rollover touches every one) */
    int nbookings, bookings_cap;
    int64_t *bookings; /* ids of bookings */
} hall_result_t;

void hall_result_init(hall_result_t *r);
void hall_result_clear(hall_result_t *r);

hall_t *hall_new(const hallq_config_t *cfg);
void hall_destroy(hall_t **self_p);
/* The clerk roster logins are checked against (not owned; NULL: none, any clerk logs in).
 * The hall only reads it: the server rereads its file (roster_refresh). */
void hall_set_roster(hall_t *self, const roster_t *roster);
/* The key of the tickets' web tokens (webtoken.h), copied. */
void hall_set_web_key(hall_t *self, const uint8_t *key, size_t len);
/* The web token of a ticket ("" when the hall has no key). */
void hall_web_token(const hall_t *self, const hq_ticket_t *t, char *out, size_t outlen);

/* ---- loading (from the store, at start and after a failed commit) ---- */
void hall_reset(hall_t *self, const char *day);
int hall_load_ticket(hall_t *self, const hq_ticket_t *t);
/* Restores a counter's persisted state (clerk, pause, current ticket). */
void hall_load_counter(hall_t *self, int id, const char *clerk, int paused,
                       const char *pause_reason, int64_t current, int64_t since_ms);
/* Restores a booking (from today on, at load) and the salt of person hashes. */
int hall_load_booking(hall_t *self, const hq_booking_t *b);
void hall_set_booking_salt(hall_t *self, const char *salt);
/* A booking, NULL none (for the store to persist what a result touched). */
const hq_booking_t *hall_booking(const hall_t *self, int64_t id);
/* The first booking of today not checked in by slot start + late_min becomes a no-show, with
 * its booking event. Returns 1 when one did (out filled: call it again for the next), 0
 * otherwise. */
int hall_booking_sweep(hall_t *self, int64_t now_ms, hall_result_t *out);
/* Queue alerts (PROTOCOL.md "Queue alerts"): the first queue whose wait or handling alert
 * changes now is raised or cleared, with its queue_alert event. Returns 1 when one did (out
 * filled: call it again for the next), 0 otherwise. A condition must hold [alerts] hold_s
 * before its alert is raised, and clears only below the clear threshold: no flapping. */
int hall_alert_tick(hall_t *self, int64_t now_ms, hall_result_t *out);
/* The alerts raised now, for the snapshot: up to max, returns how many. */
int hall_alerts_raised(const hall_t *self, hall_alert_t *out, int max);
/* Restores the hall's green streak (see hall_green_streak). */
void hall_load_green_streak(hall_t *self, int streak);
/* A window's rating tablet as the store keeps it: the hash of its secret (HALL_TABLET_HASH
 * hex digits, hall_tablet_hash). A window the configuration no longer has is skipped. */
void hall_load_tablet(hall_t *self, int counter, const char *secret_hash);
/* The hash a tablet's secret is kept and looked up by (BLAKE2b, 32 bytes, in hex). */
#define HALL_TABLET_HASH 64
void hall_tablet_hash(const char *secret, char out[HALL_TABLET_HASH + 1]);
/* The hash of a window's tablet's secret, "" when it has none. */
const char *hall_counter_tablet(const hall_t *self, int counter);
/* Restores the hall's appointment row (see hall_appointment_streak). */
void hall_load_appointment_streak(hall_t *self, int streak);
/* Restores a queue alert raised today, with the figure it was raised at (from the event log):
 * it is not raised again, and clears with its own event. */
void hall_load_alert(hall_t *self, char queue, hall_alert_kind_t kind, int64_t value_ms);
/* Restores one scope ("hall", "queue" or "counter", and its key) of the 10-minute alert raised
 * today (from the event log): it is not raised again. */
void hall_load_metric_alert(hall_t *self, const char *scope, const char *key);
/* Restores one of the day's latest calls (newest first, up to HALL_RECENT_CALLS), from the
 * event log. */
void hall_load_call(hall_t *self, const char *label, int counter, int64_t ts_ms, int recall,
                    int green);
/* Derives numbering, waiting lines and metrics from the loaded tickets. -1 out of memory. */
int hall_finish_load(hall_t *self, int64_t next_id, int64_t last_seq);

/* ---- actions ----
 * An action that runs out of memory (any allocation of its own, see hq_alloc) sets out->oom
 * and fails; its partial change must not be persisted. */
void hall_handle(hall_t *self, const hq_request_t *req, int64_t now_ms, hall_result_t *out);
/* Makes `day` the business day: open tickets of earlier days (waiting, called, parked,
 * no-show) expire; on a new day numbering and the day's metrics restart. Returns 1 when
 * anything changed (out filled), 0 otherwise; a day before the business day changes nothing
 * (the day never goes backwards). Also run after loading, for a daemon that was down over
 * midnight. */
int hall_rollover(hall_t *self, const char *day, int64_t now_ms, hall_result_t *out);
/* Forgets closed tickets of earlier days, which a fresh load would not bring back (after the
 * rollover, or a ticket kept over midnight finished, was persisted). Cheap when none. */
void hall_compact(hall_t *self);
/* The periodic metric entry: a metric event (hall_wire_metric_rows gives the rows to log), and
 * an alert event when the 10-minute alert changes: a scope (the hall, a queue, a window) whose
 * mean went above the target joins it, one whose mean is [alerts] handling_clear_s under the
 * target leaves it (hysteresis: no event while a mean stays between the two). */
void hall_metric_tick(hall_t *self, hall_result_t *out);

/* ---- reading ---- */
const char *hall_day(const hall_t *self);
int64_t hall_seq(const hall_t *self);
int64_t hall_next_seq(hall_t *self);
const hq_ticket_t *hall_ticket(const hall_t *self, int64_t id);
const hq_counter_t *hall_counter(const hall_t *self, int id);
int hall_counter_paused(const hall_t *self, int id);
size_t hall_ticket_count(const hall_t *self);
/* The i-th ticket in memory, in id order (i < hall_ticket_count). */
const hq_ticket_t *hall_ticket_at(const hall_t *self, size_t i);
/* Tickets waiting in a queue (all, or the green ones only): the size of its waiting lines. */
int hall_waiting(const hall_t *self, char queue, int green_only);
/* Green calls in a row, at any window, while normal tickets waited: call-next takes a normal
 * ticket once it reaches green_max_in_row. Persisted; 0 at the start of a business day. */
int hall_green_streak(const hall_t *self);
/* Appointment calls in a row, at any window, while walk-ins waited: call-next takes a walk-in
 * once it reaches [appointments] max_in_row. 0 at the start of a business day. */
int hall_appointment_streak(const hall_t *self);
/* The latest time the hall's memory records (a ticket's, a window's, a call's); 0 when none.
 * A restarted daemon's clock does not go back behind it (clock.h). */
int64_t hall_latest_ms(const hall_t *self);

#endif
