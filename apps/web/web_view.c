/* web_view: see web_view.h. */
#include "web_view.h"

#include "ui_curses.h"
#include "web_texts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int web_token_form(const char *text)
{
    static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    return strlen(text) == WEB_TOKEN_LEN && strspn(text, b64url) == WEB_TOKEN_LEN;
}

/* The queues served by any window that serves queue q, as a set by letter. */
static void s_reach(const hq_mirror_t *m, char q, int reach[HQ_QUEUES_MAX])
{
    memset(reach, 0, sizeof(int) * HQ_QUEUES_MAX);
    reach[q - 'A'] = 1;
    for (int i = 0; i < m->ncounters; i++) {
        const char *qs = m->counters[i].queues;
        if (!strchr(qs, q))
            continue;
        for (const char *p = qs; *p; p++)
            if (*p >= 'A' && *p < 'A' + HQ_QUEUES_MAX)
                reach[*p - 'A'] = 1;
    }
}

int web_view_ahead(const hq_mirror_t *m, const hq_ticket_t *t)
{
    if (t->queue < 'A' || t->queue >= 'A' + HQ_QUEUES_MAX)
        return 0;
    int reach[HQ_QUEUES_MAX];
    s_reach(m, t->queue, reach);
    int ahead = 0;
    for (int i = 0; i < m->ntickets; i++) {
        const hq_ticket_t *o = &m->tickets[i];
        if (o->id == t->id || o->state != HQ_T_WAITING || o->queue < 'A' ||
            o->queue >= 'A' + HQ_QUEUES_MAX || !reach[o->queue - 'A'])
            continue;
        if (t->green ? (o->green && o->id < t->id) : (o->green || o->id < t->id))
            ahead++;
    }
    return ahead;
}

int web_view_notice(const hq_mirror_t *m, const web_follow_t *f, char *out, size_t outlen)
{
    if (!f->notify_ahead || f->notified)
        return 0;
    const hq_ticket_t *live = hq_mirror_ticket(m, f->ticket.id);
    const hq_ticket_t *t = live ? live : &f->ticket;
    int ahead = t->state == HQ_T_WAITING ? web_view_ahead(m, t) : -1;
    if (t->state == HQ_T_WAITING && ahead <= f->notify_ahead)
        snprintf(out, outlen, wt(WT_NOTIFY_AHEAD, f->notify_lang), t->label, ahead);
    else if (t->state == HQ_T_CALLED)
        snprintf(out, outlen, wt(WT_NOTIFY_CALLED, f->notify_lang), t->label, t->counter);
    else
        return 0;
    return 1;
}

void web_view_ahead_all(const hq_mirror_t *m, int *out)
{
    /* In issue order (ids), the waiting green and normal tickets met so far, by queue, and
     * all the green ones; a ticket's ahead sums them over the queues its windows reach. */
    int green_before[HQ_QUEUES_MAX] = {0}, normal_before[HQ_QUEUES_MAX] = {0};
    int green_all[HQ_QUEUES_MAX] = {0};
    int n = m->ntickets, *order = malloc((size_t)(n ? n : 1) * sizeof *order);
    for (int i = 0; i < n; i++) {
        out[i] = 0;
        const hq_ticket_t *t = &m->tickets[i];
        if (t->state == HQ_T_WAITING && t->green && t->queue >= 'A' &&
            t->queue < 'A' + HQ_QUEUES_MAX)
            green_all[t->queue - 'A']++;
    }
    if (!order) { /* out of memory: one at a time */
        for (int i = 0; i < n; i++)
            out[i] = m->tickets[i].state == HQ_T_WAITING ? web_view_ahead(m, &m->tickets[i]) : 0;
        return;
    }
    /* The mirror keeps its tickets in id order nearly always; an insertion sort is cheap then. */
    for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && m->tickets[order[j - 1]].id > m->tickets[i].id) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    int reach[HQ_QUEUES_MAX][HQ_QUEUES_MAX], known[HQ_QUEUES_MAX] = {0};
    for (int k = 0; k < n; k++) {
        const hq_ticket_t *t = &m->tickets[order[k]];
        if (t->state != HQ_T_WAITING || t->queue < 'A' || t->queue >= 'A' + HQ_QUEUES_MAX)
            continue;
        int q = t->queue - 'A';
        if (!known[q]) {
            s_reach(m, t->queue, reach[q]);
            known[q] = 1;
        }
        int ahead = 0;
        for (int r = 0; r < HQ_QUEUES_MAX; r++)
            if (reach[q][r])
                ahead += t->green ? green_before[r] : green_all[r] + normal_before[r];
        out[order[k]] = ahead;
        if (t->green)
            green_before[q]++;
        else
            normal_before[q]++;
    }
    free(order);
}

static void s_set_text(json_t *j, const char *key, const char *text)
{
    json_object_set_new(j, key, json_string(text));
}

json_t *web_view_ticket(const hq_mirror_t *m, const web_follow_t *f, const int *aheads,
                        ui_lang_t lang, int64_t now_ms)
{
    const hq_ticket_t *live = NULL;
    if (f->mirror_at >= 0 && f->mirror_at < m->ntickets &&
        m->tickets[f->mirror_at].id == f->ticket.id)
        live = &m->tickets[f->mirror_at];
    else if (m->state != HQ_SYNC_INITIAL)
        live = hq_mirror_ticket(m, f->ticket.id);
    const hq_ticket_t *t = live ? live : &f->ticket;
    /* A ticket that left the mirror without an event saying so (a snapshot after a gap, a
     * new day) is as last known; the events of finish and the day's end say where it went. */
    json_t *j = json_object();
    if (!j)
        return NULL;
    char line[200] = "", detail[200] = "", ahead_text[120] = "", wait_text[120] = "";
    int ahead = 0, wait_min = -1;
    const char *state = hq_ticket_state_name(t->state);
    switch (t->state) {
    case HQ_T_WAITING: {
        ahead = aheads && live ? aheads[live - m->tickets] : web_view_ahead(m, t);
        snprintf(line, sizeof line, "%s", wt(WT_WAITING, lang));
        if (ahead)
            snprintf(ahead_text, sizeof ahead_text, wt(WT_AHEAD, lang), ahead);
        else
            snprintf(ahead_text, sizeof ahead_text, "%s", wt(WT_AHEAD_NONE, lang));
        int64_t left = f->est_wait_ms - (now_ms - f->est_at_ms);
        wait_min = left > 0 ? (int)((left + 59999) / 60000) : 0;
        if (wait_min > 0)
            snprintf(wait_text, sizeof wait_text, wt(WT_WAIT_MIN, lang), wait_min);
        else
            snprintf(wait_text, sizeof wait_text, "%s", wt(WT_WAIT_SOON, lang));
        break;
    }
    case HQ_T_CALLED:
        snprintf(line, sizeof line, wt(WT_CALLED, lang), t->counter);
        snprintf(detail, sizeof detail, "%s", wt(WT_CALLED_DETAIL, lang));
        break;
    case HQ_T_SERVING:
        snprintf(line, sizeof line, wt(WT_SERVING, lang), t->counter);
        break;
    case HQ_T_PARKED:
        snprintf(line, sizeof line, wt(WT_PARKED, lang), t->counter);
        snprintf(detail, sizeof detail, "%s", wt(WT_PARKED_DETAIL, lang));
        break;
    case HQ_T_NO_SHOW:
        snprintf(line, sizeof line, "%s", wt(WT_NO_SHOW, lang));
        snprintf(detail, sizeof detail, "%s", wt(WT_NO_SHOW_DETAIL, lang));
        break;
    case HQ_T_FINISHED:
        snprintf(line, sizeof line, "%s", wt(WT_FINISHED, lang));
        snprintf(detail, sizeof detail, "%s", wt(WT_FINISHED_DETAIL, lang));
        break;
    default:
        snprintf(line, sizeof line, "%s", wt(WT_EXPIRED, lang));
        break;
    }
    s_set_text(j, "label", t->label);
    s_set_text(j, "service", f->service_name[0] ? f->service_name : f->queue_name);
    s_set_text(j, "state", state);
    json_object_set_new(j, "counter", json_integer(t->counter));
    json_object_set_new(j, "ahead", json_integer(ahead));
    json_object_set_new(j, "wait_min", json_integer(wait_min));
    /* A new call (or recall) is a new moment to ring: the page compares it. */
    json_object_set_new(j, "call_ms",
                        json_integer(t->state == HQ_T_CALLED ? t->last_called_ms : 0));
    json_object_set_new(j, "offline", json_boolean(m->state != HQ_SYNC_ACTIVE));
    char mark[64], hall[256]; /* a simulated hall says so, as every screen does */
    ui_sim_mark(m->sim_speed, lang, mark, sizeof mark);
    snprintf(hall, sizeof hall, "%s%s", m->hall_name, mark);
    s_set_text(j, "hall", hall);
    s_set_text(j, "line", line);
    s_set_text(j, "detail", detail);
    s_set_text(j, "ahead_text", ahead_text);
    s_set_text(j, "wait_text", wait_text);
    s_set_text(j, "offline_text", m->state != HQ_SYNC_ACTIVE ? wt(WT_OFFLINE, lang) : "");
    return j;
}
