/* The hall on the wire: the JSON of replies, event bodies, the snapshot, the catalog and the
 * metric log's rows (lib/hallq/PROTOCOL.md), written from a typed hall result and the hall as
 * the action left it. The one place hallqd builds them. */
#ifndef HALLQ_HALL_WIRE_H
#define HALLQ_HALL_WIRE_H

#include <jansson.h>

#include "hall.h"

/* The wire forms of one result. */
typedef struct {
    /* Set after hall_wire_init by a caller that sends the reply as text: an issue's reply
     * and event are then written as text directly (reply_text, heads), not as trees. */
    int as_text;
    json_t *reply;    /* the reply; NULL for a change no request asked for */
    char *reply_text; /* or the reply as text (reply NULL), reply_len bytes */
    size_t reply_len;
    char label[HQ_LABEL_MAX];        /* with reply_text: the label of the ticket it shows */
    json_t *bodies[HALL_EVENTS_MAX]; /* each event's body, in the result's order */
    /* Or an event's text up to its number (bodies[i] NULL): head_len bytes of heads[i], which
     * hall_wire_number completes in place. */
    hq_jtext_t heads[HALL_EVENTS_MAX];
    size_t head_len[HALL_EVENTS_MAX];
    char *texts[HALL_EVENTS_MAX]; /* each event as logged and published, once numbered */
} hall_wire_t;

void hall_wire_init(hall_wire_t *w);
void hall_wire_clear(hall_wire_t *w);

/* Writes the reply to `req` (NULL: no reply) and the body of each of r's events, from r and
 * the hall as the action left it (call it before the next action). 0 done. -1 when memory
 * ran out for a change that was made: the reply is then the out-of-memory error (or NULL),
 * there are no bodies, and the caller must reload the hall (as for r->oom). */
int hall_wire_write(const hall_t *hall, const hq_request_t *req, const hall_result_t *r,
                    int64_t now_ms, hall_wire_t *w);
/* Gives event i its sequence number and time and writes its text, as the event log keeps it
 * and the event socket sends it. The text, or NULL when out of memory. */
const char *hall_wire_number(hall_wire_t *w, int i, int64_t seq, int64_t ts_ms);

/* For hall_wire_write (hall_wire_text.c): whether the result is an issue written as text
 * (t its ticket or NULL, with_counter whether it names a window), and the writing of it: 0
 * done, -1 out of memory. */
int hall_wire_issue_applies(const hq_request_t *req, const hall_result_t *r, const hq_ticket_t *t,
                            int with_counter);
int hall_wire_issue_text(const hall_t *hall, const hq_request_t *req, const hall_result_t *r,
                         const hq_ticket_t *t, hall_wire_t *w);

/* The snapshot reply's fields (PROTOCOL.md "Snapshot"), at now_ms. */
json_t *hall_wire_snapshot(const hall_t *hall, int64_t now_ms);
/* The catalog reply's fields. */
json_t *hall_wire_catalog(const hallq_config_t *cfg);
/* The metric log's rows now: [{scope, key, metric {count, avg_ms, within, max_ms}}], the hall
 * first (store_put_metric writes them). NULL when out of memory. */
json_t *hall_wire_metric_rows(const hall_t *hall);

#endif
