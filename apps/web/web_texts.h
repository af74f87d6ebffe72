/* What hallq-web's pages say, in both languages (lib/ui's tables; test_texts checks them). */
#ifndef WEB_TEXTS_H
#define WEB_TEXTS_H

#include "ui_i18n.h"

typedef enum {
    WT_NONE = 0,
    WT_TITLE,          /* the progress page's title */
    WT_AHEAD,          /* %d people ahead */
    WT_AHEAD_NONE,     /* nobody ahead */
    WT_WAIT_MIN,       /* about %d minutes */
    WT_WAIT_SOON,      /* any moment now */
    WT_WAITING,        /* the state line while waiting */
    WT_CALLED,         /* please go to window %d (the big line) */
    WT_CALLED_DETAIL,  /* under it */
    WT_SERVING,        /* at window %d */
    WT_PARKED,         /* set aside at window %d */
    WT_PARKED_DETAIL,  /* ... */
    WT_NO_SHOW,        /* missed the call */
    WT_NO_SHOW_DETAIL, /* ... */
    WT_FINISHED,       /* done */
    WT_FINISHED_DETAIL,
    WT_EXPIRED,       /* the day ended */
    WT_OFFLINE,       /* the daemon is gone: what the page shows may be old */
    WT_LOST,          /* the page lost its server: reconnecting */
    WT_PRIVACY,       /* the page shows only this ticket */
    WT_OTHER_LANG,    /* the link to the other language */
    WT_SOUND_ON,      /* the button that allows the sound */
    WT_SOUND_READY,   /* after it was pressed */
    WT_UNKNOWN_TITLE, /* an unknown or expired link */
    WT_UNKNOWN_TEXT,
    WT_BUSY_TITLE, /* too many requests from one address */
    WT_BUSY_TEXT,
    WT_DOWN_TITLE, /* hallqd cannot be reached */
    WT_DOWN_TEXT,
    WT_NOT_FOUND,      /* any other address */
    WT_WALL_TITLE,     /* the wall page's title */
    WT_SOUND_WALL,     /* the wall's button when the browser holds the sound back */
    WT_TABLET_TITLE,   /* the rating tablet's page */
    WT_TABLET_PAIR,    /* type the code the window's terminal shows */
    WT_TABLET_PAIR_OK, /* the button */
    WT_TABLET_BAD_CODE,
    WT_TABLET_WINDOW, /* %d: window N */
    WT_TABLET_CLERK,  /* %s: the clerk */
    WT_TABLET_NO_CLERK,
    WT_TABLET_SERVING, /* %s: the ticket at the window */
    WT_TABLET_CALLING, /* %s */
    WT_TABLET_IDLE,
    WT_TABLET_ASK,     /* %s: please rate the service of ticket ... */
    WT_TABLET_THANKS,  /* after a rating */
    WT_TABLET_UNPAIR,  /* pair again */
    WT_REMIND,         /* the page's button: tell me when 3 are ahead */
    WT_REMIND_SET,     /* after it was pressed */
    WT_REMIND_NOW,     /* on the page, when it comes: %d ahead */
    WT_REMIND_CONTACT, /* the phone number field, when the hall has a hook */
    WT_NOTIFY_AHEAD,   /* the hook's message: %s label, %d ahead */
    WT_NOTIFY_CALLED,  /* %s label, %d window */
    WT_ALERT_WAIT,     /* a queue alert to the hook: %s queue, %d minutes, %d target, %s advice */
    WT_ALERT_HANDLING, /* the same for the mean handling */
    WT_ALERT_CLEARED,  /* %s queue, %s WT_ALERT_OF_WAIT or WT_ALERT_OF_HANDLING */
    WT_ALERT_OF_WAIT,
    WT_ALERT_OF_HANDLING,
    WT_ADVICE_OPEN,      /* what would help: open a window that serves the queue */
    WT_ADVICE_TAKE_OVER, /* have an open window take the queue over */
    WT_BOOK_TITLE,       /* the booking page (预约办理) */
    WT_BOOK_SERVICE,     /* its fields: the service, the day, the slot, the ID number */
    WT_BOOK_DAY,
    WT_BOOK_SLOT,
    WT_BOOK_LEFT, /* %d places left in a slot */
    WT_BOOK_NONE, /* no open slot that day */
    WT_BOOK_ID,
    WT_BOOK_SUBMIT,
    WT_BOOK_CODE,     /* above the booking code */
    WT_BOOK_WHEN,     /* the slot booked */
    WT_BOOK_CHECK_IN, /* the check-in window */
    WT_BOOK_KEEP,     /* keep the code */
    WT_BOOK_CANCEL_TITLE,
    WT_BOOK_CODE_FIELD,
    WT_BOOK_CANCEL,     /* the cancel button */
    WT_BOOK_CANCELLED,  /* %s code, after a cancel */
    WT_BOOK_PRIVACY,    /* the ID number is not kept */
    WT_BOOK_NO_SERVICE, /* the hall takes no appointments */
    WT_BOOK_AGAIN,      /* book another */
    WT_COUNT_
} web_text_id_t;

extern const ui_table_t web_texts;

static inline const char *wt(web_text_id_t id, ui_lang_t lang)
{
    return ui_text(&web_texts, id, lang);
}

#endif
