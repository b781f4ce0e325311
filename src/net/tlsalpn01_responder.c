/* tlsalpn01_responder: the tls-alpn-01 handshake server (see
 * tlsalpn01_responder.h).  One thread in poll() on a wake pipe, the
 * listening socket and every open connection (all non-blocking).  Each
 * connection runs SSL_accept; the ClientHello callback refuses a hello
 * without acme-tls/1 or with an SNI not served, and otherwise puts the
 * identifier's key and certificate on the connection; after the handshake
 * the connection sends close_notify, shuts down writing, drains briefly
 * and closes.  SIGPIPE is blocked on this thread (OpenSSL writes with
 * write()), and one raised is consumed before the thread ends. */
#include "net/tlsalpn01_responder.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "model/clock.h"
#include "model/text_sanitize.h"
#include "model/xalloc.h"
#include "net/listen_socket.h"
#include "net/tlsalpn01_cert.h"

#define ACME_TLS_1 "acme-tls/1"
#define DRAIN_MS 1000
#define ACCEPT_BATCH 64

struct served {
    char *identifier;
    struct tlsalpn01_cert cert;
};

enum conn_state { CONN_HANDSHAKE, CONN_DRAINING };

struct conn {
    int fd;
    SSL *ssl;
    enum conn_state state;
    bool spoke;       /* a byte came: the handshake deadline applies */
    bool reported;
    unsigned long long seq;
    unsigned char key[LISTEN_SOCKET_KEY];
    long long accepted_ms, deadline_ms;
    struct tlsalpn01_handshake hs;
    bool refused;     /* the hello callback set hs.outcome */
    short want;       /* what SSL_accept waits for: POLLIN or POLLOUT */
};

struct tlsalpn01_responder {
    int listen_fd;
    int wake[2];
    int first_byte_ms, handshake_ms;
    char address[80];
    int port;
    tlsalpn01_handshake_fn on_handshake;
    tlsalpn01_dropped_fn on_dropped;
    void *user;
    SSL_CTX *ctx;
    pthread_t thread;
    pthread_mutex_t lock; /* guards served */
    struct served *served;
    size_t served_count;
    /* thread-only from here */
    struct conn **conns;
    size_t conn_count;
    unsigned long long next_seq;
    bool accept_paused;
    unsigned long dropped, dropped_reported;
    long long dropped_reported_at;
};

const char *tlsalpn01_outcome_name(enum tlsalpn01_outcome o)
{
    switch (o) {
    case TLSALPN01_SERVED: return "served";
    case TLSALPN01_UNKNOWN_NAME: return "unknown name";
    case TLSALPN01_NO_ALPN: return "no acme-tls/1";
    case TLSALPN01_FAILED: return "failed";
    case TLSALPN01_TIMEOUT: return "timed out";
    }
    return "?";
}

/* ---- the certificate table (any thread) ----------------------------------- */

static void served_free(struct served *s)
{
    free(s->identifier);
    tlsalpn01_cert_free(&s->cert);
}

int tlsalpn01_responder_add(struct tlsalpn01_responder *r, const char *identifier,
                            const char *key_authorization, struct deploy_error *err)
{
    struct tlsalpn01_cert cert;
    if (tlsalpn01_cert_new(identifier, key_authorization, &cert, err) != 0)
        return -1;
    struct tlsalpn01_cert old = {0};
    pthread_mutex_lock(&r->lock);
    size_t i = 0;
    while (i < r->served_count && strcasecmp(r->served[i].identifier, identifier) != 0)
        i++;
    if (i < r->served_count) {
        old = r->served[i].cert;
        r->served[i].cert = cert;
    } else {
        r->served = xrealloc(r->served, (r->served_count + 1) * sizeof *r->served);
        r->served[r->served_count].identifier = xstrdup(identifier);
        r->served[r->served_count].cert = cert;
        r->served_count++;
    }
    pthread_mutex_unlock(&r->lock);
    tlsalpn01_cert_free(&old);
    return 0;
}

bool tlsalpn01_responder_remove(struct tlsalpn01_responder *r, const char *identifier)
{
    if (!r || !identifier)
        return false;
    struct served gone = {0};
    bool found = false;
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < r->served_count; i++)
        if (strcasecmp(r->served[i].identifier, identifier) == 0) {
            gone = r->served[i];
            r->served[i] = r->served[--r->served_count];
            found = true;
            break;
        }
    pthread_mutex_unlock(&r->lock);
    served_free(&gone);
    return found;
}

size_t tlsalpn01_responder_count(struct tlsalpn01_responder *r)
{
    if (!r)
        return 0;
    pthread_mutex_lock(&r->lock);
    size_t n = r->served_count;
    pthread_mutex_unlock(&r->lock);
    return n;
}

const char *tlsalpn01_responder_address(const struct tlsalpn01_responder *r)
{
    return r ? r->address : "";
}

int tlsalpn01_responder_port(const struct tlsalpn01_responder *r)
{
    return r ? r->port : 0;
}

/* ---- the handshake (responder thread, inside SSL_accept) ----------------- */

/* The host_name of a server_name extension (RFC 6066 §3) into out; false
 * when there is none or it is malformed. */
static bool sni_of(const unsigned char *p, size_t len, char *out, size_t size)
{
    if (len < 2 || (size_t)((p[0] << 8) | p[1]) != len - 2)
        return false;
    p += 2;
    len -= 2;
    while (len >= 3) {
        size_t nl = (size_t)((p[1] << 8) | p[2]);
        if (nl > len - 3)
            return false;
        if (p[0] == 0 /* host_name */) {
            if (nl == 0 || nl >= size)
                return false;
            memcpy(out, p + 3, nl);
            out[nl] = '\0';
            return strlen(out) == nl; /* no NUL inside */
        }
        p += 3 + nl;
        len -= 3 + nl;
    }
    return false;
}

/* Whether an ALPN extension's protocol list (RFC 7301 §3.1) offers acme-tls/1. */
static bool offers_acme_tls(const unsigned char *p, size_t len)
{
    if (len < 2 || (size_t)((p[0] << 8) | p[1]) != len - 2)
        return false;
    p += 2;
    len -= 2;
    size_t want = strlen(ACME_TLS_1);
    while (len >= 1) {
        size_t pl = p[0];
        if (pl == 0 || pl > len - 1)
            return false;
        if (pl == want && memcmp(p + 1, ACME_TLS_1, want) == 0)
            return true;
        p += 1 + pl;
        len -= 1 + pl;
    }
    return false;
}

static int client_hello_cb(SSL *s, int *alert, void *arg)
{
    struct tlsalpn01_responder *r = arg;
    struct conn *c = SSL_get_app_data(s);
    const unsigned char *p;
    size_t len;
    char sni[256] = "";
    bool has_sni = SSL_client_hello_get0_ext(s, TLSEXT_TYPE_server_name, &p, &len) &&
                   sni_of(p, len, sni, sizeof sni);
    snprintf(c->hs.sni, sizeof c->hs.sni, "%s", sni);
    text_sanitize(c->hs.sni, false);
    c->refused = true;
    if (!SSL_client_hello_get0_ext(s, TLSEXT_TYPE_application_layer_protocol_negotiation, &p,
                                   &len) ||
        !offers_acme_tls(p, len)) {
        c->hs.outcome = TLSALPN01_NO_ALPN;
        snprintf(c->hs.detail, sizeof c->hs.detail, "acme-tls/1 not offered (ALPN)");
        *alert = SSL_AD_NO_APPLICATION_PROTOCOL;
        return SSL_CLIENT_HELLO_ERROR;
    }
    if (!has_sni) {
        c->hs.outcome = TLSALPN01_UNKNOWN_NAME;
        snprintf(c->hs.detail, sizeof c->hs.detail, "no SNI");
        *alert = SSL_AD_UNRECOGNIZED_NAME;
        return SSL_CLIENT_HELLO_ERROR;
    }
    bool found = false;
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < r->served_count && !found; i++)
        if (strcasecmp(r->served[i].identifier, sni) == 0)
            found = SSL_use_certificate(s, r->served[i].cert.cert) == 1 &&
                    SSL_use_PrivateKey(s, r->served[i].cert.key) == 1;
    pthread_mutex_unlock(&r->lock);
    if (!found) {
        c->hs.outcome = TLSALPN01_UNKNOWN_NAME;
        snprintf(c->hs.detail, sizeof c->hs.detail, "not a served identifier");
        *alert = SSL_AD_UNRECOGNIZED_NAME;
        return SSL_CLIENT_HELLO_ERROR;
    }
    c->refused = false;
    return SSL_CLIENT_HELLO_SUCCESS;
}

static int alpn_select_cb(SSL *s, const unsigned char **out, unsigned char *outlen,
                          const unsigned char *in, unsigned int inlen, void *arg)
{
    (void)s;
    (void)arg;
    static const unsigned char ours[] = "\x0a" ACME_TLS_1;
    unsigned char *sel = NULL;
    unsigned char sl = 0;
    if (SSL_select_next_proto(&sel, &sl, ours, sizeof ours - 1, in, inlen) !=
        OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    *out = sel;
    *outlen = sl;
    return SSL_TLSEXT_ERR_OK;
}

/* ---- connections (responder thread) --------------------------------------- */

static void conn_report(struct tlsalpn01_responder *r, struct conn *c)
{
    if (!c->reported && r->on_handshake)
        r->on_handshake(&c->hs, r->user);
    c->reported = true;
}

static void conn_close(struct tlsalpn01_responder *r, size_t idx, bool report)
{
    struct conn *c = r->conns[idx];
    if (report)
        conn_report(r, c);
    SSL_free(c->ssl); /* drops its references to the key and certificate */
    close(c->fd);
    free(c);
    r->conns[idx] = r->conns[--r->conn_count];
    r->accept_paused = false;
}

static void conn_finish(struct conn *c)
{
    ERR_clear_error();
    SSL_shutdown(c->ssl); /* close_notify, no wait for the peer's */
    ERR_clear_error();
    shutdown(c->fd, SHUT_WR);
    c->state = CONN_DRAINING;
    c->deadline_ms = clock_mono_ms(clock_system()) + DRAIN_MS;
}

/* Run the handshake as far as it goes.  *close_now when it failed (the
 * outcome set) or the peer went away before a word. */
static void conn_step(struct tlsalpn01_responder *r, struct conn *c, short *events,
                      bool *close_now)
{
    ERR_clear_error();
    int rc = SSL_accept(c->ssl);
    if (rc == 1) {
        c->hs.outcome = TLSALPN01_SERVED;
        snprintf(c->hs.detail, sizeof c->hs.detail, "challenge certificate sent, %s",
                 SSL_get_version(c->ssl));
        conn_report(r, c);
        conn_finish(c);
        return;
    }
    int e = SSL_get_error(c->ssl, rc);
    if (e == SSL_ERROR_WANT_READ) {
        *events = POLLIN;
        return;
    }
    if (e == SSL_ERROR_WANT_WRITE) {
        *events = POLLOUT;
        return;
    }
    if (!c->refused) {
        unsigned long le = ERR_peek_last_error();
        const char *why = le ? ERR_reason_error_string(le) : NULL;
        c->hs.outcome = TLSALPN01_FAILED;
        if (BIO_number_read(SSL_get_rbio(c->ssl)) == 0)
            why = "closed before sending a ClientHello";
        snprintf(c->hs.detail, sizeof c->hs.detail, "%s",
                 why ? why : "the connection closed during the handshake");
    }
    ERR_clear_error();
    /* the alert, if any, is written already: close */
    *close_now = true;
}

static bool any_handshaking(const struct tlsalpn01_responder *r)
{
    for (size_t i = 0; i < r->conn_count; i++)
        if (r->conns[i]->state == CONN_HANDSHAKE)
            return true;
    return false;
}

/* Close the oldest connection still in its handshake (of key; any when
 * NULL): dropped.  False when there is none. */
static bool conn_evict(struct tlsalpn01_responder *r, const unsigned char *key)
{
    size_t victim = r->conn_count;
    for (size_t i = 0; i < r->conn_count; i++) {
        const struct conn *c = r->conns[i];
        if (c->state == CONN_HANDSHAKE && (!key || memcmp(c->key, key, LISTEN_SOCKET_KEY) == 0) &&
            (victim == r->conn_count || c->seq < r->conns[victim]->seq))
            victim = i;
    }
    if (victim == r->conn_count)
        return false;
    r->dropped++;
    conn_close(r, victim, false);
    return true;
}

static size_t address_count(const struct tlsalpn01_responder *r, const unsigned char *key)
{
    size_t n = 0;
    for (size_t i = 0; i < r->conn_count; i++)
        n += memcmp(r->conns[i]->key, key, LISTEN_SOCKET_KEY) == 0;
    return n;
}

static void accept_clients(struct tlsalpn01_responder *r)
{
    for (int k = 0; k < ACCEPT_BATCH; k++) {
        if (r->conn_count >= TLSALPN01_MAX_CLIENTS && !any_handshaking(r))
            return;
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        int fd = accept(r->listen_fd, (struct sockaddr *)&ss, &sl);
        if (fd < 0) {
            int e = errno;
            if (e == EINTR || e == ECONNABORTED)
                continue;
            if (e == EMFILE || e == ENFILE) {
                if (conn_evict(r, NULL))
                    continue;
                r->accept_paused = true;
            }
            return;
        }
        SSL *ssl = listen_socket_nonblock(fd) == 0 ? SSL_new(r->ctx) : NULL;
        if (!ssl || SSL_set_fd(ssl, fd) != 1) {
            SSL_free(ssl);
            close(fd);
            ERR_clear_error();
            continue;
        }
        unsigned char key[LISTEN_SOCKET_KEY];
        listen_socket_peer_key(&ss, key);
        bool room = address_count(r, key) < TLSALPN01_PER_ADDRESS_MAX
                        ? r->conn_count < TLSALPN01_MAX_CLIENTS || conn_evict(r, NULL)
                        : conn_evict(r, key);
        if (!room) {
            SSL_free(ssl);
            close(fd);
            r->dropped++;
            continue;
        }
        struct conn *c = xcalloc(1, sizeof *c);
        c->fd = fd;
        c->ssl = ssl;
        SSL_set_app_data(ssl, c);
        c->state = CONN_HANDSHAKE;
        c->want = POLLIN;
        c->seq = r->next_seq++;
        memcpy(c->key, key, LISTEN_SOCKET_KEY);
        c->accepted_ms = clock_mono_ms(clock_system());
        c->deadline_ms = c->accepted_ms + r->first_byte_ms;
        listen_socket_peer_text(&ss, c->hs.remote, sizeof c->hs.remote);
        r->conns = xrealloc(r->conns, (r->conn_count + 1) * sizeof *r->conns);
        r->conns[r->conn_count++] = c;
    }
}

static long long report_dropped(struct tlsalpn01_responder *r, long long now)
{
    if (!r->on_dropped || r->dropped == r->dropped_reported)
        return -1;
    long long due = r->dropped_reported_at + TLSALPN01_DROP_REPORT_MS;
    if (now < due)
        return due;
    r->on_dropped(r->dropped, r->user);
    r->dropped_reported = r->dropped;
    r->dropped_reported_at = now;
    return -1;
}

static void drain(struct conn *c, bool *close_now)
{
    char buf[1024];
    for (;;) {
        ssize_t n = recv(c->fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        *close_now = true; /* closed, or an error */
        return;
    }
}

static void *responder_main(void *arg)
{
    struct tlsalpn01_responder *r = arg;
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    struct pollfd *pfds = xcalloc(TLSALPN01_MAX_CLIENTS + 2, sizeof *pfds);
    for (;;) {
        long long now = clock_mono_ms(clock_system());
        for (size_t i = 0; i < r->conn_count;) {
            struct conn *c = r->conns[i];
            if (c->deadline_ms > now) {
                i++;
                continue;
            }
            if (c->state == CONN_HANDSHAKE && !c->spoke) {
                r->dropped++; /* never spoke */
                conn_close(r, i, false);
            } else if (c->state == CONN_HANDSHAKE) {
                c->hs.outcome = TLSALPN01_TIMEOUT;
                snprintf(c->hs.detail, sizeof c->hs.detail,
                         "the handshake did not finish within %d ms", r->handshake_ms);
                conn_close(r, i, true);
            } else {
                conn_close(r, i, false);
            }
        }
        long long next = report_dropped(r, now);
        size_t n = 0;
        pfds[n++] = (struct pollfd){.fd = r->wake[0], .events = POLLIN};
        bool listening = !r->accept_paused &&
                         (r->conn_count < TLSALPN01_MAX_CLIENTS || any_handshaking(r));
        if (listening)
            pfds[n++] = (struct pollfd){.fd = r->listen_fd, .events = POLLIN};
        size_t first_conn = n;
        for (size_t i = 0; i < r->conn_count; i++) {
            struct conn *c = r->conns[i];
            short ev = c->state == CONN_HANDSHAKE ? c->want : POLLIN;
            pfds[n++] = (struct pollfd){.fd = c->fd, .events = ev};
            if (next < 0 || c->deadline_ms < next)
                next = c->deadline_ms;
        }
        int timeout = -1;
        if (next >= 0) {
            long long wait = next - now;
            timeout = wait < 0 ? 0 : wait > 60000 ? 60000 : (int)wait;
        }
        int rc = poll(pfds, n, timeout);
        if (rc < 0 && errno != EINTR)
            break;
        if (rc <= 0)
            continue;
        if (pfds[0].revents)
            break;
        for (size_t k = n; k-- > first_conn;) {
            size_t i = k - first_conn;
            if (!pfds[k].revents)
                continue;
            struct conn *c = r->conns[i];
            bool close_now = false;
            if (c->state == CONN_HANDSHAKE) {
                if (!c->spoke && (pfds[k].revents & POLLIN)) {
                    c->spoke = true;
                    c->deadline_ms = c->accepted_ms + r->handshake_ms;
                }
                conn_step(r, c, &c->want, &close_now);
            } else {
                drain(c, &close_now);
            }
            if (close_now)
                conn_close(r, i, c->state == CONN_HANDSHAKE);
        }
        if (listening && pfds[1].revents)
            accept_clients(r);
    }
    while (r->conn_count)
        conn_close(r, r->conn_count - 1, false);
    free(pfds);
    sigset_t pending;
    struct timespec zero = {0, 0};
    while (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) &&
           sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return NULL;
}

/* ---- start / stop --------------------------------------------------------- */

static SSL_CTX *ctx_new(struct tlsalpn01_responder *r)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx)
        return NULL;
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_num_tickets(ctx, 0);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_client_hello_cb(ctx, client_hello_cb, r);
    SSL_CTX_set_alpn_select_cb(ctx, alpn_select_cb, r);
    return ctx;
}

struct tlsalpn01_responder *tlsalpn01_responder_start(
    const struct tlsalpn01_responder_options *opt, struct deploy_error *err)
{
    deploy_error_clear(err);
    if (!opt) {
        deploy_error_set(err, 0, "no listen address");
        return NULL;
    }
    struct tlsalpn01_responder *r = xcalloc(1, sizeof *r);
    r->listen_fd = listen_socket_open(opt->listen, "TLS-ALPN-01", r->address,
                                      sizeof r->address, &r->port, err);
    if (r->listen_fd < 0) {
        free(r);
        return NULL;
    }
    r->first_byte_ms = opt->first_byte_timeout_ms > 0 ? opt->first_byte_timeout_ms
                                                      : TLSALPN01_FIRST_BYTE_TIMEOUT_MS;
    r->handshake_ms = opt->handshake_timeout_ms > 0 ? opt->handshake_timeout_ms
                                                    : TLSALPN01_HANDSHAKE_TIMEOUT_MS;
    r->on_handshake = opt->on_handshake;
    r->on_dropped = opt->on_dropped;
    r->user = opt->user;
    r->dropped_reported_at = clock_mono_ms(clock_system()) - TLSALPN01_DROP_REPORT_MS;
    pthread_mutex_init(&r->lock, NULL);
    r->ctx = ctx_new(r);
    int e = 0;
    if (!r->ctx) {
        deploy_error_set(err, 0, "cannot start the TLS-ALPN-01 responder: OpenSSL could not "
                         "make a TLS context");
    } else if (pipe(r->wake) != 0 || listen_socket_nonblock(r->wake[0]) != 0 ||
               listen_socket_nonblock(r->wake[1]) != 0) {
        deploy_error_set(err, errno, "cannot start the TLS-ALPN-01 responder: %s",
                         strerror(errno));
    } else if ((e = pthread_create(&r->thread, NULL, responder_main, r)) != 0) {
        deploy_error_set(err, e, "cannot start the TLS-ALPN-01 responder thread: %s",
                         strerror(e));
    } else {
        return r;
    }
    ERR_clear_error();
    close(r->listen_fd);
    if (r->wake[0] > 0) {
        close(r->wake[0]);
        close(r->wake[1]);
    }
    SSL_CTX_free(r->ctx);
    pthread_mutex_destroy(&r->lock);
    free(r);
    return NULL;
}

void tlsalpn01_responder_stop(struct tlsalpn01_responder *r)
{
    if (!r)
        return;
    ssize_t w;
    do
        w = write(r->wake[1], "q", 1);
    while (w < 0 && errno == EINTR);
    pthread_join(r->thread, NULL);
    close(r->listen_fd);
    close(r->wake[0]);
    close(r->wake[1]);
    for (size_t i = 0; i < r->served_count; i++)
        served_free(&r->served[i]);
    free(r->served);
    free(r->conns);
    SSL_CTX_free(r->ctx);
    pthread_mutex_destroy(&r->lock);
    free(r);
}
