/* Handling-time arithmetic behind the 10-minute rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "metric.h"

#define MIN 60000LL
#define TARGET (10 * MIN)

static void test_handling_time(void **state)
{
    (void)state;
    /* started pressed: from the start */
    assert_int_equal(metric_handling_ms(1000, 5000, 65000, 0), 60000);
    /* never started: from the (last) call */
    assert_int_equal(metric_handling_ms(1000, 0, 61000, 0), 60000);
    /* parked time is left out */
    assert_int_equal(metric_handling_ms(0, 10000, 10000 + 15 * MIN, 5 * MIN), 10 * MIN);
    /* clock oddities never give a negative time */
    assert_int_equal(metric_handling_ms(5000, 0, 1000, 0), 0);
    assert_int_equal(metric_handling_ms(0, 0, 1000, 0), 0);
    assert_int_equal(metric_handling_ms(0, 1000, 2000, 5000), 0);
}

static void test_wait_and_window_time(void **state)
{
    (void)state;
    /* wait: issue to the first call, whatever came after */
    assert_int_equal(metric_wait_ms(1000, 61000), 60000);
    assert_int_equal(metric_wait_ms(1000, 0), -1);   /* never called */
    assert_int_equal(metric_wait_ms(5000, 4000), 0); /* a clock step back */
    assert_int_equal(metric_wait_ms(5000, 5000), 0);
    /* window time: the last call to finish, parked time out; the start does not matter */
    assert_int_equal(metric_window_ms(1000, 2 * MIN, 12 * MIN, 0), 10 * MIN);
    assert_int_equal(metric_window_ms(1000, 0, MIN + 1000, 0), MIN); /* called once */
    assert_int_equal(metric_window_ms(0, 0, MIN, 0), -1);            /* never called */
    assert_int_equal(metric_window_ms(0, MIN, 20 * MIN, 4 * MIN), 15 * MIN);
    assert_int_equal(metric_window_ms(0, MIN, 2 * MIN, 4 * MIN), 0);
    /* handling starts at the start when pressed, the window time at the call */
    assert_int_equal(metric_handling_ms(MIN, 3 * MIN, 10 * MIN, 0), 7 * MIN);
    assert_int_equal(metric_window_ms(MIN, MIN, 10 * MIN, 0), 9 * MIN);
}

static void test_average_and_alert(void **state)
{
    (void)state;
    metric_acc_t m = {0};
    assert_int_equal(metric_avg_ms(&m), 0);
    assert_false(metric_above(&m, TARGET));
    assert_int_equal(metric_within_permille(&m), 0);
    metric_add(&m, 8 * MIN, TARGET);
    metric_add(&m, 12 * MIN, TARGET);
    assert_int_equal(metric_avg_ms(&m), 10 * MIN);
    assert_false(metric_above(&m, TARGET)); /* exactly at the target is within it */
    assert_int_equal(m.within, 1);
    assert_int_equal(metric_within_permille(&m), 500);
    assert_int_equal(m.max_ms, 12 * MIN);
    metric_add(&m, 10 * MIN + 3, TARGET);
    assert_true(metric_above(&m, TARGET));
    assert_int_equal(metric_avg_ms(&m), 10 * MIN + 1);
    assert_int_equal(metric_within_permille(&m), 333);
}

static void test_rounding(void **state)
{
    (void)state;
    metric_acc_t m = {0};
    metric_add(&m, 1, TARGET);
    metric_add(&m, 2, TARGET);
    assert_int_equal(metric_avg_ms(&m), 2); /* 1.5 rounds up */
    metric_add(&m, 2, TARGET);
    assert_int_equal(metric_avg_ms(&m), 2); /* 1.67 */
    assert_int_equal(metric_within_permille(&m), 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handling_time),
        cmocka_unit_test(test_wait_and_window_time),
        cmocka_unit_test(test_average_and_alert),
        cmocka_unit_test(test_rounding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
