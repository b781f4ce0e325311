/* test_deploy_config: the settings of the responder, the pre-flight checks
 * and the certificate files: defaults an operator gets without a config,
 * every key set by name, bad values refused with the origin named and
 * nothing changed, other keys left alone, and the demo's environment
 * (ACMETOP_DEMO_HTTP01_PORT, ACMETOP_DEMO_DNS).  Their flags are tested
 * through vault_config_load() (test_vault_config). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "net/deploy_config.h"

static void test_defaults(void **state)
{
    (void)state;
    struct deploy_config c;
    const char *env[] = {"HOME=/home/op", NULL};
    deploy_config_init(&c, env);
    assert_string_equal(c.http01_listen, "0.0.0.0:80");
    assert_string_equal(c.tlsalpn01_listen, "0.0.0.0:443");
    assert_string_equal(c.cert_dir, "/home/op/.local/share/acmetop/certs");
    assert_true(c.preflight);
    assert_false(c.cert_overwrite);
    assert_int_equal(c.checks.timeout_ms, 5000);
    assert_int_equal(c.checks.http01_port, 80);
    assert_int_equal(c.checks.tlsalpn01_port, 443);
    assert_null(c.checks.dns_server);
    assert_int_equal(c.checks.resolve.count, 0);
    deploy_config_free(&c);
    const char *xdg[] = {"HOME=/home/op", "XDG_DATA_HOME=/data/op", NULL};
    deploy_config_init(&c, xdg);
    assert_string_equal(c.cert_dir, "/data/op/acmetop/certs");
    deploy_config_free(&c);
}

static void test_every_key(void **state)
{
    (void)state;
    struct deploy_config c;
    struct deploy_error err;
    const char *env[] = {"HOME=/h", NULL};
    deploy_config_init(&c, env);
    assert_int_equal(deploy_config_set(&c, "http01_listen", "127.0.0.1:5002", "f:1", &err), 0);
    assert_string_equal(c.http01_listen, "127.0.0.1:5002");
    assert_int_equal(deploy_config_set(&c, "http01_listen", "[::]:80", NULL, &err), 0);
    assert_string_equal(c.http01_listen, "[::]:80");
    assert_int_equal(deploy_config_set(&c, "cert_dir", "/srv/certs", "f:2", &err), 0);
    assert_string_equal(c.cert_dir, "/srv/certs");
    assert_int_equal(deploy_config_set(&c, "cert_overwrite", "yes", "f:3", &err), 0);
    assert_true(c.cert_overwrite);
    assert_int_equal(deploy_config_set(&c, "preflight", "off", "f:4", &err), 0);
    assert_false(c.preflight);
    assert_int_equal(deploy_config_set(&c, "preflight", "on", "f:4", &err), 0);
    assert_true(c.preflight);
    assert_int_equal(deploy_config_set(&c, "preflight", "false", NULL, &err), 0);
    assert_false(c.preflight);
    assert_int_equal(deploy_config_set(&c, "preflight_timeout", "1500ms", "f:5", &err), 0);
    assert_int_equal(c.checks.timeout_ms, 1500);
    assert_int_equal(deploy_config_set(&c, "preflight_http01_port", "5002", "f:6", &err), 0);
    assert_int_equal(c.checks.http01_port, 5002);
    assert_int_equal(deploy_config_set(&c, "preflight_tlsalpn01_port", "5001", NULL, &err), 0);
    assert_int_equal(c.checks.tlsalpn01_port, 5001);
    assert_int_equal(deploy_config_set(&c, "preflight_dns_server", "127.0.0.1:8053", "f:7", &err), 0);
    assert_string_equal(c.checks.dns_server, "127.0.0.1:8053");
    assert_int_equal(deploy_config_set(&c, "preflight_dns_server", "", "f:7", &err), 0);
    assert_null(c.checks.dns_server); /* back to the system resolver */
    assert_int_equal(deploy_config_set(&c, "preflight_resolve", "*.demo.test=127.0.0.1", "f:8", &err), 0);
    assert_int_equal(deploy_config_set(&c, "preflight_resolve", "a.test=::1", NULL, &err), 0);
    assert_string_equal(resolve_map_lookup(&c.checks.resolve, "x.demo.test"), "127.0.0.1");
    assert_string_equal(resolve_map_lookup(&c.checks.resolve, "a.test"), "::1");
    assert_string_equal(c.checks.resolve.entries[1].pattern, "a.test"); /* added after */
    /* not a deploy setting (a Vault one, a flag, nothing): nothing touched */
    assert_int_equal(deploy_config_set(&c, "addr", "http://x", "f:9", &err), 1);
    assert_int_equal(deploy_config_set(&c, "--http01-listen", "1.2.3.4:80", "f:9", &err), 1);
    assert_int_equal(deploy_config_set(&c, NULL, "x", "f:9", &err), 1);
    assert_string_equal(c.http01_listen, "[::]:80");
    deploy_config_free(&c);
}

static void test_bad_values_name_their_origin(void **state)
{
    (void)state;
    struct deploy_config c;
    struct deploy_error err;
    deploy_config_init(&c, NULL);
    assert_int_equal(deploy_config_set(&c, "http01_listen", "127.0.0.1", "config:3", &err), -1);
    assert_non_null(strstr(err.message, "config:3"));
    assert_non_null(strstr(err.message, "port"));
    assert_string_equal(c.http01_listen, "0.0.0.0:80");
    assert_int_equal(deploy_config_set(&c, "preflight_timeout", "forever", "--preflight-timeout", &err), -1);
    assert_non_null(strstr(err.message, "--preflight-timeout"));
    assert_int_equal(deploy_config_set(&c, "preflight_timeout", "10m", "x", &err), -1);
    assert_int_equal(c.checks.timeout_ms, 5000);
    assert_int_equal(deploy_config_set(&c, "preflight_http01_port", "0", "x", &err), -1);
    assert_int_equal(deploy_config_set(&c, "preflight_tlsalpn01_port", "99999", "x", &err), -1);
    assert_int_equal(deploy_config_set(&c, "preflight", "maybe", "config:9", &err), -1);
    assert_non_null(strstr(err.message, "config:9"));
    assert_true(c.preflight);
    assert_int_equal(deploy_config_set(&c, "preflight_resolve", "a.test=nowhere", "config:10", &err), -1);
    assert_non_null(strstr(err.message, "numeric"));
    assert_int_equal(c.checks.resolve.count, 0);
    assert_int_equal(deploy_config_set(&c, "preflight_dns_server", "1.2.3.4:x", "config:11", &err), -1);
    assert_null(c.checks.dns_server);
    assert_int_equal(deploy_config_set(&c, "cert_dir", "", "config:12", &err), -1);
    assert_int_equal(deploy_config_set(&c, "cert_dir", NULL, "config:12", &err), -1);
    deploy_config_free(&c);
}

static void test_demo_environment(void **state)
{
    (void)state;
    struct deploy_config c;
    struct deploy_error err;
    const char *env[] = {"HOME=/h", "ACMETOP_DEMO_HTTP01_PORT=5002",
                         "ACMETOP_DEMO_DNS=127.0.0.1:8053", NULL};
    deploy_config_init(&c, env);
    assert_int_equal(deploy_config_apply_demo_env(&c, env, &err), 0);
    assert_string_equal(c.http01_listen, "127.0.0.1:5002");
    assert_int_equal(c.checks.http01_port, 5002);
    assert_string_equal(c.checks.dns_server, "127.0.0.1:8053");
    assert_string_equal(resolve_map_lookup(&c.checks.resolve, "shop.demo.test"), "127.0.0.1");
    deploy_config_free(&c);
    /* without the demo nothing changes */
    const char *plain[] = {"HOME=/h", NULL};
    deploy_config_init(&c, plain);
    assert_int_equal(deploy_config_apply_demo_env(&c, plain, &err), 0);
    assert_string_equal(c.http01_listen, "0.0.0.0:80");
    assert_int_equal(c.checks.resolve.count, 0);
    deploy_config_free(&c);
    const char *bad[] = {"ACMETOP_DEMO_HTTP01_PORT=http", NULL};
    deploy_config_init(&c, bad);
    assert_int_equal(deploy_config_apply_demo_env(&c, bad, &err), -1);
    assert_non_null(strstr(err.message, "ACMETOP_DEMO_HTTP01_PORT"));
    deploy_config_free(&c);
    /* tls-alpn-01 as http-01: the responder listens where pebble validates,
       the check uses that port, every name resolves to 127.0.0.1 (once) */
    const char *tls[] = {"HOME=/h", "ACMETOP_DEMO_HTTP01_PORT=5002",
                         "ACMETOP_DEMO_TLSALPN01_PORT=5001", NULL};
    deploy_config_init(&c, tls);
    assert_int_equal(deploy_config_apply_demo_env(&c, tls, &err), 0);
    assert_string_equal(c.tlsalpn01_listen, "127.0.0.1:5001");
    assert_int_equal(c.checks.tlsalpn01_port, 5001);
    assert_string_equal(c.http01_listen, "127.0.0.1:5002");
    assert_int_equal(c.checks.resolve.count, 1);
    deploy_config_free(&c);
    const char *tls_only[] = {"HOME=/h", "ACMETOP_DEMO_TLSALPN01_PORT=5001", NULL};
    deploy_config_init(&c, tls_only);
    assert_int_equal(deploy_config_apply_demo_env(&c, tls_only, &err), 0);
    assert_string_equal(c.tlsalpn01_listen, "127.0.0.1:5001");
    assert_string_equal(c.http01_listen, "0.0.0.0:80");
    assert_string_equal(resolve_map_lookup(&c.checks.resolve, "tls.demo.test"), "127.0.0.1");
    deploy_config_free(&c);
    const char *tls_bad[] = {"ACMETOP_DEMO_TLSALPN01_PORT=0", NULL};
    deploy_config_init(&c, tls_bad);
    assert_int_equal(deploy_config_apply_demo_env(&c, tls_bad, &err), -1);
    assert_non_null(strstr(err.message, "ACMETOP_DEMO_TLSALPN01_PORT"));
    deploy_config_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_bad_values_name_their_origin),
        cmocka_unit_test(test_demo_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
