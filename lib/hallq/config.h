/* hallqd configuration: the embedded default (service catalog, queues A-G, four counters
 * serving every queue) overridden by an optional INI-style file. */
#ifndef HALLQ_CONFIG_H
#define HALLQ_CONFIG_H

#include <stddef.h>

#include "calendar.h"
#include "hq_proto.h"
#include "ratelimit.h"

#define CFG_COUNTERS_MAX 128
#define CFG_TEXT_MAX 256
#define CFG_EXIT_KEYS_COUNT_MAX 8 /* keys of a kiosk's exit combination */
#define CFG_EXIT_KEYS_MAX 64      /* its written form: up to 8 "ctrl-x" and spaces, plus NUL */
#define CFG_WEB_BASE_URL_MAX 160  /* [web] base_url, with its NUL */

/* [slots X]: appointment slots (预约号源) on the template's weekdays of working days, its hours
 * cut into slot_min pieces, each taking `capacity` bookings; slot_min 0: no template. */
typedef struct {
    unsigned weekdays; /* bit 0 Monday .. 6 Sunday */
    cal_spans_t hours; /* the periods cut into slots */
    int slot_min;      /* each slot's length */
    int capacity;      /* bookings a slot takes */
} cfg_slots_t;

#define CFG_SERVICE_SLOTS_MAX 64 /* [slots N] sections naming a service, in one file */

typedef struct {
    int no;        /* item number, unique */
    char level[8]; /* town | village */
    char mode[12]; /* direct | assisted */
    char queue;    /* queue prefix */
    char main_item[160];
    char sub_item[160];
    char materials[1200]; /* ';'-separated */
    char time_limit[160];
    int instant; /* counts toward the handling-time target */
    char steps[160];
    cfg_slots_t slots; /* [slots N]: the service's own template, used instead of its queue's */
} cfg_service_t;

typedef struct {
    char prefix;
    char name[96];
    int instant; /* all its services are instant (tickets without a service) */
    /* 号源: when and how many tickets the queue issues (see config_issue_check). */
    int issue_hours_set;     /* issue_hours given: the queue issues inside them ... */
    cal_spans_t issue_hours; /* ... on working days, instead of the hall's opening hours */
    int quota;               /* tickets a business day, 0 unlimited */
    int green_reserve;       /* of the quota, held for green-lane tickets */
    int appointment_reserve; /* of the quota, held for checked-in appointments */
    cfg_slots_t slots;       /* [slots X]: the queue's template, for its services without one */
} cfg_queue_t;

/* [alerts]: when a queue's alert is raised and cleared, and who else hears of it. */
typedef struct {
    int wait_target_min;     /* the longest wait of a queue above this raises its wait alert */
    int wait_clear_min;      /* ... which clears once it is below this (hysteresis) */
    int handling_clear_s;    /* a handling alert clears once the mean is this far below target */
    int hold_s;              /* a condition must hold this long before its alert is raised */
    char hook[CFG_TEXT_MAX]; /* an executable run for each alert raised or cleared, "" none */
} cfg_alerts_t;

/* [central]: where hallq-sync ships the hall's event log (the city's PostgreSQL). */
#define CFG_HALL_ID_MAX 64
typedef struct {
    char url[CFG_TEXT_MAX];           /* a libpq connection string or URI, "" none */
    char hall[CFG_HALL_ID_MAX + 1];   /* the hall's id there: letters, digits, _ . - */
    char name[CFG_TEXT_MAX];          /* "" the [hall] name */
    char level[8];                    /* town | village, "" the [hall] level */
    char parent[CFG_HALL_ID_MAX + 1]; /* a village point's town hall id */
} cfg_central_t;

/* Whether text is a hall id the central store takes: 1 to 64 of A-Z a-z 0-9 _ . -, the first
 * a letter or digit. */
int config_hall_id_ok(const char *text);

/* [appointments]: the booking rules (预约办理). */
typedef struct {
    int days_ahead;     /* a booking is for today up to this many days after */
    int lead_min;       /* at least this long before the slot starts */
    int per_person_day; /* bookings one person (by ID number) may hold a day */
    int early_min;      /* check-in opens this long before the slot starts ... */
    int late_min;       /* ... and closes this long after: later is a walk-in */
    int max_in_row;     /* appointment calls in a row while walk-ins wait (K) */
} cfg_appointments_t;

typedef struct {
    int id;
    char queues[HQ_QUEUES_MAX + 1];
    int tablet; /* tablet = yes: its tickets are rated from its rating tablet only */
} cfg_counter_t;

/* Whose request budget a [limits] line sets: a device key's role, or "local", each connection
 * of a hall without keys. */
typedef enum {
    CFG_LIMIT_KIOSK,
    CFG_LIMIT_COUNTER,
    CFG_LIMIT_DISPLAY,
    CFG_LIMIT_MANAGER,
    CFG_LIMIT_WEB,
    CFG_LIMIT_LOCAL,
    CFG_LIMIT_COUNT_
} cfg_limit_t;

/* The [limits] key of each cfg_limit_t, in its order. */
extern const char *const config_limit_names[CFG_LIMIT_COUNT_];

typedef struct {
    char hall_name[CFG_TEXT_MAX];
    char notice[CFG_TEXT_MAX]; /* scrolling line on the wall display */
    char ticket_footer[CFG_TEXT_MAX];
    char timezone[64]; /* business day boundary */
    char level[8];     /* which catalog rows: town | village */
    char request_endpoint[CFG_TEXT_MAX];
    char event_endpoint[CFG_TEXT_MAX];
    char log_level[8];
    char keys_dir[CFG_TEXT_MAX]; /* CURVE keys and allow-list; "" = loopback only */
    int elderly_age;             /* green lane from the ID number's age */
    int green_max_in_row;        /* green picks in a row while normal tickets wait */
    int normal_max_wait_min;     /* a normal ticket waiting this long goes first */
    int handling_target_min;     /* the 10-minute rule */
    int metric_interval_s;       /* how often the metric is logged */
    int noshow_after_calls;      /* calls before no-show is allowed */
    int heartbeat_ms;
    int default_handling_min;           /* wait estimate before any ticket was finished */
    int sync_full;                      /* SQLite synchronous=FULL (1) or NORMAL (0) */
    hq_rate_t limits[CFG_LIMIT_COUNT_]; /* request budgets per device ([limits]) */
    /* [kiosk] exit_keys: the keys, pressed in turn, that leave a kiosk program, in the form
     * config_exit_keys_parse writes ("ctrl-x ctrl-q"); "" none (staff leave with a PIN) */
    char kiosk_exit_keys[CFG_EXIT_KEYS_MAX];
    char holidays_path[CFG_TEXT_MAX]; /* [calendar] holidays: the dated file, "" none */
    cal_t calendar;                   /* [calendar]: opening hours, holidays, extended hours */
    cfg_appointments_t appointments;  /* [appointments] */
    cfg_alerts_t alerts;              /* [alerts] */
    /* [web] base_url: where hallq-web's pages are, as a phone reaches them
     * ("http://192.168.1.10:8080", no trailing slash); a ticket's QR then holds
     * BASE_URL/t/TOKEN. "" none: the QR holds the ticket's own payload. */
    char web_base_url[CFG_WEB_BASE_URL_MAX];
    cfg_central_t central; /* [central] */
    int nqueues;
    cfg_queue_t queues[HQ_QUEUES_MAX];
    int ncounters;
    cfg_counter_t counters[CFG_COUNTERS_MAX];
    int nservices;
    cfg_service_t *services;
} hallq_config_t;

/* Fills the embedded default. 0 ok, -1 (message in why). */
int config_default(hallq_config_t *cfg, char *why, size_t whylen);
/* Applies a config file on top of what cfg holds. -1 with "FILE:LINE: problem" in why. */
int config_load_file(hallq_config_t *cfg, const char *path, char *why, size_t whylen);
/* Same from bytes as a file holds them: a UTF-8 byte-order mark is skipped, text that is
 * not UTF-8 but GB18030 (GBK, what Chinese Windows Notepad saves) is converted; UTF-16, NUL
 * bytes, other invalid UTF-8 and control characters are refused at their line. */
int config_load_buffer(hallq_config_t *cfg, const char *data, size_t len, const char *name,
                       char *why, size_t whylen);
/* Same from a string (for tests); name is used in messages. */
int config_load_text(hallq_config_t *cfg, const char *text, const char *name, char *why,
                     size_t whylen);
/* A file's bytes as UTF-8 text, by the rules of config_load_buffer: *text is allocated and
 * NUL-terminated (free it). -1 with "NAME:LINE: problem" in why. */
int config_source_text(const char *data, size_t len, const char *name, char **text, size_t *textlen,
                       char *why, size_t whylen);
/* A kiosk's exit combination as a config file writes it: 2 to 8 keys, each ctrl-A to ctrl-Z
 * (but ctrl-H, -I, -J, -M: Backspace, Tab, Enter) or F1 to F12, separated by spaces, in any
 * case. Its one written form goes to out ("ctrl-x ctrl-q", "F12 F9"), what the catalog
 * sends the kiosks. 0, or -1 with the reason in why. */
/* Checks a [web] base_url (http:// or https://, printable ASCII without spaces, at most
 * CFG_WEB_BASE_URL_MAX - 1 bytes) and writes it without trailing slashes. 0, or -1 with why. */
int config_base_url_parse(const char *text, char *out, size_t outlen, char *why, size_t whylen);
int config_exit_keys_parse(const char *text, char *out, size_t outlen, char *why, size_t whylen);
/* Whether hallqd can bind an endpoint: tcp://HOST:PORT (HOST an IPv4 address, * or a
 * network interface of this machine; PORT 0-65535 or *), ipc://PATH or inproc://NAME.
 * 0, or -1 with the reason in why. */
int config_endpoint_check(const char *endpoint, char *why, size_t whylen);
/* Whether it stays on this machine (hallqd refuses anything else without keys). */
int config_endpoint_loopback(const char *endpoint);
/* Parses a services TSV (header line first) into cfg->services (replacing them). */
int config_load_catalog(hallq_config_t *cfg, const char *text, const char *name, char *why,
                        size_t whylen);
void config_free(hallq_config_t *cfg);

const cfg_queue_t *config_queue(const hallq_config_t *cfg, char prefix);
const cfg_service_t *config_service(const hallq_config_t *cfg, int no);
/* The slot template a booking of queue `queue` for service `service` (0 none) uses: the
 * service's own when it has one, else the queue's; NULL when neither takes bookings. */
const cfg_slots_t *config_slots(const hallq_config_t *cfg, char queue, int service);
/* Whether queue q takes bookings: a template of its own or of one of its services offered. */
int config_queue_bookable(const hallq_config_t *cfg, const cfg_queue_t *q);
/* A service is offered when it is of the hall's level and its queue exists. */
int config_service_offered(const hallq_config_t *cfg, const cfg_service_t *s);
const cfg_counter_t *config_counter(const hallq_config_t *cfg, int id);
/* Whether the C library understands a time zone: a compiled zone under TZDIR (default
 * /usr/share/zoneinfo) or a POSIX TZ string. 0, or -1 with the reason in why. */
int config_timezone_check(const char *tz, char *why, size_t whylen);
/* The services the hall offers: those of its level whose queue exists. */
int config_services_offered(const hallq_config_t *cfg);
/* Why a queue issues no ticket now (the hall's rules, PROTOCOL.md "issue"). */
typedef enum {
    CFG_ISSUE_OK = 0,
    CFG_ISSUE_CLOSED_DAY, /* not a working day (a holiday, a weekend), no extended period */
    CFG_ISSUE_HOURS,      /* a working day, outside the queue's issuing hours */
    CFG_ISSUE_QUOTA,      /* the day's quota is issued (for this lane: the reserves are not its) */
} cfg_issue_t;
/* Whether queue q issues a ticket of that lane on day `days` at `minute` (local), when it has
 * issued `issued` tickets that day. A queue issues on a working day inside its issue_hours
 * (without them: the hall's opening hours), and on any day inside an extended period; up to
 * its quota less appointment_reserve (kept for check-ins, which the quota does not stop), of
 * which green_reserve tickets only to the green lane. *hours gets the day's
 * issuing hours (regular and extended, in order), for "今日取号时间为 ...". */
cfg_issue_t config_issue_check(const hallq_config_t *cfg, const cfg_queue_t *q, int days,
                               int minute, int green, int issued, cal_spans_t *hours);
/* Whether a ticket of this queue/service counts toward the handling-time target. */
int config_is_instant(const hallq_config_t *cfg, char queue, int service);

#endif
