/* preflight_tlsalpn01: the tls-alpn-01 pre-flight check (RFC 8737; see
 * preflight_tlsalpn01.h).  An OpenSSL client with SNI = the identifier and ALPN
 * acme-tls/1 only, no certificate verification (the challenge certificate
 * is self-signed by design), a non-blocking handshake bounded by the
 * timeout; then the checks a CA makes on the certificate. */
#include "net/preflight_tlsalpn01.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "model/challenge_value.h"
#include "model/clock.h"
#include "model/strv.h"
#include "model/xalloc.h"
#include "net/preflight_result.h"
#include "net/tcp_connect.h"

#define ACME_TLS_1 "acme-tls/1"
#define OID_ACME_IDENTIFIER "1.3.6.1.5.5.7.1.31"

static void hex_text(const unsigned char *p, size_t n, char *out, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 3 <= size; i++)
        k += (size_t)snprintf(out + k, size - k, "%02x", p[i]);
    if (k < size)
        out[k] = '\0';
}

static void openssl_reason(char *buf, size_t size)
{
    unsigned long e = ERR_peek_last_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    snprintf(buf, size, "%s", r ? r : "the connection was closed during the handshake");
    ERR_clear_error();
}

/* OpenSSL writes with plain send(): a peer that is gone would raise SIGPIPE
 * and kill the program where nobody ignores it.  Blocked in this thread for
 * the check; one raised meanwhile is consumed before the mask is restored. */
static void sigpipe_block(sigset_t *old)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &s, old);
}

static void sigpipe_restore(const sigset_t *old)
{
    sigset_t pending, s;
    sigemptyset(&s);
    sigaddset(&s, SIGPIPE);
    if (!sigismember(old, SIGPIPE) && sigpending(&pending) == 0 &&
        sigismember(&pending, SIGPIPE)) {
        struct timespec zero = {0, 0};
        sigtimedwait(&s, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* Handshake until done or the deadline. 0 ok, -1 failed (why), -2 timeout. */
static int handshake(SSL *s, int fd, long long deadline, char *why, size_t why_size)
{
    for (;;) {
        ERR_clear_error();
        int rc = SSL_connect(s);
        if (rc == 1)
            return 0;
        int e = SSL_get_error(s, rc);
        short events = e == SSL_ERROR_WANT_READ ? POLLIN : e == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
        if (!events) {
            openssl_reason(why, why_size);
            return -1;
        }
        int w = tcp_wait(fd, events, deadline);
        if (w == 0)
            return -2;
        if (w < 0) {
            snprintf(why, why_size, "the connection failed during the handshake");
            return -1;
        }
    }
}

/* The SAN list as "a, b" (sanitized) and whether it is exactly {identifier}. */
static bool san_is_exactly(X509 *x, const char *identifier, char *text, size_t size)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    text[0] = '\0';
    if (!names) {
        snprintf(text, size, "(no subjectAltName)");
        return false;
    }
    int n = sk_GENERAL_NAME_num(names);
    bool exact = n == 1;
    char **items = NULL;
    size_t count = 0;
    for (int i = 0; i < n; i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
        if (g->type == GEN_DNS) {
            const char *d = (const char *)ASN1_STRING_get0_data(g->d.dNSName);
            int dl = ASN1_STRING_length(g->d.dNSName);
            char *copy = xstrndup(d, (size_t)dl);
            if ((size_t)dl != strlen(identifier) || strncasecmp(d, identifier, (size_t)dl) != 0)
                exact = false;
            strv_push(&items, &count, copy);
            free(copy);
        } else {
            exact = false;
            strv_push(&items, &count, "(not a DNS name)");
        }
    }
    char *joined = strv_join((const char *const *)items, count, ", ");
    preflight_text_copy(text, size, joined, strlen(joined));
    free(joined);
    strv_free(items, count);
    GENERAL_NAMES_free(names);
    return exact;
}

/* Look at the certificate: fills out (status, found, why). */
static void check_certificate(X509 *x, const char *identifier, const unsigned char digest[32],
                              struct preflight_result *out)
{
    ASN1_OBJECT *oid = OBJ_txt2obj(OID_ACME_IDENTIFIER, 1);
    int idx = oid ? X509_get_ext_by_OBJ(x, oid, -1) : -1;
    ASN1_OBJECT_free(oid);
    if (idx < 0) {
        snprintf(out->found, sizeof out->found, "no acmeIdentifier extension");
        preflight_result_set(out, PREFLIGHT_MISMATCH,
                             "%s negotiated acme-tls/1, but its certificate has no "
                             "id-pe-acmeIdentifier (%s) extension", out->where,
                             OID_ACME_IDENTIFIER);
        return;
    }
    X509_EXTENSION *ext = X509_get_ext(x, idx);
    const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(ext);
    const unsigned char *p = ASN1_STRING_get0_data(data);
    long len = ASN1_STRING_length(data);
    const unsigned char *start = p;
    ASN1_OCTET_STRING *inner = d2i_ASN1_OCTET_STRING(NULL, &p, len);
    ERR_clear_error();
    if (!inner || p != start + len || ASN1_STRING_length(inner) != 32) {
        char hex[160];
        hex_text(start, len > 64 ? 64 : (size_t)len, hex, sizeof hex);
        snprintf(out->found, sizeof out->found, "acmeIdentifier value %s%s", hex,
                 len > 64 ? "..." : "");
        preflight_result_set(out, PREFLIGHT_MISMATCH,
                             "the acmeIdentifier extension of %s's certificate is not a DER "
                             "OCTET STRING of 32 bytes", out->where);
        ASN1_OCTET_STRING_free(inner);
        return;
    }
    char hex[80];
    hex_text(ASN1_STRING_get0_data(inner), 32, hex, sizeof hex);
    bool same = memcmp(ASN1_STRING_get0_data(inner), digest, 32) == 0;
    ASN1_OCTET_STRING_free(inner);
    if (!same) {
        snprintf(out->found, sizeof out->found, "acmeIdentifier SHA-256 %s", hex);
        preflight_result_set(out, PREFLIGHT_MISMATCH,
                             "the certificate at %s carries the digest of another key "
                             "authorization", out->where);
        return;
    }
    if (!X509_EXTENSION_get_critical(ext)) {
        snprintf(out->found, sizeof out->found, "acmeIdentifier SHA-256 %s, not critical", hex);
        preflight_result_set(out, PREFLIGHT_MISMATCH,
                             "the acmeIdentifier extension at %s has the right digest but is "
                             "not marked critical, as RFC 8737 requires", out->where);
        return;
    }
    char sans[200];
    if (!san_is_exactly(x, identifier, sans, sizeof sans)) {
        snprintf(out->found, sizeof out->found, "acmeIdentifier SHA-256 %.64s, SAN %.150s", hex, sans);
        preflight_result_set(out, PREFLIGHT_MISMATCH,
                             "the certificate at %s must name exactly %s in its "
                             "subjectAltName, it names: %s", out->where, identifier, sans);
        return;
    }
    snprintf(out->found, sizeof out->found, "acmeIdentifier SHA-256 %s", hex);
    preflight_result_set(out, PREFLIGHT_OK,
                         "%s negotiates acme-tls/1 with a certificate for %s carrying the "
                         "critical acmeIdentifier of the key authorization", out->where,
                         identifier);
}

enum preflight_status preflight_tlsalpn01(const struct preflight_options *o,
                                          const char *identifier, const char *key_authorization,
                                          struct preflight_result *out)
{
    preflight_result_clear(out);
    if (!identifier || !*identifier || !key_authorization || !*key_authorization)
        return preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                                    "cannot check tls-alpn-01: identifier or key "
                                    "authorization missing");
    if (strncmp(identifier, "*.", 2) == 0)
        return preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                                    "cannot check tls-alpn-01 for the wildcard %.200s: a CA "
                                    "validates wildcards with dns-01 only", identifier);
    unsigned char digest[32];
    unsigned int dl = 0;
    if (EVP_Digest(key_authorization, strlen(key_authorization), digest, &dl, EVP_sha256(),
                   NULL) != 1 || dl != 32)
        return preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                                    "cannot check tls-alpn-01: SHA-256 unavailable");
    char hex[80];
    hex_text(digest, 32, hex, sizeof hex);
    snprintf(out->expected, sizeof out->expected, "ALPN %s, SAN %.100s, critical "
             "acmeIdentifier SHA-256 %s", ACME_TLS_1, identifier, hex);

    long timeout = preflight_timeout_ms(o);
    long long deadline = clock_mono_ms(clock_system()) + timeout;
    int port = o && o->tlsalpn01_port > 0 ? o->tlsalpn01_port : 443;
    const char *addr = o ? resolve_map_lookup(&o->resolve, identifier) : NULL;
    char where[400];
    if (addr)
        snprintf(where, sizeof where, "%s:%d (%s)", identifier, port, addr);
    else
        snprintf(where, sizeof where, "%s:%d", identifier, port);
    preflight_text_copy(out->where, sizeof out->where, where, strlen(where));

    char why[PREFLIGHT_WHY_MAX];
    int fd = tcp_connect(identifier, addr, port, deadline, why, sizeof why);
    if (fd < 0)
        return preflight_result_set(out, PREFLIGHT_UNREACHABLE, "%s", why);

    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL *s = ctx ? SSL_new(ctx) : NULL;
    if (!s) {
        SSL_CTX_free(ctx);
        close(fd);
        ERR_clear_error();
        return preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                                    "cannot check tls-alpn-01: OpenSSL could not start");
    }
    static const unsigned char alpn[] = "\x0a" ACME_TLS_1;
    SSL_set_min_proto_version(s, TLS1_2_VERSION);
    SSL_set_verify(s, SSL_VERIFY_NONE, NULL);
    SSL_set_tlsext_host_name(s, identifier);
    SSL_set_alpn_protos(s, alpn, sizeof alpn - 1);
    SSL_set_fd(s, fd);
    sigset_t old_mask;
    sigpipe_block(&old_mask);
    char secs[32];
    preflight_seconds_text(timeout, secs, sizeof secs);
    int hs = handshake(s, fd, deadline, why, sizeof why);
    if (hs == -2) {
        preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                             "the TLS handshake with %s did not finish within %s", out->where,
                             secs);
    } else if (hs != 0) {
        bool no_alpn = strstr(why, "no application protocol") != NULL;
        preflight_result_set(out, PREFLIGHT_UNREACHABLE, "TLS handshake failed with %s: %s%s",
                             out->where, why,
                             no_alpn ? " (the server does not offer acme-tls/1)" : "");
    } else {
        const unsigned char *sel = NULL;
        unsigned int sl = 0;
        SSL_get0_alpn_selected(s, &sel, &sl);
        X509 *x = SSL_get1_peer_certificate(s);
        if (sl != strlen(ACME_TLS_1) || memcmp(sel, ACME_TLS_1, sl) != 0) {
            if (sl) {
                char proto[64];
                preflight_text_copy(proto, sizeof proto, (const char *)sel, sl);
                snprintf(out->found, sizeof out->found, "ALPN %s", proto);
            } else {
                snprintf(out->found, sizeof out->found, "no ALPN protocol negotiated");
            }
            preflight_result_set(out, PREFLIGHT_MISMATCH,
                                 "%s did not negotiate acme-tls/1: it serves its ordinary "
                                 "TLS, not the challenge certificate", out->where);
        } else if (!x) {
            snprintf(out->found, sizeof out->found, "no certificate");
            preflight_result_set(out, PREFLIGHT_MISMATCH, "%s sent no certificate", out->where);
        } else {
            check_certificate(x, identifier, digest, out);
        }
        X509_free(x);
    }
    SSL_free(s);
    SSL_CTX_free(ctx);
    close(fd);
    sigpipe_restore(&old_mask);
    ERR_clear_error();
    return out->status;
}
