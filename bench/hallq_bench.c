/* hallq-bench: hallq against the floors of ZeroMQ and SQLite, measured in one run.
 *
 * Every hallq figure is divided by the floor that bounds it, measured on the same machine in
 * the same run with the same message sizes: the claim is that hallq adds almost nothing on
 * top of the transport and the disk. Floors and hallq are measured in interleaved rounds, so
 * a burst of other work on the (shared) machine lands on both sides of a ratio.
 *
 * The wait estimates are measured apart, against queueing theory rather than floors: days
 * simulated in this process through the hall's own code (bench_estimate.c).
 *
 * Normally started by bench/run.sh, which also prepares the year of history and the
 * statistics figure. See bench/README.md.
 */
#include "bench_daemon.h"
#include "bench_estimate.h"
#include "bench_floor.h"
#include "bench_hallq.h"
#include "bench_options.h"
#include "bench_helper.h"
#include "bench_report.h"
#include "bench_subs.h"
#include "bench_util.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define S_COUNTER 1 /* the window that calls in the display measurements */

static double s_loadavg(void)
{
    double load = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &load) != 1)
            load = -1;
        fclose(f);
    }
    return load;
}

static double s_seconds_since(int64_t t0)
{
    return (double)(bu_now_ns() - t0) / 1e9;
}

/* ---- phase 1: issue latency against round trip + commit ------------------------------------- */
static int s_phase_issue(const bo_opts_t *o, const char *self, void *ctx, const bd_daemon_t *day,
                         br_results_t *r, int *rr, long *issued)
{
    char why[512] = "", path[1100], store_dir[1100];
    bf_rtt_t rtt, rttc;
    bf_sql_t sql;
    bq_store_t store;
    hq_client_t *c = hq_client_new(day->request, 5000);
    bu_samples_t s_rtt, s_rttc, s_commit, s_issue, s_raw, s_store;
    bu_samples_init(&s_rtt);
    bu_samples_init(&s_rttc);
    bu_samples_init(&s_commit);
    bu_samples_init(&s_issue);
    bu_samples_init(&s_raw);
    bu_samples_init(&s_store);
    snprintf(path, sizeof path, "%s/floor.db", o->work);
    snprintf(store_dir, sizeof store_dir, "%s/store", o->work);
    int rtt_ok = bf_rtt_open(&rtt, ctx, self, r->sizes.issue_request, r->sizes.issue_reply, NULL, 0,
                             why, sizeof why) == 0;
    if (!rtt_ok)
        br_error(r, "floor-rtt", why);
    char rttc_db[1100];
    snprintf(rttc_db, sizeof rttc_db, "%s/floor-request.db", o->work);
    int rttc_ok = bf_rtt_open(&rttc, ctx, self, r->sizes.issue_request, r->sizes.issue_reply,
                              rttc_db, r->sizes.called_event, why, sizeof why) == 0;
    if (!rttc_ok)
        br_error(r, "floor-request", why);
    int sql_ok = bf_sql_open(&sql, path, r->sizes.called_event, why, sizeof why) == 0;
    if (!sql_ok)
        br_error(r, "floor-sqlite", why);
    int store_ok = bq_store_open(&store, store_dir, &r->sizes, why, sizeof why) == 0;
    if (!store_ok)
        br_error(r, "store", why);
    int issue_ok = c != NULL, raw_ok = 1;
    if (!c)
        br_error(r, "issue", "cannot create a client");
    /* Warm-up: connections made, pages and caches filled, the WAL file grown. */
    if (rtt_ok && bf_rtt_run(&rtt, o->warmup, NULL) != 0) {
        br_error(r, "floor-rtt", "the echo helper stopped answering");
        rtt_ok = 0;
    }
    if (rttc_ok && bf_rtt_run(&rttc, o->warmup, NULL) != 0) {
        br_error(r, "floor-request", "the commit helper stopped answering");
        rttc_ok = 0;
    }
    if (sql_ok && bf_sql_run(&sql, o->warmup / 4 + 1, NULL, why, sizeof why) != 0) {
        br_error(r, "floor-sqlite", why);
        sql_ok = 0;
    }
    sql.busy_ns = 0;
    sql.transactions = 0;
    if (store_ok && bq_store_run(&store, o->warmup / 4 + 1, NULL, why, sizeof why) != 0) {
        br_error(r, "store", why);
        store_ok = 0;
    }
    if (issue_ok && bq_issue_run(c, o->warmup, rr, NULL, why, sizeof why) != 0) {
        br_error(r, "issue", why);
        issue_ok = 0;
    }
    *issued += o->warmup;
    int64_t t0 = bu_now_ns(), cpu_ns = 0, sql_cpu_ns = 0, store_cpu_ns = 0;
    long cpu_requests = 0;
    for (int round = 0; round < o->rounds; round++) {
        int chunk = o->samples / o->rounds + (round < o->samples % o->rounds);
        if (round > 0 && s_seconds_since(t0) > o->phase_cap_s)
            break; /* a slow machine: keep the run bounded, with fewer samples */
        if (rtt_ok && bf_rtt_run(&rtt, chunk, &s_rtt) != 0) {
            br_error(r, "floor-rtt", "the echo helper stopped answering");
            rtt_ok = 0;
        }
        if (rttc_ok && bf_rtt_run(&rttc, chunk, &s_rttc) != 0) {
            br_error(r, "floor-request", "the commit helper stopped answering");
            rttc_ok = 0;
        }
        int64_t me0 = bu_cpu_ns(getpid());
        if (sql_ok && bf_sql_run(&sql, chunk, &s_commit, why, sizeof why) != 0) {
            br_error(r, "floor-sqlite", why);
            sql_ok = 0;
        }
        int64_t me1 = bu_cpu_ns(getpid());
        if (store_ok && bq_store_run(&store, chunk, &s_store, why, sizeof why) != 0) {
            br_error(r, "store", why);
            store_ok = 0;
        }
        sql_cpu_ns += me1 - me0;
        store_cpu_ns += bu_cpu_ns(getpid()) - me1;
        int64_t cpu0 = bu_cpu_ns(day->pid);
        if (raw_ok &&
            bq_issue_raw_run(ctx, day->request, chunk, rr, &s_raw, why, sizeof why) != 0) {
            br_error(r, "issue-raw", why);
            raw_ok = 0;
        }
        *issued += chunk;
        if (issue_ok && bq_issue_run(c, chunk, rr, &s_issue, why, sizeof why) != 0) {
            br_error(r, "issue", why);
            issue_ok = 0;
        }
        *issued += chunk;
        cpu_ns += bu_cpu_ns(day->pid) - cpu0;
        cpu_requests += 2 * chunk;
    }
    r->rtt = bu_summarize(&s_rtt);
    r->request_commit = bu_summarize(&s_rttc);
    r->commit = bu_summarize(&s_commit);
    r->issue = bu_summarize(&s_issue);
    r->issue_raw = bu_summarize(&s_raw);
    if (cpu_requests > 0)
        r->cpu_issue_us = (double)cpu_ns / 1000.0 / (double)cpu_requests;
    if (s_commit.n > 0)
        r->cpu_commit_us = (double)sql_cpu_ns / 1000.0 / (double)s_commit.n;
    if (s_store.n > 0)
        r->cpu_store_us = (double)store_cpu_ns / 1000.0 / (double)s_store.n;
    r->store = bu_summarize(&s_store);
    if (sql.busy_ns > 0)
        r->sql_tx_per_s = (double)sql.transactions * 1e9 / (double)sql.busy_ns;
    bu_samples_free(&s_rtt);
    bu_samples_free(&s_rttc);
    bu_samples_free(&s_commit);
    bu_samples_free(&s_issue);
    bu_samples_free(&s_raw);
    bu_samples_free(&s_store);
    hq_client_destroy(&c);
    bf_rtt_close(&rtt);
    bf_rtt_close(&rttc);
    bf_sql_close(&sql);
    bq_store_close(&store);
    return issue_ok ? 0 : -1;
}

/* ---- phases 2 and 3: call -> displays against the PUB/SUB hop ---------------------------------
 */
static int s_phase_displays(const bo_opts_t *o, const char *self, void *ctx, const bd_daemon_t *day,
                            br_results_t *r, int n, int samples, int *rr, long *issued)
{
    const char *phase = n == 1 ? "display-1" : "display-n";
    char why[512] = "", raw_shm[1100], disp_shm[1100];
    int per_member = samples + o->warmup / 4 + 1, rc = -1;
    long gap_us = 200 + 10L * n; /* the same pause after each sample on both sides */
    snprintf(raw_shm, sizeof raw_shm, "%s/raw-%d.shm", o->work, n);
    snprintf(disp_shm, sizeof disp_shm, "%s/displays-%d.shm", o->work, n);
    bf_pub_t pub;
    bs_fleet_t raw, disp;
    memset(&raw, 0, sizeof raw);
    memset(&disp, 0, sizeof disp);
    raw.ready_fd = raw.notify_fd = disp.ready_fd = disp.notify_fd = -1;
    memset(&pub, 0, sizeof pub);
    hq_client_t *c = hq_client_new(day->request, 5000);
    bu_samples_t s_raw, s_raw_last, s_call, s_call_last;
    bu_samples_init(&s_raw);
    bu_samples_init(&s_raw_last);
    bu_samples_init(&s_call);
    bu_samples_init(&s_call_last);
    /* Everyone the counter will call must be waiting already. */
    if (!c || bq_prefill(ctx, day->request, per_member + 8, rr, why, sizeof why) != 0)
        goto done;
    *issued += per_member + 8;
    if (bf_pub_open(&pub, ctx, r->sizes.called_event, why, sizeof why) != 0 ||
        bs_start(&raw, self, pub.endpoint, "called", NULL, n, o->per_process, per_member, raw_shm,
                 why, sizeof why) != 0 ||
        bs_start(&disp, self, day->events, "called", "finished", n, o->per_process, per_member,
                 disp_shm, why, sizeof why) != 0)
        goto done;
    if (bs_wait_ready(&raw, 30000, bf_pub_hello, &pub) != 0 ||
        bs_wait_ready(&disp, 30000, NULL, NULL) != 0) {
        snprintf(why, sizeof why, "the %d subscribers did not all connect within 30 s", n);
        goto done;
    }
    int warm = per_member - samples;
    for (int i = 0; i < warm; i++) {
        int64_t t0 = bu_now_ns();
        if (bf_pub_send(&pub, "called") != 0 || bs_collect(&raw, t0, 5000, NULL, NULL) != 0) {
            snprintf(why, sizeof why, "a raw subscriber lost a message");
            goto done;
        }
        bu_sleep_us(gap_us);
    }
    if (bq_call_run(c, S_COUNTER, &disp, warm, gap_us, NULL, NULL, why, sizeof why) != 0)
        goto done;
    int64_t t0 = bu_now_ns(), cpu_ns = 0;
    long cpu_calls = 0;
    for (int round = 0; round < o->rounds; round++) {
        int chunk = samples / o->rounds + (round < samples % o->rounds);
        if (round > 0 && s_seconds_since(t0) > o->phase_cap_s)
            break;
        for (int i = 0; i < chunk; i++) {
            int64_t sent = bu_now_ns();
            if (bf_pub_send(&pub, "called") != 0 ||
                bs_collect(&raw, sent, 5000, &s_raw, &s_raw_last) != 0) {
                snprintf(why, sizeof why, "a raw subscriber lost a message");
                goto done;
            }
            bu_sleep_us(gap_us);
        }
        int64_t cpu0 = bu_cpu_ns(day->pid);
        if (bq_call_run(c, S_COUNTER, &disp, chunk, gap_us, &s_call, &s_call_last, why,
                        sizeof why) != 0)
            goto done;
        cpu_ns += bu_cpu_ns(day->pid) - cpu0;
        cpu_calls += chunk;
    }
    if (n == 1 && cpu_calls > 0)
        r->cpu_call_us = (double)cpu_ns / 1000.0 / (double)cpu_calls;
    rc = 0;
done:
    if (rc != 0)
        br_error(r, phase, why);
    if (n == 1) {
        r->pub1 = bu_summarize(&s_raw);
        r->call1 = bu_summarize(&s_call);
    } else {
        r->pubn = bu_summarize(&s_raw);
        r->pubn_last = bu_summarize(&s_raw_last);
        r->calln = bu_summarize(&s_call);
        r->calln_last = bu_summarize(&s_call_last);
    }
    bs_stop(&raw);
    bs_stop(&disp);
    bf_pub_close(&pub);
    hq_client_destroy(&c);
    bu_samples_free(&s_raw);
    bu_samples_free(&s_raw_last);
    bu_samples_free(&s_call);
    bu_samples_free(&s_call_last);
    return rc;
}

/* ---- the day's daemon: floors, latencies and the busy day's memory --------------------------- */
static void s_day(const bo_opts_t *o, const char *self, void *ctx, br_results_t *r)
{
    char why[512] = "", data[1100], log[1100];
    snprintf(data, sizeof data, "%s/day", o->work);
    snprintf(log, sizeof log, "%s/day.log", o->work);
    bd_daemon_t day;
    if (bd_start(&day, o->hallqd, data, log, NULL, 30000, why, sizeof why) != 0) {
        br_error(r, "daemon", why);
        return;
    }
    int rr = 0;
    long issued = 0;
    if (bq_probe(ctx, &day, S_COUNTER, &r->sizes, why, sizeof why) != 0) {
        br_error(r, "probe", why);
        bd_stop(&day, SIGKILL);
        return;
    }
    issued = 1;
    fprintf(stderr, "hallq-bench: issue latency against round trip + commit...\n");
    s_phase_issue(o, self, ctx, &day, r, &rr, &issued);
    fprintf(stderr, "hallq-bench: call -> 1 display against one PUB/SUB hop...\n");
    s_phase_displays(o, self, ctx, &day, r, 1, o->samples, &rr, &issued);
    fprintf(stderr, "hallq-bench: call -> %d displays against a raw fan-out...\n", o->displays);
    s_phase_displays(o, self, ctx, &day, r, o->displays, o->samples_fanout, &rr, &issued);
    /* The same issue late in a busy day: what grows with the day's tickets shows here. */
    hq_client_t *c = hq_client_new(day.request, 5000);
    bu_samples_t late;
    bu_samples_init(&late);
    int nlate = o->samples / 4 + 1;
    if (c && bq_issue_run(c, nlate, &rr, &late, why, sizeof why) == 0) {
        issued += nlate;
        r->late_tickets = issued;
        r->issue_late = bu_summarize(&late);
    }
    bu_samples_free(&late);
    /* A phone following a ticket (hallq-web's track): the daemon's index of the day's web
     * tokens, which the first track builds, is then part of the memory measured. */
    hq_request_t track;
    hq_request_init(&track, HQ_REQ_TRACK);
    snprintf(track.token, sizeof track.token, "%s", "AAAAAAAAAAAAAAAAAAAAAA");
    hq_reply_t reply;
    hq_error_t err;
    if (!c) {
        br_error(r, "track", "cannot create a client");
    } else if (hq_client_request(c, &track, &reply, &err) != 0) {
        br_error(r, "track", err.message);
    } else {
        if (reply.ok || reply.error.code != HQ_E_UNKNOWN_TICKET)
            br_error(r, "track", "a link no ticket has was not answered unknown_ticket");
        hq_reply_clear(&reply);
    }
    hq_client_destroy(&c);
    r->busy_tickets = issued;
    r->busy_rss_kb = bd_rss_kb(&day);
    r->busy_anon_kb = bu_status_kb(day.pid, "RssAnon");
    r->busy_hwm_kb = bd_hwm_kb(&day);
    int status = bd_stop(&day, SIGTERM);
    if (status != 0) {
        snprintf(why, sizeof why, "hallqd exited with status %d on SIGTERM (log: %.300s)", status,
                 log);
        br_error(r, "daemon", why);
    }
}

/* Reads a command's whole standard output. NULL when it cannot run or exits non-zero. */
static char *s_run_capture(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    if (!p) {
        *status = -1;
        return NULL;
    }
    size_t len = 0, cap = 4096;
    char *out = malloc(cap);
    size_t n;
    while (out && (n = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 1024) {
            char *grown = realloc(out, cap * 2);
            if (!grown) {
                free(out);
                out = NULL;
                break;
            }
            out = grown;
            cap *= 2;
        }
    }
    int wstatus = pclose(p);
    *status = wstatus >= 0 && WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    if (out)
        out[len] = '\0';
    if (*status != 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* The statistics figures: bench/stats_bench.sh's JSON, from a file or from its command, which
 * runs after every other measurement so its minutes of queries disturb none of them. */
static void s_stats(const bo_opts_t *o, br_results_t *r)
{
    snprintf(r->stats_note, sizeof r->stats_note, "%s",
             o->stats_note ? o->stats_note : "not yet available (bench/stats_bench.sh)");
    json_error_t err;
    if (o->stats_cmd) {
        fprintf(stderr, "hallq-bench: statistics of a year (%s)...\n", o->stats_cmd);
        int status;
        char *text = s_run_capture(o->stats_cmd, &status);
        r->stats = text ? json_loads(text, 0, &err) : NULL;
        free(text);
        if (!text)
            snprintf(r->stats_note, sizeof r->stats_note,
                     "the statistics command failed (exit status %d)", status);
    } else if (o->stats_json) {
        r->stats = json_load_file(o->stats_json, 0, &err);
    } else {
        return;
    }
    if (r->stats && !json_is_object(r->stats)) {
        json_decref(r->stats);
        r->stats = NULL;
        snprintf(r->stats_note, sizeof r->stats_note, "the statistics are not a JSON object");
    }
}

/* 1 when DIR holds nothing (or cannot be read, which the first write will report). */
static int s_empty_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return 1;
    int empty = 1;
    struct dirent *e;
    while (empty && (e = readdir(d)))
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    return empty;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--helper") == 0)
        return bh_main(argc - 1, argv + 1);
    bo_opts_t o;
    if (bo_parse(argc, argv, &o) != 0)
        return 2;
    signal(SIGPIPE, SIG_IGN);
    if (access(o.hallqd, X_OK) != 0) {
        fprintf(stderr, "hallq-bench: %s is not an executable\n", o.hallqd);
        return 2;
    }
    if (mkdir(o.work, 0750) != 0 && errno != EEXIST) {
        fprintf(stderr, "hallq-bench: cannot create %s: %s\n", o.work, strerror(errno));
        return 2;
    }
    if (!s_empty_dir(o.work)) {
        /* Databases left by an earlier run would change what is measured. */
        fprintf(stderr, "hallq-bench: %s is not empty: --work takes a new or empty directory\n",
                o.work);
        return 2;
    }
    char self[4096], out_default[4200];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0) {
        fprintf(stderr, "hallq-bench: cannot find its own executable\n");
        return 1;
    }
    self[len] = '\0';
    snprintf(out_default, sizeof out_default, "%s/results.json", o.work);

    br_results_t r;
    br_init(&r);
    snprintf(r.mode, sizeof r.mode, "%s", o.mode);
    time_t now = time(NULL);
    struct tm tm;
    strftime(r.started, sizeof r.started, "%Y-%m-%dT%H:%M:%S%z", localtime_r(&now, &tm));
    struct utsname un;
    if (uname(&un) == 0)
        snprintf(r.host, sizeof r.host, "%s %s %s", un.sysname, un.release, un.machine);
    r.cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
    r.load_before = s_loadavg();
    r.samples = o.samples;
    r.samples_fanout = o.samples_fanout;
    r.displays = o.displays;
    r.per_process = o.per_process;
    r.rounds = o.rounds;
    int64_t t0 = bu_now_ns();
    void *ctx = hq_zmq_context(); /* before any thread: hq_client shares it */

    if (o.only & BO_DAY)
        s_day(&o, self, ctx, &r);
    char why[512];
    for (int i = 0; (o.only & BO_THROUGHPUT) && i < o.nlevels; i++) {
        fprintf(stderr, "hallq-bench: throughput with %d kiosk(s)...\n", o.levels[i]);
        bq_throughput_t *l = &r.levels[r.nlevels++];
        if (bq_throughput(o.hallqd, o.work, o.levels[i], o.tp_warm, o.tp_seconds, l, why,
                          sizeof why) != 0) {
            char phase[32];
            snprintf(phase, sizeof phase, "throughput-%d", o.levels[i]);
            br_error(&r, phase, why);
        }
        /* The same kiosks against the raw group commit: what any program gets here. */
        if (bq_throughput_raw(ctx, self, o.work, &r.sizes, o.levels[i], o.tp_warm, o.tp_seconds,
                              &r.group[i], why, sizeof why) != 0) {
            char phase[32];
            snprintf(phase, sizeof phase, "floor-group-%d", o.levels[i]);
            br_error(&r, phase, why);
        }
    }
    if (o.history && (o.only & BO_COLD)) {
        fprintf(stderr, "hallq-bench: cold start with a year of history...\n");
        if (bq_cold_start(o.hallqd, o.history, o.work, o.cold_runs, &r.cold, why, sizeof why) == 0)
            r.have_cold = 1;
        else
            br_error(&r, "cold-start", why);
    }
    if (o.only & BO_ESTIMATES) {
        fprintf(stderr, "hallq-bench: wait estimates over simulated days...\n");
        int n = be_run(o.quick, r.estimates, why, sizeof why);
        if (n < 0)
            br_error(&r, "estimates", why);
        else
            r.nestimates = n;
    }
    /* The conditions of the measurements; the statistics, which take minutes, come after. */
    r.elapsed_s = s_seconds_since(t0);
    r.load_after = s_loadavg();
    s_stats(&o, &r);

    br_print(stdout, &r);
    json_t *root = br_json(&r);
    const char *out = o.out ? o.out : out_default;
    int rc = json_dump_file(root, out, JSON_INDENT(2)) == 0 ? 0 : 1;
    if (rc != 0)
        fprintf(stderr, "hallq-bench: cannot write %s\n", out);
    else
        printf("results: %s\n", out);
    json_decref(root);
    int failed = json_object_size(r.errors) > 0;
    br_clear(&r);
    hq_zmq_shutdown();
    return rc != 0 || failed ? 1 : 0;
}
