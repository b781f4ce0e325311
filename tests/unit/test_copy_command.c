/* test_copy_command: the commands `Y` copies (model/copy_command.h): the
 * read lines (vault CLI and curl, with $VAULT_TOKEN and the namespace
 * header), the `vault write` that recreates a role, account or provider
 * without any secret value, the Terraform block of the Vault provider with
 * HCL escaping, the terraform import IDs in the provider's formats; shell
 * quoting; and the pretty-printed raw answer (secrets hidden once, control
 * characters gone). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/copy_command.h"
#include "model/resource.h"

static const struct copy_place here = {"https://vault.example:8200", NULL, "pki-external-ca"};

static void has(const char *text, const char *want)
{
    if (!strstr(text, want))
        fail_msg("missing:\n%s\nin:\n%s", want, text);
}

static void test_shell_quote(void **state)
{
    (void)state;
    const char *cases[][2] = {{"pki-external-ca/role/web", "pki-external-ca/role/web"},
                              {"a b", "'a b'"},
                              {"it's", "'it'\\''s'"},
                              {"*.example.com", "'*.example.com'"},
                              {"$(rm -rf /)", "'$(rm -rf /)'"},
                              {"", "''"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *q = copy_command_shell_quote(cases[i][0]);
        assert_string_equal(q, cases[i][1]);
        free(q);
    }
}

static void test_role_commands(void **state)
{
    (void)state;
    const char *json = "{\"name\":\"web\",\"acme_account_name\":\"le\","
                       "\"allowed_domains\":[\"example.com\",\"*.example.com\"],"
                       "\"allowed_domain_options\":[\"bare_domains\",\"wildcards\"],"
                       "\"allowed_challenge_types\":[\"http-01\"],"
                       "\"csr_generate_key_type\":\"ec-256\",\"creation_date\":\"2026-01-01T00:00:00Z\"}";
    char *t = copy_command_resource(&here, RESOURCE_ROLES, "web", json);
    has(t, "vault read -address=https://vault.example:8200 -format=json pki-external-ca/role/web\n");
    has(t, "curl -sS --header \"X-Vault-Token: $VAULT_TOKEN\" "
           "https://vault.example:8200/v1/pki-external-ca/role/web\n");
    has(t, "vault write -address=https://vault.example:8200 pki-external-ca/role/web "
           "acme_account_name=le 'allowed_domains=example.com,*.example.com' "
           "allowed_domain_options=bare_domains,wildcards allowed_challenge_types=http-01 "
           "csr_generate_key_type=ec-256\n");
    assert_null(strstr(t, "creation_date"));
    has(t, "resource \"vault_pki_external_ca_secret_backend_role\" \"web\" {\n"
           "  mount = \"pki-external-ca\"\n  name  = \"web\"\n");
    has(t, "  allowed_domains = [\"example.com\", \"*.example.com\"]\n");
    has(t, "terraform import vault_pki_external_ca_secret_backend_role.web "
           "pki-external-ca/role/web\n");
    free(t);
}

static void test_account_commands_in_a_namespace(void **state)
{
    (void)state;
    struct copy_place ns = {"http://127.0.0.1:8200", "team-a", "pki"};
    const char *json = "{\"name\":\"le prod\",\"directory_url\":\"https://acme.test/dir\","
                       "\"email_contacts\":[\"ops@example.com\"],\"active_key_version\":2,"
                       "\"account_keys\":{\"1\":{\"key_type\":\"ec-256\",\"key_version\":1},"
                       "\"2\":{\"key_type\":\"rsa-4096\",\"key_version\":2}},"
                       "\"trusted_ca\":\"-----BEGIN CERTIFICATE-----\\nMII\\n\","
                       "\"eab_key\":\"c2VjcmV0\"}";
    char *t = copy_command_resource(&ns, RESOURCE_ACCOUNTS, "le prod", json);
    has(t, "vault read -address=http://127.0.0.1:8200 -namespace=team-a -format=json "
           "'pki/config/acme-account/le prod'\n");
    has(t, "--header 'X-Vault-Namespace: team-a' "
           "'http://127.0.0.1:8200/v1/pki/config/acme-account/le prod'\n");
    has(t, "directory_url=https://acme.test/dir email_contacts=ops@example.com key_type=rsa-4096 "
           "trusted_ca=@trusted-ca.pem\n");
    assert_null(strstr(t, "c2VjcmV0"));  /* the EAB key is a secret */
    assert_null(strstr(t, "BEGIN CERTIFICATE")); /* a file, not pasted in */
    assert_null(strstr(t, "account_keys"));
    has(t, "resource \"vault_pki_external_ca_secret_backend_acme_account\" \"le_prod\" {\n");
    has(t, "  key_type = \"rsa-4096\"\n  trusted_ca = file(\"trusted-ca.pem\")\n}\n");
    has(t, "terraform import vault_pki_external_ca_secret_backend_acme_account.le_prod "
           "'pki/config/acme-account/le prod'\n");
    free(t);
}

static void test_dns_provider_commands_leave_the_secret_out(void **state)
{
    (void)state;
    const char *json = "{\"name\":\"internal\",\"type\":\"rfc2136\","
                       "\"identifiers\":[\"*.auto.example.net\"],\"ttl\":60,"
                       "\"nameserver\":\"127.0.0.1:53\",\"tsig_key_name\":\"k.\","
                       "\"tsig_algorithm\":\"hmac-sha256\",\"tsig_secret\":\"c2VjcmV0\"}";
    char *t = copy_command_resource(&here, RESOURCE_DNS, "rfc2136/internal", json);
    assert_null(strstr(t, "c2VjcmV0"));
    has(t, "pki-external-ca/config/dns/rfc2136/internal 'identifiers=*.auto.example.net' ttl=60 "
           "nameserver=127.0.0.1:53 tsig_key_name=k. tsig_algorithm=hmac-sha256 "
           "tsig_secret=\"$TSIG_SECRET\"\n");
    has(t, "resource \"vault_pki_external_ca_secret_backend_dns_provider_rfc2136\" \"internal\"");
    has(t, "  ttl = \"60s\"\n");
    has(t, "  # tsig_secret = var.tsig_secret (write-only: never returned by Vault)\n");
    has(t, "terraform import vault_pki_external_ca_secret_backend_dns_provider_rfc2136.internal "
           "pki-external-ca/config/dns/rfc2136/internal\n");
    free(t);
    /* without the object: the read lines only */
    t = copy_command_resource(&here, RESOURCE_DNS, "aws-route53/prod", NULL);
    has(t, "/v1/pki-external-ca/config/dns/aws-route53/prod\n");
    assert_null(strstr(t, "resource "));
    free(t);
}

static void test_order_commands(void **state)
{
    (void)state;
    const char *ids[] = {"a.example.com", "b.example.com"};
    char *t = copy_command_order(&here, "web", "1a2b3c4d-0000-4000-8000-000000000000", ids, 2,
                                 false);
    has(t, "https://vault.example:8200/v1/pki-external-ca/role/web/order/"
           "1a2b3c4d-0000-4000-8000-000000000000/status\n");
    has(t, "pki-external-ca/role/web/new-order identifiers=a.example.com,b.example.com\n");
    has(t, "resource \"vault_pki_external_ca_secret_backend_order\" \"order_1a2b3c4d\" {\n");
    has(t, "  identifiers = [\"a.example.com\", \"b.example.com\"]\n");
    has(t, "terraform import vault_pki_external_ca_secret_backend_order.order_1a2b3c4d "
           "pki-external-ca/role/web/order/1a2b3c4d-0000-4000-8000-000000000000\n");
    free(t);
    t = copy_command_order(&here, "web", "ffff", NULL, 0, true);
    has(t, "new-order csr=@request.csr\n");
    has(t, "  csr       = file(\"request.csr\")\n");
    free(t);
}

static void test_hcl_escapes(void **state)
{
    (void)state;
    const char *json = "{\"acme_account_name\":\"a\\\"b${x}\"}";
    char *t = copy_command_resource(&here, RESOURCE_ROLES, "r", json);
    has(t, "  acme_account_name = \"a\\\"b$${x}\"\n");
    free(t);
}

static void test_pretty_raw_answer(void **state)
{
    (void)state;
    const char *answer = "{\"data\":{\"private_key\":\"<1679 bytes, hidden>\","
                         "\"eab_key\":\"abc\",\"last_error\":\"x\\u001b[31my\",\"n\":[1,2]}}";
    char *p = resource_pretty_json(answer);
    assert_non_null(p);
    has(p, "{\n  \"data\": {\n    \"private_key\": \"<1679 bytes, hidden>\",\n");
    has(p, "    \"eab_key\": \"<3 bytes, hidden>\",\n");
    assert_null(strchr(p, '\033'));
    assert_null(strchr(p, '\t'));
    free(p);
    assert_null(resource_pretty_json("not json"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shell_quote),
        cmocka_unit_test(test_role_commands),
        cmocka_unit_test(test_account_commands_in_a_namespace),
        cmocka_unit_test(test_dns_provider_commands_leave_the_secret_out),
        cmocka_unit_test(test_order_commands),
        cmocka_unit_test(test_hcl_escapes),
        cmocka_unit_test(test_pretty_raw_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
