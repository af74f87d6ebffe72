#include "clock.h"

#include "hq_alloc.h"
#include "hq_log.h"

#include <stdio.h>
#include <time.h>

struct hallclock {
    hallclock_source_fn *source; /* where readings come from */
    void *arg;                   /* the source's argument */
    int started;                 /* a reading was taken: `last` and `now_ms` hold */
    hallclock_reading_t last;    /* the previous reading */
    int64_t now_ms;              /* the latest time handed out */
    int behind;                  /* the system clock is behind now_ms: catching up */
    int64_t from_ms;             /* while behind: the daemon's time when it began... */
    int64_t from_steady_ms;      /* ...and the steady clock then; half speed from there */
    int steps;                   /* steps seen */
    /* A simulated clock's own: it is its own source's argument. */
    int simulated;               /* readings are start_ms + speed x the steady time since */
    double speed;                /* 1 for the system's clocks */
    int64_t start_ms;            /* the first reading */
    int started_ns;              /* origin_ns holds */
    int64_t origin_ns;           /* the steady clock at the first reading */
    hallclock_steady_fn *steady; /* the steady clock it runs on */
    void *steady_arg;            /* its argument */
};

static int64_t s_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The system's clocks. CLOCK_BOOTTIME rather than CLOCK_MONOTONIC: a machine that sleeps
 * would otherwise look as if its realtime clock had stepped forward on waking. */
static void s_system(void *arg, hallclock_reading_t *out)
{
    (void)arg;
    out->steady_ms = s_ms(CLOCK_BOOTTIME);
    out->wall_ms = s_ms(CLOCK_REALTIME);
}

hallclock_t *hallclock_new(void)
{
    return hallclock_new_source(s_system, NULL);
}

static int64_t s_boottime_ns(void *arg)
{
    (void)arg;
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A simulated clock's readings: the same on both sides, so it never seems to step. Counted
 * from the steady clock in nanoseconds, or at 600x the readings would move by 600 ms. */
static void s_simulated(void *arg, hallclock_reading_t *out)
{
    hallclock_t *self = arg;
    int64_t ns = self->steady(self->steady_arg);
    if (!self->started_ns) {
        self->started_ns = 1;
        self->origin_ns = ns;
    }
    double elapsed_ms = (double)(ns - self->origin_ns) / 1e6 * self->speed;
    out->wall_ms = out->steady_ms = self->start_ms + (int64_t)elapsed_ms;
}

hallclock_t *hallclock_new_simulated(int64_t start_ms, double speed, hallclock_steady_fn *steady,
                                     void *arg)
{
    hallclock_t *self = hallclock_new_source(s_simulated, NULL);
    if (!self)
        return NULL;
    self->arg = self;
    self->simulated = 1;
    self->speed = speed;
    self->start_ms = start_ms;
    self->steady = steady ? steady : s_boottime_ns;
    self->steady_arg = steady ? arg : NULL;
    return self;
}

hallclock_t *hallclock_new_source(hallclock_source_fn *source, void *arg)
{
    hallclock_t *self = hq_calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->source = source;
    self->arg = arg;
    self->speed = 1;
    return self;
}

void hallclock_destroy(hallclock_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    hq_free(*self_p);
    *self_p = NULL;
}

/* ---- the log lines ------------------------------------------------------------------------ */
/* Local date and time of an instant, to the second, for a log line. */
static void s_local(int64_t ms, char *out, size_t n)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&s, &tm) || !strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(out, n, "%lld ms", (long long)ms);
}

/* How long the system clock takes to catch up a gap at half speed: twice the gap. */
static void s_catch_up_time(int64_t gap_ms, char *out, size_t n)
{
    int64_t s = 2 * gap_ms / 1000;
    if (s < 60)
        snprintf(out, n, "%lld s", (long long)(s > 0 ? s : 1));
    else if (s < 3600)
        snprintf(out, n, "%lld min", (long long)((s + 30) / 60));
    else
        snprintf(out, n, "%.1f h", (double)s / 3600);
}

/* The warning for a step of `step_ms` (negative: back), once the reading it came with has
 * been handed out. */
static void s_log_step(const hallclock_t *self, int64_t step_ms)
{
    double size = (double)(step_ms < 0 ? -step_ms : step_ms) / 1000;
    if (step_ms > 0) {
        hq_warn("the system clock stepped forward %.1f s; the daemon's time follows it", size);
        return;
    }
    if (!self->behind) {
        hq_warn("the system clock stepped back %.1f s; no time handed out is later, so the "
                "daemon's time follows it",
                size);
        return;
    }
    char from[32], until[32];
    s_local(self->now_ms, from, sizeof from);
    s_catch_up_time(self->now_ms - self->last.wall_ms, until, sizeof until);
    hq_warn("the system clock stepped back %.1f s; the daemon's time goes on from %s at half "
            "speed until the clock catches up (about %s)",
            size, from, until);
}

/* ---- readings ----------------------------------------------------------------------------- */
/* The daemon's time at reading r: the system clock's when it is not behind, else half speed
 * from where it fell behind; never before the time last handed out. *caught_up: it was behind
 * and is no longer. */
static int64_t s_advance(hallclock_t *self, const hallclock_reading_t *r, int *caught_up)
{
    if (!self->started) {
        self->started = 1;
        return r->wall_ms;
    }
    int64_t slowed = self->now_ms;
    if (self->behind) {
        if (r->steady_ms < self->from_steady_ms) {
            /* A steady clock that went back (one faked with the wall clock): start again from
             * here rather than stand still until it comes back. */
            self->from_ms = self->now_ms;
            self->from_steady_ms = r->steady_ms;
        }
        slowed = self->from_ms + (r->steady_ms - self->from_steady_ms) / 2;
        if (slowed < self->now_ms)
            slowed = self->now_ms;
    }
    if (r->wall_ms >= slowed) {
        *caught_up = self->behind;
        self->behind = 0;
        return r->wall_ms;
    }
    if (!self->behind) {
        self->behind = 1;
        self->from_ms = self->now_ms;
        self->from_steady_ms = r->steady_ms;
    }
    return slowed;
}

int64_t hallclock_now(hallclock_t *self)
{
    hallclock_reading_t r;
    self->source(self->arg, &r);
    /* The realtime clock's offset to the steady one changes only when it is set. */
    int64_t step =
        self->started ? (r.wall_ms - r.steady_ms) - (self->last.wall_ms - self->last.steady_ms) : 0;
    int caught_up = 0;
    self->now_ms = s_advance(self, &r, &caught_up);
    self->last = r;
    if (step <= -HALLCLOCK_STEP_MS || step >= HALLCLOCK_STEP_MS) {
        self->steps++;
        s_log_step(self, step);
    }
    if (caught_up)
        hq_info("the system clock caught up with the daemon's time: times follow it again");
    return self->now_ms;
}

void hallclock_keep_after(hallclock_t *self, int64_t ms)
{
    int64_t now = hallclock_now(self);
    if (ms <= now)
        return;
    self->now_ms = self->from_ms = ms;
    self->from_steady_ms = self->last.steady_ms;
    self->behind = 1;
    if (ms - now < HALLCLOCK_STEP_MS)
        return;
    self->steps++;
    char clock[32], latest[32], until[32];
    s_local(now, clock, sizeof clock);
    s_local(ms, latest, sizeof latest);
    s_catch_up_time(ms - now, until, sizeof until);
    hq_warn("the system clock (%s) is %.1f s behind the latest time recorded (%s); the "
            "daemon's time goes on from there at half speed until the clock catches up (about %s)",
            clock, (double)(ms - now) / 1000, latest, until);
}

int hallclock_steps(const hallclock_t *self)
{
    return self->steps;
}

int hallclock_simulated(const hallclock_t *self)
{
    return self->simulated;
}

double hallclock_speed(const hallclock_t *self)
{
    return self->speed;
}

int hallclock_catching_up(const hallclock_t *self)
{
    return self->behind;
}
