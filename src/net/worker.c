/* worker: the Vault thread (see worker.h). Owns the Vault client, the
 * discovery state and the deploy service; shares nothing with the UI but
 * the two queues. */
#include "net/worker.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "model/cert_bundle.h"
#include "model/challenge_detail.h"
#include "model/clock.h"
#include "model/hook_env.h"
#include "model/id_index.h"
#include "model/status_watch.h"
#include "model/json_body.h"
#include "model/json_field.h"
#include "model/role_info.h"
#include "model/strv.h"
#include "model/xalloc.h"
#include "net/backoff.h"
#include "net/cert_files.h"
#include "net/deploy_service.h"
#include "net/discovery.h"
#include "net/hook_service.h"
#include "net/order_cache.h"
#include "net/resource_read.h"
#include "net/place.h"
#include "net/place_plan.h"
#include "net/vault_client.h"

#define FOCUS_DEBOUNCE_MS 300
#define ROLES_MAX 200 /* roles read for the new-order picker */
#define AFTER_ACTION_MS 1000
#define WHY_MAX 1600 /* a sentence for the operator (Vault's are up to 1536) */

static void worker_yield(void *ctx);

struct worker {
    pthread_t thread;
    const struct vault_config *start_cfg; /* the caller's */
    struct vault_config *own_cfg;         /* loaded by a switch, NULL before any */
    const struct vault_config *cfg;       /* the context watched now */
    const struct vault_config_flags *flags; /* to load another context; NULL: none */
    const char *const *envp;
    struct queue *commands, *updates;
    struct place **places;       /* place_count >= 1 once started */
    size_t place_count;
    struct context_info info;    /* what UPD_CONTEXT says */
    struct id_index where;       /* order ID -> its number in place_of */
    unsigned *place_of;          /* the place of each order seen */
    bool *awaits;                /* it awaits the operator */
    size_t where_cap;
    struct deploy_service *deploy; /* responder and pre-flight checks */
    const struct clock *clock;
    long long focus_ms;      /* when to read the focused order (debounced), 0 = none */
    char *focus;             /* the order on the operator's screen */
    unsigned seed;
    atomic_bool stopping; /* set by worker_stop: cancels requests in flight */
    struct msg *deferred[8]; /* commands seen during a cycle, run after it */
    size_t deferred_count;
    struct status_watch *watch;  /* status changes, for on_change and --watch; NULL: neither */
    struct hook_service *hooks;  /* runs on_change; NULL: none set */
    char why[1400];              /* why no place is watched (place_count 0) */
};

extern char **environ;

/* o's status changed from old: the hook, and --watch's line. */
static void status_changed(struct worker *w, const struct place *p, const struct order *o,
                           const char *old)
{
    if (w->hooks) {
        size_t n;
        char **env = hook_env_build((const char *const *)environ, o, old, p->cfg.mount,
                                    p->cfg.namespace_, &n);
        char what[400];
        snprintf(what, sizeof what, "%.*s %s → %s", order_short_id_len(o->id), o->id,
                 *old ? old : "(new)", order_status_display(o));
        hook_service_submit(w->hooks, env, n, what);
    }
    if (w->cfg->report_changes)
        queue_push(w->updates, msg_new_status_change(o, old));
}

/* ---- where each order lives -------------------------------------------- */

static void where_note(struct worker *w, const struct order *o)
{
    if (!o->id)
        return;
    size_t k = id_index_find(&w->where, o->id);
    if (k == ID_INDEX_NONE) {
        k = id_index_add(&w->where, o->id);
        if (k >= w->where_cap) {
            w->where_cap = w->where_cap ? w->where_cap * 2 : 64;
            w->place_of = xrealloc(w->place_of, w->where_cap * sizeof *w->place_of);
            w->awaits = xrealloc(w->awaits, w->where_cap * sizeof *w->awaits);
        }
        w->awaits[k] = false;
        w->place_of[k] = o->place;
    }
    bool awaits = o->status_text ? o->status == ORDER_AWAITING_CHALLENGE : w->awaits[k];
    if (w->place_of[k] < w->place_count && w->awaits[k])
        w->places[w->place_of[k]]->awaiting--;
    w->place_of[k] = o->place;
    w->awaits[k] = awaits;
    if (o->place < w->place_count && awaits)
        w->places[o->place]->awaiting++;
}

static void where_forget_all(struct worker *w)
{
    id_index_free(&w->where);
    free(w->place_of);
    free(w->awaits);
    w->place_of = NULL;
    w->awaits = NULL;
    w->where_cap = 0;
}

/* Where what has no order goes (roles, accounts, DNS providers, new
 * orders): the first place watched, else the first one. */
static struct place *home_place(struct worker *w)
{
    for (size_t i = 0; i < w->place_count; i++)
        if (!w->places[i]->denied)
            return w->places[i];
    return w->places[0];
}

/* The place of an order, NULL when unknown. */
static struct place *place_known(const struct worker *w, const char *order_id)
{
    size_t k = order_id ? id_index_find(&w->where, order_id) : ID_INDEX_NONE;
    return k != ID_INDEX_NONE && w->place_of[k] < w->place_count ? w->places[w->place_of[k]]
                                                                  : NULL;
}

/* The place of an order (the home place when unknown). */
static struct place *place_for(struct worker *w, const char *order_id)
{
    struct place *p = place_known(w, order_id);
    return p ? p : home_place(w);
}

/* Every update of the orders goes through here (ctx: the place): the
 * changes are seen after the update itself is posted. */
static void post_update(void *ctx, struct msg *m)
{
    struct place *p = ctx;
    struct worker *w = p->owner;
    if (m->type == UPD_ORDERS)
        for (size_t i = 0; i < m->u.orders.count; i++)
            where_note(w, &m->u.orders.items[i]);
    else if (m->type == UPD_ORDER_DETAIL)
        where_note(w, &m->u.order_detail.order);
    if (!w->watch || (m->type != UPD_ORDERS && m->type != UPD_ORDER_DETAIL)) {
        queue_push(w->updates, m);
        return;
    }
    const struct order *items = m->type == UPD_ORDERS ? m->u.orders.items : &m->u.order_detail.order;
    size_t n = m->type == UPD_ORDERS ? m->u.orders.count : 1;
    struct msg **changes = xcalloc(n, sizeof *changes);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        /* a summary of the recent list carries no last_error: the change is
           reported with the order's details, read right after it; the cache's
           orders are what was: seen, never reported */
        const char *old;
        if (items[i].detail_known && status_watch_see(w->watch, &items[i], &old) &&
            !items[i].unverified)
            changes[k++] = msg_new_status_change(&items[i], old); /* a copy: m goes first */
    }
    queue_push(w->updates, m);
    for (size_t i = 0; i < k; i++) {
        status_changed(w, p, &changes[i]->u.status_change.order,
                       changes[i]->u.status_change.old_status);
        msg_free(changes[i]);
    }
    free(changes);
}

static void reply(struct worker *w, const struct msg *cmd, const char *order_id, bool ok,
                  const char *message)
{
    queue_push(w->updates, msg_new_action_result(cmd->request_id, cmd->type, order_id, ok, message));
}

/* ---- the poll cycle ---------------------------------------------------- */

/* Share the idle budget among the places: one part each, four for a place
 * with an order awaiting the operator, two more for the one on screen; a
 * denied place gets nothing (it is not watched). */
static void share_budget(struct worker *w)
{
    double total = w->cfg->idle_budget > 0 ? w->cfg->idle_budget : 0.3;
    double parts = 0;
    double *weight = xcalloc(w->place_count, sizeof *weight);
    unsigned watched = 0;
    const struct place *on_screen = place_known(w, w->focus);
    for (size_t i = 0; i < w->place_count; i++) {
        const struct place *p = w->places[i];
        if (p->denied)
            continue;
        weight[i] = 1 + (p->awaiting ? 3 : 0) + (p == on_screen ? 2 : 0);
        parts += weight[i];
        watched++;
    }
    for (size_t i = 0; i < w->place_count; i++) {
        w->places[i]->cfg.place_count = watched;
        if (weight[i] > 0)
            place_set_share(w->places[i], total * weight[i] / parts);
    }
    free(weight);
}

/* Tell the console the context, and the refresh period when it moved. */
static void post_context(struct worker *w, bool always)
{
    double period = 0;
    for (size_t i = 0; i < w->place_count; i++)
        if (!w->places[i]->denied) {
            double s = discovery_interval_s(w->places[i]->discovery);
            period = s > period ? s : period;
        }
    for (size_t i = 0; i < w->place_count; i++)
        w->info.places[i].denied = w->places[i]->denied;
    w->info.home = home_place(w)->index;
    double was = w->info.period_s;
    if (!always && was > 0 && period > was * 0.8 && period < was * 1.25)
        return;
    w->info.period_s = period;
    queue_push(w->updates, msg_new_context(&w->info));
}

static void cycle_now(struct worker *w, struct place *p)
{
    struct vault_error err;
    p->soon_ms = 0; /* actions during this cycle may ask for the next one */
    share_budget(w);
    int rc = discovery_cycle(p->discovery, clock_wall(w->clock), &err);
    double delay = discovery_interval_s(p->discovery);
    if (rc == 0) {
        p->failures = 0;
        const char *warning = place_cache_save(p, false, false, clock_mono_ms(w->clock));
        if (warning)
            queue_push(w->updates, msg_new_notice(true, warning));
        if (w->watch) /* orders seen from now on are new ones */
            status_watch_listed(w->watch);
    } else if (w->place_count > 1 && (err.http_status == 403 || err.http_status == 404)) {
        /* a namespace or mount of `*` or of a list this token may not read,
           or a listed mount a namespace does not have: shown in the context
           as not watched, not an error of the console */
        p->denied = true;
        char text[1200];
        snprintf(text, sizeof text, "%s%s%s: %s; not watched",
                 p->cfg.namespace_ ? p->cfg.namespace_ : "", p->cfg.namespace_ ? "/" : "",
                 p->cfg.mount,
                 err.http_status == 403 ? "the token may not list its orders" : "no such mount");
        queue_push(w->updates, msg_new_notice(false, text));
        post_context(w, true);
    } else {
        p->failures++;
        delay = backoff_delay(delay, p->failures, err.retry_after_s, &w->seed);
        int shown = (int)(delay + 0.5);
        discovery_report_failure(p->discovery, &err, shown > 0 ? shown : 1);
    }
    if (rc == 0 && !p->cycled && w->place_count > 1) /* spread the places over the period */
        delay = delay * (p->index + 1) / (double)w->place_count;
    p->cycled = true;
    p->next_cycle_ms = clock_mono_ms(w->clock) + (long long)(delay * 1000);
    if (rc == 0 && w->place_count > 1)
        post_context(w, false);
}

/* An action wants the next cycle of p early (not while backing off). */
static void cycle_soon(struct worker *w, struct place *p, long long in_ms)
{
    long long at = clock_mono_ms(w->clock) + in_ms;
    if (p->failures == 0 && (!p->soon_ms || at < p->soon_ms))
        p->soon_ms = at;
}

static long long next_cycle_of(const struct place *p)
{
    return p->soon_ms && p->soon_ms < p->next_cycle_ms ? p->soon_ms : p->next_cycle_ms;
}

/* The place to cycle next: the earliest due; among those due, one with an
 * order awaiting the operator, then the one on screen, goes first. */
static struct place *next_place(const struct worker *w, long long *at)
{
    struct place *best = NULL;
    long long now = clock_mono_ms(w->clock);
    int best_rank = -1;
    *at = LLONG_MAX;
    const struct place *on_screen = place_known(w, w->focus);
    for (size_t i = 0; i < w->place_count; i++) {
        struct place *p = w->places[i];
        if (p->denied)
            continue;
        long long due = next_cycle_of(p);
        int rank = due <= now ? 1 + (p->awaiting ? 2 : 0) + (p == on_screen ? 1 : 0) : 0;
        if (!best || rank > best_rank || (rank == best_rank && due < *at)) {
            best = p;
            best_rank = rank;
            *at = due;
        }
    }
    return best;
}

/* When the worker must wake up next: a cycle, or the focused order's read. */
static long long next_wake_at(const struct worker *w)
{
    long long at;
    next_place(w, &at);
    return w->focus_ms && w->focus_ms < at ? w->focus_ms : at;
}

/* CMD_FOCUS_ORDER: the operator's cursor moved. The order is read once,
 * FOCUS_DEBOUNCE_MS after the cursor stops (holding `j` reads nothing on
 * the way), and nothing else is sent. */
static void focus_order(struct worker *w, const char *order_id)
{
    for (size_t i = 0; i < w->place_count; i++)
        discovery_set_focus(w->places[i]->discovery, NULL);
    if (order_id)
        discovery_set_focus(place_for(w, order_id)->discovery, order_id);
    free(w->focus);
    w->focus = order_id ? xstrdup(order_id) : NULL;
    w->focus_ms = order_id ? clock_mono_ms(w->clock) + FOCUS_DEBOUNCE_MS : 0;
}

static void read_focus(struct worker *w)
{
    w->focus_ms = 0;
    struct place *p = w->focus ? place_for(w, w->focus) : NULL;
    if (p && p->failures == 0) /* while Vault is down, the cycle's backoff rules */
        discovery_fetch_one(p->discovery, w->focus, clock_wall(w->clock));
}

/* ---- the places of a context ------------------------------------------- */

static void places_close(struct worker *w)
{
    long long now = clock_mono_ms(w->clock);
    for (size_t i = 0; i < w->place_count; i++) {
        place_cache_save(w->places[i], true, w->places[i]->failures == 0, now);
        place_close(w->places[i]);
    }
    free(w->places);
    w->places = NULL;
    w->place_count = 0;
    where_forget_all(w);
}

/* w->info anew for w->cfg and its places: the context's own strings and
 * the config file's sections, borrowed here, copied by context_info_copy
 * (which reads NULL as ""). */
static void info_build(struct worker *w)
{
    const struct vault_config *cfg = w->cfg;
    struct context_place *places = xcalloc(w->place_count ? w->place_count : 1, sizeof *places);
    for (size_t i = 0; i < w->place_count; i++)
        places[i] = (struct context_place){w->places[i]->cfg.namespace_,
                                           w->places[i]->cfg.mount, w->places[i]->denied};
    struct context_row *rows = xcalloc(cfg->context_count ? cfg->context_count : 1, sizeof *rows);
    for (size_t i = 0; i < cfg->context_count; i++) {
        const struct vault_context *c = &cfg->contexts[i];
        rows[i] = (struct context_row){c->name, c->addr, c->namespace_, c->mount, c->color,
                                       c->readonly};
    }
    struct context_info view = {.name = cfg->context, .color = cfg->context_color,
                                .addr = cfg->addr, .readonly = cfg->readonly,
                                .places = places, .place_count = w->place_count,
                                .fan_out = place_plan_fans_out(cfg), .rows = rows,
                                .row_count = cfg->context_count,
                                .generation = w->info.generation + 1};
    context_info_free(&w->info);
    context_info_copy(&w->info, &view);
    free(places);
    free(rows);
}

/* Open the places of w->cfg and tell the console. -1 with why set when
 * none can be opened (the old ones are gone by then). */
static int places_open(struct worker *w, char *why, size_t why_size)
{
    struct context_place *where;
    char note[1200];
    size_t n = place_plan(w->cfg, &w->stopping, &where, note, sizeof note);
    if (n == 0)
        snprintf(why, why_size, "%s", note);
    w->places = xcalloc(n ? n : 1, sizeof *w->places);
    long long now = clock_mono_ms(w->clock);
    for (size_t i = 0; i < n; i++) {
        struct vault_error err;
        struct place *p = place_open(w->cfg, &where[i], (unsigned)w->place_count, (unsigned)n,
                                     post_update, w, &w->stopping, &err);
        if (!p) {
            snprintf(why, why_size, "%s", vault_error_sentence(&err));
            continue;
        }
        discovery_set_yield(p->discovery, worker_yield, w);
        p->next_cycle_ms = now;
        w->places[w->place_count++] = p;
    }
    info_build(w);
    context_places_free(where, n);
    if (w->place_count == 0) { /* the console still learns the context (and :ctx's list) */
        queue_push(w->updates, msg_new_context(&w->info));
        return -1;
    }
    share_budget(w);
    post_context(w, true);
    if (note[0])
        queue_push(w->updates, msg_new_notice(false, note));
    for (size_t i = 0; i < w->place_count; i++) {
        const char *warning = place_cache_start(w->places[i], now);
        if (warning)
            queue_push(w->updates, msg_new_notice(true, warning));
    }
    return 0;
}

/* ---- commands ---------------------------------------------------------- */

/* The role a command on an order needs: the one it carries, else the one
 * discovery knows. NULL with why set when unknown. */
static const char *order_role(struct place *p, const char *given, const char *order_id,
                              char *why, size_t why_size)
{
    const char *role = given && *given ? given : discovery_order_role(p->discovery, order_id);
    if (!role)
        snprintf(why, why_size,
                 "the role of order %.1200s is not known yet: wait for its details and try "
                 "again",
                 order_id ? order_id : "?");
    return role;
}

/* order_role, answering the command with UPD_ACTION_RESULT when unknown. */
static const char *command_role(struct worker *w, struct place *p, const struct msg *m,
                                const char *given, const char *order_id)
{
    char why[WHY_MAX];
    const char *role = order_role(p, given, order_id, why, sizeof why);
    if (!role)
        reply(w, m, order_id, false, why);
    return role;
}

static char *query_pair(const char *k1, const char *v1, const char *k2, const char *v2)
{
    char *e1 = vault_client_escape(v1), *e2 = v2 ? vault_client_escape(v2) : NULL;
    size_t n = strlen(k1) + strlen(e1) + (e2 ? strlen(k2) + strlen(e2) : 0) + 4;
    char *q = xmalloc(n);
    if (e2)
        snprintf(q, n, "%s=%s&%s=%s", k1, e1, k2, e2);
    else
        snprintf(q, n, "%s=%s", k1, e1);
    free(e1);
    free(e2);
    return q;
}

static void do_fetch_challenge(struct worker *w, const struct msg *m)
{
    struct place *p = place_for(w, m->u.challenge.order_id);
    const char *id = m->u.challenge.order_id;
    const char *role = command_role(w, p, m, m->u.challenge.role, id);
    if (!role)
        return;
    char *path = vault_client_mount_path_escaped(p->client, "role/%s/order/%s/challenge", role, id);
    char *query = query_pair("identifier", m->u.challenge.identifier, "challenge_type",
                             m->u.challenge.challenge_type);
    struct vault_response r = {0};
    struct vault_error err;
    struct challenge_detail cd;
    struct parse_error perr;
    if (vault_client_get(p->client, path, query, &r, &err) != 0) {
        reply(w, m, id, false, vault_error_sentence(&err));
    } else if (challenge_detail_parse_response(r.body, r.body_len, &cd, &perr) != 0) {
        char text[600];
        snprintf(text, sizeof(text), "Vault's challenge answer could not be read: %s",
                 perr.message);
        reply(w, m, id, false, text);
    } else {
        queue_push(w->updates,
                   msg_new_challenge_detail(m->request_id, id, m->u.challenge.identifier,
                                            m->u.challenge.challenge_type, &cd));
        challenge_detail_free(&cd);
    }
    vault_response_free(&r);
    free(path);
    free(query);
}

/* POST a JSON body built by the caller; answers the command. */
static int post_json(struct worker *w, struct place *p, const struct msg *m, const char *path,
                     cJSON *body, const char *order_id, struct vault_response *r)
{
    char *text = cJSON_PrintUnformatted(body);
    struct vault_error err;
    int rc = vault_client_write(p->client, path, text, r, &err);
    cJSON_free(text);
    if (rc != 0)
        reply(w, m, order_id, false, vault_error_sentence(&err));
    return rc;
}

static void do_fulfill(struct worker *w, const struct msg *m)
{
    struct place *p = place_for(w, m->u.challenge.order_id);
    const char *id = m->u.challenge.order_id;
    const char *role = command_role(w, p, m, m->u.challenge.role, id);
    if (!role)
        return;
    char *path = vault_client_mount_path_escaped(p->client, "role/%s/order/%s/fulfilled-challenge",
                                                 role, id);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "identifier", m->u.challenge.identifier);
    cJSON_AddStringToObject(body, "challenge_type", m->u.challenge.challenge_type);
    struct vault_response r = {0};
    if (post_json(w, p, m, path, body, id, &r) == 0) {
        char text[1400];
        snprintf(text, sizeof(text), "%s challenge for %s marked fulfilled; the CA validates now",
                 m->u.challenge.challenge_type, m->u.challenge.identifier);
        reply(w, m, id, true, text);
        discovery_poke(p->discovery, id);
        cycle_soon(w, p, AFTER_ACTION_MS);
    }
    cJSON_Delete(body);
    vault_response_free(&r);
    free(path);
}

/* GET role/:role/order/:id/fetch-cert in format into *b (initialised here).
 * Returns 0, or -1 with why set (Vault's sentence, or why its answer could
 * not be read) and b empty. The answer, which may hold the private key, is
 * wiped either way. */
static int fetch_cert(struct place *p, const char *role, const char *id, const char *format,
                      struct cert_bundle *b, char *why, size_t why_size)
{
    char *path =
        vault_client_mount_path_escaped(p->client, "role/%s/order/%s/fetch-cert", role, id);
    char *query = query_pair("certificate_format", format, NULL, NULL);
    struct vault_response r = {0};
    struct vault_error err;
    struct parse_error perr;
    int rc = -1;
    cert_bundle_init(b);
    if (vault_client_get(p->client, path, query, &r, &err) != 0)
        snprintf(why, why_size, "%s", vault_error_sentence(&err));
    else if (cert_bundle_parse_response(r.body, r.body_len, b, &perr) != 0)
        snprintf(why, why_size, "Vault's certificate answer could not be read: %s",
                 perr.message);
    else
        rc = 0;
    if (rc != 0)
        cert_bundle_free(b);
    if (r.body)
        OPENSSL_cleanse(r.body, r.body_len);
    vault_response_free(&r);
    free(path);
    free(query);
    return rc;
}

/* CMD_FETCH_CERT: the certificate for the UI, without its private key. */
static void do_fetch_cert(struct worker *w, const struct msg *m)
{
    struct place *p = place_for(w, m->u.fetch_cert.order_id);
    const char *id = m->u.fetch_cert.order_id;
    const char *role = command_role(w, p, m, m->u.fetch_cert.role, id);
    if (!role)
        return;
    struct cert_bundle b;
    char why[WHY_MAX];
    if (fetch_cert(p, role, id, m->u.fetch_cert.format ? m->u.fetch_cert.format : "pem", &b,
                   why, sizeof why) != 0)
        reply(w, m, id, false, why);
    else /* the key is wiped before the message leaves */
        queue_push(w->updates, msg_new_cert_take_keyless(m->request_id, id, &b));
}

static void save_answer(struct worker *w, const struct msg *m, enum cert_save_outcome outcome,
                        const char *text, bool key_written)
{
    queue_push(w->updates, msg_new_cert_save(m->request_id, m->u.save_cert.order_id, outcome,
                                             text, key_written));
}

/* CMD_SAVE_CERT: fetch the certificate (PEM) and write its files in
 * cert_dir; existing files are only replaced when asked. The private key is
 * wiped in every case. */
static void do_save_cert(struct worker *w, const struct msg *m)
{
    struct place *p = place_for(w, m->u.save_cert.order_id);
    const char *id = m->u.save_cert.order_id, *ident = m->u.save_cert.identifier;
    const char *dir = w->cfg->deploy.cert_dir;
    bool overwrite = m->u.save_cert.overwrite || w->cfg->deploy.cert_overwrite;
    char why[WHY_MAX];
    struct cert_bundle b;
    const char *role = order_role(p, m->u.save_cert.role, id, why, sizeof why);
    if (!role || fetch_cert(p, role, id, "pem", &b, why, sizeof why) != 0) {
        save_answer(w, m, CERT_SAVE_FAILED, why, false);
        return;
    }
    struct cert_files_paths paths;
    struct deploy_error err;
    deploy_error_clear(&err);
    if (!dir || !*dir) {
        save_answer(w, m, CERT_SAVE_FAILED, "no directory to save certificates in (cert_dir)",
                    false);
    } else if (cert_files_plan(dir, ident, id, &b, &paths, &err) != 0) {
        save_answer(w, m, CERT_SAVE_FAILED, err.message, false);
    } else if (!overwrite && (paths.cert_exists || paths.chain_exists || paths.key_exists)) {
        char list[PATH_MAX * 3 + 64] = "";
        size_t k = 0;
        if (paths.cert_exists)
            k += (size_t)snprintf(list + k, sizeof list - k, "  %s\n", paths.cert);
        if (paths.chain_exists && k < sizeof list)
            k += (size_t)snprintf(list + k, sizeof list - k, "  %s\n", paths.chain);
        if (paths.key_exists && k < sizeof list)
            snprintf(list + k, sizeof list - k, "  %s\n", paths.key);
        save_answer(w, m, CERT_SAVE_EXISTS, list, false);
    } else if (cert_files_save(dir, ident, id, &b, overwrite, &paths, &err) != 0) {
        save_answer(w, m, CERT_SAVE_FAILED, err.message, false);
    } else {
        char text[PATH_MAX * 3 + 200];
        snprintf(text, sizeof text, "%s%s%s%s%s", paths.cert, paths.chain[0] ? ", " : "",
                 paths.chain, paths.key[0] ? ", key (0600) " : "", paths.key);
        save_answer(w, m, CERT_SAVE_SAVED, text, paths.key[0] != '\0');
    }
    cert_bundle_free(&b); /* wipes the key unless cert_files_save did */
}

/* The order_id of a new-order answer (a json_data_parser): *out a copy. */
static int parse_new_order_id(const cJSON *data, void *out, struct parse_error *err)
{
    char *id = json_string_name(cJSON_GetObjectItemCaseSensitive(data, "order_id"));
    if (!id) {
        parse_error_set(err, "order_id: missing or not a clean name");
        return -1;
    }
    *(char **)out = id;
    return 0;
}

static void do_new_order(struct worker *w, const struct msg *m)
{
    struct place *p = home_place(w);
    const char *role = m->u.new_order.role;
    if (!role || !*role) {
        reply(w, m, NULL, false, "a new order needs a role");
        return;
    }
    char *path = vault_client_mount_path_escaped(p->client, "role/%s/new-order", role, NULL);
    cJSON *body = cJSON_CreateObject();
    if (m->u.new_order.csr) {
        cJSON_AddStringToObject(body, "csr", m->u.new_order.csr);
    } else {
        cJSON *ids = cJSON_AddArrayToObject(body, "identifiers");
        for (size_t i = 0; i < m->u.new_order.identifier_count; i++)
            cJSON_AddItemToArray(ids, cJSON_CreateString(m->u.new_order.identifiers[i]));
    }
    struct vault_response r = {0};
    if (post_json(w, p, m, path, body, NULL, &r) == 0) {
        struct parse_error perr;
        char *oid = NULL;
        if (json_body_parse_data(r.body, r.body_len, parse_new_order_id, &oid, &perr) == 0) {
            char text[JSON_NAME_MAX + 32];
            snprintf(text, sizeof(text), "order %s created", oid);
            discovery_poke(p->discovery, oid);
            reply(w, m, oid, true, text);
        } else {
            reply(w, m, NULL, false,
                  "Vault accepted the new order but its answer carries no order_id; "
                  "it will appear with the next refresh");
        }
        cycle_soon(w, p, 0);
        free(oid);
    }
    cJSON_Delete(body);
    vault_response_free(&r);
    free(path);
}

static void do_revoke(struct worker *w, const struct msg *m)
{
    struct place *p = place_for(w, m->u.revoke.order_id);
    const char *id = m->u.revoke.order_id;
    const char *role = command_role(w, p, m, m->u.revoke.role, id);
    if (!role)
        return;
    char *path = vault_client_mount_path_escaped(p->client, "role/%s/order/%s/revoke", role, id);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "reason", m->u.revoke.reason ? m->u.revoke.reason : "unspecified");
    struct vault_response r = {0};
    if (post_json(w, p, m, path, body, id, &r) == 0) {
        char text[1400];
        snprintf(text, sizeof(text), "the certificate of order %s is revoked (reason %s)", id,
                 m->u.revoke.reason ? m->u.revoke.reason : "unspecified");
        reply(w, m, id, true, text);
        discovery_poke(p->discovery, id);
        cycle_soon(w, p, 0);
    }
    cJSON_Delete(body);
    vault_response_free(&r);
    free(path);
}

/* The role names for the picker: LIST role, else the roles given with
 * --role. NULL and *why set when there are none. */
static char **role_names(struct worker *w, struct place *p, size_t *n, char *why, size_t why_size)
{
    char *path = vault_client_mount_path(p->client, "role");
    struct vault_error err;
    char **keys = NULL;
    why[0] = '\0';
    if (vault_client_list_keys(p->client, path, &keys, n, &err) != 0)
        snprintf(why, why_size, "%s", vault_error_sentence(&err));
    else if (*n == 0)
        snprintf(why, why_size, "Vault has no roles under %s: create one first", path);
    free(path);
    if (*n == 0 && w->cfg->role_count > 0) {
        strv_free(keys, *n);
        keys = strv_copy((const char *const *)w->cfg->roles, w->cfg->role_count);
        *n = w->cfg->role_count;
    }
    if (*n > ROLES_MAX) {
        for (size_t i = ROLES_MAX; i < *n; i++)
            free(keys[i]);
        *n = ROLES_MAX;
    }
    return keys;
}

/* CMD_LIST_ROLES: every role with what it allows (GET role/:name, in one
 * batch), for the new-order form. */
static void do_list_roles(struct worker *w, const struct msg *m)
{
    struct place *p = home_place(w);
    char why[1200];
    size_t n;
    char **names = role_names(w, p, &n, why, sizeof why);
    if (n == 0) {
        strv_free(names, 0);
        queue_push(w->updates, msg_new_roles_take(m->request_id, NULL, 0,
                                                  why[0] ? why : "no roles found"));
        return;
    }
    struct vault_request *reqs = xcalloc(n, sizeof(*reqs));
    for (size_t i = 0; i < n; i++) {
        reqs[i].method = "GET";
        reqs[i].path = vault_client_mount_path_escaped(p->client, "role/%s", names[i], NULL);
    }
    vault_client_batch(p->client, reqs, n);
    struct role_info *items = xcalloc(n, sizeof(*items));
    char note[1200] = "";
    for (size_t i = 0; i < n; i++) {
        struct parse_error perr;
        if (reqs[i].rc != 0 ||
            role_info_parse_response(reqs[i].response.body, reqs[i].response.body_len,
                                     &items[i], &perr) != 0) {
            role_info_init(&items[i]);
            if (!note[0])
                snprintf(note, sizeof note, "the rules of role %s are unknown: %s", names[i],
                         reqs[i].rc != 0 ? vault_error_sentence(&reqs[i].error) : perr.message);
        }
        if (!items[i].name) /* the name we asked for is the name */
            items[i].name = xstrdup(names[i]);
        free((char *)reqs[i].path);
        vault_response_free(&reqs[i].response);
    }
    free(reqs);
    strv_free(names, n);
    if (!note[0] && why[0]) /* listing was denied: these are the --role names */
        snprintf(note, sizeof note, "%s (showing the roles given with --role)", why);
    queue_push(w->updates, msg_new_roles_take(m->request_id, items, n, note[0] ? note : NULL));
}

/* CMD_READ_RAW: GET a path under the mount; the whole answer as received,
 * its secrets (a certificate's private key) hidden before it leaves. */
static void do_read_raw(struct worker *w, const struct msg *m)
{
    struct place *p = home_place(w);
    char *path = vault_client_mount_path(p->client, m->u.raw_read.path);
    struct vault_response r = {0};
    struct vault_error err;
    char *json = NULL;
    const char *why = NULL;
    if (vault_client_get(p->client, path, m->u.raw_read.query, &r, &err) != 0)
        why = vault_error_sentence(&err);
    else if (!(json = resource_answer_json(r.body, r.body_len)))
        why = "Vault's answer is not JSON";
    queue_push(w->updates, msg_new_raw(m->request_id, m->u.raw_read.path, json, why));
    free(json);
    vault_response_free(&r); /* wiped: it may hold a private key */
    free(path);
}

/* CMD_WRITE: one write the operator confirmed, sent once (no retry: a
 * refusal goes back to the form that sent it); the answer's data with its
 * secrets hidden. */
static void do_write(struct worker *w, const struct msg *m)
{
    struct place *p = home_place(w);
    /* "role/web?force=true": Vault reads a DELETE's parameters from the query */
    char *rest = xstrdup(m->u.write.path);
    char *query = strchr(rest, '?');
    if (query)
        *query++ = '\0';
    char *path = vault_client_mount_path(p->client, rest);
    struct vault_response r = {0};
    struct vault_error err;
    int rc = vault_client_request(p->client, m->u.write.method, path, query, m->u.write.body, &r,
                                  &err);
    free(rest);
    char *json = rc == 0 && r.body_len ? resource_data_json(r.body, r.body_len) : NULL;
    queue_push(w->updates, msg_new_written(m->request_id, rc == 0, r.status, json,
                                           rc == 0 ? NULL : vault_error_sentence(&err)));
    free(json);
    vault_response_free(&r);
    free(path);
    if (rc == 0)
        cycle_soon(w, p, AFTER_ACTION_MS); /* the orders may show what changed */
}

/* ---- the read-only lock and the switch ---------------------------------- */

/* What a command would write to Vault, or NULL when it writes nothing. */
static const char *write_of(const struct msg *m)
{
    switch (m->type) {
    case CMD_FULFILL_CHALLENGE:
        return "fulfil";
    case CMD_NEW_ORDER:
        return "new order";
    case CMD_REVOKE:
        return "revoke";
    case CMD_WRITE:
        return m->u.write.method;
    default:
        return NULL;
    }
}

/* The engine's own lock (the console refuses first): in a read-only
 * context no write leaves, whoever asked. True when m was refused. */
static bool refuse_write(struct worker *w, const struct msg *m)
{
    const char *what = write_of(m);
    if (!what || !w->cfg->readonly)
        return false;
    char text[600];
    snprintf(text, sizeof text, "read-only context %s: %s%s%s not sent",
             w->cfg->context ? w->cfg->context : "(default)", what,
             m->type == CMD_WRITE ? " " : "", m->type == CMD_WRITE ? m->u.write.path : "");
    if (m->type == CMD_WRITE)
        queue_push(w->updates, msg_new_written(m->request_id, false, 0, NULL, text));
    else
        reply(w, m, NULL, false, text);
    return true;
}

/* CMD_SWITCH_CONTEXT: load the context (or the same one in another
 * namespace), close every place of the old one (their caches saved: a
 * switch back starts from them at once), open the new ones. When the new
 * context cannot be loaded, the old one stays. */
static void do_switch(struct worker *w, const struct msg *m)
{
    if (!w->flags) {
        reply(w, m, NULL, false, "contexts cannot be switched here");
        return;
    }
    const char *name = m->u.switch_to.context ? m->u.switch_to.context : w->cfg->context;
    struct vault_config *next = xcalloc(1, sizeof *next);
    struct vault_error err;
    if (vault_config_load_context(next, w->flags, w->envp, name, &err) != 0) {
        reply(w, m, NULL, false, vault_error_sentence(&err));
        free(next);
        return;
    }
    next->report_changes = w->start_cfg->report_changes;
    if (w->start_cfg->readonly)
        next->readonly = true; /* --readonly holds for every context */
    if (m->u.switch_to.namespace_) {
        free(next->namespace_);
        next->namespace_ = *m->u.switch_to.namespace_ ? xstrdup(m->u.switch_to.namespace_) : NULL;
    }
    places_close(w);
    focus_order(w, NULL);
    if (w->own_cfg) {
        vault_config_free(w->own_cfg);
        free(w->own_cfg);
    }
    w->own_cfg = next;
    w->cfg = next;
    if (w->watch) { /* a new Vault's orders are not changes */
        status_watch_free(w->watch);
        w->watch = status_watch_new();
    }
    if (places_open(w, w->why, sizeof w->why) != 0) {
        reply(w, m, NULL, false, w->why);
        return;
    }
    char text[1400];
    const char *warning = vault_config_warning(next); /* e.g. VAULT_ADDR beats the context */
    snprintf(text, sizeof text, "watching %s%s%s%s%.1000s", next->context ? "context " : "",
             next->context ? next->context : next->addr, next->readonly ? " (read-only)" : "",
             warning ? "; warning: " : "", warning ? warning : "");
    reply(w, m, NULL, !warning, text);
}

/* CMD_LIST_NAMESPACES */
static void do_list_namespaces(struct worker *w, const struct msg *m)
{
    struct context_place *items;
    char note[1200];
    size_t n = place_plan_namespaces(w->cfg, &w->stopping, &items, note, sizeof note);
    queue_push(w->updates, msg_new_namespaces_take(m->request_id, items, n, note[0] ? note : NULL));
}

/* Returns false when the worker must stop. */
static bool handle_command(struct worker *w, const struct msg *m)
{
    if (deploy_service_handle(w->deploy, m))
        return true;
    if (refuse_write(w, m))
        return true;
    switch (m->type) {
    case CMD_QUIT:
        return false;
    case CMD_REFRESH: {
        bool ok = true;
        for (size_t i = 0; i < w->place_count; i++) {
            struct place *p = w->places[i];
            discovery_poke_all(p->discovery);
            p->failures = 0;
            p->denied = false; /* asked again */
            cycle_now(w, p);
            ok &= p->failures == 0;
        }
        reply(w, m, NULL, ok, ok ? "refreshed" : "refresh failed: see the connection state");
        break;
    }
    case CMD_FOCUS_ORDER:
        focus_order(w, m->u.focus.order_id);
        break;
    case CMD_FETCH_CHALLENGE:
        do_fetch_challenge(w, m);
        break;
    case CMD_FULFILL_CHALLENGE:
        do_fulfill(w, m);
        break;
    case CMD_FETCH_CERT:
        do_fetch_cert(w, m);
        break;
    case CMD_SAVE_CERT:
        do_save_cert(w, m);
        break;
    case CMD_NEW_ORDER:
        do_new_order(w, m);
        break;
    case CMD_REVOKE:
        do_revoke(w, m);
        break;
    case CMD_LIST_ROLES:
        do_list_roles(w, m);
        break;
    case CMD_READ_RAW:
        do_read_raw(w, m);
        break;
    case CMD_WRITE:
        do_write(w, m);
        break;
    case CMD_READ_RESOURCES:
        queue_push(w->updates, resource_read(home_place(w)->client, m->request_id, m->u.read.kind));
        break;
    case CMD_SWITCH_CONTEXT:
        do_switch(w, m);
        break;
    case CMD_LIST_NAMESPACES:
        do_list_namespaces(w, m);
        break;
    default:
        break; /* updates are not commands: ignore */
    }
    return true;
}

/* Between detail batches of a long cycle: carry out the operator's commands
 * that are one Vault call each; keep the ones that need a cycle (refresh),
 * change the places (switch) or end it (quit) for afterwards. */
static void worker_yield(void *ctx)
{
    struct worker *w = ctx;
    while (w->deferred_count < sizeof(w->deferred) / sizeof(w->deferred[0])) {
        struct msg *m = queue_pop(w->commands);
        if (!m)
            return;
        if (m->type == CMD_QUIT || m->type == CMD_REFRESH || m->type == CMD_SWITCH_CONTEXT) {
            w->deferred[w->deferred_count++] = m;
            if (m->type == CMD_QUIT)
                return;
            continue;
        }
        handle_command(w, m);
        msg_free(m);
    }
}

static struct msg *next_command(struct worker *w, int wait_ms)
{
    if (w->deferred_count) {
        struct msg *m = w->deferred[0];
        memmove(w->deferred, w->deferred + 1, --w->deferred_count * sizeof(w->deferred[0]));
        return m;
    }
    return queue_wait_pop(w->commands, wait_ms);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    if (places_open(w, w->why, sizeof w->why) != 0)
        queue_push(w->updates, msg_new_connection(CONN_DISCONNECTED, w->why, 0, NULL, 0, 0));
    for (;;) {
        long long wait = w->place_count ? next_wake_at(w) - clock_mono_ms(w->clock) : 3600000;
        struct msg *m = next_command(w, wait > 0 ? (int)(wait > 3600000 ? 3600000 : wait) : 0);
        if (m) {
            bool go_on = w->place_count || m->type == CMD_QUIT || m->type == CMD_SWITCH_CONTEXT
                             ? handle_command(w, m)
                             : (reply(w, m, NULL, false, w->why), true);
            msg_free(m);
            if (!go_on)
                break;
            continue;
        }
        if (queue_is_closed(w->commands) || atomic_load(&w->stopping))
            break;
        if (!w->place_count)
            continue;
        if (w->focus_ms && clock_mono_ms(w->clock) >= w->focus_ms)
            read_focus(w);
        long long at;
        struct place *p = next_place(w, &at);
        if (p && clock_mono_ms(w->clock) >= at)
            cycle_now(w, p);
    }
    return NULL;
}

struct worker *worker_start_switchable(const struct vault_config *cfg,
                                       const struct vault_config_flags *flags,
                                       const char *const *envp, struct queue *commands,
                                       struct queue *updates, struct vault_error *err)
{
    /* the address and TLS settings are checked here, before the thread */
    struct vault_client *probe = vault_client_new(cfg, err);
    if (!probe)
        return NULL;
    vault_client_free(probe);
    struct worker *w = xcalloc(1, sizeof(*w));
    w->start_cfg = cfg;
    w->cfg = cfg;
    w->flags = flags;
    w->envp = envp;
    w->commands = commands;
    w->updates = updates;
    w->clock = clock_system();
    w->seed = (unsigned)clock_wall(w->clock) ^ (unsigned)(uintptr_t)w;
    atomic_init(&w->stopping, false);
    w->deploy = deploy_service_new(&cfg->deploy, updates);
    bool hook = cfg->on_change && *cfg->on_change;
    if (hook || cfg->report_changes)
        w->watch = status_watch_new();
    if (hook && !(w->hooks = hook_service_start(cfg->on_change, cfg->hook_timeout_ms, updates)))
        queue_push(updates, msg_new_notice(true, "on_change: cannot start the hook's thread: "
                                                 "no hook will run"));
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        vault_error_set_config(err, "cannot start the worker thread");
        deploy_service_free(w->deploy);
        hook_service_stop(w->hooks);
        status_watch_free(w->watch);
        free(w);
        return NULL;
    }
    return w;
}

struct worker *worker_start(const struct vault_config *cfg, struct queue *commands,
                            struct queue *updates, struct vault_error *err)
{
    return worker_start_switchable(cfg, NULL, NULL, commands, updates, err);
}

void worker_stop(struct worker *w)
{
    if (!w)
        return;
    atomic_store(&w->stopping, true); /* no wait for a slow Vault */
    queue_push(w->commands, msg_new_quit());
    pthread_join(w->thread, NULL);
    for (size_t i = 0; i < w->deferred_count; i++)
        msg_free(w->deferred[i]);
    deploy_service_free(w->deploy); /* the responder stops, the checks end */
    hook_service_stop(w->hooks);    /* the hook running ends, within its timeout */
    status_watch_free(w->watch);
    places_close(w);                /* each cache saved */
    context_info_free(&w->info);
    if (w->own_cfg) {
        vault_config_free(w->own_cfg);
        free(w->own_cfg);
    }
    free(w->focus);
    free(w);
}
