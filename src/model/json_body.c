/* json_body: HTTP body -> cJSON root object -> `data` object -> a parser,
 * with errors a person can act on ("answer is not JSON near byte 17"). */
#include "model/json_body.h"

#include <stdbool.h>

static bool is_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

cJSON *json_body_parse(const char *body, size_t len, struct parse_error *err)
{
    size_t start = 0;
    while (body && start < len && is_json_space(body[start]))
        start++;
    if (!body || start == len) {
        parse_error_set(err, "empty answer (expected a JSON object)");
        return NULL;
    }
    if (len > JSON_BODY_MAX) {
        parse_error_set(err, "answer too large (%zu bytes, limit %zu)", len,
                        JSON_BODY_MAX);
        return NULL;
    }
    const char *end = NULL;
    /* require_null_terminated = 0: the length bounds the parse; trailing
     * bytes are checked below. The error position comes from the parse-end
     * pointer, not cJSON_GetErrorPtr(). (cJSON still writes a global on
     * failure: JSON is parsed on one thread only, the worker.) */
    cJSON *root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
    if (!root) {
        size_t at = end && end >= body && end <= body + len ? (size_t)(end - body) : 0;
        parse_error_set(err, "answer is not valid JSON (near byte %zu)", at);
        return NULL;
    }
    size_t pos = end ? (size_t)(end - body) : len;
    while (pos < len && (is_json_space(body[pos]) || body[pos] == '\0'))
        pos++;
    if (pos < len) {
        parse_error_set(err, "answer has trailing data after the JSON value (byte %zu)",
                        pos);
        cJSON_Delete(root);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        parse_error_set(err, "answer is not a JSON object");
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

const cJSON *json_body_data(const cJSON *root, struct parse_error *err)
{
    const cJSON *data = cJSON_IsObject(root)
                            ? cJSON_GetObjectItemCaseSensitive(root, "data")
                            : NULL;
    if (!cJSON_IsObject(data)) {
        parse_error_set(err, data && !cJSON_IsNull(data)
                                 ? "answer's 'data' is not an object"
                                 : "answer has no 'data' object");
        return NULL;
    }
    return data;
}

int json_body_parse_data(const char *body, size_t len, json_data_parser *parse,
                         void *out, struct parse_error *err)
{
    cJSON *root = json_body_parse(body, len, err);
    const cJSON *data = root ? json_body_data(root, err) : NULL;
    int rc = data ? parse(data, out, err) : -1;
    cJSON_Delete(root);
    return rc;
}
