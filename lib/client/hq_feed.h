/* The subscriber side of the Clone pattern, with its sockets: SUB for events, a DEALER for
 * snapshots. Subscribes first, then asks for a snapshot, then applies events in order;
 * a gap, a new business day or silence makes it ask again. Driven either by hq_feed_poll,
 * which never blocks longer than its timeout, or by a reactor (hq_feed_attach). */
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

/* Instead of calling hq_feed_poll, a program with a reactor (czmq's zloop, see hq_loop.h)
 * attaches the feed to it once: the loop then reads the event and snapshot sockets when
 * they have something, and wakes the feed when a snapshot request is due or the daemon's
 * silence would mean offline, so nothing is polled on a timer. After each of those turns
 * it calls after(arg), where the program redraws what changed (mirror->changes); after's
 * -1 ends the loop. loop NULL detaches the feed (before the loop is destroyed). 0 ok, -1
 * when the loop refused a socket. */
struct _zloop_t;
typedef int(hq_feed_turn_fn)(void *arg);
int hq_feed_attach(hq_feed_t *self, struct _zloop_t *loop, hq_feed_turn_fn *after, void *arg);

#endif
