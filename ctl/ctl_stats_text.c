#include "ctl_stats_text.h"

static const ui_text_t s_texts[CTL_T_COUNT_] = {
    [CTL_T_BY_ALL] = {"范围", "scope"},
    [CTL_T_BY_DAY] = {"日期", "day"},
    [CTL_T_BY_HOUR] = {"时段", "hour"},
    [CTL_T_BY_WEEKDAY] = {"星期", "weekday"},
    [CTL_T_BY_QUEUE] = {"队列", "queue"},
    [CTL_T_BY_COUNTER] = {"窗口", "counter"},
    [CTL_T_BY_CLERK] = {"经办人", "clerk"},
    [CTL_T_BY_SERVICE] = {"事项", "service"},
    [CTL_T_BY_LANE] = {"类别", "lane"},
    [CTL_T_BY_HALL] = {"服务厅", "hall"},
    [CTL_T_BY_LEVEL] = {"层级", "level"},
    [CTL_T_BY_PARENT] = {"所属镇", "town"},

    [CTL_T_COL_NAME] = {"名称", "name"},
    [CTL_T_COL_ISSUED] = {"取号", "issued"},
    [CTL_T_COL_CALLED] = {"已叫号", "called"},
    [CTL_T_COL_SERVED] = {"办结", "served"},
    [CTL_T_COL_NO_SHOW] = {"过号", "no_show"},
    [CTL_T_COL_EXPIRED] = {"过期未办", "expired"},
    [CTL_T_COL_TRANSFERRED] = {"转办", "transferred"},
    [CTL_T_COL_WAIT_MEAN] = {"平均等候(分钟)", "wait_mean_min"},
    [CTL_T_COL_WAIT_MEDIAN] = {"等候中位数(分钟)", "wait_median_min"},
    [CTL_T_COL_WAIT_P90] = {"等候P90(分钟)", "wait_p90_min"},
    [CTL_T_COL_WAIT_MAX] = {"最长等候(分钟)", "wait_max_min"},
    [CTL_T_COL_HANDLING_N] = {"办结件数", "handling_n"},
    [CTL_T_COL_HANDLING_MEAN] = {"平均办理(分钟)", "handling_mean_min"},
    [CTL_T_COL_HANDLING_MEDIAN] = {"办理中位数(分钟)", "handling_median_min"},
    [CTL_T_COL_HANDLING_P90] = {"办理P90(分钟)", "handling_p90_min"},
    [CTL_T_COL_INSTANT_N] = {"即时办件数", "instant_n"},
    [CTL_T_COL_INSTANT_MEAN] = {"即时平均办理(分钟)", "instant_mean_min"},
    [CTL_T_COL_INSTANT_MEDIAN] = {"即时办理中位数(分钟)", "instant_median_min"},
    [CTL_T_COL_INSTANT_P90] = {"即时办理P90(分钟)", "instant_p90_min"},
    [CTL_T_COL_INSTANT_WITHIN] = {"按时办结数", "instant_within"},
    [CTL_T_COL_INSTANT_WITHIN_PCT] = {"按时办结率(%%)", "instant_within_pct"},
    [CTL_T_COL_GREEN] = {"绿色通道", "green"},
    [CTL_T_COL_GREEN_PCT] = {"绿色通道占比(%%)", "green_pct"},
    [CTL_T_COL_GREEN_WAIT_MEAN] = {"绿色通道平均等候(分钟)", "green_wait_mean_min"},
    [CTL_T_COL_NORMAL_WAIT_MEAN] = {"普通平均等候(分钟)", "normal_wait_mean_min"},
    [CTL_T_COL_RATED] = {"评价数", "rated"},
    [CTL_T_COL_RATING_MEAN] = {"评价均分", "rating_mean"},
    [CTL_T_COL_SATISFIED_PCT] = {"满意率(%%)", "satisfied_pct"},
    [CTL_T_COL_EXTENDED] = {"延时服务取号", "extended"},
    [CTL_T_TOTAL] = {"合计", "total"},

    [CTL_T_LANE_NORMAL] = {"普通", "normal"},
    [CTL_T_LANE_GREEN] = {"绿色通道", "green"},
    [CTL_T_STATE_WAITING] = {"等候中", "waiting"},
    [CTL_T_STATE_CALLED] = {"已叫号", "called"},
    [CTL_T_STATE_SERVING] = {"办理中", "serving"},
    [CTL_T_STATE_PARKED] = {"挂起", "parked"},
    [CTL_T_STATE_FINISHED] = {"已办结", "finished"},
    [CTL_T_STATE_NO_SHOW] = {"过号", "no_show"},
    [CTL_T_STATE_EXPIRED] = {"过期未办", "expired"},
    [CTL_T_REASON_GREEN_LANE] = {"绿色通道优先", "green lane"},
    [CTL_T_REASON_MAX_WAIT] = {"普通号已等 %d 分钟", "normal waited %d min"},
    [CTL_T_REASON_GREEN_LIMIT] = {"已连叫绿色通道 %d 个，轮到普通号",
                                  "%d green in a row, normal's turn"},
    [CTL_T_REASON_OLDEST] = {"先到先办", "oldest"},
    [CTL_T_REASON_CHOSEN] = {"柜员选号", "chosen by clerk"},
    [CTL_T_REASON_APPOINTMENT] = {"预约时段已到", "appointment slot"},
    [CTL_T_REASON_APPOINTMENT_LIMIT] = {"已连叫预约号 %d 个，轮到现场号",
                                        "%d appointments in a row, walk-in's turn"},
    [CTL_T_NONE_COUNTER] = {"未叫号", "not called"},
    [CTL_T_NONE_CLERK] = {"无经办人", "no clerk"},
    [CTL_T_NONE_SERVICE] = {"未选事项", "no service chosen"},
    [CTL_T_LEVEL_TOWN] = {"镇（街道）", "town"},
    [CTL_T_LEVEL_VILLAGE] = {"村（社区）", "village"},
    [CTL_T_RECORDS_HEADER] = {"序号,日期,票号,队列,原队列,事项编号,事项名称,即时办件,类别,年龄段,"
                              "状态,取号时间,叫号时间,开始办理,办结时间,等候(分钟),办理(分钟),"
                              "挂起(分钟),叫号次数,窗口,经办人,叫号原因,评价,转办次数\r\n",
                              "id,day,label,queue,prefix,service,service_name,instant,lane,"
                              "age_band,state,issued,called,started,finished,wait_min,"
                              "handling_min,park_min,calls,counter,clerk,reason,rating,"
                              "transfers\r\n"},

    [CTL_T_BOOKINGS_HEADER_DAY] = {"日期,预约数,按时签到,迟到改现场号,爽约,取消,待签到,已叫号,"
                                   "自预约时段起平均等候(分钟),时段开始10分钟内叫号率(%%)\r\n",
                                   "day,booked,checked_in,late,no_show,cancelled,waiting,called,"
                                   "wait_from_slot_mean_min,called_within_10_pct\r\n"},
    [CTL_T_BOOKINGS_HEADER_QUEUE] =
        {"队列,预约数,按时签到,迟到改现场号,爽约,取消,待签到,已叫号,"
         "自预约时段起平均等候(分钟),时段开始10分钟内叫号率(%%)\r\n",
         "queue,booked,checked_in,late,no_show,cancelled,waiting,called,"
         "wait_from_slot_mean_min,called_within_10_pct\r\n"},
    [CTL_T_BOOKINGS_HEADER_SERVICE] =
        {"事项编号,事项,预约数,按时签到,迟到改现场号,爽约,取消,待签到,已叫号,"
         "自预约时段起平均等候(分钟),时段开始10分钟内叫号率(%%)\r\n",
         "service,name,booked,checked_in,late,no_show,cancelled,"
         "waiting,called,wait_from_slot_mean_min,"
         "called_within_10_pct\r\n"},
    [CTL_T_BOOKINGS_NONE] = {"该时段没有预约\n", "No bookings in the period\n"},
    [CTL_T_METRIC_HEADER] = {"日期,时间,范围,对象,件数,平均办理(分钟),按时办结数,按时办结率(%%),"
                             "最长办理(分钟),目标(分钟),超标\r\n",
                             "day,time,scope,key,count,avg_min,within,within_pct,max_min,"
                             "target_min,above\r\n"},
    [CTL_T_METRIC_TITLE] = {"%s 即时办件办理时长指标记录（当日累计平均）\n",
                            "Handling-time metric log of %s (instant items, running mean of "
                            "the day)\n"},
    [CTL_T_METRIC_TIME] = {"时间    ", "time    "},
    [CTL_T_METRIC_SCOPE] = {"对象", "scope"},
    [CTL_T_METRIC_COLUMNS] = {"  件数  平均办理  按时率    最长办理",
                              " count      mean  within    longest"},
    [CTL_T_METRIC_SCOPE_HALL] = {"全厅", "hall"},
    [CTL_T_METRIC_SCOPE_QUEUE] = {"队列", "queue"},
    [CTL_T_METRIC_SCOPE_COUNTER] = {"窗口", "counter"},
    [CTL_T_METRIC_HALL] = {"全厅", "hall"},
    [CTL_T_METRIC_QUEUE] = {"%s 队列", "queue %s"},
    [CTL_T_METRIC_WINDOW] = {"%s号窗口", "window %s"},
    [CTL_T_METRIC_ALERT] = {"告警：超过目标", "ALERT: above target"},
    [CTL_T_METRIC_NONE] = {"%s 没有指标记录\n", "no metric entries for %s\n"},
    [CTL_T_METRIC_SUMMARY] = {"共 %lld 条记录，其中 %lld 条超过目标（%s）。\n",
                              "%lld entries, %lld above the target of %s.\n"},
    [CTL_T_METRIC_LAST_HALL] = {"全厅最后一次记录 %s（件数 / 平均 / 最长）：%s\n",
                                "Hall at %s (count / mean / longest): %s\n"},

    [CTL_T_STAFF_HEADER] = {"星期,时段,天数,到达人数,每小时到达,每件占用(分钟),负荷(Erlang),"
                            "实际窗口,计算窗口,公式等候(分钟),实际等候(分钟),建议窗口,"
                            "建议后等候(分钟),等候概率\r\n",
                            "weekday,hour,days,arrivals,rate_per_hour,service_min,load_erlang,"
                            "windows_seen,windows_used,predicted_wait_min,observed_wait_min,"
                            "windows_needed,needed_wait_min,needed_p_wait\r\n"},
    [CTL_T_STAFF_TITLE] = {"一周各时段所需窗口数（目标：平均等候不超过 %g 分钟，Erlang C），%s 至 "
                           "%s\n",
                           "Windows needed per hour of the week for a mean wait under %g min "
                           "(Erlang C), %s to %s\n"},
    [CTL_T_STAFF_COLUMNS] = {"星期 时段   天数  每小时到达  每件(分)  负荷   实际窗口  "
                             "公式等候  实际等候  建议窗口  建议后等候  等候概率\n",
                             "day  hour   days  per hour  min/ticket  load   windows  "
                             "predicted  observed  needed  wait then  P(wait)\n"},
    [CTL_T_STAFF_OVERLOAD] = {"超负荷", "overload"},
    [CTL_T_STAFF_NONE] = {"期间内没有取号记录\n", "no tickets in the period\n"},
    [CTL_T_STAFF_SUMMARY] = {"实际平均等候 %.1f 分钟；高峰时段需 %d 个窗口。\n",
                             "Mean wait observed: %.1f min. Peak need: %d windows.\n"},
    [CTL_T_STAFF_STEADY] = {"在窗口利用率低于 90%% 的 %d 个时段，按实际开放窗口数公式预测平均等候 "
                            "%.1f 分钟，实际 %.1f 分钟；另有 %d "
                            "个时段接近满负荷（排队积压或延续，见上表）。\n",
                            "In the %d hours whose windows were under 90 %% busy the formula "
                            "predicts %.1f min at the windows open, against %.1f min observed; "
                            "%d hours were busier (queues building up or carried over: see the "
                            "table).\n"},
};

/* Exports and the text views of metric and staffing; the latter are laid out in columns,
 * so no text may use an ambiguous-width character. */
const ui_table_t ctl_stats_texts = {"hallqctl stats", s_texts, CTL_T_COUNT_, 0};

const char *ctl_text(ui_lang_t lang, ctl_text_id_t id)
{
    return ui_text(&ctl_stats_texts, (int)id, lang);
}
