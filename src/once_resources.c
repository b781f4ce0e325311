/* once_resources: read one kind of resource and print it (see
 * once_resources.h). */
#include "once_resources.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/acme_account.h"
#include "model/dns_provider.h"
#include "model/msg.h"
#include "model/role_info.h"
#include "model/strv.h"
#include "model/text_sanitize.h"
#include "model/text_width.h"
#include "model/xalloc.h"
#include "net/resource_read.h"
#include "net/place_plan.h"
#include "net/vault_client.h"

#define COLS_MAX 8
#define CELL_MAX 600

/* ---- JSON ------------------------------------------------------------------ */

/* The object as Vault gave it, without its secret fields, plus "mount". */
static cJSON *json_object(const struct resource_item *it, const char *mount)
{
    cJSON *obj = cJSON_Parse(it->json);
    if (!cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        return NULL;
    }
    cJSON *next;
    for (cJSON *f = obj->child; f; f = next) {
        next = f->next;
        if (f->string && resource_secret_field(f->string))
            cJSON_DeleteItemFromObjectCaseSensitive(obj, f->string);
    }
    cJSON_DeleteItemFromObjectCaseSensitive(obj, "mount");
    cJSON_AddStringToObject(obj, "mount", mount);
    return obj;
}

/* ---- the table -------------------------------------------------------------- */

static const char *const titles[RESOURCE_KIND_COUNT][COLS_MAX] = {
    [RESOURCE_ROLES] = {"NAME", "ACCOUNT", "DOMAINS", "OPTIONS", "CHALLENGES", "KEY", "CN"},
    [RESOURCE_ACCOUNTS] = {"NAME", "DIRECTORY", "CONTACTS", "KEY", "KEY TYPE", "KEY CREATED"},
    [RESOURCE_DNS] = {"NAME", "TYPE", "IDENTIFIERS", "TTL"},
};

static size_t col_count(enum resource_kind kind)
{
    size_t n = 0;
    while (n < COLS_MAX && titles[kind][n])
        n++;
    return n;
}

static char *joined(char **v, size_t n)
{
    return n ? strv_join((const char *const *)v, n, ",") : xstrdup("-");
}

static char *dup_or_dash(const char *s)
{
    return xstrdup(s && *s ? s : "-");
}

/* The cells of one row (col_count(kind) new strings); false when the object
 * cannot be read. */
static bool row_cells(enum resource_kind kind, const struct resource_item *it, char **cells)
{
    cJSON *data = cJSON_Parse(it->json);
    struct parse_error perr;
    bool ok = false;
    if (kind == RESOURCE_ROLES) {
        struct role_info r;
        if (role_info_parse(data, &r, &perr) == 0) {
            cells[0] = dup_or_dash(r.name ? r.name : it->key);
            cells[1] = dup_or_dash(r.acme_account_name);
            cells[2] = joined(r.allowed_domains, r.allowed_domain_count);
            cells[3] = joined(r.allowed_domain_options, r.allowed_domain_option_count);
            cells[4] = r.allowed_challenge_type_count
                           ? joined(r.allowed_challenge_types, r.allowed_challenge_type_count)
                           : xstrdup("http-01,dns-01,tls-alpn-01");
            cells[5] = xstrdup(r.csr_generate_key_type ? r.csr_generate_key_type : "ec-256");
            cells[6] = xstrdup(r.csr_identifier_population ? r.csr_identifier_population
                                                           : "cn_first");
            role_info_free(&r);
            ok = true;
        }
    } else if (kind == RESOURCE_ACCOUNTS) {
        struct acme_account a;
        if (acme_account_parse(data, &a, &perr) == 0) {
            const struct acme_account_key *k = acme_account_active_key(&a);
            char buf[64];
            cells[0] = dup_or_dash(a.name ? a.name : it->key);
            cells[1] = dup_or_dash(a.directory_url);
            cells[2] = joined(a.email_contacts, a.email_contact_count);
            snprintf(buf, sizeof buf, "v%lld", (long long)a.active_key_version);
            cells[3] = xstrdup(buf);
            cells[4] = dup_or_dash(k ? k->key_type : NULL);
            char when[32] = "-";
            if (k && k->created)
                strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&k->created));
            cells[5] = xstrdup(when);
            acme_account_free(&a);
            ok = true;
        }
    } else {
        char *type = NULL, *name = NULL;
        size_t n = strlen(it->json) + 16;
        char *body = xmalloc(n);
        snprintf(body, n, "{\"data\":%s}", it->json);
        struct dns_provider p;
        if (dns_provider_split_key(it->key, &type, &name) == 0 &&
            dns_provider_parse_response(body, strlen(body), type, name, &p, &perr) == 0) {
            cells[0] = dup_or_dash(p.name);
            cells[1] = dup_or_dash(p.type);
            cells[2] = joined(p.identifiers, p.identifier_count);
            char ttl[32] = "-";
            if (p.ttl_s)
                snprintf(ttl, sizeof ttl, "%lds", p.ttl_s);
            cells[3] = xstrdup(ttl);
            dns_provider_free(&p);
            ok = true;
        }
        free(type);
        free(name);
        free(body);
    }
    cJSON_Delete(data);
    for (size_t c = 0; ok && c < col_count(kind); c++)
        text_sanitize(cells[c], false);
    return ok;
}

static void print_cell(FILE *out, const char *s, size_t width, bool last)
{
    fputs(s, out);
    if (last) {
        fputc('\n', out);
        return;
    }
    for (size_t w = text_width(s); w < width + 2; w++)
        fputc(' ', out);
}

/* ---- the run ----------------------------------------------------------------- */

/* By name: a DNS provider's key "type/name" by its name, then its type. */
static int compare_keys(const void *a, const void *b)
{
    const char *x = ((const struct resource_item *)a)->key;
    const char *y = ((const struct resource_item *)b)->key;
    x = x ? x : "";
    y = y ? y : "";
    const char *nx = strrchr(x, '/'), *ny = strrchr(y, '/');
    int d = strcmp(nx ? nx + 1 : x, ny ? ny + 1 : y);
    return d ? d : strcmp(x, y);
}

int once_resources_run(const struct vault_config *cfg, enum resource_kind kind, bool json,
                       FILE *out, FILE *err)
{
    if (place_plan_fans_out(cfg)) {
        fprintf(err, "acmetop: --once %s reads one namespace and one mount: give --namespace "
                     "and --mount (not * or a list)\n",
                resource_kind_name(kind));
        return 2;
    }
    struct vault_error verr;
    struct vault_client *client = vault_client_new(cfg, &verr);
    if (!client) {
        fprintf(err, "acmetop: %s\n", vault_error_sentence(&verr));
        return 1;
    }
    struct msg *m = resource_read(client, 0, kind);
    vault_client_free(client);
    if (!m->u.resources.listed) {
        fprintf(err, "acmetop: cannot list the %s: %s\n", resource_kind_name(kind),
                m->u.resources.error ? m->u.resources.error : "Vault refused");
        msg_free(m);
        return 1;
    }
    struct resource_item *items = m->u.resources.items;
    size_t n = m->u.resources.count;
    if (n > 1)
        qsort(items, n, sizeof(*items), compare_keys);
    size_t cols = col_count(kind);
    char **cells = n ? xcalloc(n * cols, sizeof(*cells)) : NULL;
    bool *shown = n ? xcalloc(n, sizeof(*shown)) : NULL;
    for (size_t i = 0; i < n; i++) {
        if (items[i].error)
            fprintf(err, "acmetop: warning: %s %s could not be read: %s\n",
                    resource_kind_name(kind), items[i].key, items[i].error);
        else if (!row_cells(kind, &items[i], &cells[i * cols]))
            fprintf(err, "acmetop: warning: %s %s: Vault's answer could not be read\n",
                    resource_kind_name(kind), items[i].key);
        else
            shown[i] = true;
    }
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < n; i++) {
            cJSON *obj = shown[i] ? json_object(&items[i], cfg->mount) : NULL;
            if (obj)
                cJSON_AddItemToArray(arr, obj);
        }
        char *text = cJSON_Print(arr);
        fprintf(out, "%s\n", text);
        free(text);
        cJSON_Delete(arr);
    } else {
        size_t width[COLS_MAX] = {0};
        for (size_t c = 0; c < cols; c++)
            width[c] = text_width(titles[kind][c]);
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; shown[i] && c < cols; c++)
                if (text_width(cells[i * cols + c]) > width[c])
                    width[c] = text_width(cells[i * cols + c]);
        for (size_t c = 0; c < cols; c++)
            print_cell(out, titles[kind][c], width[c], c == cols - 1);
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; shown[i] && c < cols; c++)
                print_cell(out, cells[i * cols + c], width[c], c == cols - 1);
    }
    for (size_t i = 0; i < n * cols; i++)
        free(cells[i]);
    free(cells);
    free(shown);
    msg_free(m);
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(err, "acmetop: cannot write the output\n");
        return 1;
    }
    return 0;
}
