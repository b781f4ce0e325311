/* test_preflight_dns: the dns-01 pre-flight check against every
 * authoritative server of the zone, with real BIND9s (named) on free
 * loopback ports: the zones' nameservers are 127.0.0.1 (a named serving
 * the current zones) and 127.0.0.2 (another named serving a copy that can
 * be stale, the way a lagging secondary does).  What an operator sees:
 *   - a stale secondary: one row OK, one row mismatch with what it served,
 *     the check not OK; after it loads the new zone, both OK;
 *   - a CNAME on _acme-challenge.<name> followed into another zone, whose
 *     own nameservers are asked;
 *   - a nameserver that nothing answers for (refused at once, and why) and
 *     one whose address does not resolve, each in its row;
 *   - preflight_dns_server still asks only that server;
 *   - the rows reach the console's message from the engine's check thread.
 * named serves the zones without recursion; the check is pointed at them
 * through the test-only options: test_resolver (the first named instead of
 * /etc/resolv.conf) and test_ns_routes (nameserver 127.0.0.1 is the first
 * named's port, 127.0.0.2 the second's, 127.0.0.3 a closed port). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bindsrv.h"
#include "deadline.h"
#include "model/challenge_value.h"
#include "model/xalloc.h"
#include "model/queue.h"
#include "net/preflight.h"
#include "net/preflight_result.h"
#include "net/preflight_jobs.h"

#define TOKEN "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"
#define KEYAUTH TOKEN ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"
#define VECTOR "lCM7cZyQXcVHK2nnW3jjAhNT3Fvm18UN-kWZZknKoYM"
#define OLD "stale-value-of-the-last-order"

static struct bindsrv *primary, *secondary;
static int closed_udp_port;

/* auth.test: two nameservers; the TXT of shop as given, serial as given. */
static void auth_zone(char *buf, size_t size, unsigned serial, const char *shop_txt)
{
    snprintf(buf, size,
             "$TTL 60\n"
             "@ IN SOA ns1.auth.test. admin.auth.test. %u 60 60 60 60\n"
             "@ IN NS ns1.auth.test.\n"
             "@ IN NS ns2.auth.test.\n"
             "ns1 IN A 127.0.0.1\n"
             "ns2 IN A 127.0.0.2\n"
             "_acme-challenge.shop 30 IN TXT \"%s\"\n"
             "_acme-challenge.alias IN CNAME _acme-challenge.alias.validation.test.\n",
             serial, shop_txt);
}

static const char validation_zone[] =
    "$TTL 60\n"
    "@ IN SOA ns1.validation.test. admin.validation.test. 1 60 60 60 60\n"
    "@ IN NS ns1.validation.test.\n"
    "ns1 IN A 127.0.0.1\n"
    "_acme-challenge.alias IN TXT \"" VECTOR "\"\n";

/* ns3 has an address nobody listens on, ns4 none at all (out of zone, and
 * the named asked does not recurse) */
static const char broken_zone[] =
    "$TTL 60\n"
    "@ IN SOA ns1.broken.test. admin.broken.test. 1 60 60 60 60\n"
    "@ IN NS ns1.broken.test.\n"
    "@ IN NS ns3.broken.test.\n"
    "@ IN NS ns4.nowhere.test.\n"
    "ns1 IN A 127.0.0.1\n"
    "ns3 IN A 127.0.0.3\n"
    "_acme-challenge.x IN TXT \"" VECTOR "\"\n";

/* A loopback UDP port with nothing behind it. */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t l = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &l) != 0)
        return -1;
    close(fd);
    return ntohs(a.sin_port);
}

static struct bindsrv *serve(const char *auth)
{
    struct bindsrv *b = bindsrv_new();
    if (b && (bindsrv_zone(b, "auth.test", auth) != 0 ||
              bindsrv_zone(b, "validation.test", validation_zone) != 0 ||
              bindsrv_zone(b, "broken.test", broken_zone) != 0 || bindsrv_start(b) != 0)) {
        bindsrv_stop(b);
        return NULL;
    }
    return b;
}

static int group_setup(void **state)
{
    (void)state;
    char fresh[1024], stale[1024];
    auth_zone(fresh, sizeof fresh, 1, VECTOR);
    auth_zone(stale, sizeof stale, 1, OLD);
    primary = serve(fresh);
    secondary = serve(stale);
    closed_udp_port = closed_port();
    return primary && secondary && closed_udp_port > 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    bindsrv_stop(primary);
    bindsrv_stop(secondary);
    return 0;
}

static void options(struct preflight_options *o, long timeout_ms)
{
    preflight_options_init(o);
    o->timeout_ms = timeout_ms;
    char text[256];
    snprintf(text, sizeof text, "127.0.0.1:%d", primary->port);
    o->test_resolver = xstrdup(text);
    snprintf(text, sizeof text, "127.0.0.1=127.0.0.1:%d,127.0.0.2=127.0.0.1:%d,"
             "127.0.0.3=127.0.0.1:%d", primary->port, secondary->port, closed_udp_port);
    o->test_ns_routes = xstrdup(text);
}

static void show(const char *what, const struct preflight_result *r)
{
    char rows[4096];
    preflight_dns01_rows_text(r, rows, sizeof rows);
    printf("    %s: %s | found %s | %s | %s\n%s\n", what, preflight_status_name(r->status),
           r->found, r->why, r->where, rows);
}

/* The row of the server at address (its text starts with it), or fail. */
static const struct preflight_dns_row *row_of(const struct preflight_result *r,
                                              const char *address)
{
    for (size_t i = 0; i < r->dns_row_count; i++)
        if (strncmp(r->dns_rows[i].server, address, strlen(address)) == 0 &&
            r->dns_rows[i].server[strlen(address)] == ' ')
            return &r->dns_rows[i];
    fail_msg("no row for %s", address);
    return NULL;
}

static void test_stale_secondary_shows_then_both_ok(void **state)
{
    (void)state;
    struct preflight_options o;
    options(&o, 5000);
    struct preflight_result res;
    assert_int_equal(preflight_dns01(&o, "shop.auth.test", KEYAUTH, &res), PREFLIGHT_MISMATCH);
    show("dns-01 stale secondary", &res);
    assert_int_equal(res.dns_row_count, 2);
    const struct preflight_dns_row *ns1 = row_of(&res, "127.0.0.1");
    const struct preflight_dns_row *ns2 = row_of(&res, "127.0.0.2");
    assert_string_equal(ns1->server, "127.0.0.1 (ns1.auth.test)");
    assert_int_equal(ns1->status, PREFLIGHT_OK);
    assert_int_equal(ns1->ttl, 30);
    assert_int_equal(ns2->status, PREFLIGHT_MISMATCH);
    assert_string_equal(ns2->detail, "serves \"" OLD "\"");
    assert_int_equal(ns2->ttl, 30);
    assert_string_equal(res.found, "\"" OLD "\"");
    assert_non_null(strstr(res.why, "1 of 2 authoritative servers of auth.test"));
    assert_non_null(strstr(res.why, "127.0.0.2 (ns2.auth.test): serves \"" OLD "\""));
    /* the recursive answer (the fresh server here) looks fine: that is the trap */
    assert_non_null(strstr(res.recursive, "\"" VECTOR "\" (TTL 30)"));
    char rows[4096];
    preflight_dns01_rows_text(&res, rows, sizeof rows);
    assert_non_null(strstr(rows, "127.0.0.1 (ns1.auth.test)  OK          serves the value, "
                                 "TTL 30"));
    assert_non_null(strstr(rows, "127.0.0.2 (ns2.auth.test)  mismatch    serves \"" OLD
                                 "\", TTL 30"));
    assert_non_null(strstr(rows, "recursive: \"" VECTOR "\""));

    /* the secondary catches up */
    char fresh[1024];
    auth_zone(fresh, sizeof fresh, 2, VECTOR);
    assert_int_equal(bindsrv_zone(secondary, "auth.test", fresh), 0);
    assert_int_equal(bindsrv_reload(secondary, "auth.test", 2), 0);
    assert_int_equal(preflight_dns01(&o, "shop.auth.test", KEYAUTH, &res), PREFLIGHT_OK);
    show("dns-01 both fresh", &res);
    assert_int_equal(res.dns_row_count, 2);
    assert_int_equal(row_of(&res, "127.0.0.1")->status, PREFLIGHT_OK);
    assert_int_equal(row_of(&res, "127.0.0.2")->status, PREFLIGHT_OK);
    assert_string_equal(row_of(&res, "127.0.0.2")->detail, "serves the value");
    assert_non_null(strstr(res.why, "on all 2 authoritative servers of auth.test"));
    assert_string_equal(res.expected, VECTOR);
    assert_string_equal(res.where,
                        "TXT _acme-challenge.shop.auth.test at the authoritative servers of "
                        "auth.test");

    /* a name that exists nowhere: each server says so */
    assert_int_equal(preflight_dns01(&o, "gone.auth.test", KEYAUTH, &res), PREFLIGHT_MISMATCH);
    show("dns-01 no such name", &res);
    assert_int_equal(res.dns_row_count, 2);
    assert_string_equal(row_of(&res, "127.0.0.2")->detail, "NXDOMAIN: no such name there");
    assert_non_null(strstr(res.recursive, "NXDOMAIN"));
    preflight_options_free(&o);
}

static void test_cname_on_acme_challenge_is_followed(void **state)
{
    (void)state;
    struct preflight_options o;
    options(&o, 5000);
    struct preflight_result res;
    assert_int_equal(preflight_dns01(&o, "alias.auth.test", KEYAUTH, &res), PREFLIGHT_OK);
    show("dns-01 CNAME", &res);
    /* the target's zone and its one nameserver, not auth.test's two */
    assert_string_equal(res.where, "TXT _acme-challenge.alias.auth.test -> CNAME "
                                   "_acme-challenge.alias.validation.test at the "
                                   "authoritative servers of validation.test");
    assert_int_equal(res.dns_row_count, 1);
    assert_string_equal(res.dns_rows[0].server, "127.0.0.1 (ns1.validation.test)");
    assert_int_equal(res.dns_rows[0].status, PREFLIGHT_OK);
    assert_int_equal(res.dns_rows[0].ttl, 60);
    assert_non_null(strstr(res.why, "on the one authoritative server of validation.test"));
    /* the resolver asked (a named without recursion) gave the CNAME only */
    assert_non_null(strstr(res.recursive, "CNAME _acme-challenge.alias.validation.test: no "
                                          "TXT record, from 127.0.0.1:"));
    preflight_options_free(&o);
}

static void test_unreachable_servers_say_why(void **state)
{
    (void)state;
    struct preflight_options o;
    options(&o, 5000);
    struct preflight_result res;
    double t0 = now_s();
    assert_int_equal(preflight_dns01(&o, "x.broken.test", KEYAUTH, &res), PREFLIGHT_UNREACHABLE);
    double took = now_s() - t0;
    show("dns-01 unreachable nameservers", &res);
    assert_true(took < 2.0); /* the refusal is seen at once, no timeout waited */
    assert_int_equal(res.dns_row_count, 3);
    assert_int_equal(row_of(&res, "127.0.0.1")->status, PREFLIGHT_OK);
    const struct preflight_dns_row *ns3 = row_of(&res, "127.0.0.3");
    assert_int_equal(ns3->status, PREFLIGHT_UNREACHABLE);
    assert_non_null(strstr(ns3->detail, "connection refused"));
    assert_int_equal(ns3->ttl, -1);
    const struct preflight_dns_row *ns4 = NULL;
    for (size_t i = 0; i < res.dns_row_count; i++)
        if (strcmp(res.dns_rows[i].server, "ns4.nowhere.test") == 0)
            ns4 = &res.dns_rows[i];
    assert_non_null(ns4);
    assert_int_equal(ns4->status, PREFLIGHT_UNREACHABLE);
    assert_string_equal(ns4->detail, "its address does not resolve");
    assert_non_null(strstr(res.why, "1 of 3 authoritative servers of broken.test"));
    preflight_options_free(&o);
}

static void test_dns_server_override_asks_only_that_server(void **state)
{
    (void)state;
    struct preflight_options o;
    options(&o, 5000);
    char server[64];
    snprintf(server, sizeof server, "127.0.0.1:%d", primary->port);
    o.dns_server = xstrdup(server);
    struct preflight_result res;
    /* broken.test's unreachable nameservers are not asked */
    assert_int_equal(preflight_dns01(&o, "x.broken.test", KEYAUTH, &res), PREFLIGHT_OK);
    show("dns-01 override", &res);
    assert_int_equal(res.dns_row_count, 0);
    assert_string_equal(res.recursive, "");
    char where[128];
    snprintf(where, sizeof where, "TXT _acme-challenge.x.broken.test via %s", server);
    assert_string_equal(res.where, where);
    preflight_options_free(&o);
}

static void test_no_zone_found_is_unreachable(void **state)
{
    (void)state;
    struct preflight_options o;
    options(&o, 3000);
    struct preflight_result res;
    /* named serves no such zone and does not recurse: REFUSED all the way up */
    assert_int_equal(preflight_dns01(&o, "www.elsewhere.example", KEYAUTH, &res),
                     PREFLIGHT_UNREACHABLE);
    show("dns-01 no zone", &res);
    assert_non_null(strstr(res.why, "REFUSED"));
    assert_int_equal(res.dns_row_count, 0);
    preflight_options_free(&o);
}

/* The console gets the rows through the engine's message: the check run on
 * a thread of its own, its options copied (the test-only ones too). */
static void test_rows_reach_the_console_message(void **state)
{
    (void)state;
    struct queue *updates = queue_new();
    struct preflight_jobs *jobs = preflight_jobs_new(updates);
    struct preflight_options o;
    options(&o, 5000);
    assert_int_equal(preflight_jobs_start(jobs, &o, 42, "order-1", "x.broken.test", "dns-01",
                                          NULL, KEYAUTH), 0);
    preflight_options_free(&o); /* the job has its own copy */
    struct msg *m = queue_wait_pop(updates, 10000);
    assert_non_null(m);
    assert_int_equal(m->type, UPD_PREFLIGHT);
    assert_int_equal(m->request_id, 42);
    assert_int_equal(m->u.preflight.status, MSG_CHECK_UNREACHABLE);
    printf("%s\n", m->u.preflight.servers);
    assert_non_null(strstr(m->u.preflight.servers, "  127.0.0.1 (ns1.broken.test)  OK"));
    assert_non_null(strstr(m->u.preflight.servers, "  127.0.0.3 (ns3.broken.test)  unreachable "
                                                   "connection refused"));
    assert_non_null(strstr(m->u.preflight.servers, "\n  recursive: \"" VECTOR "\""));
    msg_free(m);
    preflight_jobs_stop(jobs);
    queue_free(updates);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stale_secondary_shows_then_both_ok),
        cmocka_unit_test(test_cname_on_acme_challenge_is_followed),
        cmocka_unit_test(test_unreachable_servers_say_why),
        cmocka_unit_test(test_dns_server_override_asks_only_that_server),
        cmocka_unit_test(test_no_zone_found_is_unreachable),
        cmocka_unit_test(test_rows_reach_the_console_message),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
