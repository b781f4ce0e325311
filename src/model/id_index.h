/* id_index: a set of string IDs (order IDs), each found by hash under a
 * number 0..n-1 with no gaps. It maps an ID to its number; what a caller
 * knows of each ID lives in the caller's own array under the same number,
 * so that array stays dense (a walk over it is a walk in insertion order)
 * and the index holds nothing but the IDs.
 *
 * Open addressing with linear probing in a table kept at most half full. A
 * slot holds the ID's number + 1 (0 = free) and the top half of its hash, so
 * a probe that misses does not touch the strings. Removing number k empties
 * its slot (shifting back the rest of its probe run: no tombstones) and
 * moves the last ID to number k: the caller moves its last element the same
 * way. Used by the order cache (net/order_cache.c). */
#ifndef ACMETOP_ID_INDEX_H
#define ACMETOP_ID_INDEX_H

#include <stddef.h>
#include <stdint.h>

#define ID_INDEX_NONE SIZE_MAX

struct id_index_key {
    char *id; /* owned */
    uint64_t hash;
};

struct id_index_slot {
    uint32_t number; /* the ID's number + 1, 0 = free */
    uint32_t tag;    /* the top half of its hash */
};

/* All zero: empty. */
struct id_index {
    struct id_index_key *keys; /* n IDs by number */
    size_t n, cap;
    struct id_index_slot *slots;
    size_t nslots; /* a power of two, or 0 */
};

/* The number of id, or ID_INDEX_NONE. */
size_t id_index_find(const struct id_index *ix, const char *id);

/* Add id (copied; not in the index yet): its number, which is n before the
 * call. */
size_t id_index_add(struct id_index *ix, const char *id);

/* Remove the ID of number k (< n): the last one (number n - 1) takes
 * number k, and n goes down by one. */
void id_index_remove(struct id_index *ix, size_t k);

/* Free everything; ix is empty again. */
void id_index_free(struct id_index *ix);

#endif
