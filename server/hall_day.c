/* The hall's day: the rollover at midnight, forgetting what a new day no longer needs, and
 * the periodic metric entry. */
#include "hall_int.h"

#include "hq_alloc.h"

#include <string.h>

int hall_rollover(hall_t *self, const char *day, int64_t now_ms, hall_result_t *out)
{
    uint64_t failures = hq_alloc_failures();
    /* The business day never goes backwards: an earlier day would expire today's tickets
     * and hand out numbers it already has. */
    if (strcmp(day, self->day) < 0)
        return 0;
    int new_day = strcmp(day, self->day) != 0;
    int expired = 0;
    for (size_t i = 0; i < self->ntickets; i++) {
        hq_ticket_t *t = &self->tickets[i];
        /* A ticket being served stays with its counter; anything else still open from an
         * earlier day is over (tickets are valid on their day only). */
        if (strcmp(t->day, day) != 0 && (t->state == HQ_T_WAITING || t->state == HQ_T_CALLED ||
                                         t->state == HQ_T_PARKED || t->state == HQ_T_NO_SHOW)) {
            hall_leave_line(self, t);
            t->state = HQ_T_EXPIRED;
            hall_touch_ticket(out, t->id, 1);
            expired++;
        }
    }
    if (!new_day && expired == 0)
        return 0;
    hq_strlcpy(out->previous_day, self->day, sizeof out->previous_day);
    hq_strlcpy(self->day, day, sizeof self->day);
    out->expired = expired;
    self->compact_due = 1; /* expired tickets, or yesterday's closed ones */
    if (new_day) {
        /* Nobody of the new day has been kept waiting yet. */
        out->green_streak_changed = self->green_streak != 0;
        out->appt_streak_changed = self->appt_streak != 0;
        self->green_streak = 0;
        self->appt_streak = 0;
        /* What the earlier days taught the wait estimate is the new day's prior. */
        est_model_new_day(self->est);
        est_model_copy(self->est_day, self->est);
        hq_strlcpy(self->est_day_of, day, sizeof self->est_day_of);
        self->ncalls = 0;
        hall_token_clear(self);
        memset(self->next_number, 0, sizeof self->next_number);
        memset(self->metric_queue, 0, sizeof self->metric_queue);
        memset(&self->metric_hall, 0, sizeof self->metric_hall);
        /* Yesterday's 10-minute alert ends with the day: it clears with its own event, so
         * nobody (and no restart, which reads the log back to this rollover) takes it for
         * still raised. */
        int metric_alert = memchr(self->metric_alert, 1, sizeof self->metric_alert) != NULL;
        memset(self->metric_alert, 0, sizeof self->metric_alert);
        if (metric_alert)
            hall_event(out, HQ_EV_ALERT);
        self->wait_sum_ms = self->wait_count = 0;
    }
    for (int i = 0; i < self->ncounters; i++) {
        hall_counter_t *c = &self->counters[i];
        if (new_day)
            memset(&c->metric, 0, sizeof c->metric);
        const hq_ticket_t *t = c->pub.current ? hall_find_ticket(self, c->pub.current) : NULL;
        if (t && t->state == HQ_T_EXPIRED)
            c->pub.current = 0;
        hall_counter_changed(self, c, now_ms, out);
    }
    hall_event(out, HQ_EV_DAY);
    hall_attach_counts(out);
    if (hq_alloc_failures() != failures)
        hall_out_of_memory(out);
    return 1;
}

void hall_compact(hall_t *self)
{
    if (!self->compact_due)
        return;
    self->compact_due = 0;
    size_t keep = 0;
    for (size_t i = 0; i < self->ntickets; i++) {
        const hq_ticket_t *t = &self->tickets[i];
        if (hall_is_today(self, t) || hall_active(t->state))
            self->tickets[keep++] = *t;
    }
    self->ntickets = keep;
}

void hall_metric_tick(hall_t *self, hall_result_t *out)
{
    hall_scope_t scopes[HALL_SCOPES_MAX];
    int n = hall_scopes(self, scopes), changed = 0;
    int64_t clear = (int64_t)self->cfg->handling_target_min * 60000 -
                    (int64_t)self->cfg->alerts.handling_clear_s * 1000;
    for (int i = 0; i < n; i++) {
        int in = self->metric_alert[i] ? metric_avg_ms(scopes[i].m) >= clear : scopes[i].above;
        changed |= in != self->metric_alert[i];
        self->metric_alert[i] = (unsigned char)in;
    }
    hall_event(out, HQ_EV_METRIC);
    if (changed)
        hall_event(out, HQ_EV_ALERT);
}
