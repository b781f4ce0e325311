/* test_event_log: the status changes the console keeps (model/event_log.c)
 * and how the console records them and shows them (E, the events view). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "model/event_log.h"
#include "model/queue.h"
#include "ui/actions.h"
#include "ui/console_state.h"
#include "ui/views.h"

#include "console_driver.h"

#define NOW 1782737000

static void test_ring_keeps_the_newest(void **state)
{
    (void)state;
    struct event_log l = {0};
    assert_null(event_log_at(&l, 0));
    for (int i = 0; i < EVENT_LOG_MAX + 5; i++) {
        char id[16];
        snprintf(id, sizeof id, "o%d", i);
        event_log_add(&l, NOW + i, id, "x.example.com", "submitted", "completed",
                      i == 3 ? "boom" : NULL);
    }
    assert_int_equal(l.count, EVENT_LOG_MAX);
    assert_int_equal(l.total, EVENT_LOG_MAX + 5);
    assert_string_equal(event_log_at(&l, 0)->order_id, "o1004"); /* newest first */
    assert_string_equal(event_log_at(&l, EVENT_LOG_MAX - 1)->order_id, "o5");
    assert_null(event_log_at(&l, EVENT_LOG_MAX));
    event_log_free(&l);
}

static void push(struct console_state *c, struct order *os, size_t n, bool complete)
{
    struct msg *m = msg_new_orders(0, os, n, complete);
    for (size_t i = 0; i < n; i++)
        order_free(&os[i]);
    console_state_apply(c, m, NOW);
}

static void test_console_records_status_changes(void **state)
{
    (void)state;
    struct queue *q = queue_new();
    struct console_state c;
    console_state_init(&c, NULL, q);
    console_state_set_list_rows(&c, 10);
    struct order os[2] = {driver_order("aa", ORDER_AWAITING_CHALLENGE, NOW, "a.example.com"),
                          driver_order("bb", ORDER_SUBMITTED, NOW - 1, "b.example.com")};
    push(&c, os, 2, true); /* what was there at start is not news */
    assert_int_equal(c.events.count, 0);
    os[0] = driver_order("aa", ORDER_AWAITING_CHALLENGE, NOW, "a.example.com"); /* unchanged */
    os[1] = driver_order("bb", ORDER_ERROR, NOW - 1, "b.example.com");
    free(os[1].last_error);
    os[1].last_error = xstrdup("the CA said no");
    push(&c, os, 2, false);
    assert_int_equal(c.events.count, 1);
    const struct status_event *e = event_log_at(&c.events, 0);
    assert_string_equal(e->order_id, "bb");
    assert_string_equal(e->from, "submitted");
    assert_string_equal(e->to, "error");
    assert_string_equal(e->identifier, "b.example.com");
    assert_string_equal(e->last_error, "the CA said no");
    /* the summary said error, the full order brings the reason afterwards */
    os[0] = driver_order("aa", ORDER_ERROR, NOW, "a.example.com");
    push(&c, os, 1, false);
    assert_null(event_log_at(&c.events, 0)->last_error);
    os[0] = driver_order("aa", ORDER_ERROR, NOW, "a.example.com");
    free(os[0].last_error);
    os[0].last_error = xstrdup("late reason");
    push(&c, os, 1, false);
    assert_int_equal(c.events.count, 2);
    assert_string_equal(event_log_at(&c.events, 0)->last_error, "late reason");
    os[0] = driver_order("aa", ORDER_AWAITING_CHALLENGE, NOW, "a.example.com"); /* back */
    push(&c, os, 1, false);
    /* a new order after the first listing is news */
    os[0] = driver_order("cc", ORDER_NEW, NOW + 5, "c.example.com");
    push(&c, os, 1, false);
    assert_int_equal(c.events.count, 4);
    assert_string_equal(event_log_at(&c.events, 0)->from, "");
    assert_string_equal(event_log_at(&c.events, 0)->to, "new");
    assert_null(event_log_at(&c.events, 0)->last_error);
    /* a paused list records when the held updates are applied */
    console_state_pause(&c, true);
    os[0] = driver_order("aa", ORDER_COMPLETED, NOW, "a.example.com");
    push(&c, os, 1, false);
    assert_int_equal(c.events.count, 4);
    console_state_pause(&c, false);
    assert_int_equal(c.events.count, 5);
    assert_string_equal(event_log_at(&c.events, 0)->to, "completed");

    /* E: the events view; j moves to the older one; Enter shows its order */
    assert_true(actions_handle_key(&c, 'E'));
    assert_string_equal(views_current(&c)->name, "events");
    assert_true(actions_handle_key(&c, 'j'));
    assert_int_equal(c.events_cursor, 1); /* cc appeared */
    assert_true(actions_handle_key(&c, ACTION_KEY_FN(KEY_END)));
    assert_int_equal(c.events_cursor, 4); /* bb failed */
    assert_true(actions_handle_key(&c, '\n'));
    assert_string_equal(views_current(&c)->name, "orders");
    assert_string_equal(c.list.selected_id, "bb");
    /* Esc goes back too, and j moves the orders again there */
    actions_handle_key(&c, 'E');
    assert_int_equal(c.events_cursor, 0);
    actions_handle_key(&c, ACTION_KEY_ESC);
    assert_string_equal(views_current(&c)->name, "orders");
    console_state_free(&c);
    queue_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_keeps_the_newest),
        cmocka_unit_test(test_console_records_status_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
