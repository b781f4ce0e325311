/* test_responder: the HTTP-01 responder over real sockets on 127.0.0.1
 * (port 0), seen the way a CA and a curious scanner see it: the exact key
 * authorization for a served token, 404 for unknown tokens and for every
 * path outside the challenge directory (traversal, encoded slashes, queries,
 * overlong tokens), HEAD without the body, 405 for other methods, 414/431
 * for oversized requests, 408 for a stalled one; each hit reported with the client's address;
 * tokens added, replaced and removed while running; 100 clients at once;
 * slowloris: 1,000 idle connections held open (silent or dripping a head)
 * do not keep the CA's request from an answer within 1 s, the
 * per-address cap evicts the oldest idle connection of that address, and
 * every connection dropped without an answer is counted;
 * a prompt stop with connections open; and the messages an operator gets
 * when the address is taken or the port needs privileges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/xalloc.h"
#include "net/http01_responder.h"

#define TOKEN "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"
#define KEYAUTH TOKEN ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"
#define PATH "/.well-known/acme-challenge/" TOKEN

/* ---- hits seen by the callback (responder thread) ----------------------- */

struct hits {
    pthread_mutex_t lock;
    struct http01_hit items[512];
    size_t count;
    unsigned long dropped; /* the last total on_dropped gave */
};

static void on_hit(const struct http01_hit *hit, void *user)
{
    struct hits *h = user;
    pthread_mutex_lock(&h->lock);
    if (h->count < sizeof h->items / sizeof h->items[0])
        h->items[h->count++] = *hit;
    pthread_mutex_unlock(&h->lock);
}

static void on_dropped(unsigned long total, void *user)
{
    struct hits *h = user;
    pthread_mutex_lock(&h->lock);
    h->dropped = total;
    pthread_mutex_unlock(&h->lock);
}

/* The dropped total reported, once it is at least `want` (waits up to 3 s:
 * reports come at most once a second). */
static unsigned long dropped_wait(struct hits *h, unsigned long want)
{
    unsigned long n = 0;
    for (int i = 0; i < 300; i++) {
        pthread_mutex_lock(&h->lock);
        n = h->dropped;
        pthread_mutex_unlock(&h->lock);
        if (n >= want)
            break;
        usleep(10000);
    }
    return n;
}

static size_t hits_count(struct hits *h)
{
    pthread_mutex_lock(&h->lock);
    size_t n = h->count;
    pthread_mutex_unlock(&h->lock);
    return n;
}

/* The last hit, once at least `want` hits arrived (waits up to 2 s). */
static struct http01_hit hits_wait(struct hits *h, size_t want)
{
    for (int i = 0; i < 200 && hits_count(h) < want; i++)
        usleep(10000);
    pthread_mutex_lock(&h->lock);
    assert_true(h->count >= want);
    struct http01_hit last = h->items[h->count - 1];
    pthread_mutex_unlock(&h->lock);
    return last;
}

struct fixture {
    struct http01_responder *r;
    struct hits hits;
};

static int setup_timeout(void **state, int first_byte_ms, int head_ms)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    pthread_mutex_init(&f->hits.lock, NULL);
    struct http01_responder_options opt = {.listen = "127.0.0.1:0", .on_hit = on_hit,
                                           .on_dropped = on_dropped, .user = &f->hits,
                                           .first_byte_timeout_ms = first_byte_ms,
                                           .head_timeout_ms = head_ms};
    struct deploy_error err;
    f->r = http01_responder_start(&opt, &err);
    if (!f->r) {
        fprintf(stderr, "responder: %s\n", err.message);
        free(f);
        return -1;
    }
    if (http01_responder_add(f->r, TOKEN, KEYAUTH, &err) != 0)
        return -1;
    *state = f;
    return 0;
}

static int setup(void **state)
{
    return setup_timeout(state, 0, 0);
}

static int setup_short_timeouts(void **state)
{
    return setup_timeout(state, 300, 800);
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    http01_responder_stop(f->r);
    pthread_mutex_destroy(&f->hits.lock);
    free(f);
    return 0;
}

/* ---- a raw HTTP client ------------------------------------------------------ */

/* A connection from the loopback address 127.0.0.<host> (another host as
 * far as the responder's per-address cap goes). */
static int client_connect_from(int host, int port, int *local_port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        fail_msg("socket: %s", strerror(errno));
    struct sockaddr_in me = {.sin_family = AF_INET};
    me.sin_addr.s_addr = htonl(INADDR_LOOPBACK - 1 + (uint32_t)host);
    int one = 1; /* the port is picked by connect(), as without bind() */
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof me), 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    if (local_port) {
        struct sockaddr_in me;
        socklen_t l = sizeof me;
        getsockname(fd, (struct sockaddr *)&me, &l);
        *local_port = ntohs(me.sin_port);
    }
    return fd;
}

static int client_connect(int port, int *local_port)
{
    return client_connect_from(1, port, local_port);
}

static void send_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t w = send(fd, data, len, MSG_NOSIGNAL);
        if (w <= 0)
            return; /* the server may close on an oversized request */
        data += w;
        len -= (size_t)w;
    }
}

/* Read to EOF (up to 3 s); the response text, newly allocated. */
static char *read_all(int fd)
{
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 3000) <= 0)
            break;
        if (n + 1024 > cap)
            buf = xrealloc(buf, cap *= 2);
        ssize_t r = recv(fd, buf + n, cap - n - 1, 0);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    return buf;
}

/* Send request (raw bytes), return the whole response. */
static char *http_raw(struct fixture *f, const char *request, size_t len, int *local_port)
{
    int fd = client_connect(http01_responder_port(f->r), local_port);
    send_all(fd, request, len);
    char *resp = read_all(fd);
    close(fd);
    return resp;
}

static int status_of(const char *resp)
{
    int status = 0;
    if (sscanf(resp, "HTTP/1.1 %d ", &status) != 1)
        return -1;
    return status;
}

static const char *body_of(const char *resp)
{
    const char *b = strstr(resp, "\r\n\r\n");
    return b ? b + 4 : "";
}

static int get_status(struct fixture *f, const char *target)
{
    char req[8192];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: www.demo.test\r\n\r\n", target);
    char *resp = http_raw(f, req, (size_t)n, NULL);
    int s = status_of(resp);
    free(resp);
    return s;
}

/* ---- tests -------------------------------------------------------------------- */

static void test_serves_the_exact_key_authorization(void **state)
{
    struct fixture *f = *state;
    const char req[] = "GET " PATH " HTTP/1.1\r\nHost: www.demo.test\r\nUser-Agent: pebble\r\n"
                       "Accept: */*\r\n\r\n";
    int local = 0;
    char *resp = http_raw(f, req, sizeof req - 1, &local);
    assert_int_equal(status_of(resp), 200);
    assert_non_null(strstr(resp, "\r\nContent-Type: text/plain\r\n"));
    char cl[64];
    snprintf(cl, sizeof cl, "\r\nContent-Length: %zu\r\n", strlen(KEYAUTH));
    assert_non_null(strstr(resp, cl));
    assert_string_equal(body_of(resp), KEYAUTH); /* exactly: no newline added */
    free(resp);
    struct http01_hit hit = hits_wait(&f->hits, 1);
    char remote[64];
    snprintf(remote, sizeof remote, "127.0.0.1:%d", local);
    assert_string_equal(hit.remote, remote);
    assert_string_equal(hit.method, "GET");
    assert_string_equal(hit.token, TOKEN);
    assert_string_equal(hit.path, PATH);
    assert_int_equal(hit.status, 200);
    assert_int_equal(hit.bytes, strlen(KEYAUTH));
    /* HTTP/1.0, bare \n line ends and absolute-form targets work too */
    const char old[] = "GET " PATH " HTTP/1.0\n\n";
    resp = http_raw(f, old, sizeof old - 1, NULL);
    assert_string_equal(body_of(resp), KEYAUTH);
    free(resp);
    assert_int_equal(get_status(f, "http://www.demo.test" PATH), 200);
}

static void test_unknown_token_is_404_and_reported(void **state)
{
    struct fixture *f = *state;
    int local = 0;
    const char req[] = "GET /.well-known/acme-challenge/unknownToken_123 HTTP/1.1\r\n\r\n";
    char *resp = http_raw(f, req, sizeof req - 1, &local);
    assert_int_equal(status_of(resp), 404);
    assert_null(strstr(resp, KEYAUTH));
    free(resp);
    struct http01_hit hit = hits_wait(&f->hits, 1);
    assert_int_equal(hit.status, 404);
    assert_string_equal(hit.token, "unknownToken_123");
    char remote[64];
    snprintf(remote, sizeof remote, "127.0.0.1:%d", local);
    assert_string_equal(hit.remote, remote);
}

static void test_paths_outside_the_challenge_directory_are_404(void **state)
{
    struct fixture *f = *state;
    static const char *const targets[] = {
        "/.well-known/acme-challenge/../x",
        "/.well-known/acme-challenge/../../etc/passwd",
        "/etc/passwd",
        "/",
        "/.well-known/acme-challenge/",
        "/.well-known/acme-challenge",
        "/.well-known/acme-challenge/%2e%2e%2fetc%2fpasswd",
        "/.well-known/acme-challenge/" TOKEN "%2F..",
        "/.well-known/acme-challenge/" TOKEN "/",
        "/.well-known/acme-challenge/" TOKEN "?x=1",
        "/.well-known/acme-challenge/" TOKEN "#frag",
        "//.well-known/acme-challenge/" TOKEN,
        "/.well-known/./acme-challenge/" TOKEN,
        "/.WELL-KNOWN/acme-challenge/" TOKEN,
        "/.well-known/acme-challenge/.." ,
        "*",
    };
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        int s = get_status(f, targets[i]);
        if (s != 404)
            fail_msg("%s answered %d, expected 404", targets[i], s);
    }
    /* an overlong token-shaped name (within the request limits) */
    char target[1200];
    int n = snprintf(target, sizeof target, "/.well-known/acme-challenge/");
    memset(target + n, 'A', 1000);
    target[n + 1000] = '\0';
    assert_int_equal(get_status(f, target), 404);
}

static void test_other_methods_are_405(void **state)
{
    struct fixture *f = *state;
    static const char *const methods[] = {"POST", "PUT", "DELETE", "OPTIONS", "TRACE", "get"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        char req[512];
        int n = snprintf(req, sizeof req, "%s " PATH " HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
                         methods[i]);
        char *resp = http_raw(f, req, (size_t)n, NULL);
        assert_int_equal(status_of(resp), 405);
        assert_non_null(strstr(resp, "\r\nAllow: GET, HEAD\r\n"));
        assert_null(strstr(resp, KEYAUTH));
        free(resp);
    }
    struct http01_hit hit = hits_wait(&f->hits, 6);
    assert_int_equal(hit.status, 405);
    assert_string_equal(hit.method, "get");
}

/* HEAD (an operator's curl -I): the head of the GET answer, no body */
static void test_head_answers_without_the_body(void **state)
{
    struct fixture *f = *state;
    char req[512];
    int n = snprintf(req, sizeof req, "HEAD " PATH " HTTP/1.1\r\nHost: t\r\n\r\n");
    char *resp = http_raw(f, req, (size_t)n, NULL);
    assert_int_equal(status_of(resp), 200);
    char cl[64];
    snprintf(cl, sizeof cl, "\r\nContent-Length: %zu\r\n", strlen(KEYAUTH));
    assert_non_null(strstr(resp, cl));
    assert_string_equal(body_of(resp), "");
    free(resp);
    struct http01_hit hit = hits_wait(&f->hits, 1);
    assert_int_equal(hit.status, 200);
    assert_string_equal(hit.method, "HEAD");
    assert_int_equal(hit.bytes, 0);
    n = snprintf(req, sizeof req,
                 "HEAD /.well-known/acme-challenge/unknownToken_1 HTTP/1.1\r\n\r\n");
    resp = http_raw(f, req, (size_t)n, NULL);
    assert_int_equal(status_of(resp), 404);
    assert_string_equal(body_of(resp), "");
    free(resp);
}

static void test_malformed_and_oversized_requests(void **state)
{
    struct fixture *f = *state;
    static const char *const bad[] = {
        "GET\r\n\r\n",
        "GET " PATH "\r\n\r\n",
        "GET " PATH " HTTP/2.0\r\n\r\n",
        "GET  " PATH " HTTP/1.1\r\n\r\n",
        "\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *resp = http_raw(f, bad[i], strlen(bad[i]), NULL);
        if (status_of(resp) != 400)
            fail_msg("request %zu answered %d, expected 400", i, status_of(resp));
        free(resp);
    }
    /* a NUL byte in the request */
    const char nul[] = "GET /.well-known/acme-challenge/x\0y HTTP/1.1\r\n\r\n";
    char *resp = http_raw(f, nul, sizeof nul - 1, NULL);
    assert_int_equal(status_of(resp), 400);
    free(resp);
    /* request line over HTTP01_LINE_MAX: 414 */
    char *big = xmalloc(HTTP01_REQUEST_MAX * 2);
    int n = snprintf(big, HTTP01_REQUEST_MAX * 2, "GET /.well-known/acme-challenge/");
    memset(big + n, 'A', HTTP01_LINE_MAX + 100);
    n += HTTP01_LINE_MAX + 100;
    n += snprintf(big + n, 64, " HTTP/1.1\r\n\r\n");
    resp = http_raw(f, big, (size_t)n, NULL);
    assert_int_equal(status_of(resp), 414);
    free(resp);
    /* headers over HTTP01_REQUEST_MAX: 431 */
    n = snprintf(big, HTTP01_REQUEST_MAX * 2, "GET " PATH " HTTP/1.1\r\n");
    while (n < HTTP01_REQUEST_MAX + 500)
        n += snprintf(big + n, 64, "X-Filler: %040d\r\n", n);
    n += snprintf(big + n, 8, "\r\n");
    resp = http_raw(f, big, (size_t)n, NULL);
    assert_int_equal(status_of(resp), 431);
    assert_null(strstr(resp, KEYAUTH));
    free(resp);
    free(big);
    struct http01_hit hit = hits_wait(&f->hits, 8);
    assert_int_equal(hit.status, 431);
}

static void test_tokens_change_while_running(void **state)
{
    struct fixture *f = *state;
    struct deploy_error err;
    assert_int_equal(http01_responder_count(f->r), 1);
    assert_int_equal(http01_responder_add(f->r, "second_Token-2", "second_Token-2.thumb", &err), 0);
    assert_int_equal(http01_responder_count(f->r), 2);
    const char req[] = "GET /.well-known/acme-challenge/second_Token-2 HTTP/1.1\r\n\r\n";
    char *resp = http_raw(f, req, sizeof req - 1, NULL);
    assert_string_equal(body_of(resp), "second_Token-2.thumb");
    free(resp);
    /* replace the answer of a token */
    assert_int_equal(http01_responder_add(f->r, "second_Token-2", "second_Token-2.other", &err), 0);
    assert_int_equal(http01_responder_count(f->r), 2);
    resp = http_raw(f, req, sizeof req - 1, NULL);
    assert_string_equal(body_of(resp), "second_Token-2.other");
    free(resp);
    /* remove */
    assert_true(http01_responder_remove(f->r, "second_Token-2"));
    assert_false(http01_responder_remove(f->r, "second_Token-2"));
    assert_int_equal(get_status(f, "/.well-known/acme-challenge/second_Token-2"), 404);
    assert_int_equal(get_status(f, PATH), 200);
    /* tokens and answers that could never be served are refused */
    assert_int_equal(http01_responder_add(f->r, "../etc", "x", &err), -1);
    assert_non_null(strstr(err.message, "base64url"));
    assert_int_equal(http01_responder_add(f->r, "", "x", &err), -1);
    assert_int_equal(http01_responder_add(f->r, "ok", "with space", &err), -1);
    assert_int_equal(http01_responder_add(f->r, "ok", "line\r\nX-Injected: 1", &err), -1);
    assert_int_equal(http01_responder_count(f->r), 1);
}

static void test_hundred_clients_at_once(void **state)
{
    struct fixture *f = *state;
    enum { N = 100 };
    int fds[N];
    int port = http01_responder_port(f->r);
    for (int i = 0; i < N; i++) /* 25 from each of 4 addresses: within the per-address cap */
        fds[i] = client_connect_from(1 + i % 4, port, NULL);
    /* all connected before any speaks: the server must hold them all */
    const char req[] = "GET " PATH " HTTP/1.1\r\n\r\n";
    for (int i = N; i-- > 0;)
        send_all(fds[i], req, sizeof req - 1);
    int ok = 0;
    for (int i = 0; i < N; i++) {
        char *resp = read_all(fds[i]);
        if (status_of(resp) == 200 && strcmp(body_of(resp), KEYAUTH) == 0)
            ok++;
        free(resp);
        close(fds[i]);
    }
    assert_int_equal(ok, N);
    hits_wait(&f->hits, N);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Whether the server closed fd without sending a byte within ms. */
static bool closed_silently_within(int fd, int ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, ms) <= 0)
        return false;
    char c;
    return recv(fd, &c, 1, 0) <= 0;
}

/* first-byte timeout 300 ms, head timeout 800 ms */
static void test_silent_client_dropped_dripping_client_gets_408(void **state)
{
    struct fixture *f = *state;
    int port = http01_responder_port(f->r);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const char head[] = "GET /.well-known/acme-challenge/" TOKEN " HTTP/1.1\r\nX-Slow: aaaaaaaa";
    int slow = client_connect(port, NULL);
    send_all(slow, head, 1);
    int silent = client_connect(port, NULL);
    /* the silent one is closed at the first-byte timeout, without a word,
       and counted as dropped */
    assert_true(closed_silently_within(silent, 2000));
    double waited = seconds_since(&t0);
    assert_true(waited > 0.2 && waited < 0.7);
    assert_int_equal(dropped_wait(&f->hits, 1), 1);
    /* the slow one drips a byte every 50 ms: the head timeout counts from
       the connection, the drip does not extend it */
    struct pollfd p = {.fd = slow, .events = POLLIN};
    for (size_t i = 1; i < sizeof head - 1 && poll(&p, 1, 50) == 0; i++)
        send_all(slow, head + i, 1);
    char *resp = read_all(slow);
    waited = seconds_since(&t0);
    assert_int_equal(status_of(resp), 408);
    assert_true(waited > 0.7 && waited < 2.0);
    free(resp);
    close(slow);
    close(silent);
    struct http01_hit hit = hits_wait(&f->hits, 1);
    assert_int_equal(hit.status, 408);
    assert_string_equal(hit.method, "GET");
    usleep(100000);
    assert_int_equal(hits_count(&f->hits), 1);   /* the silent one made no hit */
    assert_int_equal(dropped_wait(&f->hits, 1), 1); /* and the 408 is no drop */
}

/* One address holds at most HTTP01_PER_ADDRESS_MAX connections: the next
 * one evicts the oldest of that address still without a complete request
 * (silent or partway through its head), closed without a word and counted;
 * another address's connections are not touched; the CA's request from the
 * crowded address is answered. */
static void test_per_address_cap_evicts_the_oldest_idle(void **state)
{
    struct fixture *f = *state;
    int port = http01_responder_port(f->r);
    enum { CAP = HTTP01_PER_ADDRESS_MAX };
    int mine[CAP + 1], other[CAP];
    for (int i = 0; i < CAP; i++)
        mine[i] = client_connect_from(1, port, NULL);
    for (int i = 0; i < CAP; i++)
        other[i] = client_connect_from(2, port, NULL);
    send_all(mine[1], "GET /.well-known/acme", 21); /* partway */
    assert_false(closed_silently_within(mine[0], 200)); /* all held so far */
    mine[CAP] = client_connect_from(1, port, NULL);      /* one over the cap */
    assert_true(closed_silently_within(mine[0], 2000));  /* the oldest goes */
    assert_int_equal(dropped_wait(&f->hits, 1), 1);
    assert_false(closed_silently_within(mine[1], 100));
    assert_false(closed_silently_within(other[0], 0));
    /* the CA, from the same address: answered; the next oldest (the partial
       head) made room, without a 408 */
    int ca = client_connect_from(1, port, NULL);
    const char req[] = "GET " PATH " HTTP/1.1\r\nHost: www.demo.test\r\n\r\n";
    send_all(ca, req, sizeof req - 1);
    char *resp = read_all(ca);
    close(ca);
    assert_int_equal(status_of(resp), 200);
    assert_string_equal(body_of(resp), KEYAUTH);
    free(resp);
    assert_true(closed_silently_within(mine[1], 2000));
    assert_false(closed_silently_within(mine[2], 0));
    assert_int_equal(dropped_wait(&f->hits, 2), 2);
    for (int i = 0; i < CAP; i++)
        assert_false(closed_silently_within(other[i], 0));
    struct http01_hit hit = hits_wait(&f->hits, 1);
    assert_int_equal(hit.status, 200);
    assert_int_equal(hits_count(&f->hits), 1);
    for (int i = 0; i <= CAP; i++)
        close(mine[i]);
    for (int i = 0; i < CAP; i++)
        close(other[i]);
}

/* The responder's thread held in on_hit until the test writes a byte to
 * the gate (so that connections pile up in the listen backlog). */
static void on_hit_gated(const struct http01_hit *hit, void *user)
{
    (void)hit;
    char c;
    while (read(*(int *)user, &c, 1) < 0 && errno == EINTR)
        ;
}

/* A new connection over the cap evicts the oldest idle one of its address,
 * but a request that already waits in that one's socket (the responder was
 * busy and has not read it yet) is answered instead: the CA's connection,
 * accepted just before a burst from its own address, survives the burst. */
static void test_request_waiting_in_socket_is_answered_not_evicted(void **state)
{
    (void)state;
    int gate[2];
    assert_int_equal(pipe(gate), 0);
    struct http01_responder_options opt = {.listen = "127.0.0.1:0", .on_hit = on_hit_gated,
                                           .user = &gate[0]};
    struct deploy_error err;
    struct http01_responder *r = http01_responder_start(&opt, &err);
    assert_non_null(r);
    assert_int_equal(http01_responder_add(r, TOKEN, KEYAUTH, &err), 0);
    int port = http01_responder_port(r);
    enum { CAP = HTTP01_PER_ADDRESS_MAX };
    int idle[2 * CAP];
    for (int i = 0; i < CAP; i++)
        idle[i] = client_connect_from(1, port, NULL);
    usleep(100000); /* all accepted */
    /* a request from elsewhere: its hit holds the responder's thread */
    int other = client_connect_from(2, port, NULL);
    const char req[] = "GET " PATH " HTTP/1.1\r\n\r\n";
    send_all(other, req, sizeof req - 1);
    usleep(100000);
    /* meanwhile the CA connects and asks, then CAP more idle ones come */
    int ca = client_connect_from(1, port, NULL);
    send_all(ca, req, sizeof req - 1);
    for (int i = CAP; i < 2 * CAP; i++)
        idle[i] = client_connect_from(1, port, NULL);
    assert_int_equal(write(gate[1], "xx", 2), 2); /* the hits of other and ca */
    char *resp = read_all(ca);
    assert_int_equal(status_of(resp), 200);
    assert_string_equal(body_of(resp), KEYAUTH);
    free(resp);
    resp = read_all(other);
    assert_int_equal(status_of(resp), 200);
    free(resp);
    assert_true(closed_silently_within(idle[0], 1000)); /* the burst evicted the old ones */
    http01_responder_stop(r);
    close(ca);
    close(other);
    for (int i = 0; i < 2 * CAP; i++)
        close(idle[i]);
    close(gate[0]);
    close(gate[1]);
}

/* ---- slowloris: 1,000 idle connections ------------------------------------- */

enum { IDLE = 1000, IDLE_HOSTS = 21 };

struct idle_crowd {
    int fds[IDLE];
    atomic_bool stop;
};

/* The half that started a head drips one more byte every 50 ms (into an
 * endless header line), as a slowloris client does to look alive. */
static void *drip(void *arg)
{
    struct idle_crowd *crowd = arg;
    while (!atomic_load(&crowd->stop)) {
        for (int i = 1; i < IDLE; i += 2)
            send(crowd->fds[i], "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT); /* evicted: fails */
        usleep(50000);
    }
    return NULL;
}

/* One request as the CA makes it from 127.0.0.<host>: true when answered
 * 200 with the key authorization; *took: connect to the last byte. */
static bool ca_fetch(int port, int host, double *took)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int fd = client_connect_from(host, port, NULL);
    const char req[] = "GET " PATH " HTTP/1.1\r\nHost: www.demo.test\r\nAccept: */*\r\n\r\n";
    send_all(fd, req, sizeof req - 1);
    char *resp = read_all(fd);
    *took = seconds_since(&t0);
    close(fd);
    bool ok = status_of(resp) == 200 && strcmp(body_of(resp), KEYAUTH) == 0;
    free(resp);
    return ok;
}

/* 1,000 connections held open -- half from the CA's own address
 * (127.0.0.1), half from 20 others; half silent, half dripping a head --
 * more than the responder holds in all (HTTP01_MAX_CLIENTS) and than one
 * address may (HTTP01_PER_ADDRESS_MAX).  Then the CA's requests, from fresh
 * addresses (the first finds the table full), from its crowded address and
 * from an attacker's: each answered 200 with the key authorization in
 * under 1 s, the idle ones evicted to make room and counted as dropped. */
static void test_thousand_idle_connections_do_not_delay_the_ca(void **state)
{
    struct fixture *f = *state;
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur < IDLE + HTTP01_MAX_CLIENTS + 64)
        fail_msg("RLIMIT_NOFILE %lu: the test needs %d descriptors", (unsigned long)rl.rlim_cur,
                 IDLE + HTTP01_MAX_CLIENTS + 64);
    int port = http01_responder_port(f->r);
    static struct idle_crowd crowd; /* 4 KB of descriptors: not on the stack */
    atomic_init(&crowd.stop, false);
    const char start[] = "GET /.well-known/acme-challenge/" TOKEN " HTTP/1.1\r\nX-Slow: ";
    for (int i = 0; i < IDLE; i++) {
        int host = i < IDLE / 2 ? 1 : 2 + i % (IDLE_HOSTS - 1); /* 127.0.0.1, .2 .. .21 */
        crowd.fds[i] = client_connect_from(host, port, NULL);
        if (i % 2)
            send(crowd.fds[i], start, sizeof start - 1, MSG_NOSIGNAL);
    }
    pthread_t dripper;
    assert_int_equal(pthread_create(&dripper, NULL, drip, &crowd), 0);
    double worst = 0;
    int answered = 0;
    for (int i = 0; i < 9; i++) {
        double took = 0;
        int host = i % 3 == 0 ? IDLE_HOSTS + 1 + i : i % 3 == 1 ? 1 : 2;
        if (ca_fetch(port, host, &took))
            answered++;
        if (took > worst)
            worst = took;
    }
    atomic_store(&crowd.stop, true);
    pthread_join(dripper, NULL);
    print_message("     9 CA requests among %d idle connections: slowest answered in %.1f ms\n",
                  IDLE, worst * 1000);
    assert_int_equal(answered, 9);
    assert_true(worst < 1.0);
    /* the evicted ones are counted (reported within a second) */
    unsigned long dropped = dropped_wait(&f->hits, IDLE - HTTP01_MAX_CLIENTS);
    if (dropped < IDLE - HTTP01_MAX_CLIENTS)
        fail_msg("%lu idle connections dropped, expected at least %d", dropped,
                 IDLE - HTTP01_MAX_CLIENTS);
    for (int i = 0; i < IDLE; i++)
        close(crowd.fds[i]);
}

static void test_stop_is_prompt_with_connections_open(void **state)
{
    (void)state;
    struct http01_responder_options opt = {.listen = "127.0.0.1:0"};
    struct deploy_error err;
    struct http01_responder *r = http01_responder_start(&opt, &err);
    assert_non_null(r);
    int port = http01_responder_port(r);
    char expect[64];
    snprintf(expect, sizeof expect, "127.0.0.1:%d", port);
    assert_string_equal(http01_responder_address(r), expect);
    int a = client_connect(port, NULL), b = client_connect(port, NULL);
    send_all(b, "GET /", 5);
    usleep(50000);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    http01_responder_stop(r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(took < 0.5);
    /* the port is free again: a client is refused, a new responder can bind it */
    char *resp = read_all(a);
    assert_string_equal(resp, "");
    free(resp);
    close(a);
    close(b);
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    opt.listen = listen;
    r = http01_responder_start(&opt, &err);
    assert_non_null(r);
    http01_responder_stop(r);
    http01_responder_stop(NULL);
}

static void test_address_in_use_says_so(void **state)
{
    struct fixture *f = *state;
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", http01_responder_port(f->r));
    struct http01_responder_options opt = {.listen = listen};
    struct deploy_error err;
    assert_null(http01_responder_start(&opt, &err));
    assert_int_equal(err.code, EADDRINUSE);
    char expect[128];
    snprintf(expect, sizeof expect, "%s is in use by another program", listen);
    assert_non_null(strstr(err.message, expect));
    /* the running one is unaffected */
    assert_int_equal(get_status(f, PATH), 200);
}

/* "[::]:PORT" serves IPv6 and (dual stack) IPv4 clients; an IPv4 client is
 * shown as such, not as ::ffff:127.0.0.1.  The
 * machine must have ::1 (Linux loopback has it unless IPv6 is disabled). */
static void test_ipv6_dual_stack(void **state)
{
    (void)state;
    struct hits hits = {.count = 0};
    pthread_mutex_init(&hits.lock, NULL);
    struct http01_responder_options opt = {.listen = "[::]:0", .on_hit = on_hit, .user = &hits};
    struct deploy_error err;
    struct http01_responder *r = http01_responder_start(&opt, &err);
    if (!r)
        fail_msg("[::]:0: %s", err.message);
    assert_int_equal(strncmp(http01_responder_address(r), "[::]:", 5), 0);
    assert_int_equal(http01_responder_add(r, TOKEN, KEYAUTH, &err), 0);
    struct fixture f = {.r = r};
    int local = 0;
    const char req[] = "GET " PATH " HTTP/1.1\r\n\r\n";
    char *resp = http_raw(&f, req, sizeof req - 1, &local); /* over IPv4 */
    assert_string_equal(body_of(resp), KEYAUTH);
    free(resp);
    struct http01_hit hit = hits_wait(&hits, 1);
    char remote[64];
    snprintf(remote, sizeof remote, "127.0.0.1:%d", local);
    assert_string_equal(hit.remote, remote);
    /* over IPv6 */
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6,
                             .sin6_port = htons((uint16_t)http01_responder_port(r))};
    a.sin6_addr = in6addr_loopback;
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    send_all(fd, req, sizeof req - 1);
    resp = read_all(fd);
    close(fd);
    assert_string_equal(body_of(resp), KEYAUTH);
    free(resp);
    hit = hits_wait(&hits, 2);
    assert_int_equal(strncmp(hit.remote, "[::1]:", 6), 0);
    http01_responder_stop(r);
    pthread_mutex_destroy(&hits.lock);
}

static void test_bad_listen_addresses(void **state)
{
    (void)state;
    struct deploy_error err;
    struct http01_responder_options opt = {.listen = "localhost:5002"};
    assert_null(http01_responder_start(&opt, &err));
    assert_non_null(strstr(err.message, "not a numeric"));
    opt.listen = "127.0.0.1";
    assert_null(http01_responder_start(&opt, &err));
    assert_non_null(strstr(err.message, "port is missing"));
    opt.listen = "192.0.2.1:5002"; /* TEST-NET: not ours */
    assert_null(http01_responder_start(&opt, &err));
    assert_non_null(strstr(err.message, "not an address of this machine"));
    assert_null(http01_responder_start(NULL, &err));
}

/* The privileged-port message, as an unprivileged user sees it: as root,
 * a child drops to nobody first. */
static void test_privileged_port_message(void **state)
{
    (void)state;
    FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "r");
    int start = 1024;
    if (f) {
        if (fscanf(f, "%d", &start) != 1)
            start = 1024;
        fclose(f);
    }
    /* a privileged port nobody uses; when the sysctl leaves none, there is
       nothing to refuse and the message cannot be produced */
    assert_true(start > 1);
    int port = start - 1 > 1 ? 1 : start - 1;
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(pipefd[0]);
        if (geteuid() == 0) {
            struct passwd *pw = getpwnam("nobody");
            if (!pw || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
                _exit(3);
        }
        char listen[32];
        snprintf(listen, sizeof listen, "0.0.0.0:%d", port);
        struct http01_responder_options opt = {.listen = listen};
        struct deploy_error err;
        struct http01_responder *r = http01_responder_start(&opt, &err);
        if (r)
            _exit(4);
        ssize_t w = write(pipefd[1], err.message, strlen(err.message));
        _exit(w > 0 ? 0 : 5);
    }
    close(pipefd[1]);
    char msg[1024] = "";
    ssize_t n = read(pipefd[0], msg, sizeof msg - 1);
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(n > 0);
    msg[n] = '\0';
    char expect[200];
    snprintf(expect, sizeof expect,
             "binding 0.0.0.0:%d needs root or CAP_NET_BIND_SERVICE "
             "(setcap cap_net_bind_service=+ep acmetop)", port);
    assert_string_equal(msg, expect);
}

int main(void)
{
    /* the slowloris test holds 1,000 connections and the responder's end
       of them: as many descriptors as allowed */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_serves_the_exact_key_authorization, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_token_is_404_and_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paths_outside_the_challenge_directory_are_404, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_other_methods_are_405, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_answers_without_the_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_and_oversized_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tokens_change_while_running, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hundred_clients_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_silent_client_dropped_dripping_client_gets_408,
                                        setup_short_timeouts, teardown),
        cmocka_unit_test_setup_teardown(test_per_address_cap_evicts_the_oldest_idle, setup,
                                        teardown),
        cmocka_unit_test(test_request_waiting_in_socket_is_answered_not_evicted),
        cmocka_unit_test_setup_teardown(test_thousand_idle_connections_do_not_delay_the_ca,
                                        setup, teardown),
        cmocka_unit_test(test_stop_is_prompt_with_connections_open),
        cmocka_unit_test_setup_teardown(test_address_in_use_says_so, setup, teardown),
        cmocka_unit_test(test_ipv6_dual_stack),
        cmocka_unit_test(test_bad_listen_addresses),
        cmocka_unit_test(test_privileged_port_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
