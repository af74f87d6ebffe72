/* Erlang C: the M/M/c queue (Poisson arrivals, exponential service, c windows, one line,
 * nobody gives up) that turns arrivals per hour and handling time into waiting. Pure.
 * Loads are in Erlangs: a = arrival rate x mean service time. */
#ifndef HALLQ_ERLANG_H
#define HALLQ_ERLANG_H

/* Probability that an arrival has to wait, P(W > 0). 1 when the load is at or above c
 * (the line grows without end); 0 when there is no load; -1 for c < 1 or a < 0. */
double erlang_c(int c, double a);
/* Mean wait in the line (the call centre's ASA), in the unit of aht. Infinity when
 * a >= c; -1 for bad arguments. */
double erlang_mean_wait(int c, double a, double aht);
/* Share of arrivals that wait at most t (same unit as aht): 1 - C e^{-(c-a) t / aht}. */
double erlang_within(int c, double a, double aht, double t);
/* Fewest windows whose mean wait is at most target_wait (unit of aht); 0 when a is 0;
 * -1 when even max_c windows cannot do it or the arguments are bad. */
int erlang_windows_for_wait(double a, double aht, double target_wait, int max_c);

#endif
