/* msg: constructors and destructor of the messages between UI and engine.
 * Every constructor copies (or, for *_take, moves) its inputs so that a
 * message never points into the sender's data; msg_free releases all of it
 * (private keys are wiped by cert_bundle_free). */
#include "model/msg.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "model/strv.h"
#include "model/xalloc.h"

static struct msg *msg_alloc(enum msg_type type, uint64_t request_id)
{
    struct msg *m = xcalloc(1, sizeof *m);
    m->type = type;
    m->request_id = request_id;
    return m;
}

struct msg *msg_new_refresh(uint64_t request_id)
{
    return msg_alloc(CMD_REFRESH, request_id);
}

struct msg *msg_new_focus_order(uint64_t request_id, const char *order_id)
{
    struct msg *m = msg_alloc(CMD_FOCUS_ORDER, request_id);
    m->u.focus.order_id = xstrdup(order_id);
    return m;
}

static struct msg *challenge_cmd(enum msg_type type, uint64_t request_id,
                                 const char *order_id, const char *role,
                                 const char *identifier,
                                 const char *challenge_type)
{
    struct msg *m = msg_alloc(type, request_id);
    m->u.challenge.order_id = xstrdup(order_id);
    m->u.challenge.role = xstrdup(role);
    m->u.challenge.identifier = xstrdup(identifier);
    m->u.challenge.challenge_type = xstrdup(challenge_type);
    return m;
}

struct msg *msg_new_fetch_challenge(uint64_t request_id, const char *order_id,
                                    const char *role, const char *identifier,
                                    const char *challenge_type)
{
    return challenge_cmd(CMD_FETCH_CHALLENGE, request_id, order_id, role,
                         identifier, challenge_type);
}

struct msg *msg_new_fulfill_challenge(uint64_t request_id,
                                      const char *order_id, const char *role,
                                      const char *identifier,
                                      const char *challenge_type)
{
    return challenge_cmd(CMD_FULFILL_CHALLENGE, request_id, order_id, role,
                         identifier, challenge_type);
}

struct msg *msg_new_fetch_cert(uint64_t request_id, const char *order_id,
                               const char *role, const char *format)
{
    struct msg *m = msg_alloc(CMD_FETCH_CERT, request_id);
    m->u.fetch_cert.order_id = xstrdup(order_id);
    m->u.fetch_cert.role = xstrdup(role);
    m->u.fetch_cert.format = xstrdup(format);
    return m;
}

struct msg *msg_new_new_order(uint64_t request_id, const char *role,
                              const char *const *identifiers, size_t n,
                              const char *csr)
{
    struct msg *m = msg_alloc(CMD_NEW_ORDER, request_id);
    m->u.new_order.role = xstrdup(role);
    m->u.new_order.identifiers = strv_copy(identifiers, identifiers ? n : 0);
    m->u.new_order.identifier_count = identifiers ? n : 0;
    m->u.new_order.csr = xstrdup(csr);
    return m;
}

struct msg *msg_new_revoke(uint64_t request_id, const char *order_id,
                           const char *role, const char *reason)
{
    struct msg *m = msg_alloc(CMD_REVOKE, request_id);
    m->u.revoke.order_id = xstrdup(order_id);
    m->u.revoke.role = xstrdup(role);
    m->u.revoke.reason = xstrdup(reason);
    return m;
}

struct msg *msg_new_list_roles(uint64_t request_id)
{
    return msg_alloc(CMD_LIST_ROLES, request_id);
}

struct msg *msg_new_read_resources(uint64_t request_id, enum resource_kind kind)
{
    struct msg *m = msg_alloc(CMD_READ_RESOURCES, request_id);
    m->u.read.kind = kind;
    return m;
}

struct msg *msg_new_read_raw(uint64_t request_id, const char *path, const char *query)
{
    struct msg *m = msg_alloc(CMD_READ_RAW, request_id);
    m->u.raw_read.path = xstrdup(path ? path : "");
    m->u.raw_read.query = query ? xstrdup(query) : NULL;
    return m;
}

struct msg *msg_new_write(uint64_t request_id, const char *method, const char *path,
                          const char *body)
{
    struct msg *m = msg_alloc(CMD_WRITE, request_id);
    m->u.write.method = xstrdup(method ? method : "POST");
    m->u.write.path = xstrdup(path ? path : "");
    m->u.write.body = body ? xstrdup(body) : NULL;
    return m;
}

struct msg *msg_new_preflight_check(uint64_t request_id, const char *order_id,
                                    const char *identifier, const char *challenge_type,
                                    const char *token, const char *key_authorization)
{
    struct msg *m = msg_alloc(CMD_PREFLIGHT, request_id);
    m->u.check.order_id = xstrdup(order_id);
    m->u.check.identifier = xstrdup(identifier);
    m->u.check.challenge_type = xstrdup(challenge_type);
    m->u.check.token = xstrdup(token);
    m->u.check.key_authorization = xstrdup(key_authorization);
    return m;
}

struct msg *msg_new_serve(uint64_t request_id, const char *challenge_type, const char *order_id,
                          const char *identifier, const char *token,
                          const char *key_authorization)
{
    struct msg *m = msg_alloc(CMD_SERVE, request_id);
    m->u.serve.challenge_type = xstrdup(challenge_type);
    m->u.serve.order_id = xstrdup(order_id);
    m->u.serve.identifier = xstrdup(identifier);
    m->u.serve.token = xstrdup(token);
    m->u.serve.key_authorization = xstrdup(key_authorization);
    return m;
}

struct msg *msg_new_stop_responder(uint64_t request_id)
{
    return msg_alloc(CMD_STOP_RESPONDER, request_id);
}

struct msg *msg_new_forget_order(uint64_t request_id, const char *order_id)
{
    struct msg *m = msg_alloc(CMD_FORGET_ORDER, request_id);
    m->u.forget.order_id = xstrdup(order_id);
    return m;
}

struct msg *msg_new_save_cert(uint64_t request_id, const char *order_id, const char *role,
                              const char *identifier, bool overwrite)
{
    struct msg *m = msg_alloc(CMD_SAVE_CERT, request_id);
    m->u.save_cert.order_id = xstrdup(order_id);
    m->u.save_cert.role = xstrdup(role);
    m->u.save_cert.identifier = xstrdup(identifier);
    m->u.save_cert.overwrite = overwrite;
    return m;
}

struct msg *msg_new_quit(void)
{
    return msg_alloc(CMD_QUIT, 0);
}

struct msg *msg_new_orders(uint64_t request_id, const struct order *orders,
                           size_t n, bool complete_list)
{
    struct order *copy = NULL;
    if (orders && n) {
        copy = xcalloc(n, sizeof *copy);
        for (size_t i = 0; i < n; i++)
            order_copy(&copy[i], &orders[i]);
    }
    return msg_new_orders_take(request_id, copy, copy ? n : 0, complete_list);
}

struct msg *msg_new_orders_take(uint64_t request_id, struct order *orders,
                                size_t n, bool complete_list)
{
    struct msg *m = msg_alloc(UPD_ORDERS, request_id);
    m->u.orders.items = orders;
    m->u.orders.count = orders ? n : 0;
    m->u.orders.complete_list = complete_list;
    return m;
}

struct msg *msg_new_order_detail(uint64_t request_id, const struct order *o)
{
    struct msg *m = msg_alloc(UPD_ORDER_DETAIL, request_id);
    order_copy(&m->u.order_detail.order, o);
    return m;
}

struct msg *msg_new_order_detail_take(uint64_t request_id, struct order *o)
{
    struct msg *m = msg_alloc(UPD_ORDER_DETAIL, request_id);
    order_init(&m->u.order_detail.order);
    order_move(&m->u.order_detail.order, o);
    return m;
}

struct msg *msg_new_order_failed(uint64_t request_id, const char *order_id,
                                 const char *error)
{
    struct msg *m = msg_alloc(UPD_ORDER_FAILED, request_id);
    m->u.order_failed.order_id = xstrdup(order_id);
    m->u.order_failed.error = xstrdup(error);
    return m;
}

struct msg *msg_new_challenge_detail(uint64_t request_id, const char *order_id,
                                     const char *identifier,
                                     const char *challenge_type,
                                     const struct challenge_detail *d)
{
    struct msg *m = msg_alloc(UPD_CHALLENGE_DETAIL, request_id);
    m->u.challenge_detail.order_id = xstrdup(order_id);
    m->u.challenge_detail.identifier = xstrdup(identifier);
    m->u.challenge_detail.challenge_type = xstrdup(challenge_type);
    if (d)
        challenge_detail_copy(&m->u.challenge_detail.detail, d);
    else
        challenge_detail_init(&m->u.challenge_detail.detail);
    return m;
}

static bool has_private_key(const struct cert_bundle *b)
{
    return b && b->private_key && b->private_key[0];
}

struct msg *msg_new_cert(uint64_t request_id, const char *order_id,
                         const struct cert_bundle *b)
{
    struct msg *m = msg_alloc(UPD_CERT, request_id);
    m->u.cert.order_id = xstrdup(order_id);
    m->u.cert.had_private_key = has_private_key(b);
    if (b)
        cert_bundle_copy(&m->u.cert.bundle, b);
    else
        cert_bundle_init(&m->u.cert.bundle);
    return m;
}

struct msg *msg_new_cert_take(uint64_t request_id, const char *order_id,
                              struct cert_bundle *b)
{
    struct msg *m = msg_alloc(UPD_CERT, request_id);
    m->u.cert.order_id = xstrdup(order_id);
    m->u.cert.had_private_key = has_private_key(b);
    cert_bundle_init(&m->u.cert.bundle);
    if (b)
        cert_bundle_move(&m->u.cert.bundle, b);
    return m;
}

struct msg *msg_new_cert_take_keyless(uint64_t request_id, const char *order_id,
                                      struct cert_bundle *b)
{
    struct msg *m = msg_new_cert_take(request_id, order_id, b);
    struct cert_bundle key; /* cert_bundle_free is the one place that wipes keys */
    cert_bundle_init(&key);
    key.private_key = m->u.cert.bundle.private_key;
    m->u.cert.bundle.private_key = NULL;
    cert_bundle_free(&key);
    return m;
}

struct msg *msg_new_connection(enum conn_state state, const char *text,
                               int retry_in, const char *const *denied_paths,
                               size_t denied_count, time_t oldest_verified_at)
{
    struct msg *m = msg_alloc(UPD_CONNECTION, 0);
    m->u.connection.state = state;
    m->u.connection.text = xstrdup(text);
    m->u.connection.retry_in = retry_in;
    m->u.connection.denied_paths =
        strv_copy(denied_paths, denied_paths ? denied_count : 0);
    m->u.connection.denied_count = denied_paths ? denied_count : 0;
    m->u.connection.oldest_verified_at = oldest_verified_at;
    return m;
}

struct msg *msg_new_token_info(uint64_t request_id, const struct token_info *t)
{
    struct msg *m = msg_alloc(UPD_TOKEN_INFO, request_id);
    if (t)
        token_info_copy(&m->u.token.info, t);
    else
        token_info_init(&m->u.token.info);
    return m;
}

struct msg *msg_new_action_result(uint64_t request_id, enum msg_type command,
                                  const char *order_id, bool ok,
                                  const char *message)
{
    struct msg *m = msg_alloc(UPD_ACTION_RESULT, request_id);
    m->u.action_result.command = command;
    m->u.action_result.order_id = xstrdup(order_id);
    m->u.action_result.ok = ok;
    m->u.action_result.message = xstrdup(message);
    return m;
}

struct msg *msg_new_roles_take(uint64_t request_id, struct role_info *items, size_t n,
                               const char *error)
{
    struct msg *m = msg_alloc(UPD_ROLES, request_id);
    m->u.roles.items = items;
    m->u.roles.count = items ? n : 0;
    m->u.roles.error = xstrdup(error);
    return m;
}

static char *copy_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

struct msg *msg_new_preflight(uint64_t request_id, const char *order_id,
                              const char *identifier, const char *challenge_type,
                              enum msg_check status, const char *expected,
                              const char *found, const char *why, const char *where)
{
    struct msg *m = msg_alloc(UPD_PREFLIGHT, request_id);
    m->u.preflight.order_id = copy_or_empty(order_id);
    m->u.preflight.identifier = copy_or_empty(identifier);
    m->u.preflight.challenge_type = copy_or_empty(challenge_type);
    m->u.preflight.status = status;
    m->u.preflight.expected = copy_or_empty(expected);
    m->u.preflight.found = copy_or_empty(found);
    m->u.preflight.why = copy_or_empty(why);
    m->u.preflight.where = copy_or_empty(where);
    m->u.preflight.servers = copy_or_empty(NULL);
    return m;
}

void msg_preflight_set_servers(struct msg *m, const char *servers)
{
    free(m->u.preflight.servers);
    m->u.preflight.servers = copy_or_empty(servers);
}

struct msg *msg_new_responder_hit(const char *remote, const char *method, const char *path,
                                  const char *token, int status, size_t bytes)
{
    struct msg *m = msg_alloc(UPD_RESPONDER_HIT, 0);
    m->u.hit.remote = copy_or_empty(remote);
    m->u.hit.method = copy_or_empty(method);
    m->u.hit.path = copy_or_empty(path);
    m->u.hit.token = copy_or_empty(token);
    m->u.hit.status = status;
    m->u.hit.bytes = bytes;
    return m;
}

struct msg_served_token *msg_served_tokens_copy(const struct msg_served_token *t, size_t n)
{
    if (!t || !n)
        return NULL;
    struct msg_served_token *out = xcalloc(n, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        out[i].order_id = copy_or_empty(t[i].order_id);
        out[i].identifier = copy_or_empty(t[i].identifier);
        out[i].token = copy_or_empty(t[i].token);
        out[i].challenge_type = copy_or_empty(t[i].challenge_type);
    }
    return out;
}

static void served_token_clear(struct msg_served_token *t)
{
    free(t->order_id);
    free(t->identifier);
    free(t->token);
    free(t->challenge_type);
}

void msg_served_tokens_free(struct msg_served_token *t, size_t n)
{
    for (size_t i = 0; t && i < n; i++)
        served_token_clear(&t[i]);
    free(t);
}

void msg_served_tokens_drop_order(struct msg_served_token *t, size_t *n, const char *order_id,
                                  void (*drop)(const struct msg_served_token *t, void *ctx),
                                  void *ctx)
{
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++) {
        if (strcmp(t[i].order_id, order_id) != 0) {
            t[kept++] = t[i];
            continue;
        }
        if (drop)
            drop(&t[i], ctx);
        served_token_clear(&t[i]);
    }
    *n = kept;
}

struct msg *msg_new_responder(uint64_t request_id, bool running, const char *address,
                              const struct msg_served_token *served, size_t served_count,
                              unsigned long total_hits, bool ok, const char *message)
{
    struct msg *m = msg_alloc(UPD_RESPONDER, request_id);
    m->u.responder.running = running;
    m->u.responder.address = copy_or_empty(address);
    if (served && served_count) {
        m->u.responder.served = msg_served_tokens_copy(served, served_count);
        m->u.responder.served_count = served_count;
    }
    m->u.responder.total_hits = total_hits;
    m->u.responder.ok = ok;
    m->u.responder.message = copy_or_empty(message);
    m->u.responder.tls_address = copy_or_empty(NULL);
    return m;
}

void msg_responder_set_tls(struct msg *m, bool running, const char *address,
                           unsigned long handshakes)
{
    m->u.responder.tls_running = running;
    free(m->u.responder.tls_address);
    m->u.responder.tls_address = copy_or_empty(address);
    m->u.responder.tls_total = handshakes;
}

struct msg *msg_new_responder_dropped(bool tlsalpn01, unsigned long total)
{
    struct msg *m = msg_alloc(UPD_RESPONDER_DROPPED, 0);
    m->u.dropped.total = total;
    m->u.dropped.tlsalpn01 = tlsalpn01;
    return m;
}

struct msg *msg_new_handshake(const char *remote, const char *sni, bool served,
                              const char *outcome, const char *detail)
{
    struct msg *m = msg_alloc(UPD_HANDSHAKE, 0);
    m->u.handshake.remote = copy_or_empty(remote);
    m->u.handshake.sni = copy_or_empty(sni);
    m->u.handshake.served = served;
    m->u.handshake.outcome = copy_or_empty(outcome);
    m->u.handshake.detail = copy_or_empty(detail);
    return m;
}

struct msg *msg_new_notice(bool error, const char *text)
{
    struct msg *m = msg_alloc(UPD_NOTICE, 0);
    m->u.notice.error = error;
    m->u.notice.text = copy_or_empty(text);
    return m;
}

struct msg *msg_new_status_change(const struct order *o, const char *old_status)
{
    struct msg *m = msg_alloc(UPD_STATUS_CHANGE, 0);
    order_copy(&m->u.status_change.order, o);
    m->u.status_change.old_status = copy_or_empty(old_status);
    return m;
}

struct msg *msg_new_dns_providers_take(bool known, struct dns_provider *items, size_t n)
{
    struct msg *m = msg_alloc(UPD_DNS_PROVIDERS, 0);
    m->u.dns_providers.known = known;
    m->u.dns_providers.items = known ? items : NULL;
    m->u.dns_providers.count = known ? n : 0;
    if (!known)
        dns_providers_free(items, n);
    return m;
}

struct msg *msg_new_switch_context(uint64_t request_id, const char *context,
                                   const char *namespace_)
{
    struct msg *m = msg_alloc(CMD_SWITCH_CONTEXT, request_id);
    m->u.switch_to.context = context ? xstrdup(context) : NULL;
    m->u.switch_to.namespace_ = namespace_ ? xstrdup(namespace_) : NULL;
    return m;
}

struct msg *msg_new_list_namespaces(uint64_t request_id)
{
    return msg_alloc(CMD_LIST_NAMESPACES, request_id);
}

struct msg *msg_new_context(const struct context_info *c)
{
    struct msg *m = msg_alloc(UPD_CONTEXT, 0);
    context_info_copy(&m->u.context, c);
    return m;
}

struct msg *msg_new_namespaces_take(uint64_t request_id, struct context_place *items, size_t n,
                                    const char *error)
{
    struct msg *m = msg_alloc(UPD_NAMESPACES, request_id);
    m->u.namespaces.items = items;
    m->u.namespaces.count = n;
    m->u.namespaces.error = error ? xstrdup(error) : NULL;
    return m;
}

struct msg *msg_new_resources_take(uint64_t request_id, enum resource_kind kind,
                                   struct resource_item *items, size_t n, bool listed,
                                   const char *error)
{
    struct msg *m = msg_alloc(UPD_RESOURCES, request_id);
    m->u.resources.kind = kind;
    m->u.resources.items = items;
    m->u.resources.count = items ? n : 0;
    m->u.resources.listed = listed;
    m->u.resources.error = error ? xstrdup(error) : NULL;
    return m;
}

struct msg *msg_new_written(uint64_t request_id, bool ok, long status, const char *json,
                            const char *error)
{
    struct msg *m = msg_alloc(UPD_WRITE, request_id);
    m->u.written.ok = ok;
    m->u.written.status = status;
    m->u.written.json = json ? xstrdup(json) : NULL;
    m->u.written.error = error ? xstrdup(error) : NULL;
    return m;
}

struct msg *msg_new_raw(uint64_t request_id, const char *path, const char *json,
                        const char *error)
{
    struct msg *m = msg_alloc(UPD_RAW, request_id);
    m->u.raw.path = xstrdup(path ? path : "");
    m->u.raw.json = json ? xstrdup(json) : NULL;
    m->u.raw.error = error ? xstrdup(error) : NULL;
    return m;
}

struct msg *msg_new_cert_save(uint64_t request_id, const char *order_id,
                              enum cert_save_outcome outcome, const char *text,
                              bool key_written)
{
    struct msg *m = msg_alloc(UPD_CERT_SAVE, request_id);
    m->u.cert_save.order_id = copy_or_empty(order_id);
    m->u.cert_save.outcome = outcome;
    m->u.cert_save.text = copy_or_empty(text);
    m->u.cert_save.key_written = key_written;
    return m;
}

const char *msg_check_name(enum msg_check s)
{
    switch (s) {
    case MSG_CHECK_OK: return "OK";
    case MSG_CHECK_MISMATCH: return "mismatch";
    case MSG_CHECK_UNREACHABLE: return "unreachable";
    }
    return "?";
}

/* What a command (CMD_*) owns. Key authorizations are plain strings here. */
static void free_command(struct msg *m)
{
    switch (m->type) {
    case CMD_REFRESH:
    case CMD_LIST_ROLES:
    case CMD_READ_RESOURCES:
    case CMD_STOP_RESPONDER:
    case CMD_LIST_NAMESPACES:
    case CMD_QUIT:
        break;
    case CMD_SWITCH_CONTEXT:
        free(m->u.switch_to.context);
        free(m->u.switch_to.namespace_);
        break;
    case CMD_FOCUS_ORDER:
        free(m->u.focus.order_id);
        break;
    case CMD_READ_RAW:
        free(m->u.raw_read.path);
        free(m->u.raw_read.query);
        break;
    case CMD_WRITE:
        free(m->u.write.method);
        free(m->u.write.path);
        if (m->u.write.body)
            OPENSSL_cleanse(m->u.write.body, strlen(m->u.write.body));
        free(m->u.write.body);
        break;
    case CMD_FETCH_CHALLENGE:
    case CMD_FULFILL_CHALLENGE:
        free(m->u.challenge.order_id);
        free(m->u.challenge.role);
        free(m->u.challenge.identifier);
        free(m->u.challenge.challenge_type);
        break;
    case CMD_FETCH_CERT:
        free(m->u.fetch_cert.order_id);
        free(m->u.fetch_cert.role);
        free(m->u.fetch_cert.format);
        break;
    case CMD_NEW_ORDER:
        free(m->u.new_order.role);
        strv_free(m->u.new_order.identifiers, m->u.new_order.identifier_count);
        free(m->u.new_order.csr);
        break;
    case CMD_PREFLIGHT:
        free(m->u.check.order_id);
        free(m->u.check.identifier);
        free(m->u.check.challenge_type);
        free(m->u.check.token);
        free(m->u.check.key_authorization);
        break;
    case CMD_SERVE:
        free(m->u.serve.challenge_type);
        free(m->u.serve.order_id);
        free(m->u.serve.identifier);
        free(m->u.serve.token);
        free(m->u.serve.key_authorization);
        break;
    case CMD_FORGET_ORDER:
        free(m->u.forget.order_id);
        break;
    case CMD_SAVE_CERT:
        free(m->u.save_cert.order_id);
        free(m->u.save_cert.role);
        free(m->u.save_cert.identifier);
        break;
    case CMD_REVOKE:
        free(m->u.revoke.order_id);
        free(m->u.revoke.role);
        free(m->u.revoke.reason);
        break;
    default: /* an update: free_update */
        break;
    }
}

static void free_orders_list(struct msg *m)
{
    if (m->u.orders.items) {
        for (size_t i = 0; i < m->u.orders.count; i++)
            order_clear(&m->u.orders.items[i]);
        free(m->u.orders.items);
    }
}

static void free_roles_list(struct msg *m)
{
    for (size_t i = 0; i < m->u.roles.count; i++)
        role_info_free(&m->u.roles.items[i]);
    free(m->u.roles.items);
    free(m->u.roles.error);
}

static void free_preflight_result(struct msg *m)
{
    free(m->u.preflight.order_id);
    free(m->u.preflight.identifier);
    free(m->u.preflight.challenge_type);
    free(m->u.preflight.expected);
    free(m->u.preflight.found);
    free(m->u.preflight.why);
    free(m->u.preflight.where);
    free(m->u.preflight.servers);
}

static void free_responder_state(struct msg *m)
{
    free(m->u.responder.address);
    msg_served_tokens_free(m->u.responder.served, m->u.responder.served_count);
    free(m->u.responder.message);
    free(m->u.responder.tls_address);
}

/* What an update (UPD_*) owns; cert_bundle_free wipes a private key. */
static void free_update(struct msg *m)
{
    switch (m->type) {
    case MSG_TYPE_COUNT:
        break;
    case UPD_ORDERS:
        free_orders_list(m);
        break;
    case UPD_ORDER_DETAIL:
        order_clear(&m->u.order_detail.order);
        break;
    case UPD_ORDER_FAILED:
        free(m->u.order_failed.order_id);
        free(m->u.order_failed.error);
        break;
    case UPD_CHALLENGE_DETAIL:
        free(m->u.challenge_detail.order_id);
        free(m->u.challenge_detail.identifier);
        free(m->u.challenge_detail.challenge_type);
        challenge_detail_free(&m->u.challenge_detail.detail);
        break;
    case UPD_CERT:
        free(m->u.cert.order_id);
        cert_bundle_free(&m->u.cert.bundle);
        break;
    case UPD_CONNECTION:
        free(m->u.connection.text);
        strv_free(m->u.connection.denied_paths, m->u.connection.denied_count);
        break;
    case UPD_TOKEN_INFO:
        token_info_free(&m->u.token.info);
        break;
    case UPD_ACTION_RESULT:
        free(m->u.action_result.order_id);
        free(m->u.action_result.message);
        break;
    case UPD_ROLES:
        free_roles_list(m);
        break;
    case UPD_PREFLIGHT:
        free_preflight_result(m);
        break;
    case UPD_RESPONDER_HIT:
        free(m->u.hit.remote);
        free(m->u.hit.method);
        free(m->u.hit.path);
        free(m->u.hit.token);
        break;
    case UPD_RESPONDER:
        free_responder_state(m);
        break;
    case UPD_CERT_SAVE:
        free(m->u.cert_save.order_id);
        free(m->u.cert_save.text);
        break;
    case UPD_NOTICE:
        free(m->u.notice.text);
        break;
    case UPD_RESPONDER_DROPPED: /* owns nothing */
        break;
    case UPD_DNS_PROVIDERS:
        dns_providers_free(m->u.dns_providers.items, m->u.dns_providers.count);
        break;
    case UPD_CONTEXT:
        context_info_free(&m->u.context);
        break;
    case UPD_NAMESPACES:
        for (size_t i = 0; i < m->u.namespaces.count; i++) {
            free(m->u.namespaces.items[i].namespace_);
            free(m->u.namespaces.items[i].mount);
        }
        free(m->u.namespaces.items);
        free(m->u.namespaces.error);
        break;
    case UPD_HANDSHAKE:
        free(m->u.handshake.remote);
        free(m->u.handshake.sni);
        free(m->u.handshake.outcome);
        free(m->u.handshake.detail);
        break;
    case UPD_RESOURCES:
        resource_items_free(m->u.resources.items, m->u.resources.count);
        free(m->u.resources.error);
        break;
    case UPD_WRITE:
        free(m->u.written.json);
        free(m->u.written.error);
        break;
    case UPD_RAW:
        free(m->u.raw.path);
        free(m->u.raw.json);
        free(m->u.raw.error);
        break;
    case UPD_STATUS_CHANGE:
        order_clear(&m->u.status_change.order);
        free(m->u.status_change.old_status);
        break;
    default: /* a command: free_command */
        break;
    }
}

void msg_free(struct msg *m)
{
    if (!m)
        return;
    if (msg_type_is_command(m->type))
        free_command(m);
    else
        free_update(m);
    free(m);
}

static const char *const type_names[MSG_TYPE_COUNT] = {
    [CMD_REFRESH] = "CMD_REFRESH",
    [CMD_FOCUS_ORDER] = "CMD_FOCUS_ORDER",
    [CMD_FETCH_CHALLENGE] = "CMD_FETCH_CHALLENGE",
    [CMD_FULFILL_CHALLENGE] = "CMD_FULFILL_CHALLENGE",
    [CMD_FETCH_CERT] = "CMD_FETCH_CERT",
    [CMD_NEW_ORDER] = "CMD_NEW_ORDER",
    [CMD_REVOKE] = "CMD_REVOKE",
    [CMD_LIST_ROLES] = "CMD_LIST_ROLES",
    [CMD_PREFLIGHT] = "CMD_PREFLIGHT",
    [CMD_SERVE] = "CMD_SERVE",
    [CMD_STOP_RESPONDER] = "CMD_STOP_RESPONDER",
    [CMD_FORGET_ORDER] = "CMD_FORGET_ORDER",
    [CMD_SAVE_CERT] = "CMD_SAVE_CERT",
    [CMD_READ_RESOURCES] = "CMD_READ_RESOURCES",
    [CMD_READ_RAW] = "CMD_READ_RAW",
    [CMD_WRITE] = "CMD_WRITE",
    [CMD_SWITCH_CONTEXT] = "CMD_SWITCH_CONTEXT",
    [CMD_LIST_NAMESPACES] = "CMD_LIST_NAMESPACES",
    [CMD_QUIT] = "CMD_QUIT",
    [UPD_ORDERS] = "UPD_ORDERS",
    [UPD_ORDER_DETAIL] = "UPD_ORDER_DETAIL",
    [UPD_ORDER_FAILED] = "UPD_ORDER_FAILED",
    [UPD_CHALLENGE_DETAIL] = "UPD_CHALLENGE_DETAIL",
    [UPD_CERT] = "UPD_CERT",
    [UPD_CONNECTION] = "UPD_CONNECTION",
    [UPD_TOKEN_INFO] = "UPD_TOKEN_INFO",
    [UPD_ACTION_RESULT] = "UPD_ACTION_RESULT",
    [UPD_ROLES] = "UPD_ROLES",
    [UPD_PREFLIGHT] = "UPD_PREFLIGHT",
    [UPD_RESPONDER_HIT] = "UPD_RESPONDER_HIT",
    [UPD_RESPONDER] = "UPD_RESPONDER",
    [UPD_NOTICE] = "UPD_NOTICE",
    [UPD_CERT_SAVE] = "UPD_CERT_SAVE",
    [UPD_RESPONDER_DROPPED] = "UPD_RESPONDER_DROPPED",
    [UPD_DNS_PROVIDERS] = "UPD_DNS_PROVIDERS",
    [UPD_HANDSHAKE] = "UPD_HANDSHAKE",
    [UPD_RESOURCES] = "UPD_RESOURCES",
    [UPD_RAW] = "UPD_RAW",
    [UPD_WRITE] = "UPD_WRITE",
    [UPD_STATUS_CHANGE] = "UPD_STATUS_CHANGE",
    [UPD_CONTEXT] = "UPD_CONTEXT",
    [UPD_NAMESPACES] = "UPD_NAMESPACES",
};

const char *msg_type_name(enum msg_type t)
{
    if ((int)t < 0 || t >= MSG_TYPE_COUNT)
        return "MSG_UNKNOWN";
    return type_names[t];
}

bool msg_type_is_command(enum msg_type t)
{
    return (int)t >= CMD_REFRESH && t <= CMD_QUIT;
}

const char *conn_state_name(enum conn_state s)
{
    switch (s) {
    case CONN_CONNECTING:
        return "connecting";
    case CONN_CONNECTED:
        return "connected";
    case CONN_DEGRADED:
        return "degraded";
    case CONN_DISCONNECTED:
        return "disconnected";
    }
    return "unknown";
}
