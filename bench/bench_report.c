#include "bench_report.h"

#include <string.h>

#define S_MIB_KB 1024.0
#define S_MEMORY_LIMIT_MIB 32.0
#define S_COLD_LIMIT_MS 1000.0
/* The ratios to the floors (issue #16, "the floors, pushed"). */
#define S_ISSUE_LIMIT 1.15     /* issue p50 <= this x (round trip + commit) */
#define S_CALL_LIMIT 1.5       /* call -> 1 display p50 <= this x (round trip + commit + hop) */
#define S_FANOUT_LIMIT 1.5     /* call -> N displays p99 <= this x raw fan-out p99 */
#define S_THROUGHPUT_LIMIT 3.0 /* 10 kiosks >= this x SQLite's one-insert-per-tx rate */
#define S_TARGETS_MAX (16 + BE_SCENARIOS)

void br_init(br_results_t *r)
{
    memset(r, 0, sizeof *r);
    r->errors = json_object();
}

void br_clear(br_results_t *r)
{
    json_decref(r->stats);
    json_decref(r->errors);
    memset(r, 0, sizeof *r);
}

void br_error(br_results_t *r, const char *phase, const char *why)
{
    json_object_set_new(r->errors, phase, json_string(why));
}

static const char *s_failed(const br_results_t *r, const char *phase)
{
    return json_string_value(json_object_get(r->errors, phase));
}

/* ---- targets: one definition used by the table and the JSON -----------------------------------
 */
typedef struct {
    const char *key;     /* JSON name */
    const char *what;    /* for a person */
    const char *phase;   /* the phase that measures it, for its error */
    double value, floor; /* floor 0: an absolute limit */
    double limit;        /* ratio (or absolute value) allowed */
    int at_least;        /* value must be >= limit (throughput), else <= */
    const char *unit;
    int known; /* measured */
} s_target_t;

static int s_met(const s_target_t *t)
{
    double x = t->floor > 0 ? t->value / t->floor : t->value;
    return t->at_least ? x >= t->limit : x <= t->limit;
}

static const bq_throughput_t *s_level(const br_results_t *r, int kiosks)
{
    for (int i = 0; i < r->nlevels; i++)
        if (r->levels[i].kiosks == kiosks && r->levels[i].replies > 0)
            return &r->levels[i];
    return NULL;
}

static int s_targets(const br_results_t *r, s_target_t *t)
{
    int n = 0;
    double rtt_commit = r->rtt.p50_us + r->commit.p50_us;
    t[n++] = (s_target_t){"issue_p50",
                          "issue latency p50 <= 1.15 x (round trip + commit)",
                          "issue",
                          r->issue.p50_us,
                          rtt_commit,
                          S_ISSUE_LIMIT,
                          0,
                          "us",
                          r->issue.n > 0 && r->rtt.n > 0 && r->commit.n > 0};
    t[n++] = (s_target_t){"call_display_p50",
                          "call -> display p50 <= 1.5 x (round trip + commit + PUB hop)",
                          "display-1",
                          r->call1.p50_us,
                          rtt_commit + r->pub1.p50_us,
                          S_CALL_LIMIT,
                          0,
                          "us",
                          r->call1.n > 0 && r->pub1.n > 0 && r->rtt.n > 0};
    t[n++] = (s_target_t){"call_fanout_p99",
                          "call -> N displays p99 <= 1.5 x raw fan-out p99 (N subscribers)",
                          "display-n",
                          r->calln.p99_us,
                          r->pubn.p99_us,
                          S_FANOUT_LIMIT,
                          0,
                          "us",
                          r->calln.n > 0 && r->pubn.n > 0};
    const bq_throughput_t *ten = s_level(r, 10);
    t[n++] = (s_target_t){"throughput_10",
                          "issue throughput, 10 kiosks >= 3 x SQLite tx/s",
                          "throughput-10",
                          ten ? ten->tx_per_s : 0,
                          r->sql_tx_per_s,
                          S_THROUGHPUT_LIMIT,
                          1,
                          "tx/s",
                          ten && r->sql_tx_per_s > 0};
    int durable = r->nlevels > 0;
    for (int i = 0; i < r->nlevels; i++)
        durable = durable && r->levels[i].durable;
    t[n++] = (s_target_t){"replies_durable",
                          "every answered ticket in the database after kill -9",
                          "throughput-10",
                          durable,
                          0,
                          1,
                          1,
                          "",
                          r->nlevels > 0};
    t[n++] = (s_target_t){"cold_start_ms",
                          "cold start, year of history (cached) < 1 s",
                          "cold-start",
                          r->cold.warm.p50_us / 1000.0,
                          0,
                          S_COLD_LIMIT_MS,
                          0,
                          "ms",
                          r->have_cold && r->cold.warm.n > 0};
    t[n++] = (s_target_t){"cold_start_evicted_ms",
                          "cold start, year of history (not in page cache) < 1 s",
                          "cold-start",
                          r->cold.evicted_ms,
                          0,
                          S_COLD_LIMIT_MS,
                          0,
                          "ms",
                          r->have_cold};
    t[n++] = (s_target_t){"memory_busy_day_mib",
                          "memory after a busy day < 32 MiB",
                          "display-n",
                          (double)r->busy_rss_kb / S_MIB_KB,
                          0,
                          S_MEMORY_LIMIT_MIB,
                          0,
                          "MiB",
                          r->busy_rss_kb > 0};
    t[n++] = (s_target_t){"memory_year_mib",
                          "memory after a year of history < 32 MiB",
                          "cold-start",
                          (double)r->cold.rss_kb / S_MIB_KB,
                          0,
                          S_MEMORY_LIMIT_MIB,
                          0,
                          "MiB",
                          r->have_cold && r->cold.rss_kb > 0};
    /* The wait estimates: hallq's MAE against the oracle's (M/M/c) or the better practical
     * predictor's (the realistic days), over the same tickets. */
    for (int i = 0; i < r->nestimates; i++) {
        const be_result_t *e = &r->estimates[i];
        t[n++] = (s_target_t){e->target_key,
                              e->target_what,
                              "estimates",
                              e->score[BE_HALLQ].mae_min,
                              e->reference_mae,
                              e->limit,
                              0,
                              "min",
                              e->tickets > 0 && e->reference_mae > 0};
    }
    return n;
}

/* ---- the table ----------------------------------------------------------------------------------
 */
static void s_rule(FILE *out)
{
    fprintf(out, "%.*s\n", 112,
            "----------------------------------------------------------------------------------"
            "------------------------------------------------------------------------------");
}

static void s_latency_row(FILE *out, const char *what, const bu_summary_t *s, const char *extra)
{
    if (s->n == 0)
        fprintf(out, "%-46s %12s\n", what, "-");
    else
        fprintf(out, "%-46s %9.1f us %9.1f us %7zu  %s\n", what, s->p50_us, s->p99_us, s->n,
                extra ? extra : "");
}

/* One hallq row: its figure, the floor it is divided by, the ratio, the target. */
static void s_ratio_row(FILE *out, const char *what, const char *figure, double value,
                        const char *floor_name, double floor, const char *target, int met,
                        int known, const char *failed)
{
    if (failed) {
        fprintf(out, "%-46s FAILED: %s\n", what, failed);
        return;
    }
    if (!known) {
        fprintf(out, "%-46s %12s\n", what, "not measured");
        return;
    }
    char ratio[32] = "";
    if (floor > 0)
        snprintf(ratio, sizeof ratio, "%.2fx", value / floor);
    fprintf(out, "%-46s %12s  %-26s %7s  %-10s %s\n", what, figure, floor_name, ratio,
            target ? target : "", target ? (met ? "MET" : "MISSED") : "");
}

static void s_us(char *buf, size_t n, double us)
{
    if (us >= 10000)
        snprintf(buf, n, "%.1f ms", us / 1000.0);
    else
        snprintf(buf, n, "%.1f us", us);
}

/* The wait estimates: per scenario each predictor's figures over the same tickets, and
 * hallq's MAE as a ratio to the reference the target names. */
static void s_estimates(FILE *out, const br_results_t *r)
{
    if (!r->nestimates && !s_failed(r, "estimates"))
        return;
    s_rule(out);
    fprintf(out, "%-54s %7s %7s %7s %7s %8s %5s\n",
            "WAIT ESTIMATES (simulated days, printed at issue)", "MAE", "bias", "within", "wait",
            "tickets", "days");
    fprintf(out, "%-54s %7s %7s %7s %7s\n", "  against the wait each ticket then had", "min", "min",
            "5 min", "mean");
    if (s_failed(r, "estimates"))
        fprintf(out, "FAILED: %s\n", s_failed(r, "estimates"));
    for (int i = 0; i < r->nestimates; i++) {
        const be_result_t *e = &r->estimates[i];
        fprintf(out, "%-54s %7s %7s %7s %7.1f %8ld %5d\n", e->what, "", "", "", e->mean_wait,
                e->tickets, e->days);
        for (int p = 0; p < BE_PREDICTORS; p++)
            fprintf(out, "  %-52s %7.2f %+7.2f %6.1f%%\n", be_predictor_what[p],
                    e->score[p].mae_min, e->score[p].bias_min, 100 * e->score[p].within5);
        fprintf(out, "  hallq's MAE %.2f x %s's%s (target <= %.2f x): %s\n",
                e->reference_mae > 0 ? e->score[BE_HALLQ].mae_min / e->reference_mae : 0,
                e->kind == BE_MMC ? "the oracle" : be_predictor_key[e->best_practical],
                e->kind == BE_MMC ? "" : ", the best practical one", e->limit,
                e->met ? "MET" : "MISSED");
    }
}

void br_print(FILE *out, const br_results_t *r)
{
    char fig[64], floor[64], note[160], num[32];
    fprintf(out, "\nhallq %s benchmark - %s - %s, %d cores, load %.2f -> %.2f - %s run, %.0f s\n",
            HALLQ_VERSION, r->started, r->host, r->cores, r->load_before, r->load_after, r->mode,
            r->elapsed_s);
    fprintf(out,
            "samples %d per latency (%d for %d displays, %d subscriber threads a process) in %d "
            "interleaved rounds; message sizes: issue %zu B, reply %zu B, events: called %zu B, "
            "issued %zu B\n",
            r->samples, r->samples_fanout, r->displays, r->per_process, r->rounds,
            r->sizes.issue_request, r->sizes.issue_reply, r->sizes.called_event,
            r->sizes.issued_event);
    s_rule(out);
    fprintf(out, "%-46s %12s %12s %7s\n", "FLOORS (same sizes, same machine, same run)", "p50",
            "p99", "n");
    s_latency_row(out, "raw DEALER/ROUTER round trip", &r->rtt, NULL);
    s_latency_row(out, "raw PUB/SUB hop, 1 subscriber", &r->pub1, NULL);
    snprintf(fig, sizeof fig, "raw PUB/SUB hop, %d subscribers", r->displays);
    snprintf(note, sizeof note, "slowest of %d: p50 %.0f us, p99 %.0f us", r->displays,
             r->pubn_last.p50_us, r->pubn_last.p99_us);
    s_latency_row(out, fig, &r->pubn, r->pubn_last.n ? note : NULL);
    snprintf(note, sizeof note, "%.0f tx/s", r->sql_tx_per_s);
    s_latency_row(out, "raw SQLite 1 insert/tx, WAL, synchronous=FULL", &r->commit,
                  r->commit.n ? note : NULL);
    s_latency_row(out, "raw request, its raw commit inside", &r->request_commit, NULL);
    for (int i = 0; i < r->nlevels; i++) {
        const bq_throughput_t *g = &r->group[i];
        if (g->replies == 0)
            continue;
        snprintf(fig, sizeof fig, "raw group commit, %d client%s", g->kiosks,
                 g->kiosks == 1 ? "" : "s");
        snprintf(note, sizeof note, "%.0f tx/s%s", g->tx_per_s, g->durable ? "" : ", LOST ROWS");
        s_latency_row(out, fig, &g->latency, note);
    }
    s_rule(out);
    fprintf(out, "%-46s %12s %12s %7s\n", "HALLQ LATENCIES", "p50", "p99", "n");
    s_latency_row(out, "issue: request -> durable -> reply", &r->issue, NULL);
    s_latency_row(out, "issue, bare DEALER (no client library)", &r->issue_raw, NULL);
    s_latency_row(out, "hallq's store alone: ticket + event per tx", &r->store, NULL);
    if (r->issue_late.n) {
        snprintf(fig, sizeof fig, "issue, late in the day (%ld tickets)", r->late_tickets);
        s_latency_row(out, fig, &r->issue_late, NULL);
    }
    s_latency_row(out, "call -> \"called\" at 1 display", &r->call1, NULL);
    snprintf(fig, sizeof fig, "call -> \"called\" at each of %d displays", r->displays);
    snprintf(note, sizeof note, "slowest of %d: p50 %.0f us, p99 %.0f us", r->displays,
             r->calln_last.p50_us, r->calln_last.p99_us);
    s_latency_row(out, fig, &r->calln, r->calln_last.n ? note : NULL);
    for (int i = 0; i < r->nlevels; i++) {
        const bq_throughput_t *l = &r->levels[i];
        snprintf(fig, sizeof fig, "issue under load, %d kiosk%s", l->kiosks,
                 l->kiosks == 1 ? "" : "s");
        s_latency_row(out, fig, &l->latency, NULL);
    }
    s_rule(out);
    fprintf(out, "%-46s %12s  %-26s %7s  %-10s %s\n", "HALLQ / FLOOR", "hallq", "floor", "ratio",
            "target", "");
    double rtt_commit = r->rtt.p50_us + r->commit.p50_us;
    s_us(fig, sizeof fig, r->issue.p50_us);
    s_us(num, sizeof num, rtt_commit);
    snprintf(floor, sizeof floor, "rtt+commit %s", num);
    char limit[16];
    snprintf(limit, sizeof limit, "<= %gx", S_ISSUE_LIMIT);
    s_ratio_row(out, "issue latency p50", fig, r->issue.p50_us, floor, rtt_commit, limit,
                r->issue.p50_us <= S_ISSUE_LIMIT * rtt_commit,
                r->issue.n && r->rtt.n && r->commit.n, s_failed(r, "issue"));
    s_us(fig, sizeof fig, r->issue.p99_us);
    s_ratio_row(out, "issue latency p99", fig, r->issue.p99_us, floor, rtt_commit, NULL, 0,
                r->issue.n && r->rtt.n && r->commit.n, NULL);
    /* The composite floor: one program doing a round trip with a durable commit inside. */
    s_us(fig, sizeof fig, r->issue.p50_us);
    s_us(num, sizeof num, r->request_commit.p50_us);
    snprintf(floor, sizeof floor, "raw request %s", num);
    s_ratio_row(out, "  issue p50 / raw request, its commit inside", fig, r->issue.p50_us, floor,
                r->request_commit.p50_us, NULL, 0, r->issue.n && r->request_commit.n,
                s_failed(r, "floor-request"));
    s_us(fig, sizeof fig, r->request_commit.p50_us);
    s_us(num, sizeof num, rtt_commit);
    snprintf(floor, sizeof floor, "rtt+commit %s", num);
    s_ratio_row(out, "  the raw request itself, p50", fig, r->request_commit.p50_us, floor,
                rtt_commit, NULL, 0, r->request_commit.n && r->rtt.n && r->commit.n, NULL);
    if (r->cpu_issue_us > 0)
        fprintf(out,
                "%-46s %.0f us per issue (of it the store's transaction %.0f; raw SQLite commit "
                "%.0f), %.0f per call + finish\n",
                "  CPU time: hallqd, all its threads", r->cpu_issue_us, r->cpu_store_us,
                r->cpu_commit_us, r->cpu_call_us);
    double with_pub = rtt_commit + r->pub1.p50_us;
    s_us(fig, sizeof fig, r->call1.p50_us);
    s_us(num, sizeof num, with_pub);
    snprintf(floor, sizeof floor, "rtt+commit+pub %s", num);
    snprintf(limit, sizeof limit, "<= %gx", S_CALL_LIMIT);
    s_ratio_row(out, "call -> 1 display p50", fig, r->call1.p50_us, floor, with_pub, limit,
                r->call1.p50_us <= S_CALL_LIMIT * with_pub, r->call1.n && r->pub1.n && r->rtt.n,
                s_failed(r, "display-1"));
    double with_fan = rtt_commit + r->pubn.p50_us;
    s_us(fig, sizeof fig, r->calln.p50_us);
    s_us(num, sizeof num, with_fan);
    snprintf(floor, sizeof floor, "rtt+commit+fan %s", num);
    snprintf(note, sizeof note, "call -> %d displays p50", r->displays);
    s_ratio_row(out, note, fig, r->calln.p50_us, floor, with_fan, NULL, 0,
                r->calln.n && r->pubn.n && r->rtt.n, s_failed(r, "display-n"));
    s_us(fig, sizeof fig, r->calln.p99_us);
    s_us(num, sizeof num, r->pubn.p99_us);
    snprintf(floor, sizeof floor, "fan-out p99 %s", num);
    snprintf(note, sizeof note, "call -> %d displays p99", r->displays);
    snprintf(limit, sizeof limit, "<= %gx", S_FANOUT_LIMIT);
    s_ratio_row(out, note, fig, r->calln.p99_us, floor, r->pubn.p99_us, limit,
                r->calln.p99_us <= S_FANOUT_LIMIT * r->pubn.p99_us, r->calln.n && r->pubn.n, NULL);
    snprintf(floor, sizeof floor, "SQLite %.0f tx/s", r->sql_tx_per_s);
    for (int i = 0; i < r->nlevels; i++) {
        const bq_throughput_t *l = &r->levels[i];
        char what[64], phase[32];
        snprintf(what, sizeof what, "throughput, %d kiosk%s (%s)", l->kiosks,
                 l->kiosks == 1 ? "" : "s", l->durable ? "all durable" : "LOST REPLIES");
        snprintf(phase, sizeof phase, "throughput-%d", l->kiosks);
        snprintf(fig, sizeof fig, "%.0f tx/s", l->tx_per_s);
        snprintf(limit, sizeof limit, ">= %gx", S_THROUGHPUT_LIMIT);
        s_ratio_row(out, what, fig, l->tx_per_s, floor, r->sql_tx_per_s,
                    l->kiosks == 10 && r->sql_tx_per_s > 0 ? limit : NULL,
                    l->tx_per_s >= S_THROUGHPUT_LIMIT * r->sql_tx_per_s && l->durable,
                    l->replies > 0, s_failed(r, phase));
        /* The raw group commit of as many clients: its rate against SQLite's, and hallq's
         * against it. */
        const bq_throughput_t *g = &r->group[i];
        char raw[64];
        snprintf(phase, sizeof phase, "floor-group-%d", l->kiosks);
        snprintf(raw, sizeof raw, "raw %.0f tx/s", g->tx_per_s);
        s_ratio_row(out, "  against the raw group commit", fig, l->tx_per_s, raw, g->tx_per_s, NULL,
                    0, l->replies > 0 && g->replies > 0, s_failed(r, phase));
        snprintf(fig, sizeof fig, "%.0f tx/s", g->tx_per_s);
        s_ratio_row(out, "  the raw group commit itself", fig, g->tx_per_s, floor, r->sql_tx_per_s,
                    NULL, 0, g->replies > 0 && r->sql_tx_per_s > 0, NULL);
    }
    if (r->have_cold || s_failed(r, "cold-start")) {
        snprintf(note, sizeof note, "cold start, year (%lld tickets, %.0f MiB)", r->cold.tickets,
                 (double)r->cold.db_bytes / 1048576.0);
        snprintf(fig, sizeof fig, "%.1f ms", r->cold.warm.p50_us / 1000.0);
        s_ratio_row(out, note, fig, 0, "cached, median", 0, "< 1 s",
                    r->cold.warm.p50_us / 1000.0 < S_COLD_LIMIT_MS, r->have_cold,
                    s_failed(r, "cold-start"));
        snprintf(fig, sizeof fig, "%.1f ms", r->cold.evicted_ms);
        snprintf(floor, sizeof floor, "listening at %.0f ms", r->cold.listening_ms);
        s_ratio_row(out, "cold start, year, DB not in page cache", fig, 0, floor, 0, "< 1 s",
                    r->cold.evicted_ms < S_COLD_LIMIT_MS, r->have_cold, NULL);
    } else {
        fprintf(out, "%-46s %s\n", "cold start, year of history",
                "not measured: no history given (bench/genhistory.py)");
    }
    snprintf(note, sizeof note, "memory after a busy day (%ld tickets)", r->busy_tickets);
    snprintf(fig, sizeof fig, "%.1f MiB", (double)r->busy_rss_kb / S_MIB_KB);
    snprintf(floor, sizeof floor, "heap %.1f, peak %.1f MiB", (double)r->busy_anon_kb / S_MIB_KB,
             (double)r->busy_hwm_kb / S_MIB_KB);
    s_ratio_row(out, note, fig, 0, floor, 0, "< 32 MiB",
                (double)r->busy_rss_kb / S_MIB_KB<S_MEMORY_LIMIT_MIB, r->busy_rss_kb> 0, NULL);
    if (r->have_cold) {
        snprintf(fig, sizeof fig, "%.1f MiB", (double)r->cold.rss_kb / S_MIB_KB);
        snprintf(floor, sizeof floor, "heap %.1f, peak %.1f MiB",
                 (double)r->cold.anon_kb / S_MIB_KB, (double)r->cold.hwm_kb / S_MIB_KB);
        s_ratio_row(out, "memory after a year of history", fig, 0, floor, 0, "< 32 MiB",
                    (double)r->cold.rss_kb / S_MIB_KB < S_MEMORY_LIMIT_MIB, 1, NULL);
    }
    if (r->stats) {
        /* bench/stats_bench.sh: hallqctl stats export --by day against the same per-day
         * aggregate in the sqlite3 shell, on the same year of history. */
        double export_ms = json_number_value(json_object_get(r->stats, "export_ms"));
        double sql_ms = json_number_value(json_object_get(r->stats, "sql_ms"));
        double report_ms = json_number_value(json_object_get(r->stats, "report_ms"));
        snprintf(note, sizeof note, "statistics export of a year (%lld tickets)",
                 (long long)json_integer_value(json_object_get(r->stats, "tickets")));
        snprintf(fig, sizeof fig, "%.0f ms", export_ms);
        snprintf(floor, sizeof floor, "sqlite3 shell %.0f ms", sql_ms);
        s_ratio_row(out, note, fig, export_ms, floor, sql_ms, NULL, 0, export_ms > 0, NULL);
        snprintf(fig, sizeof fig, "%.0f ms", report_ms);
        s_ratio_row(out, "statistics report of a year (HTML)", fig, report_ms, floor, sql_ms, NULL,
                    0, report_ms > 0, NULL);
    } else {
        fprintf(out, "%-46s %s\n", "statistics export of a year",
                r->stats_note[0] ? r->stats_note : "not yet available");
    }
    s_estimates(out, r);
    s_rule(out);
    s_target_t t[S_TARGETS_MAX];
    int n = s_targets(r, t), met = 0, known = 0;
    for (int i = 0; i < n; i++)
        if (t[i].known) {
            known++;
            met += s_met(&t[i]);
        }
    fprintf(out, "targets met: %d of %d measured (%d defined)\n", met, known, n);
    const char *phase;
    json_t *why;
    json_object_foreach(r->errors, phase, why)
        fprintf(out, "phase %s failed: %s\n", phase, json_string_value(why));
}

/* ---- JSON
 * ---------------------------------------------------------------------------------------- */
static json_t *s_summary_json(const bu_summary_t *s)
{
    if (s->n == 0)
        return json_null();
    return json_pack("{s:I, s:f, s:f, s:f, s:f, s:f, s:f}", "n", (json_int_t)s->n, "p50_us",
                     s->p50_us, "p90_us", s->p90_us, "p99_us", s->p99_us, "min_us", s->min_us,
                     "max_us", s->max_us, "mean_us", s->mean_us);
}

json_t *br_json(const br_results_t *r)
{
    json_t *root = json_object();
    json_object_set_new(root, "schema", json_integer(1));
    json_object_set_new(root, "version", json_string(HALLQ_VERSION));
    json_object_set_new(root, "run",
                        json_pack("{s:s, s:s, s:s, s:i, s:f, s:f, s:f, s:i, s:i, s:i, s:i, s:i}",
                                  "mode", r->mode, "started", r->started, "host", r->host, "cores",
                                  r->cores, "load_before", r->load_before, "load_after",
                                  r->load_after, "elapsed_s", r->elapsed_s, "samples", r->samples,
                                  "samples_fanout", r->samples_fanout, "displays", r->displays,
                                  "per_process", r->per_process, "rounds", r->rounds));
    json_object_set_new(root, "sizes",
                        json_pack("{s:I, s:I, s:I, s:I}", "issue_request_bytes",
                                  (json_int_t)r->sizes.issue_request, "issue_reply_bytes",
                                  (json_int_t)r->sizes.issue_reply, "called_event_bytes",
                                  (json_int_t)r->sizes.called_event, "issued_event_bytes",
                                  (json_int_t)r->sizes.issued_event));
    json_t *floors = json_object();
    json_object_set_new(floors, "rtt", s_summary_json(&r->rtt));
    json_object_set_new(floors, "pub_1", s_summary_json(&r->pub1));
    json_object_set_new(floors, "pub_n", s_summary_json(&r->pubn));
    json_object_set_new(floors, "pub_n_slowest", s_summary_json(&r->pubn_last));
    json_object_set_new(floors, "sqlite_commit", s_summary_json(&r->commit));
    json_object_set_new(floors, "sqlite_tx_per_s", json_real(r->sql_tx_per_s));
    json_object_set_new(floors, "sqlite_cpu_us_per_tx", json_real(r->cpu_commit_us));
    json_object_set_new(floors, "request_commit", s_summary_json(&r->request_commit));
    json_t *group = json_array();
    for (int i = 0; i < r->nlevels; i++) {
        const bq_throughput_t *g = &r->group[i];
        json_array_append_new(
            group, json_pack("{s:i, s:f, s:I, s:f, s:o, s:I, s:b}", "clients", g->kiosks, "seconds",
                             g->seconds, "replies", (json_int_t)g->replies, "tx_per_s", g->tx_per_s,
                             "latency", s_summary_json(&g->latency), "in_database",
                             (json_int_t)g->in_database, "durable", g->durable));
    }
    json_object_set_new(floors, "group_commit", group);
    json_object_set_new(root, "floors", floors);
    json_t *hallq = json_object();
    json_object_set_new(hallq, "issue", s_summary_json(&r->issue));
    json_object_set_new(hallq, "issue_bare_dealer", s_summary_json(&r->issue_raw));
    json_object_set_new(hallq, "store_transaction", s_summary_json(&r->store));
    json_object_set_new(hallq, "daemon_cpu_us_per_issue", json_real(r->cpu_issue_us));
    json_object_set_new(hallq, "daemon_cpu_us_per_call_finish", json_real(r->cpu_call_us));
    json_object_set_new(hallq, "store_cpu_us_per_issue_tx", json_real(r->cpu_store_us));
    json_object_set_new(hallq, "issue_late", s_summary_json(&r->issue_late));
    json_object_set_new(hallq, "issue_late_tickets", json_integer(r->late_tickets));
    json_object_set_new(hallq, "call_display_1", s_summary_json(&r->call1));
    json_object_set_new(hallq, "call_display_n", s_summary_json(&r->calln));
    json_object_set_new(hallq, "call_display_n_slowest", s_summary_json(&r->calln_last));
    json_t *levels = json_array();
    for (int i = 0; i < r->nlevels; i++) {
        const bq_throughput_t *l = &r->levels[i];
        json_array_append_new(
            levels, json_pack("{s:i, s:f, s:I, s:f, s:o, s:I, s:I, s:I, s:b, s:I}", "kiosks",
                              l->kiosks, "seconds", l->seconds, "replies", (json_int_t)l->replies,
                              "tx_per_s", l->tx_per_s, "latency", s_summary_json(&l->latency),
                              "ok_total", (json_int_t)l->ok_total, "errors", (json_int_t)l->errors,
                              "in_database", (json_int_t)l->in_database, "durable", l->durable,
                              "rss_kb", (json_int_t)l->rss_kb));
    }
    json_object_set_new(hallq, "throughput", levels);
    json_object_set_new(hallq, "busy_day",
                        json_pack("{s:I, s:I, s:I, s:I}", "tickets", (json_int_t)r->busy_tickets,
                                  "rss_kb", (json_int_t)r->busy_rss_kb, "rss_anon_kb",
                                  (json_int_t)r->busy_anon_kb, "hwm_kb",
                                  (json_int_t)r->busy_hwm_kb));
    if (r->have_cold) {
        const bq_cold_t *c = &r->cold;
        json_object_set_new(
            hallq, "cold_start",
            json_pack("{s:I, s:I, s:I, s:i, s:f, s:f, s:o, s:I, s:I, s:I, s:I}", "db_bytes",
                      (json_int_t)c->db_bytes, "tickets", (json_int_t)c->tickets, "events",
                      (json_int_t)c->events, "runs", c->runs, "evicted_ms", c->evicted_ms,
                      "evicted_listening_ms", c->listening_ms, "cached", s_summary_json(&c->warm),
                      "rss_kb", (json_int_t)c->rss_kb, "rss_anon_kb", (json_int_t)c->anon_kb,
                      "hwm_kb", (json_int_t)c->hwm_kb, "loaded_tickets",
                      (json_int_t)c->loaded_tickets));
    } else {
        json_object_set_new(hallq, "cold_start", json_null());
    }
    json_object_set_new(hallq, "stats", r->stats ? json_incref(r->stats) : json_null());
    if (!r->stats)
        json_object_set_new(hallq, "stats_note",
                            json_string(r->stats_note[0] ? r->stats_note : "not yet available"));
    json_object_set_new(root, "hallq", hallq);
    json_t *estimates = json_array();
    for (int i = 0; i < r->nestimates; i++) {
        const be_result_t *e = &r->estimates[i];
        json_t *predictors = json_object();
        for (int p = 0; p < BE_PREDICTORS; p++)
            json_object_set_new(predictors, be_predictor_key[p],
                                json_pack("{s:s, s:f, s:f, s:f}", "what", be_predictor_what[p],
                                          "mae_min", e->score[p].mae_min, "bias_min",
                                          e->score[p].bias_min, "within_5min",
                                          e->score[p].within5));
        json_array_append_new(
            estimates,
            json_pack("{s:s, s:s, s:s, s:i, s:I, s:f, s:f, s:o, s:s, s:f, s:f, s:b}", "scenario",
                      e->key, "what", e->what, "kind", e->kind == BE_MMC ? "mmc" : "realistic",
                      "days", e->days, "tickets", (json_int_t)e->tickets, "mean_wait_min",
                      e->mean_wait, "elapsed_ms", e->elapsed_ms, "predictors", predictors,
                      "reference",
                      e->kind == BE_MMC ? "oracle" : be_predictor_key[e->best_practical],
                      "reference_mae_min", e->reference_mae, "limit", e->limit, "met", e->met));
    }
    json_object_set_new(root, "estimates", estimates);
    json_t *targets = json_array();
    s_target_t t[S_TARGETS_MAX];
    int n = s_targets(r, t);
    for (int i = 0; i < n; i++) {
        json_t *row =
            json_pack("{s:s, s:s, s:s, s:f, s:s}", "name", t[i].key, "what", t[i].what, "op",
                      t[i].at_least ? ">=" : "<=", "limit", t[i].limit, "unit", t[i].unit);
        if (t[i].known) {
            json_object_set_new(row, "value", json_real(t[i].value));
            json_object_set_new(row, "floor", t[i].floor > 0 ? json_real(t[i].floor) : json_null());
            json_object_set_new(row, "ratio",
                                t[i].floor > 0 ? json_real(t[i].value / t[i].floor) : json_null());
            json_object_set_new(row, "met", json_boolean(s_met(&t[i])));
        } else {
            json_object_set_new(row, "met", json_null());
            const char *failed = s_failed(r, t[i].phase);
            if (failed)
                json_object_set_new(row, "error", json_string(failed));
        }
        json_array_append_new(targets, row);
    }
    json_object_set_new(root, "targets", targets);
    json_object_set_new(root, "errors", json_incref(r->errors));
    return root;
}
