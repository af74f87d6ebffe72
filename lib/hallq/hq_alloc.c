#include "hq_alloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local uint64_t s_count;    /* allocations asked for */
static _Thread_local uint64_t s_failures; /* of which failed */
static _Thread_local uint64_t s_fail_at;  /* the s_count that fails, 0 none */
static _Thread_local int s_fail_repeat;   /* and every one after it */

/* Counts an allocation; 1 when the test hook wants it to fail. */
static int s_injected(void)
{
    s_count++;
    return s_fail_at && (s_count == s_fail_at || (s_fail_repeat && s_count > s_fail_at));
}

static void *s_counted(void *p)
{
    if (!p)
        s_failures++;
    return p;
}

void *hq_malloc(size_t size)
{
    /* malloc(0) may return NULL, which would count as a failure. */
    return s_counted(s_injected() ? NULL : malloc(size ? size : 1));
}

void *hq_calloc(size_t count, size_t size)
{
    return s_counted(s_injected() ? NULL : calloc(count ? count : 1, size ? size : 1));
}

void *hq_realloc(void *p, size_t size)
{
    return s_counted(s_injected() ? NULL : realloc(p, size ? size : 1));
}

char *hq_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = hq_malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

void hq_free(void *p)
{
    free(p);
}

uint64_t hq_alloc_failures(void)
{
    return s_failures;
}

void hq_alloc_for_json(void)
{
    json_set_alloc_funcs(hq_malloc, hq_free);
}

void hq_alloc_fail(uint64_t nth, int repeat)
{
    s_fail_at = nth ? s_count + nth : 0;
    s_fail_repeat = repeat;
}

uint64_t hq_alloc_count(void)
{
    return s_count;
}
