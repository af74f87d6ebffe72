/* `hallqctl stats --central`: the city's figures, hall by hall, from the central store. The
 * tickets go into the same histories as a hall's own (stats_central.h), so every figure is
 * the one the hall's own statistics give; this file groups the halls and ranks them. */
#include "ctl_stats_verbs.h"

#include "hq_proto.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The key a hall falls under when grouped by hall, level or town. */
static const char *s_key(int by, const stats_hall_t *h)
{
    if (by == STATS_BY_LEVEL)
        return h->level;
    if (by == STATS_BY_PARENT)
        return h->parent[0] ? h->parent : h->id;
    return h->id;
}

typedef struct {
    stats_hist_t *h;
    char why[512];
} s_add_t;

static int s_add(const stats_record_t *r, void *arg)
{
    s_add_t *a = arg;
    if (stats_hist_add(a->h, &r->t) == -1)
        return hq_fail(a->why, sizeof a->why, "out of memory after %zu tickets",
                       stats_hist_count(a->h));
    return 0;
}

/* The tickets of the halls whose key is `key`, or of every hall when key is NULL. */
static stats_hist_t *s_load(const ctl_stats_opts_t *o, const hallq_config_t *cfg,
                            const stats_hall_t *halls, size_t n, int by, const char *key)
{
    s_add_t a = {stats_hist_new((int64_t)cfg->handling_target_min * 60000), ""};
    if (!a.h) {
        fprintf(stderr, "hallqctl stats: out of memory\n");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (key && strcmp(s_key(by, &halls[i]), key) != 0)
            continue;
        if (stats_central_records(o->city, halls[i].id, o->from, o->to, o->count_by, s_add, &a,
                                  a.why, sizeof a.why) != 0) {
            fprintf(stderr, "hallqctl stats: %s\n", a.why);
            stats_hist_destroy(&a.h);
            return NULL;
        }
    }
    return a.h;
}

static int s_halls(const ctl_stats_opts_t *o, stats_hall_t **halls, size_t *n)
{
    char why[512];
    if (stats_central_halls(o->city, halls, n, why, sizeof why) == 0)
        return 0;
    fprintf(stderr, "hallqctl stats: %s\n", why);
    return -1;
}

stats_hist_t *ctl_stats_city_load(const ctl_stats_opts_t *o)
{
    stats_hall_t *halls;
    size_t n;
    if (s_halls(o, &halls, &n) != 0)
        return NULL;
    stats_hist_t *h = s_load(o, o->label, halls, n, STATS_BY_HALL, NULL);
    free(halls);
    return h;
}

static int s_cmp_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The name of group `key`: the hall's, or the town's when the store knows it. */
static const char *s_key_name(int by, const char *key, const stats_hall_t *halls, size_t n)
{
    if (by == STATS_BY_LEVEL)
        return "";
    for (size_t i = 0; i < n; i++)
        if (strcmp(halls[i].id, key) == 0)
            return halls[i].name;
    return "";
}

int ctl_stats_city_groups(const ctl_stats_opts_t *o, const hallq_config_t *cfg,
                          stats_group_t **groups, char ***names, size_t *n)
{
    *groups = NULL;
    *names = NULL;
    *n = 0;
    stats_hall_t *halls;
    size_t nh;
    if (s_halls(o, &halls, &nh) != 0)
        return -1;
    /* The keys, each once, in order: ids and towns ascending, town before village. */
    const char **keys = malloc((nh ? nh : 1) * sizeof *keys);
    size_t nk = 0;
    if (!keys)
        goto oom;
    for (size_t i = 0; i < nh; i++) {
        const char *k = s_key(o->by, &halls[i]);
        size_t j = 0;
        while (j < nk && strcmp(keys[j], k) != 0)
            j++;
        if (j == nk)
            keys[nk++] = k;
    }
    qsort(keys, nk, sizeof *keys, s_cmp_text); /* "town" < "village" too */
    *groups = calloc(nk ? nk : 1, sizeof **groups);
    *names = calloc(nk ? nk : 1, sizeof **names);
    if (!*groups || !*names)
        goto oom;
    for (size_t k = 0; k < nk; k++) {
        stats_hist_t *h = s_load(o, cfg, halls, nh, o->by, keys[k]);
        stats_group_t *one = NULL;
        size_t none = 0;
        if (!h)
            goto fail;
        int rc = stats_group(h, STATS_BY_ALL, &one, &none);
        stats_hist_destroy(&h);
        if (rc != 0)
            goto oom;
        /* A hall that shipped nothing in the period is a row of zeros, not a missing row. */
        stats_group_t *g = &(*groups)[k];
        if (none)
            *g = one[0];
        free(one);
        hq_strlcpy(g->key, keys[k], sizeof g->key);
        (*names)[k] = strdup(s_key_name(o->by, keys[k], halls, nh));
        *n = k + 1;
        if (!(*names)[k])
            goto oom;
    }
    free(keys);
    free(halls);
    return 0;
oom:
    fprintf(stderr, "hallqctl stats: out of memory grouping the city's halls\n");
fail:
    for (size_t i = 0; *names && i < *n; i++)
        free((*names)[i]);
    free(*names);
    free(*groups);
    *names = NULL;
    *groups = NULL;
    *n = 0;
    free(keys);
    free(halls);
    return -1;
}

/* ---- the city report ------------------------------------------------------------------ */

/* One hall's figures for the page. */
typedef struct {
    stats_group_t *total, *by_day, *by_queue, *by_lane;
    size_t ntotal, nday, nqueue, nlane;
} s_hall_figures_t;

static int s_hall_figures(const ctl_stats_opts_t *o, const stats_hall_t *hall, s_hall_figures_t *f,
                          report_hall_t *r)
{
    char why[512];
    stats_hist_t *h =
        stats_central_load(o->city, hall->id, o->from, o->to, o->count_by, why, sizeof why);
    if (!h) {
        fprintf(stderr, "hallqctl stats: %s\n", why);
        return -1;
    }
    r->target_ms = stats_hist_target_ms(h);
    int rc = stats_group(h, STATS_BY_ALL, &f->total, &f->ntotal) != 0 ||
                     stats_group(h, STATS_BY_DAY, &f->by_day, &f->nday) != 0 ||
                     stats_group(h, STATS_BY_QUEUE, &f->by_queue, &f->nqueue) != 0 ||
                     stats_group(h, STATS_BY_LANE, &f->by_lane, &f->nlane) != 0
                 ? -1
                 : 0;
    stats_hist_destroy(&h);
    if (rc != 0) {
        fprintf(stderr, "hallqctl stats: out of memory grouping hall %s\n", hall->id);
        return -1;
    }
    int rollups;
    if (stats_central_waits_within(o->city, hall, o->from, o->to, &r->waits_called,
                                   &r->waits_within, &rollups, why, sizeof why) != 0) {
        fprintf(stderr, "hallqctl stats: %s\n", why);
        return -1;
    }
    static const stats_group_t empty;
    r->id = hall->id;
    r->name = hall->name;
    r->town = strcmp(hall->level, "town") == 0;
    r->parent = hall->parent;
    r->total = f->ntotal ? f->total : &empty;
    r->by_day = (report_groups_t){f->by_day, f->nday};
    r->by_queue = (report_groups_t){f->by_queue, f->nqueue};
    r->by_lane = (report_groups_t){f->by_lane, f->nlane};
    return 0;
}

int ctl_stats_city_report(const ctl_stats_opts_t *o, const hallq_config_t *cfg)
{
    if (!o->out)
        return ctl_stats_usage_error("report needs --out FILE.html");
    if (o->format >= 0 || o->bom || o->encoding || o->records)
        return ctl_stats_usage_error("report writes HTML; it takes --from, --to, --out, --lang, "
                                     "--central, --hall, --config");
    stats_hall_t *halls;
    size_t n;
    if (s_halls(o, &halls, &n) != 0)
        return CTL_STATS_FAILED;
    int rc = CTL_STATS_FAILED;
    s_hall_figures_t *f = calloc(n ? n : 1, sizeof *f);
    report_hall_t *rh = calloc(n ? n : 1, sizeof *rh);
    stats_hist_t *all = NULL;
    stats_group_t *total = NULL;
    size_t ntotal = 0;
    char *html = NULL;
    if (!f || !rh) {
        fprintf(stderr, "hallqctl stats: out of memory\n");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (s_hall_figures(o, &halls[i], &f[i], &rh[i]) != 0)
            goto done;
    all = s_load(o, cfg, halls, n, STATS_BY_HALL, NULL);
    if (!all || stats_group(all, STATS_BY_ALL, &total, &ntotal) != 0)
        goto done;
    char first[HQ_DATE_TEXT_MAX], last[HQ_DATE_TEXT_MAX], generated[32];
    stats_hist_days(all, first, last);
    ctl_local_time((int64_t)time(NULL) * 1000, "%Y-%m-%d %H:%M", generated, sizeof generated);
    static const stats_group_t empty;
    report_city_t city;
    memset(&city, 0, sizeof city);
    city.lang = o->lang;
    city.from = o->from ? o->from : first[0] ? first : "—";
    city.to = o->to ? o->to : last[0] ? last : "—";
    city.generated = generated;
    city.target_ms = (int64_t)cfg->handling_target_min * 60000;
    city.total = ntotal ? total : &empty;
    city.halls = rh;
    city.n = n;
    for (int i = 0; i < cfg->nqueues; i++)
        if (cfg->queues[i].prefix >= 'A' && cfg->queues[i].prefix <= 'Z')
            city.queue_names[cfg->queues[i].prefix - 'A'] = cfg->queues[i].name;
    html = report_city_html(&city);
    if (!html) {
        fprintf(stderr, "hallqctl stats: out of memory building the city report\n");
        goto done;
    }
    ctl_out_t out;
    if (ctl_out_open(&out, o->out, NULL, o->lang) == 0) {
        ctl_out_printf(&out, "%s", html);
        rc = ctl_out_close(&out) == 0 ? CTL_STATS_OK : CTL_STATS_FAILED;
        if (rc == CTL_STATS_OK && strcmp(o->out, "-") != 0)
            printf("%s\n", o->out);
    }
done:
    free(html);
    free(total);
    stats_hist_destroy(&all);
    for (size_t i = 0; f && i < n; i++) {
        free(f[i].total);
        free(f[i].by_day);
        free(f[i].by_queue);
        free(f[i].by_lane);
    }
    free(f);
    free(rh);
    free(halls);
    return rc;
}
