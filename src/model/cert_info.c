/* cert_info: certificate and CSR summaries through OpenSSL (see
 * cert_info.h). */
#include "model/cert_info.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "model/strv.h"
#include "model/text_sanitize.h"
#include "model/xalloc.h"

#define PEM_INPUT_MAX (1024 * 1024)

void cert_info_init(struct cert_info *c)
{
    memset(c, 0, sizeof *c);
}

void cert_info_free(struct cert_info *c)
{
    if (!c)
        return;
    free(c->subject);
    strv_free(c->sans, c->san_count);
    free(c->issuer);
    free(c->serial);
    free(c->key_type);
    cert_info_init(c);
}

void csr_info_init(struct csr_info *c)
{
    memset(c, 0, sizeof *c);
}

void csr_info_free(struct csr_info *c)
{
    if (!c)
        return;
    free(c->subject_cn);
    strv_free(c->sans, c->san_count);
    free(c->key_type);
    csr_info_init(c);
}

/* OpenSSL's last error as text (queue emptied), or fallback. */
static void openssl_reason(char *buf, size_t size, const char *fallback)
{
    unsigned long e = ERR_peek_last_error();
    if (e) {
        const char *r = ERR_reason_error_string(e);
        snprintf(buf, size, "%s", r ? r : fallback);
    } else {
        snprintf(buf, size, "%s", fallback);
    }
    ERR_clear_error();
}

static char *sanitized(char *s)
{
    text_sanitize(s, false);
    return s;
}

static char *name_text(const X509_NAME *name)
{
    BIO *b = BIO_new(BIO_s_mem());
    if (!b)
        return xstrdup("?");
    unsigned long flags = (XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_DN_REV | XN_FLAG_FN_SN |
                           ASN1_STRFLGS_RFC2253 | ASN1_STRFLGS_UTF8_CONVERT) &
                          ~(unsigned long)ASN1_STRFLGS_ESC_MSB;
    X509_NAME_print_ex(b, name, 0, flags);
    char *data = NULL;
    long n = BIO_get_mem_data(b, &data);
    char *out = xstrndup(data ? data : "", n > 0 ? (size_t)n : 0);
    BIO_free(b);
    return sanitized(out);
}

static char *asn1_string_text(const ASN1_STRING *s)
{
    return sanitized(xstrndup((const char *)ASN1_STRING_get0_data(s),
                              (size_t)ASN1_STRING_length(s)));
}

static char *general_name_text(const GENERAL_NAME *g)
{
    char buf[80];
    switch (g->type) {
    case GEN_DNS:
        return asn1_string_text(g->d.dNSName);
    case GEN_EMAIL: {
        char *v = asn1_string_text(g->d.rfc822Name), *out = xmalloc(strlen(v) + 7);
        sprintf(out, "email:%s", v);
        free(v);
        return out;
    }
    case GEN_URI: {
        char *v = asn1_string_text(g->d.uniformResourceIdentifier), *out = xmalloc(strlen(v) + 5);
        sprintf(out, "URI:%s", v);
        free(v);
        return out;
    }
    case GEN_IPADD: {
        const unsigned char *ip = ASN1_STRING_get0_data(g->d.iPAddress);
        int len = ASN1_STRING_length(g->d.iPAddress);
        char addr[64];
        if ((len == 4 && inet_ntop(AF_INET, ip, addr, sizeof addr)) ||
            (len == 16 && inet_ntop(AF_INET6, ip, addr, sizeof addr)))
            snprintf(buf, sizeof buf, "IP:%s", addr);
        else
            snprintf(buf, sizeof buf, "IP:?");
        return xstrdup(buf);
    }
    default:
        return xstrdup("(other name)");
    }
}

static void sans_collect(const GENERAL_NAMES *names, char ***sans, size_t *count)
{
    int n = sk_GENERAL_NAME_num(names);
    for (int i = 0; i < n; i++) {
        char *t = general_name_text(sk_GENERAL_NAME_value(names, i));
        strv_push(sans, count, t);
        free(t);
    }
}

static char *key_type_text(EVP_PKEY *key)
{
    char buf[96];
    if (!key)
        return xstrdup("unknown");
    int id = EVP_PKEY_get_base_id(key);
    if (id == EVP_PKEY_EC) {
        char group[64] = "";
        size_t gl = 0;
        if (EVP_PKEY_get_group_name(key, group, sizeof group, &gl) != 1)
            snprintf(group, sizeof group, "?");
        const char *nist = strcmp(group, "prime256v1") == 0  ? "P-256"
                           : strcmp(group, "secp384r1") == 0 ? "P-384"
                           : strcmp(group, "secp521r1") == 0 ? "P-521"
                                                             : group;
        snprintf(buf, sizeof buf, "EC %s", nist);
    } else if (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) {
        snprintf(buf, sizeof buf, "%s %d", id == EVP_PKEY_RSA ? "RSA" : "RSA-PSS",
                 EVP_PKEY_get_bits(key));
    } else if (id == EVP_PKEY_ED25519) {
        snprintf(buf, sizeof buf, "Ed25519");
    } else if (id == EVP_PKEY_ED448) {
        snprintf(buf, sizeof buf, "Ed448");
    } else {
        const char *name = OBJ_nid2sn(id);
        snprintf(buf, sizeof buf, "%s %d", name ? name : "unknown", EVP_PKEY_get_bits(key));
    }
    return xstrdup(buf);
}

static char *serial_text(const ASN1_INTEGER *serial)
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
    if (!bn)
        return xstrdup("?");
    int n = BN_num_bytes(bn);
    unsigned char *bytes = xmalloc((size_t)(n ? n : 1));
    if (n == 0)
        bytes[0] = 0;
    BN_bn2bin(bn, bytes);
    if (n == 0)
        n = 1;
    BN_free(bn);
    char *out = xmalloc((size_t)n * 3 + 1);
    for (int i = 0; i < n; i++)
        sprintf(out + 3 * i, "%02x%s", bytes[i], i + 1 < n ? ":" : "");
    free(bytes);
    return out;
}

static int asn1_time_to_time_t(const ASN1_TIME *t, time_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return -1;
    *out = timegm(&tm);
    return 0;
}

static BIO *pem_bio(const char *pem, struct parse_error *err, const char *what)
{
    if (!pem || !*pem) {
        parse_error_set(err, "no PEM %s given", what);
        return NULL;
    }
    size_t len = strnlen(pem, PEM_INPUT_MAX + 1);
    if (len > PEM_INPUT_MAX) {
        parse_error_set(err, "PEM %s larger than %d bytes", what, PEM_INPUT_MAX);
        return NULL;
    }
    BIO *b = BIO_new_mem_buf(pem, (int)len);
    if (!b)
        parse_error_set(err, "cannot read the PEM %s (OpenSSL out of memory)", what);
    return b;
}

int cert_info_parse_pem(const char *pem, struct cert_info *out, struct parse_error *err)
{
    cert_info_init(out);
    parse_error_clear(err);
    BIO *b = pem_bio(pem, err, "certificate");
    if (!b)
        return -1;
    X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    BIO_free(b);
    if (!x) {
        char why[160];
        openssl_reason(why, sizeof why, "no PEM certificate found");
        parse_error_set(err, "not a PEM certificate: %s", why);
        return -1;
    }
    out->subject = name_text(X509_get_subject_name(x));
    out->issuer = name_text(X509_get_issuer_name(x));
    out->serial = serial_text(X509_get0_serialNumber(x));
    if (asn1_time_to_time_t(X509_get0_notBefore(x), &out->not_before) != 0 ||
        asn1_time_to_time_t(X509_get0_notAfter(x), &out->not_after) != 0) {
        X509_free(x);
        cert_info_free(out);
        ERR_clear_error();
        parse_error_set(err, "the certificate's validity dates cannot be read");
        return -1;
    }
    GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    if (names) {
        sans_collect(names, &out->sans, &out->san_count);
        GENERAL_NAMES_free(names);
    }
    out->key_type = key_type_text(X509_get0_pubkey(x));
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (X509_digest(x, EVP_sha256(), md, &mdlen) == 1 && mdlen == 32) {
        for (unsigned i = 0; i < mdlen; i++)
            sprintf(out->fingerprint_sha256 + 3 * i, "%02X%s", md[i], i + 1 < mdlen ? ":" : "");
    }
    X509_free(x);
    ERR_clear_error();
    return 0;
}

long cert_info_days_left(const struct cert_info *c, time_t now)
{
    if (!c || !c->not_after)
        return 0;
    return (long)((long long)(c->not_after - now) / 86400);
}

int csr_info_parse_pem(const char *pem, struct csr_info *out, struct parse_error *err)
{
    csr_info_init(out);
    parse_error_clear(err);
    BIO *b = pem_bio(pem, err, "CSR");
    if (!b)
        return -1;
    X509_REQ *req = PEM_read_bio_X509_REQ(b, NULL, NULL, NULL);
    BIO_free(b);
    if (!req) {
        char why[160];
        openssl_reason(why, sizeof why, "no PEM certificate request found");
        parse_error_set(err, "not a PEM certificate request (CSR): %s", why);
        return -1;
    }
    const X509_NAME *subject = X509_REQ_get_subject_name(req);
    int idx = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (idx >= 0) {
        const X509_NAME_ENTRY *e = X509_NAME_get_entry(subject, idx);
        unsigned char *utf8 = NULL;
        int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
        if (n >= 0) {
            out->subject_cn = sanitized(xstrndup((const char *)utf8, (size_t)n));
            OPENSSL_free(utf8);
        }
    }
    STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
    if (exts) {
        int pos = X509v3_get_ext_by_NID(exts, NID_subject_alt_name, -1);
        if (pos >= 0) {
            GENERAL_NAMES *names = X509V3_EXT_d2i(X509v3_get_ext(exts, pos));
            if (names) {
                sans_collect(names, &out->sans, &out->san_count);
                GENERAL_NAMES_free(names);
            }
        }
        sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    }
    out->key_type = key_type_text(X509_REQ_get0_pubkey(req));
    X509_REQ_free(req);
    ERR_clear_error();
    return 0;
}
