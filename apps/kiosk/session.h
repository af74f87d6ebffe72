/* session: the kiosk's state machine. Pure: keys, hallqd's replies, how keeping and
 * printing went, the clock and the date come in as values; what to do next comes out as an
 * action (send this request, keep or print this ticket, read the kept one, stop). No
 * curses, no sockets, no files: main.c carries the actions out and reports back, and
 * view.c draws the session.
 *
 * States (one switch in session.c decides what a key does in each):
 *   OFFLINE   no catalog yet: asking hallqd, again every KIOSK_RETRY_MS (any key: now)
 *   QUEUES    the start page: choose a category (R prints the last ticket again, Q quits)
 *   SERVICES  choose the service within the category
 *   CONFIRM   materials and the green lane; Enter takes the number
 *   ID_ENTRY  typing an ID number that decides the green lane, here and only here
 *   ISSUING   the issue request is in flight; no answer in time: asked again with the same
 *             idempotency token, up to KIOSK_ATTEMPTS times, so hallqd issues one ticket
 *   PRINTING  the new ticket is kept (for reprinting), then printed
 *   RESULT    the number and how printing went; R prints the same ticket again, never a
 *             second one
 *   QUIT      the program ends
 * Errors are a message line on the page they concern (a refused issue on CONFIRM, a bad
 * ID number on ID_ENTRY). */
#ifndef HQ_TICKET_SESSION_H
#define HQ_TICKET_SESSION_H

#include "catalog.h"
#include "hq_proto.h"
#include "idnum.h"
#include "ui_i18n.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Keys that are not characters, as the terminal layer passes them in. */
enum {
    KIOSK_KEY_UP = 0x10000,
    KIOSK_KEY_DOWN,
    KIOSK_KEY_LEFT,
    KIOSK_KEY_RIGHT,
    KIOSK_KEY_ENTER,
    KIOSK_KEY_ESC,
    KIOSK_KEY_BACKSPACE,
    KIOSK_KEY_F10
};

typedef enum {
    KIOSK_S_OFFLINE = 0,
    KIOSK_S_QUEUES,
    KIOSK_S_SERVICES,
    KIOSK_S_CONFIRM,
    KIOSK_S_ID_ENTRY,
    KIOSK_S_ISSUING,
    KIOSK_S_PRINTING,
    KIOSK_S_RESULT,
    KIOSK_S_QUIT
} kiosk_state_t;

const char *kiosk_state_name(kiosk_state_t s);

#define KIOSK_ATTEMPTS 3          /* sends of one request before hallqd counts as unreachable */
#define KIOSK_RETRY_MS 5000       /* catalog retry while hallqd cannot be reached */
#define KIOSK_RESULT_MS 30000     /* the result page goes back to the start after this */
#define KIOSK_IDLE_MS 90000       /* a half-finished choice is dropped after this */
#define KIOSK_LIST_MAX 64         /* rows a list offers */
#define KIOSK_TOKEN_PREFIX_MAX 36 /* see ticketing_token_prefix */

/* What the request in flight is for. */
typedef enum {
    KIOSK_REQ_NONE = 0,
    KIOSK_REQ_CATALOG, /* offline: the catalog the kiosk cannot work without */
    KIOSK_REQ_REFRESH, /* between citizens: a newer catalog, dropped quietly on failure */
    KIOSK_REQ_ISSUE    /* the citizen's ticket */
} kiosk_req_t;

typedef enum {
    KIOSK_DO_NOTHING = 0,
    KIOSK_DO_SEND,   /* send `request`, abandoning any other in flight */
    KIOSK_DO_CANCEL, /* abandon the request in flight: its reply is no longer wanted */
    KIOSK_DO_KEEP,   /* write `record` to the state file, then kiosk_session_kept() */
    KIOSK_DO_PRINT,  /* print `record` (`reprint`), then kiosk_session_printed() */
    KIOSK_DO_LOAD,   /* read the kept record, then kiosk_session_loaded() */
    KIOSK_DO_QUIT    /* stop the program */
} kiosk_do_t;

typedef struct {
    kiosk_do_t what;
    hq_request_t request; /* KIOSK_DO_SEND */
    const json_t *record; /* KIOSK_DO_KEEP, KIOSK_DO_PRINT: the session's, valid until the
                             next call into the session */
    int reprint;          /* KIOSK_DO_PRINT: marked as printed again */
} kiosk_action_t;

typedef struct {
    kiosk_state_t state; /* see above */
    ui_lang_t lang;      /* every text */
    char endpoint[256];  /* shown while offline */
    int timeout_ms;      /* one attempt of a request waits this long for its reply */
    char token_prefix[KIOSK_TOKEN_PREFIX_MAX]; /* this process; a count makes each token */
    unsigned tokens;                           /* tokens made so far */
    idnum_date_t today;                        /* the hall's date at the last tick */

    catalog_t cat;     /* queues and services, valid when have_cat */
    int have_cat;      /* a catalog came */
    catalog_t fresh;   /* a newer catalog, taken on at the start page */
    int have_fresh;    /* fresh holds one */
    unsigned catalogs; /* catalogs taken on so far (the time zone may have changed) */

    int cursor;                    /* highlighted row of a list */
    char queue;                    /* chosen category */
    int service;                   /* chosen service (catalog number), 0 none */
    int green;                     /* green lane marked */
    char id[HQ_ID_NUMBER_LEN + 1]; /* being typed; wiped once decided */
    size_t id_len;

    kiosk_req_t inflight; /* what the request in flight is for */
    kiosk_req_t wanted;   /* a request to send as soon as the line is free */
    int cancel;           /* the request in flight is to be abandoned */
    int attempt;          /* sends of the request in flight */
    int64_t deadline;     /* its reply is due by then (monotonic ms) */
    int64_t retry_at;     /* offline: the next catalog attempt */
    hq_request_t issue;   /* the issue request, with its token */
    int issue_open;       /* hallqd has not answered `issue` yet: Enter on the same choice
                             sends it again with the same token */

    json_t *last;          /* the last ticket record (owned), for printing it again */
    int want_keep;         /* PRINTING: keep `last` first */
    int want_print;        /* PRINTING: print `last` */
    int want_load;         /* read the kept record (R on the start page after a restart) */
    int reprint;           /* the print asked for is a reprint */
    int printed;           /* the last print worked */
    int reprinted;         /* the last print was a reprint */
    char print_error[300]; /* why the last print failed */
    char extra[600];       /* a remark under the result (replacements, keeping failed) */

    char note[600];  /* the message line */
    int note_error;  /* shown as an error */
    int64_t entered; /* when the state was entered */
    int64_t input;   /* the last key */
} kiosk_session_t;

/* token_prefix names this process among every kiosk's (host, pid, start time); now is
 * monotonic ms. Starts OFFLINE, asking for the catalog. */
void kiosk_session_init(kiosk_session_t *s, ui_lang_t lang, const char *endpoint, int timeout_ms,
                        const char *token_prefix, int64_t now, idnum_date_t today);
void kiosk_session_free(kiosk_session_t *s);

/* ---- inputs ----------------------------------------------------------------------------- */
/* A key pressed (a character, or KIOSK_KEY_*). */
void kiosk_session_key(kiosk_session_t *s, int key, int64_t now);
/* The reply to the request in flight (the client matched it to the request). */
void kiosk_session_reply(kiosk_session_t *s, const hq_reply_t *reply, int64_t now);
/* The request in flight could not be sent, or the connection failed. */
void kiosk_session_no_reply(kiosk_session_t *s, int64_t now);
/* How keeping `last` went (why: "" when it worked). */
void kiosk_session_kept(kiosk_session_t *s, int ok, const char *why);
/* How printing went: ok, else why; replaced counts characters printed as '?'. */
void kiosk_session_printed(kiosk_session_t *s, int ok, const char *why, size_t replaced,
                           int64_t now);
/* The kept record (the session takes it), or NULL and why there is none. */
void kiosk_session_loaded(kiosk_session_t *s, json_t *record, const char *why, int64_t now);
/* The clock moved: replies overdue, pages timed out, the date. Call on every timer. */
void kiosk_session_tick(kiosk_session_t *s, int64_t now, idnum_date_t today);

/* ---- outputs ---------------------------------------------------------------------------- */
/* The next thing to do: 1 and act filled (the session counts it as under way), 0 nothing
 * now. Call until it returns 0 after every input. */
int kiosk_session_next(kiosk_session_t *s, int64_t now, kiosk_action_t *act);
/* Milliseconds until kiosk_session_tick has something to do, -1 when nothing is due. */
int64_t kiosk_session_wake(const kiosk_session_t *s, int64_t now);

/* ---- reading (for the view) ------------------------------------------------------------- */
/* The services a citizen may choose in the chosen category: out[0] is NULL ("no particular
 * service"), then the catalog's. Returns the rows, at most max. */
int kiosk_session_services(const kiosk_session_t *s, const catalog_service_t **out, int max);
/* Rows of the list shown now (categories or services), 0 on other pages. */
int kiosk_session_rows(const kiosk_session_t *s);
const char *kiosk_session_queue_name(const kiosk_session_t *s);
/* The chosen service, NULL for none. */
const catalog_service_t *kiosk_session_service(const kiosk_session_t *s);

#endif
