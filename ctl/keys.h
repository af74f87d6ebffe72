/* The keys directory as `hallqctl keys` writes it: the daemon's certificate and the
 * allow-list. A device's key pair is handed out, never kept: the server keeps its public half
 * in clients/, which registers the device and its role with hallqd. */
#ifndef HALLQ_KEYS_H
#define HALLQ_KEYS_H

#include <stddef.h>

/* Creates DIR (700), DIR/clients (755) and DIR/server.key* when missing. */
int keys_init_dir(const char *dir, char *why, size_t whylen);
/* New device key NAME with ROLE. OUT "-": the device's certificate, secret included, goes to
 * standard output; otherwise OUT/NAME.key and OUT/NAME.key_secret (0600) are written, OUT
 * made 0700 when missing and never inside DIR. Then DIR/clients/NAME.key (public, 0644)
 * registers it with the daemon. */
int keys_new_device(const char *dir, const char *name, const char *role, const char *out, char *why,
                    size_t whylen);

#endif
