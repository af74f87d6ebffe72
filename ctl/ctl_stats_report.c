/* `hallqctl stats report`: the period's groups and staffing into one HTML page. */
#include "ctl_stats_verbs.h"

#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The groupings the page shows, in report_input_t's order; the first is the total. */
static const stats_by_t s_bys[] = {STATS_BY_ALL,     STATS_BY_DAY,   STATS_BY_HOUR, STATS_BY_QUEUE,
                                   STATS_BY_COUNTER, STATS_BY_CLERK, STATS_BY_LANE};
enum { S_NBY = sizeof s_bys / sizeof s_bys[0] };

typedef struct {
    stats_group_t *g[S_NBY];
    size_t n[S_NBY];
    stats_staff_t *staff;
} s_figures_t;

static int s_figures(const ctl_stats_opts_t *o, const stats_hist_t *h, s_figures_t *f)
{
    memset(f, 0, sizeof *f);
    f->staff = malloc(STATS_WEEK_SLOTS * sizeof *f->staff);
    if (!f->staff)
        return -1;
    for (int i = 0; i < S_NBY; i++)
        if (stats_group(h, s_bys[i], &f->g[i], &f->n[i]) != 0)
            return -1;
    return stats_staffing(h, o->target_wait_min * 60000, o->max_windows, f->staff);
}

static void s_figures_free(s_figures_t *f)
{
    for (int i = 0; i < S_NBY; i++)
        free(f->g[i]);
    free(f->staff);
}

static char *s_page(const ctl_stats_opts_t *o, const hallq_config_t *cfg, const stats_hist_t *h,
                    const s_figures_t *f)
{
    static const stats_group_t empty;
    char first[HQ_DATE_TEXT_MAX], last[HQ_DATE_TEXT_MAX], generated[32];
    stats_hist_days(h, first, last);
    ctl_local_time((int64_t)time(NULL) * 1000, "%Y-%m-%d %H:%M", generated, sizeof generated);
    report_input_t in;
    memset(&in, 0, sizeof in);
    in.lang = o->lang;
    in.hall_name = cfg->hall_name;
    in.from = o->from ? o->from : first[0] ? first : "—";
    in.to = o->to ? o->to : last[0] ? last : "—";
    in.generated = generated;
    in.target_ms = stats_hist_target_ms(h);
    in.total = f->n[0] ? &f->g[0][0] : &empty;
    report_groups_t *dst[S_NBY] = {NULL,           &in.by_day,   &in.by_hour, &in.by_queue,
                                   &in.by_counter, &in.by_clerk, &in.by_lane};
    for (int i = 1; i < S_NBY; i++) {
        dst[i]->g = f->g[i];
        dst[i]->n = f->n[i];
    }
    for (int i = 0; i < cfg->nqueues; i++)
        if (cfg->queues[i].prefix >= 'A' && cfg->queues[i].prefix <= 'Z')
            in.queue_names[cfg->queues[i].prefix - 'A'] = cfg->queues[i].name;
    in.staffing = f->staff;
    in.target_wait_ms = o->target_wait_min * 60000;
    return report_html(&in);
}

int ctl_stats_report(const ctl_stats_opts_t *o, const hallq_config_t *cfg, stats_db_t *db)
{
    if (!o->out)
        return ctl_stats_usage_error("report needs --out FILE.html");
    if (o->format >= 0 || o->bom || o->encoding || o->records)
        return ctl_stats_usage_error("report writes HTML; it takes --from, --to, --out, --lang, "
                                     "--target-wait");
    stats_hist_t *h = ctl_stats_load(o, db);
    if (!h)
        return CTL_STATS_FAILED;
    s_figures_t f;
    char *html = s_figures(o, h, &f) == 0 ? s_page(o, cfg, h, &f) : NULL;
    int rc = CTL_STATS_FAILED;
    ctl_out_t out;
    if (!html)
        fprintf(stderr, "hallqctl stats: out of memory building the report of %zu tickets\n",
                stats_hist_count(h));
    else if (ctl_out_open(&out, o->out, NULL, o->lang) == 0) {
        ctl_out_printf(&out, "%s", html);
        rc = ctl_out_close(&out) == 0 ? CTL_STATS_OK : CTL_STATS_FAILED;
        if (rc == CTL_STATS_OK && strcmp(o->out, "-") != 0)
            printf("%s\n", o->out);
    }
    free(html);
    s_figures_free(&f);
    stats_hist_destroy(&h);
    return rc;
}
