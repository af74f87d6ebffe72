#include "hall_int.h"

#include "hq_alloc.h"
#include "idnum.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_ESTIMATE_SAMPLE 20 /* finished tickets the wait estimate looks back on */

/* ---- results ---------------------------------------------------------------------------- */
void hall_result_init(hall_result_t *r)
{
    memset(r, 0, sizeof *r);
}

void hall_result_clear(hall_result_t *r)
{
    hq_free(r->tickets);
    hq_free(r->counters);
    hall_result_init(r);
}

/* An event happened; its fields are the result's. */
static void s_event(hall_result_t *r, hq_event_type_t type)
{
    assert(r->nevents < HALL_EVENTS_MAX);
    r->events[r->nevents++] = (hall_event_t){type, 0};
}

/* Adds a ticket to persist; `unique` when the caller knows it is not listed yet (a rollover
 * touching thousands of tickets must not search the list each time). */
static void s_touch_ticket_as(hall_result_t *r, int64_t id, int unique)
{
    for (int i = 0; !unique && i < r->ntickets; i++)
        if (r->tickets[i] == id)
            return;
    if (r->ntickets == r->tickets_cap) {
        int cap = r->tickets_cap ? r->tickets_cap * 2 : 4;
        int64_t *grown = hq_realloc(r->tickets, (size_t)cap * sizeof *grown);
        if (!grown) {
            r->oom = 1;
            return;
        }
        r->tickets = grown;
        r->tickets_cap = cap;
    }
    r->tickets[r->ntickets++] = id;
}

static void s_touch_ticket(hall_result_t *r, int64_t id)
{
    s_touch_ticket_as(r, id, 0);
}

static void s_touch_counter(hall_result_t *r, int id)
{
    for (int i = 0; i < r->ncounters; i++)
        if (r->counters[i] == id)
            return;
    if (r->ncounters == r->counters_cap) {
        int cap = r->counters_cap ? r->counters_cap * 2 : 4;
        int *grown = hq_realloc(r->counters, (size_t)cap * sizeof *grown);
        if (!grown) {
            r->oom = 1;
            return;
        }
        r->counters = grown;
        r->counters_cap = cap;
    }
    r->counters[r->ncounters++] = id;
}

/* The action is refused: nothing changed. */
static void s_fail(hall_result_t *r, hq_error_code_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void s_fail(hall_result_t *r, hq_error_code_t code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error.message, sizeof r->error.message, fmt, ap);
    va_end(ap);
    r->error.code = code;
}

/* Memory ran out while the action ran: part of its change may be in memory. The error says
 * so; the caller reloads the hall (hall_result_t.oom). */
static void s_out_of_memory(hall_result_t *r)
{
    r->oom = 1;
    r->nevents = 0;
    s_fail(r, HQ_E_INTERNAL, "out of memory: nothing was changed");
}

/* ---- waiting lines -------------------------------------------------------------------------- */
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

static void s_lines_clear(hall_t *self)
{
    for (int q = 0; q < HQ_QUEUES_MAX; q++)
        for (int g = 0; g < 2; g++)
            sched_line_clear(&self->lines[q][g]);
}

/* A ticket that entered the waiting state joins its line. -1 out of memory: it is not in
 * line, and the action that made it wait must fail. */
static int s_join_line(hall_t *self, const hq_ticket_t *t)
{
    sched_line_t *line = s_line_of(self, t);
    sched_ticket_t st = s_sched_ticket(t);
    return line ? sched_line_add(line, &st) : 0;
}

/* A waiting ticket leaves its line (call it before its state changes). */
static void s_leave_line(hall_t *self, const hq_ticket_t *t)
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

/* ---- lifecycle ---------------------------------------------------------------------------- */
hall_t *hall_new(const hallq_config_t *cfg)
{
    hall_t *self = hq_calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->cfg = cfg;
    self->counters = hq_calloc((size_t)cfg->ncounters, sizeof *self->counters);
    if (!self->counters) {
        hq_free(self);
        return NULL;
    }
    self->ncounters = cfg->ncounters;
    hall_reset(self, "1970-01-01");
    return self;
}

void hall_destroy(hall_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    hall_t *self = *self_p;
    hq_free(self->tickets);
    hq_free(self->counters);
    hq_free(self->token_ids);
    for (int q = 0; q < HQ_QUEUES_MAX; q++)
        for (int g = 0; g < 2; g++)
            sched_line_free(&self->lines[q][g]);
    hq_free(self);
    *self_p = NULL;
}

void hall_reset(hall_t *self, const char *day)
{
    hq_strlcpy(self->day, day, sizeof self->day);
    self->ntickets = 0;
    self->next_id = 1;
    self->seq = 0;
    for (int i = 0; i < self->ncounters; i++) {
        hall_counter_t *c = &self->counters[i];
        memset(c, 0, sizeof *c);
        c->pub.id = self->cfg->counters[i].id;
        hq_strlcpy(c->pub.queues, self->cfg->counters[i].queues, sizeof c->pub.queues);
        c->pub.state = HQ_C_CLOSED;
    }
    memset(self->metric_queue, 0, sizeof self->metric_queue);
    memset(&self->metric_hall, 0, sizeof self->metric_hall);
    memset(self->next_number, 0, sizeof self->next_number);
    self->wait_sum_ms = self->wait_count = 0;
    self->recent_ms = -1;
    s_lines_clear(self);
    self->latest_issued_ms = 0;
    self->compact_due = 0;
    self->ncalls = 0;
    hq_free(self->token_ids);
    self->token_ids = NULL;
    self->token_cap = self->ntokens = 0;
}

/* Tickets stay in id order (appended as issued, loaded ORDER BY id, compacted in place):
 * a lookup is a binary search, not a walk through the whole day. */
static hq_ticket_t *s_ticket(const hall_t *self, int64_t id)
{
    size_t lo = 0, hi = self->ntickets;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (self->tickets[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < self->ntickets && self->tickets[lo].id == id ? &self->tickets[lo] : NULL;
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

hall_counter_t *hall_find_counter(const hall_t *self, int id)
{
    for (int i = 0; i < self->ncounters; i++)
        if (self->counters[i].pub.id == id)
            return &self->counters[i];
    return NULL;
}

static hq_ticket_t *s_append(hall_t *self, const hq_ticket_t *t)
{
    if (self->ntickets == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 256;
        hq_ticket_t *grown = hq_realloc(self->tickets, cap * sizeof *grown);
        if (!grown)
            return NULL;
        self->tickets = grown;
        self->cap = cap;
    }
    self->tickets[self->ntickets] = *t;
    return &self->tickets[self->ntickets++];
}

static uint64_t s_token_hash(const char *token)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)token; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h;
}

/* Remembers a ticket's token, so a repeated issue finds it without walking the day. -1 out
 * of memory (a repeat would then get a second ticket). */
static int s_token_add(hall_t *self, const hq_ticket_t *t)
{
    if (!t->token[0])
        return 0;
    if ((self->ntokens + 1) * 2 > self->token_cap) {
        size_t cap = self->token_cap ? self->token_cap * 2 : 1024;
        int64_t *grown = hq_calloc(cap, sizeof *grown);
        if (!grown)
            return -1;
        for (size_t i = 0; i < self->token_cap; i++) {
            const hq_ticket_t *o = self->token_ids[i] ? s_ticket(self, self->token_ids[i]) : NULL;
            if (!o)
                continue;
            size_t k = (size_t)s_token_hash(o->token) & (cap - 1);
            while (grown[k])
                k = (k + 1) & (cap - 1);
            grown[k] = o->id;
        }
        hq_free(self->token_ids);
        self->token_ids = grown;
        self->token_cap = cap;
    }
    size_t k = (size_t)s_token_hash(t->token) & (self->token_cap - 1);
    while (self->token_ids[k])
        k = (k + 1) & (self->token_cap - 1);
    self->token_ids[k] = t->id;
    self->ntokens++;
    return 0;
}

static const hq_ticket_t *s_token_find(const hall_t *self, const char *token)
{
    if (!self->token_cap)
        return NULL;
    for (size_t k = (size_t)s_token_hash(token) & (self->token_cap - 1); self->token_ids[k];
         k = (k + 1) & (self->token_cap - 1)) {
        const hq_ticket_t *t = s_ticket(self, self->token_ids[k]);
        if (t && strcmp(t->token, token) == 0 && strcmp(t->day, self->day) == 0)
            return t;
    }
    return NULL;
}

static void s_token_clear(hall_t *self)
{
    hq_free(self->token_ids);
    self->token_ids = NULL;
    self->token_cap = self->ntokens = 0;
}

int hall_load_ticket(hall_t *self, const hq_ticket_t *t)
{
    return s_append(self, t) ? 0 : -1;
}

/* A counter's state follows from its clerk, pause flag and current ticket. */
static void s_derive(hall_t *self, hall_counter_t *c)
{
    const hq_ticket_t *t = c->pub.current ? s_ticket(self, c->pub.current) : NULL;
    c->pub.current_label[0] = '\0';
    if (t)
        hq_strlcpy(c->pub.current_label, t->label, sizeof c->pub.current_label);
    else
        c->pub.current = 0;
    if (!c->pub.clerk[0])
        c->pub.state = HQ_C_CLOSED;
    else if (t && t->state == HQ_T_CALLED)
        c->pub.state = HQ_C_CALLING;
    else if (t && t->state == HQ_T_SERVING)
        c->pub.state = HQ_C_SERVING;
    else if (c->paused)
        c->pub.state = HQ_C_PAUSED;
    else
        c->pub.state = HQ_C_IDLE;
    if (!c->paused)
        c->pub.pause_reason[0] = '\0';
}

void hall_load_counter(hall_t *self, int id, const char *clerk, int paused,
                       const char *pause_reason, int64_t current, int green_streak,
                       int64_t since_ms)
{
    hall_counter_t *c = hall_find_counter(self, id);
    if (!c)
        return; /* counter removed from the config since */
    hq_strlcpy(c->pub.clerk, clerk ? clerk : "", sizeof c->pub.clerk);
    c->paused = paused;
    hq_strlcpy(c->pub.pause_reason, pause_reason ? pause_reason : "", sizeof c->pub.pause_reason);
    c->pub.current = current;
    c->pub.green_streak = green_streak;
    c->pub.since_ms = since_ms;
}

/* Fills the entry for a call of ticket `label`. */
static void s_call_set(hall_call_t *c, const char *label, int counter, int64_t ts_ms, int recall,
                       int green)
{
    hq_strlcpy(c->label, label, sizeof c->label);
    c->counter = counter;
    c->ts_ms = ts_ms;
    c->recall = recall;
    c->green = green != 0;
}

void hall_load_call(hall_t *self, const char *label, int counter, int64_t ts_ms, int recall,
                    int green)
{
    if (self->ncalls < HALL_RECENT_CALLS)
        s_call_set(&self->calls[self->ncalls++], label, counter, ts_ms, recall, green);
}

/* A call or recall happened: it goes on top of the recent calls. */
static void s_remember_call(hall_t *self, const hq_ticket_t *t, int recall, int64_t now)
{
    memmove(&self->calls[1], &self->calls[0], (HALL_RECENT_CALLS - 1) * sizeof self->calls[0]);
    s_call_set(&self->calls[0], t->label, t->counter, now, recall, t->green);
    if (self->ncalls < HALL_RECENT_CALLS)
        self->ncalls++;
}

static int s_is_today(const hall_t *self, const hq_ticket_t *t)
{
    return strcmp(t->day, self->day) == 0;
}

static void s_count_finished(hall_t *self, const hq_ticket_t *t)
{
    if (t->state != HQ_T_FINISHED || !s_is_today(self, t) ||
        !config_is_instant(self->cfg, t->queue, t->service))
        return;
    int64_t target = (int64_t)self->cfg->handling_target_min * 60000;
    int64_t ms =
        metric_handling_ms(t->last_called_ms, t->started_ms, t->finished_ms, t->park_total_ms);
    metric_add(&self->metric_hall, ms, target);
    if (t->queue >= 'A' && t->queue <= 'Z')
        metric_add(&self->metric_queue[t->queue - 'A'], ms, target);
    hall_counter_t *c = hall_find_counter(self, t->counter);
    if (c)
        metric_add(&c->metric, ms, target);
}

static void s_count_called(hall_t *self, const hq_ticket_t *t)
{
    if (t->called_ms && s_is_today(self, t)) {
        self->wait_sum_ms += t->called_ms - t->issued_ms;
        self->wait_count++;
    }
}

int hall_finish_load(hall_t *self, int64_t next_id, int64_t last_seq)
{
    self->next_id = next_id;
    self->seq = last_seq;
    for (size_t i = 0; i < self->ntickets; i++) {
        const hq_ticket_t *t = &self->tickets[i];
        if (s_is_today(self, t) && t->prefix >= 'A' && t->prefix <= 'Z' &&
            t->number > self->next_number[t->prefix - 'A'])
            self->next_number[t->prefix - 'A'] = t->number;
        if ((s_is_today(self, t) && s_token_add(self, t) != 0) || s_join_line(self, t) != 0)
            return -1;
        if (t->issued_ms > self->latest_issued_ms)
            self->latest_issued_ms = t->issued_ms;
        s_count_finished(self, t);
        s_count_called(self, t);
    }
    for (int i = 0; i < self->ncounters; i++)
        s_derive(self, &self->counters[i]);
    return 0;
}

/* ---- reading -------------------------------------------------------------------------------- */
const char *hall_day(const hall_t *self)
{
    return self->day;
}

int64_t hall_seq(const hall_t *self)
{
    return self->seq;
}

int64_t hall_next_seq(hall_t *self)
{
    return ++self->seq;
}

const hq_ticket_t *hall_ticket(const hall_t *self, int64_t id)
{
    return s_ticket(self, id);
}

const hq_counter_t *hall_counter(const hall_t *self, int id)
{
    hall_counter_t *c = hall_find_counter(self, id);
    return c ? &c->pub : NULL;
}

int hall_counter_paused(const hall_t *self, int id)
{
    hall_counter_t *c = hall_find_counter(self, id);
    return c ? c->paused : 0;
}

size_t hall_ticket_count(const hall_t *self)
{
    return self->ntickets;
}

const hq_ticket_t *hall_ticket_at(const hall_t *self, size_t i)
{
    return i < self->ntickets ? &self->tickets[i] : NULL;
}

int hall_waiting(const hall_t *self, char queue, int green_only)
{
    return queue >= 'A' && queue <= 'Z' ? s_waiting(self, queue - 'A', green_only) : 0;
}

int hall_active(hq_ticket_state_t s)
{
    return s == HQ_T_WAITING || s == HQ_T_CALLED || s == HQ_T_SERVING || s == HQ_T_PARKED ||
           s == HQ_T_NO_SHOW;
}

int64_t hall_avg_wait_ms(const hall_t *self)
{
    return self->wait_count ? self->wait_sum_ms / self->wait_count : 0;
}

int hall_scopes(const hall_t *self, hall_scope_t *out)
{
    int64_t target = (int64_t)self->cfg->handling_target_min * 60000;
    int n = 0;
    out[n++] = (hall_scope_t){"hall", "", &self->metric_hall, 0};
    for (int q = 0; q < self->cfg->nqueues; q++) {
        char prefix = self->cfg->queues[q].prefix;
        out[n] = (hall_scope_t){"queue", {prefix, 0}, &self->metric_queue[prefix - 'A'], 0};
        n++;
    }
    for (int i = 0; i < self->ncounters; i++) {
        out[n] = (hall_scope_t){"counter", "", &self->counters[i].metric, 0};
        snprintf(out[n].key, sizeof out[n].key, "%d", self->counters[i].pub.id);
        n++;
    }
    for (int i = 0; i < n; i++)
        out[i].above = metric_above(out[i].m, target);
    return n;
}

/* The waiting counts after an action ride on the action's own event (the last one made): one
 * event, one row in the event log and one message per change. Every action that moves the
 * counts has an event of its own; without one, memory ran out making it (out->oom). */
static void s_attach_counts(hall_result_t *r)
{
    if (r->nevents > 0)
        r->events[r->nevents - 1].counts = 1;
}

static void s_counter_changed(hall_t *self, hall_counter_t *c, int64_t now, hall_result_t *r)
{
    hq_counter_state_t before = c->pub.state;
    s_derive(self, c);
    if (c->pub.state != before)
        c->pub.since_ms = now;
    s_touch_counter(r, c->pub.id);
}

/* ---- actions --------------------------------------------------------------------------- */
/* Today's date as numbers, from the business day string. */
static idnum_date_t s_today(const hall_t *self)
{
    idnum_date_t d = {1970, 1, 1};
    sscanf(self->day, "%d-%d-%d", &d.year, &d.month, &d.day);
    return d;
}

/* People ahead of a waiting ticket: those the scheduler would pick first at the counters
 * that serve its queue (green before normal, then oldest first). */
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
    if (t->state == HQ_T_WAITING && self->ntickets && t == &self->tickets[self->ntickets - 1] &&
        t->issued_ms >= self->latest_issued_ms) {
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
        else if (o->green == t->green &&
                 (o->issued_ms < t->issued_ms || (o->issued_ms == t->issued_ms && o->id < t->id)))
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
        if (t->state != HQ_T_FINISHED || !s_is_today(self, t))
            continue;
        sum +=
            metric_handling_ms(t->last_called_ms, t->started_ms, t->finished_ms, t->park_total_ms);
        n++;
    }
    self->recent_ms = n ? sum / n : (int64_t)self->cfg->default_handling_min * 60000;
    return self->recent_ms;
}

static void s_estimate(hall_t *self, const hq_ticket_t *t, int *ahead, int64_t *wait_ms)
{
    int open;
    *ahead = s_ahead(self, t, &open);
    *wait_ms = (int64_t)(*ahead) * s_recent_handling(self) / (open > 0 ? open : 1);
}

/* A repeated issue request (same token, e.g. a kiosk retrying after a lost reply) gets the
 * ticket it already has instead of a second one. */
static int s_repeat_issue(hall_t *self, const hq_request_t *req, hall_result_t *r)
{
    if (!req->token[0])
        return 0;
    const hq_ticket_t *t = s_token_find(self, req->token);
    if (t) {
        if (t->queue != req->queue && t->prefix != req->queue) {
            s_fail(r, HQ_E_BAD_FIELD, "token already used for %s in queue %c", t->label, t->prefix);
            return 1;
        }
        if (t->state == HQ_T_WAITING)
            s_estimate(self, t, &r->ahead, &r->est_wait_ms);
        r->ticket = t->id;
        r->repeat = 1;
        return 1;
    }
    return 0;
}

static void s_issue(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    if (s_repeat_issue(self, req, r))
        return;
    const cfg_queue_t *q = config_queue(self->cfg, req->queue);
    if (!q) {
        s_fail(r, HQ_E_UNKNOWN_QUEUE, "no queue %c in this hall", req->queue);
        return;
    }
    const cfg_service_t *svc = NULL;
    if (req->service) {
        svc = config_service(self->cfg, req->service);
        if (!svc) {
            s_fail(r, HQ_E_UNKNOWN_SERVICE, "no service %d in this hall's catalog", req->service);
            return;
        }
        if (svc->queue != req->queue) {
            s_fail(r, HQ_E_UNKNOWN_SERVICE, "service %d belongs to queue %c, not %c", req->service,
                   svc->queue, req->queue);
            return;
        }
    }
    hq_ticket_t t;
    memset(&t, 0, sizeof t);
    t.green = req->elderly;
    if (req->id_number[0]) {
        idnum_date_t birth;
        char why[120];
        if (idnum_check(req->id_number, &birth, why, sizeof why) != 0) {
            s_fail(r, HQ_E_BAD_ID_NUMBER, "%s", why);
            return;
        }
        int age = idnum_age(birth, s_today(self));
        if (age < 0) {
            s_fail(r, HQ_E_BAD_ID_NUMBER, "ID number's birth date lies in the future");
            return;
        }
        t.green = age >= self->cfg->elderly_age;
        idnum_age_band(age, t.age_band, sizeof t.age_band);
    }
    int *next = &self->next_number[req->queue - 'A'];
    if (*next >= 9999) {
        s_fail(r, HQ_E_STATE, "queue %c has issued 9999 tickets today", req->queue);
        return;
    }
    t.id = self->next_id;
    hq_strlcpy(t.day, self->day, sizeof t.day);
    t.prefix = t.queue = req->queue;
    t.number = *next + 1;
    hq_label_format(t.prefix, t.number, t.label, sizeof t.label);
    t.service = req->service;
    hq_strlcpy(t.token, req->token, sizeof t.token);
    t.state = HQ_T_WAITING;
    t.issued_ms = now;
    hq_ticket_t *stored = s_append(self, &t);
    if (!stored) {
        s_fail(r, HQ_E_INTERNAL, "out of memory");
        return;
    }
    if (s_token_add(self, stored) != 0 || s_join_line(self, stored) != 0)
        r->oom = 1;
    if (stored->issued_ms > self->latest_issued_ms)
        self->latest_issued_ms = stored->issued_ms;
    self->next_id++;
    (*next)++;
    s_estimate(self, stored, &r->ahead, &r->est_wait_ms);
    r->ticket = stored->id;
    s_touch_ticket(r, stored->id);
    s_event(r, HQ_EV_ISSUED);
    s_attach_counts(r);
}

/* The counter named in the request, open for business; fails the request otherwise. */
static hall_counter_t *s_open_counter(hall_t *self, const hq_request_t *req, hall_result_t *r)
{
    hall_counter_t *c = hall_find_counter(self, req->counter);
    if (!c) {
        s_fail(r, HQ_E_UNKNOWN_COUNTER, "no counter %d in this hall", req->counter);
        return NULL;
    }
    if (!c->pub.clerk[0]) {
        s_fail(r, HQ_E_STATE, "counter %d is closed: a clerk must log in first", req->counter);
        return NULL;
    }
    return c;
}

/* The ticket at the counter, in one of the allowed states. */
static hq_ticket_t *s_current(hall_t *self, hall_counter_t *c, unsigned allowed, hall_result_t *r)
{
    hq_ticket_t *t = c->pub.current ? s_ticket(self, c->pub.current) : NULL;
    if (!t) {
        s_fail(r, HQ_E_STATE, "counter %d has no ticket at the window", c->pub.id);
        return NULL;
    }
    if (!(allowed & (1u << t->state))) {
        s_fail(r, HQ_E_STATE, "%s at counter %d is %s", t->label, c->pub.id,
               hq_ticket_state_name(t->state));
        return NULL;
    }
    return t;
}

static void s_call(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = s_open_counter(self, req, r);
    if (!c)
        return;
    if (c->paused) {
        s_fail(r, HQ_E_STATE, "counter %d is paused: resume first", c->pub.id);
        return;
    }
    hq_ticket_t *held = c->pub.current ? s_ticket(self, c->pub.current) : NULL;
    if (held) {
        s_fail(r, HQ_E_STATE,
               "counter %d still has %s (%s): finish, park, transfer or mark no-show first",
               c->pub.id, held->label, hq_ticket_state_name(held->state));
        return;
    }
    hq_ticket_t *t = NULL;
    char reason[HQ_REASON_MAX];
    int streak = c->pub.green_streak;
    if (req->number[0]) {
        t = s_ticket_by_label(self, req->number);
        if (!t) {
            s_fail(r, HQ_E_UNKNOWN_TICKET, "no ticket %s today", req->number);
            return;
        }
        if (t->state != HQ_T_WAITING) {
            s_fail(r, HQ_E_STATE, "%s is %s, not waiting", t->label,
                   hq_ticket_state_name(t->state));
            return;
        }
        if (!strchr(c->pub.queues, t->queue)) {
            s_fail(r, HQ_E_STATE, "counter %d does not serve queue %c", c->pub.id, t->queue);
            return;
        }
        hq_strlcpy(reason, "chosen by clerk", sizeof reason);
    } else {
        /* The scheduler wants the oldest green and the oldest normal ticket of the counter's
         * queues: the fronts of their lines. */
        sched_ticket_t cand[2 * HQ_QUEUES_MAX];
        int n = 0;
        for (const char *q = c->pub.queues; *q >= 'A' && *q <= 'Z'; q++)
            for (int g = 0; g < 2; g++) {
                const sched_ticket_t *f = sched_line_first(&self->lines[*q - 'A'][g]);
                if (f)
                    cand[n++] = *f;
            }
        sched_rules_t rules = {self->cfg->green_max_in_row,
                               (int64_t)self->cfg->normal_max_wait_min * 60000};
        sched_pick_t pick = sched_pick(cand, n, c->pub.queues, streak, &rules, now);
        if (pick.index >= 0) {
            t = s_ticket(self, cand[pick.index].id);
            assert(t && t->state == HQ_T_WAITING); /* a line holds waiting tickets only */
            streak = pick.green_streak;
            sched_reason_text(&pick, &rules, reason, sizeof reason);
        }
        if (!t)
            return; /* nothing waiting: no ticket, no change */
    }
    if (!t->called_ms) {
        t->called_ms = now;
        self->wait_sum_ms += now - t->issued_ms;
        self->wait_count++;
    }
    t->last_called_ms = now;
    t->started_ms = 0;
    t->calls = 1;
    s_leave_line(self, t);
    t->state = HQ_T_CALLED;
    t->counter = c->pub.id;
    hq_strlcpy(t->clerk, c->pub.clerk, sizeof t->clerk);
    hq_strlcpy(t->reason, reason, sizeof t->reason);
    c->pub.current = t->id;
    c->pub.green_streak = streak;
    s_remember_call(self, t, 0, now);
    s_counter_changed(self, c, now, r);
    s_touch_ticket(r, t->id);
    r->ticket = t->id;
    r->counter = c->pub.id;
    s_event(r, HQ_EV_CALLED);
    s_attach_counts(r);
}

/* The common end of an action on a ticket: persist the ticket (and the window, when one is
 * involved), reply with both, publish one event. */
static void s_ticket_done(hall_t *self, hq_ticket_t *t, hall_counter_t *c, int64_t now,
                          hall_result_t *r, hq_event_type_t type)
{
    if (c) {
        s_counter_changed(self, c, now, r);
        r->counter = c->pub.id;
    }
    s_touch_ticket(r, t->id);
    r->ticket = t->id;
    s_event(r, type);
}

#define S_BIT(s) (1u << (s))

static void s_recall(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = s_open_counter(self, req, r);
    hq_ticket_t *t = c ? s_current(self, c, S_BIT(HQ_T_CALLED), r) : NULL;
    if (!t)
        return;
    t->calls++;
    t->last_called_ms = now;
    s_remember_call(self, t, 1, now);
    s_ticket_done(self, t, c, now, r, HQ_EV_RECALLED);
}

static void s_start(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = s_open_counter(self, req, r);
    hq_ticket_t *t = c ? s_current(self, c, S_BIT(HQ_T_CALLED), r) : NULL;
    if (!t)
        return;
    t->state = HQ_T_SERVING;
    t->started_ms = now;
    s_ticket_done(self, t, c, now, r, HQ_EV_STARTED);
}

static void s_finish(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = s_open_counter(self, req, r);
    hq_ticket_t *t = c ? s_current(self, c, S_BIT(HQ_T_CALLED) | S_BIT(HQ_T_SERVING), r) : NULL;
    if (!t)
        return;
    if (!t->started_ms)
        t->started_ms = t->last_called_ms; /* start never pressed: handling began at the call */
    self->recent_ms = -1;
    t->state = HQ_T_FINISHED;
    t->finished_ms = now;
    if (!s_is_today(self, t))
        self->compact_due = 1; /* kept over midnight, now closed: a fresh load leaves it out */
    r->handling_ms =
        metric_handling_ms(t->last_called_ms, t->started_ms, t->finished_ms, t->park_total_ms);
    r->instant = config_is_instant(self->cfg, t->queue, t->service);
    s_count_finished(self, t);
    c->pub.current = 0;
    s_ticket_done(self, t, c, now, r, HQ_EV_FINISHED);
}

static void s_no_show(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = s_open_counter(self, req, r);
    hq_ticket_t *t = c ? s_current(self, c, S_BIT(HQ_T_CALLED), r) : NULL;
    if (!t)
        return;
    if (t->calls < self->cfg->noshow_after_calls) {
        s_fail(r, HQ_E_STATE, "%s was called %d time(s): recall it first (no-show after %d)",
               t->label, t->calls, self->cfg->noshow_after_calls);
        return;
    }
    t->state = HQ_T_NO_SHOW;
    c->pub.current = 0;
    s_ticket_done(self, t, c, now, r, HQ_EV_NO_SHOW);
}

static hq_ticket_t *s_named(hall_t *self, const hq_request_t *req, hq_ticket_state_t want,
                            hall_result_t *r)
{
    hq_ticket_t *t = s_ticket_by_label(self, req->number);
    if (!t) {
        s_fail(r, HQ_E_UNKNOWN_TICKET, "no ticket %s today", req->number);
        return NULL;
    }
    if (t->state != want) {
        s_fail(r, HQ_E_STATE, "%s is %s, not %s", t->label, hq_ticket_state_name(t->state),
               hq_ticket_state_name(want));
        return NULL;
    }
    return t;
}

static void s_reactivate(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hq_ticket_t *t = s_named(self, req, HQ_T_NO_SHOW, r);
    if (!t)
        return;
    /* Back in line at its original place: the citizen did take a number before the others. */
    t->state = HQ_T_WAITING;
    if (s_join_line(self, t) != 0)
        r->oom = 1;
    t->calls = 0;
    t->last_called_ms = 0;
    t->started_ms = 0;
    t->counter = 0;
    s_ticket_done(self, t, NULL, now, r, HQ_EV_REACTIVATED);
    s_attach_counts(r);
}

static void s_park(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = s_open_counter(self, req, r);
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
static int s_counter_free(hall_t *self, hall_counter_t *c, hall_result_t *r)
{
    if (c->paused) {
        s_fail(r, HQ_E_STATE, "counter %d is paused: resume first", c->pub.id);
        return 0;
    }
    hq_ticket_t *held = c->pub.current ? s_ticket(self, c->pub.current) : NULL;
    if (held) {
        s_fail(r, HQ_E_STATE, "counter %d still has %s: finish or park it first", c->pub.id,
               held->label);
        return 0;
    }
    return 1;
}

static void s_unpark(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = s_open_counter(self, req, r);
    if (!c || !s_counter_free(self, c, r))
        return;
    hq_ticket_t *t = s_named(self, req, HQ_T_PARKED, r);
    if (!t)
        return;
    if (!strchr(c->pub.queues, t->queue)) {
        s_fail(r, HQ_E_STATE, "counter %d does not serve queue %c", c->pub.id, t->queue);
        return;
    }
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
    hall_counter_t *c = s_open_counter(self, req, r);
    hq_ticket_t *t = c ? s_current(self, c, S_BIT(HQ_T_CALLED) | S_BIT(HQ_T_SERVING), r) : NULL;
    if (!t)
        return;
    if (!config_queue(self->cfg, req->queue)) {
        s_fail(r, HQ_E_UNKNOWN_QUEUE, "no queue %c in this hall", req->queue);
        return;
    }
    if (req->queue == t->queue) {
        s_fail(r, HQ_E_STATE, "%s is already in queue %c", t->label, t->queue);
        return;
    }
    char from = t->queue;
    /* It keeps its original issue time, so it takes its rightful place in the new queue. */
    t->queue = req->queue;
    t->state = HQ_T_WAITING;
    if (s_join_line(self, t) != 0)
        r->oom = 1;
    t->transfers++;
    t->calls = 0;
    t->last_called_ms = 0;
    t->started_ms = 0;
    t->counter = 0;
    c->pub.current = 0;
    r->from_queue = from;
    s_ticket_done(self, t, c, now, r, HQ_EV_TRANSFERRED);
    s_attach_counts(r);
}

static void s_rate(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hq_ticket_t *t = s_named(self, req, HQ_T_FINISHED, r);
    if (!t)
        return;
    if (t->rating) {
        s_fail(r, HQ_E_STATE, "%s was already rated %d", t->label, t->rating);
        return;
    }
    t->rating = req->rating;
    s_ticket_done(self, t, NULL, now, r, HQ_EV_RATED);
}

/* The common end of an action on a window: persist it, reply with it, publish it. */
static void s_counter_event(hall_t *self, hall_counter_t *c, int64_t now, hall_result_t *r)
{
    s_counter_changed(self, c, now, r);
    r->counter = c->pub.id;
    s_event(r, HQ_EV_COUNTER);
    s_attach_counts(r); /* open windows change the wait estimates */
}

static void s_pause(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = s_open_counter(self, req, r);
    if (!c)
        return;
    if (c->paused) {
        s_fail(r, HQ_E_STATE, "counter %d is already paused", c->pub.id);
        return;
    }
    if (!s_counter_free(self, c, r))
        return;
    c->paused = 1;
    hq_strlcpy(c->pub.pause_reason, req->reason[0] ? req->reason : "paused",
               sizeof c->pub.pause_reason);
    s_counter_event(self, c, now, r);
}

static void s_resume(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = s_open_counter(self, req, r);
    if (!c)
        return;
    if (!c->paused) {
        s_fail(r, HQ_E_STATE, "counter %d is not paused", c->pub.id);
        return;
    }
    c->paused = 0;
    s_counter_event(self, c, now, r);
}

static void s_login(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = hall_find_counter(self, req->counter);
    if (!c) {
        s_fail(r, HQ_E_UNKNOWN_COUNTER, "no counter %d in this hall", req->counter);
        return;
    }
    if (strcmp(c->pub.clerk, req->clerk) == 0) {
        r->counter = c->pub.id;
        return; /* already logged in: nothing changes */
    }
    /* A/B backup: another clerk takes the window over as it stands, ticket and pause kept. */
    hq_strlcpy(r->previous_clerk, c->pub.clerk, sizeof r->previous_clerk);
    hq_strlcpy(c->pub.clerk, req->clerk, sizeof c->pub.clerk);
    s_counter_event(self, c, now, r);
}

static void s_logout(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = s_open_counter(self, req, r);
    if (!c)
        return;
    hq_ticket_t *held = c->pub.current ? s_ticket(self, c->pub.current) : NULL;
    if (held) {
        s_fail(r, HQ_E_STATE, "counter %d still has %s: finish, park or transfer it first",
               c->pub.id, held->label);
        return;
    }
    c->pub.clerk[0] = '\0';
    c->paused = 0;
    c->pub.green_streak = 0;
    s_counter_event(self, c, now, r);
}

static void s_dispatch(hall_t *self, const hq_request_t *req, int64_t now_ms, hall_result_t *out);

void hall_handle(hall_t *self, const hq_request_t *req, int64_t now_ms, hall_result_t *out)
{
    /* One check for the allocations an action makes (see hq_alloc). */
    uint64_t failures = hq_alloc_failures();
    s_dispatch(self, req, now_ms, out);
    if (out->oom || hq_alloc_failures() != failures)
        s_out_of_memory(out);
}

static void s_dispatch(hall_t *self, const hq_request_t *req, int64_t now_ms, hall_result_t *out)
{
    switch (req->type) {
    case HQ_REQ_PING:
    case HQ_REQ_SNAPSHOT:
    case HQ_REQ_CATALOG:
        break; /* readings: the reply is the hall as it stands (hall_wire) */
    case HQ_REQ_ISSUE:
        s_issue(self, req, now_ms, out);
        break;
    case HQ_REQ_CALL:
        s_call(self, req, now_ms, out);
        break;
    case HQ_REQ_RECALL:
        s_recall(self, req, now_ms, out);
        break;
    case HQ_REQ_START:
        s_start(self, req, now_ms, out);
        break;
    case HQ_REQ_FINISH:
        s_finish(self, req, now_ms, out);
        break;
    case HQ_REQ_NO_SHOW:
        s_no_show(self, req, now_ms, out);
        break;
    case HQ_REQ_REACTIVATE:
        s_reactivate(self, req, now_ms, out);
        break;
    case HQ_REQ_PARK:
        s_park(self, req, now_ms, out);
        break;
    case HQ_REQ_UNPARK:
        s_unpark(self, req, now_ms, out);
        break;
    case HQ_REQ_TRANSFER:
        s_transfer(self, req, now_ms, out);
        break;
    case HQ_REQ_RATE:
        s_rate(self, req, now_ms, out);
        break;
    case HQ_REQ_PAUSE:
        s_pause(self, req, now_ms, out);
        break;
    case HQ_REQ_RESUME:
        s_resume(self, req, now_ms, out);
        break;
    case HQ_REQ_LOGIN:
        s_login(self, req, now_ms, out);
        break;
    case HQ_REQ_LOGOUT:
        s_logout(self, req, now_ms, out);
        break;
    default:
        s_fail(out, HQ_E_UNKNOWN_TYPE, "unknown request");
        break;
    }
}

int hall_rollover(hall_t *self, const char *day, int64_t now_ms, hall_result_t *out)
{
    uint64_t failures = hq_alloc_failures();
    int new_day = strcmp(day, self->day) != 0;
    int expired = 0;
    for (size_t i = 0; i < self->ntickets; i++) {
        hq_ticket_t *t = &self->tickets[i];
        /* A ticket being served stays with its counter; anything else still open from an
         * earlier day is over (tickets are valid on their day only). */
        if (strcmp(t->day, day) != 0 && (t->state == HQ_T_WAITING || t->state == HQ_T_CALLED ||
                                         t->state == HQ_T_PARKED || t->state == HQ_T_NO_SHOW)) {
            s_leave_line(self, t);
            t->state = HQ_T_EXPIRED;
            s_touch_ticket_as(out, t->id, 1);
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
        self->recent_ms = -1;
        self->ncalls = 0;
        s_token_clear(self);
    }
    if (new_day) {
        memset(self->next_number, 0, sizeof self->next_number);
        memset(self->metric_queue, 0, sizeof self->metric_queue);
        memset(&self->metric_hall, 0, sizeof self->metric_hall);
        self->wait_sum_ms = self->wait_count = 0;
    }
    for (int i = 0; i < self->ncounters; i++) {
        hall_counter_t *c = &self->counters[i];
        if (new_day) {
            memset(&c->metric, 0, sizeof c->metric);
            c->pub.green_streak = 0;
            s_touch_counter(out, c->pub.id);
        }
        const hq_ticket_t *t = c->pub.current ? s_ticket(self, c->pub.current) : NULL;
        if (t && t->state == HQ_T_EXPIRED)
            c->pub.current = 0;
        s_counter_changed(self, c, now_ms, out);
    }
    s_event(out, HQ_EV_DAY);
    s_attach_counts(out);
    if (hq_alloc_failures() != failures)
        s_out_of_memory(out);
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
        if (s_is_today(self, t) || hall_active(t->state))
            self->tickets[keep++] = *t;
    }
    self->ntickets = keep;
}

void hall_metric_tick(hall_t *self, hall_result_t *out)
{
    hall_scope_t scopes[HALL_SCOPES_MAX];
    int n = hall_scopes(self, scopes), above = 0;
    for (int i = 0; i < n; i++)
        above |= scopes[i].above;
    s_event(out, HQ_EV_METRIC);
    if (above)
        s_event(out, HQ_EV_ALERT);
}
