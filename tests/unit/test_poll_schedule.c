/* test_poll_schedule: the polling policy the worker follows — what Vault is
 * asked, and when. A new or changed order is read at once; one the recent
 * list shows unchanged is not, whatever its status (Vault's worker being
 * late included); outside the recent window orders are re-validated by
 * priority (focus, awaiting, in motion, completed), least recently verified
 * first, never when finished for good; failures back off, then fall to the
 * re-validation; the freshness the header shows. */
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
    struct poll_entry **due = poll_schedule_due(ps, now, &n);
    bool found = false;
    for (size_t i = 0; i < n; i++)
        found |= strcmp(due[i]->id, id) == 0;
    free(due);
    return found;
}

/* The IDs poll_schedule_revalidation picks, joined by spaces. */
static char *revalidation(struct poll_schedule *ps, time_t now, const char *focus, size_t max)
{
    static char out[512];
    size_t n;
    struct poll_entry **e = poll_schedule_revalidation(ps, now, focus, max, &n);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "", e[i]->id);
    free(e);
    return out;
}

/* An order read in full at `at`, then listed in a recent listing. */
static void known(struct poll_schedule *ps, const char *id, const char *status, time_t at)
{
    struct order d = detail(id, status, 0);
    poll_schedule_note_detail(ps, &d, at);
}

static void test_new_order_is_due_at_once_then_not_again_when_unchanged(void **state)
{
    (void)state;
    struct poll_schedule *ps = poll_schedule_new(5, 60);
    struct order s = summary("a", "awaiting-challenge-fulfillment", T0 - 100);
    poll_schedule_window_begin(ps);
    assert_true(poll_schedule_note_recent(ps, &s, T0));
    assert_true(is_due(ps, "a", T0));
    struct order d = detail("a", "awaiting-challenge-fulfillment", 0);
    poll_schedule_note_detail(ps, &d, T0);
    assert_false(is_due(ps, "a", T0 + 1));
    /* the same summary again: nothing changed, nothing to fetch */
    poll_schedule_window_begin(ps);
    assert_false(poll_schedule_note_recent(ps, &s, T0 + 2));
    assert_false(is_due(ps, "a", T0 + 2));
    poll_schedule_free(ps);
}

static void test_changed_status_or_last_update_is_due_at_once(void **state)
{
    (void)state;
    struct poll_schedule *ps = poll_schedule_new(5, 60);
    struct order s = summary("a", "awaiting-challenge-fulfillment", T0 - 100);
    poll_schedule_note_recent(ps, &s, T0);
    struct order d = detail("a", "awaiting-challenge-fulfillment", 0);
    poll_schedule_note_detail(ps, &d, T0);
    struct order moved = summary("a", "fetching-certificate", T0 + 3);
    assert_true(poll_schedule_note_recent(ps, &moved, T0 + 3));
    assert_true(is_due(ps, "a", T0 + 3));
    poll_schedule_note_detail(ps, &d, T0 + 4);
    struct order touched = summary("a", "fetching-certificate", T0 + 9);
    assert_true(poll_schedule_note_recent(ps, &touched, T0 + 9));
    assert_true(is_due(ps, "a", T0 + 9));
    poll_schedule_free(ps);
}

/* Listed unchanged in the window: never read again, whatever the status,
 * even when Vault's worker is late (next_work_date long past), and
 * verified by the listing. */
static void test_unchanged_in_window_is_never_read(void **state)
{
    (void)state;
    struct poll_schedule *ps = poll_schedule_new(5, 60);
    const char *statuses[] = {"awaiting-challenge-fulfillment", "submitted", "new",
                              "fetching-certificate", "completed", "some-future-status"};
    char id[8];
    for (int i = 0; i < 6; i++) {
        snprintf(id, sizeof id, "o%d", i);
        struct order d = detail(id, statuses[i], T0 - 3600); /* Vault is an hour late */
        poll_schedule_note_detail(ps, &d, T0);
    }
    for (time_t t = T0 + 5; t < T0 + 7200; t += 5) {
        poll_schedule_window_begin(ps);
        for (int i = 0; i < 6; i++) {
            snprintf(id, sizeof id, "o%d", i);
            struct order s = summary(id, statuses[i], T0 - 100);
            assert_false(poll_schedule_note_recent(ps, &s, t));
        }
        size_t n;
        struct poll_entry **due = poll_schedule_due(ps, t, &n);
        free(due);
        assert_int_equal(n, 0);
        assert_string_equal(revalidation(ps, t, "o0", 10), "");
    }
    /* each listing verified them all */
    assert_int_equal(poll_schedule_oldest_verified(ps), T0 + 7195);
    poll_schedule_free(ps);
}

/* Outside the window: the focus, then awaiting, in motion, completed; least
 * recently verified first; never error/expired/revoked; not one verified
 * less than `slow` ago; never one in the window. */
static void test_outside_window_revalidation_priority(void **state)
{
    (void)state;
    struct poll_schedule *ps = poll_schedule_new(5, 60);
    known(ps, "done", "completed", T0 - 500);
    known(ps, "err", "error", T0 - 900);
    known(ps, "exp", "expired", T0 - 900);
    known(ps, "rev", "revoked", T0 - 900);
    known(ps, "moving", "submitted", T0 - 300);
    known(ps, "fresh-wait", "awaiting-challenge-fulfillment", T0 - 30); /* younger than slow */
    known(ps, "wait-new", "awaiting-challenge-fulfillment", T0 - 100);
    known(ps, "wait-old", "awaiting-challenge-fulfillment", T0 - 200);
    known(ps, "listed", "awaiting-challenge-fulfillment", T0 - 1000);
    known(ps, "focus", "completed", T0 - 61);
    poll_schedule_window_begin(ps);
    struct order s = summary("listed", "awaiting-challenge-fulfillment", T0 - 100);
    assert_false(poll_schedule_note_recent(ps, &s, T0 - 1000)); /* in the window */

    assert_string_equal(revalidation(ps, T0, "focus", 10), "focus wait-old wait-new moving done");
    assert_string_equal(revalidation(ps, T0, NULL, 10), "wait-old wait-new moving done focus");
    assert_string_equal(revalidation(ps, T0, NULL, 2), "wait-old wait-new");
    assert_string_equal(revalidation(ps, T0, NULL, 0), "");
    /* round-robin: once read, an order goes to the back of its class */
    known(ps, "wait-old", "awaiting-challenge-fulfillment", T0);
    assert_string_equal(revalidation(ps, T0, NULL, 1), "wait-new");
    known(ps, "wait-new", "awaiting-challenge-fulfillment", T0);
    assert_string_equal(revalidation(ps, T0 + 60, NULL, 3), "fresh-wait wait-new wait-old");
    /* the recent list drops "listed" (older than its window): it is due */
    poll_schedule_window_begin(ps);
    assert_string_equal(revalidation(ps, T0, NULL, 1), "listed");
    /* finished for good: never, however old */
    assert_string_equal(revalidation(ps, T0 + 1000000, NULL, 20),
                        "listed fresh-wait wait-new wait-old moving done focus");
    poll_schedule_free(ps);
}

/* A complete listing vouches for orders that can no longer change (not for
 * a completed one, which may still be revoked); the freshness is the oldest
 * verification, orders never read left out. */
static void test_oldest_verified(void **state)
{
    (void)state;
    struct poll_schedule *ps = poll_schedule_new(5, 60);
    assert_int_equal(poll_schedule_oldest_verified(ps), 0);
    known(ps, "err", "error", T0 - 900);
    known(ps, "done", "completed", T0 - 800);
    known(ps, "wait", "awaiting-challenge-fulfillment", T0 - 10);
    struct order unread = summary("unread", NULL, 0);
    poll_schedule_note_listed(ps, &unread, T0);
    assert_int_equal(poll_schedule_oldest_verified(ps), T0 - 900);
    struct order err = summary("err", NULL, 0), done = summary("done", NULL, 0);
    assert_false(poll_schedule_note_listed(ps, &err, T0));
    assert_false(poll_schedule_note_listed(ps, &done, T0));
    assert_int_equal(poll_schedule_oldest_verified(ps), T0 - 800);
    poll_schedule_free(ps);
}

static void test_poke_and_refresh(void **state)
{
    (void)state;
    struct poll_schedule *ps = poll_schedule_new(5, 60);
    known(ps, "f", "completed", T0);
    known(ps, "w", "awaiting-challenge-fulfillment", T0);
    known(ps, "e", "error", T0);
    assert_false(is_due(ps, "f", T0 + 100000));
    assert_true(poll_schedule_poke(ps, "f"));
    assert_true(is_due(ps, "f", T0 + 1)); /* an operator action fetches it again */
    assert_false(poll_schedule_poke(ps, "nobody"));
    poll_schedule_note_detail(ps, &(struct order){.id = "f", .status_text = "completed",
                                                  .status = ORDER_COMPLETED}, T0 + 1);
    poll_schedule_poke_unfinished(ps); /* the operator's `r` */
    assert_true(is_due(ps, "w", T0 + 1));
    assert_false(is_due(ps, "f", T0 + 1));
    assert_false(is_due(ps, "e", T0 + 1));
    poll_schedule_free(ps);
}

/* An owed read that fails is retried a few times with a growing delay, then
 * left to the re-validation (within the budget, not every few seconds); a
 * failing order goes to the back of the round, like one just read. */
static void test_failures_back_off_then_revalidate(void **state)
{
    (void)state;
    struct poll_schedule *ps = poll_schedule_new(5, 60);
    struct order s = summary("x", "submitted", T0);
    poll_schedule_note_listed(ps, &s, T0);
    poll_schedule_note_failure(ps, "x", T0);
    assert_false(is_due(ps, "x", T0 + 9));
    assert_true(is_due(ps, "x", T0 + 10));
    poll_schedule_note_failure(ps, "x", T0 + 10);
    assert_false(is_due(ps, "x", T0 + 29));
    assert_true(is_due(ps, "x", T0 + 30));
    assert_string_equal(revalidation(ps, T0 + 1000, NULL, 5), ""); /* owed, not idle */
    poll_schedule_note_failure(ps, "x", T0 + 30);
    assert_true(is_due(ps, "x", T0 + 70)); /* capped at slow */
    poll_schedule_note_failure(ps, "x", T0 + 70);
    assert_false(is_due(ps, "x", T0 + 100000));
    assert_string_equal(revalidation(ps, T0 + 129, NULL, 5), "");
    assert_string_equal(revalidation(ps, T0 + 130, NULL, 5), "x");

    known(ps, "a", "awaiting-challenge-fulfillment", T0 - 200);
    known(ps, "b", "awaiting-challenge-fulfillment", T0 - 100);
    assert_string_equal(revalidation(ps, T0 + 130, NULL, 5), "a b x");
    poll_schedule_note_failure(ps, "a", T0 + 130); /* a failed re-validation stays one */
    assert_false(is_due(ps, "a", T0 + 100000));
    assert_string_equal(revalidation(ps, T0 + 190, NULL, 5), "b a x");
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
        cmocka_unit_test(test_unchanged_in_window_is_never_read),
        cmocka_unit_test(test_outside_window_revalidation_priority),
        cmocka_unit_test(test_oldest_verified),
        cmocka_unit_test(test_poke_and_refresh),
        cmocka_unit_test(test_failures_back_off_then_revalidate),
        cmocka_unit_test(test_sweep_drops_vanished_orders),
        cmocka_unit_test(test_backoff_grows_caps_and_honours_retry_after),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
