/* test_order: order statuses (names, terminal, urgency) and the lifetime of
 * struct order (deep copy, move, clear) - run under ASan to catch sharing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/challenge_word.h"
#include "model/order.h"
#include "model/order_status.h"
#include "model/strv.h"
#include "model/xalloc.h"

static void test_status_names_round_trip(void **state)
{
    (void)state;
    /* the twelve statuses of API.md, each its own */
    static const char *const api[] = {"new", "submitted", "awaiting-challenge-fulfillment",
                                      "vault-challenge-fulfillment",
                                      "vault-challenge-propagating",
                                      "notify-acme-server-challenges-completed",
                                      "processing-challenge",
                                      "fetching-certificate", "completed", "error",
                                      "expired", "revoked"};
    unsigned seen = 0;
    for (int i = 0; i < 12; i++) {
        enum order_status s = order_status_from_string(api[i]);
        assert_int_not_equal(s, ORDER_STATUS_UNKNOWN);
        assert_string_equal(order_status_name(s), api[i]);
        assert_false(seen & ORDER_STATUS_BIT(s));
        seen |= ORDER_STATUS_BIT(s);
    }
    assert_int_equal(order_status_from_string("Completed"), ORDER_STATUS_UNKNOWN);
    assert_int_equal(order_status_from_string("pending-approval"), ORDER_STATUS_UNKNOWN);
    assert_int_equal(order_status_from_string(""), ORDER_STATUS_UNKNOWN);
    assert_int_equal(order_status_from_string(NULL), ORDER_STATUS_UNKNOWN);
    assert_string_equal(order_status_name(ORDER_STATUS_UNKNOWN), "unknown");
    assert_string_equal(order_status_name((enum order_status)99), "unknown");
}

static void test_terminal(void **state)
{
    (void)state;
    assert_true(order_status_is_terminal(ORDER_COMPLETED));
    assert_true(order_status_is_terminal(ORDER_ERROR));
    assert_true(order_status_is_terminal(ORDER_EXPIRED));
    assert_true(order_status_is_terminal(ORDER_REVOKED));
    assert_false(order_status_is_terminal(ORDER_NEW));
    assert_false(order_status_is_terminal(ORDER_SUBMITTED));
    assert_false(order_status_is_terminal(ORDER_AWAITING_CHALLENGE));
    assert_false(order_status_is_terminal(ORDER_FETCHING_CERT));
    assert_false(order_status_is_terminal(ORDER_VAULT_FULFILLING));
    assert_false(order_status_is_terminal(ORDER_VAULT_PROPAGATING));
    assert_false(order_status_is_terminal(ORDER_NOTIFYING_CA));
    assert_false(order_status_is_terminal(ORDER_CA_VALIDATING));
    assert_false(order_status_is_terminal(ORDER_STATUS_UNKNOWN)); /* API.md */
}

static void test_urgency_order(void **state)
{
    (void)state;
    /* the operator's turn first; Vault's DNS work and the CA's validation
     * (the steps that fail) before the rest in motion; unknown after every
     * known moving status, before the finished ones */
    const enum order_status expected[] = {
        ORDER_AWAITING_CHALLENGE, ORDER_ERROR, ORDER_CA_VALIDATING, ORDER_NOTIFYING_CA,
        ORDER_VAULT_PROPAGATING, ORDER_VAULT_FULFILLING, ORDER_FETCHING_CERT, ORDER_SUBMITTED,
        ORDER_NEW, ORDER_STATUS_UNKNOWN, ORDER_COMPLETED, ORDER_EXPIRED, ORDER_REVOKED};
    assert_int_equal(sizeof expected / sizeof expected[0], ORDER_STATUS_COUNT);
    for (size_t i = 0; i + 1 < sizeof expected / sizeof expected[0]; i++)
        assert_true(order_status_urgency(expected[i]) < order_status_urgency(expected[i + 1]));
}

static void test_who_acts(void **state)
{
    (void)state;
    assert_string_equal(order_status_who_acts(ORDER_AWAITING_CHALLENGE),
                        "you: deploy the challenges and mark them fulfilled");
    assert_string_equal(order_status_who_acts(ORDER_VAULT_FULFILLING),
                        "Vault is writing the dns-01 records through its DNS provider");
    assert_string_equal(order_status_who_acts(ORDER_VAULT_PROPAGATING),
                        "Vault waits until the records are visible");
    assert_string_equal(order_status_who_acts(ORDER_CA_VALIDATING), "the CA is validating");
    assert_non_null(strstr(order_status_who_acts(ORDER_NOTIFYING_CA), "tell the CA"));
    /* every status says something; the terminal ones say nobody acts */
    for (int s = 0; s < ORDER_STATUS_COUNT; s++)
        assert_true(strlen(order_status_who_acts((enum order_status)s)) > 10);
    assert_non_null(strstr(order_status_who_acts(ORDER_COMPLETED), "nobody"));
    assert_non_null(strstr(order_status_who_acts(ORDER_ERROR), "Last error"));
    assert_string_equal(order_status_who_acts((enum order_status)99),
                        order_status_who_acts(ORDER_STATUS_UNKNOWN));
}

static void fill(struct order *o)
{
    order_init(o);
    o->id = xstrdup("id-1");
    o->status = ORDER_STATUS_UNKNOWN;
    o->status_text = xstrdup("pending-approval");
    o->role = xstrdup("web");
    const char *ids[] = {"a.example.com", "b.example.com"};
    o->identifiers = strv_copy(ids, 2);
    o->identifier_count = 2;
    o->csr = xstrdup("");
    o->last_error = xstrdup("boom");
    o->serial = xstrdup("01:02");
    o->created = 100;
    o->challenges = xcalloc(1, sizeof *o->challenges);
    o->challenge_count = 1;
    o->challenges[0].identifier = xstrdup("a.example.com");
    o->challenges[0].items = xcalloc(2, sizeof(struct challenge));
    o->challenges[0].count = 2;
    o->challenges[0].items[0].type = xstrdup("http-01");
    o->challenges[0].items[0].status = xstrdup("pending");
    o->challenges[0].items[1].type = xstrdup("dns-01");
    o->challenges[0].items[1].status = xstrdup("valid");
    o->challenges[0].items[1].expires = 5;
    o->detail_known = true;
}

static void test_copy_is_deep(void **state)
{
    (void)state;
    struct order a, b;
    fill(&a);
    order_copy(&b, &a);
    assert_ptr_not_equal(a.id, b.id);
    assert_ptr_not_equal(a.identifiers, b.identifiers);
    assert_ptr_not_equal(a.identifiers[1], b.identifiers[1]);
    assert_ptr_not_equal(a.challenges, b.challenges);
    assert_ptr_not_equal(a.challenges[0].items[1].type, b.challenges[0].items[1].type);
    order_clear(&a); /* b must survive a's death (ASan would flag a use) */
    assert_string_equal(b.id, "id-1");
    assert_string_equal(b.identifiers[1], "b.example.com");
    assert_string_equal(b.challenges[0].items[1].type, "dns-01");
    assert_int_equal(b.challenges[0].items[1].expires, 5);
    assert_true(b.detail_known);
    assert_string_equal(order_status_display(&b), "pending-approval");
    const struct order_identifier_challenges *c = order_find_challenges(&b, "a.example.com");
    assert_non_null(c);
    assert_int_equal(c->count, 2);
    assert_null(order_find_challenges(&b, "b.example.com"));
    order_free(&b);
    assert_null(b.id);
}

static void test_move_and_clear(void **state)
{
    (void)state;
    struct order a, b;
    fill(&a);
    fill(&b);
    order_move(&b, &a); /* b's old contents freed (LeakSanitizer checks) */
    assert_null(a.id);
    assert_int_equal(a.status, ORDER_STATUS_UNKNOWN);
    assert_string_equal(b.role, "web");
    order_move(&b, &b); /* self-move is harmless */
    assert_string_equal(b.role, "web");
    order_clear(&b);
    order_clear(&b); /* twice is fine */
    order_clear(NULL);
    assert_string_equal(order_status_display(&b), "unknown");
    b.status = ORDER_COMPLETED;
    assert_string_equal(order_status_display(&b), "completed");
}

/* Parsed challenge types and statuses share one copy of the usual words;
 * copies and frees of either kind are safe (ASan checks), odd values stay
 * owned. */
static void test_challenge_words_shared(void **state)
{
    (void)state;
    char *a = xstrdup("dns-01"), *b = xstrdup("dns-01"), *odd = xstrdup("dns-99");
    challenge_word_share(&a);
    challenge_word_share(&b);
    challenge_word_share(&odd);
    assert_ptr_equal(a, b);
    assert_true(challenge_word_is_shared(a));
    assert_false(challenge_word_is_shared(odd));
    assert_string_equal(odd, "dns-99");
    struct order o;
    order_init(&o);
    o.id = xstrdup("x");
    o.challenges = xcalloc(1, sizeof(*o.challenges));
    o.challenge_count = 1;
    o.challenges[0].identifier = xstrdup("a.example");
    o.challenges[0].items = xcalloc(2, sizeof(struct challenge));
    o.challenges[0].count = 2;
    o.challenges[0].items[0].type = a;
    o.challenges[0].items[0].status = xstrdup("pending");
    o.challenges[0].items[1].type = odd;
    challenge_word_share(&o.challenges[0].items[0].status);
    struct order copy;
    order_copy(&copy, &o);
    assert_ptr_equal(copy.challenges[0].items[0].type, a);            /* shared */
    assert_ptr_not_equal(copy.challenges[0].items[1].type, odd);      /* owned copy */
    assert_string_equal(copy.challenges[0].items[1].type, "dns-99");
    order_clear(&o);
    order_clear(&copy);
    challenge_word_free(b); /* shared: nothing to free */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names_round_trip),
        cmocka_unit_test(test_terminal),
        cmocka_unit_test(test_urgency_order),
        cmocka_unit_test(test_who_acts),
        cmocka_unit_test(test_copy_is_deep),
        cmocka_unit_test(test_move_and_clear),
        cmocka_unit_test(test_challenge_words_shared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
