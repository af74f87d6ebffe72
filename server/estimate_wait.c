/* Wait estimates: a waiting ticket's estimate from the hall's state and the model's figures
 * (estimate.h; the model is estimate.c). */
#include "estimate.h"

#include <math.h>
#include <stdlib.h>

#define S_LATE_LOAD 0.5        /* late arrivals going first take at most half the windows */
#define S_ITERATIONS 24        /* rounds of the estimate's fixed point (wait <-> rules) */
#define S_CONVERGED_MS 1000.0  /* ... done when a round moves it less than a second */
#define S_CONVERGED_SHARE 5e-3 /* ... or 0.5 % of it */

static int s_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The windows as the estimate sees them: the busy ones' residuals, ascending, and their sums. */
typedef struct {
    double v;                      /* how much window times vary, at most 1 */
    int c, idle, busy;             /* windows; of them idle; busy = c - idle */
    const double *left;            /* [busy] the busy windows' residuals, ascending */
    double left_sum, left_inverse; /* sum of them, of their inverses */
} s_windows_t;

/* The k-th smallest (from 0) of the busy residuals and `idle` windows left with `mean` each. */
static double s_kth(const s_windows_t *w, int k, double mean)
{
    int below = 0; /* busy residuals below mean: they come first */
    while (below < w->busy && w->left[below] < mean)
        below++;
    if (k < below)
        return w->left[k];
    if (k < below + w->idle)
        return mean;
    return w->left[k - w->idle];
}

/* Fixed window times: the ticket with k (whole) ahead gets the (k + 1)-th window to free
 * while there are windows for all of them; after that the work ahead spreads over the
 * windows, and the first to run out of it (about half a ticket before the average) takes it. */
static double s_fixed(const s_windows_t *w, int k, double mean, double total, double work)
{
    int c = w->c;
    if (k < c)
        return s_kth(w, k, mean);
    double spread = (total + work) / c - mean * (c - 1) / (2.0 * c);
    double last = s_kth(w, c - 1, mean);
    return spread > last ? spread : last;
}

/* The time until one of the windows takes the ticket when n tickets holding `work` ms of
 * window time are ahead of it: between exponential window times (the first window frees after
 * 1 / sum(1 / time left), then one every work / n / c: Whitt's (n + 1) / (c mu) when all are
 * alike) and fixed ones (the windows free up in turn, then the work spreads over them), by v,
 * how much window times vary. n may be fractional (tickets expected to arrive and go first). */
static double s_base(const s_windows_t *w, double n, double work)
{
    int c = w->c, idle = w->idle;
    double mean = n > 0 ? work / n : 0;
    if (n < idle)
        return 0; /* an idle window takes the ticket */
    /* Idle windows take the first tickets ahead, each then busy for a whole window time. */
    n -= idle;
    work -= idle * mean;
    if (work < 0)
        work = 0;
    double inverse = w->left_inverse + (idle ? (mean > 0 ? idle / mean : 1e9) : 0);
    double total = w->left_sum + idle * mean;
    double exponential = 1 / inverse + work / c;
    int k = (int)n;
    double below = s_fixed(w, k, mean, total, k * mean);
    double fixed = below + (n - k) * (s_fixed(w, k + 1, mean, total, (k + 1) * mean) - below);
    return w->v * exponential + (1 - w->v) * fixed;
}

/* How long, of a wait of `wait` ms, tickets of earlier lanes may be called before a ticket of
 * lane `mine`: all of it, but for the time the oldest ticket of its lane ahead has waited
 * max_wait (that one then goes before every earlier lane). The oldest's wait is taken to move
 * from what the lane's oldest has waited now to `wait`, the ticket's own at its call. */
static double s_open_window(const est_lane_load_t *mine, double wait)
{
    double limit = mine->max_wait_ms, from = mine->oldest_ms;
    if (wait <= 0)
        return 0;
    if (limit <= 0 || (from < limit && wait < limit))
        return wait;
    if (from >= limit && wait >= limit)
        return 0;
    double cross = wait * (limit - from) / (wait - from); /* when the oldest's wait is limit */
    return from < limit ? cross : wait - cross;
}

/* Tickets of a lane expected within the next ms. */
static double s_coming(const est_lane_load_t *p, est_lane_t lane, double within_ms)
{
    return p->arrivals ? est_forecast(p->arrivals, lane, within_ms) : p->rate_per_ms * within_ms;
}

/* The ticket's lane's own waiting tickets ahead, and those of other lanes that the rules put
 * before it when it waits `wait` ms (estimate.h): a count, and their window time. */
static void s_ahead(const est_input_t *in, int c, double wait, double *n, double *work)
{
    const est_lane_t own = in->lane;
    const est_lane_load_t *mine = &in->lanes[own];
    *n = mine->ahead;
    *work = mine->ahead_ms;
    /* Earlier lanes: theirs waiting now and those arriving meanwhile go first while the rules
     * let them (s_open_window), no more than windows free up while they are blocked, and at
     * most max_in_row for each ticket of the ticket's lane ahead and itself. */
    double open = s_open_window(mine, wait);
    for (int l = 0; l < (int)own; l++) {
        const est_lane_load_t *p = &in->lanes[l];
        double first = p->ahead + s_coming(p, (est_lane_t)l, open);
        if (open < wait && p->mean_ms > 0 && first > open * c / p->mean_ms)
            first = open * c / p->mean_ms;
        if (p->max_in_row > 0) {
            double most = (double)p->max_in_row * (mine->ahead + 1) - (l == 0 ? in->row : 0);
            if (first > most)
                first = most > 0 ? most : 0;
        }
        *n += first;
        *work += first <= p->ahead ? (p->ahead > 0 ? p->ahead_ms * first / p->ahead : 0)
                                   : p->ahead_ms + (first - p->ahead) * p->mean_ms;
    }
    /* Appointments due by its call go first, bounded like an earlier lane: no more than
     * windows free while the max-wait rule lets them, at most max_in_row for each walk-in call
     * up to and including the ticket's. */
    const est_appointments_t *a = &in->appts;
    if (a->due + a->later > 0) {
        double first = a->due;
        for (int i = 0; i < a->later && a->in_ms[i] < open; i++)
            first++;
        if (first > a->due && open < wait && a->mean_ms > 0 && first > open * c / a->mean_ms)
            first = open * c / a->mean_ms > a->due ? open * c / a->mean_ms : a->due;
        if (a->max_in_row > 0) {
            double most = (double)a->max_in_row * (*n + 1) - a->row;
            if (first > most)
                first = most > 0 ? most : 0;
        }
        *n += first;
        *work += first <= a->due ? (a->due > 0 ? a->due_ms * first / a->due : 0)
                                 : a->due_ms + (first - a->due) * a->mean_ms;
    }
    /* Later lanes: theirs that will have waited max_wait by the call go first (those waiting
     * now, and those arriving early enough, as many as half the windows have time for), and
     * one after every max_in_row calls of the ticket's lane in a row. */
    for (int l = (int)own + 1; l < EST_LANES; l++) {
        const est_lane_load_t *p = &in->lanes[l];
        if (p->waiting <= 0 && p->max_wait_ms <= 0)
            continue;
        double aged = 0, late = 0;
        if (p->max_wait_ms > 0 && p->aged)
            aged = p->aged(p->aged_ctx, p->max_wait_ms - wait);
        if (mine->max_in_row > 0) {
            double turns = (double)((mine->ahead + in->row) / mine->max_in_row);
            if (turns > aged)
                aged = turns;
        }
        if (aged > p->waiting)
            aged = p->waiting;
        if (p->max_wait_ms > 0 && wait > p->max_wait_ms && p->mean_ms > 0) {
            double span = wait - p->max_wait_ms;
            late = s_coming(p, (est_lane_t)l, span);
            if (late > S_LATE_LOAD * span * c / p->mean_ms)
                late = S_LATE_LOAD * span * c / p->mean_ms;
        }
        *n += aged + late;
        *work +=
            aged * (p->waiting > 0 ? p->waiting_ms / p->waiting : p->mean_ms) + late * p->mean_ms;
    }
}

/* An appointment's: those before it, and the walk-ins the rules put before it when it waits
 * `wait` ms: one after every max_in_row appointment calls while walk-ins wait, and the normal
 * ones past max_wait by then. */
static void s_ahead_appointment(const est_input_t *in, double wait, double *n, double *work)
{
    const est_appointments_t *a = &in->appts;
    *n = a->due + a->later;
    *work = a->due_ms + a->later * a->mean_ms;
    double walk = 0, walk_ms = 0;
    for (int l = 0; l < EST_LANES; l++) {
        walk += in->lanes[l].waiting;
        walk_ms += in->lanes[l].waiting_ms;
    }
    if (walk <= 0)
        return;
    double turns = 0;
    if (a->max_in_row > 0)
        turns = (double)((a->due + a->later + a->row) / a->max_in_row);
    const est_lane_load_t *normal = &in->lanes[EST_NORMAL];
    if (normal->max_wait_ms > 0 && normal->aged) {
        double aged = normal->aged(normal->aged_ctx, normal->max_wait_ms - wait);
        if (aged > turns)
            turns = aged;
    }
    if (turns > walk)
        turns = walk;
    *n += turns;
    *work += turns * walk_ms / walk;
}

int64_t est_wait_ms(const est_input_t *in)
{
    const est_lane_load_t *mine = &in->lanes[in->lane];
    int c = in->open > 0 ? in->open : 1;
    if (c > CFG_COUNTERS_MAX)
        c = CFG_COUNTERS_MAX;
    double v = in->variation > 1 ? 1 : in->variation < 0 ? 0 : in->variation;
    /* What is left of each busy window's ticket: its mean less the time it has had, but
     * never below what a window time that varies this much still has ahead of it (v of its
     * mean: all of it for exponential times, nothing for fixed ones). */
    double left[CFG_COUNTERS_MAX];
    s_windows_t w = {v, c, in->idle < c ? in->idle : c, 0, left, 0, 0};
    w.busy = c - w.idle;
    for (int i = 0; i < w.busy; i++) {
        const est_busy_t *b = i < in->nbusy ? &in->busy[i] : NULL;
        double mean = b ? b->mean_ms : mine->mean_ms;
        double rest = b ? mean - b->elapsed_ms : mean;
        left[i] = rest > v * mean ? rest : v * mean;
        if (left[i] < 1)
            left[i] = 1;
        w.left_sum += left[i];
        w.left_inverse += 1 / left[i];
    }
    qsort(left, (size_t)w.busy, sizeof left[0], s_cmp_double);
    /* The wait is a fixed point: who goes first depends on how long the ticket waits. From
     * below: the least wait the rules agree with. */
    double wait = in->appointment ? s_base(&w, in->appts.due + in->appts.later,
                                           in->appts.due_ms + in->appts.later * in->appts.mean_ms)
                                  : s_base(&w, mine->ahead, mine->ahead_ms);
    for (int round = 0; round < S_ITERATIONS; round++) {
        double n, work;
        if (in->appointment)
            s_ahead_appointment(in, wait, &n, &work);
        else
            s_ahead(in, c, wait, &n, &work);
        double next = s_base(&w, n, work);
        int done = fabs(next - wait) < S_CONVERGED_MS + S_CONVERGED_SHARE * next;
        wait = next;
        if (done)
            break;
    }
    if (in->appointment && in->slot_in_ms > wait) {
        /* Not called before its slot begins; the walk-ins keep the windows busy until then, so
         * it waits for the first to free after it: a window time over c for exponential times,
         * over c + 1 for fixed ones met at a random phase. */
        int walkins = 0;
        for (int l = 0; l < EST_LANES; l++)
            walkins += in->lanes[l].waiting;
        double mean = in->appts.mean_ms > 0 ? in->appts.mean_ms : mine->mean_ms;
        wait = in->slot_in_ms +
               (walkins > 0 || w.idle == 0 ? v * mean / c + (1 - v) * mean / (c + 1) : 0);
    }
    return wait > 0 ? (int64_t)llround(wait) : 0;
}
