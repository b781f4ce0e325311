/* role_info: lifetime and parsing of GET role/:name. */
#include "model/role_info.h"

#include <stdlib.h>
#include <string.h>

#include "model/json_body.h"
#include "model/json_field.h"
#include "model/strv.h"

void role_info_init(struct role_info *r)
{
    memset(r, 0, sizeof *r);
}

void role_info_free(struct role_info *r)
{
    if (!r)
        return;
    free(r->name);
    free(r->acme_account_name);
    strv_free(r->allowed_domains, r->allowed_domain_count);
    strv_free(r->allowed_domain_options, r->allowed_domain_option_count);
    strv_free(r->allowed_challenge_types, r->allowed_challenge_type_count);
    free(r->csr_generate_key_type);
    free(r->csr_identifier_population);
    role_info_init(r);
}

int role_info_parse(const cJSON *data, struct role_info *out,
                    struct parse_error *err)
{
    role_info_init(out);
    if (!cJSON_IsObject(data)) {
        parse_error_set(err, "role: 'data' is not an object");
        return -1;
    }
    /* every field optional: none of these calls can fail */
    out->name = json_string_name(cJSON_GetObjectItemCaseSensitive(data, "name"));
    out->acme_account_name =
        json_string_name(cJSON_GetObjectItemCaseSensitive(data, "acme_account_name"));
    json_field_strv(data, "allowed_domains", JSON_OPTIONAL, JSON_LIST_MAX,
                    &out->allowed_domains, &out->allowed_domain_count, NULL);
    json_field_strv(data, "allowed_domain_options", JSON_OPTIONAL, JSON_LIST_MAX,
                    &out->allowed_domain_options,
                    &out->allowed_domain_option_count, NULL);
    json_field_strv(data, "allowed_challenge_types", JSON_OPTIONAL, JSON_LIST_MAX,
                    &out->allowed_challenge_types,
                    &out->allowed_challenge_type_count, NULL);
    json_field_string(data, "csr_generate_key_type", JSON_OPTIONAL, JSON_TEXT,
                      &out->csr_generate_key_type, NULL);
    json_field_string(data, "csr_identifier_population", JSON_OPTIONAL,
                      JSON_TEXT, &out->csr_identifier_population, NULL);
    json_field_time(data, "creation_date", JSON_OPTIONAL, &out->created, NULL);
    json_field_time(data, "last_updated_date", JSON_OPTIONAL, &out->last_updated,
                    NULL);
    return 0;
}

static int parse_data(const cJSON *data, void *out, struct parse_error *err)
{
    return role_info_parse(data, out, err);
}

int role_info_parse_response(const char *body, size_t len,
                             struct role_info *out, struct parse_error *err)
{
    role_info_init(out);
    return json_body_parse_data(body, len, parse_data, out, err);
}
