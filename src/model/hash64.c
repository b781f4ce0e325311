/* hash64: eight bytes at a time, each multiplied in and folded down, then
 * the tail and the length; a final mix spreads the bits over all 64. */
#include "model/hash64.h"

#include <string.h>

uint64_t hash64_bytes(const void *data, size_t n)
{
    const char *p = data;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)n, w;
    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}
