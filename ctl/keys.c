#include "keys.h"

#include "roles.h"

#include <czmq.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int s_mkdir(const char *path, mode_t mode, int *made, char *why, size_t whylen)
{
    if (mkdir(path, mode) == 0) {
        if (made)
            *made = 1;
        return 0;
    }
    if (errno != EEXIST) {
        snprintf(why, whylen, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int s_save_pair(zcert_t *cert, const char *path, char *why, size_t whylen)
{
    char secret[1100];
    snprintf(secret, sizeof secret, "%s_secret", path);
    /* Create the secret file private before anything is written into it. */
    mode_t old = umask(077);
    int rc = zcert_save(cert, path);
    umask(old);
    if (rc != 0 || chmod(secret, 0600) != 0 || chmod(path, 0644) != 0) {
        snprintf(why, whylen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int keys_init_dir(const char *dir, char *why, size_t whylen)
{
    char path[1024];
    if (s_mkdir(dir, 0700, NULL, why, whylen) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/clients", dir);
    if (s_mkdir(path, 0755, NULL, why, whylen) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/server.key", dir);
    struct stat sb;
    if (stat(path, &sb) == 0)
        return 0;
    zcert_t *cert = zcert_new();
    if (!cert) {
        snprintf(why, whylen, "cannot create a key pair");
        return -1;
    }
    zcert_set_meta(cert, "name", "hallqd");
    zcert_set_meta(cert, "role", "server");
    int rc = s_save_pair(cert, path, why, whylen);
    zcert_destroy(&cert);
    return rc;
}

/* Creates path for this process alone (never through a link, never over a file), so that a
 * shared folder such as /tmp cannot redirect or expose the secret written into it next. */
static int s_reserve(const char *path, char *why, size_t whylen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(why, whylen, "%s: %s", path, strerror(errno));
        return -1;
    }
    close(fd);
    return 0;
}

/* The folder the device's key pair goes to: made private when missing, and never the keys
 * folder or anything below it, where the secret would stay on the server. */
static int s_out_dir(const char *dir, const char *out, const char *name, char *device,
                     size_t devicelen, char *why, size_t whylen)
{
    int made = 0;
    char real_out[PATH_MAX], real_keys[PATH_MAX];
    if (s_mkdir(out, 0700, &made, why, whylen) != 0)
        return -1;
    if (!realpath(out, real_out) || !realpath(dir, real_keys)) {
        snprintf(why, whylen, "%s: %s", out, strerror(errno));
        return -1;
    }
    size_t n = strlen(real_keys);
    if (strncmp(real_out, real_keys, n) == 0 && (real_out[n] == '\0' || real_out[n] == '/')) {
        if (made)
            rmdir(out);
        snprintf(why, whylen,
                 "--out %s is inside the keys folder %s: the device's secret goes off the "
                 "server (another folder, or - for standard output)",
                 out, dir);
        return -1;
    }
    snprintf(device, devicelen, "%s/%s.key", out, name);
    char secret[1100];
    snprintf(secret, sizeof secret, "%s_secret", device);
    if (s_reserve(device, why, whylen) != 0)
        return -1;
    if (s_reserve(secret, why, whylen) != 0) {
        unlink(device);
        return -1;
    }
    return 0;
}

int keys_new_device(const char *dir, const char *name, const char *role, const char *out, char *why,
                    size_t whylen)
{
    if (!role_valid(role)) {
        snprintf(why, whylen, "role must be kiosk, counter:N, display or manager, not '%s'", role);
        return -1;
    }
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_')) {
            snprintf(why, whylen, "a key name uses letters, digits, '-' and '_' only");
            return -1;
        }
    if (!name[0] || strlen(name) > 64) {
        snprintf(why, whylen, "a key name has 1 to 64 characters");
        return -1;
    }
    if (keys_init_dir(dir, why, whylen) != 0)
        return -1;
    char device[1100] = "", allowed[1024];
    snprintf(allowed, sizeof allowed, "%s/clients/%s.key", dir, name);
    struct stat sb;
    if (stat(allowed, &sb) == 0) {
        snprintf(why, whylen, "a key named %s already exists (%s)", name, allowed);
        return -1;
    }
    int to_stdout = strcmp(out, "-") == 0;
    if (!to_stdout && s_out_dir(dir, out, name, device, sizeof device, why, whylen) != 0)
        return -1;
    zcert_t *cert = zcert_new();
    if (!cert) {
        snprintf(why, whylen, "cannot create a key pair");
        return -1;
    }
    zcert_set_meta(cert, "name", "%s", name);
    zcert_set_meta(cert, "role", "%s", role);
    int rc;
    if (to_stdout) {
        /* zconfig writes "-" to standard output: the whole certificate, secret included. */
        rc = zcert_save_secret(cert, "-") == 0 && fflush(stdout) == 0 ? 0 : -1;
        if (rc != 0)
            snprintf(why, whylen, "cannot write the certificate to standard output");
    } else {
        rc = s_save_pair(cert, device, why, whylen);
    }
    /* Listed only once the device's half is out: a failure leaves no key the daemon lets in. */
    if (rc == 0 && (zcert_save_public(cert, allowed) != 0 || chmod(allowed, 0644) != 0)) {
        snprintf(why, whylen, "cannot write %s: %s", allowed, strerror(errno));
        rc = -1;
    }
    if (rc != 0 && device[0]) {
        char secret[1200];
        snprintf(secret, sizeof secret, "%s_secret", device);
        unlink(secret);
        unlink(device);
    }
    zcert_destroy(&cert);
    return rc;
}
