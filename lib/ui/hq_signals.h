/* Stop signals for the hall's programs, handled one way everywhere: the handler only records
 * the signal in hq_signal_stop, and the program's loop notices it and shuts down in order
 * (a terminal program restores the screen first, hallqd stops taking requests, flushes and
 * closes). The handler is written once, here; no program installs its own.
 *
 * One-shot commands (a hallqctl request, hallq-ticket --queue) keep the default action:
 * they have no loop to act and nothing to put back. */
#ifndef HQ_SIGNALS_H
#define HQ_SIGNALS_H

#include <signal.h>

/* The stop signal caught (SIGINT, SIGTERM, SIGHUP or SIGQUIT), 0 none yet. Loops read it;
 * hq_loop_serve and server_run take its address as their stop flag. */
extern volatile sig_atomic_t hq_signal_stop;

/* Catches SIGINT, SIGTERM, SIGHUP and SIGQUIT into hq_signal_stop, without SA_RESTART, so a
 * blocking poll or getch returns at once; ignores SIGPIPE. Safe to call more than once. */
void hq_signals_catch(void);

/* The signals hq_signals_catch catches. A program that starts threads blocks them while it
 * does (pthread_sigmask), so that none of its threads takes them and the one that polls is
 * woken (hallqd). */
void hq_signals_stop_set(sigset_t *set);

#endif
