/* test_workflow_console: the whole workflow of API.md on the console (no
 * terminal): each of the twelve statuses has its own symbol and word in the
 * list (an unknown one shows verbatim), a place in the 0-4 filters, and the
 * detail says who acts now; with Vault's DNS providers known, each challenge
 * says who fulfils it (nothing while they are unknown), `f` on one Vault
 * fulfils warns and asks again, and an error order whose challenges still
 * say pending explains that the CA never looked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "console_driver.h"

#include <stdlib.h>
#include <string.h>

#include "ui/fulfill_flow.h"
#include "ui/glyphs.h"
#include "ui/pane_challenges.h"
#include "ui/pane_detail.h"
#include "ui/pane_orders.h"
#include "ui/textbuf.h"

#define NOW ((time_t)1800000000)

struct fixture {
    struct console_state c;
    struct queue *q;
    struct console_config cfg;
};

static int setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof *fx);
    fx->q = queue_new();
    fx->cfg.mount = "pki-external-ca";
    fx->cfg.preflight = true;
    console_state_init(&fx->c, &fx->cfg, fx->q);
    console_state_set_list_rows(&fx->c, 20);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    console_state_free(&fx->c);
    queue_free(fx->q);
    free(fx);
    return 0;
}

static void push(struct console_state *c, struct order *os, size_t n)
{
    struct msg *m = msg_new_orders(0, os, n, true);
    for (size_t i = 0; i < n; i++)
        order_free(&os[i]);
    console_state_apply(c, m, NOW);
}

/* Vault's providers: rfc2136/internal-dns covers *.auto.example.net. */
static void push_providers(struct console_state *c, bool known)
{
    struct dns_provider *p = NULL;
    if (known) {
        p = xcalloc(1, sizeof *p);
        p->type = xstrdup("rfc2136");
        p->name = xstrdup("internal-dns");
        p->identifiers = xcalloc(1, sizeof(char *));
        p->identifiers[0] = xstrdup("*.auto.example.net");
        p->identifier_count = 1;
    }
    console_state_apply(c, msg_new_dns_providers_take(known, p, known ? 1 : 0), NOW);
}

/* Answer every challenge fetch the console has sent with a made-up token. */
static void answer_fetches(struct fixture *fx)
{
    struct msg *m;
    while ((m = next_command(fx->q))) {
        if (m->type == CMD_FETCH_CHALLENGE) {
            struct challenge_detail d;
            challenge_detail_init(&d);
            d.token = xstrdup("tok");
            d.key_authorization = xstrdup("tok.thumb");
            console_state_apply(&fx->c,
                                msg_new_challenge_detail(m->request_id, m->u.challenge.order_id,
                                                         m->u.challenge.identifier,
                                                         m->u.challenge.challenge_type, &d),
                                NOW);
            challenge_detail_free(&d);
        }
        msg_free(m);
    }
}

/* Is text on one of the lines of tb? */
static bool tb_has(const struct textbuf *tb, const char *text)
{
    bool found = false;
    for (size_t i = 0; i < tb->count && !found; i++) {
        char *line = textbuf_line_text(tb, i);
        found = strstr(line, text) != NULL;
        free(line);
    }
    return found;
}

static bool detail_has(struct console_state *c, const char *text)
{
    struct textbuf tb;
    pane_detail_build(&tb, c, console_state_selected(c), 200, NOW, NULL);
    bool found = tb_has(&tb, text);
    textbuf_free(&tb);
    return found;
}

static bool challenges_have(struct console_state *c, const char *text)
{
    struct textbuf tb;
    pane_challenges_build(&tb, c, 200, NOW, NULL);
    bool found = tb_has(&tb, text);
    textbuf_free(&tb);
    return found;
}

static void test_every_status_has_its_own_symbol_and_word(void **state)
{
    (void)state;
    for (int u = 0; u < 2; u++) {
        glyphs_use_unicode(u == 1);
        for (int a = 0; a < ORDER_STATUS_COUNT; a++)
            for (int b = a + 1; b < ORDER_STATUS_COUNT; b++) {
                assert_string_not_equal(glyph_order_status((enum order_status)a),
                                        glyph_order_status((enum order_status)b));
                assert_string_not_equal(glyph_order_status_short((enum order_status)a),
                                        glyph_order_status_short((enum order_status)b));
            }
    }
    glyphs_use_unicode(false);
    /* the Vault-DNS statuses are not drawn as unknown ones */
    const enum order_status vault[] = {ORDER_VAULT_FULFILLING, ORDER_VAULT_PROPAGATING,
                                       ORDER_NOTIFYING_CA};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(glyph_order_status_slot(vault[i]), THEME_STATUS_VAULT);
    assert_int_not_equal(glyph_order_status_slot(ORDER_CA_VALIDATING), THEME_STATUS_UNKNOWN);
    assert_string_equal(glyph_order_status(ORDER_VAULT_PROPAGATING), "=");

    /* the list's status cell: the short word, and an unknown status verbatim */
    struct order o = driver_order("p1", ORDER_STATUS_UNKNOWN, NOW, "x.auto.example.net");
    free(o.status_text);
    o.status_text = xstrdup("vault-challenge-propagating");
    o.status = order_status_from_string(o.status_text);
    char buf[64];
    enum theme_slot slot;
    assert_string_equal(pane_orders_cell(NULL, &o, OCOL_STATUS, NOW, buf, sizeof buf, &slot),
                        "dns-wait");
    assert_int_equal(slot, THEME_STATUS_VAULT);
    free(o.status_text);
    o.status_text = xstrdup("pending-approval");
    o.status = order_status_from_string(o.status_text);
    assert_string_equal(pane_orders_cell(NULL, &o, OCOL_STATUS, NOW, buf, sizeof buf, &slot),
                        "pending-approval");
    order_free(&o);
}

static void test_status_filters_place_every_status(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    struct order os[ORDER_STATUS_COUNT];
    for (int s = 0; s < ORDER_STATUS_COUNT; s++) {
        char id[16], name[64];
        snprintf(id, sizeof id, "o%02d", s);
        snprintf(name, sizeof name, "n%d.example.com", s);
        os[s] = driver_order(id, (enum order_status)s, NOW - s, name);
    }
    push(c, os, ORDER_STATUS_COUNT);
    /* each status in exactly one of 1-4, and 0 shows them all */
    unsigned union_mask = 0;
    for (int p = PRESET_ACTION; p < PRESET_COUNT; p++) {
        unsigned m = console_state_preset_mask((enum status_preset)p);
        assert_int_equal(union_mask & m, 0);
        union_mask |= m;
    }
    assert_int_equal(union_mask, ORDER_STATUS_ALL);
    keys(c, "1");
    assert_int_equal(order_store_view_count(c->store), 1);
    assert_int_equal(order_store_view_at(c->store, 0)->status, ORDER_AWAITING_CHALLENGE);
    /* in progress: new, submitted, Vault's DNS work, notify, the CA
     * validating, fetching, unknown */
    keys(c, "2");
    assert_int_equal(order_store_view_count(c->store), 8);
    bool vault_seen = false, ca_seen = false;
    for (size_t i = 0; i < order_store_view_count(c->store); i++) {
        enum order_status s = order_store_view_at(c->store, i)->status;
        vault_seen |= s == ORDER_VAULT_PROPAGATING;
        ca_seen |= s == ORDER_CA_VALIDATING;
    }
    assert_true(vault_seen && ca_seen);
    /* urgency within it: the CA validating first */
    assert_int_equal(order_store_view_at(c->store, 0)->status, ORDER_CA_VALIDATING);
    keys(c, "4");
    assert_int_equal(order_store_view_count(c->store), 3);
    keys(c, "0");
    assert_int_equal(order_store_view_count(c->store), ORDER_STATUS_COUNT);
}

static void test_detail_says_who_acts(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    struct order os[1] = {driver_order("v1", ORDER_VAULT_PROPAGATING, NOW, "x.auto.example.net")};
    push(c, os, 1);
    assert_true(detail_has(c, "Who acts     Vault waits until the records are visible"));
    os[0] = driver_order("v1", ORDER_AWAITING_CHALLENGE, NOW, "x.auto.example.net");
    push(c, os, 1);
    assert_true(detail_has(c, "Who acts     you: deploy the challenges and mark them fulfilled"));
    os[0] = driver_order("v1", ORDER_CA_VALIDATING, NOW, "x.auto.example.net");
    push(c, os, 1);
    assert_true(detail_has(c, "the CA is validating"));
    os[0] = driver_order("v1", ORDER_VAULT_FULFILLING, NOW, "x.auto.example.net");
    push(c, os, 1);
    assert_true(detail_has(c, "Vault is writing the dns-01 records through its DNS provider"));
}

static void test_error_with_pending_challenges_explains(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    /* driver_order's error order: its challenges still say pending */
    struct order os[1] = {driver_order("e1", ORDER_ERROR, NOW, "x.auto.example.net")};
    free(os[0].last_error);
    os[0].last_error = xstrdup("DNS propagation check timed out");
    push(c, os, 1);
    assert_true(detail_has(c, "the CA never looked"));
    assert_true(detail_has(c, "see Last error"));
    assert_true(detail_has(c, "DNS propagation check timed out"));
    /* the CA did look: one challenge invalid */
    os[0] = driver_order("e1", ORDER_ERROR, NOW, "x.auto.example.net");
    free(os[0].challenges[0].items[1].status);
    os[0].challenges[0].items[1].status = xstrdup("invalid");
    push(c, os, 1);
    assert_false(detail_has(c, "the CA never looked"));
}

static void test_challenges_say_who_fulfils(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    struct order os[2] = {driver_order("h1", ORDER_AWAITING_CHALLENGE, NOW, "x.auto.example.net"),
                          driver_order("h2", ORDER_AWAITING_CHALLENGE, NOW - 5,
                                       "www.example.com")};
    push(c, os, 2);
    assert_string_equal(c->list.selected_id, "h1");
    /* providers not read yet: nothing said rather than a guess */
    assert_false(challenges_have(c, "by "));
    assert_false(challenges_have(c, "Fulfilled by"));
    push_providers(c, true);
    assert_true(challenges_have(c, "dns-01      pending      by Vault (rfc2136/internal-dns)"));
    /* Vault proves the name with dns-01: its http-01 is nobody's to deploy */
    assert_true(challenges_have(c, "http-01     pending      by Vault, with dns-01 "
                                   "(rfc2136/internal-dns)"));
    assert_false(challenges_have(c, "by you"));
    assert_true(detail_has(c, "then Vault fulfils 1 dns-01 challenge itself"));
    keys(c, "\nj"); /* the cursor on the dns-01 challenge */
    assert_true(challenges_have(c, "Fulfilled by Vault (rfc2136/internal-dns): Vault writes the "
                                   "TXT record itself; nothing to deploy"));
    keys(c, "\n"); /* fetch its token */
    answer_fetches(fx);
    assert_true(challenges_have(c, "TXT value")); /* the record Vault writes, to check */
    assert_false(challenges_have(c, "Deploy")); /* no set-txt advice for Vault's record */
    assert_true(challenges_have(c, "x copy TXT value, p check the record Vault writes"));
    keys(c, "k"); /* the http-01 challenge: not used */
    assert_true(challenges_have(c, "Fulfilled by Vault, with dns-01 (rfc2136/internal-dns): "
                                   "this challenge is not used"));
    assert_false(challenges_have(c, "w serve"));
    /* w serves no answer for it */
    keys(c, "w");
    assert_null(next_command(fx->q));
    assert_non_null(strstr(c->message, "no pending http-01 or tls-alpn-01 challenge to serve"));
    /* an identifier no provider covers: all yours */
    actions_handle_key(c, ACTION_KEY_ESC);
    keys(c, "j");
    assert_string_equal(c->list.selected_id, "h2");
    assert_true(challenges_have(c, "dns-01      pending      by you"));
    assert_false(challenges_have(c, "by Vault"));
    /* a token that may not read them: unknown again, nothing said */
    push_providers(c, false);
    keys(c, "k");
    assert_false(challenges_have(c, "by "));
    assert_false(detail_has(c, "then Vault fulfils"));
}

static void test_no_deploy_advice_once_it_is_not_yours_to_deploy(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    struct order os[1] = {driver_order("r1", ORDER_AWAITING_CHALLENGE, NOW, "www.example.com")};
    push(c, os, 1);
    keys(c, "\n\n"); /* the challenges, fetch the first one's token */
    answer_fetches(fx);
    assert_true(challenges_have(c, "then f"));
    assert_true(challenges_have(c, "f check+fulfill"));
    os[0] = driver_order("r1", ORDER_REVOKED, NOW, "www.example.com");
    push(c, os, 1);
    assert_true(challenges_have(c, "Key auth"));
    assert_false(challenges_have(c, "then f"));
    assert_false(challenges_have(c, "check+fulfill"));
    assert_true(challenges_have(c, "nothing to deploy: the order is revoked"));
    /* its certificate's remaining validity no longer counts */
    struct order o;
    order_copy(&o, console_state_selected(c));
    o.cert_not_after = NOW + 5 * 365 * 86400;
    char buf[64];
    enum theme_slot slot;
    assert_string_equal(pane_orders_cell(NULL, &o, OCOL_CERT, NOW, buf, sizeof buf, &slot), "revoked");
    o.status = ORDER_COMPLETED;
    assert_string_equal(pane_orders_cell(NULL, &o, OCOL_CERT, NOW, buf, sizeof buf, &slot), "5y");
    assert_int_equal(slot, THEME_NORMAL);
    /* its colour follows expiry_warn and expiry_crit, as the header's meters */
    struct console_config cfg = {.expiry_warn_s = 60 * 86400.0, .expiry_crit_s = 10 * 86400.0};
    o.cert_not_after = NOW + 40 * 86400;
    pane_orders_cell(&cfg, &o, OCOL_CERT, NOW, buf, sizeof buf, &slot);
    assert_int_equal(slot, THEME_WARNING);   /* within 60 days */
    pane_orders_cell(NULL, &o, OCOL_CERT, NOW, buf, sizeof buf, &slot);
    assert_int_equal(slot, THEME_NORMAL);    /* the defaults: 30 and 7 days */
    o.cert_not_after = NOW + 8 * 86400;
    pane_orders_cell(&cfg, &o, OCOL_CERT, NOW, buf, sizeof buf, &slot);
    assert_int_equal(slot, THEME_ERROR);     /* within 10 days */
    order_free(&o);
}

static void test_fulfil_on_a_challenge_vault_fulfils_asks_again(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    struct order os[1] = {driver_order("h1", ORDER_AWAITING_CHALLENGE, NOW,
                                       "x.auto.example.net")};
    push(c, os, 1);
    push_providers(c, true);
    keys(c, "\nj"); /* dns-01, Vault's */
    keys(c, "f");
    assert_non_null(console_state_dialog_of(c, &fulfill_flow_ops));
    assert_non_null(strstr(c->dialog->body, "Vault (rfc2136/internal-dns) fulfils the dns-01"));
    assert_non_null(strstr(c->dialog->body, "Go on anyway?"));
    assert_null(next_command(fx->q)); /* nothing fetched, nothing sent */
    keys(c, "\n"); /* the default answer cancels */
    assert_null(c->dialog);
    assert_null(next_command(fx->q));
    /* y goes on into the usual flow: the challenge is fetched to be checked */
    keys(c, "f");
    keys(c, "y");
    assert_non_null(console_state_dialog_of(c, &fulfill_flow_ops));
    struct msg *m = next_command(fx->q);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_FETCH_CHALLENGE);
    assert_string_equal(m->u.challenge.challenge_type, "dns-01");
    msg_free(m);
    keys(c, "n");
    assert_null(c->dialog);
    /* with the pre-flight off: warning, y, the plain question, y sends */
    fx->cfg.preflight = false;
    keys(c, "fy");
    assert_non_null(strstr(c->dialog->body, "The pre-flight check is off"));
    keys(c, "y");
    assert_null(c->dialog);
    m = next_command(fx->q);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_FULFILL_CHALLENGE);
    msg_free(m);
    /* the operator's own challenge (http-01): no warning */
    keys(c, "k");
    keys(c, "f");
    assert_null(strstr(c->dialog->body, "Go on anyway?"));
    assert_non_null(strstr(c->dialog->body, "http-01"));
    keys(c, "n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_status_has_its_own_symbol_and_word),
        cmocka_unit_test_setup_teardown(test_status_filters_place_every_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detail_says_who_acts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_with_pending_challenges_explains, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_challenges_say_who_fulfils, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_deploy_advice_once_it_is_not_yours_to_deploy,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_fulfil_on_a_challenge_vault_fulfils_asks_again,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
