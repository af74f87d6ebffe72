/* The voice's pace: how to say the calls waiting so that none is said long after it was
 * made. A call alone is said in full (the chime, the sentence --repeat times). When calls pile
 * up, the voice drops repeats first, then says calls in the short form (「A零零一，三号窗口」, no
 * chime), and a call that could still not be said in time gets the chime alone (one chime for
 * every such call; the screen shows them). Every call's announcement ends at most lag_ms after
 * the call, whatever comes after it.
 *
 * The voice asks at each part of an announcement (before the chime, before each sentence),
 * with the lengths of what it would say, so a burst that arrives while a call is being said
 * shortens that call too. Pure arithmetic on milliseconds: the caller passes the clock. */
#ifndef DISPLAY_PACE_H
#define DISPLAY_PACE_H

#include <stdint.h>

#define PACE_LAG_MS 13500 /* planned bound; 15 s is promised, the rest is slack for synthesis */
#define PACE_GAP_MS 600   /* silence between two calls said one after the other */

typedef enum {
    PACE_FRESH = 0, /* nothing said yet */
    PACE_CHIMED,    /* its chime was played, no sentence yet */
    PACE_SAID       /* its sentence was said (`said` times) */
} pace_stage_t;

typedef struct {
    int64_t arrived_ms; /* when the call came (the clock of pace_next's now) */
    pace_stage_t stage;
    int said;        /* sayings of the full sentence so far */
    int sentence_ms; /* the full sentence, once */
    int short_ms;    /* the short form */
} pace_call_t;

typedef struct {
    int chime_ms;   /* the chime and the pause after it, before a sentence */
    int bell_ms;    /* the chime alone, for calls it stands for */
    int between_ms; /* between two sayings of a sentence */
    int gap_ms;     /* between two calls */
    int repeat;     /* sayings of a call in full */
    int lag_ms;     /* the bound */
} pace_timing_t;

typedef enum {
    PACE_CHIME,    /* the first call's chime; a sentence follows */
    PACE_SENTENCE, /* the first call's full sentence (again) */
    PACE_SHORT,    /* the first call in the short form; it is said then */
    PACE_DONE,     /* the first call is said (or its chime stood for it): the next one */
    PACE_BELL      /* one chime for every call waiting, said by it alone */
} pace_action_t;

/* What to do next about calls[0] (the oldest, possibly under way) with calls[1..n-1] waiting
 * behind it, at `now`; `ready_ms` is the earliest a new call's first sound may start (the end
 * of the last one plus the gap), so a call that is under way is not delayed by it. Chooses,
 * of the ways to go on that end every call within lag_ms, the one that says the most calls,
 * and of those the one that says calls[0] most fully; when none ends every call in time (a
 * machine stalled, a flood), PACE_BELL. n >= 1. */
pace_action_t pace_next(const pace_timing_t *t, const pace_call_t *calls, int n, int64_t now,
                        int64_t ready_ms);

const char *pace_action_name(pace_action_t a);

#endif
