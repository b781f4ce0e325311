/* responder: the console's side of the HTTP-01 responder (see responder.h). */
#include "ui/responder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"
#include "net/http01_responder.h"

void responder_init(struct responder_state *r)
{
    memset(r, 0, sizeof *r);
}

static void hit_clear(struct responder_hit *h)
{
    free(h->remote);
    free(h->method);
    free(h->path);
    free(h->token);
    free(h->identifier);
    memset(h, 0, sizeof *h);
}

static void served_clear(struct responder_state *r)
{
    for (size_t i = 0; i < r->served_count; i++) {
        free(r->served[i].order_id);
        free(r->served[i].identifier);
        free(r->served[i].token);
    }
    free(r->served);
    r->served = NULL;
    r->served_count = 0;
    free(r->pending);
    r->pending = NULL;
    r->pending_count = 0;
}

void responder_free(struct responder_state *r)
{
    responder_stop(r);
    for (size_t i = 0; i < RESPONDER_HITS_KEPT; i++)
        hit_clear(&r->hits[i]);
    free(r->address);
    responder_init(r);
}

bool responder_running(const struct responder_state *r)
{
    return r->server != NULL;
}

/* On the responder's thread: copy the hit into a message, nothing else. */
static void on_hit(const struct http01_hit *hit, void *user)
{
    struct queue *updates = user;
    queue_push(updates, msg_new_responder_hit(hit->remote, hit->method, hit->path, hit->token,
                                              hit->status, hit->bytes));
}

int responder_start(struct responder_state *r, const char *listen, struct queue *updates,
                    char why[RESPONDER_ERROR_MAX])
{
    why[0] = '\0';
    if (r->server)
        return 0;
    if (!updates) {
        snprintf(why, RESPONDER_ERROR_MAX, "the responder has no queue to report to");
        return -1;
    }
    struct http01_responder_options opt = {
        .listen = listen && *listen ? listen : "0.0.0.0:80",
        .on_hit = on_hit,
        .user = updates,
        .request_timeout_ms = 0,
    };
    struct deploy_error err;
    deploy_error_clear(&err);
    r->server = http01_responder_start(&opt, &err);
    if (!r->server) {
        snprintf(why, RESPONDER_ERROR_MAX, "the HTTP-01 responder cannot start: %s",
                 err.message);
        return -1;
    }
    free(r->address);
    r->address = xstrdup(http01_responder_address(r->server));
    for (size_t i = 0; i < RESPONDER_HITS_KEPT; i++)
        hit_clear(&r->hits[i]);
    r->hit_count = r->hit_next = 0;
    r->total_hits = 0;
    return 0;
}

int responder_serve(struct responder_state *r, const char *order_id, const char *identifier,
                    const char *token, const char *key_authorization,
                    char why[RESPONDER_ERROR_MAX])
{
    why[0] = '\0';
    if (!r->server) {
        snprintf(why, RESPONDER_ERROR_MAX, "the HTTP-01 responder is not running");
        return -1;
    }
    for (size_t i = 0; i < r->served_count; i++)
        if (token && strcmp(r->served[i].token, token) == 0)
            return 0;
    struct deploy_error err;
    deploy_error_clear(&err);
    if (http01_responder_add(r->server, token, key_authorization, &err) != 0) {
        snprintf(why, RESPONDER_ERROR_MAX, "cannot serve the http-01 answer of %.200s: %s",
                 identifier ? identifier : "?", err.message);
        return -1;
    }
    r->served = xrealloc(r->served, (r->served_count + 1) * sizeof(*r->served));
    r->served[r->served_count].order_id = xstrdup(order_id ? order_id : "");
    r->served[r->served_count].identifier = xstrdup(identifier ? identifier : "");
    r->served[r->served_count].token = xstrdup(token);
    r->served_count++;
    return 1;
}

void responder_stop(struct responder_state *r)
{
    if (r->server) {
        http01_responder_stop(r->server); /* joins its thread: no hit after this */
        r->server = NULL;
    }
    served_clear(r);
}

void responder_forget_order(struct responder_state *r, const char *order_id)
{
    size_t kept = 0;
    for (size_t i = 0; i < r->served_count; i++) {
        struct responder_served *sv = &r->served[i];
        if (strcmp(sv->order_id, order_id) != 0) {
            r->served[kept++] = *sv;
            continue;
        }
        if (r->server)
            http01_responder_remove(r->server, sv->token);
        free(sv->order_id);
        free(sv->identifier);
        free(sv->token);
    }
    r->served_count = kept;
}

void responder_note_hit(struct responder_state *r, const struct msg *m, time_t now)
{
    if (m->type != UPD_RESPONDER_HIT)
        return;
    struct responder_hit *h = &r->hits[r->hit_next];
    hit_clear(h);
    h->at = now;
    h->remote = xstrdup(m->u.hit.remote);
    h->method = xstrdup(m->u.hit.method);
    h->path = xstrdup(m->u.hit.path);
    h->token = xstrdup(m->u.hit.token);
    h->identifier = xstrdup(responder_identifier_of(r, m->u.hit.token));
    h->status = m->u.hit.status;
    h->bytes = m->u.hit.bytes;
    r->hit_next = (r->hit_next + 1) % RESPONDER_HITS_KEPT;
    if (r->hit_count < RESPONDER_HITS_KEPT)
        r->hit_count++;
    r->total_hits++;
}

const struct responder_hit *responder_hit_at(const struct responder_state *r, size_t i)
{
    if (i >= r->hit_count)
        return NULL;
    size_t pos = (r->hit_next + RESPONDER_HITS_KEPT - 1 - i) % RESPONDER_HITS_KEPT;
    return &r->hits[pos];
}

const char *responder_identifier_of(const struct responder_state *r, const char *token)
{
    for (size_t i = 0; token && *token && i < r->served_count; i++)
        if (strcmp(r->served[i].token, token) == 0)
            return r->served[i].identifier;
    return NULL;
}

size_t responder_order_count(const struct responder_state *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->served_count; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(r->served[i].order_id, r->served[j].order_id) == 0;
        if (!seen)
            n++;
    }
    return n;
}

void responder_pending_add(struct responder_state *r, uint64_t request_id)
{
    r->pending = xrealloc(r->pending, (r->pending_count + 1) * sizeof(*r->pending));
    r->pending[r->pending_count++] = request_id;
}

bool responder_pending_take(struct responder_state *r, uint64_t request_id)
{
    for (size_t i = 0; i < r->pending_count; i++)
        if (r->pending[i] == request_id) {
            r->pending[i] = r->pending[--r->pending_count];
            return true;
        }
    return false;
}
