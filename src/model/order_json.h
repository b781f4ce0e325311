/* order_json: an order as the JSON object `acmetop --once --json` prints —
 * the fields of the API's order object with the same names, plus order_id,
 * mount, and what acmetop learnt on top (certificate validity, days left,
 * whether the data is stale). Times are RFC 3339 UTC, null when unknown. */
#ifndef ACMETOP_ORDER_JSON_H
#define ACMETOP_ORDER_JSON_H

#include <time.h>

#include <cjson/cJSON.h>

#include "model/order.h"

/* A new object (free with cJSON_Delete). `now` gives days_left. */
cJSON *order_json_object(const struct order *o, const char *mount, time_t now);

#endif
