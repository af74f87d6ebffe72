/* The display model on top of the hall mirror: the Clone-pattern sync as the screen sees it
 * (duplicates dropped, a gap re-snapshots, silence means offline, recovery), which call is
 * the newest, what the list holds, what gets spoken, and the flash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

#define T0 1000000           /* monotonic clock at the start of each test */
#define WALL 1700000000000LL /* daemon's wall clock around the calls */

/* The counters of a snapshot, as the daemon would hold them after the calls in `recent`
 * (newest first): windows 1 and 2 and any window called, each calling the newest ticket it
 * called, idle when it called none. */
static void s_counters_after(const char *recent, char *out, size_t outlen)
{
    json_t *calls = json_loads(recent, 0, NULL);
    assert_non_null(calls);
    int ids[16] = {1, 2}, nids = 2;
    size_t i;
    json_t *c;
    json_array_foreach(calls, i, c)
    {
        int id = (int)json_integer_value(json_object_get(c, "counter")), known = 0;
        for (int k = 0; k < nids; k++)
            known |= ids[k] == id;
        if (!known && nids < 16)
            ids[nids++] = id;
    }
    size_t len = (size_t)snprintf(out, outlen, "[");
    for (int k = 0; k < nids; k++) {
        const char *label = NULL;
        json_array_foreach(
            calls, i, c) if (!label && json_integer_value(json_object_get(c, "counter")) == ids[k])
            label = json_string_value(json_object_get(c, "label"));
        len += (size_t)snprintf(out + len, outlen - len,
                                "%s{\"id\":%d,\"queues\":\"AB\",\"state\":\"%s\",\"clerk\":\"c%d\","
                                "\"current\":%d,\"current_label\":\"%s\"}",
                                k ? "," : "", ids[k], label ? "calling" : "idle", ids[k],
                                label ? 100 + k : 0, label ? label : "");
    }
    snprintf(out + len, outlen - len, "]");
    json_decref(calls);
}

/* A snapshot at sequence seq with the given recent_calls JSON array (newest first) and the
 * given counters (NULL: as s_counters_after makes them). */
static void s_load_with(hq_mirror_t *m, int seq, const char *recent, const char *counters,
                        int64_t now)
{
    char text[8192], made[4096];
    if (!counters) {
        s_counters_after(recent, made, sizeof made);
        counters = made;
    }
    snprintf(text, sizeof text,
             "{\"seq\":%d,\"day\":\"2026-11-23\",\"heartbeat_ms\":1000,\"target_ms\":600000,"
             "\"hall\":{\"name\":\"市医保服务大厅\",\"notice\":\"请按顺序\"},"
             "\"queues\":[{\"prefix\":\"A\",\"name\":\"参保登记\",\"instant\":true,"
             "\"waiting\":3,\"green\":1},"
             "{\"prefix\":\"B\",\"name\":\"异地就医\",\"instant\":true,\"waiting\":0,"
             "\"green\":0}],"
             "\"counters\":%s,"
             "\"tickets\":[],\"recent_calls\":%s,"
             "\"metric\":{\"count\":0,\"avg_ms\":0,\"within\":0},\"avg_wait_ms\":240000}",
             seq, counters, recent);
    json_t *snap = json_loads(text, 0, NULL);
    assert_non_null(snap);
    assert_int_equal(hq_mirror_load_snapshot(m, snap, now), HQ_OK);
    json_decref(snap);
}

static void s_load(hq_mirror_t *m, int seq, const char *recent, int64_t now)
{
    s_load_with(m, seq, recent, NULL, now);
}

/* A called / recalled event for label at counter, ticket id and green flag. */
static void s_call_event(hq_event_t *ev, const char *topic, int seq, int id, const char *label,
                         int counter, int green, long long ts)
{
    char text[1024];
    snprintf(text, sizeof text,
             "{\"seq\":%d,\"ts_ms\":%lld,\"ticket\":{\"id\":%d,\"label\":\"%s\",\"prefix\":\"%c\","
             "\"queue\":\"%c\",\"lane\":\"%s\",\"state\":\"called\",\"counter\":%d,"
             "\"issued_ms\":5,\"last_called_ms\":%lld},"
             "\"counter\":{\"id\":%d,\"queues\":\"AB\",\"state\":\"calling\",\"clerk\":\"wang\","
             "\"current\":%d,\"current_label\":\"%s\"}}",
             seq, ts, id, label, label[0], label[0], green ? "green" : "normal", counter, ts,
             counter, id, label);
    assert_int_equal(hq_event_decode(topic, text, strlen(text), ev), HQ_OK);
}

typedef struct {
    hq_mirror_t m;
    dm_t dm;
} s_fix_t;

/* Feeds one event the way hq_feed does: mirror first, then the model. Returns what the
 * model says to announce (1) or not (0); *result gets the mirror's verdict. */
static int s_feed(s_fix_t *f, const char *topic, int seq, int id, const char *label, int counter,
                  int green, long long ts, int64_t now, dm_call_t *call, hq_apply_t *result)
{
    hq_event_t ev;
    s_call_event(&ev, topic, seq, id, label, counter, green, ts);
    hq_apply_t r = hq_mirror_apply(&f->m, &ev, now);
    if (result)
        *result = r;
    dm_call_t ignored;
    int say = dm_on_event(&f->dm, &ev, r, now, call ? call : &ignored);
    hq_event_clear(&ev);
    return say;
}

static int s_update(s_fix_t *f, int64_t now, int64_t wall, dm_call_t *fresh)
{
    dm_call_t ignored[DM_LIST_MAX];
    return dm_update(&f->dm, &f->m, now, wall, fresh ? fresh : ignored, DM_LIST_MAX);
}

static void s_setup(s_fix_t *f, dm_mode_t mode, int counter)
{
    hq_mirror_init(&f->m, 3000);
    dm_init(&f->dm, mode, counter);
}

static void test_before_snapshot_connecting(void **state)
{
    (void)state;
    s_fix_t f;
    s_setup(&f, DM_HALL, 0);
    assert_int_equal(s_update(&f, T0, WALL, NULL), 0);
    assert_int_equal(f.dm.link, DM_LINK_CONNECTING);
    assert_false(f.dm.had_data);
    /* Events before the snapshot cannot be placed and are not spoken. */
    hq_apply_t r;
    assert_int_equal(s_feed(&f, "called", 5, 1, "A001", 1, 0, WALL, T0, NULL, &r), 0);
    assert_int_equal(r, HQ_APPLY_IGNORED);
    hq_mirror_free(&f.m);
}

static void test_late_start_shows_state_silently(void **state)
{
    (void)state;
    s_fix_t f;
    s_setup(&f, DM_HALL, 0);
    /* Switched on after two calls, the second one just now: shown, not spoken. */
    s_load(&f.m, 20,
           "[{\"label\":\"A002\",\"counter\":2,\"ts_ms\":1700000000000,\"recall\":false,"
           "\"lane\":\"green\"},{\"label\":\"A001\",\"counter\":1,\"ts_ms\":1699999990000,"
           "\"recall\":false,\"lane\":\"normal\"}]",
           T0);
    assert_int_equal(s_update(&f, T0, WALL + 500, NULL), 0);
    assert_int_equal(f.dm.link, DM_LINK_LIVE);
    assert_true(f.dm.has_current);
    assert_string_equal(f.dm.current.label, "A002");
    assert_int_equal(f.dm.current.counter, 2);
    assert_true(f.dm.current.green);
    assert_int_equal(f.dm.nlist, 1);
    assert_string_equal(f.dm.list[0].label, "A001");
    assert_string_equal(f.dm.hall_name, "市医保服务大厅");
    assert_int_equal(f.dm.nqueues, 2);
    assert_int_equal(f.dm.queues[0].prefix, 'A');
    assert_int_equal(f.dm.queues[0].waiting, 3);
    assert_int_equal(f.dm.queues[0].green, 1);
    assert_string_equal(f.dm.queues[1].name, "异地就医");
    assert_int_equal(f.dm.avg_wait_ms, 240000);
    assert_false(dm_flashing(&f.dm, T0));
    hq_mirror_free(&f.m);
}

static void test_newest_list_and_recall(void **state)
{
    (void)state;
    s_fix_t f;
    s_setup(&f, DM_HALL, 0);
    s_load(&f.m, 10, "[]", T0);
    s_update(&f, T0, WALL, NULL);
    assert_false(f.dm.has_current);
    dm_call_t call;
    assert_int_equal(s_feed(&f, "called", 11, 1, "A001", 1, 0, WALL + 1000, T0 + 10, &call, NULL),
                     1);
    assert_string_equal(call.label, "A001");
    assert_int_equal(call.counter, 1);
    assert_false(call.recall);
    assert_int_equal(s_feed(&f, "called", 12, 2, "B001", 2, 1, WALL + 2000, T0 + 20, &call, NULL),
                     1);
    assert_true(call.green);
    assert_int_equal(s_feed(&f, "called", 13, 3, "A002", 1, 0, WALL + 3000, T0 + 30, &call, NULL),
                     1);
    assert_int_equal(s_update(&f, T0 + 40, WALL + 3100, NULL), 0);
    assert_string_equal(f.dm.current.label, "A002");
    assert_int_equal(f.dm.nlist, 2);
    assert_string_equal(f.dm.list[0].label, "B001");
    assert_string_equal(f.dm.list[1].label, "A001");
    /* A recall is spoken again, goes on top, and the list holds each ticket once. */
    assert_int_equal(s_feed(&f, "recalled", 14, 2, "B001", 2, 1, WALL + 4000, T0 + 50, &call, NULL),
                     1);
    assert_true(call.recall);
    assert_string_equal(call.label, "B001");
    s_update(&f, T0 + 60, WALL + 4100, NULL);
    assert_string_equal(f.dm.current.label, "B001");
    assert_int_equal(f.dm.nlist, 2);
    assert_string_equal(f.dm.list[0].label, "A002");
    assert_string_equal(f.dm.list[1].label, "A001");
    hq_mirror_free(&f.m);
}

static void test_duplicates_not_spoken_twice(void **state)
{
    (void)state;
    s_fix_t f;
    s_setup(&f, DM_HALL, 0);
    s_load(&f.m, 10, "[]", T0);
    s_update(&f, T0, WALL, NULL);
    hq_apply_t r;
    assert_int_equal(s_feed(&f, "called", 11, 1, "A001", 1, 0, WALL, T0, NULL, &r), 1);
    assert_int_equal(r, HQ_APPLY_OK);
    /* The same event again (a reconnect, a repeated publish): dropped, silent. */
    assert_int_equal(s_feed(&f, "called", 11, 1, "A001", 1, 0, WALL, T0 + 5, NULL, &r), 0);
    assert_int_equal(r, HQ_APPLY_DUPLICATE);
    /* One already in the snapshot: dropped as well. */
    assert_int_equal(s_feed(&f, "called", 9, 7, "A007", 1, 0, WALL, T0 + 6, NULL, &r), 0);
    assert_int_equal(r, HQ_APPLY_DUPLICATE);
    assert_int_equal(s_update(&f, T0 + 10, WALL, NULL), 0);
    assert_int_equal(f.dm.nlist, 0);
    assert_string_equal(f.dm.current.label, "A001");
    hq_mirror_free(&f.m);
}

static void test_gap_resync_speaks_missed_call_once(void **state)
{
    (void)state;
    s_fix_t f;
    s_setup(&f, DM_HALL, 0);
    s_load(&f.m, 10, "[]", T0);
    s_update(&f, T0, WALL, NULL);
    assert_int_equal(s_feed(&f, "called", 11, 1, "A001", 1, 0, WALL, T0, NULL, NULL), 1);
    /* Event 12 is lost; 13 shows the gap and is not applied. */
    hq_apply_t r;
    assert_int_equal(s_feed(&f, "called", 13, 3, "A003", 2, 0, WALL + 2000, T0 + 100, NULL, &r), 0);
    assert_int_equal(r, HQ_APPLY_GAP);
    assert_int_equal(s_update(&f, T0 + 100, WALL + 2000, NULL), 0);
    assert_int_equal(f.dm.link, DM_LINK_RESYNCING);
    assert_string_equal(f.dm.current.label, "A001"); /* kept while the snapshot comes */
    /* The new snapshot holds both calls made in the meantime and the old one. */
    s_load(&f.m, 13,
           "[{\"label\":\"A003\",\"counter\":2,\"ts_ms\":1700000002000,\"recall\":false},"
           "{\"label\":\"A002\",\"counter\":1,\"ts_ms\":1700000001000,\"recall\":false},"
           "{\"label\":\"A001\",\"counter\":1,\"ts_ms\":1700000000000,\"recall\":false}]",
           T0 + 200);
    dm_call_t fresh[DM_LIST_MAX];
    int n = s_update(&f, T0 + 200, WALL + 2500, fresh);
    assert_int_equal(n, 2);
    assert_string_equal(fresh[0].label, "A002"); /* oldest first */
    assert_string_equal(fresh[1].label, "A003");
    assert_int_equal(f.dm.link, DM_LINK_LIVE);
    assert_string_equal(f.dm.current.label, "A003");
    assert_true(dm_flashing(&f.dm, T0 + 200));
    /* Nothing is spoken a second time by the next update or the next event. */
    assert_int_equal(s_update(&f, T0 + 300, WALL + 2600, fresh), 0);
    assert_int_equal(s_feed(&f, "called", 14, 4, "A004", 1, 0, WALL + 3000, T0 + 400, NULL, &r), 1);
    assert_int_equal(r, HQ_APPLY_OK);
    assert_int_equal(s_update(&f, T0 + 500, WALL + 3100, fresh), 0);
    hq_mirror_free(&f.m);
}

static void test_silence_offline_and_recovery(void **state)
{
    (void)state;
    s_fix_t f;
    s_setup(&f, DM_HALL, 0);
    s_load(&f.m, 10,
           "[{\"label\":\"A001\",\"counter\":1,\"ts_ms\":1700000000000,\"recall\":false}]", T0);
    s_update(&f, T0, WALL, NULL);
    assert_int_equal(f.dm.link, DM_LINK_LIVE);
    /* Silence shorter than 3 heartbeats: still live. */
    assert_int_equal(hq_mirror_tick(&f.m, T0 + 2900), 0);
    s_update(&f, T0 + 2900, WALL, NULL);
    assert_int_equal(f.dm.link, DM_LINK_LIVE);
    /* Longer: offline, and the old picture is kept but marked. */
    assert_int_equal(hq_mirror_tick(&f.m, T0 + 3100), 1);
    s_update(&f, T0 + 3100, WALL, NULL);
    assert_int_equal(f.dm.link, DM_LINK_OFFLINE);
    assert_true(f.dm.had_data);
    assert_string_equal(f.dm.current.label, "A001");
    /* The daemon is back: its first heartbeat moves to resync, events wait for the snapshot. */
    hq_event_t hb;
    const char *body = "{\"seq\":30,\"ts_ms\":1}";
    assert_int_equal(hq_event_decode("heartbeat", body, strlen(body), &hb), HQ_OK);
    dm_call_t call;
    assert_int_equal(
        dm_on_event(&f.dm, &hb, hq_mirror_apply(&f.m, &hb, T0 + 60000), T0 + 60000, &call), 0);
    hq_event_clear(&hb);
    s_update(&f, T0 + 60000, WALL + 60000, NULL);
    assert_int_equal(f.dm.link, DM_LINK_RESYNCING);
    /* The snapshot: a call made 50 s ago during the outage is shown but not spoken (late),
     * one made 5 s ago is spoken. */
    s_load(&f.m, 30,
           "[{\"label\":\"A003\",\"counter\":2,\"ts_ms\":1700000055000,\"recall\":false},"
           "{\"label\":\"A002\",\"counter\":1,\"ts_ms\":1700000010000,\"recall\":false},"
           "{\"label\":\"A001\",\"counter\":1,\"ts_ms\":1700000000000,\"recall\":false}]",
           T0 + 60100);
    dm_call_t fresh[DM_LIST_MAX];
    assert_int_equal(s_update(&f, T0 + 60100, WALL + 60000, fresh), 1);
    assert_string_equal(fresh[0].label, "A003");
    assert_int_equal(f.dm.link, DM_LINK_LIVE);
    assert_string_equal(f.dm.current.label, "A003");
    assert_int_equal(f.dm.nlist, 2);
    hq_mirror_free(&f.m);
}

static void test_never_connected_goes_offline(void **state)
{
    (void)state;
    s_fix_t f;
    s_setup(&f, DM_HALL, 0);
    hq_mirror_tick(&f.m, T0);
    assert_int_equal(hq_mirror_tick(&f.m, T0 + 3500), 1);
    s_update(&f, T0 + 3500, WALL, NULL);
    assert_int_equal(f.dm.link, DM_LINK_OFFLINE);
    assert_false(f.dm.had_data);
    assert_false(f.dm.has_current);
    hq_mirror_free(&f.m);
}

static void test_flash_timing(void **state)
{
    (void)state;
    s_fix_t f;
    s_setup(&f, DM_HALL, 0);
    s_load(&f.m, 10, "[]", T0);
    s_update(&f, T0, WALL, NULL);
    assert_false(dm_flashing(&f.dm, T0));
    assert_int_equal(s_feed(&f, "called", 11, 1, "A001", 1, 0, WALL, T0 + 1000, NULL, NULL), 1);
    assert_true(dm_flashing(&f.dm, T0 + 1000));
    assert_true(dm_flash_on(&f.dm, T0 + 1000));
    assert_true(dm_flash_on(&f.dm, T0 + 1000 + DM_FLASH_PHASE_MS - 1));
    assert_false(dm_flash_on(&f.dm, T0 + 1000 + DM_FLASH_PHASE_MS));
    assert_true(dm_flash_on(&f.dm, T0 + 1000 + 2 * DM_FLASH_PHASE_MS));
    assert_true(dm_flashing(&f.dm, T0 + 1000 + DM_FLASH_MS - 1));
    assert_false(dm_flashing(&f.dm, T0 + 1000 + DM_FLASH_MS));
    assert_false(dm_flash_on(&f.dm, T0 + 1000 + DM_FLASH_MS + 10));
    /* A second call restarts it. */
    assert_int_equal(s_feed(&f, "called", 12, 2, "A002", 2, 0, WALL + 1,
                            T0 + 1000 + DM_FLASH_MS + 100, NULL, NULL),
                     1);
    assert_true(dm_flash_on(&f.dm, T0 + 1000 + DM_FLASH_MS + 100));
    hq_mirror_free(&f.m);
}

static void test_counter_mode(void **state)
{
    (void)state;
    s_fix_t f;
    s_setup(&f, DM_COUNTER, 2);
    s_load(&f.m, 10, "[]", T0);
    s_update(&f, T0, WALL, NULL);
    assert_true(f.dm.counter_known);
    assert_int_equal(f.dm.counter.state, HQ_C_IDLE);
    /* A call at window 1: not this screen's, silent, no flash. */
    assert_int_equal(s_feed(&f, "called", 11, 1, "A001", 1, 0, WALL, T0 + 10, NULL, NULL), 0);
    assert_false(dm_flashing(&f.dm, T0 + 10));
    s_update(&f, T0 + 10, WALL, NULL);
    assert_int_equal(f.dm.counter.state, HQ_C_IDLE);
    /* A call here: spoken, flashing, shown. */
    dm_call_t call;
    assert_int_equal(s_feed(&f, "called", 12, 2, "B005", 2, 1, WALL + 1, T0 + 20, &call, NULL), 1);
    assert_string_equal(call.label, "B005");
    assert_true(dm_flashing(&f.dm, T0 + 20));
    s_update(&f, T0 + 20, WALL + 1, NULL);
    assert_int_equal(f.dm.counter.state, HQ_C_CALLING);
    assert_string_equal(f.dm.counter.current_label, "B005");
    assert_true(f.dm.counter_green);
    /* A window the hall does not have. */
    s_fix_t g;
    s_setup(&g, DM_COUNTER, 9);
    s_load(&g.m, 10, "[]", T0);
    s_update(&g, T0, WALL, NULL);
    assert_false(g.dm.counter_known);
    hq_mirror_free(&f.m);
    hq_mirror_free(&g.m);
}

static void test_notice_and_names(void **state)
{
    (void)state;
    dm_t dm;
    dm_init(&dm, DM_HALL, 0);
    assert_string_equal(dm.notice, "");
    dm_set_notice(&dm, "请按叫号顺序到窗口办理");
    assert_string_equal(dm.notice, "请按叫号顺序到窗口办理");
    dm_set_notice(&dm, NULL);
    assert_string_equal(dm.notice, "");
    assert_string_equal(dm_link_name(DM_LINK_OFFLINE), "offline");
    assert_string_equal(dm_link_name(DM_LINK_LIVE), "live");
}

/* Text the daemon (or its database) sends with escape sequences, controls, bidi overrides or
 * bytes that are not UTF-8 comes into the model without them: the screen draws and the voice
 * says only what is left. */
static void test_hostile_text_made_safe(void **state)
{
    (void)state;
    static const char snap_text[] =
        "{\"seq\":10,\"day\":\"2026-11-23\",\"heartbeat_ms\":1000,"
        "\"hall\":{\"name\":\"大厅\\u001b]0;pwned\\u0007\\u009b2J\"},"
        "\"queues\":[{\"prefix\":\"A\",\"name\":\"参保\\u001b[31m登记\\u202e\",\"waiting\":1,"
        "\"green\":0}],"
        "\"counters\":[{\"id\":1,\"queues\":\"A\",\"state\":\"paused\","
        "\"clerk\":\"wang\\u001b[5m\",\"pause_reason\":\"午\\u001b[2J\\u001b[H休\\u0008\"}],"
        "\"tickets\":[],\"recent_calls\":[{\"label\":\"A\\u001b[8m1\",\"counter\":1,"
        "\"ts_ms\":1700000000000}]}";
    s_fix_t f;
    s_setup(&f, DM_COUNTER, 1);
    json_t *snap = json_loads(snap_text, 0, NULL);
    assert_non_null(snap);
    assert_int_equal(hq_mirror_load_snapshot(&f.m, snap, T0), HQ_OK);
    json_decref(snap);
    s_update(&f, T0, WALL, NULL);
    assert_string_equal(f.dm.hall_name, "大厅");
    assert_string_equal(f.dm.queues[0].name, "参保登记");
    assert_string_equal(f.dm.counter.clerk, "wang");
    assert_string_equal(f.dm.counter.pause_reason, "午休");
    /* Window 1 is paused: its call is history, in the list. */
    assert_false(f.dm.has_current);
    assert_string_equal(f.dm.list[0].label, "A1");
    dm_set_notice(&f.dm, "请\x1b]2;pwned\x1b\\按\xe2\x80\xae顺序\xff");
    assert_string_equal(f.dm.notice, "请按顺序\xEF\xBF\xBD");

    /* A call whose label carries a sequence: what is announced and shown is without it. */
    dm_call_t call;
    assert_int_equal(s_feed(&f, "called", 11, 7, "A\\u001b[H2", 1, 0, WALL, T0 + 5, &call, NULL),
                     1);
    assert_string_equal(call.label, "A2");
    s_update(&f, T0 + 5, WALL, NULL);
    assert_string_equal(f.dm.counter.current_label, "A2");
    assert_string_equal(f.dm.current.label, "A2");
    hq_mirror_free(&f.m);
}

/* A counter event: window `id` in `state` with ticket `current` (0 none) labelled `label`; a
 * ticket that left it (transferred, finished, parked) comes with the event as `ticket_json`. */
static hq_apply_t s_feed_counter(s_fix_t *f, const char *topic, int seq, int id, const char *state,
                                 int current, const char *label, const char *ticket_json,
                                 int64_t now)
{
    char text[2048];
    snprintf(text, sizeof text,
             "{\"seq\":%d,\"ts_ms\":%lld,%s%s%s\"counter\":{\"id\":%d,\"queues\":\"AB\","
             "\"state\":\"%s\",\"clerk\":\"%s\",\"current\":%d,\"current_label\":\"%s\"}}",
             seq, (long long)WALL + seq, ticket_json ? "\"ticket\":" : "",
             ticket_json ? ticket_json : "", ticket_json ? "," : "", id, state,
             strcmp(state, "closed") == 0 ? "" : "wang", current, label);
    hq_event_t ev;
    assert_int_equal(hq_event_decode(topic, text, strlen(text), &ev), HQ_OK);
    hq_apply_t r = hq_mirror_apply(&f->m, &ev, now);
    dm_call_t call;
    assert_int_equal(dm_on_event(&f->dm, &ev, r, now, &call), 0); /* nothing to announce */
    hq_event_clear(&ev);
    return r;
}

/* The big "now calling" line follows its ticket: when the ticket leaves the window that
 * called it (transferred, finished, parked; the window paused or closed), the call before it
 * that is still at its window takes the line, or none does; the calls stay listed. */
static void test_current_follows_its_ticket(void **state)
{
    (void)state;
    s_fix_t f;
    s_setup(&f, DM_HALL, 0);
    s_load(&f.m, 10, "[]", T0);
    s_update(&f, T0, WALL, NULL);
    /* A003 at window 1, A004 at window 2, then E002 at window 3. */
    assert_int_equal(s_feed(&f, "called", 11, 3, "A003", 1, 0, WALL + 1, T0 + 1, NULL, NULL), 1);
    assert_int_equal(s_feed(&f, "called", 12, 4, "A004", 2, 0, WALL + 2, T0 + 2, NULL, NULL), 1);
    assert_int_equal(s_feed(&f, "called", 13, 9, "E002", 3, 0, WALL + 3, T0 + 3, NULL, NULL), 1);
    s_update(&f, T0 + 4, WALL + 4, NULL);
    assert_string_equal(f.dm.current.label, "E002");
    assert_true(dm_flashing(&f.dm, T0 + 4));
    /* The strip: every window, by number, with what it does. */
    assert_int_equal(f.dm.nwindows, 3);
    assert_int_equal(f.dm.windows[0].id, 1);
    assert_int_equal(f.dm.windows[0].state, HQ_C_CALLING);
    assert_string_equal(f.dm.windows[0].label, "A003");
    assert_int_equal(f.dm.windows[2].id, 3);
    assert_string_equal(f.dm.windows[2].label, "E002");

    /* E002 is transferred away from window 3: A004 (still at window 2) takes the line, and
     * the flash, which was E002's, ends. */
    const char *e002 =
        "{\"id\":9,\"label\":\"E002\",\"prefix\":\"E\",\"queue\":\"B\","
        "\"lane\":\"normal\",\"state\":\"waiting\",\"counter\":3,\"issued_ms\":5,\"transfers\":1}";
    assert_int_equal(s_feed_counter(&f, "transferred", 14, 3, "idle", 0, "", e002, T0 + 5),
                     HQ_APPLY_OK);
    s_update(&f, T0 + 5, WALL + 5, NULL);
    assert_true(f.dm.has_current);
    assert_string_equal(f.dm.current.label, "A004");
    assert_int_equal(f.dm.current.counter, 2);
    assert_false(dm_flashing(&f.dm, T0 + 5));
    assert_int_equal(f.dm.nlist, 2);
    assert_string_equal(f.dm.list[0].label, "E002"); /* history, newest first */
    assert_string_equal(f.dm.list[1].label, "A003");
    assert_int_equal(f.dm.windows[2].state, HQ_C_IDLE);
    assert_string_equal(f.dm.windows[2].label, "");
    /* Window 3 pauses. */
    assert_int_equal(s_feed_counter(&f, "counter", 15, 3, "paused", 0, "", NULL, T0 + 6),
                     HQ_APPLY_OK);
    s_update(&f, T0 + 6, WALL + 6, NULL);
    assert_int_equal(f.dm.windows[2].state, HQ_C_PAUSED);
    /* Window 2 parks A004: A003 at window 1 takes the line (a ticket being served is still
     * at its window). */
    const char *a004 = "{\"id\":4,\"label\":\"A004\",\"prefix\":\"A\",\"queue\":\"A\","
                       "\"lane\":\"normal\",\"state\":\"parked\",\"counter\":2,\"issued_ms\":5}";
    assert_int_equal(s_feed_counter(&f, "parked", 16, 2, "idle", 0, "", a004, T0 + 7), HQ_APPLY_OK);
    assert_int_equal(s_feed_counter(&f, "started", 17, 1, "serving", 3, "A003", NULL, T0 + 8),
                     HQ_APPLY_OK);
    s_update(&f, T0 + 8, WALL + 8, NULL);
    assert_string_equal(f.dm.current.label, "A003");
    assert_int_equal(f.dm.windows[0].state, HQ_C_SERVING);
    assert_string_equal(f.dm.windows[0].label, "A003");
    /* Window 1's clerk logs out: no call is at its window any more. */
    assert_int_equal(s_feed_counter(&f, "counter", 18, 1, "closed", 0, "", NULL, T0 + 9),
                     HQ_APPLY_OK);
    s_update(&f, T0 + 9, WALL + 9, NULL);
    assert_false(f.dm.has_current);
    assert_int_equal(f.dm.nlist, 3);
    assert_int_equal(f.dm.windows[0].state, HQ_C_CLOSED);
    /* E002 called again at window 5 after its transfer: on the line at its new window. */
    assert_int_equal(s_feed(&f, "called", 19, 9, "E002", 5, 0, WALL + 10, T0 + 10, NULL, NULL), 1);
    s_update(&f, T0 + 10, WALL + 10, NULL);
    assert_string_equal(f.dm.current.label, "E002");
    assert_int_equal(f.dm.current.counter, 5);
    assert_true(dm_flashing(&f.dm, T0 + 10));
    assert_int_equal(f.dm.nlist, 2); /* E002 once, where it is newest */
    assert_int_equal(f.dm.nwindows, 4);
    assert_int_equal(f.dm.windows[3].id, 5);
    /* Finished there: the line clears. */
    assert_int_equal(s_feed_counter(&f, "finished", 20, 5, "idle", 0, "", NULL, T0 + 11),
                     HQ_APPLY_OK);
    s_update(&f, T0 + 11, WALL + 11, NULL);
    assert_false(f.dm.has_current);
    assert_false(dm_flashing(&f.dm, T0 + 11));
    hq_mirror_free(&f.m);
}

/* A snapshot taken after the ticket left: a screen switched on then does not show it. */
static void test_late_start_after_the_ticket_left(void **state)
{
    (void)state;
    s_fix_t f;
    s_setup(&f, DM_HALL, 0);
    s_load_with(&f.m, 20,
                "[{\"label\":\"E002\",\"counter\":3,\"ts_ms\":1700000000000},"
                "{\"label\":\"A001\",\"counter\":1,\"ts_ms\":1699999990000}]",
                "[{\"id\":1,\"queues\":\"A\",\"state\":\"serving\",\"clerk\":\"zhao\","
                "\"current\":1,\"current_label\":\"A001\"},"
                "{\"id\":3,\"queues\":\"E\",\"state\":\"paused\",\"clerk\":\"wang\","
                "\"pause_reason\":\"午休\"}]",
                T0);
    s_update(&f, T0, WALL, NULL);
    assert_string_equal(f.dm.current.label, "A001");
    assert_int_equal(f.dm.nlist, 1);
    assert_string_equal(f.dm.list[0].label, "E002");
    assert_int_equal(f.dm.windows[1].state, HQ_C_PAUSED);
    hq_mirror_free(&f.m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_before_snapshot_connecting),
        cmocka_unit_test(test_late_start_shows_state_silently),
        cmocka_unit_test(test_newest_list_and_recall),
        cmocka_unit_test(test_duplicates_not_spoken_twice),
        cmocka_unit_test(test_gap_resync_speaks_missed_call_once),
        cmocka_unit_test(test_silence_offline_and_recovery),
        cmocka_unit_test(test_never_connected_goes_offline),
        cmocka_unit_test(test_flash_timing),
        cmocka_unit_test(test_counter_mode),
        cmocka_unit_test(test_notice_and_names),
        cmocka_unit_test(test_hostile_text_made_safe),
        cmocka_unit_test(test_current_follows_its_ticket),
        cmocka_unit_test(test_late_start_after_the_ticket_left),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
