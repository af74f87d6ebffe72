/* The problems of lib/ui's curses skeleton (ui_curses.h), in both languages. Kept apart from
 * ui_curses.c so that the text checks link them without curses. */
#include "ui_curses.h"

#include <stdio.h>

static const ui_text_t s_texts[UI_CURSES_T_COUNT_] = {
    [UI_CURSES_T_NO_TERM] = {"未设置 TERM：屏幕需要终端（例如 TERM=xterm-256color）",
                             "TERM is not set: the screen needs a terminal (e.g. "
                             "TERM=xterm-256color)"},
    [UI_CURSES_T_NO_TTY] = {"标准输入和输出必须是终端",
                            "standard input and output must be a terminal"},
    [UI_CURSES_T_NO_UTF8] = {"没有 UTF-8 区域设置（连 C.UTF-8 也没有）：无法显示中文",
                             "no UTF-8 locale (not even C.UTF-8): Chinese cannot be shown"},
    [UI_CURSES_T_UNKNOWN_TERM] = {"本机不认识终端类型 '%s'，请检查终端设置",
                                  "terminal type '%s' is unknown here"},
    [UI_CURSES_T_SIMULATED] = {"【模拟 %s 倍速】", "[SIMULATED %sx]"},
};

const ui_table_t ui_curses_texts = {"ui_curses", s_texts, UI_CURSES_T_COUNT_, 0};

const char *ui_sim_mark(double speed, ui_lang_t lang, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    buf[0] = '\0';
    if (speed > 0) {
        char num[32];
        snprintf(num, sizeof num, "%g", speed);
        snprintf(buf, n, ui_text(&ui_curses_texts, UI_CURSES_T_SIMULATED, lang), num);
    }
    return buf;
}
