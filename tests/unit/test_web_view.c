/* What the progress page shows of a ticket (apps/web/web_view.h): the people ahead by the
 * protocol's rule, the sentences of each state, the estimate counting down, and nothing of
 * anyone else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "web_view.h"

/* Two windows: 1 serves A and B, 2 serves C. */
static void s_hall(hq_mirror_t *m)
{
    hq_mirror_init(m, 3000);
    m->state = HQ_SYNC_ACTIVE;
    snprintf(m->hall_name, sizeof m->hall_name, "惠平镇医保服务站");
    m->ncounters = 2;
    m->counters[0].id = 1;
    snprintf(m->counters[0].queues, sizeof m->counters[0].queues, "AB");
    m->counters[1].id = 2;
    snprintf(m->counters[1].queues, sizeof m->counters[1].queues, "C");
    m->tickets_cap = 16;
    m->tickets = calloc(16, sizeof *m->tickets);
}

static hq_ticket_t *s_add(hq_mirror_t *m, int64_t id, const char *label, int green)
{
    hq_ticket_t *t = &m->tickets[m->ntickets++];
    memset(t, 0, sizeof *t);
    t->id = id;
    snprintf(t->label, sizeof t->label, "%s", label);
    snprintf(t->day, sizeof t->day, "2026-12-07");
    t->prefix = t->queue = label[0];
    t->green = green;
    t->state = HQ_T_WAITING;
    return t;
}

static void test_ahead(void **state)
{
    (void)state;
    hq_mirror_t m;
    s_hall(&m);
    s_add(&m, 1, "A001", 0);
    s_add(&m, 2, "B001", 0);
    s_add(&m, 3, "C001", 0); /* another window's queue: never ahead of A or B */
    s_add(&m, 4, "A002", 1); /* green */
    hq_ticket_t *a3 = s_add(&m, 5, "A003", 0);
    s_add(&m, 6, "B002", 1); /* green, after A003: still ahead of a normal ticket */
    hq_ticket_t *a4 = s_add(&m, 7, "A004", 1);
    assert_int_equal(web_view_ahead(&m, a3), 5); /* A001 B001, and every green: A002 B002 A004 */
    assert_int_equal(web_view_ahead(&m, a4), 2); /* A002 B002: the green before it */
    assert_int_equal(web_view_ahead(&m, &m.tickets[2]), 0); /* C001 */
    m.tickets[0].state = HQ_T_CALLED;                       /* A001 at a window: no longer ahead */
    assert_int_equal(web_view_ahead(&m, a3), 4);
    /* All at once: the same figures. */
    int all[16];
    web_view_ahead_all(&m, all);
    for (int i = 0; i < m.ntickets; i++)
        if (m.tickets[i].state == HQ_T_WAITING)
            assert_int_equal(all[i], web_view_ahead(&m, &m.tickets[i]));
    hq_mirror_free(&m);
}

static const char *s_str(const json_t *j, const char *key)
{
    return json_string_value(json_object_get(j, key));
}

static void test_states(void **state)
{
    (void)state;
    hq_mirror_t m;
    s_hall(&m);
    s_add(&m, 1, "A001", 0);
    hq_ticket_t *mine = s_add(&m, 2, "A002", 0);
    web_follow_t f;
    memset(&f, 0, sizeof f);
    f.mirror_at = -1;
    f.ticket = *mine;
    snprintf(f.service_name, sizeof f.service_name, "城乡居民参保登记");
    f.est_wait_ms = 9 * 60000;
    f.est_at_ms = 1000000;

    json_t *v = web_view_ticket(&m, &f, NULL, UI_LANG_ZH, 1000000 + 60000);
    assert_string_equal(s_str(v, "label"), "A002");
    assert_string_equal(s_str(v, "service"), "城乡居民参保登记");
    assert_string_equal(s_str(v, "ahead_text"), "前面还有 1 人");
    assert_string_equal(s_str(v, "wait_text"), "预计等候约 8 分钟"); /* 9 min, one gone by */
    assert_string_equal(s_str(v, "offline_text"), "");
    char *text = json_dumps(v, 0);
    assert_null(strstr(text, "A001")); /* nothing of anyone else */
    free(text);
    json_decref(v);
    v = web_view_ticket(&m, &f, NULL, UI_LANG_EN, 1000000 + 10 * 60000);
    assert_string_equal(s_str(v, "ahead_text"), "1 people ahead of you");
    assert_string_equal(s_str(v, "wait_text"), "Your turn is coming: listen for the call");
    json_decref(v);

    /* Called to window 3: the big line; the call's moment, for the page to ring. */
    mine->state = HQ_T_CALLED;
    mine->counter = 3;
    mine->last_called_ms = 1234;
    v = web_view_ticket(&m, &f, NULL, UI_LANG_ZH, 1000000);
    assert_string_equal(s_str(v, "line"), "请到 3 号窗口");
    assert_int_equal(json_integer_value(json_object_get(v, "call_ms")), 1234);
    assert_string_equal(s_str(v, "ahead_text"), "");
    json_decref(v);

    /* Gone from the mirror (finished): as the follow last knew it. */
    m.ntickets = 1;
    f.ticket.state = HQ_T_FINISHED;
    v = web_view_ticket(&m, &f, NULL, UI_LANG_ZH, 1000000);
    assert_string_equal(s_str(v, "line"), "已办结");
    json_decref(v);

    /* The daemon silent: said so. */
    m.state = HQ_SYNC_OFFLINE;
    v = web_view_ticket(&m, &f, NULL, UI_LANG_ZH, 1000000);
    assert_true(json_is_true(json_object_get(v, "offline")));
    assert_non_null(strstr(s_str(v, "offline_text"), "离线"));
    json_decref(v);
    hq_mirror_free(&m);
}

static void test_token_form(void **state)
{
    (void)state;
    assert_true(web_token_form("q2hVd3lHY0Rtb1pRb2pW-_"));
    assert_false(web_token_form("q2hVd3lHY0Rtb1pRb2pWd"));   /* 21 */
    assert_false(web_token_form("q2hVd3lHY0Rtb1pRb2pWd/w")); /* 23 */
    assert_false(web_token_form("q2hVd3lHY0Rtb1pRb2p.dw"));
    assert_false(web_token_form(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ahead),
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_token_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
