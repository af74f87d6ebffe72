/* session: see session.h; the state, what the kiosk shows, and what it sends (the files
 * that share the session: session_internal.h). */
#include "session_internal.h"

#include "greenlane.h"
#include "kiosk_texts.h"
#include "record.h"
#include "ticketing.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *kiosk_state_name(kiosk_state_t s)
{
    static const char *const names[] = {"offline",      "queues",       "services", "confirm",
                                        "id_entry",     "check_in",     "issuing",  "printing",
                                        "result",       "staff_login",  "staff",    "staff_reprint",
                                        "staff_number", "staff_reason", "quit"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

void ks_note(kiosk_session_t *s, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->note, sizeof s->note, fmt, ap);
    va_end(ap);
    s->note_error = error;
}

void ks_enter(kiosk_session_t *s, kiosk_state_t state, int64_t now)
{
    s->state = state;
    s->cursor = 0;
    s->entered = now;
}

void ks_forget_id(kiosk_session_t *s)
{
    greenlane_wipe(s->id, sizeof s->id);
    s->id_len = 0;
}

void ks_forget_form(kiosk_session_t *s)
{
    greenlane_wipe(s->form_clerk, sizeof s->form_clerk);
    greenlane_wipe(s->form_pin, sizeof s->form_pin);
    greenlane_wipe(s->outgoing.pin, sizeof s->outgoing.pin);
    s->form_number[0] = '\0';
    s->form_reason[0] = '\0';
    greenlane_wipe(s->form_booking, sizeof s->form_booking);
    s->reason_typing = 0;
    s->field = 0;
}

void ks_staff_end(kiosk_session_t *s)
{
    ks_forget_form(s);
    greenlane_wipe(s->staff_clerk, sizeof s->staff_clerk);
    greenlane_wipe(s->staff_pin, sizeof s->staff_pin);
    greenlane_wipe(s->issue.pin, sizeof s->issue.pin);
    s->staff_green = 0;
    s->exit_asked = 0;
}

int kiosk_session_staff(const kiosk_session_t *s)
{
    return s->staff_clerk[0] != '\0';
}

void ks_forget_citizen(kiosk_session_t *s)
{
    ks_forget_id(s);
    s->queue = 0;
    s->service = 0;
    s->green = 0;
    s->green_locked = 0;
    s->issue_open = 0;
    json_decref(s->last);
    s->last = NULL;
}

void ks_home(kiosk_session_t *s, int64_t now)
{
    ks_forget_id(s);
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
        ks_enter(s, KIOSK_S_QUEUES, now);
    } else {
        ks_enter(s, KIOSK_S_OFFLINE, now);
        if (s->retry_at < now)
            s->retry_at = now;
    }
}

void ks_staff_home(kiosk_session_t *s, int64_t now)
{
    s->staff_green = 0;
    s->green = 0;
    s->queue = 0;
    s->service = 0;
    s->issue_open = 0;
    ks_forget_form(s);
    if (kiosk_session_staff(s))
        ks_enter(s, KIOSK_S_STAFF, now);
    else
        ks_home(s, now);
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
    ks_enter(s, KIOSK_S_OFFLINE, now);
    s->wanted = KIOSK_REQ_CATALOG;
}

void kiosk_session_free(kiosk_session_t *s)
{
    ks_forget_id(s);
    ks_staff_end(s);
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

int ks_has_services(const kiosk_session_t *s)
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
    return i >= 0 && i < KIOSK_REASONS - 1 ? KS_TR(s, reasons[i]) : "";
}

/* ---- hallqd's state --------------------------------------------------------------------- */

void ks_fault(kiosk_session_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->fault, sizeof s->fault, fmt, ap);
    va_end(ap);
}

void ks_answered(kiosk_session_t *s, int64_t now)
{
    s->answered = now;
    if (s->down) {
        s->down = 0;
        if (s->state != KIOSK_S_OFFLINE && s->note_error &&
            strcmp(s->note, KS_TR(s, KT_DOWN_CHOOSING)) == 0)
            s->note[0] = '\0';
    }
}

void ks_unreachable(kiosk_session_t *s, int64_t now)
{
    s->down = 1;
    s->retry_at = now + KIOSK_RETRY_MS;
    ks_fault(s, KS_TR(s, KT_FAULT_UNREACHABLE), s->endpoint);
    switch (s->state) {
    case KIOSK_S_QUEUES:
        ks_enter(s, KIOSK_S_OFFLINE, now);
        break;
    case KIOSK_S_SERVICES:
    case KIOSK_S_CONFIRM:
    case KIOSK_S_ID_ENTRY:
    case KIOSK_S_STAFF_REASON:
        ks_note(s, 1, "%s", KS_TR(s, KT_DOWN_CHOOSING));
        break;
    default:
        break;
    }
}

/* ---- sending ---------------------------------------------------------------------------- */

void ks_issue(kiosk_session_t *s, int64_t now)
{
    if (s->down) {
        ks_note(s, 1, "%s", KS_TR(s, KT_DOWN_CHOOSING));
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
    ks_note(s, 0, "%s", KS_TR(s, KT_ISSUING));
    ks_enter(s, KIOSK_S_ISSUING, now);
}

void ks_check_in(kiosk_session_t *s, int64_t now)
{
    size_t n = strlen(s->form_booking);
    if (n != 6 && n != HQ_ID_NUMBER_LEN) {
        ks_note(s, 1, "%s", KS_TR(s, KT_CHECK_IN_FORMAT));
        return;
    }
    if (s->down) {
        ks_note(s, 1, "%s", KS_TR(s, KT_DOWN_CHOOSING));
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
    ks_note(s, 0, "%s", KS_TR(s, KT_ISSUING));
    ks_enter(s, KIOSK_S_ISSUING, now);
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
        snprintf(s->extra, sizeof s->extra, KS_TR(s, KT_NOT_KEPT), why);
        ks_fault(s, "%s", why);
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
        ks_fault(s, "%s", why);
    if (replaced) {
        char remark[200];
        size_t used = strlen(s->extra);
        snprintf(remark, sizeof remark, KS_TR(s, KT_REPLACED), replaced);
        snprintf(s->extra + used, sizeof s->extra - used, "%s%s", used ? " " : "", remark);
    }
    s->note[0] = '\0';
    ks_enter(s, KIOSK_S_RESULT, now);
}

void ks_reprint(kiosk_session_t *s, int64_t now)
{
    if (!ticketing_is_on(s->last, s->today)) {
        record_info_t info;
        char why[128];
        if (record_info(s->last, &info, why, sizeof why) == 0)
            ks_note(s, 1, KS_TR(s, KT_STALE_LAST), info.ticket.label, info.ticket.day);
        return;
    }
    s->extra[0] = '\0';
    s->note[0] = '\0';
    s->want_print = 1;
    s->reprint = 1;
    ks_enter(s, KIOSK_S_PRINTING, now);
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
