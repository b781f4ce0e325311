/* token_info: lifetime and parsing of GET auth/token/lookup-self. Only the
 * fields acmetop shows are kept; the token's `id` (the secret itself) is
 * never read. */
#include "model/token_info.h"

#include <stdlib.h>
#include <string.h>

#include "model/json_body.h"
#include "model/json_field.h"
#include "model/strv.h"
#include "model/xalloc.h"

void token_info_init(struct token_info *t)
{
    memset(t, 0, sizeof *t);
}

void token_info_free(struct token_info *t)
{
    if (!t)
        return;
    free(t->display_name);
    strv_free(t->policies, t->policy_count);
    token_info_init(t);
}

void token_info_copy(struct token_info *dst, const struct token_info *src)
{
    dst->display_name = xstrdup(src->display_name);
    dst->ttl = src->ttl;
    dst->policies = strv_copy((const char *const *)src->policies, src->policy_count);
    dst->policy_count = src->policy_count;
}

int token_info_parse(const cJSON *data, struct token_info *out,
                     struct parse_error *err)
{
    token_info_init(out);
    if (!cJSON_IsObject(data)) {
        parse_error_set(err, "token lookup: 'data' is not an object");
        return -1;
    }
    json_field_string(data, "display_name", JSON_OPTIONAL, JSON_TEXT,
                      &out->display_name, NULL);
    json_field_int(data, "ttl", JSON_OPTIONAL, 0, INT64_MAX, &out->ttl, NULL);
    json_field_strv(data, "policies", JSON_OPTIONAL, JSON_LIST_MAX,
                    &out->policies, &out->policy_count, NULL);
    return 0;
}

static int parse_data(const cJSON *data, void *out, struct parse_error *err)
{
    return token_info_parse(data, out, err);
}

int token_info_parse_response(const char *body, size_t len,
                              struct token_info *out, struct parse_error *err)
{
    token_info_init(out);
    return json_body_parse_data(body, len, parse_data, out, err);
}
