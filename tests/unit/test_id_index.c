/* test_id_index: string IDs -> dense numbers (model/id_index.h): every ID
 * added is found under the number add() gave it; a removal moves the last
 * ID into the hole and leaves every other ID findable (probe runs shifted
 * back); removed IDs are gone; growth keeps everything; an empty index
 * finds nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/id_index.h"

#define N 5000

static void id_of(int i, char *buf, size_t size)
{
    snprintf(buf, size, "order-%d", i);
}

/* Every ID of alive[] (by its i) is found under a number naming it. */
static void check_all(const struct id_index *ix, const bool *alive)
{
    char id[32];
    size_t count = 0;
    for (int i = 0; i < N; i++) {
        id_of(i, id, sizeof id);
        size_t k = id_index_find(ix, id);
        if (!alive[i]) {
            assert_int_equal(k, ID_INDEX_NONE);
            continue;
        }
        assert_true(k < ix->n);
        assert_string_equal(ix->keys[k].id, id);
        count++;
    }
    assert_int_equal(count, ix->n);
}

static void test_empty(void **state)
{
    (void)state;
    struct id_index ix = {0};
    assert_int_equal(id_index_find(&ix, "x"), ID_INDEX_NONE);
    id_index_free(&ix);
}

static void test_add_find_remove(void **state)
{
    (void)state;
    struct id_index ix = {0};
    static bool alive[N];
    char id[32];
    for (int i = 0; i < N; i++) {
        id_of(i, id, sizeof id);
        assert_int_equal(id_index_add(&ix, id), (size_t)i); /* numbers are dense */
        alive[i] = true;
    }
    check_all(&ix, alive);
    srand(7);
    for (int round = 0; round < 3 * N / 4; round++) {
        size_t k = (size_t)rand() % ix.n, last = ix.n - 1;
        char *last_id = strdup(ix.keys[last].id);
        alive[atoi(ix.keys[k].id + 6)] = false;
        id_index_remove(&ix, k);
        if (k != last) /* the last ID took number k */
            assert_string_equal(ix.keys[k].id, last_id);
        free(last_id);
        if (round % 500 == 0)
            check_all(&ix, alive);
    }
    check_all(&ix, alive);
    for (int i = 0; i < N; i++) { /* add back what was removed */
        if (alive[i])
            continue;
        id_of(i, id, sizeof id);
        size_t n = ix.n;
        assert_int_equal(id_index_add(&ix, id), n);
        alive[i] = true;
    }
    check_all(&ix, alive);
    while (ix.n)
        id_index_remove(&ix, 0);
    memset(alive, 0, sizeof alive);
    check_all(&ix, alive);
    id_index_free(&ix);
    assert_int_equal(ix.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_add_find_remove),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
