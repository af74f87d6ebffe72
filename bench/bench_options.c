/* hallq-bench's command line (bench_options.h). */
#include "bench_options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void s_usage(FILE *out)
{
    fprintf(out,
            "usage: hallq-bench --hallqd PATH --work DIR [options]\n"
            "Measures hallqd against raw ZeroMQ and SQLite floors in one run; prints a table\n"
            "and writes JSON. Usually started by bench/run.sh.\n\n"
            "  --hallqd PATH        the daemon to measure\n"
            "  --work DIR           scratch directory on the disk to measure (created)\n"
            "  --out FILE           JSON results (default: DIR/results.json)\n"
            "  --quick              fewer samples: under a minute\n"
            "  --samples N          round trips per latency figure (default 2000, quick 300)\n"
            "  --fanout-samples N   calls measured with many displays (default 1000, quick 150)\n"
            "  --displays N         displays of the fan-out figures (default 300)\n"
            "  --per-process N      subscribers per helper process, each a thread (default 25)\n"
            "  --rounds N           interleaved floor/hallq rounds (default 8, quick 4)\n"
            "  --seconds S          throughput window per kiosk count (default 3, quick 1)\n"
            "  --kiosks LIST        kiosk counts, comma separated (default 1,10,50)\n"
            "  --history DIR        a year of history (DIR/hallq.db) for the cold start\n"
            "  --cold-runs N        cached cold starts (default 5, quick 2)\n"
            "  --stats-json FILE    statistics export figures to include\n"
            "  --stats-cmd CMD      a shell command printing them (JSON on stdout), run last\n"
            "  --stats-note TEXT    why there are none\n"
            "  --only LIST          run only some parts: day (floors, latencies, busy day),\n"
            "                       throughput, cold, estimates (wait estimates over simulated\n"
            "                       days, in this process); comma separated\n"
            "  -h, --help           this help\n");
}

static int s_positive(const char *arg, const char *name, int *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*end || v < 1 || v > 1000000) {
        fprintf(stderr, "hallq-bench: %s must be a positive integer, not '%s'\n", name, arg);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int bo_parse(int argc, char **argv, bo_opts_t *o)
{
    static const struct option options[] = {{"hallqd", required_argument, NULL, 'd'},
                                            {"work", required_argument, NULL, 'w'},
                                            {"out", required_argument, NULL, 'o'},
                                            {"quick", no_argument, NULL, 'q'},
                                            {"samples", required_argument, NULL, 's'},
                                            {"fanout-samples", required_argument, NULL, 'f'},
                                            {"displays", required_argument, NULL, 'n'},
                                            {"per-process", required_argument, NULL, 'p'},
                                            {"rounds", required_argument, NULL, 'r'},
                                            {"seconds", required_argument, NULL, 'S'},
                                            {"kiosks", required_argument, NULL, 'k'},
                                            {"history", required_argument, NULL, 'H'},
                                            {"cold-runs", required_argument, NULL, 'c'},
                                            {"stats-json", required_argument, NULL, 'j'},
                                            {"stats-note", required_argument, NULL, 'N'},
                                            {"only", required_argument, NULL, 'O'},
                                            {"stats-cmd", required_argument, NULL, 'C'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    /* Two passes: --quick sets the defaults the other options then override. */
    int quick = 0, opt;
    for (int i = 1; i < argc; i++)
        quick |= strcmp(argv[i], "--quick") == 0;
    *o = (bo_opts_t){.mode = quick ? "quick" : "full",
                     .samples = quick ? 300 : 2000,
                     .samples_fanout = quick ? 150 : 1000,
                     .displays = 300,
                     .per_process = 25,
                     .rounds = quick ? 4 : 8,
                     .warmup = quick ? 50 : 200,
                     .cold_runs = quick ? 2 : 5,
                     .tp_warm = quick ? 0.3 : 0.5,
                     .tp_seconds = quick ? 1.0 : 3.0,
                     .levels = {1, 10, 50},
                     .nlevels = 3,
                     .phase_cap_s = quick ? 15 : 60,
                     .only = BO_ALL,
                     .quick = quick};
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        int custom = 1;
        switch (opt) {
        case 'd':
            o->hallqd = optarg;
            custom = 0;
            break;
        case 'w':
            o->work = optarg;
            custom = 0;
            break;
        case 'o':
            o->out = optarg;
            custom = 0;
            break;
        case 'q':
            custom = 0;
            break;
        case 'H':
            o->history = optarg;
            custom = 0;
            break;
        case 'j':
            o->stats_json = optarg;
            custom = 0;
            break;
        case 'N':
            o->stats_note = optarg;
            custom = 0;
            break;
        case 'C':
            o->stats_cmd = optarg;
            custom = 0;
            break;
        case 's':
            if (s_positive(optarg, "--samples", &o->samples))
                return -1;
            break;
        case 'f':
            if (s_positive(optarg, "--fanout-samples", &o->samples_fanout))
                return -1;
            break;
        case 'n':
            if (s_positive(optarg, "--displays", &o->displays))
                return -1;
            break;
        case 'p':
            if (s_positive(optarg, "--per-process", &o->per_process))
                return -1;
            break;
        case 'r':
            if (s_positive(optarg, "--rounds", &o->rounds))
                return -1;
            break;
        case 'c':
            if (s_positive(optarg, "--cold-runs", &o->cold_runs))
                return -1;
            break;
        case 'S': {
            char *end;
            o->tp_seconds = strtod(optarg, &end);
            if (*end || o->tp_seconds < 0.1 || o->tp_seconds > 600) {
                fprintf(stderr, "hallq-bench: --seconds must be between 0.1 and 600\n");
                return -1;
            }
            if (o->tp_warm > o->tp_seconds)
                o->tp_warm = o->tp_seconds;
            break;
        }
        case 'k': {
            o->nlevels = 0;
            char *copy = strdup(optarg), *save = NULL;
            for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                if (o->nlevels == BR_MAX_LEVELS ||
                    s_positive(tok, "--kiosks", &o->levels[o->nlevels]) != 0) {
                    fprintf(stderr, "hallq-bench: --kiosks takes up to %d counts\n", BR_MAX_LEVELS);
                    free(copy);
                    return -1;
                }
                o->nlevels++;
            }
            free(copy);
            break;
        }
        case 'O': {
            o->only = 0;
            char *copy = strdup(optarg), *save = NULL;
            for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                int part = strcmp(tok, "day") == 0          ? BO_DAY
                           : strcmp(tok, "throughput") == 0 ? BO_THROUGHPUT
                           : strcmp(tok, "cold") == 0       ? BO_COLD
                           : strcmp(tok, "estimates") == 0  ? BO_ESTIMATES
                                                            : 0;
                if (!part) {
                    fprintf(stderr, "hallq-bench: --only takes day, throughput, cold, estimates\n");
                    free(copy);
                    return -1;
                }
                o->only |= part;
            }
            free(copy);
            break;
        }
        case 'h':
            s_usage(stdout);
            exit(0);
        default:
            fprintf(stderr, "hallq-bench: option '%s' is unknown or lacks its value; see --help\n",
                    argv[optind - 1]);
            return -1;
        }
        if (custom)
            o->mode = "custom";
    }
    if (optind < argc || !o->hallqd || !o->work) {
        fprintf(stderr, "hallq-bench: --hallqd and --work are required; see --help\n");
        return -1;
    }
    if (o->rounds > o->samples)
        o->rounds = o->samples;
    if (o->rounds > o->samples_fanout)
        o->rounds = o->samples_fanout;
    return 0;
}
