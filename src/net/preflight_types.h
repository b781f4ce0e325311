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
#define PREFLIGHT_DNS_ROWS_MAX 16  /* authoritative server addresses asked by dns-01 */

/* dns-01: what one authoritative server address of the zone served. */
struct preflight_dns_row {
    char server[PREFLIGHT_TEXT_MAX];   /* "127.0.0.2 (ns2.example.test)" */
    enum preflight_status status;      /* OK: serves the value */
    char detail[PREFLIGHT_TEXT_MAX];   /* "serves the value", "serves \"x\"",
                                          "no TXT record", "no answer within 2 s" */
    long ttl;                          /* of the TXT records served, -1 if none */
};

struct preflight_result {
    enum preflight_status status;
    char expected[PREFLIGHT_TEXT_MAX]; /* what the CA will look for */
    char found[PREFLIGHT_TEXT_MAX];    /* what was there: sanitized, cut ("..." at the end);
                                          "" when unreachable */
    char why[PREFLIGHT_WHY_MAX];       /* one sentence, for OK too */
    char where[PREFLIGHT_TEXT_MAX];    /* what was asked: the final URL, "TXT
                                          _acme-challenge.x via 127.0.0.1:8053",
                                          "x:443 (127.0.0.1)" */
    /* dns-01 without a dns_server override: each authoritative server
       address of the zone, and what the recursive resolver answered */
    size_t dns_row_count;
    struct preflight_dns_row dns_rows[PREFLIGHT_DNS_ROWS_MAX];
    char recursive[PREFLIGHT_TEXT_MAX]; /* "\"v\" (TTL 60) from 10.0.0.1", "" */
};

/* Owned settings of the checks (copy them into a job for another thread). */
struct preflight_options {
    long timeout_ms;            /* per check, whole check included; default 5000 */
    int http01_port;            /* default 80 (pebble in the demo: its httpPort); the
                                   CA's http port: http-01 redirects may go there */
    int tlsalpn01_port;         /* default 443; the CA's https port: http-01
                                   redirects may go there too */
    char *dns_server;           /* "HOST[:PORT]" (port 53 by default): ask only that
                                   server; NULL: find the zone's authoritative
                                   servers through the system resolver
                                   (/etc/resolv.conf) and ask each of them */
    /* Tests only (no setting reaches them): the recursive resolver
       "HOST[:PORT]" used instead of /etc/resolv.conf, and where the
       authoritative servers are really asked, "ADDR=HOST:PORT[,...]" (a
       nameserver address not listed is asked at ADDR port 53), so that a
       test zone's nameservers 127.0.0.1 and 127.0.0.2 can be two BIND9s on
       free ports of 127.0.0.1. */
    char *test_resolver;
    char *test_ns_routes;
    struct resolve_map resolve; /* host -> address overrides for http-01 (every
                                   hop) and tls-alpn-01; empty = system resolver */
};

#endif
