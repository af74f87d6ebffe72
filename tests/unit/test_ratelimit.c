/* Request budgets (lib/hallq/ratelimit.c) and their [limits] lines (lib/hallq/config.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "hq_alloc.h"
#include "ratelimit.h"

static void test_parse(void **state)
{
    (void)state;
    hq_rate_t r;
    char why[160];
    assert_int_equal(hq_rate_parse("unlimited", &r, why, sizeof why), 0);
    assert_int_equal(r.per_min, 0);
    assert_int_equal(hq_rate_parse("20/min", &r, why, sizeof why), 0);
    assert_int_equal(r.per_min, 20);
    assert_int_equal(r.burst, 20); /* the burst is the count when not given */
    assert_int_equal(hq_rate_parse("20/min, burst 5", &r, why, sizeof why), 0);
    assert_int_equal(r.burst, 5);
    assert_int_equal(hq_rate_parse("2/s,burst 7", &r, why, sizeof why), 0);
    assert_int_equal(r.per_min, 120);
    assert_int_equal(r.burst, 7);
    char text[64];
    hq_rate_format(&r, text, sizeof text);
    assert_string_equal(text, "120/min, burst 7");
    hq_rate_t back;
    assert_int_equal(hq_rate_parse(text, &back, why, sizeof why), 0);
    assert_memory_equal(&back, &r, sizeof r);
    static const char *const bad[] = {"",
                                      "20",
                                      "20/h",
                                      "0/min",
                                      "-3/min",
                                      "20/min burst 5",
                                      "20/min, burst",
                                      "20/min, burst 0",
                                      "20/min, burst 5 x",
                                      "20/min, flood 5",
                                      "999999999/s",
                                      "many"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        assert_int_equal(hq_rate_parse(bad[i], &r, why, sizeof why), -1);
        assert_true(why[0] != '\0');
    }
}

static void test_bucket(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(16);
    assert_non_null(rl);
    const hq_rate_t rate = {60, 3}; /* one a second, three at once */
    int64_t t = 1000000;
    for (int i = 0; i < 3; i++)
        assert_int_equal(ratelimit_take(rl, "k1", &rate, t), 0);
    /* Empty: the next one is a second away, and refusing spends nothing. */
    assert_int_equal(ratelimit_take(rl, "k1", &rate, t), 1000);
    assert_int_equal(ratelimit_take(rl, "k1", &rate, t + 400), 600);
    assert_int_equal(ratelimit_take(rl, "k1", &rate, t + 1000), 0);
    assert_int_equal(ratelimit_take(rl, "k1", &rate, t + 1000), 1000);
    /* Another device has a budget of its own. */
    assert_int_equal(ratelimit_take(rl, "k2", &rate, t + 1000), 0);
    /* A long pause refills up to the burst, no further. */
    t += 1000000;
    for (int i = 0; i < 3; i++)
        assert_int_equal(ratelimit_take(rl, "k1", &rate, t), 0);
    assert_true(ratelimit_take(rl, "k1", &rate, t) > 0);
    /* A clock that seems to run back (it never should: the daemon passes a monotonic one)
     * gives nothing back. */
    assert_true(ratelimit_take(rl, "k1", &rate, t - 5000) > 0);
    /* Unlimited takes no entry. */
    const hq_rate_t open = {0, 0};
    size_t before = ratelimit_size(rl);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(ratelimit_take(rl, "bench", &open, t), 0);
    assert_int_equal(ratelimit_size(rl), before);
    ratelimit_destroy(&rl);
    assert_null(rl);
    ratelimit_destroy(&rl); /* safe twice */
}

static void test_sustained_rate(void **state)
{
    (void)state;
    /* A device asking every millisecond for ten minutes gets the burst plus the rate. */
    ratelimit_t *rl = ratelimit_new(4);
    const hq_rate_t rate = {20, 10};
    int granted = 0;
    for (int64_t t = 0; t < 600000; t++)
        granted += ratelimit_take(rl, "flood", &rate, t) == 0;
    assert_int_equal(granted, 10 + 20 * 10 - 1); /* the refill of the last 3 s is not whole */
    ratelimit_destroy(&rl);
}

static void test_report(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(4);
    const hq_rate_t rate = {60, 1};
    assert_int_equal(ratelimit_report(rl, "x", 0, 60000), 0); /* unknown */
    assert_int_equal(ratelimit_take(rl, "x", &rate, 0), 0);
    assert_int_equal(ratelimit_report(rl, "x", 0, 60000), 0); /* nothing refused */
    for (int i = 0; i < 5; i++)
        assert_true(ratelimit_take(rl, "x", &rate, 1) > 0);
    assert_int_equal(ratelimit_report(rl, "x", 1, 60000), 5); /* the first refusal is told */
    for (int i = 0; i < 7; i++)
        assert_true(ratelimit_take(rl, "x", &rate, 2) > 0);
    assert_int_equal(ratelimit_report(rl, "x", 2, 60000), 0);     /* not again this minute */
    assert_int_equal(ratelimit_report(rl, "x", 60001, 60000), 7); /* a minute on: the rest */
    ratelimit_destroy(&rl);
}

static void test_table_bound(void **state)
{
    (void)state;
    /* Connections without keys come and go: the table forgets them all past its bound. */
    ratelimit_t *rl = ratelimit_new(8);
    const hq_rate_t rate = {60, 1};
    char name[16];
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "conn%d", i);
        assert_int_equal(ratelimit_take(rl, name, &rate, 0), 0);
        assert_true(ratelimit_size(rl) <= 8);
    }
    ratelimit_destroy(&rl);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(8);
    const hq_rate_t rate = {60, 1};
    hq_alloc_fail(1, 1);
    assert_int_equal(ratelimit_take(rl, "new", &rate, 0), -1);
    hq_alloc_fail(0, 0);
    assert_int_equal(ratelimit_take(rl, "new", &rate, 0), 0);
    ratelimit_destroy(&rl);
}

static void test_config_limits(void **state)
{
    (void)state;
    hallq_config_t cfg;
    char why[256];
    assert_int_equal(config_default(&cfg, why, sizeof why), 0);
    /* The defaults: a kiosk never reaches its budget, managers are unlimited. */
    assert_int_equal(cfg.limits[CFG_LIMIT_KIOSK].per_min, 20);
    assert_int_equal(cfg.limits[CFG_LIMIT_MANAGER].per_min, 0);
    assert_true(cfg.limits[CFG_LIMIT_LOCAL].per_min > 0);
    assert_int_equal(config_load_text(&cfg,
                                      "[limits]\nkiosk = 6/min, burst 2\nlocal = unlimited\n"
                                      "manager = 100/s\n",
                                      "t.conf", why, sizeof why),
                     0);
    assert_int_equal(cfg.limits[CFG_LIMIT_KIOSK].per_min, 6);
    assert_int_equal(cfg.limits[CFG_LIMIT_KIOSK].burst, 2);
    assert_int_equal(cfg.limits[CFG_LIMIT_LOCAL].per_min, 0);
    assert_int_equal(cfg.limits[CFG_LIMIT_MANAGER].per_min, 6000);
    config_free(&cfg);
    assert_int_equal(config_default(&cfg, why, sizeof why), 0);
    assert_int_equal(config_load_text(&cfg, "[limits]\nkiosk = lots\n", "t.conf", why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "t.conf:2: kiosk: expected 'unlimited'"));
    assert_int_equal(
        config_load_text(&cfg, "[limits]\njanitor = 5/min\n", "t.conf", why, sizeof why), -1);
    assert_non_null(strstr(why, "t.conf:2: unknown key 'janitor'"));
    assert_int_equal(config_load_text(&cfg, "[limits]\nkiosk = 5/min\nkiosk = 6/min\n", "t.conf",
                                      why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "t.conf:3:"));
    config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),          cmocka_unit_test(test_bucket),
        cmocka_unit_test(test_sustained_rate), cmocka_unit_test(test_report),
        cmocka_unit_test(test_table_bound),    cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_config_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
