/* test_renew_window: when a certificate is due for renewal (renew_at as a
 * fraction or a duration before expiry), the RENEW column's words, and the
 * expiry classes of the header and --check: 90-day, 6-day and 1-year
 * certificates, with the clock one second either side of each edge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model/cert_expiry.h"
#include "model/renew_window.h"

#define DAY 86400L
#define T0 1767225600L /* 2026-01-01T00:00:00Z */

static struct renew_at at_of(const char *text)
{
    struct renew_at at;
    if (renew_at_parse(text, &at) != 0)
        fail_msg("\"%s\" was refused", text);
    return at;
}

static const char *text_at(time_t nb, time_t na, const char *renew, double crit, time_t now,
                           enum renew_state *state)
{
    static char buf[RENEW_WINDOW_TEXT_BUF];
    struct renew_at at = at_of(renew);
    struct renew_window w = renew_window_of(nb, na, &at, crit, now);
    *state = w.state;
    return renew_window_text(&w, now, buf, sizeof buf);
}

static void test_parse(void **state)
{
    (void)state;
    struct renew_at at;
    assert_int_equal(renew_at_parse("2/3", &at), 0);
    assert_true(at.fraction);
    assert_true(at.value > 0.6666 && at.value < 0.6667);
    assert_int_equal(renew_at_parse("66%", &at), 0);
    assert_true(at.fraction && at.value == 0.66);
    assert_int_equal(renew_at_parse("0.75", &at), 0);
    assert_true(at.fraction && at.value == 0.75);
    assert_int_equal(renew_at_parse("30d", &at), 0);
    assert_false(at.fraction);
    assert_true(at.value == 30.0 * DAY);
    assert_int_equal(renew_at_parse("720h", &at), 0);
    assert_true(!at.fraction && at.value == 30.0 * DAY);
    static const char *const bad[] = {"", "3/2", "1/0", "0/3", "1", "30", "100%", "0%", "0",
                                      "-1d", "0s", "2/3d", "abc", "1/", "/3", "50 %"};
    at = (struct renew_at){.fraction = true, .value = 0.5};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (renew_at_parse(bad[i], &at) != -1)
            fail_msg("\"%s\" was taken as renew_at", bad[i]);
    assert_true(at.fraction && at.value == 0.5); /* untouched */
    assert_int_equal(renew_at_parse(NULL, &at), -1);
}

/* A 90-day certificate, renew_at 2/3: due on day 60, overdue from day 75,
 * urgent in the last 7 days, expired on day 90. */
static void test_ninety_days(void **state)
{
    (void)state;
    time_t nb = T0, na = T0 + 90 * DAY;
    enum renew_state s;
    assert_string_equal(text_at(nb, na, "2/3", 7 * DAY, T0 + 48 * DAY, &s), "in 12d");
    assert_int_equal(s, RENEW_LATER);
    assert_string_equal(text_at(nb, na, "2/3", 7 * DAY, T0 + 60 * DAY - 1, &s), "in 1s");
    assert_int_equal(s, RENEW_LATER);
    assert_string_equal(text_at(nb, na, "2/3", 7 * DAY, T0 + 60 * DAY, &s), "due");
    assert_int_equal(s, RENEW_DUE);
    assert_string_equal(text_at(nb, na, "2/3", 7 * DAY, T0 + 75 * DAY - 1, &s), "due");
    assert_int_equal(s, RENEW_DUE);
    assert_string_equal(text_at(nb, na, "2/3", 7 * DAY, T0 + 75 * DAY, &s), "overdue 15d");
    assert_int_equal(s, RENEW_OVERDUE);
    assert_string_equal(text_at(nb, na, "2/3", 7 * DAY, T0 + 83 * DAY - 1, &s), "overdue 22d");
    assert_int_equal(s, RENEW_OVERDUE);
    assert_string_equal(text_at(nb, na, "2/3", 7 * DAY, T0 + 83 * DAY, &s), "overdue 23d");
    assert_int_equal(s, RENEW_URGENT);
    assert_string_equal(text_at(nb, na, "2/3", 7 * DAY, na - 1, &s), "overdue 29d");
    assert_int_equal(s, RENEW_URGENT);
    assert_string_equal(text_at(nb, na, "2/3", 7 * DAY, na, &s), "expired 0s");
    assert_int_equal(s, RENEW_EXPIRED);
    assert_string_equal(text_at(nb, na, "2/3", 7 * DAY, na + 3 * DAY + 5, &s), "expired 3d");
    /* the same certificate by a duration before expiry: due 30 days before */
    assert_string_equal(text_at(nb, na, "30d", 7 * DAY, T0 + 60 * DAY - 1, &s), "in 1s");
    assert_string_equal(text_at(nb, na, "30d", 7 * DAY, T0 + 60 * DAY, &s), "due");
    /* unknown validity */
    assert_string_equal(text_at(0, 0, "2/3", 7 * DAY, T0, &s), "-");
    assert_int_equal(s, RENEW_UNKNOWN);
    assert_string_equal(text_at(0, na, "2/3", 7 * DAY, T0, &s), "-"); /* a fraction needs both */
    assert_string_equal(text_at(0, na, "30d", 7 * DAY, T0, &s), "in 60d");
}

/* A 6-day certificate (short-lived profile): due after 4 days, overdue
 * after 5, and with expiry_crit 7d urgent from the start. */
static void test_six_days(void **state)
{
    (void)state;
    time_t nb = T0, na = T0 + 6 * DAY;
    enum renew_state s;
    assert_string_equal(text_at(nb, na, "2/3", 1 * DAY, T0 + 4 * DAY - 1, &s), "in 1s");
    assert_int_equal(s, RENEW_LATER);
    assert_string_equal(text_at(nb, na, "2/3", 1 * DAY, T0 + 4 * DAY, &s), "due");
    assert_string_equal(text_at(nb, na, "2/3", 1 * DAY, T0 + 5 * DAY - 1, &s), "due");
    assert_int_equal(s, RENEW_DUE);
    assert_string_equal(text_at(nb, na, "2/3", 1 * DAY, T0 + 5 * DAY, &s), "overdue 1d");
    assert_int_equal(s, RENEW_URGENT); /* 1 day left = expiry_crit */
    assert_string_equal(text_at(nb, na, "2/3", 7 * DAY, T0 + 1, &s), "in 3d");
    assert_int_equal(s, RENEW_URGENT);
    /* "30d" before expiry of a 6-day certificate: due from the first second */
    assert_string_equal(text_at(nb, na, "30d", 0, T0, &s), "due");
    assert_int_equal(s, RENEW_DUE);
    assert_string_equal(text_at(nb, na, "30d", 0, T0 + 3 * DAY, &s), "overdue 3d");
    assert_int_equal(s, RENEW_OVERDUE);
}

/* A 1-year certificate: due after 243 days and a third. */
static void test_one_year(void **state)
{
    (void)state;
    time_t nb = T0, na = T0 + 365 * DAY;
    time_t opens = T0 + (365 * DAY * 2) / 3; /* 243d 8h */
    enum renew_state s;
    assert_string_equal(text_at(nb, na, "2/3", 7 * DAY, T0, &s), "in 243d");
    assert_string_equal(text_at(nb, na, "2/3", 7 * DAY, opens - 1, &s), "in 1s");
    assert_int_equal(s, RENEW_LATER);
    assert_string_equal(text_at(nb, na, "2/3", 7 * DAY, opens, &s), "due");
    assert_int_equal(s, RENEW_DUE);
    struct renew_at at = at_of("2/3");
    struct renew_window w = renew_window_of(nb, na, &at, 7 * DAY, opens);
    assert_int_equal(w.opens, opens);
    assert_int_equal(w.closes, opens + (na - opens) / 2);
    assert_true(renew_window_wanted(&w));
    w = renew_window_of(nb, na, &at, 7 * DAY, opens - 1);
    assert_false(renew_window_wanted(&w));
}

static void test_expiry_class(void **state)
{
    (void)state;
    time_t na = T0 + 90 * DAY;
    double warn = 30.0 * DAY, crit = 7.0 * DAY;
    assert_int_equal(cert_expiry_class(0, T0, warn, crit), CERT_EXPIRY_UNKNOWN);
    assert_int_equal(cert_expiry_class(na, na - 30 * DAY - 1, warn, crit), CERT_EXPIRY_OK);
    assert_int_equal(cert_expiry_class(na, na - 30 * DAY, warn, crit), CERT_EXPIRY_WARN);
    assert_int_equal(cert_expiry_class(na, na - 7 * DAY - 1, warn, crit), CERT_EXPIRY_WARN);
    assert_int_equal(cert_expiry_class(na, na - 7 * DAY, warn, crit), CERT_EXPIRY_CRIT);
    assert_int_equal(cert_expiry_class(na, na - 1, warn, crit), CERT_EXPIRY_CRIT);
    assert_int_equal(cert_expiry_class(na, na, warn, crit), CERT_EXPIRY_EXPIRED);
    /* a crit above warn wins */
    assert_int_equal(cert_expiry_class(na, na - 10 * DAY, 5.0 * DAY, 20.0 * DAY),
                     CERT_EXPIRY_CRIT);
    assert_string_equal(cert_expiry_class_name(CERT_EXPIRY_WARN), "warning");
    assert_true(cert_expiry_days(na, na - 12 * DAY - DAY / 2) == 12.5);
    assert_true(cert_expiry_days(na, na + DAY) == -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_ninety_days),
        cmocka_unit_test(test_six_days),
        cmocka_unit_test(test_one_year),
        cmocka_unit_test(test_expiry_class),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
