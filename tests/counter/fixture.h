/* Test fixtures for the clerk terminal: a hall built from plain values and loaded into a
 * mirror the way hq_feed loads a snapshot, and the real catalog reply of the default
 * config (fixtures/catalog.json, captured from hallqd). */
#ifndef HQC_TEST_FIXTURE_H
#define HQC_TEST_FIXTURE_H

#include "catalog.h"
#include "hq_mirror.h"
#include "hq_text.h"
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FX_NOW 1795428000000LL /* wall clock of every fixture: 2026-11-23 */
#define FX_MONO 100000LL       /* monotonic clock of every fixture */
#define FX_MIN 60000LL

typedef struct {
    hq_ticket_t tickets[32];
    int ntickets;
    hq_counter_t counters[4];
    int metric_count; /* counter 3's figures in the snapshot */
    int64_t metric_avg_ms;
    int metric_within;
    int64_t metric_max_ms;
} fx_hall_t;

static inline json_t *fx_catalog(void)
{
    json_error_t err;
    json_t *cat = json_load_file(COUNTER_FIXTURES "/catalog.json", 0, &err);
    if (!cat) {
        fprintf(stderr, "cannot read %s: %s\n", COUNTER_FIXTURES "/catalog.json", err.text);
        abort();
    }
    return cat;
}

/* Four windows serving A-G; window 3 open and idle for clerk "wang". */
static inline void fx_hall_init(fx_hall_t *h)
{
    memset(h, 0, sizeof *h);
    for (int i = 0; i < 4; i++) {
        hq_counter_t *c = &h->counters[i];
        c->id = i + 1;
        hq_strlcpy(c->queues, "ABCDEFG", sizeof c->queues);
        c->state = HQ_C_CLOSED;
    }
    hq_counter_t *c3 = &h->counters[2];
    c3->state = HQ_C_IDLE;
    hq_strlcpy(c3->clerk, "wang", sizeof c3->clerk);
    c3->since_ms = FX_NOW - 5 * FX_MIN;
}

static inline hq_counter_t *fx_window(fx_hall_t *h)
{
    return &h->counters[2];
}

/* A ticket issued 15 minutes before FX_NOW (later ones a second apart), waiting. */
static inline hq_ticket_t *fx_add(fx_hall_t *h, const char *label, int service, int green)
{
    hq_ticket_t *t = &h->tickets[h->ntickets++];
    memset(t, 0, sizeof *t);
    hq_label_parse(label, &t->prefix, &t->number);
    hq_label_format(t->prefix, t->number, t->label, sizeof t->label);
    t->id = h->ntickets;
    hq_strlcpy(t->day, "2026-11-23", sizeof t->day);
    t->queue = t->prefix;
    t->service = service;
    t->green = green;
    t->state = HQ_T_WAITING;
    t->issued_ms = FX_NOW - 15 * FX_MIN + h->ntickets * 1000;
    return t;
}

/* Puts the ticket at window 3: called `ago_ms` before FX_NOW, started too when serving. */
static inline void fx_at_window(fx_hall_t *h, hq_ticket_t *t, hq_ticket_state_t st, int64_t ago_ms)
{
    hq_counter_t *c = fx_window(h);
    t->state = st;
    t->counter = 3;
    t->calls = 1;
    t->called_ms = t->last_called_ms = FX_NOW - ago_ms;
    if (st == HQ_T_SERVING)
        t->started_ms = FX_NOW - ago_ms;
    hq_strlcpy(t->clerk, "wang", sizeof t->clerk);
    hq_strlcpy(t->reason, t->green ? "green lane" : "oldest", sizeof t->reason);
    t->reason_code = t->green ? HQ_REASON_GREEN_LANE : HQ_REASON_OLDEST;
    c->current = t->id;
    hq_strlcpy(c->current_label, t->label, sizeof c->current_label);
    c->state = st == HQ_T_SERVING ? HQ_C_SERVING : HQ_C_CALLING;
    c->since_ms = FX_NOW - ago_ms;
}

static inline void fx_park(hq_ticket_t *t, int64_t ago_ms)
{
    t->state = HQ_T_PARKED;
    t->parked_ms = FX_NOW - ago_ms;
    t->called_ms = t->last_called_ms = t->started_ms = FX_NOW - ago_ms - FX_MIN;
    t->counter = 3;
}

static inline json_t *fx_snapshot(const fx_hall_t *h)
{
    json_t *cat = fx_catalog();
    json_t *snap = json_object();
    json_object_set_new(snap, "seq", json_integer(10));
    json_object_set_new(snap, "day", json_string("2026-11-23"));
    json_object_set_new(snap, "ts_ms", json_integer(FX_NOW));
    json_object_set_new(snap, "heartbeat_ms", json_integer(1000));
    json_object_set_new(snap, "target_ms", json_integer(10 * FX_MIN));
    json_object_set_new(snap, "hall",
                        json_pack("{s:s, s:s}", "name", "医保服务大厅", "notice", ""));
    json_t *queues = json_array();
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(cat, "queues"), i, q)
    {
        const char *prefix = json_string_value(json_object_get(q, "prefix"));
        int waiting = 0, green = 0;
        for (int k = 0; k < h->ntickets; k++)
            if (h->tickets[k].state == HQ_T_WAITING && h->tickets[k].queue == prefix[0]) {
                waiting++;
                green += h->tickets[k].green;
            }
        json_array_append_new(queues, json_pack("{s:s, s:O, s:O, s:i, s:i, s:i}", "prefix", prefix,
                                                "name", json_object_get(q, "name"), "instant",
                                                json_object_get(q, "instant"), "waiting", waiting,
                                                "green", green, "issued_today", 0));
    }
    json_object_set_new(snap, "queues", queues);
    json_t *counters = json_array();
    for (int k = 0; k < 4; k++) {
        json_t *cj = hq_counter_to_json(&h->counters[k]);
        int mine = h->counters[k].id == 3;
        json_object_set_new(cj, "metric",
                            json_pack("{s:i, s:I, s:i, s:I}", "count", mine ? h->metric_count : 0,
                                      "avg_ms", (json_int_t)(mine ? h->metric_avg_ms : 0), "within",
                                      mine ? h->metric_within : 0, "max_ms",
                                      (json_int_t)(mine ? h->metric_max_ms : 0)));
        json_array_append_new(counters, cj);
    }
    json_object_set_new(snap, "counters", counters);
    json_t *tickets = json_array();
    for (int k = 0; k < h->ntickets; k++)
        json_array_append_new(tickets, hq_ticket_to_json(&h->tickets[k]));
    json_object_set_new(snap, "tickets", tickets);
    json_object_set_new(snap, "recent_calls", json_array());
    json_object_set_new(
        snap, "metric",
        json_pack("{s:i, s:i, s:i, s:i}", "count", 0, "avg_ms", 0, "within", 0, "max_ms", 0));
    json_object_set_new(snap, "avg_wait_ms", json_integer(0));
    json_decref(cat);
    return snap;
}

/* Loads the hall into a live mirror, as a snapshot reply would. */
static inline void fx_mirror(hq_mirror_t *m, const fx_hall_t *h)
{
    json_t *snap = fx_snapshot(h);
    hq_mirror_init(m, 3000);
    if (hq_mirror_load_snapshot(m, snap, FX_MONO) != HQ_OK) {
        fprintf(stderr, "fixture snapshot does not load\n");
        abort();
    }
    json_decref(snap);
}

/* A session at window 3 for clerk wang, logged in, with the real catalog. */
static inline void fx_session(hqc_session_t *s, ui_lang_t lang)
{
    hqc_session_init(s, 3, "wang", lang, "tcp://127.0.0.1:5570", 1500);
    s->logged_in = 1;
    s->state = HQC_S_MAIN;
    json_t *cat = fx_catalog();
    if (hqc_catalog_load(&s->catalog, cat) != 0)
        abort();
    json_decref(cat);
    s->catalog_wanted = 0;
    s->figures_wanted = 0;
    s->was_live = 1;
    s->live_wall_ms = FX_NOW;
}

#endif
