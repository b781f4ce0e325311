/* wiping_alloc: allocation functions that wipe memory before giving it back
 * (see wiping_alloc.h). */
#include "net/wiping_alloc.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

void *wiping_alloc_malloc(size_t size)
{
    return malloc(size);
}

void *wiping_alloc_calloc(size_t count, size_t size)
{
    return calloc(count, size);
}

char *wiping_alloc_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

void wiping_alloc_free(void *p)
{
    if (!p)
        return;
    explicit_bzero(p, malloc_usable_size(p));
    free(p);
}

void *wiping_alloc_realloc(void *p, size_t size)
{
    if (!p)
        return malloc(size);
    if (size == 0) {
        wiping_alloc_free(p);
        return NULL;
    }
    size_t old = malloc_usable_size(p);
    if (size <= old)
        return p; /* the tail is wiped when the block is freed */
    void *q = malloc(size);
    if (!q)
        return NULL;
    memcpy(q, p, old);
    wiping_alloc_free(p);
    return q;
}

/* OpenSSL's signatures carry the caller's file and line. */
static void *openssl_malloc(size_t size, const char *file, int line)
{
    (void)file;
    (void)line;
    return malloc(size);
}

static void *openssl_realloc(void *p, size_t size, const char *file, int line)
{
    (void)file;
    (void)line;
    return wiping_alloc_realloc(p, size);
}

static void openssl_free(void *p, const char *file, int line)
{
    (void)file;
    (void)line;
    wiping_alloc_free(p);
}

int wiping_alloc_install(void)
{
    /* without a realloc of ours cJSON grows its print buffers by
     * malloc + copy + free, which wipes the old one too */
    cJSON_Hooks hooks = {.malloc_fn = wiping_alloc_malloc, .free_fn = wiping_alloc_free};
    cJSON_InitHooks(&hooks);
    return CRYPTO_set_mem_functions(openssl_malloc, openssl_realloc, openssl_free) ? 0 : -1;
}
