/* test_tlsalpn01_responder: acmetop's tls-alpn-01 responder over real
 * sockets on 127.0.0.1 (port 0), seen the way a CA sees it: the strict
 * pre-flight check (net/preflight_tlsalpn01) passes against it; an OpenSSL
 * client with SNI = a served identifier and ALPN acme-tls/1 gets the RFC
 * 8737 certificate for that name; a wrong or missing SNI and a missing or
 * foreign ALPN get a failed handshake and no certificate; each handshake
 * is reported (remote address, SNI, outcome); identifiers replaced and
 * removed while running; a wildcard refused with a sentence; idle
 * connections dropped and counted; 600 idle connections (silent, or
 * dripping a ClientHello) from 41 addresses do not keep the CA's
 * handshakes out; the address-in-use and privileged-port sentences. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
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

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/preflight.h"
#include "net/preflight_result.h"
#include "net/preflight_tlsalpn01.h"
#include "net/tlsalpn01_responder.h"

#define KEYAUTH "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"
#define OTHER_KEYAUTH "Xkq0n2Yx1Ea7bX0aBAcdM5qS8w2V9hGtxrZ0hTj4aYQ.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"
#define ALPN_ACME "\x0a" "acme-tls/1"
#define ALPN_WEB "\x02" "h2" "\x08" "http/1.1"

/* ---- handshakes seen by the callback (responder thread) ------------------ */

struct seen {
    pthread_mutex_t lock;
    struct tlsalpn01_handshake items[64];
    size_t count;
    unsigned long dropped;
};

static void on_handshake(const struct tlsalpn01_handshake *h, void *user)
{
    struct seen *s = user;
    pthread_mutex_lock(&s->lock);
    if (s->count < 64)
        s->items[s->count++] = *h;
    pthread_mutex_unlock(&s->lock);
}

static void on_dropped(unsigned long total, void *user)
{
    struct seen *s = user;
    pthread_mutex_lock(&s->lock);
    s->dropped = total;
    pthread_mutex_unlock(&s->lock);
}

/* The n-th report (1-based), waiting up to 3 s for it. */
static struct tlsalpn01_handshake seen_wait(struct seen *s, size_t n)
{
    for (int i = 0; i < 300; i++) {
        pthread_mutex_lock(&s->lock);
        if (s->count >= n) {
            struct tlsalpn01_handshake h = s->items[n - 1];
            pthread_mutex_unlock(&s->lock);
            return h;
        }
        pthread_mutex_unlock(&s->lock);
        usleep(10000);
    }
    fail_msg("handshake report %zu did not come", n);
    struct tlsalpn01_handshake none = {0};
    return none;
}

struct fixture {
    struct tlsalpn01_responder *r;
    struct seen seen;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    pthread_mutex_init(&f->seen.lock, NULL);
    struct tlsalpn01_responder_options opt = {.listen = "127.0.0.1:0",
                                              .on_handshake = on_handshake,
                                              .on_dropped = on_dropped, .user = &f->seen,
                                              .first_byte_timeout_ms = 300};
    struct deploy_error err;
    f->r = tlsalpn01_responder_start(&opt, &err);
    if (!f->r)
        fail_msg("start: %s", err.message);
    assert_int_equal(tlsalpn01_responder_add(f->r, "shop.demo.test", KEYAUTH, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tlsalpn01_responder_stop(f->r);
    pthread_mutex_destroy(&f->seen.lock);
    free(f);
    return 0;
}

/* ---- a TLS client ------------------------------------------------------------ */

struct client_result {
    bool ok;              /* handshake completed */
    char alpn[32];        /* selected protocol */
    char san[256];        /* the peer certificate's first dNSName */
    char why[256];        /* the client's OpenSSL reason when it failed */
    int local_port;
};

/* A connection from 127.0.0.<host> (another host for the per-address cap). */
static int connect_from(int host, int port, int *local_port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in me = {.sin_family = AF_INET};
    me.sin_addr.s_addr = htonl(INADDR_LOOPBACK - 1 + (uint32_t)host);
    int one = 1; /* the port is picked by connect(), as without bind() */
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof me), 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t ml = sizeof me;
    getsockname(fd, (struct sockaddr *)&me, &ml);
    if (local_port)
        *local_port = ntohs(me.sin_port);
    struct timeval tv = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static int connect_to(int port, int *local_port)
{
    return connect_from(1, port, local_port);
}

static struct client_result handshake_from(int host, int port, const char *sni,
                                           const char *alpn, size_t alpn_len)
{
    struct client_result res;
    memset(&res, 0, sizeof res);
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL *s = SSL_new(ctx);
    SSL_set_verify(s, SSL_VERIFY_NONE, NULL);
    if (sni)
        SSL_set_tlsext_host_name(s, sni);
    if (alpn)
        SSL_set_alpn_protos(s, (const unsigned char *)alpn, (unsigned)alpn_len);
    int fd = connect_from(host, port, &res.local_port);
    SSL_set_fd(s, fd);
    ERR_clear_error();
    if (SSL_connect(s) == 1) {
        res.ok = true;
        const unsigned char *sel;
        unsigned sl = 0;
        SSL_get0_alpn_selected(s, &sel, &sl);
        snprintf(res.alpn, sizeof res.alpn, "%.*s", (int)sl, (const char *)sel);
        X509 *x = SSL_get1_peer_certificate(s);
        GENERAL_NAMES *names = x ? X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL) : NULL;
        if (names && sk_GENERAL_NAME_num(names) > 0) {
            const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, 0);
            snprintf(res.san, sizeof res.san, "%.*s", ASN1_STRING_length(g->d.dNSName),
                     (const char *)ASN1_STRING_get0_data(g->d.dNSName));
        }
        GENERAL_NAMES_free(names);
        X509_free(x);
        /* no application data: the server closes after the handshake */
        char buf[16];
        int n = SSL_read(s, buf, sizeof buf);
        assert_true(n <= 0);
    } else {
        unsigned long e = ERR_peek_last_error();
        snprintf(res.why, sizeof res.why, "%s", e ? ERR_reason_error_string(e) : "closed");
    }
    ERR_clear_error();
    SSL_free(s);
    SSL_CTX_free(ctx);
    close(fd);
    return res;
}

static struct client_result handshake(int port, const char *sni, const char *alpn, size_t alpn_len)
{
    return handshake_from(1, port, sni, alpn, alpn_len);
}

static enum preflight_status check(struct fixture *f, const char *identifier, const char *ka,
                                   struct preflight_result *res)
{
    struct preflight_options o;
    preflight_options_init(&o);
    o.timeout_ms = 5000;
    assert_int_equal(resolve_map_add(&o.resolve, "*.demo.test=127.0.0.1", NULL), 0);
    o.tlsalpn01_port = tlsalpn01_responder_port(f->r);
    enum preflight_status s = preflight_tlsalpn01(&o, identifier, ka, res);
    preflight_options_free(&o);
    printf("    %s: %s | %s | %s\n", identifier, preflight_status_name(res->status), res->found,
           res->why);
    return s;
}

/* ---- the tests ---------------------------------------------------------------- */

static void test_strict_preflight_check_passes(void **state)
{
    struct fixture *f = *state;
    struct preflight_result res;
    assert_int_equal(check(f, "shop.demo.test", KEYAUTH, &res), PREFLIGHT_OK);
    struct tlsalpn01_handshake h = seen_wait(&f->seen, 1);
    assert_int_equal(h.outcome, TLSALPN01_SERVED);
    assert_string_equal(h.sni, "shop.demo.test");
    assert_int_equal(strncmp(h.remote, "127.0.0.1:", 10), 0);
    /* the key authorization of another order is not what it serves */
    assert_int_equal(check(f, "shop.demo.test", OTHER_KEYAUTH, &res), PREFLIGHT_MISMATCH);
    assert_non_null(strstr(res.why, "digest of another key authorization"));
}

static void test_the_certificate_for_the_sni_with_acme_tls(void **state)
{
    struct fixture *f = *state;
    struct deploy_error err;
    assert_int_equal(tlsalpn01_responder_add(f->r, "api.demo.test", OTHER_KEYAUTH, &err), 0);
    assert_int_equal(tlsalpn01_responder_count(f->r), 2);
    /* several protocols offered: acme-tls/1 is chosen; the name picks the certificate */
    static const char offer[] = ALPN_WEB ALPN_ACME;
    struct client_result c = handshake(tlsalpn01_responder_port(f->r), "API.demo.test", offer,
                                       sizeof offer - 1);
    assert_true(c.ok);
    assert_string_equal(c.alpn, "acme-tls/1");
    assert_string_equal(c.san, "api.demo.test");
    struct tlsalpn01_handshake h = seen_wait(&f->seen, 1);
    assert_int_equal(h.outcome, TLSALPN01_SERVED);
    char remote[64];
    snprintf(remote, sizeof remote, "127.0.0.1:%d", c.local_port);
    assert_string_equal(h.remote, remote);
    c = handshake(tlsalpn01_responder_port(f->r), "shop.demo.test", ALPN_ACME,
                  sizeof ALPN_ACME - 1);
    assert_true(c.ok);
    assert_string_equal(c.san, "shop.demo.test");
}

static void test_wrong_or_missing_sni_refused(void **state)
{
    struct fixture *f = *state;
    int port = tlsalpn01_responder_port(f->r);
    struct client_result c = handshake(port, "other.demo.test", ALPN_ACME, sizeof ALPN_ACME - 1);
    assert_false(c.ok);
    assert_string_equal(c.san, "");
    printf("    wrong SNI, the client read: %s\n", c.why);
    assert_non_null(strstr(c.why, "unrecognized name"));
    struct tlsalpn01_handshake h = seen_wait(&f->seen, 1);
    assert_int_equal(h.outcome, TLSALPN01_UNKNOWN_NAME);
    assert_string_equal(h.sni, "other.demo.test");
    assert_string_equal(tlsalpn01_outcome_name(h.outcome), "unknown name");

    c = handshake(port, NULL, ALPN_ACME, sizeof ALPN_ACME - 1);
    assert_false(c.ok);
    h = seen_wait(&f->seen, 2);
    assert_int_equal(h.outcome, TLSALPN01_UNKNOWN_NAME);
    assert_string_equal(h.sni, "");
    assert_string_equal(h.detail, "no SNI");
}

static void test_missing_or_foreign_alpn_refused(void **state)
{
    struct fixture *f = *state;
    int port = tlsalpn01_responder_port(f->r);
    struct client_result c = handshake(port, "shop.demo.test", NULL, 0);
    assert_false(c.ok);
    assert_string_equal(c.san, "");
    printf("    no ALPN, the client read: %s\n", c.why);
    assert_non_null(strstr(c.why, "no application protocol"));
    struct tlsalpn01_handshake h = seen_wait(&f->seen, 1);
    assert_int_equal(h.outcome, TLSALPN01_NO_ALPN);
    assert_string_equal(h.sni, "shop.demo.test");

    c = handshake(port, "shop.demo.test", ALPN_WEB, sizeof ALPN_WEB - 1);
    assert_false(c.ok);
    h = seen_wait(&f->seen, 2);
    assert_int_equal(h.outcome, TLSALPN01_NO_ALPN);
}

static void test_not_tls_and_replaced_and_removed(void **state)
{
    struct fixture *f = *state;
    int port = tlsalpn01_responder_port(f->r);
    /* plain HTTP at the TLS port: a failed handshake, never an answer */
    int fd = connect_to(port, NULL);
    const char get[] = "GET / HTTP/1.1\r\nHost: shop.demo.test\r\n\r\n";
    assert_int_equal(send(fd, get, sizeof get - 1, 0), (ssize_t)(sizeof get - 1));
    char buf[256];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    assert_true(n < 16); /* at most an alert, no HTTP */
    if (n > 0)
        assert_int_equal(buf[0], 0x15); /* TLS alert record */
    close(fd);
    struct tlsalpn01_handshake h = seen_wait(&f->seen, 1);
    assert_int_equal(h.outcome, TLSALPN01_FAILED);

    /* replaced: the new key authorization's digest */
    struct deploy_error err;
    assert_int_equal(tlsalpn01_responder_add(f->r, "shop.demo.test", OTHER_KEYAUTH, &err), 0);
    assert_int_equal(tlsalpn01_responder_count(f->r), 1);
    struct preflight_result res;
    assert_int_equal(check(f, "shop.demo.test", OTHER_KEYAUTH, &res), PREFLIGHT_OK);
    /* removed: the name is not known any more */
    assert_true(tlsalpn01_responder_remove(f->r, "SHOP.demo.test"));
    assert_false(tlsalpn01_responder_remove(f->r, "shop.demo.test"));
    assert_int_equal(tlsalpn01_responder_count(f->r), 0);
    assert_int_not_equal(check(f, "shop.demo.test", OTHER_KEYAUTH, &res), PREFLIGHT_OK);
    assert_non_null(strstr(res.why, "unrecognized name"));
}

static void test_wildcard_refused_with_a_sentence(void **state)
{
    struct fixture *f = *state;
    struct deploy_error err;
    assert_int_equal(tlsalpn01_responder_add(f->r, "*.apps.demo.test", KEYAUTH, &err), -1);
    assert_string_equal(err.message, "cannot serve tls-alpn-01 for the wildcard "
                                     "*.apps.demo.test: a CA validates a wildcard with dns-01 "
                                     "only");
    assert_int_equal(tlsalpn01_responder_count(f->r), 1);
}

/* Idle connections are closed after the first-byte timeout, counted as
 * dropped, not reported as handshakes; the CA still gets its answer. */
static void test_idle_connections_dropped(void **state)
{
    struct fixture *f = *state;
    int port = tlsalpn01_responder_port(f->r);
    int idle[20];
    for (int i = 0; i < 20; i++)
        idle[i] = connect_to(port, NULL);
    struct preflight_result res;
    assert_int_equal(check(f, "shop.demo.test", KEYAUTH, &res), PREFLIGHT_OK);
    /* 16 per address: the 4 oldest were evicted at once, the rest time out */
    for (int i = 0; i < 300; i++) {
        pthread_mutex_lock(&f->seen.lock);
        unsigned long d = f->seen.dropped;
        pthread_mutex_unlock(&f->seen.lock);
        if (d >= 20)
            break;
        usleep(10000);
    }
    pthread_mutex_lock(&f->seen.lock);
    assert_true(f->seen.dropped >= 20);
    assert_int_equal(f->seen.count, 1); /* only the check's handshake */
    pthread_mutex_unlock(&f->seen.lock);
    for (int i = 0; i < 20; i++)
        close(idle[i]);
}

/* ---- slowloris: 600 idle connections -------------------------------------- */

enum { IDLE = 600, IDLE_HOSTS = 41 };

struct idle_crowd {
    int fds[IDLE];
    atomic_bool stop;
};

/* The odd half started a ClientHello record (a header announcing 512
 * bytes) and drips one byte of it every 50 ms, to look alive. */
static void *drip(void *arg)
{
    struct idle_crowd *crowd = arg;
    while (!atomic_load(&crowd->stop)) {
        for (int i = 1; i < IDLE; i += 2)
            send(crowd->fds[i], "\x01", 1, MSG_NOSIGNAL | MSG_DONTWAIT); /* evicted: fails */
        usleep(50000);
    }
    return NULL;
}

/* More connections than the responder holds (TLSALPN01_MAX_CLIENTS) and
 * than one address may (TLSALPN01_PER_ADDRESS_MAX), half from the CA's own
 * address; then the CA's handshakes from a fresh address, its crowded one
 * and an attacker's: each completes with the challenge certificate in
 * under 1 s, and the idle ones evicted to make room are counted. */
static void test_idle_crowd_does_not_keep_the_ca_out(void **state)
{
    struct fixture *f = *state;
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur < IDLE + TLSALPN01_MAX_CLIENTS + 64)
        fail_msg("RLIMIT_NOFILE %lu: the test needs %d descriptors", (unsigned long)rl.rlim_cur,
                 IDLE + TLSALPN01_MAX_CLIENTS + 64);
    int port = tlsalpn01_responder_port(f->r);
    static struct idle_crowd crowd;
    atomic_init(&crowd.stop, false);
    static const char record[] = "\x16\x03\x01\x02\x00\x01"; /* handshake, 512 bytes: ClientHello */
    for (int i = 0; i < IDLE; i++) {
        int host = i < IDLE / 2 ? 1 : 2 + i % (IDLE_HOSTS - 1);
        crowd.fds[i] = connect_from(host, port, NULL);
        if (i % 2)
            send(crowd.fds[i], record, sizeof record - 1, MSG_NOSIGNAL);
    }
    pthread_t dripper;
    assert_int_equal(pthread_create(&dripper, NULL, drip, &crowd), 0);
    double worst = 0;
    int served = 0;
    for (int i = 0; i < 9; i++) {
        int host = i % 3 == 0 ? IDLE_HOSTS + 1 + i : i % 3 == 1 ? 1 : 2;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        struct client_result c = handshake_from(host, port, "shop.demo.test", ALPN_ACME,
                                                sizeof ALPN_ACME - 1);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (c.ok && strcmp(c.san, "shop.demo.test") == 0)
            served++;
        if (took > worst)
            worst = took;
    }
    atomic_store(&crowd.stop, true);
    pthread_join(dripper, NULL);
    print_message("     9 CA handshakes among %d idle connections: slowest in %.1f ms\n", IDLE,
                  worst * 1000);
    assert_int_equal(served, 9);
    assert_true(worst < 1.0);
    unsigned long dropped = 0;
    for (int i = 0; i < 300 && dropped < IDLE - TLSALPN01_MAX_CLIENTS; i++) {
        pthread_mutex_lock(&f->seen.lock);
        dropped = f->seen.dropped;
        pthread_mutex_unlock(&f->seen.lock);
        usleep(10000);
    }
    print_message("     %lu idle connections dropped\n", dropped);
    assert_true(dropped >= IDLE - TLSALPN01_MAX_CLIENTS);
    for (int i = 0; i < IDLE; i++)
        close(crowd.fds[i]);
}

static void test_address_in_use_says_so(void **state)
{
    struct fixture *f = *state;
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", tlsalpn01_responder_port(f->r));
    struct tlsalpn01_responder_options opt = {.listen = listen};
    struct deploy_error err;
    assert_null(tlsalpn01_responder_start(&opt, &err));
    assert_int_equal(err.code, EADDRINUSE);
    char expect[160];
    snprintf(expect, sizeof expect, "%s is in use by another program", listen);
    assert_non_null(strstr(err.message, expect));
    assert_string_equal(tlsalpn01_responder_address(f->r), listen);
    struct preflight_result res;
    assert_int_equal(check(f, "shop.demo.test", KEYAUTH, &res), PREFLIGHT_OK);
}

/* As an unprivileged user (a child drops to nobody when run as root). */
static void test_privileged_port_message(void **state)
{
    (void)state;
    FILE *fp = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "r");
    int start = 1024;
    if (fp) {
        if (fscanf(fp, "%d", &start) != 1)
            start = 1024;
        fclose(fp);
    }
    assert_true(start > 1);
    int port = start - 1 > 443 ? 443 : start - 1;
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
        struct tlsalpn01_responder_options opt = {.listen = listen};
        struct deploy_error err;
        if (tlsalpn01_responder_start(&opt, &err))
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

static void test_bad_listen_address(void **state)
{
    (void)state;
    struct tlsalpn01_responder_options opt = {.listen = "localhost:5001"};
    struct deploy_error err;
    assert_null(tlsalpn01_responder_start(&opt, &err));
    assert_non_null(strstr(err.message, "TLS-ALPN-01 listen address"));
    assert_non_null(strstr(err.message, "not a numeric"));
    assert_null(tlsalpn01_responder_start(NULL, &err));
    tlsalpn01_responder_stop(NULL);
}

int main(void)
{
    /* the crowd test holds 600 connections and the responder's end of them */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_strict_preflight_check_passes),
        T(test_the_certificate_for_the_sni_with_acme_tls),
        T(test_wrong_or_missing_sni_refused),
        T(test_missing_or_foreign_alpn_refused),
        T(test_not_tls_and_replaced_and_removed),
        T(test_wildcard_refused_with_a_sentence),
        T(test_idle_connections_dropped),
        T(test_idle_crowd_does_not_keep_the_ca_out),
        T(test_address_in_use_says_so),
        cmocka_unit_test(test_privileged_port_message),
        cmocka_unit_test(test_bad_listen_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
