/* acme_account: lifetime and parsing of GET config/acme-account/:name. */
#include "model/acme_account.h"

#include <stdlib.h>
#include <string.h>

#include "model/json_body.h"
#include "model/json_field.h"
#include "model/strv.h"
#include "model/xalloc.h"

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
    for (size_t i = 0; i < a->key_count; i++)
        free(a->keys[i].key_type);
    free(a->keys);
    acme_account_init(a);
}

static int by_version(const void *a, const void *b)
{
    int64_t x = ((const struct acme_account_key *)a)->version;
    int64_t y = ((const struct acme_account_key *)b)->version;
    return x < y ? -1 : x > y;
}

/* account_keys: a map version -> {key_type, key_version, key_creation_date}
 * (or an array of those); the version comes from key_version, else the
 * map's key. */
static void parse_keys(const cJSON *keys, struct acme_account *out)
{
    size_t n = 0;
    const cJSON *k;
    cJSON_ArrayForEach(k, keys) if (cJSON_IsObject(k) && n < JSON_LIST_MAX) n++;
    if (n == 0)
        return;
    out->keys = xcalloc(n, sizeof(*out->keys));
    cJSON_ArrayForEach(k, keys)
    {
        if (!cJSON_IsObject(k) || out->key_count >= n)
            continue;
        struct acme_account_key *e = &out->keys[out->key_count++];
        e->version = -1;
        if (json_field_int(k, "key_version", JSON_OPTIONAL, 0, INT32_MAX, &e->version, NULL) != 0 ||
            e->version < 0) {
            char *end = NULL;
            long v = k->string ? strtol(k->string, &end, 10) : -1;
            e->version = end && *end == '\0' && v >= 0 ? v : 0;
        }
        if (json_field_string(k, "key_type", JSON_OPTIONAL, JSON_TEXT, &e->key_type, NULL) != 0 ||
            !e->key_type)
            e->key_type = xstrdup("");
        json_field_time(k, "key_creation_date", JSON_OPTIONAL, &e->created, NULL);
    }
    qsort(out->keys, out->key_count, sizeof(*out->keys), by_version);
}

const struct acme_account_key *acme_account_active_key(const struct acme_account *a)
{
    for (size_t i = 0; i < a->key_count; i++)
        if (a->keys[i].version == a->active_key_version)
            return &a->keys[i];
    return NULL;
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
    parse_keys(keys, out);
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
