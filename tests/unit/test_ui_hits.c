/* lib/ui's click zones (ui_hits.h): a click lands on the zone drawn there, or on nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ui_hits.h"

static void test_a_click_finds_the_zone_under_it(void **state)
{
    (void)state;
    ui_hits_t h;
    ui_hits_clear(&h);
    assert_int_equal(ui_hits_add(&h, 23, 1, 5, 'c'), 0); /* "c叫号" on the last row */
    assert_int_equal(ui_hits_add(&h, 23, 7, 5, 'n'), 0);
    assert_int_equal(ui_hits_find(&h, 23, 1), 'c');
    assert_int_equal(ui_hits_find(&h, 23, 5), 'c');
    assert_int_equal(ui_hits_find(&h, 23, 6), -1); /* the gap between two keys */
    assert_int_equal(ui_hits_find(&h, 23, 7), 'n');
    assert_int_equal(ui_hits_find(&h, 23, 12), -1);
    assert_int_equal(ui_hits_find(&h, 22, 3), -1); /* another row */
    assert_int_equal(ui_hits_find(&h, -1, -1), -1);
    ui_hits_clear(&h);
    assert_int_equal(ui_hits_find(&h, 23, 1), -1);
}

static void test_later_zones_win_and_bad_ones_are_left_out(void **state)
{
    (void)state;
    ui_hits_t h;
    ui_hits_clear(&h);
    ui_hits_add(&h, 5, 0, 80, 'l'); /* a whole banner row */
    ui_hits_add(&h, 5, 10, 4, '1'); /* drawn over it */
    assert_int_equal(ui_hits_find(&h, 5, 11), '1');
    assert_int_equal(ui_hits_find(&h, 5, 30), 'l');
    assert_int_equal(ui_hits_add(&h, 6, 0, 0, 'x'), -1);
    assert_int_equal(ui_hits_add(&h, -1, 0, 3, 'x'), -1);
    assert_int_equal(ui_hits_add(&h, 6, -2, 3, 'x'), -1);
    assert_int_equal(h.n, 2);
    while (h.n < UI_HITS_MAX)
        assert_int_equal(ui_hits_add(&h, 7, h.n, 1, 'y'), 0);
    assert_int_equal(ui_hits_add(&h, 8, 0, 1, 'z'), -1); /* full: the key still works */
    assert_int_equal(ui_hits_find(&h, 8, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_click_finds_the_zone_under_it),
        cmocka_unit_test(test_later_zones_win_and_bad_ones_are_left_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
