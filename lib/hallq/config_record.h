/* The configuration a hall ran with, as a record: hallqd writes one into its database each
 * time it starts with a configuration that differs from the last one recorded, and the
 * statistics read them back, so a day's figures count by the rules in force that day
 * without the manager naming the file. */
#ifndef HALLQ_CONFIG_RECORD_H
#define HALLQ_CONFIG_RECORD_H

#include <stddef.h>

#include "config.h"

/* The record's format; config_record_read refuses a newer one. */
#define CONFIG_RECORD_VERSION 1

/* What says how the hall ran and how its figures count: [hall] (name, notice, ticket footer,
 * time zone, level), the rules, queues, counters and the whole service catalog; not the
 * endpoints, keys, request budgets or logging. Canonical JSON (keys sorted, compact, lists in
 * the configuration's order): the same configuration always gives the same text, so two
 * records compare as strings. malloc'd; NULL when out of memory. */
char *config_record_text(const hallq_config_t *cfg);

/* Reads a record into cfg, which starts as the embedded default (config_free it after, also
 * on failure): what the record leaves out keeps the default. -1 with the reason in why: not
 * JSON, a newer format, a queue letter, counter or service out of range. */
int config_record_read(hallq_config_t *cfg, const char *text, char *why, size_t whylen);

#endif
