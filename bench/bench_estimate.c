/* Simulated days against the daemon's hall: the estimate printed at issue against the wait
 * each ticket then had, beside the textbook predictors (bench_estimate.h). */
#include "bench_estimate.h"

#include "bench_util.h"
#include "config.h"
#include "hall.h"
#include "hq_date.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MIN_MS 60000.0
#define S_DAY_MS 86400000LL
#define S_WINDOWS 4           /* the default hall's four windows, each serving every queue */
#define S_LUNCH_WINDOW 4      /* the window that closes for lunch in the realistic mornings */
#define S_WITHIN_MIN 5.0      /* "within 5 minutes" */
#define S_MMC_SERVICE_MIN 5.0 /* M/M/c: mean time a ticket holds a window */

const char *const be_predictor_key[BE_PREDICTORS] = {"hallq", "oracle", "queue_length", "les",
                                                     "les_lane"};
const char *const be_predictor_what[BE_PREDICTORS] = {
    "hallq (est_wait_ms at issue)", "oracle: (ahead+1)/(c mu), true mu",
    "queue length, mu of the day so far", "LES: last called, same queue",
    "LES: last called, same lane"};

/* ---- a scenario ------------------------------------------------------------------------------ */
typedef struct {
    const char *key, *what;
    be_kind_t kind;
    double rho; /* M/M/c: the load; 0 for a realistic morning */
    int burst;  /* quick transactions at the opening, every day on a hall without history */
    int days, quick_days;
    uint64_t seed;
} s_spec_t;

static const s_spec_t s_specs[BE_SCENARIOS] = {
    {"mmc_0.6", "M/M/4, rho 0.6, 8 h days", BE_MMC, 0.6, 0, 100, 10, 11},
    {"mmc_0.8", "M/M/4, rho 0.8, 8 h days", BE_MMC, 0.8, 0, 100, 10, 12},
    {"mmc_0.9", "M/M/4, rho 0.9, 8 h days", BE_MMC, 0.9, 0, 100, 10, 13},
    {"morning", "realistic morning: 10:00 peak, catalog, 22% green, lunch", BE_REALISTIC, 0, 0, 200,
     20, 14},
    {"burst", "burst of quick transactions at opening, no history", BE_REALISTIC, 0, 1, 200, 20,
     15},
};

/* ---- random numbers: splitmix64, so a seed gives the same days on every machine ------------- */
typedef struct {
    uint64_t state;
} s_rng_t;

static double s_uniform(s_rng_t *g)
{
    uint64_t z = (g->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0; /* (0, 1) */
}

static double s_exponential(s_rng_t *g, double mean)
{
    return -mean * log(s_uniform(g));
}

static double s_lognormal(s_rng_t *g, double mean, double sigma)
{
    double mu = log(mean) - sigma * sigma / 2;
    double z = sqrt(-2 * log(s_uniform(g))) * cos(2 * M_PI * s_uniform(g));
    return exp(mu + sigma * z);
}

/* ---- the event queue: a binary heap by time, then by the order events were made ------------- */
typedef enum { E_ARRIVAL, E_WINDOW, E_OPEN, E_LUNCH, E_BACK } s_event_kind_t;

typedef struct {
    int64_t at;
    uint64_t seq;
    s_event_kind_t kind;
    int arg; /* the window, or for E_ARRIVAL 1 for a quick transaction of the burst */
} s_event_t;

typedef struct {
    s_event_t *v;
    size_t n, cap;
    uint64_t seq;
} s_heap_t;

static int s_before(const s_event_t *a, const s_event_t *b)
{
    return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

static int s_push(s_heap_t *h, int64_t at, s_event_kind_t kind, int arg)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 256;
        s_event_t *grown = realloc(h->v, cap * sizeof *grown);
        if (!grown)
            return -1;
        h->v = grown;
        h->cap = cap;
    }
    size_t i = h->n++;
    h->v[i] = (s_event_t){at, h->seq++, kind, arg};
    while (i > 0 && s_before(&h->v[i], &h->v[(i - 1) / 2])) {
        s_event_t tmp = h->v[i];
        h->v[i] = h->v[(i - 1) / 2];
        h->v[(i - 1) / 2] = tmp;
        i = (i - 1) / 2;
    }
    return 0;
}

static s_event_t s_pop(s_heap_t *h)
{
    s_event_t top = h->v[0];
    h->v[0] = h->v[--h->n];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && s_before(&h->v[l], &h->v[m]))
            m = l;
        if (r < h->n && s_before(&h->v[r], &h->v[m]))
            m = r;
        if (m == i)
            break;
        s_event_t tmp = h->v[i];
        h->v[i] = h->v[m];
        h->v[m] = tmp;
        i = m;
    }
    return top;
}

/* ---- the simulation's state ------------------------------------------------------------------ */
typedef enum {
    W_CLOSED, /* nobody logged in, or paused for lunch */
    W_IDLE,   /* open, nobody at the window */
    W_WALK,   /* called; the citizen walks up (next: start) */
    W_SERVE,  /* being served (next: finish) */
    W_ABSENT, /* called; the citizen does not come (next: recall, then no-show) */
} s_window_state_t;

typedef struct {
    int id;
    s_window_state_t state;
    int64_t ticket;    /* the hall's id of the ticket at the window */
    int64_t called_at; /* when it called it */
    int lunch;         /* close for lunch as soon as the window is free */
    int recalled;
} s_window_t;

typedef struct {
    int64_t issued, called; /* called -1 until the first call */
    double pred[BE_PREDICTORS];
    char queue;
    int green;
    int quick; /* a quick transaction of the burst */
    double service_ms;
} s_ticket_t;

typedef struct {
    int no;
    char queue;
    double weight;
    double mean_min; /* handling, start to finish */
} s_service_t;

typedef struct {
    const s_spec_t *spec;
    hallq_config_t cfg;
    hall_t *hall;
    s_rng_t rng;
    s_heap_t heap;
    s_window_t win[S_WINDOWS];
    s_ticket_t *tickets; /* by the hall's ticket id */
    size_t ntickets;
    s_service_t services[64];
    int nservices;
    double weight_total;
    double true_service_ms; /* what the oracle knows: the mean time a ticket holds a window */
    int64_t day_start;      /* midnight of the simulated day */
    /* what the day saw so far, for the practical predictors */
    double finished_ms_sum;
    long finished;
    double last_wait_queue[26];
    int have_queue[26];
    double last_wait_lane[2];
    int have_lane[2];
    /* the scores */
    double abs_sum[BE_PREDICTORS], err_sum[BE_PREDICTORS];
    long within[BE_PREDICTORS];
    long scored;
    double wait_sum;
    char why[256];
} s_sim_t;

/* Realistic mornings: the town catalog's services, everyday items (registration, enquiries,
 * out-of-town filing) three times as frequent as the rest, handling times by queue. */
static double s_queue_mean_min(char queue)
{
    switch (queue) {
    case 'A':
        return 6;
    case 'B':
        return 3;
    case 'C':
        return 7;
    case 'D':
        return 8;
    case 'E':
        return 15;
    case 'F':
        return 12;
    default:
        return 18;
    }
}

#define S_WALK_MIN 0.3       /* the citizen walks up: 0.3 min + exponential */
#define S_WALK_EXP_MIN 0.4   /* mean of the exponential part */
#define S_NOSHOW 0.03        /* share of called citizens who never come */
#define S_GREEN 0.22         /* share of green-lane tickets */
#define S_HANDLING_SIGMA 0.5 /* log-normal spread of handling times */
#define S_BURST 10           /* quick transactions at the opening */

/* Arrivals per hour at minute m of the day: a morning peaking near 10:00 a little above what
 * the four windows handle, so a queue builds up and drains again (as hallq-sim's morning). */
static double s_morning_rate(double m)
{
    static const double at[][2] = {{8 * 60 + 30, 15},  {9 * 60 + 15, 30},  {10 * 60, 40},
                                   {10 * 60 + 45, 32}, {11 * 60 + 30, 18}, {12 * 60, 10}};
    const int n = sizeof at / sizeof at[0];
    if (m < at[0][0] || m >= at[n - 1][0])
        return 0;
    for (int i = 1; i < n; i++)
        if (m <= at[i][0]) {
            double f = (m - at[i - 1][0]) / (at[i][0] - at[i - 1][0]);
            return at[i - 1][1] + f * (at[i][1] - at[i - 1][1]);
        }
    return 0;
}

#define S_OPEN_MIN (8 * 60 + 30)
#define S_MMC_CLOSE_MIN (16 * 60 + 30)
#define S_LUNCH_MIN (11 * 60 + 30)
#define S_BACK_MIN (12 * 60 + 30)

static int64_t s_at(const s_sim_t *s, double minute)
{
    return s->day_start + (int64_t)llround(minute * S_MIN_MS);
}

static double s_minute(const s_sim_t *s, int64_t at)
{
    return (double)(at - s->day_start) / S_MIN_MS;
}

/* Arrivals per minute at a moment, and the most it reaches (for thinning). */
static double s_rate(const s_sim_t *s, double minute, double *max)
{
    if (s->spec->kind == BE_MMC) {
        double lambda = s->spec->rho * S_WINDOWS / S_MMC_SERVICE_MIN;
        *max = lambda;
        return minute >= S_OPEN_MIN && minute < S_MMC_CLOSE_MIN ? lambda : 0;
    }
    *max = 40.0 / 60;
    return s_morning_rate(minute) / 60;
}

static double s_close_minute(const s_sim_t *s)
{
    return s->spec->kind == BE_MMC ? S_MMC_CLOSE_MIN : 12 * 60;
}

/* Schedules the next arrival after `after` (a non-homogeneous Poisson process by thinning). */
static int s_next_arrival(s_sim_t *s, int64_t after)
{
    double m = s_minute(s, after), max;
    s_rate(s, m, &max);
    for (;;) {
        m += s_exponential(&s->rng, 1 / max);
        if (m >= s_close_minute(s))
            return 0;
        double max_unused;
        if (s_uniform(&s->rng) * max <= s_rate(s, m, &max_unused))
            return s_push(&s->heap, s_at(s, m), E_ARRIVAL, 0);
    }
}

/* ---- talking to the hall ------------------------------------------------------------------- */
static int s_do(s_sim_t *s, hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_result_init(r);
    hall_handle(s->hall, req, now, r);
    if (r->error.code != HQ_E_NONE) {
        snprintf(s->why, sizeof s->why, "the hall refused a %s at minute %.1f: %s",
                 hq_req_type_name(req->type), s_minute(s, now), r->error.message);
        hall_result_clear(r);
        return -1;
    }
    return 0;
}

static int s_window_req(s_sim_t *s, hq_req_type_t type, int window, int64_t now, int64_t *ticket)
{
    hq_request_t req;
    hq_request_init(&req, type);
    req.counter = window;
    if (type == HQ_REQ_LOGIN)
        snprintf(req.clerk, sizeof req.clerk, "clerk%d", window);
    if (type == HQ_REQ_PAUSE)
        snprintf(req.reason, sizeof req.reason, "lunch");
    hall_result_t r;
    if (s_do(s, &req, now, &r) != 0)
        return -1;
    if (ticket)
        *ticket = r.ticket;
    hall_result_clear(&r);
    return 0;
}

static s_ticket_t *s_ticket(s_sim_t *s, int64_t id)
{
    if ((size_t)id >= s->ntickets) {
        size_t n = s->ntickets ? s->ntickets : 1024;
        while (n <= (size_t)id)
            n *= 2;
        s_ticket_t *grown = realloc(s->tickets, n * sizeof *grown);
        if (!grown)
            return NULL;
        memset(grown + s->ntickets, 0, (n - s->ntickets) * sizeof *grown);
        s->tickets = grown;
        s->ntickets = n;
    }
    return &s->tickets[id];
}

/* ---- windows --------------------------------------------------------------------------------- */
/* A free window calls the next ticket; it stays idle when nobody waits. */
static int s_call(s_sim_t *s, s_window_t *w, int64_t now)
{
    if (w->lunch) {
        w->lunch = 0;
        w->state = W_CLOSED;
        return s_window_req(s, HQ_REQ_PAUSE, w->id, now, NULL);
    }
    int64_t id = 0;
    if (s_window_req(s, HQ_REQ_CALL, w->id, now, &id) != 0)
        return -1;
    if (!id) {
        w->state = W_IDLE;
        return 0;
    }
    s_ticket_t *t = s_ticket(s, id);
    if (!t)
        return -1;
    if (t->called < 0) {
        /* the first call ends the wait: score every predictor on it */
        t->called = now;
        double actual = (double)(now - t->issued) / S_MIN_MS;
        for (int p = 0; p < BE_PREDICTORS; p++) {
            double err = t->pred[p] - actual;
            s->abs_sum[p] += fabs(err);
            s->err_sum[p] += err;
            s->within[p] += fabs(err) <= S_WITHIN_MIN;
        }
        s->scored++;
        s->wait_sum += actual;
        s->last_wait_queue[t->queue - 'A'] = actual;
        s->have_queue[t->queue - 'A'] = 1;
        s->last_wait_lane[t->green] = actual;
        s->have_lane[t->green] = 1;
    }
    w->ticket = id;
    w->called_at = now;
    w->recalled = 0;
    if (s->spec->kind == BE_MMC) {
        w->state = W_SERVE; /* no walk: the window is busy from the call to the finish */
        return s_push(&s->heap, now + (int64_t)llround(t->service_ms), E_WINDOW, w->id);
    }
    if (!t->quick && s_uniform(&s->rng) < S_NOSHOW) {
        w->state = W_ABSENT;
        return s_push(&s->heap, now + (int64_t)S_MIN_MS, E_WINDOW, w->id);
    }
    w->state = W_WALK;
    double walk =
        t->quick ? 5000 : (S_WALK_MIN + s_exponential(&s->rng, S_WALK_EXP_MIN)) * S_MIN_MS;
    return s_push(&s->heap, now + (int64_t)llround(walk), E_WINDOW, w->id);
}

/* The window's next step: start, finish, recall or no-show. */
static int s_window_step(s_sim_t *s, s_window_t *w, int64_t now)
{
    switch (w->state) {
    case W_WALK: {
        if (s_window_req(s, HQ_REQ_START, w->id, now, NULL) != 0)
            return -1;
        w->state = W_SERVE;
        return s_push(&s->heap, now + (int64_t)llround(s_ticket(s, w->ticket)->service_ms),
                      E_WINDOW, w->id);
    }
    case W_SERVE:
        if (s_window_req(s, HQ_REQ_FINISH, w->id, now, NULL) != 0)
            return -1;
        s->finished_ms_sum += (double)(now - w->called_at);
        s->finished++;
        w->ticket = 0;
        return s_call(s, w, now);
    case W_ABSENT:
        if (!w->recalled) {
            w->recalled = 1;
            if (s_window_req(s, HQ_REQ_RECALL, w->id, now, NULL) != 0)
                return -1;
            return s_push(&s->heap, now + (int64_t)S_MIN_MS, E_WINDOW, w->id);
        }
        if (s_window_req(s, HQ_REQ_NO_SHOW, w->id, now, NULL) != 0)
            return -1;
        w->ticket = 0;
        return s_call(s, w, now);
    default:
        return 0;
    }
}

/* ---- arrivals -------------------------------------------------------------------------------- */
static const s_service_t *s_pick_service(s_sim_t *s)
{
    double pick = s_uniform(&s->rng) * s->weight_total;
    for (int i = 0; i < s->nservices; i++) {
        pick -= s->services[i].weight;
        if (pick <= 0)
            return &s->services[i];
    }
    return &s->services[s->nservices - 1];
}

static int s_arrival(s_sim_t *s, int64_t now, int quick)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    double service_ms;
    if (s->spec->kind == BE_MMC) {
        req.queue = 'A';
        service_ms = s_exponential(&s->rng, S_MMC_SERVICE_MIN * S_MIN_MS);
    } else if (quick) {
        req.queue = 'B';
        req.service = 8; /* 出具《参保凭证》: a printout */
        service_ms = (10 + 20 * s_uniform(&s->rng)) * 1000;
    } else {
        const s_service_t *svc = s_pick_service(s);
        req.queue = svc->queue;
        req.service = svc->no;
        req.elderly = s_uniform(&s->rng) < S_GREEN;
        service_ms = s_lognormal(&s->rng, svc->mean_min, S_HANDLING_SIGMA) * S_MIN_MS;
    }
    hall_result_t r;
    if (s_do(s, &req, now, &r) != 0)
        return -1;
    s_ticket_t *t = s_ticket(s, r.ticket);
    if (!t) {
        hall_result_clear(&r);
        return -1;
    }
    *t = (s_ticket_t){.issued = now,
                      .called = -1,
                      .queue = req.queue,
                      .green = req.elderly,
                      .quick = quick,
                      .service_ms = service_ms};
    /* The textbook predictors, from what the simulation knows at this moment. */
    int open = 0, free_window = 0;
    for (int i = 0; i < S_WINDOWS; i++) {
        open += s->win[i].state != W_CLOSED;
        free_window |= s->win[i].state == W_IDLE;
    }
    double c = open > 0 ? open : S_WINDOWS, n = r.ahead + 1.0;
    double mean_so_far = s->finished ? s->finished_ms_sum / (double)s->finished
                                     : s->cfg.default_handling_min * S_MIN_MS;
    t->pred[BE_HALLQ] = (double)r.est_wait_ms / S_MIN_MS;
    t->pred[BE_ORACLE] = free_window ? 0 : n * s->true_service_ms / c / S_MIN_MS;
    t->pred[BE_QL] = free_window ? 0 : n * mean_so_far / c / S_MIN_MS;
    t->pred[BE_LES] =
        free_window || !s->have_queue[req.queue - 'A'] ? 0 : s->last_wait_queue[req.queue - 'A'];
    t->pred[BE_LES_LANE] =
        free_window || !s->have_lane[req.elderly] ? 0 : s->last_wait_lane[req.elderly];
    hall_result_clear(&r);
    /* An idle window calls at once. */
    for (int i = 0; i < S_WINDOWS; i++)
        if (s->win[i].state == W_IDLE)
            return s_call(s, &s->win[i], now);
    return 0;
}

/* ---- a day ----------------------------------------------------------------------------------- */
static int s_new_hall(s_sim_t *s, const char *day)
{
    hall_destroy(&s->hall);
    s->hall = hall_new(&s->cfg);
    if (!s->hall)
        return -1;
    hall_reset(s->hall, day);
    if (hall_finish_load(s->hall, 1, 0) != 0)
        return -1;
    for (int i = 0; i < S_WINDOWS; i++)
        s->win[i] = (s_window_t){.id = i + 1, .state = W_CLOSED};
    return 0;
}

static int s_day(s_sim_t *s, int d)
{
    char day[HQ_DATE_TEXT_MAX];
    int days = hq_date_to_days((hq_date_t){2027, 3, 1}) + d;
    hq_date_format(hq_date_from_days(days), day);
    s->day_start = (int64_t)days * S_DAY_MS;
    if (s->spec->burst || !s->hall) {
        if (s_new_hall(s, day) != 0) {
            snprintf(s->why, sizeof s->why, "out of memory");
            return -1;
        }
    } else {
        hall_result_t r;
        hall_result_init(&r);
        hall_rollover(s->hall, day, s->day_start, &r);
        hall_result_clear(&r);
        hall_compact(s->hall);
    }
    s->finished_ms_sum = 0;
    s->finished = 0;
    memset(s->have_queue, 0, sizeof s->have_queue);
    memset(s->have_lane, 0, sizeof s->have_lane);
    s->heap.n = 0;
    int rc = s_next_arrival(s, s_at(s, S_OPEN_MIN));
    for (int i = 0; rc == 0 && i < S_WINDOWS; i++)
        rc = s_push(&s->heap, s_at(s, S_OPEN_MIN - (s->spec->kind == BE_MMC ? 30 : 0)), E_OPEN,
                    i + 1);
    if (s->spec->kind == BE_REALISTIC) {
        rc |= s_push(&s->heap, s_at(s, S_LUNCH_MIN), E_LUNCH, S_LUNCH_WINDOW);
        rc |= s_push(&s->heap, s_at(s, S_BACK_MIN), E_BACK, S_LUNCH_WINDOW);
    }
    for (int i = 0; s->spec->burst && rc == 0 && i < S_BURST; i++)
        rc = s_push(&s->heap, s_at(s, S_OPEN_MIN + 0.5 * i), E_ARRIVAL, 1);
    while (rc == 0 && s->heap.n > 0) {
        s_event_t e = s_pop(&s->heap);
        s_window_t *w = e.kind != E_ARRIVAL ? &s->win[e.arg - 1] : NULL;
        switch (e.kind) {
        case E_ARRIVAL:
            rc = s_arrival(s, e.at, e.arg);
            if (rc == 0 && !e.arg)
                rc = s_next_arrival(s, e.at);
            break;
        case E_OPEN:
            if (w->state == W_CLOSED) {
                rc = s_window_req(s, HQ_REQ_LOGIN, w->id, e.at, NULL);
                w->state = W_IDLE;
                if (rc == 0)
                    rc = s_call(s, w, e.at);
            }
            break;
        case E_LUNCH:
            if (w->state == W_IDLE) {
                w->state = W_CLOSED;
                rc = s_window_req(s, HQ_REQ_PAUSE, w->id, e.at, NULL);
            } else {
                w->lunch = 1; /* once the citizen at the window is done */
            }
            break;
        case E_BACK:
            if (w->state == W_CLOSED && !w->lunch) {
                rc = s_window_req(s, HQ_REQ_RESUME, w->id, e.at, NULL);
                w->state = W_IDLE;
                if (rc == 0)
                    rc = s_call(s, w, e.at);
            }
            w->lunch = 0;
            break;
        case E_WINDOW:
            rc = s_window_step(s, w, e.at);
            break;
        }
    }
    return rc;
}

/* The services a realistic morning draws from: the hall's offered catalog. */
static void s_catalog(s_sim_t *s)
{
    s->nservices = 0;
    s->weight_total = 0;
    double held = 0;
    for (int i = 0; i < s->cfg.nservices && s->nservices < 64; i++) {
        const cfg_service_t *c = &s->cfg.services[i];
        if (!config_service_offered(&s->cfg, c))
            continue;
        s_service_t *v = &s->services[s->nservices++];
        v->no = c->no;
        v->queue = c->queue;
        v->weight = strchr("ABC", c->queue) ? 3 : 1;
        /* services of a queue differ a little among themselves */
        v->mean_min = s_queue_mean_min(c->queue) * (0.8 + 0.1 * (c->no % 5));
        s->weight_total += v->weight;
        held += v->weight * (v->mean_min + S_WALK_MIN + S_WALK_EXP_MIN);
    }
    s->true_service_ms =
        s->spec->kind == BE_MMC ? S_MMC_SERVICE_MIN * S_MIN_MS : held / s->weight_total * S_MIN_MS;
}

static int s_scenario(const s_spec_t *spec, int quick, be_result_t *out, char *why, size_t whylen)
{
    s_sim_t *s = calloc(1, sizeof *s);
    if (!s)
        return hq_fail(why, whylen, "out of memory");
    s->spec = spec;
    s->rng.state = spec->seed;
    int rc = config_default(&s->cfg, why, whylen);
    if (rc == 0) {
        s_catalog(s);
        int64_t t0 = bu_now_ns();
        int days = quick ? spec->quick_days : spec->days;
        for (int d = 0; rc == 0 && d < days; d++)
            if (s_day(s, d) != 0) {
                rc = hq_fail(why, whylen, "%s, day %d: %s", spec->key, d + 1, s->why);
            }
        memset(out, 0, sizeof *out);
        out->key = spec->key;
        out->what = spec->what;
        out->kind = spec->kind;
        out->days = days;
        out->elapsed_ms = (double)(bu_now_ns() - t0) / 1e6;
        out->tickets = s->scored;
        double n = s->scored ? (double)s->scored : 1;
        out->mean_wait = s->wait_sum / n;
        for (int p = 0; p < BE_PREDICTORS; p++)
            out->score[p] =
                (be_score_t){s->abs_sum[p] / n, s->err_sum[p] / n, (double)s->within[p] / n};
        out->best_practical = BE_QL;
        for (int p = BE_QL + 1; p < BE_PREDICTORS; p++)
            if (out->score[p].mae_min < out->score[out->best_practical].mae_min)
                out->best_practical = (be_predictor_t)p;
        if (spec->kind == BE_MMC) {
            out->limit = 1.05;
            out->reference_mae = out->score[BE_ORACLE].mae_min;
        } else {
            out->limit = 0.85;
            out->reference_mae = out->score[out->best_practical].mae_min;
        }
        out->met = s->scored > 0 && out->score[BE_HALLQ].mae_min <= out->limit * out->reference_mae;
        snprintf(out->target_key, sizeof out->target_key, "estimate_%s", spec->key);
        snprintf(out->target_what, sizeof out->target_what, "wait estimate MAE, %s <= %.2f x %s",
                 spec->key, out->limit,
                 spec->kind == BE_MMC ? "the oracle's" : "the better practical predictor's");
    }
    hall_destroy(&s->hall);
    config_free(&s->cfg);
    free(s->heap.v);
    free(s->tickets);
    free(s);
    return rc;
}

int be_run(int quick, be_result_t *out, char *why, size_t whylen)
{
    for (int i = 0; i < BE_SCENARIOS; i++)
        if (s_scenario(&s_specs[i], quick, &out[i], why, whylen) != 0)
            return -1;
    return BE_SCENARIOS;
}
