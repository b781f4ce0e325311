/* id_index: string IDs -> dense numbers, open addressing (see id_index.h). */
#include "model/id_index.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "model/hash64.h"
#include "model/xalloc.h"

static uint64_t id_hash(const char *id)
{
    return hash64_bytes(id, strlen(id));
}

size_t id_index_find(const struct id_index *ix, const char *id)
{
    if (!ix->nslots)
        return ID_INDEX_NONE;
    uint64_t h = id_hash(id);
    size_t mask = ix->nslots - 1;
    uint32_t tag = (uint32_t)(h >> 32);
    for (size_t s = h & mask;; s = (s + 1) & mask) {
        const struct id_index_slot *sl = &ix->slots[s];
        if (!sl->number)
            return ID_INDEX_NONE;
        if (sl->tag == tag && strcmp(ix->keys[sl->number - 1].id, id) == 0)
            return sl->number - 1;
    }
}

static void slot_put(struct id_index *ix, uint64_t h, size_t k)
{
    size_t mask = ix->nslots - 1, s = h & mask;
    while (ix->slots[s].number)
        s = (s + 1) & mask;
    ix->slots[s] = (struct id_index_slot){(uint32_t)(k + 1), (uint32_t)(h >> 32)};
}

/* Room for one more ID, the table still at most half full. */
static void index_grow(struct id_index *ix)
{
    if (ix->n + 1 > ix->cap) {
        ix->cap = ix->cap ? ix->cap * 2 : 64;
        ix->keys = xrealloc(ix->keys, ix->cap * sizeof *ix->keys);
    }
    if ((ix->n + 1) * 2 <= ix->nslots)
        return;
    free(ix->slots);
    ix->nslots = ix->nslots ? ix->nslots * 2 : 128;
    ix->slots = xcalloc(ix->nslots, sizeof *ix->slots);
    for (size_t k = 0; k < ix->n; k++)
        slot_put(ix, ix->keys[k].hash, k);
}

size_t id_index_add(struct id_index *ix, const char *id)
{
    index_grow(ix);
    size_t k = ix->n++;
    ix->keys[k] = (struct id_index_key){xstrdup(id), id_hash(id)};
    slot_put(ix, ix->keys[k].hash, k);
    return k;
}

static size_t slot_of(const struct id_index *ix, size_t k)
{
    size_t mask = ix->nslots - 1, s = ix->keys[k].hash & mask;
    while (ix->slots[s].number != k + 1)
        s = (s + 1) & mask;
    return s;
}

void id_index_remove(struct id_index *ix, size_t k)
{
    size_t mask = ix->nslots - 1, i = slot_of(ix, k);
    for (size_t j = (i + 1) & mask; ix->slots[j].number; j = (j + 1) & mask) {
        size_t home = ix->keys[ix->slots[j].number - 1].hash & mask;
        /* the ID at j may move to i if its home is not in (i, j] */
        bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!stays) {
            ix->slots[i] = ix->slots[j];
            i = j;
        }
    }
    ix->slots[i] = (struct id_index_slot){0, 0};
    free(ix->keys[k].id);
    size_t last = --ix->n;
    if (k != last) {
        ix->slots[slot_of(ix, last)].number = (uint32_t)(k + 1);
        ix->keys[k] = ix->keys[last];
    }
}

void id_index_free(struct id_index *ix)
{
    for (size_t k = 0; k < ix->n; k++)
        free(ix->keys[k].id);
    free(ix->keys);
    free(ix->slots);
    memset(ix, 0, sizeof *ix);
}
