#include "sched.h"

#include <stdio.h>
#include <string.h>

/* Earlier issue first; the id breaks ties so the order is total and stable. */
static int s_before(const sched_ticket_t *a, const sched_ticket_t *b)
{
    if (a->issued_ms != b->issued_ms)
        return a->issued_ms < b->issued_ms;
    return a->id < b->id;
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
        if (*best < 0 || s_before(&tickets[i], &tickets[*best]))
            *best = i;
    }
    if (oldest_normal >= 0 &&
        now_ms - tickets[oldest_normal].issued_ms >= rules->normal_max_wait_ms) {
        pick.index = oldest_normal;
        pick.reason = SCHED_MAX_WAIT;
        pick.green_streak = 0;
    } else if (oldest_green >= 0 && (oldest_normal < 0 || streak < rules->green_max_in_row)) {
        pick.index = oldest_green;
        pick.reason = SCHED_GREEN;
        /* The streak only counts while normal tickets are kept waiting. */
        pick.green_streak = oldest_normal >= 0 ? streak + 1 : 0;
    } else if (oldest_normal >= 0) {
        pick.index = oldest_normal;
        pick.reason = oldest_green >= 0 ? SCHED_GREEN_LIMIT : SCHED_OLDEST;
        pick.green_streak = 0;
    }
    if (pick.index >= 0)
        pick.waited_ms = now_ms - tickets[pick.index].issued_ms;
    return pick;
}

void sched_reason_text(const sched_pick_t *pick, const sched_rules_t *rules, char *out,
                       size_t outlen)
{
    switch (pick->reason) {
    case SCHED_GREEN:
        snprintf(out, outlen, "green lane");
        break;
    case SCHED_MAX_WAIT:
        snprintf(out, outlen, "normal waited %lld min", (long long)(pick->waited_ms / 60000));
        break;
    case SCHED_GREEN_LIMIT:
        snprintf(out, outlen, "%d green in a row, normal's turn", rules->green_max_in_row);
        break;
    case SCHED_OLDEST:
        snprintf(out, outlen, "oldest");
        break;
    default:
        snprintf(out, outlen, "none waiting");
        break;
    }
}
