#include "metric.h"

/* A stretch between two recorded times: never negative, whatever order the wall clock put
 * them in (a row written by a daemon before its clock was guarded may hold either). */
static int64_t s_span(int64_t from_ms, int64_t to_ms)
{
    return to_ms > from_ms ? to_ms - from_ms : 0;
}

/* `ms` less the time parked; a negative parked time counts as none. */
static int64_t s_less_parked(int64_t ms, int64_t park_total_ms)
{
    if (park_total_ms > 0)
        ms -= park_total_ms;
    return ms > 0 ? ms : 0;
}

int64_t metric_handling_ms(int64_t last_called_ms, int64_t started_ms, int64_t finished_ms,
                           int64_t park_total_ms)
{
    int64_t from = started_ms ? started_ms : last_called_ms;
    if (!from)
        return 0;
    return s_less_parked(s_span(from, finished_ms), park_total_ms);
}

int64_t metric_wait_ms(int64_t issued_ms, int64_t called_ms)
{
    if (!called_ms)
        return -1;
    return s_span(issued_ms, called_ms);
}

int64_t metric_window_ms(int64_t called_ms, int64_t last_called_ms, int64_t finished_ms,
                         int64_t park_total_ms)
{
    int64_t from = last_called_ms ? last_called_ms : called_ms;
    if (!from)
        return -1;
    return s_less_parked(s_span(from, finished_ms), park_total_ms);
}

void metric_add(metric_acc_t *acc, int64_t handling_ms, int64_t target_ms)
{
    if (handling_ms < 0)
        handling_ms = 0;
    acc->count++;
    acc->sum_ms += handling_ms;
    if (handling_ms <= target_ms)
        acc->within++;
    if (handling_ms > acc->max_ms)
        acc->max_ms = handling_ms;
}

int64_t metric_avg_ms(const metric_acc_t *acc)
{
    return acc->count ? (acc->sum_ms + acc->count / 2) / acc->count : 0;
}

int metric_above(const metric_acc_t *acc, int64_t target_ms)
{
    /* Compare sums rather than the rounded mean so the edge is exact. */
    return acc->count > 0 && acc->sum_ms > target_ms * acc->count;
}

int metric_within_permille(const metric_acc_t *acc)
{
    return acc->count ? (int)((acc->within * 1000 + acc->count / 2) / acc->count) : 0;
}
