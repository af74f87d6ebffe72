/* hallq-counter: the clerk's terminal at a window. A thin main: options, then one reactor
 * (hq_loop_serve, czmq's zloop) that moves values between the sockets (hq_feed for the hall,
 * hq_client for actions), the keyboard, the session state machine, the view and the screen.
 * It sleeps until a socket or the keyboard has something, or until the next moment the
 * screen or the session needs (the clock's next second, a reply's deadline, a retry).
 *
 * Shutdown order: the screen first (so the terminal is usable whatever follows), then the
 * sockets, then the ZeroMQ context. q asks the clerk whether to log out (the session's
 * LOGOUT state): logging out closes the window before the program ends. A stop signal
 * (Ctrl-C, SIGTERM from a shutdown) and "quit only" leave the window logged in as it stands:
 * the next start, or another clerk's login, takes it over. */
#include "hq_signals.h"
#include "hq_client.h"
#include "hq_feed.h"
#include "hq_log.h"
#include "hq_loop.h"
#include "hq_security.h"
#include "hq_text.h"
#include "options.h"
#include "screen.h"
#include "session.h"
#include "ui_curses.h"
#include "ui_exit.h"
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#define S_SILENCE_MS 3000 /* no message for this long: offline (3 heartbeats at least) */

#define S_NUDGE_MS 2000 /* at most one early snapshot request per this interval */

/* Everything the loop's turns share. */
typedef struct {
    hqc_session_t *session;
    hq_mirror_t *mirror;
    hq_feed_t *feed;
    hq_client_t *client; /* the clerk's actions and the session's own requests */
    int64_t sent_at;     /* when the request in flight went out */
    int talking;         /* events arrive but the model has no snapshot to apply them to */
    int64_t nudged;      /* when the feed was last asked for an early snapshot */
    int dirty;           /* the screen must be drawn again */
    int64_t last_changes, last_second;
} s_app_t;

static hqc_view_t s_view; /* large: kept out of the stack */

static void s_on_event(void *arg, const hq_event_t *ev, hq_apply_t result)
{
    s_app_t *app = arg;
    if (result == HQ_APPLY_IGNORED)
        app->talking = 1;
    hqc_session_event(app->session, ev, result, hq_monotonic_ms());
}

/* The request in flight got no answer in time, or its socket failed: the action may or may
 * not have happened, so the hall is read again. */
static void s_no_reply(s_app_t *app, int64_t now)
{
    hq_client_reset(app->client);
    if (hqc_session_no_reply(app->session, now))
        hq_feed_resync(app->feed);
    app->dirty = 1;
}

/* Takes the reply to the request in flight when it is there (and drops stale ones, which
 * would otherwise keep the socket readable), or gives up on it after the timeout. */
static void s_take_reply(s_app_t *app, int64_t now)
{
    hqc_session_t *s = app->session;
    hq_reply_t reply;
    int got = hq_client_receive(app->client, &reply);
    if (got == 1) {
        hqc_session_reply(s, &reply, now);
        hq_reply_clear(&reply);
        /* Times on screen are the hall's, not the terminal's. */
        hq_text_follow_timezone(s->catalog.timezone);
        app->dirty = 1;
    } else if (s->inflight && (got < 0 || now - app->sent_at > s->timeout_ms)) {
        s_no_reply(app, now);
    }
}

/* The next moment the loop must wake without input: the clock's next second (the clock and
 * the handling timer on screen), the deadline of the reply in flight, the session's retry. */
static int64_t s_next_due(const s_app_t *app, int64_t now, int64_t wall)
{
    const hqc_session_t *s = app->session;
    int64_t due = now + 1000 - wall % 1000;
    if (s->inflight && app->sent_at + s->timeout_ms + 1 < due)
        due = app->sent_at + s->timeout_ms + 1;
    if (s->retry_at > now && s->retry_at < due)
        due = s->retry_at;
    return due;
}

/* One turn, after anything happened (a key, a reply, the hall's events, the alarm, a
 * signal): take the keys and the reply, send what the session wants, tick, draw what
 * changed, set the alarm. -1 ends the loop. */
static int s_turn(void *arg, hq_alarm_t *alarm)
{
    s_app_t *app = arg;
    hqc_session_t *s = app->session;
    int64_t now = hq_monotonic_ms();
    int key;
    /* A resize arrives as a key (KEY_RESIZE) once a signal woke the loop. */
    for (int kind; (kind = hqc_screen_key(&key)) != HQC_SCREEN_NONE;) {
        if (kind == HQC_SCREEN_KEY)
            hqc_session_key(s, app->mirror, key, now);
        app->dirty = 1;
    }
    s_take_reply(app, now);
    hq_request_t req;
    if (!s->inflight && hqc_session_next(s, now, &req)) {
        hq_error_t err;
        if (hq_client_send(app->client, &req, &err) == 0) {
            app->sent_at = now;
        } else {
            hq_debug("%s not sent: %s", hq_req_type_name(req.type), err.message);
            s_no_reply(app, now);
        }
    }
    /* The feed backs its snapshot requests off while the daemon is silent (up to 8 s,
     * kind to a daemon with hundreds of displays). Once events flow again the daemon is
     * back: ask now, so the clerk's screen recovers within a second or two. */
    if (app->talking && !hqc_session_live(app->mirror) && now - app->nudged > S_NUDGE_MS) {
        hq_feed_resync(app->feed);
        app->nudged = now;
    }
    app->talking = 0;

    int64_t wall = hq_now_ms();
    hqc_session_tick(s, app->mirror, now, wall);
    if (app->dirty || app->mirror->changes != app->last_changes ||
        wall / 1000 != app->last_second) {
        int cols, rows;
        ui_curses_size(&cols, &rows);
        hqc_view_build(&s_view, s, app->mirror, now, wall, cols, rows);
        hqc_screen_draw(&s_view);
        app->dirty = 0;
        app->last_changes = app->mirror->changes;
        app->last_second = wall / 1000;
    }
    if (hq_signal_stop || s->state == HQC_S_QUIT)
        return -1;
    hq_alarm_at(alarm, s_next_due(app, now, wall));
    return 0;
}

int main(int argc, char **argv)
{
    hqc_options_t o;
    char why[300];
    hq_log_set_program("hallq-counter");
    hqc_options_defaults(&o);
    int rc = ui_options_parse(&hqc_cli, argc, argv, &o);
    if (rc != UI_OPTIONS_RUN)
        return rc;
    /* From here on what goes wrong is the clerk's to read: in the clerk's language. */
    ui_curses_lang(o.lang);
    if (ui_curses_check(NULL, why, sizeof why) != 0) {
        fprintf(stderr, "hallq-counter: %s\n", why);
        return UI_EXIT_USAGE;
    }
    hq_log_set_level(o.verbose ? HQ_LOG_DEBUG : HQ_LOG_WARN);
    if (o.key || o.server_key)
        hq_security_set(o.key, o.server_key);

    hq_mirror_t mirror;
    hq_mirror_init(&mirror, S_SILENCE_MS);
    hq_feed_t *feed = hq_feed_new(o.endpoint, o.events, &mirror);
    hq_client_t *client = feed ? hq_client_new(o.endpoint, o.timeout_ms) : NULL;
    if (!feed || !client) {
        /* Only a malformed endpoint or unreadable keys get here; an absent daemon does not. */
        fprintf(stderr, "hallq-counter: cannot use endpoints %s / %s (see the message above)\n",
                o.endpoint, o.events);
        hq_client_destroy(&client);
        hq_feed_destroy(&feed);
        hq_mirror_free(&mirror);
        hq_zmq_shutdown();
        return UI_EXIT_USAGE;
    }
    hqc_session_t session;
    hqc_session_init(&session, o.counter, o.clerk, o.lang, o.endpoint, o.timeout_ms);
    s_app_t app = {.session = &session, .mirror = &mirror, .feed = feed, .client = client};
    hq_feed_set_handler(feed, s_on_event, &app);

    int status = UI_EXIT_FAILURE; /* the log file cannot be opened */
    if (ui_curses_log_to(o.log_path, why, sizeof why) != 0) {
        fprintf(stderr, "hallq-counter: %s\n", why);
        goto done;
    }
    status = UI_EXIT_USAGE;
    if (hqc_screen_open(why, sizeof why) != 0) {
        ui_curses_close(); /* stderr back */
        fprintf(stderr, "hallq-counter: %s\n", why);
        goto done;
    }
    hq_info("window %d, clerk %s, hallqd %s / %s", o.counter, o.clerk, o.endpoint, o.events);

    app.dirty = 1;
    hq_loop_plan_t plan = {feed, client, STDIN_FILENO, s_turn, &app};
    int run = hq_loop_serve(&plan, &hq_signal_stop);

    if (hq_signal_stop)
        hq_info("stopped by signal %d", (int)hq_signal_stop);
    ui_curses_close(); /* the screen, then stderr */
    status = run == 0 ? UI_EXIT_OK : UI_EXIT_FAILURE;
    if (run != 0)
        fprintf(stderr, "hallq-counter: the event loop failed (see the log)\n");
    if (session.fatal[0]) {
        fprintf(stderr, "hallq-counter: %s\n", session.fatal);
        status = UI_EXIT_REFUSED;
    } else if (session.logged_out) {
        printf("hallq-counter: ");
        printf(hqc_tr(o.lang, HQC_M_BYE), o.counter);
        printf("\n");
    }
done:
    hqc_session_free(&session);
    hq_client_destroy(&client);
    hq_feed_destroy(&feed);
    hq_mirror_free(&mirror);
    hq_zmq_shutdown();
    return status;
}
