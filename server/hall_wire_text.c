/* An issue's reply and its event as text (hall_wire.h). They go out for every ticket printed:
 * with as_text they are written as text at once, the same bytes as hall_wire.c's trees
 * compacted (test_hall_wire compares the two), without the trees' hundred allocations and
 * frees. Then every event's number, as text or as a tree. */
#include "hall_wire.h"

#include "hall_int.h"

#include <stdlib.h>
#include <string.h>

int hall_wire_issue_applies(const hq_request_t *req, const hall_result_t *r, const hq_ticket_t *t,
                            int with_counter)
{
    if (!req || req->type != HQ_REQ_ISSUE || !t || with_counter)
        return 0;
    for (int i = 0; i < r->nevents; i++)
        if (r->events[i].type != HQ_EV_ISSUED)
            return 0;
    return 1;
}

static void s_depths_text(const hall_t *hall, hq_jtext_t *o)
{
    char prefix[2] = {0, 0};
    hq_jtext_lit(o, "[");
    for (int q = 0; q < hall->cfg->nqueues; q++) {
        prefix[0] = hall->cfg->queues[q].prefix;
        if (q)
            hq_jtext_lit(o, ",");
        hq_jtext_lit(o, "{\"queue\":");
        hq_jtext_str(o, prefix);
        hq_jtext_lit(o, ",\"waiting\":");
        hq_jtext_int(o, hall_waiting(hall, prefix[0], 0));
        hq_jtext_lit(o, ",\"green\":");
        hq_jtext_int(o, hall_waiting(hall, prefix[0], 1));
        hq_jtext_lit(o, "}");
    }
    hq_jtext_lit(o, "]");
}

/* The ticket, its place and its expected wait: the fields an issue's reply and event share. */
static void s_ticket_place_text(const hall_result_t *r, const hq_ticket_t *t, hq_jtext_t *o)
{
    hq_jtext_lit(o, "\"ticket\":");
    hq_ticket_write(o, t);
    hq_jtext_lit(o, ",\"ahead\":");
    hq_jtext_int(o, r->ahead);
    hq_jtext_lit(o, ",\"est_wait_ms\":");
    hq_jtext_int(o, r->est_wait_ms);
}

/* The issued event up to its number: hall_wire.c's event body for it, without the closing
 * brace. */
static void s_issued_text(const hall_t *hall, const hall_result_t *r, const hall_event_t *e,
                          const hq_ticket_t *t, hq_jtext_t *o)
{
    hq_jtext_lit(o, "{");
    s_ticket_place_text(r, t, o);
    if (e->counts) {
        hq_jtext_lit(o, ",\"depths\":");
        s_depths_text(hall, o);
        hq_jtext_lit(o, ",\"avg_wait_ms\":");
        hq_jtext_int(o, hall_avg_wait_ms(hall));
    }
}

/* The issue's reply: hq_reply_new's envelope, then hall_wire.c's reply fields for an issue. */
static void s_issue_reply_text(const hall_t *hall, const hq_request_t *req, const hall_result_t *r,
                               const hq_ticket_t *t, hq_jtext_t *o)
{
    const cfg_queue_t *q = config_queue(hall->cfg, t->prefix);
    const cfg_service_t *svc = t->service ? config_service(hall->cfg, t->service) : NULL;
    hq_jtext_lit(o, "{\"v\":");
    hq_jtext_int(o, HQ_PROTOCOL_VERSION);
    hq_jtext_lit(o, ",\"type\":");
    hq_jtext_str(o, hq_req_type_name(req->type));
    hq_jtext_lit(o, ",\"ok\":true");
    if (req->id[0]) {
        /* As hq_reply_new sets it: an integer when it came as one. */
        char *end;
        long long n = strtoll(req->id, &end, 10);
        hq_jtext_lit(o, ",\"id\":");
        if (req->id_integer && !*end)
            hq_jtext_int(o, n);
        else
            hq_jtext_str(o, req->id);
    }
    hq_jtext_lit(o, ",");
    s_ticket_place_text(r, t, o);
    hq_jtext_lit(o, ",\"queue_name\":");
    hq_jtext_str(o, q ? q->name : "");
    hq_jtext_lit(o, ",\"service_name\":");
    if (svc)
        hq_jtext_str(o, svc->sub_item);
    else
        hq_jtext_lit(o, "null");
    if (r->repeat)
        hq_jtext_lit(o, ",\"repeat\":true");
    if (hall->has_web_key) {
        char web[WEBTOKEN_TEXT_MAX];
        hall_web_token(hall, t, web, sizeof web);
        hq_jtext_lit(o, ",\"web_token\":");
        hq_jtext_str(o, web);
    }
    hq_jtext_lit(o, "}");
}

/* 0 done, -1 out of memory (w then holds nothing). */
int hall_wire_issue_text(const hall_t *hall, const hq_request_t *req, const hall_result_t *r,
                         const hq_ticket_t *t, hall_wire_t *w)
{
    for (int i = 0; i < r->nevents; i++) {
        s_issued_text(hall, r, &r->events[i], t, &w->heads[i]);
        w->head_len[i] = w->heads[i].len;
        if (w->heads[i].failed)
            return -1;
    }
    hq_jtext_t o = {0};
    s_issue_reply_text(hall, req, r, t, &o);
    if (!hq_jtext_end(&o)) {
        hq_jtext_free(&o);
        return -1;
    }
    w->reply_text = o.buf;
    w->reply_len = o.len;
    hq_strlcpy(w->label, t->label, sizeof w->label);
    return 0;
}

const char *hall_wire_number(hall_wire_t *w, int i, int64_t seq, int64_t ts_ms)
{
    if (w->heads[i].buf) {
        /* Numbered again (a batch written anew) replaces the number, as in a tree. */
        hq_jtext_t *o = &w->heads[i];
        o->len = w->head_len[i];
        hq_jtext_lit(o, ",\"seq\":");
        hq_jtext_int(o, seq);
        hq_jtext_lit(o, ",\"ts_ms\":");
        hq_jtext_int(o, ts_ms);
        hq_jtext_lit(o, "}");
        w->texts[i] = (char *)hq_jtext_end(o);
        return w->texts[i];
    }
    json_t *body = w->bodies[i];
    /* An event without its number would be logged and published as a gap. */
    if (!body || json_object_set_new(body, "seq", json_integer(seq)) != 0 ||
        json_object_set_new(body, "ts_ms", json_integer(ts_ms)) != 0)
        return NULL;
    /* Written once: the same text goes to the event log and, after the commit, out. */
    free(w->texts[i]);
    w->texts[i] = hq_json_compact(body, NULL);
    return w->texts[i];
}
