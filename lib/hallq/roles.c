/* Who may do what: the roles and scope columns of the request table (hq_requests.h) applied
 * to a device key's role. Pure. */
#include "roles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixed roles, with what each is for (said when a request is refused). */
static const struct {
    const char *name;
    unsigned bit;
    const char *purpose;
} s_roles[] = {
    {"manager", HQ_ROLE_MANAGER, "may do everything"},
    {"kiosk", HQ_ROLE_KIOSK, "may only issue tickets and serve bookings"},
    {"display", HQ_ROLE_DISPLAY, "may only watch"},
    {"web", HQ_ROLE_WEB, "may only watch, look tickets up by their web token and serve bookings"},
};
#define S_NROLES (sizeof s_roles / sizeof s_roles[0])

/* N of "counter:N", 0 when the role is not a window's. */
static int s_counter_of(const char *role)
{
    if (strncmp(role, "counter:", 8) != 0)
        return 0;
    char *end;
    long n = strtol(role + 8, &end, 10);
    return (*end == '\0' && role[8] && n >= 1 && n <= 999) ? (int)n : 0;
}

/* The role's HQ_ROLE_* bit, 0 when the role is unknown. */
static unsigned s_bit(const char *role, size_t *index)
{
    for (size_t i = 0; role && i < S_NROLES; i++)
        if (strcmp(role, s_roles[i].name) == 0) {
            *index = i;
            return s_roles[i].bit;
        }
    return role && s_counter_of(role) ? HQ_ROLE_COUNTER : 0;
}

int role_valid(const char *role)
{
    size_t i;
    return s_bit(role, &i) != 0;
}

int role_window(const char *role)
{
    return role ? s_counter_of(role) : 0;
}

int role_allows(const char *role, const hq_request_t *req, char *why, size_t whylen)
{
    const hq_req_info_t *row = hq_req_info(req->type);
    if (!role)
        return 1;
    if (!row) {
        snprintf(why, whylen, "no role may send an unknown request");
        return 0;
    }
    size_t i = 0;
    unsigned bit = s_bit(role, &i);
    int window = s_counter_of(role);
    if (bit && (row->roles & bit)) {
        /* A window's key acts for its own window only. Which tickets it may name is the
         * hall's to check (role_allows_ticket): only the hall knows where they were. */
        if (window && (row->scope & HQ_SCOPE_WINDOW) && req->counter != window) {
            snprintf(why, whylen, "this key belongs to window %d, not window %d", window,
                     req->counter);
            return 0;
        }
        /* A kiosk stands in the hall for anyone to touch: what staff do there carries a
         * clerk's name and PIN, which the hall checks against the roster. */
        if (bit == HQ_ROLE_KIOSK && (row->scope & HQ_SCOPE_STAFF) &&
            !(req->clerk[0] && req->pin[0])) {
            snprintf(why, whylen, "a kiosk may %s only in staff mode: with a clerk's name and PIN",
                     row->name);
            return 0;
        }
        /* A booking is the citizen's: who stands at a kiosk or holds a phone names it by the
         * ID number it was made with, which the hall compares with the booking's hash. */
        if ((bit == HQ_ROLE_KIOSK || bit == HQ_ROLE_WEB) && (row->scope & HQ_SCOPE_PERSON) &&
            !req->id_number[0]) {
            snprintf(why, whylen, "a %s may %s a booking only with the ID number it was made with",
                     role, row->name);
            return 0;
        }
        return 1;
    }
    if (window)
        snprintf(why, whylen, "window %d may not %s", window, row->name);
    else if (bit)
        snprintf(why, whylen, "a %s %s, not %s", role, s_roles[i].purpose, row->name);
    else
        snprintf(why, whylen, "role '%.40s' may not %s", role, row->name);
    return 0;
}

int role_allows_ticket(const hq_request_t *req, const hq_ticket_t *t, char *why, size_t whylen)
{
    const hq_req_info_t *row = hq_req_info(req->type);
    if (!row || !(row->scope & HQ_SCOPE_TICKET) || !req->origin_window ||
        t->counter == req->origin_window)
        return 1;
    /* Where the ticket is may be told: every screen in the hall shows it. */
    if (t->counter)
        snprintf(why, whylen, "%s belongs to window %d: a key of window %d may not %s it", t->label,
                 t->counter, req->origin_window, row->name);
    else
        snprintf(why, whylen, "%s was at no window: a key of window %d may not %s it", t->label,
                 req->origin_window, row->name);
    return 0;
}
