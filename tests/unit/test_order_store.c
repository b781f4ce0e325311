/* test_order_store: merging updates by ID (a summary never erases detail),
 * stale marking, vanished orders, the four sort modes with their ID
 * tie-break, filters, selection by ID across re-sorts, and 20,000 orders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "model/order_parse.h"
#include "model/order_store.h"
#include "model/strv.h"
#include "model/xalloc.h"

/* A summary as key_info gives it. */
static struct order summary(const char *id, const char *status, time_t created,
                            time_t last_update)
{
    struct order o;
    order_init(&o);
    o.id = xstrdup(id);
    if (status) {
        o.status_text = xstrdup(status);
        o.status = order_status_from_string(status);
    }
    o.created = created;
    o.last_update = last_update;
    return o;
}

/* A full order object with one challenge. */
static struct order detail(const char *id, const char *status, const char *serial)
{
    struct order o = summary(id, status, 1000, 2000);
    o.role = xstrdup("web-servers");
    const char *ids[] = {"example.com"};
    o.identifiers = strv_copy(ids, 1);
    o.identifier_count = 1;
    o.csr = xstrdup("");
    o.last_error = xstrdup("");
    o.serial = xstrdup(serial);
    o.expires = 9000;
    o.next_work = 3000;
    o.challenges = xcalloc(1, sizeof *o.challenges);
    o.challenge_count = 1;
    o.challenges[0].identifier = xstrdup("example.com");
    o.challenges[0].items = xcalloc(1, sizeof(struct challenge));
    o.challenges[0].count = 1;
    o.challenges[0].items[0].type = xstrdup("dns-01");
    o.challenges[0].items[0].status = xstrdup("pending");
    o.detail_known = true;
    return o;
}

static void apply_and_clear(struct order_store *s, struct order *o, int expect)
{
    assert_int_equal(order_store_apply(s, o), expect);
    order_clear(o);
}

static void test_insert_find_apply_codes(void **state)
{
    (void)state;
    struct order_store *s = order_store_new();
    struct order o = summary("a", "new", 10, 10);
    apply_and_clear(s, &o, 1);
    o = summary("a", "submitted", 10, 20);
    apply_and_clear(s, &o, 0);
    assert_int_equal(order_store_count(s), 1);
    assert_int_equal(order_store_find(s, "a")->status, ORDER_SUBMITTED);
    assert_null(order_store_find(s, "b"));
    assert_null(order_store_find(s, NULL));
    o = summary("", "new", 1, 1);
    apply_and_clear(s, &o, -1);
    order_init(&o);
    assert_int_equal(order_store_apply(s, &o), -1);
    /* apply copies: the caller's order is untouched and still its own */
    o = summary("c", "new", 1, 1);
    assert_int_equal(order_store_apply(s, &o), 1);
    assert_string_equal(o.id, "c");
    assert_ptr_not_equal(order_store_find(s, "c")->id, o.id);
    /* apply_move takes it */
    struct order m = summary("d", "new", 1, 1);
    assert_int_equal(order_store_apply_move(s, &m), 1);
    assert_null(m.id);
    order_clear(&o);
    assert_int_equal(order_store_count(s), 3);
    order_store_free(s);
    order_store_free(NULL);
}

static void test_summary_keeps_detail(void **state)
{
    (void)state;
    struct order_store *s = order_store_new();
    struct order d = detail("a", "awaiting-challenge-fulfillment", "");
    apply_and_clear(s, &d, 1);
    /* a newer summary: status moves on, detail fields stay */
    struct order sum = summary("a", "fetching-certificate", 0, 2500);
    apply_and_clear(s, &sum, 0);
    const struct order *o = order_store_find(s, "a");
    assert_int_equal(o->status, ORDER_FETCHING_CERT);
    assert_string_equal(o->status_text, "fetching-certificate");
    assert_int_equal(o->last_update, 2500);
    assert_int_equal(o->created, 1000); /* not carried (0): kept */
    assert_true(o->detail_known);
    assert_int_equal(o->challenge_count, 1);
    assert_string_equal(o->challenges[0].items[0].type, "dns-01");
    assert_string_equal(o->role, "web-servers");
    assert_int_equal(o->identifier_count, 1);
    assert_int_equal(o->expires, 9000);
    assert_int_equal(o->next_work, 3000);
    assert_string_equal(o->csr, "");
    /* a summary without status (key without key_info) changes nothing */
    sum = summary("a", NULL, 0, 0);
    apply_and_clear(s, &sum, 0);
    assert_int_equal(o->status, ORDER_FETCHING_CERT);
    /* a summary that carries identifiers and role replaces them */
    sum = summary("a", NULL, 0, 0);
    const char *ids[] = {"x.example.com", "y.example.com"};
    sum.identifiers = strv_copy(ids, 2);
    sum.identifier_count = 2;
    sum.role = xstrdup("other");
    apply_and_clear(s, &sum, 0);
    assert_int_equal(o->identifier_count, 2);
    assert_string_equal(o->role, "other");
    order_store_free(s);
}

static void test_older_summary_does_not_roll_back(void **state)
{
    (void)state;
    struct order_store *s = order_store_new();
    struct order d = detail("a", "completed", "01:02");
    apply_and_clear(s, &d, 1);
    struct order old = summary("a", "fetching-certificate", 0, 1500); /* before 2000 */
    apply_and_clear(s, &old, 0);
    assert_int_equal(order_store_find(s, "a")->status, ORDER_COMPLETED);
    assert_int_equal(order_store_find(s, "a")->last_update, 2000);
    order_store_free(s);
}

static void test_detail_replaces(void **state)
{
    (void)state;
    struct order_store *s = order_store_new();
    struct order d = detail("a", "completed", "01:02");
    apply_and_clear(s, &d, 1);
    assert_true(order_store_set_cert(s, "a", "99:99", 5000, 6000));
    assert_string_equal(order_store_find(s, "a")->serial, "01:02"); /* kept */
    assert_int_equal(order_store_find(s, "a")->cert_not_after, 6000);
    /* same serial: certificate dates survive a detail refresh */
    d = detail("a", "completed", "01:02");
    free(d.last_error);
    d.last_error = xstrdup("later error");
    apply_and_clear(s, &d, 0);
    const struct order *o = order_store_find(s, "a");
    assert_string_equal(o->last_error, "later error");
    assert_int_equal(o->cert_not_before, 5000);
    assert_int_equal(o->cert_not_after, 6000);
    /* a detail replaces wholesale: absent challenges are gone */
    d = summary("a", "revoked", 1000, 7000);
    d.detail_known = true;
    d.serial = xstrdup("03:04");
    apply_and_clear(s, &d, 0);
    o = order_store_find(s, "a");
    assert_null(o->challenges);
    assert_null(o->role);
    assert_int_equal(o->status, ORDER_REVOKED);
    assert_int_equal(o->cert_not_after, 0); /* different certificate */
    assert_false(order_store_set_cert(s, "zz", NULL, 1, 2));
    order_store_free(s);
}

static void test_stale(void **state)
{
    (void)state;
    struct order_store *s = order_store_new();
    struct order d = detail("a", "submitted", "");
    apply_and_clear(s, &d, 1);
    assert_false(order_store_find(s, "a")->stale);
    assert_true(order_store_mark_stale(s, "a", true));
    const struct order *o = order_store_find(s, "a");
    assert_true(o->stale);
    /* the last known data is all still there */
    assert_int_equal(o->status, ORDER_SUBMITTED);
    assert_int_equal(o->challenge_count, 1);
    assert_false(order_store_mark_stale(s, "nope", true));
    /* fresh data clears it */
    struct order sum = summary("a", "submitted", 0, 2100);
    apply_and_clear(s, &sum, 0);
    assert_false(order_store_find(s, "a")->stale);
    assert_true(order_store_mark_stale(s, "a", true));
    assert_true(order_store_mark_stale(s, "a", false));
    assert_false(order_store_find(s, "a")->stale);
    order_store_free(s);
}

static void test_remove(void **state)
{
    (void)state;
    struct order_store *s = order_store_new();
    char id[16];
    for (int i = 0; i < 10; i++) {
        snprintf(id, sizeof id, "o%d", i);
        struct order o = summary(id, "new", i, i);
        apply_and_clear(s, &o, 1);
    }
    const char *present[] = {"o1", "o3", "o5", "unknown", "o9"};
    assert_int_equal(order_store_remove_missing(s, present, 5), 6);
    assert_int_equal(order_store_count(s), 4);
    assert_non_null(order_store_find(s, "o1"));
    assert_non_null(order_store_find(s, "o9"));
    assert_null(order_store_find(s, "o0"));
    assert_null(order_store_find(s, "o8"));
    assert_true(order_store_remove(s, "o3"));
    assert_false(order_store_remove(s, "o3"));
    assert_int_equal(order_store_view_count(s), 3);
    assert_int_equal(order_store_remove_missing(s, NULL, 0), 3);
    assert_int_equal(order_store_count(s), 0);
    assert_int_equal(order_store_view_count(s), 0);
    assert_null(order_store_view_at(s, 0));
    order_store_free(s);
}

static void test_hash_survives_churn(void **state)
{
    (void)state;
    /* many inserts and removals in a pattern that exercises probe runs and
     * backward-shift deletion; every survivor must still be found */
    struct order_store *s = order_store_new();
    char id[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(id, sizeof id, "k%d", i);
        struct order o = summary(id, "new", i, i);
        apply_and_clear(s, &o, 1);
    }
    for (int i = 0; i < 5000; i += 3) {
        snprintf(id, sizeof id, "k%d", i);
        assert_true(order_store_remove(s, id));
    }
    for (int i = 0; i < 5000; i++) {
        snprintf(id, sizeof id, "k%d", i);
        const struct order *o = order_store_find(s, id);
        if (i % 3 == 0) {
            assert_null(o);
        } else {
            assert_non_null(o);
            assert_string_equal(o->id, id);
            assert_int_equal(o->created, i);
        }
    }
    assert_int_equal(order_store_count(s), 5000 - 1667);
    order_store_free(s);
}

/* Orders for the sort tests: id, status, created, order expiry, cert expiry. */
static struct order_store *sort_fixture(void)
{
    static const struct {
        const char *id, *status;
        time_t created, expires, cert;
    } rows[] = {
        {"e", "completed", 500, 0, 8000},
        {"b", "awaiting-challenge-fulfillment", 100, 3000, 0},
        {"d", "error", 300, 2000, 0},
        {"a", "awaiting-challenge-fulfillment", 300, 1000, 0},
        {"c", "mystery", 200, 0, 0},
        {"f", "completed", 500, 4000, 7000},
        {"g", "new", 50, 5000, 0},
        {"h", "revoked", 600, 0, 9000},
    };
    struct order_store *s = order_store_new();
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct order o = summary(rows[i].id, rows[i].status, rows[i].created, 1);
        o.expires = rows[i].expires;
        o.cert_not_after = rows[i].cert;
        apply_and_clear(s, &o, 1);
    }
    return s;
}

static void assert_view(struct order_store *s, const char *expected)
{
    char got[64] = "";
    size_t n = order_store_view_count(s);
    for (size_t i = 0; i < n && i < sizeof got - 1; i++)
        got[i] = order_store_view_at(s, i)->id[0];
    got[n < sizeof got - 1 ? n : sizeof got - 1] = '\0';
    assert_string_equal(got, expected);
}

static void test_sort_modes(void **state)
{
    (void)state;
    struct order_store *s = sort_fixture();
    /* urgency: awaiting (newest first: a 300, b 100), error, new, unknown,
     * completed (created tie 500: e before f by ID), revoked */
    assert_int_equal(order_store_sort_mode(s), ORDER_SORT_URGENCY);
    assert_view(s, "abdgcefh");
    order_store_set_sort(s, ORDER_SORT_CREATED, false);
    assert_view(s, "hefadcbg"); /* newest first, ties by ID */
    order_store_set_sort(s, ORDER_SORT_ORDER_EXPIRY, false);
    assert_view(s, "adbfgceh"); /* soonest first, unset last by ID */
    order_store_set_sort(s, ORDER_SORT_CERT_EXPIRY, false);
    assert_view(s, "fehabcdg");
    order_store_set_sort(s, ORDER_SORT_CERT_EXPIRY, true);
    assert_view(s, "gdcbahef");
    assert_true(order_store_sort_reverse(s));
    order_store_set_sort(s, (enum order_sort)42, false); /* out of range */
    assert_int_equal(order_store_sort_mode(s), ORDER_SORT_URGENCY);
    /* an update re-sorts */
    struct order up = summary("h", "awaiting-challenge-fulfillment", 0, 2);
    apply_and_clear(s, &up, 0);
    assert_view(s, "habdgcef");
    order_store_free(s);
}

static void test_filters(void **state)
{
    (void)state;
    struct order_store *s = order_store_new();
    struct order o = detail("7d0a2c4e-AAAA", "awaiting-challenge-fulfillment", "");
    apply_and_clear(s, &o, 1); /* role web-servers, example.com */
    o = summary("3e8f-BBBB", "completed", 5, 5);
    o.role = xstrdup("csr-role");
    const char *ids[] = {"API.internal.test"};
    o.identifiers = strv_copy(ids, 1);
    o.identifier_count = 1;
    apply_and_clear(s, &o, 1);
    o = summary("c0ffee", "error", 6, 6);
    apply_and_clear(s, &o, 1);

    struct order_filter f = {.text = "aaaa"};
    order_store_set_filter(s, &f);
    assert_view(s, "7");
    f.text = "api.INTERNAL";
    order_store_set_filter(s, &f);
    assert_view(s, "3");
    f.text = "CSR-";
    order_store_set_filter(s, &f);
    assert_view(s, "3");
    f.text = "e";
    order_store_set_filter(s, &f);
    assert_view(s, "7c3"); /* all three: id or identifiers or role */
    f.status_mask = ORDER_STATUS_BIT(ORDER_ERROR) | ORDER_STATUS_BIT(ORDER_COMPLETED);
    order_store_set_filter(s, &f);
    assert_view(s, "c3");
    f.role = "csr-role";
    order_store_set_filter(s, &f);
    assert_view(s, "3");
    f.role = "csr";
    order_store_set_filter(s, &f); /* role is exact */
    assert_view(s, "");
    f = (struct order_filter){.text = "no-such-thing"};
    order_store_set_filter(s, &f);
    assert_int_equal(order_store_view_count(s), 0);
    order_store_set_filter(s, NULL);
    assert_int_equal(order_store_view_count(s), 3);
    /* the filter's strings were copied: a caller buffer may change */
    char buf[16] = "c0ff";
    f = (struct order_filter){.text = buf};
    order_store_set_filter(s, &f);
    strcpy(buf, "zzzz");
    assert_view(s, "c");
    /* order_filter_match directly */
    f = (struct order_filter){.text = "EXAMPLE.com", .status_mask = ORDER_STATUS_ALL};
    assert_true(order_filter_match(&f, order_store_find(s, "7d0a2c4e-AAAA")));
    assert_false(order_filter_match(&f, order_store_find(s, "c0ffee")));
    assert_true(order_filter_match(NULL, order_store_find(s, "c0ffee")));
    size_t counts[ORDER_STATUS_COUNT];
    order_store_count_by_status(s, counts);
    assert_int_equal(counts[ORDER_AWAITING_CHALLENGE], 1);
    assert_int_equal(counts[ORDER_COMPLETED], 1);
    assert_int_equal(counts[ORDER_ERROR], 1);
    assert_int_equal(counts[ORDER_NEW], 0);
    order_store_free(s);
}

static void test_selection_survives(void **state)
{
    (void)state;
    struct order_store *s = sort_fixture();
    assert_int_equal(order_store_view_index_of(s, "d"), 2);
    order_store_set_sort(s, ORDER_SORT_CREATED, false);
    assert_int_equal(order_store_view_index_of(s, "d"), 4); /* "hefadcbg" */
    assert_string_equal(order_store_view_at(s, 4)->id, "d");
    /* new orders arrive, others vanish: still found by ID */
    struct order n = summary("0new", "new", 10000, 1);
    apply_and_clear(s, &n, 1);
    assert_true(order_store_remove(s, "h"));
    ssize_t pos = order_store_view_index_of(s, "d");
    assert_string_equal(order_store_view_at(s, (size_t)pos)->id, "d");
    /* filtered out or unknown: -1 */
    struct order_filter f = {.status_mask = ORDER_STATUS_BIT(ORDER_COMPLETED)};
    order_store_set_filter(s, &f);
    assert_int_equal(order_store_view_index_of(s, "d"), -1);
    assert_int_equal(order_store_view_index_of(s, "zzz"), -1);
    assert_int_equal(order_store_view_index_of(s, "e"), 0);
    order_store_free(s);
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* A complete list from the worker drops the orders that vanished, keeps the
 * detail of the others and adds the new ones; a partial one only merges. */
static void test_batch_complete_list(void **state)
{
    (void)state;
    struct order_store *s = order_store_new();
    struct order a = detail("a", "completed", "01"), b = detail("b", "error", "");
    apply_and_clear(s, &a, 1);
    apply_and_clear(s, &b, 1);
    struct order batch[2] = {summary("a", "completed", 1000, 2000),
                             summary("c", "new", 1500, 1500)};
    order_store_apply_batch_move(s, batch, 2, false);
    assert_int_equal(order_store_count(s), 3);
    struct order again[2] = {summary("a", "completed", 1000, 2000),
                             summary("c", "new", 1500, 1500)};
    order_store_apply_batch_move(s, again, 2, true);
    assert_int_equal(order_store_count(s), 2);
    assert_null(order_store_find(s, "b"));
    const struct order *kept = order_store_find(s, "a");
    assert_non_null(kept);
    assert_true(kept->detail_known);
    assert_string_equal(kept->serial, "01");
    assert_null(batch[0].id); /* moved in */
    order_store_free(s);
}

static void test_20000_orders(void **state)
{
    (void)state;
    enum { N = 20000 };
    static const char *const statuses[] = {"new", "submitted", "awaiting-challenge-fulfillment",
                                           "fetching-certificate", "completed", "error"};
    struct order *batch = xcalloc(N, sizeof *batch);
    for (int i = 0; i < N; i++) {
        char id[48];
        snprintf(id, sizeof id, "%08x-4e6a-8c3d-%012d", (unsigned)i * 2654435761u, i);
        batch[i] = summary(id, statuses[i % 6], 1700000000 + i, 1700000000 + i);
        batch[i].role = xstrdup(i % 2 ? "web-servers" : "csr-role");
        const char *ids[] = {"example.com"};
        batch[i].identifiers = strv_copy(ids, 1);
        batch[i].identifier_count = 1;
    }
    struct order_store *s = order_store_new();
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < N; i++)
        assert_int_equal(order_store_apply(s, &batch[i]), 1);
    double insert_ms = ms_since(&t0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < N; i++)
        assert_int_equal(order_store_apply(s, &batch[i]), 0);
    double merge_ms = ms_since(&t0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(order_store_view_count(s), N);
    double view_ms = ms_since(&t0);
    /* urgency: awaiting first, newest first among them */
    const struct order *top = order_store_view_at(s, 0);
    assert_int_equal(top->status, ORDER_AWAITING_CHALLENGE);
    assert_int_equal(top->created, 1700000000 + 19994);
    /* complete list without half of them */
    const char **present = xcalloc(N / 2, sizeof *present);
    for (int i = 0; i < N / 2; i++)
        present[i] = batch[2 * i].id;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(order_store_remove_missing(s, present, N / 2), N / 2);
    double remove_ms = ms_since(&t0);
    assert_int_equal(order_store_count(s), N / 2);
    assert_non_null(order_store_find(s, batch[0].id));
    assert_null(order_store_find(s, batch[1].id));
    struct order_filter f = {.text = "EXAMPLE", .role = "csr-role"};
    order_store_set_filter(s, &f);
    assert_int_equal(order_store_view_count(s), N / 2);
    printf("    20,000 orders: insert %.1f ms, merge %.1f ms, view %.1f ms, "
           "remove_missing(10,000) %.1f ms\n", insert_ms, merge_ms, view_ms, remove_ms);
    /* "milliseconds, not seconds" even with sanitizers on */
    assert_true(insert_ms < 1000 && merge_ms < 1000 && view_ms < 1000 && remove_ms < 1000);
    free(present);
    order_array_free(batch, N);
    order_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_find_apply_codes),
        cmocka_unit_test(test_summary_keeps_detail),
        cmocka_unit_test(test_older_summary_does_not_roll_back),
        cmocka_unit_test(test_detail_replaces),
        cmocka_unit_test(test_stale),
        cmocka_unit_test(test_remove),
        cmocka_unit_test(test_hash_survives_churn),
        cmocka_unit_test(test_sort_modes),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_selection_survives),
        cmocka_unit_test(test_batch_complete_list),
        cmocka_unit_test(test_20000_orders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
