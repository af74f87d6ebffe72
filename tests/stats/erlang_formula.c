/* stats_erlang_formula C A AHT [T ...]: hallq's Erlang C (stats/erlang.c) for c windows, a
 * load of A Erlangs and a mean handling time AHT, as one line of JSON for the scripts that
 * measure the real daemon against it (test_mmc_daemon.py):
 *   {"p_wait": P(wait > 0), "mean_wait": in AHT's unit, "within": [P(wait <= T), ...]}
 * A mean wait without end (A >= C) is null. Exit status 2 for bad arguments. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "erlang.h"

static int s_number(const char *text, double *out)
{
    char *end;
    *out = strtod(text, &end);
    return *end || end == text || !isfinite(*out) ? -1 : 0;
}

int main(int argc, char **argv)
{
    double c, a, aht;
    if (argc < 4 || s_number(argv[1], &c) != 0 || s_number(argv[2], &a) != 0 ||
        s_number(argv[3], &aht) != 0 || c < 1 || c > 10000 || c != floor(c) || a < 0 ||
        !(aht > 0)) {
        fprintf(stderr, "usage: stats_erlang_formula C A AHT [T ...]\n");
        return 2;
    }
    double wait = erlang_mean_wait((int)c, a, aht);
    printf("{\"p_wait\": %.17g, \"mean_wait\": ", erlang_c((int)c, a));
    if (isinf(wait))
        printf("null");
    else
        printf("%.17g", wait);
    printf(", \"within\": [");
    for (int i = 4; i < argc; i++) {
        double t;
        if (s_number(argv[i], &t) != 0 || t < 0) {
            fprintf(stderr, "stats_erlang_formula: '%s' is not a time\n", argv[i]);
            return 2;
        }
        printf("%s%.17g", i > 4 ? ", " : "", erlang_within((int)c, a, aht, t));
    }
    printf("]}\n");
    return 0;
}
