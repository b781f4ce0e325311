/* json_body: from an HTTP body to the cJSON object a parser works on.
 * Vault wraps answers as {"data": {...}, "request_id": ..., ...}; this is the
 * one place that checks the body is JSON, its root is an object and `data` is
 * an object. Bodies larger than JSON_BODY_MAX are refused. */
#ifndef ACMETOP_JSON_BODY_H
#define ACMETOP_JSON_BODY_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "model/parse_error.h"

#define JSON_BODY_MAX ((size_t)64 * 1024 * 1024)

/* Parse body (len bytes, need not be NUL-terminated) into a root object.
 * Returns the root (free with cJSON_Delete) or NULL with err set
 * ("empty answer", "answer is not JSON (near byte 17)", "answer is not a
 * JSON object"). */
cJSON *json_body_parse(const char *body, size_t len, struct parse_error *err);

/* The `data` object of root, or NULL with err set ("answer has no data
 * object"). The result points into root. */
const cJSON *json_body_data(const cJSON *root, struct parse_error *err);

#endif
