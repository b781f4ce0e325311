/* test_keymap: the action table and everything generated from it: no key is
 * bound twice, every action has a label and a help line, the key legend fits
 * and keeps the important keys when narrow, the help and the man page list
 * every key; and
 * what the keys do to the console state: moving, the live filter (typing,
 * Enter keeps, Esc restores), quick status filters, sorting, the fulfill
 * dialog (n sends nothing, y sends the right command), copying through a
 * copy command (also after the challenge had to be fetched first). */
#include <curses.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "console_driver.h"

#include "model/challenge_value.h"
#include "model/text_width.h"
#include "model/xalloc.h"
#include "ui/actions.h"
#include "ui/renew_marked.h"
#include "ui/sort_picker.h"
#include "ui/filter_input.h"
#include "ui/help.h"
#include "ui/mouse.h"
#include "ui/copy_flow.h"
#include "ui/keylegend.h"
#include "ui/views.h"

#define NOW ((time_t)1800000000)

/* Every view's table: every row complete, every key finds its row in that
 * view and no two rows of a view share a key. */
static void check_view_table(const struct view_ops *v)
{
    size_t n = actions_count(v);
    assert_true(n >= (v->resource ? 18 : 20)); /* a resource view: the shared rows at least */
    for (size_t i = 0; i < n; i++) {
        const struct action *a = actions_at(v, i);
        assert_non_null(a->name);
        assert_non_null(a->help);
        assert_true(strlen(a->help) > 8);
        assert_non_null(a->key_label);
        assert_true(a->keys[0] != 0);
        assert_non_null(a->run);
        for (size_t k = 0; k < ACTION_KEYS_MAX && a->keys[k]; k++) {
            assert_ptr_equal(actions_find(v, a->keys[k]), a);
            for (size_t j = 0; j < n; j++) {
                const struct action *b = actions_at(v, j);
                for (size_t kk = 0; j != i && kk < ACTION_KEYS_MAX && b->keys[kk]; kk++)
                    if (b->keys[kk] == a->keys[k])
                        fail_msg("key %d bound to %s and %s", a->keys[k], a->name, b->name);
            }
        }
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(a->name, actions_at(v, j)->name);
    }
    assert_null(actions_at(v, n));
}

static void test_table_is_consistent(void **state)
{
    (void)state;
    assert_true(views_count() >= 1);
    for (size_t i = 0; i < views_count(); i++)
        check_view_table(views_at(i));
    /* the whole table is the shared rows plus every view's */
    size_t all = actions_count(NULL), shared = actions_count(views_at(0)) -
                                               views_at(0)->action_count;
    size_t sum = shared;
    for (size_t i = 0; i < views_count(); i++)
        sum += views_at(i)->action_count;
    assert_int_equal(all, sum);
    /* the issue's keys, in the order view */
    const struct view_ops *v = views_find("orders");
    assert_non_null(v);
    const int must[] = {'j', 'k', ACTION_KEY_FN(KEY_UP), ACTION_KEY_FN(KEY_DOWN),
                        ACTION_KEY_FN(KEY_NPAGE), ACTION_KEY_FN(KEY_PPAGE),
                        ACTION_KEY_FN(KEY_HOME), ACTION_KEY_FN(KEY_END), '\t', '\n', '/',
                        's', '1', 'r', '?', 'q', 'f', 'c', 'x', 't'};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        assert_non_null(actions_find(v, must[i]));
    assert_null(actions_find(v, 'K'));
    assert_true(actions_find(v, 'f')->confirm);
    assert_false(actions_find(v, 'q')->confirm);
}

static void test_views_switch(void **state)
{
    (void)state;
    struct console_state c;
    console_state_init(&c, NULL, NULL);
    assert_ptr_equal(views_current(&c), views_at(0));
    assert_string_equal(views_current(&c)->name, "orders");
    assert_true(views_switch(&c, "orders"));
    assert_ptr_equal(c.view, views_find("orders"));
    /* an unknown view is refused with the names that exist */
    assert_false(views_switch(&c, "nope"));
    assert_ptr_equal(c.view, views_find("orders"));
    assert_int_equal(c.message_level, MESSAGE_ERROR);
    assert_non_null(strstr(c.message, "'nope'"));
    assert_non_null(strstr(c.message, "known: orders"));
    console_state_free(&c);
}

static void test_legend(void **state)
{
    (void)state;
    struct legend_item it[KEYLEGEND_MAX];
    const int widths[] = {20, 40, 60, 80, 120, 200};
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        size_t n = keylegend_layout(views_at(0), NULL, widths[w], it);
        assert_true(n > 0);
        int end = 0;
        for (size_t i = 0; i < n; i++) {
            assert_true(it[i].x >= end); /* in order, no overlap */
            end = it[i].x + it[i].w;
            assert_non_null(it[i].action->legend);
            assert_ptr_equal(keylegend_hit(views_at(0), NULL, widths[w], it[i].x), it[i].action);
            assert_ptr_equal(keylegend_hit(views_at(0), NULL, widths[w], end - 1), it[i].action);
        }
        assert_true(end <= widths[w]);
    }
    /* at 80 columns: help, quit, fulfill, filter and the copy keys are there */
    size_t n = keylegend_layout(views_at(0), NULL, 80, it);
    const char *need[] = {"help", "quit", "fulfill", "filter", "copy-key-authorization",
                          "copy-txt-value", "refresh"};
    for (size_t k = 0; k < sizeof need / sizeof need[0]; k++) {
        bool found = false;
        for (size_t i = 0; i < n; i++)
            found |= strcmp(it[i].action->name, need[k]) == 0;
        if (!found)
            fail_msg("%s missing from the 80-column legend", need[k]);
    }
    /* narrow: only rank 0 (help, quit) */
    n = keylegend_layout(views_at(0), NULL, 12, it);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(it[i].action->legend_rank, 0);
    assert_null(keylegend_hit(views_at(0), NULL, 80, 79));
}

static void test_help_lists_every_key(void **state)
{
    (void)state;
    struct textbuf tb;
    help_build(views_at(0), &tb, 300); /* wide: one line per action */
    size_t n = actions_count(views_at(0));
    for (size_t i = 0; i < n; i++) {
        const struct action *t = actions_at(views_at(0), i);
        bool found = false;
        for (size_t l = 0; l < tb.count && !found; l++) {
            char *text = textbuf_line_text(&tb, l);
            found = strncmp(text, t->key_label, strlen(t->key_label)) == 0 &&
                    strstr(text, t->help) != NULL;
            free(text);
        }
        if (!found)
            fail_msg("help lacks '%s  %s'", t->key_label, t->help);
    }
    textbuf_free(&tb);
    help_build(views_at(0), &tb, 90); /* narrow: wrapped, never wider */
    for (size_t l = 0; l < tb.count; l++) {
        char *text = textbuf_line_text(&tb, l);
        assert_true(text_width(text) <= 90);
        free(text);
    }
    textbuf_free(&tb);
}

/* doc/acmetop.1 with the roff escapes it uses turned back into text. */
static char *man_page_text(void)
{
    static const char *const paths[] = {"doc/acmetop.1", "../doc/acmetop.1",
                                        "../../doc/acmetop.1", "../../../doc/acmetop.1"};
    FILE *f = NULL;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0] && !f; i++)
        f = fopen(paths[i], "r");
    if (!f)
        fail_msg("doc/acmetop.1 not found (run from the repository root)");
    char *raw = xcalloc(1, 200000);
    size_t n = fread(raw, 1, 199999, f);
    fclose(f);
    raw[n] = '\0';
    static const struct {
        const char *from, *to;
    } esc[] = {{"\\-", "-"}, {"\\(->", "\u2192"}, {"\\(<-", "\u2190"},
               {"\\(da", "\u2193"}, {"\\(ua", "\u2191"}};
    char *out = xcalloc(1, 400000);
    size_t k = 0;
    for (size_t i = 0; raw[i];) {
        bool done = false;
        for (size_t e = 0; e < sizeof esc / sizeof esc[0] && !done; e++) {
            size_t len = strlen(esc[e].from);
            if (strncmp(raw + i, esc[e].from, len) == 0) {
                k += (size_t)sprintf(out + k, "%s", esc[e].to);
                i += len;
                done = true;
            }
        }
        if (!done)
            out[k++] = raw[i++];
    }
    free(raw);
    return out;
}

static void test_man_page_lists_every_key(void **state)
{
    (void)state;
    char *man = man_page_text();
    size_t n = actions_count(NULL); /* every view's keys */
    for (size_t i = 0; i < n; i++) {
        const struct action *t = actions_at(NULL, i);
        char want[600];
        snprintf(want, sizeof want, ".TP\n.B \"%s\"\n%s%s\n", t->key_label, t->help,
                 t->confirm ? " [asks first]" : "");
        if (!strstr(man, want))
            fail_msg("doc/acmetop.1 lacks the entry for '%s':\n%s", t->name, want);
    }
    free(man);
}

/* The help screen's mouse paragraph is the man page's "Mouse" section. */
static void test_help_says_what_the_man_page_says_of_the_mouse(void **state)
{
    (void)state;
    char *man = man_page_text();
    char *at = strstr(man, ".SS Mouse\n");
    assert_non_null(at);
    at += strlen(".SS Mouse\n");
    char *end = strstr(at, "\n.");
    assert_non_null(end);
    char section[1024];
    size_t k = 0;
    for (char *p = at; p < end && k < sizeof section - 8; p++) {
        if (strncmp(p, "\\(lq", 4) == 0 || strncmp(p, "\\(rq", 4) == 0) {
            section[k++] = '"';
            p += 3;
        } else {
            section[k++] = *p == '\n' ? ' ' : *p;
        }
    }
    section[k] = '\0';
    assert_string_equal(section, mouse_help);
    free(man);
    struct textbuf tb;
    help_build(views_at(0), &tb, 1000); /* wide: the paragraph on one line */
    bool found = false;
    for (size_t l = 0; l < tb.count && !found; l++) {
        char *text = textbuf_line_text(&tb, l);
        found = strstr(text, mouse_help) != NULL;
        free(text);
    }
    assert_true(found);
    textbuf_free(&tb);
}

static void test_filter_input(void **state)
{
    (void)state;
    setlocale(LC_ALL, "C.UTF-8");
    struct filter_input f;
    filter_input_clear(&f);
    assert_true(filter_input_insert(&f, L'w'));
    assert_true(filter_input_insert(&f, L'\u00fc')); /* ü: two bytes */
    assert_int_equal(f.len, 3);
    assert_false(filter_input_insert(&f, 27));     /* ESC */
    assert_false(filter_input_insert(&f, L'\n'));
    assert_false(filter_input_insert(&f, 0x9b));    /* C1 CSI */
    assert_string_equal(f.text, "w\u00fc");
    assert_true(filter_input_backspace(&f));        /* the whole ü */
    assert_string_equal(f.text, "w");
    filter_input_set(&f, "two words  ");
    assert_true(filter_input_delete_word(&f));
    assert_string_equal(f.text, "two ");
    assert_true(filter_input_delete_word(&f));
    assert_string_equal(f.text, "");
    assert_false(filter_input_backspace(&f));
    for (int i = 0; i < FILTER_INPUT_MAX + 10; i++)
        filter_input_insert(&f, L'a');
    assert_int_equal(f.len, FILTER_INPUT_MAX);
    setlocale(LC_ALL, "C");
}

/* ---- keys on a console state ------------------------------------------- */

struct fixture {
    struct console_state c;
    struct queue *q;
    struct console_config cfg;
    char copy_cmd[128];
    char out[64];
};

static int setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof *fx);
    fx->q = queue_new();
    snprintf(fx->out, sizeof fx->out, "/tmp/acmetop-copy-%d", (int)getpid());
    char cmd[128];
    snprintf(cmd, sizeof cmd, "cat > %s", fx->out);
    snprintf(fx->copy_cmd, sizeof fx->copy_cmd, "%s", cmd);
    fx->cfg.copy_command = fx->copy_cmd;
    fx->cfg.mount = "pki-external-ca";
    console_state_init(&fx->c, &fx->cfg, fx->q);
    console_state_set_list_rows(&fx->c, 10);
    const char *ids[] = {"aa", "bb", "cc", "dd"};
    const char *names[] = {"www.example.com", "api.example.com", "shop.example.org",
                           "mail.example.net"};
    const enum order_status st[] = {ORDER_AWAITING_CHALLENGE, ORDER_AWAITING_CHALLENGE,
                                    ORDER_COMPLETED, ORDER_ERROR};
    struct order os[4];
    for (int i = 0; i < 4; i++)
        os[i] = driver_order(ids[i], st[i], NOW - 10 * i, names[i]);
    struct msg *m = msg_new_orders(0, os, 4, true);
    for (int i = 0; i < 4; i++)
        order_free(&os[i]);
    console_state_apply(&fx->c, m, NOW);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    console_state_free(&fx->c);
    queue_free(fx->q);
    unlink(fx->out);
    free(fx);
    return 0;
}

/* Drop the focus hints and return the next other command (or NULL). */
static void test_moving(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    assert_string_equal(c->list.selected_id, "aa");
    keys(c, "j");
    assert_string_equal(c->list.selected_id, "bb");
    /* urgency order: awaiting aa bb, error dd, completed cc */
    actions_handle_key(c, ACTION_KEY_FN(KEY_DOWN));
    assert_string_equal(c->list.selected_id, "dd");
    keys(c, "k");
    assert_string_equal(c->list.selected_id, "bb");
    keys(c, "G");
    assert_string_equal(c->list.selected_id, "cc");
    actions_handle_key(c, ACTION_KEY_FN(KEY_HOME));
    assert_string_equal(c->list.selected_id, "aa");
    actions_handle_key(c, ACTION_KEY_FN(KEY_NPAGE));
    assert_string_equal(c->list.selected_id, "cc");
    /* Tab cycles the panes, Esc goes back to the list */
    keys(c, "\t");
    assert_int_equal(c->panes.focus, PANE_DETAIL);
    assert_int_equal(c->panes.bottom, PANE_DETAIL);
    keys(c, "\t");
    assert_int_equal(c->panes.focus, PANE_CHALLENGES);
    assert_int_equal(c->panes.bottom, PANE_CHALLENGES);
    actions_handle_key(c, ACTION_KEY_ESC);
    assert_int_equal(c->panes.focus, PANE_LIST);
    /* Enter on an awaiting order focuses its challenges */
    keys(c, "g\n");
    assert_int_equal(c->panes.focus, PANE_CHALLENGES);
    keys(c, "j"); /* moves the challenge cursor, not the order */
    assert_string_equal(c->list.selected_id, "aa");
    assert_int_equal(c->panes.chal_cursor, 1);
    /* a typed key bound to nothing says so, and changes nothing else */
    assert_false(actions_handle_key(c, 'K'));
    assert_string_equal(c->message, "'K' is not a key here (? lists them)");
    assert_string_equal(c->list.selected_id, "aa");
    keys(c, "q");
    assert_true(c->quit);
}

static void test_live_filter(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    keys(c, "/shop");
    assert_true(c->list.filter_editing);
    assert_int_equal(order_store_view_count(c->store), 1); /* live, while typing */
    assert_string_equal(c->list.selected_id, "cc");
    keys(c, "\n");
    assert_false(c->list.filter_editing);
    assert_string_equal(c->list.filter.text, "shop");
    /* a second edit, cancelled with Esc: the kept filter comes back */
    keys(c, "/");
    actions_handle_key(c, 127);
    keys(c, "x");
    assert_string_equal(c->list.filter.text, "shox");
    assert_int_equal(order_store_view_count(c->store), 0);
    actions_handle_key(c, ACTION_KEY_ESC);
    assert_string_equal(c->list.filter.text, "shop");
    assert_int_equal(order_store_view_count(c->store), 1);
    /* Esc on the list clears it */
    actions_handle_key(c, ACTION_KEY_ESC);
    assert_int_equal(c->list.filter.len, 0);
    assert_int_equal(order_store_view_count(c->store), 4);
    /* quick status filters */
    keys(c, "1");
    assert_int_equal(order_store_view_count(c->store), 2);
    keys(c, "4");
    assert_int_equal(order_store_view_count(c->store), 1);
    assert_string_equal(c->list.selected_id, "dd");
    keys(c, "0");
    assert_int_equal(order_store_view_count(c->store), 4);
    /* sorting by column: s and > step right, < left, selection stays */
    keys(c, "s");
    assert_int_equal(c->list.sort, ORDER_SORT_ID); /* STATUS -> ID */
    assert_string_equal(c->list.selected_id, "dd");
    assert_string_equal(c->message, "sorted by ID (ID): S reverses");
    keys(c, ">>>");
    assert_int_equal(c->list.sort, ORDER_SORT_CREATED); /* ROLE, IDENTIFIERS, AGE */
    keys(c, "<<<<<");
    assert_int_equal(c->list.sort, ORDER_SORT_RENEW); /* wraps: ... STATUS, RENEW */
    keys(c, "s");
    assert_int_equal(c->list.sort, ORDER_SORT_URGENCY);
    keys(c, "S");
    assert_true(c->list.sort_reverse);
    assert_string_equal(c->message, "sorted by STATUS (urgency), reversed: S reverses");
    /* F6 (htop's SortBy): a picker of the columns, on the current one */
    actions_handle_key(c, ACTION_KEY_FN(KEY_F(6)));
    assert_non_null(console_state_dialog_of(c, &sort_picker_ops));
    assert_int_equal(c->dialog->picker.cursor, 0);
    keys(c, "jjjj\n"); /* AGE */
    assert_null(c->dialog);
    assert_int_equal(c->list.sort, ORDER_SORT_CREATED);
    assert_true(c->list.sort_reverse); /* the direction is kept */
    actions_handle_key(c, ACTION_KEY_FN(KEY_F(6)));
    actions_handle_key(c, ACTION_KEY_ESC); /* cancelled: nothing changes */
    assert_null(c->dialog);
    assert_int_equal(c->list.sort, ORDER_SORT_CREATED);
    /* htop's F3/F4 filter, F2 opens the help */
    actions_handle_key(c, ACTION_KEY_FN(KEY_F(4)));
    assert_true(c->list.filter_editing);
    actions_handle_key(c, ACTION_KEY_ESC);
    actions_handle_key(c, ACTION_KEY_FN(KEY_F(3)));
    assert_true(c->list.filter_editing);
    actions_handle_key(c, ACTION_KEY_ESC);
    actions_handle_key(c, ACTION_KEY_FN(KEY_F(2)));
    assert_true(c->help_open);
}

static bool legend_has(const struct console_state *c, int width, const char *name)
{
    struct legend_item it[KEYLEGEND_MAX];
    size_t n = keylegend_layout(views_current(c), c, width, it);
    for (size_t i = 0; i < n; i++)
        if (strcmp(it[i].action->name, name) == 0)
            return true;
    return false;
}

/* At 80 columns the legend shows the focused pane's keys first. */
static void test_legend_shows_the_focused_panes_keys_first(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    keys(c, "\n"); /* aa's challenges */
    assert_int_equal(c->panes.focus, PANE_CHALLENGES);
    const char *deploy[] = {"help", "quit", "fulfill", "preflight", "serve",
                            "copy-deploy-command", "copy-key-authorization", "copy-txt-value",
                            "copy-token", "next-pane"};
    for (size_t i = 0; i < sizeof deploy / sizeof deploy[0]; i++)
        if (!legend_has(c, 80, deploy[i]))
            fail_msg("%s missing from the 80-column legend on the challenges", deploy[i]);
    actions_handle_key(c, ACTION_KEY_ESC); /* the list, on a completed order */
    keys(c, "G");
    assert_string_equal(c->list.selected_id, "cc");
    const char *list[] = {"help", "quit", "filter", "status-filter", "sort", "new-order",
                          "view-cert", "save-cert", "next-pane", "fulfill", "serve"};
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (!legend_has(c, 80, list[i]))
            fail_msg("%s missing from the 80-column legend on the list", list[i]);
}

/* Answer a CMD_FETCH_CHALLENGE with a token made from its identifier. */
static void answer_fetch_of(struct console_state *c, struct msg *m)
{
    assert_int_equal(m->type, CMD_FETCH_CHALLENGE);
    struct challenge_detail d;
    challenge_detail_init(&d);
    char tok[64];
    snprintf(tok, sizeof tok, "tok-%s", m->u.challenge.identifier);
    d.token = xstrdup(tok);
    snprintf(tok, sizeof tok, "tok-%s.thumb", m->u.challenge.identifier);
    d.key_authorization = xstrdup(tok);
    console_state_apply(c, msg_new_challenge_detail(m->request_id, m->u.challenge.order_id,
                                                    m->u.challenge.identifier,
                                                    m->u.challenge.challenge_type, &d),
                        NOW);
    challenge_detail_free(&d);
    msg_free(m);
}

/* Space marks orders; x, w and e then act on every marked one. */
/* Esc from a dialog returns to where the operator was: the next key acts
 * on the pane that had the focus before. */
static void test_esc_from_a_dialog_returns_to_the_same_pane(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    keys(c, "\nj"); /* aa's challenges, cursor on the second */
    assert_int_equal(c->panes.focus, PANE_CHALLENGES);
    assert_int_equal(c->panes.chal_cursor, 1);
    keys(c, "f"); /* the fulfil dialog */
    assert_non_null(c->dialog);
    actions_handle_key(c, ACTION_KEY_ESC);
    assert_null(c->dialog);
    assert_int_equal(c->panes.focus, PANE_CHALLENGES);
    keys(c, "k"); /* the challenge cursor moves, not the list */
    assert_int_equal(c->panes.chal_cursor, 0);
    assert_string_equal(c->list.selected_id, "aa");
    /* the certificate viewer from the list: back on the list */
    actions_handle_key(c, ACTION_KEY_ESC);
    keys(c, "G"); /* cc, completed */
    keys(c, "v");
    assert_non_null(c->dialog);
    actions_handle_key(c, ACTION_KEY_ESC);
    assert_null(c->dialog);
    assert_int_equal(c->panes.focus, PANE_LIST);
    keys(c, "k");
    assert_string_equal(c->list.selected_id, "dd");
    struct msg *m;
    while ((m = next_command(fx->q)))
        msg_free(m); /* the fetches sent meanwhile */
}

static void test_marked_orders_act_together(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    keys(c, "  "); /* aa, bb: marked, the cursor moved down each time */
    assert_int_equal(c->marks.count, 2);
    assert_string_equal(c->list.selected_id, "dd");
    assert_non_null(strstr(c->message, "2 marked"));
    /* x: both dns-01 challenges are fetched, then copied as two lines */
    keys(c, "x");
    struct msg *f1 = next_command(fx->q), *f2 = next_command(fx->q);
    assert_non_null(f1);
    assert_non_null(f2);
    assert_null(next_command(fx->q));
    assert_string_equal(f1->u.challenge.challenge_type, "dns-01");
    assert_int_equal(access(fx->out, F_OK), -1); /* nothing copied before both arrive */
    answer_fetch_of(c, f1);
    assert_int_equal(access(fx->out, F_OK), -1);
    answer_fetch_of(c, f2);
    char *got = read_text_file(fx->out);
    assert_non_null(got);
    char v1[64], v2[64], want[256];
    challenge_dns01_txt_value("tok-www.example.com.thumb", v1, sizeof v1);
    challenge_dns01_txt_value("tok-api.example.com.thumb", v2, sizeof v2);
    snprintf(want, sizeof want, "_acme-challenge.www.example.com %s\n", v1);
    assert_non_null(strstr(got, want));
    snprintf(want, sizeof want, "_acme-challenge.api.example.com %s\n", v2);
    assert_non_null(strstr(got, want));
    free(got);
    assert_non_null(strstr(c->message, "copied 2 TXT records of the marked orders"));
    /* w: the http-01 answers of both (fetched first) */
    keys(c, "w");
    size_t served = 0;
    struct msg *m;
    while ((m = next_command(fx->q))) {
        if (m->type == CMD_FETCH_CHALLENGE) {
            answer_fetch_of(c, m);
            continue;
        }
        assert_int_equal(m->type, CMD_SERVE);
        served++;
        msg_free(m);
    }
    assert_int_equal(served, 2);
    /* e: only completed orders have certificates: none marked yet */
    keys(c, "e");
    assert_non_null(strstr(c->message, "none of the 2 marked orders is completed"));
    assert_null(next_command(fx->q));
    keys(c, "G ");  /* cc, completed: marked too */
    assert_int_equal(c->marks.count, 3);
    keys(c, "e");
    m = next_command(fx->q);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_SAVE_CERT);
    assert_string_equal(m->u.save_cert.order_id, "cc");
    console_state_apply(c, msg_new_cert_save(m->request_id, "cc", CERT_SAVE_SAVED,
                                             "/certs/shop.example.org.crt", true),
                        NOW);
    msg_free(m);
    assert_non_null(strstr(c->message, "marked orders: 1 certificate saved"));
    /* N renews every marked completed order after one confirmation */
    keys(c, "N");
    assert_non_null(console_state_dialog_of(c, &renew_marked_ops));
    assert_non_null(strstr(c->dialog->body, "role web: shop.example.org"));
    assert_null(strstr(c->dialog->body, "www.example.com")); /* aa is not completed */
    keys(c, "y");
    m = next_command(fx->q);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_NEW_ORDER);
    assert_null(next_command(fx->q)); /* one new order: cc's */
    console_state_apply(c, msg_new_action_result(m->request_id, CMD_NEW_ORDER, "new-id", true,
                                                 "order new-id created"),
                        NOW);
    msg_free(m);
    assert_string_equal(c->message,
                        "renewals of the marked orders: 1 order created, 0 refused");
    /* the list shows no order filter: Esc clears the marks */
    actions_handle_key(c, ACTION_KEY_ESC);
    assert_int_equal(c->marks.count, 0);
    assert_string_equal(c->message, "marks cleared");
}

static void test_pause_holds_updates_and_refuses_actions(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    keys(c, "z");
    assert_true(c->paused);
    assert_string_equal(c->message, "paused: the list is frozen while you read; z resumes");
    /* Vault's updates wait: a new order and a changed one, nothing moves */
    struct order os[2] = {driver_order("ee", ORDER_AWAITING_CHALLENGE, NOW + 5, "new.example.com"),
                          driver_order("cc", ORDER_ERROR, NOW - 20, "shop.example.org")};
    console_state_apply(c, msg_new_orders(0, os, 2, false), NOW);
    order_free(&os[0]);
    order_free(&os[1]);
    assert_int_equal(c->held_count, 1);
    assert_int_equal(order_store_view_count(c->store), 4);
    assert_int_equal(order_store_find(c->store, "cc")->status, ORDER_COMPLETED);
    /* reading keys work; keys that act ask to resume first and send nothing */
    keys(c, "j");
    assert_string_equal(c->list.selected_id, "bb");
    keys(c, "n");
    assert_null(c->dialog);
    assert_string_equal(c->message, "paused: z resumes first (1 update wait), then n");
    keys(c, "r");
    assert_null(next_command(fx->q));
    /* the answer to a command sent before still arrives */
    console_state_apply(c, msg_new_action_result(3, CMD_REVOKE, "cc", false, "denied"), NOW);
    assert_string_equal(c->message, "denied");
    keys(c, "Z");
    assert_false(c->paused);
    assert_string_equal(c->message, "resumed: 1 update applied");
    assert_int_equal(order_store_view_count(c->store), 5);
    assert_int_equal(order_store_find(c->store, "cc")->status, ORDER_ERROR);
    assert_string_equal(c->list.selected_id, "bb"); /* the selection stays on its order */
}

static void test_fulfill_dialog(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    keys(c, "j"); /* bb, api.example.com; cursor on its first pending: http-01 */
    keys(c, "f");
    assert_true(c->dialog);
    assert_non_null(strstr(c->dialog->body, "api.example.com"));
    assert_non_null(strstr(c->dialog->body, "http-01"));
    assert_non_null(strstr(c->dialog->body, "bb"));
    keys(c, "j"); /* the dialog is modal: nothing moves */
    assert_string_equal(c->list.selected_id, "bb");
    keys(c, "n");
    assert_false(c->dialog);
    assert_null(next_command(fx->q)); /* nothing sent */

    keys(c, "f");
    /* the list changes under the open dialog: the target does not */
    keys(c, "y");
    assert_false(c->dialog);
    struct msg *m = next_command(fx->q);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_FULFILL_CHALLENGE);
    assert_string_equal(m->u.challenge.order_id, "bb");
    assert_string_equal(m->u.challenge.role, "web");
    assert_string_equal(m->u.challenge.identifier, "api.example.com");
    assert_string_equal(m->u.challenge.challenge_type, "http-01");
    msg_free(m);

    /* finished orders are refused without a dialog */
    keys(c, "j"); /* dd, error */
    assert_string_equal(c->list.selected_id, "dd");
    keys(c, "f");
    assert_false(c->dialog);
    assert_int_equal(c->message_level, MESSAGE_ERROR);
    assert_null(next_command(fx->q));
}

static void test_copy_fetches_then_copies(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    /* aa, move the cursor to its dns-01 challenge */
    keys(c, "\t\tj");
    assert_int_equal(c->panes.focus, PANE_CHALLENGES);
    assert_int_equal(c->panes.chal_cursor, 1);
    keys(c, "x"); /* not fetched yet: a fetch goes out, the copy waits */
    struct msg *m = next_command(fx->q);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_FETCH_CHALLENGE);
    assert_string_equal(m->u.challenge.identifier, "www.example.com");
    assert_string_equal(m->u.challenge.challenge_type, "dns-01");
    uint64_t rid = m->request_id;
    msg_free(m);
    assert_int_equal(access(fx->out, F_OK), -1);

    struct challenge_detail d;
    challenge_detail_init(&d);
    d.token = xstrdup("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA");
    d.key_authorization = xstrdup("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA."
                                  "9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI");
    console_state_apply(c, msg_new_challenge_detail(rid, "aa", "www.example.com", "dns-01", &d),
                        NOW);
    char *got = read_text_file(fx->out);
    assert_non_null(got);
    assert_string_equal(got, "lCM7cZyQXcVHK2nnW3jjAhNT3Fvm18UN-kWZZknKoYM");
    free(got);
    assert_non_null(strstr(c->message, "43 bytes"));
    assert_non_null(strstr(c->message, "TXT value"));

    /* fetched now: c and t copy at once, no new command */
    keys(c, "c");
    got = read_text_file(fx->out);
    assert_string_equal(got, d.key_authorization);
    free(got);
    assert_non_null(strstr(c->message, "87 bytes"));
    keys(c, "t");
    got = read_text_file(fx->out);
    assert_string_equal(got, d.token);
    free(got);
    /* D: the whole deploy step (here an nsupdate script for the record) */
    keys(c, "D");
    got = read_text_file(fx->out);
    assert_non_null(strstr(got, "update add _acme-challenge.www.example.com. 60 IN TXT "
                                "\"lCM7cZyQXcVHK2nnW3jjAhNT3Fvm18UN-kWZZknKoYM\"\nsend\n"));
    free(got);
    assert_non_null(strstr(c->message, "copied the deploy command"));
    assert_null(next_command(fx->q));

    /* no copy command: OSC 52 to the terminal; inside tmux the message says
     * what tmux needs for it to land */
    const char *saved_cmd = fx->cfg.copy_command;
    fx->cfg.copy_command = NULL;
    int p[2];
    assert_int_equal(pipe(p), 0);
    copy_flow_set_tty(p[1]);
    setenv("TMUX", "/tmp/tmux-0/default,1,0", 1);
    keys(c, "t");
    unsetenv("TMUX");
    char osc[256] = "";
    ssize_t n = read(p[0], osc, sizeof osc - 1);
    assert_true(n > 0);
    assert_non_null(strstr(osc, "\033]52;c;")); /* the token, base64 */
    assert_non_null(strstr(c->message, "43 bytes, OSC 52"));
    assert_non_null(strstr(c->message, "set -s set-clipboard on"));
    keys(c, "t"); /* outside tmux: no such hint */
    assert_true(read(p[0], osc, sizeof osc - 1) > 0);
    assert_null(strstr(c->message, "tmux"));
    copy_flow_set_tty(STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    fx->cfg.copy_command = saved_cmd;
    challenge_detail_free(&d);

    /* x on an http-01 challenge: refused, says which to pick */
    keys(c, "k");
    keys(c, "x");
    assert_int_equal(c->message_level, MESSAGE_ERROR);
    assert_non_null(strstr(c->message, "dns-01"));
}

static void test_copy_command_failure_is_reported(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    fx->cfg.copy_command = "exit 3";
    struct challenge_detail d;
    challenge_detail_init(&d);
    d.token = xstrdup("tok");
    d.key_authorization = xstrdup("tok.thumb");
    struct challenge_entry *e = challenge_cache_start(&c->challenges, "aa", "www.example.com",
                                                      "http-01", 1);
    challenge_cache_ready(e, &d);
    challenge_detail_free(&d);
    keys(c, "c");
    assert_int_equal(c->message_level, MESSAGE_ERROR);
    assert_non_null(strstr(c->message, "nothing copied"));
    assert_non_null(strstr(c->message, "exit status 3"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_is_consistent),
        cmocka_unit_test(test_views_switch),
        cmocka_unit_test(test_legend),
        cmocka_unit_test(test_help_lists_every_key),
        cmocka_unit_test(test_man_page_lists_every_key),
        cmocka_unit_test(test_help_says_what_the_man_page_says_of_the_mouse),
        cmocka_unit_test(test_filter_input),
        cmocka_unit_test_setup_teardown(test_moving, setup, teardown),
        cmocka_unit_test_setup_teardown(test_live_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legend_shows_the_focused_panes_keys_first, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_esc_from_a_dialog_returns_to_the_same_pane, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_marked_orders_act_together, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pause_holds_updates_and_refuses_actions, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fulfill_dialog, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_fetches_then_copies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_command_failure_is_reported, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
