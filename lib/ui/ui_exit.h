/* Exit statuses shared by every hallq program, so scripts and systemd read them one way. */
#ifndef HQ_UI_EXIT_H
#define HQ_UI_EXIT_H

enum {
    UI_EXIT_OK = 0,          /* done */
    UI_EXIT_REFUSED = 1,     /* the daemon refused the request (the reply's error is printed) */
    UI_EXIT_USAGE = 2,       /* bad arguments or a bad config line */
    UI_EXIT_UNREACHABLE = 3, /* the daemon did not answer */
    UI_EXIT_FAILURE = 4      /* anything else: a file, a device, out of memory */
};

#endif
