/* The actions on a window itself, and on the devices beside it: pause and resume, a clerk's
 * login and logout, a kiosk's staff mode, hallq-web's ticket lookup, and the rating tablet's
 * pairing and ratings. Dispatched from hall_actions.c's table, as hall_<name>. */
#include "hall_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The common end of an action on a window: persist it, reply with it, publish it. */
static void s_counter_event(hall_t *self, hall_counter_t *c, int64_t now, hall_result_t *r)
{
    hall_counter_changed(self, c, now, r);
    r->counter = c->pub.id;
    hall_event(r, HQ_EV_COUNTER);
    hall_attach_counts(r); /* open windows change the wait estimates */
}

void hall_pause(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = hall_open_counter(self, req, r);
    if (!c)
        return;
    if (c->paused) {
        hall_refuse(r, "already_paused", "counter %d is already paused", c->pub.id);
        return;
    }
    if (!hall_counter_free(self, c, r))
        return;
    c->paused = 1;
    hq_strlcpy(c->pub.pause_reason, req->reason[0] ? req->reason : "paused",
               sizeof c->pub.pause_reason);
    s_counter_event(self, c, now, r);
}

void hall_resume(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = hall_open_counter(self, req, r);
    if (!c)
        return;
    if (!c->paused) {
        hall_refuse(r, "not_paused", "counter %d is not paused", c->pub.id);
        return;
    }
    c->paused = 0;
    s_counter_event(self, c, now, r);
}

void hall_login(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = hall_find_counter(self, req->counter);
    if (!c) {
        hall_fail(r, HQ_E_UNKNOWN_COUNTER, "no counter %d in this hall", req->counter);
        return;
    }
    /* With a roster the PIN is checked whoever sends it and whoever holds the window, the
     * same clerk logging in again included: a login is what says who is at the window. */
    char why[sizeof r->error.message];
    if (roster_check(self->roster, req->clerk, req->pin, why, sizeof why) != 0) {
        hall_fail(r, HQ_E_FORBIDDEN, "%s", why);
        return;
    }
    if (strcmp(c->pub.clerk, req->clerk) == 0) {
        r->counter = c->pub.id;
        return; /* already logged in: nothing changes */
    }
    /* A/B backup: another clerk takes the window over as it stands, ticket and pause kept. */
    hq_strlcpy(r->previous_clerk, c->pub.clerk, sizeof r->previous_clerk);
    hq_strlcpy(c->pub.clerk, req->clerk, sizeof c->pub.clerk);
    s_counter_event(self, c, now, r);
}

void hall_logout(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = hall_open_counter(self, req, r);
    if (!c)
        return;
    hq_ticket_t *held = c->pub.current ? hall_find_ticket(self, c->pub.current) : NULL;
    if (held) {
        hall_refuse(r, "ticket_at_window",
                    "counter %d still has %s: finish, park or transfer it first", c->pub.id,
                    held->label);
        return;
    }
    c->pub.clerk[0] = '\0';
    c->paused = 0;
    s_counter_event(self, c, now, r);
}

/* A kiosk's staff mode: whether the roster lists this clerk with this PIN. Changes nothing;
 * the log says who unlocked it where (and a failure, as a warning). */
void hall_staff(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    (void)now;
    if (hall_staff_check(self, req, "staff mode", r) != 0)
        return;
    char where[100];
    hall_where(req, where, sizeof where);
    snprintf(r->note, sizeof r->note, "staff %s unlocked staff mode on %s", req->clerk, where);
}

/* hallq-web's question: which of today's tickets has this web token (its QR's link)? Found
 * without walking the day, and without a guess's time saying how close it came
 * (hall_web_find). The reply is the ticket as it is now, with its place and expected wait
 * while it waits (hall_wire). */
void hall_track(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    const hq_ticket_t *found = hall_web_find(self, req->token);
    if (!found) {
        hall_fail(r, HQ_E_UNKNOWN_TICKET, "no ticket of business day %s has this web token",
                  self->day);
        return;
    }
    if (found->state == HQ_T_WAITING)
        hall_estimate(self, found, now, &r->ahead, &r->est_wait_ms);
    r->ticket = found->id;
}

#define S_PAIR_MS (5 * 60 * 1000) /* a pairing code's life */

/* A window's clerk asks for a one-time code to type into the rating tablet (hallq-web's
 * /tablet); a new one replaces the old. */
void hall_pair(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = hall_find_counter(self, req->counter);
    if (!c) {
        hall_fail(r, HQ_E_UNKNOWN_COUNTER, "no counter %d in this hall", req->counter);
        return;
    }
    /* Six digits no other window shows now: a code names one window. */
    for (;;) {
        snprintf(c->pair_code, sizeof c->pair_code, "%06u", randombytes_uniform(1000000));
        int taken = 0;
        for (int i = 0; i < self->ncounters; i++)
            taken |= &self->counters[i] != c && self->counters[i].pair_until > now &&
                     strcmp(self->counters[i].pair_code, c->pair_code) == 0;
        if (!taken)
            break;
    }
    c->pair_until = now + S_PAIR_MS;
    r->counter = c->pub.id;
    hq_strlcpy(r->pair_code, c->pair_code, sizeof r->pair_code);
    r->pair_until = c->pair_until;
    snprintf(r->note, sizeof r->note, "window %d shows a tablet pairing code", c->pub.id);
}

/* A tablet typed a window's code: it becomes that window's tablet (a secret it keeps), the
 * code is spent, and a tablet paired before is paired no more. */
void hall_claim(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = NULL;
    for (int i = 0; i < self->ncounters; i++)
        if (self->counters[i].pair_until > now && strlen(req->token) == 6 &&
            sodium_memcmp(self->counters[i].pair_code, req->token, 6) == 0)
            c = &self->counters[i];
    if (!c) {
        hall_fail(r, HQ_E_FORBIDDEN, "no window shows this pairing code now");
        return;
    }
    unsigned char secret[16];
    randombytes_buf(secret, sizeof secret);
    sodium_bin2hex(r->tablet, sizeof r->tablet, secret, sizeof secret);
    hall_tablet_hash(r->tablet, c->tablet);
    c->pair_until = 0;
    c->pair_code[0] = '\0';
    /* The window's clerk sees the code is spent, and that the window has its tablet. */
    hall_counter_changed(self, c, now, r);
    hall_event(r, HQ_EV_COUNTER);
    r->counter = c->pub.id;
    r->tablet_counter = c->pub.id;
    snprintf(r->note, sizeof r->note, "window %d: a rating tablet was paired", c->pub.id);
}

/* A rating from a window's tablet: the ticket must have been finished at its window. */
void hall_tablet_rate(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hall_counter_t *c = NULL;
    char hash[HALL_TABLET_HASH + 1];
    hall_tablet_hash(req->token, hash);
    for (int i = 0; i < self->ncounters; i++)
        if (self->counters[i].tablet[0] && strlen(req->token) == 32 &&
            sodium_memcmp(self->counters[i].tablet, hash, HALL_TABLET_HASH) == 0)
            c = &self->counters[i];
    if (!c) {
        hall_fail(r, HQ_E_FORBIDDEN, "this tablet is paired with no window: pair it again");
        return;
    }
    hq_ticket_t *t = hall_named(self, req, HQ_T_FINISHED, r);
    if (!t)
        return;
    if (t->counter != c->pub.id) {
        hall_fail(r, HQ_E_FORBIDDEN, "%s was served at window %d, not at this tablet's window %d",
                  t->label, t->counter, c->pub.id);
        return;
    }
    hall_rate_ticket(self, t, req->rating, now, r);
}
