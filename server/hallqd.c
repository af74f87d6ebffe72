/* hallqd: the hall's queue daemon. Thin: configuration, then the server. */
#include "auth.h"
#include "clock.h"
#include "config.h"
#include "hallqd_options.h"
#include "hq_log.h"
#include "hq_signals.h"
#include "hq_text.h"
#include "server.h"
#include "ui_exit.h"

#include <czmq.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The simulated clock --simulate and --speed ask for, refused for a hall with keys or an
 * endpoint beyond loopback: those are real halls, and a simulated day in one would be
 * recorded as its own. 0, or -1 with the reason. */
static int s_simulated_clock(const hallq_config_t *cfg, const hallqd_options_t *o,
                             server_clock_t *out, char *why, size_t whylen)
{
    if (cfg->keys_dir[0])
        return hq_fail(why, whylen,
                       "--simulate is for simulation and training halls: refused with device "
                       "keys ([security] keys or --keys), which only a real hall has");
    const char *endpoints[] = {cfg->request_endpoint, cfg->event_endpoint};
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++)
        if (!config_endpoint_loopback(endpoints[i]))
            return hq_fail(why, whylen,
                           "--simulate is for simulation and training halls: refused on %s, "
                           "beyond loopback (a simulated hall listens on 127.x.x.x, ipc:// or "
                           "inproc:// only)",
                           endpoints[i]);
    out->start_ms = hallqd_start_ms(&o->simulate, hq_now_ms());
    out->speed = o->speed;
    if (out->start_ms <= 0)
        return hq_fail(why, whylen, "--simulate: the hall's time cannot start before 1970");
    return 0;
}

int main(int argc, char **argv)
{
    hallqd_options_t o;
    hallqd_options_defaults(&o);
    int rc = ui_options_parse(&hallqd_cli, argc, argv, &o);
    if (rc != UI_OPTIONS_RUN)
        return rc;
    hq_log_set_program("hallqd");
    hallq_config_t cfg;
    char why[512];
    if (config_default(&cfg, why, sizeof why) != 0) {
        fprintf(stderr, "hallqd: embedded configuration: %s\n", why);
        return UI_EXIT_FAILURE;
    }
    if (o.config && config_load_file(&cfg, o.config, why, sizeof why) != 0) {
        fprintf(stderr, "hallqd: %s\n", why);
        config_free(&cfg);
        return UI_EXIT_USAGE;
    }
    if (o.request)
        hq_strlcpy(cfg.request_endpoint, o.request, sizeof cfg.request_endpoint);
    if (o.events)
        hq_strlcpy(cfg.event_endpoint, o.events, sizeof cfg.event_endpoint);
    if (o.keys)
        hq_strlcpy(cfg.keys_dir, o.keys, sizeof cfg.keys_dir);
    if (o.log_level)
        hq_strlcpy(cfg.log_level, o.log_level, sizeof cfg.log_level);
    int level = hq_log_level_parse(cfg.log_level);
    if (level < 0) {
        fprintf(stderr, "hallqd: log level '%s' is not error, warn, info or debug\n",
                cfg.log_level);
        config_free(&cfg);
        return UI_EXIT_USAGE;
    }
    hq_log_set_level((hq_log_level_t)level);
    char tzwhy[200];
    if (hq_text_timezone(cfg.timezone, tzwhy, sizeof tzwhy) != 0) {
        fprintf(stderr, "hallqd: %s (set [hall] timezone)\n", tzwhy);
        config_free(&cfg);
        return UI_EXIT_USAGE;
    }
    server_clock_t sim = {0};
    if (o.simulate.given && s_simulated_clock(&cfg, &o, &sim, why, sizeof why) != 0) {
        fprintf(stderr, "hallqd: %s\n", why);
        config_free(&cfg);
        return UI_EXIT_USAGE;
    }
    if (o.print_catalog) {
        for (int i = 0; i < cfg.nservices; i++)
            if (config_service_offered(&cfg, &cfg.services[i]))
                printf("%d\t%c\t%s\t%s\n", cfg.services[i].no, cfg.services[i].queue,
                       cfg.services[i].sub_item, cfg.services[i].instant ? "instant" : "assisted");
        config_free(&cfg);
        return UI_EXIT_OK;
    }
    if (o.check_only) {
        printf("configuration ok: %d queue(s), %d counter(s), %d service(s) offered (%s level)\n",
               cfg.nqueues, cfg.ncounters, config_services_offered(&cfg), cfg.level);
        config_free(&cfg);
        return UI_EXIT_OK;
    }
    /* The key store before anything is opened: a refusal leaves the data untouched. */
    if (cfg.keys_dir[0] && auth_check_store(cfg.keys_dir, why, sizeof why) != 0) {
        fprintf(stderr, "hallqd: %s\n", why);
        config_free(&cfg);
        return UI_EXIT_USAGE;
    }
    /* The stop signals (hq_signals) stop the server through the flag its loop checks. They
     * stay blocked while it starts, so no thread it starts takes them (libzmq's block them,
     * czmq's actors do not): a signal then reaches the loop's thread and interrupts its poll.
     * Not czmq's handler: it would stop those actors too. */
    sigset_t stop_signals;
    hq_signals_stop_set(&stop_signals);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    zsys_handler_set(NULL);
    server_t *server = o.simulate.given
                           ? server_new_simulated(&cfg, o.data_dir, &sim, why, sizeof why)
                           : server_new(&cfg, o.data_dir, why, sizeof why);
    if (!server) {
        hq_error("%s", why);
        fprintf(stderr, "hallqd: %s\n", why);
        config_free(&cfg);
        return UI_EXIT_FAILURE;
    }
    hq_signals_catch();
    pthread_sigmask(SIG_UNBLOCK, &stop_signals, NULL);
    rc = server_run(server, &hq_signal_stop);
    server_destroy(&server);
    config_free(&cfg);
    return rc == 0 ? UI_EXIT_OK : UI_EXIT_FAILURE;
}
