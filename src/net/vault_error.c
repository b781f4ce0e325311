/* vault_error: filling the one error type of Vault calls and writing the
 * sentence a person reads.  Each kind of failure gets a sentence that says
 * what happened, where (method/path or address) and what to check next.
 * Vault's {"errors":[...]} body is read by the model's error_body parser;
 * every other text that goes in (paths, details, excerpts) is made safe for
 * a terminal with the model's text_sanitize. */
#include "net/vault_error.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/error_body.h"
#include "model/secret_text.h"
#include "model/text_sanitize.h"

#define NOT_JSON "answer was not JSON: "

/* Keep at most cap-1 bytes of src (len bytes, stops at a NUL), never
 * ending inside a UTF-8 sequence nor on what may be the start of secret
 * (may be NULL), then sanitize.  Returns the length. */
static size_t copy_text(char *dst, size_t cap, const char *src, size_t len, const char *secret)
{
    size_t n = strnlen(src, len);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
            n--; /* src[n] continues a sequence: cut before its lead byte */
        n = secret_text_cut(src, n, secret);
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
    text_sanitize(dst, false);
    return n;
}

static void copy_field(char *dst, size_t cap, const char *src)
{
    if (!src)
        src = "";
    copy_text(dst, cap, src, strlen(src), NULL);
}

/* Vault's errors[] joined with "; " into err->messages; for a body that
 * is not JSON at all (a proxy's page, plain text), a short excerpt.  body
 * has secret redacted already; the excerpt's cut also keeps its start out. */
static void read_error_body(struct vault_error *err, const char *body, size_t len,
                            const char *secret)
{
    if (error_body_message(body, len, err->messages, sizeof err->messages) > 0)
        return;
    cJSON *root = cJSON_ParseWithLength(body, len);
    if (root) { /* JSON without messages, e.g. {"errors":[]} */
        cJSON_Delete(root);
        return;
    }
    char excerpt[160];
    size_t n = copy_text(excerpt, sizeof excerpt, body, len, secret);
    if (n > 0)
        snprintf(err->messages, sizeof err->messages, NOT_JSON "%s%s", excerpt,
                 len > n ? "..." : "");
}

/* The policy capability a method needs. */
static const char *method_capability(const char *method)
{
    if (strcmp(method, "LIST") == 0)
        return "list";
    if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
        return "read";
    if (strcmp(method, "POST") == 0)
        return "create or update";
    if (strcmp(method, "PUT") == 0)
        return "update";
    if (strcmp(method, "DELETE") == 0)
        return "delete";
    return "this operation";
}

static bool path_under_mount(const struct vault_error *err)
{
    size_t m = strlen(err->mount);
    return m > 0 && strncmp(err->path, err->mount, m) == 0 &&
           (err->path[m] == '/' || err->path[m] == '\0');
}

/* " (Vault said: ...)" when Vault gave messages worth repeating. */
static void vault_said(char *buf, size_t cap, const struct vault_error *err, const char *boring)
{
    if (strncmp(err->messages, NOT_JSON, sizeof NOT_JSON - 1) == 0)
        snprintf(buf, cap, " (%s)", err->messages); /* a proxy's page, not Vault's words */
    else if (err->messages[0] && (!boring || strcmp(err->messages, boring) != 0))
        snprintf(buf, cap, " (Vault said: %s)", err->messages);
    else
        buf[0] = '\0';
}

static const char *addr_or_vault(const struct vault_error *err)
{
    return err->addr[0] ? err->addr : "VAULT_ADDR";
}

/* Write the sentence; a cut (over 1535 bytes) never splits a UTF-8 sequence. */
static void say(struct vault_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(struct vault_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->sentence, sizeof err->sentence, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof err->sentence) {
        size_t o = sizeof err->sentence - 1, k = o;
        while (k > 0 && ((unsigned char)err->sentence[k - 1] & 0xc0) == 0x80)
            k--;
        if (k > 0 && ((unsigned char)err->sentence[k - 1] & 0x80)) {
            unsigned char lead = (unsigned char)err->sentence[k - 1];
            size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
            if (o - (k - 1) < need)
                err->sentence[k - 1] = '\0';
        }
    }
}

static void compose_http(struct vault_error *err)
{
    char said[1100];
    const char *m = err->method, *p = err->path;

    switch (err->http_status) {
    case 301:
    case 302:
    case 303:
    case 307:
    case 308:
        if (err->location[0]) {
            char origin[sizeof err->location];
            snprintf(origin, sizeof origin, "%s", err->location);
            char *sep = strstr(origin, "://");
            char *slash = sep ? strchr(sep + 3, '/') : NULL;
            if (slash)
                *slash = '\0';
            say(err,
                "Vault at %s redirected %s %s to %s (%ld): it is a standby node; point "
                "VAULT_ADDR at the active node (%s)",
                addr_or_vault(err), m, p, err->location, err->http_status, origin);
        } else {
            say(err,
                "Vault at %s redirected %s %s (%ld) without saying where: point VAULT_ADDR "
                "at the active node",
                addr_or_vault(err), m, p, err->http_status);
        }
        break;
    case 400:
        say(err, "Vault refused %s %s as invalid: %s", m, p,
                 err->messages[0] ? err->messages : "no reason given");
        break;
    case 401:
    case 403:
        vault_said(said, sizeof said, err, "permission denied");
        if (err->token_missing)
            say(err,
                     "permission denied on %s: no token was sent; set VAULT_TOKEN or write the "
                     "token to ~/.vault-token%s",
                     p, said);
        else
            say(err,
                     "permission denied on %s: the token's policy must allow %s on it, or the "
                     "token is invalid or expired%s",
                     p, method_capability(m), said);
        break;
    case 404:
        vault_said(said, sizeof said, err, NULL);
        if (path_under_mount(err) || (err->mount[0] && !strchr(p, '/')))
            say(err,
                     "no such path %s on Vault (404)%s: is the mount right? check --mount "
                     "(now: %s) and that the pki-external-ca engine is enabled there",
                     p, said, err->mount);
        else if (err->mount[0])
            say(err, "no such path %s on Vault (404)%s; check --mount (now: %s)", p, said,
                     err->mount);
        else
            say(err, "no such path %s on Vault (404)%s", p, said);
        break;
    case 405:
        vault_said(said, sizeof said, err, NULL);
        say(err,
                 "Vault does not support %s on %s (405)%s: is --mount (now: %s) a "
                 "pki-external-ca engine, and is Vault recent enough?",
                 m, p, said, err->mount[0] ? err->mount : "?");
        break;
    case 429:
        vault_said(said, sizeof said, err, NULL);
        if (err->retry_after_s > 0)
            say(err, "Vault is rate limiting requests (429 on %s)%s: retry after %.0f s", p,
                     said, err->retry_after_s);
        else
            say(err,
                     "Vault is rate limiting requests (429 on %s)%s: retry in a moment, or "
                     "raise --interval",
                     p, said);
        break;
    case 500:
        vault_said(said, sizeof said, err, NULL);
        say(err,
                 "Vault failed internally on %s %s (500)%s: see Vault's server log; retrying "
                 "may help",
                 m, p, said);
        break;
    case 502:
    case 504:
        vault_said(said, sizeof said, err, NULL);
        say(err,
                 "a proxy in front of Vault answered %ld for %s %s%s: is Vault behind it "
                 "running and reachable?",
                 err->http_status, m, p, said);
        break;
    case 503:
        vault_said(said, sizeof said, err, NULL);
        say(err,
                 "Vault is unavailable (503 on %s)%s: it is sealed, or a standby that cannot "
                 "forward; unseal it or point VAULT_ADDR at the active node%s",
                 p, said, err->retry_after_s > 0 ? " (retrying later)" : "");
        break;
    default:
        vault_said(said, sizeof said, err, NULL);
        say(err, "Vault answered %ld to %s %s%s", err->http_status, m, p, said);
        break;
    }
}

/* OpenSSL's words for a TLS handshake answered by a plain HTTP server
 * (its "HTTP/1.1 400" read as a TLS record). */
static bool answered_plain_http(const char *detail)
{
    return strstr(detail, "wrong version number") || strstr(detail, "packet length too long");
}

static void compose_transport(struct vault_error *err)
{
    const char *m = err->method, *p = err->path, *d = err->messages;
    const char *a = addr_or_vault(err);

    if (err->addr_defaulted &&
        (err->transport == VT_CONNECT || err->transport == VT_TIMEOUT)) {
        say(err,
            "VAULT_ADDR is not set; tried the default %s: %s; set VAULT_ADDR to Vault's address",
            a, d[0] ? d : "no answer");
        return;
    }
    switch ((enum vault_transport)err->transport) {
    case VT_CONNECT:
        say(err, "cannot connect to %s: %s; is VAULT_ADDR right and Vault running?", a,
                 d[0] ? d : "connection refused");
        break;
    case VT_TIMEOUT:
        say(err,
                 "Vault at %s did not answer %s %s in time (%s): is it overloaded or is a "
                 "firewall dropping packets? --timeout and --connect-timeout raise the limits",
                 a, m, p, d[0] ? d : "timeout");
        break;
    case VT_TLS:
        if (answered_plain_http(d)) {
            say(err,
                "the server at %s answered plain HTTP to the TLS handshake (%s): use http:// "
                "in VAULT_ADDR (http://%s)",
                a, d, strncasecmp(a, "https://", 8) == 0 ? a + 8 : a);
            break;
        }
        say(err,
                 "TLS verification failed for %s: %s; set VAULT_CACERT to the CA that signed "
                 "Vault's certificate (VAULT_TLS_SERVER_NAME if the name in it differs)",
                 a, d[0] ? d : "certificate not trusted");
        break;
    case VT_RESOLVE:
        say(err, "cannot resolve the host name of %s (%s): check VAULT_ADDR", a,
                 d[0] ? d : "unknown host");
        break;
    case VT_TOO_LARGE:
        say(err,
                 "Vault's answer to %s %s was too large and was cut off (%s): is VAULT_ADDR "
                 "pointing at Vault?",
                 m, p, d[0] ? d : "over the size limit");
        break;
    case VT_MALFORMED:
        say(err,
                 "Vault's answer to %s %s could not be understood (%s): is VAULT_ADDR "
                 "pointing at Vault itself and not at a proxy or web page?",
                 m, p, d[0] ? d : "malformed");
        break;
    case VT_CONFIG:
        say(err, "%s", d[0] ? d : "invalid configuration");
        break;
    case VT_OTHER:
    case VT_NONE:
    default:
        say(err, "%s %s to %s failed: %s", m, p, a, d[0] ? d : "unknown error");
        break;
    }
}

void vault_error_clear(struct vault_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

void vault_error_set_target(struct vault_error *err, const char *addr, const char *mount,
                            bool token_missing)
{
    if (!err)
        return;
    copy_field(err->addr, sizeof err->addr, addr);
    copy_field(err->mount, sizeof err->mount, mount);
    err->token_missing = token_missing;
}

static void reset_keep_target(struct vault_error *err)
{
    err->http_status = 0;
    err->transport = VT_NONE;
    err->method[0] = err->path[0] = err->messages[0] = err->sentence[0] = '\0';
    err->location[0] = '\0';
    err->retry_after_s = 0;
}

void vault_error_set_http(struct vault_error *err, const char *method, const char *path,
                          long status, const char *body, size_t len, double retry_after,
                          const char *secret)
{
    if (!err)
        return;
    reset_keep_target(err);
    copy_field(err->method, sizeof err->method, method);
    copy_field(err->path, sizeof err->path, path);
    err->http_status = status;
    err->retry_after_s = (status == 429 || status == 503) && retry_after > 0 ? retry_after : 0;
    if (body && len > 0) {
        /* redact over the whole body before anything is cut from it */
        size_t safe_len;
        char *safe = secret_text_redacted(body, len, secret, &safe_len);
        read_error_body(err, safe, safe_len, secret);
        free(safe);
    }
    compose_http(err);
    vault_error_redact(err, secret);
}

void vault_error_set_redirect(struct vault_error *err, const char *method, const char *path,
                              long status, const char *location)
{
    if (!err)
        return;
    vault_error_set_http(err, method, path, status, NULL, 0, 0, NULL);
    copy_field(err->location, sizeof err->location, location);
    compose_http(err);
}

void vault_error_set_token_refused(struct vault_error *err)
{
    if (!err || err->token_missing)
        return; /* "no token was sent" says it already */
    err->http_status = 403;
    say(err,
        "permission denied on %s and on auth/token/lookup-self: the token is expired, revoked "
        "or mistyped; check VAULT_TOKEN or ~/.vault-token",
        err->path[0] ? err->path : "every path");
}

void vault_error_set_no_mount(struct vault_error *err, const char *namespace_,
                              const char *other_type)
{
    if (!err)
        return;
    char ns[300];
    bool has_ns = namespace_ && namespace_[0];
    if (has_ns) {
        char clean[256];
        copy_field(clean, sizeof clean, namespace_);
        snprintf(ns, sizeof ns, "namespace \"%s\"", clean);
    } else {
        snprintf(ns, sizeof ns, "the root namespace");
    }
    const char *hint = has_ns ? " (and VAULT_NAMESPACE)"
                              : " (and VAULT_NAMESPACE if the mount is in a namespace)";
    if (other_type && other_type[0]) {
        char type[64];
        copy_field(type, sizeof type, other_type);
        say(err, "\"%s\" is a %s mount, not pki-external-ca (%s at %s): check --mount / "
                 "ACMETOP_MOUNT%s",
            err->mount, type, ns, addr_or_vault(err), hint);
    } else {
        say(err, "no mount \"%s\" in %s at %s: check --mount / ACMETOP_MOUNT%s", err->mount,
            ns, addr_or_vault(err), hint);
    }
}

void vault_error_set_transport(struct vault_error *err, enum vault_transport kind,
                               const char *method, const char *path, const char *detail)
{
    if (!err)
        return;
    reset_keep_target(err);
    copy_field(err->method, sizeof err->method, method);
    copy_field(err->path, sizeof err->path, path);
    copy_field(err->messages, sizeof err->messages, detail);
    err->transport = kind == VT_NONE ? VT_OTHER : kind;
    compose_transport(err);
}

void vault_error_set_config(struct vault_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char text[2 * sizeof err->sentence]; /* longer than kept: copy_field cuts cleanly */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    vault_error_clear(err);
    err->transport = VT_CONFIG;
    copy_field(err->messages, sizeof err->messages, text);
    copy_field(err->sentence, sizeof err->sentence, text);
}

void vault_error_redact(struct vault_error *err, const char *secret)
{
    if (!err || !secret || !secret[0])
        return;
    secret_text_redact_in(err->messages, sizeof err->messages, secret);
    secret_text_redact_in(err->sentence, sizeof err->sentence, secret);
    secret_text_redact_in(err->path, sizeof err->path, secret);
}

const char *vault_error_sentence(const struct vault_error *err)
{
    return err ? err->sentence : "";
}

bool vault_error_is_set(const struct vault_error *err)
{
    return err && (err->http_status != 0 || err->transport != VT_NONE);
}

bool vault_error_is_permission(const struct vault_error *err)
{
    return err && err->http_status == 403;
}

bool vault_error_is_retryable(const struct vault_error *err)
{
    if (!err)
        return false;
    if (err->http_status != 0)
        return err->http_status == 429 || err->http_status >= 500;
    switch ((enum vault_transport)err->transport) {
    case VT_CONNECT:
    case VT_TIMEOUT:
    case VT_RESOLVE:
    case VT_OTHER:
        return true;
    default:
        return false;
    }
}
