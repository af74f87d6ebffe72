/* hallq wire protocol: the types every program shares and the one codec for them.
 *
 * lib/hallq/PROTOCOL.md is the written specification; this header is its C form.
 * Requests travel DEALER -> ROUTER as one JSON frame, replies come back the same way,
 * events are published as two frames: the event type (topic) and a JSON body.
 */
#ifndef HQ_PROTO_H
#define HQ_PROTO_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "hq_requests.h"

#define HQ_PROTOCOL_VERSION 1
#define HQ_DEFAULT_REQUEST_ENDPOINT "tcp://127.0.0.1:5570"
#define HQ_DEFAULT_EVENT_ENDPOINT "tcp://127.0.0.1:5571"

/* Requests larger than this get a "too_large" error reply. The largest a client sends is well
 * under 1 KiB (the longest fields are the reason and the token). */
#define HQ_MAX_REQUEST_BYTES (8 * 1024)
/* Frames larger than this make ZeroMQ drop the connection before they reach the daemon, so
 * a message of many frames costs at most this much per frame while ZeroMQ gathers it. */
#define HQ_MAX_FRAME_BYTES (16 * 1024)
/* Replies and events larger than this make a client drop the connection (a snapshot of a day
 * with thousands of open tickets is a few MiB). */
#define HQ_MAX_REPLY_BYTES (64 * 1024 * 1024)

#define HQ_LABEL_MAX 8   /* "A001" and up to 9999 a day, plus NUL */
#define HQ_CLERK_MAX 32  /* clerk id as typed at login */
#define HQ_REASON_MAX 96 /* pause reason / pick reason text */
#define HQ_QUEUES_MAX 26 /* prefixes A..Z */
#define HQ_ID_NUMBER_LEN 18
#define HQ_TOKEN_MAX 48  /* idempotency token of an issue request, plus NUL */
#define HQ_PIN_MAX 32    /* a clerk's PIN as a login carries it, plus NUL */
#define HQ_DEVICE_MAX 65 /* a device key's name (hallqctl keys new: 1-64 characters), plus NUL */

/* Codec return codes: 0 ok, -1 failure of a resource, -2 malformed input. */
#define HQ_OK 0
#define HQ_ERR -1
#define HQ_MALFORMED -2

/* ---- error codes carried in error replies ---------------------------------------- */
typedef enum {
    HQ_E_NONE = 0,
    HQ_E_MALFORMED,       /* not JSON, not an object, truncated */
    HQ_E_TOO_LARGE,       /* request over HQ_MAX_REQUEST_BYTES */
    HQ_E_VERSION,         /* "v" is not a version this daemon speaks */
    HQ_E_UNKNOWN_TYPE,    /* "type" names no request */
    HQ_E_BAD_FIELD,       /* missing, wrongly typed, out of range or unknown field */
    HQ_E_UNKNOWN_QUEUE,   /* no such queue prefix */
    HQ_E_UNKNOWN_SERVICE, /* no such service, or it belongs to another queue */
    HQ_E_UNKNOWN_COUNTER, /* no such counter */
    HQ_E_UNKNOWN_TICKET,  /* no ticket with that number today */
    HQ_E_BAD_ID_NUMBER,   /* ID number fails GB 11643 (length, date, check digit) */
    HQ_E_STATE,           /* action makes no sense in the current state */
    HQ_E_STORE,           /* the database refused the change; nothing happened */
    HQ_E_FORBIDDEN,       /* the caller's role may not do this */
    HQ_E_RATE_LIMITED,    /* the device spent its request budget; retry_after_ms says when */
    HQ_E_INTERNAL,
    HQ_E_CLOSED_TODAY,    /* issue: the hall issues nothing today (a holiday, a weekend) */
    HQ_E_NOT_ISSUING,     /* issue: a working day, outside the queue's issuing hours */
    HQ_E_QUOTA,           /* issue: the queue's quota (号源) of the day is issued */
    HQ_E_UNKNOWN_BOOKING, /* no booking with that code (or of today for that ID number) */
    HQ_E_COUNT_
} hq_error_code_t;

const char *hq_error_code_name(hq_error_code_t code);
hq_error_code_t hq_error_code_parse(const char *name);

typedef struct {
    hq_error_code_t code;
    char message[160];
    int64_t retry_after_ms; /* rate_limited: when the device may send again, else 0 */
} hq_error_t;

/* ---- domain values --------------------------------------------------------------- */
typedef enum {
    HQ_T_WAITING = 0,
    HQ_T_CALLED,
    HQ_T_SERVING,
    HQ_T_PARKED,
    HQ_T_FINISHED,
    HQ_T_NO_SHOW,
    HQ_T_EXPIRED,
    HQ_T_COUNT_
} hq_ticket_state_t;

typedef enum {
    HQ_C_CLOSED = 0,
    HQ_C_IDLE,
    HQ_C_CALLING,
    HQ_C_SERVING,
    HQ_C_PAUSED,
    HQ_C_COUNT_
} hq_counter_state_t;

const char *hq_ticket_state_name(hq_ticket_state_t s);
int hq_ticket_state_parse(const char *name); /* -1 when unknown */
const char *hq_counter_state_name(hq_counter_state_t s);
int hq_counter_state_parse(const char *name);

/* Why a ticket was called: the machine-readable twin of the ticket's English "reason". */
typedef enum {
    HQ_REASON_NONE = 0,    /* not called yet (wire: null) */
    HQ_REASON_GREEN_LANE,  /* "green_lane": the green lane goes first */
    HQ_REASON_MAX_WAIT,    /* "max_wait": a normal ticket waited normal_max_wait_min or more */
    HQ_REASON_GREEN_LIMIT, /* "green_limit": green_max_in_row green calls: a normal one's turn */
    HQ_REASON_OLDEST,      /* "oldest": no green ticket waiting, the oldest goes first */
    HQ_REASON_CHOSEN,      /* "chosen": the clerk called it by its number */
    HQ_REASON_APPOINTMENT, /* "appointment": a checked-in booking whose slot has begun */
    /* "appointment_limit": appointment_max_in_row appointments in a row: a walk-in's turn */
    HQ_REASON_APPOINTMENT_LIMIT,
    HQ_REASON_COUNT_
} hq_reason_t;

const char *hq_reason_name(hq_reason_t r); /* NULL for HQ_REASON_NONE */
int hq_reason_parse(const char *name);     /* -1 when unknown */
/* The daemon's English words for a reason ("normal waited 31 min"): n is the minutes waited
 * (max_wait), green_max_in_row (green_limit) or max_in_row of [appointments]
 * (appointment_limit), unused otherwise. "" for HQ_REASON_NONE. */
void hq_reason_english(hq_reason_t r, int n, char *out, size_t outlen);
/* The code of those words, HQ_REASON_NONE when they are no reason's. Only for tickets kept
 * with their words alone: rows the store wrote before it kept the code. Clients read
 * reason_code and never need this. */
hq_reason_t hq_reason_of_english(const char *text);

/* One ticket as the daemon keeps it and as it travels on the wire. */
typedef struct {
    int64_t id;                 /* database row id, unique for ever */
    char day[11];               /* business day "YYYY-MM-DD" it was issued on */
    char prefix;                /* queue letter it was issued in (part of the label) */
    int number;                 /* daily number within prefix */
    char label[HQ_LABEL_MAX];   /* "A001": what the citizen holds */
    char queue;                 /* queue it waits in now (differs from prefix after transfer) */
    int service;                /* catalog item number, 0 when none chosen */
    int green;                  /* elderly green lane */
    char age_band[8];           /* "60-69" etc. when known from an ID number, else "" */
    hq_ticket_state_t state;    /* see hq_ticket_state_t */
    int64_t issued_ms;          /* epoch milliseconds; kept across transfers */
    int64_t called_ms;          /* first call (wait ends here), 0 before */
    int64_t last_called_ms;     /* latest call or recall at the current counter */
    int64_t started_ms;         /* start pressed, 0 when not (finish then uses the call) */
    int64_t finished_ms;        /* finish, 0 before */
    int64_t parked_ms;          /* when parked now, 0 when not parked */
    int64_t park_total_ms;      /* time spent parked, left out of handling time */
    int calls;                  /* calls and recalls at the current counter */
    int counter;                /* counter holding it or that last held it, 0 none */
    char clerk[HQ_CLERK_MAX];   /* clerk who served it */
    char reason[HQ_REASON_MAX]; /* why its latest call picked it, in English words */
    hq_reason_t reason_code;    /* the same as a code: what clients translate */
    int rating;                 /* 1..5 after finish, 0 none */
    int transfers;              /* how often it was transferred */
    int extended;               /* issued in an extended-hours period (延时服务) */
    int64_t slot_ms;            /* a checked-in appointment: its slot's start; 0 a walk-in */
    char token[HQ_TOKEN_MAX];   /* the issuing kiosk's idempotency token (not published) */
    char device[HQ_DEVICE_MAX]; /* the key that issued it, "" without keys (not published) */
} hq_ticket_t;

/* One counter (window). */
typedef struct {
    int id;                         /* window number shown to citizens */
    char queues[HQ_QUEUES_MAX + 1]; /* prefixes served, e.g. "ABCDEFG" */
    hq_counter_state_t state;       /* derived from clerk, pause and current ticket */
    char clerk[HQ_CLERK_MAX];       /* logged-in clerk, "" when closed */
    char pause_reason[HQ_REASON_MAX];
    int64_t current; /* ticket id at the window, 0 none */
    char current_label[HQ_LABEL_MAX];
    int64_t since_ms; /* when the state last changed */
    int tablet;       /* a rating tablet is paired with the window */
} hq_counter_t;

/* Rating levels, 1 (very dissatisfied) .. 5 (very satisfied). */
const char *hq_rating_name_zh(int rating);
const char *hq_rating_name_en(int rating);

/* ---- ticket numbers --------------------------------------------------------------- */
/* Writes "A001" style label; numbers above 999 widen to four digits. 0 ok, -1 bad input. */
int hq_label_format(char prefix, int number, char *out, size_t outlen);
/* Parses "A001" (case-insensitive prefix). 0 ok, -1 malformed. */
int hq_label_parse(const char *label, char *prefix, int *number);

/* ---- requests --------------------------------------------------------------------- */
/* One value per row of HQ_REQUESTS (hq_requests.h), in its order. */
#define HQ_REQ_ENUM_(ID, name, required, optional, effect, roles, scope, verb, help) HQ_REQ_##ID,
typedef enum { HQ_REQUESTS(HQ_REQ_ENUM_) HQ_REQ_COUNT_ } hq_req_type_t;
#undef HQ_REQ_ENUM_

/* A request type's row of the table. */
typedef struct {
    const char *name;  /* on the wire */
    unsigned required; /* hq_field_t bits */
    unsigned optional;
    int changes;    /* HQ_CHANGES or HQ_READS */
    unsigned roles; /* HQ_ROLE_* bits */
    unsigned scope; /* HQ_SCOPE_* bits: how far a window's key reaches with it */
    const char *verb;
    const char *help;
} hq_req_info_t;

/* The row of a request type; NULL when t names none. */
const hq_req_info_t *hq_req_info(hq_req_type_t t);
const char *hq_req_type_name(hq_req_type_t t);
int hq_req_type_parse(const char *name); /* -1 when unknown */
/* The wire key of one field ("counter"); "?" when f is not a single field. */
const char *hq_field_name(hq_field_t f);

typedef struct {
    hq_req_type_t type;
    char id[64];    /* caller's correlation id, echoed in the reply ("" none) */
    int id_integer; /* the id was a JSON integer (id holds its digits): echoed as one */
    int counter; /* call recall start finish no_show park unpark transfer pause resume login logout
                  */
    char queue;  /* issue, transfer */
    int service; /* issue: optional, 0 none */
    int elderly; /* issue: receptionist marked green lane */
    char id_number[HQ_ID_NUMBER_LEN + 1]; /* issue: optional; never stored */
    char number[HQ_LABEL_MAX];            /* call (optional), unpark, reactivate, rate */
    int rating;                           /* rate: 1..5 */
    char clerk[HQ_CLERK_MAX];             /* login, staff; issue, reactivate: the staff member */
    char reason[HQ_REASON_MAX];           /* pause: optional; issue: why staff set the green lane */
    char token[HQ_TOKEN_MAX]; /* issue: optional; a repeat with the same token gets the same ticket
                               */
    /* login, staff, and with `clerk` on issue and reactivate: checked against the clerk
     * roster, never kept */
    char pin[HQ_PIN_MAX];
    char date[11]; /* book: the slot's business day */
    int slot;      /* book: the slot's start, minutes after local midnight */
    char code[8];  /* cancel, check_in: the booking code, upper case */
    /* Who sent it, written by the daemon from the device key (never read from the wire): */
    int origin_window;          /* N of a "counter:N" key, 0 for any other sender */
    char device[HQ_DEVICE_MAX]; /* the key's name, "" without keys */
} hq_request_t;

/* Decodes one request frame. On HQ_MALFORMED, err says why and req->type/id are filled
 * when they could be read, so the error reply can echo them (req->type is HQ_REQ_COUNT_
 * otherwise). */
int hq_request_decode(const void *data, size_t len, hq_request_t *req, hq_error_t *err);
/* Encodes a request as a JSON string (caller frees). NULL on invalid request. */
char *hq_request_encode(const hq_request_t *req);
/* The same request as a JSON object (caller decrefs), for a caller that adds to it before
 * encoding. NULL on invalid request. */
json_t *hq_request_to_json(const hq_request_t *req);
/* Initialises a request of the given type. */
void hq_request_init(hq_request_t *req, hq_req_type_t type);

/* ---- JSON forms of shared values ---------------------------------------------------- */
/* The compact text of any value, the same bytes json_dumps(v, JSON_COMPACT) writes, in a
 * fraction of its time (every reply and event goes through it). Caller frees; *len (when
 * not NULL) gets its length. NULL when out of memory or v holds an infinity or NaN. */
char *hq_json_compact(const json_t *v, size_t *len);
/* JSON text written piece by piece into one growing buffer, in hq_json_compact's form: the
 * replies and events whose shape is fixed are written without building a tree first. Starts
 * zeroed; a failure (out of memory) sticks and hq_jtext_end then says so. */
typedef struct {
    char *buf;
    size_t len, cap;
    int failed;
} hq_jtext_t;
/* Text that is JSON already: punctuation, keys known to need no escape. */
void hq_jtext_raw(hq_jtext_t *o, const char *s, size_t n);
/* "" lit "": a string literal only (the length is its sizeof) */
#define hq_jtext_lit(o, lit) hq_jtext_raw((o), "" lit "", sizeof(lit) - 1)
void hq_jtext_int(hq_jtext_t *o, json_int_t v);
/* A string value, quoted and escaped as hq_json_compact does. */
void hq_jtext_str(hq_jtext_t *o, const char *s);
/* The text so far, NUL-terminated (it stays the caller's to free); NULL when a step failed. */
const char *hq_jtext_end(hq_jtext_t *o);
void hq_jtext_free(hq_jtext_t *o);
/* A ticket's object as text: the same bytes as hq_json_compact(hq_ticket_to_json(t)). */
void hq_ticket_write(hq_jtext_t *o, const hq_ticket_t *t);
json_t *hq_ticket_to_json(const hq_ticket_t *t);
int hq_ticket_from_json(const json_t *j, hq_ticket_t *t, hq_error_t *err);
json_t *hq_counter_to_json(const hq_counter_t *c);
int hq_counter_from_json(const json_t *j, hq_counter_t *c, hq_error_t *err);

/* ---- replies ------------------------------------------------------------------------ */
/* Builds the reply envelope {"v":1,"id":..,"type":..,"ok":true} to which the caller adds
 * fields; or an error reply. */
json_t *hq_reply_new(const hq_request_t *req);
json_t *hq_reply_error(const char *id, const char *type, hq_error_code_t code, const char *message);
/* The error reply to a request: its id echoed as it came, its type when it has one. */
json_t *hq_reply_refuse(const hq_request_t *req, hq_error_code_t code, const char *message);
/* Sets the reply's "id" to the request's, as it came (an integer stays an integer). 0, or -1
 * when out of memory (the reply then has no id). */
int hq_reply_echo_id(json_t *reply, const hq_request_t *req);

typedef struct {
    int ok;           /* 1 success, 0 error reply */
    char type[24];    /* request type it answers */
    char id[64];      /* correlation id */
    hq_error_t error; /* when !ok */
    json_t *body;     /* the whole reply object (owned; free with hq_reply_clear) */
} hq_reply_t;

int hq_reply_decode(const void *data, size_t len, hq_reply_t *reply);
void hq_reply_clear(hq_reply_t *reply);

/* ---- events -------------------------------------------------------------------------- */
typedef enum {
    HQ_EV_ISSUED = 0,
    HQ_EV_CALLED,
    HQ_EV_RECALLED,
    HQ_EV_STARTED,
    HQ_EV_FINISHED,
    HQ_EV_NO_SHOW,
    HQ_EV_REACTIVATED,
    HQ_EV_PARKED,
    HQ_EV_UNPARKED,
    HQ_EV_TRANSFERRED,
    HQ_EV_RATED,
    HQ_EV_COUNTER,
    HQ_EV_METRIC,
    HQ_EV_ALERT,
    HQ_EV_DAY,
    HQ_EV_HEARTBEAT,
    HQ_EV_BOOKING,     /* a booking was made, cancelled, checked in, or became a no-show */
    HQ_EV_QUEUE_ALERT, /* a queue's wait or handling alert was raised or cleared */
    HQ_EV_COUNT_
} hq_event_type_t;

const char *hq_event_type_name(hq_event_type_t t);
int hq_event_type_parse(const char *name);

/* Waiting counts of one queue. */
typedef struct {
    char queue;
    int waiting; /* all waiting tickets */
    int green;   /* of which green lane */
} hq_depth_t;

/* A decoded event. Which parts are present depends on the type (PROTOCOL.md). */
typedef struct {
    hq_event_type_t type;
    int64_t seq; /* heartbeat: the latest sequence number published */
    int64_t ts_ms;
    int has_ticket;
    hq_ticket_t ticket;
    int has_counter;
    hq_counter_t counter;
    char from_queue; /* transferred: queue it left */
    int has_depths;  /* the event carries the waiting counts (any event may: PROTOCOL.md) */
    int ndepths;
    hq_depth_t depths[HQ_QUEUES_MAX];
    json_t *body; /* the whole body (owned; free with hq_event_clear) */
} hq_event_t;

int hq_event_decode(const char *topic, const void *data, size_t len, hq_event_t *ev);
void hq_event_clear(hq_event_t *ev);

/* ---- the catalog reply -------------------------------------------------------------- */
/* The hall's rules as the catalog states them. */
typedef struct {
    int elderly_age;         /* green lane from this age on */
    int green_max_in_row;    /* green calls in a row, hall-wide, while normal tickets wait */
    int normal_max_wait_min; /* a normal ticket waiting this long goes first */
    int handling_target_min; /* the handling-time target of instant items */
    int noshow_after_calls;  /* calls before a no-show may be marked */
    int heartbeat_ms;        /* heartbeat interval of the event socket */
} hq_rules_t;

/* The rules of hq_rules_t with the range each must be in, X(field, lo, hi): the range a hall's
 * configuration is read with and a catalog reply is checked against. */
#define HQ_RULES(X)                                                                                \
    X(elderly_age, 40, 120)                                                                        \
    X(green_max_in_row, 1, 100)                                                                    \
    X(normal_max_wait_min, 1, 1440)                                                                \
    X(handling_target_min, 1, 600)                                                                 \
    X(noshow_after_calls, 1, 10)                                                                   \
    X(heartbeat_ms, 100, 60000)

typedef struct {
    char prefix;      /* 'A'..'Z' */
    const char *name; /* e.g. 参保登记与变更 */
    int instant;      /* every item of the queue is instant */
} hq_catalog_queue_t;

typedef struct {
    int no;                 /* catalog item number, as on the ticket and in an issue request */
    char queue;             /* the queue it is handled in */
    int instant;            /* instant item (即时办结): counts for the handling target */
    const char *main_item;  /* 事项, "" when none */
    const char *sub_item;   /* 子项, "" when none */
    const char *name;       /* the sub item, or the main item when there is none */
    const char **materials; /* required materials (一次性告知), none empty */
    size_t nmaterials;
    const char *time_limit; /* "" when none, as mode and steps */
    const char *mode;
    const char *steps;
} hq_catalog_service_t;

typedef struct {
    int id;
    char queues[HQ_QUEUES_MAX + 1];
} hq_catalog_counter_t;

/* A decoded catalog reply. Every string points into root. */
typedef struct {
    json_t *root;          /* the reply (a reference of the catalog's own) */
    const char *hall_name; /* "" when not given, as notice, footer and timezone */
    const char *notice;
    const char *footer;   /* hall.ticket_footer */
    const char *timezone; /* IANA name such as Asia/Shanghai */
    hq_rules_t rules;     /* a rule missing or out of range keeps its default */
    hq_catalog_queue_t *queues;
    size_t nqueues;
    hq_catalog_service_t *services;
    size_t nservices;
    hq_catalog_counter_t *counters;
    size_t ncounters;
    int nskipped;     /* malformed entries and rules left out; err named the first */
    double sim_speed; /* > 0: the hall runs on a simulated clock this many times real time */
} hq_catalog_t;

/* The daemon's default rules (a catalog that states none has these). */
void hq_rules_default(hq_rules_t *rules);
/* Decodes a catalog reply body. One malformed queue, service, counter or rule is left out
 * (counted in nskipped, the first named in err) rather than hiding the rest: the caller
 * decides whether that is enough. HQ_MALFORMED when the body is not an object or a part of
 * it has the wrong type; cat is then empty. */
int hq_catalog_decode(const json_t *reply, hq_catalog_t *cat, hq_error_t *err);
/* A ping, snapshot or catalog reply of a hall on a simulated clock (hallqd --simulate) says so
 * ("simulated": true, "speed"): its speed, else 0 (real time). */
double hq_reply_sim_speed(const json_t *reply);
void hq_catalog_clear(hq_catalog_t *cat); /* safe twice */
const hq_catalog_queue_t *hq_catalog_queue(const hq_catalog_t *cat, char prefix);
const hq_catalog_service_t *hq_catalog_service(const hq_catalog_t *cat, int no);

/* ---- misc ------------------------------------------------------------------------------ */
int64_t hq_now_ms(void);       /* wall clock, epoch ms */
int64_t hq_monotonic_ms(void); /* for timeouts */
/* Parses a whole decimal number in [lo, hi] that is all of s. 0 ok, -1 otherwise. */
int hq_parse_long(const char *s, long lo, long hi, long *out);
int hq_parse_int(const char *s, int lo, int hi, int *out);
/* Copies src into dst (size n), always NUL-terminated; returns -1 when truncated. */
int hq_strlcpy(char *dst, const char *src, size_t n);
/* Writes the reason for a failure into why (printf-style) and returns -1, for
 * `return hq_fail(why, whylen, "...", ...);`. */
int hq_fail(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
