/* session_internal: what the clerk session's files share (session.c: state and reading the
 * model; session_keys.c: the clerk's keys; session_replies.c: requests, replies and the
 * hall's events). Nothing outside the session includes it. */
#ifndef HQC_SESSION_INTERNAL_H
#define HQC_SESSION_INTERNAL_H

#include "session.h"

/* Moves to another state: the list's highlight and a half-typed number start afresh. */
void hqc_session_enter(hqc_session_t *s, hqc_state_t next);
/* Sets the message line. */
void hqc_session_say(hqc_session_t *s, int64_t now, int error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Asks the clerk for the PIN (the PIN kept so far is forgotten); `wrong`: hallqd refused the
 * one sent, and the message line says so. */
void hqc_session_ask_pin(hqc_session_t *s, int64_t now, int wrong);
/* Queues one of the clerk's actions on this window for the line (sent when it is free). */
void hqc_session_queue(hqc_session_t *s, hq_req_type_t type);
/* The window c serves queue. */
int hqc_session_serves(const hq_counter_t *c, char queue);

/* Messages from the translation table are formats chosen at run time. */
#define HQC_TR(s, id) hqc_tr((s)->lang, (id))

#endif
