/* Wait estimates: how long a ticket will wait before a window calls it, from the hall's state.
 *
 * Two parts, both pure (values in, values out; the hall gathers them, hall_lines.c):
 *
 * - The model: what the day has taught about window time, the time a ticket holds a window
 *   from its call to its finish (the walk up included, time parked left out), per service,
 *   per queue and for the hall, each shrunk toward the next wider one, and all toward a prior
 *   before there is history (the previous business day's figures when the daemon saw it, else
 *   [rules] default_handling_min). Observations are clipped to a band around the estimate the
 *   day started with, so a few test transactions of seconds, or a citizen kept an hour, move
 *   it by little. It also keeps how fast tickets of each lane arrive, per queue, lately.
 *   Everything is a sum over the day's tickets, so reloading the day gives the same model
 *   whatever the order the tickets come back in.
 *
 * - The estimate: the time until a window takes the ticket, from the windows open for its
 *   queue (those busy, how long they have been, what their tickets usually take), the tickets
 *   ahead of it and what theirs take, and the lanes: tickets of a lane call-next prefers that
 *   arrive later pass it, within the bounds of the fair-lane rules; tickets of a later lane
 *   go first when a rule says so (green_max_in_row, normal_max_wait_min). The time to the
 *   first free window is taken between two textbook cases by how much window times vary:
 *   exponential ones (Whitt's queue-length predictor, (n + 1) / (c mu)) and fixed ones (the
 *   windows free up in turn). */
#ifndef HALLQ_ESTIMATE_H
#define HALLQ_ESTIMATE_H

#include <stdint.h>

#include "config.h"

/* The walk-in lanes a ticket can wait in, in the order call-next prefers them: a lane's tickets
 * go before those of the lanes after it, within the rules' bounds; the estimate walks the
 * list. Checked-in appointments go before both, within their own bound (est_appointments_t):
 * they arrive by their slots, not as a rate, so they are no lane of the model's. */
typedef enum {
    EST_GREEN,  /* the elderly green lane */
    EST_NORMAL, /* everyone else */
    EST_LANES
} est_lane_t;

/* ---- the model --------------------------------------------------------------------------- */
typedef struct est_model est_model_t;

/* A model for the hall's catalog, knowing nothing yet: every estimate is the prior
 * (cfg->default_handling_min). NULL out of memory. The configuration must outlive it. */
est_model_t *est_model_new(const hallq_config_t *cfg);
void est_model_destroy(est_model_t **self_p);
/* Makes dst what src is (both of the same configuration). */
void est_model_copy(est_model_t *dst, const est_model_t *src);
/* Forgets everything: the prior alone. */
void est_model_clear(est_model_t *self);
/* A new business day: what the earlier days taught becomes the prior, weighing as much as a
 * morning's tickets at most; today's arrivals join the typical day's and start again. */
void est_model_new_day(est_model_t *self);

/* The model's slot of a service number: services of the catalog the hall offers have one
 * each; a ticket with none (0) or one the hall does not offer gets est_model_slots()'s value,
 * the "no service" slot. Slots number the lines' counts (hall_lines.c). */
int est_model_slot(const est_model_t *self, int service);
int est_model_slots(const est_model_t *self); /* the "no service" slot; slots are 0 .. it */

/* A ticket held a window this long (its call to its finish, time parked left out). */
void est_observe_window_time(est_model_t *self, char queue, int slot, int64_t ms);
/* A ticket called held the window this long before it was marked no-show (times 1), or the
 * no-show is undone: it was reactivated (times -1, with the same ms). */
void est_observe_no_show(est_model_t *self, int64_t ms, int times);
/* A ticket of this lane was issued in this queue at this time. */
void est_observe_arrival(est_model_t *self, char queue, est_lane_t lane, int64_t at_ms);

/* The expected window time of a call of a ticket of that queue and slot, in ms (never below
 * 1 s): its finished tickets', and no-shows' as often as calls end in one. */
double est_window_ms(const est_model_t *self, char queue, int slot);
/* How much window times vary: their squared coefficient of variation, around their service's
 * mean (0 all alike, 1 as much as exponential ones; at most 1.5). */
double est_variation(const est_model_t *self);
/* How many tickets of each lane to expect in the queues of a mask (bit q - 'A') soon: made
 * once for a moment (est_forecast_init), asked for spans after it (est_forecast). With earlier
 * days seen, a typical day's arrivals (theirs, exponentially weighted) by 10 minutes of the
 * clock, scaled by how busy today has been against it; before, the rate of all lanes of about
 * the last 20 minutes. Either times the lane's share of the tickets. */
typedef struct {
    const est_model_t *model;
    int64_t now_ms;
    double level;            /* today against a typical day */
    double share[EST_LANES]; /* each lane's share */
    double rate[EST_LANES];  /* per ms, without a typical day */
} est_forecast_t;

void est_forecast_init(est_forecast_t *f, const est_model_t *self, uint32_t queues, int64_t now_ms);
/* Tickets of the lane expected from the forecast's moment to within_ms after it. */
double est_forecast(const est_forecast_t *f, est_lane_t lane, double within_ms);
/* The expected window time of a ticket of the lane in those queues: each queue's, weighed by
 * the lane's tickets there today (evenly before any). */
double est_lane_window_ms(const est_model_t *self, uint32_t queues, est_lane_t lane);

/* ---- the estimate ------------------------------------------------------------------------ */
/* A window busy with a ticket. */
typedef struct {
    double elapsed_ms; /* since the window took it */
    double mean_ms;    /* expected window time of that ticket */
} est_busy_t;

/* A lane as the ticket sees it, at the windows that serve its queue (and every queue those
 * windows serve). */
typedef struct {
    int waiting;       /* tickets of the lane waiting there */
    double waiting_ms; /* their expected window time, summed */
    int ahead;         /* of them, ahead of the ticket in the scheduler's order: all of a lane
                          before its own, those issued before it in its own, none after */
    double ahead_ms;   /* their expected window time, summed */
    const est_forecast_t *arrivals; /* tickets of the lane expected there; NULL: ... */
    double rate_per_ms;             /* ... this many per ms */
    double mean_ms;                 /* expected window time of one ticket of the lane */
    double oldest_ms;               /* how long its oldest waiting ticket has waited (0 none) */
    int max_in_row;     /* the lane is called at most this many times in a row while a later
                           lane waits (green_max_in_row); 0 no bound */
    double max_wait_ms; /* a ticket of the lane waiting this long goes before every earlier
                           lane (normal_max_wait_min); 0 no such rule */
    double (*aged)(const void *ctx, double age_ms); /* its waiting tickets that have waited at
                                                        least age_ms, NULL: count none */
    const void *aged_ctx;
} est_lane_load_t;

/* The checked-in appointments at the windows the ticket's queue has (sched.h: one whose slot
 * has begun goes before every walk-in but one past max_wait, at most max_in_row in a row while
 * walk-ins wait). For a walk-in all of them count; for an appointment those before it in the
 * scheduler's order (by slot). */
typedef struct {
    int due;             /* of them, slots begun */
    double due_ms;       /* their expected window time, summed */
    int later;           /* of them, slots still to begin: ... */
    const double *in_ms; /* ... in later[i] ms from now, ascending */
    double mean_ms;      /* expected window time of one */
    int max_in_row;      /* [appointments] max_in_row, 0 no bound */
    int row;             /* the hall's appointment calls in a row so far while walk-ins waited */
} est_appointments_t;

typedef struct {
    est_lane_t lane; /* the ticket's (an appointment: ignored, see `appointment`) */
    int open;        /* windows open for its queue (logged in, not paused) */
    int idle;        /* of them, nobody at the window */
    int nbusy;       /* of them with a ticket: busy[0 .. nbusy); any other window counts as
                        one that just took a ticket of the ticket's lane */
    const est_busy_t *busy;
    double variation; /* est_variation */
    int row;          /* calls of the first lane in a row so far while a later lane waited
                         (the hall's green streak) */
    est_lane_load_t lanes[EST_LANES];
    est_appointments_t appts;
    int appointment;   /* the ticket is a checked-in appointment: appts holds those before it */
    double slot_in_ms; /* ... and its slot begins this long from now (0 begun) */
} est_input_t;

/* The expected wait in ms from now until a window calls the ticket; 0 when a window is free
 * for it. (With no window open for its queue the hall passes those that serve it, none idle
 * or busy: as if they all just took a ticket.)
 *
 * A walk-in: the appointments go first that are due by its call (begun now, or beginning
 * while it waits and before a normal ticket passes max_wait), at most max_in_row for each
 * walk-in call before its own and its own, less the row so far. An appointment: those before
 * it, walk-ins past max_wait, and one walk-in after every max_in_row appointment calls; not
 * before its slot begins, and then when a window frees, as the walk-ins keep the windows busy
 * until then. */
int64_t est_wait_ms(const est_input_t *in);

#endif
