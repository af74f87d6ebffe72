/* The hall's clerk roster: the clerks who may log in at a window, each with a PIN kept only
 * as a yescrypt hash (crypt(3) of libxcrypt). One file, DATA/clerks (ROSTER_FILE in the
 * daemon's data directory), a line "NAME:HASH" per clerk; `hallqctl clerk` writes it, hallqd
 * reads it at start and again whenever it changes.
 *
 * The hall has a roster when the file lists a clerk. Then a login must name a listed clerk
 * and carry that clerk's PIN; without the file (or with none listed) any clerk name logs in,
 * as before rosters existed. Checking a PIN costs one yescrypt hash, about 30 ms at
 * libxcrypt's default cost: once per login, and what makes a copied file slow to guess from.
 *
 * The file decides who may log in, so it is trusted only as the key store is (server/auth.h):
 * it and its folder owned by root or the running user and writable by nobody else, and the
 * file readable by nobody else (the hashes of short PINs must not be handed out).
 *
 *     roster_t *r = roster_new("/var/lib/hallq/clerks");
 *     if (roster_refresh(r, why, sizeof why) < 0) ...   // unsafe or unreadable: say why
 *     if (roster_check(r, "wang", pin, why, sizeof why) != 0) ...   // refused: why says so
 *     roster_destroy(&r); */
#ifndef HALLQ_ROSTER_H
#define HALLQ_ROSTER_H

#include <stddef.h>

#define ROSTER_FILE "clerks" /* in the daemon's data directory */
#define ROSTER_PIN_MIN 4     /* a PIN is 4 to 12 digits */
#define ROSTER_PIN_MAX 12

typedef struct roster roster_t;

/* The roster kept in `path`, empty until roster_refresh reads it. NULL out of memory. */
roster_t *roster_new(const char *path);
void roster_destroy(roster_t **self_p); /* safe twice */
const char *roster_path(const roster_t *self);

/* Reads the file again when it changed since the last look (or was never read): 0 nothing
 * changed, 1 read anew (a missing file is an empty roster), -1 it cannot be trusted or read,
 * with a one-line reason naming the path and the problem. After -1 the roster is broken:
 * active and refusing every login, until a later refresh reads a good file. A stat() of the
 * file and one of its folder when nothing changed. */
int roster_refresh(roster_t *self, char *why, size_t whylen);
/* The hall has a roster: a clerk is listed, or the file is broken. */
int roster_active(const roster_t *self);
size_t roster_count(const roster_t *self);
/* The i-th clerk, in the file's order; NULL past the end. */
const char *roster_name(const roster_t *self, size_t i);

/* 0 when `clerk` may log in with `pin` (NULL or "" when none came): always when the roster
 * is not active (NULL included). Otherwise -1 and why, one line that never repeats the PIN:
 * "a PIN is needed for clerk NAME ...", "wrong PIN for clerk NAME", "clerk NAME is not on
 * the hall's roster", or that the roster is broken. Costs one hash when the clerk is listed
 * and a PIN came. */
int roster_check(const roster_t *self, const char *clerk, const char *pin, char *why,
                 size_t whylen);

/* ---- editing (hallqctl clerk) ---- */
/* A name a login can carry (1-31 bytes of UTF-8 text) that the file can hold (no ':').
 * 0, or -1 with why. */
int roster_name_valid(const char *name, char *why, size_t whylen);
/* ROSTER_PIN_MIN to ROSTER_PIN_MAX digits. 0, or -1 with why (which never quotes it). */
int roster_pin_valid(const char *pin, char *why, size_t whylen);
/* Lists `name` with a fresh hash of `pin`, replacing an entry of the same name. 0, or -1
 * with why (bad name or PIN, the hash failed, out of memory). */
int roster_set(roster_t *self, const char *name, const char *pin, char *why, size_t whylen);
/* Takes `name` off the roster: 0, or -1 when it was not on it. */
int roster_remove(roster_t *self, const char *name);
/* Writes the roster to its file as a whole: a new private file (600) renamed over the old,
 * so the daemon never reads half of it. The folder is made (750) when missing. 0, or -1
 * with why. A broken roster is not written. */
int roster_save(roster_t *self, char *why, size_t whylen);

#endif
