/* test_resource_views: the `:` command line (switching views, Tab
 * completion, history, an unknown command) and the views of roles, ACME
 * accounts and DNS providers without a terminal: what each asks the engine
 * for and when (on entering, every 5 minutes while shown, on r; never while
 * another view is on screen), filter and sort on their lists, and what the
 * detail says (a role's matching examples and the warning for a domain that
 * matches nothing, the providers that fulfil a role's names, an account key
 * older than account_key_max_age, the roles that use an account); and the
 * engine's hiding of secret fields before an object leaves it. */
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
#include "model/resource.h"
#include "ui/command_line.h"
#include "ui/keys.h"
#include "ui/resource_view.h"
#include "ui/views.h"

#define NOW ((time_t)1800000000)
#define DAY 86400L

struct fx {
    struct console_state c;
    struct console_config cfg;
    struct queue *q;
    struct clock clock;
};

static int setup(void **state)
{
    struct fx *fx = xcalloc(1, sizeof(*fx));
    fx->q = queue_new();
    fx->cfg.mount = "pki-external-ca";
    clock_fake_init(&fx->clock, NOW, 1000000);
    console_state_init(&fx->c, &fx->cfg, fx->q);
    fx->c.clock = &fx->clock;
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

/* The next command must be a read of kind; returns its request_id. */
static uint64_t expect_read(struct queue *q, enum resource_kind kind)
{
    struct msg *m = next_command(q);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_READ_RESOURCES);
    assert_int_equal(m->u.read.kind, kind);
    uint64_t id = m->request_id;
    msg_free(m);
    return id;
}

/* Answer a read with objects: keys[i] and json[i]. */
static void answer(struct console_state *c, uint64_t id, enum resource_kind kind,
                   const char *const *keys, const char *const *json, size_t n)
{
    struct resource_item *items = n ? xcalloc(n, sizeof(*items)) : NULL;
    for (size_t i = 0; i < n; i++) {
        items[i].key = xstrdup(keys[i]);
        items[i].json = xstrdup(json[i]);
    }
    console_state_apply(c, msg_new_resources_take(id, kind, items, n, true, NULL), NOW);
}

static const char *const role_keys[] = {"web", "broken", "legacy"};
static const char *const role_json[] = {
    "{\"name\":\"web\",\"acme_account_name\":\"le\",\"allowed_domains\":[\"example.com\"],"
    "\"allowed_domain_options\":[\"bare_domains\",\"subdomains\"],"
    "\"allowed_challenge_types\":[\"http-01\",\"dns-01\"],\"csr_generate_key_type\":\"ec-256\","
    "\"csr_identifier_population\":\"cn_first\"}",
    "{\"name\":\"broken\",\"acme_account_name\":\"le\",\"allowed_domains\":[\"*.example.org\"],"
    "\"allowed_domain_options\":[\"subdomains\"],\"allowed_challenge_types\":[\"dns-01\"],"
    "\"csr_generate_key_type\":\"rsa-2048\",\"csr_identifier_population\":\"sans_only\"}",
    "{\"name\":\"legacy\",\"acme_account_name\":\"digicert\",\"allowed_domains\":[\"legacy.net\"],"
    "\"allowed_domain_options\":[\"bare_domains\"],\"allowed_challenge_types\":[\"http-01\"]}",
};

static void type_text(struct console_state *c, const char *s)
{
    keys(c, s);
}

/* ---- the command line ------------------------------------------------------ */

static void test_command_line_switches_completes_and_remembers(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    assert_string_equal(views_current(c)->name, "orders");
    /* Tab completes "ro" to "roles"; Enter shows the view, which reads */
    key(c, ':');
    assert_true(c->cmdline.editing);
    type_text(c, "ro");
    key(c, '\t');
    assert_string_equal(c->cmdline.input.text, "roles");
    key(c, '\n');
    assert_false(c->cmdline.editing);
    assert_string_equal(views_current(c)->name, "roles");
    expect_read(fx->q, RESOURCE_ROLES);
    /* "a" completes to accounts (which also reads the roles: known already
     * being read? no: they are pending, so not asked twice) */
    key(c, ':');
    type_text(c, "a");
    key(c, '\t');
    assert_string_equal(c->cmdline.input.text, "accounts");
    key(c, '\n');
    assert_string_equal(views_current(c)->name, "accounts");
    expect_read(fx->q, RESOURCE_ACCOUNTS);
    assert_null(next_command(fx->q));
    /* "q" fits :q and :quit: the common part stays, both are listed */
    key(c, ':');
    type_text(c, "qu");
    key(c, '\t');
    assert_string_equal(c->cmdline.input.text, "quit");
    key(c, ACTION_KEY_CTRL('u'));
    type_text(c, "q");
    key(c, '\t');
    assert_string_equal(c->cmdline.input.text, "q");
    assert_non_null(strstr(c->cmdline.hint, ":q :quit"));
    /* Esc cancels: nothing runs */
    key(c, ACTION_KEY_ESC);
    assert_false(c->cmdline.editing);
    assert_false(c->quit);
    assert_string_equal(views_current(c)->name, "accounts");
    /* the history, newest first with Up, back to the draft with Down */
    key(c, ':');
    type_text(c, "d");
    key(c, ACTION_KEY_FN(KEY_UP));
    assert_string_equal(c->cmdline.input.text, "accounts");
    key(c, ACTION_KEY_FN(KEY_UP));
    assert_string_equal(c->cmdline.input.text, "roles");
    key(c, ACTION_KEY_FN(KEY_UP)); /* the oldest stays */
    assert_string_equal(c->cmdline.input.text, "roles");
    key(c, ACTION_KEY_FN(KEY_DOWN));
    assert_string_equal(c->cmdline.input.text, "accounts");
    key(c, ACTION_KEY_FN(KEY_DOWN));
    assert_string_equal(c->cmdline.input.text, "d");
    key(c, ACTION_KEY_ESC);
    /* keys typed on the command line are not actions: 'q' does not quit */
    key(c, ':');
    type_text(c, "orders");
    assert_false(c->quit);
    key(c, '\r');
    assert_string_equal(views_current(c)->name, "orders");
    /* :q quits */
    key(c, ':');
    type_text(c, "q");
    key(c, '\n');
    assert_true(c->quit);
}

static void test_unknown_command_lists_the_known_ones(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    key(c, ':');
    type_text(c, "certs");
    key(c, '\n');
    assert_string_equal(views_current(c)->name, "orders");
    assert_int_equal(c->message_level, MESSAGE_ERROR);
    assert_non_null(strstr(c->message, "unknown command ':certs'"));
    assert_non_null(strstr(c->message, ":orders :roles :accounts :dns :events :ctx :ns :q"));
    assert_null(next_command(fx->q));
    /* a prefix nobody has says so on Tab */
    key(c, ':');
    type_text(c, "x");
    key(c, '\t');
    assert_string_equal(c->cmdline.input.text, "x");
    assert_non_null(strstr(c->cmdline.hint, "no command starts with 'x'"));
}

/* ---- reading: when ------------------------------------------------------------ */

static void test_read_on_enter_every_5_minutes_on_r_and_not_off_screen(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    assert_true(views_switch(c, "dns"));
    uint64_t id = expect_read(fx->q, RESOURCE_DNS);
    expect_read(fx->q, RESOURCE_ROLES); /* the detail names the roles a provider serves */
    const struct view_ops *v = views_current(c);
    /* while the answer is awaited, nothing more is asked */
    assert_int_equal(v->timer(c, NULL, clock_mono_ms(&fx->clock) + 400000), -1);
    assert_null(next_command(fx->q));
    answer(c, id, RESOURCE_DNS, NULL, NULL, 0);
    /* not due yet: the timer says when */
    clock_fake_advance(&fx->clock, 299000);
    long wait = v->timer(c, NULL, clock_mono_ms(&fx->clock));
    assert_int_equal(wait, 1000);
    assert_null(next_command(fx->q));
    /* due: read again */
    clock_fake_advance(&fx->clock, 1000);
    v->timer(c, NULL, clock_mono_ms(&fx->clock));
    id = expect_read(fx->q, RESOURCE_DNS);
    answer(c, id, RESOURCE_DNS, NULL, NULL, 0);
    /* r reads now, not the orders */
    key(c, 'r');
    id = expect_read(fx->q, RESOURCE_DNS);
    assert_null(next_command(fx->q));
    answer(c, id, RESOURCE_DNS, NULL, NULL, 0);
    /* back on the orders: the orders' timer never reads DNS providers,
     * however long the view stays off screen */
    assert_true(views_switch(c, "orders"));
    clock_fake_advance(&fx->clock, 3600000);
    struct layout l;
    layout_compute(&l, 100, 30, PANE_LIST, PANE_DETAIL, 1);
    views_current(c)->timer(c, &l, clock_mono_ms(&fx->clock));
    struct msg *m;
    while ((m = queue_pop(fx->q)) != NULL) {
        assert_int_not_equal(m->type, CMD_READ_RESOURCES);
        msg_free(m);
    }
    /* entering again reads at once */
    assert_true(views_switch(c, "dns"));
    expect_read(fx->q, RESOURCE_DNS);
}

/* ---- lists: filter and sort ------------------------------------------------------ */

static void test_filter_and_sort_the_roles(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    views_switch(c, "roles");
    const struct resource_view *rv = views_current(c)->resource;
    answer(c, expect_read(fx->q, RESOURCE_ROLES), RESOURCE_ROLES, role_keys, role_json, 3);
    assert_int_equal(resource_view_shown(c, rv), 3);
    /* sorted by name: broken, legacy, web */
    assert_string_equal(resource_view_list(c, rv)->selected_key, "broken");
    key(c, 'j');
    assert_string_equal(resource_view_list(c, rv)->selected_key, "legacy");
    key(c, 'G');
    assert_string_equal(resource_view_list(c, rv)->selected_key, "web");
    /* s sorts by the next column (account): digicert's legacy first; the
     * selection stays on its role */
    key(c, 's');
    assert_non_null(strstr(c->message, "sorted by ACCOUNT"));
    assert_string_equal(resource_view_list(c, rv)->selected_key, "web");
    key(c, 'g');
    assert_string_equal(resource_view_list(c, rv)->selected_key, "legacy");
    key(c, 'S'); /* reversed: le's roles first */
    key(c, 'g');
    assert_string_not_equal(resource_view_list(c, rv)->selected_key, "legacy");
    /* the filter matches any column: the key type */
    key(c, '/');
    type_text(c, "rsa-2048");
    assert_int_equal(resource_view_shown(c, rv), 1);
    assert_string_equal(resource_view_list(c, rv)->selected_key, "broken");
    key(c, '\n');
    assert_non_null(strstr(c->message, "1 of the roles"));
    /* the order list's filter is untouched */
    assert_int_equal(c->list.filter.len, 0);
    /* Esc clears it */
    key(c, ACTION_KEY_ESC);
    assert_int_equal(resource_view_shown(c, rv), 3);
    /* 0-4 are the orders' */
    key(c, '1');
    assert_non_null(strstr(c->message, "orders"));
}

/* ---- what the details say ------------------------------------------------------------ */

static void test_role_detail_matching_warning_and_providers(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    /* a provider for *.dns.example.com: web allows those names and dns-01 */
    struct dns_provider p;
    dns_provider_init(&p);
    p.type = xstrdup("rfc2136");
    p.name = xstrdup("internal");
    p.identifiers = xcalloc(1, sizeof(char *));
    p.identifiers[0] = xstrdup("*.dns.example.com");
    p.identifier_count = 1;
    struct dns_provider *pv = xcalloc(1, sizeof(*pv));
    pv[0] = p;
    console_state_apply(c, msg_new_dns_providers_take(true, pv, 1), NOW);
    views_switch(c, "roles");
    const struct resource_view *rv = views_current(c)->resource;
    answer(c, expect_read(fx->q, RESOURCE_ROLES), RESOURCE_ROLES, role_keys, role_json, 3);
    /* broken: *.example.org without globs or wildcards matches nothing */
    char *d = resource_view_detail_text(c, rv, 200, NOW);
    assert_non_null(strstr(d, "Role         broken"));
    assert_non_null(strstr(d, "*.example.org is allowed without \"globs\" or \"wildcards\": it "
                              "matches nothing"));
    assert_non_null(strstr(d, "www.example.org"));
    assert_non_null(strstr(d, "sans_only: the names go in the SANs only"));
    assert_non_null(strstr(d, "no DNS provider covers this role's names"));
    free(d);
    /* web: the examples are judged, the provider fulfils dns-01 for it */
    key(c, 'G');
    d = resource_view_detail_text(c, rv, 200, NOW);
    assert_non_null(strstr(d, "Role         web"));
    assert_non_null(strstr(d, "example.com: example.com itself, any name below it"));
    assert_non_null(strstr(d, "a.b.example.com                  allowed"));
    assert_non_null(strstr(d, "*.example.com                    denied"));
    assert_null(strstr(d, "Warning"));
    assert_non_null(strstr(d, "*.dns.example.com: Vault fulfils dns-01 itself through "
                              "rfc2136/internal"));
    free(d);
    /* legacy: http-01 only, and the provider covers none of its names */
    key(c, 'k');
    d = resource_view_detail_text(c, rv, 200, NOW);
    assert_non_null(strstr(d, "Role         legacy"));
    assert_non_null(strstr(d, "legacy.net: legacy.net itself"));
    assert_non_null(strstr(d, "www.legacy.net                   denied"));
    free(d);
}

static void test_active_orders_of_a_role(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    struct order o[3] = {driver_order("o-1", ORDER_AWAITING_CHALLENGE, NOW - 60, "a.example.com"),
                         driver_order("o-2", ORDER_COMPLETED, NOW - 60, "b.example.com"),
                         driver_order("o-3", ORDER_SUBMITTED, NOW - 60, "c.example.com")};
    console_state_apply(c, msg_new_orders(0, o, 3, true), NOW);
    for (int i = 0; i < 3; i++)
        order_free(&o[i]);
    views_switch(c, "roles");
    const struct resource_view *rv = views_current(c)->resource;
    answer(c, expect_read(fx->q, RESOURCE_ROLES), RESOURCE_ROLES, role_keys, role_json, 3);
    key(c, 'G'); /* web: driver_order's role */
    char *d = resource_view_detail_text(c, rv, 200, NOW);
    assert_non_null(strstr(d, "2 active orders acmetop knows"));
    free(d);
}

static void test_account_key_age_and_roles(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    fx->cfg.account_key_max_age_days = 30;
    views_switch(c, "accounts");
    const struct resource_view *rv = views_current(c)->resource;
    uint64_t acc = expect_read(fx->q, RESOURCE_ACCOUNTS);
    uint64_t roles = expect_read(fx->q, RESOURCE_ROLES);
    char json[2][1024];
    char t_old[32], t_new[32];
    time_t old = NOW - 40 * DAY, fresh = NOW - 2 * DAY;
    strftime(t_old, sizeof t_old, "%Y-%m-%dT%H:%M:%SZ", gmtime(&old));
    strftime(t_new, sizeof t_new, "%Y-%m-%dT%H:%M:%SZ", gmtime(&fresh));
    snprintf(json[0], sizeof json[0],
             "{\"name\":\"le\",\"directory_url\":\"https://acme.example/dir\","
             "\"email_contacts\":[\"ops@example.com\"],\"active_key_version\":1,"
             "\"account_keys\":{\"1\":{\"key_type\":\"ec-256\",\"key_version\":1,"
             "\"key_creation_date\":\"%s\"}}}", t_old);
    snprintf(json[1], sizeof json[1],
             "{\"name\":\"digicert\",\"directory_url\":\"https://acme.digicert.test/v2/dir\","
             "\"email_contacts\":[\"pki@example.com\"],\"active_key_version\":2,"
             "\"account_keys\":{\"1\":{\"key_type\":\"ec-256\",\"key_version\":1,"
             "\"key_creation_date\":\"%s\"},\"2\":{\"key_type\":\"rsa-4096\",\"key_version\":2,"
             "\"key_creation_date\":\"%s\"}}}", t_old, t_new);
    const char *keys_[] = {"le", "digicert"};
    const char *js[] = {json[0], json[1]};
    answer(c, acc, RESOURCE_ACCOUNTS, keys_, js, 2);
    answer(c, roles, RESOURCE_ROLES, role_keys, role_json, 3);
    /* digicert (sorted first): the active key v2 is 2 days old: no warning */
    char *d = resource_view_detail_text(c, rv, 200, NOW);
    assert_non_null(strstr(d, "Account      digicert"));
    assert_non_null(strstr(d, "v1  ec-256"));
    assert_non_null(strstr(d, "v2  rsa-4096  created"));
    assert_non_null(strstr(d, "active"));
    assert_null(strstr(d, "Warning"));
    assert_non_null(strstr(d, "Roles        legacy"));
    free(d);
    /* le: the key is 40 days old, the limit 30 */
    key(c, 'j');
    d = resource_view_detail_text(c, rv, 300, NOW);
    assert_non_null(strstr(d, "Account      le"));
    assert_non_null(strstr(d, "the active key is 40 days old, older than account_key_max_age "
                              "(30 days)"));
    assert_non_null(strstr(d, "Roles        web, broken"));
    free(d);
    /* with the default (365 days) it is not */
    fx->cfg.account_key_max_age_days = 0;
    d = resource_view_detail_text(c, rv, 300, NOW);
    assert_null(strstr(d, "Warning"));
    free(d);
}

static void test_a_denied_list_keeps_what_was_read(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    views_switch(c, "roles");
    const struct resource_view *rv = views_current(c)->resource;
    answer(c, expect_read(fx->q, RESOURCE_ROLES), RESOURCE_ROLES, role_keys, role_json, 3);
    key(c, 'r');
    uint64_t id = expect_read(fx->q, RESOURCE_ROLES);
    console_state_apply(c, msg_new_resources_take(id, RESOURCE_ROLES, NULL, 0, false,
                                                  "permission denied on pki-external-ca/role"),
                        NOW);
    struct resource_list *l = resource_view_list(c, rv);
    assert_false(l->listed);
    assert_string_equal(l->error, "permission denied on pki-external-ca/role");
    assert_int_equal(resource_view_shown(c, rv), 3);
    assert_int_equal(l->pending, 0);
}

static void test_providers_read_by_the_dns_view_say_who_fulfils(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    assert_false(c->dns.known);
    views_switch(c, "dns");
    uint64_t id = expect_read(fx->q, RESOURCE_DNS);
    expect_read(fx->q, RESOURCE_ROLES);
    const char *keys_[] = {"rfc2136/new-bind"};
    const char *json[] = {"{\"name\":\"new-bind\",\"type\":\"rfc2136\","
                          "\"identifiers\":[\"*.new.example.net\"],\"ttl\":60}"};
    answer(c, id, RESOURCE_DNS, keys_, json, 1);
    assert_true(c->dns.known);
    const struct dns_provider *p = console_state_vault_fulfils(c, "www.new.example.net", "dns-01");
    assert_non_null(p);
    assert_string_equal(p->name, "new-bind");
    assert_null(console_state_vault_fulfils(c, "www.new.example.net", "http-01"));
    /* deleted there: nobody fulfils it any more */
    key(c, 'r');
    id = expect_read(fx->q, RESOURCE_DNS);
    answer(c, id, RESOURCE_DNS, NULL, NULL, 0);
    assert_null(console_state_vault_fulfils(c, "www.new.example.net", "dns-01"));
}

/* ---- secrets never leave the engine --------------------------------------------------- */

static void test_secret_fields_are_hidden(void **state)
{
    (void)state;
    const char *body = "{\"request_id\":\"x\",\"data\":{\"name\":\"n\",\"private_key\":"
                       "\"-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEE\\n-----END EC PRIVATE "
                       "KEY-----\\n\",\"nested\":{\"tsig_secret\":\"c2VjcmV0\"},"
                       "\"eab_key\":\"\",\"ttl\":60}}";
    char *j = resource_data_json(body, strlen(body));
    assert_non_null(j);
    assert_null(strstr(j, "MHcCAQEE"));
    assert_null(strstr(j, "c2VjcmV0"));
    assert_null(strstr(j, "request_id"));
    assert_non_null(strstr(j, "\"private_key\":\"<69 bytes, hidden>\""));
    assert_non_null(strstr(j, "\"tsig_secret\":\"<8 bytes, hidden>\""));
    assert_non_null(strstr(j, "\"eab_key\":\"\"")); /* nothing to hide */
    assert_non_null(strstr(j, "\"ttl\":60"));
    free(j);
    assert_null(resource_data_json("[1]", 3));
    assert_int_equal(resource_kind_find("accounts"), RESOURCE_ACCOUNTS);
    assert_int_equal(resource_kind_find("orders"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_command_line_switches_completes_and_remembers,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_command_lists_the_known_ones, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_on_enter_every_5_minutes_on_r_and_not_off_screen,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_and_sort_the_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_role_detail_matching_warning_and_providers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_active_orders_of_a_role, setup, teardown),
        cmocka_unit_test_setup_teardown(test_account_key_age_and_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_denied_list_keeps_what_was_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_providers_read_by_the_dns_view_say_who_fulfils, setup,
                                        teardown),
        cmocka_unit_test(test_secret_fields_are_hidden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
