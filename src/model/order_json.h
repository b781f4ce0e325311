/* order_json: an order as the JSON object `acmetop --once --json` prints —
 * the fields of the API's order object with the same names, plus order_id,
 * mount, and what acmetop learnt on top (certificate validity, days left,
 * whether the data is stale). Times are RFC 3339 UTC, null when unknown. */
#ifndef ACMETOP_ORDER_JSON_H
#define ACMETOP_ORDER_JSON_H

#include <time.h>

#include <cjson/cJSON.h>

#include "model/dns_provider.h"
#include "model/order.h"

/* Vault's DNS providers, for each challenge's `fulfilled_by`:
 * "vault:<type>/<name>" (a dns-01 challenge a provider covers), "operator",
 * or null when they could not be read (known false, or no struct given). */
struct order_json_providers {
    bool known;
    const struct dns_provider *items;
    size_t count;
};

/* A new object (free with cJSON_Delete). `now` gives days_left; providers
 * may be NULL (fulfilled_by null). */
cJSON *order_json_object_with_providers(const struct order *o, const char *mount, time_t now,
                                        const struct order_json_providers *providers);
/* The same without providers (every fulfilled_by null). */
cJSON *order_json_object(const struct order *o, const char *mount, time_t now);

#endif
