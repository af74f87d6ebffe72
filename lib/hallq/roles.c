#include "roles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int s_counter_of(const char *role)
{
    if (strncmp(role, "counter:", 8) != 0)
        return 0;
    char *end;
    long n = strtol(role + 8, &end, 10);
    return (*end == '\0' && role[8] && n >= 1 && n <= 999) ? (int)n : 0;
}

int role_valid(const char *role)
{
    return role && (strcmp(role, "manager") == 0 || strcmp(role, "kiosk") == 0 ||
                    strcmp(role, "display") == 0 || s_counter_of(role) > 0);
}

static int s_read_only(hq_req_type_t t)
{
    return t == HQ_REQ_PING || t == HQ_REQ_SNAPSHOT || t == HQ_REQ_CATALOG;
}

int role_allows(const char *role, const hq_request_t *req, char *why, size_t whylen)
{
    if (!role || strcmp(role, "manager") == 0 || s_read_only(req->type))
        return 1;
    const char *what = hq_req_type_name(req->type);
    if (strcmp(role, "kiosk") == 0) {
        if (req->type == HQ_REQ_ISSUE)
            return 1;
        snprintf(why, whylen, "a kiosk may only issue tickets, not %s", what);
        return 0;
    }
    int counter = s_counter_of(role);
    if (counter) {
        /* Ratings and reactivation name a ticket, not a window: the window's own devices
         * (rating pad, clerk terminal) do both. */
        if (req->type == HQ_REQ_RATE || req->type == HQ_REQ_REACTIVATE)
            return 1;
        if (req->type == HQ_REQ_ISSUE) {
            snprintf(why, whylen, "window %d may not issue tickets", counter);
            return 0;
        }
        if (req->counter == counter)
            return 1;
        snprintf(why, whylen, "this key belongs to window %d, not window %d", counter,
                 req->counter);
        return 0;
    }
    if (strcmp(role, "display") == 0)
        snprintf(why, whylen, "a display may only watch, not %s", what);
    else
        snprintf(why, whylen, "role '%s' may not %s", role, what);
    return 0;
}
