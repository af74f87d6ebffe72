/* hallqctl: every hall action from a shell, for operators, managers and scripts.
 * Exit codes: 0 done, 1 refused by hallqd, 2 bad arguments, 3 hallqd unreachable. */
#include "hq_client.h"

#include <czmq.h>
#include "hq_feed.h"
#include "hq_log.h"
#include "hq_proto.h"
#include "hq_security.h"
#include "hq_text.h"
#include "backup.h"
#include "keys.h"
#include "ctl_stats.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_UNREACHABLE = 3 };

typedef struct {
    const char *endpoint; /* request endpoint */
    const char *events;   /* event endpoint */
    int timeout_ms;
    int json; /* print replies as JSON */
    int argc; /* verb arguments after options were taken out */
    char **argv;
    /* verb options */
    int service;
    int elderly;
    const char *id_number;
    const char *reason;
    long count;           /* watch: stop after this many events, 0 never */
    int heartbeats;       /* watch: show heartbeats too */
    const char *role;     /* keys new */
    const char *keys_dir; /* keys: the daemon's keys directory */
    const char *data_dir; /* backup, restore: the daemon's data directory */
    const char *out;      /* backup: the file to write */
} s_opts_t;

typedef struct {
    const char *name;
    hq_req_type_t type;
    const char *args; /* positional arguments, for usage */
    int nargs;        /* required positional arguments */
    int optional;     /* further optional positional arguments */
    const char *help;
} s_verb_t;

static const s_verb_t s_verbs[] = {
    {"issue", HQ_REQ_ISSUE, "QUEUE [--service NO] [--elderly | --id-number ID]", 1, 0,
     "issue a ticket; prints its number first"},
    {"call", HQ_REQ_CALL, "COUNTER [NUMBER]", 1, 1,
     "call the next ticket (or a chosen one); prints it or 'none'"},
    {"recall", HQ_REQ_RECALL, "COUNTER", 1, 0, "call the ticket at the window again"},
    {"start", HQ_REQ_START, "COUNTER", 1, 0, "the citizen arrived: handling starts"},
    {"finish", HQ_REQ_FINISH, "COUNTER", 1, 0, "handling done"},
    {"no-show", HQ_REQ_NO_SHOW, "COUNTER", 1, 0, "the called citizen did not come"},
    {"reactivate", HQ_REQ_REACTIVATE, "NUMBER", 1, 0, "put a no-show back in line"},
    {"park", HQ_REQ_PARK, "COUNTER", 1, 0, "set the ticket aside (missing document)"},
    {"unpark", HQ_REQ_UNPARK, "COUNTER NUMBER", 2, 0, "take a parked ticket back"},
    {"transfer", HQ_REQ_TRANSFER, "COUNTER QUEUE", 2, 0, "send the ticket to another queue"},
    {"rate", HQ_REQ_RATE, "NUMBER 1-5", 2, 0, "record the citizen's rating of a finished ticket"},
    {"pause", HQ_REQ_PAUSE, "COUNTER [--reason TEXT]", 1, 0, "pause the counter"},
    {"resume", HQ_REQ_RESUME, "COUNTER", 1, 0, "resume a paused counter"},
    {"login", HQ_REQ_LOGIN, "COUNTER CLERK", 2, 0, "log a clerk in (or take the counter over)"},
    {"logout", HQ_REQ_LOGOUT, "COUNTER", 1, 0, "close the counter"},
    {"snapshot", HQ_REQ_SNAPSHOT, "", 0, 0, "the whole state of the hall now"},
    {"catalog", HQ_REQ_CATALOG, "", 0, 0, "queues, services with their materials, counters"},
    {"version", HQ_REQ_PING, "", 0, 0, "versions of hallqctl and of the daemon"},
    {"watch", HQ_REQ_COUNT_, "[--count N] [--heartbeats]", 0, 0, "print events as they happen"},
    {"backup", HQ_REQ_COUNT_, "--out FILE [--data DIR]", 0, 0,
     "consistent copy of the live database (SQLite online backup)"},
    {"restore", HQ_REQ_COUNT_, "FILE [--data DIR]", 1, 0,
     "put a backup back in place (hallqd stopped)"},
    {"keys", HQ_REQ_COUNT_, "new NAME --role ROLE | list  [--keys DIR]", 1, 1,
     "device keys: ROLE kiosk, counter:N, display or manager"},
};
#define S_NVERBS (sizeof s_verbs / sizeof s_verbs[0])

static void s_usage(FILE *out)
{
    fprintf(out,
            "usage: hallqctl [--endpoint EP] [--events EP] [--timeout MS] [--json] VERB ...\n\n");
    for (size_t i = 0; i < S_NVERBS; i++) {
        char left[80];
        snprintf(left, sizeof left, "%s %s", s_verbs[i].name, s_verbs[i].args);
        fprintf(out, "  %-52s %s\n", left, s_verbs[i].help);
    }
    fprintf(out, "  %-52s %s\n", "stats export|metric|report|staffing ...",
            "statistics for managers (hallqctl stats --help)");
    fprintf(out,
            "\nEndpoints default to $HALLQ_ENDPOINT / $HALLQ_EVENTS, else %s / %s.\n"
            "With CURVE: --key DEVICE.key (or $HALLQ_KEY) and --server-key server.key (or\n"
            "$HALLQ_SERVER_KEY); keys live in --keys DIR (or $HALLQ_KEYS, else hallq-data/keys).\n"
            "Exit status: 0 done, 1 refused by hallqd, 2 bad arguments, 3 hallqd unreachable.\n",
            HQ_DEFAULT_REQUEST_ENDPOINT, HQ_DEFAULT_EVENT_ENDPOINT);
}

static int s_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int s_usage_error(const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    fprintf(stderr, "hallqctl: %s; see hallqctl --help\n", what);
    return EXIT_USAGE;
}

/* Takes options out of argv wherever they stand; what is left are the verb and its words. */
static int s_parse(int argc, char **argv, s_opts_t *o)
{
    o->endpoint = getenv("HALLQ_ENDPOINT") ? getenv("HALLQ_ENDPOINT") : HQ_DEFAULT_REQUEST_ENDPOINT;
    o->events = getenv("HALLQ_EVENTS") ? getenv("HALLQ_EVENTS") : HQ_DEFAULT_EVENT_ENDPOINT;
    o->timeout_ms = 3000;
    o->keys_dir = getenv("HALLQ_KEYS") ? getenv("HALLQ_KEYS") : "hallq-data/keys";
    o->data_dir = getenv("HALLQ_DATA") ? getenv("HALLQ_DATA") : "hallq-data";
    o->argv = calloc((size_t)argc + 1, sizeof *o->argv);
    if (!o->argv)
        return EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        long v;
#define S_NEED(what)                                                                               \
    do {                                                                                           \
        if (!next)                                                                                 \
            return s_usage_error("%s needs a value", what);                                        \
        i++;                                                                                       \
    } while (0)
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            s_usage(stdout);
            exit(0);
        } else if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(a, "--endpoint") == 0 || strcmp(a, "-e") == 0) {
            S_NEED(a);
            o->endpoint = next;
        } else if (strcmp(a, "--events") == 0) {
            S_NEED(a);
            o->events = next;
        } else if (strcmp(a, "--timeout") == 0) {
            S_NEED(a);
            if (hq_parse_long(next, 1, 600000, &v) != 0)
                return s_usage_error("--timeout takes milliseconds, not '%s'", next);
            o->timeout_ms = (int)v;
        } else if (strcmp(a, "--service") == 0) {
            S_NEED(a);
            if (hq_parse_long(next, 1, 9999, &v) != 0)
                return s_usage_error("--service takes a service number, not '%s'", next);
            o->service = (int)v;
        } else if (strcmp(a, "--elderly") == 0) {
            o->elderly = 1;
        } else if (strcmp(a, "--id-number") == 0) {
            S_NEED(a);
            o->id_number = next;
        } else if (strcmp(a, "--reason") == 0) {
            S_NEED(a);
            o->reason = next;
        } else if (strcmp(a, "--count") == 0) {
            S_NEED(a);
            if (hq_parse_long(next, 1, 100000000, &v) != 0)
                return s_usage_error("--count takes a positive number, not '%s'", next);
            o->count = v;
        } else if (strcmp(a, "--heartbeats") == 0) {
            o->heartbeats = 1;
        } else if (strcmp(a, "--role") == 0) {
            S_NEED(a);
            o->role = next;
        } else if (strcmp(a, "--data") == 0) {
            S_NEED(a);
            o->data_dir = next;
        } else if (strcmp(a, "--out") == 0) {
            S_NEED(a);
            o->out = next;
        } else if (strcmp(a, "--keys") == 0) {
            S_NEED(a);
            o->keys_dir = next;
        } else if (strcmp(a, "--key") == 0) {
            S_NEED(a);
            setenv("HALLQ_KEY", next, 1);
        } else if (strcmp(a, "--server-key") == 0) {
            S_NEED(a);
            setenv("HALLQ_SERVER_KEY", next, 1);
        } else if (a[0] == '-' && a[1] && !isdigit((unsigned char)a[1])) {
            return s_usage_error("unknown option '%s'", a);
        } else {
            o->argv[o->argc++] = argv[i];
        }
#undef S_NEED
    }
    if (o->elderly && o->id_number)
        return s_usage_error("%s", "give --elderly or --id-number, not both");
    return 0;
}

static int s_counter_arg(const char *s, int *out)
{
    long v;
    if (hq_parse_long(s, 1, 999, &v) != 0)
        return s_usage_error("'%s' is not a counter number (1-999)", s);
    *out = (int)v;
    return 0;
}

static int s_queue_arg(const char *s, char *out)
{
    if (strlen(s) != 1 || !isalpha((unsigned char)s[0]))
        return s_usage_error("'%s' is not a queue letter", s);
    *out = (char)toupper((unsigned char)s[0]);
    return 0;
}

static int s_number_arg(const char *s, char *out)
{
    char prefix;
    int number;
    if (hq_label_parse(s, &prefix, &number) != 0)
        return s_usage_error("'%s' is not a ticket number like A001", s);
    hq_label_format(prefix, number, out, HQ_LABEL_MAX);
    return 0;
}

/* Builds the request from the verb's words. */
static int s_build(const s_verb_t *v, const s_opts_t *o, hq_request_t *req)
{
    char **a = o->argv + 1;
    int n = o->argc - 1;
    if (n < v->nargs || n > v->nargs + v->optional) {
        fprintf(stderr, "hallqctl: usage: hallqctl %s %s\n", v->name, v->args);
        return EXIT_USAGE;
    }
    if ((o->service || o->elderly || o->id_number) && v->type != HQ_REQ_ISSUE)
        return s_usage_error("%s", "--service, --elderly and --id-number go with 'issue'");
    if (o->reason && v->type != HQ_REQ_PAUSE)
        return s_usage_error("%s", "--reason goes with 'pause'");
    hq_request_init(req, v->type);
    int rc = 0;
    switch (v->type) {
    case HQ_REQ_ISSUE:
        rc = s_queue_arg(a[0], &req->queue);
        req->service = o->service;
        req->elderly = o->elderly;
        if (o->id_number && hq_strlcpy(req->id_number, o->id_number, sizeof req->id_number) != 0)
            return s_usage_error("%s", "an ID number has 18 characters");
        break;
    case HQ_REQ_CALL:
        rc = s_counter_arg(a[0], &req->counter);
        if (!rc && n > 1)
            rc = s_number_arg(a[1], req->number);
        break;
    case HQ_REQ_REACTIVATE:
        rc = s_number_arg(a[0], req->number);
        break;
    case HQ_REQ_UNPARK:
        rc = s_counter_arg(a[0], &req->counter);
        if (!rc)
            rc = s_number_arg(a[1], req->number);
        break;
    case HQ_REQ_TRANSFER:
        rc = s_counter_arg(a[0], &req->counter);
        if (!rc)
            rc = s_queue_arg(a[1], &req->queue);
        break;
    case HQ_REQ_RATE: {
        long r = 0;
        rc = s_number_arg(a[0], req->number);
        if (rc)
            break;
        if (hq_parse_long(a[1], 1, 5, &r) != 0)
            return s_usage_error(
                "a rating is 1 (very dissatisfied) to 5 (very satisfied), not '%s'", a[1]);
        req->rating = (int)r;
        break;
    }
    case HQ_REQ_PAUSE:
        rc = s_counter_arg(a[0], &req->counter);
        if (o->reason && hq_strlcpy(req->reason, o->reason, sizeof req->reason) != 0)
            return s_usage_error("%s", "the pause reason is too long");
        break;
    case HQ_REQ_LOGIN:
        rc = s_counter_arg(a[0], &req->counter);
        if (!rc && (!a[1][0] || hq_strlcpy(req->clerk, a[1], sizeof req->clerk) != 0))
            return s_usage_error("a clerk id is 1 to %zu characters", sizeof req->clerk - 1);
        break;
    case HQ_REQ_SNAPSHOT:
    case HQ_REQ_CATALOG:
    case HQ_REQ_PING:
        break;
    default:
        rc = s_counter_arg(a[0], &req->counter);
        break;
    }
    return rc;
}

/* ---- human output ---------------------------------------------------------------------- */
static const char *s_str(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

static long long s_int(const json_t *obj, const char *key)
{
    return (long long)json_integer_value(json_object_get(obj, key));
}

static void s_print_ticket_line(const json_t *t)
{
    printf("%s %s", s_str(t, "label"), s_str(t, "state"));
    if (json_is_integer(json_object_get(t, "counter")) && strcmp(s_str(t, "state"), "waiting"))
        printf(" at counter %lld", s_int(t, "counter"));
    if (strcmp(s_str(t, "lane"), "green") == 0)
        printf(", green lane");
    if (strcmp(s_str(t, "queue"), s_str(t, "prefix")) != 0)
        printf(", now in queue %s", s_str(t, "queue"));
    printf("\n");
}

static void s_clock(long long ms, char *out, size_t n)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&secs, &tm);
    strftime(out, n, "%H:%M:%S", &tm);
}

static void s_print_snapshot(const json_t *r)
{
    printf("day %s, event %lld, hall %s\n", s_str(r, "day"), s_int(r, "seq"),
           s_str(json_object_get(r, "hall"), "name"));
    size_t i;
    json_t *item;
    printf("queues:\n");
    json_array_foreach(json_object_get(r, "queues"), i, item)
    {
        char name[128];
        hq_text_fit(s_str(item, "name"), 20, 1, name, sizeof name);
        printf("  %s %s waiting %3lld (green %lld)  issued today %lld\n", s_str(item, "prefix"),
               name, s_int(item, "waiting"), s_int(item, "green"), s_int(item, "issued_today"));
    }
    printf("counters:\n");
    json_array_foreach(json_object_get(r, "counters"), i, item)
    {
        printf("  %3lld %-8s clerk %-10s", s_int(item, "id"), s_str(item, "state"),
               s_str(item, "clerk")[0] ? s_str(item, "clerk") : "-");
        if (s_str(item, "current_label")[0])
            printf(" at window %s", s_str(item, "current_label"));
        if (s_str(item, "pause_reason")[0])
            printf(" (%s)", s_str(item, "pause_reason"));
        printf("\n");
    }
    printf("open tickets:\n");
    json_array_foreach(json_object_get(r, "tickets"), i, item)
    {
        char at[16];
        s_clock(s_int(item, "issued_ms"), at, sizeof at);
        printf("  %-6s %-8s queue %s issued %s%s\n", s_str(item, "label"), s_str(item, "state"),
               s_str(item, "queue"), at,
               strcmp(s_str(item, "lane"), "green") == 0 ? "  green lane" : "");
    }
    const json_t *m = json_object_get(r, "metric");
    long long avg = s_int(m, "avg_ms");
    printf("instant items: %lld finished, mean handling %lld:%02lld (target %lld min); mean wait "
           "%lld min\n",
           s_int(m, "count"), avg / 60000, avg / 1000 % 60, s_int(r, "target_ms") / 60000,
           s_int(r, "avg_wait_ms") / 60000);
}

static void s_print_catalog(const json_t *r)
{
    size_t i;
    json_t *item;
    printf("%s\n", s_str(json_object_get(r, "hall"), "name"));
    json_array_foreach(json_object_get(r, "queues"), i, item)
    {
        printf("queue %s %s%s\n", s_str(item, "prefix"), s_str(item, "name"),
               json_is_true(json_object_get(item, "instant")) ? " (instant)" : "");
        size_t k;
        json_t *s;
        json_array_foreach(json_object_get(r, "services"), k, s)
        {
            if (strcmp(s_str(s, "queue"), s_str(item, "prefix")) != 0)
                continue;
            printf("  %3lld %s\n", s_int(s, "no"), s_str(s, "sub_item"));
            size_t m;
            json_t *mat;
            json_array_foreach(json_object_get(s, "materials"), m, mat)
                printf("        - %s\n", json_string_value(mat));
        }
    }
}

static void s_print_reply(const s_verb_t *v, const json_t *r)
{
    const json_t *t = json_object_get(r, "ticket");
    const json_t *c = json_object_get(r, "counter");
    switch (v->type) {
    case HQ_REQ_ISSUE: {
        printf("%s\n", s_str(t, "label"));
        printf("queue %s %s", s_str(t, "queue"), s_str(r, "queue_name"));
        if (json_is_string(json_object_get(r, "service_name")))
            printf(", service %lld %s", s_int(t, "service"), s_str(r, "service_name"));
        if (strcmp(s_str(t, "lane"), "green") == 0)
            printf(", green lane");
        printf(", %lld ahead, about %lld min\n", s_int(r, "ahead"),
               (s_int(r, "est_wait_ms") + 59999) / 60000);
        break;
    }
    case HQ_REQ_CALL:
        if (!json_is_object(t)) {
            printf("none\n");
            break;
        }
        printf("%s\n", s_str(t, "label"));
        /* The lane is named once: the scheduler's reason may already be "green lane". */
        printf("to counter %lld (%s)%s\n", s_int(t, "counter"), s_str(r, "reason"),
               strcmp(s_str(t, "lane"), "green") == 0 && strcmp(s_str(r, "reason"), "green lane")
                   ? ", green lane"
                   : "");
        break;
    case HQ_REQ_SNAPSHOT:
        s_print_snapshot(r);
        break;
    case HQ_REQ_CATALOG:
        s_print_catalog(r);
        break;
    case HQ_REQ_PING:
        printf("hallqctl %s, hallqd %s (protocol %lld), business day %s\n", HALLQ_VERSION,
               s_str(r, "version"), s_int(r, "protocol"), s_str(r, "day"));
        break;
    case HQ_REQ_FINISH: {
        long long ms = s_int(r, "handling_ms");
        printf("%s finished at counter %lld after %lld:%02lld of handling\n", s_str(t, "label"),
               s_int(t, "counter"), ms / 60000, ms / 1000 % 60);
        break;
    }
    default:
        if (json_is_object(t))
            s_print_ticket_line(t);
        else if (json_is_object(c)) {
            printf("counter %lld %s", s_int(c, "id"), s_str(c, "state"));
            if (s_str(c, "clerk")[0])
                printf(", clerk %s", s_str(c, "clerk"));
            if (s_str(r, "previous_clerk")[0])
                printf(" (took over from %s)", s_str(r, "previous_clerk"));
            if (s_str(c, "pause_reason")[0])
                printf(" (%s)", s_str(c, "pause_reason"));
            printf("\n");
        } else
            printf("ok\n");
        break;
    }
}

/* ---- watch ----------------------------------------------------------------------------- */
typedef struct {
    const s_opts_t *o;
    long printed;
    int64_t last_seq;
} s_watch_t;

static volatile sig_atomic_t s_stop;

static void s_on_signal(int sig)
{
    (void)sig;
    s_stop = 1;
}

static void s_print_event(s_watch_t *w, const hq_event_t *ev)
{
    if (w->o->json) {
        json_t *copy = json_deep_copy(ev->body);
        json_object_set_new(copy, "type", json_string(hq_event_type_name(ev->type)));
        char *text = json_dumps(copy, JSON_COMPACT);
        printf("%s\n", text ? text : "{}");
        free(text);
        json_decref(copy);
    } else {
        char at[16];
        s_clock(ev->ts_ms ? ev->ts_ms : hq_now_ms(), at, sizeof at);
        printf("%s #%lld %-11s", at, (long long)ev->seq, hq_event_type_name(ev->type));
        if (ev->has_ticket)
            printf(" %s %s", ev->ticket.label, hq_ticket_state_name(ev->ticket.state));
        if (ev->has_counter)
            printf(" counter %d %s", ev->counter.id, hq_counter_state_name(ev->counter.state));
        if (ev->has_ticket && ev->ticket.green)
            printf(" green-lane");
        const char *reason = json_string_value(json_object_get(ev->body, "reason"));
        if (reason && (ev->type == HQ_EV_CALLED))
            printf(" (%s)", reason);
        if (ev->has_depths) {
            printf(" waiting");
            int none = 1;
            for (int i = 0; i < ev->ndepths; i++)
                if (ev->depths[i].waiting) {
                    printf(" %c:%d", ev->depths[i].queue, ev->depths[i].waiting);
                    none = 0;
                }
            if (none)
                printf(" none");
        }
        if (ev->type == HQ_EV_DAY)
            printf(" %s", json_string_value(json_object_get(ev->body, "day")));
        printf("\n");
    }
    fflush(stdout);
}

static void s_on_event(void *arg, const hq_event_t *ev, hq_apply_t result)
{
    s_watch_t *w = arg;
    if (ev->type == HQ_EV_HEARTBEAT) {
        if (w->o->heartbeats)
            s_print_event(w, ev);
        return;
    }
    if (result == HQ_APPLY_GAP) {
        fprintf(stderr, "hallqctl: events %lld..%lld missed; resynchronising\n",
                (long long)w->last_seq + 1, (long long)ev->seq - 1);
        return;
    }
    if (result != HQ_APPLY_OK && result != HQ_APPLY_RESYNC)
        return;
    w->last_seq = ev->seq;
    s_print_event(w, ev);
    w->printed++;
}

static int s_watch(const s_opts_t *o)
{
    hq_mirror_t mirror;
    hq_mirror_init(&mirror, 3000);
    hq_feed_t *feed = hq_feed_new(o->endpoint, o->events, &mirror);
    if (!feed) {
        fprintf(stderr, "hallqctl: cannot connect to %s / %s\n", o->endpoint, o->events);
        return EXIT_UNREACHABLE;
    }
    s_watch_t w = {o, 0, 0};
    hq_feed_set_handler(feed, s_on_event, &w);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    hq_sync_state_t shown = HQ_SYNC_INITIAL;
    int64_t started = hq_monotonic_ms();
    int rc = 0;
    while (!s_stop && (o->count == 0 || w.printed < o->count)) {
        if (hq_feed_poll(feed, -1, 200) < 0) {
            rc = EXIT_UNREACHABLE;
            break;
        }
        if (mirror.state == HQ_SYNC_ACTIVE && w.last_seq < mirror.seq && w.printed == 0)
            w.last_seq = mirror.seq;
        if (mirror.state != shown) {
            if (mirror.state == HQ_SYNC_ACTIVE)
                fprintf(stderr, "hallqctl: watching %s from event %lld\n", o->events,
                        (long long)mirror.seq);
            else if (mirror.state == HQ_SYNC_OFFLINE)
                fprintf(stderr, "hallqctl: hallqd is silent (offline); waiting for it\n");
            shown = mirror.state;
        }
        if (mirror.state != HQ_SYNC_ACTIVE && w.printed == 0 && o->count &&
            hq_monotonic_ms() - started > o->timeout_ms) {
            fprintf(stderr, "hallqctl: no snapshot from hallqd at %s within %d ms\n", o->endpoint,
                    o->timeout_ms);
            rc = EXIT_UNREACHABLE;
            break;
        }
    }
    hq_feed_destroy(&feed);
    hq_mirror_free(&mirror);
    return rc;
}

/* ---- backup and restore ------------------------------------------------------------------ */
static int s_backup(const s_opts_t *o, int restore)
{
    char why[600];
    backup_info_t info;
    int rc;
    if (restore) {
        if (o->argc != 2) {
            fprintf(stderr, "hallqctl: usage: hallqctl restore FILE [--data DIR]\n");
            return EXIT_USAGE;
        }
        rc = backup_restore(o->argv[1], o->data_dir, &info, why, sizeof why);
    } else {
        if (!o->out || o->argc != 1) {
            fprintf(stderr, "hallqctl: usage: hallqctl backup --out FILE [--data DIR]\n");
            return EXIT_USAGE;
        }
        rc = backup_take(o->data_dir, o->out, &info, why, sizeof why);
    }
    if (rc != 0) {
        fprintf(stderr, "hallqctl: %s\n", why);
        return EXIT_REFUSED;
    }
    printf("%s %s: %lld tickets, %lld events, %lld bytes, integrity ok\n",
           restore ? "restored into" : "backed up to", restore ? o->data_dir : o->out,
           (long long)info.tickets, (long long)info.events, (long long)info.bytes);
    return 0;
}

/* ---- keys ------------------------------------------------------------------------------ */
static int s_keys(const s_opts_t *o)
{
    char why[300];
    const char *what = o->argc > 1 ? o->argv[1] : "";
    if (strcmp(what, "new") == 0 && o->argc == 3) {
        if (!o->role)
            return s_usage_error("%s", "keys new needs --role kiosk|counter:N|display|manager");
        if (keys_new_device(o->keys_dir, o->argv[2], o->role, why, sizeof why) != 0) {
            fprintf(stderr, "hallqctl: %s\n", why);
            return EXIT_REFUSED;
        }
        printf("%s/devices/%s.key\n", o->keys_dir, o->argv[2]);
        printf("registered %s as %s in %s/clients (the daemon picks it up at once)\n"
               "install on the device: %s/devices/%s.key, %s/devices/%s.key_secret (mode 600) "
               "and %s/server.key\n",
               o->argv[2], o->role, o->keys_dir, o->keys_dir, o->argv[2], o->keys_dir, o->argv[2],
               o->keys_dir);
        return 0;
    }
    if (strcmp(what, "init") == 0 && o->argc == 2) {
        if (keys_init_dir(o->keys_dir, why, sizeof why) != 0) {
            fprintf(stderr, "hallqctl: %s\n", why);
            return EXIT_REFUSED;
        }
        printf("%s/server.key\n", o->keys_dir);
        return 0;
    }
    if (strcmp(what, "list") == 0 && o->argc == 2) {
        char cmd[1200];
        snprintf(cmd, sizeof cmd, "%s/clients", o->keys_dir);
        zdir_t *dir = zdir_new(cmd, NULL);
        if (!dir) {
            fprintf(stderr, "hallqctl: no keys in %s\n", o->keys_dir);
            return EXIT_REFUSED;
        }
        zfile_t **files = zdir_flatten(dir);
        for (int i = 0; files[i]; i++) {
            zcert_t *cert = zcert_load(zfile_filename(files[i], NULL));
            if (cert)
                printf("%-20s %-12s %s\n",
                       zcert_meta(cert, "name") ? zcert_meta(cert, "name") : "?",
                       zcert_meta(cert, "role") ? zcert_meta(cert, "role") : "?",
                       zcert_public_txt(cert));
            zcert_destroy(&cert);
        }
        zdir_flatten_free(&files);
        zdir_destroy(&dir);
        return 0;
    }
    fprintf(stderr,
            "hallqctl: usage: hallqctl keys new NAME --role ROLE | init | list [--keys DIR]\n");
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    hq_log_set_program("hallqctl");
    hq_log_set_level(HQ_LOG_WARN);
    hq_text_locale();
    /* `stats` reads the database itself (no daemon) and has its own options; flags given
     * before the word go along with it. */
    int sv = 1;
    while (sv < argc && argv[sv][0] == '-')
        sv++;
    if (sv < argc && strcmp(argv[sv], "stats") == 0) {
        char *word = argv[sv];
        memmove(argv + 2, argv + 1, (size_t)(sv - 1) * sizeof *argv);
        argv[1] = word;
        return hallqctl_stats_main(argc - 1, argv + 1);
    }
    s_opts_t o;
    memset(&o, 0, sizeof o);
    int rc = s_parse(argc, argv, &o);
    if (rc != 0)
        return rc;
    if (o.argc == 0) {
        s_usage(stderr);
        free(o.argv);
        return EXIT_USAGE;
    }
    const s_verb_t *verb = NULL;
    for (size_t i = 0; i < S_NVERBS; i++)
        if (strcmp(o.argv[0], s_verbs[i].name) == 0)
            verb = &s_verbs[i];
    if (!verb) {
        rc = s_usage_error("unknown verb '%s'", o.argv[0]);
        free(o.argv);
        return rc;
    }
    if (verb->type == HQ_REQ_COUNT_) {
        if (strcmp(verb->name, "keys") == 0)
            rc = s_keys(&o);
        else if (strcmp(verb->name, "backup") == 0 || strcmp(verb->name, "restore") == 0)
            rc = s_backup(&o, strcmp(verb->name, "restore") == 0);
        else
            rc = s_watch(&o);
        free(o.argv);
        hq_zmq_shutdown();
        return rc;
    }
    hq_request_t req;
    rc = s_build(verb, &o, &req);
    free(o.argv);
    if (rc != 0)
        return rc;
    hq_client_t *client = hq_client_new(o.endpoint, o.timeout_ms);
    if (!client) {
        fprintf(stderr, "hallqctl: cannot use endpoint '%s'\n", o.endpoint);
        return EXIT_USAGE;
    }
    hq_reply_t reply;
    hq_error_t err;
    if (hq_client_request(client, &req, &reply, &err) != 0) {
        fprintf(stderr, "hallqctl: %s\n", err.message);
        hq_client_destroy(&client);
        hq_zmq_shutdown();
        return EXIT_UNREACHABLE;
    }
    if (o.json) {
        char *text = json_dumps(reply.body, JSON_COMPACT);
        printf("%s\n", text ? text : "{}");
        free(text);
    } else if (reply.ok) {
        s_print_reply(verb, reply.body);
    }
    if (!reply.ok)
        fprintf(stderr, "hallqctl: %s refused: %s (%s)\n", verb->name, reply.error.message,
                hq_error_code_name(reply.error.code));
    rc = reply.ok ? 0 : EXIT_REFUSED;
    hq_reply_clear(&reply);
    hq_client_destroy(&client);
    hq_zmq_shutdown();
    return rc;
}
