/* options: hallq-counter's command line and environment, checked before the terminal is
 * touched, so a bad argument is one line on stderr and a non-zero exit. The options are
 * one table (hqc_cli) read by lib/ui's options helper:
 *
 *     hqc_options_t o;
 *     hqc_options_defaults(&o);
 *     int rc = ui_options_parse(&hqc_cli, argc, argv, &o);   // UI_OPTIONS_RUN: go on */
#ifndef HQC_OPTIONS_H
#define HQC_OPTIONS_H

#include "hq_proto.h"
#include "ui_options.h"

typedef struct {
    int counter;              /* --counter N (required) */
    char clerk[HQ_CLERK_MAX]; /* --clerk ID, else $HALLQ_CLERK, else $USER */
    const char *endpoint;     /* --endpoint, else $HALLQ_ENDPOINT, else the default */
    const char *events;       /* --events, else $HALLQ_EVENTS, else the default */
    ui_lang_t lang;           /* --lang zh|en, else $HALLQ_LANG, else zh */
    int timeout_ms;           /* --timeout MS: how long an action waits for its reply */
    const char *log_path;     /* --log FILE: where diagnostics go while the screen is up */
    int verbose;              /* --verbose: debug logging */
    const char *key;          /* --key DEVICE.key (CURVE) */
    const char *server_key;   /* --server-key server.key (CURVE) */
} hqc_options_t;

extern const ui_program_t hqc_cli;

/* The defaults, from the environment where it says. */
void hqc_options_defaults(hqc_options_t *o);

#endif
