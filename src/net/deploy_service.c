/* deploy_service: the two responders (HTTP-01, TLS-ALPN-01) and the
 * pre-flight checks, run by the engine on the UI's commands (see
 * deploy_service.h).  All state here belongs to the worker's thread except
 * `hits` and `handshakes`, which the responders' threads bump. */
#include "net/deploy_service.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/xalloc.h"
#include "net/http01_responder.h"
#include "net/preflight_jobs.h"
#include "net/tlsalpn01_cert.h"
#include "net/tlsalpn01_responder.h"

#define SENTENCE_MAX 1200
#define DEFAULT_LISTEN "0.0.0.0:80" /* when http01_listen is unset (the settings' default) */
#define DEFAULT_TLS_LISTEN "0.0.0.0:443" /* when tlsalpn01_listen is unset */
#define HTTP01 "http-01"
#define TLSALPN01 "tls-alpn-01"

struct deploy_service {
    const struct deploy_config *cfg;
    struct queue *updates;
    struct http01_responder *responder; /* NULL: not running */
    struct tlsalpn01_responder *tls;    /* NULL: not running */
    struct msg_served_token *served;    /* what both serve (challenge_type tells which) */
    size_t served_count;
    atomic_ulong hits; /* requests answered since it started (responder thread adds) */
    atomic_ulong handshakes; /* handshakes reported since the TLS one started */
    struct preflight_jobs *checks;
};

struct deploy_service *deploy_service_new(const struct deploy_config *cfg,
                                          struct queue *updates)
{
    struct deploy_service *s = xcalloc(1, sizeof *s);
    s->cfg = cfg;
    s->updates = updates;
    atomic_init(&s->hits, 0);
    atomic_init(&s->handshakes, 0);
    s->checks = preflight_jobs_new(updates);
    return s;
}

/* ---- the responder ------------------------------------------------------- */

/* On the responder's thread: count, copy the hit into a message, nothing else. */
static void on_hit(const struct http01_hit *hit, void *user)
{
    struct deploy_service *s = user;
    atomic_fetch_add(&s->hits, 1);
    queue_push(s->updates, msg_new_responder_hit(hit->remote, hit->method, hit->path, hit->token,
                                                 hit->status, hit->bytes));
}

/* On the responder's thread, already coalesced by the responder. */
static void on_dropped(unsigned long total, void *user)
{
    struct deploy_service *s = user;
    queue_push(s->updates, msg_new_responder_dropped(false, total));
}

/* On the TLS-ALPN-01 responder's thread, the same way. */
static void on_handshake(const struct tlsalpn01_handshake *h, void *user)
{
    struct deploy_service *s = user;
    atomic_fetch_add(&s->handshakes, 1);
    queue_push(s->updates, msg_new_handshake(h->remote, h->sni, h->outcome == TLSALPN01_SERVED,
                                             tlsalpn01_outcome_name(h->outcome), h->detail));
}

static void on_tls_dropped(unsigned long total, void *user)
{
    struct deploy_service *s = user;
    queue_push(s->updates, msg_new_responder_dropped(true, total));
}

static void served_clear(struct deploy_service *s)
{
    msg_served_tokens_free(s->served, s->served_count);
    s->served = NULL;
    s->served_count = 0;
}

/* The one answer of a responder command: the state after it. */
static void answer(struct deploy_service *s, const struct msg *cmd, bool ok, const char *message)
{
    struct msg *m = msg_new_responder(cmd->request_id, s->responder != NULL,
                                      s->responder ? http01_responder_address(s->responder) : "",
                                      s->served, s->served_count, atomic_load(&s->hits), ok,
                                      message);
    msg_responder_set_tls(m, s->tls != NULL, s->tls ? tlsalpn01_responder_address(s->tls) : "",
                          atomic_load(&s->handshakes));
    queue_push(s->updates, m);
}

static void entry_free(struct msg_served_token *t)
{
    free(t->order_id);
    free(t->identifier);
    free(t->token);
    free(t->challenge_type);
}

static void served_note(struct deploy_service *s, const struct msg *m, const char *type,
                        const char *token)
{
    s->served = xrealloc(s->served, (s->served_count + 1) * sizeof(*s->served));
    struct msg_served_token *t = &s->served[s->served_count++];
    t->order_id = xstrdup(m->u.serve.order_id ? m->u.serve.order_id : "");
    t->identifier = xstrdup(m->u.serve.identifier ? m->u.serve.identifier : "");
    t->token = xstrdup(token);
    t->challenge_type = xstrdup(type);
}

static int responder_start(struct deploy_service *s, char *why, size_t size)
{
    const char *listen = s->cfg->http01_listen && *s->cfg->http01_listen
                             ? s->cfg->http01_listen
                             : DEFAULT_LISTEN;
    struct http01_responder_options opt = {.listen = listen, .on_hit = on_hit,
                                           .on_dropped = on_dropped, .user = s};
    struct deploy_error err;
    deploy_error_clear(&err);
    atomic_store(&s->hits, 0); /* before its thread exists */
    s->responder = http01_responder_start(&opt, &err);
    if (!s->responder) {
        snprintf(why, size, "the HTTP-01 responder cannot start: %s", err.message);
        return -1;
    }
    return 0;
}

static void serve_http01(struct deploy_service *s, const struct msg *m)
{
    char why[SENTENCE_MAX];
    if (!s->responder && responder_start(s, why, sizeof why) != 0) {
        answer(s, m, false, why);
        return;
    }
    const char *token = m->u.serve.token;
    for (size_t i = 0; token && i < s->served_count; i++)
        if (strcmp(s->served[i].challenge_type, HTTP01) == 0 &&
            strcmp(s->served[i].token, token) == 0) {
            answer(s, m, true, "");
            return;
        }
    struct deploy_error err;
    deploy_error_clear(&err);
    if (http01_responder_add(s->responder, token, m->u.serve.key_authorization, &err) != 0) {
        snprintf(why, sizeof why, "cannot serve the http-01 answer of %.200s: %s",
                 m->u.serve.identifier ? m->u.serve.identifier : "?", err.message);
        answer(s, m, false, why);
        return;
    }
    served_note(s, m, HTTP01, token);
    answer(s, m, true, "");
}

static int tls_start(struct deploy_service *s, char *why, size_t size)
{
    const char *listen = s->cfg->tlsalpn01_listen && *s->cfg->tlsalpn01_listen
                             ? s->cfg->tlsalpn01_listen
                             : DEFAULT_TLS_LISTEN;
    struct tlsalpn01_responder_options opt = {.listen = listen, .on_handshake = on_handshake,
                                              .on_dropped = on_tls_dropped, .user = s};
    struct deploy_error err;
    deploy_error_clear(&err);
    atomic_store(&s->handshakes, 0); /* before its thread exists */
    s->tls = tlsalpn01_responder_start(&opt, &err);
    if (!s->tls) {
        snprintf(why, size, "the TLS-ALPN-01 responder cannot start: %s", err.message);
        return -1;
    }
    return 0;
}

/* One certificate per identifier: serving it again (another order, a new
 * key authorization) replaces the earlier one and its entry. */
static void serve_tlsalpn01(struct deploy_service *s, const struct msg *m)
{
    char why[SENTENCE_MAX];
    const char *identifier = m->u.serve.identifier ? m->u.serve.identifier : "";
    struct deploy_error err;
    deploy_error_clear(&err);
    /* bad input refused before a responder is started for nothing */
    if (tlsalpn01_cert_check(identifier, m->u.serve.key_authorization, &err) != 0) {
        answer(s, m, false, err.message);
        return;
    }
    if (!s->tls && tls_start(s, why, sizeof why) != 0) {
        answer(s, m, false, why);
        return;
    }
    if (tlsalpn01_responder_add(s->tls, identifier, m->u.serve.key_authorization, &err) != 0) {
        answer(s, m, false, err.message);
        return;
    }
    size_t kept = 0;
    for (size_t i = 0; i < s->served_count; i++) {
        struct msg_served_token *t = &s->served[i];
        if (strcmp(t->challenge_type, TLSALPN01) == 0 &&
            strcasecmp(t->identifier, identifier) == 0) {
            entry_free(t);
            continue;
        }
        s->served[kept++] = *t;
    }
    s->served_count = kept;
    served_note(s, m, TLSALPN01, "");
    answer(s, m, true, "");
}

static void stop(struct deploy_service *s, const struct msg *m)
{
    if (!s->responder && !s->tls) {
        answer(s, m, false, "no responder is running (w serves a challenge)");
        return;
    }
    char text[SENTENCE_MAX] = "";
    size_t k = 0;
    if (s->responder) {
        char *address = xstrdup(http01_responder_address(s->responder));
        http01_responder_stop(s->responder); /* joins its thread: no hit after this */
        s->responder = NULL;
        unsigned long n = atomic_load(&s->hits);
        k += (size_t)snprintf(text, sizeof text,
                              "HTTP-01 responder on %s stopped (%lu request%s answered)", address,
                              n, n == 1 ? "" : "s");
        free(address);
    }
    if (s->tls && k < sizeof text) {
        char *address = xstrdup(tlsalpn01_responder_address(s->tls));
        tlsalpn01_responder_stop(s->tls); /* joins its thread, frees every key */
        s->tls = NULL;
        unsigned long n = atomic_load(&s->handshakes);
        snprintf(text + k, sizeof text - k,
                 "%sTLS-ALPN-01 responder on %s stopped (%lu handshake%s)", k ? "; " : "",
                 address, n, n == 1 ? "" : "s");
        free(address);
    }
    served_clear(s);
    answer(s, m, true, text);
}

static void unserve(const struct msg_served_token *t, void *arg)
{
    struct deploy_service *s = arg;
    if (strcmp(t->challenge_type, TLSALPN01) == 0)
        tlsalpn01_responder_remove(s->tls, t->identifier); /* its key freed and wiped */
    else
        http01_responder_remove(s->responder, t->token);
}

static void forget(struct deploy_service *s, const struct msg *m)
{
    const char *order_id = m->u.forget.order_id ? m->u.forget.order_id : "";
    msg_served_tokens_drop_order(s->served, &s->served_count, order_id, unserve, s);
    answer(s, m, true, "");
}

/* ---- commands ------------------------------------------------------------ */

bool deploy_service_handle(struct deploy_service *s, const struct msg *m)
{
    switch (m->type) {
    case CMD_PREFLIGHT:
        preflight_jobs_start(s->checks, &s->cfg->checks, m->request_id, m->u.check.order_id,
                             m->u.check.identifier, m->u.check.challenge_type, m->u.check.token,
                             m->u.check.key_authorization);
        return true;
    case CMD_SERVE:
        if (m->u.serve.challenge_type && strcmp(m->u.serve.challenge_type, TLSALPN01) == 0)
            serve_tlsalpn01(s, m);
        else if (m->u.serve.challenge_type && strcmp(m->u.serve.challenge_type, HTTP01) == 0)
            serve_http01(s, m);
        else
            answer(s, m, false, "acmetop serves http-01 and tls-alpn-01 challenges only "
                                "(dns-01: set the TXT record, x copies its value)");
        return true;
    case CMD_STOP_RESPONDER:
        stop(s, m);
        return true;
    case CMD_FORGET_ORDER:
        forget(s, m);
        return true;
    default:
        return false;
    }
}

void deploy_service_free(struct deploy_service *s)
{
    if (!s)
        return;
    http01_responder_stop(s->responder);
    tlsalpn01_responder_stop(s->tls);
    served_clear(s);
    preflight_jobs_stop(s->checks);
    free(s);
}
