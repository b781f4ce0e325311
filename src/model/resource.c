/* resource: kinds, items and hiding secrets (see resource.h). */
#include "model/resource.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "model/text_sanitize.h"
#include "model/xalloc.h"

static const char *const names[RESOURCE_KIND_COUNT] = {"roles", "accounts", "dns"};
static const char *const paths[RESOURCE_KIND_COUNT] = {"role", "config/acme-account",
                                                       "config/dns"};

const char *resource_kind_name(enum resource_kind k)
{
    return (unsigned)k < RESOURCE_KIND_COUNT ? names[k] : "?";
}

int resource_kind_find(const char *name)
{
    for (int k = 0; name && k < RESOURCE_KIND_COUNT; k++)
        if (strcmp(names[k], name) == 0)
            return k;
    return -1;
}

const char *resource_kind_path(enum resource_kind k)
{
    return (unsigned)k < RESOURCE_KIND_COUNT ? paths[k] : "";
}

void resource_items_free(struct resource_item *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].key);
        free(v[i].json);
        free(v[i].error);
    }
    free(v);
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

struct resource_item *resource_items_copy(const struct resource_item *v, size_t n)
{
    if (!v || n == 0)
        return NULL;
    struct resource_item *out = xcalloc(n, sizeof(*out));
    for (size_t i = 0; i < n; i++) {
        out[i].key = dup_or_null(v[i].key);
        out[i].json = dup_or_null(v[i].json);
        out[i].error = dup_or_null(v[i].error);
    }
    return out;
}

bool resource_secret_field(const char *name)
{
    static const char *const secret[] = {"private_key", "account_key", "eab_key",
                                         "tsig_secret", "secret_access_key", "client_secret",
                                         "credentials"};
    for (size_t i = 0; name && i < sizeof secret / sizeof secret[0]; i++)
        if (strcmp(name, secret[i]) == 0)
            return true;
    return false;
}

/* "<N bytes, hidden>": a value hidden already (it is not hidden again). */
static bool hidden_mark(const char *v)
{
    unsigned long n;
    char tail[16];
    return sscanf(v, "<%lu bytes, hidden%15s", &n, tail) == 2 && strcmp(tail, ">") == 0;
}

void resource_hide_secrets(cJSON *tree)
{
    for (cJSON *it = tree ? tree->child : NULL; it; it = it->next) {
        if (it->string && resource_secret_field(it->string) && cJSON_IsString(it) &&
            it->valuestring && *it->valuestring && !hidden_mark(it->valuestring)) {
            char mark[64];
            size_t len = strlen(it->valuestring);
            snprintf(mark, sizeof mark, "<%zu bytes, hidden>", len);
            OPENSSL_cleanse(it->valuestring, len);
            cJSON_SetValuestring(it, mark);
        } else if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
            resource_hide_secrets(it);
        }
    }
}

char *resource_data_json(const char *body, size_t len)
{
    cJSON *root = cJSON_ParseWithLength(body, len);
    cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    char *out = NULL;
    if (cJSON_IsObject(data)) {
        resource_hide_secrets(data);
        out = cJSON_PrintUnformatted(data);
    }
    cJSON_Delete(root);
    return out;
}

char *resource_answer_json(const char *body, size_t len)
{
    cJSON *root = cJSON_ParseWithLength(body, len);
    if (!root)
        return NULL;
    resource_hide_secrets(root);
    char *out = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return out;
}

char *resource_pretty_json(const char *json)
{
    cJSON *root = json ? cJSON_Parse(json) : NULL;
    if (!root)
        return NULL;
    resource_hide_secrets(root);
    char *printed = cJSON_Print(root);
    cJSON_Delete(root);
    if (!printed)
        return NULL;
    /* cJSON indents with tabs and puts one after each ':': two spaces per
     * level, one space after the colon */
    size_t tabs = 0;
    for (const char *p = printed; *p; p++)
        tabs += *p == '\t';
    char *out = xmalloc(strlen(printed) + tabs + 1);
    size_t k = 0;
    bool line_start = true;
    for (const char *p = printed; *p; p++) {
        if (*p == '\t' && line_start) {
            out[k++] = ' ';
            out[k++] = ' ';
            continue;
        }
        line_start = *p == '\n';
        out[k++] = *p == '\t' ? ' ' : *p;
    }
    out[k] = '\0';
    free(printed);
    text_sanitize(out, true);
    return out;
}
