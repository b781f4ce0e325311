/* preflight_dns01: the dns-01 pre-flight check (see preflight.h for the
 * family).  TXT _acme-challenge.<name> ("*.x" -> x), with its CNAME
 * followed as the CA does, asked of every authoritative server of the zone
 * (found by an SOA walk and its NS set), or only of a given DNS server; one
 * of the TXT records must be base64url(SHA-256(key authorization)). */
#ifndef ACMETOP_NET_PREFLIGHT_DNS01_H
#define ACMETOP_NET_PREFLIGHT_DNS01_H

#include <stddef.h>

#include "net/preflight_types.h"

/* Fills *out and returns out->status.  Bad arguments (NULL, empty) give
 * PREFLIGHT_UNREACHABLE with a why starting "cannot check". o may be NULL
 * (defaults).  Without o->dns_server: out->dns_rows holds one row per
 * authoritative server address, out->recursive the recursive answer, and
 * the status is OK only when every row is OK. */
enum preflight_status preflight_dns01(const struct preflight_options *o, const char *identifier,
                                      const char *key_authorization,
                                      struct preflight_result *out);

/* The rows and the recursive answer of r as lines for the console (""
 * when r has none): "  127.0.0.2 (ns2.x.test)  mismatch    serves \"v\", TTL 60". */
void preflight_dns01_rows_text(const struct preflight_result *r, char *buf, size_t size);

#endif
