/* preflight_types: what the pre-flight family shares, the dispatcher
 * (preflight.c) and each check (preflight_http01.c, preflight_dns01.c,
 * preflight_tlsalpn01.c) alike: the outcome, the result a check fills, the
 * options it reads, and their limits.  Types only; the console reaches them
 * through preflight.h. */
#ifndef ACMETOP_NET_PREFLIGHT_TYPES_H
#define ACMETOP_NET_PREFLIGHT_TYPES_H

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
#define PREFLIGHT_MAX_REDIRECTS 10 /* followed, like Let's Encrypt; one more is a mismatch */

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
    int http01_port;            /* default 80 (pebble in the demo: its httpPort); the
                                   CA's http port: http-01 redirects may go there */
    int tlsalpn01_port;         /* default 443; the CA's https port: http-01
                                   redirects may go there too */
    char *dns_server;           /* "HOST[:PORT]" (port 53 by default), or NULL:
                                   the system resolver (/etc/resolv.conf) */
    struct resolve_map resolve; /* host -> address overrides for http-01 (every
                                   hop) and tls-alpn-01; empty = system resolver */
};

#endif
