/* session_keys: what each key does in each state of the clerk session (see session.h).
 * Every action is checked against the model first (keys.c's refusals), so a key that makes
 * no sense is refused with a message and nothing is sent. */
#include "session_internal.h"

#include "roster.h"

#include <ctype.h>
#include <string.h>

void hqc_session_queue(hqc_session_t *s, hq_req_type_t type)
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
    hqc_session_say(s, now, 1, "%s", why);
    return -1;
}

/* An action key in the main view. */
static void s_main_key(hqc_session_t *s, const hq_mirror_t *m, int key, int64_t now)
{
    int a = hqc_key_action(key);
    if (a < 0) {
        if (key >= 0x20 && key < 0x7f) {
            char name[2] = {(char)key, 0};
            hqc_session_say(s, now, 1, HQC_TR(s, HQC_M_R_UNKNOWN_KEY), name);
        }
        return;
    }
    if (s_legal(s, m, (hqc_action_t)a, now) != 0)
        return;
    const hq_counter_t *c = hqc_session_counter(s, m);
    switch ((hqc_action_t)a) {
    case HQC_A_CALL:
        hqc_session_queue(s, HQ_REQ_CALL);
        break;
    case HQC_A_NUMBER:
        hqc_session_enter(s, HQC_S_NUMBER);
        break;
    case HQC_A_RECALL:
        hqc_session_queue(s, HQ_REQ_RECALL);
        break;
    case HQC_A_START:
        hqc_session_queue(s, HQ_REQ_START);
        break;
    case HQC_A_FINISH:
        hqc_session_queue(s, HQ_REQ_FINISH);
        break;
    case HQC_A_NO_SHOW:
        hqc_session_queue(s, HQ_REQ_NO_SHOW);
        break;
    case HQC_A_REQUEUE:
        hqc_session_enter(s, HQC_S_NOSHOWS);
        break;
    case HQC_A_PARK:
        hqc_session_queue(s, HQ_REQ_PARK);
        break;
    case HQC_A_UNPARK:
        hqc_session_enter(s, HQC_S_PARKED);
        break;
    case HQC_A_TRANSFER:
        hqc_session_enter(s, HQC_S_QUEUE);
        break;
    case HQC_A_PAUSE:
        if (c && c->state == HQ_C_PAUSED)
            hqc_session_queue(s, HQ_REQ_RESUME);
        else
            hqc_session_enter(s, HQC_S_REASON);
        break;
    case HQC_A_RATE:
        hqc_session_enter(s, HQC_S_RATING);
        break;
    case HQC_A_PAIR:
        hqc_session_queue(s, HQ_REQ_PAIR);
        break;
    case HQC_A_LOGIN:
        hqc_session_queue(s, HQ_REQ_LOGIN);
        hq_strlcpy(s->action.clerk, s->clerk, sizeof s->action.clerk);
        hq_strlcpy(s->action.pin, s->pin, sizeof s->action.pin);
        break;
    case HQC_A_QUIT: {
        /* Asked first when this clerk holds the window: leaving it open keeps its clock
         * running for nobody. Nothing to close otherwise (taken over, logged out). */
        hqc_facts_t f;
        hqc_session_facts(s, m, &f);
        hqc_session_enter(s, f.logged_in && f.mine ? HQC_S_LOGOUT : HQC_S_QUIT);
        break;
    }
    case HQC_A_COUNT_:
        hqc_session_enter(s, HQC_S_QUIT);
        break;
    }
}

/* The logout question: the clerk's choice among hqc_session_logout_keys, by its key, its
 * row (arrows and Enter) or a click on it (which arrives as its key). */
static void s_logout_key(hqc_session_t *s, const hq_mirror_t *m, int key, int64_t now)
{
    int keys[8];
    int n = hqc_session_logout_keys(s, m, keys, 8);
    int chosen = -1;
    if (key == HQC_KEY_UP)
        s->pick = s->pick > 0 ? s->pick - 1 : n - 1;
    else if (key == HQC_KEY_DOWN)
        s->pick = s->pick + 1 < n ? s->pick + 1 : 0;
    else if (key == HQC_KEY_ENTER)
        chosen = s->pick < n ? keys[s->pick] : -1;
    else if (key > 0 && key < 0x80)
        for (int i = 0; i < n; i++)
            if (keys[i] == tolower(key))
                chosen = keys[i];
    switch (chosen) {
    case 'y': {
        hqc_facts_t f;
        hqc_session_facts(s, m, &f);
        if (!f.link_up) {
            hqc_session_say(s, now, 1, "%s", HQC_TR(s, HQC_M_R_OFFLINE_LOGOUT));
            return;
        }
        if (f.busy) {
            hqc_session_say(s, now, 1, "%s", HQC_TR(s, HQC_M_R_BUSY));
            return;
        }
        hqc_session_queue(s, HQ_REQ_LOGOUT);
        hqc_session_enter(s, HQC_S_MAIN);
        hqc_session_say(s, now, 0, "%s", HQC_TR(s, HQC_M_OK_LOGGING_OUT));
        break;
    }
    case 'k':
        hqc_session_enter(s, HQC_S_QUIT);
        break;
    case 'n':
        hqc_session_enter(s, HQC_S_MAIN);
        break;
    case 'f':
    case 'p':
    case 't':
    case 'x': {
        /* The action as its key does it in the main view; its success logs out. */
        hqc_session_enter(s, HQC_S_MAIN);
        int before = s->queued;
        s->logout_after = 1;
        s_main_key(s, m, chosen, now);
        if (before || (!s->queued && s->state != HQC_S_QUEUE))
            s->logout_after = 0; /* refused (the message says why) */
        break;
    }
    default:
        break;
    }
}

void hqc_session_ask_pin(hqc_session_t *s, int64_t now, int wrong)
{
    memset(s->pin, 0, sizeof s->pin);
    memset(s->pin_entry, 0, sizeof s->pin_entry);
    hqc_session_enter(s, HQC_S_PIN);
    if (wrong)
        hqc_session_say(s, now, 1, "%s", HQC_TR(s, HQC_M_E_PIN));
}

/* Typing the PIN: digits only, shown as stars; Enter logs in with it, Esc gives up (the
 * program ends unless this terminal is logged in already). */
static void s_pin_key(hqc_session_t *s, int key, int64_t now)
{
    size_t len = strlen(s->pin_entry);
    if (key == HQC_KEY_ESC || key == 'q' || key == 'Q') {
        memset(s->pin_entry, 0, sizeof s->pin_entry);
        hqc_session_enter(s, s->logged_in ? HQC_S_MAIN : HQC_S_QUIT);
    } else if (key == HQC_KEY_BACKSPACE) {
        if (len > 0)
            s->pin_entry[len - 1] = '\0';
    } else if (key >= '0' && key <= '9') {
        if (len < ROSTER_PIN_MAX) {
            s->pin_entry[len] = (char)key;
            s->pin_entry[len + 1] = '\0';
        }
    } else if (key == HQC_KEY_ENTER) {
        if (len < ROSTER_PIN_MIN) {
            hqc_session_say(s, now, 1, HQC_TR(s, HQC_M_R_PIN_SHORT), ROSTER_PIN_MIN,
                            ROSTER_PIN_MAX);
            return;
        }
        hq_strlcpy(s->pin, s->pin_entry, sizeof s->pin);
        memset(s->pin_entry, 0, sizeof s->pin_entry);
        s->retry_at = 0;
        if (s->logged_in) {
            /* Asked again after a takeover's login was refused: that login, with this PIN. */
            hqc_session_queue(s, HQ_REQ_LOGIN);
            hq_strlcpy(s->action.clerk, s->clerk, sizeof s->action.clerk);
            hq_strlcpy(s->action.pin, s->pin, sizeof s->action.pin);
            hqc_session_enter(s, HQC_S_MAIN);
        } else {
            hqc_session_enter(s, HQC_S_LOGIN);
        }
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
        hqc_session_enter(s, HQC_S_MAIN);
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
        hqc_session_say(s, now, 1, HQC_TR(s, HQC_M_R_BAD_NUMBER), s->entry);
        return;
    }
    if (s_legal(s, m, HQC_A_NUMBER, now) != 0) {
        hqc_session_enter(s, HQC_S_MAIN);
        return;
    }
    const hq_ticket_t *t = hq_mirror_ticket_by_label(m, label);
    if (!t || t->state != HQ_T_WAITING) {
        hqc_session_say(s, now, 1, HQC_TR(s, HQC_M_R_NOT_WAITING), label);
        return;
    }
    if (!hqc_session_serves(hqc_session_counter(s, m), t->queue)) {
        hqc_session_say(s, now, 1, HQC_TR(s, HQC_M_R_NOT_SERVED), t->queue, label);
        return;
    }
    hqc_session_queue(s, HQ_REQ_CALL);
    hq_strlcpy(s->action.number, label, sizeof s->action.number);
    hqc_session_enter(s, HQC_S_MAIN);
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
    hqc_session_queue(s, HQ_REQ_UNPARK);
    hq_strlcpy(s->action.number, list[chosen]->label, sizeof s->action.number);
    hqc_session_enter(s, HQC_S_MAIN);
}

/* A no-show of this window back in line, at the place its number gives it. */
static void s_noshows_key(hqc_session_t *s, const hq_mirror_t *m, int key, int64_t now)
{
    const hq_ticket_t *list[HQC_LIST_MAX];
    int n = hqc_session_noshows(s, m, list, HQC_LIST_MAX);
    int chosen = s_list_key(s, key, n);
    if (key >= '1' && key <= '9' && key - '1' < n)
        chosen = key - '1';
    if (chosen < 0 || s_legal(s, m, HQC_A_REQUEUE, now) != 0)
        return;
    hq_request_init(&s->action, HQ_REQ_REACTIVATE);
    hq_strlcpy(s->action.number, list[chosen]->label, sizeof s->action.number);
    s->queued = 1;
    hqc_session_enter(s, HQC_S_MAIN);
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
    hqc_session_queue(s, HQ_REQ_TRANSFER);
    s->action.queue = targets[chosen];
    hqc_session_enter(s, HQC_S_MAIN);
}

static void s_reason_key(hqc_session_t *s, const hq_mirror_t *m, int key, int64_t now)
{
    int chosen = s_list_key(s, key, HQC_REASONS);
    if (key >= '1' && key < '1' + HQC_REASONS)
        chosen = key - '1';
    const hq_counter_t *c = hqc_session_counter(s, m);
    if (c && c->state == HQ_C_PAUSED) {
        hqc_session_enter(s, HQC_S_MAIN);
        return;
    }
    if (chosen < 0 || s_legal(s, m, HQC_A_PAUSE, now) != 0)
        return;
    hqc_session_queue(s, HQ_REQ_PAUSE);
    hq_strlcpy(s->action.reason, HQC_TR(s, hqc_session_reason(chosen)), sizeof s->action.reason);
    hqc_session_enter(s, HQC_S_MAIN);
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
    hqc_session_enter(s, HQC_S_MAIN);
}

void hqc_session_key(hqc_session_t *s, const hq_mirror_t *m, int key, int64_t now)
{
    /* In every list Esc goes back to the main view without sending anything. */
    if (key == HQC_KEY_ESC && s->state != HQC_S_LOGIN && s->state != HQC_S_PIN &&
        s->state != HQC_S_MAIN && s->state != HQC_S_QUIT) {
        s->logout_after = 0; /* a transfer before the logout given up: the logout too */
        hqc_session_enter(s, HQC_S_MAIN);
        return;
    }
    switch (s->state) {
    case HQC_S_LOGIN:
        if (key == 'q' || key == 'Q')
            hqc_session_enter(s, HQC_S_QUIT);
        else
            hqc_session_say(s, now, 1, "%s", HQC_TR(s, HQC_M_R_WAIT_LOGIN));
        break;
    case HQC_S_PIN:
        s_pin_key(s, key, now);
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
    case HQC_S_NOSHOWS:
        s_noshows_key(s, m, key, now);
        break;
    case HQC_S_LOGOUT:
        s_logout_key(s, m, key, now);
        break;
    case HQC_S_QUIT:
        break;
    }
}
