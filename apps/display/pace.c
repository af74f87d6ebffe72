/* pace: see pace.h. */
#include "pace.h"

#define S_CALLS_MAX 64 /* more waiting than this: the rest are judged as one chime */

/* What a way of saying is worth to the hall: a call said in full (chime and sentence) most,
 * each repeat of it a little, the short form less, the chime alone nothing. So a repeat
 * goes before any other call is shortened. */
enum { S_WORTH_ONCE = 4, S_WORTH_REPEAT = 1, S_WORTH_SHORT = 2 };

typedef struct {
    pace_action_t first; /* what to do now */
    int64_t end;         /* when calls[0]'s announcement ends this way */
    int says;            /* calls[0] is (or was) said in words this way */
    int worth;           /* what calls[0]'s announcement is worth this way */
} s_option_t;

static int64_t s_deadline(const pace_timing_t *t, const pace_call_t *c)
{
    return c->arrived_ms + t->lag_ms;
}

/* The calls after the first, once it ends at `at`: each said while it and one chime for all
 * after it still end in time (in full once when `full` and that fits, else in the short form),
 * then one chime for the rest. Returns how many are said in words and adds what they are
 * worth to *worth; -1 when one of them would end too late. suffix[j] is the earliest
 * deadline of calls j..n-1. */
static int s_rest(const pace_timing_t *t, const pace_call_t *calls, int n, int64_t at,
                  const int64_t *suffix, int full, int *worth)
{
    int said = 0;
    for (int j = 1; j < n; j++) {
        int64_t next = j + 1 < n ? suffix[j + 1] : INT64_MAX;
        int64_t ends[2] = {at + t->gap_ms + t->chime_ms + calls[j].sentence_ms,
                           at + t->gap_ms + calls[j].short_ms};
        int form = -1;
        for (int f = full ? 0 : 1; f < 2 && form < 0; f++)
            if (ends[f] <= s_deadline(t, &calls[j]) &&
                (next == INT64_MAX || ends[f] + t->gap_ms + t->bell_ms <= next))
                form = f;
        if (form < 0)
            return at + t->gap_ms + t->bell_ms <= suffix[j] ? said : -1;
        at = ends[form];
        said++;
        *worth += form == 0 ? S_WORTH_ONCE : S_WORTH_SHORT;
    }
    return said;
}

/* The ways calls[0] can go on from where it is. Returns how many. */
static int s_options(const pace_timing_t *t, const pace_call_t *c, int64_t now, int64_t ready,
                     s_option_t *o)
{
    int n = 0;
    int repeat = t->repeat > 0 ? t->repeat : 1;
    int64_t saying = t->between_ms + c->sentence_ms; /* one more saying */
    int full = S_WORTH_ONCE + (repeat - 1) * S_WORTH_REPEAT;
    switch (c->stage) {
    case PACE_FRESH: {
        int64_t start = now > ready ? now : ready;
        int64_t once = start + t->chime_ms + c->sentence_ms;
        o[n++] = (s_option_t){PACE_CHIME, once + (repeat - 1) * saying, 1, full};
        o[n++] = (s_option_t){PACE_CHIME, once, 1, S_WORTH_ONCE};
        o[n++] = (s_option_t){PACE_SHORT, start + c->short_ms, 1, S_WORTH_SHORT};
        o[n++] = (s_option_t){PACE_BELL, start + t->bell_ms, 0, 0};
        break;
    }
    case PACE_CHIMED:
        o[n++] = (s_option_t){PACE_SENTENCE, now + c->sentence_ms + (repeat - 1) * saying, 1, full};
        o[n++] = (s_option_t){PACE_SENTENCE, now + c->sentence_ms, 1, S_WORTH_ONCE};
        o[n++] = (s_option_t){PACE_SHORT, now + c->short_ms, 1, S_WORTH_SHORT};
        o[n++] = (s_option_t){PACE_DONE, now, 0, 0}; /* the chime stood for it */
        break;
    case PACE_SAID:
    default:
        if (c->said < repeat)
            o[n++] = (s_option_t){PACE_SENTENCE, now + (repeat - c->said) * saying, 1, full};
        o[n++] = (s_option_t){PACE_DONE, now, 1, S_WORTH_ONCE + (c->said - 1) * S_WORTH_REPEAT};
        break;
    }
    return n;
}

pace_action_t pace_next(const pace_timing_t *t, const pace_call_t *calls, int n, int64_t now,
                        int64_t ready_ms)
{
    if (n > S_CALLS_MAX)
        n = S_CALLS_MAX;
    int64_t suffix[S_CALLS_MAX + 1];
    suffix[n] = INT64_MAX;
    for (int j = n - 1; j >= 0; j--) {
        int64_t d = s_deadline(t, &calls[j]);
        suffix[j] = d < suffix[j + 1] ? d : suffix[j + 1];
    }
    s_option_t o[4];
    int nopt = s_options(t, &calls[0], now, ready_ms, o);
    /* The best way ends every call in time and says the most calls in words, then is worth
     * the most; of equals, the one listed first (calls[0] most fully). */
    int best = -1, best_said = -1, best_worth = -1;
    for (int i = 0; i < nopt; i++) {
        int said = -1, worth = 0;
        if (o[i].first == PACE_BELL) {
            /* One chime for all: every call ends when it does. */
            if (o[i].end <= suffix[0])
                said = 0;
        } else if (o[i].end <= s_deadline(t, &calls[0]) ||
                   (o[i].first == PACE_DONE && calls[0].stage != PACE_FRESH)) {
            /* Words for calls[0] end in time (a chime that stood for it already has); the
             * rest said as fully as fits, or as many as fit in the short form. */
            for (int full = 0; full <= 1; full++) {
                int w = o[i].worth;
                int rest = s_rest(t, calls, n, o[i].end, suffix, full, &w);
                if (rest >= 0 &&
                    (o[i].says + rest > said || (o[i].says + rest == said && w > worth))) {
                    said = o[i].says + rest;
                    worth = w;
                }
            }
        }
        if (said < 0)
            continue;
        if (said > best_said || (said == best_said && worth > best_worth)) {
            best = i;
            best_said = said;
            best_worth = worth;
        }
    }
    if (best >= 0)
        return o[best].first;
    /* No way ends every call in time: end the soonest. */
    return calls[0].stage == PACE_FRESH ? PACE_BELL : PACE_DONE;
}

const char *pace_action_name(pace_action_t a)
{
    static const char *const names[] = {"chime", "sentence", "short", "done", "bell"};
    return a >= PACE_CHIME && a <= PACE_BELL ? names[a] : "?";
}
