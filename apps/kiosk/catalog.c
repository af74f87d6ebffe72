/* catalog: see catalog.h. */
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rule the design states when a catalog does not carry one. */
#define S_DEFAULT_ELDERLY_AGE 60

static const char *s_str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

static int s_letter(const json_t *obj, const char *key, char *out)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_string(v) || json_string_length(v) != 1)
        return -1;
    char c = json_string_value(v)[0];
    if (c < 'A' || c > 'Z')
        return -1;
    *out = c;
    return 0;
}

void catalog_clear(catalog_t *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->nservices; i++)
        free(cat->service[i].materials);
    free(cat->service);
    free(cat->queue);
    json_decref(cat->root);
    memset(cat, 0, sizeof *cat);
}

int catalog_from_json(json_t *reply, catalog_t *cat, char *why, size_t whylen)
{
    memset(cat, 0, sizeof *cat);
    if (!json_is_object(reply)) {
        snprintf(why, whylen, "catalog reply is not an object");
        return -1;
    }
    cat->root = json_incref(reply);
    const json_t *hall = json_object_get(reply, "hall");
    cat->hall_name = s_str(hall, "name");
    cat->footer = s_str(hall, "ticket_footer");
    cat->timezone = s_str(hall, "timezone");
    const json_t *age = json_object_get(json_object_get(reply, "rules"), "elderly_age");
    cat->elderly_age = json_is_integer(age) ? (int)json_integer_value(age) : S_DEFAULT_ELDERLY_AGE;
    if (cat->elderly_age < 0 || cat->elderly_age > 150) {
        snprintf(why, whylen, "catalog rule elderly_age %d is out of range", cat->elderly_age);
        goto fail;
    }

    const json_t *queues = json_object_get(reply, "queues");
    if (!json_is_array(queues) || json_array_size(queues) == 0) {
        snprintf(why, whylen, "catalog lists no queues");
        goto fail;
    }
    cat->queue = calloc(json_array_size(queues), sizeof *cat->queue);
    if (!cat->queue) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    size_t i;
    json_t *q;
    json_array_foreach(queues, i, q)
    {
        catalog_queue_t *cq = &cat->queue[cat->nqueues];
        if (s_letter(q, "prefix", &cq->prefix) != 0) {
            snprintf(why, whylen, "catalog queue %zu has no prefix letter", i + 1);
            goto fail;
        }
        cq->name = s_str(q, "name");
        cat->nqueues++;
    }

    const json_t *services = json_object_get(reply, "services");
    if (services && !json_is_array(services)) {
        snprintf(why, whylen, "catalog services is not a list");
        goto fail;
    }
    if (json_array_size(services) > 0) {
        cat->service = calloc(json_array_size(services), sizeof *cat->service);
        if (!cat->service) {
            snprintf(why, whylen, "out of memory");
            goto fail;
        }
    }
    json_t *s;
    json_array_foreach(services, i, s)
    {
        catalog_service_t *cs = &cat->service[cat->nservices];
        const json_t *no = json_object_get(s, "no");
        if (!json_is_integer(no) || json_integer_value(no) < 1 ||
            s_letter(s, "queue", &cs->queue) != 0) {
            snprintf(why, whylen, "catalog service %zu has no number or queue", i + 1);
            goto fail;
        }
        cs->no = (int)json_integer_value(no);
        cs->main_item = s_str(s, "main_item");
        cs->sub_item = s_str(s, "sub_item");
        const json_t *mats = json_object_get(s, "materials");
        size_t n = json_is_array(mats) ? json_array_size(mats) : 0;
        cs->materials = calloc(n + 1, sizeof *cs->materials);
        if (!cs->materials) {
            snprintf(why, whylen, "out of memory");
            goto fail;
        }
        cat->nservices++;
        size_t k;
        json_t *m;
        json_array_foreach(mats, k, m)
        {
            if (json_is_string(m) && json_string_length(m) > 0)
                cs->materials[cs->nmaterials++] = json_string_value(m);
        }
    }
    return 0;
fail:
    catalog_clear(cat);
    return -1;
}

const catalog_queue_t *catalog_queue(const catalog_t *cat, char prefix)
{
    for (size_t i = 0; i < cat->nqueues; i++)
        if (cat->queue[i].prefix == prefix)
            return &cat->queue[i];
    return NULL;
}

const catalog_service_t *catalog_service(const catalog_t *cat, int no)
{
    for (size_t i = 0; i < cat->nservices; i++)
        if (cat->service[i].no == no)
            return &cat->service[i];
    return NULL;
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
