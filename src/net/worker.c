/* worker: the Vault thread (see worker.h). Owns the Vault client and the
 * discovery state; shares nothing with the UI but the two queues. */
#include "net/worker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "model/cert_bundle.h"
#include "model/challenge_detail.h"
#include "model/json_body.h"
#include "model/json_field.h"
#include "model/role_info.h"
#include "model/strv.h"
#include "model/xalloc.h"
#include "net/backoff.h"
#include "net/discovery.h"
#include "net/vault_client.h"

#define FOCUS_DEBOUNCE_MS 300
#define ROLES_MAX 200 /* roles read for the new-order picker */
#define AFTER_ACTION_MS 1000

struct worker {
    pthread_t thread;
    const struct vault_config *cfg;
    struct queue *commands, *updates;
    struct vault_client *client;
    struct discovery *discovery;
    long long next_cycle_ms; /* monotonic */
    long long soon_ms;       /* an earlier cycle asked for by an action, 0 = none */
    int failures;
    unsigned seed;
    atomic_bool stopping; /* set by worker_stop: cancels requests in flight */
    struct msg *deferred[8]; /* commands seen during a cycle, run after it */
    size_t deferred_count;
};

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void post_update(void *ctx, struct msg *m)
{
    struct worker *w = ctx;
    queue_push(w->updates, m);
}

static void reply(struct worker *w, const struct msg *cmd, const char *order_id, bool ok,
                  const char *message)
{
    queue_push(w->updates, msg_new_action_result(cmd->request_id, cmd->type, order_id, ok, message));
}

/* ---- the poll cycle ---------------------------------------------------- */

static void cycle_now(struct worker *w)
{
    struct vault_error err;
    w->soon_ms = 0; /* actions during this cycle may ask for the next one */
    int rc = discovery_cycle(w->discovery, time(NULL), &err);
    double delay = w->cfg->poll_interval_s > 0 ? w->cfg->poll_interval_s : 5;
    if (rc == 0) {
        w->failures = 0;
    } else {
        w->failures++;
        delay = backoff_delay(delay, w->failures, err.retry_after_s, &w->seed);
        int shown = (int)(delay + 0.5);
        discovery_report_failure(w->discovery, &err, shown > 0 ? shown : 1);
    }
    w->next_cycle_ms = mono_ms() + (long long)(delay * 1000);
}

/* An action wants the next cycle early (not while backing off). */
static void cycle_soon(struct worker *w, long long in_ms)
{
    long long at = mono_ms() + in_ms;
    if (w->failures == 0 && (!w->soon_ms || at < w->soon_ms))
        w->soon_ms = at;
}

static long long next_cycle_at(const struct worker *w)
{
    return w->soon_ms && w->soon_ms < w->next_cycle_ms ? w->soon_ms : w->next_cycle_ms;
}

/* ---- commands ---------------------------------------------------------- */

/* The role a command on an order needs: the one it carries, else the one
 * discovery knows. NULL (and an answer to the UI) when unknown. */
static const char *command_role(struct worker *w, const struct msg *m, const char *given,
                                const char *order_id)
{
    const char *role = given && *given ? given : discovery_order_role(w->discovery, order_id);
    if (!role) {
        char text[1400];
        snprintf(text, sizeof(text),
                 "the role of order %s is not known yet: wait for its details and try again",
                 order_id);
        reply(w, m, order_id, false, text);
    }
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

static void do_fetch_cert(struct worker *w, const struct msg *m)
{
    const char *id = m->u.fetch_cert.order_id;
    const char *role = command_role(w, m, m->u.fetch_cert.role, id);
    if (!role)
        return;
    char *path =
        vault_client_mount_path_escaped(w->client, "role/%s/order/%s/fetch-cert", role, id);
    char *query = query_pair("certificate_format",
                             m->u.fetch_cert.format ? m->u.fetch_cert.format : "pem", NULL, NULL);
    struct vault_response r = {0};
    struct vault_error err;
    struct cert_bundle b;
    struct parse_error perr;
    if (vault_client_get(w->client, path, query, &r, &err) != 0) {
        reply(w, m, id, false, vault_error_sentence(&err));
    } else if (cert_bundle_parse_response(r.body, r.body_len, &b, &perr) != 0) {
        char text[600];
        snprintf(text, sizeof(text), "Vault's certificate answer could not be read: %s",
                 perr.message);
        reply(w, m, id, false, text);
    } else {
        queue_push(w->updates, msg_new_cert_take(m->request_id, id, &b));
    }
    if (r.body) /* the answer may hold the private key */
        OPENSSL_cleanse(r.body, r.body_len);
    vault_response_free(&r);
    free(path);
    free(query);
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
        cJSON *root = json_body_parse(r.body, r.body_len, &perr);
        const cJSON *data = root ? json_body_data(root, &perr) : NULL;
        const cJSON *oid = data ? cJSON_GetObjectItemCaseSensitive(data, "order_id") : NULL;
        if (cJSON_IsString(oid) && json_name_is_clean(oid->valuestring) &&
            strlen(oid->valuestring) < 512) {
            char text[700];
            snprintf(text, sizeof(text), "order %s created", oid->valuestring);
            discovery_poke(w->discovery, oid->valuestring);
            reply(w, m, oid->valuestring, true, text);
            cycle_soon(w, 0);
        } else {
            reply(w, m, NULL, false,
                  "Vault accepted the new order but its answer carries no order_id; "
                  "it will appear with the next refresh");
            cycle_soon(w, 0);
        }
        cJSON_Delete(root);
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

/* Returns false when the worker must stop. */
static bool handle_command(struct worker *w, const struct msg *m)
{
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
        discovery_set_focus(w->discovery, m->u.focus.order_id);
        if (m->u.focus.order_id)
            cycle_soon(w, FOCUS_DEBOUNCE_MS);
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
    case CMD_NEW_ORDER:
        do_new_order(w, m);
        break;
    case CMD_REVOKE:
        do_revoke(w, m);
        break;
    case CMD_LIST_ROLES:
        do_list_roles(w, m);
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
    w->next_cycle_ms = mono_ms();
    for (;;) {
        long long wait = next_cycle_at(w) - mono_ms();
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
        if (mono_ms() >= next_cycle_at(w))
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
    w->seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)w;
    atomic_init(&w->stopping, false);
    vault_client_set_cancel(client, &w->stopping);
    w->discovery = discovery_new(client, cfg, post_update, w);
    discovery_set_yield(w->discovery, worker_yield, w);
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        vault_error_set_config(err, "cannot start the worker thread");
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
    discovery_free(w->discovery);
    vault_client_free(w->client);
    free(w);
}
