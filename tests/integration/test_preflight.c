/* test_preflight: the pre-flight checks against real servers on loopback,
 * the way an operator meets them before pressing "fulfill":
 *   http-01      OK through acmetop's own responder (which sees the hit) and
 *                through pebble-challtestsrv's http-01 server; mismatch with a
 *                wrong body or a 404; unreachable with nothing listening or a
 *                server that never answers; trailing newline accepted like a
 *                CA; redirects followed and the final URL reported, up to
 *                ten, relative and to https, but a redirect the CA refuses
 *                (an IP address, another port, another scheme, the 11th)
 *                is a mismatch that says why, its target never asked;
 *                bodies over 8 KiB refused; nothing of Vault's ever sent,
 *                no proxy.
 *   dns-01       against pebble-challtestsrv, the DNS server pebble uses, as
 *                preflight_dns_server (only that server is asked; the
 *                authoritative servers of a zone: test_preflight_dns.c):
 *                OK after set-txt (API.md's vector), mismatch with another
 *                value, no record, wildcard record names, several records;
 *                unreachable when no DNS server listens or none answers; a
 *                truncated UDP answer retried over TCP.
 *   tls-alpn-01  OK against pebble-challtestsrv's tls-alpn-01 server and a
 *                test server written here with OpenSSL; mismatch with a wrong
 *                digest, a non-critical extension, an extra SAN, no
 *                acmeIdentifier, no ALPN; unreachable when the server refuses
 *                acme-tls/1 or nothing listens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
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
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "deadline.h"
#include "challtestsrv.h"
#include "model/challenge_value.h"
#include "model/xalloc.h"
#include "net/http01_responder.h"
#include "net/preflight.h"
#include "net/preflight_result.h"

#define TOKEN "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"
#define KEYAUTH TOKEN ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"
#define VECTOR "lCM7cZyQXcVHK2nnW3jjAhNT3Fvm18UN-kWZZknKoYM"
#define OTHER_KEYAUTH "otherTokenXYZ.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"
#define WELL_KNOWN "/.well-known/acme-challenge/"

static struct challtestsrv *cts;

/* strcasestr is GNU-only: a case-insensitive "contains" for the assertions */
static const char *contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return hay;
    return NULL;
}

static void options(struct preflight_options *o, long timeout_ms)
{
    preflight_options_init(o);
    o->timeout_ms = timeout_ms;
    assert_int_equal(resolve_map_add(&o->resolve, "*.demo.test=127.0.0.1", NULL), 0);
}

static void show(const char *what, const struct preflight_result *r)
{
    /* visible in the test log: what an operator would read */
    printf("    %s: %s | expected %s | found %s | %s | %s\n", what,
           preflight_status_name(r->status), r->expected, r->found, r->why, r->where);
}

static int listen_port(int fd)
{
    struct sockaddr_in a;
    socklen_t l = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &l);
    return ntohs(a.sin_port);
}

static int listen_loopback(int type)
{
    int fd = socket(AF_INET, type, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    if (type == SOCK_STREAM)
        assert_int_equal(listen(fd, 16), 0);
    return fd;
}

/* A loopback port with nothing behind it (TCP or UDP). */
static int closed_port(int type)
{
    int fd = listen_loopback(type);
    int port = listen_port(fd);
    close(fd);
    return port;
}

/* ---- a canned HTTP server: one connection per response ----------------- */

struct canned {
    int fd, port;
    int wake[2];
    pthread_t thread;
    const char *responses[16]; /* one per connection, in order; NULL = never answer */
    int count;
    char requests[16][4096];   /* what each client sent (the head) */
    int served;
    SSL_CTX *tls;              /* set: https, else plain http */
};

/* Test servers write to clients that may be gone: SIGPIPE stays with them
 * (blocked in their thread), so that one reaching acmetop's code fails the test. */
static void block_sigpipe(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
}

/* One connection of a canned server, plain or TLS. */
static ssize_t canned_recv(int fd, SSL *ssl, char *buf, size_t n)
{
    return ssl ? SSL_read(ssl, buf, (int)n) : recv(fd, buf, n, 0);
}

static ssize_t canned_send(int fd, SSL *ssl, const char *buf, size_t n)
{
    return ssl ? SSL_write(ssl, buf, (int)n) : send(fd, buf, n, MSG_NOSIGNAL);
}

static void *canned_main(void *arg)
{
    struct canned *c = arg;
    block_sigpipe();
    for (int i = 0; i < c->count; i++) {
        struct pollfd p[2] = {{.fd = c->fd, .events = POLLIN}, {.fd = c->wake[0], .events = POLLIN}};
        if (poll(p, 2, 10000) <= 0 || p[1].revents)
            break;
        int cfd = accept(c->fd, NULL, NULL);
        if (cfd < 0)
            break;
        SSL *ssl = NULL;
        if (c->tls) {
            ssl = SSL_new(c->tls);
            SSL_set_fd(ssl, cfd);
            if (SSL_accept(ssl) != 1) {
                SSL_free(ssl);
                close(cfd);
                ERR_clear_error();
                continue;
            }
        }
        size_t n = 0;
        while (n < sizeof c->requests[i] - 1 && !strstr(c->requests[i], "\r\n\r\n")) {
            ssize_t r = canned_recv(cfd, ssl, c->requests[i] + n, sizeof c->requests[i] - 1 - n);
            if (r <= 0)
                break;
            n += (size_t)r;
            c->requests[i][n] = '\0';
        }
        if (c->responses[i]) {
            const char *resp = c->responses[i];
            size_t len = strlen(resp), off = 0;
            while (off < len) {
                ssize_t w = canned_send(cfd, ssl, resp + off, len - off);
                if (w <= 0)
                    break;
                off += (size_t)w;
            }
        } else {
            struct pollfd w = {.fd = c->wake[0], .events = POLLIN};
            poll(&w, 1, 10000); /* hang until stopped */
        }
        if (ssl) {
            SSL_shutdown(ssl);
            SSL_free(ssl);
            ERR_clear_error();
        }
        close(cfd);
        c->served = i + 1;
    }
    return NULL;
}

static void canned_start(struct canned *c)
{
    c->fd = listen_loopback(SOCK_STREAM);
    c->port = listen_port(c->fd);
    assert_int_equal(pipe(c->wake), 0);
    assert_int_equal(pthread_create(&c->thread, NULL, canned_main, c), 0);
}

static void canned_stop(struct canned *c)
{
    assert_int_equal(write(c->wake[1], "x", 1), 1);
    pthread_join(c->thread, NULL);
    close(c->fd);
    close(c->wake[0]);
    close(c->wake[1]);
}

/* ---- hits of acmetop's responder ----------------------------------------- */

struct hits {
    pthread_mutex_t lock;
    int count;
    struct http01_hit last;
};

static void on_hit(const struct http01_hit *hit, void *user)
{
    struct hits *h = user;
    pthread_mutex_lock(&h->lock);
    h->count++;
    h->last = *hit;
    pthread_mutex_unlock(&h->lock);
}

/* The number of hits once at least want arrived (up to 2 s), and the last. */
static int hits_wait(struct hits *h, int want, struct http01_hit *last)
{
    int n = 0;
    for (int i = 0; i < 200; i++) {
        pthread_mutex_lock(&h->lock);
        n = h->count;
        *last = h->last;
        pthread_mutex_unlock(&h->lock);
        if (n >= want)
            break;
        usleep(10000);
    }
    return n;
}

/* ===================================== http-01 ============================ */

static void test_http01_ok_through_our_responder(void **state)
{
    (void)state;
    struct hits hits = {.count = 0};
    pthread_mutex_init(&hits.lock, NULL);
    struct http01_responder_options ro = {.listen = "127.0.0.1:0", .on_hit = on_hit, .user = &hits};
    struct deploy_error err;
    struct http01_responder *r = http01_responder_start(&ro, &err);
    assert_non_null(r);
    assert_int_equal(http01_responder_add(r, TOKEN, KEYAUTH, &err), 0);

    struct preflight_options o;
    options(&o, 5000);
    o.http01_port = http01_responder_port(r);
    struct preflight_result res;
    assert_int_equal(preflight_http01(&o, "shop.demo.test", TOKEN, KEYAUTH, &res), PREFLIGHT_OK);
    show("http-01 own responder", &res);
    assert_string_equal(res.expected, KEYAUTH);
    assert_string_equal(res.found, KEYAUTH);
    char url[256];
    snprintf(url, sizeof url, "http://shop.demo.test:%d" WELL_KNOWN TOKEN, o.http01_port);
    assert_string_equal(res.where, url);
    assert_non_null(strstr(res.why, "answers 200 with the key authorization"));
    /* the responder really served it (its report may trail the client by a moment) */
    struct http01_hit last;
    assert_int_equal(hits_wait(&hits, 1, &last), 1);
    assert_int_equal(last.status, 200);
    assert_string_equal(last.token, TOKEN);
    assert_int_equal(strncmp(last.remote, "127.0.0.1:", 10), 0);

    /* the same responder serving a wrong body: mismatch, both shown */
    assert_int_equal(http01_responder_add(r, TOKEN, OTHER_KEYAUTH, &err), 0);
    assert_int_equal(preflight_http01(&o, "shop.demo.test", TOKEN, KEYAUTH, &res),
                     PREFLIGHT_MISMATCH);
    show("http-01 wrong body", &res);
    assert_string_equal(res.expected, KEYAUTH);
    assert_string_equal(res.found, OTHER_KEYAUTH);
    assert_non_null(strstr(res.why, "not the key authorization"));

    /* token not served: the 404 is a mismatch, with the status shown */
    assert_true(http01_responder_remove(r, TOKEN));
    assert_int_equal(preflight_http01(&o, "shop.demo.test", TOKEN, KEYAUTH, &res),
                     PREFLIGHT_MISMATCH);
    show("http-01 404", &res);
    assert_string_equal(res.found, "HTTP 404: not found");
    assert_non_null(strstr(res.why, "answered HTTP 404"));

    http01_responder_stop(r);
    pthread_mutex_destroy(&hits.lock);
    preflight_options_free(&o);
}

static void test_http01_ok_through_challtestsrv(void **state)
{
    (void)state;
    assert_int_equal(challtestsrv_add_http01(cts, TOKEN, KEYAUTH), 0);
    struct preflight_options o;
    options(&o, 5000);
    o.http01_port = cts->http01_port;
    struct preflight_result res;
    assert_int_equal(preflight_http01(&o, "blog.demo.test", TOKEN, KEYAUTH, &res), PREFLIGHT_OK);
    show("http-01 challtestsrv", &res);
    /* a token it does not serve: challtestsrv answers 200 with an empty body */
    assert_int_equal(preflight_http01(&o, "blog.demo.test", "notDeployed", "notDeployed.x", &res),
                     PREFLIGHT_MISMATCH);
    show("http-01 challtestsrv empty", &res);
    assert_string_equal(res.found, "(empty body)");
    preflight_options_free(&o);
}

static void test_http01_unreachable(void **state)
{
    (void)state;
    struct preflight_options o;
    options(&o, 5000);
    o.http01_port = closed_port(SOCK_STREAM);
    struct preflight_result res;
    double t0 = now_s();
    assert_int_equal(preflight_http01(&o, "shop.demo.test", TOKEN, KEYAUTH, &res),
                     PREFLIGHT_UNREACHABLE);
    assert_true(now_s() - t0 < 2);
    show("http-01 nothing listening", &res);
    assert_non_null(strstr(res.why, "connection refused"));
    assert_string_equal(res.found, "");
    assert_string_equal(res.expected, KEYAUTH);

    /* a server that accepts and never answers: the timeout, said in seconds */
    struct canned c = {.responses = {NULL}, .count = 1};
    canned_start(&c);
    o.http01_port = c.port;
    o.timeout_ms = 500;
    t0 = now_s();
    assert_int_equal(preflight_http01(&o, "shop.demo.test", TOKEN, KEYAUTH, &res),
                     PREFLIGHT_UNREACHABLE);
    double took = now_s() - t0;
    canned_stop(&c);
    show("http-01 no answer", &res);
    assert_true(took >= 0.4 && took < 2.0);
    assert_non_null(strstr(res.why, "within 0.5 s"));

    /* wildcards cannot be http-01 */
    assert_int_equal(preflight_http01(&o, "*.demo.test", TOKEN, KEYAUTH, &res),
                     PREFLIGHT_UNREACHABLE);
    assert_non_null(strstr(res.why, "cannot check"));
    preflight_options_free(&o);
}

static void test_http01_sends_nothing_of_vault(void **state)
{
    (void)state;
    char answer[512];
    snprintf(answer, sizeof answer, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n" KEYAUTH "\n",
             strlen(KEYAUTH) + 1);
    struct canned c = {.responses = {answer}, .count = 1};
    canned_start(&c);
    /* a console has these in its environment: none may leak, no proxy used */
    setenv("VAULT_TOKEN", "s.secret-vault-token", 1);
    setenv("VAULT_NAMESPACE", "team-a", 1);
    setenv("http_proxy", "http://127.0.0.1:9", 1);
    setenv("HTTP_PROXY", "http://127.0.0.1:9", 1);
    setenv("ALL_PROXY", "http://127.0.0.1:9", 1);
    struct preflight_options o;
    options(&o, 5000);
    o.http01_port = c.port;
    struct preflight_result res;
    enum preflight_status s = preflight_http01(&o, "www.demo.test", TOKEN, KEYAUTH, &res);
    canned_stop(&c);
    unsetenv("VAULT_TOKEN");
    unsetenv("VAULT_NAMESPACE");
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    unsetenv("ALL_PROXY");
    show("http-01 trailing newline", &res);
    /* the key authorization plus a newline: OK, like a CA, and said so */
    assert_int_equal(s, PREFLIGHT_OK);
    assert_non_null(strstr(res.why, "trailing white space"));
    const char *req = c.requests[0];
    char first[256];
    snprintf(first, sizeof first, "GET " WELL_KNOWN TOKEN " HTTP/1.1\r\n");
    assert_int_equal(strncmp(req, first, strlen(first)), 0);
    char host[64];
    snprintf(host, sizeof host, "\r\nHost: www.demo.test:%d\r\n", c.port);
    assert_non_null(strstr(req, host));
    assert_null(contains_ci(req, "vault"));
    assert_null(strstr(req, "secret"));
    assert_null(contains_ci(req, "team-a"));
    assert_null(contains_ci(req, "Authorization"));
    assert_null(contains_ci(req, "Cookie"));
    preflight_options_free(&o);
}

/* "HTTP/1.1 <status>" with Location: location and no body, into buf. */
static const char *redirect_to(char *buf, size_t size, const char *status, const char *location)
{
    snprintf(buf, size, "HTTP/1.1 %s\r\nLocation: %s\r\nContent-Length: 0\r\n"
             "Connection: close\r\n\r\n", status, location);
    return buf;
}

#define ANSWER_KEYAUTH "HTTP/1.1 200 OK\r\nContent-Length: 87\r\nConnection: close\r\n\r\n" KEYAUTH

static void test_http01_follows_redirects_and_reports_the_final_url(void **state)
{
    (void)state;
    assert_int_equal(strlen(KEYAUTH), 87);
    /* a redirect to another name without a port: the CA's http port (the
       test's stand-in for 80), the same server here */
    char redirect[512];
    struct canned c = {.responses = {redirect_to(redirect, sizeof redirect, "302 Found",
                                                 "http://cdn.demo.test" WELL_KNOWN TOKEN),
                                     ANSWER_KEYAUTH},
                       .count = 2};
    canned_start(&c);
    struct preflight_options o;
    options(&o, 5000);
    o.http01_port = c.port;
    struct preflight_result res;
    enum preflight_status s = preflight_http01(&o, "www.demo.test", TOKEN, KEYAUTH, &res);
    canned_stop(&c);
    show("http-01 redirect", &res);
    assert_int_equal(s, PREFLIGHT_OK);
    char final[256];
    snprintf(final, sizeof final, "http://cdn.demo.test:%d" WELL_KNOWN TOKEN, c.port);
    assert_string_equal(res.where, final);
    assert_non_null(strstr(res.why, "after 1 redirect"));
    assert_non_null(strstr(c.requests[1], "\r\nHost: cdn.demo.test:"));

    /* a redirect loop: 10 redirects followed, the 11th is a mismatch */
    char loop[512];
    redirect_to(loop, sizeof loop, "301 Moved", "/again");
    struct canned l = {.count = 12};
    for (int i = 0; i < 12; i++)
        l.responses[i] = loop;
    canned_start(&l);
    o.http01_port = l.port;
    s = preflight_http01(&o, "www.demo.test", TOKEN, KEYAUTH, &res);
    canned_stop(&l);
    int hops = l.served;
    show("http-01 redirect loop", &res);
    assert_int_equal(s, PREFLIGHT_MISMATCH);
    assert_non_null(strstr(res.why, "more than 10 redirects"));
    assert_non_null(strstr(res.why, "the CA gives up after 10"));
    assert_int_equal(hops, 11); /* the first request and 10 redirects followed */
    preflight_options_free(&o);
}

/* The first hop answers with a redirect to location (it may name target's
 * port); target must never be asked.  Returns the verdict, res filled. */
static enum preflight_status refused_redirect(const char *location, struct canned *target,
                                              struct preflight_result *res)
{
    char redirect[512];
    struct canned c = {.responses = {redirect_to(redirect, sizeof redirect, "302 Found",
                                                 location)},
                       .count = 1};
    canned_start(&c);
    struct preflight_options o;
    options(&o, 5000);
    o.http01_port = c.port;
    enum preflight_status s = preflight_http01(&o, "www.demo.test", TOKEN, KEYAUTH, res);
    canned_stop(&c);
    show(location, res);
    assert_int_equal(c.served, 1);
    if (target) {
        canned_stop(target);
        assert_int_equal(target->served, 0); /* the CA would not ask it: neither do we */
    }
    /* the redirect is what was found, at the URL that answered with it */
    char first[256];
    snprintf(first, sizeof first, "http://www.demo.test:%d" WELL_KNOWN TOKEN, c.port);
    assert_string_equal(res->where, first);
    assert_non_null(strstr(res->found, "HTTP 302, redirect to "));
    preflight_options_free(&o);
    return s;
}

static void test_http01_redirect_to_an_ip_address_is_a_mismatch(void **state)
{
    (void)state;
    /* the right answer, but behind an IP address: a CA does not go there */
    struct canned t = {.responses = {ANSWER_KEYAUTH}, .count = 1};
    canned_start(&t);
    char location[200], want[400];
    snprintf(location, sizeof location, "http://127.0.0.1:%d" WELL_KNOWN TOKEN, t.port);
    struct preflight_result res;
    assert_int_equal(refused_redirect(location, &t, &res), PREFLIGHT_MISMATCH);
    snprintf(want, sizeof want, "redirect 1 goes to %s: the CA does not follow redirects to IP "
             "addresses", location);
    assert_non_null(strstr(res.why, want));
    assert_null(strstr(res.found, KEYAUTH));

    /* an IPv6 literal, and a decimal IPv4 address are addresses too */
    assert_int_equal(refused_redirect("http://[::1]/x", NULL, &res), PREFLIGHT_MISMATCH);
    assert_non_null(strstr(res.why, "IP addresses"));
    assert_int_equal(refused_redirect("http://2130706433/x", NULL, &res), PREFLIGHT_MISMATCH);
    assert_non_null(strstr(res.why, "IP addresses"));
}

static void test_http01_redirect_to_another_port_is_a_mismatch(void **state)
{
    (void)state;
    /* Vault's port behind a name: refused, and its answer never shown */
    const char *vault_answer = "HTTP/1.1 200 OK\r\nContent-Length: 52\r\nConnection: close\r\n\r\n"
                               "{\"sealed\":false,\"cluster_name\":\"vault-cluster-7f3a\"}";
    struct canned t = {.responses = {vault_answer}, .count = 1};
    canned_start(&t);
    char location[200], want[400];
    snprintf(location, sizeof location, "http://vault.demo.test:%d/v1/sys/health", t.port);
    struct preflight_result res;
    assert_int_equal(refused_redirect(location, &t, &res), PREFLIGHT_MISMATCH);
    snprintf(want, sizeof want, "redirect 1 goes to %s: the CA follows redirects to ports ",
             location);
    assert_non_null(strstr(res.why, want));
    snprintf(want, sizeof want, " and 443 only, not %d", t.port);
    assert_non_null(strstr(res.why, want));
    assert_null(strstr(res.why, "vault-cluster-7f3a"));
    assert_null(strstr(res.found, "vault-cluster-7f3a"));
    assert_null(strstr(res.where, "vault-cluster-7f3a"));

    /* Vault's usual port, said as a user reads it */
    assert_int_equal(refused_redirect("http://vault.demo.test:8200/v1/sys/health", NULL, &res),
                     PREFLIGHT_MISMATCH);
    assert_non_null(strstr(res.why, "only, not 8200"));
}

static void test_http01_redirect_to_another_scheme_is_a_mismatch(void **state)
{
    (void)state;
    struct preflight_result res;
    assert_int_equal(refused_redirect("ftp://files.demo.test" WELL_KNOWN TOKEN, NULL, &res),
                     PREFLIGHT_MISMATCH);
    assert_non_null(strstr(res.why, "redirect 1 goes to ftp://files.demo.test" WELL_KNOWN TOKEN
                                    ": the CA follows redirects to http and https only, not "
                                    "ftp:"));
}

static void test_http01_body_over_8k_is_a_mismatch(void **state)
{
    (void)state;
    size_t n = 20000;
    char *resp = xmalloc(n + 200);
    int h = snprintf(resp, 200, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", n);
    memset(resp + h, 'A', n);
    resp[h + n] = '\0';
    struct canned c = {.responses = {resp}, .count = 1};
    canned_start(&c);
    struct preflight_options o;
    options(&o, 5000);
    o.http01_port = c.port;
    struct preflight_result res;
    enum preflight_status s = preflight_http01(&o, "www.demo.test", TOKEN, KEYAUTH, &res);
    canned_stop(&c);
    free(resp);
    show("http-01 huge body", &res);
    assert_int_equal(s, PREFLIGHT_MISMATCH);
    assert_non_null(strstr(res.why, "longer than 8192 bytes"));
    assert_true(strlen(res.found) < PREFLIGHT_TEXT_MAX);
    preflight_options_free(&o);
}

static void test_http01_hostile_body_is_sanitized(void **state)
{
    (void)state;
    const char *answer = "HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n\x1b[2J\x1b]0;pwned\x07xx";
    struct canned c = {.responses = {answer}, .count = 1};
    canned_start(&c);
    struct preflight_options o;
    options(&o, 5000);
    o.http01_port = c.port;
    struct preflight_result res;
    enum preflight_status s = preflight_http01(&o, "www.demo.test", TOKEN, KEYAUTH, &res);
    canned_stop(&c);
    assert_int_equal(s, PREFLIGHT_MISMATCH);
    assert_null(strchr(res.found, '\x1b'));
    assert_null(strchr(res.found, '\x07'));
    assert_non_null(strstr(res.found, "pwned"));
    preflight_options_free(&o);
}

/* ===================================== dns-01 ============================= */

static void dns_options(struct preflight_options *o, int port, long timeout_ms)
{
    preflight_options_init(o);
    o->timeout_ms = timeout_ms;
    char server[64];
    snprintf(server, sizeof server, "127.0.0.1:%d", port);
    o->dns_server = xstrdup(server);
}

static void test_dns01_ok_with_the_api_vector(void **state)
{
    (void)state;
    assert_int_equal(challtestsrv_set_txt(cts, "_acme-challenge.shop.demo.test", VECTOR), 0);
    struct preflight_options o;
    dns_options(&o, cts->dns_port, 5000);
    struct preflight_result res;
    assert_int_equal(preflight_dns01(&o, "shop.demo.test", KEYAUTH, &res), PREFLIGHT_OK);
    show("dns-01", &res);
    assert_string_equal(res.expected, VECTOR);
    assert_string_equal(res.found, "\"" VECTOR "\"");
    char where[128];
    snprintf(where, sizeof where, "TXT _acme-challenge.shop.demo.test via 127.0.0.1:%d",
             cts->dns_port);
    assert_string_equal(res.where, where);
    preflight_options_free(&o);
}

static void test_dns01_mismatch_and_missing(void **state)
{
    (void)state;
    char other[CHALLENGE_DNS01_VALUE_BUF];
    assert_int_equal(challenge_dns01_txt_value(OTHER_KEYAUTH, other, sizeof other), 0);
    assert_int_equal(challtestsrv_set_txt(cts, "_acme-challenge.api.demo.test", other), 0);
    struct preflight_options o;
    dns_options(&o, cts->dns_port, 5000);
    struct preflight_result res;
    assert_int_equal(preflight_dns01(&o, "api.demo.test", KEYAUTH, &res), PREFLIGHT_MISMATCH);
    show("dns-01 other value", &res);
    assert_string_equal(res.expected, VECTOR);
    char found[64];
    snprintf(found, sizeof found, "\"%s\"", other);
    assert_string_equal(res.found, found);
    assert_non_null(strstr(res.why, "none of them the expected value"));

    /* adding the right value beside the wrong one: OK (one of several) */
    assert_int_equal(challtestsrv_set_txt(cts, "_acme-challenge.api.demo.test", VECTOR), 0);
    assert_int_equal(preflight_dns01(&o, "api.demo.test", KEYAUTH, &res), PREFLIGHT_OK);
    show("dns-01 two records", &res);
    assert_non_null(strstr(res.found, VECTOR));
    assert_non_null(strstr(res.found, other));
    assert_non_null(strstr(res.why, "among its TXT records"));

    /* cleared: no record at all */
    assert_int_equal(challtestsrv_clear_txt(cts, "_acme-challenge.api.demo.test"), 0);
    enum preflight_status s = preflight_dns01(&o, "api.demo.test", KEYAUTH, &res);
    show("dns-01 no record", &res);
    assert_true(s == PREFLIGHT_MISMATCH || s == PREFLIGHT_UNREACHABLE);
    assert_int_not_equal(s, PREFLIGHT_OK);
    if (s == PREFLIGHT_MISMATCH)
        assert_string_equal(res.found, "(no TXT record)");
    else
        assert_non_null(strstr(res.why, "NXDOMAIN"));
    preflight_options_free(&o);
}

static void test_dns01_wildcard_uses_the_base_name(void **state)
{
    (void)state;
    struct preflight_options o;
    dns_options(&o, cts->dns_port, 5000);
    struct preflight_result res;
    /* a record under the literal "*." name does not count */
    assert_int_equal(challtestsrv_set_txt(cts, "_acme-challenge.*.apps.demo.test", VECTOR), 0);
    assert_int_not_equal(preflight_dns01(&o, "*.apps.demo.test", KEYAUTH, &res), PREFLIGHT_OK);
    assert_int_equal(challtestsrv_set_txt(cts, "_acme-challenge.apps.demo.test", VECTOR), 0);
    assert_int_equal(preflight_dns01(&o, "*.apps.demo.test", KEYAUTH, &res), PREFLIGHT_OK);
    show("dns-01 wildcard", &res);
    assert_non_null(strstr(res.where, "TXT _acme-challenge.apps.demo.test via"));
    preflight_options_free(&o);
}

static void test_dns01_unreachable(void **state)
{
    (void)state;
    struct preflight_options o;
    struct preflight_result res;
    /* no DNS server on that port: the ICMP refusal, quickly */
    dns_options(&o, closed_port(SOCK_DGRAM), 5000);
    double t0 = now_s();
    assert_int_equal(preflight_dns01(&o, "shop.demo.test", KEYAUTH, &res), PREFLIGHT_UNREACHABLE);
    assert_true(now_s() - t0 < 2);
    show("dns-01 nothing listening", &res);
    assert_non_null(strstr(res.why, "connection refused"));
    assert_string_equal(res.expected, VECTOR);
    preflight_options_free(&o);
    /* a server that never answers: the timeout */
    int mute = listen_loopback(SOCK_DGRAM);
    dns_options(&o, listen_port(mute), 700);
    t0 = now_s();
    assert_int_equal(preflight_dns01(&o, "shop.demo.test", KEYAUTH, &res), PREFLIGHT_UNREACHABLE);
    double took = now_s() - t0;
    close(mute);
    show("dns-01 no answer", &res);
    assert_true(took >= 0.6 && took < 2.0);
    assert_non_null(strstr(res.why, "within 0.7 s"));
    preflight_options_free(&o);
    /* a bad server setting */
    preflight_options_init(&o);
    o.dns_server = xstrdup("127.0.0.1:notaport");
    assert_int_equal(preflight_dns01(&o, "shop.demo.test", KEYAUTH, &res), PREFLIGHT_UNREACHABLE);
    assert_non_null(strstr(res.why, "cannot check"));
    preflight_options_free(&o);
}

/* A DNS server that says "truncated" over UDP and answers over TCP. */
struct tc_server {
    int udp, tcp, port;
    pthread_t thread;
    int tcp_queries;
};

static size_t answer_for(const unsigned char *q, size_t qlen, bool truncated, unsigned char *out)
{
    /* copy header + question (the query minus its OPT record: 11 bytes) */
    size_t question_end = qlen - 11;
    memcpy(out, q, question_end);
    out[2] = (unsigned char)(0x81 | (truncated ? 0x02 : 0));
    out[3] = 0x80;
    out[10] = out[11] = 0; /* no additional */
    out[6] = 0;
    out[7] = truncated ? 0 : 1;
    size_t n = question_end;
    if (!truncated) {
        static const unsigned char rr[] = {0xC0, 0x0C, 0, 16, 0, 1, 0, 0, 0, 60, 0, 44, 43};
        memcpy(out + n, rr, sizeof rr);
        n += sizeof rr;
        memcpy(out + n, VECTOR, 43);
        n += 43;
    }
    return n;
}

static void *tc_main(void *arg)
{
    struct tc_server *s = arg;
    block_sigpipe();
    unsigned char q[512], a[1024];
    struct sockaddr_storage from;
    socklen_t fl = sizeof from;
    ssize_t n = recvfrom(s->udp, q, sizeof q, 0, (struct sockaddr *)&from, &fl);
    if (n > 23) {
        size_t al = answer_for(q, (size_t)n, true, a);
        sendto(s->udp, a, al, 0, (struct sockaddr *)&from, fl);
    }
    int c = accept(s->tcp, NULL, NULL);
    if (c < 0)
        return NULL;
    unsigned char lenbuf[2];
    if (recv(c, lenbuf, 2, MSG_WAITALL) == 2) {
        size_t ql = (size_t)(lenbuf[0] << 8 | lenbuf[1]);
        if (ql <= sizeof q && recv(c, q, ql, MSG_WAITALL) == (ssize_t)ql) {
            s->tcp_queries++;
            size_t al = answer_for(q, ql, false, a + 2);
            a[0] = (unsigned char)(al >> 8);
            a[1] = (unsigned char)al;
            send(c, a, al + 2, MSG_NOSIGNAL);
        }
    }
    close(c);
    return NULL;
}

static void test_dns01_truncated_udp_retried_over_tcp(void **state)
{
    (void)state;
    struct tc_server s = {.tcp_queries = 0};
    /* the same port number in UDP and TCP */
    for (int i = 0; i < 20; i++) {
        s.udp = listen_loopback(SOCK_DGRAM);
        s.port = listen_port(s.udp);
        s.tcp = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s.port)};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(s.tcp, (struct sockaddr *)&a, sizeof a) == 0 && listen(s.tcp, 4) == 0)
            break;
        close(s.tcp);
        close(s.udp);
        s.tcp = -1;
    }
    assert_true(s.tcp >= 0);
    assert_int_equal(pthread_create(&s.thread, NULL, tc_main, &s), 0);
    struct preflight_options o;
    dns_options(&o, s.port, 5000);
    struct preflight_result res;
    enum preflight_status st = preflight_dns01(&o, "tcp.demo.test", KEYAUTH, &res);
    pthread_join(s.thread, NULL);
    close(s.udp);
    close(s.tcp);
    show("dns-01 over TCP", &res);
    assert_int_equal(st, PREFLIGHT_OK);
    assert_int_equal(s.tcp_queries, 1);
    preflight_options_free(&o);
}

/* ===================================== tls-alpn-01 ======================== */

enum ext_mode { EXT_PROPER, EXT_MISSING, EXT_RAW_DIGEST };
enum alpn_mode { ALPN_SELECT, ALPN_IGNORE, ALPN_REJECT };

struct tls_server {
    int fd, port;
    pthread_t thread;
    SSL_CTX *ctx;
    enum alpn_mode alpn;
    char sni[256];
};

static void sha256(const char *text, unsigned char out[32])
{
    unsigned int l = 0;
    EVP_Digest(text, strlen(text), out, &l, EVP_sha256(), NULL);
}

/* A self-signed acme-tls/1 certificate per RFC 8737, with variations. */
static void make_challenge_cert(const char *sans, const char *keyauth, int critical,
                                enum ext_mode mode, X509 **cert_out, EVP_PKEY **key_out)
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    X509_gmtime_adj(X509_getm_notBefore(x), -60);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, key);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *san = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, sans);
    X509_add_ext(x, san, -1);
    X509_EXTENSION_free(san);
    if (mode != EXT_MISSING) {
        unsigned char digest[32];
        sha256(keyauth, digest);
        ASN1_OCTET_STRING *value = ASN1_OCTET_STRING_new();
        if (mode == EXT_PROPER) {
            ASN1_OCTET_STRING *inner = ASN1_OCTET_STRING_new();
            ASN1_OCTET_STRING_set(inner, digest, 32);
            unsigned char *der = NULL;
            int dl = i2d_ASN1_OCTET_STRING(inner, &der);
            ASN1_OCTET_STRING_set(value, der, dl);
            OPENSSL_free(der);
            ASN1_OCTET_STRING_free(inner);
        } else {
            ASN1_OCTET_STRING_set(value, digest, 32); /* the digest without its DER wrapping */
        }
        ASN1_OBJECT *obj = OBJ_txt2obj("1.3.6.1.5.5.7.1.31", 1);
        X509_EXTENSION *ext = X509_EXTENSION_create_by_OBJ(NULL, obj, critical, value);
        X509_add_ext(x, ext, -1);
        X509_EXTENSION_free(ext);
        ASN1_OBJECT_free(obj);
        ASN1_OCTET_STRING_free(value);
    }
    X509_sign(x, key, EVP_sha256());
    *cert_out = x;
    *key_out = key;
}

static int alpn_cb(SSL *s, const unsigned char **out, unsigned char *outlen,
                   const unsigned char *in, unsigned int inlen, void *arg)
{
    (void)s;
    struct tls_server *srv = arg;
    if (srv->alpn == ALPN_REJECT)
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    if (srv->alpn == ALPN_IGNORE)
        return SSL_TLSEXT_ERR_NOACK;
    static const unsigned char want[] = "\x0a" "acme-tls/1";
    unsigned char *sel = NULL;
    if (SSL_select_next_proto(&sel, outlen, want, sizeof want - 1, in, inlen) !=
        OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    *out = sel;
    return SSL_TLSEXT_ERR_OK;
}

static void *tls_main(void *arg)
{
    struct tls_server *srv = arg;
    block_sigpipe();
    struct pollfd p = {.fd = srv->fd, .events = POLLIN};
    if (poll(&p, 1, 10000) != 1)
        return NULL;
    int c = accept(srv->fd, NULL, NULL);
    if (c < 0)
        return NULL;
    SSL *s = SSL_new(srv->ctx);
    SSL_set_fd(s, c);
    if (SSL_accept(s) == 1) {
        const char *sni = SSL_get_servername(s, TLSEXT_NAMETYPE_host_name);
        snprintf(srv->sni, sizeof srv->sni, "%s", sni ? sni : "");
        SSL_shutdown(s);
    }
    SSL_free(s);
    close(c);
    ERR_clear_error();
    return NULL;
}

static void tls_start(struct tls_server *srv, const char *sans, const char *keyauth, int critical,
                      enum ext_mode mode, enum alpn_mode alpn)
{
    X509 *cert;
    EVP_PKEY *key;
    make_challenge_cert(sans, keyauth, critical, mode, &cert, &key);
    srv->ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(srv->ctx, cert);
    SSL_CTX_use_PrivateKey(srv->ctx, key);
    X509_free(cert);
    EVP_PKEY_free(key);
    srv->alpn = alpn;
    SSL_CTX_set_alpn_select_cb(srv->ctx, alpn_cb, srv);
    srv->fd = listen_loopback(SOCK_STREAM);
    srv->port = listen_port(srv->fd);
    assert_int_equal(pthread_create(&srv->thread, NULL, tls_main, srv), 0);
}

static void tls_stop(struct tls_server *srv)
{
    pthread_join(srv->thread, NULL);
    close(srv->fd);
    SSL_CTX_free(srv->ctx);
}

static enum preflight_status tls_check(enum alpn_mode alpn, const char *sans, int critical,
                                       enum ext_mode mode, const char *cert_keyauth,
                                       struct preflight_result *res, char *sni_seen)
{
    struct tls_server srv;
    memset(&srv, 0, sizeof srv);
    tls_start(&srv, sans, cert_keyauth, critical, mode, alpn);
    struct preflight_options o;
    options(&o, 5000);
    o.tlsalpn01_port = srv.port;
    enum preflight_status s = preflight_tlsalpn01(&o, "shop.demo.test", KEYAUTH, res);
    tls_stop(&srv);
    if (sni_seen)
        strcpy(sni_seen, srv.sni);
    preflight_options_free(&o);
    return s;
}

/* http-01 again, with an https server (it needs the certificate maker above):
 * ten redirects the CA follows, relative ones and one from http to https on
 * the CA's https port, end in OK. */
static void test_http01_ten_good_redirects_through_https(void **state)
{
    (void)state;
    X509 *cert;
    EVP_PKEY *key;
    make_challenge_cert("DNS:secure.demo.test", KEYAUTH, 0, EXT_MISSING, &cert, &key);
    struct canned tls = {.count = 8};
    tls.tls = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(tls.tls, cert);
    SSL_CTX_use_PrivateKey(tls.tls, key);
    X509_free(cert);
    EVP_PKEY_free(key);
    char hops[10][128];
    /* on https: 7 relative redirects (/moved/4 .. /moved/10), then the answer */
    for (int i = 0; i < 7; i++) {
        char to[32];
        snprintf(to, sizeof to, "/moved/%d", i + 4);
        tls.responses[i] = redirect_to(hops[3 + i], sizeof hops[3 + i], "308 Permanent Redirect", to);
    }
    tls.responses[7] = ANSWER_KEYAUTH;
    canned_start(&tls);
    struct canned plain = {
        .responses = {redirect_to(hops[0], sizeof hops[0], "301 Moved Permanently", "/moved/1"),
                      redirect_to(hops[1], sizeof hops[1], "302 Found",
                                  "http://www.demo.test/moved/2"),
                      redirect_to(hops[2], sizeof hops[2], "307 Temporary Redirect",
                                  "https://secure.demo.test/moved/3")},
        .count = 3};
    canned_start(&plain);
    struct preflight_options o;
    options(&o, 5000);
    o.http01_port = plain.port;
    o.tlsalpn01_port = tls.port; /* the CA's https port (443) in this test */
    struct preflight_result res;
    enum preflight_status s = preflight_http01(&o, "www.demo.test", TOKEN, KEYAUTH, &res);
    canned_stop(&plain);
    canned_stop(&tls);
    SSL_CTX_free(tls.tls);
    show("http-01 ten redirects", &res);
    assert_int_equal(s, PREFLIGHT_OK);
    assert_non_null(strstr(res.why, "after 10 redirects"));
    char final[256];
    snprintf(final, sizeof final, "https://secure.demo.test:%d/moved/10", tls.port);
    assert_string_equal(res.where, final);
    assert_int_equal(plain.served, 3);
    assert_int_equal(tls.served, 8);
    assert_int_equal(strncmp(plain.requests[1], "GET /moved/1 HTTP/1.1\r\n", 23), 0);
    assert_int_equal(strncmp(tls.requests[0], "GET /moved/3 HTTP/1.1\r\n", 23), 0);
    assert_int_equal(strncmp(tls.requests[7], "GET /moved/10 HTTP/1.1\r\n", 24), 0);
    preflight_options_free(&o);
}

static void test_tlsalpn01_ok_against_our_openssl_server(void **state)
{
    (void)state;
    struct preflight_result res;
    char sni[256] = "";
    assert_int_equal(tls_check(ALPN_SELECT, "DNS:shop.demo.test", 1, EXT_PROPER, KEYAUTH, &res,
                               sni), PREFLIGHT_OK);
    show("tls-alpn-01 test server", &res);
    assert_string_equal(sni, "shop.demo.test"); /* SNI = the identifier */
    char hex[CHALLENGE_SHA256_HEX_BUF];
    challenge_tlsalpn01_digest_hex(KEYAUTH, hex, sizeof hex);
    assert_non_null(strstr(res.expected, hex));
    assert_non_null(strstr(res.found, hex));
    assert_non_null(strstr(res.where, "shop.demo.test:"));
    assert_non_null(strstr(res.where, "(127.0.0.1)"));
}

static void test_tlsalpn01_ok_against_challtestsrv(void **state)
{
    (void)state;
    assert_int_equal(challtestsrv_add_tlsalpn01(cts, "api.demo.test", KEYAUTH), 0);
    struct preflight_options o;
    options(&o, 5000);
    o.tlsalpn01_port = cts->tlsalpn01_port;
    struct preflight_result res;
    assert_int_equal(preflight_tlsalpn01(&o, "api.demo.test", KEYAUTH, &res), PREFLIGHT_OK);
    show("tls-alpn-01 challtestsrv", &res);
    /* its certificate for api.demo.test carries the digest of KEYAUTH, not of another */
    assert_int_equal(preflight_tlsalpn01(&o, "api.demo.test", OTHER_KEYAUTH, &res),
                     PREFLIGHT_MISMATCH);
    preflight_options_free(&o);
}

static void test_tlsalpn01_mismatches(void **state)
{
    (void)state;
    struct preflight_result res;
    char hex_other[CHALLENGE_SHA256_HEX_BUF];
    challenge_tlsalpn01_digest_hex(OTHER_KEYAUTH, hex_other, sizeof hex_other);

    assert_int_equal(tls_check(ALPN_SELECT, "DNS:shop.demo.test", 1, EXT_PROPER, OTHER_KEYAUTH,
                               &res, NULL), PREFLIGHT_MISMATCH);
    show("tls-alpn-01 wrong digest", &res);
    assert_non_null(strstr(res.found, hex_other));
    assert_non_null(strstr(res.why, "another key authorization"));

    assert_int_equal(tls_check(ALPN_SELECT, "DNS:shop.demo.test", 0, EXT_PROPER, KEYAUTH, &res,
                               NULL), PREFLIGHT_MISMATCH);
    show("tls-alpn-01 not critical", &res);
    assert_non_null(strstr(res.why, "not marked critical"));

    assert_int_equal(tls_check(ALPN_SELECT, "DNS:shop.demo.test,DNS:www.demo.test", 1,
                               EXT_PROPER, KEYAUTH, &res, NULL), PREFLIGHT_MISMATCH);
    show("tls-alpn-01 extra SAN", &res);
    assert_non_null(strstr(res.why, "shop.demo.test, www.demo.test"));

    assert_int_equal(tls_check(ALPN_SELECT, "DNS:other.demo.test", 1, EXT_PROPER, KEYAUTH, &res,
                               NULL), PREFLIGHT_MISMATCH);
    assert_non_null(strstr(res.found, "other.demo.test"));

    assert_int_equal(tls_check(ALPN_SELECT, "DNS:shop.demo.test", 1, EXT_MISSING, KEYAUTH, &res,
                               NULL), PREFLIGHT_MISMATCH);
    show("tls-alpn-01 no extension", &res);
    assert_string_equal(res.found, "no acmeIdentifier extension");

    assert_int_equal(tls_check(ALPN_SELECT, "DNS:shop.demo.test", 1, EXT_RAW_DIGEST, KEYAUTH,
                               &res, NULL), PREFLIGHT_MISMATCH);
    show("tls-alpn-01 not DER", &res);
    assert_non_null(strstr(res.why, "not a DER OCTET STRING"));

    assert_int_equal(tls_check(ALPN_IGNORE, "DNS:shop.demo.test", 1, EXT_PROPER, KEYAUTH, &res,
                               NULL), PREFLIGHT_MISMATCH);
    show("tls-alpn-01 no ALPN", &res);
    assert_string_equal(res.found, "no ALPN protocol negotiated");
}

static void test_tlsalpn01_unreachable(void **state)
{
    (void)state;
    struct preflight_result res;
    assert_int_equal(tls_check(ALPN_REJECT, "DNS:shop.demo.test", 1, EXT_PROPER, KEYAUTH, &res,
                               NULL), PREFLIGHT_UNREACHABLE);
    show("tls-alpn-01 refused", &res);
    assert_non_null(strstr(res.why, "TLS handshake failed"));
    assert_non_null(strstr(res.why, "does not offer acme-tls/1"));

    struct preflight_options o;
    options(&o, 5000);
    o.tlsalpn01_port = closed_port(SOCK_STREAM);
    assert_int_equal(preflight_tlsalpn01(&o, "shop.demo.test", KEYAUTH, &res),
                     PREFLIGHT_UNREACHABLE);
    show("tls-alpn-01 nothing listening", &res);
    assert_non_null(strstr(res.why, "connection refused"));

    /* plain TCP that never speaks TLS: the handshake timeout */
    struct canned c = {.responses = {NULL}, .count = 1};
    canned_start(&c);
    o.tlsalpn01_port = c.port;
    o.timeout_ms = 500;
    double t0 = now_s();
    assert_int_equal(preflight_tlsalpn01(&o, "shop.demo.test", KEYAUTH, &res),
                     PREFLIGHT_UNREACHABLE);
    double took = now_s() - t0;
    canned_stop(&c);
    show("tls-alpn-01 silent", &res);
    assert_true(took >= 0.4 && took < 2.0);
    assert_non_null(strstr(res.why, "did not finish within 0.5 s"));
    preflight_options_free(&o);
}

static void test_dispatch_by_type(void **state)
{
    (void)state;
    struct preflight_result res;
    struct preflight_options o;
    dns_options(&o, cts->dns_port, 5000);
    assert_int_equal(challtestsrv_set_txt(cts, "_acme-challenge.run.demo.test", VECTOR), 0);
    assert_int_equal(preflight_run(&o, "dns-01", "run.demo.test", TOKEN, KEYAUTH, &res),
                     PREFLIGHT_OK);
    assert_int_equal(preflight_run(&o, "email-reply-00", "run.demo.test", TOKEN, KEYAUTH, &res),
                     PREFLIGHT_UNREACHABLE);
    assert_non_null(strstr(res.why, "cannot check"));
    assert_string_equal(preflight_status_name(PREFLIGHT_MISMATCH), "mismatch");
    /* options copy for another thread */
    struct preflight_options copy;
    preflight_options_copy(&copy, &o);
    preflight_options_free(&o);
    assert_int_equal(preflight_run(&copy, "dns-01", "run.demo.test", NULL, KEYAUTH, &res),
                     PREFLIGHT_OK);
    preflight_options_free(&copy);
}

static int group_setup(void **state)
{
    (void)state;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return -1;
    cts = challtestsrv_start();
    return cts ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    challtestsrv_stop(cts);
    curl_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http01_ok_through_our_responder),
        cmocka_unit_test(test_http01_ok_through_challtestsrv),
        cmocka_unit_test(test_http01_unreachable),
        cmocka_unit_test(test_http01_sends_nothing_of_vault),
        cmocka_unit_test(test_http01_follows_redirects_and_reports_the_final_url),
        cmocka_unit_test(test_http01_redirect_to_an_ip_address_is_a_mismatch),
        cmocka_unit_test(test_http01_redirect_to_another_port_is_a_mismatch),
        cmocka_unit_test(test_http01_redirect_to_another_scheme_is_a_mismatch),
        cmocka_unit_test(test_http01_ten_good_redirects_through_https),
        cmocka_unit_test(test_http01_body_over_8k_is_a_mismatch),
        cmocka_unit_test(test_http01_hostile_body_is_sanitized),
        cmocka_unit_test(test_dns01_ok_with_the_api_vector),
        cmocka_unit_test(test_dns01_mismatch_and_missing),
        cmocka_unit_test(test_dns01_wildcard_uses_the_base_name),
        cmocka_unit_test(test_dns01_unreachable),
        cmocka_unit_test(test_dns01_truncated_udp_retried_over_tcp),
        cmocka_unit_test(test_tlsalpn01_ok_against_our_openssl_server),
        cmocka_unit_test(test_tlsalpn01_ok_against_challtestsrv),
        cmocka_unit_test(test_tlsalpn01_mismatches),
        cmocka_unit_test(test_tlsalpn01_unreachable),
        cmocka_unit_test(test_dispatch_by_type),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
