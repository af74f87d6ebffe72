/* Heap allocation for the daemon's state changes, with a failure count and a test hook.
 *
 * An action of the hall builds its reply and events out of many small allocations (jansson
 * objects, the lists of what to persist). One of them failing deep inside must not go
 * unnoticed, or a reply says "ok" for a change that was never written. Like SQLite's
 * mallocFailed flag, every failure is counted here and the action compares the count before
 * and after, instead of checking each json_object_set_new. The same place lets a test fail
 * the n-th allocation, as SQLite's src/test_malloc.c does.
 *
 * The counts are per thread: an action checks the allocations it made itself. The cost is a
 * counter and a comparison per allocation. */
#ifndef HQ_ALLOC_H
#define HQ_ALLOC_H

#include <stddef.h>
#include <stdint.h>

void *hq_malloc(size_t size);
void *hq_calloc(size_t count, size_t size);
/* Like realloc; on failure the old block is left as it was. */
void *hq_realloc(void *p, size_t size);
char *hq_strdup(const char *s);
/* Releases any of the above (it is free(): memory from them may also go to free()). */
void hq_free(void *p);

/* Allocations that failed on this thread so far, real or injected. */
uint64_t hq_alloc_failures(void);
/* Makes jansson allocate through hq_malloc, so its failures are counted too. Safe to call
 * more than once, and after values were made (the blocks are the same malloc's). */
void hq_alloc_for_json(void);

/* Test hook: the nth allocation from now on this thread fails (1: the next one), and with
 * `repeat` every one after it too; 0 turns failing off. */
void hq_alloc_fail(uint64_t nth, int repeat);
/* Allocations asked for on this thread so far. */
uint64_t hq_alloc_count(void);

#endif
