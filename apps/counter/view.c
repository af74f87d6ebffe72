/* view: see view.h; the screen's frame, the ticket at the window and the figures (the lists
 * to choose from: view_lists.c). */
#include "view_internal.h"

#include "canvas.h"
#include "hq_text.h"
#include "ui_curses.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_WIDE_COLS 120 /* from this width the queues and figures get their own column */
#define S_SIDE_COLS 44  /* width of that column */
#define S_SEP "   "     /* between fields on one line */

/* When a canvas had more rows than room, its last visible row says how many are hidden. */
static void s_overflow(hqc_canvas_t *cv, const hqc_vctx_t *ctx)
{
    if (cv->n <= cv->limit || cv->limit <= 0)
        return;
    int row = cv->limit - 1;
    hqc_view_clear_span(cv->v, cv->top + row, cv->x, cv->width);
    hqc_canvas_hit(cv, row, 0, cv->width, -1); /* what was there no longer answers */
    hqc_canvas_putf(cv, row, 2, HQC_R_DIM, HQC_VTR(ctx, HQC_M_MORE_LINES), cv->n - cv->limit + 1);
}

void hqc_view_clock(int64_t wall_ms, char *out, size_t n)
{
    time_t t = (time_t)(wall_ms / 1000);
    struct tm tm;
    if (wall_ms <= 0 || !localtime_r(&t, &tm)) {
        snprintf(out, n, "--:--:--");
        return;
    }
    strftime(out, n, "%H:%M:%S", &tm);
}

static const char *s_state_text(const hqc_vctx_t *ctx, hq_counter_state_t st)
{
    static const hqc_msg_t ids[HQ_C_COUNT_] = {HQC_M_ST_CLOSED, HQC_M_ST_IDLE, HQC_M_ST_CALLING,
                                               HQC_M_ST_SERVING, HQC_M_ST_PAUSED};
    return (st >= 0 && st < HQ_C_COUNT_) ? HQC_VTR(ctx, ids[st]) : HQC_VTR(ctx, HQC_M_ST_UNKNOWN);
}

const char *hqc_view_queue_name(const hqc_vctx_t *ctx, char prefix)
{
    const hq_mirror_queue_t *q = hq_mirror_queue(ctx->m, prefix);
    return q ? q->name : "";
}

/* Handling so far: from start (or the call, when start was not pressed), parks left out. */
static int64_t s_handling_ms(const hq_ticket_t *t, int64_t wall)
{
    int64_t from = t->started_ms ? t->started_ms : t->last_called_ms;
    if (!from)
        return 0;
    int64_t ms = wall - from - t->park_total_ms;
    return ms > 0 ? ms : 0;
}

/* Colour of a handling time against the target: a warning from 80 %, an alert past it. */
static hqc_role_t s_timer_role(int64_t ms, int64_t target)
{
    if (target <= 0)
        return HQC_R_TEXT;
    if (ms >= target)
        return HQC_R_ALERT;
    if (ms * 5 >= target * 4)
        return HQC_R_WARN;
    return HQC_R_TEXT;
}

/* ---- header, banner, state ------------------------------------------------------------ */
static void s_header(hqc_vctx_t *ctx, int row)
{
    hqc_view_t *v = ctx->v;
    char left[160], right[320], clock[16];
    char window[64];
    snprintf(window, sizeof window, HQC_VTR(ctx, HQC_M_WINDOW), ctx->s->counter);
    snprintf(left, sizeof left, " %s  %s %s", window, HQC_VTR(ctx, HQC_M_CLERK), ctx->s->clerk);
    hqc_view_clock(ctx->wall, clock, sizeof clock);
    char mark[96];
    ui_sim_mark(ctx->m->sim_speed, ctx->lang, mark, sizeof mark);
    /* The hall's name goes first when space is short, then a simulated hall's mark. */
    snprintf(right, sizeof right, "%s%s%s  %s ", ctx->m->hall_name, mark[0] ? "  " : "", mark,
             clock);
    int rw = hq_text_width(right);
    if (rw > v->cols / 2) {
        snprintf(right, sizeof right, "%s%s%s ", mark, mark[0] ? "  " : "", clock);
        rw = hq_text_width(right);
    }
    if (rw > v->cols / 2) {
        snprintf(right, sizeof right, "%s ", clock);
        rw = hq_text_width(right);
    }
    int col = hqc_view_put(v, row, 0, v->cols - rw, HQC_R_TITLE, 1, left);
    hqc_view_put(v, row, col, rw, HQC_R_TITLE, 1, right);
}

/* The first queue alert raised for a queue this window serves (the mirror's, from the
 * snapshot and the events), in the clerk's words with what would help; 0 when none is. */
static int s_queue_alert(const hqc_vctx_t *ctx, char *out, size_t n)
{
    const hq_mirror_alert_t *a = hq_mirror_alert_for(ctx->m, ctx->s->counter);
    if (!a)
        return 0;
    hqc_msg_t advice = strcmp(a->advice, "open_window") == 0 ? HQC_M_ADVICE_OPEN
                       : strcmp(a->advice, "take_over") == 0 ? HQC_M_ADVICE_TAKE_OVER
                                                             : HQC_M_ADVICE_NONE;
    if (!a->handling) {
        snprintf(out, n, HQC_VTR(ctx, HQC_M_BANNER_QUEUE_WAIT), a->queue,
                 (int)(a->value_ms / 60000), (int)(a->target_ms / 60000), HQC_VTR(ctx, advice));
    } else {
        char avg[32];
        hq_text_duration(a->value_ms, avg, sizeof avg);
        snprintf(out, n, HQC_VTR(ctx, HQC_M_BANNER_QUEUE_HANDLING), a->queue, avg,
                 (int)(a->target_ms / 60000), HQC_VTR(ctx, advice));
    }
    return 1;
}

/* The banner, when the screen must say it is not showing live state that is this clerk's,
 * or, that being so, when the window's instant items average above the target (the daemon's
 * alert, for this window), else when a queue this window serves has an alert raised. Returns 0 and
 * leaves out empty when all is well; *key is the key a click on it stands for (-1 none), *role how
 * it is drawn. */
static int s_banner_text(const hqc_vctx_t *ctx, int stale, char *out, size_t n, int *key,
                         hqc_role_t *role)
{
    const hqc_session_t *s = ctx->s;
    out[0] = '\0';
    if (stale) {
        if (s->live_wall_ms > 0) {
            char clock[16];
            hqc_view_clock(s->live_wall_ms, clock, sizeof clock);
            snprintf(out, n, HQC_VTR(ctx, HQC_M_BANNER_OFFLINE), clock);
        } else {
            snprintf(out, n, HQC_VTR(ctx, HQC_M_BANNER_CONNECTING), s->endpoint);
        }
    } else if (s->state == HQC_S_PIN) {
        snprintf(out, n, HQC_VTR(ctx, HQC_M_BANNER_PIN), s->clerk, s->counter);
    } else if (s->state == HQC_S_LOGIN) {
        snprintf(out, n, HQC_VTR(ctx, HQC_M_BANNER_LOGIN), s->counter, s->clerk);
    } else if (s->logged_in && !ctx->f.mine) {
        if (ctx->c && ctx->c->clerk[0])
            snprintf(out, n, HQC_VTR(ctx, HQC_M_BANNER_TAKEN), ctx->c->clerk);
        else
            snprintf(out, n, "%s", HQC_VTR(ctx, HQC_M_BANNER_CLOSED));
        *key = hqc_key(HQC_A_LOGIN)->key;
    } else if (s->logged_in && hqc_session_alert(s, ctx->m)) {
        char avg[32];
        hq_text_duration(s->figures.avg_ms, avg, sizeof avg);
        snprintf(out, n, HQC_VTR(ctx, HQC_M_BANNER_ALERT), avg, (int)(ctx->target_ms / 60000));
        *role = HQC_R_ALERT;
    } else if (s->logged_in && s_queue_alert(ctx, out, n)) {
        *role = HQC_R_ALERT; /* this window's own alert first: it is the clerk's to act on */
    }
    return out[0] ? 1 : 0;
}

static void s_state_line(hqc_vctx_t *ctx, int row)
{
    hqc_view_t *v = ctx->v;
    const hq_counter_t *c = ctx->c;
    int col = hqc_view_put(v, row, 1, v->cols - 1, HQC_R_HEAD, 0, HQC_VTR(ctx, HQC_M_STATE));
    if ((ctx->s->state == HQC_S_LOGIN || ctx->s->state == HQC_S_PIN) && (!c || !ctx->f.mine)) {
        hqc_view_put(v, row, col, v->cols - col, HQC_R_WARN, 0,
                     HQC_VTR(ctx, ctx->s->state == HQC_S_PIN ? HQC_M_ST_PIN : HQC_M_ST_LOGIN));
        return;
    }
    if (!c) {
        hqc_view_put(v, row, col, v->cols - col, HQC_R_DIM, 0, HQC_VTR(ctx, HQC_M_ST_UNKNOWN));
        return;
    }
    hqc_role_t role = c->state == HQ_C_PAUSED   ? HQC_R_WARN
                      : c->state == HQ_C_CLOSED ? HQC_R_ALERT
                                                : HQC_R_STRONG;
    col = hqc_view_put(v, row, col, v->cols - col, role, 0, s_state_text(ctx, c->state));
    char buf[200], since[32];
    buf[0] = '\0';
    if (c->state == HQ_C_PAUSED && c->pause_reason[0])
        snprintf(buf, sizeof buf, "（%s）", c->pause_reason);
    else if ((c->state == HQ_C_CALLING || c->state == HQ_C_SERVING) && c->current_label[0])
        snprintf(buf, sizeof buf, "  %s", c->current_label);
    col = hqc_view_put(v, row, col, v->cols - col, role, 0, buf);
    if (c->since_ms > 0 && c->state != HQ_C_CLOSED) {
        hq_text_duration(ctx->wall - c->since_ms, since, sizeof since);
        snprintf(buf, sizeof buf, "  %s", since);
        col = hqc_view_put(v, row, col, v->cols - col, HQC_R_DIM, 0, buf);
    }
    /* Whether the citizen's rating can come from the window's tablet: said only once one is
     * paired, so a hall without tablets sees nothing of them. */
    if (c->tablet)
        hqc_view_put(v, row, col, v->cols - col, HQC_R_DIM, 0, HQC_VTR(ctx, HQC_M_TABLET_ON));
}

static void s_rule(hqc_view_t *v, int row, int x, int width)
{
    char dashes[HQC_VIEW_COLS_MAX + 1];
    if (width > HQC_VIEW_COLS_MAX)
        width = HQC_VIEW_COLS_MAX;
    memset(dashes, '-', (size_t)width);
    dashes[width] = '\0';
    hqc_view_put(v, row, x, width, HQC_R_RULE, 0, dashes);
}

/* ---- the ticket at the window -------------------------------------------------------- */
static void s_materials(hqc_canvas_t *cv, hqc_vctx_t *ctx, const hq_ticket_t *t)
{
    hqc_canvas_put(cv, hqc_canvas_row(cv), 1, HQC_R_HEAD, HQC_VTR(ctx, HQC_M_MATERIALS));
    if (t->service <= 0) {
        hqc_canvas_wrap(cv, 3, HQC_R_WARN, HQC_VTR(ctx, HQC_M_NO_SERVICE));
        return;
    }
    if (!ctx->s->catalog.loaded) {
        hqc_canvas_put(cv, hqc_canvas_row(cv), 3, HQC_R_DIM, HQC_VTR(ctx, HQC_M_CATALOG_LOADING));
        return;
    }
    const hqc_service_t *sv = hqc_catalog_service(&ctx->s->catalog, t->service);
    if (!sv) {
        hqc_canvas_putf(cv, hqc_canvas_row(cv), 3, HQC_R_WARN, HQC_VTR(ctx, HQC_M_SERVICE_UNKNOWN),
                        t->service);
        return;
    }
    for (int i = 0; i < sv->nmaterials; i++) {
        char num[16];
        snprintf(num, sizeof num, "%2d.", i + 1);
        int first = cv->n;
        hqc_canvas_wrap(cv, 7, HQC_R_TEXT, sv->materials[i]);
        hqc_canvas_put(cv, first, 3, HQC_R_STRONG, num);
    }
}

static void s_ticket(hqc_canvas_t *cv, hqc_vctx_t *ctx, const hq_ticket_t *t)
{
    char buf[256], a[32], b[32];
    int row = hqc_canvas_row(cv);
    int col = hqc_canvas_put(cv, row, 1, HQC_R_HEAD, HQC_VTR(ctx, HQC_M_NOW));
    col = hqc_canvas_put(cv, row, col + 2, HQC_R_STRONG, t->label);
    if (t->green)
        col = hqc_canvas_put(cv, row, col + 2, HQC_R_GREEN, HQC_VTR(ctx, HQC_M_GREEN_MARK));
    else
        col = hqc_canvas_put(cv, row, col + 2, HQC_R_DIM, HQC_VTR(ctx, HQC_M_NORMAL_LANE));
    snprintf(buf, sizeof buf, "%c %s", t->queue, hqc_view_queue_name(ctx, t->queue));
    col = hqc_canvas_put(cv, row, col + 2, HQC_R_TEXT, buf);
    if (t->queue != t->prefix) {
        snprintf(buf, sizeof buf, HQC_VTR(ctx, HQC_M_TRANSFERRED), t->prefix);
        hqc_canvas_put(cv, row, col + 2, HQC_R_DIM, buf);
    }

    if (t->service > 0) {
        /* Without a service the materials block says so (and what to do) instead. */
        const hqc_service_t *sv = hqc_catalog_service(&ctx->s->catalog, t->service);
        row = hqc_canvas_row(cv);
        col = hqc_canvas_putf(cv, row, 3, HQC_R_DIM, HQC_VTR(ctx, HQC_M_SERVICE), t->service);
        hqc_canvas_put(cv, row, col, HQC_R_STRONG, sv ? sv->name : "?");
    }

    row = hqc_canvas_row(cv);
    int64_t waited = (t->called_ms ? t->called_ms : ctx->wall) - t->issued_ms;
    hq_text_duration(waited, a, sizeof a);
    col = hqc_canvas_putf(cv, row, 3, HQC_R_TEXT, "%s %s" S_SEP, HQC_VTR(ctx, HQC_M_WAITED), a);
    col = hqc_canvas_putf(cv, row, col, HQC_R_TEXT, HQC_VTR(ctx, HQC_M_CALLS), t->calls);
    int64_t handling = s_handling_ms(t, ctx->wall);
    /* The 10-minute target is the instant items'. Any other item has its own time limit
     * from the catalog (10 working days for a reimbursement): its handling time is shown
     * without a target, never as over one. */
    int instant = hqc_session_instant(ctx->s, t);
    int64_t target = instant ? ctx->target_ms : 0;
    hqc_role_t role = s_timer_role(handling, target);
    hq_text_duration(handling, a, sizeof a);
    hq_text_duration(target, b, sizeof b);
    col = hqc_canvas_putf(cv, row, col, HQC_R_TEXT, S_SEP "%s ", HQC_VTR(ctx, HQC_M_HANDLING));
    col = hqc_canvas_putf(cv, row, col, role, "%s", a);
    if (target > 0)
        col = hqc_canvas_putf(cv, row, col, HQC_R_DIM, " / %s", b);
    if (target > 0 && handling >= target) {
        hq_text_duration(handling - target, a, sizeof a);
        hqc_canvas_putf(cv, row, col, HQC_R_ALERT, "  %s %s", HQC_VTR(ctx, HQC_M_OVER), a);
    }
    if (!instant) {
        hqc_canvas_putf(cv, row, col + 2, HQC_R_DIM, HQC_VTR(ctx, HQC_M_NOT_INSTANT),
                        (int)(ctx->target_ms / 60000));
        const hqc_service_t *sv = hqc_catalog_service(&ctx->s->catalog, t->service);
        if (sv && sv->time_limit && sv->time_limit[0]) {
            snprintf(buf, sizeof buf, HQC_VTR(ctx, HQC_M_TIME_LIMIT), sv->time_limit);
            hqc_canvas_wrap(cv, 3, HQC_R_STRONG, buf);
        }
    }

    if (t->reason[0]) {
        hqc_pick_reason(ctx->lang, t, ctx->s->catalog.green_max, buf, sizeof buf);
        row = hqc_canvas_row(cv);
        col = hqc_canvas_put(cv, row, 3, HQC_R_DIM, HQC_VTR(ctx, HQC_M_WHY_PICKED));
        hqc_canvas_put(cv, row, col, HQC_R_DIM, buf);
    }
}

/* ---- the main block: ticket, materials, lists, hints ------------------------------------ */
static void s_parked_line(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    const hq_ticket_t *p[HQC_LIST_MAX];
    int n = hqc_session_parked(ctx->s, ctx->m, p, HQC_LIST_MAX);
    if (n == 0)
        return;
    int row = hqc_canvas_row(cv);
    int col = hqc_canvas_put(cv, row, 3, HQC_R_DIM, HQC_VTR(ctx, HQC_M_PARKED_LIST));
    for (int i = 0; i < n; i++) {
        char buf[64], dur[32];
        hq_text_duration(p[i]->parked_ms ? ctx->wall - p[i]->parked_ms : 0, dur, sizeof dur);
        snprintf(buf, sizeof buf, "%s（%s）", p[i]->label, dur);
        if (col + hq_text_width(buf) + 1 > cv->width) {
            row = hqc_canvas_row(cv);
            col = 3 + hq_text_width(HQC_VTR(ctx, HQC_M_PARKED_LIST));
        }
        col = hqc_canvas_put(cv, row, col, p[i]->green ? HQC_R_GREEN : HQC_R_TEXT, buf) + 1;
    }
}

/* This window's no-shows, when there are any: a click on the line opens their list. */
static void s_noshow_line(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    const hq_ticket_t *p[HQC_LIST_MAX];
    int n = hqc_session_noshows(ctx->s, ctx->m, p, HQC_LIST_MAX);
    if (n == 0)
        return;
    int row = hqc_canvas_row(cv);
    int col = hqc_canvas_put(cv, row, 3, HQC_R_DIM, HQC_VTR(ctx, HQC_M_NOSHOW_LIST));
    for (int i = 0; i < n; i++) {
        if (col + hq_text_width(p[i]->label) + 4 > cv->width) {
            col = hqc_canvas_put(cv, row, col, HQC_R_DIM, "...");
            break;
        }
        col = hqc_canvas_put(cv, row, col, HQC_R_TEXT, p[i]->label) + 1;
    }
    hqc_canvas_hit(cv, row, 3, col - 3, hqc_key(HQC_A_REQUEUE)->key);
}

static void s_main_block(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    const hqc_session_t *s = ctx->s;
    if (s->state == HQC_S_PIN) {
        hqc_view_pick_pin(cv, ctx);
        return;
    }
    if (!ctx->c) {
        hqc_canvas_put(cv, hqc_canvas_row(cv), 3, HQC_R_DIM, HQC_VTR(ctx, HQC_M_NO_DATA));
        return;
    }
    if (ctx->t) {
        s_ticket(cv, ctx, ctx->t);
    } else {
        char buf[256];
        if (ctx->c->state == HQ_C_PAUSED)
            snprintf(buf, sizeof buf, HQC_VTR(ctx, HQC_M_PAUSED_HINT), ctx->c->pause_reason);
        else if (ctx->c->state == HQ_C_CLOSED)
            snprintf(buf, sizeof buf, "%s", HQC_VTR(ctx, HQC_M_CLOSED_HINT));
        else
            snprintf(buf, sizeof buf, "%s", HQC_VTR(ctx, HQC_M_IDLE_HINT));
        int row = hqc_canvas_row(cv);
        int end = hqc_canvas_put(cv, row, 1, HQC_R_HEAD, buf);
        /* The hint names its key: a click on it does the same. */
        if (ctx->c->state != HQ_C_CLOSED)
            hqc_canvas_hit(cv, row, 1, end - 1,
                           hqc_key(ctx->c->state == HQ_C_PAUSED ? HQC_A_PAUSE : HQC_A_CALL)->key);
    }
    if (s->rate_label[0] && s->state != HQC_S_RATING) {
        char buf[200];
        snprintf(buf, sizeof buf, HQC_VTR(ctx, HQC_M_RATE_HINT), s->rate_label);
        int row = hqc_canvas_row(cv);
        int end = hqc_canvas_put(cv, row, 3, HQC_R_DIM, buf);
        hqc_canvas_hit(cv, row, 3, end - 3, hqc_key(HQC_A_RATE)->key);
    }
    int64_t pair_left = 0;
    const char *pair = hqc_session_pair_code(s, ctx->now, &pair_left);
    if (pair) {
        /* The code the clerk reads out to whoever types it into the window's tablet; a click
         * asks for a fresh one, as the key does. */
        char clock[16], buf[240];
        hqc_view_clock(s->pair_until, clock, sizeof clock);
        snprintf(buf, sizeof buf, HQC_VTR(ctx, HQC_M_PAIR_CODE), pair, clock,
                 (int)((pair_left + 59999) / 60000));
        int row = hqc_canvas_row(cv);
        int end = hqc_canvas_put(cv, row, 3, HQC_R_STRONG, buf);
        hqc_canvas_hit(cv, row, 3, end - 3, hqc_key(HQC_A_PAIR)->key);
    }
    if (!ctx->t && s->state != HQC_S_PARKED)
        s_parked_line(cv, ctx);
    if (s->state != HQC_S_NOSHOWS && s->state != HQC_S_LOGOUT)
        s_noshow_line(cv, ctx);
    if (!ctx->t && s->state == HQC_S_MAIN && ctx->c->state == HQ_C_IDLE)
        hqc_view_waiting_list(cv, ctx, 2);
    hqc_canvas_row(cv); /* a blank row before materials or a list */
    switch (s->state) {
    case HQC_S_NUMBER:
        hqc_view_pick_number(cv, ctx);
        break;
    case HQC_S_PARKED:
        hqc_view_pick_parked(cv, ctx);
        break;
    case HQC_S_QUEUE:
        hqc_view_pick_queue(cv, ctx);
        break;
    case HQC_S_REASON:
        hqc_view_pick_reason(cv, ctx);
        break;
    case HQC_S_RATING:
        hqc_view_pick_rating(cv, ctx);
        break;
    case HQC_S_NOSHOWS:
        hqc_view_pick_noshows(cv, ctx);
        break;
    case HQC_S_LOGOUT:
        hqc_view_pick_logout(cv, ctx);
        break;
    default:
        if (ctx->t)
            s_materials(cv, ctx, ctx->t);
        else
            cv->n--; /* nothing follows: give the blank row back */
        break;
    }
}

/* ---- waiting counts and figures ---------------------------------------------------------- */
static void s_queues_block(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    hqc_canvas_put(cv, hqc_canvas_row(cv), 1, HQC_R_HEAD, HQC_VTR(ctx, HQC_M_WAITING_TITLE));
    const char *served = ctx->c ? ctx->c->queues : "";
    int total = 0, green = 0;
    /* When not every queue fits, the queues with people waiting are shown first and the
     * rest fill what room is left, in hall order; the total always counts them all and
     * always has its row. */
    int room = cv->limit > 0 ? cv->limit - 2 : HQ_QUEUES_MAX;
    int busy = 0;
    for (const char *p = served; *p; p++) {
        const hq_mirror_queue_t *q = hq_mirror_queue(ctx->m, *p);
        busy += q && q->waiting > 0;
    }
    int idle_room = room - busy;
    /* Columns: letter, name, count, green count; the name gets what is left. */
    int green_w = 12, count_w = 8;
    int name_w = cv->width - 3 - count_w - green_w;
    if (name_w < 4)
        name_w = 4;
    for (const char *p = served; *p; p++) {
        const hq_mirror_queue_t *q = hq_mirror_queue(ctx->m, *p);
        int waiting = q ? q->waiting : 0, g = q ? q->green : 0;
        total += waiting;
        green += g;
        if (room <= 0 || (waiting == 0 && idle_room <= 0))
            continue;
        room--;
        if (waiting == 0)
            idle_room--;
        int row = hqc_canvas_row(cv);
        char letter[4] = {*p, 0}, name[HQC_VIEW_COLS_MAX * 4], buf[64];
        hqc_canvas_put(cv, row, 1, HQC_R_STRONG, letter);
        hq_text_fit(q ? q->name : "", name_w - 1, 0, name, sizeof name);
        hqc_canvas_put(cv, row, 3, HQC_R_TEXT, name);
        snprintf(buf, sizeof buf, HQC_VTR(ctx, HQC_M_PEOPLE), waiting);
        int w = hq_text_width(buf);
        hqc_canvas_put(cv, row, 3 + name_w + count_w - 1 - w, waiting ? HQC_R_STRONG : HQC_R_DIM,
                       buf);
        if (g > 0) {
            snprintf(buf, sizeof buf, HQC_VTR(ctx, HQC_M_GREEN_COUNT), g);
            hqc_canvas_put(cv, row, 3 + name_w + count_w, HQC_R_GREEN, buf);
        }
    }
    int row = hqc_canvas_row(cv);
    char buf[64];
    hqc_canvas_put(cv, row, 1, HQC_R_HEAD, HQC_VTR(ctx, HQC_M_TOTAL));
    snprintf(buf, sizeof buf, HQC_VTR(ctx, HQC_M_PEOPLE), total);
    int w = hq_text_width(buf);
    hqc_canvas_put(cv, row, 3 + name_w + count_w - 1 - w, HQC_R_STRONG, buf);
    if (green > 0) {
        snprintf(buf, sizeof buf, HQC_VTR(ctx, HQC_M_GREEN_COUNT), green);
        hqc_canvas_put(cv, row, 3 + name_w + count_w, HQC_R_GREEN, buf);
    }
}

static void s_figures_block(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    const hqc_figures_t *fig = &ctx->s->figures;
    hqc_canvas_put(cv, hqc_canvas_row(cv), 1, HQC_R_HEAD, HQC_VTR(ctx, HQC_M_FIGURES_TITLE));
    if (!ctx->s->figures_known) {
        hqc_canvas_put(cv, hqc_canvas_row(cv), 3, HQC_R_DIM, HQC_VTR(ctx, HQC_M_FIG_UNKNOWN));
        return;
    }
    if (fig->count <= 0) {
        hqc_canvas_put(cv, hqc_canvas_row(cv), 3, HQC_R_DIM, HQC_VTR(ctx, HQC_M_FIG_NONE));
        return;
    }
    char a[32], b[32];
    hqc_canvas_putf(cv, hqc_canvas_row(cv), 3, HQC_R_TEXT, HQC_VTR(ctx, HQC_M_FIG_COUNT),
                    fig->count);
    hq_text_duration(fig->avg_ms, a, sizeof a);
    hq_text_duration(ctx->target_ms, b, sizeof b);
    hqc_canvas_putf(cv, hqc_canvas_row(cv), 3, s_timer_role(fig->avg_ms, ctx->target_ms),
                    HQC_VTR(ctx, HQC_M_FIG_AVG), a, b);
    int pct = (int)((fig->within * 100LL + fig->count / 2) / fig->count);
    hqc_canvas_putf(cv, hqc_canvas_row(cv), 3, pct < 100 ? HQC_R_TEXT : HQC_R_STRONG,
                    HQC_VTR(ctx, HQC_M_FIG_WITHIN), (int)(ctx->target_ms / 60000), pct);
    hq_text_duration(fig->max_ms, a, sizeof a);
    hqc_canvas_putf(cv, hqc_canvas_row(cv), 3, s_timer_role(fig->max_ms, ctx->target_ms),
                    HQC_VTR(ctx, HQC_M_FIG_MAX), a);
}

static void s_recent_block(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    int shown = 0;
    for (int i = 0; i < ctx->m->nrecent; i++) {
        const hq_mirror_call_t *rc = &ctx->m->recent[i];
        if (rc->counter != ctx->s->counter)
            continue;
        if (shown++ == 0)
            hqc_canvas_put(cv, hqc_canvas_row(cv), 1, HQC_R_HEAD, HQC_VTR(ctx, HQC_M_RECENT_TITLE));
        char clock[16];
        hqc_view_clock(rc->ts_ms, clock, sizeof clock);
        int row = hqc_canvas_row(cv);
        int col = hqc_canvas_put(cv, row, 3, rc->green ? HQC_R_GREEN : HQC_R_TEXT, rc->label);
        hqc_canvas_put(cv, row, col + 2, HQC_R_DIM, clock);
    }
}

/* ---- footer and message ------------------------------------------------------------------ */
/* Lays the key legend out from `row` (or only counts its rows when draw is 0). */
static int s_footer(hqc_vctx_t *ctx, int row, int draw)
{
    hqc_view_t *v = ctx->v;
    const hqc_session_t *s = ctx->s;
    if (s->state != HQC_S_MAIN && s->state != HQC_S_LOGIN) {
        hqc_msg_t help = s->state == HQC_S_NUMBER ? HQC_M_K_ENTRY_HELP
                         : s->state == HQC_S_PIN  ? HQC_M_K_PIN_HELP
                                                  : HQC_M_K_PICK_HELP;
        if (draw)
            hqc_view_put(v, row, 1, v->cols - 1, HQC_R_DIM, 0, HQC_VTR(ctx, help));
        return 1;
    }
    const char *sep = ctx->lang == UI_LANG_EN ? " " : "";
    int rows = 1, col = 1;
    for (int a = 0; a < HQC_A_COUNT_; a++) {
        hqc_msg_t why = hqc_key_check((hqc_action_t)a, &ctx->f);
        /* Login is only offered when it is needed, to keep the legend on one line. */
        if (a == HQC_A_LOGIN && why != HQC_M_NONE)
            continue;
        const hqc_key_t *k = hqc_key((hqc_action_t)a);
        const char *label = HQC_VTR(ctx, hqc_key_label((hqc_action_t)a, ctx->f.state));
        char key[4] = {(char)k->key, 0};
        int gap = hq_text_width(sep);
        int need = 1 + gap + hq_text_width(label);
        if (col > 1 && col + need > v->cols) {
            rows++;
            row++;
            col = 1;
        }
        hqc_role_t on = why == HQC_M_NONE ? HQC_R_KEY : HQC_R_KEY_OFF;
        if (draw) {
            hqc_view_put(v, row, col, 1, on, 0, key);
            hqc_view_put(v, row, col + 1 + gap, need - 1 - gap,
                         why == HQC_M_NONE ? HQC_R_TEXT : HQC_R_DIM, 0, label);
            /* A click on a key that makes no sense now is refused as the key is. */
            ui_hits_add(&v->hits, row, col, need, k->key);
        }
        col += need + 1;
    }
    return rows;
}

/* ---- layout ------------------------------------------------------------------------------ */
static int s_measure(hqc_vctx_t *ctx, void (*block)(hqc_canvas_t *, hqc_vctx_t *), int width)
{
    hqc_canvas_t cv = {ctx->v, 0, 0, width, 0, 0};
    block(&cv, ctx);
    return cv.n;
}

static void s_draw(hqc_vctx_t *ctx, void (*block)(hqc_canvas_t *, hqc_vctx_t *), int top, int x,
                   int width, int limit)
{
    hqc_canvas_t cv = {ctx->v, top, x, width, limit, 0};
    if (limit <= 0)
        return;
    block(&cv, ctx);
    s_overflow(&cv, ctx);
}

/* Below the main block: waiting counts on the left, figures on the right. */
static void s_lower_narrow(hqc_vctx_t *ctx, int top, int rows)
{
    hqc_view_t *v = ctx->v;
    s_rule(v, top, 0, v->cols);
    int left = v->cols * 11 / 20;
    s_draw(ctx, s_queues_block, top + 1, 0, left, rows - 1);
    s_draw(ctx, s_figures_block, top + 1, left + 1, v->cols - left - 1, rows - 1);
}

static void s_side_wide(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    s_queues_block(cv, ctx);
    hqc_canvas_row(cv);
    s_figures_block(cv, ctx);
    hqc_canvas_row(cv);
    s_recent_block(cv, ctx);
}

void hqc_view_build(hqc_view_t *v, const hqc_session_t *s, const hq_mirror_t *m, int64_t now,
                    int64_t now_wall, int cols, int rows)
{
    v->cols = cols < 1 ? 1 : cols > HQC_VIEW_COLS_MAX ? HQC_VIEW_COLS_MAX : cols;
    v->rows = rows < 1 ? 1 : rows > HQC_VIEW_ROWS_MAX ? HQC_VIEW_ROWS_MAX : rows;
    for (int r = 0; r < v->rows; r++) {
        v->line[r].nsegs = 0;
        v->line[r].used = 0;
    }
    ui_hits_clear(&v->hits);
    hqc_vctx_t ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.v = v;
    ctx.s = s;
    ctx.m = m;
    ctx.now = now;
    ctx.wall = now_wall;
    ctx.lang = s->lang;
    ctx.c = hqc_session_counter(s, m);
    ctx.t = hqc_session_ticket(s, m);
    hqc_session_facts(s, m, &ctx.f);
    ctx.target_ms = hqc_session_target_ms(s, m);
    v->stale = hqc_session_stale(s, m, now);

    if (v->cols < HQC_VIEW_MIN_COLS || v->rows < HQC_VIEW_MIN_ROWS) {
        hqc_view_put(v, 0, 0, v->cols, HQC_R_BANNER, 0, HQC_VTR(&ctx, HQC_M_SMALL));
        return;
    }

    int row = 0;
    s_header(&ctx, row++);
    char banner[400];
    int banner_key = -1;
    hqc_role_t banner_role = HQC_R_BANNER;
    if (s_banner_text(&ctx, v->stale, banner, sizeof banner, &banner_key, &banner_role)) {
        hqc_view_put(v, row, 0, v->cols, banner_role, 1, banner);
        if (banner_key > 0)
            ui_hits_add(&v->hits, row, 0, v->cols, banner_key);
        row++;
    }
    s_state_line(&ctx, row++);
    s_rule(v, row++, 0, v->cols);

    int footer_rows = s_footer(&ctx, 0, 0);
    int footer_top = v->rows - footer_rows;
    int message_row = footer_top - 1;
    s_footer(&ctx, footer_top, 1);
    int error = 0;
    const char *msg = hqc_session_message(s, now, &error);
    if (msg[0])
        hqc_view_put(v, message_row, 1, v->cols - 1, error ? HQC_R_ERROR : HQC_R_OK, 0, msg);

    int middle = message_row - row; /* rows between the state rule and the message */
    if (middle <= 0)
        return;
    if (v->cols >= S_WIDE_COLS) {
        int side_x = v->cols - S_SIDE_COLS;
        s_draw(&ctx, s_main_block, row, 0, side_x - 1, middle);
        s_draw(&ctx, s_side_wide, row, side_x, S_SIDE_COLS, middle);
        return;
    }
    /* Narrow: the main block first; the lower part is anchored above the message line and
     * shrinks (down to a few queues) before the materials do. */
    int main_need = s_measure(&ctx, s_main_block, v->cols);
    int queues_need = s_measure(&ctx, s_queues_block, v->cols * 11 / 20);
    int figures_need = s_measure(&ctx, s_figures_block, v->cols - v->cols * 11 / 20 - 1);
    int lower_need = 1 + (queues_need > figures_need ? queues_need : figures_need);
    /* The ticket and its materials come first; the counts keep at least their title, one
     * queue and the total. */
    int lower_min = lower_need < 4 ? lower_need : 4;
    int lower = middle - main_need;
    if (lower > lower_need)
        lower = lower_need;
    if (lower < lower_min)
        lower = lower_min;
    if (lower > middle)
        lower = middle;
    s_draw(&ctx, s_main_block, row, 0, v->cols, middle - lower);
    s_lower_narrow(&ctx, message_row - lower, lower);
}
