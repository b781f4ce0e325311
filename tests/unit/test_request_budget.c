/* test_request_budget: the token bucket that bounds what the console sends
 * to Vault: it fills at its rate up to its cap, every request is charged,
 * change-driven work may put it into debt (never below its floor), and idle
 * work only gets whole requests; over a long idle run the spend converges
 * to the rate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "net/request_budget.h"

static void test_fills_at_rate_up_to_cap(void **state)
{
    (void)state;
    struct request_budget b;
    request_budget_init(&b, 0.3, 2.5, 300, 1000);
    assert_int_equal(request_budget_spare(&b), 2); /* starts full */
    request_budget_charge(&b, 2.5);
    assert_int_equal(request_budget_spare(&b), 0);
    request_budget_refill(&b, 1000 + 3000); /* 0.9 */
    assert_int_equal(request_budget_spare(&b), 0);
    request_budget_refill(&b, 1000 + 3400); /* 1.02 */
    assert_int_equal(request_budget_spare(&b), 1);
    request_budget_refill(&b, 1000 + 3600 * 1000); /* an hour: capped */
    assert_true(b.tokens == 2.5);
    request_budget_refill(&b, 500); /* time does not run backwards */
    assert_true(b.tokens == 2.5);
}

static void test_debt_is_bounded_and_paid_back(void **state)
{
    (void)state;
    struct request_budget b;
    request_budget_init(&b, 0.5, 2, 60, 0);
    request_budget_charge(&b, 10000); /* the operator's refresh of 10,000 orders */
    assert_true(b.tokens == -30);     /* 60 s of budget at most */
    assert_int_equal(request_budget_spare(&b), 0);
    request_budget_refill(&b, 61000);
    assert_true(b.tokens > 0 && b.tokens < 1);
    assert_int_equal(request_budget_spare(&b), 0);
    request_budget_refill(&b, 62000);
    assert_int_equal(request_budget_spare(&b), 1);
}

/* A cycle every 5 s pays its listing and spends what is spare: over an
 * hour the spend is the rate, give or take the cap. */
static void test_idle_spend_converges_to_rate(void **state)
{
    (void)state;
    struct request_budget b;
    request_budget_init(&b, 0.3, 0.3 * 5 + 1, 300, 0);
    double spent = 0;
    for (long long t = 0; t <= 3600 * 1000; t += 5000) {
        request_budget_refill(&b, t);
        request_budget_charge(&b, 1); /* the recent list, always */
        spent += 1;
        size_t spare = request_budget_spare(&b);
        request_budget_charge(&b, (double)spare); /* re-validation */
        spent += (double)spare;
    }
    assert_true(spent <= 0.3 * 3600 + 2.5 + 1);
    assert_true(spent >= 0.3 * 3600 - 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fills_at_rate_up_to_cap),
        cmocka_unit_test(test_debt_is_bounded_and_paid_back),
        cmocka_unit_test(test_idle_spend_converges_to_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
