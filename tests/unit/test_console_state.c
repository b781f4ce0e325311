/* test_console_state: what the console does with the worker's updates,
 * without a terminal: the selection stays on the same order when the list
 * re-sorts, grows or loses orders (and on the same screen row), stale
 * orders keep their reason, the header facts follow the updates, the focus
 * hint goes to the worker once per change, the challenge cursor starts
 * on the first pending challenge, and an update dirties the screen only
 * when it changes what is shown (the heartbeat does not; the header's ages
 * are coarse). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/xalloc.h"
#include "ui/console_state.h"
#include "ui/freshness.h"
#include "ui/pane_detail.h"
#include "ui/pane_orders.h"
#include "ui/textbuf.h"

#define NOW ((time_t)1800000000)

static struct order make_order(const char *id, enum order_status st, time_t created)
{
    struct order o;
    order_init(&o);
    o.id = xstrdup(id);
    o.status = st;
    o.status_text = xstrdup(order_status_name(st));
    o.role = xstrdup("web");
    o.identifiers = xcalloc(1, sizeof(char *));
    char name[64];
    snprintf(name, sizeof name, "%s.example.com", id);
    o.identifiers[0] = xstrdup(name);
    o.identifier_count = 1;
    o.created = created;
    o.last_update = created;
    o.detail_known = true;
    o.csr = xstrdup("");
    o.last_error = xstrdup("");
    o.serial = xstrdup("");
    return o;
}

/* Push n orders as one UPD_ORDERS. */
static void push_orders(struct console_state *c, struct order *orders, size_t n, bool complete)
{
    struct msg *m = msg_new_orders(0, orders, n, complete);
    for (size_t i = 0; i < n; i++)
        order_free(&orders[i]);
    console_state_apply(c, m, NOW);
}

static void push_one(struct console_state *c, const char *id, enum order_status st,
                     time_t created)
{
    struct order o = make_order(id, st, created);
    push_orders(c, &o, 1, false);
}

static const char *view_id(struct console_state *c, size_t i)
{
    return order_store_view_at(c->store, i)->id;
}

static void test_selection_follows_the_order(void **state)
{
    (void)state;
    struct console_state c;
    console_state_init(&c, NULL, NULL);
    console_state_set_list_rows(&c, 5);
    /* urgency sort: awaiting first, newest first within a status */
    push_one(&c, "a", ORDER_COMPLETED, NOW - 100);
    push_one(&c, "b", ORDER_COMPLETED, NOW - 200);
    push_one(&c, "c", ORDER_COMPLETED, NOW - 300);
    assert_string_equal(c.list.selected_id, "a"); /* the first order is selected */
    console_state_move(&c, 1);
    assert_string_equal(c.list.selected_id, "b");
    assert_int_equal(c.list.selected_index, 1);

    /* the list grows above the selection: the selection keeps its order */
    push_one(&c, "d", ORDER_AWAITING_CHALLENGE, NOW - 50);
    push_one(&c, "e", ORDER_AWAITING_CHALLENGE, NOW - 60);
    assert_string_equal(c.list.selected_id, "b");
    assert_int_equal(c.list.selected_index, 3);
    assert_string_equal(view_id(&c, 3), "b");

    /* b's status changes and it re-sorts to the top: still selected */
    push_one(&c, "b", ORDER_ERROR, NOW - 200);
    assert_string_equal(c.list.selected_id, "b");
    assert_string_equal(view_id(&c, c.list.selected_index), "b");

    /* a re-sort by creation date: still b */
    console_state_set_sort(&c, ORDER_SORT_CREATED, false);
    assert_string_equal(c.list.selected_id, "b");
    assert_string_equal(view_id(&c, c.list.selected_index), "b");
    console_state_free(&c);
}

static void test_vanished_selection_takes_the_neighbour(void **state)
{
    (void)state;
    struct console_state c;
    console_state_init(&c, NULL, NULL);
    console_state_set_list_rows(&c, 10);
    struct order os[4] = {make_order("o1", ORDER_COMPLETED, NOW - 1),
                          make_order("o2", ORDER_COMPLETED, NOW - 2),
                          make_order("o3", ORDER_COMPLETED, NOW - 3),
                          make_order("o4", ORDER_COMPLETED, NOW - 4)};
    push_orders(&c, os, 4, true);
    console_state_select(&c, 2);
    assert_string_equal(c.list.selected_id, "o3");
    /* a complete list without o3: the order now at its place is selected */
    struct order rest[3] = {make_order("o1", ORDER_COMPLETED, NOW - 1),
                            make_order("o2", ORDER_COMPLETED, NOW - 2),
                            make_order("o4", ORDER_COMPLETED, NOW - 4)};
    push_orders(&c, rest, 3, true);
    assert_int_equal(order_store_count(c.store), 3);
    assert_string_equal(c.list.selected_id, "o4");
    /* filtered out: same rule */
    filter_input_set(&c.list.filter, "o1");
    console_state_apply_filter(&c);
    assert_string_equal(c.list.selected_id, "o1");
    filter_input_set(&c.list.filter, "nothing-matches");
    console_state_apply_filter(&c);
    assert_null(c.list.selected_id);
    assert_null(console_state_selected(&c));
    filter_input_clear(&c.list.filter);
    console_state_apply_filter(&c);
    assert_non_null(c.list.selected_id);
    console_state_free(&c);
}

static void test_expired_certificate_moves_up_when_the_clock_passes(void **state)
{
    (void)state;
    struct console_state c;
    console_state_init(&c, NULL, NULL);
    console_state_set_list_rows(&c, 4);
    struct order os[3] = {make_order("soon", ORDER_COMPLETED, NOW - 100),
                          make_order("late", ORDER_COMPLETED, NOW - 200),
                          make_order("fail", ORDER_ERROR, NOW - 300)};
    os[0].cert_not_after = NOW + 60;
    os[1].cert_not_after = NOW + 86400;
    push_orders(&c, os, 3, true);
    console_state_set_now(&c, NOW);
    assert_string_equal(order_store_view_at(c.store, 0)->id, "fail");
    assert_string_equal(order_store_view_at(c.store, 1)->id, "soon"); /* expires first */
    console_state_select(&c, 2);
    assert_string_equal(c.list.selected_id, "late");
    c.dirty = false;
    console_state_set_now(&c, NOW + 61); /* soon's certificate has expired */
    assert_true(c.dirty);
    assert_string_equal(order_store_view_at(c.store, 0)->id, "soon");
    assert_string_equal(order_store_view_at(c.store, 1)->id, "fail");
    assert_string_equal(c.list.selected_id, "late"); /* the selection stays on its order */
    c.dirty = false;
    console_state_set_now(&c, NOW + 62); /* nothing else expired: nothing to redraw */
    assert_false(c.dirty);
    console_state_free(&c);
}

static void test_fulfilled_message_gives_way_to_the_outcome(void **state)
{
    (void)state;
    struct console_state c;
    console_state_init(&c, NULL, NULL);
    push_one(&c, "aaaa1111-order", ORDER_AWAITING_CHALLENGE, NOW);
    push_one(&c, "bbbb2222-order", ORDER_AWAITING_CHALLENGE, NOW - 1);
    console_state_apply(&c, msg_new_action_result(7, CMD_FULFILL_CHALLENGE, "aaaa1111-order",
                                                  true, "http-01 challenge for a.example.com "
                                                        "marked fulfilled; the CA validates now"),
                        NOW);
    assert_non_null(strstr(c.message, "the CA validates now"));
    /* still in motion, or another order finishing: the message stays */
    push_one(&c, "aaaa1111-order", ORDER_FETCHING_CERT, NOW);
    push_one(&c, "bbbb2222-order", ORDER_COMPLETED, NOW - 1);
    assert_non_null(strstr(c.message, "the CA validates now"));
    push_one(&c, "aaaa1111-order", ORDER_COMPLETED, NOW);
    assert_string_equal(c.message, "order aaaa1111 is completed");
    assert_int_equal(c.message_level, MESSAGE_INFO);
    /* a failure says why */
    push_one(&c, "bbbb2222-order", ORDER_AWAITING_CHALLENGE, NOW - 1);
    console_state_apply(&c, msg_new_action_result(8, CMD_FULFILL_CHALLENGE, "bbbb2222-order",
                                                  true, "marked fulfilled; the CA validates now"),
                        NOW);
    struct order o = make_order("bbbb2222-order", ORDER_ERROR, NOW - 1);
    free(o.last_error);
    o.last_error = xstrdup("urn:ietf:params:acme:error:unauthorized: 404");
    push_orders(&c, &o, 1, false);
    assert_string_equal(c.message,
                        "order bbbb2222 failed: urn:ietf:params:acme:error:unauthorized: 404");
    assert_int_equal(c.message_level, MESSAGE_ERROR);
    /* another message in between: that one is not replaced */
    push_one(&c, "aaaa1111-order", ORDER_AWAITING_CHALLENGE, NOW);
    console_state_apply(&c, msg_new_action_result(9, CMD_FULFILL_CHALLENGE, "aaaa1111-order",
                                                  true, "marked fulfilled"),
                        NOW);
    console_state_say(&c, MESSAGE_INFO, "copied the token");
    push_one(&c, "aaaa1111-order", ORDER_COMPLETED, NOW);
    assert_string_equal(c.message, "copied the token");
    console_state_free(&c);
}

static void test_selection_keeps_its_screen_row(void **state)
{
    (void)state;
    struct console_state c;
    console_state_init(&c, NULL, NULL);
    console_state_set_list_rows(&c, 4);
    struct order os[20]; /* failed orders: newest first */
    char id[16];
    for (int i = 0; i < 20; i++) {
        snprintf(id, sizeof id, "k%02d", i);
        os[i] = make_order(id, ORDER_ERROR, NOW - 10 * i);
    }
    push_orders(&c, os, 20, true);
    console_state_select(&c, 10); /* scrolls: k10 on the last visible row */
    assert_int_equal(c.list.top, 7);
    assert_int_equal(c.list.selected_index - c.list.top, 3);
    console_state_move(&c, -1); /* k09, row 2 */
    assert_int_equal(c.list.selected_index - c.list.top, 2);
    assert_int_equal(c.list.top, 7);
    /* five new orders above it: same order, same row */
    for (int i = 0; i < 5; i++) {
        snprintf(id, sizeof id, "new%d", i);
        push_one(&c, id, ORDER_ERROR, NOW + 10 + i);
    }
    assert_string_equal(c.list.selected_id, "k09");
    assert_int_equal(c.list.selected_index, 14);
    assert_int_equal(c.list.selected_index - c.list.top, 2);
    /* page moves and the ends */
    console_state_move(&c, 100);
    assert_int_equal(c.list.selected_index, 24);
    assert_int_equal(c.list.top, 21);
    console_state_move(&c, -1000);
    assert_int_equal(c.list.selected_index, 0);
    assert_int_equal(c.list.top, 0);
    console_state_free(&c);
}

static void test_stale_and_failures(void **state)
{
    (void)state;
    struct console_state c;
    console_state_init(&c, NULL, NULL);
    push_one(&c, "s1", ORDER_NEW, NOW - 5);
    console_state_apply(&c, msg_new_order_failed(0, "s1", "GET lookup/order/s1: HTTP 500"), NOW);
    const struct order *o = order_store_find(c.store, "s1");
    assert_true(o->stale);
    assert_string_equal(console_state_stale_why(&c, "s1"), "GET lookup/order/s1: HTTP 500");
    /* an order first seen through a failure still appears, stale */
    console_state_apply(&c, msg_new_order_failed(0, "s2", "denied"), NOW);
    assert_non_null(order_store_find(c.store, "s2"));
    assert_true(order_store_find(c.store, "s2")->stale);
    /* fresh data clears both */
    push_one(&c, "s1", ORDER_SUBMITTED, NOW - 5);
    assert_false(order_store_find(c.store, "s1")->stale);
    assert_null(console_state_stale_why(&c, "s1"));
    console_state_free(&c);
}

static void test_header_facts(void **state)
{
    (void)state;
    struct console_state c;
    console_state_init(&c, NULL, NULL);
    assert_int_equal(c.vault.conn, CONN_CONNECTING);
    assert_int_equal(c.vault.refreshed_at, 0);
    const char *denied[] = {"lookup/orders"};
    console_state_apply(&c, msg_new_connection(CONN_DEGRADED, "degraded: permission denied", 0,
                                               denied, 1, 0),
                        NOW);
    assert_int_equal(c.vault.conn, CONN_DEGRADED);
    assert_string_equal(c.vault.conn_text, "degraded: permission denied");
    assert_int_equal(c.message_level, MESSAGE_ERROR); /* said on the message line too */
    assert_string_equal(c.message, "degraded: permission denied");
    console_state_apply(&c, msg_new_connection(CONN_CONNECTED, "connected", 0, NULL, 0, 0), NOW + 3);
    assert_int_equal(c.vault.refreshed_at, NOW + 3);
    struct token_info t;
    token_info_init(&t);
    t.display_name = xstrdup("token-ops");
    t.ttl = 3600;
    console_state_apply(&c, msg_new_token_info(0, &t), NOW + 4);
    token_info_free(&t);
    assert_true(c.vault.token_known);
    assert_string_equal(c.vault.token_name, "token-ops");
    assert_int_equal(c.vault.token_ttl, 3600);
    assert_int_equal(c.vault.token_at, NOW + 4);
    push_one(&c, "x", ORDER_NEW, NOW);
    assert_int_equal(c.vault.refreshed_at, NOW);
    console_state_apply(&c, msg_new_action_result(9, CMD_REFRESH, NULL, true, "refreshed"), NOW);
    assert_string_equal(c.message, "refreshed");
    assert_int_equal(c.message_level, MESSAGE_INFO);
    console_state_free(&c);
}

static void test_focus_hint(void **state)
{
    (void)state;
    struct queue *q = queue_new();
    struct console_state c;
    console_state_init(&c, NULL, q);
    push_one(&c, "f1", ORDER_NEW, NOW - 1);
    push_one(&c, "f2", ORDER_NEW, NOW - 2);
    console_state_send_focus(&c);
    console_state_send_focus(&c); /* unchanged: nothing more */
    struct msg *m = queue_pop(q);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_FOCUS_ORDER);
    assert_string_equal(m->u.focus.order_id, "f1");
    msg_free(m);
    assert_null(queue_pop(q));
    console_state_move(&c, 1);
    console_state_send_focus(&c);
    m = queue_pop(q);
    assert_string_equal(m->u.focus.order_id, "f2");
    msg_free(m);
    console_state_free(&c);
    queue_free(q);
}

static void test_challenge_cursor(void **state)
{
    (void)state;
    struct console_state c;
    console_state_init(&c, NULL, NULL);
    struct order o = make_order("ch", ORDER_AWAITING_CHALLENGE, NOW);
    o.challenges = xcalloc(2, sizeof(*o.challenges));
    o.challenge_count = 2;
    const char *idents[] = {"a.example.com", "b.example.com"};
    const char *statuses[2][2] = {{"valid", "invalid"}, {"processing", "pending"}};
    for (int i = 0; i < 2; i++) {
        o.challenges[i].identifier = xstrdup(idents[i]);
        o.challenges[i].items = xcalloc(2, sizeof(struct challenge));
        o.challenges[i].count = 2;
        for (int j = 0; j < 2; j++) {
            o.challenges[i].items[j].type = xstrdup(j ? "dns-01" : "http-01");
            o.challenges[i].items[j].status = xstrdup(statuses[i][j]);
        }
    }
    push_orders(&c, &o, 1, false);
    assert_int_equal(console_state_challenge_count(&c), 4);
    console_state_challenge_sync(&c);
    assert_int_equal(c.panes.chal_cursor, 3); /* b.example.com dns-01: the first pending */
    struct challenge_ref ref;
    assert_true(console_state_challenge_ref(&c, &ref));
    assert_string_equal(ref.order_id, "ch");
    assert_string_equal(ref.role, "web");
    assert_string_equal(ref.identifier, "b.example.com");
    assert_string_equal(ref.type, "dns-01");
    challenge_ref_free(&ref);
    c.panes.chal_cursor = 9; /* clamped */
    console_state_challenge_sync(&c);
    assert_int_equal(c.panes.chal_cursor, 3);

    /* a fetched detail lands in the cache; a failed fetch says why */
    struct challenge_detail d;
    challenge_detail_init(&d);
    d.token = xstrdup("tok");
    d.key_authorization = xstrdup("tok.thumb");
    challenge_cache_start(&c.challenges, "ch", "b.example.com", "dns-01", 7);
    console_state_apply(&c, msg_new_challenge_detail(7, "ch", "b.example.com", "dns-01", &d),
                        NOW);
    challenge_detail_free(&d);
    const struct challenge_entry *e =
        challenge_cache_find(&c.challenges, "ch", "b.example.com", "dns-01");
    assert_int_equal(e->state, CHALLENGE_READY);
    assert_string_equal(e->detail.key_authorization, "tok.thumb");
    challenge_cache_start(&c.challenges, "ch", "a.example.com", "http-01", 8);
    console_state_apply(&c, msg_new_action_result(8, CMD_FETCH_CHALLENGE, "ch", false,
                                                  "permission denied"),
                        NOW);
    e = challenge_cache_find(&c.challenges, "ch", "a.example.com", "http-01");
    assert_int_equal(e->state, CHALLENGE_FAILED);
    assert_string_equal(e->error, "permission denied");
    assert_int_equal(c.message_level, MESSAGE_ERROR);
    console_state_free(&c);
}

/* The engine's every-cycle heartbeat and orders that come back the same
 * leave the screen as it is; a change to an order, the connection or the
 * coarse age of the data makes it dirty. */
static void test_dirty_only_when_shown_changes(void **state)
{
    (void)state;
    struct console_state c;
    console_state_init(&c, NULL, NULL);
    assert_true(c.dirty); /* the first frame */
    console_state_apply(&c, msg_new_connection(CONN_CONNECTED, "connected", 0, NULL, 0, 0), NOW);
    assert_true(c.dirty); /* connecting -> connected */
    push_one(&c, "a", ORDER_AWAITING_CHALLENGE, NOW - 100);
    push_one(&c, "b", ORDER_COMPLETED, NOW - 200);
    c.dirty = false;
    /* heartbeats, seconds apart: "updated just now" either way */
    for (int i = 1; i <= 5; i++)
        console_state_apply(&c, msg_new_connection(CONN_CONNECTED, "connected", 0, NULL, 0, 0),
                            NOW + i * 5);
    assert_false(c.dirty);
    assert_int_equal(c.vault.refreshed_at, NOW + 25);
    /* an order re-read, the same as before */
    push_one(&c, "a", ORDER_AWAITING_CHALLENGE, NOW - 100);
    struct order again = make_order("b", ORDER_COMPLETED, NOW - 200);
    console_state_apply(&c, msg_new_order_detail(0, &again), NOW + 26);
    order_free(&again);
    assert_false(c.dirty);
    /* a visible change: dirty */
    push_one(&c, "a", ORDER_FETCHING_CERT, NOW - 100);
    assert_true(c.dirty);
    c.dirty = false;
    /* a heartbeat after minutes of silence: "updated 3m ago" -> "just now" */
    console_state_apply(&c, msg_new_connection(CONN_CONNECTED, "connected", 0, NULL, 0, 0),
                        NOW + 25 + 180);
    assert_true(c.dirty);
    c.dirty = false;
    /* the oldest data's age: shown once two minutes old, in minutes */
    time_t t = NOW + 25 + 180 + 20;
    console_state_apply(&c, msg_new_connection(CONN_CONNECTED, "connected", 0, NULL, 0, t - 30),
                        t);
    assert_int_equal(c.vault.oldest_at, t - 30);
    assert_false(c.dirty); /* 30 s old: not shown */
    console_state_apply(&c, msg_new_connection(CONN_CONNECTED, "connected", 0, NULL, 0, t - 400),
                        t);
    assert_true(c.dirty); /* "oldest data 6m" appears */
    c.dirty = false;
    console_state_apply(&c, msg_new_connection(CONN_CONNECTED, "connected", 0, NULL, 0, t - 410),
                        t + 5);
    assert_false(c.dirty); /* still 6m */
    /* the connection drops: dirty (and said on the message line) */
    console_state_apply(&c, msg_new_connection(CONN_DISCONNECTED, "connection refused", 5, NULL,
                                               0, 0),
                        t + 6);
    assert_true(c.dirty);
    c.dirty = false;
    /* a message of any kind is shown */
    console_state_say(&c, MESSAGE_INFO, "hello");
    assert_true(c.dirty);
    console_state_free(&c);
}

/* The header's ages: coarse words, and the moment each next changes. */
static void test_freshness_text(void **state)
{
    (void)state;
    char buf[FRESHNESS_BUF];
    assert_int_equal(freshness_updated(0, NOW, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    assert_int_equal(freshness_updated(NOW - 5, NOW, buf, sizeof buf), NOW + 55);
    assert_string_equal(buf, "just now");
    assert_int_equal(freshness_updated(NOW - 60, NOW, buf, sizeof buf), NOW + 60);
    assert_string_equal(buf, "1m ago");
    assert_int_equal(freshness_updated(NOW - 3599, NOW, buf, sizeof buf), NOW + 1);
    assert_string_equal(buf, "59m ago");
    assert_int_equal(freshness_updated(NOW - 7300, NOW, buf, sizeof buf), NOW + 3500);
    assert_string_equal(buf, "2h ago");
    freshness_updated(NOW - 3 * 86400 - 5, NOW, buf, sizeof buf);
    assert_string_equal(buf, "3d ago");
    freshness_updated(NOW + 30, NOW, buf, sizeof buf); /* a clock ahead: not "in" */
    assert_string_equal(buf, "just now");
    assert_int_equal(freshness_oldest(0, NOW, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    assert_int_equal(freshness_oldest(NOW - 90, NOW, buf, sizeof buf), NOW + 30);
    assert_string_equal(buf, "");
    assert_int_equal(freshness_oldest(NOW - 7 * 60 - 1, NOW, buf, sizeof buf), NOW + 59);
    assert_string_equal(buf, "7m");
    freshness_oldest(NOW - 5 * 3600, NOW, buf, sizeof buf);
    assert_string_equal(buf, "5h");
    /* the text never changes before the moment returned, and does at it */
    for (long long age = 0; age < 2 * 86400; age += 37) {
        char a[FRESHNESS_BUF], b[FRESHNESS_BUF], x[FRESHNESS_BUF];
        time_t at = NOW - (time_t)age;
        time_t next = freshness_updated(at, NOW, a, sizeof a);
        assert_true(next > NOW && next - NOW <= 86400);
        freshness_updated(at, next - 1, x, sizeof x);
        assert_string_equal(a, x);
        freshness_updated(at, next, b, sizeof b);
        assert_string_not_equal(a, b);
        next = freshness_oldest(at, NOW, a, sizeof a);
        freshness_oldest(at, next - 1, x, sizeof x);
        assert_string_equal(a, x);
        freshness_oldest(at, next, b, sizeof b);
        assert_string_not_equal(a, b);
    }
}

/* Orders from the cache are marked until Vault confirms them. */
static void test_unverified_until_confirmed(void **state)
{
    (void)state;
    struct console_state c;
    console_state_init(&c, NULL, NULL);
    struct order o = make_order("cached", ORDER_COMPLETED, NOW - 100);
    o.unverified = true;
    push_orders(&c, &o, 1, false);
    const struct order *in = order_store_find(c.store, "cached");
    assert_true(in->unverified);
    /* a quiet "?" in the list's mark column, a sentence in the detail pane */
    char buf[64];
    enum theme_slot slot;
    assert_int_equal(pane_orders_cell(NULL, in, OCOL_MARK, NOW, buf, sizeof buf, &slot)[0], '?');
    struct textbuf tb;
    pane_detail_build(&tb, &c, in, 100, NOW, NULL);
    bool said = false;
    for (size_t i = 0; i < tb.count; i++) {
        char *line = textbuf_line_text(&tb, i);
        said |= strstr(line, "from the cache of an earlier run; not confirmed by Vault yet") !=
                NULL;
        free(line);
    }
    textbuf_free(&tb);
    assert_true(said);
    c.dirty = false;
    struct order sum;
    order_init(&sum);
    sum.id = xstrdup("cached");
    sum.status = ORDER_COMPLETED;
    sum.status_text = xstrdup("completed");
    push_orders(&c, &sum, 1, false);
    in = order_store_find(c.store, "cached");
    assert_false(in->unverified);
    assert_true(c.dirty); /* the mark goes away */
    assert_int_equal(pane_orders_cell(NULL, in, OCOL_MARK, NOW, buf, sizeof buf, &slot)[0], ' ');
    console_state_free(&c);
}

/* Short IDs are cut by columns, whole characters: never half a UTF-8
 * sequence (drawn as "?"), and wide characters count two columns. */
static void test_short_id_cut_by_display_width(void **state)
{
    (void)state;
    char *was = xstrdup(setlocale(LC_ALL, NULL));
    if (!setlocale(LC_ALL, "C.UTF-8"))
        fail_msg("the C.UTF-8 locale is needed");
    static const struct {
        const char *id, *shown;
    } cases[] = {
        {"7d0a2c4e-9b1f-4e6a", "7d0a2c4e"},
        {"\xc3\xb1" "and\xc3\xba-\xc3\xb1" "and\xc3\xba-0001", "\xc3\xb1" "and\xc3\xba-\xc3\xb1" "a"},
        {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe6\xb3\xa8\xe6\x96\x87",
         "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae"}, /* 4 wide characters */
        {"abcdefg\xe6\x97\xa5", "abcdefg"}, /* a wide one that would need column 9 */
        {"short", "short"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct order o;
        order_init(&o);
        o.id = xstrdup(cases[i].id);
        char buf[64];
        enum theme_slot slot;
        assert_string_equal(pane_orders_cell(NULL, &o, OCOL_ID, NOW, buf, sizeof buf, &slot),
                            cases[i].shown);
        order_free(&o);
    }
    setlocale(LC_ALL, was);
    free(was);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_selection_follows_the_order),
        cmocka_unit_test(test_short_id_cut_by_display_width),
        cmocka_unit_test(test_vanished_selection_takes_the_neighbour),
        cmocka_unit_test(test_expired_certificate_moves_up_when_the_clock_passes),
        cmocka_unit_test(test_fulfilled_message_gives_way_to_the_outcome),
        cmocka_unit_test(test_selection_keeps_its_screen_row),
        cmocka_unit_test(test_stale_and_failures),
        cmocka_unit_test(test_header_facts),
        cmocka_unit_test(test_focus_hint),
        cmocka_unit_test(test_challenge_cursor),
        cmocka_unit_test(test_dirty_only_when_shown_changes),
        cmocka_unit_test(test_freshness_text),
        cmocka_unit_test(test_unverified_until_confirmed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
