/* Inside the history: the rows group.c and staffing.c read. Not for use outside stats/. */
#ifndef HALLQ_STATS_HISTORY_H
#define HALLQ_STATS_HISTORY_H

#include <stdint.h>

#include "hq_strmap.h"
#include "hq_vec.h"
#include "stats.h"

/* HIST_WITHIN: an instant item finished within its own handling target. */
enum {
    HIST_GREEN = 1,
    HIST_INSTANT = 2,
    HIST_TRANSFERRED = 4,
    HIST_WITHIN = 8,
    HIST_EXTENDED = 16
};
enum { HIST_NO_HOUR = 255 };
enum { HIST_SEEN = 1024 }; /* windows whose last clerk is remembered (more share slots) */

/* One ticket, kept small: a busy hall's year is millions of them. */
typedef struct {
    int32_t wait_ms;     /* first call - issue; -1 never called */
    int32_t handling_ms; /* -1 when not finished */
    int32_t window_ms;   /* last call to finish less parked; -1 not finished */
    uint16_t day;        /* days since 1970-01-01 */
    uint16_t clerk;      /* index + 1 into clerks, 0 none */
    uint16_t service;    /* 0 none */
    uint16_t counter;    /* 0 none */
    uint8_t hour;        /* local hour of issue */
    uint8_t quarter;     /* quarter minute within that hour (0..239) */
    uint8_t busy_from;   /* local hours the window worked on it, HIST_NO_HOUR when none */
    uint8_t busy_to;
    uint8_t queue;  /* letter */
    uint8_t state;  /* hq_ticket_state_t */
    uint8_t flags;  /* HIST_GREEN | HIST_INSTANT | HIST_TRANSFERRED | HIST_WITHIN | HIST_EXTENDED */
    uint8_t rating; /* 0 none */
} hist_row_t;

/* A clerk id remembered for a window: a window's tickets come with the same clerk until the
 * next login. */
typedef struct {
    const char *id; /* its text in the clerks map; NULL when none, or when an add moved it */
    uint16_t index; /* its index + 1 */
} hist_seen_t;

struct stats_hist {
    int64_t target_ms;                /* handling target of tickets without their own */
    hq_vec_t rows;                    /* hist_row_t, in the order added */
    hq_strmap_t *clerks;              /* clerk ids; a row's clerk is its index + 1 */
    hist_seen_t clerk_at[HIST_SEEN];  /* the clerk last seen at window n % HIST_SEEN */
    hq_vec_t days;                    /* hour boundaries of each day seen (history.c) */
    size_t last_day;                  /* index of the day used last: tickets come day by day */
    char last_text[HQ_DATE_TEXT_MAX]; /* and its text and number, to skip parsing */
    int last_number;
    int min_day, max_day; /* day numbers present; min > max when empty */
};

/* Sorts 64-bit keys ascending (LSD radix); -1 out of memory. */
int hist_radix_sort(uint64_t *keys, size_t n);

#endif
