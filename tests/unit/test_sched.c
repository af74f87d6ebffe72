/* Scheduling: green first, at most N green in a row while normal tickets wait, a normal ticket
 * past the maximum wait goes first, otherwise oldest first, only the counter's queues. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "sched.h"

#define MIN 60000LL
static const sched_rules_t s_rules = {3, 30 * MIN};

static void test_empty(void **state)
{
    (void)state;
    sched_pick_t p = sched_pick(NULL, 0, "ABC", 0, &s_rules, 0);
    assert_int_equal(p.index, -1);
    assert_int_equal(p.reason, SCHED_NONE);
}

static void test_oldest_first_across_queues(void **state)
{
    (void)state;
    sched_ticket_t t[] = {{1, 'B', 0, 5 * MIN}, {2, 'A', 0, 2 * MIN}, {3, 'C', 0, 1 * MIN}};
    sched_pick_t p = sched_pick(t, 3, "AB", 0, &s_rules, 10 * MIN);
    assert_int_equal(p.index, 1); /* C is not served here */
    assert_int_equal(p.reason, SCHED_OLDEST);
    assert_int_equal(p.waited_ms, 8 * MIN);
    char text[64];
    sched_reason_text(&p, &s_rules, text, sizeof text);
    assert_string_equal(text, "oldest");
}

static void test_ties_break_by_id(void **state)
{
    (void)state;
    sched_ticket_t t[] = {{9, 'A', 0, MIN}, {4, 'A', 0, MIN}};
    assert_int_equal(sched_pick(t, 2, "A", 0, &s_rules, 2 * MIN).index, 1);
}

static void test_green_first(void **state)
{
    (void)state;
    sched_ticket_t t[] = {{1, 'A', 0, 1 * MIN}, {2, 'A', 1, 4 * MIN}};
    sched_pick_t p = sched_pick(t, 2, "A", 0, &s_rules, 5 * MIN);
    assert_int_equal(p.index, 1);
    assert_int_equal(p.reason, SCHED_GREEN);
    assert_int_equal(p.green_streak, 1);
}

static void test_green_streak_bounded(void **state)
{
    (void)state;
    /* One normal and many green tickets: after N=3 greens the normal one is called. */
    sched_ticket_t t[] = {
        {1, 'A', 0, 0}, {2, 'A', 1, 1}, {3, 'A', 1, 2}, {4, 'A', 1, 3}, {5, 'A', 1, 4}};
    int n = 5, streak = 0;
    int order[5];
    for (int k = 0; k < 5; k++) {
        sched_pick_t p = sched_pick(t, n, "A", streak, &s_rules, 5 * MIN);
        assert_true(p.index >= 0);
        order[k] = (int)t[p.index].id;
        if (k == 3) {
            assert_int_equal(p.reason, SCHED_GREEN_LIMIT);
            char text[64];
            sched_reason_text(&p, &s_rules, text, sizeof text);
            assert_string_equal(text, "3 green in a row, normal's turn");
        }
        streak = p.green_streak;
        t[p.index] = t[--n];
    }
    assert_int_equal(order[0], 2);
    assert_int_equal(order[1], 3);
    assert_int_equal(order[2], 4);
    assert_int_equal(order[3], 1);
    assert_int_equal(order[4], 5);
}

static void test_streak_resets_without_normal(void **state)
{
    (void)state;
    sched_ticket_t t[] = {{2, 'A', 1, 1}};
    sched_pick_t p = sched_pick(t, 1, "A", 3, &s_rules, MIN);
    assert_int_equal(p.reason, SCHED_GREEN);
    assert_int_equal(p.green_streak, 0); /* nobody was kept waiting */
}

static void test_max_wait_beats_green(void **state)
{
    (void)state;
    sched_ticket_t t[] = {{1, 'A', 0, 0}, {2, 'B', 1, 20 * MIN}};
    sched_pick_t p = sched_pick(t, 2, "AB", 0, &s_rules, 31 * MIN);
    assert_int_equal(p.index, 0);
    assert_int_equal(p.reason, SCHED_MAX_WAIT);
    char text[64];
    sched_reason_text(&p, &s_rules, text, sizeof text);
    assert_string_equal(text, "normal waited 31 min");
    /* just under the limit: green still goes first */
    p = sched_pick(t, 2, "AB", 0, &s_rules, 30 * MIN - 1);
    assert_int_equal(p.index, 1);
}

static void test_transferred_ticket_keeps_its_place(void **state)
{
    (void)state;
    /* Ticket 7 was issued first in queue A and transferred to C: it keeps issue time 1 min,
     * so at a C counter it comes before C tickets issued later. */
    sched_ticket_t t[] = {{8, 'C', 0, 3 * MIN}, {7, 'C', 0, 1 * MIN}, {9, 'C', 0, 2 * MIN}};
    assert_int_equal(sched_pick(t, 3, "C", 0, &s_rules, 4 * MIN).index, 1);
}

static void test_counter_sees_only_its_queues(void **state)
{
    (void)state;
    sched_ticket_t t[] = {{1, 'E', 1, 0}, {2, 'F', 0, 0}};
    assert_int_equal(sched_pick(t, 2, "ABCD", 0, &s_rules, 40 * MIN).index, -1);
    assert_int_equal(sched_pick(t, 2, "F", 0, &s_rules, 40 * MIN).index, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_oldest_first_across_queues),
        cmocka_unit_test(test_ties_break_by_id),
        cmocka_unit_test(test_green_first),
        cmocka_unit_test(test_green_streak_bounded),
        cmocka_unit_test(test_streak_resets_without_normal),
        cmocka_unit_test(test_max_wait_beats_green),
        cmocka_unit_test(test_transferred_ticket_keeps_its_place),
        cmocka_unit_test(test_counter_sees_only_its_queues),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
