/* Whether bytes are text: well-formed UTF-8 and, for text a screen will draw, free of control
 * characters. One check for every way text comes in (requests, the configuration), so that
 * what one path refuses no other path lets through; and one sanitiser for every way text
 * goes out to a screen, a terminal or a printer, so that what slipped in anyway (a database
 * written before the check, a hostile daemon, a field added later) cannot drive them. */
#ifndef HQ_UTF8_H
#define HQ_UTF8_H

#include <stddef.h>

typedef enum {
    HQ_UTF8_OK = 0,
    HQ_UTF8_INVALID, /* not UTF-8: a stray or missing continuation byte, an overlong form, a
                        surrogate, past U+10FFFF, or a sequence cut off at the end */
    HQ_UTF8_CONTROL, /* a C0 control (ESC starts every terminal escape sequence), DEL or a C1
                        control (U+0080-U+009F; U+009B is a one-character CSI) */
} hq_utf8_fault_t;

/* Checks len bytes of s. With `controls` set, control characters are refused too, except
 * those named in `allowed` (e.g. "\t"; NULL for none). The first fault found is returned, with
 * its byte offset in *at when at is not NULL. */
hq_utf8_fault_t hq_utf8_check(const char *s, size_t len, int controls, const char *allowed,
                              size_t *at);

/* Turns len bytes of anything into text that is safe to draw, print or speak:
 *   - an escape sequence goes as a whole: ESC [ ... final byte (CSI); ESC ] (OSC) and
 *     ESC P / X / ^ / _ (DCS, SOS, PM, APC) up to BEL or ST, or to the end when nothing ends
 *     the string; ESC with intermediates and a final byte (ESC ( B, ESC # 8, ESC c); and
 *     their one-character C1 forms (U+009B CSI, U+009D OSC, U+0090 DCS ...). What a
 *     terminal would act on inside a sequence (C0 controls, DEL) goes with it; CAN and SUB
 *     end it, ESC starts the next;
 *   - every other control goes: C0 (tab and line feed too), DEL, C1;
 *   - so do the characters that reorder or break text: the bidirectional embeddings,
 *     overrides and isolates (U+202A-U+202E, U+2066-U+2069), the marks U+200E, U+200F and
 *     U+061C, the deprecated format controls U+206A-U+206F and the line and paragraph
 *     separators U+2028, U+2029;
 *   - bytes that are not UTF-8 become one U+FFFD for each maximal ill-formed part (the
 *     Unicode standard's practice: a character cut off at the end is one U+FFFD).
 * Everything else is kept as it was. Writes at most outlen - 1 bytes and a NUL into out
 * (nothing when outlen is 0), stopping before a character that would not fit, so a
 * character is never cut; returns the bytes written. out must not overlap s. */
size_t hq_utf8_sanitise(const char *s, size_t len, char *out, size_t outlen);
/* 1 when hq_utf8_sanitise would give back len bytes of s unchanged, 0 otherwise. */
int hq_utf8_is_clean(const char *s, size_t len);
/* The sanitised form of a NUL-terminated string, in a new string the caller frees; NULL
 * when out of memory. */
char *hq_utf8_sanitise_dup(const char *s);
/* Sanitises the NUL-terminated string in a buffer of `size` bytes in place (a fixed field
 * of a struct); what a U+FFFD pushes past the end is cut at a character. Out of memory, the
 * field is emptied rather than left as it was. */
void hq_utf8_sanitise_field(char *field, size_t size);

#endif
