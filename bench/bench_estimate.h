/* Wait estimates against queueing theory: whole days simulated in this process against the
 * daemon's own hall (server/hall*.c through hall_handle, at simulated times), every ticket's
 * estimate at issue compared with the wait it then had, beside the textbook predictors
 * computed on the same tickets. Deterministic: a scenario's seed gives the same days.
 *
 * The simulation is a discrete-event one: citizens arrive (a Poisson process, its rate
 * constant or following a morning), clerks call the next ticket as soon as their window is
 * free, the citizen walks up, is served and the window calls again; a window can close for
 * lunch. A day takes milliseconds. */
#ifndef BENCH_ESTIMATE_H
#define BENCH_ESTIMATE_H

#include <stddef.h>

/* The predictors scored, in the table's order. */
typedef enum {
    BE_HALLQ,     /* the daemon's est_wait_ms at issue */
    BE_ORACLE,    /* (ahead + 1) / (c mu), the simulator's true mu; 0 when a window is free */
    BE_QL,        /* the same with mu from the day's finished tickets so far */
    BE_LES,       /* the wait of the last ticket called from the same queue (letter) */
    BE_LES_LANE,  /* the same, of its lane, from the queues its windows serve */
    BE_PREDICTORS /* how many */
} be_predictor_t;

/* The key of each predictor in the JSON, and its name in the table. */
extern const char *const be_predictor_key[BE_PREDICTORS];
extern const char *const be_predictor_what[BE_PREDICTORS];

typedef struct {
    double mae_min;  /* mean absolute error, minutes */
    double bias_min; /* mean of estimate - actual wait, minutes (negative: too low) */
    double within5;  /* share of tickets whose estimate was within 5 minutes of their wait */
} be_score_t;

typedef enum {
    BE_MMC,      /* M/M/c: the target is the oracle's MAE */
    BE_REALISTIC /* the textbook's assumptions broken: the target is the practical predictors' */
} be_kind_t;

typedef struct {
    const char *key;  /* in the JSON: "mmc_0.6" */
    const char *what; /* for a person */
    be_kind_t kind;
    int days;          /* simulated */
    long tickets;      /* scored: every ticket issued and called */
    double mean_wait;  /* of those tickets, minutes */
    double elapsed_ms; /* wall time of the simulation */
    be_score_t score[BE_PREDICTORS];
    be_predictor_t best_practical; /* of QL and the two LES: the lowest MAE */
    double limit;                  /* hallq's MAE at most limit x the reference's */
    double reference_mae;          /* the oracle's (M/M/c) or the best practical one's */
    int met;
    char target_key[48];   /* the target's name in the JSON: "estimate_mmc_0.6" */
    char target_what[160]; /* and for a person */
} be_result_t;

#define BE_SCENARIOS 5

/* Runs every scenario (fewer days with quick). Returns how many results it filled; -1 with
 * why when the hall refused something the simulation needs (a bug). */
int be_run(int quick, be_result_t *out, char *why, size_t whylen);

#endif
