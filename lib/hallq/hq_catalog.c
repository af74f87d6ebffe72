/* The catalog reply, decoded once for every client (the clerk terminal, the kiosk, the
 * simulator). The daemon builds it from a checked configuration, so a malformed part means
 * a daemon of another version or a fault on the way: one bad entry is left out and counted,
 * and each client decides whether what is left is enough to work with. */
#include "hq_codec_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Rules as the daemon has them when its configuration says nothing. */
void hq_rules_default(hq_rules_t *rules)
{
    rules->elderly_age = 60;
    rules->green_max_in_row = 3;
    rules->normal_max_wait_min = 30;
    rules->handling_target_min = 10;
    rules->noshow_after_calls = 2;
    rules->heartbeat_ms = 1000;
}

/* The first problem is the one the caller hears of; the rest are counted. */
static void s_skip(hq_catalog_t *cat, hq_error_t *err, const char *what, size_t index)
{
    if (cat->nskipped++ == 0)
        hq_codec_error(err, HQ_E_BAD_FIELD, "catalog %s %zu is malformed and was left out", what,
                       index + 1);
}

static const char *s_text(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

/* Reads one upper-case letter; -1 when it is anything else. */
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

/* The valid range of each rule is the configuration's (lib/hallq/config.c). */
static void s_rules(hq_catalog_t *cat, const json_t *rules, hq_error_t *err)
{
    static const struct {
        const char *key;
        size_t offset;
        int lo, hi;
    } known[] = {
#define S_RULE(field, lo, hi) {#field, offsetof(hq_rules_t, field), lo, hi},
        HQ_RULES(S_RULE)
#undef S_RULE
    };
    hq_rules_default(&cat->rules);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        const json_t *v = json_object_get(rules, known[i].key);
        if (!v)
            continue;
        if (!json_is_integer(v) || json_integer_value(v) < known[i].lo ||
            json_integer_value(v) > known[i].hi) {
            if (cat->nskipped++ == 0)
                hq_codec_error(err, HQ_E_BAD_FIELD,
                               "catalog rule %s is not a number from %d to %d; default kept",
                               known[i].key, known[i].lo, known[i].hi);
            continue;
        }
        *(int *)((char *)&cat->rules + known[i].offset) = (int)json_integer_value(v);
    }
}

/* 0 ok, -1 malformed (left out), -2 out of memory. */
static int s_service(hq_catalog_service_t *s, const json_t *j)
{
    const json_t *no = json_object_get(j, "no");
    if (!json_is_integer(no) || json_integer_value(no) < 1 || json_integer_value(no) > 9999 ||
        s_letter(j, "queue", &s->queue) != 0)
        return -1;
    s->no = (int)json_integer_value(no);
    s->instant = json_is_true(json_object_get(j, "instant"));
    s->main_item = s_text(j, "main_item");
    s->sub_item = s_text(j, "sub_item");
    s->name = s->sub_item[0] ? s->sub_item : s->main_item;
    s->time_limit = s_text(j, "time_limit");
    s->mode = s_text(j, "mode");
    s->steps = s_text(j, "steps");
    const json_t *mats = json_object_get(j, "materials");
    size_t n = json_is_array(mats) ? json_array_size(mats) : 0;
    s->materials = calloc(n + 1, sizeof *s->materials);
    if (!s->materials)
        return -2;
    for (size_t i = 0; i < n; i++) {
        const json_t *m = json_array_get(mats, i);
        if (json_is_string(m) && json_string_length(m) > 0)
            s->materials[s->nmaterials++] = json_string_value(m);
    }
    return 0;
}

double hq_reply_sim_speed(const json_t *reply)
{
    if (!json_is_true(json_object_get(reply, "simulated")))
        return 0;
    double speed = json_number_value(json_object_get(reply, "speed"));
    return speed > 0 ? speed : 1;
}

static int s_decode(const json_t *reply, hq_catalog_t *cat, hq_error_t *err)
{
    const json_t *hall = json_object_get(reply, "hall");
    const json_t *rules = json_object_get(reply, "rules");
    if ((hall && !json_is_object(hall)) || (rules && !json_is_object(rules))) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "catalog hall and rules must be objects");
        return HQ_MALFORMED;
    }
    /* A list may be missing (it is then empty), not be something else. */
    const json_t *queues = json_object_get(reply, "queues");
    const json_t *services = json_object_get(reply, "services");
    const json_t *counters = json_object_get(reply, "counters");
    if ((queues && !json_is_array(queues)) || (services && !json_is_array(services)) ||
        (counters && !json_is_array(counters))) {
        hq_codec_error(err, HQ_E_BAD_FIELD, "catalog queues, services and counters must be lists");
        return HQ_MALFORMED;
    }
    cat->hall_name = s_text(hall, "name");
    cat->notice = s_text(hall, "notice");
    cat->footer = s_text(hall, "ticket_footer");
    cat->timezone = s_text(hall, "timezone");
    cat->sim_speed = hq_reply_sim_speed(reply);
    s_rules(cat, rules, err);
    size_t nq = json_array_size(queues), ns = json_array_size(services);
    size_t nc = json_array_size(counters);
    cat->queues = calloc(nq + 1, sizeof *cat->queues);
    cat->services = calloc(ns + 1, sizeof *cat->services);
    cat->counters = calloc(nc + 1, sizeof *cat->counters);
    if (!cat->queues || !cat->services || !cat->counters) {
        hq_codec_error(err, HQ_E_INTERNAL, "out of memory");
        return HQ_ERR;
    }
    for (size_t i = 0; i < nq; i++) {
        const json_t *q = json_array_get(queues, i);
        hq_catalog_queue_t *cq = &cat->queues[cat->nqueues];
        if (s_letter(q, "prefix", &cq->prefix) != 0) {
            s_skip(cat, err, "queue", i);
            continue;
        }
        cq->name = s_text(q, "name");
        cq->instant = json_is_true(json_object_get(q, "instant"));
        cat->nqueues++;
    }
    for (size_t i = 0; i < ns; i++) {
        int rc = s_service(&cat->services[cat->nservices], json_array_get(services, i));
        if (rc == -2) {
            hq_codec_error(err, HQ_E_INTERNAL, "out of memory");
            return HQ_ERR;
        }
        if (rc == 0)
            cat->nservices++;
        else
            s_skip(cat, err, "service", i);
    }
    for (size_t i = 0; i < nc; i++) {
        const json_t *c = json_array_get(counters, i);
        const json_t *id = json_object_get(c, "id");
        hq_catalog_counter_t *cc = &cat->counters[cat->ncounters];
        if (!json_is_integer(id) || json_integer_value(id) < 1 || json_integer_value(id) > 999 ||
            hq_strlcpy(cc->queues, s_text(c, "queues"), sizeof cc->queues) != 0) {
            s_skip(cat, err, "counter", i);
            continue;
        }
        cc->id = (int)json_integer_value(id);
        cat->ncounters++;
    }
    return HQ_OK;
}

int hq_catalog_decode(const json_t *reply, hq_catalog_t *cat, hq_error_t *err)
{
    memset(cat, 0, sizeof *cat);
    hq_rules_default(&cat->rules);
    if (err) {
        err->code = HQ_E_NONE;
        err->message[0] = '\0';
    }
    if (!json_is_object(reply)) {
        hq_codec_error(err, HQ_E_MALFORMED, "catalog reply is not an object");
        return HQ_MALFORMED;
    }
    cat->root = json_incref((json_t *)reply);
    int rc = s_decode(reply, cat, err);
    if (rc != HQ_OK)
        hq_catalog_clear(cat);
    return rc;
}

void hq_catalog_clear(hq_catalog_t *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; cat->services && i < cat->nservices; i++)
        free(cat->services[i].materials);
    free(cat->services);
    free(cat->queues);
    free(cat->counters);
    json_decref(cat->root);
    memset(cat, 0, sizeof *cat);
    hq_rules_default(&cat->rules);
}

const hq_catalog_queue_t *hq_catalog_queue(const hq_catalog_t *cat, char prefix)
{
    for (size_t i = 0; i < cat->nqueues; i++)
        if (cat->queues[i].prefix == prefix)
            return &cat->queues[i];
    return NULL;
}

const hq_catalog_service_t *hq_catalog_service(const hq_catalog_t *cat, int no)
{
    for (size_t i = 0; i < cat->nservices; i++)
        if (cat->services[i].no == no)
            return &cat->services[i];
    return NULL;
}
