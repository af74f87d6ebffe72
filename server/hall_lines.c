/* The waiting lines (who waits, one line per queue and class), the counts they give, the
 * fronts call-next compares, and the place and wait estimate of a waiting ticket. */
#include "hall_int.h"

#include <assert.h>
#include <string.h>

#define S_ESTIMATE_SAMPLE 20 /* finished tickets the wait estimate looks back on */

static sched_ticket_t s_sched_ticket(const hq_ticket_t *t)
{
    return (sched_ticket_t){t->id, t->queue, t->green != 0, t->issued_ms};
}

/* The line a ticket waits in, NULL when it is not waiting (or has no valid queue). */
static sched_line_t *s_line_of(hall_t *self, const hq_ticket_t *t)
{
    if (t->state != HQ_T_WAITING || t->queue < 'A' || t->queue > 'Z')
        return NULL;
    return &self->lines[t->queue - 'A'][t->green != 0];
}

void hall_lines_clear(hall_t *self)
{
    for (int q = 0; q < HQ_QUEUES_MAX; q++)
        for (int g = 0; g < 2; g++)
            sched_line_clear(&self->lines[q][g]);
}

/* A ticket that entered the waiting state joins its line. -1 out of memory: it is not in
 * line, and the action that made it wait must fail. */
int hall_join_line(hall_t *self, const hq_ticket_t *t)
{
    sched_line_t *line = s_line_of(self, t);
    sched_ticket_t st = s_sched_ticket(t);
    return line ? sched_line_add(line, &st) : 0;
}

/* A waiting ticket leaves its line (call it before its state changes). */
void hall_leave_line(hall_t *self, const hq_ticket_t *t)
{
    sched_line_t *line = s_line_of(self, t);
    sched_ticket_t st = s_sched_ticket(t);
    int rc = line ? sched_line_remove(line, &st) : 0;
    assert(rc == 0); /* every waiting ticket is in its line */
    (void)rc;
}

/* Tickets waiting in queue index q (prefix - 'A'): all of them, or the green ones. */
static int s_waiting(const hall_t *self, int q, int green_only)
{
    size_t n = sched_line_size(&self->lines[q][1]);
    if (!green_only)
        n += sched_line_size(&self->lines[q][0]);
    return (int)n;
}

int hall_waiting(const hall_t *self, char queue, int green_only)
{
    return queue >= 'A' && queue <= 'Z' ? s_waiting(self, queue - 'A', green_only) : 0;
}

int hall_line_fronts(const hall_t *self, const char *queues, sched_ticket_t *out)
{
    int n = 0;
    for (const char *q = queues; *q >= 'A' && *q <= 'Z'; q++)
        for (int g = 0; g < 2; g++) {
            const sched_ticket_t *f = sched_line_first(&self->lines[*q - 'A'][g]);
            if (f)
                out[n++] = *f;
        }
    return n;
}

/* ---- estimates ------------------------------------------------------------------------------ */
/* People ahead of a waiting ticket: those the scheduler would pick first at the counters
 * that serve its queue (green before normal, then in issue order: the lower id). */
static int s_ahead(const hall_t *self, const hq_ticket_t *t, int *open_counters)
{
    uint32_t served = 0; /* bit q - 'A': a queue some counter of this ticket's serves */
    int open = 0;
    for (int i = 0; i < self->ncounters; i++) {
        const hall_counter_t *c = &self->counters[i];
        if (!strchr(c->pub.queues, t->queue))
            continue;
        if (c->pub.state != HQ_C_CLOSED && c->pub.state != HQ_C_PAUSED)
            open++;
        for (const char *q = c->pub.queues; *q; q++)
            served |= 1u << (*q - 'A');
    }
    int ahead = 0;
    if (t->state == HQ_T_WAITING && self->ntickets && t == &self->tickets[self->ntickets - 1]) {
        /* The newest ticket: everyone of its class waiting in those queues is ahead of it,
         * and, for a normal ticket, every green one too. */
        for (int q = 0; q < HQ_QUEUES_MAX; q++)
            if (served >> q & 1u)
                ahead += s_waiting(self, q, t->green);
        *open_counters = open;
        return ahead - 1;
    }
    for (size_t i = 0; i < self->ntickets; i++) {
        const hq_ticket_t *o = &self->tickets[i];
        if (o->state != HQ_T_WAITING || o->id == t->id || !(served >> (o->queue - 'A') & 1u))
            continue;
        if (o->green && !t->green)
            ahead++;
        else if (o->green == t->green && o->id < t->id)
            ahead++;
    }
    *open_counters = open;
    return ahead;
}

/* Mean handling time of the most recently finished tickets today, or the configured default.
 * Kept until a ticket finishes or the day changes: with nothing finished yet the walk would
 * cover the whole day on every issue. */
static int64_t s_recent_handling(hall_t *self)
{
    if (self->recent_ms >= 0)
        return self->recent_ms;
    int64_t sum = 0;
    int n = 0;
    for (size_t i = self->ntickets; i-- > 0 && n < S_ESTIMATE_SAMPLE;) {
        const hq_ticket_t *t = &self->tickets[i];
        if (t->state != HQ_T_FINISHED || !hall_is_today(self, t))
            continue;
        sum +=
            metric_handling_ms(t->last_called_ms, t->started_ms, t->finished_ms, t->park_total_ms);
        n++;
    }
    self->recent_ms = n ? sum / n : (int64_t)self->cfg->default_handling_min * 60000;
    return self->recent_ms;
}

void hall_estimate(hall_t *self, const hq_ticket_t *t, int *ahead, int64_t *wait_ms)
{
    int open;
    *ahead = s_ahead(self, t, &open);
    *wait_ms = (int64_t)(*ahead) * s_recent_handling(self) / (open > 0 ? open : 1);
}
