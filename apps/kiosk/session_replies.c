/* session_replies: what hallqd answered, or did not (see session_internal.h). */
#include "session_internal.h"

#include "greenlane.h"
#include "kiosk_texts.h"
#include "record.h"
#include "ticketing.h"

#include <stdio.h>
#include <string.h>

/* The hall's exit keys as the catalog writes them ("ctrl-x ctrl-q F12"). */
static void s_take_exit_keys(kiosk_session_t *s, const char *text)
{
    char buf[128];
    s->nexit_keys = 0;
    s->exit_progress = 0;
    hq_strlcpy(buf, text ? text : "", sizeof buf);
    for (char *save = NULL, *k = strtok_r(buf, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
        int key = 0, f;
        if (strncmp(k, "ctrl-", 5) == 0 && k[5] >= 'a' && k[5] <= 'z' && !k[6])
            key = k[5] - 'a' + 1;
        else if ((k[0] == 'F' || k[0] == 'f') && hq_parse_int(k + 1, 1, 12, &f) == 0)
            key = KIOSK_KEY_F(f);
        if (!key || s->nexit_keys == KIOSK_EXIT_KEYS_MAX) {
            s->nexit_keys = 0; /* one word not understood: none rather than a wrong one */
            return;
        }
        s->exit_keys[s->nexit_keys++] = key;
    }
    if (s->nexit_keys < 2)
        s->nexit_keys = 0;
}

/* Takes a catalog reply on: at once when no citizen is choosing, else at the start page. */
static int s_take_catalog(kiosk_session_t *s, const hq_reply_t *reply, char *why, size_t n)
{
    catalog_t cat;
    if (catalog_from_json(reply->body, &cat, why, n) != 0)
        return -1;
    if (s->have_cat && s->state != KIOSK_S_QUEUES && s->state != KIOSK_S_OFFLINE) {
        catalog_clear(&s->fresh);
        s->fresh = cat;
        s->have_fresh = 1;
        s_take_exit_keys(s, cat.exit_keys);
        return 0;
    }
    catalog_clear(&s->cat);
    s->cat = cat;
    s->have_cat = 1;
    s->catalogs++;
    s_take_exit_keys(s, cat.exit_keys);
    int rows = kiosk_session_rows(s);
    if (s->cursor >= rows)
        s->cursor = rows > 0 ? rows - 1 : 0;
    return 0;
}

/* Why hallqd refused an issue, for the citizen: the reason in their language, then hallqd's
 * own words for the staff. */
/* A refusal in the reader's words: hallqd's own (English) words are added only for a reader of
 * English (hallqd's log has them either way). */
static void s_reason(const kiosk_session_t *s, kiosk_text_t id, const char *daemon_words, char *out,
                     size_t n)
{
    if (s->lang == UI_LANG_EN && daemon_words[0])
        snprintf(out, n, "%s (%s)", KS_TR(s, id), daemon_words);
    else
        snprintf(out, n, "%s", KS_TR(s, id));
}

/* A refusal by the hall's calendar or quota: its own words, with the hours or the day the
 * error carries (PROTOCOL.md "Issuing hours and quotas"). 0 when it was none of them. */
static int s_refused_by_calendar(kiosk_session_t *s, const hq_reply_t *reply)
{
    const json_t *error = json_object_get(reply->body, "error");
    const char *hours = json_string_value(json_object_get(error, "issue_hours"));
    const char *next = json_string_value(json_object_get(error, "next_working_day"));
    char text[200] = "";
    switch (reply->error.code) {
    case HQ_E_NOT_ISSUING: {
        /* "08:30-11:30, 13:30-16:30": a Chinese list is joined by 、 */
        const char *sep = s->lang == UI_LANG_EN ? ", " : "、";
        size_t used = 0;
        for (const char *p = hours ? hours : ""; *p && used + 8 < sizeof text;) {
            if (p[0] == ',' && p[1] == ' ') {
                used += (size_t)snprintf(text + used, sizeof text - used, "%s", sep);
                p += 2;
            } else {
                text[used++] = *p++;
                text[used] = '\0';
            }
        }
        ks_note(s, 1, KS_TR(s, KT_NOT_ISSUING), text);
        return 1;
    }
    case HQ_E_CLOSED_TODAY:
        if (next && *next)
            ks_note(s, 1, KS_TR(s, KT_CLOSED_TODAY), next);
        else
            ks_note(s, 1, "%s", KS_TR(s, KT_CLOSED_TODAY_PLAIN));
        return 1;
    case HQ_E_QUOTA: {
        /* Refused while a reserve is left: say who it is kept for. */
        const char *kept = json_string_value(json_object_get(error, "reserved_for"));
        ks_note(s, 1, "%s",
                KS_TR(s, !kept                              ? KT_QUOTA
                         : strcmp(kept, "appointment") == 0 ? KT_QUOTA_APPOINTMENT
                                                            : KT_QUOTA_GREEN));
        return 1;
    }
    default:
        return 0;
    }
}

static void s_refused(kiosk_session_t *s, const hq_error_t *err)
{
    kiosk_text_t id;
    switch (err->code) {
    case HQ_E_UNKNOWN_QUEUE:
    case HQ_E_UNKNOWN_SERVICE:
        id = KT_REFUSED_SERVICE;
        break;
    case HQ_E_STATE:
        id = KT_REFUSED_STATE;
        break;
    case HQ_E_FORBIDDEN:
        id = KT_REFUSED_FORBIDDEN;
        break;
    case HQ_E_STORE:
        id = KT_REFUSED_STORE;
        break;
    case HQ_E_RATE_LIMITED:
        id = KT_REFUSED_BUSY;
        break;
    default:
        id = KT_REFUSED_OTHER;
        break;
    }
    char reason[400];
    s_reason(s, id, err->message, reason, sizeof reason);
    ks_note(s, 1, KS_TR(s, KT_ISSUE_FAILED), reason);
    ks_fault(s, "issue: %s (%s)", err->message, hq_error_code_name(err->code));
}

/* Why hallqd refused a check-in, in the citizen's words (the detail or code says which). */
static void s_check_in_refused(kiosk_session_t *s, const hq_reply_t *reply)
{
    const json_t *error = json_object_get(reply->body, "error");
    const char *detail = json_string_value(json_object_get(error, "detail"));
    const char *opens = json_string_value(json_object_get(error, "opens"));
    if (reply->error.code == HQ_E_UNKNOWN_BOOKING || reply->error.code == HQ_E_BAD_ID_NUMBER)
        ks_note(s, 1, "%s", KS_TR(s, KT_CHECK_IN_UNKNOWN));
    else if (detail && strcmp(detail, "too_early") == 0 && opens)
        ks_note(s, 1, KS_TR(s, KT_CHECK_IN_EARLY), opens);
    else if (detail && strcmp(detail, "not_today") == 0)
        ks_note(s, 1, "%s", KS_TR(s, KT_CHECK_IN_NOT_TODAY));
    else if (detail && strcmp(detail, "booking_state") == 0)
        ks_note(s, 1, "%s", KS_TR(s, KT_CHECK_IN_USED));
    else if (!s_refused_by_calendar(s, reply))
        s_refused(s, &reply->error);
    ks_fault(s, "check_in: %s (%s)", reply->error.message, hq_error_code_name(reply->error.code));
}

static void s_issued(kiosk_session_t *s, const hq_reply_t *reply, int64_t now)
{
    s->issue_open = 0;
    greenlane_wipe(s->issue.pin, sizeof s->issue.pin);
    int check_in = s->issue.type == HQ_REQ_CHECK_IN;
    kiosk_state_t back = check_in         ? KIOSK_S_CHECK_IN
                         : s->staff_green ? KIOSK_S_STAFF_REASON
                                          : KIOSK_S_CONFIRM;
    if (!reply->ok && check_in) {
        s_check_in_refused(s, reply);
        ks_enter(s, back, now);
        return;
    }
    if (!reply->ok) {
        if (s_refused_by_calendar(s, reply))
            ks_fault(s, "issue: %s (%s)", reply->error.message,
                     hq_error_code_name(reply->error.code));
        else
            s_refused(s, &reply->error);
        ks_enter(s, back, now);
        return;
    }
    json_t *record = record_new(reply->body, &s->cat);
    if (!record) {
        /* hallqd says it issued a ticket the kiosk cannot read: say so, do not guess. */
        ks_note(s, 1, KS_TR(s, KT_ISSUE_FAILED), KS_TR(s, KT_BAD_REPLY));
        ks_enter(s, back, now);
        return;
    }
    json_decref(s->last);
    s->last = record;
    if (!s->printed)
        s->printed = json_array();
    json_array_append(s->printed, record);
    ks_forget_id(s);
    greenlane_wipe(s->form_booking, sizeof s->form_booking);
    s->green_locked = 0;
    s->extra[0] = '\0';
    s->note[0] = '\0';
    /* Too late for the slot: a walk-in ticket, and one line saying why. */
    if (check_in && json_is_true(json_object_get(reply->body, "late")))
        snprintf(s->extra, sizeof s->extra, "%s", KS_TR(s, KT_CHECK_IN_LATE));
    /* Kept before printing: if the printer fails, the ticket can still be printed again. */
    s->want_keep = 1;
    s->want_print = 1;
    s->reprint = 0;
    ks_enter(s, KIOSK_S_PRINTING, now);
}

/* The words for a staff member of why hallqd refused their name and PIN, or their action. */
static void s_staff_refused(kiosk_session_t *s, kiosk_text_t what, const hq_error_t *err)
{
    kiosk_text_t id = KT_STAFF_REFUSED_OTHER;
    if (err->code == HQ_E_RATE_LIMITED)
        id = KT_STAFF_REFUSED_BUSY;
    else if (strstr(err->message, "no clerk roster"))
        id = KT_STAFF_NO_ROSTER;
    else if (strstr(err->message, "PIN"))
        id = KT_STAFF_REFUSED_PIN;
    else if (strstr(err->message, "not on the hall's roster"))
        id = KT_STAFF_REFUSED_NAME;
    char reason[400];
    s_reason(s, id, err->message, reason, sizeof reason);
    ks_note(s, 1, KS_TR(s, what), reason);
}

static void s_staff_reply(kiosk_session_t *s, const hq_reply_t *reply, int64_t now)
{
    greenlane_wipe(s->form_pin, sizeof s->form_pin);
    if (!reply->ok) {
        greenlane_wipe(s->outgoing.pin, sizeof s->outgoing.pin);
        s_staff_refused(s, KT_STAFF_SIGN_IN_FAILED, &reply->error);
        s->field = 1; /* the PIN again */
        return;
    }
    /* Kept while staff mode lasts: each staff action carries it, and hallqd checks it. */
    hq_strlcpy(s->staff_clerk, s->outgoing.clerk, sizeof s->staff_clerk);
    hq_strlcpy(s->staff_pin, s->outgoing.pin, sizeof s->staff_pin);
    ks_forget_form(s);
    s->exit_asked = 0;
    ks_enter(s, KIOSK_S_STAFF, now);
    ks_note(s, 0, KS_TR(s, KT_STAFF_WELCOME), s->staff_clerk);
}

static void s_reactivated(kiosk_session_t *s, const hq_reply_t *reply)
{
    char label[HQ_LABEL_MAX];
    hq_strlcpy(label, s->outgoing.number, sizeof label);
    greenlane_wipe(s->outgoing.pin, sizeof s->outgoing.pin);
    if (!reply->ok) {
        kiosk_text_t id = KT_STAFF_REFUSED_OTHER;
        if (reply->error.code == HQ_E_UNKNOWN_TICKET)
            id = KT_REACTIVATE_UNKNOWN;
        else if (reply->error.code == HQ_E_STATE)
            id = KT_REACTIVATE_STATE;
        char reason[400];
        s_reason(s, id, reply->error.message, reason, sizeof reason);
        ks_note(s, 1, KS_TR(s, KT_REACTIVATE_FAILED), label, reason);
        return;
    }
    s->form_number[0] = '\0';
    ks_note(s, 0, KS_TR(s, KT_REACTIVATED), label);
}

void kiosk_session_reply(kiosk_session_t *s, const hq_reply_t *reply, int64_t now)
{
    kiosk_req_t was = s->inflight;
    char why[300];
    s->inflight = KIOSK_REQ_NONE;
    s->now = now;
    if (was != KIOSK_REQ_NONE)
        ks_answered(s, now);
    switch (was) {
    case KIOSK_REQ_NONE:
        return;
    case KIOSK_REQ_CATALOG:
    case KIOSK_REQ_REFRESH:
        if (!reply->ok || s_take_catalog(s, reply, why, sizeof why) != 0) {
            if (was == KIOSK_REQ_REFRESH)
                return; /* the catalog in use stays */
            /* hallqd is there but gives no catalog this kiosk can use (a removed key, a
             * catalog it cannot print): paused, and the reason is the staff's. */
            ks_fault(s, "catalog: %s", reply->ok ? why : reply->error.message);
            s->retry_at = now + KIOSK_RETRY_MS;
            if (s->state == KIOSK_S_QUEUES)
                ks_enter(s, KIOSK_S_OFFLINE, now);
            return;
        }
        if (s->state == KIOSK_S_OFFLINE)
            ks_home(s, now);
        return;
    case KIOSK_REQ_PING:
        if (s->state == KIOSK_S_OFFLINE && s->have_cat)
            ks_home(s, now);
        return;
    case KIOSK_REQ_ISSUE:
        s_issued(s, reply, now);
        return;
    case KIOSK_REQ_STAFF:
        s_staff_reply(s, reply, now);
        return;
    case KIOSK_REQ_REACTIVATE:
        s_reactivated(s, reply);
        return;
    }
}

void ks_unanswered(kiosk_session_t *s, int64_t now)
{
    kiosk_req_t was = s->inflight;
    s->inflight = KIOSK_REQ_NONE;
    if (was == KIOSK_REQ_NONE)
        return;
    if (was == KIOSK_REQ_ISSUE && s->attempt < KIOSK_ATTEMPTS) {
        s->wanted = KIOSK_REQ_ISSUE;
        ks_note(s, 0, KS_TR(s, KT_RETRYING), s->attempt + 1, KIOSK_ATTEMPTS);
        return;
    }
    s->cancel = 1;
    ks_unreachable(s, now);
    switch (was) {
    case KIOSK_REQ_ISSUE:
        /* issue_open stays: Enter on the same choice asks again with the same token. */
        ks_note(s, 1, "%s", KS_TR(s, KT_ISSUE_UNREACHABLE));
        ks_enter(s,
                 s->issue.type == HQ_REQ_CHECK_IN ? KIOSK_S_CHECK_IN
                 : s->staff_green                 ? KIOSK_S_STAFF_REASON
                                                  : KIOSK_S_CONFIRM,
                 now);
        return;
    case KIOSK_REQ_STAFF:
    case KIOSK_REQ_REACTIVATE:
        greenlane_wipe(s->form_pin, sizeof s->form_pin);
        greenlane_wipe(s->outgoing.pin, sizeof s->outgoing.pin);
        ks_note(s, 1, "%s", KS_TR(s, KT_STAFF_UNREACHABLE));
        return;
    default:
        return;
    }
}

void kiosk_session_no_reply(kiosk_session_t *s, int64_t now)
{
    s->now = now;
    ks_unanswered(s, now);
}
