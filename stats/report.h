/* The manager's report: one self-contained HTML page (inline CSS, charts as inline SVG, no
 * scripts, nothing fetched) that opens in any browser without a network. Pure: it takes
 * the aggregates and returns the page; reading the database is stats_db.c's job. */
#ifndef HALLQ_REPORT_H
#define HALLQ_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"
#include "ui_i18n.h"

typedef struct {
    const stats_group_t *g;
    size_t n;
} report_groups_t;

typedef struct {
    ui_lang_t lang;             /* of the labels */
    const char *hall_name;      /* title: "<hall> 办件统计报告" */
    const char *from, *to;      /* the period, YYYY-MM-DD */
    const char *generated;      /* when the report was made, local time as text */
    int64_t target_ms;          /* the handling target of instant items (10 minutes) */
    const stats_group_t *total; /* the whole period (required) */
    report_groups_t by_day;
    report_groups_t by_hour;
    report_groups_t by_queue;
    report_groups_t by_counter;
    report_groups_t by_clerk;
    report_groups_t by_lane;
    const char *queue_names[26];   /* by letter, NULL when unknown */
    const stats_staff_t *staffing; /* STATS_WEEK_SLOTS entries, or NULL to leave it out */
    double target_wait_ms;         /* the staffing target */
} report_input_t;

/* The page as a malloc'd NUL-terminated UTF-8 string; NULL when out of memory. */
char *report_html(const report_input_t *in);

/* One hall of the city report. */
typedef struct {
    const char *id, *name;
    int town;                   /* 1 town, 0 village point */
    const char *parent;         /* a village's town id, "" for a town */
    const stats_group_t *total; /* its whole period */
    int64_t target_ms;          /* its handling target of instant items */
    int64_t waits_called;       /* tickets called ... */
    int64_t waits_within;       /* ... and those within 10 minutes of issue */
    report_groups_t by_day, by_queue, by_lane;
} report_hall_t;

typedef struct {
    ui_lang_t lang;
    const char *from, *to, *generated;
    int64_t target_ms;          /* the handling target the city's headline is read against */
    const stats_group_t *total; /* every hall together (required) */
    const report_hall_t *halls;
    size_t n;
    const char *queue_names[26];
} report_city_t;

/* The order of the ranking: halls meeting the 10-minute rule (instant items' mean handling
 * within the hall's target), then those above it, then those without instant items; within
 * each, by the instant mean, then the mean wait, shortest first, then by id. order[] gets
 * indexes into halls. 0, or -1 out of memory. */
int report_city_rank(const report_hall_t *halls, size_t n, size_t *order);

/* The city page: the city's headline, the halls ranked (each row links to the hall's
 * section, id "hall-ID"), and a section per hall. malloc'd; NULL when out of memory. */
char *report_city_html(const report_city_t *in);

#endif
