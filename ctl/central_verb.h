/* `hallqctl central ...`: the IT officer's tools for the city's central store (PostgreSQL,
 * which hallq-sync fills).
 *
 *   migrate   applies the schema's migrations this build carries that the store lacks, in
 *             order, in one transaction (sync/central.c, the same as hallq-sync --init)
 *   status    the schema's version, and each hall: its level and town, its epochs, the
 *             position its shipper has reached in the present one (the highest seq with none
 *             missing below it), the events shipped past a gap, and how far behind the
 *             newest event shipped is */
#ifndef HALLQ_CTL_CENTRAL_VERB_H
#define HALLQ_CTL_CENTRAL_VERB_H

#include "ui_options.h"

/* The command line of `hallqctl central` (for tests/unit/test_texts.c). */
extern const ui_program_t ctl_central_cli;

/* argv[0] is "central". Returns the exit status: 0 done, 2 bad arguments, 4 failed. */
int hallqctl_central_main(int argc, char **argv);

#endif
