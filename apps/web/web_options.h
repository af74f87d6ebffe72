/* Command line of hallq-web: one table (web_cli) read by lib/ui's options helper. */
#ifndef WEB_OPTIONS_H
#define WEB_OPTIONS_H

#include "ratelimit.h"
#include "ui_options.h"

typedef struct {
    ui_lang_t lang;          /* the pages' default language */
    const char *endpoint;    /* hallqd requests */
    const char *events;      /* hallqd events */
    char address[64];        /* --listen: the address ... */
    int port;                /* ... and port (0: any free one) */
    hq_rate_t per_address;   /* --limit */
    hq_rate_t guesses;       /* --guess-limit */
    int max_connections;     /* --max-connections */
    int verbose;             /* --verbose: debug log */
    const char *api_keys;    /* --api-keys: the JSON API's keys, NULL: no API */
    const char *tls_cert;    /* --tls-cert: HTTPS, NULL plain HTTP */
    const char *tls_key;     /* --tls-key */
    const char *notify_hook; /* --notify-hook: an executable or http:// URL, NULL none */
    const char *key;         /* CURVE client certificate, NULL: $HALLQ_KEY */
    const char *server_key;  /* CURVE server certificate, NULL: $HALLQ_SERVER_KEY */
} web_options_t;

#define WEB_PORT_DEFAULT 8080
#define WEB_MAX_CONNECTIONS_DEFAULT 4000

extern const ui_program_t web_cli;

void web_options_defaults(web_options_t *o);

#endif
