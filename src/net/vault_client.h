/* vault_client: HTTP to Vault over libcurl.
 * One client owns one curl multi handle whose connection cache is shared by
 * every call, so sequential calls reuse a kept-alive connection and a batch
 * runs at most cfg->parallel transfers (and connections) at once.  Every
 * request carries X-Vault-Token (when set), X-Vault-Namespace (when set),
 * Accept: application/json and User-Agent: acmetop/<version>; writes add
 * Content-Type: application/json.  TLS verification is on unless the
 * configuration asks otherwise.  Bodies are capped at cfg->max_body_bytes
 * while they arrive.  The token is never logged (no CURLOPT_VERBOSE) and is
 * wiped from memory when the client is freed.
 *
 * Not thread-safe: one client per thread (the worker owns one).
 * vault_client_global_init() must run once, before any thread starts, in
 * main() and in every test program that uses a client. */
#ifndef ACMETOP_NET_VAULT_CLIENT_H
#define ACMETOP_NET_VAULT_CLIENT_H

#include <stdatomic.h>
#include <stddef.h>

#include "net/vault_config.h"
#include "net/vault_error.h"

#ifndef ACMETOP_VERSION
#define ACMETOP_VERSION "0.1.0"
#endif

/* curl_global_init_mem(CURL_GLOBAL_DEFAULT) with net/wiping_alloc's
 * functions (libcurl's buffers are wiped when freed), once per process;
 * 0 or -1. */
int vault_client_global_init(void);
void vault_client_global_cleanup(void);

struct vault_client;

/* Copies what it needs from cfg (cfg may be freed afterwards).  NULL with
 * err set (VT_CONFIG) when the configuration cannot be used. */
struct vault_client *vault_client_new(const struct vault_config *cfg, struct vault_error *err);
void vault_client_free(struct vault_client *);

/* Paths are relative to /v1/ ("sys/health").  mount_path prefixes the
 * mount: "lookup/orders" -> "pki-external-ca/lookup/orders" (caller frees).
 * Segments that come from data (order IDs, role names, serials) must be
 * escaped by the caller with vault_client_escape() (caller frees). */
char *vault_client_mount_path(const struct vault_client *, const char *rest);
char *vault_client_escape(const char *segment);
/* The two above in one: fmt holds up to two %s ("role/%s/order/%s/status"),
 * replaced by the escaped segments a and b (NULL = ""); then the mount is
 * prefixed. Caller frees. */
char *vault_client_mount_path_escaped(const struct vault_client *, const char *fmt, const char *a,
                                      const char *b);

/* An HTTP answer: status and the raw body, always NUL-terminated (body is
 * "" rather than NULL).  2xx JSON bodies are handed back raw: the model's
 * parsers parse them. */
struct vault_response {
    long status;
    char *body;
    size_t body_len;
    double retry_after_s;
};
void vault_response_free(struct vault_response *);

/* All return 0 on success, -1 otherwise with err filled; out->status is set
 * whenever an HTTP answer came (and out->body holds it).  out is always
 * safe to pass to vault_response_free(). */

/* GET path?query; query is "a=b&c=d", already escaped, or NULL. */
int vault_client_get(struct vault_client *, const char *path, const char *query,
                     struct vault_response *out, struct vault_error *err);

/* LIST path.  Vault answers an empty list with 404 {"errors":[]}: that is
 * success, with out->status 404 and out->body {"data":{"keys":[]}}. */
int vault_client_list(struct vault_client *, const char *path, struct vault_response *out,
                      struct vault_error *err);

/* LIST path and parse its keys (Vault's {"data":{"keys":[...]}}, an empty
 * list included). 0 with *keys (strv_free(*keys, *count)), or -1 with err
 * set (VT_MALFORMED when the answer is not a key list). */
int vault_client_list_keys(struct vault_client *, const char *path, char ***keys, size_t *count,
                           struct vault_error *err);

/* POST path with a JSON body (NULL = "{}").  A 204 gives body "". */
int vault_client_write(struct vault_client *, const char *path, const char *json_body,
                       struct vault_response *out, struct vault_error *err);

/* Any method ("GET", "LIST", "POST", "PUT", "DELETE"); what the three above use. */
int vault_client_request(struct vault_client *, const char *method, const char *path,
                         const char *query, const char *body, struct vault_response *out,
                         struct vault_error *err);

/* A batch: every request runs (LIST/GET/POST... as in vault_client_request),
 * at most cfg->parallel at once, reusing the client's connections.  Each
 * entry gets its own response, error and rc (0/-1).  Fill method, path,
 * query (may be NULL) and body (may be NULL); zero the rest. */
struct vault_request {
    const char *method;
    const char *path;
    const char *query;
    const char *body;
    struct vault_response response;
    struct vault_error error;
    int rc;
};
void vault_client_batch(struct vault_client *, struct vault_request *reqs, size_t n);

/* Counters for tests and benchmarks. */
struct vault_client_stats {
    unsigned long requests;            /* transfers finished (any outcome) */
    unsigned long connections_opened;  /* new TCP connections (CURLINFO_NUM_CONNECTS summed) */
    unsigned long names_refused;       /* LIST keys skipped by vault_client_list_keys as
                                          unsafe in a path (parse_error's refused) */
};
void vault_client_stats(const struct vault_client *, struct vault_client_stats *out);

/* While *flag is true, every transfer in flight fails within about a second
 * and no new one starts (error VT_OTHER, "cancelled"): the owner of the
 * thread that uses the client sets it from another thread to stop without
 * waiting for a slow or silent Vault. flag must outlive the client. */
void vault_client_set_cancel(struct vault_client *, const atomic_bool *flag);

/* The address requests go to (cfg->addr), for messages. */
const char *vault_client_addr(const struct vault_client *);

#endif
