/* The subscriber's model: snapshot then in-order events; duplicates dropped, a gap or a new
 * day asks for a snapshot, silence means offline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "hq_mirror.h"

static const char *s_snapshot =
    "{\"seq\":10,\"day\":\"2026-11-23\",\"heartbeat_ms\":1000,\"target_ms\":600000,"
    "\"hall\":{\"name\":\"大厅\"},"
    "\"queues\":[{\"prefix\":\"A\",\"name\":\"参保\",\"instant\":true,\"waiting\":2,\"green\":1},"
    "{\"prefix\":\"C\",\"name\":\"异地\",\"instant\":true,\"waiting\":0,\"green\":0}],"
    "\"counters\":[{\"id\":1,\"queues\":\"AC\",\"state\":\"idle\",\"clerk\":\"wang\"}],"
    "\"tickets\":[{\"id\":1,\"label\":\"A001\",\"prefix\":\"A\",\"queue\":\"A\",\"lane\":\"green\","
    "\"state\":\"waiting\",\"issued_ms\":5},{\"id\":2,\"label\":\"A002\",\"prefix\":\"A\","
    "\"queue\":\"A\",\"lane\":\"normal\",\"state\":\"waiting\",\"issued_ms\":6}],"
    "\"recent_calls\":[],\"metric\":{\"count\":0,\"avg_ms\":0,\"within\":0},\"avg_wait_ms\":0}";

static void s_load(hq_mirror_t *m)
{
    json_t *snap = json_loads(s_snapshot, 0, NULL);
    assert_non_null(snap);
    assert_int_equal(hq_mirror_load_snapshot(m, snap, 1000), HQ_OK);
    json_decref(snap);
}

static hq_apply_t s_apply(hq_mirror_t *m, const char *topic, const char *body, int64_t now)
{
    hq_event_t ev;
    assert_int_equal(hq_event_decode(topic, body, strlen(body), &ev), HQ_OK);
    hq_apply_t r = hq_mirror_apply(m, &ev, now);
    hq_event_clear(&ev);
    return r;
}

static const char *s_called11 =
    "{\"seq\":11,\"ts_ms\":100,\"ticket\":{\"id\":1,\"label\":\"A001\",\"prefix\":\"A\","
    "\"queue\":\"A\",\"lane\":\"green\",\"state\":\"called\",\"counter\":1,\"issued_ms\":5},"
    "\"counter\":{\"id\":1,\"queues\":\"AC\",\"state\":\"calling\",\"clerk\":\"wang\","
    "\"current\":1,\"current_label\":\"A001\"}}";

static void test_snapshot_then_events_in_order(void **state)
{
    (void)state;
    hq_mirror_t m;
    hq_mirror_init(&m, 3000);
    assert_int_equal(m.state, HQ_SYNC_INITIAL);
    s_load(&m);
    assert_int_equal(m.state, HQ_SYNC_ACTIVE);
    assert_int_equal(m.seq, 10);
    assert_int_equal(m.ntickets, 2);
    assert_int_equal(hq_mirror_queue(&m, 'A')->waiting, 2);
    assert_string_equal(m.hall_name, "大厅");
    assert_int_equal(s_apply(&m, "called", s_called11, 1100), HQ_APPLY_OK);
    assert_int_equal(m.seq, 11);
    assert_int_equal(hq_mirror_counter(&m, 1)->state, HQ_C_CALLING);
    assert_int_equal(m.nrecent, 1);
    assert_string_equal(m.recent[0].label, "A001");
    assert_int_equal(m.recent[0].counter, 1);
    assert_true(m.recent[0].green);
    assert_int_equal(s_apply(&m, "counter",
                             "{\"seq\":12,\"depths\":[{\"queue\":\"A\",\"waiting\":1,"
                             "\"green\":0}],\"avg_wait_ms\":4000}",
                             1200),
                     HQ_APPLY_OK);
    assert_int_equal(hq_mirror_queue(&m, 'A')->waiting, 1);
    assert_int_equal(m.avg_wait_ms, 4000);
    /* finished tickets leave the active list */
    assert_int_equal(s_apply(&m, "finished",
                             "{\"seq\":13,\"ticket\":{\"id\":1,\"label\":\"A001\",\"prefix\":\"A\","
                             "\"queue\":\"A\",\"lane\":\"green\",\"state\":\"finished\"},"
                             "\"hall_metric\":{\"count\":1,\"avg_ms\":420000,\"within\":1}}",
                             1300),
                     HQ_APPLY_OK);
    assert_null(hq_mirror_ticket(&m, 1));
    assert_int_equal(m.ntickets, 1);
    assert_int_equal(m.metric.count, 1);
    assert_int_equal(m.metric.avg_ms, 420000);
    /* An action's own event carries the waiting counts it left. */
    assert_int_equal(s_apply(&m, "issued",
                             "{\"seq\":14,\"ticket\":{\"id\":5,\"label\":\"A005\",\"prefix\":\"A\","
                             "\"queue\":\"A\",\"lane\":\"normal\",\"state\":\"waiting\"},"
                             "\"depths\":[{\"queue\":\"A\",\"waiting\":2,\"green\":0}],"
                             "\"avg_wait_ms\":5000}",
                             1400),
                     HQ_APPLY_OK);
    assert_int_equal(hq_mirror_queue(&m, 'A')->waiting, 2);
    assert_int_equal(m.avg_wait_ms, 5000);
    /* ... and one without them leaves the counts as they were. */
    assert_int_equal(s_apply(&m, "started",
                             "{\"seq\":15,\"ticket\":{\"id\":2,\"label\":\"A002\",\"prefix\":\"A\","
                             "\"queue\":\"A\",\"lane\":\"normal\",\"state\":\"serving\"}}",
                             1500),
                     HQ_APPLY_OK);
    assert_int_equal(hq_mirror_queue(&m, 'A')->waiting, 2);
    assert_int_equal(m.avg_wait_ms, 5000);
    hq_mirror_free(&m);
}

static void test_duplicates_dropped(void **state)
{
    (void)state;
    hq_mirror_t m;
    hq_mirror_init(&m, 3000);
    s_load(&m);
    /* an event at or below the snapshot's sequence was already in it */
    const char *old = "{\"seq\":10,\"ticket\":{\"id\":9,\"label\":\"A009\",\"prefix\":\"A\","
                      "\"queue\":\"A\",\"lane\":\"normal\",\"state\":\"waiting\"}}";
    assert_int_equal(s_apply(&m, "issued", old, 1100), HQ_APPLY_DUPLICATE);
    assert_null(hq_mirror_ticket(&m, 9));
    assert_int_equal(s_apply(&m, "called", s_called11, 1100), HQ_APPLY_OK);
    assert_int_equal(s_apply(&m, "called", s_called11, 1100), HQ_APPLY_DUPLICATE);
    assert_int_equal(m.nrecent, 1);
    hq_mirror_free(&m);
}

/* Queue alerts: a late joiner learns the raised ones from the snapshot, then follows the
 * queue_alert events; each names the windows serving the queue. */
static void test_queue_alerts_from_snapshot_and_events(void **state)
{
    (void)state;
    hq_mirror_t m;
    hq_mirror_init(&m, 3000);
    json_t *snap = json_loads(s_snapshot, 0, NULL);
    json_object_set_new(snap, "alerts",
                        json_pack("[{s:s, s:s, s:s, s:i, s:i, s:s, s:[i,i]}]", "queue", "A", "kind",
                                  "wait", "state", "raised", "value_ms", 2100000, "target_ms",
                                  1800000, "advice", "open_window", "counters", 1, 12));
    assert_int_equal(hq_mirror_load_snapshot(&m, snap, 1000), HQ_OK);
    json_decref(snap);
    const hq_mirror_alert_t *a = hq_mirror_alert_for(&m, 12);
    assert_non_null(a);
    assert_int_equal(a->queue, 'A');
    assert_int_equal(a->handling, 0);
    assert_int_equal(a->value_ms, 2100000);
    assert_string_equal(a->advice, "open_window");
    assert_null(hq_mirror_alert_for(&m, 2)); /* window 2 does not serve A */
    /* Its handling alert too, then the wait alert cleared: the handling one stays. */
    assert_int_equal(s_apply(&m, "queue_alert",
                             "{\"seq\":11,\"alert\":{\"queue\":\"A\",\"kind\":\"handling\","
                             "\"state\":\"raised\",\"value_ms\":700000,\"target_ms\":600000,"
                             "\"advice\":\"take_over\",\"counters\":[1]}}",
                             1100),
                     HQ_APPLY_OK);
    assert_int_equal(m.nalerts, 2);
    assert_int_equal(s_apply(&m, "queue_alert",
                             "{\"seq\":12,\"alert\":{\"queue\":\"A\",\"kind\":\"wait\","
                             "\"state\":\"cleared\",\"value_ms\":0,\"target_ms\":1800000,"
                             "\"advice\":\"none\",\"counters\":[1,12]}}",
                             1200),
                     HQ_APPLY_OK);
    assert_int_equal(m.nalerts, 1);
    assert_null(hq_mirror_alert_for(&m, 12));
    assert_int_equal(hq_mirror_alert_for(&m, 1)->handling, 1);
    hq_mirror_free(&m);
}

static void test_gap_asks_for_snapshot(void **state)
{
    (void)state;
    hq_mirror_t m;
    hq_mirror_init(&m, 3000);
    s_load(&m);
    int64_t changes = m.changes;
    assert_int_equal(s_apply(&m, "counter", "{\"seq\":12,\"depths\":[]}", 1100), HQ_APPLY_GAP);
    assert_int_equal(m.state, HQ_SYNC_SYNCING);
    assert_true(m.changes > changes);
    /* until the next snapshot, events are not applied */
    assert_int_equal(s_apply(&m, "called", s_called11, 1100), HQ_APPLY_IGNORED);
    assert_int_equal(m.seq, 10);
    s_load(&m);
    assert_int_equal(m.state, HQ_SYNC_ACTIVE);
    /* a heartbeat announcing a later sequence than we have is a gap too */
    assert_int_equal(s_apply(&m, "heartbeat", "{\"seq\":10}", 1200), HQ_APPLY_DUPLICATE);
    assert_int_equal(s_apply(&m, "heartbeat", "{\"seq\":11}", 1200), HQ_APPLY_GAP);
    hq_mirror_free(&m);
}

static void test_new_day_resyncs(void **state)
{
    (void)state;
    hq_mirror_t m;
    hq_mirror_init(&m, 3000);
    s_load(&m);
    assert_int_equal(s_apply(&m, "day", "{\"seq\":11,\"day\":\"2026-11-24\"}", 1100),
                     HQ_APPLY_RESYNC);
    assert_int_equal(m.state, HQ_SYNC_SYNCING);
    hq_mirror_free(&m);
}

static void test_silence_means_offline(void **state)
{
    (void)state;
    hq_mirror_t m;
    hq_mirror_init(&m, 3000);
    s_load(&m); /* heard at 1000 */
    assert_int_equal(hq_mirror_tick(&m, 3900), 0);
    assert_int_equal(m.state, HQ_SYNC_ACTIVE);
    assert_int_equal(hq_mirror_tick(&m, 4001), 1);
    assert_int_equal(m.state, HQ_SYNC_OFFLINE);
    assert_int_equal(hq_mirror_tick(&m, 5000), 0); /* reported once */
    /* the old state is kept (shown greyed), and anything heard moves toward a resync */
    assert_int_equal(m.ntickets, 2);
    assert_int_equal(s_apply(&m, "heartbeat", "{\"seq\":10}", 6000), HQ_APPLY_IGNORED);
    assert_int_equal(m.state, HQ_SYNC_SYNCING);
    s_load(&m);
    assert_int_equal(m.state, HQ_SYNC_ACTIVE);
    hq_mirror_free(&m);
}

static void test_bad_snapshot_keeps_state(void **state)
{
    (void)state;
    hq_mirror_t m;
    hq_mirror_init(&m, 3000);
    s_load(&m);
    const char *bad[] = {"[]", "{\"seq\":\"x\"}", "{\"seq\":3,\"queues\":[],\"counters\":[]}",
                         "{\"seq\":3,\"queues\":[],\"counters\":[{\"id\":0}],\"tickets\":[]}",
                         ("{\"seq\":3,\"queues\":[{\"prefix\":\"AB\"}],\"counters\":[],"
                          "\"tickets\":[]}")};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *j = json_loads(bad[i], 0, NULL);
        assert_int_equal(hq_mirror_load_snapshot(&m, j, 2000), HQ_MALFORMED);
        json_decref(j);
    }
    assert_int_equal(m.seq, 10);
    assert_int_equal(m.ntickets, 2);
    hq_mirror_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot_then_events_in_order),
        cmocka_unit_test(test_duplicates_dropped),
        cmocka_unit_test(test_queue_alerts_from_snapshot_and_events),
        cmocka_unit_test(test_gap_asks_for_snapshot),
        cmocka_unit_test(test_new_day_resyncs),
        cmocka_unit_test(test_silence_means_offline),
        cmocka_unit_test(test_bad_snapshot_keeps_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
