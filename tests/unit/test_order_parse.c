/* test_order_parse: the answers that describe orders (order object, recent
 * orders with key_info, new-order, lookup/cert), from the fixtures of every
 * documented answer and from malformed variants: wrong types, nulls,
 * missing data, non-object roots, truncated JSON, 10,000-entry arrays and
 * 1 MiB strings. A parser returns an error or a safe default, never crashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "model/cert_lookup.h"
#include "model/json_field.h"
#include "model/order_parse.h"

#define ORDER_ID "7d0a2c4e-9b1f-4e6a-8c3d-2f5e7a9b1c0d"

static int parse_fixture(const char *name, struct order *o, struct parse_error *err)
{
    size_t len;
    char *body = fixture_load(name, &len);
    int rc = order_parse_response(body, len, ORDER_ID, o, err);
    free(body);
    return rc;
}

static void test_order_awaiting(void **state)
{
    (void)state;
    struct order o;
    struct parse_error err = {.message = ""};
    assert_int_equal(parse_fixture("order_awaiting.json", &o, &err), 0);
    assert_string_equal(o.id, ORDER_ID);
    assert_int_equal(o.status, ORDER_AWAITING_CHALLENGE);
    assert_string_equal(o.status_text, "awaiting-challenge-fulfillment");
    assert_string_equal(o.role, "web-servers");
    assert_int_equal(o.identifier_count, 2);
    assert_string_equal(o.identifiers[0], "example.com");
    assert_string_equal(o.identifiers[1], "www.example.com");
    assert_string_equal(o.csr, "");
    assert_int_equal(o.created, 1782737122);     /* -04:00 offset applied */
    assert_int_equal(o.last_update, 1782737161); /* fraction dropped */
    assert_int_equal(o.next_work, 1782737461);
    assert_int_equal(o.expires, 1783341922);
    assert_string_equal(o.last_error, "");
    assert_string_equal(o.serial, "");
    assert_true(o.detail_known);
    assert_false(o.stale);
    assert_int_equal(o.challenge_count, 2);
    const struct order_identifier_challenges *c = order_find_challenges(&o, "example.com");
    assert_non_null(c);
    assert_int_equal(c->count, 3);
    assert_string_equal(c->items[0].type, "http-01");
    assert_string_equal(c->items[1].type, "dns-01");
    assert_string_equal(c->items[2].type, "tls-alpn-01");
    assert_string_equal(c->items[2].status, "pending");
    assert_int_equal(c->items[2].expires, 1783341922);
    c = order_find_challenges(&o, "www.example.com");
    assert_non_null(c);
    assert_int_equal(c->count, 1);
    assert_string_equal(c->items[0].status, "valid");
    order_clear(&o);
}

/* The CA lists an authorization's challenges in any order: every identifier
 * shows them in one fixed order (http-01, dns-01, tls-alpn-01, others). */
static void test_challenges_in_one_fixed_order(void **state)
{
    (void)state;
    const char *body =
        "{\"data\":{\"order_status\":\"awaiting-challenge-fulfillment\",\"challenges\":{"
        "\"a.example.com\":[{\"challenge_type\":\"tls-alpn-01\"},{\"challenge_type\":"
        "\"dns-01\"},{\"challenge_type\":\"http-01\"}],"
        "\"b.example.com\":[{\"challenge_type\":\"zz-99\"},{\"challenge_type\":\"dns-01\"},"
        "{\"challenge_type\":\"http-01\",\"challenge_status\":\"valid\"}]}}}";
    struct order o;
    struct parse_error err = {.message = ""};
    assert_int_equal(order_parse_response(body, strlen(body), "id", &o, &err), 0);
    const struct order_identifier_challenges *c = order_find_challenges(&o, "a.example.com");
    assert_string_equal(c->items[0].type, "http-01");
    assert_string_equal(c->items[1].type, "dns-01");
    assert_string_equal(c->items[2].type, "tls-alpn-01");
    c = order_find_challenges(&o, "b.example.com");
    assert_string_equal(c->items[0].type, "http-01");
    assert_string_equal(c->items[0].status, "valid"); /* fields move with their type */
    assert_string_equal(c->items[1].type, "dns-01");
    assert_string_equal(c->items[2].type, "zz-99");
    order_clear(&o);
}

static void test_order_completed_csr(void **state)
{
    (void)state;
    struct order o;
    struct parse_error err = {.message = ""};
    assert_int_equal(parse_fixture("order_completed.json", &o, &err), 0);
    assert_int_equal(o.status, ORDER_COMPLETED);
    assert_string_equal(o.role, "csr-role");
    assert_non_null(strstr(o.csr, "-----BEGIN CERTIFICATE REQUEST-----\nMIIC"));
    assert_int_equal(o.created, 1777622400);
    assert_int_equal(o.next_work, 0); /* zero date = unset */
    assert_int_equal(o.expires, 1778227200);
    assert_string_equal(o.serial, "04:a1:9c:3e:55:7f:10:22:8b:0d:e4:91:6c:2f:aa:13:77:05");
    assert_int_equal(o.challenge_count, 0);
    order_clear(&o);
}

static void test_order_error_text_sanitised(void **state)
{
    (void)state;
    struct order o;
    struct parse_error err = {.message = ""};
    assert_int_equal(parse_fixture("order_error.json", &o, &err), 0);
    assert_int_equal(o.status, ORDER_ERROR);
    assert_non_null(strstr(o.last_error, "urn:ietf:params:acme:error:unauthorized"));
    assert_null(strchr(o.last_error, '\x1b'));
    assert_null(strchr(o.last_error, '\n'));
    assert_non_null(strstr(o.last_error, " 404?[31m"));
    order_clear(&o);
}

static void test_order_unknown_status_verbatim(void **state)
{
    (void)state;
    struct order o;
    struct parse_error err = {.message = ""};
    assert_int_equal(parse_fixture("order_unknown_status.json", &o, &err), 0);
    assert_int_equal(o.status, ORDER_STATUS_UNKNOWN);
    assert_string_equal(o.status_text, "pending-manual-approval");
    assert_string_equal(order_status_display(&o), "pending-manual-approval");
    assert_false(order_status_is_terminal(o.status));
    /* fields the answer did not carry stay absent */
    assert_null(o.csr);
    assert_null(o.last_error);
    assert_null(o.challenges);
    assert_int_equal(o.expires, 0);
    order_clear(&o);
}

static void test_order_wrong_types_give_defaults(void **state)
{
    (void)state;
    struct order o;
    struct parse_error err = {.message = ""};
    assert_int_equal(parse_fixture("malformed_order_types.json", &o, &err), 0);
    assert_int_equal(o.status, ORDER_SUBMITTED);
    assert_null(o.role);           /* 42 */
    assert_int_equal(o.identifier_count, 1); /* a string is read as a one-name list */
    assert_string_equal(o.identifiers[0], "not-a-list-but-a-name.example.com");
    assert_null(o.csr);            /* object */
    assert_int_equal(o.created, 0); /* number */
    assert_int_equal(o.last_update, 0); /* "yesterday" */
    assert_int_equal(o.next_work, 0);
    assert_int_equal(o.expires, 0); /* month 13 */
    assert_null(o.last_error);
    assert_null(o.serial);
    /* only b.example.com had an array; its one object entry is kept with
     * absent type and status */
    assert_int_equal(o.challenge_count, 1);
    assert_string_equal(o.challenges[0].identifier, "b.example.com");
    assert_int_equal(o.challenges[0].count, 1);
    assert_null(o.challenges[0].items[0].type);
    assert_string_equal(o.challenges[0].items[0].status, "pending");
    assert_int_equal(o.challenges[0].items[0].expires, 0);
    order_clear(&o);
}

static void test_order_errors(void **state)
{
    (void)state;
    struct order o;
    struct parse_error err = {.message = ""};
    assert_int_equal(parse_fixture("malformed_truncated.json", &o, &err), -1);
    assert_non_null(strstr(err.message, "not valid JSON"));
    assert_null(o.id); /* left empty */
    assert_int_equal(parse_fixture("malformed_root_array.json", &o, &err), -1);
    assert_string_equal(err.message, "answer is not a JSON object");
    assert_int_equal(parse_fixture("malformed_data_null.json", &o, &err), -1);
    assert_string_equal(err.message, "answer has no 'data' object");
    /* status missing, null, wrong type */
    const char *no_status = "{\"data\":{\"role_name\":\"x\"}}";
    assert_int_equal(order_parse_response(no_status, strlen(no_status), "id", &o, &err), -1);
    assert_string_equal(err.message, "field 'order_status' is missing");
    const char *null_status = "{\"data\":{\"order_status\":null}}";
    assert_int_equal(order_parse_response(null_status, strlen(null_status), "id", &o, &err), -1);
    assert_string_equal(err.message, "field 'order_status' is missing");
    const char *num_status = "{\"data\":{\"order_status\":3}}";
    assert_int_equal(order_parse_response(num_status, strlen(num_status), "id", &o, &err), -1);
    assert_string_equal(err.message, "field 'order_status' is not a string");
    assert_null(o.role);
    /* the order object itself not an object */
    cJSON *arr = cJSON_Parse("[]");
    assert_int_equal(order_parse(arr, "id", &o, &err), -1);
    assert_int_equal(order_parse(NULL, "id", &o, &err), -1);
    cJSON_Delete(arr);
    /* an empty 204-style body */
    assert_int_equal(order_parse_response("", 0, "id", &o, &err), -1);
}

static char *huge_string(size_t n, char c)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void test_order_huge_inputs(void **state)
{
    (void)state;
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "order_status", "completed");
    cJSON *ids = cJSON_AddArrayToObject(data, "identifiers");
    for (int i = 0; i < 10000; i++) {
        char name[32];
        snprintf(name, sizeof name, "h%d.example.com", i);
        cJSON_AddItemToArray(ids, cJSON_CreateString(name));
    }
    char *mib = huge_string(1024 * 1024, 'e');
    cJSON_AddStringToObject(data, "last_error", mib);
    cJSON_AddStringToObject(data, "csr", mib);
    cJSON_AddStringToObject(data, "role_name", mib);
    cJSON *ch = cJSON_AddObjectToObject(data, "challenges");
    for (int i = 0; i < 10000; i++) {
        char name[32];
        snprintf(name, sizeof name, "h%d.example.com", i);
        cJSON *list = cJSON_AddArrayToObject(ch, name);
        for (int k = 0; k < (i == 0 ? 10000 : 1); k++) {
            cJSON *c = cJSON_CreateObject();
            cJSON_AddStringToObject(c, "challenge_type", "dns-01");
            cJSON_AddItemToArray(list, c);
        }
    }
    struct order o;
    struct parse_error err = {.message = ""};
    assert_int_equal(order_parse(data, "big", &o, &err), 0);
    assert_int_equal(o.identifier_count, JSON_IDENTIFIERS_MAX);
    assert_string_equal(o.identifiers[999], "h999.example.com");
    assert_int_equal(strlen(o.last_error), JSON_STRING_MAX); /* truncated text */
    assert_null(o.csr);   /* PEM cannot be truncated: dropped */
    assert_null(o.role);  /* not a usable name */
    assert_int_equal(o.challenge_count, JSON_IDENTIFIERS_MAX);
    assert_int_equal(o.challenges[0].count, 16);
    order_clear(&o);
    cJSON_Delete(data);
    free(mib);
}

static void test_recent_orders(void **state)
{
    (void)state;
    size_t len, n;
    char *body = fixture_load("orders_recent.json", &len);
    struct order *v;
    struct parse_error err = {.message = ""};
    assert_int_equal(order_list_parse_recent_response(body, len, &v, &n, &err), 0);
    free(body);
    assert_int_equal(n, 4);
    /* keys order (newest first) is kept, key_info joined by ID */
    assert_string_equal(v[0].id, "7d0a2c4e-9b1f-4e6a-8c3d-2f5e7a9b1c0d");
    assert_int_equal(v[0].status, ORDER_AWAITING_CHALLENGE);
    assert_string_equal(v[0].role, "web-servers");
    assert_int_equal(v[0].identifier_count, 2);
    assert_int_equal(v[0].created, 1782737122);
    assert_int_equal(v[0].last_update, 1782737161);
    assert_false(v[0].detail_known);
    assert_null(v[0].challenges);
    assert_null(v[0].last_error);
    assert_string_equal(v[1].id, "3e8f1a2b-4c5d-6e7f-8091-a2b3c4d5e6f7");
    assert_int_equal(v[1].status, ORDER_COMPLETED);
    assert_string_equal(v[1].role, "csr-role");
    assert_int_equal(v[1].created, 1782730800);
    assert_int_equal(v[2].status, ORDER_STATUS_UNKNOWN);
    assert_string_equal(v[2].status_text, "waiting-for-dns-propagation");
    assert_int_equal(v[2].created, 1782741600);
    /* a key without key_info: only its ID */
    assert_string_equal(v[3].id, "b1b2b3b4-0000-4000-8000-00000000000f");
    assert_null(v[3].status_text);
    assert_null(v[3].role);
    assert_null(v[3].identifiers);
    assert_int_equal(v[3].created, 0);
    order_array_free(v, n);
}

static void test_recent_malformed(void **state)
{
    (void)state;
    struct order *v;
    size_t n;
    struct parse_error err = {.message = ""};
    const char *no_keys = "{\"data\":{\"key_info\":{}}}";
    assert_int_equal(order_list_parse_recent_response(no_keys, strlen(no_keys), &v, &n, &err), -1);
    assert_string_equal(err.message, "order list: field 'keys' is missing");
    assert_null(v);
    assert_int_equal(n, 0);
    const char *keys_obj = "{\"data\":{\"keys\":{\"a\":1}}}";
    assert_int_equal(order_list_parse_recent_response(keys_obj, strlen(keys_obj), &v, &n, &err), -1);
    assert_string_equal(err.message, "order list: field 'keys' is not a list");
    /* bad entries are skipped; key_info of the wrong shape is ignored */
    const char *mixed = "{\"data\":{\"keys\":[\"a\",7,null,\"\",\"b\\u001b\",\"c\",[\"d\"]],"
                        "\"key_info\":{\"a\":\"str\",\"c\":{\"order_status\":[1],"
                        "\"role_name\":\"r\",\"identifiers\":null}}}}";
    assert_int_equal(order_list_parse_recent_response(mixed, strlen(mixed), &v, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].id, "a");
    assert_null(v[0].status_text);
    assert_string_equal(v[1].id, "c");
    assert_null(v[1].status_text);
    assert_int_equal(v[1].status, ORDER_STATUS_UNKNOWN);
    assert_string_equal(v[1].role, "r");
    assert_null(v[1].identifiers);
    order_array_free(v, n);
    /* an empty list */
    const char *empty = "{\"data\":{\"keys\":[]}}";
    assert_int_equal(order_list_parse_recent_response(empty, strlen(empty), &v, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_null(v);
    /* key_info entry not an object, directly */
    struct order o;
    cJSON *num = cJSON_CreateNumber(1);
    assert_int_equal(order_parse_key_info(num, "x", &o, &err), -1);
    assert_string_equal(err.message, "key_info entry of order x is not an object");
    cJSON_Delete(num);
}

static void test_recent_10000(void **state)
{
    (void)state;
    /* 10,000 keys with key_info in a different (sorted) order than keys */
    cJSON *root = cJSON_CreateObject();
    cJSON *data = cJSON_AddObjectToObject(root, "data");
    cJSON *keys = cJSON_AddArrayToObject(data, "keys");
    cJSON *info = cJSON_AddObjectToObject(data, "key_info");
    for (int i = 9999; i >= 0; i--) {
        char id[32];
        snprintf(id, sizeof id, "order-%05d", i);
        cJSON_AddItemToArray(keys, cJSON_CreateString(id));
    }
    for (int i = 0; i < 10000; i++) {
        char id[32];
        snprintf(id, sizeof id, "order-%05d", i);
        cJSON *e = cJSON_AddObjectToObject(info, id);
        cJSON_AddStringToObject(e, "order_status", i % 2 ? "completed" : "new");
        cJSON_AddStringToObject(e, "role_name", "bulk");
    }
    char *body = cJSON_PrintUnformatted(root);
    struct order *v;
    size_t n;
    struct parse_error err = {.message = ""};
    assert_int_equal(order_list_parse_recent_response(body, strlen(body), &v, &n, &err), 0);
    assert_int_equal(n, 10000);
    assert_string_equal(v[0].id, "order-09999");
    assert_int_equal(v[0].status, ORDER_COMPLETED);
    assert_string_equal(v[9999].id, "order-00000");
    assert_int_equal(v[9999].status, ORDER_NEW);
    assert_string_equal(v[5000].role, "bulk");
    order_array_free(v, n);
    free(body);
    cJSON_Delete(root);
}

static void test_new_order(void **state)
{
    (void)state;
    size_t len;
    char *body = fixture_load("new_order.json", &len);
    char *id;
    struct parse_error err = {.message = ""};
    assert_int_equal(order_parse_new_order_response(body, len, &id, &err), 0);
    assert_string_equal(id, "7d0a2c4e-9b1f-4e6a-8c3d-2f5e7a9b1c0d");
    free(id);
    free(body);
    const char *esc = "{\"data\":{\"order_id\":\"a\\u001bb\"}}";
    assert_int_equal(order_parse_new_order_response(esc, strlen(esc), &id, &err), -1);
    assert_string_equal(err.message, "field 'order_id' is not a usable order ID");
    assert_null(id);
    const char *none = "{\"data\":{}}";
    assert_int_equal(order_parse_new_order_response(none, strlen(none), &id, &err), -1);
    assert_string_equal(err.message, "field 'order_id' is missing");
    const char *nodata = "{\"data\":null}";
    assert_int_equal(order_parse_new_order_response(nodata, strlen(nodata), &id, &err), -1);
}

static void test_cert_lookup(void **state)
{
    (void)state;
    size_t len;
    char *body = fixture_load("cert_lookup.json", &len);
    struct cert_lookup c;
    struct parse_error err = {.message = ""};
    assert_int_equal(cert_lookup_parse_response(body, len, &c, &err), 0);
    free(body);
    assert_string_equal(c.order_id, "3e8f1a2b-4c5d-6e7f-8091-a2b3c4d5e6f7");
    assert_int_equal(c.status, ORDER_COMPLETED);
    assert_string_equal(c.role, "csr-role");
    assert_int_equal(c.identifier_count, 1);
    assert_string_equal(c.identifiers[0], "api.example.com");
    assert_int_equal(c.not_after, 1785394989);
    assert_true(c.not_before < c.not_after);
    cert_lookup_free(&c);
    assert_null(c.order_id);

    const char *no_id = "{\"data\":{\"order_status\":\"completed\"}}";
    assert_int_equal(cert_lookup_parse_response(no_id, strlen(no_id), &c, &err), -1);
    assert_string_equal(err.message, "field 'order_id' is missing");
    const char *num_id = "{\"data\":{\"order_id\":12}}";
    assert_int_equal(cert_lookup_parse_response(num_id, strlen(num_id), &c, &err), -1);
    assert_string_equal(err.message, "field 'order_id' is not a usable order ID");
    const char *types = "{\"data\":{\"order_id\":\"x\",\"order_status\":false,"
                        "\"identifiers\":{},\"not_after\":12}}";
    assert_int_equal(cert_lookup_parse_response(types, strlen(types), &c, &err), 0);
    assert_int_equal(c.status, ORDER_STATUS_UNKNOWN);
    assert_null(c.status_text);
    assert_null(c.identifiers);
    assert_int_equal(c.not_after, 0);
    cert_lookup_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_awaiting),
        cmocka_unit_test(test_challenges_in_one_fixed_order),
        cmocka_unit_test(test_order_completed_csr),
        cmocka_unit_test(test_order_error_text_sanitised),
        cmocka_unit_test(test_order_unknown_status_verbatim),
        cmocka_unit_test(test_order_wrong_types_give_defaults),
        cmocka_unit_test(test_order_errors),
        cmocka_unit_test(test_order_huge_inputs),
        cmocka_unit_test(test_recent_orders),
        cmocka_unit_test(test_recent_malformed),
        cmocka_unit_test(test_recent_10000),
        cmocka_unit_test(test_new_order),
        cmocka_unit_test(test_cert_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
