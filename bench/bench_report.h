/* Everything one run measured, printed as a table with ratios to the floors and written as
 * JSON (bench/results/latest.json) so that runs of different versions can be compared. */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include "bench_estimate.h"
#include "bench_hallq.h"
#include "bench_util.h"

#include <jansson.h>
#include <stdio.h>

#define BR_MAX_LEVELS 4

typedef struct {
    /* the run */
    char mode[16];    /* "full", "quick" or "custom" */
    char started[32]; /* local time, ISO 8601 */
    char host[256];   /* uname */
    int cores;
    double load_before, load_after; /* 1-minute load average: how busy the machine was */
    double elapsed_s;
    int samples, samples_fanout, displays, rounds;
    int per_process; /* subscribers per helper process (threads) */
    bq_sizes_t sizes;
    /* floors */
    bu_summary_t rtt, commit, pub1, pubn, pubn_last;
    bu_summary_t request_commit;          /* the raw request with its commit inside, 1 client */
    bq_throughput_t group[BR_MAX_LEVELS]; /* the raw group commit, as many clients as levels[] */
    double sql_tx_per_s;
    /* hallq */
    bu_summary_t issue, issue_raw, store, issue_late, call1, calln, calln_last;
    long late_tickets;    /* tickets of the day when issue_late was measured */
    double cpu_issue_us;  /* hallqd's CPU time (all threads) per issue */
    double cpu_call_us;   /* per call and its finish, with 1 display */
    double cpu_commit_us; /* the SQLite floor's CPU time per transaction */
    double cpu_store_us;  /* hallq's store alone: CPU time per issue transaction */
    bq_throughput_t levels[BR_MAX_LEVELS];
    int nlevels;
    long busy_rss_kb, busy_anon_kb, busy_hwm_kb, busy_tickets;
    int have_cold;
    bq_cold_t cold;
    json_t *stats;                       /* stats_bench.sh's JSON, or NULL when not available */
    char stats_note[256];                /* why there is no statistics figure */
    be_result_t estimates[BE_SCENARIOS]; /* wait estimates over simulated days */
    int nestimates;                      /* 0: not run */
    json_t *errors;                      /* {phase: why} of phases that failed */
} br_results_t;

void br_init(br_results_t *r);
void br_clear(br_results_t *r);
void br_error(br_results_t *r, const char *phase, const char *why);

/* The table, with a line per target saying whether it is met. */
void br_print(FILE *out, const br_results_t *r);
/* The same as JSON (caller decrefs). */
json_t *br_json(const br_results_t *r);

#endif
