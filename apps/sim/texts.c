#include "texts.h"

static const ui_text_t s_texts[SIM_M_COUNT_] = {
    [SIM_M_NONE] = {"", ""},
    [SIM_M_BANNER] = {"hallq-sim：%d 个窗口，%d 个事项，%s 至 %s，%.0f 倍速",
                      "hallq-sim: %d windows, %d services, %s to %s at %.0fx"},
    [SIM_M_ISSUED] = {"%s 取号 %s（事项 %d）", "%s issued %s (service %d)"},
    [SIM_M_ISSUED_GREEN] = {"%s 取号 %s（事项 %d，绿色通道）",
                            "%s issued %s (service %d, green lane)"},
    [SIM_M_CALLS] = {"%s %d号窗口呼叫 %s", "%s window %d calls %s"},
    [SIM_M_NO_SHOW] = {"%s %d号窗口：%s 未到", "%s window %d: %s did not come"},
    [SIM_M_FINISHED] = {"%s %d号窗口办结 %s", "%s window %d finished %s"},
    [SIM_M_DONE] = {"hallq-sim：结束", "hallq-sim: done"},
};

const ui_table_t sim_texts = {"sim", s_texts, SIM_M_COUNT_, 0};

const char *sim_tr(ui_lang_t lang, sim_msg_t id)
{
    return ui_text(&sim_texts, (int)id, lang);
}
