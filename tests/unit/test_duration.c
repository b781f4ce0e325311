/* test_duration: the durations operators type ("250ms", "5s", "2m", "1h",
 * a bare number of seconds) and the texts that are not durations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/duration.h"

static void test_units(void **state)
{
    (void)state;
    double s;
    assert_int_equal(duration_parse("250ms", &s), 0);
    assert_true(s == 0.25);
    assert_int_equal(duration_parse("5", &s), 0);
    assert_true(s == 5);
    assert_int_equal(duration_parse(" 5s", &s), 0);
    assert_true(s == 5);
    assert_int_equal(duration_parse("2m", &s), 0);
    assert_true(s == 120);
    assert_int_equal(duration_parse("1h", &s), 0);
    assert_true(s == 3600);
    assert_int_equal(duration_parse("30d", &s), 0); /* certificate thresholds */
    assert_true(s == 30 * 86400);
    assert_int_equal(duration_parse("1.5s", &s), 0);
    assert_true(s == 1.5);
    assert_int_equal(duration_parse(".5", &s), 0);
    assert_true(s == 0.5);
    assert_int_equal(duration_parse("0", &s), 0);
    assert_true(s == 0);
}

static void test_not_durations(void **state)
{
    (void)state;
    double s = 42;
    static const char *const bad[] = {"", "s", "-3s", "3 s", "3y", "3 d", "nan", "inf", "5s ",
                                      "1e999", "ms", "+5s", "5sec"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (duration_parse(bad[i], &s) != -1)
            fail_msg("\"%s\" was taken as a duration", bad[i]);
    assert_int_equal(duration_parse(NULL, &s), -1);
    assert_true(s == 42); /* untouched */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_not_durations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
