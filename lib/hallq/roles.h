/* Who may do what, once CURVE has told us who is asking. Pure; the rules themselves are the
 * roles and scope columns of the request table (hq_requests.h). */
#ifndef HALLQ_ROLES_H
#define HALLQ_ROLES_H

#include <stddef.h>

#include "hq_proto.h"

/* Roles: "manager" (everything), "kiosk" (issue tickets; in staff mode, with a clerk's PIN,
 * what the scope column allows), "display" (read only), "counter:N" (act as window N only). */
int role_valid(const char *role);
/* N of a "counter:N" role, 0 for any other role (and for NULL): what the server writes into
 * hq_request_t.origin_window. */
int role_window(const char *role);
/* 1 when `role` may make `req`: the roles column, for a window's key the HQ_SCOPE_WINDOW
 * rule (a request that names a window names its own), and for a kiosk's key the
 * HQ_SCOPE_STAFF rule (the request carries a clerk and a PIN: whether they are right is the
 * hall's to check, against the roster). 0 with a one-line reason. A NULL role
 * means security is off (loopback only) and everything is allowed. "" (a key without a role)
 * may do nothing. */
int role_allows(const char *role, const hq_request_t *req, char *why, size_t whylen);
/* 1 when `req` may act on ticket `t`, the one its "number" names: for a request of
 * HQ_SCOPE_TICKET sent from window N (origin_window), t must have been last at window N
 * (parked, finished or marked no-show there). Any other request, and any sender that is not
 * a window (origin_window 0: a manager, or no keys), passes. 0 with a one-line reason. */
int role_allows_ticket(const hq_request_t *req, const hq_ticket_t *t, char *why, size_t whylen);

#endif
