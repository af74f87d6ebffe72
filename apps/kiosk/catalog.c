/* catalog: see catalog.h. The decoding is the codec's (hq_catalog_decode); what is here is
 * the kiosk's judgement of the result and its choice lists. */
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void catalog_clear(catalog_t *cat)
{
    if (!cat)
        return;
    hq_catalog_clear(&cat->decoded);
    memset(cat, 0, sizeof *cat);
}

int catalog_from_json(json_t *reply, catalog_t *cat, char *why, size_t whylen)
{
    memset(cat, 0, sizeof *cat);
    hq_error_t err;
    if (hq_catalog_decode(reply, &cat->decoded, &err) != HQ_OK) {
        snprintf(why, whylen, "%s", err.message);
        return -1;
    }
    /* A half catalog would print tickets without their materials: refuse it as a whole. */
    if (cat->decoded.nskipped > 0) {
        snprintf(why, whylen, "%s", err.message);
        goto fail;
    }
    if (cat->decoded.nqueues == 0) {
        snprintf(why, whylen, "catalog lists no queues");
        goto fail;
    }
    cat->hall_name = cat->decoded.hall_name;
    cat->footer = cat->decoded.footer;
    cat->timezone = cat->decoded.timezone;
    cat->elderly_age = cat->decoded.rules.elderly_age;
    cat->queue = cat->decoded.queues;
    cat->nqueues = cat->decoded.nqueues;
    cat->service = cat->decoded.services;
    cat->nservices = cat->decoded.nservices;
    /* Staff mode and leaving the program: an older daemon says nothing of either. */
    cat->roster = json_is_true(json_object_get(cat->decoded.root, "roster"));
    const json_t *exit_keys =
        json_object_get(json_object_get(cat->decoded.root, "kiosk"), "exit_keys");
    cat->exit_keys = json_is_string(exit_keys) ? json_string_value(exit_keys) : "";
    const json_t *base_url = json_object_get(json_object_get(cat->decoded.root, "web"), "base_url");
    cat->web_base_url = json_is_string(base_url) ? json_string_value(base_url) : "";
    return 0;
fail:
    catalog_clear(cat);
    return -1;
}

const catalog_queue_t *catalog_queue(const catalog_t *cat, char prefix)
{
    return hq_catalog_queue(&cat->decoded, prefix);
}

const catalog_service_t *catalog_service(const catalog_t *cat, int no)
{
    return hq_catalog_service(&cat->decoded, no);
}

size_t catalog_services_of(const catalog_t *cat, char prefix, const catalog_service_t **out,
                           size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < cat->nservices; i++) {
        if (cat->service[i].queue != prefix)
            continue;
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = cat->service[k].queue == prefix &&
                   strcmp(cat->service[k].sub_item, cat->service[i].sub_item) == 0;
        if (seen)
            continue;
        if (n < max)
            out[n] = &cat->service[i];
        n++;
    }
    return n;
}
