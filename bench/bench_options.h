/* hallq-bench's command line: what to measure, how much, and where. */
#ifndef HALLQ_BENCH_OPTIONS_H
#define HALLQ_BENCH_OPTIONS_H

#include "bench_report.h"

typedef struct {
    const char *hallqd;     /* the daemon under test */
    const char *work;       /* scratch directory: the daemons' data and the floor's database */
    const char *out;        /* JSON written here */
    const char *history;    /* directory holding a year of history (hallq.db), or NULL */
    const char *stats_json; /* stats_bench.sh's result, or NULL */
    const char *stats_cmd;  /* or a command printing it, run after everything else */
    const char *stats_note; /* why there is no statistics figure */
    const char *mode;
    int samples;                /* per latency figure */
    int samples_fanout;         /* per figure with many displays */
    int displays;               /* "300 displays" */
    int per_process;            /* subscribers (raw and displays) per helper process */
    int rounds;                 /* interleaving of floors and hallq */
    int warmup;                 /* untimed round trips before each figure */
    int cold_runs;              /* cached cold starts after the evicted one */
    double tp_warm, tp_seconds; /* throughput: ramp-up, then the measured window */
    int levels[BR_MAX_LEVELS];
    int nlevels;
    double phase_cap_s; /* a phase stops taking rounds after this long */
    int only;           /* BO_DAY | BO_THROUGHPUT | BO_COLD | BO_ESTIMATES: the parts to run */
    int quick;          /* --quick: fewer simulated days too */
} bo_opts_t;

enum { BO_DAY = 1, BO_THROUGHPUT = 2, BO_COLD = 4, BO_ESTIMATES = 8, BO_ALL = 15 };

/* Reads the command line into o, with the defaults of a full run (--quick: of a quick one).
 * 0 to run, -1 after a one-line error on stderr; --help prints the usage and exits. */
int bo_parse(int argc, char **argv, bo_opts_t *o);

#endif
