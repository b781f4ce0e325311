/* dns_provider: a DNS provider of Vault's (GET config/dns/:type/:name: its
 * type, name, identifier globs and TTL; Vault never returns its secrets and
 * this struct has no place for them), the glob match Vault uses to pick a
 * provider for an identifier, and who fulfils a challenge because of it:
 * Vault (dns-01 of an identifier a provider covers) or the operator. */
#ifndef ACMETOP_DNS_PROVIDER_H
#define ACMETOP_DNS_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "model/parse_error.h"

struct dns_provider {
    char *type;          /* aws-route53, azure-dns, google-cloud-dns, rfc2136 */
    char *name;          /* "internal-dns" */
    char **identifiers;  /* globs, leftmost '*' only ("*.auto.example.net") */
    size_t identifier_count;
    long ttl_s;          /* 0 = not said */
};

void dns_provider_init(struct dns_provider *p);
void dns_provider_free(struct dns_provider *p); /* contents; re-inits */
/* Free n providers and the array. */
void dns_providers_free(struct dns_provider *v, size_t n);
/* A deep copy of n providers (NULL when n is 0). */
struct dns_provider *dns_providers_copy(const struct dns_provider *v, size_t n);

/* GET config/dns/:type/:name. type and name are what the LIST key said;
 * the answer's own name/type win when present. Conventions as in
 * order_parse.h. */
int dns_provider_parse_response(const char *body, size_t len, const char *type,
                                const char *name, struct dns_provider *out,
                                struct parse_error *err);

/* Split a LIST config/dns key "rfc2136/internal-dns" into new strings
 * (free both); -1 when it is not "<type>/<name>". */
int dns_provider_split_key(const char *key, char **type, char **name);

/* Does glob cover identifier? Case-insensitive, as DNS names are. A glob
 * without '*' matches only that name; "*.auto.example.net" matches every
 * name that ends in ".auto.example.net" with at least one character before
 * it, deeper names included ("a.b.auto.example.net": Vault's globs let '*'
 * span dots), but not "auto.example.net" itself. A '*' anywhere but first
 * is plain text. */
bool dns_provider_glob_match(const char *glob, const char *identifier);

/* The first of n providers whose globs cover identifier, or NULL. */
const struct dns_provider *dns_provider_for(const struct dns_provider *v, size_t n,
                                            const char *identifier);

/* The provider that makes Vault fulfil this challenge: only dns-01, and only
 * for an identifier a provider covers; NULL = the operator fulfils it. */
const struct dns_provider *dns_provider_fulfiller(const struct dns_provider *v, size_t n,
                                                  const char *identifier,
                                                  const char *challenge_type);

/* "rfc2136/internal-dns" into buf. */
const char *dns_provider_label(const struct dns_provider *p, char *buf, size_t size);

#endif
