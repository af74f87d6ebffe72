/* greenlane: the kiosk's local decision on the elderly green lane from a resident ID number.
 *
 * The number is checked here (GB 11643: 18 characters, birth date in positions 7-14, ISO 7064
 * MOD 11-2 check digit) and the age from its birth date is compared with the hall's
 * elderly_age rule. Only the resulting flag leaves the kiosk: the number is never sent,
 * stored or logged, and callers wipe their copy with greenlane_wipe() once decided. */
#ifndef HQ_TICKET_GREENLANE_H
#define HQ_TICKET_GREENLANE_H

#include "idnum.h"
#include "ticket_layout.h"

#include <stddef.h>

/* 0: valid number; *green is 1 when the age on `today` is at least elderly_age, *age is the
 * age in full years. -1: not a valid number; `why` says what is wrong, in the person's
 * language, without repeating the number. */
int greenlane_from_id(const char *id, int elderly_age, idnum_date_t today, ui_lang_t lang,
                      int *green, int *age, char *why, size_t whylen);

/* Overwrites an ID number buffer so the number does not linger in memory. */
void greenlane_wipe(char *buf, size_t len);

#endif
