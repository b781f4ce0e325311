/* copy_command: the read and recreate commands of an object (see
 * copy_command.h). */
#include "model/copy_command.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/dns_provider.h"
#include "model/strbuf.h"
#include "model/xalloc.h"

char *copy_command_shell_quote(const char *s)
{
    bool plain = *s != '\0';
    for (const char *p = s; *p && plain; p++)
        plain = isalnum((unsigned char)*p) || strchr("_./:=,@%+-", *p);
    if (plain)
        return xstrdup(s);
    struct strbuf o = {0};
    strbuf_addf(&o, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            strbuf_addf(&o, "'\\''");
        else
            strbuf_addf(&o, "%c", *p);
    }
    strbuf_addf(&o, "'");
    return o.s;
}

/* A Terraform / HCL string literal. */
static void add_hcl_string(struct strbuf *o, const char *s)
{
    strbuf_addf(o, "\"");
    for (const char *p = s; *p; p++) {
        if (*p == '"' || *p == '\\')
            strbuf_addf(o, "\\%c", *p);
        else if (*p == '\n')
            strbuf_addf(o, "\\n");
        else if (p[0] == '$' && p[1] == '{')
            strbuf_addf(o, "$$");
        else if (p[0] == '%' && p[1] == '{')
            strbuf_addf(o, "%%%%");
        else
            strbuf_addf(o, "%c", *p);
    }
    strbuf_addf(o, "\"");
}

/* A name Terraform takes as a resource label. */
static void add_label(struct strbuf *o, const char *prefix, const char *name)
{
    strbuf_addf(o, "%s", prefix);
    for (const char *p = name; *p; p++)
        strbuf_addf(o, "%c", isalnum((unsigned char)*p) ? *p : '_');
}

/* ---- reading ------------------------------------------------------------------- */

static void read_lines(struct strbuf *o, const struct copy_place *at, const char *path)
{
    bool ns = at->namespace_ && *at->namespace_;
    char *qaddr = copy_command_shell_quote(at->addr);
    char *qns = ns ? copy_command_shell_quote(at->namespace_) : NULL;
    char *qpath = copy_command_shell_quote(path);
    strbuf_addf(o, "vault read -address=%s%s%s -format=json %s\n", qaddr, ns ? " -namespace=" : "",
        ns ? qns : "", qpath);
    char *url = xmalloc(strlen(at->addr) + strlen(path) + 8);
    sprintf(url, "%s/v1/%s", at->addr, path);
    char *qurl = copy_command_shell_quote(url);
    strbuf_addf(o, "curl -sS --header \"X-Vault-Token: $VAULT_TOKEN\"");
    if (ns) {
        char *h = xmalloc(strlen(at->namespace_) + 32);
        sprintf(h, "X-Vault-Namespace: %s", at->namespace_);
        char *qh = copy_command_shell_quote(h);
        strbuf_addf(o, " --header %s", qh);
        free(qh);
        free(h);
    }
    strbuf_addf(o, " %s\n", qurl);
    free(qurl);
    free(url);
    free(qaddr);
    free(qns);
    free(qpath);
}

/* ---- recreating ------------------------------------------------------------------- */

/* Fields Vault sets itself or that say nothing to a write. */
static bool not_written(enum resource_kind kind, const char *field)
{
    static const char *const always[] = {"name", "creation_date", "last_updated_date", "mount"};
    for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
        if (strcmp(field, always[i]) == 0)
            return true;
    if (kind == RESOURCE_ACCOUNTS)
        return strcmp(field, "account_keys") == 0 || strcmp(field, "active_key_version") == 0 ||
               strcmp(field, "trusted_ca") == 0;
    if (kind == RESOURCE_DNS)
        return strcmp(field, "type") == 0;
    return false;
}

/* A field's value as `vault write` takes it ("a,b" for a list); NULL when
 * it has none worth writing. */
static char *cli_value(const cJSON *v)
{
    if (cJSON_IsString(v))
        return *v->valuestring ? xstrdup(v->valuestring) : NULL;
    if (cJSON_IsBool(v))
        return xstrdup(cJSON_IsTrue(v) ? "true" : "false");
    if (cJSON_IsNumber(v)) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", v->valuedouble);
        return xstrdup(buf);
    }
    if (cJSON_IsArray(v)) {
        struct strbuf o = {0};
        const cJSON *e;
        size_t n = 0;
        cJSON_ArrayForEach(e, v) if (cJSON_IsString(e)) strbuf_addf(&o, "%s%s", n++ ? "," : "",
                                                            e->valuestring);
        return o.s;
    }
    return NULL;
}

static void add_hcl_value(struct strbuf *o, const char *field, const cJSON *v)
{
    if (cJSON_IsString(v)) {
        add_hcl_string(o, v->valuestring);
    } else if (cJSON_IsBool(v)) {
        strbuf_addf(o, "%s", cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsNumber(v)) {
        if (strcmp(field, "ttl") == 0) /* the provider takes a duration string */
            strbuf_addf(o, "\"%.17gs\"", v->valuedouble);
        else
            strbuf_addf(o, "%.17g", v->valuedouble);
    } else if (cJSON_IsArray(v)) {
        strbuf_addf(o, "[");
        const cJSON *e;
        size_t n = 0;
        cJSON_ArrayForEach(e, v)
        {
            if (!cJSON_IsString(e))
                continue;
            strbuf_addf(o, "%s", n++ ? ", " : "");
            add_hcl_string(o, e->valuestring);
        }
        strbuf_addf(o, "]");
    }
}

static const char *const dns_secret[][2] = {
    {"aws-route53", "secret_access_key"},
    {"azure-dns", "client_secret"},
    {"google-cloud-dns", "credentials"},
    {"rfc2136", "tsig_secret"},
};

static const char *dns_secret_of(const char *type)
{
    for (size_t i = 0; i < sizeof dns_secret / sizeof dns_secret[0]; i++)
        if (type && strcmp(type, dns_secret[i][0]) == 0)
            return dns_secret[i][1];
    return NULL;
}

static const char *dns_tf_suffix(const char *type)
{
    if (!type)
        return NULL;
    if (strcmp(type, "aws-route53") == 0)
        return "aws_route53";
    if (strcmp(type, "azure-dns") == 0)
        return "azure";
    if (strcmp(type, "google-cloud-dns") == 0)
        return "gcp";
    if (strcmp(type, "rfc2136") == 0)
        return "rfc2136";
    return NULL;
}

/* The active key's type of an account (what a new registration takes). */
static const char *account_key_type(const cJSON *data)
{
    const cJSON *active = cJSON_GetObjectItemCaseSensitive(data, "active_key_version");
    const cJSON *keys = cJSON_GetObjectItemCaseSensitive(data, "account_keys");
    const cJSON *k;
    cJSON_ArrayForEach(k, keys)
    {
        const cJSON *ver = cJSON_GetObjectItemCaseSensitive(k, "key_version");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(k, "key_type");
        if (cJSON_IsNumber(active) && cJSON_IsNumber(ver) &&
            ver->valuedouble == active->valuedouble && cJSON_IsString(type))
            return type->valuestring;
    }
    return NULL;
}

char *copy_command_resource(const struct copy_place *at, enum resource_kind kind,
                            const char *key, const char *json)
{
    struct strbuf o = {0};
    char *type = NULL, *name = NULL;
    if (kind == RESOURCE_DNS) {
        if (dns_provider_split_key(key, &type, &name) != 0) {
            type = xstrdup("");
            name = xstrdup(key);
        }
    } else {
        name = xstrdup(key);
    }
    char *path = xmalloc(strlen(at->mount) + strlen(key) + 40);
    sprintf(path, "%s/%s/%s", at->mount, resource_kind_path(kind), key);
    static const char *const nouns[RESOURCE_KIND_COUNT] = {"role", "ACME account",
                                                           "DNS provider"};
    strbuf_addf(&o, "# %s %s: read it\n", nouns[kind], key);
    read_lines(&o, at, path);
    cJSON *data = json ? cJSON_Parse(json) : NULL;
    if (cJSON_IsObject(data)) {
        bool ns = at->namespace_ && *at->namespace_;
        char *qaddr = copy_command_shell_quote(at->addr);
        char *qns = ns ? copy_command_shell_quote(at->namespace_) : NULL;
        char *qpath = copy_command_shell_quote(path);
        strbuf_addf(&o, "# create it again (no secret value: fill in what a comment names)\n");
        strbuf_addf(&o, "vault write -address=%s%s%s %s", qaddr, ns ? " -namespace=" : "",
            ns ? qns : "", qpath);
        const cJSON *f;
        cJSON_ArrayForEach(f, data)
        {
            if (!f->string || not_written(kind, f->string) || resource_secret_field(f->string))
                continue;
            char *v = cli_value(f);
            if (!v)
                continue;
            char *pair = xmalloc(strlen(f->string) + strlen(v) + 2);
            sprintf(pair, "%s=%s", f->string, v);
            char *q = copy_command_shell_quote(pair);
            strbuf_addf(&o, " %s", q);
            free(q);
            free(pair);
            free(v);
        }
        const char *kt = kind == RESOURCE_ACCOUNTS ? account_key_type(data) : NULL;
        if (kt)
            strbuf_addf(&o, " key_type=%s", kt);
        const cJSON *ca = cJSON_GetObjectItemCaseSensitive(data, "trusted_ca");
        bool has_ca = kind == RESOURCE_ACCOUNTS && cJSON_IsString(ca) && *ca->valuestring;
        if (has_ca)
            strbuf_addf(&o, " trusted_ca=@trusted-ca.pem");
        const char *secret = kind == RESOURCE_DNS ? dns_secret_of(type) : NULL;
        if (secret)
            strbuf_addf(&o, " %s=\"$%s\"", secret, secret[0] == 't' ? "TSIG_SECRET" : "DNS_SECRET");
        strbuf_addf(&o, "\n");
        if (has_ca)
            strbuf_addf(&o, "# trusted-ca.pem: the account's trusted_ca (its raw answer, y)\n");
        if (secret)
            strbuf_addf(&o, "# %s: write-only, never returned by Vault: set $%s first\n", secret,
                secret[0] == 't' ? "TSIG_SECRET" : "DNS_SECRET");
        /* Terraform */
        const char *suffix = kind == RESOURCE_ROLES      ? "role"
                             : kind == RESOURCE_ACCOUNTS ? "acme_account"
                                                         : NULL;
        char tf_type[96] = "";
        if (suffix)
            snprintf(tf_type, sizeof tf_type, "vault_pki_external_ca_secret_backend_%s", suffix);
        else if (dns_tf_suffix(type))
            snprintf(tf_type, sizeof tf_type,
                     "vault_pki_external_ca_secret_backend_dns_provider_%s", dns_tf_suffix(type));
        if (tf_type[0]) {
            struct strbuf label = {0};
            add_label(&label, "", name);
            strbuf_addf(&o, "# Terraform (the Vault provider)\nresource \"%s\" \"%s\" {\n", tf_type,
                label.s);
            strbuf_addf(&o, "  mount = ");
            add_hcl_string(&o, at->mount);
            strbuf_addf(&o, "\n  name  = ");
            add_hcl_string(&o, name);
            strbuf_addf(&o, "\n");
            cJSON_ArrayForEach(f, data)
            {
                if (!f->string || not_written(kind, f->string) ||
                    resource_secret_field(f->string) ||
                    (cJSON_IsString(f) && !*f->valuestring))
                    continue;
                strbuf_addf(&o, "  %s = ", f->string);
                add_hcl_value(&o, f->string, f);
                strbuf_addf(&o, "\n");
            }
            if (kt) {
                strbuf_addf(&o, "  key_type = ");
                add_hcl_string(&o, kt);
                strbuf_addf(&o, "\n");
            }
            if (has_ca)
                strbuf_addf(&o, "  trusted_ca = file(\"trusted-ca.pem\")\n");
            if (secret)
                strbuf_addf(&o, "  # %s = var.%s (write-only: never returned by Vault)\n", secret,
                    secret);
            strbuf_addf(&o, "}\n");
            char *id = copy_command_shell_quote(path);
            strbuf_addf(&o, "terraform import %s.%s %s\n", tf_type, label.s, id);
            free(id);
            free(label.s);
        }
        free(qaddr);
        free(qns);
        free(qpath);
    }
    cJSON_Delete(data);
    free(path);
    free(type);
    free(name);
    return o.s;
}

char *copy_command_order(const struct copy_place *at, const char *role, const char *id,
                         const char *const *identifiers, size_t n, bool csr)
{
    struct strbuf o = {0};
    size_t plen = strlen(at->mount) + strlen(role) + strlen(id) + 40;
    char *path = xmalloc(plen);
    snprintf(path, plen, "%s/role/%s/order/%s/status", at->mount, role, id);
    strbuf_addf(&o, "# order %s of role %s: read it\n", id, role);
    read_lines(&o, at, path);
    bool ns = at->namespace_ && *at->namespace_;
    char *qaddr = copy_command_shell_quote(at->addr);
    char *qns = ns ? copy_command_shell_quote(at->namespace_) : NULL;
    snprintf(path, plen, "%s/role/%s/new-order", at->mount, role);
    char *qnew = copy_command_shell_quote(path);
    strbuf_addf(&o, "# order the same again\nvault write -address=%s%s%s %s", qaddr, ns ? " -namespace=" : "",
        ns ? qns : "", qnew);
    if (csr) {
        strbuf_addf(&o, " csr=@request.csr\n# request.csr: the CSR of the order (PEM)\n");
    } else {
        struct strbuf list = {0};
        for (size_t i = 0; i < n; i++)
            strbuf_addf(&list, "%s%s", i ? "," : "", identifiers[i]);
        char *pair = xmalloc((list.s ? strlen(list.s) : 0) + 16);
        sprintf(pair, "identifiers=%s", list.s ? list.s : "");
        char *q = copy_command_shell_quote(pair);
        strbuf_addf(&o, " %s\n", q);
        free(q);
        free(pair);
        free(list.s);
    }
    struct strbuf label = {0};
    char short_id[9];
    snprintf(short_id, sizeof short_id, "%s", id);
    add_label(&label, "order_", short_id);
    strbuf_addf(&o, "# Terraform (the Vault provider)\n"
            "resource \"vault_pki_external_ca_secret_backend_order\" \"%s\" {\n  mount     = ",
        label.s);
    add_hcl_string(&o, at->mount);
    strbuf_addf(&o, "\n  role_name = ");
    add_hcl_string(&o, role);
    strbuf_addf(&o, "\n");
    if (csr) {
        strbuf_addf(&o, "  csr       = file(\"request.csr\")\n");
    } else {
        strbuf_addf(&o, "  identifiers = [");
        for (size_t i = 0; i < n; i++) {
            strbuf_addf(&o, "%s", i ? ", " : "");
            add_hcl_string(&o, identifiers[i]);
        }
        strbuf_addf(&o, "]\n");
    }
    strbuf_addf(&o, "}\n");
    snprintf(path, plen, "%s/role/%s/order/%s", at->mount, role, id);
    char *qid = copy_command_shell_quote(path);
    strbuf_addf(&o, "terraform import vault_pki_external_ca_secret_backend_order.%s %s\n", label.s, qid);
    free(qid);
    free(label.s);
    free(qnew);
    free(qaddr);
    free(qns);
    free(path);
    return o.s;
}
