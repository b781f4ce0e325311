/* test_tlsalpn01_cert: the certificate acmetop's tls-alpn-01 responder
 * presents, read back with OpenSSL the way a CA reads it (RFC 8737 §3):
 * exactly one subjectAltName, the identifier; the extension
 * 1.3.6.1.5.5.7.1.31, critical, whose value is the DER OCTET STRING (04 20)
 * of SHA-256 of the key authorization; self-signed by a fresh P-256 key
 * per certificate; wildcards and bad input refused with a sentence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/ec.h>
#include <openssl/x509v3.h>

#include "net/tlsalpn01_cert.h"

/* RFC 8555 §8.3's example key authorization (token "." thumbprint); RFC 8737
 * gives no numeric example.  printf %s KEYAUTH | sha256sum: */
#define KEYAUTH "LoqXcsWMFnyeNGLPB4DIdA0U4q1G6ipi0PxPv5VDgi4.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"
static const unsigned char KEYAUTH_SHA256[32] = {
    0x17, 0x44, 0x11, 0x2a, 0xe2, 0x24, 0x45, 0xe3, 0xf9, 0x7f, 0xaf, 0xfe, 0x8e, 0xea, 0xa8, 0xf0,
    0xfc, 0xac, 0x6c, 0x8e, 0x43, 0x56, 0xbe, 0x9b, 0x1a, 0x18, 0x7d, 0xf6, 0xc8, 0x48, 0x81, 0xb0};

static void test_certificate_carries_the_rfc8737_extension(void **state)
{
    (void)state;
    struct tlsalpn01_cert c;
    struct deploy_error err;
    assert_int_equal(tlsalpn01_cert_new("shop.demo.test", KEYAUTH, &c, &err), 0);
    assert_non_null(c.key);
    assert_non_null(c.cert);

    /* the extension: by OID, once, critical */
    ASN1_OBJECT *oid = OBJ_txt2obj("1.3.6.1.5.5.7.1.31", 1);
    int idx = X509_get_ext_by_OBJ(c.cert, oid, -1);
    assert_true(idx >= 0);
    assert_int_equal(X509_get_ext_by_OBJ(c.cert, oid, idx), -1);
    ASN1_OBJECT_free(oid);
    X509_EXTENSION *ext = X509_get_ext(c.cert, idx);
    assert_int_equal(X509_EXTENSION_get_critical(ext), 1);
    /* its value, byte for byte: DER OCTET STRING, length 32, the digest */
    const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(ext);
    assert_int_equal(ASN1_STRING_length(data), 34);
    const unsigned char *p = ASN1_STRING_get0_data(data);
    assert_int_equal(p[0], 0x04);
    assert_int_equal(p[1], 0x20);
    assert_memory_equal(p + 2, KEYAUTH_SHA256, 32);

    /* the subjectAltName: exactly one dNSName, the identifier */
    GENERAL_NAMES *names = X509_get_ext_d2i(c.cert, NID_subject_alt_name, NULL, NULL);
    assert_non_null(names);
    assert_int_equal(sk_GENERAL_NAME_num(names), 1);
    const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, 0);
    assert_int_equal(g->type, GEN_DNS);
    assert_int_equal(ASN1_STRING_length(g->d.dNSName), (int)strlen("shop.demo.test"));
    assert_memory_equal(ASN1_STRING_get0_data(g->d.dNSName), "shop.demo.test",
                        strlen("shop.demo.test"));
    GENERAL_NAMES_free(names);

    /* self-signed by its own P-256 key, valid now */
    assert_int_equal(X509_verify(c.cert, c.key), 1);
    assert_int_equal(EVP_PKEY_get_base_id(c.key), EVP_PKEY_EC);
    char group[32] = "";
    size_t gl = 0;
    assert_int_equal(EVP_PKEY_get_group_name(c.key, group, sizeof group, &gl), 1);
    assert_string_equal(group, "prime256v1");
    assert_true(X509_cmp_current_time(X509_get0_notBefore(c.cert)) < 0);
    assert_true(X509_cmp_current_time(X509_get0_notAfter(c.cert)) > 0);
    tlsalpn01_cert_free(&c);
    assert_null(c.key);
    assert_null(c.cert);
    tlsalpn01_cert_free(&c); /* twice is fine */
}

static void test_a_fresh_key_per_certificate(void **state)
{
    (void)state;
    struct tlsalpn01_cert a, b;
    struct deploy_error err;
    assert_int_equal(tlsalpn01_cert_new("a.demo.test", KEYAUTH, &a, &err), 0);
    assert_int_equal(tlsalpn01_cert_new("a.demo.test", KEYAUTH, &b, &err), 0);
    assert_int_not_equal(EVP_PKEY_eq(a.key, b.key), 1);
    assert_int_not_equal(ASN1_INTEGER_cmp(X509_get0_serialNumber(a.cert),
                                          X509_get0_serialNumber(b.cert)), 0);
    tlsalpn01_cert_free(&a);
    tlsalpn01_cert_free(&b);
}

static void test_wildcard_and_bad_input_refused_with_a_sentence(void **state)
{
    (void)state;
    struct tlsalpn01_cert c;
    struct deploy_error err;
    assert_int_equal(tlsalpn01_cert_new("*.apps.demo.test", KEYAUTH, &c, &err), -1);
    assert_null(c.key);
    assert_null(c.cert);
    assert_string_equal(err.message, "cannot serve tls-alpn-01 for the wildcard "
                                     "*.apps.demo.test: a CA validates a wildcard with dns-01 "
                                     "only");
    assert_int_equal(tlsalpn01_cert_new("shop.demo.test/x", KEYAUTH, &c, &err), -1);
    assert_non_null(strstr(err.message, "is not a DNS name"));
    assert_int_equal(tlsalpn01_cert_new("a..test", KEYAUTH, &c, &err), -1);
    assert_int_equal(tlsalpn01_cert_new("", KEYAUTH, &c, &err), -1);
    assert_string_equal(err.message, "cannot serve tls-alpn-01: the identifier is missing");
    assert_int_equal(tlsalpn01_cert_new("shop.demo.test", "with space", &c, &err), -1);
    assert_non_null(strstr(err.message, "key authorization must be 1 to 1024 printable"));
    assert_int_equal(tlsalpn01_cert_new("shop.demo.test", "", &c, &err), -1);
    assert_int_equal(tlsalpn01_cert_new("shop.demo.test", NULL, &c, &err), -1);
    assert_null(c.key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_certificate_carries_the_rfc8737_extension),
        cmocka_unit_test(test_a_fresh_key_per_certificate),
        cmocka_unit_test(test_wildcard_and_bad_input_refused_with_a_sentence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
