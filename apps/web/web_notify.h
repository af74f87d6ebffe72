/* The notifier hook: messages to citizens after their page is closed ("前面还有 3 人" by SMS,
 * a WeChat service message), and the hall's queue alerts to the people who can act on them
 * (raised and cleared, hallqd's queue_alert events), through what the hall plugs in:
 * - an executable, run as HOOK TICKET TEXT with HALLQ_KIND=ticket, HALLQ_CONTACT and
 *   HALLQ_LINK in its environment; for an alert as HOOK alert TEXT with HALLQ_KIND=queue_alert
 *   and the event's alert object (queue, kind, state, value_ms, target_ms, advice, counters)
 *   as JSON in HALLQ_ALERT;
 * - or a URL (http://HOST:PORT/PATH) that gets a POST of {"kind": "ticket", "ticket", "text",
 *   "contact", "link"}, or {"kind": "queue_alert", "alert": {...}, "text"}, as JSON.
 * A thread of its own delivers them, so a slow gateway never holds the pages up. */
#ifndef WEB_NOTIFY_H
#define WEB_NOTIFY_H

#include "ui_i18n.h"

#include <jansson.h>
#include <stddef.h>

typedef struct web_notify web_notify_t;

/* NULL with why when the hook is neither an executable nor an http:// URL. */
web_notify_t *web_notify_new(const char *hook, char *why, size_t whylen);
/* Delivers what is queued, then stops. */
void web_notify_destroy(web_notify_t **self_p);
/* Queues one message (copied). */
void web_notify_send(web_notify_t *self, const char *ticket, const char *text, const char *contact,
                     const char *link);
/* Queues a queue alert: the event's alert object (copied) and its one line for people. */
void web_notify_alert(web_notify_t *self, const json_t *alert, const char *text);
/* The one line of a queue alert object, in lang. */
void web_notify_alert_text(const json_t *alert, ui_lang_t lang, char *out, size_t outlen);

#endif
