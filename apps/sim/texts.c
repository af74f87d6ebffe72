#include "texts.h"

static const ui_text_t s_texts[SIM_M_COUNT_] = {
    [SIM_M_NONE] = {"", ""},
    [SIM_M_BANNER] = {"hallq-sim：%d 个窗口，%d 个事项，%s 至 %s 取号，大厅时钟 %g 倍速",
                      "hallq-sim: %d windows, %d services, arrivals %s to %s, the hall's clock "
                      "at %gx"},
    [SIM_M_OPENS] = {"%s 营业日 %s 开始", "%s business day %s opens"},
    [SIM_M_ISSUED] = {"%s 取号 %s（事项 %d）", "%s issued %s (service %d)"},
    [SIM_M_ISSUED_GREEN] = {"%s 取号 %s（事项 %d，绿色通道）",
                            "%s issued %s (service %d, green lane)"},
    [SIM_M_CALLS] = {"%s %d号窗口呼叫 %s", "%s window %d calls %s"},
    [SIM_M_NO_SHOW] = {"%s %d号窗口：%s 未到", "%s window %d: %s did not come"},
    [SIM_M_FINISHED] = {"%s %d号窗口办结 %s", "%s window %d finished %s"},
    [SIM_M_CLOSES] = {"%s 停止取号，排队的市民办完为止",
                      "%s no more arrivals; the line is served to its end"},
    [SIM_M_DAY_OVER] = {"%s 营业日 %s 结束：取号 %d 张，办结 %d 件",
                        "%s business day %s is over: %d issued, %d finished"},
    [SIM_M_HANDLING] = {"办理时间：办结 %d 件，平均 %.2f 分钟（模型 %.2f 分钟，标准误 %.2f 分钟）",
                        "handling: %d finished, mean %.2f min (model %.2f min, standard error "
                        "%.2f min)"},
    [SIM_M_DONE] = {"hallq-sim：结束", "hallq-sim: done"},
};

const ui_table_t sim_texts = {"sim", s_texts, SIM_M_COUNT_, 0};

const char *sim_tr(ui_lang_t lang, sim_msg_t id)
{
    return ui_text(&sim_texts, (int)id, lang);
}
