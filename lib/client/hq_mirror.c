#include "hq_mirror.h"

#include <stdlib.h>
#include <string.h>

const char *hq_sync_state_name(hq_sync_state_t s)
{
    static const char *const names[] = {"initial", "syncing", "active", "offline"};
    return (s >= HQ_SYNC_INITIAL && s <= HQ_SYNC_OFFLINE) ? names[s] : "?";
}

void hq_mirror_init(hq_mirror_t *m, int64_t silence_ms)
{
    memset(m, 0, sizeof *m);
    m->state = HQ_SYNC_INITIAL;
    m->silence_ms = silence_ms > 0 ? silence_ms : 3000;
    m->target_ms = 10 * 60 * 1000;
}

void hq_mirror_free(hq_mirror_t *m)
{
    free(m->tickets);
    m->tickets = NULL;
    m->ntickets = m->tickets_cap = 0;
}

int hq_mirror_copy(hq_mirror_t *dst, const hq_mirror_t *src)
{
    hq_ticket_t *tickets = dst->tickets;
    int cap = dst->tickets_cap;
    if (src->ntickets > cap) {
        hq_ticket_t *more = realloc(tickets, (size_t)src->tickets_cap * sizeof *more);
        if (!more)
            return -1;
        tickets = more;
        cap = src->tickets_cap;
    }
    *dst = *src;
    dst->tickets = tickets;
    dst->tickets_cap = cap;
    if (src->ntickets)
        memcpy(tickets, src->tickets, (size_t)src->ntickets * sizeof *tickets);
    return 0;
}

static int s_active(hq_ticket_state_t s)
{
    return s == HQ_T_WAITING || s == HQ_T_CALLED || s == HQ_T_SERVING || s == HQ_T_PARKED ||
           s == HQ_T_NO_SHOW;
}

static int64_t s_int(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? json_integer_value(v) : 0;
}

static void s_str(const json_t *obj, const char *key, char *out, size_t n)
{
    json_t *v = json_object_get(obj, key);
    out[0] = '\0';
    if (json_is_string(v))
        hq_strlcpy(out, json_string_value(v), n);
}

static void s_load_metric(hq_mirror_metric_t *mm, const json_t *j)
{
    mm->count = (int)s_int(j, "count");
    mm->avg_ms = s_int(j, "avg_ms");
    mm->within = (int)s_int(j, "within");
}

/* Inserts or replaces a ticket; drops it when it is no longer active. */
static int s_put_ticket(hq_mirror_t *m, const hq_ticket_t *t)
{
    for (int i = 0; i < m->ntickets; i++) {
        if (m->tickets[i].id == t->id) {
            if (s_active(t->state))
                m->tickets[i] = *t;
            else
                m->tickets[i] = m->tickets[--m->ntickets];
            return 0;
        }
    }
    if (!s_active(t->state))
        return 0;
    if (m->ntickets == m->tickets_cap) {
        int cap = m->tickets_cap ? m->tickets_cap * 2 : 64;
        hq_ticket_t *grown = realloc(m->tickets, (size_t)cap * sizeof *grown);
        if (!grown)
            return -1;
        m->tickets = grown;
        m->tickets_cap = cap;
    }
    m->tickets[m->ntickets++] = *t;
    return 0;
}

static void s_put_counter(hq_mirror_t *m, const hq_counter_t *c)
{
    for (int i = 0; i < m->ncounters; i++) {
        if (m->counters[i].id == c->id) {
            m->counters[i] = *c;
            return;
        }
    }
    if (m->ncounters < HQ_MIRROR_COUNTERS_MAX)
        m->counters[m->ncounters++] = *c;
}

static void s_push_call(hq_mirror_t *m, const hq_ticket_t *t, int recall, int64_t ts)
{
    memmove(&m->recent[1], &m->recent[0], (HQ_MIRROR_RECENT - 1) * sizeof m->recent[0]);
    hq_mirror_call_t *c = &m->recent[0];
    memset(c, 0, sizeof *c);
    hq_strlcpy(c->label, t->label, sizeof c->label);
    c->counter = t->counter;
    c->ts_ms = ts;
    c->recall = recall;
    c->green = t->green;
    if (m->nrecent < HQ_MIRROR_RECENT)
        m->nrecent++;
}

static void s_set_depths(hq_mirror_t *m, const hq_depth_t *d, int n)
{
    for (int i = 0; i < m->nqueues; i++)
        m->queues[i].waiting = m->queues[i].green = 0;
    for (int k = 0; k < n; k++)
        for (int i = 0; i < m->nqueues; i++)
            if (m->queues[i].prefix == d[k].queue) {
                m->queues[i].waiting = d[k].waiting;
                m->queues[i].green = d[k].green;
            }
}

/* An alert object as events and snapshots carry it: raised (1), cleared (0) or malformed (-1),
 * and *out filled for a raised or cleared one. */
static int s_read_alert(const json_t *a, hq_mirror_alert_t *out)
{
    char queue[4], kind[12], state[12];
    memset(out, 0, sizeof *out);
    s_str(a, "queue", queue, sizeof queue);
    s_str(a, "kind", kind, sizeof kind);
    s_str(a, "state", state, sizeof state);
    if (strlen(queue) != 1 || queue[0] < 'A' || queue[0] > 'Z' ||
        (strcmp(kind, "wait") && strcmp(kind, "handling")))
        return -1;
    out->queue = queue[0];
    out->handling = strcmp(kind, "handling") == 0;
    out->value_ms = s_int(a, "value_ms");
    out->target_ms = s_int(a, "target_ms");
    s_str(a, "advice", out->advice, sizeof out->advice);
    size_t used = 0, i;
    json_t *c;
    out->counters[used++] = ',';
    json_array_foreach(json_object_get(a, "counters"), i, c)
    {
        int n = snprintf(out->counters + used, sizeof out->counters - used, "%lld,",
                         (long long)json_integer_value(c));
        if (n < 0 || (size_t)n >= sizeof out->counters - used)
            break;
        used += (size_t)n;
    }
    out->counters[used] = '\0';
    return strcmp(state, "raised") == 0 ? 1 : strcmp(state, "cleared") == 0 ? 0 : -1;
}

/* Raises (adds or updates) or clears the alert of its queue and kind. */
static void s_set_alert(hq_mirror_t *m, const hq_mirror_alert_t *a, int raised)
{
    int i = 0;
    while (i < m->nalerts &&
           !(m->alerts[i].queue == a->queue && m->alerts[i].handling == a->handling))
        i++;
    if (raised && i < m->nalerts)
        m->alerts[i] = *a;
    else if (raised && m->nalerts < (int)(sizeof m->alerts / sizeof m->alerts[0]))
        m->alerts[m->nalerts++] = *a;
    else if (!raised && i < m->nalerts)
        m->alerts[i] = m->alerts[--m->nalerts];
}

const hq_mirror_alert_t *hq_mirror_alert_for(const hq_mirror_t *m, int counter)
{
    char mark[16];
    snprintf(mark, sizeof mark, ",%d,", counter);
    for (int i = 0; i < m->nalerts; i++)
        if (strstr(m->alerts[i].counters, mark))
            return &m->alerts[i];
    return NULL;
}

int hq_mirror_load_snapshot(hq_mirror_t *m, const json_t *snap, int64_t now_mono)
{
    if (!json_is_object(snap) || !json_is_integer(json_object_get(snap, "seq")))
        return HQ_MALFORMED;
    json_t *queues = json_object_get(snap, "queues");
    json_t *counters = json_object_get(snap, "counters");
    json_t *tickets = json_object_get(snap, "tickets");
    json_t *recent = json_object_get(snap, "recent_calls");
    if (!json_is_array(queues) || !json_is_array(counters) || !json_is_array(tickets))
        return HQ_MALFORMED;

    /* Decode into a fresh model first, so a bad snapshot leaves the old one untouched. */
    hq_mirror_t fresh;
    hq_mirror_init(&fresh, m->silence_ms);
    size_t i;
    json_t *item;
    json_array_foreach(queues, i, item)
    {
        if (fresh.nqueues >= HQ_QUEUES_MAX)
            break;
        hq_mirror_queue_t *q = &fresh.queues[fresh.nqueues];
        char prefix[4];
        s_str(item, "prefix", prefix, sizeof prefix);
        if (strlen(prefix) != 1)
            goto bad;
        q->prefix = prefix[0];
        s_str(item, "name", q->name, sizeof q->name);
        q->instant = json_is_true(json_object_get(item, "instant"));
        q->waiting = (int)s_int(item, "waiting");
        q->green = (int)s_int(item, "green");
        fresh.nqueues++;
    }
    json_array_foreach(counters, i, item)
    {
        hq_counter_t c;
        if (hq_counter_from_json(item, &c, NULL) != HQ_OK)
            goto bad;
        s_put_counter(&fresh, &c);
    }
    json_array_foreach(tickets, i, item)
    {
        hq_ticket_t t;
        if (hq_ticket_from_json(item, &t, NULL) != HQ_OK || s_put_ticket(&fresh, &t) != 0)
            goto bad;
    }
    if (json_is_array(recent)) {
        /* Sent newest first; at most HQ_MIRROR_RECENT kept. */
        json_array_foreach(recent, i, item)
        {
            if (fresh.nrecent >= HQ_MIRROR_RECENT)
                break;
            hq_mirror_call_t *c = &fresh.recent[fresh.nrecent++];
            s_str(item, "label", c->label, sizeof c->label);
            c->counter = (int)s_int(item, "counter");
            c->ts_ms = s_int(item, "ts_ms");
            c->recall = json_is_true(json_object_get(item, "recall"));
            char lane[8];
            s_str(item, "lane", lane, sizeof lane);
            c->green = strcmp(lane, "green") == 0;
        }
    }
    json_array_foreach(json_object_get(snap, "alerts"), i, item)
    {
        hq_mirror_alert_t a;
        if (s_read_alert(item, &a) == 1)
            s_set_alert(&fresh, &a, 1);
    }
    s_load_metric(&fresh.metric, json_object_get(snap, "metric"));
    fresh.avg_wait_ms = s_int(snap, "avg_wait_ms");
    if (s_int(snap, "target_ms") > 0)
        fresh.target_ms = s_int(snap, "target_ms");
    fresh.heartbeat_ms = s_int(snap, "heartbeat_ms");
    if (fresh.heartbeat_ms > 0 && fresh.silence_ms < 3 * fresh.heartbeat_ms)
        fresh.silence_ms = 3 * fresh.heartbeat_ms;
    s_str(snap, "day", fresh.day, sizeof fresh.day);
    s_str(json_object_get(snap, "hall"), "name", fresh.hall_name, sizeof fresh.hall_name);
    fresh.sim_speed = hq_reply_sim_speed(snap);
    fresh.seq = s_int(snap, "seq");
    fresh.state = HQ_SYNC_ACTIVE;
    fresh.heard_ms = now_mono;
    fresh.changes = m->changes + 1;
    hq_mirror_free(m);
    *m = fresh;
    return HQ_OK;
bad:
    hq_mirror_free(&fresh);
    return HQ_MALFORMED;
}

void hq_mirror_want_snapshot(hq_mirror_t *m)
{
    if (m->state == HQ_SYNC_ACTIVE)
        m->state = HQ_SYNC_SYNCING;
    m->changes++;
}

hq_apply_t hq_mirror_apply(hq_mirror_t *m, const hq_event_t *ev, int64_t now_mono)
{
    if (m->state == HQ_SYNC_OFFLINE || m->state == HQ_SYNC_INITIAL || m->state == HQ_SYNC_SYNCING) {
        /* Until a snapshot arrives events cannot be placed; the daemon is alive, though. */
        if (m->state == HQ_SYNC_OFFLINE) {
            m->state = HQ_SYNC_SYNCING;
            m->changes++;
        }
        m->heard_ms = now_mono;
        return HQ_APPLY_IGNORED;
    }
    m->heard_ms = now_mono;
    if (ev->type == HQ_EV_HEARTBEAT) {
        if (ev->seq > m->seq) {
            m->state = HQ_SYNC_SYNCING;
            m->changes++;
            return HQ_APPLY_GAP;
        }
        return HQ_APPLY_DUPLICATE;
    }
    if (ev->seq <= m->seq)
        return HQ_APPLY_DUPLICATE;
    if (ev->seq != m->seq + 1) {
        m->state = HQ_SYNC_SYNCING;
        m->changes++;
        return HQ_APPLY_GAP;
    }
    m->seq = ev->seq;
    m->changes++;
    if (ev->has_ticket && s_put_ticket(m, &ev->ticket) != 0) {
        m->state = HQ_SYNC_SYNCING;
        return HQ_APPLY_GAP;
    }
    if (ev->has_counter)
        s_put_counter(m, &ev->counter);
    /* Any event may carry the waiting counts its change left (issued, called, ...). */
    if (ev->has_depths) {
        s_set_depths(m, ev->depths, ev->ndepths);
        m->avg_wait_ms = s_int(ev->body, "avg_wait_ms");
    }
    switch (ev->type) {
    case HQ_EV_CALLED:
    case HQ_EV_RECALLED:
        if (ev->has_ticket)
            s_push_call(m, &ev->ticket, ev->type == HQ_EV_RECALLED, ev->ts_ms);
        break;
    case HQ_EV_METRIC:
        s_load_metric(&m->metric, json_object_get(ev->body, "hall"));
        break;
    case HQ_EV_FINISHED:
        s_load_metric(&m->metric, json_object_get(ev->body, "hall_metric"));
        break;
    case HQ_EV_QUEUE_ALERT: {
        hq_mirror_alert_t a;
        int raised = s_read_alert(json_object_get(ev->body, "alert"), &a);
        if (raised >= 0)
            s_set_alert(m, &a, raised);
        break;
    }
    case HQ_EV_DAY:
        m->state = HQ_SYNC_SYNCING;
        return HQ_APPLY_RESYNC;
    default:
        break;
    }
    return HQ_APPLY_OK;
}

int hq_mirror_tick(hq_mirror_t *m, int64_t now_mono)
{
    if (m->state == HQ_SYNC_OFFLINE)
        return 0;
    if (m->state == HQ_SYNC_INITIAL && m->heard_ms == 0)
        m->heard_ms = now_mono;
    if (now_mono - m->heard_ms > m->silence_ms) {
        m->state = HQ_SYNC_OFFLINE;
        m->changes++;
        return 1;
    }
    return 0;
}

const hq_counter_t *hq_mirror_counter(const hq_mirror_t *m, int id)
{
    for (int i = 0; i < m->ncounters; i++)
        if (m->counters[i].id == id)
            return &m->counters[i];
    return NULL;
}

const hq_ticket_t *hq_mirror_ticket(const hq_mirror_t *m, int64_t id)
{
    for (int i = 0; i < m->ntickets; i++)
        if (m->tickets[i].id == id)
            return &m->tickets[i];
    return NULL;
}

const hq_ticket_t *hq_mirror_ticket_by_label(const hq_mirror_t *m, const char *label)
{
    for (int i = 0; i < m->ntickets; i++)
        if (strcmp(m->tickets[i].label, label) == 0)
            return &m->tickets[i];
    return NULL;
}

const hq_mirror_queue_t *hq_mirror_queue(const hq_mirror_t *m, char prefix)
{
    for (int i = 0; i < m->nqueues; i++)
        if (m->queues[i].prefix == prefix)
            return &m->queues[i];
    return NULL;
}
