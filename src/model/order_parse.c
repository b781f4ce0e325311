/* order_parse: order objects and the recent-orders listing, JSON -> struct
 * order. All field access goes through json_field (types, caps, sanitising);
 * what is specific here is the shape of the challenges map and joining
 * `keys` with `key_info`. */
#include "model/order_parse.h"

#include <stdlib.h>
#include <string.h>

#include "model/challenge_word.h"
#include "model/json_body.h"
#include "model/json_field.h"
#include "model/strv.h"
#include "model/text_sanitize.h"
#include "model/xalloc.h"

#define CHALLENGES_PER_IDENTIFIER_MAX 16

/* `challenges`: {"identifier": [{challenge_type, challenge_status, expires}]}.
 * Anything of another shape is ignored (the rest of the order is still
 * useful). Identifiers whose value is not an array are skipped. */
/* One fixed order of challenge types for every identifier (the CA's order
 * varies from one authorization to the next): http-01, dns-01,
 * tls-alpn-01, then any other type by name. */
static int challenge_type_rank(const char *type)
{
    static const char *const known[] = {"http-01", "dns-01", "tls-alpn-01"};
    for (int i = 0; i < 3; i++)
        if (type && strcmp(type, known[i]) == 0)
            return i;
    return 3;
}

static int challenge_cmp(const struct challenge *a, const struct challenge *b)
{
    int ra = challenge_type_rank(a->type), rb = challenge_type_rank(b->type);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    return strcmp(a->type ? a->type : "", b->type ? b->type : "");
}

/* Insertion sort: a handful of items, and stable. */
static void challenges_sort(struct order_identifier_challenges *ic)
{
    for (size_t i = 1; i < ic->count; i++) {
        struct challenge t = ic->items[i];
        size_t j = i;
        for (; j > 0 && challenge_cmp(&ic->items[j - 1], &t) > 0; j--)
            ic->items[j] = ic->items[j - 1];
        ic->items[j] = t;
    }
}

static void parse_challenges(const cJSON *data, struct order *o)
{
    const cJSON *map = cJSON_GetObjectItemCaseSensitive(data, "challenges");
    if (!cJSON_IsObject(map))
        return;
    size_t n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, map)
    {
        if (cJSON_IsArray(e) && e->string && ++n == JSON_IDENTIFIERS_MAX)
            break;
    }
    o->challenges = xcalloc(n ? n : 1, sizeof *o->challenges);
    o->challenge_count = 0;
    cJSON_ArrayForEach(e, map)
    {
        if (o->challenge_count == n)
            break;
        if (!cJSON_IsArray(e) || !e->string)
            continue;
        struct order_identifier_challenges *ic = &o->challenges[o->challenge_count++];
        size_t len = strnlen(e->string, JSON_STRING_MAX);
        ic->identifier = xstrndup(e->string, len);
        text_sanitize(ic->identifier, false);
        size_t m = 0;
        const cJSON *c;
        cJSON_ArrayForEach(c, e)
        {
            if (cJSON_IsObject(c) && ++m == CHALLENGES_PER_IDENTIFIER_MAX)
                break;
        }
        ic->items = xcalloc(m ? m : 1, sizeof *ic->items);
        cJSON_ArrayForEach(c, e)
        {
            if (ic->count == m)
                break;
            if (!cJSON_IsObject(c))
                continue;
            struct challenge *ch = &ic->items[ic->count++];
            /* all optional: these calls cannot fail */
            json_field_string(c, "challenge_type", JSON_OPTIONAL, JSON_TEXT,
                              &ch->type, NULL);
            json_field_string(c, "challenge_status", JSON_OPTIONAL, JSON_TEXT,
                              &ch->status, NULL);
            challenge_word_share(&ch->type); /* one copy for every order */
            challenge_word_share(&ch->status);
            json_field_time(c, "expires", JSON_OPTIONAL, &ch->expires, NULL);
        }
        challenges_sort(ic);
    }
}

/* Status, role, identifiers, creation and last update: the fields that both
 * the order object and a key_info entry carry. */
static int parse_common(const cJSON *obj, enum json_need status_need,
                        struct order *o, struct parse_error *err)
{
    if (json_field_string(obj, "order_status", status_need, JSON_TEXT,
                          &o->status_text, err) != 0)
        return -1;
    o->status = order_status_from_string(o->status_text);
    /* the role goes into API paths: keep it only if it is a clean name */
    const cJSON *role = cJSON_GetObjectItemCaseSensitive(obj, "role_name");
    o->role = json_string_name(role);
    if (!o->role && cJSON_IsString(role) && role->valuestring &&
        role->valuestring[0] == '\0')
        o->role = xstrdup("");
    json_field_strv(obj, "identifiers", JSON_OPTIONAL, JSON_IDENTIFIERS_MAX,
                    &o->identifiers, &o->identifier_count, NULL);
    json_field_time(obj, "creation_date", JSON_OPTIONAL, &o->created, NULL);
    json_field_time(obj, "last_update", JSON_OPTIONAL, &o->last_update, NULL);
    return 0;
}

int order_parse(const cJSON *data, const char *id, struct order *out,
                struct parse_error *err)
{
    order_init(out);
    if (!cJSON_IsObject(data)) {
        parse_error_set(err, "order: 'data' is not an object");
        return -1;
    }
    if (parse_common(data, JSON_REQUIRED, out, err) != 0) {
        order_clear(out);
        return -1;
    }
    out->id = xstrdup(id);
    /* an oversize CSR is dropped rather than failing the whole order */
    if (json_field_string(data, "csr", JSON_OPTIONAL, JSON_BLOB, &out->csr,
                          NULL) != 0)
        out->csr = NULL;
    json_field_time(data, "next_work_date", JSON_OPTIONAL, &out->next_work, NULL);
    json_field_time(data, "expires", JSON_OPTIONAL, &out->expires, NULL);
    json_field_string(data, "last_error", JSON_OPTIONAL, JSON_TEXT,
                      &out->last_error, NULL);
    json_field_string(data, "serial_number", JSON_OPTIONAL, JSON_TEXT,
                      &out->serial, NULL);
    parse_challenges(data, out);
    out->detail_known = true;
    return 0;
}

struct order_out {
    const char *id;
    struct order *order;
};

static int parse_order_data(const cJSON *data, void *out,
                            struct parse_error *err)
{
    struct order_out *o = out;
    return order_parse(data, o->id, o->order, err);
}

int order_parse_response(const char *body, size_t len, const char *id,
                         struct order *out, struct parse_error *err)
{
    order_init(out);
    struct order_out o = {id, out};
    return json_body_parse_data(body, len, parse_order_data, &o, err);
}

int order_parse_key_info(const cJSON *entry, const char *id, struct order *out,
                         struct parse_error *err)
{
    order_init(out);
    if (!cJSON_IsObject(entry)) {
        parse_error_set(err, "key_info entry of order %s is not an object",
                        id && json_name_is_clean(id) ? id : "?");
        return -1;
    }
    parse_common(entry, JSON_OPTIONAL, out, err); /* cannot fail */
    out->id = xstrdup(id);
    out->detail_known = false;
    return 0;
}

static int compare_child_names(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(x->string, y->string);
}

int order_list_parse_recent(const cJSON *data, struct order **orders,
                            size_t *count, struct parse_error *err)
{
    *orders = NULL;
    *count = 0;
    parse_error_clear(err);
    if (!cJSON_IsObject(data)) {
        parse_error_set(err, "order list: 'data' is not an object");
        return -1;
    }
    const cJSON *keys = cJSON_GetObjectItemCaseSensitive(data, "keys");
    if (!cJSON_IsArray(keys)) {
        parse_error_set(err, keys && !cJSON_IsNull(keys)
                                 ? "order list: field 'keys' is not a list"
                                 : "order list: field 'keys' is missing");
        return -1;
    }
    /* key_info is a JSON object: index its entries by name (sorted array +
     * binary search) so joining stays O(n log n) for hostile sizes */
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(data, "key_info");
    const cJSON **index = NULL;
    size_t nindex = 0;
    if (cJSON_IsObject(info)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, info)
        {
            if (e->string && ++nindex == JSON_KEYS_MAX)
                break;
        }
        index = xcalloc(nindex ? nindex : 1, sizeof *index);
        size_t i = 0;
        cJSON_ArrayForEach(e, info)
        {
            if (i == nindex)
                break;
            if (e->string)
                index[i++] = e;
        }
        qsort(index, nindex, sizeof *index, compare_child_names);
    }

    size_t n = 0;
    const cJSON *k;
    cJSON_ArrayForEach(k, keys)
    {
        if (cJSON_IsString(k) && ++n == JSON_KEYS_MAX)
            break;
    }
    struct order *out = xcalloc(n ? n : 1, sizeof *out);
    size_t used = 0;
    cJSON_ArrayForEach(k, keys)
    {
        if (used == n)
            break;
        char *id = json_string_name(k);
        if (!id) {
            if (cJSON_IsString(k) && err)
                err->refused++; /* not a usable ID: skip, and count */
            continue;
        }
        struct order *o = &out[used++];
        const cJSON *entry = NULL;
        if (nindex) {
            cJSON probe = {0};
            probe.string = id;
            const cJSON *pp = &probe;
            const cJSON **hit = bsearch(&pp, index, nindex, sizeof *index,
                                        compare_child_names);
            entry = hit ? *hit : NULL;
        }
        if (!entry || order_parse_key_info(entry, id, o, NULL) != 0) {
            order_init(o);
            o->id = xstrdup(id);
        }
        free(id);
    }
    free(index);
    if (used == 0) {
        free(out);
        out = NULL;
    }
    *orders = out;
    *count = used;
    return 0;
}

struct order_list_out {
    struct order **orders;
    size_t *count;
};

static int parse_recent_data(const cJSON *data, void *out,
                             struct parse_error *err)
{
    struct order_list_out *o = out;
    return order_list_parse_recent(data, o->orders, o->count, err);
}

int order_list_parse_recent_response(const char *body, size_t len,
                                     struct order **orders, size_t *count,
                                     struct parse_error *err)
{
    *orders = NULL;
    *count = 0;
    struct order_list_out o = {orders, count};
    return json_body_parse_data(body, len, parse_recent_data, &o, err);
}

int order_parse_new_order(const cJSON *data, char **order_id,
                          struct parse_error *err)
{
    *order_id = NULL;
    if (!cJSON_IsObject(data)) {
        parse_error_set(err, "new order: 'data' is not an object");
        return -1;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(data, "order_id");
    *order_id = json_string_name(id);
    if (!*order_id) {
        parse_error_set(err, !id || cJSON_IsNull(id)
                                 ? "field 'order_id' is missing"
                                 : "field 'order_id' is not a usable order ID");
        return -1;
    }
    return 0;
}

static int parse_new_order_data(const cJSON *data, void *out,
                                struct parse_error *err)
{
    return order_parse_new_order(data, out, err);
}

int order_parse_new_order_response(const char *body, size_t len,
                                   char **order_id, struct parse_error *err)
{
    *order_id = NULL;
    return json_body_parse_data(body, len, parse_new_order_data, order_id, err);
}

void order_array_free(struct order *orders, size_t n)
{
    if (!orders)
        return;
    for (size_t i = 0; i < n; i++)
        order_clear(&orders[i]);
    free(orders);
}
