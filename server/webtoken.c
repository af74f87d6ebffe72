/* Web tokens of tickets (webtoken.h): libsodium's HMAC-SHA256 and base64url. */
#include "webtoken.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Makes DIR/web.key: written whole to a temporary name, flushed, then linked into place, so
 * a crash leaves either no key or a whole one, and two starts never write two keys. */
static int s_key_create(const char *path, uint8_t key[WEBTOKEN_KEY_BYTES], char *why, size_t whylen)
{
    char tmp[1200];
    snprintf(tmp, sizeof tmp, "%s.new", path);
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(why, whylen, "cannot make %s: %s", path, strerror(errno));
        return -1;
    }
    randombytes_buf(key, WEBTOKEN_KEY_BYTES);
    int ok = write(fd, key, WEBTOKEN_KEY_BYTES) == WEBTOKEN_KEY_BYTES && fsync(fd) == 0;
    int saved = errno;
    close(fd);
    if (!ok || link(tmp, path) != 0) {
        saved = ok ? errno : saved;
        unlink(tmp);
        snprintf(why, whylen, "cannot make %s: %s", path, strerror(saved));
        return -1;
    }
    unlink(tmp);
    return 0;
}

int webtoken_key_load(const char *dir, uint8_t key[WEBTOKEN_KEY_BYTES], char *why, size_t whylen)
{
    if (sodium_init() < 0) {
        snprintf(why, whylen, "cannot start libsodium");
        return -1;
    }
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", dir, WEBTOKEN_KEY_FILE);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return s_key_create(path, key, why, whylen);
    if (fd < 0) {
        snprintf(why, whylen, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat sb;
    int rc = -1;
    if (fstat(fd, &sb) != 0)
        snprintf(why, whylen, "%s: %s", path, strerror(errno));
    else if (!S_ISREG(sb.st_mode) || sb.st_size != WEBTOKEN_KEY_BYTES)
        snprintf(why, whylen,
                 "%s is not a key of %d bytes (delete it to make a new one: every "
                 "ticket's link of today changes)",
                 path, WEBTOKEN_KEY_BYTES);
    else if (sb.st_mode & 077)
        snprintf(why, whylen, "%s may be read or written by others than its owner (chmod 600)",
                 path);
    else if (read(fd, key, WEBTOKEN_KEY_BYTES) != WEBTOKEN_KEY_BYTES)
        snprintf(why, whylen, "%s: cannot read it", path);
    else
        rc = 0;
    close(fd);
    return rc;
}

static void s_mac(const uint8_t key[WEBTOKEN_KEY_BYTES], const char *day, const char *label,
                  uint8_t out[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, WEBTOKEN_KEY_BYTES);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)day, strlen(day));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)"|", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)label, strlen(label));
    crypto_auth_hmacsha256_final(&st, out);
}

void webtoken_make(const uint8_t key[WEBTOKEN_KEY_BYTES], const char *day, const char *label,
                   char out[WEBTOKEN_TEXT_MAX])
{
    uint8_t mac[crypto_auth_hmacsha256_BYTES];
    s_mac(key, day, label, mac);
    sodium_bin2base64(out, WEBTOKEN_TEXT_MAX, mac, WEBTOKEN_MAC_BYTES,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int webtoken_matches(const uint8_t key[WEBTOKEN_KEY_BYTES], const char *day, const char *label,
                     const char *text)
{
    if (strlen(text) != WEBTOKEN_TEXT_MAX - 1)
        return 0;
    char want[WEBTOKEN_TEXT_MAX];
    webtoken_make(key, day, label, want);
    return sodium_memcmp(want, text, WEBTOKEN_TEXT_MAX - 1) == 0;
}
