/* GB 11643 ID numbers: length, birth date, ISO 7064 MOD 11-2 check digit, age and band. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "idnum.h"

static int s_valid(const char *id)
{
    char why[128];
    return idnum_check(id, NULL, why, sizeof why) == 0;
}

static void test_published_examples(void **state)
{
    (void)state;
    /* The two examples printed in GB 11643-1999. */
    assert_true(s_valid("11010519491231002X"));
    assert_true(s_valid("440524188001010014"));
    assert_true(s_valid("11010519491231002x")); /* lower-case x is the same character */
    idnum_date_t d;
    char why[128];
    assert_int_equal(idnum_check("11010519491231002X", &d, why, sizeof why), 0);
    assert_int_equal(d.year, 1949);
    assert_int_equal(d.month, 12);
    assert_int_equal(d.day, 31);
}

static void test_check_digit(void **state)
{
    (void)state;
    assert_int_equal(idnum_check_char("11010519491231002"), 'X');
    assert_int_equal(idnum_check_char("44052418800101001"), '4');
    assert_int_equal(idnum_check_char("32090219661123045"), '9');
    char why[128];
    assert_int_equal(idnum_check("110105194912310021", NULL, why, sizeof why), -1);
    assert_non_null(strstr(why, "check digit"));
    assert_false(s_valid("320902196611230458"));
}

static void test_shape_and_dates(void **state)
{
    (void)state;
    char why[128];
    assert_int_equal(idnum_check("1101051949123100", NULL, why, sizeof why), -1);
    assert_non_null(strstr(why, "18 characters"));
    assert_false(s_valid("11010519491231002XX"));
    assert_false(s_valid("1101051949123100AX"));
    assert_false(s_valid("11010519491231002Y"));
    assert_true(s_valid("320902200002290017")); /* 2000-02-29: leap year */
    /* 1900-02-29 does not exist (check digit right, so the date is what fails) */
    assert_int_equal(idnum_check("320902190002290010", NULL, why, sizeof why), -1);
    assert_non_null(strstr(why, "birth date"));
    assert_true(s_valid("32090219040229001X"));  /* 1904-02-29 does */
    assert_false(s_valid("320902196613230450")); /* month 13 */
    assert_int_equal(idnum_check("320902196611320457", NULL, why, sizeof why), -1);
    assert_non_null(strstr(why, "birth date"));
}

static void test_age(void **state)
{
    (void)state;
    idnum_date_t birth = {1966, 11, 23};
    assert_int_equal(idnum_age(birth, (idnum_date_t){2026, 11, 23}), 60);
    assert_int_equal(idnum_age(birth, (idnum_date_t){2026, 11, 22}), 59);
    assert_int_equal(idnum_age(birth, (idnum_date_t){2026, 10, 30}), 59);
    assert_int_equal(idnum_age(birth, (idnum_date_t){2027, 1, 1}), 60);
    idnum_date_t leap = {2000, 2, 29};
    assert_int_equal(idnum_age(leap, (idnum_date_t){2060, 2, 28}), 59);
    assert_int_equal(idnum_age(leap, (idnum_date_t){2060, 3, 1}), 60);
}

static void test_age_band(void **state)
{
    (void)state;
    char band[8];
    idnum_age_band(59, band, sizeof band);
    assert_string_equal(band, "");
    idnum_age_band(60, band, sizeof band);
    assert_string_equal(band, "60-69");
    idnum_age_band(79, band, sizeof band);
    assert_string_equal(band, "70-79");
    idnum_age_band(80, band, sizeof band);
    assert_string_equal(band, "80+");
    idnum_age_band(103, band, sizeof band);
    assert_string_equal(band, "80+");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_examples), cmocka_unit_test(test_check_digit),
        cmocka_unit_test(test_shape_and_dates),    cmocka_unit_test(test_age),
        cmocka_unit_test(test_age_band),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
