/* hallq-sim: drives a realistic morning through a real hallqd, faster than real time, so the
 * hall's screens move by themselves (demonstrations, training, load on a test hall).
 *
 * Citizens arrive by a Poisson process whose rate peaks mid-morning; about a quarter are
 * elderly; services are drawn from the hall's own catalog; handling times follow the
 * catalog's instant / assisted mix. Simulated clerks work the chosen windows: call, walk-up,
 * start, handle, finish, and now and then a recall and no-show, a parked ticket or a rating.
 */
#include "hq_client.h"
#include "hq_log.h"
#include "hq_proto.h"
#include "hq_signals.h"
#include "options.h"
#include "texts.h"
#include "ui_exit.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define S_MAX_SERVICES 128

typedef enum { C_IDLE, C_CALLED, C_SERVING, C_WAIT } s_clerk_state_t;

typedef struct {
    int id; /* window number */
    s_clerk_state_t state;
    double next; /* simulated minute of its next step */
    char label[HQ_LABEL_MAX];
    int instant; /* current ticket's service kind */
    int recalls;
} s_clerk_t;

typedef struct {
    int no;
    char queue;
    int instant;
    double weight; /* how often citizens come for it */
} s_service_t;

static unsigned s_seed = 1;
static ui_lang_t s_lang; /* of what is printed */

/* One line of the morning's story (a printf format of texts.h), in the chosen language. */
static void s_tell(sim_msg_t id, ...)
{
    va_list ap;
    va_start(ap, id);
    vprintf(sim_tr(s_lang, id), ap);
    va_end(ap);
    putchar('\n');
}

static double s_uniform(void)
{
    return (rand_r(&s_seed) + 1.0) / ((double)RAND_MAX + 2.0);
}

static double s_exponential(double mean)
{
    return -mean * log(s_uniform());
}

/* Log-normal with the given mean and a spread that keeps most times within a factor of 2. */
static double s_lognormal(double mean)
{
    double sigma = 0.45, mu = log(mean) - sigma * sigma / 2;
    double u1 = s_uniform(), u2 = s_uniform();
    return exp(mu + sigma * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2));
}

/* Arrivals per hour at a clock time (minutes since midnight) for a town hall of about four
 * windows: a morning peak near 10:00 a little above what the windows handle, so a queue
 * builds up and drains again, as it does in a real hall. */
static double s_rate(double minute)
{
    static const double at[][2] = {{8 * 60 + 30, 15},  {9 * 60 + 15, 30},  {10 * 60, 40},
                                   {10 * 60 + 45, 32}, {11 * 60 + 30, 18}, {12 * 60, 10}};
    const int n = sizeof at / sizeof at[0];
    if (minute <= at[0][0])
        return at[0][1];
    for (int i = 1; i < n; i++)
        if (minute <= at[i][0]) {
            double f = (minute - at[i - 1][0]) / (at[i][0] - at[i - 1][0]);
            return at[i - 1][1] + f * (at[i][1] - at[i - 1][1]);
        }
    return at[n - 1][1];
}

static int s_ask(hq_client_t *c, hq_request_t *req, hq_reply_t *reply)
{
    hq_error_t err;
    if (hq_client_request(c, req, reply, &err) != 0) {
        fprintf(stderr, "hallq-sim: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int s_load_catalog(hq_client_t *c, s_service_t *out, int max)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CATALOG);
    hq_reply_t reply;
    if (s_ask(c, &req, &reply) != 0 || !reply.ok)
        return -1;
    hq_catalog_t cat;
    hq_error_t err;
    int rc = hq_catalog_decode(reply.body, &cat, &err);
    hq_reply_clear(&reply);
    if (rc != HQ_OK) {
        fprintf(stderr, "hallq-sim: %s\n", err.message);
        return -1;
    }
    int n = 0;
    for (size_t i = 0; i < cat.nservices && n < max; i++, n++) {
        out[n].no = cat.services[i].no;
        out[n].queue = cat.services[i].queue;
        out[n].instant = cat.services[i].instant;
        /* registration, enquiries and out-of-town filing are the everyday items */
        out[n].weight = strchr("ABC", out[n].queue) ? 3.0 : 1.0;
    }
    hq_catalog_clear(&cat);
    return n;
}

static const char *s_clock(double minute, char *buf, size_t n)
{
    int m = (int)minute;
    snprintf(buf, n, "%02d:%02d", (m / 60) % 24, m % 60);
    return buf;
}

static void s_issue(hq_client_t *c, const s_service_t *services, int nservices, double now)
{
    double total = 0;
    for (int i = 0; i < nservices; i++)
        total += services[i].weight;
    double pick = s_uniform() * total;
    const s_service_t *svc = &services[nservices - 1];
    for (int i = 0; i < nservices; i++) {
        pick -= services[i].weight;
        if (pick <= 0) {
            svc = &services[i];
            break;
        }
    }
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = svc->queue;
    req.service = svc->no;
    req.elderly = s_uniform() < 0.25;
    hq_reply_t reply;
    if (s_ask(c, &req, &reply) != 0)
        return;
    char at[8];
    if (reply.ok)
        s_tell(req.elderly ? SIM_M_ISSUED_GREEN : SIM_M_ISSUED, s_clock(now, at, sizeof at),
               json_string_value(json_object_get(json_object_get(reply.body, "ticket"), "label")),
               svc->no);
    hq_reply_clear(&reply);
}

static int s_counter_req(hq_client_t *c, hq_req_type_t type, int counter, hq_reply_t *reply)
{
    hq_request_t req;
    hq_request_init(&req, type);
    req.counter = counter;
    if (s_ask(c, &req, reply) != 0)
        return -1;
    return reply->ok ? 0 : 1;
}

/* One step of a simulated clerk; returns when it wants to act next (simulated minutes). */
static void s_clerk_step(hq_client_t *c, s_clerk_t *k, const s_service_t *services, int nservices,
                         double now)
{
    hq_reply_t reply;
    char at[8];
    switch (k->state) {
    case C_IDLE:
    case C_WAIT: {
        int rc = s_counter_req(c, HQ_REQ_CALL, k->id, &reply);
        const json_t *t = rc == 0 ? json_object_get(reply.body, "ticket") : NULL;
        if (json_is_object(t)) {
            hq_strlcpy(k->label, json_string_value(json_object_get(t, "label")), sizeof k->label);
            int service = (int)json_integer_value(json_object_get(t, "service"));
            k->instant = 1;
            for (int i = 0; i < nservices; i++)
                if (services[i].no == service)
                    k->instant = services[i].instant;
            k->recalls = 0;
            k->state = C_CALLED;
            k->next = now + 0.5 + s_exponential(0.5); /* the citizen walks up */
            s_tell(SIM_M_CALLS, s_clock(now, at, sizeof at), k->id, k->label);
        } else {
            k->state = C_WAIT;
            k->next = now + 1.0; /* nobody waiting: look again in a minute */
        }
        if (rc >= 0)
            hq_reply_clear(&reply);
        break;
    }
    case C_CALLED:
        if (s_uniform() < 0.04 && k->recalls < 2) {
            /* the citizen does not come: recall, then mark a no-show */
            if (s_counter_req(c, HQ_REQ_RECALL, k->id, &reply) >= 0)
                hq_reply_clear(&reply);
            k->recalls++;
            if (k->recalls == 2) {
                if (s_counter_req(c, HQ_REQ_NO_SHOW, k->id, &reply) >= 0)
                    hq_reply_clear(&reply);
                s_tell(SIM_M_NO_SHOW, s_clock(now, at, sizeof at), k->id, k->label);
                k->state = C_IDLE;
            }
            k->next = now + 1.0;
            break;
        }
        if (s_counter_req(c, HQ_REQ_START, k->id, &reply) >= 0)
            hq_reply_clear(&reply);
        k->state = C_SERVING;
        k->next = now + s_lognormal(k->instant ? 6.0 : 13.0);
        break;
    case C_SERVING:
        if (s_counter_req(c, HQ_REQ_FINISH, k->id, &reply) == 0) {
            s_tell(SIM_M_FINISHED, s_clock(now, at, sizeof at), k->id, k->label);
            hq_reply_clear(&reply);
            if (s_uniform() < 0.6) {
                hq_request_t req;
                hq_request_init(&req, HQ_REQ_RATE);
                hq_strlcpy(req.number, k->label, sizeof req.number);
                req.rating = s_uniform() < 0.85 ? 5 : 4;
                if (s_ask(c, &req, &reply) == 0)
                    hq_reply_clear(&reply);
            }
        } else if (reply.body) {
            hq_reply_clear(&reply);
        }
        k->state = C_IDLE;
        k->next = now + 0.2;
        break;
    }
}

int main(int argc, char **argv)
{
    sim_options_t o;
    sim_options_defaults(&o);
    int rc = ui_options_parse(&sim_cli, argc, argv, &o);
    if (rc != UI_OPTIONS_RUN)
        return rc;
    s_lang = o.lang;
    s_seed = (unsigned)o.seed;
    const char *endpoint = o.endpoint;
    double speed = o.speed, from = o.from, to = o.to;
    s_clerk_t clerks[SIM_WINDOWS_MAX];
    int nclerks = o.nwindows;
    for (int i = 0; i < nclerks; i++)
        clerks[i] = (s_clerk_t){.id = o.windows[i], .state = C_IDLE};
    hq_log_set_level(HQ_LOG_ERROR);
    setvbuf(stdout, NULL, _IOLBF, 0);
    hq_signals_catch();
    hq_client_t *c = hq_client_new(endpoint, 3000);
    s_service_t services[S_MAX_SERVICES];
    int nservices = c ? s_load_catalog(c, services, S_MAX_SERVICES) : -1;
    if (nservices <= 0) {
        fprintf(stderr, "hallq-sim: no catalog from hallqd at %s\n", endpoint);
        hq_client_destroy(&c);
        hq_zmq_shutdown();
        return UI_EXIT_UNREACHABLE;
    }
    for (int i = 0; i < nclerks; i++) {
        hq_request_t req;
        hq_request_init(&req, HQ_REQ_LOGIN);
        req.counter = clerks[i].id;
        hq_reply_t reply;
        /* keep a clerk who is already there; otherwise a simulated one opens the window */
        if (s_counter_req(c, HQ_REQ_RESUME, clerks[i].id, &reply) >= 0)
            hq_reply_clear(&reply);
        snprintf(req.clerk, sizeof req.clerk, "sim%d", clerks[i].id);
        hq_request_t snap;
        hq_request_init(&snap, HQ_REQ_SNAPSHOT);
        if (s_ask(c, &snap, &reply) == 0) {
            size_t k;
            json_t *ct;
            int open = 0;
            json_array_foreach(json_object_get(reply.body, "counters"), k,
                               ct) if (json_integer_value(json_object_get(ct, "id")) ==
                                           clerks[i].id &&
                                       json_is_string(json_object_get(ct, "clerk"))) open = 1;
            hq_reply_clear(&reply);
            if (!open && s_ask(c, &req, &reply) == 0)
                hq_reply_clear(&reply);
        }
        clerks[i].next = from + s_uniform();
    }
    char a[8], b[8];
    s_tell(SIM_M_BANNER, nclerks, nservices, s_clock(from, a, sizeof a), s_clock(to, b, sizeof b),
           speed);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double next_arrival = from + s_exponential(60.0 / s_rate(from));
    while (!hq_signal_stop) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        double now = from + ((t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9) * speed / 60;
        if (now >= to)
            break;
        while (next_arrival <= now) {
            s_issue(c, services, nservices, next_arrival);
            next_arrival += s_exponential(60.0 / s_rate(next_arrival));
        }
        double wake = next_arrival;
        for (int i = 0; i < nclerks; i++) {
            if (clerks[i].next <= now)
                s_clerk_step(c, &clerks[i], services, nservices, now);
            if (clerks[i].next < wake)
                wake = clerks[i].next;
        }
        double sleep_s = (wake - now) * 60 / speed;
        if (sleep_s > 0.2)
            sleep_s = 0.2;
        if (sleep_s > 0) {
            struct timespec ts = {(time_t)sleep_s, (long)((sleep_s - (time_t)sleep_s) * 1e9)};
            nanosleep(&ts, NULL);
        }
    }
    s_tell(SIM_M_DONE);
    hq_client_destroy(&c);
    hq_zmq_shutdown();
    return UI_EXIT_OK;
}
