/* Whether bytes are text: well-formed UTF-8 and, for text a screen will draw, free of control
 * characters. One check for every way text comes in (requests, the configuration), so that
 * what one path refuses no other path lets through. */
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

#endif
