/* vault_health: lifetime and parsing of GET sys/health. */
#include "model/vault_health.h"

#include <stdlib.h>
#include <string.h>

#include "model/json_body.h"
#include "model/json_field.h"

void vault_health_init(struct vault_health *h)
{
    memset(h, 0, sizeof *h);
}

void vault_health_free(struct vault_health *h)
{
    if (!h)
        return;
    free(h->version);
    vault_health_init(h);
}

int vault_health_parse(const cJSON *root, struct vault_health *out,
                       struct parse_error *err)
{
    vault_health_init(out);
    if (!cJSON_IsObject(root)) {
        parse_error_set(err, "health: answer is not a JSON object");
        return -1;
    }
    json_field_bool(root, "initialized", JSON_OPTIONAL, &out->initialized, NULL);
    json_field_bool(root, "sealed", JSON_OPTIONAL, &out->sealed, NULL);
    json_field_bool(root, "standby", JSON_OPTIONAL, &out->standby, NULL);
    json_field_string(root, "version", JSON_OPTIONAL, JSON_TEXT, &out->version,
                      NULL);
    return 0;
}

int vault_health_parse_response(const char *body, size_t len,
                                struct vault_health *out,
                                struct parse_error *err)
{
    vault_health_init(out);
    cJSON *root = json_body_parse(body, len, err);
    int rc = root ? vault_health_parse(root, out, err) : -1;
    cJSON_Delete(root);
    return rc;
}
