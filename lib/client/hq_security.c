#include "hq_security.h"

#include <czmq.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

static const char *s_client_path, *s_server_path;
static zcert_t *s_client, *s_server; /* loaded once per process */

void hq_security_set(const char *client_cert, const char *server_cert)
{
    s_client_path = client_cert;
    s_server_path = server_cert;
    zcert_destroy(&s_client);
    zcert_destroy(&s_server);
}

static void s_error(hq_error_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void s_error(hq_error_t *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err->code = HQ_E_FORBIDDEN;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

/* The device's certificate with its secret, which must be private. */
static zcert_t *s_load_client(const char *client, hq_error_t *err)
{
    char secret[1024];
    struct stat sb;
    snprintf(secret, sizeof secret, "%s_secret", client);
    if (stat(secret, &sb) != 0) {
        s_error(err, "device key %.100s: %.40s", secret, strerror(errno));
        return NULL;
    }
    if (sb.st_mode & 077) {
        s_error(err, "device key %.100s is readable by others: chmod 600 it", secret);
        return NULL;
    }
    zcert_t *cert = zcert_load(client);
    if (!cert || strcmp(zcert_secret_txt(cert), "0000000000000000000000000000000000000000") == 0) {
        zcert_destroy(&cert);
        s_error(err, "device key %.100s is not a CURVE certificate with its secret", client);
        return NULL;
    }
    return cert;
}

static int s_apply(void *socket, zcert_t *client, zcert_t *server, hq_error_t *err)
{
    if (zmq_setsockopt(socket, ZMQ_CURVE_SERVERKEY, zcert_public_key(server), 32) != 0 ||
        zmq_setsockopt(socket, ZMQ_CURVE_PUBLICKEY, zcert_public_key(client), 32) != 0 ||
        zmq_setsockopt(socket, ZMQ_CURVE_SECRETKEY, zcert_secret_key(client), 32) != 0) {
        s_error(err, "cannot enable CURVE: %s", zmq_strerror(zmq_errno()));
        return -1;
    }
    return 0;
}

int hq_security_client(void *socket, hq_error_t *err)
{
    const char *client = s_client_path ? s_client_path : getenv("HALLQ_KEY");
    const char *server = s_server_path ? s_server_path : getenv("HALLQ_SERVER_KEY");
    if ((!client || !*client) && (!server || !*server))
        return 0;
    if (!client || !*client || !server || !*server) {
        s_error(err, "set both HALLQ_KEY and HALLQ_SERVER_KEY (hallqctl keys)");
        return -1;
    }
    if (!s_client && !(s_client = s_load_client(client, err)))
        return -1;
    if (!s_server) {
        s_server = zcert_load(server);
        if (!s_server) {
            s_error(err, "server key %.100s cannot be read", server);
            return -1;
        }
    }
    return s_apply(socket, s_client, s_server, err);
}

int hq_security_client_as(void *socket, const char *client, hq_error_t *err)
{
    const char *server = s_server_path ? s_server_path : getenv("HALLQ_SERVER_KEY");
    if (!server || !*server) {
        s_error(err, "device key %.100s needs the server's key too (HALLQ_SERVER_KEY)", client);
        return -1;
    }
    zcert_t *cert = s_load_client(client, err);
    zcert_t *srv = cert ? zcert_load(server) : NULL;
    int rc = -1;
    if (cert && !srv)
        s_error(err, "server key %.100s cannot be read", server);
    else if (cert)
        rc = s_apply(socket, cert, srv, err);
    zcert_destroy(&cert);
    zcert_destroy(&srv);
    return rc;
}
