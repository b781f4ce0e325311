/* test_preflight_values: the values behind the pre-flight checks, without
 * a network: the dns-01 question acmetop sends (record name, wildcards,
 * wire format through ldns), how it reads the answers a DNS server may send
 * (multi-string TXT records against API.md's vector, several records,
 * NXDOMAIN, truncation, CNAME chains and loops, the zone of an SOA, NS sets
 * and their glue, and hostile packets: compression loops, records running
 * past the end, another ID), the rows of the dialog, the host -> address
 * overrides, and HOST:PORT
 * parsing for the listen address and the DNS server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/challenge_value.h"
#include "model/dns_txt.h"
#include "model/host_port.h"
#include "model/resolve_map.h"
#include "net/preflight_dns01.h"

#define KEYAUTH "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"
#define VECTOR "lCM7cZyQXcVHK2nnW3jjAhNT3Fvm18UN-kWZZknKoYM"

/* ---- a tiny DNS answer builder for the tests ---------------------------- */

struct pkt {
    unsigned char b[2048];
    size_t n;
};

static void p16(struct pkt *p, unsigned v)
{
    p->b[p->n++] = (unsigned char)(v >> 8);
    p->b[p->n++] = (unsigned char)v;
}

static void pname(struct pkt *p, const char *name)
{
    while (*name) {
        const char *dot = strchr(name, '.');
        size_t l = dot ? (size_t)(dot - name) : strlen(name);
        p->b[p->n++] = (unsigned char)l;
        memcpy(p->b + p->n, name, l);
        p->n += l;
        name += l + (dot ? 1 : 0);
    }
    p->b[p->n++] = 0;
}

/* header (counts: questions 1, an answers, ns authority) + the question */
static void reply_start(struct pkt *p, uint16_t id, unsigned flags, unsigned an, unsigned ns,
                        const char *qname, unsigned qtype)
{
    memset(p, 0, sizeof *p);
    p16(p, id);
    p16(p, flags);
    p16(p, 1);
    p16(p, an);
    p16(p, ns);
    p16(p, 0);
    pname(p, qname);
    p16(p, qtype);
    p16(p, 1);
}

static void answer_start(struct pkt *p, uint16_t id, unsigned flags, unsigned ancount,
                         const char *qname)
{
    reply_start(p, id, flags, ancount, 0, qname, 16);
}

/* a record: owner NULL = a pointer to the question name (offset 12) */
static void record(struct pkt *p, const char *owner, unsigned type, unsigned ttl,
                   const unsigned char *rdata, size_t rdlen)
{
    if (owner)
        pname(p, owner);
    else
        p16(p, 0xC00C);
    p16(p, type);
    p16(p, 1);
    p16(p, ttl >> 16);
    p16(p, ttl & 0xFFFF);
    p16(p, (unsigned)rdlen);
    memcpy(p->b + p->n, rdata, rdlen);
    p->n += rdlen;
}

/* a TXT record of the question name */
static void txt_record(struct pkt *p, const char *const *strings, size_t n)
{
    unsigned char rd[512];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        rd[k++] = (unsigned char)strlen(strings[i]);
        memcpy(rd + k, strings[i], strlen(strings[i]));
        k += strlen(strings[i]);
    }
    record(p, NULL, 16, 60, rd, k);
}

/* a record whose rdata is one name (CNAME, NS) */
static void name_record(struct pkt *p, const char *owner, unsigned type, const char *target)
{
    struct pkt n = {.n = 0};
    pname(&n, target);
    record(p, owner, type, 300, n.b, n.n);
}

/* Parse p as the reply to TXT/IN name with id, and read its TXT values. */
static int read_txt(const struct pkt *p, uint16_t id, const char *name, struct dns_txt_answer *a,
                    struct parse_error *err)
{
    ldns_pkt *q = dns_query_new(name, LDNS_RR_TYPE_TXT, true, id);
    assert_non_null(q);
    ldns_pkt *reply = NULL;
    int rc = dns_reply_parse(p->b, p->n, q, &reply, err);
    dns_txt_answer_init(a);
    if (rc == 0) {
        dns_txt_answer_read(reply, name, a);
        ldns_pkt_free(reply);
    } else {
        assert_null(reply);
    }
    ldns_pkt_free(q);
    return rc;
}

/* ---- the question -------------------------------------------------------- */

static void test_query_for_wildcard_asks_base_name(void **state)
{
    (void)state;
    char *name = challenge_dns01_record_name("*.apps.example.io");
    ldns_pkt *pk = dns_query_new(name, LDNS_RR_TYPE_TXT, true, 0xBEEF);
    assert_non_null(pk);
    uint8_t *q = NULL;
    size_t n = 0;
    assert_int_equal(ldns_pkt2wire(&q, pk, &n), LDNS_STATUS_OK);
    assert_true(n > 12);
    static const unsigned char expect_name[] = "\x0f_acme-challenge\x04" "apps\x07" "example\x02io";
    assert_int_equal(q[0], 0xBE);
    assert_int_equal(q[1], 0xEF);
    assert_int_equal(q[2] & 0x01, 0x01); /* recursion desired */
    assert_int_equal(q[5], 1);           /* one question */
    assert_memory_equal(q + 12, expect_name, sizeof expect_name); /* incl. the root label */
    size_t qt = 12 + sizeof expect_name;
    assert_int_equal(q[qt] << 8 | q[qt + 1], 16); /* TXT */
    assert_int_equal(q[qt + 2] << 8 | q[qt + 3], 1); /* IN */
    assert_int_equal(q[qt + 4 + 1] << 8 | q[qt + 4 + 2], 41); /* then the EDNS0 OPT record */
    assert_int_equal(q[qt + 4 + 3] << 8 | q[qt + 4 + 4], DNS_TXT_UDP_SIZE);
    free(q);
    ldns_pkt_free(pk);
    /* the questions to authoritative servers: no recursion desired */
    pk = dns_query_new(name, LDNS_RR_TYPE_TXT, false, 1);
    assert_int_equal(ldns_pkt2wire(&q, pk, &n), LDNS_STATUS_OK);
    assert_int_equal(q[2] & 0x01, 0);
    free(q);
    ldns_pkt_free(pk);
    free(name);
}

static void test_query_refuses_bad_names(void **state)
{
    (void)state;
    char label64[80];
    memset(label64, 'a', 64);
    strcpy(label64 + 64, ".test");
    assert_null(dns_query_new(label64, LDNS_RR_TYPE_TXT, true, 1));
    assert_null(dns_query_new("a..b", LDNS_RR_TYPE_TXT, true, 1));
    assert_null(dns_query_new("", LDNS_RR_TYPE_TXT, true, 1));
    char long_name[300];
    for (int i = 0; i < 290; i += 2)
        memcpy(long_name + i, "a.", 2);
    strcpy(long_name + 290, "test");
    assert_null(dns_query_new(long_name, LDNS_RR_TYPE_TXT, true, 1));
    ldns_pkt *ok = dns_query_new("_acme-challenge.x.test.", LDNS_RR_TYPE_TXT, true, 1);
    assert_non_null(ok);
    ldns_pkt_free(ok);
}

/* ---- the answer ------------------------------------------------------------ */

static void test_multi_string_txt_is_concatenated_to_the_vector(void **state)
{
    (void)state;
    char value[CHALLENGE_DNS01_VALUE_BUF];
    assert_int_equal(challenge_dns01_txt_value(KEYAUTH, value, sizeof value), 0);
    assert_string_equal(value, VECTOR);
    struct pkt p;
    const char *name = "_acme-challenge.www.example.com";
    answer_start(&p, 7, 0x8180, 2, name);
    txt_record(&p, (const char *[]){"v=other"}, 1);
    txt_record(&p, (const char *[]){"lCM7cZyQXcVHK2nnW3jjAh", "NT3Fvm18UN-kWZZknKoYM"}, 2);
    struct dns_txt_answer a;
    struct parse_error err;
    assert_int_equal(read_txt(&p, 7, name, &a, &err), 0);
    assert_int_equal(a.rcode, LDNS_RCODE_NOERROR);
    assert_false(a.truncated);
    assert_int_equal(a.count, 2);
    assert_string_equal(a.values[0], "v=other");
    assert_string_equal(a.values[1], value);
    assert_int_equal(a.ttl, 60);
    assert_int_equal(a.cname_count, 0);
    assert_string_equal(a.target, name);
    dns_txt_answer_free(&a);
    /* the question name is compared case-insensitively, trailing dot ignored */
    assert_int_equal(read_txt(&p, 7, "_ACME-challenge.WWW.example.com.", &a, &err), 0);
    assert_int_equal(a.count, 2);
    dns_txt_answer_free(&a);
}

static void test_nxdomain_and_truncation_are_reported(void **state)
{
    (void)state;
    struct pkt p;
    struct dns_txt_answer a;
    struct parse_error err;
    answer_start(&p, 9, 0x8183, 0, "_acme-challenge.gone.test");
    assert_int_equal(read_txt(&p, 9, "_acme-challenge.gone.test", &a, &err), 0);
    assert_int_equal(a.rcode, LDNS_RCODE_NXDOMAIN);
    assert_int_equal(a.count, 0);
    assert_int_equal(a.ttl, -1);
    dns_txt_answer_free(&a);
    char buf[16];
    assert_string_equal(dns_rcode_name(LDNS_RCODE_NXDOMAIN, buf, sizeof buf), "NXDOMAIN");
    assert_string_equal(dns_rcode_name(LDNS_RCODE_SERVFAIL, buf, sizeof buf), "SERVFAIL");
    assert_string_equal(dns_rcode_name(11, buf, sizeof buf), "RCODE 11");

    /* TC set: usable, truncated (the caller asks again over TCP) */
    answer_start(&p, 10, 0x8380, 0, "_acme-challenge.big.test");
    assert_int_equal(read_txt(&p, 10, "_acme-challenge.big.test", &a, &err), 0);
    assert_true(a.truncated);
    dns_txt_answer_free(&a);
}

static void test_cname_chain_is_followed_and_bounded(void **state)
{
    (void)state;
    const char *name = "_acme-challenge.shop.test";
    struct pkt p;
    struct dns_txt_answer a;
    struct parse_error err;
    /* _acme-challenge.shop.test CNAME a.validation.test CNAME b.validation.test TXT */
    answer_start(&p, 5, 0x8180, 4, name);
    name_record(&p, "a.validation.test", 5, "b.validation.test");
    name_record(&p, name, 5, "a.validation.test");
    unsigned char rd[1 + 43] = {43};
    memcpy(rd + 1, VECTOR, 43);
    record(&p, "b.validation.test", 16, 120, rd, sizeof rd);
    record(&p, "elsewhere.test", 16, 120, (const unsigned char *)"\x05wrong", 6);
    assert_int_equal(read_txt(&p, 5, name, &a, &err), 0);
    assert_int_equal(a.cname_count, 2);
    assert_string_equal(a.target, "b.validation.test");
    assert_int_equal(a.count, 1); /* not the record of another name */
    assert_string_equal(a.values[0], VECTOR);
    assert_int_equal(a.ttl, 120);
    dns_txt_answer_free(&a);

    /* a CNAME loop: the walk stops after DNS_TXT_MAX_CNAMES hops */
    answer_start(&p, 6, 0x8180, 2, name);
    name_record(&p, name, 5, "loop.test");
    name_record(&p, "loop.test", 5, name);
    assert_int_equal(read_txt(&p, 6, name, &a, &err), 0);
    assert_int_equal(a.cname_count, DNS_TXT_MAX_CNAMES);
    assert_int_equal(a.count, 0);
    dns_txt_answer_free(&a);
}

static void test_zone_and_nameservers_are_read(void **state)
{
    (void)state;
    struct pkt p;
    struct parse_error err;
    /* NODATA for SOA of a name below the zone: the zone in the authority SOA */
    reply_start(&p, 3, 0x8580, 0, 1, "_acme-challenge.x.auth.test", 6);
    static const unsigned char soa_tail[20] = {0, 0, 0, 1, 0, 0, 0, 60, 0, 0, 0, 60,
                                               0, 0, 0, 60, 0, 0, 0, 60};
    struct pkt rd = {.n = 0};
    pname(&rd, "ns1.auth.test");
    pname(&rd, "admin.auth.test");
    memcpy(rd.b + rd.n, soa_tail, sizeof soa_tail);
    rd.n += sizeof soa_tail;
    record(&p, "Auth.Test", 6, 60, rd.b, rd.n);
    ldns_pkt *q = dns_query_new("_acme-challenge.x.auth.test", LDNS_RR_TYPE_SOA, true, 3);
    ldns_pkt *reply = NULL;
    assert_int_equal(dns_reply_parse(p.b, p.n, q, &reply, &err), 0);
    char *zone = dns_reply_soa_zone(reply);
    assert_string_equal(zone, "Auth.Test");
    free(zone);
    ldns_pkt_free(reply);
    ldns_pkt_free(q);
    /* the answer to TXT names no zone */
    answer_start(&p, 4, 0x8180, 0, "x.test");
    q = dns_query_new("x.test", LDNS_RR_TYPE_TXT, true, 4);
    assert_int_equal(dns_reply_parse(p.b, p.n, q, &reply, &err), 0);
    assert_null(dns_reply_soa_zone(reply));
    ldns_pkt_free(reply);
    ldns_pkt_free(q);

    /* NS set with glue in the additional section */
    reply_start(&p, 8, 0x8180, 2, 0, "auth.test", 2);
    p.b[11] = 1; /* one additional record */
    name_record(&p, NULL, 2, "ns1.auth.test");
    name_record(&p, NULL, 2, "ns2.auth.test");
    record(&p, "ns2.auth.test", 1, 60, (const unsigned char *)"\x7f\x00\x00\x02", 4);
    q = dns_query_new("auth.test", LDNS_RR_TYPE_NS, true, 8);
    assert_int_equal(dns_reply_parse(p.b, p.n, q, &reply, &err), 0);
    char *names[4];
    assert_int_equal(dns_reply_records(reply, "auth.test", LDNS_RR_TYPE_NS, names, 4), 2);
    assert_string_equal(names[0], "ns1.auth.test");
    assert_string_equal(names[1], "ns2.auth.test");
    free(names[0]);
    free(names[1]);
    assert_int_equal(dns_reply_records(reply, "ns1.auth.test", LDNS_RR_TYPE_A, names, 4), 0);
    assert_int_equal(dns_reply_records(reply, "NS2.auth.test", LDNS_RR_TYPE_A, names, 4), 1);
    assert_string_equal(names[0], "127.0.0.2");
    free(names[0]);
    /* at most max */
    assert_int_equal(dns_reply_records(reply, "auth.test", LDNS_RR_TYPE_NS, names, 1), 1);
    free(names[0]);
    ldns_pkt_free(reply);
    ldns_pkt_free(q);
}

static void test_hostile_answers_are_refused(void **state)
{
    (void)state;
    const char *name = "_acme-challenge.x.test";
    struct pkt p;
    struct dns_txt_answer a;
    struct parse_error err;

    /* another query ID: not our answer */
    answer_start(&p, 1, 0x8180, 1, name);
    txt_record(&p, (const char *[]){"v"}, 1);
    assert_int_equal(read_txt(&p, 2, name, &a, &err), -1);
    assert_non_null(strstr(err.message, "ID"));

    /* not a response (QR clear) */
    answer_start(&p, 1, 0x0100, 0, name);
    assert_int_equal(read_txt(&p, 1, name, &a, &err), -1);

    /* the answer to another question */
    answer_start(&p, 1, 0x8180, 0, "_acme-challenge.other.test");
    assert_int_equal(read_txt(&p, 1, name, &a, &err), -1);
    assert_non_null(strstr(err.message, "another question"));

    /* a record whose rdata runs past the end */
    answer_start(&p, 1, 0x8180, 1, name);
    txt_record(&p, (const char *[]){"abcdef"}, 1);
    p.n -= 3;
    assert_int_equal(read_txt(&p, 1, name, &a, &err), -1);
    assert_null(a.values);

    /* a TXT string length that runs past its rdata */
    answer_start(&p, 1, 0x8180, 1, name);
    txt_record(&p, (const char *[]){"abc"}, 1);
    p.b[p.n - 4] = 200;
    assert_int_equal(read_txt(&p, 1, name, &a, &err), -1);

    /* a compression pointer loop as the owner name: refused, not an endless loop */
    answer_start(&p, 1, 0x8180, 1, name);
    size_t loop_at = p.n;
    p16(&p, 0xC000 | (unsigned)loop_at); /* points at itself */
    p16(&p, 16);
    p16(&p, 1);
    p16(&p, 0);
    p16(&p, 60);
    p16(&p, 0);
    assert_int_equal(read_txt(&p, 1, name, &a, &err), -1);

    /* a pointer past the end */
    answer_start(&p, 1, 0x8180, 1, name);
    p16(&p, 0xC000 | 0x3FFF);
    assert_int_equal(read_txt(&p, 1, name, &a, &err), -1);

    /* too short to be DNS */
    p.n = 5;
    assert_int_equal(read_txt(&p, 1, name, &a, &err), -1);
    assert_non_null(strstr(err.message, "not a DNS message"));
}

static void test_nul_in_txt_cannot_fake_a_match(void **state)
{
    (void)state;
    const char *name = "_acme-challenge.x.test";
    struct pkt p;
    answer_start(&p, 3, 0x8180, 1, name);
    char s[64];
    snprintf(s, sizeof s, "%s", VECTOR "Z");
    txt_record(&p, (const char *[]){s}, 1);
    p.b[p.n - 1] = '\0'; /* VECTOR followed by a NUL byte inside the record */
    struct dns_txt_answer a;
    struct parse_error err;
    assert_int_equal(read_txt(&p, 3, name, &a, &err), 0);
    assert_int_equal(a.count, 1);
    assert_string_not_equal(a.values[0], VECTOR);
    assert_string_equal(a.values[0], VECTOR "?");
    dns_txt_answer_free(&a);
}

static void test_record_count_is_capped(void **state)
{
    (void)state;
    const char *name = "_acme-challenge.x.test";
    static struct pkt p;
    answer_start(&p, 4, 0x8180, 100, name);
    for (int i = 0; i < 100; i++)
        txt_record(&p, (const char *[]){"v"}, 1);
    struct dns_txt_answer a;
    struct parse_error err;
    assert_int_equal(read_txt(&p, 4, name, &a, &err), 0);
    assert_int_equal(a.count, DNS_TXT_MAX_RECORDS);
    dns_txt_answer_free(&a);
}

/* ---- the rows the console shows ---------------------------------------- */

static void test_dns_rows_text_has_a_line_per_server(void **state)
{
    (void)state;
    struct preflight_result r;
    memset(&r, 0, sizeof r);
    char buf[2048];
    preflight_dns01_rows_text(&r, buf, sizeof buf);
    assert_string_equal(buf, ""); /* http-01, or a dns_server override */
    r.dns_row_count = 3;
    snprintf(r.dns_rows[0].server, sizeof r.dns_rows[0].server, "127.0.0.1 (ns1.auth.test)");
    r.dns_rows[0].status = PREFLIGHT_OK;
    snprintf(r.dns_rows[0].detail, sizeof r.dns_rows[0].detail, "serves the value");
    r.dns_rows[0].ttl = 60;
    snprintf(r.dns_rows[1].server, sizeof r.dns_rows[1].server, "127.0.0.2 (ns2.auth.test)");
    r.dns_rows[1].status = PREFLIGHT_MISMATCH;
    snprintf(r.dns_rows[1].detail, sizeof r.dns_rows[1].detail, "serves \"old\"");
    r.dns_rows[1].ttl = 30;
    snprintf(r.dns_rows[2].server, sizeof r.dns_rows[2].server, "ns3.auth.test");
    r.dns_rows[2].status = PREFLIGHT_UNREACHABLE;
    snprintf(r.dns_rows[2].detail, sizeof r.dns_rows[2].detail, "its address does not resolve");
    r.dns_rows[2].ttl = -1;
    snprintf(r.recursive, sizeof r.recursive, "\"v\" (TTL 60) from 127.0.0.1:53");
    preflight_dns01_rows_text(&r, buf, sizeof buf);
    assert_string_equal(buf,
                        "  127.0.0.1 (ns1.auth.test)  OK          serves the value, TTL 60\n"
                        "  127.0.0.2 (ns2.auth.test)  mismatch    serves \"old\", TTL 30\n"
                        "  ns3.auth.test              unreachable its address does not resolve\n"
                        "  recursive: \"v\" (TTL 60) from 127.0.0.1:53");
}

/* ---- resolve map ----------------------------------------------------------- */

static void test_resolve_map_matches_like_curl_resolve(void **state)
{
    (void)state;
    struct resolve_map m;
    struct parse_error err;
    resolve_map_init(&m);
    assert_int_equal(resolve_map_add(&m, "shop.demo.test=10.0.0.5, *.demo.test=127.0.0.1", &err), 0);
    assert_int_equal(resolve_map_add(&m, "v6.test=[::1]", &err), 0);
    assert_string_equal(resolve_map_lookup(&m, "shop.demo.test"), "10.0.0.5");
    assert_string_equal(resolve_map_lookup(&m, "SHOP.Demo.test."), "10.0.0.5");
    assert_string_equal(resolve_map_lookup(&m, "api.demo.test"), "127.0.0.1");
    assert_string_equal(resolve_map_lookup(&m, "a.b.demo.test"), "127.0.0.1");
    assert_null(resolve_map_lookup(&m, "demo.test")); /* *.x does not match x itself */
    assert_null(resolve_map_lookup(&m, "evildemo.test"));
    assert_string_equal(resolve_map_lookup(&m, "v6.test"), "::1");
    assert_null(resolve_map_lookup(&m, "example.com"));
    struct resolve_map copy;
    resolve_map_copy(&copy, &m);
    resolve_map_free(&m);
    assert_string_equal(resolve_map_lookup(&copy, "api.demo.test"), "127.0.0.1");
    assert_int_equal(resolve_map_add(&copy, "*=192.0.2.1", &err), 0);
    assert_string_equal(resolve_map_lookup(&copy, "anything.else"), "192.0.2.1");
    resolve_map_free(&copy);
}

static void test_resolve_map_refuses_bad_entries(void **state)
{
    (void)state;
    struct resolve_map m;
    struct parse_error err;
    resolve_map_init(&m);
    assert_int_equal(resolve_map_add(&m, "a.test", &err), -1);
    assert_non_null(strstr(err.message, "NAME=ADDRESS"));
    assert_int_equal(resolve_map_add(&m, "a.test=localhost", &err), -1);
    assert_non_null(strstr(err.message, "numeric"));
    assert_int_equal(resolve_map_add(&m, "a/b=127.0.0.1", &err), -1);
    assert_int_equal(resolve_map_add(&m, "ok.test=127.0.0.1 bad", &err), -1);
    assert_int_equal(m.count, 0); /* all or nothing */
    assert_int_equal(resolve_map_add(&m, "", &err), -1);
    resolve_map_free(&m);
}

/* ---- HOST:PORT --------------------------------------------------------------- */

static void test_host_port_forms(void **state)
{
    (void)state;
    struct host_port hp;
    struct parse_error err;
    assert_int_equal(host_port_parse("0.0.0.0:80", -1, 0, "listen", &hp, &err), 0);
    assert_string_equal(hp.host, "0.0.0.0");
    assert_int_equal(hp.port, 80);
    assert_int_equal(host_port_parse("[::1]:5002", -1, 0, "listen", &hp, &err), 0);
    assert_string_equal(hp.host, "::1");
    assert_int_equal(hp.port, 5002);
    assert_int_equal(host_port_parse("::1", 53, 0, "dns", &hp, &err), 0);
    assert_string_equal(hp.host, "::1");
    assert_int_equal(hp.port, 53);
    assert_int_equal(host_port_parse("ns1.example.net", 53, 0, "dns", &hp, &err), 0);
    assert_int_equal(hp.port, 53);
    assert_int_equal(host_port_parse("127.0.0.1:0", -1, 1, "listen", &hp, &err), 0);
    assert_int_equal(hp.port, 0);
    assert_int_equal(host_port_parse("127.0.0.1:0", -1, 0, "listen", &hp, &err), -1);
    assert_int_equal(host_port_parse("127.0.0.1", -1, 0, "HTTP-01 listen address", &hp, &err), -1);
    assert_non_null(strstr(err.message, "HTTP-01 listen address"));
    assert_non_null(strstr(err.message, "port is missing"));
    assert_int_equal(host_port_parse("127.0.0.1:65536", -1, 0, "x", &hp, &err), -1);
    assert_int_equal(host_port_parse("127.0.0.1:8o", -1, 0, "x", &hp, &err), -1);
    assert_int_equal(host_port_parse("[::1:80", -1, 0, "x", &hp, &err), -1);
    assert_int_equal(host_port_parse("a b:80", -1, 0, "x", &hp, &err), -1);
    assert_int_equal(host_port_parse("", 53, 0, "x", &hp, &err), -1);
    char buf[64];
    assert_string_equal(host_port_format("::", 80, buf, sizeof buf), "[::]:80");
    assert_string_equal(host_port_format("127.0.0.1", 5002, buf, sizeof buf), "127.0.0.1:5002");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_for_wildcard_asks_base_name),
        cmocka_unit_test(test_query_refuses_bad_names),
        cmocka_unit_test(test_multi_string_txt_is_concatenated_to_the_vector),
        cmocka_unit_test(test_nxdomain_and_truncation_are_reported),
        cmocka_unit_test(test_cname_chain_is_followed_and_bounded),
        cmocka_unit_test(test_zone_and_nameservers_are_read),
        cmocka_unit_test(test_hostile_answers_are_refused),
        cmocka_unit_test(test_nul_in_txt_cannot_fake_a_match),
        cmocka_unit_test(test_record_count_is_capped),
        cmocka_unit_test(test_dns_rows_text_has_a_line_per_server),
        cmocka_unit_test(test_resolve_map_matches_like_curl_resolve),
        cmocka_unit_test(test_resolve_map_refuses_bad_entries),
        cmocka_unit_test(test_host_port_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
