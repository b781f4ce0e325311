/* fuzz_order_json: Vault's answers about orders, as HTTP bodies, through the
 * order parsers (model/order_parse.c over json_body.c and json_field.c):
 *   GET role/:role/order/:id/status, lookup/order/:id  -> order_parse_response
 *   LIST lookup/orders/recent (keys + key_info)        -> order_list_parse_recent_response
 *   POST role/:role/new-order                         -> order_parse_new_order_response
 * The same body goes to each.  Checks (fuzz_order.h): no crash, no leak,
 * no read past the body (it is not NUL-terminated); on success every text
 * is clean for the terminal and within the caps, the order copies, prints
 * as the --json object and survives the order cache's record round trip;
 * a new order ID is a clean name (it goes into API paths); on failure the
 * error names something and nothing is left to free. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_check.h"
#include "fuzz_order.h"
#include "model/order_parse.h"

static void check_error(int rc, const struct parse_error *err)
{
    if (rc != 0)
        FUZZ_CHECK(err->message[0] != '\0', "a parser failed without saying why");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = fuzz_bytes(data, size);
    struct parse_error err = {.message = ""};

    struct order o;
    order_init(&o);
    int rc = order_parse_response(body, size, "fuzz-order-1", &o, &err);
    check_error(rc, &err);
    if (rc == 0) {
        FUZZ_CHECK(o.detail_known, "a full order object is not marked detail_known");
        fuzz_order_check(&o);
    }
    order_clear(&o);

    struct order *list = NULL;
    size_t count = 0;
    rc = order_list_parse_recent_response(body, size, &list, &count, &err);
    check_error(rc, &err);
    if (rc == 0) {
        FUZZ_CHECK(count <= JSON_KEYS_MAX, "%zu orders listed", count);
        FUZZ_CHECK((count == 0) == (list == NULL), "list %p with %zu orders", (void *)list,
                   count);
        for (size_t i = 0; i < count; i++) {
            FUZZ_CHECK(list[i].id && json_name_is_clean(list[i].id),
                       "a listed order without a clean ID");
            fuzz_order_check(&list[i]);
        }
    }
    order_array_free(list, count);

    char *id = NULL;
    rc = order_parse_new_order_response(body, size, &id, &err);
    check_error(rc, &err);
    if (rc == 0)
        FUZZ_CHECK(id && json_name_is_clean(id), "new-order gave an unclean order ID");
    else
        FUZZ_CHECK(id == NULL, "new-order failed but left an ID");
    free(id);

    free(body);
    return 0;
}
