/* hallq-sim: drives whole business days through a real hallqd on a simulated clock (hallqd
 * --simulate), so the hall's screens move by themselves (demonstrations, training) and the
 * statistics it leaves are those of a day: handling in simulated minutes, a metric entry every
 * simulated 10 minutes, the rollover at simulated midnight.
 *
 * The time is the hall's. hallq-sim reads it from a snapshot, follows it at the speed the
 * hall names, and sets every step from the times the hall recorded: the next citizen arrives
 * an exponential gap after the hall issued the last ticket, at the rate of that hour; a clerk
 * finishes a drawn handling time after the hall recorded the start. So the arrivals counted
 * per hour are the hall's own, and the handling the hall measures is the drawn one plus the
 * moment a request takes to arrive (the lag, reported). A hall on the real clock is refused:
 * a simulated morning there would be recorded as the hall's own.
 *
 * Citizens arrive by a Poisson process whose rate peaks near 10:00 and 15:00; about a quarter
 * are elderly; services are drawn from the hall's own catalog; handling times are log-normal
 * with the catalog's instant / assisted mix. Simulated clerks work the chosen windows: call,
 * walk-up, start, handle, finish, and now and then a recall and no-show or a rating.
 */
#include "hq_client.h"
#include "hq_date.h"
#include "hq_log.h"
#include "hq_proto.h"
#include "hq_signals.h"
#include "hq_text.h"
#include "options.h"
#include "texts.h"
#include "ui_exit.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define S_MAX_SERVICES 128
#define S_MAX_DAYS 366
#define S_MIN 60000               /* a minute of the hall's time, in ms */
#define S_SIGMA 0.45              /* of the log-normal handling times */
#define S_INSTANT_MIN 6.0         /* mean handling of an instant item, minutes */
#define S_ASSISTED_MIN 13.0       /* and of an assisted one */
#define S_SLEEP_MAX_NS 200000000L /* a stop signal is seen within this much real time */

typedef enum { C_IDLE, C_CALLED, C_SERVING, C_WAIT } s_clerk_state_t;

typedef struct {
    int id; /* window number */
    s_clerk_state_t state;
    int64_t next; /* the hall's time of its next step */
    char label[HQ_LABEL_MAX];
    char day[HQ_DATE_TEXT_MAX]; /* its business day */
    int instant;                /* current ticket's service kind */
    int recalls;
    int counted;      /* this clerk started the ticket: its handling counts */
    int64_t started;  /* when the hall recorded the start */
    double drawn_min; /* the handling drawn for it */
} s_clerk_t;

typedef struct {
    int no;
    char queue;
    int instant;
    double weight; /* how often citizens come for it */
} s_service_t;

/* One business day played. */
typedef struct {
    char day[HQ_DATE_TEXT_MAX];
    int issued;
    int finished;
    int by_hour[24]; /* tickets issued, by the local hour the hall recorded */
} s_day_t;

/* The random draws come from three streams of --seed, so that the moments requests take,
 * which decide how clerks' and citizens' steps interleave, change little of what is drawn:
 * the citizens' (arrival gaps, services, the green lane), the clerks' (walking up, recalls,
 * ratings), and each ticket's own handling time, seeded by the ticket's day and number. The
 * same seed plays the same day, but for an arrival a lag may move across an hour. */
static uint64_t s_citizens, s_clerks, s_seed;
static ui_lang_t s_lang; /* of what is printed */

/* What was played: the days, and the handling of every ticket a simulated clerk started and
 * finished, drawn and expected. */
static struct {
    s_day_t days[S_MAX_DAYS];
    int ndays;
    int finished;
    double drawn_sum;    /* minutes */
    double recorded_sum; /* minutes, as the hall recorded them: drawn, and the finish's lag */
    double model_sum;    /* the means the draws came from */
    double model_var;    /* and their variances */
    int64_t lag_max_ms;  /* the most the hall recorded a step after it was meant */
} s_played;

/* One line of the day's story (a printf format of texts.h), in the chosen language. */
static void s_tell(sim_msg_t id, ...)
{
    va_list ap;
    va_start(ap, id);
    vprintf(sim_tr(s_lang, id), ap);
    va_end(ap);
    putchar('\n');
}

/* ---- random draws ------------------------------------------------------------------------- */
/* Uniform in (0, 1) from a stream: SplitMix64, whose every output is well mixed, so a stream
 * seeded from a ticket's number is as good from its first draw on. */
static double s_uniform(uint64_t *stream)
{
    uint64_t z = (*stream += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0; /* 2^53 */
}

static double s_exponential(uint64_t *stream, double mean)
{
    return -mean * log(s_uniform(stream));
}

/* Log-normal with the given mean and a spread that keeps most times within a factor of 2. */
static double s_lognormal(uint64_t *stream, double mean)
{
    double mu = log(mean) - S_SIGMA * S_SIGMA / 2;
    double u1 = s_uniform(stream), u2 = s_uniform(stream);
    return exp(mu + S_SIGMA * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2));
}

/* Arrivals per hour at a clock time (minutes since midnight) for a town hall of about four
 * windows: a morning peak near 10:00 a little above what the windows handle, so a queue
 * builds up and drains again, as it does in a real hall; a quiet lunch; a lower afternoon
 * peak near 15:00. */
static double s_rate(double minute)
{
    static const double at[][2] = {{8 * 60 + 30, 15},  {9 * 60 + 15, 30},  {10 * 60, 40},
                                   {10 * 60 + 45, 32}, {11 * 60 + 30, 18}, {12 * 60, 10},
                                   {13 * 60 + 30, 10}, {14 * 60 + 30, 26}, {15 * 60, 30},
                                   {16 * 60, 22},      {17 * 60 + 30, 8}};
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

/* ---- the hall's clock, followed ------------------------------------------------------------- */
static struct {
    double speed;  /* the hall's clock runs this many times as fast as real time */
    int64_t at_ms; /* the hall's time ... */
    int64_t at_ns; /* ... at this reading of CLOCK_MONOTONIC */
} s_clock;

static int64_t s_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The hall's time now. */
static int64_t s_now(void)
{
    return s_clock.at_ms + (int64_t)((double)(s_mono_ns() - s_clock.at_ns) / 1e6 * s_clock.speed);
}

/* A time the hall recorded: its clock is there at least. */
static void s_seen(int64_t ms)
{
    if (ms > s_now()) {
        s_clock.at_ms = ms;
        s_clock.at_ns = s_mono_ns();
    }
}

/* A step meant for `planned` that the hall recorded at `recorded`. */
static void s_lag(int64_t planned, int64_t recorded)
{
    if (recorded - planned > s_played.lag_max_ms)
        s_played.lag_max_ms = recorded - planned;
}

/* Sleeps until the hall's time reaches `until`, a bounded while at most. */
static void s_sleep_until(int64_t until)
{
    double ns = (double)(until - s_now()) / s_clock.speed * 1e6;
    if (ns <= 0)
        return;
    if (ns > S_SLEEP_MAX_NS)
        ns = S_SLEEP_MAX_NS;
    struct timespec ts = {0, (long)ns};
    nanosleep(&ts, NULL);
}

/* "HH:MM" of an instant, in the hall's zone. */
static const char *s_clock_text(int64_t ms, char *buf, size_t n)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&s, &tm) || !strftime(buf, n, "%H:%M", &tm))
        snprintf(buf, n, "?");
    return buf;
}

/* Minutes since the local midnight of an instant. */
static double s_minute_of(int64_t ms)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&s, &tm))
        return 0;
    return tm.tm_hour * 60 + tm.tm_min + (tm.tm_sec + (double)(ms % 1000) / 1000) / 60;
}

/* The instant `minute` minutes after the local midnight of `day`. */
static int64_t s_at(hq_date_t day, double minute)
{
    int hour = (int)(minute / 60);
    return hq_date_local_ms(day, hour) + (int64_t)((minute - hour * 60) * S_MIN);
}

/* ---- requests ------------------------------------------------------------------------------ */
static int s_ask(hq_client_t *c, hq_request_t *req, hq_reply_t *reply)
{
    hq_error_t err;
    if (hq_client_request(c, req, reply, &err) != 0) {
        fprintf(stderr, "hallq-sim: %s\n", err.message);
        return -1;
    }
    return 0;
}

/* A time field of the ticket a reply names; 0 when none. */
static int64_t s_ticket_ms(const hq_reply_t *reply, const char *field)
{
    return json_integer_value(json_object_get(json_object_get(reply->body, "ticket"), field));
}

/* The catalog's services, the hall's zone and its clock. -1 (with a line on stderr) when there
 * is no catalog; *speed is 0 for a hall on the real clock. */
static int s_load_catalog(hq_client_t *c, s_service_t *out, int max, double *speed)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CATALOG);
    hq_reply_t reply;
    if (s_ask(c, &req, &reply) != 0 || !reply.ok)
        return -1;
    *speed = hq_reply_sim_speed(reply.body);
    hq_catalog_t cat;
    hq_error_t err;
    int rc = hq_catalog_decode(reply.body, &cat, &err);
    hq_reply_clear(&reply);
    if (rc != HQ_OK) {
        fprintf(stderr, "hallq-sim: %s\n", err.message);
        return -1;
    }
    char why[200];
    if (cat.timezone[0] && hq_text_timezone(cat.timezone, why, sizeof why) != 0)
        fprintf(stderr, "hallq-sim: %s; times are printed in this machine's zone\n", why);
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

/* Sets the followed clock from a snapshot's time, taken halfway through its round trip. */
static int s_sync_clock(hq_client_t *c)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_SNAPSHOT);
    hq_reply_t reply;
    int64_t before = s_mono_ns();
    if (s_ask(c, &req, &reply) != 0 || !reply.ok)
        return -1;
    s_clock.at_ns = before + (s_mono_ns() - before) / 2;
    s_clock.at_ms = json_integer_value(json_object_get(reply.body, "ts_ms"));
    hq_reply_clear(&reply);
    return 0;
}

/* A citizen takes a ticket; the time the hall issued it (now when it was refused). */
static int64_t s_issue(hq_client_t *c, const s_service_t *services, int nservices, s_day_t *day)
{
    double total = 0;
    for (int i = 0; i < nservices; i++)
        total += services[i].weight;
    double pick = s_uniform(&s_citizens) * total;
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
    req.elderly = s_uniform(&s_citizens) < 0.25;
    hq_reply_t reply;
    if (s_ask(c, &req, &reply) != 0)
        return s_now();
    int64_t at = s_ticket_ms(&reply, "issued_ms");
    if (reply.ok && at > 0) {
        s_seen(at);
        time_t s = (time_t)(at / 1000);
        struct tm tm;
        if (localtime_r(&s, &tm))
            day->by_hour[tm.tm_hour]++;
        day->issued++;
        char clock[8];
        s_tell(req.elderly ? SIM_M_ISSUED_GREEN : SIM_M_ISSUED,
               s_clock_text(at, clock, sizeof clock),
               json_string_value(json_object_get(json_object_get(reply.body, "ticket"), "label")),
               svc->no);
    } else {
        fprintf(stderr, "hallq-sim: issue refused: %s\n", reply.error.message);
        at = s_now();
    }
    hq_reply_clear(&reply);
    return at;
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

/* ---- the clerks ------------------------------------------------------------------------------ */
/* The handling time of the ticket at a clerk's window, from the ticket's own stream: the seed,
 * its day and its number (FNV-1a). */
static double s_draw_handling(const s_clerk_t *k)
{
    uint64_t stream = 14695981039346656037u ^ s_seed;
    const char *parts[] = {k->day, "/", k->label};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        for (const char *c = parts[i]; *c; c++)
            stream = (stream ^ (unsigned char)*c) * 1099511628211u;
    return s_lognormal(&stream, k->instant ? S_INSTANT_MIN : S_ASSISTED_MIN);
}

/* A ticket finished at `finished`, started at `started` by the clerk, who drew its time. */
static void s_count_handling(const s_clerk_t *k, int64_t started, int64_t finished, s_day_t *day)
{
    double mean = k->instant ? S_INSTANT_MIN : S_ASSISTED_MIN;
    s_played.finished++;
    s_played.drawn_sum += k->drawn_min;
    s_played.recorded_sum += (double)(finished - started) / S_MIN;
    s_played.model_sum += mean;
    s_played.model_var += mean * mean * (exp(S_SIGMA * S_SIGMA) - 1);
    day->finished++;
}

/* One step of a simulated clerk, due at k->next; sets when it acts next. */
static void s_clerk_step(hq_client_t *c, s_clerk_t *k, const s_service_t *services, int nservices,
                         s_day_t *day)
{
    hq_reply_t reply;
    char at[8];
    int64_t now = s_now();
    switch (k->state) {
    case C_IDLE:
    case C_WAIT: {
        int rc = s_counter_req(c, HQ_REQ_CALL, k->id, &reply);
        const json_t *t = rc == 0 ? json_object_get(reply.body, "ticket") : NULL;
        if (json_is_object(t)) {
            int64_t called = s_ticket_ms(&reply, "called_ms");
            s_seen(called);
            hq_strlcpy(k->label, json_string_value(json_object_get(t, "label")), sizeof k->label);
            const char *tday = json_string_value(json_object_get(t, "day"));
            hq_strlcpy(k->day, tday ? tday : "", sizeof k->day);
            int service = (int)json_integer_value(json_object_get(t, "service"));
            k->instant = 1;
            for (int i = 0; i < nservices; i++)
                if (services[i].no == service)
                    k->instant = services[i].instant;
            k->recalls = 0;
            k->state = C_CALLED;
            /* the citizen walks up */
            k->next = called + (int64_t)((0.5 + s_exponential(&s_clerks, 0.5)) * S_MIN);
            s_tell(SIM_M_CALLS, s_clock_text(called, at, sizeof at), k->id, k->label);
        } else {
            k->state = C_WAIT;
            k->next = now + S_MIN; /* nobody waiting: look again in a minute */
        }
        if (rc >= 0)
            hq_reply_clear(&reply);
        break;
    }
    case C_CALLED:
        if (s_uniform(&s_clerks) < 0.04 && k->recalls < 2) {
            /* the citizen does not come: recall, then mark a no-show */
            if (s_counter_req(c, HQ_REQ_RECALL, k->id, &reply) >= 0)
                hq_reply_clear(&reply);
            k->recalls++;
            k->next = now + S_MIN;
            if (k->recalls == 2) {
                if (s_counter_req(c, HQ_REQ_NO_SHOW, k->id, &reply) >= 0)
                    hq_reply_clear(&reply);
                s_tell(SIM_M_NO_SHOW, s_clock_text(now, at, sizeof at), k->id, k->label);
                k->state = C_IDLE;
            }
            break;
        }
        if (s_counter_req(c, HQ_REQ_START, k->id, &reply) == 0) {
            int64_t started = s_ticket_ms(&reply, "started_ms");
            s_seen(started);
            s_lag(k->next, started);
            k->drawn_min = s_draw_handling(k);
            k->counted = 1;
            k->started = started;
            k->state = C_SERVING;
            k->next = started + (int64_t)(k->drawn_min * S_MIN);
        } else {
            k->state = C_IDLE; /* someone else took the ticket away meanwhile */
            k->next = now;
        }
        if (reply.body)
            hq_reply_clear(&reply);
        break;
    case C_SERVING:
        if (s_counter_req(c, HQ_REQ_FINISH, k->id, &reply) == 0) {
            int64_t finished = s_ticket_ms(&reply, "finished_ms");
            s_seen(finished);
            s_lag(k->next, finished);
            if (k->counted)
                s_count_handling(k, k->started, finished, day);
            s_tell(SIM_M_FINISHED, s_clock_text(finished, at, sizeof at), k->id, k->label);
            hq_reply_clear(&reply);
            if (s_uniform(&s_clerks) < 0.6) {
                hq_request_t req;
                hq_request_init(&req, HQ_REQ_RATE);
                hq_strlcpy(req.number, k->label, sizeof req.number);
                req.rating = s_uniform(&s_clerks) < 0.85 ? 5 : 4;
                if (s_ask(c, &req, &reply) == 0)
                    hq_reply_clear(&reply);
            }
        } else if (reply.body) {
            hq_reply_clear(&reply);
        }
        k->state = C_IDLE;
        k->counted = 0;
        k->next = now + S_MIN / 5;
        break;
    }
}

/* The windows open at the day's start: a paused window resumes, a closed one gets a simulated
 * clerk (one already there stays), and a ticket a window still holds (a day played before, a
 * clerk's own) is taken on where it stands, so no window waits for it for ever. */
static void s_clerks_open(hq_client_t *c, s_clerk_t *clerks, int nclerks, int64_t now)
{
    hq_reply_t reply;
    hq_request_t snap;
    hq_request_init(&snap, HQ_REQ_SNAPSHOT);
    json_t *counters = NULL;
    if (s_ask(c, &snap, &reply) == 0) {
        counters = json_incref(json_object_get(reply.body, "counters"));
        hq_reply_clear(&reply);
    }
    for (int i = 0; i < nclerks; i++) {
        s_clerk_t *k = &clerks[i];
        const json_t *cj = NULL, *ct;
        size_t at;
        json_array_foreach(counters, at,
                           ct) if (json_integer_value(json_object_get(ct, "id")) == k->id) cj = ct;
        const char *state = json_string_value(json_object_get(cj, "state"));
        const char *label = json_string_value(json_object_get(cj, "current_label"));
        if (state && strcmp(state, "paused") == 0 &&
            s_counter_req(c, HQ_REQ_RESUME, k->id, &reply) >= 0)
            hq_reply_clear(&reply);
        if (!json_is_string(json_object_get(cj, "clerk"))) {
            hq_request_t req;
            hq_request_init(&req, HQ_REQ_LOGIN);
            req.counter = k->id;
            snprintf(req.clerk, sizeof req.clerk, "sim%d", k->id);
            if (s_ask(c, &req, &reply) == 0)
                hq_reply_clear(&reply);
        }
        k->state = C_IDLE;
        k->counted = 0;
        k->instant = 1;
        k->day[0] = '\0';
        if (label && state && strcmp(state, "calling") == 0) {
            hq_strlcpy(k->label, label, sizeof k->label);
            k->state = C_CALLED;
        } else if (label && state && strcmp(state, "serving") == 0) {
            hq_strlcpy(k->label, label, sizeof k->label);
            k->state = C_SERVING;
        }
        k->next = now + (int64_t)(s_uniform(&s_clerks) * S_MIN);
    }
    json_decref(counters);
}

/* ---- a day ------------------------------------------------------------------------------------
 */
/* Arrivals from `start` until `close`, then the line served to its end. */
static void s_play_day(hq_client_t *c, s_clerk_t *clerks, int nclerks, const s_service_t *services,
                       int nservices, int64_t start, int64_t close, s_day_t *day)
{
    char at[8];
    int64_t next_arrival =
        start + (int64_t)(s_exponential(&s_citizens, 60.0 / s_rate(s_minute_of(start))) * S_MIN);
    int arriving = 1;
    while (!hq_signal_stop) {
        int64_t now = s_now();
        if (arriving && now >= close) {
            arriving = 0;
            s_tell(SIM_M_CLOSES, s_clock_text(close, at, sizeof at));
        }
        if (arriving && next_arrival <= now && next_arrival < close) {
            int64_t issued = s_issue(c, services, nservices, day);
            s_lag(next_arrival, issued);
            next_arrival =
                issued +
                (int64_t)(s_exponential(&s_citizens, 60.0 / s_rate(s_minute_of(issued))) * S_MIN);
            continue;
        }
        int64_t wake = !arriving ? INT64_MAX : next_arrival < close ? next_arrival : close;
        int busy = 0;
        for (int i = 0; i < nclerks; i++) {
            if (clerks[i].next <= now)
                s_clerk_step(c, &clerks[i], services, nservices, day);
            busy |= clerks[i].state != C_WAIT;
            if (clerks[i].next < wake)
                wake = clerks[i].next;
        }
        /* Every window found the line empty after the last arrival: the day is over. */
        if (!arriving && !busy)
            break;
        s_sleep_until(wake);
    }
}

/* ---- the summary --------------------------------------------------------------------------- */
static double s_handling_mean(void)
{
    return s_played.finished ? s_played.drawn_sum / s_played.finished : 0;
}

static double s_recorded_mean(void)
{
    return s_played.finished ? s_played.recorded_sum / s_played.finished : 0;
}

static double s_model_mean(void)
{
    return s_played.finished ? s_played.model_sum / s_played.finished : 0;
}

/* The standard error of the mean handling under the model: what a hall's mean may differ
 * from s_model_mean by, for chance alone. */
static double s_model_se(void)
{
    return s_played.finished ? sqrt(s_played.model_var) / s_played.finished : 0;
}

static int s_write_summary(const char *path)
{
    json_t *days = json_array();
    for (int d = 0; d < s_played.ndays; d++) {
        const s_day_t *day = &s_played.days[d];
        json_t *hours = json_object();
        for (int h = 0; h < 24; h++)
            if (day->by_hour[h]) {
                char key[4];
                snprintf(key, sizeof key, "%d", h);
                json_object_set_new(hours, key, json_integer(day->by_hour[h]));
            }
        json_array_append_new(days, json_pack("{s:s, s:i, s:i, s:o}", "day", day->day, "issued",
                                              day->issued, "finished", day->finished,
                                              "arrivals_by_hour", hours));
    }
    json_t *root =
        json_pack("{s:f, s:o, s:{s:i, s:f, s:f, s:f, s:f}, s:f}", "speed", s_clock.speed, "days",
                  days, "handling", "finished", s_played.finished, "mean_min", s_handling_mean(),
                  "recorded_mean_min", s_recorded_mean(), "model_mean_min", s_model_mean(),
                  "model_se_min", s_model_se(), "lag_max_s", (double)s_played.lag_max_ms / 1000);
    int rc = root ? json_dump_file(root, path, JSON_INDENT(1) | JSON_SORT_KEYS) : -1;
    json_decref(root);
    if (rc != 0)
        fprintf(stderr, "hallq-sim: cannot write %s: %s\n", path, strerror(errno));
    return rc;
}

int main(int argc, char **argv)
{
    sim_options_t o;
    sim_options_defaults(&o);
    int rc = ui_options_parse(&sim_cli, argc, argv, &o);
    if (rc != UI_OPTIONS_RUN)
        return rc;
    s_lang = o.lang;
    s_seed = (uint64_t)o.seed;
    s_citizens = s_seed << 1;
    s_clerks = s_seed << 1 | 1;
    s_clerk_t clerks[SIM_WINDOWS_MAX];
    int nclerks = o.nwindows;
    for (int i = 0; i < nclerks; i++)
        clerks[i] = (s_clerk_t){.id = o.windows[i], .state = C_IDLE};
    hq_log_set_level(HQ_LOG_ERROR);
    setvbuf(stdout, NULL, _IOLBF, 0);
    hq_signals_catch();
    hq_client_t *c = hq_client_new(o.endpoint, 3000);
    s_service_t services[S_MAX_SERVICES];
    int nservices = c ? s_load_catalog(c, services, S_MAX_SERVICES, &s_clock.speed) : -1;
    if (nservices <= 0 || (s_clock.speed > 0 && s_sync_clock(c) != 0)) {
        fprintf(stderr, "hallq-sim: no catalog from hallqd at %s\n", o.endpoint);
        hq_client_destroy(&c);
        hq_zmq_shutdown();
        return UI_EXIT_UNREACHABLE;
    }
    if (!(s_clock.speed >= 1)) {
        fprintf(stderr,
                "hallq-sim: hallqd at %s keeps real time: a simulation there would be recorded "
                "as the hall's own days; simulate in a hall of its own (hallqd --simulate START "
                "--speed N --data DIR)\n",
                o.endpoint);
        hq_client_destroy(&c);
        hq_zmq_shutdown();
        return UI_EXIT_REFUSED;
    }
    char a[16], b[16];
    snprintf(a, sizeof a, "%02d:%02d", (int)o.from / 60 % 24, (int)o.from % 60);
    snprintf(b, sizeof b, "%02d:%02d", (int)o.to / 60 % 24, (int)o.to % 60);
    s_tell(SIM_M_BANNER, nclerks, nservices, a, b, s_clock.speed);
    /* The first day is the hall's today, or tomorrow when today's arrivals are over. */
    hq_date_t date = hq_date_local(s_now());
    if (s_now() >= s_at(date, o.to))
        date = hq_date_from_days(hq_date_to_days(date) + 1);
    for (int d = 0; d < o.days && !hq_signal_stop; d++) {
        int64_t open = s_at(date, o.from), close = s_at(date, o.to);
        while (!hq_signal_stop && s_now() < open)
            s_sleep_until(open);
        if (hq_signal_stop)
            break;
        s_day_t *day = &s_played.days[s_played.ndays++];
        hq_date_format(date, day->day);
        int64_t start = s_now();
        s_tell(SIM_M_OPENS, s_clock_text(start, a, sizeof a), day->day);
        s_clerks_open(c, clerks, nclerks, start);
        s_play_day(c, clerks, nclerks, services, nservices, start, close, day);
        s_tell(SIM_M_DAY_OVER, s_clock_text(s_now(), a, sizeof a), day->day, day->issued,
               day->finished);
        date = hq_date_from_days(hq_date_to_days(date) + 1);
    }
    s_tell(SIM_M_HANDLING, s_played.finished, s_handling_mean(), s_model_mean(), s_model_se());
    s_tell(SIM_M_DONE);
    hq_client_destroy(&c);
    hq_zmq_shutdown();
    if (o.summary && s_write_summary(o.summary) != 0)
        return UI_EXIT_FAILURE;
    return UI_EXIT_OK;
}
