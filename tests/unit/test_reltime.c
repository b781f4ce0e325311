/* test_reltime: the compact relative times shown in list columns and
 * countdowns ("in 3d 4h", "5m ago", "now", "-"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/reltime.h"

#define NOW ((time_t)1782737122)
#define MIN 60
#define HOUR 3600
#define DAY 86400

static const char *rel(time_t when)
{
    static char buf[RELTIME_BUF];
    return reltime_format(when, NOW, buf, sizeof buf);
}

static void test_future(void **state)
{
    (void)state;
    assert_string_equal(rel(NOW + 3 * DAY + 4 * HOUR + 59 * MIN), "in 3d 4h");
    assert_string_equal(rel(NOW + 12 * MIN), "in 12m");
    assert_string_equal(rel(NOW + 12 * MIN + 5), "in 12m 5s");
    assert_string_equal(rel(NOW + 45), "in 45s");
    assert_string_equal(rel(NOW + 1), "in 1s");
    assert_string_equal(rel(NOW + 2 * HOUR + 30 * MIN), "in 2h 30m");
    assert_string_equal(rel(NOW + 90 * DAY), "in 90d");
    assert_string_equal(rel(NOW + 400 * DAY), "in 1y 35d");
}

static void test_past(void **state)
{
    (void)state;
    assert_string_equal(rel(NOW - 5 * MIN), "5m ago");
    assert_string_equal(rel(NOW - 2 * DAY), "2d ago");
    assert_string_equal(rel(NOW - 2 * DAY - 3 * HOUR), "2d 3h ago");
    assert_string_equal(rel(NOW - 59), "59s ago");
    assert_string_equal(rel(NOW - HOUR), "1h ago");
}

static void test_now_and_unset(void **state)
{
    (void)state;
    assert_string_equal(rel(NOW), "now");
    assert_string_equal(rel(0), "-");
}

static void test_boundaries(void **state)
{
    (void)state;
    assert_string_equal(rel(NOW + MIN - 1), "in 59s");
    assert_string_equal(rel(NOW + MIN), "in 1m");
    assert_string_equal(rel(NOW + HOUR - 1), "in 59m 59s");
    assert_string_equal(rel(NOW + DAY - 1), "in 23h 59m");
    assert_string_equal(rel(NOW + DAY), "in 1d");
}

static void test_span_and_small_buffer(void **state)
{
    (void)state;
    char buf[RELTIME_BUF];
    assert_string_equal(reltime_format_span(0, buf, sizeof buf), "0s");
    assert_string_equal(reltime_format_span(-90, buf, sizeof buf), "1m 30s");
    assert_string_equal(reltime_format_span(3 * DAY + 4 * HOUR, buf, sizeof buf), "3d 4h");
    /* the extremes fit RELTIME_BUF */
    reltime_format_span(INT64_MIN, buf, sizeof buf);
    assert_true(buf[0] != '\0');
    /* no overflow on absurd inputs (UBSan would stop here) */
    char wide[RELTIME_BUF];
    reltime_format((time_t)INT64_MAX, (time_t)INT64_MIN + 1, wide, sizeof wide);
    assert_memory_equal(wide, "in ", 3);
    reltime_format((time_t)INT64_MIN + 1, (time_t)INT64_MAX, wide, sizeof wide);
    assert_non_null(strstr(wide, " ago"));
    char tiny[4];
    reltime_format(NOW + 3 * DAY, NOW, tiny, sizeof tiny);
    assert_string_equal(tiny, "in ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_future),
        cmocka_unit_test(test_past),
        cmocka_unit_test(test_now_and_unset),
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_span_and_small_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
