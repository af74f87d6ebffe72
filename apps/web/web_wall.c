/* web_wall: see web_wall.h. */
#include "web_wall.h"

#include "announce.h"
#include "texts.h"
#include "ui_curses.h"
#include "web_texts.h"

#include <stdio.h>
#include <string.h>

static json_t *s_call(const dm_call_t *c, ui_lang_t lang)
{
    char sentence[200];
    dt_sentence(lang, c, sentence, sizeof sentence);
    return json_pack("{s:s, s:i, s:I, s:b, s:b, s:s}", "label", c->label, "counter", c->counter,
                     "ts_ms", (json_int_t)c->ts_ms, "green", c->green, "recall", c->recall,
                     "sentence", sentence);
}

json_t *web_wall_view(const dm_t *dm, const hq_mirror_t *m, ui_lang_t lang)
{
    json_t *j = json_object();
    json_t *list = json_array(), *windows = json_array(), *queues = json_array(),
           *speak = json_array();
    if (!j || !list || !windows || !queues || !speak) {
        json_decref(j), json_decref(list), json_decref(windows), json_decref(queues);
        json_decref(speak);
        return NULL;
    }
    /* A hall on a simulated clock says so in its title, as every screen does. */
    char mark[64], hall[256];
    ui_sim_mark(dm->sim_speed, lang, mark, sizeof mark);
    snprintf(hall, sizeof hall, "%s%s", dm->hall_name, mark);
    json_object_set_new(j, "hall", json_string(hall));
    json_object_set_new(j, "notice", json_string(dm->notice));
    json_object_set_new(j, "link", json_string(dm_link_name(dm->link)));
    int live = dm->link == DM_LINK_LIVE;
    json_object_set_new(j, "live", json_boolean(live));
    json_object_set_new(j, "offline_text",
                        json_string(live                          ? ""
                                    : dm->link == DM_LINK_OFFLINE ? dt_tr(lang, DT_OFFLINE_LINE)
                                    : dm->had_data                ? dt_tr(lang, DT_RESYNCING)
                                                                  : dt_tr(lang, DT_CONNECTING)));
    json_object_set_new(j, "now_calling", json_string(dt_tr(lang, DT_NOW_CALLING)));
    json_object_set_new(j, "recent_title", json_string(dt_tr(lang, DT_RECENT)));
    json_object_set_new(j, "waiting_title", json_string(dt_tr(lang, DT_WAITING)));
    json_object_set_new(j, "no_calls", json_string(dt_tr(lang, DT_NO_CALLS)));
    json_object_set_new(j, "current", dm->has_current ? s_call(&dm->current, lang) : json_null());
    for (int i = 0; i < dm->nlist; i++)
        json_array_append_new(list, s_call(&dm->list[i], lang));
    json_object_set_new(j, "list", list);
    for (int i = 0; i < dm->nwindows; i++) {
        char cell[120];
        dt_window_cell(lang, &dm->windows[i], 0, cell, sizeof cell);
        json_array_append_new(windows,
                              json_pack("{s:i, s:s, s:s, s:b}", "id", dm->windows[i].id, "state",
                                        hq_counter_state_name(dm->windows[i].state), "text", cell,
                                        "green", dm->windows[i].green));
    }
    json_object_set_new(j, "windows", windows);
    for (int i = 0; i < dm->nqueues; i++) {
        char count[64];
        snprintf(count, sizeof count, dt_tr(lang, DT_QUEUE_COUNT), dm->queues[i].waiting);
        json_array_append_new(
            queues, json_pack("{s:s#, s:s, s:i, s:i, s:s}", "prefix", &dm->queues[i].prefix,
                              (size_t)1, "name", dm->queues[i].name, "waiting",
                              dm->queues[i].waiting, "green", dm->queues[i].green, "text", count));
    }
    json_object_set_new(j, "queues", queues);
    char avg[120];
    dt_avg_wait(lang, dm->avg_wait_ms, avg, sizeof avg);
    json_object_set_new(j, "avg_wait", json_string(avg));
    /* The calls to speak, oldest first, each with its moment: the page says those newer than
     * the newest it has said (or found when it opened). */
    for (int i = m->nrecent - 1; i >= 0; i--) {
        const hq_mirror_call_t *c = &m->recent[i];
        if (ann_label_ok(c->label) != 0)
            continue;
        char url[96];
        snprintf(url, sizeof url, "/wall/audio?label=%s&window=%d&lang=%s", c->label, c->counter,
                 lang == UI_LANG_EN ? "en" : "zh");
        json_array_append_new(speak,
                              json_pack("{s:s, s:i, s:I, s:s}", "label", c->label, "counter",
                                        c->counter, "ts_ms", (json_int_t)c->ts_ms, "audio", url));
    }
    json_object_set_new(j, "speak", speak);
    return j;
}
