/* The daemon's clock: the one place hallqd asks what time it is.
 *
 * Its readings follow the system clock (CLOCK_REALTIME), guarded so the times the daemon
 * records never go backwards: an NTP correction that steps the system clock back would
 * otherwise move the business day back, make waits negative and put a later arrival first.
 * When the system clock falls behind the last time handed out, the daemon's time goes on
 * from there at half the speed of the steady clock (CLOCK_BOOTTIME, which no correction
 * steps), so the system clock catches up in twice the step; then the readings follow it
 * again. A step either way (the realtime clock's offset to the steady clock changing by
 * HALLCLOCK_STEP_MS or more between two readings) is logged once, as a warning with its
 * direction and size.
 *
 * Readings come from a source function: the system's clocks, or a test's.
 *
 * A simulated clock (hallclock_new_simulated) is one more source, for simulation and training
 * halls: it starts at a chosen time and runs a chosen number of times as fast as the steady
 * clock. It never steps, so the guard above has nothing to do. */
#ifndef HALLQ_CLOCK_H
#define HALLQ_CLOCK_H

#include <stdint.h>

typedef struct hallclock hallclock_t;

/* One reading of the two clocks the daemon's time is made of. */
typedef struct {
    int64_t wall_ms;   /* CLOCK_REALTIME, ms since the epoch: may step either way */
    int64_t steady_ms; /* CLOCK_BOOTTIME, ms since boot: never steps, counts suspend too */
} hallclock_reading_t;

/* Fills one reading. */
typedef void hallclock_source_fn(void *arg, hallclock_reading_t *out);

/* The smallest change of the realtime clock against the steady one that counts as a step. */
#define HALLCLOCK_STEP_MS 2000

/* The system's clocks. NULL when out of memory. */
hallclock_t *hallclock_new(void);
/* Readings from `source` (called with `arg`), for tests. NULL when out of memory. */
hallclock_t *hallclock_new_source(hallclock_source_fn *source, void *arg);
/* Nanoseconds of a steady clock: CLOCK_BOOTTIME for the daemon, or a test's. */
typedef int64_t hallclock_steady_fn(void *arg);

/* The fastest simulated clock: an hour of the hall's time in a second. The daemon's timers
 * that follow its time (the day check, the metric) run this much more often. */
#define HALLCLOCK_SPEED_MAX 3600

/* A simulated clock: its first reading is start_ms, and from then on it runs `speed` (1 to
 * HALLCLOCK_SPEED_MAX) times as fast as `steady` (NULL: the system's CLOCK_BOOTTIME), to the
 * millisecond. NULL when out of memory. */
hallclock_t *hallclock_new_simulated(int64_t start_ms, double speed, hallclock_steady_fn *steady,
                                     void *arg);
/* Safe twice; NULLs the caller's pointer. */
void hallclock_destroy(hallclock_t **self_p);

/* The daemon's time now, ms since the epoch: never before an earlier reading. */
int64_t hallclock_now(hallclock_t *self);
/* No reading from now on comes before `ms`, the latest time already recorded (a restart
 * while the system clock is behind it). A gap of HALLCLOCK_STEP_MS or more is logged as a
 * step. */
void hallclock_keep_after(hallclock_t *self, int64_t ms);

/* Steps seen so far (each logged once). */
int hallclock_steps(const hallclock_t *self);
/* 1 for a simulated clock, 0 for the system's. */
int hallclock_simulated(const hallclock_t *self);
/* How many times as fast as real time the clock runs: 1 for the system's. */
double hallclock_speed(const hallclock_t *self);

/* 1 while the system clock is behind the daemon's time and the daemon's runs at half speed. */
int hallclock_catching_up(const hallclock_t *self);

#endif
