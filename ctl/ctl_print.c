/* hallqctl's output for people: one reply of the daemon in a few lines (--json prints the
 * reply itself instead). */
#include "ctl_print.h"

#include "hq_text.h"
#include "hq_utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

void ctl_clock(int64_t ms, char *out, size_t n)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&secs, &tm);
    strftime(out, n, "%H:%M:%S", &tm);
}

void ctl_follow_hall_timezone(hq_client_t *client)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CATALOG);
    hq_reply_t reply;
    hq_error_t err;
    if (hq_client_request(client, &req, &reply, &err) != 0)
        return;
    const char *tz =
        json_string_value(json_object_get(json_object_get(reply.body, "hall"), "timezone"));
    if (reply.ok && tz)
        hq_text_follow_timezone(tz);
    hq_reply_clear(&reply);
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
        if (json_is_true(json_object_get(item, "tablet")))
            printf("  rating tablet paired");
        printf("\n");
    }
    printf("open tickets:\n");
    json_array_foreach(json_object_get(r, "tickets"), i, item)
    {
        char at[16];
        ctl_clock(s_int(item, "issued_ms"), at, sizeof at);
        printf("  %-6s %-8s queue %s issued %s%s", s_str(item, "label"), s_str(item, "state"),
               s_str(item, "queue"), at,
               strcmp(s_str(item, "lane"), "green") == 0 ? "  green lane" : "");
        if (s_int(item, "slot_ms")) {
            char slot[16];
            ctl_clock(s_int(item, "slot_ms"), slot, sizeof slot);
            printf("  appointment %s", slot);
        }
        printf("%s\n", json_is_true(json_object_get(item, "extended")) ? "  extended hours" : "");
    }
    const json_t *alerts = json_object_get(r, "alerts");
    if (json_array_size(alerts))
        printf("alerts:\n");
    json_array_foreach(alerts, i, item)
    {
        printf("  queue %s %s %lld min (target %lld min), advice %s\n", s_str(item, "queue"),
               strcmp(s_str(item, "kind"), "wait") == 0 ? "longest wait" : "mean handling",
               s_int(item, "value_ms") / 60000, s_int(item, "target_ms") / 60000,
               s_str(item, "advice"));
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

/* Sanitises every string in v (hq_utf8_sanitise), in place. */
static void s_sanitise(json_t *v)
{
    const char *key;
    size_t i;
    json_t *item;
    if (json_is_object(v)) {
        json_object_foreach(v, key, item) s_sanitise(item);
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item) s_sanitise(item);
    } else if (json_is_string(v) &&
               !hq_utf8_is_clean(json_string_value(v), json_string_length(v))) {
        size_t len = json_string_length(v);
        char *clean = malloc(len * 3 + 1); /* each byte at worst a U+FFFD of three */
        if (clean)
            hq_utf8_sanitise(json_string_value(v), len, clean, len * 3 + 1);
        json_string_set(v, clean ? clean : "");
        free(clean);
    }
}

void ctl_print_reply(hq_req_type_t type, const json_t *reply)
{
    /* What is printed here goes to a terminal: every string of the reply (a clerk's name, a
     * pause reason, a hall, queue or service name) is printed sanitised, from a copy. */
    json_t *r = json_deep_copy(reply);
    if (!r) {
        fprintf(stderr, "hallqctl: out of memory\n");
        return;
    }
    s_sanitise(r);
    const json_t *t = json_object_get(r, "ticket");
    const json_t *c = json_object_get(r, "counter");
    switch (type) {
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
        /* The lane is named once: the reason may already be the green lane. */
        printf("to counter %lld (%s)%s\n", s_int(t, "counter"), s_str(t, "reason"),
               strcmp(s_str(t, "lane"), "green") == 0 &&
                       strcmp(s_str(t, "reason_code"), "green_lane") != 0
                   ? ", green lane"
                   : "");
        break;
    case HQ_REQ_BOOK:
    case HQ_REQ_CANCEL:
    case HQ_REQ_BOOKING: {
        const json_t *b = json_object_get(r, "booking");
        const json_t *w = json_object_get(r, "check_in");
        printf("%s\n", s_str(b, "code"));
        printf("queue %s, %s %s, %s; check-in %s-%s\n", s_str(b, "queue"), s_str(b, "date"),
               s_str(b, "slot"), s_str(b, "state"), s_str(w, "from"), s_str(w, "until"));
        break;
    }
    case HQ_REQ_SLOTS: {
        /* One line a slot: its start, the places left, and whether it can be booked now. */
        const json_t *slots = json_object_get(r, "slots");
        size_t i;
        const json_t *sl;
        json_array_foreach(slots, i, sl)
            printf("%s %lld left%s\n", s_str(sl, "slot"), s_int(sl, "left"),
                   json_is_true(json_object_get(sl, "open")) ? "" : ", closed");
        if (!json_array_size(slots))
            printf("no slots on %s\n", s_str(r, "date"));
        break;
    }
    case HQ_REQ_CHECK_IN: {
        const json_t *b = json_object_get(r, "booking");
        printf("%s\n", s_str(t, "label"));
        if (json_is_true(json_object_get(r, "late")))
            printf("booking %s came after its window (slot %s): a walk-in ticket\n",
                   s_str(b, "code"), s_str(b, "slot"));
        else
            printf("booking %s checked in: appointment lane, slot %s\n", s_str(b, "code"),
                   s_str(b, "slot"));
        break;
    }
    case HQ_REQ_SNAPSHOT:
        s_print_snapshot(r);
        break;
    case HQ_REQ_CATALOG:
        s_print_catalog(r);
        break;
    case HQ_REQ_PAIR:
        /* The code first: what the clerk types into the tablet. */
        printf("%s\npairing code for window %lld's rating tablet, valid 5 minutes\n",
               s_str(r, "code"), s_int(r, "counter"));
        break;
    case HQ_REQ_CLAIM:
        printf("window %lld\n", s_int(r, "counter"));
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
    json_decref(r);
}
