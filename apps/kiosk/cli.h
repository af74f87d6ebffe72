/* cli: hallq-ticket without a screen. --queue issues one ticket and prints it; --reprint
 * prints the kept ticket again without asking hallqd for anything. Both return the exit
 * status (ui_exit.h). */
#ifndef HQ_TICKET_CLI_H
#define HQ_TICKET_CLI_H

#include "options.h"

/* Issues in o->queue (the green lane from --elderly or an ID number checked here, which is
 * wiped before anything is sent), keeps the ticket, prints it. */
int kiosk_cli_issue(kiosk_options_t *o);
/* Prints a sample of a ticket in o->queue on standard output (--preview): the catalog is
 * read from hallqd for the names and materials, and nothing is issued. */
int kiosk_cli_preview(kiosk_options_t *o);
/* Prints the kept ticket again if it is today's. */
int kiosk_cli_reprint(const kiosk_options_t *o);

/* "hallq-ticket: " and one line on standard error, sanitised (hq_utf8_sanitise): it may quote
 * hallqd. */
void kiosk_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
