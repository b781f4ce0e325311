/* test_resources: the engine's reads for the roles, accounts and DNS
 * providers views and the raw answer, through the worker and the real
 * simulator: CMD_READ_RESOURCES is answered by one UPD_RESOURCES with its
 * request_id holding every object as Vault has it (a DNS provider never
 * with a secret); a token that may not list a kind gets listed false and
 * the capability and path; CMD_READ_RAW of a completed order's fetch-cert
 * answer never carries its private key (replaced by "<N bytes, hidden>");
 * CMD_WRITE is sent once, refused or failed alike (UPD_WRITE says why). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
#include "model/queue.h"
#include "model/xalloc.h"
#include "net/vault_client.h"
#include "net/worker.h"
#include "simproc.h"

#define TOKEN "s.resources-token"
#define MOUNT "pki-external-ca"

struct run {
    struct simproc *sim;
    struct vault_config cfg;
    struct queue *commands, *updates;
    struct worker *worker;
};

static struct run *run_start(const char *token)
{
    struct run *r = xcalloc(1, sizeof(*r));
    /* the last --token is the one simproc's own calls send */
    r->sim = simproc_start((const char *const[]){"--token",
                                                 "noacct:deny=*/config/acme-account*",
                                                 "--token", TOKEN, "--seed-orders", "30",
                                                 "--time-scale", "0", NULL});
    assert_non_null(r->sim);
    simproc_config(r->sim, token, &r->cfg);
    r->commands = queue_new();
    r->updates = queue_new();
    struct vault_error err;
    r->worker = worker_start(&r->cfg, r->commands, r->updates, &err);
    assert_non_null(r->worker);
    return r;
}

static void run_stop(struct run *r)
{
    worker_stop(r->worker);
    for (struct msg *m; (m = queue_pop(r->updates));)
        msg_free(m);
    queue_free(r->commands);
    queue_free(r->updates);
    vault_config_free(&r->cfg);
    simproc_stop(r->sim);
    free(r);
}

/* The update of type answering request id (others dropped); fails after 20 s. */
static struct msg *answer_to(struct run *r, enum msg_type type, uint64_t id)
{
    double end = now_s() + 20;
    for (double left; (left = end - now_s()) > 0;) {
        struct msg *m = queue_wait_pop(r->updates, (int)(left * 1000) + 1);
        if (m && m->type == type && m->request_id == id)
            return m;
        msg_free(m);
    }
    fail_msg("no %s answering request %llu", msg_type_name(type), (unsigned long long)id);
    return NULL;
}

/* Let the worker run its cycles for a while (updates dropped). */
static void pump_quietly(struct run *r, double seconds)
{
    double end = now_s() + seconds;
    for (double left; (left = end - now_s()) > 0;)
        msg_free(queue_wait_pop(r->updates, (int)(left * 1000) + 1));
}

/* The keys Vault lists at path (under the mount). */
static size_t listed(struct run *r, const char *path)
{
    char url[256];
    snprintf(url, sizeof url, "/v1/" MOUNT "/%s?list=true", path);
    char *body = simproc_get_json(r->sim, url);
    assert_non_null(body);
    cJSON *root = cJSON_Parse(body);
    free(body);
    size_t n = (size_t)cJSON_GetArraySize(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "data"), "keys"));
    cJSON_Delete(root);
    return n;
}

static void test_every_kind_is_read_with_its_fields(void **state)
{
    (void)state;
    struct run *r = run_start(TOKEN);
    static const char *const want_field[] = {"\"allowed_domains\"", "\"account_keys\"",
                                             "\"identifiers\""};
    for (int k = 0; k < RESOURCE_KIND_COUNT; k++) {
        uint64_t id = 100 + (uint64_t)k;
        assert_true(queue_push(r->commands, msg_new_read_resources(id, (enum resource_kind)k)));
        struct msg *m = answer_to(r, UPD_RESOURCES, id);
        assert_int_equal(m->u.resources.kind, k);
        assert_true(m->u.resources.listed);
        assert_null(m->u.resources.error);
        assert_int_equal(m->u.resources.count, listed(r, resource_kind_path((enum resource_kind)k)));
        assert_true(m->u.resources.count >= 2);
        for (size_t i = 0; i < m->u.resources.count; i++) {
            const struct resource_item *it = &m->u.resources.items[i];
            assert_non_null(it->json);
            assert_null(it->error);
            assert_non_null(strstr(it->json, want_field[k]));
            assert_null(strstr(it->json, "tsig_secret"));
            assert_null(strstr(it->json, "seeded-aws-secret"));
            assert_null(strstr(it->json, "request_id")); /* the data only */
        }
        msg_free(m);
    }
    run_stop(r);
}

static void test_a_denied_list_says_capability_and_path(void **state)
{
    (void)state;
    struct run *r = run_start("noacct");
    assert_true(queue_push(r->commands, msg_new_read_resources(5, RESOURCE_ACCOUNTS)));
    struct msg *m = answer_to(r, UPD_RESOURCES, 5);
    assert_false(m->u.resources.listed);
    assert_int_equal(m->u.resources.count, 0);
    assert_non_null(m->u.resources.error);
    assert_non_null(strstr(m->u.resources.error,
                           "permission denied on " MOUNT "/config/acme-account"));
    assert_non_null(strstr(m->u.resources.error, "list"));
    msg_free(m);
    /* the roles stay readable for it */
    assert_true(queue_push(r->commands, msg_new_read_resources(6, RESOURCE_ROLES)));
    m = answer_to(r, UPD_RESOURCES, 6);
    assert_true(m->u.resources.listed);
    msg_free(m);
    run_stop(r);
}

static void test_raw_certificate_answer_has_no_private_key(void **state)
{
    (void)state;
    struct run *r = run_start(TOKEN);
    const cJSON *info;
    cJSON *root = simproc_recent_orders(r->sim, &info);
    const char *oid = NULL, *role = NULL;
    const cJSON *e;
    cJSON_ArrayForEach(e, info) {
        char path[256];
        snprintf(path, sizeof path, "/v1/" MOUNT "/lookup/order/%s", e->string);
        char *body = simproc_get_json(r->sim, path);
        cJSON *doc = cJSON_Parse(body);
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(doc, "data");
        bool fits = strcmp(simproc_entry_str(o, "order_status"), "completed") == 0 &&
                    !*simproc_entry_str(o, "csr");
        cJSON_Delete(doc);
        free(body);
        if (fits) {
            oid = e->string;
            role = simproc_entry_str(e, "role_name");
            break;
        }
    }
    assert_non_null(oid);
    char path[512];
    snprintf(path, sizeof path, "role/%s/order/%s/fetch-cert", role, oid);
    assert_true(queue_push(r->commands, msg_new_read_raw(9, path, NULL)));
    struct msg *m = answer_to(r, UPD_RAW, 9);
    assert_non_null(m->u.raw.json);
    assert_null(m->u.raw.error);
    assert_non_null(strstr(m->u.raw.json, "\"certificate\":\"-----BEGIN CERTIFICATE"));
    assert_null(strstr(m->u.raw.json, "PRIVATE KEY"));
    assert_non_null(strstr(m->u.raw.json, " bytes, hidden>\""));
    assert_non_null(strstr(m->u.raw.json, "\"request_id\"")); /* the whole answer */
    msg_free(m);
    /* a path that is not there: the sentence, no text */
    assert_true(queue_push(r->commands, msg_new_read_raw(10, "role/nope/order/x/status", NULL)));
    m = answer_to(r, UPD_RAW, 10);
    assert_null(m->u.raw.json);
    assert_non_null(m->u.raw.error);
    msg_free(m);
    cJSON_Delete(root);
    run_stop(r);
}

/* Requests method path (under /v1/<mount>/) in the simulator's log. */
static size_t logged(struct run *r, const char *method, const char *path)
{
    char *body = simproc_get_json(r->sim, "/_sim/requests");
    assert_non_null(body);
    cJSON *log = cJSON_Parse(body);
    free(body);
    char want[256];
    snprintf(want, sizeof want, "/v1/" MOUNT "/%s", path);
    size_t n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, log) n += strcmp(simproc_entry_str(e, "method"), method) == 0 &&
                                   strcmp(simproc_entry_str(e, "path"), want) == 0;
    cJSON_Delete(log);
    return n;
}

static void test_a_write_is_sent_once(void **state)
{
    (void)state;
    struct run *r = run_start(TOKEN);
    /* a test of a DNS provider: the answer's data comes back */
    const char *body = "{\"identifier\":\"t.auto.example.net\",\"provider_type\":\"rfc2136\","
                       "\"provider_name\":\"internal-dns\",\"omit_cleanup\":false}";
    assert_true(queue_push(r->commands, msg_new_write(21, "POST", "dns/test/workflow", body)));
    struct msg *m = answer_to(r, UPD_WRITE, 21);
    assert_true(m->u.written.ok);
    assert_int_equal(m->u.written.status, 200);
    assert_non_null(strstr(m->u.written.json, "\"success\":true"));
    msg_free(m);
    /* a refusal: Vault's sentence, and no second try */
    assert_true(queue_push(r->commands,
                           msg_new_write(22, "DELETE", "config/acme-account/letsencrypt-prod",
                                         NULL)));
    m = answer_to(r, UPD_WRITE, 22);
    assert_false(m->u.written.ok);
    assert_int_equal(m->u.written.status, 400);
    assert_non_null(strstr(m->u.written.error, "is used by role"));
    msg_free(m);
    assert_int_equal(logged(r, "DELETE", "config/acme-account/letsencrypt-prod"), 1);
    /* a server error is not retried either */
    assert_int_equal(simproc_post(r->sim, "/_sim/faults",
                                  "{\"error_status\":503,\"path_regex\":\"role/web-servers\"}"),
                     200);
    assert_true(queue_push(r->commands, msg_new_write(23, "DELETE", "role/web-servers?force=true",
                                                      NULL)));
    m = answer_to(r, UPD_WRITE, 23);
    assert_false(m->u.written.ok);
    msg_free(m);
    pump_quietly(r, 1.5);
    assert_int_equal(logged(r, "DELETE", "role/web-servers"), 1);
    run_stop(r);
}

int main(void)
{
    vault_client_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kind_is_read_with_its_fields),
        cmocka_unit_test(test_a_denied_list_says_capability_and_path),
        cmocka_unit_test(test_raw_certificate_answer_has_no_private_key),
        cmocka_unit_test(test_a_write_is_sent_once),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    vault_client_global_cleanup();
    return rc;
}
