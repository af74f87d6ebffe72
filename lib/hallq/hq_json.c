/* Compact JSON text of a jansson value, byte for byte what json_dumps(v, JSON_COMPACT |
 * JSON_ENCODE_ANY) writes, in one pass into one growing buffer.
 *
 * Every reply and event the daemon sends goes through here. jansson's own encoder formats
 * every integer with snprintf and every piece of output through a callback; that was about a
 * third of the daemon's CPU time per request. */
#include "hq_proto.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_DEPTH_MAX 2048 /* jansson's own nesting limit (JSON_PARSER_DEFAULT_MAX_DEPTH) */

typedef hq_jtext_t s_out_t;

static int s_reserve(s_out_t *o, size_t more)
{
    if (o->failed)
        return -1;
    if (o->len + more + 1 <= o->cap)
        return 0;
    size_t cap = o->cap ? o->cap : 1024; /* a reply or an event in one allocation */
    while (cap < o->len + more + 1)
        cap *= 2;
    char *buf = realloc(o->buf, cap);
    if (!buf) {
        o->failed = 1;
        return -1;
    }
    o->buf = buf;
    o->cap = cap;
    return 0;
}

static void s_put(s_out_t *o, const char *s, size_t n)
{
    if (s_reserve(o, n) == 0) {
        memcpy(o->buf + o->len, s, n);
        o->len += n;
    }
}

static void s_char(s_out_t *o, char c)
{
    if (s_reserve(o, 1) == 0)
        o->buf[o->len++] = c;
}

static void s_integer(s_out_t *o, json_int_t v)
{
    char tmp[24];
    char *end = tmp + sizeof tmp, *p = end;
    /* Negated as unsigned so the most negative value needs no special case. */
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    s_put(o, p, (size_t)(end - p));
}

/* As jansson: %.17g, the locale's decimal point read as '.', and ".0" when it would read
 * as an integer. Infinities and NaN have no JSON text. */
static void s_real(s_out_t *o, double v)
{
    if (v != v || v - v != 0) {
        o->failed = 1;
        return;
    }
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, "%.17g", v);
    if (n < 0 || (size_t)n >= sizeof tmp - 3) {
        o->failed = 1;
        return;
    }
    int plain = 1;
    for (int i = 0; i < n; i++) {
        if (tmp[i] == ',')
            tmp[i] = '.';
        if (tmp[i] == '.' || tmp[i] == 'e' || tmp[i] == 'E')
            plain = 0;
    }
    /* jansson writes the exponent bare: no '+', no leading zeros ("1e+300" is "1e300"). */
    char *e = memchr(tmp, 'e', (size_t)n);
    if (e) {
        char *from = e + 1, *to = e + 1;
        if (*from == '-')
            from++, to++;
        else if (*from == '+')
            from++;
        while (*from == '0' && from[1])
            from++;
        memmove(to, from, (size_t)(tmp + n - from) + 1);
        n -= (int)(from - to);
    }
    if (plain) {
        tmp[n++] = '.';
        tmp[n++] = '0';
    }
    s_put(o, tmp, (size_t)n);
}

/* Escapes only what JSON requires: '"', '\\' and control characters. UTF-8 passes through.
 * The worst case (every byte a \u00XX) is reserved once, so the loop only copies. */
static void s_string(s_out_t *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    if (n > (SIZE_MAX - 2) / 6 || s_reserve(o, n * 6 + 2) != 0) {
        o->failed = 1;
        return;
    }
    char *w = o->buf + o->len;
    *w++ = '"';
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        memcpy(w, s + run, i - run);
        w += i - run;
        run = i + 1;
        *w++ = '\\';
        switch (c) {
        case '"':
            *w++ = '"';
            break;
        case '\\':
            *w++ = '\\';
            break;
        case '\b':
            *w++ = 'b';
            break;
        case '\f':
            *w++ = 'f';
            break;
        case '\n':
            *w++ = 'n';
            break;
        case '\r':
            *w++ = 'r';
            break;
        case '\t':
            *w++ = 't';
            break;
        default:
            memcpy(w, "u00", 3);
            w[3] = hex[c >> 4];
            w[4] = hex[c & 15];
            w += 5;
        }
    }
    memcpy(w, s + run, n - run);
    w += n - run;
    *w++ = '"';
    o->len = (size_t)(w - o->buf);
}

static void s_value(s_out_t *o, const json_t *v, int depth)
{
    if (depth > S_DEPTH_MAX) {
        o->failed = 1;
        return;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        size_t klen;
        json_t *item;
        int first = 1;
        s_char(o, '{');
        json_object_keylen_foreach((json_t *)v, key, klen, item)
        {
            if (!first)
                s_char(o, ',');
            first = 0;
            s_string(o, key, klen);
            s_char(o, ':');
            s_value(o, item, depth + 1);
        }
        s_char(o, '}');
        break;
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(v);
        s_char(o, '[');
        for (size_t i = 0; i < n; i++) {
            if (i)
                s_char(o, ',');
            s_value(o, json_array_get(v, i), depth + 1);
        }
        s_char(o, ']');
        break;
    }
    case JSON_STRING:
        s_string(o, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        s_integer(o, json_integer_value(v));
        break;
    case JSON_REAL:
        s_real(o, json_real_value(v));
        break;
    case JSON_TRUE:
        s_put(o, "true", 4);
        break;
    case JSON_FALSE:
        s_put(o, "false", 5);
        break;
    case JSON_NULL:
        s_put(o, "null", 4);
        break;
    }
}

char *hq_json_compact(const json_t *v, size_t *len)
{
    if (!v)
        return NULL;
    s_out_t o = {0};
    s_value(&o, v, 0);
    if (o.failed || s_reserve(&o, 0) != 0) {
        free(o.buf);
        return NULL;
    }
    o.buf[o.len] = '\0';
    if (len)
        *len = o.len;
    return o.buf;
}

/* ---- text written piece by piece ---------------------------------------------------------- */
void hq_jtext_raw(hq_jtext_t *o, const char *s, size_t n)
{
    s_put(o, s, n);
}

void hq_jtext_int(hq_jtext_t *o, json_int_t v)
{
    s_integer(o, v);
}

void hq_jtext_str(hq_jtext_t *o, const char *s)
{
    s_string(o, s, strlen(s));
}

const char *hq_jtext_end(hq_jtext_t *o)
{
    if (s_reserve(o, 0) != 0)
        return NULL;
    o->buf[o->len] = '\0';
    return o->buf;
}

void hq_jtext_free(hq_jtext_t *o)
{
    free(o->buf);
    memset(o, 0, sizeof *o);
}
