/* session_internal: what the kiosk session's files share (session.c: the state, what the
 * kiosk shows, and the requests it sends; session_replies.c: what hallqd answered, or did
 * not; session_input.c: the citizen's and staff's keys, and the clock). Nothing outside the
 * session includes it. */
#ifndef KIOSK_SESSION_INTERNAL_H
#define KIOSK_SESSION_INTERNAL_H

#include "session.h"

/* Messages from the translation table are formats chosen at run time. */
#define KS_TR(s, id) kiosk_tr((s)->lang, (id))

/* ---- the state (session.c) ---- */
/* Sets the message line; `error` shows it as one. */
void ks_note(kiosk_session_t *s, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Moves to another state: the list's highlight starts afresh. */
void ks_enter(kiosk_session_t *s, kiosk_state_t state, int64_t now);
/* The ID number typed, wiped. */
void ks_forget_id(kiosk_session_t *s);
/* The sign-in form and what staff typed, gone. */
void ks_forget_form(kiosk_session_t *s);
/* Staff mode ends: the PIN is forgotten. */
void ks_staff_end(kiosk_session_t *s);
/* The choice of the citizen before: gone, all of it (the next citizen starts afresh). */
void ks_forget_citizen(kiosk_session_t *s);
/* The start page (or, when hallqd does not answer, the page saying the kiosk is paused),
 * with a newer catalog taken on if one came while a citizen was choosing. Going back keeps
 * what the ID check found: a citizen who stepped back is still the one it checked. */
void ks_home(kiosk_session_t *s, int64_t now);
/* Staff mode's menu, or the start page when it has ended. */
void ks_staff_home(kiosk_session_t *s, int64_t now);
/* The chosen queue offers services to choose from. */
int ks_has_services(const kiosk_session_t *s);

/* ---- hallqd's state (session.c) ---- */
/* Keeps a technical fault for staff (printer devices, hallqd's address and words). */
void ks_fault(kiosk_session_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* hallqd answered (whatever it said): it is there. */
void ks_answered(kiosk_session_t *s, int64_t now);
/* hallqd did not answer: the kiosk says so at once, wherever the citizen is, and asks again
 * every KIOSK_RETRY_MS. On the start page that is the paused page. */
void ks_unreachable(kiosk_session_t *s, int64_t now);

/* ---- the requests a key starts (session.c) ---- */
/* Enter on CONFIRM (or on the green lane's reason): the same choice as an unanswered issue
 * reuses its token. hallqd known gone: said at once, nothing sent but a ping. */
void ks_issue(kiosk_session_t *s, int64_t now);
/* Enter on CHECK_IN: a code of 6 or an ID number of 18 characters goes as `check_in`, with a
 * token so a retry after a lost reply gets the same ticket. */
void ks_check_in(kiosk_session_t *s, int64_t now);
/* Prints `last` again. A citizen's own, within its window; staff's, any of today's. */
void ks_reprint(kiosk_session_t *s, int64_t now);

/* ---- replies (session_replies.c) ---- */
/* The request in flight got no reply in time (or could not be sent). An issue is sent again
 * with the same token while attempts remain; anything else counts as hallqd gone. */
void ks_unanswered(kiosk_session_t *s, int64_t now);

#endif
