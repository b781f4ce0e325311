/* test_challenge_value: what the console tells an operator to deploy for a
 * challenge: the dns-01 TXT value (checked against API.md's known vector and
 * an independent openssl computation), record names, http-01 path and URL,
 * the tls-alpn-01 digest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/challenge_value.h"

#define KEYAUTH "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"

static void test_dns01_known_vector(void **state)
{
    (void)state;
    char v[CHALLENGE_DNS01_VALUE_BUF];
    assert_int_equal(challenge_dns01_txt_value(KEYAUTH, v, sizeof v), 0);
    assert_string_equal(v, "lCM7cZyQXcVHK2nnW3jjAhNT3Fvm18UN-kWZZknKoYM");
    assert_int_equal(strlen(v), 43);
}

static void test_dns01_base64url_alphabet(void **state)
{
    (void)state;
    /* printf %s 'a.b' | openssl dgst -sha256 -binary | basenc --base64url | tr -d = */
    char v[CHALLENGE_DNS01_VALUE_BUF];
    assert_int_equal(challenge_dns01_txt_value("a.b", v, sizeof v), 0);
    assert_string_equal(v, "LnM23I66h-9HLfVow1SCq_JXXcPl6sDFxiuP-urCyTQ");
    assert_null(strchr(v, '+'));
    assert_null(strchr(v, '/'));
    assert_null(strchr(v, '='));
    /* the empty key authorization still has a digest */
    assert_int_equal(challenge_dns01_txt_value("", v, sizeof v), 0);
    assert_string_equal(v, "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
}

static void test_dns01_refuses_bad_arguments(void **state)
{
    (void)state;
    char v[CHALLENGE_DNS01_VALUE_BUF];
    assert_int_equal(challenge_dns01_txt_value(NULL, v, sizeof v), -1);
    assert_int_equal(challenge_dns01_txt_value(KEYAUTH, NULL, sizeof v), -1);
    assert_int_equal(challenge_dns01_txt_value(KEYAUTH, v, sizeof v - 1), -1);
}

static void test_dns01_record_name(void **state)
{
    (void)state;
    char *n = challenge_dns01_record_name("www.example.com");
    assert_string_equal(n, "_acme-challenge.www.example.com");
    free(n);
    n = challenge_dns01_record_name("*.apps.example.io");
    assert_string_equal(n, "_acme-challenge.apps.example.io");
    free(n);
    n = challenge_dns01_record_name("example.com");
    assert_string_equal(n, "_acme-challenge.example.com");
    free(n);
    assert_null(challenge_dns01_record_name(""));
    assert_null(challenge_dns01_record_name(NULL));
}

static void test_http01_path_and_url(void **state)
{
    (void)state;
    char *p = challenge_http01_path("tok-EN_1");
    assert_string_equal(p, "/.well-known/acme-challenge/tok-EN_1");
    free(p);
    char *u = challenge_http01_url("shop.demo.test", "tok-EN_1");
    assert_string_equal(u, "http://shop.demo.test/.well-known/acme-challenge/tok-EN_1");
    free(u);
    assert_null(challenge_http01_path(""));
    assert_null(challenge_http01_url("a.test", NULL));
    assert_null(challenge_http01_url("", "t"));
}

static void test_tlsalpn01_digest(void **state)
{
    (void)state;
    char hex[CHALLENGE_SHA256_HEX_BUF];
    /* printf %s KEYAUTH | sha256sum */
    assert_int_equal(challenge_tlsalpn01_digest_hex(KEYAUTH, hex, sizeof hex), 0);
    assert_string_equal(hex, "94233b719c905dc5472b69e75b78e3021353dc5be6d7c50dfa45996649caa183");
    assert_int_equal(challenge_tlsalpn01_digest_hex(KEYAUTH, hex, 64), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dns01_known_vector),
        cmocka_unit_test(test_dns01_base64url_alphabet),
        cmocka_unit_test(test_dns01_refuses_bad_arguments),
        cmocka_unit_test(test_dns01_record_name),
        cmocka_unit_test(test_http01_path_and_url),
        cmocka_unit_test(test_tlsalpn01_digest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
