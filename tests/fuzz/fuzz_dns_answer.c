/* fuzz_dns_answer: the DNS side of the dns-01 pre-flight check
 * (net/preflight_dns01.c sends; model/dns_txt.c builds the query with ldns,
 * checks a reply parsed by ldns answers it, and reads the reply).
 * Byte 0 picks what the rest is:
 *   even: a DNS message from the network, as the reply to TXT
 *         _acme-challenge.example.com (the query ID is taken from the
 *         message, so the ID check passes; the same message with another
 *         ID must be refused), then read as every step of the check reads
 *         a reply: TXT values after the CNAME chain, the SOA's zone, NS
 *         names and A/AAAA addresses;
 *   odd:  an identifier from an order (Vault's text) made into the record
 *         name (challenge_dns01_record_name) and a query (dns_query_new),
 *         whose empty NOERROR answer must be accepted.
 * Checks: no crash, leak or read past the message; at most
 * DNS_TXT_MAX_RECORDS values and DNS_TXT_MAX_CNAMES hops, no value longer
 * than the message, each shown clean once through preflight_text_copy()
 * as the check's texts are; the rcode's name is clean. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "model/challenge_value.h"
#include "model/dns_txt.h"
#include "net/preflight_result.h"

#define NAME "_acme-challenge.example.com"

static void check_shown(const char *text, size_t max, const char *what)
{
    char shown[256];
    size_t l = strlen(text);
    FUZZ_CHECK(l <= max, "%s of %zu bytes from a message of %zu", what, l, max);
    preflight_text_copy(shown, sizeof shown, text, l);
    FUZZ_CHECK_TEXT(shown, what);
}

static void answer(const unsigned char *msg, size_t len)
{
    uint16_t id = len >= 2 ? (uint16_t)(msg[0] << 8 | msg[1]) : 0;
    ldns_pkt *q = dns_query_new(NAME, LDNS_RR_TYPE_TXT, true, id);
    FUZZ_CHECK(q, "no query for " NAME);
    ldns_pkt *reply = NULL;
    struct parse_error err = {.message = ""};
    if (dns_reply_parse(msg, len, q, &reply, &err) != 0) {
        FUZZ_CHECK(err.message[0], "a reply refused without a reason");
        FUZZ_CHECK(!reply, "a refused reply kept");
        ldns_pkt_free(q);
        return;
    }
    struct dns_txt_answer a;
    dns_txt_answer_read(reply, NAME, &a);
    FUZZ_CHECK(a.count <= DNS_TXT_MAX_RECORDS, "%zu TXT values", a.count);
    FUZZ_CHECK(a.count == 0 || a.values, "values: NULL array");
    FUZZ_CHECK(a.cname_count <= DNS_TXT_MAX_CNAMES, "%zu CNAME hops", a.cname_count);
    FUZZ_CHECK(a.target, "no final name");
    FUZZ_CHECK((a.count == 0) == (a.ttl < 0), "TTL %ld with %zu values", a.ttl, a.count);
    for (size_t i = 0; i < a.count; i++)
        check_shown(a.values[i], len, "a TXT value");
    check_shown(a.target, 4 * len + 256, "the final name"); /* \DDD escapes */
    char buf[32];
    FUZZ_CHECK_TEXT(dns_rcode_name(a.rcode, buf, sizeof buf), "the rcode's name");

    char *zone = dns_reply_soa_zone(reply);
    if (zone)
        check_shown(zone, 4 * len + 256, "the SOA's zone");
    free(zone);
    static const ldns_rr_type types[] = {LDNS_RR_TYPE_NS, LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA};
    for (size_t t = 0; t < 3; t++) {
        char *recs[8];
        size_t n = dns_reply_records(reply, a.target, types[t], recs, 8);
        FUZZ_CHECK(n <= 8, "%zu records into 8", n);
        for (size_t i = 0; i < n; i++) {
            check_shown(recs[i], 4 * len + 256, "a record");
            free(recs[i]);
        }
    }
    dns_txt_answer_free(&a);
    ldns_pkt_free(reply);
    ldns_pkt_free(q);

    q = dns_query_new(NAME, LDNS_RR_TYPE_TXT, true, (uint16_t)(id + 1));
    FUZZ_CHECK(dns_reply_parse(msg, len, q, &reply, &err) != 0,
               "a reply with another query ID is accepted");
    ldns_pkt_free(q);
}

static void query(const uint8_t *data, size_t size)
{
    char *identifier = fuzz_cstring(data, size);
    char *name = challenge_dns01_record_name(identifier);
    if (!name) {
        FUZZ_CHECK(!identifier[0], "no record name for \"%s\"", identifier);
        free(identifier);
        return;
    }
    ldns_pkt *q = dns_query_new(name, LDNS_RR_TYPE_TXT, true, 0x1234);
    uint8_t *wire = NULL;
    size_t n = 0;
    if (q && ldns_pkt2wire(&wire, q, &n) == LDNS_STATUS_OK) {
        FUZZ_CHECK(n >= 12 && n <= 512, "a query of %zu bytes", n);
        wire[2] |= 0x80; /* QR: the server's empty NOERROR answer */
        ldns_pkt *reply = NULL;
        struct parse_error err = {.message = ""};
        FUZZ_CHECK(dns_reply_parse(wire, n, q, &reply, &err) == 0,
                   "the empty answer to our own query for \"%s\" is refused: %s", name,
                   err.message);
        struct dns_txt_answer a;
        dns_txt_answer_read(reply, name, &a);
        FUZZ_CHECK(a.count == 0 && a.rcode == 0 && a.cname_count == 0,
                   "an empty answer has values");
        dns_txt_answer_free(&a);
        ldns_pkt_free(reply);
    }
    free(wire);
    ldns_pkt_free(q);
    free(name);
    free(identifier);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1) {
        query(data + 1, size - 1);
    } else {
        unsigned char *msg = (unsigned char *)fuzz_bytes(data + 1, size - 1);
        answer(msg, size - 1);
        free(msg);
    }
    return 0;
}
