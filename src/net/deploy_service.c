/* deploy_service: the HTTP-01 responder and the pre-flight checks, run by
 * the engine on the UI's commands (see deploy_service.h).  All state here
 * belongs to the worker's thread except `hits`, which the responder's
 * thread bumps. */
#include "net/deploy_service.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"
#include "net/http01_responder.h"
#include "net/preflight_jobs.h"

#define SENTENCE_MAX 1200
#define DEFAULT_LISTEN "0.0.0.0:80" /* when http01_listen is unset (the settings' default) */

struct deploy_service {
    const struct deploy_config *cfg;
    struct queue *updates;
    struct http01_responder *responder; /* NULL: not running */
    struct msg_served_token *served;    /* the tokens it serves, none when not running */
    size_t served_count;
    atomic_ulong hits; /* requests answered since it started (responder thread adds) */
    struct preflight_jobs *checks;
};

struct deploy_service *deploy_service_new(const struct deploy_config *cfg,
                                          struct queue *updates)
{
    struct deploy_service *s = xcalloc(1, sizeof *s);
    s->cfg = cfg;
    s->updates = updates;
    atomic_init(&s->hits, 0);
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
    queue_push(s->updates, msg_new_responder_dropped(total));
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
    queue_push(s->updates,
               msg_new_responder(cmd->request_id, s->responder != NULL,
                                 s->responder ? http01_responder_address(s->responder) : "",
                                 s->served, s->served_count, atomic_load(&s->hits), ok,
                                 message));
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

static void serve(struct deploy_service *s, const struct msg *m)
{
    char why[SENTENCE_MAX];
    if (!s->responder && responder_start(s, why, sizeof why) != 0) {
        answer(s, m, false, why);
        return;
    }
    const char *token = m->u.serve.token;
    for (size_t i = 0; token && i < s->served_count; i++)
        if (strcmp(s->served[i].token, token) == 0) {
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
    s->served = xrealloc(s->served, (s->served_count + 1) * sizeof(*s->served));
    struct msg_served_token *t = &s->served[s->served_count++];
    t->order_id = xstrdup(m->u.serve.order_id ? m->u.serve.order_id : "");
    t->identifier = xstrdup(m->u.serve.identifier ? m->u.serve.identifier : "");
    t->token = xstrdup(token);
    answer(s, m, true, "");
}

static void stop(struct deploy_service *s, const struct msg *m)
{
    if (!s->responder) {
        answer(s, m, false, "the HTTP-01 responder is not running");
        return;
    }
    char *address = xstrdup(http01_responder_address(s->responder));
    http01_responder_stop(s->responder); /* joins its thread: no hit after this */
    s->responder = NULL;
    served_clear(s);
    unsigned long n = atomic_load(&s->hits);
    char text[SENTENCE_MAX];
    snprintf(text, sizeof text, "HTTP-01 responder on %s stopped (%lu request%s answered)",
             address, n, n == 1 ? "" : "s");
    free(address);
    answer(s, m, true, text);
}

static void unserve(const char *token, void *responder)
{
    http01_responder_remove(responder, token);
}

static void forget(struct deploy_service *s, const struct msg *m)
{
    const char *order_id = m->u.forget.order_id ? m->u.forget.order_id : "";
    msg_served_tokens_drop_order(s->served, &s->served_count, order_id, unserve, s->responder);
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
    case CMD_SERVE_HTTP01:
        serve(s, m);
        return true;
    case CMD_STOP_RESPONDER:
        stop(s, m);
        return true;
    case CMD_FORGET_HTTP01:
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
    served_clear(s);
    preflight_jobs_stop(s->checks);
    free(s);
}
