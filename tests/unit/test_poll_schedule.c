/* test_poll_schedule: the polling policy the worker follows — what Vault is
 * asked, and when. A new or changed order is fetched at once; an unchanged
 * one is not; orders in motion wait for Vault's own next_work_date; orders
 * awaiting the operator are polled slowly; finished ones never again; the
 * focused order always; failures back off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"
#include "net/backoff.h"
#include "net/poll_schedule.h"

#define T0 1800000000 /* a fixed "now" */

static struct order summary(const char *id, const char *status, time_t last_update)
{
    struct order o;
    order_init(&o);
    o.id = (char *)id;
    o.status_text = (char *)status;
    o.status = order_status_from_string(status);
    o.last_update = last_update;
    return o;
}

static struct order detail(const char *id, const char *status, time_t next_work)
{
    struct order o = summary(id, status, T0 - 100);
    o.next_work = next_work;
    o.detail_known = true;
    return o;
}

static bool is_due(struct poll_schedule *ps, const char *id, time_t now)
{
    size_t n;
    struct poll_entry **due = poll_schedule_due(ps, now, NULL, &n);
    bool found = false;
    for (size_t i = 0; i < n; i++)
        found |= strcmp(due[i]->id, id) == 0;
    free(due);
    return found;
}

static void test_new_order_is_due_at_once_then_not_again_when_unchanged(void **state)
{
    (void)state;
    struct poll_schedule *ps = poll_schedule_new(5, 60);
    struct order s = summary("a", "awaiting-challenge-fulfillment", T0 - 100);
    assert_true(poll_schedule_note_listed(ps, &s, T0));
    assert_true(is_due(ps, "a", T0));
    struct order d = detail("a", "awaiting-challenge-fulfillment", 0);
    poll_schedule_note_detail(ps, &d, T0);
    assert_false(is_due(ps, "a", T0 + 1));
    /* the same summary again: nothing changed, nothing to fetch */
    assert_false(poll_schedule_note_listed(ps, &s, T0 + 2));
    assert_false(is_due(ps, "a", T0 + 2));
    poll_schedule_free(ps);
}

static void test_changed_status_or_last_update_is_due_at_once(void **state)
{
    (void)state;
    struct poll_schedule *ps = poll_schedule_new(5, 60);
    struct order s = summary("a", "awaiting-challenge-fulfillment", T0 - 100);
    poll_schedule_note_listed(ps, &s, T0);
    struct order d = detail("a", "awaiting-challenge-fulfillment", 0);
    poll_schedule_note_detail(ps, &d, T0);
    struct order moved = summary("a", "fetching-certificate", T0 + 3);
    assert_true(poll_schedule_note_listed(ps, &moved, T0 + 3));
    assert_true(is_due(ps, "a", T0 + 3));
    poll_schedule_note_detail(ps, &d, T0 + 4);
    struct order touched = summary("a", "fetching-certificate", T0 + 9);
    assert_true(poll_schedule_note_listed(ps, &touched, T0 + 9));
    assert_true(is_due(ps, "a", T0 + 9));
    poll_schedule_free(ps);
}

static void test_in_motion_waits_for_next_work_date(void **state)
{
    (void)state;
    struct poll_schedule *ps = poll_schedule_new(5, 60);
    struct order d = detail("m", "submitted", T0 + 30);
    poll_schedule_note_detail(ps, &d, T0);
    assert_false(is_due(ps, "m", T0 + 5));  /* the fast interval alone is not enough */
    assert_false(is_due(ps, "m", T0 + 30)); /* Vault works on it at next_work_date */
    assert_true(is_due(ps, "m", T0 + 31));
    /* without a next_work_date: the fast interval */
    struct order e = detail("n", "new", 0);
    poll_schedule_note_detail(ps, &e, T0);
    assert_false(is_due(ps, "n", T0 + 4));
    assert_true(is_due(ps, "n", T0 + 5));
    poll_schedule_free(ps);
}

static void test_awaiting_is_slow_finished_is_never(void **state)
{
    (void)state;
    struct poll_schedule *ps = poll_schedule_new(5, 60);
    struct order w = detail("w", "awaiting-challenge-fulfillment", 0);
    struct order f = detail("f", "completed", 0);
    struct order u = detail("u", "some-future-status", 0);
    poll_schedule_note_detail(ps, &w, T0);
    poll_schedule_note_detail(ps, &f, T0);
    poll_schedule_note_detail(ps, &u, T0);
    assert_false(is_due(ps, "w", T0 + 59));
    assert_true(is_due(ps, "w", T0 + 60));
    assert_false(is_due(ps, "f", T0 + 100000));
    assert_true(is_due(ps, "u", T0 + 5)); /* unknown statuses are not terminal */
    assert_true(poll_schedule_poke(ps, "f"));
    assert_true(is_due(ps, "f", T0 + 1)); /* an operator action fetches it again */
    poll_schedule_free(ps);
}

static void test_focus_is_always_first(void **state)
{
    (void)state;
    struct poll_schedule *ps = poll_schedule_new(5, 60);
    struct order f = detail("done", "completed", 0);
    struct order n = summary("zz-new", "new", T0);
    poll_schedule_note_detail(ps, &f, T0);
    poll_schedule_note_listed(ps, &n, T0);
    size_t count;
    struct poll_entry **due = poll_schedule_due(ps, T0 + 1, "done", &count);
    assert_int_equal(count, 2);
    assert_string_equal(due[0]->id, "done");
    free(due);
    poll_schedule_free(ps);
}

static void test_failures_back_off_up_to_slow(void **state)
{
    (void)state;
    struct poll_schedule *ps = poll_schedule_new(5, 60);
    struct order s = summary("x", "submitted", T0);
    poll_schedule_note_listed(ps, &s, T0);
    poll_schedule_note_failure(ps, "x", T0);
    assert_false(is_due(ps, "x", T0 + 9));
    assert_true(is_due(ps, "x", T0 + 10));
    for (int i = 0; i < 10; i++)
        poll_schedule_note_failure(ps, "x", T0);
    assert_false(is_due(ps, "x", T0 + 59));
    assert_true(is_due(ps, "x", T0 + 60));
    poll_schedule_free(ps);
}

static void test_sweep_drops_vanished_orders(void **state)
{
    (void)state;
    struct poll_schedule *ps = poll_schedule_new(5, 60);
    char id[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(id, sizeof(id), "order-%d", i);
        struct order s = summary(id, "completed", T0);
        poll_schedule_note_listed(ps, &s, T0);
    }
    assert_int_equal(poll_schedule_count(ps), 5000);
    poll_schedule_unsee_all(ps);
    for (int i = 0; i < 5000; i += 2) {
        snprintf(id, sizeof(id), "order-%d", i);
        struct order s = summary(id, "completed", T0);
        poll_schedule_note_listed(ps, &s, T0);
    }
    assert_int_equal(poll_schedule_drop_unseen(ps), 2500);
    assert_int_equal(poll_schedule_count(ps), 2500);
    assert_non_null(poll_schedule_find(ps, "order-4998"));
    assert_null(poll_schedule_find(ps, "order-4999"));
    poll_schedule_free(ps);
}

static void test_backoff_grows_caps_and_honours_retry_after(void **state)
{
    (void)state;
    unsigned seed = 42;
    for (int i = 0; i < 200; i++) {
        double d1 = backoff_delay(5, 1, 0, &seed);
        assert_true(d1 >= 4.0 && d1 <= 6.0);
        double d3 = backoff_delay(5, 3, 0, &seed);
        assert_true(d3 >= 16.0 && d3 <= 24.0);
        double big = backoff_delay(5, 30, 0, &seed);
        assert_true(big >= 0.8 * BACKOFF_CAP_S && big <= 1.2 * BACKOFF_CAP_S);
        double ra = backoff_delay(1, 1, 7, &seed);
        assert_true(ra >= 7.0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_order_is_due_at_once_then_not_again_when_unchanged),
        cmocka_unit_test(test_changed_status_or_last_update_is_due_at_once),
        cmocka_unit_test(test_in_motion_waits_for_next_work_date),
        cmocka_unit_test(test_awaiting_is_slow_finished_is_never),
        cmocka_unit_test(test_focus_is_always_first),
        cmocka_unit_test(test_failures_back_off_up_to_slow),
        cmocka_unit_test(test_sweep_drops_vanished_orders),
        cmocka_unit_test(test_backoff_grows_caps_and_honours_retry_after),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
