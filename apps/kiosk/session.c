/* session: see session.h. */
#include "session.h"

#include "greenlane.h"
#include "kiosk_texts.h"
#include "record.h"
#include "ticketing.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *kiosk_state_name(kiosk_state_t s)
{
    static const char *const names[] = {"offline", "queues",   "services", "confirm", "id_entry",
                                        "issuing", "printing", "result",   "quit"};
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

static void s_forget_id(kiosk_session_t *s)
{
    greenlane_wipe(s->id, sizeof s->id);
    s->id_len = 0;
}

/* The start page, with a newer catalog taken on if one came while a citizen was choosing. */
static void s_home(kiosk_session_t *s, int64_t now)
{
    s_forget_id(s);
    s->queue = 0;
    s->service = 0;
    s->green = 0;
    s->issue_open = 0;
    s->note[0] = '\0';
    if (s->have_fresh) {
        catalog_clear(&s->cat);
        s->cat = s->fresh;
        memset(&s->fresh, 0, sizeof s->fresh);
        s->have_fresh = 0;
        s->catalogs++;
    }
    s_enter(s, s->have_cat ? KIOSK_S_QUEUES : KIOSK_S_OFFLINE, now);
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
    s->input = now;
    s_enter(s, KIOSK_S_OFFLINE, now);
    s->wanted = KIOSK_REQ_CATALOG;
}

void kiosk_session_free(kiosk_session_t *s)
{
    s_forget_id(s);
    catalog_clear(&s->cat);
    catalog_clear(&s->fresh);
    json_decref(s->last);
    s->last = NULL;
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

int kiosk_session_rows(const kiosk_session_t *s)
{
    const catalog_service_t *svc[KIOSK_LIST_MAX];
    if (s->state == KIOSK_S_QUEUES)
        return s->cat.nqueues > KIOSK_LIST_MAX ? KIOSK_LIST_MAX : (int)s->cat.nqueues;
    if (s->state == KIOSK_S_SERVICES)
        return kiosk_session_services(s, svc, KIOSK_LIST_MAX);
    return 0;
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

/* ---- requests ------------------------------------------------------------------------------ */

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
        return 0;
    }
    catalog_clear(&s->cat);
    s->cat = cat;
    s->have_cat = 1;
    s->catalogs++;
    int rows = kiosk_session_rows(s);
    if (s->cursor >= rows)
        s->cursor = rows > 0 ? rows - 1 : 0;
    return 0;
}

/* Why hallqd refused an issue, for the citizen: the reason in their language, then hallqd's
 * own words for the staff. */
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
    snprintf(reason, sizeof reason, "%s（%s）", s_tr(s, id), err->message);
    s_note(s, 1, s_tr(s, KT_ISSUE_FAILED), reason);
}

static void s_issued(kiosk_session_t *s, const hq_reply_t *reply, int64_t now)
{
    s->issue_open = 0;
    if (!reply->ok) {
        s_refused(s, &reply->error);
        s_enter(s, KIOSK_S_CONFIRM, now);
        return;
    }
    json_t *record = record_new(reply->body, &s->cat);
    if (!record) {
        /* hallqd says it issued a ticket the kiosk cannot read: say so, do not guess. */
        s_note(s, 1, s_tr(s, KT_ISSUE_FAILED), s_tr(s, KT_BAD_REPLY));
        s_enter(s, KIOSK_S_CONFIRM, now);
        return;
    }
    json_decref(s->last);
    s->last = record;
    s_forget_id(s);
    s->extra[0] = '\0';
    s->note[0] = '\0';
    /* Kept before printing: if the printer fails, the ticket can still be printed again. */
    s->want_keep = 1;
    s->want_print = 1;
    s->reprint = 0;
    s_enter(s, KIOSK_S_PRINTING, now);
}

void kiosk_session_reply(kiosk_session_t *s, const hq_reply_t *reply, int64_t now)
{
    kiosk_req_t was = s->inflight;
    char why[300];
    s->inflight = KIOSK_REQ_NONE;
    switch (was) {
    case KIOSK_REQ_NONE:
        return;
    case KIOSK_REQ_CATALOG:
    case KIOSK_REQ_REFRESH:
        if (!reply->ok || s_take_catalog(s, reply, why, sizeof why) != 0) {
            if (was == KIOSK_REQ_REFRESH)
                return; /* the catalog in use stays */
            s_note(s, 1, s_tr(s, KT_UNREACHABLE), KIOSK_RETRY_MS / 1000,
                   reply->ok ? why : reply->error.message);
            s->retry_at = now + KIOSK_RETRY_MS;
            return;
        }
        if (s->state == KIOSK_S_OFFLINE)
            s_home(s, now);
        return;
    case KIOSK_REQ_ISSUE:
        s_issued(s, reply, now);
        return;
    }
}

/* The request in flight got no reply in time (or could not be sent). An issue is sent again
 * with the same token while attempts remain; a catalog is asked for again later. */
static void s_unanswered(kiosk_session_t *s, int64_t now)
{
    kiosk_req_t was = s->inflight;
    s->inflight = KIOSK_REQ_NONE;
    switch (was) {
    case KIOSK_REQ_NONE:
        return;
    case KIOSK_REQ_ISSUE:
        if (s->attempt < KIOSK_ATTEMPTS) {
            s->wanted = KIOSK_REQ_ISSUE;
            s_note(s, 0, s_tr(s, KT_RETRYING), s->attempt + 1, KIOSK_ATTEMPTS);
            return;
        }
        /* issue_open stays: Enter on the same choice asks again with the same token. */
        s->cancel = 1;
        s_note(s, 1, "%s", s_tr(s, KT_ISSUE_UNREACHABLE));
        s_enter(s, KIOSK_S_CONFIRM, now);
        return;
    case KIOSK_REQ_CATALOG:
        s->cancel = 1;
        s_note(s, 1, s_tr(s, KT_UNREACHABLE), KIOSK_RETRY_MS / 1000, s->endpoint);
        s->retry_at = now + KIOSK_RETRY_MS;
        return;
    case KIOSK_REQ_REFRESH:
        s->cancel = 1;
        return;
    }
}

void kiosk_session_no_reply(kiosk_session_t *s, int64_t now)
{
    s_unanswered(s, now);
}

/* Enter on CONFIRM: the same choice as an unanswered issue reuses its token. */
static void s_issue(kiosk_session_t *s, int64_t now)
{
    const catalog_service_t *svc = kiosk_session_service(s);
    int service = svc ? svc->no : 0;
    if (!(s->issue_open && s->issue.queue == s->queue && s->issue.service == service &&
          s->issue.elderly == (s->green ? 1 : 0))) {
        char token[HQ_TOKEN_MAX];
        snprintf(token, sizeof token, "%s-%u", s->token_prefix, ++s->tokens);
        ticketing_issue_request(&s->issue, s->queue, service, s->green, token);
        s->issue_open = 1;
    }
    s->attempt = 0;
    s->wanted = KIOSK_REQ_ISSUE;
    s_note(s, 0, "%s", s_tr(s, KT_ISSUING));
    s_enter(s, KIOSK_S_ISSUING, now);
}

int kiosk_session_next(kiosk_session_t *s, int64_t now, kiosk_action_t *act)
{
    memset(act, 0, sizeof *act);
    if (s->state == KIOSK_S_QUIT) {
        act->what = KIOSK_DO_QUIT;
        return 1;
    }
    if (s->wanted == KIOSK_REQ_ISSUE) {
        /* The citizen's ticket goes first: a catalog refresh in flight is abandoned. */
        s->wanted = KIOSK_REQ_NONE;
        s->cancel = 0;
        s->inflight = KIOSK_REQ_ISSUE;
        s->attempt++;
        s->deadline = now + s->timeout_ms;
        act->what = KIOSK_DO_SEND;
        act->request = s->issue;
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
    if (s->want_load) {
        s->want_load = 0;
        act->what = KIOSK_DO_LOAD;
        return 1;
    }
    if (s->inflight != KIOSK_REQ_NONE)
        return 0;
    if (s->state == KIOSK_S_OFFLINE && now >= s->retry_at)
        s->wanted = KIOSK_REQ_CATALOG;
    if (s->wanted == KIOSK_REQ_CATALOG || s->wanted == KIOSK_REQ_REFRESH) {
        s->inflight = s->wanted;
        s->wanted = KIOSK_REQ_NONE;
        s->attempt = 1;
        s->deadline = now + s->timeout_ms;
        act->what = KIOSK_DO_SEND;
        hq_request_init(&act->request, HQ_REQ_CATALOG);
        return 1;
    }
    return 0;
}

/* ---- keeping, printing, the kept ticket ------------------------------------------------- */

void kiosk_session_kept(kiosk_session_t *s, int ok, const char *why)
{
    if (!ok)
        snprintf(s->extra, sizeof s->extra, s_tr(s, KT_NOT_KEPT), why);
}

void kiosk_session_printed(kiosk_session_t *s, int ok, const char *why, size_t replaced,
                           int64_t now)
{
    s->printed = ok;
    s->reprinted = s->reprint;
    hq_strlcpy(s->print_error, ok ? "" : why, sizeof s->print_error);
    if (replaced) {
        char remark[200];
        size_t used = strlen(s->extra);
        snprintf(remark, sizeof remark, s_tr(s, KT_REPLACED), replaced);
        snprintf(s->extra + used, sizeof s->extra - used, "%s%s", used ? " " : "", remark);
    }
    s->note[0] = '\0';
    s_enter(s, KIOSK_S_RESULT, now);
}

/* Prints `last` again if it is today's: a number is valid on its day only. */
static void s_reprint(kiosk_session_t *s, int64_t now)
{
    if (!ticketing_is_on(s->last, s->today)) {
        record_info_t info;
        char why[128];
        if (record_info(s->last, &info, why, sizeof why) == 0)
            s_note(s, 1, s_tr(s, KT_STALE_LAST), info.ticket.label, info.ticket.day);
        else
            s_note(s, 1, "%s", s_tr(s, KT_NO_LAST));
        json_decref(s->last);
        s->last = NULL;
        return;
    }
    s->extra[0] = '\0';
    s->note[0] = '\0';
    s->want_print = 1;
    s->reprint = 1;
    s_enter(s, KIOSK_S_PRINTING, now);
}

void kiosk_session_loaded(kiosk_session_t *s, json_t *record, const char *why, int64_t now)
{
    (void)why; /* "no kept ticket" in whatever words: the citizen hears there is none */
    if (!record) {
        s_note(s, 1, "%s", s_tr(s, KT_NO_LAST));
        return;
    }
    json_decref(s->last);
    s->last = record;
    s_reprint(s, now);
}

/* ---- keys ------------------------------------------------------------------------------- */

static int s_is_back(int key)
{
    return key == KIOSK_KEY_ESC || key == KIOSK_KEY_BACKSPACE || key == KIOSK_KEY_LEFT;
}

static int s_is_quit(int key)
{
    return key == 'q' || key == 'Q' || key == KIOSK_KEY_F10;
}

static void s_choose_queue(kiosk_session_t *s, int index, int64_t now)
{
    if (index < 0 || (size_t)index >= s->cat.nqueues || index >= KIOSK_LIST_MAX)
        return;
    s->queue = s->cat.queue[index].prefix;
    s->service = 0;
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

static void s_list_key(kiosk_session_t *s, int key, int64_t now)
{
    int services = s->state == KIOSK_S_SERVICES;
    int rows = kiosk_session_rows(s);
    int chosen = -1;
    if (key == KIOSK_KEY_UP && s->cursor > 0)
        s->cursor--;
    else if (key == KIOSK_KEY_DOWN && s->cursor + 1 < rows)
        s->cursor++;
    else if (key == KIOSK_KEY_ENTER || key == KIOSK_KEY_RIGHT)
        chosen = s->cursor;
    else if (key >= '0' && key <= '9')
        chosen = services ? key - '0' : key - '1'; /* services start at 0: none in particular */
    else if (!services && (key == 'r' || key == 'R')) {
        if (s->last)
            s_reprint(s, now);
        else
            s->want_load = 1;
    } else if (!services && s_is_quit(key))
        s_enter(s, KIOSK_S_QUIT, now);
    else if (services && s_is_back(key))
        s_home(s, now);
    if (chosen >= 0)
        services ? s_choose_service(s, chosen, now) : s_choose_queue(s, chosen, now);
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
        s_issue(s, now);
    } else if (key == 'g' || key == 'G') {
        s->green = !s->green;
        s->note[0] = '\0';
    } else if (key == 'i' || key == 'I') {
        s_forget_id(s);
        s->note[0] = '\0';
        s_enter(s, KIOSK_S_ID_ENTRY, now);
    } else if (s_is_back(key)) {
        s->note[0] = '\0';
        if (s_has_services(s))
            s_enter(s, KIOSK_S_SERVICES, now);
        else
            s_home(s, now);
    }
}

/* Leaves the result page; the catalog is quietly refreshed between citizens. */
static void s_next_citizen(kiosk_session_t *s, int64_t now)
{
    if (s->wanted == KIOSK_REQ_NONE && s->inflight == KIOSK_REQ_NONE)
        s->wanted = KIOSK_REQ_REFRESH;
    s_home(s, now);
}

void kiosk_session_key(kiosk_session_t *s, int key, int64_t now)
{
    s->input = now;
    switch (s->state) {
    case KIOSK_S_OFFLINE:
        if (s_is_quit(key))
            s_enter(s, KIOSK_S_QUIT, now);
        else if (s->inflight == KIOSK_REQ_NONE)
            s->retry_at = now; /* any other key: ask now */
        return;
    case KIOSK_S_QUEUES:
    case KIOSK_S_SERVICES:
        s_list_key(s, key, now);
        return;
    case KIOSK_S_CONFIRM:
        s_confirm_key(s, key, now);
        return;
    case KIOSK_S_ID_ENTRY:
        s_id_key(s, key, now);
        return;
    case KIOSK_S_ISSUING:
    case KIOSK_S_PRINTING:
    case KIOSK_S_QUIT:
        return; /* under way: keys wait for the outcome */
    case KIOSK_S_RESULT:
        if (key == 'r' || key == 'R')
            s_reprint(s, now);
        else
            s_next_citizen(s, now);
        return;
    }
}

/* ---- the clock ---------------------------------------------------------------------------- */

void kiosk_session_tick(kiosk_session_t *s, int64_t now, idnum_date_t today)
{
    s->today = today;
    if (s->inflight != KIOSK_REQ_NONE && now >= s->deadline)
        s_unanswered(s, now);
    switch (s->state) {
    case KIOSK_S_RESULT:
        if (now - s->entered >= KIOSK_RESULT_MS && now - s->input >= KIOSK_RESULT_MS)
            s_next_citizen(s, now);
        break;
    case KIOSK_S_SERVICES:
    case KIOSK_S_CONFIRM:
    case KIOSK_S_ID_ENTRY:
        if (now - s->input >= KIOSK_IDLE_MS)
            s_home(s, now);
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
    if (s->state == KIOSK_S_RESULT) {
        int64_t last = s->entered > s->input ? s->entered : s->input;
        S_AT(last + KIOSK_RESULT_MS);
    }
    if (s->state == KIOSK_S_SERVICES || s->state == KIOSK_S_CONFIRM || s->state == KIOSK_S_ID_ENTRY)
        S_AT(s->input + KIOSK_IDLE_MS);
#undef S_AT
    if (at < 0)
        return -1;
    return at > now ? at - now : 0;
}
