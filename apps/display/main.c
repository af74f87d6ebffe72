/* hallq-display: the hall's wall screen and the voice that calls citizens to their window.
 *
 * A thin main: options, then either --say (speak one call and exit) or the screen loop.
 * The loop is one reactor (hq_loop_serve, czmq's zloop) over hq_feed's sockets (events,
 * snapshots), the catalog request and the keyboard, with an alarm for the next moment the
 * picture changes by itself (the clock's second, a flash phase, a marquee step). The feed
 * keeps the mirror in step, the model derives what to show and say from it, the screen
 * draws it and the voice speaks on its own thread. */
#include "audio_out.h"
#include "hq_signals.h"
#include "hq_client.h"
#include "hq_feed.h"
#include "hq_log.h"
#include "hq_loop.h"
#include "hq_security.h"
#include "hq_text.h"
#include "hq_utf8.h"
#include "keys.h"
#include "layout.h"
#include "model.h"
#include "options.h"
#include "speech.h"
#include "screen.h"
#include "texts.h"
#include "ui_curses.h"
#include "ui_exit.h"
#include "voice.h"

#include <curses.h>
#include <signal.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define S_SILENCE_MS 3000     /* offline after this much silence (at least 3 heartbeats) */
#define S_MARQUEE_STEP_MS 250 /* the notice moves one column this often */
#define S_STATUS_MS 15000     /* a status message stays this long */
#define S_CATALOG_RETRY_MS 5000

static void s_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line for a person, on the real stderr even while the log goes elsewhere. */
static void s_error(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    dprintf(ui_curses_stderr(), "hallq-display: %s\n", line);
}

static void s_voice_config(const options_t *o, voice_config_t *vc)
{
    memset(vc, 0, sizeof *vc);
    vc->speech.lang = o->lang;
    vc->speech.rate_wpm = o->rate;
    vc->speech.repeat = o->repeat;
    vc->speech.volume = o->volume;
    vc->speech.clips_dir = o->clips;
    vc->audio_file = o->audio_file;
    vc->audio_realtime = o->audio_realtime;
    vc->driver = o->driver;
}

/* --say: one announcement, synchronously, to the sound card or the audio file. */
static int s_say(const options_t *o)
{
    voice_config_t vc;
    s_voice_config(o, &vc);
    char why[512];
    int rc = UI_EXIT_FAILURE;
    audio_out_startup();
    pcm_t pcm;
    pcm_init(&pcm, PCM_RATE);
    audio_out_t *out = NULL;
    speech_t *speech = speech_new(&vc.speech, why, sizeof why);
    if (!speech) {
        s_error("%s", why);
        rc = UI_EXIT_USAGE;
        goto done;
    }
    if (speech_announce(speech, o->say.label, o->say.window, &pcm, why, sizeof why) != 0) {
        s_error("%s", why);
        goto done;
    }
    out = vc.audio_file ? audio_out_file(vc.audio_file, PCM_RATE, 0, why, sizeof why)
                        : audio_out_live(vc.driver, PCM_RATE, why, sizeof why);
    if (!out || audio_out_play(out, pcm.s, pcm.n, NULL, why, sizeof why) != 0) {
        s_error("%s", why);
        goto done;
    }
    char text[ANN_TEXT_MAX];
    ann_text(o->lang, o->say.label, o->say.window, text, sizeof text);
    printf("%s\t%.3f s\t%s\n", text, (double)pcm_ms(pcm.n, PCM_RATE) / 1000.0, audio_out_name(out));
    rc = UI_EXIT_OK;
done:
    audio_out_destroy(&out);
    speech_destroy(&speech);
    speech_shutdown();
    pcm_free(&pcm);
    audio_out_shutdown();
    return rc;
}

/* ---- the screen loop ----------------------------------------------------------------- */

typedef struct {
    const options_t *o;
    hq_mirror_t mirror;
    hq_feed_t *feed;
    dm_t dm;
    voice_t *voice;
    hq_client_t *catalog;  /* asks for the hall's notice line */
    int catalog_due;       /* ask at the next chance (after every fresh snapshot) */
    int64_t catalog_asked; /* monotonic ms of the outstanding request, 0 none */
    dm_link_t last_link;
    char status[256];
    int64_t status_until; /* monotonic ms */
    screen_audio_t audio;
    int64_t started;
    keys_t keys; /* where the keyboard's bytes are (an escape sequence is not keys) */
    int quit;    /* q was pressed */
} s_app_t;

static void s_announce(s_app_t *app, const dm_call_t *call)
{
    hq_info("call %s to window %d%s", call->label, call->counter, call->recall ? " (recall)" : "");
    if (app->voice && voice_say(app->voice, call->label, call->counter) != 0)
        hq_error("out of memory: %s not announced", call->label);
}

static void s_on_event(void *arg, const hq_event_t *ev, hq_apply_t result)
{
    s_app_t *app = arg;
    dm_call_t call;
    if (dm_on_event(&app->dm, ev, result, hq_monotonic_ms(), &call))
        s_announce(app, &call);
    /* A ticket that left its window before its call was said: the call is not said. */
    if (app->voice && result == HQ_APPLY_OK && ev->has_ticket && ev->ticket.state != HQ_T_CALLED &&
        ev->ticket.state != HQ_T_SERVING) {
        char label[HQ_LABEL_MAX];
        hq_utf8_sanitise(ev->ticket.label, strlen(ev->ticket.label), label, sizeof label);
        voice_forget(app->voice, label);
    }
}

static void s_set_status(s_app_t *app, const char *msg, int64_t now)
{
    hq_strlcpy(app->status, msg, sizeof app->status);
    app->status_until = now + S_STATUS_MS;
}

/* The wall clock shows the hall's time, which the daemon's configuration names (the box
 * behind the TV may well run on UTC). TZ is changed while the voice thread may be logging,
 * which reads TZ: s_timezone_prepare makes sure TZ exists before any thread starts, so a
 * later setenv only swaps the value's pointer (glibc keeps old values) and never moves
 * the environment array under a reader. */
static void s_timezone_prepare(void)
{
    if (!getenv("TZ"))
        setenv("TZ", ":/etc/localtime", 1); /* what an unset TZ means to glibc */
    tzset();
}

/* The notice line is in the catalog, not in the snapshot; fetched after each resync so a
 * restarted daemon with a new configuration is followed. */
static void s_catalog(s_app_t *app, int64_t now)
{
    hq_reply_t reply;
    int rc = hq_client_receive(app->catalog, &reply); /* drops stale replies too */
    if (rc == 1) {
        app->catalog_asked = 0;
        json_t *hall = json_object_get(reply.body, "hall");
        json_t *notice = json_object_get(hall, "notice");
        json_t *tz = json_object_get(hall, "timezone");
        if (reply.ok && json_is_string(notice)) {
            dm_set_notice(&app->dm, json_string_value(notice));
            app->catalog_due = 0;
        }
        if (reply.ok && json_is_string(tz))
            hq_text_follow_timezone(json_string_value(tz));
        hq_reply_clear(&reply);
    } else if (app->catalog_asked && (rc < 0 || now - app->catalog_asked > S_CATALOG_RETRY_MS)) {
        hq_client_reset(app->catalog);
        app->catalog_asked = 0;
    }
    if (app->catalog_due && !app->catalog_asked && app->dm.link == DM_LINK_LIVE) {
        hq_request_t req;
        hq_request_init(&req, HQ_REQ_CATALOG);
        hq_error_t err;
        if (hq_client_send(app->catalog, &req, &err) == 0)
            app->catalog_asked = now;
    }
}

static void s_keys(s_app_t *app)
{
    int ch;
    while ((ch = getch()) != ERR) {
        switch (keys_feed(&app->keys, ch)) {
        case KEYS_QUIT:
            app->quit = 1;
            break;
        case KEYS_RESYNC:
            hq_feed_resync(app->feed);
            break;
        case KEYS_REDRAW:
            clearok(curscr, TRUE);
            break;
        case KEYS_NONE:
        default:
            break;
        }
    }
    keys_idle(&app->keys);
}

static void s_tick(s_app_t *app, int64_t now)
{
    dm_call_t fresh[DM_LIST_MAX];
    int n = dm_update(&app->dm, &app->mirror, now, hq_now_ms(), fresh, DM_LIST_MAX);
    for (int i = 0; i < n; i++)
        s_announce(app, &fresh[i]);
    if (app->dm.link != app->last_link) {
        hq_info("link %s -> %s", dm_link_name(app->last_link), dm_link_name(app->dm.link));
        if (app->dm.link == DM_LINK_LIVE)
            app->catalog_due = 1;
        app->last_link = app->dm.link;
    }
    s_catalog(app, now);
    int on;
    char why[256], msg[320];
    if (app->voice && voice_notice(app->voice, &on, why, sizeof why)) {
        if (on)
            snprintf(msg, sizeof msg, "%s", dt_tr(app->o->lang, DT_AUDIO_ON));
        else /* the wall says so in the hall's words; what failed went to the log */
            snprintf(msg, sizeof msg, "%s", dt_tr(app->o->lang, DT_AUDIO_OFF));
        s_set_status(app, msg, now);
        app->audio = on ? SCREEN_AUDIO_ON : SCREEN_AUDIO_OFF;
    }
}

static void s_draw(s_app_t *app, int64_t now)
{
    screen_frame_t f;
    memset(&f, 0, sizeof f);
    f.dm = &app->dm;
    f.lang = app->o->lang;
    f.now_mono = now;
    f.now_wall = time(NULL);
    f.marquee_offset = (long)((now - app->started) / S_MARQUEE_STEP_MS);
    f.status = now < app->status_until ? app->status : NULL;
    f.audio = app->audio;
    screen_draw(&f);
}

/* The next moment the picture changes with no input: the clock's next second, the next
 * phase of a flash, the notice's next step when it scrolls, the end of the status line,
 * the catalog request's deadline. Anything else that changes it comes in on a socket. */
static int64_t s_next_due(const s_app_t *app, int64_t now)
{
    int64_t due = now + 1000 - hq_now_ms() % 1000;
    const dm_t *dm = &app->dm;
    if (dm_flashing(dm, now)) {
        int64_t phase =
            dm->flash_start + ((now - dm->flash_start) / DM_FLASH_PHASE_MS + 1) * DM_FLASH_PHASE_MS;
        if (phase < due)
            due = phase;
    }
    if (dm->mode == DM_HALL && dm->notice[0] && layout_marquee_period(dm->notice, COLS - 2) > 0) {
        int64_t step =
            app->started + ((now - app->started) / S_MARQUEE_STEP_MS + 1) * S_MARQUEE_STEP_MS;
        if (step < due)
            due = step;
    }
    if (app->status_until > now && app->status_until < due)
        due = app->status_until;
    if (app->catalog_asked && app->catalog_asked + S_CATALOG_RETRY_MS + 1 < due)
        due = app->catalog_asked + S_CATALOG_RETRY_MS + 1;
    return due;
}

/* One turn, after anything happened (the hall's events, the catalog's reply, a key, the
 * alarm, a signal): keys, model, catalog, voice notices, the screen, the alarm. -1 ends the
 * loop. */
static int s_turn(void *arg, hq_alarm_t *alarm)
{
    s_app_t *app = arg;
    s_keys(app); /* a resize arrives as KEY_RESIZE once a signal woke the loop */
    int64_t now = hq_monotonic_ms();
    s_tick(app, now);
    s_draw(app, now);
    if (app->quit || hq_signal_stop)
        return -1;
    hq_alarm_at(alarm, s_next_due(app, now));
    return 0;
}

static int s_run(const options_t *o)
{
    char why[512];
    if (ui_curses_check("or use --say to test the voice", why, sizeof why) != 0) {
        s_error("%s", why);
        return UI_EXIT_USAGE;
    }
    s_app_t app;
    memset(&app, 0, sizeof app);
    app.o = o;
    app.started = hq_monotonic_ms();
    keys_init(&app.keys);
    app.last_link = DM_LINK_CONNECTING;
    app.audio = o->mute ? SCREEN_AUDIO_MUTED : SCREEN_AUDIO_ON;
    dm_init(&app.dm, o->mode, o->counter);
    hq_mirror_init(&app.mirror, S_SILENCE_MS);
    int rc = UI_EXIT_FAILURE;
    if (ui_curses_log_to(o->log_file, why, sizeof why) != 0) {
        s_error("%s", why);
        return UI_EXIT_FAILURE;
    }
    hq_signals_catch(); /* before the voice's thread starts: it keeps the same handler */
    s_timezone_prepare();
    audio_out_startup();
    if (!o->mute) {
        voice_config_t vc;
        s_voice_config(o, &vc);
        app.voice = voice_new(&vc, why, sizeof why);
        if (!app.voice) {
            s_error("%s", why);
            rc = UI_EXIT_USAGE;
            goto done;
        }
    }
    app.feed = hq_feed_new(o->endpoint, o->events, &app.mirror);
    app.catalog = hq_client_new(o->endpoint, 2000);
    if (!app.feed || !app.catalog) {
        s_error("cannot use endpoints %s / %s", o->endpoint, o->events);
        rc = UI_EXIT_USAGE;
        goto done;
    }
    hq_feed_set_handler(app.feed, s_on_event, &app);

    if (screen_open(why, sizeof why) != 0) {
        ui_curses_close(); /* stderr back for the one line */
        s_error("%s", why);
        rc = UI_EXIT_USAGE;
        goto done;
    }
    hq_info("showing %s mode from %s / %s", o->mode == DM_HALL ? "hall" : "counter", o->endpoint,
            o->events);

    hq_loop_plan_t plan = {app.feed, app.catalog, STDIN_FILENO, s_turn, &app};
    rc = hq_loop_serve(&plan, &hq_signal_stop) == 0 ? UI_EXIT_OK : UI_EXIT_FAILURE;
done:
    /* Shutdown order: the screen back first (so any message is readable), then the voice
     * (a WAV being written is finished and closed), then the sockets. */
    ui_curses_close();
    voice_destroy(&app.voice, o->audio_file != NULL);
    speech_shutdown();
    audio_out_shutdown();
    hq_client_destroy(&app.catalog);
    hq_feed_destroy(&app.feed);
    hq_mirror_free(&app.mirror);
    return rc;
}

int main(int argc, char **argv)
{
    hq_log_set_program("hallq-display");
    /* Decided here, before the voice thread logs: hq_log would otherwise work it out on
     * first use, from two threads at once. */
    hq_log_set_journal(getenv("JOURNAL_STREAM") != NULL);
    options_t o;
    options_defaults(&o);
    int rc = ui_options_parse(&display_cli, argc, argv, &o);
    if (rc != UI_OPTIONS_RUN)
        return rc;
    hq_security_set(o.key, o.server_key);
    rc = o.say.on ? s_say(&o) : s_run(&o);
    hq_zmq_shutdown();
    return rc;
}
