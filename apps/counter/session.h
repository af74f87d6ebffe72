/* session: the clerk terminal's state machine. Pure: keys, replies, events and the clock
 * come in as values; requests to send and the message line come out. The hall itself is
 * the mirror (hq_mirror_t), kept by hq_feed: the session never guesses the counter's state,
 * it reads it from the mirror, so the screen cannot drift from the daemon's truth.
 *
 * session.c holds the state and reads the model, session_keys.c decides what a key does in
 * each state (one switch), session_replies.c sends requests and reads replies and events.
 *
 * States:
 *   LOGIN   login not yet confirmed by hallqd; retried until it is (daemon may be down).
 *           The catalog is read first: it says whether the hall has a clerk roster
 *   PIN     typing the clerk's PIN (the hall has a roster, or hallqd refused the PIN)
 *   MAIN    the window's normal view: the action keys work
 *   NUMBER  typing a ticket number to call
 *   PARKED  choosing a parked ticket to take back
 *   QUEUE   choosing the queue to transfer the ticket to
 *   REASON  choosing why the window pauses
 *   RATING  choosing the citizen's rating of the ticket just finished
 *   NOSHOWS choosing a no-show of this window to put back in line (过号重排)
 *   LOGOUT  q asked whether to log out: logging out closes the window (and its clock); a
 *           ticket still at the window is dealt with first (finish, park, transfer or
 *           no-show, then the logout follows by itself); or quit and leave the window open
 *           as it stands (the next start takes it over)
 *   QUIT    the program ends (fatal says why when it is not the clerk's choice; logged_out
 *           when the clerk logged out) */
#ifndef HQC_SESSION_H
#define HQC_SESSION_H

#include "catalog.h"
#include "hq_mirror.h"
#include "i18n.h"
#include "keys.h"

/* Keys that are not characters, as the terminal layer passes them in. */
enum { HQC_KEY_UP = 0x10000, HQC_KEY_DOWN, HQC_KEY_ENTER, HQC_KEY_ESC, HQC_KEY_BACKSPACE };

typedef enum {
    HQC_S_LOGIN = 0,
    HQC_S_PIN,
    HQC_S_MAIN,
    HQC_S_NUMBER,
    HQC_S_PARKED,
    HQC_S_QUEUE,
    HQC_S_REASON,
    HQC_S_RATING,
    HQC_S_NOSHOWS,
    HQC_S_LOGOUT,
    HQC_S_QUIT
} hqc_state_t;

const char *hqc_state_name(hqc_state_t s);

#define HQC_LIST_MAX 32      /* rows a list picker offers */
#define HQC_REASONS 5        /* pause reasons offered */
#define HQC_MESSAGE_MS 20000 /* the message line clears after this long */
#define HQC_STALE_MS 1500    /* not live for longer than this: the screen greys and says so */
#define HQC_PAIR_MS 300000   /* a pairing code lives this long (PROTOCOL.md, Rating tablets) */

/* This window's figures today (instant items), as hallqd counts them. */
typedef struct {
    int count;
    int64_t avg_ms;
    int within;
    int64_t max_ms;
} hqc_figures_t;

typedef struct {
    hqc_state_t state;        /* see above */
    ui_lang_t lang;           /* language of every text */
    int counter;              /* window number */
    char clerk[HQ_CLERK_MAX]; /* who logs in here */
    char endpoint[128];       /* shown while connecting */
    int timeout_ms;           /* how long an action may wait for its reply */

    int logged_in;         /* hallqd confirmed the login at least once */
    hqc_catalog_t catalog; /* services, materials, rules */
    int catalog_wanted;    /* ask for the catalog when the line is free */
    hqc_figures_t figures; /* this window today */
    int figures_known;     /* figures came from hallqd */
    int figures_wanted;    /* ask for a snapshot to refresh them */

    int inflight;        /* a request awaits its reply */
    hq_request_t sent;   /* that request */
    int sent_is_action;  /* it was the clerk's (not background) */
    int queued;          /* a clerk action waits for the line */
    hq_request_t action; /* that action */
    int64_t retry_at;    /* background requests wait until then after a failure */

    int pick;                   /* highlighted row of the open list */
    char entry[HQ_LABEL_MAX];   /* number being typed */
    char pin_entry[HQ_PIN_MAX]; /* PIN being typed (shown as stars) */
    char pin[HQ_PIN_MAX];       /* the clerk's PIN, sent with every login; "" none */

    char message[256];  /* the one-line message */
    int message_error;  /* shown as an error */
    int64_t message_at; /* monotonic time it was set */

    char rate_label[HQ_LABEL_MAX]; /* finished here, not rated yet */

    char pair_code[8];    /* the rating tablet's one-time pairing code, "" none */
    int64_t pair_until;   /* when hallqd lets it lapse (its clock, epoch ms): shown to the
                           * clerk as a time of day */
    int64_t pair_gone_at; /* monotonic time the screen stops showing it */

    int logout_after;       /* log out once the clerk's action in hand succeeds */
    int logged_out;         /* hallqd closed the window at this clerk's logout */
    int was_live;           /* the model was live on the last tick */
    int went_offline;       /* the model went offline since it was last live */
    int64_t unsynced_since; /* monotonic time it stopped being live, 0 live */
    int64_t live_wall_ms;   /* wall clock when it was last live */
    char fatal[200];        /* why the program must end, "" none */
} hqc_session_t;

void hqc_session_init(hqc_session_t *s, int counter, const char *clerk, ui_lang_t lang,
                      const char *endpoint, int timeout_ms);
/* Frees what the session holds and wipes the PIN. */
void hqc_session_free(hqc_session_t *s);

/* ---- inputs ----------------------------------------------------------------------------- */
/* A key pressed (a character, or HQC_KEY_*). */
void hqc_session_key(hqc_session_t *s, const hq_mirror_t *m, int key, int64_t now);
/* The next request to send, if any: 1 and req filled (the session then counts it as in
 * flight), 0 nothing now. */
int hqc_session_next(hqc_session_t *s, int64_t now, hq_request_t *req);
/* The reply to the request in flight. */
void hqc_session_reply(hqc_session_t *s, const hq_reply_t *reply, int64_t now);
/* The request in flight got no reply (timeout or transport failure). Returns 1 when the
 * hall model should be re-read, because the action may or may not have happened. */
int hqc_session_no_reply(hqc_session_t *s, int64_t now);
/* An event the feed received and what the model made of it. */
void hqc_session_event(hqc_session_t *s, const hq_event_t *ev, hq_apply_t result, int64_t now);
/* Once per loop pass: follows the model's sync state, closes lists that no longer fit. */
void hqc_session_tick(hqc_session_t *s, const hq_mirror_t *m, int64_t now, int64_t now_wall);

/* ---- reading (for keys and view) ------------------------------------------------------ */
void hqc_session_facts(const hqc_session_t *s, const hq_mirror_t *m, hqc_facts_t *f);
int hqc_session_live(const hq_mirror_t *m);
/* The model is not live and has not been for a while: grey it and say so. */
int hqc_session_stale(const hqc_session_t *s, const hq_mirror_t *m, int64_t now);
const hq_counter_t *hqc_session_counter(const hqc_session_t *s, const hq_mirror_t *m);
/* The ticket at the window, or NULL. */
const hq_ticket_t *hqc_session_ticket(const hqc_session_t *s, const hq_mirror_t *m);
/* Parked tickets this window may take back, longest parked first. */
int hqc_session_parked(const hqc_session_t *s, const hq_mirror_t *m, const hq_ticket_t **out,
                       int max);
/* Waiting tickets of the queues this window serves: green lane first, then oldest. */
int hqc_session_waiting(const hqc_session_t *s, const hq_mirror_t *m, const hq_ticket_t **out,
                        int max);
/* No-shows marked at this window today, which it may put back in line: the latest called
 * first. */
int hqc_session_noshows(const hqc_session_t *s, const hq_mirror_t *m, const hq_ticket_t **out,
                        int max);
/* The choices of the logout question (HQC_S_LOGOUT), as the keys that make them, in the
 * order shown: without a ticket at the window 'y' log out, 'k' quit only, 'n' back; with
 * one, those of 'f' finish, 'p' park, 't' transfer and 'x' no-show that make sense now (each
 * then logs out), 'k' quit leaving the ticket at the window, and 'n'. */
int hqc_session_logout_keys(const hqc_session_t *s, const hq_mirror_t *m, int *keys, int max);
/* The handling target in ms (the snapshot's, else the catalog's rule). */
int64_t hqc_session_target_ms(const hqc_session_t *s, const hq_mirror_t *m);
/* The handling target applies to the ticket (an instant item, PROTOCOL.md's 10-minute rule). */
int hqc_session_instant(const hqc_session_t *s, const hq_ticket_t *t);
/* This window's instant items today average above the handling target: the daemon's alert
 * for the window (metric_above's rule), from the figures every finish here updates. */
int hqc_session_alert(const hqc_session_t *s, const hq_mirror_t *m);
/* Queues the ticket at the window may be transferred to (prefixes, in hall order). */
int hqc_session_targets(const hqc_session_t *s, const hq_mirror_t *m, char *out, int max);
/* The pause reasons offered, 0..HQC_REASONS-1. */
hqc_msg_t hqc_session_reason(int i);
/* The tablet pairing code still valid now, or NULL; *left_ms (optional) gets its time left. */
const char *hqc_session_pair_code(const hqc_session_t *s, int64_t now, int64_t *left_ms);
/* The message line, or "" when there is none or it is old. */
const char *hqc_session_message(const hqc_session_t *s, int64_t now, int *error);

#endif
