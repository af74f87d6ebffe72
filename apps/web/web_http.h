/* hallq-web's HTTP side (libmicrohttpd, one thread with epoll): the citizen's progress page,
 * its state as JSON (the polling fallback) and as server-sent events, the embedded files.
 * Every response carries the security headers (a content security policy without inline
 * script, no referrer, no framing) and none sets a cookie. Each client address has a request
 * budget, and a smaller one for links hallq-web does not know yet (guessing tokens). */
#ifndef WEB_HTTP_H
#define WEB_HTTP_H

#include "ratelimit.h"
#include "ui_i18n.h"
#include "web_state.h"

#include <stddef.h>

typedef struct {
    const char *address;   /* IPv4 address to listen on */
    int port;              /* 0: any free port (web_http_port says which) */
    ui_lang_t lang;        /* the pages' language unless ?lang= says otherwise */
    hq_rate_t per_address; /* every request of one client address */
    hq_rate_t guesses;     /* links of tickets not followed yet, per client address */
    const char *endpoint;  /* hallqd's requests: track */
    const char *api_keys;  /* the API's keys file, NULL: no API */
    const char *tls_cert;  /* HTTPS: the certificate (PEM), NULL plain HTTP ... */
    const char *tls_key;   /* ... and its private key (PEM) */
    int notify;            /* a notifier hook takes "tell me when N are ahead" */
    unsigned max_connections;
} web_http_config_t;

typedef struct web_http web_http_t;

/* Starts serving. NULL with the problem in why. */
web_http_t *web_http_new(const web_http_config_t *cfg, web_state_t *state, char *why,
                         size_t whylen);
/* Ends every stream, then stops serving. */
void web_http_destroy(web_http_t **self_p);
int web_http_port(const web_http_t *self);
/* Event streams open now. */
size_t web_http_streams(web_http_t *self);

#endif
