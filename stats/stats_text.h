/* The statistics' texts in Chinese and English, as lib/ui tables: the weekday names the
 * exports, the staffing advice and the report share, and the report's own texts. Every
 * table is checked by tests/stats/test_stats_texts.c. */
#ifndef HALLQ_STATS_TEXT_H
#define HALLQ_STATS_TEXT_H

#include "ui_i18n.h"

typedef enum {
    STATS_T_MON = 1,
    STATS_T_TUE,
    STATS_T_WED,
    STATS_T_THU,
    STATS_T_FRI,
    STATS_T_SAT,
    STATS_T_SUN,
    STATS_T_COUNT_
} stats_text_id_t;

extern const ui_table_t stats_texts;

/* "周一" / "Mon" for 0 Monday .. 6 Sunday. The English name is also the weekday's key in
 * the exports (--by weekday), so scripts read it in either language. */
const char *stats_weekday_name(int weekday, ui_lang_t lang);

/* The report's texts (report.c). */
typedef enum {
    REPORT_T_HALL = 1,
    REPORT_T_TITLE,
    REPORT_T_PERIOD,
    REPORT_T_TO,
    REPORT_T_MADE,
    /* the headline cards */
    REPORT_T_ISSUED,
    REPORT_T_ISSUED_DETAIL,
    REPORT_T_FINISHED,
    REPORT_T_FINISHED_DETAIL,
    REPORT_T_MINUTES,
    REPORT_T_INSTANT_MEAN,
    REPORT_T_INSTANT_MEAN_DETAIL,
    REPORT_T_INSTANT_WITHIN,
    REPORT_T_INSTANT_WITHIN_DETAIL,
    REPORT_T_MEAN_WAIT,
    REPORT_T_MEAN_WAIT_DETAIL,
    REPORT_T_MEAN_HANDLING,
    REPORT_T_MEAN_HANDLING_DETAIL,
    REPORT_T_GREEN_SHARE,
    REPORT_T_GREEN_SHARE_DETAIL,
    REPORT_T_RATING,
    REPORT_T_RATING_DETAIL,
    REPORT_T_VERDICT,
    REPORT_T_VERDICT_MET,
    REPORT_T_VERDICT_NOT_MET,
    REPORT_T_VERDICT_WITHIN,
    /* group keys and the group table */
    REPORT_T_NOT_CALLED,
    REPORT_T_NONE,
    REPORT_T_WINDOW_N,
    REPORT_T_LANE_GREEN,
    REPORT_T_LANE_NORMAL,
    REPORT_T_COL_NAME,
    REPORT_T_COL_ISSUED,
    REPORT_T_COL_FINISHED,
    REPORT_T_COL_NO_SHOW,
    REPORT_T_COL_MEAN_WAIT,
    REPORT_T_COL_P90_WAIT,
    REPORT_T_COL_MEAN_HANDLING,
    REPORT_T_COL_INSTANT,
    REPORT_T_COL_INSTANT_MEAN,
    REPORT_T_COL_WITHIN,
    REPORT_T_COL_RATING,
    REPORT_T_NO_DATA,
    REPORT_T_UNIT_MINUTES,
    REPORT_T_UNIT_TICKETS,
    REPORT_T_TARGET_LINE,
    /* hours */
    REPORT_T_HOURS,
    REPORT_T_HOURS_ISSUED,
    REPORT_T_SERIES_ISSUED,
    REPORT_T_HOURS_WAIT,
    REPORT_T_SERIES_MEAN_WAIT,
    REPORT_T_SERIES_P90_WAIT,
    REPORT_T_HEAD_HOUR,
    /* handling by queue, window, clerk */
    REPORT_T_BY_QUEUE,
    REPORT_T_HEAD_QUEUE,
    REPORT_T_BY_WINDOW,
    REPORT_T_HEAD_WINDOW,
    REPORT_T_BY_CLERK,
    REPORT_T_HEAD_CLERK,
    REPORT_T_SERIES_INSTANT_HANDLING,
    REPORT_T_SERIES_ALL_HANDLING,
    REPORT_T_HANDLING_NOTE,
    REPORT_T_DETAILS,
    /* lanes */
    REPORT_T_LANES,
    REPORT_T_LANES_CHART,
    REPORT_T_SERIES_MEDIAN_WAIT,
    REPORT_T_SERIES_P90,
    REPORT_T_SERIES_NORMAL,
    REPORT_T_SERIES_GREEN,
    REPORT_T_LANES_TEXT,
    REPORT_T_HEAD_LANE,
    /* days */
    REPORT_T_DAYS,
    REPORT_T_DAYS_CHART,
    REPORT_T_EACH_DAY,
    REPORT_T_HEAD_DAY,
    /* staffing */
    REPORT_T_STAFFING,
    REPORT_T_STAFFING_INTRO,
    REPORT_T_STAFFING_CELL,
    REPORT_T_STAFFING_NOTE,
    REPORT_T_DEFINITIONS,
    REPORT_T_DEFINITIONS_TEXT,
    /* the city report (report_city_html) */
    REPORT_T_CITY,
    REPORT_T_RANKING,
    REPORT_T_RANKING_INTRO,
    REPORT_T_COL_RANK,
    REPORT_T_COL_HALL,
    REPORT_T_COL_LEVEL,
    REPORT_T_COL_TOWN,
    REPORT_T_COL_RULE,
    REPORT_T_COL_WAIT_WITHIN,
    REPORT_T_COL_GREEN_SHARE,
    REPORT_T_COL_GREEN_WAIT,
    REPORT_T_COL_SATISFIED,
    REPORT_T_RULE_MET,
    REPORT_T_RULE_NOT_MET,
    REPORT_T_LEVEL_TOWN,
    REPORT_T_LEVEL_VILLAGE,
    REPORT_T_BACK,
    REPORT_T_CITY_SOURCE,
    REPORT_T_COUNT_
} report_text_id_t;

extern const ui_table_t report_texts;

#endif
