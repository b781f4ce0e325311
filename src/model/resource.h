/* resource: the engine's objects other than orders that the console lists
 * (roles, ACME accounts, DNS providers): which kind, where Vault keeps them
 * (LIST <path>, GET <path>/<key>), and one of them as read: its key and the
 * `data` object of its GET answer as JSON text, with every secret field
 * replaced by "<N bytes, hidden>" before it leaves the engine (a private key
 * never travels to the console). Pure. */
#ifndef ACMETOP_MODEL_RESOURCE_H
#define ACMETOP_MODEL_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

enum resource_kind {
    RESOURCE_ROLES,    /* role, role/:name */
    RESOURCE_ACCOUNTS, /* config/acme-account, config/acme-account/:name */
    RESOURCE_DNS,      /* config/dns, config/dns/:type/:name (key "type/name") */
    RESOURCE_KIND_COUNT
};

#define RESOURCE_READ_MAX 200 /* objects read per kind; the rest are left out */

struct resource_item {
    char *key;   /* the LIST key: "web-servers", "rfc2136/internal-dns" */
    char *json;  /* the answer's `data`, secrets hidden; NULL when it could not be read */
    char *error; /* why it could not be read (sanitised sentence), else NULL */
};

/* "roles", "accounts", "dns" (what :NAME and --once NAME say). */
const char *resource_kind_name(enum resource_kind k);
/* The kind called name, or -1. */
int resource_kind_find(const char *name);
/* The path under the mount that lists them: "role", "config/acme-account",
 * "config/dns". */
const char *resource_kind_path(enum resource_kind k);

void resource_items_free(struct resource_item *v, size_t n);
struct resource_item *resource_items_copy(const struct resource_item *v, size_t n);

/* Is name a field that holds a secret (private_key, account_key, eab_key,
 * tsig_secret, secret_access_key, client_secret, credentials)? */
bool resource_secret_field(const char *name);
/* Replace, anywhere in the tree, the value of every secret field that is a
 * non-empty string by "<N bytes, hidden>" (N its length); other values, and
 * a value that is such a mark already, stay. */
void resource_hide_secrets(cJSON *tree);
/* The `data` object of a GET answer as compact JSON with the secrets
 * hidden; NULL when body is not {"data":{...}}. Caller frees. */
char *resource_data_json(const char *body, size_t len);
/* A whole answer (any JSON) as compact JSON with the secrets hidden; NULL
 * when it is not JSON. Caller frees. */
char *resource_answer_json(const char *body, size_t len);
/* JSON text pretty-printed for people: two spaces per level, the secrets
 * hidden (again), no control character left (cJSON escapes those inside
 * strings; the rest is sanitised). NULL when json is not JSON. */
char *resource_pretty_json(const char *json);

#endif
