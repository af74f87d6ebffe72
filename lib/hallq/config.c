#include "config.h"

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

typedef enum {
    SEC_NONE,
    SEC_HALL,
    SEC_NETWORK,
    SEC_SECURITY,
    SEC_RULES,
    SEC_LOG,
    SEC_LIMITS,
    SEC_QUEUE,
    SEC_COUNTER,
    SEC_KIOSK,
    SEC_CALENDAR,
    SEC_APPOINTMENTS,
    SEC_SLOTS,
    SEC_ALERTS,
    SEC_WEB,
    SEC_CENTRAL
} sec_t;

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

static int s_set_int(const char *value, int lo, int hi, int *out, const char *name, int line,
                     const char *key, char *why, size_t whylen)
{
    if (hq_parse_int(value, lo, hi, out) != 0)
        return hq_fail(why, whylen, "%s:%d: %s must be a whole number from %d to %d", name, line,
                       key, lo, hi);
    return 0;
}

static int s_set_text(char *dst, size_t n, const char *value, const char *name, int line,
                      const char *key, char *why, size_t whylen)
{
    if (hq_strlcpy(dst, value, n) != 0)
        return hq_fail(why, whylen, "%s:%d: %s is longer than %zu bytes", name, line, key, n - 1);
    return 0;
}

static int s_set_endpoint(char *dst, size_t n, const char *value, const char *name, int line,
                          const char *key, char *why, size_t whylen)
{
    char reason[200];
    if (s_set_text(dst, n, value, name, line, key, why, whylen) != 0)
        return -1;
    if (config_endpoint_check(value, reason, sizeof reason) != 0)
        return hq_fail(why, whylen, "%s:%d: %s endpoint '%s' %s", name, line, key, value, reason);
    return 0;
}

int config_base_url_parse(const char *text, char *out, size_t outlen, char *why, size_t whylen)
{
    if (strncmp(text, "http://", 7) != 0 && strncmp(text, "https://", 8) != 0)
        return hq_fail(why, whylen,
                       "base_url must start with http:// or https:// (e.g. "
                       "http://192.168.1.10:8080, where phones reach hallq-web)");
    size_t len = strlen(text);
    while (len > 8 && text[len - 1] == '/')
        len--;
    for (size_t i = 0; i < len; i++)
        if (text[i] <= ' ' || text[i] > '~')
            return hq_fail(why, whylen, "base_url holds a space or a character beyond ASCII");
    if (len >= outlen || len + 1 > CFG_WEB_BASE_URL_MAX)
        return hq_fail(why, whylen, "base_url is longer than %d bytes", CFG_WEB_BASE_URL_MAX - 1);
    memcpy(out, text, len);
    out[len] = '\0';
    return 0;
}

int config_hall_id_ok(const char *text)
{
    size_t n = strlen(text);
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    if (n == 0 || n > CFG_HALL_ID_MAX || !strchr(alnum, text[0]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr(alnum, text[i]) && !strchr("_.-", text[i]))
            return 0;
    return 1;
}

int config_exit_keys_parse(const char *text, char *out, size_t outlen, char *why, size_t whylen)
{
    char buf[CFG_TEXT_MAX], normal[CFG_EXIT_KEYS_MAX] = "";
    int n = 0;
    if (hq_strlcpy(buf, text, sizeof buf) != 0)
        return hq_fail(why, whylen, "exit_keys is too long");
    for (char *save = NULL, *k = strtok_r(buf, " \t", &save); k; k = strtok_r(NULL, " \t", &save)) {
        char key[8];
        int f;
        size_t len = strlen(k);
        for (size_t i = 0; i < len; i++)
            k[i] = (char)tolower((unsigned char)k[i]);
        if (len == 6 && strncmp(k, "ctrl-", 5) == 0 && k[5] >= 'a' && k[5] <= 'z') {
            /* What a terminal sends for these is Backspace, Tab and Enter. */
            if (strchr("hijm", k[5]))
                return hq_fail(why, whylen,
                               "exit_keys: %s is Backspace, Tab or Enter on a terminal: choose "
                               "another",
                               k);
            snprintf(key, sizeof key, "ctrl-%c", k[5]);
        } else if (k[0] == 'f' && hq_parse_int(k + 1, 1, 12, &f) == 0) {
            snprintf(key, sizeof key, "F%d", f);
        } else {
            return hq_fail(why, whylen,
                           "exit_keys: '%.20s' is no key: write ctrl-A to ctrl-Z or F1 to F12, "
                           "separated by spaces (e.g. exit_keys = ctrl-x ctrl-q)",
                           k);
        }
        if (++n > CFG_EXIT_KEYS_COUNT_MAX)
            return hq_fail(why, whylen, "exit_keys: at most %d keys", CFG_EXIT_KEYS_COUNT_MAX);
        size_t used = strlen(normal);
        snprintf(normal + used, sizeof normal - used, "%s%s", used ? " " : "", key);
    }
    if (n < 2)
        return hq_fail(why, whylen,
                       "exit_keys: give 2 to %d keys (one key alone is too easily pressed by "
                       "chance)",
                       CFG_EXIT_KEYS_COUNT_MAX);
    if (hq_strlcpy(out, normal, outlen) != 0)
        return hq_fail(why, whylen, "exit_keys is too long");
    return 0;
}

static int s_valid_queues(const char *v)
{
    if (!*v || strlen(v) > HQ_QUEUES_MAX)
        return 0;
    for (const char *p = v; *p; p++)
        if (!isupper((unsigned char)*p) || strchr(p + 1, *p))
            return 0;
    return 1;
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

/* The keys set so far, by section ("hall", "queue A", "counter 3"): a key given twice would
 * leave one of the two lines unused without a word. Known keys only are kept, and a section
 * has at most one of each, so the list is bounded by the sections a file can have. */
typedef struct {
    char section[16];
    char key[24];
    int line;
} s_seen_t;

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

#define S_SEEN_MAX (30 + 4 * HQ_QUEUES_MAX + 4 * CFG_SERVICE_SLOTS_MAX + CFG_COUNTERS_MAX)

static int s_seen(s_seen_t *seen, int *nseen, const char *section, const char *key,
                  const char *name, int line, char *why, size_t whylen)
{
    for (int i = 0; i < *nseen; i++)
        if (strcmp(seen[i].section, section) == 0 && strcmp(seen[i].key, key) == 0)
            return hq_fail(why, whylen, "%s:%d: '%s' is set twice in [%s] (first on line %d)", name,
                           line, key, section, seen[i].line);
    if (*nseen < S_SEEN_MAX) {
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

static int s_parse(hallq_config_t *cfg, const char *text, const char *name, char *why,
                   size_t whylen)
{
    /* Work on a copy so that a bad file leaves the configuration as it was. */
    hallq_config_t next = *cfg;
    next.services = NULL;
    if (cfg->nservices) {
        next.services = malloc((size_t)cfg->nservices * sizeof *next.services);
        if (!next.services)
            return hq_fail(why, whylen, "out of memory");
        memcpy(next.services, cfg->services, (size_t)cfg->nservices * sizeof *next.services);
    }
    sec_t sec = SEC_NONE;
    int line = 0, queues_replaced = 0, counters_replaced = 0;
    cfg_queue_t *queue = NULL;
    cfg_counter_t *counter = NULL;
    char catalog_path[CFG_TEXT_MAX] = "";
    int catalog_line = 0, request_line = 0, events_line = 0;
    int calendar_line = 0, hours_line = 0, holidays_line = 0, alerts_line = 0, clear_given = 0;
    int quota_line[HQ_QUEUES_MAX] = {0}; /* where each queue's quota or reserve was given */
    /* [slots X]: kept aside until the queues are known, applied at the end */
    char slots_queue = 0; /* the section's queue, or ... */
    int slots_no = 0;     /* ... its service */
    int slots_line[HQ_QUEUES_MAX] = {0};
    cfg_slots_t slots[HQ_QUEUES_MAX], *sl = NULL;
    memset(slots, 0, sizeof slots);
    struct {
        int no, line;
        cfg_slots_t slots;
    } svc_slots[CFG_SERVICE_SLOTS_MAX];
    int nsvc_slots = 0;
    int queues_line[CFG_COUNTERS_MAX] = {0}; /* where each counter's queues were given */
    s_seen_t seen[S_SEEN_MAX];
    int nseen = 0;
    char section[16] = "";
    const char *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        line++;
        char buf[1024];
        if (len >= sizeof buf) {
            hq_fail(why, whylen, "%s:%d: line is longer than %zu bytes", name, line,
                    sizeof buf - 1);
            goto fail;
        }
        memcpy(buf, p, len);
        buf[len] = '\0';
        p = eol ? eol + 1 : p + len;
        char *s = s_trim(buf);
        if (*s == '\0' || *s == '#' || *s == ';')
            continue;
        s = s_strip_comment(s);
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || s_trim(close + 1)[0] != '\0') {
                hq_fail(why, whylen, "%s:%d: section header must look like [name]", name, line);
                goto fail;
            }
            *close = '\0';
            char *sect = s_trim(s + 1);
            char arg[64] = "";
            char word[32] = "";
            sscanf(sect, "%31s %63s", word, arg);
            queue = NULL;
            counter = NULL;
            if (strcmp(sect, "hall") == 0)
                sec = SEC_HALL;
            else if (strcmp(sect, "network") == 0)
                sec = SEC_NETWORK;
            else if (strcmp(sect, "rules") == 0)
                sec = SEC_RULES;
            else if (strcmp(sect, "security") == 0)
                sec = SEC_SECURITY;
            else if (strcmp(sect, "log") == 0)
                sec = SEC_LOG;
            else if (strcmp(sect, "limits") == 0)
                sec = SEC_LIMITS;
            else if (strcmp(sect, "kiosk") == 0)
                sec = SEC_KIOSK;
            else if (strcmp(sect, "calendar") == 0)
                sec = SEC_CALENDAR;
            else if (strcmp(sect, "appointments") == 0)
                sec = SEC_APPOINTMENTS;
            else if (strcmp(sect, "alerts") == 0)
                sec = SEC_ALERTS;
            else if (strcmp(sect, "web") == 0)
                sec = SEC_WEB;
            else if (strcmp(sect, "central") == 0)
                sec = SEC_CENTRAL;
            else if (strcmp(word, "slots") == 0) {
                int no = 0;
                if (strlen(arg) == 1 && isupper((unsigned char)arg[0])) {
                    slots_queue = arg[0];
                    slots_line[arg[0] - 'A'] = line;
                    sl = &slots[arg[0] - 'A'];
                } else if (hq_parse_int(arg, 1, 99999, &no) == 0) {
                    int k = 0;
                    while (k < nsvc_slots && svc_slots[k].no != no)
                        k++;
                    if (k == CFG_SERVICE_SLOTS_MAX) {
                        hq_fail(why, whylen, "%s:%d: more than %d [slots N] sections", name, line,
                                CFG_SERVICE_SLOTS_MAX);
                        goto fail;
                    }
                    if (k == nsvc_slots) {
                        memset(&svc_slots[k], 0, sizeof svc_slots[k]);
                        svc_slots[nsvc_slots++].no = no;
                    }
                    svc_slots[k].line = line;
                    sl = &svc_slots[k].slots;
                } else {
                    hq_fail(why, whylen,
                            "%s:%d: slots section must be [slots X] with X a queue or a "
                            "service's catalog number",
                            name, line);
                    goto fail;
                }
                slots_queue = no ? 0 : arg[0];
                slots_no = no;
                sec = SEC_SLOTS;
            } else if (strcmp(word, "queue") == 0) {
                if (strlen(arg) != 1 || !isupper((unsigned char)arg[0])) {
                    hq_fail(why, whylen, "%s:%d: queue section must be [queue X] with X in A-Z",
                            name, line);
                    goto fail;
                }
                if (!queues_replaced) {
                    next.nqueues = 0;
                    queues_replaced = 1;
                }
                for (int i = 0; i < next.nqueues; i++)
                    if (next.queues[i].prefix == arg[0]) {
                        hq_fail(why, whylen, "%s:%d: queue %c is defined twice", name, line,
                                arg[0]);
                        goto fail;
                    }
                queue = &next.queues[next.nqueues++];
                memset(queue, 0, sizeof *queue);
                queue->prefix = arg[0];
                snprintf(queue->name, sizeof queue->name, "%c", arg[0]);
                sec = SEC_QUEUE;
            } else if (strcmp(word, "counter") == 0) {
                int id;
                if (hq_parse_int(arg, 1, 999, &id) != 0) {
                    hq_fail(why, whylen, "%s:%d: counter section must be [counter N], N 1-999",
                            name, line);
                    goto fail;
                }
                if (!counters_replaced) {
                    next.ncounters = 0;
                    counters_replaced = 1;
                }
                for (int i = 0; i < next.ncounters; i++)
                    if (next.counters[i].id == id) {
                        hq_fail(why, whylen, "%s:%d: counter %d is defined twice", name, line, id);
                        goto fail;
                    }
                if (next.ncounters == CFG_COUNTERS_MAX) {
                    hq_fail(why, whylen, "%s:%d: more than %d counters", name, line,
                            CFG_COUNTERS_MAX);
                    goto fail;
                }
                counter = &next.counters[next.ncounters++];
                memset(counter, 0, sizeof *counter);
                counter->id = id;
                counter->queues[0] = '\0'; /* filled below: all queues when not given */
                sec = SEC_COUNTER;
            } else {
                hq_fail(why, whylen, "%s:%d: unknown section [%s]", name, line, sect);
                goto fail;
            }
            if (queue)
                snprintf(section, sizeof section, "queue %c", queue->prefix);
            else if (sec == SEC_SLOTS && slots_queue)
                snprintf(section, sizeof section, "slots %c", slots_queue);
            else if (sec == SEC_SLOTS)
                snprintf(section, sizeof section, "slots %d", slots_no);
            else if (counter)
                snprintf(section, sizeof section, "counter %d", counter->id);
            else
                snprintf(section, sizeof section, "%s", sect);
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            hq_fail(why, whylen, "%s:%d: expected 'key = value'", name, line);
            goto fail;
        }
        *eq = '\0';
        char *key = s_trim(s), *value = s_trim(eq + 1);
        int rc = 0, known = 1;
        switch (sec) {
        case SEC_NONE:
            hq_fail(why, whylen, "%s:%d: '%s' is outside any [section]", name, line, key);
            goto fail;
        case SEC_HALL:
            if (strcmp(key, "name") == 0)
                rc = s_set_text(next.hall_name, sizeof next.hall_name, value, name, line, key, why,
                                whylen);
            else if (strcmp(key, "notice") == 0)
                rc = s_set_text(next.notice, sizeof next.notice, value, name, line, key, why,
                                whylen);
            else if (strcmp(key, "ticket_footer") == 0)
                rc = s_set_text(next.ticket_footer, sizeof next.ticket_footer, value, name, line,
                                key, why, whylen);
            else if (strcmp(key, "timezone") == 0) {
                char tzwhy[200];
                rc = s_set_text(next.timezone, sizeof next.timezone, value, name, line, key, why,
                                whylen);
                if (rc == 0 && config_timezone_check(value, tzwhy, sizeof tzwhy) != 0)
                    rc = hq_fail(why, whylen, "%s:%d: %s", name, line, tzwhy);
            } else if (strcmp(key, "level") == 0) {
                if (strcmp(value, "town") && strcmp(value, "village")) {
                    hq_fail(why, whylen, "%s:%d: level must be town or village", name, line);
                    goto fail;
                }
                hq_strlcpy(next.level, value, sizeof next.level);
            } else if (strcmp(key, "catalog") == 0) {
                rc = s_set_text(catalog_path, sizeof catalog_path, value, name, line, key, why,
                                whylen);
                catalog_line = line;
            } else
                known = 0;
            break;
        case SEC_NETWORK:
            if (strcmp(key, "request") == 0) {
                rc = s_set_endpoint(next.request_endpoint, sizeof next.request_endpoint, value,
                                    name, line, key, why, whylen);
                request_line = line;
            } else if (strcmp(key, "events") == 0) {
                rc = s_set_endpoint(next.event_endpoint, sizeof next.event_endpoint, value, name,
                                    line, key, why, whylen);
                events_line = line;
            } else
                known = 0;
            break;
        case SEC_SECURITY:
            if (strcmp(key, "keys") == 0)
                rc = s_set_text(next.keys_dir, sizeof next.keys_dir, value, name, line, key, why,
                                whylen);
            else
                known = 0;
            break;
        case SEC_RULES: {
            static const struct {
                const char *key;
                size_t offset;
                int lo, hi;
            } rules[] = {
                {"elderly_age", offsetof(hallq_config_t, elderly_age), 40, 120},
                {"green_max_in_row", offsetof(hallq_config_t, green_max_in_row), 1, 100},
                {"normal_max_wait_min", offsetof(hallq_config_t, normal_max_wait_min), 1, 1440},
                {"handling_target_min", offsetof(hallq_config_t, handling_target_min), 1, 600},
                {"metric_interval_s", offsetof(hallq_config_t, metric_interval_s), 1, 86400},
                {"noshow_after_calls", offsetof(hallq_config_t, noshow_after_calls), 1, 10},
                {"heartbeat_ms", offsetof(hallq_config_t, heartbeat_ms), 100, 60000},
                {"default_handling_min", offsetof(hallq_config_t, default_handling_min), 1, 600},
                {"sync_full", offsetof(hallq_config_t, sync_full), 0, 1},
            };
            known = 0;
            for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
                if (strcmp(key, rules[i].key) == 0) {
                    known = 1;
                    rc = s_set_int(value, rules[i].lo, rules[i].hi,
                                   (int *)((char *)&next + rules[i].offset), name, line, key, why,
                                   whylen);
                }
            break;
        }
        case SEC_LOG:
            if (strcmp(key, "level") == 0) {
                if (strcmp(value, "error") && strcmp(value, "warn") && strcmp(value, "info") &&
                    strcmp(value, "debug")) {
                    hq_fail(why, whylen, "%s:%d: log level must be error, warn, info or debug",
                            name, line);
                    goto fail;
                }
                hq_strlcpy(next.log_level, value, sizeof next.log_level);
            } else
                known = 0;
            break;
        case SEC_LIMITS: {
            known = 0;
            for (int i = 0; i < CFG_LIMIT_COUNT_; i++)
                if (strcmp(key, config_limit_names[i]) == 0) {
                    char reason[120];
                    known = 1;
                    if (hq_rate_parse(value, &next.limits[i], reason, sizeof reason) != 0) {
                        hq_fail(why, whylen, "%s:%d: %s: %s", name, line, key, reason);
                        goto fail;
                    }
                }
            break;
        }
        case SEC_KIOSK:
            if (strcmp(key, "exit_keys") == 0) {
                char reason[200];
                if (config_exit_keys_parse(value, next.kiosk_exit_keys, sizeof next.kiosk_exit_keys,
                                           reason, sizeof reason) != 0) {
                    hq_fail(why, whylen, "%s:%d: %s", name, line, reason);
                    goto fail;
                }
            } else
                known = 0;
            break;
        case SEC_WEB:
            if (strcmp(key, "base_url") == 0) {
                char reason[200];
                if (config_base_url_parse(value, next.web_base_url, sizeof next.web_base_url,
                                          reason, sizeof reason) != 0) {
                    hq_fail(why, whylen, "%s:%d: %s", name, line, reason);
                    goto fail;
                }
            } else
                known = 0;
            break;
        case SEC_QUEUE:
            if (strcmp(key, "name") == 0)
                rc = s_set_text(queue->name, sizeof queue->name, value, name, line, key, why,
                                whylen);
            else if (strcmp(key, "issue_hours") == 0) {
                char reason[200];
                if (cal_spans_parse(value, &queue->issue_hours, reason, sizeof reason) != 0) {
                    hq_fail(why, whylen, "%s:%d: issue_hours: %s", name, line, reason);
                    goto fail;
                }
                queue->issue_hours_set = 1;
            } else if (strcmp(key, "quota") == 0) {
                rc = s_set_int(value, 0, 9999, &queue->quota, name, line, key, why, whylen);
                quota_line[queue - next.queues] = line;
            } else if (strcmp(key, "appointment_reserve") == 0) {
                rc = s_set_int(value, 0, 9999, &queue->appointment_reserve, name, line, key, why,
                               whylen);
                if (!quota_line[queue - next.queues])
                    quota_line[queue - next.queues] = line;
            } else if (strcmp(key, "green_reserve") == 0) {
                rc = s_set_int(value, 0, 9999, &queue->green_reserve, name, line, key, why, whylen);
                if (!quota_line[queue - next.queues])
                    quota_line[queue - next.queues] = line;
            } else
                known = 0;
            break;
        case SEC_APPOINTMENTS: {
            static const struct {
                const char *key;
                size_t offset;
                int lo, hi;
            } rules[] = {
                {"days_ahead", offsetof(cfg_appointments_t, days_ahead), 0, 90},
                {"lead_min", offsetof(cfg_appointments_t, lead_min), 0, 10080},
                {"per_person_day", offsetof(cfg_appointments_t, per_person_day), 1, 10},
                {"early_min", offsetof(cfg_appointments_t, early_min), 0, 600},
                {"late_min", offsetof(cfg_appointments_t, late_min), 0, 600},
                {"max_in_row", offsetof(cfg_appointments_t, max_in_row), 1, 100},
            };
            known = 0;
            for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
                if (strcmp(key, rules[i].key) == 0) {
                    known = 1;
                    rc = s_set_int(value, rules[i].lo, rules[i].hi,
                                   (int *)((char *)&next.appointments + rules[i].offset), name,
                                   line, key, why, whylen);
                }
            break;
        }
        case SEC_ALERTS:
            if (strcmp(key, "wait_target_min") == 0)
                rc = s_set_int(value, 1, 1440, &next.alerts.wait_target_min, name, line, key, why,
                               whylen);
            else if (strcmp(key, "wait_clear_min") == 0) {
                rc = s_set_int(value, 0, 1439, &next.alerts.wait_clear_min, name, line, key, why,
                               whylen);
                clear_given = 1;
            } else if (strcmp(key, "handling_clear_s") == 0)
                rc = s_set_int(value, 0, 3600, &next.alerts.handling_clear_s, name, line, key, why,
                               whylen);
            else if (strcmp(key, "hold_s") == 0)
                rc = s_set_int(value, 0, 3600, &next.alerts.hold_s, name, line, key, why, whylen);
            else if (strcmp(key, "hook") == 0) {
                rc = s_set_text(next.alerts.hook, sizeof next.alerts.hook, value, name, line, key,
                                why, whylen);
                if (rc == 0 && value[0] != '/')
                    rc = hq_fail(why, whylen, "%s:%d: hook must be an absolute path", name, line);
                else if (rc == 0 && access(value, X_OK) != 0)
                    rc = hq_fail(why, whylen, "%s:%d: hook %s is no executable file: %s", name,
                                 line, value, strerror(errno));
            } else
                known = 0;
            if (known && rc == 0) {
                alerts_line = line;
            }
            break;
        case SEC_CENTRAL:
            if (strcmp(key, "url") == 0)
                rc = s_set_text(next.central.url, sizeof next.central.url, value, name, line, key,
                                why, whylen);
            else if (strcmp(key, "hall") == 0 || strcmp(key, "parent") == 0) {
                char *dst = key[0] == 'h' ? next.central.hall : next.central.parent;
                if (!config_hall_id_ok(value))
                    rc = hq_fail(why, whylen,
                                 "%s:%d: %s '%s' is no hall id (1 to 64 letters, digits, _ . -, "
                                 "the first a letter or digit)",
                                 name, line, key, value);
                else
                    rc = s_set_text(dst, CFG_HALL_ID_MAX + 1, value, name, line, key, why, whylen);
            } else if (strcmp(key, "name") == 0)
                rc = s_set_text(next.central.name, sizeof next.central.name, value, name, line, key,
                                why, whylen);
            else if (strcmp(key, "level") == 0) {
                if (strcmp(value, "town") && strcmp(value, "village"))
                    rc = hq_fail(why, whylen, "%s:%d: level must be town or village", name, line);
                else
                    hq_strlcpy(next.central.level, value, sizeof next.central.level);
            } else
                known = 0;
            break;
        case SEC_SLOTS: {
            char reason[200];
            if (strcmp(key, "weekdays") == 0) {
                if (cal_weekdays_parse(value, &sl->weekdays, reason, sizeof reason) != 0) {
                    hq_fail(why, whylen, "%s:%d: weekdays: %s", name, line, reason);
                    goto fail;
                }
            } else if (strcmp(key, "hours") == 0) {
                if (cal_spans_parse(value, &sl->hours, reason, sizeof reason) != 0) {
                    hq_fail(why, whylen, "%s:%d: hours: %s", name, line, reason);
                    goto fail;
                }
            } else if (strcmp(key, "slot_min") == 0)
                rc = s_set_int(value, 5, 240, &sl->slot_min, name, line, key, why, whylen);
            else if (strcmp(key, "capacity") == 0)
                rc = s_set_int(value, 1, 999, &sl->capacity, name, line, key, why, whylen);
            else
                known = 0;
            break;
        }
        case SEC_CALENDAR: {
            char reason[200];
            int wd = cal_weekday_parse(key);
            /* A [calendar] with no line in force (the packaged file's) keeps no hours. */
            next.calendar.set = 1;
            if (!calendar_line)
                calendar_line = line;
            if (strcmp(key, "hours") == 0) {
                hours_line = line;
                if (cal_spans_parse(value, &next.calendar.workday, reason, sizeof reason) != 0) {
                    hq_fail(why, whylen, "%s:%d: hours: %s", name, line, reason);
                    goto fail;
                }
            } else if (wd >= 0 && strlen(key) > 3) {
                if (cal_spans_parse(value, &next.calendar.week[wd], reason, sizeof reason) != 0) {
                    hq_fail(why, whylen, "%s:%d: %s: %s", name, line, key, reason);
                    goto fail;
                }
                next.calendar.week_given |= 1u << wd;
            } else if (strcmp(key, "extended") == 0) {
                if (cal_extended_parse(&next.calendar, value, reason, sizeof reason) != 0) {
                    hq_fail(why, whylen, "%s:%d: extended: %s", name, line, reason);
                    goto fail;
                }
            } else if (strcmp(key, "holidays") == 0) {
                rc = s_set_text(next.holidays_path, sizeof next.holidays_path, value, name, line,
                                key, why, whylen);
                holidays_line = line;
            } else
                known = 0;
            break;
        }
        case SEC_COUNTER:
            if (strcmp(key, "queues") == 0) {
                if (!s_valid_queues(value)) {
                    hq_fail(why, whylen, "%s:%d: queues must be distinct letters A-Z, e.g. ABC",
                            name, line);
                    goto fail;
                }
                hq_strlcpy(counter->queues, value, sizeof counter->queues);
                queues_line[counter - next.counters] = line;
            } else if (strcmp(key, "tablet") == 0) {
                if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0) {
                    hq_fail(why, whylen, "%s:%d: tablet is yes or no", name, line);
                    goto fail;
                }
                counter->tablet = strcmp(value, "yes") == 0;
            } else
                known = 0;
            break;
        }
        if (rc != 0)
            goto fail;
        if (!known) {
            hq_fail(why, whylen, "%s:%d: unknown key '%s' in this section", name, line, key);
            goto fail;
        }
        if (s_seen(seen, &nseen, section, key, name, line, why, whylen) != 0)
            goto fail;
    }
    if (s_endpoints(&next, request_line, events_line, name, why, whylen) != 0)
        goto fail;
    /* Without its own line the clear threshold stays 5 minutes under the target. */
    if (alerts_line && !clear_given)
        next.alerts.wait_clear_min =
            next.alerts.wait_target_min > 5 ? next.alerts.wait_target_min - 5 : 0;
    if (alerts_line && next.alerts.wait_clear_min >= next.alerts.wait_target_min) {
        hq_fail(why, whylen,
                "%s:%d: [alerts] wait_clear_min (%d) must be below wait_target_min (%d): an alert "
                "that clears where it is raised would flap",
                name, alerts_line, next.alerts.wait_clear_min, next.alerts.wait_target_min);
        goto fail;
    }
    if (calendar_line && !hours_line) {
        hq_fail(why, whylen,
                "%s:%d: [calendar] needs an hours line, the opening hours of Monday to Friday "
                "(hours = 08:30-12:00, 13:30-17:30)",
                name, calendar_line);
        goto fail;
    }
    if (calendar_line && next.calendar.workday.n == 0) {
        hq_fail(why, whylen, "%s:%d: hours cannot be closed: a make-up working day opens by them",
                name, hours_line);
        goto fail;
    }
    if (holidays_line) {
        char *bytes, *dated;
        size_t nbytes, ndated;
        char inner[CFG_TEXT_MAX + 64];
        if (s_read_file(next.holidays_path, &bytes, &nbytes, inner, sizeof inner) != 0) {
            hq_fail(why, whylen, "%s:%d: holidays %s", name, holidays_line, inner);
            goto fail;
        }
        int rc =
            config_source_text(bytes, nbytes, next.holidays_path, &dated, &ndated, why, whylen);
        free(bytes);
        if (rc == 0) {
            rc = cal_dates_parse(&next.calendar, dated, next.holidays_path, why, whylen);
            free(dated);
        }
        if (rc != 0)
            goto fail;
    }
    for (int i = 0; i < HQ_QUEUES_MAX; i++) {
        if (!slots_line[i])
            continue;
        cfg_queue_t *q = (cfg_queue_t *)config_queue(&next, (char)('A' + i));
        if (!q) {
            hq_fail(why, whylen, "%s:%d: [slots %c] names no queue of this hall", name,
                    slots_line[i], 'A' + i);
            goto fail;
        }
        if (s_slots_finish(&slots[i], &q->slots) != 0) {
            hq_fail(why, whylen, "%s:%d: [slots %c] needs hours (hours = 09:00-11:30)", name,
                    slots_line[i], q->prefix);
            goto fail;
        }
    }
    for (int i = 0; i < next.nqueues; i++) {
        const cfg_queue_t *q = &next.queues[i];
        if ((q->green_reserve || q->appointment_reserve) && !q->quota) {
            hq_fail(why, whylen, "%s:%d: queue %c: a reserve needs a quota", name, quota_line[i],
                    q->prefix);
            goto fail;
        }
        if (q->quota && q->green_reserve + q->appointment_reserve >= q->quota) {
            hq_fail(why, whylen,
                    "%s:%d: queue %c: green_reserve %d and appointment_reserve %d leave nothing "
                    "of the quota %d to other tickets",
                    name, quota_line[i], q->prefix, q->green_reserve, q->appointment_reserve,
                    q->quota);
            goto fail;
        }
    }
    if (catalog_path[0]) {
        char *bytes, *tsv;
        size_t nbytes, ntsv;
        char inner[CFG_TEXT_MAX + 64];
        if (s_read_file(catalog_path, &bytes, &nbytes, inner, sizeof inner) != 0) {
            hq_fail(why, whylen, "%s:%d: catalog %s", name, catalog_line, inner);
            goto fail;
        }
        int rc = config_source_text(bytes, nbytes, catalog_path, &tsv, &ntsv, why, whylen);
        free(bytes);
        if (rc == 0) {
            rc = config_load_catalog(&next, tsv, catalog_path, why, whylen);
            free(tsv);
        }
        if (rc != 0)
            goto fail;
    }
    /* [slots N] once the catalog is known: N must be a service this hall offers. */
    for (int k = 0; k < nsvc_slots; k++) {
        cfg_service_t *svc = (cfg_service_t *)config_service(&next, svc_slots[k].no);
        if (!svc) {
            hq_fail(why, whylen, "%s:%d: [slots %d] names no service this hall offers", name,
                    svc_slots[k].line, svc_slots[k].no);
            goto fail;
        }
        if (s_slots_finish(&svc_slots[k].slots, &svc->slots) != 0) {
            hq_fail(why, whylen, "%s:%d: [slots %d] needs hours (hours = 09:00-11:30)", name,
                    svc_slots[k].line, svc->no);
            goto fail;
        }
    }
    for (int i = 0; i < next.nqueues; i++) {
        const cfg_queue_t *q = &next.queues[i];
        if (q->appointment_reserve && !config_queue_bookable(&next, q)) {
            hq_fail(why, whylen,
                    "%s:%d: queue %c: appointment_reserve needs [slots %c] or [slots N] for "
                    "one of its services",
                    name, quota_line[i], q->prefix, q->prefix);
            goto fail;
        }
    }
    /* Counters with no queues given serve every queue (also the default counters when the
     * file redefines the queues); every queue a counter names must exist. */
    for (int i = 0; i < next.ncounters; i++) {
        cfg_counter_t *c = &next.counters[i];
        if (!c->queues[0] || (queues_replaced && !counters_replaced)) {
            for (int q = 0; q < next.nqueues; q++)
                c->queues[q] = next.queues[q].prefix;
            c->queues[next.nqueues] = '\0';
        }
        for (const char *q = c->queues; *q; q++)
            if (!config_queue(&next, *q)) {
                char defined[HQ_QUEUES_MAX + 1];
                for (int k = 0; k < next.nqueues; k++)
                    defined[k] = next.queues[k].prefix;
                defined[next.nqueues] = '\0';
                hq_fail(why, whylen,
                        "%s:%d: counter %d serves queue %c, which is not defined (the hall's "
                        "queues are %s)",
                        name, queues_line[i], c->id, *q, defined);
                goto fail;
            }
    }
    if (next.nqueues == 0 || next.ncounters == 0) {
        hq_fail(why, whylen, "%s: at least one queue and one counter are needed", name);
        goto fail;
    }
    s_derive_queue_instant(&next);
    free(cfg->services);
    *cfg = next;
    return 0;
fail:
    free(next.services);
    return -1;
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

const cfg_queue_t *config_queue(const hallq_config_t *cfg, char prefix)
{
    for (int i = 0; i < cfg->nqueues; i++)
        if (cfg->queues[i].prefix == prefix)
            return &cfg->queues[i];
    return NULL;
}

const cfg_slots_t *config_slots(const hallq_config_t *cfg, char queue, int service)
{
    const cfg_service_t *svc = service ? config_service(cfg, service) : NULL;
    if (svc && svc->queue == queue && svc->slots.slot_min)
        return &svc->slots;
    const cfg_queue_t *q = config_queue(cfg, queue);
    return q && q->slots.slot_min ? &q->slots : NULL;
}

int config_queue_bookable(const hallq_config_t *cfg, const cfg_queue_t *q)
{
    if (q->slots.slot_min)
        return 1;
    for (int i = 0; i < cfg->nservices; i++) {
        const cfg_service_t *svc = &cfg->services[i];
        if (svc->queue == q->prefix && svc->slots.slot_min && config_service_offered(cfg, svc))
            return 1;
    }
    return 0;
}

const cfg_service_t *config_service(const hallq_config_t *cfg, int no)
{
    for (int i = 0; i < cfg->nservices; i++)
        if (cfg->services[i].no == no && config_service_offered(cfg, &cfg->services[i]))
            return &cfg->services[i];
    return NULL;
}

int config_service_offered(const hallq_config_t *cfg, const cfg_service_t *s)
{
    return strcmp(s->level, cfg->level) == 0 && config_queue(cfg, s->queue) != NULL;
}

int config_services_offered(const hallq_config_t *cfg)
{
    int n = 0;
    for (int i = 0; i < cfg->nservices; i++)
        n += config_service_offered(cfg, &cfg->services[i]);
    return n;
}

const cfg_counter_t *config_counter(const hallq_config_t *cfg, int id)
{
    for (int i = 0; i < cfg->ncounters; i++)
        if (cfg->counters[i].id == id)
            return &cfg->counters[i];
    return NULL;
}

cfg_issue_t config_issue_check(const hallq_config_t *cfg, const cfg_queue_t *q, int days,
                               int minute, int green, int issued, cal_spans_t *hours)
{
    const cal_t *cal = &cfg->calendar;
    cal_spans_t regular = {0}, ext = cal_extended_hours(cal, days), all = {0};
    if (cal_working_day(cal, days))
        regular = q->issue_hours_set ? q->issue_hours : cal_hours(cal, days);
    /* The day's issuing hours in order, for the words a refusal shows. */
    int a = 0, b = 0;
    while ((a < regular.n || b < ext.n) && all.n < CAL_SPANS_MAX) {
        if (b == ext.n || (a < regular.n && regular.span[a].from <= ext.span[b].from))
            all.span[all.n++] = regular.span[a++];
        else
            all.span[all.n++] = ext.span[b++];
    }
    if (hours)
        *hours = all;
    if (!cal_spans_contain(&regular, minute) && !cal_spans_contain(&ext, minute))
        return regular.n == 0 && ext.n == 0 ? CFG_ISSUE_CLOSED_DAY : CFG_ISSUE_HOURS;
    if (q->quota && issued >= q->quota - q->appointment_reserve - (green ? 0 : q->green_reserve))
        return CFG_ISSUE_QUOTA;
    return CFG_ISSUE_OK;
}

int config_is_instant(const hallq_config_t *cfg, char queue, int service)
{
    const cfg_service_t *s = service ? config_service(cfg, service) : NULL;
    if (s)
        return s->instant;
    const cfg_queue_t *q = config_queue(cfg, queue);
    return q ? q->instant : 0;
}
