/* hallq-counter: the clerk's terminal at a window. A thin main: options, then the loop that
 * moves values between the sockets (hq_feed for the hall, hq_client for actions), the
 * session state machine, the view and the screen.
 *
 * Shutdown order: the screen first (so the terminal is usable whatever follows), then the
 * sockets, then the ZeroMQ context; the counter stays logged in, since quitting the program
 * is not closing the window (the next start takes it over as it stands). */
#include "hq_signals.h"
#include "hq_client.h"
#include "hq_feed.h"
#include "hq_log.h"
#include "hq_security.h"
#include "hq_text.h"
#include "options.h"
#include "screen.h"
#include "session.h"
#include "ui_exit.h"
#include "view.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#define S_IDLE_WAIT_MS 200 /* longest wait per pass: timers and resizes stay fresh */
#define S_BUSY_WAIT_MS 20  /* wait per pass while a reply is due */
#define S_SILENCE_MS 3000  /* no message for this long: offline (3 heartbeats at least) */

static volatile sig_atomic_t s_signal;

static void s_on_signal(int sig)
{
    s_signal = sig;
}

/* While the screen is up, stderr would scribble over it: diagnostics go to the log file
 * (or nowhere). Returns a descriptor of the original stderr, to restore it later. */
static int s_divert_stderr(const char *path)
{
    int saved = dup(STDERR_FILENO);
    int fd = path ? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)
                  : open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "hallq-counter: cannot open log %s: %s\n", path ? path : "/dev/null",
                strerror(errno));
        if (saved >= 0)
            close(saved);
        return -2;
    }
    fflush(stderr);
    dup2(fd, STDERR_FILENO);
    close(fd);
    return saved;
}

static void s_restore_stderr(int saved)
{
    if (saved < 0)
        return;
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
}

#define S_NUDGE_MS 2000 /* at most one early snapshot request per this interval */

typedef struct {
    hqc_session_t *session;
    int talking; /* events arrive but the model has no snapshot to apply them to */
} s_event_arg_t;

static void s_on_event(void *arg, const hq_event_t *ev, hq_apply_t result)
{
    s_event_arg_t *a = arg;
    if (result == HQ_APPLY_IGNORED)
        a->talking = 1;
    hqc_session_event(a->session, ev, result, hq_monotonic_ms());
}

static hqc_view_t s_view; /* large: kept out of the stack */

/* The loop: send what the session wants, wait for the sockets or a key, take the reply,
 * take the keys, tick, draw. Never blocks longer than S_IDLE_WAIT_MS. */
static void s_run(hqc_session_t *s, hq_mirror_t *m, hq_feed_t *feed, hq_client_t *client,
                  s_event_arg_t *events)
{
    int64_t sent_at = 0, last_changes = -1, last_second = -1, nudged = 0;
    int dirty = 1;
    while (!s_signal && s->state != HQC_S_QUIT) {
        int64_t now = hq_monotonic_ms();
        hq_request_t req;
        if (!s->inflight && hqc_session_next(s, now, &req)) {
            hq_error_t err;
            if (hq_client_send(client, &req, &err) == 0) {
                sent_at = now;
            } else {
                hq_debug("%s not sent: %s", hq_req_type_name(req.type), err.message);
                if (hqc_session_no_reply(s, now))
                    hq_feed_resync(feed);
                dirty = 1;
            }
        }

        int rc = hq_feed_poll(feed, STDIN_FILENO, s->inflight ? S_BUSY_WAIT_MS : S_IDLE_WAIT_MS);
        if (rc < 0) {
            hq_warn("event socket failed: %s", zmq_strerror(zmq_errno()));
            poll(NULL, 0, S_IDLE_WAIT_MS); /* do not spin; the feed reconnects by itself */
        }
        now = hq_monotonic_ms();
        /* The feed backs its snapshot requests off while the daemon is silent (up to 8 s,
         * kind to a daemon with hundreds of displays). Once events flow again the daemon is
         * back: ask now, so the clerk's screen recovers within a second or two. */
        if (events->talking && !hqc_session_live(m) && now - nudged > S_NUDGE_MS) {
            hq_feed_resync(feed);
            nudged = now;
        }
        events->talking = 0;

        if (s->inflight) {
            hq_reply_t reply;
            int got = hq_client_receive(client, &reply);
            if (got == 1) {
                hqc_session_reply(s, &reply, now);
                hq_reply_clear(&reply);
                /* Times on screen are the hall's, not the terminal's. */
                hq_text_follow_timezone(s->catalog.timezone);
                dirty = 1;
            } else if (got < 0 || now - sent_at > s->timeout_ms) {
                hq_client_reset(client);
                if (hqc_session_no_reply(s, now))
                    hq_feed_resync(feed);
                dirty = 1;
            }
        }

        int key;
        for (int kind; (kind = hqc_screen_key(&key)) != HQC_SCREEN_NONE;) {
            if (kind == HQC_SCREEN_KEY)
                hqc_session_key(s, m, key, now);
            dirty = 1;
        }

        int64_t wall = hq_now_ms();
        hqc_session_tick(s, m, now, wall);
        if (dirty || m->changes != last_changes || wall / 1000 != last_second) {
            int cols, rows;
            hqc_screen_size(&cols, &rows);
            hqc_view_build(&s_view, s, m, now, wall, cols, rows);
            hqc_screen_draw(&s_view);
            dirty = 0;
            last_changes = m->changes;
            last_second = wall / 1000;
        }
    }
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
    if (hqc_screen_check(why, sizeof why) != 0) {
        fprintf(stderr, "hallq-counter: %s\n", why);
        return UI_EXIT_USAGE;
    }
    if (hq_text_locale() != 0) {
        fprintf(stderr, "hallq-counter: no UTF-8 locale (not even C.UTF-8): Chinese cannot be "
                        "shown\n");
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
    s_event_arg_t arg = {&session, 0};
    hq_feed_set_handler(feed, s_on_event, &arg);

    int saved_stderr = s_divert_stderr(o.log_path);
    int status = UI_EXIT_FAILURE; /* the log file cannot be opened */
    if (saved_stderr == -2)
        goto done;
    status = UI_EXIT_USAGE;
    if (hqc_screen_open(why, sizeof why) != 0) {
        s_restore_stderr(saved_stderr);
        fprintf(stderr, "hallq-counter: %s\n", why);
        goto done;
    }
    atexit(hqc_screen_close);
    hq_signals_catch(s_on_signal);
    hq_info("window %d, clerk %s, hallqd %s / %s", o.counter, o.clerk, o.endpoint, o.events);

    s_run(&session, &mirror, feed, client, &arg);

    hqc_screen_close();
    if (s_signal)
        hq_info("stopped by signal %d", (int)s_signal);
    s_restore_stderr(saved_stderr);
    status = UI_EXIT_OK;
    if (session.fatal[0]) {
        fprintf(stderr, "hallq-counter: hallqd refused the login at window %d: %s\n", o.counter,
                session.fatal);
        status = UI_EXIT_REFUSED;
    }
done:
    hqc_session_free(&session);
    hq_client_destroy(&client);
    hq_feed_destroy(&feed);
    hq_mirror_free(&mirror);
    hq_zmq_shutdown();
    return status;
}
