/* The notifier hook: messages to citizens after their page is closed ("前面还有 3 人" by SMS,
 * a WeChat service message), through what the hall plugs in: an executable, run as
 * HOOK TICKET TEXT with HALLQ_CONTACT and HALLQ_LINK in its environment, or a URL
 * (http://HOST:PORT/PATH) that gets a POST of {"ticket", "text", "contact", "link"} as JSON.
 * A thread of its own delivers them, so a slow gateway never holds the pages up. */
#ifndef WEB_NOTIFY_H
#define WEB_NOTIFY_H

#include <stddef.h>

typedef struct web_notify web_notify_t;

/* NULL with why when the hook is neither an executable nor an http:// URL. */
web_notify_t *web_notify_new(const char *hook, char *why, size_t whylen);
/* Delivers what is queued, then stops. */
void web_notify_destroy(web_notify_t **self_p);
/* Queues one message (copied). */
void web_notify_send(web_notify_t *self, const char *ticket, const char *text, const char *contact,
                     const char *link);

#endif
