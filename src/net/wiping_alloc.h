/* wiping_alloc: allocation functions that wipe memory before giving it back,
 * for the libraries that carry the token and private keys through buffers
 * of their own: libcurl (its receive buffer, header copies), OpenSSL (TLS
 * record buffers) and cJSON (the strings of a parsed answer).
 *
 * Blocks come from the C library's malloc, so a block of these functions may
 * also be released with plain free() (it is then not wiped), and the other
 * way round.  wiping_alloc_free() wipes malloc_usable_size() bytes first;
 * wiping_alloc_realloc() never leaves an unwiped old block behind: a larger
 * size gets a new block (the old one is copied, wiped and freed), a smaller
 * one keeps the block.  Works under ASan, TSan and valgrind, whose
 * malloc_usable_size() answers for their own blocks. */
#ifndef ACMETOP_NET_WIPING_ALLOC_H
#define ACMETOP_NET_WIPING_ALLOC_H

#include <stddef.h>

/* The five functions curl_global_init_mem() takes. */
void *wiping_alloc_malloc(size_t size);
void *wiping_alloc_calloc(size_t count, size_t size);
char *wiping_alloc_strdup(const char *s);
void *wiping_alloc_realloc(void *p, size_t size); /* NULL on failure, p untouched */
void wiping_alloc_free(void *p);

/* Make OpenSSL (CRYPTO_set_mem_functions) and cJSON (cJSON_InitHooks)
 * allocate with these functions.  OpenSSL accepts this only before its
 * first allocation: call it first thing in main().  Returns 0, or -1 when
 * OpenSSL refused (it had allocated already). */
int wiping_alloc_install(void);

#endif
