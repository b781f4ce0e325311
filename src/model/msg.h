/* msg: the messages that cross between the UI thread and the worker thread.
 *
 * OWNERSHIP: a struct msg owns everything it points to. Constructors copy
 * their inputs (the caller keeps its own), except the *_take variants, which
 * move the caller's data in and leave the caller's struct empty. Whoever
 * holds the msg frees it with msg_free(): pushing it on a queue hands it to
 * the queue, popping it hands it to the consumer. No pointer into another
 * thread's data ever travels in a message.
 *
 * Commands (CMD_*) go UI -> engine (the worker thread, which hands the
 * responder and pre-flight ones to net/deploy_service), updates (UPD_*)
 * engine -> UI. Every message has a request_id: the UI numbers its
 * commands, and the engine copies the number into the updates that answer
 * them (0 = unsolicited, e.g. results of the regular poll, responder hits).
 * One tagged struct with a union; the member to read is named after the
 * type (comment on each member). Private keys never travel to the UI: the
 * engine writes them to files itself (CMD_SAVE_CERT). */
#ifndef ACMETOP_MSG_H
#define ACMETOP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/cert_bundle.h"
#include "model/challenge_detail.h"
#include "model/dns_provider.h"
#include "model/context_info.h"
#include "model/order.h"
#include "model/resource.h"
#include "model/role_info.h"
#include "model/token_info.h"

enum msg_type {
    /* commands, UI -> worker */
    CMD_REFRESH,           /* poll now */
    CMD_FOCUS_ORDER,       /* u.focus: the order the operator looks at
                              (polled more often), order_id NULL = none */
    CMD_FETCH_CHALLENGE,   /* u.challenge */
    CMD_FULFILL_CHALLENGE, /* u.challenge */
    CMD_FETCH_CERT,        /* u.fetch_cert */
    CMD_NEW_ORDER,         /* u.new_order */
    CMD_REVOKE,            /* u.revoke */
    CMD_LIST_ROLES,        /* no payload: LIST role + GET role/:name each */
    CMD_PREFLIGHT,         /* u.check: run a pre-flight check (UPD_PREFLIGHT) */
    CMD_SERVE,             /* u.serve: start the responder of the challenge type
                              (HTTP-01 or TLS-ALPN-01) if need be and serve the
                              challenge (UPD_RESPONDER) */
    CMD_STOP_RESPONDER,    /* no payload: stop both responders, forget every
                              challenge (UPD_RESPONDER) */
    CMD_FORGET_ORDER,      /* u.forget: serve the challenges of an order no more
                              (UPD_RESPONDER) */
    CMD_SAVE_CERT,         /* u.save_cert: fetch the certificate and write its
                              files (UPD_CERT_SAVE) */
    CMD_READ_RESOURCES,    /* u.read: LIST + GET each of one kind of resource
                              (UPD_RESOURCES) */
    CMD_READ_RAW,          /* u.raw_read: GET one path under the mount, the answer
                              as received (UPD_RAW) */
    CMD_WRITE,             /* u.write: one write the operator confirmed (POST, PUT,
                              DELETE under the mount), sent once, never retried
                              (UPD_WRITE) */
    CMD_SWITCH_CONTEXT,    /* u.switch_to: stop watching this Vault, watch another
                              context or namespace (UPD_CONTEXT, or UPD_ACTION_RESULT
                              when it cannot) */
    CMD_LIST_NAMESPACES,   /* no payload: LIST sys/namespaces recursively
                              (UPD_NAMESPACES) */
    CMD_QUIT,              /* stop the worker (the last command: see
                              msg_type_is_command) */
    /* updates, worker -> UI */
    UPD_ORDERS,            /* u.orders */
    UPD_ORDER_DETAIL,      /* u.order_detail */
    UPD_ORDER_FAILED,      /* u.order_failed: keep last data, mark stale */
    UPD_CHALLENGE_DETAIL,  /* u.challenge_detail */
    UPD_CERT,              /* u.cert */
    UPD_CONNECTION,        /* u.connection */
    UPD_TOKEN_INFO,        /* u.token */
    UPD_ACTION_RESULT,     /* u.action_result */
    UPD_ROLES,             /* u.roles: answers CMD_LIST_ROLES */
    UPD_PREFLIGHT,         /* u.preflight: a pre-flight check finished
                              (from a check thread, not the worker) */
    UPD_RESPONDER_HIT,     /* u.hit: the HTTP-01 responder answered a request
                              (from the responder's thread) */
    UPD_RESPONDER,         /* u.responder: both responders' state, answering
                              CMD_SERVE, CMD_STOP_RESPONDER, CMD_FORGET_ORDER */
    UPD_CERT_SAVE,         /* u.cert_save: answers CMD_SAVE_CERT */
    UPD_NOTICE,            /* u.notice: something the operator should read
                              (e.g. the order cache was ignored) */
    UPD_RESPONDER_DROPPED, /* u.dropped: connections a responder closed
                              without an answer (from its thread, at most once
                              a second) */
    UPD_DNS_PROVIDERS,     /* u.dns_providers: Vault's DNS providers (LIST config/dns
                              + GET each), on start, every 5 minutes, on a refresh */
    UPD_HANDSHAKE,         /* u.handshake: the TLS-ALPN-01 responder finished a
                              handshake (from its thread) */
    UPD_RESOURCES,         /* u.resources: answers CMD_READ_RESOURCES */
    UPD_RAW,               /* u.raw: answers CMD_READ_RAW */
    UPD_WRITE,             /* u.written: answers CMD_WRITE */
    UPD_STATUS_CHANGE,     /* u.status_change: an order's status changed (only when
                              asked for: acmetop --watch) */
    UPD_CONTEXT,           /* u.context: the context watched now (at start, after a
                              switch, when the refresh period changes) */
    UPD_NAMESPACES,        /* u.namespaces: answers CMD_LIST_NAMESPACES */
    MSG_TYPE_COUNT
};

enum conn_state {
    CONN_CONNECTING,   /* first contact not made yet */
    CONN_CONNECTED,    /* last poll worked */
    CONN_DEGRADED,     /* reachable, but some calls fail (denied paths, 5xx) */
    CONN_DISCONNECTED, /* unreachable / sealed; retrying */
};

/* Outcome of a pre-flight check (mirrors net/preflight.h's enum, which the
 * model cannot include). */
enum msg_check {
    MSG_CHECK_OK,          /* deployed as the CA will want it */
    MSG_CHECK_MISMATCH,    /* reached, but the answer is not the expected one */
    MSG_CHECK_UNREACHABLE, /* no answer to compare: see why */
};

/* What became of a CMD_SAVE_CERT. */
enum cert_save_outcome {
    CERT_SAVE_SAVED,  /* the files are written (the key with mode 0600) */
    CERT_SAVE_EXISTS, /* some files exist and overwrite was not asked: nothing written */
    CERT_SAVE_FAILED, /* nothing written: see text */
};

/* A challenge a responder serves (never its key authorization): an
 * http-01 token, or a tls-alpn-01 identifier (token ""). */
struct msg_served_token {
    char *order_id;
    char *identifier;
    char *token;
    char *challenge_type; /* "http-01", "tls-alpn-01" */
};

struct msg {
    enum msg_type type;
    uint64_t request_id;
    union {
        struct {                  /* CMD_FOCUS_ORDER */
            char *order_id;       /* NULL = no order focused */
        } focus;
        struct {                  /* CMD_FETCH_CHALLENGE, CMD_FULFILL_CHALLENGE */
            char *order_id;
            char *role;           /* the API path needs the role */
            char *identifier;
            char *challenge_type; /* http-01, dns-01, tls-alpn-01 */
        } challenge;
        struct {                  /* CMD_FETCH_CERT */
            char *order_id;
            char *role;
            char *format;         /* pem, der, pem_bundle; NULL = pem */
        } fetch_cert;
        struct {                  /* CMD_NEW_ORDER: identifiers XOR csr */
            char *role;
            char **identifiers;
            size_t identifier_count;
            char *csr;            /* NULL unless the CSR workflow */
        } new_order;
        struct {                  /* CMD_PREFLIGHT */
            char *order_id;
            char *identifier;
            char *challenge_type; /* http-01, dns-01, tls-alpn-01 */
            char *token;          /* only http-01 needs it */
            char *key_authorization;
        } check;
        struct {                  /* CMD_SERVE */
            char *challenge_type; /* http-01, tls-alpn-01 */
            char *order_id;
            char *identifier;
            char *token;          /* http-01 only */
            char *key_authorization;
        } serve;
        struct {                  /* CMD_FORGET_ORDER */
            char *order_id;
        } forget;
        struct {                  /* CMD_SAVE_CERT */
            char *order_id;
            char *role;           /* NULL: the one the engine knows */
            char *identifier;     /* the first identifier (names the files); NULL:
                                     the order ID does */
            bool overwrite;       /* replace existing files (so does cert_overwrite) */
        } save_cert;
        struct {                  /* CMD_REVOKE */
            char *order_id;
            char *role;
            char *reason;         /* API.md's reason names */
        } revoke;
        struct {                  /* UPD_ORDERS */
            struct order *items;  /* count orders (summaries or details) */
            size_t count;
            bool complete_list;   /* these are all orders of their place: the UI
                                     drops the ones it has there that are not here */
            unsigned place;       /* the place (namespace, mount) they come from */
        } orders;
        struct {                  /* UPD_ORDER_DETAIL */
            struct order order;   /* detail_known = true */
        } order_detail;
        struct {                  /* UPD_ORDER_FAILED */
            char *order_id;
            char *error;          /* person-readable, sanitised */
        } order_failed;
        struct {                  /* UPD_CHALLENGE_DETAIL */
            char *order_id;
            char *identifier;
            char *challenge_type;
            struct challenge_detail detail;
        } challenge_detail;
        struct {                  /* UPD_CERT */
            char *order_id;
            struct cert_bundle bundle; /* from the worker: private_key NULL (the
                                          engine wiped it), private_key_type kept */
            bool had_private_key; /* Vault returned a (non-empty) private key */
        } cert;
        struct {                  /* UPD_CONNECTION */
            enum conn_state state;
            char *text;           /* e.g. "connected to https://vault:8200" */
            int retry_in;         /* seconds until the next attempt, 0 = n/a */
            char **denied_paths;  /* paths that answered 403 */
            size_t denied_count;
            time_t oldest_verified_at; /* wall time the least recently verified
                                          order was known current; 0 = no orders */
        } connection;
        struct {                  /* UPD_TOKEN_INFO */
            struct token_info info;
        } token;
        struct {                  /* UPD_ACTION_RESULT */
            enum msg_type command; /* which CMD_* this answers */
            char *order_id;       /* NULL if none (new order: the new ID) */
            bool ok;
            char *message;        /* person-readable, sanitised */
        } action_result;
        struct {                  /* UPD_ROLES */
            struct role_info *items; /* count roles, each with what GET role/:name said */
            size_t count;
            char *error;          /* NULL, or why some or all could not be read */
        } roles;
        struct {                  /* UPD_PREFLIGHT */
            char *order_id;
            char *identifier;
            char *challenge_type;
            enum msg_check status;
            char *expected;       /* what the CA will look for */
            char *found;          /* what was there (sanitised), "" if unreachable */
            char *why;            /* one sentence */
            char *where;          /* what was asked (URL, TXT name via server, host:port) */
            char *servers;        /* dns-01: a line per authoritative server and the
                                     recursive answer (sanitised), "" otherwise */
        } preflight;
        struct {                  /* UPD_RESPONDER_HIT */
            char *remote;         /* "127.0.0.1:51234" */
            char *method;         /* sanitised, "" if unreadable */
            char *path;           /* request target, sanitised and cut */
            char *token;          /* the challenge token asked for, "" if none */
            int status;           /* HTTP status answered: 200, 404, ... */
            size_t bytes;         /* body bytes sent */
        } hit;
        struct {                  /* UPD_RESPONDER */
            bool running;         /* the HTTP-01 responder */
            char *address;        /* as bound ("127.0.0.1:5002"), "" when not running */
            struct msg_served_token *served; /* what both serve now, served_count */
            size_t served_count;
            unsigned long total_hits; /* requests answered since it started */
            bool tls_running;     /* the TLS-ALPN-01 responder */
            char *tls_address;    /* as bound, "" when not running */
            unsigned long tls_total; /* handshakes reported since it started */
            bool ok;              /* the command worked */
            char *message;        /* "" or a person-readable sentence */
        } responder;
        struct {                  /* UPD_RESPONDER_DROPPED */
            unsigned long total;  /* idle connections dropped since it started */
            bool tlsalpn01;       /* by the TLS-ALPN-01 responder (else HTTP-01) */
        } dropped;
        struct {                  /* UPD_HANDSHAKE */
            char *remote;         /* "127.0.0.1:51234" */
            char *sni;            /* sanitised, "" if none */
            bool served;          /* the challenge certificate went out */
            char *outcome;        /* "served", "unknown name", "no acme-tls/1", ... */
            char *detail;         /* one phrase */
        } handshake;
        struct {                  /* UPD_CERT_SAVE */
            char *order_id;
            enum cert_save_outcome outcome;
            char *text;           /* SAVED: the paths written ("CERT, CHAIN, key
                                     (0600) KEY"); EXISTS: the existing paths, each
                                     "  PATH\n"; FAILED: the error sentence */
            bool key_written;     /* SAVED with a private key file */
        } cert_save;
        struct {                  /* UPD_NOTICE */
            bool error;           /* a problem (else for information) */
            char *text;           /* person-readable, sanitised */
        } notice;
        struct {                  /* CMD_READ_RESOURCES */
            enum resource_kind kind;
        } read;
        struct {                  /* CMD_READ_RAW */
            char *path;           /* under the mount: "lookup/order/ID" */
            char *query;          /* "a=b", escaped, or NULL */
        } raw_read;
        struct {                  /* CMD_WRITE */
            char *method;         /* "POST", "PUT", "DELETE" */
            char *path;           /* under the mount, "?a=b" (escaped) after it if need be */
            char *body;           /* JSON or NULL; may hold a secret: wiped when freed */
        } write;
        struct {                  /* UPD_WRITE */
            bool ok;
            long status;          /* HTTP status, 0 when none came */
            char *json;           /* the answer's data (secrets hidden), NULL when none */
            char *error;          /* Vault's refusal or why it failed, NULL when ok */
        } written;
        struct {                  /* UPD_RAW */
            char *path;           /* as asked */
            char *json;           /* the whole answer, compact, secrets hidden;
                                     NULL when it failed */
            char *error;          /* why, or NULL */
        } raw;
        struct {                  /* UPD_RESOURCES */
            enum resource_kind kind;
            struct resource_item *items; /* count items as read (secrets hidden) */
            size_t count;
            bool listed;          /* the LIST worked (items are all there are,
                                     up to RESOURCE_READ_MAX) */
            char *error;          /* NULL, or why the list (or some item) could not
                                     be read: which capability on which path */
        } resources;
        struct {                  /* UPD_STATUS_CHANGE */
            struct order order;   /* the order as it is now */
            char *old_status;     /* the status before, "" for an order new since
                                     the listing */
        } status_change;
        struct {                  /* UPD_DNS_PROVIDERS */
            bool known;           /* false: they could not be read (e.g. 403) */
            struct dns_provider *items; /* count providers (none when !known) */
            size_t count;
        } dns_providers;
        struct {                  /* CMD_SWITCH_CONTEXT */
            char *context;        /* NULL = stay in the current one */
            char *namespace_;     /* NULL = the context's own; "*" = every one */
        } switch_to;
        struct context_info context; /* UPD_CONTEXT */
        struct {                  /* UPD_NAMESPACES */
            struct context_place *items; /* count namespaces (mount unused), path
                                            without trailing '/', root first as "" */
            size_t count;
            char *error;          /* NULL, or why the list is incomplete */
        } namespaces;
    } u;
};

/* Commands. All string inputs are copied; NULL allowed where documented. */
struct msg *msg_new_refresh(uint64_t request_id);
struct msg *msg_new_focus_order(uint64_t request_id, const char *order_id);
struct msg *msg_new_fetch_challenge(uint64_t request_id, const char *order_id,
                                    const char *role, const char *identifier,
                                    const char *challenge_type);
struct msg *msg_new_fulfill_challenge(uint64_t request_id,
                                      const char *order_id, const char *role,
                                      const char *identifier,
                                      const char *challenge_type);
struct msg *msg_new_fetch_cert(uint64_t request_id, const char *order_id,
                               const char *role, const char *format);
struct msg *msg_new_new_order(uint64_t request_id, const char *role,
                              const char *const *identifiers, size_t n,
                              const char *csr);
struct msg *msg_new_revoke(uint64_t request_id, const char *order_id,
                           const char *role, const char *reason);
struct msg *msg_new_list_roles(uint64_t request_id);
struct msg *msg_new_preflight_check(uint64_t request_id, const char *order_id,
                                    const char *identifier, const char *challenge_type,
                                    const char *token, const char *key_authorization);
/* challenge_type: "http-01" (token needed) or "tls-alpn-01" (token NULL). */
struct msg *msg_new_serve(uint64_t request_id, const char *challenge_type, const char *order_id,
                          const char *identifier, const char *token,
                          const char *key_authorization);
struct msg *msg_new_stop_responder(uint64_t request_id);
struct msg *msg_new_forget_order(uint64_t request_id, const char *order_id);
struct msg *msg_new_save_cert(uint64_t request_id, const char *order_id, const char *role,
                              const char *identifier, bool overwrite);
struct msg *msg_new_read_resources(uint64_t request_id, enum resource_kind kind);
struct msg *msg_new_read_raw(uint64_t request_id, const char *path, const char *query);
/* body copied (NULL: none); the copy is wiped when the message is freed. */
struct msg *msg_new_write(uint64_t request_id, const char *method, const char *path,
                          const char *body);
struct msg *msg_new_quit(void);

/* Updates. */
struct msg *msg_new_orders(uint64_t request_id, const struct order *orders,
                           size_t n, bool complete_list);
/* Takes the array itself (allocated with xmalloc, n entries) and its orders. */
struct msg *msg_new_orders_take(uint64_t request_id, struct order *orders,
                                size_t n, bool complete_list);
struct msg *msg_new_order_detail(uint64_t request_id, const struct order *o);
struct msg *msg_new_order_detail_take(uint64_t request_id, struct order *o);
struct msg *msg_new_order_failed(uint64_t request_id, const char *order_id,
                                 const char *error);
struct msg *msg_new_challenge_detail(uint64_t request_id, const char *order_id,
                                     const char *identifier,
                                     const char *challenge_type,
                                     const struct challenge_detail *d);
/* had_private_key is set when b holds a non-empty private key. */
struct msg *msg_new_cert(uint64_t request_id, const char *order_id,
                         const struct cert_bundle *b);
struct msg *msg_new_cert_take(uint64_t request_id, const char *order_id,
                              struct cert_bundle *b);
/* Like msg_new_cert_take, but b's private key is wiped and freed first:
 * the message never holds it, had_private_key says whether there was one. */
struct msg *msg_new_cert_take_keyless(uint64_t request_id, const char *order_id,
                                      struct cert_bundle *b);
struct msg *msg_new_connection(enum conn_state state, const char *text,
                               int retry_in, const char *const *denied_paths,
                               size_t denied_count, time_t oldest_verified_at);
struct msg *msg_new_token_info(uint64_t request_id, const struct token_info *t);
struct msg *msg_new_action_result(uint64_t request_id, enum msg_type command,
                                  const char *order_id, bool ok,
                                  const char *message);

/* Takes the array (xmalloc'ed, n entries) and the roles in it; error copied
 * (NULL = none). */
struct msg *msg_new_roles_take(uint64_t request_id, struct role_info *items, size_t n,
                               const char *error);
/* Every string copied; NULL counts as "". */
struct msg *msg_new_preflight(uint64_t request_id, const char *order_id,
                              const char *identifier, const char *challenge_type,
                              enum msg_check status, const char *expected,
                              const char *found, const char *why, const char *where);
/* Replace m's (UPD_PREFLIGHT) servers text with a copy of servers (NULL
 * counts as ""). */
void msg_preflight_set_servers(struct msg *m, const char *servers);
struct msg *msg_new_responder_hit(const char *remote, const char *method, const char *path,
                                  const char *token, int status, size_t bytes);
/* served: served_count entries, copied (NULL strings count as ""); address
 * and message NULL count as "". */
struct msg *msg_new_responder(uint64_t request_id, bool running, const char *address,
                              const struct msg_served_token *served, size_t served_count,
                              unsigned long total_hits, bool ok, const char *message);
/* The TLS-ALPN-01 responder's part of m (UPD_RESPONDER); address NULL
 * counts as "". */
void msg_responder_set_tls(struct msg *m, bool running, const char *address,
                           unsigned long handshakes);
struct msg *msg_new_responder_dropped(bool tlsalpn01, unsigned long total);
/* Every string copied; NULL counts as "". */
struct msg *msg_new_handshake(const char *remote, const char *sni, bool served,
                              const char *outcome, const char *detail);
/* order_id and text copied (NULL counts as ""). */
/* text copied (NULL counts as ""). */
struct msg *msg_new_notice(bool error, const char *text);
/* o and old_status copied. */
struct msg *msg_new_status_change(const struct order *o, const char *old_status);
struct msg *msg_new_cert_save(uint64_t request_id, const char *order_id,
                              enum cert_save_outcome outcome, const char *text,
                              bool key_written);

/* Takes the array (xmalloc'ed, n entries) and the providers in it; known
 * false: not readable (items NULL, n 0). */
struct msg *msg_new_dns_providers_take(bool known, struct dns_provider *items, size_t n);

/* Strings copied; NULL keeps what is (see u.switch_to). */
struct msg *msg_new_switch_context(uint64_t request_id, const char *context,
                                   const char *namespace_);
struct msg *msg_new_list_namespaces(uint64_t request_id);
/* A deep copy of c. */
struct msg *msg_new_context(const struct context_info *c);
/* Takes items (xmalloc'ed, n entries, strings owned); error copied. */
struct msg *msg_new_namespaces_take(uint64_t request_id, struct context_place *items, size_t n,
                                    const char *error);

/* Takes the array (xmalloc'ed, n entries) and its items; error copied
 * (NULL = none). */
struct msg *msg_new_resources_take(uint64_t request_id, enum resource_kind kind,
                                   struct resource_item *items, size_t n, bool listed,
                                   const char *error);

/* Strings copied (NULL stays NULL). */
struct msg *msg_new_written(uint64_t request_id, bool ok, long status, const char *json,
                            const char *error);
/* Strings copied (NULL stays NULL). */
struct msg *msg_new_raw(uint64_t request_id, const char *path, const char *json,
                        const char *error);

/* Served challenges (the engine's table, the console's copy, UPD_RESPONDER):
 * a copy of n of them, NULL strings counting as "" (NULL when n is 0); the
 * free of n of them and the array; and dropping the ones of one order in
 * place (order kept), drop(t, ctx) called for each first (may be NULL). */
struct msg_served_token *msg_served_tokens_copy(const struct msg_served_token *t, size_t n);
void msg_served_tokens_free(struct msg_served_token *t, size_t n);
void msg_served_tokens_drop_order(struct msg_served_token *t, size_t *n, const char *order_id,
                                  void (*drop)(const struct msg_served_token *t, void *ctx),
                                  void *ctx);

/* "OK", "mismatch", "unreachable". */
const char *msg_check_name(enum msg_check s);

/* Free m and everything it owns (private keys wiped). m may be NULL. */
void msg_free(struct msg *m);

/* "CMD_REFRESH", ... (static string, for debugging and tests). */
const char *msg_type_name(enum msg_type t);
bool msg_type_is_command(enum msg_type t);
const char *conn_state_name(enum conn_state s); /* "connecting", ... */

#endif
