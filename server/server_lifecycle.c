/* hallqd's server made and destroyed: the store opened and checked against the clock, the
 * state loaded, the keys and budgets set up, both sockets bound (and the event socket bound
 * again when a device loses its key), and the shutdown in its order. */
#include "server_int.h"

#include "config_record.h"
#include "hq_date.h"
#include "hq_log.h"
#include "webtoken.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define S_LIMIT_DEVICES 4096 /* request budgets remembered (connections without keys) */

/* Events a subscriber that does not read may have queued before it loses some. A display
 * that fell this far behind takes a new snapshot (the Clone pattern's gap rule); a stuck one
 * costs the daemon this many messages at most. A busy minute of a large hall is a few
 * hundred events. */
#define S_EVENT_HWM 500

static void *s_bind(server_t *self, int type, const char *endpoint, const char *what, char *bound,
                    size_t n, char *why, size_t whylen)
{
    void *sock = zmq_socket(self->ctx, type);
    if (!sock) {
        snprintf(why, whylen, "cannot create a socket: %s", zmq_strerror(zmq_errno()));
        return NULL;
    }
    int linger = 0;
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
    if (self->auth && auth_apply(self->auth, sock, what) != 0) {
        snprintf(why, whylen, "cannot enable CURVE on %s: %s", endpoint, zmq_strerror(zmq_errno()));
        zmq_close(sock);
        return NULL;
    }
    if (type == ZMQ_ROUTER) {
        int64_t maxmsg = HQ_MAX_FRAME_BYTES;
        zmq_setsockopt(sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    } else {
        int hwm = S_EVENT_HWM;
        zmq_setsockopt(sock, ZMQ_SNDHWM, &hwm, sizeof hwm);
    }
    if (zmq_bind(sock, endpoint) != 0) {
        snprintf(why, whylen, "cannot bind %s: %s", endpoint, zmq_strerror(zmq_errno()));
        zmq_close(sock);
        return NULL;
    }
    size_t len = n;
    if (zmq_getsockopt(sock, ZMQ_LAST_ENDPOINT, bound, &len) != 0)
        hq_strlcpy(bound, endpoint, n);
    return sock;
}

/* A device lost its key: its request connection is refused at every request, but the event
 * socket cannot drop one subscriber, so it is closed and bound again in its place. Every
 * subscriber reconnects (a new handshake, which the removed key fails); the others notice the
 * events they missed meanwhile by their sequence numbers and take a snapshot. */
void server_cut_off(server_t *self)
{
    if (!self->pub)
        return;
    zmq_close(self->pub);
    self->pub = NULL;
    char why[300], bound[256];
    /* libzmq closes the old socket in its own thread: its port is free a moment later. */
    for (int attempt = 0; attempt < 200 && !self->pub; attempt++) {
        self->pub = s_bind(self, ZMQ_PUB, self->event_bound, "events", bound, sizeof bound, why,
                           sizeof why);
        if (!self->pub)
            zclock_sleep(5);
    }
    if (self->pub)
        hq_info("event connections closed and %s bound again: every display reconnects",
                self->event_bound);
    else
        hq_error("cannot bind %s again after closing it (%s): no events are published until "
                 "hallqd is restarted",
                 self->event_bound, why);
}

/* Local date and time of an instant, to the second, for a message. */
static const char *s_local(int64_t ms, char *out, size_t n)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&s, &tm) || !strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(out, n, "%lld ms", (long long)ms);
    return out;
}

/* A data folder holds one kind of days (store_clock): the system's clock starts on any but a
 * simulated hall's; a simulated one on an empty folder, which it marks, or on a simulated
 * hall's whose records all come before its start. */
static int s_check_clock(server_t *self, const server_clock_t *sim, char *why, size_t whylen)
{
    const char *path = store_path(self->store);
    store_clock_t kind;
    int64_t latest;
    if (store_clock(self->store, &kind, sim ? &latest : NULL, why, whylen) != 0)
        return -1;
    if (!sim)
        return kind != STORE_CLOCK_SIMULATED
                   ? 0
                   : hq_fail(why, whylen,
                             "%s holds a simulated hall's days (hallqd --simulate): a real hall "
                             "needs a data folder of its own",
                             path);
    if (kind == STORE_CLOCK_REAL)
        return hq_fail(why, whylen,
                       "%s holds a real hall's days: a simulated clock needs a data folder of "
                       "its own, or its days would mix into the hall's statistics",
                       path);
    if (latest > sim->start_ms) {
        char start[32], last[32];
        return hq_fail(why, whylen,
                       "the simulated clock would start at %s, before the latest time %s "
                       "recorded (%s): start after it, or in an empty data folder",
                       s_local(sim->start_ms, start, sizeof start), path,
                       s_local(latest, last, sizeof last));
    }
    if (kind == STORE_CLOCK_EMPTY && store_mark_simulated(self->store) != 0)
        return hq_fail(why, whylen, "%s: cannot mark it simulated: %s", path,
                       store_errmsg(self->store));
    return 0;
}

/* server_new, server_new_at and server_new_simulated: `at` NULL starts at the daemon's clock,
 * `sim` NULL is the system's. */
static server_t *s_new(const hallq_config_t *cfg, const char *data_dir, const int64_t *at,
                       const server_clock_t *sim, char *why, size_t whylen)
{
    server_t *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    self->cfg = cfg;
    self->clock =
        sim ? hallclock_new_simulated(sim->start_ms, sim->speed, NULL, NULL) : hallclock_new();
    if (!self->clock) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    int64_t now = at ? *at : hallclock_now(self->clock);
    self->store = store_open(data_dir, cfg->sync_full, why, whylen);
    if (!self->store || s_check_clock(self, sim, why, whylen) != 0)
        goto fail;
    if (sim) {
        char start[32];
        hq_warn("SIMULATED CLOCK: the hall's time started at %s and runs %gx as fast as real "
                "time; every time this hall records is simulated (simulation and training "
                "only, never a real hall)",
                s_local(sim->start_ms, start, sizeof start), sim->speed);
    }
    self->hall = hall_new(cfg);
    char roster[1100];
    snprintf(roster, sizeof roster, "%s/%s", data_dir, ROSTER_FILE);
    self->roster = roster_new(roster);
    if (!self->hall || !self->roster) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    /* An unsafe roster stops the start, as an unsafe key store does. */
    if (roster_refresh(self->roster, why, whylen) < 0)
        goto fail;
    hall_set_roster(self->hall, self->roster);
    uint8_t web_key[WEBTOKEN_KEY_BYTES];
    if (webtoken_key_load(data_dir, web_key, why, whylen) != 0)
        goto fail;
    hall_set_web_key(self->hall, web_key, sizeof web_key);
    sodium_memzero(web_key, sizeof web_key);
    if (roster_count(self->roster))
        hq_info("clerk roster %s: %zu clerk(s), logins need their PIN", roster,
                roster_count(self->roster));
    char day[HQ_DATE_TEXT_MAX];
    hq_date_format(hq_date_local(now), day);
    if (store_load(self->store, self->hall, day) != 0) {
        snprintf(why, whylen, "cannot read %s: %s", store_path(self->store),
                 store_errmsg(self->store));
        goto fail;
    }
    /* Started while the system clock is behind what the store recorded: carry on from that. */
    hallclock_keep_after(self->clock, hall_latest_ms(self->hall));
    if (!at)
        now = hallclock_now(self->clock);
    /* The configuration in force from now on, for the statistics of the days it governs. */
    char *record = config_record_text(cfg);
    int recorded = record ? store_put_config(self->store, now, day, record, why, whylen)
                          : hq_fail(why, whylen, "out of memory");
    free(record);
    if (recorded < 0)
        goto fail;
    if (recorded)
        hq_info("configuration recorded: in force from business day %s", day);
    /* czmq's context: zauth answers the handshakes there, so the sockets live there too. Its
     * own log lines (zauth's, at debug level) join ours on stderr. */
    self->ctx = zsys_init();
    if (!self->ctx) {
        snprintf(why, whylen, "cannot start ZeroMQ: %s", zmq_strerror(zmq_errno()));
        goto fail;
    }
    zsys_set_logstream(stderr);
    if (cfg->keys_dir[0]) {
        self->auth = auth_new(cfg->keys_dir, why, whylen);
        if (!self->auth)
            goto fail;
        hq_info("CURVE on: %zu device key(s) allowed in %s/clients", auth_check_allowed(self->auth),
                cfg->keys_dir);
    } else if (!config_endpoint_loopback(cfg->request_endpoint) ||
               !config_endpoint_loopback(cfg->event_endpoint)) {
        snprintf(why, whylen,
                 "refusing to listen beyond loopback without keys: set [security] keys "
                 "(see hallqctl keys --help)");
        goto fail;
    } else {
        hq_info("no keys configured: listening on loopback only, every local program may act");
    }
    self->limits = ratelimit_new(S_LIMIT_DEVICES);
    self->refusals = ratelimit_new(S_LIMIT_DEVICES);
    if (!self->limits || !self->refusals) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    char req_bound[256];
    /* Bind events first: a client that gets a reply can already be subscribed. */
    self->pub = s_bind(self, ZMQ_PUB, cfg->event_endpoint, "events", self->event_bound,
                       sizeof self->event_bound, why, whylen);
    if (!self->pub)
        goto fail;
    self->router = s_bind(self, ZMQ_ROUTER, cfg->request_endpoint, "requests", req_bound,
                          sizeof req_bound, why, whylen);
    if (!self->router)
        goto fail;
    server_check_day(self, now);
    /* Bookings whose check-in closed while the daemon was down are no-shows from the start. */
    server_booking_sweep(self, now);
    size_t open = 0;
    for (int i = 0; i < cfg->ncounters; i++) {
        const hq_counter_t *c = hall_counter(self->hall, cfg->counters[i].id);
        open += c && c->state != HQ_C_CLOSED;
    }
    hq_info("hallqd %s: day %s, %zu ticket(s) in memory, %zu of %d counter(s) open, last event "
            "%lld, data %s",
            HALLQ_VERSION, hall_day(self->hall), hall_ticket_count(self->hall), open,
            cfg->ncounters, (long long)hall_seq(self->hall), store_path(self->store));
    hq_info("listening requests=%s events=%s", req_bound, self->event_bound);
    return self;
fail:
    server_destroy(&self);
    return NULL;
}

server_t *server_new(const hallq_config_t *cfg, const char *data_dir, char *why, size_t whylen)
{
    return s_new(cfg, data_dir, NULL, NULL, why, whylen);
}

server_t *server_new_simulated(const hallq_config_t *cfg, const char *data_dir,
                               const server_clock_t *clock, char *why, size_t whylen)
{
    return s_new(cfg, data_dir, NULL, clock, why, whylen);
}

server_t *server_new_at(const hallq_config_t *cfg, const char *data_dir, int64_t now_ms, char *why,
                        size_t whylen)
{
    return s_new(cfg, data_dir, &now_ms, NULL, why, whylen);
}

void server_watch_events(server_t *self, server_event_fn *fn, void *arg)
{
    self->on_event = fn;
    self->on_event_arg = arg;
}

hall_t *server_hall(server_t *self)
{
    return self->hall;
}

store_t *server_store(server_t *self)
{
    return self->store;
}

void server_destroy(server_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    server_t *self = *self_p;
    /* Shutdown order: stop taking requests, flush the metric log, close the database, then
     * the remaining sockets, and the handshakes last: a CURVE socket whose ZAP handler is gone
     * lets any key in. */
    if (self->router)
        zmq_close(self->router);
    if (self->store && self->hall && self->pub)
        server_log_metric(self, hallclock_now(self->clock));
    store_close(&self->store);
    if (self->pub)
        zmq_close(self->pub);
    auth_destroy(&self->auth);
    ratelimit_destroy(&self->limits);
    ratelimit_destroy(&self->refusals);
    hall_destroy(&self->hall);
    hallclock_destroy(&self->clock);
    roster_destroy(&self->roster);
    free(self);
    *self_p = NULL;
}
