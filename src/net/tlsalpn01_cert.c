/* tlsalpn01_cert: the RFC 8737 challenge certificate (see tlsalpn01_cert.h). */
#include "net/tlsalpn01_cert.h"

#include <stdbool.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#define VALIDITY_S (7L * 24 * 3600) /* a CA looks within minutes; a week is plenty */

static bool dns_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > TLSALPN01_IDENTIFIER_MAX || s[0] == '.' || s[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.'))
            return false;
        if (c == '.' && s[i + 1] == '.')
            return false;
    }
    return true;
}

static bool key_authorization_ok(const char *ka)
{
    size_t n = ka ? strlen(ka) : 0;
    if (n == 0 || n > 1024)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ka[i] <= ' ' || ka[i] >= 0x7f)
            return false;
    return true;
}

/* The extension's value: the DER OCTET STRING (04 20 ...) of the digest. */
static X509_EXTENSION *acme_identifier_ext(const unsigned char digest[32])
{
    ASN1_OCTET_STRING *inner = ASN1_OCTET_STRING_new();
    unsigned char *der = NULL;
    int der_len = -1;
    if (inner && ASN1_OCTET_STRING_set(inner, digest, 32))
        der_len = i2d_ASN1_OCTET_STRING(inner, &der);
    ASN1_OCTET_STRING_free(inner);
    if (der_len <= 0)
        return NULL;
    ASN1_OCTET_STRING *value = ASN1_OCTET_STRING_new();
    ASN1_OBJECT *oid = OBJ_txt2obj(TLSALPN01_OID, 1);
    X509_EXTENSION *ext = NULL;
    if (value && oid && ASN1_OCTET_STRING_set(value, der, der_len))
        ext = X509_EXTENSION_create_by_OBJ(NULL, oid, 1 /* critical */, value);
    OPENSSL_free(der);
    ASN1_OCTET_STRING_free(value);
    ASN1_OBJECT_free(oid);
    return ext;
}

static X509_EXTENSION *san_ext(const char *identifier)
{
    GENERAL_NAMES *names = GENERAL_NAMES_new();
    GENERAL_NAME *g = GENERAL_NAME_new();
    ASN1_IA5STRING *dns = ASN1_IA5STRING_new();
    X509_EXTENSION *ext = NULL;
    if (names && g && dns && ASN1_STRING_set(dns, identifier, (int)strlen(identifier))) {
        GENERAL_NAME_set0_value(g, GEN_DNS, dns);
        dns = NULL;
        if (sk_GENERAL_NAME_push(names, g)) {
            g = NULL;
            ext = X509V3_EXT_i2d(NID_subject_alt_name, 0, names);
        }
    }
    ASN1_IA5STRING_free(dns);
    GENERAL_NAME_free(g);
    GENERAL_NAMES_free(names);
    return ext;
}

static X509 *build(EVP_PKEY *key, const char *identifier, const unsigned char digest[32])
{
    X509 *x = X509_new();
    X509_NAME *name = X509_NAME_new();
    BIGNUM *bn = BN_new();
    X509_EXTENSION *san = san_ext(identifier);
    X509_EXTENSION *acme = acme_identifier_ext(digest);
    bool ok = x && name && bn && san && acme && X509_set_version(x, 2) &&
              BN_rand(bn, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) &&
              BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) &&
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                         (const unsigned char *)"acmetop tls-alpn-01", -1, -1,
                                         0) &&
              X509_set_subject_name(x, name) && X509_set_issuer_name(x, name) &&
              X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
              X509_gmtime_adj(X509_getm_notAfter(x), VALIDITY_S) && X509_set_pubkey(x, key) &&
              X509_add_ext(x, san, -1) && X509_add_ext(x, acme, -1) &&
              X509_sign(x, key, EVP_sha256()) > 0;
    X509_EXTENSION_free(san);
    X509_EXTENSION_free(acme);
    BN_free(bn);
    X509_NAME_free(name);
    if (!ok) {
        X509_free(x);
        return NULL;
    }
    return x;
}

int tlsalpn01_cert_check(const char *identifier, const char *key_authorization,
                         struct deploy_error *err)
{
    deploy_error_clear(err);
    if (!identifier || !*identifier) {
        deploy_error_set(err, 0, "cannot serve tls-alpn-01: the identifier is missing");
        return -1;
    }
    if (strncmp(identifier, "*.", 2) == 0) {
        deploy_error_set(err, 0, "cannot serve tls-alpn-01 for the wildcard %.200s: a CA "
                         "validates a wildcard with dns-01 only", identifier);
        return -1;
    }
    if (!dns_name_ok(identifier)) {
        deploy_error_set(err, 0, "cannot serve tls-alpn-01 for \"%.200s\": it is not a DNS "
                         "name (letters, digits, '-' and '.', at most %d characters)",
                         identifier, TLSALPN01_IDENTIFIER_MAX);
        return -1;
    }
    if (!key_authorization_ok(key_authorization)) {
        deploy_error_set(err, 0, "cannot serve tls-alpn-01 for %.200s: the key authorization "
                         "must be 1 to 1024 printable characters without spaces", identifier);
        return -1;
    }
    return 0;
}

int tlsalpn01_cert_new(const char *identifier, const char *key_authorization,
                       struct tlsalpn01_cert *out, struct deploy_error *err)
{
    memset(out, 0, sizeof *out);
    deploy_error_clear(err);
    if (tlsalpn01_cert_check(identifier, key_authorization, err) != 0)
        return -1;
    unsigned char digest[32];
    unsigned int dl = 0;
    EVP_PKEY *key = NULL;
    X509 *x = NULL;
    if (EVP_Digest(key_authorization, strlen(key_authorization), digest, &dl, EVP_sha256(),
                   NULL) == 1 && dl == 32)
        key = EVP_EC_gen("P-256");
    if (key)
        x = build(key, identifier, digest);
    OPENSSL_cleanse(digest, sizeof digest);
    if (!x) {
        unsigned long e = ERR_peek_last_error();
        const char *why = e ? ERR_reason_error_string(e) : NULL;
        deploy_error_set(err, 0, "cannot make the tls-alpn-01 certificate of %.200s: %s",
                         identifier, why ? why : "OpenSSL failed");
        ERR_clear_error();
        EVP_PKEY_free(key);
        return -1;
    }
    out->key = key;
    out->cert = x;
    return 0;
}

void tlsalpn01_cert_free(struct tlsalpn01_cert *c)
{
    if (!c)
        return;
    EVP_PKEY_free(c->key);
    X509_free(c->cert);
    c->key = NULL;
    c->cert = NULL;
}
