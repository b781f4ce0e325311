/* test_msg: messages own their data. Every constructor copies (the sender's
 * buffers are overwritten and freed before the message is read: under ASan
 * any sharing is a use-after-free), *_take variants move and leave the
 * source empty, msg_free releases everything (LeakSanitizer). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/msg.h"
#include "model/strv.h"
#include "model/xalloc.h"

/* A heap string the test destroys after handing it to a constructor. */
static char *tmp(const char *s)
{
    return xstrdup(s);
}

static void burn(char *s)
{
    memset(s, 'X', strlen(s));
    free(s);
}

static void test_commands_copy(void **state)
{
    (void)state;
    char *id = tmp("order-1"), *role = tmp("web"), *ident = tmp("a.example.com"),
         *type = tmp("dns-01");
    struct msg *fc = msg_new_fetch_challenge(11, id, role, ident, type);
    struct msg *fu = msg_new_fulfill_challenge(12, id, role, ident, type);
    struct msg *ce = msg_new_fetch_cert(13, id, role, "pem_bundle");
    struct msg *rv = msg_new_revoke(14, id, role, "superseded");
    struct msg *fo = msg_new_focus_order(15, id);
    burn(id);
    burn(role);
    burn(ident);
    burn(type);
    assert_int_equal(fc->type, CMD_FETCH_CHALLENGE);
    assert_int_equal(fc->request_id, 11);
    assert_string_equal(fc->u.challenge.order_id, "order-1");
    assert_string_equal(fc->u.challenge.role, "web");
    assert_string_equal(fc->u.challenge.identifier, "a.example.com");
    assert_string_equal(fc->u.challenge.challenge_type, "dns-01");
    assert_int_equal(fu->type, CMD_FULFILL_CHALLENGE);
    assert_string_equal(fu->u.challenge.challenge_type, "dns-01");
    assert_ptr_not_equal(fu->u.challenge.order_id, fc->u.challenge.order_id);
    assert_string_equal(ce->u.fetch_cert.format, "pem_bundle");
    assert_string_equal(rv->u.revoke.reason, "superseded");
    assert_string_equal(rv->u.revoke.role, "web");
    assert_string_equal(fo->u.focus.order_id, "order-1");
    msg_free(fc);
    msg_free(fu);
    msg_free(ce);
    msg_free(rv);
    msg_free(fo);

    struct msg *none = msg_new_focus_order(0, NULL); /* no order focused */
    assert_null(none->u.focus.order_id);
    msg_free(none);
    struct msg *pem = msg_new_fetch_cert(1, "o", "r", NULL);
    assert_null(pem->u.fetch_cert.format); /* NULL = pem */
    msg_free(pem);
    struct msg *q = msg_new_quit();
    assert_int_equal(q->type, CMD_QUIT);
    msg_free(q);
    struct msg *r = msg_new_refresh(3);
    assert_int_equal(r->type, CMD_REFRESH);
    msg_free(r);
    msg_free(NULL);
}

static void test_new_order_copy(void **state)
{
    (void)state;
    char **ids = NULL;
    size_t n = 0;
    strv_push(&ids, &n, "a.example.com");
    strv_push(&ids, &n, "*.example.com");
    struct msg *m = msg_new_new_order(20, "web", (const char *const *)ids, n, NULL);
    strv_free(ids, n);
    assert_int_equal(m->type, CMD_NEW_ORDER);
    assert_int_equal(m->u.new_order.identifier_count, 2);
    assert_string_equal(m->u.new_order.identifiers[1], "*.example.com");
    assert_null(m->u.new_order.csr);
    msg_free(m);
    char *csr = tmp("-----BEGIN CERTIFICATE REQUEST-----\n...");
    m = msg_new_new_order(21, "csr-role", NULL, 5, csr);
    burn(csr);
    assert_int_equal(m->u.new_order.identifier_count, 0); /* n ignored without array */
    assert_null(m->u.new_order.identifiers);
    assert_string_equal(m->u.new_order.csr, "-----BEGIN CERTIFICATE REQUEST-----\n...");
    msg_free(m);
}

static struct order make_order(const char *id)
{
    struct order o;
    order_init(&o);
    o.id = xstrdup(id);
    o.status_text = xstrdup("awaiting-challenge-fulfillment");
    o.status = ORDER_AWAITING_CHALLENGE;
    const char *ids[] = {"example.com"};
    o.identifiers = strv_copy(ids, 1);
    o.identifier_count = 1;
    o.challenges = xcalloc(1, sizeof *o.challenges);
    o.challenge_count = 1;
    o.challenges[0].identifier = xstrdup("example.com");
    o.challenges[0].items = xcalloc(1, sizeof(struct challenge));
    o.challenges[0].count = 1;
    o.challenges[0].items[0].type = xstrdup("http-01");
    o.detail_known = true;
    return o;
}

static void test_orders_copy_and_take(void **state)
{
    (void)state;
    struct order v[3] = {make_order("a"), make_order("b"), make_order("c")};
    struct msg *m = msg_new_orders(30, v, 3, true);
    for (int i = 0; i < 3; i++)
        order_clear(&v[i]);
    assert_int_equal(m->type, UPD_ORDERS);
    assert_int_equal(m->u.orders.count, 3);
    assert_true(m->u.orders.complete_list);
    assert_string_equal(m->u.orders.items[2].id, "c");
    assert_string_equal(m->u.orders.items[1].challenges[0].items[0].type, "http-01");
    msg_free(m);

    struct order *arr = xcalloc(2, sizeof *arr);
    arr[0] = make_order("x");
    arr[1] = make_order("y");
    m = msg_new_orders_take(31, arr, 2, false); /* arr now belongs to m */
    assert_ptr_equal(m->u.orders.items, arr);
    assert_false(m->u.orders.complete_list);
    msg_free(m);

    m = msg_new_orders(32, NULL, 0, true); /* "there are no orders" */
    assert_int_equal(m->u.orders.count, 0);
    assert_true(m->u.orders.complete_list);
    msg_free(m);
}

static void test_order_detail_copy_and_take(void **state)
{
    (void)state;
    struct order o = make_order("d");
    struct msg *m = msg_new_order_detail(40, &o);
    assert_ptr_not_equal(m->u.order_detail.order.id, o.id);
    struct msg *t = msg_new_order_detail_take(41, &o);
    assert_null(o.id); /* moved */
    assert_null(o.challenges);
    assert_string_equal(t->u.order_detail.order.id, "d");
    assert_string_equal(m->u.order_detail.order.challenges[0].identifier, "example.com");
    msg_free(m);
    msg_free(t);
    order_clear(&o);
}

static void test_updates_copy(void **state)
{
    (void)state;
    struct msg *f = msg_new_order_failed(50, "o1", "permission denied on lookup/order/o1");
    assert_int_equal(f->type, UPD_ORDER_FAILED);
    assert_string_equal(f->u.order_failed.error, "permission denied on lookup/order/o1");
    msg_free(f);

    struct challenge_detail d = {tmp("tok"), tmp("tok.thumb"), tmp("pending"), 99};
    struct msg *c = msg_new_challenge_detail(51, "o1", "example.com", "dns-01", &d);
    challenge_detail_free(&d);
    assert_string_equal(c->u.challenge_detail.detail.key_authorization, "tok.thumb");
    assert_int_equal(c->u.challenge_detail.detail.expires, 99);
    assert_string_equal(c->u.challenge_detail.challenge_type, "dns-01");
    msg_free(c);

    const char *denied[] = {"pki-external-ca/lookup/orders", "sys/health"};
    char *text = tmp("permission denied on 2 paths");
    struct msg *cn = msg_new_connection(CONN_DEGRADED, text, 30, denied, 2, 1700000000);
    burn(text);
    assert_int_equal(cn->type, UPD_CONNECTION);
    assert_int_equal(cn->request_id, 0);
    assert_int_equal(cn->u.connection.state, CONN_DEGRADED);
    assert_string_equal(cn->u.connection.text, "permission denied on 2 paths");
    assert_int_equal(cn->u.connection.retry_in, 30);
    assert_int_equal(cn->u.connection.denied_count, 2);
    assert_int_equal(cn->u.connection.oldest_verified_at, 1700000000);
    assert_ptr_not_equal(cn->u.connection.denied_paths[1], denied[1]);
    assert_string_equal(cn->u.connection.denied_paths[1], "sys/health");
    msg_free(cn);

    struct token_info ti = {tmp("operator"), 3600, NULL, 0};
    strv_push(&ti.policies, &ti.policy_count, "default");
    struct msg *tk = msg_new_token_info(52, &ti);
    token_info_free(&ti);
    assert_string_equal(tk->u.token.info.display_name, "operator");
    assert_int_equal(tk->u.token.info.ttl, 3600);
    assert_string_equal(tk->u.token.info.policies[0], "default");
    msg_free(tk);

    struct msg *ar = msg_new_action_result(53, CMD_FULFILL_CHALLENGE, "o1", false,
                                           "order o1 moved to error");
    assert_int_equal(ar->u.action_result.command, CMD_FULFILL_CHALLENGE);
    assert_false(ar->u.action_result.ok);
    assert_string_equal(ar->u.action_result.message, "order o1 moved to error");
    msg_free(ar);
    ar = msg_new_action_result(54, CMD_NEW_ORDER, NULL, true, NULL);
    assert_null(ar->u.action_result.order_id);
    msg_free(ar);
}

static void test_cert_copy_and_take(void **state)
{
    (void)state;
    struct cert_bundle b;
    cert_bundle_init(&b);
    b.certificate = tmp("-----BEGIN CERTIFICATE-----");
    b.private_key = tmp("-----BEGIN PRIVATE KEY-----");
    strv_push(&b.ca_chain, &b.ca_chain_count, "chain-1");
    b.not_after = 1234;
    struct msg *copy = msg_new_cert(60, "o1", &b);
    assert_ptr_not_equal(copy->u.cert.bundle.private_key, b.private_key);
    struct msg *moved = msg_new_cert_take(61, "o1", &b);
    assert_null(b.private_key); /* the sender holds no key any more */
    assert_null(b.certificate);
    assert_int_equal(b.ca_chain_count, 0);
    assert_string_equal(moved->u.cert.bundle.private_key, "-----BEGIN PRIVATE KEY-----");
    assert_string_equal(copy->u.cert.bundle.ca_chain[0], "chain-1");
    assert_int_equal(copy->u.cert.bundle.not_after, 1234);
    assert_true(copy->u.cert.had_private_key);
    assert_true(moved->u.cert.had_private_key);
    msg_free(copy);
    msg_free(moved);
    cert_bundle_free(&b);
}

/* What the engine sends: the certificate without its key, and the word
 * that there was one. */
static void test_cert_keyless(void **state)
{
    (void)state;
    struct cert_bundle b;
    cert_bundle_init(&b);
    b.certificate = tmp("-----BEGIN CERTIFICATE-----");
    b.private_key = tmp("-----BEGIN PRIVATE KEY-----");
    b.private_key_type = tmp("ec");
    struct msg *m = msg_new_cert_take_keyless(62, "o1", &b);
    assert_null(b.private_key);
    assert_null(b.certificate);
    assert_int_equal(m->type, UPD_CERT);
    assert_int_equal(m->request_id, 62);
    assert_null(m->u.cert.bundle.private_key);
    assert_true(m->u.cert.had_private_key);
    assert_string_equal(m->u.cert.bundle.private_key_type, "ec");
    assert_string_equal(m->u.cert.bundle.certificate, "-----BEGIN CERTIFICATE-----");
    msg_free(m);

    cert_bundle_init(&b); /* a CSR order: Vault returns an empty key */
    b.certificate = tmp("-----BEGIN CERTIFICATE-----");
    b.private_key = tmp("");
    m = msg_new_cert_take_keyless(63, "o2", &b);
    assert_false(m->u.cert.had_private_key);
    assert_null(m->u.cert.bundle.private_key);
    msg_free(m);
    m = msg_new_cert_take_keyless(64, "o3", NULL);
    assert_false(m->u.cert.had_private_key);
    assert_null(m->u.cert.bundle.certificate);
    msg_free(m);
    m = msg_new_cert(65, "o4", NULL);
    assert_false(m->u.cert.had_private_key);
    msg_free(m);
}

/* The engine's deploy commands: every string copied. */
static void test_engine_commands_copy(void **state)
{
    (void)state;
    char *id = tmp("order-1"), *ident = tmp("a.demo.test"), *type = tmp("http-01"),
         *token = tmp("tok_-1"), *ka = tmp("tok_-1.thumb"), *role = tmp("web");
    struct msg *pc = msg_new_preflight_check(21, id, ident, type, token, ka);
    struct msg *sv = msg_new_serve(22, type, id, ident, token, ka);
    struct msg *fg = msg_new_forget_order(23, id);
    struct msg *sc = msg_new_save_cert(24, id, role, ident, true);
    struct msg *st = msg_new_stop_responder(25);
    burn(id);
    burn(ident);
    burn(type);
    burn(token);
    burn(ka);
    burn(role);
    assert_int_equal(pc->type, CMD_PREFLIGHT);
    assert_int_equal(pc->request_id, 21);
    assert_string_equal(pc->u.check.order_id, "order-1");
    assert_string_equal(pc->u.check.identifier, "a.demo.test");
    assert_string_equal(pc->u.check.challenge_type, "http-01");
    assert_string_equal(pc->u.check.token, "tok_-1");
    assert_string_equal(pc->u.check.key_authorization, "tok_-1.thumb");
    assert_int_equal(sv->type, CMD_SERVE);
    assert_int_equal(sv->request_id, 22);
    assert_string_equal(sv->u.serve.challenge_type, "http-01");
    assert_string_equal(sv->u.serve.order_id, "order-1");
    assert_string_equal(sv->u.serve.identifier, "a.demo.test");
    assert_string_equal(sv->u.serve.token, "tok_-1");
    assert_string_equal(sv->u.serve.key_authorization, "tok_-1.thumb");
    assert_ptr_not_equal(sv->u.serve.token, pc->u.check.token);
    assert_int_equal(fg->type, CMD_FORGET_ORDER);
    assert_string_equal(fg->u.forget.order_id, "order-1");
    assert_int_equal(sc->type, CMD_SAVE_CERT);
    assert_int_equal(sc->request_id, 24);
    assert_string_equal(sc->u.save_cert.order_id, "order-1");
    assert_string_equal(sc->u.save_cert.role, "web");
    assert_string_equal(sc->u.save_cert.identifier, "a.demo.test");
    assert_true(sc->u.save_cert.overwrite);
    assert_int_equal(st->type, CMD_STOP_RESPONDER);
    assert_int_equal(st->request_id, 25);
    struct msg *all[] = {pc, sv, fg, sc, st};
    for (size_t i = 0; i < 5; i++) {
        assert_true(msg_type_is_command(all[i]->type));
        msg_free(all[i]);
    }

    /* the role and the first identifier may be unknown to the UI */
    sc = msg_new_save_cert(26, "order-2", NULL, NULL, false);
    assert_null(sc->u.save_cert.role);
    assert_null(sc->u.save_cert.identifier);
    assert_false(sc->u.save_cert.overwrite);
    msg_free(sc);
    pc = msg_new_preflight_check(27, "o", "x.test", "dns-01", NULL, "ka");
    assert_null(pc->u.check.token); /* dns-01 needs none */
    msg_free(pc);
    sv = msg_new_serve(28, "tls-alpn-01", "o", "x.test", NULL, "ka");
    assert_string_equal(sv->u.serve.challenge_type, "tls-alpn-01");
    assert_null(sv->u.serve.token); /* tls-alpn-01 needs none */
    msg_free(sv);
}

/* The engine's deploy updates: the responder's state (the served table
 * copied entry by entry) and the outcome of a save. */
static void test_engine_updates_copy(void **state)
{
    (void)state;
    struct msg_served_token served[2] = {
        {tmp("order-1"), tmp("a.demo.test"), tmp("tokA"), tmp("http-01")},
        {tmp("order-2"), NULL, tmp("tokB"), NULL},
    };
    char *addr = tmp("127.0.0.1:5002"), *text = tmp("all good");
    struct msg *r = msg_new_responder(31, true, addr, served, 2, 7, true, text);
    burn(addr);
    burn(text);
    for (size_t i = 0; i < 2; i++) {
        assert_ptr_not_equal(r->u.responder.served[i].token, served[i].token);
        burn(served[i].order_id);
        free(served[i].identifier);
        burn(served[i].token);
        free(served[i].challenge_type);
    }
    assert_int_equal(r->type, UPD_RESPONDER);
    assert_int_equal(r->request_id, 31);
    assert_true(r->u.responder.running);
    assert_string_equal(r->u.responder.address, "127.0.0.1:5002");
    assert_int_equal(r->u.responder.served_count, 2);
    assert_string_equal(r->u.responder.served[0].order_id, "order-1");
    assert_string_equal(r->u.responder.served[0].identifier, "a.demo.test");
    assert_string_equal(r->u.responder.served[0].token, "tokA");
    assert_string_equal(r->u.responder.served[1].identifier, ""); /* NULL counts as "" */
    assert_string_equal(r->u.responder.served[1].token, "tokB");
    assert_string_equal(r->u.responder.served[0].challenge_type, "http-01");
    assert_string_equal(r->u.responder.served[1].challenge_type, "");
    assert_int_equal(r->u.responder.total_hits, 7);
    /* the TLS-ALPN-01 responder's part: not running until set */
    assert_false(r->u.responder.tls_running);
    assert_string_equal(r->u.responder.tls_address, "");
    char *tls_addr = tmp("127.0.0.1:5001");
    msg_responder_set_tls(r, true, tls_addr, 4);
    burn(tls_addr);
    assert_true(r->u.responder.tls_running);
    assert_string_equal(r->u.responder.tls_address, "127.0.0.1:5001");
    assert_int_equal(r->u.responder.tls_total, 4);
    assert_true(r->u.responder.ok);
    assert_string_equal(r->u.responder.message, "all good");
    assert_false(msg_type_is_command(r->type));
    msg_free(r);

    r = msg_new_responder(32, false, NULL, NULL, 3, 0, false, NULL);
    assert_false(r->u.responder.running);
    assert_string_equal(r->u.responder.address, "");
    assert_null(r->u.responder.served);
    assert_int_equal(r->u.responder.served_count, 0);
    assert_false(r->u.responder.ok);
    assert_string_equal(r->u.responder.message, "");
    msg_free(r);

    char *id = tmp("order-1"), *paths = tmp("/c/a.crt, /c/a.chain.pem, key (0600) /c/a.key");
    struct msg *cs = msg_new_cert_save(33, id, CERT_SAVE_SAVED, paths, true);
    burn(id);
    burn(paths);
    assert_int_equal(cs->type, UPD_CERT_SAVE);
    assert_int_equal(cs->request_id, 33);
    assert_string_equal(cs->u.cert_save.order_id, "order-1");
    assert_int_equal(cs->u.cert_save.outcome, CERT_SAVE_SAVED);
    assert_string_equal(cs->u.cert_save.text, "/c/a.crt, /c/a.chain.pem, key (0600) /c/a.key");
    assert_true(cs->u.cert_save.key_written);
    msg_free(cs);
    cs = msg_new_cert_save(34, NULL, CERT_SAVE_FAILED, NULL, false);
    assert_string_equal(cs->u.cert_save.order_id, "");
    assert_string_equal(cs->u.cert_save.text, "");
    assert_int_equal(cs->u.cert_save.outcome, CERT_SAVE_FAILED);
    assert_false(cs->u.cert_save.key_written);
    msg_free(cs);
}

/* The deploy messages: roles taken, pre-flight results and responder hits
 * copied, every string there even when the sender had none. */
static void test_deploy_messages(void **state)
{
    (void)state;
    struct role_info *roles = xcalloc(2, sizeof(*roles));
    role_info_init(&roles[0]);
    role_info_init(&roles[1]);
    roles[0].name = tmp("web");
    strv_push(&roles[0].allowed_domains, &roles[0].allowed_domain_count, "demo.test");
    roles[1].name = tmp("dns-only");
    char *why = tmp("LIST role: permission denied");
    struct msg *r = msg_new_roles_take(7, roles, 2, why);
    burn(why);
    assert_int_equal(r->type, UPD_ROLES);
    assert_int_equal(r->u.roles.count, 2);
    assert_ptr_equal(r->u.roles.items, roles); /* taken, not copied */
    assert_string_equal(r->u.roles.items[0].allowed_domains[0], "demo.test");
    assert_string_equal(r->u.roles.error, "LIST role: permission denied");
    msg_free(r);
    r = msg_new_roles_take(8, NULL, 5, NULL);
    assert_int_equal(r->u.roles.count, 0);
    assert_null(r->u.roles.error);
    msg_free(r);

    char *id = tmp("order-1"), *ident = tmp("a.demo.test"), *exp = tmp("KEYAUTH"),
         *found = tmp("<html>"), *w = tmp("404"), *where = tmp("http://a.demo.test/x");
    struct msg *p = msg_new_preflight(9, id, ident, "http-01", MSG_CHECK_MISMATCH, exp, found, w,
                                      where);
    burn(id);
    burn(ident);
    burn(exp);
    burn(found);
    burn(w);
    burn(where);
    assert_int_equal(p->type, UPD_PREFLIGHT);
    assert_int_equal(p->request_id, 9);
    assert_string_equal(p->u.preflight.order_id, "order-1");
    assert_string_equal(p->u.preflight.identifier, "a.demo.test");
    assert_string_equal(p->u.preflight.challenge_type, "http-01");
    assert_int_equal(p->u.preflight.status, MSG_CHECK_MISMATCH);
    assert_string_equal(p->u.preflight.expected, "KEYAUTH");
    assert_string_equal(p->u.preflight.found, "<html>");
    assert_string_equal(p->u.preflight.why, "404");
    assert_string_equal(p->u.preflight.where, "http://a.demo.test/x");
    msg_free(p);
    p = msg_new_preflight(10, NULL, NULL, NULL, MSG_CHECK_UNREACHABLE, NULL, NULL, NULL, NULL);
    assert_string_equal(p->u.preflight.found, "");
    assert_string_equal(p->u.preflight.why, "");
    msg_free(p);

    char *remote = tmp("127.0.0.1:4242"), *path = tmp("/.well-known/acme-challenge/tok"),
         *token = tmp("tok");
    struct msg *h = msg_new_responder_hit(remote, "GET", path, token, 200, 87);
    burn(remote);
    burn(path);
    burn(token);
    assert_int_equal(h->type, UPD_RESPONDER_HIT);
    assert_int_equal(h->request_id, 0);
    assert_string_equal(h->u.hit.remote, "127.0.0.1:4242");
    assert_string_equal(h->u.hit.method, "GET");
    assert_string_equal(h->u.hit.path, "/.well-known/acme-challenge/tok");
    assert_string_equal(h->u.hit.token, "tok");
    assert_int_equal(h->u.hit.status, 200);
    assert_int_equal(h->u.hit.bytes, 87);
    msg_free(h);
    struct msg *d = msg_new_responder_dropped(false, 1000);
    assert_int_equal(d->type, UPD_RESPONDER_DROPPED);
    assert_int_equal(d->request_id, 0);
    assert_int_equal(d->u.dropped.total, 1000);
    assert_false(d->u.dropped.tlsalpn01);
    assert_false(msg_type_is_command(d->type));
    msg_free(d);
    d = msg_new_responder_dropped(true, 3);
    assert_true(d->u.dropped.tlsalpn01);
    msg_free(d);
    char *sni = tmp("shop.demo.test"), *outcome = tmp("served");
    struct msg *hs = msg_new_handshake("127.0.0.1:4243", sni, true, outcome, NULL);
    burn(sni);
    burn(outcome);
    assert_int_equal(hs->type, UPD_HANDSHAKE);
    assert_int_equal(hs->request_id, 0);
    assert_string_equal(hs->u.handshake.remote, "127.0.0.1:4243");
    assert_string_equal(hs->u.handshake.sni, "shop.demo.test");
    assert_true(hs->u.handshake.served);
    assert_string_equal(hs->u.handshake.outcome, "served");
    assert_string_equal(hs->u.handshake.detail, "");
    assert_false(msg_type_is_command(hs->type));
    msg_free(hs);

    struct msg *l = msg_new_list_roles(11);
    assert_int_equal(l->type, CMD_LIST_ROLES);
    assert_true(msg_type_is_command(l->type));
    msg_free(l);
    assert_string_equal(msg_check_name(MSG_CHECK_OK), "OK");
    assert_string_equal(msg_check_name(MSG_CHECK_MISMATCH), "mismatch");
    assert_string_equal(msg_check_name(MSG_CHECK_UNREACHABLE), "unreachable");
    assert_string_equal(msg_type_name(UPD_RESPONDER_HIT), "UPD_RESPONDER_HIT");
    assert_false(msg_type_is_command(UPD_PREFLIGHT));
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(msg_type_name(CMD_REFRESH), "CMD_REFRESH");
    assert_string_equal(msg_type_name(UPD_ACTION_RESULT), "UPD_ACTION_RESULT");
    assert_string_equal(msg_type_name(CMD_PREFLIGHT), "CMD_PREFLIGHT");
    assert_string_equal(msg_type_name(CMD_SERVE), "CMD_SERVE");
    assert_string_equal(msg_type_name(CMD_STOP_RESPONDER), "CMD_STOP_RESPONDER");
    assert_string_equal(msg_type_name(CMD_FORGET_ORDER), "CMD_FORGET_ORDER");
    assert_string_equal(msg_type_name(UPD_HANDSHAKE), "UPD_HANDSHAKE");
    assert_string_equal(msg_type_name(CMD_SAVE_CERT), "CMD_SAVE_CERT");
    assert_string_equal(msg_type_name(UPD_RESPONDER), "UPD_RESPONDER");
    assert_string_equal(msg_type_name(UPD_CERT_SAVE), "UPD_CERT_SAVE");
    assert_string_equal(msg_type_name(UPD_RESPONDER_DROPPED), "UPD_RESPONDER_DROPPED");
    assert_string_equal(msg_type_name((enum msg_type)999), "MSG_UNKNOWN");
    for (int t = 0; t < MSG_TYPE_COUNT; t++) {
        bool cmd = strncmp(msg_type_name((enum msg_type)t), "CMD_", 4) == 0;
        assert_int_equal(msg_type_is_command((enum msg_type)t), cmd);
    }
    assert_string_equal(conn_state_name(CONN_CONNECTING), "connecting");
    assert_string_equal(conn_state_name(CONN_DISCONNECTED), "disconnected");
}

/* The context messages own what they carry (ASan: nothing leaks, nothing
 * is shared with the sender). */
static void test_context_messages_copy(void **state)
{
    (void)state;
    char name[] = "prod", ns[] = "team1", mount[] = "pki";
    struct msg *sw = msg_new_switch_context(21, name, ns);
    name[0] = ns[0] = 'X';
    assert_int_equal(sw->type, CMD_SWITCH_CONTEXT);
    assert_true(msg_type_is_command(sw->type));
    assert_string_equal(sw->u.switch_to.context, "prod");
    assert_string_equal(sw->u.switch_to.namespace_, "team1");
    msg_free(sw);
    sw = msg_new_switch_context(22, NULL, NULL); /* keep both */
    assert_null(sw->u.switch_to.context);
    assert_null(sw->u.switch_to.namespace_);
    msg_free(sw);
    msg_free(msg_new_list_namespaces(23));

    struct context_place place = {.namespace_ = ns, .mount = mount, .denied = true};
    struct context_row row = {.name = name, .addr = NULL, .namespace_ = ns, .mount = mount,
                              .color = NULL, .readonly = true};
    struct context_info x = {.name = name, .color = NULL, .addr = mount, .readonly = true,
                             .places = &place, .place_count = 1, .fan_out = false,
                             .period_s = 12.5, .rows = &row, .row_count = 1, .generation = 3};
    struct msg *c = msg_new_context(&x);
    mount[0] = 'Y';
    assert_false(msg_type_is_command(c->type));
    assert_string_equal(c->u.context.places[0].mount, "pki");
    assert_true(c->u.context.places[0].denied);
    assert_string_equal(c->u.context.rows[0].addr, ""); /* NULL: "" */
    assert_string_equal(c->u.context.color, "");
    assert_int_equal(c->u.context.generation, 3);
    char label[64];
    context_place_label(&c->u.context, 0, label, sizeof label);
    assert_string_equal(label, "Xeam1/pki");
    context_place_label(&c->u.context, 1, label, sizeof label); /* no such place */
    assert_string_equal(label, "");
    msg_free(c);

    struct context_place *items = xcalloc(2, sizeof *items);
    items[0].namespace_ = xstrdup("");
    items[1].namespace_ = xstrdup("team1");
    items[1].denied = true;
    struct msg *l = msg_new_namespaces_take(24, items, 2, "partly denied");
    assert_int_equal(l->u.namespaces.count, 2);
    assert_string_equal(l->u.namespaces.error, "partly denied");
    msg_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commands_copy),
        cmocka_unit_test(test_new_order_copy),
        cmocka_unit_test(test_orders_copy_and_take),
        cmocka_unit_test(test_order_detail_copy_and_take),
        cmocka_unit_test(test_updates_copy),
        cmocka_unit_test(test_cert_copy_and_take),
        cmocka_unit_test(test_cert_keyless),
        cmocka_unit_test(test_engine_commands_copy),
        cmocka_unit_test(test_engine_updates_copy),
        cmocka_unit_test(test_deploy_messages),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_context_messages_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
