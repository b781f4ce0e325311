/* view_dns: Vault's DNS providers (`:dns`, ui/view.h): name, type, the
 * identifier globs it covers, TTL, and the non-secret fields of its type
 * (region and hosted zone; zone, tenant, subscription, resource group,
 * environment; project and zone; nameserver, TSIG key name and algorithm).
 * Vault never returns the secrets and this view has no place for them. The
 * detail says which roles' names the provider fulfils (dns-01). */
#include "ui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/dns_provider.h"
#include "model/reltime.h"
#include "model/rfc3339.h"
#include "model/role_info.h"
#include "model/role_rules.h"
#include "model/strv.h"
#include "model/text_sanitize.h"
#include "model/xalloc.h"
#include "ui/console_state.h"
#include "ui/delete_flow.h"
#include "ui/form_flow.h"
#include "ui/dns_test_flow.h"
#include "ui/resource_actions.h"
#include "ui/resource_view.h"

#define LABEL_W 16
#define FIELDS_MAX 5

struct dns_row {
    struct dns_provider p;
    char *field_names[FIELDS_MAX], *field_values[FIELDS_MAX];
    size_t field_count;
    time_t created, updated;
};

/* The non-secret fields of each type (API.md). */
static const char *const type_fields[][FIELDS_MAX + 1] = {
    {"aws-route53", "region", "hosted_zone_id", NULL},
    {"azure-dns", "zone_name", "tenant_id", "subscription_id", "resource_group_name",
     "environment"},
    {"google-cloud-dns", "project", "zone_name", NULL},
    {"rfc2136", "nameserver", "tsig_key_name", "tsig_algorithm", NULL},
};

static void dns_free(void *obj)
{
    struct dns_row *d = obj;
    dns_provider_free(&d->p);
    for (size_t i = 0; i < d->field_count; i++) {
        free(d->field_names[i]);
        free(d->field_values[i]);
    }
    free(d);
}

static void *dns_parse(const struct resource_item *item)
{
    char *type = NULL, *name = NULL;
    if (dns_provider_split_key(item->key, &type, &name) != 0)
        return NULL;
    size_t n = strlen(item->json) + 16;
    char *body = xmalloc(n);
    snprintf(body, n, "{\"data\":%s}", item->json);
    struct dns_row *d = xcalloc(1, sizeof(*d));
    struct parse_error err;
    int rc = dns_provider_parse_response(body, strlen(body), type, name, &d->p, &err);
    free(body);
    free(type);
    free(name);
    if (rc != 0) {
        free(d);
        return NULL;
    }
    cJSON *data = cJSON_Parse(item->json);
    for (size_t t = 0; t < sizeof type_fields / sizeof type_fields[0]; t++) {
        if (!d->p.type || strcmp(type_fields[t][0], d->p.type) != 0)
            continue;
        for (size_t f = 1; f <= FIELDS_MAX && type_fields[t][f]; f++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(data, type_fields[t][f]);
            char *val = cJSON_IsString(v) ? xstrdup(v->valuestring)
                        : cJSON_IsNumber(v) ? xstrdup("(a number)") : xstrdup("");
            text_sanitize(val, false);
            d->field_names[d->field_count] = xstrdup(type_fields[t][f]);
            d->field_values[d->field_count++] = val;
        }
    }
    const cJSON *cd = cJSON_GetObjectItemCaseSensitive(data, "creation_date");
    const cJSON *ud = cJSON_GetObjectItemCaseSensitive(data, "last_updated_date");
    if (cJSON_IsString(cd))
        rfc3339_parse(cd->valuestring, &d->created);
    if (cJSON_IsString(ud))
        rfc3339_parse(ud->valuestring, &d->updated);
    cJSON_Delete(data);
    return d;
}

enum { COL_NAME, COL_TYPE, COL_IDENTIFIERS, COL_TTL, COL_FIELDS, COL_COUNT };

static const struct column_spec specs[COL_COUNT] = {
    [COL_NAME] = {10, 16, 0, false},        [COL_TYPE] = {8, 16, 2, false},
    [COL_IDENTIFIERS] = {14, 24, 0, false}, [COL_TTL] = {4, 5, 3, false},
    [COL_FIELDS] = {10, 20, 1, true},
};
static const char *const titles[COL_COUNT] = {"NAME", "TYPE", "IDENTIFIERS", "TTL", "SETTINGS"};

static void dns_cell(const struct console_state *c, const void *obj, size_t col, time_t now,
                     char *buf, size_t size, enum theme_slot *slot)
{
    (void)c;
    (void)now;
    const struct dns_row *d = obj;
    switch (col) {
    case COL_NAME: snprintf(buf, size, "%s", d->p.name ? d->p.name : "?"); break;
    case COL_TYPE: snprintf(buf, size, "%s", d->p.type ? d->p.type : "?"); break;
    case COL_IDENTIFIERS: {
        char *t = d->p.identifier_count
                      ? strv_join((const char *const *)d->p.identifiers, d->p.identifier_count,
                                  ", ")
                      : xstrdup("-");
        snprintf(buf, size, "%s", t);
        free(t);
        break;
    }
    case COL_TTL:
        if (d->p.ttl_s)
            snprintf(buf, size, "%lds", d->p.ttl_s);
        else
            snprintf(buf, size, "-");
        break;
    case COL_FIELDS: {
        size_t k = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < d->field_count && k < size; i++)
            k += (size_t)snprintf(buf + k, size - k, "%s%s=%s", i ? " " : "", d->field_names[i],
                                  d->field_values[i]);
        *slot = THEME_DIM;
        break;
    }
    default: break;
    }
}

/* The roles (as the roles view read them) with names this provider covers. */
static void covered_roles(struct textbuf *tb, const struct console_state *c,
                          const struct dns_row *d)
{
    const struct resource_list *l = &c->resources[RESOURCE_ROLES];
    if (!l->loaded) {
        textbuf_field(tb, "Roles", LABEL_W, THEME_DIM, "reading the roles...", -1);
        return;
    }
    size_t said = 0;
    for (size_t i = 0; i < l->count; i++) {
        cJSON *data = l->rows[i].item.json ? cJSON_Parse(l->rows[i].item.json) : NULL;
        struct role_info r;
        struct parse_error err;
        if (!data || role_info_parse(data, &r, &err) != 0) {
            cJSON_Delete(data);
            continue;
        }
        cJSON_Delete(data);
        for (size_t g = 0; g < d->p.identifier_count; g++) {
            const char *glob = d->p.identifiers[g];
            char sample[300];
            snprintf(sample, sizeof sample, strncmp(glob, "*.", 2) == 0 ? "www.%s" : "%s",
                     strncmp(glob, "*.", 2) == 0 ? glob + 2 : glob);
            if (role_rules_check(&r, sample, NULL, 0) != ROLE_RULE_ALLOWED)
                continue;
            char line[600];
            bool dns01 = role_rules_allows_type(&r, "dns-01");
            snprintf(line, sizeof line, "%s: names %s%s", l->rows[i].item.key, glob,
                     dns01 ? " (Vault fulfils their dns-01 challenges)"
                           : " (but the role does not allow dns-01)");
            textbuf_field(tb, said++ ? "" : "Roles", LABEL_W,
                          dns01 ? THEME_STATUS_VAULT : THEME_DIM, line, -1);
            break;
        }
        role_info_free(&r);
    }
    if (!said)
        textbuf_field(tb, "Roles", LABEL_W, THEME_DIM, "no role allows names it covers", -1);
}

static void dns_detail(struct textbuf *tb, const struct console_state *c, const void *obj,
                       time_t now)
{
    const struct dns_row *d = obj;
    char buf[1024];
    dns_provider_label(&d->p, buf, sizeof buf);
    textbuf_field(tb, "Provider", LABEL_W, THEME_VALUE, buf, -1);
    snprintf(buf, sizeof buf, "%s/config/dns/%s/%s",
             c->cfg && c->cfg->mount ? c->cfg->mount : "pki-external-ca", d->p.type, d->p.name);
    textbuf_field(tb, "Path", LABEL_W, THEME_NORMAL, buf, -1);
    for (size_t i = 0; i < d->p.identifier_count; i++)
        textbuf_field(tb, i ? "" : "Identifiers", LABEL_W, THEME_NORMAL, d->p.identifiers[i], -1);
    if (!d->p.identifier_count)
        textbuf_field(tb, "Identifiers", LABEL_W, THEME_WARNING, "none: it covers no name", -1);
    textbuf_field(tb, "", LABEL_W, THEME_DIM,
                  "Vault writes the dns-01 TXT record itself for these names; '*' stands for "
                  "one or more labels", -1);
    if (d->p.ttl_s)
        snprintf(buf, sizeof buf, "%ld seconds", d->p.ttl_s);
    else
        snprintf(buf, sizeof buf, "not said");
    textbuf_field(tb, "TTL", LABEL_W, THEME_NORMAL, buf, -1);
    for (size_t i = 0; i < d->field_count; i++)
        textbuf_field(tb, d->field_names[i], LABEL_W,
                      d->field_values[i][0] ? THEME_NORMAL : THEME_DIM,
                      d->field_values[i][0] ? d->field_values[i] : "-", -1);
    textbuf_field(tb, "Secrets", LABEL_W, THEME_DIM, "never returned by Vault", -1);
    covered_roles(tb, c, d);
    textbuf_time_field(tb, "Created", LABEL_W, d->created, now);
    textbuf_time_field(tb, "Updated", LABEL_W, d->updated, now);
}

static const struct resource_view providers = {
    .kind = RESOURCE_DNS,
    .noun = "DNS provider",
    .parse = dns_parse,
    .free_obj = dns_free,
    .specs = specs,
    .titles = titles,
    .column_count = COL_COUNT,
    .cell = dns_cell,
    .detail = dns_detail,
};

static void run_test(struct console_state *c, int key)
{
    (void)key;
    const struct dns_row *d = resource_view_selected(c, &providers);
    if (!d) {
        console_state_say(c, MESSAGE_ERROR, "no readable DNS provider selected");
        return;
    }
    dns_test_flow_begin(c, &d->p);
}

static void run_delete(struct console_state *c, int key)
{
    (void)key;
    const struct dns_row *d = resource_view_selected(c, &providers);
    if (!d) {
        console_state_say(c, MESSAGE_ERROR, "no readable DNS provider selected");
        return;
    }
    char key_[300];
    dns_provider_label(&d->p, key_, sizeof key_);
    struct delete_spec spec = {
        .kind = RESOURCE_DNS, .noun = "DNS provider", .name = d->p.name, .key = key_,
        .note = "Vault stops writing the dns-01 records of the names it covers: the operator "
                "deploys those challenges then. Vault refuses while an order uses it."};
    delete_flow_begin(c, &spec);
}

/* ---- the provider form (API.md: POST config/dns/:type/:name) ------------------------ */

static const char *const types[] = {"aws-route53", "azure-dns", "google-cloud-dns", "rfc2136"};
static const char *const tsig_algorithms[] = {"hmac-sha1", "hmac-sha224", "hmac-sha256",
                                              "hmac-sha384", "hmac-sha512"};
#define COMMON_FIELDS 4 /* type, name, identifiers, ttl */

/* The fields of the type chosen in field 0, after the common ones. */
static void form_type_fields(struct form_spec *spec, size_t changed)
{
    if (changed != 0)
        return; /* another choice (the TSIG algorithm): the fields stay */
    struct form_field *f = spec->fields;
    const char *type = f[0].value;
    size_t n = COMMON_FIELDS;
#define ADD(...) f[n++] = (struct form_field){__VA_ARGS__}
    if (strcmp(type, "aws-route53") == 0) {
        ADD(.key = "region", .label = "Region", .help = "the AWS region (e.g. us-east-1)",
            .kind = FORM_TEXT);
        ADD(.key = "hosted_zone_id", .label = "Hosted zone ID", .help = "the Route53 zone",
            .kind = FORM_TEXT);
        ADD(.key = "secret_access_key", .label = "Secret access key",
            .help = "the AWS secret key (typed masked, never shown)", .kind = FORM_SECRET);
    } else if (strcmp(type, "azure-dns") == 0) {
        ADD(.key = "zone_name", .label = "Zone name", .help = "the DNS zone", .kind = FORM_TEXT,
            .required = true);
        ADD(.key = "tenant_id", .label = "Tenant ID", .help = "the Azure tenant",
            .kind = FORM_TEXT);
        ADD(.key = "subscription_id", .label = "Subscription ID",
            .help = "the Azure subscription", .kind = FORM_TEXT);
        ADD(.key = "resource_group_name", .label = "Resource group",
            .help = "the zone's resource group", .kind = FORM_TEXT);
        ADD(.key = "environment", .label = "Environment",
            .help = "the Azure cloud (empty: the public one)", .kind = FORM_TEXT);
        ADD(.key = "client_secret", .label = "Client secret",
            .help = "the service principal's secret (typed masked, never shown)",
            .kind = FORM_SECRET);
    } else if (strcmp(type, "google-cloud-dns") == 0) {
        ADD(.key = "project", .label = "Project", .help = "the Google Cloud project",
            .kind = FORM_TEXT, .required = true);
        ADD(.key = "zone_name", .label = "Zone name", .help = "the managed zone",
            .kind = FORM_TEXT);
        ADD(.key = "credentials", .label = "Credentials file",
            .help = "the service account's JSON key file (read, sent, wiped; never shown)",
            .kind = FORM_FILE, .any_text = true);
    } else {
        ADD(.key = "nameserver", .label = "Nameserver",
            .help = "the DNS server that takes the updates, IP:port", .kind = FORM_TEXT,
            .required = true, .check = form_check_host_port);
        ADD(.key = "tsig_key_name", .label = "TSIG key name",
            .help = "the TSIG key's name (e.g. vault-acme.)", .kind = FORM_TEXT);
        ADD(.key = "tsig_algorithm", .label = "TSIG algorithm", .help = "the TSIG algorithm",
            .kind = FORM_CHOICE, .choices = tsig_algorithms, .choice_count = 5);
        snprintf(f[n - 1].value, sizeof f[n - 1].value, "hmac-sha1");
        ADD(.key = "tsig_secret", .label = "TSIG secret",
            .help = "the TSIG key, base64 (typed masked, never shown)", .kind = FORM_SECRET,
            .check = form_check_base64);
    }
#undef ADD
    spec->field_count = n;
}

/* The form, empty (d NULL) or with provider d's values (an edit: type and
 * name fixed; the secret must be typed again, Vault never returns it). */
static void provider_form(struct console_state *c, const struct dns_row *d)
{
    struct form_spec spec = {.title = d ? "Edit DNS provider" : "New DNS provider",
                             .noun = "DNS provider", .kind = RESOURCE_DNS, .method = "POST",
                             .path_prefix = "config/dns/", .path_field = {0, 1},
                             .on_choice = form_type_fields};
    struct form_field *f = spec.fields;
    f[0] = (struct form_field){.label = "Type", .help = "which DNS service Vault writes to",
                               .kind = FORM_CHOICE, .choices = types, .choice_count = 4,
                               .required = true, .fixed = d != NULL};
    f[1] = (struct form_field){.label = "Name", .help = "the provider's name (no '/')",
                               .kind = FORM_TEXT, .required = true, .fixed = d != NULL,
                               .check = form_check_name};
    f[2] = (struct form_field){.key = "identifiers", .label = "Identifiers",
                               .help = "the names it covers, commas between; a '*' only as the "
                                       "leftmost label (*.auto.example.net)",
                               .kind = FORM_LIST, .required = true, .check = form_check_globs};
    f[3] = (struct form_field){.key = "ttl", .label = "TTL",
                               .help = "of the TXT records (e.g. 60s; empty: Vault's default)",
                               .kind = FORM_TEXT, .check = form_check_duration};
    snprintf(f[0].value, sizeof f[0].value, "%s", d && d->p.type ? d->p.type : "rfc2136");
    form_type_fields(&spec, 0);
    if (d) {
        snprintf(f[1].value, sizeof f[1].value, "%s", d->p.name);
        char *globs = strv_join((const char *const *)d->p.identifiers, d->p.identifier_count, ",");
        snprintf(f[2].value, sizeof f[2].value, "%s", globs);
        free(globs);
        if (d->p.ttl_s)
            snprintf(f[3].value, sizeof f[3].value, "%lds", d->p.ttl_s);
        for (size_t i = COMMON_FIELDS; i < spec.field_count; i++)
            for (size_t j = 0; j < d->field_count; j++)
                if (f[i].key && strcmp(f[i].key, d->field_names[j]) == 0 && d->field_values[j][0])
                    snprintf(f[i].value, sizeof f[i].value, "%s", d->field_values[j]);
    }
    form_flow_begin(c, &spec);
}

static void run_add(struct console_state *c, int key)
{
    (void)key;
    provider_form(c, NULL);
}

static void run_edit(struct console_state *c, int key)
{
    (void)key;
    const struct dns_row *d = resource_view_selected(c, &providers);
    if (!d) {
        console_state_say(c, MESSAGE_ERROR, "no readable DNS provider selected");
        return;
    }
    provider_form(c, d);
}

static const struct action actions[] = {
    RESOURCE_ACTION_ROWS,
    {"add-provider", {'a', 0}, "a", "Add", 6,
     "new DNS provider of any of the four types (secrets typed masked, never shown)", true,
     run_add, ACTION_WRITES},
    {"edit-provider", {'e', 0}, "e", NULL, 99,
     "edit the selected DNS provider (type and name fixed; its secret typed again)", true,
     run_edit, ACTION_WRITES},
    {"delete-provider", {'D', 0}, "D", "Delete", 9,
     "delete the selected DNS provider (type its name); refused while an order uses it", true,
     run_delete, ACTION_WRITES},
    {"test-provider", {'T', 0}, "T", "Test", 8,
     "test the selected provider (dns/test/workflow): pick an identifier, keep or remove the "
     "record", true, run_test, ACTION_WRITES},
};

static void dns_draw(struct console_state *c, const struct layout *l, time_t now,
                     struct tick *tick)
{
    resource_view_draw(c, &providers, l, now, tick);
}

static void dns_enter(struct console_state *c)
{
    resource_view_enter(c, &providers);
    const struct resource_list *roles = &c->resources[RESOURCE_ROLES];
    if (!roles->loaded && !roles->pending) /* the detail names the roles it serves */
        resource_view_read_kind(c, RESOURCE_ROLES);
}

static long dns_timer(struct console_state *c, const struct layout *l, long long now_ms)
{
    (void)l;
    return resource_view_timer(c, &providers, now_ms);
}

const struct view_ops view_dns = {
    .name = "dns",
    .title = "DNS providers",
    .help = "Vault's DNS providers: for the names their identifier globs cover, Vault "
            "writes the dns-01 TXT record itself. TYPE is aws-route53, azure-dns, "
            "google-cloud-dns or rfc2136; SETTINGS are the type's fields without secrets "
            "(Vault never returns those). Read on entering the view, every 5 minutes while "
            "it is shown, and on r.",
    .actions = actions,
    .action_count = sizeof actions / sizeof actions[0],
    .draw = dns_draw,
    .enter = dns_enter,
    .after_input = NULL,
    .timer = dns_timer,
    .resource = &providers,
};
