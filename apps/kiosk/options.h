/* options: hallq-ticket's command line. Pure apart from reading the environment for
 * defaults ($HALLQ_ENDPOINT, $HALLQ_PRINTER) and, for "--id-number -", standard input. */
#ifndef HQ_TICKET_OPTIONS_H
#define HQ_TICKET_OPTIONS_H

#include "hq_proto.h"
#include "output.h"
#include "ticket_layout.h"

#include <stddef.h>

#define OPTIONS_COPIES_MAX 9

typedef struct {
    char queue;                           /* queue letter; 0 runs the interactive kiosk */
    int service;                          /* catalog item number, 0 none */
    int elderly;                          /* receptionist marked the green lane */
    int has_id_number;                    /* id_number holds a number to check locally */
    char id_number[HQ_ID_NUMBER_LEN + 2]; /* wiped by the caller once decided */
    int copies;                           /* 1..OPTIONS_COPIES_MAX */
    ui_lang_t lang;                       /* ticket and screen language */
    int paper_mm;                         /* 58 or 80 */
    output_t output;                      /* --printer, --out or --preview */
    char endpoint[256];                   /* daemon request endpoint */
    char state_dir[512];                  /* "" for the default ($XDG_STATE_HOME/hallq) */
    int reprint;                          /* print the kept ticket again; no request */
    int timeout_ms;                       /* per request to the daemon */
    char key[512];        /* CURVE: this kiosk's certificate, "" for $HALLQ_KEY or none */
    char server_key[512]; /* CURVE: the daemon's public certificate, "" for $HALLQ_SERVER_KEY */
} options_t;

typedef enum { OPTIONS_RUN = 0, OPTIONS_EXIT_OK = 1, OPTIONS_BAD = -1 } options_result_t;

/* Parses argv. OPTIONS_EXIT_OK after printing --help or --version; OPTIONS_BAD with a
 * one-line reason. An ID number given on the command line is overwritten in argv at once,
 * so it does not stay visible in the process list. */
options_result_t options_parse(int argc, char **argv, options_t *o, char *why, size_t whylen);

void options_usage(const char *prog);

#endif
