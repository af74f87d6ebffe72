#include "booking.h"

#include "hq_date.h"

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static const char *const s_states[BK_COUNT_] = {"booked", "checked_in", "late", "no_show",
                                                "cancelled"};

const char *booking_state_name(bk_state_t s)
{
    return s >= 0 && s < BK_COUNT_ ? s_states[s] : "?";
}

int booking_state_parse(const char *name)
{
    for (int i = 0; name && i < BK_COUNT_; i++)
        if (strcmp(name, s_states[i]) == 0)
            return i;
    return -1;
}

int booking_slots(const hallq_config_t *cfg, const cfg_slots_t *t, int days, int *starts, int max)
{
    if (!t || !t->slot_min || !(t->weekdays & (1u << hq_date_weekday(days))) ||
        !cal_working_day(&cfg->calendar, days))
        return 0;
    int n = 0;
    for (int i = 0; i < t->hours.n; i++)
        for (int m = t->hours.span[i].from; m + t->slot_min <= t->hours.span[i].to && n < max;
             m += t->slot_min)
            starts[n++] = m;
    return n;
}

int booking_is_slot(const hallq_config_t *cfg, const cfg_slots_t *t, int days, int minute)
{
    int starts[BOOKING_SLOTS_MAX];
    int n = booking_slots(cfg, t, days, starts, BOOKING_SLOTS_MAX);
    for (int i = 0; i < n; i++)
        if (starts[i] == minute)
            return 1;
    return 0;
}

/* 21 characters a phone line does not confuse: no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V. */
static const char s_alphabet[] = "3479ACDEFHJKMNPQRTWXY";

int booking_code_new(char out[BOOKING_CODE_LEN + 1])
{
    unsigned char bytes[BOOKING_CODE_LEN * 2];
    if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes)
        return -1;
    size_t k = sizeof s_alphabet - 1;
    for (int i = 0; i < BOOKING_CODE_LEN; i++)
        out[i] = s_alphabet[((unsigned)bytes[2 * i] << 8 | bytes[2 * i + 1]) % k];
    out[BOOKING_CODE_LEN] = '\0';
    return 0;
}

int booking_salt_new(char out[BOOKING_SALT_LEN + 1])
{
    static const char salt_chars[] =
        "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    unsigned char bytes[BOOKING_SALT_LEN];
    if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes)
        return -1;
    for (int i = 0; i < BOOKING_SALT_LEN; i++)
        out[i] = salt_chars[bytes[i] % 64];
    out[BOOKING_SALT_LEN] = '\0';
    return 0;
}

int booking_person(const char *salt, const char *id_number, char out[BOOKING_PERSON_MAX])
{
    /* SHA-256 crypt: deterministic for one salt, so the same person gives the same hash; the
     * salt is the hall's own secret, so a hash alone does not lead back to a number. */
    char setting[64];
    snprintf(setting, sizeof setting, "$5$rounds=5000$%.16s$", salt);
    struct crypt_data *data = calloc(1, sizeof *data);
    if (!data)
        return -1;
    const char *h = crypt_rn(id_number, setting, data, (int)sizeof *data);
    int rc = h && h[0] == '$' && hq_strlcpy(out, h, BOOKING_PERSON_MAX) == 0 ? 0 : -1;
    explicit_bzero(data, sizeof *data);
    free(data);
    return rc;
}

bk_arrival_t booking_arrival(const cfg_appointments_t *rules, int64_t slot_ms, int64_t now_ms)
{
    if (now_ms < slot_ms - (int64_t)rules->early_min * 60000)
        return BK_ARRIVAL_EARLY;
    if (now_ms > slot_ms + (int64_t)rules->late_min * 60000)
        return BK_ARRIVAL_LATE;
    return BK_ARRIVAL_ON_TIME;
}
