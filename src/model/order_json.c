/* order_json: struct order -> the JSON object of `--once --json`. */
#include "model/order_json.h"

#include <stdio.h>

#include "model/rfc3339.h"

static void add_time(cJSON *obj, const char *name, time_t t)
{
    char buf[RFC3339_BUF];
    if (t)
        cJSON_AddStringToObject(obj, name, rfc3339_format(t, buf, sizeof(buf)));
    else
        cJSON_AddNullToObject(obj, name);
}

static void add_string(cJSON *obj, const char *name, const char *s)
{
    if (s)
        cJSON_AddStringToObject(obj, name, s);
    else
        cJSON_AddNullToObject(obj, name);
}

static void add_fulfilled_by(cJSON *ch, const char *identifier, const char *type,
                             const struct order_json_providers *pv)
{
    if (!pv || !pv->known) {
        cJSON_AddNullToObject(ch, "fulfilled_by");
        return;
    }
    const struct dns_provider *p =
        dns_provider_fulfiller(pv->items, pv->count, identifier, type);
    if (!p) {
        cJSON_AddStringToObject(ch, "fulfilled_by", "operator");
        return;
    }
    char label[600], text[640];
    snprintf(text, sizeof text, "vault:%s", dns_provider_label(p, label, sizeof label));
    cJSON_AddStringToObject(ch, "fulfilled_by", text);
}

static cJSON *challenges_object(const struct order *o, const struct order_json_providers *pv)
{
    cJSON *map = cJSON_CreateObject();
    for (size_t i = 0; i < o->challenge_count; i++) {
        const struct order_identifier_challenges *c = &o->challenges[i];
        cJSON *arr = cJSON_CreateArray();
        for (size_t j = 0; j < c->count; j++) {
            cJSON *ch = cJSON_CreateObject();
            add_string(ch, "challenge_type", c->items[j].type);
            add_string(ch, "challenge_status", c->items[j].status);
            add_time(ch, "expires", c->items[j].expires);
            add_fulfilled_by(ch, c->identifier, c->items[j].type, pv);
            cJSON_AddItemToArray(arr, ch);
        }
        cJSON_AddItemToObject(map, c->identifier ? c->identifier : "", arr);
    }
    return map;
}

cJSON *order_json_object(const struct order *o, const char *mount, time_t now)
{
    return order_json_object_with_providers(o, mount, now, NULL);
}

cJSON *order_json_object_with_providers(const struct order *o, const char *mount, time_t now,
                                        const struct order_json_providers *providers)
{
    cJSON *obj = cJSON_CreateObject();
    add_string(obj, "order_id", o->id);
    add_string(obj, "mount", mount);
    cJSON_AddStringToObject(obj, "order_status", order_status_display(o));
    add_string(obj, "role_name", o->role);
    cJSON *ids = cJSON_AddArrayToObject(obj, "identifiers");
    for (size_t i = 0; i < o->identifier_count; i++)
        cJSON_AddItemToArray(ids, cJSON_CreateString(o->identifiers[i]));
    add_string(obj, "csr", o->csr);
    add_time(obj, "creation_date", o->created);
    add_time(obj, "last_update", o->last_update);
    add_time(obj, "next_work_date", o->next_work);
    add_time(obj, "expires", o->expires);
    add_string(obj, "last_error", o->last_error);
    add_string(obj, "serial_number", o->serial);
    cJSON_AddItemToObject(obj, "challenges", challenges_object(o, providers));
    add_time(obj, "cert_not_before", o->cert_not_before);
    add_time(obj, "cert_not_after", o->cert_not_after);
    if (o->cert_not_after)
        cJSON_AddNumberToObject(obj, "days_left",
                                (double)((long long)(o->cert_not_after - now) / 86400));
    else
        cJSON_AddNullToObject(obj, "days_left");
    cJSON_AddBoolToObject(obj, "stale", o->stale);
    return obj;
}
