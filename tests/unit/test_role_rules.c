/* test_role_rules: what the new-order form lets through before anything
 * goes to Vault: typed identifiers split and normalised, DNS-name syntax,
 * and each of the role options (bare_domains, subdomains, wildcards, globs)
 * with the refusal sentence a person reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "model/role_rules.h"
#include "model/strv.h"
#include "model/xalloc.h"

static struct role_info role(const char *name, const char *domains, const char *options,
                             const char *types)
{
    struct role_info r;
    role_info_init(&r);
    r.name = xstrdup(name);
    r.allowed_domain_count = role_rules_split(domains, &r.allowed_domains);
    r.allowed_domain_option_count = role_rules_split(options, &r.allowed_domain_options);
    r.allowed_challenge_type_count = role_rules_split(types, &r.allowed_challenge_types);
    return r;
}

static void test_split(void **state)
{
    (void)state;
    char **v;
    size_t n = role_rules_split("  A.demo.test,b.demo.test  c.demo.test.,,a.demo.test ;d.x", &v);
    assert_int_equal(n, 4);
    assert_string_equal(v[0], "a.demo.test"); /* lower case */
    assert_string_equal(v[1], "b.demo.test");
    assert_string_equal(v[2], "c.demo.test"); /* trailing dot dropped */
    assert_string_equal(v[3], "d.x");         /* the duplicate a. is gone */
    strv_free(v, n);
    assert_int_equal(role_rules_split("  , ,\t", &v), 0);
    assert_null(v);
    assert_int_equal(role_rules_split(NULL, &v), 0);
}

static void test_syntax(void **state)
{
    (void)state;
    char why[ROLE_RULES_WHY_MAX];
    const char *bad[] = {"-a.demo.test", "a-.demo.test", "a..demo.test", "a_b.demo.test",
                         "*.*.demo.test", "a.*.demo.test", "", "x/y", "*."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(role_rules_check(NULL, bad[i], why, sizeof why), ROLE_RULE_INVALID);
        assert_non_null(strstr(why, "is not a DNS name"));
    }
    char label[80];
    memset(label, 'a', 64);
    strcpy(label + 64, ".demo.test"); /* a 64-byte label */
    assert_int_equal(role_rules_check(NULL, label, why, sizeof why), ROLE_RULE_INVALID);
    /* rules unknown: a good name is not judged */
    assert_int_equal(role_rules_check(NULL, "ok.demo.test", why, sizeof why), ROLE_RULE_UNKNOWN);
    assert_string_equal(why, "");
    struct role_info open = role("open", "", "", "");
    assert_int_equal(role_rules_check(&open, "*.any.where", why, sizeof why), ROLE_RULE_UNKNOWN);
    role_info_free(&open);
}

static void test_subdomains_and_bare(void **state)
{
    (void)state;
    char why[ROLE_RULES_WHY_MAX];
    struct role_info web = role("web", "demo.test", "subdomains", "http-01 dns-01");
    assert_int_equal(role_rules_check(&web, "shop.demo.test", why, sizeof why), ROLE_RULE_ALLOWED);
    assert_int_equal(role_rules_check(&web, "a.b.demo.test", why, sizeof why), ROLE_RULE_ALLOWED);
    /* subdomains only: the domain itself is not allowed, nor a look-alike */
    assert_int_equal(role_rules_check(&web, "demo.test", why, sizeof why), ROLE_RULE_DENIED);
    assert_int_equal(role_rules_check(&web, "xdemo.test", why, sizeof why), ROLE_RULE_DENIED);
    assert_int_equal(role_rules_check(&web, "shop.example.org", why, sizeof why),
                     ROLE_RULE_DENIED);
    assert_string_equal(why, "role web does not allow shop.example.org: it allows demo.test "
                             "(subdomains)");
    /* no wildcards option */
    assert_int_equal(role_rules_check(&web, "*.demo.test", why, sizeof why), ROLE_RULE_DENIED);
    assert_non_null(strstr(why, "does not allow wildcards"));
    assert_true(role_rules_allows_type(&web, "dns-01"));
    assert_false(role_rules_allows_type(&web, "tls-alpn-01"));
    role_info_free(&web);

    struct role_info bare = role("bare", "Demo.Test, other.test", "bare_domains", "");
    assert_int_equal(role_rules_check(&bare, "demo.test", why, sizeof why), ROLE_RULE_ALLOWED);
    assert_int_equal(role_rules_check(&bare, "other.test", why, sizeof why), ROLE_RULE_ALLOWED);
    assert_int_equal(role_rules_check(&bare, "a.demo.test", why, sizeof why), ROLE_RULE_DENIED);
    assert_true(role_rules_allows_type(&bare, "tls-alpn-01")); /* not known: not refused */
    role_info_free(&bare);

    /* domains but no option: nothing matches, and the sentence says so */
    struct role_info none = role("none", "demo.test", "", "");
    assert_int_equal(role_rules_check(&none, "a.demo.test", why, sizeof why), ROLE_RULE_DENIED);
    assert_non_null(strstr(why, "no options"));
    role_info_free(&none);
}

static void test_wildcards_and_globs(void **state)
{
    (void)state;
    char why[ROLE_RULES_WHY_MAX];
    struct role_info wild = role("dns-only", "demo.test", "subdomains wildcards", "dns-01");
    assert_int_equal(role_rules_check(&wild, "*.apps.demo.test", why, sizeof why),
                     ROLE_RULE_ALLOWED);
    /* *.demo.test needs demo.test itself, which subdomains does not allow */
    assert_int_equal(role_rules_check(&wild, "*.demo.test", why, sizeof why), ROLE_RULE_DENIED);
    role_info_free(&wild);

    struct role_info glob = role("apps", "*.apps.example.io, example.io", "globs bare_domains",
                                 "dns-01 http-01");
    assert_int_equal(role_rules_check(&glob, "x.apps.example.io", why, sizeof why),
                     ROLE_RULE_ALLOWED);
    assert_int_equal(role_rules_check(&glob, "a.b.apps.example.io", why, sizeof why),
                     ROLE_RULE_ALLOWED); /* * crosses dots */
    assert_int_equal(role_rules_check(&glob, "example.io", why, sizeof why), ROLE_RULE_ALLOWED);
    assert_int_equal(role_rules_check(&glob, "apps.example.io", why, sizeof why),
                     ROLE_RULE_DENIED);
    /* a wildcard without the wildcards option is refused even if a glob matches */
    assert_int_equal(role_rules_check(&glob, "*.apps.example.io", why, sizeof why),
                     ROLE_RULE_DENIED);
    role_info_free(&glob);
    /* globs off: a pattern is not a pattern */
    struct role_info noglob = role("g", "*.apps.example.io", "subdomains", "");
    assert_int_equal(role_rules_check(&noglob, "x.apps.example.io", why, sizeof why),
                     ROLE_RULE_DENIED);
    role_info_free(&noglob);
}

static void test_domains_text(void **state)
{
    (void)state;
    struct role_info web = role("web", "demo.test", "subdomains wildcards", "");
    char *t = role_rules_domains_text(&web);
    assert_string_equal(t, "demo.test (subdomains, wildcards)");
    free(t);
    role_info_free(&web);
    t = role_rules_domains_text(NULL);
    assert_non_null(strstr(t, "Vault decides"));
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_subdomains_and_bare),
        cmocka_unit_test(test_wildcards_and_globs),
        cmocka_unit_test(test_domains_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
