/* config_parse: what the configuration file's reader shares with the keys of its sections
 * (config.c reads the file, its sections and what is checked at its end; config_keys.c takes
 * each section's keys). Only those two files include it. */
#ifndef HALLQ_CONFIG_PARSE_H
#define HALLQ_CONFIG_PARSE_H

#include "config.h"

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
} cfg_sec_t;

/* The keys set so far, by section ("hall", "queue A", "counter 3"): a key given twice would
 * leave one of the two lines unused without a word. Known keys only are kept, and a section
 * has at most one of each, so the list is bounded by the sections a file can have. */
typedef struct {
    char section[16];
    char key[24];
    int line;
} cfg_seen_t;

#define CFG_SEEN_MAX (30 + 4 * HQ_QUEUES_MAX + 4 * CFG_SERVICE_SLOTS_MAX + CFG_COUNTERS_MAX)

/* A file being read: the configuration it makes (applied only when all of it is good), where
 * it is, and what a later line or the end of the file checks against. */
typedef struct {
    hallq_config_t next;
    const char *name; /* the file's name in messages */
    int line;
    char *why;
    size_t whylen;
    cfg_sec_t sec;
    char section[16];                       /* the section's name, for keys given twice */
    cfg_queue_t *queue;                     /* [queue X]'s */
    cfg_counter_t *counter;                 /* [counter N]'s */
    int queues_replaced, counters_replaced; /* the file's own replace the defaults */
    char catalog_path[CFG_TEXT_MAX];
    int catalog_line, request_line, events_line;
    int calendar_line, hours_line, holidays_line, alerts_line, clear_given;
    int quota_line[HQ_QUEUES_MAX]; /* where each queue's quota or reserve was given */
    /* [slots X]: kept aside until the queues are known, applied at the end */
    char slots_queue; /* the section's queue, or ... */
    int slots_no;     /* ... its service */
    int slots_line[HQ_QUEUES_MAX];
    cfg_slots_t slots[HQ_QUEUES_MAX], *sl;
    struct {
        int no, line;
        cfg_slots_t slots;
    } svc_slots[CFG_SERVICE_SLOTS_MAX];
    int nsvc_slots;
    int queues_line[CFG_COUNTERS_MAX]; /* where each counter's queues were given */
    cfg_seen_t seen[CFG_SEEN_MAX];
    int nseen;
} cfg_parser_t;

/* A key = value line of the section being read: 0 taken, 1 no key of this section, -1 refused
 * (why says so). */
int cfg_parse_key(cfg_parser_t *ps, const char *key, const char *value);

#endif
