/* Client side of CURVE: a device proves who it is with its own key pair.
 * HALLQ_KEY names the device's certificate (NAME.key, with NAME.key_secret beside it) and
 * HALLQ_SERVER_KEY the daemon's public certificate (server.key); both come from
 * `hallqctl keys`. Without them, clients talk plain ZeroMQ (loopback halls). */
#ifndef HQ_SECURITY_H
#define HQ_SECURITY_H

#include "hq_proto.h"

/* Sets key files explicitly (NULLs fall back to the environment). */
void hq_security_set(const char *client_cert, const char *server_cert);
/* Makes `socket` a CURVE client when keys are configured. 0 ok or not configured,
 * -1 with a one-line reason (unreadable key, secret readable by others). */
int hq_security_client(void *socket, hq_error_t *err);
/* The same as another device: `client` names that device's certificate (hallq-web speaks for
 * each API key with the hall's device key given to it), with the process's server key. */
int hq_security_client_as(void *socket, const char *client, hq_error_t *err);

#endif
