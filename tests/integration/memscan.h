/* memscan: how many copies of a secret are left in this process's
 * writable memory -- every rw mapping of /proc/self/maps, read through
 * /proc/self/mem (so the sanitizers do not object to reading freed
 * blocks); mappings over MEMSCAN_SHADOW_MIN are sanitizer shadow and
 * skipped, and so is the caller's own region [skip, skip + skip_len),
 * which holds the needle and the read buffer (chunk). */
#ifndef ACMETOP_TESTS_MEMSCAN_H
#define ACMETOP_TESTS_MEMSCAN_H

#include <stddef.h>

#define MEMSCAN_SHADOW_MIN ((size_t)512 << 20)

/* Occurrences of needle (len bytes) outside the skipped region; chunk
 * (chunk_size bytes, larger than len, inside the skipped region) is wiped
 * afterwards. */
size_t memscan_count(const void *needle, size_t len, const void *skip, size_t skip_len,
                     char *chunk, size_t chunk_size);

#endif
