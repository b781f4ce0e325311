/* preflight_http01: the http-01 pre-flight check (see preflight.h for the
 * family).  GET http://<identifier>[:port]/.well-known/acme-challenge/<token>
 * with redirects followed like a CA, and compare the body with the key
 * authorization.  A redirect the CA would not follow (not http or https,
 * another port than the CA's 80 and 443, an IP address, the 11th) is a
 * mismatch that says why; its target is never fetched. */
#ifndef ACMETOP_NET_PREFLIGHT_HTTP01_H
#define ACMETOP_NET_PREFLIGHT_HTTP01_H

#include "net/preflight_types.h"

/* Fills *out and returns out->status.  Bad arguments (NULL, empty, a
 * wildcard identifier) give PREFLIGHT_UNREACHABLE with a why starting
 * "cannot check". o may be NULL (defaults).  Needs curl_global_init()
 * done once before. */
enum preflight_status preflight_http01(const struct preflight_options *o, const char *identifier,
                                       const char *token, const char *key_authorization,
                                       struct preflight_result *out);

#endif
