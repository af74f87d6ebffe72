/* catalog: the daemon's "catalog" reply as the kiosk needs it (hall, elderly age rule,
 * queues, services with their materials, whether staff can sign in, the exit keys). Pure:
 * JSON in, read-only views out. */
#ifndef HQ_TICKET_CATALOG_H
#define HQ_TICKET_CATALOG_H

#include <jansson.h>
#include <stddef.h>

#include "hq_proto.h"

/* The codec's queue and service entries (hq_proto.h), as the kiosk's screens name them. */
typedef hq_catalog_queue_t catalog_queue_t;
typedef hq_catalog_service_t catalog_service_t;

typedef struct {
    hq_catalog_t decoded;  /* the reply as the codec's one catalog decoder read it */
    const char *hall_name; /* "" when the hall has none */
    const char *footer;    /* "" when none: the layout prints its default */
    const char *timezone;  /* IANA name such as Asia/Shanghai, "" unknown */
    int elderly_age;       /* green lane from this age on (rules.elderly_age) */
    catalog_queue_t *queue;
    size_t nqueues;
    catalog_service_t *service;
    size_t nservices;
    int roster;               /* the hall has a clerk roster: staff sign in with their PIN */
    const char *exit_keys;    /* the keys that leave the program ("ctrl-x ctrl-q"), "" none */
    const char *web_base_url; /* hallq-web's address for the ticket's QR, "" none */
} catalog_t;

/* Reads a catalog reply body (takes its own reference). 0 ok; -1 with a one-line reason
 * when a part is wrongly typed or malformed, or no queue is listed: a kiosk offers only a
 * catalog it can print in full. */
int catalog_from_json(json_t *reply, catalog_t *cat, char *why, size_t whylen);
void catalog_clear(catalog_t *cat);

const catalog_queue_t *catalog_queue(const catalog_t *cat, char prefix);
const catalog_service_t *catalog_service(const catalog_t *cat, int no);
/* Services of one queue as a citizen chooses them: fills out[] (up to max) and returns how
 * many there are. The catalog lists some items twice, once per administrative level (town,
 * village) under the same name; a citizen cannot tell those apart, so a name is offered
 * once, as its first (lowest-numbered) entry. */
size_t catalog_services_of(const catalog_t *cat, char prefix, const catalog_service_t **out,
                           size_t max);

#endif
