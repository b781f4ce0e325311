/* test_idle_budget: what an idle console costs Vault does not grow with the
 * number of orders. 10,000 orders in the simulator, with Vault's worker
 * frozen behind (--time-scale 0: every next_work_date in the past), with its
 * clock running, and role by role (the token may not read the lookup
 * paths): once the first discovery has read everything, the requests Vault
 * sees over a window stay within idle_budget × window (+ 2, one cycle of
 * slack). A focus change reads that one order, once the cursor rests on it:
 * one request, no listing. Observed the way Vault sees it: the simulator's
 * request log. */
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
#include "model/queue.h"
#include "model/xalloc.h"
#include "net/vault_client.h"
#include "net/worker.h"
#include "simproc.h"

#define TOKEN "s.idle-test-token"
#define ORDERS "10000"
#define BUDGET 2.0    /* requests per second */
#define WINDOW_S 8.0  /* the idle window measured: >= 2 cycles under load */
#define IDS 24        /* order IDs kept for the focus moves */

/* ---- a console stand-in: counts what the worker posts -------------------- */

struct console {
    struct simproc *sim;
    struct vault_config cfg;
    struct queue *commands, *updates;
    struct worker *worker;
    unsigned beats;            /* UPD_CONNECTION: one per cycle */
    int conn_state;
    time_t oldest_verified_at; /* from the last UPD_CONNECTION */
    size_t details;            /* orders posted with their details */
    char *ids[IDS];            /* the first unfinished orders posted in full */
    size_t id_count;
};

static struct console *console_new(const char *const *sim_args, const char *token)
{
    struct console *c = xcalloc(1, sizeof(*c));
    c->sim = simproc_start(sim_args);
    assert_non_null(c->sim);
    simproc_config(c->sim, token, &c->cfg);
    c->cfg.poll_interval_s = 0.5; /* shorter than the budget allows: cycles stretch */
    c->cfg.idle_budget = BUDGET;
    c->commands = queue_new();
    c->updates = queue_new();
    c->conn_state = -1;
    struct vault_error err;
    c->worker = worker_start(&c->cfg, c->commands, c->updates, &err);
    if (!c->worker) {
        print_error("worker_start: %s\n", err.sentence);
        fail();
    }
    return c;
}

static void console_stop(struct console *c)
{
    worker_stop(c->worker);
    for (struct msg *m; (m = queue_pop(c->updates));)
        msg_free(m);
    queue_free(c->commands);
    queue_free(c->updates);
    for (size_t i = 0; i < c->id_count; i++)
        free(c->ids[i]);
    vault_config_free(&c->cfg);
    simproc_stop(c->sim);
    free(c);
}

static void console_apply(struct console *c, struct msg *m)
{
    if (m->type == UPD_CONNECTION) {
        c->beats++;
        c->conn_state = (int)m->u.connection.state;
        c->oldest_verified_at = m->u.connection.oldest_verified_at;
    } else if (m->type == UPD_ORDERS) {
        for (size_t i = 0; i < m->u.orders.count; i++) {
            const struct order *o = &m->u.orders.items[i];
            if (!o->detail_known)
                continue;
            c->details++;
            if (c->id_count < IDS && !order_status_is_terminal(o->status))
                c->ids[c->id_count++] = xstrdup(o->id);
        }
    }
    msg_free(m);
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

/* Pump until no order has been read for `quiet` seconds (at most `seconds`). */
static void console_pump_until_quiet(struct console *c, double quiet, double seconds)
{
    double end = now_s() + seconds, last = now_s();
    size_t details = c->details;
    while (now_s() - last < quiet && now_s() < end) {
        struct msg *m = queue_wait_pop(c->updates, 100);
        if (m)
            console_apply(c, m);
        if (c->details != details) {
            details = c->details;
            last = now_s();
        }
    }
    assert_true(now_s() - last >= quiet);
}

/* The first cycle reads every order before it reports: wait for it. */
static void console_wait_first_discovery(struct console *c, double seconds)
{
    double t0 = now_s(), end = t0 + seconds;
    while (c->beats == 0 && now_s() < end) {
        struct msg *m = queue_wait_pop(c->updates, 100);
        if (m)
            console_apply(c, m);
    }
    assert_true(c->beats > 0);
    fprintf(stderr, "first discovery: %zu orders read in %.1f s\n", c->details, now_s() - t0);
}

/* ---- the simulator's request log ----------------------------------------- */

struct calls {
    size_t total, lists, reads; /* reads: GETs of one order */
    char last_read[512];
};

static struct calls vault_calls(struct console *c)
{
    cJSON *log = simproc_request_log(c->sim);
    struct calls n = {0};
    const cJSON *e;
    cJSON_ArrayForEach(e, log) {
        const char *path = simproc_entry_str(e, "path"), *method = simproc_entry_str(e, "method");
        if (strncmp(path, "/v1/", 4) != 0)
            continue;
        n.total++;
        n.lists += strcmp(method, "LIST") == 0;
        if (strcmp(method, "GET") == 0 &&
            (strstr(path, "/lookup/order/") || strstr(path, "/status"))) {
            n.reads++;
            snprintf(n.last_read, sizeof n.last_read, "%s", path);
        }
    }
    cJSON_Delete(log);
    return n;
}

static void clear_log(struct console *c)
{
    assert_int_equal(simproc_delete(c->sim, "/_sim/requests"), 200);
}

/* Requests over an idle window, asserted against the budget. */
static void assert_idle_within_budget(struct console *c, const char *what)
{
    clear_log(c);
    unsigned beats = c->beats;
    console_pump_for(c, WINDOW_S);
    struct calls n = vault_calls(c);
    fprintf(stderr, "%s: %zu requests in %.0f s idle (%zu LIST, %zu order reads, %u cycles); "
                    "budget %.1f/s\n",
            what, n.total, WINDOW_S, n.lists, n.reads, c->beats - beats, BUDGET);
    assert_true(c->beats - beats >= 2); /* it kept polling */
    assert_true((double)n.total <= BUDGET * WINDOW_S + 2);
}

/* Holding `j` over a few orders, then resting on the last one: that one is
 * read, once, and nothing else is sent for it. */
static void assert_focus_reads_one_order(struct console *c, const char *read_path_part)
{
    assert_true(c->id_count >= 8);
    clear_log(c);
    unsigned beats = c->beats;
    for (size_t i = 0; i < c->id_count; i++) {
        assert_true(queue_push(c->commands, msg_new_focus_order(0, c->ids[i])));
        console_pump_for(c, 0.02);
    }
    console_pump_for(c, 1.0);
    struct calls n = vault_calls(c);
    unsigned cycles = c->beats - beats;
    fprintf(stderr, "focus after %zu moves: %zu requests (%zu order reads, %zu LIST, %u cycles "
                    "meanwhile)\n",
            c->id_count, n.total, n.reads, n.lists, cycles);
    assert_int_equal(n.reads, 1);
    assert_non_null(strstr(n.last_read, c->ids[c->id_count - 1]));
    assert_non_null(strstr(n.last_read, read_path_part));
    /* whatever else happened is the cycles' own listing (one per role in
     * the fallback), the last one perhaps not reported yet */
    assert_int_equal(n.lists, n.total - 1);
    assert_true(n.lists <= (cycles + 1) * 4);

    /* the same order again a moment later: already fresh, not read again */
    clear_log(c);
    assert_true(queue_push(c->commands, msg_new_focus_order(0, c->ids[c->id_count - 1])));
    console_pump_for(c, 0.8);
    assert_int_equal(vault_calls(c).reads, 0);
}

/* ---- tests --------------------------------------------------------------- */

static void test_idle_with_vault_frozen_behind(void **state)
{
    (void)state;
    time_t started = time(NULL);
    struct console *c = console_new((const char *const[]){"--token", TOKEN, "--seed-orders",
                                                          ORDERS, "--time-scale", "0", NULL},
                                    TOKEN);
    console_wait_first_discovery(c, 120);
    assert_int_equal(c->conn_state, CONN_CONNECTED);
    assert_true(c->details >= 10000);
    assert_true(c->oldest_verified_at >= started && c->oldest_verified_at <= time(NULL));
    console_pump_for(c, 1.0);
    assert_idle_within_budget(c, "10,000 orders, Vault's clock frozen");
    assert_focus_reads_one_order(c, "/lookup/order/");
    console_stop(c);
}

static void test_idle_with_vault_running(void **state)
{
    (void)state;
    struct console *c = console_new(
        (const char *const[]){"--token", TOKEN, "--seed-orders", ORDERS, NULL}, TOKEN);
    console_wait_first_discovery(c, 120);
    assert_int_equal(c->conn_state, CONN_CONNECTED);
    assert_true(c->details >= 10000);
    /* the seeded orders in motion settle within seconds (each change is
     * read: work caused by change, not idle) */
    console_pump_until_quiet(c, 2.0, 30);
    assert_idle_within_budget(c, "10,000 orders, Vault's clock running");
    console_stop(c);
}

/* Role by role (LIST role/:r/active-orders per role per cycle): the cycle
 * stretches so that the listings fit in the budget too. */
static void test_idle_role_by_role(void **state)
{
    (void)state;
    struct console *c = console_new(
        (const char *const[]){"--token", "narrow:deny=*/lookup/*", "--seed-orders", ORDERS,
                              "--time-scale", "0", NULL},
        "narrow");
    console_wait_first_discovery(c, 120);
    assert_int_equal(c->conn_state, CONN_DEGRADED);
    assert_true(c->details > 1000);
    console_pump_for(c, 1.0);
    assert_idle_within_budget(c, "10,000 orders, role by role");
    assert_focus_reads_one_order(c, "/status");
    console_stop(c);
}

int main(void)
{
    vault_client_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idle_with_vault_frozen_behind),
        cmocka_unit_test(test_idle_with_vault_running),
        cmocka_unit_test(test_idle_role_by_role),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    vault_client_global_cleanup();
    return rc;
}
