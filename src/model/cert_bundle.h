/* cert_bundle: the certificate of an order as GET .../fetch-cert (and
 * role/:role/cached) returns it. The private key is a secret: it is wiped
 * with OPENSSL_cleanse before being freed and must never be logged or drawn. */
#ifndef ACMETOP_CERT_BUNDLE_H
#define ACMETOP_CERT_BUNDLE_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "model/parse_error.h"

struct cert_bundle {
    char *certificate;      /* PEM (or base64 DER for format "der"); required */
    char **ca_chain;        /* PEM certificates */
    size_t ca_chain_count;
    char *private_key;      /* SECRET; NULL or "" for CSR orders */
    char *private_key_type; /* "rsa", "ec", ... */
    char *serial;           /* serial_number, with colons */
    time_t not_before;      /* 0 = unknown */
    time_t not_after;       /* 0 = unknown */
    char *authority_key_id;
    char *format;           /* certificate_format: "pem", "der", "pem_bundle" */
};

void cert_bundle_init(struct cert_bundle *b);
/* Wipes private_key, frees everything inside b, re-inits b. */
void cert_bundle_free(struct cert_bundle *b);
/* Deep copy (including the private key: prefer moving messages). */
void cert_bundle_copy(struct cert_bundle *dst, const struct cert_bundle *src);
/* Move src into dst (dst's old contents freed); src left empty. */
void cert_bundle_move(struct cert_bundle *dst, struct cert_bundle *src);

/* Parser conventions as in order_parse.h. `certificate` required non-empty;
 * PEM fields are exact (JSON_BLOB, refused above JSON_STRING_MAX); the chain
 * is capped at JSON_LIST_MAX entries. On error nothing of the key remains in
 * memory. (The caller still holds the body: it must wipe it.) */
int cert_bundle_parse(const cJSON *data, struct cert_bundle *out,
                      struct parse_error *err);
int cert_bundle_parse_response(const char *body, size_t len,
                               struct cert_bundle *out,
                               struct parse_error *err);

#endif
