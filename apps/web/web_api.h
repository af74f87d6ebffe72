/* hallq-web's HTTP JSON API for integration (a 政务 platform, a mini-program's back end):
 * issue a ticket, a ticket's status by its web token, the queues, the hall. Written down in
 * assets/openapi.json (served at /api/v1/openapi.json).
 *
 * Access is by API keys that have the roles of the hall's devices: a file of lines
 * `NAME ROLE SECRET [DEVICE_KEY]`, readable by its owner only. ROLE is kiosk (may issue),
 * display (reads) or manager; the same rules as hallqd's (roles.c) decide, and each key has
 * the request budget of its role ([limits] defaults). DEVICE_KEY names a device key of the
 * hall (hallqctl keys new NAME --role ROLE): hallq-web then speaks for the API key as that
 * device, so hallqd applies the role, the budget and the log to it too. The request handling
 * has no sockets of its own beyond the hq_clients it opens: web_http calls it with what came
 * in, and sends what it returns.
 *
 * Appointments (web_book.h): a kiosk or manager key lists a day's open slots, books for a
 * citizen (with an Idempotency-Key, a repeat within a day gets the same booking: hallq-web
 * keeps the keys in memory), and looks up or cancels a booking by its code with the ID number
 * it was made with. */
#ifndef WEB_API_H
#define WEB_API_H

#include "ui_i18n.h"
#include "web_state.h"

#include <stddef.h>

typedef struct web_api web_api_t;

/* A ticket's status by token, as the progress page's state: the HTTP status (200, 404 the
 * token is no ticket of today, 503 hallqd cannot say) and the JSON text (malloc'd). */
typedef int(web_api_ticket_fn)(void *arg, const char *token, char **json);

/* keys_file NULL: the API answers 404 everywhere (no keys, no API). NULL with why when the
 * file is unsafe or malformed. */
web_api_t *web_api_new(const char *keys_file, const char *endpoint, web_state_t *state,
                       web_api_ticket_fn *ticket, void *ticket_arg, char *why, size_t whylen);
void web_api_destroy(web_api_t **self_p);
size_t web_api_keys(const web_api_t *self);

/* A query argument of the request (?name=value), NULL when absent. */
typedef const char *(web_api_arg_fn)(void *ctx, const char *name);

typedef struct {
    const char *method;        /* GET, POST */
    const char *path;          /* after /api/v1 */
    const char *authorization; /* the header, NULL none */
    const char *idempotency;   /* Idempotency-Key, NULL none */
    const char *body;          /* POST's */
    size_t body_len;
    web_api_arg_fn *arg; /* the query's arguments */
    void *arg_ctx;
    ui_lang_t lang; /* the language of the appointments' messages (?lang=, Accept-Language) */
} web_api_request_t;

typedef struct {
    int status;        /* HTTP */
    char *json;        /* the body (malloc'd, caller frees) */
    int retry_after_s; /* 429: when to try again, else 0 */
} web_api_response_t;

/* Answers one request (the HTTP thread's). */
void web_api_handle(web_api_t *self, const web_api_request_t *req, web_api_response_t *out);

#endif
