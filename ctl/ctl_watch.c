/* hallqctl watch: the hall's events as they happen, one line each (or one JSON object each),
 * kept in order by the Clone pattern (lib/client/hq_feed). */
#include "ctl_watch.h"

#include "ctl_print.h"
#include "hq_feed.h"
#include "hq_signals.h"
#include "hq_utf8.h"
#include "ui_exit.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const ctl_watch_opts_t *o;
    long printed;
    int64_t last_seq;
} s_watch_t;

/* Text from hallqd as the terminal may show it (hq_utf8_sanitise); "" for none. */
static const char *s_safe(const char *text, char *buf, size_t n)
{
    hq_utf8_sanitise(text ? text : "", text ? strlen(text) : 0, buf, n);
    return buf;
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
        /* A line for people, on a terminal: the texts hallqd sent go out sanitised. */
        char at[16], buf[HQ_REASON_MAX * 3];
        ctl_clock(ev->ts_ms ? ev->ts_ms : hq_now_ms(), at, sizeof at);
        printf("%s #%lld %-11s", at, (long long)ev->seq, hq_event_type_name(ev->type));
        if (ev->has_ticket)
            printf(" %s %s", s_safe(ev->ticket.label, buf, sizeof buf),
                   hq_ticket_state_name(ev->ticket.state));
        if (ev->has_counter)
            printf(" counter %d %s", ev->counter.id, hq_counter_state_name(ev->counter.state));
        if (ev->has_ticket && ev->ticket.green)
            printf(" green-lane");
        const char *reason = json_string_value(json_object_get(ev->body, "reason"));
        if (reason && (ev->type == HQ_EV_CALLED))
            printf(" (%s)", s_safe(reason, buf, sizeof buf));
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
        const json_t *a = json_object_get(ev->body, "alert");
        if (ev->type == HQ_EV_QUEUE_ALERT && json_is_object(a)) {
            long long value = json_integer_value(json_object_get(a, "value_ms")) / 60000;
            long long target = json_integer_value(json_object_get(a, "target_ms")) / 60000;
            const char *kind = json_string_value(json_object_get(a, "kind"));
            printf(" %s queue %s %s %lld min (target %lld min), advice %s",
                   s_safe(json_string_value(json_object_get(a, "state")), buf, sizeof buf),
                   json_string_value(json_object_get(a, "queue"))
                       ? json_string_value(json_object_get(a, "queue"))
                       : "?",
                   kind && strcmp(kind, "wait") == 0 ? "longest wait" : "mean handling", value,
                   target,
                   json_string_value(json_object_get(a, "advice"))
                       ? json_string_value(json_object_get(a, "advice"))
                       : "none");
        }
        if (ev->type == HQ_EV_ALERT) {
            const json_t *above = json_object_get(ev->body, "above");
            const char *state = json_string_value(json_object_get(ev->body, "state"));
            if (state && strcmp(state, "cleared") == 0) {
                printf(" cleared handling back within target");
            } else {
                printf(" raised handling above target:");
                for (size_t i = 0; i < json_array_size(above); i++) {
                    const json_t *s = json_array_get(above, i);
                    const char *scope = json_string_value(json_object_get(s, "scope"));
                    const char *key = json_string_value(json_object_get(s, "key"));
                    long long avg = json_integer_value(json_object_get(s, "avg_ms")) / 1000;
                    char kb[32];
                    printf("%s %s%s%s %lld:%02lld", i ? "," : "",
                           s_safe(scope ? scope : "?", buf, sizeof buf), key && key[0] ? " " : "",
                           s_safe(key ? key : "", kb, sizeof kb), avg / 60, avg % 60);
                }
            }
        }
        if (ev->type == HQ_EV_DAY)
            printf(" %s",
                   s_safe(json_string_value(json_object_get(ev->body, "day")), buf, sizeof buf));
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
    if (w->o->alerts && ev->type != HQ_EV_QUEUE_ALERT && ev->type != HQ_EV_ALERT)
        return;
    s_print_event(w, ev);
    w->printed++;
}

int ctl_watch(const ctl_watch_opts_t *o)
{
    if (!o->json) {
        /* Event times in the hall's time zone. */
        hq_client_t *client = hq_client_new(o->endpoint, o->timeout_ms);
        if (client)
            ctl_follow_hall_timezone(client);
        hq_client_destroy(&client);
    }
    hq_mirror_t mirror;
    hq_mirror_init(&mirror, 3000);
    hq_feed_t *feed = hq_feed_new(o->endpoint, o->events, &mirror);
    if (!feed) {
        fprintf(stderr, "hallqctl: cannot connect to %s / %s\n", o->endpoint, o->events);
        return UI_EXIT_UNREACHABLE;
    }
    s_watch_t w = {o, 0, 0};
    hq_feed_set_handler(feed, s_on_event, &w);
    hq_signals_catch();
    hq_sync_state_t shown = HQ_SYNC_INITIAL;
    int64_t started = hq_monotonic_ms();
    int rc = 0;
    while (!hq_signal_stop && (o->count == 0 || w.printed < o->count)) {
        if (hq_feed_poll(feed, -1, 200) < 0) {
            rc = UI_EXIT_UNREACHABLE;
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
            rc = UI_EXIT_UNREACHABLE;
            break;
        }
    }
    hq_feed_destroy(&feed);
    hq_mirror_free(&mirror);
    return rc;
}
