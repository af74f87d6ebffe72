/* hallq-web: the hall on a citizen's phone. A thin main: options, then two threads. This
 * one follows hallqd as a Clone client (hq_feed: snapshot, then events in order) and
 * publishes each change to the shared state; libmicrohttpd's thread serves the pages from it
 * and pushes the changes down the event streams. This thread also keeps the estimates of the
 * followed tickets fresh (a snapshot's waits) and wakes the streams for their keep-alive. */
#include "hq_client.h"
#include "hq_feed.h"
#include "hq_log.h"
#include "hq_security.h"
#include "hq_signals.h"
#include "ui_exit.h"
#include "web_http.h"
#include "web_notify.h"
#include "web_options.h"
#include "web_state.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#define S_SILENCE_MS 3000     /* offline after this much silence (at least 3 heartbeats) */
#define S_TICK_MS 15000       /* the streams' keep-alive, and the minutes counting down */
#define S_WAITS_MS 20000      /* fresh estimates this often while a followed ticket waits */
#define S_WAITS_AFTER_MS 1000 /* ... and this soon after a call moved the lines */
#define S_FOLLOW_MAX 20000    /* links followed at once */

typedef struct {
    web_state_t *state;
    int64_t waits_due;    /* monotonic ms the next estimates are asked for, 0 none */
    dm_t wall;            /* the wall's display model (hallq-display's) */
    int notice_due;       /* the notice (in the catalog) is to be asked for */
    web_notify_t *notify; /* the notifier hook, NULL none */
    ui_lang_t lang;       /* the language of what the hook is given to say */
} s_app_t;

static void s_on_event(void *arg, const hq_event_t *ev, hq_apply_t result)
{
    s_app_t *app = arg;
    dm_call_t call;
    dm_on_event(&app->wall, ev, result, hq_monotonic_ms(), &call);
    web_state_event(app->state, ev);
    /* A queue alert raised or cleared reaches the people who can act on it through the hook
     * too (hallqd's own [alerts] hook is the hall's; this one is the web's notifier). */
    if (ev->type == HQ_EV_QUEUE_ALERT && app->notify && ev->body) {
        const json_t *alert = json_object_get(ev->body, "alert");
        char text[300];
        web_notify_alert_text(alert, app->lang, text, sizeof text);
        web_notify_alert(app->notify, alert, text);
    }
    if (ev->type == HQ_EV_DAY && ev->body) {
        const char *day = json_string_value(json_object_get(ev->body, "day"));
        if (day)
            web_state_forget_before(app->state, day);
    }
    /* A call or a new ticket moves the lines: the estimates follow soon. */
    if (ev->type == HQ_EV_CALLED || ev->type == HQ_EV_ISSUED || ev->type == HQ_EV_COUNTER) {
        int64_t soon = hq_monotonic_ms() + S_WAITS_AFTER_MS;
        if (!app->waits_due || app->waits_due > soon)
            app->waits_due = soon;
    }
}

/* Fresh estimates of the followed tickets that wait: hallqd's own, from a snapshot. */
static void s_refresh_waits(s_app_t *app, hq_client_t *client)
{
    web_state_lock(app->state);
    int any = web_state_any_waiting(app->state);
    web_state_unlock(app->state);
    if (!any)
        return;
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_SNAPSHOT);
    hq_reply_t reply;
    hq_error_t err;
    if (hq_client_request(client, &req, &reply, &err) != 0) {
        hq_debug("estimates: %s", err.message);
        return;
    }
    if (reply.ok)
        web_state_waits(app->state, reply.body);
    hq_reply_clear(&reply);
}

/* The hall's notice line is in the catalog, not in the snapshot: asked for after each fresh
 * snapshot (a restarted daemon may have another configuration). */
static void s_fetch_notice(s_app_t *app, hq_client_t *client)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_CATALOG);
    hq_reply_t reply;
    hq_error_t err;
    if (hq_client_request(client, &req, &reply, &err) != 0)
        return;
    const json_t *notice = json_object_get(json_object_get(reply.body, "hall"), "notice");
    const json_t *base = json_object_get(json_object_get(reply.body, "web"), "base_url");
    if (reply.ok && json_is_string(base))
        web_state_set_base_url(app->state, json_string_value(base));
    if (reply.ok && json_is_string(notice)) {
        dm_set_notice(&app->wall, json_string_value(notice));
        app->notice_due = 0;
    }
    hq_reply_clear(&reply);
}

/* A "tell me when N are ahead" that came due: to the hall's hook. */
static void s_notice(void *arg, const web_follow_t *f, const char *text, const char *base_url)
{
    char link[300] = "";
    if (base_url[0])
        snprintf(link, sizeof link, "%s/t/%s", base_url, f->token);
    web_notify_send(arg, f->ticket.label, text, f->contact, link);
}

/* Room for every stream: a socket each. */
static void s_raise_file_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

int main(int argc, char **argv)
{
    web_options_t o;
    char why[300];
    hq_log_set_program("hallq-web");
    web_options_defaults(&o);
    int rc = ui_options_parse(&web_cli, argc, argv, &o);
    if (rc != UI_OPTIONS_RUN)
        return rc;
    hq_log_set_level(o.verbose ? HQ_LOG_DEBUG : HQ_LOG_INFO);
    if (o.key || o.server_key)
        hq_security_set(o.key, o.server_key);
    s_raise_file_limit();
    hq_signals_catch();

    hq_mirror_t mirror;
    hq_mirror_init(&mirror, S_SILENCE_MS);
    hq_feed_t *feed = hq_feed_new(o.endpoint, o.events, &mirror);
    hq_client_t *client = feed ? hq_client_new(o.endpoint, 2000) : NULL;
    web_state_t *state = web_state_new(S_FOLLOW_MAX);
    int status = UI_EXIT_USAGE;
    if (!feed || !client || !state) {
        fprintf(stderr, "hallq-web: cannot use endpoints %s / %s (see the message above)\n",
                o.endpoint, o.events);
        goto done;
    }
    s_app_t app = {.state = state, .notice_due = 1};
    dm_init(&app.wall, DM_HALL, 0);
    hq_feed_set_handler(feed, s_on_event, &app);

    /* The HTTP thread takes no stop signal: this thread's poll is the one they wake. */
    sigset_t stops, old;
    hq_signals_stop_set(&stops);
    web_notify_t *notify = NULL;
    pthread_sigmask(SIG_BLOCK, &stops, &old);
    web_http_config_t hc = {.address = o.address,
                            .port = o.port,
                            .lang = o.lang,
                            .per_address = o.per_address,
                            .guesses = o.guesses,
                            .endpoint = o.endpoint,
                            .api_keys = o.api_keys,
                            .tls_cert = o.tls_cert,
                            .tls_key = o.tls_key,
                            .max_connections = (unsigned)o.max_connections};
    /* The notifier's thread takes no stop signal either. */
    if (o.notify_hook && !(notify = web_notify_new(o.notify_hook, why, sizeof why))) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        fprintf(stderr, "hallq-web: %s\n", why);
        goto done;
    }
    hc.notify = notify != NULL;
    app.notify = notify;
    app.lang = o.lang;
    web_http_t *http = web_http_new(&hc, state, why, sizeof why);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    status = UI_EXIT_FAILURE;
    if (!http) {
        fprintf(stderr, "hallq-web: %s\n", why);
        goto done;
    }
    hq_info("listening on %s://%s:%d/ (hallqd %s, events %s)", o.tls_cert ? "https" : "http",
            o.address, web_http_port(http), o.endpoint, o.events);

    int64_t published = -1, tick_due = hq_monotonic_ms() + S_TICK_MS;
    app.waits_due = hq_monotonic_ms() + S_WAITS_MS;
    while (!hq_signal_stop) {
        int64_t now = hq_monotonic_ms();
        int64_t next = tick_due < app.waits_due ? tick_due : app.waits_due;
        int timeout = next > now ? (int)(next - now) : 0;
        if (hq_feed_poll(feed, -1, timeout > 500 ? 500 : timeout) < 0)
            break;
        now = hq_monotonic_ms();
        dm_link_t link = app.wall.link;
        dm_call_t fresh[DM_LIST_MAX];
        dm_update(&app.wall, &mirror, now, hq_now_ms(), fresh, DM_LIST_MAX);
        if (app.wall.link == DM_LINK_LIVE && link != DM_LINK_LIVE)
            app.notice_due = 1;
        if (app.notice_due && app.wall.link == DM_LINK_LIVE) {
            s_fetch_notice(&app, client);
            published = -1;
        }
        if (mirror.changes != published || app.wall.link != link) {
            if (web_state_publish(state, &mirror, &app.wall) == 0)
                published = mirror.changes;
            if (notify)
                web_state_notices(state, s_notice, notify);
        }
        if (now >= app.waits_due) {
            app.waits_due = now + S_WAITS_MS;
            s_refresh_waits(&app, client);
        }
        if (now >= tick_due) {
            tick_due = now + S_TICK_MS;
            web_state_tick(state);
        }
    }
    hq_info("stopping");
    web_http_destroy(&http);
    status = UI_EXIT_OK;
done:
    web_notify_destroy(&notify);
    hq_client_destroy(&client);
    hq_feed_destroy(&feed);
    web_state_destroy(&state);
    hq_mirror_free(&mirror);
    hq_zmq_shutdown();
    return status;
}
