/* test_contexts_console: the console's side of contexts, without a
 * terminal: UPD_CONTEXT names the context (the header and detail read its
 * address, namespace and mount), a new context empties the list and what
 * was read of the old one, the orders' places give the NAMESPACE and MOUNT
 * cells, a read-only context refuses every key that writes to Vault before
 * anything is built (no command leaves, no dialog opens) while the others
 * still work, and :ctx NAME / :ns PATH send the switch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/queue.h"
#include "model/xalloc.h"
#include "ui/actions.h"
#include "ui/command_line.h"
#include "ui/console_state.h"
#include "ui/pane_orders.h"
#include "ui/views.h"

#include "console_driver.h"

#define NOW ((time_t)1800000000)

static struct context_info context_of(const char *name, bool readonly, unsigned generation,
                                      size_t places)
{
    static const char *const ns[] = {"team1", "team2"};
    struct context_info x = {0};
    x.name = (char *)name;
    x.color = (char *)"red";
    x.addr = (char *)"https://vault.example.com:8200";
    x.readonly = readonly;
    x.generation = generation;
    x.fan_out = places > 1;
    x.place_count = places;
    struct context_place *p = xcalloc(places, sizeof *p);
    for (size_t i = 0; i < places; i++) {
        p[i].namespace_ = (char *)ns[i % 2];
        p[i].mount = (char *)"pki";
    }
    x.places = p;
    return x;
}

static void push_context(struct console_state *c, const char *name, bool readonly,
                         unsigned generation, size_t places)
{
    struct context_info x = context_of(name, readonly, generation, places);
    console_state_apply(c, msg_new_context(&x), NOW);
    free(x.places);
}

static void push_orders(struct console_state *c, struct order *os, size_t n)
{
    struct msg *m = msg_new_orders(0, os, n, false);
    for (size_t i = 0; i < n; i++)
        order_free(&os[i]);
    console_state_apply(c, m, NOW);
}

static void test_context_names_places_and_empties_on_switch(void **state)
{
    (void)state;
    struct queue *q = queue_new();
    struct console_state c;
    console_state_init(&c, NULL, q);
    push_context(&c, "staging", false, 1, 2);
    assert_string_equal(c.cfg->addr, "https://vault.example.com:8200");
    assert_string_equal(context_state_watched(&c, false), "*"); /* two namespaces */
    assert_string_equal(context_state_watched(&c, true), "pki");
    struct order os[2] = {driver_order("aa", ORDER_AWAITING_CHALLENGE, NOW, "a.example.com"),
                          driver_order("bb", ORDER_COMPLETED, NOW, "b.example.com")};
    os[1].place = 1;
    push_orders(&c, os, 2);
    const struct order *b = order_store_find(c.store, "bb");
    char buf[64];
    enum theme_slot slot;
    assert_string_equal(pane_orders_cell(c.cfg, b, OCOL_NAMESPACE, NOW, buf, sizeof buf, &slot),
                        "team2");
    assert_string_equal(pane_orders_cell(c.cfg, b, OCOL_MOUNT, NOW, buf, sizeof buf, &slot),
                        "pki");
    /* the same context again (a new refresh period): the orders stay */
    push_context(&c, "staging", false, 1, 2);
    assert_int_equal(order_store_count(c.store), 2);
    /* another context: the list empties, the engine refills it */
    push_context(&c, "prod", true, 2, 1);
    assert_int_equal(order_store_count(c.store), 0);
    assert_string_equal(c.context.name, "prod");
    assert_string_equal(context_state_watched(&c, false), "team1");
    console_state_free(&c);
    queue_free(q);
}

static void test_read_only_refuses_writes_before_anything_is_built(void **state)
{
    (void)state;
    struct queue *q = queue_new();
    struct console_state c;
    console_state_init(&c, NULL, q);
    push_context(&c, "prod", true, 1, 1);
    struct order os[1] = {driver_order("aa", ORDER_AWAITING_CHALLENGE, NOW, "a.example.com")};
    push_orders(&c, os, 1);
    for (struct msg *m; (m = queue_pop(q));) /* the focus hint */
        msg_free(m);
    const int writes[] = {'f', 'n', 'N', 'R'};
    const char *names[] = {"fulfill", "new-order", "renew", "revoke"};
    for (size_t i = 0; i < 4; i++) {
        assert_true(actions_handle_key(&c, writes[i]));
        char want[80];
        snprintf(want, sizeof want, "read-only context prod: %s not sent", names[i]);
        assert_non_null(c.message);
        assert_string_equal(c.message, want);
        assert_null(c.dialog); /* nothing opened, nothing built */
        for (struct msg *m; (m = queue_pop(q));) {
            assert_true(m->type == CMD_FOCUS_ORDER); /* and nothing sent */
            msg_free(m);
        }
    }
    /* the roles view's writes too; reading is still allowed */
    assert_true(command_line_run(&c, "roles"));
    assert_true(actions_handle_key(&c, 'a'));
    assert_string_equal(c.message, "read-only context prod: add-role not sent");
    assert_null(c.dialog);
    assert_true(command_line_run(&c, "orders"));
    /* in a writable context the same key opens its dialog */
    push_context(&c, "staging", false, 2, 1);
    struct order again[1] = {driver_order("aa", ORDER_AWAITING_CHALLENGE, NOW, "a.example.com")};
    push_orders(&c, again, 1);
    struct msg *m;
    while ((m = queue_pop(q))) /* what the roles view asked for */
        msg_free(m);
    assert_true(actions_handle_key(&c, 'n'));
    m = next_command(q); /* the form asks for the roles first */
    assert_non_null(m);
    assert_int_equal(m->type, CMD_LIST_ROLES);
    msg_free(m);
    console_state_free(&c);
    for (; (m = queue_pop(q));)
        msg_free(m);
    queue_free(q);
}

static void test_command_line_switches(void **state)
{
    (void)state;
    struct queue *q = queue_new();
    struct console_state c;
    console_state_init(&c, NULL, q);
    push_context(&c, "staging", false, 1, 1);
    assert_true(command_line_run(&c, "ctx prod"));
    struct msg *m = queue_pop(q);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_SWITCH_CONTEXT);
    assert_string_equal(m->u.switch_to.context, "prod");
    assert_null(m->u.switch_to.namespace_);
    msg_free(m);
    assert_true(command_line_run(&c, "ns team2/sub"));
    m = queue_pop(q);
    assert_int_equal(m->type, CMD_SWITCH_CONTEXT);
    assert_null(m->u.switch_to.context);
    assert_string_equal(m->u.switch_to.namespace_, "team2/sub");
    msg_free(m);
    /* :ctx alone is the view; :ns alone asks the engine for the namespaces */
    assert_true(command_line_run(&c, "ctx"));
    assert_string_equal(views_current(&c)->name, "ctx");
    assert_true(command_line_run(&c, "ns"));
    assert_string_equal(views_current(&c)->name, "ns");
    m = queue_pop(q);
    assert_int_equal(m->type, CMD_LIST_NAMESPACES);
    msg_free(m);
    console_state_free(&c);
    for (struct msg *x; (x = queue_pop(q));)
        msg_free(x);
    queue_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_context_names_places_and_empties_on_switch),
        cmocka_unit_test(test_read_only_refuses_writes_before_anything_is_built),
        cmocka_unit_test(test_command_line_switches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
