/* serve_flow: the responder keys w, W, u (see serve_flow.h). */
#include "ui/serve_flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"

static time_t now(void)
{
    return time(NULL);
}


static bool responder_up(struct console_state *c)
{
    if (responder_running(&c->responder))
        return true;
    char why[RESPONDER_ERROR_MAX];
    const char *listen = c->cfg && c->cfg->deploy.http01_listen ? c->cfg->deploy.http01_listen
                                                                : "0.0.0.0:80";
    if (responder_start(&c->responder, listen, c->updates, why) != 0) {
        console_state_message(c, MESSAGE_ERROR, now(), "%s", why);
        return false;
    }
    return true;
}

static bool http01_open(const struct challenge *ch)
{
    return ch->type && strcmp(ch->type, "http-01") == 0 &&
           (!ch->status || strcmp(ch->status, "pending") == 0 ||
            strcmp(ch->status, "processing") == 0);
}

/* Serve (or fetch, then serve) every open http-01 challenge of o. Counts
 * what was served now and what waits for its fetch; false on an error
 * (already on the message line). */
static bool serve_order(struct console_state *c, const struct order *o, size_t *served,
                        size_t *waiting)
{
    for (size_t i = 0; i < o->challenge_count; i++) {
        const struct order_identifier_challenges *set = &o->challenges[i];
        for (size_t j = 0; j < set->count; j++) {
            if (!http01_open(&set->items[j]))
                continue;
            struct challenge_entry *e =
                challenge_cache_find(&c->challenges, o->id, set->identifier, "http-01");
            if (e && e->state == CHALLENGE_READY) {
                char why[RESPONDER_ERROR_MAX];
                if (responder_serve(&c->responder, o->id, set->identifier, e->detail.token,
                                    e->detail.key_authorization, why) < 0) {
                    console_state_message(c, MESSAGE_ERROR, now(), "%s", why);
                    return false;
                }
                (*served)++;
            } else if (e && e->state == CHALLENGE_FETCHING) {
                responder_pending_add(&c->responder, e->request_id);
                (*waiting)++;
            } else {
                struct challenge_ref ref = {.order_id = o->id, .role = o->role,
                                            .identifier = set->identifier, .type = "http-01"};
                responder_pending_add(&c->responder, console_state_fetch_challenge(c, &ref));
                (*waiting)++;
            }
        }
    }
    return true;
}

static void say_serving(struct console_state *c, size_t served, size_t waiting, size_t orders)
{
    console_state_message(c, MESSAGE_INFO, now(),
                          "HTTP-01 responder on %s: %zu answer%s of %zu order%s served now%s%s; "
                          "%zu token%s in all (u stops)",
                          c->responder.address, served, served == 1 ? "" : "s", orders,
                          orders == 1 ? "" : "s", waiting ? ", " : "",
                          waiting ? "more once fetched" : "", c->responder.served_count + waiting,
                          c->responder.served_count + waiting == 1 ? "" : "s");
}

void serve_flow_selected(struct console_state *c)
{
    const struct order *o = console_state_selected(c);
    if (!o) {
        console_state_message(c, MESSAGE_ERROR, now(), "no order selected");
        return;
    }
    if (o->status != ORDER_AWAITING_CHALLENGE) {
        console_state_message(c, MESSAGE_ERROR, now(),
                              "order %.8s is %s: only an order awaiting its challenges has "
                              "http-01 answers to serve", o->id, order_status_display(o));
        return;
    }
    size_t served = 0, waiting = 0;
    bool any = false;
    for (size_t i = 0; i < o->challenge_count && !any; i++)
        for (size_t j = 0; j < o->challenges[i].count && !any; j++)
            any = http01_open(&o->challenges[i].items[j]);
    if (!any) {
        console_state_message(c, MESSAGE_ERROR, now(),
                              "order %.8s has no pending http-01 challenge to serve", o->id);
        return;
    }
    if (!responder_up(c) || !serve_order(c, o, &served, &waiting))
        return;
    say_serving(c, served, waiting, 1);
}

void serve_flow_all(struct console_state *c)
{
    /* every awaiting order, not only the ones the filter shows */
    struct order_filter f = {.text = NULL,
                             .status_mask = ORDER_STATUS_BIT(ORDER_AWAITING_CHALLENGE),
                             .role = NULL};
    order_store_set_filter(c->store, &f);
    size_t n = order_store_view_count(c->store);
    char **todo = xcalloc(n ? n : 1, sizeof(*todo));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct order *o = order_store_view_at(c->store, i);
        bool any = false;
        for (size_t a = 0; a < o->challenge_count && !any; a++)
            for (size_t b = 0; b < o->challenges[a].count && !any; b++)
                any = http01_open(&o->challenges[a].items[b]);
        if (any)
            todo[k++] = xstrdup(o->id);
    }
    console_state_apply_filter(c); /* the operator's view back */
    if (k == 0) {
        console_state_message(c, MESSAGE_ERROR, now(),
                              "no order awaits an http-01 challenge: nothing to serve");
    } else if (responder_up(c)) {
        size_t served = 0, waiting = 0;
        bool ok = true;
        for (size_t i = 0; i < k && ok; i++) {
            const struct order *o = order_store_find(c->store, todo[i]);
            if (o)
                ok = serve_order(c, o, &served, &waiting);
        }
        if (ok)
            say_serving(c, served, waiting, k);
    }
    for (size_t i = 0; i < k; i++)
        free(todo[i]);
    free(todo);
}

void serve_flow_stop(struct console_state *c)
{
    if (!responder_running(&c->responder)) {
        console_state_message(c, MESSAGE_ERROR, now(), "the HTTP-01 responder is not running");
        return;
    }
    unsigned long hits = c->responder.total_hits;
    responder_stop(&c->responder);
    console_state_message(c, MESSAGE_INFO, now(),
                          "HTTP-01 responder on %s stopped (%lu request%s answered)",
                          c->responder.address, hits, hits == 1 ? "" : "s");
}

/* Orders that finished (completed, error, revoked...) are served no more:
 * the CA will not fetch their answers again. */
static void forget_finished(struct console_state *c)
{
    struct responder_state *r = &c->responder;
    for (size_t i = 0; i < r->served_count;) {
        const struct order *o = order_store_find(c->store, r->served[i].order_id);
        if (o && order_status_is_terminal(o->status))
            responder_forget_order(r, o->id); /* the list shrank: same i again */
        else
            i++;
    }
}

void serve_flow_after_updates(struct console_state *c)
{
    forget_finished(c);
    for (size_t i = 0; i < c->responder.pending_count;) {
        uint64_t id = c->responder.pending[i];
        struct challenge_entry *e = challenge_cache_by_request(&c->challenges, id);
        if (e && e->state == CHALLENGE_FETCHING) {
            i++;
            continue;
        }
        responder_pending_take(&c->responder, id); /* the list shrank: same i again */
        if (!e || e->state != CHALLENGE_READY)
            continue; /* FAILED: the message line says why */
        char why[RESPONDER_ERROR_MAX];
        int rc = responder_serve(&c->responder, e->order_id, e->identifier, e->detail.token,
                                 e->detail.key_authorization, why);
        if (rc < 0)
            console_state_message(c, MESSAGE_ERROR, now(), "%s", why);
        else if (rc > 0)
            console_state_message(c, MESSAGE_INFO, now(),
                                  "HTTP-01 responder on %s serves %s (%zu token%s in all; u "
                                  "stops)",
                                  c->responder.address, e->identifier,
                                  c->responder.served_count,
                                  c->responder.served_count == 1 ? "" : "s");
    }
}

