/* test_resource_writes: the write forms of the resource views without a
 * terminal: D deletes a role (its name typed; with active orders listed,
 * force typed too), R rotates an account key (key type picker; force typed
 * when orders are pending), T tests a DNS provider (an identifier it covers,
 * the omit_cleanup choice). Each shows what it will send, sends exactly one
 * CMD_WRITE with that method, path and body, sends nothing on bad input (a
 * sentence names the field), keeps the input and shows Vault's refusal, and
 * never sends again by itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "console_driver.h"

#include "model/clock.h"
#include "ui/delete_flow.h"
#include "ui/dns_test_flow.h"
#include "ui/key_rotate_flow.h"
#include "ui/order_form.h"
#include "ui/keys.h"
#include "ui/resource_view.h"
#include "ui/views.h"

#define NOW ((time_t)1800000000)

struct fx {
    struct console_state c;
    struct console_config cfg;
    struct queue *q;
};

static int setup(void **state)
{
    struct fx *fx = xcalloc(1, sizeof(*fx));
    fx->q = queue_new();
    fx->cfg.mount = "pki-external-ca";
    console_state_init(&fx->c, &fx->cfg, fx->q);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    console_state_free(&fx->c);
    struct msg *m;
    while ((m = queue_pop(fx->q)) != NULL)
        msg_free(m);
    queue_free(fx->q);
    free(fx);
    return 0;
}

static void key(struct console_state *c, int k)
{
    actions_handle_key(c, k);
}

/* The next command, which must be of type t (returned; caller frees). */
static struct msg *expect(struct queue *q, enum msg_type t)
{
    struct msg *m = next_command(q);
    assert_non_null(m);
    assert_int_equal(m->type, t);
    return m;
}

static void drain(struct queue *q)
{
    struct msg *m;
    while ((m = next_command(q)) != NULL)
        msg_free(m);
}

/* Show the view called name with these objects. */
static void load(struct fx *fx, const char *view, enum resource_kind kind,
                 const char *const *keys_, const char *const *json, size_t n)
{
    assert_true(views_switch(&fx->c, view));
    struct msg *m;
    uint64_t id = 0;
    while ((m = next_command(fx->q)) != NULL) {
        if (m->type == CMD_READ_RESOURCES && m->u.read.kind == kind)
            id = m->request_id;
        msg_free(m);
    }
    struct resource_item *items = xcalloc(n, sizeof(*items));
    for (size_t i = 0; i < n; i++) {
        items[i].key = xstrdup(keys_[i]);
        items[i].json = xstrdup(json[i]);
    }
    console_state_apply(&fx->c, msg_new_resources_take(id, kind, items, n, true, NULL), NOW);
}

static void answer(struct fx *fx, uint64_t id, bool ok, const char *json, const char *error)
{
    console_state_apply(&fx->c, msg_new_written(id, ok, ok ? 200 : 400, json, error), NOW);
}

static const char *const roles_k[] = {"web"};
static const char *const roles_j[] = {
    "{\"name\":\"web\",\"acme_account_name\":\"le\",\"allowed_domains\":[\"example.com\"],"
    "\"allowed_domain_options\":[\"subdomains\"]}"};

static void test_delete_a_role_without_active_orders(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    load(fx, "roles", RESOURCE_ROLES, roles_k, roles_j, 1);
    key(c, 'D');
    struct dialog *d = console_state_dialog_of(c, &delete_flow_ops);
    assert_non_null(d);
    assert_non_null(strstr(d->body, "This sends:\n  DELETE pki-external-ca/role/web"));
    /* a wrong name: a sentence naming the field, nothing sent */
    keys(c, "wbe\n");
    assert_non_null(strstr(d->note, "Name: \"wbe\" is not web: nothing sent"));
    assert_true(d->note_error);
    assert_null(next_command(fx->q));
    key(c, ACTION_KEY_CTRL('u'));
    keys(c, "web\n");
    struct msg *m = expect(fx->q, CMD_WRITE);
    assert_string_equal(m->u.write.method, "DELETE");
    assert_string_equal(m->u.write.path, "role/web");
    assert_null(m->u.write.body);
    uint64_t id = m->request_id;
    msg_free(m);
    /* keys while the answer is awaited send nothing more */
    keys(c, "\n\n");
    assert_null(next_command(fx->q));
    answer(fx, id, true, NULL, NULL);
    assert_null(c->dialog);
    assert_non_null(strstr(c->message, "role web deleted"));
    m = expect(fx->q, CMD_READ_RESOURCES); /* read again */
    assert_int_equal(m->u.read.kind, RESOURCE_ROLES);
    msg_free(m);
}

static void test_delete_a_role_with_active_orders_needs_force(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    struct order o[2] = {driver_order("ord-1", ORDER_AWAITING_CHALLENGE, NOW, "a.example.com"),
                         driver_order("ord-2", ORDER_COMPLETED, NOW, "b.example.com")};
    console_state_apply(c, msg_new_orders(0, o, 2, true), NOW);
    order_free(&o[0]);
    order_free(&o[1]);
    load(fx, "roles", RESOURCE_ROLES, roles_k, roles_j, 1);
    key(c, 'D');
    struct dialog *d = console_state_dialog_of(c, &delete_flow_ops);
    assert_non_null(strstr(d->body, "It has 1 active order that acmetop knows:\n  ord-1\n"));
    assert_null(strstr(d->body, "ord-2")); /* finished */
    assert_non_null(strstr(d->body, "DELETE pki-external-ca/role/web?force=true"));
    keys(c, "web\n");
    assert_null(next_command(fx->q)); /* the name alone is not enough */
    assert_string_equal(d->prompt, "Type force: ");
    keys(c, "forc\n");
    assert_non_null(strstr(d->note, "force: \"forc\" is not the word force: nothing sent"));
    assert_null(next_command(fx->q));
    keys(c, "e\n");
    struct msg *m = expect(fx->q, CMD_WRITE);
    assert_string_equal(m->u.write.path, "role/web?force=true");
    assert_null(m->u.write.body);
    uint64_t id = m->request_id;
    msg_free(m);
    /* refused: in the form, what was typed kept, nothing sent again */
    answer(fx, id, false, NULL, "Vault said: role is locked");
    assert_ptr_equal(c->dialog, d);
    assert_non_null(strstr(d->note, "Vault said: role is locked"));
    assert_string_equal(d->input.text, "force");
    assert_null(next_command(fx->q));
}

static void test_vault_asks_for_force_the_form_asks_too(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    load(fx, "roles", RESOURCE_ROLES, roles_k, roles_j, 1);
    key(c, 'D');
    keys(c, "web\n");
    struct msg *m = expect(fx->q, CMD_WRITE);
    uint64_t id = m->request_id;
    msg_free(m);
    answer(fx, id, false, NULL,
           "role \"web\" has 3 active order(s); delete with force=true to delete it anyway");
    struct dialog *d = c->dialog;
    assert_non_null(d);
    assert_string_equal(d->prompt, "Type force: ");
    assert_non_null(strstr(d->note, "has 3 active order(s)"));
    assert_null(next_command(fx->q));
    keys(c, "force\n");
    m = expect(fx->q, CMD_WRITE);
    assert_string_equal(m->u.write.path, "role/web?force=true");
    msg_free(m);
}

static const char *const acct_k[] = {"le"};
static const char *const acct_j[] = {
    "{\"name\":\"le\",\"directory_url\":\"https://acme.test/dir\",\"active_key_version\":1,"
    "\"account_keys\":{\"1\":{\"key_type\":\"ec-384\",\"key_version\":1}}}"};

static void test_rotate_a_key(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    load(fx, "accounts", RESOURCE_ACCOUNTS, acct_k, acct_j, 1);
    /* the roles (read by the accounts view): web uses le, and has an
     * unfinished order */
    struct resource_item *items = xcalloc(1, sizeof(*items));
    items[0].key = xstrdup("web");
    items[0].json = xstrdup(roles_j[0]);
    console_state_apply(c, msg_new_resources_take(0, RESOURCE_ROLES, items, 1, true, NULL), NOW);
    struct order o = driver_order("ord-1", ORDER_SUBMITTED, NOW, "a.example.com");
    console_state_apply(c, msg_new_orders(0, &o, 1, true), NOW);
    order_free(&o);
    key(c, 'R');
    struct dialog *d = console_state_dialog_of(c, &key_rotate_flow_ops);
    assert_non_null(d);
    /* the active key's type comes first under the cursor */
    assert_string_equal(picker_current(&d->picker)->label, "ec-384");
    key(c, 'j');
    assert_string_equal(picker_current(&d->picker)->label, "ec-521");
    assert_non_null(strstr(d->body, "1 order is still pending on the roles that use it (web)"));
    key(c, '\n');
    assert_non_null(strstr(d->body, "POST pki-external-ca/config/acme-account/le/rotate-key "
                                    "{\"key_type\":\"ec-521\",\"force\":true}"));
    keys(c, "y\n"); /* y is typed into the force field, not an answer */
    assert_non_null(strstr(d->note, "force: \"y\" is not the word force: nothing sent"));
    assert_null(next_command(fx->q));
    key(c, ACTION_KEY_CTRL('u'));
    keys(c, "force\n");
    struct msg *m = expect(fx->q, CMD_WRITE);
    assert_string_equal(m->u.write.method, "POST");
    assert_string_equal(m->u.write.path, "config/acme-account/le/rotate-key");
    assert_string_equal(m->u.write.body, "{\"key_type\":\"ec-521\",\"force\":true}");
    uint64_t id = m->request_id;
    msg_free(m);
    answer(fx, id, true,
           "{\"name\":\"le\",\"old_active_key_version\":1,\"new_active_key_version\":2,"
           "\"key_type\":\"ec-521\"}", NULL);
    assert_null(c->dialog);
    assert_non_null(strstr(c->message, "the key of le is rotated: v1 -> v2 (ec-521)"));
    m = expect(fx->q, CMD_READ_RESOURCES);
    assert_int_equal(m->u.read.kind, RESOURCE_ACCOUNTS);
    msg_free(m);
}

static void test_rotate_without_pending_orders_asks_y(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    load(fx, "accounts", RESOURCE_ACCOUNTS, acct_k, acct_j, 1);
    console_state_apply(c, msg_new_resources_take(0, RESOURCE_ROLES, NULL, 0, true, NULL), NOW);
    key(c, 'R');
    key(c, '\n');
    struct dialog *d = c->dialog;
    assert_non_null(strstr(d->body, "{\"key_type\":\"ec-384\"}"));
    key(c, 'n'); /* no: nothing sent */
    assert_null(c->dialog);
    assert_null(next_command(fx->q));
    key(c, 'R');
    keys(c, "\ny");
    struct msg *m = expect(fx->q, CMD_WRITE);
    assert_string_equal(m->u.write.body, "{\"key_type\":\"ec-384\"}");
    msg_free(m);
}

static const char *const dns_k[] = {"rfc2136/internal"};
static const char *const dns_j[] = {
    "{\"name\":\"internal\",\"type\":\"rfc2136\",\"identifiers\":[\"*.auto.example.net\"],"
    "\"ttl\":60,\"nameserver\":\"127.0.0.1:53\"}"};

static void test_test_a_dns_provider(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    load(fx, "dns", RESOURCE_DNS, dns_k, dns_j, 1);
    drain(fx->q);
    key(c, 'T');
    struct dialog *d = console_state_dialog_of(c, &dns_test_flow_ops);
    assert_non_null(d);
    assert_string_equal(d->input.text, "acmetop-test.auto.example.net");
    /* not covered, not a name: said, nothing sent */
    key(c, ACTION_KEY_CTRL('u'));
    keys(c, "www.example.com\n");
    assert_non_null(strstr(d->note, "Identifier: www.example.com is not covered by this "
                                    "provider's globs: nothing sent"));
    key(c, ACTION_KEY_CTRL('u'));
    keys(c, "bad name\n");
    assert_non_null(strstr(d->note, "Identifier: \"bad name\" is not a DNS name"));
    assert_null(next_command(fx->q));
    key(c, ACTION_KEY_CTRL('u'));
    keys(c, "x.auto.example.net\n");
    assert_non_null(strstr(d->body, "POST pki-external-ca/dns/test/workflow "
                                    "{\"identifier\":\"x.auto.example.net\",\"provider_type\":"
                                    "\"rfc2136\",\"provider_name\":\"internal\","
                                    "\"omit_cleanup\":false}"));
    key(c, 'j'); /* leave the record */
    assert_non_null(strstr(d->body, "\"omit_cleanup\":true"));
    key(c, '\n');
    struct msg *m = expect(fx->q, CMD_WRITE);
    assert_string_equal(m->u.write.path, "dns/test/workflow");
    assert_non_null(strstr(m->u.write.body, "\"omit_cleanup\":true"));
    uint64_t id = m->request_id;
    msg_free(m);
    answer(fx, id, true,
           "{\"success\":false,\"message\":\"DNS workflow test failed: no answer\","
           "\"record_name\":\"_acme-challenge.x.auto.example.net\",\"errors\":[\"no answer\"]}",
           NULL);
    assert_ptr_equal(c->dialog, d);
    assert_string_equal(d->title, "DNS provider test: FAILED");
    assert_non_null(strstr(d->body, "DNS workflow test failed: no answer"));
    assert_non_null(strstr(d->body, "Record   _acme-challenge.x.auto.example.net"));
    assert_non_null(strstr(d->body, "Errors\n  no answer"));
    assert_null(next_command(fx->q)); /* never sent again by itself */
    key(c, 't'); /* again: the identifier kept */
    assert_string_equal(d->input.text, "x.auto.example.net");
}

static void test_a_record_left_in_place_is_checked_on_the_servers(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    load(fx, "dns", RESOURCE_DNS, dns_k, dns_j, 1);
    drain(fx->q);
    /* removed afterwards: nothing to check */
    key(c, 'T');
    keys(c, "\n\n");
    struct msg *m = expect(fx->q, CMD_WRITE);
    assert_non_null(strstr(m->u.write.body, "\"omit_cleanup\":false"));
    uint64_t id = m->request_id;
    msg_free(m);
    answer(fx, id, true, "{\"success\":true,\"message\":\"ok, removed\"}", NULL);
    assert_null(next_command(fx->q));
    key(c, '\n');
    /* left in place: the dns-01 pre-flight asks the authoritative servers */
    key(c, 'T');
    keys(c, "\nj\n");
    m = expect(fx->q, CMD_WRITE);
    id = m->request_id;
    msg_free(m);
    answer(fx, id, true,
           "{\"success\":true,\"message\":\"DNS workflow test succeeded: left in place\","
           "\"record_name\":\"_acme-challenge.acmetop-test.auto.example.net\"}", NULL);
    m = expect(fx->q, CMD_PREFLIGHT);
    assert_string_equal(m->u.check.identifier, "acmetop-test.auto.example.net");
    assert_string_equal(m->u.check.challenge_type, "dns-01");
    uint64_t check = m->request_id;
    msg_free(m);
    struct dialog *d = c->dialog;
    assert_non_null(strstr(d->note, "checking the record on the authoritative servers"));
    struct msg *r = msg_new_preflight(check, "", "acmetop-test.auto.example.net", "dns-01",
                                      MSG_CHECK_MISMATCH, "x", "\"vault-wrote-this\"",
                                      "the TXT record is not the expected one",
                                      "_acme-challenge.acmetop-test.auto.example.net");
    msg_preflight_set_servers(r, "  127.0.0.1 (ns1)  mismatch  serves \"vault-wrote-this\"");
    console_state_apply(c, r, NOW);
    assert_ptr_equal(c->dialog, d);
    assert_non_null(strstr(d->body, "DNS workflow test succeeded: left in place"));
    assert_non_null(strstr(d->body, "the record is there: \"vault-wrote-this\""));
    assert_non_null(strstr(d->body, "127.0.0.1 (ns1)"));
    assert_false(d->note_error);
}

static void test_delete_an_account_or_a_provider(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    load(fx, "accounts", RESOURCE_ACCOUNTS, acct_k, acct_j, 1);
    /* web uses le: refused before anything is sent, the role named */
    struct resource_item *items = xcalloc(1, sizeof(*items));
    items[0].key = xstrdup("web");
    items[0].json = xstrdup(roles_j[0]);
    console_state_apply(c, msg_new_resources_take(0, RESOURCE_ROLES, items, 1, true, NULL), NOW);
    key(c, 'D');
    assert_null(c->dialog);
    assert_int_equal(c->message_level, MESSAGE_ERROR);
    assert_non_null(strstr(c->message, "account le is used by role web"));
    assert_null(next_command(fx->q));
    /* no role uses it any more */
    console_state_apply(c, msg_new_resources_take(0, RESOURCE_ROLES, NULL, 0, true, NULL), NOW);
    key(c, 'D');
    struct dialog *d = console_state_dialog_of(c, &delete_flow_ops);
    assert_non_null(d);
    assert_non_null(strstr(d->body, "DELETE pki-external-ca/config/acme-account/le"));
    keys(c, "le\n");
    struct msg *m = expect(fx->q, CMD_WRITE);
    assert_string_equal(m->u.write.path, "config/acme-account/le");
    msg_free(m);
    console_state_dialog_close(c);
    /* a DNS provider: its name typed, the type in the path */
    load(fx, "dns", RESOURCE_DNS, dns_k, dns_j, 1);
    drain(fx->q);
    key(c, 'D');
    d = console_state_dialog_of(c, &delete_flow_ops);
    assert_non_null(strstr(d->body, "DELETE pki-external-ca/config/dns/rfc2136/internal"));
    keys(c, "rfc2136/internal\n"); /* the name, not the key */
    assert_null(next_command(fx->q));
    key(c, ACTION_KEY_CTRL('u'));
    keys(c, "internal\n");
    m = expect(fx->q, CMD_WRITE);
    assert_string_equal(m->u.write.method, "DELETE");
    assert_string_equal(m->u.write.path, "config/dns/rfc2136/internal");
    uint64_t id = m->request_id;
    msg_free(m);
    answer(fx, id, false, NULL, "DNS provider \"rfc2136/internal\" is in use by 1 active order(s)");
    assert_non_null(strstr(d->note, "is in use by 1 active order(s)"));
    assert_string_equal(d->prompt, "Name: "); /* no force for a provider */
    assert_string_equal(d->input.text, "internal");
}

static void test_new_order_on_a_role(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    load(fx, "roles", RESOURCE_ROLES, roles_k, roles_j, 1);
    key(c, 'n');
    assert_non_null(console_state_dialog_of(c, &order_form_ops));
    struct msg *m = expect(fx->q, CMD_LIST_ROLES);
    uint64_t id = m->request_id;
    msg_free(m);
    struct role_info *roles = xcalloc(2, sizeof(*roles));
    roles[0].name = xstrdup("api");
    roles[1].name = xstrdup("web");
    console_state_apply(c, msg_new_roles_take(id, roles, 2, NULL), NOW);
    /* the role of the view is picked: the names are asked at once */
    struct dialog *d = c->dialog;
    assert_true(d->input_on);
    assert_string_equal(d->prompt, "Names or CSR file: ");
    keys(c, "x.example.com\n");
    m = expect(fx->q, CMD_NEW_ORDER);
    assert_string_equal(m->u.new_order.role, "web");
    assert_int_equal(m->u.new_order.identifier_count, 1);
    assert_string_equal(m->u.new_order.identifiers[0], "x.example.com");
    id = m->request_id;
    msg_free(m);
    console_state_apply(c, msg_new_action_result(id, CMD_NEW_ORDER, "new-order-1", true, "ok"),
                        NOW);
    assert_null(c->dialog);
    /* the order list shows, the new order selected */
    assert_string_equal(views_current(c)->name, "orders");
    assert_non_null(console_state_selected(c));
    assert_string_equal(console_state_selected(c)->id, "new-order-1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_delete_a_role_without_active_orders, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_delete_a_role_with_active_orders_needs_force,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_vault_asks_for_force_the_form_asks_too, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rotate_a_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rotate_without_pending_orders_asks_y, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_test_a_dns_provider, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_an_account_or_a_provider, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_record_left_in_place_is_checked_on_the_servers,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_order_on_a_role, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
