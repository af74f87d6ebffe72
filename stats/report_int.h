/* What a hall's report page (report.c) and the city's page (report_city.c) share: their
 * numbers, their head and end, the headline and the table of groups. Inside the report only. */
#ifndef HALLQ_REPORT_INT_H
#define HALLQ_REPORT_INT_H

#include "report.h"
#include "stats_text.h"

/* The text `id` in the page's language. */
const char *report_text(const report_input_t *in, report_text_id_t id);
/* Milliseconds as minutes. */
double report_min(double ms);
/* 1234567 as "1,234,567". */
const char *report_count(int64_t v, char out[32]);
/* Minutes as a bare number with one decimal, or a dash when nothing was measured (n 0). */
const char *report_number(double ms, int64_t n, char out[32]);
/* A share in per cent with one decimal, or a dash when the whole is nothing. */
const char *report_share(int64_t part, int64_t whole, char out[16]);

/* The document's head, the page's title and its period. */
void report_page_head(hq_buf_t *b, const report_input_t *in);
/* The headline: the 10-minute rule's verdict and the period's cards. */
void report_headline(hq_buf_t *b, const report_input_t *in);
/* The standard table of groups: counts, waits, handling, the 10-minute share, ratings. */
void report_group_table(hq_buf_t *b, const report_input_t *in, stats_by_t by,
                        const report_groups_t *gs, report_text_id_t key_head);
/* The definitions, a last note when not NULL, and the document's end. */
void report_page_end(hq_buf_t *b, const report_input_t *in, const char *note);

#endif
