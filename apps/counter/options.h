/* options: hallq-counter's command line and environment, checked before the terminal is
 * touched, so a bad argument is one line on stderr and a non-zero exit. */
#ifndef HQC_OPTIONS_H
#define HQC_OPTIONS_H

#include "hq_proto.h"
#include "i18n.h"

#include <stdio.h>

typedef struct {
    int counter;              /* --counter N (required) */
    char clerk[HQ_CLERK_MAX]; /* --clerk ID, else $HALLQ_CLERK, else $USER */
    const char *endpoint;     /* --endpoint, else $HALLQ_ENDPOINT, else the default */
    const char *events;       /* --events, else $HALLQ_EVENTS, else the default */
    hqc_lang_t lang;          /* --lang zh|en, else $HALLQ_LANG, else zh */
    int timeout_ms;           /* --timeout MS: how long an action waits for its reply */
    const char *log_path;     /* --log FILE: where diagnostics go while the screen is up */
    int verbose;              /* --verbose: debug logging */
    const char *key;          /* --key DEVICE.key (CURVE) */
    const char *server_key;   /* --server-key server.key (CURVE) */
    int help;                 /* --help given */
    int version;              /* --version given */
} hqc_options_t;

/* 0 ok; -1 with a one-line reason in why. */
int hqc_options_parse(int argc, char **argv, hqc_options_t *o, char *why, size_t whylen);
void hqc_options_usage(FILE *out);

#endif
