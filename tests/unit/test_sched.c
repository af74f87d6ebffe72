/* Scheduling: green first, at most N green in a row while normal tickets wait, a normal ticket
 * past the maximum wait goes first, otherwise oldest first (in issue order: by id, whatever
 * the clock said), only the counter's queues. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "hq_alloc.h"
#include "sched.h"

#define MIN 60000LL
static const sched_rules_t s_rules = {3, 30 * MIN, 2};
static const sched_streaks_t s_none = {0, 0};

static void test_empty(void **state)
{
    (void)state;
    sched_pick_t p = sched_pick(NULL, 0, "ABC", s_none, &s_rules, 0);
    assert_int_equal(p.index, -1);
    assert_int_equal(p.reason, SCHED_NONE);
}

static void test_oldest_first_across_queues(void **state)
{
    (void)state;
    sched_ticket_t t[] = {
        {3, 'B', 0, 5 * MIN, 0}, {2, 'A', 0, 2 * MIN, 0}, {1, 'C', 0, 1 * MIN, 0}};
    sched_pick_t p = sched_pick(t, 3, "AB", s_none, &s_rules, 10 * MIN);
    assert_int_equal(p.index, 1); /* C is not served here */
    assert_int_equal(p.reason, SCHED_OLDEST);
    assert_int_equal(p.waited_ms, 8 * MIN);
    char text[64];
    sched_reason_text(&p, &s_rules, text, sizeof text);
    assert_string_equal(text, "oldest");
}

static void test_same_time_by_id(void **state)
{
    (void)state;
    sched_ticket_t t[] = {{9, 'A', 0, MIN, 0}, {4, 'A', 0, MIN, 0}};
    assert_int_equal(sched_pick(t, 2, "A", s_none, &s_rules, 2 * MIN).index, 1);
}

/* The wall clock stepped back an hour between two issues: the later arrival (id 2) carries
 * the earlier time, and still comes second; no wait is negative. */
static void test_issue_order_not_the_clock(void **state)
{
    (void)state;
    sched_ticket_t t[] = {{2, 'B', 0, 600 * MIN, 0}, {1, 'A', 0, 660 * MIN, 0}};
    sched_pick_t p = sched_pick(t, 2, "AB", s_none, &s_rules, 601 * MIN);
    assert_int_equal(p.index, 1);
    assert_int_equal(p.reason, SCHED_OLDEST);
    assert_int_equal(p.waited_ms, 0);
    /* The same order in a line, and when the later one is a normal ticket past the maximum
     * wait by its time, the oldest by id is the one the rule looks at. */
    sched_line_t l = {0};
    assert_int_equal(sched_line_add(&l, &t[1]), 0);
    assert_int_equal(sched_line_add(&l, &t[0]), 0);
    assert_int_equal(sched_line_first(&l)->id, 1);
    sched_line_free(&l);
    t[0].queue = 'A';
    p = sched_pick(t, 2, "A", s_none, &s_rules, 635 * MIN);
    assert_int_equal(p.index, 1);
    assert_int_equal(p.reason, SCHED_OLDEST);
}

static void test_green_first(void **state)
{
    (void)state;
    sched_ticket_t t[] = {{1, 'A', 0, 1 * MIN, 0}, {2, 'A', 1, 4 * MIN, 0}};
    sched_pick_t p = sched_pick(t, 2, "A", s_none, &s_rules, 5 * MIN);
    assert_int_equal(p.index, 1);
    assert_int_equal(p.reason, SCHED_GREEN);
    assert_int_equal(p.streaks.green, 1);
}

static void test_green_streak_bounded(void **state)
{
    (void)state;
    /* One normal and many green tickets: after N=3 greens the normal one is called. */
    sched_ticket_t t[] = {{1, 'A', 0, 0, 0},
                          {2, 'A', 1, 1, 0},
                          {3, 'A', 1, 2, 0},
                          {4, 'A', 1, 3, 0},
                          {5, 'A', 1, 4, 0}};
    int n = 5;
    sched_streaks_t streak = s_none;
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
        streak = p.streaks;
        t[p.index] = t[--n];
    }
    assert_int_equal(order[0], 2);
    assert_int_equal(order[1], 3);
    assert_int_equal(order[2], 4);
    assert_int_equal(order[3], 1);
    assert_int_equal(order[4], 5);
}

/* The streak is the hall's: a green call that kept no normal ticket of its window's queues
 * waiting neither adds to it nor ends it (normal tickets wait at other windows); a normal
 * call ends it. */
static void test_streak_kept_without_normal(void **state)
{
    (void)state;
    sched_ticket_t t[] = {{2, 'A', 1, 1, 0}, {3, 'B', 0, 2, 0}};
    sched_pick_t p = sched_pick(t, 2, "A", (sched_streaks_t){3, 0}, &s_rules, MIN);
    assert_int_equal(p.index, 0);
    assert_int_equal(p.reason, SCHED_GREEN);
    assert_int_equal(p.streaks.green, 3); /* nobody of A was kept waiting: unchanged */
    p = sched_pick(t, 2, "AB", (sched_streaks_t){3, 0}, &s_rules, MIN);
    assert_int_equal(p.index, 1);
    assert_int_equal(p.reason, SCHED_GREEN_LIMIT);
    assert_int_equal(p.streaks.green, 0);
}

static void test_max_wait_beats_green(void **state)
{
    (void)state;
    sched_ticket_t t[] = {{1, 'A', 0, 0, 0}, {2, 'B', 1, 20 * MIN, 0}};
    sched_pick_t p = sched_pick(t, 2, "AB", s_none, &s_rules, 31 * MIN);
    assert_int_equal(p.index, 0);
    assert_int_equal(p.reason, SCHED_MAX_WAIT);
    char text[64];
    sched_reason_text(&p, &s_rules, text, sizeof text);
    assert_string_equal(text, "normal waited 31 min");
    /* just under the limit: green still goes first */
    p = sched_pick(t, 2, "AB", s_none, &s_rules, 30 * MIN - 1);
    assert_int_equal(p.index, 1);
}

static void test_transferred_ticket_keeps_its_place(void **state)
{
    (void)state;
    /* Ticket 7 was issued first in queue A and transferred to C: it keeps its id (and issue
     * time 1 min), so at a C counter it comes before C tickets issued later. */
    sched_ticket_t t[] = {
        {8, 'C', 0, 3 * MIN, 0}, {7, 'C', 0, 1 * MIN, 0}, {9, 'C', 0, 2 * MIN, 0}};
    assert_int_equal(sched_pick(t, 3, "C", s_none, &s_rules, 4 * MIN).index, 1);
}

static void test_counter_sees_only_its_queues(void **state)
{
    (void)state;
    sched_ticket_t t[] = {{1, 'E', 1, 0, 0}, {2, 'F', 0, 0, 0}};
    assert_int_equal(sched_pick(t, 2, "ABCD", s_none, &s_rules, 40 * MIN).index, -1);
    assert_int_equal(sched_pick(t, 2, "F", s_none, &s_rules, 40 * MIN).index, 1);
}

/* ---- waiting lines ------------------------------------------------------------------------- */
static size_t s_ids(const sched_line_t *l, int64_t *out, size_t max)
{
    size_t n = 0;
    for (size_t i = l->head; i < l->end && n < max; i++)
        out[n++] = l->v[i].id;
    return n;
}

static void test_line_keeps_issue_order(void **state)
{
    (void)state;
    sched_line_t l = {0};
    assert_null(sched_line_first(&l));
    sched_ticket_t a = {10, 'A', 0, 1 * MIN, 0}, b = {20, 'A', 0, 2 * MIN, 0},
                   c = {30, 'A', 0, 3 * MIN, 0};
    sched_ticket_t older = {15, 'A', 0, 1 * MIN + 1,
                            0};              /* transferred in: issued between a and b */
    sched_ticket_t tie = {12, 'A', 0, 0, 0}; /* issued after a clock step back: by id, not time */
    assert_int_equal(sched_line_add(&l, &a), 0);
    assert_int_equal(sched_line_add(&l, &b), 0);
    assert_int_equal(sched_line_add(&l, &c), 0);
    assert_int_equal(sched_line_add(&l, &older), 0);
    assert_int_equal(sched_line_add(&l, &tie), 0);
    assert_int_equal(sched_line_add(&l, &b), 0); /* already there: not twice */
    int64_t ids[8];
    assert_int_equal(s_ids(&l, ids, 8), 5);
    int64_t want[] = {10, 12, 15, 20, 30};
    assert_memory_equal(ids, want, sizeof want);
    /* A call takes the front; a ticket older than all then reuses the freed place. */
    assert_int_equal(sched_line_first(&l)->id, 10);
    assert_int_equal(sched_line_remove(&l, &a), 0);
    assert_int_equal(l.head, 1);
    assert_int_equal(sched_line_first(&l)->id, 12);
    assert_int_equal(sched_line_add(&l, &a), 0);
    assert_int_equal(l.head, 0);
    assert_int_equal(sched_line_first(&l)->id, 10);
    /* Leaving from the middle (a transfer, a call by number); unknown tickets are refused. */
    assert_int_equal(sched_line_remove(&l, &tie), 0);
    assert_int_equal(sched_line_remove(&l, &tie), -1);
    sched_ticket_t unknown = {25, 'A', 0, 2 * MIN, 0};
    assert_int_equal(sched_line_remove(&l, &unknown), -1);
    assert_int_equal(sched_line_size(&l), 4);
    sched_line_clear(&l);
    assert_int_equal(sched_line_size(&l), 0);
    assert_null(sched_line_first(&l));
    sched_line_free(&l);
}

/* A day of issues at the back and calls at the front: the line's memory stays bounded by the
 * longest queue, not by the day's tickets. */
static void test_line_reuses_freed_front(void **state)
{
    (void)state;
    sched_line_t l = {0};
    int64_t id = 1;
    for (int i = 0; i < 20; i++) {
        sched_ticket_t t = {id, 'A', 0, id * 1000, 0};
        assert_int_equal(sched_line_add(&l, &t), 0);
        id++;
    }
    for (int round = 0; round < 10000; round++) {
        sched_ticket_t t = {id, 'A', 0, id * 1000, 0};
        assert_int_equal(sched_line_add(&l, &t), 0);
        id++;
        sched_ticket_t front = *sched_line_first(&l);
        assert_int_equal(front.id, id - 21);
        assert_int_equal(sched_line_remove(&l, &front), 0);
    }
    assert_int_equal(sched_line_size(&l), 20);
    assert_true(l.cap <= 128);
    sched_line_free(&l);
}

/* A line that cannot grow refuses the ticket and stays as it was; its memory comes from
 * hq_alloc, where a fault test fails it. */
static void test_line_out_of_memory(void **state)
{
    (void)state;
    sched_line_t l = {0};
    sched_ticket_t a = {1, 'A', 0, MIN, 0}, b = {2, 'A', 0, 2 * MIN, 0};
    uint64_t failures = hq_alloc_failures();
    hq_alloc_fail(1, 0);
    assert_int_equal(sched_line_add(&l, &a), -1);
    hq_alloc_fail(0, 0);
    assert_int_equal(hq_alloc_failures(), failures + 1);
    assert_int_equal(sched_line_size(&l), 0);
    assert_int_equal(sched_line_add(&l, &b), 0);
    /* full: the next one needs a bigger array */
    for (int64_t id = 3; sched_line_size(&l) < l.cap; id++) {
        sched_ticket_t t = {id, 'A', 0, id * MIN, 0};
        assert_int_equal(sched_line_add(&l, &t), 0);
    }
    size_t n = sched_line_size(&l);
    hq_alloc_fail(1, 0);
    assert_int_equal(sched_line_add(&l, &a), -1); /* the oldest: it would go in front */
    hq_alloc_fail(0, 0);
    assert_int_equal(sched_line_size(&l), n);
    assert_int_equal(sched_line_first(&l)->id, 2);
    assert_int_equal(sched_line_add(&l, &a), 0);
    assert_int_equal(sched_line_first(&l)->id, 1);
    sched_line_free(&l);
}

/* Random adds and removes against a plain array kept sorted by sched_before. */
static int s_cmp(const void *a, const void *b)
{
    const sched_ticket_t *x = a, *y = b;
    return sched_before(x, y) ? -1 : sched_before(y, x) ? 1 : 0;
}

static void test_line_matches_sorted_reference(void **state)
{
    (void)state;
    sched_line_t l = {0};
    enum { N = 400 };
    sched_ticket_t pool[N], ref[N];
    int in[N] = {0}, nref = 0;
    srand(7);
    for (int i = 0; i < N; i++)
        pool[i] = (sched_ticket_t){i + 1, 'B', 1, (int64_t)(rand() % 50) * MIN, 0};
    for (int step = 0; step < 20000; step++) {
        int k = rand() % N;
        if (rand() % 3 == 0 && sched_line_first(&l)) {
            /* a call: the front leaves */
            const sched_ticket_t *f = sched_line_first(&l);
            k = (int)f->id - 1;
        }
        if (in[k]) {
            assert_int_equal(sched_line_remove(&l, &pool[k]), 0);
            in[k] = 0;
        } else {
            assert_int_equal(sched_line_add(&l, &pool[k]), 0);
            in[k] = 1;
        }
        if (step % 97 == 0 || step == 19999) {
            nref = 0;
            for (int i = 0; i < N; i++)
                if (in[i])
                    ref[nref++] = pool[i];
            qsort(ref, (size_t)nref, sizeof ref[0], s_cmp);
            assert_int_equal(sched_line_size(&l), nref);
            for (int i = 0; i < nref; i++)
                assert_int_equal(l.v[l.head + (size_t)i].id, ref[i].id);
        }
    }
    sched_line_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_oldest_first_across_queues),
        cmocka_unit_test(test_same_time_by_id),
        cmocka_unit_test(test_issue_order_not_the_clock),
        cmocka_unit_test(test_green_first),
        cmocka_unit_test(test_green_streak_bounded),
        cmocka_unit_test(test_streak_kept_without_normal),
        cmocka_unit_test(test_max_wait_beats_green),
        cmocka_unit_test(test_transferred_ticket_keeps_its_place),
        cmocka_unit_test(test_counter_sees_only_its_queues),
        cmocka_unit_test(test_line_keeps_issue_order),
        cmocka_unit_test(test_line_reuses_freed_front),
        cmocka_unit_test(test_line_out_of_memory),
        cmocka_unit_test(test_line_matches_sorted_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
