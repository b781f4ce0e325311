/* fuzz_cert_pem: certificates and CSRs through model/cert_info.c (OpenSSL
 * underneath): what the console shows of a certificate Vault fetched and
 * of the CSR file an operator names in the new-order form.
 * Input: byte 0 says what the rest is: 0 PEM text as it comes (a bundle, a
 * CSR, garbage), 1 a DER certificate, 2 a DER CSR; DER is wrapped into a
 * PEM block here, so the mutations work on the ASN.1 rather than on base64.
 * The text goes to cert_info_parse_pem and csr_info_parse_pem.
 * Checks: no crash, leak or hang; on success every text (subject, issuer,
 * SANs, key type) is clean for the terminal, the serial is lower-case
 * colon hex, the fingerprint is 32 upper-case colon-hex bytes, days left
 * computes for any validity; on failure the error says why and nothing is
 * left to free. */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "fuzz_check.h"
#include "model/cert_info.h"

/* DER -> "-----BEGIN label-----\n<base64, 64 a line>\n-----END label-----\n". */
static char *pem_wrap(const uint8_t *der, size_t len, const char *label)
{
    size_t b64 = 4 * ((len + 2) / 3);
    size_t cap = b64 + b64 / 64 + 2 * strlen(label) + 64;
    char *out = malloc(cap);
    FUZZ_CHECK(out, "out of memory");
    size_t k = (size_t)snprintf(out, cap, "-----BEGIN %s-----\n", label);
    for (size_t off = 0; off < len; off += 48) {
        size_t n = len - off < 48 ? len - off : 48;
        k += (size_t)EVP_EncodeBlock((unsigned char *)out + k, der + off, (int)n);
        out[k++] = '\n';
    }
    snprintf(out + k, cap - k, "-----END %s-----\n", label);
    return out;
}

static bool colon_hex(const char *s, bool upper)
{
    size_t n = strlen(s);
    if (n == 0 || n % 3 != 2)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (i % 3 == 2) {
            if (c != ':')
                return false;
        } else if (!isxdigit((unsigned char)c) || (isalpha((unsigned char)c) &&
                                                   (upper ? !isupper((unsigned char)c)
                                                          : !islower((unsigned char)c)))) {
            return false;
        }
    }
    return true;
}

static void certificate(const char *pem)
{
    struct cert_info c;
    struct parse_error err = {.message = ""};
    cert_info_init(&c);
    if (cert_info_parse_pem(pem, &c, &err) != 0) {
        FUZZ_CHECK(err.message[0], "a certificate refused without a reason");
        FUZZ_CHECK(!c.subject && !c.sans && !c.issuer && !c.serial && !c.key_type,
                   "a refused certificate left fields behind");
        cert_info_free(&c);
        return;
    }
    FUZZ_CHECK_TEXT(c.subject, "subject");
    FUZZ_CHECK_TEXT(c.issuer, "issuer");
    FUZZ_CHECK_TEXT(c.key_type, "key type");
    FUZZ_CHECK_STRV(c.sans, c.san_count, "SAN");
    FUZZ_CHECK(!c.serial || colon_hex(c.serial, false), "serial \"%s\"", c.serial);
    FUZZ_CHECK(strlen(c.fingerprint_sha256) == 95 && colon_hex(c.fingerprint_sha256, true),
               "fingerprint \"%s\"", c.fingerprint_sha256);
    cert_info_days_left(&c, (time_t)1780000000);
    cert_info_days_left(&c, (time_t)0);
    cert_info_free(&c);
}

static void request(const char *pem)
{
    struct csr_info c;
    struct parse_error err = {.message = ""};
    csr_info_init(&c);
    if (csr_info_parse_pem(pem, &c, &err) != 0) {
        FUZZ_CHECK(err.message[0], "a CSR refused without a reason");
        FUZZ_CHECK(!c.subject_cn && !c.sans && !c.key_type, "a refused CSR left fields behind");
        csr_info_free(&c);
        return;
    }
    FUZZ_CHECK_TEXT(c.subject_cn, "CSR common name");
    FUZZ_CHECK_TEXT(c.key_type, "CSR key type");
    FUZZ_CHECK_STRV(c.sans, c.san_count, "CSR SAN");
    csr_info_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *pem;
    switch (data[0] % 3) {
    case 1:
        pem = pem_wrap(data + 1, size - 1, "CERTIFICATE");
        break;
    case 2:
        pem = pem_wrap(data + 1, size - 1, "CERTIFICATE REQUEST");
        break;
    default:
        pem = fuzz_cstring(data + 1, size - 1);
        break;
    }
    certificate(pem);
    request(pem);
    free(pem);
    return 0;
}
