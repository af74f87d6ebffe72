#include "hq_vec.h"

#include "hq_alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The capacity to grow `cap` to for `need`: doubling from a small start. 0 on overflow. */
static size_t s_grown(size_t cap, size_t need, size_t start, size_t size)
{
    size_t n = cap ? cap : start;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return 0;
        n *= 2;
    }
    return n > SIZE_MAX / size ? 0 : n;
}

int hq_vec_reserve(hq_vec_t *v, size_t n)
{
    if (n <= v->cap)
        return 0;
    size_t cap = s_grown(v->cap, n, 16, v->size);
    void *data = cap ? hq_realloc(v->data, cap * v->size) : NULL;
    if (!data)
        return -1;
    v->data = data;
    v->cap = cap;
    return 0;
}

void *hq_vec_push(hq_vec_t *v)
{
    if (v->len == v->cap && hq_vec_reserve(v, v->len + 1) != 0)
        return NULL;
    void *e = (char *)v->data + v->len++ * v->size;
    memset(e, 0, v->size);
    return e;
}

void *hq_vec_at(const hq_vec_t *v, size_t i)
{
    return (char *)v->data + i * v->size;
}

void *hq_vec_detach(hq_vec_t *v, size_t *len)
{
    void *data = v->len ? v->data : NULL;
    if (!data)
        hq_free(v->data);
    if (len)
        *len = v->len;
    v->data = NULL;
    v->len = v->cap = 0;
    return data;
}

void hq_vec_free(hq_vec_t *v)
{
    hq_free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}

/* Room for n more bytes of text and its NUL. */
static int s_room(hq_buf_t *b, size_t n)
{
    if (b->failed)
        return -1;
    if (b->s && n < b->cap - b->len)
        return 0;
    size_t cap = n < SIZE_MAX - b->len - 1 ? s_grown(b->cap, b->len + n + 1, 256, 1) : 0;
    char *s = cap ? hq_realloc(b->s, cap) : NULL;
    if (!s) {
        b->failed = 1;
        return -1;
    }
    if (!b->s)
        s[0] = '\0';
    b->s = s;
    b->cap = cap;
    return 0;
}

void hq_buf_vprintf(hq_buf_t *b, const char *fmt, va_list ap)
{
    if (b->failed)
        return;
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
    if (n >= 0 && (!b->s || b->len + (size_t)n >= b->cap) && s_room(b, (size_t)n) == 0)
        n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, again);
    va_end(again);
    if (n < 0)
        b->failed = 1;
    if (!b->failed)
        b->len += (size_t)n;
    else if (b->s)
        b->s[b->len] = '\0'; /* a cut-off write may have gone past it */
}

void hq_buf_printf(hq_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hq_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void hq_buf_append(hq_buf_t *b, const char *bytes, size_t n)
{
    if (s_room(b, n) != 0)
        return;
    memcpy(b->s + b->len, bytes, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void hq_buf_reserve(hq_buf_t *b, size_t n)
{
    if (n > b->len)
        s_room(b, n - b->len);
}

void hq_buf_clear(hq_buf_t *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

char *hq_buf_detach(hq_buf_t *b)
{
    char *s = b->failed ? NULL : b->s;
    if (b->failed)
        hq_free(b->s);
    else if (!s && s_room(b, 0) == 0) /* nothing added: an empty text, not NULL */
        s = b->s;
    b->s = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
    return s;
}

void hq_buf_free(hq_buf_t *b)
{
    hq_free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

void hq_buf_append_html(hq_buf_t *b, const char *text)
{
    const char *p = text ? text : "";
    for (;;) {
        size_t plain = strcspn(p, "&<>\"'");
        hq_buf_append(b, p, plain);
        p += plain;
        const char *entity = *p == '&'    ? "&amp;"
                             : *p == '<'  ? "&lt;"
                             : *p == '>'  ? "&gt;"
                             : *p == '"'  ? "&quot;"
                             : *p == '\'' ? "&#39;"
                                          : NULL;
        if (!entity)
            break;
        hq_buf_append(b, entity, strlen(entity));
        p++;
    }
}
