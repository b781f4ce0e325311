/* cert_info: what the console shows about a certificate (subject, SANs,
 * issuer, serial, validity, key type, SHA-256 fingerprint, days left) and
 * about a CSR the operator is about to submit (its CN and SANs), parsed
 * with OpenSSL from PEM text.  Pure: parsing only, no files, no network.
 * Certificate text is untrusted (it came from a CA through Vault, or from a
 * file): every string here is sanitized for the terminal. */
#ifndef ACMETOP_CERT_INFO_H
#define ACMETOP_CERT_INFO_H

#include <stddef.h>
#include <time.h>

#include "model/parse_error.h"

/* "AA:BB:..." of a SHA-256 digest: 32 * 3 bytes with the NUL. */
#define CERT_INFO_FINGERPRINT_BUF 96

struct cert_info {
    char *subject;    /* "CN=www.example.com, O=Example" (most specific first) */
    char **sans;      /* DNS names as they are; other kinds prefixed:
                         "IP:192.0.2.1", "email:a@b", "URI:https://..." */
    size_t san_count;
    char *issuer;     /* same format as subject */
    char *serial;     /* lower-case colon hex, as Vault writes serial_number: "0a:1b:..." */
    time_t not_before, not_after;
    char *key_type;   /* "EC P-256", "EC P-384", "RSA 2048", "Ed25519", ... */
    char fingerprint_sha256[CERT_INFO_FINGERPRINT_BUF]; /* upper-case colon hex, like
                                                           openssl x509 -fingerprint -sha256 */
};

struct csr_info {
    char *subject_cn; /* NULL when the subject has no CN */
    char **sans;      /* as in cert_info */
    size_t san_count;
    char *key_type;   /* as in cert_info */
};

void cert_info_init(struct cert_info *c);
void cert_info_free(struct cert_info *c); /* contents; re-inits */

/* Parse the first certificate of pem (PEM text; a bundle's first block, the
 * leaf, is taken).  Returns 0, or -1 with err saying why ("no PEM
 * certificate found", OpenSSL's reason). */
int cert_info_parse_pem(const char *pem, struct cert_info *out, struct parse_error *err);

/* Whole days from now until not_after, rounded toward zero like the
 * `days_left` of `acmetop --once --json`: 89 for 89.9 days, 0 in the last
 * day, negative once expired (-1 after one full day past). */
long cert_info_days_left(const struct cert_info *c, time_t now);

void csr_info_init(struct csr_info *c);
void csr_info_free(struct csr_info *c); /* contents; re-inits */

/* Parse a PEM CSR ("CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST"), as
 * read from a file the operator names in the new-order form. Returns 0, or
 * -1 with err set. */
int csr_info_parse_pem(const char *pem, struct csr_info *out, struct parse_error *err);

#endif
