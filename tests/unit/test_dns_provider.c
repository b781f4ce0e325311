/* test_dns_provider: Vault's DNS providers as acmetop reads them (GET
 * config/dns/:type/:name, the LIST key split), the glob match Vault uses to
 * pick one for an identifier (leftmost '*' only), and who fulfils a
 * challenge because of it: Vault for a covered dns-01, the operator for the
 * rest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/dns_provider.h"
#include "model/xalloc.h"

static void test_parse_reads_globs_and_ttl_and_no_secret(void **state)
{
    (void)state;
    const char *body =
        "{\"request_id\":\"r\",\"data\":{\"name\":\"internal-dns\",\"type\":\"rfc2136\","
        "\"identifiers\":[\"*.auto.example.net\",\"auto.example.net\"],\"ttl\":60,"
        "\"nameserver\":\"127.0.0.1:5353\",\"tsig_key_name\":\"acme\","
        "\"tsig_secret\":\"c2VjcmV0\"}}";
    struct dns_provider p;
    struct parse_error err;
    assert_int_equal(dns_provider_parse_response(body, strlen(body), "rfc2136", "internal-dns",
                                                 &p, &err),
                     0);
    assert_string_equal(p.type, "rfc2136");
    assert_string_equal(p.name, "internal-dns");
    assert_int_equal(p.identifier_count, 2);
    assert_string_equal(p.identifiers[0], "*.auto.example.net");
    assert_string_equal(p.identifiers[1], "auto.example.net");
    assert_int_equal(p.ttl_s, 60);
    char label[128];
    assert_string_equal(dns_provider_label(&p, label, sizeof label), "rfc2136/internal-dns");
    dns_provider_free(&p);

    /* what the LIST said stands when the answer does not name it; a
     * provider without globs covers nothing */
    const char *bare = "{\"data\":{\"ttl\":\"10\"}}";
    assert_int_equal(
        dns_provider_parse_response(bare, strlen(bare), "google-cloud-dns", "g", &p, &err), 0);
    assert_string_equal(p.type, "google-cloud-dns");
    assert_string_equal(p.name, "g");
    assert_int_equal(p.identifier_count, 0);
    assert_int_equal(p.ttl_s, 10);
    assert_null(dns_provider_for(&p, 1, "g.example.com"));
    dns_provider_free(&p);

    assert_int_equal(dns_provider_parse_response("nope", 4, "a", "b", &p, &err), -1);
    assert_null(p.type);
    assert_int_equal(dns_provider_parse_response("{\"data\":[]}", 11, "a", "b", &p, &err), -1);
}

static void test_split_key(void **state)
{
    (void)state;
    char *type, *name;
    assert_int_equal(dns_provider_split_key("rfc2136/internal-dns", &type, &name), 0);
    assert_string_equal(type, "rfc2136");
    assert_string_equal(name, "internal-dns");
    free(type);
    free(name);
    assert_int_equal(dns_provider_split_key("rfc2136", &type, &name), -1);
    assert_int_equal(dns_provider_split_key("/x", &type, &name), -1);
    assert_int_equal(dns_provider_split_key("x/", &type, &name), -1);
    assert_int_equal(dns_provider_split_key("a/b/c", &type, &name), -1);
    assert_int_equal(dns_provider_split_key(NULL, &type, &name), -1);
}

static void test_glob_leftmost_star(void **state)
{
    (void)state;
    const char *g = "*.auto.example.net";
    assert_true(dns_provider_glob_match(g, "x.auto.example.net"));
    assert_true(dns_provider_glob_match(g, "a.b.auto.example.net")); /* '*' spans labels */
    assert_true(dns_provider_glob_match(g, "X.AUTO.Example.NET"));   /* DNS is caseless */
    assert_true(dns_provider_glob_match(g, "*.auto.example.net"));   /* a wildcard order */
    assert_false(dns_provider_glob_match(g, "auto.example.net"));    /* '*' is not empty */
    assert_false(dns_provider_glob_match(g, ".auto.example.net"));
    assert_false(dns_provider_glob_match(g, "xauto.example.net"));   /* the dot counts */
    assert_false(dns_provider_glob_match(g, "x.auto.example.net.evil.com"));
    /* no '*': that name only */
    assert_true(dns_provider_glob_match("auto.example.net", "auto.example.net"));
    assert_false(dns_provider_glob_match("auto.example.net", "x.auto.example.net"));
    /* a '*' that is not leftmost is plain text, never a wildcard */
    assert_false(dns_provider_glob_match("x.*.example.net", "x.a.example.net"));
    assert_false(dns_provider_glob_match("", "x"));
    assert_false(dns_provider_glob_match(NULL, "x"));
    assert_false(dns_provider_glob_match("*", ""));
}

static struct dns_provider make(const char *type, const char *name, const char *glob)
{
    struct dns_provider p;
    dns_provider_init(&p);
    p.type = xstrdup(type);
    p.name = xstrdup(name);
    p.identifiers = xcalloc(1, sizeof(char *));
    p.identifiers[0] = xstrdup(glob);
    p.identifier_count = 1;
    return p;
}

static void test_who_fulfils(void **state)
{
    (void)state;
    struct dns_provider v[2] = {make("rfc2136", "internal-dns", "*.auto.example.net"),
                                make("aws-route53", "production", "*.example.net")};
    /* the first provider whose globs cover the name, as Vault picks it */
    const struct dns_provider *p = dns_provider_fulfiller(v, 2, "x.auto.example.net", "dns-01");
    assert_non_null(p);
    assert_string_equal(p->name, "internal-dns");
    p = dns_provider_fulfiller(v, 2, "www.example.net", "dns-01");
    assert_non_null(p);
    assert_string_equal(p->name, "production");
    /* the operator's: not covered, or not dns-01 */
    assert_null(dns_provider_fulfiller(v, 2, "www.example.com", "dns-01"));
    assert_null(dns_provider_fulfiller(v, 2, "x.auto.example.net", "http-01"));
    assert_null(dns_provider_fulfiller(v, 2, "x.auto.example.net", "tls-alpn-01"));
    assert_null(dns_provider_fulfiller(v, 2, "x.auto.example.net", NULL));
    assert_null(dns_provider_fulfiller(NULL, 0, "x.auto.example.net", "dns-01"));

    struct dns_provider *copy = dns_providers_copy(v, 2);
    dns_provider_free(&v[0]);
    dns_provider_free(&v[1]);
    assert_string_equal(dns_provider_fulfiller(copy, 2, "x.auto.example.net", "dns-01")->name,
                        "internal-dns");
    dns_providers_free(copy, 2);
    assert_null(dns_providers_copy(NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_reads_globs_and_ttl_and_no_secret),
        cmocka_unit_test(test_split_key),
        cmocka_unit_test(test_glob_leftmost_star),
        cmocka_unit_test(test_who_fulfils),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
