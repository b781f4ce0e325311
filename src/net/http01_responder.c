/* http01_responder: the http-01 answer server (see http01_responder.h).
 * One thread in poll() on a wake pipe, the listening socket and every open
 * connection (all non-blocking); each connection reads its request head,
 * gets one answer, is shut down for writing and drained briefly (so the
 * answer is not lost to a reset), then closed.  A full table, or a full
 * share of one address, makes room by evicting the oldest connection still
 * reading its head (conn_evict). */
#include "net/http01_responder.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "model/clock.h"
#include "model/text_sanitize.h"
#include "model/xalloc.h"
#include "net/listen_socket.h"

#define WELL_KNOWN "/.well-known/acme-challenge/"
#define DRAIN_MS 1000
#define SEND_MS 5000      /* to write an answer */
#define RESPONSE_MAX 1024 /* headers of the answers we write */
#define ACCEPT_BATCH 64   /* accepts per poll round: then read what came */

struct answer {
    char *token;
    char *key_authorization;
};

enum conn_state { CONN_READING, CONN_WRITING, CONN_DRAINING };

struct conn {
    int fd;
    enum conn_state state;
    unsigned long long seq; /* accept order: lower is older */
    unsigned char key[LISTEN_SOCKET_KEY]; /* the address it counts against */
    long long accepted_ms, deadline_ms;
    char in[HTTP01_REQUEST_MAX + 1];
    size_t in_len;
    char *out;
    size_t out_len, out_off, head_len;
    struct http01_hit hit;
    bool reported; /* the hit went to the callback */
    bool head_only; /* HEAD: the GET answer's head, no body */
};

struct http01_responder {
    int listen_fd;
    int wake[2];
    int first_byte_ms, head_ms;
    char address[80];
    int port;
    http01_hit_fn on_hit;
    http01_dropped_fn on_dropped;
    void *user;
    pthread_t thread;
    pthread_mutex_t lock; /* guards answers */
    struct answer *answers;
    size_t answer_count;
    /* thread-only from here */
    struct conn **conns;
    size_t conn_count;
    unsigned long long next_seq;
    bool accept_paused; /* out of descriptors with none to evict: until a close */
    unsigned long dropped, dropped_reported; /* closed without an answer; told so far */
    long long dropped_reported_at;
};

static bool token_shaped(const char *s, size_t len)
{
    if (len == 0 || len > HTTP01_TOKEN_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

/* ---- the token table (any thread) ---------------------------------------- */

static void answer_free(struct answer *a)
{
    free(a->token);
    if (a->key_authorization) {
        OPENSSL_cleanse(a->key_authorization, strlen(a->key_authorization));
        free(a->key_authorization);
    }
}

int http01_responder_add(struct http01_responder *r, const char *token,
                         const char *key_authorization, struct deploy_error *err)
{
    deploy_error_clear(err);
    if (!r || !token || !token_shaped(token, strlen(token))) {
        deploy_error_set(err, 0, "cannot serve token \"%.40s\": a token is 1 to %d base64url "
                         "characters (A-Z a-z 0-9 - _)", token ? token : "", HTTP01_TOKEN_MAX);
        return -1;
    }
    size_t kl = key_authorization ? strlen(key_authorization) : 0;
    bool ok = kl > 0 && kl <= 1024;
    for (size_t i = 0; ok && i < kl; i++)
        ok = key_authorization[i] > ' ' && key_authorization[i] < 0x7f;
    if (!ok) {
        deploy_error_set(err, 0, "cannot serve token %.40s: the key authorization must be 1 to "
                         "1024 printable characters without spaces", token);
        return -1;
    }
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < r->answer_count; i++) {
        if (strcmp(r->answers[i].token, token) == 0) {
            char *old = r->answers[i].key_authorization;
            r->answers[i].key_authorization = xstrdup(key_authorization);
            pthread_mutex_unlock(&r->lock);
            OPENSSL_cleanse(old, strlen(old));
            free(old);
            return 0;
        }
    }
    r->answers = xrealloc(r->answers, (r->answer_count + 1) * sizeof *r->answers);
    r->answers[r->answer_count].token = xstrdup(token);
    r->answers[r->answer_count].key_authorization = xstrdup(key_authorization);
    r->answer_count++;
    pthread_mutex_unlock(&r->lock);
    return 0;
}

bool http01_responder_remove(struct http01_responder *r, const char *token)
{
    if (!r || !token)
        return false;
    bool found = false;
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < r->answer_count; i++) {
        if (strcmp(r->answers[i].token, token) == 0) {
            answer_free(&r->answers[i]);
            r->answers[i] = r->answers[--r->answer_count];
            found = true;
            break;
        }
    }
    pthread_mutex_unlock(&r->lock);
    return found;
}

size_t http01_responder_count(struct http01_responder *r)
{
    if (!r)
        return 0;
    pthread_mutex_lock(&r->lock);
    size_t n = r->answer_count;
    pthread_mutex_unlock(&r->lock);
    return n;
}

const char *http01_responder_address(const struct http01_responder *r)
{
    return r ? r->address : "";
}

int http01_responder_port(const struct http01_responder *r)
{
    return r ? r->port : 0;
}

/* Copy of the key authorization for token (len bytes), or NULL. */
static char *answer_lookup(struct http01_responder *r, const char *token, size_t len)
{
    char *out = NULL;
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < r->answer_count; i++) {
        if (strlen(r->answers[i].token) == len && memcmp(r->answers[i].token, token, len) == 0) {
            out = xstrdup(r->answers[i].key_authorization);
            break;
        }
    }
    pthread_mutex_unlock(&r->lock);
    return out;
}

/* ---- one connection (responder thread) ---------------------------------- */

static const char *reason_phrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    default: return "Error";
    }
}

static void conn_respond(struct conn *c, int status, const char *body)
{
    size_t bl = strlen(body);
    c->out = xmalloc(RESPONSE_MAX + bl);
    int n = snprintf(c->out, RESPONSE_MAX,
                     "HTTP/1.1 %d %s\r\n"
                     "Content-Type: text/plain\r\n"
                     "Content-Length: %zu\r\n"
                     "%s"
                     "Cache-Control: no-store\r\n"
                     "Connection: close\r\n"
                     "Server: acmetop\r\n"
                     "\r\n",
                     status, reason_phrase(status), bl,
                     status == 405 ? "Allow: GET, HEAD\r\n" : "");
    memcpy(c->out + n, body, bl);
    c->out_len = (size_t)n + (c->head_only ? 0 : bl);
    c->out_off = 0;
    c->head_len = (size_t)n;
    c->hit.status = status;
    c->hit.bytes = c->head_only ? 0 : bl;
    c->state = CONN_WRITING;
    c->deadline_ms = clock_mono_ms(clock_system()) + SEND_MS;
}

static void copy_cut(char *dst, size_t size, const char *src, size_t len)
{
    if (len >= size) {
        memcpy(dst, src, size - 4);
        memcpy(dst + size - 4, "...", 4);
    } else {
        memcpy(dst, src, len);
        dst[len] = '\0';
    }
    text_sanitize(dst, false);
}

/* The request head is complete (or cut at the limit): decide the answer. */
static void conn_handle(struct http01_responder *r, struct conn *c)
{
    char *line = c->in;
    char *eol = strchr(line, '\n');
    if (eol) {
        *eol = '\0';
        if (eol > line && eol[-1] == '\r')
            eol[-1] = '\0';
    }
    char *sp1 = strchr(line, ' ');
    char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (!sp1 || !sp2 || sp1 == line || sp2 == sp1 + 1 || strchr(sp2 + 1, ' ')) {
        copy_cut(c->hit.path, sizeof c->hit.path, line, strlen(line));
        conn_respond(c, 400, "bad request\n");
        return;
    }
    *sp1 = '\0';
    *sp2 = '\0';
    const char *method = line, *target = sp1 + 1, *version = sp2 + 1;
    copy_cut(c->hit.method, sizeof c->hit.method, method, strlen(method));
    copy_cut(c->hit.path, sizeof c->hit.path, target, strlen(target));
    if (strcmp(version, "HTTP/1.1") != 0 && strcmp(version, "HTTP/1.0") != 0) {
        conn_respond(c, 400, "bad request\n");
        return;
    }
    c->head_only = strcmp(method, "HEAD") == 0; /* curl -I from an operator */
    if (strcmp(method, "GET") != 0 && !c->head_only) {
        conn_respond(c, 405, "method not allowed\n");
        return;
    }
    /* absolute-form (RFC 7230 §5.3.2): http://authority/path */
    if (strncmp(target, "http://", 7) == 0) {
        const char *slash = strchr(target + 7, '/');
        target = slash ? slash : "/";
    }
    size_t wl = strlen(WELL_KNOWN);
    if (strncmp(target, WELL_KNOWN, wl) == 0) {
        const char *token = target + wl;
        size_t tl = strlen(token);
        if (token_shaped(token, tl)) {
            memcpy(c->hit.token, token, tl);
            c->hit.token[tl] = '\0';
            char *ka = answer_lookup(r, token, tl);
            if (ka) {
                conn_respond(c, 200, ka);
                OPENSSL_cleanse(ka, strlen(ka));
                free(ka);
                return;
            }
        }
    }
    conn_respond(c, 404, "not found\n");
}

static void conn_report(struct http01_responder *r, struct conn *c)
{
    if (c->out_off < c->out_len) /* the client left early: count what it got */
        c->hit.bytes = c->out_off > c->head_len ? c->out_off - c->head_len : 0;
    if (!c->reported && r->on_hit)
        r->on_hit(&c->hit, r->user);
    c->reported = true;
}

static void conn_close(struct http01_responder *r, size_t idx, bool report)
{
    struct conn *c = r->conns[idx];
    if (report)
        conn_report(r, c);
    close(c->fd);
    if (c->out) {
        OPENSSL_cleanse(c->out, c->out_len);
        free(c->out);
    }
    free(c);
    r->conns[idx] = r->conns[--r->conn_count];
    r->accept_paused = false; /* a descriptor is free again */
}

/* Readable: read more of the head; answer when it is complete or too big. */
static void conn_read(struct http01_responder *r, struct conn *c, bool *close_now)
{
    for (;;) {
        size_t room = HTTP01_REQUEST_MAX - c->in_len;
        if (room == 0)
            break;
        ssize_t n = recv(c->fd, c->in + c->in_len, room, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) { /* closed before a whole request, or an error */
            *close_now = true;
            return;
        }
        c->in_len += (size_t)n;
        c->in[c->in_len] = '\0';
        c->deadline_ms = c->accepted_ms + r->head_ms; /* it spoke: now the whole head */
        if (memchr(c->in, '\0', c->in_len)) { /* a NUL has no place in a request head */
            c->in_len = (size_t)(strchr(c->in, '\0') - c->in);
            conn_respond(c, 400, "bad request\n");
            return;
        }
        char *eol = strchr(c->in, '\n');
        if ((!eol && c->in_len > HTTP01_LINE_MAX) || (eol && eol - c->in > HTTP01_LINE_MAX)) {
            copy_cut(c->hit.path, sizeof c->hit.path, c->in, c->in_len);
            conn_respond(c, 414, "request line too long\n");
            return;
        }
        if (strstr(c->in, "\r\n\r\n") || strstr(c->in, "\n\n")) {
            conn_handle(r, c);
            return;
        }
    }
    /* the buffer is full and the head has not ended */
    char *eol = strchr(c->in, '\n');
    *eol = '\0'; /* a line end exists: the line-length test above passed */
    c->in_len = (size_t)(eol - c->in);
    char *sp = strchr(c->in, ' ');
    if (sp)
        copy_cut(c->hit.method, sizeof c->hit.method, c->in, (size_t)(sp - c->in));
    conn_respond(c, 431, "request head too large\n");
}

/* Writable: send more of the answer; then report the hit, shut down
 * writing and drain. */
static void conn_write(struct http01_responder *r, struct conn *c, bool *close_now)
{
    while (c->out_off < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            *close_now = true;
            return;
        }
        c->out_off += (size_t)n;
    }
    conn_report(r, c);
    shutdown(c->fd, SHUT_WR);
    c->state = CONN_DRAINING;
    c->deadline_ms = clock_mono_ms(clock_system()) + DRAIN_MS;
}

static void conn_drain(struct conn *c, bool *close_now)
{
    char buf[1024];
    for (;;) {
        ssize_t n = recv(c->fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            *close_now = true;
            return;
        }
    }
}

/* Make room: close the oldest connection (of address key; any when NULL)
 * that is still reading its request head.  What it sent is read first: a
 * complete request waiting in its socket is answered, and the next oldest
 * is tried.  An evicted connection counts as dropped.  False when there is
 * none to evict (every connection is answering). */
static bool conn_evict(struct http01_responder *r, const unsigned char *key)
{
    for (;;) {
        size_t victim = r->conn_count;
        for (size_t i = 0; i < r->conn_count; i++) {
            const struct conn *c = r->conns[i];
            if (c->state == CONN_READING && (!key || memcmp(c->key, key, LISTEN_SOCKET_KEY) == 0) &&
                (victim == r->conn_count || c->seq < r->conns[victim]->seq))
                victim = i;
        }
        if (victim == r->conn_count)
            return false;
        struct conn *c = r->conns[victim];
        bool close_now = false;
        conn_read(r, c, &close_now);
        if (!close_now && c->state == CONN_WRITING) {
            conn_write(r, c, &close_now);
            if (!close_now)
                continue; /* answered, not idle after all */
        }
        if (!close_now)
            r->dropped++; /* still no complete request: evicted */
        conn_close(r, victim, c->state != CONN_READING);
        return true;
    }
}

static bool any_reading(const struct http01_responder *r)
{
    for (size_t i = 0; i < r->conn_count; i++)
        if (r->conns[i]->state == CONN_READING)
            return true;
    return false;
}

static size_t address_count(const struct http01_responder *r, const unsigned char *key)
{
    size_t n = 0;
    for (size_t i = 0; i < r->conn_count; i++)
        n += memcmp(r->conns[i]->key, key, LISTEN_SOCKET_KEY) == 0;
    return n;
}

static void accept_clients(struct http01_responder *r)
{
    for (int k = 0; k < ACCEPT_BATCH; k++) {
        if (r->conn_count >= HTTP01_MAX_CLIENTS && !any_reading(r))
            return; /* every slot is answering: the rest wait in the backlog */
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        int fd = accept(r->listen_fd, (struct sockaddr *)&ss, &sl);
        if (fd < 0) {
            int e = errno;
            if (e == EINTR || e == ECONNABORTED)
                continue;
            if (e == EMFILE || e == ENFILE) { /* out of descriptors: free one */
                if (conn_evict(r, NULL))
                    continue;
                r->accept_paused = true;
            }
            return; /* EAGAIN, or nothing to evict: try again on the next readiness */
        }
        if (listen_socket_nonblock(fd) != 0) {
            close(fd);
            continue;
        }
        unsigned char key[LISTEN_SOCKET_KEY];
        listen_socket_peer_key(&ss, key);
        bool room = address_count(r, key) < HTTP01_PER_ADDRESS_MAX
                        ? r->conn_count < HTTP01_MAX_CLIENTS || conn_evict(r, NULL)
                        : conn_evict(r, key);
        if (!room) { /* every slot it could take is answering */
            close(fd);
            r->dropped++;
            continue;
        }
        struct conn *c = xcalloc(1, sizeof *c);
        c->fd = fd;
        c->state = CONN_READING;
        c->seq = r->next_seq++;
        memcpy(c->key, key, LISTEN_SOCKET_KEY);
        c->accepted_ms = clock_mono_ms(clock_system());
        c->deadline_ms = c->accepted_ms + r->first_byte_ms;
        listen_socket_peer_text(&ss, c->hit.remote, sizeof c->hit.remote);
        r->conns = xrealloc(r->conns, (r->conn_count + 1) * sizeof *r->conns);
        r->conns[r->conn_count++] = c;
    }
}

/* Tell on_dropped the new total, at most once per HTTP01_DROP_REPORT_MS;
 * the time it is due when a report waits, else -1. */
static long long report_dropped(struct http01_responder *r, long long now)
{
    if (!r->on_dropped || r->dropped == r->dropped_reported)
        return -1;
    long long due = r->dropped_reported_at + HTTP01_DROP_REPORT_MS;
    if (now < due)
        return due;
    r->on_dropped(r->dropped, r->user);
    r->dropped_reported = r->dropped;
    r->dropped_reported_at = now;
    return -1;
}

static void *responder_main(void *arg)
{
    struct http01_responder *r = arg;
    struct pollfd *pfds = xcalloc(HTTP01_MAX_CLIENTS + 2, sizeof *pfds);
    for (;;) {
        long long now = clock_mono_ms(clock_system());
        /* timeouts first */
        for (size_t i = 0; i < r->conn_count;) {
            struct conn *c = r->conns[i];
            if (c->deadline_ms > now) {
                i++;
                continue;
            }
            if (c->state == CONN_READING && c->in_len > 0) {
                /* part of a request came: say 408, then close */
                c->in[c->in_len] = '\0';
                char *eol = strchr(c->in, '\n');
                size_t ll = eol ? (size_t)(eol - c->in) : c->in_len;
                char *sp = memchr(c->in, ' ', ll);
                if (sp)
                    copy_cut(c->hit.method, sizeof c->hit.method, c->in, (size_t)(sp - c->in));
                conn_respond(c, 408, "request timeout\n");
                c->deadline_ms = now + DRAIN_MS;
                i++;
                continue;
            }
            /* idle connection that never spoke, a stalled writer, or drained */
            if (c->state == CONN_READING)
                r->dropped++;
            conn_close(r, i, c->state == CONN_DRAINING);
        }
        long long next = report_dropped(r, now);
        size_t n = 0;
        pfds[n++] = (struct pollfd){.fd = r->wake[0], .events = POLLIN};
        /* room, or an idle connection to evict for a new one */
        bool listening = !r->accept_paused &&
                         (r->conn_count < HTTP01_MAX_CLIENTS || any_reading(r));
        if (listening)
            pfds[n++] = (struct pollfd){.fd = r->listen_fd, .events = POLLIN};
        size_t first_conn = n;
        for (size_t i = 0; i < r->conn_count; i++) {
            struct conn *c = r->conns[i];
            pfds[n++] = (struct pollfd){
                .fd = c->fd, .events = c->state == CONN_WRITING ? POLLOUT : POLLIN};
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
            break; /* stop requested */
        /* connections, from the end so that closing one keeps the indices of
           those not yet visited (conn_close moves the last into the hole) */
        for (size_t k = n; k-- > first_conn;) {
            size_t i = k - first_conn;
            if (!pfds[k].revents)
                continue;
            struct conn *c = r->conns[i];
            bool close_now = false;
            if (c->state == CONN_READING) {
                conn_read(r, c, &close_now);
                if (!close_now && c->state == CONN_WRITING)
                    conn_write(r, c, &close_now); /* usually all fits at once */
            } else if (c->state == CONN_WRITING) {
                conn_write(r, c, &close_now);
            } else {
                conn_drain(c, &close_now);
            }
            if (close_now)
                conn_close(r, i, c->state != CONN_READING);
        }
        if (listening && pfds[1].revents)
            accept_clients(r);
    }
    while (r->conn_count)
        conn_close(r, r->conn_count - 1, false);
    free(pfds);
    return NULL;
}

/* ---- start / stop --------------------------------------------------------- */

struct http01_responder *http01_responder_start(const struct http01_responder_options *opt,
                                                struct deploy_error *err)
{
    deploy_error_clear(err);
    if (!opt) {
        deploy_error_set(err, 0, "no listen address");
        return NULL;
    }
    char address[80];
    int port = 0;
    int fd = listen_socket_open(opt->listen, "HTTP-01", address, sizeof address, &port, err);
    if (fd < 0)
        return NULL;
    struct http01_responder *r = xcalloc(1, sizeof *r);
    r->listen_fd = fd;
    r->port = port;
    snprintf(r->address, sizeof r->address, "%s", address);
    r->first_byte_ms = opt->first_byte_timeout_ms > 0 ? opt->first_byte_timeout_ms
                                                      : HTTP01_FIRST_BYTE_TIMEOUT_MS;
    r->head_ms = opt->head_timeout_ms > 0 ? opt->head_timeout_ms : HTTP01_HEAD_TIMEOUT_MS;
    r->on_hit = opt->on_hit;
    r->on_dropped = opt->on_dropped;
    r->user = opt->user;
    r->dropped_reported_at = clock_mono_ms(clock_system()) - HTTP01_DROP_REPORT_MS;
    pthread_mutex_init(&r->lock, NULL);
    if (pipe(r->wake) != 0 || listen_socket_nonblock(r->wake[0]) != 0 ||
        listen_socket_nonblock(r->wake[1]) != 0) {
        deploy_error_set(err, errno, "cannot start the HTTP-01 responder: %s", strerror(errno));
        close(fd);
        pthread_mutex_destroy(&r->lock);
        free(r);
        return NULL;
    }
    int e = pthread_create(&r->thread, NULL, responder_main, r);
    if (e != 0) {
        deploy_error_set(err, e, "cannot start the HTTP-01 responder thread: %s", strerror(e));
        close(fd);
        close(r->wake[0]);
        close(r->wake[1]);
        pthread_mutex_destroy(&r->lock);
        free(r);
        return NULL;
    }
    return r;
}

void http01_responder_stop(struct http01_responder *r)
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
    for (size_t i = 0; i < r->answer_count; i++)
        answer_free(&r->answers[i]);
    free(r->answers);
    free(r->conns);
    pthread_mutex_destroy(&r->lock);
    free(r);
}
