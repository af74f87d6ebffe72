/* Queue alerts: a queue's longest wait above [alerts] wait_target_min, or its instant items'
 * mean handling above handling_target_min, raised after the condition held hold_s and cleared
 * with its own event once the figure is back under the clear threshold (wait_clear_min, or
 * the target less handling_clear_s): hysteresis and a minimum duration, so an alert does not
 * flap. Each event says what would help: open another window for the queue, or have an open
 * window take the queue over. */
#include "hall_int.h"

#include <string.h>

/* The longest wait of the walk-ins of queue index q now; 0 when nobody waits. */
static int64_t s_longest_wait(const hall_t *self, int q, int64_t now)
{
    int64_t longest = 0;
    for (int g = 0; g < 2; g++) {
        const sched_ticket_t *f = sched_line_first(&self->lines[q][g]);
        if (f && now - f->issued_ms > longest)
            longest = now - f->issued_ms;
    }
    return longest;
}

/* What would help queue q: a window that serves it is closed or paused (open it), else an
 * open window that does not serve it (take the queue over), else nothing at hand. */
static const char *s_advice(const hall_t *self, char queue)
{
    int other_open = 0;
    for (int i = 0; i < self->ncounters; i++) {
        const hall_counter_t *c = &self->counters[i];
        int serves = strchr(c->pub.queues, queue) != NULL;
        int open = c->pub.clerk[0] && !c->paused;
        if (serves && !open)
            return "open_window";
        other_open |= !serves && open;
    }
    return other_open ? "take_over" : "none";
}

int hall_alert_tick(hall_t *self, int64_t now_ms, hall_result_t *out)
{
    const cfg_alerts_t *a = &self->cfg->alerts;
    int64_t handling_target = (int64_t)self->cfg->handling_target_min * 60000;
    for (int i = 0; i < self->cfg->nqueues; i++) {
        char prefix = self->cfg->queues[i].prefix;
        int q = prefix - 'A';
        for (int k = 0; k < HALL_ALERT_KINDS; k++) {
            int64_t value, target, clear;
            if (k == HALL_ALERT_WAIT) {
                value = s_longest_wait(self, q, now_ms);
                target = (int64_t)a->wait_target_min * 60000;
                clear = (int64_t)a->wait_clear_min * 60000;
            } else {
                value = metric_avg_ms(&self->metric_queue[q]); /* 0 before the first finish */
                target = handling_target;
                clear = handling_target - (int64_t)a->handling_clear_s * 1000;
            }
            hall_alert_state_t *st = &self->alerts[q][k];
            int change = 0;
            if (!st->raised) {
                if (value > target) {
                    if (!st->holding_since)
                        st->holding_since = now_ms;
                    change = now_ms - st->holding_since >= (int64_t)a->hold_s * 1000;
                } else {
                    st->holding_since = 0;
                }
            } else {
                change = value < clear;
            }
            if (!change)
                continue;
            st->raised = !st->raised;
            st->holding_since = 0;
            st->value_ms = value;
            out->alert = (hall_alert_t){prefix, (hall_alert_kind_t)k,  st->raised, value,
                                        target, s_advice(self, prefix)};
            hall_event(out, HQ_EV_QUEUE_ALERT);
            return 1;
        }
    }
    return 0;
}

int hall_alerts_raised(const hall_t *self, hall_alert_t *out, int max)
{
    int n = 0;
    for (int i = 0; i < self->cfg->nqueues && n < max; i++) {
        char prefix = self->cfg->queues[i].prefix;
        for (int k = 0; k < HALL_ALERT_KINDS && n < max; k++)
            if (self->alerts[prefix - 'A'][k].raised)
                out[n++] = (hall_alert_t){prefix,
                                          (hall_alert_kind_t)k,
                                          1,
                                          self->alerts[prefix - 'A'][k].value_ms,
                                          k == HALL_ALERT_WAIT
                                              ? (int64_t)self->cfg->alerts.wait_target_min * 60000
                                              : (int64_t)self->cfg->handling_target_min * 60000,
                                          s_advice(self, prefix)};
    }
    return n;
}
