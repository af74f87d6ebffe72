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

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define S_MAX_COUNTERS 64
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

static volatile sig_atomic_t s_stop;
static unsigned s_seed = 1;

static void s_on_signal(int sig)
{
    (void)sig;
    s_stop = 1;
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
        printf("%s issued %s (service %d%s)\n", s_clock(now, at, sizeof at),
               json_string_value(json_object_get(json_object_get(reply.body, "ticket"), "label")),
               svc->no, req.elderly ? ", green lane" : "");
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
            printf("%s window %d calls %s\n", s_clock(now, at, sizeof at), k->id, k->label);
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
                printf("%s window %d: %s did not come\n", s_clock(now, at, sizeof at), k->id,
                       k->label);
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
            printf("%s window %d finished %s\n", s_clock(now, at, sizeof at), k->id, k->label);
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

static double s_parse_clock(const char *s)
{
    int h, m;
    if (sscanf(s, "%d:%d", &h, &m) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
        return -1;
    return h * 60 + m;
}

static void s_usage(FILE *out)
{
    fprintf(out, "usage: hallq-sim [--endpoint EP] [--speed N] [--counters 1,2,3] [--from HH:MM]\n"
                 "                 [--to HH:MM] [--seed N]\n"
                 "Drives a morning of arrivals and clerks through hallqd. --speed 60 (default)\n"
                 "runs one simulated minute per second; the morning peaks near 10:00.\n");
}

int main(int argc, char **argv)
{
    const char *endpoint =
        getenv("HALLQ_ENDPOINT") ? getenv("HALLQ_ENDPOINT") : HQ_DEFAULT_REQUEST_ENDPOINT;
    double speed = 60, from = 8 * 60 + 30, to = 12 * 60;
    s_clerk_t clerks[S_MAX_COUNTERS];
    int nclerks = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            s_usage(stdout);
            return 0;
        } else if (strcmp(a, "--endpoint") == 0 && v) {
            endpoint = v;
        } else if (strcmp(a, "--speed") == 0 && v && atof(v) > 0) {
            speed = atof(v);
        } else if (strcmp(a, "--from") == 0 && v && s_parse_clock(v) >= 0) {
            from = s_parse_clock(v);
        } else if (strcmp(a, "--to") == 0 && v && s_parse_clock(v) >= 0) {
            to = s_parse_clock(v);
        } else if (strcmp(a, "--seed") == 0 && v) {
            s_seed = (unsigned)strtoul(v, NULL, 10);
        } else if (strcmp(a, "--counters") == 0 && v) {
            char *list = strdup(v), *save = NULL;
            for (char *t = strtok_r(list, ",", &save); t && nclerks < S_MAX_COUNTERS;
                 t = strtok_r(NULL, ",", &save)) {
                int id = atoi(t);
                if (id < 1 || id > 999) {
                    fprintf(stderr, "hallq-sim: '%s' is not a window number\n", t);
                    free(list);
                    return 2;
                }
                clerks[nclerks++] = (s_clerk_t){.id = id, .state = C_IDLE};
            }
            free(list);
        } else {
            fprintf(stderr, "hallq-sim: bad argument '%s'; see hallq-sim --help\n", a);
            return 2;
        }
        if (strcmp(a, "--help") != 0 && v && a[0] == '-' && a[1] == '-')
            i++;
    }
    if (to <= from) {
        fprintf(stderr, "hallq-sim: --to must be after --from\n");
        return 2;
    }
    if (nclerks == 0)
        for (int id = 1; id <= 4; id++)
            clerks[nclerks++] = (s_clerk_t){.id = id, .state = C_IDLE};
    hq_log_set_level(HQ_LOG_ERROR);
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    hq_client_t *c = hq_client_new(endpoint, 3000);
    s_service_t services[S_MAX_SERVICES];
    int nservices = c ? s_load_catalog(c, services, S_MAX_SERVICES) : -1;
    if (nservices <= 0) {
        fprintf(stderr, "hallq-sim: no catalog from hallqd at %s\n", endpoint);
        hq_client_destroy(&c);
        return 3;
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
    printf("hallq-sim: %d windows, %d services, %s to %s at %.0fx\n", nclerks, nservices,
           s_clock(from, a, sizeof a), s_clock(to, b, sizeof b), speed);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double next_arrival = from + s_exponential(60.0 / s_rate(from));
    while (!s_stop) {
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
    printf("hallq-sim: done\n");
    hq_client_destroy(&c);
    hq_zmq_shutdown();
    return 0;
}
