#include "catalog.h"

#include <stdlib.h>
#include <string.h>

void hqc_catalog_init(hqc_catalog_t *cat)
{
    memset(cat, 0, sizeof *cat);
    cat->noshow_after = 2; /* the daemon's default, until a catalog says otherwise */
    cat->target_min = 10;
}

static void s_service_free(hqc_service_t *s)
{
    free(s->name);
    for (int i = 0; i < s->nmaterials; i++)
        free(s->materials[i]);
    free(s->materials);
    memset(s, 0, sizeof *s);
}

void hqc_catalog_clear(hqc_catalog_t *cat)
{
    for (int i = 0; i < cat->nservices; i++)
        s_service_free(&cat->services[i]);
    free(cat->services);
    hqc_catalog_init(cat);
}

/* Reads one service; 0 ok, -1 when it is malformed (skipped), -2 out of memory. */
static int s_service_load(hqc_service_t *s, const json_t *j)
{
    memset(s, 0, sizeof *s);
    json_t *no = json_object_get(j, "no");
    json_t *queue = json_object_get(j, "queue");
    json_t *name = json_object_get(j, "sub_item");
    json_t *materials = json_object_get(j, "materials");
    if (!json_is_integer(no) || json_integer_value(no) < 1 || !json_is_string(queue) ||
        strlen(json_string_value(queue)) != 1)
        return -1;
    if (!json_is_string(name))
        name = json_object_get(j, "main_item");
    s->no = (int)json_integer_value(no);
    s->queue = json_string_value(queue)[0];
    s->instant = json_is_true(json_object_get(j, "instant"));
    s->name = strdup(json_is_string(name) ? json_string_value(name) : "");
    if (!s->name)
        return -2;
    size_t n = json_is_array(materials) ? json_array_size(materials) : 0;
    if (n > 0) {
        s->materials = calloc(n, sizeof *s->materials);
        if (!s->materials) {
            s_service_free(s);
            return -2;
        }
    }
    for (size_t i = 0; i < n; i++) {
        json_t *m = json_array_get(materials, i);
        if (!json_is_string(m) || json_string_value(m)[0] == '\0')
            continue;
        s->materials[s->nmaterials] = strdup(json_string_value(m));
        if (!s->materials[s->nmaterials]) {
            s_service_free(s);
            return -2;
        }
        s->nmaterials++;
    }
    return 0;
}

int hqc_catalog_load(hqc_catalog_t *cat, const json_t *reply)
{
    json_t *services = json_object_get(reply, "services");
    if (!json_is_array(services))
        return -1;
    hqc_catalog_t fresh;
    hqc_catalog_init(&fresh);
    size_t n = json_array_size(services);
    fresh.services = calloc(n ? n : 1, sizeof *fresh.services);
    if (!fresh.services)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int rc = s_service_load(&fresh.services[fresh.nservices], json_array_get(services, i));
        if (rc == -2) {
            hqc_catalog_clear(&fresh);
            return -1;
        }
        if (rc == 0)
            fresh.nservices++;
    }
    json_t *rules = json_object_get(reply, "rules");
    json_t *noshow = json_object_get(rules, "noshow_after_calls");
    json_t *target = json_object_get(rules, "handling_target_min");
    if (json_is_integer(noshow) && json_integer_value(noshow) >= 1 &&
        json_integer_value(noshow) <= 100)
        fresh.noshow_after = (int)json_integer_value(noshow);
    if (json_is_integer(target) && json_integer_value(target) >= 1 &&
        json_integer_value(target) <= 24 * 60)
        fresh.target_min = (int)json_integer_value(target);
    const char *tz = json_string_value(json_object_get(json_object_get(reply, "hall"), "timezone"));
    if (tz && strlen(tz) < sizeof fresh.timezone)
        strcpy(fresh.timezone, tz);
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
