/* test_order_store: merging updates by ID (a summary never erases detail,
 * Vault's answer clears "unverified"), stale marking, vanished orders, the
 * four sort modes with their ID tie-break, filters, selection by ID across
 * re-sorts, what counts as a change, 20,000 orders, and a property test:
 * thousands of random updates, removals, filters and sorts, after which the
 * incrementally kept view, positions and counts equal a from-scratch
 * filter and sort. */
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
    assert_int_equal(order_store_remove_missing(s, present, 5, 0), 6);
    assert_int_equal(order_store_count(s), 4);
    assert_non_null(order_store_find(s, "o1"));
    assert_non_null(order_store_find(s, "o9"));
    assert_null(order_store_find(s, "o0"));
    assert_null(order_store_find(s, "o8"));
    assert_true(order_store_remove(s, "o3"));
    assert_false(order_store_remove(s, "o3"));
    assert_int_equal(order_store_view_count(s), 3);
    assert_int_equal(order_store_remove_missing(s, NULL, 0, 0), 3);
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
    /* urgency: awaiting (the ACME order expiring first: a 1000, b 3000),
     * error, new, unknown, completed (the certificate expiring first: f 7000,
     * e 8000; not by creation, where e and f tie), revoked */
    assert_int_equal(order_store_sort_mode(s), ORDER_SORT_URGENCY);
    assert_view(s, "abdgcfeh");
    /* f's certificate has expired at 7500: right after the awaiting orders */
    order_store_set_now(s, 7500);
    assert_view(s, "abfdgceh");
    order_store_set_now(s, 9999); /* e's too: the one that expired first leads */
    assert_view(s, "abfedgch");
    order_store_set_now(s, 7000); /* clock back: e is valid again */
    assert_view(s, "abfdgceh");
    order_store_set_now(s, 0); /* no clock: nothing counts as expired */
    assert_view(s, "abdgcfeh");
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
    /* an update re-sorts (h awaiting, its expiry unknown: last of them) */
    struct order up = summary("h", "awaiting-challenge-fulfillment", 0, 2);
    apply_and_clear(s, &up, 0);
    assert_view(s, "abhdgcfe");
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

/* An order from the cache stays unverified until Vault says anything about
 * it (a summary or a detail): the merge takes the incoming flag. */
static void test_unverified_clears(void **state)
{
    (void)state;
    struct order_store *s = order_store_new();
    struct order d = detail("a", "completed", "01:02");
    d.unverified = true;
    apply_and_clear(s, &d, 1);
    assert_true(order_store_find(s, "a")->unverified);
    struct order sum = summary("a", "completed", 0, 2000);
    apply_and_clear(s, &sum, 0);
    assert_false(order_store_find(s, "a")->unverified);
    assert_true(order_store_find(s, "a")->detail_known); /* the summary wiped nothing */
    d = detail("b", "completed", "03");
    d.unverified = true;
    apply_and_clear(s, &d, 1);
    d = detail("b", "completed", "03");
    apply_and_clear(s, &d, 0);
    assert_false(order_store_find(s, "b")->unverified);
    order_store_free(s);
}

/* The generation moves when something shown changes, not otherwise. */
static void test_generation(void **state)
{
    (void)state;
    struct order_store *s = order_store_new();
    unsigned long g = order_store_generation(s);
    struct order d = detail("a", "awaiting-challenge-fulfillment", "");
    apply_and_clear(s, &d, 1);
    assert_true(order_store_generation(s) != g);
    g = order_store_generation(s);
    d = detail("a", "awaiting-challenge-fulfillment", ""); /* the same again */
    apply_and_clear(s, &d, 0);
    struct order sum = summary("a", "awaiting-challenge-fulfillment", 0, 2000);
    apply_and_clear(s, &sum, 0);
    sum = summary("a", NULL, 0, 0); /* a listed ID, nothing else */
    apply_and_clear(s, &sum, 0);
    assert_true(order_store_mark_stale(s, "a", false));
    order_store_set_sort(s, ORDER_SORT_URGENCY, false);
    order_store_set_filter(s, NULL);
    assert_int_equal(order_store_generation(s), g);
    sum = summary("a", "fetching-certificate", 0, 2100);
    apply_and_clear(s, &sum, 0);
    assert_true(order_store_generation(s) != g);
    g = order_store_generation(s);
    assert_true(order_store_mark_stale(s, "a", true));
    assert_true(order_store_generation(s) != g);
    g = order_store_generation(s);
    sum = summary("a", NULL, 0, 0); /* fresh data clears stale: a change */
    apply_and_clear(s, &sum, 0);
    assert_true(order_store_generation(s) != g);
    order_store_free(s);
}

/* ---- property test: incremental view == from-scratch view --------------- */

static unsigned long long prop_rng;

static unsigned prop_rand(unsigned n)
{
    prop_rng ^= prop_rng << 13;
    prop_rng ^= prop_rng >> 7;
    prop_rng ^= prop_rng << 17;
    return (unsigned)((prop_rng >> 11) % n);
}

static enum order_sort ref_mode;
static bool ref_reverse;

/* The urgency sort's deadline, as documented in order_store.h: created is
 * negated for finished orders (newest first in a soonest-first order). */
static time_t ref_deadline(const struct order *o)
{
    if (o->status == ORDER_COMPLETED)
        return o->cert_not_after;
    if (o->status == ORDER_ERROR || o->status == ORDER_EXPIRED || o->status == ORDER_REVOKED)
        return -o->created;
    return o->expires;
}

/* soonest first, 0 (unknown) last */
static int ref_soonest(time_t ta, time_t tb)
{
    return ta == tb ? 0 : !ta ? 1 : !tb ? -1 : ta < tb ? -1 : 1;
}

/* The documented order, written out independently of the store. */
static int ref_cmp(const void *x, const void *y)
{
    const struct order *a = *(const struct order *const *)x;
    const struct order *b = *(const struct order *const *)y;
    int c = 0;
    switch (ref_mode) {
    case ORDER_SORT_URGENCY:
        c = order_status_urgency(a->status) - order_status_urgency(b->status);
        if (!c)
            c = ref_soonest(ref_deadline(a), ref_deadline(b));
        break;
    case ORDER_SORT_CREATED:
        c = (a->created < b->created) - (a->created > b->created);
        break;
    case ORDER_SORT_ROLE:
        c = strcmp(a->role ? a->role : "", b->role ? b->role : "");
        break;
    case ORDER_SORT_IDENTIFIER:
        c = strcmp(a->identifier_count ? a->identifiers[0] : "",
                   b->identifier_count ? b->identifiers[0] : "");
        break;
    case ORDER_SORT_ORDER_EXPIRY:
    case ORDER_SORT_CERT_EXPIRY: {
        time_t ta = ref_mode == ORDER_SORT_ORDER_EXPIRY ? a->expires : a->cert_not_after;
        time_t tb = ref_mode == ORDER_SORT_ORDER_EXPIRY ? b->expires : b->cert_not_after;
        c = ref_soonest(ta, tb);
        break;
    }
    case ORDER_SORT_RENEW: { /* two thirds of the lifetime, certificates only */
        time_t ta = 0, tb = 0;
        if (a->status == ORDER_COMPLETED && a->cert_not_before && a->cert_not_after > a->cert_not_before)
            ta = (time_t)((double)a->cert_not_before +
                          2.0 / 3.0 * ((double)a->cert_not_after - (double)a->cert_not_before));
        if (b->status == ORDER_COMPLETED && b->cert_not_before && b->cert_not_after > b->cert_not_before)
            tb = (time_t)((double)b->cert_not_before +
                          2.0 / 3.0 * ((double)b->cert_not_after - (double)b->cert_not_before));
        if (ta != tb)
            c = !ta ? 1 : !tb ? -1 : ta < tb ? -1 : 1;
        break;
    }
    default:
        break;
    }
    if (!c)
        c = strcmp(a->id, b->id);
    c = c < 0 ? -1 : c > 0;
    return ref_reverse ? -c : c;
}

enum { POOL = 90 };

struct prop {
    struct order_store *s;
    bool present[POOL];
    char text[16];
    struct order_filter f;
};

static void pool_id(int i, char *buf, size_t size)
{
    static const char *const stems[] = {"ab", "Ab", "cD", "x-", "e1"};
    snprintf(buf, size, "%s%02d", stems[i % 5], i);
}

static struct order random_order(int i)
{
    static const char *const statuses[] = {"new", "submitted", "awaiting-challenge-fulfillment",
                                           "fetching-certificate", "completed", "error",
                                           "expired", "revoked", "mystery"};
    static const char *const roles[] = {"web", "csr-role", "Ops"};
    static const char *const names[] = {"www.Example.com", "api.test", "b\u00fccher.example",
                                        "ab.internal", "mail.example.org"};
    static const time_t times[] = {0, 100, 200, 300};
    char id[16];
    pool_id(i, id, sizeof id);
    struct order o = summary(id, prop_rand(4) ? statuses[prop_rand(9)] : NULL,
                             times[prop_rand(4)], 1000 + prop_rand(50));
    if (prop_rand(2))
        o.role = xstrdup(roles[prop_rand(3)]);
    if (prop_rand(2)) {
        size_t n = prop_rand(3);
        const char *ids[2] = {names[prop_rand(5)], names[prop_rand(5)]};
        o.identifiers = strv_copy(ids, n);
        o.identifier_count = n;
        if (!o.identifiers)
            o.identifiers = xcalloc(1, sizeof(char *)); /* carried, empty */
    }
    if (prop_rand(2))
        o.expires = times[prop_rand(4)] * 2;
    if (prop_rand(3) == 0)
        o.cert_not_after = times[prop_rand(4)] * 3;
    o.detail_known = prop_rand(4) == 0;
    o.unverified = prop_rand(5) == 0;
    return o;
}

static void prop_filter(struct prop *p)
{
    static const char alphabet[] = "abcdex-.0123wmp\u00fc";
    size_t len = strlen(p->text);
    switch (prop_rand(6)) {
    case 0: /* typing: one more character (mostly narrows) */
    case 1:
        if (len + 1 < sizeof p->text) {
            p->text[len] = alphabet[prop_rand(sizeof alphabet - 1)];
            p->text[len + 1] = '\0';
        }
        break;
    case 2: /* backspace */
        if (len)
            p->text[len - 1] = '\0';
        break;
    case 3: /* another status set */
        p->f.status_mask = prop_rand(3) ? 0 : prop_rand(ORDER_STATUS_ALL + 1);
        break;
    case 4:
        p->f.role = prop_rand(3) ? NULL : prop_rand(2) ? "web" : "Ops";
        break;
    default:
        p->text[0] = '\0';
        break;
    }
    p->f.text = p->text;
    order_store_set_filter(p->s, &p->f);
}

/* The store's view, positions and counts against the reference. */
static void prop_check(struct prop *p)
{
    const struct order *want[POOL];
    size_t n = 0, counts[ORDER_STATUS_COUNT] = {0}, got[ORDER_STATUS_COUNT];
    for (int i = 0; i < POOL; i++) {
        char id[16];
        pool_id(i, id, sizeof id);
        const struct order *o = order_store_find(p->s, id);
        assert_true((o != NULL) == p->present[i]);
        if (!o)
            continue;
        counts[o->status]++;
        if (order_filter_match(&p->f, o))
            want[n++] = o;
        else
            assert_int_equal(order_store_view_index_of(p->s, id), -1);
    }
    ref_mode = order_store_sort_mode(p->s);
    ref_reverse = order_store_sort_reverse(p->s);
    qsort(want, n, sizeof want[0], ref_cmp);
    assert_int_equal(order_store_view_count(p->s), n);
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(order_store_view_at(p->s, i), want[i]);
        assert_int_equal(order_store_view_index_of(p->s, want[i]->id), (ssize_t)i);
    }
    order_store_count_by_status(p->s, got);
    assert_memory_equal(got, counts, sizeof counts);
    size_t present = 0;
    for (int i = 0; i < POOL; i++)
        present += p->present[i];
    assert_int_equal(order_store_count(p->s), present);
}

static void prop_step(struct prop *p)
{
    char id[16];
    int i = (int)prop_rand(POOL);
    pool_id(i, id, sizeof id);
    switch (prop_rand(10)) {
    case 0:
    case 1:
    case 2: { /* one update */
        struct order o = random_order(i);
        order_store_apply_move(p->s, &o);
        order_clear(&o);
        p->present[i] = true;
        break;
    }
    case 3: { /* a batch, sometimes a complete list */
        size_t k = 1 + prop_rand(prop_rand(4) ? 6 : 60);
        bool complete = prop_rand(6) == 0;
        struct order batch[60];
        bool listed[POOL] = {false};
        size_t m = 0;
        for (size_t j = 0; j < k; j++) {
            int w = (int)prop_rand(POOL);
            if (listed[w])
                continue;
            listed[w] = true;
            batch[m++] = random_order(w);
        }
        order_store_apply_batch_move(p->s, batch, m, complete, 0);
        for (size_t j = 0; j < m; j++)
            order_clear(&batch[j]);
        for (int w = 0; w < POOL; w++)
            p->present[w] = listed[w] || (p->present[w] && !complete);
        break;
    }
    case 4:
        assert_int_equal(order_store_remove(p->s, id), p->present[i]);
        p->present[i] = false;
        break;
    case 5:
        assert_int_equal(order_store_mark_stale(p->s, id, prop_rand(2)), p->present[i]);
        break;
    case 6:
        assert_int_equal(order_store_set_cert(p->s, id, "aa:bb", 1, (time_t)prop_rand(4) * 300),
                         p->present[i]);
        break;
    case 7:
        prop_filter(p);
        break;
    case 8:
        if (prop_rand(3) == 0)
            order_store_set_sort(p->s, (enum order_sort)prop_rand(ORDER_SORT_COUNT),
                                 prop_rand(2));
        break;
    default:
        /* read the view now and then only, so changes pile up in between */
        if (prop_rand(2))
            (void)order_store_view_index_of(p->s, id);
        break;
    }
}

static void test_incremental_equals_rebuild(void **state)
{
    (void)state;
    for (unsigned long long seed = 1; seed <= 6; seed++) {
        prop_rng = 0x9e3779b97f4a7c15ULL * seed;
        struct prop p;
        memset(&p, 0, sizeof p);
        p.s = order_store_new();
        p.f.text = p.text;
        for (int step = 0; step < 2000; step++) {
            prop_step(&p);
            if (prop_rand(4) == 0)
                prop_check(&p);
        }
        prop_check(&p);
        order_store_free(p.s);
    }
}

/* The filter's search text follows identifiers that change many times (its
 * arena compacts the old texts away) and orders that go. */
static void test_search_text_follows_changes(void **state)
{
    (void)state;
    enum { N = 2000, ROUNDS = 30 };
    struct order_store *s = order_store_new();
    char id[32], name[64];
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < N; i++) {
            snprintf(id, sizeof id, "order-%d", i);
            snprintf(name, sizeof name, "Host-%d-R%d.example", i, round);
            struct order o = summary(id, "new", 1 + i, 1 + round);
            const char *ids[] = {name};
            o.identifiers = strv_copy(ids, 1);
            o.identifier_count = 1;
            assert_true(order_store_apply(s, &o) >= 0); /* removed ones come back */
            order_clear(&o);
        }
        if (round % 7 == 3) /* some go (the last one fills each hole) */
            for (int i = round; i < N; i += 97) {
                snprintf(id, sizeof id, "order-%d", i);
                order_store_remove(s, id);
            }
    }
    size_t n = order_store_count(s);
    char text[32];
    snprintf(text, sizeof text, "-r%d.", ROUNDS - 1);
    struct order_filter f = {.text = text};
    order_store_set_filter(s, &f);
    assert_int_equal(order_store_view_count(s), n);
    snprintf(text, sizeof text, "-r%d.", ROUNDS - 2);
    order_store_set_filter(s, &f);
    assert_int_equal(order_store_view_count(s), 0);
    f.text = "host-1999-";
    order_store_set_filter(s, &f);
    assert_int_equal(order_store_view_count(s), order_store_find(s, "order-1999") ? 1 : 0);
    order_store_free(s);
}

/* Typing a filter narrows what was shown; the result equals the same
 * filter set on a store that never had another. */
static void test_incremental_filter_equals_full(void **state)
{
    (void)state;
    enum { N = 3000 };
    struct order *all = xcalloc(N, sizeof *all);
    struct order_store *typing = order_store_new();
    prop_rng = 42;
    for (int i = 0; i < N; i++) {
        char id[32];
        snprintf(id, sizeof id, "%08x-%d", prop_rand(1u << 30), i);
        all[i] = summary(id, "completed", prop_rand(1000), 1);
        const char *names[] = {i % 3 ? "www.example.com" : "API.example.org"};
        all[i].identifiers = strv_copy(names, 1);
        all[i].identifier_count = 1;
        assert_int_equal(order_store_apply(typing, &all[i]), 1);
    }
    const char *typed = "api.exam";
    char text[16] = "";
    for (size_t k = 0; typed[k]; k++) {
        text[k] = typed[k];
        text[k + 1] = '\0';
        struct order_filter f = {.text = text};
        order_store_set_filter(typing, &f);
        struct order_store *fresh = order_store_new();
        order_store_set_filter(fresh, &f);
        for (int i = 0; i < N; i++)
            assert_int_equal(order_store_apply(fresh, &all[i]), 1);
        assert_int_equal(order_store_view_count(typing), order_store_view_count(fresh));
        for (size_t i = 0; i < order_store_view_count(typing); i++)
            assert_string_equal(order_store_view_at(typing, i)->id,
                                order_store_view_at(fresh, i)->id);
        order_store_free(fresh);
    }
    assert_int_equal(order_store_view_count(typing), (N + 2) / 3);
    order_array_free(all, N);
    order_store_free(typing);
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
    order_store_apply_batch_move(s, batch, 2, false, 0);
    assert_int_equal(order_store_count(s), 3);
    struct order again[2] = {summary("a", "completed", 1000, 2000),
                             summary("c", "new", 1500, 1500)};
    order_store_apply_batch_move(s, again, 2, true, 0);
    assert_int_equal(order_store_count(s), 2);
    assert_null(order_store_find(s, "b"));
    const struct order *kept = order_store_find(s, "a");
    assert_non_null(kept);
    assert_true(kept->detail_known);
    assert_string_equal(kept->serial, "01");
    assert_null(batch[0].id); /* moved in */
    order_store_free(s);
}

/* namespace = *: a complete list of one place drops the vanished orders of
 * that place only; the other places' orders stay. */
static void test_complete_list_of_one_place(void **state)
{
    (void)state;
    struct order_store *s = order_store_new();
    struct order a = detail("a", "completed", "01"), b = detail("b", "error", ""),
                 c = detail("c", "new", "");
    b.place = 1;
    c.place = 1;
    apply_and_clear(s, &a, 1);
    apply_and_clear(s, &b, 1);
    apply_and_clear(s, &c, 1);
    struct order batch[1] = {summary("c", "new", 1500, 1500)};
    batch[0].place = 1;
    order_store_apply_batch_move(s, batch, 1, true, 1); /* place 1 lists c alone */
    assert_int_equal(order_store_count(s), 2);
    assert_non_null(order_store_find(s, "a")); /* place 0: not its list */
    assert_null(order_store_find(s, "b"));
    assert_int_equal(order_store_find(s, "c")->place, 1);
    order_store_apply_batch_move(s, NULL, 0, true, 0); /* place 0 is empty now */
    assert_null(order_store_find(s, "a"));
    assert_non_null(order_store_find(s, "c"));
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
        batch[i].expires = 1700000000 + 2 * N - i; /* the newest expires first */
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
    /* urgency: awaiting first, the ACME order expiring first among them */
    const struct order *top = order_store_view_at(s, 0);
    assert_int_equal(top->status, ORDER_AWAITING_CHALLENGE);
    assert_int_equal(top->created, 1700000000 + 19994);
    /* complete list without half of them */
    const char **present = xcalloc(N / 2, sizeof *present);
    for (int i = 0; i < N / 2; i++)
        present[i] = batch[2 * i].id;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(order_store_remove_missing(s, present, N / 2, 0), N / 2);
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
        cmocka_unit_test(test_complete_list_of_one_place),
        cmocka_unit_test(test_20000_orders),
        cmocka_unit_test(test_unverified_clears),
        cmocka_unit_test(test_generation),
        cmocka_unit_test(test_incremental_equals_rebuild),
        cmocka_unit_test(test_incremental_filter_equals_full),
        cmocka_unit_test(test_search_text_follows_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
