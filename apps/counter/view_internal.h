/* view_internal: what the clerk screen's view files share (view.c: the frame, the ticket at
 * the window, the figures and the layout; view_lists.c: the lists a clerk chooses from).
 * Nothing outside the view includes it. */
#ifndef HQC_VIEW_INTERNAL_H
#define HQC_VIEW_INTERNAL_H

#include "canvas.h"
#include "i18n.h"
#include "view.h"

/* Everything a section needs to draw itself. */
typedef struct {
    hqc_view_t *v;
    const hqc_session_t *s;
    const hq_mirror_t *m;
    int64_t now;  /* monotonic */
    int64_t wall; /* epoch ms */
    ui_lang_t lang;
    const hq_counter_t *c; /* this window in the model, or NULL */
    const hq_ticket_t *t;  /* the ticket at the window, or NULL */
    hqc_facts_t f;         /* for key legality */
    int64_t target_ms;     /* handling target */
} hqc_vctx_t;

#define HQC_VTR(ctx, id) hqc_tr((ctx)->lang, (id))

/* ---- view.c ---- */
/* The wall clock's time of day, "HH:MM:SS" ("--:--:--" when unknown). */
void hqc_view_clock(int64_t wall_ms, char *out, size_t n);
/* The name of the queue with this prefix in the hall's catalog, "" when there is none. */
const char *hqc_view_queue_name(const hqc_vctx_t *ctx, char prefix);

/* ---- view_lists.c: each draws its list into cv, the highlighted row the session's pick ---- */
/* The waiting tickets of this window's queues in their likely order (green lane first),
 * so the clerk sees who comes next and can pick a number. */
void hqc_view_waiting_list(hqc_canvas_t *cv, hqc_vctx_t *ctx, int max_rows);
/* The number typed to call out of turn, the waiting list under it. */
void hqc_view_pick_number(hqc_canvas_t *cv, hqc_vctx_t *ctx);
/* The PIN as it is typed: one star a digit, never the digits. */
void hqc_view_pick_pin(hqc_canvas_t *cv, hqc_vctx_t *ctx);
/* This window's parked tickets (nine at most), to take one back. */
void hqc_view_pick_parked(hqc_canvas_t *cv, hqc_vctx_t *ctx);
/* The queues the ticket at the window may be transferred to, with how many wait in each. */
void hqc_view_pick_queue(hqc_canvas_t *cv, hqc_vctx_t *ctx);
/* The reasons a window may pause for. */
void hqc_view_pick_reason(hqc_canvas_t *cv, hqc_vctx_t *ctx);
/* The citizen's rating of the ticket just finished, from 5 down to 1. */
void hqc_view_pick_rating(hqc_canvas_t *cv, hqc_vctx_t *ctx);
/* This window's no-shows, the latest called first: the citizen who missed the call and came
 * back goes back in line at the place the number gives. */
void hqc_view_pick_noshows(hqc_canvas_t *cv, hqc_vctx_t *ctx);
/* q: log out (the window closes, its clock stops) or not; a ticket at the window first. */
void hqc_view_pick_logout(hqc_canvas_t *cv, hqc_vctx_t *ctx);

#endif
