#include "catalog.h"

#include <stdlib.h>
#include <string.h>

void hqc_catalog_init(hqc_catalog_t *cat)
{
    memset(cat, 0, sizeof *cat);
    hq_rules_default(&cat->decoded.rules);
    /* The daemon's defaults, until a catalog says otherwise. */
    cat->noshow_after = cat->decoded.rules.noshow_after_calls;
    cat->target_min = cat->decoded.rules.handling_target_min;
    cat->green_max = cat->decoded.rules.green_max_in_row;
}

void hqc_catalog_clear(hqc_catalog_t *cat)
{
    free(cat->services);
    hq_catalog_clear(&cat->decoded);
    hqc_catalog_init(cat);
}

int hqc_catalog_load(hqc_catalog_t *cat, const json_t *reply)
{
    hqc_catalog_t fresh;
    hqc_catalog_init(&fresh);
    hq_error_t err;
    if (hq_catalog_decode(reply, &fresh.decoded, &err) != HQ_OK)
        return -1;
    const hq_catalog_t *d = &fresh.decoded;
    fresh.services = calloc(d->nservices + 1, sizeof *fresh.services);
    if (!fresh.services) {
        hqc_catalog_clear(&fresh);
        return -1;
    }
    for (size_t i = 0; i < d->nservices; i++) {
        const hq_catalog_service_t *s = &d->services[i];
        fresh.services[i] = (hqc_service_t){.no = s->no,
                                            .queue = s->queue,
                                            .instant = s->instant,
                                            .name = s->name,
                                            .time_limit = s->time_limit,
                                            .nmaterials = (int)s->nmaterials,
                                            .materials = s->materials};
    }
    fresh.nservices = (int)d->nservices;
    fresh.noshow_after = d->rules.noshow_after_calls;
    fresh.target_min = d->rules.handling_target_min;
    fresh.green_max = d->rules.green_max_in_row;
    if (strlen(d->timezone) < sizeof fresh.timezone)
        strcpy(fresh.timezone, d->timezone);
    fresh.roster = json_is_true(json_object_get(reply, "roster"));
    fresh.loaded = 1;
    hqc_catalog_clear(cat);
    *cat = fresh;
    return 0;
}

const hqc_service_t *hqc_catalog_service(const hqc_catalog_t *cat, int no)
{
    for (int i = 0; i < cat->nservices; i++)
        if (cat->services[i].no == no)
            return &cat->services[i];
    return NULL;
}

int hqc_catalog_instant(const hqc_catalog_t *cat, char queue, int service)
{
    const hqc_service_t *sv = service > 0 ? hqc_catalog_service(cat, service) : NULL;
    if (sv)
        return sv->instant;
    const hq_catalog_queue_t *q = cat->loaded ? hq_catalog_queue(&cat->decoded, queue) : NULL;
    return q ? q->instant : 1;
}
