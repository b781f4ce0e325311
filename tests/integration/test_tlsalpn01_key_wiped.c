/* test_tlsalpn01_key_wiped: the private key of a tls-alpn-01 challenge
 * certificate (net/tlsalpn01_cert, what the TLS-ALPN-01 responder makes
 * per identifier and frees when the order finishes or the responder stops)
 * leaves no copy in memory once freed.  OpenSSL allocates through the
 * wiping allocator, installed as main() does.  The needle is the key's
 * 32-byte P-256 scalar, big-endian and as OpenSSL's BIGNUM words hold it
 * on this machine (little-endian); the search (memscan) finds it while the
 * key lives and signs, and must find it nowhere after tlsalpn01_cert_free. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "memscan.h"
#include "net/tlsalpn01_cert.h"
#include "net/wiping_alloc.h"

#define KEYAUTH "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"

/* The test's own view of the key, in a mapping the search skips. */
struct probe {
    unsigned char be[32], le[32];
    char chunk[1 << 20];
};

static size_t copies(struct probe *p)
{
    return memscan_count(p->be, 32, p, sizeof *p, p->chunk, sizeof p->chunk) +
           memscan_count(p->le, 32, p, sizeof *p, p->chunk, sizeof p->chunk);
}

static void test_challenge_key_wiped_when_freed(void **state)
{
    (void)state;
    struct probe *p = mmap(NULL, sizeof *p, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                           -1, 0);
    assert_true(p != MAP_FAILED);
    struct tlsalpn01_cert c;
    struct deploy_error err;
    assert_int_equal(tlsalpn01_cert_new("shop.demo.test", KEYAUTH, &c, &err), 0);
    BIGNUM *priv = NULL;
    assert_int_equal(EVP_PKEY_get_bn_param(c.key, OSSL_PKEY_PARAM_PRIV_KEY, &priv), 1);
    assert_int_equal(BN_bn2binpad(priv, p->be, 32), 32);
    BN_clear_free(priv);
    for (int i = 0; i < 32; i++)
        p->le[i] = p->be[31 - i];
    /* the key signs, as in a handshake */
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char sig[128];
    size_t sl = sizeof sig;
    assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, c.key), 1);
    assert_int_equal(EVP_DigestSign(md, sig, &sl, (const unsigned char *)"hello", 5), 1);
    EVP_MD_CTX_free(md);

    size_t live = copies(p);
    fprintf(stderr, "copies of the challenge key while it lives: %zu\n", live);
    assert_true(live >= 1); /* the search finds the key where OpenSSL keeps it */

    tlsalpn01_cert_free(&c);
    size_t left = copies(p);
    fprintf(stderr, "copies of the challenge key after tlsalpn01_cert_free: %zu\n", left);
    assert_int_equal(left, 0);
    explicit_bzero(p, sizeof *p);
    munmap(p, sizeof *p);
}

int main(void)
{
    /* as acmetop's main(): before OpenSSL's first allocation */
    if (wiping_alloc_install() != 0) {
        fputs("wiping_alloc_install: OpenSSL has allocated already\n", stderr);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_challenge_key_wiped_when_freed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
