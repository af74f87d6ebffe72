/* The hall's state: making and loading it, finding tickets and counters, the kiosk tokens and
 * the web tokens, the day's figures, reading it; and the results actions fill. The actions are in
 * hall_actions.c, the waiting lines in hall_lines.c, the day's turn in hall_day.c. */
#include "hall_int.h"

#include "hq_alloc.h"

#include <assert.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- results ---------------------------------------------------------------------------- */
void hall_result_init(hall_result_t *r)
{
    memset(r, 0, sizeof *r);
}

void hall_result_clear(hall_result_t *r)
{
    hq_free(r->tickets);
    hq_free(r->counters);
    hq_free(r->bookings);
    hall_result_init(r);
}

/* An event happened; its fields are the result's. */
void hall_event(hall_result_t *r, hq_event_type_t type)
{
    assert(r->nevents < HALL_EVENTS_MAX);
    r->events[r->nevents++] = (hall_event_t){type, 0};
}

/* Adds a ticket to persist; `unique` when the caller knows it is not listed yet (a rollover
 * touching thousands of tickets must not search the list each time). */
void hall_touch_ticket(hall_result_t *r, int64_t id, int unique)
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

void hall_touch_counter(hall_result_t *r, int id)
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

void hall_fail(hall_result_t *r, hq_error_code_t code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error.message, sizeof r->error.message, fmt, ap);
    va_end(ap);
    r->error.code = code;
}

void hall_refuse(hall_result_t *r, const char *detail, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error.message, sizeof r->error.message, fmt, ap);
    va_end(ap);
    r->error.code = HQ_E_STATE;
    r->detail = detail;
}

/* Memory ran out while the action ran: part of its change may be in memory. The error says
 * so; the caller reloads the hall (hall_result_t.oom). */
void hall_out_of_memory(hall_result_t *r)
{
    r->oom = 1;
    r->nevents = 0;
    hall_fail(r, HQ_E_INTERNAL, "out of memory: nothing was changed");
}

/* The waiting counts after an action ride on the action's own event (the last one made): one
 * event, one row in the event log and one message per change. Every action that moves the
 * counts has an event of its own; without one, memory ran out making it (out->oom). */
void hall_attach_counts(hall_result_t *r)
{
    if (r->nevents > 0)
        r->events[r->nevents - 1].counts = 1;
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
    if (sodium_init() < 0) {
        hall_destroy(&self);
        return NULL;
    }
    crypto_shorthash_keygen(self->web_hash_key);
    self->est = est_model_new(cfg);
    self->est_day = est_model_new(cfg);
    size_t slots = self->est ? (size_t)est_model_slots(self->est) + 1 : 0;
    self->line_slots = hq_calloc(HQ_QUEUES_MAX * 2 * slots + 1, sizeof *self->line_slots);
    if (!self->est || !self->est_day || !self->line_slots) {
        hall_destroy(&self);
        return NULL;
    }
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
    hq_free(self->bookings);
    hall_token_clear(self);
    for (int q = 0; q < HQ_QUEUES_MAX; q++) {
        for (int g = 0; g < 2; g++)
            sched_line_free(&self->lines[q][g]);
        sched_line_free(&self->appt_lines[q]);
    }
    hq_free(self->line_slots);
    est_model_destroy(&self->est);
    est_model_destroy(&self->est_day);
    hq_free(self);
    *self_p = NULL;
}

void hall_set_roster(hall_t *self, const roster_t *roster)
{
    self->roster = roster;
}

void hall_set_web_key(hall_t *self, const uint8_t *key, size_t len)
{
    self->has_web_key = len == sizeof self->web_key;
    if (self->has_web_key)
        memcpy(self->web_key, key, len);
    hq_strmap_destroy(&self->web_tokens); /* every token changes */
}

void hall_web_token(const hall_t *self, const hq_ticket_t *t, char *out, size_t outlen)
{
    char token[WEBTOKEN_TEXT_MAX] = "";
    if (self->has_web_key)
        webtoken_make(self->web_key, t->day, t->label, token);
    snprintf(out, outlen, "%s", token);
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
        c->tablet_only = self->cfg->counters[i].tablet;
        c->pub.id = self->cfg->counters[i].id;
        hq_strlcpy(c->pub.queues, self->cfg->counters[i].queues, sizeof c->pub.queues);
        c->pub.state = HQ_C_CLOSED;
    }
    memset(self->metric_queue, 0, sizeof self->metric_queue);
    memset(self->alerts, 0, sizeof self->alerts); /* raised again when still true */
    memset(self->metric_alert, 0, sizeof self->metric_alert);
    memset(&self->metric_hall, 0, sizeof self->metric_hall);
    memset(self->next_number, 0, sizeof self->next_number);
    self->wait_sum_ms = self->wait_count = 0;
    /* The wait estimate's model: a reload of the same day starts from what the day began with
     * and learns its tickets again; another day (a start) knows nothing yet. */
    if (strcmp(day, self->est_day_of) == 0) {
        est_model_copy(self->est, self->est_day);
    } else {
        est_model_clear(self->est);
        est_model_clear(self->est_day);
        hq_strlcpy(self->est_day_of, day, sizeof self->est_day_of);
    }
    hall_lines_clear(self);
    self->compact_due = 0;
    self->green_streak = 0;
    self->appt_streak = 0;
    self->nbookings = 0;
    self->next_booking_id = 1;
    self->ncalls = 0;
    hall_token_clear(self);
}

/* Tickets stay in id order (appended as issued, loaded ORDER BY id, compacted in place):
 * a lookup is a binary search, not a walk through the whole day. Where the first ticket of
 * id `id` or more is (ntickets: none). */
static size_t s_ticket_from(const hall_t *self, int64_t id)
{
    size_t lo = 0, hi = self->ntickets;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (self->tickets[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

hq_ticket_t *hall_find_ticket(const hall_t *self, int64_t id)
{
    size_t at = s_ticket_from(self, id);
    return at < self->ntickets && self->tickets[at].id == id ? &self->tickets[at] : NULL;
}

hall_counter_t *hall_find_counter(const hall_t *self, int id)
{
    for (int i = 0; i < self->ncounters; i++)
        if (self->counters[i].pub.id == id)
            return &self->counters[i];
    return NULL;
}

hq_ticket_t *hall_append_ticket(hall_t *self, const hq_ticket_t *t)
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

/* The ticket a token names, when it is still one of today's. */
static const hq_ticket_t *s_token_ticket(const hall_t *self, int at, const char *token)
{
    if (at < 0)
        return NULL;
    const hq_ticket_t *t = hall_find_ticket(self, *hq_strmap_value(self->tokens, (size_t)at));
    return t && strcmp(t->token, token) == 0 && strcmp(t->day, self->day) == 0 ? t : NULL;
}

/* Remembers a ticket's token, so a repeated issue finds it without walking the day. -1 out
 * of memory (a repeat would then get a second ticket). The first of today's tickets with a
 * token keeps it. */
int hall_token_add(hall_t *self, const hq_ticket_t *t)
{
    if (!t->token[0])
        return 0;
    if (!self->tokens && !(self->tokens = hq_strmap_new()))
        return -1;
    int at = hq_strmap_add(self->tokens, t->token);
    if (at < 0)
        return -1;
    if (!s_token_ticket(self, at, t->token))
        *hq_strmap_value(self->tokens, (size_t)at) = t->id;
    return 0;
}

const hq_ticket_t *hall_token_find(const hall_t *self, const char *token)
{
    return self->tokens ? s_token_ticket(self, hq_strmap_find(self->tokens, token), token) : NULL;
}

void hall_token_clear(hall_t *self)
{
    hq_strmap_destroy(&self->tokens);
    hq_strmap_destroy(&self->web_tokens);
}

/* ---- the web tokens ---------------------------------------------------------------------- */
/* A web token is found by a keyed hash of it (SipHash, with a key of this run's own), then
 * compared whole in constant time: without the key, a guess's time says nothing about how
 * close it came. A guess costs one hash and at most one HMAC however long the day, besides the
 * HMAC of each ticket issued since the last question, done once. */
static void s_web_hash(const hall_t *self, const char *token,
                       char out[2 * crypto_shorthash_BYTES + 1])
{
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, (const unsigned char *)token, strlen(token), self->web_hash_key);
    sodium_bin2hex(out, 2 * crypto_shorthash_BYTES + 1, h, sizeof h);
}

static int s_web_index(hall_t *self, const hq_ticket_t *t)
{
    char token[WEBTOKEN_TEXT_MAX], key[2 * crypto_shorthash_BYTES + 1];
    webtoken_make(self->web_key, t->day, t->label, token);
    s_web_hash(self, token, key);
    int at = hq_strmap_add(self->web_tokens, key);
    if (at < 0)
        return -1;
    int64_t *id = hq_strmap_value(self->web_tokens, (size_t)at);
    if (!*id) /* ids start at 1; two tokens of one hash: the first keeps it */
        *id = t->id;
    return 0;
}

/* Indexes today's tickets issued since the last question; the whole day at the first. Out
 * of memory, the index goes (NULL): the next question builds it again. */
static void s_web_catch_up(hall_t *self)
{
    if (!self->web_tokens) {
        self->web_tokens = hq_strmap_new();
        self->web_indexed = 0;
    }
    for (size_t i = s_ticket_from(self, self->web_indexed + 1);
         self->web_tokens && i < self->ntickets; i++) {
        const hq_ticket_t *t = &self->tickets[i];
        if (hall_is_today(self, t) && s_web_index(self, t) != 0)
            hq_strmap_destroy(&self->web_tokens);
        self->web_indexed = t->id;
    }
}

/* Every ticket of the day tried in turn: when memory ran out for the index, or two tokens
 * share a hash. */
static const hq_ticket_t *s_web_scan(const hall_t *self, const char *token)
{
    const hq_ticket_t *found = NULL;
    for (size_t i = 0; i < self->ntickets; i++) {
        const hq_ticket_t *t = &self->tickets[i];
        if (hall_is_today(self, t) && webtoken_matches(self->web_key, t->day, t->label, token))
            found = t;
    }
    return found;
}

const hq_ticket_t *hall_web_find(hall_t *self, const char *token)
{
    if (!self->has_web_key || strlen(token) != WEBTOKEN_TEXT_MAX - 1)
        return NULL;
    s_web_catch_up(self);
    if (!self->web_tokens)
        return s_web_scan(self, token);
    char key[2 * crypto_shorthash_BYTES + 1];
    s_web_hash(self, token, key);
    int at = hq_strmap_find(self->web_tokens, key);
    if (at < 0)
        return NULL;
    const hq_ticket_t *t = hall_find_ticket(self, *hq_strmap_value(self->web_tokens, (size_t)at));
    if (t && hall_is_today(self, t) && webtoken_matches(self->web_key, t->day, t->label, token))
        return t;
    return s_web_scan(self, token);
}

int hall_load_ticket(hall_t *self, const hq_ticket_t *t)
{
    return hall_append_ticket(self, t) ? 0 : -1;
}

/* A counter's state follows from its clerk, pause flag and current ticket. */
static void s_derive(hall_t *self, hall_counter_t *c)
{
    const hq_ticket_t *t = c->pub.current ? hall_find_ticket(self, c->pub.current) : NULL;
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
    c->pub.tablet = c->tablet[0] != '\0';
}

void hall_counter_changed(hall_t *self, hall_counter_t *c, int64_t now, hall_result_t *r)
{
    hq_counter_state_t before = c->pub.state;
    s_derive(self, c);
    if (c->pub.state != before)
        c->pub.since_ms = now;
    hall_touch_counter(r, c->pub.id);
}

void hall_load_counter(hall_t *self, int id, const char *clerk, int paused,
                       const char *pause_reason, int64_t current, int64_t since_ms)
{
    hall_counter_t *c = hall_find_counter(self, id);
    if (!c)
        return; /* counter removed from the config since */
    hq_strlcpy(c->pub.clerk, clerk ? clerk : "", sizeof c->pub.clerk);
    c->paused = paused;
    hq_strlcpy(c->pub.pause_reason, pause_reason ? pause_reason : "", sizeof c->pub.pause_reason);
    c->pub.current = current;
    c->pub.since_ms = since_ms;
}

void hall_load_green_streak(hall_t *self, int streak)
{
    self->green_streak = streak;
}

void hall_load_tablet(hall_t *self, int counter, const char *secret_hash)
{
    hall_counter_t *c = hall_find_counter(self, counter);
    if (c && strlen(secret_hash) == HALL_TABLET_HASH)
        hq_strlcpy(c->tablet, secret_hash, sizeof c->tablet);
}

void hall_tablet_hash(const char *secret, char out[HALL_TABLET_HASH + 1])
{
    unsigned char hash[HALL_TABLET_HASH / 2];
    crypto_generichash(hash, sizeof hash, (const unsigned char *)secret, strlen(secret), NULL, 0);
    sodium_bin2hex(out, HALL_TABLET_HASH + 1, hash, sizeof hash);
}

const char *hall_counter_tablet(const hall_t *self, int counter)
{
    const hall_counter_t *c = hall_find_counter(self, counter);
    return c ? c->tablet : "";
}

void hall_load_appointment_streak(hall_t *self, int streak)
{
    self->appt_streak = streak;
}

void hall_load_metric_alert(hall_t *self, const char *scope, const char *key)
{
    hall_scope_t scopes[HALL_SCOPES_MAX];
    int n = hall_scopes(self, scopes);
    for (int i = 0; i < n; i++)
        if (strcmp(scopes[i].scope, scope) == 0 && strcmp(scopes[i].key, key) == 0)
            self->metric_alert[i] = 1;
}

void hall_load_alert(hall_t *self, char queue, hall_alert_kind_t kind, int64_t value_ms)
{
    if (queue < 'A' || queue > 'Z' || (unsigned)kind >= HALL_ALERT_KINDS)
        return;
    hall_alert_state_t *st = &self->alerts[queue - 'A'][kind];
    st->raised = 1;
    st->holding_since = 0;
    st->value_ms = value_ms;
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
void hall_remember_call(hall_t *self, const hq_ticket_t *t, int recall, int64_t now)
{
    memmove(&self->calls[1], &self->calls[0], (HALL_RECENT_CALLS - 1) * sizeof self->calls[0]);
    s_call_set(&self->calls[0], t->label, t->counter, now, recall, t->green);
    if (self->ncalls < HALL_RECENT_CALLS)
        self->ncalls++;
}

int hall_is_today(const hall_t *self, const hq_ticket_t *t)
{
    return strcmp(t->day, self->day) == 0;
}

void hall_count_finished(hall_t *self, const hq_ticket_t *t)
{
    if (t->state != HQ_T_FINISHED || !hall_is_today(self, t) ||
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

void hall_count_called(hall_t *self, const hq_ticket_t *t)
{
    int64_t wait = metric_wait_ms(t->issued_ms, t->called_ms);
    if (wait >= 0 && hall_is_today(self, t)) {
        self->wait_sum_ms += wait;
        self->wait_count++;
    }
}

int hall_finish_load(hall_t *self, int64_t next_id, int64_t last_seq)
{
    self->next_id = next_id;
    self->seq = last_seq;
    for (size_t i = 0; i < self->ntickets; i++) {
        const hq_ticket_t *t = &self->tickets[i];
        if (hall_is_today(self, t) && t->prefix >= 'A' && t->prefix <= 'Z' &&
            t->number > self->next_number[t->prefix - 'A'])
            self->next_number[t->prefix - 'A'] = t->number;
        if ((hall_is_today(self, t) && hall_token_add(self, t) != 0) ||
            hall_join_line(self, t) != 0)
            return -1;
        hall_count_finished(self, t);
        hall_count_called(self, t);
        hall_learn_issued(self, t);
        hall_learn_outcome(self, t);
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
    return hall_find_ticket(self, id);
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

int hall_appointment_streak(const hall_t *self)
{
    return self->appt_streak;
}

int hall_green_streak(const hall_t *self)
{
    return self->green_streak;
}

static int64_t s_later(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

int64_t hall_latest_ms(const hall_t *self)
{
    int64_t latest = 0;
    for (size_t i = 0; i < self->ntickets; i++) {
        const hq_ticket_t *t = &self->tickets[i];
        latest = s_later(latest, s_later(t->issued_ms, t->called_ms));
        latest = s_later(latest, s_later(t->last_called_ms, t->started_ms));
        latest = s_later(latest, s_later(t->finished_ms, t->parked_ms));
    }
    for (int i = 0; i < self->ncounters; i++)
        latest = s_later(latest, self->counters[i].pub.since_ms);
    for (int i = 0; i < self->ncalls; i++)
        latest = s_later(latest, self->calls[i].ts_ms);
    return latest;
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
