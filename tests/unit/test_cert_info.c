/* test_cert_info: what the console shows about a certificate and a CSR,
 * from real ones generated here with OpenSSL: subject, SANs of every kind,
 * issuer, serial in Vault's colon hex, validity, key type (EC P-256 / P-384,
 * RSA 2048), the SHA-256 fingerprint (checked against the openssl command),
 * days left; a bundle gives its leaf; hostile subjects are sanitized;
 * garbage is refused with a reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "model/cert_info.h"

/* 2026-01-01T00:00:00Z and 2026-04-01T00:00:00Z */
#define NOT_BEFORE 1767225600L
#define NOT_AFTER 1775001600L

static EVP_PKEY *ec_key(const char *curve)
{
    return EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
}

static EVP_PKEY *rsa_key(size_t bits)
{
    return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", bits);
}

static void add_ext(X509 *x, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    assert_non_null(e);
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
}

/* A PEM certificate for key, signed by issuer_key, newly allocated. */
static char *make_cert(EVP_PKEY *key, EVP_PKEY *issuer_key, const char *cn, const char *org,
                       const char *issuer_cn, const char *serial_hex, const char *san)
{
    X509 *x = X509_new();
    X509_set_version(x, 2);
    BIGNUM *bn = NULL;
    BN_hex2bn(&bn, serial_hex);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
    BN_free(bn);
    X509_NAME *subject = X509_get_subject_name(x);
    if (org)
        X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8, (const unsigned char *)org, -1,
                                   -1, 0);
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1,
                               0);
    X509_NAME *issuer = X509_get_issuer_name(x);
    X509_NAME_add_entry_by_txt(issuer, "C", MBSTRING_ASC, (const unsigned char *)"US", -1, -1, 0);
    X509_NAME_add_entry_by_txt(issuer, "CN", MBSTRING_ASC, (const unsigned char *)issuer_cn, -1,
                               -1, 0);
    ASN1_TIME_set(X509_getm_notBefore(x), NOT_BEFORE);
    ASN1_TIME_set(X509_getm_notAfter(x), NOT_AFTER);
    X509_set_pubkey(x, key);
    if (san)
        add_ext(x, NID_subject_alt_name, san);
    assert_true(X509_sign(x, issuer_key, EVP_sha256()) > 0);
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, x);
    char *data;
    long n = BIO_get_mem_data(b, &data);
    char *pem = strndup(data, (size_t)n);
    BIO_free(b);
    X509_free(x);
    return pem;
}

/* `openssl x509 -noout -fingerprint -sha256` of pem: "AA:BB:..." */
static void openssl_cli_fingerprint(const char *pem, char *out, size_t size)
{
    char path[] = "/tmp/test_cert_info_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pem, strlen(pem)), (ssize_t)strlen(pem));
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "openssl x509 -noout -fingerprint -sha256 -in %s", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[256] = "";
    assert_non_null(fgets(line, sizeof line, p));
    pclose(p);
    unlink(path);
    char *eq = strchr(line, '=');
    assert_non_null(eq);
    snprintf(out, size, "%s", eq + 1);
    out[strcspn(out, "\n")] = '\0';
}

static void test_ec_certificate_every_field(void **state)
{
    (void)state;
    EVP_PKEY *key = ec_key("P-256"), *ca = ec_key("P-384");
    char *pem = make_cert(key, ca, "www.example.test", "Acme Test", "Test Issuing CA",
                          "0A1B2C3D4E5F60718293A4B5C6D7E8F9",
                          "DNS:www.example.test,DNS:*.example.test,IP:192.0.2.7,IP:2001:db8::1,"
                          "email:ops@example.test,URI:https://example.test/x");
    struct cert_info ci;
    struct parse_error err;
    assert_int_equal(cert_info_parse_pem(pem, &ci, &err), 0);
    assert_string_equal(ci.subject, "CN=www.example.test, O=Acme Test");
    assert_string_equal(ci.issuer, "CN=Test Issuing CA, C=US");
    assert_string_equal(ci.serial, "0a:1b:2c:3d:4e:5f:60:71:82:93:a4:b5:c6:d7:e8:f9");
    assert_int_equal(ci.not_before, NOT_BEFORE);
    assert_int_equal(ci.not_after, NOT_AFTER);
    assert_string_equal(ci.key_type, "EC P-256");
    assert_int_equal(ci.san_count, 6);
    assert_string_equal(ci.sans[0], "www.example.test");
    assert_string_equal(ci.sans[1], "*.example.test");
    assert_string_equal(ci.sans[2], "IP:192.0.2.7");
    assert_string_equal(ci.sans[3], "IP:2001:db8::1");
    assert_string_equal(ci.sans[4], "email:ops@example.test");
    assert_string_equal(ci.sans[5], "URI:https://example.test/x");
    char cli[128];
    openssl_cli_fingerprint(pem, cli, sizeof cli);
    assert_string_equal(ci.fingerprint_sha256, cli);
    assert_int_equal(strlen(ci.fingerprint_sha256), 95);
    cert_info_free(&ci);
    assert_null(ci.subject);
    free(pem);
    EVP_PKEY_free(key);
    EVP_PKEY_free(ca);
}

static void test_days_left(void **state)
{
    (void)state;
    struct cert_info ci;
    cert_info_init(&ci);
    ci.not_after = NOT_AFTER;
    assert_int_equal(cert_info_days_left(&ci, NOT_AFTER - 90L * 86400), 90);
    assert_int_equal(cert_info_days_left(&ci, NOT_AFTER - 89L * 86400 - 3600), 89);
    assert_int_equal(cert_info_days_left(&ci, NOT_AFTER - 3600), 0);
    assert_int_equal(cert_info_days_left(&ci, NOT_AFTER + 3600), 0);
    assert_int_equal(cert_info_days_left(&ci, NOT_AFTER + 86400 + 1), -1);
    assert_int_equal(cert_info_days_left(&ci, NOT_AFTER + 10L * 86400), -10);
}

static void test_rsa_and_p384_key_types(void **state)
{
    (void)state;
    EVP_PKEY *rsa = rsa_key(2048), *p384 = ec_key("P-384"), *ca = ec_key("P-256");
    struct cert_info ci;
    struct parse_error err;
    char *pem = make_cert(rsa, ca, "legacy.example.org", NULL, "CA", "01", NULL);
    assert_int_equal(cert_info_parse_pem(pem, &ci, &err), 0);
    assert_string_equal(ci.key_type, "RSA 2048");
    assert_string_equal(ci.subject, "CN=legacy.example.org");
    assert_string_equal(ci.serial, "01");
    assert_int_equal(ci.san_count, 0);
    cert_info_free(&ci);
    free(pem);
    pem = make_cert(p384, ca, "api.internal.example.net", NULL, "CA", "FF00", NULL);
    assert_int_equal(cert_info_parse_pem(pem, &ci, &err), 0);
    assert_string_equal(ci.key_type, "EC P-384");
    assert_string_equal(ci.serial, "ff:00");
    cert_info_free(&ci);
    free(pem);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(p384);
    EVP_PKEY_free(ca);
}

static void test_bundle_gives_the_leaf(void **state)
{
    (void)state;
    EVP_PKEY *leaf = ec_key("P-256"), *ca = ec_key("P-256");
    char *a = make_cert(leaf, ca, "leaf.example.test", NULL, "Inter", "02", "DNS:leaf.example.test");
    char *b = make_cert(ca, ca, "Inter", NULL, "Root", "03", NULL);
    size_t n = strlen(a) + strlen(b) + 1;
    char *bundle = malloc(n);
    snprintf(bundle, n, "%s%s", a, b);
    struct cert_info ci;
    struct parse_error err;
    assert_int_equal(cert_info_parse_pem(bundle, &ci, &err), 0);
    assert_string_equal(ci.subject, "CN=leaf.example.test");
    cert_info_free(&ci);
    free(bundle);
    free(a);
    free(b);
    EVP_PKEY_free(leaf);
    EVP_PKEY_free(ca);
}

static void test_hostile_subject_is_sanitized(void **state)
{
    (void)state;
    EVP_PKEY *key = ec_key("P-256");
    char *pem = make_cert(key, key, "evil\x1b[2J\x07name", NULL, "CA\r\nX", "04",
                          "DNS:ok.example.test");
    struct cert_info ci;
    struct parse_error err;
    assert_int_equal(cert_info_parse_pem(pem, &ci, &err), 0);
    for (const char *p = ci.subject; *p; p++)
        assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
    for (const char *p = ci.issuer; *p; p++)
        assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
    assert_non_null(strstr(ci.subject, "evil"));
    assert_null(strchr(ci.subject, '\x1b'));
    cert_info_free(&ci);
    free(pem);
    EVP_PKEY_free(key);
}

static void test_garbage_is_refused(void **state)
{
    (void)state;
    struct cert_info ci;
    struct parse_error err;
    assert_int_equal(cert_info_parse_pem("", &ci, &err), -1);
    assert_int_equal(cert_info_parse_pem(NULL, &ci, &err), -1);
    assert_int_equal(cert_info_parse_pem("hello", &ci, &err), -1);
    assert_non_null(strstr(err.message, "not a PEM certificate"));
    assert_int_equal(cert_info_parse_pem("-----BEGIN CERTIFICATE-----\nAAAA\n"
                                         "-----END CERTIFICATE-----\n", &ci, &err), -1);
    assert_null(ci.subject);
}

/* A PEM CSR, newly allocated. */
static char *make_csr(EVP_PKEY *key, const char *cn, const char *san)
{
    X509_REQ *req = X509_REQ_new();
    X509_REQ_set_version(req, 0);
    if (cn)
        X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(req), "CN", MBSTRING_UTF8,
                                   (const unsigned char *)cn, -1, -1, 0);
    if (san) {
        STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
        X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, san);
        assert_non_null(e);
        sk_X509_EXTENSION_push(exts, e);
        X509_REQ_add_extensions(req, exts);
        sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    }
    X509_REQ_set_pubkey(req, key);
    assert_true(X509_REQ_sign(req, key, EVP_sha256()) > 0);
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509_REQ(b, req);
    char *data;
    long n = BIO_get_mem_data(b, &data);
    char *pem = strndup(data, (size_t)n);
    BIO_free(b);
    X509_REQ_free(req);
    return pem;
}

static void test_csr_preview(void **state)
{
    (void)state;
    EVP_PKEY *key = ec_key("P-256");
    char *pem = make_csr(key, "shop.demo.test", "DNS:shop.demo.test,DNS:api.demo.test");
    struct csr_info ci;
    struct parse_error err;
    assert_int_equal(csr_info_parse_pem(pem, &ci, &err), 0);
    assert_string_equal(ci.subject_cn, "shop.demo.test");
    assert_int_equal(ci.san_count, 2);
    assert_string_equal(ci.sans[0], "shop.demo.test");
    assert_string_equal(ci.sans[1], "api.demo.test");
    assert_string_equal(ci.key_type, "EC P-256");
    csr_info_free(&ci);
    free(pem);
    /* no CN, SANs only */
    pem = make_csr(key, NULL, "DNS:*.apps.demo.test");
    assert_int_equal(csr_info_parse_pem(pem, &ci, &err), 0);
    assert_null(ci.subject_cn);
    assert_int_equal(ci.san_count, 1);
    assert_string_equal(ci.sans[0], "*.apps.demo.test");
    csr_info_free(&ci);
    free(pem);
    EVP_PKEY_free(key);
    /* a certificate is not a CSR */
    assert_int_equal(csr_info_parse_pem("-----BEGIN CERTIFICATE-----\nAAAA\n"
                                        "-----END CERTIFICATE-----\n", &ci, &err), -1);
    assert_non_null(strstr(err.message, "CSR"));
    assert_int_equal(csr_info_parse_pem("", &ci, &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ec_certificate_every_field),
        cmocka_unit_test(test_days_left),
        cmocka_unit_test(test_rsa_and_p384_key_types),
        cmocka_unit_test(test_bundle_gives_the_leaf),
        cmocka_unit_test(test_hostile_subject_is_sanitized),
        cmocka_unit_test(test_garbage_is_refused),
        cmocka_unit_test(test_csr_preview),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
