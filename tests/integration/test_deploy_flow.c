/* test_deploy_flow: the engine half of issue 5 end to end, with a real CA:
 * pebble (and challtestsrv as its DNS) behind the Vault simulator's pebble
 * backend, driven through acmetop's own Vault client.
 *   http-01: new order -> the pre-flight check says unreachable while nothing
 *     is deployed -> acmetop's responder serves the token on pebble's http-01
 *     port -> pre-flight OK -> fulfilled -> pebble's validator fetches from the
 *     responder (the hit is seen) -> completed -> fetch-cert -> files saved
 *     (key 0600) -> parsed -> `openssl verify` accepts the saved certificate
 *     and chain against pebble's root.
 *   dns-01 for a wildcard: mismatch before the TXT record exists -> the TXT
 *     value set in challtestsrv -> pre-flight OK -> fulfilled -> completed.
 *   tls-alpn-01: unreachable while nothing is deployed -> acmetop's
 *     TLS-ALPN-01 responder serves the identifier on pebble's tls-alpn-01
 *     port -> pre-flight OK -> fulfilled -> pebble's validator completes a
 *     handshake with it (SNI = the identifier, reported served) ->
 *     completed; the issued certificate names the identifier.
 * The environment comes from tests/integration/pebble_vault_env.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "challtestsrv.h"
#include "model/cert_bundle.h"
#include "model/cert_info.h"
#include "model/challenge_detail.h"
#include "model/challenge_value.h"
#include "model/xalloc.h"
#include "net/cert_files.h"
#include "net/http01_responder.h"
#include "net/preflight.h"
#include "net/preflight_result.h"
#include "net/preflight_tlsalpn01.h"
#include "net/tlsalpn01_responder.h"
#include "net/vault_client.h"

#define HELPER "tests/integration/pebble_vault_env.py"
#define MOUNT "pki-external-ca"

struct env {
    pid_t pid;
    int to_child, from_child;
    char vault_addr[256];
    int http01_port;
    int tlsalpn01_port;
    char dns[64];
    int mgmt_port;
    char root_pem[512];
    struct vault_client *vault;
    char tmp[64];
};

static struct env E;

static int env_start(void)
{
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0)
        return -1;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        execl("/usr/bin/python3", "/usr/bin/python3", HELPER, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    E.pid = pid;
    E.to_child = in[1];
    E.from_child = out[0];
    double deadline = now_s() + 90;
    char line[1024];
    while (read_line(E.from_child, line, sizeof line, deadline) == 0) {
        if (strncmp(line, "VAULT_ADDR=", 11) == 0)
            snprintf(E.vault_addr, sizeof E.vault_addr, "%.200s", line + 11);
        else if (strncmp(line, "HTTP01_PORT=", 12) == 0)
            E.http01_port = atoi(line + 12);
        else if (strncmp(line, "DNS=", 4) == 0)
            snprintf(E.dns, sizeof E.dns, "%.60s", line + 4);
        else if (strncmp(line, "CHALL_MGMT_PORT=", 16) == 0)
            E.mgmt_port = atoi(line + 16);
        else if (strncmp(line, "ROOT_PEM=", 9) == 0)
            snprintf(E.root_pem, sizeof E.root_pem, "%.500s", line + 9);
        else if (strncmp(line, "TLSALPN01_PORT=", 15) == 0)
            E.tlsalpn01_port = atoi(line + 15);
        else if (strcmp(line, "READY") == 0)
            return 0;
        else
            fprintf(stderr, "pebble_vault_env: %s\n", line);
    }
    fprintf(stderr, "pebble_vault_env did not get ready\n");
    return -1;
}

static void env_stop(void)
{
    if (E.to_child > 0)
        close(E.to_child); /* EOF: the helper stops pebble and the simulator */
    reap_child(E.pid, 15);
    if (E.from_child > 0)
        close(E.from_child);
}

static int group_setup(void **state)
{
    (void)state;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (vault_client_global_init() != 0 || env_start() != 0)
        return -1;
    struct vault_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.addr = E.vault_addr;
    cfg.token = "root";
    cfg.mount = MOUNT;
    cfg.connect_timeout_ms = 5000;
    cfg.timeout_ms = 30000;
    cfg.max_body_bytes = 16u * 1024 * 1024;
    cfg.parallel = 2;
    struct vault_error err;
    E.vault = vault_client_new(&cfg, &err);
    if (!E.vault) {
        fprintf(stderr, "vault client: %s\n", err.sentence);
        return -1;
    }
    snprintf(E.tmp, sizeof E.tmp, "/tmp/test_deploy_flow_XXXXXX");
    return mkdtemp(E.tmp) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    vault_client_free(E.vault);
    env_stop();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", E.tmp);
    int rc = system(cmd);
    vault_client_global_cleanup();
    return rc == 0 ? 0 : -1;
}

/* ---- Vault calls ------------------------------------------------------------ */

static char *vault_call(const char *method, const char *rest, const char *query,
                        const char *body, long want_status)
{
    char *path = vault_client_mount_path(E.vault, rest);
    struct vault_response resp = {0};
    struct vault_error err;
    int rc = vault_client_request(E.vault, method, path, query, body, &resp, &err);
    if (rc != 0 || resp.status != want_status)
        fail_msg("%s %s: %s (HTTP %ld) %s", method, path, rc ? err.sentence : "", resp.status,
                 resp.body ? resp.body : "");
    free(path);
    char *out = xstrdup(resp.body ? resp.body : "");
    vault_response_free(&resp);
    return out;
}

static char *new_order(const char *identifier)
{
    char body[256];
    snprintf(body, sizeof body, "{\"identifiers\":[\"%s\"]}", identifier);
    char *resp = vault_call("POST", "role/e2e/new-order", NULL, body, 200);
    cJSON *j = cJSON_Parse(resp);
    const cJSON *id = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "data"), "order_id");
    assert_true(cJSON_IsString(id));
    char *out = xstrdup(id->valuestring);
    cJSON_Delete(j);
    free(resp);
    return out;
}

/* Poll the order until its status is one of wanted (comma list); returns it. */
static char *wait_status(const char *order_id, const char *wanted, double seconds)
{
    char rest[256];
    snprintf(rest, sizeof rest, "role/e2e/order/%s/status", order_id);
    double deadline = now_s() + seconds;
    for (;;) {
        char *resp = vault_call("GET", rest, NULL, NULL, 200);
        cJSON *j = cJSON_Parse(resp);
        const cJSON *data = cJSON_GetObjectItem(j, "data");
        const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(data, "order_status"));
        char *st = xstrdup(status ? status : "?");
        char *last_error = xstrdup(cJSON_GetStringValue(cJSON_GetObjectItem(data, "last_error")));
        cJSON_Delete(j);
        free(resp);
        char padded[300];
        snprintf(padded, sizeof padded, ",%s,", wanted);
        char needle[64];
        snprintf(needle, sizeof needle, ",%s,", st);
        if (strstr(padded, needle)) {
            free(last_error);
            return st;
        }
        if (now_s() > deadline || strcmp(st, "error") == 0)
            fail_msg("order %s is %s (wanted %s): %s", order_id, st, wanted,
                     last_error ? last_error : "");
        free(st);
        free(last_error);
        usleep(200000);
    }
}

static void fetch_challenge(const char *order_id, const char *identifier, const char *type,
                            struct challenge_detail *out)
{
    char rest[256], query[256];
    snprintf(rest, sizeof rest, "role/e2e/order/%s/challenge", order_id);
    char *esc = vault_client_escape(identifier);
    snprintf(query, sizeof query, "identifier=%s&challenge_type=%s", esc, type);
    free(esc);
    char *resp = vault_call("GET", rest, query, NULL, 200);
    struct parse_error perr;
    assert_int_equal(challenge_detail_parse_response(resp, strlen(resp), out, &perr), 0);
    free(resp);
}

static void fulfill(const char *order_id, const char *identifier, const char *type)
{
    char rest[256], body[256];
    snprintf(rest, sizeof rest, "role/e2e/order/%s/fulfilled-challenge", order_id);
    snprintf(body, sizeof body, "{\"identifier\":\"%s\",\"challenge_type\":\"%s\"}", identifier,
             type);
    free(vault_call("POST", rest, NULL, body, 204));
}

/* ---- the responder's hits ------------------------------------------------------ */

struct hits {
    pthread_mutex_t lock;
    int ok_hits; /* 200 answers */
};

static void on_hit(const struct http01_hit *hit, void *user)
{
    struct hits *h = user;
    pthread_mutex_lock(&h->lock);
    if (hit->status == 200)
        h->ok_hits++;
    pthread_mutex_unlock(&h->lock);
    printf("    responder hit: %s %s %s -> %d (%zu bytes)\n", hit->remote, hit->method,
           hit->token, hit->status, hit->bytes);
}

static int ok_hits(struct hits *h)
{
    pthread_mutex_lock(&h->lock);
    int n = h->ok_hits;
    pthread_mutex_unlock(&h->lock);
    return n;
}

static void show(const char *what, const struct preflight_result *r)
{
    printf("    %s: %s | expected %s | found %s | %s\n", what, preflight_status_name(r->status),
           r->expected, r->found, r->why);
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_http01_responder_to_verified_certificate_files(void **state)
{
    (void)state;
    const char *ident = "flow.demo.test";
    char *oid = new_order(ident);
    free(wait_status(oid, "awaiting-challenge-fulfillment", 30));
    struct challenge_detail ch;
    fetch_challenge(oid, ident, "http-01", &ch);

    struct preflight_options o;
    preflight_options_init(&o);
    o.http01_port = E.http01_port;
    assert_int_equal(resolve_map_add(&o.resolve, "*=127.0.0.1", NULL), 0); /* as pebble resolves */
    struct preflight_result res;
    assert_int_equal(preflight_http01(&o, ident, ch.token, ch.key_authorization, &res),
                     PREFLIGHT_UNREACHABLE);
    show("before deploying", &res);

    struct hits hits = {.ok_hits = 0};
    pthread_mutex_init(&hits.lock, NULL);
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", E.http01_port);
    struct http01_responder_options ro = {.listen = listen, .on_hit = on_hit, .user = &hits};
    struct deploy_error derr;
    struct http01_responder *r = http01_responder_start(&ro, &derr);
    if (!r)
        fail_msg("responder: %s", derr.message);
    assert_int_equal(http01_responder_add(r, ch.token, ch.key_authorization, &derr), 0);
    assert_int_equal(preflight_http01(&o, ident, ch.token, ch.key_authorization, &res),
                     PREFLIGHT_OK);
    show("deployed", &res);
    for (int i = 0; i < 200 && ok_hits(&hits) < 1; i++)
        usleep(10000);
    assert_int_equal(ok_hits(&hits), 1); /* the check's own fetch */

    fulfill(oid, ident, "http-01");
    char *st = wait_status(oid, "completed", 60);
    free(st);
    assert_true(ok_hits(&hits) >= 2); /* pebble's validator fetched it from the responder */
    http01_responder_stop(r);
    pthread_mutex_destroy(&hits.lock);

    char rest[256];
    snprintf(rest, sizeof rest, "role/e2e/order/%s/fetch-cert", oid);
    char *body = vault_call("GET", rest, NULL, NULL, 200);
    struct cert_bundle b;
    struct parse_error perr;
    assert_int_equal(cert_bundle_parse_response(body, strlen(body), &b, &perr), 0);
    memset(body, 0, strlen(body)); /* held the private key */
    free(body);
    assert_non_null(b.private_key);
    assert_true(b.ca_chain_count >= 1);

    struct cert_files_paths paths;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/certs", E.tmp);
    if (cert_files_save(dir, ident, oid, &b, false, &paths, &derr) != 0)
        fail_msg("save: %s", derr.message);
    assert_null(b.private_key);
    struct stat sk;
    assert_int_equal(stat(paths.key, &sk), 0);
    assert_int_equal(sk.st_mode & 0777, 0600);

    struct cert_info ci;
    assert_int_equal(cert_info_parse_pem(b.certificate, &ci, &perr), 0);
    printf("    certificate: %s, SAN %s, issuer %s, serial %s, %s, %ld days left, %s\n",
           ci.subject, ci.san_count ? ci.sans[0] : "-", ci.issuer, ci.serial, ci.key_type,
           cert_info_days_left(&ci, time(NULL)), ci.fingerprint_sha256);
    assert_int_equal(ci.san_count, 1);
    assert_string_equal(ci.sans[0], ident);
    assert_string_equal(ci.key_type, "EC P-256");
    assert_true(cert_info_days_left(&ci, time(NULL)) > 0);
    assert_non_null(strstr(ci.issuer, "Pebble"));
    cert_info_free(&ci);
    cert_bundle_free(&b);

    char cmd[3 * PATH_MAX];
    snprintf(cmd, sizeof cmd, "openssl verify -CAfile '%s' -untrusted '%s' '%s' 2>&1",
             E.root_pem, paths.chain, paths.cert);
    FILE *p = popen(cmd, "r");
    char out[512] = "";
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int rc = pclose(p);
    printf("    %s", out);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, ": OK"));
    challenge_detail_free(&ch);
    preflight_options_free(&o);
    free(oid);
}

static void test_dns01_wildcard_set_in_challtestsrv(void **state)
{
    (void)state;
    const char *ident = "*.wild.demo.test";
    char *oid = new_order(ident);
    free(wait_status(oid, "awaiting-challenge-fulfillment", 30));
    struct challenge_detail ch;
    fetch_challenge(oid, ident, "dns-01", &ch);

    struct preflight_options o;
    preflight_options_init(&o);
    o.dns_server = xstrdup(E.dns);
    struct preflight_result res;
    assert_int_not_equal(preflight_dns01(&o, ident, ch.key_authorization, &res), PREFLIGHT_OK);
    show("before the TXT record", &res);

    char value[CHALLENGE_DNS01_VALUE_BUF];
    assert_int_equal(challenge_dns01_txt_value(ch.key_authorization, value, sizeof value), 0);
    char *name = challenge_dns01_record_name(ident);
    assert_string_equal(name, "_acme-challenge.wild.demo.test");
    struct challtestsrv mgmt = {.pid = 0, .mgmt_port = E.mgmt_port};
    assert_int_equal(challtestsrv_set_txt(&mgmt, name, value), 0);
    assert_int_equal(preflight_dns01(&o, ident, ch.key_authorization, &res), PREFLIGHT_OK);
    show("published", &res);
    assert_string_equal(res.expected, value);

    fulfill(oid, ident, "dns-01");
    free(wait_status(oid, "completed", 60));
    free(name);
    challenge_detail_free(&ch);
    preflight_options_free(&o);
    free(oid);
}

/* ---- the TLS-ALPN-01 responder's handshakes --------------------------------------- */

struct handshakes {
    pthread_mutex_t lock;
    int served;         /* handshakes completed with the challenge certificate */
    int served_for_sni; /* of them, with SNI = the identifier */
    char sni[256];      /* the identifier */
};

static void on_handshake(const struct tlsalpn01_handshake *h, void *user)
{
    struct handshakes *hs = user;
    pthread_mutex_lock(&hs->lock);
    if (h->outcome == TLSALPN01_SERVED) {
        hs->served++;
        hs->served_for_sni += strcmp(h->sni, hs->sni) == 0;
    }
    pthread_mutex_unlock(&hs->lock);
    printf("    handshake: %s SNI %s -> %s (%s)\n", h->remote, h->sni,
           tlsalpn01_outcome_name(h->outcome), h->detail);
}

static int served_for_sni(struct handshakes *hs)
{
    pthread_mutex_lock(&hs->lock);
    int n = hs->served_for_sni;
    pthread_mutex_unlock(&hs->lock);
    return n;
}

static void test_tlsalpn01_responder_to_completed_order(void **state)
{
    (void)state;
    const char *ident = "tls.demo.test";
    char *oid = new_order(ident);
    free(wait_status(oid, "awaiting-challenge-fulfillment", 30));
    struct challenge_detail ch;
    fetch_challenge(oid, ident, "tls-alpn-01", &ch);

    struct preflight_options o;
    preflight_options_init(&o);
    o.tlsalpn01_port = E.tlsalpn01_port;
    assert_int_equal(resolve_map_add(&o.resolve, "*=127.0.0.1", NULL), 0); /* as pebble resolves */
    struct preflight_result res;
    assert_int_equal(preflight_tlsalpn01(&o, ident, ch.key_authorization, &res),
                     PREFLIGHT_UNREACHABLE);
    show("before deploying", &res);

    struct handshakes hs = {.served = 0};
    snprintf(hs.sni, sizeof hs.sni, "%s", ident);
    pthread_mutex_init(&hs.lock, NULL);
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", E.tlsalpn01_port);
    struct tlsalpn01_responder_options ro = {.listen = listen, .on_handshake = on_handshake,
                                             .user = &hs};
    struct deploy_error derr;
    struct tlsalpn01_responder *r = tlsalpn01_responder_start(&ro, &derr);
    if (!r)
        fail_msg("responder: %s", derr.message);
    assert_int_equal(tlsalpn01_responder_add(r, ident, ch.key_authorization, &derr), 0);
    assert_int_equal(preflight_tlsalpn01(&o, ident, ch.key_authorization, &res), PREFLIGHT_OK);
    show("deployed", &res);
    for (int i = 0; i < 200 && served_for_sni(&hs) < 1; i++)
        usleep(10000);
    assert_int_equal(served_for_sni(&hs), 1); /* the check's own handshake */

    fulfill(oid, ident, "tls-alpn-01");
    free(wait_status(oid, "completed", 60));
    assert_true(served_for_sni(&hs) >= 2); /* pebble's validator: a handshake with SNI = ident */
    tlsalpn01_responder_stop(r);
    pthread_mutex_destroy(&hs.lock);

    char rest[256];
    snprintf(rest, sizeof rest, "role/e2e/order/%s/fetch-cert", oid);
    char *body = vault_call("GET", rest, NULL, NULL, 200);
    struct cert_bundle b;
    struct parse_error perr;
    assert_int_equal(cert_bundle_parse_response(body, strlen(body), &b, &perr), 0);
    memset(body, 0, strlen(body)); /* held the private key */
    free(body);
    struct cert_info ci;
    assert_int_equal(cert_info_parse_pem(b.certificate, &ci, &perr), 0);
    printf("    certificate: %s, SAN %s, issuer %s\n", ci.subject,
           ci.san_count ? ci.sans[0] : "-", ci.issuer);
    assert_int_equal(ci.san_count, 1);
    assert_string_equal(ci.sans[0], ident);
    assert_non_null(strstr(ci.issuer, "Pebble"));
    cert_info_free(&ci);
    cert_bundle_free(&b);
    challenge_detail_free(&ch);
    preflight_options_free(&o);
    free(oid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http01_responder_to_verified_certificate_files),
        cmocka_unit_test(test_dns01_wildcard_set_in_challtestsrv),
        cmocka_unit_test(test_tlsalpn01_responder_to_completed_order),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
