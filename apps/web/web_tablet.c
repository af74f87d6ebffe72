/* web_tablet: see web_tablet.h. */
#include "web_tablet.h"

#include "web_texts.h"

#include <stdio.h>

json_t *web_tablet_view(const hq_mirror_t *m, const web_finished_t *finished, int counter,
                        ui_lang_t lang, int64_t now_ms)
{
    const hq_counter_t *c = hq_mirror_counter(m, counter);
    char window[64], clerk[120] = "", doing[120] = "", ask[120] = "";
    snprintf(window, sizeof window, wt(WT_TABLET_WINDOW, lang), counter);
    if (c && c->clerk[0])
        snprintf(clerk, sizeof clerk, wt(WT_TABLET_CLERK, lang), c->clerk);
    if (!c || c->state == HQ_C_CLOSED)
        snprintf(doing, sizeof doing, "%s", wt(WT_TABLET_NO_CLERK, lang));
    else if (c->state == HQ_C_SERVING)
        snprintf(doing, sizeof doing, wt(WT_TABLET_SERVING, lang), c->current_label);
    else if (c->state == HQ_C_CALLING)
        snprintf(doing, sizeof doing, wt(WT_TABLET_CALLING, lang), c->current_label);
    else
        snprintf(doing, sizeof doing, "%s", wt(WT_TABLET_IDLE, lang));
    /* The newest finish, while it is fresh and nothing else is at the window. */
    const char *rate_for = "";
    int rated = 0;
    if (finished && now_ms - finished->finished_ms < WEB_TABLET_RATE_MS && c &&
        c->state != HQ_C_SERVING && c->state != HQ_C_CALLING) {
        rate_for = finished->label;
        rated = finished->rating;
        snprintf(ask, sizeof ask, "%s", rated ? wt(WT_TABLET_THANKS, lang) : "");
        if (!rated)
            snprintf(ask, sizeof ask, wt(WT_TABLET_ASK, lang), finished->label);
    }
    json_t *ratings = json_array();
    for (int r = 5; r >= 1; r--)
        json_array_append_new(
            ratings, json_pack("{s:i, s:s}", "rating", r, "text",
                               lang == UI_LANG_EN ? hq_rating_name_en(r) : hq_rating_name_zh(r)));
    return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:b, s:s, s:s}", "counter",
                     counter, "window", window, "clerk", clerk, "doing", doing, "rate_for",
                     rate_for, "ask", ask, "rated", rated, "thanks", wt(WT_TABLET_THANKS, lang),
                     "ratings", ratings, "offline", m->state != HQ_SYNC_ACTIVE, "hall",
                     m->hall_name, "offline_text",
                     m->state != HQ_SYNC_ACTIVE ? wt(WT_OFFLINE, lang) : "");
}
