/* preflight: is a challenge really deployed?  Checked from here, the way
 * the CA will check it, before the operator marks it fulfilled (a CA that
 * validates too early fails the whole order for good).
 *
 *   http-01      GET http://<identifier>[:port]/.well-known/acme-challenge/<token>
 *                (libcurl, redirects followed like a CA, up to 10) and compare the
 *                body with the key authorization           (preflight_http01.c)
 *   dns-01       TXT _acme-challenge.<name> ("*.x" -> x), its CNAME followed,
 *                asked of every authoritative server of the zone (or only of
 *                a given DNS server); one of the TXT records must be
 *                base64url(SHA-256(key authorization)) on each  (preflight_dns01.c)
 *   tls-alpn-01  TLS to <identifier>:port with SNI and ALPN acme-tls/1; the
 *                self-signed certificate must name exactly the identifier and
 *                carry the critical id-pe-acmeIdentifier extension holding
 *                SHA-256(key authorization)                  (preflight_tlsalpn01.c)
 *
 * Every check is blocking and bounded by options.timeout_ms (default 5 s):
 * call it from a thread that may wait that long (the worker, or a thread of
 * its own), never from the UI thread.  The functions keep no global state
 * and may run concurrently; http-01 needs curl_global_init() done once
 * before (vault_client_global_init() does it).  Nothing of Vault's (token,
 * namespace, headers) is ever sent: each check is a fresh connection to
 * the identifier's host only.  Text that came from the checked host is
 * sanitized and cut before it is stored in the result. */
#ifndef ACMETOP_NET_PREFLIGHT_H
#define ACMETOP_NET_PREFLIGHT_H

/* The types the family shares, and each check (callable on its own). */
#include "net/preflight_dns01.h"
#include "net/preflight_http01.h"
#include "net/preflight_tlsalpn01.h"
#include "net/preflight_types.h"

void preflight_options_init(struct preflight_options *o);  /* the defaults */
void preflight_options_free(struct preflight_options *o);  /* contents; re-inits */
void preflight_options_copy(struct preflight_options *dst, const struct preflight_options *src);

/* Dispatch on the challenge type name ("http-01", "dns-01", "tls-alpn-01";
 * token only matters for http-01).  An unknown type: UNREACHABLE, "cannot
 * check". */
enum preflight_status preflight_run(const struct preflight_options *o, const char *challenge_type,
                                    const char *identifier, const char *token,
                                    const char *key_authorization, struct preflight_result *out);

#endif
