/* test_vault_parse: the other answers of API.md - LIST keys, challenge
 * detail, fetch-cert, role, ACME account, lookup-self, sys/health and error
 * bodies - from fixtures and malformed variants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "model/acme_account.h"
#include "model/cert_bundle.h"
#include "model/challenge_detail.h"
#include "model/error_body.h"
#include "model/json_field.h"
#include "model/key_list.h"
#include "model/role_info.h"
#include "model/strv.h"
#include "model/token_info.h"
#include "model/vault_health.h"

#define S(x) (x), strlen(x)

static void test_key_lists(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        size_t count;
        const char *first;
    } cases[] = {
        {"orders_list.json", 3, "3e8f1a2b-4c5d-6e7f-8091-a2b3c4d5e6f7"},
        {"active_orders.json", 1, "7d0a2c4e-9b1f-4e6a-8c3d-2f5e7a9b1c0d"},
        {"role_list.json", 2, "csr-role"},
        {"orders_recent.json", 4, "7d0a2c4e-9b1f-4e6a-8c3d-2f5e7a9b1c0d"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len, n;
        char *body = fixture_load(cases[i].file, &len);
        char **keys;
        struct parse_error err = {.message = ""};
        assert_int_equal(key_list_parse_response(body, len, &keys, &n, &err), 0);
        assert_int_equal(n, cases[i].count);
        assert_string_equal(keys[0], cases[i].first);
        strv_free(keys, n);
        free(body);
    }
}

static void test_key_list_malformed(void **state)
{
    (void)state;
    char **keys;
    size_t n;
    struct parse_error err = {.message = ""};
    assert_int_equal(key_list_parse_response(S("{\"data\":{}}"), &keys, &n, &err), -1);
    assert_string_equal(err.message, "list: field 'keys' is missing");
    assert_int_equal(key_list_parse_response(S("{\"data\":{\"keys\":null}}"), &keys, &n, &err), -1);
    assert_int_equal(key_list_parse_response(S("{\"data\":{\"keys\":\"a\"}}"), &keys, &n, &err), -1);
    assert_string_equal(err.message, "list: field 'keys' is not a list");
    assert_int_equal(key_list_parse_response(S("{\"data\":[]}"), &keys, &n, &err), -1);
    assert_int_equal(key_list_parse_response(S("{\"errors\":[]}"), &keys, &n, &err), -1);
    assert_string_equal(err.message, "answer has no 'data' object");
    assert_int_equal(key_list_parse_response(S("{\"data\":{\"keys\":[1,true,\"ok\",{},\"a\\u0007\"]}}"),
                                             &keys, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(keys[0], "ok");
    assert_int_equal(err.refused, 1); /* the string with a control character */
    strv_free(keys, n);
    /* invisible characters: a right-to-left override, a zero-width space */
    assert_int_equal(key_list_parse_response(S("{\"data\":{\"keys\":[\"web\u202eservers\","
                                               "\"ok\",\"a\u200bb\"]}}"),
                                             &keys, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(keys[0], "ok");
    assert_int_equal(err.refused, 2);
    strv_free(keys, n);
    assert_int_equal(key_list_parse_response(S("{\"data\":{\"keys\":[]}}"), &keys, &n, &err), 0);
    assert_int_equal(err.refused, 0);
    assert_int_equal(n, 0);
    assert_null(keys);
}

/* {"data":{"keys":["k0",...]<extra>}} with total keys, each key made by fmt. */
static char *key_list_body(size_t total, const char *fmt, const char *extra, size_t *len)
{
    size_t cap = total * 40 + strlen(extra) + 64;
    char *body = malloc(cap), *p = body;
    p += sprintf(p, "{\"request_id\":\"r\",\"warnings\":[\"a\",\"b\"],\"data\":{\"keys\":[");
    for (size_t i = 0; i < total; i++) {
        p += sprintf(p, "%s", i ? ", " : "");
        p += sprintf(p, fmt, i);
    }
    p += sprintf(p, "]%s}}", extra);
    *len = (size_t)(p - body);
    return body;
}

static void test_key_list_capped(void **state)
{
    (void)state;
    char **keys;
    size_t n, len;
    struct parse_error err = {.message = ""};
    /* 120,000 keys: refused, not cut (the orders past the cap would look
       vanished), with a sentence that states the cap */
    char *body = key_list_body(120000, "\"k%zu\"", "", &len);
    assert_int_equal(key_list_parse_response(body, len, &keys, &n, &err), KEY_LIST_OVER_CAP);
    assert_string_equal(err.message,
                        "the list holds 120000 keys; acmetop reads at most 100000 from one list");
    assert_int_equal(n, 0);
    assert_null(keys);
    free(body);

    /* the cap itself is fine; commas and brackets inside keys, the warnings
       and a key_info beside the keys do not count */
    body = key_list_body(JSON_KEYS_MAX, "\"k%zu,[\\\",]\"",
                         ",\"key_info\":{\"a\":{\"x\":1,\"y\":[1,2]},\"b\":{\"x\":2,\"y\":3}}", &len);
    assert_int_equal(key_list_parse_response(body, len, &keys, &n, &err), 0);
    assert_int_equal(n, JSON_KEYS_MAX);
    assert_string_equal(keys[n - 1], "k99999,[\",]");
    strv_free(keys, n);
    free(body);

    /* one more is over; the tree-level parser says so too */
    body = key_list_body(JSON_KEYS_MAX + 1, "\"k%zu\"", "", &len);
    assert_int_equal(key_list_parse_response(body, len, &keys, &n, &err), KEY_LIST_OVER_CAP);
    cJSON *root = cJSON_ParseWithLength(body, len);
    assert_int_equal(key_list_parse(cJSON_GetObjectItemCaseSensitive(root, "data"), &keys, &n, &err),
                     KEY_LIST_OVER_CAP);
    assert_string_equal(err.message,
                        "the list holds 100001 keys; acmetop reads at most 100000 from one list");
    cJSON_Delete(root);
    free(body);
}

static void test_challenge_detail(void **state)
{
    (void)state;
    size_t len;
    char *body = fixture_load("challenge.json", &len);
    struct challenge_detail c;
    struct parse_error err = {.message = ""};
    assert_int_equal(challenge_detail_parse_response(body, len, &c, &err), 0);
    free(body);
    assert_string_equal(c.token, "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA");
    assert_string_equal(c.key_authorization,
                        "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA."
                        "9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI");
    assert_string_equal(c.status, "pending");
    assert_int_equal(c.expires, 1783341922);
    struct challenge_detail d;
    challenge_detail_copy(&d, &c);
    challenge_detail_free(&c);
    assert_string_equal(d.token, "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA");
    challenge_detail_free(&d);

    assert_int_equal(challenge_detail_parse_response(S("{\"data\":{\"challenge_token\":\"t\"}}"),
                                                     &c, &err), -1);
    assert_string_equal(err.message, "field 'challenge_auth' is missing");
    assert_null(c.token); /* nothing left behind */
    assert_int_equal(challenge_detail_parse_response(
                         S("{\"data\":{\"challenge_token\":\"\",\"challenge_auth\":\"a\"}}"), &c, &err),
                     -1);
    assert_string_equal(err.message, "field 'challenge_token' is empty");
    assert_int_equal(challenge_detail_parse_response(
                         S("{\"data\":{\"challenge_token\":[],\"challenge_auth\":\"a\"}}"), &c, &err),
                     -1);
    assert_string_equal(err.message, "field 'challenge_token' is not a string");
    assert_int_equal(challenge_detail_parse_response(
                         S("{\"data\":{\"challenge_token\":\"t\",\"challenge_auth\":\"t.x\","
                           "\"challenge_status\":5,\"expires\":\"never\"}}"), &c, &err),
                     0);
    assert_null(c.status);
    assert_int_equal(c.expires, 0);
    challenge_detail_free(&c);
}

static void test_cert_bundle(void **state)
{
    (void)state;
    size_t len;
    char *body = fixture_load("fetch_cert.json", &len);
    struct cert_bundle b;
    struct parse_error err = {.message = ""};
    assert_int_equal(cert_bundle_parse_response(body, len, &b, &err), 0);
    free(body);
    assert_non_null(strstr(b.certificate, "-----BEGIN CERTIFICATE-----\n"));
    assert_non_null(strstr(b.certificate, "-----END CERTIFICATE-----\n")); /* exact PEM */
    assert_int_equal(b.ca_chain_count, 2);
    assert_non_null(strstr(b.ca_chain[1], "-----BEGIN CERTIFICATE-----"));
    assert_non_null(strstr(b.private_key, "-----BEGIN PRIVATE KEY-----\n"));
    assert_string_equal(b.private_key_type, "ec");
    assert_string_equal(b.serial, "04:a1:9c:3e:55:7f:10:22:8b:0d:e4:91:6c:2f:aa:13:77:05");
    assert_int_equal(b.not_after, 1790509559);
    assert_true(b.not_before > 0 && b.not_before < b.not_after);
    assert_string_equal(b.authority_key_id,
                        "a8:4a:6a:63:04:7d:dd:ba:e6:d1:39:b7:a6:45:65:ef:f3:a8:ec:a1");
    assert_string_equal(b.format, "pem");

    struct cert_bundle c, m;
    cert_bundle_copy(&c, &b);
    assert_ptr_not_equal(c.private_key, b.private_key);
    assert_string_equal(c.private_key, b.private_key);
    cert_bundle_init(&m);
    cert_bundle_move(&m, &b);
    assert_null(b.private_key);
    assert_null(b.certificate);
    cert_bundle_free(&c);
    assert_null(c.private_key);
    cert_bundle_free(&m);
    cert_bundle_free(&b);

    body = fixture_load("fetch_cert_csr.json", &len);
    assert_int_equal(cert_bundle_parse_response(body, len, &b, &err), 0);
    free(body);
    assert_string_equal(b.private_key, ""); /* CSR orders: no key */
    assert_int_equal(b.ca_chain_count, 2);
    cert_bundle_free(&b);
}

static void test_cert_bundle_malformed(void **state)
{
    (void)state;
    struct cert_bundle b;
    struct parse_error err = {.message = ""};
    assert_int_equal(cert_bundle_parse_response(S("{\"data\":{\"certificate\":\"\"}}"), &b, &err), -1);
    assert_string_equal(err.message, "field 'certificate' is empty (not issued yet?)");
    assert_int_equal(cert_bundle_parse_response(S("{\"data\":{\"private_key\":\"k\"}}"), &b, &err), -1);
    assert_string_equal(err.message, "field 'certificate' is missing");
    assert_null(b.private_key); /* freed on error */
    assert_int_equal(cert_bundle_parse_response(S("{\"data\":{\"certificate\":\"C\",\"ca_chain\":"
                                                  "\"ONE\",\"not_after\":[],\"serial_number\":1}}"),
                                                &b, &err), 0);
    assert_int_equal(b.ca_chain_count, 1);
    assert_string_equal(b.ca_chain[0], "ONE");
    assert_int_equal(b.not_after, 0);
    assert_null(b.serial);
    assert_null(b.private_key);
    cert_bundle_free(&b);
    assert_int_equal(cert_bundle_parse_response(S("{\"data\":{\"certificate\":\"C\",\"ca_chain\":"
                                                  "[null,1,\"A\",{}]}}"), &b, &err), 0);
    assert_int_equal(b.ca_chain_count, 1);
    cert_bundle_free(&b);

    /* a 1 MiB private key / certificate is refused, not truncated */
    size_t big = 1024 * 1024;
    char *s = malloc(big + 1);
    memset(s, 'A', big);
    s[big] = '\0';
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "certificate", "C");
    cJSON_AddStringToObject(data, "private_key", s);
    assert_int_equal(cert_bundle_parse(data, &b, &err), -1);
    assert_non_null(strstr(err.message, "'private_key' is larger than"));
    assert_null(b.certificate);
    cJSON_Delete(data);
    data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "certificate", s);
    assert_int_equal(cert_bundle_parse(data, &b, &err), -1);
    cJSON_Delete(data);
    /* 10,000 chain entries: capped */
    data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "certificate", "C");
    cJSON *chain = cJSON_AddArrayToObject(data, "ca_chain");
    for (int i = 0; i < 10000; i++)
        cJSON_AddItemToArray(chain, cJSON_CreateString("X"));
    assert_int_equal(cert_bundle_parse(data, &b, &err), 0);
    assert_int_equal(b.ca_chain_count, JSON_LIST_MAX);
    cert_bundle_free(&b);
    cJSON_Delete(data);
    free(s);
}

static void test_role(void **state)
{
    (void)state;
    size_t len;
    char *body = fixture_load("role.json", &len);
    struct role_info r;
    struct parse_error err = {.message = ""};
    assert_int_equal(role_info_parse_response(body, len, &r, &err), 0);
    free(body);
    assert_string_equal(r.name, "web-servers");
    assert_string_equal(r.acme_account_name, "letsencrypt-prod");
    assert_int_equal(r.allowed_domain_count, 2);
    assert_string_equal(r.allowed_domains[1], "*.example.com");
    assert_int_equal(r.allowed_domain_option_count, 3);
    assert_string_equal(r.allowed_domain_options[2], "wildcards");
    assert_int_equal(r.allowed_challenge_type_count, 2);
    assert_string_equal(r.allowed_challenge_types[1], "dns-01");
    assert_string_equal(r.csr_generate_key_type, "ec-256");
    assert_string_equal(r.csr_identifier_population, "cn_first");
    assert_true(r.created > 0);
    assert_int_equal(r.last_updated - r.created, 51 * 86400 + 5 * 3600 + 30 * 60);
    role_info_free(&r);
    /* comma-separated input form, and wrong types */
    assert_int_equal(role_info_parse_response(S("{\"data\":{\"allowed_domains\":\"a.com, b.com\","
                                                "\"allowed_challenge_types\":7,\"name\":[]}}"),
                                              &r, &err), 0);
    assert_int_equal(r.allowed_domain_count, 2);
    assert_string_equal(r.allowed_domains[1], "b.com");
    assert_null(r.allowed_challenge_types);
    assert_null(r.name);
    role_info_free(&r);
    assert_int_equal(role_info_parse_response(S("{\"data\":\"role\"}"), &r, &err), -1);
}

static void test_acme_account(void **state)
{
    (void)state;
    size_t len;
    char *body = fixture_load("acme_account.json", &len);
    struct acme_account a;
    struct parse_error err = {.message = ""};
    assert_int_equal(acme_account_parse_response(body, len, &a, &err), 0);
    free(body);
    assert_string_equal(a.name, "letsencrypt-prod");
    assert_string_equal(a.directory_url, "https://acme-v02.api.letsencrypt.org/directory");
    assert_int_equal(a.email_contact_count, 2);
    assert_string_equal(a.email_contacts[1], "security@example.com");
    assert_int_equal(a.active_key_version, 2);
    assert_int_equal(a.account_key_count, 2);
    assert_string_equal(a.trusted_ca, "");
    assert_true(a.created > 0);
    acme_account_free(&a);
    assert_int_equal(acme_account_parse_response(
                         S("{\"data\":{\"active_key_version\":\"x\",\"account_keys\":5,"
                           "\"email_contacts\":\"a@b.c,d@e.f\"}}"), &a, &err), 0);
    assert_int_equal(a.active_key_version, 0);
    assert_int_equal(a.account_key_count, 0);
    assert_int_equal(a.email_contact_count, 2);
    acme_account_free(&a);
}

static void test_token_info(void **state)
{
    (void)state;
    size_t len;
    char *body = fixture_load("lookup_self.json", &len);
    struct token_info t;
    struct parse_error err = {.message = ""};
    assert_int_equal(token_info_parse_response(body, len, &t, &err), 0);
    free(body);
    assert_string_equal(t.display_name, "token-operator");
    assert_int_equal(t.ttl, 2764790);
    assert_int_equal(t.policy_count, 2);
    assert_string_equal(t.policies[1], "pki-operator");
    struct token_info u;
    token_info_copy(&u, &t);
    token_info_free(&t);
    assert_string_equal(u.policies[0], "default");
    token_info_free(&u);

    body = fixture_load("lookup_self_root.json", &len);
    assert_int_equal(token_info_parse_response(body, len, &t, &err), 0);
    free(body);
    assert_int_equal(t.ttl, 0); /* no expiry */
    assert_string_equal(t.policies[0], "root");
    token_info_free(&t);
    assert_int_equal(token_info_parse_response(S("{\"data\":{\"ttl\":-30,\"policies\":null}}"),
                                               &t, &err), 0);
    assert_int_equal(t.ttl, 0); /* never negative */
    assert_null(t.policies);
    assert_null(t.display_name);
    token_info_free(&t);
}

static void test_health(void **state)
{
    (void)state;
    size_t len;
    char *body = fixture_load("health.json", &len);
    struct vault_health h;
    struct parse_error err = {.message = ""};
    assert_int_equal(vault_health_parse_response(body, len, &h, &err), 0);
    free(body);
    assert_true(h.initialized);
    assert_false(h.sealed);
    assert_false(h.standby);
    assert_string_equal(h.version, "2.0.1+ent");
    vault_health_free(&h);
    body = fixture_load("health_sealed.json", &len);
    assert_int_equal(vault_health_parse_response(body, len, &h, &err), 0);
    free(body);
    assert_true(h.sealed);
    assert_true(h.standby);
    vault_health_free(&h);
    assert_int_equal(vault_health_parse_response(S("{\"sealed\":\"yes\",\"version\":2}"), &h, &err), 0);
    assert_false(h.sealed);
    assert_null(h.version);
    vault_health_free(&h);
    assert_int_equal(vault_health_parse_response(S("true"), &h, &err), -1);
    assert_int_equal(vault_health_parse_response(S("<html>"), &h, &err), -1);
}

static void test_error_body(void **state)
{
    (void)state;
    char buf[ERROR_BODY_MAX];
    size_t len;
    char *body = fixture_load("error_denied.json", &len);
    assert_int_equal(error_body_message(body, len, buf, sizeof buf), 1);
    assert_string_equal(buf, "permission denied");
    free(body);
    body = fixture_load("error_empty_list.json", &len);
    assert_int_equal(error_body_message(body, len, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    free(body);
    body = fixture_load("error_multi.json", &len);
    assert_int_equal(error_body_message(body, len, buf, sizeof buf), 2);
    free(body);
    assert_string_equal(buf, "1 error occurred:  * invalid identifier \"bad_name!\"  ; "
                             "role \"web-servers\" does not allow ?]52;c;ZXZpbA==? this");
    assert_int_equal(error_body_message(S("not json"), buf, sizeof buf), 0);
    assert_int_equal(error_body_message(S("{\"errors\":\"x\"}"), buf, sizeof buf), 0);
    assert_int_equal(error_body_message(S("{\"errors\":[1,null,\"\",\"real\"]}"), buf, sizeof buf), 1);
    assert_string_equal(buf, "real");

    /* long messages are capped on a UTF-8 boundary with "..." */
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "errors");
    char *mib = malloc(1024 * 1024 + 1);
    for (size_t i = 0; i < 1024 * 1024; i += 2)
        memcpy(mib + i, "\xc3\xa9", 2); /* é */
    mib[1024 * 1024] = '\0';
    cJSON_AddItemToArray(arr, cJSON_CreateString("first"));
    cJSON_AddItemToArray(arr, cJSON_CreateString(mib));
    cJSON_AddItemToArray(arr, cJSON_CreateString("third"));
    char *text = cJSON_PrintUnformatted(root);
    assert_int_equal(error_body_message(S(text), buf, sizeof buf), 3);
    size_t n = strlen(buf);
    assert_true(n < ERROR_BODY_MAX);
    assert_true(n > ERROR_BODY_MAX - 8);
    assert_memory_equal(buf, "first; \xc3\xa9", 9);
    assert_string_equal(buf + n - 3, "...");
    assert_int_equal((unsigned char)buf[n - 4], 0xa9); /* whole characters only */
    char small[16];
    assert_int_equal(error_body_message(S(text), small, sizeof small), 3);
    /* after "first" there is room for 7 bytes before "...": "; éé" is 6,
     * a third é would be cut in half, so it is left out */
    assert_string_equal(small, "first; \xc3\xa9\xc3\xa9...");
    free(text);
    free(mib);
    cJSON_Delete(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_lists),
        cmocka_unit_test(test_key_list_malformed),
        cmocka_unit_test(test_key_list_capped),
        cmocka_unit_test(test_challenge_detail),
        cmocka_unit_test(test_cert_bundle),
        cmocka_unit_test(test_cert_bundle_malformed),
        cmocka_unit_test(test_role),
        cmocka_unit_test(test_acme_account),
        cmocka_unit_test(test_token_info),
        cmocka_unit_test(test_health),
        cmocka_unit_test(test_error_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
