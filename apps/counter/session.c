#include "session.h"

#include "hq_log.h"
#include "hq_text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_RETRY_MS 1000 /* pause before a background request is tried again */

const char *hqc_state_name(hqc_state_t s)
{
    static const char *const names[] = {"login", "main",   "number", "parked",
                                        "queue", "reason", "rating", "quit"};
    return (s >= HQC_S_LOGIN && s <= HQC_S_QUIT) ? names[s] : "?";
}

static void s_enter(hqc_session_t *s, hqc_state_t next)
{
    if (s->state != next)
        hq_debug("session %s -> %s", hqc_state_name(s->state), hqc_state_name(next));
    s->state = next;
    s->pick = 0;
    s->entry[0] = '\0';
}

static void s_say(hqc_session_t *s, int64_t now, int error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void s_say(hqc_session_t *s, int64_t now, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->message, sizeof s->message, fmt, ap);
    va_end(ap);
    s->message_error = error;
    s->message_at = now;
}

/* Messages from the translation table are formats chosen at run time. */
#define S_TR(s, id) hqc_tr((s)->lang, (id))

void hqc_session_init(hqc_session_t *s, int counter, const char *clerk, ui_lang_t lang,
                      const char *endpoint, int timeout_ms)
{
    memset(s, 0, sizeof *s);
    s->state = HQC_S_LOGIN;
    s->lang = lang;
    s->counter = counter;
    hq_strlcpy(s->clerk, clerk, sizeof s->clerk);
    hq_strlcpy(s->endpoint, endpoint ? endpoint : "", sizeof s->endpoint);
    s->timeout_ms = timeout_ms > 0 ? timeout_ms : 1500;
    hqc_catalog_init(&s->catalog);
    s->catalog_wanted = 1;
    s->figures_wanted = 1;
}

void hqc_session_free(hqc_session_t *s)
{
    hqc_catalog_clear(&s->catalog);
}

/* ---- reading the model -------------------------------------------------------------------- */
int hqc_session_live(const hq_mirror_t *m)
{
    return m->state == HQ_SYNC_ACTIVE;
}

int hqc_session_stale(const hqc_session_t *s, const hq_mirror_t *m, int64_t now)
{
    if (hqc_session_live(m))
        return 0;
    if (m->state == HQ_SYNC_OFFLINE || m->state == HQ_SYNC_INITIAL)
        return 1;
    /* A resync after a gap takes milliseconds; greying the screen for it would flicker. */
    return s->unsynced_since > 0 && now - s->unsynced_since > HQC_STALE_MS;
}

const hq_counter_t *hqc_session_counter(const hqc_session_t *s, const hq_mirror_t *m)
{
    return hq_mirror_counter(m, s->counter);
}

const hq_ticket_t *hqc_session_ticket(const hqc_session_t *s, const hq_mirror_t *m)
{
    const hq_counter_t *c = hqc_session_counter(s, m);
    if (!c || !c->current)
        return NULL;
    const hq_ticket_t *t = hq_mirror_ticket(m, c->current);
    if (!t && c->current_label[0])
        t = hq_mirror_ticket_by_label(m, c->current_label);
    return t;
}

static int s_serves(const hq_counter_t *c, char queue)
{
    return c && queue && strchr(c->queues, queue) != NULL;
}

static int s_by_parked(const void *a, const void *b)
{
    const hq_ticket_t *x = *(const hq_ticket_t *const *)a, *y = *(const hq_ticket_t *const *)b;
    if (x->parked_ms != y->parked_ms)
        return x->parked_ms < y->parked_ms ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

int hqc_session_parked(const hqc_session_t *s, const hq_mirror_t *m, const hq_ticket_t **out,
                       int max)
{
    const hq_counter_t *c = hqc_session_counter(s, m);
    int n = 0;
    for (int i = 0; i < m->ntickets && n < max; i++)
        if (m->tickets[i].state == HQ_T_PARKED && s_serves(c, m->tickets[i].queue))
            out[n++] = &m->tickets[i];
    /* cppcheck-suppress uninitvar ; qsort reads out[0..n), each written just above */
    qsort(out, (size_t)n, sizeof *out, s_by_parked);
    return n;
}

static int s_by_turn(const void *a, const void *b)
{
    const hq_ticket_t *x = *(const hq_ticket_t *const *)a, *y = *(const hq_ticket_t *const *)b;
    if (x->green != y->green)
        return x->green ? -1 : 1;
    if (x->issued_ms != y->issued_ms)
        return x->issued_ms < y->issued_ms ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

int hqc_session_waiting(const hqc_session_t *s, const hq_mirror_t *m, const hq_ticket_t **out,
                        int max)
{
    const hq_counter_t *c = hqc_session_counter(s, m);
    int n = 0;
    /* The first `max` in turn order, by insertion: a busy hall has hundreds waiting and the
     * screen shows a handful. */
    for (int i = 0; i < m->ntickets && max > 0; i++) {
        const hq_ticket_t *t = &m->tickets[i];
        if (t->state != HQ_T_WAITING || !s_serves(c, t->queue))
            continue;
        int pos = n < max ? n++ : max;
        while (pos > 0 && s_by_turn(&t, &out[pos - 1]) < 0) {
            if (pos < max)
                out[pos] = out[pos - 1];
            pos--;
        }
        if (pos < max)
            out[pos] = t;
    }
    return n;
}

int hqc_session_targets(const hqc_session_t *s, const hq_mirror_t *m, char *out, int max)
{
    const hq_ticket_t *t = hqc_session_ticket(s, m);
    int n = 0;
    for (int i = 0; i < m->nqueues && n < max; i++)
        if (!t || m->queues[i].prefix != t->queue)
            out[n++] = m->queues[i].prefix;
    return n;
}

hqc_msg_t hqc_session_reason(int i)
{
    static const hqc_msg_t reasons[HQC_REASONS] = {HQC_M_REASON_1, HQC_M_REASON_2, HQC_M_REASON_3,
                                                   HQC_M_REASON_4, HQC_M_REASON_5};
    return (i >= 0 && i < HQC_REASONS) ? reasons[i] : HQC_M_NONE;
}

const char *hqc_session_message(const hqc_session_t *s, int64_t now, int *error)
{
    if (error)
        *error = s->message_error;
    if (!s->message[0] || now - s->message_at > HQC_MESSAGE_MS)
        return "";
    return s->message;
}

void hqc_session_facts(const hqc_session_t *s, const hq_mirror_t *m, hqc_facts_t *f)
{
    memset(f, 0, sizeof *f);
    const hq_counter_t *c = hqc_session_counter(s, m);
    const hq_ticket_t *t = hqc_session_ticket(s, m);
    f->link_up = hqc_session_live(m);
    f->logged_in = s->logged_in;
    f->mine = c && c->clerk[0] && strcmp(c->clerk, s->clerk) == 0;
    f->busy = s->queued || (s->inflight && s->sent_is_action);
    f->state = c ? c->state : HQ_C_CLOSED;
    f->ticket_state = -1;
    if (c && c->current_label[0])
        hq_strlcpy(f->label, c->current_label, sizeof f->label);
    if (t) {
        hq_strlcpy(f->label, t->label, sizeof f->label);
        f->ticket_state = (int)t->state;
        f->calls = t->calls;
    }
    f->noshow_after = s->catalog.noshow_after;
    const hq_ticket_t *parked[HQC_LIST_MAX];
    f->parked = hqc_session_parked(s, m, parked, HQC_LIST_MAX);
    char targets[HQ_QUEUES_MAX];
    f->other_queues = hqc_session_targets(s, m, targets, HQ_QUEUES_MAX);
    hq_strlcpy(f->rate_label, s->rate_label, sizeof f->rate_label);
}

/* ---- actions ------------------------------------------------------------------------------ */
static void s_queue(hqc_session_t *s, hq_req_type_t type)
{
    hq_request_init(&s->action, type);
    s->action.counter = s->counter;
    s->queued = 1;
}

/* Checks the action against the model; says why when it is refused. 0 legal. */
static int s_legal(hqc_session_t *s, const hq_mirror_t *m, hqc_action_t a, int64_t now)
{
    hqc_facts_t f;
    hqc_session_facts(s, m, &f);
    char why[200];
    if (hqc_key_refusal(a, &f, s->lang, why, sizeof why) == 0)
        return 0;
    s_say(s, now, 1, "%s", why);
    return -1;
}

/* An action key in the main view. */
static void s_main_key(hqc_session_t *s, const hq_mirror_t *m, int key, int64_t now)
{
    int a = hqc_key_action(key);
    if (a < 0) {
        if (key >= 0x20 && key < 0x7f) {
            char name[2] = {(char)key, 0};
            s_say(s, now, 1, S_TR(s, HQC_M_R_UNKNOWN_KEY), name);
        }
        return;
    }
    if (s_legal(s, m, (hqc_action_t)a, now) != 0)
        return;
    const hq_counter_t *c = hqc_session_counter(s, m);
    switch ((hqc_action_t)a) {
    case HQC_A_CALL:
        s_queue(s, HQ_REQ_CALL);
        break;
    case HQC_A_NUMBER:
        s_enter(s, HQC_S_NUMBER);
        break;
    case HQC_A_RECALL:
        s_queue(s, HQ_REQ_RECALL);
        break;
    case HQC_A_START:
        s_queue(s, HQ_REQ_START);
        break;
    case HQC_A_FINISH:
        s_queue(s, HQ_REQ_FINISH);
        break;
    case HQC_A_NO_SHOW:
        s_queue(s, HQ_REQ_NO_SHOW);
        break;
    case HQC_A_PARK:
        s_queue(s, HQ_REQ_PARK);
        break;
    case HQC_A_UNPARK:
        s_enter(s, HQC_S_PARKED);
        break;
    case HQC_A_TRANSFER:
        s_enter(s, HQC_S_QUEUE);
        break;
    case HQC_A_PAUSE:
        if (c && c->state == HQ_C_PAUSED)
            s_queue(s, HQ_REQ_RESUME);
        else
            s_enter(s, HQC_S_REASON);
        break;
    case HQC_A_RATE:
        s_enter(s, HQC_S_RATING);
        break;
    case HQC_A_LOGIN:
        s_queue(s, HQ_REQ_LOGIN);
        hq_strlcpy(s->action.clerk, s->clerk, sizeof s->action.clerk);
        break;
    case HQC_A_QUIT:
    case HQC_A_COUNT_:
        s_enter(s, HQC_S_QUIT);
        break;
    }
}

/* The clerk types "a7" for A007: a letter and 1-4 digits, leading zeros optional. */
static int s_entry_label(const char *entry, char *label, size_t n)
{
    if (!isalpha((unsigned char)entry[0]))
        return -1;
    size_t digits = strlen(entry + 1);
    if (digits < 1 || digits > 4)
        return -1;
    int number = 0;
    for (size_t i = 1; i <= digits; i++) {
        if (!isdigit((unsigned char)entry[i]))
            return -1;
        number = number * 10 + (entry[i] - '0');
    }
    if (number < 1)
        return -1;
    return hq_label_format((char)toupper((unsigned char)entry[0]), number, label, n);
}

/* Typing a number: validated against the model before anything is sent. */
static void s_number_key(hqc_session_t *s, const hq_mirror_t *m, int key, int64_t now)
{
    size_t len = strlen(s->entry);
    if (key == HQC_KEY_ESC) {
        s_enter(s, HQC_S_MAIN);
        return;
    }
    if (key == HQC_KEY_BACKSPACE) {
        if (len > 0)
            s->entry[len - 1] = '\0';
        return;
    }
    if (key != HQC_KEY_ENTER) {
        if (key < 0x80 && isalnum(key) && len + 1 < sizeof s->entry - 1) {
            s->entry[len] = (char)toupper(key);
            s->entry[len + 1] = '\0';
        }
        return;
    }
    char label[HQ_LABEL_MAX];
    if (s_entry_label(s->entry, label, sizeof label) != 0) {
        s_say(s, now, 1, S_TR(s, HQC_M_R_BAD_NUMBER), s->entry);
        return;
    }
    if (s_legal(s, m, HQC_A_NUMBER, now) != 0) {
        s_enter(s, HQC_S_MAIN);
        return;
    }
    const hq_ticket_t *t = hq_mirror_ticket_by_label(m, label);
    if (!t || t->state != HQ_T_WAITING) {
        s_say(s, now, 1, S_TR(s, HQC_M_R_NOT_WAITING), label);
        return;
    }
    if (!s_serves(hqc_session_counter(s, m), t->queue)) {
        s_say(s, now, 1, S_TR(s, HQC_M_R_NOT_SERVED), t->queue, label);
        return;
    }
    s_queue(s, HQ_REQ_CALL);
    hq_strlcpy(s->action.number, label, sizeof s->action.number);
    s_enter(s, HQC_S_MAIN);
}

/* Moves the highlight in a list of n rows, or returns the row chosen (-1 none yet). */
static int s_list_key(hqc_session_t *s, int key, int n)
{
    if (n <= 0)
        return -1;
    if (key == HQC_KEY_UP)
        s->pick = s->pick > 0 ? s->pick - 1 : n - 1;
    else if (key == HQC_KEY_DOWN)
        s->pick = s->pick + 1 < n ? s->pick + 1 : 0;
    else if (key == HQC_KEY_ENTER)
        return s->pick < n ? s->pick : -1;
    return -1;
}

static void s_parked_key(hqc_session_t *s, const hq_mirror_t *m, int key, int64_t now)
{
    const hq_ticket_t *list[HQC_LIST_MAX];
    int n = hqc_session_parked(s, m, list, HQC_LIST_MAX);
    int chosen = s_list_key(s, key, n);
    if (key >= '1' && key <= '9' && key - '1' < n)
        chosen = key - '1';
    if (chosen < 0 || s_legal(s, m, HQC_A_UNPARK, now) != 0)
        return;
    s_queue(s, HQ_REQ_UNPARK);
    hq_strlcpy(s->action.number, list[chosen]->label, sizeof s->action.number);
    s_enter(s, HQC_S_MAIN);
}

static void s_queue_key(hqc_session_t *s, const hq_mirror_t *m, int key, int64_t now)
{
    char targets[HQ_QUEUES_MAX];
    int n = hqc_session_targets(s, m, targets, HQ_QUEUES_MAX);
    int chosen = s_list_key(s, key, n);
    for (int i = 0; i < n && key < 0x80; i++)
        if (toupper(key) == targets[i])
            chosen = i;
    if (chosen < 0 || s_legal(s, m, HQC_A_TRANSFER, now) != 0)
        return;
    s_queue(s, HQ_REQ_TRANSFER);
    s->action.queue = targets[chosen];
    s_enter(s, HQC_S_MAIN);
}

static void s_reason_key(hqc_session_t *s, const hq_mirror_t *m, int key, int64_t now)
{
    int chosen = s_list_key(s, key, HQC_REASONS);
    if (key >= '1' && key < '1' + HQC_REASONS)
        chosen = key - '1';
    const hq_counter_t *c = hqc_session_counter(s, m);
    if (c && c->state == HQ_C_PAUSED) {
        s_enter(s, HQC_S_MAIN);
        return;
    }
    if (chosen < 0 || s_legal(s, m, HQC_A_PAUSE, now) != 0)
        return;
    s_queue(s, HQ_REQ_PAUSE);
    hq_strlcpy(s->action.reason, S_TR(s, hqc_session_reason(chosen)), sizeof s->action.reason);
    s_enter(s, HQC_S_MAIN);
}

/* Ratings are listed best first; the digit typed is the rating itself (5 = very satisfied). */
static void s_rating_key(hqc_session_t *s, const hq_mirror_t *m, int key, int64_t now)
{
    int row = s_list_key(s, key, 5);
    int rating = row >= 0 ? 5 - row : 0;
    if (key >= '1' && key <= '5')
        rating = key - '0';
    if (rating == 0 || s_legal(s, m, HQC_A_RATE, now) != 0)
        return;
    hq_request_init(&s->action, HQ_REQ_RATE);
    hq_strlcpy(s->action.number, s->rate_label, sizeof s->action.number);
    s->action.rating = rating;
    s->queued = 1;
    s_enter(s, HQC_S_MAIN);
}

void hqc_session_key(hqc_session_t *s, const hq_mirror_t *m, int key, int64_t now)
{
    /* In every list Esc goes back to the main view without sending anything. */
    if (key == HQC_KEY_ESC && s->state != HQC_S_LOGIN && s->state != HQC_S_MAIN &&
        s->state != HQC_S_QUIT) {
        s_enter(s, HQC_S_MAIN);
        return;
    }
    switch (s->state) {
    case HQC_S_LOGIN:
        if (key == 'q' || key == 'Q')
            s_enter(s, HQC_S_QUIT);
        else
            s_say(s, now, 1, "%s", S_TR(s, HQC_M_R_WAIT_LOGIN));
        break;
    case HQC_S_MAIN:
        s_main_key(s, m, key, now);
        break;
    case HQC_S_NUMBER:
        s_number_key(s, m, key, now);
        break;
    case HQC_S_PARKED:
        s_parked_key(s, m, key, now);
        break;
    case HQC_S_QUEUE:
        s_queue_key(s, m, key, now);
        break;
    case HQC_S_REASON:
        s_reason_key(s, m, key, now);
        break;
    case HQC_S_RATING:
        s_rating_key(s, m, key, now);
        break;
    case HQC_S_QUIT:
        break;
    }
}

/* ---- requests and replies ------------------------------------------------------------------ */
int hqc_session_next(hqc_session_t *s, int64_t now, hq_request_t *req)
{
    if (s->inflight || s->state == HQC_S_QUIT)
        return 0;
    if (s->state == HQC_S_LOGIN) {
        if (now < s->retry_at)
            return 0;
        hq_request_init(req, HQ_REQ_LOGIN);
        req->counter = s->counter;
        hq_strlcpy(req->clerk, s->clerk, sizeof req->clerk);
        s->sent_is_action = 0;
    } else if (s->queued) {
        *req = s->action;
        s->queued = 0;
        s->sent_is_action = 1;
    } else if (s->catalog_wanted && now >= s->retry_at) {
        hq_request_init(req, HQ_REQ_CATALOG);
        s->sent_is_action = 0;
    } else if (s->figures_wanted && now >= s->retry_at) {
        hq_request_init(req, HQ_REQ_SNAPSHOT);
        s->sent_is_action = 0;
    } else {
        return 0;
    }
    s->sent = *req;
    s->inflight = 1;
    return 1;
}

static void s_load_figures(hqc_figures_t *fig, const json_t *j)
{
    json_t *count = json_object_get(j, "count"), *avg = json_object_get(j, "avg_ms");
    json_t *within = json_object_get(j, "within"), *max = json_object_get(j, "max_ms");
    fig->count = json_is_integer(count) ? (int)json_integer_value(count) : 0;
    fig->avg_ms = json_is_integer(avg) ? json_integer_value(avg) : 0;
    fig->within = json_is_integer(within) ? (int)json_integer_value(within) : 0;
    fig->max_ms = json_is_integer(max) ? json_integer_value(max) : 0;
}

/* The entry for this window in a list of {counter|id, metric...} objects. */
static const json_t *s_my_entry(const hqc_session_t *s, const json_t *list, const char *key)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        json_t *id = json_object_get(item, key);
        if (json_is_integer(id) && json_integer_value(id) == s->counter)
            return item;
    }
    return NULL;
}

static void s_ticket_of(const hq_reply_t *r, hq_ticket_t *t)
{
    memset(t, 0, sizeof *t);
    json_t *tj = json_object_get(r->body, "ticket");
    if (json_is_object(tj))
        hq_ticket_from_json(tj, t, NULL);
}

/* A successful reply to the clerk's own action: say what happened. */
static void s_action_done(hqc_session_t *s, const hq_reply_t *r, int64_t now)
{
    hq_ticket_t t;
    s_ticket_of(r, &t);
    char text[160];
    switch (s->sent.type) {
    case HQ_REQ_CALL:
        if (!t.label[0]) {
            s_say(s, now, 0, "%s", S_TR(s, HQC_M_OK_NONE));
            break;
        }
        hqc_pick_reason(s->lang, &t, s->catalog.green_max, text, sizeof text);
        s_say(s, now, 0, S_TR(s, HQC_M_OK_CALLED), t.label, text);
        break;
    case HQ_REQ_RECALL:
        s_say(s, now, 0, S_TR(s, HQC_M_OK_RECALLED), t.label, t.calls);
        break;
    case HQ_REQ_START:
        s_say(s, now, 0, S_TR(s, HQC_M_OK_STARTED), t.label);
        break;
    case HQ_REQ_FINISH: {
        json_t *ms = json_object_get(r->body, "handling_ms");
        hq_text_duration(json_is_integer(ms) ? json_integer_value(ms) : 0, text, sizeof text);
        hq_strlcpy(s->rate_label, t.label, sizeof s->rate_label);
        s_say(s, now, 0, S_TR(s, HQC_M_OK_FINISHED), t.label, text);
        break;
    }
    case HQ_REQ_NO_SHOW:
        s_say(s, now, 0, S_TR(s, HQC_M_OK_NO_SHOW), t.label);
        break;
    case HQ_REQ_PARK:
        s_say(s, now, 0, S_TR(s, HQC_M_OK_PARKED), t.label);
        break;
    case HQ_REQ_UNPARK:
        s_say(s, now, 0, S_TR(s, HQC_M_OK_UNPARKED), t.label);
        break;
    case HQ_REQ_TRANSFER:
        s_say(s, now, 0, S_TR(s, HQC_M_OK_TRANSFERRED), t.label, t.queue);
        break;
    case HQ_REQ_PAUSE:
        s_say(s, now, 0, S_TR(s, HQC_M_OK_PAUSED), s->sent.reason);
        break;
    case HQ_REQ_RESUME:
        s_say(s, now, 0, "%s", S_TR(s, HQC_M_OK_RESUMED));
        break;
    case HQ_REQ_RATE:
        s->rate_label[0] = '\0';
        s_say(s, now, 0, S_TR(s, HQC_M_OK_RATED), s->sent.number,
              s->lang == UI_LANG_EN ? hq_rating_name_en(s->sent.rating)
                                    : hq_rating_name_zh(s->sent.rating));
        break;
    default:
        break;
    }
}

static void s_login_done(hqc_session_t *s, const hq_reply_t *r, int64_t now)
{
    json_t *prev = json_object_get(r->body, "previous_clerk");
    s->logged_in = 1;
    s->figures_wanted = 1;
    if (json_is_string(prev) && json_string_value(prev)[0])
        s_say(s, now, 0, S_TR(s, HQC_M_OK_TAKEOVER), s->counter, json_string_value(prev));
    else
        s_say(s, now, 0, S_TR(s, HQC_M_OK_LOGIN), s->counter);
    if (s->state == HQC_S_LOGIN)
        s_enter(s, HQC_S_MAIN);
}

void hqc_session_reply(hqc_session_t *s, const hq_reply_t *r, int64_t now)
{
    if (!s->inflight)
        return;
    s->inflight = 0;
    s->retry_at = 0; /* hallqd answers: background requests need not wait any longer */
    hq_req_type_t type = s->sent.type;
    if (!r->ok) {
        hq_debug("%s refused: %s", hq_req_type_name(type), r->error.message);
        if (type == HQ_REQ_LOGIN && s->state == HQC_S_LOGIN &&
            (r->error.code == HQ_E_UNKNOWN_COUNTER || r->error.code == HQ_E_FORBIDDEN ||
             r->error.code == HQ_E_BAD_FIELD)) {
            /* A wrong window number or key is a configuration error: retrying cannot help. */
            snprintf(s->fatal, sizeof s->fatal, "%s", r->error.message);
            s_enter(s, HQC_S_QUIT);
            return;
        }
        if (!s->sent_is_action) {
            s->retry_at = now + S_RETRY_MS;
            return;
        }
        if (type == HQ_REQ_RATE)
            s->rate_label[0] = '\0'; /* already rated, or gone: the chance has passed */
        s_say(s, now, 1, S_TR(s, HQC_M_E_REFUSED), r->error.message);
        return;
    }
    switch (type) {
    case HQ_REQ_LOGIN:
        s_login_done(s, r, now);
        break;
    case HQ_REQ_CATALOG:
        if (hqc_catalog_load(&s->catalog, r->body) == 0)
            s->catalog_wanted = 0;
        else
            s->retry_at = now + S_RETRY_MS;
        break;
    case HQ_REQ_SNAPSHOT: {
        const json_t *mine = s_my_entry(s, json_object_get(r->body, "counters"), "id");
        if (mine) {
            s_load_figures(&s->figures, json_object_get(mine, "metric"));
            s->figures_known = 1;
        }
        s->figures_wanted = 0;
        break;
    }
    default:
        s_action_done(s, r, now);
        break;
    }
}

int hqc_session_no_reply(hqc_session_t *s, int64_t now)
{
    if (!s->inflight)
        return 0;
    s->inflight = 0;
    s->retry_at = now + S_RETRY_MS;
    if (!s->sent_is_action)
        return 0;
    s_say(s, now, 1, S_TR(s, HQC_M_E_TIMEOUT), s->timeout_ms);
    return 1;
}

void hqc_session_event(hqc_session_t *s, const hq_event_t *ev, hq_apply_t result, int64_t now)
{
    if (result != HQ_APPLY_OK)
        return;
    switch (ev->type) {
    case HQ_EV_FINISHED:
        if (!ev->has_counter || ev->counter.id != s->counter)
            break;
        s_load_figures(&s->figures, json_object_get(ev->body, "counter_metric"));
        s->figures_known = 1;
        /* Finished here, whichever device pressed the key: the citizen may now rate it. */
        if (ev->has_ticket && !ev->ticket.rating)
            hq_strlcpy(s->rate_label, ev->ticket.label, sizeof s->rate_label);
        break;
    case HQ_EV_RATED:
        if (ev->has_ticket && strcmp(ev->ticket.label, s->rate_label) == 0)
            s->rate_label[0] = '\0';
        break;
    case HQ_EV_METRIC: {
        const json_t *mine = s_my_entry(s, json_object_get(ev->body, "counters"), "counter");
        if (mine) {
            s_load_figures(&s->figures, mine);
            s->figures_known = 1;
        }
        break;
    }
    case HQ_EV_COUNTER: {
        json_t *prev = json_object_get(ev->body, "previous_clerk");
        if (ev->has_counter && ev->counter.id == s->counter && json_is_string(prev) &&
            strcmp(json_string_value(prev), s->clerk) == 0 &&
            strcmp(ev->counter.clerk, s->clerk) != 0 && ev->counter.clerk[0])
            s_say(s, now, 1, S_TR(s, HQC_M_E_TAKEN), ev->counter.clerk);
        break;
    }
    default:
        break;
    }
}

/* The action a list belongs to: the list closes when that action stops making sense. */
static int s_list_action(hqc_state_t st)
{
    switch (st) {
    case HQC_S_NUMBER:
        return HQC_A_NUMBER;
    case HQC_S_PARKED:
        return HQC_A_UNPARK;
    case HQC_S_QUEUE:
        return HQC_A_TRANSFER;
    case HQC_S_REASON:
        return HQC_A_PAUSE;
    case HQC_S_RATING:
        return HQC_A_RATE;
    default:
        return -1;
    }
}

void hqc_session_tick(hqc_session_t *s, const hq_mirror_t *m, int64_t now, int64_t now_wall)
{
    int live = hqc_session_live(m);
    if (live) {
        if (!s->was_live) {
            /* A fresh snapshot: events may have been missed, so the figures (which the
             * mirror does not keep per window) are read again; after an outage the
             * catalog too, since the daemon may have restarted with another config. */
            s->figures_wanted = 1;
            if (s->went_offline)
                s->catalog_wanted = 1;
            s->went_offline = 0;
        }
        s->unsynced_since = 0;
        s->live_wall_ms = now_wall;
    } else {
        if (s->unsynced_since == 0)
            s->unsynced_since = now;
        if (m->state == HQ_SYNC_OFFLINE)
            s->went_offline = 1;
    }
    s->was_live = live;

    int a = s_list_action(s->state);
    if (a < 0)
        return;
    hqc_facts_t f;
    hqc_session_facts(s, m, &f);
    f.busy = 0; /* a list is only opened when the line is free; a late reply does not close it */
    if (a == HQC_A_PAUSE && f.state == HQ_C_PAUSED) {
        s_enter(s, HQC_S_MAIN); /* paused meanwhile (another device): the reason is moot */
        return;
    }
    char why[200];
    if (hqc_key_refusal((hqc_action_t)a, &f, s->lang, why, sizeof why) != 0) {
        s_enter(s, HQC_S_MAIN);
        s_say(s, now, 1, "%s", why);
    }
}
