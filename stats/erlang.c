#include "erlang.h"

#include <math.h>

double erlang_c(int c, double a)
{
    if (c < 1 || !(a >= 0) || isinf(a))
        return -1;
    if (a == 0)
        return 0;
    if (a >= c)
        return 1;
    /* Erlang B by its recursion B(k) = a B(k-1) / (k + a B(k-1)), then C from B. The
     * textbook form with a^c / c! overflows a double near c = 170; this one stays in
     * [0, 1] for any number of windows. */
    double b = 1;
    for (int k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return c * b / (c - a * (1 - b));
}

double erlang_mean_wait(int c, double a, double aht)
{
    double p = erlang_c(c, a);
    if (p < 0 || !(aht >= 0))
        return -1;
    if (a >= c)
        return INFINITY;
    return p * aht / (c - a);
}

double erlang_within(int c, double a, double aht, double t)
{
    double p = erlang_c(c, a);
    if (p < 0 || !(aht > 0) || !(t >= 0))
        return -1;
    if (a >= c)
        return 0;
    return 1 - p * exp(-(c - a) * t / aht);
}

int erlang_windows_for_wait(double a, double aht, double target_wait, int max_c)
{
    if (!(a >= 0) || isinf(a) || !(aht >= 0) || !(target_wait >= 0) || max_c < 1)
        return -1;
    if (a == 0)
        return 0;
    /* The mean wait falls as windows are added, so the first c that meets the target is
     * the answer; start just above the load, below it the line never empties. */
    for (int c = (int)floor(a) + 1; c <= max_c; c++)
        if (erlang_mean_wait(c, a, aht) <= target_wait)
            return c;
    return -1;
}
