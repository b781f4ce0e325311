/* test_rfc3339: RFC 3339 parsing (Z, offsets, fractions, the zero date,
 * garbage) and formatting. Expected values computed independently with
 * Python's calendar.timegm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/rfc3339.h"

static time_t parse_ok(const char *s)
{
    time_t t = 12345;
    assert_int_equal(rfc3339_parse(s, &t), 0);
    return t;
}

static void test_utc_z(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2026-06-29T12:45:22Z"), 1782737122);
    assert_int_equal(parse_ok("2026-06-29t12:45:22z"), 1782737122);
    assert_int_equal(parse_ok("2026-06-29 12:45:22Z"), 1782737122);
    assert_int_equal(parse_ok("2000-02-29T23:59:59Z"), 951868799);
    assert_int_equal(parse_ok("9999-12-31T23:59:59Z"), (time_t)253402300799LL);
}

static void test_offsets(void **state)
{
    (void)state;
    /* API.md's example: -04:00 is 4 hours behind UTC */
    assert_int_equal(parse_ok("2026-06-29T08:45:22-04:00"), 1782737122);
    assert_int_equal(parse_ok("2026-06-29T14:45:22+02:00"), 1782737122);
    assert_int_equal(parse_ok("2026-06-29T18:15:22+05:30"), 1782737122);
    assert_int_equal(parse_ok("2026-06-29T12:45:22+00:00"), 1782737122);
    assert_int_equal(parse_ok("2026-06-29T12:45:22-00:00"), 1782737122);
    /* offset crossing midnight into the previous day */
    assert_int_equal(parse_ok("2026-06-30T01:45:22+13:00"), 1782737122);
}

static void test_fractional_seconds(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2026-06-29T12:45:22.5Z"), 1782737122);
    assert_int_equal(parse_ok("2026-06-29T12:45:22.123456789Z"), 1782737122);
    assert_int_equal(parse_ok("2026-06-29T08:45:22.999-04:00"), 1782737122);
}

static void test_zero_date_is_unset(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("0001-01-01T00:00:00Z"), 0);
    assert_int_equal(parse_ok("0001-01-01T00:00:00.000Z"), 0);
    assert_int_equal(parse_ok("0001-01-01T00:00:00+00:00"), 0);
}

static void test_leap_second_and_pre_epoch(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2024-12-31T23:59:60Z"), 1735689600);
    assert_int_equal(parse_ok("1969-12-31T23:59:59Z"), -1);
}

static void test_garbage(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "yesterday", "2026-06-29", "2026-06-29T12:45:22", /* no zone */
        "2026-06-29T12:45Z", "2026-6-29T12:45:22Z", "26-06-29T12:45:22Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-06-29T24:00:00Z", "2026-06-29T12:60:00Z",
        "2026-06-29T12:45:61Z", "2026-06-29T12:45:22+2:00", "2026-06-29T12:45:22+0200",
        "2026-06-29T12:45:22+24:00", "2026-06-29T12:45:22+02:60", "2026-06-29T12:45:22.Z",
        "2026-06-29T12:45:22Zjunk", "2026-06-29X12:45:22Z", " 2026-06-29T12:45:22Z",
        "0000-01-01T00:00:00Z", "2026-06-29T12:45:22ZZ", "+026-06-29T12:45:22Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        time_t t = 777;
        if (rfc3339_parse(bad[i], &t) != -1)
            fail_msg("accepted garbage \"%s\"", bad[i]);
        assert_int_equal(t, 777); /* untouched on error */
    }
    time_t t = 1;
    assert_int_equal(rfc3339_parse(NULL, &t), -1);
}

static void test_format(void **state)
{
    (void)state;
    char buf[RFC3339_BUF];
    assert_string_equal(rfc3339_format(1782737122, buf, sizeof buf),
                        "2026-06-29T12:45:22Z");
    assert_string_equal(rfc3339_format(951868799, buf, sizeof buf),
                        "2000-02-29T23:59:59Z");
    assert_string_equal(rfc3339_format(0, buf, sizeof buf), "-");
    /* round trip of an offset time comes back in UTC */
    assert_string_equal(rfc3339_format(parse_ok("2026-06-29T08:45:22-04:00"), buf,
                                       sizeof buf),
                        "2026-06-29T12:45:22Z");
    /* a small buffer is truncated, never overrun */
    char small[8];
    rfc3339_format(1782737122, small, sizeof small);
    assert_string_equal(small, "2026-06");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utc_z),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_fractional_seconds),
        cmocka_unit_test(test_zero_date_is_unset),
        cmocka_unit_test(test_leap_second_and_pre_epoch),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
