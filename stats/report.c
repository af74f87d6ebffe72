/* The report page: a headline, one section per view of the period, the staffing advice and
 * the definitions. The city's page is report_city.c's, charts are report_chart.c's; texts
 * are report_texts (stats_text.c). */
#include "report.h"

#include "report_chart.h"
#include "report_int.h"
#include "stats_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *report_text(const report_input_t *in, report_text_id_t id)
{
    return ui_text(&report_texts, (int)id, in->lang);
}

/* ---- numbers --------------------------------------------------------------------------- */

double report_min(double ms)
{
    return ms / 60000.0;
}

static double s_pct(int64_t part, int64_t whole)
{
    return whole > 0 ? 100.0 * (double)part / (double)whole : 0;
}

/* 1234567 as "1,234,567". */
const char *report_count(int64_t v, char out[32])
{
    char digits[24];
    snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
    size_t n = strlen(digits), o = 0;
    if (v < 0)
        out[o++] = '-';
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return out;
}

/* ---- the page -------------------------------------------------------------------------- */

static const char s_css[] =
    "body{font-family:\"Microsoft YaHei\",\"PingFang SC\",\"Noto Sans CJK SC\","
    "\"WenQuanYi Micro Hei\",\"Source Han Sans SC\",SimHei,sans-serif;margin:0;"
    "background:#f4f6f9;color:#1d2733}"
    "main{max-width:1080px;margin:0 auto;padding:24px 28px 48px;background:#fff}"
    "h1{font-size:28px;margin:8px 0 4px;color:#123a63}"
    "h2{font-size:20px;margin:36px 0 12px;padding-bottom:6px;border-bottom:2px solid #1f6fb2;"
    "color:#123a63}"
    ".sub{color:#5a6773;margin:0 0 20px}"
    ".cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}"
    ".card{border:1px solid #dfe5ec;border-radius:8px;padding:12px 14px;background:#fafcfe}"
    ".card .k{font-size:13px;color:#5a6773}.card .v{font-size:26px;font-weight:bold;"
    "margin:4px 0}.card .d{font-size:12px;color:#5a6773}"
    ".ok .v{color:#2e7d32}.bad .v{color:" REPORT_ALARM "}"
    ".verdict{margin:18px 0 0;padding:12px 16px;border-radius:8px;font-size:15px}"
    ".verdict.ok{background:#e8f5e9;border:1px solid #a5d6a7}"
    ".verdict.bad{background:#ffebee;border:1px solid #ef9a9a}"
    "table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0 4px}"
    "th,td{border:1px solid #dfe5ec;padding:4px 8px;text-align:right;white-space:nowrap}"
    "th{background:#eef3f8;font-weight:600}td.t,th.t{text-align:left}"
    "td.alarm{color:" REPORT_ALARM ";font-weight:bold}"
    "svg.chart{width:100%;height:auto;display:block;margin:8px 0}"
    "svg .grid{stroke:#e3e8ee;stroke-width:1}svg .axis{stroke:#8a96a3;stroke-width:1}"
    "svg .target{stroke:" REPORT_ALARM ";stroke-width:2;stroke-dasharray:8 5}"
    "svg text{font-size:13px;fill:#3b4652}svg .ylab{text-anchor:end}"
    "svg .xlab{text-anchor:middle}svg .unit{text-anchor:end;font-size:12px}"
    "svg .tlab{text-anchor:start;fill:" REPORT_ALARM ";font-size:13px}"
    "svg .val{text-anchor:middle;font-size:11px}svg .legend{font-size:13px}"
    "svg .line{fill:none;stroke-width:2.5}"
    ".wide{overflow-x:auto}table.ranking th{white-space:normal}"
    ".heat td{text-align:center;min-width:22px}.note{font-size:12px;color:#5a6773}"
    "details summary{cursor:pointer;color:#1f6fb2;margin:8px 0}"
    "@media print{body{background:#fff}main{padding:0}h2{break-after:avoid}"
    "svg,table{break-inside:avoid}}";

static void s_card(hq_buf_t *b, const char *cls, const char *key, const char *value,
                   const char *detail)
{
    hq_buf_printf(b, "<div class=\"card %s\"><div class=\"k\">", cls);
    report_esc(b, key);
    hq_buf_printf(b, "</div><div class=\"v\">");
    report_esc(b, value);
    hq_buf_printf(b, "</div><div class=\"d\">");
    report_esc(b, detail);
    hq_buf_printf(b, "</div></div>");
}

/* Whether the instant items' mean handling time met the target. */
static int s_met(const report_input_t *in)
{
    return in->total->instant.n > 0 && in->total->instant.mean_ms <= (double)in->target_ms;
}

static void s_verdict(hq_buf_t *b, const report_input_t *in)
{
    const stats_group_t *t = in->total;
    double target_min = report_min((double)in->target_ms);
    char n[32];
    hq_buf_printf(b, "<p class=\"verdict %s\">", s_met(in) ? "ok" : "bad");
    hq_buf_printf(b, report_text(in, REPORT_T_VERDICT), report_count(t->instant.n, n),
                  report_min(t->instant.mean_ms));
    hq_buf_printf(b, report_text(in, s_met(in) ? REPORT_T_VERDICT_MET : REPORT_T_VERDICT_NOT_MET),
                  target_min);
    hq_buf_printf(b, report_text(in, REPORT_T_VERDICT_WITHIN),
                  s_pct(t->instant_within, t->instant.n), target_min);
    hq_buf_printf(b, "</p>\n");
}

/* Minutes as the cards show them ("7.5 分钟"), or a dash when nothing was measured. */
static const char *s_minutes(const report_input_t *in, double ms, int64_t n, char out[48])
{
    if (n > 0)
        snprintf(out, 48, report_text(in, REPORT_T_MINUTES), report_min(ms));
    else
        snprintf(out, 48, "—");
    return out;
}

/* Minutes as a bare number with one decimal, or a dash when nothing was measured. */
const char *report_number(double ms, int64_t n, char out[32])
{
    if (n > 0)
        snprintf(out, 32, "%.1f", report_min(ms));
    else
        snprintf(out, 32, "—");
    return out;
}

/* A share in per cent with one decimal, or a dash when the whole is nothing. */
const char *report_share(int64_t part, int64_t whole, char out[16])
{
    if (whole > 0)
        snprintf(out, 16, "%.1f%%", s_pct(part, whole));
    else
        snprintf(out, 16, "—");
    return out;
}

void report_headline(hq_buf_t *b, const report_input_t *in)
{
    const stats_group_t *t = in->total;
    char v[96], d[200], c1[32], c2[32], m1[48], m2[48], m3[48], p1[16];
    double target_min = report_min((double)in->target_ms);
    hq_buf_printf(b, "<div class=\"cards\">");
    snprintf(v, sizeof v, "%s", report_count(t->issued, c1));
    snprintf(d, sizeof d, report_text(in, REPORT_T_ISSUED_DETAIL), report_count(t->called, c2),
             (long long)t->no_show);
    s_card(b, "", report_text(in, REPORT_T_ISSUED), v, d);
    snprintf(v, sizeof v, "%s", report_count(t->served, c1));
    snprintf(d, sizeof d, report_text(in, REPORT_T_FINISHED_DETAIL),
             report_share(t->served, t->issued, p1), (long long)t->transferred);
    s_card(b, "", report_text(in, REPORT_T_FINISHED), v, d);
    s_minutes(in, t->instant.mean_ms, t->instant.n, v);
    snprintf(d, sizeof d, report_text(in, REPORT_T_INSTANT_MEAN_DETAIL), target_min,
             (long long)t->instant.n);
    s_card(b, t->instant.n ? (s_met(in) ? "ok" : "bad") : "",
           report_text(in, REPORT_T_INSTANT_MEAN), v, d);
    report_share(t->instant_within, t->instant.n, p1);
    snprintf(d, sizeof d, report_text(in, REPORT_T_INSTANT_WITHIN_DETAIL),
             (long long)t->instant_within, target_min);
    s_card(b, "", report_text(in, REPORT_T_INSTANT_WITHIN), p1, d);
    s_minutes(in, t->wait.mean_ms, t->wait.n, v);
    if (t->wait.n)
        snprintf(d, sizeof d, report_text(in, REPORT_T_MEAN_WAIT_DETAIL),
                 report_number(t->wait.median_ms, t->wait.n, m1),
                 report_number(t->wait.p90_ms, t->wait.n, m2),
                 report_number((double)t->wait.max_ms, t->wait.n, m3));
    else
        d[0] = '\0'; /* nothing called: the dash above says it */
    s_card(b, "", report_text(in, REPORT_T_MEAN_WAIT), v, d);
    s_minutes(in, t->handling.mean_ms, t->handling.n, v);
    snprintf(d, sizeof d, report_text(in, REPORT_T_MEAN_HANDLING_DETAIL),
             report_number(t->handling.median_ms, t->handling.n, m1),
             report_number(t->handling.p90_ms, t->handling.n, m2));
    s_card(b, "", report_text(in, REPORT_T_MEAN_HANDLING), v, d);
    report_share(t->green, t->issued, p1);
    snprintf(d, sizeof d, report_text(in, REPORT_T_GREEN_SHARE_DETAIL),
             s_minutes(in, t->green_wait_mean_ms, t->green_waited, m1),
             s_minutes(in, t->normal_wait_mean_ms, t->normal_waited, m2));
    s_card(b, "", report_text(in, REPORT_T_GREEN_SHARE), p1, d);
    if (t->rated)
        snprintf(v, sizeof v, "%.2f / 5", (double)t->rating_sum / (double)t->rated);
    else
        snprintf(v, sizeof v, "—");
    snprintf(d, sizeof d, report_text(in, REPORT_T_RATING_DETAIL), (long long)t->rated,
             report_share(t->ratings[3] + t->ratings[4], t->rated, p1));
    s_card(b, "", report_text(in, REPORT_T_RATING), v, d);
    hq_buf_printf(b, "</div>\n");
    if (t->instant.n)
        s_verdict(b, in);
}

/* Label of a group's key for people: "3号窗口", "09:00", "绿色通道". */
static void s_key_label(const report_input_t *in, stats_by_t by, const stats_group_t *g, char *out,
                        size_t n)
{
    if (g->none) {
        snprintf(out, n, "%s",
                 report_text(in, by == STATS_BY_COUNTER ? REPORT_T_NOT_CALLED : REPORT_T_NONE));
        return;
    }
    switch (by) {
    case STATS_BY_HOUR:
        snprintf(out, n, "%s:00", g->key);
        break;
    case STATS_BY_COUNTER:
        snprintf(out, n, report_text(in, REPORT_T_WINDOW_N), g->key);
        break;
    case STATS_BY_LANE:
        snprintf(out, n, "%s",
                 report_text(in, strcmp(g->key, "green") == 0 ? REPORT_T_LANE_GREEN
                                                              : REPORT_T_LANE_NORMAL));
        break;
    case STATS_BY_DAY:
        snprintf(out, n, "%s", g->key + 5); /* MM-DD */
        break;
    default:
        snprintf(out, n, "%s", g->key);
        break;
    }
}

/* The labels and up to three value series of a chart, one entry per group. */
typedef struct {
    hq_vec_t labels; /* char[64] */
    hq_vec_t ptrs;   /* const char *, into labels */
    hq_vec_t v[REPORT_SERIES];
} s_series_t;

static int s_series_new(s_series_t *s, size_t n)
{
    size_t m = n ? n : 1;
    s->labels = (hq_vec_t)HQ_VEC_INIT(char[64]);
    s->ptrs = (hq_vec_t)HQ_VEC_INIT(const char *);
    int rc = hq_vec_reserve(&s->labels, m) | hq_vec_reserve(&s->ptrs, m);
    for (int i = 0; i < REPORT_SERIES; i++) {
        s->v[i] = (hq_vec_t)HQ_VEC_INIT(double);
        rc |= hq_vec_reserve(&s->v[i], m);
    }
    for (size_t i = 0; rc == 0 && i < m; i++) {
        const char **p = hq_vec_push(&s->ptrs);
        *p = hq_vec_push(&s->labels);
        for (int k = 0; k < REPORT_SERIES; k++)
            hq_vec_push(&s->v[k]);
    }
    return rc ? -1 : 0;
}

static char *s_label(s_series_t *s, size_t i)
{
    return hq_vec_at(&s->labels, i);
}

static double *s_values(s_series_t *s, int k)
{
    return s->v[k].data;
}

static void s_series_free(s_series_t *s)
{
    hq_vec_free(&s->labels);
    hq_vec_free(&s->ptrs);
    for (int i = 0; i < REPORT_SERIES; i++)
        hq_vec_free(&s->v[i]);
}

static void s_group_row(hq_buf_t *b, const report_input_t *in, stats_by_t by,
                        const stats_group_t *g)
{
    char label[96];
    s_key_label(in, by, g, label, sizeof label);
    if (by == STATS_BY_DAY)
        snprintf(label, sizeof label, "%s", g->key);
    hq_buf_printf(b, "<tr><td class=\"t\">");
    report_esc(b, label);
    if (by == STATS_BY_QUEUE) {
        hq_buf_printf(b, "</td><td class=\"t\">");
        int q = g->key[0] - 'A';
        report_esc(b, q >= 0 && q < 26 && in->queue_names[q] ? in->queue_names[q] : "");
    }
    int above = g->instant.n && g->instant.mean_ms > (double)in->target_ms;
    char c1[32], c2[32], c3[32];
    hq_buf_printf(b, "</td><td>%s</td><td>%s</td><td>%s</td>", report_count(g->issued, c1),
                  report_count(g->served, c2), report_count(g->no_show, c3));
    /* A dash, not 0.0, where nothing was called or finished. */
    if (g->wait.n)
        hq_buf_printf(b, "<td>%.1f</td><td>%.1f</td>", report_min(g->wait.mean_ms),
                      report_min(g->wait.p90_ms));
    else
        hq_buf_printf(b, "<td>—</td><td>—</td>");
    if (g->handling.n)
        hq_buf_printf(b, "<td>%.1f</td>", report_min(g->handling.mean_ms));
    else
        hq_buf_printf(b, "<td>—</td>");
    hq_buf_printf(b, "<td>%s</td>", report_count(g->instant.n, c1));
    if (g->instant.n)
        hq_buf_printf(b, "<td%s>%.1f</td><td>%.1f%%</td>", above ? " class=\"alarm\"" : "",
                      report_min(g->instant.mean_ms), s_pct(g->instant_within, g->instant.n));
    else
        hq_buf_printf(b, "<td>—</td><td>—</td>");
    if (g->rated)
        hq_buf_printf(b, "<td>%.2f</td></tr>\n", (double)g->rating_sum / (double)g->rated);
    else
        hq_buf_printf(b, "<td>—</td></tr>\n");
}

/* The standard table of groups: counts, waits, handling, the 10-minute share, ratings. */
void report_group_table(hq_buf_t *b, const report_input_t *in, stats_by_t by,
                        const report_groups_t *gs, report_text_id_t key_head)
{
    static const report_text_id_t cols[] = {REPORT_T_COL_ISSUED,   REPORT_T_COL_FINISHED,
                                            REPORT_T_COL_NO_SHOW,  REPORT_T_COL_MEAN_WAIT,
                                            REPORT_T_COL_P90_WAIT, REPORT_T_COL_MEAN_HANDLING,
                                            REPORT_T_COL_INSTANT,  REPORT_T_COL_INSTANT_MEAN,
                                            REPORT_T_COL_WITHIN,   REPORT_T_COL_RATING};
    hq_buf_printf(b, "<table><thead><tr><th class=\"t\">");
    report_esc(b, report_text(in, key_head));
    if (by == STATS_BY_QUEUE)
        hq_buf_printf(b, "</th><th class=\"t\">%s", report_text(in, REPORT_T_COL_NAME));
    hq_buf_printf(b, "</th>");
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        hq_buf_printf(b, "<th>%s</th>", report_text(in, cols[i]));
    hq_buf_printf(b, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < gs->n; i++)
        s_group_row(b, in, by, &gs->g[i]);
    hq_buf_printf(b, "</tbody></table>\n");
}

/* A numbered section heading; without data the section says so and ends there.
 * Returns whether the section goes on. */
static int s_section_head(hq_buf_t *b, const report_input_t *in, int no, const char *title,
                          int has_data)
{
    hq_buf_printf(b, "<h2>%d. ", no);
    report_esc(b, title);
    hq_buf_printf(b, "</h2>\n");
    if (!has_data)
        hq_buf_printf(b, "<p>%s</p>", report_text(in, REPORT_T_NO_DATA));
    return has_data;
}

static void s_section_hours(hq_buf_t *b, const report_input_t *in, int no)
{
    const report_groups_t *gs = &in->by_hour;
    if (!s_section_head(b, in, no, report_text(in, REPORT_T_HOURS), gs->n > 0))
        return;
    s_series_t s;
    if (s_series_new(&s, gs->n) == 0) {
        for (size_t i = 0; i < gs->n; i++) {
            s_key_label(in, STATS_BY_HOUR, &gs->g[i], s_label(&s, i), 64);
            s_values(&s, 0)[i] = (double)gs->g[i].issued;
            s_values(&s, 1)[i] = report_min(gs->g[i].wait.mean_ms);
            s_values(&s, 2)[i] = report_min(gs->g[i].wait.p90_ms);
        }
        report_chart_t c = {.aria = report_text(in, REPORT_T_HOURS_ISSUED),
                            .n = gs->n,
                            .labels = s.ptrs.data,
                            .nseries = 1,
                            .values = {s_values(&s, 0)},
                            .names = {report_text(in, REPORT_T_SERIES_ISSUED)},
                            .colors = {REPORT_GREY},
                            .target = -1,
                            .unit = report_text(in, REPORT_T_UNIT_TICKETS)};
        report_bar_chart(b, &c);
        report_chart_t w = {.aria = report_text(in, REPORT_T_HOURS_WAIT),
                            .n = gs->n,
                            .labels = s.ptrs.data,
                            .nseries = 2,
                            .values = {s_values(&s, 1), s_values(&s, 2)},
                            .names = {report_text(in, REPORT_T_SERIES_MEAN_WAIT),
                                      report_text(in, REPORT_T_SERIES_P90_WAIT)},
                            .colors = {REPORT_BLUE, REPORT_ORANGE},
                            .target = -1,
                            .unit = report_text(in, REPORT_T_UNIT_MINUTES),
                            .decimals = 1};
        report_bar_chart(b, &w);
    }
    s_series_free(&s);
    report_group_table(b, in, STATS_BY_HOUR, gs, REPORT_T_HEAD_HOUR);
}

static void s_target_label(const report_input_t *in, char *out, size_t n)
{
    snprintf(out, n, report_text(in, REPORT_T_TARGET_LINE), report_min((double)in->target_ms));
}

static void s_section_handling(hq_buf_t *b, const report_input_t *in, int no, stats_by_t by,
                               const report_groups_t *gs, report_text_id_t title,
                               report_text_id_t key_head)
{
    if (!s_section_head(b, in, no, report_text(in, title), gs->n > 0))
        return;
    char tl[64];
    s_target_label(in, tl, sizeof tl);
    s_series_t s;
    size_t n = 0;
    if (s_series_new(&s, gs->n) == 0) {
        for (size_t i = 0; i < gs->n; i++) {
            if (gs->g[i].none)
                continue; /* tickets never called have no window or clerk */
            s_key_label(in, by, &gs->g[i], s_label(&s, n), 64);
            s_values(&s, 0)[n] = report_min(gs->g[i].instant.mean_ms);
            s_values(&s, 1)[n] = report_min(gs->g[i].handling.mean_ms);
            n++;
        }
        report_chart_t c = {.aria = report_text(in, title),
                            .n = n,
                            .labels = s.ptrs.data,
                            .nseries = 2,
                            .values = {s_values(&s, 0), s_values(&s, 1)},
                            .names = {report_text(in, REPORT_T_SERIES_INSTANT_HANDLING),
                                      report_text(in, REPORT_T_SERIES_ALL_HANDLING)},
                            .colors = {REPORT_BLUE, REPORT_GREY},
                            .target = report_min((double)in->target_ms),
                            .target_label = tl,
                            .unit = report_text(in, REPORT_T_UNIT_MINUTES),
                            .flag_above = 1,
                            .decimals = 1};
        report_bar_chart(b, &c);
    }
    s_series_free(&s);
    hq_buf_printf(b, "<p class=\"note\">%s</p>\n", report_text(in, REPORT_T_HANDLING_NOTE));
    /* Long tables (many windows or clerks) fold away under the chart. */
    if (gs->n > 40)
        hq_buf_printf(b, "<details><summary>%s (%zu)</summary>\n",
                      report_text(in, REPORT_T_DETAILS), gs->n);
    report_group_table(b, in, by, gs, key_head);
    if (gs->n > 40)
        hq_buf_printf(b, "</details>\n");
}

static void s_section_lane(hq_buf_t *b, const report_input_t *in, int no)
{
    const report_groups_t *gs = &in->by_lane;
    if (!s_section_head(b, in, no, report_text(in, REPORT_T_LANES), gs->n > 0))
        return;
    const stats_group_t *normal = NULL, *green = NULL;
    for (size_t i = 0; i < gs->n; i++) {
        if (strcmp(gs->g[i].key, "green") == 0)
            green = &gs->g[i];
        else
            normal = &gs->g[i];
    }
    static const stats_group_t empty;
    if (!normal)
        normal = &empty;
    if (!green)
        green = &empty;
    const char *labels[3] = {report_text(in, REPORT_T_SERIES_MEAN_WAIT),
                             report_text(in, REPORT_T_SERIES_MEDIAN_WAIT),
                             report_text(in, REPORT_T_SERIES_P90)};
    double vn[3] = {report_min(normal->wait.mean_ms), report_min(normal->wait.median_ms),
                    report_min(normal->wait.p90_ms)};
    double vg[3] = {report_min(green->wait.mean_ms), report_min(green->wait.median_ms),
                    report_min(green->wait.p90_ms)};
    report_chart_t c = {
        .aria = report_text(in, REPORT_T_LANES_CHART),
        .n = 3,
        .labels = labels,
        .nseries = 2,
        .values = {vn, vg},
        .names = {report_text(in, REPORT_T_SERIES_NORMAL), report_text(in, REPORT_T_SERIES_GREEN)},
        .colors = {REPORT_BLUE, REPORT_GREEN},
        .target = -1,
        .unit = report_text(in, REPORT_T_UNIT_MINUTES),
        .decimals = 1};
    report_bar_chart(b, &c);
    char ng[32], nt[32], mg[48], mn[48];
    hq_buf_printf(b, "<p>");
    hq_buf_printf(b, report_text(in, REPORT_T_LANES_TEXT), report_count(green->issued, ng),
                  report_count(in->total->issued, nt), s_pct(green->issued, in->total->issued),
                  s_minutes(in, green->wait.mean_ms, green->wait.n, mg),
                  s_minutes(in, normal->wait.mean_ms, normal->wait.n, mn));
    hq_buf_printf(b, "</p>\n");
    report_group_table(b, in, STATS_BY_LANE, gs, REPORT_T_HEAD_LANE);
}

static void s_section_days(hq_buf_t *b, const report_input_t *in, int no)
{
    const report_groups_t *gs = &in->by_day;
    if (!s_section_head(b, in, no, report_text(in, REPORT_T_DAYS), gs->n > 0))
        return;
    char tl[64];
    s_target_label(in, tl, sizeof tl);
    s_series_t s;
    if (s_series_new(&s, gs->n) == 0) {
        for (size_t i = 0; i < gs->n; i++) {
            s_key_label(in, STATS_BY_DAY, &gs->g[i], s_label(&s, i), 64);
            s_values(&s, 0)[i] = report_min(gs->g[i].wait.mean_ms);
            s_values(&s, 1)[i] = report_min(gs->g[i].instant.mean_ms);
        }
        report_chart_t c = {.aria = report_text(in, REPORT_T_DAYS_CHART),
                            .n = gs->n,
                            .labels = s.ptrs.data,
                            .nseries = 2,
                            .values = {s_values(&s, 0), s_values(&s, 1)},
                            .names = {report_text(in, REPORT_T_SERIES_MEAN_WAIT),
                                      report_text(in, REPORT_T_SERIES_INSTANT_HANDLING)},
                            .colors = {REPORT_BLUE, REPORT_ORANGE},
                            .target = report_min((double)in->target_ms),
                            .target_label = tl,
                            .unit = report_text(in, REPORT_T_UNIT_MINUTES),
                            .decimals = 1};
        if (gs->n > 1)
            report_line_chart(b, &c);
        else
            report_bar_chart(b, &c);
    }
    s_series_free(&s);
    hq_buf_printf(b, "<details%s><summary>%s</summary>\n", gs->n <= 31 ? " open" : "",
                  report_text(in, REPORT_T_EACH_DAY));
    report_group_table(b, in, STATS_BY_DAY, gs, REPORT_T_HEAD_DAY);
    hq_buf_printf(b, "</details>\n");
}

static void s_staffing_cell(hq_buf_t *b, const report_input_t *in, const stats_staff_t *x, int max)
{
    if (!x->arrivals) {
        hq_buf_printf(b, "<td></td>");
        return;
    }
    double f = x->windows_needed > 0 ? (double)x->windows_needed / max : 1;
    int light = 245 - (int)(f * 120);
    hq_buf_printf(b, "<td style=\"background:rgb(%d,%d,255)\" title=\"", light,
                  light + 5 > 255 ? 255 : light + 5);
    hq_buf_printf(b, report_text(in, REPORT_T_STAFFING_CELL), x->rate_per_hour,
                  report_min(x->service_ms), report_min(x->observed_wait_ms));
    if (x->windows_needed > 0)
        hq_buf_printf(b, "\">%d <span class=\"note\">(%.0f)</span></td>", x->windows_needed,
                      x->windows_seen);
    else
        hq_buf_printf(b, "\">&gt; <span class=\"note\">(%.0f)</span></td>", x->windows_seen);
}

static void s_section_staffing(hq_buf_t *b, const report_input_t *in, int no)
{
    const stats_staff_t *st = in->staffing;
    int first = 24, last = -1, max = 1;
    for (int s = 0; s < STATS_WEEK_SLOTS; s++)
        if (st[s].arrivals) {
            if (st[s].hour < first)
                first = st[s].hour;
            if (st[s].hour > last)
                last = st[s].hour;
            if (st[s].windows_needed > max)
                max = st[s].windows_needed;
        }
    if (!s_section_head(b, in, no, report_text(in, REPORT_T_STAFFING), last >= 0))
        return;
    hq_buf_printf(b, report_text(in, REPORT_T_STAFFING_INTRO), report_min(in->target_wait_ms));
    hq_buf_printf(b, "<table class=\"heat\"><thead><tr><th class=\"t\"></th>");
    for (int h = first; h <= last; h++)
        hq_buf_printf(b, "<th>%02d</th>", h);
    hq_buf_printf(b, "</tr></thead><tbody>\n");
    for (int d = 0; d < 7; d++) {
        int any = 0;
        for (int h = first; h <= last; h++)
            any |= st[d * 24 + h].arrivals > 0;
        if (!any)
            continue;
        hq_buf_printf(b, "<tr><th class=\"t\">%s</th>", stats_weekday_name(d, in->lang));
        for (int h = first; h <= last; h++)
            s_staffing_cell(b, in, &st[d * 24 + h], max);
        hq_buf_printf(b, "</tr>\n");
    }
    hq_buf_printf(b, "</tbody></table>\n<p class=\"note\">%s</p>\n",
                  report_text(in, REPORT_T_STAFFING_NOTE));
}

void report_page_head(hq_buf_t *b, const report_input_t *in)
{
    const char *hall =
        in->hall_name && in->hall_name[0] ? in->hall_name : report_text(in, REPORT_T_HALL);
    hq_buf_printf(b,
                  "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                  "<title>",
                  in->lang == UI_LANG_EN ? "en" : "zh-CN");
    report_esc(b, hall);
    hq_buf_printf(b, " %s</title><style>%s</style></head>\n<body><main>\n<h1>",
                  report_text(in, REPORT_T_TITLE), s_css);
    report_esc(b, hall);
    hq_buf_printf(b, " %s</h1>\n<p class=\"sub\">%s ", report_text(in, REPORT_T_TITLE),
                  report_text(in, REPORT_T_PERIOD));
    report_esc(b, in->from);
    hq_buf_printf(b, " %s ", report_text(in, REPORT_T_TO));
    report_esc(b, in->to);
    hq_buf_printf(b, " · %s ", report_text(in, REPORT_T_MADE));
    report_esc(b, in->generated);
    hq_buf_printf(b, "</p>\n");
}

void report_page_end(hq_buf_t *b, const report_input_t *in, const char *note)
{
    hq_buf_printf(b, "<h2>%s</h2>\n<p class=\"note\">", report_text(in, REPORT_T_DEFINITIONS));
    hq_buf_printf(b, report_text(in, REPORT_T_DEFINITIONS_TEXT), report_min((double)in->target_ms));
    hq_buf_printf(b, "</p>\n");
    if (note)
        hq_buf_printf(b, "<p class=\"note\">%s</p>\n", note);
    hq_buf_printf(b, "</main></body></html>\n");
}

char *report_html(const report_input_t *in)
{
    hq_buf_t b = HQ_BUF_INIT;
    hq_buf_reserve(&b, 65536);
    report_page_head(&b, in);
    report_headline(&b, in);
    int no = 1;
    s_section_hours(&b, in, no++);
    s_section_handling(&b, in, no++, STATS_BY_QUEUE, &in->by_queue, REPORT_T_BY_QUEUE,
                       REPORT_T_HEAD_QUEUE);
    s_section_handling(&b, in, no++, STATS_BY_COUNTER, &in->by_counter, REPORT_T_BY_WINDOW,
                       REPORT_T_HEAD_WINDOW);
    s_section_handling(&b, in, no++, STATS_BY_CLERK, &in->by_clerk, REPORT_T_BY_CLERK,
                       REPORT_T_HEAD_CLERK);
    s_section_lane(&b, in, no++);
    s_section_days(&b, in, no++);
    if (in->staffing)
        s_section_staffing(&b, in, no++);
    report_page_end(&b, in, NULL);
    return hq_buf_detach(&b);
}
