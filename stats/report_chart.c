#include "report_chart.h"

#include <math.h>
#include <string.h>

void report_esc(hq_buf_t *b, const char *text)
{
    hq_buf_append_html(b, text);
}

/* Chart box: the right margin holds the target line's label, clear of the bars. */
enum { S_W = 960, S_H = 320, S_ML = 64, S_MR = 104, S_MT = 40, S_MB = 64 };

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

static void s_chart_open(hq_buf_t *b, const report_chart_t *c, double *top, double *step)
{
    double max = c->target > 0 ? c->target * 1.1 : 0;
    for (int s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->n; i++)
            if (c->values[s][i] > max)
                max = c->values[s][i];
    s_scale(max * 1.05, top, step);
    hq_buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", S_W,
                  S_H);
    report_esc(b, c->aria);
    hq_buf_printf(b, "\" xmlns=\"http://www.w3.org/2000/svg\"><title>");
    report_esc(b, c->aria);
    hq_buf_printf(b, "</title>");
    /* Grid and y labels. */
    int ph = S_H - S_MT - S_MB;
    for (double v = 0; v <= *top + *step / 2; v += *step) {
        double y = S_MT + ph - v / *top * ph;
        hq_buf_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>", S_ML,
                      y, S_W - S_MR, y);
        hq_buf_printf(b, "<text x=\"%d\" y=\"%.1f\" class=\"ylab\">%g</text>", S_ML - 6, y + 4,
                      round(v * 1000) / 1000);
    }
    hq_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"unit\">", S_ML - 6, S_MT - 14);
    report_esc(b, c->unit);
    hq_buf_printf(b, "</text>");
    /* Legend, top right. */
    int lx = S_W - 24;
    for (int s = c->nseries - 1; s >= 0; s--) {
        int w = 16 + s_text_px(c->names[s]) + 18;
        lx -= w;
        hq_buf_printf(b, "<rect x=\"%d\" y=\"8\" width=\"12\" height=\"12\" fill=\"%s\"/>", lx,
                      c->colors[s]);
        hq_buf_printf(b, "<text x=\"%d\" y=\"19\" class=\"legend\">", lx + 16);
        report_esc(b, c->names[s]);
        hq_buf_printf(b, "</text>");
    }
}

static void report_chart_target(hq_buf_t *b, const report_chart_t *c, double top)
{
    if (c->target < 0)
        return;
    int ph = S_H - S_MT - S_MB;
    double y = S_MT + ph - c->target / top * ph;
    hq_buf_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"target\"/>", S_ML,
                  y, S_W - S_MR, y);
    hq_buf_printf(b, "<text x=\"%d\" y=\"%.1f\" class=\"tlab\">", S_W - S_MR + 6, y + 4);
    report_esc(b, c->target_label);
    hq_buf_printf(b, "</text>");
}

static void s_xlabel(hq_buf_t *b, double x, const char *label, int rotate)
{
    int y = S_H - S_MB + 18;
    if (rotate)
        hq_buf_printf(b,
                      "<text x=\"%.1f\" y=\"%d\" class=\"xlab\" transform=\"rotate(-40 %.1f %d)\" "
                      "text-anchor=\"end\">",
                      x, y, x, y);
    else
        hq_buf_printf(b, "<text x=\"%.1f\" y=\"%d\" class=\"xlab\">", x, y);
    report_esc(b, label);
    hq_buf_printf(b, "</text>");
}

void report_bar_chart(hq_buf_t *b, const report_chart_t *c)
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
                fill = REPORT_ALARM;
            hq_buf_printf(
                b,
                "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "fill=\"%s\"><title>",
                x, y, bw * 0.94, h, fill);
            report_esc(b, c->labels[i]);
            hq_buf_printf(b, " · ");
            report_esc(b, c->names[s]);
            hq_buf_printf(b, ": %.*f</title></rect>", c->decimals, v);
            if (show_values && v > 0)
                hq_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"val\">%.*f</text>",
                              x + bw * 0.47, y - 4, c->decimals, v);
        }
        /* A hall with hundreds of windows: every k-th name, so they stay legible. */
        if (i % every == 0)
            s_xlabel(b, S_ML + gw * (double)i + gw / 2, c->labels[i], c->n > 14);
    }
    report_chart_target(b, c, top);
    hq_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/></svg>\n", S_ML,
                  S_MT + ph, S_W - S_MR, S_MT + ph);
}

void report_line_chart(hq_buf_t *b, const report_chart_t *c)
{
    double top, step;
    s_chart_open(b, c, &top, &step);
    int pw = S_W - S_ML - S_MR, ph = S_H - S_MT - S_MB;
    double dx = c->n > 1 ? (double)pw / (double)(c->n - 1) : 0;
    for (int s = 0; s < c->nseries; s++) {
        hq_buf_printf(b, "<polyline class=\"line\" stroke=\"%s\" points=\"", c->colors[s]);
        for (size_t i = 0; i < c->n; i++)
            hq_buf_printf(b, "%.1f,%.1f ", S_ML + dx * (double)i + (c->n > 1 ? 0 : pw / 2.0),
                          S_MT + ph - c->values[s][i] / top * ph);
        hq_buf_printf(b, "\"/>");
        if (c->n <= 62)
            for (size_t i = 0; i < c->n; i++)
                hq_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                              S_ML + dx * (double)i + (c->n > 1 ? 0 : pw / 2.0),
                              S_MT + ph - c->values[s][i] / top * ph, c->colors[s]);
    }
    /* About eight dates along the axis. */
    size_t every = c->n > 8 ? (c->n + 7) / 8 : 1;
    for (size_t i = 0; i < c->n; i += every)
        s_xlabel(b, S_ML + dx * (double)i + (c->n > 1 ? 0 : pw / 2.0), c->labels[i], 0);
    report_chart_target(b, c, top);
    hq_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/></svg>\n", S_ML,
                  S_MT + ph, S_W - S_MR, S_MT + ph);
}
