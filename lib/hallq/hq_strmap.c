#include "hq_strmap.h"

#include "hq_alloc.h"
#include "hq_vec.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t hash; /* of the key, kept for growing and for a cheap first comparison */
    size_t key;    /* offset of the key in keys */
    int64_t value; /* the caller's */
} s_entry_t;

struct hq_strmap {
    hq_vec_t entries; /* s_entry_t by index */
    hq_buf_t keys;    /* the keys, each NUL-terminated, one after the other */
    uint32_t *slots;  /* index + 1 of the entry hashed there, 0 empty */
    size_t nslots;    /* a power of two, at least twice the entries */
};

uint64_t hq_hash_str(const char *s)
{
    uint64_t h = 14695981039346656037u; /* the FNV offset basis */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

hq_strmap_t *hq_strmap_new(void)
{
    hq_strmap_t *self = hq_calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->entries = (hq_vec_t)HQ_VEC_INIT(s_entry_t);
    return self;
}

void hq_strmap_destroy(hq_strmap_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    hq_strmap_t *self = *self_p;
    hq_vec_free(&self->entries);
    hq_buf_free(&self->keys);
    hq_free(self->slots);
    hq_free(self);
    *self_p = NULL;
}

size_t hq_strmap_size(const hq_strmap_t *self)
{
    return self->entries.len;
}

/* The slot holding key, or the empty slot where it would go. */
static inline size_t s_probe(const hq_strmap_t *self, const char *key, uint64_t hash)
{
    const s_entry_t *e = self->entries.data;
    size_t mask = self->nslots - 1, j = (size_t)hash & mask;
    while (self->slots[j]) {
        const s_entry_t *x = &e[self->slots[j] - 1];
        if (x->hash == hash && strcmp(self->keys.s + x->key, key) == 0)
            break;
        j = (j + 1) & mask;
    }
    return j;
}

static int s_grow(hq_strmap_t *self)
{
    if (self->entries.len >= INT_MAX / 2)
        return -1;
    size_t n = self->nslots ? self->nslots * 2 : 64;
    uint32_t *slots = hq_calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    const s_entry_t *e = self->entries.data;
    for (size_t i = 0; i < self->entries.len; i++) {
        size_t j = (size_t)e[i].hash & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = (uint32_t)(i + 1);
    }
    hq_free(self->slots);
    self->slots = slots;
    self->nslots = n;
    return 0;
}

int hq_strmap_find(const hq_strmap_t *self, const char *key)
{
    if (!self->nslots)
        return -1;
    uint32_t at = self->slots[s_probe(self, key, hq_hash_str(key))];
    return at ? (int)at - 1 : -1;
}

int hq_strmap_add(hq_strmap_t *self, const char *key)
{
    if ((self->entries.len + 1) * 2 > self->nslots && s_grow(self) != 0)
        return -1;
    uint64_t hash = hq_hash_str(key);
    size_t j = s_probe(self, key, hash);
    if (self->slots[j])
        return (int)self->slots[j] - 1;
    size_t offset = self->keys.len;
    hq_buf_append(&self->keys, key, strlen(key) + 1);
    s_entry_t *e = self->keys.failed ? NULL : hq_vec_push(&self->entries);
    if (!e) {
        /* The keys before this one are whole: the map goes on without it. */
        self->keys.failed = 0;
        self->keys.len = offset;
        if (self->keys.s)
            self->keys.s[offset] = '\0';
        return -1;
    }
    e->hash = hash;
    e->key = offset;
    self->slots[j] = (uint32_t)self->entries.len;
    return (int)self->entries.len - 1;
}

const char *hq_strmap_key(const hq_strmap_t *self, size_t index)
{
    const s_entry_t *e = hq_vec_at(&self->entries, index);
    return self->keys.s + e->key;
}

int64_t *hq_strmap_value(hq_strmap_t *self, size_t index)
{
    s_entry_t *e = hq_vec_at(&self->entries, index);
    return &e->value;
}
