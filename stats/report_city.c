/* The city's page: every hall ranked by the 10-minute rule, then a section a hall, from the
 * city store's figures (report.h). The parts it shares with a hall's page are report.c's. */
#include "report.h"

#include "report_chart.h"
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

/* 0 met, 1 above the target, 2 no instant items. */
static int s_rule_class(const stats_group_t *g, int64_t target_ms)
{
    if (!g->instant.n)
        return 2;
    return g->instant.mean_ms <= (double)target_ms ? 0 : 1;
}

typedef struct {
    const report_hall_t *h;
    size_t at; /* its index */
} s_ranked_t;

static int s_cmp_rank(const void *a, const void *b)
{
    const report_hall_t *x = ((const s_ranked_t *)a)->h, *y = ((const s_ranked_t *)b)->h;
    int cx = s_rule_class(x->total, x->target_ms), cy = s_rule_class(y->total, y->target_ms);
    if (cx != cy)
        return cx - cy;
    if (cx < 2 && x->total->instant.mean_ms != y->total->instant.mean_ms)
        return x->total->instant.mean_ms < y->total->instant.mean_ms ? -1 : 1;
    /* A hall that called nobody waits longest. */
    double wx = x->total->wait.n ? x->total->wait.mean_ms : 1e300;
    double wy = y->total->wait.n ? y->total->wait.mean_ms : 1e300;
    if (wx != wy)
        return wx < wy ? -1 : 1;
    return strcmp(x->id, y->id);
}

int report_city_rank(const report_hall_t *halls, size_t n, size_t *order)
{
    s_ranked_t *r = malloc((n ? n : 1) * sizeof *r);
    if (!r)
        return -1;
    for (size_t i = 0; i < n; i++)
        r[i] = (s_ranked_t){&halls[i], i};
    qsort(r, n, sizeof *r, s_cmp_rank);
    for (size_t i = 0; i < n; i++)
        order[i] = r[i].at;
    free(r);
    return 0;
}

/* The anchor of a hall's section: hall ids are letters, digits, '_', '.' and '-'. */
static void s_anchor(hq_buf_t *b, const char *id)
{
    hq_buf_printf(b, "hall-");
    report_esc(b, id);
}

static void s_rank_row(hq_buf_t *b, const report_input_t *in, size_t rank, const report_hall_t *h)
{
    const stats_group_t *g = h->total;
    char c[32], m[32], p[16];
    hq_buf_printf(b, "<tr data-hall=\"");
    report_esc(b, h->id);
    hq_buf_printf(b, "\"><td>%zu</td><td class=\"t\"><a href=\"#", rank);
    s_anchor(b, h->id);
    hq_buf_printf(b, "\">");
    report_esc(b, h->name);
    hq_buf_printf(b, "</a> (");
    report_esc(b, h->id);
    hq_buf_printf(b, ")</td><td class=\"t\">%s</td><td class=\"t\">",
                  report_text(in, h->town ? REPORT_T_LEVEL_TOWN : REPORT_T_LEVEL_VILLAGE));
    report_esc(b, h->parent);
    int rule = s_rule_class(g, h->target_ms);
    hq_buf_printf(b, "</td><td>%s</td>", report_count(g->issued, c));
    hq_buf_printf(b, "<td>%s</td>", report_count(g->instant.n, c));
    hq_buf_printf(b, "<td%s>%s</td>", rule == 1 ? " class=\"alarm\"" : "",
                  report_number(g->instant.mean_ms, g->instant.n, m));
    hq_buf_printf(b, "<td>%s</td>", report_share(g->instant_within, g->instant.n, p));
    hq_buf_printf(b, "<td%s>%s</td>", rule == 1 ? " class=\"alarm\"" : "",
                  rule == 2   ? "—"
                  : rule == 0 ? report_text(in, REPORT_T_RULE_MET)
                              : report_text(in, REPORT_T_RULE_NOT_MET));
    hq_buf_printf(b, "<td>%s</td>", report_number(g->wait.mean_ms, g->wait.n, m));
    hq_buf_printf(b, "<td>%s</td>", report_number(g->wait.p90_ms, g->wait.n, m));
    hq_buf_printf(b, "<td>%s</td>", report_share(h->waits_within, h->waits_called, p));
    hq_buf_printf(b, "<td>%s</td>", report_share(g->green, g->issued, p));
    hq_buf_printf(b, "<td>%s</td>", report_number(g->green_wait_mean_ms, g->green_waited, m));
    if (g->rated)
        hq_buf_printf(b, "<td>%.2f</td>", (double)g->rating_sum / (double)g->rated);
    else
        hq_buf_printf(b, "<td>—</td>");
    hq_buf_printf(b, "<td>%s</td></tr>\n",
                  report_share(g->ratings[3] + g->ratings[4], g->rated, p));
}

static void s_ranking(hq_buf_t *b, const report_input_t *in, const report_city_t *city,
                      const size_t *order)
{
    static const report_text_id_t cols[] = {
        REPORT_T_COL_RANK,         REPORT_T_COL_HALL,       REPORT_T_COL_LEVEL,
        REPORT_T_COL_TOWN,         REPORT_T_COL_ISSUED,     REPORT_T_COL_INSTANT,
        REPORT_T_COL_INSTANT_MEAN, REPORT_T_COL_WITHIN,     REPORT_T_COL_RULE,
        REPORT_T_COL_MEAN_WAIT,    REPORT_T_COL_P90_WAIT,   REPORT_T_COL_WAIT_WITHIN,
        REPORT_T_COL_GREEN_SHARE,  REPORT_T_COL_GREEN_WAIT, REPORT_T_COL_RATING,
        REPORT_T_COL_SATISFIED};
    hq_buf_printf(b, "<h2 id=\"ranking\">1. %s</h2>\n", report_text(in, REPORT_T_RANKING));
    hq_buf_printf(b, report_text(in, REPORT_T_RANKING_INTRO), report_min((double)in->target_ms));
    if (!city->n) {
        hq_buf_printf(b, "<p>%s</p>", report_text(in, REPORT_T_NO_DATA));
        return;
    }
    hq_buf_printf(b, "<div class=\"wide\"><table class=\"ranking\"><thead><tr>");
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        hq_buf_printf(b, "<th%s>%s</th>", i >= 1 && i <= 3 ? " class=\"t\"" : "",
                      report_text(in, cols[i]));
    hq_buf_printf(b, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < city->n; i++)
        s_rank_row(b, in, i + 1, &city->halls[order[i]]);
    hq_buf_printf(b, "</tbody></table></div>\n");
}

/* A hall's section: its headline, its queues, lanes and days. */
static void s_hall_section(hq_buf_t *b, const report_city_t *city, int no, const report_hall_t *h)
{
    static const stats_group_t empty;
    report_input_t in;
    memset(&in, 0, sizeof in);
    in.lang = city->lang;
    in.target_ms = h->target_ms;
    in.total = h->total ? h->total : &empty;
    in.by_day = h->by_day;
    in.by_queue = h->by_queue;
    in.by_lane = h->by_lane;
    memcpy(in.queue_names, city->queue_names, sizeof in.queue_names);
    hq_buf_printf(b, "<h2 id=\"");
    s_anchor(b, h->id);
    hq_buf_printf(b, "\">%d. ", no);
    report_esc(b, h->name);
    hq_buf_printf(b, " (");
    report_esc(b, h->id);
    hq_buf_printf(b, ")</h2>\n<p class=\"sub\">%s",
                  report_text(&in, h->town ? REPORT_T_LEVEL_TOWN : REPORT_T_LEVEL_VILLAGE));
    if (h->parent[0]) {
        hq_buf_printf(b, " · %s ", report_text(&in, REPORT_T_COL_TOWN));
        report_esc(b, h->parent);
    }
    hq_buf_printf(b, " · <a href=\"#ranking\">%s</a></p>\n", report_text(&in, REPORT_T_BACK));
    if (!in.total->issued) {
        hq_buf_printf(b, "<p>%s</p>", report_text(&in, REPORT_T_NO_DATA));
        return;
    }
    report_headline(b, &in);
    if (h->by_queue.n)
        report_group_table(b, &in, STATS_BY_QUEUE, &h->by_queue, REPORT_T_HEAD_QUEUE);
    if (h->by_lane.n)
        report_group_table(b, &in, STATS_BY_LANE, &h->by_lane, REPORT_T_HEAD_LANE);
    if (h->by_day.n) {
        hq_buf_printf(b, "<details%s><summary>%s</summary>\n", h->by_day.n <= 31 ? " open" : "",
                      report_text(&in, REPORT_T_EACH_DAY));
        report_group_table(b, &in, STATS_BY_DAY, &h->by_day, REPORT_T_HEAD_DAY);
        hq_buf_printf(b, "</details>\n");
    }
}

char *report_city_html(const report_city_t *city)
{
    size_t *order = malloc((city->n ? city->n : 1) * sizeof *order);
    if (!order)
        return NULL;
    if (report_city_rank(city->halls, city->n, order) != 0) {
        free(order);
        return NULL;
    }
    report_input_t in;
    memset(&in, 0, sizeof in);
    in.lang = city->lang;
    in.from = city->from;
    in.to = city->to;
    in.generated = city->generated;
    in.target_ms = city->target_ms;
    in.total = city->total;
    in.hall_name = report_text(&in, REPORT_T_CITY);
    hq_buf_t b = HQ_BUF_INIT;
    hq_buf_reserve(&b, 65536);
    report_page_head(&b, &in);
    report_headline(&b, &in);
    s_ranking(&b, &in, city, order);
    for (size_t i = 0; i < city->n; i++)
        s_hall_section(&b, city, (int)i + 2, &city->halls[order[i]]);
    free(order);
    report_page_end(&b, &in, report_text(&in, REPORT_T_CITY_SOURCE));
    return hq_buf_detach(&b);
}
