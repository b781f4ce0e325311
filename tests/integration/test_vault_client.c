/* test_vault_client: the Vault client against the real Vault simulator
 * (tests/vaultsim/vaultsim, or $VAULTSIM), started per group as a child
 * process.  What an operator would notice: the right verbs and headers
 * reach Vault (checked in the simulator's request log), errors read as
 * actionable sentences that never hold the token, connections are reused,
 * a batch runs in parallel within its bound, and TLS is verified. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "model/xalloc.h"
#include "net/vault_client.h"
#include "simproc.h"

#define TOKEN "s.acmetop-test-token-7f3a"
/* printf %s s.acmetop-test-token-7f3a | sha256sum */
#define TOKEN_SHA256 "0bf445c962fdb63602450962b39add9b6a19ab29d33c2c70fc414e5afb4fac1c"
#define MOUNT "pki-external-ca"

/* ---- helpers ------------------------------------------------------------- */

static void assert_contains(const char *hay, const char *needle)
{
    if (!hay || !strstr(hay, needle)) {
        print_error("expected \"%s\" in \"%s\"\n", needle, hay ? hay : "(null)");
        fail();
    }
}

/* A configuration for the simulator: defaults, then what the test sets. */
static void config_for(struct vault_config *c, const struct simproc *sim, const char *token)
{
    simproc_config(sim, token, c);
    c->poll_interval_s = 5;
}

static struct vault_client *client_for(const struct vault_config *c)
{
    struct vault_error err;
    struct vault_client *vc = vault_client_new(c, &err);
    if (!vc) {
        print_error("vault_client_new: %s\n", err.sentence);
        fail();
    }
    return vc;
}

/* The simulator's request log: a cJSON array of entries (caller deletes). */
static cJSON *request_log(struct simproc *sim)
{
    char *text = simproc_get_json(sim, "/_sim/requests");
    assert_non_null(text);
    cJSON *root = cJSON_Parse(text);
    free(text);
    assert_true(cJSON_IsArray(root));
    return root;
}

static const char *entry_str(const cJSON *e, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *entry_header(const cJSON *e, const char *name)
{
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(e, "headers");
    const cJSON *v;
    cJSON_ArrayForEach(v, h) if (v->string && strcasecmp(v->string, name) == 0 && cJSON_IsString(v))
        return v->valuestring;
    return NULL;
}

/* Tests mark their requests with the query "probe=<name>", so that they
 * find them in the log whatever else ran before. */
static bool entry_has_probe(const cJSON *e, const char *probe)
{
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(e, "query");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(q, "probe");
    return cJSON_IsString(v) && strcmp(v->valuestring, probe) == 0;
}

/* Does the entry have this method and path (relative to /v1/)? */
static bool entry_is(const cJSON *e, const char *method, const char *path)
{
    const char *m = entry_str(e, "method"), *p = entry_str(e, "path");
    if (!m || !p || strcmp(m, method) != 0)
        return false;
    if (strncmp(p, "/v1/", 4) == 0)
        p += 4;
    return strcmp(p, path) == 0;
}

/* The log entries of one probe (a cJSON array, caller deletes).  The
 * simulator logs a request just after answering it, so this waits (up to
 * 5 s) until `want` of them are there. */
static cJSON *log_probe(struct simproc *sim, const char *probe, int want)
{
    for (int tries = 0;; tries++) {
        cJSON *log = request_log(sim);
        cJSON *out = cJSON_CreateArray();
        const cJSON *e;
        cJSON_ArrayForEach(e, log) if (entry_has_probe(e, probe))
            cJSON_AddItemToArray(out, cJSON_Duplicate(e, true));
        cJSON_Delete(log);
        if (cJSON_GetArraySize(out) >= want || tries == 100)
            return out;
        cJSON_Delete(out);
        usleep(50000);
    }
}

static void add_fault(struct simproc *sim, const char *json)
{
    long st = simproc_post(sim, "/_sim/faults", json);
    if (st < 200 || st > 299) {
        print_error("fault %s refused: %ld\n", json, st);
        fail();
    }
}

/* A role, so that LIST role/web/active-orders has something to list. */
static void create_role(struct simproc *sim, struct vault_client *vc, const char *role)
{
    (void)sim;
    struct vault_response r;
    struct vault_error err;
    char *acct = vault_client_mount_path(vc, "config/acme-account/acct");
    int rc = vault_client_write(vc, acct,
                                "{\"directory_url\":\"https://acme.invalid/dir\","
                                "\"email_contacts\":[\"ops@example.com\"]}",
                                &r, &err);
    if (rc != 0)
        print_error("%s\n", err.sentence);
    assert_int_equal(rc, 0);
    vault_response_free(&r);
    free(acct);
    char rest[200];
    snprintf(rest, sizeof rest, "role/%s", role);
    char *path = vault_client_mount_path(vc, rest);
    rc = vault_client_write(vc, path,
                            "{\"acme_account_name\":\"acct\",\"allowed_domains\":[\"example.com\"],"
                            "\"allowed_domain_options\":[\"subdomains\"]}",
                            &r, &err);
    if (rc != 0)
        print_error("%s\n", err.sentence);
    assert_int_equal(rc, 0);
    vault_response_free(&r);
    free(path);
}

/* ---- the simulators, started once for the whole group ---------------------------- */

struct sims {
    struct simproc *plain; /* --token TOKEN */
    struct simproc *tls;   /* --token TOKEN --tls */
};

static int group_setup(void **state)
{
    const char *plain[] = {"--token", TOKEN, NULL};
    const char *tls[] = {"--token", TOKEN, "--tls", NULL};
    struct sims *s = calloc(1, sizeof *s);
    s->plain = simproc_start(plain);
    s->tls = simproc_start(tls);
    *state = s; /* the group teardown stops what did start, even after a failure here */
    return s->plain && s->tls ? 0 : -1;
}

static int group_teardown(void **state)
{
    struct sims *s = *state;
    simproc_stop(s->plain);
    simproc_stop(s->tls);
    free(s);
    return 0;
}

/* Before each test: no fault left over from the one before. */
static int test_setup(void **state)
{
    struct sims *s = *state;
    return simproc_delete(s->plain, "/_sim/faults") >= 200 ? 0 : -1;
}

static void test_get_health(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, NULL); /* health needs no token */
    struct vault_client *vc = client_for(&c);
    struct vault_response r;
    struct vault_error err;
    assert_int_equal(vault_client_get(vc, "sys/health", "probe=health", &r, &err), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(strlen(r.body), r.body_len);
    cJSON *j = cJSON_Parse(r.body);
    assert_non_null(j);
    assert_true(cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(j, "sealed")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j, "sealed")));
    cJSON_Delete(j);
    vault_response_free(&r);

    cJSON *log = log_probe(sim, "health", 1);
    assert_int_equal(cJSON_GetArraySize(log), 1);
    const cJSON *e = cJSON_GetArrayItem(log, 0);
    assert_true(entry_is(e, "GET", "sys/health"));
    assert_string_equal(entry_header(e, "User-Agent"), "acmetop/" ACMETOP_VERSION);
    assert_string_equal(entry_header(e, "Accept"), "application/json");
    assert_null(entry_header(e, "X-Vault-Token"));     /* no token configured: none sent */
    assert_null(entry_header(e, "X-Vault-Namespace")); /* no namespace: no header */
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(e, "token_sha256")));
    cJSON_Delete(log);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_list_uses_list_verb_and_sends_token(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, TOKEN);
    struct vault_client *vc = client_for(&c);
    create_role(sim, vc, "web");

    struct vault_response r;
    struct vault_error err;
    char *path = vault_client_mount_path(vc, "role");
    assert_string_equal(path, MOUNT "/role");
    assert_int_equal(vault_client_list(vc, path, &r, &err), 0);
    assert_int_equal(r.status, 200);
    vault_response_free(&r);
    /* the same through the generic call, marked for the log */
    assert_int_equal(vault_client_request(vc, "LIST", path, "probe=list", NULL, &r, &err), 0);
    assert_int_equal(r.status, 200);
    cJSON *j = cJSON_Parse(r.body);
    const cJSON *keys = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(j, "data"), "keys");
    assert_true(cJSON_IsArray(keys));
    bool found = false;
    const cJSON *k;
    cJSON_ArrayForEach(k, keys) found |= cJSON_IsString(k) && strcmp(k->valuestring, "web") == 0;
    assert_true(found);
    cJSON_Delete(j);
    vault_response_free(&r);

    cJSON *log = log_probe(sim, "list", 1);
    assert_int_equal(cJSON_GetArraySize(log), 1);
    const cJSON *e = cJSON_GetArrayItem(log, 0);
    assert_true(entry_is(e, "LIST", path));
    assert_string_equal(entry_str(e, "token_sha256"), TOKEN_SHA256);
    assert_null(entry_header(e, "Content-Type")); /* only writes have a body */
    cJSON_Delete(log);

    /* plain vault_client_list() and the writes of create_role() are in the
     * log too: LIST verb, token, and a JSON content type on the writes */
    log = request_log(sim);
    bool saw_list = false, saw_write = false;
    cJSON_ArrayForEach(e, log)
    {
        if (entry_is(e, "LIST", path) && !entry_has_probe(e, "list")) {
            saw_list = true;
            assert_string_equal(entry_str(e, "token_sha256"), TOKEN_SHA256);
        }
        if (entry_is(e, "POST", MOUNT "/role/web")) {
            saw_write = true;
            assert_string_equal(entry_str(e, "token_sha256"), TOKEN_SHA256);
            assert_string_equal(entry_header(e, "Content-Type"), "application/json");
        }
    }
    assert_true(saw_list);
    assert_true(saw_write);
    /* the log never holds the token itself, and the client never put it elsewhere */
    char *dump = cJSON_PrintUnformatted(log);
    assert_null(strstr(dump, TOKEN));
    free(dump);
    cJSON_Delete(log);
    free(path);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_empty_list_is_success_with_no_keys(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, TOKEN);
    struct vault_client *vc = client_for(&c);
    create_role(sim, vc, "quiet");
    struct vault_response r;
    struct vault_error err;
    char *path = vault_client_mount_path(vc, "role/quiet/active-orders");
    assert_int_equal(vault_client_list(vc, path, &r, &err), 0);
    assert_int_equal(r.status, 404); /* Vault's way of saying "empty" */
    assert_string_equal(r.body, "{\"data\":{\"keys\":[]}}");
    assert_int_equal(r.body_len, strlen(r.body));
    assert_false(vault_error_is_set(&err));
    vault_response_free(&r);

    /* a real 404 (a role that does not exist) is still an error */
    free(path);
    path = vault_client_mount_path(vc, "nonexistent-endpoint");
    assert_int_equal(vault_client_list(vc, path, &r, &err), -1);
    assert_int_equal(r.status, 404);
    assert_int_equal(err.http_status, 404);
    assert_contains(err.sentence, "no such path " MOUNT "/nonexistent-endpoint");
    assert_contains(err.sentence, "--mount (now: " MOUNT ")");
    vault_response_free(&r);
    free(path);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_forbidden_without_or_with_wrong_token(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, NULL);
    struct vault_client *vc = client_for(&c);
    struct vault_response r;
    struct vault_error err;
    char *path = vault_client_mount_path(vc, "lookup/orders");
    assert_int_equal(vault_client_list(vc, path, &r, &err), -1);
    assert_int_equal(r.status, 403);
    assert_true(vault_error_is_permission(&err));
    assert_false(vault_error_is_retryable(&err));
    assert_contains(err.sentence, "permission denied on " MOUNT "/lookup/orders");
    assert_contains(err.sentence, "no token was sent");
    vault_response_free(&r);
    vault_client_free(vc);
    vault_config_free(&c);

    config_for(&c, sim, "s.wrong-token-value");
    vc = client_for(&c);
    assert_int_equal(vault_client_list(vc, path, &r, &err), -1);
    assert_int_equal(r.status, 403);
    assert_contains(err.sentence, "permission denied on " MOUNT "/lookup/orders");
    assert_contains(err.sentence, "must allow list");
    assert_contains(err.sentence, "invalid or expired");
    assert_null(strstr(err.sentence, "s.wrong-token-value"));
    vault_response_free(&r);
    free(path);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_namespace_header_on_every_request(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, TOKEN);
    c.namespace_ = xstrdup("team-a");
    struct vault_client *vc = client_for(&c);
    struct vault_response r;
    struct vault_error err;
    assert_int_equal(vault_client_get(vc, "sys/health", "probe=ns", &r, &err), 0);
    vault_response_free(&r);
    char *p = vault_client_mount_path(vc, "lookup/orders");
    vault_client_request(vc, "LIST", p, "probe=ns", NULL, &r, &err);
    vault_response_free(&r);
    free(p);
    p = vault_client_mount_path(vc, "role/x");
    vault_client_request(vc, "POST", p, "probe=ns", "{}", &r, &err);
    vault_response_free(&r);
    free(p);
    struct vault_request batch[3] = {
        {.method = "GET", .path = "sys/health", .query = "probe=ns"},
        {.method = "GET", .path = "auth/token/lookup-self", .query = "probe=ns"},
        {.method = "LIST", .path = MOUNT "/role", .query = "probe=ns"}};
    vault_client_batch(vc, batch, 3);
    for (int i = 0; i < 3; i++)
        vault_response_free(&batch[i].response);

    cJSON *log = log_probe(sim, "ns", 6);
    assert_int_equal(cJSON_GetArraySize(log), 6);
    const cJSON *e;
    cJSON_ArrayForEach(e, log)
    {
        assert_string_equal(entry_header(e, "X-Vault-Namespace"), "team-a");
        assert_string_equal(entry_str(e, "namespace"), "team-a");
        assert_string_equal(entry_str(e, "token_sha256"), TOKEN_SHA256);
    }
    cJSON_Delete(log);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_keep_alive_reuses_one_connection(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, TOKEN);
    struct vault_client *vc = client_for(&c);
    for (int i = 0; i < 100; i++) {
        struct vault_response r;
        struct vault_error err;
        assert_int_equal(vault_client_get(vc, "sys/health", NULL, &r, &err), 0);
        vault_response_free(&r);
    }
    struct vault_client_stats st;
    vault_client_stats(vc, &st);
    assert_int_equal(st.requests, 100);
    assert_int_equal(st.connections_opened, 1);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_batch_of_200_runs_8_at_a_time(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, TOKEN);
    struct vault_client *vc = client_for(&c);
    create_role(sim, vc, "batch");
    /* 50 ms per health answer (150 of them): one at a time would take >= 7.5 s */
    add_fault(sim, "{\"path_regex\":\"^sys/health\",\"latency_ms\":50}");
    enum { N = 200 };
    struct vault_request *reqs = xcalloc(N, sizeof *reqs);
    for (int i = 0; i < N; i++) {
        reqs[i].method = i % 4 == 3 ? "LIST" : "GET";
        reqs[i].path = i % 4 == 3 ? MOUNT "/role" : "sys/health";
    }
    double t0 = now_s();
    vault_client_batch(vc, reqs, N);
    double elapsed = now_s() - t0;
    for (int i = 0; i < N; i++) {
        if (reqs[i].rc != 0)
            print_error("request %d: %s\n", i, reqs[i].error.sentence);
        assert_int_equal(reqs[i].rc, 0);
        assert_int_equal(reqs[i].response.status, 200);
        assert_contains(reqs[i].response.body, i % 4 == 3 ? "\"keys\"" : "\"initialized\"");
        vault_response_free(&reqs[i].response);
    }
    free(reqs);
    struct vault_client_stats st;
    vault_client_stats(vc, &st);
    print_message("batch of %d: %.3f s, %lu connections\n", N, elapsed, st.connections_opened);
    assert_true(st.connections_opened >= 2); /* really in parallel */
    assert_true(st.connections_opened <= 8); /* within the bound */
    assert_true(elapsed < 150 * 0.050 / 2);  /* at least twice as fast as one at a time */

    /* a second batch reuses the pool: no new connection */
    unsigned long opened = st.connections_opened;
    struct vault_request again[16];
    memset(again, 0, sizeof again);
    for (int i = 0; i < 16; i++)
        again[i].method = "GET", again[i].path = "sys/health";
    vault_client_batch(vc, again, 16);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(again[i].rc, 0);
        vault_response_free(&again[i].response);
    }
    vault_client_stats(vc, &st);
    assert_int_equal(st.connections_opened, opened);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_batch_entries_fail_on_their_own(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, TOKEN);
    c.parallel = 2;
    struct vault_client *vc = client_for(&c);
    add_fault(sim, "{\"path_regex\":\"^" MOUNT "/lookup/order/bad\",\"error_status\":500}");
    struct vault_request reqs[5] = {
        {.method = "GET", .path = "sys/health"},
        {.method = "GET", .path = MOUNT "/lookup/order/bad"},
        {.method = "LIST", .path = MOUNT "/role"},
        {.method = "GET", .path = MOUNT "/lookup/order/bad", .query = "x=1"},
        {.method = "GET", .path = "sys/health"},
    };
    vault_client_batch(vc, reqs, 5);
    assert_int_equal(reqs[0].rc, 0);
    assert_int_equal(reqs[1].rc, -1);
    assert_int_equal(reqs[1].response.status, 500);
    assert_true(vault_error_is_retryable(&reqs[1].error));
    assert_contains(reqs[1].error.sentence, "GET " MOUNT "/lookup/order/bad (500)");
    assert_int_equal(reqs[2].rc, 0);
    assert_int_equal(reqs[3].rc, -1);
    assert_int_equal(reqs[4].rc, 0);
    for (int i = 0; i < 5; i++)
        vault_response_free(&reqs[i].response);
    struct vault_client_stats st;
    vault_client_stats(vc, &st);
    assert_true(st.connections_opened <= 2);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_response_cap_aborts_large_body(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, TOKEN);
    c.max_body_bytes = 64 * 1024;
    struct vault_client *vc = client_for(&c);
    add_fault(sim, "{\"path_regex\":\"lookup/order/huge\",\"oversize_bytes\":2000000}");
    struct vault_response r;
    struct vault_error err;
    assert_int_equal(vault_client_get(vc, MOUNT "/lookup/order/huge", NULL, &r, &err), -1);
    assert_int_equal(err.transport, VT_TOO_LARGE);
    assert_contains(err.sentence, "too large");
    assert_contains(err.sentence, "65536 bytes");
    assert_string_equal(r.body, "");
    vault_response_free(&r);

    /* the same answer under the cap comes through whole */
    vault_client_free(vc);
    c.max_body_bytes = 4 * 1024 * 1024;
    vc = client_for(&c);
    assert_int_equal(vault_client_get(vc, MOUNT "/lookup/order/huge", NULL, &r, &err), 0);
    assert_true(r.body_len >= 2000000);
    assert_int_equal(strlen(r.body), r.body_len);
    cJSON *j = cJSON_Parse(r.body);
    assert_non_null(j);
    cJSON_Delete(j);
    vault_response_free(&r);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_timeout(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, TOKEN);
    c.timeout_ms = 300;
    struct vault_client *vc = client_for(&c);
    add_fault(sim, "{\"path_regex\":\"^sys/health\",\"latency_ms\":2000}");
    struct vault_response r;
    struct vault_error err;
    double t0 = now_s();
    assert_int_equal(vault_client_get(vc, "sys/health", NULL, &r, &err), -1);
    double elapsed = now_s() - t0;
    assert_int_equal(err.transport, VT_TIMEOUT);
    assert_true(vault_error_is_retryable(&err));
    assert_contains(err.sentence, "did not answer GET sys/health in time");
    assert_true(elapsed < 1.5);
    assert_int_equal(r.status, 0);
    vault_response_free(&r);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_rate_limit_carries_retry_after(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, TOKEN);
    struct vault_client *vc = client_for(&c);
    add_fault(sim, "{\"path_regex\":\"lookup/orders\",\"rate_limit\":{\"retry_after\":7}}");
    struct vault_response r;
    struct vault_error err;
    assert_int_equal(vault_client_list(vc, MOUNT "/lookup/orders", &r, &err), -1);
    assert_int_equal(r.status, 429);
    assert_true(r.retry_after_s == 7);
    assert_true(err.retry_after_s == 7);
    assert_true(vault_error_is_retryable(&err));
    assert_contains(err.sentence, "rate limiting");
    assert_contains(err.sentence, "retry after 7 s");
    vault_response_free(&r);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_malformed_2xx_is_returned_raw(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, TOKEN);
    struct vault_client *vc = client_for(&c);
    add_fault(sim, "{\"path_regex\":\"lookup/order/m\",\"malformed\":true}");
    struct vault_response r;
    struct vault_error err;
    /* parsing is the model's job: the client hands the 200 body back as is */
    assert_int_equal(vault_client_get(vc, MOUNT "/lookup/order/m", NULL, &r, &err), 0);
    assert_int_equal(r.status, 200);
    assert_true(r.body_len > 0);
    assert_int_equal(strlen(r.body), r.body_len);
    assert_null(cJSON_Parse(r.body));
    vault_response_free(&r);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_write_and_204(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, TOKEN);
    struct vault_client *vc = client_for(&c);
    create_role(sim, vc, "writer");
    struct vault_response r;
    struct vault_error err;
    /* a new order: the answer carries data.order_id */
    char *p = vault_client_mount_path(vc, "role/writer/new-order");
    assert_int_equal(
        vault_client_write(vc, p, "{\"identifiers\":[\"www.example.com\"]}", &r, &err), 0);
    assert_true(r.status == 200);
    assert_contains(r.body, "order_id");
    vault_response_free(&r);
    free(p);
    /* deleting the role (force: its order is active) answers 204: body "" */
    p = vault_client_mount_path(vc, "role/writer");
    assert_int_equal(vault_client_request(vc, "DELETE", p, "force=true", NULL, &r, &err), 0);
    assert_int_equal(r.status, 204);
    assert_string_equal(r.body, "");
    assert_int_equal(r.body_len, 0);
    vault_response_free(&r);
    free(p);
    /* invalid input: 400 with Vault's message */
    p = vault_client_mount_path(vc, "role/nosuchrole/new-order");
    assert_int_equal(vault_client_write(vc, p, "{\"identifiers\":[\"a.example.com\"]}", &r, &err),
                     -1);
    assert_true(r.status == 400 || r.status == 404);
    assert_contains(err.sentence, MOUNT "/role/nosuchrole/new-order");
    assert_true(err.messages[0] != '\0');
    vault_response_free(&r);
    free(p);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_sealed_vault_503(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, TOKEN);
    struct vault_client *vc = client_for(&c);
    /* the simulator answers 503 {"errors":["Vault is sealed"]} */
    add_fault(sim, "{\"path_regex\":\"lookup/orders\",\"down\":true}");
    struct vault_response r;
    struct vault_error err;
    assert_int_equal(vault_client_list(vc, MOUNT "/lookup/orders", &r, &err), -1);
    assert_int_equal(r.status, 503);
    assert_contains(err.sentence, "unavailable (503 on " MOUNT "/lookup/orders)");
    assert_contains(err.sentence, "sealed");
    vault_response_free(&r);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_dropped_connection(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->plain;
    struct vault_config c;
    config_for(&c, sim, TOKEN);
    struct vault_client *vc = client_for(&c);
    add_fault(sim, "{\"path_regex\":\"lookup/order/drop\",\"drop\":true}");
    struct vault_response r;
    struct vault_error err;
    assert_int_equal(vault_client_get(vc, MOUNT "/lookup/order/drop", NULL, &r, &err), -1);
    assert_int_equal(r.status, 0);
    assert_true(err.transport == VT_OTHER || err.transport == VT_CONNECT);
    assert_true(vault_error_is_retryable(&err));
    assert_contains(err.sentence, MOUNT "/lookup/order/drop");
    vault_response_free(&r);
    /* and the client is still usable afterwards */
    assert_int_equal(vault_client_get(vc, "sys/health", NULL, &r, &err), 0);
    vault_response_free(&r);
    vault_client_free(vc);
    vault_config_free(&c);
}

/* ---- no simulator: nothing listens ---------------------------------------------- */

static void test_connection_refused_sentence(void **state)
{
    (void)state;
    /* a port that was free a moment ago: bind, read it, close */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &len);
    close(s);
    char addr[64];
    snprintf(addr, sizeof addr, "http://127.0.0.1:%d", ntohs(a.sin_port));

    struct vault_config c;
    config_for(&c, NULL, TOKEN);
    free(c.addr);
    c.addr = xstrdup(addr);
    struct vault_client *vc = client_for(&c);
    struct vault_response r;
    struct vault_error err;
    assert_int_equal(vault_client_get(vc, "sys/health", NULL, &r, &err), -1);
    assert_int_equal(err.transport, VT_CONNECT);
    assert_int_equal(err.http_status, 0);
    char want[200];
    snprintf(want, sizeof want,
             "cannot connect to %s: connection refused; is VAULT_ADDR right and Vault running?",
             addr);
    assert_string_equal(err.sentence, want);
    assert_null(strstr(err.sentence, TOKEN));
    vault_response_free(&r);
    vault_client_free(vc);
    vault_config_free(&c);
}

/* A proxy that answers every request with a non-JSON 502 page echoing the
 * X-Vault-Token it was sent after `pad` bytes of filler: the server chooses
 * where the token falls relative to the excerpt's cut. */
struct echo_proxy {
    int fd, port;
    int pad; /* set by the test before each request */
    pthread_t thread;
};

static void *echo_proxy_run(void *arg)
{
    struct echo_proxy *e = arg;
    int c;
    while ((c = accept(e->fd, NULL, NULL)) >= 0) {
        char req[4096];
        size_t n = 0;
        ssize_t k;
        while (n < sizeof req - 1 && (k = read(c, req + n, sizeof req - 1 - n)) > 0) {
            n += (size_t)k;
            req[n] = '\0';
            if (strstr(req, "\r\n\r\n"))
                break;
        }
        req[n] = '\0';
        char token[256] = "";
        const char *h = strstr(req, "X-Vault-Token: ");
        if (h)
            sscanf(h + 15, "%255[^\r\n]", token);
        char body[2048];
        int len = snprintf(body, sizeof body, "<html><body>Bad gateway: %*s token %s rejected by upstream</body></html>",
                           e->pad, "", token);
        char head[256];
        int hl = snprintf(head, sizeof head,
                          "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n"
                          "Content-Length: %d\r\nConnection: close\r\n\r\n", len);
        if (write(c, head, (size_t)hl) < 0 || write(c, body, (size_t)len) < 0)
            perror("echo proxy");
        close(c);
    }
    return NULL;
}

static void echo_proxy_start(struct echo_proxy *e)
{
    e->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(e->fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(e->fd, 8), 0);
    socklen_t len = sizeof a;
    getsockname(e->fd, (struct sockaddr *)&a, &len);
    e->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&e->thread, NULL, echo_proxy_run, e), 0);
}

static void echo_proxy_stop(struct echo_proxy *e)
{
    shutdown(e->fd, SHUT_RDWR); /* accept() returns */
    pthread_join(e->thread, NULL);
    close(e->fd);
}

/* No 4-byte or longer start of the token anywhere in text. */
static void assert_no_token_fragment(const char *text, int pad)
{
    char start[5];
    memcpy(start, TOKEN, 4);
    start[4] = '\0';
    if (strstr(text, start)) {
        print_error("pad %d: token fragment in \"%s\"\n", pad, text);
        fail();
    }
}

/* Redaction happens over the whole answer before it is cut for the
 * sentence: wherever the echo falls, not one fragment of the token is left
 * (cutting first once let 17 of 18 characters through). */
static void test_echoed_token_redacted_wherever_cut(void **state)
{
    (void)state;
    struct echo_proxy e = {0};
    echo_proxy_start(&e);
    char addr[64];
    snprintf(addr, sizeof addr, "http://127.0.0.1:%d", e.port);
    struct vault_config c;
    config_for(&c, NULL, TOKEN);
    free(c.addr);
    c.addr = xstrdup(addr);
    struct vault_client *vc = client_for(&c);
    int redacted_whole = 0;
    for (e.pad = 60; e.pad <= 200; e.pad++) {
        struct vault_response r;
        struct vault_error err;
        assert_int_equal(vault_client_get(vc, "sys/health", NULL, &r, &err), -1);
        assert_int_equal(err.http_status, 502);
        assert_no_token_fragment(err.sentence, e.pad);
        assert_no_token_fragment(err.messages, e.pad);
        redacted_whole += strstr(err.sentence, "token [redacted] rejected") != NULL;
        vault_response_free(&r);
    }
    /* while the echo is inside the excerpt, it reads as redacted */
    assert_true(redacted_whole > 0);
    vault_client_free(vc);
    vault_config_free(&c);
    echo_proxy_stop(&e);
}

static void test_paths_and_escaping(void **state)
{
    (void)state;
    struct vault_config c;
    config_for(&c, NULL, NULL);
    free(c.mount);
    c.mount = xstrdup("team/pki");
    struct vault_client *vc = client_for(&c);
    char *p = vault_client_mount_path(vc, "/lookup/orders");
    assert_string_equal(p, "team/pki/lookup/orders");
    free(p);
    p = vault_client_mount_path(vc, "");
    assert_string_equal(p, "team/pki");
    free(p);
    char *e = vault_client_escape("a b/c?d#e%f&g=h");
    assert_string_equal(e, "a%20b%2Fc%3Fd%23e%25f%26g%3Dh");
    free(e);
    e = vault_client_escape("5e:1f:00:aa");
    assert_string_equal(e, "5e:1f:00:aa"); /* serials keep their colons */
    free(e);
    e = vault_client_escape("..");
    assert_string_equal(e, "%2E%2E");
    free(e);
    e = vault_client_escape("caf\xc3\xa9-\x01");
    assert_string_equal(e, "caf%C3%A9-%01");
    free(e);
    vault_client_free(vc);
    vault_config_free(&c);
}

static void test_bad_config_refused_by_client(void **state)
{
    (void)state;
    struct vault_config c;
    config_for(&c, NULL, "hvs.SECRETVALUE\nX-Evil: 1"); /* would inject a header */
    struct vault_error err;
    assert_null(vault_client_new(&c, &err));
    assert_int_equal(err.transport, VT_CONFIG);
    assert_contains(err.sentence, "control character");
    assert_null(strstr(err.sentence, "SECRETVALUE"));
    vault_config_free(&c);
}

/* ---- TLS ------------------------------------------------------------------------ */

static void test_tls_verified_with_cacert_refused_without(void **state)
{
    struct simproc *sim = ((struct sims *)*state)->tls;
    assert_int_equal(strncmp(sim->addr, "https://", 8), 0);
    assert_true(sim->cacert[0] != '\0');
    struct vault_response r;
    struct vault_error err;
    struct vault_config c;

    /* with the CA: verified and accepted */
    config_for(&c, sim, TOKEN);
    struct vault_client *vc = client_for(&c);
    assert_int_equal(vault_client_get(vc, "sys/health", NULL, &r, &err), 0);
    assert_int_equal(r.status, 200);
    vault_response_free(&r);
    vault_client_free(vc);

    /* with the right name given as VAULT_TLS_SERVER_NAME: still accepted */
    c.tls_server_name = xstrdup("localhost");
    vc = client_for(&c);
    assert_int_equal(vault_client_get(vc, "sys/health", NULL, &r, &err), 0);
    vault_response_free(&r);
    vault_client_free(vc);

    /* with a name the certificate does not hold: refused */
    free(c.tls_server_name);
    c.tls_server_name = xstrdup("vault.not-in-cert.example");
    vc = client_for(&c);
    assert_int_equal(vault_client_get(vc, "sys/health", NULL, &r, &err), -1);
    assert_int_equal(err.transport, VT_TLS);
    assert_contains(err.sentence, "TLS verification failed for");
    vault_response_free(&r);
    vault_client_free(vc);
    vault_config_free(&c);

    /* without the CA: refused, with the sentence that says what to set */
    config_for(&c, sim, TOKEN);
    free(c.cacert);
    c.cacert = NULL;
    vc = client_for(&c);
    assert_int_equal(vault_client_get(vc, "sys/health", NULL, &r, &err), -1);
    assert_int_equal(err.transport, VT_TLS);
    assert_int_equal(r.status, 0);
    char want[400];
    snprintf(want, sizeof want, "TLS verification failed for %s", sim->addr);
    assert_contains(err.sentence, want);
    assert_contains(err.sentence, "set VAULT_CACERT to the CA that signed Vault's certificate");
    assert_false(vault_error_is_retryable(&err));
    vault_response_free(&r);
    vault_client_free(vc);

    /* skip_verify, only when asked: accepted */
    c.skip_verify = true;
    vc = client_for(&c);
    assert_int_equal(vault_client_get(vc, "sys/health", "probe=tls", &r, &err), 0);
    vault_response_free(&r);
    vault_client_free(vc);
    vault_config_free(&c);

    /* the token went over TLS like over plain HTTP */
    cJSON *log = log_probe(sim, "tls", 1);
    assert_int_equal(cJSON_GetArraySize(log), 1);
    assert_string_equal(entry_str(cJSON_GetArrayItem(log, 0), "token_sha256"), TOKEN_SHA256);
    cJSON_Delete(log);
}

int main(void)
{
    if (vault_client_global_init() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_get_health, test_setup),
        cmocka_unit_test_setup(test_list_uses_list_verb_and_sends_token, test_setup),
        cmocka_unit_test_setup(test_empty_list_is_success_with_no_keys, test_setup),
        cmocka_unit_test_setup(test_forbidden_without_or_with_wrong_token, test_setup),
        cmocka_unit_test_setup(test_namespace_header_on_every_request, test_setup),
        cmocka_unit_test_setup(test_keep_alive_reuses_one_connection, test_setup),
        cmocka_unit_test_setup(test_batch_of_200_runs_8_at_a_time, test_setup),
        cmocka_unit_test_setup(test_batch_entries_fail_on_their_own, test_setup),
        cmocka_unit_test_setup(test_response_cap_aborts_large_body, test_setup),
        cmocka_unit_test_setup(test_timeout, test_setup),
        cmocka_unit_test_setup(test_rate_limit_carries_retry_after, test_setup),
        cmocka_unit_test_setup(test_malformed_2xx_is_returned_raw, test_setup),
        cmocka_unit_test_setup(test_write_and_204, test_setup),
        cmocka_unit_test_setup(test_sealed_vault_503, test_setup),
        cmocka_unit_test_setup(test_dropped_connection, test_setup),
        cmocka_unit_test(test_tls_verified_with_cacert_refused_without),
        cmocka_unit_test(test_connection_refused_sentence),
        cmocka_unit_test(test_echoed_token_redacted_wherever_cut),
        cmocka_unit_test(test_paths_and_escaping),
        cmocka_unit_test(test_bad_config_refused_by_client),
    };
    int failed = cmocka_run_group_tests(tests, group_setup, group_teardown);
    vault_client_global_cleanup();
    return failed ? 1 : 0;
}
