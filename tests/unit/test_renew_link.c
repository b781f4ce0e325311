/* test_renew_link: which order renews which, by role and identifier set
 * (case and order of the names ignored), and which completed certificates
 * a newer one has superseded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/order_store.h"
#include "model/renew_index.h"
#include "model/renew_link.h"
#include "model/strv.h"
#include "model/xalloc.h"

static struct order make(const char *id, const char *role, const char *ids, time_t created,
                         enum order_status st)
{
    struct order o;
    order_init(&o);
    o.id = xstrdup(id);
    o.role = xstrdup(role);
    o.status = st;
    o.created = created;
    char *copy = xstrdup(ids), *save = NULL;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
        strv_push(&o.identifiers, &o.identifier_count, t);
    free(copy);
    return o;
}

static void test_lines(void **state)
{
    (void)state;
    struct order o[] = {
        make("new-done", "web", "b.example.com WWW.example.com", 300, ORDER_COMPLETED),
        make("old", "web", "www.example.com b.example.com", 100, ORDER_COMPLETED),
        make("failed", "web", "b.example.com www.example.com", 200, ORDER_ERROR),
        make("pending", "web", "www.example.com b.example.com b.example.com", 400,
             ORDER_AWAITING_CHALLENGE),
        make("other-role", "api", "www.example.com b.example.com", 500, ORDER_COMPLETED),
        make("subset", "web", "www.example.com", 600, ORDER_COMPLETED),
        make("no-role", "", "www.example.com", 700, ORDER_COMPLETED),
    };
    size_t n = sizeof o / sizeof o[0];
    const struct order *p[sizeof o / sizeof o[0]];
    for (size_t i = 0; i < n; i++)
        p[i] = &o[i];
    struct renew_links l;
    renew_links_compute(p, n, &l);
    enum { NEW_DONE, OLD, FAILED, PENDING, OTHER, SUBSET, NOROLE };
    /* old <- failed (renews old) <- new-done (renews old) <- pending (renews new-done) */
    assert_int_equal(l.renews[OLD], RENEW_LINK_NONE);
    assert_int_equal(l.renews[FAILED], OLD);
    assert_int_equal(l.renews[NEW_DONE], OLD);
    assert_int_equal(l.renews[PENDING], NEW_DONE);
    assert_int_equal(l.renewed_by[OLD], NEW_DONE); /* the completed one, not the failure */
    assert_int_equal(l.renewed_by[FAILED], NEW_DONE);
    assert_int_equal(l.renewed_by[NEW_DONE], PENDING);
    assert_int_equal(l.renewed_by[PENDING], RENEW_LINK_NONE);
    assert_true(l.superseded[OLD]);
    assert_false(l.superseded[NEW_DONE]); /* its renewal has not completed yet */
    assert_false(l.superseded[FAILED]);   /* not a certificate */
    assert_true(l.retried[FAILED]);
    assert_false(l.retried[PENDING]);
    /* another role, another set of names, no role: lines of their own */
    for (size_t i = OTHER; i <= NOROLE; i++) {
        assert_int_equal(l.renews[i], RENEW_LINK_NONE);
        assert_int_equal(l.renewed_by[i], RENEW_LINK_NONE);
        assert_false(l.superseded[i]);
    }
    assert_true(renew_link_same_line(&o[OLD], &o[PENDING]));
    assert_false(renew_link_same_line(&o[OLD], &o[OTHER]));
    assert_false(renew_link_same_line(&o[NOROLE], &o[NOROLE]));
    renew_links_free(&l);
    for (size_t i = 0; i < n; i++)
        order_clear(&o[i]);
}

static void test_empty(void **state)
{
    (void)state;
    struct renew_links l;
    renew_links_compute(NULL, 0, &l);
    assert_int_equal(l.n, 0);
    renew_links_free(&l);
}

static bool superseded_in(const char *id, void *x)
{
    return renew_index_superseded(x, id);
}

/* The console's index: links by ID, the superseded set (and whether it
 * changed), the counts of current certificates due and overdue, and when
 * they change next; a store hides what it says is superseded. */
static void test_index_and_hidden(void **state)
{
    (void)state;
    const time_t now = 1767225600, day = 86400;
    struct order o[] = {
        make("old", "web", "www.example.com", 100, ORDER_COMPLETED),
        make("new", "web", "www.example.com", 200, ORDER_AWAITING_CHALLENGE),
        make("due", "web", "due.example.com", 100, ORDER_COMPLETED),
        make("late", "web", "late.example.com", 100, ORDER_COMPLETED),
    };
    /* 90-day certificates: old and due 70 days in (due), late 80 days in (overdue) */
    o[0].cert_not_before = o[2].cert_not_before = now - 70 * day;
    o[3].cert_not_before = now - 80 * day;
    for (int i = 0; i < 4; i++)
        if (o[i].cert_not_before)
            o[i].cert_not_after = o[i].cert_not_before + 90 * day;
    const struct order *p[] = {&o[0], &o[1], &o[2], &o[3]};
    struct renew_at at = {.fraction = true, .value = 2.0 / 3.0};
    struct renew_index *x = renew_index_new();
    assert_false(renew_index_build(x, p, 4, &at, 30 * day, 7 * day, now)); /* nothing superseded */
    struct renew_counts rc = renew_index_counts(x);
    assert_int_equal(rc.due, 2);
    assert_int_equal(rc.overdue, 1);
    assert_int_equal(rc.urgent, 0);
    /* the header's expiry meters: 20 and 10 days left, all within 30 days */
    assert_int_equal(rc.warn, 3);
    assert_int_equal(rc.crit + rc.expired, 0);
    assert_int_equal(renew_index_next_change(x), now + 3 * day); /* late becomes urgent */
    renew_index_build(x, p, 4, &at, 30 * day, 7 * day, now + 15 * day);
    rc = renew_index_counts(x);
    assert_int_equal(rc.crit, 2);     /* 5 days left: within expiry_crit */
    assert_int_equal(rc.expired, 1);  /* late: 5 days past */
    assert_int_equal(rc.warn, 0);
    renew_index_build(x, p, 4, &at, 30 * day, 7 * day, now);
    assert_string_equal(renew_index_renews(x, "new"), "old");
    assert_string_equal(renew_index_renewed_by(x, "old"), "new");
    assert_false(renew_index_superseded(x, "old"));

    /* the renewal completes: old is superseded, no longer counted */
    struct order_store *s = order_store_new();
    for (int i = 0; i < 4; i++)
        order_store_apply(s, &o[i]);
    order_store_set_hidden(s, superseded_in, x);
    assert_int_equal(order_store_view_count(s), 4);
    o[1].status = ORDER_COMPLETED;
    assert_true(renew_index_build(x, p, 4, &at, 30 * day, 7 * day, now));
    assert_true(renew_index_superseded(x, "old"));
    assert_int_equal(renew_index_counts(x).due, 1);
    assert_false(renew_index_build(x, p, 4, &at, 30 * day, 7 * day, now)); /* the same set again */
    order_store_set_hidden(s, superseded_in, x);
    assert_int_equal(order_store_view_count(s), 3);
    assert_int_equal(order_store_view_index_of(s, "old"), -1);
    order_store_set_hidden(s, NULL, NULL);
    assert_int_equal(order_store_view_count(s), 4);
    /* the renewal sort: soonest window first, no certificate last */
    order_store_set_sort(s, ORDER_SORT_RENEW, false);
    assert_string_equal(order_store_view_at(s, 0)->id, "late");
    assert_string_equal(order_store_view_at(s, 3)->id, "new");
    order_store_free(s);
    renew_index_free(x);
    for (int i = 0; i < 4; i++)
        order_clear(&o[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_index_and_hidden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
