/* Who may do what, once CURVE has told us who is asking. Pure; the rules themselves are the
 * roles column of the request table (hq_requests.h). */
#ifndef HALLQ_ROLES_H
#define HALLQ_ROLES_H

#include <stddef.h>

#include "hq_proto.h"

/* Roles: "manager" (everything), "kiosk" (issue tickets), "display" (read only),
 * "counter:N" (act as window N only). */
int role_valid(const char *role);
/* 1 when `role` may make `req`; 0 with a one-line reason. A NULL role means security is off
 * (loopback only) and everything is allowed. "" (a key without a role) may do nothing. */
int role_allows(const char *role, const hq_request_t *req, char *why, size_t whylen);

#endif
