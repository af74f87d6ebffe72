/* CURVE encryption and authentication for hallqd's sockets.
 *
 * A keys directory holds the daemon's certificate (server.key, server.key_secret) and the
 * allow-list: clients/NAME.key, public certificates whose metadata says the device's role.
 * czmq's zauth actor answers the handshakes (RFC 27) in its own thread and rereads the
 * allow-list when the directory changes: a listed key may connect, any other key is refused.
 * zauth decides only when a connection is made, so the daemon keeps its own copy of the
 * allow-list and looks every request's key ("User-Id") up in it: a key removed from clients/
 * or given another role takes effect at the device's next request (auth_refresh,
 * auth_device). zauth tells nobody whom it refused, so each CURVE socket is also watched
 * (libzmq's monitor) and every refused handshake is logged from the server's loop. */
#ifndef HALLQ_AUTH_H
#define HALLQ_AUTH_H

#include <czmq.h>
#include <stddef.h>

typedef struct auth auth_t;

/* Whether the key store can be trusted, as ssh's StrictModes: DIR, DIR/server.key_secret
 * and everything below DIR/clients owned by root or the daemon's user and writable by nobody
 * else, and the secret readable by nobody else. 0, or -1 with a one-line reason naming the
 * path and the problem. */
int auth_check_store(const char *dir, char *why, size_t whylen);
/* Checks the store (auth_check_store), warns once when DIR/devices still holds device
 * secrets, loads DIR/server.key_secret and starts zauth on DIR/clients in czmq's context,
 * verbose when the log level is debug. Call before any CURVE socket binds. NULL with a
 * one-line reason. */
auth_t *auth_new(const char *dir, char *why, size_t whylen);
void auth_destroy(auth_t **self_p);
/* Makes a socket of czmq's context a CURVE server and watches its handshakes; `what` names
 * the socket in log lines. Call before bind. A socket made again under a name already watched
 * (the event socket after a cut-off) is not watched: its refusals are no longer logged. */
int auth_apply(auth_t *self, void *socket, const char *what);
/* Logs refused handshakes from the loop's thread. */
int auth_attach(auth_t *self, zloop_t *loop);
/* Reads the allow-list (the daemon's own copy, beside zauth's) and says how many
 * certificates it holds; warns about those whose role grants nothing. */
size_t auth_check_allowed(auth_t *self);
/* Reads the allow-list again when it changed: with `full` 0, only when DIR/clients itself
 * changed (a key added, removed or renamed: one stat, cheap enough for every request); with
 * `full`, also when a certificate was edited in place, and the store's safety is checked
 * again. A store that became unsafe lets no device in until it is safe again. Returns how
 * many devices lost their key or changed role: their connections should be closed. */
int auth_refresh(auth_t *self, int full);
/* The role of the device with this public key (Z85, as the ZAP handler gave it in the
 * message's "User-Id"), and its name; NULL when the key is not (or no longer) allowed. */
const char *auth_device(auth_t *self, const char *public_key, const char **name);

#endif
