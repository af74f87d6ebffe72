#include "hq_trust.h"

#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

static void s_user_name(uid_t uid, char *out, size_t outlen)
{
    const struct passwd *pw = getpwuid(uid);
    if (pw)
        snprintf(out, outlen, "%s", pw->pw_name);
    else
        snprintf(out, outlen, "uid %u", (unsigned)uid);
}

int hq_trust_check(const char *path, const struct stat *sb, int secret, char *why, size_t whylen)
{
    if (sb->st_uid != 0 && sb->st_uid != geteuid()) {
        char owner[64], me[64];
        s_user_name(sb->st_uid, owner, sizeof owner);
        s_user_name(geteuid(), me, sizeof me);
        snprintf(why, whylen,
                 "%s is owned by %s, not by root or %s (the user hallqd runs as): chown it", path,
                 owner, me);
        return -1;
    }
    unsigned mode = (unsigned)(sb->st_mode & 0777);
    if (mode & 022) {
        snprintf(why, whylen, "%s is writable by group or others (mode %03o): chmod %s it", path,
                 mode, secret ? "600" : "go-w");
        return -1;
    }
    if (secret && (mode & 077)) {
        snprintf(why, whylen, "%s is readable by others (mode %03o): chmod 600 it", path, mode);
        return -1;
    }
    return 0;
}
