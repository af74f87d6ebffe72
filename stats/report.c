#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growing string ------------------------------------------------------------------ */

typedef struct {
    char *s;
    size_t len, cap;
    int oom; /* set once an append failed; the page is then dropped */
} s_buf_t;

static void s_put(s_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void s_put(s_buf_t *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

/* Text from the database or the config (hall name, clerk ids) is escaped: a clerk id is
 * whatever was typed at login. */
static void s_esc(s_buf_t *b, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        switch (*p) {
        case '&':
            s_put(b, "&amp;");
            break;
        case '<':
            s_put(b, "&lt;");
            break;
        case '>':
            s_put(b, "&gt;");
            break;
        case '"':
            s_put(b, "&quot;");
            break;
        case '\'':
            s_put(b, "&#39;");
            break;
        default:
            s_put(b, "%c", *p);
            break;
        }
    }
}

/* ---- numbers --------------------------------------------------------------------------- */

#define T(zh, en) (in->lang_en ? (en) : (zh))

static double s_min(double ms)
{
    return ms / 60000.0;
}

static double s_pct(int64_t part, int64_t whole)
{
    return whole > 0 ? 100.0 * (double)part / (double)whole : 0;
}

/* 1234567 as "1,234,567". */
static const char *s_count(int64_t v, char out[32])
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

/* ---- charts ---------------------------------------------------------------------------- */

/* Chart box: the right margin holds the target line's label, clear of the bars. */
enum { S_W = 960, S_H = 320, S_ML = 64, S_MR = 104, S_MT = 40, S_MB = 64, S_SERIES = 3 };

typedef struct {
    const char *aria;          /* the chart's accessible name */
    size_t n;                  /* categories (bar chart) or points (line chart) */
    const char *const *labels; /* n labels along the x axis */
    int nseries;
    const double *values[S_SERIES];
    const char *names[S_SERIES];
    const char *colors[S_SERIES];
    double target; /* dashed reference line at this value; < 0: none */
    const char *target_label;
    const char *unit;
    int flag_above; /* series 0 bars above the target in the alarm colour */
    int decimals;   /* of the value labels */
} s_chart_t;

#define S_ALARM "#c62828"

/* A y axis whose top and step are round numbers (1, 2 or 5 times a power of ten). */
static void s_scale(double max, double *top, double *step)
{
    if (!(max > 0)) {
        *top = 1;
        *step = 0.2;
        return;
    }
    double raw = max / 5, mag = pow(10, floor(log10(raw))), norm = raw / mag;
    *step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
    *top = *step * ceil(max / *step - 1e-9);
}

/* Roughly how wide text is at 13 px: Chinese characters are square, Latin ones narrow. */
static int s_text_px(const char *utf8)
{
    int px = 0;
    for (const unsigned char *p = (const unsigned char *)utf8; *p; p++) {
        if (*p < 0x80)
            px += 7;
        else if (*p >= 0xc0)
            px += 13;
    }
    return px;
}

static void s_chart_open(s_buf_t *b, const s_chart_t *c, double *top, double *step)
{
    double max = c->target > 0 ? c->target * 1.1 : 0;
    for (int s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->n; i++)
            if (c->values[s][i] > max)
                max = c->values[s][i];
    s_scale(max * 1.05, top, step);
    s_put(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", S_W, S_H);
    s_esc(b, c->aria);
    s_put(b, "\" xmlns=\"http://www.w3.org/2000/svg\"><title>");
    s_esc(b, c->aria);
    s_put(b, "</title>");
    /* Grid and y labels. */
    int ph = S_H - S_MT - S_MB;
    for (double v = 0; v <= *top + *step / 2; v += *step) {
        double y = S_MT + ph - v / *top * ph;
        s_put(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>", S_ML, y,
              S_W - S_MR, y);
        s_put(b, "<text x=\"%d\" y=\"%.1f\" class=\"ylab\">%g</text>", S_ML - 6, y + 4,
              round(v * 1000) / 1000);
    }
    s_put(b, "<text x=\"%d\" y=\"%d\" class=\"unit\">", S_ML - 6, S_MT - 14);
    s_esc(b, c->unit);
    s_put(b, "</text>");
    /* Legend, top right. */
    int lx = S_W - 24;
    for (int s = c->nseries - 1; s >= 0; s--) {
        int w = 16 + s_text_px(c->names[s]) + 18;
        lx -= w;
        s_put(b, "<rect x=\"%d\" y=\"8\" width=\"12\" height=\"12\" fill=\"%s\"/>", lx,
              c->colors[s]);
        s_put(b, "<text x=\"%d\" y=\"19\" class=\"legend\">", lx + 16);
        s_esc(b, c->names[s]);
        s_put(b, "</text>");
    }
}

static void s_chart_target(s_buf_t *b, const s_chart_t *c, double top)
{
    if (c->target < 0)
        return;
    int ph = S_H - S_MT - S_MB;
    double y = S_MT + ph - c->target / top * ph;
    s_put(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"target\"/>", S_ML, y,
          S_W - S_MR, y);
    s_put(b, "<text x=\"%d\" y=\"%.1f\" class=\"tlab\">", S_W - S_MR + 6, y + 4);
    s_esc(b, c->target_label);
    s_put(b, "</text>");
}

static void s_xlabel(s_buf_t *b, double x, const char *label, int rotate)
{
    int y = S_H - S_MB + 18;
    if (rotate)
        s_put(b,
              "<text x=\"%.1f\" y=\"%d\" class=\"xlab\" transform=\"rotate(-40 %.1f %d)\" "
              "text-anchor=\"end\">",
              x, y, x, y);
    else
        s_put(b, "<text x=\"%.1f\" y=\"%d\" class=\"xlab\">", x, y);
    s_esc(b, label);
    s_put(b, "</text>");
}

static void s_bar_chart(s_buf_t *b, const s_chart_t *c)
{
    double top, step;
    s_chart_open(b, c, &top, &step);
    int pw = S_W - S_ML - S_MR, ph = S_H - S_MT - S_MB;
    double gw = c->n ? (double)pw / (double)c->n : pw;
    double bw = gw * 0.72 / (c->nseries ? c->nseries : 1);
    int show_values = c->n * (size_t)c->nseries <= 36;
    size_t every = c->n > 40 ? (c->n + 39) / 40 : 1;
    for (size_t i = 0; i < c->n; i++) {
        double gx = S_ML + gw * (double)i + gw * 0.14;
        for (int s = 0; s < c->nseries; s++) {
            double v = c->values[s][i];
            double h = v > 0 ? v / top * ph : 0;
            double x = gx + bw * s, y = S_MT + ph - h;
            const char *fill = c->colors[s];
            if (s == 0 && c->flag_above && c->target >= 0 && v > c->target)
                fill = S_ALARM;
            s_put(b,
                  "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                  "fill=\"%s\"><title>",
                  x, y, bw * 0.94, h, fill);
            s_esc(b, c->labels[i]);
            s_put(b, " · ");
            s_esc(b, c->names[s]);
            s_put(b, ": %.*f</title></rect>", c->decimals, v);
            if (show_values && v > 0)
                s_put(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"val\">%.*f</text>", x + bw * 0.47,
                      y - 4, c->decimals, v);
        }
        /* A hall with hundreds of windows: every k-th name, so they stay legible. */
        if (i % every == 0)
            s_xlabel(b, S_ML + gw * (double)i + gw / 2, c->labels[i], c->n > 14);
    }
    s_chart_target(b, c, top);
    s_put(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/></svg>\n", S_ML,
          S_MT + ph, S_W - S_MR, S_MT + ph);
}

static void s_line_chart(s_buf_t *b, const s_chart_t *c)
{
    double top, step;
    s_chart_open(b, c, &top, &step);
    int pw = S_W - S_ML - S_MR, ph = S_H - S_MT - S_MB;
    double dx = c->n > 1 ? (double)pw / (double)(c->n - 1) : 0;
    for (int s = 0; s < c->nseries; s++) {
        s_put(b, "<polyline class=\"line\" stroke=\"%s\" points=\"", c->colors[s]);
        for (size_t i = 0; i < c->n; i++)
            s_put(b, "%.1f,%.1f ", S_ML + dx * (double)i + (c->n > 1 ? 0 : pw / 2.0),
                  S_MT + ph - c->values[s][i] / top * ph);
        s_put(b, "\"/>");
        if (c->n <= 62)
            for (size_t i = 0; i < c->n; i++)
                s_put(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                      S_ML + dx * (double)i + (c->n > 1 ? 0 : pw / 2.0),
                      S_MT + ph - c->values[s][i] / top * ph, c->colors[s]);
    }
    /* About eight dates along the axis. */
    size_t every = c->n > 8 ? (c->n + 7) / 8 : 1;
    for (size_t i = 0; i < c->n; i += every)
        s_xlabel(b, S_ML + dx * (double)i + (c->n > 1 ? 0 : pw / 2.0), c->labels[i], 0);
    s_chart_target(b, c, top);
    s_put(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/></svg>\n", S_ML,
          S_MT + ph, S_W - S_MR, S_MT + ph);
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
    ".ok .v{color:#2e7d32}.bad .v{color:" S_ALARM "}"
    ".verdict{margin:18px 0 0;padding:12px 16px;border-radius:8px;font-size:15px}"
    ".verdict.ok{background:#e8f5e9;border:1px solid #a5d6a7}"
    ".verdict.bad{background:#ffebee;border:1px solid #ef9a9a}"
    "table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0 4px}"
    "th,td{border:1px solid #dfe5ec;padding:4px 8px;text-align:right;white-space:nowrap}"
    "th{background:#eef3f8;font-weight:600}td.t,th.t{text-align:left}"
    "td.alarm{color:" S_ALARM ";font-weight:bold}"
    "svg.chart{width:100%;height:auto;display:block;margin:8px 0}"
    "svg .grid{stroke:#e3e8ee;stroke-width:1}svg .axis{stroke:#8a96a3;stroke-width:1}"
    "svg .target{stroke:" S_ALARM ";stroke-width:2;stroke-dasharray:8 5}"
    "svg text{font-size:13px;fill:#3b4652}svg .ylab{text-anchor:end}"
    "svg .xlab{text-anchor:middle}svg .unit{text-anchor:end;font-size:12px}"
    "svg .tlab{text-anchor:start;fill:" S_ALARM ";font-size:13px}"
    "svg .val{text-anchor:middle;font-size:11px}svg .legend{font-size:13px}"
    "svg .line{fill:none;stroke-width:2.5}"
    ".heat td{text-align:center;min-width:22px}.note{font-size:12px;color:#5a6773}"
    "details summary{cursor:pointer;color:#1f6fb2;margin:8px 0}"
    "@media print{body{background:#fff}main{padding:0}h2{break-after:avoid}"
    "svg,table{break-inside:avoid}}";

#define S_BLUE "#1f6fb2"
#define S_ORANGE "#e08a1e"
#define S_GREEN "#2e9d5b"
#define S_GREY "#90a4b7"

static void s_card(s_buf_t *b, const char *cls, const char *key, const char *value,
                   const char *detail)
{
    s_put(b, "<div class=\"card %s\"><div class=\"k\">", cls);
    s_esc(b, key);
    s_put(b, "</div><div class=\"v\">");
    s_esc(b, value);
    s_put(b, "</div><div class=\"d\">");
    s_esc(b, detail);
    s_put(b, "</div></div>");
}

static void s_headline(s_buf_t *b, const report_input_t *in)
{
    const stats_group_t *t = in->total;
    char v[96], d[160], c1[32], c2[32];
    double target_min = s_min((double)in->target_ms);
    s_put(b, "<div class=\"cards\">");
    snprintf(v, sizeof v, "%s", s_count(t->issued, c1));
    snprintf(d, sizeof d, T("已叫号 %s，过号 %lld", "called %s, no-show %lld"),
             s_count(t->called, c2), (long long)t->no_show);
    s_card(b, "", T("取号总数", "Tickets issued"), v, d);
    snprintf(v, sizeof v, "%s", s_count(t->served, c1));
    snprintf(d, sizeof d, T("办结率 %.1f%%，转办 %lld", "%.1f%% of issued, transferred %lld"),
             s_pct(t->served, t->issued), (long long)t->transferred);
    s_card(b, "", T("已办结", "Finished"), v, d);
    int ok = t->instant.n > 0 && t->instant.mean_ms <= (double)in->target_ms;
    snprintf(v, sizeof v, T("%.1f 分钟", "%.1f min"), s_min(t->instant.mean_ms));
    snprintf(d, sizeof d,
             T("目标 ≤ %g 分钟，即时办件 %lld 件", "target ≤ %g min, %lld instant items"),
             target_min, (long long)t->instant.n);
    s_card(b, t->instant.n ? (ok ? "ok" : "bad") : "",
           T("即时办件平均办理时长", "Instant items: mean handling"), v, d);
    snprintf(v, sizeof v, "%.1f%%", s_pct(t->instant_within, t->instant.n));
    snprintf(d, sizeof d, T("%lld 件在 %g 分钟内办结", "%lld handled within %g min"),
             (long long)t->instant_within, target_min);
    s_card(b, "", T("即时办件按时办结率", "Instant items within target"), v, d);
    snprintf(v, sizeof v, T("%.1f 分钟", "%.1f min"), s_min(t->wait.mean_ms));
    snprintf(d, sizeof d,
             T("中位数 %.1f，P90 %.1f，最长 %.1f 分钟", "median %.1f, p90 %.1f, max %.1f min"),
             s_min(t->wait.median_ms), s_min(t->wait.p90_ms), s_min((double)t->wait.max_ms));
    s_card(b, "", T("平均等候时间", "Mean wait"), v, d);
    snprintf(v, sizeof v, T("%.1f 分钟", "%.1f min"), s_min(t->handling.mean_ms));
    snprintf(d, sizeof d, T("全部事项；中位数 %.1f，P90 %.1f", "all items; median %.1f, p90 %.1f"),
             s_min(t->handling.median_ms), s_min(t->handling.p90_ms));
    s_card(b, "", T("平均办理时长", "Mean handling"), v, d);
    snprintf(v, sizeof v, "%.1f%%", s_pct(t->green, t->issued));
    snprintf(d, sizeof d, T("等候 %.1f 分钟，普通 %.1f 分钟", "wait %.1f min, normal %.1f min"),
             s_min(t->green_wait_mean_ms), s_min(t->normal_wait_mean_ms));
    s_card(b, "", T("绿色通道占比", "Green lane share"), v, d);
    if (t->rated)
        snprintf(v, sizeof v, "%.2f / 5", (double)t->rating_sum / (double)t->rated);
    else
        snprintf(v, sizeof v, "—");
    snprintf(d, sizeof d, T("评价 %lld 件，满意 %.1f%%", "%lld rated, %.1f%% satisfied"),
             (long long)t->rated, s_pct(t->ratings[3] + t->ratings[4], t->rated));
    s_card(b, "", T("群众评价", "Citizen rating"), v, d);
    s_put(b, "</div>\n");
    if (t->instant.n) {
        char n[32];
        s_put(b, "<p class=\"verdict %s\">", ok ? "ok" : "bad");
        if (in->lang_en)
            s_put(b,
                  "%s instant items were finished in the period with a mean handling time of "
                  "<b>%.1f minutes</b>: the requirement of at most %g minutes on average is "
                  "<b>%s</b>. %.1f%% were handled within %g minutes.",
                  s_count(t->instant.n, n), s_min(t->instant.mean_ms), target_min,
                  ok ? "met" : "not met", s_pct(t->instant_within, t->instant.n), target_min);
        else
            s_put(b,
                  "统计期间即时办件共办结 %s 件，平均办理时长 <b>%.1f 分钟</b>，"
                  "<b>%s</b>“平均不超过 %g 分钟”的要求；其中 %.1f%% 在 %g 分钟内办结。",
                  s_count(t->instant.n, n), s_min(t->instant.mean_ms), ok ? "达到" : "未达到",
                  target_min, s_pct(t->instant_within, t->instant.n), target_min);
        s_put(b, "</p>\n");
    }
}

/* Label of a group's key for people: "3号窗口", "09:00", "绿色通道". */
static void s_key_label(const report_input_t *in, stats_by_t by, const stats_group_t *g, char *out,
                        size_t n)
{
    if (g->none) {
        snprintf(out, n, "%s",
                 by == STATS_BY_COUNTER ? T("未叫号", "not called") : T("（无）", "(none)"));
        return;
    }
    switch (by) {
    case STATS_BY_HOUR:
        snprintf(out, n, "%s:00", g->key);
        break;
    case STATS_BY_COUNTER:
        snprintf(out, n, T("%s号窗口", "Window %s"), g->key);
        break;
    case STATS_BY_LANE:
        snprintf(out, n, "%s",
                 strcmp(g->key, "green") == 0 ? T("绿色通道", "Green lane") : T("普通", "Normal"));
        break;
    case STATS_BY_DAY:
        snprintf(out, n, "%s", g->key + 5); /* MM-DD */
        break;
    default:
        snprintf(out, n, "%s", g->key);
        break;
    }
}

typedef struct {
    char (*labels)[64];
    const char **label_ptrs;
    double *v[S_SERIES];
} s_series_t;

static int s_series_new(s_series_t *s, size_t n)
{
    memset(s, 0, sizeof *s);
    size_t m = n ? n : 1;
    s->labels = calloc(m, sizeof *s->labels);
    s->label_ptrs = calloc(m, sizeof *s->label_ptrs);
    for (int i = 0; i < S_SERIES; i++)
        s->v[i] = calloc(m, sizeof *s->v[i]);
    if (!s->labels || !s->label_ptrs || !s->v[0] || !s->v[1] || !s->v[2])
        return -1;
    for (size_t i = 0; i < m; i++)
        s->label_ptrs[i] = s->labels[i];
    return 0;
}

static void s_series_free(s_series_t *s)
{
    free(s->labels);
    free(s->label_ptrs);
    for (int i = 0; i < S_SERIES; i++)
        free(s->v[i]);
}

/* The standard table of groups: counts, waits, handling, the 10-minute share, ratings. */
static void s_group_table(s_buf_t *b, const report_input_t *in, stats_by_t by,
                          const report_groups_t *gs, const char *key_head)
{
    s_put(b, "<table><thead><tr><th class=\"t\">");
    s_esc(b, key_head);
    if (by == STATS_BY_QUEUE)
        s_put(b, "</th><th class=\"t\">%s", T("名称", "Name"));
    s_put(b,
          "</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
          "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
          T("取号", "Issued"), T("办结", "Finished"), T("过号", "No-show"),
          T("平均等候(分)", "Mean wait (min)"), T("P90等候(分)", "P90 wait (min)"),
          T("平均办理(分)", "Mean handling (min)"), T("即时办件", "Instant items"),
          T("即时平均(分)", "Instant mean (min)"), T("按时办结率", "Within target"),
          T("评价均分", "Rating"));
    for (size_t i = 0; i < gs->n; i++) {
        const stats_group_t *g = &gs->g[i];
        char label[96];
        s_key_label(in, by, g, label, sizeof label);
        if (by == STATS_BY_DAY)
            snprintf(label, sizeof label, "%s", g->key);
        s_put(b, "<tr><td class=\"t\">");
        s_esc(b, label);
        if (by == STATS_BY_QUEUE) {
            s_put(b, "</td><td class=\"t\">");
            int q = g->key[0] - 'A';
            s_esc(b, q >= 0 && q < 26 && in->queue_names[q] ? in->queue_names[q] : "");
        }
        int above = g->instant.n && g->instant.mean_ms > (double)in->target_ms;
        char c1[32], c2[32], c3[32];
        s_put(b, "</td><td>%s</td><td>%s</td><td>%s</td>", s_count(g->issued, c1),
              s_count(g->served, c2), s_count(g->no_show, c3));
        /* A dash, not 0.0, where nothing was called or finished. */
        if (g->wait.n)
            s_put(b, "<td>%.1f</td><td>%.1f</td>", s_min(g->wait.mean_ms), s_min(g->wait.p90_ms));
        else
            s_put(b, "<td>—</td><td>—</td>");
        if (g->handling.n)
            s_put(b, "<td>%.1f</td>", s_min(g->handling.mean_ms));
        else
            s_put(b, "<td>—</td>");
        s_put(b, "<td>%s</td>", s_count(g->instant.n, c1));
        if (g->instant.n)
            s_put(b, "<td%s>%.1f</td><td>%.1f%%</td>", above ? " class=\"alarm\"" : "",
                  s_min(g->instant.mean_ms), s_pct(g->instant_within, g->instant.n));
        else
            s_put(b, "<td>—</td><td>—</td>");
        if (g->rated)
            s_put(b, "<td>%.2f</td></tr>\n", (double)g->rating_sum / (double)g->rated);
        else
            s_put(b, "<td>—</td></tr>\n");
    }
    s_put(b, "</tbody></table>\n");
}

/* A numbered section heading; without data the section says so and ends there.
 * Returns whether the section goes on. */
static int s_section_head(s_buf_t *b, const report_input_t *in, int no, const char *title,
                          int has_data)
{
    s_put(b, "<h2>%d. ", no);
    s_esc(b, title);
    s_put(b, "</h2>\n");
    if (!has_data)
        s_put(b, "<p>%s</p>", T("无数据。", "No data."));
    return has_data;
}

static void s_section_hours(s_buf_t *b, const report_input_t *in, int no)
{
    const report_groups_t *gs = &in->by_hour;
    if (!s_section_head(b, in, no,
                        T("各时段取号量与等候时间", "Arrivals and waiting by hour of day"),
                        gs->n > 0))
        return;
    s_series_t s;
    if (s_series_new(&s, gs->n) == 0) {
        for (size_t i = 0; i < gs->n; i++) {
            s_key_label(in, STATS_BY_HOUR, &gs->g[i], s.labels[i], sizeof s.labels[i]);
            s.v[0][i] = (double)gs->g[i].issued;
            s.v[1][i] = s_min(gs->g[i].wait.mean_ms);
            s.v[2][i] = s_min(gs->g[i].wait.p90_ms);
        }
        s_chart_t c = {.aria = T("各时段取号量", "Tickets issued by hour"),
                       .n = gs->n,
                       .labels = s.label_ptrs,
                       .nseries = 1,
                       .values = {s.v[0]},
                       .names = {T("取号量", "tickets issued")},
                       .colors = {S_GREY},
                       .target = -1,
                       .unit = T("件", "tickets")};
        s_bar_chart(b, &c);
        s_chart_t w = {.aria = T("各时段等候时间", "Waiting time by hour"),
                       .n = gs->n,
                       .labels = s.label_ptrs,
                       .nseries = 2,
                       .values = {s.v[1], s.v[2]},
                       .names = {T("平均等候", "mean wait"), T("P90 等候", "90th percentile wait")},
                       .colors = {S_BLUE, S_ORANGE},
                       .target = -1,
                       .unit = T("分钟", "minutes"),
                       .decimals = 1};
        s_bar_chart(b, &w);
    }
    s_series_free(&s);
    s_group_table(b, in, STATS_BY_HOUR, gs, T("时段", "Hour"));
}

static void s_target_label(const report_input_t *in, char *out, size_t n)
{
    snprintf(out, n, T("目标 %g 分钟", "target %g min"), s_min((double)in->target_ms));
}

static void s_section_handling(s_buf_t *b, const report_input_t *in, int no, stats_by_t by,
                               const report_groups_t *gs, const char *title, const char *key_head)
{
    if (!s_section_head(b, in, no, title, gs->n > 0))
        return;
    char tl[64];
    s_target_label(in, tl, sizeof tl);
    s_series_t s;
    size_t n = 0;
    if (s_series_new(&s, gs->n) == 0) {
        for (size_t i = 0; i < gs->n; i++) {
            if (gs->g[i].none)
                continue; /* tickets never called have no window or clerk */
            s_key_label(in, by, &gs->g[i], s.labels[n], sizeof s.labels[n]);
            s.v[0][n] = s_min(gs->g[i].instant.mean_ms);
            s.v[1][n] = s_min(gs->g[i].handling.mean_ms);
            n++;
        }
        s_chart_t c = {.aria = title,
                       .n = n,
                       .labels = s.label_ptrs,
                       .nseries = 2,
                       .values = {s.v[0], s.v[1]},
                       .names = {T("即时办件平均办理", "instant items, mean handling"),
                                 T("全部事项平均办理", "all items, mean handling")},
                       .colors = {S_BLUE, S_GREY},
                       .target = s_min((double)in->target_ms),
                       .target_label = tl,
                       .unit = T("分钟", "minutes"),
                       .flag_above = 1,
                       .decimals = 1};
        s_bar_chart(b, &c);
    }
    s_series_free(&s);
    s_put(b, "<p class=\"note\">%s</p>\n",
          T("红色虚线为即时办件平均办理时长的目标；高于目标的柱子标为红色。",
            "The dashed red line is the target for the mean handling time of instant items; "
            "bars above it are red."));
    /* Long tables (many windows or clerks) fold away under the chart. */
    if (gs->n > 40)
        s_put(b, "<details><summary>%s (%zu)</summary>\n", T("明细", "Details"), gs->n);
    s_group_table(b, in, by, gs, key_head);
    if (gs->n > 40)
        s_put(b, "</details>\n");
}

static void s_section_lane(s_buf_t *b, const report_input_t *in, int no)
{
    const report_groups_t *gs = &in->by_lane;
    if (!s_section_head(b, in, no,
                        T("老年人绿色通道与普通取号", "Elderly green lane and normal tickets"),
                        gs->n > 0))
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
    const char *labels[3] = {T("平均等候", "mean wait"), T("中位数", "median wait"),
                             T("P90 等候", "90th percentile")};
    double vn[3] = {s_min(normal->wait.mean_ms), s_min(normal->wait.median_ms),
                    s_min(normal->wait.p90_ms)};
    double vg[3] = {s_min(green->wait.mean_ms), s_min(green->wait.median_ms),
                    s_min(green->wait.p90_ms)};
    s_chart_t c = {.aria = T("绿色通道与普通等候时间对比", "Waiting time, green lane and normal"),
                   .n = 3,
                   .labels = labels,
                   .nseries = 2,
                   .values = {vn, vg},
                   .names = {T("普通", "normal"), T("绿色通道", "green lane")},
                   .colors = {S_BLUE, S_GREEN},
                   .target = -1,
                   .unit = T("分钟", "minutes"),
                   .decimals = 1};
    s_bar_chart(b, &c);
    char ng[32], nt[32];
    s_count(green->issued, ng);
    s_count(in->total->issued, nt);
    s_put(b, "<p>");
    if (in->lang_en)
        s_put(b,
              "Green-lane tickets were %.1f%% of all tickets (%s of %s); they waited "
              "%.1f minutes on average, normal tickets %.1f minutes.",
              s_pct(green->issued, in->total->issued), ng, nt, s_min(green->wait.mean_ms),
              s_min(normal->wait.mean_ms));
    else
        s_put(b,
              "绿色通道取号 %s 件，占全部取号 %s 件的 %.1f%%；平均等候 %.1f 分钟，"
              "普通取号平均等候 %.1f 分钟。",
              ng, nt, s_pct(green->issued, in->total->issued), s_min(green->wait.mean_ms),
              s_min(normal->wait.mean_ms));
    s_put(b, "</p>\n");
    s_group_table(b, in, STATS_BY_LANE, gs, T("类别", "Lane"));
}

static void s_section_days(s_buf_t *b, const report_input_t *in, int no)
{
    const report_groups_t *gs = &in->by_day;
    if (!s_section_head(b, in, no, T("每日趋势", "Day by day"), gs->n > 0))
        return;
    char tl[64];
    s_target_label(in, tl, sizeof tl);
    s_series_t s;
    if (s_series_new(&s, gs->n) == 0) {
        for (size_t i = 0; i < gs->n; i++) {
            s_key_label(in, STATS_BY_DAY, &gs->g[i], s.labels[i], sizeof s.labels[i]);
            s.v[0][i] = s_min(gs->g[i].wait.mean_ms);
            s.v[1][i] = s_min(gs->g[i].instant.mean_ms);
        }
        s_chart_t c = {.aria = T("每日平均等候与即时办件平均办理时长",
                                 "Daily mean wait and mean handling of instant items"),
                       .n = gs->n,
                       .labels = s.label_ptrs,
                       .nseries = 2,
                       .values = {s.v[0], s.v[1]},
                       .names = {T("平均等候", "mean wait"),
                                 T("即时办件平均办理", "instant items, mean handling")},
                       .colors = {S_BLUE, S_ORANGE},
                       .target = s_min((double)in->target_ms),
                       .target_label = tl,
                       .unit = T("分钟", "minutes"),
                       .decimals = 1};
        if (gs->n > 1)
            s_line_chart(b, &c);
        else
            s_bar_chart(b, &c);
    }
    s_series_free(&s);
    s_put(b, "<details%s><summary>%s</summary>\n", gs->n <= 31 ? " open" : "",
          T("每日明细", "Each day"));
    s_group_table(b, in, STATS_BY_DAY, gs, T("日期", "Day"));
    s_put(b, "</details>\n");
}

static void s_section_staffing(s_buf_t *b, const report_input_t *in, int no)
{
    static const char *const zh[7] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
    static const char *const en[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
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
    if (!s_section_head(b, in, no, T("窗口配置建议", "Staffing advice"), last >= 0))
        return;
    if (in->lang_en)
        s_put(b,
              "<p>Windows to open in each hour of the week so that the mean wait stays under "
              "%g minutes (Erlang C, from the arrivals per hour and the time a window spends "
              "on a ticket). In brackets: windows actually busy on average.</p>\n",
              s_min(in->target_wait_ms));
    else
        s_put(b,
              "<p>按一周各时段的到达量和每件占用窗口时间，用 Erlang C 公式计算使平均等候不超过 "
              "%g 分钟所需的窗口数；括号内为实际平均开放窗口数。</p>\n",
              s_min(in->target_wait_ms));
    s_put(b, "<table class=\"heat\"><thead><tr><th class=\"t\"></th>");
    for (int h = first; h <= last; h++)
        s_put(b, "<th>%02d</th>", h);
    s_put(b, "</tr></thead><tbody>\n");
    for (int d = 0; d < 7; d++) {
        int any = 0;
        for (int h = first; h <= last; h++)
            any |= st[d * 24 + h].arrivals > 0;
        if (!any)
            continue;
        s_put(b, "<tr><th class=\"t\">%s</th>", in->lang_en ? en[d] : zh[d]);
        for (int h = first; h <= last; h++) {
            const stats_staff_t *x = &st[d * 24 + h];
            if (!x->arrivals) {
                s_put(b, "<td></td>");
                continue;
            }
            double f = x->windows_needed > 0 ? (double)x->windows_needed / max : 1;
            int light = 245 - (int)(f * 120);
            s_put(b, "<td style=\"background:rgb(%d,%d,255)\" title=\"", light,
                  light + 5 > 255 ? 255 : light + 5);
            if (in->lang_en)
                s_put(b, "%.1f arrivals/h, %.1f min a ticket, observed wait %.1f min",
                      x->rate_per_hour, s_min(x->service_ms), s_min(x->observed_wait_ms));
            else
                s_put(b, "每小时到达 %.1f 人，每件 %.1f 分钟，实际平均等候 %.1f 分钟",
                      x->rate_per_hour, s_min(x->service_ms), s_min(x->observed_wait_ms));
            if (x->windows_needed > 0)
                s_put(b, "\">%d <span class=\"note\">(%.0f)</span></td>", x->windows_needed,
                      x->windows_seen);
            else
                s_put(b, "\">&gt; <span class=\"note\">(%.0f)</span></td>", x->windows_seen);
        }
        s_put(b, "</tr>\n");
    }
    s_put(b, "</tbody></table>\n<p class=\"note\">%s</p>\n",
          T("每小时的队列按稳态估算；高峰后积压的排队会延续到下一时段，实际等候可能高于公式值。"
            "详细数字见 hallqctl stats staffing。",
            "Each hour is taken as a steady state; a queue built up in a peak carries into the "
            "next hour, so real waits can exceed the formula's. Details: hallqctl stats "
            "staffing."));
}

char *report_html(const report_input_t *in)
{
    s_buf_t b = {0};
    const char *hall =
        in->hall_name && in->hall_name[0] ? in->hall_name : T("医保服务大厅", "Service hall");
    s_put(&b,
          "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          "<title>",
          in->lang_en ? "en" : "zh-CN");
    s_esc(&b, hall);
    s_put(&b, " %s</title><style>%s</style></head>\n<body><main>\n<h1>",
          T("办件统计报告", "service report"), s_css);
    s_esc(&b, hall);
    s_put(&b, " %s</h1>\n<p class=\"sub\">%s ", T("办件统计报告", "service report"),
          T("统计期间", "Period"));
    s_esc(&b, in->from);
    s_put(&b, " %s ", T("至", "to"));
    s_esc(&b, in->to);
    s_put(&b, " · %s ", T("生成时间", "made"));
    s_esc(&b, in->generated);
    s_put(&b, "</p>\n");
    s_headline(&b, in);
    int no = 1;
    s_section_hours(&b, in, no++);
    s_section_handling(&b, in, no++, STATS_BY_QUEUE, &in->by_queue,
                       T("各业务队列办理时长", "Handling time by queue"), T("队列", "Queue"));
    s_section_handling(&b, in, no++, STATS_BY_COUNTER, &in->by_counter,
                       T("各窗口办理时长", "Handling time by window"), T("窗口", "Window"));
    s_section_handling(&b, in, no++, STATS_BY_CLERK, &in->by_clerk,
                       T("各经办人办理时长", "Handling time by clerk"), T("经办人", "Clerk"));
    s_section_lane(&b, in, no++);
    s_section_days(&b, in, no++);
    if (in->staffing)
        s_section_staffing(&b, in, no++);
    s_put(&b, "<h2>%s</h2>\n<p class=\"note\">", T("统计口径", "Definitions"));
    if (in->lang_en)
        s_put(&b,
              "Wait: from issuing the ticket to its first call. Handling: from \"start\" "
              "(or the call when start was not pressed) to \"finish\", less the time the "
              "ticket was parked. Instant items: services the catalog marks as handled on "
              "the spot (即时办结); the %g-minute rule applies to their mean. Medians and "
              "90th percentiles interpolate between ranks like a spreadsheet's MEDIAN and "
              "PERCENTILE. Satisfied: ratings 4 and 5. Source: the hall's hallq database, "
              "read without interrupting the service.",
              s_min((double)in->target_ms));
    else
        s_put(&b,
              "等候时间：取号至首次叫号。"
              "办理时长：开始办理（未按“开始”时为叫号）至办结，扣除挂起时间。"
              "即时办件：事项目录中标为“即时办结”的事项，"
              "“平均不超过 %g 分钟”按其平均值考核。"
              "中位数与 P90 按名次线性插值，与电子表格 MEDIAN、PERCENTILE 函数一致。"
              "满意：评价为“满意”或“非常满意”。"
              "数据来源：大厅叫号系统数据库（只读，不影响业务）。",
              s_min((double)in->target_ms));
    s_put(&b, "</p>\n</main></body></html>\n");
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
