/* model: see model.h. */
#include "model.h"

#include "hq_utf8.h"

#include <stdlib.h>
#include <string.h>

void dm_init(dm_t *dm, dm_mode_t mode, int counter_id)
{
    memset(dm, 0, sizeof *dm);
    dm->mode = mode;
    dm->counter_id = counter_id;
    dm->link = DM_LINK_CONNECTING;
}

const char *dm_link_name(dm_link_t link)
{
    static const char *const names[] = {"connecting", "live", "resyncing", "offline"};
    return (link >= DM_LINK_CONNECTING && link <= DM_LINK_OFFLINE) ? names[link] : "?";
}

/* Every text the screen shows and the voice says comes into the model here: made safe to
 * draw (hq_utf8_sanitise), whatever the daemon or its database held. */
static void s_text(char *dst, size_t size, const char *src)
{
    hq_utf8_sanitise(src, strlen(src), dst, size);
}

static int s_mine(const dm_t *dm, int counter)
{
    return dm->mode == DM_HALL || counter == dm->counter_id;
}

int dm_on_event(dm_t *dm, const hq_event_t *ev, hq_apply_t result, int64_t now_mono,
                dm_call_t *call)
{
    if (result != HQ_APPLY_OK)
        return 0;
    dm->seen_seq = ev->seq;
    if ((ev->type != HQ_EV_CALLED && ev->type != HQ_EV_RECALLED) || !ev->has_ticket)
        return 0;
    /* The ticket's own call time is what a later snapshot reports for it; the event's
     * time can differ by the time it took to publish. Keep the later of the two so a
     * snapshot never looks newer than the event that was already spoken. */
    int64_t ts = ev->ticket.last_called_ms > ev->ts_ms ? ev->ticket.last_called_ms : ev->ts_ms;
    if (ts > dm->newest_ts)
        dm->newest_ts = ts;
    if (!s_mine(dm, ev->ticket.counter))
        return 0;
    memset(call, 0, sizeof *call);
    s_text(call->label, sizeof call->label, ev->ticket.label);
    call->counter = ev->ticket.counter;
    call->ts_ms = ts;
    call->green = ev->ticket.green;
    call->recall = ev->type == HQ_EV_RECALLED;
    dm->flash_start = now_mono > 0 ? now_mono : 1;
    hq_strlcpy(dm->flash_label, call->label, sizeof dm->flash_label);
    return 1;
}

static void s_call_from_mirror(dm_call_t *out, const hq_mirror_call_t *in)
{
    memset(out, 0, sizeof *out);
    s_text(out->label, sizeof out->label, in->label);
    out->counter = in->counter;
    out->ts_ms = in->ts_ms;
    out->green = in->green;
    out->recall = in->recall;
}

static dm_link_t s_link(const dm_t *dm, const hq_mirror_t *m)
{
    switch (m->state) {
    case HQ_SYNC_ACTIVE:
        return DM_LINK_LIVE;
    case HQ_SYNC_OFFLINE:
        return DM_LINK_OFFLINE;
    case HQ_SYNC_SYNCING:
        return dm->had_data ? DM_LINK_RESYNCING : DM_LINK_CONNECTING;
    case HQ_SYNC_INITIAL:
    default:
        return DM_LINK_CONNECTING;
    }
}

/* Calls in the mirror that this model never saw, for a snapshot that replaced events. */
static int s_late_calls(dm_t *dm, const hq_mirror_t *m, int64_t now_wall, dm_call_t *fresh, int max)
{
    int n = 0;
    /* recent[] is newest first; walk it backwards so the result is oldest first. */
    for (int i = m->nrecent - 1; i >= 0; i--) {
        const hq_mirror_call_t *c = &m->recent[i];
        if (c->ts_ms <= dm->newest_ts || now_wall - c->ts_ms > DM_LATE_CALL_MS ||
            !s_mine(dm, c->counter) || n >= max)
            continue;
        s_call_from_mirror(&fresh[n++], c);
    }
    return n;
}

/* 1 while the called ticket is still at the window that called it. */
static int s_at_window(const hq_mirror_t *m, const hq_mirror_call_t *c)
{
    const hq_counter_t *w = hq_mirror_counter(m, c->counter);
    return w && (w->state == HQ_C_CALLING || w->state == HQ_C_SERVING) &&
           strcmp(w->current_label, c->label) == 0;
}

static void s_list(dm_t *dm, const hq_mirror_t *m)
{
    dm->has_current = 0;
    dm->nlist = 0;
    /* recent[] is newest first; a recall puts a ticket on top again: each ticket counts once,
     * where it is newest. */
    char seen[DM_LIST_MAX + 1][HQ_LABEL_MAX];
    int nseen = 0;
    for (int i = 0; i < m->nrecent; i++) {
        const hq_mirror_call_t *c = &m->recent[i];
        int dup = 0;
        for (int k = 0; k < nseen && !dup; k++)
            dup = strcmp(seen[k], c->label) == 0;
        if (dup || !c->label[0] || nseen > DM_LIST_MAX)
            continue;
        hq_strlcpy(seen[nseen++], c->label, sizeof seen[0]);
        dm_call_t call;
        s_call_from_mirror(&call, c);
        if (!call.label[0])
            continue;
        if (!dm->has_current && s_at_window(m, c)) {
            dm->current = call;
            dm->has_current = 1;
        } else if (dm->nlist < DM_LIST_MAX) {
            dm->list[dm->nlist++] = call;
        }
    }
    /* The flash belongs to the call that started it. */
    if (dm->mode == DM_HALL &&
        (!dm->has_current || strcmp(dm->current.label, dm->flash_label) != 0))
        dm->flash_start = 0;
}

static int s_by_id(const void *a, const void *b)
{
    const dm_window_t *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static void s_windows(dm_t *dm, const hq_mirror_t *m)
{
    dm->nwindows = 0;
    for (int i = 0; i < m->ncounters && dm->nwindows < HQ_MIRROR_COUNTERS_MAX; i++) {
        const hq_counter_t *c = &m->counters[i];
        dm_window_t *w = &dm->windows[dm->nwindows++];
        memset(w, 0, sizeof *w);
        w->id = c->id;
        w->state = c->state >= HQ_C_CLOSED && c->state < HQ_C_COUNT_ ? c->state : HQ_C_CLOSED;
        if (w->state == HQ_C_CALLING || w->state == HQ_C_SERVING) {
            s_text(w->label, sizeof w->label, c->current_label);
            const hq_ticket_t *t = c->current ? hq_mirror_ticket(m, c->current) : NULL;
            w->green = t ? t->green : 0;
        }
    }
    qsort(dm->windows, (size_t)dm->nwindows, sizeof dm->windows[0], s_by_id);
}

int dm_update(dm_t *dm, const hq_mirror_t *m, int64_t now_mono, int64_t now_wall, dm_call_t *fresh,
              int max)
{
    int nfresh = 0;
    dm->link = s_link(dm, m);
    if (m->state == HQ_SYNC_ACTIVE) {
        if (m->seq != dm->seen_seq) {
            /* Reloaded from a snapshot: events in between never reached dm_on_event. */
            if (dm->had_data)
                nfresh = s_late_calls(dm, m, now_wall, fresh, max);
            if (nfresh > 0) {
                dm->flash_start = now_mono > 0 ? now_mono : 1;
                hq_strlcpy(dm->flash_label, fresh[nfresh - 1].label, sizeof dm->flash_label);
            }
            dm->seen_seq = m->seq;
        }
        for (int i = 0; i < m->nrecent; i++)
            if (m->recent[i].ts_ms > dm->newest_ts)
                dm->newest_ts = m->recent[i].ts_ms;
        dm->had_data = 1;
    }
    /* Resyncing or offline, the mirror still holds the last state it had in order: it is
     * shown, and the view marks how far it can be trusted. */
    if (!dm->had_data)
        return 0;
    s_text(dm->hall_name, sizeof dm->hall_name, m->hall_name);
    dm->sim_speed = m->sim_speed;
    s_list(dm, m);
    s_windows(dm, m);
    dm->nqueues = 0;
    for (int i = 0; i < m->nqueues && i < HQ_QUEUES_MAX; i++) {
        dm_queue_t *q = &dm->queues[dm->nqueues++];
        q->prefix = m->queues[i].prefix;
        s_text(q->name, sizeof q->name, m->queues[i].name);
        q->waiting = m->queues[i].waiting;
        q->green = m->queues[i].green;
    }
    dm->avg_wait_ms = m->avg_wait_ms;
    if (dm->mode == DM_COUNTER) {
        const hq_counter_t *c = hq_mirror_counter(m, dm->counter_id);
        dm->counter_known = c != NULL;
        if (c) {
            dm->counter = *c;
            s_text(dm->counter.clerk, sizeof dm->counter.clerk, c->clerk);
            s_text(dm->counter.pause_reason, sizeof dm->counter.pause_reason, c->pause_reason);
            s_text(dm->counter.current_label, sizeof dm->counter.current_label, c->current_label);
        } else {
            memset(&dm->counter, 0, sizeof dm->counter);
        }
        const hq_ticket_t *t = c && c->current ? hq_mirror_ticket(m, c->current) : NULL;
        dm->counter_green = t ? t->green : 0;
    }
    return nfresh;
}

void dm_set_notice(dm_t *dm, const char *notice)
{
    s_text(dm->notice, sizeof dm->notice, notice ? notice : "");
}

int dm_flashing(const dm_t *dm, int64_t now_mono)
{
    return dm->flash_start > 0 && now_mono >= dm->flash_start &&
           now_mono - dm->flash_start < DM_FLASH_MS;
}

int dm_flash_on(const dm_t *dm, int64_t now_mono)
{
    if (!dm_flashing(dm, now_mono))
        return 0;
    return ((now_mono - dm->flash_start) / DM_FLASH_PHASE_MS) % 2 == 0;
}
