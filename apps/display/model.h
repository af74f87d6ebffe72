/* The display model: what the wall screen and the voice need, derived from the hall mirror
 * (lib/client/hq_mirror.h) and from the events as they are applied. Pure: values in, values out,
 * the caller passes the clocks. It decides which call is on the big display (the newest one
 * whose ticket is still at its window), which calls are listed, what each window is doing,
 * which calls are to be spoken, when the screen flashes, and whether the data is live.
 * Every text in it (labels, names, the notice, the window's clerk and pause reason) is
 * sanitised as it comes in (hq_utf8_sanitise): the screen and the voice get no escape
 * sequence, control character or invalid UTF-8, whatever the daemon or its database held. */
#ifndef DISPLAY_MODEL_H
#define DISPLAY_MODEL_H

#include "hq_mirror.h"

#define DM_LIST_MAX HQ_MIRROR_RECENT
#define DM_FLASH_MS 4000      /* a new call flashes this long ... */
#define DM_FLASH_PHASE_MS 400 /* ... alternating every this many ms */
#define DM_LATE_CALL_MS 20000 /* calls found only in a snapshot are spoken if this recent */
#define DM_NOTICE_MAX 512

typedef enum { DM_HALL = 0, DM_COUNTER } dm_mode_t;

/* How far the screen can be trusted. */
typedef enum {
    DM_LINK_CONNECTING = 0, /* no snapshot yet: nothing to show */
    DM_LINK_LIVE,           /* snapshot loaded and events applying in order */
    DM_LINK_RESYNCING,      /* a gap or a daemon that came back: a new snapshot is on its way */
    DM_LINK_OFFLINE         /* the daemon is silent: what is shown is old */
} dm_link_t;

typedef struct {
    char label[HQ_LABEL_MAX]; /* "A001" */
    int counter;              /* window number */
    int64_t ts_ms;            /* when it was called (daemon's clock) */
    int green;                /* elderly green lane */
    int recall;               /* a repeated call */
} dm_call_t;

/* One window as the strip of windows shows it. */
typedef struct {
    int id;
    hq_counter_state_t state;
    char label[HQ_LABEL_MAX]; /* the ticket called or served there, "" none */
    int green;                /* ... is green lane */
} dm_window_t;

typedef struct {
    char prefix;
    char name[96];
    int waiting; /* all waiting tickets, green ones included */
    int green;   /* of which green lane */
} dm_queue_t;

typedef struct {
    dm_mode_t mode;
    int counter_id; /* counter mode: the window this screen hangs above */

    /* Derived from the mirror by dm_update. */
    dm_link_t link;
    int had_data; /* a snapshot was ever loaded (something to show) */
    char hall_name[128];
    double sim_speed; /* > 0: the hall runs on a simulated clock (hq_mirror_t's) */
    char notice[DM_NOTICE_MAX];
    /* Hall mode: the newest call whose ticket is still at the window that called it (calling
     * or serving there). A ticket transferred, finished, parked, or at a window paused or
     * closed since has left it, and the call before it, if any, takes its place. */
    int has_current;
    dm_call_t current;
    int nlist; /* the other calls, one per ticket (where it is newest), newest first */
    dm_call_t list[DM_LIST_MAX];
    int nwindows; /* every window of the hall, by number */
    dm_window_t windows[HQ_MIRROR_COUNTERS_MAX];
    int nqueues;
    dm_queue_t queues[HQ_QUEUES_MAX];
    int64_t avg_wait_ms;  /* hall's mean wait of tickets called today */
    int counter_known;    /* counter mode: the daemon has this window */
    hq_counter_t counter; /* counter mode: its state */
    int counter_green;    /* counter mode: the ticket at the window is green lane */

    /* Call tracking, so every call is spoken once even across a re-snapshot. */
    int64_t seen_seq;  /* sequence of the mirror as this model last saw it */
    int64_t newest_ts; /* newest call time known (daemon's clock) */

    /* Flash of the "now calling" area. */
    int64_t flash_start;            /* monotonic ms, 0 never */
    char flash_label[HQ_LABEL_MAX]; /* hall mode: the call it is for; it ends when that
                                      call leaves the big display */
} dm_t;

void dm_init(dm_t *dm, dm_mode_t mode, int counter_id);

/* Notes one event as hq_feed hands it over (after the mirror applied it). Returns 1 and
 * fills *call when it is a call or recall this screen announces: applied in order
 * (HQ_APPLY_OK) and, in counter mode, at this screen's window. Starts the flash then. */
int dm_on_event(dm_t *dm, const hq_event_t *ev, hq_apply_t result, int64_t now_mono,
                dm_call_t *call);

/* Refreshes what is shown from the mirror. When the mirror was reloaded from a snapshot
 * (its sequence moved without the events passing dm_on_event: a gap, a restart), calls in
 * it that are newer than any seen and made within DM_LATE_CALL_MS of now_wall are returned
 * in *fresh, oldest first, to be announced; never on the first snapshot (a screen switched
 * on late does not speak old calls). Returns how many. */
int dm_update(dm_t *dm, const hq_mirror_t *m, int64_t now_mono, int64_t now_wall, dm_call_t *fresh,
              int max);

/* The notice line from the hall's configuration. */
void dm_set_notice(dm_t *dm, const char *notice);

/* 1 while a flash is running, and in which phase (1 = highlighted). */
int dm_flashing(const dm_t *dm, int64_t now_mono);
int dm_flash_on(const dm_t *dm, int64_t now_mono);

const char *dm_link_name(dm_link_t link);

#endif
