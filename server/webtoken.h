/* The web token of a ticket: what its QR's link carries (<base_url>/t/<token>) so that a
 * citizen's phone can follow the ticket on hallq-web, and nothing else.
 *
 * token = base64url(first 16 bytes of HMAC-SHA256(hall key, "DAY|LABEL")): 128 bits no one
 * can guess without the hall's key, valid for the ticket's business day (the day is in it,
 * and the daemon looks tokens up among the day's tickets only). The key is 32 random bytes
 * the daemon makes once in its data folder (WEBTOKEN_KEY_FILE, mode 600), so tokens stay the
 * same across restarts and nothing needs to store them. */
#ifndef HALLQ_WEBTOKEN_H
#define HALLQ_WEBTOKEN_H

#include <stddef.h>
#include <stdint.h>

#define WEBTOKEN_KEY_FILE "web.key"
#define WEBTOKEN_KEY_BYTES 32
#define WEBTOKEN_MAC_BYTES 16 /* 128 bits of the HMAC */
#define WEBTOKEN_TEXT_MAX 23  /* 22 base64url characters and the NUL */

/* Reads the hall's key from DIR/web.key, making it (random, mode 600) when the file is
 * missing. Refuses a key file that is not a regular file of exactly the key's size, or that
 * others than its owner may read or write. 0, or -1 with the problem in why. */
int webtoken_key_load(const char *dir, uint8_t key[WEBTOKEN_KEY_BYTES], char *why, size_t whylen);

/* The token of the ticket `label` of business day `day` ("YYYY-MM-DD"). */
void webtoken_make(const uint8_t key[WEBTOKEN_KEY_BYTES], const char *day, const char *label,
                   char out[WEBTOKEN_TEXT_MAX]);

/* 1 when `text` is the token of day and label (compared in constant time), 0 otherwise. */
int webtoken_matches(const uint8_t key[WEBTOKEN_KEY_BYTES], const char *day, const char *label,
                     const char *text);

#endif
