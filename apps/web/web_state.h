/* What hallq-web's two threads share: the copy of the hall its feed keeps (published by the
 * main thread after each change) and the tickets whose links were opened. The HTTP thread
 * reads both under the lock; a publish wakes its waiting event streams through a hook. */
#ifndef WEB_STATE_H
#define WEB_STATE_H

#include "model.h"
#include "web_view.h"

#include <jansson.h>
#include <stdint.h>

typedef struct web_state web_state_t;

/* The newest ticket finished at a window, for its rating tablet. */
typedef struct {
    int counter;
    char label[HQ_LABEL_MAX];
    int64_t finished_ms; /* the daemon's time */
    int rating;          /* 1-5 once rated, 0 not yet */
} web_finished_t;

/* Called with the lock held after something changed (a publish, an event, a tick). */
typedef void(web_wake_fn)(void *arg);

/* A state following at most max_follow tickets (past that, the link asked for least
 * recently is forgotten: opening it again asks hallqd again). NULL out of memory. */
web_state_t *web_state_new(size_t max_follow);
void web_state_destroy(web_state_t **self_p);
void web_state_set_wake(web_state_t *self, web_wake_fn *fn, void *arg);

void web_state_lock(web_state_t *self);
void web_state_unlock(web_state_t *self);

/* ---- under the lock ---- */
/* The published copy of the hall, and the wall's display model of it. */
const hq_mirror_t *web_state_mirror(const web_state_t *self);
const dm_t *web_state_wall(const web_state_t *self);
/* Every ticket's ahead in the published mirror (web_view_ahead_all), NULL before any. */
const int *web_state_aheads(const web_state_t *self);
/* What has changed since: bumped by every publish, event and tick. */
uint64_t web_state_version(const web_state_t *self);
/* The followed ticket of a token, NULL none; marks it asked for at now_mono. */
web_follow_t *web_state_find(web_state_t *self, const char *token, int64_t now_mono);
/* The same, trying the entry at *hint first (a stream's last), and leaving the entry's place
 * there. */
web_follow_t *web_state_find_at(web_state_t *self, const char *token, size_t *hint);
/* Follows a ticket (a copy of f); the entry, or NULL out of memory. */
web_follow_t *web_state_add(web_state_t *self, const web_follow_t *f);
/* The newest ticket finished at window `counter`, NULL none since hallq-web started. */
const web_finished_t *web_state_finished(const web_state_t *self, int counter);
/* hallq-web's address as the hall's configuration gives it ([web] base_url), "" none. */
const char *web_state_base_url(const web_state_t *self);
/* 1 when any followed ticket waits (the main thread then keeps their estimates fresh). */
int web_state_any_waiting(const web_state_t *self);

/* ---- the main thread's: each takes the lock ---- */
/* Publishes the feed's mirror and the wall's model of it. -1 out of memory (the old copies
 * stay). */
int web_state_publish(web_state_t *self, const hq_mirror_t *m, const dm_t *wall);
/* An event: the followed ticket it carries is updated (its finish, its day's end). */
void web_state_event(web_state_t *self, const hq_event_t *ev);
/* A snapshot reply's "waits" (and its "ts_ms"): fresh estimates of the waiting tickets. */
void web_state_waits(web_state_t *self, const json_t *snapshot);
/* Sets the base URL (from the catalog). */
void web_state_set_base_url(web_state_t *self, const char *url);
/* Calls fn for each followed ticket whose "tell me when N are ahead" is due, and marks it
 * sent. */
typedef void(web_notice_fn)(void *arg, const web_follow_t *f, const char *text,
                            const char *base_url);
void web_state_notices(web_state_t *self, web_notice_fn *fn, void *arg);
/* Wakes the streams without a change (their keep-alive, the minutes counting down). */
void web_state_tick(web_state_t *self);
/* A new business day: yesterday's links are followed no more. */
void web_state_forget_before(web_state_t *self, const char *day);

#endif
