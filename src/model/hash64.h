/* hash64: a fast 64-bit hash of bytes, for hash tables (model/id_index.h)
 * and for telling two texts apart cheaply (the order cache compares the
 * hash of a record with the one it wrote). Not cryptographic: nothing an
 * attacker could steer may depend on it not colliding. */
#ifndef ACMETOP_HASH64_H
#define ACMETOP_HASH64_H

#include <stddef.h>
#include <stdint.h>

/* The hash of p[0..n). */
uint64_t hash64_bytes(const void *p, size_t n);

#endif
