/* test_dns_providers: the engine reads Vault's DNS providers (LIST
 * config/dns + GET each) and posts them to the console: at the start, and
 * again on the operator's refresh, not on every cycle; a token that may not
 * read them gets "unknown" (UPD_DNS_PROVIDERS known = false) with the
 * connection still "connected", and one denied LIST, not one per cycle.
 * Observed the way Vault sees it: the simulator's request log. */
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

#define TOKEN "s.dns-providers-token"

struct run {
    struct simproc *sim;
    struct vault_config cfg;
    struct queue *commands, *updates;
    struct worker *worker;
    unsigned beats;      /* UPD_CONNECTION: one per cycle */
    int conn_state;
    unsigned dns_posts;  /* UPD_DNS_PROVIDERS */
    bool dns_known;
    size_t dns_count;
    bool dns_named;      /* every provider posted has a type and a name */
    unsigned error_notices;
};

static struct run *run_start(const char *token)
{
    struct run *r = xcalloc(1, sizeof(*r));
    r->sim = simproc_start((const char *const[]){"--token", TOKEN, "--token",
                                                 "nodns:deny=*/config/dns*", "--seed-orders",
                                                 "20", "--time-scale", "0", NULL});
    assert_non_null(r->sim);
    simproc_config(r->sim, token, &r->cfg);
    r->cfg.poll_interval_s = 0.3;
    r->cfg.idle_budget = 20;
    r->commands = queue_new();
    r->updates = queue_new();
    r->conn_state = -1;
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

static void pump_for(struct run *r, double seconds)
{
    double end = now_s() + seconds;
    for (double left; (left = end - now_s()) > 0;) {
        struct msg *m = queue_wait_pop(r->updates, (int)(left * 1000) + 1);
        if (!m)
            continue;
        if (m->type == UPD_CONNECTION) {
            r->beats++;
            r->conn_state = (int)m->u.connection.state;
        } else if (m->type == UPD_DNS_PROVIDERS) {
            r->dns_posts++;
            r->dns_known = m->u.dns_providers.known;
            r->dns_count = m->u.dns_providers.count;
            r->dns_named = true;
            for (size_t i = 0; i < r->dns_count; i++)
                r->dns_named &= m->u.dns_providers.items[i].type &&
                                m->u.dns_providers.items[i].name;
        } else if (m->type == UPD_NOTICE && m->u.notice.error) {
            r->error_notices++;
        }
        msg_free(m);
    }
}

/* Requests to config/dns in the log: LISTs, GETs, and the status of the last. */
static void dns_calls(struct run *r, size_t *lists, size_t *gets, long *last_status)
{
    char *body = simproc_get_json(r->sim, "/_sim/requests");
    assert_non_null(body);
    cJSON *log = cJSON_Parse(body);
    free(body);
    assert_true(cJSON_IsArray(log));
    *lists = *gets = 0;
    *last_status = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, log) {
        const char *path = simproc_entry_str(e, "path"), *method = simproc_entry_str(e, "method");
        if (!strstr(path, "/config/dns"))
            continue;
        *lists += strcmp(method, "LIST") == 0;
        *gets += strcmp(method, "GET") == 0;
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "status");
        *last_status = cJSON_IsNumber(st) ? (long)st->valuedouble : 0;
    }
    cJSON_Delete(log);
}

static void test_read_at_start_and_on_refresh(void **state)
{
    (void)state;
    struct run *r = run_start(TOKEN);
    pump_for(r, 3.0);
    assert_true(r->beats >= 3); /* several cycles ran */
    assert_int_equal(r->dns_posts, 1);
    assert_true(r->dns_known);
    assert_true(r->dns_count >= 1); /* the simulator seeds DNS configs */
    assert_true(r->dns_named);
    size_t lists, gets;
    long status;
    dns_calls(r, &lists, &gets, &status);
    assert_int_equal(lists, 1);          /* once, not every cycle */
    assert_int_equal(gets, r->dns_count); /* GET each */
    /* the operator's refresh reads them again */
    assert_true(queue_push(r->commands, msg_new_refresh(7)));
    pump_for(r, 1.5);
    assert_int_equal(r->dns_posts, 2);
    dns_calls(r, &lists, &gets, &status);
    assert_int_equal(lists, 2);
    run_stop(r);
}

static void test_denied_is_unknown_without_retries(void **state)
{
    (void)state;
    struct run *r = run_start("nodns");
    pump_for(r, 3.0);
    assert_true(r->beats >= 3);
    assert_int_equal(r->dns_posts, 1);
    assert_false(r->dns_known);
    assert_int_equal(r->dns_count, 0);
    assert_int_equal(r->conn_state, CONN_CONNECTED); /* no "degraded" for it */
    assert_int_equal(r->error_notices, 0);
    size_t lists, gets;
    long status;
    dns_calls(r, &lists, &gets, &status);
    assert_int_equal(lists, 1); /* one try, then the next 5-minute turn */
    assert_int_equal(gets, 0);
    assert_int_equal(status, 403);
    run_stop(r);
}

int main(void)
{
    vault_client_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_at_start_and_on_refresh),
        cmocka_unit_test(test_denied_is_unknown_without_retries),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    vault_client_global_cleanup();
    return rc;
}
