/* Appointments (预约办理): slots, booking codes, the person's salted hash and the check-in
 * window. Pure but for the two things a booking needs from the system: random bytes for its
 * code (getrandom) and crypt(3) for the person's hash.
 *
 * A slot template ([slots X] for a queue, [slots N] for one service, config_slots) offers slots
 * on its weekdays of working days: its hours cut into slot_min pieces (a piece that does not fit
 * whole is none), each taking `capacity` bookings. A booking holds no ID number: the person is a
 * salted SHA-256 crypt of it, so the per-person limit can be checked and the number is never
 * stored, as everywhere in hallq. */
#ifndef HALLQ_BOOKING_H
#define HALLQ_BOOKING_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "hq_proto.h"

#define BOOKING_CODE_LEN 6 /* characters of a booking code */
#define BOOKING_PERSON_MAX 80
#define BOOKING_SALT_LEN 16   /* characters of a hall's salt */
#define BOOKING_SLOTS_MAX 288 /* slots a queue has in a day: 5 minutes each, all day */

typedef enum {
    BK_BOOKED = 0, /* waiting for its day */
    BK_CHECKED_IN, /* checked in inside its window: an appointment ticket */
    BK_LATE,       /* came after the window: a walk-in ticket */
    BK_NO_SHOW,    /* not checked in by slot start + late_min */
    BK_CANCELLED,  /* cancelled before its slot */
    BK_COUNT_
} bk_state_t;

const char *booking_state_name(bk_state_t s);
int booking_state_parse(const char *name); /* -1 when unknown */

typedef struct {
    int64_t id;                      /* row id, unique for ever */
    char code[BOOKING_CODE_LEN + 1]; /* what the citizen reads out */
    char queue;
    int service;                     /* the catalog item it is for, 0 none named */
    char day[11];                    /* the slot's business day */
    int slot;                        /* its start, minutes after local midnight */
    char person[BOOKING_PERSON_MAX]; /* salted hash of the ID number */
    bk_state_t state;
    int64_t booked_ms;
    int64_t changed_ms; /* the latest change of state (check-in, no-show, cancel) */
    int64_t ticket;     /* checked in or late: the ticket it got, 0 none */
    /* The booking request's idempotency token, "" none (never published): the same person
     * booking again with it gets this booking again. */
    char token[HQ_TOKEN_MAX];
} hq_booking_t;

/* The slot starts (minutes) of template t on day `days`, ascending: none on a day the calendar
 * closes or a weekday the template skips. Returns how many (<= max). */
int booking_slots(const hallq_config_t *cfg, const cfg_slots_t *t, int days, int *starts, int max);
/* Whether `minute` starts a slot of t on that day. */
int booking_is_slot(const hallq_config_t *cfg, const cfg_slots_t *t, int days, int minute);

/* A fresh code: BOOKING_CODE_LEN characters of an alphabet without look-alikes (no 0/O, 1/I/L,
 * 2/Z, 5/S, 8/B), easy to read out over the phone. 0, or -1 when the system gave no random
 * bytes. */
int booking_code_new(char out[BOOKING_CODE_LEN + 1]);
/* A fresh salt for a hall. 0 or -1. */
int booking_salt_new(char out[BOOKING_SALT_LEN + 1]);
/* The person of an ID number under the hall's salt. 0, or -1 (crypt failed). */
int booking_person(const char *salt, const char *id_number, char out[BOOKING_PERSON_MAX]);

/* Where `now` lies against a slot's check-in window [start - early, start + late]. */
typedef enum { BK_ARRIVAL_EARLY = -1, BK_ARRIVAL_ON_TIME = 0, BK_ARRIVAL_LATE = 1 } bk_arrival_t;
bk_arrival_t booking_arrival(const cfg_appointments_t *rules, int64_t slot_ms, int64_t now_ms);

#endif
