#include "hq_signals.h"

#include <string.h>

volatile sig_atomic_t hq_signal_stop;

static const int s_stop_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define S_NSTOP (sizeof s_stop_signals / sizeof s_stop_signals[0])

static void s_on_signal(int sig)
{
    hq_signal_stop = sig;
}

void hq_signals_catch(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < S_NSTOP; i++)
        sigaction(s_stop_signals[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

void hq_signals_stop_set(sigset_t *set)
{
    sigemptyset(set);
    for (size_t i = 0; i < S_NSTOP; i++)
        sigaddset(set, s_stop_signals[i]);
}
