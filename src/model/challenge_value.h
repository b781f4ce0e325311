/* challenge_value: what an operator deploys for an ACME challenge, derived
 * from the challenge's token and key authorization (RFC 8555 §8.3, §8.4,
 * RFC 8737): the dns-01 TXT record name and value, the http-01 path and URL,
 * the tls-alpn-01 acmeIdentifier digest. Pure functions (SHA-256 through
 * OpenSSL); the console shows and copies their results. */
#ifndef ACMETOP_CHALLENGE_VALUE_H
#define ACMETOP_CHALLENGE_VALUE_H

#include <stddef.h>

/* base64url of a SHA-256 digest, no padding: 43 characters + NUL. */
#define CHALLENGE_DNS01_VALUE_BUF 44
/* hex of a SHA-256 digest: 64 characters + NUL. */
#define CHALLENGE_SHA256_HEX_BUF 65

/* The dns-01 TXT value: base64url(SHA-256(key_authorization)) without '='
 * padding, into out (at least CHALLENGE_DNS01_VALUE_BUF bytes).
 * Returns 0, or -1 if an argument is NULL / out too small / OpenSSL fails. */
int challenge_dns01_txt_value(const char *key_authorization, char *out, size_t size);

/* The dns-01 record name: "_acme-challenge.<identifier>", where a wildcard
 * identifier "*.example.com" gives "_acme-challenge.example.com".
 * Newly allocated; NULL if identifier is NULL or empty. */
char *challenge_dns01_record_name(const char *identifier);

/* The http-01 path "/.well-known/acme-challenge/<token>". Newly allocated;
 * NULL if token is NULL or empty. */
char *challenge_http01_path(const char *token);

/* The http-01 URL "http://<identifier>/.well-known/acme-challenge/<token>".
 * Newly allocated; NULL if an argument is NULL or empty. */
char *challenge_http01_url(const char *identifier, const char *token);

/* The tls-alpn-01 acmeIdentifier extension value (RFC 8737): SHA-256 of the
 * key authorization, as lower-case hex into out (at least
 * CHALLENGE_SHA256_HEX_BUF bytes). Returns 0 or -1 as above. */
int challenge_tlsalpn01_digest_hex(const char *key_authorization, char *out, size_t size);

#endif
