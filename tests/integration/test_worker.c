/* test_worker: the worker thread against the real Vault simulator, observed
 * the way the console observes it (the update queue) and the way Vault sees
 * it (the simulator's request log): discovery of 2,000 orders, the headers
 * and verbs on every call, an idle cycle that only lists, the fallback when
 * the token may not read the lookup paths (and the way back when its policy
 * is widened), Retry-After, Vault down and back, and
 * every operator command answered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "model/order_store.h"
#include "model/queue.h"
#include "model/strv.h"
#include "model/xalloc.h"
#include "net/vault_client.h"
#include "net/worker.h"
#include "simproc.h"

#define TOKEN "s.worker-test-token"

/* ---- a console stand-in: applies updates to a store, remembers the rest -- */

struct console {
    struct simproc *sim;
    struct vault_config cfg;
    struct queue *commands, *updates;
    struct worker *worker;
    struct order_store *store;
    int conn_state;          /* last UPD_CONNECTION */
    char conn_text[2048];
    int conn_retry_in;
    char notices[4][512]; /* UPD_NOTICE texts, the first four */
    int notice_count;
    double disconnected_at;  /* monotonic time of the last DISCONNECTED */
    unsigned disconnects;
    struct msg *answers[64]; /* replies to commands, by arrival */
    size_t answer_count;
};

static void console_config(struct console *c, const char *token, const char *ns)
{
    simproc_config(c->sim, token, &c->cfg);
    c->cfg.namespace_ = xstrdup(ns);
    c->cfg.poll_interval_s = 0.5;
    c->cfg.idle_budget = 4; /* a recent list every 0.5 s takes half of it */
}

static void console_start(struct console *c)
{
    c->commands = queue_new();
    c->updates = queue_new();
    c->store = order_store_new();
    c->conn_state = -1;
    struct vault_error err;
    c->worker = worker_start(&c->cfg, c->commands, c->updates, &err);
    if (!c->worker) {
        print_error("worker_start: %s\n", err.sentence);
        fail();
    }
}

static void console_stop(struct console *c)
{
    worker_stop(c->worker);
    queue_free(c->commands);
    queue_free(c->updates);
    order_store_free(c->store);
    for (size_t i = 0; i < c->answer_count; i++)
        msg_free(c->answers[i]);
    vault_config_free(&c->cfg);
    simproc_stop(c->sim);
    free(c);
}

static void console_apply(struct console *c, struct msg *m)
{
    switch (m->type) {
    case UPD_ORDERS:
        order_store_apply_batch_move(c->store, m->u.orders.items, m->u.orders.count,
                                     m->u.orders.complete_list, m->u.orders.place);
        break;
    case UPD_ORDER_DETAIL:
        order_store_apply(c->store, &m->u.order_detail.order);
        break;
    case UPD_ORDER_FAILED:
        order_store_mark_stale(c->store, m->u.order_failed.order_id, true);
        break;
    case UPD_CONNECTION:
        c->conn_state = (int)m->u.connection.state;
        snprintf(c->conn_text, sizeof(c->conn_text), "%s", m->u.connection.text);
        c->conn_retry_in = m->u.connection.retry_in;
        if (m->u.connection.state == CONN_DISCONNECTED) {
            c->disconnected_at = now_s();
            c->disconnects++;
        }
        break;
    case UPD_NOTICE:
        if (c->notice_count < 4)
            snprintf(c->notices[c->notice_count], sizeof c->notices[0], "%s", m->u.notice.text);
        c->notice_count++;
        break;
    case UPD_CHALLENGE_DETAIL:
    case UPD_CERT:
    case UPD_ACTION_RESULT:
        if (c->answer_count < 64) {
            c->answers[c->answer_count++] = m;
            return;
        }
        break;
    default:
        break;
    }
    msg_free(m);
}

/* Pump updates until pred(c) holds or `seconds` pass. */
static bool console_pump_until(struct console *c, bool (*pred)(struct console *), double seconds)
{
    double end = now_s() + seconds;
    while (!pred(c)) {
        double left = end - now_s();
        if (left <= 0)
            return false;
        struct msg *m = queue_wait_pop(c->updates, (int)(left * 1000) + 1);
        if (m)
            console_apply(c, m);
    }
    return true;
}

static void console_pump_for(struct console *c, double seconds)
{
    double end = now_s() + seconds;
    for (double left; (left = end - now_s()) > 0;) {
        struct msg *m = queue_wait_pop(c->updates, (int)(left * 1000) + 1);
        if (m)
            console_apply(c, m);
    }
}

static size_t detailed_count(struct console *c)
{
    size_t n = 0, total = order_store_count(c->store);
    order_store_set_filter(c->store, NULL);
    for (size_t i = 0; i < total; i++)
        if (order_store_view_at(c->store, i)->detail_known)
            n++;
    return n;
}

static size_t expected_orders;
static bool all_detailed(struct console *c)
{
    return c->conn_state == CONN_CONNECTED && detailed_count(c) >= expected_orders;
}

static struct console *console_new(const char *const *sim_args, const char *token, const char *ns)
{
    struct console *c = xcalloc(1, sizeof(*c));
    c->sim = simproc_start(sim_args);
    assert_non_null(c->sim);
    console_config(c, token, ns);
    return c;
}

/* A running console on a simulator with `orders` seeded orders and a
 * frozen clock, every order read in full (expected_orders set to it). */
static struct console *console_settled(size_t orders)
{
    char n[32];
    snprintf(n, sizeof n, "%zu", orders);
    struct console *c = console_new((const char *const[]){"--token", TOKEN, "--seed-orders", n,
                                                          "--time-scale", "0", NULL},
                                    TOKEN, NULL);
    console_start(c);
    expected_orders = orders;
    assert_true(console_pump_until(c, all_detailed, 30));
    return c;
}

/* The request log as a cJSON array (caller deletes). */
static cJSON *request_log(struct console *c)
{
    char *body = simproc_get_json(c->sim, "/_sim/requests");
    assert_non_null(body);
    cJSON *log = cJSON_Parse(body);
    free(body);
    assert_true(cJSON_IsArray(log));
    return log;
}


static const char *entry_header(const cJSON *e, const char *name)
{
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(e, "headers");
    const cJSON *v;
    cJSON_ArrayForEach(v, h)
        if (strcasecmp(v->string, name) == 0 && cJSON_IsString(v))
            return v->valuestring;
    return NULL;
}

static bool is_vault_call(const cJSON *e)
{
    return strncmp(simproc_entry_str(e, "path"), "/v1/", 4) == 0;
}

/* ---- tests --------------------------------------------------------------- */

/* 2,000 orders in a namespace: all discovered with details, certificate
 * expiry for completed ones, the token and namespace on every call, LIST. */
static void test_discovers_2000_orders_with_token_and_namespace(void **state)
{
    (void)state;
    struct console *c = console_new((const char *const[]){"--token", TOKEN, "--seed-orders", "2000",
                                                          "--seed-namespace", "team-a",
                                                          "--time-scale", "0", NULL},
                                    TOKEN, "team-a");
    console_start(c);
    expected_orders = 2000;
    double t0 = now_s();
    assert_true(console_pump_until(c, all_detailed, 120));
    fprintf(stderr, "discovery of 2000 orders: %.2f s\n", now_s() - t0);
    assert_int_equal(order_store_count(c->store), 2000);

    size_t completed = 0, with_expiry = 0;
    for (size_t i = 0; i < 2000; i++) {
        const struct order *o = order_store_view_at(c->store, i);
        assert_non_null(o->status_text);
        assert_false(o->stale);
        if (o->status == ORDER_COMPLETED) {
            completed++;
            with_expiry += o->cert_not_after != 0;
        }
    }
    assert_true(completed > 0);
    assert_int_equal(with_expiry, completed);

    cJSON *log = request_log(c);
    size_t vault_calls = 0, lists = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, log) {
        if (!is_vault_call(e))
            continue;
        vault_calls++;
        const cJSON *tok = cJSON_GetObjectItemCaseSensitive(e, "token_sha256");
        assert_true(cJSON_IsString(tok));
        assert_string_equal(entry_header(e, "X-Vault-Namespace"), "team-a");
        assert_string_equal(simproc_entry_str(e, "namespace"), "team-a");
        if (strcmp(simproc_entry_str(e, "method"), "LIST") == 0)
            lists++;
        assert_true(strcmp(simproc_entry_str(e, "method"), "GET") == 0 ||
                    strcmp(simproc_entry_str(e, "method"), "LIST") == 0);
    }
    fprintf(stderr, "initial discovery: %zu Vault requests (%zu LIST)\n", vault_calls, lists);
    assert_true(lists >= 2); /* lookup/orders and lookup/orders/recent */
    /* one detail per order, one lookup/cert per completed order, a few lists */
    assert_true(vault_calls <= 2000 + completed + 10);
    cJSON_Delete(log);
    console_stop(c);
}

/* Once everything is known and nothing moves, a cycle makes list calls only. */
static void test_idle_cycle_only_lists(void **state)
{
    (void)state;
    struct console *c = console_new((const char *const[]){"--token", TOKEN, "--seed-orders", "300",
                                                          "--time-scale", "0", NULL},
                                    TOKEN, NULL);
    /* let every seeded order in motion settle (the clock is frozen after) */
    assert_int_equal(simproc_post(c->sim, "/_sim/advance", "{\"seconds\": 600}"), 200);
    console_start(c);
    expected_orders = 300;
    assert_true(console_pump_until(c, all_detailed, 60));
    console_pump_for(c, 1.0);
    assert_int_equal(simproc_delete(c->sim, "/_sim/requests"), 200);
    console_pump_for(c, 3.0); /* about six cycles at 0.5 s */

    cJSON *log = request_log(c);
    size_t calls = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, log) {
        if (!is_vault_call(e))
            continue;
        calls++;
        if (strcmp(simproc_entry_str(e, "method"), "LIST") != 0 ||
            !strstr(simproc_entry_str(e, "path"), "/lookup/orders")) {
            print_error("idle cycle made %s %s\n", simproc_entry_str(e, "method"), simproc_entry_str(e, "path"));
            fail();
        }
    }
    fprintf(stderr, "idle: %zu list calls in 3 s at a 0.5 s interval\n", calls);
    assert_true(calls >= 4);
    assert_true(calls <= 10);
    cJSON_Delete(log);
    console_stop(c);
}

static bool is_degraded_with_orders(struct console *c)
{
    return c->conn_state == CONN_DEGRADED && order_store_count(c->store) >= expected_orders &&
           detailed_count(c) >= expected_orders;
}

/* How many seeded orders are not finished, as Vault itself says. */
static size_t active_orders(struct console *c)
{
    size_t n = 0;
    for (size_t i = 0; i < order_store_count(c->store); i++)
        n += !order_status_is_terminal(order_store_view_at(c->store, i)->status);
    return n;
}

/* A token denied the lookup paths: the worker lists roles, their active orders, and
 * reads each through role/:r/order/:id/status; the state says degraded and
 * names the denied path. */
static void test_falls_back_to_roles_when_lookup_denied(void **state)
{
    (void)state;
    const char *const args[] = {"--token", TOKEN, "--token", "limited:deny=*/lookup/*",
                                "--seed-orders", "200", "--time-scale", "0", NULL};
    /* first, what a full token sees: the number of unfinished orders */
    struct console *full = console_new(args, TOKEN, NULL);
    console_start(full);
    expected_orders = 200;
    assert_true(console_pump_until(full, all_detailed, 60));
    expected_orders = active_orders(full);
    assert_true(expected_orders > 0);
    console_stop(full);

    struct console *c = console_new(args, "limited", NULL);
    console_start(c);
    assert_true(console_pump_until(c, is_degraded_with_orders, 60));
    assert_non_null(strstr(c->conn_text, "lookup/orders"));
    /* what the narrower discovery hides, and the policy that shows it */
    assert_non_null(strstr(c->conn_text, "completed, failed, expired and revoked orders and "
                                         "certificate expiry are hidden"));
    assert_non_null(strstr(c->conn_text, "on pki-external-ca/lookup/*"));
    assert_int_equal(order_store_count(c->store), expected_orders);

    cJSON *log = request_log(c);
    bool listed_roles = false, listed_active = false, read_status = false;
    const cJSON *e;
    cJSON_ArrayForEach(e, log) {
        const char *p = simproc_entry_str(e, "path"), *m = simproc_entry_str(e, "method");
        listed_roles |= strcmp(m, "LIST") == 0 && strcmp(p, "/v1/pki-external-ca/role") == 0;
        listed_active |= strcmp(m, "LIST") == 0 && strstr(p, "/active-orders") != NULL;
        read_status |= strcmp(m, "GET") == 0 && strstr(p, "/status") != NULL;
    }
    assert_true(listed_roles && listed_active && read_status);
    cJSON_Delete(log);
    console_stop(c);
}

/* A role whose name hides a right-to-left override is skipped (its name
 * cannot go into a path), the others are watched, and the operator is told
 * once, not every cycle. */
static void test_invisible_role_name_skipped_and_said_once(void **state)
{
    (void)state;
    const char *const args[] = {"--token", "narrow:deny=*/lookup/*", "--token", TOKEN,
                                "--seed-orders", "20", "--time-scale", "0", NULL};
    struct console *c = console_new(args, "narrow", NULL);
    /* as root: a role named "web<U+202E>srevres" (drawn "webservers") */
    assert_int_equal(simproc_request(c->sim, "POST", "/v1/pki-external-ca/role/web%E2%80%AEsrevres",
                                     "{\"acme_account_name\":\"letsencrypt-prod\"}", NULL),
                     200);
    console_start(c);
    expected_orders = 1; /* the unfinished orders of the other roles */
    assert_true(console_pump_until(c, is_degraded_with_orders, 30));
    console_pump_for(c, 2.5); /* more cycles: still said once */
    assert_int_equal(c->notice_count, 1);
    assert_non_null(strstr(c->notices[0], "skipped 1 order ID or role name"));
    assert_non_null(strstr(c->notices[0], "invisible"));
    assert_null(strstr(c->notices[0], "\xe2\x80\xae"));
    console_stop(c);
}

static bool is_disconnected(struct console *c)
{
    return c->conn_state == CONN_DISCONNECTED;
}

static bool is_connected(struct console *c);

/* The policy is widened while acmetop runs (the same token may now read the
 * lookup paths): the operator's refresh brings the full view back, with no
 * restart: connected again, every order (finished ones too) listed. */
static void test_widened_policy_is_used_after_refresh(void **state)
{
    (void)state;
    const char *const args[] = {"--token", "widen:deny=*/lookup/*", "--seed-orders", "200",
                                "--time-scale", "0", NULL};
    struct console *c = console_new(args, "widen", NULL);
    console_start(c);
    expected_orders = 1;
    assert_true(console_pump_until(c, is_degraded_with_orders, 60));
    size_t narrowed = order_store_count(c->store);
    assert_true(narrowed < 200); /* role by role: only the active orders */

    assert_int_equal(simproc_post(c->sim, "/_sim/token", "{\"spec\": \"widen\"}"), 200);
    assert_int_equal(simproc_delete(c->sim, "/_sim/requests"), 200);
    assert_true(queue_push(c->commands, msg_new_refresh(1)));
    expected_orders = 200;
    assert_true(console_pump_until(c, all_detailed, 30));
    assert_int_equal(order_store_count(c->store), 200);
    assert_non_null(strstr(c->conn_text, "connected to"));

    cJSON *log = request_log(c);
    bool listed_lookup = false;
    const cJSON *e;
    cJSON_ArrayForEach(e, log)
        listed_lookup |= strcmp(simproc_entry_str(e, "method"), "LIST") == 0 &&
                         strcmp(simproc_entry_str(e, "path"), "/v1/pki-external-ca/lookup/orders") == 0;
    cJSON_Delete(log);
    assert_true(listed_lookup);
    console_stop(c);
}

/* The token revoked (403 everywhere, lookup-self too), then restored: the
 * console is disconnected meanwhile and connected again within its backoff,
 * not after the 5-minute reprobe of a narrowed discovery. */
static void test_revoked_token_restored_reconnects(void **state)
{
    (void)state;
    struct console *c = console_settled(20);
    assert_int_equal(simproc_request(c->sim, "DELETE", "/_sim/token",
                                     "{\"token\":\"" TOKEN "\"}", NULL),
                     200);
    assert_true(console_pump_until(c, is_disconnected, 10));
    /* the token is bad, not the policy: no advice about --role */
    assert_non_null(strstr(c->conn_text, "expired, revoked or mistyped"));
    assert_null(strstr(c->conn_text, "--role"));
    console_pump_for(c, 3.0); /* a few failed attempts */
    char body[128];
    snprintf(body, sizeof body, "{\"spec\":\"%s\"}", TOKEN);
    assert_int_equal(simproc_post(c->sim, "/_sim/token", body), 200);
    double t0 = now_s();
    assert_true(console_pump_until(c, is_connected, 30));
    fprintf(stderr, "token restored: connected again after %.1f s\n", now_s() - t0);
    assert_int_equal(order_store_count(c->store), 20);
    console_stop(c);
}

/* A mount that is not there: the console is disconnected and says so,
 * never "connected" with no orders. */
static void test_missing_mount_is_disconnected_and_said(void **state)
{
    (void)state;
    struct console *c = console_new((const char *const[]){"--token", TOKEN, "--seed-orders", "5",
                                                          "--time-scale", "0", NULL},
                                    TOKEN, NULL);
    free(c->cfg.mount);
    c->cfg.mount = xstrdup("nope");
    console_start(c);
    assert_true(console_pump_until(c, is_disconnected, 10));
    assert_non_null(strstr(c->conn_text, "no mount \"nope\" in the root namespace"));
    assert_non_null(strstr(c->conn_text, "check --mount / ACMETOP_MOUNT"));
    console_pump_for(c, 1.5);
    assert_int_equal(c->conn_state, CONN_DISCONNECTED);
    assert_int_equal(order_store_count(c->store), 0);
    console_stop(c);
}

static bool has_phantom(struct console *c)
{
    return order_store_find(c->store, "x") != NULL;
}

static bool phantom_gone(struct console *c)
{
    return !has_phantom(c) && order_store_count(c->store) == 20;
}

/* An ID Vault does not have (here one recent list names "x") answers 404
 * when it is read: the 404 asks for a full listing at once, which drops it
 * from the console, instead of a stale ghost until the quarter-hourly one. */
static void test_order_answering_404_leaves(void **state)
{
    (void)state;
    struct console *c = console_settled(20);
    /* the simulator's oversize answer is {"data":{"keys":["x"],"padding":...}} */
    assert_int_equal(simproc_post(c->sim, "/_sim/faults",
                                  "{\"oversize_bytes\":200,\"count\":1,"
                                  "\"path_regex\":\"lookup/orders/recent\"}"),
                     200);
    assert_true(console_pump_until(c, has_phantom, 10));
    double t0 = now_s();
    assert_true(console_pump_until(c, phantom_gone, 15));
    fprintf(stderr, "order answering 404 gone after %.1f s\n", now_s() - t0);
    console_stop(c);
}


/* Denied the lookup paths and LIST role, no --role: a clear sentence, not a crash;
 * with --role: the named roles are watched. */
static void test_given_roles_when_roles_denied_too(void **state)
{
    (void)state;
    const char *const args[] = {"--token", "narrow:deny=*/lookup/*,deny=*/role",
                                "--seed-orders", "200", "--time-scale", "0", NULL};
    struct console *c = console_new(args, "narrow", NULL);
    console_start(c);
    assert_true(console_pump_until(c, is_disconnected, 30));
    assert_non_null(strstr(c->conn_text, "--role"));
    console_stop(c);

    c = console_new(args, "narrow", NULL);
    char *roles[] = {"web-servers"};
    c->cfg.roles = strv_copy((const char *const *)roles, 1);
    c->cfg.role_count = 1;
    console_start(c);
    expected_orders = 1;
    assert_true(console_pump_until(c, is_degraded_with_orders, 30));
    for (size_t i = 0; i < order_store_count(c->store); i++)
        assert_string_equal(order_store_view_at(c->store, i)->role, "web-servers");
    console_stop(c);
}

static bool is_connected(struct console *c)
{
    return c->conn_state == CONN_CONNECTED;
}

/* 429 with Retry-After: 3: the worker says so, and waits at least that long. */
static void test_rate_limit_honours_retry_after(void **state)
{
    (void)state;
    struct console *c = console_settled(20);
    assert_int_equal(simproc_post(c->sim, "/_sim/faults",
                                  "{\"rate_limit\":{\"retry_after\":3},"
                                  "\"path_regex\":\"lookup/orders\",\"count\":1}"),
                     200);
    assert_true(console_pump_until(c, is_disconnected, 10));
    assert_true(c->conn_retry_in >= 3);
    assert_non_null(strstr(c->conn_text, "rate"));
    double limited_at = c->disconnected_at;
    assert_true(console_pump_until(c, is_connected, 15));
    double waited = now_s() - limited_at;
    fprintf(stderr, "429 Retry-After 3: next attempt after %.2f s\n", waited);
    assert_true(waited >= 2.9);
    console_stop(c);
}

/* Retry-After values a hostile or broken server may send, each on every
 * answer: the wait shown is the wait kept, never over 300 s, and the worker
 * neither storms (huge numbers once wrapped the next-cycle time into the
 * past: 338 requests in 15 s) nor stops for good. */
static void test_rate_limit_with_hostile_retry_after(void **state)
{
    (void)state;
    static const struct {
        const char *header;
        int shown_min, shown_max; /* conn_retry_in, seconds */
        int calls_max;            /* requests in the 3 s after */
    } cases[] = {
        {"9223372036854775807", 300, 300, 0},
        {"99999999999", 300, 300, 0},
        {"\"Fri, 31 Dec 9999 23:59:59 GMT\"", 300, 300, 0},
        /* garbage and past dates: the backoff alone (2 s, 4 s, ...) */
        {"-5", 1, 60, 6},
        {"\"Mon, 01 Jan 1990 00:00:00 GMT\"", 1, 60, 6},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct console *c = console_settled(20);
        char fault[256];
        snprintf(fault, sizeof fault,
                 "{\"rate_limit\":{\"retry_after\":%s},\"path_regex\":\"lookup/orders\"}",
                 cases[i].header);
        assert_int_equal(simproc_post(c->sim, "/_sim/faults", fault), 200);
        assert_true(console_pump_until(c, is_disconnected, 10));
        assert_int_equal(simproc_delete(c->sim, "/_sim/requests"), 200);
        console_pump_for(c, 3.0);
        cJSON *log = request_log(c);
        int calls = cJSON_GetArraySize(log);
        cJSON_Delete(log);
        fprintf(stderr, "Retry-After %s: retrying in %d s, %d requests in 3 s\n",
                cases[i].header, c->conn_retry_in, calls);
        assert_in_range(c->conn_retry_in, cases[i].shown_min, cases[i].shown_max);
        assert_in_range(calls, 0, cases[i].calls_max);
        console_stop(c);
    }
}

/* Vault down (sealed), then back: disconnected with a reason, nothing lost
 * from the store, connected again without any operator action. */
static void test_down_then_back(void **state)
{
    (void)state;
    struct console *c = console_settled(50);
    assert_int_equal(simproc_post(c->sim, "/_sim/faults", "{\"down\":true}"), 200);
    assert_true(console_pump_until(c, is_disconnected, 10));
    assert_non_null(strstr(c->conn_text, "sealed"));
    /* the header counts the retry down: no frozen count in the sentence */
    assert_null(strstr(c->conn_text, "retrying in"));
    assert_true(c->conn_retry_in > 0);
    console_pump_for(c, 2.0);
    assert_int_equal(order_store_count(c->store), 50); /* nothing lost */
    assert_true(c->disconnects >= 1);
    assert_int_equal(simproc_delete(c->sim, "/_sim/faults"), 200);
    assert_true(console_pump_until(c, is_connected, 20));
    assert_int_equal(order_store_count(c->store), 50);
    console_stop(c);
}

static bool some_stale(struct console *c)
{
    for (size_t i = 0; i < order_store_count(c->store); i++)
        if (order_store_view_at(c->store, i)->stale)
            return true;
    return false;
}

/* Malformed answers for order details: the orders keep their last known
 * data, are marked stale, and the console says nothing crashed. */
static void test_malformed_details_mark_orders_stale(void **state)
{
    (void)state;
    struct console *c = console_settled(60);
    size_t unfinished = active_orders(c);
    assert_true(unfinished > 0);
    assert_int_equal(simproc_post(c->sim, "/_sim/faults",
                                  "{\"malformed\":true,\"path_regex\":\"lookup/order/\"}"),
                     200);
    assert_true(queue_push(c->commands, msg_new_refresh(77)));
    assert_true(console_pump_until(c, some_stale, 15));
    size_t stale = 0;
    for (size_t i = 0; i < order_store_count(c->store); i++) {
        const struct order *o = order_store_view_at(c->store, i);
        if (o->stale) {
            stale++;
            assert_true(o->detail_known); /* last known data kept */
            assert_non_null(o->status_text);
            assert_false(order_status_is_terminal(o->status));
        }
    }
    assert_int_equal(order_store_count(c->store), 60);
    assert_true(stale > 0 && stale <= unfinished);
    console_stop(c);
}

/* Quitting does not wait for a Vault that does not answer. */
static void test_stop_does_not_wait_for_a_silent_vault(void **state)
{
    (void)state;
    struct console *c = console_new((const char *const[]){"--token", TOKEN, "--seed-orders", "5",
                                                          "--time-scale", "0", NULL},
                                    TOKEN, NULL);
    assert_int_equal(simproc_post(c->sim, "/_sim/faults", "{\"latency_ms\":15000}"), 200);
    console_start(c); /* its first LIST now hangs for 15 s (timeout 20 s) */
    console_pump_for(c, 1.0);
    double t0 = now_s();
    worker_stop(c->worker);
    double took = now_s() - t0;
    c->worker = NULL;
    fprintf(stderr, "stop with a request in flight: %.2f s\n", took);
    assert_true(took < 2.5);
    console_stop(c);
}

static size_t answers_of(struct console *c, enum msg_type t)
{
    size_t n = 0;
    for (size_t i = 0; i < c->answer_count; i++)
        n += c->answers[i]->type == t;
    return n;
}

static const struct msg *answer_for(struct console *c, uint64_t request_id)
{
    for (size_t i = 0; i < c->answer_count; i++)
        if (c->answers[i]->request_id == request_id)
            return c->answers[i];
    return NULL;
}

static uint64_t awaited_id;
static bool has_awaited_answer(struct console *c)
{
    return answer_for(c, awaited_id) != NULL;
}

static const struct msg *command(struct console *c, struct msg *cmd)
{
    awaited_id = cmd->request_id;
    assert_true(queue_push(c->commands, cmd));
    assert_true(console_pump_until(c, has_awaited_answer, 20));
    return answer_for(c, awaited_id);
}

static const struct order *first_with_status(struct console *c, enum order_status s)
{
    for (size_t i = 0; i < order_store_count(c->store); i++) {
        const struct order *o = order_store_view_at(c->store, i);
        if (o->status == s && o->identifier_count > 0 && o->challenge_count > 0)
            return o;
        if (o->status == s && s == ORDER_COMPLETED)
            return o;
    }
    return NULL;
}

static char *watched_id;
static bool watched_completed(struct console *c)
{
    const struct order *o = order_store_find(c->store, watched_id);
    return o && o->status == ORDER_COMPLETED;
}

/* Every command is answered: challenge detail, fulfill (the POST carries
 * identifier and challenge type, and the order then completes), certificate,
 * new order, revoke, and a clear error for an unknown order. */
static void test_commands_are_answered(void **state)
{
    (void)state;
    struct console *c = console_new((const char *const[]){"--token", TOKEN, "--seed-orders", "40",
                                                          "--time-scale", "0", NULL},
                                    TOKEN, NULL);
    assert_int_equal(simproc_post(c->sim, "/_sim/advance", "{\"seconds\": 600}"), 200);
    console_start(c);
    expected_orders = 40;
    assert_true(console_pump_until(c, all_detailed, 30));

    const struct order *o = first_with_status(c, ORDER_AWAITING_CHALLENGE);
    assert_non_null(o);
    char *id = xstrdup(o->id), *ident = xstrdup(o->challenges[0].identifier);
    char *type = xstrdup(o->challenges[0].items[0].type);

    const struct msg *a = command(c, msg_new_fetch_challenge(1, id, NULL, ident, type));
    assert_int_equal(a->type, UPD_CHALLENGE_DETAIL);
    assert_true(strlen(a->u.challenge_detail.detail.token) >= 16);
    assert_non_null(strchr(a->u.challenge_detail.detail.key_authorization, '.'));

    assert_int_equal(simproc_delete(c->sim, "/_sim/requests"), 200);
    a = command(c, msg_new_fulfill_challenge(2, id, NULL, ident, type));
    assert_int_equal(a->type, UPD_ACTION_RESULT);
    assert_true(a->u.action_result.ok);
    cJSON *log = request_log(c);
    bool posted = false;
    const cJSON *e;
    cJSON_ArrayForEach(e, log) {
        if (strcmp(simproc_entry_str(e, "method"), "POST") == 0 &&
            strstr(simproc_entry_str(e, "path"), "/fulfilled-challenge"))
            posted = true;
    }
    cJSON_Delete(log);
    assert_true(posted);
    /* the simulator's clock moves the order to completed; the worker sees it */
    assert_int_equal(simproc_post(c->sim, "/_sim/advance", "{\"seconds\": 60}"), 200);
    watched_id = id;
    assert_true(console_pump_until(c, watched_completed, 20));

    a = command(c, msg_new_fetch_cert(3, id, NULL, "pem"));
    assert_int_equal(a->type, UPD_CERT);
    assert_non_null(strstr(a->u.cert.bundle.certificate, "BEGIN CERTIFICATE"));

    const char *names[] = {"new-order-test.example.com"};
    a = command(c, msg_new_new_order(4, "web-servers", names, 1, NULL));
    assert_int_equal(a->type, UPD_ACTION_RESULT);
    if (!a->u.action_result.ok)
        print_error("new order: %s\n", a->u.action_result.message);
    assert_true(a->u.action_result.ok);
    assert_non_null(a->u.action_result.order_id);

    a = command(c, msg_new_revoke(5, id, NULL, "superseded"));
    assert_int_equal(a->type, UPD_ACTION_RESULT);
    assert_true(a->u.action_result.ok);

    a = command(c, msg_new_fetch_challenge(6, "no-such-order", "web-servers", "x.example.com",
                                           "http-01"));
    assert_int_equal(a->type, UPD_ACTION_RESULT);
    assert_false(a->u.action_result.ok);
    assert_non_null(strstr(a->u.action_result.message, "no-such-order"));
    assert_int_equal(answers_of(c, UPD_ACTION_RESULT), 4);
    free(id);
    free(ident);
    free(type);
    console_stop(c);
}

static bool has_some_orders(struct console *c)
{
    return order_store_count(c->store) > 0;
}

/* An operator's command is answered while the first, long discovery is still
 * fetching details: it does not wait for the end of the cycle. */
static void test_command_answered_during_a_long_discovery(void **state)
{
    (void)state;
    struct console *c = console_new((const char *const[]){"--token", TOKEN, "--seed-orders", "2000",
                                                          "--time-scale", "0", NULL},
                                    TOKEN, NULL);
    /* an awaiting order, straight from Vault */
    const cJSON *info;
    cJSON *root = simproc_recent_orders(c->sim, &info);
    const cJSON *e;
    char *id = NULL, *role = NULL, *ident = NULL;
    cJSON_ArrayForEach(e, info) {
        if (strcmp(simproc_entry_str(e, "order_status"), "awaiting-challenge-fulfillment") == 0) {
            id = xstrdup(e->string);
            role = xstrdup(simproc_entry_str(e, "role_name"));
            ident = xstrdup(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(e, "identifiers"),
                                               0)->valuestring);
            break;
        }
    }
    cJSON_Delete(root);
    assert_non_null(id);
    /* every detail answer takes 20 ms: the first cycle lasts seconds */
    assert_int_equal(simproc_post(c->sim, "/_sim/faults",
                                  "{\"latency_ms\":20,\"path_regex\":\"lookup/order/\"}"),
                     200);
    console_start(c);
    assert_true(console_pump_until(c, has_some_orders, 20));
    double t0 = now_s();
    const char *type = strncmp(ident, "*.", 2) == 0 ? "dns-01" : "http-01";
    const struct msg *a = command(c, msg_new_fetch_challenge(9, id, role, ident, type));
    double took = now_s() - t0;
    if (a->type == UPD_ACTION_RESULT)
        print_error("fetch challenge: %s\n", a->u.action_result.message);
    assert_int_equal(a->type, UPD_CHALLENGE_DETAIL);
    expected_orders = 2000;
    fprintf(stderr, "challenge answered after %.2f s, %zu of 2000 details known then\n", took,
            detailed_count(c));
    assert_false(all_detailed(c)); /* the discovery was still running */
    free(id);
    free(role);
    free(ident);
    console_stop(c);
}

int main(void)
{
    vault_client_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_discovers_2000_orders_with_token_and_namespace),
        cmocka_unit_test(test_idle_cycle_only_lists),
        cmocka_unit_test(test_falls_back_to_roles_when_lookup_denied),
        cmocka_unit_test(test_given_roles_when_roles_denied_too),
        cmocka_unit_test(test_missing_mount_is_disconnected_and_said),
        cmocka_unit_test(test_invisible_role_name_skipped_and_said_once),
        cmocka_unit_test(test_widened_policy_is_used_after_refresh),
        cmocka_unit_test(test_rate_limit_honours_retry_after),
        cmocka_unit_test(test_rate_limit_with_hostile_retry_after),
        cmocka_unit_test(test_revoked_token_restored_reconnects),
        cmocka_unit_test(test_order_answering_404_leaves),
        cmocka_unit_test(test_down_then_back),
        cmocka_unit_test(test_commands_are_answered),
        cmocka_unit_test(test_malformed_details_mark_orders_stale),
        cmocka_unit_test(test_stop_does_not_wait_for_a_silent_vault),
        cmocka_unit_test(test_command_answered_during_a_long_discovery),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    vault_client_global_cleanup();
    return rc;
}
