/* key_list: the answer of a Vault LIST, {"data":{"keys":[...]}} -> names.
 * Used for lookup/orders, role/:role/active-orders, role, config/acme-account.
 * (An empty LIST is a 404 with {"errors":[]} in Vault: the caller, which sees
 * the status code, maps that to an empty list.) */
#ifndef ACMETOP_KEY_LIST_H
#define ACMETOP_KEY_LIST_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "model/parse_error.h"

/* A list of more than JSON_KEYS_MAX (100,000) keys is refused, not cut:
 * the orders beyond the cap would look vanished.  The answer's keys are
 * counted before it is parsed, so memory stays at the body's size. */
#define KEY_LIST_OVER_CAP (-2)

/* `keys` must be an array (else -1). Entries that are not strings or not
 * clean names (json_string_name: control characters, invisible format
 * characters, invalid UTF-8, empty, over JSON_NAME_MAX) are skipped, the
 * strings among them counted in err->refused. More than JSON_KEYS_MAX strings:
 * KEY_LIST_OVER_CAP, err saying how many. *keys may be NULL when *count is
 * 0. Free with strv_free(*keys, *count). */
int key_list_parse(const cJSON *data, char ***keys, size_t *count,
                   struct parse_error *err);
int key_list_parse_response(const char *body, size_t len, char ***keys,
                            size_t *count, struct parse_error *err);

#endif
