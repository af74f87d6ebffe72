/* kiosk_texts: every word hallq-ticket shows, prints or reports, in Chinese and English, as
 * one ui_i18n table (see ui_i18n.h): the kiosk's screens, its reasons for refusing an ID
 * number, the printed ticket's labels, the printer's errors and the command line's summary.
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
    KT_HELP_WAIT,
    /* offline: no catalog yet */
    KT_CONNECTING,  /* %s endpoint */
    KT_UNREACHABLE, /* %d seconds, %s why */
    KT_HELP_CONNECTING,
    /* choosing */
    KT_CHOOSE_QUEUE,
    KT_CHOOSE_SERVICE,
    KT_NO_SERVICE,
    KT_HELP_QUEUES,
    KT_HELP_LIST,
    /* confirming */
    KT_MATERIALS,
    KT_NO_MATERIALS,
    KT_GREEN_ON,
    KT_GREEN_OFF,
    KT_HELP_CONFIRM,
    /* ID number */
    KT_ID_PROMPT,
    KT_ID_PRIVACY, /* %d elderly age */
    KT_HELP_ID,
    KT_ID_GREEN,  /* %d */
    KT_ID_NORMAL, /* %d */
    KT_ID_LENGTH, /* %zu characters typed */
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
    /* printing and the result */
    KT_PRINTING,
    KT_YOUR_NUMBER,
    KT_GREEN_MARK,
    KT_AHEAD, /* %d */
    KT_WAIT,  /* %d */
    KT_WAIT_UNDER,
    KT_PRINTED,
    KT_REPRINTED,
    KT_PRINT_FAILED, /* %s */
    KT_PRINT_HINT,
    KT_HELP_RESULT,
    KT_NO_LAST,
    KT_STALE_LAST, /* %s label, %s day */
    KT_REPLACED,   /* %zu */
    KT_NOT_KEPT,   /* %s */
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
