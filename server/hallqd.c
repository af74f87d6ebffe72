/* hallqd: the hall's queue daemon. Thin: configuration, then the server. */
#include "auth.h"
#include "config.h"
#include "hq_log.h"
#include "hq_text.h"
#include "server.h"

#include <czmq.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t s_stop;

static void s_on_signal(int sig)
{
    (void)sig;
    s_stop = 1;
}

static void s_usage(FILE *out)
{
    fprintf(out,
            "usage: hallqd [options]\n"
            "Runs the hall's queue daemon in the foreground, logging to stderr.\n\n"
            "  -c, --config FILE     configuration file (default: embedded configuration)\n"
            "  -d, --data DIR        data directory holding hallq.db (default: ./hallq-data)\n"
            "      --request EP      request endpoint (default %s)\n"
            "      --events EP       event endpoint (default %s)\n"
            "      --keys DIR        CURVE keys and device allow-list (hallqctl keys); without\n"
            "                        keys the daemon listens on loopback only\n"
            "  -l, --log-level L     error, warn, info or debug (default info)\n"
            "      --check-config    check the configuration and exit\n"
            "      --print-catalog   print the services offered and exit\n"
            "  -V, --version         print the version and exit\n"
            "  -h, --help            this help\n",
            HQ_DEFAULT_REQUEST_ENDPOINT, HQ_DEFAULT_EVENT_ENDPOINT);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {{"config", required_argument, NULL, 'c'},
                                            {"data", required_argument, NULL, 'd'},
                                            {"request", required_argument, NULL, 'r'},
                                            {"events", required_argument, NULL, 'e'},
                                            {"log-level", required_argument, NULL, 'l'},
                                            {"keys", required_argument, NULL, 'K'},
                                            {"check-config", no_argument, NULL, 'k'},
                                            {"print-catalog", no_argument, NULL, 'p'},
                                            {"version", no_argument, NULL, 'V'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    const char *config_path = NULL, *data_dir = "hallq-data", *request = NULL, *events = NULL;
    const char *log_level = NULL, *keys = NULL;
    int check_only = 0, print_catalog = 0, opt;
    opterr = 0; /* one line of our own instead of getopt's */
    while ((opt = getopt_long(argc, argv, "c:d:l:Vh", options, NULL)) != -1) {
        switch (opt) {
        case 'c':
            config_path = optarg;
            break;
        case 'd':
            data_dir = optarg;
            break;
        case 'r':
            request = optarg;
            break;
        case 'e':
            events = optarg;
            break;
        case 'l':
            log_level = optarg;
            break;
        case 'K':
            keys = optarg;
            break;
        case 'k':
            check_only = 1;
            break;
        case 'p':
            print_catalog = 1;
            break;
        case 'V':
            printf("hallqd %s (protocol %d)\n", HALLQ_VERSION, HQ_PROTOCOL_VERSION);
            return 0;
        case 'h':
            s_usage(stdout);
            return 0;
        default:
            if (optopt)
                fprintf(stderr,
                        "hallqd: option '-%c' is unknown or lacks its value; see hallqd --help\n",
                        optopt);
            else
                fprintf(stderr,
                        "hallqd: option '%s' is unknown or lacks its value; see hallqd --help\n",
                        argv[optind - 1]);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "hallqd: unexpected argument '%s'; see hallqd --help\n", argv[optind]);
        return 2;
    }
    hq_log_set_program("hallqd");
    hallq_config_t cfg;
    char why[512];
    if (config_default(&cfg, why, sizeof why) != 0) {
        fprintf(stderr, "hallqd: embedded configuration: %s\n", why);
        return 1;
    }
    if (config_path && config_load_file(&cfg, config_path, why, sizeof why) != 0) {
        fprintf(stderr, "hallqd: %s\n", why);
        config_free(&cfg);
        return 1;
    }
    if (request)
        hq_strlcpy(cfg.request_endpoint, request, sizeof cfg.request_endpoint);
    if (events)
        hq_strlcpy(cfg.event_endpoint, events, sizeof cfg.event_endpoint);
    if (keys)
        hq_strlcpy(cfg.keys_dir, keys, sizeof cfg.keys_dir);
    if (log_level)
        hq_strlcpy(cfg.log_level, log_level, sizeof cfg.log_level);
    int level = hq_log_level_parse(cfg.log_level);
    if (level < 0) {
        fprintf(stderr, "hallqd: log level '%s' is not error, warn, info or debug\n",
                cfg.log_level);
        config_free(&cfg);
        return 2;
    }
    hq_log_set_level((hq_log_level_t)level);
    char tzwhy[200];
    if (hq_text_timezone(cfg.timezone, tzwhy, sizeof tzwhy) != 0) {
        fprintf(stderr, "hallqd: %s (set [hall] timezone)\n", tzwhy);
        config_free(&cfg);
        return 1;
    }
    if (print_catalog) {
        for (int i = 0; i < cfg.nservices; i++)
            if (config_service_offered(&cfg, &cfg.services[i]))
                printf("%d\t%c\t%s\t%s\n", cfg.services[i].no, cfg.services[i].queue,
                       cfg.services[i].sub_item, cfg.services[i].instant ? "instant" : "assisted");
        config_free(&cfg);
        return 0;
    }
    if (check_only) {
        printf("configuration ok: %d queue(s), %d counter(s), %d service(s) offered (%s level)\n",
               cfg.nqueues, cfg.ncounters, config_services_offered(&cfg), cfg.level);
        config_free(&cfg);
        return 0;
    }
    /* The key store before anything is opened: a refusal leaves the data untouched. */
    if (cfg.keys_dir[0] && auth_check_store(cfg.keys_dir, why, sizeof why) != 0) {
        fprintf(stderr, "hallqd: %s\n", why);
        config_free(&cfg);
        return 1;
    }
    /* SIGINT and SIGTERM stop the server through a flag its loop checks. They stay blocked
     * while it starts, so no thread it starts takes them (libzmq's block them, czmq's actors do
     * not): a signal then reaches the loop's thread and interrupts its poll. Not czmq's
     * handler: it would stop those actors too. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    zsys_handler_set(NULL);
    server_t *server = server_new(&cfg, data_dir, why, sizeof why);
    if (!server) {
        hq_error("%s", why);
        fprintf(stderr, "hallqd: %s\n", why);
        config_free(&cfg);
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    pthread_sigmask(SIG_UNBLOCK, &stop_signals, NULL);
    int rc = server_run(server, &s_stop);
    server_destroy(&server);
    config_free(&cfg);
    return rc == 0 ? 0 : 1;
}
