#include "keys.h"

#include <ctype.h>
#include <stdio.h>

#define S_ST(s) (1u << (s))
#define S_IDLE S_ST(HQ_C_IDLE)
#define S_HELD (S_ST(HQ_C_CALLING) | S_ST(HQ_C_SERVING))
#define S_ANY (S_ST(HQ_C_COUNT_) - 1u)

/* One row per action; the order is the footer's. Keys were chosen so that each is the
 * first letter of the English word where possible and no two share a key. */
static const hqc_key_t s_keys[HQC_A_COUNT_] = {
    {HQC_A_CALL, 'c', HQC_M_K_CALL, HQC_M_K_CALL, 1, 1, S_IDLE},
    {HQC_A_NUMBER, 'n', HQC_M_K_NUMBER, HQC_M_K_NUMBER, 1, 1, S_IDLE},
    {HQC_A_RECALL, 'r', HQC_M_K_RECALL, HQC_M_K_RECALL, 1, 1, S_ST(HQ_C_CALLING)},
    {HQC_A_START, 's', HQC_M_K_START, HQC_M_K_START, 1, 1, S_ST(HQ_C_CALLING)},
    {HQC_A_FINISH, 'f', HQC_M_K_FINISH, HQC_M_K_FINISH, 1, 1, S_HELD},
    {HQC_A_NO_SHOW, 'x', HQC_M_K_NO_SHOW, HQC_M_K_NO_SHOW, 1, 1, S_ST(HQ_C_CALLING)},
    /* A citizen who missed the call comes back: whatever the window is doing meanwhile
     * ("a" as in again: r and q are taken). */
    {HQC_A_REQUEUE, 'a', HQC_M_K_REQUEUE, HQC_M_K_REQUEUE, 1, 1, S_ANY},
    {HQC_A_PARK, 'p', HQC_M_K_PARK, HQC_M_K_PARK, 1, 1, S_HELD},
    {HQC_A_UNPARK, 'u', HQC_M_K_UNPARK, HQC_M_K_UNPARK, 1, 1, S_IDLE},
    {HQC_A_TRANSFER, 't', HQC_M_K_TRANSFER, HQC_M_K_TRANSFER, 1, 1, S_HELD},
    {HQC_A_PAUSE, 'b', HQC_M_K_PAUSE, HQC_M_K_RESUME, 1, 1, S_IDLE | S_ST(HQ_C_PAUSED)},
    /* The rating names a ticket, not the window's state: it may follow the next call. */
    {HQC_A_RATE, 'e', HQC_M_K_RATE, HQC_M_K_RATE, 1, 0, S_ANY},
    /* A tablet may be paired whatever the window is doing ("d" as in device: p is park). */
    {HQC_A_PAIR, 'd', HQC_M_K_PAIR, HQC_M_K_PAIR, 1, 1, S_ANY},
    {HQC_A_LOGIN, 'l', HQC_M_K_LOGIN, HQC_M_K_LOGIN, 1, 0, S_ANY},
    {HQC_A_QUIT, 'q', HQC_M_K_QUIT, HQC_M_K_QUIT, 0, 0, S_ANY},
};

const hqc_key_t *hqc_key(hqc_action_t a)
{
    return (a >= 0 && a < HQC_A_COUNT_) ? &s_keys[a] : NULL;
}

int hqc_key_action(int key)
{
    if (key < 0 || key > 255)
        return -1;
    int k = tolower(key);
    for (int i = 0; i < HQC_A_COUNT_; i++)
        if (s_keys[i].key == k)
            return (int)s_keys[i].action;
    return -1;
}

hqc_msg_t hqc_key_label(hqc_action_t a, hq_counter_state_t state)
{
    const hqc_key_t *k = hqc_key(a);
    if (!k)
        return HQC_M_NONE;
    return (a == HQC_A_PAUSE && state == HQ_C_PAUSED) ? k->label_alt : k->label;
}

/* Why an action is refused in a counter state it does not fit. */
static hqc_msg_t s_wrong_state(hqc_action_t a, const hqc_facts_t *f)
{
    switch (f->state) {
    case HQ_C_PAUSED:
        return HQC_M_R_PAUSED;
    case HQ_C_CALLING:
    case HQ_C_SERVING:
        /* A ticket is at the window: new business must wait, and some actions only fit a
         * ticket that has been called but not started. */
        if (a == HQC_A_RECALL || a == HQC_A_START || a == HQC_A_NO_SHOW)
            return HQC_M_R_SERVING;
        return HQC_M_R_HELD;
    case HQ_C_IDLE:
        return HQC_M_R_EMPTY;
    case HQ_C_CLOSED:
    default:
        return HQC_M_R_NOT_MINE;
    }
}

hqc_msg_t hqc_key_check(hqc_action_t a, const hqc_facts_t *f)
{
    const hqc_key_t *k = hqc_key(a);
    if (!k)
        return HQC_M_R_UNKNOWN_KEY;
    if (k->needs_daemon && !f->link_up)
        return HQC_M_R_OFFLINE;
    if (k->needs_daemon && f->busy)
        return HQC_M_R_BUSY;
    if (k->needs_window && !f->logged_in)
        return HQC_M_R_LOGGING_IN;
    if (k->needs_window && !f->mine)
        return HQC_M_R_NOT_MINE;
    if (!(k->states & S_ST(f->state)))
        return s_wrong_state(a, f);
    switch (a) {
    case HQC_A_NO_SHOW:
        return f->calls < f->noshow_after ? HQC_M_R_NOSHOW_EARLY : HQC_M_NONE;
    case HQC_A_UNPARK:
        return f->parked > 0 ? HQC_M_NONE : HQC_M_R_NO_PARKED;
    case HQC_A_REQUEUE:
        return f->noshows > 0 ? HQC_M_NONE : HQC_M_R_NO_NOSHOW;
    case HQC_A_TRANSFER:
        return f->other_queues > 0 ? HQC_M_NONE : HQC_M_R_NO_QUEUE;
    case HQC_A_RATE:
        return f->rate_label[0] ? HQC_M_NONE : HQC_M_R_NO_RATE;
    case HQC_A_LOGIN:
        if (!f->logged_in)
            return HQC_M_R_LOGGING_IN;
        return f->mine ? HQC_M_R_LOGGED_IN : HQC_M_NONE;
    default:
        return HQC_M_NONE;
    }
}

int hqc_key_refusal(hqc_action_t a, const hqc_facts_t *f, ui_lang_t lang, char *out, int outlen)
{
    hqc_msg_t why = hqc_key_check(a, f);
    if (outlen > 0)
        out[0] = '\0';
    if (why == HQC_M_NONE)
        return 0;
    const char *fmt = hqc_tr(lang, why);
    switch (why) {
    case HQC_M_R_HELD:
    case HQC_M_R_SERVING:
        snprintf(out, (size_t)outlen, fmt, f->label);
        break;
    case HQC_M_R_NOSHOW_EARLY:
        snprintf(out, (size_t)outlen, fmt, f->label, f->calls, f->noshow_after);
        break;
    case HQC_M_R_UNKNOWN_KEY: {
        char name[4] = {(char)(hqc_key(a) ? hqc_key(a)->key : '?'), 0};
        snprintf(out, (size_t)outlen, fmt, name);
        break;
    }
    default:
        snprintf(out, (size_t)outlen, "%s", fmt);
        break;
    }
    return -1;
}
