/* greenlane: see greenlane.h. The checks themselves are the daemon's (lib/hallq/idnum.c), so the
 * kiosk and the daemon can never disagree on what a valid number is; this file only words
 * the outcome for the person at the kiosk. */
#include "greenlane.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int greenlane_from_id(const char *id, int elderly_age, idnum_date_t today, ui_lang_t lang,
                      int *green, int *age, char *why, size_t whylen)
{
    int en = lang == UI_LANG_EN;
    size_t len = id ? strlen(id) : 0;
    if (len != 18) {
        snprintf(why, whylen,
                 en ? "An ID number has 18 characters, this one has %zu"
                    : "身份证号码应为 18 位，现为 %zu 位",
                 len);
        return -1;
    }
    for (size_t i = 0; i < 17; i++) {
        if (!isdigit((unsigned char)id[i])) {
            snprintf(why, whylen,
                     en ? "The first 17 characters of an ID number are digits"
                        : "身份证号码前 17 位应为数字");
            return -1;
        }
    }
    char last = (char)toupper((unsigned char)id[17]);
    if (!isdigit((unsigned char)last) && last != 'X') {
        snprintf(why, whylen,
                 en ? "An ID number ends in a digit or X" : "身份证号码末位应为数字或 X");
        return -1;
    }
    idnum_date_t birth;
    char detail[128];
    if (idnum_check(id, &birth, detail, sizeof detail) != 0) {
        /* Digits are fine by now: the birth date or the check digit is wrong. */
        if (idnum_check_char(id) == last)
            snprintf(why, whylen,
                     en ? "The birth date in the ID number is not a real date"
                        : "身份证号码中的出生日期无效");
        else
            snprintf(why, whylen,
                     en ? "The ID number's check digit does not match (mistyped?)"
                        : "身份证号码校验位不符，请核对");
        return -1;
    }
    int years = idnum_age(birth, today);
    if (years < 0) {
        snprintf(why, whylen,
                 en ? "The birth date in the ID number lies in the future"
                    : "身份证号码中的出生日期晚于今天");
        return -1;
    }
    *age = years;
    *green = years >= elderly_age;
    return 0;
}

void greenlane_wipe(char *buf, size_t len)
{
    if (buf)
        explicit_bzero(buf, len);
}
