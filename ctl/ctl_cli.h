/* ctl_cli: hallqctl's command line. Its options are one table (ctl_cli) read by lib/ui's
 * options helper, and the words of a request verb come from the table of requests: which
 * fields are written as a word in a fixed place, which as an option. Options may stand
 * anywhere among the verb and its words:
 *
 *     ctl_opts_t o;
 *     ctl_opts_defaults(&o);
 *     int rc = ui_options_parse(&ctl_cli, argc, argv, &o);   // UI_OPTIONS_RUN: go on
 *     // o.words[0] is the verb, o.words[1..] its words */
#ifndef HALLQ_CTL_CLI_H
#define HALLQ_CTL_CLI_H

#include "hq_proto.h"
#include "ui_options.h"

#define CTL_WORDS_MAX 16 /* the verb and its words; no verb takes more than a few */

typedef struct {
    ui_lang_t lang;                   /* the help's language */
    const char *endpoint;             /* request endpoint */
    const char *events;               /* event endpoint */
    int timeout_ms;                   /* how long a request waits for its reply */
    int json;                         /* print replies as JSON */
    const char *key;                  /* CURVE: this device's key, NULL: $HALLQ_KEY */
    const char *server_key;           /* CURVE: hallqd's server.key, NULL: $HALLQ_SERVER_KEY */
    const char *words[CTL_WORDS_MAX]; /* the verb and its words, options taken out */
    int nwords;
    /* verb options */
    int service;
    int elderly;
    const char *id_number;
    const char *reason;
    int pin;              /* login: read the clerk's PIN (no echo) */
    int count;            /* watch: stop after this many events, 0 never */
    int heartbeats;       /* watch: show heartbeats too */
    int alerts;           /* watch: alerts only */
    const char *role;     /* keys new */
    const char *keys_dir; /* keys: the daemon's keys directory */
    const char *data_dir; /* backup, restore, clerk: the daemon's data directory */
    const char *out;      /* backup: the file to write; keys new: where the device's key goes */
} ctl_opts_t;

extern const ui_program_t ctl_cli;

/* The defaults, from the environment where it says. */
void ctl_opts_defaults(ctl_opts_t *o);

#define CTL_LOCAL_DATA_DIR "hallq-data"         /* hallqd's default --data */
#define CTL_INSTALLED_DATA_DIR "/var/lib/hallq" /* the package's */
/* The data directory when none is given (backup, restore, stats): $HALLQ_DATA, else
 * ./hallq-data, else, when that is absent and the package's exists, /var/lib/hallq. */
const char *ctl_default_data_dir(void);

/* How hallqctl writes each request field: a word in a fixed place, or an option. The words
 * follow this order in every verb (COUNTER first, RATING last). */
typedef struct {
    hq_field_t field;
    const char *word;   /* positional word, NULL for an option */
    const char *option; /* the option as the usage shows it */
} ctl_word_t;

extern const ctl_word_t ctl_words[];
extern const size_t ctl_nwords;

/* "COUNTER [NUMBER]", "QUEUE [--service NO] ...": the words a request verb takes, the
 * required ones first. */
void ctl_verb_args(const hq_req_info_t *row, char *out, size_t outlen);

#endif
