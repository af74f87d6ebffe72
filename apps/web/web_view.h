/* What a citizen's progress page shows of one ticket, from hallq-web's copy of the hall.
 * Pure: the mirror, the ticket as last known and the time in, JSON out. */
#ifndef WEB_VIEW_H
#define WEB_VIEW_H

#include "hq_mirror.h"
#include "ui_i18n.h"

#include <jansson.h>

#define WEB_TOKEN_LEN 22 /* a web token: 22 characters of base64url (PROTOCOL.md) */

/* A ticket someone opened the link of: what track said, kept up to date by the events. */
typedef struct {
    char token[WEB_TOKEN_LEN + 1];
    hq_ticket_t ticket;     /* as last known (the mirror's copy wins while it has one) */
    char queue_name[96];    /* the queue it waits in, when tracked */
    char service_name[160]; /* its service, "" none */
    int64_t est_wait_ms;    /* hallqd's estimate ... */
    int64_t est_at_ms;      /* ... as of this time (epoch ms) */
    int64_t opened_mono;    /* when it was last asked for (monotonic ms): the oldest go */
    int mirror_at;          /* where the mirror holds it (a hint, checked by id), -1 none */
    /* "Tell me when N are ahead" after the page is closed: N (0 none), where to (a phone
     * number for an SMS gateway, "" the hook knows), in which language, and whether it was
     * sent. Never logged. */
    int notify_ahead;
    char contact[40];
    ui_lang_t notify_lang;
    int notified;
} web_follow_t;

/* The message due for f's "tell me when N are ahead" (ahead at most N, or called), in its
 * language, into out; 0 none due. */
int web_view_notice(const hq_mirror_t *m, const web_follow_t *f, char *out, size_t outlen);

/* 1 when text has the form of a web token (22 base64url characters). */
int web_token_form(const char *text);

/* Every waiting ticket's `ahead` at once (out[i] for m->tickets[i], 0 for the others), in one
 * walk: what thousands of pages ask for after each change. out has m->ntickets places. */
void web_view_ahead_all(const hq_mirror_t *m, int *out);

/* The people the scheduler takes before waiting ticket t (PROTOCOL.md "ahead"): in every
 * queue served by a window that serves t's queue, the green tickets issued before it, and for
 * a normal ticket every green one and the normal ones issued before it. */
int web_view_ahead(const hq_mirror_t *m, const hq_ticket_t *t);

/* The page's state of followed ticket f at now_ms (epoch ms): label, service, state, window,
 * ahead, minutes to wait, and the sentences to show in `lang`. aheads: web_view_ahead_all's
 * (NULL: counted here). NULL out of memory. */
json_t *web_view_ticket(const hq_mirror_t *m, const web_follow_t *f, const int *aheads,
                        ui_lang_t lang, int64_t now_ms);

#endif
