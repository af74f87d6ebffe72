/* hallqd_options: hallqd's command line, one table (hallqd_cli) read by lib/ui's options
 * helper like every hallq program's. Pure: nothing is opened or checked against the
 * configuration here.
 *
 *     hallqd_options_t o;
 *     hallqd_options_defaults(&o);
 *     int rc = ui_options_parse(&hallqd_cli, argc, argv, &o);   // UI_OPTIONS_RUN: go on */
#ifndef HALLQD_OPTIONS_H
#define HALLQD_OPTIONS_H

#include "hq_date.h"
#include "ui_options.h"

/* --simulate START as written: a date (or today) and a time of day. */
typedef struct {
    int given;      /* --simulate was given */
    int has_date;   /* START names its date; otherwise it is today, in the hall's zone */
    hq_date_t date; /* when has_date */
    int hour;       /* 0-23 */
    int second;     /* seconds into the hour, 0-3599 */
} hallqd_start_t;

typedef struct {
    ui_lang_t lang;          /* the help's language (the log stays English) */
    const char *config;      /* --config FILE, NULL: the embedded configuration */
    const char *data_dir;    /* --data DIR: where hallq.db lives */
    const char *request;     /* --request EP, NULL: the configuration's */
    const char *events;      /* --events EP, NULL: the configuration's */
    const char *keys;        /* --keys DIR, NULL: the configuration's */
    const char *log_level;   /* --log-level, NULL: the configuration's */
    int check_only;          /* --check-config: check and exit */
    int print_catalog;       /* --print-catalog: list the services offered and exit */
    hallqd_start_t simulate; /* --simulate START: a simulated clock from START */
    double speed;            /* --speed N: its speed (1 when not given) */
    int speed_given;         /* --speed was given (it needs --simulate) */
} hallqd_options_t;

extern const ui_program_t hallqd_cli;

void hallqd_options_defaults(hallqd_options_t *o);

/* Reads START ("YYYY-MM-DD HH:MM[:SS]", a "T" for the space allowed, or "HH:MM[:SS]" for
 * today). 0, or -1 with a one-line reason naming the text. Pure: no time zone is read. */
int hallqd_parse_start(const char *text, hallqd_start_t *out, char *why, size_t whylen);
/* The instant START names, in the process's time zone (the hall's); `now_ms` gives today. */
int64_t hallqd_start_ms(const hallqd_start_t *start, int64_t now_ms);

#endif
