/* hallqd_options: hallqd's command line, one table (hallqd_cli) read by lib/ui's options
 * helper like every hallq program's. Pure: nothing is opened or checked against the
 * configuration here.
 *
 *     hallqd_options_t o;
 *     hallqd_options_defaults(&o);
 *     int rc = ui_options_parse(&hallqd_cli, argc, argv, &o);   // UI_OPTIONS_RUN: go on */
#ifndef HALLQD_OPTIONS_H
#define HALLQD_OPTIONS_H

#include "ui_options.h"

typedef struct {
    ui_lang_t lang;        /* the help's language (the log stays English) */
    const char *config;    /* --config FILE, NULL: the embedded configuration */
    const char *data_dir;  /* --data DIR: where hallq.db lives */
    const char *request;   /* --request EP, NULL: the configuration's */
    const char *events;    /* --events EP, NULL: the configuration's */
    const char *keys;      /* --keys DIR, NULL: the configuration's */
    const char *log_level; /* --log-level, NULL: the configuration's */
    int check_only;        /* --check-config: check and exit */
    int print_catalog;     /* --print-catalog: list the services offered and exit */
} hallqd_options_t;

extern const ui_program_t hallqd_cli;

void hallqd_options_defaults(hallqd_options_t *o);

#endif
