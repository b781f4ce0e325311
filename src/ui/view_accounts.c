/* view_accounts: the ACME accounts of the engine (`:accounts`, ui/view.h):
 * name, CA (the directory's host), contacts, active key version, its type
 * and age, with a warning when the active key is older than
 * account_key_max_age (the engine never rotates keys by itself); the
 * detail lists every key version with its creation date and the roles that
 * use the account (read from the roles, which entering this view reads once
 * when they were never read). */
#include "ui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/acme_account.h"
#include "model/reltime.h"
#include "model/rfc3339.h"
#include "model/role_info.h"
#include "model/strv.h"
#include "model/xalloc.h"
#include "ui/console_state.h"
#include "ui/delete_flow.h"
#include "ui/form_flow.h"
#include "ui/key_rotate_flow.h"
#include "ui/resource_actions.h"
#include "ui/resource_view.h"

#define LABEL_W 13
#define DEFAULT_MAX_AGE_DAYS 365

static void *accounts_parse(const struct resource_item *item)
{
    cJSON *data = cJSON_Parse(item->json);
    struct acme_account *a = xcalloc(1, sizeof(*a));
    struct parse_error err;
    int rc = acme_account_parse(data, a, &err);
    cJSON_Delete(data);
    if (rc != 0) {
        acme_account_free(a);
        free(a);
        return NULL;
    }
    if (!a->name)
        a->name = xstrdup(item->key);
    return a;
}

static void accounts_free(void *obj)
{
    acme_account_free(obj);
    free(obj);
}

static long max_age_days(const struct console_state *c)
{
    return c->cfg && c->cfg->account_key_max_age_days > 0 ? c->cfg->account_key_max_age_days
                                                          : DEFAULT_MAX_AGE_DAYS;
}

/* The host of a directory URL ("acme-v02.api.letsencrypt.org"). */
static void url_host(const char *url, char *buf, size_t size)
{
    const char *p = url ? strstr(url, "://") : NULL;
    p = p ? p + 3 : url ? url : "";
    size_t n = strcspn(p, "/?#");
    snprintf(buf, size, "%.*s", (int)n, p);
    if (!buf[0])
        snprintf(buf, size, "-");
}

static bool key_too_old(const struct console_state *c, const struct acme_account_key *k,
                        time_t now)
{
    return k && k->created && now - k->created > max_age_days(c) * 86400L;
}

enum { COL_NAME, COL_CA, COL_CONTACTS, COL_VERSION, COL_TYPE, COL_AGE, COL_COUNT };

static const struct column_spec specs[COL_COUNT] = {
    [COL_NAME] = {10, 18, 0, false},    [COL_CA] = {12, 28, 2, false},
    [COL_CONTACTS] = {10, 20, 3, true}, [COL_VERSION] = {4, 4, 4, false},
    [COL_TYPE] = {8, 8, 5, false},      [COL_AGE] = {8, 8, 0, false},
};
static const char *const titles[COL_COUNT] = {"NAME", "CA", "CONTACTS", "KEY", "TYPE",
                                              "KEY AGE"};

static void accounts_cell(const struct console_state *c, const void *obj, size_t col, time_t now,
                          char *buf, size_t size, enum theme_slot *slot)
{
    const struct acme_account *a = obj;
    const struct acme_account_key *k = acme_account_active_key(a);
    switch (col) {
    case COL_NAME: snprintf(buf, size, "%s", a->name); break;
    case COL_CA: url_host(a->directory_url, buf, size); break;
    case COL_CONTACTS: {
        char *t = a->email_contact_count
                      ? strv_join((const char *const *)a->email_contacts, a->email_contact_count,
                                  ", ")
                      : xstrdup("-");
        snprintf(buf, size, "%s", t);
        free(t);
        break;
    }
    case COL_VERSION: snprintf(buf, size, "v%lld", (long long)a->active_key_version); break;
    case COL_TYPE: snprintf(buf, size, "%s", k && k->key_type[0] ? k->key_type : "-"); break;
    case COL_AGE:
        if (!k || !k->created) {
            snprintf(buf, size, "-");
            *slot = THEME_DIM;
        } else {
            reltime_format_span((long long)(now - k->created), buf, size);
            if (key_too_old(c, k, now))
                *slot = THEME_WARNING;
        }
        break;
    default: break;
    }
}

/* The roles (as read by the roles view) whose account is name. */
static size_t roles_using(const struct console_state *c, const char *name, char *buf, size_t size)
{
    const struct resource_list *l = &c->resources[RESOURCE_ROLES];
    size_t n = 0, k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->count; i++) {
        cJSON *data = l->rows[i].item.json ? cJSON_Parse(l->rows[i].item.json) : NULL;
        const cJSON *acct = cJSON_GetObjectItemCaseSensitive(data, "acme_account_name");
        if (cJSON_IsString(acct) && strcmp(acct->valuestring, name) == 0 && k < size) {
            k += (size_t)snprintf(buf + k, size - k, "%s%s", n ? ", " : "", l->rows[i].item.key);
            n++;
        }
        cJSON_Delete(data);
    }
    return n;
}

static void accounts_detail(struct textbuf *tb, const struct console_state *c, const void *obj,
                            time_t now)
{
    const struct acme_account *a = obj;
    char buf[1600];
    textbuf_field(tb, "Account", LABEL_W, THEME_VALUE, a->name, -1);
    snprintf(buf, sizeof buf, "%s/config/acme-account/%s",
             c->cfg && c->cfg->mount ? c->cfg->mount : "pki-external-ca", a->name);
    textbuf_field(tb, "Path", LABEL_W, THEME_NORMAL, buf, -1);
    textbuf_field(tb, "Directory", LABEL_W, THEME_NORMAL,
                  a->directory_url ? a->directory_url : "-", -1);
    for (size_t i = 0; i < a->email_contact_count; i++)
        textbuf_field(tb, i ? "" : "Contacts", LABEL_W, THEME_NORMAL, a->email_contacts[i], -1);
    if (!a->email_contact_count)
        textbuf_field(tb, "Contacts", LABEL_W, THEME_DIM, "-", -1);
    snprintf(buf, sizeof buf, "%s", a->trusted_ca && *a->trusted_ca
                                        ? "a CA certificate of its own (PEM) verifies the CA"
                                        : "the system's CAs verify the CA");
    textbuf_field(tb, "Trusted CA", LABEL_W, THEME_NORMAL, buf, -1);
    const struct acme_account_key *active = acme_account_active_key(a);
    if (a->key_count == 0)
        textbuf_field(tb, "Keys", LABEL_W, THEME_DIM, "no key versions in Vault's answer", -1);
    for (size_t i = 0; i < a->key_count; i++) {
        const struct acme_account_key *k = &a->keys[i];
        char abs[RFC3339_BUF], rel[RELTIME_BUF];
        snprintf(buf, sizeof buf, "v%lld  %-8s  created %s (%s)%s", (long long)k->version,
                 k->key_type[0] ? k->key_type : "?",
                 k->created ? rfc3339_format(k->created, abs, sizeof abs) : "-",
                 k->created ? reltime_format(k->created, now, rel, sizeof rel) : "unknown",
                 k == active ? "  active" : "");
        textbuf_field(tb, i ? "" : "Keys", LABEL_W, k == active ? THEME_NORMAL : THEME_DIM, buf,
                      -1);
    }
    if (key_too_old(c, active, now)) {
        snprintf(buf, sizeof buf,
                 "the active key is %ld days old, older than account_key_max_age (%ld days): "
                 "the engine never rotates it by itself; rotate it by hand "
                 "(POST config/acme-account/%s/rotate-key)",
                 (long)((now - active->created) / 86400), max_age_days(c), a->name);
        textbuf_field(tb, "Warning", LABEL_W, THEME_WARNING, buf, -1);
    }
    const struct resource_list *roles = &c->resources[RESOURCE_ROLES];
    if (!roles->loaded) {
        textbuf_field(tb, "Roles", LABEL_W, THEME_DIM, "reading the roles...", -1);
    } else if (!roles->listed && roles->count == 0) {
        snprintf(buf, sizeof buf, "unknown: %s", roles->error ? roles->error : "not readable");
        textbuf_field(tb, "Roles", LABEL_W, THEME_DIM, buf, -1);
    } else {
        char names[1200];
        size_t n = roles_using(c, a->name, names, sizeof names);
        textbuf_field(tb, "Roles", LABEL_W, n ? THEME_NORMAL : THEME_DIM,
                      n ? names : "no role uses it", -1);
    }
    textbuf_time_field(tb, "Created", LABEL_W, a->created, now);
    textbuf_time_field(tb, "Updated", LABEL_W, a->last_updated, now);
}

static const struct resource_view accounts = {
    .kind = RESOURCE_ACCOUNTS,
    .noun = "account",
    .parse = accounts_parse,
    .free_obj = accounts_free,
    .specs = specs,
    .titles = titles,
    .column_count = COL_COUNT,
    .cell = accounts_cell,
    .detail = accounts_detail,
};

static void run_rotate(struct console_state *c, int key)
{
    (void)key;
    const struct acme_account *a = resource_view_selected(c, &accounts);
    if (!a) {
        console_state_say(c, MESSAGE_ERROR, "no readable account selected");
        return;
    }
    const struct acme_account_key *k = acme_account_active_key(a);
    key_rotate_flow_begin(c, a->name, k ? k->key_type : NULL);
}

static void run_delete(struct console_state *c, int key)
{
    (void)key;
    const struct acme_account *a = resource_view_selected(c, &accounts);
    if (!a) {
        console_state_say(c, MESSAGE_ERROR, "no readable account selected");
        return;
    }
    char users[1200];
    if (roles_using(c, a->name, users, sizeof users) > 0) {
        console_state_say(c, MESSAGE_ERROR,
                          "account %s is used by role%s %s: delete those roles (or move them "
                          "to another account) first; nothing sent",
                          a->name, strchr(users, ',') ? "s" : "", users);
        return;
    }
    struct delete_spec spec = {
        .kind = RESOURCE_ACCOUNTS, .noun = "ACME account", .name = a->name, .key = a->name,
        .note = "The engine deactivates the account at the CA: it cannot order again."};
    delete_flow_begin(c, &spec);
}

/* ---- the account forms (API.md: POST config/acme-account/:name, .../import, PUT) -- */

static const char *const key_types[] = {"ec-256", "ec-384", "ec-521",
                                        "rsa-2048", "rsa-4096", "rsa-8192"};

static void name_field(struct form_field *f, const char *fixed)
{
    *f = (struct form_field){.label = "Name", .help = "the account's name (no '/')",
                             .kind = FORM_TEXT, .required = true, .fixed = fixed != NULL,
                             .check = form_check_name};
    if (fixed)
        snprintf(f->value, sizeof f->value, "%s", fixed);
}

static void ca_field(struct form_field *f)
{
    *f = (struct form_field){.key = "trusted_ca", .label = "Trusted CA file",
                             .help = "a PEM file with the CA certificate that verifies the "
                                     "ACME server (a private CA, pebble); empty: the system's",
                             .kind = FORM_FILE};
}

static void run_add(struct console_state *c, int key)
{
    (void)key;
    struct form_spec spec = {.title = "New ACME account", .noun = "ACME account",
                             .kind = RESOURCE_ACCOUNTS, .method = "POST",
                             .path_prefix = "config/acme-account/", .path_field = {0, 0}};
    struct form_field *f = spec.fields;
    name_field(&f[0], NULL);
    f[1] = (struct form_field){.key = "directory_url", .label = "Directory URL",
                               .help = "the CA's ACME directory (https://.../directory)",
                               .kind = FORM_TEXT, .required = true, .check = form_check_url};
    f[2] = (struct form_field){.key = "email_contacts", .label = "Contacts",
                               .help = "e-mail addresses, commas between (at least one)",
                               .kind = FORM_LIST, .required = true, .check = form_check_emails};
    f[3] = (struct form_field){.key = "key_type", .label = "Key type",
                               .help = "the account key's type", .kind = FORM_CHOICE,
                               .choices = key_types, .choice_count = 6, .required = true};
    snprintf(f[3].value, sizeof f[3].value, "ec-256");
    f[4] = (struct form_field){.key = "eab_kid", .label = "EAB key ID",
                               .help = "external account binding key ID, when the CA asks "
                                       "for one", .kind = FORM_TEXT};
    f[5] = (struct form_field){.key = "eab_key", .label = "EAB key",
                               .help = "external account binding HMAC key (typed masked)",
                               .kind = FORM_SECRET};
    ca_field(&f[6]);
    spec.field_count = 7;
    form_flow_begin(c, &spec);
}

static void run_import(struct console_state *c, int key)
{
    (void)key;
    struct form_spec spec = {.title = "Import an ACME account", .noun = "ACME account",
                             .kind = RESOURCE_ACCOUNTS, .method = "POST",
                             .path_prefix = "config/acme-account/", .path_field = {0, 0},
                             .path_suffix = "/import"};
    struct form_field *f = spec.fields;
    name_field(&f[0], NULL);
    f[1] = (struct form_field){.key = "account_key", .label = "Account key file",
                               .help = "the PEM file of the existing account's private key "
                                       "(read, sent, wiped; never shown)",
                               .kind = FORM_FILE, .required = true};
    f[2] = (struct form_field){.key = "directory_url", .label = "Directory URL",
                               .help = "the CA's ACME directory the key is registered with",
                               .kind = FORM_TEXT, .required = true, .check = form_check_url};
    ca_field(&f[3]);
    spec.field_count = 4;
    form_flow_begin(c, &spec);
}

static void run_trusted_ca(struct console_state *c, int key)
{
    (void)key;
    const struct acme_account *a = resource_view_selected(c, &accounts);
    if (!a) {
        console_state_say(c, MESSAGE_ERROR, "no readable account selected");
        return;
    }
    struct form_spec spec = {.title = "Trusted CA of an account", .noun = "ACME account",
                             .kind = RESOURCE_ACCOUNTS, .method = "PUT",
                             .path_prefix = "config/acme-account/", .path_field = {0, 0}};
    name_field(&spec.fields[0], a->name);
    ca_field(&spec.fields[1]);
    spec.fields[1].required = true;
    spec.field_count = 2;
    form_flow_begin(c, &spec);
}

static const struct action actions[] = {
    RESOURCE_ACTION_ROWS,
    {"add-account", {'a', 0}, "a", "Add", 6,
     "new account: name, directory URL, contacts, key type, optional EAB and trusted CA file "
     "(registers it at the CA)", true, run_add, ACTION_WRITES},
    {"import-account", {'i', 0}, "i", NULL, 99,
     "import an account from its PEM key file (read, sent, wiped, never shown)", true,
     run_import, ACTION_WRITES},
    {"trusted-ca", {'u', 0}, "u", NULL, 99,
     "update the selected account's trusted CA from a PEM file", true, run_trusted_ca, ACTION_WRITES},
    {"delete-account", {'D', 0}, "D", "Delete", 9,
     "delete the selected account (type its name); refused while a role uses it", true,
     run_delete, ACTION_WRITES},
    {"rotate-key", {'R', 0}, "R", "Rotate", 8,
     "rotate the selected account's key: pick the key type (force typed when orders are "
     "pending)", true, run_rotate, ACTION_WRITES},
};

static void accounts_draw(struct console_state *c, const struct layout *l, time_t now,
                          struct tick *tick)
{
    resource_view_draw(c, &accounts, l, now, tick);
}

static void accounts_enter(struct console_state *c)
{
    resource_view_enter(c, &accounts);
    const struct resource_list *roles = &c->resources[RESOURCE_ROLES];
    if (!roles->loaded && !roles->pending) /* the detail names the roles that use an account */
        resource_view_read_kind(c, RESOURCE_ROLES);
}

static long accounts_timer(struct console_state *c, const struct layout *l, long long now_ms)
{
    (void)l;
    return resource_view_timer(c, &accounts, now_ms);
}

const struct view_ops view_accounts = {
    .name = "accounts",
    .title = "ACME accounts",
    .help = "The ACME accounts of the engine: which CA each registers with, its contacts, "
            "and its key. The engine never rotates an account key by itself: KEY AGE turns "
            "to the warning colour once the active key is older than account_key_max_age "
            "(365 days unless set). The detail lists every key version and the roles that "
            "use the account. Read on entering the view, every 5 minutes while it is shown, "
            "and on r.",
    .actions = actions,
    .action_count = sizeof actions / sizeof actions[0],
    .draw = accounts_draw,
    .enter = accounts_enter,
    .after_input = NULL,
    .timer = accounts_timer,
    .resource = &accounts,
};
