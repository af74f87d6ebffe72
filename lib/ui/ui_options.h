/* One command line for every hallq program.
 *
 * A program declares its options once, as a table: long name, short letter, the argument's
 * name, one help line in both languages (or an id in the program's text table) and a setter
 * that stores the value. ui_options_parse reads argv against the table and handles --help
 * (printed in the chosen language), --version and --lang the same way for every program:
 *
 *     hqc_options_defaults(&o);                 // defaults and environment first
 *     int rc = ui_options_parse(&hqc_cli, argc, argv, &o);
 *     if (rc != UI_OPTIONS_RUN)
 *         return rc;                            // UI_EXIT_OK after --help, UI_EXIT_USAGE ...
 *
 * It never exits. A bad argument is reported as one line on stderr that names it
 * ("hallq-counter: --counter takes a whole number from 1 to 999, not '0'; see
 * hallq-counter --help") and UI_EXIT_USAGE is returned. Diagnostics are in English like every
 * hallq diagnostic (they go to whoever set the program up, and to the journal); the help is
 * in the language of --lang, else of $HALLQ_LANG, else Chinese.
 *
 * Accepted forms: --name VALUE, --name=VALUE, -x VALUE, -xVALUE, and flags --name / -x.
 * "--" ends the options. Abbreviations and clustered flags are not accepted: they make
 * scripts and systemd units harder to read. --help and --version win over any other
 * argument given with them, so `prog --counter 0 --help` prints the help.
 *
 * A word that is no option (hallqctl's verb and its words) is refused unless the program
 * takes operands: then each goes to its operand function, in order, wherever it stands
 * among the options, and every word after "--" is one. */
#ifndef HQ_UI_OPTIONS_H
#define HQ_UI_OPTIONS_H

#include "hq_proto.h"
#include "ui_i18n.h"

#include <stddef.h>
#include <stdio.h>

typedef struct ui_option ui_option_t;

/* Stores one option's value. `field` points into the settings at opt->at; arg is the value
 * (NULL for a flag). 0 ok, -1 with a one-line reason in why that names the option and the
 * value ("--mode is hall or counter, not 'wall'"). */
typedef int(ui_option_set_fn)(void *field, const char *arg, const ui_option_t *opt, char *why,
                              size_t whylen);

struct ui_option {
    const char *name;      /* --name, without the dashes */
    char letter;           /* -x, 0 for none */
    const char *arg;       /* the value as the help names it ("N", "FILE"); NULL: a flag */
    ui_text_t help;        /* the help line in both languages; "\n" continues it ... */
    int help_id;           /* ... or, when help.zh is NULL, this id of the program's table */
    ui_option_set_fn *set; /* stores the value */
    size_t at;             /* offsetof the field in the settings */
    long min, max;         /* the range ui_set_int accepts */
};

typedef struct {
    const char *name;           /* "hallq-counter": in errors, the usage line, --version */
    const char *version;        /* what --version prints after the name; NULL: HALLQ_VERSION */
    ui_text_t synopsis;         /* the usage line after the name: "--counter N [options]" */
    ui_text_t about;            /* what the program does, under the usage line */
    ui_text_t epilog;           /* after the options (keys, exit statuses), or {NULL, NULL} */
    const ui_table_t *texts;    /* the table help_id refers to, NULL when none is used */
    const ui_option_t *options; /* ended by a row whose name is NULL */
    size_t lang_at;             /* offsetof the settings' ui_lang_t: --lang stores it there */
    /* -l is one of the program's own options (hallqd's --log-level, older than --lang):
     * --lang then has no short form. */
    int keeps_l;
    /* Stores a word that is no option; 0 ok, -1 with a one-line reason. NULL: such a word
     * is refused ("unexpected argument"). */
    int (*operand)(void *settings, const char *word, char *why, size_t whylen);
    /* Prints more help between the options and the epilog (hallqctl's verbs, derived from
     * the table of requests). NULL: none. */
    void (*more_help)(FILE *out, ui_lang_t lang);
    /* Checks the settings as a whole once every option is stored ("--counter N is
     * required"); 0 ok, -1 with a one-line reason. NULL: nothing to check. */
    int (*check)(void *settings, char *why, size_t whylen);
} ui_program_t;

/* ui_options_parse's "go on": every other result is the status main returns. */
#define UI_OPTIONS_RUN (-1)

/* Reads argv into settings (already holding the program's defaults). UI_OPTIONS_RUN, or
 * UI_EXIT_OK after --help / --version (printed on stdout), or UI_EXIT_USAGE after a bad
 * argument (one line on stderr). */
int ui_options_parse(const ui_program_t *p, int argc, char **argv, void *settings);
/* The same, writing to out and err instead of stdout and stderr (for tests). */
int ui_options_parse_to(const ui_program_t *p, int argc, char **argv, void *settings, FILE *out,
                        FILE *err);

/* The help, as --help prints it. */
void ui_options_help(const ui_program_t *p, ui_lang_t lang, FILE *out);

/* Checks a program's table: names and letters unique and not taken by the built-in
 * options, every row with a setter, every help line present in both languages with no
 * ambiguous-width characters (the rules of ui_table_check). 0, or -1 with the first
 * problem in why. */
int ui_options_check(const ui_program_t *p, char *why, size_t whylen);

/* Ready setters. ui_set_flag: an int becomes 1. ui_set_string: a const char * points at
 * the value (argv outlives the settings); an empty value is refused. ui_set_int: an int
 * from opt->min to opt->max. */
ui_option_set_fn ui_set_flag;
ui_option_set_fn ui_set_string;
ui_option_set_fn ui_set_int;

/* The options every program that talks to hallqd has, written once: table rows for a
 * settings struct `type` with a const char * field each, so the names, defaults and help
 * are the same in every program. */
#define UI_OPTION_ENDPOINT(type, field) UI_OPTION_ENDPOINT_LETTER(type, field, 0)
/* The same with a short form (hallqctl's -e). */
#define UI_OPTION_ENDPOINT_LETTER(type, field, short_form)                                         \
    {                                                                                              \
        .name = "endpoint", .letter = short_form, .arg = "EP",                                     \
        .help = {"hallqd 请求地址（默认 $HALLQ_ENDPOINT，否则 " HQ_DEFAULT_REQUEST_ENDPOINT "）",  \
                 "hallqd requests (default $HALLQ_ENDPOINT, else " HQ_DEFAULT_REQUEST_ENDPOINT     \
                 ")"},                                                                             \
        .set = ui_set_string, .at = offsetof(type, field)                                          \
    }
#define UI_OPTION_EVENTS(type, field)                                                              \
    {                                                                                              \
        .name = "events", .arg = "EP",                                                             \
        .help = {"hallqd 事件地址（默认 $HALLQ_EVENTS，否则 " HQ_DEFAULT_EVENT_ENDPOINT "）",      \
                 "hallqd events (default $HALLQ_EVENTS, else " HQ_DEFAULT_EVENT_ENDPOINT ")"},     \
        .set = ui_set_string, .at = offsetof(type, field)                                          \
    }
#define UI_OPTION_KEY(type, field)                                                                 \
    {                                                                                              \
        .name = "key", .arg = "FILE",                                                              \
        .help = {"CURVE：本设备的密钥（默认 $HALLQ_KEY）",                                         \
                 "CURVE: this device's key (default $HALLQ_KEY)"},                                 \
        .set = ui_set_string, .at = offsetof(type, field)                                          \
    }
#define UI_OPTION_SERVER_KEY(type, field)                                                          \
    {                                                                                              \
        .name = "server-key", .arg = "FILE",                                                       \
        .help = {"CURVE：hallqd 的 server.key（默认 $HALLQ_SERVER_KEY）",                          \
                 "CURVE: hallqd's server.key (default $HALLQ_SERVER_KEY)"},                        \
        .set = ui_set_string, .at = offsetof(type, field)                                          \
    }

/* A usage error found after the options were read, said the way ui_options_parse says its
 * own: "PROG: what; see PROG --help" on stderr. Returns UI_EXIT_USAGE. */
int ui_usage_error(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* $name when it is set and not empty, else fallback: defaults from the environment. */
const char *ui_env_or(const char *name, const char *fallback);

/* The texts of the help's own parts (usage, the built-in options), for tests/unit/test_texts.c. */
extern const ui_table_t ui_options_texts;

#endif
