#include "hq_utf8.h"

#include <stdlib.h>
#include <string.h>

/* What s_decode gives for bytes that are not UTF-8: no character has this value. */
#define S_INVALID 0xFFFFFFFFul

/* Decodes one character at s (left > 0 bytes) into *cp and returns its length. Bytes that
 * are not UTF-8 (RFC 3629: shortest form only, no surrogates, nothing past U+10FFFF) set
 * *cp to S_INVALID and return the length of their maximal ill-formed part: the lead byte
 * and the continuation bytes that could still have followed it (at least 1). */
static size_t s_decode(const unsigned char *s, size_t left, unsigned long *cp)
{
    unsigned char b = s[0];
    unsigned char lo = 0x80, hi = 0xBF; /* where the second byte may lie */
    size_t n;
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        n = 2, *cp = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3, *cp = b & 0x0Fu;
        lo = b == 0xE0 ? 0xA0 : 0x80; /* E0 80..9F would be overlong */
        hi = b == 0xED ? 0x9F : 0xBF; /* ED A0..BF would be a surrogate */
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4, *cp = b & 0x07u;
        lo = b == 0xF0 ? 0x90 : 0x80; /* F0 80..8F would be overlong */
        hi = b == 0xF4 ? 0x8F : 0xBF; /* F4 90.. would be past U+10FFFF */
    } else {
        *cp = S_INVALID; /* a continuation byte, C0/C1 (overlong), or F5-FF */
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if (i >= left || s[i] < lo || s[i] > hi) {
            *cp = S_INVALID;
            return i;
        }
        *cp = (*cp << 6) | (s[i] & 0x3Fu);
        lo = 0x80, hi = 0xBF;
    }
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
        if (cp == S_INVALID)
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

/* ---- the sanitiser ------------------------------------------------------------------------ */

/* Characters a screen never gets: controls, and the format characters that reorder or break
 * the text around them. */
static int s_dropped(unsigned long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
           cp == 0x200F || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x206F);
}

/* Where the escape-sequence parser stands, as a terminal's (ECMA-48, the VT500 parser) would
 * after the same bytes. */
typedef enum {
    S_TEXT,      /* ordinary text */
    S_ESC,       /* after ESC */
    S_ESC_INTER, /* after ESC and intermediate bytes (0x20-0x2F), until a final byte */
    S_CSI,       /* after CSI, until a final byte (0x40-0x7E) */
    S_STRING,    /* in an OSC, DCS, SOS, PM or APC string, until BEL or ST */
    S_STRING_ESC /* in such a string after ESC: ESC \ is ST */
} s_state_t;

/* The state a C1 control leads to (ESC followed by 0x40-0x5F is the same control written
 * in 7 bits: ESC [ is CSI). */
static s_state_t s_after_c1(unsigned long cp)
{
    switch (cp) {
    case 0x9B: /* CSI */
        return S_CSI;
    case 0x90: /* DCS */
    case 0x98: /* SOS */
    case 0x9D: /* OSC */
    case 0x9E: /* PM */
    case 0x9F: /* APC */
        return S_STRING;
    default: /* ST and the controls that take no arguments */
        return S_TEXT;
    }
}

/* One step of the parser over the character cp: 1 when cp belongs to a sequence (or ends
 * one) and is swallowed, 0 when it is text. */
static int s_swallow(s_state_t *st, unsigned long cp)
{
    if (*st == S_STRING || *st == S_STRING_ESC) {
        if (*st == S_STRING_ESC && cp == '\\') {
            *st = S_TEXT;
        } else if (cp == 0x1B) {
            *st = S_STRING_ESC;
        } else if (cp == 0x07 || cp == 0x9C || cp == 0x18 || cp == 0x1A) {
            *st = S_TEXT;
        } else if (*st == S_STRING_ESC) {
            /* ESC that is not the start of ST ends the string and starts a sequence. */
            *st = S_ESC;
            return s_swallow(st, cp);
        }
        return 1;
    }
    if (cp == 0x18 || cp == 0x1A) { /* CAN, SUB: the sequence is cancelled */
        *st = S_TEXT;
        return 1;
    }
    if (cp == 0x1B) {
        *st = S_ESC;
        return 1;
    }
    if (cp >= 0x80 && cp <= 0x9F) {
        *st = s_after_c1(cp);
        return 1;
    }
    switch (*st) {
    case S_ESC:
        if (cp < 0x20 || cp == 0x7F) /* a terminal acts on C0 inside and goes on */
            return 1;
        if (cp <= 0x2F) {
            *st = S_ESC_INTER;
            return 1;
        }
        if (cp >= 0x40 && cp <= 0x5F) {
            *st = s_after_c1(cp + 0x40);
            return 1;
        }
        if (cp <= 0x7E) { /* a final byte: ESC c, ESC 7, ESC = ... */
            *st = S_TEXT;
            return 1;
        }
        break;
    case S_ESC_INTER:
        if (cp < 0x30 || cp == 0x7F)
            return 1;
        if (cp <= 0x7E) {
            *st = S_TEXT;
            return 1;
        }
        break;
    case S_CSI:
        if (cp < 0x40 || cp == 0x7F) /* parameters, intermediates, C0 */
            return 1;
        if (cp <= 0x7E) {
            *st = S_TEXT;
            return 1;
        }
        break;
    default:
        return 0;
    }
    /* Not ASCII where a sequence wanted ASCII: the sequence is over and this is text. */
    *st = S_TEXT;
    return 0;
}

size_t hq_utf8_sanitise(const char *s, size_t len, char *out, size_t outlen)
{
    static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
    const unsigned char *p = (const unsigned char *)s;
    s_state_t st = S_TEXT;
    size_t i = 0, used = 0;
    if (outlen == 0)
        return 0;
    while (i < len) {
        unsigned long cp;
        size_t n = s_decode(p + i, len - i, &cp);
        const char *keep = NULL;
        size_t keep_len = 0;
        if (!s_swallow(&st, cp)) {
            if (cp == S_INVALID)
                keep = replacement, keep_len = sizeof replacement - 1;
            else if (!s_dropped(cp))
                keep = (const char *)p + i, keep_len = n;
        }
        if (keep) {
            if (used + keep_len >= outlen)
                break; /* full: never half a character */
            memcpy(out + used, keep, keep_len);
            used += keep_len;
        }
        i += n;
    }
    out[used] = '\0';
    return used;
}

int hq_utf8_is_clean(const char *s, size_t len)
{
    /* Without a control there is no sequence, and the rest is kept as it is. */
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned long cp;
        size_t n = s_decode(p + i, len - i, &cp);
        if (cp == S_INVALID || s_dropped(cp))
            return 0;
        i += n;
    }
    return 1;
}

char *hq_utf8_sanitise_dup(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len * 3 + 1); /* each byte at worst a U+FFFD of three */
    if (out)
        hq_utf8_sanitise(s, len, out, len * 3 + 1);
    return out;
}

void hq_utf8_sanitise_field(char *field, size_t size)
{
    if (size == 0)
        return;
    size_t len = strnlen(field, size);
    if (len < size && hq_utf8_is_clean(field, len))
        return;
    char small[256];
    char *copy = len <= sizeof small ? small : malloc(len);
    if (!copy) {
        field[0] = '\0';
        return;
    }
    memcpy(copy, field, len);
    hq_utf8_sanitise(copy, len, field, size);
    if (copy != small)
        free(copy);
}
