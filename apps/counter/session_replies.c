/* session_replies: the requests the clerk session sends, what it makes of their replies,
 * and the hall's events it follows besides the mirror (see session.h). */
#include "session_internal.h"

#include "refusal.h"

#include "hq_log.h"
#include "hq_text.h"

#include <stdio.h>
#include <string.h>

#define S_RETRY_MS 1000 /* pause before a background request is tried again */

/* The catalog lists this window (a catalog that lists none is not asked). */
static int s_hall_has_window(const hqc_session_t *s)
{
    const hq_catalog_t *d = &s->catalog.decoded;
    for (size_t i = 0; i < d->ncounters; i++)
        if (d->counters[i].id == s->counter)
            return 1;
    return d->ncounters == 0;
}

int hqc_session_next(hqc_session_t *s, int64_t now, hq_request_t *req)
{
    if (s->inflight || s->state == HQC_S_QUIT)
        return 0;
    if (s->state == HQC_S_LOGIN) {
        if (now < s->retry_at)
            return 0;
        if (!s->catalog.loaded) {
            /* First the catalog: whether the hall has a roster, so the PIN is asked before
             * the login rather than after a refusal. */
            hq_request_init(req, HQ_REQ_CATALOG);
        } else if (!s_hall_has_window(s)) {
            /* The hall does not have it: one clear line rather than a login refused. */
            hqc_refusal_no_window(s->lang, s->counter, &s->catalog, s->fatal, sizeof s->fatal);
            hqc_session_enter(s, HQC_S_QUIT);
            return 0;
        } else {
            hq_request_init(req, HQ_REQ_LOGIN);
            req->counter = s->counter;
            hq_strlcpy(req->clerk, s->clerk, sizeof req->clerk);
            hq_strlcpy(req->pin, s->pin, sizeof req->pin);
        }
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
            hqc_session_say(s, now, 0, "%s", HQC_TR(s, HQC_M_OK_NONE));
            break;
        }
        hqc_pick_reason(s->lang, &t, s->catalog.green_max, text, sizeof text);
        hqc_session_say(s, now, 0, HQC_TR(s, HQC_M_OK_CALLED), t.label, text);
        break;
    case HQ_REQ_RECALL:
        hqc_session_say(s, now, 0, HQC_TR(s, HQC_M_OK_RECALLED), t.label, t.calls);
        break;
    case HQ_REQ_START:
        hqc_session_say(s, now, 0, HQC_TR(s, HQC_M_OK_STARTED), t.label);
        break;
    case HQ_REQ_FINISH: {
        json_t *ms = json_object_get(r->body, "handling_ms");
        hq_text_duration(json_is_integer(ms) ? json_integer_value(ms) : 0, text, sizeof text);
        hq_strlcpy(s->rate_label, t.label, sizeof s->rate_label);
        hqc_session_say(s, now, 0, HQC_TR(s, HQC_M_OK_FINISHED), t.label, text);
        break;
    }
    case HQ_REQ_NO_SHOW:
        hqc_session_say(s, now, 0, HQC_TR(s, HQC_M_OK_NO_SHOW), t.label);
        break;
    case HQ_REQ_PARK:
        hqc_session_say(s, now, 0, HQC_TR(s, HQC_M_OK_PARKED), t.label);
        break;
    case HQ_REQ_UNPARK:
        hqc_session_say(s, now, 0, HQC_TR(s, HQC_M_OK_UNPARKED), t.label);
        break;
    case HQ_REQ_TRANSFER:
        hqc_session_say(s, now, 0, HQC_TR(s, HQC_M_OK_TRANSFERRED), t.label, t.queue);
        break;
    case HQ_REQ_PAUSE:
        hqc_session_say(s, now, 0, HQC_TR(s, HQC_M_OK_PAUSED), s->sent.reason);
        break;
    case HQ_REQ_RESUME:
        hqc_session_say(s, now, 0, "%s", HQC_TR(s, HQC_M_OK_RESUMED));
        break;
    case HQ_REQ_PAIR: {
        /* Shown until it lapses, so the clerk can read it out while the citizen types; the
         * time left is counted on this terminal's clock, which hallqd's may not match (a
         * simulated hall). A new code replaces the old one on both sides. */
        json_t *code = json_object_get(r->body, "code");
        json_t *until = json_object_get(r->body, "expires_ms");
        hq_strlcpy(s->pair_code, json_is_string(code) ? json_string_value(code) : "",
                   sizeof s->pair_code);
        s->pair_until = json_is_integer(until) ? json_integer_value(until) : 0;
        s->pair_gone_at = now + HQC_PAIR_MS;
        hqc_session_say(s, now, 0, HQC_TR(s, HQC_M_OK_PAIR), s->pair_code);
        break;
    }
    case HQ_REQ_REACTIVATE:
        hqc_session_say(s, now, 0, HQC_TR(s, HQC_M_OK_REQUEUED), t.label);
        break;
    case HQ_REQ_LOGOUT:
        /* The window is closed: the program ends and says so once the screen is gone. */
        s->logged_out = 1;
        hqc_session_enter(s, HQC_S_QUIT);
        break;
    case HQ_REQ_RATE:
        s->rate_label[0] = '\0';
        hqc_session_say(s, now, 0, HQC_TR(s, HQC_M_OK_RATED), s->sent.number,
                        s->lang == UI_LANG_EN ? hq_rating_name_en(s->sent.rating)
                                              : hq_rating_name_zh(s->sent.rating));
        break;
    default:
        break;
    }
    if (s->logout_after && (s->sent.type == HQ_REQ_FINISH || s->sent.type == HQ_REQ_PARK ||
                            s->sent.type == HQ_REQ_TRANSFER || s->sent.type == HQ_REQ_NO_SHOW)) {
        /* The ticket is dealt with: the logout the clerk asked for follows. */
        s->logout_after = 0;
        hqc_session_queue(s, HQ_REQ_LOGOUT);
    }
}

static void s_login_done(hqc_session_t *s, const hq_reply_t *r, int64_t now)
{
    json_t *prev = json_object_get(r->body, "previous_clerk");
    s->logged_in = 1;
    s->figures_wanted = 1;
    if (json_is_string(prev) && json_string_value(prev)[0])
        hqc_session_say(s, now, 0, HQC_TR(s, HQC_M_OK_TAKEOVER), s->counter,
                        json_string_value(prev));
    else
        hqc_session_say(s, now, 0, HQC_TR(s, HQC_M_OK_LOGIN), s->counter);
    if (s->state == HQC_S_LOGIN)
        hqc_session_enter(s, HQC_S_MAIN);
}

void hqc_session_reply(hqc_session_t *s, const hq_reply_t *r, int64_t now)
{
    if (!s->inflight)
        return;
    s->inflight = 0;
    s->retry_at = 0; /* hallqd answers: background requests need not wait any longer */
    hq_req_type_t type = s->sent.type;
    if (!r->ok) {
        s->logout_after = 0; /* the action before it failed: the clerk decides anew */
        hq_debug("%s refused: %s", hq_req_type_name(type), r->error.message);
        if (type == HQ_REQ_LOGIN && r->error.code == HQ_E_FORBIDDEN &&
            strstr(r->error.message, "PIN")) {
            /* The roster refused the PIN, or wants one (PROTOCOL.md, Clerk roster). */
            hqc_session_ask_pin(s, now, s->sent.pin[0] != '\0');
            return;
        }
        if (type == HQ_REQ_LOGIN && s->state == HQC_S_LOGIN &&
            (r->error.code == HQ_E_UNKNOWN_COUNTER || r->error.code == HQ_E_FORBIDDEN ||
             r->error.code == HQ_E_BAD_FIELD)) {
            /* A wrong window number or key is a configuration error: retrying cannot help.
             * The reason goes to the terminal once the screen is closed, in the clerk's
             * language (the daemon's own words stay in the log). */
            hq_warn("login at window %d refused: %s", s->counter, r->error.message);
            hqc_refusal_fatal(s->lang, r, &s->sent, &s->catalog, s->fatal, sizeof s->fatal);
            hqc_session_enter(s, HQC_S_QUIT);
            return;
        }
        if (!s->sent_is_action) {
            s->retry_at = now + S_RETRY_MS;
            return;
        }
        if (type == HQ_REQ_RATE)
            s->rate_label[0] = '\0'; /* already rated, or gone: the chance has passed */
        char text[sizeof s->message];
        hqc_refusal_text(s->lang, r, &s->sent, &s->catalog, text, sizeof text);
        hqc_session_say(s, now, 1, "%s", text);
        return;
    }
    switch (type) {
    case HQ_REQ_LOGIN:
        s_login_done(s, r, now);
        break;
    case HQ_REQ_CATALOG:
        if (hqc_catalog_load(&s->catalog, r->body) != 0) {
            s->retry_at = now + S_RETRY_MS;
            break;
        }
        s->catalog_wanted = 0;
        if (s->state == HQC_S_LOGIN && s->catalog.roster && !s->pin[0])
            hqc_session_ask_pin(s, now, 0);
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
    s->logout_after = 0; /* the action may not have happened: the clerk decides anew */
    hqc_session_say(s, now, 1, HQC_TR(s, HQC_M_E_TIMEOUT), s->timeout_ms);
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
            hqc_session_say(s, now, 1, HQC_TR(s, HQC_M_E_TAKEN), ev->counter.clerk);
        /* The code this screen shows was typed into a tablet: it is spent. */
        if (ev->has_counter && ev->counter.id == s->counter &&
            json_is_true(json_object_get(ev->body, "tablet_paired")) && s->pair_code[0]) {
            s->pair_code[0] = '\0';
            hqc_session_say(s, now, 0, "%s", HQC_TR(s, HQC_M_OK_PAIRED));
        }
        break;
    }
    default:
        break;
    }
}
