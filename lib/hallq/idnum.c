#include "idnum.h"

#include "hq_date.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const int s_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char s_check[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

char idnum_check_char(const char *first17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * s_weights[i];
    return s_check[sum % 11];
}

idnum_result_t idnum_parse(const char *id, idnum_date_t *birth)
{
    if (!id || strlen(id) != 18)
        return IDNUM_LENGTH;
    for (int i = 0; i < 17; i++)
        if (!isdigit((unsigned char)id[i]))
            return IDNUM_CHARACTERS;
    char last = (char)toupper((unsigned char)id[17]);
    if (!isdigit((unsigned char)last) && last != 'X')
        return IDNUM_CHARACTERS;
    idnum_date_t d;
    d.year = (id[6] - '0') * 1000 + (id[7] - '0') * 100 + (id[8] - '0') * 10 + (id[9] - '0');
    d.month = (id[10] - '0') * 10 + (id[11] - '0');
    d.day = (id[12] - '0') * 10 + (id[13] - '0');
    if (d.year < 1850 || d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > hq_date_days_in_month(d.year, d.month))
        return IDNUM_BIRTH_DATE;
    if (idnum_check_char(id) != last)
        return IDNUM_CHECK_DIGIT;
    if (birth)
        *birth = d;
    return IDNUM_OK;
}

const char *idnum_result_text(idnum_result_t r)
{
    switch (r) {
    case IDNUM_OK:
        return "";
    case IDNUM_LENGTH:
        return "ID number must have 18 characters";
    case IDNUM_CHARACTERS:
        return "ID number must be 17 digits and a digit or X";
    case IDNUM_BIRTH_DATE:
        return "ID number holds no valid birth date (positions 7-14)";
    case IDNUM_CHECK_DIGIT:
        return "ID number check digit is wrong (mistyped?)";
    }
    return "ID number is not valid";
}

int idnum_check(const char *id, idnum_date_t *birth, char *why, size_t whylen)
{
    idnum_result_t r = idnum_parse(id, birth);
    if (r == IDNUM_OK)
        return 0;
    if (r == IDNUM_LENGTH)
        snprintf(why, whylen, "%s, not %zu", idnum_result_text(r), id ? strlen(id) : 0);
    else
        snprintf(why, whylen, "%s", idnum_result_text(r));
    return -1;
}

int idnum_age(idnum_date_t birth, idnum_date_t on)
{
    return hq_date_years(birth, on);
}

void idnum_age_band(int age, char *out, size_t outlen)
{
    if (age >= 80)
        snprintf(out, outlen, "80+");
    else if (age >= 60)
        snprintf(out, outlen, "%d-%d", age / 10 * 10, age / 10 * 10 + 9);
    else if (outlen)
        out[0] = '\0';
}
