/* The hall's state, for the files that make up the hall (hall*.c) and its wire forms
 * (hall_wire*.c). The rest of the daemon uses hall.h. */
#ifndef HALLQ_HALL_INT_H
#define HALLQ_HALL_INT_H

#include "booking.h"
#include "estimate.h"
#include "hall.h"
#include "hq_strmap.h"
#include "sched.h"
#include "webtoken.h"

#include <sodium.h>

/* One queue's alert of one kind (hall_alerts.c). */
typedef struct {
    int raised;            /* raised and not cleared */
    int64_t holding_since; /* not raised: since when the condition to raise it has held, 0 not */
    int64_t value_ms;      /* the figure when it last changed */
} hall_alert_state_t;

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
    /* Its rating tablet: the one-time code a pair request showed (valid until pair_until),
     * and the hash of the secret of the tablet that claimed it ("" none), kept in the store
     * too. */
    char pair_code[8];
    int64_t pair_until;
    char tablet[HALL_TABLET_HASH + 1];
    int tablet_only; /* [counter N] tablet = yes */
} hall_counter_t;

struct hall {
    const hallq_config_t *cfg; /* not owned */
    char day[11];              /* business day "YYYY-MM-DD" */
    /* The local midnight that began midnight_day: asked at every issue, and mktime reads the
     * time zone again on every call. */
    char midnight_day[11];
    int64_t midnight_ms;
    int64_t next_id;      /* id of the next ticket */
    int64_t seq;          /* last event sequence number handed out */
    hq_ticket_t *tickets; /* today's tickets (and older ones still being served) */
    size_t ntickets, cap;
    int next_number[HQ_QUEUES_MAX]; /* by prefix - 'A' */
    hall_counter_t *counters;       /* one per configured counter, in config order */
    int ncounters;
    metric_acc_t metric_hall;
    metric_acc_t metric_queue[HQ_QUEUES_MAX];
    int64_t wait_sum_ms; /* called tickets today: their total wait */
    int64_t wait_count;
    hq_strmap_t *tokens;    /* today's kiosk tokens -> ticket id; NULL until the first */
    const roster_t *roster; /* the clerk roster, NULL none (not owned) */
    /* The key of the tickets' web tokens (webtoken.h); has_web_key 0: none yet, so no issue
     * reply carries a web token and every track request is refused. */
    uint8_t web_key[WEBTOKEN_KEY_BYTES];
    int has_web_key;
    /* Today's web tokens by a keyed hash of each (hall_web_find) -> ticket id, for the
     * tickets up to id web_indexed; NULL until a track request asks, and again after a
     * reset, a rollover or a new key. */
    hq_strmap_t *web_tokens;
    int64_t web_indexed;
    uint8_t web_hash_key[crypto_shorthash_KEYBYTES]; /* this run's own, never stored */
    /* Who waits: the waiting tickets by queue - 'A' and class (1 green), in the scheduler's
     * order. The one record of it: the waiting counts are the lines' sizes. */
    sched_line_t lines[HQ_QUEUES_MAX][2];
    /* Checked-in appointments waiting, by queue, in slot order (sched_before). The wait
     * estimate does not count them (a walk-in's estimate leaves them out). */
    sched_line_t appt_lines[HQ_QUEUES_MAX];
    /* The same lines counted by service: line_slots[(q * 2 + green) * (slots + 1) + slot]
     * tickets of each of the wait estimate's service slots (est_model_slot), so the window
     * time of everyone ahead is a sum over services, not over tickets. */
    uint32_t *line_slots;
    uint64_t line_used[HQ_QUEUES_MAX][2]; /* bit s: the line counts any of slot s (s < 64) */
    /* The wait estimate's model of window times and arrivals (estimate.h): est as the day's
     * tickets made it; est_day as the business day est_day_of began, what a reload of that
     * day starts from before it adds the day's tickets again. */
    est_model_t *est, *est_day;
    char est_day_of[11];
    int compact_due; /* a ticket of an earlier day was closed: hall_compact has work */
    /* Green calls in a row, at any window, while normal tickets waited (green_max_in_row
     * bounds it): the hall's, not a window's. */
    int green_streak;
    /* Appointment calls in a row while walk-ins waited ([appointments] max_in_row bounds it);
     * 0 at the start of a business day and after a restart (not persisted). */
    int appt_streak;
    /* Each queue's alerts, by queue - 'A' and kind: raised, and since when the condition to
     * raise it has held (0 not holding). */
    hall_alert_state_t alerts[HQ_QUEUES_MAX][HALL_ALERT_KINDS];
    /* The 10-minute alert: each metric scope in it, in hall_scopes' order (raised above the
     * handling target, left once the mean is handling_clear_s under it). */
    unsigned char metric_alert[1 + HQ_QUEUES_MAX + CFG_COUNTERS_MAX];
    /* Bookings of today and the days after (and of earlier days changed since the start),
     * in id order; the salt their person hashes are made with (the store's). */
    hq_booking_t *bookings;
    size_t nbookings, bookings_cap;
    int64_t next_booking_id;
    char booking_salt[BOOKING_SALT_LEN + 1];
    /* The business day's latest calls and recalls, newest first, each as its event said it:
     * what a Clone mirror builds from the events (a recall is a second entry; a later
     * reactivate, transfer or unpark does not rewrite history). From the event log at load. */
    hall_call_t calls[HALL_RECENT_CALLS];
    int ncalls;
};

/* ---- results (hall.c): what an action did ---- */
/* An event happened; its fields are the result's. */
void hall_event(hall_result_t *r, hq_event_type_t type);
/* The waiting counts ride on the latest event made. */
void hall_attach_counts(hall_result_t *r);
/* A ticket to persist; `unique` when the caller knows it is not listed yet. */
void hall_touch_ticket(hall_result_t *r, int64_t id, int unique);
void hall_touch_counter(hall_result_t *r, int id);
/* The action is refused: nothing changed. */
void hall_fail(hall_result_t *r, hq_error_code_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The action makes no sense now (bad_state): `detail` says which case, for clients to put in
 * their own words (a string constant, PROTOCOL.md lists them); the message for people. */
void hall_refuse(hall_result_t *r, const char *detail, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Memory ran out while the action ran (see hall_result_t.oom). */
void hall_out_of_memory(hall_result_t *r);

/* ---- state (hall.c) ---- */
/* The ticket with that id, NULL when not in memory (a binary search). */
hq_ticket_t *hall_find_ticket(const hall_t *self, int64_t id);
/* The counter with that id, NULL when the hall has none. */
hall_counter_t *hall_find_counter(const hall_t *self, int id);
/* Adds a ticket after the others (ids only grow); NULL out of memory. */
hq_ticket_t *hall_append_ticket(hall_t *self, const hq_ticket_t *t);
/* The counter's state follows from its ticket or pause; persisted with r. */
void hall_counter_changed(hall_t *self, hall_counter_t *c, int64_t now, hall_result_t *r);
/* Today's ticket issued with that kiosk token (by whichever device: the caller compares
 * the ticket's device). hall_token_add: -1 out of memory. */
int hall_token_add(hall_t *self, const hq_ticket_t *t);
const hq_ticket_t *hall_token_find(const hall_t *self, const char *token);
/* Forgets the kiosk tokens and the web tokens' index (a reset, a new day). */
void hall_token_clear(hall_t *self);
/* Today's ticket with that web token, NULL none. Each question first indexes the tickets
 * issued since the one before, so an issue itself computes nothing for it. */
const hq_ticket_t *hall_web_find(hall_t *self, const char *token);
/* A call or recall happened: it goes on top of the recent calls. */
void hall_remember_call(hall_t *self, const hq_ticket_t *t, int recall, int64_t now);
int hall_is_today(const hall_t *self, const hq_ticket_t *t);
/* A ticket was finished / first called: the day's figures count it. */
void hall_count_finished(hall_t *self, const hq_ticket_t *t);
void hall_count_called(hall_t *self, const hq_ticket_t *t);
/* ---- appointments (hall_booking.c) ---- */
/* The booking with that id, NULL none. */
hq_booking_t *hall_find_booking(const hall_t *self, int64_t id);
/* A booking to persist. */
void hall_touch_booking(hall_result_t *r, int64_t id);
/* The handlers of book, cancel and check_in (the request table's rows). */
void hall_book(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);
/* slots: the request's template and day are checked; the reply lists the slots (hall_wire). */
void hall_slots(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);
/* booking: the booking its code names (and its ID number, when sent) as r->booking. */
void hall_booking_lookup(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);
/* The bookings template tpl gave the slot at `minute` of `day` that still hold a place. */
int hall_slot_taken(const hall_t *self, const cfg_slots_t *tpl, const char *day, int minute);
void hall_cancel(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);
void hall_check_in(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);
/* The calendar's and the quota's say on a ticket of queue q now (config_issue_check): 0 (and
 * t->extended set in an extended period), or -1 with r refused with the code of its case. */
int hall_issuing(hall_t *self, const cfg_queue_t *q, int green, int issued, int64_t now,
                 hq_ticket_t *t, hall_result_t *r);
/* A new ticket of queue q (and service, 0 none), issued now (hall_actions.c): NULL with r
 * failed. slot_ms 0 for a walk-in. */
hq_ticket_t *hall_new_ticket(hall_t *self, const hq_request_t *req, char queue, int service,
                             int green, const char *age_band, int64_t slot_ms, int extended,
                             int64_t now, hall_result_t *r);
/* ---- what the actions share (hall_actions.c) ---- */
/* Where a request came from, for the log. */
void hall_where(const hq_request_t *req, char *out, size_t outlen);
/* A staff member's name and PIN on a request, checked by the roster: 0 none or right ones,
 * -1 with r failed (and noted for the log). */
int hall_staff_check(const hall_t *self, const hq_request_t *req, const char *what,
                     hall_result_t *r);
/* The counter the request names, open for business; NULL with r failed. */
hall_counter_t *hall_open_counter(hall_t *self, const hq_request_t *req, hall_result_t *r);
/* The counter may take a new ticket: 1, or 0 with r refused. */
int hall_counter_free(hall_t *self, hall_counter_t *c, hall_result_t *r);
/* Today's ticket the request names, in state `want`, that its sender may act on. */
hq_ticket_t *hall_named(hall_t *self, const hq_request_t *req, hq_ticket_state_t want,
                        hall_result_t *r);
/* A finished ticket's one rating, from its window or its window's tablet. */
void hall_rate_ticket(hall_t *self, hq_ticket_t *t, int rating, int64_t now, hall_result_t *r);
/* ---- a window's and its devices' actions (hall_windows.c): the request table's rows ---- */
void hall_pause(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);
void hall_resume(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);
void hall_login(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);
void hall_logout(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);
void hall_staff(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);
void hall_track(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);
void hall_pair(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);
void hall_claim(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);
void hall_tablet_rate(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);

/* Open: waiting, at a window, parked or a no-show (what a snapshot lists). */
int hall_active(hq_ticket_state_t s);
/* The day's average wait of called tickets so far, 0 before the first call. */
int64_t hall_avg_wait_ms(const hall_t *self);

/* ---- waiting lines (hall_lines.c) ---- */
void hall_lines_clear(hall_t *self);
/* A ticket that entered the waiting state joins its line; -1 out of memory (then it is not
 * in line and the action must fail). */
int hall_join_line(hall_t *self, const hq_ticket_t *t);
/* A waiting ticket leaves its line (before its state changes). */
void hall_leave_line(hall_t *self, const hq_ticket_t *t);
/* The front of each line of `queues` (green, normal and appointments): what call-next
 * compares. Returns how many (at most 3 * HQ_QUEUES_MAX). */
int hall_line_fronts(const hall_t *self, const char *queues, sched_ticket_t *out);
/* A waiting ticket's place (people the scheduler takes first) and its expected wait from now
 * (estimate.h), for the issue reply and event. */
void hall_estimate(const hall_t *self, const hq_ticket_t *t, int64_t now, int *ahead,
                   int64_t *wait_ms);
/* The same for every waiting ticket at once, in one walk (the snapshot): ahead[i] and
 * wait_ms[i] for the i-th ticket in memory (hall_ticket_at), 0 for one not waiting. -1 out of
 * memory (counted by hq_alloc). */
int hall_estimate_waiting(const hall_t *self, int64_t now, int *ahead, int64_t *wait_ms);

/* ---- what the wait estimate learns (hall_lines.c) ---- */
/* The time a ticket held its window: its call (the first, unless it was transferred) to its
 * finish, or to now while it is at the window; time parked left out. */
int64_t hall_window_time(const hq_ticket_t *t, int64_t end_ms);
/* A ticket of today was issued; it left its window finished or a no-show (any other state
 * is nothing to learn): the model learns it. */
void hall_learn_issued(hall_t *self, const hq_ticket_t *t);
void hall_learn_outcome(hall_t *self, const hq_ticket_t *t);
/* A no-show is reactivated (call it before it changes): the model forgets that no-show, which a
 * reload of the day would not see either. */
void hall_unlearn_no_show(hall_t *self, const hq_ticket_t *t);

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
