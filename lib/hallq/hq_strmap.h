/* A map from strings to small dense numbers: each distinct key gets the next index (0, 1,
 * 2, ...) for good, and an int64 value the caller may use. It interns names (clerk ids in
 * the statistics) and finds records by a text key (ticket tokens).
 *
 * Open addressing with linear probing over FNV-1a hashes, kept at most half full; keys are
 * copied into one growing block, so a map of a million keys is a handful of allocations,
 * all through hq_alloc (the daemon's failure count and test hook see them). Pure: no I/O. */
#ifndef HQ_STRMAP_H
#define HQ_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct hq_strmap hq_strmap_t;

/* FNV-1a, 64 bits. */
uint64_t hq_hash_str(const char *s);

hq_strmap_t *hq_strmap_new(void);
void hq_strmap_destroy(hq_strmap_t **self_p);
size_t hq_strmap_size(const hq_strmap_t *self);
/* The key's index, adding the key (value 0) when new; -1 out of memory. */
int hq_strmap_add(hq_strmap_t *self, const char *key);
/* The key's index; -1 when absent. */
int hq_strmap_find(const hq_strmap_t *self, const char *key);
/* The key of an index (< size); valid until the next add. */
const char *hq_strmap_key(const hq_strmap_t *self, size_t index);
/* The value of an index (< size), to read or set. */
int64_t *hq_strmap_value(hq_strmap_t *self, size_t index);

#endif
