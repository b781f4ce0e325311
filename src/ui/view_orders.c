/* view_orders: the order list, the first view (ui/view.h): the list with
 * its columns (pane_orders), the selected order's detail (pane_detail) and
 * challenges (pane_challenges); the keys that act on an order or a
 * challenge (fulfil, check, serve, copy, certificate, new order, revoke);
 * the focus hint that makes the engine read the order on screen first; and
 * the debounced fetch of the challenge under the cursor. */
#include "ui/view.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"
#include "ui/cert_view.h"
#include "ui/console_state.h"
#include "ui/copy_flow.h"
#include "ui/fulfill_flow.h"
#include "ui/keys.h"
#include "ui/order_form.h"
#include "ui/pane_challenges.h"
#include "ui/pane_detail.h"
#include "ui/pane_orders.h"
#include "ui/raw_view.h"
#include "ui/renew_marked.h"
#include "ui/renewals.h"
#include "ui/revoke_flow.h"
#include "ui/serve_flow.h"
#include "ui/views.h"

#define AUTOFETCH_DELAY_MS 250

/* ---- what it asks the engine for ----------------------------------------- */

static void fetch_selected_challenge(struct console_state *c)
{
    struct challenge_ref ref;
    if (!console_state_selected_challenge(c, &ref, console_state_now(c)))
        return;
    console_state_fetch_challenge(c, &ref);
    console_state_say(c, MESSAGE_INFO, "fetching the %s challenge of %s...", ref.type,
                      ref.identifier);
    challenge_ref_free(&ref);
}

static void orders_after_input(struct console_state *c)
{
    console_state_send_focus(c);
}

/* Fetch the challenge under the cursor once it has rested there for a
 * moment and the challenges pane is visible. */
static long orders_timer(struct console_state *c, const struct layout *l, long long now_ms)
{
    if (!rect_visible(&l->challenges))
        return -1;
    const struct order *o = console_state_selected(c);
    if (!o || o->status != ORDER_AWAITING_CHALLENGE)
        return -1;
    console_state_challenge_sync(c);
    const char *ident;
    const struct challenge *ch;
    if (!console_state_challenge_at(c, c->panes.chal_cursor, &ident, &ch) || !ch->type)
        return -1;
    if (ch->status && strcmp(ch->status, "pending") != 0 && strcmp(ch->status, "processing") != 0)
        return -1;
    if (challenge_cache_find(&c->challenges, o->id, ident, ch->type))
        return -1; /* fetched, under way, or failed (Enter retries) */
    char key[1024];
    snprintf(key, sizeof key, "%s\n%s\n%s", o->id, ident, ch->type);
    if (!c->panes.autofetch_key || strcmp(c->panes.autofetch_key, key) != 0) {
        free(c->panes.autofetch_key);
        c->panes.autofetch_key = xstrdup(key);
        c->panes.autofetch_at_ms = now_ms + AUTOFETCH_DELAY_MS;
    }
    if (now_ms < c->panes.autofetch_at_ms)
        return (long)(c->panes.autofetch_at_ms - now_ms);
    struct challenge_ref ref = {.order_id = (char *)o->id, .role = o->role,
                                .identifier = (char *)ident, .type = ch->type};
    console_state_fetch_challenge(c, &ref);
    return -1;
}

/* ---- drawing ---------------------------------------------------------------- */

static void orders_draw(struct console_state *c, const struct layout *l, time_t now,
                        struct tick *tick)
{
    pane_orders_draw(c, &l->list, c->panes.focus == PANE_LIST, now, tick);
    bool tabs = !l->split;
    if (rect_visible(&l->detail))
        pane_detail_draw(c, &l->detail, c->panes.focus == PANE_DETAIL, tabs, now, tick);
    if (rect_visible(&l->challenges))
        pane_challenges_draw(c, &l->challenges, c->panes.focus == PANE_CHALLENGES, tabs, now, tick);
}

/* ---- keys ------------------------------------------------------------------- */

static void run_fulfill(struct console_state *c, int key)
{
    (void)key;
    fulfill_flow_begin(c);
}

static void run_preflight(struct console_state *c, int key)
{
    (void)key;
    fulfill_flow_check_selected(c);
}

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

static void run_view_cert(struct console_state *c, int key)
{
    (void)key;
    cert_view_open(c);
}

static void run_save_cert(struct console_state *c, int key)
{
    (void)key;
    if (c->marks.count)
        cert_view_save_marked(c);
    else
        cert_view_save(c);
}

static void run_new_order(struct console_state *c, int key)
{
    (void)key;
    order_form_begin(c);
}

static void run_renew(struct console_state *c, int key)
{
    (void)key;
    if (c->marks.count)
        renew_marked_begin(c);
    else
        order_form_begin_renew(c);
}

static void run_hide_superseded(struct console_state *c, int key)
{
    (void)key;
    bool hide = !c->renewals.hide_superseded;
    renewals_set_hide(c, hide);
    console_state_say(c, MESSAGE_INFO,
                      hide ? "superseded certificates hidden (H shows them)"
                           : "superseded certificates shown (H hides them)");
}

static void run_revoke(struct console_state *c, int key)
{
    (void)key;
    revoke_flow_begin(c);
}

static void run_copy_keyauth(struct console_state *c, int key)
{
    (void)key;
    copy_flow_selected(c, COPY_KEY_AUTHORIZATION);
}

static void run_copy_txt(struct console_state *c, int key)
{
    (void)key;
    if (c->marks.count)
        copy_flow_marked_txt(c);
    else
        copy_flow_selected(c, COPY_DNS_VALUE);
}

static void run_copy_token(struct console_state *c, int key)
{
    (void)key;
    copy_flow_selected(c, COPY_TOKEN);
}

static void run_raw(struct console_state *c, int key)
{
    (void)key;
    raw_view_order(c);
}

static void run_commands(struct console_state *c, int key)
{
    (void)key;
    raw_view_order_commands(c);
}

static void run_enter(struct console_state *c, int key)
{
    (void)key;
    const struct order *o = console_state_selected(c);
    switch (c->panes.focus) {
    case PANE_LIST:
        if (!o)
            return;
        console_state_focus(c, o->status == ORDER_AWAITING_CHALLENGE && o->challenge_count
                                   ? PANE_CHALLENGES
                                   : PANE_DETAIL);
        break;
    case PANE_CHALLENGES:
        fetch_selected_challenge(c);
        break;
    default:
        break;
    }
}

static void run_copy_deploy(struct console_state *c, int key)
{
    (void)key;
    copy_flow_selected(c, COPY_DEPLOY_COMMAND);
}

/* Space (htop's tag): mark or unmark the selected order, then the next one. */
static void run_mark(struct console_state *c, int key)
{
    (void)key;
    const struct order *o = console_state_selected(c);
    if (!o) {
        console_state_say(c, MESSAGE_ERROR, "no order selected");
        return;
    }
    bool on = marks_toggle(&c->marks, o->id);
    console_state_say(c, MESSAGE_INFO,
                      "%.*s %s; %zu marked: w serves them, x copies their TXT values, e saves "
                      "their certificates, Esc clears",
                      order_short_id_len(o->id), o->id, on ? "marked" : "unmarked",
                      c->marks.count);
    console_state_move(c, 1);
}

static void run_events(struct console_state *c, int key)
{
    (void)key;
    c->events_cursor = 0;
    views_switch(c, "events");
}

static const struct action actions[] = {
    {"fulfill", {'f', 0}, "f", "Fulfill", 1,
     "check the selected challenge (pre-flight), then mark it fulfilled: the CA validates it",
     true, run_fulfill, ACTION_WRITES},
    {"preflight", {'p', 0}, "p", "Check", 12,
     "check the selected challenge now, the way the CA will (nothing goes to Vault)", false,
     run_preflight, false},
    {"serve", {'w', 0}, "w", "Serve", 11,
     "serve the selected order's challenges of the type under the cursor (http-01 or "
     "tls-alpn-01) from acmetop's own responder",
     false, run_serve, true},
    {"serve-all", {'W', 0}, "W", NULL, 99,
     "serve the challenges of the type under the cursor of every order awaiting one", false,
     run_serve_all, true},
    {"stop-responder", {'u', 0}, "u", NULL, 99,
     "stop the responders (HTTP-01 and TLS-ALPN-01)", false, run_stop_responder, true},
    {"view-cert", {'v', 0}, "v", "Cert", 13,
     "fetch and show the certificate of the selected completed order", false, run_view_cert, false},
    {"save-cert", {'e', 0}, "e", "Save", 14,
     "save certificate, chain and key of the selected completed order into cert_dir "
     "(asks before overwriting)", false, run_save_cert, true},
    {"new-order", {'n', 0}, "n", "New", 10,
     "new order: pick a role, type identifiers or a CSR file", false, run_new_order, ACTION_WRITES},
    {"renew", {'N', 0}, "N", "Renew", 9,
     "renew the selected completed order: the new-order form with its role and its names "
     "or CSR filled in, for review (marked orders: all of them, after one confirmation)",
     false, run_renew, ACTION_WRITES},
    {"hide-superseded", {'H', 0}, "H", NULL, 99,
     "hide or show the certificates a newer order of the same role and names superseded",
     false, run_hide_superseded, false},
    {"revoke", {'R', 0}, "R", NULL, 99,
     "revoke the certificate of the selected completed order (reason, then the order ID typed)",
     true, run_revoke, ACTION_WRITES},
    {"mark", {' ', 0}, "Space", "Mark", 16,
     "mark or unmark the selected order (htop's tag): w, x and e then act on every marked "
     "order; Esc clears the marks", false, run_mark, false},
    {"copy-key-authorization", {'c', 0}, "c", "KeyAuth", 3,
     "copy the key authorization of the selected challenge (http-01 body)", false,
     run_copy_keyauth, false},
    {"copy-txt-value", {'x', 0}, "x", "TXT", 4,
     "copy the dns-01 TXT value: base64url(SHA-256(key authorization))", false, run_copy_txt, false},
    {"copy-deploy-command", {'D', 0}, "D", "Deploy", 18,
     "copy the commands that deploy the selected challenge: http-01 the file and its content, "
     "dns-01 an nsupdate script (in the demo, the challtestsrv curl)", false,
     run_copy_deploy, false},
    {"copy-token", {'t', 0}, "t", "Token", 8,
     "copy the token of the selected challenge (the http-01 file name)", false,
     run_copy_token, false},
    {"events", {'E', 0}, "E", "Events", 17,
     "the status changes seen since start, newest first (also :events)", false, run_events,
     false},
    {"raw", {'y', 0}, "y", NULL, 99,
     "the selected order's answer from Vault, pretty-printed (c copies it; on a completed "
     "order C shows its certificate answer, the private key hidden)", false, run_raw, false},
    {"copy-commands", {'Y', 0}, "Y", NULL, 99,
     "copy the vault, curl and Terraform commands (and terraform import) that read or "
     "recreate the selected order ($VAULT_TOKEN, no secret)", false, run_commands, false},
    {"enter", {'\n', '\r', ACTION_KEY_FN(KEY_ENTER), 0}, "Enter", NULL, 99,
     "on an order: focus its challenges (or detail); on a challenge: fetch it again", false,
     run_enter, false},
};

/* Every order on screen and its titles: blank list rows go to the panes. */
static int orders_list_rows(const struct console_state *c)
{
    size_t n = order_store_view_count(c->store);
    return n > 1000 ? 1001 : (int)n + 1;
}

/* The focused pane's keys first in the legend (after ? and q): on the
 * challenges what deploys and checks them, elsewhere what the list and an
 * order offer; the rest after them, in their own order. */
static int orders_legend_rank(const struct console_state *c, const struct action *a)
{
    static const char *const challenge_keys[] = {
        "fulfill", "preflight", "serve", "copy-deploy-command", "copy-key-authorization",
        "copy-txt-value", "copy-token", "next-pane", NULL};
    static const char *const order_keys[] = {"filter", "status-filter", "sort", "new-order",
                                             "view-cert", "save-cert", "next-pane", "fulfill",
                                             "serve", NULL};
    if (a->legend_rank == 0)
        return 0;
    const char *const *mine = c->panes.focus == PANE_CHALLENGES ? challenge_keys : order_keys;
    for (size_t i = 0; mine[i]; i++)
        if (strcmp(a->name, mine[i]) == 0)
            return 1;
    return a->legend_rank + 10;
}

const struct view_ops view_orders = {
    .name = "orders",
    .title = "Orders",
    .help = "The orders of the engine, most urgent first. Select one to see its detail and "
            "challenges; deploy a challenge (w serves http-01 or tls-alpn-01, c x t copy the values), check "
            "it (p), fulfil it (f), then collect the certificate (v, e). The detail says who "
            "acts now (you, Vault, the CA); a dns-01 challenge marked \"by Vault\" is written "
            "by one of Vault's DNS providers: nothing to deploy.",
    .actions = actions,
    .action_count = sizeof actions / sizeof actions[0],
    .draw = orders_draw,
    .enter = NULL,
    .after_input = orders_after_input,
    .timer = orders_timer,
    .list_rows = orders_list_rows,
    .legend_rank = orders_legend_rank,
};
