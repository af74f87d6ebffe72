#include "metric.h"

int64_t metric_handling_ms(int64_t last_called_ms, int64_t started_ms, int64_t finished_ms,
                           int64_t park_total_ms)
{
    int64_t from = started_ms ? started_ms : last_called_ms;
    if (!from || finished_ms < from)
        return 0;
    int64_t ms = finished_ms - from - park_total_ms;
    return ms > 0 ? ms : 0;
}

int64_t metric_wait_ms(int64_t issued_ms, int64_t called_ms)
{
    if (!called_ms)
        return -1;
    return called_ms > issued_ms ? called_ms - issued_ms : 0;
}

int64_t metric_window_ms(int64_t called_ms, int64_t last_called_ms, int64_t finished_ms,
                         int64_t park_total_ms)
{
    int64_t from = last_called_ms ? last_called_ms : called_ms;
    if (!from)
        return -1;
    int64_t ms = finished_ms - from - park_total_ms;
    return ms > 0 ? ms : 0;
}

void metric_add(metric_acc_t *acc, int64_t handling_ms, int64_t target_ms)
{
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
