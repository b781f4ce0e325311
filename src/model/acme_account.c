/* acme_account: lifetime and parsing of GET config/acme-account/:name. */
#include "model/acme_account.h"

#include <stdlib.h>
#include <string.h>

#include "model/json_body.h"
#include "model/json_field.h"
#include "model/strv.h"

void acme_account_init(struct acme_account *a)
{
    memset(a, 0, sizeof *a);
}

void acme_account_free(struct acme_account *a)
{
    if (!a)
        return;
    free(a->name);
    free(a->directory_url);
    strv_free(a->email_contacts, a->email_contact_count);
    free(a->trusted_ca);
    acme_account_init(a);
}

int acme_account_parse(const cJSON *data, struct acme_account *out,
                       struct parse_error *err)
{
    acme_account_init(out);
    if (!cJSON_IsObject(data)) {
        parse_error_set(err, "ACME account: 'data' is not an object");
        return -1;
    }
    out->name = json_string_name(cJSON_GetObjectItemCaseSensitive(data, "name"));
    json_field_string(data, "directory_url", JSON_OPTIONAL, JSON_TEXT,
                      &out->directory_url, NULL);
    json_field_strv(data, "email_contacts", JSON_OPTIONAL, JSON_LIST_MAX,
                    &out->email_contacts, &out->email_contact_count, NULL);
    json_field_int(data, "active_key_version", JSON_OPTIONAL, 0, INT32_MAX,
                   &out->active_key_version, NULL);
    const cJSON *keys = cJSON_GetObjectItemCaseSensitive(data, "account_keys");
    if (cJSON_IsArray(keys) || cJSON_IsObject(keys))
        out->account_key_count = (size_t)cJSON_GetArraySize(keys);
    /* trusted_ca is PEM: kept exact; an oversize one is dropped */
    if (json_field_string(data, "trusted_ca", JSON_OPTIONAL, JSON_BLOB,
                          &out->trusted_ca, NULL) != 0)
        out->trusted_ca = NULL;
    json_field_time(data, "creation_date", JSON_OPTIONAL, &out->created, NULL);
    json_field_time(data, "last_updated_date", JSON_OPTIONAL, &out->last_updated,
                    NULL);
    return 0;
}

static int parse_data(const cJSON *data, void *out, struct parse_error *err)
{
    return acme_account_parse(data, out, err);
}

int acme_account_parse_response(const char *body, size_t len,
                                struct acme_account *out,
                                struct parse_error *err)
{
    acme_account_init(out);
    return json_body_parse_data(body, len, parse_data, out, err);
}
