/* GB 11643 ID numbers: length, characters, birth date, ISO 7064 MOD 11-2 check digit (each
 * its own result), age and band. */
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

/* Each way a number can be wrong has its own result, so a kiosk can tell a typo from a
 * number that is too short or a date that cannot be; and each has its own line. */
static void test_results(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        idnum_result_t want;
    } cases[] = {
        {"11010519491231002X", IDNUM_OK},
        {"11010519491231002x", IDNUM_OK},
        {"", IDNUM_LENGTH},
        {"1101051949123100", IDNUM_LENGTH},
        {"11010519491231002XX", IDNUM_LENGTH},
        {"1101051949123100AX", IDNUM_CHARACTERS},
        {"11010519491231002Y", IDNUM_CHARACTERS},
        {"11010519491231 02X", IDNUM_CHARACTERS},
        {"320902190002290010", IDNUM_BIRTH_DATE}, /* 1900-02-29, check digit right */
        {"320902196613230452", IDNUM_BIRTH_DATE}, /* month 13 */
        {"320902184912310016", IDNUM_BIRTH_DATE}, /* before 1850 */
        {"110105194912310021", IDNUM_CHECK_DIGIT},
        {"320902196611230458", IDNUM_CHECK_DIGIT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        idnum_date_t d = {0, 0, 0};
        idnum_result_t got = idnum_parse(cases[i].id, &d);
        if (got != cases[i].want)
            fail_msg("%s: result %d, want %d", cases[i].id, (int)got, (int)cases[i].want);
        if (got == IDNUM_OK)
            assert_int_equal(d.year, 1949);
        else
            assert_int_equal(d.year, 0); /* untouched when invalid */
    }
    assert_int_equal(idnum_parse(NULL, NULL), IDNUM_LENGTH);
    /* Every result but OK has a line of its own; none repeats another. */
    const idnum_result_t all[] = {IDNUM_LENGTH, IDNUM_CHARACTERS, IDNUM_BIRTH_DATE,
                                  IDNUM_CHECK_DIGIT};
    assert_string_equal(idnum_result_text(IDNUM_OK), "");
    for (size_t i = 0; i < 4; i++) {
        assert_true(strlen(idnum_result_text(all[i])) > 10);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(idnum_result_text(all[i]), idnum_result_text(all[j]));
    }
    /* The wrapper the daemon uses says the same, with the length where it helps. */
    char why[128];
    assert_int_equal(idnum_check("1101051949123100AX", NULL, why, sizeof why), -1);
    assert_string_equal(why, idnum_result_text(IDNUM_CHARACTERS));
    assert_int_equal(idnum_check("12345", NULL, why, sizeof why), -1);
    assert_non_null(strstr(why, "not 5"));
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
        cmocka_unit_test(test_published_examples),
        cmocka_unit_test(test_check_digit),
        cmocka_unit_test(test_shape_and_dates),
        cmocka_unit_test(test_results),
        cmocka_unit_test(test_age),
        cmocka_unit_test(test_age_band),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
