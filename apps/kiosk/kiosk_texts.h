/* kiosk_texts: every word hallq-ticket shows, prints or reports, in Chinese and English, as
 * one ui_i18n table (see ui_i18n.h): the kiosk's screens and buttons, staff mode, its reasons
 * for refusing an ID number, the printed ticket's labels, the printer's errors and the command
 * line's summary. What citizens read names no device and no address: those are in the texts
 * staff read (KT_FAULT_UNREACHABLE, KT_STAFF_INFO, KT_STAFF_FAULT).
 * The table is checked like every other (both languages, the same printf conversions, no
 * ambiguous-width characters) by tests/ticket/test_kiosk_view.c; it belongs in the
 * all-tables test (tests/unit/test_texts.c) too, which then links hqticket. */
#ifndef HQ_TICKET_KIOSK_TEXTS_H
#define HQ_TICKET_KIOSK_TEXTS_H

#include "ui_i18n.h"

typedef enum {
    KT_NONE = 0,
    /* every screen */
    KT_TITLE,
    /* hallqd not there */
    KT_CONNECTING,
    KT_PAUSED_TITLE,
    KT_PAUSED,
    KT_DOWN_CHOOSING,
    KT_FAULT_UNREACHABLE, /* %s hallqd's address (for staff) */
    /* choosing */
    KT_CHOOSE_QUEUE,
    KT_CHOOSE_SERVICE,
    KT_NO_SERVICE,
    /* confirming */
    KT_MATERIALS,
    KT_NO_MATERIALS,
    KT_GREEN_ON,
    KT_GREEN_OFF,
    KT_GREEN_LOCKED, /* %d elderly age */
    /* ID number */
    KT_ID_PROMPT,
    KT_ID_PRIVACY, /* %d elderly age */
    KT_ID_GREEN,   /* %d */
    KT_ID_NORMAL,  /* %d */
    KT_ID_LENGTH,  /* %zu characters typed */
    KT_ID_CHARACTERS,
    KT_ID_BIRTH_DATE,
    KT_ID_CHECK_DIGIT,
    KT_ID_FUTURE,
    /* issuing */
    KT_ISSUING,
    KT_RETRYING,     /* %d attempt, %d of */
    KT_ISSUE_FAILED, /* %s reason */
    KT_ISSUE_UNREACHABLE,
    KT_BAD_REPLY,
    KT_REFUSED_SERVICE,
    KT_REFUSED_STATE,
    KT_REFUSED_FORBIDDEN,
    KT_REFUSED_STORE,
    KT_REFUSED_BUSY,
    KT_REFUSED_OTHER,
    /* the calendar and the quota (号源) refused the issue */
    KT_NOT_ISSUING,        /* %s today's issuing hours */
    KT_CLOSED_TODAY,       /* %s the next working day */
    KT_CLOSED_TODAY_PLAIN, /* no next working day known */
    KT_QUOTA,
    KT_QUOTA_GREEN,       /* the reserve is the green lane's */
    KT_QUOTA_APPOINTMENT, /* the reserve is the appointments' */
    /* 预约签到 */
    KT_BTN_CHECK_IN,
    KT_CHECK_IN_TITLE,
    KT_CHECK_IN_FIELD,
    KT_CHECK_IN_HINT,
    KT_CHECK_IN_FORMAT,
    KT_CHECK_IN_UNKNOWN,
    KT_CHECK_IN_EARLY, /* %s when check-in opens */
    KT_CHECK_IN_NOT_TODAY,
    KT_CHECK_IN_USED,
    KT_CHECK_IN_LATE,
    KT_SLOT,        /* %s the slot's start */
    KT_TICKET_SLOT, /* %s the slot's start, on paper */
    /* printing and the result */
    KT_PRINTING,
    KT_YOUR_NUMBER,
    KT_GREEN_MARK,
    KT_AHEAD, /* %d */
    KT_WAIT,  /* %d */
    KT_WAIT_UNDER,
    KT_PRINTED,
    KT_REPRINTED,
    KT_PRINT_FAILED,
    KT_PRINT_HINT,
    KT_PRINT_HINT_DESK,
    KT_REPRINT_LATE,
    KT_STALE_LAST, /* %s label, %s day */
    KT_REPLACED,   /* %zu */
    KT_NOT_KEPT,   /* %s */
    /* the buttons */
    KT_BTN_STAFF,
    KT_BTN_BACK,
    KT_BTN_TAKE,
    KT_BTN_GREEN,
    KT_BTN_ID,
    KT_BTN_CONFIRM,
    KT_BTN_CANCEL,
    KT_BTN_DELETE,
    KT_BTN_REPRINT,
    KT_BTN_DONE,
    KT_BTN_PREV,
    KT_BTN_NEXT,
    KT_BTN_NEXT_FIELD,
    KT_BTN_NEXT_STEP,
    KT_BTN_SIGN_IN,
    KT_BTN_END_STAFF,
    KT_BTN_REACTIVATE,
    /* staff sign-in and the exit prompt */
    KT_STAFF_TITLE,
    KT_EXIT_TITLE,
    KT_EXIT_EXPLAIN,
    KT_EXIT_KEYS_SET,
    KT_EXIT_HOWTO,
    KT_STAFF_NEEDS_ROSTER,
    KT_STAFF_OFFLINE,
    KT_STAFF_NAME,
    KT_STAFF_PIN,
    KT_STAFF_NAME_NEEDED,
    KT_STAFF_PIN_NEEDED, /* %d, %d digits */
    KT_STAFF_CHECKING,
    KT_STAFF_SIGN_IN_FAILED, /* %s */
    KT_STAFF_REFUSED_PIN,
    KT_STAFF_REFUSED_NAME,
    KT_STAFF_NO_ROSTER,
    KT_STAFF_REFUSED_BUSY,
    KT_STAFF_REFUSED_OTHER,
    KT_STAFF_UNREACHABLE,
    KT_STAFF_WELCOME, /* %s clerk */
    /* staff mode */
    KT_STAFF_MENU,  /* %s clerk */
    KT_STAFF_INFO,  /* %s hallqd's address, %d seconds */
    KT_STAFF_FAULT, /* %s */
    KT_STAFF_ITEM_REPRINT,
    KT_STAFF_ITEM_REACTIVATE,
    KT_STAFF_ITEM_GREEN,
    KT_STAFF_ITEM_EXIT,
    KT_STAFF_REPRINT_TITLE,
    KT_STAFF_NONE_PRINTED,
    KT_GREEN_SUFFIX,
    KT_REACTIVATE_TITLE,
    KT_REACTIVATE_FIELD,
    KT_REACTIVATE_NUMBER,
    KT_REACTIVATED,       /* %s label */
    KT_REACTIVATE_FAILED, /* %s label, %s reason */
    KT_REACTIVATE_UNKNOWN,
    KT_REACTIVATE_STATE,
    KT_STAFF_GREEN_TITLE,
    KT_REASON_TITLE,
    KT_REASON_CARD,
    KT_REASON_CHECKED,
    KT_REASON_FRAIL,
    KT_REASON_OTHER,
    KT_REASON_FIELD,
    KT_REASON_NEEDED,
    /* the printed ticket */
    KT_TICKET_GREEN,
    KT_TICKET_REPRINT,
    KT_TICKET_SAMPLE,
    KT_TICKET_AHEAD, /* %d */
    KT_TICKET_WAIT,  /* %d */
    KT_TICKET_WAIT_UNDER,
    KT_TICKET_ISSUED, /* %s */
    KT_TICKET_MATERIALS,
    KT_TICKET_FOOTER,
    /* the printer */
    KT_OUT_OPEN_FAILED,  /* %s name, %s reason */
    KT_OUT_WRITE_FAILED, /* %s name, %s reason */
    KT_OUT_TIMED_OUT,    /* %s name, %d seconds */
    KT_OUT_CONNECT,      /* %s name, %s reason */
    KT_OUT_FILE,         /* %s name, %s reason */
    KT_OUT_NO_SUCH,      /* %s name */
    /* the command line's summary and advice */
    KT_CLI_GREEN,
    KT_CLI_AHEAD,        /* %d */
    KT_CLI_WAIT,         /* %d */
    KT_CLI_PRINT_FAILED, /* %s why, %s label */
    KT_COUNT_
} kiosk_text_t;

extern const ui_table_t kiosk_texts;

/* The text of `id` in `lang` (never NULL). */
const char *kiosk_tr(ui_lang_t lang, kiosk_text_t id);

#endif
