/* session: the state, reading the model, and the tick (see session.h). The clerk's keys
 * are session_keys.c, requests, replies and events session_replies.c. */
#include "session_internal.h"

#include "hq_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *hqc_state_name(hqc_state_t s)
{
    static const char *const names[] = {"login",  "pin",    "main",    "number", "parked", "queue",
                                        "reason", "rating", "noshows", "logout", "quit"};
    return (s >= HQC_S_LOGIN && s <= HQC_S_QUIT) ? names[s] : "?";
}

void hqc_session_enter(hqc_session_t *s, hqc_state_t next)
{
    if (s->state != next)
        hq_debug("session %s -> %s", hqc_state_name(s->state), hqc_state_name(next));
    s->state = next;
    s->pick = 0;
    s->entry[0] = '\0';
}

void hqc_session_say(hqc_session_t *s, int64_t now, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->message, sizeof s->message, fmt, ap);
    va_end(ap);
    s->message_error = error;
    s->message_at = now;
}

void hqc_session_init(hqc_session_t *s, int counter, const char *clerk, ui_lang_t lang,
                      const char *endpoint, int timeout_ms)
{
    memset(s, 0, sizeof *s);
    s->state = HQC_S_LOGIN;
    s->lang = lang;
    s->counter = counter;
    hq_strlcpy(s->clerk, clerk, sizeof s->clerk);
    hq_strlcpy(s->endpoint, endpoint ? endpoint : "", sizeof s->endpoint);
    s->timeout_ms = timeout_ms > 0 ? timeout_ms : 1500;
    hqc_catalog_init(&s->catalog);
    s->catalog_wanted = 1;
    s->figures_wanted = 1;
}

void hqc_session_free(hqc_session_t *s)
{
    hqc_catalog_clear(&s->catalog);
    memset(s->pin, 0, sizeof s->pin);
    memset(s->pin_entry, 0, sizeof s->pin_entry);
    memset(&s->sent, 0, sizeof s->sent);
    memset(&s->action, 0, sizeof s->action);
}

/* ---- reading the model ------------------------------------------------------------------- */
int hqc_session_live(const hq_mirror_t *m)
{
    return m->state == HQ_SYNC_ACTIVE;
}

int hqc_session_stale(const hqc_session_t *s, const hq_mirror_t *m, int64_t now)
{
    if (hqc_session_live(m))
        return 0;
    if (m->state == HQ_SYNC_OFFLINE || m->state == HQ_SYNC_INITIAL)
        return 1;
    /* A resync after a gap takes milliseconds; greying the screen for it would flicker. */
    return s->unsynced_since > 0 && now - s->unsynced_since > HQC_STALE_MS;
}

const hq_counter_t *hqc_session_counter(const hqc_session_t *s, const hq_mirror_t *m)
{
    return hq_mirror_counter(m, s->counter);
}

const hq_ticket_t *hqc_session_ticket(const hqc_session_t *s, const hq_mirror_t *m)
{
    const hq_counter_t *c = hqc_session_counter(s, m);
    if (!c || !c->current)
        return NULL;
    const hq_ticket_t *t = hq_mirror_ticket(m, c->current);
    if (!t && c->current_label[0])
        t = hq_mirror_ticket_by_label(m, c->current_label);
    return t;
}

int hqc_session_serves(const hq_counter_t *c, char queue)
{
    return c && queue && strchr(c->queues, queue) != NULL;
}

static int s_by_parked(const void *a, const void *b)
{
    const hq_ticket_t *x = *(const hq_ticket_t *const *)a, *y = *(const hq_ticket_t *const *)b;
    if (x->parked_ms != y->parked_ms)
        return x->parked_ms < y->parked_ms ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

int hqc_session_parked(const hqc_session_t *s, const hq_mirror_t *m, const hq_ticket_t **out,
                       int max)
{
    const hq_counter_t *c = hqc_session_counter(s, m);
    int n = 0;
    for (int i = 0; i < m->ntickets && n < max; i++)
        if (m->tickets[i].state == HQ_T_PARKED && hqc_session_serves(c, m->tickets[i].queue))
            out[n++] = &m->tickets[i];
    /* cppcheck-suppress uninitvar ; qsort reads out[0..n), each written just above */
    qsort(out, (size_t)n, sizeof *out, s_by_parked);
    return n;
}

static int s_by_turn(const void *a, const void *b)
{
    const hq_ticket_t *x = *(const hq_ticket_t *const *)a, *y = *(const hq_ticket_t *const *)b;
    if (x->green != y->green)
        return x->green ? -1 : 1;
    if (x->issued_ms != y->issued_ms)
        return x->issued_ms < y->issued_ms ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

int hqc_session_waiting(const hqc_session_t *s, const hq_mirror_t *m, const hq_ticket_t **out,
                        int max)
{
    const hq_counter_t *c = hqc_session_counter(s, m);
    int n = 0;
    /* The first `max` in turn order, by insertion: a busy hall has hundreds waiting and the
     * screen shows a handful. */
    for (int i = 0; i < m->ntickets && max > 0; i++) {
        const hq_ticket_t *t = &m->tickets[i];
        if (t->state != HQ_T_WAITING || !hqc_session_serves(c, t->queue))
            continue;
        int pos = n < max ? n++ : max;
        while (pos > 0 && s_by_turn(&t, &out[pos - 1]) < 0) {
            if (pos < max)
                out[pos] = out[pos - 1];
            pos--;
        }
        if (pos < max)
            out[pos] = t;
    }
    return n;
}

static int s_by_last_call(const void *a, const void *b)
{
    const hq_ticket_t *x = *(const hq_ticket_t *const *)a, *y = *(const hq_ticket_t *const *)b;
    if (x->last_called_ms != y->last_called_ms)
        return x->last_called_ms > y->last_called_ms ? -1 : 1;
    return x->id > y->id ? -1 : x->id < y->id;
}

int hqc_session_noshows(const hqc_session_t *s, const hq_mirror_t *m, const hq_ticket_t **out,
                        int max)
{
    int n = 0;
    /* Marked here: the ones this window's key may put back (PROTOCOL.md, "own ticket"). */
    for (int i = 0; i < m->ntickets && n < max; i++)
        if (m->tickets[i].state == HQ_T_NO_SHOW && m->tickets[i].counter == s->counter)
            out[n++] = &m->tickets[i];
    /* cppcheck-suppress uninitvar ; qsort reads out[0..n), each written just above */
    qsort(out, (size_t)n, sizeof *out, s_by_last_call);
    return n;
}

int hqc_session_logout_keys(const hqc_session_t *s, const hq_mirror_t *m, int *keys, int max)
{
    hqc_facts_t f;
    hqc_session_facts(s, m, &f);
    int n = 0;
    if (!f.label[0]) {
        keys[n++] = 'y';
        keys[n++] = 'k';
    } else {
        static const struct {
            int key;
            hqc_action_t action;
        } deal[] = {
            {'f', HQC_A_FINISH}, {'p', HQC_A_PARK}, {'t', HQC_A_TRANSFER}, {'x', HQC_A_NO_SHOW}};
        f.busy = 0; /* offered while a reply is awaited; checked again when chosen */
        for (size_t i = 0; i < sizeof deal / sizeof deal[0] && n < max - 2; i++)
            if (hqc_key_check(deal[i].action, &f) == HQC_M_NONE)
                keys[n++] = deal[i].key;
        keys[n++] = 'k'; /* a restart of the terminal in the middle of a service */
    }
    keys[n++] = 'n';
    return n;
}

int64_t hqc_session_target_ms(const hqc_session_t *s, const hq_mirror_t *m)
{
    return m->target_ms > 0 ? m->target_ms : (int64_t)s->catalog.target_min * 60000;
}

int hqc_session_instant(const hqc_session_t *s, const hq_ticket_t *t)
{
    return hqc_catalog_instant(&s->catalog, t->queue, t->service);
}

int hqc_session_alert(const hqc_session_t *s, const hq_mirror_t *m)
{
    const hqc_figures_t *fig = &s->figures;
    /* The mean as the daemon rounds it: above the target by a millisecond is above. */
    return s->figures_known && fig->count > 0 && fig->avg_ms > hqc_session_target_ms(s, m);
}

int hqc_session_targets(const hqc_session_t *s, const hq_mirror_t *m, char *out, int max)
{
    const hq_ticket_t *t = hqc_session_ticket(s, m);
    int n = 0;
    for (int i = 0; i < m->nqueues && n < max; i++)
        if (!t || m->queues[i].prefix != t->queue)
            out[n++] = m->queues[i].prefix;
    return n;
}

hqc_msg_t hqc_session_reason(int i)
{
    static const hqc_msg_t reasons[HQC_REASONS] = {HQC_M_REASON_1, HQC_M_REASON_2, HQC_M_REASON_3,
                                                   HQC_M_REASON_4, HQC_M_REASON_5};
    return (i >= 0 && i < HQC_REASONS) ? reasons[i] : HQC_M_NONE;
}

const char *hqc_session_pair_code(const hqc_session_t *s, int64_t now, int64_t *left_ms)
{
    if (!s->pair_code[0] || now >= s->pair_gone_at)
        return NULL;
    if (left_ms)
        *left_ms = s->pair_gone_at - now;
    return s->pair_code;
}

const char *hqc_session_message(const hqc_session_t *s, int64_t now, int *error)
{
    if (error)
        *error = s->message_error;
    if (!s->message[0] || now - s->message_at > HQC_MESSAGE_MS)
        return "";
    return s->message;
}

void hqc_session_facts(const hqc_session_t *s, const hq_mirror_t *m, hqc_facts_t *f)
{
    memset(f, 0, sizeof *f);
    const hq_counter_t *c = hqc_session_counter(s, m);
    const hq_ticket_t *t = hqc_session_ticket(s, m);
    f->link_up = hqc_session_live(m);
    f->logged_in = s->logged_in;
    f->mine = c && c->clerk[0] && strcmp(c->clerk, s->clerk) == 0;
    f->busy = s->queued || (s->inflight && s->sent_is_action);
    f->state = c ? c->state : HQ_C_CLOSED;
    f->ticket_state = -1;
    if (c && c->current_label[0])
        hq_strlcpy(f->label, c->current_label, sizeof f->label);
    if (t) {
        hq_strlcpy(f->label, t->label, sizeof f->label);
        f->ticket_state = (int)t->state;
        f->calls = t->calls;
    }
    f->noshow_after = s->catalog.noshow_after;
    const hq_ticket_t *parked[HQC_LIST_MAX];
    f->parked = hqc_session_parked(s, m, parked, HQC_LIST_MAX);
    f->noshows = hqc_session_noshows(s, m, parked, HQC_LIST_MAX);
    char targets[HQ_QUEUES_MAX];
    f->other_queues = hqc_session_targets(s, m, targets, HQ_QUEUES_MAX);
    hq_strlcpy(f->rate_label, s->rate_label, sizeof f->rate_label);
}

/* ---- the tick ---------------------------------------------------------------------------- */

/* The action a list belongs to: the list closes when that action stops making sense. */
static int s_list_action(hqc_state_t st)
{
    switch (st) {
    case HQC_S_NUMBER:
        return HQC_A_NUMBER;
    case HQC_S_PARKED:
        return HQC_A_UNPARK;
    case HQC_S_QUEUE:
        return HQC_A_TRANSFER;
    case HQC_S_REASON:
        return HQC_A_PAUSE;
    case HQC_S_RATING:
        return HQC_A_RATE;
    case HQC_S_NOSHOWS:
        return HQC_A_REQUEUE;
    default:
        return -1;
    }
}

void hqc_session_tick(hqc_session_t *s, const hq_mirror_t *m, int64_t now, int64_t now_wall)
{
    int live = hqc_session_live(m);
    if (live) {
        if (!s->was_live) {
            /* A fresh snapshot: events may have been missed, so the figures (which the
             * mirror does not keep per window) are read again; after an outage the
             * catalog too, since the daemon may have restarted with another config. */
            s->figures_wanted = 1;
            if (s->went_offline)
                s->catalog_wanted = 1;
            s->went_offline = 0;
        }
        s->unsynced_since = 0;
        s->live_wall_ms = now_wall;
    } else {
        if (s->unsynced_since == 0)
            s->unsynced_since = now;
        if (m->state == HQ_SYNC_OFFLINE)
            s->went_offline = 1;
    }
    s->was_live = live;

    if (s->state == HQC_S_LOGOUT) {
        /* Taken over or logged out elsewhere meanwhile: nothing of this clerk's to close. */
        hqc_facts_t f;
        hqc_session_facts(s, m, &f);
        if (!f.mine)
            hqc_session_enter(s, HQC_S_MAIN);
        return;
    }
    int a = s_list_action(s->state);
    if (a < 0)
        return;
    hqc_facts_t f;
    hqc_session_facts(s, m, &f);
    f.busy = 0; /* a list is only opened when the line is free; a late reply does not close it */
    if (a == HQC_A_PAUSE && f.state == HQ_C_PAUSED) {
        /* Paused meanwhile (another device): the reason is moot. */
        hqc_session_enter(s, HQC_S_MAIN);
        return;
    }
    char why[200];
    if (hqc_key_refusal((hqc_action_t)a, &f, s->lang, why, sizeof why) != 0) {
        s->logout_after = 0; /* the transfer before a logout cannot be: the clerk decides anew */
        hqc_session_enter(s, HQC_S_MAIN);
        hqc_session_say(s, now, 1, "%s", why);
    }
}
