#include "texts.h"

#include "hq_text.h"

#include <stdio.h>
#include <string.h>

static const ui_text_t s_texts[DT_COUNT_] = {
    [DT_NONE] = {"", ""},
    [DT_NOW_CALLING] = {"正在呼叫", "Now calling"},
    [DT_WINDOW] = {"窗口", "Window"},
    [DT_NO_CALLS] = {"暂无呼叫", "No call at the moment"},
    [DT_CONNECTING] = {"正在连接叫号服务器...", "Connecting to the queue server..."},
    [DT_OFFLINE_MARK] = {" 离线 ", " OFFLINE "},
    [DT_OFFLINE_LINE] = {"离线：与叫号服务器的连接已中断，正在自动重连",
                         "OFFLINE: connection to the queue server lost, reconnecting"},
    [DT_OFFLINE_LINE_SHORT] = {"连接已中断，正在重连", "connection lost, reconnecting"},
    [DT_OFFLINE_HEAD] = {"本屏已离线", "OFFLINE"},
    [DT_OFFLINE_ADVICE] = {"请留意窗口叫号，或咨询工作人员",
                           "Please listen for your number or ask the staff"},
    [DT_OFFLINE_BEFORE] = {"断线前的呼叫（仅供参考）", "Calls before the connection was lost"},
    [DT_RESYNCING] = {" 同步中 ", " syncing "},
    [DT_RECENT] = {"最近呼叫", "Recent calls"},
    [DT_WAITING] = {"等候人数", "Waiting"},
    [DT_NO_DATA] = {"离线，暂无数据", "offline, no data"},
    [DT_GREEN_LANE] = {"老年人绿色通道", "elderly green lane"},
    [DT_MUTED] = {"静音", "muted"},
    [DT_NO_AUDIO] = {"无声音", "no audio"},
    [DT_TOO_SMALL] = {"屏幕太小", "Screen too small"},
    [DT_CALL_LINE] = {"%-6s %d号窗口", "%-6s window %d"},
    [DT_SENTENCE] = {"请 %s 号到 %d 号窗口办理", "Number %s, please go to window %d"},
    [DT_QUEUE_COUNT] = {"%d 人", "%d waiting"},
    [DT_GREEN_COUNT] = {"其中绿色通道 %d", "green lane %d"},
    [DT_GREEN_SHORT] = {"绿 %d", "green %d"},
    [DT_AVG_WAIT] = {"平均等候约 %d 分钟", "Average wait: about %d min"},
    [DT_AVG_SHORT] = {"平均等候不到 1 分钟", "Average wait: under 1 min"},
    [DT_AVG_NONE] = {"平均等候：暂无", "Average wait: none yet"},
    [DT_STRIP_WINDOW] = {"%d号窗口", "Window %d"},
    [DT_STRIP_WINDOW_SHORT] = {"%d号", "W%d"},
    [DT_STRIP_CALLING] = {"%s 呼叫中", "%s called"},
    [DT_STRIP_SERVING] = {"%s 办理中", "%s serving"},
    [DT_STRIP_PAUSED] = {"暂停服务", "paused"},
    [DT_STRIP_IDLE] = {"等候叫号", "open"},
    [DT_STRIP_CLOSED] = {"未开放", "closed"},
    [DT_STRIP_CALLING_SHORT] = {"%s 呼叫", "%s call"},
    [DT_STRIP_SERVING_SHORT] = {"%s", "%s"},
    [DT_STRIP_PAUSED_SHORT] = {"暂停", "paused"},
    [DT_STRIP_IDLE_SHORT] = {"空闲", "open"},
    [DT_STRIP_CLOSED_SHORT] = {"关闭", "closed"},
    [DT_COUNTER_TITLE] = {"%d号窗口", "Window %d"},
    [DT_CALLING] = {"请 %s 号到本窗口办理", "Number %s, please come to this window"},
    [DT_SERVING] = {"正在办理", "Now serving"},
    [DT_PAUSED] = {"暂停服务", "Paused"},
    [DT_CLOSED] = {"本窗口暂未开放", "This window is closed"},
    [DT_IDLE] = {"请稍候", "Please wait"},
    [DT_UNKNOWN_COUNTER] = {"本厅没有%d号窗口", "There is no window %d in this hall"},
    [DT_AUDIO_OFF] = {"声音输出故障，请检查音箱", "sound output failed, check the speakers"},
    [DT_AUDIO_ON] = {"声音已恢复", "audio on"},
};

const ui_table_t display_texts = {"display", s_texts, DT_COUNT_, 0};

const char *dt_tr(ui_lang_t lang, dt_msg_t id)
{
    return ui_text(&display_texts, (int)id, lang);
}

void dt_sentence(ui_lang_t lang, const dm_call_t *call, char *out, size_t outlen)
{
    snprintf(out, outlen, dt_tr(lang, DT_SENTENCE), call->label, call->counter);
    if (call->green) {
        size_t len = strlen(out);
        snprintf(out + len, outlen - len, "  [%s]", dt_tr(lang, DT_GREEN_LANE));
    }
}

void dt_window_cell(ui_lang_t lang, const dm_window_t *w, int brief, char *out, size_t outlen)
{
    char window[32];
    snprintf(window, sizeof window, dt_tr(lang, brief ? DT_STRIP_WINDOW_SHORT : DT_STRIP_WINDOW),
             w->id);
    dt_msg_t what;
    switch (w->state) {
    case HQ_C_CALLING:
        what = brief ? DT_STRIP_CALLING_SHORT : DT_STRIP_CALLING;
        break;
    case HQ_C_SERVING:
        what = brief ? DT_STRIP_SERVING_SHORT : DT_STRIP_SERVING;
        break;
    case HQ_C_PAUSED:
        what = brief ? DT_STRIP_PAUSED_SHORT : DT_STRIP_PAUSED;
        break;
    case HQ_C_IDLE:
        what = brief ? DT_STRIP_IDLE_SHORT : DT_STRIP_IDLE;
        break;
    case HQ_C_CLOSED:
    default:
        what = brief ? DT_STRIP_CLOSED_SHORT : DT_STRIP_CLOSED;
        break;
    }
    char state[64];
    if (what == DT_STRIP_CALLING || what == DT_STRIP_SERVING || what == DT_STRIP_CALLING_SHORT ||
        what == DT_STRIP_SERVING_SHORT)
        snprintf(state, sizeof state, dt_tr(lang, what), w->label[0] ? w->label : "?");
    else
        snprintf(state, sizeof state, "%s", dt_tr(lang, what));
    snprintf(out, outlen, "%s %s", window, state);
}

int dt_window_cell_width(ui_lang_t lang, const dm_t *dm, int brief)
{
    /* The widest window number and the longest label of the day (four characters at least:
     * tickets grow to A1000 in the afternoon), in each state. */
    dm_window_t w;
    memset(&w, 0, sizeof w);
    size_t label = 4;
    for (int i = 0; i < dm->nwindows; i++) {
        if (dm->windows[i].id > w.id)
            w.id = dm->windows[i].id;
        if (strlen(dm->windows[i].label) > label)
            label = strlen(dm->windows[i].label);
    }
    if (label >= sizeof w.label)
        label = sizeof w.label - 1;
    memset(w.label, 'W', label); /* as wide as any letter or digit */
    int widest = 0;
    for (int st = HQ_C_CLOSED; st < HQ_C_COUNT_; st++) {
        char cell[128];
        w.state = (hq_counter_state_t)st;
        dt_window_cell(lang, &w, brief, cell, sizeof cell);
        int width = hq_text_width(cell);
        if (width > widest)
            widest = width;
    }
    return widest;
}

void dt_avg_wait(ui_lang_t lang, int64_t avg_wait_ms, char *out, size_t outlen)
{
    if (avg_wait_ms <= 0)
        snprintf(out, outlen, "%s", dt_tr(lang, DT_AVG_NONE));
    else if (avg_wait_ms < 60000)
        snprintf(out, outlen, "%s", dt_tr(lang, DT_AVG_SHORT));
    else
        snprintf(out, outlen, dt_tr(lang, DT_AVG_WAIT), (int)((avg_wait_ms + 30000) / 60000));
}

void dt_counter_caption(ui_lang_t lang, const dm_t *dm, char *out, size_t outlen)
{
    const hq_counter_t *c = &dm->counter;
    if (!dm->counter_known)
        snprintf(out, outlen, dt_tr(lang, DT_UNKNOWN_COUNTER), dm->counter_id);
    else if (c->state == HQ_C_CALLING && c->current_label[0])
        snprintf(out, outlen, dt_tr(lang, DT_CALLING), c->current_label);
    else if (c->state == HQ_C_SERVING && c->current_label[0])
        snprintf(out, outlen, "%s %s", dt_tr(lang, DT_SERVING), c->current_label);
    else if (c->state == HQ_C_PAUSED)
        snprintf(out, outlen, "%s%s%s", dt_tr(lang, DT_PAUSED), c->pause_reason[0] ? ": " : "",
                 c->pause_reason);
    else if (c->state == HQ_C_CLOSED)
        snprintf(out, outlen, "%s", dt_tr(lang, DT_CLOSED));
    else
        snprintf(out, outlen, "%s", dt_tr(lang, DT_IDLE));
}
