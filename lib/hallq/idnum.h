/* Resident ID numbers (GB 11643-1999): 18 characters, birth date in positions 7-14,
 * check digit by ISO 7064 MOD 11-2. Used only to decide the green lane: the number itself
 * is never stored, logged or published. */
#ifndef HALLQ_IDNUM_H
#define HALLQ_IDNUM_H

#include <stddef.h>

typedef struct {
    int year, month, day;
} idnum_date_t;

/* 0 and the birth date when valid; -1 with a one-line reason otherwise. */
int idnum_check(const char *id, idnum_date_t *birth, char *why, size_t whylen);
/* The check character ('0'-'9' or 'X') for the first 17 digits. */
char idnum_check_char(const char *first17);
/* Age in full years on a date. */
int idnum_age(idnum_date_t birth, idnum_date_t on);
/* "60-69", "70-79", "80+" for ages of 60 and over; "" below (privacy: a band, not a date). */
void idnum_age_band(int age, char *out, size_t outlen);

#endif
