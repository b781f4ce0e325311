/* cert_lookup: lifetime and parsing of GET lookup/cert/:serial. */
#include "model/cert_lookup.h"

#include <stdlib.h>
#include <string.h>

#include "model/json_body.h"
#include "model/json_field.h"
#include "model/strv.h"

void cert_lookup_init(struct cert_lookup *c)
{
    memset(c, 0, sizeof *c);
    c->status = ORDER_STATUS_UNKNOWN;
}

void cert_lookup_free(struct cert_lookup *c)
{
    if (!c)
        return;
    free(c->order_id);
    free(c->status_text);
    free(c->role);
    strv_free(c->identifiers, c->identifier_count);
    cert_lookup_init(c);
}

int cert_lookup_parse(const cJSON *data, struct cert_lookup *out,
                      struct parse_error *err)
{
    cert_lookup_init(out);
    if (!cJSON_IsObject(data)) {
        parse_error_set(err, "certificate lookup: 'data' is not an object");
        return -1;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(data, "order_id");
    out->order_id = json_string_name(id);
    if (!out->order_id) {
        parse_error_set(err, !id || cJSON_IsNull(id)
                                 ? "field 'order_id' is missing"
                                 : "field 'order_id' is not a usable order ID");
        return -1;
    }
    json_field_string(data, "order_status", JSON_OPTIONAL, JSON_TEXT,
                      &out->status_text, NULL);
    out->status = order_status_from_string(out->status_text);
    out->role = json_string_name(cJSON_GetObjectItemCaseSensitive(data, "role_name"));
    json_field_strv(data, "identifiers", JSON_OPTIONAL, JSON_IDENTIFIERS_MAX,
                    &out->identifiers, &out->identifier_count, NULL);
    json_field_time(data, "not_before", JSON_OPTIONAL, &out->not_before, NULL);
    json_field_time(data, "not_after", JSON_OPTIONAL, &out->not_after, NULL);
    return 0;
}

static int parse_data(const cJSON *data, void *out, struct parse_error *err)
{
    return cert_lookup_parse(data, out, err);
}

int cert_lookup_parse_response(const char *body, size_t len,
                               struct cert_lookup *out, struct parse_error *err)
{
    cert_lookup_init(out);
    return json_body_parse_data(body, len, parse_data, out, err);
}
