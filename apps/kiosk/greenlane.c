/* greenlane: see greenlane.h. The checks themselves are the daemon's (lib/hallq/idnum.c), so
 * the kiosk and the daemon can never disagree on what a valid number is; this file only
 * words idnum's result for the person at the kiosk and compares the age with the rule. */
#include "greenlane.h"

#include "kiosk_texts.h"

#include <stdio.h>
#include <string.h>

int greenlane_from_id(const char *id, int elderly_age, idnum_date_t today, ui_lang_t lang,
                      int *green, int *age, char *why, size_t whylen)
{
    idnum_date_t birth;
    idnum_result_t r = idnum_parse(id, &birth);
    switch (r) {
    case IDNUM_OK:
        break;
    case IDNUM_LENGTH:
        snprintf(why, whylen, kiosk_tr(lang, KT_ID_LENGTH), id ? strlen(id) : 0);
        return -1;
    case IDNUM_CHARACTERS:
        snprintf(why, whylen, "%s", kiosk_tr(lang, KT_ID_CHARACTERS));
        return -1;
    case IDNUM_BIRTH_DATE:
        snprintf(why, whylen, "%s", kiosk_tr(lang, KT_ID_BIRTH_DATE));
        return -1;
    case IDNUM_CHECK_DIGIT:
        snprintf(why, whylen, "%s", kiosk_tr(lang, KT_ID_CHECK_DIGIT));
        return -1;
    }
    int years = idnum_age(birth, today);
    if (years < 0) {
        snprintf(why, whylen, "%s", kiosk_tr(lang, KT_ID_FUTURE));
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
