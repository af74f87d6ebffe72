#include "hall_wire.h"

#include "hall_int.h"
#include "hq_alloc.h"
#include "hq_date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hall_wire_init(hall_wire_t *w)
{
    memset(w, 0, sizeof *w);
    /* jansson allocates through hq_alloc, so a failure among the JSON's hundred small
     * allocations is counted and checked once. */
    hq_alloc_for_json();
}

void hall_wire_clear(hall_wire_t *w)
{
    json_decref(w->reply);
    free(w->reply_text);
    for (int i = 0; i < HALL_EVENTS_MAX; i++) {
        json_decref(w->bodies[i]);
        if (w->heads[i].buf)
            hq_jtext_free(&w->heads[i]); /* texts[i] is its buffer */
        else
            free(w->texts[i]);
    }
    memset(w, 0, sizeof *w);
}

static json_t *s_metric_json(const metric_acc_t *m)
{
    return json_pack("{s:I, s:I, s:I, s:I}", "count", (json_int_t)m->count, "avg_ms",
                     (json_int_t)metric_avg_ms(m), "within", (json_int_t)m->within, "max_ms",
                     (json_int_t)m->max_ms);
}

static json_t *s_depths(const hall_t *hall)
{
    json_t *arr = json_array();
    for (int q = 0; q < hall->cfg->nqueues; q++) {
        const char *prefix = &hall->cfg->queues[q].prefix;
        /* Built directly: it goes out with every issue and call, and json_pack would read
         * its format string each time. */
        json_t *d = json_object();
        json_object_set_new_nocheck(d, "queue", json_stringn_nocheck(prefix, 1));
        json_object_set_new_nocheck(d, "waiting", json_integer(hall_waiting(hall, *prefix, 0)));
        json_object_set_new_nocheck(d, "green", json_integer(hall_waiting(hall, *prefix, 1)));
        json_array_append_new(arr, d);
    }
    return arr;
}

/* Each waiting ticket's place and expected wait from now, in issue order: what a citizen's
 * phone shows. A list of its own, beside the tickets: it changes with the time alone. */
static json_t *s_waits(const hall_t *hall, int64_t now_ms)
{
    json_t *waits = json_array();
    int *ahead = hq_malloc((hall->ntickets + 1) * sizeof *ahead);
    int64_t *wait = hq_malloc((hall->ntickets + 1) * sizeof *wait);
    if (ahead && wait && hall_estimate_waiting(hall, now_ms, ahead, wait) == 0)
        for (size_t i = 0; i < hall->ntickets; i++) {
            const hq_ticket_t *t = &hall->tickets[i];
            if (t->state != HQ_T_WAITING)
                continue;
            json_t *w = json_object();
            json_object_set_new_nocheck(w, "ticket", json_integer(t->id));
            json_object_set_new_nocheck(w, "label", json_string(t->label));
            json_object_set_new_nocheck(w, "ahead", json_integer(ahead[i]));
            json_object_set_new_nocheck(w, "est_wait_ms", json_integer(wait[i]));
            json_array_append_new(waits, w);
        }
    hq_free(ahead);
    hq_free(wait);
    return waits;
}

/* ---- the snapshot, the catalog, the metric ------------------------------------------------ */
static json_t *s_alert_json(const hall_t *hall, const hall_alert_t *a);

json_t *hall_wire_snapshot(const hall_t *hall, int64_t now_ms)
{
    const hallq_config_t *cfg = hall->cfg;
    json_t *snap = json_object();
    json_object_set_new(snap, "seq", json_integer(hall->seq));
    json_object_set_new(snap, "day", json_string(hall->day));
    json_object_set_new(snap, "ts_ms", json_integer(now_ms));
    json_object_set_new(snap, "heartbeat_ms", json_integer(cfg->heartbeat_ms));
    json_object_set_new(snap, "target_ms",
                        json_integer((json_int_t)cfg->handling_target_min * 60000));
    json_object_set_new(snap, "hall",
                        json_pack("{s:s, s:s}", "name", cfg->hall_name, "notice", cfg->notice));
    json_t *queues = json_array();
    for (int q = 0; q < cfg->nqueues; q++) {
        const cfg_queue_t *cq = &cfg->queues[q];
        char prefix[2] = {cq->prefix, 0};
        json_array_append_new(queues, json_pack("{s:s, s:s, s:b, s:i, s:i, s:i}", "prefix", prefix,
                                                "name", cq->name, "instant", cq->instant, "waiting",
                                                hall_waiting(hall, cq->prefix, 0), "green",
                                                hall_waiting(hall, cq->prefix, 1), "issued_today",
                                                hall->next_number[cq->prefix - 'A']));
    }
    json_object_set_new(snap, "queues", queues);
    json_t *counters = json_array();
    for (int i = 0; i < hall->ncounters; i++) {
        json_t *cj = hq_counter_to_json(&hall->counters[i].pub);
        json_object_set_new(cj, "metric", s_metric_json(&hall->counters[i].metric));
        json_array_append_new(counters, cj);
    }
    json_object_set_new(snap, "counters", counters);
    /* The queue alerts raised now: a screen that joins late learns them here. */
    hall_alert_t raised[HQ_QUEUES_MAX * HALL_ALERT_KINDS];
    int nraised = hall_alerts_raised(hall, raised, HQ_QUEUES_MAX * HALL_ALERT_KINDS);
    json_t *alerts = json_array();
    for (int i = 0; i < nraised; i++)
        json_array_append_new(alerts, s_alert_json(hall, &raised[i]));
    json_object_set_new(snap, "alerts", alerts);
    json_t *tickets = json_array();
    for (size_t i = 0; i < hall->ntickets; i++)
        if (hall_active(hall->tickets[i].state))
            json_array_append_new(tickets, hq_ticket_to_json(&hall->tickets[i]));
    json_object_set_new(snap, "tickets", tickets);
    json_object_set_new(snap, "waits", s_waits(hall, now_ms));
    json_t *calls = json_array();
    for (int i = 0; i < hall->ncalls; i++) {
        const hall_call_t *c = &hall->calls[i];
        json_array_append_new(calls,
                              json_pack("{s:s, s:i, s:I, s:b, s:s}", "label", c->label, "counter",
                                        c->counter, "ts_ms", (json_int_t)c->ts_ms, "recall",
                                        c->recall, "lane", c->green ? "green" : "normal"));
    }
    json_object_set_new(snap, "recent_calls", calls);
    json_object_set_new(snap, "metric", s_metric_json(&hall->metric_hall));
    json_object_set_new(snap, "avg_wait_ms", json_integer(hall_avg_wait_ms(hall)));
    return snap;
}

json_t *hall_wire_catalog(const hallq_config_t *cfg)
{
    json_t *cat = json_object();
    json_object_set_new(cat, "hall",
                        json_pack("{s:s, s:s, s:s, s:s}", "name", cfg->hall_name, "notice",
                                  cfg->notice, "ticket_footer", cfg->ticket_footer, "timezone",
                                  cfg->timezone));
    json_object_set_new(cat, "rules",
                        json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "elderly_age", cfg->elderly_age,
                                  "green_max_in_row", cfg->green_max_in_row, "normal_max_wait_min",
                                  cfg->normal_max_wait_min, "handling_target_min",
                                  cfg->handling_target_min, "noshow_after_calls",
                                  cfg->noshow_after_calls, "heartbeat_ms", cfg->heartbeat_ms));
    json_t *queues = json_array();
    for (int q = 0; q < cfg->nqueues; q++) {
        char prefix[2] = {cfg->queues[q].prefix, 0};
        json_array_append_new(queues,
                              json_pack("{s:s, s:s, s:b, s:b}", "prefix", prefix, "name",
                                        cfg->queues[q].name, "instant", cfg->queues[q].instant,
                                        "bookable", cfg->queues[q].slots.slot_min != 0));
    }
    json_object_set_new(cat, "queues", queues);
    json_t *services = json_array();
    for (int i = 0; i < cfg->nservices; i++) {
        const cfg_service_t *s = &cfg->services[i];
        if (!config_service_offered(cfg, s))
            continue;
        json_t *materials = json_array();
        char buf[sizeof s->materials];
        hq_strlcpy(buf, s->materials, sizeof buf);
        for (char *save = NULL, *m = strtok_r(buf, ";", &save); m; m = strtok_r(NULL, ";", &save))
            json_array_append_new(materials, json_string(m));
        char queue[2] = {s->queue, 0};
        json_array_append_new(
            services, json_pack("{s:i, s:s, s:s, s:s, s:o, s:s, s:b, s:s, s:s, s:b}", "no", s->no,
                                "queue", queue, "main_item", s->main_item, "sub_item", s->sub_item,
                                "materials", materials, "time_limit", s->time_limit, "instant",
                                s->instant, "mode", s->mode, "steps", s->steps, "bookable",
                                config_slots(cfg, s->queue, s->no) != NULL));
    }
    json_object_set_new(cat, "services", services);
    json_t *counters = json_array();
    for (int i = 0; i < cfg->ncounters; i++)
        json_array_append_new(counters, json_pack("{s:i, s:s}", "id", cfg->counters[i].id, "queues",
                                                  cfg->counters[i].queues));
    json_object_set_new(cat, "counters", counters);
    /* What the kiosks need of the hall's config: how staff leave the kiosk program. */
    json_object_set_new(cat, "kiosk", json_pack("{s:s}", "exit_keys", cfg->kiosk_exit_keys));
    json_object_set_new(cat, "web", json_pack("{s:s}", "base_url", cfg->web_base_url));
    return cat;
}

json_t *hall_wire_metric_rows(const hall_t *hall)
{
    hq_alloc_for_json();
    uint64_t failures = hq_alloc_failures();
    hall_scope_t scopes[HALL_SCOPES_MAX];
    int n = hall_scopes(hall, scopes);
    json_t *rows = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(rows, json_pack("{s:s, s:s, s:o}", "scope", scopes[i].scope, "key",
                                              scopes[i].key, "metric", s_metric_json(scopes[i].m)));
    if (hq_alloc_failures() == failures)
        return rows;
    json_decref(rows); /* a row short: none rather than a wrong log */
    return NULL;
}

/* The metric event: the target, the day, and each scope's figures. */
static void s_metric_body(const hall_t *hall, json_t *body)
{
    hall_scope_t scopes[HALL_SCOPES_MAX];
    int n = hall_scopes(hall, scopes);
    json_object_set_new(body, "target_ms",
                        json_integer((json_int_t)hall->cfg->handling_target_min * 60000));
    json_object_set_new(body, "day", json_string(hall->day));
    json_object_set_new(body, "hall", s_metric_json(scopes[0].m));
    json_t *qs = json_array(), *cs = json_array();
    for (int i = 1; i < n; i++) {
        json_t *mj = s_metric_json(scopes[i].m);
        if (strcmp(scopes[i].scope, "queue") == 0) {
            json_object_set_new(mj, "queue", json_string(scopes[i].key));
            json_array_append_new(qs, mj);
        } else {
            json_object_set_new(mj, "counter", json_integer(atoi(scopes[i].key)));
            json_array_append_new(cs, mj);
        }
    }
    json_object_set_new(body, "queues", qs);
    json_object_set_new(body, "counters", cs);
}

/* The alert event: the scopes in the 10-minute alert (hall_metric_tick), "raised" while there
 * is one, "cleared" when the last has left. */
static void s_alert_body(const hall_t *hall, json_t *body)
{
    hall_scope_t scopes[HALL_SCOPES_MAX];
    int n = hall_scopes(hall, scopes);
    json_t *above = json_array();
    for (int i = 0; i < n; i++)
        if (hall->metric_alert[i])
            json_array_append_new(above, json_pack("{s:s, s:s, s:I}", "scope", scopes[i].scope,
                                                   "key", scopes[i].key, "avg_ms",
                                                   (json_int_t)metric_avg_ms(scopes[i].m)));
    json_object_set_new(body, "state", json_string(json_array_size(above) ? "raised" : "cleared"));
    json_object_set_new(body, "target_ms",
                        json_integer((json_int_t)hall->cfg->handling_target_min * 60000));
    json_object_set_new(body, "above", above);
}

/* A queue's alert: which, raised or cleared, the figure against its target, what would help
 * and the windows serving the queue (whose clerk terminals show it). */
static json_t *s_alert_json(const hall_t *hall, const hall_alert_t *a)
{
    char q[2] = {a->queue, 0};
    json_t *counters = json_array();
    for (int i = 0; i < hall->cfg->ncounters; i++)
        if (strchr(hall->cfg->counters[i].queues, a->queue))
            json_array_append_new(counters, json_integer(hall->cfg->counters[i].id));
    return json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:o}", "queue", q, "kind",
                     a->kind == HALL_ALERT_WAIT ? "wait" : "handling", "state",
                     a->raised ? "raised" : "cleared", "value_ms", (json_int_t)a->value_ms,
                     "target_ms", (json_int_t)a->target_ms, "advice", a->advice, "counters",
                     counters);
}

/* A booking as replies and events show it: never the person's hash. */
static json_t *s_booking_json(const hall_t *hall, const hq_booking_t *b)
{
    char q[2] = {b->queue, 0}, slot[6];
    cal_minute_format(b->slot, slot);
    const hq_ticket_t *t = b->ticket ? hall_ticket(hall, b->ticket) : NULL;
    return json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:I, s:o, s:o}", "code", b->code, "queue", q,
                     "service", b->service ? json_integer(b->service) : json_null(), "date", b->day,
                     "slot", slot, "state", booking_state_name(b->state), "booked_ms",
                     (json_int_t)b->booked_ms, "changed_ms",
                     b->changed_ms ? json_integer(b->changed_ms) : json_null(), "ticket",
                     t ? json_string(t->label) : json_null());
}

/* A slot's check-in window as the kiosk keeps it: [slot - early_min, slot + late_min]. */
static json_t *s_check_in_json(const hallq_config_t *cfg, int slot)
{
    char from[6], until[6];
    int a = slot - cfg->appointments.early_min, b = slot + cfg->appointments.late_min;
    cal_minute_format(a < 0 ? 0 : a, from);
    cal_minute_format(b > 24 * 60 - 1 ? 24 * 60 - 1 : b, until);
    return json_pack("{s:s, s:s}", "from", from, "until", until);
}

/* The slots reply: the template's slots of the day, each with the places left and whether it
 * can be booked now (a place left, and its start lead_min away or more). */
static json_t *s_slots_json(const hall_t *hall, const hq_request_t *req, int64_t now_ms)
{
    const hallq_config_t *cfg = hall->cfg;
    const cfg_slots_t *tpl = config_slots(cfg, req->queue, req->service);
    int starts[BOOKING_SLOTS_MAX], day = hq_date_parse_days(req->date);
    int n = tpl ? booking_slots(cfg, tpl, day, starts, BOOKING_SLOTS_MAX) : 0;
    hq_date_t d;
    int64_t midnight = hq_date_parse(req->date, &d) == 0 ? hq_date_local_ms(d, 0) : 0;
    json_t *slots = json_array();
    for (int i = 0; i < n; i++) {
        char at[6];
        cal_minute_format(starts[i], at);
        int left = tpl->capacity - hall_slot_taken(hall, tpl, req->date, starts[i]);
        int64_t lead = midnight + (int64_t)starts[i] * 60000 - now_ms;
        json_array_append_new(
            slots, json_pack("{s:s, s:i, s:b}", "slot", at, "left", left > 0 ? left : 0, "open",
                             left > 0 && lead >= (int64_t)cfg->appointments.lead_min * 60000));
    }
    char q[2] = {req->queue, 0};
    /* The days a booking may be for: today up to days_ahead. */
    json_t *days = json_array();
    for (int i = 0, today = hq_date_parse_days(hall->day); i <= cfg->appointments.days_ahead; i++) {
        char text[HQ_DATE_TEXT_MAX];
        hq_date_format(hq_date_from_days(today + i), text);
        json_array_append_new(days, json_string(text));
    }
    return json_pack("{s:s, s:o, s:s, s:o, s:i, s:i, s:i, s:i, s:o}", "queue", q, "service",
                     req->service ? json_integer(req->service) : json_null(), "date", req->date,
                     "days", days, "slot_min", tpl ? tpl->slot_min : 0, "capacity",
                     tpl ? tpl->capacity : 0, "early_min", cfg->appointments.early_min, "late_min",
                     cfg->appointments.late_min, "slots", slots);
}

/* ---- events and replies ------------------------------------------------------------------ */
/* One event's body. `tj` and `cj` are the JSON of the result's ticket and counter (or NULL),
 * shared with the reply. */
static json_t *s_event_body(const hall_t *hall, const hall_result_t *r, const hall_event_t *e,
                            json_t *tj, json_t *cj)
{
    json_t *b = json_object();
    if (e->type == HQ_EV_METRIC) {
        s_metric_body(hall, b);
    } else if (e->type == HQ_EV_ALERT) {
        s_alert_body(hall, b);
    } else if (e->type == HQ_EV_QUEUE_ALERT) {
        json_object_set_new(b, "alert", s_alert_json(hall, &r->alert));
    } else if (e->type == HQ_EV_BOOKING) {
        const hq_booking_t *bk = hall_booking(hall, r->booking);
        json_object_set_new(b, "booking", bk ? s_booking_json(hall, bk) : json_null());
    } else if (e->type == HQ_EV_DAY) {
        json_object_set_new(b, "day", json_string(hall->day));
        json_object_set_new(b, "previous_day", json_string(r->previous_day));
        json_object_set_new(b, "expired", json_integer(r->expired));
    } else {
        if (tj)
            json_object_set(b, "ticket", tj);
        if (cj)
            json_object_set(b, "counter", cj);
    }
    const hq_ticket_t *t = r->ticket ? hall_ticket(hall, r->ticket) : NULL;
    const hall_counter_t *c = r->counter ? hall_find_counter(hall, r->counter) : NULL;
    char from[2] = {r->from_queue, 0};
    switch (e->type) {
    case HQ_EV_ISSUED:
        json_object_set_new(b, "ahead", json_integer(r->ahead));
        json_object_set_new(b, "est_wait_ms", json_integer(r->est_wait_ms));
        break;
    case HQ_EV_CALLED:
        json_object_set_new(b, "reason", json_string(t ? t->reason : ""));
        break;
    case HQ_EV_FINISHED:
        json_object_set_new(b, "handling_ms", json_integer(r->handling_ms));
        json_object_set_new(b, "instant", json_boolean(r->instant));
        json_object_set_new(b, "hall_metric", s_metric_json(&hall->metric_hall));
        if (c)
            json_object_set_new(b, "counter_metric", s_metric_json(&c->metric));
        break;
    case HQ_EV_TRANSFERRED:
        json_object_set_new(b, "from_queue", json_string(from));
        break;
    case HQ_EV_COUNTER:
        if (r->previous_clerk[0])
            json_object_set_new(b, "previous_clerk", json_string(r->previous_clerk));
        if (r->tablet_counter)
            json_object_set_new(b, "tablet_paired", json_true());
        break;
    default:
        break;
    }
    if (e->counts) {
        json_object_set_new(b, "depths", s_depths(hall));
        json_object_set_new(b, "avg_wait_ms", json_integer(hall_avg_wait_ms(hall)));
    }
    return b;
}

/* A request's reply, by its type (PROTOCOL.md "Replies"). */
static json_t *s_reply(const hall_t *hall, const hq_request_t *req, const hall_result_t *r,
                       int64_t now_ms, json_t *tj, json_t *cj)
{
    const hallq_config_t *cfg = hall->cfg;
    const hq_ticket_t *t = r->ticket ? hall_ticket(hall, r->ticket) : NULL;
    json_t *reply = hq_reply_new(req);
    if (!reply)
        return NULL;
    switch (req->type) {
    case HQ_REQ_PING:
        json_object_set_new(reply, "version", json_string(HALLQ_VERSION));
        json_object_set_new(reply, "protocol", json_integer(HQ_PROTOCOL_VERSION));
        json_object_set_new(reply, "day", json_string(hall->day));
        break;
    case HQ_REQ_ISSUE: {
        const cfg_queue_t *q = t ? config_queue(cfg, t->prefix) : NULL;
        const cfg_service_t *svc = t && t->service ? config_service(cfg, t->service) : NULL;
        json_object_set(reply, "ticket", tj);
        json_object_set_new(reply, "ahead", json_integer(r->ahead));
        json_object_set_new(reply, "est_wait_ms", json_integer(r->est_wait_ms));
        json_object_set_new(reply, "queue_name", json_string(q ? q->name : ""));
        json_object_set_new(reply, "service_name", svc ? json_string(svc->sub_item) : json_null());
        if (r->repeat)
            json_object_set_new(reply, "repeat", json_true());
        if (t && hall->has_web_key) {
            char web[WEBTOKEN_TEXT_MAX];
            hall_web_token(hall, t, web, sizeof web);
            json_object_set_new(reply, "web_token", json_string(web));
        }
        break;
    }
    case HQ_REQ_PAIR:
        json_object_set_new(reply, "counter", json_integer(r->counter));
        json_object_set_new(reply, "code", json_string(r->pair_code));
        json_object_set_new(reply, "expires_ms", json_integer(r->pair_until));
        break;
    case HQ_REQ_CLAIM:
        json_object_set_new(reply, "counter", json_integer(r->counter));
        json_object_set_new(reply, "tablet", json_string(r->tablet));
        break;
    case HQ_REQ_TRACK: {
        const cfg_queue_t *q = t ? config_queue(cfg, t->queue) : NULL;
        const cfg_service_t *svc = t && t->service ? config_service(cfg, t->service) : NULL;
        json_object_set(reply, "ticket", tj);
        json_object_set_new(reply, "ahead", json_integer(r->ahead));
        json_object_set_new(reply, "est_wait_ms", json_integer(r->est_wait_ms));
        json_object_set_new(reply, "queue_name", json_string(q ? q->name : ""));
        json_object_set_new(reply, "service_name", svc ? json_string(svc->sub_item) : json_null());
        break;
    }
    case HQ_REQ_CALL:
        /* Nobody waiting is no error: the ticket is null. */
        json_object_set(reply, "ticket", tj ? tj : json_null());
        if (t)
            json_object_set_new(reply, "reason", json_string(t->reason));
        break;
    case HQ_REQ_PAUSE:
    case HQ_REQ_RESUME:
    case HQ_REQ_LOGIN:
    case HQ_REQ_LOGOUT:
        json_object_set(reply, "counter", cj);
        if (r->previous_clerk[0])
            json_object_set_new(reply, "previous_clerk", json_string(r->previous_clerk));
        break;
    case HQ_REQ_SNAPSHOT: {
        json_t *snap = hall_wire_snapshot(hall, now_ms);
        json_object_update(reply, snap);
        json_decref(snap);
        break;
    }
    case HQ_REQ_STAFF:
        json_object_set_new(reply, "clerk", json_string(req->clerk));
        break;
    case HQ_REQ_BOOK:
    case HQ_REQ_CANCEL:
    case HQ_REQ_BOOKING: {
        const hq_booking_t *bk = hall_booking(hall, r->booking);
        json_object_set_new(reply, "booking", bk ? s_booking_json(hall, bk) : json_null());
        if (r->repeat)
            json_object_set_new(reply, "repeat", json_true());
        if (bk)
            json_object_set_new(reply, "check_in", s_check_in_json(cfg, bk->slot));
        break;
    }
    case HQ_REQ_SLOTS: {
        json_t *slots = s_slots_json(hall, req, now_ms);
        json_object_update(reply, slots);
        json_decref(slots);
        break;
    }
    case HQ_REQ_CHECK_IN: {
        /* The issue reply's fields, with the booking, and whether it came too late. */
        const hq_booking_t *bk = hall_booking(hall, r->booking);
        const cfg_queue_t *q = t ? config_queue(cfg, t->prefix) : NULL;
        json_object_set(reply, "ticket", tj);
        json_object_set_new(reply, "ahead", json_integer(r->ahead));
        json_object_set_new(reply, "est_wait_ms", json_integer(r->est_wait_ms));
        json_object_set_new(reply, "queue_name", json_string(q ? q->name : ""));
        json_object_set_new(reply, "service_name", json_null());
        json_object_set_new(reply, "booking", bk ? s_booking_json(hall, bk) : json_null());
        json_object_set_new(reply, "late", json_boolean(r->late));
        if (r->repeat)
            json_object_set_new(reply, "repeat", json_true());
        break;
    }
    case HQ_REQ_CATALOG: {
        json_t *cat = hall_wire_catalog(cfg);
        json_object_update(reply, cat);
        json_decref(cat);
        json_object_set_new(reply, "roster", json_boolean(r->roster));
        break;
    }
    default: /* an action on a ticket: the ticket, and the window when one is involved */
        json_object_set(reply, "ticket", tj);
        if (cj)
            json_object_set(reply, "counter", cj);
        if (req->type == HQ_REQ_FINISH)
            json_object_set_new(reply, "handling_ms", json_integer(r->handling_ms));
        break;
    }
    return reply;
}

int hall_wire_write(const hall_t *hall, const hq_request_t *req, const hall_result_t *r,
                    int64_t now_ms, hall_wire_t *w)
{
    if (r->error.code != HQ_E_NONE) {
        if (req)
            w->reply = hq_reply_refuse(req, r->error.code, r->error.message);
        json_t *error = w->reply ? json_object_get(w->reply, "error") : NULL;
        if (r->detail && error) /* out of memory: the refusal goes without its detail */
            json_object_set_new(error, "detail", json_string(r->detail));
        /* An issue the calendar or the quota refused: when the queue issues today, for the
         * kiosk to say (今日取号时间为 ...), and the next working day when not today. */
        if (error && (r->error.code == HQ_E_CLOSED_TODAY || r->error.code == HQ_E_NOT_ISSUING ||
                      r->error.code == HQ_E_QUOTA)) {
            json_object_set_new(error, "issue_hours", json_string(r->issue_hours));
            if (r->next_working_day[0])
                json_object_set_new(error, "next_working_day", json_string(r->next_working_day));
            /* Who the rest is kept for: the green lane before appointments, as the kiosk can
             * send a citizen there. */
            if (r->green_reserve_left)
                json_object_set_new(error, "reserved_for", json_string("green"));
            else if (r->appointment_reserve_left)
                json_object_set_new(error, "reserved_for", json_string("appointment"));
        }
        if (error && r->opens[0]) /* a check-in too early: when its window opens */
            json_object_set_new(error, "opens", json_string(r->opens));
        return 0;
    }
    /* One check for the hundred allocations the JSON makes (see hq_alloc). */
    uint64_t failures = hq_alloc_failures();
    const hq_ticket_t *t = r->ticket ? hall_ticket(hall, r->ticket) : NULL;
    const hall_counter_t *c = r->counter ? hall_find_counter(hall, r->counter) : NULL;
    if (w->as_text && hall_wire_issue_applies(req, r, t, c != NULL)) {
        if (hall_wire_issue_text(hall, req, r, t, w) == 0)
            return 0;
        hall_wire_clear(w);
        w->reply = hq_reply_refuse(req, HQ_E_INTERNAL, "out of memory: nothing was changed");
        return -1;
    }
    /* The reply and the events carry the same ticket and counter objects: built once. */
    json_t *tj = t ? hq_ticket_to_json(t) : NULL;
    json_t *cj = c ? hq_counter_to_json(&c->pub) : NULL;
    for (int i = 0; i < r->nevents; i++)
        w->bodies[i] = s_event_body(hall, r, &r->events[i], tj, cj);
    if (req)
        w->reply = s_reply(hall, req, r, now_ms, tj, cj);
    json_decref(tj);
    json_decref(cj);
    if (hq_alloc_failures() == failures)
        return 0;
    hall_wire_clear(w);
    if (req)
        w->reply = hq_reply_refuse(req, HQ_E_INTERNAL, "out of memory: nothing was changed");
    return -1;
}
