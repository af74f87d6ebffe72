#include "security.h"

#include "hq_log.h"
#include "hq_proto.h"
#include "roles.h"

#include <czmq.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define S_ZAP_ENDPOINT "inproc://zeromq.zap.01"
#define S_DOMAIN "hallq"

struct security {
    zcert_t *server;       /* the daemon's key pair */
    zcertstore_t *allowed; /* clients/NAME.key; reread by czmq when the directory changes */
    char *clients_dir;
    void *zap; /* REP socket answering handshakes */
};

static int s_private_file(const char *path, char *why, size_t whylen)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        snprintf(why, whylen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (sb.st_mode & 077) {
        snprintf(why, whylen, "%s is readable by others (mode %03o): chmod 600 it", path,
                 (unsigned)(sb.st_mode & 0777));
        return -1;
    }
    return 0;
}

security_t *security_new(const char *dir, char *why, size_t whylen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/server.key_secret", dir);
    if (s_private_file(path, why, whylen) != 0)
        return NULL;
    security_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    snprintf(path, sizeof path, "%s/server.key", dir);
    self->server = zcert_load(path);
    if (!self->server ||
        strcmp(zcert_secret_txt(self->server), "0000000000000000000000000000000000000000") == 0) {
        snprintf(why, whylen, "%s: not a CURVE certificate with its secret key", path);
        security_destroy(&self);
        return NULL;
    }
    snprintf(path, sizeof path, "%s/clients", dir);
    self->clients_dir = strdup(path);
    self->allowed = zcertstore_new(path);
    if (!self->clients_dir || !self->allowed) {
        snprintf(why, whylen, "%s: cannot read the allow-list", path);
        security_destroy(&self);
        return NULL;
    }
    return self;
}

void security_destroy(security_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    security_t *self = *self_p;
    if (self->zap)
        zmq_close(self->zap);
    zcert_destroy(&self->server);
    zcertstore_destroy(&self->allowed);
    free(self->clients_dir);
    free(self);
    *self_p = NULL;
}

int security_start(security_t *self, void *ctx, char *why, size_t whylen)
{
    self->zap = zmq_socket(ctx, ZMQ_REP);
    int linger = 0;
    if (!self->zap || zmq_setsockopt(self->zap, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        zmq_bind(self->zap, S_ZAP_ENDPOINT) != 0) {
        snprintf(why, whylen, "cannot start the ZAP handler: %s", zmq_strerror(zmq_errno()));
        return -1;
    }
    return 0;
}

int security_apply(security_t *self, void *socket)
{
    int server = 1;
    if (zmq_setsockopt(socket, ZMQ_CURVE_SERVER, &server, sizeof server) != 0 ||
        zmq_setsockopt(socket, ZMQ_CURVE_SECRETKEY, zcert_secret_key(self->server), 32) != 0 ||
        zmq_setsockopt(socket, ZMQ_ZAP_DOMAIN, S_DOMAIN, strlen(S_DOMAIN)) != 0)
        return -1;
    return 0;
}

void *security_zap_socket(security_t *self)
{
    return self->zap;
}

size_t security_allowed_count(security_t *self)
{
    /* zcertstore has no count: list the directory the way its loader does. */
    zdir_t *dir = zdir_new(self->clients_dir, NULL);
    size_t n = dir ? (size_t)zdir_count(dir) : 0;
    zdir_destroy(&dir);
    return n;
}

/* ZMTP metadata: name length (1 byte), name, value length (4 bytes, network order), value. */
static size_t s_metadata(const char *name, const char *value, unsigned char *out, size_t n)
{
    size_t nl = strlen(name), vl = strlen(value);
    if (1 + nl + 4 + vl > n)
        return 0;
    unsigned char *p = out;
    *p++ = (unsigned char)nl;
    memcpy(p, name, nl);
    p += nl;
    *p++ = (unsigned char)(vl >> 24);
    *p++ = (unsigned char)(vl >> 16);
    *p++ = (unsigned char)(vl >> 8);
    *p++ = (unsigned char)vl;
    memcpy(p, value, vl);
    return 1 + nl + 4 + vl;
}

static void s_reply(void *zap, const char *request_id, size_t idlen, const char *status,
                    const char *text, const char *user, const void *meta, size_t metalen)
{
    zmq_send(zap, "1.0", 3, ZMQ_SNDMORE);
    zmq_send(zap, request_id, idlen, ZMQ_SNDMORE);
    zmq_send(zap, status, strlen(status), ZMQ_SNDMORE);
    zmq_send(zap, text, strlen(text), ZMQ_SNDMORE);
    zmq_send(zap, user, strlen(user), ZMQ_SNDMORE);
    zmq_send(zap, meta, metalen, 0);
}

void security_handle_zap(security_t *self)
{
    /* version, request id, domain, address, identity, mechanism, credentials... */
    char frames[7][64];
    size_t sizes[7] = {0};
    int n = 0, more = 1;
    while (more) {
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, self->zap, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&msg);
            if (n == 0)
                return;
            break;
        }
        more = zmq_msg_more(&msg);
        if (n < 7) {
            size_t len = zmq_msg_size(&msg);
            sizes[n] = len < sizeof frames[n] ? len : sizeof frames[n];
            memcpy(frames[n], zmq_msg_data(&msg), sizes[n]);
            n++;
        }
        zmq_msg_close(&msg);
    }
    char address[64] = "?";
    if (n >= 4)
        snprintf(address, sizeof address, "%.*s", (int)sizes[3], frames[3]);
    if (n < 7 || sizes[0] != 3 || memcmp(frames[0], "1.0", 3) != 0 || sizes[5] != 5 ||
        memcmp(frames[5], "CURVE", 5) != 0 || sizes[6] != 32) {
        hq_warn("refused a connection from %s: not a CURVE handshake", address);
        s_reply(self->zap, n >= 2 ? frames[1] : "", n >= 2 ? sizes[1] : 0, "400", "CURVE required",
                "", "", 0);
        return;
    }
    char key[41];
    zmq_z85_encode(key, (const uint8_t *)frames[6], 32);
    zcert_t *cert = zcertstore_lookup(self->allowed, key);
    const char *role = cert ? zcert_meta(cert, "role") : NULL;
    const char *name = cert ? zcert_meta(cert, "name") : NULL;
    if (!cert || !role_valid(role)) {
        hq_warn("refused unknown key %s from %s", key, address);
        s_reply(self->zap, frames[1], sizes[1], "400", "unknown key", "", "", 0);
        return;
    }
    unsigned char meta[128];
    size_t metalen = s_metadata("role", role, meta, sizeof meta);
    hq_info("device %s (%s) connected from %s", name ? name : key, role, address);
    s_reply(self->zap, frames[1], sizes[1], "200", "OK", name ? name : key, meta, metalen);
}

/* ---- key management ---------------------------------------------------------------------- */
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

int security_init_dir(const char *dir, char *why, size_t whylen)
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

int security_new_device(const char *dir, const char *name, const char *role, char *why,
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
    if (security_init_dir(dir, why, whylen) != 0)
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
    if (rc == 0 && zcert_save_public(cert, allowed) != 0) {
        snprintf(why, whylen, "cannot write %s: %s", allowed, strerror(errno));
        rc = -1;
    }
    zcert_destroy(&cert);
    return rc;
}
