/* preflight_dns01: the dns-01 pre-flight check (see preflight.h for the
 * family).  TXT _acme-challenge.<name> ("*.x" -> x) through the system
 * resolver or a given DNS server; one of the TXT records must be
 * base64url(SHA-256(key authorization)). */
#ifndef ACMETOP_NET_PREFLIGHT_DNS01_H
#define ACMETOP_NET_PREFLIGHT_DNS01_H

#include "net/preflight_types.h"

/* Fills *out and returns out->status.  Bad arguments (NULL, empty) give
 * PREFLIGHT_UNREACHABLE with a why starting "cannot check". o may be NULL
 * (defaults). */
enum preflight_status preflight_dns01(const struct preflight_options *o, const char *identifier,
                                      const char *key_authorization,
                                      struct preflight_result *out);

#endif
