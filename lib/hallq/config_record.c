/* The configuration record (config_record.h): written by hallqd at start, read by the
 * statistics. One JSON shape both ways:
 *
 *   {"version": 1,
 *    "hall": {"name", "notice", "ticket_footer", "timezone", "level"},
 *    "rules": {"elderly_age", "green_max_in_row", "normal_max_wait_min",
 *              "handling_target_min", "metric_interval_s", "noshow_after_calls",
 *              "default_handling_min"},
 *    "queues": [{"prefix", "name", "instant"}],
 *    "counters": [{"id", "queues"}],
 *    "services": [{"no", "level", "mode", "queue", "main_item", "sub_item", "materials",
 *                  "time_limit", "instant", "steps"}]} */
#include "config_record.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The integer rules, by their names in the record and in [rules]. */
#define S_RULES(X)                                                                                 \
    X(elderly_age)                                                                                 \
    X(green_max_in_row)                                                                            \
    X(normal_max_wait_min)                                                                         \
    X(handling_target_min)                                                                         \
    X(metric_interval_s)                                                                           \
    X(noshow_after_calls)                                                                          \
    X(default_handling_min)

static json_t *s_letter(char c)
{
    char s[2] = {c, 0};
    return json_string(s);
}

static json_t *s_services(const hallq_config_t *cfg)
{
    json_t *list = json_array();
    for (int i = 0; list && i < cfg->nservices; i++) {
        const cfg_service_t *s = &cfg->services[i];
        json_t *j =
            json_pack("{s:i, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:b, s:s}", "no", s->no, "level",
                      s->level, "mode", s->mode, "queue", s_letter(s->queue), "main_item",
                      s->main_item, "sub_item", s->sub_item, "materials", s->materials,
                      "time_limit", s->time_limit, "instant", s->instant, "steps", s->steps);
        if (!j || json_array_append_new(list, j) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

char *config_record_text(const hallq_config_t *cfg)
{
    json_t *rules = json_object();
#define S_PUT_RULE(name) json_object_set_new(rules, #name, json_integer(cfg->name));
    if (rules) {
        S_RULES(S_PUT_RULE)
    }
#undef S_PUT_RULE
    json_t *queues = json_array(), *counters = json_array();
    for (int i = 0; queues && i < cfg->nqueues; i++)
        json_array_append_new(
            queues, json_pack("{s:o, s:s, s:b}", "prefix", s_letter(cfg->queues[i].prefix), "name",
                              cfg->queues[i].name, "instant", cfg->queues[i].instant));
    for (int i = 0; counters && i < cfg->ncounters; i++)
        json_array_append_new(counters, json_pack("{s:i, s:s}", "id", cfg->counters[i].id, "queues",
                                                  cfg->counters[i].queues));
    json_t *doc = json_pack("{s:i, s:{s:s, s:s, s:s, s:s, s:s}, s:o*, s:o*, s:o*, s:o*}", "version",
                            CONFIG_RECORD_VERSION, "hall", "name", cfg->hall_name, "notice",
                            cfg->notice, "ticket_footer", cfg->ticket_footer, "timezone",
                            cfg->timezone, "level", cfg->level, "rules", rules, "queues", queues,
                            "counters", counters, "services", s_services(cfg));
    /* An object or list that could not be made leaves its member out; a record without it
     * would read back as the default, so it is no record at all. */
    char *text = NULL;
    if (doc && json_object_size(doc) == 6)
        text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(doc);
    return text;
}

/* ---- reading ------------------------------------------------------------------------------ */

static void s_text(const json_t *obj, const char *key, char *dst, size_t n)
{
    const char *s = json_string_value(json_object_get(obj, key));
    if (s)
        hq_strlcpy(dst, s, n);
}

static char s_prefix(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s && s[0] >= 'A' && s[0] <= 'Z' && !s[1] ? s[0] : 0;
}

static int s_queues(hallq_config_t *cfg, const json_t *list, char *why, size_t whylen)
{
    if (!json_is_array(list))
        return 0;
    if (json_array_size(list) > HQ_QUEUES_MAX)
        return hq_fail(why, whylen, "the record names %zu queues (at most %d)",
                       json_array_size(list), HQ_QUEUES_MAX);
    cfg->nqueues = 0;
    size_t i;
    json_t *q;
    json_array_foreach(list, i, q)
    {
        cfg_queue_t *out = &cfg->queues[cfg->nqueues++];
        memset(out, 0, sizeof *out);
        out->prefix = s_prefix(q, "prefix");
        if (!out->prefix)
            return hq_fail(why, whylen, "queue %zu of the record has no letter A-Z", i + 1);
        s_text(q, "name", out->name, sizeof out->name);
        out->instant = json_is_true(json_object_get(q, "instant"));
    }
    return 0;
}

static int s_counters(hallq_config_t *cfg, const json_t *list, char *why, size_t whylen)
{
    if (!json_is_array(list))
        return 0;
    if (json_array_size(list) > CFG_COUNTERS_MAX)
        return hq_fail(why, whylen, "the record names %zu counters (at most %d)",
                       json_array_size(list), CFG_COUNTERS_MAX);
    cfg->ncounters = 0;
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c)
    {
        cfg_counter_t *out = &cfg->counters[cfg->ncounters++];
        memset(out, 0, sizeof *out);
        json_int_t id = json_integer_value(json_object_get(c, "id"));
        if (id < 1 || id > 999)
            return hq_fail(why, whylen, "counter %zu of the record has no number 1-999", i + 1);
        out->id = (int)id;
        s_text(c, "queues", out->queues, sizeof out->queues);
    }
    return 0;
}

static int s_read_services(hallq_config_t *cfg, const json_t *list, char *why, size_t whylen)
{
    if (!json_is_array(list))
        return 0;
    size_t n = json_array_size(list);
    cfg_service_t *services = n ? calloc(n, sizeof *services) : NULL;
    if (n && !services)
        return hq_fail(why, whylen, "out of memory");
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s)
    {
        cfg_service_t *out = &services[i];
        json_int_t no = json_integer_value(json_object_get(s, "no"));
        out->queue = s_prefix(s, "queue");
        if (no < 1 || no > 9999 || !out->queue) {
            free(services);
            return hq_fail(why, whylen, "service %zu of the record has no number 1-9999 or queue",
                           i + 1);
        }
        out->no = (int)no;
        s_text(s, "level", out->level, sizeof out->level);
        s_text(s, "mode", out->mode, sizeof out->mode);
        s_text(s, "main_item", out->main_item, sizeof out->main_item);
        s_text(s, "sub_item", out->sub_item, sizeof out->sub_item);
        s_text(s, "materials", out->materials, sizeof out->materials);
        s_text(s, "time_limit", out->time_limit, sizeof out->time_limit);
        out->instant = json_is_true(json_object_get(s, "instant"));
        s_text(s, "steps", out->steps, sizeof out->steps);
    }
    free(cfg->services);
    cfg->services = services;
    cfg->nservices = (int)n;
    return 0;
}

int config_record_read(hallq_config_t *cfg, const char *text, char *why, size_t whylen)
{
    if (config_default(cfg, why, whylen) != 0)
        return -1;
    json_error_t err;
    json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return hq_fail(why, whylen, "the configuration record is not a JSON object (%s)", err.text);
    }
    int rc = -1;
    json_int_t version = json_integer_value(json_object_get(doc, "version"));
    if (version < 1 || version > CONFIG_RECORD_VERSION) {
        hq_fail(why, whylen, "the configuration record has format %lld; this program reads 1 to %d",
                (long long)version, CONFIG_RECORD_VERSION);
        goto done;
    }
    const json_t *hall = json_object_get(doc, "hall");
    s_text(hall, "name", cfg->hall_name, sizeof cfg->hall_name);
    s_text(hall, "notice", cfg->notice, sizeof cfg->notice);
    s_text(hall, "ticket_footer", cfg->ticket_footer, sizeof cfg->ticket_footer);
    s_text(hall, "timezone", cfg->timezone, sizeof cfg->timezone);
    s_text(hall, "level", cfg->level, sizeof cfg->level);
    const json_t *rules = json_object_get(doc, "rules");
#define S_GET_RULE(name)                                                                           \
    if (json_is_integer(json_object_get(rules, #name)))                                            \
        cfg->name = (int)json_integer_value(json_object_get(rules, #name));
    S_RULES(S_GET_RULE)
#undef S_GET_RULE
    if (s_queues(cfg, json_object_get(doc, "queues"), why, whylen) != 0 ||
        s_counters(cfg, json_object_get(doc, "counters"), why, whylen) != 0 ||
        s_read_services(cfg, json_object_get(doc, "services"), why, whylen) != 0)
        goto done;
    rc = 0;
done:
    json_decref(doc);
    return rc;
}
