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

/* Texts that are formats carry their arguments in the same order in both languages. */
static const ui_text_t s_report[REPORT_T_COUNT_] = {
    [REPORT_T_HALL] = {"医保服务大厅", "Service hall"},
    [REPORT_T_TITLE] = {"办件统计报告", "service report"},
    [REPORT_T_PERIOD] = {"统计期间", "Period"},
    [REPORT_T_TO] = {"至", "to"},
    [REPORT_T_MADE] = {"生成时间", "made"},

    [REPORT_T_ISSUED] = {"取号总数", "Tickets issued"},
    [REPORT_T_ISSUED_DETAIL] = {"已叫号 %s，过号 %lld", "called %s, no-show %lld"},
    [REPORT_T_FINISHED] = {"已办结", "Finished"},
    [REPORT_T_FINISHED_DETAIL] = {"办结率 %s，转办 %lld", "%s of issued, transferred %lld"},
    [REPORT_T_MINUTES] = {"%.1f 分钟", "%.1f min"},
    [REPORT_T_INSTANT_MEAN] = {"即时办件平均办理时长", "Instant items: mean handling"},
    [REPORT_T_INSTANT_MEAN_DETAIL] = {"目标 ≤ %g 分钟，即时办件 %lld 件",
                                      "target ≤ %g min, %lld instant items"},
    [REPORT_T_INSTANT_WITHIN] = {"即时办件按时办结率", "Instant items within target"},
    [REPORT_T_INSTANT_WITHIN_DETAIL] = {"%lld 件在 %g 分钟内办结", "%lld handled within %g min"},
    [REPORT_T_MEAN_WAIT] = {"平均等候时间", "Mean wait"},
    [REPORT_T_MEAN_WAIT_DETAIL] = {"中位数 %s，P90 %s，最长 %s 分钟",
                                   "median %s, p90 %s, max %s min"},
    [REPORT_T_MEAN_HANDLING] = {"平均办理时长", "Mean handling"},
    [REPORT_T_MEAN_HANDLING_DETAIL] = {"全部事项；中位数 %s，P90 %s",
                                       "all items; median %s, p90 %s"},
    [REPORT_T_GREEN_SHARE] = {"绿色通道占比", "Green lane share"},
    [REPORT_T_GREEN_SHARE_DETAIL] = {"等候 %s，普通 %s", "wait %s, normal %s"},
    [REPORT_T_RATING] = {"群众评价", "Citizen rating"},
    [REPORT_T_RATING_DETAIL] = {"评价 %lld 件，满意 %s", "%lld rated, %s satisfied"},
    /* The verdict is three sentences in a row: finished and mean, met or not, within. */
    [REPORT_T_VERDICT] = {"统计期间即时办件共办结 %s 件，平均办理时长 <b>%.1f 分钟</b>，",
                          "%s instant items were finished in the period with a mean handling "
                          "time of <b>%.1f minutes</b>: "},
    [REPORT_T_VERDICT_MET] = {"<b>达到</b>“平均不超过 %g 分钟”的要求；",
                              "the requirement of at most %g minutes on average is <b>met</b>. "},
    [REPORT_T_VERDICT_NOT_MET] = {"<b>未达到</b>“平均不超过 %g 分钟”的要求；",
                                  "the requirement of at most %g minutes on average is <b>not "
                                  "met</b>. "},
    [REPORT_T_VERDICT_WITHIN] = {"其中 %.1f%% 在 %g 分钟内办结。",
                                 "%.1f%% were handled within %g minutes."},

    [REPORT_T_NOT_CALLED] = {"未叫号", "not called"},
    [REPORT_T_NONE] = {"（无）", "(none)"},
    [REPORT_T_WINDOW_N] = {"%s号窗口", "Window %s"},
    [REPORT_T_LANE_GREEN] = {"绿色通道", "Green lane"},
    [REPORT_T_LANE_NORMAL] = {"普通", "Normal"},
    [REPORT_T_COL_NAME] = {"名称", "Name"},
    [REPORT_T_COL_ISSUED] = {"取号", "Issued"},
    [REPORT_T_COL_FINISHED] = {"办结", "Finished"},
    [REPORT_T_COL_NO_SHOW] = {"过号", "No-show"},
    [REPORT_T_COL_MEAN_WAIT] = {"平均等候(分)", "Mean wait (min)"},
    [REPORT_T_COL_P90_WAIT] = {"P90等候(分)", "P90 wait (min)"},
    [REPORT_T_COL_MEAN_HANDLING] = {"平均办理(分)", "Mean handling (min)"},
    [REPORT_T_COL_INSTANT] = {"即时办件", "Instant items"},
    [REPORT_T_COL_INSTANT_MEAN] = {"即时平均(分)", "Instant mean (min)"},
    [REPORT_T_COL_WITHIN] = {"按时办结率", "Within target"},
    [REPORT_T_COL_RATING] = {"评价均分", "Rating"},
    [REPORT_T_NO_DATA] = {"无数据。", "No data."},
    [REPORT_T_UNIT_MINUTES] = {"分钟", "minutes"},
    [REPORT_T_UNIT_TICKETS] = {"件", "tickets"},
    [REPORT_T_TARGET_LINE] = {"目标 %g 分钟", "target %g min"},

    [REPORT_T_HOURS] = {"各时段取号量与等候时间", "Arrivals and waiting by hour of day"},
    [REPORT_T_HOURS_ISSUED] = {"各时段取号量", "Tickets issued by hour"},
    [REPORT_T_SERIES_ISSUED] = {"取号量", "tickets issued"},
    [REPORT_T_HOURS_WAIT] = {"各时段等候时间", "Waiting time by hour"},
    [REPORT_T_SERIES_MEAN_WAIT] = {"平均等候", "mean wait"},
    [REPORT_T_SERIES_P90_WAIT] = {"P90 等候", "90th percentile wait"},
    [REPORT_T_HEAD_HOUR] = {"时段", "Hour"},

    [REPORT_T_BY_QUEUE] = {"各业务队列办理时长", "Handling time by queue"},
    [REPORT_T_HEAD_QUEUE] = {"队列", "Queue"},
    [REPORT_T_BY_WINDOW] = {"各窗口办理时长", "Handling time by window"},
    [REPORT_T_HEAD_WINDOW] = {"窗口", "Window"},
    [REPORT_T_BY_CLERK] = {"各经办人办理时长", "Handling time by clerk"},
    [REPORT_T_HEAD_CLERK] = {"经办人", "Clerk"},
    [REPORT_T_SERIES_INSTANT_HANDLING] = {"即时办件平均办理", "instant items, mean handling"},
    [REPORT_T_SERIES_ALL_HANDLING] = {"全部事项平均办理", "all items, mean handling"},
    [REPORT_T_HANDLING_NOTE] = {"红色虚线为即时办件平均办理时长的目标；高于目标的柱子标为红色。",
                                "The dashed red line is the target for the mean handling time "
                                "of instant items; bars above it are red."},
    [REPORT_T_DETAILS] = {"明细", "Details"},

    [REPORT_T_LANES] = {"老年人绿色通道与普通取号", "Elderly green lane and normal tickets"},
    [REPORT_T_LANES_CHART] = {"绿色通道与普通等候时间对比", "Waiting time, green lane and normal"},
    [REPORT_T_SERIES_MEDIAN_WAIT] = {"中位数", "median wait"},
    [REPORT_T_SERIES_P90] = {"P90 等候", "90th percentile"},
    [REPORT_T_SERIES_NORMAL] = {"普通", "normal"},
    [REPORT_T_SERIES_GREEN] = {"绿色通道", "green lane"},
    [REPORT_T_LANES_TEXT] = {"绿色通道取号 %s 件，占全部取号 %s 件的 %.1f%%；平均等候 %s，"
                             "普通取号平均等候 %s。",
                             "Green-lane tickets: %s of %s, %.1f%% of all; they waited %s on "
                             "average, normal tickets %s."},
    [REPORT_T_HEAD_LANE] = {"类别", "Lane"},

    [REPORT_T_DAYS] = {"每日趋势", "Day by day"},
    [REPORT_T_DAYS_CHART] = {"每日平均等候与即时办件平均办理时长",
                             "Daily mean wait and mean handling of instant items"},
    [REPORT_T_EACH_DAY] = {"每日明细", "Each day"},
    [REPORT_T_HEAD_DAY] = {"日期", "Day"},

    [REPORT_T_STAFFING] = {"窗口配置建议", "Staffing advice"},
    [REPORT_T_STAFFING_INTRO] = {"<p>按一周各时段的到达量和每件占用窗口时间，用 Erlang C "
                                 "公式计算使平均等候不超过 %g 分钟所需的窗口数；"
                                 "括号内为实际平均开放窗口数。</p>\n",
                                 "<p>Windows to open in each hour of the week so that the mean "
                                 "wait stays under %g minutes (Erlang C, from the arrivals per "
                                 "hour and the time a window spends on a ticket). In brackets: "
                                 "windows actually busy on average.</p>\n"},
    [REPORT_T_STAFFING_CELL] = {"每小时到达 %.1f 人，每件 %.1f 分钟，实际平均等候 %.1f 分钟",
                                "%.1f arrivals/h, %.1f min a ticket, observed wait %.1f min"},
    [REPORT_T_STAFFING_NOTE] =
        {"每小时的队列按稳态估算；高峰后积压的排队会延续到下一时段，"
         "实际等候可能高于公式值。详细数字见 <code>hallqctl stats staffing</code>。",
         "Each hour is taken as a steady state; a queue built up in a "
         "peak carries into the next hour, so real waits can exceed the "
         "formula's. Details: <code>hallqctl stats staffing</code>."},
    [REPORT_T_DEFINITIONS] = {"统计口径", "Definitions"},
    [REPORT_T_DEFINITIONS_TEXT] =
        {"等候时间：取号至首次叫号。"
         "办理时长：开始办理（未按“开始”时为叫号）至办结，扣除挂起时间。"
         "即时办件：事项目录中标为“即时办结”的事项，"
         "“平均不超过 %g 分钟”按其平均值考核。"
         "中位数与 P90 按名次线性插值，与电子表格 MEDIAN、PERCENTILE 函数一致。"
         "满意：评价为“满意”或“非常满意”。"
         "数据来源：大厅叫号系统数据库（只读，不影响业务）。",
         "Wait: from issuing the ticket to its first call. Handling: from \"start\" "
         "(or the call when start was not pressed) to \"finish\", less the time the "
         "ticket was parked. Instant items: services the catalog marks as handled on "
         "the spot (即时办结); the %g-minute rule applies to their mean. Medians and "
         "90th percentiles interpolate between ranks like a spreadsheet's MEDIAN and "
         "PERCENTILE. Satisfied: ratings 4 and 5. Source: the hall's hallq database, "
         "read without interrupting the service."},

    [REPORT_T_CITY] = {"全市各服务厅", "City halls"},
    [REPORT_T_RANKING] = {"服务厅排名", "Halls ranked"},
    [REPORT_T_RANKING_INTRO] =
        {"<p>先列即时办件平均办理不超过 %g 分钟的服务厅，再列超过的，最后列没有即时办件的；"
         "同组内按即时办件平均办理时长、再按平均等候从短到长排列。点击厅名查看该厅明细。</p>\n",
         "<p>Halls whose instant items took %g minutes or less on average come first, then "
         "those above, then those without instant items; within each, by the instant items' "
         "mean handling, then by the mean wait, shortest first. A hall's name leads to its "
         "section.</p>\n"},
    [REPORT_T_COL_RANK] = {"名次", "Rank"},
    [REPORT_T_COL_HALL] = {"服务厅", "Hall"},
    [REPORT_T_COL_LEVEL] = {"层级", "Level"},
    [REPORT_T_COL_TOWN] = {"所属镇", "Town"},
    [REPORT_T_COL_RULE] = {"10分钟规则", "10-minute rule"},
    [REPORT_T_COL_WAIT_WITHIN] = {"10分钟内叫号", "Called within 10 min"},
    [REPORT_T_COL_GREEN_SHARE] = {"绿色通道占比", "Green lane share"},
    [REPORT_T_COL_GREEN_WAIT] = {"绿色通道平均等候", "Green lane mean wait"},
    [REPORT_T_COL_SATISFIED] = {"满意率", "Satisfied"},
    [REPORT_T_RULE_MET] = {"达标", "met"},
    [REPORT_T_RULE_NOT_MET] = {"未达标", "not met"},
    [REPORT_T_LEVEL_TOWN] = {"镇（街道）", "town"},
    [REPORT_T_LEVEL_VILLAGE] = {"村（社区）", "village"},
    [REPORT_T_BACK] = {"返回排名", "Back to the ranking"},
    [REPORT_T_CITY_SOURCE] =
        {"数据来源：市级中心库（各服务厅 hallq-sync 上报的事件日志）；"
         "自旧备份恢复的服务厅按其现行数据库的历史统计，每张号票只计一次。"
         "“10分钟内叫号”：取号后 10 分钟内首次叫号的占比，取自每日汇总表。",
         "Source: the city's central store (the event logs the halls' hallq-sync shipped); a "
         "hall restored from an old backup counts by the history its present database holds, "
         "each ticket once. \"Called within 10 min\": the share of tickets first called within "
         "10 minutes of issue, from the daily roll-ups."},
};

/* A page, never laid out in terminal columns; yet no text needs an ambiguous-width
 * character, and the check keeps it so. */
/* The report is HTML in a browser, never laid out in terminal columns: its Chinese quotation
 * marks stay. */
const ui_table_t report_texts = {"report", s_report, REPORT_T_COUNT_, 1};
