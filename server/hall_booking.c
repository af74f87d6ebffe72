/* Appointments in the hall: booking a slot, cancelling it, checking in at the kiosk (an
 * appointment ticket inside the window, a walk-in ticket after it) and the no-show of a
 * booking nobody checked in. The rules are booking.h's and config.h's [appointments]. */
#include "hall_int.h"

#include "hq_alloc.h"
#include "hq_date.h"
#include "idnum.h"

#include <stdio.h>
#include <string.h>

hq_booking_t *hall_find_booking(const hall_t *self, int64_t id)
{
    size_t lo = 0, hi = self->nbookings;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (self->bookings[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < self->nbookings && self->bookings[lo].id == id ? &self->bookings[lo] : NULL;
}

const hq_booking_t *hall_booking(const hall_t *self, int64_t id)
{
    return hall_find_booking(self, id);
}

void hall_touch_booking(hall_result_t *r, int64_t id)
{
    for (int i = 0; i < r->nbookings; i++)
        if (r->bookings[i] == id)
            return;
    if (r->nbookings == r->bookings_cap) {
        int cap = r->bookings_cap ? r->bookings_cap * 2 : 2;
        int64_t *grown = hq_realloc(r->bookings, (size_t)cap * sizeof *grown);
        if (!grown) {
            r->oom = 1;
            return;
        }
        r->bookings = grown;
        r->bookings_cap = cap;
    }
    r->bookings[r->nbookings++] = id;
}

/* Adds a booking after the others (ids only grow); NULL out of memory. */
static hq_booking_t *s_append(hall_t *self, const hq_booking_t *b)
{
    if (self->nbookings == self->bookings_cap) {
        size_t cap = self->bookings_cap ? self->bookings_cap * 2 : 16;
        hq_booking_t *grown = hq_realloc(self->bookings, cap * sizeof *grown);
        if (!grown)
            return NULL;
        self->bookings = grown;
        self->bookings_cap = cap;
    }
    self->bookings[self->nbookings] = *b;
    if (b->id >= self->next_booking_id)
        self->next_booking_id = b->id + 1;
    return &self->bookings[self->nbookings++];
}

int hall_load_booking(hall_t *self, const hq_booking_t *b)
{
    return s_append(self, b) ? 0 : -1;
}

void hall_set_booking_salt(hall_t *self, const char *salt)
{
    hq_strlcpy(self->booking_salt, salt, sizeof self->booking_salt);
}

/* The instant a slot begins: its day's local midnight plus its minutes. */
static int64_t s_slot_ms(const hq_booking_t *b)
{
    hq_date_t d;
    if (hq_date_parse(b->day, &d) != 0)
        return 0;
    return hq_date_local_ms(d, 0) + (int64_t)b->slot * 60000;
}

/* Bookings holding a place: booked or checked in (a late, a no-show and a cancelled one left
 * their slot). */
static int s_holds(const hq_booking_t *b)
{
    return b->state == BK_BOOKED || b->state == BK_CHECKED_IN;
}

static void s_event(hall_result_t *r, hq_booking_t *b)
{
    r->booking = b->id;
    hall_touch_booking(r, b->id);
    hall_event(r, HQ_EV_BOOKING);
}

/* The slot template a request for its queue (and service) uses, with the queue; NULL when
 * there is none (r says why). */
static const cfg_slots_t *s_template(const hall_t *self, const hq_request_t *req,
                                     const cfg_queue_t **queue, hall_result_t *r)
{
    const cfg_queue_t *q = config_queue(self->cfg, req->queue);
    if (!q) {
        hall_fail(r, HQ_E_UNKNOWN_QUEUE, "no queue %c in this hall", req->queue);
        return NULL;
    }
    if (req->service) {
        const cfg_service_t *svc = config_service(self->cfg, req->service);
        if (!svc || svc->queue != q->prefix) {
            hall_fail(r, HQ_E_UNKNOWN_SERVICE, "no service %d in queue %c of this hall",
                      req->service, q->prefix);
            return NULL;
        }
    }
    /* The service's own template when it has one, else the queue's. */
    const cfg_slots_t *tpl = config_slots(self->cfg, q->prefix, req->service);
    if (!tpl) {
        if (req->service)
            hall_refuse(r, "no_slots",
                        "service %d of queue %c takes no appointments (no [slots %d] or "
                        "[slots %c])",
                        req->service, q->prefix, req->service, q->prefix);
        else if (config_queue_bookable(self->cfg, q))
            hall_refuse(r, "no_slots",
                        "queue %c takes appointments for some services only: name the service",
                        q->prefix);
        else
            hall_refuse(r, "no_slots", "queue %c takes no appointments (no [slots %c])", q->prefix,
                        q->prefix);
        return NULL;
    }
    *queue = q;
    return tpl;
}

/* The day a booking request names, as days; -1 (r refused) outside today .. days_ahead. */
static int s_bookable_day(const hall_t *self, const hq_request_t *req, hall_result_t *r)
{
    int today = hq_date_parse_days(self->day), day = hq_date_parse_days(req->date);
    if (day < today || day > today + self->cfg->appointments.days_ahead) {
        hall_refuse(r, "too_far_ahead", "bookings are for today up to %d days ahead, not %s",
                    self->cfg->appointments.days_ahead, req->date);
        return -1;
    }
    return day;
}

int hall_slot_taken(const hall_t *self, const cfg_slots_t *tpl, const char *day, int minute)
{
    int taken = 0;
    for (size_t i = 0; i < self->nbookings; i++) {
        const hq_booking_t *o = &self->bookings[i];
        /* Capacity is the template's: the bookings this template gave the slot. */
        taken += s_holds(o) && o->slot == minute && strcmp(o->day, day) == 0 &&
                 config_slots(self->cfg, o->queue, o->service) == tpl;
    }
    return taken;
}

void hall_slots(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    (void)now;
    const cfg_queue_t *q;
    if (s_template(self, req, &q, r))
        s_bookable_day(self, req, r);
}

void hall_book(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    const cfg_appointments_t *rules = &self->cfg->appointments;
    const cfg_queue_t *q;
    const cfg_slots_t *tpl = s_template(self, req, &q, r);
    if (!tpl)
        return;
    hq_date_t birth;
    char why[120];
    if (idnum_check(req->id_number, &birth, why, sizeof why) != 0) {
        hall_fail(r, HQ_E_BAD_ID_NUMBER, "%s", why);
        return;
    }
    char person[BOOKING_PERSON_MAX];
    if (booking_person(self->booking_salt, req->id_number, person) != 0) {
        hall_fail(r, HQ_E_INTERNAL, "the person's hash could not be made");
        return;
    }
    /* Asked again with its token (a reply lost, a web server restarted): the booking it made,
     * before the rules a booking made now would meet (its slot may since be too soon). */
    for (size_t i = 0; req->token[0] && i < self->nbookings; i++) {
        const hq_booking_t *o = &self->bookings[i];
        if (strcmp(o->token, req->token) == 0 && strcmp(o->person, person) == 0) {
            r->booking = o->id;
            r->repeat = 1;
            return;
        }
    }
    int day = s_bookable_day(self, req, r);
    if (day < 0)
        return;
    char slot[6];
    cal_minute_format(req->slot, slot);
    if (!booking_is_slot(self->cfg, tpl, day, req->slot)) {
        if (tpl != &q->slots)
            hall_refuse(r, "not_a_slot", "service %d has no slot at %s on %s", req->service, slot,
                        req->date);
        else
            hall_refuse(r, "not_a_slot", "queue %c has no slot at %s on %s", q->prefix, slot,
                        req->date);
        return;
    }
    hq_booking_t b;
    memset(&b, 0, sizeof b);
    hq_strlcpy(b.day, req->date, sizeof b.day);
    b.slot = req->slot;
    if (s_slot_ms(&b) - now < (int64_t)rules->lead_min * 60000) {
        hall_refuse(r, "too_soon", "a booking is made at least %d minutes before its slot",
                    rules->lead_min);
        return;
    }
    memcpy(b.person, person, sizeof b.person);
    int taken = hall_slot_taken(self, tpl, b.day, b.slot), mine = 0;
    for (size_t i = 0; i < self->nbookings; i++) {
        const hq_booking_t *o = &self->bookings[i];
        mine += s_holds(o) && strcmp(o->day, b.day) == 0 && strcmp(o->person, b.person) == 0;
    }
    if (mine >= rules->per_person_day) {
        hall_refuse(r, "person_limit", "this ID number holds %d booking(s) on %s already", mine,
                    b.day);
        return;
    }
    if (taken >= tpl->capacity) {
        if (tpl != &q->slots)
            hall_refuse(r, "slot_full", "the slot %s %s of service %d is full (%d)", b.day, slot,
                        req->service, tpl->capacity);
        else
            hall_refuse(r, "slot_full", "the slot %s %s of queue %c is full (%d)", b.day, slot,
                        q->prefix, tpl->capacity);
        return;
    }
    /* A fresh code, unlike every code kept (21^6 codes: a clash is rare, and tried again). */
    for (int attempt = 0;; attempt++) {
        if (attempt == 8 || booking_code_new(b.code) != 0) {
            hall_fail(r, HQ_E_INTERNAL, "no booking code could be made");
            return;
        }
        size_t i = 0;
        while (i < self->nbookings && strcmp(self->bookings[i].code, b.code) != 0)
            i++;
        if (i == self->nbookings)
            break;
    }
    b.id = self->next_booking_id;
    b.queue = q->prefix;
    b.service = req->service;
    b.state = BK_BOOKED;
    b.booked_ms = now;
    hq_strlcpy(b.token, req->token, sizeof b.token);
    hq_booking_t *stored = s_append(self, &b);
    if (!stored) {
        hall_fail(r, HQ_E_INTERNAL, "out of memory");
        return;
    }
    s_event(r, stored);
}

/* The salted hash a booking keeps of the ID number named, after checking the number. 0, or
 * -1 with the refusal in r. */
static int s_person(const hall_t *self, const char *id_number, char person[BOOKING_PERSON_MAX],
                    hall_result_t *r)
{
    hq_date_t birth;
    char why[120];
    if (idnum_check(id_number, &birth, why, sizeof why) != 0) {
        hall_fail(r, HQ_E_BAD_ID_NUMBER, "%s", why);
        return -1;
    }
    if (booking_person(self->booking_salt, id_number, person) != 0) {
        hall_fail(r, HQ_E_INTERNAL, "the person's hash could not be made");
        return -1;
    }
    return 0;
}

static hq_booking_t *s_by_code(const hall_t *self, const char *code)
{
    for (size_t i = 0; i < self->nbookings; i++)
        if (strcmp(self->bookings[i].code, code) == 0)
            return &self->bookings[i];
    return NULL;
}

/* The booking a request's code names; when the request carries an ID number (a kiosk's and
 * hallq-web's always do, roles.c), it must be the one the booking was made with. NULL when
 * not (r says why). */
static hq_booking_t *s_named_booking(const hall_t *self, const hq_request_t *req, hall_result_t *r)
{
    hq_booking_t *b = s_by_code(self, req->code);
    if (!b) {
        hall_fail(r, HQ_E_UNKNOWN_BOOKING, "no booking with that code");
        return NULL;
    }
    if (!req->id_number[0])
        return b;
    char person[BOOKING_PERSON_MAX];
    if (s_person(self, req->id_number, person, r) != 0)
        return NULL;
    if (strcmp(person, b->person) != 0) {
        hall_fail(r, HQ_E_FORBIDDEN, "booking %s was made with another ID number", b->code);
        r->detail = "wrong_id_number";
        return NULL;
    }
    return b;
}

void hall_booking_lookup(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    (void)now;
    const hq_booking_t *b = s_named_booking(self, req, r);
    if (b)
        r->booking = b->id;
}

void hall_cancel(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    hq_booking_t *b = s_named_booking(self, req, r);
    if (!b)
        return;
    if (b->state != BK_BOOKED) {
        hall_refuse(r, "booking_state", "booking %s is %s", b->code, booking_state_name(b->state));
        return;
    }
    if (now >= s_slot_ms(b)) {
        hall_refuse(r, "slot_begun", "booking %s's slot has begun: it can no longer be cancelled",
                    b->code);
        return;
    }
    b->state = BK_CANCELLED;
    b->changed_ms = now;
    s_event(r, b);
}

/* The booking a check-in names: by its code, or the person's of today whose window is open
 * now, else the first of today still booked (for the early or late answer). */
static hq_booking_t *s_checking_in(hall_t *self, const hq_request_t *req, int64_t now,
                                   hall_result_t *r)
{
    if (req->code[0]) {
        hq_booking_t *b = s_by_code(self, req->code);
        if (!b)
            hall_fail(r, HQ_E_UNKNOWN_BOOKING, "no booking with that code");
        return b;
    }
    char person[BOOKING_PERSON_MAX];
    if (s_person(self, req->id_number, person, r) != 0)
        return NULL;
    hq_booking_t *first = NULL;
    for (size_t i = 0; i < self->nbookings; i++) {
        hq_booking_t *b = &self->bookings[i];
        if (strcmp(b->day, self->day) != 0 || strcmp(b->person, person) != 0 ||
            (b->state != BK_BOOKED && b->state != BK_NO_SHOW))
            continue;
        if (booking_arrival(&self->cfg->appointments, s_slot_ms(b), now) == BK_ARRIVAL_ON_TIME)
            return b;
        if (!first || b->slot < first->slot)
            first = b;
    }
    if (!first)
        hall_fail(r, HQ_E_UNKNOWN_BOOKING, "no booking of today for this ID number");
    return first;
}

void hall_check_in(hall_t *self, const hq_request_t *req, int64_t now, hall_result_t *r)
{
    if (!req->code[0] == !req->id_number[0]) {
        hall_fail(r, HQ_E_BAD_FIELD, "check_in takes a 'code' or an 'id_number' (one of them)");
        return;
    }
    /* A kiosk retrying after a lost reply gets the ticket it already has. */
    if (req->token[0]) {
        const hq_ticket_t *t = hall_token_find(self, req->token);
        if (t && strcmp(t->device, req->device) == 0) {
            r->ticket = t->id;
            r->repeat = 1;
            for (size_t i = 0; i < self->nbookings; i++)
                if (self->bookings[i].ticket == t->id) {
                    r->booking = self->bookings[i].id;
                    r->late = self->bookings[i].state == BK_LATE;
                }
            return;
        }
    }
    hq_booking_t *b = s_checking_in(self, req, now, r);
    if (!b)
        return;
    if (strcmp(b->day, self->day) != 0) {
        hall_refuse(r, "not_today", "booking %s is for %s", b->code, b->day);
        return;
    }
    if (b->state != BK_BOOKED && b->state != BK_NO_SHOW) {
        hall_refuse(r, "booking_state", "booking %s is %s", b->code, booking_state_name(b->state));
        return;
    }
    const cfg_queue_t *q = config_queue(self->cfg, b->queue);
    if (!q) {
        hall_fail(r, HQ_E_UNKNOWN_QUEUE,
                  "booking %s is for queue %c, which this hall no longer has", b->code, b->queue);
        return;
    }
    int64_t slot_ms = s_slot_ms(b);
    bk_arrival_t arrival = booking_arrival(&self->cfg->appointments, slot_ms, now);
    if (arrival == BK_ARRIVAL_EARLY) {
        cal_minute_format(b->slot - self->cfg->appointments.early_min, r->opens);
        r->booking = b->id;
        hall_refuse(r, "too_early", "booking %s checks in from %s", b->code, r->opens);
        return;
    }
    hq_ticket_t *t;
    if (arrival == BK_ARRIVAL_ON_TIME) {
        /* Booked: no quota or issuing hours stand in its way. */
        t = hall_new_ticket(self, req, q->prefix, b->service, 0, "", slot_ms, 0, now, r);
    } else {
        /* Late: a walk-in, by the rules every walk-in meets. */
        hq_ticket_t probe;
        memset(&probe, 0, sizeof probe);
        if (hall_issuing(self, q, 0, self->next_number[q->prefix - 'A'], now, &probe, r) != 0)
            return;
        t = hall_new_ticket(self, req, q->prefix, b->service, 0, "", 0, probe.extended, now, r);
        r->late = 1;
    }
    if (!t)
        return;
    b->state = arrival == BK_ARRIVAL_ON_TIME ? BK_CHECKED_IN : BK_LATE;
    b->changed_ms = now;
    b->ticket = t->id;
    /* The ticket's issued event, then the booking's: its new state and its ticket, for the
     * screens and the city store as for every change of a booking. */
    s_event(r, b);
}

int hall_booking_sweep(hall_t *self, int64_t now_ms, hall_result_t *out)
{
    for (size_t i = 0; i < self->nbookings; i++) {
        hq_booking_t *b = &self->bookings[i];
        if (b->state != BK_BOOKED || strcmp(b->day, self->day) > 0)
            continue;
        if (booking_arrival(&self->cfg->appointments, s_slot_ms(b), now_ms) != BK_ARRIVAL_LATE)
            continue;
        b->state = BK_NO_SHOW;
        b->changed_ms = now_ms;
        s_event(out, b);
        return 1;
    }
    return 0;
}
