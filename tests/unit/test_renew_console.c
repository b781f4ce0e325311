/* test_renew_console: N on a completed order of the CSR workflow opens the
 * new-order form on its role with its CSR previewed (the operator holds the
 * key: the same CSR is sent again), Enter sends CMD_NEW_ORDER with that CSR
 * and the message names the order renewed; a role Vault did not list is
 * offered with its rules unknown; N refuses an order that is not completed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "console_driver.h"
#include "model/role_info.h"
#include "model/strv.h"
#include "ui/order_form.h"

#define NOW 1767225600
#define DONE "c5c5c5c5-0000-4000-8000-000000000001"
#define WAIT "a1a1a1a1-0000-4000-8000-000000000002"

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

static void test_renew_a_csr_order(void **state)
{
    (void)state;
    struct queue *commands = queue_new();
    struct console_config cfg = {.mount = "pki-external-ca"};
    struct console_state c;
    console_state_init(&c, &cfg, commands);
    console_state_set_list_rows(&c, 10);
    char *pem = make_csr("csr.demo.test", "DNS:csr.demo.test,DNS:two.demo.test");
    struct order os[2] = {driver_order(WAIT, ORDER_AWAITING_CHALLENGE, NOW - 30, "w.demo.test"),
                          driver_order(DONE, ORDER_COMPLETED, NOW - 60, "csr.demo.test")};
    free(os[1].role);
    os[1].role = xstrdup("csr-role");
    os[1].csr = xstrdup(pem);
    strv_push(&os[1].identifiers, &os[1].identifier_count, "two.demo.test");
    console_state_apply(&c, msg_new_orders(0, os, 2, true), NOW);
    order_free(&os[0]);
    order_free(&os[1]);

    /* the awaiting order is first: N says why not */
    assert_string_equal(c.list.selected_id, WAIT);
    keys(&c, "N");
    assert_null(c.dialog);
    assert_non_null(strstr(c.message, "N renews a completed order"));
    assert_null(next_command(commands));

    keys(&c, "jN");
    assert_non_null(console_state_dialog_of(&c, &order_form_ops));
    assert_non_null(strstr(c.dialog->title, "Renew order c5c5c5c5"));
    struct msg *m = next_command(commands);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_LIST_ROLES);
    struct role_info *roles = xcalloc(1, sizeof *roles);
    role_info_init(&roles[0]);
    roles[0].name = xstrdup("web");
    console_state_apply(&c, msg_new_roles_take(m->request_id, roles, 1, NULL), NOW);
    msg_free(m);
    /* straight to the names step: the role Vault did not list added and picked,
       the CSR previewed */
    assert_true(c.dialog->input_on);
    assert_string_equal(c.dialog->input.text, "order:c5c5c5c5/csr");
    assert_int_equal(c.dialog->picker.count, 2);
    assert_string_equal(picker_current(&c.dialog->picker)->label, "csr-role");
    assert_non_null(strstr(c.dialog->body, "Renewing order c5c5c5c5: the same role and CSR"));
    assert_non_null(strstr(c.dialog->body, "CSR order:c5c5c5c5/csr"));
    assert_non_null(strstr(c.dialog->body, "two.demo.test"));
    assert_null(next_command(commands)); /* for review: nothing sent yet */
    keys(&c, "\n");
    m = next_command(commands);
    assert_non_null(m);
    assert_int_equal(m->type, CMD_NEW_ORDER);
    assert_string_equal(m->u.new_order.role, "csr-role");
    assert_int_equal(m->u.new_order.identifier_count, 0);
    assert_string_equal(m->u.new_order.csr, pem);
    const char *id = "d4d4d4d4-0000-4000-8000-000000000003";
    console_state_apply(&c, msg_new_action_result(m->request_id, CMD_NEW_ORDER, id, true,
                                                  "order created"), NOW);
    msg_free(m);
    assert_null(c.dialog);
    assert_non_null(strstr(c.message, "created, renewing c5c5c5c5"));
    assert_string_equal(c.list.selected_id, id);
    free(pem);
    console_state_free(&c);
    queue_free(commands);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_renew_a_csr_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
