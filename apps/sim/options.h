/* hallq-sim's command line: one table (sim_cli) read by lib/ui's options helper.
 *
 *     sim_options_t o;
 *     sim_options_defaults(&o);
 *     int rc = ui_options_parse(&sim_cli, argc, argv, &o);   // UI_OPTIONS_RUN: go on */
#ifndef SIM_OPTIONS_H
#define SIM_OPTIONS_H

#include "ui_options.h"

#define SIM_WINDOWS_MAX 64

typedef struct {
    const char *endpoint;         /* --endpoint, else $HALLQ_ENDPOINT, else the default */
    double from, to;              /* citizens arrive from .. to, minutes since midnight */
    int days;                     /* business days played, one after the other */
    int seed;                     /* of the random draws, so a run can be repeated */
    int windows[SIM_WINDOWS_MAX]; /* the windows simulated clerks work */
    int nwindows;
    const char *summary; /* --summary FILE: what was played, as JSON; NULL none */
    ui_lang_t lang;      /* of what is printed */
} sim_options_t;

extern const ui_program_t sim_cli;

/* The defaults: one day, arrivals 08:30 to 17:30, windows 1-4, seed 1. */
void sim_options_defaults(sim_options_t *o);

#endif
