/* test_responder: the HTTP-01 responder over real sockets on 127.0.0.1
 * (port 0), seen the way a CA and a curious scanner see it: the exact key
 * authorization for a served token, 404 for unknown tokens and for every
 * path outside the challenge directory (traversal, encoded slashes, queries,
 * overlong tokens), HEAD without the body, 405 for other methods, 414/431
 * for oversized requests, 408 for a stalled one; each hit reported with the client's address;
 * tokens added, replaced and removed while running; 100 clients at once;
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
};

static void on_hit(const struct http01_hit *hit, void *user)
{
    struct hits *h = user;
    pthread_mutex_lock(&h->lock);
    if (h->count < sizeof h->items / sizeof h->items[0])
        h->items[h->count++] = *hit;
    pthread_mutex_unlock(&h->lock);
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

static int setup_timeout(void **state, int timeout_ms)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    pthread_mutex_init(&f->hits.lock, NULL);
    struct http01_responder_options opt = {.listen = "127.0.0.1:0", .on_hit = on_hit,
                                           .user = &f->hits, .request_timeout_ms = timeout_ms};
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
    return setup_timeout(state, 0);
}

static int setup_short_timeout(void **state)
{
    return setup_timeout(state, 300);
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

static int client_connect(int port, int *local_port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
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
    for (int i = 0; i < N; i++)
        fds[i] = client_connect(port, NULL);
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

static void test_stalled_request_gets_408_and_silent_client_no_hit(void **state)
{
    struct fixture *f = *state; /* request timeout 300 ms */
    int port = http01_responder_port(f->r);
    int silent = client_connect(port, NULL);
    int slow = client_connect(port, NULL);
    send_all(slow, "GET /.well-known/acme-ch", 24);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char *resp = read_all(slow);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_int_equal(status_of(resp), 408);
    assert_true(waited > 0.2 && waited < 2.0);
    free(resp);
    resp = read_all(silent); /* closed by the server, nothing said */
    assert_string_equal(resp, "");
    free(resp);
    close(slow);
    close(silent);
    struct http01_hit hit = hits_wait(&f->hits, 1);
    assert_int_equal(hit.status, 408);
    assert_string_equal(hit.method, "GET");
    usleep(100000);
    assert_int_equal(hits_count(&f->hits), 1);
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
        cmocka_unit_test_setup_teardown(test_stalled_request_gets_408_and_silent_client_no_hit,
                                        setup_short_timeout, teardown),
        cmocka_unit_test(test_stop_is_prompt_with_connections_open),
        cmocka_unit_test_setup_teardown(test_address_in_use_says_so, setup, teardown),
        cmocka_unit_test(test_ipv6_dual_stack),
        cmocka_unit_test(test_bad_listen_addresses),
        cmocka_unit_test(test_privileged_port_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
