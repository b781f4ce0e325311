/* serve_flow: the responder keys w, W, u (see serve_flow.h). */
#include "ui/serve_flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static bool http01_open(const struct challenge *ch)
{
    return ch->type && strcmp(ch->type, "http-01") == 0 &&
           (!ch->status || strcmp(ch->status, "pending") == 0 ||
            strcmp(ch->status, "processing") == 0);
}

/* Vault proves an identifier its DNS provider covers with dns-01 itself:
 * that identifier's http-01 challenge is not the operator's to serve. */
static bool vault_proves(const struct console_state *c, const char *identifier)
{
    return console_state_vault_fulfils(c, identifier, "dns-01") != NULL;
}

static bool has_open_http01(const struct console_state *c, const struct order *o)
{
    for (size_t i = 0; i < o->challenge_count; i++)
        for (size_t j = 0; j < o->challenges[i].count; j++)
            if (http01_open(&o->challenges[i].items[j]) &&
                !vault_proves(c, o->challenges[i].identifier))
                return true;
    return false;
}

static void serve_entry(struct console_state *c, const struct challenge_entry *e)
{
    console_state_send(c, msg_new_serve_http01(console_state_next_request(c), e->order_id,
                                               e->identifier, e->detail.token,
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
    console_state_say(c, MESSAGE_INFO, "serving the http-01 answer of %s (u stops)",
                      e->identifier);
    return true;
}

/* Serve (or fetch, then serve) every open http-01 challenge of o. */
static void serve_order(struct console_state *c, const struct order *o, size_t *served,
                        size_t *waiting)
{
    for (size_t i = 0; i < o->challenge_count; i++) {
        const struct order_identifier_challenges *set = &o->challenges[i];
        if (vault_proves(c, set->identifier))
            continue;
        for (size_t j = 0; j < set->count; j++) {
            if (!http01_open(&set->items[j]))
                continue;
            struct challenge_entry *e =
                challenge_cache_find(&c->challenges, o->id, set->identifier, "http-01");
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
                                            .identifier = set->identifier, .type = "http-01"};
                id = console_state_fetch_challenge(c, &ref);
            }
            console_state_on_reply(c, id, serve_when_fetched, 0);
            (*waiting)++;
        }
    }
}

static void say_serving(struct console_state *c, size_t served, size_t waiting, size_t orders)
{
    const char *where = c->responder.running && c->responder.address ? c->responder.address
                        : c->cfg && c->cfg->http01_listen       ? c->cfg->http01_listen
                                                                : "0.0.0.0:80";
    console_state_say(c, MESSAGE_INFO,
                      "HTTP-01 responder on %s: %zu answer%s of %zu order%s served now%s%s "
                      "(u stops)",
                      where, served, served == 1 ? "" : "s", orders, orders == 1 ? "" : "s",
                      waiting ? ", " : "", waiting ? "more once fetched" : "");
}

void serve_flow_selected(struct console_state *c)
{
    const struct order *o = console_state_selected(c);
    if (!o) {
        console_state_say(c, MESSAGE_ERROR, "no order selected");
        return;
    }
    if (o->status != ORDER_AWAITING_CHALLENGE) {
        console_state_say(c, MESSAGE_ERROR,
                          "order %.*s is %s: only an order awaiting its challenges has "
                          "http-01 answers to serve", order_short_id_len(o->id), o->id, order_status_display(o));
        return;
    }
    if (!has_open_http01(c, o)) {
        console_state_say(c, MESSAGE_ERROR,
                          "order %.*s has no pending http-01 challenge to serve",
                          order_short_id_len(o->id), o->id);
        return;
    }
    size_t served = 0, waiting = 0;
    serve_order(c, o, &served, &waiting);
    say_serving(c, served, waiting, 1);
}

void serve_flow_all(struct console_state *c)
{
    /* every awaiting order, not only the ones the filter shows */
    struct order_filter f = {.text = NULL,
                             .status_mask = ORDER_STATUS_BIT(ORDER_AWAITING_CHALLENGE),
                             .role = NULL};
    order_store_set_filter(c->store, &f);
    size_t n = order_store_view_count(c->store), orders = 0, served = 0, waiting = 0;
    for (size_t i = 0; i < n; i++) {
        const struct order *o = order_store_view_at(c->store, i);
        if (!has_open_http01(c, o))
            continue;
        serve_order(c, o, &served, &waiting); /* sends only: the store stays as it is */
        orders++;
    }
    console_state_apply_filter(c); /* the operator's view back */
    if (orders == 0)
        console_state_say(c, MESSAGE_ERROR,
                          "no order awaits an http-01 challenge: nothing to serve");
    else
        say_serving(c, served, waiting, orders);
}

void serve_flow_stop(struct console_state *c)
{
    if (!responder_running(&c->responder)) {
        console_state_say(c, MESSAGE_ERROR, "the HTTP-01 responder is not running");
        return;
    }
    console_state_send(c, msg_new_stop_responder(console_state_next_request(c)));
}
