/* view_roles: the roles of the engine (`:roles`, ui/view.h): a list with
 * each role's account, allowed domains and options, challenge types, key
 * type, CN population and the orders still active on it (from the orders
 * acmetop knows); the detail says what the role allows in words, applies
 * the matching rules (model/role_rules.h) to example names of each allowed
 * domain, warns about a domain that matches nothing, and says which names a
 * DNS provider of Vault's would fulfil for it (model/dns_provider.h). */
#include "ui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/dns_provider.h"
#include "model/order_status.h"
#include "model/reltime.h"
#include "model/rfc3339.h"
#include "model/role_info.h"
#include "model/role_rules.h"
#include "model/strv.h"
#include "model/xalloc.h"
#include "ui/console_state.h"
#include "ui/delete_flow.h"
#include "ui/form_flow.h"
#include "ui/order_form.h"
#include "ui/resource_actions.h"
#include "ui/resource_view.h"

#define LABEL_W 13

static void *roles_parse(const struct resource_item *item)
{
    cJSON *data = cJSON_Parse(item->json);
    struct role_info *r = xcalloc(1, sizeof(*r));
    struct parse_error err;
    int rc = role_info_parse(data, r, &err);
    cJSON_Delete(data);
    if (rc != 0) {
        role_info_free(r);
        free(r);
        return NULL;
    }
    if (!r->name)
        r->name = xstrdup(item->key);
    return r;
}

static void roles_free(void *obj)
{
    role_info_free(obj);
    free(obj);
}

/* Orders acmetop knows of this role that are not finished. */
static size_t active_orders(const struct console_state *c, const char *role, char *first,
                            size_t size)
{
    size_t n = 0;
    if (first && size)
        first[0] = '\0';
    for (size_t i = 0; i < order_store_count(c->store); i++) {
        const struct order *o = order_store_at(c->store, i);
        if (!o->role || strcmp(o->role, role) != 0 || order_status_is_terminal(o->status))
            continue;
        if (n == 0 && first)
            snprintf(first, size, "%s", o->id);
        n++;
    }
    return n;
}

static char *joined(char **v, size_t n, const char *none)
{
    return n ? strv_join((const char *const *)v, n, ", ") : xstrdup(none);
}

enum { COL_NAME, COL_ACCOUNT, COL_DOMAINS, COL_TYPES, COL_KEY, COL_CN, COL_ACTIVE, COL_COUNT };

static const struct column_spec specs[COL_COUNT] = {
    [COL_NAME] = {10, 16, 0, false},   [COL_ACCOUNT] = {8, 16, 3, false},
    [COL_DOMAINS] = {14, 20, 0, true}, [COL_TYPES] = {10, 26, 2, false},
    [COL_KEY] = {8, 8, 4, false},      [COL_CN] = {9, 9, 5, false},
    [COL_ACTIVE] = {6, 6, 1, false},
};
static const char *const titles[COL_COUNT] = {"NAME", "ACCOUNT", "DOMAINS", "CHALLENGES",
                                              "KEY", "CN", "ACTIVE"};

static void roles_cell(const struct console_state *c, const void *obj, size_t col, time_t now,
                       char *buf, size_t size, enum theme_slot *slot)
{
    (void)now;
    const struct role_info *r = obj;
    char *t = NULL;
    switch (col) {
    case COL_NAME: snprintf(buf, size, "%s", r->name); break;
    case COL_ACCOUNT:
        snprintf(buf, size, "%s", r->acme_account_name ? r->acme_account_name : "-");
        break;
    case COL_DOMAINS:
        t = role_rules_domains_text(r);
        snprintf(buf, size, "%s", t);
        break;
    case COL_TYPES:
        t = joined(r->allowed_challenge_types, r->allowed_challenge_type_count, "all three");
        snprintf(buf, size, "%s", t);
        break;
    case COL_KEY:
        snprintf(buf, size, "%s", r->csr_generate_key_type ? r->csr_generate_key_type : "ec-256");
        break;
    case COL_CN:
        snprintf(buf, size, "%s",
                 r->csr_identifier_population ? r->csr_identifier_population : "cn_first");
        *slot = THEME_DIM;
        break;
    case COL_ACTIVE: {
        size_t n = active_orders(c, r->name, NULL, 0);
        snprintf(buf, size, "%zu", n);
        *slot = n ? THEME_NORMAL : THEME_DIM;
        break;
    }
    default: break;
    }
    free(t);
}

/* ---- the detail ------------------------------------------------------------ */

static bool has_option(const struct role_info *r, const char *opt)
{
    for (size_t i = 0; i < r->allowed_domain_option_count; i++)
        if (strcmp(r->allowed_domain_options[i], opt) == 0)
            return true;
    return false;
}

/* What one allowed domain lets through, in words. */
static void domain_words(const struct role_info *r, const char *d, char *buf, size_t size)
{
    if (strstr(d, "{{")) {
        snprintf(buf, size, "an ACL template: Vault fills it in from the token's identity "
                            "(not judged here)");
        return;
    }
    if (strchr(d, '*') || strchr(d, '?')) {
        if (has_option(r, "globs"))
            snprintf(buf, size, "names matching the pattern (globs: '*' also spans dots)%s",
                     has_option(r, "wildcards") ? "; wildcard names *.NAME of those too" : "");
        else
            snprintf(buf, size, "holds '*' or '?' but the role has no \"globs\": "
                                "it is not a pattern");
        return;
    }
    buf[0] = '\0';
    size_t k = 0;
    if (has_option(r, "bare_domains"))
        k += (size_t)snprintf(buf + k, size - k, "%s itself", d);
    if (has_option(r, "subdomains") && k < size)
        k += (size_t)snprintf(buf + k, size - k, "%sany name below it", k ? ", " : "");
    if (has_option(r, "wildcards") && k < size)
        k += (size_t)snprintf(buf + k, size - k, "%s*.NAME for each of those names", k ? "; " : "");
    if (!k)
        snprintf(buf, size, "nothing: neither bare_domains nor subdomains is set");
}

/* Example names for one allowed domain: the domain, names below it, a
 * wildcard; a pattern's '*' and '?' filled in. */
static size_t examples_of(const char *d, char ex[6][300])
{
    size_t n = 0;
    if (strchr(d, '*') || strchr(d, '?')) {
        char filled[256];
        size_t k = 0;
        for (const char *p = d; *p && k + 4 < sizeof filled; p++) {
            if (*p == '*') {
                memcpy(filled + k, "www", 3);
                k += 3;
            } else {
                filled[k++] = *p == '?' ? 'a' : *p;
            }
        }
        filled[k] = '\0';
        snprintf(ex[n++], 300, "%s", filled);
        if (strncmp(d, "*.", 2) == 0) {
            snprintf(ex[n++], 300, "%s", d + 2);
            snprintf(ex[n++], 300, "%s", d);
        }
        return n;
    }
    snprintf(ex[n++], 300, "%s", d);
    snprintf(ex[n++], 300, "www.%s", d);
    snprintf(ex[n++], 300, "a.b.%s", d);
    snprintf(ex[n++], 300, "*.%s", d);
    snprintf(ex[n++], 300, "*.www.%s", d);
    return n;
}

static void matching(struct textbuf *tb, const struct role_info *r)
{
    if (r->allowed_domain_count == 0) {
        textbuf_field(tb, "Allows", LABEL_W, THEME_NORMAL,
                      "any name as far as acmetop knows: no allowed_domains (Vault decides)", -1);
        return;
    }
    for (size_t i = 0; i < r->allowed_domain_count; i++) {
        const char *d = r->allowed_domains[i];
        char words[600], line[800];
        domain_words(r, d, words, sizeof words);
        snprintf(line, sizeof line, "%s: %s", d, words);
        textbuf_field(tb, i == 0 ? "Allows" : "", LABEL_W, THEME_NORMAL, line, -1);
        if (strstr(d, "{{"))
            continue;
        /* the rules applied to examples of this domain alone */
        struct role_info one = *r;
        char *only[1] = {(char *)d};
        one.allowed_domains = only;
        one.allowed_domain_count = 1;
        char ex[6][300];
        size_t n = examples_of(d, ex), allowed = 0;
        for (size_t k = 0; k < n; k++) {
            char why[ROLE_RULES_WHY_MAX];
            enum role_rule rule = role_rules_check(&one, ex[k], why, sizeof why);
            bool ok = rule == ROLE_RULE_ALLOWED;
            allowed += ok;
            struct tb_line *l = textbuf_line(tb, -1);
            textbuf_addf(l, THEME_SLOT_COUNT, "%*s  %-32s ", LABEL_W, "", ex[k]);
            textbuf_add(l, ok ? THEME_OK : THEME_DIM,
                        ok ? "allowed" : rule == ROLE_RULE_INVALID ? "not a DNS name" : "denied");
        }
        if (allowed == 0) {
            char warn[700];
            if ((strchr(d, '*') || strchr(d, '?')) && !has_option(r, "globs"))
                snprintf(warn, sizeof warn,
                         "%s is allowed without \"globs\"%s: it matches nothing (add globs to "
                         "allowed_domain_options, or allow %s with subdomains)",
                         d, has_option(r, "wildcards") ? "" : " or \"wildcards\"",
                         strncmp(d, "*.", 2) == 0 ? d + 2 : "its domain");
            else
                snprintf(warn, sizeof warn, "%s matches nothing with these options", d);
            textbuf_field(tb, "Warning", LABEL_W, THEME_WARNING, warn, -1);
        }
    }
}

/* Which names a DNS provider of Vault's would fulfil (dns-01) for the role. */
static void providers(struct textbuf *tb, const struct console_state *c, const struct role_info *r)
{
    if (!c->dns.known) {
        textbuf_field(tb, "DNS", LABEL_W, THEME_DIM,
                      "Vault's DNS providers are not known (not read yet, or the token may not "
                      "read config/dns)", -1);
        return;
    }
    bool dns01 = role_rules_allows_type(r, "dns-01");
    size_t said = 0;
    for (size_t i = 0; i < c->dns.count; i++) {
        const struct dns_provider *p = &c->dns.items[i];
        for (size_t g = 0; g < p->identifier_count; g++) {
            const char *glob = p->identifiers[g];
            char sample[300];
            if (strncmp(glob, "*.", 2) == 0)
                snprintf(sample, sizeof sample, "www.%s", glob + 2);
            else
                snprintf(sample, sizeof sample, "%s", glob);
            if (role_rules_check(r, sample, NULL, 0) != ROLE_RULE_ALLOWED &&
                role_rules_check(r, glob, NULL, 0) != ROLE_RULE_ALLOWED)
                continue;
            char label[200], line[700];
            dns_provider_label(p, label, sizeof label);
            if (dns01)
                snprintf(line, sizeof line, "%s: Vault fulfils dns-01 itself through %s", glob,
                         label);
            else
                snprintf(line, sizeof line, "%s: covered by %s, but the role does not allow "
                                            "dns-01, so the provider is never used", glob, label);
            textbuf_field(tb, said++ ? "" : "DNS", LABEL_W, dns01 ? THEME_STATUS_VAULT : THEME_DIM,
                          line, -1);
        }
    }
    if (!said)
        textbuf_field(tb, "DNS", LABEL_W, THEME_NORMAL,
                      "no DNS provider covers this role's names: the operator deploys every "
                      "challenge", -1);
}

static void roles_detail(struct textbuf *tb, const struct console_state *c, const void *obj,
                         time_t now)
{
    const struct role_info *r = obj;
    char buf[1024];
    textbuf_field(tb, "Role", LABEL_W, THEME_VALUE, r->name, -1);
    snprintf(buf, sizeof buf, "%s/role/%s", c->cfg && c->cfg->mount ? c->cfg->mount
                                                                     : "pki-external-ca",
             r->name);
    textbuf_field(tb, "Path", LABEL_W, THEME_NORMAL, buf, -1);
    textbuf_field(tb, "Account", LABEL_W, THEME_NORMAL,
                  r->acme_account_name ? r->acme_account_name : "-", -1);
    matching(tb, r);
    char *t = joined(r->allowed_challenge_types, r->allowed_challenge_type_count,
                     "http-01, dns-01, tls-alpn-01 (the default: all three)");
    textbuf_field(tb, "Challenges", LABEL_W, THEME_NORMAL, t, -1);
    free(t);
    providers(tb, c, r);
    const char *kt = r->csr_generate_key_type ? r->csr_generate_key_type : "ec-256";
    snprintf(buf, sizeof buf, "%s: the key Vault generates for identifier orders", kt);
    textbuf_field(tb, "Key type", LABEL_W, THEME_NORMAL, buf, -1);
    bool sans = r->csr_identifier_population &&
                strcmp(r->csr_identifier_population, "sans_only") == 0;
    textbuf_field(tb, "CN", LABEL_W, THEME_NORMAL,
                  sans ? "sans_only: the names go in the SANs only, the CN stays empty"
                       : "cn_first: the first name is also the certificate's CN", -1);
    char first[128];
    size_t n = active_orders(c, r->name, first, sizeof first);
    if (n)
        snprintf(buf, sizeof buf, "%zu active order%s acmetop knows (e.g. %s)", n,
                 n == 1 ? "" : "s", first);
    else
        snprintf(buf, sizeof buf, "none that acmetop knows");
    textbuf_field(tb, "Active", LABEL_W, n ? THEME_NORMAL : THEME_DIM, buf, -1);
    textbuf_time_field(tb, "Created", LABEL_W, r->created, now);
    textbuf_time_field(tb, "Updated", LABEL_W, r->last_updated, now);
}

static const struct resource_view roles = {
    .kind = RESOURCE_ROLES,
    .noun = "role",
    .parse = roles_parse,
    .free_obj = roles_free,
    .specs = specs,
    .titles = titles,
    .column_count = COL_COUNT,
    .cell = roles_cell,
    .detail = roles_detail,
};

static void run_delete(struct console_state *c, int key)
{
    (void)key;
    const struct role_info *r = resource_view_selected(c, &roles);
    if (!r) {
        console_state_say(c, MESSAGE_ERROR, "no readable role selected");
        return;
    }
    char **ids = NULL;
    size_t n = 0;
    for (size_t i = 0; i < order_store_count(c->store); i++) {
        const struct order *o = order_store_at(c->store, i);
        if (o->role && strcmp(o->role, r->name) == 0 && !order_status_is_terminal(o->status))
            strv_push(&ids, &n, o->id);
    }
    struct delete_spec spec = {.kind = RESOURCE_ROLES, .noun = "role", .name = r->name,
                               .key = r->name, .active = (const char *const *)ids,
                               .active_count = n, .force_exists = true, .note = NULL};
    delete_flow_begin(c, &spec);
    strv_free(ids, n);
}

static void run_new_order(struct console_state *c, int key)
{
    (void)key;
    const struct role_info *r = resource_view_selected(c, &roles);
    if (!r) {
        console_state_say(c, MESSAGE_ERROR, "no readable role selected");
        return;
    }
    order_form_begin_role(c, r->name);
}

/* ---- the role form (API.md: POST role/:name) ------------------------------------ */

static const char *const key_types[] = {"ec-256", "ec-384", "ec-521", "rsa-2048", "rsa-4096"};
static const char *const populations[] = {"cn_first", "sans_only"};
static const char *const domain_options[] = {"bare_domains", "subdomains", "wildcards", "globs"};
static const char *const challenge_types[] = {"http-01", "dns-01", "tls-alpn-01"};

static char *joined_or_empty(char **v, size_t n)
{
    return n ? strv_join((const char *const *)v, n, ",") : xstrdup("");
}

/* The form, empty (r NULL) or with role r's values (an edit: name and
 * account fixed, as the API cannot change the account). */
static void role_form(struct console_state *c, const struct role_info *r)
{
    struct form_spec spec = {.title = r ? "Edit role" : "New role", .noun = "role",
                             .kind = RESOURCE_ROLES, .method = "POST", .path_prefix = "role/",
                             .path_field = {0, 0}};
    struct form_field *f = spec.fields;
    f[0] = (struct form_field){.key = NULL, .label = "Name", .help = "the role's name (no '/')",
                               .kind = FORM_TEXT, .required = true, .fixed = r != NULL,
                               .check = form_check_name};
    f[1] = (struct form_field){.key = "acme_account_name", .label = "ACME account",
                               .help = "the account its orders go to (cannot change later)",
                               .kind = FORM_TEXT, .required = true, .fixed = r != NULL,
                               .check = form_check_name};
    f[2] = (struct form_field){.key = "allowed_domains", .label = "Allowed domains",
                               .help = "domains or patterns, commas between (example.com, "
                                       "*.apps.example.com)",
                               .kind = FORM_LIST, .check = form_check_domains};
    f[3] = (struct form_field){.key = "allowed_domain_options", .label = "Domain options",
                               .help = "bare_domains, subdomains, wildcards, globs (commas)",
                               .kind = FORM_LIST, .choices = domain_options,
                               .choice_count = 4};
    f[4] = (struct form_field){.key = "allowed_challenge_types", .label = "Challenge types",
                               .help = "http-01, dns-01, tls-alpn-01 (commas; empty: all three)",
                               .kind = FORM_LIST, .choices = challenge_types,
                               .choice_count = 3};
    f[5] = (struct form_field){.key = "csr_generate_key_type", .label = "Key type",
                               .help = "the key Vault generates for identifier orders",
                               .kind = FORM_CHOICE, .choices = key_types, .choice_count = 5,
                               .required = true};
    f[6] = (struct form_field){.key = "csr_identifier_population", .label = "CN population",
                               .help = "cn_first: the first name is the CN; sans_only: SANs only",
                               .kind = FORM_CHOICE, .choices = populations, .choice_count = 2,
                               .required = true};
    spec.field_count = 7;
    snprintf(f[5].value, sizeof f[5].value, "ec-256");
    snprintf(f[6].value, sizeof f[6].value, "cn_first");
    /* the account: the first one read, when the accounts were read */
    const struct resource_list *accts = &c->resources[RESOURCE_ACCOUNTS];
    if (!r && accts->count)
        snprintf(f[1].value, sizeof f[1].value, "%s", accts->rows[0].item.key);
    if (r) {
        char *t;
        snprintf(f[0].value, sizeof f[0].value, "%s", r->name);
        snprintf(f[1].value, sizeof f[1].value, "%s",
                 r->acme_account_name ? r->acme_account_name : "");
        t = joined_or_empty(r->allowed_domains, r->allowed_domain_count);
        snprintf(f[2].value, sizeof f[2].value, "%s", t);
        free(t);
        t = joined_or_empty(r->allowed_domain_options, r->allowed_domain_option_count);
        snprintf(f[3].value, sizeof f[3].value, "%s", t);
        free(t);
        t = joined_or_empty(r->allowed_challenge_types, r->allowed_challenge_type_count);
        snprintf(f[4].value, sizeof f[4].value, "%s", t);
        free(t);
        if (r->csr_generate_key_type)
            snprintf(f[5].value, sizeof f[5].value, "%s", r->csr_generate_key_type);
        if (r->csr_identifier_population)
            snprintf(f[6].value, sizeof f[6].value, "%s", r->csr_identifier_population);
    }
    form_flow_begin(c, &spec);
}

static void run_add(struct console_state *c, int key)
{
    (void)key;
    role_form(c, NULL);
}

static void run_edit(struct console_state *c, int key)
{
    (void)key;
    const struct role_info *r = resource_view_selected(c, &roles);
    if (!r) {
        console_state_say(c, MESSAGE_ERROR, "no readable role selected");
        return;
    }
    role_form(c, r);
}

static const struct action actions[] = {
    RESOURCE_ACTION_ROWS,
    {"add-role", {'a', 0}, "a", "Add", 6,
     "new role: name, account, allowed domains and options, challenge types, key type, CN "
     "(checked before sending)", true, run_add, ACTION_WRITES},
    {"edit-role", {'e', 0}, "e", NULL, 99,
     "edit the selected role (the same form; name and account fixed)", true, run_edit, ACTION_WRITES},
    {"new-order-on-role", {'n', 0}, "n", "New order", 7,
     "new order on the selected role: type identifiers or a CSR file (then the order list)",
     false, run_new_order, ACTION_WRITES},
    {"delete-role", {'D', 0}, "D", "Delete", 8,
     "delete the selected role: type its name (and force when it has active orders)", true,
     run_delete, ACTION_WRITES},
};

static void roles_draw(struct console_state *c, const struct layout *l, time_t now,
                       struct tick *tick)
{
    resource_view_draw(c, &roles, l, now, tick);
}

static void roles_enter(struct console_state *c)
{
    resource_view_enter(c, &roles);
}

static long roles_timer(struct console_state *c, const struct layout *l, long long now_ms)
{
    (void)l;
    return resource_view_timer(c, &roles, now_ms);
}

const struct view_ops view_roles = {
    .name = "roles",
    .title = "Roles",
    .help = "The roles of the engine: which account orders go to, which names may be "
            "ordered, which challenge types the operator may use. The detail applies the "
            "role's matching rules to example names of each allowed domain (and warns about "
            "a domain that matches nothing) and says which names a DNS provider of Vault's "
            "fulfils. Read on entering the view, every 5 minutes while it is shown, and on r.",
    .actions = actions,
    .action_count = sizeof actions / sizeof actions[0],
    .draw = roles_draw,
    .enter = roles_enter,
    .after_input = NULL,
    .timer = roles_timer,
    .resource = &roles,
};
