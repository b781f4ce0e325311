/* vault_error: the one error type of every Vault call.
 * It carries what went wrong (HTTP status with Vault's own messages, or a
 * transport failure, or a configuration mistake), on which method and path,
 * and turns that into one sentence a person can act on ("permission denied
 * on pki-external-ca/lookup/orders: the token's policy must allow list on
 * it, or the token is invalid or expired").  The token never goes in here.
 * Server text is untrusted: it is stripped of control characters before it
 * is stored. */
#ifndef ACMETOP_NET_VAULT_ERROR_H
#define ACMETOP_NET_VAULT_ERROR_H

#include <stdbool.h>
#include <stddef.h>

enum vault_transport {
    VT_NONE = 0,    /* an HTTP answer came (see http_status), or no error */
    VT_CONNECT,     /* connection refused / unreachable / dropped */
    VT_TIMEOUT,     /* connect or total timeout */
    VT_TLS,         /* certificate verification or handshake failed */
    VT_RESOLVE,     /* host name did not resolve */
    VT_TOO_LARGE,   /* answer bigger than max_body_bytes */
    VT_MALFORMED,   /* answer could not be understood (set by parsers) */
    VT_CONFIG,      /* bad configuration (flags, environment, config file) */
    VT_OTHER        /* any other transport failure */
};

struct vault_error {
    long http_status;      /* 0 when no HTTP answer */
    int transport;         /* enum vault_transport */
    char method[8];        /* "GET", "LIST", "POST"; "" for config errors */
    char path[512];        /* relative to /v1/, e.g. "pki-external-ca/lookup/orders" */
    char messages[1024];   /* Vault's errors[] joined with "; ", or transport detail; sanitized */
    double retry_after_s;  /* from Retry-After on 429/503, else 0 */
    char sentence[1536];   /* the actionable sentence; always NUL-terminated */
    /* Context the sentences use, set by vault_error_set_target() before a
     * vault_error_set_http()/_transport(); kept by those, wiped by clear. */
    char addr[256];        /* VAULT_ADDR as used, e.g. "https://127.0.0.1:8200" */
    char mount[256];       /* the configured mount, e.g. "pki-external-ca" */
    bool token_missing;    /* no token was sent */
    bool addr_defaulted;   /* VAULT_ADDR was not set: addr is the default */
    char location[512];    /* the Location of a 3xx answer, sanitized; else "" */
};

/* Empty everything: no error. */
void vault_error_clear(struct vault_error *);

/* Context for the sentence (any argument may be NULL).  The Vault client
 * calls it; tests and callers that build errors by hand may too. */
void vault_error_set_target(struct vault_error *, const char *addr, const char *mount,
                            bool token_missing);

/* A non-2xx answer: status, raw body (Vault's {"errors":[...]} is parsed
 * here; anything else is kept as a short sanitized excerpt), Retry-After.
 * secret (the token; may be NULL) is redacted over the whole body before
 * any of it is cut, and a cut never ends on what may be its start. */
void vault_error_set_http(struct vault_error *, const char *method, const char *path, long status,
                          const char *body, size_t len, double retry_after, const char *secret);

/* A 3xx answer (libcurl follows no redirect: the token stays with
 * VAULT_ADDR): the sentence names location (may be NULL), e.g. a standby
 * sending to the active node. */
void vault_error_set_redirect(struct vault_error *, const char *method, const char *path,
                              long status, const char *location);

/* auth/token/lookup-self was refused too (403): the token itself is bad
 * (expired, revoked, mistyped), whatever the policies say.  Keeps the
 * target; the path of the first refusal stays in the sentence. */
void vault_error_set_token_refused(struct vault_error *);

/* The mount (the target's) is not there: no such mount in namespace_ (may
 * be NULL: the root namespace), or a mount of other_type (NULL: none at
 * all, or none the token can see). */
void vault_error_set_no_mount(struct vault_error *, const char *namespace_,
                              const char *other_type);

/* No usable HTTP answer.  detail is a short technical text (libcurl's
 * error buffer, a parser message), may be NULL. */
void vault_error_set_transport(struct vault_error *, enum vault_transport kind, const char *method,
                               const char *path, const char *detail);

/* A configuration mistake: the sentence is the formatted text itself,
 * e.g. "/home/a/.config/acmetop/config:3: unknown key \"adr\"". */
void vault_error_set_config(struct vault_error *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Replace every occurrence of secret (when not NULL/empty) in messages and
 * sentence by "[redacted]": a defence against a server or proxy echoing
 * the token back.  The client calls it with its token on every error. */
void vault_error_redact(struct vault_error *, const char *secret);

/* The sentence; "" when there is no error. */
const char *vault_error_sentence(const struct vault_error *);

bool vault_error_is_set(const struct vault_error *);
bool vault_error_is_permission(const struct vault_error *); /* 403 */
/* connect/timeout/resolve/other transport failures, 429, 5xx */
bool vault_error_is_retryable(const struct vault_error *);

#endif
