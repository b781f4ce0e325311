/* order_parse: the answers that describe orders, JSON -> struct order.
 *   - the order object of GET role/:role/order/:id/status and
 *     GET lookup/order/:id (full detail, detail_known = true);
 *   - LIST lookup/orders/recent: `keys` (newest first) + `key_info`
 *     (partial orders, detail_known = false).
 * Conventions of all parsers in src/model: `*_parse` takes the `data` object,
 * `*_parse_response` takes the whole HTTP body; both return 0, or -1 with
 * err naming the field; on -1 the output is left empty (nothing to free),
 * on 0 the caller owns it. Nothing from the server is trusted. */
#ifndef ACMETOP_ORDER_PARSE_H
#define ACMETOP_ORDER_PARSE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "model/order.h"
#include "model/parse_error.h"

/* Order object -> *out (initialised here). The object does not carry the
 * order's ID, so the caller passes it (the ID it asked for).
 * Required: `order_status` (string). Everything else optional:
 * missing/null/wrong type -> absent; `challenges` must be a map
 * identifier -> array of {challenge_type, challenge_status, expires}
 * (other shapes ignored; at most JSON_IDENTIFIERS_MAX identifiers and 16
 * challenges per identifier). */
int order_parse(const cJSON *data, const char *id, struct order *out,
                struct parse_error *err);
int order_parse_response(const char *body, size_t len, const char *id,
                         struct order *out, struct parse_error *err);

/* One `key_info` entry (creation_date, identifiers, last_update,
 * order_status, role_name) -> partial order. Status may be absent here
 * (then status_text stays NULL). entry must be an object. */
int order_parse_key_info(const cJSON *entry, const char *id, struct order *out,
                         struct parse_error *err);

/* LIST lookup/orders/recent `data` -> array of partial orders in `keys`
 * order; keys without a key_info entry give an order with only its ID;
 * non-string keys skipped, unclean ones too (counted in err->refused); at most JSON_KEYS_MAX. *orders is NULL when
 * *count is 0. Free with order_array_free. `keys` is required. */
int order_list_parse_recent(const cJSON *data, struct order **orders,
                            size_t *count, struct parse_error *err);
int order_list_parse_recent_response(const char *body, size_t len,
                                     struct order **orders, size_t *count,
                                     struct parse_error *err);

/* POST role/:role/new-order answer -> *order_id (new string). `order_id`
 * is required and must be a clean name (it goes into API paths). */
int order_parse_new_order(const cJSON *data, char **order_id,
                          struct parse_error *err);
int order_parse_new_order_response(const char *body, size_t len,
                                   char **order_id, struct parse_error *err);

/* Clear n orders and free the array. */
void order_array_free(struct order *orders, size_t n);

#endif
