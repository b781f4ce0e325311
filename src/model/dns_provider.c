/* dns_provider: parse one provider, match identifiers to its globs, say who
 * fulfils a challenge (see dns_provider.h). */
#include "model/dns_provider.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/json_body.h"
#include "model/json_field.h"
#include "model/strv.h"
#include "model/xalloc.h"

void dns_provider_init(struct dns_provider *p)
{
    memset(p, 0, sizeof(*p));
}

void dns_provider_free(struct dns_provider *p)
{
    if (!p)
        return;
    free(p->type);
    free(p->name);
    strv_free(p->identifiers, p->identifier_count);
    dns_provider_init(p);
}

void dns_providers_free(struct dns_provider *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        dns_provider_free(&v[i]);
    free(v);
}

struct dns_provider *dns_providers_copy(const struct dns_provider *v, size_t n)
{
    if (!v || n == 0)
        return NULL;
    struct dns_provider *c = xcalloc(n, sizeof(*c));
    for (size_t i = 0; i < n; i++) {
        c[i].type = v[i].type ? xstrdup(v[i].type) : NULL;
        c[i].name = v[i].name ? xstrdup(v[i].name) : NULL;
        c[i].identifiers =
            strv_copy((const char *const *)v[i].identifiers, v[i].identifier_count);
        c[i].identifier_count = v[i].identifier_count;
        c[i].ttl_s = v[i].ttl_s;
    }
    return c;
}

struct parse_ctx {
    struct dns_provider *out;
};

static int parse_data(const cJSON *data, void *arg, struct parse_error *err)
{
    struct dns_provider *p = ((struct parse_ctx *)arg)->out;
    if (!cJSON_IsObject(data)) {
        parse_error_set(err, "DNS provider: 'data' is not an object");
        return -1;
    }
    char *name = json_string_name(cJSON_GetObjectItemCaseSensitive(data, "name"));
    char *type = json_string_name(cJSON_GetObjectItemCaseSensitive(data, "type"));
    if (name) {
        free(p->name);
        p->name = name;
    }
    if (type) {
        free(p->type);
        p->type = type;
    }
    json_field_strv(data, "identifiers", JSON_OPTIONAL, JSON_LIST_MAX, &p->identifiers,
                    &p->identifier_count, NULL);
    int64_t ttl = 0;
    json_field_int(data, "ttl", JSON_OPTIONAL, 0, 86400 * 365, &ttl, NULL);
    p->ttl_s = (long)ttl;
    return 0;
}

int dns_provider_parse_response(const char *body, size_t len, const char *type,
                                const char *name, struct dns_provider *out,
                                struct parse_error *err)
{
    dns_provider_init(out);
    out->type = type ? xstrdup(type) : NULL;
    out->name = name ? xstrdup(name) : NULL;
    struct parse_ctx ctx = {out};
    if (json_body_parse_data(body, len, parse_data, &ctx, err) != 0) {
        dns_provider_free(out);
        return -1;
    }
    return 0;
}

int dns_provider_split_key(const char *key, char **type, char **name)
{
    const char *slash = key ? strchr(key, '/') : NULL;
    if (!slash || slash == key || !slash[1] || strchr(slash + 1, '/'))
        return -1;
    *type = xstrndup(key, (size_t)(slash - key));
    *name = xstrdup(slash + 1);
    return 0;
}

bool dns_provider_glob_match(const char *glob, const char *identifier)
{
    if (!glob || !identifier || !*glob || !*identifier)
        return false;
    if (glob[0] != '*')
        return strcasecmp(glob, identifier) == 0;
    const char *suffix = glob + 1;
    size_t sl = strlen(suffix), il = strlen(identifier);
    if (il <= sl)
        return false; /* '*' stands for at least one character */
    return strcasecmp(identifier + il - sl, suffix) == 0;
}

const struct dns_provider *dns_provider_for(const struct dns_provider *v, size_t n,
                                            const char *identifier)
{
    for (size_t i = 0; v && i < n; i++)
        for (size_t j = 0; j < v[i].identifier_count; j++)
            if (dns_provider_glob_match(v[i].identifiers[j], identifier))
                return &v[i];
    return NULL;
}

const struct dns_provider *dns_provider_fulfiller(const struct dns_provider *v, size_t n,
                                                  const char *identifier,
                                                  const char *challenge_type)
{
    if (!challenge_type || strcmp(challenge_type, "dns-01") != 0)
        return NULL;
    return dns_provider_for(v, n, identifier);
}

const char *dns_provider_label(const struct dns_provider *p, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", p && p->type ? p->type : "?", p && p->name ? p->name : "?");
    return buf;
}
