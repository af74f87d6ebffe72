/* The voice's pace (pace.h), run against a simulated speaker with the lengths the Mandarin
 * voice has at the default rate: a call alone is said in full; calls that pile up drop
 * repeats first, then take the short form, then the chime alone; and whatever the burst, no
 * call's announcement ends more than PACE_LAG_MS after the call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "pace.h"

#define S_CALLS 64

/* Measured with espeak-ng's cmn-latn-pinyin at 150 words a minute: the chime 1200 ms (and
 * 500 after it), 请A零零一号到三号窗口办理 4200 ms, A零零一，三号窗口 2900 ms. */
static const pace_timing_t s_timing = {
    .chime_ms = 1700,
    .bell_ms = 1200,
    .between_ms = 700,
    .gap_ms = PACE_GAP_MS,
    .repeat = 2,
    .lag_ms = PACE_LAG_MS,
};

typedef struct {
    int n;                  /* calls */
    int64_t at[S_CALLS];    /* when each was made */
    int64_t end[S_CALLS];   /* when its announcement ended */
    char how[S_CALLS][32];  /* what was said for it: "C S S", "S", "s", "b" ... */
    pace_action_t log[256]; /* every step */
    int nlog;
} s_run_t;

/* Plays the calls through pace_next as the voice does, one part at a time, on a speaker
 * that takes exactly as long as each sound. */
static void s_simulate(s_run_t *r, int sentence_ms, int short_ms)
{
    int queue[S_CALLS], nq = 0, next = 0;
    pace_call_t calls[S_CALLS];
    int64_t now = 0, ready = 0;
    for (;;) {
        while (next < r->n && r->at[next] <= now) {
            memset(&calls[nq], 0, sizeof calls[nq]);
            calls[nq].arrived_ms = r->at[next];
            calls[nq].sentence_ms = sentence_ms;
            calls[nq].short_ms = short_ms;
            queue[nq++] = next++;
        }
        if (nq == 0) {
            if (next >= r->n)
                return;
            now = r->at[next];
            continue;
        }
        pace_action_t a = pace_next(&s_timing, calls, nq, now, ready);
        assert_true(r->nlog < 256);
        r->log[r->nlog++] = a;
        int head = queue[0], drop = 0;
        int64_t start = calls[0].stage == PACE_FRESH && ready > now ? ready : now;
        switch (a) {
        case PACE_CHIME:
            now = start + s_timing.chime_ms;
            r->end[head] = now - (s_timing.chime_ms - s_timing.bell_ms);
            calls[0].stage = PACE_CHIMED;
            strcat(r->how[head], "C");
            break;
        case PACE_SENTENCE:
            now += (calls[0].said ? s_timing.between_ms : 0) + sentence_ms;
            r->end[head] = now;
            calls[0].stage = PACE_SAID;
            calls[0].said++;
            strcat(r->how[head], "S");
            ready = now + s_timing.gap_ms;
            break;
        case PACE_SHORT:
            now = start + short_ms;
            r->end[head] = now;
            strcat(r->how[head], "s");
            ready = now + s_timing.gap_ms;
            drop = 1;
            break;
        case PACE_BELL:
            now = start + s_timing.bell_ms;
            for (int i = 0; i < nq; i++) {
                r->end[queue[i]] = now;
                strcat(r->how[queue[i]], "b");
            }
            ready = now + s_timing.gap_ms;
            drop = nq;
            break;
        case PACE_DONE:
        default:
            drop = 1;
            break;
        }
        memmove(queue, queue + drop, (size_t)(nq - drop) * sizeof queue[0]);
        memmove(calls, calls + drop, (size_t)(nq - drop) * sizeof calls[0]);
        nq -= drop;
    }
}

static int64_t s_worst_lag(const s_run_t *r, int *who)
{
    int64_t worst = 0;
    for (int i = 0; i < r->n; i++) {
        assert_true(r->end[i] > r->at[i]); /* every call was announced */
        if (r->end[i] - r->at[i] > worst) {
            worst = r->end[i] - r->at[i];
            *who = i;
        }
    }
    return worst;
}

static int s_said_in_words(const s_run_t *r)
{
    int n = 0;
    for (int i = 0; i < r->n; i++)
        n += strchr(r->how[i], 'S') || strchr(r->how[i], 's');
    return n;
}

static void test_one_call_in_full(void **state)
{
    (void)state;
    s_run_t r = {.n = 1};
    s_simulate(&r, 4200, 2900);
    assert_string_equal(r.how[0], "CSS");
    assert_int_equal(r.end[0], 1700 + 4200 + 700 + 4200);
}

/* Calls far enough apart are each said in full, however many there are. */
static void test_calls_apart_in_full(void **state)
{
    (void)state;
    s_run_t r = {.n = 6};
    for (int i = 0; i < r.n; i++)
        r.at[i] = i * 12000;
    s_simulate(&r, 4200, 2900);
    for (int i = 0; i < r.n; i++)
        assert_string_equal(r.how[i], "CSS");
}

/* Two calls 3 s apart: the first drops its repeat, so the second is still said with its
 * chime and whole sentence (its own repeat would end too late). */
static void test_repeats_go_first(void **state)
{
    (void)state;
    s_run_t r = {.n = 2, .at = {0, 3000}};
    s_simulate(&r, 4200, 2900);
    assert_string_equal(r.how[0], "CS");
    assert_string_equal(r.how[1], "CS");
    /* 6 s apart: time for both in full. */
    s_run_t apart = {.n = 2, .at = {0, 6000}};
    s_simulate(&apart, 4200, 2900);
    assert_string_equal(apart.how[0], "CSS");
    int who;
    assert_true(s_worst_lag(&r, &who) <= PACE_LAG_MS);
}

/* Eight calls in two seconds: nothing can say eight sentences in fifteen, so the first is cut
 * short after its chime, as many as fit are said in the short form, the rest get one chime;
 * every announcement ends within the bound. */
static void test_burst_of_eight(void **state)
{
    (void)state;
    s_run_t r = {.n = 8};
    for (int i = 0; i < r.n; i++)
        r.at[i] = i * 2000 / 7;
    s_simulate(&r, 4200, 2900);
    int who = -1;
    int64_t worst = s_worst_lag(&r, &who);
    printf("# burst of 8 in 2 s: worst lag %lld ms (call %d);", (long long)worst, who + 1);
    for (int i = 0; i < r.n; i++)
        printf(" %s", r.how[i]);
    printf("\n");
    assert_true(worst <= PACE_LAG_MS);
    assert_int_equal(r.how[0][0], 'C'); /* the burst starts with the chime */
    assert_true(s_said_in_words(&r) >= 3);
    /* No repeat in a burst. */
    for (int i = 0; i < r.n; i++)
        assert_null(strstr(r.how[i], "SS"));
}

/* Bursts of every size and spread, and slower speech (--rate 80): the bound holds, and a
 * call is said in words whenever it was alone. */
static void test_any_burst_within_bound(void **state)
{
    (void)state;
    for (int n = 1; n <= 40; n++)
        for (int spread = 0; spread <= 20000; spread += 2500)
            for (int slow = 0; slow <= 1; slow++) {
                s_run_t r = {.n = n};
                for (int i = 0; i < n; i++)
                    r.at[i] = n > 1 ? (int64_t)i * spread / (n - 1) : 0;
                s_simulate(&r, slow ? 7900 : 4200, slow ? 5400 : 2900);
                int who;
                int64_t worst = s_worst_lag(&r, &who);
                if (worst > PACE_LAG_MS)
                    fail_msg("%d calls over %d ms%s: call %d ends %lld ms after it", n, spread,
                             slow ? " (slow)" : "", who + 1, (long long)worst);
                assert_true(s_said_in_words(&r) >= 1);
            }
}

/* A stalled machine: calls already past their bound get one chime at once. */
static void test_late_calls_get_the_chime(void **state)
{
    (void)state;
    pace_call_t calls[3];
    memset(calls, 0, sizeof calls);
    for (int i = 0; i < 3; i++) {
        calls[i].arrived_ms = 0;
        calls[i].sentence_ms = 4200;
        calls[i].short_ms = 2900;
    }
    assert_int_equal(pace_next(&s_timing, calls, 3, PACE_LAG_MS + 5000, 0), PACE_BELL);
    calls[0].stage = PACE_CHIMED;
    assert_int_equal(pace_next(&s_timing, calls, 3, PACE_LAG_MS + 5000, 0), PACE_DONE);
    assert_string_equal(pace_action_name(PACE_SHORT), "short");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_call_in_full),
        cmocka_unit_test(test_calls_apart_in_full),
        cmocka_unit_test(test_repeats_go_first),
        cmocka_unit_test(test_burst_of_eight),
        cmocka_unit_test(test_any_burst_within_bound),
        cmocka_unit_test(test_late_calls_get_the_chime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
