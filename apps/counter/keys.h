/* keys: the clerk's actions, the one key each, and when each makes sense.
 * The legality table is pure: it looks at facts gathered from the hall model, so the same
 * rules grey the footer, refuse a key with a one-line reason, and are unit-tested. */
#ifndef HQC_KEYS_H
#define HQC_KEYS_H

#include "hq_proto.h"
#include "i18n.h"

typedef enum {
    HQC_A_CALL = 0, /* call the next ticket by the hall's fairness rules */
    HQC_A_NUMBER,   /* call a chosen waiting number */
    HQC_A_RECALL,   /* call the ticket at the window again */
    HQC_A_START,    /* the citizen arrived: handling starts */
    HQC_A_FINISH,   /* handling done */
    HQC_A_NO_SHOW,  /* the called citizen did not come */
    HQC_A_REQUEUE,  /* put a no-show of this window back in line (过号重排) */
    HQC_A_PARK,     /* set the ticket aside (missing document, 挂起) */
    HQC_A_UNPARK,   /* take a parked ticket back */
    HQC_A_TRANSFER, /* send the ticket to another queue */
    HQC_A_PAUSE,    /* pause with a reason, or resume when paused */
    HQC_A_RATE,     /* record the citizen's rating of the ticket just finished */
    HQC_A_PAIR,     /* a one-time code that pairs the window's rating tablet */
    HQC_A_LOGIN,    /* log in again after a takeover or a logout elsewhere */
    HQC_A_QUIT,
    HQC_A_COUNT_
} hqc_action_t;

typedef struct {
    hqc_action_t action;
    int key;             /* the key, a lower-case letter (upper case works too) */
    hqc_msg_t label;     /* footer label */
    hqc_msg_t label_alt; /* label in the alternate state (pause -> resume) */
    int needs_daemon;    /* refused while offline or while another action is in flight */
    int needs_window;    /* needs this clerk logged in at the window */
    unsigned states;     /* counter states it makes sense in (bit per hq_counter_state_t) */
} hqc_key_t;

/* The table, in footer order, indexed by hqc_action_t. */
const hqc_key_t *hqc_key(hqc_action_t a);
/* The action bound to a key (either case), or -1. */
int hqc_key_action(int key);

/* Facts the legality of a key depends on; gathered from the model by the session. */
typedef struct {
    int link_up;                   /* the hall model is live (snapshot loaded, events flowing) */
    int logged_in;                 /* hallqd confirmed this terminal's login */
    int mine;                      /* the counter's clerk is this terminal's clerk */
    int busy;                      /* a clerk action awaits its reply */
    hq_counter_state_t state;      /* the counter as the model has it */
    char label[HQ_LABEL_MAX];      /* ticket at the window, "" none */
    int ticket_state;              /* its hq_ticket_state_t, -1 none */
    int calls;                     /* its calls at this window */
    int noshow_after;              /* calls needed before no-show (rule) */
    int parked;                    /* parked tickets this window may take back */
    int noshows;                   /* no-shows marked here that may go back in line */
    int other_queues;              /* queues a ticket could be transferred to */
    char rate_label[HQ_LABEL_MAX]; /* finished here and not rated yet, "" none */
} hqc_facts_t;

/* HQC_M_NONE when the action makes sense now, else the message id of the reason. */
hqc_msg_t hqc_key_check(hqc_action_t a, const hqc_facts_t *f);
/* Same, and writes the reason as one line in the language (empty when legal).
 * Returns 0 legal, -1 refused. */
int hqc_key_refusal(hqc_action_t a, const hqc_facts_t *f, ui_lang_t lang, char *out, int outlen);
/* Footer label of the action given the counter state (pause shows "resume" when paused). */
hqc_msg_t hqc_key_label(hqc_action_t a, hq_counter_state_t state);

#endif
