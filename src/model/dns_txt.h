/* dns_txt: one DNS question and what its reply says, for the dns-01
 * pre-flight check.  The wire format is ldns's (queries built with
 * ldns_pkt_query_new, replies parsed with ldns_wire2pkt); here: the query we
 * send, whether a reply from the network answers it, and reading the reply
 * (TXT values after the answer's CNAME chain, the zone an SOA names, the
 * records of a name).  Pure functions on packets: the network side
 * (net/preflight_dns01.c) sends and receives.  Replies come from the
 * network, so nothing in them is trusted: CNAME chains are followed a
 * bounded number of times and record counts are capped. */
#ifndef ACMETOP_DNS_TXT_H
#define ACMETOP_DNS_TXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "model/parse_error.h"

#define DNS_TXT_MAX_RECORDS 64   /* records kept from one reply */
#define DNS_TXT_UDP_SIZE 1232    /* EDNS0 payload size we announce */
#define DNS_TXT_MAX_CNAMES 8     /* CNAME hops followed inside one answer */

/* A query for type/IN of name (a trailing '.' optional), recursion desired
 * when rd, with an EDNS0 OPT record announcing DNS_TXT_UDP_SIZE.  NULL when
 * the name is not a valid DNS name (empty label, label > 63 bytes, name
 * too long).  Free with ldns_pkt_free(). */
ldns_pkt *dns_query_new(const char *name, ldns_rr_type type, bool rd, uint16_t id);

/* Parse msg as the reply to query q.  Returns 0 with *out (free with
 * ldns_pkt_free), or -1 with err saying why it is unusable: not a DNS
 * message, not a response, another ID, another question. */
int dns_reply_parse(const unsigned char *msg, size_t len, const ldns_pkt *q, ldns_pkt **out,
                    struct parse_error *err);

struct dns_txt_answer {
    int rcode;          /* header RCODE */
    bool truncated;     /* TC: ask again over TCP */
    char **values;      /* one per TXT record of the final name, its
                           character-strings concatenated; raw server bytes:
                           NUL becomes '?', nothing else is changed, so
                           sanitize before drawing */
    size_t count;
    long ttl;           /* the smallest TTL of those records, -1 if none */
    size_t cname_count; /* CNAME hops followed in the answer section */
    char *target;       /* the final name ("x.test", no trailing dot) */
};

void dns_txt_answer_init(struct dns_txt_answer *a);
void dns_txt_answer_free(struct dns_txt_answer *a); /* contents; re-inits */

/* What reply says about TXT of name: the CNAME chain from name in the
 * answer section followed (up to DNS_TXT_MAX_CNAMES hops), then the TXT
 * records of the final name (up to DNS_TXT_MAX_RECORDS). */
void dns_txt_answer_read(const ldns_pkt *reply, const char *name, struct dns_txt_answer *out);

/* The records of type owned by owner in the answer and additional
 * sections, as text: names without the trailing dot (NS, CNAME), addresses
 * (A, AAAA).  Returns how many were stored in out (at most max, each
 * malloc'ed). */
size_t dns_reply_records(const ldns_pkt *reply, const char *owner, ldns_rr_type type,
                         char **out, size_t max);

/* The owner of an SOA record in the answer or authority section (the zone
 * a server says the name is in), malloc'ed without the trailing dot, or
 * NULL. */
char *dns_reply_soa_zone(const ldns_pkt *reply);

/* "NXDOMAIN", "SERVFAIL", ... or "RCODE 9". Static string or buf. */
const char *dns_rcode_name(int rcode, char *buf, size_t size);

#endif
