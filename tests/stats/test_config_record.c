/* stats_config_record: the configuration record hallqd keeps for the statistics
 * (lib/hallq/config_record.h): it reads back as the configuration it was made from, the
 * same configuration always gives the same text, and a damaged or newer record is refused
 * with its reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "config_record.h"

/* A hall that differs from the default everywhere the statistics look. */
static const char s_hall[] = "[hall]\n"
                             "name = 惠平镇医保服务站\n"
                             "timezone = Asia/Urumqi\n"
                             "notice = 请按叫号顺序到窗口办理\n"
                             "[rules]\n"
                             "handling_target_min = 1\n"
                             "green_max_in_row = 2\n"
                             "[queue A]\n"
                             "name = 参保登记\n"
                             "[queue E]\n"
                             "name = 零星报销\n"
                             "[counter 3]\n"
                             "queues = AE\n"
                             "[counter 7]\n"
                             "queues = E\n";

static void s_hall_config(hallq_config_t *cfg)
{
    char why[256];
    assert_int_equal(config_default(cfg, why, sizeof why), 0);
    assert_int_equal(config_load_text(cfg, s_hall, "hall.conf", why, sizeof why), 0);
}

static void s_same(const hallq_config_t *a, const hallq_config_t *b)
{
    assert_string_equal(a->hall_name, b->hall_name);
    assert_string_equal(a->timezone, b->timezone);
    assert_string_equal(a->notice, b->notice);
    assert_string_equal(a->level, b->level);
    assert_int_equal(a->handling_target_min, b->handling_target_min);
    assert_int_equal(a->green_max_in_row, b->green_max_in_row);
    assert_int_equal(a->nqueues, b->nqueues);
    for (int i = 0; i < a->nqueues; i++) {
        assert_int_equal(a->queues[i].prefix, b->queues[i].prefix);
        assert_string_equal(a->queues[i].name, b->queues[i].name);
        assert_int_equal(a->queues[i].instant, b->queues[i].instant);
    }
    assert_int_equal(a->ncounters, b->ncounters);
    for (int i = 0; i < a->ncounters; i++) {
        assert_int_equal(a->counters[i].id, b->counters[i].id);
        assert_string_equal(a->counters[i].queues, b->counters[i].queues);
    }
    assert_int_equal(a->nservices, b->nservices);
    for (int i = 0; i < a->nservices; i++) {
        assert_int_equal(a->services[i].no, b->services[i].no);
        assert_string_equal(a->services[i].sub_item, b->services[i].sub_item);
        assert_string_equal(a->services[i].materials, b->services[i].materials);
        assert_int_equal(a->services[i].instant, b->services[i].instant);
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    hallq_config_t cfg, back;
    char why[256];
    s_hall_config(&cfg);
    char *text = config_record_text(&cfg);
    assert_non_null(text);
    assert_int_equal(config_record_read(&back, text, why, sizeof why), 0);
    s_same(&cfg, &back);
    assert_string_equal(back.hall_name, "惠平镇医保服务站");
    assert_int_equal(back.handling_target_min, 1);
    assert_int_equal(back.ncounters, 2);
    assert_string_equal(back.counters[1].queues, "E");
    /* What the statistics ask of it answers as the file's configuration does. */
    assert_int_equal(config_is_instant(&back, 'A', 0), config_is_instant(&cfg, 'A', 0));
    assert_int_equal(config_is_instant(&back, 'E', 15), config_is_instant(&cfg, 'E', 15));
    assert_null(config_queue(&back, 'B'));
    /* Written again, it is the same text: records compare as strings. */
    char *again = config_record_text(&back);
    assert_string_equal(again, text);
    free(again);
    free(text);
    config_free(&cfg);
    config_free(&back);
}

static void test_differs(void **state)
{
    (void)state;
    hallq_config_t a, b;
    char why[256];
    assert_int_equal(config_default(&a, why, sizeof why), 0);
    s_hall_config(&b);
    char *ta = config_record_text(&a), *tb = config_record_text(&b);
    assert_string_not_equal(ta, tb);
    /* What does not govern the hall's figures (endpoints, logging) is not in the record. */
    hq_strlcpy(a.request_endpoint, "tcp://127.0.0.1:6000", sizeof a.request_endpoint);
    hq_strlcpy(a.log_level, "debug", sizeof a.log_level);
    char *ta2 = config_record_text(&a);
    assert_string_equal(ta, ta2);
    assert_null(strstr(ta, "5570"));
    free(ta);
    free(ta2);
    free(tb);
    config_free(&a);
    config_free(&b);
}

static void test_refused(void **state)
{
    (void)state;
    hallq_config_t cfg;
    char why[256];
    const struct {
        const char *text, *reason;
    } bad[] = {
        {"not json", "not a JSON object"},
        {"[1, 2]", "not a JSON object"},
        {"{\"version\": 2}", "format 2"},
        {"{\"hall\": {\"name\": \"x\"}}", "format 0"},
        {"{\"version\": 1, \"queues\": [{\"prefix\": \"a\"}]}", "queue 1"},
        {"{\"version\": 1, \"counters\": [{\"id\": 0}]}", "counter 1"},
        {"{\"version\": 1, \"services\": [{\"no\": 3}]}", "service 1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        assert_int_equal(config_record_read(&cfg, bad[i].text, why, sizeof why), -1);
        if (!strstr(why, bad[i].reason))
            fail_msg("%s: '%s' lacks '%s'", bad[i].text, why, bad[i].reason);
        config_free(&cfg);
    }
    /* A record that leaves a part out keeps the default there. */
    assert_int_equal(config_record_read(&cfg,
                                        "{\"version\": 1, \"rules\": "
                                        "{\"handling_target_min\": 3}}",
                                        why, sizeof why),
                     0);
    assert_int_equal(cfg.handling_target_min, 3);
    assert_string_equal(cfg.hall_name, "医保服务大厅");
    assert_int_equal(cfg.nqueues, 7);
    assert_true(cfg.nservices > 0);
    config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_differs),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
