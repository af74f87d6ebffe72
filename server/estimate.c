/* Wait estimates: the model of window times and arrivals (estimate.h); the estimate itself is
 * estimate_wait.c. */
#include "estimate.h"

#include "hq_alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define S_QUEUES 26            /* queue letters A .. Z */
#define S_PRIOR_WEIGHT 5.0     /* the configured default weighs as much as 5 tickets */
#define S_SHRINK 3.0           /* a service leans on its queue, a queue on the hall, this much */
#define S_CARRY 100.0          /* what the earlier days taught weighs at most this much */
#define S_CLIP_LOW 10.0        /* observations are clipped to the day's first estimate / 10 */
#define S_CLIP_HIGH 6.0        /* ... and x 6 */
#define S_FLOOR_MS 1000.0      /* no window time is expected below a second */
#define S_VAR_PRIOR 0.5        /* how much window times vary, before there is history */
#define S_VAR_WEIGHT 10.0      /* ... weighing as much as 10 tickets */
#define S_VAR_MAX 1.5          /* at most (very long ones are clipped anyway) */
#define S_NOSHOW_PRIOR_MS 12e4 /* a no-show holds a window about 2 minutes */
#define S_NOSHOW_WEIGHT 3.0    /* ... as 3 no-shows would say */
#define S_NOSHOW_SHARE 0.02    /* 2 in 100 called do not come ... */
#define S_NOSHOW_SHARES 50.0   /* ... as 50 calls would say */
#define S_RATE_TAU_MS 1.2e6    /* arrival rates: the last 20 minutes, exponentially weighted */
#define S_RATE_MIN_SPAN 9e5    /* a rate over less than 15 minutes of history is taken over 15 */
#define S_RATE_REBASE 50.0     /* the sums' exponent is brought back to 0 beyond this */
#define S_BIN_MS 600000        /* the day's arrivals by 10 minutes of the clock */
#define S_BINS 144             /* ... the 24 hours of it */
#define S_PROFILE_NEW 0.3      /* a day's arrivals change the typical day this much */
#define S_LEVEL_PRIOR 10.0     /* today is as busy as a typical day until 10 tickets say more */

typedef struct {
    double w;      /* observations it holds (earlier days' scaled down to S_CARRY at most) */
    double sum;    /* their window times, ms */
    double anchor; /* the estimate the day began with: the centre of the clipping band */
} s_node_t;

typedef struct {
    int no;   /* service number */
    int slot; /* its slot */
} s_slot_t;

/* Arrivals, per queue and lane: index q * EST_LANES + lane. */
#define S_CELLS (S_QUEUES * EST_LANES)

struct est_model {
    int nslots;         /* offered services; the "no service" slot is nslots */
    s_slot_t *by_no;    /* the slots sorted by service number */
    char *slot_queue;   /* [nslots] each service's queue */
    double prior_ms;    /* [rules] default_handling_min */
    s_node_t hall;      /* every ticket, starting from the prior */
    s_node_t *queues;   /* [S_QUEUES] by letter - 'A', then [nslots] services */
    s_node_t *services; /* the services' part of it */
    /* how much window times vary: tickets, sum of time / anchor of its finest node, squares */
    double var_n, var_s1, var_s2;
    /* calls that ended in a no-show (starting from a prior) and the window time they took;
     * calls that ended in a finish */
    s_node_t no_show;
    double finished;
    /* One block: arrivals' sums of exp((t - rate_ref) / tau) [S_CELLS], their plain counts
     * [S_CELLS] (carried over, scaled down), today's arrivals by S_BIN_MS of the clock
     * [S_BINS], a typical day's (the earlier days', exponentially weighted) [S_BINS]. */
    double *block;
    double *decayed, *counts, *today, *profile;
    double today_total;  /* today's arrivals */
    double *profile_sum; /* [S_BINS + 1] the typical day's arrivals before each bin */
    int have_profile;    /* an earlier day was seen */
    int64_t rate_ref;    /* the decayed sums' time of reference */
    int64_t first_ms;    /* the day's first arrival, 0 none yet */
};

#define S_BLOCK (2 * S_CELLS + 3 * S_BINS + 1)

/* ---- the model ---------------------------------------------------------------------------- */
static int s_by_no(const void *a, const void *b)
{
    const s_slot_t *x = a, *y = b;
    return (x->no > y->no) - (x->no < y->no);
}

static double s_shrunk(const s_node_t *n, double k, double toward)
{
    return (n->sum + k * toward) / (n->w + k);
}

static double s_hall_ms(const est_model_t *self)
{
    return self->hall.sum / self->hall.w;
}

static double s_queue_ms(const est_model_t *self, char queue)
{
    double hall = s_hall_ms(self);
    if (queue < 'A' || queue > 'Z')
        return hall;
    return s_shrunk(&self->queues[queue - 'A'], S_SHRINK, hall);
}

/* A finished ticket's expected window time: its service's, shrunk toward the service's queue;
 * without a service its queue's. */
static double s_finish_ms(const est_model_t *self, char queue, int slot)
{
    if (slot >= 0 && slot < self->nslots)
        return s_shrunk(&self->services[slot], S_SHRINK, s_queue_ms(self, self->slot_queue[slot]));
    return s_queue_ms(self, queue);
}

/* Every node's anchor: the estimate as it stands. */
static void s_anchor(est_model_t *self)
{
    self->hall.anchor = s_hall_ms(self);
    for (int q = 0; q < S_QUEUES; q++)
        self->queues[q].anchor = s_queue_ms(self, (char)('A' + q));
    for (int s = 0; s < self->nslots; s++)
        self->services[s].anchor = s_finish_ms(self, 0, s);
}

est_model_t *est_model_new(const hallq_config_t *cfg)
{
    est_model_t *self = hq_calloc(1, sizeof *self);
    if (!self)
        return NULL;
    for (int i = 0; i < cfg->nservices; i++)
        self->nslots += config_service_offered(cfg, &cfg->services[i]);
    self->by_no = hq_calloc((size_t)self->nslots + 1, sizeof *self->by_no);
    self->slot_queue = hq_calloc((size_t)self->nslots + 1, 1);
    self->queues = hq_calloc(S_QUEUES + (size_t)self->nslots, sizeof *self->queues);
    self->block = hq_calloc(S_BLOCK, sizeof *self->block);
    if (!self->by_no || !self->slot_queue || !self->queues || !self->block) {
        est_model_destroy(&self);
        return NULL;
    }
    self->services = self->queues + S_QUEUES;
    self->decayed = self->block;
    self->counts = self->decayed + S_CELLS;
    self->today = self->counts + S_CELLS;
    self->profile = self->today + S_BINS;
    self->profile_sum = self->profile + S_BINS;
    for (int i = 0, slot = 0; i < cfg->nservices; i++)
        if (config_service_offered(cfg, &cfg->services[i])) {
            self->by_no[slot] = (s_slot_t){cfg->services[i].no, slot};
            self->slot_queue[slot] = cfg->services[i].queue;
            slot++;
        }
    qsort(self->by_no, (size_t)self->nslots, sizeof *self->by_no, s_by_no);
    self->prior_ms = (double)cfg->default_handling_min * 60000;
    if (self->prior_ms < S_FLOOR_MS)
        self->prior_ms = S_FLOOR_MS;
    est_model_clear(self);
    return self;
}

void est_model_destroy(est_model_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    est_model_t *self = *self_p;
    hq_free(self->by_no);
    hq_free(self->slot_queue);
    hq_free(self->queues);
    hq_free(self->block);
    hq_free(self);
    *self_p = NULL;
}

void est_model_copy(est_model_t *dst, const est_model_t *src)
{
    if (dst == src)
        return;
    dst->hall = src->hall;
    memcpy(dst->queues, src->queues, (S_QUEUES + (size_t)src->nslots) * sizeof *dst->queues);
    dst->var_n = src->var_n;
    dst->var_s1 = src->var_s1;
    dst->var_s2 = src->var_s2;
    dst->no_show = src->no_show;
    dst->finished = src->finished;
    memcpy(dst->block, src->block, S_BLOCK * sizeof *dst->block);
    dst->have_profile = src->have_profile;
    dst->today_total = src->today_total;
    dst->rate_ref = src->rate_ref;
    dst->first_ms = src->first_ms;
}

/* Today's arrivals start again (the shares' counts are the caller's). */
static void s_clear_day(est_model_t *self)
{
    memset(self->decayed, 0, S_CELLS * sizeof *self->decayed);
    memset(self->today, 0, S_BINS * sizeof *self->today);
    self->today_total = 0;
    self->rate_ref = self->first_ms = 0;
}

void est_model_clear(est_model_t *self)
{
    self->hall = (s_node_t){S_PRIOR_WEIGHT, S_PRIOR_WEIGHT * self->prior_ms, 0};
    memset(self->queues, 0, (S_QUEUES + (size_t)self->nslots) * sizeof *self->queues);
    self->var_n = self->var_s1 = self->var_s2 = 0;
    self->no_show = (s_node_t){S_NOSHOW_WEIGHT, S_NOSHOW_WEIGHT * S_NOSHOW_PRIOR_MS, 0};
    self->finished = 0;
    memset(self->block, 0, S_BLOCK * sizeof *self->block);
    self->have_profile = 0;
    s_clear_day(self);
    s_anchor(self);
}

/* Scales sums so that they weigh `most` at most. */
static void s_scale(double *values, int n, double weight, double most)
{
    if (weight <= most)
        return;
    for (int i = 0; i < n; i++)
        values[i] *= most / weight;
}

static void s_carry(s_node_t *n)
{
    double v[2] = {n->w, n->sum};
    s_scale(v, 2, n->w, S_CARRY);
    n->w = v[0];
    n->sum = v[1];
}

void est_model_new_day(est_model_t *self)
{
    s_carry(&self->hall);
    for (int i = 0; i < S_QUEUES + self->nslots; i++)
        s_carry(&self->queues[i]);
    double var[3] = {self->var_n, self->var_s1, self->var_s2};
    s_scale(var, 3, var[0], S_CARRY);
    self->var_n = var[0];
    self->var_s1 = var[1];
    self->var_s2 = var[2];
    /* the no-show share: over as many calls as S_CARRY finished tickets */
    double calls = self->no_show.w - S_NOSHOW_WEIGHT + self->finished;
    if (calls > S_CARRY) {
        double no_shows = (self->no_show.w - S_NOSHOW_WEIGHT) * S_CARRY / calls;
        self->no_show.sum *= (no_shows + S_NOSHOW_WEIGHT) / self->no_show.w;
        self->no_show.w = no_shows + S_NOSHOW_WEIGHT;
        self->finished *= S_CARRY / calls;
    }
    double seen = 0, all = 0;
    for (int b = 0; b < S_BINS; b++)
        seen += self->today[b];
    if (seen > 0) {
        double keep = self->have_profile ? 1 - S_PROFILE_NEW : 0;
        for (int b = 0; b < S_BINS; b++)
            self->profile[b] = keep * self->profile[b] + (1 - keep) * self->today[b];
        self->have_profile = 1;
        for (int b = 0; b < S_BINS; b++)
            self->profile_sum[b + 1] = self->profile_sum[b] + self->profile[b];
    }
    for (int i = 0; i < S_CELLS; i++)
        all += self->counts[i];
    s_scale(self->counts, S_CELLS, all, S_CARRY);
    s_clear_day(self);
    s_anchor(self);
}

int est_model_slot(const est_model_t *self, int service)
{
    size_t lo = 0, hi = (size_t)self->nslots;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (self->by_no[mid].no < service)
            lo = mid + 1;
        else
            hi = mid;
    }
    return service && lo < (size_t)self->nslots && self->by_no[lo].no == service
               ? self->by_no[lo].slot
               : self->nslots;
}

int est_model_slots(const est_model_t *self)
{
    return self->nslots;
}

static double s_clip(const s_node_t *n, double ms)
{
    double lo = n->anchor / S_CLIP_LOW, hi = n->anchor * S_CLIP_HIGH;
    return ms < lo ? lo : ms > hi ? hi : ms;
}

static void s_add(s_node_t *n, double ms)
{
    n->w += 1;
    n->sum += s_clip(n, ms);
}

void est_observe_window_time(est_model_t *self, char queue, int slot, int64_t ms)
{
    double x = (double)(ms > 0 ? ms : 0);
    int service = slot >= 0 && slot < self->nslots;
    if (service)
        queue = self->slot_queue[slot];
    s_add(&self->hall, x);
    const s_node_t *finest = &self->hall;
    if (queue >= 'A' && queue <= 'Z') {
        finest = &self->queues[queue - 'A'];
        s_add(&self->queues[queue - 'A'], x);
    }
    if (service) {
        finest = &self->services[slot];
        s_add(&self->services[slot], x);
    }
    double r = s_clip(finest, x) / finest->anchor;
    self->finished += 1;
    self->var_n += 1;
    self->var_s1 += r;
    self->var_s2 += r * r;
}

void est_observe_no_show(est_model_t *self, int64_t ms, int times)
{
    double x = (double)(ms > 0 ? ms : 0);
    double most = S_NOSHOW_PRIOR_MS * S_CLIP_HIGH;
    self->no_show.w += times;
    self->no_show.sum += times * (x < most ? x : most);
}

/* The bin of the clock an instant falls in (a hall's day repeats in UTC as in its zone), and
 * how far into it. */
static int s_bin(int64_t at_ms, double *into)
{
    int64_t day = S_BINS * (int64_t)S_BIN_MS, in_day = at_ms % day;
    if (in_day < 0)
        in_day += day;
    if (into)
        *into = (double)(in_day % S_BIN_MS) / S_BIN_MS;
    return (int)(in_day / S_BIN_MS);
}

/* The typical day's arrivals from its start to `at`, the bin `at` is in prorated. */
static double s_typical_until(const est_model_t *self, int64_t at_ms)
{
    double into;
    int b = s_bin(at_ms, &into);
    return self->profile_sum[b] + self->profile[b] * into;
}

void est_observe_arrival(est_model_t *self, char queue, est_lane_t lane, int64_t at_ms)
{
    if (queue < 'A' || queue > 'Z' || (unsigned)lane >= EST_LANES)
        return;
    if (!self->first_ms || at_ms < self->first_ms)
        self->first_ms = at_ms;
    if (!self->rate_ref)
        self->rate_ref = at_ms;
    double exponent = (double)(at_ms - self->rate_ref) / S_RATE_TAU_MS;
    if (exponent > S_RATE_REBASE) { /* keep the sums finite: move the reference */
        double shrink = exp(-exponent);
        for (int i = 0; i < S_CELLS; i++)
            self->decayed[i] *= shrink;
        self->rate_ref = at_ms;
        exponent = 0;
    }
    int cell = (queue - 'A') * EST_LANES + (int)lane;
    self->decayed[cell] += exp(exponent);
    self->counts[cell] += 1;
    self->today[s_bin(at_ms, NULL)] += 1;
    self->today_total += 1;
}

double est_window_ms(const est_model_t *self, char queue, int slot)
{
    double ms = s_finish_ms(self, queue, slot);
    /* A call ends in a finish, or now and then in a no-show, which holds the window less. */
    double no_shows = self->no_show.w - S_NOSHOW_WEIGHT;
    double share = (no_shows + S_NOSHOW_SHARE * S_NOSHOW_SHARES) /
                   (no_shows + self->finished + S_NOSHOW_SHARES);
    ms = (1 - share) * ms + share * (self->no_show.sum / self->no_show.w);
    return ms > S_FLOOR_MS ? ms : S_FLOOR_MS;
}

double est_variation(const est_model_t *self)
{
    double data = S_VAR_PRIOR;
    if (self->var_n >= 2 && self->var_s1 > 0)
        data = self->var_s2 * self->var_n / (self->var_s1 * self->var_s1) - 1;
    double v = (S_VAR_WEIGHT * S_VAR_PRIOR + self->var_n * data) / (S_VAR_WEIGHT + self->var_n);
    return v < 0 ? 0 : v > S_VAR_MAX ? S_VAR_MAX : v;
}

/* The lane's share of the tickets (today's and, scaled down, the earlier days'): of those in
 * the mask's queues (in_mask) or of all. A lane nobody came in is not expected. */
static double s_share(const est_model_t *self, uint32_t queues, est_lane_t lane, int in_mask)
{
    double mine = 0, all = 0;
    for (int q = 0; q < S_QUEUES; q++)
        for (int l = 0; l < EST_LANES; l++) {
            double n = self->counts[q * EST_LANES + l];
            int here = queues >> q & 1u;
            if (here || !in_mask)
                all += n;
            if (here && l == (int)lane)
                mine += n;
        }
    return all > 0 ? mine / all : 0;
}

void est_forecast_init(est_forecast_t *f, const est_model_t *self, uint32_t queues, int64_t now_ms)
{
    memset(f, 0, sizeof *f);
    f->model = self;
    f->now_ms = now_ms;
    if (!self->first_ms)
        return; /* nothing arrived today yet, nothing is expected (before opening) */
    if (self->have_profile) {
        /* How busy today has been so far against the typical day. */
        f->level =
            (self->today_total + S_LEVEL_PRIOR) / (s_typical_until(self, now_ms) + S_LEVEL_PRIOR);
        for (int l = 0; l < EST_LANES; l++)
            f->share[l] = s_share(self, queues, (est_lane_t)l, 0);
        return;
    }
    /* All lanes together lately, times each lane's share: a lane's own arrivals of the last
     * minutes are too few to be more than noise. */
    double recent = 0;
    for (int q = 0; q < S_QUEUES; q++)
        for (int l = 0; (queues >> q & 1u) && l < EST_LANES; l++)
            recent += self->decayed[q * EST_LANES + l];
    double span = (double)(now_ms - self->first_ms);
    if (span < S_RATE_MIN_SPAN)
        span = S_RATE_MIN_SPAN;
    recent *= exp((double)(self->rate_ref - now_ms) / S_RATE_TAU_MS);
    double rate = recent / (S_RATE_TAU_MS * (1 - exp(-span / S_RATE_TAU_MS)));
    for (int l = 0; l < EST_LANES; l++)
        f->rate[l] = rate * s_share(self, queues, (est_lane_t)l, 1);
}

double est_forecast(const est_forecast_t *f, est_lane_t lane, double within_ms)
{
    if (within_ms <= 0 || (unsigned)lane >= EST_LANES)
        return 0;
    const est_model_t *self = f->model;
    if (!self->have_profile)
        return f->rate[lane] * within_ms;
    /* The typical day from now on (across midnight too), scaled by today's level. */
    double day = self->profile_sum[S_BINS], coming = 0;
    double from = s_typical_until(self, f->now_ms);
    double to = s_typical_until(self, f->now_ms + (int64_t)within_ms);
    double days = floor(within_ms / ((double)S_BINS * S_BIN_MS));
    coming = to - from + days * day;
    if (coming < 0)
        coming += day;
    return f->level * coming * f->share[lane];
}

double est_lane_window_ms(const est_model_t *self, uint32_t queues, est_lane_t lane)
{
    double sum = 0, n = 0, plain = 0, nq = 0;
    for (int q = 0; q < S_QUEUES; q++) {
        if (!(queues >> q & 1u))
            continue;
        double ms = est_window_ms(self, (char)('A' + q), self->nslots);
        double c = (unsigned)lane < EST_LANES ? self->counts[q * EST_LANES + lane] : 0;
        sum += c * ms;
        n += c;
        plain += ms;
        nq++;
    }
    return n > 0 ? sum / n : nq > 0 ? plain / nq : est_window_ms(self, 0, self->nslots);
}
