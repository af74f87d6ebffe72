/* hallqctl clerk: the hall's clerk roster (lib/hallq/roster.h), DATA/clerks, edited where the
 * daemon reads it; and the PIN a clerk types, read without echo. The daemon rereads the file
 * when it changes, so an added clerk logs in at once. */
#ifndef HALLQ_CLERK_H
#define HALLQ_CLERK_H

#include <stddef.h>

/* "clerk add NAME" (the PIN from the terminal, twice, or one line of standard input),
 * "clerk remove NAME", "clerk list", on the roster in data_dir. words[0] is "clerk". Prints
 * what it did; returns the exit status (lib/ui's: 2 bad words or PIN, 4 the file). */
int clerk_verb(const char *data_dir, int nwords, const char *const *words);

/* Reads a PIN: from the terminal without echo after `prompt` (on standard error) when
 * standard input is one, else one line of standard input. 0, or -1 with why (end of input,
 * interrupted, too long). The caller wipes out when done. */
int clerk_read_pin(const char *prompt, char *out, size_t outlen, char *why, size_t whylen);

#endif
