/* acme_account: GET config/acme-account/:name, an ACME account of the engine:
 * its CA, contacts, and the versions of its key (type and creation date;
 * never the keys themselves), for the accounts view. */
#ifndef ACMETOP_ACME_ACCOUNT_H
#define ACMETOP_ACME_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "model/parse_error.h"

struct acme_account_key {
    int64_t version;
    char *key_type;           /* ec-256, rsa-2048, ... ("" when not said) */
    time_t created;           /* key_creation_date, 0 = not said */
};

struct acme_account {
    char *name;
    char *directory_url;
    char **email_contacts;   /* array or comma-separated string */
    size_t email_contact_count;
    int64_t active_key_version;
    size_t account_key_count; /* entries of account_keys (array or map); the
                                 keys themselves are not kept */
    struct acme_account_key *keys; /* the entries that are objects, by version
                                      (at most JSON_LIST_MAX) */
    size_t key_count;
    char *trusted_ca;         /* PEM or "" */
    time_t created;           /* creation_date */
    time_t last_updated;      /* last_updated_date */
};

void acme_account_init(struct acme_account *a);
void acme_account_free(struct acme_account *a); /* contents; re-inits */

/* The entry of the active key version, or NULL. */
const struct acme_account_key *acme_account_active_key(const struct acme_account *a);

/* Parser conventions as in order_parse.h. No field is required. */
int acme_account_parse(const cJSON *data, struct acme_account *out,
                       struct parse_error *err);
int acme_account_parse_response(const char *body, size_t len,
                                struct acme_account *out,
                                struct parse_error *err);

#endif
