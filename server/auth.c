#include "auth.h"

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

struct auth {
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

auth_t *auth_new(const char *dir, char *why, size_t whylen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/server.key_secret", dir);
    if (s_private_file(path, why, whylen) != 0)
        return NULL;
    auth_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    snprintf(path, sizeof path, "%s/server.key", dir);
    self->server = zcert_load(path);
    if (!self->server ||
        strcmp(zcert_secret_txt(self->server), "0000000000000000000000000000000000000000") == 0) {
        snprintf(why, whylen, "%s: not a CURVE certificate with its secret key", path);
        auth_destroy(&self);
        return NULL;
    }
    snprintf(path, sizeof path, "%s/clients", dir);
    self->clients_dir = strdup(path);
    self->allowed = zcertstore_new(path);
    if (!self->clients_dir || !self->allowed) {
        snprintf(why, whylen, "%s: cannot read the allow-list", path);
        auth_destroy(&self);
        return NULL;
    }
    return self;
}

void auth_destroy(auth_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    auth_t *self = *self_p;
    if (self->zap)
        zmq_close(self->zap);
    zcert_destroy(&self->server);
    zcertstore_destroy(&self->allowed);
    free(self->clients_dir);
    free(self);
    *self_p = NULL;
}

int auth_start(auth_t *self, void *ctx, char *why, size_t whylen)
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

int auth_apply(auth_t *self, void *socket)
{
    int server = 1;
    if (zmq_setsockopt(socket, ZMQ_CURVE_SERVER, &server, sizeof server) != 0 ||
        zmq_setsockopt(socket, ZMQ_CURVE_SECRETKEY, zcert_secret_key(self->server), 32) != 0 ||
        zmq_setsockopt(socket, ZMQ_ZAP_DOMAIN, S_DOMAIN, strlen(S_DOMAIN)) != 0)
        return -1;
    return 0;
}

void *auth_zap_socket(auth_t *self)
{
    return self->zap;
}

size_t auth_allowed_count(auth_t *self)
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

void auth_handle_zap(auth_t *self)
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
