/* Every word the wall display shows, in Chinese (default) and English: one lib/ui table,
 * checked with every other table of the hall in tests/unit/test_texts.c (both languages,
 * the same printf conversions, no ambiguous-width characters: a wall screen is laid out in
 * columns, and a "…" that one terminal draws one column wide and another two would shift
 * the line). Also the sentences built from them, as pure functions of the model, so the
 * curses layer (screen.c) only places text. */
#ifndef DISPLAY_TEXTS_H
#define DISPLAY_TEXTS_H

#include "model.h"
#include "ui_i18n.h"

#include <stddef.h>

typedef enum {
    DT_NONE = 0,
    /* hall screen */
    DT_NOW_CALLING,
    DT_WINDOW,
    DT_NO_CALLS,
    DT_CONNECTING,
    DT_OFFLINE_MARK, /* in the title bar, padded with a space each side */
    DT_OFFLINE_LINE,
    DT_OFFLINE_LINE_SHORT, /* the same, for a narrow screen */
    DT_OFFLINE_HEAD,       /* the call's area while offline: in words (zh), in block letters (en) */
    DT_OFFLINE_ADVICE,
    DT_OFFLINE_BEFORE,
    DT_RESYNCING, /* in the title bar, padded */
    DT_RECENT,
    DT_WAITING,
    DT_NO_DATA,
    DT_GREEN_LANE,
    DT_MUTED,
    DT_NO_AUDIO,
    DT_TOO_SMALL,
    DT_CALL_LINE,   /* %s label, %d window: one row of the recent calls */
    DT_SENTENCE,    /* %s label, %d window: the call in words */
    DT_QUEUE_COUNT, /* %d waiting */
    DT_GREEN_COUNT, /* %d green lane among them */
    DT_GREEN_SHORT, /* %d, on narrow screens */
    DT_AVG_WAIT,    /* %d minutes */
    DT_AVG_SHORT,
    DT_AVG_NONE,
    /* the strip of windows: a cell is the window, then what it does */
    DT_STRIP_WINDOW,       /* %d window */
    DT_STRIP_WINDOW_SHORT, /* %d window, in a short cell */
    DT_STRIP_CALLING,      /* %s label */
    DT_STRIP_SERVING,      /* %s label */
    DT_STRIP_PAUSED,
    DT_STRIP_IDLE,
    DT_STRIP_CLOSED,
    DT_STRIP_CALLING_SHORT, /* %s label */
    DT_STRIP_SERVING_SHORT, /* %s label */
    DT_STRIP_PAUSED_SHORT,
    DT_STRIP_IDLE_SHORT,
    DT_STRIP_CLOSED_SHORT,
    /* the screen above one window */
    DT_COUNTER_TITLE, /* %d window */
    DT_CALLING,       /* %s label */
    DT_SERVING,
    DT_PAUSED,
    DT_CLOSED,
    DT_IDLE,
    DT_UNKNOWN_COUNTER, /* %d window */
    /* the sound output, on the status row */
    DT_AUDIO_OFF, /* why is in the log (voice.c), not on the wall */
    DT_AUDIO_ON,
    DT_COUNT_
} dt_msg_t;

extern const ui_table_t display_texts;

/* The text (a printf format for ids noted above) in the language; never NULL. */
const char *dt_tr(ui_lang_t lang, dt_msg_t id);

/* "请 A001 号到 3 号窗口办理", with the green-lane mark after it for a green ticket. */
void dt_sentence(ui_lang_t lang, const dm_call_t *call, char *out, size_t outlen);
/* One cell of the strip of windows: "1号窗口 A003 办理中", "3号窗口 暂停服务"; in short
 * words ("1号 A003", "3号 暂停") when brief. */
void dt_window_cell(ui_lang_t lang, const dm_window_t *w, int brief, char *out, size_t outlen);
/* Columns of the widest cell any window of dm could show in any state (so cells keep their
 * place as states change), in full words or brief ones. */
int dt_window_cell_width(ui_lang_t lang, const dm_t *dm, int brief);
/* The hall's average wait: about N minutes, under a minute, or none yet. */
void dt_avg_wait(ui_lang_t lang, int64_t avg_wait_ms, char *out, size_t outlen);
/* What the screen above one window says about it while the data is live: calling or
 * serving a ticket, paused (with the reason), closed, idle, or a window the hall lacks. */
void dt_counter_caption(ui_lang_t lang, const dm_t *dm, char *out, size_t outlen);

#endif
