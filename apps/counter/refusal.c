/* refusal: see refusal.h. */
#include "refusal.h"

#include <stdio.h>
#include <string.h>

/* bad_state details (PROTOCOL.md) and the clerk's line for each. */
static const struct {
    const char *detail;
    hqc_msg_t text;
} s_details[] = {
    {"closed", HQC_M_XS_CLOSED},
    {"paused", HQC_M_R_PAUSED},
    {"no_ticket", HQC_M_R_EMPTY},
    {"ticket_at_window", HQC_M_XS_TICKET_AT_WINDOW},
    {"ticket_state", HQC_M_XS_TICKET_STATE},
    {"not_served", HQC_M_XS_NOT_SERVED},
    {"too_few_calls", HQC_M_XS_TOO_FEW_CALLS},
    {"same_queue", HQC_M_XS_SAME_QUEUE},
    {"already_rated", HQC_M_XS_ALREADY_RATED},
    {"already_paused", HQC_M_XS_ALREADY_PAUSED},
    {"not_paused", HQC_M_XS_NOT_PAUSED},
    {"queue_full", HQC_M_XS_QUEUE_FULL},
};

static hqc_msg_t s_state_text(const hq_reply_t *r)
{
    json_t *error = r->body ? json_object_get(r->body, "error") : NULL;
    const char *detail = json_string_value(json_object_get(error, "detail"));
    for (size_t i = 0; detail && i < sizeof s_details / sizeof s_details[0]; i++)
        if (strcmp(detail, s_details[i].detail) == 0)
            return s_details[i].text;
    return HQC_M_X_STATE;
}

void hqc_refusal_text(ui_lang_t lang, const hq_reply_t *r, const hq_request_t *sent,
                      const hqc_catalog_t *cat, char *out, size_t outlen)
{
    hqc_msg_t id;
    switch (r->error.code) {
    case HQ_E_MALFORMED:
    case HQ_E_TOO_LARGE:
    case HQ_E_VERSION:
    case HQ_E_UNKNOWN_TYPE:
        id = HQC_M_X_MALFORMED;
        break;
    case HQ_E_BAD_FIELD:
    case HQ_E_BAD_ID_NUMBER:
    case HQ_E_UNKNOWN_SERVICE:
        id = HQC_M_X_BAD_FIELD;
        break;
    case HQ_E_UNKNOWN_QUEUE:
        id = HQC_M_X_UNKNOWN_QUEUE;
        break;
    case HQ_E_UNKNOWN_COUNTER:
        snprintf(out, outlen, hqc_tr(lang, HQC_M_X_UNKNOWN_COUNTER), sent->counter);
        return;
    case HQ_E_UNKNOWN_TICKET:
        snprintf(out, outlen, hqc_tr(lang, HQC_M_X_UNKNOWN_TICKET), sent->number);
        return;
    case HQ_E_STATE:
        id = s_state_text(r);
        if (id == HQC_M_XS_TOO_FEW_CALLS) {
            snprintf(out, outlen, hqc_tr(lang, id), cat->noshow_after);
            return;
        }
        break;
    case HQ_E_STORE:
        id = HQC_M_X_STORE;
        break;
    case HQ_E_FORBIDDEN:
        if (sent->type == HQ_REQ_LOGIN) {
            /* The roster's refusals; a wrong PIN is asked again before it gets here. */
            snprintf(out, outlen, hqc_tr(lang, HQC_M_X_ROSTER), sent->clerk);
            return;
        }
        id = HQC_M_X_FORBIDDEN;
        break;
    case HQ_E_RATE_LIMITED: {
        /* Whole seconds, rounded up: "in 0 s" would invite the same refusal again. */
        int64_t ms = r->error.retry_after_ms > 0 ? r->error.retry_after_ms : 1000;
        snprintf(out, outlen, hqc_tr(lang, HQC_M_X_RATE_LIMITED), (int)((ms + 999) / 1000));
        return;
    }
    case HQ_E_INTERNAL:
        id = HQC_M_X_INTERNAL;
        break;
    default:
        id = HQC_M_X_OTHER;
        break;
    }
    snprintf(out, outlen, "%s", hqc_tr(lang, id));
}

void hqc_refusal_no_window(ui_lang_t lang, int counter, const hqc_catalog_t *cat, char *out,
                           size_t outlen)
{
    char list[256] = "";
    size_t used = 0;
    const hq_catalog_t *d = &cat->decoded;
    for (size_t i = 0; cat->loaded && i < d->ncounters && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%d",
                                 i ? hqc_tr(lang, HQC_M_LIST_SEP) : "", d->counters[i].id);
    if (!list[0])
        snprintf(out, outlen, hqc_tr(lang, HQC_M_X_UNKNOWN_COUNTER), counter);
    else
        snprintf(out, outlen, hqc_tr(lang, HQC_M_F_NO_WINDOW), counter, list);
}

void hqc_refusal_fatal(ui_lang_t lang, const hq_reply_t *r, const hq_request_t *sent,
                       const hqc_catalog_t *cat, char *out, size_t outlen)
{
    if (r->error.code == HQ_E_UNKNOWN_COUNTER)
        hqc_refusal_no_window(lang, sent->counter, cat, out, outlen);
    else
        hqc_refusal_text(lang, r, sent, cat, out, outlen);
}
