/* session: the kiosk's state machine. Pure: keys (and taps, as the keys they stand for),
 * hallqd's replies, how keeping and printing went, the clock and the date come in as values;
 * what to do next comes out as an action (send this request, keep or print this ticket,
 * stop). No curses, no sockets, no files: main.c carries the actions
 * out and reports back, and view.c draws the session.
 *
 * States (one switch in session_input.c decides what a key does in each):
 *   OFFLINE        no catalog, or hallqd stopped answering on the start page: the kiosk
 *                  shows it is paused and asks again every KIOSK_RETRY_MS (any key: now)
 *   QUEUES         the start page: choose a category
 *   SERVICES       choose the service within the category
 *   CONFIRM        materials and the green lane; Enter takes the number
 *   ID_ENTRY       typing an ID number that decides the green lane, here and only here
 *   CHECK_IN       预约签到: typing a booking code or the ID number it was booked with; Enter
 *                  sends `check_in` the way an issue is sent (ISSUING, same token on retries)
 *   ISSUING        the issue request is in flight; no answer in time: asked again with the
 *                  same idempotency token, up to KIOSK_ATTEMPTS times, so hallqd issues one
 *   PRINTING       the new ticket is kept (for reprinting), then printed
 *   RESULT         the number and how printing went; for KIOSK_REPRINT_MS after it was
 *                  printed, R prints the same ticket again (never a second one); later
 *                  reprints are staff work
 *   STAFF_LOGIN    a staff member signs in with their name and PIN (the `staff` request);
 *                  reached by the staff button, or by Q / F10 as the exit prompt
 *   STAFF          staff mode: reprint one of today's tickets printed here, put a no-show
 *                  back in line, issue a green-lane ticket with a reason, leave the program
 *   STAFF_REPRINT  today's tickets printed here, to print one again
 *   STAFF_NUMBER   the number of a no-show to put back in line (`reactivate`)
 *   STAFF_REASON   why staff set the green lane (after the category and service)
 *   QUIT           the program ends
 * Staff mode ends after KIOSK_STAFF_IDLE_MS without a key, and the PIN is forgotten with it.
 * The hall's exit keys ([kiosk] exit_keys, in the catalog), pressed in turn on any page,
 * also end the program.
 *
 * hallqd's state is shown up front: while nobody is choosing, a ping goes out when hallqd has
 * been silent for KIOSK_PING_MS, and when a citizen starts choosing after KIOSK_FRESH_MS of
 * silence. No answer: the start page says the kiosk is paused (OFFLINE), and a citizen who is
 * choosing is told at once, not after the timeouts of an issue. Technical faults (a printer's
 * device, hallqd's address) are kept for staff; citizens see plain words. */
#ifndef HQ_TICKET_SESSION_H
#define HQ_TICKET_SESSION_H

#include "catalog.h"
#include "hq_proto.h"
#include "idnum.h"
#include "ui_i18n.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Keys that are not characters, as the terminal layer passes them in. A Ctrl key comes as
 * its control character (Ctrl-X: 24): the terminal is in raw mode. A tap on the screen comes
 * as the key of what was tapped (view.h: kiosk_view_hit). */
enum {
    KIOSK_KEY_UP = 0x10000,
    KIOSK_KEY_DOWN,
    KIOSK_KEY_LEFT,
    KIOSK_KEY_RIGHT,
    KIOSK_KEY_ENTER,
    KIOSK_KEY_ESC,
    KIOSK_KEY_BACKSPACE,
    KIOSK_KEY_TAB,
    KIOSK_KEY_F0 = 0x10100,    /* + n: the function key Fn, 1 to 12 (KIOSK_KEY_F) */
    KIOSK_KEY_STAFF = 0x10200, /* the staff button: sign in */
    KIOSK_KEY_FIELD = 0x10300, /* + n: a tap on field n of a form */
    KIOSK_KEY_PICK = 0x11000,  /* + i: a tap on row i of the list shown: chosen */
    KIOSK_KEY_GOTO = 0x12000,  /* + i: the cursor to row i (a page button of a long list) */
};
#define KIOSK_KEY_F(n) (KIOSK_KEY_F0 + (n))

typedef enum {
    KIOSK_S_OFFLINE = 0,
    KIOSK_S_QUEUES,
    KIOSK_S_SERVICES,
    KIOSK_S_CONFIRM,
    KIOSK_S_ID_ENTRY,
    KIOSK_S_CHECK_IN,
    KIOSK_S_ISSUING,
    KIOSK_S_PRINTING,
    KIOSK_S_RESULT,
    KIOSK_S_STAFF_LOGIN,
    KIOSK_S_STAFF,
    KIOSK_S_STAFF_REPRINT,
    KIOSK_S_STAFF_NUMBER,
    KIOSK_S_STAFF_REASON,
    KIOSK_S_QUIT
} kiosk_state_t;

const char *kiosk_state_name(kiosk_state_t s);

#define KIOSK_ATTEMPTS 3          /* sends of one issue before hallqd counts as unreachable */
#define KIOSK_RETRY_MS 5000       /* asking again while hallqd cannot be reached */
#define KIOSK_PING_MS 10000       /* hallqd silent this long, nobody choosing: a ping */
#define KIOSK_FRESH_MS 2000       /* a citizen starts choosing after this much silence: a ping */
#define KIOSK_RESULT_MS 30000     /* the result page goes back to the start after this */
#define KIOSK_REPRINT_MS 60000    /* a citizen may reprint their ticket this long */
#define KIOSK_IDLE_MS 90000       /* a half-finished choice is dropped after this */
#define KIOSK_STAFF_IDLE_MS 60000 /* staff mode (and its sign-in page) ends after this */
#define KIOSK_LIST_MAX 64         /* rows a list offers */
#define KIOSK_TOKEN_PREFIX_MAX 36 /* see ticketing_token_prefix */
#define KIOSK_EXIT_KEYS_MAX 8     /* keys of the exit combination */
#define KIOSK_STAFF_ITEMS 4       /* the staff menu's rows */
#define KIOSK_REASONS 4           /* the green lane's reasons: three written ones and "other" */
#define KIOSK_PIN_MIN 4           /* a PIN is 4 to 12 digits (hallqctl clerk add) */
#define KIOSK_PIN_MAX 12

/* What the request in flight is for. */
typedef enum {
    KIOSK_REQ_NONE = 0,
    KIOSK_REQ_CATALOG,   /* offline: the catalog the kiosk cannot work without */
    KIOSK_REQ_REFRESH,   /* between citizens: a newer catalog, dropped quietly on failure */
    KIOSK_REQ_PING,      /* is hallqd there */
    KIOSK_REQ_ISSUE,     /* a ticket */
    KIOSK_REQ_STAFF,     /* a staff member's name and PIN */
    KIOSK_REQ_REACTIVATE /* staff: a no-show back in line */
} kiosk_req_t;

typedef enum {
    KIOSK_DO_NOTHING = 0,
    KIOSK_DO_SEND,   /* send `request`, abandoning any other in flight */
    KIOSK_DO_CANCEL, /* abandon the request in flight: its reply is no longer wanted */
    KIOSK_DO_KEEP,   /* keep `record` (last ticket, today's list), then kiosk_session_kept() */
    KIOSK_DO_PRINT,  /* print `record` (`reprint`), then kiosk_session_printed() */
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
    char endpoint[256];  /* hallqd's address: shown to staff only */
    int timeout_ms;      /* one attempt of a request waits this long for its reply */
    char token_prefix[KIOSK_TOKEN_PREFIX_MAX]; /* this process; a count makes each token */
    unsigned tokens;                           /* tokens made so far */
    idnum_date_t today;                        /* the hall's date at the last tick */

    catalog_t cat;     /* queues and services, valid when have_cat */
    int have_cat;      /* a catalog came */
    catalog_t fresh;   /* a newer catalog, taken on at the start page */
    int have_fresh;    /* fresh holds one */
    unsigned catalogs; /* catalogs taken on so far (the time zone may have changed) */
    int exit_keys[KIOSK_EXIT_KEYS_MAX]; /* the hall's exit combination, in order */
    int nexit_keys;                     /* 0: none configured */
    int exit_progress;                  /* keys of it pressed in turn so far */

    int cursor;                    /* highlighted row of a list */
    char queue;                    /* chosen category */
    int service;                   /* chosen service (catalog number), 0 none */
    int green;                     /* green lane marked */
    int green_locked;              /* the ID check said "under the age": only staff set it */
    char id[HQ_ID_NUMBER_LEN + 1]; /* being typed; wiped once decided */
    size_t id_len;

    kiosk_req_t inflight;  /* what the request in flight is for */
    kiosk_req_t wanted;    /* a request to send as soon as the line is free */
    int cancel;            /* the request in flight is to be abandoned */
    int attempt;           /* sends of the request in flight */
    int64_t deadline;      /* its reply is due by then (monotonic ms) */
    int64_t retry_at;      /* offline: the next catalog attempt; down: the next ping */
    int down;              /* hallqd did not answer the last request */
    int64_t answered;      /* when hallqd last answered anything */
    hq_request_t issue;    /* the issue request, with its token */
    int issue_open;        /* hallqd has not answered `issue` yet: Enter on the same choice
                              sends it again with the same token */
    hq_request_t outgoing; /* a staff request (staff, reactivate) waiting or in flight */

    json_t *last;          /* the ticket on the result page (owned), to print it (again) */
    json_t *printed;       /* today's tickets printed here, oldest first (owned array) */
    int want_keep;         /* PRINTING: keep `last` first */
    int want_print;        /* PRINTING: print `last` */
    int reprint;           /* the print asked for is a reprint */
    int printed_ok;        /* the last print worked */
    int reprinted;         /* the last print was a reprint */
    int64_t printed_at;    /* when the ticket on the result page was first printed */
    char print_error[300]; /* why the last print failed (names the printer: for staff) */
    char extra[600];       /* a remark under the result (replacements, keeping failed) */
    char fault[400];       /* the last technical fault, for staff */

    /* staff mode */
    int exit_asked;                          /* the sign-in page was opened to leave the program */
    char staff_clerk[HQ_CLERK_MAX];          /* signed in: staff mode is on ("" off) */
    char staff_pin[HQ_PIN_MAX];              /* kept while staff mode lasts, for its requests */
    int staff_green;                         /* choosing a green-lane ticket for a citizen */
    int field;                               /* the form's field being typed (sign-in: 0 name) */
    char form_clerk[HQ_CLERK_MAX];           /* sign-in: the name typed */
    char form_pin[KIOSK_PIN_MAX + 1];        /* sign-in: the PIN typed (wiped once sent) */
    char form_number[HQ_LABEL_MAX];          /* STAFF_NUMBER: the ticket number typed */
    char form_reason[HQ_REASON_MAX];         /* STAFF_REASON: the reason typed ("other") */
    char form_booking[HQ_ID_NUMBER_LEN + 1]; /* CHECK_IN: a booking code or an ID number */
    int reason_typing;                       /* STAFF_REASON: typing one instead of choosing */
    char reason[HQ_REASON_MAX];              /* the green lane's reason, for the issue */

    char note[600];  /* the message line */
    int note_error;  /* shown as an error */
    int64_t entered; /* when the state was entered */
    int64_t input;   /* the last key */
    int64_t now;     /* the latest time the session was told of (monotonic ms) */
} kiosk_session_t;

/* token_prefix names this process among every kiosk's (host, pid, start time); now is
 * monotonic ms. Starts OFFLINE, asking for the catalog. The caller hands it the tickets this
 * kiosk printed earlier today (kiosk_session_loaded), for staff to reprint. */
void kiosk_session_init(kiosk_session_t *s, ui_lang_t lang, const char *endpoint, int timeout_ms,
                        const char *token_prefix, int64_t now, idnum_date_t today);
void kiosk_session_free(kiosk_session_t *s);

/* ---- inputs ----------------------------------------------------------------------------- */
/* A key pressed (a character, or KIOSK_KEY_*), or the key of what was tapped. */
void kiosk_session_key(kiosk_session_t *s, int key, int64_t now);
/* The reply to the request in flight (the client matched it to the request). */
void kiosk_session_reply(kiosk_session_t *s, const hq_reply_t *reply, int64_t now);
/* The request in flight could not be sent, or the connection failed. */
void kiosk_session_no_reply(kiosk_session_t *s, int64_t now);
/* How keeping `last` went (why: "" when it worked). */
void kiosk_session_kept(kiosk_session_t *s, int ok, const char *why);
/* How printing went: ok, else why (naming the printer); replaced counts characters printed
 * as '?'. */
void kiosk_session_printed(kiosk_session_t *s, int ok, const char *why, size_t replaced,
                           int64_t now);
/* Today's tickets kept by an earlier run, a JSON array of records (the session takes it), or
 * NULL: none. */
void kiosk_session_loaded(kiosk_session_t *s, json_t *records);
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
/* Today's tickets printed here, newest first (records, the session's): at most max. */
int kiosk_session_printed_today(const kiosk_session_t *s, const json_t **out, int max);
/* Rows of the list shown now (categories, services, the staff menu...), 0 on other pages. */
int kiosk_session_rows(const kiosk_session_t *s);
const char *kiosk_session_queue_name(const kiosk_session_t *s);
/* The chosen service, NULL for none. */
const catalog_service_t *kiosk_session_service(const kiosk_session_t *s);
/* Staff mode is on. */
int kiosk_session_staff(const kiosk_session_t *s);
/* The ticket on the result page may be printed again now: by the citizen within
 * KIOSK_REPRINT_MS of its print, by staff at any time. */
int kiosk_session_may_reprint(const kiosk_session_t *s);
/* The words of the green lane's written reason i (0 .. KIOSK_REASONS - 2). */
const char *kiosk_session_reason(const kiosk_session_t *s, int i);

#endif
