/* test_deploy_console: the deploy / verify / collect keys on a console state
 * (no terminal), talking to the engine's real deploy service (the real
 * pre-flight threads and the real HTTP-01 responder on loopback) through the
 * two queues, as the console does; the commands meant for Vault are
 * answered by the test:
 *   f   fetches the challenge, checks it, and with the check failing neither
 *       y nor Enter sends: only F and the typed word "force" do; a dns-01
 *       result shows a row per authoritative server and the recursive answer;
 *   w   serves the http-01 answer (fetched first), the check then passes
 *       through the responder, its request shows in the responder strip, y
 *       sends; u stops; a bind failure is said on the message line; idle
 *       connections the responder drops are counted on the strip;
 *   w   with the cursor on a tls-alpn-01 challenge: the TLS-ALPN-01
 *       responder starts and serves it (fetched first), the strip says so,
 *       the strict check passes against it, the CA's handshake shows in the
 *       strip (SNI, outcome), y sends; the finished order is forgotten, u
 *       stops it; a wildcard is refused with a sentence and starts nothing;
 *   n   the roles picker, live identifier checks against the role, a refused
 *       identifier never leaves, Vault's refusal comes back into the form,
 *       the created order is in the list and selected; a CSR file previewed;
 *   R   reasons picker, wrong typed ID sends nothing, the right one sends;
 *   v/e the certificate parsed on screen without its key (it never reaches
 *       the console), saved by the engine, existing files only overwritten
 *       after a yes (the engine's side: tests/integration). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "console_driver.h"

#include <arpa/inet.h>
#include <curses.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "fixture.h"
#include "model/strv.h"
#include "model/xalloc.h"
#include "net/deploy_service.h"
#include "net/http01_responder.h"
#include "net/preflight.h"
#include "net/vault_client.h"
#include "ui/actions.h"
#include "ui/cert_view.h"
#include "ui/fulfill_flow.h"
#include "ui/order_form.h"
#include "ui/pane_responder.h"
#include "ui/revoke_flow.h"

#define NOW ((time_t)1800000000)
#define ORDER_AWAIT "a1b2c3d4-0000-4000-8000-000000000001"
#define ORDER_DONE "c0ffee00-0000-4000-8000-000000000002"
#define IDENT "www.demo.test"
#define TOKEN "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"
#define KEYAUTH TOKEN ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"

struct fixture {
    struct console_state c;
    struct queue *commands, *updates;
    struct console_config cfg;     /* what the console knows */
    struct deploy_config deploy;   /* what the engine's deploy service uses */
    struct deploy_service *service;
    char dir[64];
};

/* The engine's side: every deploy command waiting on the command queue goes
 * to the deploy service; the others (for Vault) stay queued, in order. */
static void pump(struct fixture *fx)
{
    struct msg *keep[64];
    size_t n = 0;
    struct msg *m;
    while ((m = queue_pop(fx->commands)) != NULL) {
        if (deploy_service_handle(fx->service, m))
            msg_free(m);
        else if (n < sizeof keep / sizeof keep[0])
            keep[n++] = m;
        else
            msg_free(m);
    }
    for (size_t i = 0; i < n; i++)
        queue_push(fx->commands, keep[i]);
}

/* The next command for Vault (deploy commands carried out first). */
static struct msg *vault_command(struct fixture *fx)
{
    pump(fx);
    return next_command(fx->commands);
}

/* A loopback port nothing listens on (bound, then closed). */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

/* GET path from the responder on loopback port: the HTTP status, -1 on error. */
static int http_get_status(int port, const char *path)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    char req[512], resp[64] = "";
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                     path);
    int status = -1;
    if (write(fd, req, (size_t)n) == n && read(fd, resp, sizeof resp - 1) > 12)
        status = atoi(resp + 9); /* "HTTP/1.1 200 ..." */
    close(fd);
    return status;
}

static int setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof *fx);
    fx->commands = queue_new();
    fx->updates = queue_new();
    snprintf(fx->dir, sizeof fx->dir, "/tmp/acmetop-deploy-test-XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    deploy_config_init(&fx->deploy, NULL);
    struct deploy_error err;
    free(fx->deploy.http01_listen); /* port 0: any free port (the config refuses it) */
    fx->deploy.http01_listen = xstrdup("127.0.0.1:0");
    assert_int_equal(deploy_config_set(&fx->deploy, "preflight_resolve", "*=127.0.0.1",
                                       "test", &err), 0);
    assert_int_equal(deploy_config_set(&fx->deploy, "preflight_timeout", "3s", "test", &err),
                     0);
    fx->deploy.checks.http01_port = closed_port();
    fx->service = deploy_service_new(&fx->deploy, fx->updates);
    fx->cfg.mount = "pki-external-ca";
    fx->cfg.preflight = true;
    fx->cfg.preflight_timeout_ms = 3000;
    fx->cfg.http01_port = fx->deploy.checks.http01_port;
    fx->cfg.http01_listen = "127.0.0.1:0";
    fx->cfg.cert_dir = "/srv/certs";
    console_state_init(&fx->c, &fx->cfg, fx->commands);
    console_state_set_list_rows(&fx->c, 10);
    struct order os[2] = {
        driver_order(ORDER_AWAIT, ORDER_AWAITING_CHALLENGE, NOW - 60, IDENT),
        driver_order(ORDER_DONE, ORDER_COMPLETED, NOW - 60, "done.demo.test")};
    console_state_apply(&fx->c, msg_new_orders(0, os, 2, true), NOW);
    order_free(&os[0]);
    order_free(&os[1]);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    deploy_service_free(fx->service); /* stops the responder, waits for the checks */
    console_state_free(&fx->c);
    queue_free(fx->commands);
    queue_free(fx->updates);
    deploy_config_free(&fx->deploy);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

/* Let the engine carry out the deploy commands and apply its updates until
 * one of type `type` was applied (true) or 10 s passed. */
static bool drain_until(struct fixture *fx, enum msg_type type)
{
    for (int i = 0; i < 200; i++) {
        pump(fx);
        struct msg *m = queue_wait_pop(fx->updates, 50);
        if (!m)
            continue;
        bool hit = m->type == type;
        console_state_apply(&fx->c, m, NOW);
        if (hit)
            return true;
    }
    return false;
}

/* Answer the CMD_FETCH_CHALLENGE just sent with the test token. */
static void answer_fetch(struct fixture *fx)
{
    struct msg *m = vault_command(fx);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_FETCH_CHALLENGE);
    assert_string_equal(m->u.challenge.order_id, ORDER_AWAIT);
    assert_string_equal(m->u.challenge.challenge_type, "http-01");
    struct challenge_detail d;
    challenge_detail_init(&d);
    d.token = xstrdup(TOKEN);
    d.key_authorization = xstrdup(KEYAUTH);
    console_state_apply(&fx->c,
                        msg_new_challenge_detail(m->request_id, ORDER_AWAIT, IDENT, "http-01", &d),
                        NOW);
    challenge_detail_free(&d);
    msg_free(m);
}

static bool body_has(const struct console_state *c, const char *text)
{
    return c->dialog && c->dialog->body && strstr(c->dialog->body, text);
}

static void test_fulfill_needs_force_when_the_check_fails(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    assert_string_equal(c->list.selected_id, ORDER_AWAIT);
    keys(c, "f");
    assert_non_null(console_state_dialog_of(c, &fulfill_flow_ops));
    assert_true(body_has(c, "Fetching the token and key authorization"));
    answer_fetch(fx);
    assert_true(body_has(c, "Pre-flight check of the http-01 challenge"));
    assert_true(body_has(c, "GET http://" IDENT ":"));
    assert_true(drain_until(fx, UPD_PREFLIGHT)); /* the engine's check: nothing listens */
    assert_true(body_has(c, "Pre-flight UNREACHABLE"));
    assert_non_null(strstr(c->dialog->note, "force"));
    /* the pane remembers the outcome */
    struct challenge_entry *e = challenge_cache_find(&c->challenges, ORDER_AWAIT, IDENT, "http-01");
    assert_int_equal(e->check_state, CHECK_DONE);
    assert_int_equal(e->check, MSG_CHECK_UNREACHABLE);

    /* the usual "yes" never sends here, nor does Enter */
    keys(c, "y");
    assert_null(c->dialog);
    assert_non_null(strstr(c->message, "nothing was sent"));
    assert_null(vault_command(fx));
    keys(c, "f"); /* fetched now: straight to the check */
    assert_true(body_has(c, "Pre-flight check of"));
    assert_true(drain_until(fx, UPD_PREFLIGHT));
    assert_null(vault_command(fx));
    keys(c, "\n");
    assert_null(c->dialog);
    assert_null(vault_command(fx));

    /* F, then the word typed exactly */
    keys(c, "f");
    assert_true(drain_until(fx, UPD_PREFLIGHT));
    keys(c, "F");
    assert_true(c->dialog->input_on);
    assert_non_null(strstr(c->dialog->prompt, "force"));
    keys(c, "forc\n");
    assert_non_null(c->dialog);
    assert_true(c->dialog->note_error);
    assert_null(vault_command(fx));
    keys(c, "force\n");
    assert_null(c->dialog);
    struct msg *m = vault_command(fx);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_FULFILL_CHALLENGE);
    assert_string_equal(m->u.challenge.order_id, ORDER_AWAIT);
    assert_string_equal(m->u.challenge.role, "web");
    assert_string_equal(m->u.challenge.identifier, IDENT);
    assert_string_equal(m->u.challenge.challenge_type, "http-01");
    msg_free(m);
}

/* dns-01: the dialog shows what each authoritative server serves.  The
 * check itself is answered here (the engine's would ask the resolvers of
 * /etc/resolv.conf; tests/integration/test_preflight_dns.c runs it against
 * BIND9), in the form the engine sends it. */
static void test_dns01_result_shows_a_row_per_nameserver(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    console_state_challenge_sync(c);
    c->panes.chal_cursor = 1; /* www.demo.test dns-01 */
    keys(c, "f");
    struct msg *m = next_command(fx->commands);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_FETCH_CHALLENGE);
    assert_string_equal(m->u.challenge.challenge_type, "dns-01");
    struct challenge_detail d;
    challenge_detail_init(&d);
    d.key_authorization = xstrdup(KEYAUTH);
    console_state_apply(&fx->c,
                        msg_new_challenge_detail(m->request_id, ORDER_AWAIT, IDENT, "dns-01", &d),
                        NOW);
    challenge_detail_free(&d);
    msg_free(m);
    assert_true(body_has(c, "TXT _acme-challenge.www.demo.test at every authoritative server"));
    m = next_command(fx->commands);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_PREFLIGHT);
    assert_string_equal(m->u.check.challenge_type, "dns-01");

    struct preflight_result r;
    memset(&r, 0, sizeof r);
    r.status = PREFLIGHT_MISMATCH;
    snprintf(r.why, sizeof r.why, "1 of 2 authoritative servers of demo.test serve the "
             "expected value");
    r.dns_row_count = 2;
    snprintf(r.dns_rows[0].server, sizeof r.dns_rows[0].server, "127.0.0.1 (ns1.demo.test)");
    r.dns_rows[0].status = PREFLIGHT_OK;
    snprintf(r.dns_rows[0].detail, sizeof r.dns_rows[0].detail, "serves the value");
    r.dns_rows[0].ttl = 60;
    snprintf(r.dns_rows[1].server, sizeof r.dns_rows[1].server, "127.0.0.2 (ns2.demo.test)");
    r.dns_rows[1].status = PREFLIGHT_MISMATCH;
    snprintf(r.dns_rows[1].detail, sizeof r.dns_rows[1].detail, "serves \"old\"");
    r.dns_rows[1].ttl = 60;
    snprintf(r.recursive, sizeof r.recursive, "\"new\" (TTL 60) from 127.0.0.1:53");
    char rows[2048];
    preflight_dns01_rows_text(&r, rows, sizeof rows);
    struct msg *u = msg_new_preflight(m->request_id, ORDER_AWAIT, IDENT, "dns-01",
                                      MSG_CHECK_MISMATCH, "new", "\"old\"", r.why, "TXT x");
    msg_preflight_set_servers(u, rows);
    msg_free(m);
    console_state_apply(&fx->c, u, NOW);
    assert_true(body_has(c, "Pre-flight MISMATCH: 1 of 2 authoritative servers"));
    assert_true(body_has(c, "\n  127.0.0.1 (ns1.demo.test)  OK          serves the value, "
                            "TTL 60\n"));
    assert_true(body_has(c, "\n  127.0.0.2 (ns2.demo.test)  mismatch    serves \"old\", "
                            "TTL 60\n"));
    assert_true(body_has(c, "\n  recursive: \"new\" (TTL 60) from 127.0.0.1:53\n"));
    keys(c, "n");
    assert_null(c->dialog);
}

static void test_preflight_off_asks_plainly(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    fx->cfg.preflight = false;
    keys(c, "f");
    assert_true(body_has(c, "The pre-flight check is off"));
    assert_null(vault_command(fx)); /* nothing fetched, nothing checked */
    keys(c, "y");
    assert_null(c->dialog);
    struct msg *m = vault_command(fx);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_FULFILL_CHALLENGE);
    msg_free(m);
}

static void test_responder_then_check_ok(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    keys(c, "w");
    answer_fetch(fx); /* w fetched the challenge first, then asks the engine to serve it */
    assert_true(drain_until(fx, UPD_RESPONDER));
    assert_true(responder_running(&c->responder));
    assert_int_equal(c->responder.served_count, 1);
    assert_string_equal(responder_identifier_of(&c->responder, TOKEN), IDENT);
    char line[512];
    assert_true(pane_responder_line(c, 0, line, sizeof line));
    assert_non_null(strstr(line, c->responder.address));
    assert_non_null(strstr(line, "serving 1 token of 1 order"));
    assert_true(pane_responder_rows(c) >= 2);

    /* the check goes to the responder's port */
    const char *colon = strrchr(c->responder.address, ':');
    int port = atoi(colon + 1);
    fx->deploy.checks.http01_port = port;
    fx->cfg.http01_port = port;
    keys(c, "f");
    assert_true(body_has(c, "Pre-flight check of"));
    assert_true(drain_until(fx, UPD_PREFLIGHT));
    assert_true(body_has(c, "Pre-flight OK"));
    /* the check's own GET reached the responder: the strip shows it */
    if (c->responder.hit_count == 0)
        assert_true(drain_until(fx, UPD_RESPONDER_HIT));
    const struct responder_hit *h = responder_hit_at(&c->responder, 0);
    assert_int_equal(h->status, 200);
    assert_true(pane_responder_line(c, 1, line, sizeof line));
    assert_non_null(strstr(line, " 200 "));
    assert_non_null(strstr(line, IDENT));
    keys(c, "y");
    struct msg *m = vault_command(fx);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_FULFILL_CHALLENGE);
    msg_free(m);

    /* the order completes: its token is served no more (404), the strip
     * says so, and the request already answered still names its identifier */
    char path[160];
    snprintf(path, sizeof path, "/.well-known/acme-challenge/%s", TOKEN);
    assert_int_equal(http_get_status(port, path), 200);
    assert_true(drain_until(fx, UPD_RESPONDER_HIT)); /* as the CA's fetch comes first */
    struct order done = driver_order(ORDER_AWAIT, ORDER_COMPLETED, NOW - 60, IDENT);
    console_state_apply(c, msg_new_order_detail(0, &done), NOW);
    order_free(&done);
    assert_int_equal(c->responder.served_count, 0);
    assert_true(drain_until(fx, UPD_RESPONDER)); /* the engine forgot the order's token */
    assert_int_equal(c->responder.served_count, 0);
    assert_int_equal(http_get_status(port, path), 404);
    assert_true(pane_responder_line(c, 0, line, sizeof line));
    assert_non_null(strstr(line, "serving no token"));
    assert_true(drain_until(fx, UPD_RESPONDER_HIT)); /* the 404 above */
    h = responder_hit_at(&c->responder, 0);
    assert_int_equal(h->status, 404);
    assert_true(pane_responder_line(c, 2, line, sizeof line)); /* the 200, earlier */
    assert_non_null(strstr(line, " 200 "));
    assert_non_null(strstr(line, IDENT));

    keys(c, "u");
    assert_true(drain_until(fx, UPD_RESPONDER));
    assert_false(responder_running(&c->responder));
    assert_non_null(strstr(c->message, "stopped"));
    assert_int_equal(pane_responder_rows(c), 0);
    keys(c, "u"); /* not running: said at once, nothing sent */
    assert_non_null(strstr(c->message, "no responder is running"));
    pump(fx);
    assert_null(queue_pop(fx->updates));

    /* a busy address: the engine's sentence on the message line (for an
     * order awaiting http-01 again) */
    struct order again = driver_order(ORDER_AWAIT, ORDER_AWAITING_CHALLENGE, NOW - 60, IDENT);
    console_state_apply(c, msg_new_order_detail(0, &again), NOW);
    order_free(&again);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 1), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", ntohs(a.sin_port));
    struct deploy_error err;
    assert_int_equal(deploy_config_set(&fx->deploy, "http01_listen", addr, "test", &err), 0);
    keys(c, "w"); /* fetched already: straight to the engine */
    assert_true(drain_until(fx, UPD_RESPONDER));
    assert_false(responder_running(&c->responder));
    assert_int_equal(c->message_level, MESSAGE_ERROR);
    assert_non_null(strstr(c->message, "in use"));
    close(fd);
}

/* A connection to the responder on loopback port that never says a word. */
static int idle_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Idle connections the responder drops (here: one over the per-address
 * cap, evicted at once; then the rest at the first-byte timeout) reach the
 * strip as "N idle connections dropped", coalesced by the engine. */
static void test_strip_counts_dropped_idle_connections(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    keys(c, "w");
    answer_fetch(fx);
    assert_true(drain_until(fx, UPD_RESPONDER));
    assert_true(responder_running(&c->responder));
    char line[512];
    assert_true(pane_responder_line(c, 0, line, sizeof line));
    assert_null(strstr(line, "dropped"));
    int port = atoi(strrchr(c->responder.address, ':') + 1);
    enum { N = HTTP01_PER_ADDRESS_MAX + 1 };
    int fds[N];
    for (int i = 0; i < N; i++)
        fds[i] = idle_connect(port);
    assert_true(drain_until(fx, UPD_RESPONDER_DROPPED)); /* the oldest, evicted */
    assert_true(pane_responder_line(c, 0, line, sizeof line));
    assert_non_null(strstr(line, "  1 idle connection dropped  (u stops)"));
    assert_non_null(strstr(line, "0 requests answered"));
    for (int i = 0; i < 5 && c->responder.dropped < N; i++) /* the others, silent for 2 s */
        assert_true(drain_until(fx, UPD_RESPONDER_DROPPED));
    assert_int_equal(c->responder.dropped, N);
    assert_true(pane_responder_line(c, 0, line, sizeof line));
    char want[64];
    snprintf(want, sizeof want, "  %d idle connections dropped", N);
    assert_non_null(strstr(line, want));
    assert_int_equal(c->responder.hit_count, 0); /* no request, no hit line */
    for (int i = 0; i < N; i++)
        close(fds[i]);
}

/* The awaiting order again, its second challenge tls-alpn-01 instead of
 * dns-01 (ident: its identifier), and the cursor on it. */
static void await_tlsalpn01(struct fixture *fx, const char *id, const char *ident)
{
    struct console_state *c = &fx->c;
    struct order o = driver_order(id, ORDER_AWAITING_CHALLENGE, NOW - 30, ident);
    free(o.challenges[0].items[1].type);
    o.challenges[0].items[1].type = xstrdup("tls-alpn-01");
    console_state_apply(c, msg_new_order_detail(0, &o), NOW);
    order_free(&o);
    assert_string_equal(console_state_selected(c)->id, id); /* the most urgent */
    console_state_challenge_sync(c);
    const char *at;
    const struct challenge *ch;
    for (size_t i = 0; console_state_challenge_at(c, i, &at, &ch); i++)
        if (strcmp(ch->type, "tls-alpn-01") == 0)
            c->panes.chal_cursor = i;
}

/* Answer the CMD_FETCH_CHALLENGE just sent for tls-alpn-01. */
static void answer_tls_fetch(struct fixture *fx, const char *id, const char *ident)
{
    struct msg *m = vault_command(fx);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_FETCH_CHALLENGE);
    assert_string_equal(m->u.challenge.order_id, id);
    assert_string_equal(m->u.challenge.challenge_type, "tls-alpn-01");
    struct challenge_detail d;
    challenge_detail_init(&d);
    d.token = xstrdup(TOKEN);
    d.key_authorization = xstrdup(KEYAUTH);
    console_state_apply(&fx->c,
                        msg_new_challenge_detail(m->request_id, id, ident, "tls-alpn-01", &d),
                        NOW);
    challenge_detail_free(&d);
    msg_free(m);
}

static void test_tlsalpn01_responder_then_check_ok(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    free(fx->deploy.tlsalpn01_listen);
    fx->deploy.tlsalpn01_listen = xstrdup("127.0.0.1:0");
    await_tlsalpn01(fx, ORDER_AWAIT, IDENT);
    keys(c, "w");
    answer_tls_fetch(fx, ORDER_AWAIT, IDENT);
    assert_true(drain_until(fx, UPD_RESPONDER));
    assert_true(c->responder.tls_running);
    assert_false(c->responder.running); /* the HTTP-01 one was not asked for */
    assert_true(responder_serves_tlsalpn01(&c->responder, IDENT));
    char line[512];
    assert_true(pane_responder_line(c, 0, line, sizeof line));
    assert_int_equal(strncmp(line, "TLS-ALPN-01 responder 127.0.0.1:", 32), 0);
    assert_non_null(strstr(line, "serving 1 identifier of 1 order  0 handshakes  (u stops)"));
    assert_true(pane_responder_line(c, 1, line, sizeof line));
    assert_non_null(strstr(line, "no handshake yet"));

    /* the check goes to the responder's port, as pebble will */
    int port = atoi(strrchr(c->responder.tls_address, ':') + 1);
    fx->deploy.checks.tlsalpn01_port = port;
    fx->cfg.tlsalpn01_port = port;
    keys(c, "f");
    assert_true(drain_until(fx, UPD_PREFLIGHT));
    if (!body_has(c, "Pre-flight OK"))
        fail_msg("%s", c->dialog && c->dialog->body ? c->dialog->body : "(no dialog)");
    if (c->responder.hs_count == 0)
        assert_true(drain_until(fx, UPD_HANDSHAKE));
    assert_true(pane_responder_line(c, 1, line, sizeof line));
    char want[128];
    snprintf(want, sizeof want, "SNI %s  served: challenge certificate sent", IDENT);
    assert_non_null(strstr(line, want));
    assert_non_null(strstr(line, "127.0.0.1:"));
    keys(c, "y");
    struct msg *m = vault_command(fx);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_FULFILL_CHALLENGE);
    assert_string_equal(m->u.challenge.challenge_type, "tls-alpn-01");
    msg_free(m);

    /* completed: forgotten, the strip says so; u stops it */
    struct order done = driver_order(ORDER_AWAIT, ORDER_COMPLETED, NOW - 60, IDENT);
    console_state_apply(c, msg_new_order_detail(0, &done), NOW);
    order_free(&done);
    assert_true(drain_until(fx, UPD_RESPONDER));
    assert_true(pane_responder_line(c, 0, line, sizeof line));
    assert_non_null(strstr(line, "serving no identifier"));
    keys(c, "u");
    assert_true(drain_until(fx, UPD_RESPONDER));
    assert_false(responder_running(&c->responder));
    assert_non_null(strstr(c->message, "TLS-ALPN-01 responder on 127.0.0.1:"));
    assert_non_null(strstr(c->message, "stopped (1 handshake)"));
    assert_int_equal(pane_responder_rows(c), 0);
}

/* W with the cursor on tls-alpn-01: every awaiting order's tls-alpn-01
 * challenge; none of their http-01 ones. */
static void test_W_serves_tlsalpn01_of_every_order(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    free(fx->deploy.tlsalpn01_listen);
    fx->deploy.tlsalpn01_listen = xstrdup("127.0.0.1:0");
    const char *other = "d00d0000-0000-4000-8000-000000000003";
    struct order o = driver_order(other, ORDER_AWAITING_CHALLENGE, NOW - 600, "api.demo.test");
    free(o.challenges[0].items[1].type);
    o.challenges[0].items[1].type = xstrdup("tls-alpn-01");
    console_state_apply(c, msg_new_order_detail(0, &o), NOW);
    order_free(&o);
    await_tlsalpn01(fx, ORDER_AWAIT, IDENT);
    keys(c, "W");
    for (int i = 0; i < 2; i++) {
        struct msg *m = vault_command(fx);
        assert_non_null(m);
        assert_int_equal(m->type, CMD_FETCH_CHALLENGE);
        assert_string_equal(m->u.challenge.challenge_type, "tls-alpn-01");
        struct challenge_detail d;
        challenge_detail_init(&d);
        d.token = xstrdup(TOKEN);
        d.key_authorization = xstrdup(KEYAUTH);
        console_state_apply(c, msg_new_challenge_detail(m->request_id, m->u.challenge.order_id,
                                                        m->u.challenge.identifier,
                                                        "tls-alpn-01", &d),
                            NOW);
        challenge_detail_free(&d);
        msg_free(m);
    }
    assert_true(drain_until(fx, UPD_RESPONDER));
    if (c->responder.served_count < 2)
        assert_true(drain_until(fx, UPD_RESPONDER));
    assert_true(c->responder.tls_running);
    assert_false(c->responder.running);
    assert_true(responder_serves_tlsalpn01(&c->responder, IDENT));
    assert_true(responder_serves_tlsalpn01(&c->responder, "api.demo.test"));
    char line[512];
    assert_true(pane_responder_line(c, 0, line, sizeof line));
    assert_non_null(strstr(line, "serving 2 identifiers of 2 orders"));
    assert_null(vault_command(fx)); /* no http-01 challenge was fetched */
}

static void test_tlsalpn01_wildcard_refused(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    free(fx->deploy.tlsalpn01_listen);
    fx->deploy.tlsalpn01_listen = xstrdup("127.0.0.1:0");
    await_tlsalpn01(fx, ORDER_AWAIT, "*.apps.demo.test");
    keys(c, "w");
    answer_tls_fetch(fx, ORDER_AWAIT, "*.apps.demo.test");
    assert_true(drain_until(fx, UPD_RESPONDER));
    assert_false(responder_running(&c->responder));
    assert_string_equal(c->message, "cannot serve tls-alpn-01 for the wildcard "
                                    "*.apps.demo.test: a CA validates a wildcard with dns-01 "
                                    "only");
    assert_int_equal(pane_responder_rows(c), 0);
}

static struct role_info make_role(const char *name, const char *domain, const char *opts)
{
    struct role_info r;
    role_info_init(&r);
    r.name = xstrdup(name);
    strv_push(&r.allowed_domains, &r.allowed_domain_count, domain);
    strv_push(&r.allowed_domain_options, &r.allowed_domain_option_count, opts);
    strv_push(&r.allowed_challenge_types, &r.allowed_challenge_type_count, "http-01");
    return r;
}

/* n, the roles answered, the second role picked. */
static void open_form(struct fixture *fx)
{
    struct console_state *c = &fx->c;
    keys(c, "n");
    assert_non_null(console_state_dialog_of(c, &order_form_ops));
    struct msg *m = next_command(fx->commands);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_LIST_ROLES);
    struct role_info *roles = xcalloc(2, sizeof(*roles));
    roles[0] = make_role("dns-only", "demo.test", "wildcards");
    roles[1] = make_role("web", "demo.test", "subdomains");
    console_state_apply(c, msg_new_roles_take(m->request_id, roles, 2, NULL), NOW);
    msg_free(m);
    assert_true(c->dialog->picker_on);
    assert_int_equal(c->dialog->picker.count, 2);
    assert_non_null(strstr(c->dialog->picker.items[1].detail, "demo.test (subdomains)"));
    assert_non_null(strstr(c->dialog->picker.items[1].detail, "http-01"));
    keys(c, "j\n");
    assert_true(c->dialog->input_on);
    assert_string_equal(c->dialog->prompt, "Names or CSR file: ");
}

static void test_new_order_form(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    open_form(fx);
    keys(c, "shop.example.org");
    assert_non_null(strstr(c->dialog->body, "REFUSED"));
    assert_non_null(strstr(c->dialog->body, "role web does not allow shop.example.org"));
    keys(c, "\n");
    assert_true(c->dialog->note_error);
    assert_null(next_command(fx->commands)); /* refused here: nothing left */
    actions_handle_key(c, ACTION_KEY_CTRL('u'));
    keys(c, "new.demo.test, b.demo.test");
    assert_non_null(strstr(c->dialog->body, "allowed     new.demo.test"));
    keys(c, "\n");
    struct msg *m = next_command(fx->commands);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_NEW_ORDER);
    assert_string_equal(m->u.new_order.role, "web");
    assert_int_equal(m->u.new_order.identifier_count, 2);
    assert_string_equal(m->u.new_order.identifiers[0], "new.demo.test");
    assert_string_equal(m->u.new_order.identifiers[1], "b.demo.test");
    assert_null(m->u.new_order.csr);
    /* Vault says no: the sentence in the form, the names kept for another try */
    console_state_apply(c, msg_new_action_result(m->request_id, CMD_NEW_ORDER, NULL, false,
                                                 "Vault refused the request (400): rate limited"),
                        NOW);
    msg_free(m);
    assert_non_null(c->dialog);
    assert_true(c->dialog->input_on);
    assert_non_null(strstr(c->dialog->note, "rate limited"));
    assert_string_equal(c->dialog->input.text, "new.demo.test, b.demo.test");
    keys(c, "\n");
    m = next_command(fx->commands);
    assert_non_null(m);
    const char *id = "e0e0e0e0-1111-4000-8000-000000000003";
    console_state_apply(c, msg_new_action_result(m->request_id, CMD_NEW_ORDER, id, true,
                                                 "order created"), NOW);
    msg_free(m);
    assert_null(c->dialog);
    const struct order *o = order_store_find(c->store, id);
    assert_non_null(o);
    assert_int_equal(o->status, ORDER_NEW);
    assert_string_equal(o->role, "web");
    assert_string_equal(o->identifiers[1], "b.demo.test");
    assert_string_equal(c->list.selected_id, id);
    assert_non_null(strstr(c->message, id));
}

/* A PEM CSR for cn with DNS SANs, newly allocated. */
static char *make_csr(const char *cn, const char *san)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509_REQ *req = X509_REQ_new();
    X509_REQ_set_pubkey(req, key);
    X509_NAME *name = X509_REQ_get_subject_name(req);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
    sk_X509_EXTENSION_push(exts, X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, san));
    X509_REQ_add_extensions(req, exts);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    X509_REQ_sign(req, key, EVP_sha256());
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509_REQ(bio, req);
    char *data;
    long n = BIO_get_mem_data(bio, &data);
    char *out = xstrndup(data, (size_t)n);
    BIO_free(bio);
    X509_REQ_free(req);
    EVP_PKEY_free(key);
    return out;
}

static void test_new_order_from_a_csr(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    char path[128];
    snprintf(path, sizeof path, "%s/order.csr", fx->dir);
    char *pem = make_csr("csr.demo.test", "DNS:csr.demo.test,DNS:other.example.org");
    FILE *f = fopen(path, "w");
    fputs(pem, f);
    fclose(f);
    open_form(fx);
    keys(c, path);
    keys(c, "\n"); /* read and previewed: other.example.org is refused */
    assert_non_null(strstr(c->dialog->body, "CSR "));
    assert_non_null(strstr(c->dialog->body, "allowed     csr.demo.test"));
    assert_non_null(strstr(c->dialog->body, "REFUSED"));
    assert_true(c->dialog->note_error);
    keys(c, "\n");
    assert_true(c->dialog->note_error);
    assert_null(next_command(fx->commands));
    free(pem);

    pem = make_csr("csr.demo.test", "DNS:csr.demo.test,DNS:two.demo.test");
    f = fopen(path, "w");
    fputs(pem, f);
    fclose(f);
    actions_handle_key(c, ACTION_KEY_CTRL('u'));
    keys(c, path);
    keys(c, "\n");
    assert_false(c->dialog->note_error);
    assert_non_null(strstr(c->dialog->body, "allowed     two.demo.test"));
    assert_null(next_command(fx->commands)); /* the first Enter only previews */
    keys(c, "\n");
    struct msg *m = next_command(fx->commands);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_NEW_ORDER);
    assert_int_equal(m->u.new_order.identifier_count, 0);
    assert_string_equal(m->u.new_order.csr, pem);
    msg_free(m);
    free(pem);
    /* a file that is not there */
    keys(c, "\x1b"); /* closes: the form was submitting */
    open_form(fx);
    keys(c, "/nonexistent/x.csr\n");
    assert_non_null(strstr(c->dialog->note, "cannot read /nonexistent/x.csr"));
}

static void test_revoke(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    keys(c, "R"); /* the awaiting order: refused */
    assert_null(c->dialog);
    assert_int_equal(c->message_level, MESSAGE_ERROR);
    keys(c, "j");
    assert_string_equal(c->list.selected_id, ORDER_DONE);
    keys(c, "R");
    assert_non_null(console_state_dialog_of(c, &revoke_flow_ops));
    size_t n;
    revoke_flow_reasons(&n);
    assert_int_equal(c->dialog->picker.count, n);
    assert_int_equal(n, 10);
    assert_string_equal(picker_current(&c->dialog->picker)->label, "unspecified");
    keys(c, "jj\n");
    assert_true(c->dialog->input_on); /* the reason is picked: the ID is typed now */
    assert_false(c->dialog->picker_on);
    assert_non_null(strstr(c->dialog->prompt, "c0ffee00"));
    keys(c, "c0ffee0\n");
    assert_non_null(c->dialog);
    assert_true(c->dialog->note_error);
    assert_null(next_command(fx->commands));
    keys(c, "c0ffee00\n");
    assert_null(c->dialog);
    struct msg *m = next_command(fx->commands);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_REVOKE);
    assert_string_equal(m->u.revoke.order_id, ORDER_DONE);
    assert_string_equal(m->u.revoke.reason, "ca_compromise");
    msg_free(m);
}

#define SECRET_MARK "MIGHAgEAMBMGByqGSM49AgEGCCqGSM4"

/* The engine's UPD_CERT: the bundle Vault returned, its private key
 * dropped on the way as the worker does. */
static struct msg *cert_answer(uint64_t request_id)
{
    size_t len;
    char *body = fixture_load("fetch_cert.json", &len);
    struct cert_bundle b;
    struct parse_error perr;
    assert_int_equal(cert_bundle_parse_response(body, len, &b, &perr), 0);
    free(body);
    assert_non_null(strstr(b.private_key, SECRET_MARK));
    struct msg *m = msg_new_cert_take_keyless(request_id, ORDER_DONE, &b);
    assert_null(m->u.cert.bundle.private_key);
    assert_true(m->u.cert.had_private_key);
    return m;
}

/* The CMD_SAVE_CERT just sent for the completed order. */
static struct msg *save_command(struct fixture *fx, bool overwrite)
{
    struct msg *m = vault_command(fx);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_SAVE_CERT);
    assert_string_equal(m->u.save_cert.order_id, ORDER_DONE);
    assert_string_equal(m->u.save_cert.role, "web");
    assert_string_equal(m->u.save_cert.identifier, "done.demo.test");
    assert_int_equal(m->u.save_cert.overwrite, overwrite);
    return m;
}

#define CRT "/srv/certs/done.demo.test.crt"
#define SAVED CRT ", /srv/certs/done.demo.test.chain.pem, key (0600) /srv/certs/done.demo.test.key"

static void test_certificate_view_and_save(void **state)
{
    struct fixture *fx = *state;
    struct console_state *c = &fx->c;
    keys(c, "v"); /* awaiting: no certificate */
    assert_null(c->dialog);
    assert_non_null(strstr(c->message, "only a completed order"));
    keys(c, "jv");
    assert_non_null(console_state_dialog_of(c, &cert_view_ops));
    assert_true(body_has(c, "Fetching the certificate of order " ORDER_DONE));
    struct msg *m = vault_command(fx);
    assert_int_equal(m->type, CMD_FETCH_CERT);
    assert_string_equal(m->u.fetch_cert.order_id, ORDER_DONE);
    assert_string_equal(m->u.fetch_cert.format, "pem");
    console_state_apply(c, cert_answer(m->request_id), NOW);
    msg_free(m);
    const char *b = c->dialog->body;
    assert_non_null(strstr(b, "Subject      CN=example.com"));
    assert_non_null(strstr(b, "Issuer"));
    assert_non_null(strstr(b, "SHA-256"));
    assert_non_null(strstr(b, "days"));
    assert_non_null(strstr(b, "kept out of the console"));
    assert_non_null(strstr(b, "Save into    /srv/certs"));
    assert_null(strstr(b, SECRET_MARK)); /* never drawn */
    assert_null(strstr(b, "PRIVATE KEY"));
    /* the serial and validity reached the list */
    assert_non_null(order_store_find(c->store, ORDER_DONE)->serial);

    /* e in the view: the engine saves; its answer lands in the view */
    keys(c, "e");
    m = save_command(fx, false);
    assert_non_null(strstr(c->dialog->note, "saving into /srv/certs"));
    console_state_apply(c, msg_new_cert_save(m->request_id, ORDER_DONE, CERT_SAVE_SAVED, SAVED,
                                             true), NOW);
    msg_free(m);
    assert_true(body_has(c, "Saved        " SAVED));
    assert_non_null(strstr(c->message, "saved " SAVED));
    assert_non_null(strstr(c->message, "the private key is wiped from memory"));
    keys(c, "\x1b");
    assert_null(c->dialog);

    /* e from the list: the files exist, the dialog asks, n sends nothing */
    keys(c, "e");
    m = save_command(fx, false);
    assert_null(c->dialog);
    console_state_apply(c, msg_new_cert_save(m->request_id, ORDER_DONE, CERT_SAVE_EXISTS,
                                             "  " CRT "\n", false), NOW);
    msg_free(m);
    assert_non_null(console_state_dialog_of(c, &cert_view_ops));
    assert_true(body_has(c, "These files exist already:\n  " CRT));
    keys(c, "n");
    assert_null(c->dialog);
    assert_non_null(strstr(c->message, "no file was written"));
    assert_null(vault_command(fx));
    /* and y sends the save again, with overwrite */
    keys(c, "e");
    m = save_command(fx, false);
    console_state_apply(c, msg_new_cert_save(m->request_id, ORDER_DONE, CERT_SAVE_EXISTS,
                                             "  " CRT "\n", false), NOW);
    msg_free(m);
    keys(c, "y");
    assert_null(c->dialog);
    m = save_command(fx, true);
    console_state_apply(c, msg_new_cert_save(m->request_id, ORDER_DONE, CERT_SAVE_SAVED, SAVED,
                                             true), NOW);
    msg_free(m);
    assert_non_null(strstr(c->message, "saved " CRT));

    /* the engine could not write: said, nothing else happens */
    keys(c, "e");
    m = save_command(fx, false);
    console_state_apply(c, msg_new_cert_save(m->request_id, ORDER_DONE, CERT_SAVE_FAILED,
                                             "cannot create the directory /srv/certs (Permission "
                                             "denied)", false), NOW);
    msg_free(m);
    assert_int_equal(c->message_level, MESSAGE_ERROR);
    assert_non_null(strstr(c->message, "certificate not saved: cannot create the directory"));
}

int main(void)
{
    if (vault_client_global_init() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fulfill_needs_force_when_the_check_fails, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_dns01_result_shows_a_row_per_nameserver, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_preflight_off_asks_plainly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_responder_then_check_ok, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strip_counts_dropped_idle_connections, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tlsalpn01_responder_then_check_ok, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tlsalpn01_wildcard_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_W_serves_tlsalpn01_of_every_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_new_order_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_order_from_a_csr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revoke, setup, teardown),
        cmocka_unit_test_setup_teardown(test_certificate_view_and_save, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    vault_client_global_cleanup();
    return rc;
}
