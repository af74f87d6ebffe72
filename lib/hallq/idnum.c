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

int idnum_check(const char *id, idnum_date_t *birth, char *why, size_t whylen)
{
    size_t len = strlen(id);
    if (len != 18) {
        snprintf(why, whylen, "ID number must have 18 characters, not %zu", len);
        return -1;
    }
    for (int i = 0; i < 17; i++)
        if (!isdigit((unsigned char)id[i])) {
            snprintf(why, whylen, "ID number character %d must be a digit", i + 1);
            return -1;
        }
    char last = (char)toupper((unsigned char)id[17]);
    if (!isdigit((unsigned char)last) && last != 'X') {
        snprintf(why, whylen, "ID number must end in a digit or X");
        return -1;
    }
    idnum_date_t d;
    d.year = (id[6] - '0') * 1000 + (id[7] - '0') * 100 + (id[8] - '0') * 10 + (id[9] - '0');
    d.month = (id[10] - '0') * 10 + (id[11] - '0');
    d.day = (id[12] - '0') * 10 + (id[13] - '0');
    if (d.year < 1850 || d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > hq_date_days_in_month(d.year, d.month)) {
        snprintf(why, whylen, "ID number holds no valid birth date (positions 7-14)");
        return -1;
    }
    if (idnum_check_char(id) != last) {
        snprintf(why, whylen, "ID number check digit is wrong (mistyped?)");
        return -1;
    }
    if (birth)
        *birth = d;
    return 0;
}

int idnum_age(idnum_date_t birth, idnum_date_t on)
{
    hq_date_t from = {birth.year, birth.month, birth.day}, to = {on.year, on.month, on.day};
    return hq_date_years(from, to);
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
