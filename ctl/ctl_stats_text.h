/* The texts of `hallqctl stats` in Chinese and English, as a lib/ui table (checked by
 * tests/stats/test_stats_texts.c). Every text is a printf format, so a literal % is
 * written %%; ctl_out_say prints them. */
#ifndef HALLQ_CTL_STATS_TEXT_H
#define HALLQ_CTL_STATS_TEXT_H

#include "ui_i18n.h"

typedef enum {
    /* the heading of the key column, by stats_by_t */
    CTL_T_BY_ALL = 1,
    CTL_T_BY_DAY,
    CTL_T_BY_HOUR,
    CTL_T_BY_WEEKDAY,
    CTL_T_BY_QUEUE,
    CTL_T_BY_COUNTER,
    CTL_T_BY_CLERK,
    CTL_T_BY_SERVICE,
    CTL_T_BY_LANE,
    CTL_T_BY_HALL, /* the city's (--central) */
    CTL_T_BY_LEVEL,
    CTL_T_BY_PARENT,
    /* the columns of a group; the English heading is also the column's name in JSON */
    CTL_T_COL_NAME,
    CTL_T_COL_ISSUED,
    CTL_T_COL_CALLED,
    CTL_T_COL_SERVED,
    CTL_T_COL_NO_SHOW,
    CTL_T_COL_EXPIRED,
    CTL_T_COL_TRANSFERRED,
    CTL_T_COL_WAIT_MEAN,
    CTL_T_COL_WAIT_MEDIAN,
    CTL_T_COL_WAIT_P90,
    CTL_T_COL_WAIT_MAX,
    CTL_T_COL_HANDLING_N,
    CTL_T_COL_HANDLING_MEAN,
    CTL_T_COL_HANDLING_MEDIAN,
    CTL_T_COL_HANDLING_P90,
    CTL_T_COL_INSTANT_N,
    CTL_T_COL_INSTANT_MEAN,
    CTL_T_COL_INSTANT_MEDIAN,
    CTL_T_COL_INSTANT_P90,
    CTL_T_COL_INSTANT_WITHIN,
    CTL_T_COL_INSTANT_WITHIN_PCT,
    CTL_T_COL_GREEN,
    CTL_T_COL_GREEN_PCT,
    CTL_T_COL_GREEN_WAIT_MEAN,
    CTL_T_COL_NORMAL_WAIT_MEAN,
    CTL_T_COL_RATED,
    CTL_T_COL_RATING_MEAN,
    CTL_T_COL_SATISFIED_PCT,
    CTL_T_COL_EXTENDED,
    CTL_T_TOTAL,
    /* keys and states as an office reads them; the English ones are the keys themselves */
    CTL_T_LANE_NORMAL,
    CTL_T_LANE_GREEN,
    CTL_T_STATE_WAITING,
    CTL_T_STATE_CALLED,
    CTL_T_STATE_SERVING,
    CTL_T_STATE_PARKED,
    CTL_T_STATE_FINISHED,
    CTL_T_STATE_NO_SHOW,
    CTL_T_STATE_EXPIRED,
    /* why a ticket was called, in hq_reason_t's order from HQ_REASON_GREEN_LANE; the
     * English ones are the daemon's own words (hq_reason_english) */
    CTL_T_REASON_GREEN_LANE,
    CTL_T_REASON_MAX_WAIT,
    CTL_T_REASON_GREEN_LIMIT,
    CTL_T_REASON_OLDEST,
    CTL_T_REASON_CHOSEN,
    CTL_T_REASON_APPOINTMENT,
    CTL_T_REASON_APPOINTMENT_LIMIT,
    /* the group of tickets without the key, by counter, clerk and service */
    CTL_T_NONE_COUNTER,
    CTL_T_NONE_CLERK,
    CTL_T_NONE_SERVICE,
    /* a hall's level in the city, by its key (town, village) */
    CTL_T_LEVEL_TOWN,
    CTL_T_LEVEL_VILLAGE,
    CTL_T_RECORDS_HEADER,
    /* metric */
    CTL_T_METRIC_HEADER,
    CTL_T_METRIC_TITLE,
    CTL_T_METRIC_TIME,
    CTL_T_METRIC_SCOPE,
    CTL_T_METRIC_COLUMNS,
    CTL_T_METRIC_SCOPE_HALL, /* the scope column; the English ones are the log's words */
    CTL_T_METRIC_SCOPE_QUEUE,
    CTL_T_METRIC_SCOPE_COUNTER,
    CTL_T_METRIC_HALL,
    CTL_T_METRIC_QUEUE,
    CTL_T_METRIC_WINDOW,
    CTL_T_METRIC_ALERT,
    CTL_T_METRIC_NONE,
    CTL_T_METRIC_SUMMARY,
    CTL_T_METRIC_LAST_HALL,
    /* staffing */
    CTL_T_STAFF_HEADER,
    CTL_T_STAFF_TITLE,
    CTL_T_STAFF_COLUMNS,
    CTL_T_STAFF_OVERLOAD,
    CTL_T_STAFF_NONE,
    CTL_T_STAFF_SUMMARY,
    CTL_T_STAFF_STEADY,
    CTL_T_BOOKINGS_HEADER_DAY, /* CSV header, grouped by day */
    CTL_T_BOOKINGS_HEADER_QUEUE,
    CTL_T_BOOKINGS_HEADER_SERVICE,
    CTL_T_BOOKINGS_NONE, /* nothing booked in the period */
    CTL_T_COUNT_
} ctl_text_id_t;

extern const ui_table_t ctl_stats_texts;

const char *ctl_text(ui_lang_t lang, ctl_text_id_t id);

#endif
