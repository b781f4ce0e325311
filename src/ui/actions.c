/* actions: the operator's actions, their keys and handlers, and the key
 * dispatch (see actions.h). */
#include "ui/actions.h"
#include "ui/sort_picker.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <limits.h>

#include "model/xalloc.h"
#include "ui/command_line.h"
#include "ui/list_keys.h"
#include "ui/resource_view.h"
#include "ui/views.h"

/* ---- moving around --------------------------------------------------------- */

static size_t page_of(size_t rows)
{
    return rows > 1 ? rows - 1 : 1;
}

static void scroll_detail(struct console_state *c, long delta)
{
    long max = (long)c->panes.detail_lines - (long)c->panes.detail_rows;
    long v = (long)c->panes.detail_scroll + delta;
    if (v > max)
        v = max;
    if (v < 0)
        v = 0;
    c->panes.detail_scroll = (size_t)v;
}

static void scroll_challenges(struct console_state *c, long delta)
{
    long max = (long)c->panes.chal_lines - (long)c->panes.chal_rows;
    long v = (long)c->panes.chal_scroll + delta;
    if (v > max)
        v = max;
    if (v < 0)
        v = 0;
    c->panes.chal_scroll = (size_t)v;
    c->panes.chal_follow = false;
}

static void move_challenge(struct console_state *c, long delta, bool absolute)
{
    console_state_challenge_sync(c);
    size_t n = console_state_challenge_count(c);
    if (n == 0)
        return;
    long v = absolute ? delta : (long)c->panes.chal_cursor + delta;
    if (v < 0)
        v = 0;
    if (v >= (long)n)
        v = (long)n - 1;
    c->panes.chal_cursor = (size_t)v;
    c->panes.chal_follow = true;
}

/* delta rows in the focused pane; page: delta counts pages */
static void move_in_pane(struct console_state *c, long delta, bool page)
{
    const struct view_ops *v = views_current(c);
    if (v->list_move) {
        v->list_move(c, page ? delta * (long)page_of(c->list.rows) : delta);
        return;
    }
    const struct resource_view *rv = v->resource;
    switch (c->panes.focus) {
    case PANE_LIST:
        if (rv)
            resource_view_move(c, rv, page ? delta * (long)page_of(resource_view_list(c, rv)->page)
                                            : delta);
        else
            console_state_move(c, page ? delta * (long)page_of(c->list.rows) : delta);
        break;
    case PANE_DETAIL:
        scroll_detail(c, page ? delta * (long)page_of(c->panes.detail_rows) : delta);
        break;
    case PANE_CHALLENGES:
        if (page)
            scroll_challenges(c, delta * (long)page_of(c->panes.chal_rows));
        else
            move_challenge(c, delta, false);
        break;
    default:
        break;
    }
}

static void run_down(struct console_state *c, int key)
{
    (void)key;
    move_in_pane(c, 1, false);
}

static void run_up(struct console_state *c, int key)
{
    (void)key;
    move_in_pane(c, -1, false);
}

static void run_page_down(struct console_state *c, int key)
{
    (void)key;
    move_in_pane(c, 1, true);
}

static void run_page_up(struct console_state *c, int key)
{
    (void)key;
    move_in_pane(c, -1, true);
}

static void run_home(struct console_state *c, int key)
{
    (void)key;
    if (views_current(c)->list_move) {
        views_current(c)->list_move(c, LONG_MIN);
        return;
    }
    switch (c->panes.focus) {
    case PANE_LIST:
        if (views_current(c)->resource)
            resource_view_move(c, views_current(c)->resource, LONG_MIN);
        else
            console_state_select(c, 0);
        break;
    case PANE_DETAIL: c->panes.detail_scroll = 0; break;
    case PANE_CHALLENGES: move_challenge(c, 0, true); c->panes.chal_scroll = 0; break;
    default: break;
    }
}

static void run_end(struct console_state *c, int key)
{
    (void)key;
    if (views_current(c)->list_move) {
        views_current(c)->list_move(c, LONG_MAX);
        return;
    }
    switch (c->panes.focus) {
    case PANE_LIST:
        if (views_current(c)->resource)
            resource_view_move(c, views_current(c)->resource, LONG_MAX);
        else
            console_state_select(c, (size_t)-1);
        break;
    case PANE_DETAIL: scroll_detail(c, (long)c->panes.detail_lines); break;
    case PANE_CHALLENGES: move_challenge(c, (long)console_state_challenge_count(c), true); break;
    default: break;
    }
}

/* A resource view has two panes: its list and the detail. */
static bool toggle_resource_pane(struct console_state *c)
{
    if (!views_current(c)->resource)
        return false;
    c->panes.focus = c->panes.focus == PANE_LIST ? PANE_DETAIL : PANE_LIST;
    c->panes.bottom = PANE_DETAIL;
    return true;
}

static void run_next_pane(struct console_state *c, int key)
{
    (void)key;
    if (toggle_resource_pane(c))
        return;
    console_state_focus(c, (enum pane)((c->panes.focus + 1) % PANE_COUNT));
}

static void run_prev_pane(struct console_state *c, int key)
{
    (void)key;
    if (toggle_resource_pane(c))
        return;
    console_state_focus(c, (enum pane)((c->panes.focus + PANE_COUNT - 1) % PANE_COUNT));
}

static void run_back(struct console_state *c, int key)
{
    if (views_current(c)->back) {
        (void)key;
        views_current(c)->back(c);
        return;
    }
    (void)key;
    if (c->panes.focus != PANE_LIST) {
        c->panes.focus = PANE_LIST;
        return;
    }
    if (views_current(c)->resource) {
        if (list_keys_filter(c)->len) {
            filter_input_clear(list_keys_filter(c));
            list_keys_filter_changed(c);
            console_state_say(c, MESSAGE_INFO, "filter cleared: showing every %s",
                              views_current(c)->resource->noun);
        }
        return;
    }
    if (c->list.filter.len || c->list.preset != PRESET_ALL) {
        filter_input_clear(&c->list.filter);
        c->list.preset = PRESET_ALL;
        console_state_apply_filter(c);
        console_state_say(c, MESSAGE_INFO, "filter cleared: showing every order");
    } else if (c->marks.count) {
        marks_clear(&c->marks);
        console_state_say(c, MESSAGE_INFO, "marks cleared");
    }
}

/* ---- view ------------------------------------------------------------------ */

static void run_pause(struct console_state *c, int key)
{
    (void)key;
    if (!c->paused) {
        console_state_pause(c, true);
        console_state_say(c, MESSAGE_INFO,
                          "paused: the list is frozen while you read; z resumes");
        return;
    }
    size_t n = c->held_count;
    console_state_pause(c, false);
    console_state_say(c, MESSAGE_INFO, "resumed: %zu update%s applied", n, n == 1 ? "" : "s");
}

static void run_sort(struct console_state *c, int key)
{
    if (views_current(c)->resource) {
        resource_view_sort(c, views_current(c)->resource, false);
        return;
    }
    sort_picker_apply(c, sort_picker_step(c->list.sort, key == '<' ? -1 : 1));
}

static void run_sort_pick(struct console_state *c, int key)
{
    (void)key;
    if (views_current(c)->resource) { /* the other views cycle their columns */
        resource_view_sort(c, views_current(c)->resource, false);
        return;
    }
    sort_picker_open(c);
}

static void run_sort_reverse(struct console_state *c, int key)
{
    (void)key;
    if (views_current(c)->resource) {
        resource_view_sort(c, views_current(c)->resource, true);
        return;
    }
    c->list.sort_reverse = !c->list.sort_reverse;
    sort_picker_apply(c, c->list.sort);
}

static void run_preset(struct console_state *c, int key)
{
    if (views_current(c)->resource) {
        console_state_say(c, MESSAGE_INFO, "the status filters 0-4 are the orders' (:orders)");
        return;
    }
    enum status_preset p = key >= '0' && key < '0' + PRESET_COUNT ? (enum status_preset)(key - '0')
                                                                  : PRESET_ALL;
    console_state_set_preset(c, p);
    console_state_say(c, MESSAGE_INFO, "showing %s orders: %zu",
                          console_state_preset_name(p), order_store_view_count(c->store));
}

static void run_filter(struct console_state *c, int key)
{
    (void)key;
    struct filter_input *f = list_keys_filter(c);
    c->list.filter_editing = true;
    memcpy(c->list.filter_before, f->text, f->len + 1);
    c->panes.focus = PANE_LIST;
}

static void run_refresh(struct console_state *c, int key)
{
    (void)key;
    const struct resource_view *rv = views_current(c)->resource;
    if (rv) {
        resource_view_read(c, rv);
        console_state_say(c, MESSAGE_INFO, "reading the %ss again...", rv->noun);
        return;
    }
    console_state_send(c, msg_new_refresh(console_state_next_request(c)));
    console_state_say(c, MESSAGE_INFO, "refreshing every unfinished order...");
}

static void run_command(struct console_state *c, int key)
{
    (void)key;
    command_line_open(c);
}

static void run_help(struct console_state *c, int key)
{
    (void)key;
    c->help_open = true;
    c->help_scroll = 0;
}

static void run_redraw(struct console_state *c, int key)
{
    (void)key;
    (void)c; /* console.c clears the screen on Ctrl-L */
}

static void run_quit(struct console_state *c, int key)
{
    (void)key;
    c->quit = true;
}

/* ---- the table ------------------------------------------------------------- */

#define FN(k) ACTION_KEY_FN(k)

/* The keys every view has before its own. */
static const struct action head[] = {
    {"help", {'?', FN(KEY_F(1)), FN(KEY_F(2)), 0}, "? F1 F2", "Help", 0,
     "this help: every key, generated from the action table", false, run_help, false},
    {"filter", {'/', FN(KEY_F(3)), FN(KEY_F(4)), 0}, "/ F3 F4", "Filter", 2,
     "filter the list as you type (orders: ID, identifier or role; other views: any column); "
     "Enter keeps it, Esc cancels",
     false, run_filter, false},
    {"command", {':', 0}, ":", "Views", 6,
     "command line: :orders, :roles, :accounts, :dns, :events show that view, :q quits "
     "(Tab completes, \u2191 \u2193 walk the history, Esc cancels)",
     false, run_command, false},
    {"status-filter", {'0', '1', '2', '3', '4', 0}, "0-4", "Status", 5,
     "show 0 all, 1 awaiting the operator, 2 in progress (with Vault or the CA), 3 completed, "
     "4 failed orders",
     false, run_preset, false},
    {"sort", {'s', '>', '<', 0}, "s > <", "Sort", 6,
     "sort by the next column to the right (s, >) or left (<): STATUS is urgency, AGE newest, "
     "EXPIRES the order's expiry, CERT the certificate's; other views cycle their columns",
     false, run_sort, false},
    {"sort-pick", {FN(KEY_F(6)), 0}, "F6", NULL, 99, "pick the column to sort by", false,
     run_sort_pick, false},
    {"sort-reverse", {'S', 0}, "S", NULL, 99, "reverse the sort order", false,
     run_sort_reverse, false},
    {"pause", {'z', 'Z', 0}, "z", "Pause", 15,
     "pause: freeze the list while you read (updates wait, the header counts them); "
     "z again applies them. Keys that act ask to resume first", false, run_pause, false},
};

/* The keys every view has after its own (shown last in the legend). */
static const struct action tail[] = {
    {"refresh", {'r', FN(KEY_F(5)), 0}, "r F5", "Refresh", 7,
     "refresh now: every unfinished order is fetched again (and denied paths are tried "
     "again); in another view, its objects are read again",
     false, run_refresh, true},
    {"next-pane", {'\t', 'l', FN(KEY_RIGHT), 0}, "Tab l \u2192", "Pane", 9,
     "next pane: orders, detail, challenges (other views: list, detail)", false,
     run_next_pane, false},
    {"prev-pane", {FN(KEY_BTAB), 'h', FN(KEY_LEFT), 0}, "S-Tab h \u2190", NULL, 99,
     "previous pane", false, run_prev_pane, false},
    {"down", {'j', FN(KEY_DOWN), 0}, "j \u2193", NULL, 99,
     "next order / challenge, or scroll the detail down", false, run_down, false},
    {"up", {'k', FN(KEY_UP), 0}, "k \u2191", NULL, 99,
     "previous order / challenge, or scroll the detail up", false, run_up, false},
    {"page-down", {FN(KEY_NPAGE), ACTION_KEY_CTRL('f'), 0}, "PgDn ^F", NULL, 99,
     "one page down", false, run_page_down, false},
    {"page-up", {FN(KEY_PPAGE), ACTION_KEY_CTRL('b'), 0}, "PgUp ^B", NULL, 99, "one page up",
     false, run_page_up, false},
    {"first", {FN(KEY_HOME), 'g', 0}, "Home g", NULL, 99, "first order / challenge / line",
     false, run_home, false},
    {"last", {FN(KEY_END), 'G', 0}, "End G", NULL, 99, "last order / challenge / line", false,
     run_end, false},
    {"back", {ACTION_KEY_ESC, 0}, "Esc", NULL, 99,
     "back to the order list; there, clear the filters, then the marks", false, run_back, false},
    {"redraw", {ACTION_KEY_CTRL('l'), 0}, "^L", NULL, 99, "redraw the screen", false,
     run_redraw, false},
    {"quit", {'q', FN(KEY_F(10)), 0}, "q F10", "Quit", 0, "quit (also Ctrl-C)", false,
     run_quit, false},
};

#undef FN

#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

size_t actions_count(const struct view_ops *v)
{
    size_t n = COUNT(head) + COUNT(tail);
    if (v)
        return n + v->action_count;
    for (size_t i = 0; i < views_count(); i++)
        n += views_at(i)->action_count;
    return n;
}

const struct action *actions_at(const struct view_ops *v, size_t i)
{
    if (i < COUNT(head))
        return &head[i];
    i -= COUNT(head);
    for (size_t k = 0; k < (v ? 1 : views_count()); k++) {
        const struct view_ops *view = v ? v : views_at(k);
        if (i < view->action_count)
            return &view->actions[i];
        i -= view->action_count;
    }
    return i < COUNT(tail) ? &tail[i] : NULL;
}

const struct action *actions_find(const struct view_ops *v, int key)
{
    size_t n = actions_count(v);
    for (size_t i = 0; i < n; i++) {
        const struct action *a = actions_at(v, i);
        for (size_t k = 0; k < ACTION_KEYS_MAX && a->keys[k]; k++)
            if (a->keys[k] == key)
                return a;
    }
    return NULL;
}

void actions_trigger(struct console_state *c, const struct action *a)
{
    if (a)
        a->run(c, a->keys[0]);
}

/* ---- modes that take keys first ------------------------------------------- */

static bool help_key(struct console_state *c, int key)
{
    const struct action *a = actions_find(views_current(c), key);
    const char *name = a ? a->name : "";
    if (strcmp(name, "down") == 0)
        c->help_scroll++;
    else if (strcmp(name, "up") == 0 && c->help_scroll > 0)
        c->help_scroll--;
    else if (strcmp(name, "page-down") == 0)
        c->help_scroll += 10;
    else if (strcmp(name, "page-up") == 0)
        c->help_scroll = c->help_scroll > 10 ? c->help_scroll - 10 : 0;
    else if (strcmp(name, "first") == 0)
        c->help_scroll = 0;
    else
        c->help_open = false; /* any other key closes it */
    return true;
}

static bool filter_key(struct console_state *c, int key)
{
    struct filter_input *f = list_keys_filter(c);
    switch (key) {
    case '\n':
    case '\r':
    case ACTION_KEY_FN(KEY_ENTER):
        c->list.filter_editing = false;
        if (f->len)
            console_state_say(c, MESSAGE_INFO, "filter '%s': %zu of the %s (Esc clears)",
                              f->text, list_keys_shown(c), list_keys_noun(c));
        return true;
    case ACTION_KEY_ESC:
        c->list.filter_editing = false;
        filter_input_set(f, c->list.filter_before);
        list_keys_filter_changed(c);
        return true;
    case ACTION_KEY_FN(KEY_BACKSPACE):
    case 127:
    case 8:
        if (!filter_input_backspace(f)) {
            c->list.filter_editing = false; /* backspace on empty: leave */
            return true;
        }
        list_keys_filter_changed(c);
        return true;
    case ACTION_KEY_CTRL('w'):
        filter_input_delete_word(f);
        list_keys_filter_changed(c);
        return true;
    case ACTION_KEY_CTRL('u'):
        filter_input_clear(f);
        list_keys_filter_changed(c);
        return true;
    case ACTION_KEY_FN(KEY_UP):
    case ACTION_KEY_FN(KEY_DOWN):
    case ACTION_KEY_FN(KEY_NPAGE):
    case ACTION_KEY_FN(KEY_PPAGE):
        /* move in the filtered list while typing */
        return actions_find(views_current(c), key)
                   ? (actions_find(views_current(c), key)->run(c, key), true)
                   : false;
    default:
        if (key > 0 && key < 0x110000 && filter_input_insert(f, (wchar_t)key)) {
            list_keys_filter_changed(c);
            return true;
        }
        return false;
    }
}

bool actions_handle_key(struct console_state *c, int key)
{
    if (c->dialog)
        return c->dialog->ops->key(c, c->dialog, key); /* dialogs are modal */
    if (c->help_open)
        return help_key(c, key);
    if (c->cmdline.editing)
        return command_line_key(c, key);
    if (c->list.filter_editing)
        return filter_key(c, key);
    const struct action *a = actions_find(views_current(c), key);
    if (!a) {
        if (key > ' ' && key < 127) /* a typed key that does nothing: say so */
            console_state_say(c, MESSAGE_INFO, "'%c' is not a key here (? lists them)",
                                  key);
        return false;
    }
    if (a->acts && c->paused) {
        console_state_say(c, MESSAGE_ERROR,
                          "paused: z resumes first (%zu update%s wait), then %s", c->held_count,
                          c->held_count == 1 ? "" : "s", a->key_label);
        return true;
    }
    if ((a->acts & ACTION_WRITES) == ACTION_WRITES && c->context.readonly) {
        console_state_say(c, MESSAGE_ERROR, "read-only context %s: %s not sent",
                          c->context.name && *c->context.name ? c->context.name : "(default)",
                          a->name);
        return true;
    }
    a->run(c, key);
    return true;
}
