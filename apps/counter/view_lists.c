/* view_lists: the lists a clerk chooses from on the clerk's screen - the waiting tickets, the
 * PIN, a number, a parked ticket, a queue, a reason, a rating, the no-shows, logging out (see
 * view_internal.h). */
#include "view_internal.h"

#include "canvas.h"
#include "hq_text.h"

#include <stdio.h>
#include <string.h>

static void s_list_row(hqc_canvas_t *cv, hqc_vctx_t *ctx, int i, const char *key, const char *text,
                       hqc_role_t role)
{
    int row = hqc_canvas_row(cv);
    int selected = i == ctx->s->pick;
    hqc_role_t r = selected ? HQC_R_SELECTED : role;
    char buf[300];
    snprintf(buf, sizeof buf, " %s  %s ", key, text);
    int end = hqc_canvas_put(cv, row, 3, r, buf);
    hqc_canvas_hit(cv, row, 3, end - 3, (unsigned char)key[0]);
}

void hqc_view_waiting_list(hqc_canvas_t *cv, hqc_vctx_t *ctx, int max_rows)
{
    const hq_ticket_t *w[HQC_LIST_MAX];
    int n = hqc_session_waiting(ctx->s, ctx->m, w, HQC_LIST_MAX);
    int row = hqc_canvas_row(cv), rows = 1;
    int col = hqc_canvas_put(cv, row, 3, HQC_R_DIM, HQC_VTR(ctx, HQC_M_PICK_WAITING));
    if (n == 0)
        hqc_canvas_put(cv, row, col, HQC_R_DIM, HQC_VTR(ctx, HQC_M_PICK_NONE_WAITING));
    for (int i = 0; i < n; i++) {
        int need = hq_text_width(w[i]->label) + 1;
        if (col + need + 4 > cv->width && rows == max_rows) {
            hqc_canvas_put(cv, row, col, HQC_R_DIM, "...");
            break;
        }
        if (col + need > cv->width) {
            row = hqc_canvas_row(cv);
            rows++;
            col = 3 + hq_text_width(HQC_VTR(ctx, HQC_M_PICK_WAITING));
        }
        col = hqc_canvas_put(cv, row, col, w[i]->green ? HQC_R_GREEN : HQC_R_TEXT, w[i]->label) + 1;
    }
}

void hqc_view_pick_number(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    int row = hqc_canvas_row(cv);
    int col = hqc_canvas_put(cv, row, 1, HQC_R_HEAD, HQC_VTR(ctx, HQC_M_PICK_NUMBER));
    char buf[32];
    snprintf(buf, sizeof buf, "%s_", ctx->s->entry);
    hqc_canvas_put(cv, row, col, HQC_R_SELECTED, buf);
    hqc_view_waiting_list(cv, ctx, 4);
}

void hqc_view_pick_pin(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    int row = hqc_canvas_row(cv);
    int col = hqc_canvas_put(cv, row, 1, HQC_R_HEAD, HQC_VTR(ctx, HQC_M_PICK_PIN));
    char stars[HQ_PIN_MAX + 2];
    size_t n = strlen(ctx->s->pin_entry);
    memset(stars, '*', n);
    stars[n] = '_';
    stars[n + 1] = '\0';
    hqc_canvas_put(cv, row, col, HQC_R_SELECTED, stars);
}

/* This window's parked tickets or its no-shows to choose from, 1-9, under their title: each its
 * number, a note on when (parked for how long, or called at what time for a no-show) and its queue.
 */
static void s_ticket_rows(hqc_canvas_t *cv, hqc_vctx_t *ctx, int noshows)
{
    hqc_canvas_put(cv, hqc_canvas_row(cv), 1, HQC_R_HEAD,
                   HQC_VTR(ctx, noshows ? HQC_M_PICK_NOSHOW : HQC_M_PICK_PARKED));
    const hq_ticket_t *p[HQC_LIST_MAX];
    int n = noshows ? hqc_session_noshows(ctx->s, ctx->m, p, HQC_LIST_MAX)
                    : hqc_session_parked(ctx->s, ctx->m, p, HQC_LIST_MAX);
    for (int i = 0; i < n && i < 9; i++) {
        char key[4], text[200], when[32], note[64];
        snprintf(key, sizeof key, "%d", i + 1);
        if (noshows) {
            hqc_view_clock(p[i]->last_called_ms, when, sizeof when);
            snprintf(note, sizeof note, HQC_VTR(ctx, HQC_M_NOSHOW_AT), when);
        } else {
            hq_text_duration(p[i]->parked_ms ? ctx->wall - p[i]->parked_ms : 0, when, sizeof when);
            snprintf(note, sizeof note, HQC_VTR(ctx, HQC_M_PARKED_FOR), when);
        }
        snprintf(text, sizeof text, "%-5s  %s  %s", p[i]->label, note,
                 hqc_view_queue_name(ctx, p[i]->queue));
        s_list_row(cv, ctx, i, key, text, p[i]->green ? HQC_R_GREEN : HQC_R_TEXT);
    }
}

void hqc_view_pick_parked(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    s_ticket_rows(cv, ctx, 0);
}

void hqc_view_pick_queue(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    char title[200];
    snprintf(title, sizeof title, HQC_VTR(ctx, HQC_M_PICK_QUEUE), ctx->t ? ctx->t->label : "");
    hqc_canvas_put(cv, hqc_canvas_row(cv), 1, HQC_R_HEAD, title);
    char targets[HQ_QUEUES_MAX];
    int n = hqc_session_targets(ctx->s, ctx->m, targets, HQ_QUEUES_MAX);
    for (int i = 0; i < n; i++) {
        const hq_mirror_queue_t *q = hq_mirror_queue(ctx->m, targets[i]);
        char key[4] = {targets[i], 0}, text[200], people[32];
        snprintf(people, sizeof people, HQC_VTR(ctx, HQC_M_PEOPLE), q ? q->waiting : 0);
        snprintf(text, sizeof text, "%s  (%s)", q ? q->name : "", people);
        s_list_row(cv, ctx, i, key, text, HQC_R_TEXT);
    }
}

void hqc_view_pick_reason(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    hqc_canvas_put(cv, hqc_canvas_row(cv), 1, HQC_R_HEAD, HQC_VTR(ctx, HQC_M_PICK_REASON));
    for (int i = 0; i < HQC_REASONS; i++) {
        char key[4];
        snprintf(key, sizeof key, "%d", i + 1);
        s_list_row(cv, ctx, i, key, HQC_VTR(ctx, hqc_session_reason(i)), HQC_R_TEXT);
    }
}

void hqc_view_pick_rating(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    char title[200];
    snprintf(title, sizeof title, HQC_VTR(ctx, HQC_M_PICK_RATING), ctx->s->rate_label);
    hqc_canvas_put(cv, hqc_canvas_row(cv), 1, HQC_R_HEAD, title);
    for (int i = 0; i < 5; i++) {
        int rating = 5 - i;
        char key[4];
        snprintf(key, sizeof key, "%d", rating);
        s_list_row(cv, ctx, i, key,
                   ctx->lang == UI_LANG_EN ? hq_rating_name_en(rating) : hq_rating_name_zh(rating),
                   HQC_R_TEXT);
    }
}

void hqc_view_pick_noshows(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    s_ticket_rows(cv, ctx, 1);
}

void hqc_view_pick_logout(hqc_canvas_t *cv, hqc_vctx_t *ctx)
{
    const char *label = ctx->f.label;
    char title[200];
    if (label[0])
        snprintf(title, sizeof title, HQC_VTR(ctx, HQC_M_LOGOUT_HELD), label);
    else
        snprintf(title, sizeof title, "%s", HQC_VTR(ctx, HQC_M_LOGOUT_TITLE));
    hqc_canvas_put(cv, hqc_canvas_row(cv), 1, HQC_R_HEAD, title);
    int keys[8];
    int n = hqc_session_logout_keys(ctx->s, ctx->m, keys, 8);
    for (int i = 0; i < n; i++) {
        char key[4] = {(char)keys[i], 0}, text[200];
        switch (keys[i]) {
        case 'y':
            snprintf(text, sizeof text, HQC_VTR(ctx, HQC_M_LO_YES), ctx->s->counter);
            break;
        case 'k':
            if (label[0])
                snprintf(text, sizeof text, HQC_VTR(ctx, HQC_M_LO_KEEP_HELD), label);
            else
                snprintf(text, sizeof text, "%s", HQC_VTR(ctx, HQC_M_LO_KEEP));
            break;
        case 'f':
            snprintf(text, sizeof text, HQC_VTR(ctx, HQC_M_LO_FINISH), label);
            break;
        case 'p':
            snprintf(text, sizeof text, HQC_VTR(ctx, HQC_M_LO_PARK), label);
            break;
        case 't':
            snprintf(text, sizeof text, HQC_VTR(ctx, HQC_M_LO_TRANSFER), label);
            break;
        case 'x':
            snprintf(text, sizeof text, HQC_VTR(ctx, HQC_M_LO_NO_SHOW), label);
            break;
        default:
            snprintf(text, sizeof text, "%s", HQC_VTR(ctx, HQC_M_LO_BACK));
            break;
        }
        s_list_row(cv, ctx, i, key, text, HQC_R_TEXT);
    }
}
