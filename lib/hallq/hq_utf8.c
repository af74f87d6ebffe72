#include "hq_utf8.h"

#include <string.h>

/* Decodes one character at s (left > 0 bytes). Returns its length, or 0 when the bytes there
 * are not UTF-8 (RFC 3629: shortest form only, no surrogates, nothing past U+10FFFF). */
static size_t s_decode(const unsigned char *s, size_t left, unsigned long *cp)
{
    unsigned char b = s[0];
    size_t n;
    unsigned long min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF)
        n = 2, min = 0x80, *cp = b & 0x1Fu;
    else if (b >= 0xE0 && b <= 0xEF)
        n = 3, min = 0x800, *cp = b & 0x0Fu;
    else if (b >= 0xF0 && b <= 0xF4)
        n = 4, min = 0x10000, *cp = b & 0x07u;
    else
        return 0; /* a continuation byte, C0/C1 (overlong), or F5-FF */
    if (left < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3Fu);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return n;
}

hq_utf8_fault_t hq_utf8_check(const char *s, size_t len, int controls, const char *allowed,
                              size_t *at)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned long cp;
        size_t n = s_decode(p + i, len - i, &cp);
        hq_utf8_fault_t fault = HQ_UTF8_OK;
        if (n == 0)
            fault = HQ_UTF8_INVALID;
        else if (controls && (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) &&
                 !(cp != 0 && allowed && cp < 0x80 && strchr(allowed, (int)cp)))
            fault = HQ_UTF8_CONTROL;
        if (fault != HQ_UTF8_OK) {
            if (at)
                *at = i;
            return fault;
        }
        i += n;
    }
    if (at)
        *at = len;
    return HQ_UTF8_OK;
}
