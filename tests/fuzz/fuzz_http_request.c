/* fuzz_http_request: what a client (the CA, a scanner, anyone) sends to the
 * HTTP-01 responder (net/http01_responder.c), through its public API: the
 * responder is started once on 127.0.0.1 (a free port) serving one token;
 * each input is sent over a new loopback connection as the request (then
 * the client shuts down writing) and the answer is read to the end.  (The
 * request parser is static in that file; exposed as a pure function it
 * could be fuzzed directly, some 50 times faster.)
 * Checks: no crash, leak, or hang (an answer or a close within 8 s); an
 * answer is one of the documented statuses (200 400 404 405 408 414 431)
 * with a head that ends and a Content-Length that is the body's; 200 only
 * for the served token, with exactly its key authorization (none for HEAD);
 * the plain GET of the token is answered 200; the hit the console is told
 * about has the status sent and clean method, path and token. */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "net/http01_responder.h"

#define TOKEN "fuzzTOKEN_abc-123"
#define KEY_AUTH TOKEN ".Thumbprint_0123456789abcdefghijklmnopqrstu"
#define WELL_KNOWN "/.well-known/acme-challenge/"
#define ANSWER_MAX 4096
#define WAIT_MS 8000

static struct http01_responder *responder;
static pthread_mutex_t hit_lock = PTHREAD_MUTEX_INITIALIZER;
static struct http01_hit last_hit;
static unsigned hits;

static void on_hit(const struct http01_hit *hit, void *user)
{
    (void)user;
    pthread_mutex_lock(&hit_lock);
    last_hit = *hit;
    hits++;
    pthread_mutex_unlock(&hit_lock);
}

static void start(void)
{
    struct http01_responder_options opt = {.listen = "127.0.0.1:0", .on_hit = on_hit};
    struct deploy_error err;
    responder = http01_responder_start(&opt, &err);
    FUZZ_CHECK(responder, "the responder does not start");
    FUZZ_CHECK(http01_responder_add(responder, TOKEN, KEY_AUTH, &err) == 0,
               "the token is refused");
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Send the request, read the answer to the end: its length, or -1 when the
 * connection was reset (the answer may be lost then). */
static long exchange(const uint8_t *req, size_t len, char *answer, size_t cap)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    FUZZ_CHECK(fd >= 0, "socket: %s", strerror(errno));
    struct sockaddr_in sa = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)http01_responder_port(responder))};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        /* libFuzzer's timer (SIGALRM) may interrupt it: it goes on by itself */
        FUZZ_CHECK(errno == EINTR, "connect: %s", strerror(errno));
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        while (poll(&p, 1, WAIT_MS) < 0 && errno == EINTR)
            continue;
        int e = 0;
        socklen_t el = sizeof e;
        FUZZ_CHECK(getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) == 0 && e == 0,
                   "connect: %s", strerror(e));
    }
    for (size_t off = 0; off < len;) {
        ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* answered and closed early: read what came */
        off += (size_t)n;
    }
    shutdown(fd, SHUT_WR);
    size_t got = 0;
    long rc = 0;
    long long deadline = now_ms() + WAIT_MS;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        long long left = deadline - now_ms();
        FUZZ_CHECK(left > 0, "no answer and no close within %d ms", WAIT_MS);
        if (poll(&p, 1, (int)left) <= 0)
            continue;
        ssize_t n = recv(fd, answer + got, cap - 1 - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        got += (size_t)n;
        FUZZ_CHECK(got < cap - 1, "an answer of more than %zu bytes", cap);
    }
    close(fd);
    answer[got] = '\0';
    return rc < 0 ? -1 : (long)got;
}

/* The request starts with the plain GET of the served token, has no NUL
 * byte, and its head ends within HTTP01_REQUEST_MAX bytes. */
static bool plain_get(const uint8_t *req, size_t len)
{
    static const char line[] = "GET " WELL_KNOWN TOKEN " HTTP/1.1\r\n";
    size_t ll = sizeof line - 1;
    if (len < ll || memcmp(req, line, ll) != 0 || memchr(req, '\0', len))
        return false;
    size_t head = len < HTTP01_REQUEST_MAX ? len : HTTP01_REQUEST_MAX;
    return memmem(req + ll - 2, head - (ll - 2), "\r\n\r\n", 4) || memmem(req, head, "\n\n", 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!responder)
        start();
    pthread_mutex_lock(&hit_lock);
    unsigned hits_before = hits;
    pthread_mutex_unlock(&hit_lock);

    static char answer[ANSWER_MAX];
    long n = exchange(data, size, answer, sizeof answer);
    if (n <= 0)
        return 0; /* closed without an answer (no head, or a reset) */

    int status = 0, used = 0;
    FUZZ_CHECK(sscanf(answer, "HTTP/1.1 %3d %n", &status, &used) == 1 && used == 13,
               "not an HTTP/1.1 status line: %.80s", answer);
    static const int known[] = {200, 400, 404, 405, 408, 414, 431};
    bool ok = false;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        ok = ok || status == known[i];
    FUZZ_CHECK(ok, "status %d", status);
    char *end = strstr(answer, "\r\n\r\n");
    FUZZ_CHECK(end, "the answer's head does not end");
    const char *body = end + 4;
    size_t body_len = (size_t)n - (size_t)(body - answer);
    const char *cl = strstr(answer, "\r\nContent-Length: ");
    FUZZ_CHECK(cl && cl < end, "no Content-Length");
    size_t declared = strtoul(cl + 18, NULL, 10);
    bool head = size >= 5 && memcmp(data, "HEAD ", 5) == 0;
    /* HEAD: no body; a request line too broken to be a HEAD gets one */
    FUZZ_CHECK(body_len == declared || (head && body_len == 0),
               "Content-Length %zu, body %zu bytes", declared, body_len);
    if (head && (status == 200 || status == 404))
        FUZZ_CHECK(body_len == 0, "a body of %zu bytes for HEAD", body_len);
    if (status == 200) {
        FUZZ_CHECK(memmem(data, size, WELL_KNOWN TOKEN, strlen(WELL_KNOWN TOKEN)),
                   "200 for a request without the token");
        FUZZ_CHECK(declared == strlen(KEY_AUTH) &&
                       (head || memcmp(body, KEY_AUTH, body_len) == 0),
                   "200 without exactly the key authorization");
    }
    if (plain_get(data, size))
        FUZZ_CHECK(status == 200, "GET of the served token answered %d", status);

    pthread_mutex_lock(&hit_lock);
    struct http01_hit hit = last_hit;
    bool reported = hits != hits_before;
    pthread_mutex_unlock(&hit_lock);
    FUZZ_CHECK(reported, "an answer %d without a hit", status);
    FUZZ_CHECK(hit.status == status, "the hit says %d, the answer %d", hit.status, status);
    FUZZ_CHECK_TEXT(hit.method, "the hit's method");
    FUZZ_CHECK_TEXT(hit.path, "the hit's path");
    FUZZ_CHECK_TEXT(hit.token, "the hit's token");
    return 0;
}
