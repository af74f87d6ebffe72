#include "stats_text.h"

static const ui_text_t s_stats[STATS_T_COUNT_] = {
    [STATS_T_MON] = {"周一", "Mon"}, [STATS_T_TUE] = {"周二", "Tue"},
    [STATS_T_WED] = {"周三", "Wed"}, [STATS_T_THU] = {"周四", "Thu"},
    [STATS_T_FRI] = {"周五", "Fri"}, [STATS_T_SAT] = {"周六", "Sat"},
    [STATS_T_SUN] = {"周日", "Sun"},
};

const ui_table_t stats_texts = {"stats", s_stats, STATS_T_COUNT_, 0};

const char *stats_weekday_name(int weekday, ui_lang_t lang)
{
    return weekday >= 0 && weekday < 7 ? ui_text(&stats_texts, STATS_T_MON + weekday, lang) : "";
}
