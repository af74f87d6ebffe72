/* The hall's configuration: the embedded default and the reader of a file (config.h). Each
 * section's keys are config_keys.c's, the questions asked of a loaded one config_query.c's. */
#include "config_parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const char hallq_services_tsv[];
extern const size_t hallq_services_tsv_len;

static const struct {
    char prefix;
    const char *name;
} s_default_queues[] = {
    {'A', "参保登记与变更"}, {'B', "参保查询与参保凭证"}, {'C', "异地就医备案"},
    {'D', "门诊慢特病认定"}, {'E', "零星报销"},           {'F', "生育保险"},
    {'G', "照护保险"},
};

/* Queue "instant" follows its services: instant when every service of the level is. */
static void s_derive_queue_instant(hallq_config_t *cfg)
{
    for (int q = 0; q < cfg->nqueues; q++) {
        int any = 0, all = 1;
        for (int i = 0; i < cfg->nservices; i++) {
            const cfg_service_t *s = &cfg->services[i];
            if (s->queue != cfg->queues[q].prefix || !config_service_offered(cfg, s))
                continue;
            any = 1;
            all &= s->instant;
        }
        cfg->queues[q].instant = any && all;
    }
}

int config_default(hallq_config_t *cfg, char *why, size_t whylen)
{
    memset(cfg, 0, sizeof *cfg);
    hq_strlcpy(cfg->hall_name, "医保服务大厅", sizeof cfg->hall_name);
    hq_strlcpy(cfg->notice, "请按叫号顺序到窗口办理；老年人可走绿色通道，优先办理。",
               sizeof cfg->notice);
    hq_strlcpy(cfg->ticket_footer, "当日有效，过号请到服务台", sizeof cfg->ticket_footer);
    hq_strlcpy(cfg->timezone, "Asia/Shanghai", sizeof cfg->timezone);
    hq_strlcpy(cfg->level, "town", sizeof cfg->level);
    hq_strlcpy(cfg->request_endpoint, HQ_DEFAULT_REQUEST_ENDPOINT, sizeof cfg->request_endpoint);
    hq_strlcpy(cfg->event_endpoint, HQ_DEFAULT_EVENT_ENDPOINT, sizeof cfg->event_endpoint);
    hq_strlcpy(cfg->log_level, "info", sizeof cfg->log_level);
    cfg->elderly_age = 60;
    cfg->green_max_in_row = 3;
    cfg->normal_max_wait_min = 30;
    cfg->handling_target_min = 10;
    cfg->metric_interval_s = 600;
    cfg->noshow_after_calls = 2;
    cfg->heartbeat_ms = 1000;
    cfg->default_handling_min = 8;
    cfg->sync_full = 1;
    cfg->appointments = (cfg_appointments_t){7, 60, 1, 30, 15, 2};
    cfg->alerts = (cfg_alerts_t){30, 25, 30, 60, ""};
    /* A person needs several seconds a ticket, so a kiosk never reaches its budget; a clerk's
     * busiest minute is a few calls and finishes. Reads (the catalog at start, a snapshot
     * after a gap) count too. Managers are the IT officer's tools: unlimited. */
    cfg->limits[CFG_LIMIT_KIOSK] = (hq_rate_t){20, 10};
    cfg->limits[CFG_LIMIT_COUNTER] = (hq_rate_t){120, 30};
    cfg->limits[CFG_LIMIT_DISPLAY] = (hq_rate_t){10, 10};
    cfg->limits[CFG_LIMIT_MANAGER] = (hq_rate_t){0, 0};
    /* hallq-web asks for a ticket once per link opened (it keeps the answer) and a snapshot
     * when its copy of the hall needs one; it limits each citizen's address itself. */
    cfg->limits[CFG_LIMIT_WEB] = (hq_rate_t){1200, 200};
    cfg->limits[CFG_LIMIT_LOCAL] = (hq_rate_t){600, 100};
    for (size_t i = 0; i < sizeof s_default_queues / sizeof s_default_queues[0]; i++) {
        cfg_queue_t *q = &cfg->queues[cfg->nqueues++];
        q->prefix = s_default_queues[i].prefix;
        hq_strlcpy(q->name, s_default_queues[i].name, sizeof q->name);
    }
    for (int i = 1; i <= 4; i++) {
        cfg_counter_t *c = &cfg->counters[cfg->ncounters++];
        c->id = i;
        hq_strlcpy(c->queues, "ABCDEFG", sizeof c->queues);
    }
    char *text = malloc(hallq_services_tsv_len + 1);
    if (!text)
        return hq_fail(why, whylen, "out of memory");
    memcpy(text, hallq_services_tsv, hallq_services_tsv_len);
    text[hallq_services_tsv_len] = '\0';
    int rc = config_load_catalog(cfg, text, "embedded services.tsv", why, whylen);
    free(text);
    if (rc == 0)
        s_derive_queue_instant(cfg);
    return rc;
}

void config_free(hallq_config_t *cfg)
{
    free(cfg->services);
    cfg->services = NULL;
    cfg->nservices = 0;
}

/* ---- INI file ---------------------------------------------------------------------------- */
const char *const config_limit_names[CFG_LIMIT_COUNT_] = {"kiosk",   "counter", "display",
                                                          "manager", "web",     "local"};

static char *s_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

static int s_read_file(const char *path, char **out, size_t *outlen, char *why, size_t whylen)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return hq_fail(why, whylen, "%s: %s", path, strerror(errno));
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
        if (len + 1 == cap) {
            if (cap > 16 * 1024 * 1024) {
                free(buf);
                fclose(f);
                return hq_fail(why, whylen, "%s: file is larger than 16 MiB", path);
            }
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (!buf)
        return hq_fail(why, whylen, "%s: out of memory", path);
    if (failed) {
        free(buf);
        return hq_fail(why, whylen, "%s: read error", path);
    }
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return 0;
}

/* A comment may follow a value or a section header: ';' after a space or tab (so that
 * "a;b" stays a value), as the packaged file and the README write them. */
static char *s_strip_comment(char *s)
{
    for (char *c = strchr(s, ';'); c; c = strchr(c + 1, ';'))
        if (c > s && (c[-1] == ' ' || c[-1] == '\t')) {
            *c = '\0';
            break;
        }
    return s_trim(s);
}

/* Fills a [slots] section's defaults into *out: Monday to Friday, 30-minute slots of one
 * booking. -1 when it has no hours. */
static int s_slots_finish(const cfg_slots_t *in, cfg_slots_t *out)
{
    if (in->hours.n == 0)
        return -1;
    out->weekdays = in->weekdays ? in->weekdays : 0x1f;
    out->hours = in->hours;
    out->slot_min = in->slot_min ? in->slot_min : 30;
    out->capacity = in->capacity ? in->capacity : 1;
    return 0;
}

static int s_seen(cfg_seen_t *seen, int *nseen, const char *section, const char *key,
                  const char *name, int line, char *why, size_t whylen)
{
    for (int i = 0; i < *nseen; i++)
        if (strcmp(seen[i].section, section) == 0 && strcmp(seen[i].key, key) == 0)
            return hq_fail(why, whylen, "%s:%d: '%s' is set twice in [%s] (first on line %d)", name,
                           line, key, section, seen[i].line);
    if (*nseen < CFG_SEEN_MAX) {
        snprintf(seen[*nseen].section, sizeof seen[*nseen].section, "%s", section);
        snprintf(seen[*nseen].key, sizeof seen[*nseen].key, "%s", key);
        seen[(*nseen)++].line = line;
    }
    return 0;
}

/* An endpoint the daemon could not bind, or one beyond loopback in a file without keys. */
static int s_endpoints(const hallq_config_t *cfg, int request_line, int events_line,
                       const char *name, char *why, size_t whylen)
{
    const struct {
        const char *what, *endpoint;
        int line;
    } eps[] = {{"request", cfg->request_endpoint, request_line},
               {"events", cfg->event_endpoint, events_line}};
    for (size_t i = 0; i < 2; i++)
        if (eps[i].line && !cfg->keys_dir[0] && !config_endpoint_loopback(eps[i].endpoint))
            return hq_fail(why, whylen,
                           "%s:%d: %s endpoint %s is beyond loopback: hallqd refuses it "
                           "without [security] keys",
                           name, eps[i].line, eps[i].what, eps[i].endpoint);
    const char *port = strrchr(cfg->request_endpoint, ':');
    if ((request_line || events_line) && strcmp(cfg->request_endpoint, cfg->event_endpoint) == 0 &&
        !(port && strcmp(port, ":*") == 0))
        return hq_fail(why, whylen,
                       "%s:%d: events endpoint is the request endpoint: both cannot "
                       "bind one address",
                       name, events_line ? events_line : request_line);
    return 0;
}

/* A [section] line, s the text within the brackets and after. 0, or -1 with why. */
static int s_section(cfg_parser_t *ps, char *s)
{
    char *close = strchr(s, ']');
    if (!close || s_trim(close + 1)[0] != '\0') {
        hq_fail(ps->why, ps->whylen, "%s:%d: section header must look like [name]", ps->name,
                ps->line);
        return -1;
    }
    *close = '\0';
    char *sect = s_trim(s + 1);
    char arg[64] = "";
    char word[32] = "";
    sscanf(sect, "%31s %63s", word, arg);
    ps->queue = NULL;
    ps->counter = NULL;
    if (strcmp(sect, "hall") == 0)
        ps->sec = SEC_HALL;
    else if (strcmp(sect, "network") == 0)
        ps->sec = SEC_NETWORK;
    else if (strcmp(sect, "rules") == 0)
        ps->sec = SEC_RULES;
    else if (strcmp(sect, "security") == 0)
        ps->sec = SEC_SECURITY;
    else if (strcmp(sect, "log") == 0)
        ps->sec = SEC_LOG;
    else if (strcmp(sect, "limits") == 0)
        ps->sec = SEC_LIMITS;
    else if (strcmp(sect, "kiosk") == 0)
        ps->sec = SEC_KIOSK;
    else if (strcmp(sect, "calendar") == 0)
        ps->sec = SEC_CALENDAR;
    else if (strcmp(sect, "appointments") == 0)
        ps->sec = SEC_APPOINTMENTS;
    else if (strcmp(sect, "alerts") == 0)
        ps->sec = SEC_ALERTS;
    else if (strcmp(sect, "web") == 0)
        ps->sec = SEC_WEB;
    else if (strcmp(sect, "central") == 0)
        ps->sec = SEC_CENTRAL;
    else if (strcmp(word, "slots") == 0) {
        int no = 0;
        if (strlen(arg) == 1 && isupper((unsigned char)arg[0])) {
            ps->slots_queue = arg[0];
            ps->slots_line[arg[0] - 'A'] = ps->line;
            ps->sl = &ps->slots[arg[0] - 'A'];
        } else if (hq_parse_int(arg, 1, 99999, &no) == 0) {
            int k = 0;
            while (k < ps->nsvc_slots && ps->svc_slots[k].no != no)
                k++;
            if (k == CFG_SERVICE_SLOTS_MAX) {
                hq_fail(ps->why, ps->whylen, "%s:%d: more than %d [slots N] sections", ps->name,
                        ps->line, CFG_SERVICE_SLOTS_MAX);
                return -1;
            }
            if (k == ps->nsvc_slots) {
                memset(&ps->svc_slots[k], 0, sizeof ps->svc_slots[k]);
                ps->svc_slots[ps->nsvc_slots++].no = no;
            }
            ps->svc_slots[k].line = ps->line;
            ps->sl = &ps->svc_slots[k].slots;
        } else {
            hq_fail(ps->why, ps->whylen,
                    "%s:%d: slots section must be [slots X] with X a queue or a "
                    "service's catalog number",
                    ps->name, ps->line);
            return -1;
        }
        ps->slots_queue = no ? 0 : arg[0];
        ps->slots_no = no;
        ps->sec = SEC_SLOTS;
    } else if (strcmp(word, "queue") == 0) {
        if (strlen(arg) != 1 || !isupper((unsigned char)arg[0])) {
            hq_fail(ps->why, ps->whylen, "%s:%d: queue section must be [queue X] with X in A-Z",
                    ps->name, ps->line);
            return -1;
        }
        if (!ps->queues_replaced) {
            ps->next.nqueues = 0;
            ps->queues_replaced = 1;
        }
        for (int i = 0; i < ps->next.nqueues; i++)
            if (ps->next.queues[i].prefix == arg[0]) {
                hq_fail(ps->why, ps->whylen, "%s:%d: queue %c is defined twice", ps->name, ps->line,
                        arg[0]);
                return -1;
            }
        ps->queue = &ps->next.queues[ps->next.nqueues++];
        memset(ps->queue, 0, sizeof *ps->queue);
        ps->queue->prefix = arg[0];
        snprintf(ps->queue->name, sizeof ps->queue->name, "%c", arg[0]);
        ps->sec = SEC_QUEUE;
    } else if (strcmp(word, "counter") == 0) {
        int id;
        if (hq_parse_int(arg, 1, 999, &id) != 0) {
            hq_fail(ps->why, ps->whylen, "%s:%d: counter section must be [counter N], N 1-999",
                    ps->name, ps->line);
            return -1;
        }
        if (!ps->counters_replaced) {
            ps->next.ncounters = 0;
            ps->counters_replaced = 1;
        }
        for (int i = 0; i < ps->next.ncounters; i++)
            if (ps->next.counters[i].id == id) {
                hq_fail(ps->why, ps->whylen, "%s:%d: counter %d is defined twice", ps->name,
                        ps->line, id);
                return -1;
            }
        if (ps->next.ncounters == CFG_COUNTERS_MAX) {
            hq_fail(ps->why, ps->whylen, "%s:%d: more than %d counters", ps->name, ps->line,
                    CFG_COUNTERS_MAX);
            return -1;
        }
        ps->counter = &ps->next.counters[ps->next.ncounters++];
        memset(ps->counter, 0, sizeof *ps->counter);
        ps->counter->id = id;
        ps->counter->queues[0] = '\0'; /* s_finish_counters: all queues when none given */
        ps->sec = SEC_COUNTER;
    } else {
        hq_fail(ps->why, ps->whylen, "%s:%d: unknown section [%s]", ps->name, ps->line, sect);
        return -1;
    }
    if (ps->queue)
        snprintf(ps->section, sizeof ps->section, "queue %c", ps->queue->prefix);
    else if (ps->sec == SEC_SLOTS && ps->slots_queue)
        snprintf(ps->section, sizeof ps->section, "slots %c", ps->slots_queue);
    else if (ps->sec == SEC_SLOTS)
        snprintf(ps->section, sizeof ps->section, "slots %d", ps->slots_no);
    else if (ps->counter)
        snprintf(ps->section, sizeof ps->section, "counter %d", ps->counter->id);
    else
        snprintf(ps->section, sizeof ps->section, "%s", sect);
    return 0;
}

/* Once the file is read: the endpoints, the alerts' thresholds, the calendar and its holidays
 * file. */
static int s_finish_rules(cfg_parser_t *ps)
{
    if (s_endpoints(&ps->next, ps->request_line, ps->events_line, ps->name, ps->why, ps->whylen) !=
        0)
        return -1;
    /* Without its own line the clear threshold stays 5 minutes under the target. */
    if (ps->alerts_line && !ps->clear_given)
        ps->next.alerts.wait_clear_min =
            ps->next.alerts.wait_target_min > 5 ? ps->next.alerts.wait_target_min - 5 : 0;
    if (ps->alerts_line && ps->next.alerts.wait_clear_min >= ps->next.alerts.wait_target_min) {
        hq_fail(ps->why, ps->whylen,
                "%s:%d: [alerts] wait_clear_min (%d) must be below wait_target_min (%d): an alert "
                "that clears where it is raised would flap",
                ps->name, ps->alerts_line, ps->next.alerts.wait_clear_min,
                ps->next.alerts.wait_target_min);
        return -1;
    }
    if (ps->calendar_line && !ps->hours_line) {
        hq_fail(ps->why, ps->whylen,
                "%s:%d: [calendar] needs an hours line, the opening hours of Monday to Friday "
                "(hours = 08:30-12:00, 13:30-17:30)",
                ps->name, ps->calendar_line);
        return -1;
    }
    if (ps->calendar_line && ps->next.calendar.workday.n == 0) {
        hq_fail(ps->why, ps->whylen,
                "%s:%d: hours cannot be closed: a make-up working day opens by them", ps->name,
                ps->hours_line);
        return -1;
    }
    if (ps->holidays_line) {
        char *bytes, *dated;
        size_t nbytes, ndated;
        char inner[CFG_TEXT_MAX + 64];
        if (s_read_file(ps->next.holidays_path, &bytes, &nbytes, inner, sizeof inner) != 0) {
            hq_fail(ps->why, ps->whylen, "%s:%d: holidays %s", ps->name, ps->holidays_line, inner);
            return -1;
        }
        int rc = config_source_text(bytes, nbytes, ps->next.holidays_path, &dated, &ndated, ps->why,
                                    ps->whylen);
        free(bytes);
        if (rc == 0) {
            rc = cal_dates_parse(&ps->next.calendar, dated, ps->next.holidays_path, ps->why,
                                 ps->whylen);
            free(dated);
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* Once the file is read: each queue's bookable hours, quota and reserves, and the catalog. */
static int s_finish_queues(cfg_parser_t *ps)
{
    for (int i = 0; i < HQ_QUEUES_MAX; i++) {
        if (!ps->slots_line[i])
            continue;
        cfg_queue_t *q = (cfg_queue_t *)config_queue(&ps->next, (char)('A' + i));
        if (!q) {
            hq_fail(ps->why, ps->whylen, "%s:%d: [slots %c] names no queue of this hall", ps->name,
                    ps->slots_line[i], 'A' + i);
            return -1;
        }
        if (s_slots_finish(&ps->slots[i], &q->slots) != 0) {
            hq_fail(ps->why, ps->whylen, "%s:%d: [slots %c] needs hours (hours = 09:00-11:30)",
                    ps->name, ps->slots_line[i], q->prefix);
            return -1;
        }
    }
    for (int i = 0; i < ps->next.nqueues; i++) {
        const cfg_queue_t *q = &ps->next.queues[i];
        if ((q->green_reserve || q->appointment_reserve) && !q->quota) {
            hq_fail(ps->why, ps->whylen, "%s:%d: queue %c: a reserve needs a quota", ps->name,
                    ps->quota_line[i], q->prefix);
            return -1;
        }
        if (q->quota && q->green_reserve + q->appointment_reserve >= q->quota) {
            hq_fail(ps->why, ps->whylen,
                    "%s:%d: queue %c: green_reserve %d and appointment_reserve %d leave nothing "
                    "of the quota %d to other tickets",
                    ps->name, ps->quota_line[i], q->prefix, q->green_reserve,
                    q->appointment_reserve, q->quota);
            return -1;
        }
    }
    if (ps->catalog_path[0]) {
        char *bytes, *tsv;
        size_t nbytes, ntsv;
        char inner[CFG_TEXT_MAX + 64];
        if (s_read_file(ps->catalog_path, &bytes, &nbytes, inner, sizeof inner) != 0) {
            hq_fail(ps->why, ps->whylen, "%s:%d: catalog %s", ps->name, ps->catalog_line, inner);
            return -1;
        }
        int rc =
            config_source_text(bytes, nbytes, ps->catalog_path, &tsv, &ntsv, ps->why, ps->whylen);
        free(bytes);
        if (rc == 0) {
            rc = config_load_catalog(&ps->next, tsv, ps->catalog_path, ps->why, ps->whylen);
            free(tsv);
        }
        if (rc != 0)
            return -1;
    }
    /* [slots N] once the catalog is known: N must be a service this hall offers. */
    for (int k = 0; k < ps->nsvc_slots; k++) {
        cfg_service_t *svc = (cfg_service_t *)config_service(&ps->next, ps->svc_slots[k].no);
        if (!svc) {
            hq_fail(ps->why, ps->whylen, "%s:%d: [slots %d] names no service this hall offers",
                    ps->name, ps->svc_slots[k].line, ps->svc_slots[k].no);
            return -1;
        }
        if (s_slots_finish(&ps->svc_slots[k].slots, &svc->slots) != 0) {
            hq_fail(ps->why, ps->whylen, "%s:%d: [slots %d] needs hours (hours = 09:00-11:30)",
                    ps->name, ps->svc_slots[k].line, svc->no);
            return -1;
        }
    }
    for (int i = 0; i < ps->next.nqueues; i++) {
        const cfg_queue_t *q = &ps->next.queues[i];
        if (q->appointment_reserve && !config_queue_bookable(&ps->next, q)) {
            hq_fail(ps->why, ps->whylen,
                    "%s:%d: queue %c: appointment_reserve needs [slots %c] or [slots N] for "
                    "one of its services",
                    ps->name, ps->quota_line[i], q->prefix, q->prefix);
            return -1;
        }
    }
    return 0;
}

/* Once the file is read: the queues each counter serves, all of them when it names none. */
static int s_finish_counters(cfg_parser_t *ps)
{
    /* Counters with no queues given serve every queue (also the default counters when the
     * file redefines the queues); every queue a counter names must exist. */
    for (int i = 0; i < ps->next.ncounters; i++) {
        cfg_counter_t *c = &ps->next.counters[i];
        if (!c->queues[0] || (ps->queues_replaced && !ps->counters_replaced)) {
            for (int q = 0; q < ps->next.nqueues; q++)
                c->queues[q] = ps->next.queues[q].prefix;
            c->queues[ps->next.nqueues] = '\0';
        }
        for (const char *q = c->queues; *q; q++)
            if (!config_queue(&ps->next, *q)) {
                char defined[HQ_QUEUES_MAX + 1];
                for (int k = 0; k < ps->next.nqueues; k++)
                    defined[k] = ps->next.queues[k].prefix;
                defined[ps->next.nqueues] = '\0';
                hq_fail(ps->why, ps->whylen,
                        "%s:%d: counter %d serves queue %c, which is not defined (the hall's "
                        "queues are %s)",
                        ps->name, ps->queues_line[i], c->id, *q, defined);
                return -1;
            }
    }
    if (ps->next.nqueues == 0 || ps->next.ncounters == 0) {
        hq_fail(ps->why, ps->whylen, "%s: at least one queue and one counter are needed", ps->name);
        return -1;
    }
    return 0;
}

static int s_parse(hallq_config_t *cfg, const char *text, const char *name, char *why,
                   size_t whylen)
{
    /* Work on a copy so that a bad file leaves the configuration as it was. */
    cfg_parser_t *ps = calloc(1, sizeof *ps);
    if (!ps)
        return hq_fail(why, whylen, "out of memory");
    ps->next = *cfg;
    ps->next.services = NULL;
    ps->name = name;
    ps->why = why;
    ps->whylen = whylen;
    ps->sec = SEC_NONE;
    int rc = -1;
    if (cfg->nservices) {
        ps->next.services = malloc((size_t)cfg->nservices * sizeof *ps->next.services);
        if (!ps->next.services) {
            hq_fail(why, whylen, "out of memory");
            goto done;
        }
        memcpy(ps->next.services, cfg->services,
               (size_t)cfg->nservices * sizeof *ps->next.services);
    }
    const char *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        ps->line++;
        char buf[1024];
        if (len >= sizeof buf) {
            hq_fail(why, whylen, "%s:%d: line is longer than %zu bytes", name, ps->line,
                    sizeof buf - 1);
            goto done;
        }
        memcpy(buf, p, len);
        buf[len] = '\0';
        p = eol ? eol + 1 : p + len;
        char *s = s_trim(buf);
        if (*s == '\0' || *s == '#' || *s == ';')
            continue;
        s = s_strip_comment(s);
        if (*s == '[') {
            if (s_section(ps, s) != 0)
                goto done;
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            hq_fail(why, whylen, "%s:%d: expected 'key = value'", name, ps->line);
            goto done;
        }
        *eq = '\0';
        char *key = s_trim(s), *value = s_trim(eq + 1);
        int taken = cfg_parse_key(ps, key, value);
        if (taken < 0)
            goto done;
        if (taken > 0) {
            hq_fail(why, whylen, "%s:%d: unknown key '%s' in this section", name, ps->line, key);
            goto done;
        }
        if (s_seen(ps->seen, &ps->nseen, ps->section, key, name, ps->line, why, whylen) != 0)
            goto done;
    }
    if (s_finish_rules(ps) != 0 || s_finish_queues(ps) != 0 || s_finish_counters(ps) != 0)
        goto done;
    s_derive_queue_instant(&ps->next);
    free(cfg->services);
    *cfg = ps->next;
    ps->next.services = NULL;
    rc = 0;
done:
    free(ps->next.services);
    free(ps);
    return rc;
}

int config_load_buffer(hallq_config_t *cfg, const char *data, size_t len, const char *name,
                       char *why, size_t whylen)
{
    char *text;
    size_t textlen;
    if (config_source_text(data, len, name, &text, &textlen, why, whylen) != 0)
        return -1;
    int rc = s_parse(cfg, text, name, why, whylen);
    free(text);
    return rc;
}

int config_load_text(hallq_config_t *cfg, const char *text, const char *name, char *why,
                     size_t whylen)
{
    return config_load_buffer(cfg, text, strlen(text), name, why, whylen);
}

int config_load_file(hallq_config_t *cfg, const char *path, char *why, size_t whylen)
{
    char *data;
    size_t len;
    if (s_read_file(path, &data, &len, why, whylen) != 0)
        return -1;
    int rc = config_load_buffer(cfg, data, len, path, why, whylen);
    free(data);
    return rc;
}
