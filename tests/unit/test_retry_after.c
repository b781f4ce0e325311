/* test_retry_after: Retry-After header values, friendly and hostile, read
 * into a bounded delay (net/retry_after.c), and the backoff that uses it. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "net/backoff.h"
#include "net/retry_after.h"

#define NOW ((time_t)1764633600) /* 2025-12-02T00:00:00Z */

static void test_delay_seconds(void **state)
{
    (void)state;
    assert_int_equal(retry_after_seconds("120", NOW), 120);
    assert_int_equal(retry_after_seconds(" 7 ", NOW), 7);
    assert_int_equal(retry_after_seconds("0", NOW), 0);
    assert_int_equal(retry_after_seconds("300", NOW), 300);
    assert_int_equal(retry_after_seconds("301", NOW), 300);
    assert_int_equal(retry_after_seconds("99999999999", NOW), 300);
    assert_int_equal(retry_after_seconds("9223372036854775807", NOW), 300);
    assert_int_equal(retry_after_seconds("184467440737095516160000000000", NOW), 300);
    assert_int_equal(retry_after_seconds("000000000000000000000000000005", NOW), 5);
}

static void test_garbage_and_negative_read_as_not_said(void **state)
{
    (void)state;
    assert_int_equal(retry_after_seconds(NULL, NOW), 0);
    assert_int_equal(retry_after_seconds("", NOW), 0);
    assert_int_equal(retry_after_seconds("-5", NOW), 0);
    assert_int_equal(retry_after_seconds("-9223372036854775808", NOW), 0);
    assert_int_equal(retry_after_seconds("1.5", NOW), 0);
    assert_int_equal(retry_after_seconds("12abc", NOW), 0);
    assert_int_equal(retry_after_seconds("soon", NOW), 0);
    assert_int_equal(retry_after_seconds("\x1b[2J", NOW), 0);
}

static void test_http_dates(void **state)
{
    (void)state;
    /* one minute after NOW */
    assert_int_equal(retry_after_seconds("Tue, 02 Dec 2025 00:01:00 GMT", NOW), 60);
    assert_int_equal(retry_after_seconds("Tue, 02 Dec 2025 00:00:00 GMT", NOW), 0);
    assert_int_equal(retry_after_seconds("Mon, 01 Jan 1990 00:00:00 GMT", NOW), 0);
    assert_int_equal(retry_after_seconds("Fri, 31 Dec 9999 23:59:59 GMT", NOW), 300);
    assert_int_equal(retry_after_seconds("Sun, 06 Nov 2044 08:49:37 GMT", NOW), 300);
}

static void test_backoff_never_exceeds_the_caps(void **state)
{
    (void)state;
    unsigned seed = 1;
    assert_true(backoff_delay(5, 1, 9.3e18, &seed) == RETRY_AFTER_MAX_S);
    assert_true(backoff_delay(5, 1, INFINITY, &seed) == RETRY_AFTER_MAX_S);
    double d = backoff_delay(5, 1, NAN, &seed);
    assert_true(d >= 4 && d <= 6);
    d = backoff_delay(5, 1, -1e18, &seed);
    assert_true(d >= 4 && d <= 6);
    d = backoff_delay(5, 40, 0, &seed);
    assert_true(d <= BACKOFF_CAP_S * 1.2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delay_seconds),
        cmocka_unit_test(test_garbage_and_negative_read_as_not_said),
        cmocka_unit_test(test_http_dates),
        cmocka_unit_test(test_backoff_never_exceeds_the_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
