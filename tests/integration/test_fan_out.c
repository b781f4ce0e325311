/* test_fan_out: one console over many places and several Vaults.
 *   every place   20 namespaces x 2 mounts in the simulator, `namespace = *`
 *                 and `mount = a, b`: every order is listed with its own
 *                 namespace and mount, a fulfil goes to the order's own
 *                 namespace and mount (the simulator's request log), and
 *                 over 60 s idle the whole console stays within
 *                 idle_budget (0.3 requests/s);
 *   contexts      two simulators as two contexts of a config file, one in a
 *                 namespace, one read-only: the worker switches between
 *                 them (CMD_SWITCH_CONTEXT), the read-only one refuses every
 *                 write in the engine itself (the console's lock is the
 *                 first one) and its simulator sees no write; switching back
 *                 shows the kept orders at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "model/queue.h"
#include "model/xalloc.h"
#include "net/vault_client.h"
#include "net/worker.h"
#include "simproc.h"

#define TOKEN "s.fan-out-test-token"
#define IDLE_WINDOW_S 60.0
#define MAX_ORDERS 512

struct seen {
    struct queue *commands, *updates;
    struct worker *worker;
    struct context_info context; /* the last UPD_CONTEXT */
    unsigned contexts;           /* how many came */
    char *ids[MAX_ORDERS];       /* every order posted in full, with its place */
    unsigned place[MAX_ORDERS];
    struct order orders[MAX_ORDERS];
    size_t count;
    struct msg *answer;          /* the last UPD_ACTION_RESULT or UPD_WRITE */
    double last_detail_at;
};

static void seen_apply(struct seen *s, struct msg *m)
{
    if (m->type == UPD_CONTEXT) {
        context_info_free(&s->context);
        context_info_copy(&s->context, &m->u.context);
        s->contexts++;
    } else if (m->type == UPD_ORDERS || m->type == UPD_ORDER_DETAIL) {
        size_t n = m->type == UPD_ORDERS ? m->u.orders.count : 1;
        struct order *items = m->type == UPD_ORDERS ? m->u.orders.items : &m->u.order_detail.order;
        for (size_t i = 0; i < n; i++) {
            if (!items[i].detail_known || !items[i].id)
                continue;
            s->last_detail_at = now_s();
            size_t k = 0;
            while (k < s->count && strcmp(s->ids[k], items[i].id) != 0)
                k++;
            if (k == s->count) {
                if (s->count == MAX_ORDERS)
                    continue;
                s->ids[s->count++] = xstrdup(items[i].id);
            } else {
                order_clear(&s->orders[k]);
            }
            order_copy(&s->orders[k], &items[i]);
            s->place[k] = items[i].place;
        }
    } else if (m->type == UPD_ACTION_RESULT || m->type == UPD_WRITE) {
        msg_free(s->answer);
        s->answer = m;
        return;
    }
    msg_free(m);
}

static void seen_forget_orders(struct seen *s)
{
    for (size_t i = 0; i < s->count; i++) {
        free(s->ids[i]);
        order_clear(&s->orders[i]);
    }
    s->count = 0;
}

static void pump_for(struct seen *s, double seconds)
{
    double end = now_s() + seconds;
    for (double left; (left = end - now_s()) > 0;) {
        struct msg *m = queue_wait_pop(s->updates, (int)(left * 1000) + 1);
        if (m)
            seen_apply(s, m);
    }
}

/* Pump until cond holds (or fail after seconds). */
#define PUMP_UNTIL(s, cond, seconds)                                                   \
    do {                                                                               \
        double end_ = now_s() + (seconds);                                             \
        while (!(cond) && now_s() < end_) {                                            \
            struct msg *m_ = queue_wait_pop((s)->updates, 100);                        \
            if (m_)                                                                    \
                seen_apply((s), m_);                                                   \
        }                                                                              \
        assert_true(cond);                                                             \
    } while (0)

static void seen_stop(struct seen *s)
{
    worker_stop(s->worker);
    for (struct msg *m; (m = queue_pop(s->updates));)
        msg_free(m);
    queue_free(s->commands);
    queue_free(s->updates);
    seen_forget_orders(s);
    context_info_free(&s->context);
    msg_free(s->answer);
}

/* The simulator's requests to /v1/ since the last clear: how many, how
 * many writes, and the namespace and mount of the last POST. */
struct calls {
    size_t total, lists, writes;
    char post_namespace[64], post_mount[64], post_path[512];
};

static struct calls vault_calls(struct simproc *sim)
{
    cJSON *log = simproc_request_log(sim);
    struct calls n = {0};
    const cJSON *e;
    cJSON_ArrayForEach(e, log) {
        const char *path = simproc_entry_str(e, "path"), *method = simproc_entry_str(e, "method");
        if (strncmp(path, "/v1/", 4) != 0)
            continue;
        n.total++;
        n.lists += strcmp(method, "LIST") == 0;
        if (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
            strcmp(method, "DELETE") == 0) {
            n.writes++;
            snprintf(n.post_namespace, sizeof n.post_namespace, "%s",
                     simproc_entry_str(e, "namespace"));
            const cJSON *mount = cJSON_GetObjectItemCaseSensitive(e, "mount");
            snprintf(n.post_mount, sizeof n.post_mount, "%s",
                     cJSON_IsString(mount) ? mount->valuestring : "");
            snprintf(n.post_path, sizeof n.post_path, "%s", path);
        }
    }
    cJSON_Delete(log);
    return n;
}

/* ---- every namespace, two mounts -------------------------------------------- */

static void test_every_namespace_and_mount(void **state)
{
    (void)state;
    struct simproc *sim = simproc_start((const char *const[]){
        "--token", TOKEN, "--seed-namespaces", "20", "--mount", "a", "--mount", "b",
        "--seed-orders", "3", "--time-scale", "0", NULL});
    assert_non_null(sim);
    struct vault_config cfg;
    simproc_config(sim, TOKEN, &cfg);
    free(cfg.mount);
    cfg.mount = xstrdup("a,b");
    cfg.namespace_ = xstrdup("*");
    cfg.poll_interval_s = 5;
    cfg.idle_budget = 0.3;
    struct seen s = {.commands = queue_new(), .updates = queue_new()};
    struct vault_error err;
    s.worker = worker_start(&cfg, s.commands, s.updates, &err);
    assert_non_null(s.worker);

    /* the places: ns01..ns20 x a, b (and the root's a and b, which the
       root does not have: not watched, not an error) */
    PUMP_UNTIL(&s, s.contexts > 0, 30);
    size_t watched = 0;
    for (size_t i = 0; i < s.context.place_count; i++) {
        const struct context_place *p = &s.context.places[i];
        if (strncmp(p->namespace_, "ns", 2) == 0)
            watched++;
    }
    assert_int_equal(watched, 40);
    assert_true(s.context.fan_out);

    /* every order, each with its own place: the simulator tags names with
       "<namespace>-<mount>" */
    PUMP_UNTIL(&s, s.count >= 120, 120);
    assert_int_equal(s.count, 120);
    for (size_t i = 0; i < s.count; i++) {
        const struct context_place *p = &s.context.places[s.place[i]];
        char tag[64];
        snprintf(tag, sizeof tag, ".%s-%s.", p->namespace_, p->mount);
        char name[300];
        snprintf(name, sizeof name, ".%s", s.orders[i].identifiers[0]);
        if (!strstr(name, tag))
            fail_msg("order %s (%s) listed in %s/%s", s.ids[i], s.orders[i].identifiers[0],
                     p->namespace_, p->mount);
    }
    fprintf(stderr, "%zu places, %zu orders, each in its namespace and mount; period %.0f s\n",
            s.context.place_count, s.count, s.context.period_s);
    assert_true(s.context.period_s >= 60); /* 40 places share 0.3 requests/s */

    /* a fulfil acts in the order's own namespace and mount */
    PUMP_UNTIL(&s, now_s() - s.last_detail_at > 2, 60);
    size_t k = 0;
    while (k < s.count && !(s.orders[k].status == ORDER_AWAITING_CHALLENGE &&
                            s.orders[k].challenge_count && s.orders[k].challenges[0].count))
        k++;
    assert_true(k < s.count);
    const struct context_place *at = &s.context.places[s.place[k]];
    assert_int_equal(simproc_delete(sim, "/_sim/requests"), 200);
    const struct order *o = &s.orders[k];
    assert_true(queue_push(s.commands, msg_new_fulfill_challenge(
                                           7, o->id, o->role, o->challenges[0].identifier,
                                           o->challenges[0].items[0].type)));
    PUMP_UNTIL(&s, s.answer && s.answer->request_id == 7, 30);
    struct calls n = vault_calls(sim);
    fprintf(stderr, "fulfil of %.8s in %s/%s: POST %s in namespace %s, mount %s (%s)\n", o->id,
            at->namespace_, at->mount, n.post_path, n.post_namespace, n.post_mount,
            s.answer->u.action_result.message);
    assert_int_equal(n.writes, 1);
    assert_string_equal(n.post_namespace, at->namespace_);
    assert_string_equal(n.post_mount, at->mount);
    assert_non_null(strstr(n.post_path, o->id));

    /* idle: the whole console within the budget */
    pump_for(&s, 10);
    assert_int_equal(simproc_delete(sim, "/_sim/requests"), 200);
    pump_for(&s, IDLE_WINDOW_S);
    n = vault_calls(sim);
    fprintf(stderr, "idle over %.0f s with %zu places: %zu requests (%zu LIST) = %.3f/s; "
                    "budget 0.3/s\n",
            IDLE_WINDOW_S, watched, n.total, n.lists, (double)n.total / IDLE_WINDOW_S);
    assert_true(n.lists >= 3); /* it kept listing */
    assert_true((double)n.total <= 0.3 * IDLE_WINDOW_S + 2);

    seen_stop(&s);
    vault_config_free(&cfg);
    simproc_stop(sim);
}

/* ---- two Vaults as two contexts ------------------------------------------ */

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

static void test_two_contexts_one_read_only(void **state)
{
    (void)state;
    struct simproc *team = simproc_start((const char *const[]){
        "--token", TOKEN, "--seed-namespace", "team1", "--seed-orders", "4", "--time-scale", "0",
        NULL});
    struct simproc *prod = simproc_start((const char *const[]){
        "--token", TOKEN, "--seed-orders", "6", "--time-scale", "0", NULL});
    assert_non_null(team);
    assert_non_null(prod);
    char dir[] = "/tmp/acmetop-ctx-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[300], token_path[300], text[1500], home[320], cache[320];
    snprintf(token_path, sizeof token_path, "%s/token", dir);
    write_file(token_path, TOKEN "\n", 0600);
    snprintf(path, sizeof path, "%s/config", dir);
    snprintf(text, sizeof text,
             "interval = 1s\n"
             "context = team\n"
             "[context team]\naddr = %s\nnamespace = team1\ntoken_file = %s\n"
             "[context prod]\naddr = %s\nreadonly = true\ncolor = red\ntoken_file = %s\n",
             team->addr, token_path, prod->addr, token_path);
    write_file(path, text, 0600);
    snprintf(home, sizeof home, "HOME=%s", dir);
    snprintf(cache, sizeof cache, "XDG_CACHE_HOME=%s/cache", dir);
    const char *envp[] = {home, cache, NULL};
    struct vault_config_flags flags;
    vault_config_flags_init(&flags);
    flags.config_path = path;
    struct vault_config cfg;
    struct vault_error err;
    assert_int_equal(vault_config_load(&cfg, &flags, envp, &err), 0);
    assert_string_equal(cfg.context, "team");

    struct seen s = {.commands = queue_new(), .updates = queue_new()};
    s.worker = worker_start_switchable(&cfg, &flags, envp, s.commands, s.updates, &err);
    assert_non_null(s.worker);
    PUMP_UNTIL(&s, s.contexts > 0 && s.count >= 4, 30);
    assert_string_equal(s.context.name, "team");
    assert_false(s.context.readonly);
    assert_string_equal(s.context.places[0].namespace_, "team1");
    assert_int_equal(s.context.row_count, 2);
    assert_int_equal(s.count, 4);

    /* to prod: its own orders, read-only, red */
    seen_forget_orders(&s);
    assert_true(queue_push(s.commands, msg_new_switch_context(1, "prod", NULL)));
    PUMP_UNTIL(&s, s.answer && s.answer->request_id == 1, 30);
    assert_true(s.answer->u.action_result.ok);
    PUMP_UNTIL(&s, s.count >= 6, 30);
    assert_string_equal(s.context.name, "prod");
    assert_true(s.context.readonly);
    assert_string_equal(s.context.color, "red");
    assert_int_equal(s.count, 6);
    PUMP_UNTIL(&s, now_s() - s.last_detail_at > 1, 30);

    /* every write is refused by the engine, and Vault sees none */
    assert_int_equal(simproc_delete(prod, "/_sim/requests"), 200);
    const struct order *o = &s.orders[0];
    const char *ids[] = {"x.example.com"};
    struct msg *writes[] = {
        msg_new_fulfill_challenge(2, o->id, o->role, "x.example.com", "http-01"),
        msg_new_new_order(3, o->role, ids, 1, NULL),
        msg_new_revoke(4, o->id, o->role, "keyCompromise"),
        msg_new_write(5, "POST", "role/web-servers", "{}"),
    };
    for (size_t i = 0; i < 4; i++) {
        uint64_t id = writes[i]->request_id;
        assert_true(queue_push(s.commands, writes[i]));
        PUMP_UNTIL(&s, s.answer && s.answer->request_id == id, 10);
        const char *text_of = s.answer->type == UPD_WRITE ? s.answer->u.written.error
                                                          : s.answer->u.action_result.message;
        fprintf(stderr, "refused: %s\n", text_of);
        assert_non_null(strstr(text_of, "read-only context prod: "));
        assert_non_null(strstr(text_of, " not sent"));
    }
    assert_true(queue_push(s.commands, msg_new_refresh(9))); /* reading goes on */
    PUMP_UNTIL(&s, s.answer && s.answer->request_id == 9, 10);
    struct calls n = vault_calls(prod);
    assert_int_equal(n.writes, 0);
    assert_true(n.total > 0);

    /* back to team: its orders come from what was kept, before Vault answers */
    seen_forget_orders(&s);
    double t0 = now_s();
    assert_true(queue_push(s.commands, msg_new_switch_context(6, "team", NULL)));
    PUMP_UNTIL(&s, s.count >= 4, 10);
    double took = now_s() - t0;
    fprintf(stderr, "switch back: %zu orders shown after %.3f s\n", s.count, took);
    assert_string_equal(s.context.name, "team");
    assert_true(took < 1.0);

    /* an unknown context: refused with the known ones, the old one stays */
    assert_true(queue_push(s.commands, msg_new_switch_context(8, "staging", NULL)));
    PUMP_UNTIL(&s, s.answer && s.answer->request_id == 8, 10);
    assert_false(s.answer->u.action_result.ok);
    assert_non_null(strstr(s.answer->u.action_result.message, "known: team, prod"));
    assert_string_equal(s.context.name, "team");

    seen_stop(&s);
    vault_config_free(&cfg);
    simproc_stop(team);
    simproc_stop(prod);
}

int main(void)
{
    vault_client_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_contexts_one_read_only),
        cmocka_unit_test(test_every_namespace_and_mount),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    vault_client_global_cleanup();
    return rc;
}
