/* test_clock: the fake clock moves only when told (both readings, the wall
 * one by whole seconds), and the system clock's monotonic reading never
 * goes back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "model/clock.h"

#define WALL ((time_t)1782737122)

static void test_fake_reads_what_it_is_set_to(void **state)
{
    (void)state;
    struct clock c;
    clock_fake_init(&c, WALL, 5000);
    assert_int_equal(clock_mono_ms(&c), 5000);
    assert_int_equal(clock_wall(&c), WALL);
    /* reading does not move it */
    assert_int_equal(clock_mono_ms(&c), 5000);
    assert_int_equal(clock_wall(&c), WALL);
}

static void test_fake_advance_moves_both(void **state)
{
    (void)state;
    struct clock c;
    clock_fake_init(&c, WALL, 0);
    clock_fake_advance(&c, 2000);
    assert_int_equal(clock_mono_ms(&c), 2000);
    assert_int_equal(clock_wall(&c), WALL + 2);
    clock_fake_advance(&c, 0);
    assert_int_equal(clock_mono_ms(&c), 2000);
    assert_int_equal(clock_wall(&c), WALL + 2);
    clock_fake_advance(&c, 3600 * 1000LL);
    assert_int_equal(clock_mono_ms(&c), 3602000);
    assert_int_equal(clock_wall(&c), WALL + 3602);
}

static void test_fake_wall_follows_whole_seconds(void **state)
{
    (void)state;
    struct clock c;
    clock_fake_init(&c, WALL, 0);
    clock_fake_advance(&c, 999);
    assert_int_equal(clock_mono_ms(&c), 999);
    assert_int_equal(clock_wall(&c), WALL); /* not a whole second yet */
    clock_fake_advance(&c, 1);
    assert_int_equal(clock_wall(&c), WALL + 1);
    /* small steps add up: ten times 250 ms is 2.5 s */
    for (int i = 0; i < 10; i++)
        clock_fake_advance(&c, 250);
    assert_int_equal(clock_mono_ms(&c), 3500);
    assert_int_equal(clock_wall(&c), WALL + 3);
    clock_fake_advance(&c, 500);
    assert_int_equal(clock_wall(&c), WALL + 4);
}

static void test_fake_below_zero(void **state)
{
    (void)state;
    /* a monotonic reading is only a difference: a negative start still
     * ticks the wall clock once per second boundary, also across zero */
    struct clock c;
    clock_fake_init(&c, WALL, -1500);
    clock_fake_advance(&c, 400);
    assert_int_equal(clock_mono_ms(&c), -1100);
    assert_int_equal(clock_wall(&c), WALL);
    clock_fake_advance(&c, 200); /* -1100 -> -900: crosses -1 s */
    assert_int_equal(clock_wall(&c), WALL + 1);
    clock_fake_advance(&c, 1000); /* -900 -> 100: crosses 0 s */
    assert_int_equal(clock_mono_ms(&c), 100);
    assert_int_equal(clock_wall(&c), WALL + 2);
}

static void test_fakes_are_independent(void **state)
{
    (void)state;
    struct clock a, b;
    clock_fake_init(&a, WALL, 0);
    clock_fake_init(&b, WALL, 0);
    clock_fake_advance(&a, 7000);
    assert_int_equal(clock_mono_ms(&b), 0);
    assert_int_equal(clock_wall(&b), WALL);
    assert_int_equal(clock_wall(&a), WALL + 7);
}

static void test_system_mono_never_goes_back(void **state)
{
    (void)state;
    const struct clock *sys = clock_system();
    assert_non_null(sys);
    assert_ptr_equal(sys, clock_system());
    long long first = clock_mono_ms(sys), last = first;
    for (int i = 0; i < 100000; i++) {
        long long now = clock_mono_ms(i % 2 ? sys : NULL); /* NULL: the system clock */
        assert_true(now >= last);
        last = now;
    }
    /* it moves: sleep 20 ms and see at least that much pass */
    struct timespec pause = {0, 20 * 1000 * 1000};
    while (nanosleep(&pause, &pause) != 0)
        ;
    long long after = clock_mono_ms(sys);
    assert_true(after - last >= 20);
    assert_true(after - first < 60 * 1000); /* milliseconds, not micro- or nanoseconds */
}

static void test_system_wall_is_time(void **state)
{
    (void)state;
    time_t before = time(NULL);
    time_t wall = clock_wall(clock_system());
    time_t after = time(NULL);
    assert_true(wall >= before && wall <= after);
    assert_true(clock_wall(NULL) >= wall);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fake_reads_what_it_is_set_to),
        cmocka_unit_test(test_fake_advance_moves_both),
        cmocka_unit_test(test_fake_wall_follows_whole_seconds),
        cmocka_unit_test(test_fake_below_zero),
        cmocka_unit_test(test_fakes_are_independent),
        cmocka_unit_test(test_system_mono_never_goes_back),
        cmocka_unit_test(test_system_wall_is_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
