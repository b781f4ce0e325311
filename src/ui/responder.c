/* responder: the console's view of the engine's responders (see
 * responder.h). */
#include "ui/responder.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/xalloc.h"

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

static void hits_clear(struct responder_state *r)
{
    for (size_t i = 0; i < RESPONDER_HITS_KEPT; i++)
        hit_clear(&r->hits[i]);
    r->hit_count = r->hit_next = 0;
    r->total_hits = 0;
    r->dropped = 0;
}

static void handshake_clear(struct responder_handshake *h)
{
    free(h->remote);
    free(h->sni);
    free(h->outcome);
    free(h->detail);
    memset(h, 0, sizeof *h);
}

static void handshakes_clear(struct responder_state *r)
{
    for (size_t i = 0; i < RESPONDER_HITS_KEPT; i++)
        handshake_clear(&r->handshakes[i]);
    r->hs_count = r->hs_next = 0;
    r->tls_total = 0;
    r->tls_dropped = 0;
}

static void served_clear(struct responder_state *r)
{
    msg_served_tokens_free(r->served, r->served_count);
    r->served = NULL;
    r->served_count = 0;
}

void responder_free(struct responder_state *r)
{
    served_clear(r);
    hits_clear(r);
    handshakes_clear(r);
    free(r->address);
    free(r->tls_address);
    responder_init(r);
}

bool responder_running(const struct responder_state *r)
{
    return r->running || r->tls_running;
}

void responder_apply(struct responder_state *r, const struct msg *m)
{
    if (m->type != UPD_RESPONDER)
        return;
    if (m->u.responder.running && !r->running)
        hits_clear(r); /* a new run */
    r->running = m->u.responder.running;
    if (m->u.responder.address && *m->u.responder.address) {
        free(r->address);
        r->address = xstrdup(m->u.responder.address);
    }
    if (m->u.responder.tls_running && !r->tls_running)
        handshakes_clear(r); /* a new run */
    r->tls_running = m->u.responder.tls_running;
    if (m->u.responder.tls_address && *m->u.responder.tls_address) {
        free(r->tls_address);
        r->tls_address = xstrdup(m->u.responder.tls_address);
    }
    served_clear(r);
    r->served = msg_served_tokens_copy(m->u.responder.served, m->u.responder.served_count);
    r->served_count = r->served ? m->u.responder.served_count : 0;
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

void responder_note_handshake(struct responder_state *r, const struct msg *m, time_t now)
{
    if (m->type != UPD_HANDSHAKE)
        return;
    struct responder_handshake *h = &r->handshakes[r->hs_next];
    handshake_clear(h);
    h->at = now;
    h->remote = xstrdup(m->u.handshake.remote);
    h->sni = xstrdup(m->u.handshake.sni);
    h->outcome = xstrdup(m->u.handshake.outcome);
    h->detail = xstrdup(m->u.handshake.detail);
    h->served = m->u.handshake.served;
    r->hs_next = (r->hs_next + 1) % RESPONDER_HITS_KEPT;
    if (r->hs_count < RESPONDER_HITS_KEPT)
        r->hs_count++;
    r->tls_total++;
}

const struct responder_handshake *responder_handshake_at(const struct responder_state *r,
                                                         size_t i)
{
    if (i >= r->hs_count)
        return NULL;
    return &r->handshakes[(r->hs_next + RESPONDER_HITS_KEPT - 1 - i) % RESPONDER_HITS_KEPT];
}

static bool of_type(const struct msg_served_token *t, const char *type)
{
    return !type || strcmp(t->challenge_type, type) == 0;
}

bool responder_serves_tlsalpn01(const struct responder_state *r, const char *identifier)
{
    for (size_t i = 0; identifier && i < r->served_count; i++)
        if (of_type(&r->served[i], "tls-alpn-01") &&
            strcasecmp(r->served[i].identifier, identifier) == 0)
            return true;
    return false;
}

size_t responder_served_of(const struct responder_state *r, const char *challenge_type)
{
    size_t n = 0;
    for (size_t i = 0; i < r->served_count; i++)
        n += of_type(&r->served[i], challenge_type);
    return n;
}

void responder_note_dropped(struct responder_state *r, const struct msg *m)
{
    if (m->type != UPD_RESPONDER_DROPPED)
        return;
    if (m->u.dropped.tlsalpn01)
        r->tls_dropped = m->u.dropped.total;
    else
        r->dropped = m->u.dropped.total;
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
        if (of_type(&r->served[i], "http-01") && strcmp(r->served[i].token, token) == 0)
            return r->served[i].identifier;
    return NULL;
}

bool responder_serves_order(const struct responder_state *r, const char *order_id)
{
    for (size_t i = 0; order_id && i < r->served_count; i++)
        if (strcmp(r->served[i].order_id, order_id) == 0)
            return true;
    return false;
}

void responder_drop_order(struct responder_state *r, const char *order_id)
{
    msg_served_tokens_drop_order(r->served, &r->served_count, order_id, NULL, NULL);
}

size_t responder_order_count(const struct responder_state *r, const char *challenge_type)
{
    size_t n = 0;
    for (size_t i = 0; i < r->served_count; i++) {
        if (!of_type(&r->served[i], challenge_type))
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = of_type(&r->served[j], challenge_type) &&
                   strcmp(r->served[i].order_id, r->served[j].order_id) == 0;
        if (!seen)
            n++;
    }
    return n;
}
