/* Inside `hallqctl stats`: the options every verb reads, the output they write through, and
 * the verbs. ctl_stats.c parses and dispatches; ctl_stats_out.c is the output;
 * ctl_stats_export.c, _metric.c, _report.c and _staffing.c are the verbs. */
#ifndef HALLQ_CTL_STATS_VERBS_H
#define HALLQ_CTL_STATS_VERBS_H

#include <iconv.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "ctl_stats_text.h"
#include "hq_vec.h"
#include "stats.h"
#include "stats_central.h"
#include "stats_text.h"
#include "ui_exit.h"
#include "ui_options.h"

/* The command line of `hallqctl stats`, for tests/unit/test_texts.c. */
extern const ui_program_t ctl_stats_cli;

/* Exit statuses, as `hallqctl stats --help` states them: lib/ui's, like every program's. */
enum {
    CTL_STATS_OK = UI_EXIT_OK,
    CTL_STATS_FAILED = UI_EXIT_FAILURE,
    CTL_STATS_USAGE = UI_EXIT_USAGE
};
enum { CTL_FMT_TEXT, CTL_FMT_CSV, CTL_FMT_JSON };

typedef struct {
    const char *verb; /* export | metric | report | staffing */
    const char *data_dir;
    const char *config;
    const char *from, *to; /* business days, inclusive; NULL: open end */
    const char *date;      /* metric */
    int format;            /* CTL_FMT_* ; -1 the verb's default */
    int by;                /* stats_by_t */
    const char *out;       /* file, NULL stdout */
    int records;           /* export one row per ticket */
    int bom;               /* UTF-8 byte order mark, for spreadsheets */
    const char *encoding;  /* NULL (UTF-8) or an iconv name (GBK, GB18030) */
    ui_lang_t lang;
    double target_wait_min; /* staffing */
    int max_windows;
    const char *scope;     /* metric: hall | queue | counter */
    int alerts_only;       /* metric: entries above target only */
    const char *central;   /* the city's central store (a libpq URL): read it, not a hall's */
    const char *hall;      /* with central: one hall's figures; NULL every hall's */
    stats_central_t *city; /* the store opened, when central is given */
    const hallq_config_t *count_by; /* with city: what every ticket counts by (--config);
                                     * NULL: each by its hall's record */
    const hallq_config_t *label;    /* with city: what the period is labelled with */
} ctl_stats_opts_t;

/* Prints "hallqctl stats: ...; see hallqctl stats --help"; returns CTL_STATS_USAGE. */
#define ctl_stats_usage_error(...) ui_usage_error("hallqctl stats", __VA_ARGS__)

/* ---- output: a file or stdout, optionally converted to GBK for spreadsheets --------------- */

typedef struct {
    FILE *f;
    const char *path;     /* the file asked for; NULL standard output */
    char *partial;        /* where a regular file is written until it is whole, else NULL */
    iconv_t cd;           /* (iconv_t)-1 for UTF-8 */
    const char *encoding; /* its name, for messages */
    hq_buf_t line;        /* the rows being built; converted and written at ctl_out_flush */
    ui_lang_t lang;       /* of ctl_out_say */
    int failed;
    long long lines;       /* lines converted so far */
    long long unencodable; /* characters the encoding has no form for (none are written) */
    long long first_line;  /* the line of the first of them */
    char first[8];         /* and that character, as UTF-8 */
} ctl_out_t;

/* Opens the output: standard output for NULL or "-", else FILE, written as FILE.PID.partial
 * beside it and renamed over FILE at ctl_out_close when whole (a reader never sees half an
 * export, and a failed one leaves what was there). -1, said on stderr, when it cannot be. */
int ctl_out_open(ctl_out_t *o, const char *path, const char *encoding, ui_lang_t lang);
void ctl_out_printf(ctl_out_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ctl_out_puts(ctl_out_t *o, const char *text);
/* Prints a text of ctl_stats_texts in the output's language; the text is the format. */
void ctl_out_say(ctl_out_t *o, ctl_text_id_t id, ...);
/* Text padded (or cut) to `cols` terminal columns. */
void ctl_out_pad(ctl_out_t *o, const char *text, int cols);
/* Writes what was built. */
void ctl_out_flush(ctl_out_t *o);
/* Flushes and closes: 0, or -1 (said on stderr) when anything failed to be written, or a
 * character had no form in the encoding asked for (how many, the first and its line are
 * said; the file is not written, rather than written with characters missing). */
int ctl_out_close(ctl_out_t *o);

/* ---- cells ------------------------------------------------------------------------------- */

/* RFC 4180 quoting; with `guard`, text a spreadsheet would take for a formula gets a leading
 * apostrophe. */
void ctl_csv_text(ctl_out_t *o, const char *s, int guard);
/* ",minutes" with two decimals, or "," when n is 0. */
void ctl_csv_min(ctl_out_t *o, int64_t n, double ms);
double ctl_round(double v, double unit);
/* Minutes with two decimals, null when n is 0. */
json_t *ctl_json_min(int64_t n, double ms);
/* A share in per cent with one decimal, null when whole is 0. */
json_t *ctl_json_pct(int64_t part, int64_t whole);
/* Local "YYYY-MM-DD HH:MM:SS" (or another strftime format) of an instant; "" for 0. */
void ctl_local_time(int64_t ms, const char *format, char *out, size_t n);

/* ---- the verbs ------------------------------------------------------------------------- */

/* The tickets of the period asked for, each counted by the configuration in force when it
 * was issued (stats_db_set_config); NULL, said on stderr, when they cannot be read. */
stats_hist_t *ctl_stats_load(const ctl_stats_opts_t *o, stats_db_t *db);
/* The tickets of the period one by one (stats_db_records, or the central store's: one
 * hall's with --hall). 0, non-zero from fn, or -1 with why. */
int ctl_stats_records(const ctl_stats_opts_t *o, stats_db_t *db, stats_record_fn fn, void *arg,
                      char *why, size_t whylen);

/* ---- the city (ctl_stats_city.c): --central ------------------------------------------- */

/* Every hall's tickets of the period in one history; NULL, said on stderr, on failure. */
stats_hist_t *ctl_stats_city_load(const ctl_stats_opts_t *o);
/* The groups by hall, level or parent (o->by), each the figures of its halls' tickets
 * together, keyed by the hall id, the level or the town's id, with names[i] the hall's or
 * the town's name ("" for a level, or a town the store has not heard of yet). Both arrays
 * malloc'd, and each name. 0, or -1 said on stderr. */
int ctl_stats_city_groups(const ctl_stats_opts_t *o, const hallq_config_t *cfg,
                          stats_group_t **groups, char ***names, size_t *n);
/* The city report: the halls ranked, each linked to its own section. */
int ctl_stats_city_report(const ctl_stats_opts_t *o, const hallq_config_t *cfg);

/* A verb: its options checked, its output written; returns the exit status. cfg is the
 * configuration the period is labelled with (hall name, queue and service names): the one
 * in force on its last day. */
typedef int ctl_stats_verb_fn(const ctl_stats_opts_t *o, const hallq_config_t *cfg, stats_db_t *db);
ctl_stats_verb_fn ctl_stats_export, ctl_stats_metric, ctl_stats_report, ctl_stats_staffing,
    ctl_stats_bookings;

#endif
