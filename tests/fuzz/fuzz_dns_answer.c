/* fuzz_dns_answer: the DNS side of the dns-01 pre-flight check
 * (net/preflight_dns01.c sends, model/dns_txt.c builds and parses).
 * Byte 0 picks what the rest is:
 *   even: a DNS message from the network, parsed by dns_txt_answer_parse()
 *         as the answer to TXT _acme-challenge.example.com (the query ID is
 *         taken from the message, so the ID check passes; the same message
 *         with another ID must be refused);
 *   odd:  an identifier from an order (Vault's text) made into the record
 *         name (challenge_dns01_record_name) and a query
 *         (dns_txt_query_build), whose empty NOERROR answer must parse.
 * Checks: no crash, leak or read past the message; at most
 * DNS_TXT_MAX_RECORDS values, none longer than the message, each shown
 * clean once through preflight_text_copy() as the check's "found" text is;
 * the rcode's name is clean; a query fits 512 bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "model/challenge_value.h"
#include "model/dns_txt.h"
#include "net/preflight_result.h"

#define NAME "_acme-challenge.example.com"

static void answer(const unsigned char *msg, size_t len)
{
    uint16_t id = len >= 2 ? (uint16_t)(msg[0] << 8 | msg[1]) : 0;
    struct dns_txt_answer a;
    struct parse_error err = {.message = ""};
    if (dns_txt_answer_parse(msg, len, id, NAME, &a, &err) != 0) {
        FUZZ_CHECK(err.message[0], "an answer refused without a reason");
        FUZZ_CHECK(a.count == 0 && !a.values, "a refused answer kept values");
        return;
    }
    FUZZ_CHECK(a.count <= DNS_TXT_MAX_RECORDS, "%zu TXT values", a.count);
    FUZZ_CHECK(a.count == 0 || a.values, "values: NULL array");
    char shown[256], buf[32];
    for (size_t i = 0; i < a.count; i++) {
        size_t vl = strlen(a.values[i]);
        FUZZ_CHECK(vl <= len, "a TXT value of %zu bytes from a message of %zu", vl, len);
        preflight_text_copy(shown, sizeof shown, a.values[i], vl);
        FUZZ_CHECK_TEXT(shown, "a TXT value as shown");
    }
    FUZZ_CHECK_TEXT(dns_rcode_name(a.rcode, buf, sizeof buf), "the rcode's name");
    dns_txt_answer_free(&a);

    struct dns_txt_answer other;
    FUZZ_CHECK(dns_txt_answer_parse(msg, len, (uint16_t)(id + 1), NAME, &other, &err) != 0,
               "an answer with another query ID is accepted");
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
    unsigned char q[512];
    int n = dns_txt_query_build(name, 0x1234, q, sizeof q);
    if (n >= 0) {
        FUZZ_CHECK(n >= 12 && (size_t)n <= sizeof q, "a query of %d bytes", n);
        q[2] |= 0x80; /* QR: the server's empty NOERROR answer */
        struct dns_txt_answer a;
        struct parse_error err = {.message = ""};
        FUZZ_CHECK(dns_txt_answer_parse(q, (size_t)n, 0x1234, name, &a, &err) == 0,
                   "the empty answer to our own query for \"%s\" is refused: %s", name,
                   err.message);
        FUZZ_CHECK(a.count == 0 && a.rcode == 0, "an empty answer has values");
        dns_txt_answer_free(&a);
    }
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
