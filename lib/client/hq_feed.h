/* The subscriber side of the Clone pattern, with its sockets: SUB for events, a DEALER for
 * snapshots. Subscribes first, then asks for a snapshot, then applies events in order;
 * a gap, a new business day or silence makes it ask again. Never blocks longer than the
 * timeout given to hq_feed_poll, so a terminal program stays responsive while offline. */
#ifndef HQ_FEED_H
#define HQ_FEED_H

#include "hq_mirror.h"

typedef struct hq_feed hq_feed_t;

/* Called for every event received, after the mirror has seen it. */
typedef void(hq_feed_event_fn)(void *arg, const hq_event_t *ev, hq_apply_t result);

enum { HQ_FEED_FD = 1, HQ_FEED_CHANGED = 2 };

hq_feed_t *hq_feed_new(const char *request_endpoint, const char *event_endpoint,
                       hq_mirror_t *mirror);
void hq_feed_destroy(hq_feed_t **self_p);
void hq_feed_set_handler(hq_feed_t *self, hq_feed_event_fn *fn, void *arg);
/* Waits up to timeout_ms. fd (or -1) is polled too, e.g. the terminal's stdin.
 * Returns a mask of HQ_FEED_FD and HQ_FEED_CHANGED, or -1 on a socket failure. */
int hq_feed_poll(hq_feed_t *self, int fd, int timeout_ms);
/* Asks for a fresh snapshot now (e.g. after the user pressed a key that needs it). */
void hq_feed_resync(hq_feed_t *self);

#endif
