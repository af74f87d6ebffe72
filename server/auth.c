#include "auth.h"

#include "hq_log.h"
#include "hq_trust.h"
#include "roles.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_DOMAIN "hallq"
#define S_WATCH_MAX 4 /* CURVE sockets watched: hallqd has two */

/* The handshake events of one CURVE socket. Read in the loop's own thread rather than through
 * czmq's zmonitor actor: zmonitor's thread stops the monitor on a socket the loop may already
 * have closed. */
typedef struct {
    zsock_t *events;    /* PAIR receiving libzmq's monitor events */
    char what[16];      /* "requests", "events" */
    struct auth *owner; /* for the allow-list's name */
} s_watch_t;

/* A device the allow-list lets in. */
typedef struct {
    char role[32];
    char name[72];
} s_device_t;

struct auth {
    zcert_t *server;   /* the daemon's key pair */
    char *keys_dir;    /* the key store, checked as at start whenever it changes */
    char *clients_dir; /* the allow-list, read by zauth */
    /* The daemon's own reading of the allow-list, checked on every request: zauth reads it
     * only when a connection is made. Public key (Z85) -> s_device_t. */
    zhashx_t *allowed;
    struct timespec dir_mtime; /* of clients_dir when `allowed` was read */
    uint64_t files_sig;        /* of the certificates' names, sizes and times then */
    char unsafe[256];          /* why the store is unsafe now ("" when it is safe) */
    zactor_t *zauth;           /* answers the handshakes (RFC 27) */
    s_watch_t watches[S_WATCH_MAX];
    int nwatches;
};

static void s_free_devices(zhashx_t **table_p)
{
    if (!*table_p)
        return;
    for (void *d = zhashx_first(*table_p); d; d = zhashx_next(*table_p))
        free(d);
    zhashx_destroy(table_p);
}

/* ---- the key store's own safety (as ssh's StrictModes) ------------------------------------ */
/* Only root and the daemon's own user may own what decides who gets in, and nobody else may
 * write to it: whoever can write there can list a key or raise a role. A secret key must also
 * be unreadable by others (hq_trust_check). */
static int s_safe(const char *path, int secret, char *why, size_t whylen)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        snprintf(why, whylen, "%s: %s", path, strerror(errno));
        return -1;
    }
    return hq_trust_check(path, &sb, secret, why, whylen);
}

/* Everything below clients/ that zauth would read, folders included. */
static int s_safe_tree(const char *dir, int depth, char *why, size_t whylen)
{
    if (s_safe(dir, 0, why, whylen) != 0)
        return -1;
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(why, whylen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    const struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) && depth < 8)
            rc = s_safe_tree(path, depth + 1, why, whylen);
        else
            rc = s_safe(path, 0, why, whylen);
    }
    closedir(d);
    return rc;
}

int auth_check_store(const char *dir, char *why, size_t whylen)
{
    char path[1024];
    if (s_safe(dir, 0, why, whylen) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/server.key_secret", dir);
    if (s_safe(path, 1, why, whylen) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/clients", dir);
    return s_safe_tree(path, 0, why, whylen);
}

/* hallqctl keys new once kept every device's secret in DIR/devices: say so once, at start. */
static void s_warn_device_secrets(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/devices", dir);
    DIR *d = opendir(path);
    if (!d)
        return;
    size_t n = 0;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        n += len > 7 && strcmp(e->d_name + len - 7, "_secret") == 0;
    }
    closedir(d);
    if (n)
        hq_warn("%s holds %zu device secret key(s) from an older hallqctl: copy each to its "
                "device and remove them from the server (keys new --out now hands them out)",
                path, n);
}

auth_t *auth_new(const char *dir, char *why, size_t whylen)
{
    char path[1024];
    if (auth_check_store(dir, why, whylen) != 0)
        return NULL;
    s_warn_device_secrets(dir);
    auth_t *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
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
    self->keys_dir = strdup(dir);
    /* zauth copies a listed certificate's metadata into a 512-byte buffer without a bound;
     * hallqctl keys writes about 100 bytes (a name of at most 64 characters and a role). */
    self->zauth = zactor_new(zauth, NULL);
    if (!self->clients_dir || !self->keys_dir || !self->zauth) {
        snprintf(why, whylen, "cannot start the ZAP handler (zauth)");
        auth_destroy(&self);
        return NULL;
    }
    /* Quiet unless asked: its lines name the key and address of every handshake. */
    if (hq_log_get_level() >= HQ_LOG_DEBUG) {
        zstr_sendx(self->zauth, "VERBOSE", NULL);
        zsock_wait(self->zauth);
    }
    zstr_sendx(self->zauth, "CURVE", self->clients_dir, NULL);
    zsock_wait(self->zauth);
    return self;
}

void auth_destroy(auth_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    auth_t *self = *self_p;
    for (int i = 0; i < self->nwatches; i++)
        zsock_destroy(&self->watches[i].events);
    zactor_destroy(&self->zauth);
    s_free_devices(&self->allowed);
    zcert_destroy(&self->server);
    free(self->clients_dir);
    free(self->keys_dir);
    free(self);
    *self_p = NULL;
}

int auth_apply(auth_t *self, void *socket, const char *what)
{
    zsock_set_curve_server(socket, 1);
    zsock_set_curve_secretkey_bin(socket, zcert_secret_key(self->server));
    zsock_set_zap_domain(socket, S_DOMAIN);
    for (int i = 0; i < self->nwatches; i++)
        if (strcmp(self->watches[i].what, what) == 0)
            return 0; /* bound again after a cut-off: watched once is enough */
    if (self->nwatches == S_WATCH_MAX) {
        errno = EMFILE;
        return -1;
    }
    s_watch_t *w = &self->watches[self->nwatches];
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "inproc://hallq-handshakes-%d", self->nwatches);
    if (zmq_socket_monitor(socket, endpoint,
                           ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) !=
        0)
        return -1;
    w->events = zsock_new(ZMQ_PAIR);
    if (!w->events || zsock_connect(w->events, "%s", endpoint) != 0) {
        zsock_destroy(&w->events);
        return -1;
    }
    w->owner = self;
    snprintf(w->what, sizeof w->what, "%s", what);
    self->nwatches++;
    return 0;
}

static int s_on_handshake(zloop_t *loop, zsock_t *events, void *arg)
{
    (void)loop;
    const s_watch_t *w = arg;
    /* Two frames: event (2 bytes) and value (4 bytes) in host order, then the endpoint. */
    zframe_t *head = zframe_recv(events);
    char *endpoint = zstr_recv(events);
    if (head && endpoint && zframe_size(head) == 6) {
        uint16_t event;
        uint32_t value;
        memcpy(&event, zframe_data(head), 2);
        memcpy(&value, zframe_data(head) + 2, 4);
        /* The endpoint is our own bound one: libzmq names neither the peer nor its key. */
        if (event == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
            hq_warn("refused a key not in %s on the %s socket %s (ZAP %u)", w->owner->clients_dir,
                    w->what, endpoint, (unsigned)value);
        else
            hq_debug("refused a connection on the %s socket %s: not a CURVE handshake with this "
                     "server's key (protocol error 0x%x)",
                     w->what, endpoint, (unsigned)value);
    }
    zframe_destroy(&head);
    zstr_free(&endpoint);
    return 0;
}

int auth_attach(auth_t *self, zloop_t *loop)
{
    for (int i = 0; i < self->nwatches; i++)
        if (zloop_reader(loop, self->watches[i].events, s_on_handshake, &self->watches[i]) != 0)
            return -1;
    return 0;
}

/* The certificates zauth's store loads (every regular file below clients/ but the secret
 * ones) as a new table, and a signature of their names, sizes and times. NULL out of memory. */
static zhashx_t *s_read_allowed(const auth_t *self, uint64_t *sig, int warn)
{
    zhashx_t *table = zhashx_new();
    if (!table)
        return NULL;
    zdir_t *dir = zdir_new(self->clients_dir, NULL);
    zfile_t **files = dir ? zdir_flatten(dir) : NULL;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; files && files[i]; i++) {
        const char *path = zfile_filename(files[i], NULL);
        size_t len = strlen(path);
        if (!zfile_is_regular(files[i]) || (len >= 7 && strcmp(path + len - 7, "_secret") == 0))
            continue;
        char stamp[64];
        snprintf(stamp, sizeof stamp, "|%lld|%lld", (long long)zfile_cursize(files[i]),
                 (long long)zfile_modified(files[i]));
        for (const char *p = path; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        for (const char *p = stamp; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        zcert_t *cert = zcert_load(path);
        if (!cert)
            continue;
        const char *role = zcert_meta(cert, "role");
        const char *name = zcert_meta(cert, "name");
        /* zauth lets such a key in; the request table's role rules then refuse it everything. */
        if (warn && !role_valid(role))
            hq_warn("%s: role '%s' is not kiosk, counter:N, display or manager: every request "
                    "from this device is refused",
                    path, role ? role : "");
        s_device_t *d = calloc(1, sizeof *d);
        if (d) {
            snprintf(d->role, sizeof d->role, "%s", role ? role : "");
            snprintf(d->name, sizeof d->name, "%s", name ? name : "");
            if (zhashx_insert(table, zcert_public_txt(cert), d) != 0)
                free(d); /* the same key twice: the first file stands */
        }
        zcert_destroy(&cert);
    }
    zdir_flatten_free(&files);
    zdir_destroy(&dir);
    *sig = h;
    return table;
}

size_t auth_check_allowed(auth_t *self)
{
    uint64_t sig = 0;
    zhashx_t *table = s_read_allowed(self, &sig, 1);
    if (!table)
        return 0;
    s_free_devices(&self->allowed);
    self->allowed = table;
    self->files_sig = sig;
    struct stat sb;
    if (stat(self->clients_dir, &sb) == 0)
        self->dir_mtime = sb.st_mtim;
    return zhashx_size(table);
}

int auth_refresh(auth_t *self, int full)
{
    struct stat sb;
    if (stat(self->clients_dir, &sb) != 0)
        memset(&sb, 0, sizeof sb);
    int dir_changed = sb.st_mtim.tv_sec != self->dir_mtime.tv_sec ||
                      sb.st_mtim.tv_nsec != self->dir_mtime.tv_nsec;
    if (!full && !dir_changed)
        return 0;
    char why[256] = "";
    if (auth_check_store(self->keys_dir, why, sizeof why) != 0) {
        /* Whoever can write there can list a key or raise a role: trust none of it. */
        if (strcmp(why, self->unsafe) != 0)
            hq_error("the key store became unsafe: %s; refusing every device until it is fixed",
                     why);
        snprintf(self->unsafe, sizeof self->unsafe, "%s", why);
        return 0;
    }
    if (self->unsafe[0])
        hq_info("the key store is safe again: devices are let in as %s lists them",
                self->clients_dir);
    self->unsafe[0] = '\0';
    uint64_t sig = 0;
    zhashx_t *table = s_read_allowed(self, &sig, 0);
    if (!table)
        return 0; /* out of memory: the old list stands until the next look */
    self->dir_mtime = sb.st_mtim;
    if (sig == self->files_sig) {
        s_free_devices(&table);
        return 0;
    }
    int cut = 0;
    for (const s_device_t *d = zhashx_first(self->allowed); d; d = zhashx_next(self->allowed)) {
        const char *key = zhashx_cursor(self->allowed);
        const s_device_t *now = zhashx_lookup(table, key);
        if (!now) {
            hq_warn("device '%s' (%s) was removed from %s: its requests are refused and its "
                    "connections closed",
                    d->name, d->role, self->clients_dir);
            cut++;
        } else if (strcmp(now->role, d->role) != 0) {
            hq_warn("device '%s' changed role from %s to %s", d->name, d->role, now->role);
            cut++;
        }
    }
    for (const s_device_t *d = zhashx_first(table); d; d = zhashx_next(table))
        if (!zhashx_lookup(self->allowed, zhashx_cursor(table)))
            hq_info("device '%s' (%s) added to %s", d->name, d->role, self->clients_dir);
    s_free_devices(&self->allowed);
    self->allowed = table;
    self->files_sig = sig;
    return cut;
}

const char *auth_device(auth_t *self, const char *public_key, const char **name)
{
    const s_device_t *d =
        public_key && !self->unsafe[0] ? zhashx_lookup(self->allowed, public_key) : NULL;
    if (name)
        *name = d ? d->name : "";
    return d ? d->role : NULL;
}
