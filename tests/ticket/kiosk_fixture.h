/* Fixtures for the kiosk's session and view tests: a catalog reply, a fake hallqd that
 * answers issue requests the way the real one does (a repeated token gets the ticket it
 * already has, so "one ticket only" is counted, not assumed), and helpers that drive the
 * session with keys, replies and the clock as values and read the screen it makes. */
#ifndef HQ_TICKET_TEST_KIOSK_FIXTURE_H
#define HQ_TICKET_TEST_KIOSK_FIXTURE_H

#include "hq_text.h"
#include "kiosk_texts.h"
#include "record.h"
#include "session.h"
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FX_TIMEOUT 700
#define FX_PREFIX "kiosk7-42-1795398060000"

static const idnum_date_t FX_TODAY = {2026, 11, 23};

static const char *fx_catalog_json =
    "{\"v\":1,\"type\":\"catalog\",\"ok\":true,\"id\":\"c1\","
    "\"hall\":{\"name\":\"医保服务大厅\",\"ticket_footer\":\"当日有效\","
    "\"timezone\":\"Asia/Shanghai\"},"
    "\"rules\":{\"elderly_age\":60,\"green_max_in_row\":3},"
    "\"queues\":[{\"prefix\":\"A\",\"name\":\"参保登记与变更\",\"instant\":true},"
    "{\"prefix\":\"B\",\"name\":\"参保查询与参保凭证\",\"instant\":true}],"
    "\"services\":[{\"no\":1,\"queue\":\"A\",\"main_item\":\"参保登记\","
    "\"sub_item\":\"单位参保登记\",\"materials\":[\"统一社会信用代码证书\",\"登记表\"]},"
    "{\"no\":3,\"queue\":\"A\",\"main_item\":\"参保登记\","
    "\"sub_item\":\"城乡居民参保登记\",\"materials\":[\"有效身份证件\"]}],"
    "\"counters\":[{\"id\":1,\"queues\":\"AB\"}],"
    "\"roster\":true,\"kiosk\":{\"exit_keys\":\"ctrl-x ctrl-q\"}}";

/* ---- a fake hallqd ---------------------------------------------------------------------- */

typedef struct {
    char token[16][HQ_TOKEN_MAX]; /* tokens seen, in order of their tickets */
    char queue[16];               /* the queue of each */
    int issued;                   /* tickets issued */
    int requests;                 /* issue requests answered */
    const char *day;              /* the tickets' day */
} fx_fake_t;

static inline hq_reply_t fx_decode(const char *text)
{
    hq_reply_t r;
    if (hq_reply_decode(text, strlen(text), &r) != HQ_OK)
        fail_msg("fixture reply does not decode: %s", text);
    return r;
}

/* Answers an issue request: a new token gets a new ticket, a known one the ticket it has. */
static inline hq_reply_t fx_fake_issue(fx_fake_t *f, const hq_request_t *req)
{
    assert_int_equal(req->type, HQ_REQ_ISSUE);
    f->requests++;
    int n = 0;
    while (n < f->issued && strcmp(f->token[n], req->token) != 0)
        n++;
    if (n == f->issued) {
        assert_true(f->issued < 16);
        snprintf(f->token[n], HQ_TOKEN_MAX, "%s", req->token);
        f->queue[n] = req->queue;
        f->issued++;
    }
    char text[2048];
    snprintf(text, sizeof text,
             "{\"v\":1,\"type\":\"issue\",\"ok\":true,\"id\":\"x\",\"ticket\":{\"id\":%d,"
             "\"day\":\"%s\",\"label\":\"%c%03d\",\"prefix\":\"%c\",\"number\":%d,"
             "\"queue\":\"%c\",\"service\":%d,\"lane\":\"%s\",\"age_band\":null,"
             "\"state\":\"waiting\",\"issued_ms\":1795398060000,\"called_ms\":null,"
             "\"last_called_ms\":null,\"started_ms\":null,\"finished_ms\":null,"
             "\"parked_ms\":null,\"park_total_ms\":0,\"calls\":0,\"counter\":null,"
             "\"clerk\":null,\"reason\":null,\"rating\":null,\"transfers\":0},\"ahead\":2,"
             "\"est_wait_ms\":480000,\"queue_name\":\"参保登记与变更\",\"service_name\":\"\"}",
             n + 1, f->day ? f->day : "2026-11-23", f->queue[n], n + 1, f->queue[n], n + 1,
             f->queue[n], req->service, req->elderly ? "green" : "normal");
    return fx_decode(text);
}

/* ---- driving the session ---------------------------------------------------------------- */

typedef struct {
    kiosk_session_t s;
    int64_t now;
    fx_fake_t fake;
    kiosk_view_t view;
} fx_t;

static inline int fx_setup(void **state)
{
    /* Screen widths are counted as a terminal counts them: in a UTF-8 locale. */
    if (hq_text_locale() != 0)
        return -1;
    fx_t *fx = calloc(1, sizeof *fx);
    fx->now = 1000000;
    kiosk_session_init(&fx->s, UI_LANG_ZH, "tcp://127.0.0.1:5570", FX_TIMEOUT, FX_PREFIX, fx->now,
                       FX_TODAY);
    *state = fx;
    return 0;
}

static inline int fx_teardown(void **state)
{
    fx_t *fx = *state;
    kiosk_session_free(&fx->s);
    free(fx);
    return 0;
}

/* The next action, which must be `what`. */
static inline kiosk_action_t fx_expect(fx_t *fx, kiosk_do_t what)
{
    kiosk_action_t act;
    if (!kiosk_session_next(&fx->s, fx->now, &act))
        act.what = KIOSK_DO_NOTHING;
    if (act.what != what)
        fail_msg("action %d, want %d (state %s, note '%s')", (int)act.what, (int)what,
                 kiosk_state_name(fx->s.state), fx->s.note);
    return act;
}

static inline void fx_nothing(fx_t *fx)
{
    fx_expect(fx, KIOSK_DO_NOTHING);
}

static inline void fx_keys(fx_t *fx, const char *keys)
{
    for (const char *k = keys; *k; k++)
        kiosk_session_key(&fx->s, *k == '\n' ? KIOSK_KEY_ENTER : *k, fx->now);
}

static inline void fx_key(fx_t *fx, int key)
{
    kiosk_session_key(&fx->s, key, fx->now);
}

static inline void fx_advance(fx_t *fx, int64_t ms)
{
    fx->now += ms;
    kiosk_session_tick(&fx->s, fx->now, FX_TODAY);
}

static inline void fx_reply(fx_t *fx, hq_reply_t r)
{
    kiosk_session_reply(&fx->s, &r, fx->now);
    hq_reply_clear(&r);
}

/* The screen as a person sees it: `text` is on it (with the role, when role >= 0). */
static inline void fx_shows(fx_t *fx, const char *text, int role)
{
    kiosk_view_build(&fx->view, &fx->s, 100, 34);
    kiosk_role_t got;
    int row = kiosk_view_find(&fx->view, text, &got);
    if (row < 0)
        fail_msg("the screen (state %s) does not show '%s'", kiosk_state_name(fx->s.state), text);
    if (role >= 0 && (int)got != role)
        fail_msg("'%s' is shown with role %d, want %d", text, (int)got, role);
}

static inline void fx_lacks(fx_t *fx, const char *text)
{
    kiosk_view_build(&fx->view, &fx->s, 100, 34);
    if (kiosk_view_find(&fx->view, text, NULL) >= 0)
        fail_msg("the screen (state %s) shows '%s'", kiosk_state_name(fx->s.state), text);
}

/* Offline until the catalog comes: then the start page. */
static inline void fx_online(fx_t *fx)
{
    kiosk_action_t act = fx_expect(fx, KIOSK_DO_SEND);
    assert_int_equal(act.request.type, HQ_REQ_CATALOG);
    fx_reply(fx, fx_decode(fx_catalog_json));
    assert_int_equal(fx->s.state, KIOSK_S_QUEUES);
    fx_nothing(fx);
}

/* Category A, service 3 (城乡居民参保登记): the confirm page. */
static inline void fx_choose(fx_t *fx)
{
    fx_keys(fx, "1");
    assert_int_equal(fx->s.state, KIOSK_S_SERVICES);
    fx_keys(fx, "2");
    assert_int_equal(fx->s.state, KIOSK_S_CONFIRM);
    assert_int_equal(fx->s.service, 3);
}

/* Online, category A, service 3: the confirm page. */
static inline void fx_confirm(fx_t *fx)
{
    fx_online(fx);
    fx_choose(fx);
}

/* Enter on the confirm page; the issue request that goes out. */
static inline hq_request_t fx_take(fx_t *fx)
{
    fx_keys(fx, "\n");
    assert_int_equal(fx->s.state, KIOSK_S_ISSUING);
    return fx_expect(fx, KIOSK_DO_SEND).request;
}

/* hallqd answers: keep, print (all well), result. Returns the label. */
static inline const char *fx_issued(fx_t *fx, const hq_request_t *req)
{
    fx_reply(fx, fx_fake_issue(&fx->fake, req));
    assert_int_equal(fx->s.state, KIOSK_S_PRINTING);
    fx_shows(fx, "正在打印号票", KIOSK_R_STRONG);
    kiosk_action_t keep = fx_expect(fx, KIOSK_DO_KEEP);
    kiosk_session_kept(&fx->s, 1, "");
    kiosk_action_t print = fx_expect(fx, KIOSK_DO_PRINT);
    assert_ptr_equal(keep.record, print.record); /* the ticket kept is the ticket printed */
    assert_false(print.reprint);
    kiosk_session_printed(&fx->s, 1, "", 0, fx->now);
    assert_int_equal(fx->s.state, KIOSK_S_RESULT);
    fx_nothing(fx);
    static record_info_t info;
    char why[128];
    assert_int_equal(record_info(fx->s.last, &info, why, sizeof why), 0);
    return info.ticket.label;
}

/* Signs staff member wang in (PIN 2468) on the sign-in page, hallqd saying yes: staff mode. */
static inline void fx_sign_in(fx_t *fx)
{
    assert_int_equal(fx->s.state, KIOSK_S_STAFF_LOGIN);
    fx_keys(fx, "wang\n2468\n");
    kiosk_action_t act = fx_expect(fx, KIOSK_DO_SEND);
    assert_int_equal(act.request.type, HQ_REQ_STAFF);
    assert_string_equal(act.request.clerk, "wang");
    assert_string_equal(act.request.pin, "2468");
    fx_reply(fx, fx_decode("{\"v\":1,\"type\":\"staff\",\"ok\":true,\"clerk\":\"wang\"}"));
    assert_int_equal(fx->s.state, KIOSK_S_STAFF);
}

/* The key of what the screen shows as `label`, as a tap on it gives it. */
static inline int fx_tap_key(fx_t *fx, const char *label)
{
    kiosk_view_build(&fx->view, &fx->s, 100, 34);
    int key = kiosk_view_target_key(&fx->view, label);
    if (!key)
        fail_msg("the screen (state %s) has no target '%s'", kiosk_state_name(fx->s.state), label);
    return key;
}

/* Taps what the screen shows as `label`. */
static inline void fx_tap(fx_t *fx, const char *label)
{
    kiosk_session_key(&fx->s, fx_tap_key(fx, label), fx->now);
}

/* A cmocka test with a fresh session (fx_t) in *state. */
#define FX_TEST(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)

#endif
