/* Resident ID numbers (GB 11643-1999): 18 characters, birth date in positions 7-14,
 * check digit by ISO 7064 MOD 11-2. Used only to decide the green lane: the number itself
 * is never stored, logged or published. */
#ifndef HALLQ_IDNUM_H
#define HALLQ_IDNUM_H

#include "hq_date.h"

#include <stddef.h>

/* A birth date is a civil date like any other. */
typedef hq_date_t idnum_date_t;

/* What is wrong with a number, in the order the checks run: a caller that must tell a person
 * how to fix it (a typo, a short number, a date that cannot be) switches on this. */
typedef enum {
    IDNUM_OK = 0,
    IDNUM_LENGTH,     /* not 18 characters */
    IDNUM_CHARACTERS, /* the first 17 are not all digits, or the last is not a digit or X */
    IDNUM_BIRTH_DATE, /* positions 7-14 are no real date (or one before 1850) */
    IDNUM_CHECK_DIGIT /* the check digit does not match: most likely mistyped */
} idnum_result_t;

/* Checks a number; IDNUM_OK and the birth date (birth may be NULL) when it is valid. */
idnum_result_t idnum_parse(const char *id, idnum_date_t *birth);
/* One English line for a result, for logs and error replies ("" for IDNUM_OK). */
const char *idnum_result_text(idnum_result_t r);
/* idnum_parse with a one-line reason: 0 and the birth date when valid, -1 otherwise. */
int idnum_check(const char *id, idnum_date_t *birth, char *why, size_t whylen);
/* The check character ('0'-'9' or 'X') for the first 17 digits. */
char idnum_check_char(const char *first17);
/* Age in full years on a date. */
int idnum_age(idnum_date_t birth, idnum_date_t on);
/* "60-69", "70-79", "80+" for ages of 60 and over; "" below (privacy: a band, not a date). */
void idnum_age_band(int age, char *out, size_t outlen);

#endif
