/* Civil dates and business days (lib/hallq/hq_date.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hq_date.h"

static void s_tz(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

static hq_date_t s_date(int y, int m, int d)
{
    hq_date_t x = {y, m, d};
    return x;
}

static void test_calendar(void **state)
{
    (void)state;
    assert_true(hq_date_leap(2024));
    assert_false(hq_date_leap(2023));
    assert_false(hq_date_leap(1900));
    assert_true(hq_date_leap(2000));
    assert_int_equal(hq_date_days_in_month(2024, 2), 29);
    assert_int_equal(hq_date_days_in_month(2023, 2), 28);
    assert_int_equal(hq_date_days_in_month(2023, 12), 31);
    assert_int_equal(hq_date_days_in_month(2023, 13), 0);
    assert_int_equal(hq_date_days_in_month(2023, 0), 0);
    assert_true(hq_date_valid(s_date(2024, 2, 29)));
    assert_false(hq_date_valid(s_date(2023, 2, 29)));
    assert_false(hq_date_valid(s_date(2024, 4, 31)));
    assert_false(hq_date_valid(s_date(2024, 1, 0)));
    assert_false(hq_date_valid(s_date(0, 1, 1)));
}

static void test_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(hq_date_to_days(s_date(1970, 1, 1)), 0);
    assert_int_equal(hq_date_to_days(s_date(2024, 3, 4)), 19786);
    assert_int_equal(hq_date_to_days(s_date(1969, 12, 31)), -1);
    assert_int_equal(hq_date_to_days(s_date(2000, 3, 1)) - hq_date_to_days(s_date(2000, 2, 28)), 2);
    assert_int_equal(hq_date_weekday(19786), 0);     /* 2024-03-04, a Monday */
    assert_int_equal(hq_date_weekday(19786 + 6), 6); /* a Sunday */
    assert_int_equal(hq_date_weekday(0), 3);         /* 1970-01-01, a Thursday */
    assert_int_equal(hq_date_weekday(-1), 2);
    /* Every day from 1900 to 2100 and back, one after the other. */
    int n = hq_date_to_days(s_date(1900, 1, 1));
    for (hq_date_t d = s_date(1900, 1, 1); d.year < 2100; n++) {
        assert_int_equal(hq_date_to_days(d), n);
        hq_date_t back = hq_date_from_days(n);
        assert_memory_equal(&back, &d, sizeof d);
        if (++d.day > hq_date_days_in_month(d.year, d.month)) {
            d.day = 1;
            if (++d.month > 12) {
                d.month = 1;
                d.year++;
            }
        }
    }
}

static void test_years(void **state)
{
    (void)state;
    hq_date_t birth = s_date(1964, 3, 5);
    assert_int_equal(hq_date_years(birth, s_date(2024, 3, 4)), 59);
    assert_int_equal(hq_date_years(birth, s_date(2024, 3, 5)), 60); /* the birthday counts */
    assert_int_equal(hq_date_years(birth, s_date(2024, 12, 31)), 60);
    /* Born on a leap day: a year older on 1 March of a common year. */
    hq_date_t leap = s_date(1964, 2, 29);
    assert_int_equal(hq_date_years(leap, s_date(2023, 2, 28)), 58);
    assert_int_equal(hq_date_years(leap, s_date(2023, 3, 1)), 59);
}

static void test_text(void **state)
{
    (void)state;
    hq_date_t d = s_date(1, 1, 1);
    assert_int_equal(hq_date_parse("2024-02-29", &d), 0);
    assert_int_equal(d.year, 2024);
    assert_int_equal(d.month, 2);
    assert_int_equal(d.day, 29);
    static const char *const bad[] = {"2023-02-29",  "2024-13-01",  "2024-3-04",  "2024-03-0x",
                                      "2024-03-04 ", " 2024-03-04", "2024/03/04", "",
                                      "0000-01-01",  "2024-00-10",  "-024-03-04"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(hq_date_parse(bad[i], &d), -1);
    assert_int_equal(hq_date_parse(NULL, &d), -1);
    assert_int_equal(d.day, 29); /* unchanged */
    assert_int_equal(hq_date_parse_days("1970-01-01"), 0);
    assert_int_equal(hq_date_parse_days("2024-03-04"), 19786);
    assert_int_equal(hq_date_parse_days("1969-12-31"), -1);
    assert_int_equal(hq_date_parse_days("2024-02-30"), -1);
    char text[HQ_DATE_TEXT_MAX];
    for (int n = 0; n < 60000; n += 17) {
        hq_date_format(hq_date_from_days(n), text);
        assert_int_equal(hq_date_parse_days(text), n);
    }
    hq_date_format(s_date(987, 6, 5), text);
    assert_string_equal(text, "0987-06-05");
}

static void test_local(void **state)
{
    (void)state;
    s_tz("Asia/Shanghai");
    /* 2024-03-03 16:00 UTC is midnight in Shanghai: the business day is the 4th. */
    int64_t midnight = (int64_t)hq_date_to_days(s_date(2024, 3, 3)) * 86400000 + 16 * 3600000;
    hq_date_t d = hq_date_local(midnight);
    assert_int_equal(hq_date_to_days(d), hq_date_to_days(s_date(2024, 3, 4)));
    d = hq_date_local(midnight - 1);
    assert_int_equal(d.day, 3);
    assert_true(hq_date_local_ms(s_date(2024, 3, 4), 0) == midnight);
    assert_true(hq_date_local_ms(s_date(2024, 3, 4), 9) == midnight + 9 * 3600000);
    assert_true(hq_date_local_ms(s_date(2024, 3, 4), 24) == midnight + 24 * 3600000);
    d = hq_date_local(-1); /* the last millisecond of 1969 in UTC: 07:59:59.999 in Shanghai */
    assert_int_equal(d.year, 1970);
    s_tz("UTC");
    d = hq_date_local(-1);
    assert_int_equal(d.year, 1969);
    assert_int_equal(d.day, 31);

    /* 2024-03-10 in New York: 02:00 EST became 03:00 EDT, a day of 23 hours. */
    s_tz("America/New_York");
    hq_date_t spring = s_date(2024, 3, 10);
    assert_true(hq_date_local_ms(spring, 3) - hq_date_local_ms(spring, 1) == 3600000);
    assert_true(hq_date_local_ms(spring, 24) - hq_date_local_ms(spring, 0) == 23 * 3600000);
    d = hq_date_local(hq_date_local_ms(spring, 23) + 3599999);
    assert_int_equal(d.day, 10);
    s_tz("Asia/Shanghai");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar), cmocka_unit_test(test_day_numbers),
        cmocka_unit_test(test_years),    cmocka_unit_test(test_text),
        cmocka_unit_test(test_local),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
