/* json_body: from an HTTP body to the cJSON object a parser works on.
 * Vault wraps answers as {"data": {...}, "request_id": ..., ...}; this is the
 * one place that checks the body is JSON, its root is an object and `data` is
 * an object, and (json_body_parse_data) the one place that frees the tree
 * after a parser has read it. Bodies larger than JSON_BODY_MAX are refused. */
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

/* A parser of a `data` object into out (conventions as in order_parse.h). */
typedef int json_data_parser(const cJSON *data, void *out,
                             struct parse_error *err);

/* The whole step of every *_parse_response: body -> root -> `data` ->
 * parse(data, out, err) -> tree freed. Returns what parse returns, or -1
 * with err set as by json_body_parse / json_body_data (parse not called:
 * out is left as the caller initialised it). */
int json_body_parse_data(const char *body, size_t len, json_data_parser *parse,
                         void *out, struct parse_error *err);

#endif
