/* test_deploy_service: the engine's deploy commands driven the way the
 * console drives them, through the two queues only, with the worker
 * running against the real Vault simulator:
 *   - CMD_SERVE (http-01) starts the HTTP-01 responder and serves a token
 *     (a real GET answers the key authorization, UPD_RESPONDER_HIT arrives),
 *     CMD_PREFLIGHT checks it through the resolve map, CMD_FORGET_ORDER
 *     makes it 404, CMD_STOP_RESPONDER stops it with the count of answers;
 *   - CMD_SERVE (tls-alpn-01) starts the TLS-ALPN-01 responder beside it:
 *     the strict tls-alpn-01 pre-flight check passes against it,
 *     UPD_HANDSHAKE reports the check's handshake, a wildcard is refused
 *     with a sentence and starts nothing, CMD_FORGET_ORDER makes the name
 *     unknown to it, CMD_STOP_RESPONDER stops both and says so;
 *   - a pre-flight check against a host that never answers does not hold
 *     up the worker;
 *   - a listen port already taken: a clear sentence, not running;
 *   - CMD_SAVE_CERT writes the files of a completed order (key 0600),
 *     refuses to replace them unless asked (EXISTS, nothing written), then
 *     replaces them; CMD_FETCH_CERT's certificate comes without the key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "deadline.h"
#include "model/queue.h"
#include "model/xalloc.h"
#include "net/cert_files.h"
#include "net/vault_client.h"
#include "net/worker.h"
#include "simproc.h"

#define TOKEN "s.deploy-service-test"
#define ANSWER_WAIT_S 20
#define TOK "tok_DEPLOY-service-1"
#define KEYAUTH TOK ".thumbprint-abc"
#define IDENT "a.demo.test"

struct fx {
    struct simproc *sim;
    struct vault_config cfg;
    char tmp[64];                /* a fresh directory; cert_dir is tmp/certs */
    struct queue *commands, *updates;
    struct worker *worker;
    struct msg *answers[64];     /* updates with a request_id, not taken yet */
    size_t answer_count;
    struct msg *hits[64];        /* UPD_RESPONDER_HIT, by arrival */
    size_t hit_count;
};

/* ---- the console stand-in ------------------------------------------------ */

static int setup(void **state)
{
    struct fx *fx = xcalloc(1, sizeof *fx);
    fx->sim = simproc_start((const char *const[]){"--token", TOKEN, "--seed-orders", "30",
                                                  "--time-scale", "0", NULL});
    if (!fx->sim) {
        free(fx);
        return -1;
    }
    /* every seeded order in motion settles: some are completed */
    if (simproc_post(fx->sim, "/_sim/advance", "{\"seconds\": 600}") != 200)
        return -1;
    snprintf(fx->tmp, sizeof fx->tmp, "/tmp/acmetop-deploy-service-XXXXXX");
    if (!mkdtemp(fx->tmp))
        return -1;
    struct vault_config *c = &fx->cfg;
    simproc_config(fx->sim, TOKEN, c);
    deploy_config_init(&c->deploy, NULL);
    struct deploy_error err;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/certs", fx->tmp);
    if (deploy_config_set(&c->deploy, "cert_dir", dir, "test", &err) != 0 ||
        deploy_config_set(&c->deploy, "preflight_resolve", "*=127.0.0.1", "test", &err) != 0 ||
        deploy_config_set(&c->deploy, "preflight_timeout", "3s", "test", &err) != 0)
        return -1;
    free(c->deploy.http01_listen); /* port 0: any free port (the config refuses it) */
    c->deploy.http01_listen = xstrdup("127.0.0.1:0");
    fx->commands = queue_new();
    fx->updates = queue_new();
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    worker_stop(fx->worker);
    queue_free(fx->commands);
    queue_free(fx->updates);
    for (size_t i = 0; i < fx->answer_count; i++)
        msg_free(fx->answers[i]);
    for (size_t i = 0; i < fx->hit_count; i++)
        msg_free(fx->hits[i]);
    vault_config_free(&fx->cfg);
    simproc_stop(fx->sim);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->tmp);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

static void fx_start(struct fx *fx)
{
    struct vault_error err;
    fx->worker = worker_start(&fx->cfg, fx->commands, fx->updates, &err);
    if (!fx->worker) {
        print_error("worker_start: %s\n", err.sentence);
        fail();
    }
}

/* Keep what the test looks at; the poll's updates are dropped. */
static void fx_keep(struct fx *fx, struct msg *m)
{
    if ((m->type == UPD_RESPONDER_HIT || m->type == UPD_HANDSHAKE) && fx->hit_count < 64) {
        fx->hits[fx->hit_count++] = m;
    } else if (m->request_id != 0 && fx->answer_count < 64) {
        fx->answers[fx->answer_count++] = m;
    } else {
        msg_free(m);
    }
}

/* The answer to request id, taken (the caller frees it); fails after
 * ANSWER_WAIT_S. */
static struct msg *fx_answer(struct fx *fx, uint64_t id)
{
    double end = now_s() + ANSWER_WAIT_S;
    for (;;) {
        for (size_t i = 0; i < fx->answer_count; i++)
            if (fx->answers[i]->request_id == id) {
                struct msg *m = fx->answers[i];
                fx->answers[i] = fx->answers[--fx->answer_count];
                return m;
            }
        double left = end - now_s();
        if (left <= 0) {
            print_error("no answer to request %llu\n", (unsigned long long)id);
            fail();
        }
        struct msg *m = queue_wait_pop(fx->updates, (int)(left * 1000) + 1);
        if (m)
            fx_keep(fx, m);
    }
}

static struct msg *fx_command(struct fx *fx, struct msg *cmd)
{
    uint64_t id = cmd->request_id;
    assert_true(queue_push(fx->commands, cmd));
    return fx_answer(fx, id);
}

/* Wait for a hit on token answered with status. */
static void fx_await_hit(struct fx *fx, const char *token, int status)
{
    double end = now_s() + ANSWER_WAIT_S;
    for (size_t seen = 0;;) {
        for (; seen < fx->hit_count; seen++)
            if (strcmp(fx->hits[seen]->u.hit.token, token) == 0 &&
                fx->hits[seen]->u.hit.status == status)
                return;
        double left = end - now_s();
        if (left <= 0) {
            print_error("no %d hit on %s\n", status, token);
            fail();
        }
        struct msg *m = queue_wait_pop(fx->updates, (int)(left * 1000) + 1);
        if (m)
            fx_keep(fx, m);
    }
}

/* Wait for a handshake report with sni and outcome. */
static void fx_await_handshake(struct fx *fx, const char *sni, const char *outcome)
{
    double end = now_s() + ANSWER_WAIT_S;
    for (size_t seen = 0;;) {
        for (; seen < fx->hit_count; seen++)
            if (fx->hits[seen]->type == UPD_HANDSHAKE &&
                strcmp(fx->hits[seen]->u.handshake.sni, sni) == 0 &&
                strcmp(fx->hits[seen]->u.handshake.outcome, outcome) == 0)
                return;
        double left = end - now_s();
        if (left <= 0) {
            print_error("no \"%s\" handshake for %s\n", outcome, sni);
            fail();
        }
        struct msg *m = queue_wait_pop(fx->updates, (int)(left * 1000) + 1);
        if (m)
            fx_keep(fx, m);
    }
}

/* ---- the network around it ----------------------------------------------- */

static int port_of(const char *address)
{
    const char *colon = strrchr(address, ':');
    assert_non_null(colon);
    return atoi(colon + 1);
}

/* A loopback socket that listens and never answers; its port in *port. */
static int silent_listener(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 16), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

/* GET path from the loopback port: the HTTP status (-1 when unreachable),
 * the body in body. */
static int http_get(int port, const char *path, char *body, size_t cap)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct timeval tv = {.tv_sec = 5};
    body[0] = '\0';
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    char req[512], resp[8192];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: " IDENT "\r\n"
                     "Connection: close\r\n\r\n", path);
    size_t got = 0;
    if (write(fd, req, (size_t)n) == n) {
        ssize_t r;
        while (got < sizeof resp - 1 && (r = read(fd, resp + got, sizeof resp - 1 - got)) > 0)
            got += (size_t)r;
    }
    close(fd);
    resp[got] = '\0';
    if (got < 12)
        return -1;
    const char *start = strstr(resp, "\r\n\r\n");
    if (start)
        snprintf(body, cap, "%s", start + 4);
    return atoi(resp + 9); /* "HTTP/1.1 200 ..." */
}

/* ---- tests --------------------------------------------------------------- */

/* Serve -> GET answers -> hit -> pre-flight OK -> forget -> 404 -> stop. */
static void test_serve_check_forget_stop(void **state)
{
    struct fx *fx = *state;
    fx_start(fx);
    struct msg *a = fx_command(fx, msg_new_serve(1, "http-01", "order-1", IDENT, TOK, KEYAUTH));
    assert_int_equal(a->type, UPD_RESPONDER);
    if (!a->u.responder.ok)
        print_error("serve: %s\n", a->u.responder.message);
    assert_true(a->u.responder.ok);
    assert_string_equal(a->u.responder.message, "");
    assert_true(a->u.responder.running);
    assert_int_equal(strncmp(a->u.responder.address, "127.0.0.1:", 10), 0);
    int port = port_of(a->u.responder.address);
    assert_true(port > 0);
    char address[64];
    snprintf(address, sizeof address, "%s", a->u.responder.address);
    assert_int_equal(a->u.responder.served_count, 1);
    assert_string_equal(a->u.responder.served[0].order_id, "order-1");
    assert_string_equal(a->u.responder.served[0].identifier, IDENT);
    assert_string_equal(a->u.responder.served[0].token, TOK);
    assert_int_equal(a->u.responder.total_hits, 0);
    msg_free(a);

    char body[1024];
    assert_int_equal(http_get(port, "/.well-known/acme-challenge/" TOK, body, sizeof body), 200);
    assert_string_equal(body, KEYAUTH);
    fx_await_hit(fx, TOK, 200);

    /* the same token again: fine, still served once */
    a = fx_command(fx, msg_new_serve(2, "http-01", "order-1", IDENT, TOK, KEYAUTH));
    assert_true(a->u.responder.ok);
    assert_int_equal(a->u.responder.served_count, 1);
    assert_string_equal(a->u.responder.address, address);
    msg_free(a);
    /* a token the responder refuses: the sentence names the identifier */
    a = fx_command(fx, msg_new_serve(3, "http-01", "order-2", "b.demo.test", "not a token", "x.y"));
    assert_int_equal(a->type, UPD_RESPONDER);
    assert_false(a->u.responder.ok);
    assert_true(a->u.responder.running);
    assert_int_equal(strncmp(a->u.responder.message,
                             "cannot serve the http-01 answer of b.demo.test: ", 48), 0);
    assert_int_equal(a->u.responder.served_count, 1);
    msg_free(a);

    /* the check asks the way the CA will: http://a.demo.test:PORT/... */
    fx->cfg.deploy.checks.http01_port = port; /* read by the worker after the push */
    a = fx_command(fx, msg_new_preflight_check(4, "order-1", IDENT, "http-01", TOK, KEYAUTH));
    assert_int_equal(a->type, UPD_PREFLIGHT);
    if (a->u.preflight.status != MSG_CHECK_OK)
        print_error("pre-flight: %s (%s)\n", a->u.preflight.why, a->u.preflight.where);
    assert_int_equal(a->u.preflight.status, MSG_CHECK_OK);
    assert_string_equal(a->u.preflight.order_id, "order-1");
    assert_string_equal(a->u.preflight.identifier, IDENT);
    assert_string_equal(a->u.preflight.challenge_type, "http-01");
    assert_string_equal(a->u.preflight.found, KEYAUTH);
    assert_non_null(strstr(a->u.preflight.where, IDENT));
    msg_free(a);

    /* the order finished: its token is served no more */
    a = fx_command(fx, msg_new_forget_order(5, "order-1"));
    assert_int_equal(a->type, UPD_RESPONDER);
    assert_true(a->u.responder.ok);
    assert_string_equal(a->u.responder.message, "");
    assert_true(a->u.responder.running);
    assert_int_equal(a->u.responder.served_count, 0);
    msg_free(a);
    assert_int_equal(http_get(port, "/.well-known/acme-challenge/" TOK, body, sizeof body), 404);
    fx_await_hit(fx, TOK, 404);
    a = fx_command(fx, msg_new_preflight_check(6, "order-1", IDENT, "http-01", TOK, KEYAUTH));
    assert_int_equal(a->u.preflight.status, MSG_CHECK_MISMATCH);
    msg_free(a);

    /* three answers: the GET, the check, the 404 (and the check's 404) */
    a = fx_command(fx, msg_new_stop_responder(7));
    assert_int_equal(a->type, UPD_RESPONDER);
    assert_true(a->u.responder.ok);
    assert_false(a->u.responder.running);
    assert_string_equal(a->u.responder.address, "");
    assert_int_equal(a->u.responder.served_count, 0);
    assert_int_equal(a->u.responder.total_hits, 4);
    char want[160];
    snprintf(want, sizeof want, "HTTP-01 responder on %s stopped (4 requests answered)", address);
    assert_string_equal(a->u.responder.message, want);
    msg_free(a);
    assert_int_equal(http_get(port, "/.well-known/acme-challenge/" TOK, body, sizeof body), -1);

    a = fx_command(fx, msg_new_stop_responder(8));
    assert_false(a->u.responder.ok);
    assert_false(a->u.responder.running);
    assert_string_equal(a->u.responder.message, "no responder is running (w serves a challenge)");
    msg_free(a);

    /* serving again starts a new responder, counting from 0; one answer */
    a = fx_command(fx, msg_new_serve(9, "http-01", "order-3", IDENT, TOK, KEYAUTH));
    assert_true(a->u.responder.ok);
    assert_int_equal(a->u.responder.total_hits, 0);
    port = port_of(a->u.responder.address);
    snprintf(address, sizeof address, "%s", a->u.responder.address);
    msg_free(a);
    assert_int_equal(http_get(port, "/.well-known/acme-challenge/" TOK, body, sizeof body), 200);
    a = fx_command(fx, msg_new_stop_responder(10));
    snprintf(want, sizeof want, "HTTP-01 responder on %s stopped (1 request answered)", address);
    assert_string_equal(a->u.responder.message, want);
    msg_free(a);
}

/* tls-alpn-01: serve -> the strict check passes -> handshake reported ->
 * wildcard refused -> forget -> the name is unknown -> stop says both. */
static void test_serve_tlsalpn01_check_forget_stop(void **state)
{
    struct fx *fx = *state;
    free(fx->cfg.deploy.tlsalpn01_listen);
    fx->cfg.deploy.tlsalpn01_listen = xstrdup("127.0.0.1:0");
    fx_start(fx);
    /* a wildcard cannot be proved with tls-alpn-01: refused, nothing started */
    struct msg *a = fx_command(fx, msg_new_serve(1, "tls-alpn-01", "order-9", "*.apps.demo.test",
                                                 NULL, KEYAUTH));
    assert_int_equal(a->type, UPD_RESPONDER);
    assert_false(a->u.responder.ok);
    assert_false(a->u.responder.tls_running);
    assert_string_equal(a->u.responder.message,
                        "cannot serve tls-alpn-01 for the wildcard *.apps.demo.test: a CA "
                        "validates a wildcard with dns-01 only");
    msg_free(a);

    /* http-01 and tls-alpn-01 side by side */
    a = fx_command(fx, msg_new_serve(2, "http-01", "order-1", IDENT, TOK, KEYAUTH));
    assert_true(a->u.responder.ok);
    char http_address[64];
    snprintf(http_address, sizeof http_address, "%s", a->u.responder.address);
    msg_free(a);
    a = fx_command(fx, msg_new_serve(3, "tls-alpn-01", "order-1", IDENT, NULL, KEYAUTH));
    if (!a->u.responder.ok)
        print_error("serve tls-alpn-01: %s\n", a->u.responder.message);
    assert_true(a->u.responder.ok);
    assert_true(a->u.responder.running);
    assert_true(a->u.responder.tls_running);
    assert_int_equal(strncmp(a->u.responder.tls_address, "127.0.0.1:", 10), 0);
    char tls_address[64];
    snprintf(tls_address, sizeof tls_address, "%s", a->u.responder.tls_address);
    int port = port_of(tls_address);
    assert_int_equal(a->u.responder.served_count, 2);
    assert_string_equal(a->u.responder.served[1].challenge_type, "tls-alpn-01");
    assert_string_equal(a->u.responder.served[1].identifier, IDENT);
    assert_string_equal(a->u.responder.served[1].order_id, "order-1");
    assert_string_equal(a->u.responder.served[1].token, "");
    assert_string_equal(a->u.responder.served[0].challenge_type, "http-01");
    assert_int_equal(a->u.responder.tls_total, 0);
    msg_free(a);

    /* the check the way the CA will: TLS to a.demo.test:PORT, SNI, acme-tls/1 */
    fx->cfg.deploy.checks.tlsalpn01_port = port;
    a = fx_command(fx, msg_new_preflight_check(4, "order-1", IDENT, "tls-alpn-01", NULL, KEYAUTH));
    if (a->u.preflight.status != MSG_CHECK_OK)
        print_error("pre-flight: %s (%s)\n", a->u.preflight.why, a->u.preflight.where);
    assert_int_equal(a->u.preflight.status, MSG_CHECK_OK);
    msg_free(a);
    fx_await_handshake(fx, IDENT, "served");

    /* the order finished: the name is unknown to the responder, its key gone */
    a = fx_command(fx, msg_new_forget_order(5, "order-1"));
    assert_true(a->u.responder.ok);
    assert_true(a->u.responder.tls_running);
    assert_int_equal(a->u.responder.served_count, 0);
    msg_free(a);
    a = fx_command(fx, msg_new_preflight_check(6, "order-1", IDENT, "tls-alpn-01", NULL, KEYAUTH));
    assert_int_equal(a->u.preflight.status, MSG_CHECK_UNREACHABLE);
    assert_non_null(strstr(a->u.preflight.why, "unrecognized name"));
    msg_free(a);
    fx_await_handshake(fx, IDENT, "unknown name");

    /* u: both stop, one sentence for each */
    a = fx_command(fx, msg_new_stop_responder(7));
    assert_true(a->u.responder.ok);
    assert_false(a->u.responder.running);
    assert_false(a->u.responder.tls_running);
    assert_string_equal(a->u.responder.tls_address, "");
    char want[300];
    snprintf(want, sizeof want,
             "HTTP-01 responder on %s stopped (0 requests answered); TLS-ALPN-01 responder on "
             "%s stopped (2 handshakes)", http_address, tls_address);
    assert_string_equal(a->u.responder.message, want);
    msg_free(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_not_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    close(fd);

    /* a challenge type no responder serves */
    a = fx_command(fx, msg_new_serve(8, "dns-01", "order-1", IDENT, NULL, KEYAUTH));
    assert_false(a->u.responder.ok);
    assert_non_null(strstr(a->u.responder.message, "http-01 and tls-alpn-01 challenges only"));
    msg_free(a);
}

/* The TLS-ALPN-01 listen port is taken: a sentence, not running. */
static void test_tlsalpn01_port_taken(void **state)
{
    struct fx *fx = *state;
    int port;
    int taken = silent_listener(&port);
    free(fx->cfg.deploy.tlsalpn01_listen);
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    fx->cfg.deploy.tlsalpn01_listen = xstrdup(listen);
    fx_start(fx);
    struct msg *a = fx_command(fx, msg_new_serve(1, "tls-alpn-01", "order-1", IDENT, NULL,
                                                 KEYAUTH));
    assert_false(a->u.responder.ok);
    assert_false(a->u.responder.tls_running);
    assert_int_equal(a->u.responder.served_count, 0);
    fprintf(stderr, "port taken: %s\n", a->u.responder.message);
    char want[300];
    snprintf(want, sizeof want, "the TLS-ALPN-01 responder cannot start: %s is in use by "
             "another program: stop it (ss -ltnp shows which) or choose another listen address",
             listen);
    assert_string_equal(a->u.responder.message, want);
    msg_free(a);
    close(taken);
}

/* A check waiting on a host that never answers does not hold up the worker:
 * the next command is answered at once, the check's result comes later. */
static void test_check_does_not_block_the_worker(void **state)
{
    struct fx *fx = *state;
    int silent_port;
    int silent = silent_listener(&silent_port);
    fx->cfg.deploy.checks.http01_port = silent_port;
    fx_start(fx);
    double t0 = now_s();
    assert_true(queue_push(fx->commands, msg_new_preflight_check(1, "order-1", "slow.demo.test",
                                                                 "http-01", TOK, KEYAUTH)));
    struct msg *a = fx_command(fx, msg_new_serve(2, "http-01", "order-1", IDENT, TOK, KEYAUTH));
    double served_after = now_s() - t0;
    assert_true(a->u.responder.ok);
    msg_free(a);
    a = fx_answer(fx, 1);
    double checked_after = now_s() - t0;
    fprintf(stderr, "serve answered after %.2f s, the silent check after %.2f s\n", served_after,
            checked_after);
    assert_true(served_after < 1.5);
    assert_true(checked_after >= 2.5); /* its timeout is 3 s */
    assert_int_equal(a->type, UPD_PREFLIGHT);
    assert_int_equal(a->u.preflight.status, MSG_CHECK_UNREACHABLE);
    msg_free(a);
    close(silent);
}

/* The listen port is taken: a sentence to act on, nothing running. */
static void test_port_taken(void **state)
{
    struct fx *fx = *state;
    int port;
    int taken = silent_listener(&port);
    free(fx->cfg.deploy.http01_listen);
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    fx->cfg.deploy.http01_listen = xstrdup(listen);
    fx_start(fx);
    struct msg *a = fx_command(fx, msg_new_serve(1, "http-01", "order-1", IDENT, TOK, KEYAUTH));
    assert_int_equal(a->type, UPD_RESPONDER);
    assert_false(a->u.responder.ok);
    assert_false(a->u.responder.running);
    assert_string_equal(a->u.responder.address, "");
    assert_int_equal(a->u.responder.served_count, 0);
    fprintf(stderr, "port taken: %s\n", a->u.responder.message);
    assert_int_equal(strncmp(a->u.responder.message, "the HTTP-01 responder cannot start: ", 36),
                     0);
    assert_non_null(strstr(a->u.responder.message, listen));
    assert_non_null(strstr(a->u.responder.message, "in use"));
    msg_free(a);
    a = fx_command(fx, msg_new_stop_responder(2));
    assert_false(a->u.responder.ok);
    msg_free(a);
    close(taken);
}


/* A completed order whose certificate comes with a private key, straight
 * from the simulator: its ID, role and first identifier. */
static void completed_order_with_key(struct fx *fx, char **id, char **role, char **ident)
{
    const cJSON *info;
    cJSON *root = simproc_recent_orders(fx->sim, &info);
    const cJSON *e;
    *id = NULL;
    cJSON_ArrayForEach(e, info) {
        if (strcmp(simproc_entry_str(e, "order_status"), "completed") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "/v1/pki-external-ca/role/%s/order/%s/fetch-cert",
                 simproc_entry_str(e, "role_name"), e->string);
        char *body = NULL;
        assert_int_equal(simproc_request(fx->sim, "GET", path, NULL, &body), 200);
        cJSON *cert = cJSON_Parse(body);
        free(body);
        const char *key =
            simproc_entry_str(cJSON_GetObjectItemCaseSensitive(cert, "data"), "private_key");
        bool with_key = key[0] != '\0';
        cJSON_Delete(cert);
        const cJSON *ids = cJSON_GetObjectItemCaseSensitive(e, "identifiers");
        if (with_key && cJSON_GetArraySize(ids) > 0) {
            *id = xstrdup(e->string);
            *role = xstrdup(simproc_entry_str(e, "role_name"));
            *ident = xstrdup(cJSON_GetArrayItem(ids, 0)->valuestring);
            break;
        }
    }
    cJSON_Delete(root);
    assert_non_null(*id);
}

static ino_t inode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_ino;
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

/* Save -> files (key 0600); again -> EXISTS, nothing written; with
 * overwrite -> replaced; fetch -> the certificate without its key. */
static void test_save_cert(void **state)
{
    struct fx *fx = *state;
    char *id = NULL, *role = NULL, *ident = NULL;
    completed_order_with_key(fx, &id, &role, &ident);
    fx_start(fx);

    char *name = cert_files_safe_name(ident);
    char crt[PATH_MAX], chain[PATH_MAX], key[PATH_MAX];
    snprintf(crt, sizeof crt, "%s/%s.crt", fx->cfg.deploy.cert_dir, name);
    snprintf(chain, sizeof chain, "%s/%s.chain.pem", fx->cfg.deploy.cert_dir, name);
    snprintf(key, sizeof key, "%s/%s.key", fx->cfg.deploy.cert_dir, name);
    free(name);

    struct msg *a = fx_command(fx, msg_new_save_cert(1, id, role, ident, false));
    assert_int_equal(a->type, UPD_CERT_SAVE);
    if (a->u.cert_save.outcome != CERT_SAVE_SAVED)
        print_error("save: %s\n", a->u.cert_save.text);
    assert_int_equal(a->u.cert_save.outcome, CERT_SAVE_SAVED);
    assert_string_equal(a->u.cert_save.order_id, id);
    assert_true(a->u.cert_save.key_written);
    char want[PATH_MAX * 3 + 64];
    snprintf(want, sizeof want, "%s, %s, key (0600) %s", crt, chain, key);
    assert_string_equal(a->u.cert_save.text, want);
    msg_free(a);
    assert_int_equal(mode_of(key), 0600);
    assert_int_equal(mode_of(crt), 0644);
    assert_int_equal(mode_of(chain), 0644);
    FILE *f = fopen(crt, "r");
    assert_non_null(f);
    char line[64] = "";
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_string_equal(line, "-----BEGIN CERTIFICATE-----\n");
    ino_t before = inode_of(crt);

    a = fx_command(fx, msg_new_save_cert(2, id, role, ident, false));
    assert_int_equal(a->type, UPD_CERT_SAVE);
    assert_int_equal(a->u.cert_save.outcome, CERT_SAVE_EXISTS);
    snprintf(want, sizeof want, "  %s\n  %s\n  %s\n", crt, chain, key);
    assert_string_equal(a->u.cert_save.text, want);
    assert_false(a->u.cert_save.key_written);
    msg_free(a);
    assert_true(inode_of(crt) == before); /* nothing written */

    a = fx_command(fx, msg_new_save_cert(3, id, role, ident, true));
    if (a->u.cert_save.outcome != CERT_SAVE_SAVED)
        print_error("overwrite: %s\n", a->u.cert_save.text);
    assert_int_equal(a->u.cert_save.outcome, CERT_SAVE_SAVED);
    assert_true(a->u.cert_save.key_written);
    msg_free(a);
    assert_true(inode_of(crt) != before); /* replaced (atomically: a new file) */
    assert_int_equal(mode_of(key), 0600);

    a = fx_command(fx, msg_new_fetch_cert(5, id, role, "pem"));
    assert_int_equal(a->type, UPD_CERT);
    assert_non_null(strstr(a->u.cert.bundle.certificate, "BEGIN CERTIFICATE"));
    assert_null(a->u.cert.bundle.private_key);
    assert_true(a->u.cert.had_private_key);
    assert_non_null(a->u.cert.bundle.private_key_type);
    msg_free(a);

    /* unknown order: without a role the worker cannot tell; with one, Vault says */
    a = fx_command(fx, msg_new_save_cert(6, "no-such-order", NULL, NULL, false));
    assert_int_equal(a->type, UPD_CERT_SAVE);
    assert_int_equal(a->u.cert_save.outcome, CERT_SAVE_FAILED);
    assert_non_null(strstr(a->u.cert_save.text, "the role of order no-such-order is not known"));
    msg_free(a);
    a = fx_command(fx, msg_new_save_cert(7, "no-such-order", role, NULL, false));
    assert_int_equal(a->u.cert_save.outcome, CERT_SAVE_FAILED);
    assert_true(strlen(a->u.cert_save.text) > 10);
    fprintf(stderr, "save of an unknown order: %s\n", a->u.cert_save.text);
    msg_free(a);
    free(id);
    free(role);
    free(ident);
}

int main(void)
{
    vault_client_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_serve_check_forget_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_does_not_block_the_worker, setup, teardown),
        cmocka_unit_test_setup_teardown(test_port_taken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serve_tlsalpn01_check_forget_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tlsalpn01_port_taken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_cert, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    vault_client_global_cleanup();
    return rc;
}
