/* stats_erlang: the Erlang C formula against published worked examples, textbook identities
 * and a discrete-event simulation of the M/M/c queue it describes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "erlang.h"

/* The call-centre example of Call Centre Helper ("Erlang C formula - made simple",
 * callcentrehelper.com/erlang-c-formula-example-121281.htm), as reproduced in the README of
 * rodrigo-arenas/pyworkforce: 100 calls in 30 minutes, average handling time 180 s, so
 * A = 100 / 1800 s x 180 s = 10 Erlangs; answer 80 % within 20 s. pyworkforce prints for
 * 14 agents: waiting_probability 0.1741319335950498, service_level 0.8883500191794669,
 * occupancy 0.7142857142857143; and for the neighbouring answers (MultiErlangC example)
 * 13 agents: service level 0.795..., 15 agents: 0.941... So 14 is the fewest that reach
 * 80 %, and the mean wait (ASA) with 14 is 0.17413 x 180 / (14 - 10) = 7.84 s. */
static void test_call_centre_example(void **state)
{
    (void)state;
    double a = 100.0 / 1800.0 * 180.0;
    assert_true(fabs(a - 10.0) < 1e-12);
    assert_true(fabs(erlang_c(14, a) - 0.1741319335950498) < 1e-12);
    assert_true(fabs(erlang_within(14, a, 180, 20) - 0.8883500191794669) < 1e-12);
    assert_true(fabs(a / 14 - 0.7142857142857143) < 1e-15);
    assert_true(fabs(erlang_mean_wait(14, a, 180) - 7.8359) < 1e-4);
    assert_true(fabs(erlang_within(13, a, 180, 20) - 0.7956) < 1e-4);
    assert_true(fabs(erlang_within(15, a, 180, 20) - 0.9415) < 1e-4);
    int c = 11;
    while (erlang_within(c, a, 180, 20) < 0.8)
        c++;
    assert_int_equal(c, 14);
    /* The article starts from 11 agents: P(wait) 0.6821 and a service level under 40 %. */
    assert_true(fabs(erlang_c(11, a) - 0.6821) < 1e-4);
    assert_true(erlang_within(11, a, 180, 20) < 0.40);
}

/* Closed forms: one server, P(wait) = rho and W = rho S / (1 - rho) (M/M/1); two servers,
 * P(wait) = 2 rho^2 / (1 + rho) (Kleinrock, Queueing Systems I, 3.4). */
static void test_closed_forms(void **state)
{
    (void)state;
    for (double rho = 0.05; rho < 1; rho += 0.1) {
        assert_true(fabs(erlang_c(1, rho) - rho) < 1e-12);
        assert_true(fabs(erlang_mean_wait(1, rho, 5.0) - rho * 5.0 / (1 - rho)) < 1e-9);
        assert_true(fabs(erlang_c(2, 2 * rho) - 2 * rho * rho / (1 + rho)) < 1e-12);
    }
    /* More windows never make the wait longer. */
    double prev = INFINITY;
    for (int c = 8; c < 40; c++) {
        double w = erlang_mean_wait(c, 7.5, 6.0);
        assert_true(w <= prev);
        prev = w;
    }
}

static void test_edges(void **state)
{
    (void)state;
    assert_true(erlang_c(3, 0) == 0);
    assert_true(erlang_mean_wait(3, 0, 6) == 0);
    assert_true(erlang_c(3, 3) == 1); /* at capacity the line never empties */
    assert_true(isinf(erlang_mean_wait(3, 3, 6)));
    assert_true(isinf(erlang_mean_wait(3, 4.5, 6)));
    assert_true(erlang_within(3, 4, 6, 1) == 0);
    assert_true(erlang_c(0, 1) < 0);
    assert_true(erlang_c(2, -1) < 0);
    assert_true(erlang_c(2, NAN) < 0);
    assert_true(erlang_mean_wait(2, 1, -1) < 0);
    /* A big hall: the textbook a^c / c! overflows near c = 170, the recursion does not. */
    double p = erlang_c(1000, 950);
    assert_true(p > 0 && p < 1);
    assert_true(erlang_c(400, 399.9) > 0.9 && erlang_c(400, 399.9) <= 1);
    /* Windows for a target wait: the fewest that reach it. */
    assert_int_equal(erlang_windows_for_wait(0, 6, 15, 99), 0);
    int c = erlang_windows_for_wait(10, 180, 20, 99);
    assert_true(erlang_mean_wait(c, 10, 180) <= 20);
    assert_true(erlang_mean_wait(c - 1, 10, 180) > 20);
    assert_int_equal(c, 13); /* 13 agents: 0.2853 x 180 / 3 = 17.1 s; 12: 40.4 s */
    assert_int_equal(erlang_windows_for_wait(50, 6, 15, 40), -1);
    assert_int_equal(erlang_windows_for_wait(-1, 6, 15, 40), -1);
}

/* ---- simulation ------------------------------------------------------------------------ */

static uint64_t s_rng = 0x9E3779B97F4A7C15u;

static double s_uniform(void)
{
    /* splitmix64: fixed seed, the same numbers on every machine */
    uint64_t z = (s_rng += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double s_exp(double mean)
{
    return -log(s_uniform()) * mean;
}

/* First come, first served with c servers: each arrival takes the server that frees first
 * (Kiefer and Wolfowitz), which is the M/M/c queue exactly. Returns the mean wait; *p_wait
 * gets the share that waited at all. The first tenth is a warm-up and not counted. */
static double s_simulate(int c, double lambda, double mean_service, long n, double *p_wait)
{
    double *free_at = calloc((size_t)c, sizeof *free_at);
    assert_non_null(free_at);
    double t = 0, sum = 0;
    long counted = 0, waited = 0;
    for (long i = 0; i < n; i++) {
        t += s_exp(1 / lambda);
        int k = 0;
        for (int j = 1; j < c; j++)
            if (free_at[j] < free_at[k])
                k = j;
        double start = free_at[k] > t ? free_at[k] : t;
        free_at[k] = start + s_exp(mean_service);
        if (i >= n / 10) {
            sum += start - t;
            waited += start > t;
            counted++;
        }
    }
    free(free_at);
    *p_wait = (double)waited / (double)counted;
    return sum / (double)counted;
}

static void test_against_simulation(void **state)
{
    (void)state;
    static const struct {
        int c;
        double lambda;  /* per minute */
        double service; /* minutes */
    } cases[] = {
        {1, 0.10, 7.0}, /* a village window: rho 0.7 */
        {3, 0.40, 6.0}, /* rho 0.8 */
        {5, 0.55, 7.5}, /* rho 0.825 */
        {12, 1.50, 7.0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double a = cases[i].lambda * cases[i].service, p_sim;
        double w_sim = s_simulate(cases[i].c, cases[i].lambda, cases[i].service, 1500000, &p_sim);
        double w = erlang_mean_wait(cases[i].c, a, cases[i].service);
        double p = erlang_c(cases[i].c, a);
        printf("M/M/%d a=%.2f: Erlang C wait %.3f min, P(wait) %.4f; simulated %.3f, %.4f\n",
               cases[i].c, a, w, p, w_sim, p_sim);
        /* 1.35 million counted customers: the sampling error of the mean wait is a few per
         * cent at these loads, so 6 % is a bound that a wrong formula cannot meet. */
        assert_true(fabs(w_sim - w) / w < 0.06);
        assert_true(fabs(p_sim - p) < 0.015);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call_centre_example),
        cmocka_unit_test(test_closed_forms),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_against_simulation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
