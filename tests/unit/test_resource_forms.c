/* test_resource_forms: the create and edit forms of the resource views
 * without a terminal: every field is checked on Enter and bad input gets a
 * sentence naming the field with nothing sent; choices come from lists; a
 * secret is never in what the form shows (only its length) but is in the
 * one CMD_WRITE; the whole request is shown before y sends it; Vault's
 * refusal keeps every field; an edit fixes what the API cannot change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curses.h>

#include "console_driver.h"

#include "ui/form_flow.h"
#include "ui/keys.h"
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

static void drain(struct queue *q)
{
    struct msg *m;
    while ((m = next_command(q)) != NULL)
        msg_free(m);
}

/* Type s into the field asked and press Enter (after clearing it). */
static void field(struct console_state *c, const char *s)
{
    key(c, ACTION_KEY_CTRL('u'));
    keys(c, s);
    key(c, '\n');
}

static void note_is(struct dialog *d, const char *want)
{
    if (!d->note || !strstr(d->note, want))
        fail_msg("note \"%s\" lacks \"%s\"", d->note ? d->note : "(none)", want);
}

static void test_new_role_checks_every_field(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    views_switch(c, "roles");
    drain(fx->q);
    key(c, 'a');
    struct dialog *d = console_state_dialog_of(c, &form_flow_ops);
    assert_non_null(d);
    assert_string_equal(d->prompt, "Name: ");
    field(c, "");
    note_is(d, "Name: it is required; nothing sent");
    field(c, "we/b");
    note_is(d, "Name: \"we/b\" holds a '/'");
    field(c, "web2");
    assert_string_equal(d->prompt, "ACME account: ");
    field(c, "");
    note_is(d, "ACME account: it is required");
    field(c, "le");
    field(c, "example.com, *.apps.example.com");
    assert_string_equal(d->prompt, "Domain options: ");
    field(c, "subdomains,foo");
    note_is(d, "Domain options: \"foo\" is not one of bare_domains, subdomains, wildcards, globs");
    field(c, "subdomains, globs");
    field(c, "dns-01");
    /* the key type: a list, ec-256 first */
    assert_true(d->picker_on);
    assert_string_equal(picker_current(&d->picker)->label, "ec-256");
    key(c, 'j');
    key(c, '\n');
    key(c, '\n'); /* cn_first */
    assert_null(next_command(fx->q));
    /* the summary: the whole request */
    const char *want = "POST pki-external-ca/role/web2 {\"acme_account_name\":\"le\","
                       "\"allowed_domains\":[\"example.com\",\"*.apps.example.com\"],"
                       "\"allowed_domain_options\":[\"subdomains\",\"globs\"],"
                       "\"allowed_challenge_types\":[\"dns-01\"],"
                       "\"csr_generate_key_type\":\"ec-384\","
                       "\"csr_identifier_population\":\"cn_first\"}";
    assert_non_null(strstr(d->body, want));
    key(c, 'y');
    struct msg *m = next_command(fx->q);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_WRITE);
    assert_string_equal(m->u.write.method, "POST");
    assert_string_equal(m->u.write.path, "role/web2");
    assert_string_equal(m->u.write.body, strchr(want, '{'));
    uint64_t id = m->request_id;
    msg_free(m);
    /* refused: said, every field kept, nothing sent again */
    console_state_apply(c, msg_new_written(id, false, 400, NULL,
                                           "Vault said: ACME account \"le\" does not exist"),
                        NOW);
    assert_ptr_equal(c->dialog, d);
    note_is(d, "ACME account \"le\" does not exist");
    assert_non_null(strstr(d->body, want));
    assert_null(next_command(fx->q));
    /* Esc walks back, values kept */
    key(c, ACTION_KEY_ESC);
    assert_true(d->picker_on); /* CN population */
    key(c, ACTION_KEY_ESC);
    key(c, ACTION_KEY_ESC);
    assert_string_equal(d->prompt, "Challenge types: ");
    assert_string_equal(d->input.text, "dns-01");
    /* fixed and sent again: one more write */
    key(c, '\n');
    key(c, '\n');
    key(c, '\n');
    key(c, '\n');
    m = next_command(fx->q);
    assert_non_null(m);
    id = m->request_id;
    msg_free(m);
    console_state_apply(c, msg_new_written(id, true, 200, "{}", NULL), NOW);
    assert_null(c->dialog);
    assert_non_null(strstr(c->message, "role web2 created"));
    m = next_command(fx->q);
    assert_int_equal(m->type, CMD_READ_RESOURCES);
    msg_free(m);
}

static void test_edit_a_role_fixes_name_and_account(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    views_switch(c, "roles");
    struct msg *m;
    uint64_t id = 0;
    while ((m = next_command(fx->q)) != NULL) {
        id = m->request_id;
        msg_free(m);
    }
    struct resource_item *items = xcalloc(1, sizeof(*items));
    items[0].key = xstrdup("web");
    items[0].json = xstrdup("{\"name\":\"web\",\"acme_account_name\":\"le\","
                            "\"allowed_domains\":[\"example.com\"],"
                            "\"allowed_domain_options\":[\"bare_domains\"],"
                            "\"csr_generate_key_type\":\"rsa-2048\"}");
    console_state_apply(c, msg_new_resources_take(id, RESOURCE_ROLES, items, 1, true, NULL), NOW);
    key(c, 'e');
    struct dialog *d = console_state_dialog_of(c, &form_flow_ops);
    assert_non_null(d);
    assert_non_null(strstr(d->body, "Name               web  (fixed)"));
    assert_non_null(strstr(d->body, "ACME account       le  (fixed)"));
    assert_string_equal(d->prompt, "Allowed domains: "); /* the first field asked */
    assert_string_equal(d->input.text, "example.com");
    field(c, "example.com, example.org");
    key(c, '\n');
    key(c, '\n');
    assert_string_equal(picker_current(&d->picker)->label, "rsa-2048"); /* kept */
    key(c, '\n');
    key(c, '\n');
    assert_non_null(strstr(d->body, "POST pki-external-ca/role/web {\"acme_account_name\":\"le\","
                                    "\"allowed_domains\":[\"example.com\",\"example.org\"]"));
    key(c, ACTION_KEY_ESC); /* back through the fields to the first, then out */
    for (int i = 0; i < 5; i++)
        key(c, ACTION_KEY_ESC);
    assert_null(c->dialog);
    assert_null(next_command(fx->q));
    assert_non_null(strstr(c->message, "cancelled: nothing was sent"));
}

static void test_new_rfc2136_provider_keeps_its_secret_out_of_sight(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    views_switch(c, "dns");
    drain(fx->q);
    key(c, 'a');
    struct dialog *d = console_state_dialog_of(c, &form_flow_ops);
    assert_string_equal(picker_current(&d->picker)->label, "rfc2136");
    key(c, '\n');
    field(c, "demo-bind");
    field(c, "*.x.example.net, a*.example.net");
    note_is(d, "Identifiers: \"a*.example.net\": a '*' may only be the leftmost label");
    field(c, "*.x.example.net");
    field(c, "soon");
    note_is(d, "TTL: \"soon\" is not a duration");
    field(c, "60s");
    field(c, "ns.example.net");
    note_is(d, "Nameserver: \"ns.example.net\" is not IP:port");
    field(c, "127.0.0.1:5353");
    field(c, "vault-acme.");
    key(c, 'j');
    key(c, 'j');
    key(c, '\n'); /* hmac-sha256 */
    assert_true(d->input_masked);
    field(c, "not base64!");
    note_is(d, "TSIG secret: it is not base64");
    field(c, "c2VjcmV0LXRzaWc=");
    assert_null(strstr(d->body, "c2VjcmV0LXRzaWc="));
    assert_non_null(strstr(d->body, "TSIG secret        (16 characters, not shown)"));
    assert_non_null(strstr(d->body, "POST pki-external-ca/config/dns/rfc2136/demo-bind "
                                    "{\"identifiers\":[\"*.x.example.net\"],\"ttl\":\"60s\","
                                    "\"nameserver\":\"127.0.0.1:5353\","
                                    "\"tsig_key_name\":\"vault-acme.\","
                                    "\"tsig_algorithm\":\"hmac-sha256\","
                                    "\"tsig_secret\":\"<16 characters, typed>\"}"));
    assert_null(strstr(d->input.text, "c2Vj"));
    key(c, '\n');
    struct msg *m = next_command(fx->q);
    assert_non_null(m);
    assert_string_equal(m->u.write.path, "config/dns/rfc2136/demo-bind");
    assert_non_null(strstr(m->u.write.body, "\"tsig_secret\":\"c2VjcmV0LXRzaWc=\""));
    msg_free(m);
}

static void test_provider_type_decides_its_fields(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    views_switch(c, "dns");
    drain(fx->q);
    key(c, 'a');
    struct dialog *d = c->dialog;
    key(c, 'g'); /* first: aws-route53 */
    key(c, 'k');
    key(c, 'k');
    key(c, 'k');
    assert_string_equal(picker_current(&d->picker)->label, "aws-route53");
    key(c, '\n');
    field(c, "prod");
    field(c, "*.prod.example.com");
    field(c, "");
    assert_string_equal(d->prompt, "Region: ");
    field(c, "eu-west-1");
    field(c, "Z0123");
    assert_string_equal(d->prompt, "Secret access key: ");
    assert_true(d->input_masked);
}

static void test_new_account_reads_its_ca_file(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    views_switch(c, "accounts");
    drain(fx->q);
    key(c, 'a');
    struct dialog *d = console_state_dialog_of(c, &form_flow_ops);
    field(c, "demo");
    field(c, "ftp://ca.example/dir");
    note_is(d, "Directory URL: \"ftp://ca.example/dir\" is not an http:// or https:// URL");
    field(c, "https://127.0.0.1:14000/dir");
    field(c, "");
    note_is(d, "Contacts: it is required");
    field(c, "ops@example.com, nope");
    note_is(d, "Contacts: \"nope\" is not an e-mail address");
    field(c, "ops@example.com");
    key(c, '\n'); /* ec-256 */
    field(c, "");  /* no EAB */
    field(c, "");
    field(c, "/nonexistent/ca.pem");
    note_is(d, "Trusted CA file: /nonexistent/ca.pem cannot be read");
    char path[] = "/tmp/acmetop-test-ca-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *pem = "-----BEGIN CERTIFICATE-----\nMIIBdemo\n-----END CERTIFICATE-----\n";
    assert_int_equal(write(fd, pem, strlen(pem)), (ssize_t)strlen(pem));
    close(fd);
    field(c, path);
    char shown[200];
    snprintf(shown, sizeof shown, "\"trusted_ca\":\"<the content of %s>\"", path);
    assert_non_null(strstr(d->body, shown));
    key(c, 'y');
    struct msg *m = next_command(fx->q);
    unlink(path);
    assert_non_null(m);
    assert_string_equal(m->u.write.path, "config/acme-account/demo");
    assert_non_null(strstr(m->u.write.body, "\"email_contacts\":[\"ops@example.com\"]"));
    assert_non_null(strstr(m->u.write.body,
                           "\"trusted_ca\":\"-----BEGIN CERTIFICATE-----\\nMIIBdemo\\n"));
    assert_null(strstr(m->u.write.body, "eab_key"));
    msg_free(m);
}

static char *temp_pem(const char *pem)
{
    char *path = xstrdup("/tmp/acmetop-test-pem-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pem, strlen(pem)), (ssize_t)strlen(pem));
    close(fd);
    return path;
}

static void test_import_and_trusted_ca(void **state)
{
    struct fx *fx = *state;
    struct console_state *c = &fx->c;
    views_switch(c, "accounts");
    struct msg *m;
    uint64_t id = 0;
    while ((m = next_command(fx->q)) != NULL) {
        if (m->type == CMD_READ_RESOURCES && m->u.read.kind == RESOURCE_ACCOUNTS)
            id = m->request_id;
        msg_free(m);
    }
    const char *key_pem = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIKEYBYTES\n"
                          "-----END EC PRIVATE KEY-----\n";
    char *key_path = temp_pem(key_pem);
    key(c, 'i');
    struct dialog *d = console_state_dialog_of(c, &form_flow_ops);
    field(c, "old");
    field(c, "/nonexistent.pem");
    note_is(d, "Account key file: /nonexistent.pem cannot be read");
    field(c, key_path);
    field(c, "https://acme.test/dir");
    field(c, "");
    assert_null(strstr(d->body, "KEYBYTES"));
    char shown[200];
    snprintf(shown, sizeof shown, "POST pki-external-ca/config/acme-account/old/import "
                                  "{\"account_key\":\"<the content of %s>\"", key_path);
    assert_non_null(strstr(d->body, shown));
    key(c, 'y');
    m = next_command(fx->q);
    assert_non_null(m);
    assert_string_equal(m->u.write.path, "config/acme-account/old/import");
    assert_non_null(strstr(m->u.write.body, "MHcCAQEEIKEYBYTES"));
    msg_free(m);
    console_state_dialog_close(c);
    unlink(key_path);
    free(key_path);
    /* u: the trusted CA of the selected account, PUT */
    struct resource_item *items = xcalloc(1, sizeof(*items));
    items[0].key = xstrdup("le");
    items[0].json = xstrdup("{\"name\":\"le\",\"directory_url\":\"https://acme.test/dir\"}");
    console_state_apply(c, msg_new_resources_take(id, RESOURCE_ACCOUNTS, items, 1, true, NULL),
                        NOW);
    char *ca_path = temp_pem("-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n");
    key(c, 'u');
    d = console_state_dialog_of(c, &form_flow_ops);
    assert_non_null(strstr(d->body, "Name               le  (fixed)"));
    field(c, "");
    note_is(d, "Trusted CA file: it is required");
    field(c, ca_path);
    key(c, '\n');
    m = next_command(fx->q);
    assert_non_null(m);
    assert_string_equal(m->u.write.method, "PUT");
    assert_string_equal(m->u.write.path, "config/acme-account/le");
    assert_string_equal(m->u.write.body,
                        "{\"trusted_ca\":\"-----BEGIN CERTIFICATE-----\\nMIIBca\\n"
                        "-----END CERTIFICATE-----\\n\"}");
    msg_free(m);
    unlink(ca_path);
    free(ca_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_role_checks_every_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edit_a_role_fixes_name_and_account, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_new_rfc2136_provider_keeps_its_secret_out_of_sight,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_provider_type_decides_its_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_account_reads_its_ca_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_and_trusted_ca, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
