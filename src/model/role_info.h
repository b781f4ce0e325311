/* role_info: GET role/:name, what a role allows (for pickers and the
 * new-order form: which domains, which challenge types). */
#ifndef ACMETOP_ROLE_INFO_H
#define ACMETOP_ROLE_INFO_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "model/parse_error.h"

struct role_info {
    char *name;
    char *acme_account_name;
    char **allowed_domains;          /* array or comma-separated string */
    size_t allowed_domain_count;
    char **allowed_domain_options;   /* bare_domains, subdomains, wildcards, globs */
    size_t allowed_domain_option_count;
    char **allowed_challenge_types;  /* http-01, dns-01, tls-alpn-01 */
    size_t allowed_challenge_type_count;
    char *csr_generate_key_type;
    char *csr_identifier_population; /* cn_first, sans_only */
    time_t created;                  /* creation_date */
    time_t last_updated;             /* last_updated_date */
};

void role_info_init(struct role_info *r);
void role_info_free(struct role_info *r); /* contents; re-inits */

/* Parser conventions as in order_parse.h. No field is required (the caller
 * knows the name it asked for); lists capped at JSON_LIST_MAX. */
int role_info_parse(const cJSON *data, struct role_info *out,
                    struct parse_error *err);
int role_info_parse_response(const char *body, size_t len,
                             struct role_info *out, struct parse_error *err);

#endif
