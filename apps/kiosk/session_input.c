/* session_input: the citizen's and staff's keys, and the clock (see session_internal.h). */
#include "session_internal.h"

#include "greenlane.h"
#include "kiosk_texts.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

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
    ks_forget_form(s);
    s->exit_asked = exit;
    s->note[0] = '\0';
    if (kiosk_session_staff(s))
        ks_enter(s, KIOSK_S_STAFF, now);
    else
        ks_enter(s, KIOSK_S_STAFF_LOGIN, now);
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
    ks_enter(s, ks_has_services(s) ? KIOSK_S_SERVICES : KIOSK_S_CONFIRM, now);
}

static void s_choose_service(kiosk_session_t *s, int index, int64_t now)
{
    const catalog_service_t *svc[KIOSK_LIST_MAX];
    int n = kiosk_session_services(s, svc, KIOSK_LIST_MAX);
    if (index < 0 || index >= n)
        return;
    s->service = svc[index] ? svc[index]->no : 0;
    ks_enter(s, KIOSK_S_CONFIRM, now);
}

static void s_choose_printed(kiosk_session_t *s, int index, int64_t now)
{
    const json_t *printed[KIOSK_LIST_MAX];
    int n = kiosk_session_printed_today(s, printed, KIOSK_LIST_MAX);
    if (index < 0 || index >= n)
        return;
    json_decref(s->last);
    s->last = json_incref((json_t *)printed[index]);
    ks_reprint(s, now);
}

static void s_choose_staff(kiosk_session_t *s, int index, int64_t now)
{
    s->note[0] = '\0';
    switch (index) {
    case 0:
        ks_enter(s, KIOSK_S_STAFF_REPRINT, now);
        if (kiosk_session_rows(s) == 0)
            ks_note(s, 0, "%s", KS_TR(s, KT_STAFF_NONE_PRINTED));
        break;
    case 1:
        ks_forget_form(s);
        ks_enter(s, KIOSK_S_STAFF_NUMBER, now);
        break;
    case 2:
        if (!s->have_cat) {
            ks_note(s, 1, "%s", KS_TR(s, KT_DOWN_CHOOSING));
            break;
        }
        s->staff_green = 1;
        s->green = 1;
        s->queue = 0;
        s->service = 0;
        ks_enter(s, KIOSK_S_QUEUES, now);
        break;
    case 3:
        ks_enter(s, KIOSK_S_QUIT, now);
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
    ks_issue(s, now);
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
        ks_home(s, now);
        return;
    }
    s->service = 0;
    s->note[0] = '\0';
    ks_enter(s, KIOSK_S_QUEUES, now);
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
            ks_staff_home(s, now);
        break;
    case KIOSK_S_STAFF:
        ks_staff_end(s); /* staff mode ends, the PIN with it */
        ks_home(s, now);
        break;
    case KIOSK_S_STAFF_REPRINT:
        ks_staff_home(s, now);
        break;
    case KIOSK_S_STAFF_REASON:
        s->note[0] = '\0';
        ks_enter(s, KIOSK_S_CONFIRM, now);
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
    ks_forget_id(s); /* decided, right or wrong: the number goes */
    if (rc != 0) {
        ks_note(s, 1, "%s", why);
        return;
    }
    s->green = green;
    /* Under the age: the citizen may not declare the green lane after all; staff may. */
    s->green_locked = !green;
    ks_note(s, 0, KS_TR(s, green ? KT_ID_GREEN : KT_ID_NORMAL), s->cat.elderly_age);
    ks_enter(s, KIOSK_S_CONFIRM, now);
}

static void s_id_key(kiosk_session_t *s, int key, int64_t now)
{
    if (key == KIOSK_KEY_ENTER) {
        s_check_id(s, now);
    } else if (key == KIOSK_KEY_ESC) {
        ks_forget_id(s);
        s->note[0] = '\0';
        ks_enter(s, KIOSK_S_CONFIRM, now);
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
            ks_enter(s, KIOSK_S_STAFF_REASON, now);
        } else {
            ks_issue(s, now);
        }
    } else if ((key == 'g' || key == 'G') && !s->staff_green) {
        if (s->green_locked) {
            ks_note(s, 1, KS_TR(s, KT_GREEN_LOCKED), s->cat.elderly_age);
        } else {
            s->green = !s->green;
            s->note[0] = '\0';
        }
    } else if ((key == 'i' || key == 'I') && !s->staff_green) {
        ks_forget_id(s);
        s->note[0] = '\0';
        ks_enter(s, KIOSK_S_ID_ENTRY, now);
    } else if (s_is_back(key)) {
        if (ks_has_services(s)) {
            s->note[0] = s->down ? s->note[0] : '\0';
            ks_enter(s, KIOSK_S_SERVICES, now);
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

/* The booking's code or the ID number typed on CHECK_IN. */
static void s_check_in_key(kiosk_session_t *s, int key, int64_t now)
{
    char *f = s->form_booking;
    if (key == KIOSK_KEY_ESC) {
        greenlane_wipe(f, sizeof s->form_booking);
        s->note[0] = '\0';
        ks_home(s, now);
    } else if (key == KIOSK_KEY_BACKSPACE) {
        s_untype(f);
    } else if (key == KIOSK_KEY_ENTER) {
        ks_check_in(s, now);
    } else if (key > 0 && key < 0x80 && isalnum(key)) {
        s_type(f, sizeof s->form_booking, toupper(key));
        s->note[0] = '\0';
    }
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
        ks_note(s, 1, "%s", KS_TR(s, KT_STAFF_NAME_NEEDED));
        return;
    }
    size_t n = strlen(s->form_pin);
    if (n < KIOSK_PIN_MIN) {
        s->field = 1;
        ks_note(s, 1, KS_TR(s, KT_STAFF_PIN_NEEDED), KIOSK_PIN_MIN, KIOSK_PIN_MAX);
        return;
    }
    hq_request_init(&s->outgoing, HQ_REQ_STAFF);
    hq_strlcpy(s->outgoing.clerk, s->form_clerk, sizeof s->outgoing.clerk);
    hq_strlcpy(s->outgoing.pin, s->form_pin, sizeof s->outgoing.pin);
    greenlane_wipe(s->form_pin, sizeof s->form_pin);
    s->wanted = KIOSK_REQ_STAFF;
    ks_note(s, 0, "%s", KS_TR(s, KT_STAFF_CHECKING));
}

static void s_sign_in_key(kiosk_session_t *s, int key, int64_t now)
{
    if (s->inflight == KIOSK_REQ_STAFF || s->wanted == KIOSK_REQ_STAFF)
        return; /* being checked */
    if (key == KIOSK_KEY_ESC || (key == KIOSK_KEY_LEFT && !s->form_clerk[0])) {
        ks_forget_form(s);
        s->exit_asked = 0;
        ks_home(s, now);
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
        ks_staff_home(s, now);
    } else if (key == KIOSK_KEY_BACKSPACE) {
        s_untype(f);
    } else if (key == KIOSK_KEY_ENTER) {
        char prefix;
        int number;
        if (hq_label_parse(f, &prefix, &number) != 0) {
            ks_note(s, 1, "%s", KS_TR(s, KT_REACTIVATE_NUMBER));
            return;
        }
        hq_request_init(&s->outgoing, HQ_REQ_REACTIVATE);
        hq_label_format(prefix, number, s->outgoing.number, sizeof s->outgoing.number);
        hq_strlcpy(s->outgoing.clerk, s->staff_clerk, sizeof s->outgoing.clerk);
        hq_strlcpy(s->outgoing.pin, s->staff_pin, sizeof s->outgoing.pin);
        s->wanted = KIOSK_REQ_REACTIVATE;
        ks_note(s, 0, "%s", KS_TR(s, KT_STAFF_CHECKING));
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
            ks_note(s, 1, "%s", KS_TR(s, KT_REASON_NEEDED));
            return;
        }
        hq_strlcpy(s->reason, s->form_reason, sizeof s->reason);
        ks_issue(s, now);
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
        ks_staff_home(s, now);
        return;
    }
    if (s->wanted == KIOSK_REQ_NONE && s->inflight == KIOSK_REQ_NONE)
        s->wanted = KIOSK_REQ_REFRESH;
    ks_forget_citizen(s);
    ks_home(s, now);
}

static void s_result_key(kiosk_session_t *s, int key, int64_t now)
{
    if (key == 'r' || key == 'R') {
        if (kiosk_session_may_reprint(s))
            ks_reprint(s, now);
        else
            ks_note(s, 1, "%s", KS_TR(s, KT_REPRINT_LATE));
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
        ks_enter(s, KIOSK_S_QUIT, now);
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
            greenlane_wipe(s->form_booking, sizeof s->form_booking);
            ks_enter(s, KIOSK_S_CHECK_IN, now);
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
        ks_unanswered(s, now);
    int busy = s->state == KIOSK_S_ISSUING || s->state == KIOSK_S_PRINTING;
    /* Staff mode ends by itself: a kiosk left signed in would be anyone's. */
    if ((kiosk_session_staff(s) || s->state == KIOSK_S_STAFF_LOGIN) && !busy &&
        now - s->input >= KIOSK_STAFF_IDLE_MS) {
        ks_staff_end(s);
        ks_forget_citizen(s);
        ks_home(s, now);
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
            ks_forget_citizen(s); /* whoever comes next is another citizen */
            ks_home(s, now);
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
