/* test_preflight_values: the values behind the pre-flight checks, without
 * a network: the dns-01 question acmetop sends (record name, wildcards,
 * wire format), how it reads the answers a DNS server may send (multi-string
 * TXT records against API.md's vector, several records, NXDOMAIN,
 * truncation, and hostile packets: compression loops, records running past
 * the end, another ID), the host -> address overrides, and HOST:PORT
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

/* header + the question (name, TXT, IN) */
static void answer_start(struct pkt *p, uint16_t id, unsigned flags, unsigned ancount,
                         const char *qname)
{
    memset(p, 0, sizeof *p);
    p16(p, id);
    p16(p, flags);
    p16(p, 1);
    p16(p, ancount);
    p16(p, 0);
    p16(p, 0);
    pname(p, qname);
    p16(p, 16);
    p16(p, 1);
}

/* a TXT record whose owner is a pointer to the question name (offset 12) */
static void txt_record(struct pkt *p, const char *const *strings, size_t n)
{
    p16(p, 0xC00C);
    p16(p, 16);
    p16(p, 1);
    p16(p, 0);
    p16(p, 60);
    size_t rdlen = 0;
    for (size_t i = 0; i < n; i++)
        rdlen += 1 + strlen(strings[i]);
    p16(p, (unsigned)rdlen);
    for (size_t i = 0; i < n; i++) {
        p->b[p->n++] = (unsigned char)strlen(strings[i]);
        memcpy(p->b + p->n, strings[i], strlen(strings[i]));
        p->n += strlen(strings[i]);
    }
}

/* ---- the question -------------------------------------------------------- */

static void test_query_for_wildcard_asks_base_name(void **state)
{
    (void)state;
    char *name = challenge_dns01_record_name("*.apps.example.io");
    unsigned char q[512];
    int n = dns_txt_query_build(name, 0xBEEF, q, sizeof q);
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
    free(name);
}

static void test_query_refuses_bad_names(void **state)
{
    (void)state;
    unsigned char q[512];
    char label64[80];
    memset(label64, 'a', 64);
    strcpy(label64 + 64, ".test");
    assert_int_equal(dns_txt_query_build(label64, 1, q, sizeof q), -1);
    assert_int_equal(dns_txt_query_build("a..b", 1, q, sizeof q), -1);
    assert_int_equal(dns_txt_query_build("", 1, q, sizeof q), -1);
    char long_name[300];
    for (int i = 0; i < 290; i += 2)
        memcpy(long_name + i, "a.", 2);
    strcpy(long_name + 290, "test");
    assert_int_equal(dns_txt_query_build(long_name, 1, q, sizeof q), -1);
    assert_true(dns_txt_query_build("_acme-challenge.x.test.", 1, q, sizeof q) > 0);
    assert_int_equal(dns_txt_query_build("a.test", 1, q, 20), -1); /* buffer too small */
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
    assert_int_equal(dns_txt_answer_parse(p.b, p.n, 7, name, &a, &err), 0);
    assert_int_equal(a.rcode, DNS_RCODE_NOERROR);
    assert_false(a.truncated);
    assert_int_equal(a.count, 2);
    assert_string_equal(a.values[0], "v=other");
    assert_string_equal(a.values[1], value);
    dns_txt_answer_free(&a);
    /* the question name is compared case-insensitively, trailing dot ignored */
    assert_int_equal(dns_txt_answer_parse(p.b, p.n, 7, "_ACME-challenge.WWW.example.com.", &a,
                                          &err), 0);
    dns_txt_answer_free(&a);
}

static void test_nxdomain_and_truncation_are_reported(void **state)
{
    (void)state;
    struct pkt p;
    struct dns_txt_answer a;
    struct parse_error err;
    answer_start(&p, 9, 0x8183, 0, "_acme-challenge.gone.test");
    assert_int_equal(dns_txt_answer_parse(p.b, p.n, 9, "_acme-challenge.gone.test", &a, &err), 0);
    assert_int_equal(a.rcode, DNS_RCODE_NXDOMAIN);
    assert_int_equal(a.count, 0);
    dns_txt_answer_free(&a);
    char buf[16];
    assert_string_equal(dns_rcode_name(DNS_RCODE_NXDOMAIN, buf, sizeof buf), "NXDOMAIN");
    assert_string_equal(dns_rcode_name(DNS_RCODE_SERVFAIL, buf, sizeof buf), "SERVFAIL");
    assert_string_equal(dns_rcode_name(11, buf, sizeof buf), "RCODE 11");

    /* TC set, answer section cut in the middle of a record: usable, truncated */
    answer_start(&p, 10, 0x8380, 3, "_acme-challenge.big.test");
    txt_record(&p, (const char *[]){"first"}, 1);
    size_t cut = p.n + 5;
    txt_record(&p, (const char *[]){"second"}, 1);
    assert_int_equal(dns_txt_answer_parse(p.b, cut, 10, "_acme-challenge.big.test", &a, &err), 0);
    assert_true(a.truncated);
    assert_int_equal(a.count, 1);
    assert_string_equal(a.values[0], "first");
    dns_txt_answer_free(&a);
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
    assert_int_equal(dns_txt_answer_parse(p.b, p.n, 2, name, &a, &err), -1);
    assert_non_null(strstr(err.message, "ID"));

    /* not a response (QR clear) */
    answer_start(&p, 1, 0x0100, 0, name);
    assert_int_equal(dns_txt_answer_parse(p.b, p.n, 1, name, &a, &err), -1);

    /* the answer to another question */
    answer_start(&p, 1, 0x8180, 0, "_acme-challenge.other.test");
    assert_int_equal(dns_txt_answer_parse(p.b, p.n, 1, name, &a, &err), -1);
    assert_non_null(strstr(err.message, "another question"));

    /* a record whose rdata runs past the end */
    answer_start(&p, 1, 0x8180, 1, name);
    txt_record(&p, (const char *[]){"abcdef"}, 1);
    assert_int_equal(dns_txt_answer_parse(p.b, p.n - 3, 1, name, &a, &err), -1);
    assert_null(a.values);

    /* a TXT string length that runs past its rdata */
    answer_start(&p, 1, 0x8180, 1, name);
    txt_record(&p, (const char *[]){"abc"}, 1);
    p.b[p.n - 4] = 200;
    assert_int_equal(dns_txt_answer_parse(p.b, p.n, 1, name, &a, &err), -1);

    /* a compression pointer loop as the owner name: refused, not an endless loop */
    answer_start(&p, 1, 0x8180, 1, name);
    size_t loop_at = p.n;
    p16(&p, 0xC000 | (unsigned)loop_at); /* points at itself */
    p16(&p, 16);
    p16(&p, 1);
    p16(&p, 0);
    p16(&p, 60);
    p16(&p, 0);
    assert_int_equal(dns_txt_answer_parse(p.b, p.n, 1, name, &a, &err), -1);

    /* a pointer past the end */
    answer_start(&p, 1, 0x8180, 1, name);
    p16(&p, 0xC000 | 0x3FFF);
    assert_int_equal(dns_txt_answer_parse(p.b, p.n, 1, name, &a, &err), -1);

    /* too short to be DNS */
    assert_int_equal(dns_txt_answer_parse(p.b, 5, 1, name, &a, &err), -1);
    assert_int_equal(dns_txt_answer_parse(NULL, 0, 1, name, &a, &err), -1);
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
    assert_int_equal(dns_txt_answer_parse(p.b, p.n, 3, name, &a, &err), 0);
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
    assert_int_equal(dns_txt_answer_parse(p.b, p.n, 4, name, &a, &err), 0);
    assert_int_equal(a.count, DNS_TXT_MAX_RECORDS);
    dns_txt_answer_free(&a);
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
        cmocka_unit_test(test_hostile_answers_are_refused),
        cmocka_unit_test(test_nul_in_txt_cannot_fake_a_match),
        cmocka_unit_test(test_record_count_is_capped),
        cmocka_unit_test(test_resolve_map_matches_like_curl_resolve),
        cmocka_unit_test(test_resolve_map_refuses_bad_entries),
        cmocka_unit_test(test_host_port_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
