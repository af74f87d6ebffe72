#include "keys.h"

#include "roles.h"

#include <czmq.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int s_mkdir(const char *path, mode_t mode, char *why, size_t whylen)
{
    if (mkdir(path, mode) != 0 && errno != EEXIST) {
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
    if (s_mkdir(dir, 0700, why, whylen) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/clients", dir);
    if (s_mkdir(path, 0755, why, whylen) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/devices", dir);
    if (s_mkdir(path, 0700, why, whylen) != 0)
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

int keys_new_device(const char *dir, const char *name, const char *role, char *why, size_t whylen)
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
    char device[1024], allowed[1024];
    snprintf(device, sizeof device, "%s/devices/%s.key", dir, name);
    snprintf(allowed, sizeof allowed, "%s/clients/%s.key", dir, name);
    struct stat sb;
    if (stat(allowed, &sb) == 0) {
        snprintf(why, whylen, "a key named %s already exists (%s)", name, allowed);
        return -1;
    }
    zcert_t *cert = zcert_new();
    if (!cert) {
        snprintf(why, whylen, "cannot create a key pair");
        return -1;
    }
    zcert_set_meta(cert, "name", "%s", name);
    zcert_set_meta(cert, "role", "%s", role);
    int rc = s_save_pair(cert, device, why, whylen);
    /* hallqd refuses a store whose listed keys others may write, whatever the umask. */
    if (rc == 0 && (zcert_save_public(cert, allowed) != 0 || chmod(allowed, 0644) != 0)) {
        snprintf(why, whylen, "cannot write %s: %s", allowed, strerror(errno));
        rc = -1;
    }
    zcert_destroy(&cert);
    return rc;
}
