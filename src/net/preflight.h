/* preflight: is a challenge really deployed?  Checked from here, the way
 * the CA will check it, before the operator marks it fulfilled (a CA that
 * validates too early fails the whole order for good).
 *
 *   http-01      GET http://<identifier>[:port]/.well-known/acme-challenge/<token>
 *                (libcurl, redirects followed like a CA, up to 10) and compare the
 *                body with the key authorization           (preflight_http01.c)
 *   dns-01       TXT _acme-challenge.<name> ("*.x" -> x) through the system
 *                resolver or a given DNS server; one of the TXT records must be
 *                base64url(SHA-256(key authorization))      (preflight_dns01.c)
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

#include "model/resolve_map.h"

enum preflight_status {
    PREFLIGHT_OK,          /* deployed as the CA will want it */
    PREFLIGHT_MISMATCH,    /* reached, but the answer is not the expected one */
    PREFLIGHT_UNREACHABLE, /* no answer to compare: see why */
};

#define PREFLIGHT_TEXT_MAX 256
#define PREFLIGHT_WHY_MAX 512
#define PREFLIGHT_DEFAULT_TIMEOUT_MS 5000
#define PREFLIGHT_HTTP_BODY_MAX 8192 /* bytes of an http-01 answer looked at */
#define PREFLIGHT_MAX_REDIRECTS 10

struct preflight_result {
    enum preflight_status status;
    char expected[PREFLIGHT_TEXT_MAX]; /* what the CA will look for */
    char found[PREFLIGHT_TEXT_MAX];    /* what was there: sanitized, cut ("..." at the end);
                                          "" when unreachable */
    char why[PREFLIGHT_WHY_MAX];       /* one sentence, for OK too */
    char where[PREFLIGHT_TEXT_MAX];    /* what was asked: the final URL, "TXT
                                          _acme-challenge.x via 127.0.0.1:8053",
                                          "x:443 (127.0.0.1)" */
};

/* Owned settings of the checks (copy them into a job for another thread). */
struct preflight_options {
    long timeout_ms;            /* per check, whole check included; default 5000 */
    int http01_port;            /* default 80 (pebble in the demo: its httpPort) */
    int tlsalpn01_port;         /* default 443 */
    char *dns_server;           /* "HOST[:PORT]" (port 53 by default), or NULL:
                                   the system resolver (/etc/resolv.conf) */
    struct resolve_map resolve; /* host -> address overrides for http-01 (every
                                   hop) and tls-alpn-01; empty = system resolver */
};

void preflight_options_init(struct preflight_options *o);  /* the defaults */
void preflight_options_free(struct preflight_options *o);  /* contents; re-inits */
void preflight_options_copy(struct preflight_options *dst, const struct preflight_options *src);

/* Each fills *out and returns out->status.  Bad arguments (NULL, empty,
 * a wildcard for http-01 / tls-alpn-01) give PREFLIGHT_UNREACHABLE with a
 * why starting "cannot check". o may be NULL (defaults). */
enum preflight_status preflight_http01(const struct preflight_options *o, const char *identifier,
                                       const char *token, const char *key_authorization,
                                       struct preflight_result *out);
enum preflight_status preflight_dns01(const struct preflight_options *o, const char *identifier,
                                      const char *key_authorization,
                                      struct preflight_result *out);
enum preflight_status preflight_tlsalpn01(const struct preflight_options *o,
                                          const char *identifier, const char *key_authorization,
                                          struct preflight_result *out);

/* Dispatch on the challenge type name ("http-01", "dns-01", "tls-alpn-01";
 * token only matters for http-01).  An unknown type: UNREACHABLE, "cannot
 * check". */
enum preflight_status preflight_run(const struct preflight_options *o, const char *challenge_type,
                                    const char *identifier, const char *token,
                                    const char *key_authorization, struct preflight_result *out);

/* "OK", "mismatch", "unreachable". */
const char *preflight_status_name(enum preflight_status s);

#endif
