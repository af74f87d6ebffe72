/* hallqctl watch: print events as they happen. */
#ifndef HALLQ_CTL_WATCH_H
#define HALLQ_CTL_WATCH_H

typedef struct {
    const char *endpoint; /* request endpoint (for the snapshot) */
    const char *events;   /* event endpoint */
    int timeout_ms;       /* with count: give up when no snapshot came within this */
    int json;             /* one JSON object per event */
    long count;           /* stop after this many events, 0 never */
    int heartbeats;       /* show heartbeats too */
    int alerts;           /* alerts only: queue_alert and the handling alert */
} ctl_watch_opts_t;

/* Runs until count events were printed or a signal came. Returns the exit status. */
int ctl_watch(const ctl_watch_opts_t *o);

#endif
