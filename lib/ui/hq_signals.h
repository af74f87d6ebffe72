/* Stop signals for the hall's programs: the handler only records the signal, the program's
 * loop notices it and shuts down in order (a terminal program restores the screen first). */
#ifndef HQ_SIGNALS_H
#define HQ_SIGNALS_H

#include <signal.h>

/* Catches SIGINT, SIGTERM, SIGHUP and SIGQUIT without SA_RESTART, so a blocking poll or
 * getch returns at once; ignores SIGPIPE. */
void hq_signals_catch(void (*handler)(int));

#endif
