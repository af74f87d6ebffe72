#include "sched.h"

#include "hq_alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Issue order is id order: the hall hands ids out as it issues, and a transfer or a
 * reactivation keeps the ticket's id. The issue times would give the same order only while
 * the wall clock never stepped back. */
int sched_before(const sched_ticket_t *a, const sched_ticket_t *b)
{
    if (a->slot_ms && b->slot_ms && a->slot_ms != b->slot_ms)
        return a->slot_ms < b->slot_ms;
    return a->id < b->id;
}

/* How long a ticket has waited at now_ms; never negative. */
static int64_t s_waited(const sched_ticket_t *t, int64_t now_ms)
{
    return now_ms > t->issued_ms ? now_ms - t->issued_ms : 0;
}

sched_pick_t sched_pick(const sched_ticket_t *tickets, int n, const char *queues,
                        sched_streaks_t streaks, const sched_rules_t *rules, int64_t now_ms)
{
    sched_pick_t pick = {-1, SCHED_NONE, streaks, 0};
    int first_green = -1, first_normal = -1, first_appt = -1;
    for (int i = 0; i < n; i++) {
        if (!tickets[i].queue || !strchr(queues, tickets[i].queue))
            continue;
        int *best = tickets[i].slot_ms ? &first_appt
                    : tickets[i].green ? &first_green
                                       : &first_normal;
        if (*best < 0 || sched_before(&tickets[i], &tickets[*best]))
            *best = i;
    }
    int walk_ins = first_green >= 0 || first_normal >= 0;
    int appt_due = first_appt >= 0 && now_ms >= tickets[first_appt].slot_ms;
    if (first_normal >= 0 &&
        s_waited(&tickets[first_normal], now_ms) >= rules->normal_max_wait_ms) {
        pick.index = first_normal;
        pick.reason = SCHED_MAX_WAIT;
    } else if (appt_due && (!walk_ins || streaks.appointment < rules->appointment_max_in_row)) {
        pick.index = first_appt;
        pick.reason = SCHED_APPOINTMENT;
    } else if (first_green >= 0 && (first_normal < 0 || streaks.green < rules->green_max_in_row)) {
        pick.index = first_green;
        pick.reason = appt_due ? SCHED_APPOINTMENT_LIMIT : SCHED_GREEN;
    } else if (first_normal >= 0) {
        pick.index = first_normal;
        pick.reason = appt_due           ? SCHED_APPOINTMENT_LIMIT
                      : first_green >= 0 ? SCHED_GREEN_LIMIT
                                         : SCHED_OLDEST;
    } else if (first_appt >= 0) {
        pick.index = first_appt; /* its slot has not begun, and no walk-in waits */
        pick.reason = SCHED_OLDEST;
    }
    if (pick.index < 0)
        return pick;
    const sched_ticket_t *t = &tickets[pick.index];
    if (t->slot_ms) {
        /* The rows count calls that kept someone waiting; a green or normal row is not
         * broken by an appointment, which is no walk-in. */
        if (walk_ins)
            pick.streaks.appointment++;
    } else {
        pick.streaks.appointment = 0;
        if (t->green) {
            if (first_normal >= 0)
                pick.streaks.green++;
        } else {
            pick.streaks.green = 0;
        }
    }
    pick.waited_ms = s_waited(t, now_ms);
    return pick;
}

/* ---- waiting lines -------------------------------------------------------------------------- */
/* The first position in the line whose ticket is not before `t`. */
static size_t s_lower_bound(const sched_line_t *l, const sched_ticket_t *t)
{
    size_t lo = l->head, hi = l->end;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sched_before(&l->v[mid], t))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Room for one more at the end: the space calls freed at the front is reused once it is a
 * quarter of the array (so the move is paid for by as many calls), else the array doubles. */
static int s_make_room(sched_line_t *l)
{
    if (l->end < l->cap)
        return 0;
    if (l->head > 0 && l->head >= l->cap / 4) {
        memmove(l->v, l->v + l->head, (l->end - l->head) * sizeof *l->v);
        l->end -= l->head;
        l->head = 0;
        return 0;
    }
    size_t cap = l->cap ? l->cap * 2 : 64;
    sched_ticket_t *grown = hq_realloc(l->v, cap * sizeof *grown);
    if (!grown)
        return -1;
    l->v = grown;
    l->cap = cap;
    return 0;
}

int sched_line_add(sched_line_t *l, const sched_ticket_t *t)
{
    if (l->head == l->end)
        l->head = l->end = 0;
    if (l->end > l->head && !sched_before(&l->v[l->end - 1], t)) {
        size_t at = s_lower_bound(l, t);
        if (at < l->end && l->v[at].id == t->id)
            return 0; /* already in line */
        if (at == l->head && l->head > 0) {
            l->v[--l->head] = *t; /* older than everyone: the freed front takes it */
            return 0;
        }
        if (s_make_room(l) != 0)
            return -1;
        at = s_lower_bound(l, t); /* the room may have moved the line */
        memmove(l->v + at + 1, l->v + at, (l->end - at) * sizeof *l->v);
        l->v[at] = *t;
        l->end++;
        return 0;
    }
    if (s_make_room(l) != 0)
        return -1;
    l->v[l->end++] = *t;
    return 0;
}

int sched_line_remove(sched_line_t *l, const sched_ticket_t *t)
{
    size_t at = s_lower_bound(l, t);
    if (at == l->end || l->v[at].id != t->id)
        return -1;
    if (at == l->head)
        l->head++;
    else {
        memmove(l->v + at, l->v + at + 1, (l->end - at - 1) * sizeof *l->v);
        l->end--;
    }
    if (l->head == l->end)
        l->head = l->end = 0;
    return 0;
}

const sched_ticket_t *sched_line_first(const sched_line_t *l)
{
    return l->head < l->end ? &l->v[l->head] : NULL;
}

size_t sched_line_size(const sched_line_t *l)
{
    return l->end - l->head;
}

void sched_line_clear(sched_line_t *l)
{
    l->head = l->end = 0;
}

void sched_line_free(sched_line_t *l)
{
    hq_free(l->v);
    memset(l, 0, sizeof *l);
}

hq_reason_t sched_reason_text(const sched_pick_t *pick, const sched_rules_t *rules, char *out,
                              size_t outlen)
{
    hq_reason_t code = (hq_reason_t)pick->reason;
    if (code == HQ_REASON_NONE)
        snprintf(out, outlen, "none waiting");
    else
        hq_reason_english(code,
                          code == HQ_REASON_MAX_WAIT            ? (int)(pick->waited_ms / 60000)
                          : code == HQ_REASON_GREEN_LIMIT       ? rules->green_max_in_row
                          : code == HQ_REASON_APPOINTMENT_LIMIT ? rules->appointment_max_in_row
                                                                : 0,
                          out, outlen);
    return code;
}

hq_reason_t sched_reason_chosen(char *out, size_t outlen)
{
    hq_reason_english(HQ_REASON_CHOSEN, 0, out, outlen);
    return HQ_REASON_CHOSEN;
}
