/* actions: the operator's actions, their keys and handlers, and the key
 * dispatch (see actions.h). */
#include "ui/actions.h"
#include "ui/picker.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/challenge_value.h"
#include "model/xalloc.h"
#include "ui/cert_view.h"
#include "ui/clipboard.h"
#include "ui/fulfill_flow.h"
#include "ui/order_form.h"
#include "ui/revoke_flow.h"
#include "ui/serve_flow.h"

#define AUTOFETCH_DELAY_MS 250

static int tty_fd = STDOUT_FILENO;

void actions_set_tty(int fd)
{
    tty_fd = fd;
}

static time_t now(void)
{
    return time(NULL);
}

/* ---- moving around --------------------------------------------------------- */

static size_t page_of(size_t rows)
{
    return rows > 1 ? rows - 1 : 1;
}

static void scroll_detail(struct console_state *c, long delta)
{
    long max = (long)c->detail_lines - (long)c->detail_rows;
    long v = (long)c->detail_scroll + delta;
    if (v > max)
        v = max;
    if (v < 0)
        v = 0;
    c->detail_scroll = (size_t)v;
}

static void scroll_challenges(struct console_state *c, long delta)
{
    long max = (long)c->chal_lines - (long)c->chal_rows;
    long v = (long)c->chal_scroll + delta;
    if (v > max)
        v = max;
    if (v < 0)
        v = 0;
    c->chal_scroll = (size_t)v;
    c->chal_follow = false;
}

static void move_challenge(struct console_state *c, long delta, bool absolute)
{
    console_state_challenge_sync(c);
    size_t n = console_state_challenge_count(c);
    if (n == 0)
        return;
    long v = absolute ? delta : (long)c->chal_cursor + delta;
    if (v < 0)
        v = 0;
    if (v >= (long)n)
        v = (long)n - 1;
    c->chal_cursor = (size_t)v;
    c->chal_follow = true;
}

/* delta rows in the focused pane; page: delta counts pages */
static void move_in_pane(struct console_state *c, long delta, bool page)
{
    switch (c->focus) {
    case PANE_LIST:
        console_state_move(c, page ? delta * (long)page_of(c->list_rows) : delta);
        break;
    case PANE_DETAIL:
        scroll_detail(c, page ? delta * (long)page_of(c->detail_rows) : delta);
        break;
    case PANE_CHALLENGES:
        if (page)
            scroll_challenges(c, delta * (long)page_of(c->chal_rows));
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
    switch (c->focus) {
    case PANE_LIST: console_state_select(c, 0); break;
    case PANE_DETAIL: c->detail_scroll = 0; break;
    case PANE_CHALLENGES: move_challenge(c, 0, true); c->chal_scroll = 0; break;
    default: break;
    }
}

static void run_end(struct console_state *c, int key)
{
    (void)key;
    switch (c->focus) {
    case PANE_LIST: console_state_select(c, (size_t)-1); break;
    case PANE_DETAIL: scroll_detail(c, (long)c->detail_lines); break;
    case PANE_CHALLENGES: move_challenge(c, (long)console_state_challenge_count(c), true); break;
    default: break;
    }
}

static void focus_pane(struct console_state *c, enum pane p)
{
    c->focus = p;
    if (p == PANE_DETAIL || p == PANE_CHALLENGES)
        c->bottom = p;
}

static void run_next_pane(struct console_state *c, int key)
{
    (void)key;
    focus_pane(c, (enum pane)((c->focus + 1) % PANE_COUNT));
}

static void run_prev_pane(struct console_state *c, int key)
{
    (void)key;
    focus_pane(c, (enum pane)((c->focus + PANE_COUNT - 1) % PANE_COUNT));
}

static void run_enter(struct console_state *c, int key)
{
    (void)key;
    const struct order *o = console_state_selected(c);
    switch (c->focus) {
    case PANE_LIST:
        if (!o)
            return;
        focus_pane(c, o->status == ORDER_AWAITING_CHALLENGE && o->challenge_count
                          ? PANE_CHALLENGES
                          : PANE_DETAIL);
        break;
    case PANE_CHALLENGES:
        actions_fetch_challenge(c);
        break;
    default:
        break;
    }
}

static void run_back(struct console_state *c, int key)
{
    (void)key;
    if (c->focus != PANE_LIST) {
        c->focus = PANE_LIST;
        return;
    }
    if (c->filter.len || c->preset != PRESET_ALL) {
        filter_input_clear(&c->filter);
        c->preset = PRESET_ALL;
        console_state_apply_filter(c);
        console_state_message(c, MESSAGE_INFO, now(), "filter cleared: showing every order");
    }
}

/* ---- view ------------------------------------------------------------------ */

static const char *const sort_names[ORDER_SORT_COUNT] = {
    "urgency", "newest first", "order expiry", "certificate expiry"};

static void run_sort(struct console_state *c, int key)
{
    (void)key;
    enum order_sort next = (enum order_sort)((c->sort + 1) % ORDER_SORT_COUNT);
    console_state_set_sort(c, next, c->sort_reverse);
    console_state_message(c, MESSAGE_INFO, now(), "sorted by %s%s", sort_names[next],
                          c->sort_reverse ? " (reversed)" : "");
}

static void run_sort_reverse(struct console_state *c, int key)
{
    (void)key;
    console_state_set_sort(c, c->sort, !c->sort_reverse);
    console_state_message(c, MESSAGE_INFO, now(), "sorted by %s%s", sort_names[c->sort],
                          c->sort_reverse ? " (reversed)" : "");
}

static void run_preset(struct console_state *c, int key)
{
    enum status_preset p = key >= '0' && key < '0' + PRESET_COUNT ? (enum status_preset)(key - '0')
                                                                  : PRESET_ALL;
    console_state_set_preset(c, p);
    console_state_message(c, MESSAGE_INFO, now(), "showing %s orders: %zu",
                          console_state_preset_name(p), order_store_view_count(c->store));
}

static void run_filter(struct console_state *c, int key)
{
    (void)key;
    c->filter_editing = true;
    memcpy(c->filter_before, c->filter.text, c->filter.len + 1);
    c->focus = PANE_LIST;
}

static void run_refresh(struct console_state *c, int key)
{
    (void)key;
    console_state_send(c, msg_new_refresh(console_state_next_request(c)));
    console_state_message(c, MESSAGE_INFO, now(), "refreshing every unfinished order...");
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

/* ---- challenges ------------------------------------------------------------ */

static bool selected_challenge(struct console_state *c, struct challenge_ref *ref)
{
    return console_state_selected_challenge(c, ref, now());
}

static void fetch_ref(struct console_state *c, const struct challenge_ref *ref)
{
    console_state_fetch_challenge(c, ref);
}

void actions_fetch_challenge(struct console_state *c)
{
    struct challenge_ref ref;
    if (!selected_challenge(c, &ref))
        return;
    fetch_ref(c, &ref);
    console_state_message(c, MESSAGE_INFO, now(), "fetching the %s challenge of %s...", ref.type,
                          ref.identifier);
    challenge_ref_free(&ref);
}

static void run_fulfill(struct console_state *c, int key)
{
    (void)key;
    fulfill_flow_send(c); /* the plain dialog (pre-flight off) said yes */
}

static void run_preflight(struct console_state *c, int key)
{
    (void)key;
    fulfill_flow_check_selected(c);
}

static const char *copy_what_name(enum copy_what w)
{
    switch (w) {
    case COPY_TOKEN: return "token";
    case COPY_KEY_AUTHORIZATION: return "key authorization";
    case COPY_DNS_VALUE: return "TXT value";
    default: return "nothing";
    }
}

/* Copy from a fetched entry. */
static void copy_from(struct console_state *c, const struct challenge_entry *e,
                      enum copy_what what)
{
    char value[CHALLENGE_DNS01_VALUE_BUF];
    const char *data = NULL;
    if (what == COPY_TOKEN) {
        data = e->detail.token;
    } else if (what == COPY_KEY_AUTHORIZATION) {
        data = e->detail.key_authorization;
    } else if (challenge_dns01_txt_value(e->detail.key_authorization, value, sizeof value) == 0) {
        data = value;
    }
    if (!data || !*data) {
        console_state_message(c, MESSAGE_ERROR, now(), "nothing copied: no %s known",
                              copy_what_name(what));
        return;
    }
    char err[CLIPBOARD_ERROR_MAX];
    const char *cmd = c->cfg ? c->cfg->copy_command : NULL;
    if (clipboard_copy(cmd, tty_fd, data, strlen(data), err) != 0) {
        console_state_message(c, MESSAGE_ERROR, now(), "nothing copied: %s", err);
        return;
    }
    /* tmux drops an application's OSC 52 unless set-clipboard is on */
    bool osc52_in_tmux = !(cmd && *cmd) && getenv("TMUX") && *getenv("TMUX");
    console_state_message(c, MESSAGE_INFO, now(), "copied the %s (%zu bytes, %s) of %s %s%s",
                          copy_what_name(what), strlen(data),
                          cmd && *cmd ? "copy command" : "OSC 52", e->type, e->identifier,
                          osc52_in_tmux ? "; inside tmux this needs `set -s set-clipboard on`"
                                        : "");
}

static void copy_selected(struct console_state *c, enum copy_what what)
{
    struct challenge_ref ref;
    if (!selected_challenge(c, &ref))
        return;
    if (what == COPY_DNS_VALUE && strcmp(ref.type, "dns-01") != 0) {
        console_state_message(c, MESSAGE_ERROR, now(),
                              "the TXT value belongs to dns-01: select the dns-01 challenge of "
                              "%s (this one is %s)",
                              ref.identifier, ref.type);
        challenge_ref_free(&ref);
        return;
    }
    struct challenge_entry *e =
        challenge_cache_find(&c->challenges, ref.order_id, ref.identifier, ref.type);
    if (e && e->state == CHALLENGE_READY) {
        copy_from(c, e, what);
    } else {
        if (!e || e->state == CHALLENGE_FAILED)
            fetch_ref(c, &ref);
        c->pending_copy.what = what;
        e = challenge_cache_find(&c->challenges, ref.order_id, ref.identifier, ref.type);
        c->pending_copy.request_id = e ? e->request_id : 0;
        console_state_message(c, MESSAGE_INFO, now(), "fetching the %s challenge of %s to copy its %s...",
                              ref.type, ref.identifier, copy_what_name(what));
    }
    challenge_ref_free(&ref);
}

static void run_copy_keyauth(struct console_state *c, int key)
{
    (void)key;
    copy_selected(c, COPY_KEY_AUTHORIZATION);
}

static void run_copy_txt(struct console_state *c, int key)
{
    (void)key;
    copy_selected(c, COPY_DNS_VALUE);
}

static void run_copy_token(struct console_state *c, int key)
{
    (void)key;
    copy_selected(c, COPY_TOKEN);
}

/* ---- the HTTP-01 responder --------------------------------------------------- */

static void run_serve(struct console_state *c, int key)
{
    (void)key;
    serve_flow_selected(c);
}

static void run_serve_all(struct console_state *c, int key)
{
    (void)key;
    serve_flow_all(c);
}

static void run_stop_responder(struct console_state *c, int key)
{
    (void)key;
    serve_flow_stop(c);
}

/* ---- certificates, new order, revoke ------------------------------------------- */

static void run_view_cert(struct console_state *c, int key)
{
    (void)key;
    cert_view_open(c);
}

static void run_save_cert(struct console_state *c, int key)
{
    (void)key;
    cert_view_save(c);
}

static void run_new_order(struct console_state *c, int key)
{
    (void)key;
    order_form_begin(c);
}

void actions_after_updates(struct console_state *c)
{
    serve_flow_after_updates(c);
    fulfill_flow_after_updates(c);
    if (c->pending_copy.what == COPY_NONE)
        return;
    struct challenge_entry *e =
        challenge_cache_by_request(&c->challenges, c->pending_copy.request_id);
    if (e && e->state == CHALLENGE_FETCHING)
        return; /* still under way */
    enum copy_what what = c->pending_copy.what;
    c->pending_copy.what = COPY_NONE;
    if (e && e->state == CHALLENGE_READY)
        copy_from(c, e, what);
    /* FAILED: console_state_apply already said why nothing was copied */
}

long actions_autofetch(struct console_state *c, bool challenges_visible, long long now_ms)
{
    if (!challenges_visible)
        return -1;
    const struct order *o = console_state_selected(c);
    if (!o || o->status != ORDER_AWAITING_CHALLENGE)
        return -1;
    console_state_challenge_sync(c);
    const char *ident;
    const struct challenge *ch;
    if (!console_state_challenge_at(c, c->chal_cursor, &ident, &ch) || !ch->type)
        return -1;
    if (ch->status && strcmp(ch->status, "pending") != 0 && strcmp(ch->status, "processing") != 0)
        return -1;
    if (challenge_cache_find(&c->challenges, o->id, ident, ch->type))
        return -1; /* fetched, under way, or failed (Enter retries) */
    char key[1024];
    snprintf(key, sizeof key, "%s\n%s\n%s", o->id, ident, ch->type);
    if (!c->autofetch_key || strcmp(c->autofetch_key, key) != 0) {
        free(c->autofetch_key);
        c->autofetch_key = xstrdup(key);
        c->autofetch_at_ms = now_ms + AUTOFETCH_DELAY_MS;
    }
    if (now_ms < c->autofetch_at_ms)
        return (long)(c->autofetch_at_ms - now_ms);
    struct challenge_ref ref = {.order_id = (char *)o->id, .role = o->role,
                                .identifier = (char *)ident, .type = ch->type};
    fetch_ref(c, &ref);
    return -1;
}

/* ---- the table ------------------------------------------------------------- */

#define FN(k) ACTION_KEY_FN(k)

static const struct action table[] = {
    {"help", {'?', FN(KEY_F(1)), 0}, "? F1", "Help", 0,
     "this help: every key, generated from the action table", false, NULL, run_help},
    {"filter", {'/', 0}, "/", "Filter", 2,
     "filter orders as you type (ID, identifier or role); Enter keeps it, Esc cancels",
     false, NULL, run_filter},
    {"status-filter", {'0', '1', '2', '3', '4', 0}, "0-4", "Status", 5,
     "show 0 all, 1 awaiting the operator, 2 in progress, 3 completed, 4 failed orders",
     false, NULL, run_preset},
    {"sort", {'s', 0}, "s", "Sort", 6,
     "sort by urgency, newest, order expiry, certificate expiry (cycles)", false, NULL,
     run_sort},
    {"sort-reverse", {'S', 0}, "S", NULL, 99, "reverse the sort order", false, NULL,
     run_sort_reverse},
    {"fulfill", {'f', 0}, "f", "Fulfill", 1,
     "check the selected challenge (pre-flight), then mark it fulfilled: the CA validates it",
     true, fulfill_flow_begin, run_fulfill},
    {"preflight", {'p', 0}, "p", "Check", 12,
     "check the selected challenge now, the way the CA will (nothing goes to Vault)", false,
     NULL, run_preflight},
    {"serve-http01", {'w', 0}, "w", "Serve", 11,
     "serve the http-01 answers of the selected order from acmetop's HTTP-01 responder",
     false, NULL, run_serve},
    {"serve-http01-all", {'W', 0}, "W", NULL, 99,
     "serve the http-01 answers of every order awaiting http-01", false, NULL, run_serve_all},
    {"stop-responder", {'u', 0}, "u", NULL, 99, "stop the HTTP-01 responder", false, NULL,
     run_stop_responder},
    {"view-cert", {'v', 0}, "v", "Cert", 13,
     "fetch and show the certificate of the selected completed order", false, NULL,
     run_view_cert},
    {"save-cert", {'e', 0}, "e", "Save", 14,
     "save certificate, chain and key of the selected completed order into cert_dir "
     "(asks before overwriting)", false, NULL, run_save_cert},
    {"new-order", {'n', 0}, "n", "New", 10,
     "new order: pick a role, type identifiers or a CSR file", false, NULL, run_new_order},
    {"revoke", {'R', 0}, "R", NULL, 99,
     "revoke the certificate of the selected completed order (reason, then the order ID typed)",
     true, revoke_flow_begin, NULL},
    {"copy-key-authorization", {'c', 0}, "c", "KeyAuth", 3,
     "copy the key authorization of the selected challenge (http-01 body)", false, NULL,
     run_copy_keyauth},
    {"copy-txt-value", {'x', 0}, "x", "TXT", 4,
     "copy the dns-01 TXT value: base64url(SHA-256(key authorization))", false, NULL,
     run_copy_txt},
    {"copy-token", {'t', 0}, "t", "Token", 8,
     "copy the token of the selected challenge (the http-01 file name)", false, NULL,
     run_copy_token},
    {"refresh", {'r', FN(KEY_F(5)), 0}, "r F5", "Refresh", 7,
     "refresh now: every unfinished order is fetched again (and denied paths are tried again)",
     false, NULL, run_refresh},
    {"next-pane", {'\t', 'l', FN(KEY_RIGHT), 0}, "Tab l \u2192", "Pane", 9,
     "next pane: orders, detail, challenges", false, NULL, run_next_pane},
    {"prev-pane", {FN(KEY_BTAB), 'h', FN(KEY_LEFT), 0}, "S-Tab h \u2190", NULL, 99,
     "previous pane", false, NULL, run_prev_pane},
    {"down", {'j', FN(KEY_DOWN), 0}, "j \u2193", NULL, 99,
     "next order / challenge, or scroll the detail down", false, NULL, run_down},
    {"up", {'k', FN(KEY_UP), 0}, "k \u2191", NULL, 99,
     "previous order / challenge, or scroll the detail up", false, NULL, run_up},
    {"page-down", {FN(KEY_NPAGE), ACTION_KEY_CTRL('f'), ' ', 0}, "PgDn ^F Space", NULL, 99,
     "one page down", false, NULL, run_page_down},
    {"page-up", {FN(KEY_PPAGE), ACTION_KEY_CTRL('b'), 0}, "PgUp ^B", NULL, 99, "one page up",
     false, NULL, run_page_up},
    {"first", {FN(KEY_HOME), 'g', 0}, "Home g", NULL, 99, "first order / challenge / line",
     false, NULL, run_home},
    {"last", {FN(KEY_END), 'G', 0}, "End G", NULL, 99, "last order / challenge / line", false,
     NULL, run_end},
    {"enter", {'\n', '\r', FN(KEY_ENTER), 0}, "Enter", NULL, 99,
     "on an order: focus its challenges (or detail); on a challenge: fetch it again", false,
     NULL, run_enter},
    {"back", {ACTION_KEY_ESC, 0}, "Esc", NULL, 99,
     "back to the order list; there, clear the filters", false, NULL, run_back},
    {"redraw", {ACTION_KEY_CTRL('l'), 0}, "^L", NULL, 99, "redraw the screen", false, NULL,
     run_redraw},
    {"quit", {'q', FN(KEY_F(10)), 0}, "q F10", "Quit", 0, "quit (also Ctrl-C)", false, NULL,
     run_quit},
};

#undef FN

const struct action *actions_table(size_t *count)
{
    *count = sizeof table / sizeof table[0];
    return table;
}

const struct action *actions_find(int key)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        for (size_t k = 0; k < ACTION_KEYS_MAX && table[i].keys[k]; k++)
            if (table[i].keys[k] == key)
                return &table[i];
    return NULL;
}

static void dispatch(struct console_state *c, const struct action *a, int key)
{
    if (a->confirm) {
        if (a->prepare(c) && c->dialog.kind == DIALOG_CONFIRM)
            c->dialog.action = (int)(a - table);
        return;
    }
    a->run(c, key);
}

void actions_trigger(struct console_state *c, const struct action *a)
{
    if (a)
        dispatch(c, a, a->keys[0]);
}

/* ---- modes that take keys first ------------------------------------------- */

static bool dialog_key(struct console_state *c, int key)
{
    switch (c->dialog.kind) {
    case DIALOG_FULFILL: return fulfill_flow_key(c, key);
    case DIALOG_REVOKE: return revoke_flow_key(c, key);
    case DIALOG_NEW_ORDER: return order_form_key(c, key);
    case DIALOG_CERT:
    case DIALOG_OVERWRITE: return cert_view_key(c, key);
    case DIALOG_CONFIRM: break;
    }
    if (key == 'y' || key == 'Y' || key == '\n' || key == '\r' || key == ACTION_KEY_FN(KEY_ENTER)) {
        int idx = c->dialog.action;
        if (idx >= 0 && (size_t)idx < sizeof table / sizeof table[0] && table[idx].run)
            table[idx].run(c, key);
        console_state_dialog_close(c);
        return true;
    }
    if (key == 'n' || key == 'N' || key == ACTION_KEY_ESC || key == 'q') {
        console_state_dialog_close(c);
        console_state_message(c, MESSAGE_INFO, now(), "cancelled: nothing was sent");
        return true;
    }
    return true; /* the dialog is modal */
}

bool actions_move_picker(struct picker *p, int key)
{
    if (key == 'j' || key == ACTION_KEY_FN(KEY_DOWN))
        picker_move(p, 1);
    else if (key == 'k' || key == ACTION_KEY_FN(KEY_UP))
        picker_move(p, -1);
    else if (key == 'g' || key == ACTION_KEY_FN(KEY_HOME))
        picker_set(p, 0);
    else if (key == 'G' || key == ACTION_KEY_FN(KEY_END))
        picker_set(p, (size_t)-1);
    else
        return false;
    return true;
}

bool actions_edit_input(struct filter_input *f, int key)
{
    switch (key) {
    case ACTION_KEY_FN(KEY_BACKSPACE):
    case 127:
    case 8:
        return filter_input_backspace(f);
    case ACTION_KEY_CTRL('w'):
        return filter_input_delete_word(f);
    case ACTION_KEY_CTRL('u'):
        if (!f->len)
            return false;
        filter_input_clear(f);
        return true;
    default:
        return key > 0 && key < 0x110000 && filter_input_insert(f, (wchar_t)key);
    }
}

static bool help_key(struct console_state *c, int key)
{
    const struct action *a = actions_find(key);
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
    switch (key) {
    case '\n':
    case '\r':
    case ACTION_KEY_FN(KEY_ENTER):
        c->filter_editing = false;
        if (c->filter.len)
            console_state_message(c, MESSAGE_INFO, now(), "filter '%s': %zu order%s (Esc clears)",
                                  c->filter.text, order_store_view_count(c->store),
                                  order_store_view_count(c->store) == 1 ? "" : "s");
        return true;
    case ACTION_KEY_ESC:
        c->filter_editing = false;
        filter_input_set(&c->filter, c->filter_before);
        console_state_apply_filter(c);
        return true;
    case ACTION_KEY_FN(KEY_BACKSPACE):
    case 127:
    case 8:
        if (!filter_input_backspace(&c->filter)) {
            c->filter_editing = false; /* backspace on empty: leave */
            return true;
        }
        console_state_apply_filter(c);
        return true;
    case ACTION_KEY_CTRL('w'):
        filter_input_delete_word(&c->filter);
        console_state_apply_filter(c);
        return true;
    case ACTION_KEY_CTRL('u'):
        filter_input_clear(&c->filter);
        console_state_apply_filter(c);
        return true;
    case ACTION_KEY_FN(KEY_UP):
    case ACTION_KEY_FN(KEY_DOWN):
    case ACTION_KEY_FN(KEY_NPAGE):
    case ACTION_KEY_FN(KEY_PPAGE):
        /* move in the filtered list while typing */
        return actions_find(key) ? (actions_find(key)->run(c, key), true) : false;
    default:
        if (key > 0 && key < 0x110000 && filter_input_insert(&c->filter, (wchar_t)key)) {
            console_state_apply_filter(c);
            return true;
        }
        return false;
    }
}

bool actions_handle_key(struct console_state *c, int key)
{
    if (c->dialog.open)
        return dialog_key(c, key);
    if (c->help_open)
        return help_key(c, key);
    if (c->filter_editing)
        return filter_key(c, key);
    const struct action *a = actions_find(key);
    if (!a) {
        if (key > ' ' && key < 127) /* a typed key that does nothing: say so */
            console_state_message(c, MESSAGE_INFO, now(), "'%c' is not a key here (? lists them)",
                                  key);
        return false;
    }
    dispatch(c, a, key);
    return true;
}
