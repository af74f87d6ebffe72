/* What hallq-sim prints about the simulated morning, in Chinese (default) and English: one
 * lib/ui table, checked with every other table in tests/unit/test_texts.c. */
#ifndef SIM_TEXTS_H
#define SIM_TEXTS_H

#include "ui_i18n.h"

typedef enum {
    SIM_M_NONE = 0,
    SIM_M_BANNER,       /* %d windows, %d services, %s from, %s to, %g the hall's clock speed */
    SIM_M_OPENS,        /* %s clock, %s business day */
    SIM_M_ISSUED,       /* %s clock, %s label, %d service */
    SIM_M_ISSUED_GREEN, /* the same, for the green lane */
    SIM_M_CALLS,        /* %s clock, %d window, %s label */
    SIM_M_NO_SHOW,      /* %s clock, %d window, %s label */
    SIM_M_FINISHED,     /* %s clock, %d window, %s label */
    SIM_M_CLOSES,       /* %s clock: no more arrivals, the line is served to its end */
    SIM_M_DAY_OVER,     /* %s clock, %s business day, %d issued, %d finished */
    SIM_M_HANDLING,     /* %d finished, %.2f mean, %.2f the model's mean, %.2f its standard error */
    SIM_M_DONE,
    SIM_M_COUNT_
} sim_msg_t;

extern const ui_table_t sim_texts;

/* The text (a printf format for ids noted above) in the language; never NULL. */
const char *sim_tr(ui_lang_t lang, sim_msg_t id);

#endif
