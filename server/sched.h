/* Call-next scheduling over three classes: checked-in appointments, the elderly green lane and
 * the other walk-ins. Pure: takes the waiting tickets and the counter's situation, returns the
 * pick and why.
 *
 * The precedence, stated here once (PROTOCOL.md says the same):
 *   1. max_wait: a normal walk-in that has waited normal_max_wait_min or longer;
 *   2. appointment: the checked-in appointment with the earliest slot, once its slot has
 *      begun, unless appointment_max_in_row appointments were called in a row while walk-ins
 *      waited (then appointment_limit: the walk-ins' turn, by the rules below);
 *   3. green_lane: the oldest green ticket, unless green_max_in_row green calls in a row kept
 *      a normal ticket waiting (then green_limit: the oldest normal ticket);
 *   4. oldest: the oldest normal ticket; an appointment whose slot has not begun yet goes
 *      when no walk-in waits (oldest too). */
#ifndef HALLQ_SCHED_H
#define HALLQ_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "hq_proto.h"

/* Why a ticket is picked. The values are the wire's reason codes (hq_reason_t, PROTOCOL.md):
 * the ticket carries the code, so clients translate it instead of parsing the English. */
typedef enum {
    SCHED_NONE = HQ_REASON_NONE,               /* nothing waiting in the counter's queues */
    SCHED_GREEN = HQ_REASON_GREEN_LANE,        /* green lane goes first */
    SCHED_MAX_WAIT = HQ_REASON_MAX_WAIT,       /* a normal ticket waited past the limit */
    SCHED_GREEN_LIMIT = HQ_REASON_GREEN_LIMIT, /* N green in a row: a normal ticket's turn */
    SCHED_OLDEST = HQ_REASON_OLDEST,           /* no green waiting: oldest first */
    SCHED_APPOINTMENT = HQ_REASON_APPOINTMENT, /* an appointment whose slot has begun */
    SCHED_APPOINTMENT_LIMIT = HQ_REASON_APPOINTMENT_LIMIT /* K in a row: a walk-in's turn */
} sched_reason_t;

typedef struct {
    int64_t id; /* ticket id: its place in issue order, the scheduler's order */
    char queue; /* queue it waits in */
    int green;
    int64_t
        issued_ms;   /* original issue time (kept across transfers): for the wait, not the order */
    int64_t slot_ms; /* a checked-in appointment: its slot's start; 0 a walk-in */
} sched_ticket_t;

typedef struct {
    int green_max_in_row;       /* N */
    int64_t normal_max_wait_ms; /* M */
    int appointment_max_in_row; /* K */
} sched_rules_t;

/* The hall's rows the bounds count: green calls in a row while normal tickets waited,
 * appointment calls in a row while walk-ins waited. */
typedef struct {
    int green;
    int appointment;
} sched_streaks_t;

typedef struct {
    int index; /* into the candidates array, -1 none */
    sched_reason_t reason;
    sched_streaks_t streaks; /* the hall's rows after this pick */
    int64_t waited_ms;       /* how long the picked ticket waited; never negative */
} sched_pick_t;

/* Picks among `n` waiting tickets for a counter serving `queues` (letters), by the precedence
 * above. `streaks` are the hall's rows, counted at any window (the bounds protect the
 * citizens waiting, whichever window calls). The green row: a normal pick ends it; a green
 * pick adds one when a normal ticket of these queues waits, and leaves it when none does. The
 * appointment row: a walk-in pick ends it; an appointment pick adds one when a walk-in of
 * these queues waits, and leaves it when none does. */
sched_pick_t sched_pick(const sched_ticket_t *tickets, int n, const char *queues,
                        sched_streaks_t streaks, const sched_rules_t *rules, int64_t now_ms);

/* Whether `a` comes before `b` in the scheduler's order: two appointments by slot, then
 * issued first, which is the lower id. Never the issue times: a wall clock stepped back would
 * put a later arrival first. */
int sched_before(const sched_ticket_t *a, const sched_ticket_t *b);

/* The waiting tickets of one queue and one class (green or normal), in the scheduler's order.
 * A new ticket joins at the end and a call takes the front, both without moving the rest; a
 * transfer or a reactivation joins at its place in issue order. The hall keeps one line per
 * queue and class, so call-next compares the fronts only, however many are waiting. */
typedef struct {
    sched_ticket_t *v;
    size_t head, end, cap; /* the line is v[head..end) */
} sched_line_t;

/* 0, or -1 when out of memory (the line is unchanged). A ticket already in it is not added
 * twice. The line's memory comes from hq_alloc, so a fault test can fail it. */
int sched_line_add(sched_line_t *l, const sched_ticket_t *t);
/* 0, or -1 when the ticket (same id) is not in the line. */
int sched_line_remove(sched_line_t *l, const sched_ticket_t *t);
/* The oldest, NULL when empty. */
const sched_ticket_t *sched_line_first(const sched_line_t *l);
size_t sched_line_size(const sched_line_t *l);
void sched_line_clear(sched_line_t *l); /* empty, memory kept */
void sched_line_free(sched_line_t *l);

/* Writes the pick's one-line English reason, e.g. "green lane", "normal waited 31 min", and
 * returns its code. */
hq_reason_t sched_reason_text(const sched_pick_t *pick, const sched_rules_t *rules, char *out,
                              size_t outlen);
/* The same for a ticket the clerk called by its number: "chosen by clerk". */
hq_reason_t sched_reason_chosen(char *out, size_t outlen);

#endif
