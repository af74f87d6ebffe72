/* Call-next scheduling: green lane first, bounded so normal tickets do not starve.
 * Pure: takes the waiting tickets and the counter's situation, returns the pick and why. */
#ifndef HALLQ_SCHED_H
#define HALLQ_SCHED_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    SCHED_NONE = 0,    /* nothing waiting in the counter's queues */
    SCHED_GREEN,       /* green lane goes first */
    SCHED_MAX_WAIT,    /* a normal ticket waited past the limit */
    SCHED_GREEN_LIMIT, /* N green in a row: a normal ticket's turn */
    SCHED_OLDEST       /* no green waiting: oldest first */
} sched_reason_t;

typedef struct {
    int64_t id; /* ticket id, the final tie-break */
    char queue; /* queue it waits in */
    int green;
    int64_t issued_ms; /* original issue time (kept across transfers) */
} sched_ticket_t;

typedef struct {
    int green_max_in_row;       /* N */
    int64_t normal_max_wait_ms; /* M */
} sched_rules_t;

typedef struct {
    int index; /* into the candidates array, -1 none */
    sched_reason_t reason;
    int green_streak;  /* the counter's streak after this pick */
    int64_t waited_ms; /* how long the picked ticket waited */
} sched_pick_t;

/* Picks among `n` waiting tickets for a counter serving `queues` (letters), whose current
 * green streak is `streak`. */
sched_pick_t sched_pick(const sched_ticket_t *tickets, int n, const char *queues, int streak,
                        const sched_rules_t *rules, int64_t now_ms);

/* One-line English reason, e.g. "green lane", "normal waited 31 min". */
void sched_reason_text(const sched_pick_t *pick, const sched_rules_t *rules, char *out,
                       size_t outlen);

#endif
