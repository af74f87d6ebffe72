/* libFuzzer harness for the screens' text paths: whatever the daemon sends, every text the
 * clerk terminal, the wall display (and its voice) and the kiosk (and its paper) would show
 * is safe. Invariant: no control byte (C0, DEL, C1: ESC and CSI among them), no byte that is
 * not UTF-8 and no character that reorders text comes out, and nothing crashes or leaks.
 *
 * Input: lines. The first is a JSON object taken as a snapshot, as a catalog reply and as an
 * issue reply (a seed that holds the parts of all three reaches every path); each further
 * line is an event, "TOPIC BODY" (TOPIC a name such as "called"; an unknown one picks a
 * topic by its first byte). The programs' pure parts do the rest, as their main loops would:
 * the mirror and the counter's session and view, the display's model, sentence and speech
 * input, the kiosk's session, pages, ticket record and printed layout. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "announce.h"
#include "hq_mirror.h"
#include "hq_proto.h"
#include "hq_text.h"
#include "hq_utf8.h"
#include "layout.h"
#include "model.h"
#include "texts.h"
/* The clerk terminal and the kiosk each have a session.h and a view.h: named by their
 * folders (each includes its own neighbours, found beside it first). */
#include "../../apps/counter/view.h"
#include "../../apps/kiosk/record.h"
#include "../../apps/kiosk/view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define S_NOW_MONO 100000LL        /* monotonic clock of every run */
#define S_NOW_WALL 1795428000000LL /* wall clock: 2026-11-23 */

/* 1 when the UTF-8 character at p (within n bytes) reorders text or breaks the line: the
 * bidi embeddings, overrides, isolates and marks, U+2028 and U+2029. */
static int s_reorders(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0xD8 && p[1] == 0x9C) /* U+061C */
        return 1;
    if (n < 3 || p[0] != 0xE2)
        return 0;
    if (p[1] == 0x80) /* U+200E, U+200F, U+2028..U+202E */
        return p[2] == 0x8E || p[2] == 0x8F || (p[2] >= 0xA8 && p[2] <= 0xAE);
    return p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9; /* U+2066..U+2069 */
}

/* Text as a screen may get it, or the run fails. `allowed` lists controls that are the
 * output's own (the preview's line feeds), never the daemon's. */
static void s_check_allowing(const char *text, size_t len, const char *allowed)
{
    const char *why = NULL;
    if (hq_utf8_check(text, len, 1, allowed, NULL) != HQ_UTF8_OK)
        why = "a control character or bytes that are not UTF-8";
    for (size_t i = 0; i < len && !why; i++)
        if (s_reorders((const unsigned char *)text + i, len - i))
            why = "a character that reorders text";
    if (why) {
        fprintf(stderr, "%s on a screen: '%.*s'\n", why, (int)len, text);
        abort();
    }
}

static void s_check(const char *text)
{
    s_check_allowing(text, strlen(text), NULL);
}

/* ---- the clerk terminal ------------------------------------------------------------------ */
static void s_counter_view(const hqc_session_t *s, const hq_mirror_t *m, int cols, int rows)
{
    static hqc_view_t v;
    hqc_view_build(&v, s, m, S_NOW_MONO, S_NOW_WALL, cols, rows);
    for (int r = 0; r < v.rows; r++)
        for (int i = 0; i < v.line[r].nsegs; i++)
            s_check_allowing(v.line[r].text + v.line[r].segs[i].off, v.line[r].segs[i].len, NULL);
}

static void s_counter(hqc_session_t *s, const hq_mirror_t *m)
{
    /* The main page narrow and wide (queues and figures beside it), and the lists that show
     * what the model holds. */
    static const hqc_state_t lists[] = {HQC_S_PARKED, HQC_S_QUEUE, HQC_S_NUMBER, HQC_S_LOGIN};
    s->state = HQC_S_MAIN;
    s_counter_view(s, m, 80, 24);
    s_counter_view(s, m, 132, 40);
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        s->state = lists[i];
        s_counter_view(s, m, 80, 24);
    }
    s->state = HQC_S_MAIN;
}

/* ---- the wall display ---------------------------------------------------------------------- */
static void s_call(const dm_call_t *c)
{
    char out[ANN_TEXT_MAX];
    int ssml;
    s_check(c->label);
    dt_sentence(UI_LANG_ZH, c, out, sizeof out);
    s_check(out);
    for (int lang = 0; lang < UI_LANG_COUNT_; lang++) {
        if (ann_text((ui_lang_t)lang, c->label, c->counter, out, sizeof out) == 0)
            s_check(out);
        if (ann_speech_input((ui_lang_t)lang, c->label, c->counter, out, sizeof out, &ssml) == 0)
            s_check(out); /* what espeak-ng is given */
    }
}

static void s_display(dm_t *dm, const hq_mirror_t *m)
{
    dm_call_t fresh[DM_LIST_MAX];
    int n = dm_update(dm, m, S_NOW_MONO, S_NOW_WALL, fresh, DM_LIST_MAX);
    for (int i = 0; i < n; i++)
        s_call(&fresh[i]);
    s_check(dm->hall_name);
    s_check(dm->notice);
    if (dm->has_current)
        s_call(&dm->current);
    for (int i = 0; i < dm->nlist; i++)
        s_call(&dm->list[i]);
    for (int i = 0; i < dm->nqueues; i++)
        s_check(dm->queues[i].name);
    s_check(dm->counter.clerk);
    s_check(dm->counter.pause_reason);
    s_check(dm->counter.current_label);
    char out[4096];
    dt_counter_caption(UI_LANG_ZH, dm, out, sizeof out);
    s_check(out);
    if (layout_marquee(dm->notice, 60, 7, out, sizeof out) >= 0)
        s_check(out);
}

/* ---- the kiosk ------------------------------------------------------------------------------- */
static void s_kiosk_view(const kiosk_session_t *s)
{
    static kiosk_view_t v;
    for (int cols = 40; cols <= 100; cols += 60) {
        kiosk_view_build(&v, s, cols, 30);
        for (int r = 0; r < v.rows; r++)
            s_check(v.row[r].text);
    }
}

static void s_ticket(const json_t *record)
{
    for (int lang = 0; lang < UI_LANG_COUNT_; lang++) {
        record_print_t rp;
        char why[256];
        if (record_facts(record, (ui_lang_t)lang, 58, 0, &rp, why, sizeof why) != 0)
            continue;
        char *preview;
        if (ticket_layout_preview(&rp.facts, &preview, NULL) == 0) {
            s_check_allowing(preview, strlen(preview), "\n");
            free(preview);
        }
    }
}

static void s_kiosk(json_t *reply_body, const char *refusal)
{
    kiosk_session_t s;
    kiosk_action_t act;
    idnum_date_t today = {2026, 11, 23};
    kiosk_session_init(&s, UI_LANG_ZH, "tcp://127.0.0.1:5570", 700, "fuzz-1-1", S_NOW_MONO, today);
    hq_reply_t catalog = {.ok = 1, .body = reply_body};
    if (kiosk_session_next(&s, S_NOW_MONO, &act) && act.what == KIOSK_DO_SEND)
        kiosk_session_reply(&s, &catalog, S_NOW_MONO);
    s_kiosk_view(&s); /* the start page, or the reason there is none */
    if (s.state == KIOSK_S_QUEUES) {
        kiosk_session_key(&s, '1', S_NOW_MONO);
        s_kiosk_view(&s); /* the services */
        kiosk_session_key(&s, '1', S_NOW_MONO);
        s_kiosk_view(&s); /* the materials */
        kiosk_session_key(&s, KIOSK_KEY_ENTER, S_NOW_MONO);
        if (kiosk_session_next(&s, S_NOW_MONO, &act) && act.what == KIOSK_DO_SEND) {
            /* Refused first, with the daemon's words; then issued, with the same body. */
            hq_reply_t refused = {.ok = 0, .error = {.code = HQ_E_INTERNAL}};
            hq_strlcpy(refused.error.message, refusal, sizeof refused.error.message);
            kiosk_session_reply(&s, &refused, S_NOW_MONO);
            s_kiosk_view(&s);
            kiosk_session_key(&s, KIOSK_KEY_ENTER, S_NOW_MONO);
            if (kiosk_session_next(&s, S_NOW_MONO, &act) && act.what == KIOSK_DO_SEND) {
                hq_reply_t issued = {.ok = 1, .body = reply_body};
                kiosk_session_reply(&s, &issued, S_NOW_MONO);
                s_kiosk_view(&s); /* printing */
                if (s.last) {
                    s_ticket(s.last);
                    kiosk_session_kept(&s, 1, "");
                    kiosk_session_printed(&s, 0, refusal, 1, S_NOW_MONO);
                    s_kiosk_view(&s); /* the result */
                }
            }
        }
    }
    kiosk_session_free(&s);
}

/* ---- one input ---------------------------------------------------------------------------------
 */
static const char *s_string(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

/* Applies the event on one line to the mirror, then hands it on as hq_feed would. */
static void s_event(const char *line, size_t len, hq_mirror_t *m, dm_t *dms, int ndms,
                    hqc_session_t *s)
{
    const char *space = memchr(line, ' ', len);
    char topic[24] = "";
    if (space && (size_t)(space - line) < sizeof topic) {
        memcpy(topic, line, (size_t)(space - line));
        topic[space - line] = '\0';
    }
    const char *body = space ? space + 1 : line;
    if (hq_event_type_parse(topic) < 0)
        hq_strlcpy(topic,
                   hq_event_type_name(
                       (hq_event_type_t)((len ? (unsigned char)line[0] : 0) % HQ_EV_COUNT_)),
                   sizeof topic);
    hq_event_t ev;
    if (hq_event_decode(topic, body, len - (size_t)(body - line), &ev) != HQ_OK)
        return;
    hq_apply_t result = hq_mirror_apply(m, &ev, S_NOW_MONO);
    for (int i = 0; i < ndms; i++) {
        dm_call_t call;
        if (dm_on_event(&dms[i], &ev, result, S_NOW_MONO, &call))
            s_call(&call); /* announced at once: spoken and shown */
    }
    hqc_session_event(s, &ev, result, S_NOW_MONO);
    hq_event_clear(&ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        hq_text_locale(); /* widths as a UTF-8 terminal counts them */
        setenv("TZ", "UTC", 1);
        ready = 1;
    }
    const char *text = (const char *)data;
    const char *end = text + size;
    const char *nl = memchr(text, '\n', size);
    size_t first = nl ? (size_t)(nl - text) : size;
    json_t *snap = json_loadb(text, first, 0, NULL);

    hq_mirror_t m;
    hq_mirror_init(&m, 3000);
    if (snap)
        hq_mirror_load_snapshot(&m, snap, S_NOW_MONO);
    int counter = m.ncounters > 0 ? m.counters[0].id : 1;
    hqc_session_t s;
    hqc_session_init(&s, counter, "wang", UI_LANG_ZH, "tcp://127.0.0.1:5570", 1500);
    s.logged_in = 1;
    s.was_live = 1;
    s.live_wall_ms = S_NOW_WALL;
    if (snap)
        hqc_catalog_load(&s.catalog, snap);
    dm_t dms[2];
    dm_init(&dms[0], DM_HALL, 0);
    dm_init(&dms[1], DM_COUNTER, counter);
    s_display(&dms[0], &m); /* seen before the events: their calls are announced */
    s_display(&dms[1], &m);

    for (const char *line = nl ? nl + 1 : end; line < end;) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        size_t len = eol ? (size_t)(eol - line) : (size_t)(end - line);
        s_event(line, len, &m, dms, 2, &s);
        line += len + 1;
    }

    const json_t *hall = json_object_get(snap, "hall");
    const char *notice = s_string(hall, "notice");
    dm_set_notice(&dms[0], notice);
    s_display(&dms[0], &m);
    s_display(&dms[1], &m);
    hq_strlcpy(s.message, notice, sizeof s.message); /* a refusal in the daemon's words */
    s.message_at = S_NOW_MONO;
    s_counter(&s, &m);
    if (snap)
        s_kiosk(snap, notice);

    hqc_session_free(&s);
    hq_mirror_free(&m);
    json_decref(snap);
    return 0;
}
