/* The report's charts: bar and line charts as inline SVG, and HTML escaping. Inside the
 * report only (report.c). */
#ifndef HALLQ_REPORT_CHART_H
#define HALLQ_REPORT_CHART_H

#include <stddef.h>

#include "hq_vec.h"

#define REPORT_SERIES 3

#define REPORT_ALARM "#c62828"
#define REPORT_BLUE "#1f6fb2"
#define REPORT_ORANGE "#e08a1e"
#define REPORT_GREEN "#2e9d5b"
#define REPORT_GREY "#90a4b7"

typedef struct {
    const char *aria;          /* the chart's accessible name */
    size_t n;                  /* categories (bar chart) or points (line chart) */
    const char *const *labels; /* n labels along the x axis */
    int nseries;
    const double *values[REPORT_SERIES];
    const char *names[REPORT_SERIES];
    const char *colors[REPORT_SERIES];
    double target; /* dashed reference line at this value; < 0: none */
    const char *target_label;
    const char *unit;
    int flag_above; /* series 0 bars above the target in the alarm colour */
    int decimals;   /* of the value labels */
} report_chart_t;

/* Text from the database or the config (hall name, clerk ids) is escaped: a clerk id is
 * whatever was typed at login. */
void report_esc(hq_buf_t *b, const char *text);
void report_bar_chart(hq_buf_t *b, const report_chart_t *c);
void report_line_chart(hq_buf_t *b, const report_chart_t *c);

#endif
