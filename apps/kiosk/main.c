/* hallq-ticket: issue a queue ticket and print it; the kiosk when no queue is given.
 *
 * A thin main: options, then one of four paths. --queue issues one ticket and prints it,
 * --queue with --preview shows a sample and issues nothing, and --reprint prints the kept
 * ticket again (cli.c); no queue runs the interactive kiosk.
 *
 * The kiosk is one czmq reactor (zloop) with three sources: the terminal (keys, and taps
 * turned into the key of what was tapped), the request socket while a reply is due, and one
 * timer armed for the moment the session next needs the clock (a reply overdue, a page timing
 * out, an idle kiosk's ping). Every handler passes what happened to the session, carries out
 * the actions it returns, then draws. Nothing waits for hallqd:
 * the screen keeps drawing and taking keys while a request is in flight, and a request
 * without an answer is retried when its timer fires. Printing and keeping the ticket are
 * the only waits, bounded by the printer's timeout, and the page says so first.
 *
 * Shutdown order: the screen first (so the terminal is usable whatever follows), then the
 * number if one was half typed (and a staff member's PIN), then the socket and the ZeroMQ
 * context. The kiosk ends from staff mode, on the hall's exit keys, or on a stop signal
 * (SIGTERM from a service manager): the keyboard raises none (raw mode, screen.h). */
#include "cli.h"
#include "greenlane.h"
#include "hq_client.h"
#include "hq_loop.h"
#include "hq_security.h"
#include "hq_signals.h"
#include "options.h"
#include "screen.h"
#include "session.h"
#include "ticketing.h"
#include "ui_curses.h"
#include "ui_exit.h"
#include "view.h"

#include <czmq.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static kiosk_view_t s_view; /* large: kept off the stack */

typedef struct {
    kiosk_session_t session; /* the kiosk's state */
    kiosk_options_t *o;      /* output, language, paper, state folder */
    hq_client_t *client;     /* requests to hallqd */
    zloop_t *loop;           /* the reactor */
    void *watched;           /* the request socket the loop polls, NULL none */
    int64_t timer_at;        /* when the earliest armed timer fires, 0 none armed */
    unsigned catalogs;       /* catalogs whose time zone is applied */
    int quit;                /* the session asked to stop */
} s_kiosk_t;

static void s_draw(s_kiosk_t *k)
{
    int cols, rows;
    ui_curses_size(&cols, &rows);
    kiosk_view_build(&s_view, &k->session, cols, rows);
    kiosk_screen_draw(&s_view);
}

/* Carries out one action and tells the session how it went. */
static void s_act(s_kiosk_t *k, const kiosk_action_t *act)
{
    char why[512];
    kiosk_session_t *s = &k->session;
    switch (act->what) {
    case KIOSK_DO_NOTHING:
        break;
    case KIOSK_DO_SEND: {
        hq_error_t err;
        /* A request still in flight is abandoned here: the client reopens its socket. */
        if (hq_client_send(k->client, &act->request, &err) != 0)
            kiosk_session_no_reply(s, hq_monotonic_ms());
        break;
    }
    case KIOSK_DO_CANCEL:
        hq_client_reset(k->client);
        break;
    case KIOSK_DO_KEEP: {
        /* The last ticket (for --reprint) and today's list (for staff to reprint any). */
        int ok = ticketing_keep(act->record, k->o->state_dir, why, sizeof why) == 0 &&
                 ticketing_journal_add(act->record, k->o->state_dir, why, sizeof why) == 0;
        kiosk_session_kept(s, ok, ok ? "" : why);
        break;
    }
    case KIOSK_DO_PRINT: {
        size_t replaced = 0;
        s_draw(k); /* "printing" is on the screen while the printer takes the bytes */
        tk_status_t st =
            ticketing_print(act->record, k->o, act->reprint, &replaced, why, sizeof why);
        kiosk_session_printed(s, st == TK_OK, why, replaced, hq_monotonic_ms());
        break;
    }
    case KIOSK_DO_QUIT:
        k->quit = 1;
        break;
    }
}

static int s_on_socket(zloop_t *loop, zmq_pollitem_t *item, void *arg);
static int s_on_timer(zloop_t *loop, int timer_id, void *arg);

/* Polls the client's socket while a reply is due; the client reopens its socket after an
 * abandoned request, so the socket polled follows it. */
static void s_watch(s_kiosk_t *k)
{
    void *want = hq_client_pending(k->client) ? hq_client_socket(k->client) : NULL;
    if (want == k->watched)
        return;
    if (k->watched) {
        zmq_pollitem_t old = {k->watched, 0, ZMQ_POLLIN, 0};
        zloop_poller_end(k->loop, &old);
    }
    k->watched = NULL;
    if (want) {
        zmq_pollitem_t item = {want, 0, ZMQ_POLLIN, 0};
        if (zloop_poller(k->loop, &item, s_on_socket, k) == 0)
            k->watched = want;
    }
}

/* After every event: the clock, the actions, the socket to poll, the screen, the timer.
 * Returns -1 to end the reactor. */
static int s_settle(s_kiosk_t *k)
{
    kiosk_session_t *s = &k->session;
    int64_t now = hq_monotonic_ms();
    kiosk_session_tick(s, now, ticketing_today());
    kiosk_action_t act;
    while (!k->quit && kiosk_session_next(s, hq_monotonic_ms(), &act))
        s_act(k, &act);
    if (k->quit || hq_signal_stop)
        return -1;
    if (s->catalogs != k->catalogs && s->have_cat) {
        /* Times on paper and screen are the hall's, not the machine's. */
        ticketing_use_timezone(s->cat.timezone);
        k->catalogs = s->catalogs;
    }
    s_watch(k);
    s_draw(k);
    now = hq_monotonic_ms();
    int64_t wake = kiosk_session_wake(s, now);
    if (wake >= 0 && (k->timer_at == 0 || now + wake < k->timer_at)) {
        /* One-shot timers are never cancelled: one that fires early finds nothing due. */
        if (zloop_timer(k->loop, (size_t)(wake > 0 ? wake : 1), 1, s_on_timer, k) >= 0)
            k->timer_at = now + (wake > 0 ? wake : 1);
    }
    return 0;
}

static int s_on_timer(zloop_t *loop, int timer_id, void *arg)
{
    (void)loop;
    (void)timer_id;
    s_kiosk_t *k = arg;
    if (k->timer_at && hq_monotonic_ms() >= k->timer_at)
        k->timer_at = 0;
    return s_settle(k);
}

static int s_on_socket(zloop_t *loop, zmq_pollitem_t *item, void *arg)
{
    (void)loop;
    (void)item;
    s_kiosk_t *k = arg;
    hq_reply_t reply;
    int got = hq_client_receive(k->client, &reply);
    if (got == 1) {
        kiosk_session_reply(&k->session, &reply, hq_monotonic_ms());
        hq_reply_clear(&reply);
    } else if (got < 0) {
        hq_client_reset(k->client);
        kiosk_session_no_reply(&k->session, hq_monotonic_ms());
    }
    return s_settle(k);
}

/* A tap acts on what the page shows now: the page is laid out again first (a key read
 * before it in the same turn may have changed it). */
static void s_tap(s_kiosk_t *k, int col, int row)
{
    int cols, rows;
    ui_curses_size(&cols, &rows);
    kiosk_view_build(&s_view, &k->session, cols, rows);
    int key = kiosk_view_hit(&s_view, col, row);
    if (key)
        kiosk_session_key(&k->session, key, hq_monotonic_ms());
}

static int s_on_keys(zloop_t *loop, zmq_pollitem_t *item, void *arg)
{
    (void)loop;
    (void)item;
    s_kiosk_t *k = arg;
    int key = 0, col = 0, row = 0;
    for (int kind; (kind = kiosk_screen_key(&key, &col, &row)) != KIOSK_SCREEN_NONE;) {
        if (kind == KIOSK_SCREEN_KEY)
            kiosk_session_key(&k->session, key, hq_monotonic_ms());
        else if (kind == KIOSK_SCREEN_TAP)
            s_tap(k, col, row);
    }
    return s_settle(k);
}

static int s_woken(void *arg)
{
    s_kiosk_t *k = arg;
    return s_on_keys(k->loop, NULL, k);
}

/* The interactive kiosk. Returns the exit status. */
static int s_kiosk(kiosk_options_t *o)
{
    char why[300], prefix[KIOSK_TOKEN_PREFIX_MAX];
    if (ui_curses_check("or give --queue to issue one ticket", why, sizeof why) != 0) {
        kiosk_error("%s", why);
        return UI_EXIT_USAGE;
    }
    static s_kiosk_t k; /* holds the session: kept off the stack */
    k.o = o;
    k.client = hq_client_new(o->endpoint, o->timeout_ms);
    k.loop = k.client ? hq_loop_new() : NULL;
    if (!k.loop) {
        kiosk_error("cannot use endpoint %s", o->endpoint);
        hq_client_destroy(&k.client);
        return UI_EXIT_USAGE;
    }
    ui_curses_log_to(NULL, why, sizeof why); /* nowhere: no file to open */
    if (kiosk_screen_open(why, sizeof why) != 0) {
        ui_curses_close(); /* stderr back */
        kiosk_error("%s", why);
        zloop_destroy(&k.loop);
        hq_client_destroy(&k.client);
        return UI_EXIT_USAGE;
    }
    ticketing_token_prefix(prefix, sizeof prefix);
    kiosk_session_init(&k.session, o->lang, o->endpoint, o->timeout_ms, prefix, hq_monotonic_ms(),
                       ticketing_today());
    /* The tickets of an earlier run, for staff to reprint (the session offers today's, by the
     * hall's clock); none yet, or unreadable: staff find only this run's. */
    kiosk_session_loaded(&k.session, ticketing_journal(o->state_dir, why, sizeof why));
    zmq_pollitem_t terminal = {NULL, STDIN_FILENO, ZMQ_POLLIN, 0};
    zloop_poller(k.loop, &terminal, s_on_keys, &k);

    /* A signal (a resize too) interrupts the wait: keys first (ncurses reports a resize as
     * a key), then on again unless it was a stop signal. */
    int run = s_settle(&k) == 0 ? hq_loop_run(k.loop, &hq_signal_stop, s_woken, &k) : 0;

    ui_curses_close();
    kiosk_session_free(&k.session);
    zloop_destroy(&k.loop);
    hq_client_destroy(&k.client);
    if (run != 0)
        kiosk_error("the event loop failed");
    return run == 0 ? UI_EXIT_OK : UI_EXIT_FAILURE;
}

int main(int argc, char **argv)
{
    /* A network printer that drops the connection must give an error, not kill the kiosk. */
    signal(SIGPIPE, SIG_IGN);
    kiosk_options_t o;
    kiosk_options_defaults(&o);
    int rc = ui_options_parse(&kiosk_cli, argc, argv, &o);
    if (rc != UI_OPTIONS_RUN) {
        greenlane_wipe(o.id_number, sizeof o.id_number);
        return rc;
    }
    /* Keys given here win over $HALLQ_KEY / $HALLQ_SERVER_KEY; neither: plain ZeroMQ. */
    hq_security_set(o.key, o.server_key);
    if (o.reprint)
        rc = kiosk_cli_reprint(&o);
    else if (o.queue && o.output.kind == OUTPUT_PREVIEW)
        rc = kiosk_cli_preview(&o); /* nothing issued */
    else if (o.queue)
        rc = kiosk_cli_issue(&o);
    else
        rc = s_kiosk(&o);
    greenlane_wipe(o.id_number, sizeof o.id_number);
    hq_zmq_shutdown();
    return rc;
}
