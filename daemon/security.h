/* CURVE encryption and authentication for hallqd's sockets.
 *
 * A keys directory holds the daemon's certificate (server.key, server.key_secret) and the
 * allow-list: clients/NAME.key, public certificates whose metadata says the device's role.
 * The ZAP handler (RFC 27) answers the handshakes in the server's own loop: a known key gets
 * its role attached to every message it sends; an unknown key is refused and logged. */
#ifndef HALLQ_SECURITY_H
#define HALLQ_SECURITY_H

#include <stddef.h>

typedef struct security security_t;

/* Loads DIR/server.key_secret (refused when readable by group or others) and the allow-list.
 * NULL with a one-line reason. */
security_t *security_new(const char *dir, char *why, size_t whylen);
void security_destroy(security_t **self_p);
/* Binds the ZAP handler in ctx; must happen before any CURVE socket binds. */
int security_start(security_t *self, void *ctx, char *why, size_t whylen);
/* Makes a socket a CURVE server (call before bind). */
int security_apply(security_t *self, void *socket);
/* The ZAP socket, to poll for ZMQ_POLLIN. */
void *security_zap_socket(security_t *self);
/* Answers one pending handshake. */
void security_handle_zap(security_t *self);
size_t security_allowed_count(security_t *self);

/* Key management for `hallqctl keys`: creates DIR/server.key* when missing. */
int security_init_dir(const char *dir, char *why, size_t whylen);
/* New device key NAME with ROLE: DIR/devices/NAME.key + NAME.key_secret (0600) to install on
 * the device, and DIR/clients/NAME.key, which registers it with the daemon. */
int security_new_device(const char *dir, const char *name, const char *role, char *why,
                        size_t whylen);

#endif
