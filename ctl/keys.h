/* The keys directory as `hallqctl keys` writes it: the daemon's certificate and one key pair
 * per device, whose public half in clients/ registers the device and its role with hallqd. */
#ifndef HALLQ_KEYS_H
#define HALLQ_KEYS_H

#include <stddef.h>

/* Creates DIR/server.key* when missing. */
int keys_init_dir(const char *dir, char *why, size_t whylen);
/* New device key NAME with ROLE: DIR/devices/NAME.key + NAME.key_secret (0600) to install on
 * the device, and DIR/clients/NAME.key, which registers it with the daemon. */
int keys_new_device(const char *dir, const char *name, const char *role, char *why, size_t whylen);

#endif
