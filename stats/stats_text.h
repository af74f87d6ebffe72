/* The statistics' texts in Chinese and English, as lib/ui tables: the weekday names the
 * exports, the staffing advice and the report share. */
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

#endif
