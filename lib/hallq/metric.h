/* The arithmetic of a ticket's durations, written once for the daemon's 10-minute rule and
 * for every statistic: wait, handling, and the time a window spent. Pure. */
#ifndef HALLQ_METRIC_H
#define HALLQ_METRIC_H

#include <stdint.h>

typedef struct {
    int64_t count;  /* finished instant tickets */
    int64_t sum_ms; /* their total handling time */
    int64_t within; /* of which handled within the target */
    int64_t max_ms;
} metric_acc_t;

/* Handling time of a finished ticket: started (or, when start was never pressed, the last
 * call) to finished, less the time it spent parked. Never negative: a finish recorded before
 * the start, or a negative parked time, counts as none. */
int64_t metric_handling_ms(int64_t last_called_ms, int64_t started_ms, int64_t finished_ms,
                           int64_t park_total_ms);
/* Wait of a ticket: issue to its first call; -1 when it was never called. Never negative. */
int64_t metric_wait_ms(int64_t issued_ms, int64_t called_ms);
/* Time a window spent on a finished ticket, the service time of Erlang C: its last call (the
 * first when there was no other) to finished, less the time it spent parked. -1 when never
 * called; never negative. */
int64_t metric_window_ms(int64_t called_ms, int64_t last_called_ms, int64_t finished_ms,
                         int64_t park_total_ms);
/* Counts one finished instant ticket; a negative handling time counts as 0. */
void metric_add(metric_acc_t *acc, int64_t handling_ms, int64_t target_ms);
/* Mean in ms, rounded to nearest; 0 when empty. */
int64_t metric_avg_ms(const metric_acc_t *acc);
/* 1 when the mean is above the target (an alert), 0 otherwise (and when empty). */
int metric_above(const metric_acc_t *acc, int64_t target_ms);
/* Share within target in per mille (0..1000), 0 when empty. */
int metric_within_permille(const metric_acc_t *acc);

#endif
