/* CURVE encryption and authentication for hallqd's sockets.
 *
 * A keys directory holds the daemon's certificate (server.key, server.key_secret) and the
 * allow-list: clients/NAME.key, public certificates whose metadata says the device's role.
 * The ZAP handler (RFC 27) answers the handshakes in the server's own loop: a known key gets
 * its role attached to every message it sends; an unknown key is refused and logged. */
#ifndef HALLQ_AUTH_H
#define HALLQ_AUTH_H

#include <stddef.h>

typedef struct auth auth_t;

/* Loads DIR/server.key_secret (refused when readable by group or others) and the allow-list.
 * NULL with a one-line reason. */
auth_t *auth_new(const char *dir, char *why, size_t whylen);
void auth_destroy(auth_t **self_p);
/* Binds the ZAP handler in ctx; must happen before any CURVE socket binds. */
int auth_start(auth_t *self, void *ctx, char *why, size_t whylen);
/* Makes a socket a CURVE server (call before bind). */
int auth_apply(auth_t *self, void *socket);
/* The ZAP socket, to poll for ZMQ_POLLIN. */
void *auth_zap_socket(auth_t *self);
/* Answers one pending handshake. */
void auth_handle_zap(auth_t *self);
size_t auth_allowed_count(auth_t *self);

#endif
