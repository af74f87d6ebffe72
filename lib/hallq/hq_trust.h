/* Whether a file that decides who gets in (the key store, the clerk roster) can be trusted,
 * as ssh's StrictModes decides: owned by root or this process's user, writable by nobody else,
 * and, when it holds a secret, readable by nobody else. Pure but for naming the owner. */
#ifndef HQ_TRUST_H
#define HQ_TRUST_H

#include <stddef.h>
#include <sys/stat.h>

/* 0, or -1 with a one-line reason naming `path`, the problem and the command that fixes it. */
int hq_trust_check(const char *path, const struct stat *sb, int secret, char *why, size_t whylen);

#endif
