/* The actions on tickets, one function each, and the dispatch from a request to its action
 * (a window's own actions are in hall_windows.c, appointments' in hall_booking.c). Each
 * validates completely before it changes anything. */
#include "hall_int.h"

#include "hq_alloc.h"
#include "hq_date.h"
#include "idnum.h"
#include "roles.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Today's date as numbers, from the business day string. */
static hq_date_t s_today(const hall_t *self)
{
    hq_date_t d = {1970, 1, 1};
    hq_date_parse(self->day, &d);
    return d;
}

static hq_ticket_t *s_ticket_by_label(const hall_t *self, const char *label)
{
    /* Labels are unique within a day; older tickets still being served are skipped. */
    for (size_t i = 0; i < self->ntickets; i++)
        if (strcmp(self->tickets[i].label, label) == 0 &&
            strcmp(self->tickets[i].day, self->day) == 0)
            return &self->tickets[i];
    return NULL;
}

/* Where a request came from, for the log: the device key's name, or the loopback. */
void hall_where(const hq_request_t *req, char *out, size_t outlen)
{
    if (req->device[0])
        snprintf(out, outlen, "device '%s'", req->device);
    else
        snprintf(out, outlen, "a local connection (no device keys)");
}

/* A staff member's name and PIN on a request (`what` they are for, in the log): both or
 * neither, and when given, right by the clerk roster whoever sends them. The roster is the
 * only thing that can tell a clerk from anyone typing a name, so without one they are
 * refused. 0 when the request carries none or right ones; -1 with r failed, and a failed
 * check noted for the log (a warning: it may be someone guessing PINs). */
int hall_staff_check(const hall_t *self, const hq_request_t *req, const char *what,
                     hall_result_t *r)
{
    if (!req->clerk[0] && !req->pin[0])
        return 0;
    if (!req->clerk[0] || !req->pin[0]) {
        hall_fail(r, HQ_E_BAD_FIELD,
                  "'clerk' and 'pin' go together: a staff member's name and PIN");
        return -1;
    }
    char why[sizeof r->error.message], where[100];
    if (!roster_active(self->roster))
        snprintf(why, sizeof why,
                 "staff mode needs clerk PINs: the hall has no clerk roster (hallqctl clerk add "
                 "NAME)");
    else if (roster_check(self->roster, req->clerk, req->pin, why, sizeof why) == 0)
        return 0;
    hall_fail(r, HQ_E_FORBIDDEN, "%s", why);
    hall_where(req, where, sizeof where);
    snprintf(r->note, sizeof r->note, "%s refused for clerk %s on %s: %s", what, req->clerk, where,
             why);
    return -1;
}

/* A repeated issue request (same token, e.g. a kiosk retrying after a lost reply) gets the
 * ticket it already has instead of a second one. A token belongs to the device that issued
 * with it: another device's repeat would hand that device's citizen's ticket to whoever
 * holds the token, so it is refused without naming the ticket. */
static int s_repeat_issue(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    if (!req->token[0])
        return 0;
    const hq_ticket_t *t = hall_token_find(self, req->token);
    if (t) {
        if (strcmp(t->device, req->device) != 0) {
            hall_fail(r, HQ_E_BAD_FIELD,
                      "token already used today by another device (a token is the issuing "
                      "device's own: put the device name in it)");
            return 1;
        }
        if (t->queue != req->queue && t->prefix != req->queue) {
            hall_fail(r, HQ_E_BAD_FIELD, "token already used for %s in queue %c", t->label,
                      t->prefix);
            return 1;
        }
        if (t->state == HQ_T_WAITING)
            hall_estimate(self, t, now, &r->ahead, &r->est_wait_ms);
        r->ticket = t->id;
        r->repeat = 1;
        return 1;
    }
    return 0;
}

/* The calendar and the quota (config_issue_check): 0 when the queue issues the ticket now
 * (t->extended set when in an extended period), else the request is refused with the code of
 * its case and the day's issuing hours. */
int hall_issuing(hall_t *self, const cfg_queue_t *q, int green, int issued, int64_t now,
                 hq_ticket_t *t, hall_result_t *r)
{
    hq_date_t today = s_today(self);
    int days = hq_date_to_days(today);
    /* Minutes since the business day's local midnight: a clock held back behind a stepped
     * system clock (clock.h) still lands inside the day. */
    if (strcmp(self->midnight_day, self->day) != 0) {
        self->midnight_ms = hq_date_local_ms(today, 0);
        memcpy(self->midnight_day, self->day, sizeof self->day);
    }
    int64_t minute = (now - self->midnight_ms) / 60000;
    if (minute < 0)
        minute = 0;
    if (minute > 1439)
        minute = 1439;
    cal_spans_t hours;
    cfg_issue_t why = config_issue_check(self->cfg, q, days, (int)minute, green, issued, &hours);
    if (why == CFG_ISSUE_OK) {
        t->extended = cal_extended_at(&self->cfg->calendar, days, (int)minute);
        r->issue_hours[0] = '\0';
        return 0;
    }
    cal_spans_format(&hours, r->issue_hours, sizeof r->issue_hours);
    switch (why) {
    case CFG_ISSUE_OK:
        break;
    case CFG_ISSUE_CLOSED_DAY: {
        int next = cal_add_working_days(&self->cfg->calendar, days, 1);
        if (next >= 0)
            hq_date_format(hq_date_from_days(next), r->next_working_day);
        hall_fail(r, HQ_E_CLOSED_TODAY, "queue %c issues no ticket today (%s): next working day %s",
                  q->prefix, self->day, next >= 0 ? r->next_working_day : "unknown");
        return -1;
    }
    case CFG_ISSUE_HOURS:
        hall_fail(r, HQ_E_NOT_ISSUING, "queue %c issues tickets today at %s", q->prefix,
                  r->issue_hours);
        return -1;
    case CFG_ISSUE_QUOTA:
        r->green_reserve_left = !green && q->green_reserve;
        r->appointment_reserve_left = q->appointment_reserve;
        if (r->green_reserve_left)
            hall_fail(r, HQ_E_QUOTA,
                      "queue %c has issued its %d tickets of today but the %d kept for the green "
                      "lane",
                      q->prefix, q->quota, q->green_reserve);
        else
            hall_fail(r, HQ_E_QUOTA, "queue %c has issued its %d tickets of today", q->prefix,
                      q->quota);
        return -1;
    }
    return 0;
}

hq_ticket_t *hall_new_ticket(hall_t *self, const hq_request_t *req, char queue, int service,
                             int green, const char *age_band, int64_t slot_ms, int extended,
                             int64_t now, hall_result_t *r)
{
    int *next = &self->next_number[queue - 'A'];
    if (*next >= 9999) {
        hall_refuse(r, "queue_full", "queue %c has issued 9999 tickets today", queue);
        return NULL;
    }
    hq_ticket_t t;
    memset(&t, 0, sizeof t);
    t.id = self->next_id;
    hq_strlcpy(t.day, self->day, sizeof t.day);
    t.prefix = t.queue = queue;
    t.number = *next + 1;
    hq_label_format(t.prefix, t.number, t.label, sizeof t.label);
    t.service = service;
    t.green = green;
    hq_strlcpy(t.age_band, age_band, sizeof t.age_band);
    t.extended = extended;
    t.slot_ms = slot_ms;
    hq_strlcpy(t.token, req->token, sizeof t.token);
    hq_strlcpy(t.device, req->device, sizeof t.device);
    t.state = HQ_T_WAITING;
    t.issued_ms = now;
    hq_ticket_t *stored = hall_append_ticket(self, &t);
    if (!stored) {
        hall_fail(r, HQ_E_INTERNAL, "out of memory");
        return NULL;
    }
    if (hall_token_add(self, stored) != 0 || hall_join_line(self, stored) != 0)
        r->oom = 1;
    self->next_id++;
    (*next)++;
    hall_learn_issued(self, stored);
    hall_estimate(self, stored, now, &r->ahead, &r->est_wait_ms);
    r->ticket = stored->id;
    hall_touch_ticket(r, stored->id, 0);
    hall_event(r, HQ_EV_ISSUED);
    hall_attach_counts(r);
    return stored;
}

static void s_issue(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    /* A staff member may set the green lane for a citizen the kiosk could not (an ID number
     * under the age, none at hand): who, where and why go to the log. */
    if (req->clerk[0] || req->reason[0]) {
        if (!req->clerk[0] || !req->elderly || !req->reason[0]) {
            hall_fail(r, HQ_E_BAD_FIELD,
                      "'clerk', 'pin' and 'reason' on an issue are a staff member setting the "
                      "green lane: they need 'elderly': true and a reason");
            return;
        }
        if (hall_staff_check(self, req, "a green lane set by staff", r) != 0)
            return;
    }
    if (s_repeat_issue(self, req, now, r))
        return;
    const cfg_queue_t *q = config_queue(self->cfg, req->queue);
    if (!q) {
        hall_fail(r, HQ_E_UNKNOWN_QUEUE, "no queue %c in this hall", req->queue);
        return;
    }
    const cfg_service_t *svc = NULL;
    if (req->service) {
        svc = config_service(self->cfg, req->service);
        if (!svc) {
            hall_fail(r, HQ_E_UNKNOWN_SERVICE, "no service %d in this hall's catalog",
                      req->service);
            return;
        }
        if (svc->queue != req->queue) {
            hall_fail(r, HQ_E_UNKNOWN_SERVICE, "service %d belongs to queue %c, not %c",
                      req->service, svc->queue, req->queue);
            return;
        }
    }
    hq_ticket_t t;
    memset(&t, 0, sizeof t);
    t.green = req->elderly;
    if (req->id_number[0]) {
        hq_date_t birth;
        char why[120];
        if (idnum_check(req->id_number, &birth, why, sizeof why) != 0) {
            hall_fail(r, HQ_E_BAD_ID_NUMBER, "%s", why);
            return;
        }
        int age = idnum_age(birth, s_today(self));
        if (age < 0) {
            hall_fail(r, HQ_E_BAD_ID_NUMBER, "ID number's birth date lies in the future");
            return;
        }
        t.green = age >= self->cfg->elderly_age;
        idnum_age_band(age, t.age_band, sizeof t.age_band);
    }
    if (hall_issuing(self, q, t.green, self->next_number[req->queue - 'A'], now, &t, r) != 0)
        return;
    hq_ticket_t *stored = hall_new_ticket(self, req, req->queue, req->service, t.green, t.age_band,
                                          0, t.extended, now, r);
    if (!stored)
        return;
    if (req->clerk[0]) {
        char where[100];
        hall_where(req, where, sizeof where);
        snprintf(r->note, sizeof r->note, "green lane set by staff %s at %s: %s (%s)", req->clerk,
                 where, req->reason, stored->label);
    }
}

/* The counter named in the request, open for business; fails the request otherwise. */
hall_counter_t *hall_open_counter(hall_t *self, const hq_request_t *req, hall_result_t *r)
{
    hall_counter_t *c = hall_find_counter(self, req->counter);
    if (!c) {
        hall_fail(r, HQ_E_UNKNOWN_COUNTER, "no counter %d in this hall", req->counter);
        return NULL;
    }
    if (!c->pub.clerk[0]) {
        hall_refuse(r, "closed", "counter %d is closed: a clerk must log in first", req->counter);
        return NULL;
    }
    return c;
}

/* The ticket at the counter, in one of the allowed states. */
static hq_ticket_t *s_current(hall_t *self, hall_counter_t *c, unsigned allowed, hall_result_t *r)
{
    hq_ticket_t *t = c->pub.current ? hall_find_ticket(self, c->pub.current) : NULL;
    if (!t) {
        hall_refuse(r, "no_ticket", "counter %d has no ticket at the window", c->pub.id);
        return NULL;
    }
    if (!(allowed & (1u << t->state))) {
        hall_refuse(r, "ticket_state", "%s at counter %d is %s", t->label, c->pub.id,
                    hq_ticket_state_name(t->state));
        return NULL;
    }
    return t;
}

static void s_call(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = hall_open_counter(self, req, r);
    if (!c)
        return;
    if (c->paused) {
        hall_refuse(r, "paused", "counter %d is paused: resume first", c->pub.id);
        return;
    }
    hq_ticket_t *held = c->pub.current ? hall_find_ticket(self, c->pub.current) : NULL;
    if (held) {
        hall_refuse(r, "ticket_at_window",
                    "counter %d still has %s (%s): finish, park, transfer or mark no-show first",
                    c->pub.id, held->label, hq_ticket_state_name(held->state));
        return;
    }
    hq_ticket_t *t = NULL;
    char reason[HQ_REASON_MAX];
    sched_streaks_t streak = {self->green_streak, self->appt_streak};
    if (req->number[0]) {
        t = s_ticket_by_label(self, req->number);
        if (!t) {
            hall_fail(r, HQ_E_UNKNOWN_TICKET, "no ticket %s today", req->number);
            return;
        }
        if (t->state != HQ_T_WAITING) {
            hall_refuse(r, "ticket_state", "%s is %s, not waiting", t->label,
                        hq_ticket_state_name(t->state));
            return;
        }
        if (!strchr(c->pub.queues, t->queue)) {
            hall_refuse(r, "not_served", "counter %d does not serve queue %c", c->pub.id, t->queue);
            return;
        }
        t->reason_code = sched_reason_chosen(reason, sizeof reason);
        if (!t->slot_ms)
            streak.appointment = 0; /* a walk-in called: the appointment row ends */
        if (!t->green && !t->slot_ms)
            streak.green = 0; /* a normal ticket called: the green row ends */
    } else {
        /* The scheduler wants the oldest green and the oldest normal ticket of the counter's
         * queues: the fronts of their lines. */
        sched_ticket_t cand[3 * HQ_QUEUES_MAX];
        int n = hall_line_fronts(self, c->pub.queues, cand);
        sched_rules_t rules = {self->cfg->green_max_in_row,
                               (int64_t)self->cfg->normal_max_wait_min * 60000,
                               self->cfg->appointments.max_in_row};
        sched_pick_t pick = sched_pick(cand, n, c->pub.queues, streak, &rules, now);
        if (pick.index >= 0) {
            t = hall_find_ticket(self, cand[pick.index].id);
            assert(t && t->state == HQ_T_WAITING); /* a line holds waiting tickets only */
            streak = pick.streaks;
            t->reason_code = sched_reason_text(&pick, &rules, reason, sizeof reason);
        }
        if (!t)
            return; /* nothing waiting: no ticket, no change */
    }
    if (!t->called_ms) {
        t->called_ms = now;
        hall_count_called(self, t);
    }
    t->last_called_ms = now;
    t->started_ms = 0;
    t->calls = 1;
    hall_leave_line(self, t);
    t->state = HQ_T_CALLED;
    t->counter = c->pub.id;
    hq_strlcpy(t->clerk, c->pub.clerk, sizeof t->clerk);
    hq_strlcpy(t->reason, reason, sizeof t->reason);
    c->pub.current = t->id;
    if (streak.green != self->green_streak) {
        self->green_streak = streak.green;
        r->green_streak_changed = 1;
    }
    if (streak.appointment != self->appt_streak) {
        self->appt_streak = streak.appointment;
        r->appt_streak_changed = 1;
    }
    hall_remember_call(self, t, 0, now);
    hall_counter_changed(self, c, now, r);
    hall_touch_ticket(r, t->id, 0);
    r->ticket = t->id;
    r->counter = c->pub.id;
    hall_event(r, HQ_EV_CALLED);
    hall_attach_counts(r);
}

/* The common end of an action on a ticket: persist the ticket (and the window, when one is
 * involved), reply with both, publish one event. */
static void s_ticket_done(hall_t *self, hq_ticket_t *t, hall_counter_t *c, int64_t now,
                          hall_result_t *r, hq_event_type_t type)
{
    if (c) {
        hall_counter_changed(self, c, now, r);
        r->counter = c->pub.id;
    }
    hall_touch_ticket(r, t->id, 0);
    r->ticket = t->id;
    hall_event(r, type);
}

#define S_BIT(s) (1u << (s))

static void s_recall(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = hall_open_counter(self, req, r);
    hq_ticket_t *t = c ? s_current(self, c, S_BIT(HQ_T_CALLED), r) : NULL;
    if (!t)
        return;
    t->calls++;
    t->last_called_ms = now;
    hall_remember_call(self, t, 1, now);
    s_ticket_done(self, t, c, now, r, HQ_EV_RECALLED);
}

static void s_start(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = hall_open_counter(self, req, r);
    hq_ticket_t *t = c ? s_current(self, c, S_BIT(HQ_T_CALLED), r) : NULL;
    if (!t)
        return;
    t->state = HQ_T_SERVING;
    t->started_ms = now;
    s_ticket_done(self, t, c, now, r, HQ_EV_STARTED);
}

static void s_finish(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = hall_open_counter(self, req, r);
    hq_ticket_t *t = c ? s_current(self, c, S_BIT(HQ_T_CALLED) | S_BIT(HQ_T_SERVING), r) : NULL;
    if (!t)
        return;
    if (!t->started_ms)
        t->started_ms = t->last_called_ms; /* start never pressed: handling began at the call */
    t->state = HQ_T_FINISHED;
    t->finished_ms = now;
    hall_learn_outcome(self, t);
    if (!hall_is_today(self, t))
        self->compact_due = 1; /* kept over midnight, now closed: a fresh load leaves it out */
    r->handling_ms =
        metric_handling_ms(t->last_called_ms, t->started_ms, t->finished_ms, t->park_total_ms);
    r->instant = config_is_instant(self->cfg, t->queue, t->service);
    hall_count_finished(self, t);
    c->pub.current = 0;
    s_ticket_done(self, t, c, now, r, HQ_EV_FINISHED);
}

static void s_no_show(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = hall_open_counter(self, req, r);
    hq_ticket_t *t = c ? s_current(self, c, S_BIT(HQ_T_CALLED), r) : NULL;
    if (!t)
        return;
    if (t->calls < self->cfg->noshow_after_calls) {
        hall_refuse(r, "too_few_calls",
                    "%s was called %d time(s): recall it first (no-show after %d)", t->label,
                    t->calls, self->cfg->noshow_after_calls);
        return;
    }
    t->state = HQ_T_NO_SHOW;
    hall_learn_outcome(self, t);
    c->pub.current = 0;
    s_ticket_done(self, t, c, now, r, HQ_EV_NO_SHOW);
}

/* The ticket the request names, in state `want`, and one its sender may act on: the scope
 * column of the request table, for a window's key (role_allows_ticket). */
hq_ticket_t *hall_named(hall_t *self, const hq_request_t *req, hq_ticket_state_t want,
                        hall_result_t *r)
{
    hq_ticket_t *t = s_ticket_by_label(self, req->number);
    if (!t) {
        hall_fail(r, HQ_E_UNKNOWN_TICKET, "no ticket %s today", req->number);
        return NULL;
    }
    if (t->state != want) {
        hall_refuse(r, "ticket_state", "%s is %s, not %s", t->label, hq_ticket_state_name(t->state),
                    hq_ticket_state_name(want));
        return NULL;
    }
    char why[sizeof r->error.message];
    if (!role_allows_ticket(req, t, why, sizeof why)) {
        hall_fail(r, HQ_E_FORBIDDEN, "%s", why);
        return NULL;
    }
    return t;
}

static void s_reactivate(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    /* From a kiosk's staff mode (a no-show at the service desk): the staff member's own PIN. */
    if (hall_staff_check(self, req, "putting a no-show back in line", r) != 0)
        return;
    hq_ticket_t *t = hall_named(self, req, HQ_T_NO_SHOW, r);
    if (!t)
        return;
    if (req->clerk[0]) {
        char where[100];
        hall_where(req, where, sizeof where);
        snprintf(r->note, sizeof r->note, "%s put back in line by staff %s at %s", t->label,
                 req->clerk, where);
    }
    /* Back in line at its original place: the citizen did take a number before the others. */
    hall_unlearn_no_show(self, t);
    t->state = HQ_T_WAITING;
    if (hall_join_line(self, t) != 0)
        r->oom = 1;
    t->calls = 0;
    t->last_called_ms = 0;
    t->started_ms = 0;
    t->counter = 0;
    s_ticket_done(self, t, NULL, now, r, HQ_EV_REACTIVATED);
    hall_attach_counts(r);
}

static void s_park(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = hall_open_counter(self, req, r);
    hq_ticket_t *t = c ? s_current(self, c, S_BIT(HQ_T_CALLED) | S_BIT(HQ_T_SERVING), r) : NULL;
    if (!t)
        return;
    if (!t->started_ms)
        t->started_ms = t->last_called_ms;
    t->state = HQ_T_PARKED;
    t->parked_ms = now;
    c->pub.current = 0;
    s_ticket_done(self, t, c, now, r, HQ_EV_PARKED);
}

/* The counter may take a new ticket: open, not paused, nobody at the window. */
int hall_counter_free(hall_t *self, hall_counter_t *c, hall_result_t *r)
{
    if (c->paused) {
        hall_refuse(r, "paused", "counter %d is paused: resume first", c->pub.id);
        return 0;
    }
    hq_ticket_t *held = c->pub.current ? hall_find_ticket(self, c->pub.current) : NULL;
    if (held) {
        hall_refuse(r, "ticket_at_window", "counter %d still has %s: finish or park it first",
                    c->pub.id, held->label);
        return 0;
    }
    return 1;
}

static void s_unpark(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = hall_open_counter(self, req, r);
    if (!c || !hall_counter_free(self, c, r))
        return;
    hq_ticket_t *t = hall_named(self, req, HQ_T_PARKED, r);
    if (!t)
        return;
    if (!strchr(c->pub.queues, t->queue)) {
        hall_refuse(r, "not_served", "counter %d does not serve queue %c", c->pub.id, t->queue);
        return;
    }
    if (now > t->parked_ms) /* never negative, whatever the wall clock did meanwhile */
        t->park_total_ms += now - t->parked_ms;
    t->parked_ms = 0;
    t->state = HQ_T_SERVING;
    t->counter = c->pub.id;
    hq_strlcpy(t->clerk, c->pub.clerk, sizeof t->clerk);
    c->pub.current = t->id;
    s_ticket_done(self, t, c, now, r, HQ_EV_UNPARKED);
}

static void s_transfer(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = hall_open_counter(self, req, r);
    hq_ticket_t *t = c ? s_current(self, c, S_BIT(HQ_T_CALLED) | S_BIT(HQ_T_SERVING), r) : NULL;
    if (!t)
        return;
    if (!config_queue(self->cfg, req->queue)) {
        hall_fail(r, HQ_E_UNKNOWN_QUEUE, "no queue %c in this hall", req->queue);
        return;
    }
    if (req->queue == t->queue) {
        hall_refuse(r, "same_queue", "%s is already in queue %c", t->label, t->queue);
        return;
    }
    char from = t->queue;
    /* It keeps its original issue time, so it takes its rightful place in the new queue. */
    t->queue = req->queue;
    t->state = HQ_T_WAITING;
    if (hall_join_line(self, t) != 0)
        r->oom = 1;
    t->transfers++;
    t->calls = 0;
    t->last_called_ms = 0;
    t->started_ms = 0;
    t->counter = 0;
    c->pub.current = 0;
    r->from_queue = from;
    s_ticket_done(self, t, c, now, r, HQ_EV_TRANSFERRED);
    hall_attach_counts(r);
}

void hall_rate_ticket(hall_t *self, hq_ticket_t *t, int rating, int64_t now, hall_result_t *r)
{
    if (t->rating) {
        hall_refuse(r, "already_rated", "%s was already rated %d", t->label, t->rating);
        return;
    }
    t->rating = rating;
    s_ticket_done(self, t, NULL, now, r, HQ_EV_RATED);
}

static void s_rate(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hq_ticket_t *t = hall_named(self, req, HQ_T_FINISHED, r);
    if (!t)
        return;
    const hall_counter_t *at = hall_find_counter(self, t->counter);
    if (at && at->tablet_only) {
        hall_fail(r, HQ_E_FORBIDDEN, "window %d takes ratings from its rating tablet only",
                  at->pub.id);
        return;
    }
    hall_rate_ticket(self, t, req->rating, now, r);
}

/* Readings change nothing: the reply is the hall as it stands (hall_wire). */
static void s_reading(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    (void)self, (void)req, (void)now, (void)r;
}
#define s_ping s_reading
#define s_pause hall_pause
#define s_resume hall_resume
#define s_login hall_login
#define s_logout hall_logout
#define s_staff hall_staff
#define s_track hall_track
#define s_pair hall_pair
#define s_claim hall_claim
#define s_tablet_rate hall_tablet_rate
#define s_slots hall_slots
#define s_book hall_book
#define s_booking hall_booking_lookup
#define s_cancel hall_cancel
#define s_check_in hall_check_in
#define s_snapshot s_reading

/* The catalog also says whether a login needs a PIN, so a clerk terminal asks for one. */
static void s_catalog(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    (void)req, (void)now;
    r->roster = roster_active(self->roster);
}

/* One handler per row of the request table (lib/hallq/hq_requests.h), named s_<name>: a row
 * without a handler does not compile. */
typedef void s_action_fn(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r);
#define S_ACTION(ID, name, ...) [HQ_REQ_##ID] = s_##name,
static s_action_fn *const s_actions[HQ_REQ_COUNT_] = {HQ_REQUESTS(S_ACTION)};
#undef S_ACTION

void hall_handle(hall_t *self, const hq_request_t *req, int64_t now_ms, hall_result_t *out)
{
    if ((unsigned)req->type >= HQ_REQ_COUNT_) {
        hall_fail(out, HQ_E_UNKNOWN_TYPE, "unknown request");
        return;
    }
    /* One check for the allocations an action makes (see hq_alloc). */
    uint64_t failures = hq_alloc_failures();
    s_actions[req->type](self, req, now_ms, out);
    if (out->oom || hq_alloc_failures() != failures)
        hall_out_of_memory(out);
}
