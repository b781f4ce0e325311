/* worker: the Vault thread (see worker.h). Owns the Vault client, the
 * discovery state and the deploy service; shares nothing with the UI but
 * the two queues. */
#include "net/worker.h"

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
#include "net/vault_client.h"

#define FOCUS_DEBOUNCE_MS 300
#define ROLES_MAX 200 /* roles read for the new-order picker */
#define AFTER_ACTION_MS 1000
#define WHY_MAX 1600 /* a sentence for the operator (Vault's are up to 1536) */

struct worker {
    pthread_t thread;
    const struct vault_config *cfg;
    struct queue *commands, *updates;
    struct vault_client *client;
    struct discovery *discovery;
    struct deploy_service *deploy; /* responder and pre-flight checks */
    struct order_cache *cache;     /* orders kept across runs, NULL: --no-cache */
    long long cache_saved_ms;      /* monotonic, last save */
    const struct clock *clock;
    long long next_cycle_ms; /* monotonic */
    long long soon_ms;       /* an earlier cycle asked for by an action, 0 = none */
    long long focus_ms;      /* when to read the focused order (debounced), 0 = none */
    char *focus;             /* the order on the operator's screen */
    int failures;
    unsigned seed;
    atomic_bool stopping; /* set by worker_stop: cancels requests in flight */
    struct msg *deferred[8]; /* commands seen during a cycle, run after it */
    size_t deferred_count;
    struct status_watch *watch;  /* status changes, for on_change and --watch; NULL: neither */
    struct hook_service *hooks;  /* runs on_change; NULL: none set */
};

extern char **environ;

/* o's status changed from old: the hook, and --watch's line. */
static void status_changed(struct worker *w, const struct order *o, const char *old)
{
    if (w->hooks) {
        size_t n;
        char **env = hook_env_build((const char *const *)environ, o, old, w->cfg->mount, &n);
        char what[400];
        snprintf(what, sizeof what, "%.*s %s → %s", order_short_id_len(o->id), o->id,
                 *old ? old : "(new)", order_status_display(o));
        hook_service_submit(w->hooks, env, n, what);
    }
    if (w->cfg->report_changes)
        queue_push(w->updates, msg_new_status_change(o, old));
}

/* Every update of the orders goes through here: the changes are seen after
 * the update itself is posted. */
static void post_update(void *ctx, struct msg *m)
{
    struct worker *w = ctx;
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
        status_changed(w, &changes[i]->u.status_change.order, changes[i]->u.status_change.old_status);
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

#define CACHE_SAVE_EVERY_MS 30000

/* The orders of the last run, shown before the first request (in the
 * worker's thread: reading 100,000 of them takes a moment). */
static void cache_start(struct worker *w)
{
    if (!w->cfg->cache)
        return;
    w->cache = order_cache_open(NULL, w->cfg->addr, w->cfg->namespace_, w->cfg->mount, NULL);
    struct order *orders;
    size_t n;
    order_cache_load(w->cache, &orders, &n);
    if (order_cache_warning(w->cache))
        queue_push(w->updates, msg_new_notice(true, order_cache_warning(w->cache)));
    discovery_set_cache(w->discovery, w->cache);
    discovery_seed(w->discovery, orders, n, order_cache_current_at(w->cache));
    w->cache_saved_ms = clock_mono_ms(w->clock);
}

/* Write what changed, now and then and at the end. */
static void cache_save(struct worker *w, bool last)
{
    if (!w->cache)
        return;
    long long now = clock_mono_ms(w->clock);
    if (!last && now - w->cache_saved_ms < CACHE_SAVE_EVERY_MS)
        return;
    w->cache_saved_ms = now;
    bool had_warning = order_cache_warning(w->cache) != NULL;
    if (order_cache_save(w->cache) != 0 && !had_warning && !last)
        queue_push(w->updates, msg_new_notice(true, order_cache_warning(w->cache)));
    /* every change was watched up to the last cycle: the file is current now */
    if (last && w->failures == 0)
        order_cache_mark_current(w->cache);
}

static void cycle_now(struct worker *w)
{
    struct vault_error err;
    w->soon_ms = 0; /* actions during this cycle may ask for the next one */
    int rc = discovery_cycle(w->discovery, clock_wall(w->clock), &err);
    double delay = discovery_interval_s(w->discovery);
    if (rc == 0) {
        w->failures = 0;
        cache_save(w, false);
        if (w->watch) /* orders seen from now on are new ones */
            status_watch_listed(w->watch);
    } else {
        w->failures++;
        delay = backoff_delay(delay, w->failures, err.retry_after_s, &w->seed);
        int shown = (int)(delay + 0.5);
        discovery_report_failure(w->discovery, &err, shown > 0 ? shown : 1);
    }
    w->next_cycle_ms = clock_mono_ms(w->clock) + (long long)(delay * 1000);
}

/* An action wants the next cycle early (not while backing off). */
static void cycle_soon(struct worker *w, long long in_ms)
{
    long long at = clock_mono_ms(w->clock) + in_ms;
    if (w->failures == 0 && (!w->soon_ms || at < w->soon_ms))
        w->soon_ms = at;
}

static long long next_cycle_at(const struct worker *w)
{
    return w->soon_ms && w->soon_ms < w->next_cycle_ms ? w->soon_ms : w->next_cycle_ms;
}

/* When the worker must wake up next: a cycle, or the focused order's read. */
static long long next_wake_at(const struct worker *w)
{
    long long at = next_cycle_at(w);
    return w->focus_ms && w->focus_ms < at ? w->focus_ms : at;
}

/* CMD_FOCUS_ORDER: the operator's cursor moved. The order is read once,
 * FOCUS_DEBOUNCE_MS after the cursor stops (holding `j` reads nothing on
 * the way), and nothing else is sent. */
static void focus_order(struct worker *w, const char *order_id)
{
    discovery_set_focus(w->discovery, order_id);
    free(w->focus);
    w->focus = order_id ? xstrdup(order_id) : NULL;
    w->focus_ms = order_id ? clock_mono_ms(w->clock) + FOCUS_DEBOUNCE_MS : 0;
}

static void read_focus(struct worker *w)
{
    w->focus_ms = 0;
    if (w->focus && w->failures == 0) /* while Vault is down, the cycle's backoff rules */
        discovery_fetch_one(w->discovery, w->focus, clock_wall(w->clock));
}

/* ---- commands ---------------------------------------------------------- */

/* The role a command on an order needs: the one it carries, else the one
 * discovery knows. NULL with why set when unknown. */
static const char *order_role(struct worker *w, const char *given, const char *order_id,
                              char *why, size_t why_size)
{
    const char *role = given && *given ? given : discovery_order_role(w->discovery, order_id);
    if (!role)
        snprintf(why, why_size,
                 "the role of order %.1200s is not known yet: wait for its details and try "
                 "again",
                 order_id ? order_id : "?");
    return role;
}

/* order_role, answering the command with UPD_ACTION_RESULT when unknown. */
static const char *command_role(struct worker *w, const struct msg *m, const char *given,
                                const char *order_id)
{
    char why[WHY_MAX];
    const char *role = order_role(w, given, order_id, why, sizeof why);
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
    const char *id = m->u.challenge.order_id;
    const char *role = command_role(w, m, m->u.challenge.role, id);
    if (!role)
        return;
    char *path = vault_client_mount_path_escaped(w->client, "role/%s/order/%s/challenge", role, id);
    char *query = query_pair("identifier", m->u.challenge.identifier, "challenge_type",
                             m->u.challenge.challenge_type);
    struct vault_response r = {0};
    struct vault_error err;
    struct challenge_detail cd;
    struct parse_error perr;
    if (vault_client_get(w->client, path, query, &r, &err) != 0) {
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
static int post_json(struct worker *w, const struct msg *m, const char *path, cJSON *body,
                     const char *order_id, struct vault_response *r)
{
    char *text = cJSON_PrintUnformatted(body);
    struct vault_error err;
    int rc = vault_client_write(w->client, path, text, r, &err);
    cJSON_free(text);
    if (rc != 0)
        reply(w, m, order_id, false, vault_error_sentence(&err));
    return rc;
}

static void do_fulfill(struct worker *w, const struct msg *m)
{
    const char *id = m->u.challenge.order_id;
    const char *role = command_role(w, m, m->u.challenge.role, id);
    if (!role)
        return;
    char *path = vault_client_mount_path_escaped(w->client, "role/%s/order/%s/fulfilled-challenge",
                                                 role, id);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "identifier", m->u.challenge.identifier);
    cJSON_AddStringToObject(body, "challenge_type", m->u.challenge.challenge_type);
    struct vault_response r = {0};
    if (post_json(w, m, path, body, id, &r) == 0) {
        char text[1400];
        snprintf(text, sizeof(text), "%s challenge for %s marked fulfilled; the CA validates now",
                 m->u.challenge.challenge_type, m->u.challenge.identifier);
        reply(w, m, id, true, text);
        discovery_poke(w->discovery, id);
        cycle_soon(w, AFTER_ACTION_MS);
    }
    cJSON_Delete(body);
    vault_response_free(&r);
    free(path);
}

/* GET role/:role/order/:id/fetch-cert in format into *b (initialised here).
 * Returns 0, or -1 with why set (Vault's sentence, or why its answer could
 * not be read) and b empty. The answer, which may hold the private key, is
 * wiped either way. */
static int fetch_cert(struct worker *w, const char *role, const char *id, const char *format,
                      struct cert_bundle *b, char *why, size_t why_size)
{
    char *path =
        vault_client_mount_path_escaped(w->client, "role/%s/order/%s/fetch-cert", role, id);
    char *query = query_pair("certificate_format", format, NULL, NULL);
    struct vault_response r = {0};
    struct vault_error err;
    struct parse_error perr;
    int rc = -1;
    cert_bundle_init(b);
    if (vault_client_get(w->client, path, query, &r, &err) != 0)
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
    const char *id = m->u.fetch_cert.order_id;
    const char *role = command_role(w, m, m->u.fetch_cert.role, id);
    if (!role)
        return;
    struct cert_bundle b;
    char why[WHY_MAX];
    if (fetch_cert(w, role, id, m->u.fetch_cert.format ? m->u.fetch_cert.format : "pem", &b,
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
    const char *id = m->u.save_cert.order_id, *ident = m->u.save_cert.identifier;
    const char *dir = w->cfg->deploy.cert_dir;
    bool overwrite = m->u.save_cert.overwrite || w->cfg->deploy.cert_overwrite;
    char why[WHY_MAX];
    struct cert_bundle b;
    const char *role = order_role(w, m->u.save_cert.role, id, why, sizeof why);
    if (!role || fetch_cert(w, role, id, "pem", &b, why, sizeof why) != 0) {
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
    const char *role = m->u.new_order.role;
    if (!role || !*role) {
        reply(w, m, NULL, false, "a new order needs a role");
        return;
    }
    char *path = vault_client_mount_path_escaped(w->client, "role/%s/new-order", role, NULL);
    cJSON *body = cJSON_CreateObject();
    if (m->u.new_order.csr) {
        cJSON_AddStringToObject(body, "csr", m->u.new_order.csr);
    } else {
        cJSON *ids = cJSON_AddArrayToObject(body, "identifiers");
        for (size_t i = 0; i < m->u.new_order.identifier_count; i++)
            cJSON_AddItemToArray(ids, cJSON_CreateString(m->u.new_order.identifiers[i]));
    }
    struct vault_response r = {0};
    if (post_json(w, m, path, body, NULL, &r) == 0) {
        struct parse_error perr;
        char *oid = NULL;
        if (json_body_parse_data(r.body, r.body_len, parse_new_order_id, &oid, &perr) == 0) {
            char text[JSON_NAME_MAX + 32];
            snprintf(text, sizeof(text), "order %s created", oid);
            discovery_poke(w->discovery, oid);
            reply(w, m, oid, true, text);
        } else {
            reply(w, m, NULL, false,
                  "Vault accepted the new order but its answer carries no order_id; "
                  "it will appear with the next refresh");
        }
        cycle_soon(w, 0);
        free(oid);
    }
    cJSON_Delete(body);
    vault_response_free(&r);
    free(path);
}

static void do_revoke(struct worker *w, const struct msg *m)
{
    const char *id = m->u.revoke.order_id;
    const char *role = command_role(w, m, m->u.revoke.role, id);
    if (!role)
        return;
    char *path = vault_client_mount_path_escaped(w->client, "role/%s/order/%s/revoke", role, id);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "reason", m->u.revoke.reason ? m->u.revoke.reason : "unspecified");
    struct vault_response r = {0};
    if (post_json(w, m, path, body, id, &r) == 0) {
        char text[1400];
        snprintf(text, sizeof(text), "the certificate of order %s is revoked (reason %s)", id,
                 m->u.revoke.reason ? m->u.revoke.reason : "unspecified");
        reply(w, m, id, true, text);
        discovery_poke(w->discovery, id);
        cycle_soon(w, 0);
    }
    cJSON_Delete(body);
    vault_response_free(&r);
    free(path);
}

/* The role names for the picker: LIST role, else the roles given with
 * --role. NULL and *why set when there are none. */
static char **role_names(struct worker *w, size_t *n, char *why, size_t why_size)
{
    char *path = vault_client_mount_path(w->client, "role");
    struct vault_error err;
    char **keys = NULL;
    why[0] = '\0';
    if (vault_client_list_keys(w->client, path, &keys, n, &err) != 0)
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
    char why[1200];
    size_t n;
    char **names = role_names(w, &n, why, sizeof why);
    if (n == 0) {
        strv_free(names, 0);
        queue_push(w->updates, msg_new_roles_take(m->request_id, NULL, 0,
                                                  why[0] ? why : "no roles found"));
        return;
    }
    struct vault_request *reqs = xcalloc(n, sizeof(*reqs));
    for (size_t i = 0; i < n; i++) {
        reqs[i].method = "GET";
        reqs[i].path = vault_client_mount_path_escaped(w->client, "role/%s", names[i], NULL);
    }
    vault_client_batch(w->client, reqs, n);
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
    char *path = vault_client_mount_path(w->client, m->u.raw_read.path);
    struct vault_response r = {0};
    struct vault_error err;
    char *json = NULL;
    const char *why = NULL;
    if (vault_client_get(w->client, path, m->u.raw_read.query, &r, &err) != 0)
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
    /* "role/web?force=true": Vault reads a DELETE's parameters from the query */
    char *rest = xstrdup(m->u.write.path);
    char *query = strchr(rest, '?');
    if (query)
        *query++ = '\0';
    char *path = vault_client_mount_path(w->client, rest);
    struct vault_response r = {0};
    struct vault_error err;
    int rc = vault_client_request(w->client, m->u.write.method, path, query, m->u.write.body, &r,
                                  &err);
    free(rest);
    char *json = rc == 0 && r.body_len ? resource_data_json(r.body, r.body_len) : NULL;
    queue_push(w->updates, msg_new_written(m->request_id, rc == 0, r.status, json,
                                           rc == 0 ? NULL : vault_error_sentence(&err)));
    free(json);
    vault_response_free(&r);
    free(path);
    if (rc == 0)
        cycle_soon(w, AFTER_ACTION_MS); /* the orders may show what changed */
}

/* Returns false when the worker must stop. */
static bool handle_command(struct worker *w, const struct msg *m)
{
    if (deploy_service_handle(w->deploy, m))
        return true;
    switch (m->type) {
    case CMD_QUIT:
        return false;
    case CMD_REFRESH:
        discovery_poke_all(w->discovery);
        w->failures = 0;
        cycle_now(w);
        reply(w, m, NULL, w->failures == 0,
              w->failures == 0 ? "refreshed" : "refresh failed: see the connection state");
        break;
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
        queue_push(w->updates, resource_read(w->client, m->request_id, m->u.read.kind));
        break;
    default:
        break; /* updates are not commands: ignore */
    }
    return true;
}

/* Between detail batches of a long cycle: carry out the operator's commands
 * that are one Vault call each; keep the ones that need a cycle (refresh) or
 * end it (quit) for afterwards. */
static void worker_yield(void *ctx)
{
    struct worker *w = ctx;
    while (w->deferred_count < sizeof(w->deferred) / sizeof(w->deferred[0])) {
        struct msg *m = queue_pop(w->commands);
        if (!m)
            return;
        if (m->type == CMD_QUIT || m->type == CMD_REFRESH) {
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
    cache_start(w);
    w->next_cycle_ms = clock_mono_ms(w->clock);
    for (;;) {
        long long wait = next_wake_at(w) - clock_mono_ms(w->clock);
        struct msg *m = next_command(w, wait > 0 ? (int)(wait > 3600000 ? 3600000 : wait) : 0);
        if (m) {
            bool go_on = handle_command(w, m);
            msg_free(m);
            if (!go_on)
                break;
            continue;
        }
        if (queue_is_closed(w->commands) || atomic_load(&w->stopping))
            break;
        if (w->focus_ms && clock_mono_ms(w->clock) >= w->focus_ms)
            read_focus(w);
        if (clock_mono_ms(w->clock) >= next_cycle_at(w))
            cycle_now(w);
    }
    return NULL;
}

struct worker *worker_start(const struct vault_config *cfg, struct queue *commands,
                            struct queue *updates, struct vault_error *err)
{
    struct vault_client *client = vault_client_new(cfg, err);
    if (!client)
        return NULL;
    struct worker *w = xcalloc(1, sizeof(*w));
    w->cfg = cfg;
    w->commands = commands;
    w->updates = updates;
    w->client = client;
    w->clock = clock_system();
    w->seed = (unsigned)clock_wall(w->clock) ^ (unsigned)(uintptr_t)w;
    atomic_init(&w->stopping, false);
    vault_client_set_cancel(client, &w->stopping);
    w->discovery = discovery_new(client, cfg, post_update, w);
    discovery_set_yield(w->discovery, worker_yield, w);
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
        discovery_free(w->discovery);
        vault_client_free(client);
        free(w);
        return NULL;
    }
    return w;
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
    cache_save(w, true);
    order_cache_free(w->cache);
    discovery_free(w->discovery);
    vault_client_free(w->client);
    free(w->focus);
    free(w);
}
