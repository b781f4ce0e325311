/* tlsalpn01_cert: the self-signed certificate a tls-alpn-01 responder
 * presents (RFC 8737 §3): a fresh P-256 key per challenge, the identifier
 * as the only subjectAltName (dNSName), and the critical
 * id-pe-acmeIdentifier extension (1.3.6.1.5.5.7.1.31) whose value is the
 * DER OCTET STRING of SHA-256(key authorization).  The key never leaves
 * the engine: it is freed with EVP_PKEY_free (OpenSSL's allocator is the
 * wiping one, net/wiping_alloc.h). */
#ifndef ACMETOP_NET_TLSALPN01_CERT_H
#define ACMETOP_NET_TLSALPN01_CERT_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "net/deploy_error.h"

#define TLSALPN01_OID "1.3.6.1.5.5.7.1.31"
#define TLSALPN01_IDENTIFIER_MAX 253

struct tlsalpn01_cert {
    EVP_PKEY *key;
    X509 *cert;
};

/* Build the certificate for identifier (a DNS name, not a wildcard: a CA
 * validates wildcards with dns-01 only) and key_authorization (1 to 1024
 * printable characters, no spaces).  0, or -1 with err set to a sentence
 * and *out empty. */
int tlsalpn01_cert_new(const char *identifier, const char *key_authorization,
                       struct tlsalpn01_cert *out, struct deploy_error *err);

/* Whether tlsalpn01_cert_new would take these (no key made): 0, or -1 with
 * err set to the same sentence. */
int tlsalpn01_cert_check(const char *identifier, const char *key_authorization,
                         struct deploy_error *err);

/* Free key and certificate (the key's memory wiped); out emptied.  NULL
 * and an empty one are fine. */
void tlsalpn01_cert_free(struct tlsalpn01_cert *c);

#endif
