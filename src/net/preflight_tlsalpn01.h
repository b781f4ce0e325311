/* preflight_tlsalpn01: the tls-alpn-01 pre-flight check (RFC 8737; see
 * preflight.h for the family).  TLS to <identifier>:port with SNI and ALPN
 * acme-tls/1; the self-signed certificate must name exactly the identifier
 * and carry the critical id-pe-acmeIdentifier extension holding
 * SHA-256(key authorization). */
#ifndef ACMETOP_NET_PREFLIGHT_TLSALPN01_H
#define ACMETOP_NET_PREFLIGHT_TLSALPN01_H

#include "net/preflight_types.h"

/* Fills *out and returns out->status.  Bad arguments (NULL, empty, a
 * wildcard identifier) give PREFLIGHT_UNREACHABLE with a why starting
 * "cannot check". o may be NULL (defaults). */
enum preflight_status preflight_tlsalpn01(const struct preflight_options *o,
                                          const char *identifier, const char *key_authorization,
                                          struct preflight_result *out);

#endif
