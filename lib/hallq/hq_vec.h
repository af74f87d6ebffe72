/* Growable arrays and growable text, so no module writes its own realloc loop.
 *
 * Both are plain structs to embed or keep on the stack, zero-initialised by their INIT
 * macros, and never fail silently: a vector's push returns NULL, a text buffer remembers
 * that an append ran out of memory (`failed`) so a caller building a long page can check
 * once at the end. Capacity doubles, so n pushes cost O(n). Memory comes from hq_alloc, so
 * its failure count and test hook see these too. Pure: no I/O. */
#ifndef HQ_VEC_H
#define HQ_VEC_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    void *data;  /* the elements, `size` bytes each; NULL until the first push */
    size_t len;  /* elements in use */
    size_t cap;  /* elements allocated */
    size_t size; /* bytes per element */
} hq_vec_t;

#define HQ_VEC_INIT(type)                                                                          \
    {                                                                                              \
        NULL, 0, 0, sizeof(type)                                                                   \
    }

/* Room for at least n elements in all: 0, or -1 out of memory (the vector unchanged). */
int hq_vec_reserve(hq_vec_t *v, size_t n);
/* A new last element, zeroed; NULL out of memory. Pointers into the vector stay valid
 * until the next push or reserve. */
void *hq_vec_push(hq_vec_t *v);
/* Element i (i < len). */
void *hq_vec_at(const hq_vec_t *v, size_t i);
/* Hands the array to the caller (who frees it), NULL when empty; the vector is left
 * empty. */
void *hq_vec_detach(hq_vec_t *v, size_t *len);
void hq_vec_free(hq_vec_t *v);

typedef struct {
    char *s;    /* the text, NUL-terminated; NULL until something is added */
    size_t len; /* bytes of text */
    size_t cap; /* bytes allocated */
    int failed; /* an append ran out of memory: the text is incomplete (the text before
                 * it is whole, so a caller may clear this and go on) */
} hq_buf_t;

#define HQ_BUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0, 0                                                                              \
    }

/* Appends formatted text; on failure sets `failed` and later appends do nothing. */
void hq_buf_printf(hq_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hq_buf_vprintf(hq_buf_t *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void hq_buf_append(hq_buf_t *b, const char *bytes, size_t n);
/* Appends text escaped for HTML, in element content and quoted attributes alike (& < > " '
 * as entities); NULL appends nothing. */
void hq_buf_append_html(hq_buf_t *b, const char *text);
/* Room for at least n bytes of text in all (a hint for large pages). */
void hq_buf_reserve(hq_buf_t *b, size_t n);
/* Empties the text and keeps the memory (and `failed`). */
void hq_buf_clear(hq_buf_t *b);
/* Hands the text to the caller (who frees it); NULL, with the text freed, when an append
 * failed. The buffer is left empty. */
char *hq_buf_detach(hq_buf_t *b);
void hq_buf_free(hq_buf_t *b);

#endif
