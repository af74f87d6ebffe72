/* The clerk roster: see roster.h. */
#include "roster.h"

#include "hq_trust.h"

#include "hq_proto.h"
#include "hq_utf8.h"

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_HASH_MAX 128  /* a yescrypt hash is 73 characters at the default cost */
#define S_LINE_MAX 1024 /* a longer line is no roster line */

typedef struct {
    char name[HQ_CLERK_MAX];
    char hash[S_HASH_MAX];
} s_clerk_t;

struct roster {
    char *path;        /* the file */
    char *folder;      /* the folder that holds it */
    s_clerk_t *clerks; /* in the file's order */
    size_t n, cap;
    int broken;             /* the last read failed: every login is refused */
    int seen;               /* the file was looked at once: `was` holds what it was */
    struct stat was;        /* the file at the last look (all 0: absent) */
    struct stat folder_was; /* its folder at the last look (its mode and owner count) */
};

roster_t *roster_new(const char *path)
{
    roster_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->path = strdup(path);
    self->folder = strdup(path);
    if (!self->path || !self->folder) {
        roster_destroy(&self);
        return NULL;
    }
    char *slash = strrchr(self->folder, '/');
    if (!slash)
        strcpy(self->folder, ".");
    else if (slash == self->folder)
        slash[1] = '\0';
    else
        *slash = '\0';
    return self;
}

void roster_destroy(roster_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    roster_t *self = *self_p;
    if (self->clerks)
        memset(self->clerks, 0, self->cap * sizeof *self->clerks);
    free(self->clerks);
    free(self->path);
    free(self->folder);
    free(self);
    *self_p = NULL;
}

const char *roster_path(const roster_t *self)
{
    return self->path;
}

/* ---- trusting the file --------------------------------------------------------------------- */
/* The key store's rule (server/auth.c): hq_trust_check. */
static int s_safe(const char *path, const struct stat *sb, int secret, char *why, size_t whylen)
{
    return hq_trust_check(path, sb, secret, why, whylen);
}

/* ---- reading -------------------------------------------------------------------------------- */
static int s_grow(roster_t *self)
{
    if (self->n < self->cap)
        return 0;
    size_t cap = self->cap ? self->cap * 2 : 16;
    s_clerk_t *grown = realloc(self->clerks, cap * sizeof *grown);
    if (!grown)
        return -1;
    self->clerks = grown;
    self->cap = cap;
    return 0;
}

static s_clerk_t *s_find(const roster_t *self, const char *name)
{
    for (size_t i = 0; i < self->n; i++)
        if (strcmp(self->clerks[i].name, name) == 0)
            return &self->clerks[i];
    return NULL;
}

/* One "NAME:HASH" line (its newline taken off) into the roster. */
static int s_parse_line(roster_t *self, char *line, int lineno, char *why, size_t whylen)
{
    char *colon = strchr(line, ':');
    if (!colon)
        return hq_fail(why, whylen, "%s:%d: not NAME:HASH", self->path, lineno);
    *colon = '\0';
    const char *hash = colon + 1;
    char bad[120];
    if (roster_name_valid(line, bad, sizeof bad) != 0)
        return hq_fail(why, whylen, "%s:%d: %s", self->path, lineno, bad);
    if (hash[0] != '$' || strlen(hash) >= S_HASH_MAX || strpbrk(hash, " \t\r"))
        return hq_fail(why, whylen, "%s:%d: the PIN hash is not a crypt(3) hash", self->path,
                       lineno);
    if (s_find(self, line))
        return hq_fail(why, whylen, "%s:%d: clerk %s is listed twice", self->path, lineno, line);
    if (s_grow(self) != 0)
        return hq_fail(why, whylen, "out of memory");
    s_clerk_t *c = &self->clerks[self->n++];
    hq_strlcpy(c->name, line, sizeof c->name);
    hq_strlcpy(c->hash, hash, sizeof c->hash);
    return 0;
}

/* Reads the open file into the roster (emptied first). */
static int s_read(roster_t *self, int fd, char *why, size_t whylen)
{
    FILE *f = fdopen(fd, "r");
    if (!f) {
        close(fd);
        return hq_fail(why, whylen, "%s: %s", self->path, strerror(errno));
    }
    self->n = 0;
    char line[S_LINE_MAX];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n')
            rc = hq_fail(why, whylen, "%s:%d: line too long", self->path, lineno);
        else {
            line[strcspn(line, "\r\n")] = '\0';
            if (line[0] && line[0] != '#')
                rc = s_parse_line(self, line, lineno, why, whylen);
        }
    }
    if (rc == 0 && ferror(f))
        rc = hq_fail(why, whylen, "%s: %s", self->path, strerror(errno));
    memset(line, 0, sizeof line);
    fclose(f);
    return rc;
}

/* A file or folder changed since `was`: another inode, size, content, or owner and mode
 * (ctime). */
static int s_changed(const struct stat *was, const struct stat *now)
{
    return was->st_dev != now->st_dev || was->st_ino != now->st_ino ||
           was->st_size != now->st_size || was->st_mtim.tv_sec != now->st_mtim.tv_sec ||
           was->st_mtim.tv_nsec != now->st_mtim.tv_nsec ||
           was->st_ctim.tv_sec != now->st_ctim.tv_sec ||
           was->st_ctim.tv_nsec != now->st_ctim.tv_nsec;
}

/* Reads the file, known to be there, checked as it is opened. */
static int s_load(roster_t *self, const struct stat *folder, char *why, size_t whylen)
{
    /* Whoever may write in the folder may replace the file. */
    if (s_safe(self->folder, folder, 0, why, whylen) != 0)
        return -1;
    /* Checked on what was opened, not on the name: nothing is swapped in between. */
    int fd = open(self->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return hq_fail(why, whylen, "%s: %s", self->path, strerror(e));
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return hq_fail(why, whylen, "%s is not a regular file", self->path);
    }
    if (s_safe(self->path, &sb, 1, why, whylen) != 0) {
        close(fd);
        return -1;
    }
    return s_read(self, fd, why, whylen);
}

int roster_refresh(roster_t *self, char *why, size_t whylen)
{
    struct stat now, folder;
    memset(&now, 0, sizeof now);
    memset(&folder, 0, sizeof folder);
    int absent = stat(self->path, &now) != 0 && errno == ENOENT;
    int e = errno;
    if (absent)
        memset(&now, 0, sizeof now);
    else if (now.st_ino == 0 || stat(self->folder, &folder) != 0)
        e = errno; /* the look itself failed: the file is read (and fails) below */
    if (self->seen && !s_changed(&self->was, &now) && !s_changed(&self->folder_was, &folder))
        return 0;
    self->seen = 1;
    self->was = now;
    self->folder_was = folder;
    self->n = 0;
    self->broken = 0;
    if (absent)
        return 1;
    int rc = now.st_ino == 0 || folder.st_ino == 0
                 ? hq_fail(why, whylen, "%s: %s", self->path, strerror(e))
                 : s_load(self, &folder, why, whylen);
    if (rc != 0) {
        self->n = 0;
        self->broken = 1;
        return -1;
    }
    return 1;
}

int roster_active(const roster_t *self)
{
    return self && (self->broken || self->n > 0);
}

size_t roster_count(const roster_t *self)
{
    return self ? self->n : 0;
}

const char *roster_name(const roster_t *self, size_t i)
{
    return self && i < self->n ? self->clerks[i].name : NULL;
}

/* ---- checking a PIN ---------------------------------------------------------------------------
 */
/* Compares two hashes in a time that depends on their length only. */
static int s_same(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b))
        return 0;
    volatile unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* crypt(3) of pin with `setting` (a salt, or a whole hash to check against) into out. */
static int s_hash(const char *pin, const char *setting, char *out, size_t outlen)
{
    struct crypt_data *data = calloc(1, sizeof *data);
    if (!data)
        return -1;
    const char *h = crypt_rn(pin, setting, data, (int)sizeof *data);
    /* A failure gives NULL or a string starting with '*', never a hash. */
    int rc = h && h[0] == '$' && hq_strlcpy(out, h, outlen) == 0 ? 0 : -1;
    memset(data, 0, sizeof *data);
    free(data);
    return rc;
}

int roster_check(const roster_t *self, const char *clerk, const char *pin, char *why, size_t whylen)
{
    if (!roster_active(self))
        return 0;
    if (self->broken)
        return hq_fail(why, whylen,
                       "the clerk roster cannot be used (hallqd's log says why): no login until "
                       "it is fixed");
    const s_clerk_t *c = s_find(self, clerk);
    if (!c)
        return hq_fail(why, whylen, "clerk %s is not on the hall's roster", clerk);
    if (!pin || !pin[0])
        return hq_fail(why, whylen, "a PIN is needed for clerk %s (the hall has a clerk roster)",
                       clerk);
    char got[S_HASH_MAX];
    int ok = s_hash(pin, c->hash, got, sizeof got) == 0 && s_same(got, c->hash);
    memset(got, 0, sizeof got);
    if (!ok)
        return hq_fail(why, whylen, "wrong PIN for clerk %s", clerk);
    return 0;
}

/* ---- editing ----------------------------------------------------------------------------------
 */
int roster_name_valid(const char *name, char *why, size_t whylen)
{
    size_t len = strlen(name);
    if (len == 0 || len >= HQ_CLERK_MAX)
        return hq_fail(why, whylen, "a clerk name has 1 to %d bytes", HQ_CLERK_MAX - 1);
    if (hq_utf8_check(name, len, 1, NULL, NULL) != HQ_UTF8_OK)
        return hq_fail(why, whylen, "a clerk name is UTF-8 text without control characters");
    if (strchr(name, ':') || name[0] == '#')
        return hq_fail(why, whylen, "a clerk name has no ':' and does not start with '#'");
    return 0;
}

int roster_pin_valid(const char *pin, char *why, size_t whylen)
{
    size_t len = strlen(pin);
    if (len < ROSTER_PIN_MIN || len > ROSTER_PIN_MAX || strspn(pin, "0123456789") != len)
        return hq_fail(why, whylen, "a PIN is %d to %d digits", ROSTER_PIN_MIN, ROSTER_PIN_MAX);
    return 0;
}

int roster_set(roster_t *self, const char *name, const char *pin, char *why, size_t whylen)
{
    if (roster_name_valid(name, why, whylen) != 0 || roster_pin_valid(pin, why, whylen) != 0)
        return -1;
    char salt[CRYPT_GENSALT_OUTPUT_SIZE], hash[S_HASH_MAX];
    /* yescrypt at libxcrypt's default cost; the salt from the system's random source. */
    if (!crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof salt) ||
        s_hash(pin, salt, hash, sizeof hash) != 0)
        return hq_fail(why, whylen, "cannot hash the PIN: %s", strerror(errno));
    s_clerk_t *c = s_find(self, name);
    if (!c) {
        if (s_grow(self) != 0)
            return hq_fail(why, whylen, "out of memory");
        c = &self->clerks[self->n++];
        hq_strlcpy(c->name, name, sizeof c->name);
    }
    hq_strlcpy(c->hash, hash, sizeof c->hash);
    return 0;
}

int roster_remove(roster_t *self, const char *name)
{
    s_clerk_t *c = s_find(self, name);
    if (!c)
        return -1;
    size_t i = (size_t)(c - self->clerks);
    memmove(c, c + 1, (self->n - i - 1) * sizeof *c);
    self->n--;
    return 0;
}

/* Writes all of buf, or fails. */
static int s_write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

int roster_save(roster_t *self, char *why, size_t whylen)
{
    if (self->broken)
        return hq_fail(why, whylen, "%s was not read whole: fix it first", self->path);
    if (mkdir(self->folder, 0750) != 0 && errno != EEXIST)
        return hq_fail(why, whylen, "%s: %s", self->folder, strerror(errno));
    char tmp[1100];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.new-%ld", self->path, (long)getpid()) >= sizeof tmp)
        return hq_fail(why, whylen, "%s: path too long", self->path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return hq_fail(why, whylen, "%s: %s", tmp, strerror(errno));
    int rc = fchmod(fd, 0600); /* whatever the umask */
    static const char head[] = "# hallq clerk roster: NAME:PIN-HASH, written by hallqctl clerk\n";
    rc = rc == 0 ? s_write_all(fd, head, sizeof head - 1) : -1;
    for (size_t i = 0; rc == 0 && i < self->n; i++) {
        char line[HQ_CLERK_MAX + S_HASH_MAX + 2];
        int len =
            snprintf(line, sizeof line, "%s:%s\n", self->clerks[i].name, self->clerks[i].hash);
        rc = s_write_all(fd, line, (size_t)len);
    }
    if (rc == 0)
        rc = fsync(fd);
    int e = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        e = errno;
    }
    if (rc == 0 && rename(tmp, self->path) != 0) {
        rc = -1;
        e = errno;
    }
    if (rc != 0) {
        unlink(tmp);
        return hq_fail(why, whylen, "cannot write %s: %s", self->path, strerror(e));
    }
    return 0;
}
