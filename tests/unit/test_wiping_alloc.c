/* test_wiping_alloc: a block given back with wiping_alloc_free() keeps none
 * of its bytes, nor does the old block of a wiping_alloc_realloc() that
 * grew (the engine's receive buffer grows that way while a private key
 * arrives); a shrink keeps the block; contents survive a move.  Freed
 * memory is read through /proc/self/mem, which the sanitizers allow. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/wiping_alloc.h"

#define SECRET "-----secret-bytes-Zq9fW2xR7-----"
#define SIZE 160
#define AT 64 /* past the allocator's bookkeeping in a freed block */

/* Does the freed block at addr still hold SECRET? */
static bool still_there(uintptr_t addr)
{
    char buf[SIZE];
    int mem = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    assert_true(mem >= 0);
    ssize_t n = pread(mem, buf, sizeof buf, (off_t)addr);
    close(mem);
    assert_int_equal(n, (ssize_t)sizeof buf);
    bool found = memmem(buf, sizeof buf, SECRET, sizeof SECRET - 1) != NULL;
    explicit_bzero(buf, sizeof buf);
    return found;
}

static char *block_with_secret(void)
{
    char *p = wiping_alloc_malloc(SIZE);
    assert_non_null(p);
    memset(p, 'x', SIZE);
    memcpy(p + AT, SECRET, sizeof SECRET - 1);
    return p;
}

/* The probe sees a freed block: plain free() leaves the bytes. */
static void test_plain_free_leaves_the_bytes(void **state)
{
    (void)state;
    char *p = block_with_secret();
    uintptr_t addr = (uintptr_t)p;
    free(p);
    assert_true(still_there(addr));
}

static void test_free_wipes(void **state)
{
    (void)state;
    char *p = block_with_secret();
    uintptr_t addr = (uintptr_t)p;
    wiping_alloc_free(p);
    assert_false(still_there(addr));
    wiping_alloc_free(NULL);
}

static void test_growing_leaves_no_old_copy(void **state)
{
    (void)state;
    char *p = block_with_secret();
    uintptr_t addr = (uintptr_t)p;
    char *q = wiping_alloc_realloc(p, 1 << 16);
    assert_non_null(q);
    assert_true((uintptr_t)q != addr);
    assert_memory_equal(q + AT, SECRET, sizeof SECRET - 1);
    assert_false(still_there(addr));
    wiping_alloc_free(q);
}

static void test_shrinking_keeps_the_block(void **state)
{
    (void)state;
    char *p = block_with_secret();
    char *q = wiping_alloc_realloc(p, AT + sizeof SECRET - 1);
    assert_ptr_equal(q, p);
    assert_memory_equal(q + AT, SECRET, sizeof SECRET - 1);
    uintptr_t addr = (uintptr_t)q;
    wiping_alloc_free(q);
    assert_false(still_there(addr));
}

static void test_the_other_functions(void **state)
{
    (void)state;
    char *p = wiping_alloc_realloc(NULL, 10);
    assert_non_null(p);
    assert_null(wiping_alloc_realloc(p, 0)); /* frees */
    unsigned char *z = wiping_alloc_calloc(4, 8);
    assert_non_null(z);
    for (int i = 0; i < 32; i++)
        assert_int_equal(z[i], 0);
    wiping_alloc_free(z);
    char *s = wiping_alloc_strdup("s.token");
    assert_string_equal(s, "s.token");
    free(s); /* plain free() takes these blocks too */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_free_leaves_the_bytes),
        cmocka_unit_test(test_free_wipes),
        cmocka_unit_test(test_growing_leaves_no_old_copy),
        cmocka_unit_test(test_shrinking_keeps_the_block),
        cmocka_unit_test(test_the_other_functions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
