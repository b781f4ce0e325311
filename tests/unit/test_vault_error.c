/* test_vault_error: every error sentence an operator can get from a Vault
 * call says where it happened and what to check, carries Vault's own
 * messages (cleaned of control characters), and never the token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "net/vault_error.h"

#define TOKEN "hvs.CAESIJsecretTOKENvalue0123456789"
#define ADDR "https://vault.example.com:8200"
#define MOUNT "pki-external-ca"

static struct vault_error target(void)
{
    struct vault_error e;
    vault_error_clear(&e);
    vault_error_set_target(&e, ADDR, MOUNT, false);
    return e;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) {
        print_error("expected \"%s\" in \"%s\"\n", needle, hay);
        fail();
    }
}

static void assert_clean(const struct vault_error *e)
{
    const char *s = vault_error_sentence(e);
    assert_true(s[0] != '\0');
    assert_null(strstr(s, TOKEN));
    assert_null(strstr(s, "hvs."));
    for (const char *p = s; *p; p++)
        assert_false((unsigned char)*p < 0x20 || *p == 0x7f);
    assert_true(vault_error_is_set(e));
}

static void http(struct vault_error *e, const char *method, const char *path, long status,
                 const char *body)
{
    vault_error_set_http(e, method, path, status, body, body ? strlen(body) : 0, 0, NULL);
}

static void test_clear_is_no_error(void **state)
{
    (void)state;
    struct vault_error e;
    memset(&e, 0x5a, sizeof e);
    vault_error_clear(&e);
    assert_false(vault_error_is_set(&e));
    assert_string_equal(vault_error_sentence(&e), "");
    assert_false(vault_error_is_retryable(&e));
    assert_false(vault_error_is_permission(&e));
}

static void test_403_names_path_and_capability_from_method(void **state)
{
    (void)state;
    static const struct {
        const char *method, *cap;
    } cases[] = {{"LIST", "allow list"},
                 {"GET", "allow read"},
                 {"POST", "allow create or update"},
                 {"PUT", "allow update"},
                 {"DELETE", "allow delete"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct vault_error e = target();
        http(&e, cases[i].method, "pki-external-ca/lookup/orders", 403,
             "{\"errors\":[\"permission denied\"]}");
        assert_clean(&e);
        assert_contains(e.sentence, "permission denied on pki-external-ca/lookup/orders");
        assert_contains(e.sentence, cases[i].cap);
        assert_contains(e.sentence, "invalid or expired");
        assert_true(vault_error_is_permission(&e));
        assert_false(vault_error_is_retryable(&e));
        assert_int_equal(e.http_status, 403);
        assert_string_equal(e.messages, "permission denied");
        assert_string_equal(e.method, cases[i].method);
    }
}

static void test_403_without_token_says_how_to_give_one(void **state)
{
    (void)state;
    struct vault_error e;
    vault_error_clear(&e);
    vault_error_set_target(&e, ADDR, MOUNT, true);
    http(&e, "GET", "auth/token/lookup-self", 403, "{\"errors\":[\"permission denied\"]}");
    assert_clean(&e);
    assert_contains(e.sentence, "permission denied on auth/token/lookup-self");
    assert_contains(e.sentence, "no token was sent");
    assert_contains(e.sentence, "VAULT_TOKEN");
    assert_contains(e.sentence, "~/.vault-token");
}

static void test_404_points_at_mount(void **state)
{
    (void)state;
    struct vault_error e = target();
    http(&e, "LIST", "pki-external-ca/lookup/orders", 404,
         "{\"errors\":[\"no handler for route \\\"pki-external-ca/lookup/orders\\\"\"]}");
    assert_clean(&e);
    assert_contains(e.sentence, "no such path pki-external-ca/lookup/orders");
    assert_contains(e.sentence, "check --mount (now: pki-external-ca)");
    assert_contains(e.sentence, "no handler for route");
    assert_false(vault_error_is_retryable(&e));
}

static void test_400_repeats_vault_messages_joined(void **state)
{
    (void)state;
    struct vault_error e = target();
    http(&e, "POST", "pki-external-ca/role/web/new-order", 400,
         "{\"errors\":[\"identifiers and csr are mutually exclusive\",\"bad role\"]}");
    assert_clean(&e);
    assert_string_equal(e.messages, "identifiers and csr are mutually exclusive; bad role");
    assert_contains(e.sentence, "Vault refused POST pki-external-ca/role/web/new-order");
    assert_contains(e.sentence, "identifiers and csr are mutually exclusive; bad role");
}

static void test_405_unsupported(void **state)
{
    (void)state;
    struct vault_error e = target();
    http(&e, "LIST", "pki-external-ca/role/web/order/x/status", 405,
         "{\"errors\":[\"unsupported operation\"]}");
    assert_clean(&e);
    assert_contains(e.sentence, "does not support LIST on pki-external-ca/role/web/order/x/status");
    assert_contains(e.sentence, "--mount (now: pki-external-ca)");
}

static void test_429_carries_retry_after(void **state)
{
    (void)state;
    struct vault_error e = target();
    const char *body = "{\"errors\":[\"rate limit quota exceeded\"]}";
    vault_error_set_http(&e, "GET", "pki-external-ca/lookup/order/a", 429, body, strlen(body), 7, NULL);
    assert_clean(&e);
    assert_contains(e.sentence, "rate limiting");
    assert_contains(e.sentence, "retry after 7 s");
    assert_true(e.retry_after_s == 7);
    assert_contains(e.sentence, "(Vault said: rate limit quota exceeded)");
    assert_true(vault_error_is_retryable(&e));

    /* Retry-After only means something on 429/503 */
    body = "{\"errors\":[\"bad\"]}";
    vault_error_set_http(&e, "GET", "x", 400, body, strlen(body), 9, NULL);
    assert_true(e.retry_after_s == 0);
}

static void test_500_and_503(void **state)
{
    (void)state;
    struct vault_error e = target();
    http(&e, "GET", "pki-external-ca/lookup/order/a", 500,
         "{\"errors\":[\"1 error occurred: storage failure\"]}");
    assert_clean(&e);
    assert_contains(e.sentence, "failed internally on GET pki-external-ca/lookup/order/a (500)");
    assert_contains(e.sentence, "storage failure");
    assert_true(vault_error_is_retryable(&e));

    http(&e, "GET", "sys/health", 503, "{\"errors\":[\"Vault is sealed\"]}");
    assert_clean(&e);
    assert_contains(e.sentence, "unavailable (503 on sys/health)");
    assert_contains(e.sentence, "sealed");
    assert_contains(e.sentence, "Vault is sealed");
    assert_true(vault_error_is_retryable(&e));
}

static void test_non_json_error_body_is_excerpted_safely(void **state)
{
    (void)state;
    struct vault_error e = target();
    http(&e, "GET", "sys/health", 502, "<html>\x1b[31mBad\r\nGateway\x07</html>");
    assert_clean(&e);
    assert_contains(e.sentence, "a proxy in front of Vault answered 502");
    assert_null(strstr(e.sentence, "Vault said"));
    assert_contains(e.messages, "answer was not JSON: <html>?[31mBad  Gateway?</html>");
    assert_null(strchr(e.messages, '\x1b'));
}

static void test_server_messages_are_sanitized(void **state)
{
    (void)state;
    struct vault_error e = target();
    /* ESC, CR LF, a C1 CSI (U+009B) and a valid UTF-8 char (é) */
    http(&e, "GET", "x", 400, "{\"errors\":[\"bad\\u001b[2J\\r\\ninput\\u009b1m caf\\u00e9\"]}");
    assert_clean(&e);
    assert_string_equal(e.messages, "bad?[2J  input?1m caf\xc3\xa9"); /* C1: one ? */

    /* a raw 8-bit CSI byte (invalid UTF-8) in a non-JSON body */
    http(&e, "GET", "x", 502, "oops \x9b" "31m red");
    assert_clean(&e);
    assert_null(strchr(e.messages, '\x9b'));
    assert_contains(e.messages, "oops ?31m red");
}

static void test_long_texts_are_cut_on_a_character_boundary(void **state)
{
    (void)state;
    char body[8000];
    size_t o = (size_t)snprintf(body, sizeof body, "{\"errors\":[\"");
    for (int i = 0; i < 2000; i++) {
        memcpy(body + o, "\xc3\xa9", 2); /* é, 2 bytes */
        o += 2;
    }
    snprintf(body + o, sizeof body - o, "\"]}");
    struct vault_error e = target();
    http(&e, "GET", "x", 400, body);
    assert_clean(&e);
    size_t n = strlen(e.messages);
    assert_true(n > 100 && n < sizeof e.messages);
    assert_null(strchr(e.messages, '?')); /* no split character turned into '?' */
    assert_contains(e.sentence, e.messages);

    /* a configuration sentence longer than the buffer */
    char big[4001];
    for (int i = 0; i < 2000; i++)
        memcpy(big + 2 * i, "\xc3\xa9", 2);
    big[4000] = '\0';
    vault_error_set_config(&e, "xy%s", big);
    n = strlen(e.sentence);
    assert_true(n > 1000 && n < sizeof e.sentence);
    assert_null(strchr(e.sentence, '?'));
    assert_int_equal(n % 2, 0); /* "xy" + whole characters only */
    assert_int_equal((unsigned char)e.sentence[n - 1], 0xa9);
}

static void test_other_status(void **state)
{
    (void)state;
    struct vault_error e = target();
    http(&e, "GET", "sys/health", 418, "{\"errors\":[\"teapot\"]}");
    assert_clean(&e);
    assert_contains(e.sentence, "Vault answered 418 to GET sys/health");
    assert_contains(e.sentence, "teapot");
    assert_false(vault_error_is_retryable(&e));
}

static void test_connect_refused(void **state)
{
    (void)state;
    struct vault_error e = target();
    vault_error_set_transport(&e, VT_CONNECT, "GET", "sys/health", "connection refused");
    assert_clean(&e);
    assert_string_equal(e.sentence,
                        "cannot connect to " ADDR ": connection refused; is VAULT_ADDR right and "
                        "Vault running?");
    assert_true(vault_error_is_retryable(&e));
    assert_int_equal(e.http_status, 0);

    vault_error_set_transport(&e, VT_CONNECT, "GET", "sys/health", "network unreachable");
    assert_string_equal(e.sentence,
                        "cannot connect to " ADDR ": network unreachable; is VAULT_ADDR right and "
                        "Vault running?");
}

static void test_timeout_tls_resolve_size_malformed(void **state)
{
    (void)state;
    struct vault_error e = target();

    vault_error_set_transport(&e, VT_TIMEOUT, "LIST", "pki-external-ca/lookup/orders",
                              "Operation timed out after 2001 milliseconds");
    assert_clean(&e);
    assert_contains(e.sentence, "did not answer LIST pki-external-ca/lookup/orders in time");
    assert_contains(e.sentence, "--timeout");
    assert_true(vault_error_is_retryable(&e));

    vault_error_set_transport(&e, VT_TLS, "GET", "sys/health",
                              "SSL certificate problem: unable to get local issuer certificate");
    assert_clean(&e);
    assert_contains(e.sentence, "TLS verification failed for " ADDR);
    assert_contains(e.sentence, "unable to get local issuer certificate");
    assert_contains(e.sentence, "set VAULT_CACERT to the CA that signed Vault's certificate");
    assert_false(vault_error_is_retryable(&e));

    vault_error_set_transport(&e, VT_RESOLVE, "GET", "sys/health",
                              "Could not resolve host: vault.example.com");
    assert_clean(&e);
    assert_contains(e.sentence, "cannot resolve the host name of " ADDR);
    assert_contains(e.sentence, "check VAULT_ADDR");

    vault_error_set_transport(&e, VT_TOO_LARGE, "GET", "pki-external-ca/lookup/order/a",
                              "over the limit of 1024 bytes");
    assert_clean(&e);
    assert_contains(e.sentence, "answer to GET pki-external-ca/lookup/order/a was too large");
    assert_contains(e.sentence, "1024 bytes");
    assert_false(vault_error_is_retryable(&e));

    vault_error_set_transport(&e, VT_MALFORMED, "GET", "pki-external-ca/lookup/order/a",
                              "expected an object at data");
    assert_clean(&e);
    assert_contains(e.sentence, "could not be understood (expected an object at data)");
    assert_false(vault_error_is_retryable(&e));

    vault_error_set_transport(&e, VT_OTHER, "GET", "sys/health", "Empty reply from server");
    assert_clean(&e);
    assert_contains(e.sentence, "GET sys/health to " ADDR " failed: Empty reply from server");
    assert_true(vault_error_is_retryable(&e));
}

static void test_transport_keeps_target_but_forgets_previous_error(void **state)
{
    (void)state;
    struct vault_error e = target();
    const char *body = "{\"errors\":[\"slow down\"]}";
    vault_error_set_http(&e, "GET", "x", 429, body, strlen(body), 3, NULL);
    vault_error_set_transport(&e, VT_CONNECT, "GET", "y", "Connection refused");
    assert_int_equal(e.http_status, 0);
    assert_true(e.retry_after_s == 0);
    assert_string_equal(e.path, "y");
    assert_string_equal(e.addr, ADDR);
    assert_int_equal(e.transport, VT_CONNECT);
}

static void test_config_error(void **state)
{
    (void)state;
    struct vault_error e;
    vault_error_set_config(&e, "%s:%d: unknown key \"%s\"", "/tmp/acmetop/config", 3, "adr");
    assert_clean(&e);
    assert_string_equal(e.sentence, "/tmp/acmetop/config:3: unknown key \"adr\"");
    assert_int_equal(e.transport, VT_CONFIG);
    assert_false(vault_error_is_retryable(&e));
}

static void test_echoed_token_is_redacted(void **state)
{
    (void)state;
    struct vault_error e = target();
    http(&e, "GET", "auth/token/lookup-self", 400,
         "{\"errors\":[\"bad token " TOKEN " (" TOKEN ")\"]}");
    assert_non_null(strstr(e.sentence, TOKEN)); /* what a hostile server could do */
    vault_error_redact(&e, TOKEN);
    assert_clean(&e);
    assert_contains(e.sentence, "bad token [redacted] ([redacted])");
    assert_null(strstr(e.messages, TOKEN));
    /* no secret: nothing changes */
    char before[sizeof e.sentence];
    strcpy(before, e.sentence);
    vault_error_redact(&e, "");
    vault_error_redact(&e, NULL);
    assert_string_equal(before, e.sentence);
}

/* ---- diagnostics at the edges (issue 10, item 4) ---- */

static void test_token_refused_names_where_the_token_comes_from(void **state)
{
    (void)state;
    struct vault_error e = target();
    http(&e, "LIST", MOUNT "/lookup/orders/recent", 403, "{\"errors\":[\"permission denied\"]}");
    vault_error_set_token_refused(&e);
    assert_clean(&e);
    const char *s = vault_error_sentence(&e);
    assert_contains(s, MOUNT "/lookup/orders/recent");
    assert_contains(s, "expired, revoked or mistyped");
    assert_contains(s, "VAULT_TOKEN");
    assert_contains(s, "~/.vault-token");
    assert_null(strstr(s, "policy"));
    assert_null(strstr(s, "--role"));
    assert_true(vault_error_is_permission(&e));
}

static void test_no_mount_names_mount_namespace_and_address(void **state)
{
    (void)state;
    struct vault_error e;
    vault_error_clear(&e);
    vault_error_set_target(&e, ADDR, "nope", false);
    http(&e, "LIST", "nope/lookup/orders/recent", 404,
         "{\"errors\":[\"no handler for route \\\"nope/lookup/orders/recent\\\". route entry not "
         "found.\"]}");
    vault_error_set_no_mount(&e, "team", NULL);
    assert_clean(&e);
    assert_string_equal(vault_error_sentence(&e),
                        "no mount \"nope\" in namespace \"team\" at " ADDR
                        ": check --mount / ACMETOP_MOUNT (and VAULT_NAMESPACE)");
    vault_error_set_no_mount(&e, NULL, NULL);
    assert_contains(vault_error_sentence(&e), "no mount \"nope\" in the root namespace at " ADDR);
}

static void test_mount_of_another_type_says_which(void **state)
{
    (void)state;
    struct vault_error e;
    vault_error_clear(&e);
    vault_error_set_target(&e, ADDR, "secret", false);
    http(&e, "LIST", "secret/lookup/orders/recent", 404, NULL);
    vault_error_set_no_mount(&e, NULL, "kv");
    assert_clean(&e);
    assert_contains(vault_error_sentence(&e), "\"secret\" is a kv mount, not pki-external-ca");
    assert_contains(vault_error_sentence(&e), "--mount / ACMETOP_MOUNT");
}

static void test_tls_to_plain_http_says_use_http(void **state)
{
    (void)state;
    struct vault_error e;
    vault_error_clear(&e);
    vault_error_set_target(&e, "https://127.0.0.1:8300", MOUNT, false);
    vault_error_set_transport(&e, VT_TLS, "LIST", MOUNT "/lookup/orders/recent",
                              "OpenSSL/3.0.13: error:0A00010B:SSL routines::wrong version number");
    assert_clean(&e);
    assert_contains(vault_error_sentence(&e), "answered plain HTTP");
    assert_contains(vault_error_sentence(&e), "use http:// in VAULT_ADDR (http://127.0.0.1:8300)");
    assert_null(strstr(vault_error_sentence(&e), "VAULT_CACERT"));
    /* a certificate problem still points at the CA */
    vault_error_set_transport(&e, VT_TLS, "LIST", MOUNT "/lookup/orders/recent",
                              "SSL certificate problem: self-signed certificate");
    assert_contains(vault_error_sentence(&e), "VAULT_CACERT");
}

static void test_defaulted_addr_says_the_default_was_tried(void **state)
{
    (void)state;
    struct vault_error e;
    vault_error_clear(&e);
    vault_error_set_target(&e, "https://127.0.0.1:8200", MOUNT, false);
    e.addr_defaulted = true;
    vault_error_set_transport(&e, VT_CONNECT, "LIST", MOUNT "/lookup/orders/recent",
                              "connection refused");
    assert_clean(&e);
    assert_contains(vault_error_sentence(&e),
                    "VAULT_ADDR is not set; tried the default https://127.0.0.1:8200: connection "
                    "refused");
}

static void test_redirect_names_location_and_active_node(void **state)
{
    (void)state;
    struct vault_error e = target();
    vault_error_set_redirect(&e, "LIST", MOUNT "/lookup/orders/recent", 307,
                             "https://vault-active.example.com:8200/v1/" MOUNT
                             "/lookup/orders/recent?list=true");
    assert_clean(&e);
    const char *s = vault_error_sentence(&e);
    assert_contains(s, "to https://vault-active.example.com:8200/v1/" MOUNT);
    assert_contains(s, "(307)");
    assert_contains(s, "point VAULT_ADDR at the active node (https://vault-active.example.com:8200)");
    assert_false(vault_error_is_retryable(&e));
    vault_error_set_redirect(&e, "GET", "sys/health", 307, NULL);
    assert_contains(vault_error_sentence(&e), "without saying where");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clear_is_no_error),
        cmocka_unit_test(test_403_names_path_and_capability_from_method),
        cmocka_unit_test(test_403_without_token_says_how_to_give_one),
        cmocka_unit_test(test_404_points_at_mount),
        cmocka_unit_test(test_400_repeats_vault_messages_joined),
        cmocka_unit_test(test_405_unsupported),
        cmocka_unit_test(test_429_carries_retry_after),
        cmocka_unit_test(test_500_and_503),
        cmocka_unit_test(test_non_json_error_body_is_excerpted_safely),
        cmocka_unit_test(test_server_messages_are_sanitized),
        cmocka_unit_test(test_long_texts_are_cut_on_a_character_boundary),
        cmocka_unit_test(test_other_status),
        cmocka_unit_test(test_connect_refused),
        cmocka_unit_test(test_timeout_tls_resolve_size_malformed),
        cmocka_unit_test(test_transport_keeps_target_but_forgets_previous_error),
        cmocka_unit_test(test_config_error),
        cmocka_unit_test(test_echoed_token_is_redacted),
        cmocka_unit_test(test_token_refused_names_where_the_token_comes_from),
        cmocka_unit_test(test_no_mount_names_mount_namespace_and_address),
        cmocka_unit_test(test_mount_of_another_type_says_which),
        cmocka_unit_test(test_tls_to_plain_http_says_use_http),
        cmocka_unit_test(test_defaulted_addr_says_the_default_was_tried),
        cmocka_unit_test(test_redirect_names_location_and_active_node),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
