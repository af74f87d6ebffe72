/* i18n: every text the clerk terminal shows, in Chinese (default) and English.
 * One lib/ui table (hqc_texts), indexed by message id, so both languages stay complete side
 * by side; tests/unit/test_texts.c checks it with every other table of the hall. Only
 * ASCII, CJK and full-width punctuation are used: East Asian "ambiguous width" characters
 * take one column in some terminals and two in others, which would break the column layout. */
#ifndef HQC_I18N_H
#define HQC_I18N_H

#include "hq_proto.h"
#include "ui_i18n.h"

typedef enum {
    HQC_M_NONE = 0,
    /* header and state */
    HQC_M_WINDOW, /* %d: window number */
    HQC_M_CLERK,
    HQC_M_STATE,
    HQC_M_ST_CLOSED,
    HQC_M_ST_IDLE,
    HQC_M_ST_CALLING,
    HQC_M_ST_SERVING,
    HQC_M_ST_PAUSED,
    HQC_M_ST_UNKNOWN,
    HQC_M_ST_LOGIN,
    HQC_M_ST_PIN,
    /* banners */
    HQC_M_BANNER_OFFLINE,    /* %s: time of the last good state */
    HQC_M_BANNER_CONNECTING, /* %s: endpoint */
    HQC_M_BANNER_LOGIN,      /* %d window, %s clerk */
    HQC_M_BANNER_PIN,        /* %s clerk, %d window */
    HQC_M_BANNER_TAKEN,      /* %s: clerk who took over */
    HQC_M_BANNER_CLOSED,
    HQC_M_BANNER_ALERT,          /* %s mean handling, %d target minutes */
    HQC_M_BANNER_QUEUE_WAIT,     /* %c queue, %d minutes, %d target, %s advice */
    HQC_M_BANNER_QUEUE_HANDLING, /* %c queue, %s mean, %d target, %s advice */
    HQC_M_ADVICE_OPEN,
    HQC_M_ADVICE_TAKE_OVER,
    HQC_M_ADVICE_NONE,
    HQC_M_SMALL, /* terminal too small */
    /* ticket area */
    HQC_M_NOW,
    HQC_M_GREEN_MARK,
    HQC_M_NORMAL_LANE,
    HQC_M_SERVICE,    /* %d: service number */
    HQC_M_PARKED_FOR, /* %s: how long */
    HQC_M_WAITED,
    HQC_M_CALLS, /* %d */
    HQC_M_HANDLING,
    HQC_M_OVER,        /* over target by */
    HQC_M_TIME_LIMIT,  /* %s the catalog's time limit */
    HQC_M_NOT_INSTANT, /* %d target minutes */
    HQC_M_WHY_PICKED,
    HQC_M_TRANSFERRED, /* %c: queue it came from */
    HQC_M_MATERIALS,
    HQC_M_NO_SERVICE,
    HQC_M_CATALOG_LOADING,
    HQC_M_SERVICE_UNKNOWN, /* %d */
    HQC_M_MORE_LINES,      /* %d */
    HQC_M_IDLE_HINT,
    HQC_M_PAUSED_HINT, /* %s reason */
    HQC_M_CLOSED_HINT,
    HQC_M_NO_DATA,
    HQC_M_PARKED_LIST,
    HQC_M_NOSHOW_LIST,
    HQC_M_RATE_HINT, /* %s label */
    HQC_M_PAIR_CODE, /* %s code, %s clock it expires at, %d minutes left */
    /* queues and figures */
    HQC_M_WAITING_TITLE,
    HQC_M_TOTAL,
    HQC_M_PEOPLE,      /* %d */
    HQC_M_GREEN_COUNT, /* %d */
    HQC_M_FIGURES_TITLE,
    HQC_M_FIG_COUNT,  /* %d */
    HQC_M_FIG_AVG,    /* %s avg, %s target */
    HQC_M_FIG_WITHIN, /* %d percent, %d minutes */
    HQC_M_FIG_MAX,    /* %s */
    HQC_M_FIG_NONE,
    HQC_M_FIG_UNKNOWN,
    HQC_M_RECENT_TITLE,
    /* keys (footer labels) */
    HQC_M_K_CALL,
    HQC_M_K_NUMBER,
    HQC_M_K_RECALL,
    HQC_M_K_START,
    HQC_M_K_FINISH,
    HQC_M_K_NO_SHOW,
    HQC_M_K_REQUEUE,
    HQC_M_K_PARK,
    HQC_M_K_UNPARK,
    HQC_M_K_TRANSFER,
    HQC_M_K_PAUSE,
    HQC_M_K_RESUME,
    HQC_M_K_RATE,
    HQC_M_K_PAIR,
    HQC_M_K_LOGIN,
    HQC_M_K_QUIT,
    HQC_M_K_PICK_HELP,  /* footer while a list is open */
    HQC_M_K_ENTRY_HELP, /* footer while typing a number */
    HQC_M_K_PIN_HELP,   /* footer while typing the PIN */
    /* pickers */
    HQC_M_PICK_NUMBER,
    HQC_M_PICK_PIN,
    HQC_M_PICK_WAITING,
    HQC_M_PICK_NONE_WAITING,
    HQC_M_PICK_PARKED,
    HQC_M_PICK_QUEUE,
    HQC_M_PICK_REASON,
    HQC_M_PICK_RATING, /* %s label */
    HQC_M_PICK_NOSHOW,
    HQC_M_NOSHOW_AT, /* %s clock of its last call */
    HQC_M_LOGOUT_TITLE,
    HQC_M_LOGOUT_HELD, /* %s label */
    HQC_M_LO_YES,      /* %d window */
    HQC_M_LO_KEEP,
    HQC_M_LO_KEEP_HELD, /* %s label */
    HQC_M_LO_BACK,
    HQC_M_LO_FINISH,   /* %s label */
    HQC_M_LO_PARK,     /* %s label */
    HQC_M_LO_TRANSFER, /* %s label */
    HQC_M_LO_NO_SHOW,  /* %s label */
    HQC_M_REASON_1,
    HQC_M_REASON_2,
    HQC_M_REASON_3,
    HQC_M_REASON_4,
    HQC_M_REASON_5,
    /* refusals: keys that make no sense now */
    HQC_M_R_OFFLINE,
    HQC_M_R_BUSY,
    HQC_M_R_LOGGING_IN,
    HQC_M_R_NOT_MINE,
    HQC_M_R_PAUSED,
    HQC_M_R_HELD, /* %s */
    HQC_M_R_EMPTY,
    HQC_M_R_SERVING,      /* %s */
    HQC_M_R_NOSHOW_EARLY, /* %s, %d calls, %d needed */
    HQC_M_R_NO_PARKED,
    HQC_M_R_NO_NOSHOW,
    HQC_M_R_NO_QUEUE,
    HQC_M_R_NO_RATE,
    HQC_M_R_LOGGED_IN,
    HQC_M_R_UNKNOWN_KEY, /* %s key name */
    HQC_M_R_BAD_NUMBER,  /* %s */
    HQC_M_R_NOT_WAITING, /* %s */
    HQC_M_R_NOT_SERVED,  /* %s label, %c queue */
    HQC_M_R_WAIT_LOGIN,
    HQC_M_R_PIN_SHORT, /* %d, %d digits */
    HQC_M_R_OFFLINE_LOGOUT,
    /* results */
    HQC_M_OK_LOGIN,    /* %d */
    HQC_M_OK_TAKEOVER, /* %d, %s previous clerk */
    HQC_M_OK_CALLED,   /* %s label, %s reason */
    HQC_M_OK_NONE,
    HQC_M_OK_RECALLED,    /* %s, %d */
    HQC_M_OK_STARTED,     /* %s */
    HQC_M_OK_FINISHED,    /* %s, %s handling */
    HQC_M_OK_NO_SHOW,     /* %s */
    HQC_M_OK_PARKED,      /* %s */
    HQC_M_OK_UNPARKED,    /* %s */
    HQC_M_OK_TRANSFERRED, /* %s, %c */
    HQC_M_OK_PAUSED,      /* %s */
    HQC_M_OK_RESUMED,
    HQC_M_OK_RATED,    /* %s, %s */
    HQC_M_OK_PAIR,     /* %s code */
    HQC_M_OK_PAIRED,   /* the code was typed into a rating tablet */
    HQC_M_TABLET_ON,   /* the state line: the window has its rating tablet */
    HQC_M_OK_REQUEUED, /* %s */
    HQC_M_OK_LOGGING_OUT,
    HQC_M_BYE,       /* %d window: printed after the screen closes */
    HQC_M_E_TIMEOUT, /* %d ms */
    HQC_M_E_TAKEN,   /* %s */
    HQC_M_E_PIN,     /* hallqd refused the PIN */
    /* hallqd's refusals, by their code (refusal.c) */
    HQC_M_X_MALFORMED,
    HQC_M_X_BAD_FIELD,
    HQC_M_X_UNKNOWN_QUEUE,
    HQC_M_X_UNKNOWN_COUNTER, /* %d */
    HQC_M_X_UNKNOWN_TICKET,  /* %s */
    HQC_M_X_STATE,
    HQC_M_X_STORE,
    HQC_M_X_FORBIDDEN,
    HQC_M_X_ROSTER,       /* %s clerk */
    HQC_M_X_RATE_LIMITED, /* %d seconds */
    HQC_M_X_INTERNAL,
    HQC_M_X_OTHER,
    /* ... and a bad_state refusal by its detail */
    HQC_M_XS_CLOSED,
    HQC_M_XS_TICKET_AT_WINDOW,
    HQC_M_XS_TICKET_STATE,
    HQC_M_XS_NOT_SERVED,
    HQC_M_XS_TOO_FEW_CALLS, /* %d calls needed */
    HQC_M_XS_SAME_QUEUE,
    HQC_M_XS_ALREADY_RATED,
    HQC_M_XS_ALREADY_PAUSED,
    HQC_M_XS_NOT_PAUSED,
    HQC_M_XS_QUEUE_FULL,
    /* the program ends: one line after the screen is given back */
    HQC_M_F_NO_WINDOW, /* %d window, %s the hall's windows */
    HQC_M_LIST_SEP,    /* between the items of a list */
    /* pick reasons, translated from the daemon's English */
    HQC_M_PR_GREEN,
    HQC_M_PR_OLDEST,
    HQC_M_PR_CHOSEN,
    HQC_M_PR_MAX_WAIT,    /* %d minutes */
    HQC_M_PR_GREEN_LIMIT, /* %d */
    HQC_M_PR_APPOINTMENT,
    HQC_M_PR_APPOINTMENT_LIMIT, /* %d */
    HQC_M_COUNT_
} hqc_msg_t;

extern const ui_table_t hqc_texts;

/* The text (a printf format for ids noted above) in the language; never NULL. */
const char *hqc_tr(ui_lang_t lang, hqc_msg_t id);
/* Why the ticket was called (its reason_code) in the language; green_max is the catalog's
 * green_max_in_row. A code this terminal does not know shows the daemon's English reason. */
void hqc_pick_reason(ui_lang_t lang, const hq_ticket_t *t, int green_max, char *out, int outlen);

#endif
