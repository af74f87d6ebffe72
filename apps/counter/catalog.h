/* catalog: what the clerk terminal needs from hallqd's "catalog" reply: each service's name
 * and required materials (一次性告知) and the rules that decide key legality
 * (calls before a no-show, the handling target) and the hall's time zone. Pure: JSON in, plain
 * values out. */
#ifndef HQC_CATALOG_H
#define HQC_CATALOG_H

#include <jansson.h>

typedef struct {
    int no;      /* catalog item number, as on the ticket */
    char queue;  /* queue it is handled in */
    int instant; /* instant item (即时办结): counts for the 10-minute figure */
    char *name;  /* sub item, e.g. 城乡居民参保登记 (owned) */
    int nmaterials;
    char **materials; /* required materials, one entry each (owned) */
} hqc_service_t;

typedef struct {
    int loaded;        /* a catalog reply was read */
    int noshow_after;  /* calls before a ticket may be marked no-show */
    int target_min;    /* handling target in minutes */
    char timezone[64]; /* the hall's time zone, e.g. Asia/Shanghai; "" when not given */
    int nservices;
    hqc_service_t *services; /* owned */
} hqc_catalog_t;

void hqc_catalog_init(hqc_catalog_t *cat);
void hqc_catalog_clear(hqc_catalog_t *cat);
/* Replaces the catalog with the one in a catalog reply body. 0 ok; -1 when the reply lacks
 * its services list (the old catalog is kept). Entries with wrongly typed fields are
 * skipped rather than failing the whole catalog: one bad service must not hide the rest. */
int hqc_catalog_load(hqc_catalog_t *cat, const json_t *reply);
const hqc_service_t *hqc_catalog_service(const hqc_catalog_t *cat, int no);

#endif
