/* key_list: names out of a Vault LIST answer. */
#include "model/key_list.h"

#include <stdbool.h>
#include <stdlib.h>

#include "model/json_body.h"
#include "model/json_field.h"
#include "model/xalloc.h"

static int over_cap(size_t n, struct parse_error *err)
{
    parse_error_set(err, "the list holds %zu keys; acmetop reads at most %zu from one list", n,
                    JSON_KEYS_MAX);
    return KEY_LIST_OVER_CAP;
}

/* The entries of the lists that are fields of "data" ({"data":{"keys":[...]}}
 * puts them at depth 3), counted on the text, without building a tree. */
static size_t count_listed(const char *p, size_t len)
{
    size_t n = 0;
    int depth = 0;
    bool in_list = false, entry = false;
    for (size_t i = 0; i < len; i++) {
        char ch = p[i];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
            continue;
        if (in_list && depth == 3 && ch != ']' && ch != ',')
            entry = true;
        if (ch == '"') {
            for (i++; i < len && p[i] != '"'; i++)
                if (p[i] == '\\')
                    i++;
        } else if (ch == '[' || ch == '{') {
            if (++depth == 3 && ch == '[') {
                in_list = true;
                entry = false;
            }
        } else if (ch == ']' || ch == '}') {
            if (depth-- == 3 && in_list) {
                n += entry;
                in_list = false;
            }
        } else if (ch == ',' && in_list && depth == 3) {
            n++;
            entry = false;
        }
    }
    return n;
}

int key_list_parse(const cJSON *data, char ***keys, size_t *count,
                   struct parse_error *err)
{
    *keys = NULL;
    *count = 0;
    parse_error_clear(err);
    const cJSON *arr = cJSON_IsObject(data)
                           ? cJSON_GetObjectItemCaseSensitive(data, "keys")
                           : NULL;
    if (!cJSON_IsArray(arr)) {
        parse_error_set(err, !cJSON_IsObject(data) ? "list: 'data' is not an object"
                             : arr && !cJSON_IsNull(arr)
                                 ? "list: field 'keys' is not a list"
                                 : "list: field 'keys' is missing");
        return -1;
    }
    size_t n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        if (cJSON_IsString(e))
            n++;
    }
    if (n > JSON_KEYS_MAX)
        return over_cap(n, err);
    char **v = xcalloc(n ? n : 1, sizeof *v);
    size_t used = 0;
    cJSON_ArrayForEach(e, arr)
    {
        if (used == n)
            break;
        char *s = json_string_name(e);
        if (s)
            v[used++] = s;
        else if (cJSON_IsString(e) && err)
            err->refused++;
    }
    if (used == 0) {
        free(v);
        v = NULL;
    }
    *keys = v;
    *count = used;
    return 0;
}

struct key_list_out {
    char ***keys;
    size_t *count;
};

static int parse_data(const cJSON *data, void *out, struct parse_error *err)
{
    struct key_list_out *o = out;
    return key_list_parse(data, o->keys, o->count, err);
}

int key_list_parse_response(const char *body, size_t len, char ***keys,
                            size_t *count, struct parse_error *err)
{
    *keys = NULL;
    *count = 0;
    size_t listed = count_listed(body, len);
    if (listed > JSON_KEYS_MAX)
        return over_cap(listed, err);
    struct key_list_out o = {keys, count};
    return json_body_parse_data(body, len, parse_data, &o, err);
}
