/* cert_lookup: GET lookup/cert/:serial, which order a certificate came from. */
#ifndef ACMETOP_CERT_LOOKUP_H
#define ACMETOP_CERT_LOOKUP_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "model/order_status.h"
#include "model/parse_error.h"

struct cert_lookup {
    char *order_id;          /* required */
    enum order_status status;
    char *status_text;       /* verbatim, NULL if absent */
    char *role;              /* role_name */
    char **identifiers;
    size_t identifier_count;
    time_t not_before;       /* 0 = unknown */
    time_t not_after;
};

void cert_lookup_init(struct cert_lookup *c);
void cert_lookup_free(struct cert_lookup *c); /* contents; re-inits */

/* Parser conventions as in order_parse.h. `order_id` required. */
int cert_lookup_parse(const cJSON *data, struct cert_lookup *out,
                      struct parse_error *err);
int cert_lookup_parse_response(const char *body, size_t len,
                               struct cert_lookup *out,
                               struct parse_error *err);

#endif
