/* options: hallq-ticket's command line, one table (kiosk_cli) read by lib/ui's options
 * helper. Pure apart from reading the environment for defaults ($HALLQ_ENDPOINT,
 * $HALLQ_PRINTER) and, for "--id-number -", standard input:
 *
 *     kiosk_options_t o;
 *     kiosk_options_defaults(&o);
 *     int rc = ui_options_parse(&kiosk_cli, argc, argv, &o);   // UI_OPTIONS_RUN: go on
 *
 * An ID number given on the command line is overwritten in argv as soon as it is read, so
 * it does not stay visible in the process list; the caller wipes o.id_number once decided
 * (whatever the parse returned). */
#ifndef HQ_TICKET_OPTIONS_H
#define HQ_TICKET_OPTIONS_H

#include "hq_proto.h"
#include "output.h"
#include "ticket_layout.h"
#include "ui_options.h"

#include <stddef.h>

#define OPTIONS_COPIES_MAX 9
#define OPTIONS_TIMEOUT_DEFAULT_MS 3000

typedef struct {
    char queue;                           /* queue letter; 0 runs the interactive kiosk */
    int service;                          /* catalog item number, 0 none */
    int elderly;                          /* receptionist marked the green lane */
    int has_id_number;                    /* id_number holds a number to check locally */
    char id_number[HQ_ID_NUMBER_LEN + 2]; /* wiped by the caller once decided */
    int copies;                           /* 1..OPTIONS_COPIES_MAX */
    ui_lang_t lang;                       /* ticket and screen language */
    int paper_mm;                         /* 58 or 80 */
    const char *printer;                  /* --printer, NULL: $HALLQ_PRINTER or the default */
    int outputs;                          /* --printer, --out and --preview given (one at most) */
    output_t output;                      /* where the ticket goes, complete after the parse */
    const char *endpoint;                 /* daemon request endpoint */
    const char *state_dir;                /* NULL for the default ($XDG_STATE_HOME/hallq) */
    int reprint;                          /* print the kept ticket again; no request */
    int timeout_ms;                       /* per request to the daemon */
    const char *key;        /* CURVE: this kiosk's certificate, NULL for $HALLQ_KEY or none */
    const char *server_key; /* CURVE: the daemon's public certificate, NULL: $HALLQ_SERVER_KEY */
} kiosk_options_t;

extern const ui_program_t kiosk_cli;

/* The defaults, from the environment where it says. */
void kiosk_options_defaults(kiosk_options_t *o);

#endif
