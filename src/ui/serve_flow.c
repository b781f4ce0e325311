/* serve_flow: the responder keys w, W, u (see serve_flow.h). */
#include "ui/serve_flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTTP01 "http-01"
#define TLSALPN01 "tls-alpn-01"

static bool open_of(const struct challenge *ch, const char *type)
{
    return ch->type && strcmp(ch->type, type) == 0 &&
           (!ch->status || strcmp(ch->status, "pending") == 0 ||
            strcmp(ch->status, "processing") == 0);
}

/* Vault proves an identifier its DNS provider covers with dns-01 itself:
 * that identifier's other challenges are not the operator's to serve. */
static bool vault_proves(const struct console_state *c, const char *identifier)
{
    return console_state_vault_fulfils(c, identifier, "dns-01") != NULL;
}

static bool has_open(const struct console_state *c, const struct order *o, const char *type)
{
    for (size_t i = 0; i < o->challenge_count; i++)
        for (size_t j = 0; j < o->challenges[i].count; j++)
            if (open_of(&o->challenges[i].items[j], type) &&
                !vault_proves(c, o->challenges[i].identifier))
                return true;
    return false;
}

/* The type under the challenge cursor when it is one acmetop serves. */
static const char *cursor_type(struct console_state *c)
{
    const struct order *o = console_state_selected(c);
    if (!o || o->status != ORDER_AWAITING_CHALLENGE)
        return NULL;
    console_state_challenge_sync(c);
    const char *ident;
    const struct challenge *ch;
    if (!console_state_challenge_at(c, c->panes.chal_cursor, &ident, &ch) || !ch->type)
        return NULL;
    if (strcmp(ch->type, HTTP01) == 0)
        return HTTP01;
    if (strcmp(ch->type, TLSALPN01) == 0)
        return TLSALPN01;
    return NULL;
}

static void serve_entry(struct console_state *c, const struct challenge_entry *e)
{
    bool http = strcmp(e->type, HTTP01) == 0;
    console_state_send(c, msg_new_serve(console_state_next_request(c), e->type, e->order_id,
                                        e->identifier, http ? e->detail.token : NULL,
                                        e->detail.key_authorization));
}

/* A challenge fetched for `w`: hand it to the responder. */
static bool serve_when_fetched(struct console_state *c, const struct msg *m, long arg)
{
    (void)arg;
    struct challenge_entry *e = challenge_cache_by_request(&c->challenges, m->request_id);
    if (!e || e->state != CHALLENGE_READY)
        return false; /* FAILED: the message line says why */
    serve_entry(c, e);
    console_state_say(c, MESSAGE_INFO, "serving the %s answer of %s (u stops)", e->type,
                      e->identifier);
    return true;
}

/* Serve (or fetch, then serve) every open challenge of type of o. */
static void serve_order(struct console_state *c, const struct order *o, const char *type,
                        size_t *served, size_t *waiting)
{
    for (size_t i = 0; i < o->challenge_count; i++) {
        const struct order_identifier_challenges *set = &o->challenges[i];
        if (vault_proves(c, set->identifier))
            continue;
        for (size_t j = 0; j < set->count; j++) {
            if (!open_of(&set->items[j], type))
                continue;
            struct challenge_entry *e =
                challenge_cache_find(&c->challenges, o->id, set->identifier, type);
            if (e && e->state == CHALLENGE_READY) {
                serve_entry(c, e);
                (*served)++;
                continue;
            }
            uint64_t id;
            if (e && e->state == CHALLENGE_FETCHING) {
                id = e->request_id;
            } else {
                struct challenge_ref ref = {.order_id = o->id, .role = o->role,
                                            .identifier = set->identifier, .type = (char *)type};
                id = console_state_fetch_challenge(c, &ref);
            }
            console_state_on_reply(c, id, serve_when_fetched, 0);
            (*waiting)++;
        }
    }
}

static void say_serving(struct console_state *c, const char *type, size_t served,
                        size_t waiting, size_t orders)
{
    bool tls = strcmp(type, TLSALPN01) == 0;
    const struct responder_state *r = &c->responder;
    const char *where = tls ? (r->tls_running && r->tls_address ? r->tls_address
                               : c->cfg && c->cfg->tlsalpn01_listen ? c->cfg->tlsalpn01_listen
                                                                    : "0.0.0.0:443")
                            : (r->running && r->address ? r->address
                               : c->cfg && c->cfg->http01_listen ? c->cfg->http01_listen
                                                                 : "0.0.0.0:80");
    console_state_say(c, MESSAGE_INFO,
                      "%s responder on %s: %zu answer%s of %zu order%s served now%s%s "
                      "(u stops)",
                      tls ? "TLS-ALPN-01" : "HTTP-01", where, served, served == 1 ? "" : "s",
                      orders, orders == 1 ? "" : "s", waiting ? ", " : "",
                      waiting ? "more once fetched" : "");
}

/* w with marked orders: serve the open challenges of the type under the
 * cursor (else http-01) of every marked order awaiting them. */
static void serve_marked(struct console_state *c)
{
    const char *type = cursor_type(c);
    if (!type)
        type = HTTP01;
    size_t orders = 0, served = 0, waiting = 0, skipped = 0;
    for (size_t i = 0; i < c->marks.count; i++) {
        const struct order *o = order_store_find(c->store, c->marks.ids[i]);
        if (!o || o->status != ORDER_AWAITING_CHALLENGE || !has_open(c, o, type)) {
            skipped++;
            continue;
        }
        serve_order(c, o, type, &served, &waiting);
        orders++;
    }
    if (orders == 0) {
        console_state_say(c, MESSAGE_ERROR,
                          "none of the %zu marked orders awaits %s %s challenge: nothing to serve",
                          c->marks.count, strcmp(type, HTTP01) == 0 ? "an" : "a", type);
        return;
    }
    say_serving(c, type, served, waiting, orders);
    if (skipped)
        console_state_say(c, MESSAGE_INFO, "%s; %zu marked order%s without one skipped",
                          c->message, skipped, skipped == 1 ? "" : "s");
}

void serve_flow_selected(struct console_state *c)
{
    if (c->marks.count) {
        serve_marked(c);
        return;
    }
    const struct order *o = console_state_selected(c);
    if (!o) {
        console_state_say(c, MESSAGE_ERROR, "no order selected");
        return;
    }
    if (o->status != ORDER_AWAITING_CHALLENGE) {
        console_state_say(c, MESSAGE_ERROR,
                          "order %.*s is %s: only an order awaiting its challenges has "
                          "answers to serve", order_short_id_len(o->id), o->id,
                          order_status_display(o));
        return;
    }
    const char *type = cursor_type(c);
    if (!type)
        type = has_open(c, o, HTTP01) || !has_open(c, o, TLSALPN01) ? HTTP01 : TLSALPN01;
    if (!has_open(c, o, type)) {
        console_state_say(c, MESSAGE_ERROR,
                          "order %.*s has no pending http-01 or tls-alpn-01 challenge to serve",
                          order_short_id_len(o->id), o->id);
        return;
    }
    o = console_state_selected(c); /* cursor_type may have synced the panes */
    size_t served = 0, waiting = 0;
    serve_order(c, o, type, &served, &waiting);
    say_serving(c, type, served, waiting, 1);
}

/* Every awaiting order with an open challenge of type; n orders. */
static void serve_all_of(struct console_state *c, const char *type, bool send, size_t *orders,
                         size_t *served, size_t *waiting)
{
    /* every awaiting order, not only the ones the filter shows */
    struct order_filter f = {.text = NULL,
                             .status_mask = ORDER_STATUS_BIT(ORDER_AWAITING_CHALLENGE),
                             .role = NULL};
    order_store_set_filter(c->store, &f);
    size_t n = order_store_view_count(c->store);
    for (size_t i = 0; i < n; i++) {
        const struct order *o = order_store_view_at(c->store, i);
        if (!has_open(c, o, type))
            continue;
        if (send)
            serve_order(c, o, type, served, waiting); /* sends only: the store stays */
        (*orders)++;
    }
    console_state_apply_filter(c); /* the operator's view back */
}

void serve_flow_all(struct console_state *c)
{
    const char *type = cursor_type(c);
    size_t orders = 0, served = 0, waiting = 0;
    if (!type) {
        serve_all_of(c, HTTP01, false, &orders, &served, &waiting);
        type = orders ? HTTP01 : TLSALPN01;
        orders = 0;
    }
    serve_all_of(c, type, true, &orders, &served, &waiting);
    if (orders == 0)
        console_state_say(c, MESSAGE_ERROR, "no order awaits %s %s challenge: nothing to serve",
                          strcmp(type, HTTP01) == 0 ? "an" : "a", type);
    else
        say_serving(c, type, served, waiting, orders);
}

void serve_flow_stop(struct console_state *c)
{
    if (!responder_running(&c->responder)) {
        console_state_say(c, MESSAGE_ERROR, "no responder is running (w serves a challenge)");
        return;
    }
    console_state_send(c, msg_new_stop_responder(console_state_next_request(c)));
}
