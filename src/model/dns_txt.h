/* dns_txt: the DNS wire format of one TXT question and its answer
 * (RFC 1035 §4, RFC 6891 for the EDNS0 OPT record), for the dns-01
 * pre-flight check.  Pure functions on byte buffers: the network side
 * (net/preflight_dns01.c) sends and receives, this file builds and parses.
 * The answer comes from the network, so the parser trusts nothing: every
 * length is checked against the buffer, compression pointers are followed
 * a bounded number of times, and record counts are capped. */
#ifndef ACMETOP_DNS_TXT_H
#define ACMETOP_DNS_TXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/parse_error.h"

#define DNS_TXT_MAX_RECORDS 64   /* TXT records kept from one answer */
#define DNS_TXT_UDP_SIZE 1232    /* EDNS0 payload size we announce */

/* RCODEs worth naming (RFC 1035, 6895). */
enum dns_rcode {
    DNS_RCODE_NOERROR = 0,
    DNS_RCODE_FORMERR = 1,
    DNS_RCODE_SERVFAIL = 2,
    DNS_RCODE_NXDOMAIN = 3,
    DNS_RCODE_NOTIMP = 4,
    DNS_RCODE_REFUSED = 5,
};

struct dns_txt_answer {
    int rcode;         /* header RCODE */
    bool truncated;    /* TC: ask again over TCP */
    char **values;     /* one per TXT record of the answer section, its
                          character-strings concatenated (RFC 7208 §3.3 style);
                          raw server bytes: NUL becomes '?', nothing else is
                          changed, so sanitize before drawing */
    size_t count;
    size_t cname_count; /* CNAME records seen in the answer section */
};

void dns_txt_answer_init(struct dns_txt_answer *a);
void dns_txt_answer_free(struct dns_txt_answer *a); /* contents; re-inits */

/* A query for TXT/IN of name (a trailing '.' optional), recursion desired,
 * with an EDNS0 OPT record announcing DNS_TXT_UDP_SIZE.  Writes into out and
 * returns its length, or -1 when the name is not a valid DNS name (empty
 * label, label > 63 bytes, name > 253 bytes) or out is too small (512 bytes
 * is always enough). */
int dns_txt_query_build(const char *name, uint16_t id, unsigned char *out, size_t size);

/* Parse the answer to the query (id, name) built above.  Returns 0 with *out
 * filled (the caller then looks at rcode / truncated / values), or -1 with
 * err saying why the message is unusable: too short, not a response, another
 * ID, another question, a record running past the end. */
int dns_txt_answer_parse(const unsigned char *msg, size_t len, uint16_t id, const char *name,
                         struct dns_txt_answer *out, struct parse_error *err);

/* "NXDOMAIN", "SERVFAIL", ... or "RCODE 9". Static string or buf. */
const char *dns_rcode_name(int rcode, char *buf, size_t size);

#endif
