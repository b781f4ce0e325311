/* acme_account: GET config/acme-account/:name, an ACME account of the engine
 * (shown for context: which CA a role's orders go to). */
#ifndef ACMETOP_ACME_ACCOUNT_H
#define ACMETOP_ACME_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "model/parse_error.h"

struct acme_account {
    char *name;
    char *directory_url;
    char **email_contacts;   /* array or comma-separated string */
    size_t email_contact_count;
    int64_t active_key_version;
    size_t account_key_count; /* entries of account_keys (array or map); the
                                 keys themselves are not kept */
    char *trusted_ca;         /* PEM or "" */
    time_t created;           /* creation_date */
    time_t last_updated;      /* last_updated_date */
};

void acme_account_init(struct acme_account *a);
void acme_account_free(struct acme_account *a); /* contents; re-inits */

/* Parser conventions as in order_parse.h. No field is required. */
int acme_account_parse(const cJSON *data, struct acme_account *out,
                       struct parse_error *err);
int acme_account_parse_response(const char *body, size_t len,
                                struct acme_account *out,
                                struct parse_error *err);

#endif
