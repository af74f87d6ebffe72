/* catalog: what the clerk terminal needs from hallqd's "catalog" reply: each service's name,
 * required materials (一次性告知), time limit and whether it is an instant item (the ones the
 * handling target counts), the rules that decide key legality and wording (calls before a
 * no-show, the handling target, green calls in a row), the hall's windows and time zone and
 * whether a login needs the clerk's PIN. The reply is decoded by the codec's one catalog
 * decoder (hq_catalog_decode); this is the clerk's view of it. Pure: JSON in, plain values out. */
#ifndef HQC_CATALOG_H
#define HQC_CATALOG_H

#include <jansson.h>

#include "hq_proto.h"

typedef struct {
    int no;                 /* catalog item number, as on the ticket */
    char queue;             /* queue it is handled in */
    int instant;            /* instant item (即时办结): counts for the 10-minute figure */
    const char *name;       /* sub item, e.g. 城乡居民参保登记 (or the main item) */
    const char *time_limit; /* the promised time limit, e.g. 10个工作日; "" none */
    int nmaterials;
    const char *const *materials; /* required materials, one entry each */
} hqc_service_t;

typedef struct {
    int loaded;        /* a catalog reply was read */
    int noshow_after;  /* calls before a ticket may be marked no-show */
    int target_min;    /* handling target in minutes */
    int green_max;     /* green calls in a row before a normal ticket's turn */
    char timezone[64]; /* the hall's time zone, e.g. Asia/Shanghai; "" when not given */
    int roster;        /* the hall has a clerk roster: a login needs the clerk's PIN */
    int nservices;
    hqc_service_t *services; /* owned; the strings belong to decoded */
    hq_catalog_t decoded;    /* the reply as the codec read it */
} hqc_catalog_t;

void hqc_catalog_init(hqc_catalog_t *cat);
void hqc_catalog_clear(hqc_catalog_t *cat);
/* Replaces the catalog with the one in a catalog reply body. 0 ok; -1 when the reply is no
 * catalog (the old catalog is kept). Malformed services are left out rather than failing
 * the whole catalog: one bad service must not hide the rest. */
int hqc_catalog_load(hqc_catalog_t *cat, const json_t *reply);
const hqc_service_t *hqc_catalog_service(const hqc_catalog_t *cat, int no);
/* Whether a ticket of `queue` for `service` (0 none) is an instant item, the ones the
 * handling target counts, by the daemon's rule: the service's flag, else its queue's. 1 too
 * before a catalog is loaded or for a queue it does not list: the target is the default. */
int hqc_catalog_instant(const hqc_catalog_t *cat, char queue, int service);

#endif
