/* The waiting lines (who waits, one line per queue and class), the counts they give, the
 * fronts call-next compares, and the place and wait estimate of a waiting ticket (the
 * estimate itself is estimate_wait.c's: here the hall's state is gathered for it). */
#include "hall_int.h"

#include "hq_alloc.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static sched_ticket_t s_sched_ticket(const hq_ticket_t *t)
{
    return (sched_ticket_t){t->id, t->queue, t->green != 0, t->issued_ms, t->slot_ms};
}

/* The line a ticket waits in, NULL when it is not waiting (or has no valid queue). A
 * checked-in appointment waits in its queue's appointment line. */
static sched_line_t *s_line_of(hall_t *self, const hq_ticket_t *t)
{
    if (t->state != HQ_T_WAITING || t->queue < 'A' || t->queue > 'Z')
        return NULL;
    if (t->slot_ms)
        return &self->appt_lines[t->queue - 'A'];
    return &self->lines[t->queue - 'A'][t->green != 0];
}

/* Service slots of the lines' counts: the model's, and one for tickets without a service. */
static size_t s_slots(const hall_t *self)
{
    return (size_t)est_model_slots(self->est) + 1;
}

/* The counts by service slot of the line of queue index q and class g. */
static uint32_t *s_counts(const hall_t *self, int q, int g)
{
    return self->line_slots + ((size_t)q * 2 + (size_t)g) * s_slots(self);
}

void hall_lines_clear(hall_t *self)
{
    for (int q = 0; q < HQ_QUEUES_MAX; q++) {
        for (int g = 0; g < 2; g++)
            sched_line_clear(&self->lines[q][g]);
        sched_line_clear(&self->appt_lines[q]);
    }
    memset(self->line_slots, 0, HQ_QUEUES_MAX * 2 * s_slots(self) * sizeof *self->line_slots);
    memset(self->line_used, 0, sizeof self->line_used);
}

/* A ticket that entered the waiting state joins its line. -1 out of memory: it is not in
 * line, and the action that made it wait must fail. */
int hall_join_line(hall_t *self, const hq_ticket_t *t)
{
    sched_line_t *line = s_line_of(self, t);
    if (!line)
        return 0;
    sched_ticket_t st = s_sched_ticket(t);
    size_t before = sched_line_size(line);
    if (sched_line_add(line, &st) != 0)
        return -1;
    if (sched_line_size(line) > before && !t->slot_ms) { /* not in line already */
        int q = t->queue - 'A', g = t->green != 0, slot = est_model_slot(self->est, t->service);
        s_counts(self, q, g)[slot]++;
        if (slot < 64)
            self->line_used[q][g] |= 1ull << slot;
    }
    return 0;
}

/* A waiting ticket leaves its line (call it before its state changes). */
void hall_leave_line(hall_t *self, const hq_ticket_t *t)
{
    sched_line_t *line = s_line_of(self, t);
    sched_ticket_t st = s_sched_ticket(t);
    int rc = line ? sched_line_remove(line, &st) : 0;
    assert(rc == 0); /* every waiting ticket is in its line */
    if (line && rc == 0 && !t->slot_ms) {
        int q = t->queue - 'A', g = t->green != 0, slot = est_model_slot(self->est, t->service);
        if (--s_counts(self, q, g)[slot] == 0 && slot < 64)
            self->line_used[q][g] &= ~(1ull << slot);
    }
}

/* Tickets waiting in queue index q (prefix - 'A'): all of them, or the green ones. */
static int s_waiting(const hall_t *self, int q, int green_only)
{
    size_t n = sched_line_size(&self->lines[q][1]);
    if (!green_only)
        n += sched_line_size(&self->lines[q][0]) + sched_line_size(&self->appt_lines[q]);
    return (int)n;
}

int hall_waiting(const hall_t *self, char queue, int green_only)
{
    return queue >= 'A' && queue <= 'Z' ? s_waiting(self, queue - 'A', green_only) : 0;
}

int hall_line_fronts(const hall_t *self, const char *queues, sched_ticket_t *out)
{
    int n = 0;
    for (const char *q = queues; *q >= 'A' && *q <= 'Z'; q++) {
        for (int g = 0; g < 2; g++) {
            const sched_ticket_t *f = sched_line_first(&self->lines[*q - 'A'][g]);
            if (f)
                out[n++] = *f;
        }
        const sched_ticket_t *f = sched_line_first(&self->appt_lines[*q - 'A']);
        if (f)
            out[n++] = *f;
    }
    return n;
}

/* ---- what the estimate learns ---------------------------------------------------------- */
int64_t hall_window_time(const hq_ticket_t *t, int64_t end_ms)
{
    /* A recall moves last_called_ms on, but the window was taken at the first call; after a
     * transfer the first call was at another window. */
    int64_t from = t->transfers == 0 && t->called_ms ? t->called_ms
                   : t->last_called_ms               ? t->last_called_ms
                                                     : t->started_ms;
    int64_t ms = from ? end_ms - from - t->park_total_ms : 0;
    return ms > 0 ? ms : 0;
}

void hall_learn_issued(hall_t *self, const hq_ticket_t *t)
{
    if (hall_is_today(self, t))
        est_observe_arrival(self->est, t->prefix, t->green ? EST_GREEN : EST_NORMAL, t->issued_ms);
}

/* A no-show's window time: the ticket keeps its calls, not when it was marked, so the last
 * wait for the citizen is taken to be as long as the ones between the calls were. */
static int64_t s_no_show_time(const hq_ticket_t *t)
{
    return hall_window_time(t, t->last_called_ms) * t->calls / (t->calls - 1);
}

void hall_learn_outcome(hall_t *self, const hq_ticket_t *t)
{
    if (!hall_is_today(self, t))
        return;
    if (t->state == HQ_T_FINISHED)
        est_observe_window_time(self->est, t->queue, est_model_slot(self->est, t->service),
                                hall_window_time(t, t->finished_ms));
    else if (t->state == HQ_T_NO_SHOW && t->calls > 1)
        est_observe_no_show(self->est, s_no_show_time(t), 1);
}

void hall_unlearn_no_show(hall_t *self, const hq_ticket_t *t)
{
    if (hall_is_today(self, t) && t->state == HQ_T_NO_SHOW && t->calls > 1)
        est_observe_no_show(self->est, s_no_show_time(t), -1);
}

/* ---- estimates ------------------------------------------------------------------------------ */
#define S_APPTS_MAX 256 /* checked-in appointments an estimate looks at, earliest slots first */
/* Everything the estimate of a ticket of one queue needs but its own place: the windows that
 * serve the queue, and each lane at them (every queue those windows serve). */
typedef struct {
    const hall_t *hall;
    int64_t now;
    uint32_t served; /* bit q - 'A': a queue some window serving this one serves */
    int open, idle, nbusy;
    est_busy_t busy[CFG_COUNTERS_MAX];
    est_lane_load_t lanes[EST_LANES];
    est_forecast_t coming; /* arrivals at those windows */
    /* The checked-in appointments at those windows in the scheduler's order (by slot), the
     * first S_APPTS_MAX of them: their ids, expected window times, and how long until their
     * slots begin (0 begun: the first ndue). */
    int nappts, ndue;
    int64_t appt_id[S_APPTS_MAX];
    double appt_ms[S_APPTS_MAX], appt_in[S_APPTS_MAX];
    double appt_mean; /* their mean window time (the normal lane's when there are none) */
} s_context_t;

static est_lane_t s_lane(const hq_ticket_t *t)
{
    return t->green ? EST_GREEN : EST_NORMAL;
}

static int s_class(est_lane_t lane)
{
    return lane == EST_GREEN; /* the hall's lines: [queue][1] green, [queue][0] normal */
}

/* Normal tickets waiting at the context's windows that have waited age_ms or longer: the ones
 * the max-wait rule puts first. Each line is in issue order, so a binary search each. */
static double s_aged(const void *ctx, double age_ms)
{
    const s_context_t *x = ctx;
    double before = (double)x->now - (age_ms > 0 ? age_ms : 0);
    double n = 0;
    for (int q = 0; q < HQ_QUEUES_MAX; q++) {
        if (!(x->served >> q & 1u))
            continue;
        const sched_line_t *l = &x->hall->lines[q][0];
        size_t lo = l->head, hi = l->end;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if ((double)l->v[mid].issued_ms <= before)
                lo = mid + 1;
            else
                hi = mid;
        }
        n += (double)(lo - l->head);
    }
    return n;
}

static int s_cmp_sched(const void *a, const void *b)
{
    const sched_ticket_t *x = a, *y = b;
    return sched_before(x, y) ? -1 : sched_before(y, x) ? 1 : 0;
}

/* The context's appointments: every appointment line of the queues its windows serve, merged
 * in the scheduler's order. */
static void s_context_appointments(const hall_t *self, s_context_t *x)
{
    sched_ticket_t all[S_APPTS_MAX];
    int n = 0;
    for (int q = 0; q < HQ_QUEUES_MAX; q++) {
        const sched_line_t *l = &self->appt_lines[q];
        for (size_t i = l->head; (x->served >> q & 1u) && i < l->end; i++) {
            if (n < S_APPTS_MAX)
                all[n++] = l->v[i];
            else if (sched_before(&l->v[i], &all[S_APPTS_MAX - 1]))
                all[S_APPTS_MAX - 1] = l->v[i]; /* keeps the earliest; sorted below */
            if (n == S_APPTS_MAX)
                qsort(all, (size_t)n, sizeof all[0], s_cmp_sched);
        }
    }
    qsort(all, (size_t)n, sizeof all[0], s_cmp_sched);
    const est_model_t *m = self->est;
    double sum = 0;
    x->nappts = n;
    x->ndue = 0;
    for (int i = 0; i < n; i++) {
        const hq_ticket_t *t = hall_find_ticket(self, all[i].id);
        x->appt_id[i] = all[i].id;
        x->appt_ms[i] = t ? est_window_ms(m, t->queue, est_model_slot(m, t->service))
                          : est_window_ms(m, all[i].queue, est_model_slots(m));
        x->appt_in[i] = all[i].slot_ms > x->now ? (double)(all[i].slot_ms - x->now) : 0;
        x->ndue += x->appt_in[i] == 0;
        sum += x->appt_ms[i];
    }
    x->appt_mean = n ? sum / n : est_lane_window_ms(m, x->served, EST_NORMAL);
}

/* The first `before` of the context's appointments as the estimate takes them. */
static void s_appointments(const hall_t *self, const s_context_t *x, int before,
                           est_appointments_t *a)
{
    memset(a, 0, sizeof *a);
    a->due = before < x->ndue ? before : x->ndue;
    a->later = before - a->due;
    for (int i = 0; i < before; i++)
        *(i < a->due ? &a->due_ms : &a->mean_ms) += x->appt_ms[i];
    a->mean_ms = a->later > 0 ? a->mean_ms / a->later : x->appt_mean;
    a->in_ms = x->appt_in + a->due;
    a->max_in_row = self->cfg->appointments.max_in_row;
    a->row = self->appt_streak;
}

static void s_context(const hall_t *self, char queue, int64_t now, s_context_t *x)
{
    memset(x, 0, sizeof *x);
    x->hall = self;
    x->now = now;
    const est_model_t *m = self->est;
    int configured = 0;
    for (int i = 0; i < self->ncounters; i++) {
        const hall_counter_t *c = &self->counters[i];
        if (!strchr(c->pub.queues, queue))
            continue;
        configured++;
        for (const char *q = c->pub.queues; *q; q++)
            x->served |= 1u << (*q - 'A');
        if (c->pub.state == HQ_C_CLOSED || c->pub.state == HQ_C_PAUSED)
            continue;
        x->open++;
        const hq_ticket_t *t = c->pub.current ? hall_find_ticket(self, c->pub.current) : NULL;
        if (t && (t->state == HQ_T_CALLED || t->state == HQ_T_SERVING)) {
            x->busy[x->nbusy++] =
                (est_busy_t){(double)hall_window_time(t, now),
                             est_window_ms(m, t->queue, est_model_slot(m, t->service))};
        } else {
            x->idle++;
        }
    }
    if (x->open == 0)
        x->open = configured; /* none open yet: as if they all just took a ticket */
    size_t slots = s_slots(self);
    for (int q = 0; q < HQ_QUEUES_MAX; q++) {
        if (!(x->served >> q & 1u))
            continue;
        char letter = (char)('A' + q);
        for (int l = 0; l < EST_LANES; l++) {
            est_lane_load_t *load = &x->lanes[l];
            int g = s_class((est_lane_t)l);
            const uint32_t *counts = s_counts(self, q, g);
            if (slots <= 64) { /* the slots the line has tickets of, by their bits */
                for (uint64_t used = self->line_used[q][g]; used; used &= used - 1) {
                    int s = __builtin_ctzll(used);
                    load->waiting_ms += counts[s] * est_window_ms(m, letter, s);
                }
            } else {
                for (size_t s = 0; s < slots; s++)
                    if (counts[s])
                        load->waiting_ms += counts[s] * est_window_ms(m, letter, (int)s);
            }
            const sched_line_t *line = &self->lines[q][s_class((est_lane_t)l)];
            load->waiting += (int)sched_line_size(line);
            const sched_ticket_t *front = sched_line_first(line);
            if (front && (double)(now - front->issued_ms) > load->oldest_ms)
                load->oldest_ms = (double)(now - front->issued_ms);
        }
    }
    est_forecast_init(&x->coming, m, x->served, now);
    for (int l = 0; l < EST_LANES; l++) {
        x->lanes[l].mean_ms = est_lane_window_ms(m, x->served, (est_lane_t)l);
        x->lanes[l].arrivals = &x->coming;
    }
    s_context_appointments(self, x);
    x->lanes[EST_GREEN].max_in_row = self->cfg->green_max_in_row;
    x->lanes[EST_NORMAL].max_wait_ms = (double)self->cfg->normal_max_wait_min * 60000;
    x->lanes[EST_NORMAL].aged = s_aged;
    x->lanes[EST_NORMAL].aged_ctx = x;
}

/* The estimate of a ticket of the context's queue and `lane` with `ahead` tickets of its own
 * lane ahead of it, holding `ahead_ms` of window time. */
static int64_t s_wait(const hall_t *self, s_context_t *x, est_lane_t lane, int ahead,
                      double ahead_ms, int *ahead_total)
{
    est_input_t in;
    memset(&in, 0, sizeof in);
    in.lane = lane;
    s_appointments(self, x, x->nappts, &in.appts);
    in.open = x->open;
    in.idle = x->idle;
    in.nbusy = x->nbusy;
    in.busy = x->busy;
    in.variation = est_variation(self->est);
    in.row = self->green_streak;
    memcpy(in.lanes, x->lanes, sizeof in.lanes);
    *ahead_total = 0;
    for (int l = 0; l < EST_LANES; l++) {
        est_lane_load_t *load = &in.lanes[l];
        if (l < (int)lane) {
            load->ahead = load->waiting;
            load->ahead_ms = load->waiting_ms;
        } else if (l == (int)lane) {
            load->ahead = ahead;
            load->ahead_ms = ahead_ms;
        }
        *ahead_total += load->ahead;
    }
    return est_wait_ms(&in);
}

/* The estimate of the appointment of index i among the context's (or S_APPTS_MAX past them):
 * those before it, and the walk-ins the rules put first. */
static int64_t s_wait_appointment(const hall_t *self, s_context_t *x, const hq_ticket_t *t, int i,
                                  int *ahead)
{
    est_input_t in;
    memset(&in, 0, sizeof in);
    in.lane = EST_NORMAL;
    in.appointment = 1;
    in.slot_in_ms = t->slot_ms > x->now ? (double)(t->slot_ms - x->now) : 0;
    s_appointments(self, x, i, &in.appts);
    in.open = x->open;
    in.idle = x->idle;
    in.nbusy = x->nbusy;
    in.busy = x->busy;
    in.variation = est_variation(self->est);
    memcpy(in.lanes, x->lanes, sizeof in.lanes);
    *ahead = i;
    return est_wait_ms(&in);
}

/* Where a checked-in appointment stands among the context's: its index. */
static int s_appointment_index(const s_context_t *x, const hq_ticket_t *t)
{
    for (int i = 0; i < x->nappts; i++)
        if (x->appt_id[i] == t->id)
            return i;
    return x->nappts;
}

void hall_estimate(const hall_t *self, const hq_ticket_t *t, int64_t now, int *ahead,
                   int64_t *wait_ms)
{
    s_context_t x;
    s_context(self, t->queue, now, &x);
    if (t->slot_ms) {
        *wait_ms = s_wait_appointment(self, &x, t, s_appointment_index(&x, t), ahead);
        return;
    }
    est_lane_t lane = s_lane(t);
    const est_model_t *m = self->est;
    int mine = 0;
    double mine_ms = 0;
    if (t->state == HQ_T_WAITING && self->ntickets && t == &self->tickets[self->ntickets - 1]) {
        /* The newest ticket: everyone of its lane waiting at its windows is ahead of it. */
        mine = x.lanes[lane].waiting - 1;
        mine_ms =
            x.lanes[lane].waiting_ms - est_window_ms(m, t->queue, est_model_slot(m, t->service));
    } else {
        for (size_t i = 0; i < self->ntickets; i++) {
            const hq_ticket_t *o = &self->tickets[i];
            if (o->id >= t->id)
                break; /* in id order: the rest came after it */
            if (o->state == HQ_T_WAITING && o->green == t->green && !o->slot_ms &&
                (x.served >> (o->queue - 'A') & 1u)) {
                mine++;
                mine_ms += est_window_ms(m, o->queue, est_model_slot(m, o->service));
            }
        }
    }
    *wait_ms = s_wait(self, &x, lane, mine, mine_ms, ahead);
}

int hall_estimate_waiting(const hall_t *self, int64_t now, int *ahead, int64_t *wait_ms)
{
    /* One walk in id order: what each line holds before a ticket is counted as it goes, and
     * each queue's context is made once, when its first waiting ticket comes. */
    s_context_t *contexts = hq_calloc(HQ_QUEUES_MAX, sizeof *contexts);
    if (!contexts)
        return -1;
    int made[HQ_QUEUES_MAX] = {0};
    int before[HQ_QUEUES_MAX][2] = {{0}};
    double before_ms[HQ_QUEUES_MAX][2] = {{0}};
    const est_model_t *m = self->est;
    for (size_t i = 0; i < self->ntickets; i++) {
        const hq_ticket_t *t = &self->tickets[i];
        ahead[i] = 0;
        wait_ms[i] = 0;
        if (t->state != HQ_T_WAITING || t->queue < 'A' || t->queue > 'Z')
            continue;
        int q = t->queue - 'A', g = t->green != 0;
        s_context_t *x = &contexts[q];
        if (!made[q]) {
            s_context(self, t->queue, now, x);
            made[q] = 1;
        }
        /* A checked-in appointment is called by its slot, not by a place in a lane. */
        if (t->slot_ms) {
            wait_ms[i] = s_wait_appointment(self, x, t, s_appointment_index(x, t), &ahead[i]);
            continue;
        }
        int mine = 0;
        double mine_ms = 0;
        for (int o = 0; o < HQ_QUEUES_MAX; o++)
            if (x->served >> o & 1u) {
                mine += before[o][g];
                mine_ms += before_ms[o][g];
            }
        wait_ms[i] = s_wait(self, x, s_lane(t), mine, mine_ms, &ahead[i]);
        before[q][g]++;
        before_ms[q][g] += est_window_ms(m, t->queue, est_model_slot(m, t->service));
    }
    hq_free(contexts);
    return 0;
}
