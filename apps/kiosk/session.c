/* session: see session.h. */
#include "session.h"

#include "greenlane.h"
#include "kiosk_texts.h"
#include "record.h"
#include "ticketing.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *kiosk_state_name(kiosk_state_t s)
{
    static const char *const names[] = {"offline",      "queues",       "services", "confirm",
                                        "id_entry",     "check_in",     "issuing",  "printing",
                                        "result",       "staff_login",  "staff",    "staff_reprint",
                                        "staff_number", "staff_reason", "quit"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

static const char *s_tr(const kiosk_session_t *s, kiosk_text_t id)
{
    return kiosk_tr(s->lang, id);
}

static void s_note(kiosk_session_t *s, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void s_note(kiosk_session_t *s, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->note, sizeof s->note, fmt, ap);
    va_end(ap);
    s->note_error = error;
}

static void s_enter(kiosk_session_t *s, kiosk_state_t state, int64_t now)
{
    s->state = state;
    s->cursor = 0;
    s->entered = now;
}

static void s_wipe(char *buf, size_t len)
{
    greenlane_wipe(buf, len);
}

static void s_type(char *field, size_t size, int ch);
static void s_untype(char *field);

static void s_forget_id(kiosk_session_t *s)
{
    s_wipe(s->id, sizeof s->id);
    s->id_len = 0;
}

/* The sign-in form and what staff typed, gone. */
static void s_forget_form(kiosk_session_t *s)
{
    s_wipe(s->form_clerk, sizeof s->form_clerk);
    s_wipe(s->form_pin, sizeof s->form_pin);
    s_wipe(s->outgoing.pin, sizeof s->outgoing.pin);
    s->form_number[0] = '\0';
    s->form_reason[0] = '\0';
    s_wipe(s->form_booking, sizeof s->form_booking);
    s->reason_typing = 0;
    s->field = 0;
}

/* Staff mode ends: the PIN is forgotten. */
static void s_staff_end(kiosk_session_t *s)
{
    s_forget_form(s);
    s_wipe(s->staff_clerk, sizeof s->staff_clerk);
    s_wipe(s->staff_pin, sizeof s->staff_pin);
    s_wipe(s->issue.pin, sizeof s->issue.pin);
    s->staff_green = 0;
    s->exit_asked = 0;
}

int kiosk_session_staff(const kiosk_session_t *s)
{
    return s->staff_clerk[0] != '\0';
}

/* The choice of the citizen before: gone, all of it (the next citizen starts afresh). */
static void s_forget_citizen(kiosk_session_t *s)
{
    s_forget_id(s);
    s->queue = 0;
    s->service = 0;
    s->green = 0;
    s->green_locked = 0;
    s->issue_open = 0;
    json_decref(s->last);
    s->last = NULL;
}

/* The start page (or, when hallqd does not answer, the page saying the kiosk is paused),
 * with a newer catalog taken on if one came while a citizen was choosing. Going back keeps
 * what the ID check found: a citizen who stepped back is still the one it checked. */
static void s_home(kiosk_session_t *s, int64_t now)
{
    s_forget_id(s);
    s->queue = 0;
    s->service = 0;
    s->green = 0;
    s->issue_open = 0;
    s->staff_green = 0;
    s->note[0] = '\0';
    if (s->have_fresh) {
        catalog_clear(&s->cat);
        s->cat = s->fresh;
        memset(&s->fresh, 0, sizeof s->fresh);
        s->have_fresh = 0;
        s->catalogs++;
    }
    if (s->have_cat && !s->down) {
        s_enter(s, KIOSK_S_QUEUES, now);
    } else {
        s_enter(s, KIOSK_S_OFFLINE, now);
        if (s->retry_at < now)
            s->retry_at = now;
    }
}

/* Staff mode's menu, or the start page when it has ended. */
static void s_staff_home(kiosk_session_t *s, int64_t now)
{
    s->staff_green = 0;
    s->green = 0;
    s->queue = 0;
    s->service = 0;
    s->issue_open = 0;
    s_forget_form(s);
    if (kiosk_session_staff(s))
        s_enter(s, KIOSK_S_STAFF, now);
    else
        s_home(s, now);
}

void kiosk_session_init(kiosk_session_t *s, ui_lang_t lang, const char *endpoint, int timeout_ms,
                        const char *token_prefix, int64_t now, idnum_date_t today)
{
    memset(s, 0, sizeof *s);
    s->lang = lang;
    hq_strlcpy(s->endpoint, endpoint, sizeof s->endpoint);
    s->timeout_ms = timeout_ms > 0 ? timeout_ms : 3000;
    hq_strlcpy(s->token_prefix, token_prefix, sizeof s->token_prefix);
    s->today = today;
    s->input = s->now = now;
    s_enter(s, KIOSK_S_OFFLINE, now);
    s->wanted = KIOSK_REQ_CATALOG;
}

void kiosk_session_free(kiosk_session_t *s)
{
    s_forget_id(s);
    s_staff_end(s);
    catalog_clear(&s->cat);
    catalog_clear(&s->fresh);
    json_decref(s->last);
    s->last = NULL;
    json_decref(s->printed);
    s->printed = NULL;
}

/* ---- reading ------------------------------------------------------------------------------ */

int kiosk_session_services(const kiosk_session_t *s, const catalog_service_t **out, int max)
{
    if (max < 1)
        return 0;
    out[0] = NULL;
    size_t n = catalog_services_of(&s->cat, s->queue, out + 1, (size_t)max - 1);
    return n > (size_t)max - 1 ? max : (int)n + 1;
}

static int s_has_services(const kiosk_session_t *s)
{
    const catalog_service_t *one[1];
    return catalog_services_of(&s->cat, s->queue, one, 1) > 0;
}

int kiosk_session_printed_today(const kiosk_session_t *s, const json_t **out, int max)
{
    int n = 0;
    for (size_t i = json_array_size(s->printed); i > 0 && n < max; i--) {
        const json_t *r = json_array_get(s->printed, i - 1);
        if (ticketing_is_on(r, s->today))
            out[n++] = r;
    }
    return n;
}

int kiosk_session_rows(const kiosk_session_t *s)
{
    const catalog_service_t *svc[KIOSK_LIST_MAX];
    const json_t *printed[KIOSK_LIST_MAX];
    switch (s->state) {
    case KIOSK_S_QUEUES:
        return s->cat.nqueues > KIOSK_LIST_MAX ? KIOSK_LIST_MAX : (int)s->cat.nqueues;
    case KIOSK_S_SERVICES:
        return kiosk_session_services(s, svc, KIOSK_LIST_MAX);
    case KIOSK_S_STAFF:
        return KIOSK_STAFF_ITEMS;
    case KIOSK_S_STAFF_REPRINT:
        return kiosk_session_printed_today(s, printed, KIOSK_LIST_MAX);
    case KIOSK_S_STAFF_REASON:
        return s->reason_typing ? 0 : KIOSK_REASONS;
    default:
        return 0;
    }
}

const char *kiosk_session_queue_name(const kiosk_session_t *s)
{
    const catalog_queue_t *q = catalog_queue(&s->cat, s->queue);
    return q ? q->name : "";
}

const catalog_service_t *kiosk_session_service(const kiosk_session_t *s)
{
    return s->service ? catalog_service(&s->cat, s->service) : NULL;
}

int kiosk_session_may_reprint(const kiosk_session_t *s)
{
    if (s->state != KIOSK_S_RESULT || !s->last)
        return 0;
    return kiosk_session_staff(s) || s->now - s->printed_at < KIOSK_REPRINT_MS;
}

const char *kiosk_session_reason(const kiosk_session_t *s, int i)
{
    static const kiosk_text_t reasons[KIOSK_REASONS - 1] = {KT_REASON_CARD, KT_REASON_CHECKED,
                                                            KT_REASON_FRAIL};
    return i >= 0 && i < KIOSK_REASONS - 1 ? s_tr(s, reasons[i]) : "";
}

/* ---- hallqd's state --------------------------------------------------------------------- */

/* Keeps a technical fault for staff (printer devices, hallqd's address and words). */
static void s_fault(kiosk_session_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void s_fault(kiosk_session_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->fault, sizeof s->fault, fmt, ap);
    va_end(ap);
}

/* hallqd answered (whatever it said): it is there. */
static void s_answered(kiosk_session_t *s, int64_t now)
{
    s->answered = now;
    if (s->down) {
        s->down = 0;
        if (s->state != KIOSK_S_OFFLINE && s->note_error &&
            strcmp(s->note, s_tr(s, KT_DOWN_CHOOSING)) == 0)
            s->note[0] = '\0';
    }
}

/* hallqd did not answer: the kiosk says so at once, wherever the citizen is, and asks again
 * every KIOSK_RETRY_MS. On the start page that is the paused page. */
static void s_unreachable(kiosk_session_t *s, int64_t now)
{
    s->down = 1;
    s->retry_at = now + KIOSK_RETRY_MS;
    s_fault(s, s_tr(s, KT_FAULT_UNREACHABLE), s->endpoint);
    switch (s->state) {
    case KIOSK_S_QUEUES:
        s_enter(s, KIOSK_S_OFFLINE, now);
        break;
    case KIOSK_S_SERVICES:
    case KIOSK_S_CONFIRM:
    case KIOSK_S_ID_ENTRY:
    case KIOSK_S_STAFF_REASON:
        s_note(s, 1, "%s", s_tr(s, KT_DOWN_CHOOSING));
        break;
    default:
        break;
    }
}

/* ---- requests ------------------------------------------------------------------------------ */

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
        snprintf(out, n, "%s (%s)", s_tr(s, id), daemon_words);
    else
        snprintf(out, n, "%s", s_tr(s, id));
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
        s_note(s, 1, s_tr(s, KT_NOT_ISSUING), text);
        return 1;
    }
    case HQ_E_CLOSED_TODAY:
        if (next && *next)
            s_note(s, 1, s_tr(s, KT_CLOSED_TODAY), next);
        else
            s_note(s, 1, "%s", s_tr(s, KT_CLOSED_TODAY_PLAIN));
        return 1;
    case HQ_E_QUOTA: {
        /* Refused while a reserve is left: say who it is kept for. */
        const char *kept = json_string_value(json_object_get(error, "reserved_for"));
        s_note(s, 1, "%s",
               s_tr(s, !kept                              ? KT_QUOTA
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
    s_note(s, 1, s_tr(s, KT_ISSUE_FAILED), reason);
    s_fault(s, "issue: %s (%s)", err->message, hq_error_code_name(err->code));
}

/* Why hallqd refused a check-in, in the citizen's words (the detail or code says which). */
static void s_check_in_refused(kiosk_session_t *s, const hq_reply_t *reply)
{
    const json_t *error = json_object_get(reply->body, "error");
    const char *detail = json_string_value(json_object_get(error, "detail"));
    const char *opens = json_string_value(json_object_get(error, "opens"));
    if (reply->error.code == HQ_E_UNKNOWN_BOOKING || reply->error.code == HQ_E_BAD_ID_NUMBER)
        s_note(s, 1, "%s", s_tr(s, KT_CHECK_IN_UNKNOWN));
    else if (detail && strcmp(detail, "too_early") == 0 && opens)
        s_note(s, 1, s_tr(s, KT_CHECK_IN_EARLY), opens);
    else if (detail && strcmp(detail, "not_today") == 0)
        s_note(s, 1, "%s", s_tr(s, KT_CHECK_IN_NOT_TODAY));
    else if (detail && strcmp(detail, "booking_state") == 0)
        s_note(s, 1, "%s", s_tr(s, KT_CHECK_IN_USED));
    else if (!s_refused_by_calendar(s, reply))
        s_refused(s, &reply->error);
    s_fault(s, "check_in: %s (%s)", reply->error.message, hq_error_code_name(reply->error.code));
}

static void s_issued(kiosk_session_t *s, const hq_reply_t *reply, int64_t now)
{
    s->issue_open = 0;
    s_wipe(s->issue.pin, sizeof s->issue.pin);
    int check_in = s->issue.type == HQ_REQ_CHECK_IN;
    kiosk_state_t back = check_in         ? KIOSK_S_CHECK_IN
                         : s->staff_green ? KIOSK_S_STAFF_REASON
                                          : KIOSK_S_CONFIRM;
    if (!reply->ok && check_in) {
        s_check_in_refused(s, reply);
        s_enter(s, back, now);
        return;
    }
    if (!reply->ok) {
        if (s_refused_by_calendar(s, reply))
            s_fault(s, "issue: %s (%s)", reply->error.message,
                    hq_error_code_name(reply->error.code));
        else
            s_refused(s, &reply->error);
        s_enter(s, back, now);
        return;
    }
    json_t *record = record_new(reply->body, &s->cat);
    if (!record) {
        /* hallqd says it issued a ticket the kiosk cannot read: say so, do not guess. */
        s_note(s, 1, s_tr(s, KT_ISSUE_FAILED), s_tr(s, KT_BAD_REPLY));
        s_enter(s, back, now);
        return;
    }
    json_decref(s->last);
    s->last = record;
    if (!s->printed)
        s->printed = json_array();
    json_array_append(s->printed, record);
    s_forget_id(s);
    s_wipe(s->form_booking, sizeof s->form_booking);
    s->green_locked = 0;
    s->extra[0] = '\0';
    s->note[0] = '\0';
    /* Too late for the slot: a walk-in ticket, and one line saying why. */
    if (check_in && json_is_true(json_object_get(reply->body, "late")))
        snprintf(s->extra, sizeof s->extra, "%s", s_tr(s, KT_CHECK_IN_LATE));
    /* Kept before printing: if the printer fails, the ticket can still be printed again. */
    s->want_keep = 1;
    s->want_print = 1;
    s->reprint = 0;
    s_enter(s, KIOSK_S_PRINTING, now);
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
    s_note(s, 1, s_tr(s, what), reason);
}

static void s_staff_reply(kiosk_session_t *s, const hq_reply_t *reply, int64_t now)
{
    s_wipe(s->form_pin, sizeof s->form_pin);
    if (!reply->ok) {
        s_wipe(s->outgoing.pin, sizeof s->outgoing.pin);
        s_staff_refused(s, KT_STAFF_SIGN_IN_FAILED, &reply->error);
        s->field = 1; /* the PIN again */
        return;
    }
    /* Kept while staff mode lasts: each staff action carries it, and hallqd checks it. */
    hq_strlcpy(s->staff_clerk, s->outgoing.clerk, sizeof s->staff_clerk);
    hq_strlcpy(s->staff_pin, s->outgoing.pin, sizeof s->staff_pin);
    s_forget_form(s);
    s->exit_asked = 0;
    s_enter(s, KIOSK_S_STAFF, now);
    s_note(s, 0, s_tr(s, KT_STAFF_WELCOME), s->staff_clerk);
}

static void s_reactivated(kiosk_session_t *s, const hq_reply_t *reply)
{
    char label[HQ_LABEL_MAX];
    hq_strlcpy(label, s->outgoing.number, sizeof label);
    s_wipe(s->outgoing.pin, sizeof s->outgoing.pin);
    if (!reply->ok) {
        kiosk_text_t id = KT_STAFF_REFUSED_OTHER;
        if (reply->error.code == HQ_E_UNKNOWN_TICKET)
            id = KT_REACTIVATE_UNKNOWN;
        else if (reply->error.code == HQ_E_STATE)
            id = KT_REACTIVATE_STATE;
        char reason[400];
        s_reason(s, id, reply->error.message, reason, sizeof reason);
        s_note(s, 1, s_tr(s, KT_REACTIVATE_FAILED), label, reason);
        return;
    }
    s->form_number[0] = '\0';
    s_note(s, 0, s_tr(s, KT_REACTIVATED), label);
}

void kiosk_session_reply(kiosk_session_t *s, const hq_reply_t *reply, int64_t now)
{
    kiosk_req_t was = s->inflight;
    char why[300];
    s->inflight = KIOSK_REQ_NONE;
    s->now = now;
    if (was != KIOSK_REQ_NONE)
        s_answered(s, now);
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
            s_fault(s, "catalog: %s", reply->ok ? why : reply->error.message);
            s->retry_at = now + KIOSK_RETRY_MS;
            if (s->state == KIOSK_S_QUEUES)
                s_enter(s, KIOSK_S_OFFLINE, now);
            return;
        }
        if (s->state == KIOSK_S_OFFLINE)
            s_home(s, now);
        return;
    case KIOSK_REQ_PING:
        if (s->state == KIOSK_S_OFFLINE && s->have_cat)
            s_home(s, now);
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

/* The request in flight got no reply in time (or could not be sent). An issue is sent again
 * with the same token while attempts remain; anything else counts as hallqd gone. */
static void s_unanswered(kiosk_session_t *s, int64_t now)
{
    kiosk_req_t was = s->inflight;
    s->inflight = KIOSK_REQ_NONE;
    if (was == KIOSK_REQ_NONE)
        return;
    if (was == KIOSK_REQ_ISSUE && s->attempt < KIOSK_ATTEMPTS) {
        s->wanted = KIOSK_REQ_ISSUE;
        s_note(s, 0, s_tr(s, KT_RETRYING), s->attempt + 1, KIOSK_ATTEMPTS);
        return;
    }
    s->cancel = 1;
    s_unreachable(s, now);
    switch (was) {
    case KIOSK_REQ_ISSUE:
        /* issue_open stays: Enter on the same choice asks again with the same token. */
        s_note(s, 1, "%s", s_tr(s, KT_ISSUE_UNREACHABLE));
        s_enter(s,
                s->issue.type == HQ_REQ_CHECK_IN ? KIOSK_S_CHECK_IN
                : s->staff_green                 ? KIOSK_S_STAFF_REASON
                                                 : KIOSK_S_CONFIRM,
                now);
        return;
    case KIOSK_REQ_STAFF:
    case KIOSK_REQ_REACTIVATE:
        s_wipe(s->form_pin, sizeof s->form_pin);
        s_wipe(s->outgoing.pin, sizeof s->outgoing.pin);
        s_note(s, 1, "%s", s_tr(s, KT_STAFF_UNREACHABLE));
        return;
    default:
        return;
    }
}

void kiosk_session_no_reply(kiosk_session_t *s, int64_t now)
{
    s->now = now;
    s_unanswered(s, now);
}

/* Enter on CONFIRM (or on the green lane's reason): the same choice as an unanswered issue
 * reuses its token. hallqd known gone: said at once, nothing sent but a ping. */
static void s_issue(kiosk_session_t *s, int64_t now)
{
    if (s->down) {
        s_note(s, 1, "%s", s_tr(s, KT_DOWN_CHOOSING));
        s->retry_at = now; /* ask now whether it is back */
        return;
    }
    const catalog_service_t *svc = kiosk_session_service(s);
    int service = svc ? svc->no : 0;
    int staff = s->staff_green && kiosk_session_staff(s);
    const char *clerk = staff ? s->staff_clerk : "", *reason = staff ? s->reason : "";
    if (!(s->issue_open && s->issue.type == HQ_REQ_ISSUE && s->issue.queue == s->queue &&
          s->issue.service == service && s->issue.elderly == (s->green || staff ? 1 : 0) &&
          strcmp(s->issue.clerk, clerk) == 0 && strcmp(s->issue.reason, reason) == 0)) {
        char token[HQ_TOKEN_MAX];
        snprintf(token, sizeof token, "%s-%u", s->token_prefix, ++s->tokens);
        ticketing_issue_request(&s->issue, s->queue, service, s->green || staff, token);
        /* A staff member's name and reason: hallqd logs who set the green lane, and why. */
        hq_strlcpy(s->issue.clerk, clerk, sizeof s->issue.clerk);
        hq_strlcpy(s->issue.reason, reason, sizeof s->issue.reason);
        s->issue_open = 1;
    }
    /* Their PIN rides along on each attempt, and is wiped when hallqd has answered. */
    hq_strlcpy(s->issue.pin, staff ? s->staff_pin : "", sizeof s->issue.pin);
    s->attempt = 0;
    s->wanted = KIOSK_REQ_ISSUE;
    s_note(s, 0, "%s", s_tr(s, KT_ISSUING));
    s_enter(s, KIOSK_S_ISSUING, now);
}

/* Enter on CHECK_IN: a code of 6 or an ID number of 18 characters goes as `check_in`, with a
 * token so a retry after a lost reply gets the same ticket. */
static void s_check_in(kiosk_session_t *s, int64_t now)
{
    size_t n = strlen(s->form_booking);
    if (n != 6 && n != HQ_ID_NUMBER_LEN) {
        s_note(s, 1, "%s", s_tr(s, KT_CHECK_IN_FORMAT));
        return;
    }
    if (s->down) {
        s_note(s, 1, "%s", s_tr(s, KT_DOWN_CHOOSING));
        s->retry_at = now;
        return;
    }
    const char *sent = n == 6 ? s->issue.code : s->issue.id_number;
    if (!(s->issue_open && s->issue.type == HQ_REQ_CHECK_IN &&
          strcmp(sent, s->form_booking) == 0)) {
        hq_request_init(&s->issue, HQ_REQ_CHECK_IN);
        if (n == 6)
            hq_strlcpy(s->issue.code, s->form_booking, sizeof s->issue.code);
        else
            hq_strlcpy(s->issue.id_number, s->form_booking, sizeof s->issue.id_number);
        snprintf(s->issue.token, sizeof s->issue.token, "%s-%u", s->token_prefix, ++s->tokens);
        s->issue_open = 1;
    }
    s->attempt = 0;
    s->wanted = KIOSK_REQ_ISSUE;
    s_note(s, 0, "%s", s_tr(s, KT_ISSUING));
    s_enter(s, KIOSK_S_ISSUING, now);
}

static void s_check_in_key(kiosk_session_t *s, int key, int64_t now)
{
    char *f = s->form_booking;
    if (key == KIOSK_KEY_ESC) {
        s_wipe(f, sizeof s->form_booking);
        s->note[0] = '\0';
        s_home(s, now);
    } else if (key == KIOSK_KEY_BACKSPACE) {
        s_untype(f);
    } else if (key == KIOSK_KEY_ENTER) {
        s_check_in(s, now);
    } else if (key > 0 && key < 0x80 && isalnum(key)) {
        s_type(f, sizeof s->form_booking, toupper(key));
        s->note[0] = '\0';
    }
}

/* A request someone waits for (a ticket, a staff member's) goes before the background ones:
 * a ping or a catalog in flight is abandoned for it. */
static int s_user_request(kiosk_req_t r)
{
    return r == KIOSK_REQ_ISSUE || r == KIOSK_REQ_STAFF || r == KIOSK_REQ_REACTIVATE;
}

/* Sends `wanted`: fills act. */
static void s_send(kiosk_session_t *s, int64_t now, kiosk_action_t *act)
{
    kiosk_req_t r = s->wanted;
    s->wanted = KIOSK_REQ_NONE;
    s->cancel = 0;
    s->inflight = r;
    s->attempt = r == KIOSK_REQ_ISSUE ? s->attempt + 1 : 1;
    s->deadline = now + s->timeout_ms;
    act->what = KIOSK_DO_SEND;
    switch (r) {
    case KIOSK_REQ_ISSUE:
        act->request = s->issue;
        break;
    case KIOSK_REQ_STAFF:
    case KIOSK_REQ_REACTIVATE:
        act->request = s->outgoing;
        break;
    case KIOSK_REQ_PING:
        hq_request_init(&act->request, HQ_REQ_PING);
        break;
    default:
        hq_request_init(&act->request, HQ_REQ_CATALOG);
        break;
    }
}

/* Whether hallqd should be asked whether it is there, now. */
static int s_ping_due(const kiosk_session_t *s, int64_t now)
{
    switch (s->state) {
    case KIOSK_S_QUEUES:
        return now - s->answered >= KIOSK_PING_MS;
    case KIOSK_S_SERVICES:
    case KIOSK_S_CONFIRM:
    case KIOSK_S_ID_ENTRY:
    case KIOSK_S_STAFF_REASON:
        return s->down && now >= s->retry_at;
    default:
        return 0;
    }
}

int kiosk_session_next(kiosk_session_t *s, int64_t now, kiosk_action_t *act)
{
    memset(act, 0, sizeof *act);
    s->now = now;
    if (s->state == KIOSK_S_QUIT) {
        act->what = KIOSK_DO_QUIT;
        return 1;
    }
    if (s_user_request(s->wanted) && !s_user_request(s->inflight)) {
        s_send(s, now, act); /* abandons a background request in flight */
        return 1;
    }
    if (s->cancel) {
        s->cancel = 0;
        act->what = KIOSK_DO_CANCEL;
        return 1;
    }
    if (s->want_keep && s->last) {
        s->want_keep = 0;
        act->what = KIOSK_DO_KEEP;
        act->record = s->last;
        return 1;
    }
    if (s->want_print && s->last) {
        s->want_print = 0;
        act->what = KIOSK_DO_PRINT;
        act->record = s->last;
        act->reprint = s->reprint;
        return 1;
    }
    if (s->inflight != KIOSK_REQ_NONE)
        return 0;
    if (s->wanted == KIOSK_REQ_NONE) {
        if (s->state == KIOSK_S_OFFLINE && now >= s->retry_at)
            s->wanted = KIOSK_REQ_CATALOG;
        else if (s_ping_due(s, now))
            s->wanted = KIOSK_REQ_PING;
    }
    if (s->wanted != KIOSK_REQ_NONE) {
        s_send(s, now, act);
        return 1;
    }
    return 0;
}

/* ---- keeping, printing, today's tickets ------------------------------------------------- */

void kiosk_session_kept(kiosk_session_t *s, int ok, const char *why)
{
    if (!ok) {
        snprintf(s->extra, sizeof s->extra, s_tr(s, KT_NOT_KEPT), why);
        s_fault(s, "%s", why);
    }
}

void kiosk_session_printed(kiosk_session_t *s, int ok, const char *why, size_t replaced,
                           int64_t now)
{
    s->now = now;
    s->printed_ok = ok;
    s->reprinted = s->reprint;
    if (!s->reprint)
        s->printed_at = now;
    hq_strlcpy(s->print_error, ok ? "" : why, sizeof s->print_error);
    if (!ok)
        s_fault(s, "%s", why);
    if (replaced) {
        char remark[200];
        size_t used = strlen(s->extra);
        snprintf(remark, sizeof remark, s_tr(s, KT_REPLACED), replaced);
        snprintf(s->extra + used, sizeof s->extra - used, "%s%s", used ? " " : "", remark);
    }
    s->note[0] = '\0';
    s_enter(s, KIOSK_S_RESULT, now);
}

/* Prints `last` again. A citizen's own, within its window; staff's, any of today's. */
static void s_reprint(kiosk_session_t *s, int64_t now)
{
    if (!ticketing_is_on(s->last, s->today)) {
        record_info_t info;
        char why[128];
        if (record_info(s->last, &info, why, sizeof why) == 0)
            s_note(s, 1, s_tr(s, KT_STALE_LAST), info.ticket.label, info.ticket.day);
        return;
    }
    s->extra[0] = '\0';
    s->note[0] = '\0';
    s->want_print = 1;
    s->reprint = 1;
    s_enter(s, KIOSK_S_PRINTING, now);
}

void kiosk_session_loaded(kiosk_session_t *s, json_t *records)
{
    if (!json_is_array(records)) {
        json_decref(records);
        return;
    }
    /* Those of this run so far come after the kept ones. */
    size_t i;
    json_t *r;
    json_array_foreach(s->printed, i, r) json_array_append(records, r);
    json_decref(s->printed);
    s->printed = records;
}

/* ---- keys ------------------------------------------------------------------------------- */

static int s_is_back(int key)
{
    return key == KIOSK_KEY_ESC || key == KIOSK_KEY_BACKSPACE || key == KIOSK_KEY_LEFT;
}

/* The keys that ask to leave the program: they open the exit prompt. */
static int s_is_quit(int key)
{
    return key == 'q' || key == 'Q' || key == KIOSK_KEY_F(10);
}

/* The staff sign-in page; `exit`: opened to leave the program. */
static void s_sign_in(kiosk_session_t *s, int exit, int64_t now)
{
    s_forget_form(s);
    s->exit_asked = exit;
    s->note[0] = '\0';
    if (kiosk_session_staff(s))
        s_enter(s, KIOSK_S_STAFF, now);
    else
        s_enter(s, KIOSK_S_STAFF_LOGIN, now);
}

static void s_choose_queue(kiosk_session_t *s, int index, int64_t now)
{
    if (index < 0 || (size_t)index >= s->cat.nqueues || index >= KIOSK_LIST_MAX)
        return;
    s->queue = s->cat.queue[index].prefix;
    s->service = 0;
    if (!s->down)
        s->note[0] = '\0';
    /* A category without listed services goes straight to confirming. */
    s_enter(s, s_has_services(s) ? KIOSK_S_SERVICES : KIOSK_S_CONFIRM, now);
}

static void s_choose_service(kiosk_session_t *s, int index, int64_t now)
{
    const catalog_service_t *svc[KIOSK_LIST_MAX];
    int n = kiosk_session_services(s, svc, KIOSK_LIST_MAX);
    if (index < 0 || index >= n)
        return;
    s->service = svc[index] ? svc[index]->no : 0;
    s_enter(s, KIOSK_S_CONFIRM, now);
}

static void s_choose_printed(kiosk_session_t *s, int index, int64_t now)
{
    const json_t *printed[KIOSK_LIST_MAX];
    int n = kiosk_session_printed_today(s, printed, KIOSK_LIST_MAX);
    if (index < 0 || index >= n)
        return;
    json_decref(s->last);
    s->last = json_incref((json_t *)printed[index]);
    s_reprint(s, now);
}

static void s_choose_staff(kiosk_session_t *s, int index, int64_t now)
{
    s->note[0] = '\0';
    switch (index) {
    case 0:
        s_enter(s, KIOSK_S_STAFF_REPRINT, now);
        if (kiosk_session_rows(s) == 0)
            s_note(s, 0, "%s", s_tr(s, KT_STAFF_NONE_PRINTED));
        break;
    case 1:
        s_forget_form(s);
        s_enter(s, KIOSK_S_STAFF_NUMBER, now);
        break;
    case 2:
        if (!s->have_cat) {
            s_note(s, 1, "%s", s_tr(s, KT_DOWN_CHOOSING));
            break;
        }
        s->staff_green = 1;
        s->green = 1;
        s->queue = 0;
        s->service = 0;
        s_enter(s, KIOSK_S_QUEUES, now);
        break;
    case 3:
        s_enter(s, KIOSK_S_QUIT, now);
        break;
    default:
        break;
    }
}

/* The green lane's reason chosen: the ticket is issued. */
static void s_choose_reason(kiosk_session_t *s, int index, int64_t now)
{
    if (index < 0 || index >= KIOSK_REASONS)
        return;
    if (index == KIOSK_REASONS - 1) {
        s->reason_typing = 1; /* "other": typed */
        s->form_reason[0] = '\0';
        return;
    }
    hq_strlcpy(s->reason, kiosk_session_reason(s, index), sizeof s->reason);
    s_issue(s, now);
}

/* A row of the list shown is chosen (typed, Enter on the cursor, or tapped). */
static void s_choose(kiosk_session_t *s, int index, int64_t now)
{
    switch (s->state) {
    case KIOSK_S_QUEUES:
        s_choose_queue(s, index, now);
        break;
    case KIOSK_S_SERVICES:
        s_choose_service(s, index, now);
        break;
    case KIOSK_S_STAFF:
        s_choose_staff(s, index, now);
        break;
    case KIOSK_S_STAFF_REPRINT:
        s_choose_printed(s, index, now);
        break;
    case KIOSK_S_STAFF_REASON:
        s_choose_reason(s, index, now);
        break;
    default:
        break;
    }
}

/* Back to the categories: the start page (a newer catalog taken on, or the paused page when
 * hallqd is gone), or staff's list of categories for a green-lane ticket. */
static void s_back_to_queues(kiosk_session_t *s, int64_t now)
{
    if (!s->staff_green) {
        s_home(s, now);
        return;
    }
    s->service = 0;
    s->note[0] = '\0';
    s_enter(s, KIOSK_S_QUEUES, now);
}

/* Going back from a list page. */
static void s_list_back(kiosk_session_t *s, int64_t now)
{
    switch (s->state) {
    case KIOSK_S_SERVICES:
        s_back_to_queues(s, now);
        break;
    case KIOSK_S_QUEUES:
        if (s->staff_green)
            s_staff_home(s, now);
        break;
    case KIOSK_S_STAFF:
        s_staff_end(s); /* staff mode ends, the PIN with it */
        s_home(s, now);
        break;
    case KIOSK_S_STAFF_REPRINT:
        s_staff_home(s, now);
        break;
    case KIOSK_S_STAFF_REASON:
        s->note[0] = '\0';
        s_enter(s, KIOSK_S_CONFIRM, now);
        break;
    default:
        break;
    }
}

/* Keys of a list: digits choose by the number shown (categories and the staff menu from 1,
 * services from 0: none in particular), Up/Down and Enter, taps. */
static void s_list_key(kiosk_session_t *s, int key, int64_t now)
{
    int rows = kiosk_session_rows(s);
    int from_zero = s->state == KIOSK_S_SERVICES;
    if (key == KIOSK_KEY_UP && s->cursor > 0)
        s->cursor--;
    else if (key == KIOSK_KEY_DOWN && s->cursor + 1 < rows)
        s->cursor++;
    else if (key == KIOSK_KEY_ENTER || key == KIOSK_KEY_RIGHT)
        s_choose(s, s->cursor, now);
    else if (key >= KIOSK_KEY_PICK && key < KIOSK_KEY_PICK + KIOSK_LIST_MAX)
        s_choose(s, key - KIOSK_KEY_PICK, now);
    else if (key >= KIOSK_KEY_GOTO && key < KIOSK_KEY_GOTO + KIOSK_LIST_MAX)
        s->cursor = key - KIOSK_KEY_GOTO < rows ? key - KIOSK_KEY_GOTO : s->cursor;
    else if (key >= '0' && key <= '9')
        s_choose(s, from_zero ? key - '0' : key - '1', now);
    else if (s->state == KIOSK_S_QUEUES && !s->staff_green && s_is_quit(key))
        s_sign_in(s, 1, now);
    else if (key == KIOSK_KEY_STAFF && !s->staff_green)
        s_sign_in(s, 0, now);
    else if (s_is_back(key))
        s_list_back(s, now);
}

static void s_check_id(kiosk_session_t *s, int64_t now)
{
    char why[256];
    int green = 0, age = 0;
    s->id[s->id_len] = '\0';
    int rc = greenlane_from_id(s->id, s->cat.elderly_age, s->today, s->lang, &green, &age, why,
                               sizeof why);
    s_forget_id(s); /* decided, right or wrong: the number goes */
    if (rc != 0) {
        s_note(s, 1, "%s", why);
        return;
    }
    s->green = green;
    /* Under the age: the citizen may not declare the green lane after all; staff may. */
    s->green_locked = !green;
    s_note(s, 0, s_tr(s, green ? KT_ID_GREEN : KT_ID_NORMAL), s->cat.elderly_age);
    s_enter(s, KIOSK_S_CONFIRM, now);
}

static void s_id_key(kiosk_session_t *s, int key, int64_t now)
{
    if (key == KIOSK_KEY_ENTER) {
        s_check_id(s, now);
    } else if (key == KIOSK_KEY_ESC) {
        s_forget_id(s);
        s->note[0] = '\0';
        s_enter(s, KIOSK_S_CONFIRM, now);
    } else if (key == KIOSK_KEY_BACKSPACE) {
        if (s->id_len > 0)
            s->id[--s->id_len] = '\0';
    } else if (s->id_len < HQ_ID_NUMBER_LEN &&
               ((key >= '0' && key <= '9') ||
                ((key == 'x' || key == 'X') && s->id_len == HQ_ID_NUMBER_LEN - 1))) {
        s->id[s->id_len++] = (char)(key == 'x' ? 'X' : key);
    }
}

static void s_confirm_key(kiosk_session_t *s, int key, int64_t now)
{
    if (key == KIOSK_KEY_ENTER) {
        if (s->staff_green) {
            s->note[0] = '\0';
            s_enter(s, KIOSK_S_STAFF_REASON, now);
        } else {
            s_issue(s, now);
        }
    } else if ((key == 'g' || key == 'G') && !s->staff_green) {
        if (s->green_locked) {
            s_note(s, 1, s_tr(s, KT_GREEN_LOCKED), s->cat.elderly_age);
        } else {
            s->green = !s->green;
            s->note[0] = '\0';
        }
    } else if ((key == 'i' || key == 'I') && !s->staff_green) {
        s_forget_id(s);
        s->note[0] = '\0';
        s_enter(s, KIOSK_S_ID_ENTRY, now);
    } else if (s_is_back(key)) {
        if (s_has_services(s)) {
            s->note[0] = s->down ? s->note[0] : '\0';
            s_enter(s, KIOSK_S_SERVICES, now);
        } else {
            s_back_to_queues(s, now);
        }
    }
}

/* Appends a typed character to a field, within its room. */
static void s_type(char *field, size_t size, int ch)
{
    size_t n = strlen(field);
    if (n + 1 < size) {
        field[n] = (char)ch;
        field[n + 1] = '\0';
    }
}

static void s_untype(char *field)
{
    size_t n = strlen(field);
    if (n)
        field[n - 1] = '\0';
}

/* A character a clerk's name may hold as typed here: letters, digits, '.', '_', '-'. */
static int s_name_char(int key)
{
    return key > 0 && key < 0x80 && (isalnum(key) || key == '.' || key == '_' || key == '-');
}

static void s_sign_in_send(kiosk_session_t *s)
{
    if (!s->form_clerk[0]) {
        s->field = 0;
        s_note(s, 1, "%s", s_tr(s, KT_STAFF_NAME_NEEDED));
        return;
    }
    size_t n = strlen(s->form_pin);
    if (n < KIOSK_PIN_MIN) {
        s->field = 1;
        s_note(s, 1, s_tr(s, KT_STAFF_PIN_NEEDED), KIOSK_PIN_MIN, KIOSK_PIN_MAX);
        return;
    }
    hq_request_init(&s->outgoing, HQ_REQ_STAFF);
    hq_strlcpy(s->outgoing.clerk, s->form_clerk, sizeof s->outgoing.clerk);
    hq_strlcpy(s->outgoing.pin, s->form_pin, sizeof s->outgoing.pin);
    s_wipe(s->form_pin, sizeof s->form_pin);
    s->wanted = KIOSK_REQ_STAFF;
    s_note(s, 0, "%s", s_tr(s, KT_STAFF_CHECKING));
}

static void s_sign_in_key(kiosk_session_t *s, int key, int64_t now)
{
    if (s->inflight == KIOSK_REQ_STAFF || s->wanted == KIOSK_REQ_STAFF)
        return; /* being checked */
    if (key == KIOSK_KEY_ESC || (key == KIOSK_KEY_LEFT && !s->form_clerk[0])) {
        s_forget_form(s);
        s->exit_asked = 0;
        s_home(s, now);
    } else if (!s->have_cat || !s->cat.roster) {
        return; /* nothing to type: the page says why (and how a hall sets staff PINs up) */
    } else if (key == KIOSK_KEY_FIELD || key == KIOSK_KEY_FIELD + 1) {
        s->field = key - KIOSK_KEY_FIELD;
    } else if (key == KIOSK_KEY_UP || key == KIOSK_KEY_DOWN || key == KIOSK_KEY_TAB) {
        s->field = key == KIOSK_KEY_UP ? 0 : key == KIOSK_KEY_DOWN ? 1 : !s->field;
    } else if (key == KIOSK_KEY_ENTER) {
        if (s->field == 0 && s->form_clerk[0])
            s->field = 1;
        else
            s_sign_in_send(s);
    } else if (key == KIOSK_KEY_BACKSPACE) {
        s_untype(s->field ? s->form_pin : s->form_clerk);
    } else if (s->field == 1 && key >= '0' && key <= '9') {
        s_type(s->form_pin, sizeof s->form_pin, key);
    } else if (s->field == 0 && s_name_char(key)) {
        s_type(s->form_clerk, sizeof s->form_clerk, key);
    }
}

static void s_staff_number_key(kiosk_session_t *s, int key, int64_t now)
{
    if (s->inflight == KIOSK_REQ_REACTIVATE || s->wanted == KIOSK_REQ_REACTIVATE)
        return;
    char *f = s->form_number;
    size_t n = strlen(f);
    if (key == KIOSK_KEY_ESC) {
        s_staff_home(s, now);
    } else if (key == KIOSK_KEY_BACKSPACE) {
        s_untype(f);
    } else if (key == KIOSK_KEY_ENTER) {
        char prefix;
        int number;
        if (hq_label_parse(f, &prefix, &number) != 0) {
            s_note(s, 1, "%s", s_tr(s, KT_REACTIVATE_NUMBER));
            return;
        }
        hq_request_init(&s->outgoing, HQ_REQ_REACTIVATE);
        hq_label_format(prefix, number, s->outgoing.number, sizeof s->outgoing.number);
        hq_strlcpy(s->outgoing.clerk, s->staff_clerk, sizeof s->outgoing.clerk);
        hq_strlcpy(s->outgoing.pin, s->staff_pin, sizeof s->outgoing.pin);
        s->wanted = KIOSK_REQ_REACTIVATE;
        s_note(s, 0, "%s", s_tr(s, KT_STAFF_CHECKING));
    } else if (n == 0 && key > 0 && key < 0x80 && isalpha(key)) {
        s_type(f, HQ_LABEL_MAX, toupper(key));
    } else if (n > 0 && n < 5 && key >= '0' && key <= '9') {
        s_type(f, HQ_LABEL_MAX, key);
    }
}

static void s_reason_key(kiosk_session_t *s, int key, int64_t now)
{
    if (!s->reason_typing) {
        s_list_key(s, key, now);
        return;
    }
    if (key == KIOSK_KEY_ESC) {
        s->reason_typing = 0;
        s->form_reason[0] = '\0';
    } else if (key == KIOSK_KEY_BACKSPACE) {
        s_untype(s->form_reason);
    } else if (key == KIOSK_KEY_ENTER) {
        if (!s->form_reason[0]) {
            s_note(s, 1, "%s", s_tr(s, KT_REASON_NEEDED));
            return;
        }
        hq_strlcpy(s->reason, s->form_reason, sizeof s->reason);
        s_issue(s, now);
    } else if (key >= 0x20 && key < 0x7f) {
        s_type(s->form_reason, sizeof s->form_reason, key);
    }
}

/* Leaves the result page: to the staff menu in staff mode, else to the next citizen (the
 * catalog is quietly refreshed between citizens). */
static void s_result_done(kiosk_session_t *s, int64_t now)
{
    json_decref(s->last);
    s->last = NULL;
    if (kiosk_session_staff(s)) {
        s_staff_home(s, now);
        return;
    }
    if (s->wanted == KIOSK_REQ_NONE && s->inflight == KIOSK_REQ_NONE)
        s->wanted = KIOSK_REQ_REFRESH;
    s_forget_citizen(s);
    s_home(s, now);
}

static void s_result_key(kiosk_session_t *s, int key, int64_t now)
{
    if (key == 'r' || key == 'R') {
        if (kiosk_session_may_reprint(s))
            s_reprint(s, now);
        else
            s_note(s, 1, "%s", s_tr(s, KT_REPRINT_LATE));
    } else if (key == KIOSK_KEY_ENTER || key == KIOSK_KEY_ESC) {
        s_result_done(s, now);
    }
}

/* The hall's exit keys, pressed in turn on any page: 1 when this key completes them. */
static int s_exit_combination(kiosk_session_t *s, int key)
{
    if (!s->nexit_keys)
        return 0;
    if (key == s->exit_keys[s->exit_progress])
        s->exit_progress++;
    else
        s->exit_progress = key == s->exit_keys[0] ? 1 : 0;
    if (s->exit_progress < s->nexit_keys)
        return 0;
    s->exit_progress = 0;
    return 1;
}

void kiosk_session_key(kiosk_session_t *s, int key, int64_t now)
{
    s->input = s->now = now;
    if (s_exit_combination(s, key)) {
        s_enter(s, KIOSK_S_QUIT, now);
        return;
    }
    switch (s->state) {
    case KIOSK_S_OFFLINE:
        if (s_is_quit(key))
            s_sign_in(s, 1, now);
        else if (key == KIOSK_KEY_STAFF)
            s_sign_in(s, 0, now);
        else if (s->inflight == KIOSK_REQ_NONE)
            s->retry_at = now; /* any other key: ask now */
        return;
    case KIOSK_S_QUEUES:
        /* A citizen starts choosing: is hallqd still there? Asked now, answered while they
         * choose, so a kiosk whose hallqd went away says so before they take a number. */
        if (!s->staff_green && now - s->answered >= KIOSK_FRESH_MS && s->wanted == KIOSK_REQ_NONE &&
            s->inflight == KIOSK_REQ_NONE)
            s->wanted = KIOSK_REQ_PING;
        if ((key == 'y' || key == 'Y') && !s->staff_green) {
            s->note[0] = '\0';
            s_wipe(s->form_booking, sizeof s->form_booking);
            s_enter(s, KIOSK_S_CHECK_IN, now);
            return;
        }
        s_list_key(s, key, now);
        return;
    case KIOSK_S_SERVICES:
    case KIOSK_S_STAFF:
    case KIOSK_S_STAFF_REPRINT:
        s_list_key(s, key, now);
        return;
    case KIOSK_S_CONFIRM:
        s_confirm_key(s, key, now);
        return;
    case KIOSK_S_ID_ENTRY:
        s_id_key(s, key, now);
        return;
    case KIOSK_S_CHECK_IN:
        s_check_in_key(s, key, now);
        return;
    case KIOSK_S_STAFF_LOGIN:
        s_sign_in_key(s, key, now);
        return;
    case KIOSK_S_STAFF_NUMBER:
        s_staff_number_key(s, key, now);
        return;
    case KIOSK_S_STAFF_REASON:
        s_reason_key(s, key, now);
        return;
    case KIOSK_S_ISSUING:
    case KIOSK_S_PRINTING:
    case KIOSK_S_QUIT:
        return; /* under way: keys wait for the outcome */
    case KIOSK_S_RESULT:
        s_result_key(s, key, now);
        return;
    }
}

/* ---- the clock ---------------------------------------------------------------------------- */

void kiosk_session_tick(kiosk_session_t *s, int64_t now, idnum_date_t today)
{
    s->now = now;
    s->today = today;
    if (s->inflight != KIOSK_REQ_NONE && now >= s->deadline)
        s_unanswered(s, now);
    int busy = s->state == KIOSK_S_ISSUING || s->state == KIOSK_S_PRINTING;
    /* Staff mode ends by itself: a kiosk left signed in would be anyone's. */
    if ((kiosk_session_staff(s) || s->state == KIOSK_S_STAFF_LOGIN) && !busy &&
        now - s->input >= KIOSK_STAFF_IDLE_MS) {
        s_staff_end(s);
        s_forget_citizen(s);
        s_home(s, now);
        return;
    }
    switch (s->state) {
    case KIOSK_S_RESULT:
        if (now - s->entered >= KIOSK_RESULT_MS && now - s->input >= KIOSK_RESULT_MS)
            s_result_done(s, now);
        break;
    case KIOSK_S_SERVICES:
    case KIOSK_S_CONFIRM:
    case KIOSK_S_ID_ENTRY:
    case KIOSK_S_CHECK_IN:
        if (now - s->input >= KIOSK_IDLE_MS) {
            s_forget_citizen(s); /* whoever comes next is another citizen */
            s_home(s, now);
        }
        break;
    default:
        break;
    }
}

int64_t kiosk_session_wake(const kiosk_session_t *s, int64_t now)
{
    int64_t at = -1;
#define S_AT(t)                                                                                    \
    do {                                                                                           \
        if (at < 0 || (t) < at)                                                                    \
            at = (t);                                                                              \
    } while (0)
    if (s->inflight != KIOSK_REQ_NONE)
        S_AT(s->deadline);
    else if (s->state == KIOSK_S_OFFLINE)
        S_AT(s->retry_at);
    else if (s->state == KIOSK_S_QUEUES)
        S_AT(s->answered + KIOSK_PING_MS);
    else if (s->down && (s->state == KIOSK_S_SERVICES || s->state == KIOSK_S_CONFIRM ||
                         s->state == KIOSK_S_ID_ENTRY || s->state == KIOSK_S_STAFF_REASON))
        S_AT(s->retry_at);
    if (s->state == KIOSK_S_RESULT) {
        int64_t last = s->entered > s->input ? s->entered : s->input;
        S_AT(last + KIOSK_RESULT_MS);
        if (!kiosk_session_staff(s) && s->now - s->printed_at < KIOSK_REPRINT_MS)
            S_AT(s->printed_at + KIOSK_REPRINT_MS); /* the reprint button goes */
    }
    if (s->state == KIOSK_S_SERVICES || s->state == KIOSK_S_CONFIRM || s->state == KIOSK_S_ID_ENTRY)
        S_AT(s->input + KIOSK_IDLE_MS);
    if ((kiosk_session_staff(s) || s->state == KIOSK_S_STAFF_LOGIN) &&
        s->state != KIOSK_S_ISSUING && s->state != KIOSK_S_PRINTING)
        S_AT(s->input + KIOSK_STAFF_IDLE_MS);
#undef S_AT
    if (at < 0)
        return -1;
    return at > now ? at - now : 0;
}
