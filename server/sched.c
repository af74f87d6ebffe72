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
    return a->id < b->id;
}

/* How long a ticket has waited at now_ms; never negative. */
static int64_t s_waited(const sched_ticket_t *t, int64_t now_ms)
{
    return now_ms > t->issued_ms ? now_ms - t->issued_ms : 0;
}

sched_pick_t sched_pick(const sched_ticket_t *tickets, int n, const char *queues, int streak,
                        const sched_rules_t *rules, int64_t now_ms)
{
    sched_pick_t pick = {-1, SCHED_NONE, streak, 0};
    int oldest_green = -1, oldest_normal = -1;
    for (int i = 0; i < n; i++) {
        if (!tickets[i].queue || !strchr(queues, tickets[i].queue))
            continue;
        int *best = tickets[i].green ? &oldest_green : &oldest_normal;
        if (*best < 0 || sched_before(&tickets[i], &tickets[*best]))
            *best = i;
    }
    if (oldest_normal >= 0 &&
        s_waited(&tickets[oldest_normal], now_ms) >= rules->normal_max_wait_ms) {
        pick.index = oldest_normal;
        pick.reason = SCHED_MAX_WAIT;
        pick.green_streak = 0;
    } else if (oldest_green >= 0 && (oldest_normal < 0 || streak < rules->green_max_in_row)) {
        pick.index = oldest_green;
        pick.reason = SCHED_GREEN;
        /* The streak counts green calls that kept a normal ticket waiting. One that kept
         * nobody waiting here leaves it as it is: the hall's normal tickets wait elsewhere. */
        pick.green_streak = oldest_normal >= 0 ? streak + 1 : streak;
    } else if (oldest_normal >= 0) {
        pick.index = oldest_normal;
        pick.reason = oldest_green >= 0 ? SCHED_GREEN_LIMIT : SCHED_OLDEST;
        pick.green_streak = 0;
    }
    if (pick.index >= 0)
        pick.waited_ms = s_waited(&tickets[pick.index], now_ms);
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
                          code == HQ_REASON_MAX_WAIT      ? (int)(pick->waited_ms / 60000)
                          : code == HQ_REASON_GREEN_LIMIT ? rules->green_max_in_row
                                                          : 0,
                          out, outlen);
    return code;
}

hq_reason_t sched_reason_chosen(char *out, size_t outlen)
{
    hq_reason_english(HQ_REASON_CHOSEN, 0, out, outlen);
    return HQ_REASON_CHOSEN;
}
