/* What the rest of hallq asks of a loaded configuration (config.h): a queue, a service, a
 * counter, a booking template, and whether a ticket may be issued now. */
#include "config.h"

#include <string.h>

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
